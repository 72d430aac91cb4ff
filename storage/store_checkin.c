/*
 * store_checkin.c — checking in, as one transaction per citizen; see
 * store.h. Everything a check-in decides (repeat, window, rate limit,
 * ticket number) is read and written in the same write transaction, so two
 * kiosks on one store, a crash, or a power cut can never give out a ticket
 * number twice or record a check-in without its counter.
 *
 * Walk-in tickets are keyed by the errand itself, never by its place in
 * the `errands` list: its id is its text normalised (case folded, spaces
 * trimmed and collapsed), so reordering, adding or removing errands during
 * the day never gives a number out twice. Each errand keeps its ticket
 * letter: the first time an errand asks, it gets the letter of its place in
 * the list when that letter is free, else the first free one. With all 26
 * letters taken, a letter is taken back from an errand that issued no
 * ticket today; a 27th errand with tickets in one day is refused
 * (STORE_EFULL) rather than share a letter.
 *
 * Keys used here: counters "DATE\0ERRAND-ID" → u32 last ticket number;
 * "E\0ERRAND-ID" → its letter; "L\0LETTER" → the errand id holding it;
 * meta "wrong_codes" → u64 limited-until + up to CHECKIN_WRONG_MAX u64
 * times of recent wrong codes.
 *
 * Earlier versions keyed counters by the errand's text as typed and chose
 * the letter by list position. The first ticket after the upgrade gives
 * each errand of the current list the letter of its position (what the old
 * code showed), and a counter under the old key continues under the new.
 */
#define _GNU_SOURCE
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

struct ck_ctx {
    const struct checkin_request *req;
    struct checkin_result *res;
    struct buf key, rec;
};

static void upper(char *dst, const char *src, size_t cap)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = src[i] >= 'a' && src[i] <= 'z' ? (char)(src[i] - 32) : src[i];
    dst[i] = '\0';
}

static int minutes(const char *hhmm)
{
    int h, m;
    return parse_hhmm(hhmm, &h, &m) ? h * 60 + m : -1;
}

/* ---- the wrong-code limit ---- */

struct wrong {
    uint64_t until;
    uint64_t times[CHECKIN_WRONG_MAX];
    size_t n;
};

static int read_wrong(struct store *s, MDB_txn *txn, struct wrong *w)
{
    memset(w, 0, sizeof *w);
    MDB_val v;
    int rc = store_get_str(txn, s->dbi[DB_META], "wrong_codes", &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return rc;
    if (v.mv_size < 8 || v.mv_size % 8 || v.mv_size > 8 * (CHECKIN_WRONG_MAX + 1))
        return 0; /* unreadable: start afresh rather than lock the kiosk */
    memcpy(&w->until, v.mv_data, 8);
    w->n = v.mv_size / 8 - 1;
    memcpy(w->times, (const char *)v.mv_data + 8, w->n * 8);
    return 0;
}

static int write_wrong(struct store *s, MDB_txn *txn, const struct wrong *w)
{
    uint64_t raw[CHECKIN_WRONG_MAX + 1];
    raw[0] = w->until;
    memcpy(raw + 1, w->times, w->n * 8);
    return store_put_str(txn, s->dbi[DB_META], "wrong_codes", raw, (w->n + 1) * 8, 0);
}

static int note_wrong(struct store *s, MDB_txn *txn, struct ck_ctx *c)
{
    struct wrong w;
    int rc = read_wrong(s, txn, &w);
    if (rc)
        return rc;
    uint64_t now = (uint64_t)c->req->now;
    size_t keep = 0;
    for (size_t i = 0; i < w.n; i++)
        if (w.times[i] + CHECKIN_WRONG_WINDOW > now)
            w.times[keep++] = w.times[i];
    w.n = keep;
    if (w.n == CHECKIN_WRONG_MAX) {
        memmove(w.times, w.times + 1, (CHECKIN_WRONG_MAX - 1) * 8);
        w.n--;
    }
    w.times[w.n++] = now;
    c->res->outcome = CHECKIN_UNKNOWN;
    if (w.n == CHECKIN_WRONG_MAX) {
        w.until = now + CHECKIN_PAUSE;
        w.n = 0;
        c->res->outcome = CHECKIN_LIMITED;
        c->res->limited_until = (time_t)w.until;
    }
    return write_wrong(s, txn, &w);
}

/* ---- finding earlier check-ins ---- */

static int find_repeat(struct store *s, MDB_txn *txn, struct ck_ctx *c, bool *found)
{
    const struct checkin_request *q = c->req;
    MDB_cursor *cur;
    MDB_val k, v;
    *found = false;
    int rc = mdb_cursor_open(txn, s->dbi[DB_CHECKINS], &cur);
    if (rc)
        return rc;
    while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
        struct checkin x;
        if (!rec_decode_checkin(v.mv_data, v.mv_size, &x))
            continue; /* a damaged record must not stop check-in */
        if (x.kind != q->kind || strcmp(x.date, q->date) || strcmp(x.site, q->site))
            continue;
        bool same = q->kind == CHECKIN_APPOINTMENT
                        ? strcmp(x.code, c->res->record.code) == 0
                        : strcmp(x.session_id, q->session_id) == 0 && x.code[0] &&
                              strcmp(x.code, c->res->record.code) == 0;
        if (same && (!*found || strcmp(x.time, c->res->record.time) < 0)) {
            c->res->record = x;
            *found = true;
        }
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static int put_checkin(struct store *s, MDB_txn *txn, struct ck_ctx *c)
{
    struct checkin *x = &c->res->record;
    rec_encode_checkin(&c->rec, x);
    MDB_val k = {strlen(x->id), x->id}, v = {c->rec.len, c->rec.data};
    int rc = mdb_put(txn, s->dbi[DB_CHECKINS], &k, &v, MDB_NOOVERWRITE);
    if (rc)
        return rc;
    char pkey[38];
    pkey[0] = 'c';
    memcpy(pkey + 1, x->id, 37);
    return store_put_str(txn, s->dbi[DB_PENDING], pkey, "", 0, 0);
}

static bool has_schedule_txn(struct store *s, MDB_txn *txn, const char *site, const char *date,
                             struct buf *key)
{
    buf_clear(key);
    buf_puts(key, "sched");
    buf_putc(key, '\0');
    buf_put(key, site, strlen(site) + 1);
    buf_puts(key, date);
    MDB_val k = {key->len, key->data}, v;
    return mdb_get(txn, s->dbi[DB_META], &k, &v) == 0;
}

/* ---- the three kinds ---- */

static int appointment(struct store *s, MDB_txn *txn, struct ck_ctx *c)
{
    const struct checkin_request *q = c->req;
    struct checkin_result *res = c->res;
    store_key3(&c->key, q->site, q->date, res->record.code);
    MDB_val k = {c->key.len, c->key.data}, v;
    int rc = mdb_get(txn, s->dbi[DB_APPOINTMENTS], &k, &v);
    if (rc == MDB_NOTFOUND)
        return note_wrong(s, txn, c);
    if (rc)
        return rc;
    if (!rec_decode_appointment(v.mv_data, v.mv_size, &res->appointment))
        return STORE_ECORRUPT;
    bool found;
    if ((rc = find_repeat(s, txn, c, &found)))
        return rc;
    if (found) {
        res->outcome = CHECKIN_REPEAT;
        return 0;
    }
    int now = minutes(q->time), at = minutes(res->appointment.time);
    if (now < at - q->early_min) {
        res->outcome = CHECKIN_EARLY;
        return 0;
    }
    bool late = now > at + q->late_min;
    res->outcome = late ? CHECKIN_LATE : CHECKIN_OK;
    snprintf(res->record.unit, sizeof res->record.unit, "%s", res->appointment.unit);
    snprintf(res->record.result, sizeof res->record.result, "%s", late ? "late" : "ok");
    return put_checkin(s, txn, c);
}

enum session_window store_session_window(const char *start, const char *end, const char *now,
                                         int before_min, int late_min)
{
    int t = minutes(now), from = minutes(start), until = end && *end ? minutes(end) : -1;
    if (until < 0 && from >= 0)
        until = from + late_min;
    if (t < 0 || from < 0 || t < from - before_min)
        return SESSION_NOT_YET;
    return t < until ? SESSION_OPEN : SESSION_OVER;
}

static int session(struct store *s, MDB_txn *txn, struct ck_ctx *c)
{
    const struct checkin_request *q = c->req;
    struct checkin_result *res = c->res;
    store_key3(&c->key, q->site, q->date, q->session_id);
    MDB_val k = {c->key.len, c->key.data}, v;
    int rc = mdb_get(txn, s->dbi[DB_SESSIONS], &k, &v);
    if (rc == MDB_NOTFOUND) {
        res->outcome = CHECKIN_NO_SESSION;
        return 0;
    }
    if (rc)
        return rc;
    struct session x;
    if (!rec_decode_session(v.mv_data, v.mv_size, &x))
        return STORE_ECORRUPT;
    snprintf(res->session_title, sizeof res->session_title, "%s", x.title);
    snprintf(res->session_start, sizeof res->session_start, "%s", x.start);
    snprintf(res->session_end, sizeof res->session_end, "%s", x.end);
    snprintf(res->session_place, sizeof res->session_place, "%s", x.place);
    snprintf(res->record.session_id, sizeof res->record.session_id, "%s", x.id);
    switch (store_session_window(x.start, x.end, q->time, q->session_before_min, q->late_min)) {
    case SESSION_NOT_YET: res->outcome = CHECKIN_EARLY; return 0;
    case SESSION_OVER: res->outcome = CHECKIN_CLOSED; return 0;
    case SESSION_OPEN: break;
    }
    if (x.n_participants) {
        bool listed = false;
        for (size_t i = 0; i < x.n_participants && !listed; i++)
            listed = strcmp(x.participants[i], res->record.code) == 0;
        if (!listed)
            return note_wrong(s, txn, c);
        bool found;
        if ((rc = find_repeat(s, txn, c, &found)))
            return rc;
        if (found) {
            res->outcome = CHECKIN_REPEAT;
            return 0;
        }
    } else {
        res->record.code[0] = '\0'; /* open attendance: one tap, one attendee */
    }
    res->outcome = CHECKIN_OK;
    snprintf(res->record.result, sizeof res->record.result, "ok");
    return put_checkin(s, txn, c);
}

/* ---- walk-in tickets ---- */

/* The errand's stable id: its text with ASCII and Latin-1 letters in lower
 * case, outer spaces dropped and inner runs of spaces made one. */
static void errand_id(const char *errand, char *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *q = (const unsigned char *)errand;
    unsigned char prev = 0;
    while (*q == ' ')
        q++;
    for (; *q && n + 1 < cap; prev = *q++) {
        if (*q == ' ' && (q[1] == ' ' || q[1] == '\0'))
            continue;
        unsigned char ch = *q >= 'A' && *q <= 'Z' ? (unsigned char)(*q + 32) : *q;
        if (prev == 0xC3 && ch >= 0x80 && ch <= 0x9E && ch != 0x97)
            ch += 0x20; /* Æ Ø Å and the other Latin-1 capitals */
        out[n++] = (char)ch;
    }
    out[n] = '\0';
}

static int counter_get(struct store *s, MDB_txn *txn, struct buf *key, uint32_t *out)
{
    MDB_val k = {key->len, key->data}, v;
    int rc = mdb_get(txn, s->dbi[DB_COUNTERS], &k, &v);
    if (rc == 0 && v.mv_size == 4)
        memcpy(out, v.mv_data, 4);
    else if (rc == 0 || rc == MDB_NOTFOUND)
        *out = 0;
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Key "PREFIX\0REST" (REST without its NUL) into b. */
static void key2(struct buf *b, const char *prefix, const char *rest, size_t rest_len)
{
    buf_clear(b);
    buf_put(b, prefix, strlen(prefix) + 1);
    buf_put(b, rest, rest_len);
}

static int get_str(struct store *s, MDB_txn *txn, struct buf *key, MDB_val *v)
{
    MDB_val k = {key->len, key->data};
    return mdb_get(txn, s->dbi[DB_COUNTERS], &k, v);
}

static int put_str(struct store *s, MDB_txn *txn, struct buf *key, const void *data, size_t len)
{
    MDB_val k = {key->len, key->data}, v = {len, (void *)data};
    return mdb_put(txn, s->dbi[DB_COUNTERS], &k, &v, 0);
}

/* Gives letter L to errand id (which holds none). */
static int give_letter(struct store *s, MDB_txn *txn, struct buf *key, const char *id, char L)
{
    key2(key, "E", id, strlen(id));
    int rc = put_str(s, txn, key, &L, 1);
    key2(key, "L", &L, 1);
    return rc ? rc : put_str(s, txn, key, id, strlen(id));
}

/* Before the first letter was ever given: the errands of the current list
 * get the letters of their places, as the old code showed them. */
static int seed_letters(struct store *s, MDB_txn *txn, struct buf *key)
{
    MDB_val v;
    char L = 'A';
    for (; L <= 'Z'; L++) {
        key2(key, "L", &L, 1);
        int rc = get_str(s, txn, key, &v);
        if (rc != MDB_NOTFOUND)
            return rc; /* a letter was given: seeded before */
    }
    struct buf list;
    buf_init(&list);
    int rc = store_config_get_txn(s, txn, "errands", &list);
    char *save = NULL, id[STORE_TEXT_MAX + 1];
    L = 'A';
    for (char *t = rc ? NULL : strtok_r(list.data, ",", &save); t && L <= 'Z' && !rc;
         t = strtok_r(NULL, ",", &save)) {
        errand_id(t, id, sizeof id);
        key2(key, "E", id, strlen(id));
        if (*id && (rc = get_str(s, txn, key, &v)) == MDB_NOTFOUND)
            rc = give_letter(s, txn, key, id, L++);
    }
    buf_free(&list);
    return rc;
}

/* The letter of errand id, given now when it has none (see the top). */
static int letter_of(struct store *s, MDB_txn *txn, struct ck_ctx *c, const char *id, char *out)
{
    struct buf *key = &c->key;
    MDB_val v;
    key2(key, "E", id, strlen(id));
    int rc = get_str(s, txn, key, &v);
    if (rc == MDB_NOTFOUND && !(rc = seed_letters(s, txn, key))) {
        key2(key, "E", id, strlen(id));
        rc = get_str(s, txn, key, &v);
    }
    if (rc == 0 && v.mv_size == 1) {
        *out = *(const char *)v.mv_data;
        return 0;
    }
    if (rc && rc != MDB_NOTFOUND)
        return rc;
    int want = c->req->errand_index >= 0 && c->req->errand_index < 26 ? c->req->errand_index : 0;
    /* Round 0: a free letter. Round 1: one whose errand issued nothing today. */
    for (int round = 0; round < 2; round++)
        for (int i = -1; i < 26; i++) {
            char L = (char)('A' + (i < 0 ? want : i));
            key2(key, "L", &L, 1);
            *out = L;
            if ((rc = get_str(s, txn, key, &v)) == MDB_NOTFOUND)
                return give_letter(s, txn, key, id, L);
            if (rc)
                return rc;
            if (round == 0)
                continue;
            char owner[STORE_TEXT_MAX + 1];
            snprintf(owner, sizeof owner, "%.*s", (int)v.mv_size, (const char *)v.mv_data);
            uint32_t issued;
            key2(key, c->req->date, owner, strlen(owner));
            if ((rc = counter_get(s, txn, key, &issued)))
                return rc;
            if (issued)
                continue;
            key2(key, "E", owner, strlen(owner));
            MDB_val k = {key->len, key->data};
            if ((rc = mdb_del(txn, s->dbi[DB_COUNTERS], &k, NULL)) && rc != MDB_NOTFOUND)
                return rc;
            return give_letter(s, txn, key, id, L);
        }
    return STORE_EFULL;
}

static int walkin(struct store *s, MDB_txn *txn, struct ck_ctx *c)
{
    const struct checkin_request *q = c->req;
    struct checkin_result *res = c->res;
    char id[STORE_TEXT_MAX + 1], letter = '?';
    errand_id(q->errand, id, sizeof id);
    if (!*id)
        return STORE_EINVAL;
    int rc = letter_of(s, txn, c, id, &letter);
    if (rc)
        return rc;
    /* The counter, continuing one kept under the errand's text as typed. */
    uint32_t last, legacy = 0;
    if (strcmp(id, q->errand) != 0) {
        key2(&c->key, q->date, q->errand, strlen(q->errand));
        MDB_val k = {c->key.len, c->key.data};
        if ((rc = counter_get(s, txn, &c->key, &legacy)) ||
            (legacy && (rc = mdb_del(txn, s->dbi[DB_COUNTERS], &k, NULL))))
            return rc;
    }
    key2(&c->key, q->date, id, strlen(id));
    if ((rc = counter_get(s, txn, &c->key, &last)))
        return rc;
    if (legacy > last)
        last = legacy;
    uint32_t number = last + 1;
    if ((rc = put_str(s, txn, &c->key, &number, 4)))
        return rc;
    snprintf(res->record.ticket, sizeof res->record.ticket, "%c%03u", letter,
             number % 100000u);
    snprintf(res->record.unit, sizeof res->record.unit, "%s", q->errand);
    snprintf(res->record.result, sizeof res->record.result, "ok");
    /* No "N ahead of you": the kiosk knows how many numbers it gave out,
     * never how many of those were already called, served or went home. */
    res->outcome = CHECKIN_OK;
    return put_checkin(s, txn, c);
}

static int checkin_txn(struct store *s, MDB_txn *txn, void *vctx)
{
    struct ck_ctx *c = vctx;
    const struct checkin_request *q = c->req;
    struct checkin_result *res = c->res;
    char id[37];
    snprintf(id, sizeof id, "%s", res->record.id); /* kept across a retry */
    memset(res, 0, sizeof *res);
    struct checkin *x = &res->record;
    snprintf(x->id, sizeof x->id, "%s", id);
    x->kind = q->kind;
    snprintf(x->date, sizeof x->date, "%s", q->date);
    snprintf(x->time, sizeof x->time, "%s", q->time);
    snprintf(x->site, sizeof x->site, "%s", q->site);
    upper(x->code, q->code, sizeof x->code);
    if (q->kind == CHECKIN_WALKIN)
        return walkin(s, txn, c);
    if (!has_schedule_txn(s, txn, q->site, q->date, &c->key)) {
        res->outcome = CHECKIN_NO_SCHEDULE;
        return 0;
    }
    struct wrong w;
    int rc = read_wrong(s, txn, &w);
    if (rc)
        return rc;
    if ((uint64_t)q->now < w.until) {
        res->outcome = CHECKIN_LIMITED;
        res->limited_until = (time_t)w.until;
        return 0;
    }
    return q->kind == CHECKIN_APPOINTMENT ? appointment(s, txn, c) : session(s, txn, c);
}

int store_checkin(struct store *s, const struct checkin_request *req,
                  struct checkin_result *res)
{
    int h, m;
    if (req->kind < CHECKIN_APPOINTMENT || req->kind > CHECKIN_WALKIN ||
        !parse_hhmm(req->time, &h, &m) || strnlen(req->date, 11) != 10)
        return STORE_EINVAL;
    struct ck_ctx c = {.req = req, .res = res};
    buf_init(&c.key);
    buf_init(&c.rec);
    memset(res, 0, sizeof *res);
    store_new_id(res->record.id);
    int rc = store_write(s, checkin_txn, &c);
    buf_free(&c.key);
    buf_free(&c.rec);
    return rc;
}

struct has_ctx {
    const char *site, *date;
    bool found;
};

static int has_schedule(struct store *s, MDB_txn *txn, void *vctx)
{
    struct has_ctx *c = vctx;
    struct buf key;
    buf_init(&key);
    c->found = has_schedule_txn(s, txn, c->site, c->date, &key);
    buf_free(&key);
    return 0;
}

bool store_has_schedule(struct store *s, const char *site, const char *date)
{
    struct has_ctx c = {site, date, false};
    return store_read(s, has_schedule, &c) == STORE_OK && c.found;
}

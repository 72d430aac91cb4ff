/*
 * store_checkin.c — checking in, as one transaction per citizen; see
 * store.h. Everything a check-in decides (repeat, window, rate limit,
 * ticket number) is read and written in the same write transaction, so two
 * kiosks on one store, a crash, or a power cut can never give out a ticket
 * number twice or record a check-in without its counter.
 *
 * Keys used here: counters "DATE\0ERRAND" → u32 last ticket number;
 * meta "wrong_codes" → u64 limited-until + up to CHECKIN_WRONG_MAX u64
 * times of recent wrong codes.
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

static int walkin(struct store *s, MDB_txn *txn, struct ck_ctx *c)
{
    const struct checkin_request *q = c->req;
    struct checkin_result *res = c->res;
    buf_clear(&c->key);
    buf_put(&c->key, q->date, strlen(q->date) + 1);
    buf_puts(&c->key, q->errand);
    MDB_val k = {c->key.len, c->key.data}, v;
    uint32_t last = 0;
    int rc = mdb_get(txn, s->dbi[DB_COUNTERS], &k, &v);
    if (rc == 0 && v.mv_size == 4)
        memcpy(&last, v.mv_data, 4);
    else if (rc && rc != MDB_NOTFOUND)
        return rc;
    uint32_t number = last + 1;
    MDB_val nv = {4, &number};
    if ((rc = mdb_put(txn, s->dbi[DB_COUNTERS], &k, &nv, 0)))
        return rc;
    char letter = (char)('A' + (q->errand_index >= 0 && q->errand_index < 26 ? q->errand_index : 25));
    snprintf(res->record.ticket, sizeof res->record.ticket, "%c%03u", letter,
             number % 100000u);
    snprintf(res->record.unit, sizeof res->record.unit, "%s", q->errand);
    snprintf(res->record.result, sizeof res->record.result, "ok");
    res->ahead = last;
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

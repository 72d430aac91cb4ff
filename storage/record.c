/*
 * record.c — record codecs; see record.h for the layout. Each codec writes
 * and reads its fields in the same order; a new field means a new version
 * byte, and the decoder keeps reading the old versions.
 */
#include "record.h"

#include <string.h>

#define V1 1
#define V2 2

/* The translations of one text: a count, then (language, text) pairs in
 * the order of store_langs. Languages are written as codes, not indexes,
 * so a later list of languages reads old records the same. */
static void rec_tr(struct buf *b, const struct store_tr *tr)
{
    rec_u32(b, (uint32_t)store_tr_count(tr));
    for (int i = 1; i < STORE_LANGS; i++)
        if (tr->text[i][0]) {
            rec_str(b, store_langs[i]);
            rec_str(b, tr->text[i]);
        }
}

/* Reads what rec_tr wrote: every language known, none twice, no Danish,
 * no empty text. */
static void rec_get_tr(struct rec_reader *r, struct store_tr *tr)
{
    uint32_t n = rec_get_u32(r);
    if (n >= STORE_LANGS)
        r->ok = false;
    for (uint32_t k = 0; r->ok && k < n; k++) {
        const char *lang = rec_get_str(r);
        int i = lang ? store_lang_index(lang) : -1;
        if (i <= 0 || tr->text[i][0]) {
            r->ok = false;
            return;
        }
        if (!rec_get_str_into(r, tr->text[i], sizeof tr->text[i]) || !tr->text[i][0])
            r->ok = false;
    }
}

/* Opens a record of either version; returns the version (0 when neither). */
static int rec_open_v12(struct rec_reader *r, const void *data, size_t len, enum rec_type type)
{
    if (rec_open(r, data, len, type, V2))
        return V2;
    return rec_open(r, data, len, type, V1) ? V1 : 0;
}

void rec_begin(struct buf *b, enum rec_type type, uint8_t version)
{
    buf_clear(b);
    buf_putc(b, (char)type);
    buf_putc(b, (char)version);
}

void rec_u32(struct buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    buf_put(b, x, 4);
}

void rec_u64(struct buf *b, uint64_t v)
{
    rec_u32(b, (uint32_t)v);
    rec_u32(b, (uint32_t)(v >> 32));
}

void rec_str(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    rec_u32(b, (uint32_t)n);
    buf_put(b, s, n + 1);
}

bool rec_open(struct rec_reader *r, const void *data, size_t len, enum rec_type type,
              uint8_t version)
{
    r->p = data;
    r->end = r->p + len;
    r->ok = len >= 2 && r->p[0] == (uint8_t)type && r->p[1] == version;
    if (r->ok)
        r->p += 2;
    return r->ok;
}

uint32_t rec_get_u32(struct rec_reader *r)
{
    if (!r->ok || r->end - r->p < 4) {
        r->ok = false;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
                 (uint32_t)r->p[3] << 24;
    r->p += 4;
    return v;
}

uint64_t rec_get_u64(struct rec_reader *r)
{
    uint64_t lo = rec_get_u32(r);
    uint64_t hi = rec_get_u32(r);
    return lo | hi << 32;
}

const char *rec_get_str(struct rec_reader *r)
{
    uint32_t n = rec_get_u32(r);
    if (!r->ok || (size_t)(r->end - r->p) < (size_t)n + 1 || r->p[n] != 0 ||
        memchr(r->p, 0, n)) {
        r->ok = false;
        return NULL;
    }
    const char *s = (const char *)r->p;
    r->p += (size_t)n + 1;
    return s;
}

bool rec_get_str_into(struct rec_reader *r, char *dst, size_t cap)
{
    const char *s = rec_get_str(r);
    if (!s || strlen(s) >= cap) {
        r->ok = false;
        dst[0] = '\0';
        return false;
    }
    memcpy(dst, s, strlen(s) + 1);
    return true;
}

bool rec_close(struct rec_reader *r)
{
    return r->ok && r->p == r->end;
}

#define GET_STR(r, field) rec_get_str_into(r, field, sizeof(field))

void rec_encode_response(struct buf *b, const struct response *x)
{
    rec_begin(b, REC_RESPONSE, V1);
    rec_str(b, x->id);
    rec_str(b, x->date);
    rec_str(b, x->site);
    rec_str(b, x->unit);
    rec_str(b, x->language);
    for (int i = 0; i < STORE_QUESTIONS; i++)
        rec_u32(b, x->answers[i]);
    rec_u32(b, x->exported_seq);
}

bool rec_decode_response(const void *data, size_t len, struct response *x)
{
    struct rec_reader r;
    memset(x, 0, sizeof *x);
    rec_open(&r, data, len, REC_RESPONSE, V1);
    GET_STR(&r, x->id);
    GET_STR(&r, x->date);
    GET_STR(&r, x->site);
    GET_STR(&r, x->unit);
    GET_STR(&r, x->language);
    for (int i = 0; i < STORE_QUESTIONS; i++) {
        uint32_t a = rec_get_u32(&r);
        if (a > 5)
            r.ok = false;
        x->answers[i] = (uint8_t)a;
    }
    x->exported_seq = rec_get_u32(&r);
    return rec_close(&r);
}

void rec_encode_checkin(struct buf *b, const struct checkin *x)
{
    rec_begin(b, REC_CHECKIN, V1);
    rec_str(b, x->id);
    rec_str(b, x->date);
    rec_str(b, x->time);
    rec_str(b, x->site);
    rec_u32(b, (uint32_t)x->kind);
    rec_str(b, x->code);
    rec_str(b, x->unit);
    rec_str(b, x->session_id);
    rec_str(b, x->ticket);
    rec_str(b, x->result);
    rec_u32(b, x->exported_seq);
}

bool rec_decode_checkin(const void *data, size_t len, struct checkin *x)
{
    struct rec_reader r;
    memset(x, 0, sizeof *x);
    rec_open(&r, data, len, REC_CHECKIN, V1);
    GET_STR(&r, x->id);
    GET_STR(&r, x->date);
    GET_STR(&r, x->time);
    GET_STR(&r, x->site);
    uint32_t kind = rec_get_u32(&r);
    if (kind < CHECKIN_APPOINTMENT || kind > CHECKIN_WALKIN)
        r.ok = false;
    x->kind = (enum checkin_kind)kind;
    GET_STR(&r, x->code);
    GET_STR(&r, x->unit);
    GET_STR(&r, x->session_id);
    GET_STR(&r, x->ticket);
    GET_STR(&r, x->result);
    x->exported_seq = rec_get_u32(&r);
    return rec_close(&r);
}

void rec_encode_job(struct buf *b, const struct job *j)
{
    rec_begin(b, REC_JOB, V1);
    rec_u32(b, j->index);
    const char *texts[] = {j->id,     j->title,    j->employer, j->city,
                           j->postcode, j->category, j->posted,   j->deadline,
                           j->summary, j->url,      j->language};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        rec_str(b, texts[i] ? texts[i] : "");
    rec_u32(b, (uint32_t)j->hours);
    rec_u32(b, (uint32_t)j->kind);
}

bool rec_decode_job(const void *data, size_t len, struct job *j)
{
    struct rec_reader r;
    memset(j, 0, sizeof *j);
    rec_open(&r, data, len, REC_JOB, V1);
    j->index = rec_get_u32(&r);
    const char **texts[] = {&j->id,     &j->title,    &j->employer, &j->city,
                            &j->postcode, &j->category, &j->posted,   &j->deadline,
                            &j->summary, &j->url,      &j->language};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        *texts[i] = rec_get_str(&r);
    uint32_t hours = rec_get_u32(&r), kind = rec_get_u32(&r);
    if (hours > JOB_HOURS_FLEXIBLE || kind > JOB_KIND_STUDENT)
        r.ok = false;
    j->hours = (enum job_hours)hours;
    j->kind = (enum job_kind)kind;
    return rec_close(&r);
}

void rec_encode_appointment(struct buf *b, const struct appointment *a)
{
    rec_begin(b, REC_APPOINTMENT, V2);
    rec_str(b, a->site);
    rec_str(b, a->date);
    rec_str(b, a->code);
    rec_str(b, a->time);
    rec_str(b, a->unit);
    rec_str(b, a->place);
    rec_str(b, a->host);
    rec_tr(b, &a->unit_tr);
    rec_tr(b, &a->place_tr);
}

bool rec_decode_appointment(const void *data, size_t len, struct appointment *a)
{
    struct rec_reader r;
    memset(a, 0, sizeof *a);
    int version = rec_open_v12(&r, data, len, REC_APPOINTMENT);
    GET_STR(&r, a->site);
    GET_STR(&r, a->date);
    GET_STR(&r, a->code);
    GET_STR(&r, a->time);
    GET_STR(&r, a->unit);
    GET_STR(&r, a->place);
    GET_STR(&r, a->host);
    if (version == V2) {
        rec_get_tr(&r, &a->unit_tr);
        rec_get_tr(&r, &a->place_tr);
    }
    return rec_close(&r);
}

/* Participants are stored as one block of 7-byte NUL-terminated codes, so
 * the decoded struct can point at them as an array. Version 2 adds the
 * translations of title and place before them. */
void rec_encode_session(struct buf *b, const struct session *s)
{
    rec_begin(b, REC_SESSION, V2);
    rec_str(b, s->site);
    rec_str(b, s->date);
    rec_str(b, s->id);
    rec_str(b, s->title);
    rec_str(b, s->start);
    rec_str(b, s->end);
    rec_str(b, s->place);
    rec_tr(b, &s->title_tr);
    rec_tr(b, &s->place_tr);
    rec_u32(b, (uint32_t)s->n_participants);
    buf_put(b, s->participants, s->n_participants * 7);
}

bool rec_decode_session(const void *data, size_t len, struct session *s)
{
    struct rec_reader r;
    memset(s, 0, sizeof *s);
    int version = rec_open_v12(&r, data, len, REC_SESSION);
    GET_STR(&r, s->site);
    GET_STR(&r, s->date);
    GET_STR(&r, s->id);
    GET_STR(&r, s->title);
    GET_STR(&r, s->start);
    GET_STR(&r, s->end);
    GET_STR(&r, s->place);
    if (version == V2) {
        rec_get_tr(&r, &s->title_tr);
        rec_get_tr(&r, &s->place_tr);
    }
    uint32_t n = rec_get_u32(&r);
    if (!r.ok || n > STORE_PARTICIPANTS_MAX || (size_t)(r.end - r.p) != (size_t)n * 7)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (r.p[i * 7 + 6] != 0)
            return false;
    s->n_participants = n;
    s->participants = (const char(*)[7])r.p;
    r.p += (size_t)n * 7;
    return rec_close(&r);
}

void rec_encode_export(struct buf *b, const struct export_log *e)
{
    rec_begin(b, REC_EXPORT, V1);
    rec_u32(b, e->seq);
    rec_u64(b, (uint64_t)e->created_at);
    rec_u32(b, e->done ? 1u : e->marking ? 2u : 0u);
    rec_u32(b, e->responses);
    rec_u32(b, e->checkins);
}

bool rec_decode_export(const void *data, size_t len, struct export_log *e)
{
    struct rec_reader r;
    memset(e, 0, sizeof *e);
    rec_open(&r, data, len, REC_EXPORT, V1);
    e->seq = rec_get_u32(&r);
    e->created_at = (time_t)rec_get_u64(&r);
    uint32_t done = rec_get_u32(&r);
    e->done = done == 1;
    e->marking = done == 2;
    e->responses = rec_get_u32(&r);
    e->checkins = rec_get_u32(&r);
    return done <= 2 && rec_close(&r);
}

void rec_encode_jobs_info(struct buf *b, const struct jobs_info *i)
{
    rec_begin(b, REC_JOBS_INFO, V2);
    rec_str(b, i->batch_id);
    rec_str(b, i->source);
    rec_u64(b, (uint64_t)i->generated_at);
    rec_u64(b, (uint64_t)i->imported_at);
    rec_u64(b, (uint64_t)i->count);
    rec_u64(b, (uint64_t)i->skipped); /* V2 */
}

bool rec_decode_jobs_info(const void *data, size_t len, struct jobs_info *i)
{
    struct rec_reader r;
    memset(i, 0, sizeof *i);
    int v = rec_open_v12(&r, data, len, REC_JOBS_INFO);
    GET_STR(&r, i->batch_id);
    GET_STR(&r, i->source);
    i->generated_at = (time_t)rec_get_u64(&r);
    i->imported_at = (time_t)rec_get_u64(&r);
    i->count = (size_t)rec_get_u64(&r);
    if (v == V2)
        i->skipped = (size_t)rec_get_u64(&r);
    return rec_close(&r);
}

void rec_encode_schedule_info(struct buf *b, const struct schedule_info *i)
{
    rec_begin(b, REC_SCHEDULE_INFO, V1);
    rec_str(b, i->site);
    rec_str(b, i->date);
    rec_str(b, i->batch_id);
    rec_u64(b, (uint64_t)i->generated_at);
    rec_u64(b, (uint64_t)i->appointments);
    rec_u64(b, (uint64_t)i->sessions);
}

bool rec_decode_schedule_info(const void *data, size_t len, struct schedule_info *i)
{
    struct rec_reader r;
    memset(i, 0, sizeof *i);
    rec_open(&r, data, len, REC_SCHEDULE_INFO, V1);
    GET_STR(&r, i->site);
    GET_STR(&r, i->date);
    GET_STR(&r, i->batch_id);
    i->generated_at = (time_t)rec_get_u64(&r);
    i->appointments = (size_t)rec_get_u64(&r);
    i->sessions = (size_t)rec_get_u64(&r);
    return rec_close(&r);
}

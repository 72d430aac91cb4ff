/*
 * batch_internal.h — what the readers of batch kinds share (batch_parse.c,
 * batch_jobnet.c): the parser's state, refusals with file:line:col, and the
 * common job rules (batch_take_job) every reader of job data hands its jobs
 * to, so that messy data is cleaned and bad jobs are skipped the same way
 * whatever the format. The table of batch kinds is in batch_kinds.c.
 */
#ifndef SKRANKE_BATCH_INTERNAL_H
#define SKRANKE_BATCH_INTERNAL_H

#include "batch.h"
#include "json.h"

/* What happened to the jobs of a batch so far. */
struct batch_jobs_count {
    size_t seen, taken, skipped;
};

struct idset {
    uint32_t *slots; /* 1 + offset into keys, 0 = empty */
    uint32_t *first;
    size_t cap, n;
    struct buf keys;
};

/* One translation of a record's text, read by read_object: the field's
 * index in its spec table, the language's in store_langs, the text in the
 * arena. */
struct tr_val {
    size_t field;
    int lang;
    size_t off;
    int line, col;
};

#define TR_MAX (2 * (STORE_LANGS - 1)) /* two translatable fields a record */

struct parser {
    const struct batch_input *in;
    const struct batch_sink *sink;
    struct json_reader *r;
    struct buf *err;
    struct batch_header h;
    struct buf arena;
    struct idset ids, ids2;
    struct tr_val tr[TR_MAX]; /* of the record being read */
    size_t n_tr;
    bool obj_end;    /* read_object reached the record's '}' */
    struct buf first_skip; /* the first skipped job's report line */
    struct batch_jobs_count jobs; /* jobs seen, taken, skipped */
};

enum field_kind {
    F_LINE, F_TEXT, F_NAME, F_DATE, F_TIME, F_URL, F_CODE, F_ID, F_LANG, F_HOURS, F_KIND
};

struct field_spec {
    const char *name;
    bool required;
    enum field_kind kind;
    size_t max;        /* characters for texts, bytes for ids and urls */
    bool translatable; /* schedule/2: text or an object of language → text */
};

struct field_val {
    bool present;
    size_t off;
    int line, col;
};


int batch_refuse(struct parser *p, int line, int col, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Refuses with the reader's syntax error. */
int batch_syntax(struct parser *p);
/* Opens p->r and reads the top-level '{'; a refusal naming what the file
 * should be ("a batch") otherwise. */
int batch_open_object(struct parser *p, const char *what);
/* (Re)opens p->r on p->in from its start. */
bool batch_open_reader(struct parser *p);

void batch_parser_init(struct parser *p, const struct batch_input *in,
                       const struct batch_sink *sink, struct buf *err);
void batch_parser_free(struct parser *p);

/* The fields of a job, in the order of skranke.jobs/1. */
enum {
    J_ID, J_TITLE, J_EMPLOYER, J_CITY, J_CATEGORY, J_POSTCODE, J_HOURS, J_KIND, J_POSTED,
    J_DEADLINE, J_SUMMARY, J_URL, J_LANGUAGE, J_N
};

/* The common job rules: cleans v (texts in p->arena; see README "Messy is
 * not invalid"), checks them, drops a repeated id, and hands a good job to
 * the sink. A job that breaks a rule is reported through sink->skip and
 * counted; only a failing sink stops (non-zero). names[J_*] name the fields
 * in messages (the source's own names), NULL for the skranke.jobs/1 names;
 * path names the record ("jobs[3]"). */
int batch_take_job(struct parser *p, const char *path, int line, int col, struct field_val *v,
                   const char *const *names);
/* Reports the refusal in p->err as a skipped job (p->err is cleared). */
void batch_skip_job(struct parser *p);
/* After the last job: STORE_EINVAL when more than 10 % were skipped. */
int batch_jobs_check_share(struct parser *p);

#endif

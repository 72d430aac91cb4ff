/*
 * fuzz_batch.h — what the job and schedule fuzz targets share: a batch_parse()
 * sink that checks every record it is handed against FORMATS.md sections 1
 * and 2, and a driver that parses the same bytes twice, from memory and
 * through a FILE, and insists that both give the same answer.
 *
 * A broken invariant prints one line and aborts, which libFuzzer reports as
 * a crash with the input that caused it.
 */
#ifndef SKRANKE_FUZZ_BATCH_H
#define SKRANKE_FUZZ_BATCH_H

#define _GNU_SOURCE
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz invariant broken: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

#define FUZZ_ASSERT(cond, ...)                                                                    \
    do {                                                                                          \
        if (!(cond))                                                                              \
            fuzz_fail(__VA_ARGS__);                                                               \
    } while (0)

/* What the sink saw during one parse. */
struct fuzz_seen {
    int begun, ended;
    enum batch_kind kind;
    uint32_t jobs, appointments, sessions, skipped;
    char **ids; /* job ids, appointment codes, session ids: no two alike */
    size_t n_ids, cap_ids;
};

static void seen_free(struct fuzz_seen *s)
{
    for (size_t i = 0; i < s->n_ids; i++)
        free(s->ids[i]);
    free(s->ids);
    memset(s, 0, sizeof *s);
}

/* Remembers "<tag>:<id>" and fails when it was seen before in this batch
 * (quadratic, fine for the input sizes a fuzzer makes). */
static void seen_unique(struct fuzz_seen *s, char tag, const char *id)
{
    for (size_t i = 0; i < s->n_ids; i++)
        FUZZ_ASSERT(!(s->ids[i][0] == tag && strcmp(s->ids[i] + 1, id) == 0),
                    "duplicate id \"%s\" reached the sink", id);
    if (s->n_ids == s->cap_ids) {
        s->cap_ids = s->cap_ids ? s->cap_ids * 2 : 16;
        s->ids = realloc(s->ids, s->cap_ids * sizeof *s->ids);
        FUZZ_ASSERT(s->ids, "out of memory");
    }
    size_t n = strlen(id);
    char *copy = malloc(n + 2);
    FUZZ_ASSERT(copy, "out of memory");
    copy[0] = tag;
    memcpy(copy + 1, id, n + 1);
    s->ids[s->n_ids++] = copy;
}

/* A text field: never NULL, valid UTF-8, at most max characters (0: no
 * limit) and bytes bytes (0: no limit), no control characters except the
 * line breaks and tabs that multi-line texts may hold. */
static void check_text(const char *what, const char *s, size_t max_chars, size_t max_bytes,
                       bool required, bool multiline)
{
    FUZZ_ASSERT(s, "%s is NULL", what);
    size_t n = strlen(s);
    FUZZ_ASSERT(utf8_valid(s, n), "%s is not valid UTF-8", what);
    if (max_chars)
        FUZZ_ASSERT(utf8_count(s, n) <= max_chars, "%s has %zu characters, more than %zu", what,
                    utf8_count(s, n), max_chars);
    if (max_bytes)
        FUZZ_ASSERT(n <= max_bytes, "%s has %zu bytes, more than %zu", what, n, max_bytes);
    if (required)
        FUZZ_ASSERT(strspn(s, " ") < n, "required %s is empty", what);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        FUZZ_ASSERT(*p >= 0x20 && *p != 0x7F ? true
                    : multiline                ? (*p == '\n' || *p == '\t' || *p == '\r')
                                               : false,
                    "%s holds control character 0x%02x", what, *p);
}

static void check_date(const char *what, const char *s, bool required)
{
    int y, m, d;
    FUZZ_ASSERT(s, "%s is NULL", what);
    if (!required && !*s)
        return;
    FUZZ_ASSERT(parse_date(s, &y, &m, &d), "%s \"%s\" is not a date", what, s);
}

static void check_time(const char *what, const char *s, bool required)
{
    int h, m;
    if (!required && !*s)
        return;
    FUZZ_ASSERT(parse_hhmm(s, &h, &m), "%s \"%s\" is not a time", what, s);
}

static void check_code(const char *what, const char *s)
{
    FUZZ_ASSERT(strlen(s) == 6, "%s \"%s\" is not 6 characters", what, s);
    FUZZ_ASSERT(strspn(s, "23456789ABCDEFGHJKMNPQRSTUVWXYZ") == 6,
                "%s \"%s\" is not upper case in the code alphabet", what, s);
}

static int sink_begin(void *ctx, const struct batch_header *h, struct buf *err)
{
    (void)err;
    struct fuzz_seen *s = ctx;
    FUZZ_ASSERT(!s->begun, "begin called twice");
    s->begun = 1;
    s->kind = h->kind;
    FUZZ_ASSERT(h->kind == BATCH_JOBS || h->kind == BATCH_SCHEDULE, "kind %d", (int)h->kind);
    if (!h->generated_at) /* the header comes whole with sink_header (Jobnet) */
        return 0;
    check_text("batch_id", h->batch_id, 0, 128, true, false);
    FUZZ_ASSERT(h->batch_id[0], "empty batch_id");
    check_text("source", h->source, 0, STORE_TEXT_MAX, false, false);
    if (h->kind == BATCH_SCHEDULE) {
        size_t n = strlen(h->site);
        FUZZ_ASSERT(n > 0 && n <= STORE_SITE_MAX, "site \"%s\"", h->site);
        FUZZ_ASSERT(strspn(h->site, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789-_.") == n,
                    "site \"%s\" has characters a site id may not", h->site);
        check_date("date", h->date, true);
    }
    return 0;
}

static int sink_job(void *ctx, const struct job *j, struct buf *err)
{
    (void)err;
    struct fuzz_seen *s = ctx;
    FUZZ_ASSERT(s->begun && !s->ended, "job outside begin/end");
    FUZZ_ASSERT(s->kind == BATCH_JOBS, "job in a schedule batch");
    FUZZ_ASSERT(j->index == s->jobs, "job index %u, expected %u", j->index, s->jobs);
    FUZZ_ASSERT(j->index < BATCH_JOBS_MAX, "job index %u past the limit", j->index);
    s->jobs++;
    check_text("job.id", j->id, 0, 64, false, false);
    FUZZ_ASSERT(j->id[0], "job.id is empty");
    check_text("job.title", j->title, 300, 0, true, false);
    check_text("job.employer", j->employer, 200, 0, true, false);
    check_text("job.city", j->city, 100, 0, true, false);
    check_text("job.category", j->category, 100, 0, true, false);
    check_text("job.postcode", j->postcode, 16, 0, false, false);
    check_text("job.summary", j->summary, 8000, 0, false, true);
    check_text("job.url", j->url, 0, 2000, false, false);
    if (*j->url)
        FUZZ_ASSERT(strncmp(j->url, "https://", 8) == 0 || strncmp(j->url, "http://", 7) == 0,
                    "job.url \"%s\"", j->url);
    FUZZ_ASSERT(!strpbrk(j->url, " "), "job.url holds a space");
    check_text("job.language", j->language, 0, 35, false, false);
    check_date("job.posted", j->posted, false);
    check_date("job.deadline", j->deadline, false);
    FUZZ_ASSERT(j->hours <= JOB_HOURS_FLEXIBLE, "hours %d", (int)j->hours);
    FUZZ_ASSERT(j->kind <= JOB_KIND_STUDENT, "kind %d", (int)j->kind);
    seen_unique(s, 'j', j->id);
    return 0;
}

static int sink_appointment(void *ctx, const struct appointment *a, struct buf *err)
{
    (void)err;
    struct fuzz_seen *s = ctx;
    FUZZ_ASSERT(s->begun && !s->ended, "appointment outside begin/end");
    FUZZ_ASSERT(s->kind == BATCH_SCHEDULE, "appointment in a jobs batch");
    FUZZ_ASSERT(s->appointments < BATCH_APPOINTMENTS_MAX, "too many appointments");
    s->appointments++;
    check_code("appointment.code", a->code);
    check_time("appointment.time", a->time, true);
    check_text("appointment.unit", a->unit, 100, STORE_TEXT_MAX, false, false);
    check_text("appointment.place", a->place, 100, STORE_TEXT_MAX, false, false);
    check_text("appointment.host", a->host, 60, STORE_TEXT_MAX, false, false);
    check_text("appointment.site", a->site, 0, STORE_SITE_MAX, true, false);
    check_date("appointment.date", a->date, true);
    seen_unique(s, 'a', a->code);
    return 0;
}

static int sink_session(void *ctx, const struct session *x, struct buf *err)
{
    (void)err;
    struct fuzz_seen *s = ctx;
    FUZZ_ASSERT(s->begun && !s->ended, "session outside begin/end");
    FUZZ_ASSERT(s->kind == BATCH_SCHEDULE, "session in a jobs batch");
    FUZZ_ASSERT(s->sessions < BATCH_SESSIONS_MAX, "too many sessions");
    s->sessions++;
    size_t n = strlen(x->id);
    FUZZ_ASSERT(n > 0 && n <= 64, "session.id \"%s\"", x->id);
    FUZZ_ASSERT(strspn(x->id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              "0123456789-_.") == n,
                "session.id \"%s\" has characters an id may not", x->id);
    check_text("session.title", x->title, 100, STORE_TEXT_MAX, true, false);
    check_text("session.place", x->place, 100, STORE_TEXT_MAX, false, false);
    check_time("session.start", x->start, true);
    check_time("session.end", x->end, false);
    if (*x->end)
        FUZZ_ASSERT(strcmp(x->end, x->start) > 0, "session ends %s before it starts %s",
                    x->end, x->start);
    FUZZ_ASSERT(x->n_participants <= STORE_PARTICIPANTS_MAX, "%zu participants",
                x->n_participants);
    for (size_t i = 0; i < x->n_participants; i++) {
        check_code("session.participant", x->participants[i]);
        if (i)
            FUZZ_ASSERT(strcmp(x->participants[i - 1], x->participants[i]) < 0,
                        "participants not sorted and unique");
    }
    seen_unique(s, 's', x->id);
    return 0;
}

/* A skipped job's report: one line of valid UTF-8 naming the file. */
static void sink_skip(void *ctx, const char *line)
{
    struct fuzz_seen *s = ctx;
    FUZZ_ASSERT(s->begun && !s->ended, "skip outside begin/end");
    FUZZ_ASSERT(s->kind == BATCH_JOBS, "a skipped job in a schedule batch");
    FUZZ_ASSERT(*line && !strchr(line, '\n'), "skip report not one line: %s", line);
    FUZZ_ASSERT(utf8_valid(line, strlen(line)), "skip report not valid UTF-8: %s", line);
    FUZZ_ASSERT(strncmp(line, "fuzz.json:", 10) == 0, "skip report without the file: %s", line);
    s->skipped++;
}

static int sink_header(void *ctx, const struct batch_header *h, struct buf *err)
{
    (void)err;
    struct fuzz_seen *s = ctx;
    FUZZ_ASSERT(s->begun && !s->ended, "header outside begin/end");
    FUZZ_ASSERT(h->generated_at, "a late header without a time");
    check_text("batch_id", h->batch_id, 0, 128, true, false);
    return 0;
}

static int sink_end(void *ctx, struct buf *err)
{
    (void)err;
    struct fuzz_seen *s = ctx;
    FUZZ_ASSERT(s->begun && !s->ended, "end without begin, or twice");
    s->ended = 1;
    return 0;
}

/* Parses one input; returns the result code and leaves the message in err. */
static int fuzz_parse(const struct batch_input *in, struct fuzz_seen *seen, struct buf *err)
{
    struct batch_sink sink = {sink_begin, sink_job, sink_appointment, sink_session, sink_end,
                              seen, sink_skip, sink_header};
    memset(seen, 0, sizeof *seen);
    /* Through the table of batch kinds, as the importer goes. */
    const struct batch_kind_def *kind = batch_recognise(in);
    FUZZ_ASSERT(kind, "no kind for an input");
    int rc = kind->parse(in, 1, &sink, err);
    if (rc == 0) {
        FUZZ_ASSERT(seen->begun && seen->ended, "accepted without begin and end");
        FUZZ_ASSERT(seen->skipped * 10 <= seen->jobs + seen->skipped,
                    "accepted with %u of %u jobs skipped", seen->skipped,
                    seen->jobs + seen->skipped);
        FUZZ_ASSERT(err->len == 0, "accepted with a message: %s", err->data);
    } else {
        FUZZ_ASSERT(rc == STORE_EINVAL, "refused with code %d", rc);
        FUZZ_ASSERT(!seen->ended, "refused after end");
        FUZZ_ASSERT(err->len > 0, "refused without a message");
        FUZZ_ASSERT(strlen(err->data) == err->len, "message holds a NUL");
        FUZZ_ASSERT(!strchr(err->data, '\n'), "message is more than one line: %s", err->data);
        FUZZ_ASSERT(strncmp(err->data, in->name, strlen(in->name)) == 0 &&
                        err->data[strlen(in->name)] == ':',
                    "message does not start with the file name: %s", err->data);
        FUZZ_ASSERT(utf8_valid(err->data, err->len), "message is not valid UTF-8: %s",
                    err->data);
    }
    return rc;
}

/* The whole check for one fuzz input: in memory, then as a file. */
static void fuzz_batch_one(const uint8_t *data, size_t size)
{
    struct buf err_mem, err_file;
    buf_init(&err_mem);
    buf_init(&err_file);
    struct fuzz_seen mem, file;

    struct batch_input in = {.name = "fuzz.json", .data = (const char *)data, .len = size};
    int rc_mem = fuzz_parse(&in, &mem, &err_mem);

    /* fmemopen cannot open an empty buffer on every libc; a zero-length
     * file is what tmpfile() gives. */
    FILE *f = size ? fmemopen((void *)data, size, "rb") : tmpfile();
    FUZZ_ASSERT(f, "cannot open the input as a FILE");
    struct batch_input fin = {.name = "fuzz.json", .f = f};
    int rc_file = fuzz_parse(&fin, &file, &err_file);
    fclose(f);

    FUZZ_ASSERT(rc_mem == rc_file, "memory gives %d, file gives %d", rc_mem, rc_file);
    FUZZ_ASSERT(strcmp(err_mem.data ? err_mem.data : "", err_file.data ? err_file.data : "") == 0,
                "memory says \"%s\", file says \"%s\"", err_mem.data ? err_mem.data : "",
                err_file.data ? err_file.data : "");
    FUZZ_ASSERT(mem.jobs == file.jobs && mem.appointments == file.appointments &&
                    mem.sessions == file.sessions && mem.skipped == file.skipped,
                "memory and file saw different records");
    seen_free(&mem);
    seen_free(&file);
    buf_free(&err_mem);
    buf_free(&err_file);
}

#endif

/*
 * batch_import.c — the store's side of an import: a sink for batch_parse()
 * that writes into one LMDB write transaction. The transaction commits only
 * after the whole file parsed and validated; any refusal aborts it, so the
 * store is exactly as it was. A full map makes store_write() grow the map and
 * run the whole import again from the start.
 */
#define _GNU_SOURCE
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minisign.h"
#include "record.h"
#include "store_internal.h"

struct import_ctx {
    struct store *s;
    MDB_txn *txn;
    const char *path; /* the first file, for messages */
    struct batch_input *in;
    size_t n_in;
    const struct batch_kind_def *kind;
    struct buf *skips;
    struct import_result *res;
    struct buf *err;
    struct buf rec, key;
    time_t now;
    bool accept_older;
};

/* The file where generated_at stands (a Jobnet page's newest posting). */
#define GEN_FILE(h) ((h)->generated_file ? (h)->generated_file : c->path)

static int fail_lmdb(struct import_ctx *c, int rc)
{
    /* MDB_MAP_FULL must reach store_write() unchanged so that it can grow. */
    if (rc != MDB_MAP_FULL) {
        buf_clear(c->err);
        buf_printf(c->err, "%s: the kiosk's storage failed: %s", c->path, mdb_strerror(rc));
    }
    return rc;
}

/* A batch older than the loaded one: refused, unless the caller asked to
 * go back to it (res->older tells either way). */
static int older(struct import_ctx *c, time_t loaded, const char *what)
{
    c->res->older = true;
    if (c->accept_older)
        return 0;
    char a[21], b[21];
    clock_rfc3339(c->res->header.generated_at, a);
    clock_rfc3339(loaded, b);
    buf_clear(c->err);
    buf_printf(c->err,
               "%s:%d:%d: generated_at: this batch (%s) is older than the %s already loaded "
               "(%s); nothing was changed (to go back to it anyway: skranke-admin import "
               "--accept-older)",
               GEN_FILE(&c->res->header), c->res->header.generated_line, c->res->header.generated_col, a, what, b);
    return STORE_EINVAL;
}

/* The checks that need the kiosk: its clock and its site. A batch from
 * more than a day in the future would lock out every later one; a
 * schedule for another site or a day already past is never shown. */
static int acceptable(struct import_ctx *c, const struct batch_header *h)
{
    char when[21], clock[21], today[11];
    buf_clear(c->err);
    if (h->generated_at > c->now + BATCH_FUTURE_MAX_S) {
        clock_rfc3339(h->generated_at, when);
        clock_rfc3339(c->now, clock);
        buf_printf(c->err,
                   "%s:%d:%d: generated_at: %s is more than 24 hours after this kiosk's clock "
                   "(%s); check the clock of the kiosk or of the system that made the batch; "
                   "nothing was changed",
                   GEN_FILE(h), h->generated_line, h->generated_col, when, clock);
        return STORE_EINVAL;
    }
    if (h->kind != BATCH_SCHEDULE)
        return 0;
    struct buf site;
    buf_init(&site);
    int rc = store_config_get_txn(c->s, c->txn, "site", &site);
    if (rc == 0 && strcmp(site.data, h->site) != 0) {
        buf_printf(c->err,
                   "%s:%d:%d: site: this schedule is for site %s, but this kiosk is %s (the "
                   "setting `site`); nothing was changed",
                   c->path, h->site_line, h->site_col, h->site, site.data);
        rc = STORE_EINVAL;
    }
    buf_free(&site);
    if (rc)
        return rc == STORE_EINVAL ? rc : fail_lmdb(c, rc);
    clock_date(c->now, today);
    if (strcmp(h->date, today) < 0) {
        buf_printf(c->err,
                   "%s:%d:%d: date: this schedule is for %s, a day already past (today is %s); "
                   "nothing was changed",
                   c->path, h->date_line, h->date_col, h->date, today);
        return STORE_EINVAL;
    }
    return 0;
}

/* The checks of a job batch's generated_at: not in the future, not older
 * than the loaded batch. */
static int check_jobs_time(struct import_ctx *c, const struct batch_header *h)
{
    MDB_val v;
    int rc = acceptable(c, h);
    if (rc)
        return rc;
    rc = store_get_str(c->txn, c->s->dbi[DB_META], "jobs", &v);
    struct jobs_info info;
    if (rc == 0 && rec_decode_jobs_info(v.mv_data, v.mv_size, &info) &&
        h->generated_at < info.generated_at && older(c, info.generated_at, "job openings"))
        return STORE_EINVAL;
    return rc && rc != MDB_NOTFOUND ? fail_lmdb(c, rc) : 0;
}

/* The header known only after the records (a Jobnet batch's time). */
static int sink_header(void *vctx, const struct batch_header *h, struct buf *err)
{
    (void)err;
    struct import_ctx *c = vctx;
    c->res->header = *h;
    return check_jobs_time(c, h);
}

static int sink_begin(void *vctx, const struct batch_header *h, struct buf *err)
{
    (void)err;
    struct import_ctx *c = vctx;
    struct store *s = c->s;
    c->res->header = *h;
    MDB_val v;
    int rc;
    if (h->kind == BATCH_JOBS) {
        /* generated_at 0: it comes with sink_header, checked there. */
        if (h->generated_at && (rc = check_jobs_time(c, h)))
            return rc;
        rc = mdb_drop(c->txn, s->dbi[DB_JOBS], 0);
        store_trim(s);
        return rc ? fail_lmdb(c, rc) : 0;
    }
    if ((rc = acceptable(c, h)))
        return rc;
    buf_clear(&c->key);
    buf_puts(&c->key, "sched");
    buf_putc(&c->key, '\0');
    buf_put(&c->key, h->site, strlen(h->site) + 1);
    buf_puts(&c->key, h->date);
    MDB_val k = {c->key.len, c->key.data};
    rc = mdb_get(c->txn, s->dbi[DB_META], &k, &v);
    struct schedule_info info;
    if (rc == 0 && rec_decode_schedule_info(v.mv_data, v.mv_size, &info) &&
        h->generated_at < info.generated_at &&
        older(c, info.generated_at, "schedule for this site and day"))
        return STORE_EINVAL;
    if (rc && rc != MDB_NOTFOUND)
        return fail_lmdb(c, rc);
    buf_clear(&c->key);
    buf_put(&c->key, h->site, strlen(h->site) + 1);
    buf_put(&c->key, h->date, strlen(h->date) + 1);
    rc = store_delete_prefix(c->txn, s->dbi[DB_APPOINTMENTS], c->key.data, c->key.len);
    if (!rc)
        rc = store_delete_prefix(c->txn, s->dbi[DB_SESSIONS], c->key.data, c->key.len);
    return rc ? fail_lmdb(c, rc) : 0;
}

static int sink_job(void *vctx, const struct job *j, struct buf *err)
{
    (void)err;
    struct import_ctx *c = vctx;
    unsigned char key[4] = {(unsigned char)(j->index >> 24), (unsigned char)(j->index >> 16),
                            (unsigned char)(j->index >> 8), (unsigned char)j->index};
    rec_encode_job(&c->rec, j);
    MDB_val k = {4, key}, v = {c->rec.len, c->rec.data};
    /* Keys arrive in increasing order: append without searching. */
    int rc = mdb_put(c->txn, c->s->dbi[DB_JOBS], &k, &v, MDB_APPEND);
    if (rc)
        return fail_lmdb(c, rc);
    /* Pages of the old set read while replacing it need not stay in memory. */
    if (++c->res->jobs % 20000 == 0)
        store_trim(c->s);
    return 0;
}

static int sink_appointment(void *vctx, const struct appointment *a, struct buf *err)
{
    (void)err;
    struct import_ctx *c = vctx;
    store_key3(&c->key, a->site, a->date, a->code);
    rec_encode_appointment(&c->rec, a);
    MDB_val k = {c->key.len, c->key.data}, v = {c->rec.len, c->rec.data};
    int rc = mdb_put(c->txn, c->s->dbi[DB_APPOINTMENTS], &k, &v, 0);
    if (rc)
        return fail_lmdb(c, rc);
    c->res->appointments++;
    return 0;
}

static int sink_session(void *vctx, const struct session *x, struct buf *err)
{
    (void)err;
    struct import_ctx *c = vctx;
    store_key3(&c->key, x->site, x->date, x->id);
    rec_encode_session(&c->rec, x);
    MDB_val k = {c->key.len, c->key.data}, v = {c->rec.len, c->rec.data};
    int rc = mdb_put(c->txn, c->s->dbi[DB_SESSIONS], &k, &v, 0);
    if (rc)
        return fail_lmdb(c, rc);
    c->res->sessions++;
    return 0;
}

static int sink_end(void *vctx, struct buf *err)
{
    (void)err;
    struct import_ctx *c = vctx;
    const struct batch_header *h = &c->res->header;
    int rc;
    if (h->kind == BATCH_JOBS) {
        struct jobs_info info;
        memset(&info, 0, sizeof info);
        snprintf(info.batch_id, sizeof info.batch_id, "%s", h->batch_id);
        snprintf(info.source, sizeof info.source, "%s", h->source);
        info.generated_at = h->generated_at;
        info.imported_at = c->now;
        info.count = c->res->jobs;
        info.skipped = c->res->skipped;
        rec_encode_jobs_info(&c->rec, &info);
        rc = store_put_str(c->txn, c->s->dbi[DB_META], "jobs", c->rec.data, c->rec.len, 0);
    } else {
        struct schedule_info info;
        memset(&info, 0, sizeof info);
        snprintf(info.site, sizeof info.site, "%s", h->site);
        snprintf(info.date, sizeof info.date, "%s", h->date);
        snprintf(info.batch_id, sizeof info.batch_id, "%s", h->batch_id);
        info.generated_at = h->generated_at;
        info.appointments = c->res->appointments;
        info.sessions = c->res->sessions;
        rec_encode_schedule_info(&c->rec, &info);
        buf_clear(&c->key);
        buf_puts(&c->key, "sched");
        buf_putc(&c->key, '\0');
        buf_put(&c->key, h->site, strlen(h->site) + 1);
        buf_puts(&c->key, h->date);
        MDB_val k = {c->key.len, c->key.data}, v = {c->rec.len, c->rec.data};
        rc = mdb_put(c->txn, c->s->dbi[DB_META], &k, &v, 0);
    }
    return rc ? fail_lmdb(c, rc) : 0;
}

static void sink_skip(void *vctx, const char *line)
{
    struct import_ctx *c = vctx;
    c->res->skipped++;
    if (c->skips) {
        buf_puts(c->skips, line);
        buf_putc(c->skips, '\n');
    }
}

static int import_txn(struct store *s, MDB_txn *txn, void *vctx)
{
    struct import_ctx *c = vctx;
    (void)s;
    c->txn = txn;
    memset(c->res, 0, sizeof *c->res);
    c->res->kind = c->kind;
    if (c->skips)
        buf_clear(c->skips); /* a full map runs the import again */
    struct batch_sink sink = {sink_begin, sink_job, sink_appointment, sink_session, sink_end, c,
                              sink_skip, sink_header};
    return c->kind->parse(c->in, c->n_in, &sink, c->err);
}

int batch_import_file(struct store *s, const char *path, struct import_result *res,
                      struct buf *err)
{
    return batch_import_file_opts(s, path, NULL, res, err);
}

int batch_import_file_opts(struct store *s, const char *path, const struct batch_import_opts *opts,
                           struct import_result *res, struct buf *err)
{
    return batch_import_files(s, &path, 1, opts, res, err);
}

/* Opens one batch file for reading: not through a link, a regular file
 * within the size limit, and signed when trusted keys are set. NULL with
 * err set when refused (*rc says how). */
static FILE *open_batch(struct store *s, const char *path, struct buf *err, int *rc_out)
{
    *rc_out = STORE_EINVAL;
    /* Not through a link, not blocking on a FIFO or device, and bounded by
     * its size before a byte is read. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        buf_printf(err, "%s: cannot open: %s", path,
                   errno == ELOOP ? "a link, not a file; refused" : strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        buf_printf(err, "%s: not a regular file; refused", path);
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > BATCH_JOBS_MAX_BYTES) {
        buf_printf(err, "%s: too large (%llu MiB; a batch is at most %u MiB); refused", path,
                   (unsigned long long)(st.st_size >> 20), BATCH_JOBS_MAX_BYTES >> 20);
        close(fd);
        return NULL;
    }
    /* With trusted keys set, a batch must carry a good signature from one
     * of them, checked on this very descriptor before a byte is parsed. */
    struct buf keys;
    buf_init(&keys);
    int krc = store_config_get(s, "trusted_keys", &keys);
    if (krc == STORE_OK && keys.len) {
        struct minisign_key trusted[16];
        size_t n = minisign_parse_keys(keys.data, trusted, 16);
        struct buf sig, why;
        buf_init(&sig);
        buf_init(&why);
        buf_printf(&sig, "%s.minisig", path);
        int vrc = STORE_EINVAL;
        struct stat sst;
        if (fstatat(AT_FDCWD, sig.data, &sst, AT_SYMLINK_NOFOLLOW) != 0)
            buf_printf(err, "%s: not signed (no %s); this kiosk takes only batches signed with a "
                            "trusted key", path, sig.data);
        else if ((vrc = minisign_verify_fd(fd, sig.data, trusted, n, &why)) != 0)
            buf_printf(err, "%s: refused, the signature does not verify: %s", path, why.data);
        buf_free(&sig);
        buf_free(&why);
        if (vrc) {
            buf_free(&keys);
            close(fd);
            return NULL;
        }
    }
    buf_free(&keys);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        buf_printf(err, "%s: cannot read: %s", path, strerror(errno));
        *rc_out = STORE_EIO;
        return NULL;
    }
    *rc_out = 0;
    return f;
}

int batch_import_files(struct store *s, const char *const *paths, size_t n,
                       const struct batch_import_opts *opts, struct import_result *res,
                       struct buf *err)
{
    buf_clear(err);
    memset(res, 0, sizeof *res); /* a refusal before the parse says nothing "older" */
    if (n == 0)
        return STORE_EINVAL;
    struct batch_input *in = xcalloc(n, sizeof *in);
    int rc = 0;
    size_t opened = 0;
    const struct batch_kind_def *kind = NULL;
    for (; opened < n && !rc; opened++) {
        in[opened].name = paths[opened];
        if (!(in[opened].f = open_batch(s, paths[opened], err, &rc)))
            break;
        const struct batch_kind_def *k = batch_recognise(&in[opened]);
        if (!kind) {
            kind = k;
        } else if (k != kind || !kind->pages) {
            buf_printf(err,
                       "%s: cannot be imported together with %s as one batch (only the pages "
                       "of a Jobnet search can); refused",
                       paths[opened], paths[0]);
            rc = STORE_EINVAL;
        }
    }
    if (!rc) {
        struct import_ctx c = {.s = s, .path = paths[0], .in = in, .n_in = n, .kind = kind,
                               .skips = opts ? opts->skips : NULL, .res = res, .err = err,
                               .now = opts && opts->now ? opts->now : clock_now(),
                               .accept_older = opts && opts->accept_older};
        buf_init(&c.rec);
        buf_init(&c.key);
        size_t bytes = 0;
        for (size_t i = 0; i < n; i++) {
            struct stat st;
            if (fstat(fileno(in[i].f), &st) == 0)
                bytes += (size_t)st.st_size;
        }
        store_expect(s, bytes);
        rc = store_write(s, import_txn, &c);
        if (rc && !err->len)
            buf_printf(err, "%s: %s", paths[0], store_strerror(rc));
        buf_free(&c.rec);
        buf_free(&c.key);
    }
    for (size_t i = 0; i < n; i++)
        if (in[i].f)
            fclose(in[i].f);
    free(in);
    return rc;
}

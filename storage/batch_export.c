/*
 * batch_export.c — writes `skranke.export/1` batch directories and checks
 * them (FORMATS.md section 4).
 *
 * The order of writes is what makes a USB stick pulled at any moment
 * harmless:
 *   1. the attempt gets its own sequence number, logged durably first;
 *   2. every file is written under a hidden temporary directory and fsynced,
 *      the manifest last; then the temporary directory is fsynced;
 *   3. the directory is renamed to its final name and the parent fsynced;
 *   4. every file is read back from the medium (the page cache dropped
 *      first) and checked against the manifest's SHA-256;
 *   5. only then, in one durable transaction, are the records marked with
 *      the batch's seq and the log entry marked done.
 * A failure at any step leaves no record marked; the files of a failed
 * attempt are removed as far as the medium allows.
 *
 * Responses are listed in the order of their random ids, which reveals
 * nothing about when they were given; check-ins by date and time.
 */
#define _GNU_SOURCE
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "json.h"
#include "minisign.h"
#include "record.h"
#include "store_internal.h"

static const char *const file_names[] = {"responses.csv", "responses.jsonl", "checkins.csv",
                                         "manifest.json"};
enum { F_RCSV, F_RJSONL, F_CCSV, F_MANIFEST, F_COUNT };

#define RESPONSES_HEADER \
    "response_id;date;site;unit;language;empowerment;ressourcefokus;progression;vaerdighed\r\n"
#define CHECKINS_HEADER "checkin_id;date;time;site;kind;code;unit;session_id;ticket;result\r\n"

void csv_cell(struct buf *b, const char *s)
{
    if (!strpbrk(s, ";\"\r\n")) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

/* ---- a file written with a running SHA-256 ---- */

struct out {
    int fd;
    crypto_hash_sha256_state sha;
    uint64_t bytes;
    struct buf pending;
    int err; /* first errno */
};

static void out_flush(struct out *o)
{
    size_t off = 0;
    while (!o->err && off < o->pending.len) {
        ssize_t n = write(o->fd, o->pending.data + off, o->pending.len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            o->err = n < 0 ? errno : EIO;
        else
            off += (size_t)n;
    }
    buf_clear(&o->pending);
}

static void out_put(struct out *o, const struct buf *b)
{
    crypto_hash_sha256_update(&o->sha, (const unsigned char *)b->data, b->len);
    o->bytes += b->len;
    buf_put(&o->pending, b->data, b->len);
    if (o->pending.len >= 64 * 1024)
        out_flush(o);
}

static int out_open(struct out *o, int dirfd, const char *name)
{
    memset(o, 0, sizeof *o);
    buf_init(&o->pending);
    crypto_hash_sha256_init(&o->sha);
    o->fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    return o->fd < 0 ? errno : 0;
}

/* Flushes, fsyncs and closes; the digest goes to hex. Returns an errno. */
static int out_close(struct out *o, char hex[65])
{
    out_flush(o);
    if (!o->err && fsync(o->fd))
        o->err = errno;
    if (close(o->fd) && !o->err)
        o->err = errno;
    unsigned char digest[32];
    crypto_hash_sha256_final(&o->sha, digest);
    sodium_bin2hex(hex, 65, digest, 32);
    buf_free(&o->pending);
    return o->err;
}

/* ---- gathering the records ---- */

struct gather {
    uint32_t seq; /* 0: what waits for export; else that batch's records */
    struct out *out;
    struct buf line;
    char *ids;    /* response ids written, 37 bytes each */
    size_t n_ids, cap_ids, responses;
    struct checkin *checkins;
    size_t n_checkins, cap_checkins;
};

static void write_response(struct gather *g, const struct response *r)
{
    struct buf *l = &g->line;
    buf_clear(l);
    csv_cell(l, r->id);
    buf_putc(l, ';');
    csv_cell(l, r->date);
    buf_putc(l, ';');
    csv_cell(l, r->site);
    buf_putc(l, ';');
    csv_cell(l, r->unit);
    buf_putc(l, ';');
    csv_cell(l, r->language);
    for (int i = 0; i < STORE_QUESTIONS; i++) {
        buf_putc(l, ';');
        if (r->answers[i])
            buf_printf(l, "%u", r->answers[i]);
    }
    buf_puts(l, "\r\n");
    out_put(&g->out[F_RCSV], l);

    buf_clear(l);
    buf_puts(l, "{\"response_id\":");
    buf_put_json_string(l, r->id);
    buf_puts(l, ",\"date\":");
    buf_put_json_string(l, r->date);
    buf_puts(l, ",\"site\":");
    buf_put_json_string(l, r->site);
    buf_puts(l, ",\"unit\":");
    buf_put_json_string(l, r->unit);
    buf_puts(l, ",\"language\":");
    buf_put_json_string(l, r->language);
    for (int i = 0; i < STORE_QUESTIONS; i++) {
        buf_printf(l, ",\"%s\":", store_question_keys[i]);
        if (r->answers[i])
            buf_printf(l, "%u", r->answers[i]);
        else
            buf_puts(l, "null");
    }
    buf_puts(l, "}\n");
    out_put(&g->out[F_RJSONL], l);
    g->responses++;
}

static void keep_id(struct gather *g, const char *id)
{
    if (g->n_ids == g->cap_ids) {
        g->cap_ids = g->cap_ids ? g->cap_ids * 2 : 64;
        g->ids = xrealloc(g->ids, g->cap_ids * 37);
    }
    memcpy(g->ids + g->n_ids * 37, id, 37);
    g->n_ids++;
}

static void keep_checkin(struct gather *g, const struct checkin *c)
{
    if (g->n_checkins == g->cap_checkins) {
        g->cap_checkins = g->cap_checkins ? g->cap_checkins * 2 : 64;
        g->checkins = xrealloc(g->checkins, g->cap_checkins * sizeof *g->checkins);
    }
    g->checkins[g->n_checkins++] = *c;
}

static int gather_pending(struct store *s, MDB_txn *txn, void *vctx)
{
    struct gather *g = vctx;
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = mdb_cursor_open(txn, s->dbi[DB_PENDING], &cur);
    if (rc)
        return rc;
    while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
        const char *key = k.mv_data;
        MDB_val id = {k.mv_size - 1, (void *)(key + 1)}, rv;
        bool is_response = key[0] == 'r';
        rc = mdb_get(txn, s->dbi[is_response ? DB_RESPONSES : DB_CHECKINS], &id, &rv);
        if (rc)
            break;
        if (is_response) {
            struct response r;
            if (!rec_decode_response(rv.mv_data, rv.mv_size, &r)) {
                rc = STORE_ECORRUPT;
                break;
            }
            write_response(g, &r);
            keep_id(g, r.id);
        } else {
            struct checkin c;
            if (!rec_decode_checkin(rv.mv_data, rv.mv_size, &c)) {
                rc = STORE_ECORRUPT;
                break;
            }
            keep_checkin(g, &c);
        }
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static void gather_response_of_seq(const struct response *r, void *ctx)
{
    struct gather *g = ctx;
    if (r->exported_seq == g->seq)
        write_response(g, r);
}

static void gather_checkin_of_seq(const struct checkin *c, void *ctx)
{
    struct gather *g = ctx;
    if (c->exported_seq == g->seq)
        keep_checkin(g, c);
}

static int cmp_checkin(const void *a, const void *b)
{
    const struct checkin *x = a, *y = b;
    int d = strcmp(x->date, y->date);
    if (!d)
        d = strcmp(x->time, y->time);
    return d ? d : strcmp(x->id, y->id);
}

static void write_checkins(struct gather *g)
{
    if (g->n_checkins)
        qsort(g->checkins, g->n_checkins, sizeof *g->checkins, cmp_checkin);
    struct buf *l = &g->line;
    for (size_t i = 0; i < g->n_checkins; i++) {
        const struct checkin *c = &g->checkins[i];
        const char *cells[] = {c->id,   c->date, c->time,       c->site,   checkin_kind_name(c->kind),
                               c->code, c->unit, c->session_id, c->ticket, c->result};
        buf_clear(l);
        for (size_t j = 0; j < sizeof cells / sizeof *cells; j++) {
            if (j)
                buf_putc(l, ';');
            csv_cell(l, cells[j]);
        }
        buf_puts(l, "\r\n");
        out_put(&g->out[F_CCSV], l);
    }
}

/* ---- the attempt's log entry and the final marking ---- */

struct log_ctx {
    struct export_log *e;
    struct gather *g;
};

static void seq_key(uint32_t seq, unsigned char key[4])
{
    key[0] = (unsigned char)(seq >> 24);
    key[1] = (unsigned char)(seq >> 16);
    key[2] = (unsigned char)(seq >> 8);
    key[3] = (unsigned char)seq;
}

static int put_log(struct store *s, MDB_txn *txn, const struct export_log *e)
{
    unsigned char key[4];
    seq_key(e->seq, key);
    struct buf b;
    buf_init(&b);
    rec_encode_export(&b, e);
    MDB_val k = {4, key}, v = {b.len, b.data};
    int rc = mdb_put(txn, s->dbi[DB_EXPORTS], &k, &v, 0);
    buf_free(&b);
    return rc;
}

static int begin_attempt(struct store *s, MDB_txn *txn, void *vctx)
{
    struct log_ctx *c = vctx;
    uint32_t next = 1;
    int rc = store_meta_u32(s, txn, "export_next", &next);
    if (rc && rc != STORE_ENOTFOUND)
        return rc;
    if (rc == STORE_ENOTFOUND)
        next = 1;
    c->e->seq = next;
    if ((rc = store_meta_put_u32(s, txn, "export_next", next + 1)))
        return rc;
    return put_log(s, txn, c->e);
}

#define MARK_CHUNK 1000

struct mark_ctx {
    struct log_ctx *lc;
    size_t from, to; /* the records of this chunk (responses, then check-ins) */
    bool last;
};

/* Marks one chunk of records with the batch's seq and takes them off the
 * pending list. Chunks keep each transaction small, so a store at its
 * ceiling can still be exported (pages freed by one chunk serve the next). */
static int mark_chunk(struct store *s, MDB_txn *txn, void *vctx)
{
    struct mark_ctx *m = vctx;
    struct gather *g = m->lc->g;
    struct buf rec;
    buf_init(&rec);
    int rc = 0;
    char pkey[38];
    for (size_t i = m->from; i < m->to && !rc; i++) {
        bool is_response = i < g->n_ids;
        const char *id = is_response ? g->ids + i * 37 : g->checkins[i - g->n_ids].id;
        MDB_val k = {strlen(id), (void *)id}, v;
        MDB_dbi dbi = s->dbi[is_response ? DB_RESPONSES : DB_CHECKINS];
        if ((rc = mdb_get(txn, dbi, &k, &v)))
            break;
        if (is_response) {
            struct response r;
            if (!rec_decode_response(v.mv_data, v.mv_size, &r)) {
                rc = STORE_ECORRUPT;
                break;
            }
            r.exported_seq = m->lc->e->seq;
            rec_encode_response(&rec, &r);
        } else {
            struct checkin ch;
            if (!rec_decode_checkin(v.mv_data, v.mv_size, &ch)) {
                rc = STORE_ECORRUPT;
                break;
            }
            ch.exported_seq = m->lc->e->seq;
            rec_encode_checkin(&rec, &ch);
        }
        MDB_val nv = {rec.len, rec.data};
        if ((rc = mdb_put(txn, dbi, &k, &nv, 0)))
            break;
        pkey[0] = is_response ? 'r' : 'c';
        memcpy(pkey + 1, id, 37);
        MDB_val pk = {strlen(pkey), pkey};
        rc = mdb_del(txn, s->dbi[DB_PENDING], &pk, NULL);
    }
    buf_free(&rec);
    if (!rc) {
        struct export_log e = *m->lc->e;
        e.done = m->last;
        e.marking = !m->last;
        rc = put_log(s, txn, &e);
    }
    return rc;
}

static int mark_exported(struct store *s, struct log_ctx *lc, struct buf *err)
{
    size_t total = lc->g->n_ids + lc->g->n_checkins, chunk = MARK_CHUNK;
    for (size_t from = 0;;) {
        size_t to = from + chunk < total ? from + chunk : total;
        struct mark_ctx m = {lc, from, to, to == total};
        int rc = store_write_reserve(s, mark_chunk, &m);
        if (rc == STORE_EFULL && chunk > 1) {
            chunk /= 2; /* a nearly full store: smaller steps fit */
            continue;
        }
        if (rc) {
            buf_printf(err,
                       "the batch is on the medium and verified, but only %zu of its %zu records "
                       "could be marked as exported (%s); the others go out again in the next "
                       "batch",
                       from, total, store_strerror(rc));
            return rc;
        }
        if (to == total)
            return 0;
        from = to;
    }
}

/* ---- files on the medium ---- */

static void remove_batch_dir(const char *dir)
{
    for (int i = 0; i < F_COUNT; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, file_names[i]);
        unlink(path);
    }
    char sig[4200];
    snprintf(sig, sizeof sig, "%s/manifest.json.minisig", dir);
    unlink(sig);
    rmdir(dir);
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int rc = fsync(fd) ? errno : 0;
    close(fd);
    return rc;
}

static void manifest_json(struct buf *m, const char *site, const char *kiosk,
                          const struct export_log *e, size_t responses, size_t checkins,
                          const uint64_t bytes[], char hex[][65])
{
    char created[21];
    clock_rfc3339(e->created_at, created);
    buf_clear(m);
    buf_puts(m, "{\"format\":\"skranke.export/1\",\"site\":");
    buf_put_json_string(m, site);
    buf_puts(m, ",\"kiosk\":");
    buf_put_json_string(m, kiosk);
    buf_printf(m, ",\"seq\":%u,\"created_at\":\"%s\"", e->seq, created);
    buf_printf(m, ",\"counts\":{\"responses\":%zu,\"checkins\":%zu},\"files\":[", responses,
               checkins);
    for (int i = 0; i < F_MANIFEST; i++)
        buf_printf(m, "%s{\"name\":\"%s\",\"bytes\":%llu,\"sha256\":\"%s\"}", i ? "," : "",
                   file_names[i], (unsigned long long)bytes[i], hex[i]);
    buf_puts(m, "]}\n");
}

int batch_export(struct store *s, const char *outdir, uint32_t seq, struct export_result *res,
                 struct buf *err)
{
    memset(res, 0, sizeof *res);
    buf_clear(err);
    struct buf site, kiosk, tmp, m;
    buf_init(&site);
    buf_init(&kiosk);
    buf_init(&tmp);
    buf_init(&m);
    struct out out[F_COUNT];
    struct gather g = {.seq = seq, .out = out};
    buf_init(&g.line);
    struct export_log e = {0};
    struct log_ctx lc = {&e, &g};
    int dirfd = -1, rc;
    bool wrote = false, renamed = false;
    char hex[F_COUNT][65];
    uint64_t bytes[F_COUNT] = {0};

    char *outdir_copy = xstrdup(outdir);
    for (size_t n = strlen(outdir_copy); n > 1 && outdir_copy[n - 1] == '/'; n--)
        outdir_copy[n - 1] = '\0';
    outdir = outdir_copy;
    struct stat st;
    if (stat(outdir, &st) || !S_ISDIR(st.st_mode)) {
        buf_printf(err, "%s: the target folder does not exist", outdir);
        rc = STORE_EINVAL;
        goto fail;
    }
    if ((rc = store_config_get(s, "site", &site)) || (rc = store_config_get(s, "kiosk", &kiosk)))
        goto fail;
    if (seq) {
        rc = store_get_export(s, seq, &e);
        if (rc == STORE_ENOTFOUND || (!rc && !e.done && !e.marking)) {
            buf_printf(err, "batch %u was never exported; nothing to export again", seq);
            rc = STORE_EINVAL;
            goto fail;
        }
        if (rc)
            goto fail;
    } else {
        e.created_at = clock_now();
        if ((rc = store_write_reserve(s, begin_attempt, &lc)))
            goto fail;
    }
    res->seq = e.seq;
    snprintf(res->dir, sizeof res->dir, "%s/skranke-%s-%s-%06u", outdir, site.data, kiosk.data,
             e.seq);
    buf_printf(&tmp, "%s/.skranke-%s-%s-%06u.tmp", outdir, site.data, kiosk.data, e.seq);
    if (lstat(res->dir, &st) == 0) {
        buf_printf(err, "%s already exists; export to another folder or remove it", res->dir);
        rc = STORE_EEXIST;
        goto fail;
    }
    remove_batch_dir(tmp.data); /* left by an attempt that died */
    if (mkdir(tmp.data, 0755)) {
        buf_printf(err, "%s: cannot create: %s", tmp.data, strerror(errno));
        rc = STORE_EIO;
        goto fail;
    }
    wrote = true;
    dirfd = open(tmp.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (int i = 0; i < F_MANIFEST; i++) {
        if (dirfd < 0 || (rc = out_open(&out[i], dirfd, file_names[i]))) {
            buf_printf(err, "%s/%s: cannot create: %s", tmp.data, file_names[i],
                       strerror(dirfd < 0 ? errno : rc));
            for (int j = 0; j < i; j++)
                out_close(&out[j], hex[j]);
            rc = STORE_EIO;
            goto fail;
        }
    }
    struct buf header;
    buf_init(&header);
    buf_puts(&header, "\xEF\xBB\xBF" RESPONSES_HEADER);
    out_put(&out[F_RCSV], &header);
    buf_clear(&header);
    buf_puts(&header, "\xEF\xBB\xBF" CHECKINS_HEADER);
    out_put(&out[F_CCSV], &header);
    buf_free(&header);

    if (seq) {
        rc = store_foreach_response(s, gather_response_of_seq, &g);
        if (!rc)
            rc = store_foreach_checkin(s, gather_checkin_of_seq, &g);
        if (!rc && e.done && (g.responses != e.responses || g.n_checkins != e.checkins)) {
            buf_printf(err,
                       "batch %u held %u responses and %u check-ins, but only %zu and %zu are "
                       "still on the kiosk (the rest were purged after their retention period)",
                       seq, e.responses, e.checkins, g.responses, g.n_checkins);
            rc = STORE_EINVAL;
        }
    } else {
        rc = store_read(s, gather_pending, &g);
    }
    if (!rc)
        write_checkins(&g);
    int io = 0;
    for (int i = 0; i < F_MANIFEST; i++) {
        int r = out_close(&out[i], hex[i]);
        bytes[i] = out[i].bytes;
        if (r && !io) {
            io = r;
            buf_printf(err, "%s/%s: %s", tmp.data, file_names[i], strerror(r));
        }
    }
    if (rc)
        goto fail;
    if (io) {
        rc = STORE_EIO;
        goto fail;
    }
    res->responses = g.responses;
    res->checkins = g.n_checkins;
    e.responses = (uint32_t)g.responses;
    e.checkins = (uint32_t)g.n_checkins;

    manifest_json(&m, site.data, kiosk.data, &e, g.responses, g.n_checkins, bytes, hex);
    struct out mo;
    if ((io = out_open(&mo, dirfd, file_names[F_MANIFEST])) == 0) {
        out_put(&mo, &m);
        io = out_close(&mo, hex[F_MANIFEST]);
    }
    if (io) {
        buf_printf(err, "%s/%s: %s", tmp.data, file_names[F_MANIFEST], strerror(io));
        rc = STORE_EIO;
        goto fail;
    }
    /* With a kiosk key, the manifest (which holds every file's hash) is
     * signed, so the staff PC can check the whole batch with minisign -V. */
    struct buf key;
    buf_init(&key);
    store_config_get(s, "kiosk_key", &key);
    if (key.len) {
        struct buf mpath, spath, comment, why;
        buf_init(&mpath);
        buf_init(&spath);
        buf_init(&comment);
        buf_init(&why);
        buf_printf(&mpath, "%s/manifest.json", tmp.data);
        buf_printf(&spath, "%s/manifest.json.minisig", tmp.data);
        buf_printf(&comment, "timestamp:%lld\tfile:manifest.json\tbatch:skranke-%s-%s-%06u",
                   (long long)e.created_at, site.data, kiosk.data, e.seq);
        rc = minisign_sign_file(key.data, mpath.data, spath.data, comment.data, &why);
        if (rc)
            buf_printf(err, "cannot sign the batch with the kiosk key: %s", why.data);
        buf_free(&mpath);
        buf_free(&spath);
        buf_free(&comment);
        buf_free(&why);
    }
    buf_free(&key);
    if (rc) {
        rc = STORE_EIO;
        goto fail;
    }
    if ((io = fsync_dir(tmp.data))) {
        buf_printf(err, "%s: %s", tmp.data, strerror(io));
        rc = STORE_EIO;
        goto fail;
    }
    if (rename(tmp.data, res->dir)) {
        buf_printf(err, "%s: cannot rename: %s", res->dir, strerror(errno));
        rc = STORE_EIO;
        goto fail;
    }
    renamed = true;
    if ((io = fsync_dir(outdir))) {
        buf_printf(err, "%s: %s", outdir, strerror(io));
        rc = STORE_EIO;
        goto fail;
    }
    struct buf why;
    buf_init(&why);
    rc = batch_verify(res->dir, &why);
    if (rc) {
        buf_printf(err, "the batch did not read back correctly: %s", why.data ? why.data : "");
        buf_free(&why);
        rc = STORE_EIO;
        goto fail;
    }
    buf_free(&why);
    if (!seq && (rc = mark_exported(s, &lc, err)))
        goto done; /* the batch itself is good: keep it on the medium */
    rc = STORE_OK;
    goto done;
fail:
    if (renamed)
        remove_batch_dir(res->dir);
    else if (wrote)
        remove_batch_dir(tmp.data);
    if (!err->len)
        buf_puts(err, store_strerror(rc));
done:
    if (dirfd >= 0)
        close(dirfd);
    buf_free(&site);
    buf_free(&kiosk);
    buf_free(&tmp);
    buf_free(&m);
    buf_free(&g.line);
    free(g.ids);
    free(g.checkins);
    free(outdir_copy);
    return rc;
}

/* ---- verification ---- */

static int verify_file(const char *dir, const char *name, uint64_t want_bytes,
                       const char *want_hex, size_t *lines, struct buf *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        buf_printf(err, "%s: cannot open: %s", path, strerror(errno));
        return STORE_EINVAL;
    }
    /* Read the medium, not what the page cache remembers of it. */
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    crypto_hash_sha256_state sha;
    crypto_hash_sha256_init(&sha);
    uint64_t total = 0;
    char *chunk = xmalloc(64 * 1024);
    ssize_t n;
    *lines = 0;
    while ((n = read(fd, chunk, 64 * 1024)) > 0) {
        crypto_hash_sha256_update(&sha, (unsigned char *)chunk, (size_t)n);
        total += (uint64_t)n;
        for (ssize_t i = 0; i < n; i++)
            *lines += chunk[i] == '\n';
    }
    int rd = n < 0 ? errno : 0;
    free(chunk);
    close(fd);
    if (rd) {
        buf_printf(err, "%s: cannot read: %s", path, strerror(rd));
        return STORE_EINVAL;
    }
    unsigned char digest[32];
    char hex[65];
    crypto_hash_sha256_final(&sha, digest);
    sodium_bin2hex(hex, sizeof hex, digest, 32);
    if (total != want_bytes) {
        buf_printf(err, "%s: %llu bytes, the manifest says %llu", path, (unsigned long long)total,
                   (unsigned long long)want_bytes);
        return STORE_EINVAL;
    }
    if (strcmp(hex, want_hex) != 0) {
        buf_printf(err, "%s: SHA-256 does not match the manifest (the file is damaged)", path);
        return STORE_EINVAL;
    }
    return 0;
}

int batch_verify_signed(const char *dir, const char *pubkey_path, struct buf *err)
{
    buf_clear(err);
    struct minisign_key key;
    if (!minisign_read_key_file(pubkey_path, &key, err))
        return STORE_EINVAL;
    char path[4200], sig[4300];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    snprintf(sig, sizeof sig, "%s.minisig", path);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        buf_printf(err, "%s: cannot open: %s", path, strerror(errno));
        return STORE_EINVAL;
    }
    int rc = minisign_verify_fd(fd, sig, &key, 1, err);
    close(fd);
    return rc ? rc : batch_verify(dir, err);
}

int batch_verify(const char *dir, struct buf *err)
{
    buf_clear(err);
    char path[4200];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        buf_printf(err, "%s: cannot open: %s", path, strerror(errno));
        return STORE_EINVAL;
    }
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    struct buf text;
    buf_init(&text);
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0 && text.len < (1u << 20))
        buf_put(&text, chunk, (size_t)n);
    close(fd);

    struct json_reader *r = json_reader_create_mem(text.data ? text.data : "", text.len);
    int rc = STORE_EINVAL;
    bool format_ok = false;
    long counts[2] = {-1, -1};
    size_t nfiles = 0;
    struct {
        char name[64];
        uint64_t bytes;
        char sha[65];
    } files[8];
    memset(files, 0, sizeof files);
    enum json_tok t = json_next(r);
    if (t != JSON_OBJECT)
        goto bad;
    while ((t = json_next(r)) == JSON_KEY) {
        char key[32];
        snprintf(key, sizeof key, "%s", json_text(r, NULL));
        t = json_next(r);
        if (strcmp(key, "format") == 0) {
            format_ok = t == JSON_STRING && strcmp(json_text(r, NULL), "skranke.export/1") == 0;
        } else if (strcmp(key, "counts") == 0 && t == JSON_OBJECT) {
            while ((t = json_next(r)) == JSON_KEY) {
                int which = strcmp(json_text(r, NULL), "responses") == 0   ? 0
                            : strcmp(json_text(r, NULL), "checkins") == 0 ? 1
                                                                          : -1;
                t = json_next(r);
                if (which >= 0 && t == JSON_NUMBER)
                    counts[which] = strtol(json_text(r, NULL), NULL, 10);
                else if (!json_skip(r, t))
                    goto bad;
            }
        } else if (strcmp(key, "files") == 0 && t == JSON_ARRAY) {
            while ((t = json_next(r)) == JSON_OBJECT) {
                if (nfiles == 8)
                    goto bad;
                while ((t = json_next(r)) == JSON_KEY) {
                    char fk[16];
                    snprintf(fk, sizeof fk, "%s", json_text(r, NULL));
                    t = json_next(r);
                    const char *v = json_text(r, NULL);
                    if (strcmp(fk, "name") == 0 && t == JSON_STRING)
                        snprintf(files[nfiles].name, sizeof files[nfiles].name, "%s", v);
                    else if (strcmp(fk, "bytes") == 0 && t == JSON_NUMBER)
                        files[nfiles].bytes = strtoull(v, NULL, 10);
                    else if (strcmp(fk, "sha256") == 0 && t == JSON_STRING)
                        snprintf(files[nfiles].sha, sizeof files[nfiles].sha, "%s", v);
                    else if (!json_skip(r, t))
                        goto bad;
                }
                nfiles++;
            }
        } else if (!json_skip(r, t)) {
            goto bad;
        }
    }
    if (t != JSON_OBJECT_END || json_next(r) != JSON_END || !format_ok)
        goto bad;
    for (int want = 0; want < F_MANIFEST; want++) {
        bool listed = false;
        for (size_t i = 0; i < nfiles; i++)
            listed = listed || strcmp(files[i].name, file_names[want]) == 0;
        if (!listed) {
            buf_printf(err, "%s: does not list %s", path, file_names[want]);
            goto out;
        }
    }
    for (size_t i = 0; i < nfiles; i++) {
        const char *name = files[i].name;
        if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(name) ||
            strcmp(name, "..") == 0 || strcmp(name, ".") == 0) {
            buf_printf(err, "%s: lists a file name that is not allowed", path);
            goto out;
        }
        size_t lines;
        if (verify_file(dir, name, files[i].bytes, files[i].sha, &lines, err))
            goto out;
        if (strcmp(name, "responses.jsonl") == 0 && counts[0] >= 0 && (long)lines != counts[0]) {
            buf_printf(err, "%s/%s: %zu records, the manifest counts %ld", dir, name, lines,
                       counts[0]);
            goto out;
        }
        if (strcmp(name, "checkins.csv") == 0 && counts[1] >= 0 &&
            (lines == 0 || (long)(lines - 1) != counts[1])) {
            buf_printf(err, "%s/%s: %zu records, the manifest counts %ld", dir, name,
                       lines ? lines - 1 : 0, counts[1]);
            goto out;
        }
    }
    rc = 0;
    goto out;
bad:
    if (t == JSON_ERROR)
        buf_printf(err, "%s:%d:%d: %s", path, json_line(r), json_col(r), json_error(r));
    else
        buf_printf(err, "%s: not a skranke.export/1 manifest", path);
out:
    json_reader_destroy(r);
    buf_free(&text);
    return rc;
}

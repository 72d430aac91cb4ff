/*
 * batch_export.c — writes `skranke.export/1` batch directories and checks
 * them (FORMATS.md section 4).
 *
 * Export is one decision in the store, then files:
 *   1. one durable transaction decides the batch: its seq, the records it
 *      holds (the `batches` database; the records leave `pending`) and its
 *      log entry, not yet done. When a batch was decided before and never
 *      verified, that batch is taken again instead, with the same seq and
 *      the same records, so a crash or a pulled stick at any moment leaves
 *      "batch N = this set, not yet verified" or "batch N exported";
 *   2. the records are read in short read transactions of READ_CHUNK
 *      records, keyed by that list, and written between them (the medium is
 *      never written inside a transaction) into a hidden temporary folder,
 *      every file fsynced, the manifest last, then the folder;
 *   3. the folder is renamed to its final name and the outbox fsynced (when
 *      the final folder is already there from a run that died after its
 *      rename, it is kept when its manifest is byte for byte the same);
 *   4. every file is read back from the medium (the page cache dropped
 *      first) and checked against the manifest's SHA-256;
 *   5. only then one small transaction marks the batch done, and only then
 *      is its seq used up: a failed export burns no number.
 * On the medium nothing is followed or trusted: the outbox is opened once
 * (O_NOFOLLOW, O_DIRECTORY) and every name is created, renamed, read and
 * removed relative to it or to a folder opened the same way inside it.
 * Only names of this kiosk's own batches are ever removed: the temporary
 * folder of a failed attempt, stale ones (`.skranke-SITE-KIOSK-N.tmp`) left
 * by attempts that died, and a final folder this run renamed but could not
 * verify.
 *
 * Responses are listed in the order of their random ids, which reveals
 * nothing about when they were given; check-ins by date, time and id.
 */
#define _GNU_SOURCE
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "batch_xlsx.h"
#include "json.h"
#include "minisign.h"
#include "record.h"
#include "store_internal.h"

static const char *const file_names[] = {"responses.csv",   "responses.jsonl", "checkins.csv",
                                         "responses.xlsx",  "checkins.xlsx",   "manifest.json"};
enum { F_RCSV, F_RJSONL, F_CCSV, F_RXLSX, F_CXLSX, F_MANIFEST, F_COUNT };
/* The files streamed record by record; the spreadsheets are made beside
 * them in the store's folder and copied in (libxlsxwriter writes a path). */
#define F_STREAMED F_RXLSX

static const char *const response_cols[] = {"response_id", "date",           "site",
                                            "unit",        "language",       "empowerment",
                                            "ressourcefokus", "progression", "vaerdighed"};
static const enum batch_xlsx_type response_types[] = {
    XLSX_TEXT, XLSX_TEXT, XLSX_TEXT, XLSX_TEXT, XLSX_TEXT,
    XLSX_NUMBER, XLSX_NUMBER, XLSX_NUMBER, XLSX_NUMBER};
static const char *const checkin_cols[] = {"checkin_id", "date", "time",       "site",   "kind",
                                           "code",       "unit", "session_id", "ticket", "result"};
static const enum batch_xlsx_type checkin_types[] = {XLSX_TEXT, XLSX_TEXT, XLSX_TEXT, XLSX_TEXT,
                                                     XLSX_TEXT, XLSX_TEXT, XLSX_TEXT, XLSX_TEXT,
                                                     XLSX_TEXT, XLSX_TEXT};

#define RESPONSES_HEADER \
    "response_id;date;site;unit;language;empowerment;ressourcefokus;progression;vaerdighed\r\n"
#define CHECKINS_HEADER "checkin_id;date;time;site;kind;code;unit;session_id;ticket;result\r\n"

/* A cell of the export's CSV files (';'); see buf_put_csv_cell. */
void csv_cell(struct buf *b, const char *s)
{
    buf_put_csv_cell(b, s, ';');
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

/* Opens a new file name in dirfd (never an existing one, never a link). */
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

/* ---- writing records ---- */

struct lines {
    struct out *out;
    struct buf line;
    struct batch_xlsx *rx, *cx; /* the spreadsheets, row by row */
};

static void write_response(struct lines *g, const struct response *r)
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

    char answers[STORE_QUESTIONS][4];
    for (int i = 0; i < STORE_QUESTIONS; i++)
        snprintf(answers[i], sizeof answers[i], "%.0u", r->answers[i]);
    const char *cells[] = {r->id,      r->date,    r->site,    r->unit,   r->language,
                           answers[0], answers[1], answers[2], answers[3]};
    batch_xlsx_row(g->rx, cells);
}

static void write_checkin(struct lines *g, const struct checkin *c)
{
    const char *cells[] = {c->id,   c->date, c->time,       c->site,   checkin_kind_name(c->kind),
                           c->code, c->unit, c->session_id, c->ticket, c->result};
    struct buf *l = &g->line;
    buf_clear(l);
    for (size_t j = 0; j < sizeof cells / sizeof *cells; j++) {
        if (j)
            buf_putc(l, ';');
        csv_cell(l, cells[j]);
    }
    buf_puts(l, "\r\n");
    out_put(&g->out[F_CCSV], l);
    batch_xlsx_row(g->cx, cells);
}

/* ---- deciding the batch, and marking it done ---- */

struct decide {
    uint32_t want; /* 0: a new batch, or the one not yet verified; else batch want */
    time_t now;
    struct export_log e; /* the batch decided; seq 0 when want was never decided */
};

static int get_log(struct store *s, MDB_txn *txn, uint32_t seq, struct export_log *e)
{
    unsigned char key[4];
    store_seq_key(seq, key);
    MDB_val k = {4, key}, v;
    int rc = mdb_get(txn, s->dbi[DB_EXPORTS], &k, &v);
    if (!rc && !rec_decode_export(v.mv_data, v.mv_size, e))
        rc = STORE_ECORRUPT;
    return rc;
}

/* The first batch decided but not verified into e: 0, or MDB_NOTFOUND. */
static int find_unverified(struct store *s, MDB_txn *txn, struct export_log *e)
{
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = mdb_cursor_open(txn, s->dbi[DB_EXPORTS], &cur);
    while (!rc && (rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
        if (!rec_decode_export(v.mv_data, v.mv_size, e))
            rc = STORE_ECORRUPT;
        else if (!e->done)
            break;
    }
    if (!rc || rc == MDB_NOTFOUND)
        mdb_cursor_close(cur);
    return rc;
}

/* Whether an export now would write anything: records wait, or a batch
 * was decided and never verified (it is retried as it is). */
static int due_txn(struct store *s, MDB_txn *txn, void *vctx)
{
    bool *due = vctx;
    MDB_stat ms;
    int rc = mdb_stat(txn, s->dbi[DB_PENDING], &ms);
    if (rc)
        return rc;
    *due = ms.ms_entries > 0;
    if (*due)
        return 0;
    struct export_log e;
    rc = find_unverified(s, txn, &e);
    *due = rc != MDB_NOTFOUND; /* found, or cannot tell: try */
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int batch_export_due(struct store *s, bool *due)
{
    *due = true; /* when the store cannot tell, try */
    return store_read(s, due_txn, due);
}

/* Moves every pending record into batch e->seq: the record carries the
 * seq, the batch lists it, pending forgets it. */
static int take_pending(struct store *s, MDB_txn *txn, struct export_log *e)
{
    MDB_cursor *cur;
    MDB_val k, v;
    struct buf rec, key;
    buf_init(&rec);
    buf_init(&key);
    int rc = mdb_cursor_open(txn, s->dbi[DB_PENDING], &cur);
    if (rc)
        return rc;
    while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
        const char *pk = k.mv_data;
        char id[37];
        if (k.mv_size < 2 || k.mv_size > 37) {
            rc = STORE_ECORRUPT;
            break;
        }
        memcpy(id, pk + 1, k.mv_size - 1);
        id[k.mv_size - 1] = '\0';
        bool is_response = pk[0] == 'r';
        MDB_dbi dbi = s->dbi[is_response ? DB_RESPONSES : DB_CHECKINS];
        MDB_val ik = {strlen(id), id}, rv;
        if ((rc = mdb_get(txn, dbi, &ik, &rv)))
            break;
        if (is_response) {
            struct response r;
            if (!rec_decode_response(rv.mv_data, rv.mv_size, &r)) {
                rc = STORE_ECORRUPT;
                break;
            }
            r.exported_seq = e->seq;
            rec_encode_response(&rec, &r);
            rc = store_put_member(s, txn, e->seq, 'r', NULL, id, &key);
            e->responses++;
        } else {
            struct checkin c;
            if (!rec_decode_checkin(rv.mv_data, rv.mv_size, &c)) {
                rc = STORE_ECORRUPT;
                break;
            }
            c.exported_seq = e->seq;
            rec_encode_checkin(&rec, &c);
            rc = store_put_member(s, txn, e->seq, 'c', &c, id, &key);
            e->checkins++;
        }
        MDB_val nv = {rec.len, rec.data};
        if (rc || (rc = mdb_put(txn, dbi, &ik, &nv, 0)))
            break;
    }
    mdb_cursor_close(cur);
    buf_free(&rec);
    buf_free(&key);
    if (rc != MDB_NOTFOUND)
        return rc;
    return mdb_drop(txn, s->dbi[DB_PENDING], 0);
}

static int decide_batch(struct store *s, MDB_txn *txn, void *vctx)
{
    struct decide *d = vctx;
    memset(&d->e, 0, sizeof d->e);
    if (d->want) {
        int rc = get_log(s, txn, d->want, &d->e);
        if (rc == MDB_NOTFOUND) {
            memset(&d->e, 0, sizeof d->e);
            return 0;
        }
        return rc;
    }
    int rc = find_unverified(s, txn, &d->e);
    if (rc != MDB_NOTFOUND)
        return rc;
    memset(&d->e, 0, sizeof d->e);
    uint32_t next = 1;
    rc = store_meta_u32(s, txn, "export_next", &next);
    if (rc && rc != STORE_ENOTFOUND)
        return rc;
    d->e.seq = rc == STORE_ENOTFOUND ? 1 : next;
    d->e.created_at = d->now;
    if ((rc = take_pending(s, txn, &d->e)))
        return rc;
    return store_put_export(s, txn, &d->e);
}

/* The batch read back and verified: it is done and its seq is used up. */
static int finish_batch(struct store *s, MDB_txn *txn, void *vctx)
{
    struct export_log e = *(const struct export_log *)vctx;
    e.done = true;
    e.marking = false;
    uint32_t next = 1;
    int rc = store_meta_u32(s, txn, "export_next", &next);
    if (rc && rc != STORE_ENOTFOUND)
        return rc;
    if ((rc = store_put_export(s, txn, &e)))
        return rc;
    if (rc == STORE_ENOTFOUND || next <= e.seq)
        rc = store_meta_put_u32(s, txn, "export_next", e.seq + 1);
    return rc;
}

/* ---- reading a batch's records, a chunk per short transaction ---- */

#define READ_CHUNK 256

struct reader {
    uint32_t seq;
    struct buf key; /* the last key read; empty before the first chunk */
    struct response *r;
    struct checkin *c;
    size_t nr, nc, missing;
    bool end;
};

static int read_chunk(struct store *s, MDB_txn *txn, void *vctx)
{
    struct reader *rd = vctx;
    rd->nr = rd->nc = 0;
    unsigned char sk[4];
    store_seq_key(rd->seq, sk);
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = mdb_cursor_open(txn, s->dbi[DB_BATCHES], &cur);
    if (rc)
        return rc;
    k = rd->key.len ? (MDB_val){rd->key.len, rd->key.data} : (MDB_val){4, sk};
    rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    if (!rc && rd->key.len && k.mv_size == rd->key.len && !memcmp(k.mv_data, rd->key.data, k.mv_size))
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    while (!rc && rd->nr + rd->nc < READ_CHUNK) {
        const char *p = k.mv_data;
        if (k.mv_size < 5 || memcmp(p, sk, 4) != 0) {
            rc = MDB_NOTFOUND;
            break;
        }
        bool is_response = p[4] == 'r';
        size_t skip = is_response ? 5 : 5 + 15;
        if (k.mv_size <= skip) {
            rc = STORE_ECORRUPT;
            break;
        }
        MDB_val ik = {k.mv_size - skip, (void *)(p + skip)}, rv;
        int g = mdb_get(txn, s->dbi[is_response ? DB_RESPONSES : DB_CHECKINS], &ik, &rv);
        if (g == MDB_NOTFOUND)
            rd->missing++; /* purged after its retention period */
        else if (g)
            rc = g;
        else if (is_response ? !rec_decode_response(rv.mv_data, rv.mv_size, &rd->r[rd->nr++])
                             : !rec_decode_checkin(rv.mv_data, rv.mv_size, &rd->c[rd->nc++]))
            rc = STORE_ECORRUPT;
        if (rc)
            break;
        buf_clear(&rd->key);
        buf_put(&rd->key, k.mv_data, k.mv_size);
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    if (rc == MDB_NOTFOUND) {
        rd->end = true;
        rc = 0;
    }
    return rc;
}

/* Writes the records of batch seq through g; counts into e_out. */
static int write_records(struct store *s, uint32_t seq, struct lines *g, size_t *responses,
                         size_t *checkins, size_t *missing)
{
    struct reader rd = {.seq = seq};
    buf_init(&rd.key);
    rd.r = xmalloc(READ_CHUNK * sizeof *rd.r);
    rd.c = xmalloc(READ_CHUNK * sizeof *rd.c);
    int rc = 0;
    *responses = *checkins = 0;
    while (!rc && !rd.end) {
        if ((rc = store_read(s, read_chunk, &rd)))
            break;
        for (size_t i = 0; i < rd.nr; i++)
            write_response(g, &rd.r[i]);
        for (size_t i = 0; i < rd.nc; i++)
            write_checkin(g, &rd.c[i]);
        *responses += rd.nr;
        *checkins += rd.nc;
        if ((*responses + *checkins) % (64 * READ_CHUNK) == 0)
            store_trim(s);
    }
    *missing = rd.missing;
    free(rd.r);
    free(rd.c);
    buf_free(&rd.key);
    return rc;
}

/* ---- names on the medium ---- */

static int read_small_at(int dirfd, const char *name, size_t max, struct buf *out,
                         struct buf *err);
static int verify_at(int dirfd, const char *dir, struct buf *err);

/* Removes the folder name in parent and the files in it, following
 * nothing: a link (or anything not a folder) by that name loses only the
 * name itself. */
static void remove_dir_at(int parent, const char *name)
{
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        struct stat st;
        if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
            unlinkat(parent, name, 0);
        return;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return;
    }
    struct dirent *de;
    for (int n = 0; (de = readdir(d)) && n < 4096; n++)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
            unlinkat(dirfd(d), de->d_name, 0) && errno == EISDIR)
            unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
    closedir(d);
    unlinkat(parent, name, AT_REMOVEDIR);
}

/* Removes this kiosk's temporary folders (prefix + 6 digits + ".tmp") that
 * attempts which died left in the outbox; other names stay. */
static void clean_stale(int outfd, const char *prefix)
{
    int fd = openat(outfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    size_t plen = strlen(prefix), n = 0;
    char(*stale)[256] = xmalloc(64 * sizeof *stale);
    struct dirent *de;
    while ((de = readdir(d)) && n < 64) {
        const char *nm = de->d_name;
        if (strncmp(nm, prefix, plen) == 0 && strlen(nm) == plen + 10 &&
            strspn(nm + plen, "0123456789") == 6 && strcmp(nm + plen + 6, ".tmp") == 0)
            snprintf(stale[n++], sizeof *stale, "%s", nm);
    }
    closedir(d);
    for (size_t i = 0; i < n; i++)
        remove_dir_at(outfd, stale[i]);
    free(stale);
}

/* Whether the folder final in outfd holds the batch just written in tmpfd:
 * the same manifest, byte for byte, and it verifies. */
static bool same_batch(int outfd, const char *final, const char *label, int tmpfd)
{
    int fd = openat(outfd, final, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct buf a, b, why;
    buf_init(&a);
    buf_init(&b);
    buf_init(&why);
    bool same = read_small_at(fd, "manifest.json", 1u << 20, &a, &why) == 0 &&
                read_small_at(tmpfd, "manifest.json", 1u << 20, &b, &why) == 0 && a.len == b.len &&
                memcmp(a.data, b.data, a.len) == 0 && verify_at(fd, label, &why) == 0;
    buf_free(&a);
    buf_free(&b);
    buf_free(&why);
    close(fd);
    return same;
}

static int fsync_fd(int fd)
{
    return fsync(fd) ? errno : 0;
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

/* Opens the outbox: a real folder, not a link. -1 with err set. */
static int open_outbox(const char *outdir, struct buf *err)
{
    int fd = open(outdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0)
        return fd;
    if (errno == ENOENT)
        buf_printf(err, "%s: the target folder does not exist", outdir);
    else if (errno == ELOOP || errno == ENOTDIR)
        buf_printf(err, "%s: not a folder (a link or a file); refused", outdir);
    else
        buf_printf(err, "%s: cannot open: %s", outdir, strerror(errno));
    return -1;
}

/* Copies the file at path (made by this process) into a new file of tmpfd,
 * hashing it as the other files are; removes path. Returns an errno. */
static int copy_in(int tmpfd, const char *name, const char *path, char hex[65], uint64_t *bytes)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct out o;
    int io = out_open(&o, tmpfd, name);
    struct buf chunk;
    buf_init(&chunk);
    char *block = xmalloc(64 * 1024);
    while (!io) {
        ssize_t n = read(fd, block, 64 * 1024);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            io = errno;
        if (n <= 0)
            break;
        buf_clear(&chunk);
        buf_put(&chunk, block, (size_t)n);
        out_put(&o, &chunk);
    }
    free(block);
    buf_free(&chunk);
    close(fd);
    if (o.fd >= 0) {
        int r = out_close(&o, hex);
        io = io ? io : r;
        *bytes = o.bytes;
    }
    unlink(path);
    return io;
}

/* Writes batch e into the folder tmpfd (labelled tmp in messages): the data
 * files, the spreadsheets, the manifest, its signature with a kiosk key;
 * fsyncs the folder. */
static int write_batch(struct store *s, int tmpfd, const char *tmp, struct export_log *e,
                       const char *site, const char *kiosk, struct export_result *res,
                       struct buf *err)
{
    struct out out[F_COUNT];
    struct lines g = {.out = out};
    buf_init(&g.line);
    char hex[F_COUNT][65];
    uint64_t bytes[F_COUNT] = {0};
    struct buf m, key, comment, why, xpath[2];
    buf_init(&m);
    buf_init(&key);
    buf_init(&comment);
    buf_init(&why);
    int rc = 0, io = 0, opened = 0;
    size_t missing = 0;
    for (int i = 0; i < 2; i++) {
        buf_init(&xpath[i]);
        buf_printf(&xpath[i], "%s/.export-%u-%s", s->dir, e->seq, file_names[F_RXLSX + i]);
        unlink(xpath[i].data); /* a crashed run's */
    }
    g.rx = batch_xlsx_create(xpath[0].data, s->dir, "svar", response_cols, response_types,
                             (int)(sizeof response_cols / sizeof *response_cols), e->created_at);
    g.cx = batch_xlsx_create(xpath[1].data, s->dir, "check-ins", checkin_cols, checkin_types,
                             (int)(sizeof checkin_cols / sizeof *checkin_cols), e->created_at);
    if (!g.rx || !g.cx) {
        buf_printf(err, "%s: cannot make the spreadsheets", s->dir);
        rc = STORE_EIO;
        goto close_files;
    }
    for (; opened < F_STREAMED; opened++) {
        if ((io = out_open(&out[opened], tmpfd, file_names[opened]))) {
            buf_printf(err, "%s/%s: cannot create: %s", tmp, file_names[opened], strerror(io));
            rc = STORE_EIO;
            goto close_files;
        }
    }
    buf_puts(&m, "\xEF\xBB\xBF" RESPONSES_HEADER);
    out_put(&out[F_RCSV], &m);
    buf_clear(&m);
    buf_puts(&m, "\xEF\xBB\xBF" CHECKINS_HEADER);
    out_put(&out[F_CCSV], &m);
    rc = write_records(s, e->seq, &g, &res->responses, &res->checkins, &missing);
    if (!rc && missing) {
        buf_printf(err,
                   "batch %u held %zu records, but only %zu are still on the kiosk (the rest "
                   "were purged after their retention period)",
                   e->seq, res->responses + res->checkins + missing,
                   res->responses + res->checkins);
        rc = STORE_EINVAL;
    }
close_files:
    for (int i = 0; i < opened; i++) {
        int r = out_close(&out[i], hex[i]);
        bytes[i] = out[i].bytes;
        if (r && !io) {
            io = r;
            buf_printf(err, "%s/%s: %s", tmp, file_names[i], strerror(r));
        }
    }
    for (int i = 0; i < 2; i++) {
        struct batch_xlsx *x = i ? g.cx : g.rx;
        if (x && !batch_xlsx_close(x) && !rc && !io) {
            buf_printf(err, "%s: cannot write the spreadsheet", xpath[i].data);
            rc = STORE_EIO;
        }
        if (!rc && !io && (io = copy_in(tmpfd, file_names[F_RXLSX + i], xpath[i].data,
                                        hex[F_RXLSX + i], &bytes[F_RXLSX + i])))
            buf_printf(err, "%s/%s: %s", tmp, file_names[F_RXLSX + i], strerror(io));
        unlink(xpath[i].data);
        buf_free(&xpath[i]);
    }
    if (rc)
        goto fail;
    if (io) {
        rc = STORE_EIO;
        goto fail;
    }
    manifest_json(&m, site, kiosk, e, res->responses, res->checkins, bytes, hex);
    struct out mo;
    if ((io = out_open(&mo, tmpfd, file_names[F_MANIFEST])) == 0) {
        out_put(&mo, &m);
        io = out_close(&mo, hex[F_MANIFEST]);
    }
    if (io) {
        buf_printf(err, "%s/%s: %s", tmp, file_names[F_MANIFEST], strerror(io));
        rc = STORE_EIO;
        goto fail;
    }
    /* With a kiosk key, the manifest (which holds every file's hash) is
     * signed, so the staff PC can check the whole batch with minisign -V. */
    if ((rc = store_config_get(s, "kiosk_key", &key)))
        goto fail;
    if (key.len) {
        buf_printf(&comment, "timestamp:%lld\tfile:manifest.json\tbatch:skranke-%s-%s-%06u",
                   (long long)e->created_at, site, kiosk, e->seq);
        if (minisign_sign_at(key.data, tmpfd, "manifest.json", "manifest.json.minisig",
                             comment.data, &why)) {
            buf_printf(err, "cannot sign the batch with the kiosk key: %s", why.data);
            rc = STORE_EIO;
            goto fail;
        }
    }
    if ((io = fsync_fd(tmpfd))) {
        buf_printf(err, "%s: %s", tmp, strerror(io));
        rc = STORE_EIO;
    }
fail:
    buf_free(&g.line);
    buf_free(&m);
    buf_free(&key);
    buf_free(&comment);
    buf_free(&why);
    return rc;
}

int batch_export(struct store *s, const char *outdir, uint32_t seq, struct export_result *res,
                 struct buf *err)
{
    memset(res, 0, sizeof *res);
    buf_clear(err);
    struct buf site, kiosk, tmp, final, label;
    buf_init(&site);
    buf_init(&kiosk);
    buf_init(&tmp);
    buf_init(&final);
    buf_init(&label);
    struct decide d = {.want = seq, .now = clock_now()};
    int outfd = -1, tmpfd = -1, vfd = -1, rc, io;
    bool wrote = false, renamed = false;
    struct stat st;

    char *outdir_copy = xstrdup(outdir);
    for (size_t n = strlen(outdir_copy); n > 1 && outdir_copy[n - 1] == '/'; n--)
        outdir_copy[n - 1] = '\0';
    outdir = outdir_copy;
    if ((outfd = open_outbox(outdir, err)) < 0) {
        rc = STORE_EINVAL;
        goto fail;
    }
    if ((rc = store_config_get(s, "site", &site)) || (rc = store_config_get(s, "kiosk", &kiosk)))
        goto fail;
    if ((rc = store_write_reserve(s, decide_batch, &d)))
        goto fail;
    /* The decision touched every waiting record: give those pages back
     * before the files are written (memory stays bounded for 100 000). */
    store_trim(s);
    malloc_trim(0);
    if (!d.e.seq) {
        buf_printf(err, "batch %u was never exported; nothing to export again", seq);
        rc = STORE_EINVAL;
        goto fail;
    }
    res->seq = d.e.seq;
    buf_printf(&final, "skranke-%s-%s-%06u", site.data, kiosk.data, d.e.seq);
    buf_printf(&label, "%s/%s", outdir, final.data);
    if (label.len >= sizeof res->dir) {
        buf_printf(err, "%s: the path is too long (%zu bytes; at most %zu); export to a shorter "
                        "folder", outdir, label.len, sizeof res->dir - 1);
        rc = STORE_EINVAL;
        goto fail;
    }
    memcpy(res->dir, label.data, label.len + 1);
    buf_clear(&label);
    buf_printf(&label, ".skranke-%s-%s-", site.data, kiosk.data);
    clean_stale(outfd, label.data);
    buf_printf(&tmp, "%s%06u.tmp", label.data, d.e.seq);
    bool exists = fstatat(outfd, final.data, &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (exists && !S_ISDIR(st.st_mode)) {
        buf_printf(err, "%s is not a batch folder (a link or a file); remove it from the stick",
                   res->dir);
        rc = STORE_EEXIST;
        goto fail;
    }
    if (exists && d.e.done) {
        buf_printf(err, "%s already exists; export to another folder or remove it", res->dir);
        rc = STORE_EEXIST;
        goto fail;
    }
    buf_clear(&label);
    buf_printf(&label, "%s/%s", outdir, tmp.data);
    if (mkdirat(outfd, tmp.data, 0755)) {
        buf_printf(err, "%s: cannot create: %s", label.data, strerror(errno));
        rc = STORE_EIO;
        goto fail;
    }
    wrote = true;
    tmpfd = openat(outfd, tmp.data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (tmpfd < 0) {
        buf_printf(err, "%s: cannot open: %s", label.data, strerror(errno));
        rc = STORE_EIO;
        goto fail;
    }
    if ((rc = write_batch(s, tmpfd, label.data, &d.e, site.data, kiosk.data, res, err)))
        goto fail;
    d.e.responses = (uint32_t)res->responses;
    d.e.checkins = (uint32_t)res->checkins;
    if (exists) {
        /* Left by a run that died after its rename, or an earlier export
         * of this batch: good when it is this very batch. */
        if (!same_batch(outfd, final.data, res->dir, tmpfd)) {
            buf_printf(err, "%s already exists and holds something else; export to another "
                            "folder or remove it", res->dir);
            rc = STORE_EEXIST;
            goto fail;
        }
        remove_dir_at(outfd, tmp.data);
        wrote = false;
    } else {
        if (renameat(outfd, tmp.data, outfd, final.data)) {
            buf_printf(err, "%s: cannot rename: %s", res->dir, strerror(errno));
            rc = STORE_EIO;
            goto fail;
        }
        wrote = false;
        renamed = true;
        if ((io = fsync_fd(outfd))) {
            buf_printf(err, "%s: %s", outdir, strerror(io));
            rc = STORE_EIO;
            goto fail;
        }
        struct buf why;
        buf_init(&why);
        vfd = openat(outfd, final.data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        rc = vfd < 0 ? STORE_EINVAL : verify_at(vfd, res->dir, &why);
        if (rc)
            buf_printf(err, "the batch did not read back correctly: %s",
                       vfd < 0 ? strerror(errno) : why.data);
        buf_free(&why);
        if (rc) {
            rc = STORE_EIO;
            goto fail;
        }
    }
    if (!d.e.done && (rc = store_write_reserve(s, finish_batch, &d.e))) {
        buf_printf(err, "the batch is on the medium and verified, but the kiosk could not note "
                        "it (%s); the next export writes batch %u again", store_strerror(rc),
                   d.e.seq);
        goto done; /* the batch itself is good: keep it on the medium */
    }
    rc = STORE_OK;
    goto done;
fail:
    if (renamed)
        remove_dir_at(outfd, final.data);
    else if (wrote)
        remove_dir_at(outfd, tmp.data);
    if (!err->len)
        buf_puts(err, store_strerror(rc));
done:
    if (vfd >= 0)
        close(vfd);
    if (tmpfd >= 0)
        close(tmpfd);
    if (outfd >= 0)
        close(outfd);
    buf_free(&site);
    buf_free(&kiosk);
    buf_free(&tmp);
    buf_free(&final);
    buf_free(&label);
    free(outdir_copy);
    return rc;
}

/* ---- verification ---- */

/* Opens name in dirfd for reading, refusing links, anything not a regular
 * file (a FIFO, socket or device could block or never end) and files over
 * max bytes; the size into *size. -1 with the reason in err. */
static int open_regular_at(int dirfd, const char *dir, const char *name, uint64_t max,
                           uint64_t *size, struct buf *err)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        buf_printf(err, "%s/%s: %s", dir, name,
                   errno == ELOOP ? "a link, not a file; refused" : strerror(errno));
        return -1;
    }
    bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (!regular || (uint64_t)st.st_size > max) {
        buf_printf(err, "%s/%s: %s", dir, name,
                   !regular ? "not a regular file; refused" : "too large; refused");
        close(fd);
        return -1;
    }
    *size = (uint64_t)st.st_size;
    return fd;
}

/* Reads the regular file name in dirfd (at most max bytes) into out. */
static int read_small_at(int dirfd, const char *name, size_t max, struct buf *out,
                         struct buf *err)
{
    uint64_t size;
    int fd = open_regular_at(dirfd, ".", name, max, &size, err);
    if (fd < 0)
        return STORE_EINVAL;
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0 && out->len <= max)
        buf_put(out, chunk, (size_t)n);
    int rd = n < 0 ? errno : 0;
    close(fd);
    if (rd || out->len > max) {
        buf_printf(err, "%s: %s", name, rd ? strerror(rd) : "too large; refused");
        return STORE_EINVAL;
    }
    return 0;
}

static int verify_file(int dirfd, const char *dir, const char *name, uint64_t want_bytes,
                       const char *want_hex, size_t *lines, struct buf *err)
{
    uint64_t size;
    int fd = open_regular_at(dirfd, dir, name, UINT64_MAX, &size, err);
    if (fd < 0)
        return STORE_EINVAL;
    /* Read the medium, not what the page cache remembers of it. */
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    crypto_hash_sha256_state sha;
    crypto_hash_sha256_init(&sha);
    uint64_t total = 0;
    char *chunk = xmalloc(64 * 1024);
    ssize_t n;
    *lines = 0;
    while (total <= want_bytes && (n = read(fd, chunk, 64 * 1024)) > 0) {
        crypto_hash_sha256_update(&sha, (unsigned char *)chunk, (size_t)n);
        total += (uint64_t)n;
        for (ssize_t i = 0; i < n; i++)
            *lines += chunk[i] == '\n';
    }
    int rd = n < 0 ? errno : 0;
    free(chunk);
    close(fd);
    if (rd) {
        buf_printf(err, "%s/%s: cannot read: %s", dir, name, strerror(rd));
        return STORE_EINVAL;
    }
    unsigned char digest[32];
    char hex[65];
    crypto_hash_sha256_final(&sha, digest);
    sodium_bin2hex(hex, sizeof hex, digest, 32);
    if (total != want_bytes) {
        buf_printf(err, "%s/%s: %llu bytes, the manifest says %llu", dir, name,
                   (unsigned long long)total, (unsigned long long)want_bytes);
        return STORE_EINVAL;
    }
    if (strcmp(hex, want_hex) != 0) {
        buf_printf(err, "%s/%s: SHA-256 does not match the manifest (the file is damaged)", dir,
                   name);
        return STORE_EINVAL;
    }
    return 0;
}

/* Opens the batch folder dir as given (a path staff typed may pass links;
 * nothing inside it does). */
static int open_batch_dir(const char *dir, struct buf *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        buf_printf(err, "%s: cannot open: %s", dir, strerror(errno));
    return fd;
}

int batch_verify_signed(const char *dir, const char *pubkey_path, struct buf *err)
{
    buf_clear(err);
    struct minisign_key key;
    if (!minisign_read_key_file(pubkey_path, &key, err))
        return STORE_EINVAL;
    int dfd = open_batch_dir(dir, err);
    if (dfd < 0)
        return STORE_EINVAL;
    struct buf sig;
    buf_init(&sig);
    buf_printf(&sig, "%s/manifest.json.minisig", dir);
    uint64_t size;
    int fd = open_regular_at(dfd, dir, "manifest.json", 1u << 20, &size, err);
    int rc = fd < 0 ? STORE_EINVAL : minisign_verify_fd(fd, sig.data, &key, 1, err);
    if (fd >= 0)
        close(fd);
    if (!rc)
        rc = verify_at(dfd, dir, err);
    close(dfd);
    buf_free(&sig);
    return rc;
}

int batch_verify(const char *dir, struct buf *err)
{
    buf_clear(err);
    int dfd = open_batch_dir(dir, err);
    if (dfd < 0)
        return STORE_EINVAL;
    int rc = verify_at(dfd, dir, err);
    close(dfd);
    return rc;
}

/* batch_verify on the open folder dirfd, named dir in messages. */
static int verify_at(int dirfd, const char *dir, struct buf *err)
{
    buf_clear(err);
    struct buf path;
    buf_init(&path);
    buf_printf(&path, "%s/manifest.json", dir);
    struct buf text;
    buf_init(&text);
    uint64_t size;
    int fd = open_regular_at(dirfd, dir, "manifest.json", 1u << 20, &size, err);
    if (fd < 0) {
        buf_free(&path);
        return STORE_EINVAL;
    }
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0 && text.len < (1u << 20))
        buf_put(&text, chunk, (size_t)n);
    int rd = n < 0 ? errno : 0;
    close(fd);
    if (rd) {
        buf_printf(err, "%s: cannot read: %s", path.data, strerror(rd));
        buf_free(&path);
        buf_free(&text);
        return STORE_EINVAL;
    }

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
    for (int want = 0; want < F_STREAMED; want++) { /* spreadsheets came later */
        bool listed = false;
        for (size_t i = 0; i < nfiles; i++)
            listed = listed || strcmp(files[i].name, file_names[want]) == 0;
        if (!listed) {
            buf_printf(err, "%s: does not list %s", path.data, file_names[want]);
            goto out;
        }
    }
    for (size_t i = 0; i < nfiles; i++) {
        const char *name = files[i].name;
        if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(name) ||
            strcmp(name, "..") == 0 || strcmp(name, ".") == 0) {
            buf_printf(err, "%s: lists a file name that is not allowed", path.data);
            goto out;
        }
        size_t lines;
        if (verify_file(dirfd, dir, name, files[i].bytes, files[i].sha, &lines, err))
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
        buf_printf(err, "%s:%d:%d: %s", path.data, json_line(r), json_col(r), json_error(r));
    else
        buf_printf(err, "%s: not a skranke.export/1 manifest", path.data);
out:
    json_reader_destroy(r);
    buf_free(&text);
    buf_free(&path);
    return rc;
}

/*
 * ingest.c — one export batch into the central database; see ingest.h.
 *
 * The order matters: the manifest is read into memory first and its
 * signature checked over those bytes (handed to the verifier as a memfd), so
 * what is parsed is what was signed; then every file the manifest lists is
 * read whole and its size and SHA-256 compared, and the two files records
 * come from (responses.jsonl, checkins.csv) are parsed from those same
 * verified bytes. Only a batch whose every record is well-formed and whose
 * record counts match the manifest reaches the database, in one transaction
 * with its row in `batches`. Records are keyed by their ids, so a batch seen
 * twice, or a re-export overlapping an earlier one, adds nothing twice.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "csv.h"
#include "ingest.h"
#include "json.h"

#define LOG_MODULE "central-ingest"

#define MANIFEST_MAX (1u << 20)
#define DATA_FILE_MAX (1ull << 31)
#define MAX_FILES 16
#define ID_MAX 64
#define TEXT_MAX 400

static const char *const response_cols[] = {"response_id", "date",        "site",
                                            "unit",        "language",    "empowerment",
                                            "ressourcefokus", "progression", "vaerdighed",
                                            "batch"};
enum { R_ID, R_DATE, R_SITE, R_UNIT, R_LANG, R_ANSWERS, R_BATCH = 9, R_COLS };

static const char *const checkin_cols[] = {"checkin_id", "date", "time",       "site",
                                           "kind",       "code", "unit",       "session_id",
                                           "ticket",     "result", "batch"};
enum { C_ID, C_DATE, C_TIME, C_SITE, C_KIND, C_BATCH = 10, C_COLS };

#define CHECKINS_HEADER "checkin_id;date;time;site;kind;code;unit;session_id;ticket;result"

struct listed_file {
    char *name;
    unsigned long long bytes;
    char sha256[65];
};

struct batch {
    const char *dir;
    int dirfd;
    struct buf manifest;
    char manifest_sha[65];
    char signer[17];
    char *site, *kiosk, *created_at;
    long seq;
    long counts[2]; /* responses, checkins; -1 when missing */
    size_t nfiles;
    struct listed_file files[MAX_FILES];
    struct buf jsonl, checkins;
    char *name;
    struct central_rows rows[2];
};

/* ---- small checks ---- */

static bool plain_text(const char *s, size_t max, bool may_be_empty)
{
    size_t n = strlen(s);
    if (n > max || (!n && !may_be_empty))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
    }
    return true;
}

static bool id_text(const char *s)
{
    size_t n = strlen(s);
    return n && n <= ID_MAX &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:") == n;
}

static bool date_text(const char *s)
{
    int y, m, d;
    return parse_date(s, &y, &m, &d);
}

static void sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
}

/* Reads name in the batch folder whole into out: a regular file, not a
 * link, of at most max bytes. 0, or INGEST_REFUSED with why set. */
static int read_listed(struct batch *b, const char *name, unsigned long long max,
                       struct buf *out, struct buf *why)
{
    int fd = openat(b->dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        buf_printf(why, "%s/%s: %s", b->dir, name,
                   errno == ELOOP ? "a link, not a file" : strerror(errno));
        return INGEST_REFUSED;
    }
    int rc = INGEST_REFUSED;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        buf_printf(why, "%s/%s: not a regular file", b->dir, name);
        goto fail;
    }
    if ((unsigned long long)st.st_size > max) {
        buf_printf(why, "%s/%s: larger than %llu bytes", b->dir, name, max);
        goto fail;
    }
    buf_clear(out);
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0 && out->len <= max)
        buf_put(out, chunk, (size_t)n);
    if (n < 0) {
        buf_printf(why, "%s/%s: cannot read: %s", b->dir, name, strerror(errno));
        goto fail;
    }
    rc = 0;
fail:
    close(fd);
    return rc;
}

/* ---- the manifest ---- */

static int json_refusal(struct batch *b, struct json_reader *r, enum json_tok t, const char *file,
                        int line, const char *what, struct buf *why)
{
    if (t == JSON_ERROR)
        buf_printf(why, "%s/%s:%d:%d: %s", b->dir, file, line ? line : json_line(r), json_col(r),
                   json_error(r));
    else
        buf_printf(why, "%s/%s:%d: %s", b->dir, file, line ? line : json_line(r), what);
    return INGEST_REFUSED;
}

static int parse_files(struct batch *b, struct json_reader *r, struct buf *why)
{
    enum json_tok t;
    while ((t = json_next(r)) == JSON_OBJECT) {
        if (b->nfiles == MAX_FILES)
            return json_refusal(b, r, t, "manifest.json", 0, "lists too many files", why);
        struct listed_file *f = &b->files[b->nfiles++];
        bool have_bytes = false;
        while ((t = json_next(r)) == JSON_KEY) {
            char key[16];
            snprintf(key, sizeof key, "%s", json_text(r, NULL));
            t = json_next(r);
            const char *v = json_text(r, NULL);
            if (strcmp(key, "name") == 0 && t == JSON_STRING && !f->name) {
                f->name = xstrdup(v);
            } else if (strcmp(key, "bytes") == 0 && t == JSON_NUMBER &&
                       strspn(v, "0123456789") == strlen(v)) {
                f->bytes = strtoull(v, NULL, 10);
                have_bytes = true;
            } else if (strcmp(key, "sha256") == 0 && t == JSON_STRING && strlen(v) == 64 &&
                       strspn(v, "0123456789abcdef") == 64) {
                memcpy(f->sha256, v, 65);
            } else if (!json_skip(r, t)) {
                return json_refusal(b, r, JSON_ERROR, "manifest.json", 0, NULL, why);
            }
        }
        if (t != JSON_OBJECT_END || !f->name || !have_bytes || !f->sha256[0])
            return json_refusal(b, r, t, "manifest.json", 0,
                                "a file entry needs name, bytes and sha256", why);
        const char *n = f->name;
        if (!*n || strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(n) ||
            n[0] == '.')
            return json_refusal(b, r, t, "manifest.json", 0, "lists a file name not allowed",
                                why);
    }
    return t == JSON_ARRAY_END ? 0
                               : json_refusal(b, r, t, "manifest.json", 0, "bad files list", why);
}

static int parse_manifest(struct batch *b, struct buf *why)
{
    struct json_reader *r = json_reader_create_mem(b->manifest.data, b->manifest.len);
    bool format_ok = false;
    int rc = INGEST_REFUSED;
    enum json_tok t = json_next(r);
    if (t != JSON_OBJECT) {
        json_refusal(b, r, t, "manifest.json", 0, "not a JSON object", why);
        goto fail;
    }
    while ((t = json_next(r)) == JSON_KEY) {
        char key[32];
        snprintf(key, sizeof key, "%s", json_text(r, NULL));
        t = json_next(r);
        const char *v = json_text(r, NULL);
        if (strcmp(key, "format") == 0 && t == JSON_STRING) {
            format_ok = strcmp(v, "skranke.export/1") == 0;
        } else if (strcmp(key, "site") == 0 && t == JSON_STRING && !b->site) {
            b->site = xstrdup(v);
        } else if (strcmp(key, "kiosk") == 0 && t == JSON_STRING && !b->kiosk) {
            b->kiosk = xstrdup(v);
        } else if (strcmp(key, "created_at") == 0 && t == JSON_STRING && !b->created_at) {
            b->created_at = xstrdup(v);
        } else if (strcmp(key, "seq") == 0 && t == JSON_NUMBER && strlen(v) <= 6 &&
                   strspn(v, "0123456789") == strlen(v)) {
            b->seq = strtol(v, NULL, 10);
        } else if (strcmp(key, "counts") == 0 && t == JSON_OBJECT) {
            while ((t = json_next(r)) == JSON_KEY) {
                int which = strcmp(json_text(r, NULL), "responses") == 0   ? 0
                            : strcmp(json_text(r, NULL), "checkins") == 0 ? 1
                                                                          : -1;
                t = json_next(r);
                v = json_text(r, NULL);
                if (which >= 0 && t == JSON_NUMBER && strlen(v) <= 9 &&
                    strspn(v, "0123456789") == strlen(v))
                    b->counts[which] = strtol(v, NULL, 10);
                else if (!json_skip(r, t))
                    break;
            }
            if (t != JSON_OBJECT_END) {
                json_refusal(b, r, t, "manifest.json", 0, "bad counts", why);
                goto fail;
            }
        } else if (strcmp(key, "files") == 0 && t == JSON_ARRAY) {
            if (parse_files(b, r, why))
                goto fail;
        } else if (!json_skip(r, t)) {
            json_refusal(b, r, JSON_ERROR, "manifest.json", 0, NULL, why);
            goto fail;
        }
    }
    if (t != JSON_OBJECT_END || json_next(r) != JSON_END) {
        json_refusal(b, r, t == JSON_OBJECT_END ? JSON_ERROR : t, "manifest.json", 0,
                     "not a JSON object", why);
        goto fail;
    }
    time_t created;
    if (!format_ok)
        buf_printf(why, "%s/manifest.json: not a skranke.export/1 manifest", b->dir);
    else if (!b->site || !id_text(b->site) || !b->kiosk || !id_text(b->kiosk))
        buf_printf(why, "%s/manifest.json: site and kiosk must be ids", b->dir);
    else if (b->seq < 1)
        buf_printf(why, "%s/manifest.json: seq must be a number from 1 to 999999", b->dir);
    else if (!b->created_at || !parse_rfc3339(b->created_at, &created))
        buf_printf(why, "%s/manifest.json: created_at must be an RFC 3339 instant", b->dir);
    else if (b->counts[0] < 0 || b->counts[1] < 0)
        buf_printf(why, "%s/manifest.json: counts of responses and checkins are missing", b->dir);
    else
        rc = 0;
fail:
    json_reader_destroy(r);
    return rc;
}

/* ---- the signature ---- */

static int check_signature(struct batch *b, const struct minisign_key *keys, size_t n,
                           struct buf *why)
{
    struct stat st;
    if (fstatat(b->dirfd, "manifest.json.minisig", &st, AT_SYMLINK_NOFOLLOW) != 0) {
        buf_printf(why,
                   "%s/manifest.json.minisig: missing; signing keys are registered, so every"
                   " batch must be signed",
                   b->dir);
        return INGEST_REFUSED;
    }
    struct buf sig;
    buf_init(&sig);
    buf_printf(&sig, "%s/manifest.json.minisig", b->dir);
    int rc = INGEST_REFUSED;
    int fd = memfd_create("manifest.json", MFD_CLOEXEC);
    if (fd < 0 || write(fd, b->manifest.data, b->manifest.len) != (ssize_t)b->manifest.len) {
        buf_printf(why, "%s/manifest.json: cannot check the signature: %s", b->dir,
                   strerror(errno));
        goto fail;
    }
    struct buf ignore;
    buf_init(&ignore);
    for (size_t i = 0; i < n && !b->signer[0]; i++) {
        lseek(fd, 0, SEEK_SET);
        if (minisign_verify_fd(fd, sig.data, &keys[i], 1, &ignore) == 0)
            sodium_bin2hex(b->signer, sizeof b->signer, keys[i].id, sizeof keys[i].id);
        buf_clear(&ignore);
    }
    buf_free(&ignore);
    if (b->signer[0]) {
        rc = 0;
    } else {
        struct buf reason;
        buf_init(&reason);
        lseek(fd, 0, SEEK_SET);
        minisign_verify_fd(fd, sig.data, keys, n, &reason);
        buf_printf(why, "%s: the signature does not verify with a registered key (%s)", sig.data,
                   reason.len ? reason.data : "no key matches");
        buf_free(&reason);
    }
fail:
    if (fd >= 0)
        close(fd);
    buf_free(&sig);
    return rc;
}

/* ---- the files ---- */

static const struct listed_file *listed(const struct batch *b, const char *name)
{
    for (size_t i = 0; i < b->nfiles; i++) {
        if (strcmp(b->files[i].name, name) == 0)
            return &b->files[i];
    }
    return NULL;
}

static int verify_files(struct batch *b, struct buf *why)
{
    static const char *const required[] = {"responses.csv", "responses.jsonl", "checkins.csv"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        if (!listed(b, required[i])) {
            buf_printf(why, "%s/manifest.json: does not list %s", b->dir, required[i]);
            return INGEST_REFUSED;
        }
    }
    struct buf other;
    buf_init(&other);
    int rc = 0;
    for (size_t i = 0; i < b->nfiles && !rc; i++) {
        const struct listed_file *f = &b->files[i];
        struct buf *into = strcmp(f->name, "responses.jsonl") == 0 ? &b->jsonl
                           : strcmp(f->name, "checkins.csv") == 0  ? &b->checkins
                                                                   : &other;
        if ((rc = read_listed(b, f->name, DATA_FILE_MAX, into, why)))
            break;
        char hex[65];
        sha256_hex(into->data ? into->data : "", into->len, hex);
        if (into->len != f->bytes) {
            buf_printf(why, "%s/%s: %zu bytes, the manifest says %llu", b->dir, f->name,
                       into->len, f->bytes);
            rc = INGEST_REFUSED;
        } else if (strcmp(hex, f->sha256) != 0) {
            buf_printf(why, "%s/%s: SHA-256 does not match the manifest (the file is damaged)",
                       b->dir, f->name);
            rc = INGEST_REFUSED;
        }
    }
    buf_free(&other);
    return rc;
}

/* ---- records ---- */

/* Room for at most min(counted, lines in text + 1) rows: a manifest's
 * count never makes us allocate more than the file can hold. */
static void rows_init(struct central_rows *rows, const char *table, const char *const *cols,
                      int ncols, long counted, const struct buf *text)
{
    size_t expect = 1;
    for (size_t i = 0; i < text->len; i++)
        expect += text->data[i] == '\n';
    if ((size_t)counted < expect)
        expect = (size_t)counted;
    rows->table = table;
    rows->cols = cols;
    rows->ncols = ncols;
    rows->nrows = 0;
    rows->cells = xcalloc(expect ? expect * (size_t)ncols : 1, sizeof *rows->cells);
}

/* Frees the cells of rows; column shared (the batch name) is not owned. */
static void rows_free(struct central_rows *rows, int shared)
{
    if (!rows->cells)
        return;
    for (size_t i = 0; i < rows->nrows * (size_t)rows->ncols; i++) {
        if ((int)(i % (size_t)rows->ncols) != shared)
            free(rows->cells[i]);
    }
    free(rows->cells);
    rows->cells = NULL;
}

/* One line of responses.jsonl into cells[R_COLS]. 0 or INGEST_REFUSED. */
static int parse_response(struct batch *b, const char *line, size_t len, int lineno,
                          char **cells, struct buf *why)
{
    struct json_reader *r = json_reader_create_mem(line, len);
    bool seen[R_BATCH] = {false};
    int rc = INGEST_REFUSED;
    enum json_tok t = json_next(r);
    if (t != JSON_OBJECT) {
        json_refusal(b, r, t, "responses.jsonl", lineno, "not a JSON object", why);
        goto fail;
    }
    while ((t = json_next(r)) == JSON_KEY) {
        int k = 0;
        while (k < R_BATCH && strcmp(response_cols[k], json_text(r, NULL)) != 0)
            k++;
        if (k < R_BATCH && seen[k]) {
            buf_printf(why, "%s/responses.jsonl:%d: \"%s\" twice", b->dir, lineno,
                       response_cols[k]);
            goto fail;
        }
        t = json_next(r);
        const char *v = json_text(r, NULL);
        if (k == R_BATCH) {
            if (!json_skip(r, t))
                break;
            continue;
        }
        seen[k] = true;
        if (k >= R_ANSWERS && t == JSON_NULL)
            continue;
        bool ok = k >= R_ANSWERS ? t == JSON_NUMBER && v[0] >= '1' && v[0] <= '5' && !v[1]
                                 : t == JSON_STRING;
        if (!ok) {
            buf_printf(why, "%s/responses.jsonl:%d: \"%s\" must be %s", b->dir, lineno,
                       response_cols[k], k >= R_ANSWERS ? "1 to 5 or null" : "a string");
            goto fail;
        }
        cells[k] = xstrdup(v);
    }
    if (t != JSON_OBJECT_END || json_next(r) != JSON_END) {
        json_refusal(b, r, t == JSON_OBJECT_END ? JSON_ERROR : t, "responses.jsonl", lineno,
                     "not a JSON object", why);
        goto fail;
    }
    for (int k = 0; k < R_BATCH; k++) {
        if (!seen[k]) {
            buf_printf(why, "%s/responses.jsonl:%d: \"%s\" is missing", b->dir, lineno,
                       response_cols[k]);
            goto fail;
        }
    }
    const char *bad = !id_text(cells[R_ID])                        ? "response_id"
                      : !date_text(cells[R_DATE])                  ? "date"
                      : !plain_text(cells[R_SITE], TEXT_MAX, false) ? "site"
                      : !plain_text(cells[R_UNIT], TEXT_MAX, true)  ? "unit"
                      : !id_text(cells[R_LANG]) || strlen(cells[R_LANG]) > 35 ? "language"
                                                                              : NULL;
    if (bad) {
        buf_printf(why, "%s/responses.jsonl:%d: \"%s\" is not valid", b->dir, lineno, bad);
        goto fail;
    }
    rc = 0;
fail:
    json_reader_destroy(r);
    return rc;
}

static int parse_responses(struct batch *b, struct buf *why)
{
    struct central_rows *rows = &b->rows[0];
    rows_init(rows, "responses", response_cols, R_COLS, b->counts[0], &b->jsonl);
    const char *p = b->jsonl.data ? b->jsonl.data : "", *end = p + b->jsonl.len;
    int lineno = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        lineno++;
        if (!nl) {
            buf_printf(why, "%s/responses.jsonl:%d: the last line has no line end", b->dir,
                       lineno);
            return INGEST_REFUSED;
        }
        if (rows->nrows == (size_t)b->counts[0]) {
            buf_printf(why, "%s/responses.jsonl: more records than the manifest counts (%ld)",
                       b->dir, b->counts[0]);
            return INGEST_REFUSED;
        }
        char **cells = rows->cells + rows->nrows * R_COLS;
        rows->nrows++;
        cells[R_BATCH] = b->name;
        if (parse_response(b, p, (size_t)(nl - p), lineno, cells, why))
            return INGEST_REFUSED;
        p = nl + 1;
    }
    if (rows->nrows != (size_t)b->counts[0]) {
        buf_printf(why, "%s/responses.jsonl: %zu records, the manifest counts %ld", b->dir,
                   rows->nrows, b->counts[0]);
        return INGEST_REFUSED;
    }
    return 0;
}

static int checkin_row(struct batch *b, struct csv_reader *csv, char **cells, struct buf *why)
{
    static const char *const kinds[] = {"appointment", "session", "walkin"};
    if (csv->ncells != C_BATCH) {
        buf_printf(why, "%s/checkins.csv:%d: %zu cells, expected %d", b->dir, csv->line,
                   csv->ncells, C_BATCH);
        return INGEST_REFUSED;
    }
    for (int i = 0; i < C_BATCH; i++) {
        const char *v = csv_cell(csv, (size_t)i);
        /* The kiosk writes a cell a spreadsheet could take for a formula
         * (or one starting with an apostrophe) with one apostrophe before
         * it (OWASP's advice); the stored text is the rest. */
        if (v[0] == '\'')
            v++;
        if (!plain_text(v, TEXT_MAX, true)) {
            buf_printf(why, "%s/checkins.csv:%d: \"%s\" holds control characters or is too long",
                       b->dir, csv->line, checkin_cols[i]);
            return INGEST_REFUSED;
        }
        cells[i] = *v || i <= C_KIND ? xstrdup(v) : NULL;
    }
    int h, m;
    bool kind_ok = false;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        kind_ok = kind_ok || strcmp(cells[C_KIND], kinds[i]) == 0;
    const char *bad = !id_text(cells[C_ID])                      ? "checkin_id"
                      : !date_text(cells[C_DATE])                ? "date"
                      : !parse_hhmm(cells[C_TIME], &h, &m)        ? "time"
                      : !*cells[C_SITE]                          ? "site"
                      : !kind_ok                                 ? "kind"
                                                                 : NULL;
    if (bad) {
        buf_printf(why, "%s/checkins.csv:%d: \"%s\" is not valid", b->dir, csv->line, bad);
        return INGEST_REFUSED;
    }
    return 0;
}

static int parse_checkins(struct batch *b, struct buf *why)
{
    struct central_rows *rows = &b->rows[1];
    rows_init(rows, "checkins", checkin_cols, C_COLS, b->counts[1], &b->checkins);
    struct csv_reader csv;
    csv_reader_init(&csv, b->checkins.data ? b->checkins.data : "", b->checkins.len, ';');
    int rc = INGEST_REFUSED, got;
    struct buf header;
    buf_init(&header);
    if ((got = csv_next(&csv)) == 1) {
        for (size_t i = 0; i < csv.ncells; i++)
            buf_printf(&header, "%s%s", i ? ";" : "", csv_cell(&csv, i));
    }
    if (got != 1 || strcmp(header.data, CHECKINS_HEADER) != 0) {
        buf_printf(why, "%s/checkins.csv:1: the header row must be %s", b->dir, CHECKINS_HEADER);
        goto fail;
    }
    while ((got = csv_next(&csv)) == 1) {
        if (rows->nrows == (size_t)b->counts[1]) {
            buf_printf(why, "%s/checkins.csv: more records than the manifest counts (%ld)",
                       b->dir, b->counts[1]);
            goto fail;
        }
        char **cells = rows->cells + rows->nrows * C_COLS;
        rows->nrows++;
        cells[C_BATCH] = b->name;
        if (checkin_row(b, &csv, cells, why))
            goto fail;
    }
    if (got < 0) {
        buf_printf(why, "%s/checkins.csv:%d: %s", b->dir, csv.line, csv.error);
        goto fail;
    }
    if (rows->nrows != (size_t)b->counts[1]) {
        buf_printf(why, "%s/checkins.csv: %zu records, the manifest counts %ld", b->dir,
                   rows->nrows, b->counts[1]);
        goto fail;
    }
    rc = 0;
fail:
    buf_free(&header);
    csv_reader_deinit(&csv);
    return rc;
}

/* ---- loading ---- */

static int load(struct central_db *db, struct batch *b, struct ingest_result *res)
{
    char seq[16], now[21], responses[24], checkins[24];
    snprintf(seq, sizeof seq, "%ld", b->seq);
    snprintf(responses, sizeof responses, "%zu", b->rows[0].nrows);
    snprintf(checkins, sizeof checkins, "%zu", b->rows[1].nrows);
    clock_rfc3339(clock_now(), now);
    const char *params[] = {b->site, b->kiosk, seq, b->name, b->created_at, b->manifest_sha,
                            b->signer[0] ? b->signer : NULL, now, responses, checkins};
    long batch_added = 0;
    if (db->ops->exec(db, "BEGIN", 0, NULL, NULL))
        return -1;
    if (db->ops->exec(db,
                      "INSERT INTO batches (site, kiosk, seq, name, created_at, manifest_sha256,"
                      " signed_by, ingested_at, responses, checkins)"
                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                      " ON CONFLICT (site, kiosk, seq) DO NOTHING",
                      10, params, &batch_added) ||
        db->ops->load(db, &b->rows[0], &res->responses_added) ||
        db->ops->load(db, &b->rows[1], &res->checkins_added) ||
        db->ops->exec(db, "COMMIT", 0, NULL, NULL))
        goto fail;
    res->batch_known = batch_added == 0;
    return 0;
fail:
    db->ops->exec(db, "ROLLBACK", 0, NULL, NULL);
    res->responses_added = res->checkins_added = 0;
    return -1;
}

static void batch_free(struct batch *b)
{
    if (b->dirfd >= 0)
        close(b->dirfd);
    buf_free(&b->manifest);
    buf_free(&b->jsonl);
    buf_free(&b->checkins);
    for (size_t i = 0; i < b->nfiles; i++)
        free(b->files[i].name);
    rows_free(&b->rows[0], R_BATCH);
    rows_free(&b->rows[1], C_BATCH);
    free(b->site);
    free(b->kiosk);
    free(b->created_at);
    free(b->name);
}

int ingest_batch(struct central_db *db, const char *dir, const struct minisign_key *keys,
                 size_t n, struct ingest_result *res, struct buf *why)
{
    struct batch b = {.dir = dir, .counts = {-1, -1}};
    buf_init(&b.manifest);
    buf_init(&b.jsonl);
    buf_init(&b.checkins);
    memset(res, 0, sizeof *res);
    buf_clear(why);
    int rc = INGEST_REFUSED;
    b.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (b.dirfd < 0) {
        buf_printf(why, "%s: cannot open the batch folder: %s", dir, strerror(errno));
        goto fail;
    }
    if ((rc = read_listed(&b, "manifest.json", MANIFEST_MAX, &b.manifest, why)))
        goto fail;
    sha256_hex(b.manifest.data ? b.manifest.data : "", b.manifest.len, b.manifest_sha);
    if ((n && (rc = check_signature(&b, keys, n, why))) || (rc = parse_manifest(&b, why)) ||
        (rc = verify_files(&b, why)))
        goto fail;
    size_t name_len = strlen(b.site) + strlen(b.kiosk) + 32;
    b.name = xmalloc(name_len);
    snprintf(b.name, name_len, "skranke-%s-%s-%06ld", b.site, b.kiosk, b.seq);
    if ((rc = parse_responses(&b, why)) || (rc = parse_checkins(&b, why)))
        goto fail;
    snprintf(res->name, sizeof res->name, "%s", b.name);
    res->responses = (long)b.rows[0].nrows;
    res->checkins = (long)b.rows[1].nrows;
    rc = db ? load(db, &b, res) : 0;
fail:
    batch_free(&b);
    return rc;
}

/* ---- keys ---- */

struct key_list {
    struct minisign_key *keys;
    size_t n;
};

static int add_key(void *ctx, int ncols, const char *const *vals)
{
    struct key_list *l = ctx;
    unsigned char raw[40];
    size_t got = 0;
    if (ncols != 1 || !vals[0] ||
        sodium_hex2bin(raw, sizeof raw, vals[0], strlen(vals[0]), NULL, &got, NULL) || got != 40) {
        log_msg(LOG_MODULE, "a registered key is damaged: %s", vals[0] ? vals[0] : "NULL");
        return -1;
    }
    l->keys = xrealloc(l->keys, (l->n + 1) * sizeof *l->keys);
    memcpy(l->keys[l->n].id, raw, 8);
    memcpy(l->keys[l->n].pk, raw + 8, 32);
    l->n++;
    return 0;
}

int ingest_load_keys(struct central_db *db, struct minisign_key **keys, size_t *n)
{
    struct key_list l = {NULL, 0};
    int rc = db->ops->query(db, "SELECT key_id || public_key FROM signing_keys", 0, NULL,
                            add_key, &l);
    if (rc) {
        free(l.keys);
        return -1;
    }
    *keys = l.keys;
    *n = l.n;
    return 0;
}

/*
 * store.c — opening, migrating, and the durable write path of the store;
 * survey responses, check-ins, and the read side of jobs, schedules and
 * exports. Batch import and export live in their own files.
 *
 * Format versions (meta "format"):
 *   1  the first layout: records only; finding what waits for export meant
 *      reading every record.
 *   2  adds the `pending` database, one key per record waiting for export,
 *      so export and status cost what is waiting, not what is kept.
 *   3  adds the `batches` database, what each export batch holds, written
 *      when the batch is decided; an export attempt no longer uses up a seq
 *      (attempts logged by format 2 that never verified are dropped, and
 *      batches whose marking was cut short count as done with what was
 *      marked).
 *   4  appointments and sessions may carry their texts in other languages
 *      (skranke.schedule/2; record version 2). Nothing is rewritten:
 *      version-1 records stay readable as they are. The number keeps an
 *      older skranke, which cannot read the new records, from opening the
 *      store (STORE_ENEWER) instead of failing on them later.
 * A store of an older version is migrated in the same transaction that
 * opens it; a newer one is refused.
 */
#define _GNU_SOURCE
#include "store_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <sodium.h>

#include "record.h"

#define LOG(...) log_msg("store", __VA_ARGS__)
#define MIB ((size_t)1 << 20)

const char *const store_question_keys[STORE_QUESTIONS] = {"empowerment", "ressourcefokus",
                                                           "progression", "vaerdighed"};

static const char *const db_names[DB_COUNT] = {
    [DB_META] = "meta",         [DB_SETTINGS] = "settings",
    [DB_RESPONSES] = "responses", [DB_CHECKINS] = "checkins",
    [DB_PENDING] = "pending",   [DB_JOBS] = "jobs",
    [DB_APPOINTMENTS] = "appointments", [DB_SESSIONS] = "sessions",
    [DB_COUNTERS] = "counters", [DB_EXPORTS] = "exports",
    [DB_BATCHES] = "batches",
};

const char *store_strerror(int err)
{
    switch (err) {
    case STORE_OK: return "done";
    case STORE_EIO: return "the kiosk's storage failed (see the log for details)";
    case STORE_EFULL: return "the kiosk's storage is full (export and purge, or raise map_max_mb)";
    case STORE_ENEWER:
        return "the data was written by a newer version of skranke; install that version";
    case STORE_ECORRUPT: return "a stored record is damaged and could not be read";
    case STORE_ENOTFOUND: return "not found";
    case STORE_EINVAL: return "refused: the input is not valid";
    case STORE_EEXIST: return "already exists";
    case STORE_ENOSPC:
        return "disk full: the kiosk's disk has no room left for its data (free space on it; "
               "nothing was changed)";
    default: return "unknown error";
    }
}

const char *checkin_kind_name(enum checkin_kind k)
{
    switch (k) {
    case CHECKIN_APPOINTMENT: return "appointment";
    case CHECKIN_SESSION: return "session";
    case CHECKIN_WALKIN: return "walkin";
    }
    return "";
}

const char *job_hours_name(enum job_hours h)
{
    static const char *const names[] = {"", "full", "part", "flexible"};
    return h <= JOB_HOURS_FLEXIBLE ? names[h] : "";
}

const char *job_kind_name(enum job_kind k)
{
    static const char *const names[] = {"",           "ordinary",   "flexjob", "apprentice",
                                        "paid_hours", "internship", "student"};
    return k <= JOB_KIND_STUDENT ? names[k] : "";
}

const char *const store_langs[STORE_LANGS] = {"da", "en", "uk", "ar", "fa", "pl", "so", "ti"};

int store_lang_index(const char *code)
{
    for (int i = 0; i < STORE_LANGS; i++)
        if (strcmp(code, store_langs[i]) == 0)
            return i;
    return -1;
}

const char *store_tr_pick(const struct store_tr *tr, const char *danish, const char *lang)
{
    int i = lang ? store_lang_index(lang) : -1;
    return tr && i > 0 && tr->text[i][0] ? tr->text[i] : danish;
}

int store_tr_count(const struct store_tr *tr)
{
    int n = 0;
    for (int i = 1; i < STORE_LANGS; i++)
        n += tr->text[i][0] != 0;
    return n;
}

void store_new_id(char out[37])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

/* ---- small LMDB helpers ---- */

int store_put_str(MDB_txn *txn, MDB_dbi dbi, const char *key, const void *data, size_t len,
                  unsigned flags)
{
    MDB_val k = {strlen(key), (void *)key}, v = {len, (void *)data};
    return mdb_put(txn, dbi, &k, &v, flags);
}

int store_get_str(MDB_txn *txn, MDB_dbi dbi, const char *key, MDB_val *out)
{
    MDB_val k = {strlen(key), (void *)key};
    return mdb_get(txn, dbi, &k, out);
}

int store_meta_u32(struct store *s, MDB_txn *txn, const char *key, uint32_t *out)
{
    MDB_val v;
    int rc = store_get_str(txn, s->dbi[DB_META], key, &v);
    if (rc)
        return rc == MDB_NOTFOUND ? STORE_ENOTFOUND : rc;
    if (v.mv_size != 4)
        return STORE_ECORRUPT;
    memcpy(out, v.mv_data, 4);
    return 0;
}

int store_meta_put_u32(struct store *s, MDB_txn *txn, const char *key, uint32_t v)
{
    return store_put_str(txn, s->dbi[DB_META], key, &v, 4, 0);
}

int store_delete_prefix(MDB_txn *txn, MDB_dbi dbi, const void *prefix, size_t n)
{
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, dbi, &cur);
    if (rc)
        return rc;
    MDB_val k = {n, (void *)prefix}, v;
    rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    while (rc == 0 && k.mv_size >= n && memcmp(k.mv_data, prefix, n) == 0) {
        rc = mdb_cursor_del(cur, 0);
        if (rc)
            break;
        /* After a delete the cursor stands on the next item; MDB_NEXT
         * returns it rather than skipping it. */
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

void store_key3(struct buf *b, const char *a, const char *bpart, const char *c)
{
    buf_clear(b);
    buf_put(b, a, strlen(a) + 1);
    buf_put(b, bpart, strlen(bpart) + 1);
    buf_put(b, c, strlen(c));
}

/* ---- the transaction wrappers ---- */

/* Whether the file system under the store has (next to) no room left. LMDB
 * reports a write the disk cut short as EIO, so an EIO is checked here. */
static bool disk_full(const struct store *s)
{
    struct statvfs v;
    return statvfs(s->dir, &v) == 0 && (uint64_t)v.f_bavail * v.f_frsize < 64 * 1024;
}

static int map_err(const struct store *s, int rc)
{
    if (rc == 0 || (rc >= STORE_EIO && rc <= STORE_ENOSPC))
        return rc;
    if (rc == ENOSPC || rc == EDQUOT || (rc == EIO && disk_full(s))) {
        LOG("LMDB: %s: the disk under %s is full", mdb_strerror(rc), s->dir);
        return STORE_ENOSPC;
    }
    LOG("LMDB: %s", mdb_strerror(rc));
    return STORE_EIO;
}

/* Called with no transaction of ours open. */
static int grow_map(struct store *s, bool reserve)
{
    MDB_envinfo info;
    int rc = 0;
    /* The work that empties a full store may pass the ceiling a little:
     * an eighth of it, and at least 1 MiB. map_max changes only under the
     * write lock (store_config_set of map_max_mb). */
    pthread_rwlock_wrlock(&s->resize_lock);
    size_t ceiling = s->map_max;
    size_t extra = ceiling / 8 > MIB ? ceiling / 8 : MIB;
    size_t limit = reserve ? ceiling + extra : ceiling;
    mdb_env_info(s->env, &info);
    size_t cur = info.me_mapsize;
    if (cur >= limit) {
        rc = STORE_EFULL;
    } else {
        size_t next = cur * 2 < limit ? cur * 2 : limit;
        rc = mdb_env_set_mapsize(s->env, next);
        if (rc) {
            LOG("growing the map to %zu bytes: %s", next, mdb_strerror(rc));
            rc = STORE_EFULL;
        }
    }
    pthread_rwlock_unlock(&s->resize_lock);
    if (rc == STORE_EFULL)
        LOG("the store is full at its ceiling of %.1f MiB", (double)ceiling / (double)MIB);
    return rc;
}

/* Another process grew the map: adopt its size. */
static void adopt_map_size(struct store *s)
{
    pthread_rwlock_wrlock(&s->resize_lock);
    mdb_env_set_mapsize(s->env, 0);
    pthread_rwlock_unlock(&s->resize_lock);
}

static int run_txn(struct store *s, unsigned flags, bool reserve,
                   int (*fn)(struct store *, MDB_txn *, void *), void *ctx)
{
    for (;;) {
        MDB_txn *txn;
        pthread_rwlock_rdlock(&s->resize_lock);
        int rc = mdb_txn_begin(s->env, NULL, flags, &txn);
        if (rc == MDB_MAP_RESIZED) {
            pthread_rwlock_unlock(&s->resize_lock);
            adopt_map_size(s);
            continue;
        }
        if (rc == 0) {
            rc = fn(s, txn, ctx);
            if (rc == 0 && !(flags & MDB_RDONLY))
                rc = mdb_txn_commit(txn);
            else
                mdb_txn_abort(txn);
        }
        pthread_rwlock_unlock(&s->resize_lock);
        if (rc == MDB_MAP_FULL) {
            rc = grow_map(s, reserve);
            if (rc == 0)
                continue;
        }
        return map_err(s, rc);
    }
}

void store_expect(struct store *s, size_t bytes)
{
    pthread_rwlock_wrlock(&s->resize_lock);
    MDB_envinfo info;
    MDB_stat st;
    mdb_env_info(s->env, &info);
    mdb_env_stat(s->env, &st);
    size_t used = (info.me_last_pgno + 1) * (size_t)st.ms_psize;
    size_t want = info.me_mapsize;
    while (want < used + bytes && want * 2 <= s->map_max)
        want *= 2;
    if (want > info.me_mapsize && mdb_env_set_mapsize(s->env, want) != 0)
        LOG("growing the map ahead to %zu bytes failed; the write will grow it", want);
    pthread_rwlock_unlock(&s->resize_lock);
}

int store_write(struct store *s, int (*fn)(struct store *, MDB_txn *, void *), void *ctx)
{
    return run_txn(s, 0, false, fn, ctx);
}

int store_write_reserve(struct store *s, int (*fn)(struct store *, MDB_txn *, void *),
                        void *ctx)
{
    return run_txn(s, 0, true, fn, ctx);
}

int store_read(struct store *s, int (*fn)(struct store *, MDB_txn *, void *), void *ctx)
{
    return run_txn(s, MDB_RDONLY, false, fn, ctx);
}

/* ---- open, migrate, close ---- */

static int mkdir_p(const char *dir)
{
    char *p = xstrdup(dir);
    for (char *q = p + 1; *q; q++) {
        if (*q != '/')
            continue;
        *q = '\0';
        if (mkdir(p, 0700) && errno != EEXIST) {
            free(p);
            return -1;
        }
        *q = '/';
    }
    int rc = mkdir(p, 0700) && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}

/* Format 1 → 2: list every record not yet exported in `pending`. */
static int migrate_1_to_2(struct store *s, MDB_txn *txn)
{
    static const struct {
        enum store_db db;
        char tag;
    } kinds[] = {{DB_RESPONSES, 'r'}, {DB_CHECKINS, 'c'}};
    for (size_t i = 0; i < 2; i++) {
        MDB_cursor *cur;
        MDB_val k, v;
        int rc = mdb_cursor_open(txn, s->dbi[kinds[i].db], &cur);
        if (rc)
            return rc;
        while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
            uint32_t seq;
            if (kinds[i].db == DB_RESPONSES) {
                struct response r;
                if (!rec_decode_response(v.mv_data, v.mv_size, &r))
                    rc = STORE_ECORRUPT;
                seq = r.exported_seq;
            } else {
                struct checkin c;
                if (!rec_decode_checkin(v.mv_data, v.mv_size, &c))
                    rc = STORE_ECORRUPT;
                seq = c.exported_seq;
            }
            if (rc)
                break;
            if (seq)
                continue;
            char key[1 + 64];
            key[0] = kinds[i].tag;
            size_t n = k.mv_size < 64 ? k.mv_size : 64;
            memcpy(key + 1, k.mv_data, n);
            MDB_val pk = {n + 1, key}, pv = {0, ""};
            rc = mdb_put(txn, s->dbi[DB_PENDING], &pk, &pv, 0);
            if (rc)
                break;
        }
        mdb_cursor_close(cur);
        if (rc != MDB_NOTFOUND)
            return rc;
    }
    return 0;
}

/* Format 2 → 3: what each batch holds, from the seq its records were
 * marked with; attempts that never verified held nothing and go. */
static int migrate_2_to_3(struct store *s, MDB_txn *txn)
{
    MDB_cursor *cur;
    MDB_val k, v;
    struct buf key;
    buf_init(&key);
    int rc = mdb_cursor_open(txn, s->dbi[DB_RESPONSES], &cur);
    while (!rc && (rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
        struct response r;
        if (!rec_decode_response(v.mv_data, v.mv_size, &r))
            rc = STORE_ECORRUPT;
        else if (r.exported_seq)
            rc = store_put_member(s, txn, r.exported_seq, 'r', NULL, r.id, &key);
    }
    if (rc == MDB_NOTFOUND) {
        mdb_cursor_close(cur);
        rc = mdb_cursor_open(txn, s->dbi[DB_CHECKINS], &cur);
    }
    while (!rc && (rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
        struct checkin c;
        if (!rec_decode_checkin(v.mv_data, v.mv_size, &c))
            rc = STORE_ECORRUPT;
        else if (c.exported_seq)
            rc = store_put_member(s, txn, c.exported_seq, 'c', &c, c.id, &key);
    }
    if (rc == MDB_NOTFOUND) {
        mdb_cursor_close(cur);
        rc = mdb_cursor_open(txn, s->dbi[DB_EXPORTS], &cur);
    }
    while (!rc && (rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
        struct export_log e;
        if (!rec_decode_export(v.mv_data, v.mv_size, &e)) {
            rc = STORE_ECORRUPT;
        } else if (e.marking) {
            e.done = true;
            e.marking = false;
            rec_encode_export(&key, &e);
            MDB_val nv = {key.len, key.data};
            rc = mdb_cursor_put(cur, &k, &nv, MDB_CURRENT);
        } else if (!e.done) {
            rc = mdb_cursor_del(cur, 0);
        }
    }
    mdb_cursor_close(cur);
    buf_free(&key);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Format 3 → 4: nothing to rewrite (see the top). */
static int migrate_3_to_4(struct store *s, MDB_txn *txn)
{
    (void)s;
    (void)txn;
    return 0;
}

static int (*const migrations[])(struct store *, MDB_txn *) = {
    [1] = migrate_1_to_2,
    [2] = migrate_2_to_3,
    [3] = migrate_3_to_4,
};

static int open_dbs(struct store *s, MDB_txn *txn, void *ctx)
{
    (void)ctx;
    for (int i = 0; i < DB_COUNT; i++) {
        int rc = mdb_dbi_open(txn, db_names[i], MDB_CREATE, &s->dbi[i]);
        if (rc)
            return rc;
    }
    uint32_t version;
    int rc = store_meta_u32(s, txn, "format", &version);
    if (rc == STORE_ENOTFOUND)
        return store_meta_put_u32(s, txn, "format", STORE_FORMAT_VERSION);
    if (rc)
        return rc;
    if (version > STORE_FORMAT_VERSION) {
        LOG("%s holds data of format %u; this skranke reads up to format %u", s->dir, version,
            STORE_FORMAT_VERSION);
        return STORE_ENEWER;
    }
    if (version == 0)
        return STORE_ECORRUPT;
    for (uint32_t v = version; v < STORE_FORMAT_VERSION; v++) {
        LOG("migrating %s from format %u to %u", s->dir, v, v + 1);
        rc = migrations[v](s, txn);
        if (rc)
            return rc;
    }
    if (version != STORE_FORMAT_VERSION)
        return store_meta_put_u32(s, txn, "format", STORE_FORMAT_VERSION);
    return 0;
}

int store_open(struct store **out, const char *dir, const struct store_options *opts)
{
    *out = NULL;
    if (sodium_init() < 0) {
        LOG("libsodium failed to start");
        return STORE_EIO;
    }
    if (mkdir_p(dir)) {
        LOG("cannot create %s: %s", dir, strerror(errno));
        return STORE_EIO;
    }
    struct store *s = xcalloc(1, sizeof *s);
    s->dir = xstrdup(dir);
    pthread_rwlock_init(&s->resize_lock, NULL);
    size_t initial = opts && opts->map_initial ? opts->map_initial : 32 * MIB;
    s->map_max = opts && opts->map_max ? opts->map_max : 2048 * MIB;
    if (initial > s->map_max)
        initial = s->map_max;

    int rc = mdb_env_create(&s->env);
    if (!rc)
        rc = mdb_env_set_maxdbs(s->env, DB_COUNT);
    if (!rc)
        rc = mdb_env_set_mapsize(s->env, initial);
    if (!rc)
        rc = mdb_env_open(s->env, dir, MDB_NOTLS, 0600);
    if (rc) {
        LOG("cannot open the store in %s: %s", dir, mdb_strerror(rc));
        rc = STORE_EIO;
        goto fail;
    }
    int dead;
    mdb_reader_check(s->env, &dead);
    if (dead)
        LOG("cleared %d stale reader slot(s) left by a process that died", dead);
    rc = store_write(s, open_dbs, NULL);
    if (rc)
        goto fail;
    if (!opts || !opts->map_max) {
        long mb = store_config_long(s, "map_max_mb");
        if (mb > 0)
            s->map_max = (size_t)mb * MIB;
    }
    *out = s;
    return STORE_OK;
fail:
    store_close(s);
    return rc;
}

void store_trim(struct store *s)
{
    /* LMDB does not say where its map is (only for fixed maps), so find the
     * mapping of data.mdb. It is MAP_SHARED and never written through (no
     * writable-map option), so dropping its pages loses nothing. */
    char want[4200], line[4600];
    snprintf(want, sizeof want, "%s/data.mdb", s->dir);
    char *real = realpath(want, NULL);
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f || !real) {
        if (f)
            fclose(f);
        free(real);
        return;
    }
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char path[4200] = "";
        if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %4199s", &lo, &hi, path) == 3 &&
            strcmp(path, real) == 0)
            madvise((void *)lo, hi - lo, MADV_DONTNEED);
    }
    fclose(f);
    free(real);
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->env)
        mdb_env_close(s->env);
    pthread_rwlock_destroy(&s->resize_lock);
    free(s->dir);
    free(s);
}

/* ---- responses and check-ins ---- */

static bool text_ok(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    if (n == cap || !utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return false;
    return true;
}

static bool id_ok(const char *id)
{
    if (strnlen(id, 37) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? id[i] != '-' : !strchr("0123456789abcdef", id[i]))
            return false;
    }
    return true;
}

static bool date_ok(const char *d)
{
    int y, m, dd;
    return strnlen(d, 11) == 10 && parse_date(d, &y, &m, &dd);
}

struct put_ctx {
    const char *id;
    enum store_db db;
    char tag;
    struct buf rec;
};

static int put_record(struct store *s, MDB_txn *txn, void *vctx)
{
    struct put_ctx *c = vctx;
    MDB_val k = {strlen(c->id), (void *)c->id}, v = {c->rec.len, c->rec.data};
    int rc = mdb_put(txn, s->dbi[c->db], &k, &v, MDB_NOOVERWRITE);
    if (rc == MDB_KEYEXIST)
        return STORE_EEXIST;
    if (rc)
        return rc;
    char key[38];
    key[0] = c->tag;
    memcpy(key + 1, c->id, 37);
    return store_put_str(txn, s->dbi[DB_PENDING], key, "", 0, 0);
}

static int put_encoded(struct store *s, const char *id, enum store_db db, char tag,
                       struct buf *rec)
{
    struct put_ctx c = {.id = id, .db = db, .tag = tag, .rec = *rec};
    return store_write(s, put_record, &c);
}

int store_put_response(struct store *s, const struct response *r)
{
    bool ok = id_ok(r->id) && date_ok(r->date) && text_ok(r->site, sizeof r->site) &&
              text_ok(r->unit, sizeof r->unit) && text_ok(r->language, sizeof r->language);
    for (int i = 0; i < STORE_QUESTIONS; i++)
        ok = ok && r->answers[i] <= 5;
    if (!ok)
        return STORE_EINVAL;
    struct response copy = *r;
    copy.exported_seq = 0;
    struct buf b;
    buf_init(&b);
    rec_encode_response(&b, &copy);
    int rc = put_encoded(s, r->id, DB_RESPONSES, 'r', &b);
    buf_free(&b);
    return rc;
}

int store_put_checkin(struct store *s, const struct checkin *c)
{
    int h, m;
    bool ok = id_ok(c->id) && date_ok(c->date) && parse_hhmm(c->time, &h, &m) &&
              c->kind >= CHECKIN_APPOINTMENT && c->kind <= CHECKIN_WALKIN &&
              text_ok(c->site, sizeof c->site) && text_ok(c->code, sizeof c->code) &&
              text_ok(c->unit, sizeof c->unit) && text_ok(c->session_id, sizeof c->session_id) &&
              text_ok(c->ticket, sizeof c->ticket) && text_ok(c->result, sizeof c->result);
    if (!ok)
        return STORE_EINVAL;
    struct checkin copy = *c;
    copy.exported_seq = 0;
    struct buf b;
    buf_init(&b);
    rec_encode_checkin(&b, &copy);
    int rc = put_encoded(s, c->id, DB_CHECKINS, 'c', &b);
    buf_free(&b);
    return rc;
}

/* Iterates a whole database, handing each value to a decoder callback. */
struct scan_ctx {
    enum store_db db;
    const void *prefix;
    size_t prefix_len;
    int (*each)(const MDB_val *key, const MDB_val *val, void *ctx);
    void *ctx;
};

static int scan(struct store *s, MDB_txn *txn, void *vctx)
{
    struct scan_ctx *c = vctx;
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, s->dbi[c->db], &cur);
    if (rc)
        return rc;
    MDB_val k = {c->prefix_len, (void *)c->prefix}, v;
    rc = mdb_cursor_get(cur, &k, &v, c->prefix_len ? MDB_SET_RANGE : MDB_FIRST);
    while (rc == 0) {
        if (c->prefix_len &&
            (k.mv_size < c->prefix_len || memcmp(k.mv_data, c->prefix, c->prefix_len)))
            break;
        rc = c->each(&k, &v, c->ctx);
        if (rc)
            break;
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static int scan_db(struct store *s, enum store_db db, const void *prefix, size_t prefix_len,
                   int (*each)(const MDB_val *, const MDB_val *, void *), void *ctx)
{
    struct scan_ctx c = {db, prefix, prefix_len, each, ctx};
    return store_read(s, scan, &c);
}

/* The record kinds share one iterator: a record kind is its decoder
 * (record.c's codec) and the caller's function for the decoded struct. The
 * casts only change the type of a pointer parameter (struct X * to void *). */
union any_record {
    struct response response;
    struct checkin checkin;
    struct job job;
    struct appointment appointment;
    struct session session;
    struct schedule_info schedule;
    struct export_log export;
};

typedef bool (*decode_fn)(const void *data, size_t len, void *out);
typedef void (*record_fn)(const void *rec, void *ctx);
#define DECODER(f) ((decode_fn)(void (*)(void))(f))
#define HANDLER(f) ((record_fn)(void (*)(void))(f))

struct cb {
    decode_fn decode;
    record_fn fn;
    void *ctx;
};

static int each_record(const MDB_val *k, const MDB_val *v, void *vctx)
{
    (void)k;
    struct cb *c = vctx;
    union any_record rec;
    if (!c->decode(v->mv_data, v->mv_size, &rec))
        return STORE_ECORRUPT;
    c->fn(&rec, c->ctx);
    return 0;
}

/* Every record of db under prefix (NULL: all), decoded, to fn. */
static int scan_records(struct store *s, enum store_db db, const void *prefix, size_t len,
                        decode_fn decode, record_fn fn, void *ctx)
{
    struct cb c = {decode, fn, ctx};
    return scan_db(s, db, prefix, len, each_record, &c);
}

int store_foreach_response(struct store *s, void (*fn)(const struct response *, void *),
                           void *ctx)
{
    return scan_records(s, DB_RESPONSES, NULL, 0, DECODER(rec_decode_response), HANDLER(fn),
                        ctx);
}

int store_foreach_checkin(struct store *s, void (*fn)(const struct checkin *, void *), void *ctx)
{
    return scan_records(s, DB_CHECKINS, NULL, 0, DECODER(rec_decode_checkin), HANDLER(fn), ctx);
}

/* ---- jobs ---- */

static int read_jobs_info(struct store *s, MDB_txn *txn, void *vctx)
{
    struct jobs_info *out = vctx;
    MDB_val v;
    int rc = store_get_str(txn, s->dbi[DB_META], "jobs", &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return rc;
    return rec_decode_jobs_info(v.mv_data, v.mv_size, out) ? 0 : STORE_ECORRUPT;
}

int store_jobs_info(struct store *s, struct jobs_info *out)
{
    memset(out, 0, sizeof *out);
    return store_read(s, read_jobs_info, out);
}

struct job_scan {
    struct cb cb;
    struct store *s;
    size_t n;
};

static int each_job_trimmed(const MDB_val *k, const MDB_val *v, void *vctx)
{
    struct job_scan *js = vctx;
    /* A pass over 100 000 ads reads the whole database: let its pages go
     * as we move on, so memory holds what the caller keeps, not the file. */
    if (++js->n % 10000 == 0)
        store_trim(js->s);
    return each_record(k, v, &js->cb);
}

int store_foreach_job(struct store *s, void (*fn)(const struct job *, void *), void *ctx)
{
    struct job_scan js = {{DECODER(rec_decode_job), HANDLER(fn), ctx}, s, 0};
    int rc = scan_db(s, DB_JOBS, NULL, 0, each_job_trimmed, &js);
    store_trim(s);
    return rc;
}

struct get_job_ctx {
    uint32_t index;
    struct cb cb;
};

static int get_job(struct store *s, MDB_txn *txn, void *vctx)
{
    struct get_job_ctx *c = vctx;
    unsigned char key[4] = {(unsigned char)(c->index >> 24), (unsigned char)(c->index >> 16),
                            (unsigned char)(c->index >> 8), (unsigned char)c->index};
    MDB_val k = {4, key}, v;
    int rc = mdb_get(txn, s->dbi[DB_JOBS], &k, &v);
    if (rc == MDB_NOTFOUND)
        return STORE_ENOTFOUND;
    if (rc)
        return rc;
    return each_record(&k, &v, &c->cb);
}

int store_get_job(struct store *s, uint32_t index, void (*fn)(const struct job *, void *),
                  void *ctx)
{
    struct get_job_ctx c = {index, {DECODER(rec_decode_job), HANDLER(fn), ctx}};
    return store_read(s, get_job, &c);
}

/* ---- schedule ---- */

static void schedule_prefix(struct buf *b, const char *site, const char *date)
{
    buf_clear(b);
    if (site) {
        buf_put(b, site, strlen(site) + 1);
        if (date)
            buf_put(b, date, strlen(date) + 1);
    }
}

/* The records of one site and day (or all), decoded, to fn. */
static int scan_schedule(struct store *s, enum store_db db, const char *site, const char *date,
                         decode_fn decode, record_fn fn, void *ctx)
{
    struct buf p;
    buf_init(&p);
    schedule_prefix(&p, site, date);
    int rc = scan_records(s, db, p.data, p.len, decode, fn, ctx);
    buf_free(&p);
    return rc;
}

int store_foreach_appointment(struct store *s, const char *site, const char *date,
                              void (*fn)(const struct appointment *, void *), void *ctx)
{
    return scan_schedule(s, DB_APPOINTMENTS, site, date, DECODER(rec_decode_appointment),
                         HANDLER(fn), ctx);
}

int store_foreach_session(struct store *s, const char *site, const char *date,
                          void (*fn)(const struct session *, void *), void *ctx)
{
    return scan_schedule(s, DB_SESSIONS, site, date, DECODER(rec_decode_session), HANDLER(fn),
                         ctx);
}

int store_foreach_schedule(struct store *s, void (*fn)(const struct schedule_info *, void *),
                           void *ctx)
{
    return scan_records(s, DB_META, "sched", 6, DECODER(rec_decode_schedule_info), HANDLER(fn),
                        ctx);
}

struct find_ctx {
    struct buf key;
    struct appointment *out;
};

static int find_appointment(struct store *s, MDB_txn *txn, void *vctx)
{
    struct find_ctx *c = vctx;
    MDB_val k = {c->key.len, c->key.data}, v;
    int rc = mdb_get(txn, s->dbi[DB_APPOINTMENTS], &k, &v);
    if (rc == MDB_NOTFOUND)
        return STORE_ENOTFOUND;
    if (rc)
        return rc;
    return rec_decode_appointment(v.mv_data, v.mv_size, c->out) ? 0 : STORE_ECORRUPT;
}

int store_find_appointment(struct store *s, const char *site, const char *date, const char *code,
                           struct appointment *out)
{
    char upper[7];
    size_t n = strnlen(code, 7);
    if (n != 6)
        return STORE_ENOTFOUND;
    for (size_t i = 0; i < 6; i++)
        upper[i] = (code[i] >= 'a' && code[i] <= 'z') ? (char)(code[i] - 32) : code[i];
    upper[6] = '\0';
    struct find_ctx c = {.out = out};
    buf_init(&c.key);
    store_key3(&c.key, site, date, upper);
    int rc = store_read(s, find_appointment, &c);
    buf_free(&c.key);
    return rc;
}

/* ---- exports ---- */

void store_seq_key(uint32_t seq, unsigned char key[4])
{
    key[0] = (unsigned char)(seq >> 24);
    key[1] = (unsigned char)(seq >> 16);
    key[2] = (unsigned char)(seq >> 8);
    key[3] = (unsigned char)seq;
}

int store_put_export(struct store *s, MDB_txn *txn, const struct export_log *e)
{
    unsigned char key[4];
    store_seq_key(e->seq, key);
    struct buf b;
    buf_init(&b);
    rec_encode_export(&b, e);
    MDB_val k = {4, key}, v = {b.len, b.data};
    int rc = mdb_put(txn, s->dbi[DB_EXPORTS], &k, &v, 0);
    buf_free(&b);
    return rc;
}

void store_member_key(struct buf *key, uint32_t seq, char tag, const struct checkin *c,
                      const char *id)
{
    unsigned char sk[4];
    store_seq_key(seq, sk);
    buf_clear(key);
    buf_put(key, sk, 4);
    buf_putc(key, tag);
    if (c) {
        buf_put(key, c->date, 10);
        buf_put(key, c->time, 5);
    }
    buf_puts(key, id);
}

int store_put_member(struct store *s, MDB_txn *txn, uint32_t seq, char tag,
                     const struct checkin *c, const char *id, struct buf *key)
{
    store_member_key(key, seq, tag, c, id);
    MDB_val k = {key->len, key->data}, v = {0, ""};
    return mdb_put(txn, s->dbi[DB_BATCHES], &k, &v, 0);
}

int store_foreach_export(struct store *s, void (*fn)(const struct export_log *, void *),
                         void *ctx)
{
    return scan_records(s, DB_EXPORTS, NULL, 0, DECODER(rec_decode_export), HANDLER(fn), ctx);
}

static void find_export(const struct export_log *e, void *ctx)
{
    struct export_log *want = ctx;
    if (e->seq == want->seq)
        *want = *e;
}

int store_get_export(struct store *s, uint32_t seq, struct export_log *out)
{
    memset(out, 0, sizeof *out);
    out->seq = seq;
    int rc = store_foreach_export(s, find_export, out);
    if (rc)
        return rc;
    return out->created_at ? 0 : STORE_ENOTFOUND;
}

/* ---- status ---- */

static int count_pending(const MDB_val *k, const MDB_val *v, void *vctx)
{
    (void)v;
    struct store_status *st = vctx;
    if (((const char *)k->mv_data)[0] == 'r')
        st->responses_waiting++;
    else
        st->checkins_waiting++;
    return 0;
}

static int read_status(struct store *s, MDB_txn *txn, void *vctx)
{
    struct store_status *st = vctx;
    MDB_stat ms;
    int rc;
    if ((rc = mdb_stat(txn, s->dbi[DB_RESPONSES], &ms)))
        return rc;
    st->responses = ms.ms_entries;
    if ((rc = mdb_stat(txn, s->dbi[DB_CHECKINS], &ms)))
        return rc;
    st->checkins = ms.ms_entries;
    if ((rc = mdb_stat(txn, s->dbi[DB_JOBS], &ms)))
        return rc;
    st->jobs = ms.ms_entries;
    MDB_envinfo info;
    mdb_env_info(s->env, &info);
    mdb_env_stat(s->env, &ms);
    st->map_size = info.me_mapsize;
    st->map_used = (info.me_last_pgno + 1) * (size_t)ms.ms_psize;
    st->map_max = s->map_max;
    return store_meta_u32(s, txn, "format", &st->format_version);
}

static void last_done_export(const struct export_log *e, void *ctx)
{
    struct store_status *st = ctx;
    if (e->done) {
        st->last_export = *e;
    } else {
        st->responses_waiting += e->responses;
        st->checkins_waiting += e->checkins;
    }
}

int store_status(struct store *s, struct store_status *out)
{
    memset(out, 0, sizeof *out);
    int rc = store_read(s, read_status, out);
    if (!rc)
        rc = scan_db(s, DB_PENDING, NULL, 0, count_pending, out);
    if (!rc)
        rc = store_foreach_export(s, last_done_export, out);
    return rc;
}

/*
 * db_sqlite.c — the SQLite engine of central_db.h. One file, WAL journal,
 * synchronous=FULL so that a committed batch survives a power cut, and a
 * busy timeout so that a report and an ingest can overlap. SQLite reads the
 * $1, $2 … placeholders as named parameters numbered in order of first
 * appearance, which is what the shared SQL needs. Bulk loads are one
 * prepared INSERT … ON CONFLICT DO NOTHING per row, inside the caller's
 * transaction; sqlite3_changes() tells whether a row was new.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "central_db.h"
#include "util.h"

#define LOG_MODULE "central-sqlite"

struct sqlite_db {
    struct central_db base;
    sqlite3 *h;
};

static sqlite3 *handle(struct central_db *db)
{
    return ((struct sqlite_db *)db)->h;
}

/* Prepares sql and binds params as text. NULL after a log line. */
static sqlite3_stmt *prepare(sqlite3 *h, const char *sql, int nparams, const char *const *params)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (int i = 0; i < nparams; i++) {
        int rc = params[i] ? sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC)
                           : sqlite3_bind_null(st, i + 1);
        if (rc != SQLITE_OK)
            goto fail;
    }
    return st;
fail:
    log_msg(LOG_MODULE, "%s (in: %.60s)", sqlite3_errmsg(h), sql);
    sqlite3_finalize(st);
    return NULL;
}

static int sq_exec(struct central_db *db, const char *sql, int nparams, const char *const *params,
                   long *changed)
{
    sqlite3 *h = handle(db);
    sqlite3_stmt *st = prepare(h, sql, nparams, params);
    if (!st)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        log_msg(LOG_MODULE, "%s (in: %.60s)", sqlite3_errmsg(h), sql);
        return -1;
    }
    if (changed)
        *changed = sqlite3_changes(h);
    return 0;
}

static int sq_query(struct central_db *db, const char *sql, int nparams,
                    const char *const *params, central_row_fn fn, void *ctx)
{
    sqlite3 *h = handle(db);
    sqlite3_stmt *st = prepare(h, sql, nparams, params);
    if (!st)
        return -1;
    int n = sqlite3_column_count(st), rc, stop = 0;
    const char **vals = xcalloc((size_t)n + 1, sizeof *vals);
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++)
            vals[i] = (const char *)sqlite3_column_text(st, i);
        stop = fn(ctx, n, vals);
    }
    if (!stop && rc != SQLITE_DONE) {
        log_msg(LOG_MODULE, "%s (in: %.60s)", sqlite3_errmsg(h), sql);
        stop = -1;
    }
    free(vals);
    sqlite3_finalize(st);
    return stop;
}

static int sq_load(struct central_db *db, const struct central_rows *rows, long *added)
{
    sqlite3 *h = handle(db);
    struct buf sql;
    buf_init(&sql);
    buf_printf(&sql, "INSERT INTO %s (", rows->table);
    for (int c = 0; c < rows->ncols; c++)
        buf_printf(&sql, "%s%s", c ? ", " : "", rows->cols[c]);
    buf_puts(&sql, ") VALUES (");
    for (int c = 0; c < rows->ncols; c++)
        buf_printf(&sql, "%s?%d", c ? ", " : "", c + 1);
    buf_printf(&sql, ") ON CONFLICT (%s) DO NOTHING", rows->cols[0]);
    int rc = -1;
    *added = 0;
    sqlite3_stmt *st = prepare(h, sql.data, 0, NULL);
    if (!st)
        goto fail;
    for (size_t r = 0; r < rows->nrows; r++) {
        char *const *cell = rows->cells + r * (size_t)rows->ncols;
        sqlite3_reset(st);
        for (int c = 0; c < rows->ncols; c++) {
            if (cell[c])
                sqlite3_bind_text(st, c + 1, cell[c], -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(st, c + 1);
        }
        if (sqlite3_step(st) != SQLITE_DONE) {
            log_msg(LOG_MODULE, "%s: %s", rows->table, sqlite3_errmsg(h));
            goto fail;
        }
        *added += sqlite3_changes(h);
    }
    rc = 0;
fail:
    sqlite3_finalize(st);
    buf_free(&sql);
    return rc;
}

static void sq_close(struct central_db *db)
{
    if (!db)
        return;
    sqlite3_close(handle(db));
    free(db);
}

static const struct central_db_ops sqlite_ops = {
    .name = "sqlite",
    .exec = sq_exec,
    .query = sq_query,
    .load = sq_load,
    .close = sq_close,
};

struct central_db *central_db_open_sqlite(const char *path)
{
    struct sqlite_db *db = xcalloc(1, sizeof *db);
    db->base.ops = &sqlite_ops;
    if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        log_msg(LOG_MODULE, "%s: %s", path, db->h ? sqlite3_errmsg(db->h) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(db->h, 10000);
    if (sq_exec(&db->base, "PRAGMA journal_mode=WAL", 0, NULL, NULL) ||
        sq_exec(&db->base, "PRAGMA synchronous=FULL", 0, NULL, NULL))
        goto fail;
    return &db->base;
fail:
    sq_close(&db->base);
    return NULL;
}

/*
 * db_pg.c — the PostgreSQL engine of central_db.h, on libpq. Statements go
 * through PQexecParams with text parameters, so the SQL is the same as
 * SQLite's. A bulk load streams the rows with COPY into a temporary staging
 * table (one per target table, emptied after use) and then moves them with
 * one INSERT … SELECT … ON CONFLICT DO NOTHING in the order they came, so
 * the first of two rows with the same key wins, as in SQLite; the command
 * tag says how many were new. COPY's text format needs backslash, tab, CR
 * and LF escaped and NULL written as \N.
 */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "central_db.h"
#include "util.h"

#define LOG_MODULE "central-pg"

struct pg_db {
    struct central_db base;
    PGconn *conn;
};

static PGconn *conn_of(struct central_db *db)
{
    return ((struct pg_db *)db)->conn;
}

/* Runs sql; NULL after a log line when its status is not ok_status. */
static PGresult *run(PGconn *c, const char *sql, int nparams, const char *const *params,
                     ExecStatusType ok_status)
{
    PGresult *res = PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) == ok_status)
        return res;
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    log_msg(LOG_MODULE, "%s (in: %.60s)", msg ? msg : PQerrorMessage(c), sql);
    PQclear(res);
    return NULL;
}

static int pg_exec(struct central_db *db, const char *sql, int nparams, const char *const *params,
                   long *changed)
{
    PGresult *res = run(conn_of(db), sql, nparams, params, PGRES_COMMAND_OK);
    if (!res)
        return -1;
    if (changed)
        *changed = strtol(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return 0;
}

static int pg_query(struct central_db *db, const char *sql, int nparams,
                    const char *const *params, central_row_fn fn, void *ctx)
{
    PGresult *res = run(conn_of(db), sql, nparams, params, PGRES_TUPLES_OK);
    if (!res)
        return -1;
    int n = PQnfields(res), rows = PQntuples(res), stop = 0;
    const char **vals = xcalloc((size_t)n + 1, sizeof *vals);
    for (int r = 0; r < rows && !stop; r++) {
        for (int i = 0; i < n; i++)
            vals[i] = PQgetisnull(res, r, i) ? NULL : PQgetvalue(res, r, i);
        stop = fn(ctx, n, vals);
    }
    free(vals);
    PQclear(res);
    return stop;
}

static void copy_cell(struct buf *b, const char *s)
{
    if (!s) {
        buf_puts(b, "\\N");
        return;
    }
    for (; *s; s++) {
        switch (*s) {
        case '\\': buf_puts(b, "\\\\"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        default: buf_putc(b, *s);
        }
    }
}

/* Streams rows into the staging table with COPY. 0 or -1 (logged). */
static int copy_rows(PGconn *c, const char *stage, const struct central_rows *rows)
{
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "COPY %s (", stage);
    for (int i = 0; i < rows->ncols; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", rows->cols[i]);
    buf_puts(&b, ") FROM STDIN");
    int rc = -1;
    PGresult *res = run(c, b.data, 0, NULL, PGRES_COPY_IN);
    if (!res)
        goto fail;
    PQclear(res);
    buf_clear(&b);
    for (size_t r = 0; r < rows->nrows; r++) {
        char *const *cell = rows->cells + r * (size_t)rows->ncols;
        for (int i = 0; i < rows->ncols; i++) {
            if (i)
                buf_putc(&b, '\t');
            copy_cell(&b, cell[i]);
        }
        buf_putc(&b, '\n');
        if ((b.len >= (1u << 20) || r + 1 == rows->nrows) &&
            PQputCopyData(c, b.data, (int)b.len) != 1)
            break;
        if (b.len >= (1u << 20))
            buf_clear(&b);
    }
    if (PQputCopyEnd(c, NULL) != 1) {
        log_msg(LOG_MODULE, "COPY %s: %s", stage, PQerrorMessage(c));
        goto fail;
    }
    res = PQgetResult(c);
    rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc)
        log_msg(LOG_MODULE, "COPY %s: %s", stage, PQerrorMessage(c));
    PQclear(res);
    while ((res = PQgetResult(c)))
        PQclear(res);
fail:
    buf_free(&b);
    return rc;
}

static int pg_load(struct central_db *db, const struct central_rows *rows, long *added)
{
    PGconn *c = conn_of(db);
    struct buf sql, cols, stage;
    buf_init(&sql);
    buf_init(&cols);
    buf_init(&stage);
    buf_printf(&stage, "central_stage_%s", rows->table);
    for (int i = 0; i < rows->ncols; i++)
        buf_printf(&cols, "%s%s", i ? ", " : "", rows->cols[i]);
    int rc = -1;
    buf_printf(&sql,
               "CREATE TEMP TABLE IF NOT EXISTS %s AS SELECT %s FROM %s WITH NO DATA",
               stage.data, cols.data, rows->table);
    if (pg_exec(db, sql.data, 0, NULL, NULL))
        goto fail;
    buf_clear(&sql);
    buf_printf(&sql, "ALTER TABLE %s ADD COLUMN IF NOT EXISTS central_ord bigint"
                     " GENERATED ALWAYS AS IDENTITY", stage.data);
    if (pg_exec(db, sql.data, 0, NULL, NULL) || copy_rows(c, stage.data, rows))
        goto fail;
    buf_clear(&sql);
    buf_printf(&sql,
               "INSERT INTO %s (%s) SELECT %s FROM %s ORDER BY central_ord"
               " ON CONFLICT (%s) DO NOTHING",
               rows->table, cols.data, cols.data, stage.data, rows->cols[0]);
    if (pg_exec(db, sql.data, 0, NULL, added))
        goto fail;
    buf_clear(&sql);
    buf_printf(&sql, "TRUNCATE %s", stage.data);
    rc = pg_exec(db, sql.data, 0, NULL, NULL);
fail:
    buf_free(&sql);
    buf_free(&cols);
    buf_free(&stage);
    return rc;
}

static void pg_close(struct central_db *db)
{
    if (!db)
        return;
    PQfinish(conn_of(db));
    free(db);
}

static const struct central_db_ops pg_ops = {
    .name = "postgresql",
    .exec = pg_exec,
    .query = pg_query,
    .load = pg_load,
    .close = pg_close,
};

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

struct central_db *central_db_open_pg(const char *conninfo)
{
    struct pg_db *db = xcalloc(1, sizeof *db);
    db->base.ops = &pg_ops;
    db->conn = PQconnectdb(conninfo);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        /* libpq's message ends with a newline; one log line is enough. */
        char *msg = xstrdup(PQerrorMessage(db->conn));
        msg[strcspn(msg, "\n")] = 0;
        log_msg(LOG_MODULE, "cannot connect: %s", msg);
        free(msg);
        goto fail;
    }
    /* "relation already exists, skipping" and the like are not news. */
    PQsetNoticeProcessor(db->conn, quiet_notices, NULL);
    if (pg_exec(&db->base, "SET client_encoding TO 'UTF8'", 0, NULL, NULL))
        goto fail;
    return &db->base;
fail:
    pg_close(&db->base);
    return NULL;
}

/*
 * central_db.h — the one storage interface of skranke-central, with two
 * engines behind it: SQLite (a file, the default) and PostgreSQL (libpq).
 *
 * Everything above this interface speaks plain SQL text that both engines
 * understand ($1, $2 … placeholders, text in and text out), and never relies
 * on an engine's ORDER BY (collations differ): callers sort what they read.
 * The only engine-specific path is central_db_ops.load, the bulk insert of an
 * ingested batch, which each engine does its fastest way (prepared inserts
 * in SQLite, COPY into a staging table in PostgreSQL), both keeping rows
 * whose key is already present and counting only what was added.
 *
 * Caveats:
 * - Values handed to a row callback are valid only during that call.
 * - One connection, one thread; transactions are opened with exec("BEGIN").
 */
#ifndef SKRANKE_CENTRAL_DB_H
#define SKRANKE_CENTRAL_DB_H

#include <stddef.h>

/* Rows for central_db_ops.load: nrows × ncols cells, row-major; a NULL
 * cell is SQL NULL. The first column is the table's key. */
struct central_rows {
    const char *table;
    const char *const *cols;
    int ncols;
    size_t nrows;
    char **cells;
};

/* Called once per result row with ncols text values (NULL for SQL NULL).
 * Returns 0 to go on, anything else to stop the query with that code. */
typedef int (*central_row_fn)(void *ctx, int ncols, const char *const *vals);

struct central_db;

struct central_db_ops {
    const char *name; /* "sqlite" or "postgresql" */
    /* Runs one statement with nparams text parameters. 0, or -1 after one
     * log line naming the engine's reason. *changed (when not NULL) is the
     * number of rows the statement inserted, updated or deleted. */
    int (*exec)(struct central_db *db, const char *sql, int nparams, const char *const *params,
                long *changed);
    /* Runs one query and hands every row to fn. 0, -1 as exec, or what fn
     * returned when it stopped. */
    int (*query)(struct central_db *db, const char *sql, int nparams, const char *const *params,
                 central_row_fn fn, void *ctx);
    /* Inserts rows, skipping those whose key is present (in the table or
     * earlier in rows). Inside the caller's transaction. 0 with *added, or -1
     * as exec. */
    int (*load)(struct central_db *db, const struct central_rows *rows, long *added);
    /* Closes the connection and frees db. */
    void (*close)(struct central_db *db);
};

struct central_db {
    const struct central_db_ops *ops;
};

/* Opens the database named by url: "sqlite:PATH" (a file, made when
 * missing) or "postgresql://…" / "postgres://…" (any libpq URI, a unix
 * socket host included). NULL after one log line when it cannot. */
struct central_db *central_db_open(const char *url);

/* The engines; central_db_open picks one. */
struct central_db *central_db_open_sqlite(const char *path);
struct central_db *central_db_open_pg(const char *conninfo);

/* Creates the tables when missing (both engines, the same schema). 0 or -1. */
int central_db_init(struct central_db *db);
/* 0 when the schema is there; -1 after a log line telling to run init. */
int central_db_check(struct central_db *db);

#endif

/*
 * central_db.c — picks the engine for a --db URL and holds the schema both
 * engines share (see central_db.h). The schema is plain SQL that SQLite and
 * PostgreSQL read alike: text dates (YYYY-MM-DD sort and compare as dates),
 * smallint answers with NULL for "ved ikke", and keys that make ingest
 * idempotent: records by their ids, batches by site, kiosk and seq.
 */
#include <string.h>

#include "central_db.h"
#include "util.h"

#define LOG_MODULE "central"

#define SCHEMA_VERSION "1"

static const char *const schema[] = {
    "CREATE TABLE IF NOT EXISTS central_meta (key text PRIMARY KEY, value text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS signing_keys (key_id text PRIMARY KEY, public_key text NOT NULL,"
    " added_at text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS batches (site text NOT NULL, kiosk text NOT NULL,"
    " seq integer NOT NULL, name text NOT NULL, created_at text NOT NULL,"
    " manifest_sha256 text NOT NULL, signed_by text, ingested_at text NOT NULL,"
    " responses integer NOT NULL, checkins integer NOT NULL, PRIMARY KEY (site, kiosk, seq))",
    "CREATE TABLE IF NOT EXISTS responses (response_id text PRIMARY KEY, date text NOT NULL,"
    " site text NOT NULL, unit text NOT NULL, language text NOT NULL,"
    " empowerment smallint CHECK (empowerment BETWEEN 1 AND 5),"
    " ressourcefokus smallint CHECK (ressourcefokus BETWEEN 1 AND 5),"
    " progression smallint CHECK (progression BETWEEN 1 AND 5),"
    " vaerdighed smallint CHECK (vaerdighed BETWEEN 1 AND 5), batch text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS responses_date ON responses (date)",
    "CREATE TABLE IF NOT EXISTS checkins (checkin_id text PRIMARY KEY, date text NOT NULL,"
    " time text NOT NULL, site text NOT NULL, kind text NOT NULL, code text, unit text,"
    " session_id text, ticket text, result text, batch text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS checkins_date ON checkins (date)",
    "INSERT INTO central_meta (key, value) VALUES ('schema', '" SCHEMA_VERSION "')"
    " ON CONFLICT (key) DO NOTHING",
};

struct central_db *central_db_open(const char *url)
{
    if (strncmp(url, "sqlite:", 7) == 0) {
        const char *path = url + 7;
        if (strncmp(path, "//", 2) == 0)
            path += 2;
        if (!*path) {
            log_msg(LOG_MODULE, "%s: no file name after sqlite:", url);
            return NULL;
        }
        return central_db_open_sqlite(path);
    }
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return central_db_open_pg(url);
    log_msg(LOG_MODULE, "%s: not a database URL (sqlite:PATH or postgresql://…)", url);
    return NULL;
}

int central_db_init(struct central_db *db)
{
    if (db->ops->exec(db, "BEGIN", 0, NULL, NULL))
        return -1;
    for (size_t i = 0; i < sizeof schema / sizeof *schema; i++) {
        if (db->ops->exec(db, schema[i], 0, NULL, NULL))
            goto fail;
    }
    return db->ops->exec(db, "COMMIT", 0, NULL, NULL);
fail:
    db->ops->exec(db, "ROLLBACK", 0, NULL, NULL);
    return -1;
}

static int found_version(void *ctx, int ncols, const char *const *vals)
{
    *(int *)ctx = ncols == 1 && vals[0] && strcmp(vals[0], SCHEMA_VERSION) == 0;
    return 0;
}

int central_db_check(struct central_db *db)
{
    int ok = 0;
    /* A missing table is an error the engine logs; say what to do next. */
    if (db->ops->query(db, "SELECT value FROM central_meta WHERE key = 'schema'", 0, NULL,
                       found_version, &ok) ||
        !ok) {
        log_msg(LOG_MODULE, "the database has no skranke-central schema %s: run init first",
                SCHEMA_VERSION);
        return -1;
    }
    return 0;
}

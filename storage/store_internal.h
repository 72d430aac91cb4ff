/*
 * store_internal.h — what the storage files share about the LMDB layout.
 * Only the storage C files include this (and so <lmdb.h>).
 *
 * Named databases and their keys:
 *   meta         "format" → u32; "jobs" → jobs info; "export_next" → u32;
 *                "pin" → hash text; "sched\0SITE\0DATE" → schedule info
 *   settings     key → value text (only keys that were set)
 *   responses    id → response             checkins  id → check-in
 *   pending      'r'+id / 'c'+id → ""      (records waiting for export)
 *   jobs         id → job                  counters  see store_checkin.c
 *   appointments SITE\0DATE\0CODE → appointment
 *   sessions     SITE\0DATE\0ID → session  exports   u32 BE seq → export log
 *   batches      u32 BE seq + 'c' + DATE TIME ID → ""   (a batch's check-ins,
 *                in the order of its CSV) and u32 BE seq + 'r' + ID → ""
 *                (its responses): what batch seq holds, written once when it
 *                is decided
 */
#ifndef SKRANKE_STORE_INTERNAL_H
#define SKRANKE_STORE_INTERNAL_H

#include <lmdb.h>
#include <pthread.h>

#include "store.h"

enum store_db {
    DB_META,
    DB_SETTINGS,
    DB_RESPONSES,
    DB_CHECKINS,
    DB_PENDING,
    DB_JOBS,
    DB_APPOINTMENTS,
    DB_SESSIONS,
    DB_COUNTERS,
    DB_EXPORTS,
    DB_BATCHES,
    DB_COUNT
};

struct store {
    MDB_env *env;
    MDB_dbi dbi[DB_COUNT];
    pthread_rwlock_t resize_lock;
    size_t map_max;
    char *dir;
};

/* Runs fn in a write transaction and commits (synced) when it returns 0;
 * aborts on anything else. A full map grows and fn runs again from the
 * start, so fn must not keep effects outside the transaction. LMDB errors
 * are logged and become STORE_EIO; fn's own STORE_E* codes pass through. */
int store_write(struct store *s, int (*fn)(struct store *, MDB_txn *, void *), void *ctx);
/* Like store_write, for the work that empties a full store (export's
 * marking, purge): it may grow the map past the ceiling by an eighth of
 * it, and at least 1 MiB. */
int store_write_reserve(struct store *s, int (*fn)(struct store *, MDB_txn *, void *),
                        void *ctx);
/* Runs fn in a read-only transaction. */
int store_read(struct store *s, int (*fn)(struct store *, MDB_txn *, void *), void *ctx);

/* mdb_put/mdb_get with a C string key. */
int store_put_str(MDB_txn *txn, MDB_dbi dbi, const char *key, const void *data, size_t len,
                  unsigned flags);
int store_get_str(MDB_txn *txn, MDB_dbi dbi, const char *key, MDB_val *out);

/* Values read through txn (the caller's open transaction). */
int store_config_get_txn(struct store *s, MDB_txn *txn, const char *key, struct buf *out);
int store_meta_u32(struct store *s, MDB_txn *txn, const char *key, uint32_t *out);
int store_meta_put_u32(struct store *s, MDB_txn *txn, const char *key, uint32_t v);

/* Export log entries: key seq_key(seq), value rec_encode_export. */
void store_seq_key(uint32_t seq, unsigned char key[4]);
int store_put_export(struct store *s, MDB_txn *txn, const struct export_log *e);

/* A key of the batches database into key (cleared first): c is the
 * check-in (for its date and time) when tag is 'c', NULL for 'r'. */
void store_member_key(struct buf *key, uint32_t seq, char tag, const struct checkin *c,
                      const char *id);
/* Puts that key; key is scratch space. */
int store_put_member(struct store *s, MDB_txn *txn, uint32_t seq, char tag,
                     const struct checkin *c, const char *id, struct buf *key);

/* Deletes every key that starts with prefix[0..n). */
int store_delete_prefix(MDB_txn *txn, MDB_dbi dbi, const void *prefix, size_t n);

/* Key "a\0b\0c" (parts NUL-separated, no trailing NUL) into b. */
void store_key3(struct buf *b, const char *a, const char *bpart, const char *c);

#endif

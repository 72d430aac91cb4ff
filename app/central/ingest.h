/*
 * ingest.h — reading one export batch (FORMATS.md section 4) into the
 * central database: the manifest's checksums and, when signing keys are
 * registered, its minisign signature are checked over the very bytes that
 * are then parsed (each file is read once into memory), every record is
 * checked, and only then is the batch loaded, in one transaction.
 */
#ifndef SKRANKE_CENTRAL_INGEST_H
#define SKRANKE_CENTRAL_INGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "central_db.h"
#include "minisign.h"
#include "util.h"

#define INGEST_REFUSED 2

struct ingest_result {
    char name[160];      /* skranke-SITE-KIOSK-SEQ, from the manifest */
    bool batch_known;    /* this site/kiosk/seq was ingested before */
    long responses, responses_added;
    long checkins, checkins_added;
};

/* Reads the keys registered in db into *keys (xmalloc'd; the caller frees)
 * and their number into *n. 0 or -1 (logged). */
int ingest_load_keys(struct central_db *db, struct minisign_key **keys, size_t *n);

/* Verifies the batch folder dir against keys[n] (n == 0: checksums only)
 * and, when db is not NULL, loads it in one transaction. 0 with *res filled;
 * INGEST_REFUSED with why set (one sentence naming the folder or file and
 * the reason; nothing was changed); -1 when the database failed (logged;
 * the transaction was rolled back). */
int ingest_batch(struct central_db *db, const char *dir, const struct minisign_key *keys,
                 size_t n, struct ingest_result *res, struct buf *why);

#endif

/*
 * writer.h — stores citizens' records off the UI thread.
 *
 * The UI submits a record and moves on at once; a background thread writes
 * it through the store's durable path. Every job is answered: a check-in
 * request with its result or its failure, a record with "stored" or, when
 * the store refuses it (disk full, I/O error), "failing": it is then kept
 * in memory on a retry list, retried every few seconds and reported, never
 * silently dropped, and never in the way of the jobs after it.
 * writer_stop() waits (bounded) so that a clean shutdown loses nothing.
 */
#ifndef SKRANKE_WRITER_H
#define SKRANKE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum write_kind {
    WRITE_RESPONSE,        /* a citizen's answer: stored, or kept and retried */
    WRITE_CHECKIN,         /* a check-in record: likewise */
    WRITE_CHECKIN_REQUEST, /* store_checkin: tried once, answered */
    WRITE_SETTING,         /* store_config_set (staff): tried once, answered */
    WRITE_PIN,             /* store_pin_make (staff, Argon2id): tried once, answered */
};

struct write_job {
    enum write_kind kind;
    struct response response;
    struct checkin checkin;
    struct checkin_request request;
    char *setting_key, *setting_value; /* WRITE_SETTING: the writer frees them */
    char pin[9];                        /* WRITE_PIN: wiped once used */
    uint64_t seq;                       /* set by writer_submit */
};

struct writer;

struct writer *writer_start(struct store *s);
/* Stops the thread after the queue drained or timeout_ms passed; records
 * still queued then are logged (they were never acknowledged durably). */
void writer_stop(struct writer *w, uint32_t timeout_ms);
/* Queues a record; returns its sequence number (see writer_state). Every
 * job that ends or fails pushes an SDL_USEREVENT, so the loop wakes. */
uint64_t writer_submit(struct writer *w, const struct write_job *job);

enum writer_state {
    WRITER_QUEUED,  /* waiting, not tried yet */
    WRITER_STORED,  /* committed durably */
    WRITER_FAILING, /* the store refused it; kept and retried */
};
/* Where the job with sequence number seq stands. */
enum writer_state writer_state(struct writer *w, uint64_t seq);
/* Asks for a check-in (store_checkin) off the UI thread. It is tried once:
 * a failure is reported to the citizen, who was told nothing yet. Returns a
 * number to collect the result with. */
uint64_t writer_request_checkin(struct writer *w, const struct checkin_request *req);
/* Asks for a setting to be changed, or a new staff PIN to be made, off the
 * UI thread (both are durable writes; the PIN also hashes with Argon2id).
 * Tried once; collect the answer with writer_answer. */
uint64_t writer_request_setting(struct writer *w, const char *key, const char *value);
uint64_t writer_request_pin(struct writer *w, const char *pin);
/* True when request seq has its answer: *rc, and on failure the reason in
 * why (the store's message). */
bool writer_answer(struct writer *w, uint64_t seq, int *rc, char *why, size_t cap);
/* True when the result of request seq is ready (then *rc and *res are set). */
bool writer_checkin_result(struct writer *w, uint64_t seq, int *rc, struct checkin_result *res);

/* Records waiting; *oldest_ms is when the oldest was submitted (SDL ticks). */
size_t writer_pending(struct writer *w, uint64_t *oldest_ms);
/* Writes that failed so far, and the last reason. */
size_t writer_failures(struct writer *w, char *why, size_t cap);
/* Waits (real time) until the queue is empty or timeout_ms passed. */
bool writer_drain(struct writer *w, uint32_t timeout_ms);
/* Waits (real time) until every job has an answer: stored, or failing (a
 * failing record stays on the retry list). False after timeout_ms. */
bool writer_settle(struct writer *w, uint32_t timeout_ms);

#endif

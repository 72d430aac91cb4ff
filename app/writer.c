/*
 * writer.c — the background writer; see writer.h.
 *
 * New jobs wait in a fixed ring under one SDL mutex; the thread takes the
 * oldest and runs it with the mutex released. Every job gets an answer:
 * a check-in request is tried once and its result (success or the failure)
 * is kept for the screen to collect (so is a staff request: a setting, a
 * new PIN); a record (response, check-in) that
 * the store refuses moves to a separate retry list, so the jobs behind it
 * are not held up, and the list is retried every RETRY_MS. A record leaves
 * the writer only after the store acknowledged it. Every answer pushes an
 * SDL_USEREVENT, so the loop wakes and the screen can show it.
 */
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <sodium.h>

#include "util.h"

#define QUEUE 256
#define RETRY_MAX 256
#define RESULTS 16
#define RETRY_MS 5000

struct pending {
    struct write_job job;
    uint64_t submitted; /* SDL ticks */
};

struct writer {
    struct store *store;
    bool inline_mode; /* no thread: each job runs in writer_submit */
    SDL_Thread *thread;
    SDL_mutex *lock;
    SDL_cond *wake, *idle;
    struct pending queue[QUEUE];
    size_t head, count;
    bool busy;                       /* the thread runs a job from the queue */
    struct pending retry[RETRY_MAX]; /* records the store refused so far */
    size_t n_retry;
    uint64_t next_retry;
    bool stop;
    size_t failures;
    char why[200];
    uint64_t next_seq;
    struct {
        uint64_t seq;
        int rc;
        struct checkin_result res;
        char why[300];
    } results[RESULTS]; /* answers to requests, newest overwrite */
    size_t next_result;
};

static void wake_loop(void)
{
    SDL_Event e = {.type = SDL_USEREVENT};
    SDL_PushEvent(&e);
}

/* Stores one record; false when the store refused it (worth a retry). */
static bool store_record(struct writer *w, const struct write_job *job)
{
    int rc = job->kind == WRITE_RESPONSE ? store_put_response(w->store, &job->response)
                                         : store_put_checkin(w->store, &job->checkin);
    if (rc == STORE_OK)
        return true;
    if (rc == STORE_EEXIST || rc == STORE_EINVAL) {
        /* EEXIST: written before a retry; EINVAL: a bug upstream, retrying
         * cannot help. Either way it is logged. */
        log_msg("writer", "record not stored again: %s", store_strerror(rc));
        return true;
    }
    SDL_LockMutex(w->lock);
    w->failures++;
    snprintf(w->why, sizeof w->why, "%s", store_strerror(rc));
    SDL_UnlockMutex(w->lock);
    log_msg("writer", "a record could not be stored, kept for a retry: %s",
            store_strerror(rc));
    return false;
}

static bool is_request(enum write_kind k)
{
    return k == WRITE_CHECKIN_REQUEST || k == WRITE_SETTING || k == WRITE_PIN;
}

/* Runs a request that is tried once; the reason of a failure into why. */
static int run_request(struct writer *w, struct write_job *job, struct checkin_result *res,
                       struct buf *why)
{
    int rc = 0;
    switch (job->kind) {
    case WRITE_CHECKIN_REQUEST:
        rc = store_checkin(w->store, &job->request, res);
        break;
    case WRITE_SETTING:
        rc = store_config_set(w->store, job->setting_key, job->setting_value, why);
        free(job->setting_key);
        free(job->setting_value);
        job->setting_key = job->setting_value = NULL;
        break;
    case WRITE_PIN:
        rc = store_pin_make(w->store, job->pin);
        sodium_memzero(job->pin, sizeof job->pin);
        break;
    default:
        break;
    }
    if (rc && !why->len)
        buf_puts(why, store_strerror(rc));
    if (rc)
        log_msg("writer", "a request could not be carried out: %s", why->data);
    return rc;
}

/* Runs the job at the head of the queue (lock held on entry and exit). */
static void run_head(struct writer *w)
{
    struct pending p = w->queue[w->head];
    w->busy = true;
    SDL_UnlockMutex(w->lock);
    bool stored = true;
    struct checkin_result res;
    memset(&res, 0, sizeof res);
    struct buf why;
    buf_init(&why);
    int rc = 0;
    if (is_request(p.job.kind))
        rc = run_request(w, &p.job, &res, &why);
    else
        stored = store_record(w, &p.job);
    SDL_LockMutex(w->lock);
    w->busy = false;
    w->head = (w->head + 1) % QUEUE;
    w->count--;
    if (is_request(p.job.kind)) {
        size_t i = w->next_result++ % RESULTS;
        w->results[i].seq = p.job.seq;
        w->results[i].rc = rc;
        w->results[i].res = res;
        snprintf(w->results[i].why, sizeof w->results[i].why, "%s", rc ? why.data : "");
        if (rc) {
            w->failures++;
            snprintf(w->why, sizeof w->why, "%s", why.data);
        }
    } else if (!stored) {
        if (w->n_retry == 0)
            w->next_retry = SDL_GetTicks64() + RETRY_MS;
        if (w->n_retry < RETRY_MAX) {
            w->retry[w->n_retry++] = p;
        } else {
            /* The retry list is full: keep the record at the front of the
             * queue instead; nothing is ever dropped. */
            w->head = (w->head + QUEUE - 1) % QUEUE;
            w->queue[w->head] = p;
            w->count++;
        }
    }
    memset(&p, 0, sizeof p);
    buf_free(&why);
    SDL_CondBroadcast(w->idle);
    wake_loop(); /* a screen may be waiting for this answer */
}

/* Tries every record of the retry list once (lock held on entry and exit). */
static void run_retries(struct writer *w)
{
    for (size_t i = 0; i < w->n_retry;) {
        struct pending p = w->retry[i];
        w->busy = true;
        SDL_UnlockMutex(w->lock);
        bool stored = store_record(w, &p.job);
        SDL_LockMutex(w->lock);
        w->busy = false;
        if (stored) {
            memmove(&w->retry[i], &w->retry[i + 1], (w->n_retry - i - 1) * sizeof *w->retry);
            w->n_retry--;
            memset(&w->retry[w->n_retry], 0, sizeof *w->retry);
            wake_loop();
        } else {
            i++;
            break; /* the store still refuses: wait before the rest */
        }
    }
    w->next_retry = SDL_GetTicks64() + RETRY_MS;
    SDL_CondBroadcast(w->idle);
}

static int run(void *arg)
{
    struct writer *w = arg;
    SDL_LockMutex(w->lock);
    for (;;) {
        if (w->count) {
            run_head(w);
            continue;
        }
        if (w->n_retry && SDL_GetTicks64() >= w->next_retry && !w->stop) {
            run_retries(w);
            continue;
        }
        if (w->stop)
            break;
        if (w->n_retry) {
            uint64_t now = SDL_GetTicks64();
            SDL_CondWaitTimeout(w->wake, w->lock,
                                (Uint32)(w->next_retry > now ? w->next_retry - now : 1));
        } else {
            SDL_CondWait(w->wake, w->lock);
        }
    }
    SDL_CondBroadcast(w->idle);
    SDL_UnlockMutex(w->lock);
    return 0;
}

struct writer *writer_start(struct store *s)
{
    struct writer *w = xcalloc(1, sizeof *w);
    w->store = s;
    w->lock = SDL_CreateMutex();
    w->wake = SDL_CreateCond();
    w->idle = SDL_CreateCond();
    /* SKRANKE_NO_THREADS=1: for emulators whose threads do not work (the
     * arm64 test run under qemu-user); every write then runs at once. */
    const char *nt = getenv("SKRANKE_NO_THREADS");
    w->inline_mode = nt && strcmp(nt, "1") == 0;
    if (!w->inline_mode)
        w->thread = SDL_CreateThread(run, "skranke-writer", w);
    if (!w->lock || !w->wake || !w->idle || (!w->inline_mode && !w->thread)) {
        log_msg("writer", "cannot start: %s", SDL_GetError());
        abort();
    }
    return w;
}

uint64_t writer_submit(struct writer *w, const struct write_job *job)
{
    SDL_LockMutex(w->lock);
    while (w->count == QUEUE) /* a full ring waits rather than drop */
        SDL_CondWaitTimeout(w->idle, w->lock, 100);
    size_t slot = (w->head + w->count) % QUEUE;
    w->queue[slot].job = *job;
    w->queue[slot].submitted = SDL_GetTicks64();
    uint64_t seq = w->queue[slot].job.seq = ++w->next_seq;
    w->count++;
    if (w->inline_mode) {
        while (w->count)
            run_head(w);
        if (w->n_retry && SDL_GetTicks64() >= w->next_retry)
            run_retries(w);
    } else {
        SDL_CondSignal(w->wake);
    }
    SDL_UnlockMutex(w->lock);
    return seq;
}

uint64_t writer_request_checkin(struct writer *w, const struct checkin_request *req)
{
    struct write_job job = {.kind = WRITE_CHECKIN_REQUEST, .request = *req};
    uint64_t seq = writer_submit(w, &job);
    memset(&job, 0, sizeof job);
    return seq;
}

uint64_t writer_request_setting(struct writer *w, const char *key, const char *value)
{
    struct write_job job = {.kind = WRITE_SETTING, .setting_key = xstrdup(key),
                            .setting_value = xstrdup(value)};
    return writer_submit(w, &job);
}

uint64_t writer_request_pin(struct writer *w, const char *pin)
{
    struct write_job job = {.kind = WRITE_PIN};
    snprintf(job.pin, sizeof job.pin, "%s", pin);
    uint64_t seq = writer_submit(w, &job);
    sodium_memzero(&job, sizeof job);
    return seq;
}

bool writer_answer(struct writer *w, uint64_t seq, int *rc, char *why, size_t cap)
{
    SDL_LockMutex(w->lock);
    bool ready = false;
    for (size_t i = 0; i < RESULTS && !ready; i++)
        if (w->results[i].seq == seq) {
            *rc = w->results[i].rc;
            snprintf(why, cap, "%s", w->results[i].why);
            ready = true;
        }
    SDL_UnlockMutex(w->lock);
    return ready;
}

bool writer_checkin_result(struct writer *w, uint64_t seq, int *rc, struct checkin_result *res)
{
    SDL_LockMutex(w->lock);
    bool ready = false;
    for (size_t i = 0; i < RESULTS && !ready; i++)
        if (w->results[i].seq == seq) {
            *rc = w->results[i].rc;
            *res = w->results[i].res;
            ready = true;
        }
    SDL_UnlockMutex(w->lock);
    return ready;
}

enum writer_state writer_state(struct writer *w, uint64_t seq)
{
    enum writer_state s = WRITER_STORED;
    SDL_LockMutex(w->lock);
    for (size_t i = 0; i < w->n_retry; i++)
        if (w->retry[i].job.seq == seq)
            s = WRITER_FAILING;
    for (size_t i = 0; i < w->count; i++)
        if (w->queue[(w->head + i) % QUEUE].job.seq == seq)
            s = WRITER_QUEUED;
    SDL_UnlockMutex(w->lock);
    return s;
}

size_t writer_pending(struct writer *w, uint64_t *oldest_ms)
{
    SDL_LockMutex(w->lock);
    size_t n = w->count + w->n_retry;
    uint64_t oldest = UINT64_MAX;
    if (w->count)
        oldest = w->queue[w->head].submitted;
    for (size_t i = 0; i < w->n_retry; i++)
        if (w->retry[i].submitted < oldest)
            oldest = w->retry[i].submitted;
    if (oldest_ms)
        *oldest_ms = n ? oldest : 0;
    SDL_UnlockMutex(w->lock);
    return n;
}

size_t writer_failures(struct writer *w, char *why, size_t cap)
{
    SDL_LockMutex(w->lock);
    size_t n = w->failures;
    if (why && cap)
        snprintf(why, cap, "%s", w->why);
    SDL_UnlockMutex(w->lock);
    return n;
}

/* Waits until done(w) holds (lock held) or timeout_ms passed. */
static bool wait_until(struct writer *w, uint32_t timeout_ms, bool (*done)(const struct writer *))
{
    uint64_t end = SDL_GetTicks64() + timeout_ms;
    SDL_LockMutex(w->lock);
    while (!done(w) && SDL_GetTicks64() < end)
        SDL_CondWaitTimeout(w->idle, w->lock, 20);
    bool ok = done(w);
    SDL_UnlockMutex(w->lock);
    return ok;
}

static bool all_stored(const struct writer *w)
{
    return w->count == 0 && w->n_retry == 0 && !w->busy;
}

static bool all_answered(const struct writer *w)
{
    return w->count == 0 && !w->busy;
}

bool writer_drain(struct writer *w, uint32_t timeout_ms)
{
    if (w->inline_mode) {
        SDL_LockMutex(w->lock);
        if (w->n_retry)
            run_retries(w);
        SDL_UnlockMutex(w->lock);
    } else {
        SDL_LockMutex(w->lock);
        if (w->n_retry) {
            w->next_retry = 0; /* someone waits: retry now */
            SDL_CondSignal(w->wake);
        }
        SDL_UnlockMutex(w->lock);
    }
    return wait_until(w, timeout_ms, all_stored);
}

bool writer_settle(struct writer *w, uint32_t timeout_ms)
{
    return wait_until(w, timeout_ms, all_answered);
}

void writer_stop(struct writer *w, uint32_t timeout_ms)
{
    if (!w)
        return;
    writer_drain(w, timeout_ms);
    SDL_LockMutex(w->lock);
    w->stop = true;
    if (w->count || w->n_retry)
        log_msg("writer", "%zu record(s) could not be stored before shutdown",
                w->count + w->n_retry);
    SDL_CondSignal(w->wake);
    SDL_UnlockMutex(w->lock);
    if (w->thread)
        SDL_WaitThread(w->thread, NULL);
    SDL_DestroyCond(w->wake);
    SDL_DestroyCond(w->idle);
    SDL_DestroyMutex(w->lock);
    for (size_t i = 0; i < w->count; i++) { /* requests never run */
        struct write_job *j = &w->queue[(w->head + i) % QUEUE].job;
        free(j->setting_key);
        free(j->setting_value);
    }
    /* Answers lived here; leave nothing readable in freed memory. */
    memset(w->queue, 0, sizeof w->queue);
    memset(w->retry, 0, sizeof w->retry);
    free(w);
}

/*
 * writer.c — the background writer; see writer.h. A fixed ring of jobs under
 * one SDL mutex; the thread takes the oldest, writes it with the mutex
 * released, and removes it only after the store acknowledged it.
 */
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "util.h"

#define QUEUE 256
#define RETRY_MS 5000

struct writer {
    struct store *store;
    bool inline_mode; /* no thread: each job runs in writer_submit */
    SDL_Thread *thread;
    SDL_mutex *lock;
    SDL_cond *wake, *idle;
    struct write_job jobs[QUEUE];
    uint64_t submitted[QUEUE];
    size_t head, count;
    bool stop;
    size_t failures;
    char why[200];
    uint64_t next_seq, done_seq;
    uint64_t stored_seq;  /* every job up to this one has ended (FIFO) */
    uint64_t failing_seq; /* the head, while its last try failed */
    int done_rc;
    struct checkin_result done;
};

/* Runs the job at the head of the queue (lock held on entry and exit).
 * Returns false when it failed and should be retried later. */
static bool run_head(struct writer *w)
{
    struct write_job job = w->jobs[w->head];
    SDL_UnlockMutex(w->lock);
    if (job.kind == WRITE_CHECKIN_REQUEST) {
        struct checkin_result res;
        int rc = store_checkin(w->store, &job.request, &res);
        SDL_LockMutex(w->lock);
        w->done = res;
        w->done_rc = rc;
        w->done_seq = job.seq;
        if (rc) {
            w->failures++;
            snprintf(w->why, sizeof w->why, "%s", store_strerror(rc));
        }
    } else {
        int rc = job.kind == WRITE_RESPONSE ? store_put_response(w->store, &job.response)
                                            : store_put_checkin(w->store, &job.checkin);
        SDL_LockMutex(w->lock);
        if (rc != STORE_OK && rc != STORE_EEXIST && rc != STORE_EINVAL) {
            w->failures++;
            snprintf(w->why, sizeof w->why, "%s", store_strerror(rc));
            log_msg("writer", "a record could not be stored, retrying: %s", w->why);
            if (w->failing_seq != job.seq) {
                w->failing_seq = job.seq;
                SDL_Event e = {.type = SDL_USEREVENT};
                SDL_PushEvent(&e); /* the screen can say so */
            }
            return false;
        }
        if (rc != STORE_OK) {
            /* EEXIST: written before a retry; EINVAL: a bug upstream,
             * retrying cannot help. Either way it is logged. */
            log_msg("writer", "record not stored again: %s", store_strerror(rc));
        }
    }
    w->head = (w->head + 1) % QUEUE;
    w->count--;
    w->stored_seq = job.seq;
    w->failing_seq = 0;
    if (!w->count)
        SDL_CondBroadcast(w->idle);
    SDL_Event e = {.type = SDL_USEREVENT};
    SDL_PushEvent(&e); /* wake the loop: a screen may be waiting for this */
    return true;
}

static int run(void *arg)
{
    struct writer *w = arg;
    SDL_LockMutex(w->lock);
    for (;;) {
        while (!w->count && !w->stop)
            SDL_CondWait(w->wake, w->lock);
        if (!w->count && w->stop)
            break;
        if (!run_head(w)) {
            if (w->stop)
                break;
            SDL_CondWaitTimeout(w->wake, w->lock, RETRY_MS);
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
    w->jobs[slot] = *job;
    uint64_t seq = w->jobs[slot].seq = ++w->next_seq;
    w->submitted[slot] = SDL_GetTicks64();
    w->count++;
    if (w->inline_mode)
        while (w->count && run_head(w))
            ;
    else
        SDL_CondSignal(w->wake);
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

enum writer_state writer_state(struct writer *w, uint64_t seq)
{
    SDL_LockMutex(w->lock);
    enum writer_state s = seq <= w->stored_seq    ? WRITER_STORED
                          : w->failing_seq && seq >= w->failing_seq ? WRITER_FAILING
                                                  : WRITER_QUEUED;
    SDL_UnlockMutex(w->lock);
    return s;
}

bool writer_checkin_result(struct writer *w, uint64_t seq, int *rc, struct checkin_result *res)
{
    SDL_LockMutex(w->lock);
    bool ready = w->done_seq == seq;
    if (ready) {
        *rc = w->done_rc;
        *res = w->done;
    }
    SDL_UnlockMutex(w->lock);
    return ready;
}

size_t writer_pending(struct writer *w, uint64_t *oldest_ms)
{
    SDL_LockMutex(w->lock);
    size_t n = w->count;
    if (oldest_ms)
        *oldest_ms = n ? w->submitted[w->head] : 0;
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

bool writer_drain(struct writer *w, uint32_t timeout_ms)
{
    uint64_t end = SDL_GetTicks64() + timeout_ms;
    SDL_LockMutex(w->lock);
    while (w->count && SDL_GetTicks64() < end)
        SDL_CondWaitTimeout(w->idle, w->lock, 50);
    bool empty = w->count == 0;
    SDL_UnlockMutex(w->lock);
    return empty;
}

bool writer_settle(struct writer *w, uint32_t timeout_ms)
{
    uint64_t end = SDL_GetTicks64() + timeout_ms;
    SDL_LockMutex(w->lock);
    while (w->count && !w->failing_seq && SDL_GetTicks64() < end)
        SDL_CondWaitTimeout(w->idle, w->lock, 20);
    bool settled = w->count == 0 || w->failing_seq != 0;
    SDL_UnlockMutex(w->lock);
    return settled;
}

void writer_stop(struct writer *w, uint32_t timeout_ms)
{
    if (!w)
        return;
    writer_drain(w, timeout_ms);
    SDL_LockMutex(w->lock);
    w->stop = true;
    if (w->count)
        log_msg("writer", "%zu record(s) could not be stored before shutdown", w->count);
    SDL_CondSignal(w->wake);
    SDL_UnlockMutex(w->lock);
    if (w->thread)
        SDL_WaitThread(w->thread, NULL);
    SDL_DestroyCond(w->wake);
    SDL_DestroyCond(w->idle);
    SDL_DestroyMutex(w->lock);
    /* Answers lived here; leave nothing readable in freed memory. */
    memset(w->jobs, 0, sizeof w->jobs);
    free(w);
}

/*
 * test_writer.c — the background writer never drops a citizen's answer: when
 * the store refuses (full at its ceiling) the record stays queued, the
 * failure is counted with its reason, and the record lands on a later retry
 * once there is room. A failing record is never in the way: a check-in
 * asked for behind it gets its answer at once, and each job's state
 * (queued, stored, failing) is what the screens show.
 */
#include "test.h"

#include <SDL.h>

#include "store.h"
#include "writer.h"

static struct response make(void)
{
    struct response r = {.answers = {1, 2, 3, 4}};
    store_new_id(r.id);
    strcpy(r.date, "2026-11-24");
    strcpy(r.site, "demo-site");
    strcpy(r.language, "da");
    return r;
}

static void count(const struct response *r, void *ctx)
{
    (void)r;
    (*(size_t *)ctx)++;
}

int main(void)
{
    char *dir = test_tmpdir();
    struct store *s;
    struct store_options tiny = {.map_initial = 64 * 1024, .map_max = 256 * 1024};
    CHECK(store_open(&s, dir, &tiny) == STORE_OK);

    /* Staff requests are answered: a setting changed, a refused one with
     * the store's reason, a new PIN made (all off the UI thread). */
    {
        struct writer *w0 = writer_start(s);
        uint64_t good = writer_request_setting(w0, "idle_timeout_s", "60");
        uint64_t bad = writer_request_setting(w0, "idle_timeout_s", "2");
        uint64_t pin = writer_request_pin(w0, "4711");
        CHECK(writer_settle(w0, 10000));
        int rc = -1;
        char why[300];
        CHECK(writer_answer(w0, good, &rc, why, sizeof why) && rc == 0);
        CHECK(store_config_long(s, "idle_timeout_s") == 60);
        CHECK(writer_answer(w0, bad, &rc, why, sizeof why) && rc != 0);
        CHECK_CONTAINS(why, "10");
        CHECK(writer_answer(w0, pin, &rc, why, sizeof why) && rc == 0);
        writer_stop(w0, 1000);
    }

    /* Ordinary writes go through and are durable once drained. */
    struct writer *w = writer_start(s);
    struct write_job job = {.kind = WRITE_RESPONSE};
    for (int i = 0; i < 10; i++) {
        job.response = make();
        writer_submit(w, &job);
    }
    CHECK(writer_drain(w, 10000));
    size_t n = 0;
    store_foreach_response(s, count, &n);
    CHECK(n == 10);

    /* Fill the store to its ceiling behind the writer's back. */
    /* (LMDB may find room in pages freed by the last commit once more, so
     * fill until it says no several times in a row.) */
    int rc = STORE_OK, refusals = 0;
    while (refusals < 20) {
        struct response r = make();
        rc = store_put_response(s, &r);
        refusals = rc == STORE_EFULL ? refusals + 1 : 0;
    }
    CHECK(rc == STORE_EFULL);
    n = 0;
    store_foreach_response(s, count, &n);

    /* Answers keep coming; the first one the store refuses stays queued. */
    int submitted = 0;
    char why[200];
    while (writer_failures(w, why, sizeof why) == 0 && submitted < 500) {
        job.response = make();
        writer_submit(w, &job);
        submitted++;
        writer_drain(w, 200);
    }
    CHECK(writer_failures(w, why, sizeof why) >= 1);
    CHECK_CONTAINS(why, "full");
    uint64_t oldest;
    CHECK(writer_pending(w, &oldest) >= 1);
    CHECK(!writer_drain(w, 1000)); /* it cannot be stored yet */

    /* More answers are refused: their state says so (the survey shows it).
     * (The store may still find room for one now and then.) */
    uint64_t refused = 0;
    for (int i = 0; i < 50 && !refused; i++) {
        job.response = make();
        uint64_t seq = writer_submit(w, &job);
        submitted++;
        CHECK(writer_settle(w, 5000));
        if (writer_state(w, seq) == WRITER_FAILING)
            refused = seq;
    }
    CHECK(refused != 0);

    /* A citizen checking in behind the failing records gets an answer (here
     * the store's own refusal) within a second, not after the retries. */
    struct checkin_request q = {.kind = CHECKIN_WALKIN, .now = 1764000000, .early_min = 60,
                                .late_min = 30};
    strcpy(q.site, "demo-site");
    strcpy(q.date, "2026-11-24");
    strcpy(q.time, "10:00");
    strcpy(q.errand, "Andet");
    uint64_t asked = writer_request_checkin(w, &q);
    int crc = -1;
    struct checkin_result res;
    bool answered = false;
    for (int i = 0; i < 100 && !answered; i++) {
        answered = writer_checkin_result(w, asked, &crc, &res);
        if (!answered)
            SDL_Delay(10);
    }
    CHECK(answered);
    CHECK(writer_state(w, refused) != WRITER_QUEUED); /* failing, or stored by a retry */

    /* Staff raise the ceiling; the next retry stores the waiting answer. */
    struct buf why2;
    buf_init(&why2);
    CHECK(store_config_set(s, "map_max_mb", "4", &why2) == STORE_OK);
    CHECK(writer_drain(w, 12000));
    size_t after = 0;
    store_foreach_response(s, count, &after);
    CHECK(after == n + (size_t)submitted); /* every answer, none dropped */
    CHECK(writer_state(w, refused) == WRITER_STORED);
    writer_stop(w, 1000);
    store_close(s);
    buf_free(&why2);
    test_rmtree(dir);
    free(dir);
    TEST_END();
}

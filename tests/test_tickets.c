/*
 * test_tickets.c — a walk-in ticket number is never given out twice, even
 * when the kiosk is killed while issuing. A child issues tickets for two
 * errands and reports each number only after store_checkin() returned; the
 * parent kills it (SIGKILL) at random moments, then checks that the stored
 * check-ins hold every reported ticket, that no ticket appears twice, and
 * that numbering continues after the highest number ever issued.
 * Also: the check-in rules themselves (window, repeat, wrong-code limit
 * across a reopen, sessions and when they take attendance), and that reordering or adding errands during
 * the day never gives a ticket out twice nor changes an errand's letter.
 */
#include "test.h"

#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "store.h"

static void request(struct checkin_request *q, enum checkin_kind kind, const char *time,
                    time_t now)
{
    memset(q, 0, sizeof *q);
    q->kind = kind;
    strcpy(q->site, "jobcenter-slagelse");
    strcpy(q->date, "2026-11-24");
    strcpy(q->time, time);
    q->now = now;
    q->early_min = 60;
    q->late_min = 30;
    q->session_before_min = 30;
}

static void child(const char *dir, int fd)
{
    struct store *s;
    if (store_open(&s, dir, NULL) != STORE_OK)
        _exit(3);
    for (unsigned i = 0;; i++) {
        struct checkin_request q;
        request(&q, CHECKIN_WALKIN, "10:00", 0);
        q.errand_index = (int)(i % 2);
        strcpy(q.errand, i % 2 ? "Sygedagpenge" : "Ledighed");
        struct checkin_result r;
        if (store_checkin(s, &q, &r) != STORE_OK)
            _exit(4);
        char line[16] = {0};
        snprintf(line, sizeof line, "%-8s\n", r.record.ticket);
        if (write(fd, line, 9) != 9)
            _exit(5);
    }
}

struct tickets {
    char t[20000][9];
    size_t n;
};

static void collect(const struct checkin *c, void *ctx)
{
    struct tickets *t = ctx;
    if (c->kind == CHECKIN_WALKIN && t->n < 20000)
        strcpy(t->t[t->n++], c->ticket);
}

static int cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* A walk-in ticket for errand, as the check-in screen asks for it: with
 * the errand's place in the `errands` setting as it is now. */
static void walk(struct store *s, const char *errand, char ticket[9])
{
    struct buf list;
    buf_init(&list);
    CHECK(store_config_get(s, "errands", &list) == STORE_OK);
    int index = 0;
    char *save = NULL;
    for (char *t = strtok_r(list.data, ",", &save); t && strcmp(t, errand) != 0;
         t = strtok_r(NULL, ",", &save))
        index++;
    buf_free(&list);
    struct checkin_request q;
    request(&q, CHECKIN_WALKIN, "10:00", 0);
    snprintf(q.errand, sizeof q.errand, "%s", errand);
    q.errand_index = index;
    struct checkin_result r;
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_OK);
    strcpy(ticket, r.record.ticket);
}

/* Staff reorder and extend the errands during the day: every ticket of the
 * day stays unique, and each errand keeps its letter. */
static void reorder_mid_day(void)
{
    char *dir = test_tmpdir();
    struct store *s;
    struct buf why;
    buf_init(&why);
    CHECK(store_open(&s, dir, NULL) == STORE_OK);
    static const char *const lists[] = {
        "Ledighed,Sygedagpenge,Andet",
        "Sygedagpenge,Ledighed,Andet",
        "Ungeenheden,Sygedagpenge,Ledighed,Andet",
        "Andet,Ungeenheden,Ledighed",
    };
    static const char *const who[] = {"Ledighed", "Sygedagpenge", "Andet", "Ungeenheden"};
    char tickets[64][9], letter[4] = {0};
    int n = 0;
    for (int l = 0; l < 4; l++) {
        CHECK(store_config_set(s, "errands", lists[l], &why) == STORE_OK);
        for (int w = 0; w < 4; w++) {
            if (!strstr(lists[l], who[w]))
                continue;
            for (int k = 0; k < 2; k++) {
                walk(s, who[w], tickets[n]);
                if (!letter[w])
                    letter[w] = tickets[n][0];
                CHECK(tickets[n][0] == letter[w]); /* the errand's letter stays */
                n++;
            }
        }
    }
    qsort(tickets, (size_t)n, 9, cmp);
    for (int i = 1; i < n; i++)
        if (strcmp(tickets[i - 1], tickets[i]) == 0) {
            fprintf(stderr, "ticket %s given out twice\n", tickets[i]);
            CHECK(!"a ticket number given out twice");
        }
    /* The first list's letters are the ones shown before any change. */
    CHECK(letter[0] == 'A' && letter[1] == 'B' && letter[2] == 'C');
    /* The same errand typed again in another case keeps its counter. */
    char t[9];
    CHECK(store_config_set(s, "errands", "LEDIGHED ,Andet", &why) == STORE_OK);
    walk(s, "LEDIGHED ", t);
    CHECK(t[0] == letter[0] && strcmp(t, tickets[n - 1]) != 0);
    store_close(s);
    buf_free(&why);
    test_rmtree(dir);
    free(dir);
}

int main(void)
{
    char *dir = test_tmpdir();
    const char *env = getenv("SKRANKE_CRASH_ROUNDS");
    int rounds = env ? atoi(env) : 100;
    static char reported[20000][9];
    size_t n_reported = 0;
    srand((unsigned)time(NULL));
    useconds_t max_delay = 20000; /* doubled while nothing was issued yet */
    for (int round = 0; round < rounds; round++) {
        int fd = test_kill_child(child, dir, max_delay, round);
        if (fd < 0)
            return 2;
        char line[9];
        while (read(fd, line, 9) == 9 && n_reported < 20000) {
            line[8] = '\0';
            char *sp = strchr(line, ' ');
            if (sp)
                *sp = '\0';
            strcpy(reported[n_reported++], line);
        }
        close(fd);
        if (!n_reported && max_delay < 5000000)
            max_delay *= 2;
    }
    struct store *s;
    CHECK(store_open(&s, dir, NULL) == STORE_OK);
    static struct tickets stored;
    store_foreach_checkin(s, collect, &stored);
    qsort(stored.t, stored.n, 9, cmp);
    size_t dups = 0;
    for (size_t i = 1; i < stored.n; i++)
        dups += strcmp(stored.t[i - 1], stored.t[i]) == 0;
    CHECK(dups == 0);
    size_t missing = 0;
    for (size_t i = 0; i < n_reported; i++)
        missing += bsearch(reported[i], stored.t, stored.n, 9, cmp) == NULL;
    CHECK(missing == 0);
    CHECK(n_reported > 0);
    printf("%d rounds: %zu tickets reported, %zu stored, %zu duplicates, %zu missing\n", rounds,
           n_reported, stored.n, dups, missing);
    /* Numbering goes on after the highest issued: never a reused number. */
    struct checkin_request q;
    request(&q, CHECKIN_WALKIN, "10:00", 0);
    strcpy(q.errand, "Ledighed");
    struct checkin_result r;
    CHECK(store_checkin(s, &q, &r) == STORE_OK);
    CHECK(bsearch(r.record.ticket, stored.t, stored.n, 9, cmp) == NULL);
    store_close(s);
    test_rmtree(dir);
    free(dir);

    /* ---- the rules ---- */
    dir = test_tmpdir();
    CHECK(store_open(&s, dir, NULL) == STORE_OK);
    request(&q, CHECKIN_APPOINTMENT, "09:00", 1000);
    strcpy(q.code, "K7M2QX");
    CHECK(store_checkin(s, &q, &r) == STORE_OK);
    CHECK(r.outcome == CHECKIN_NO_SCHEDULE);
    struct import_result ir;
    struct buf err;
    buf_init(&err);
    struct batch_import_opts opts = {.now = 1795510800}; /* 2026-11-24 10:00 in Copenhagen */
    CHECK(store_config_set(s, "site", "jobcenter-slagelse", &err) == STORE_OK);
    CHECK(batch_import_file_opts(s, TESTDATA "/schedule-sample.json", &opts, &ir, &err) ==
          STORE_OK);
    /* 13:30 appointment: 12:29 is too early, 12:30 is fine. */
    strcpy(q.code, "y6jd2m");
    strcpy(q.time, "12:29");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_EARLY);
    strcpy(q.time, "12:30");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_OK);
    CHECK_STR(r.record.code, "Y6JD2M");
    CHECK_STR(r.appointment.host, "Fatima");
    char first_id[37];
    strcpy(first_id, r.record.id);
    strcpy(q.time, "13:00");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_REPEAT);
    CHECK_STR(r.record.id, first_id);
    CHECK_STR(r.record.time, "12:30");
    /* 09:30 appointment at 10:01: late, recorded as such. */
    strcpy(q.code, "K7M2QX");
    strcpy(q.time, "10:01");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_LATE);
    CHECK_STR(r.record.result, "late");

    /* Wrong codes: the fifth within a minute pauses entry for 30 s, and
     * the pause holds across a reopen (a restart of the kiosk). */
    strcpy(q.time, "10:05");
    strcpy(q.code, "ZZZZZZ");
    for (int i = 0; i < 4; i++) {
        q.now = 5000 + i;
        CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_UNKNOWN);
    }
    q.now = 5010;
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_LIMITED);
    CHECK(r.limited_until == 5040);
    store_close(s);
    CHECK(store_open(&s, dir, NULL) == STORE_OK);
    strcpy(q.code, "H3RT9P"); /* even a right code waits out the pause */
    q.now = 5039;
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_LIMITED);
    q.now = 5040;
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_OK);
    /* Wrong codes spread over more than a minute do not pause. */
    strcpy(q.code, "ZZZZZZ");
    for (int i = 0; i < 8; i++) {
        q.now = 6000 + i * 20;
        CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_UNKNOWN);
    }

    /* Sessions: a listed participant once; an unlisted code counts as wrong;
     * open attendance records each tap. */
    request(&q, CHECKIN_SESSION, "09:55", 9000);
    strcpy(q.session_id, "cv-1124");
    strcpy(q.code, "q4tz7a");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_OK);
    CHECK_STR(r.session_title, "CV-værksted");
    strcpy(q.time, "10:10");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_REPEAT);
    CHECK_STR(r.record.time, "09:55");
    strcpy(q.code, "K7M2QX");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_UNKNOWN);
    strcpy(q.session_id, "info-1124"); /* 13:00–14:00, open attendance */
    q.code[0] = '\0';
    strcpy(q.time, "12:40");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_OK);
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_OK);
    strcpy(q.session_id, "nope");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_NO_SESSION);

    /* A session takes attendance from session_open_before_min before its
     * start until its end; outside that nothing is recorded, and a code
     * typed then is not counted as wrong. */
    strcpy(q.session_id, "info-1124");
    strcpy(q.time, "12:29");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_EARLY);
    strcpy(q.time, "14:00");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_CLOSED);
    q.session_before_min = 60;
    strcpy(q.time, "12:01");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_OK);
    q.session_before_min = 30;
    strcpy(q.session_id, "cv-1124"); /* 10:00–12:00, listed participants */
    strcpy(q.code, "M2K9PD");
    strcpy(q.time, "12:00");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_CLOSED);
    strcpy(q.time, "09:29");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_EARLY);
    strcpy(q.code, "ZZZZZZ");
    for (int i = 0; i < 6; i++) {
        q.now = 20000 + i;
        CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_EARLY);
    }
    strcpy(q.code, "M2K9PD"); /* six codes before the window: no pause */
    strcpy(q.time, "11:59");
    CHECK(store_checkin(s, &q, &r) == STORE_OK && r.outcome == CHECKIN_OK);
    static const struct {
        const char *start, *end, *now;
        int before, late;
        enum session_window want;
    } win[] = {
        {"10:00", "12:00", "09:29", 30, 30, SESSION_NOT_YET},
        {"10:00", "12:00", "09:30", 30, 30, SESSION_OPEN},
        {"10:00", "12:00", "11:59", 30, 30, SESSION_OPEN},
        {"10:00", "12:00", "12:00", 30, 30, SESSION_OVER},
        {"10:00", "12:00", "10:00", 0, 30, SESSION_OPEN},
        {"10:00", "12:00", "09:59", 0, 30, SESSION_NOT_YET},
        {"00:10", "01:00", "00:00", 30, 30, SESSION_OPEN},
        {"10:00", "", "10:29", 30, 30, SESSION_OPEN}, /* no end: the late window */
        {"10:00", "", "10:30", 30, 30, SESSION_OVER},
        {"10:00", "", "10:30", 30, 45, SESSION_OPEN},
    };
    for (size_t i = 0; i < sizeof win / sizeof *win; i++) {
        enum session_window got = store_session_window(win[i].start, win[i].end, win[i].now,
                                                       win[i].before, win[i].late);
        if (got != win[i].want)
            fprintf(stderr, "window %zu: %s–%s at %s gave %d\n", i, win[i].start, win[i].end,
                    win[i].now, (int)got);
        CHECK(got == win[i].want);
    }
    /* The setting: 30 minutes unless set; whole minutes from 0 to 720. */
    CHECK(store_config_long(s, "session_open_before_min") == 30);
    CHECK(store_config_set(s, "session_open_before_min", "45", &err) == STORE_OK);
    CHECK(store_config_long(s, "session_open_before_min") == 45);
    CHECK(store_config_set(s, "session_open_before_min", "721", &err) == STORE_EINVAL);
    CHECK(strstr(err.data, "whole number from 0 to 720") != NULL);
    CHECK(store_config_set(s, "session_open_before_min", "half an hour", &err) == STORE_EINVAL);
    CHECK(store_config_long(s, "session_open_before_min") == 45);

    struct store_status st;
    CHECK(store_status(s, &st) == STORE_OK);
    CHECK(st.checkins == 8 && st.checkins_waiting == 8);
    store_close(s);
    buf_free(&err);
    test_rmtree(dir);
    free(dir);

    reorder_mid_day();
    TEST_END();
}

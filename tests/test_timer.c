/*
 * test_timer.c — the loop's timer service: timers fire in time order and
 * only when due, moving or disarming a timer takes effect, a callback may
 * re-arm its own timer (a countdown) or arm another, and a callback that
 * keeps re-arming itself in the past cannot hang the loop.
 */
#include "test.h"

#include "timer.h"

static struct timers ts;
static struct timer t1, t2, t3, again;
static char order[64];
static int fired_again;

static void note(char c)
{
    size_t n = strlen(order);
    if (n + 1 < sizeof order) {
        order[n] = c;
        order[n + 1] = '\0';
    }
}

static void f1(struct app *a, struct timer *t)
{
    (void)a;
    CHECK(!t->armed); /* fired timers run disarmed */
    note('1');
}

static void f2(struct app *a, struct timer *t)
{
    (void)a;
    (void)t;
    note('2');
}

static void f3(struct app *a, struct timer *t)
{
    (void)a;
    note('3');
    /* A countdown: again in 100 ms, three times. */
    if (strlen(order) < 8)
        timer_arm(&ts, t, t->when + 100, f3);
}

static void f_chain(struct app *a, struct timer *t)
{
    (void)a;
    (void)t;
    note('c');
    timer_arm(&ts, &t1, 0, f1); /* already due: fires in the same run */
}

static void f_again(struct app *a, struct timer *t)
{
    (void)a;
    fired_again++;
    timer_arm(&ts, t, 0, f_again);
}

int main(void)
{
    CHECK(timer_next(&ts) == UINT64_MAX);

    /* Order by time, whatever the order of arming. */
    timer_arm(&ts, &t2, 200, f2);
    timer_arm(&ts, &t1, 100, f1);
    timer_arm(&ts, &t3, 300, f3);
    CHECK(timer_next(&ts) == 100);
    CHECK(timer_run(&ts, NULL, 99) == 0);
    CHECK_STR(order, "");
    CHECK(timer_run(&ts, NULL, 250) == 2);
    CHECK_STR(order, "12");
    CHECK(timer_next(&ts) == 300);

    /* Moving a timer: t2 again, later than t3. */
    timer_arm(&ts, &t2, 350, f2);
    timer_run(&ts, NULL, 360);
    CHECK_STR(order, "1232");
    /* t3 re-armed itself for 400. */
    CHECK(t3.armed && t3.when == 400);

    /* Disarming. */
    timer_disarm(&ts, &t3);
    CHECK(!t3.armed);
    timer_disarm(&ts, &t3); /* twice is harmless */
    CHECK(timer_next(&ts) == UINT64_MAX);
    timer_run(&ts, NULL, 10000);
    CHECK_STR(order, "1232");

    /* A countdown re-arms itself until it is done. */
    order[0] = '\0';
    timer_arm(&ts, &t3, 1000, f3);
    for (uint64_t now = 1000; now <= 2000; now += 50)
        timer_run(&ts, NULL, now);
    CHECK_STR(order, "33333333");
    CHECK(!t3.armed);

    /* A callback may arm another timer that is due now. */
    order[0] = '\0';
    timer_arm(&ts, &t2, 5000, f_chain);
    CHECK(timer_run(&ts, NULL, 5000) == 2);
    CHECK_STR(order, "c1");

    /* Re-arming in the past for ever is bounded per run. */
    timer_arm(&ts, &again, 0, f_again);
    int n = timer_run(&ts, NULL, 6000);
    CHECK(n == 1000 && fired_again == 1000);
    timer_disarm(&ts, &again);
    CHECK(timer_next(&ts) == UINT64_MAX);

    TEST_END();
}

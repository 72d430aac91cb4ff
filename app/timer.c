/*
 * timer.c — see timer.h. The armed timers form one list sorted by time: a
 * kiosk has a handful armed at once, so arming is a short walk and finding
 * the next is reading the head.
 */
#include "timer.h"

#include <stddef.h>

void timer_disarm(struct timers *ts, struct timer *t)
{
    if (!t->armed)
        return;
    for (struct timer **p = &ts->head; *p; p = &(*p)->next)
        if (*p == t) {
            *p = t->next;
            break;
        }
    t->next = NULL;
    t->armed = false;
}

void timer_arm(struct timers *ts, struct timer *t, uint64_t when,
               void (*fire)(struct app *a, struct timer *t))
{
    timer_disarm(ts, t);
    t->fire = fire;
    t->when = when;
    t->armed = true;
    struct timer **p = &ts->head;
    while (*p && (*p)->when <= when)
        p = &(*p)->next;
    t->next = *p;
    *p = t;
}

uint64_t timer_next(const struct timers *ts)
{
    return ts->head ? ts->head->when : UINT64_MAX;
}

int timer_run(struct timers *ts, struct app *a, uint64_t now)
{
    int fired = 0;
    /* A callback that re-arms its timer at a moment still due would loop
     * for ever: bounded, the rest waits for the next turn. */
    while (ts->head && ts->head->when <= now && fired < 1000) {
        struct timer *t = ts->head;
        timer_disarm(ts, t);
        fired++;
        t->fire(a, t);
    }
    return fired;
}

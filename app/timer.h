/*
 * timer.h — timed events as a service, the way Redis's ae.c keeps its time
 * events: whoever needs to run at a moment (the idle prompt and its
 * countdown, a result screen going home, the "saving" banner, kinetic
 * scrolling, the clock's minute, a long press) arms a timer it owns; the
 * loop sleeps exactly until the nearest armed timer or an input, then fires
 * every timer that is due. No screen computes its own wake-up.
 *
 * A timer is a small struct its owner keeps (no allocation), armed with the
 * function to call and disarmed by its owner. Times are on the loop clock
 * (app.now), so the script driver's virtual clock drives them too.
 */
#ifndef SKRANKE_TIMER_H
#define SKRANKE_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct app;

struct timer {
    void (*fire)(struct app *a, struct timer *t); /* runs disarmed; may re-arm */
    uint64_t when; /* loop clock, valid while armed */
    bool armed;
    struct timer *next; /* in the list of armed timers */
};

struct timers {
    struct timer *head; /* armed timers, soonest first */
};

/* Arms t to call fire at `when` (moving it when it was armed already). An
 * owner that wipes the struct holding t disarms t first. */
void timer_arm(struct timers *ts, struct timer *t, uint64_t when,
               void (*fire)(struct app *a, struct timer *t));
/* Disarms t; a timer that is not armed is left as it is. */
void timer_disarm(struct timers *ts, struct timer *t);
/* The moment the soonest timer is due, or UINT64_MAX when none is armed. */
uint64_t timer_next(const struct timers *ts);
/* Fires, in time order, every timer due at `now` (including timers armed
 * by a callback for a moment already past). Returns how many fired. */
int timer_run(struct timers *ts, struct app *a, uint64_t now);

#endif

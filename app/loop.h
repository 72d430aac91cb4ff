/*
 * loop.h — the one frame path, waiting and time.
 *
 * Each turn of the loop handles the input that is queued (handlers only
 * change state), fires the timers that are due, and then, when anything
 * changed, draws one frame and presents it. Nothing else draws. A tap that
 * reached a screen ends the turn's input, so its result is on screen before
 * the next touch is hit-tested.
 *
 * The real loop sleeps until the nearest timer or an input: where SDL can
 * block on the display connection (x11, wayland) it does; elsewhere (KMSDRM
 * on a board, whose SDL_WaitEvent polls every millisecond) it paces itself,
 * at most ~60 wake-ups a second while a finger is down and 20 otherwise.
 * The script driver runs the same turns on a virtual clock (loop_advance),
 * with its input pushed into SDL's event queue.
 */
#ifndef SKRANKE_LOOP_H
#define SKRANKE_LOOP_H

#include <signal.h>

#include "app.h"

/* Runs until a->quit or a stop request. */
void loop_run(struct app *a);
/* One turn at the loop clock a->now (which the caller set). */
void loop_turn(struct app *a);
/* Virtual time: turns of the loop, with every timer, up to `target`. */
void loop_advance(struct app *a, uint64_t target);

/* Keeps a copy of every frame as it is presented (RGB, 3 bytes a pixel),
 * for the script driver's `shot`. */
void loop_capture(bool on);
/* The last frame presented, or NULL when none was kept. */
const uint8_t *loop_presented(int *w, int *h);

/* Wake-ups counted by loop_run, for the benchmark. */
extern uint64_t loop_wakeups;
/* Set (from a signal handler) to end loop_run in an orderly way. */
extern volatile sig_atomic_t loop_stop_requested;

#endif

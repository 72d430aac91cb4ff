/*
 * loop.h — waiting and time. The real loop sleeps until the next timer or
 * input: where SDL can block on the display connection (x11, wayland) it
 * does; elsewhere (KMSDRM on a board, whose SDL_WaitEvent polls every
 * millisecond) the loop paces itself, at most ~60 wake-ups a second while a
 * finger is down or something moves and 20 otherwise.
 */
#ifndef SKRANKE_LOOP_H
#define SKRANKE_LOOP_H

#include "app.h"

/* Runs until a->quit. Presents every frame that app_frame() draws. */
void loop_run(struct app *a);
/* Virtual time: runs every timer up to `target` (script mode). */
void loop_advance(struct app *a, uint64_t target);
/* Wake-ups counted by loop_run, for the benchmark. */
extern uint64_t loop_wakeups;
/* Set (from a signal handler) to end loop_run in an orderly way. */
#include <signal.h>
extern volatile sig_atomic_t loop_stop_requested;

#endif

/*
 * loop.c — the main loop and the virtual clock; see loop.h.
 */
#include "loop.h"

#include <string.h>

#include "input.h"
#include "watchdog.h"

#define WARM_MIN_IDLE_MS 20
#define WARM_STEP_MS 10

uint64_t loop_wakeups;
volatile sig_atomic_t loop_stop_requested;

static bool animating(struct app *a)
{
    return a->ui.pressing || a->ui.dragging;
}

static bool driver_blocks(void)
{
    const char *d = SDL_GetCurrentVideoDriver();
    return d && (strcmp(d, "x11") == 0 || strcmp(d, "wayland") == 0);
}

void loop_run(struct app *a)
{
    bool blocks = driver_blocks();
    watchdog_init();
    watchdog_ready();
    while (!a->quit && !loop_stop_requested) {
        a->now = SDL_GetTicks64();
        watchdog_ping(a->now);
        app_tick(a);
        if (app_frame(a))
            SDL_RenderPresent(a->ren);
        uint64_t next = app_next_wake(a);
        if (watchdog_next() < next)
            next = watchdog_next();
        uint64_t now = SDL_GetTicks64();
        uint64_t wait = next > now ? next - now : 0;
        if (animating(a) && wait > 16)
            wait = 16;
        SDL_Event e;
        /* Idle with nothing due soon: get the next screen ready, a step at
         * a time, looking for input between steps. */
        if (wait >= WARM_MIN_IDLE_MS && !animating(a)) {
            SDL_PumpEvents();
            if (SDL_PeepEvents(&e, 1, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) == 0 &&
                app_warm(a))
                continue;
        }
        if (blocks) {
            /* At most a second, so a stop request is seen promptly. */
            if (SDL_WaitEventTimeout(&e, wait > 1000 ? 1000 : (int)wait)) {
                a->now = SDL_GetTicks64();
                input_handle(a, &e);
            }
        } else {
            uint32_t step = animating(a) ? 16 : 50;
            uint64_t end = now + wait;
            for (;;) {
                if (loop_stop_requested)
                    break;
                SDL_PumpEvents();
                if (SDL_PeepEvents(&e, 1, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0)
                    break;
                now = SDL_GetTicks64();
                if (now >= end)
                    break;
                SDL_Delay((uint32_t)(end - now < step ? end - now : step));
            }
        }
        loop_wakeups++;
        while (SDL_PollEvent(&e)) {
            a->now = SDL_GetTicks64();
            input_handle(a, &e);
        }
    }
}

void loop_advance(struct app *a, uint64_t target)
{
    while (a->now < target) {
        /* Idle time passes: the steps of app_warm run in it as in
         * loop_run, each taking WARM_STEP_MS of the virtual clock. */
        if (!animating(a) && target >= a->now + WARM_MIN_IDLE_MS &&
            app_next_wake(a) >= a->now + WARM_MIN_IDLE_MS && app_warm(a)) {
            a->now += WARM_STEP_MS;
            app_tick(a);
            continue;
        }
        uint64_t next = app_next_wake(a);
        if (animating(a) || a->ui.n == 0)
            next = a->now + 16 < next ? a->now + 16 : next;
        a->now = next < target ? next : target;
        app_tick(a);
    }
    app_tick(a);
}

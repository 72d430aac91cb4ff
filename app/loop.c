/*
 * loop.c — the one frame path, the waiting, the virtual clock; see loop.h.
 *
 * With SKRANKE_FRAME_LOG=PATH every presented frame is also read back and
 * described in PATH (rewritten through a rename, one line):
 *   frame=N screen=NAME w=W h=H hash=HEX16 pending=0|1
 * hash is FNV-1a 64 over the R, G, B bytes of every pixel, row by row, as
 * tests/xroot.c computes it over the root window, so a test can tell that
 * the display shows exactly the last frame the kiosk presented; pending=1
 * says something changed that is not presented yet (written before the
 * loop sleeps, so it should never stay 1).
 */
#define _GNU_SOURCE
#include "loop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "watchdog.h"

#define WARM_MIN_IDLE_MS 20
#define WARM_STEP_MS 10

uint64_t loop_wakeups;
volatile sig_atomic_t loop_stop_requested;

static struct {
    bool capture;
    uint8_t *rgb;
    size_t cap;
    int w, h;
    uint64_t presents;
    const char *log_path;
    uint64_t logged_frame;
    bool logged_pending, log_checked;
} fr;

void loop_capture(bool on)
{
    fr.capture = on;
}

const uint8_t *loop_presented(int *w, int *h)
{
    *w = fr.w;
    *h = fr.h;
    return fr.rgb && fr.presents ? fr.rgb : NULL;
}

static const char *frame_log(void)
{
    if (!fr.log_checked) {
        fr.log_checked = true;
        const char *p = getenv("SKRANKE_FRAME_LOG");
        fr.log_path = p && *p ? p : NULL;
    }
    return fr.log_path;
}

static void write_log(struct app *a)
{
    uint64_t h = 0xcbf29ce484222325ull;
    size_t n = (size_t)fr.w * (size_t)fr.h * 3;
    for (size_t i = 0; fr.rgb && i < n; i++) {
        h ^= fr.rgb[i];
        h *= 0x100000001b3ull;
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", fr.log_path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    fprintf(f, "frame=%llu screen=%s w=%d h=%d hash=%016llx pending=%d\n",
            (unsigned long long)fr.presents, a->screen->name, fr.w, fr.h, (unsigned long long)h,
            a->dirty ? 1 : 0);
    if (fclose(f) == 0)
        rename(tmp, fr.log_path);
    fr.logged_frame = fr.presents;
    fr.logged_pending = a->dirty;
}

/* Reads back the frame about to be presented (SDL_RenderReadPixels must
 * come before SDL_RenderPresent). */
static void keep(struct app *a)
{
    int w = a->ui.w, h = a->ui.h;
    size_t need = (size_t)w * (size_t)h * 3;
    if (need > fr.cap) {
        free(fr.rgb);
        fr.rgb = xmalloc(need);
        fr.cap = need;
    }
    fr.w = w;
    fr.h = h;
    if (SDL_RenderReadPixels(a->ren, NULL, SDL_PIXELFORMAT_RGB24, fr.rgb, w * 3) != 0)
        log_msg("loop", "cannot read the frame back: %s", SDL_GetError());
}

/* The one place that draws and presents. */
static void frame(struct app *a)
{
    if (!app_draw(a))
        return;
    bool log = frame_log() != NULL;
    if (fr.capture || log)
        keep(a);
    SDL_RenderPresent(a->ren);
    fr.presents++;
    if (log)
        write_log(a);
}

void loop_turn(struct app *a)
{
    SDL_Event e;
    bool real = !a->script_mode;
    while (!a->quit && SDL_PollEvent(&e)) {
        if (real)
            a->now = SDL_GetTicks64();
        if (input_handle(a, &e))
            break; /* show the tap's result before the next touch is read */
    }
    if (real)
        a->now = SDL_GetTicks64();
    timer_run(&a->timers, a, a->now);
    frame(a);
}

static bool driver_blocks(void)
{
    const char *d = SDL_GetCurrentVideoDriver();
    return d && (strcmp(d, "x11") == 0 || strcmp(d, "wayland") == 0);
}

static bool input_waiting(void)
{
    SDL_PumpEvents();
    return SDL_PeepEvents(NULL, 1, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0;
}

void loop_run(struct app *a)
{
    bool blocks = driver_blocks();
    watchdog_init();
    watchdog_ready();
    while (!a->quit && !loop_stop_requested) {
        a->now = SDL_GetTicks64();
        watchdog_ping(a->now);
        loop_turn(a);
        if (a->quit)
            break;
        if (frame_log() && (fr.logged_frame != fr.presents || fr.logged_pending != a->dirty))
            write_log(a);
        uint64_t next = timer_next(&a->timers);
        if (watchdog_next() < next)
            next = watchdog_next();
        uint64_t now = SDL_GetTicks64();
        if (next <= now || a->dirty)
            continue;
        uint64_t wait = next - now;
        /* Idle with nothing due soon: get the next screen ready, a step at
         * a time, looking for input between steps. */
        if (wait >= WARM_MIN_IDLE_MS && !a->ui.pressing && !input_waiting() && app_warm(a))
            continue;
        if (blocks) {
            /* At most a second, so a stop request is seen promptly. */
            SDL_WaitEventTimeout(NULL, wait > 1000 ? 1000 : (int)wait);
        } else {
            uint32_t step = a->ui.pressing ? 16 : 50;
            uint64_t end = now + wait;
            while (!loop_stop_requested && !input_waiting()) {
                now = SDL_GetTicks64();
                if (now >= end)
                    break;
                SDL_Delay((uint32_t)(end - now < step ? end - now : step));
            }
        }
        loop_wakeups++;
    }
}

void loop_advance(struct app *a, uint64_t target)
{
    for (;;) {
        loop_turn(a);
        if (a->now >= target || a->quit)
            break;
        uint64_t next = timer_next(&a->timers);
        /* Idle time passes: the steps of app_warm run in it as in
         * loop_run, each taking WARM_STEP_MS of the virtual clock. */
        if (!a->ui.pressing && target >= a->now + WARM_MIN_IDLE_MS &&
            next >= a->now + WARM_MIN_IDLE_MS && app_warm(a)) {
            a->now += WARM_STEP_MS;
            continue;
        }
        a->now = next < target ? next : target;
    }
}

/*
 * main.c — start-up order and shutdown of the kiosk:
 *   arguments → store → SDL, window, renderer → fonts, translations →
 *   writer thread → the loop (or the script driver) → orderly shutdown.
 * Anything that fails at start-up is logged in one line and the process
 * exits non-zero, so the board's service restarts it.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>

#include "app.h"
#include "i18n.h"
#include "loop.h"
#include "script.h"
#include "speech.h"
#include "stats.h"

#define LOG(...) log_msg("kiosk", __VA_ARGS__)

static const char usage[] =
    "usage: skranke [--data DIR] [--window WxH | --fullscreen] [--renderer software|gles]\n"
    "               [--script FILE] [--shots DIR] [--dump-ui] [--assets DIR]\n";

struct options {
    const char *data, *script, *shots, *renderer, *assets;
    int w, h;
    bool fullscreen, dump_ui;
};

static bool parse_args(int argc, char **argv, struct options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--data") == 0 && next)
            o->data = argv[++i];
        else if (strcmp(a, "--script") == 0 && next)
            o->script = argv[++i];
        else if (strcmp(a, "--shots") == 0 && next)
            o->shots = argv[++i];
        else if (strcmp(a, "--assets") == 0 && next)
            o->assets = argv[++i];
        else if (strcmp(a, "--renderer") == 0 && next &&
                 (strcmp(next, "software") == 0 || strcmp(next, "gles") == 0))
            o->renderer = argv[++i];
        else if (strcmp(a, "--window") == 0 && next &&
                 sscanf(argv[++i], "%dx%d", &o->w, &o->h) == 2 && o->w >= 320 && o->h >= 240 &&
                 o->w <= 8192 && o->h <= 8192)
            o->fullscreen = false;
        else if (strcmp(a, "--fullscreen") == 0)
            o->fullscreen = true;
        else if (strcmp(a, "--dump-ui") == 0)
            o->dump_ui = true;
        else
            return false;
    }
    return true;
}

/* systemd stops the kiosk with SIGTERM: finish the frame, store what the
 * writer holds, then exit. Ctrl+C and a hang-up from the console do nothing
 * (a citizen's keyboard must not end the kiosk). */
static void on_term(int sig)
{
    (void)sig;
    loop_stop_requested = 1;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
}

static const char *default_renderer(const struct options *o)
{
    if (o->renderer)
        return strcmp(o->renderer, "gles") == 0 ? "opengles2" : "software";
    if (o->script || o->dump_ui)
        return "software"; /* the same pixels on every machine */
    /* A GPU shows itself as a DRM render node; without one, GL would run in
     * Mesa's software rasteriser, which costs far more than SDL's. */
    if (access("/dev/dri/renderD128", R_OK | W_OK) == 0)
        return "opengles2";
    return "software";
}

int main(int argc, char **argv)
{
    stats_init();
    struct options o = {.w = 1280, .h = 800, .fullscreen = true};
    o.data = getenv("SKRANKE_DATA");
    if (!o.data || !*o.data)
        o.data = "./data";
    o.assets = getenv("SKRANKE_ASSETS");
    if (!o.assets || !*o.assets)
        o.assets = SKRANKE_ASSETS_DIR;
    bool window_given = false;
    for (int i = 1; i < argc; i++)
        window_given = window_given || strcmp(argv[i], "--window") == 0;
    if (!parse_args(argc, argv, &o)) {
        fputs(usage, stderr);
        return 2;
    }
    if ((o.script || o.dump_ui) && !window_given && o.fullscreen) {
        o.fullscreen = false;
        o.w = 1920;
        o.h = 1080;
    }
    if ((o.script || o.dump_ui) && !getenv("SDL_VIDEODRIVER"))
        setenv("SDL_VIDEODRIVER", "dummy", 1);
    if ((o.script || o.dump_ui) && !getenv("SDL_AUDIODRIVER"))
        setenv("SDL_AUDIODRIVER", "dummy", 1); /* speech is heard nowhere */

    int rc = 1;
    struct app a;
    memset(&a, 0, sizeof a);
#ifdef SKRANKE_MAINTENANCE
    a.maintenance = true;
#endif
    a.script_mode = o.script != NULL;
    struct store *store = NULL;
    int src = store_open(&store, o.data, NULL);
    if (src) {
        LOG("%s: %s", o.data, store_strerror(src));
        return 1;
    }
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, default_renderer(&o));
    if (strcmp(default_renderer(&o), "software") == 0)
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
    SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "0");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    /* Under X, SDL_Init opens an input method (XOpenIM), and libX11 then
     * parses the locale's whole Compose table: about 49 M instructions,
     * three quarters of a trivial SDL program's start-up (callgrind,
     * scripts/bench-window). The kiosk takes no text from a physical
     * keyboard (every letter comes from its on-screen keys), so it has no
     * use for compose sequences: an empty table, unless the operator set
     * one. */
    setenv("XCOMPOSEFILE", "/dev/null", 0);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) < 0) {
        LOG("SDL: %s", SDL_GetError());
        goto out_store;
    }
    install_signals();
    /* Full screen. Under X, SDL 2.26 creates an SDL_WINDOW_FULLSCREEN_DESKTOP
     * window at the windowed size (o.w x o.h, centred), maps it, asks the
     * window manager for full screen (_NET_WM_STATE) and then polls up to
     * 100 ms for the window to move and resize (X11_SetWindowFullscreenViaWM,
     * inside SDL_CreateWindow). With no window manager nothing changes: the
     * first frame waited the whole 100 ms, and then a 1920x1080 frame showed
     * through a 1280x800 window in the middle of the screen. So under X the
     * kiosk opens a borderless window of the display's size at its origin,
     * which covers the screen at once (window managers treat an undecorated
     * screen-sized window as full screen). Elsewhere (KMSDRM on the board,
     * Wayland) SDL's full screen, as before. tests/bench/sdl_floor.c opens
     * its window the same way; scripts/bench-window times both. */
    Uint32 flags = SDL_WINDOW_SHOWN;
    int win_x = SDL_WINDOWPOS_CENTERED, win_y = SDL_WINDOWPOS_CENTERED, win_w = o.w, win_h = o.h;
    if (o.fullscreen) {
        const char *driver = SDL_GetCurrentVideoDriver();
        SDL_Rect bounds;
        if (driver && strcmp(driver, "x11") == 0 && SDL_GetDisplayBounds(0, &bounds) == 0) {
            flags |= SDL_WINDOW_BORDERLESS;
            win_x = bounds.x;
            win_y = bounds.y;
            win_w = bounds.w;
            win_h = bounds.h;
        } else {
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        }
    }
    a.win = SDL_CreateWindow("skranke", win_x, win_y, win_w, win_h, flags);
    if (a.win)
        a.ren = SDL_CreateRenderer(a.win, -1, 0);
    if (!a.ren) {
        LOG("window: %s", SDL_GetError());
        goto out_sdl;
    }
    if (o.fullscreen)
        SDL_ShowCursor(SDL_DISABLE);
    int w, h;
    SDL_GetRendererOutputSize(a.ren, &w, &h);
    if (!text_init(o.assets) || !i18n_load(o.assets))
        goto out_sdl;
    a.tc = text_cache_create(a.ren);
    app_init(&a, store, o.assets);
    a.data = o.data;
    ui_init(&a.ui, a.ren, a.tc, w, h, a.screen_inches);
    app_set_lang(&a, a.lang);
    time_t wall = clock_now();
    a.wall_base = wall;
    a.now = o.script ? 0 : SDL_GetTicks64();
    if (!o.script)
        a.wall_base = wall - (time_t)(a.now / 1000);
    /* SKRANKE_NOW (tests) fixes the start; the clock then counts on. */
    const char *fixed = getenv("SKRANKE_NOW");
    a.wall_live = !o.script && !(fixed && *fixed);
    a.last_input = a.now;
    app_start_timers(&a);
    a.writer = writer_start(store);

    if (o.script) {
        rc = script_run(&a, o.script, o.shots);
    } else if (!o.dump_ui) {
        SDL_RendererInfo info;
        SDL_GetRendererInfo(a.ren, &info);
        LOG("ready: %dx%d, renderer %s, video %s", w, h, info.name, SDL_GetCurrentVideoDriver());
        loop_run(&a);
        rc = a.exit_code;
    } else {
        rc = 0;
    }
    if (o.dump_ui) {
        loop_turn(&a); /* the first frame, when no script drew one */
        struct buf b;
        buf_init(&b);
        ui_dump(&a.ui, &b);
        if (b.len)
            fputs(b.data, stdout);
        buf_free(&b);
    }
    writer_stop(a.writer, 10000);
    if (a.speech) {
        uint64_t said, first, samples;
        speech_times(a.speech, &said, &first, &samples);
        if (said && first >= said)
            stats_speech(first - said);
    }
    stats_write(loop_wakeups);
    text_cache_destroy(a.tc);
    ui_deinit(&a.ui);
    app_deinit(&a);
    i18n_unload();
    text_deinit();
out_sdl:
    if (a.ren)
        SDL_DestroyRenderer(a.ren);
    if (a.win)
        SDL_DestroyWindow(a.win);
    SDL_Quit();
out_store:
    store_close(store);
    return rc;
}

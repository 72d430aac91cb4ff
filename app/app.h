/*
 * app.h — the kiosk's state and the contract between the core and screens.
 *
 * Time: `now` is the loop clock in milliseconds. In a real run it follows
 * SDL's monotonic clock; under --script it is virtual and moves only when
 * the script waits or taps, so timeouts of minutes take no real time.
 * Durations (timeouts, the PIN back-off) are measured on `now` only, so a
 * wall clock that jumps never lengthens or shortens them. The wall clock
 * (the time and day shown, the check-in window, a response's date) is the
 * system's in a real run (wall_live), read when it is needed: a clock set
 * right by NTP after boot is followed at once, not after a restart. Under
 * --script it is wall_base + now.
 *
 * Privacy: every screen's `forget` wipes what a citizen entered; the core
 * calls them all, clears the text cache and goes home when the idle prompt
 * runs out (PRODUCT.md, "Rules for every screen").
 */
#ifndef SKRANKE_APP_H
#define SKRANKE_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <SDL.h>

#include "store.h"
#include "text.h"
#include "timer.h"
#include "ui/ui.h"
#include "writer.h"

#define APP_MAX_LANGS 8
#define STAFF_HOLD_MS 3000

struct app;

struct screen {
    const char *name;
    /* Opens the screen: loads what it shows into its own state (draw reads
     * only that state, never the store or a thread). */
    void (*enter)(struct app *a);
    void (*draw)(struct app *a, struct ui *ui);
    /* Handles a tap on id; the core handles nav.home, home.lang.* and the
     * idle prompt before asking the screen. */
    void (*tap)(struct app *a, const char *id);
    /* Wipes everything a citizen entered on this screen and disarms its
     * timers. Called for every registered screen by the privacy reset. */
    void (*forget)(struct app *a);
    /* Background work answered (the writer stored or refused a record, a
     * worker finished): collect the result into the screen's state. */
    void (*answered)(struct app *a);
    /* True while background work of the screen runs (the script driver
     * waits for it). */
    bool (*busy)(const struct app *a);
    /* Optional: draws (dry, see app_warm) the views a citizen meets next
     * after the one enter() shows, then leaves the screen as enter() did. */
    void (*warm)(struct app *a, struct ui *ui);
    /* Staff screens have their own idle time (leaving without a prompt)
     * and never show the citizens' idle prompt. */
    bool staff;
    uint64_t idle_ms;
};

struct app {
    const char *assets;
    const char *data; /* the store's folder (the sync folder's memory is kept there) */
    struct store *store;
    struct writer *writer;
    SDL_Window *win;
    SDL_Renderer *ren;
    struct text_cache *tc;
    struct ui ui;

    /* Settings, read at start. */
    char site[STORE_SITE_MAX + 1];
    char site_name[STORE_TEXT_MAX + 1];
    char langs[APP_MAX_LANGS][8];
    int n_langs;
    uint64_t idle_timeout_ms, idle_prompt_ms;
    float screen_inches;
    bool speech_auto; /* read every new screen aloud */
    int speech_volume; /* percent, restored at every privacy reset */
    bool text_large;   /* larger text from the start (each citizen's default) */

    /* State. */
    char lang[8];
    bool large; /* larger text (home.bigger), until the privacy reset */
    const struct screen *screen;
    uint64_t now;
    time_t wall_base;
    bool wall_live; /* a real run: the wall clock is the system's */
    uint64_t last_input;
    bool prompt;
    uint64_t prompt_end;
    bool saving; /* the "saving" banner is shown */
    bool settings_stale; /* a setting is being written: read them again after */
    bool dirty, quit, script_mode, maintenance;
    int exit_code; /* non-zero when the kiosk must be restarted */
    uint64_t frames;
    int warm_next; /* the next step of app_warm; see there */

    /* Reading aloud (speech.h): opened in the first idle moment. */
    struct speech *speech;
    uint64_t frame_sig;  /* which screen the last frame showed (its widget ids) */
    bool speak_new;      /* read the next new screen aloud (after "Læs højt") */
    bool speak_note;     /* "no voice in this language" is shown */
    struct timer t_speak_note;

    /* Everything timed; the core's own timers. */
    struct timers timers;
    struct timer t_idle, t_prompt, t_minute, t_hold, t_saving, t_anim;
    struct timer t_left;           /* a second of app_home_left turned */
    const struct timer *home_left; /* the result's way home, counted down */
    struct ui_list *flung; /* the list scrolling on by itself */
    uint64_t anim_last;
};

/* The text for key in the current language (Danish when missing). */
const char *T(const struct app *a, const char *key);
time_t app_wall(const struct app *a);

bool app_init(struct app *a, struct store *store, const char *assets);
/* Reads the settings the app keeps (after staff changed them). */
void app_reload_settings(struct app *a);
/* The items of a comma-separated setting into out[max] (trimmed, texts of
 * up to STORE_TEXT_MAX bytes); returns how many. */
int app_config_list(const struct app *a, const char *key, char (*out)[STORE_TEXT_MAX + 1],
                    int max);
/* True while a screen's background work runs. */
bool app_busy(const struct app *a);
void app_deinit(struct app *a);
void app_go(struct app *a, const struct screen *s);
void app_set_lang(struct app *a, const char *code);
/* The language choice: a button per offered language (id home.lang.<code>,
 * the language's own name), the current one selected. Equal buttons of at
 * most max_w, in rows centred across band and stacked upwards from band
 * (the bottom row): as many rows as it takes for every name to fit on one
 * line at the button's text size. Returns the y of the top row. */
int app_lang_buttons(struct app *a, struct ui *ui, struct rect band, int max_w, int gap);
/* The y of the top row app_lang_buttons would draw, drawing nothing. */
int app_lang_top(struct app *a, struct ui *ui, struct rect band, int max_w, int gap);

/* Input, in window pixels at loop time `now`. They change state and mark
 * what changed; they never draw. Hit testing uses the widgets of the frame
 * last drawn, which the loop presented. app_release returns true when the
 * release was a tap that reached a screen. */
void app_press(struct app *a, int x, int y);
void app_move(struct app *a, int x, int y);
bool app_release(struct app *a, int x, int y);
/* Background work answered (see struct screen's answered). */
void app_answered(struct app *a);

/* Arms a timer owned by the caller for `ms` from now (loop clock). */
void app_after(struct app *a, struct timer *t, uint64_t ms,
               void (*fire)(struct app *a, struct timer *t));
void app_cancel(struct app *a, struct timer *t);
/* A result screen that goes home by itself: app_after, and the screen is
 * redrawn as each second of the time left turns, for app_home_left. */
void app_home_after(struct app *a, struct timer *home, uint64_t ms,
                    void (*fire)(struct app *a, struct timer *t));
/* The time left before it goes home (home, as armed by app_home_after): a
 * small muted line centred at y. Returns its height. */
int app_home_left(struct app *a, struct ui *ui, int y, const struct timer *home);
/* Hands a record to the writer; arms the "saving" banner. Returns the
 * writer's sequence number for it (see writer_state). */
uint64_t app_store(struct app *a, const struct write_job *job);

/* Arms the core's timers (clock minute, idle); once, after app_init and
 * the loop clock are set. */
void app_start_timers(struct app *a);
/* Draws the frame when something changed; true when it drew. Only the
 * loop calls it, and presents what it drew (loop.c). */
bool app_draw(struct app *a);
/* Wipes every trace of the previous citizen and goes home. */
void app_privacy_reset(struct app *a);
/* While the kiosk stands on its home screen and nobody touches it, gets
 * the next tap's frame ready: one step per call draws, dry, one of the
 * screens a citizen opens from home in the current language, or home in
 * another offered language, so fonts, shaping, glyphs and shapes are loaded
 * before anyone asks (texts are rendered, not kept: memory stays bounded).
 * Returns false when there was nothing to do. app_warm_restart starts the
 * steps over (after a language switch, a resize, new settings). */
bool app_warm(struct app *a);
void app_warm_restart(struct app *a);

/* Shared chrome of every screen but home: the way home (and back, when
 * back_id is given), and a title. Returns the y where content starts. */
int app_chrome(struct app *a, struct ui *ui, const char *title, bool back);

/* Every screen, registered in this one place: the privacy reset wipes each
 * of them, so a new screen can't be forgotten there. */
#define SKRANKE_SCREENS(X) X(home) X(survey) X(checkin) X(jobs) X(staff)
#define SKRANKE_SCREEN_DECL(n) extern const struct screen screen_##n;
SKRANKE_SCREENS(SKRANKE_SCREEN_DECL)
#undef SKRANKE_SCREEN_DECL

#endif

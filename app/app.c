/*
 * app.c — the core every screen shares: tap dispatch, the language, the
 * idle privacy prompt and reset, the staff long press, the core's timers
 * (idle, prompt countdown, clock minute, long press, saving banner), and
 * drawing a frame only when something changed. Input handlers here only
 * change state; the loop draws and presents (loop.c).
 */
#define _GNU_SOURCE
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "reader.h"
#include "speech.h"
#include "stats.h"
#include "sync.h"

#define LOG(...) log_msg("app", __VA_ARGS__)
#define SAVING_AFTER_MS 300
#define ANIM_MS 16
#define SPEAK_NOTE_MS 5000

const char *T(const struct app *a, const char *key)
{
    return i18n_get(a->lang, key);
}

time_t app_wall(const struct app *a)
{
    return a->wall_live ? clock_now() : a->wall_base + (time_t)(a->now / 1000);
}

void app_reload_settings(struct app *a)
{
    struct buf v;
    buf_init(&v);
    store_config_get(a->store, "site", &v);
    snprintf(a->site, sizeof a->site, "%s", v.data);
    store_config_get(a->store, "site_name", &v);
    snprintf(a->site_name, sizeof a->site_name, "%s", v.data);
    store_config_get(a->store, "languages", &v);
    a->n_langs = 0;
    char *save = NULL;
    for (char *t = strtok_r(v.data, ",", &save); t && a->n_langs < APP_MAX_LANGS;
         t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        if (i18n_has(t))
            snprintf(a->langs[a->n_langs++], sizeof a->langs[0], "%s", t);
        else
            LOG("language %s is offered in settings but has no translation file", t);
    }
    if (a->n_langs == 0)
        snprintf(a->langs[a->n_langs++], sizeof a->langs[0], "da");
    a->idle_timeout_ms = (uint64_t)store_config_long(a->store, "idle_timeout_s") * 1000;
    a->idle_prompt_ms = (uint64_t)store_config_long(a->store, "idle_prompt_s") * 1000;
    a->screen_inches = (float)store_config_long(a->store, "screen_inches");
    a->speech_auto = store_config_long(a->store, "speech_auto") != 0;
    a->speech_volume = (int)store_config_long(a->store, "speech_volume");
    bool was_default = a->large == a->text_large;
    a->text_large = store_config_long(a->store, "text_large") != 0;
    if (was_default)
        a->large = a->text_large; /* a citizen's own choice stays until they go */
    buf_free(&v);
    app_warm_restart(a); /* other languages, perhaps new data */
}

bool app_init(struct app *a, struct store *store, const char *assets)
{
    a->store = store;
    a->assets = assets;
    app_reload_settings(a);
    snprintf(a->lang, sizeof a->lang, "%s", a->langs[0]);
    a->screen = &screen_home;
    a->dirty = true;
    return true;
}

void app_deinit(struct app *a)
{
    sync_stop(a);
    speech_close(a->speech);
    a->speech = NULL;
}

/* The speech thread, started the first time it is needed (or in the first
 * idle moment, app_warm), so that it costs nothing before the first frame. */
static struct speech *speech(struct app *a)
{
    if (!a->speech) {
        a->speech = speech_open();
        speech_set_volume(a->speech, a->speech_volume);
    }
    return a->speech;
}

static void speak_note_fire(struct app *a, struct timer *t)
{
    (void)t;
    a->speak_note = false;
    a->dirty = true;
}

/* "Læs højt": the frame on screen, in the screen's language. Where that
 * language has no voice, a note says so in it, and nothing is read in a
 * voice of another language. */
static void speak_screen(struct app *a)
{
    if (!speech_has_voice(a->lang)) {
        a->speak_note = true;
        a->dirty = true;
        app_after(a, &a->t_speak_note, SPEAK_NOTE_MS, speak_note_fire);
        return;
    }
    struct buf b;
    buf_init(&b);
    reader_text(&a->ui, &b);
    if (b.len)
        speech_say(speech(a), a->lang, b.data);
    memset(b.data, 0, b.len);
    buf_free(&b);
}

/* The idle prompt's words below its title: the seconds left. */
static const char *prompt_body(const struct app *a, struct buf *b)
{
    uint64_t left_s = a->prompt_end > a->now ? (a->prompt_end - a->now + 999) / 1000 : 0;
    return i18n_fmt(a->lang, "idle.body", (long)left_s, b);
}

/* The idle prompt, read aloud after its tone (with speech on): its
 * question and the time left, not the screen behind it. */
static void speak_prompt(struct app *a)
{
    if (!speech_has_voice(a->lang))
        return; /* the tone was the sound */
    struct buf b;
    buf_init(&b);
    prompt_body(a, &b);
    size_t n = strlen(T(a, "idle.title")) + b.len + 2;
    char *text = xcalloc(1, n);
    snprintf(text, n, "%s\n%s", T(a, "idle.title"), b.data);
    speech_say(speech(a), a->lang, text);
    free(text);
    buf_free(&b);
}

/* After each frame: a new screen (other widget ids than the last frame's,
 * list items aside) starts a new span for expect-spoken, and is read aloud
 * when the citizen asked for it or the kiosk is set to (the idle prompt:
 * its own words). */
static void after_frame(struct app *a)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < a->ui.n; i++) {
        const char *id = a->ui.widgets[i].id;
        if (!*id || strstr(id, ".item."))
            continue;
        for (const char *p = id; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ull;
        h = (h ^ '|') * 1099511628211ull;
    }
    if (h == a->frame_sig)
        return;
    a->frame_sig = h;
    if (a->speech)
        speech_log_clear(a->speech);
    if ((a->speak_new || a->speech_auto) && a->screen != &screen_staff) {
        if (a->prompt)
            speak_prompt(a);
        else
            speak_screen(a);
    }
}

void app_set_lang(struct app *a, const char *code)
{
    char copy[sizeof a->lang];
    snprintf(copy, sizeof copy, "%.7s", code); /* code may be a->lang itself */
    memcpy(a->lang, copy, sizeof copy);
    a->ui.rtl = i18n_rtl(a->lang);
    a->dirty = true;
}

static int lang_buttons(struct app *a, struct ui *ui, struct rect band, int max_w, int gap,
                        bool draw);

int app_lang_buttons(struct app *a, struct ui *ui, struct rect band, int max_w, int gap)
{
    return lang_buttons(a, ui, band, max_w, gap, true);
}

int app_lang_top(struct app *a, struct ui *ui, struct rect band, int max_w, int gap)
{
    return lang_buttons(a, ui, band, max_w, gap, false);
}

static int lang_buttons(struct app *a, struct ui *ui, struct rect band, int max_w, int gap,
                        bool draw)
{
    int n = a->n_langs, need = 0;
    /* What a name needs: its width at the size ui_button gives a label of
     * this height, inside a selected button's border and padding. */
    struct text_style st = {ui_tx(ui, band.h > ui_tx(ui, 14) ? 4.4f : 3.4f), true, UI_TEXT};
    int border = ui_px(ui, 0.6f) < 2 ? 2 : ui_px(ui, 0.6f);
    for (int i = 0; i < n; i++) {
        const char *name = i18n_get(a->langs[i], "@name");
        int w = text_width(name, &st, ui_text_rtl(ui, name)) + 2 * (border + ui_px(ui, 1.5f)) +
                ui_px(ui, 1);
        need = w > need ? w : need;
    }
    /* The fewest rows where each button has room for the longest name; a
     * button is max_w wide, or wider when a name needs it. */
    int per = n;
    while (per > 1 && (band.w - (per - 1) * gap) / per < need)
        per--;
    int rows = (n + per - 1) / per;
    per = (n + rows - 1) / rows; /* rows as even as they come: 4 + 4, not 5 + 3 */
    int room = (band.w - (per - 1) * gap) / per;
    int w = need > max_w ? need : max_w;
    w = w < room ? w : room;
    int top = band.y - (rows - 1) * (band.h + gap);
    for (int i = 0; i < n && draw; i++) {
        int row = i / per, in_row = row == rows - 1 ? n - row * per : per;
        int x = band.x + (band.w - (in_row * w + (in_row - 1) * gap)) / 2 + (i % per) * (w + gap);
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, "home.lang.%s", a->langs[i]);
        ui_button(ui, id, (struct rect){x, top + row * (band.h + gap), w, band.h},
                  i18n_get(a->langs[i], "@name"), NULL,
                  strcmp(a->langs[i], a->lang) == 0 ? BTN_SELECTED : BTN_SECONDARY);
    }
    return top;
}

static void arm_idle(struct app *a);

void app_go(struct app *a, const struct screen *s)
{
    a->screen = s;
    ui_cancel_press(&a->ui);
    app_cancel(a, &a->t_hold);
    if (s->enter)
        s->enter(a);
    a->dirty = true;
    arm_idle(a);
}

#define SCREEN_REF(n) &screen_##n,
static const struct screen *const all_screens[] = {SKRANKE_SCREENS(SCREEN_REF)};
#undef SCREEN_REF

int app_config_list(const struct app *a, const char *key, char (*out)[STORE_TEXT_MAX + 1],
                    int max)
{
    struct buf v;
    buf_init(&v);
    int n = 0;
    if (store_config_get(a->store, key, &v) == STORE_OK && v.len) {
        char *save = NULL;
        for (char *t = strtok_r(v.data, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save)) {
            while (*t == ' ')
                t++;
            snprintf(out[n++], STORE_TEXT_MAX + 1, "%s", t);
        }
    }
    buf_free(&v);
    return n;
}

bool app_busy(const struct app *a)
{
    return (a->screen->busy && a->screen->busy(a)) || sync_busy();
}

void app_privacy_reset(struct app *a)
{
    for (size_t i = 0; i < sizeof all_screens / sizeof *all_screens; i++)
        if (all_screens[i]->forget)
            all_screens[i]->forget(a);
    a->prompt = false;
    app_cancel(a, &a->t_prompt);
    app_cancel(a, &a->t_left);
    a->home_left = NULL;
    ui_cancel_press(&a->ui);
    text_cache_clear(a->tc);
    /* Speech: silent, its log wiped, the volume back to the setting, and
     * the next citizen starts without "read every screen". */
    if (a->speech) {
        speech_hush(a->speech);
        speech_log_clear(a->speech);
        speech_set_volume(a->speech, a->speech_volume);
    }
    a->speak_new = a->speak_note = false;
    app_cancel(a, &a->t_speak_note);
    app_set_lang(a, a->langs[0]);
    a->large = a->text_large;
    app_go(a, &screen_home);
}

/* Home, then the screens a citizen opens from it. */
static const struct screen *const warm_screens[] = {&screen_home, &screen_survey, &screen_checkin,
                                                    &screen_jobs};
#define N_WARM ((int)(sizeof warm_screens / sizeof *warm_screens))

void app_warm_restart(struct app *a)
{
    a->warm_next = 0;
}

bool app_warm(struct app *a)
{
    if (a->screen != &screen_home || a->prompt || a->ui.pressing)
        return false;
    int cur = 0;
    for (int i = 0; i < a->n_langs; i++)
        if (strcmp(a->langs[i], a->lang) == 0)
            cur = i;
    /* The current language's screens, then home in the others (so a
     * language button answers at once; a switch starts the steps over). */
    for (; a->warm_next < N_WARM + a->n_langs - 1; a->warm_next++) {
        int li = a->warm_next < N_WARM ? cur : (cur + 1 + a->warm_next - N_WARM) % a->n_langs;
        const struct screen *s = a->warm_next < N_WARM ? warm_screens[a->warm_next] : &screen_home;
        if (s == a->screen && li == cur)
            continue; /* that one is on screen */
        char lang[sizeof a->lang];
        memcpy(lang, a->lang, sizeof lang);
        bool dirty = a->dirty;
        snprintf(a->lang, sizeof a->lang, "%s", a->langs[li]);
        struct ui *ui = &a->ui;
        ui_dry_begin(ui);
        ui->rtl = i18n_rtl(a->lang);
        if (s != a->screen && s->enter)
            s->enter(a); /* as a tap would open it; that screen is not in use */
        s->draw(a, ui);
        if (s != a->screen && s->warm)
            s->warm(a, ui);
        if (s != a->screen && s->forget)
            s->forget(a); /* nothing of it stays armed or loaded */
        ui_dry_end(ui);
        memcpy(a->lang, lang, sizeof lang);
        ui->rtl = i18n_rtl(a->lang);
        a->dirty = dirty;
        a->warm_next++;
        return true;
    }
    if (!a->speech) {
        speech(a); /* the voice, loaded on its own thread */
        return true;
    }
    return false;
}

static bool at_rest(const struct app *a)
{
    return a->screen == &screen_home && strcmp(a->lang, a->langs[0]) == 0 &&
           a->large == a->text_large && !a->prompt;
}

void app_after(struct app *a, struct timer *t, uint64_t ms,
               void (*fire)(struct app *a, struct timer *t))
{
    timer_arm(&a->timers, t, a->now + ms, fire);
}

void app_cancel(struct app *a, struct timer *t)
{
    timer_disarm(&a->timers, t);
}

/* The time left on a result screen: a redraw as each second turns, while
 * its way home is armed. */
static void left_fire(struct app *a, struct timer *t)
{
    const struct timer *home = a->home_left;
    if (!home || !home->armed || home->when <= a->now)
        return;
    a->dirty = true;
    uint64_t left = home->when - a->now;
    app_after(a, t, left % 1000 ? left % 1000 : 1000, left_fire);
}

void app_home_after(struct app *a, struct timer *home, uint64_t ms,
                    void (*fire)(struct app *a, struct timer *t))
{
    app_after(a, home, ms, fire);
    a->home_left = home;
    left_fire(a, &a->t_left);
}

int app_home_left(struct app *a, struct ui *ui, int y, const struct timer *home)
{
    if (!home->armed)
        return 0;
    uint64_t left = home->when > a->now ? (home->when - a->now + 999) / 1000 : 0;
    struct buf b;
    buf_init(&b);
    int m = ui_px(ui, 4), h = ui_tx(ui, 6);
    struct text_style st = {ui_tx(ui, 3.2f), false, UI_MUTED};
    ui_text(ui, "time.left", (struct rect){m, y, ui->w - 2 * m, h},
            i18n_fmt(a->lang, "common.left", (long)left, &b), &st, ALIGN_CENTER, false, true);
    buf_free(&b);
    return h;
}

/* The prompt's countdown: a redraw each second it shows, then the reset. */
static void prompt_fire(struct app *a, struct timer *t)
{
    if (!a->prompt)
        return;
    if (a->now >= a->prompt_end) {
        app_privacy_reset(a);
        return;
    }
    a->dirty = true;
    uint64_t left = a->prompt_end - a->now;
    app_after(a, t, left % 1000 ? left % 1000 : 1000, prompt_fire);
}

/* Nobody touched the screen for the idle time. */
static void idle_fire(struct app *a, struct timer *t)
{
    (void)t;
    if (a->ui.pressing) {
        arm_idle(a); /* a finger resting is not walking away */
        return;
    }
    if (a->screen->staff) {
        if (app_busy(a))
            app_after(a, &a->t_idle, 1000, idle_fire); /* staff work runs on */
        else
            app_privacy_reset(a); /* staff walked away */
        return;
    }
    if (at_rest(a) || a->prompt)
        return;
    a->prompt = true;
    a->prompt_end = a->now + a->idle_prompt_ms;
    /* Heard as well as seen: a short tone (and, with speech on, the
     * prompt's words once it is drawn: after_frame). */
    speech_tone(speech(a));
    ui_cancel_press(&a->ui);
    app_cancel(a, &a->t_hold);
    a->dirty = true;
    app_after(a, &a->t_prompt, a->idle_prompt_ms % 1000 ? a->idle_prompt_ms % 1000 : 1000,
              prompt_fire);
}

static void arm_idle(struct app *a)
{
    uint64_t ms = a->screen->staff ? a->screen->idle_ms : a->idle_timeout_ms;
    if (at_rest(a) || a->prompt || ms == 0)
        app_cancel(a, &a->t_idle);
    else
        app_after(a, &a->t_idle, ms, idle_fire);
}

static void input_seen(struct app *a)
{
    a->last_input = a->now;
    if (!a->prompt)
        arm_idle(a);
}

/* The clock on screen shows minutes: a redraw when the minute turns. */
static void minute_fire(struct app *a, struct timer *t)
{
    a->dirty = true;
    time_t wall = app_wall(a), counted = a->wall_base + (time_t)(a->now / 1000);
    if (wall - counted > 2 || counted - wall > 2) { /* set by NTP or by hand */
        LOG("the wall clock moved by %+lld s; the kiosk follows it", (long long)(wall - counted));
        a->wall_base = wall - (time_t)(a->now / 1000);
    }
    uint64_t to_minute = (uint64_t)(60 - wall % 60) * 1000 - a->now % 1000;
    app_after(a, t, to_minute ? to_minute : 60000, minute_fire);
}

/* The staff corner held long enough. */
static void hold_fire(struct app *a, struct timer *t)
{
    (void)t;
    if (a->screen == &screen_home && ui_held(&a->ui, "home.staff", a->now) >= STAFF_HOLD_MS) {
        ui_cancel_press(&a->ui);
        app_go(a, &screen_staff);
    }
}

/* Kinetic scrolling after a fling, a step per frame until it rests. */
static void anim_fire(struct app *a, struct timer *t)
{
    float dt = (float)(a->now - a->anim_last) / 1000.0f;
    a->anim_last = a->now;
    struct ui_list *lists[1] = {a->flung};
    if (a->flung && ui_animate(&a->ui, lists, 1, dt > 0.1f ? 0.1f : dt)) {
        a->dirty = true;
        app_after(a, t, ANIM_MS, anim_fire);
    } else {
        a->dirty = a->dirty || a->flung;
        a->flung = NULL;
    }
}

/* A record has waited SAVING_AFTER_MS: say that it is being saved. */
static void saving_fire(struct app *a, struct timer *t)
{
    (void)t;
    if (a->writer && writer_pending(a->writer, NULL)) {
        a->saving = true;
        a->dirty = true;
    }
}

/* A record went to the writer: the banner shows if storing takes long. */
static void saving_started(struct app *a)
{
    if (!a->t_saving.armed && !a->saving)
        app_after(a, &a->t_saving, SAVING_AFTER_MS, saving_fire);
}

uint64_t app_store(struct app *a, const struct write_job *job)
{
    uint64_t seq = writer_submit(a->writer, job);
    saving_started(a);
    return seq;
}

void app_answered(struct app *a)
{
    if (a->settings_stale && a->writer && writer_settle(a->writer, 0)) {
        a->settings_stale = false;
        app_reload_settings(a);
    }
    if (a->writer && !writer_pending(a->writer, NULL)) {
        app_cancel(a, &a->t_saving);
        if (a->saving) {
            a->saving = false;
            a->dirty = true;
        }
    }
    sync_answered(a); /* a look at the sync folder ended */
    if (a->screen->answered)
        a->screen->answered(a);
}

void app_start_timers(struct app *a)
{
    minute_fire(a, &a->t_minute);
    arm_idle(a);
    sync_start(a);
}

static void tap(struct app *a, const char *id)
{
    if (a->prompt) {
        /* A tap anywhere on the backdrop is "more time" too. */
        if (strcmp(id, "idle.more") == 0 || strcmp(id, "idle.outside") == 0) {
            a->prompt = false;
            app_cancel(a, &a->t_prompt);
            a->dirty = true;
            arm_idle(a);
        } else if (strcmp(id, "idle.restart") == 0) {
            app_privacy_reset(a);
        }
        return;
    }
    if (strcmp(id, "nav.speak") == 0) {
        /* Read this screen, and each new one after it, until the citizen
         * leaves (the privacy reset). */
        a->speak_new = true;
        speak_screen(a);
        return;
    }
    if (strcmp(id, "nav.home") == 0) {
        /* Going home forgets, as walking away does. */
        app_privacy_reset(a);
        return;
    }
    if (strncmp(id, "home.lang.", 10) == 0) {
        app_set_lang(a, id + 10);
        app_warm_restart(a); /* the new language's screens first */
        arm_idle(a);         /* another language is not at rest */
        return;
    }
    if (strcmp(id, "home.bigger") == 0) {
        a->large = !a->large;
        a->dirty = true;
        app_warm_restart(a); /* the screens at the new size */
        arm_idle(a);         /* nor is another text size */
        return;
    }
    if (a->screen->tap)
        a->screen->tap(a, id);
}

void app_press(struct app *a, int x, int y)
{
    input_seen(a);
    if (a->speech)
        speech_hush(a->speech); /* any touch stops the voice */
    if (a->speak_note) {
        a->speak_note = false;
        app_cancel(a, &a->t_speak_note);
    }
    ui_press(&a->ui, x, y, a->now);
    a->dirty = true; /* the pressed look */
    if (a->screen == &screen_home && strcmp(a->ui.pressed, "home.staff") == 0)
        app_after(a, &a->t_hold, STAFF_HOLD_MS, hold_fire);
}

void app_move(struct app *a, int x, int y)
{
    input_seen(a);
    bool was_dragging = a->ui.dragging;
    if (ui_move(&a->ui, x, y, a->now))
        a->dirty = true;
    if (!a->ui.pressed[0] && a->t_hold.armed)
        app_cancel(a, &a->t_hold); /* the finger slid off: not a long press */
    if (a->ui.dragging != was_dragging)
        a->dirty = true;
}

bool app_release(struct app *a, int x, int y)
{
    char id[UI_ID_MAX];
    input_seen(a);
    app_cancel(a, &a->t_hold);
    struct ui_list *list = a->ui.dragging ? a->ui.drag_list : NULL;
    bool was_tap = ui_release(&a->ui, x, y, a->now, id);
    a->dirty = true;
    if (list && list->velocity != 0) {
        a->flung = list;
        a->anim_last = a->now;
        app_after(a, &a->t_anim, ANIM_MS, anim_fire);
    }
    if (was_tap)
        tap(a, id);
    return was_tap;
}

int app_chrome(struct app *a, struct ui *ui, const char *title, bool back)
{
    int m = ui_px(ui, 2.5f), bh = ui_tx(ui, 11), bw = ui_tx(ui, 26);
    /* Larger text widens the buttons as far as a quarter of the width each
     * (portrait), and then their labels wrap. */
    if (bw > (ui->w - 5 * m) / 4)
        bw = (ui->w - 5 * m) / 4 > ui_px(ui, 26) ? (ui->w - 5 * m) / 4 : ui_px(ui, 26);
    ui_button(ui, "nav.home", (struct rect){m, m, bw, bh}, T(a, "nav.home"), NULL,
              BTN_SECONDARY);
    int x = m + bw + m;
    if (back) {
        ui_button(ui, "nav.back", (struct rect){x, m, bw, bh}, T(a, "nav.back"), NULL,
                  BTN_SECONDARY);
        x += bw + m;
    }
    /* Read aloud, in the top end corner. */
    int sw = bw;
    ui_button(ui, "nav.speak", (struct rect){ui->w - m - sw, m, sw, bh}, T(a, "nav.speak"), NULL,
              BTN_SECONDARY);
    if (title) {
        struct text_style st = {ui_tx(ui, 4.6f), true, UI_TEXT};
        struct rect r = ui_place(ui, (struct rect){x, m, ui->w - x - m - sw - m, bh}, true);
        /* One line, or two in larger text (a step smaller when a word
         * would not fit). */
        if (ui->text_scale > 1)
            ui_fit_text(ui, title, &st, r.w, r.h, ui_px(ui, 4.6f));
        ui_text_lines(ui, NULL, r, title, &st, ALIGN_START, ui->text_scale > 1 ? 2 : 1, true);
    }
    return m + bh + m;
}

static void draw_prompt(struct app *a, struct ui *ui)
{
    struct rect p = ui_modal(ui, "idle", 80 * ui->text_scale, 56 * ui->text_scale);
    int pad = ui_px(ui, 4);
    struct text_style title = {ui_tx(ui, 5.2f), true, UI_TEXT};
    struct text_style body = {ui_tx(ui, 3.4f), false, UI_TEXT};
    /* Room for the question on two lines (Somali, Polish need them). */
    struct rect tr = {p.x + pad, p.y + pad, p.w - 2 * pad, ui_tx(ui, 16)};
    ui_text(ui, NULL, tr, T(a, "idle.title"), &title, ALIGN_CENTER, true, true);
    struct buf b;
    buf_init(&b);
    prompt_body(a, &b);
    int body_h = ui_text_height(ui, b.data, &body, tr.w);
    body_h = body_h > ui_px(ui, 8) ? body_h : ui_px(ui, 8);
    ui_text(ui, NULL, (struct rect){tr.x, tr.y + tr.h + pad / 2, tr.w, body_h}, b.data, &body,
            ALIGN_CENTER, true, true);
    buf_free(&b);
    int bh = ui_tx(ui, 13), bw = (p.w - 3 * pad) / 2, y = p.y + p.h - pad - bh;
    /* Panel-relative layout rects: the panel is centred, so mirror inside it. */
    struct rect more = {p.x + pad, y, bw, bh}, restart = {p.x + 2 * pad + bw, y, bw, bh};
    if (ui->rtl) {
        struct rect t = more;
        more = restart;
        restart = t;
    }
    bool saved = ui->rtl;
    ui->rtl = false; /* rects above are already in screen order */
    ui_button(ui, "idle.more", more, T(a, "idle.more"), NULL, BTN_PRIMARY);
    ui_button(ui, "idle.restart", restart, T(a, "idle.restart"), NULL, BTN_SECONDARY);
    ui->rtl = saved;
}

bool app_draw(struct app *a)
{
    if (!a->dirty)
        return false;
    a->dirty = false;
    bool stats = stats_enabled();
    uint64_t t0 = stats ? SDL_GetPerformanceCounter() : 0;
    size_t fonts0 = stats ? text_fonts_opened() : 0, shapes0 = stats ? ui_shapes_painted(&a->ui) : 0;
    struct ui *ui = &a->ui;
    ui->rtl = i18n_rtl(a->lang);
    /* Staff screens keep their size; the warm-up (on home) draws at this one. */
    ui->text_scale = a->large && !a->screen->staff ? UI_TEXT_LARGE : 1.0f;
    ui_begin(ui);
    a->screen->draw(a, ui);
    if (a->saving) {
        struct text_style st = {ui_tx(ui, 3), true, UI_WARN_TEXT};
        struct rect r = {ui->w / 2 - ui_tx(ui, 15), ui->h - ui_tx(ui, 8), ui_tx(ui, 30),
                         ui_tx(ui, 6)};
        ui_round_rect(ui, r, ui_px(ui, 1), UI_WARN_BG);
        ui_text(ui, "saving", r, T(a, "common.saving"), &st, ALIGN_CENTER, false, true);
    }
    if (a->prompt)
        draw_prompt(a, ui);
    if (a->speak_note) {
        struct text_style st = {ui_tx(ui, 3.2f), true, UI_WARN_TEXT};
        /* Under the button, across the top: it covers no choice for long
         * (any touch or five seconds end it). */
        struct rect r = {ui_px(ui, 10), ui_px(ui, 3.5f) + ui_tx(ui, 11), ui->w - ui_px(ui, 20),
                         ui_tx(ui, 8)};
        ui_round_rect(ui, r, ui_px(ui, 1), UI_WARN_BG);
        ui_text(ui, "speak.none", r, T(a, "speak.none"), &st, ALIGN_CENTER, false, true);
    }
    after_frame(a);
    a->frames++;
    if (stats) {
        uint64_t us = (SDL_GetPerformanceCounter() - t0) * 1000000 / SDL_GetPerformanceFrequency();
        if (a->frames == 1)
            stats_first_frame(); /* start-up, with every font still to load */
        else
            stats_frame(a->screen->name, us, text_fonts_opened() - fonts0,
                        ui_shapes_painted(&a->ui) - shapes0);
    }
    return true;
}

/*
 * screen_survey.c — the dignity survey (PRODUCT.md, "The dignity survey"):
 * intro → (who did you talk to?) → four statements → thank you.
 *
 * Anonymity is built in, not added: the answers live only in this file's
 * state until the last statement is answered; then one response (id, date,
 * site, unit, language, four answers — no time of day) goes to the
 * background writer and the state is wiped. Leaving early (home, idle)
 * wipes the state and nothing is written or logged.
 *
 * The thank-you says the answer is saved only once the writer committed it
 * (until then it says it is saving; if storing fails, it says so plainly,
 * and the writer keeps the answer and retries).
 *
 * Units are stored and exported in Danish; the buttons show them in the
 * citizen's language (store_config_labels), read again when the citizen
 * starts, since the language may change on the intro.
 *
 * A double tap must not answer two statements: a tap that starts within
 * DEBOUNCE_MS of a statement appearing is ignored.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "i18n.h"

#define DEBOUNCE_MS 350
#define THANKS_MS 8000
#define MAX_UNITS STORE_UNITS_MAX

enum step { INTRO, UNIT, Q1, Q2, Q3, Q4, THANKS };

static struct {
    enum step step;
    uint8_t answers[STORE_QUESTIONS]; /* 0 = no answer */
    bool answered[STORE_QUESTIONS];
    char unit[STORE_TEXT_MAX + 1];
    bool unit_chosen;
    char units[MAX_UNITS][STORE_TEXT_MAX + 1];
    char labels[MAX_UNITS][STORE_TEXT_MAX + 1]; /* units[i] in the citizen's language */
    int n_units;
    uint64_t shown_at;
    uint64_t seq; /* the writer's number for the response sent */
    enum writer_state saved;
    struct timer t_home;
} sv;

static void show(struct app *a, enum step s)
{
    sv.step = s;
    sv.shown_at = a->now;
    a->dirty = true;
}

static void forget(struct app *a)
{
    app_cancel(a, &sv.t_home);
    memset(&sv, 0, sizeof sv);
}

static void go_home(struct app *a, struct timer *t)
{
    (void)t;
    app_privacy_reset(a);
}

static void load_labels(struct app *a)
{
    if (store_config_labels(a->store, "units", a->lang, sv.labels, MAX_UNITS) != sv.n_units)
        memcpy(sv.labels, sv.units, sizeof sv.units);
}

static void load_units(struct app *a)
{
    char fixed[1][STORE_TEXT_MAX + 1];
    sv.unit[0] = '\0';
    sv.n_units = 0;
    if (app_config_list(a, "unit", fixed, 1)) {
        /* A kiosk with a fixed unit asks nothing. */
        snprintf(sv.unit, sizeof sv.unit, "%s", fixed[0]);
        sv.unit_chosen = true;
    } else {
        sv.n_units = app_config_list(a, "units", sv.units, MAX_UNITS);
    }
    load_labels(a);
}

static void enter(struct app *a)
{
    forget(a);
    load_units(a);
    show(a, INTRO);
}

static enum step first_question(void)
{
    return sv.n_units && !sv.unit_chosen ? UNIT : Q1;
}

static void finish(struct app *a)
{
    struct write_job job = {.kind = WRITE_RESPONSE};
    struct response *r = &job.response;
    store_new_id(r->id);
    clock_date(app_wall(a), r->date);
    snprintf(r->site, sizeof r->site, "%s", a->site);
    snprintf(r->unit, sizeof r->unit, "%s", sv.unit);
    snprintf(r->language, sizeof r->language, "%s", a->lang);
    memcpy(r->answers, sv.answers, sizeof r->answers);
    sv.seq = app_store(a, &job);
    sv.saved = WRITER_QUEUED;
    memset(&job, 0, sizeof job);
    /* The answers are on their way to the store; keep nothing here. */
    memset(sv.answers, 0, sizeof sv.answers);
    memset(sv.answered, 0, sizeof sv.answered);
    /* Home after THANKS_MS even if the store never answers: the writer
     * keeps the answer, and the next citizen must not wait. */
    app_home_after(a, &sv.t_home, THANKS_MS, go_home);
    show(a, THANKS);
}

/* The writer answered: saved (the thank-you stays THANKS_MS from now), or
 * failing (said plainly). */
static void answered(struct app *a)
{
    if (sv.step != THANKS || sv.saved == WRITER_STORED)
        return;
    enum writer_state now = writer_state(a->writer, sv.seq);
    if (now == sv.saved)
        return;
    sv.saved = now;
    app_home_after(a, &sv.t_home, THANKS_MS, go_home);
    a->dirty = true;
}

static void tap(struct app *a, const char *id)
{
    if (strcmp(id, "nav.back") == 0) {
        if (sv.step == Q1)
            show(a, first_question() == UNIT ? UNIT : INTRO);
        else if (sv.step == UNIT)
            show(a, INTRO);
        else if (sv.step > Q1 && sv.step <= Q4)
            show(a, sv.step - 1);
        return;
    }
    if (sv.step == INTRO && strcmp(id, "survey.start") == 0) {
        load_labels(a);
        show(a, first_question());
        return;
    }
    if (sv.step == UNIT && strncmp(id, "survey.unit.", 12) == 0) {
        const char *which = id + 12;
        if (strcmp(which, "skip") == 0) {
            sv.unit[0] = '\0';
        } else {
            int n = atoi(which);
            if (n < 1 || n > sv.n_units)
                return;
            snprintf(sv.unit, sizeof sv.unit, "%s", sv.units[n - 1]);
        }
        show(a, Q1);
        return;
    }
    if (sv.step >= Q1 && sv.step <= Q4 && strncmp(id, "survey.answer.", 14) == 0) {
        if (a->ui.press_t < sv.shown_at + DEBOUNCE_MS)
            return; /* the second half of a double tap */
        const char *which = id + 14;
        int q = sv.step - Q1, v = strcmp(which, "skip") == 0 ? 0 : atoi(which);
        if (v < 0 || v > 5 || (v == 0 && strcmp(which, "skip") != 0))
            return;
        sv.answers[q] = (uint8_t)v;
        sv.answered[q] = true;
        if (sv.step == Q4)
            finish(a);
        else
            show(a, sv.step + 1);
    }
}

/* ---- drawing ---- */

static const SDL_Color face_colors[5] = {
    {0xF2, 0xB8, 0xA8, 0xFF}, {0xF7, 0xD3, 0xA6, 0xFF}, {0xF2, 0xE4, 0xA0, 0xFF},
    {0xCF, 0xE6, 0xA8, 0xFF}, {0xAD, 0xDB, 0xB0, 0xFF},
};

struct face {
    float cx, cy, r;
    int level;
};

static void paint_face(struct ui_canvas *cv, const void *ctx)
{
    const struct face *f = ctx;
    float cx = f->cx, cy = f->cy, r = f->r;
    ui_canvas_disc(cv, cx, cy, r, UI_TEXT);
    ui_canvas_disc(cv, cx, cy, r * 0.93f, face_colors[f->level - 1]);
    float eye = r * 0.11f;
    ui_canvas_disc(cv, cx - r * 0.33f, cy - r * 0.25f, eye, UI_TEXT);
    ui_canvas_disc(cv, cx + r * 0.33f, cy - r * 0.25f, eye, UI_TEXT);
    /* Mouth: a parabola from frown (-1) to smile (+1). */
    float curve = (float)(f->level - 3) / 2.0f, w = r * 0.48f, my = cy + r * 0.38f;
    float pts[2 * 13];
    for (int i = 0; i <= 12; i++) {
        float t = -1.0f + 2.0f * (float)i / 12.0f;
        pts[2 * i] = cx + w * t;
        pts[2 * i + 1] = my - curve * r * 0.2f + curve * r * 0.4f * (1.0f - t * t);
    }
    ui_canvas_stroke(cv, pts, 13, r * 0.09f, UI_TEXT);
}

/* A face whose mouth says the answer, so colour is never the only cue.
 * Painted once per size and level, then copied. */
static void smiley(struct ui *ui, float cx, float cy, float r, int level)
{
    struct face f = {cx, cy, r, level};
    uint32_t key[UI_SHAPE_KEY] = {UI_SHAPE_FACE, (uint32_t)level, ui_shape_bits(r),
                                  ui_shape_fraction(cx), ui_shape_fraction(cy)};
    ui_shape_around(ui, key, cx, cy, r, paint_face, &f);
}

static void draw_intro(struct app *a, struct ui *ui, int top)
{
    int m = ui_px(ui, 4), W = ui->w;
    int y = top + ui_px(ui, 2);
    y += ui_label(ui, (struct rect){m, y, W - 2 * m, ui_px(ui, 20)}, T(a, "survey.intro"),
                  ui_tx(ui, 3.8f), false, UI_TEXT, ALIGN_START);
    /* As wide as its label needs in larger text. */
    struct text_style ls = {ui_tx(ui, 3.4f), true, UI_TEXT};
    int bw = text_width(T(a, "survey.start"), &ls, ui_text_rtl(ui, T(a, "survey.start"))) +
             ui_px(ui, 6), bh = ui_tx(ui, 13);
    bw = bw < ui_px(ui, 40) ? ui_px(ui, 40) : bw > W - 2 * m ? W - 2 * m : bw;
    y += ui_px(ui, ui->text_scale > 1 ? 2 : 5);
    /* The language can still change here; nothing is lost. In larger text
     * the buttons keep their height (the names fit on one line), and the
     * start button takes what room is left above them. */
    int lh = ui_px(ui, 10), gap = ui_px(ui, 2);
    struct rect band = {m, ui->h - m - lh, W - 2 * m, lh};
    int room = app_lang_top(a, ui, band, ui_tx(ui, 24), gap) - gap - y;
    bh = bh > room ? (room > ui_px(ui, 9) ? room : ui_px(ui, 9)) : bh;
    ui_button(ui, "survey.start", (struct rect){(W - bw) / 2, y, bw, bh}, T(a, "survey.start"),
              NULL, BTN_PRIMARY);
    app_lang_buttons(a, ui, band, ui_tx(ui, 24), gap);
}

static void draw_units(struct app *a, struct ui *ui, int top)
{
    int m = ui_px(ui, 4), W = ui->w, H = ui->h;
    struct text_style st = {ui_tx(ui, 5), true, UI_TEXT};
    ui_text(ui, NULL, ui_place(ui, (struct rect){m, top, W - 2 * m, ui_tx(ui, 10)}, true),
            T(a, "survey.unit.title"), &st, ALIGN_START, true, true);
    int n = sv.n_units + 1, cols = W > H ? 2 : 1, gap = ui_px(ui, 2);
    int rows = (n + cols - 1) / cols, y0 = top + ui_tx(ui, 12);
    int bh = (H - y0 - m - (rows - 1) * gap) / rows;
    bh = bh > ui_tx(ui, 13) ? ui_tx(ui, 13) : bh;
    int bw = (W - 2 * m - (cols - 1) * gap) / cols;
    for (int i = 0; i < n; i++) {
        char id[UI_ID_MAX];
        if (i < sv.n_units)
            snprintf(id, sizeof id, "survey.unit.%d", i + 1);
        else
            snprintf(id, sizeof id, "survey.unit.skip");
        struct rect r = {m + (i % cols) * (bw + gap), y0 + (i / cols) * (bh + gap), bw, bh};
        bool chosen = i < sv.n_units && strcmp(sv.unit, sv.units[i]) == 0;
        ui_button(ui, id, r, i < sv.n_units ? sv.labels[i] : T(a, "survey.unit.skip"), NULL,
                  chosen ? BTN_SELECTED : BTN_SECONDARY);
    }
}

static void draw_question(struct app *a, struct ui *ui, int top)
{
    static const char *const keys[STORE_QUESTIONS] = {
        "survey.q.empowerment", "survey.q.ressourcefokus", "survey.q.progression",
        "survey.q.vaerdighed"};
    int q = sv.step - Q1, m = ui_px(ui, 3), W = ui->w, H = ui->h;
    struct buf progress;
    buf_init(&progress);
    i18n_fmt(a->lang, "survey.progress", q + 1, &progress);
    ui_dots(ui, (struct rect){m, top, W - 2 * m, ui_tx(ui, 7)}, q + 1, STORE_QUESTIONS,
            progress.data);
    buf_free(&progress);
    int y = top + ui_px(ui, 6) + ui_tx(ui, 4);
    struct text_style st = {ui_tx(ui, 6), true, UI_TEXT};
    /* Room for the statement in two lines, or as many as it takes. */
    int sh = ui_text_height(ui, T(a, keys[q]), &st, W - 2 * m);
    struct rect tr = {m, y, W - 2 * m, sh > ui_px(ui, 18) ? sh : ui_px(ui, 18)};
    ui_text(ui, "survey.statement", tr, T(a, keys[q]), &st, ALIGN_CENTER, true, true);
    y += tr.h + ui_px(ui, 2);

    int skip_h = ui_px(ui, 11), gap = ui_px(ui, 1.5f);
    int face_h = H - y - skip_h - 2 * m - ui_px(ui, 2);
    int cell = (W - 2 * m - 4 * gap) / 5;
    if (face_h > cell * 3 / 2)
        face_h = cell * 3 / 2;
    /* The faces leave room under them for the longest answer's lines. */
    struct text_style ls = {ui_tx(ui, 2.7f), true, UI_TEXT};
    int label_h = 0;
    for (int level = 1; level <= 5; level++) {
        char key[16];
        snprintf(key, sizeof key, "survey.a.%d", level);
        int h = ui_text_height(ui, T(a, key), &ls, cell - ui_px(ui, 1.6f));
        label_h = h > label_h ? h : label_h;
    }
    float max_rad = (float)(face_h - label_h - ui_px(ui, 5)) / 2;
    for (int level = 1; level <= 5; level++) {
        char id[UI_ID_MAX], key[16];
        snprintf(id, sizeof id, "survey.answer.%d", level);
        snprintf(key, sizeof key, "survey.a.%d", level);
        struct rect lr = {m + (level - 1) * (cell + gap), y, cell, face_h};
        struct rect r = ui_place(ui, lr, true);
        bool chosen = sv.answered[q] && sv.answers[q] == level;
        bool pressed = ui->pressing && strcmp(ui->pressed, id) == 0;
        if (chosen || pressed || ui->dry) {
            if (ui->dry) /* the chosen look too, ready for the tap */
                ui_round_rect(ui, r, ui_px(ui, 2), UI_FOCUS);
            ui_round_rect(ui, r, ui_px(ui, 2), chosen ? UI_FOCUS : UI_BORDER);
            int bw = ui_px(ui, 0.7f);
            ui_round_rect(ui, (struct rect){r.x + bw, r.y + bw, r.w - 2 * bw, r.h - 2 * bw},
                          ui_px(ui, 2) - bw, (SDL_Color){0xFF, 0xF6, 0xE0, 0xFF});
        }
        ui_register(ui, id, r, UI_BUTTON, true, T(a, key));
        float rad = (float)(r.w < face_h * 2 / 3 ? r.w : face_h * 2 / 3) * 0.36f;
        rad = rad > max_rad && max_rad > (float)ui_px(ui, 3) ? max_rad : rad;
        smiley(ui, (float)r.x + (float)r.w / 2, (float)r.y + rad + (float)ui_px(ui, 2), rad,
               level);
        int ty = r.y + (int)(2 * rad) + ui_px(ui, 3);
        struct rect label = {r.x + ui_px(ui, 0.8f), ty, r.w - ui_px(ui, 1.6f), r.y + r.h - ty};
        ls.bold = chosen;
        if (ui->dry) { /* the chosen answer's bold label, loaded ahead */
            struct text_style bold = {ls.size, true, ls.color};
            ui_text(ui, NULL, label, T(a, key), &bold, ALIGN_CENTER, true, false);
        }
        ui_text(ui, NULL, label, T(a, key), &ls, ALIGN_CENTER, true, false);
    }
    int sw = ui_tx(ui, 60);
    sw = sw > W - 2 * m ? W - 2 * m : sw;
    bool skipped = sv.answered[q] && sv.answers[q] == 0;
    ui_button(ui, "survey.answer.skip", (struct rect){(W - sw) / 2, H - m - skip_h, sw, skip_h},
              T(a, "survey.a.skip"), NULL, skipped ? BTN_SELECTED : BTN_SECONDARY);
}

static void draw_thanks(struct app *a, struct ui *ui)
{
    int m = ui_px(ui, 4), W = ui->w, H = ui->h;
    struct rect r = {m, H / 2 - ui_tx(ui, 16), W - 2 * m, ui_tx(ui, 32)};
    /* The thank-you (survey.thanks) only once the answer is stored. */
    const char *id = sv.saved == WRITER_STORED    ? "survey.thanks"
                     : sv.saved == WRITER_FAILING ? "survey.failed"
                                                  : "survey.saving";
    const char *title = sv.saved == WRITER_FAILING ? "survey.failed" : "survey.thanks";
    const char *sub = sv.saved == WRITER_STORED    ? "survey.thanks.sub"
                      : sv.saved == WRITER_FAILING ? "survey.failed.sub"
                                                   : "survey.saving";
    ui_register(ui, id, r, UI_LABEL, false, T(a, title));
    if (sv.saved != WRITER_FAILING)
        smiley(ui, (float)W / 2, (float)(r.y - ui_px(ui, 8)), (float)ui_px(ui, 8), 5);
    struct text_style big = {ui_tx(ui, 7), true, UI_TEXT}, small = {ui_tx(ui, 3.8f), false, UI_TEXT};
    if (sv.saved == WRITER_FAILING)
        small.color = UI_WARN_TEXT;
    /* The title on one line, or two in larger text. */
    const struct text_block *tb = text_cache_get(ui->tc, T(a, title), &big, r.w, ALIGN_CENTER,
                                                 ui_text_rtl(ui, T(a, title)));
    int th = tb->lines > 1 ? tb->h : ui_tx(ui, 12);
    ui_text(ui, NULL, (struct rect){r.x, r.y + ui_px(ui, 4), r.w, th}, T(a, title), &big,
            ALIGN_CENTER, true, true);
    ui_text(ui, NULL, (struct rect){r.x, r.y + ui_px(ui, 5) + th, r.w, ui_tx(ui, 8)},
            T(a, sub), &small,
            ALIGN_CENTER, true, true);
    app_home_left(a, ui, r.y + ui_px(ui, 27), &sv.t_home);
}

static void draw(struct app *a, struct ui *ui)
{
    if (sv.step == THANKS) {
        draw_thanks(a, ui);
        return;
    }
    bool back = sv.step != INTRO;
    int top = app_chrome(a, ui, T(a, "home.survey"), back);
    switch (sv.step) {
    case INTRO: draw_intro(a, ui, top); break;
    case UNIT: draw_units(a, ui, top); break;
    default: draw_question(a, ui, top); break;
    }
}

/* The list of units (when asked) and the first question: its faces are
 * painted here, not when the citizen taps start. */
static void warm(struct app *a, struct ui *ui)
{
    for (enum step s = first_question(); s <= Q1; s++) {
        sv.step = s;
        draw(a, ui);
    }
    sv.step = INTRO;
}

const struct screen screen_survey = {
    .name = "survey",
    .enter = enter,
    .draw = draw,
    .warm = warm,
    .tap = tap,
    .forget = forget,
    .answered = answered,
};

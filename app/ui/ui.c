/*
 * ui.c — the widget registry, drawing primitives, and touch input; see
 * ui.h. Round shapes come from ui_shape.c as textures, so they look the
 * same on every renderer and cost a copy per frame.
 */
#define _GNU_SOURCE
#include "ui.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const SDL_Color UI_BG = {0xF4, 0xF1, 0xEA, 0xFF};
const SDL_Color UI_SURFACE = {0xFF, 0xFF, 0xFF, 0xFF};
const SDL_Color UI_TEXT = {0x1B, 0x1B, 0x1B, 0xFF};
const SDL_Color UI_MUTED = {0x4A, 0x4A, 0x4A, 0xFF};
const SDL_Color UI_PRIMARY = {0x0B, 0x4F, 0x8A, 0xFF};
const SDL_Color UI_ON_PRIMARY = {0xFF, 0xFF, 0xFF, 0xFF};
const SDL_Color UI_BORDER = {0x6B, 0x6B, 0x6B, 0xFF};
const SDL_Color UI_PRESSED = {0x07, 0x33, 0x5A, 0xFF};
const SDL_Color UI_PRESSED_LIGHT = {0xDD, 0xE6, 0xF0, 0xFF};
const SDL_Color UI_FOCUS = {0xC2, 0x7C, 0x0E, 0xFF};
const SDL_Color UI_WARN_BG = {0xFF, 0xF1, 0xCC, 0xFF};
const SDL_Color UI_WARN_TEXT = {0x5C, 0x3D, 0x00, 0xFF};
const SDL_Color UI_OVERLAY = {0x00, 0x00, 0x00, 0xA0};

void ui_resize(struct ui *ui, int w, int h, float screen_inches)
{
    ui->w = w;
    ui->h = h;
    ui->u = (w < h ? w : h) / 100.0f;
    float diag_px = sqrtf((float)w * (float)w + (float)h * (float)h);
    ui->px_per_mm = diag_px / (screen_inches * 25.4f);
}

void ui_init(struct ui *ui, SDL_Renderer *ren, struct text_cache *tc, int w, int h,
             float screen_inches)
{
    memset(ui, 0, sizeof *ui);
    ui->ren = ren;
    ui->tc = tc;
    ui->text_scale = 1.0f;
    buf_init(&ui->texts);
    ui_resize(ui, w, h, screen_inches);
}

void ui_deinit(struct ui *ui)
{
    ui_shapes_free(ui);
    free(ui->widgets);
    buf_free(&ui->texts);
}

void ui_begin(struct ui *ui)
{
    ui->n = 0;
    buf_clear(&ui->texts);
    buf_putc(&ui->texts, '\0');
    if (ui->dry)
        return;
    SDL_SetRenderDrawColor(ui->ren, UI_BG.r, UI_BG.g, UI_BG.b, 255);
    SDL_RenderClear(ui->ren);
}

void ui_dry_begin(struct ui *ui)
{
    ui->saved.widgets = ui->widgets;
    ui->saved.n = ui->n;
    ui->saved.cap = ui->cap;
    ui->saved.texts = ui->texts;
    ui->widgets = NULL;
    ui->n = ui->cap = 0;
    buf_init(&ui->texts);
    ui->dry = true;
    text_cache_set_dry(ui->tc, true);
    ui_begin(ui);
}

void ui_dry_end(struct ui *ui)
{
    free(ui->widgets);
    buf_free(&ui->texts);
    ui->widgets = ui->saved.widgets;
    ui->n = ui->saved.n;
    ui->cap = ui->saved.cap;
    ui->texts = ui->saved.texts;
    ui->dry = false;
    text_cache_set_dry(ui->tc, false);
}

int ui_px(const struct ui *ui, float units)
{
    return (int)lroundf(units * ui->u);
}

int ui_tx(const struct ui *ui, float units)
{
    return (int)lroundf(units * ui->text_scale * ui->u);
}

struct rect ui_place(const struct ui *ui, struct rect r, bool mirror)
{
    if (ui->rtl && mirror)
        r.x = ui->w - r.x - r.w;
    return r;
}

struct widget *ui_register(struct ui *ui, const char *id, struct rect r, enum ui_kind kind,
                           bool interactive, const char *text)
{
    if (ui->n == ui->cap) {
        ui->cap = ui->cap ? ui->cap * 2 : 128;
        ui->widgets = xrealloc(ui->widgets, ui->cap * sizeof *ui->widgets);
    }
    struct widget *w = &ui->widgets[ui->n++];
    memset(w, 0, sizeof *w);
    snprintf(w->id, sizeof w->id, "%s", id ? id : "");
    w->r = r;
    w->kind = kind;
    w->interactive = interactive;
    w->text_off = 0;
    if (text && *text) {
        w->text_off = ui->texts.len;
        buf_put(&ui->texts, text, strlen(text) + 1);
    }
    return w;
}

/* ---- primitives ---- */

void ui_fill(struct ui *ui, struct rect r, SDL_Color c)
{
    if (ui->dry)
        return;
    SDL_SetRenderDrawBlendMode(ui->ren, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, c.a);
    SDL_Rect sr = {r.x, r.y, r.w, r.h};
    SDL_RenderFillRect(ui->ren, &sr);
}

struct disc {
    float cx, cy, r;
    SDL_Color c;
};

static void paint_disc(struct ui_canvas *cv, const void *ctx)
{
    const struct disc *d = ctx;
    ui_canvas_disc(cv, d->cx, d->cy, d->r, d->c);
}

void ui_round_rect(struct ui *ui, struct rect r, int rad, SDL_Color c)
{
    if (rad * 2 > r.w)
        rad = r.w / 2;
    if (rad * 2 > r.h)
        rad = r.h / 2;
    if (rad <= 1) {
        ui_fill(ui, r, c);
        return;
    }
    ui_fill(ui, (struct rect){r.x + rad, r.y, r.w - 2 * rad, r.h}, c);
    ui_fill(ui, (struct rect){r.x, r.y + rad, rad, r.h - 2 * rad}, c);
    ui_fill(ui, (struct rect){r.x + r.w - rad, r.y + rad, rad, r.h - 2 * rad}, c);
    /* The corners are the quarters of one disc around a pixel corner. */
    struct disc d = {(float)rad, (float)rad, (float)rad, c};
    uint32_t key[UI_SHAPE_KEY] = {UI_SHAPE_CORNER, (uint32_t)rad, ui_shape_color(c), 0, 0};
    SDL_Texture *t = ui_shape(ui, key, (struct rect){0, 0, 2 * rad, 2 * rad}, paint_disc, &d);
    if (!t || ui->dry)
        return;
    int xs[2] = {r.x, r.x + r.w - rad}, ys[2] = {r.y, r.y + r.h - rad};
    for (int i = 0; i < 4; i++) {
        int right = i & 1, down = i >> 1;
        SDL_Rect src = {right * rad, down * rad, rad, rad}, dst = {xs[right], ys[down], rad, rad};
        SDL_RenderCopy(ui->ren, t, &src, &dst);
    }
}

void ui_press_panel(struct ui *ui, const char *id, struct rect r, int radius, SDL_Color up,
                    SDL_Color down)
{
    bool pressed = ui->pressing && strcmp(ui->pressed, id) == 0;
    if (ui->dry)
        ui_round_rect(ui, r, radius, pressed ? up : down);
    ui_round_rect(ui, r, radius, pressed ? down : up);
}

void ui_circle(struct ui *ui, float cx, float cy, float radius, SDL_Color c)
{
    struct disc d = {cx, cy, radius, c};
    uint32_t key[UI_SHAPE_KEY] = {UI_SHAPE_CIRCLE, ui_shape_bits(radius), ui_shape_fraction(cx),
                                  ui_shape_fraction(cy), ui_shape_color(c)};
    ui_shape_around(ui, key, cx, cy, radius, paint_disc, &d);
}

bool ui_text_rtl(const struct ui *ui, const char *text)
{
    /* Text in the screen's language follows it; a stray ad in another
     * script keeps its own direction. */
    return ui->rtl || text_is_rtl(text);
}

/* The block for text in box r: unwrapped text on one line and wrapped text
 * in as many lines as r holds when max_lines < 0 (else in max_lines; 0:
 * any number), cut with "…" rather than spilling out of the box. Text with
 * line breaks of its own, unwrapped, keeps them. */
static const struct text_block *fit_block(struct ui *ui, const char *text,
                                          const struct text_style *st, struct rect r, bool wrap,
                                          int max_lines, enum text_align inner, bool rtl)
{
    if (!wrap)
        return strchr(text, '\n') ? text_cache_get(ui->tc, text, st, 0, inner, rtl)
                                  : text_cache_get_lines(ui->tc, text, st, r.w, 1, inner, rtl);
    if (max_lines >= 0)
        return text_cache_get_lines(ui->tc, text, st, r.w, max_lines, inner, rtl);
    const struct text_block *b = text_cache_get(ui->tc, text, st, r.w, inner, rtl);
    if (b->h <= r.h || b->lines <= 1)
        return b;
    int lines = r.h * b->lines / b->h;
    return text_cache_get_lines(ui->tc, text, st, r.w, lines > 1 ? lines : 1, inner, rtl);
}

/* Text with its paragraph direction and the side that "start" means given
 * separately (they differ for content in another script than the screen).
 * max_lines as for fit_block; vertically centred text is held to r.h. */
static int draw_text(struct ui *ui, const char *id, struct rect r, const char *text,
                     const struct text_style *st, enum text_align align, bool wrap, bool vcenter,
                     int max_lines, bool rtl, bool start_right)
{
    if (!text || !*text)
        return 0;
    /* Lines inside the block align to the same side as the block. */
    enum text_align inner = align;
    if (align != ALIGN_CENTER && rtl != start_right)
        inner = align == ALIGN_START ? ALIGN_END : ALIGN_START;
    if (max_lines < 0 && !vcenter)
        max_lines = 0;
    const struct text_block *b = fit_block(ui, text, st, r, wrap, max_lines, inner, rtl);
    ui_register(ui, id, r, UI_LABEL, false, text)->cut = b->cut || b->split;
    if (!b->tex || ui->dry)
        return b->h;
    bool left = (align == ALIGN_START) != start_right;
    int x = align == ALIGN_CENTER ? r.x + (r.w - b->w) / 2 : left ? r.x : r.x + r.w - b->w;
    int y = vcenter ? r.y + (r.h - b->h) / 2 : r.y;
    SDL_Rect dst = {x, y, b->w, b->h};
    SDL_Rect clip = {r.x, vcenter ? r.y : y, r.w, vcenter ? r.h : b->h};
    if (b->w > r.w) {
        /* Unwrapped lines of its own wider than the box: clip, never spill. */
        SDL_RenderSetClipRect(ui->ren, &clip);
        SDL_RenderCopy(ui->ren, b->tex, NULL, &dst);
        SDL_RenderSetClipRect(ui->ren, NULL);
    } else {
        SDL_RenderCopy(ui->ren, b->tex, NULL, &dst);
    }
    return b->h;
}

int ui_text(struct ui *ui, const char *id, struct rect r, const char *text,
            const struct text_style *st, enum text_align align, bool wrap, bool vcenter)
{
    bool rtl = ui_text_rtl(ui, text ? text : "");
    return draw_text(ui, id, r, text, st, align, wrap, vcenter, -1, rtl, rtl);
}

int ui_text_lines(struct ui *ui, const char *id, struct rect r, const char *text,
                  const struct text_style *st, enum text_align align, int max_lines,
                  bool vcenter)
{
    bool rtl = ui_text_rtl(ui, text ? text : "");
    return draw_text(ui, id, r, text, st, align, true, vcenter, max_lines, rtl, rtl);
}

static bool content_rtl(const struct ui *ui, const char *text)
{
    bool strong = false;
    bool rtl = text_first_strong(text, &strong);
    return strong ? rtl : ui->rtl;
}

int ui_content_text(struct ui *ui, const char *id, struct rect r, const char *text,
                    const struct text_style *st, enum text_align align, bool wrap, bool vcenter)
{
    return draw_text(ui, id, r, text, st, align, wrap, vcenter, -1,
                     content_rtl(ui, text ? text : ""), ui->rtl);
}

int ui_content_height(struct ui *ui, const char *text, const struct text_style *st, int w)
{
    bool rtl = content_rtl(ui, text);
    enum text_align inner = rtl != ui->rtl ? ALIGN_END : ALIGN_START;
    return text_cache_get(ui->tc, text, st, w, inner, rtl)->h;
}

int ui_text_height(struct ui *ui, const char *text, const struct text_style *st, int w)
{
    return text_cache_get(ui->tc, text, st, w, ALIGN_CENTER, ui_text_rtl(ui, text))->h;
}

void ui_fit_text(struct ui *ui, const char *text, struct text_style *st, int w, int h, int min)
{
    bool rtl = ui_text_rtl(ui, text);
    for (;;) {
        bool fits;
        if (h <= 0) {
            fits = text_width(text, st, rtl) <= w;
        } else {
            const struct text_block *b = text_cache_get(ui->tc, text, st, w, ALIGN_START, rtl);
            fits = b->h <= h && !b->split;
        }
        if (fits || st->size <= min)
            return;
        st->size = st->size * 15 / 16 > min ? st->size * 15 / 16 : min;
    }
}

/* ---- input ---- */

static bool inside(struct rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static const struct widget *hit(const struct ui *ui, int x, int y, bool lists)
{
    for (size_t i = ui->n; i-- > 0;) {
        const struct widget *w = &ui->widgets[i];
        if (!inside(w->r, x, y))
            continue;
        if (lists ? w->kind == UI_LIST : w->interactive)
            return w;
        if (!lists && w->kind == UI_AREA)
            return NULL; /* a modal's backdrop swallows what is under it */
    }
    return NULL;
}

bool ui_press(struct ui *ui, int x, int y, uint64_t t)
{
    const struct widget *w = hit(ui, x, y, false);
    const struct widget *l = hit(ui, x, y, true);
    snprintf(ui->pressed, sizeof ui->pressed, "%s", w ? w->id : "");
    ui->pressing = true;
    ui->dragging = false;
    ui->press_x = ui->last_x = x;
    ui->press_y = ui->last_y = y;
    ui->press_t = ui->last_t = t;
    ui->drag_list = l ? l->list : NULL;
    ui->drag_velocity = 0;
    if (ui->drag_list)
        ui->drag_list->velocity = 0;
    return w != NULL;
}

static void clamp_list(struct ui_list *l)
{
    float max = l->content_h - l->view_h;
    if (max < 0)
        max = 0;
    if (l->offset > max) {
        l->offset = max;
        l->velocity = 0;
    }
    if (l->offset < 0) {
        l->offset = 0;
        l->velocity = 0;
    }
}

bool ui_move(struct ui *ui, int x, int y, uint64_t t)
{
    if (!ui->pressing)
        return false;
    float dx = (float)(x - ui->press_x), dy = (float)(y - ui->press_y);
    if (!ui->dragging && sqrtf(dx * dx + dy * dy) > UI_SLOP_MM * ui->px_per_mm) {
        ui->pressed[0] = '\0'; /* a drag is never a tap */
        ui->dragging = ui->drag_list != NULL;
    }
    bool changed = false;
    if (ui->dragging) {
        float step = (float)(ui->last_y - y);
        ui->drag_list->offset += step;
        clamp_list(ui->drag_list);
        float dt = (float)(t - ui->last_t) / 1000.0f;
        if (dt > 0)
            ui->drag_velocity = 0.6f * ui->drag_velocity + 0.4f * step / dt;
        changed = step != 0;
    }
    ui->last_x = x;
    ui->last_y = y;
    ui->last_t = t;
    return changed;
}

bool ui_release(struct ui *ui, int x, int y, uint64_t t, char tapped[UI_ID_MAX])
{
    ui_move(ui, x, y, t);
    bool was_tap = false;
    if (ui->dragging) {
        /* A finger that stopped before lifting does not fling. */
        if (t - ui->last_t < 100 || ui->last_t == t)
            ui->drag_list->velocity = ui->drag_velocity;
    } else if (ui->pressed[0]) {
        const struct widget *w = hit(ui, x, y, false);
        if (w && strcmp(w->id, ui->pressed) == 0) {
            snprintf(tapped, UI_ID_MAX, "%s", w->id);
            was_tap = true;
        }
    }
    ui->pressing = ui->dragging = false;
    ui->pressed[0] = '\0';
    ui->drag_list = NULL;
    return was_tap;
}

void ui_cancel_press(struct ui *ui)
{
    ui->pressing = ui->dragging = false;
    ui->pressed[0] = '\0';
    ui->drag_list = NULL;
}

uint64_t ui_held(const struct ui *ui, const char *id, uint64_t now)
{
    if (!ui->pressing || ui->dragging || strcmp(ui->pressed, id) != 0)
        return 0;
    return now - ui->press_t;
}

bool ui_animate(struct ui *ui, struct ui_list *lists[], int n, float dt_s)
{
    bool moving = false;
    for (int i = 0; i < n; i++) {
        struct ui_list *l = lists[i];
        if (!l || (ui->dragging && ui->drag_list == l))
            continue;
        if (fabsf(l->velocity) < 20.0f) {
            l->velocity = 0;
            continue;
        }
        l->offset += l->velocity * dt_s;
        l->velocity *= expf(-3.0f * dt_s);
        clamp_list(l);
        moving = true;
    }
    return moving;
}

/* ---- queries ---- */

const struct widget *ui_find(const struct ui *ui, const char *id)
{
    for (size_t i = ui->n; i-- > 0;) {
        const struct widget *w = &ui->widgets[i];
        if (strcmp(w->id, id) == 0 && w->r.w > 0 && w->r.h > 0 && w->r.x < ui->w &&
            w->r.y < ui->h && w->r.x + w->r.w > 0 && w->r.y + w->r.h > 0)
            return w;
    }
    return NULL;
}

const char *ui_widget_text(const struct ui *ui, const struct widget *w)
{
    return ui->texts.data ? ui->texts.data + w->text_off : "";
}

static bool in_list_row(const struct ui *ui, const struct widget *w)
{
    int cx = w->r.x + w->r.w / 2, cy = w->r.y + w->r.h / 2;
    for (size_t i = 0; i < ui->n; i++) {
        const struct widget *p = &ui->widgets[i];
        if (strstr(p->id, ".item.") && cx >= p->r.x && cx < p->r.x + p->r.w && cy >= p->r.y &&
            cy < p->r.y + p->r.h)
            return true;
    }
    return false;
}

const char *ui_cut_text(const struct ui *ui)
{
    for (size_t i = 0; i < ui->n; i++) {
        const struct widget *w = &ui->widgets[i];
        if (w->cut && !strstr(w->id, ".item.") && !in_list_row(ui, w))
            return ui_widget_text(ui, w);
    }
    return NULL;
}

/* The text as it reads: without the invisible marks and isolates that
 * only steer its direction (U+200E, U+200F, U+2066 to U+2069). */
static void visible_text(const char *s, struct buf *out)
{
    buf_clear(out);
    buf_put(out, "", 0);
    for (const char *p = s; *p;) {
        const char *q = p;
        uint32_t cp = utf8_next(&q);
        if (cp != 0x200E && cp != 0x200F && !(cp >= 0x2066 && cp <= 0x2069))
            buf_put(out, p, (size_t)(q - p));
        p = q;
    }
}

bool ui_has_text(const struct ui *ui, const char *text)
{
    struct buf v;
    buf_init(&v);
    bool found = false;
    for (size_t i = 0; i < ui->n && !found; i++) {
        const struct widget *w = &ui->widgets[i];
        if (!w->text_off || w->r.y >= ui->h || w->r.y + w->r.h <= 0)
            continue;
        visible_text(ui_widget_text(ui, w), &v);
        found = strstr(v.data, text) != NULL;
    }
    buf_free(&v);
    return found;
}

void ui_dump(const struct ui *ui, struct buf *out)
{
    static const char *const kinds[] = {"button", "label", "key",  "list",
                                        "item",   "area",  "dots", "image"};
    for (size_t i = 0; i < ui->n; i++) {
        const struct widget *w = &ui->widgets[i];
        if (!w->id[0])
            continue;
        buf_printf(out, "%s\t%d\t%d\t%d\t%d\t%s\t", w->id, w->r.x, w->r.y, w->r.w, w->r.h,
                   kinds[w->kind]);
        for (const char *p = ui_widget_text(ui, w); *p; p++)
            buf_putc(out, *p == '\n' || *p == '\t' ? ' ' : *p);
        buf_putc(out, '\n');
    }
}

/*
 * ui_button.c — a large touch button: a rounded panel with a bold label and
 * an optional second line in smaller text. Pressed buttons darken at once,
 * so a touch is acknowledged before the finger lifts. A label never leaves
 * its button: too wide or too tall, it gets a step or two smaller, then is
 * cut with "…". ui_button_picto adds a pictogram (ui_picto.c) above or
 * beside the words.
 */
#include "ui.h"

#include <string.h>

/* A label's size and line limit for a box of w x h: its own size when it
 * fits, else a step or two smaller (to three quarters), else the smallest
 * cut with "…" in the lines that fit, or in one when a word would have to
 * be broken inside ("Українськ…", not "Українськ" + "а"). Sets st->size;
 * returns the line limit (0: none needed). */
static int fit_label(struct ui *ui, const char *label, struct text_style *st, int w, int h)
{
    if (!label || !*label)
        return 0;
    bool rtl = ui_text_rtl(ui, label);
    int base = st->size;
    const struct text_block *b = NULL;
    for (int step = 0; step < 3; step++) {
        st->size = base * (8 - step) / 8;
        b = text_cache_get(ui->tc, label, st, w, ALIGN_CENTER, rtl);
        if (b->h <= h && !b->split)
            return 0;
    }
    if (b->split || b->h <= 0)
        return 1;
    int lines = h * b->lines / b->h;
    return lines > 1 ? lines : 1;
}

void ui_button(struct ui *ui, const char *id, struct rect lr, const char *label,
               const char *sublabel, enum ui_button_style style)
{
    ui_button_picto(ui, id, lr, label, sublabel, style, PICTO_NONE);
}

void ui_button_picto(struct ui *ui, const char *id, struct rect lr, const char *label,
                     const char *sublabel, enum ui_button_style style, enum ui_picto picto)
{
    struct rect r = ui_place(ui, lr, true);
    SDL_Color bg = UI_SURFACE, down = UI_PRESSED_LIGHT, fg = UI_TEXT;
    switch (style) {
    case BTN_PRIMARY:
        bg = UI_PRIMARY;
        down = UI_PRESSED;
        fg = UI_ON_PRIMARY;
        break;
    case BTN_SELECTED:
        bg = down = UI_PRIMARY;
        fg = UI_ON_PRIMARY;
        break;
    case BTN_SECONDARY:
        break;
    case BTN_QUIET:
        bg = UI_BG;
        down = (SDL_Color){0xE4, 0xE0, 0xD6, 0xFF};
        break;
    }
    int radius = ui_px(ui, 1.6f);
    if (style == BTN_SECONDARY || style == BTN_SELECTED) {
        int bw = style == BTN_SELECTED ? ui_px(ui, 0.6f) : ui_px(ui, 0.25f);
        bw = bw < 2 ? 2 : bw;
        ui_round_rect(ui, r, radius, style == BTN_SELECTED ? UI_FOCUS : UI_BORDER);
        r = (struct rect){r.x + bw, r.y + bw, r.w - 2 * bw, r.h - 2 * bw};
        radius -= bw;
    }
    ui_press_panel(ui, id, r, radius, bg, down);

    struct buf all;
    buf_init(&all);
    buf_puts(&all, label ? label : "");
    if (sublabel && *sublabel) {
        buf_putc(&all, '\n');
        buf_puts(&all, sublabel);
    }
    ui_register(ui, id, ui_place(ui, lr, true), UI_BUTTON, true, all.data);
    buf_free(&all);

    int pad = ui_px(ui, 1.5f);
    struct rect inner = {r.x + pad, r.y + pad / 2, r.w - 2 * pad, r.h - pad};
    struct text_style main = {ui_tx(ui, r.h > ui_tx(ui, 14) ? 4.4f : 3.4f), true, fg};
    /* The lines' leading may reach into the padding, not past the panel. */
    int room = r.h;
    /* A pictogram: at the start side of a wide button (the words centred
     * in the rest), or above the words of a tall one (the two centred
     * together, below). */
    int icon = 0, icon_gap = ui_px(ui, 1.5f);
    if (picto != PICTO_NONE && r.w > 2 * r.h) {
        int s = inner.h * 3 / 5 < ui_px(ui, 14) ? inner.h * 3 / 5 : ui_px(ui, 14);
        int x = ui->rtl ? inner.x + inner.w - pad - s : inner.x + pad;
        ui_picto(ui, picto, (struct rect){x, inner.y + (inner.h - s) / 2, s, s}, fg);
        inner.w -= s + 2 * pad;
        inner.x += ui->rtl ? 0 : s + 2 * pad;
    } else if (picto != PICTO_NONE) {
        icon = inner.h * 9 / 25 < inner.w / 2 ? inner.h * 9 / 25 : inner.w / 2;
        icon = icon < ui_px(ui, 18) ? icon : ui_px(ui, 18);
        /* The words come first (larger text, long translations): the icon
         * takes only the room they leave, and none when that is too little. */
        int words = text_cache_get(ui->tc, label, &main, inner.w, ALIGN_CENTER,
                                   ui_text_rtl(ui, label))->h;
        if (sublabel && *sublabel) {
            struct text_style sub = {ui_tx(ui, 2.6f), false, fg};
            words += ui_px(ui, 0.8f) + text_cache_get(ui->tc, sublabel, &sub, inner.w,
                                                      ALIGN_CENTER, ui_text_rtl(ui, sublabel))->h;
        }
        int spare = inner.h - words - icon_gap;
        icon = icon < spare ? icon : spare;
        icon = icon >= ui_px(ui, 6) ? icon : 0;
        room -= icon ? icon + icon_gap : 0;
    }
    if (!sublabel || !*sublabel) {
        int lines = fit_label(ui, label, &main, inner.w, room);
        if (icon) {
            int h = text_cache_get_lines(ui->tc, label, &main, inner.w, lines, ALIGN_CENTER,
                                         ui_text_rtl(ui, label))->h;
            int y = inner.y + (inner.h - icon - icon_gap - h) / 2;
            ui_picto(ui, picto, (struct rect){inner.x, y, inner.w, icon}, fg);
            inner = (struct rect){inner.x, y + icon + icon_gap, inner.w, h};
        }
        ui_text_lines(ui, NULL, inner, label, &main, ALIGN_CENTER, lines, true);
        return;
    }
    struct text_style sub = {ui_tx(ui, 2.6f), false, fg};
    int gap = ui_px(ui, 0.8f);
    const struct text_block *b = text_cache_get(ui->tc, sublabel, &sub, inner.w, ALIGN_CENTER,
                                                ui_text_rtl(ui, sublabel));
    int sub_line = b->lines ? b->h / b->lines : 0;
    int lines1 = fit_label(ui, label, &main, inner.w, room - gap - sub_line);
    int h1 = text_cache_get_lines(ui->tc, label, &main, inner.w, lines1, ALIGN_CENTER,
                                  ui_text_rtl(ui, label))->h;
    int lines2 = fit_label(ui, sublabel, &sub, inner.w, room - gap - h1);
    int h2 = text_cache_get_lines(ui->tc, sublabel, &sub, inner.w, lines2, ALIGN_CENTER,
                                  ui_text_rtl(ui, sublabel))->h;
    int y = inner.y + (inner.h - (icon ? icon + icon_gap : 0) - h1 - gap - h2) / 2;
    if (icon) {
        ui_picto(ui, picto, (struct rect){inner.x, y, inner.w, icon}, fg);
        y += icon + icon_gap;
    }
    ui_text_lines(ui, NULL, (struct rect){inner.x, y, inner.w, h1}, label, &main, ALIGN_CENTER,
                  lines1, false);
    ui_text_lines(ui, NULL, (struct rect){inner.x, y + h1 + gap, inner.w, h2}, sublabel, &sub,
                  ALIGN_CENTER, lines2, false);
}

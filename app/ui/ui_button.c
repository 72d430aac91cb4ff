/*
 * ui_button.c — a large touch button: a rounded panel with a bold label and
 * an optional second line in smaller text. Pressed buttons darken at once,
 * so a touch is acknowledged before the finger lifts.
 */
#include "ui.h"

#include <string.h>

void ui_button(struct ui *ui, const char *id, struct rect lr, const char *label,
               const char *sublabel, enum ui_button_style style)
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
    int size = ui_px(ui, r.h > ui_px(ui, 14) ? 4.4f : 3.4f);
    struct text_style main = {size, true, fg};
    if (!sublabel || !*sublabel) {
        /* A one-word label that does not fit gets smaller rather than
         * broken in the middle ("Українськ-а"), down to two thirds. */
        if (label && !strchr(label, ' ')) {
            int min = size * 2 / 3;
            while (main.size > min && text_width(label, &main, ui_text_rtl(ui, label)) > inner.w)
                main.size--;
        }
        ui_text(ui, NULL, inner, label, &main, ALIGN_CENTER, true, true);
        return;
    }
    struct text_style sub = {ui_px(ui, 2.6f), false, fg};
    int h1 = text_cache_get(ui->tc, label, &main, inner.w, ALIGN_CENTER,
                            ui_text_rtl(ui, label))->h;
    int h2 = text_cache_get(ui->tc, sublabel, &sub, inner.w, ALIGN_CENTER,
                            ui_text_rtl(ui, sublabel))->h;
    int gap = ui_px(ui, 0.8f), y = inner.y + (inner.h - h1 - gap - h2) / 2;
    ui_text(ui, NULL, (struct rect){inner.x, y, inner.w, h1}, label, &main, ALIGN_CENTER, true,
            false);
    ui_text(ui, NULL, (struct rect){inner.x, y + h1 + gap, inner.w, h2}, sublabel, &sub,
            ALIGN_CENTER, true, false);
}

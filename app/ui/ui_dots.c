/*
 * ui_dots.c — progress as dots plus words ("2 af 4"), so colour is never
 * the only cue: done and current dots are filled, the rest are rings. And
 * the dots that stand for the digits of a PIN, drawn as discs (the fonts
 * have no reliable "●").
 */
#include "ui.h"

void ui_dots(struct ui *ui, struct rect lr, int current, int total, const char *text)
{
    struct rect r = ui_place(ui, lr, true);
    float d = (float)ui_px(ui, 2.4f), gap = (float)ui_px(ui, 1.6f);
    float width = total * d + (total - 1) * gap;
    float x = (float)r.x + ((float)r.w - width) / 2, cy = (float)r.y + d / 2;
    for (int i = 1; i <= total; i++) {
        int step = ui->rtl ? total - i + 1 : i;
        float cx = x + d / 2;
        ui_circle(ui, cx, cy, d / 2, step <= current ? UI_PRIMARY : UI_BORDER);
        if (step > current)
            ui_circle(ui, cx, cy, d / 2 - (float)ui_px(ui, 0.4f), UI_BG);
        x += d + gap;
    }
    ui_register(ui, "progress", r, UI_DOTS, false, text);
    struct text_style st = {ui_tx(ui, 2.6f), false, UI_MUTED};
    ui_text(ui, NULL, (struct rect){r.x, r.y + (int)d + ui_px(ui, 0.8f), r.w, ui_tx(ui, 4)}, text,
            &st, ALIGN_CENTER, false, false);
}

void ui_pin_dots(struct ui *ui, const char *id, struct rect lr, int n)
{
    struct rect r = ui_place(ui, lr, true);
    struct buf text;
    buf_init(&text);
    for (int i = 0; i < n; i++)
        buf_puts(&text, "\xE2\x97\x8F"); /* ● */
    ui_register(ui, id, r, UI_DOTS, false, text.data ? text.data : "");
    buf_free(&text);
    float d = (float)ui_px(ui, 2.6f), gap = (float)ui_px(ui, 2.2f);
    float x = (float)r.x + ((float)r.w - (float)n * d - (float)(n > 0 ? n - 1 : 0) * gap) / 2;
    for (int i = 0; i < n; i++, x += d + gap)
        ui_circle(ui, x + d / 2, (float)r.y + (float)r.h / 2, d / 2, UI_TEXT);
}

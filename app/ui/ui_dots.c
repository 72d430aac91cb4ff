/*
 * ui_dots.c — progress as dots plus words ("2 af 4"), so colour is never
 * the only cue: done and current dots are filled, the rest are rings.
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
    struct text_style st = {ui_px(ui, 2.6f), false, UI_MUTED};
    ui_text(ui, NULL, (struct rect){r.x, r.y + (int)d + ui_px(ui, 0.8f), r.w, ui_px(ui, 4)}, text,
            &st, ALIGN_CENTER, false, false);
}

/*
 * ui_modal.c — a modal prompt: the screen behind is dimmed and cannot be
 * touched (its backdrop swallows taps); the panel is centred.
 */
#include "ui.h"

struct rect ui_modal(struct ui *ui, float w_units, float h_units)
{
    struct rect all = {0, 0, ui->w, ui->h};
    ui_fill(ui, all, UI_OVERLAY);
    ui_register(ui, NULL, all, UI_AREA, false, NULL);
    int w = ui_px(ui, w_units), h = ui_px(ui, h_units);
    if (w > ui->w - ui_px(ui, 4))
        w = ui->w - ui_px(ui, 4);
    struct rect panel = {(ui->w - w) / 2, (ui->h - h) / 2, w, h};
    ui_round_rect(ui, panel, ui_px(ui, 2), UI_SURFACE);
    return panel;
}

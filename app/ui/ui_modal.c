/*
 * ui_modal.c — pop-ups: the screen behind is dimmed and cannot be touched;
 * the panel is centred.
 *
 * A tap on the dimmed backdrop around the panel is a tap on "<id>.outside"
 * (four strips around the panel, so the script driver's `tap <id>.outside`
 * lands outside it): the idle prompt's "more time", a pop-up's closing. The
 * panel itself swallows taps that hit none of its widgets. ui_popup: a
 * pop-up a citizen can always leave, with a visible close button too.
 */
#include "ui.h"

#include <stdio.h>
#include <string.h>

static struct rect panel_rect(const struct ui *ui, float w_units, float h_units)
{
    int w = ui_px(ui, w_units), h = ui_px(ui, h_units);
    if (w > ui->w - ui_px(ui, 4))
        w = ui->w - ui_px(ui, 4);
    if (h > ui->h - ui_px(ui, 4))
        h = ui->h - ui_px(ui, 4);
    return (struct rect){(ui->w - w) / 2, (ui->h - h) / 2, w, h};
}

struct rect ui_modal(struct ui *ui, const char *id, float w_units, float h_units)
{
    ui_fill(ui, (struct rect){0, 0, ui->w, ui->h}, UI_OVERLAY);
    struct rect p = panel_rect(ui, w_units, h_units);
    char sid[UI_ID_MAX];
    snprintf(sid, sizeof sid, "%s.outside", id);
    const struct rect around[] = {
        {0, 0, ui->w, p.y},                                 /* above */
        {0, p.y + p.h, ui->w, ui->h - p.y - p.h},           /* below */
        {0, p.y, p.x, p.h},                                 /* left */
        {p.x + p.w, p.y, ui->w - p.x - p.w, p.h},           /* right */
    };
    for (size_t i = 0; i < sizeof around / sizeof *around; i++)
        if (around[i].w > 0 && around[i].h > 0)
            ui_register(ui, sid, around[i], UI_AREA, true, NULL);
    ui_register(ui, NULL, p, UI_AREA, false, NULL); /* the panel swallows stray taps */
    ui_round_rect(ui, p, ui_px(ui, 2), UI_SURFACE);
    return p;
}

struct rect ui_popup(struct ui *ui, const char *id, float w_units, float h_units,
                     const char *close_label)
{
    struct rect p = ui_modal(ui, id, w_units, h_units);
    char sid[UI_ID_MAX];
    int pad = ui_px(ui, UI_POPUP_PAD), bw = ui_px(ui, 22), bh = ui_px(ui, UI_POPUP_CLOSE_H);
    snprintf(sid, sizeof sid, "%s.close", id);
    /* Top end corner: top right, top left in right-to-left (mirrored). */
    ui_button(ui, sid, (struct rect){p.x + p.w - pad - bw, p.y + pad, bw, bh}, close_label, NULL,
              BTN_SECONDARY);
    return p;
}

bool ui_popup_closes(const char *id, const char *tapped)
{
    size_t n = strlen(id);
    return strncmp(tapped, id, n) == 0 &&
           (strcmp(tapped + n, ".outside") == 0 || strcmp(tapped + n, ".close") == 0);
}

/*
 * screen_home.c — the start screen: three large choices, the language
 * buttons (each language named in its own script, no flags; in one row or,
 * for many languages, more: app_lang_buttons), the site's name and
 * the time. Landscape puts the choices side by side, portrait stacks them.
 * The staff entry is a long press on the top corner (home.staff); it draws
 * nothing.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "i18n.h"

static void draw(struct app *a, struct ui *ui)
{
    int m = ui_px(ui, 3), W = ui->w, H = ui->h;
    bool portrait = H > W;

    /* Top bar: the site at the start, the time at the end. */
    int bar = ui_tx(ui, 10);
    struct text_style site = {ui_tx(ui, 3.4f), true, UI_TEXT};
    struct text_style clock = {ui_tx(ui, 3.4f), true, UI_TEXT};
    char hhmm[6];
    clock_hhmm(app_wall(a), hhmm);
    ui_text(ui, "home.site", ui_place(ui, (struct rect){m, 0, W / 2, bar}, true), a->site_name,
            &site, ALIGN_START, false, true);
    ui_text(ui, "home.clock", ui_place(ui, (struct rect){W - m - ui_tx(ui, 20), 0, ui_tx(ui, 20), bar}, true),
            hhmm, &clock, ALIGN_END, false, true);
    ui_register(ui, "home.staff", (struct rect){0, 0, ui_px(ui, 10), ui_px(ui, 10)}, UI_AREA,
                true, NULL);

    struct text_style welcome = {ui_tx(ui, 7), true, UI_TEXT};
    int wy = bar + ui_px(ui, portrait ? 4 : 2);
    int sw = ui_tx(ui, 26), wh = ui_tx(ui, 11);
    ui_fit_text(ui, T(a, "home.welcome"), &welcome, W - 2 * m - 2 * sw, 0, ui_px(ui, 5));
    ui_text(ui, NULL, (struct rect){m + sw, wy, W - 2 * m - 2 * sw, wh},
            T(a, "home.welcome"), &welcome, ALIGN_CENTER, false, true);
    /* Read aloud, at the end of the welcome line (as in every screen's
     * top end corner). */
    ui_button(ui, "nav.speak", (struct rect){W - m - sw, wy, sw, wh},
              T(a, "nav.speak"), NULL, BTN_SECONDARY);
    /* Larger text, at the start of the welcome line; on, it turns it off. */
    ui_button(ui, "home.bigger", (struct rect){m, wy, sw, wh}, T(a, "home.bigger"), NULL,
              a->large ? BTN_SELECTED : BTN_SECONDARY);

    static const char *const ids[3] = {"home.checkin", "home.survey", "home.jobs"};
    static const char *const keys[3] = {"home.checkin", "home.survey", "home.jobs"};
    static const char *const subs[3] = {"home.checkin.sub", "home.survey.sub", "home.jobs.sub"};
    static const enum ui_picto pictos[3] = {PICTO_CHECKIN, PICTO_SURVEY, PICTO_JOBS};
    /* Languages, in the order the settings offer them: one row, or more
     * when the names would not fit (eight do not in one row). */
    int gap = ui_px(ui, 2.5f), lang_h = ui_tx(ui, 11), top = wy + wh + ui_px(ui, 2);
    int lang_top = app_lang_buttons(a, ui, (struct rect){m, H - m - lang_h, W - 2 * m, lang_h},
                                    ui_tx(ui, portrait ? 22 : 26), gap);
    int bottom = lang_top - ui_px(ui, portrait ? 10 : 5);
    for (int i = 0; i < 3; i++) {
        struct rect r;
        if (portrait) {
            int h = (bottom - top - 2 * gap) / 3;
            r = (struct rect){m, top + i * (h + gap), W - 2 * m, h};
        } else {
            int w = (W - 2 * m - 2 * gap) / 3;
            r = (struct rect){m + i * (w + gap), top, w, bottom - top};
        }
        ui_button_picto(ui, ids[i], r, T(a, keys[i]), T(a, subs[i]), BTN_PRIMARY, pictos[i]);
    }
}

static void tap(struct app *a, const char *id)
{
    if (strcmp(id, "home.survey") == 0)
        app_go(a, &screen_survey);
    else if (strcmp(id, "home.checkin") == 0)
        app_go(a, &screen_checkin);
    else if (strcmp(id, "home.jobs") == 0)
        app_go(a, &screen_jobs);
}

const struct screen screen_home = {
    .name = "home",
    .draw = draw,
    .tap = tap,
};

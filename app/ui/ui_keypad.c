/*
 * ui_keypad.c — key pads and the on-screen keyboard. The pad's place on
 * screen follows the reading direction, but keys inside keep their order:
 * digits and Latin letters read left to right in every language.
 */
#include "ui.h"

#include <stdio.h>
#include <string.h>

static void key(struct ui *ui, const char *id, struct rect r, const char *label, bool wide)
{
    int gap = ui_px(ui, 0.5f);
    struct rect k = {r.x + gap, r.y + gap, r.w - 2 * gap, r.h - 2 * gap};
    ui_round_rect(ui, k, ui_px(ui, 1.0f), UI_BORDER);
    int bw = ui_px(ui, 0.2f) < 2 ? 2 : ui_px(ui, 0.2f);
    struct rect face = {k.x + bw, k.y + bw, k.w - 2 * bw, k.h - 2 * bw};
    ui_press_panel(ui, id, face, ui_px(ui, 1.0f) - bw, UI_SURFACE, UI_PRESSED_LIGHT);
    ui_register(ui, id, k, UI_KEY, true, label);
    struct text_style st = {ui_px(ui, wide ? 3.2f : 4.2f), true, UI_TEXT};
    ui_text(ui, NULL, face, label, &st, ALIGN_CENTER, false, true);
}

void ui_keypad(struct ui *ui, const char *prefix, struct rect lr, const char *const *keys,
               const char *const *labels, int n, int cols)
{
    struct rect r = ui_place(ui, lr, true);
    int rows = (n + cols - 1) / cols;
    for (int i = 0; i < n; i++) {
        if (!keys[i])
            continue;
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, "%s.%s", prefix, keys[i]);
        struct rect k = {r.x + r.w * (i % cols) / cols, r.y + r.h * (i / cols) / rows,
                         r.w / cols, r.h / rows};
        key(ui, id, k, labels ? labels[i] : keys[i], labels && strlen(labels[i]) > 2);
    }
}

void ui_keyboard(struct ui *ui, const char *prefix, struct rect lr, const char *del_label,
                 const char *space_label)
{
    static const char *const rows[4][11] = {
        {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0", NULL},
        {"q", "w", "e", "r", "t", "y", "u", "i", "o", "p", "å"},
        {"a", "s", "d", "f", "g", "h", "j", "k", "l", "æ", "ø"},
        {"z", "x", "c", "v", "b", "n", "m", "-", NULL, NULL, NULL},
    };
    struct rect r = ui_place(ui, lr, true);
    int kw = r.w / 11, kh = r.h / 5;
    char id[UI_ID_MAX];
    for (int row = 0; row < 4; row++)
        for (int col = 0; col < 11 && rows[row][col]; col++) {
            snprintf(id, sizeof id, "%s.key.%s", prefix, rows[row][col]);
            int indent = row == 0 ? kw / 2 : row == 3 ? kw : 0;
            key(ui, id, (struct rect){r.x + indent + col * kw, r.y + row * kh, kw, kh},
                rows[row][col], false);
        }
    snprintf(id, sizeof id, "%s.key.del", prefix);
    key(ui, id, (struct rect){r.x + 9 * kw, r.y + 3 * kh, 2 * kw, kh}, del_label, true);
    snprintf(id, sizeof id, "%s.key.space", prefix);
    key(ui, id, (struct rect){r.x + 2 * kw, r.y + 4 * kh, 7 * kw, kh}, space_label, true);
}

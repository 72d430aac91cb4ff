/*
 * ui_keypad.c — key pads and the on-screen keyboards. The pad's place on
 * screen follows the reading direction, but keys inside keep their order:
 * digits and letters sit where the citizen's own keyboards have them
 * (Arabic and Persian phone and PC keyboards start ض ص ث at the left too).
 *
 * Every layout is the same grid as the Danish one (11 keys across, 5 rows,
 * the last row space, and delete at the end of the fourth), so no key is
 * smaller than a Danish key on any screen. The Cyrillic, Arabic and Persian
 * layouts have no digit row: their letters need the room, and a citizen who
 * wants digits (or to type "sosu" in Danish) taps the switch key to the
 * Danish layout and back.
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
    /* Larger text where the key has room for it, else the normal size
     * (the keys keep theirs). */
    float units = wide ? 3.2f : 4.2f;
    struct text_style st = {ui_tx(ui, units), true, UI_TEXT};
    if (st.size > ui_px(ui, units)) {
        bool rtl = ui_text_rtl(ui, label);
        const struct text_block *b = text_cache_get(ui->tc, label, &st, 0, ALIGN_CENTER, rtl);
        if (b->w > face.w - ui_px(ui, 1.0f) || b->h > face.h)
            st.size = ui_px(ui, units);
    }
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

/* Four rows of at most 11 keys (the fourth at most 8, before delete), each
 * row indented by indent[row] half keys; a key types its own text, and its
 * id is "<prefix>.key.<text>". name labels the key that switches to it. */
struct layout {
    const char *name;
    int indent[4];
    const char *rows[4][11];
};

static const struct layout layouts[] = {
    [UI_LAYOUT_LATIN] = {"ABC", {1, 0, 0, 2}, {
        {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
        {"q", "w", "e", "r", "t", "y", "u", "i", "o", "p", "å"},
        {"a", "s", "d", "f", "g", "h", "j", "k", "l", "æ", "ø"},
        {"z", "x", "c", "v", "b", "n", "m", "-"},
    }},
    /* ЙЦУКЕН; ї and ґ, which sit at the edges of a PC keyboard, end the
     * third row and start the fourth. */
    [UI_LAYOUT_UKRAINIAN] = {"АБВ", {0, 0, 1, 2}, {
        {"й", "ц", "у", "к", "е", "н", "г", "ш", "щ", "з", "х"},
        {"ф", "і", "в", "а", "п", "р", "о", "л", "д", "ж", "є"},
        {"я", "ч", "с", "м", "и", "т", "ь", "б", "ю", "ї"},
        {"ґ", "'"},
    }},
    /* The standard Arabic keyboard; ذ and د (beside the letter rows on a
     * PC) join the third row, and the hamza forms of alef the fourth. */
    [UI_LAYOUT_ARABIC] = {"عربي", {0, 0, 0, 2}, {
        {"ض", "ص", "ث", "ق", "ف", "غ", "ع", "ه", "خ", "ح", "ج"},
        {"ش", "س", "ي", "ب", "ل", "ا", "ت", "ن", "م", "ك", "ط"},
        {"ذ", "ئ", "ء", "ؤ", "ر", "ى", "ة", "و", "ز", "ظ", "د"},
        {"أ", "إ", "آ"},
    }},
    /* The standard Persian keyboard (ISIRI 9147): ی and ک, not the Arabic
     * ي and ك, and پ چ ژ گ. */
    [UI_LAYOUT_PERSIAN] = {"فارسی", {0, 0, 0, 2}, {
        {"ض", "ص", "ث", "ق", "ف", "غ", "ع", "ه", "خ", "ح", "ج"},
        {"ش", "س", "ی", "ب", "ل", "ا", "ت", "ن", "م", "ک", "گ"},
        {"ظ", "ط", "ز", "ر", "ذ", "د", "پ", "و", "چ", "ژ", "آ"},
        {"ئ", "ء"},
    }},
};

enum ui_layout ui_layout_for(const char *lang)
{
    /* Tigrinya (ti) gets the Danish layout. An Ethiopic keyboard has some
     * 250 syllables: one key each cannot keep big keys, and a consonant
     * then vowel-order picker doubles the taps for every letter — to search
     * ads that come from Danish job banks in Danish (a title in Ge'ez
     * script would be rare). Tigrinya speakers in Denmark also write the
     * Latin alphabet; that is the keyboard they get. */
    if (strcmp(lang, "uk") == 0)
        return UI_LAYOUT_UKRAINIAN;
    if (strcmp(lang, "ar") == 0)
        return UI_LAYOUT_ARABIC;
    if (strcmp(lang, "fa") == 0)
        return UI_LAYOUT_PERSIAN;
    return UI_LAYOUT_LATIN;
}

void ui_keyboard_layout(struct ui *ui, const char *prefix, struct rect lr, enum ui_layout layout,
                        enum ui_layout other, const char *del_label, const char *space_label)
{
    const struct layout *l = &layouts[layout];
    struct rect r = ui_place(ui, lr, true);
    int kw = r.w / 11, kh = r.h / 5;
    char id[UI_ID_MAX];
    for (int row = 0; row < 4; row++)
        for (int col = 0; col < 11 && l->rows[row][col]; col++) {
            snprintf(id, sizeof id, "%s.key.%s", prefix, l->rows[row][col]);
            int indent = l->indent[row] * kw / 2;
            key(ui, id, (struct rect){r.x + indent + col * kw, r.y + row * kh, kw, kh},
                l->rows[row][col], false);
        }
    snprintf(id, sizeof id, "%s.key.del", prefix);
    key(ui, id, (struct rect){r.x + 9 * kw, r.y + 3 * kh, 2 * kw, kh}, del_label, true);
    if (other != layout) {
        snprintf(id, sizeof id, "%s.key.switch", prefix);
        key(ui, id, (struct rect){r.x, r.y + 4 * kh, 2 * kw, kh}, layouts[other].name, true);
    }
    snprintf(id, sizeof id, "%s.key.space", prefix);
    key(ui, id, (struct rect){r.x + 2 * kw, r.y + 4 * kh, 7 * kw, kh}, space_label, true);
}

void ui_keyboard(struct ui *ui, const char *prefix, struct rect lr, const char *del_label,
                 const char *space_label)
{
    ui_keyboard_layout(ui, prefix, lr, UI_LAYOUT_LATIN, UI_LAYOUT_LATIN, del_label, space_label);
}

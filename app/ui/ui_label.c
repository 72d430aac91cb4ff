/*
 * ui_label.c — a block of text wrapped to its box, aligned to the start,
 * centre or end of the reading direction.
 */
#include "ui.h"

int ui_label(struct ui *ui, struct rect lr, const char *text, int size, bool bold,
             SDL_Color color, enum text_align align)
{
    struct rect r = ui_place(ui, lr, true);
    struct text_style st = {size, bold, color};
    return ui_text(ui, NULL, r, text, &st, align, true, false);
}

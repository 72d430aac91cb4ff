/*
 * ui_list.c — a vertical list that scrolls by dragging and flinging. Only
 * the visible items are drawn and registered, so a list of 100 000 costs
 * what a screenful costs; items are clipped to the list's box for drawing
 * and for taps.
 */
#include "ui.h"

static struct rect intersect(struct rect a, struct rect b)
{
    int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
    int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    return (struct rect){x0, y0, x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0};
}

void ui_list(struct ui *ui, const char *id, struct rect lr, struct ui_list *st, int n_items,
             int item_h, void (*item)(struct ui *, int, struct rect, void *), void *ctx)
{
    struct rect r = ui_place(ui, lr, true);
    st->view_h = (float)lr.h;
    st->content_h = (float)n_items * (float)item_h;
    float max = st->content_h - st->view_h;
    if (st->offset > max)
        st->offset = max > 0 ? max : 0;
    if (st->offset < 0)
        st->offset = 0;
    struct widget *w = ui_register(ui, id, r, UI_LIST, false, NULL);
    w->list = st;

    SDL_Rect clip = {r.x, r.y, r.w, r.h};
    if (!ui->dry)
        SDL_RenderSetClipRect(ui->ren, &clip);
    int first = item_h > 0 ? (int)(st->offset / (float)item_h) : 0;
    size_t before = ui->n;
    for (int i = first; i < n_items; i++) {
        int y = lr.y + i * item_h - (int)st->offset;
        if (y >= lr.y + lr.h)
            break;
        item(ui, i, (struct rect){lr.x, y, lr.w, item_h}, ctx);
    }
    for (size_t i = before; i < ui->n; i++)
        ui->widgets[i].r = intersect(ui->widgets[i].r, r);
    if (!ui->dry)
        SDL_RenderSetClipRect(ui->ren, NULL);

    if (st->content_h > st->view_h) {
        /* Where we are in the list, on the end side. */
        float frac = st->view_h / st->content_h;
        int bar_h = (int)((float)r.h * frac), bw = ui_px(ui, 0.6f);
        bar_h = bar_h < ui_px(ui, 4) ? ui_px(ui, 4) : bar_h;
        int y = r.y + (int)((float)(r.h - bar_h) * (st->offset / (st->content_h - st->view_h)));
        struct rect bar = ui_place(ui, (struct rect){lr.x + lr.w - bw, 0, bw, 0}, true);
        ui_round_rect(ui, (struct rect){bar.x, y, bw, bar_h}, bw / 2, UI_BORDER);
    }
}

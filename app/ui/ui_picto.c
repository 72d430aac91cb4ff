/*
 * ui_picto.c — pictograms beside the words of the home tiles and the
 * check-in choices, so that a citizen who reads none of the languages can
 * still find check-in, the survey and the jobs.
 *
 * Each is a few strokes and discs (line icons, one colour: the button's
 * text colour), painted once per size and colour into a cached texture by
 * ui_shape (anti-aliased there), like the survey's faces. Drawn in a unit
 * square: x and y from 0 to 1. Only a pictogram whose direction means
 * something (the arrow into the door of check-in) is mirrored in
 * right-to-left; the calendar, the group, the ticket's number, the face and
 * the briefcase are not.
 */
#include "ui.h"

#include <math.h>

#define LINE 0.075f /* stroke width, of the square's side */
#define ARC_STEPS 12 /* a half circle; a whole one takes three times as many */

struct picto_ctx {
    enum ui_picto p;
    bool mirror;
    float x, y, s; /* the square, screen pixels */
    SDL_Color color;
};

/* A polyline in unit coordinates, mirrored when asked. */
static void line(struct ui_canvas *cv, const struct picto_ctx *c, const float *u, int n)
{
    float pts[2 * 40];
    for (int i = 0; i < n && i < 40; i++) {
        float ux = c->mirror ? 1.0f - u[2 * i] : u[2 * i];
        pts[2 * i] = c->x + ux * c->s;
        pts[2 * i + 1] = c->y + u[2 * i + 1] * c->s;
    }
    ui_canvas_stroke(cv, pts, n < 40 ? n : 40, LINE * c->s, c->color);
}

static void dot(struct ui_canvas *cv, const struct picto_ctx *c, float ux, float uy, float ur)
{
    ui_canvas_disc(cv, c->x + (c->mirror ? 1.0f - ux : ux) * c->s, c->y + uy * c->s, ur * c->s,
                   c->color);
}

/* An arc of radius r around (cx, cy) from angle a0 to a1 (radians, y
 * down), as points into u; returns how many. */
static int arc(float *u, float cx, float cy, float r, float a0, float a1)
{
    int steps = fabsf(a1 - a0) > 4.0f ? 3 * ARC_STEPS : ARC_STEPS;
    for (int i = 0; i <= steps; i++) {
        float t = a0 + (a1 - a0) * (float)i / (float)steps;
        u[2 * i] = cx + r * cosf(t);
        u[2 * i + 1] = cy + r * sinf(t);
    }
    return steps + 1;
}

/* The outline of a rounded rectangle (closed). */
static void round_box(struct ui_canvas *cv, const struct picto_ctx *c, float x0, float y0,
                      float x1, float y1, float r)
{
    const float pi = 3.14159265f;
    float u[2 * 40];
    int n = 0;
    const float corners[4][3] = {{x1 - r, y0 + r, -pi / 2},
                                 {x1 - r, y1 - r, 0},
                                 {x0 + r, y1 - r, pi / 2},
                                 {x0 + r, y0 + r, pi}};
    for (int k = 0; k < 4; k++)
        for (int i = 0; i <= 4; i++) {
            float t = corners[k][2] + (pi / 2) * (float)i / 4;
            u[2 * n] = corners[k][0] + r * cosf(t);
            u[2 * n + 1] = corners[k][1] + r * sinf(t);
            n++;
        }
    u[2 * n] = u[0];
    u[2 * n + 1] = u[1];
    line(cv, c, u, n + 1);
}

/* A head and shoulders, the head's centre at (x, y). */
static void person(struct ui_canvas *cv, const struct picto_ctx *c, float x, float y, float size)
{
    const float pi = 3.14159265f;
    float u[2 * (ARC_STEPS + 1)];
    dot(cv, c, x, y, size * 0.5f);
    line(cv, c, u, arc(u, x, y + size * 2.3f, size * 1.1f, pi, 2 * pi));
}

static void paint(struct ui_canvas *cv, const void *ctx)
{
    const struct picto_ctx *c = ctx;
    const float pi = 3.14159265f;
    float u[2 * 40];
    switch (c->p) {
    case PICTO_NONE:
        break;
    case PICTO_CHECKIN: { /* an arrow going in at a door */
        const float door[] = {0.56f, 0.1f, 0.88f, 0.1f, 0.88f, 0.9f, 0.56f, 0.9f};
        const float shaft[] = {0.08f, 0.5f, 0.68f, 0.5f};
        const float head[] = {0.47f, 0.29f, 0.68f, 0.5f, 0.47f, 0.71f};
        line(cv, c, door, 4);
        line(cv, c, shaft, 2);
        line(cv, c, head, 3);
        break;
    }
    case PICTO_APPOINTMENT: { /* a calendar page */
        round_box(cv, c, 0.1f, 0.17f, 0.9f, 0.92f, 0.09f);
        const float band[] = {0.1f, 0.38f, 0.9f, 0.38f};
        const float ring1[] = {0.32f, 0.06f, 0.32f, 0.25f}, ring2[] = {0.68f, 0.06f, 0.68f, 0.25f};
        line(cv, c, band, 2);
        line(cv, c, ring1, 2);
        line(cv, c, ring2, 2);
        for (int row = 0; row < 2; row++)
            for (int col = 0; col < 3; col++)
                dot(cv, c, 0.3f + 0.2f * (float)col, 0.55f + 0.19f * (float)row, 0.055f);
        break;
    }
    case PICTO_SESSION: /* a small group */
        person(cv, c, 0.16f, 0.4f, 0.13f);
        person(cv, c, 0.84f, 0.4f, 0.13f);
        person(cv, c, 0.5f, 0.3f, 0.18f);
        break;
    case PICTO_WALKIN: { /* a ticket with a number */
        int n = 0;
        const float top[] = {0.06f, 0.22f, 0.94f, 0.22f, 0.94f, 0.39f};
        for (int i = 0; i < 3; i++, n++) {
            u[2 * n] = top[2 * i];
            u[2 * n + 1] = top[2 * i + 1];
        }
        n += arc(&u[2 * n], 0.94f, 0.5f, 0.11f, -pi / 2, -3 * pi / 2); /* the notch */
        const float bottom[] = {0.94f, 0.78f, 0.06f, 0.78f, 0.06f, 0.61f};
        for (int i = 0; i < 3; i++, n++) {
            u[2 * n] = bottom[2 * i];
            u[2 * n + 1] = bottom[2 * i + 1];
        }
        n += arc(&u[2 * n], 0.06f, 0.5f, 0.11f, pi / 2, -pi / 2);
        line(cv, c, u, n);
        const float one[] = {0.41f, 0.4f, 0.52f, 0.33f, 0.52f, 0.67f};
        const float base[] = {0.42f, 0.67f, 0.62f, 0.67f};
        line(cv, c, one, 3);
        line(cv, c, base, 2);
        break;
    }
    case PICTO_SURVEY: /* a smiling face */
        line(cv, c, u, arc(u, 0.5f, 0.5f, 0.42f, 0, 2 * pi));
        dot(cv, c, 0.36f, 0.4f, 0.065f);
        dot(cv, c, 0.64f, 0.4f, 0.065f);
        line(cv, c, u, arc(u, 0.5f, 0.5f, 0.24f, pi * 0.15f, pi * 0.85f));
        break;
    case PICTO_JOBS: { /* a briefcase */
        round_box(cv, c, 0.08f, 0.3f, 0.92f, 0.88f, 0.08f);
        const float handle[] = {0.36f, 0.3f, 0.36f, 0.14f, 0.64f, 0.14f, 0.64f, 0.3f};
        const float band[] = {0.08f, 0.55f, 0.92f, 0.55f};
        line(cv, c, handle, 4);
        line(cv, c, band, 2);
        dot(cv, c, 0.5f, 0.55f, 0.075f);
        break;
    }
    }
}

void ui_picto(struct ui *ui, enum ui_picto p, struct rect r, SDL_Color color)
{
    int s = r.w < r.h ? r.w : r.h;
    if (p == PICTO_NONE || s < 8)
        return;
    struct rect box = {r.x + (r.w - s) / 2, r.y + (r.h - s) / 2, s, s};
    bool mirror = ui->rtl && p == PICTO_CHECKIN;
    struct picto_ctx c = {p, mirror, (float)box.x, (float)box.y, (float)s, color};
    uint32_t key[UI_SHAPE_KEY] = {UI_SHAPE_PICTO, (uint32_t)p | (uint32_t)mirror << 8,
                                  (uint32_t)s, ui_shape_color(color), 0};
    SDL_Texture *t = ui_shape(ui, key, box, paint, &c);
    if (!t || ui->dry)
        return;
    SDL_RenderCopy(ui->ren, t, NULL, &(SDL_Rect){box.x, box.y, box.w, box.h});
}

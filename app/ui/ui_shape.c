/*
 * ui_shape.c — round shapes as cached textures; see ui.h.
 *
 * SDL's software renderer fills a triangle by walking its bounding box, so
 * a rounded corner drawn as a fan of thin triangles cost far more than its
 * few hundred pixels: a frame of keys spent half its time there, and thin
 * triangles round to whole pixels differently depending on where they are.
 * A shape is instead painted once, in C, with anti-aliased edges (each
 * pixel covered by how far its centre lies inside the edge), into a
 * texture that is copied from then on. Moving a shape by whole pixels does
 * not change its pixels, so a key names its size, colours and position
 * inside a pixel, never where it is on screen.
 */
#include "ui.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Open addressing; when three quarters full the table is emptied (a screen
 * uses a few dozen shapes, so that happens only after resizes). */
#define SLOTS 512
#define MAX_USED (SLOTS * 3 / 4)

struct shape {
    uint32_t key[UI_SHAPE_KEY];
    SDL_Texture *tex; /* NULL: free slot */
};

struct ui_shapes {
    struct shape s[SLOTS];
    size_t used, painted;
};

void ui_shapes_clear(struct ui *ui)
{
    if (!ui->shapes)
        return;
    for (int i = 0; i < SLOTS; i++)
        if (ui->shapes->s[i].tex)
            SDL_DestroyTexture(ui->shapes->s[i].tex);
    memset(ui->shapes->s, 0, sizeof ui->shapes->s);
    ui->shapes->used = 0;
}

void ui_shapes_free(struct ui *ui)
{
    ui_shapes_clear(ui);
    free(ui->shapes);
    ui->shapes = NULL;
}

size_t ui_shapes_painted(const struct ui *ui)
{
    return ui->shapes ? ui->shapes->painted : 0;
}

static struct shape *slot(struct ui_shapes *c, const uint32_t key[UI_SHAPE_KEY])
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < UI_SHAPE_KEY; i++)
        h = (h ^ key[i]) * 16777619u;
    for (uint32_t i = h % SLOTS;; i = (i + 1) % SLOTS) {
        struct shape *s = &c->s[i];
        if (!s->tex || memcmp(s->key, key, sizeof s->key) == 0)
            return s;
    }
}

SDL_Texture *ui_shape(struct ui *ui, const uint32_t key[UI_SHAPE_KEY], struct rect box,
                      void (*paint)(struct ui_canvas *, const void *), const void *ctx)
{
    int w = box.w, h = box.h;
    if (w <= 0 || h <= 0)
        return NULL;
    if (!ui->shapes)
        ui->shapes = xcalloc(1, sizeof *ui->shapes);
    struct ui_shapes *c = ui->shapes;
    struct shape *s = slot(c, key);
    if (s->tex)
        return s->tex;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surf)
        return NULL;
    SDL_FillRect(surf, NULL, 0);
    struct ui_canvas cv = {surf->pixels, w, h, surf->pitch / 4, (float)box.x, (float)box.y};
    paint(&cv, ctx);
    SDL_Texture *t = SDL_CreateTextureFromSurface(ui->ren, surf);
    SDL_FreeSurface(surf);
    if (!t)
        return NULL;
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    if (c->used == MAX_USED) {
        ui_shapes_clear(ui);
        s = slot(c, key);
    }
    memcpy(s->key, key, sizeof s->key);
    s->tex = t;
    c->used++;
    c->painted++;
    return t;
}

void ui_shape_around(struct ui *ui, const uint32_t key[UI_SHAPE_KEY], float cx, float cy,
                     float r, void (*paint)(struct ui_canvas *, const void *), const void *ctx)
{
    /* The box's corner is on a whole pixel; the centre keeps its fraction
     * inside it, which the key holds. */
    int half = (int)ceilf(r) + 1;
    struct rect box = {(int)floorf(cx) - half, (int)floorf(cy) - half, 2 * half + 1,
                       2 * half + 1};
    SDL_Texture *t = ui_shape(ui, key, box, paint, ctx);
    if (t && !ui->dry)
        SDL_RenderCopy(ui->ren, t, NULL, &(SDL_Rect){box.x, box.y, box.w, box.h});
}

uint32_t ui_shape_fraction(float f)
{
    return ui_shape_bits(f - floorf(f));
}

uint32_t ui_shape_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

uint32_t ui_shape_color(SDL_Color c)
{
    return (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
}

/* ---- painting ---- */

/* Lays colour c, cov of it (0..1), over pixel p (straight alpha). */
static void over(uint32_t *p, SDL_Color c, float cov)
{
    if (cov >= 1.0f && c.a == 255) {
        *p = 0xFF000000u | (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
        return;
    }
    float a = cov * (float)c.a / 255.0f;
    if (a <= 0.0f)
        return;
    uint32_t d = *p;
    float da = (float)(d >> 24) / 255.0f, keep = da * (1.0f - a), oa = a + keep;
    float ch[3] = {(float)c.r, (float)c.g, (float)c.b};
    uint32_t out = (uint32_t)lroundf(oa * 255.0f) << 24;
    for (int i = 0; i < 3; i++) {
        float dc = (float)(d >> (16 - 8 * i) & 0xFF);
        out |= (uint32_t)lroundf((ch[i] * a + dc * keep) / oa) << (16 - 8 * i);
    }
    *p = out;
}

static float clamp01(float v)
{
    return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
}

void ui_canvas_disc(struct ui_canvas *cv, float cx, float cy, float r, SDL_Color c)
{
    cx -= cv->ox;
    cy -= cv->oy;
    /* Pixels whose centre is half a pixel inside the edge are covered,
     * half a pixel outside untouched; only the rim needs a square root. */
    float inner2 = r > 0.5f ? (r - 0.5f) * (r - 0.5f) : 0.0f, outer2 = (r + 0.5f) * (r + 0.5f);
    int x0 = (int)floorf(cx - r - 1), x1 = (int)ceilf(cx + r + 1);
    int y0 = (int)floorf(cy - r - 1), y1 = (int)ceilf(cy + r + 1);
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < cv->h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < cv->w; x++) {
            float dx = (float)x + 0.5f - cx, dy = (float)y + 0.5f - cy, d2 = dx * dx + dy * dy;
            if (d2 >= outer2)
                continue;
            float cov = d2 <= inner2 ? 1.0f : clamp01(r - sqrtf(d2) + 0.5f);
            over(&cv->px[y * cv->pitch + x], c, cov);
        }
}

static float segment_distance2(float px, float py, const float *a, const float *b)
{
    float vx = b[0] - a[0], vy = b[1] - a[1], wx = px - a[0], wy = py - a[1];
    float len2 = vx * vx + vy * vy;
    float t = len2 > 0.0f ? clamp01((wx * vx + wy * vy) / len2) : 0.0f;
    float dx = wx - t * vx, dy = wy - t * vy;
    return dx * dx + dy * dy;
}

void ui_canvas_stroke(struct ui_canvas *cv, const float *pts, int n, float width, SDL_Color c)
{
    float minx = pts[0], maxx = pts[0], miny = pts[1], maxy = pts[1], half = width / 2;
    float inner2 = half > 0.5f ? (half - 0.5f) * (half - 0.5f) : 0.0f;
    float outer2 = (half + 0.5f) * (half + 0.5f);
    for (int i = 1; i < n; i++) {
        minx = fminf(minx, pts[2 * i]);
        maxx = fmaxf(maxx, pts[2 * i]);
        miny = fminf(miny, pts[2 * i + 1]);
        maxy = fmaxf(maxy, pts[2 * i + 1]);
    }
    int x0 = (int)floorf(minx - cv->ox - half - 1), x1 = (int)ceilf(maxx - cv->ox + half + 1);
    int y0 = (int)floorf(miny - cv->oy - half - 1), y1 = (int)ceilf(maxy - cv->oy + half + 1);
    /* A row only asks the segments that reach within the pen's reach of
     * it (a round outline has a few per row, not all of them); the others
     * are too far to change its pixels. */
    enum { ROW_SEGS = 64 };
    int near[ROW_SEGS];
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < cv->h; y++) {
        float py = (float)y + 0.5f + cv->oy;
        int m = 0;
        for (int i = 0; i + 1 < n; i++) {
            float lo = fminf(pts[2 * i + 1], pts[2 * i + 3]) - half - 1;
            float hi = fmaxf(pts[2 * i + 1], pts[2 * i + 3]) + half + 1;
            if (py >= lo && py <= hi && m < ROW_SEGS)
                near[m++] = i;
            else if (py >= lo && py <= hi)
                m = ROW_SEGS + 1; /* too many to list: ask them all */
        }
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < cv->w; x++) {
            float px = (float)x + 0.5f + cv->ox, d2 = INFINITY;
            if (m > ROW_SEGS)
                for (int i = 0; i + 1 < n && d2 > inner2; i++)
                    d2 = fminf(d2, segment_distance2(px, py, &pts[2 * i], &pts[2 * i + 2]));
            else
                for (int k = 0; k < m && d2 > inner2; k++)
                    d2 = fminf(d2, segment_distance2(px, py, &pts[2 * near[k]],
                                                     &pts[2 * near[k] + 2]));
            if (d2 >= outer2)
                continue;
            float cov = d2 <= inner2 ? 1.0f : clamp01(half - sqrtf(d2) + 0.5f);
            over(&cv->px[y * cv->pitch + x], c, cov);
        }
    }
}

/*
 * imgcmp.c — compares two screenshots the way a person would: the same size,
 * and at most a few pixels visibly different (anti-aliasing differs a little
 * between machines and architectures, see PLATFORM.md).
 *
 *   imgcmp A.png B.png [--tolerance PCT] [--diff OUT.png]
 *
 * A pixel differs when any channel (R, G, B or A) differs by more than
 * CHANNEL_SLACK. Exit 0 when the sizes match and at most PCT percent
 * (default 1.0) of the pixels differ, 1 otherwise, 2 on a usage error. The
 * figures are printed either way. With --diff, an image is written that
 * shows A dimmed to grey with every differing pixel in red (written whether
 * or not the images match, so that a person can look at it).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>

#define CHANNEL_SLACK 24

static SDL_Surface *load_rgba(const char *path)
{
    SDL_Surface *s = IMG_Load(path);
    if (!s) {
        fprintf(stderr, "imgcmp: %s: %s\n", path, IMG_GetError());
        return NULL;
    }
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(s);
    if (!c)
        fprintf(stderr, "imgcmp: %s: %s\n", path, SDL_GetError());
    return c;
}

static const Uint8 *pixel(const SDL_Surface *s, int x, int y)
{
    return (const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch + (size_t)x * 4;
}

#define INK_DELTA 96

static int ink(const char *path, char **v)
{
    int r[4];
    for (int i = 0; i < 4; i++) {
        char *end;
        long x = strtol(v[i], &end, 10);
        if (*end || x < 0 || x > 100000) {
            fprintf(stderr, "usage: imgcmp --ink A.png X Y W H\n");
            return 2;
        }
        r[i] = (int)x;
    }
    if (IMG_Init(IMG_INIT_PNG) == 0)
        return 1;
    SDL_Surface *s = load_rgba(path);
    if (!s)
        return 1;
    int x0 = r[0], y0 = r[1], x1 = r[0] + r[2], y1 = r[1] + r[3];
    x1 = x1 > s->w ? s->w : x1;
    y1 = y1 > s->h ? s->h : y1;
    if (x0 >= x1 || y0 >= y1) {
        fprintf(stderr, "imgcmp: the rectangle lies outside %s (%dx%d)\n", path, s->w, s->h);
        SDL_FreeSurface(s);
        return 1;
    }
    /* The background: the most common colour (a small open-addressed count). */
    enum { SLOTS = 4096 };
    static Uint32 colour[SLOTS];
    static int count[SLOTS];
    memset(count, 0, sizeof count);
    Uint32 bg = 0;
    int best = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            const Uint8 *p = pixel(s, x, y);
            Uint32 c = (Uint32)p[0] << 16 | (Uint32)p[1] << 8 | p[2];
            unsigned h = (c * 2654435761u) >> 20;
            for (int n = 0; n < SLOTS; n++, h = (h + 1) % SLOTS) {
                if (count[h] && colour[h] != c)
                    continue;
                colour[h] = c;
                if (++count[h] > best) {
                    best = count[h];
                    bg = c;
                }
                break;
            }
        }
    int bx0 = x1, by0 = y1, bx1 = -1, by1 = -1;
    int *row_ink = calloc((size_t)(y1 - y0), sizeof *row_ink);
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            const Uint8 *p = pixel(s, x, y);
            int d = abs(p[0] - (int)(bg >> 16)) + abs(p[1] - (int)(bg >> 8 & 255)) +
                    abs(p[2] - (int)(bg & 255));
            if (d <= INK_DELTA)
                continue;
            row_ink[y - y0] = 1;
            bx0 = x < bx0 ? x : bx0;
            bx1 = x > bx1 ? x : bx1;
            by0 = y < by0 ? y : by0;
            by1 = y > by1 ? y : by1;
        }
    if (bx1 < 0) {
        printf("ink none\n");
    } else {
        int bands[256], nb = 0, tallest = 0;
        for (int y = 0; y < y1 - y0;) {
            if (!row_ink[y]) {
                y++;
                continue;
            }
            int e = y;
            while (e < y1 - y0 && row_ink[e])
                e++;
            if (nb < 256)
                bands[nb++] = e - y;
            tallest = e - y > tallest ? e - y : tallest;
            y = e;
        }
        int lines = 0;
        for (int i = 0; i < nb; i++)
            lines += bands[i] * 4 >= tallest;
        Uint64 hash = 14695981039346656037ull; /* FNV-1a 64 */
        for (int y = by0; y <= by1; y++)
            for (int x = bx0; x <= bx1; x++) {
                const Uint8 *p = pixel(s, x, y);
                for (int c = 0; c < 3; c++)
                    hash = (hash ^ p[c]) * 1099511628211ull;
            }
        printf("ink %d %d %d %d lines %d hash %016llx\n", bx0, by0, bx1 - bx0 + 1, by1 - by0 + 1,
               lines, (unsigned long long)hash);
    }
    free(row_ink);
    SDL_FreeSurface(s);
    IMG_Quit();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 7 && strcmp(argv[1], "--ink") == 0)
        return ink(argv[2], argv + 3);
    const char *a_path = NULL, *b_path = NULL, *diff_path = NULL;
    double tolerance = 1.0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--tolerance") == 0 && i + 1 < argc) {
            char *end;
            tolerance = strtod(argv[++i], &end);
            if (*end || tolerance < 0 || tolerance > 100) {
                fprintf(stderr, "imgcmp: --tolerance needs a percentage from 0 to 100\n");
                return 2;
            }
        } else if (strcmp(argv[i], "--diff") == 0 && i + 1 < argc) {
            diff_path = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            a_path = NULL;
            b_path = NULL;
            break;
        } else if (!a_path) {
            a_path = argv[i];
        } else if (!b_path) {
            b_path = argv[i];
        } else {
            a_path = NULL;
            break;
        }
    }
    if (!a_path || !b_path) {
        fprintf(stderr, "usage: imgcmp A.png B.png [--tolerance PCT] [--diff OUT.png]\n");
        return 2;
    }

    if (IMG_Init(IMG_INIT_PNG) == 0) {
        fprintf(stderr, "imgcmp: SDL_image: %s\n", IMG_GetError());
        return 1;
    }
    int rc = 1;
    SDL_Surface *a = load_rgba(a_path), *b = a ? load_rgba(b_path) : NULL;
    if (!a || !b)
        goto out;
    if (a->w != b->w || a->h != b->h) {
        printf("imgcmp: sizes differ: %s is %dx%d, %s is %dx%d\n", a_path, a->w, a->h, b_path,
               b->w, b->h);
        goto out;
    }

    SDL_Surface *d = NULL;
    if (diff_path) {
        d = SDL_CreateRGBSurfaceWithFormat(0, a->w, a->h, 32, SDL_PIXELFORMAT_RGBA32);
        if (!d) {
            fprintf(stderr, "imgcmp: %s\n", SDL_GetError());
            goto out;
        }
    }
    long differ = 0, total = (long)a->w * a->h;
    int max_delta = 0;
    for (int y = 0; y < a->h; y++)
        for (int x = 0; x < a->w; x++) {
            const Uint8 *p = pixel(a, x, y), *q = pixel(b, x, y);
            int delta = 0;
            for (int c = 0; c < 4; c++) {
                int dc = abs((int)p[c] - (int)q[c]);
                delta = dc > delta ? dc : delta;
            }
            max_delta = delta > max_delta ? delta : max_delta;
            bool bad = delta > CHANNEL_SLACK;
            differ += bad;
            if (d) {
                Uint8 *o = (Uint8 *)pixel(d, x, y);
                Uint8 grey = (Uint8)(160 + (p[0] * 30 + p[1] * 59 + p[2] * 11) / 100 * 95 / 255);
                o[0] = bad ? 255 : grey;
                o[1] = bad ? 0 : grey;
                o[2] = bad ? 0 : grey;
                o[3] = 255;
            }
        }
    double pct = total ? 100.0 * (double)differ / (double)total : 0.0;
    bool same = pct <= tolerance;
    printf("imgcmp: %dx%d, %ld of %ld pixels differ by more than %d (%.3f%%, tolerance %.3f%%), "
           "largest channel difference %d: %s\n",
           a->w, a->h, differ, total, CHANNEL_SLACK, pct, tolerance, max_delta,
           same ? "same" : "DIFFERENT");
    if (d) {
        if (IMG_SavePNG(d, diff_path) != 0) {
            fprintf(stderr, "imgcmp: %s: %s\n", diff_path, IMG_GetError());
            same = false;
        }
        SDL_FreeSurface(d);
    }
    rc = same ? 0 : 1;
out:
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    IMG_Quit();
    SDL_Quit();
    return rc;
}

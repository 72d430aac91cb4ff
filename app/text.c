/*
 * text.c — fonts, bidi runs, wrapping and the rendered-text cache; see text.h.
 *
 * A block is laid out in three steps: paragraphs (split at '\n') are broken
 * into lines at spaces (a word wider than the line is broken between
 * characters); each line is split into runs of one direction and one font
 * and the runs put in visual order; each run is shaped and rasterised by
 * SDL2_ttf and copied side by side onto the block's surface, on a shared
 * baseline.
 */
#define _GNU_SOURCE
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL_ttf.h>

#include "util.h"

#define LOG(...) log_msg("text", __VA_ARGS__)

enum family { FAM_LATIN, FAM_ARABIC, FAM_COUNT };

static char *font_path[FAM_COUNT][2];

struct font_slot {
    enum family fam;
    bool bold;
    int size;
    TTF_Font *font;
};

#define MAX_FONTS 48
static struct font_slot fonts[MAX_FONTS];
static int n_fonts;
static size_t fonts_opened; /* ever, for text_fonts_opened */

size_t text_fonts_opened(void)
{
    return fonts_opened;
}

static char *find_font(const char *assets, const char *name, const char *fallback)
{
    char path[4096];
    const char *dirs[] = {NULL, "/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/dejavu"};
    snprintf(path, sizeof path, "%s/fonts", assets);
    dirs[0] = path;
    for (int i = 0; i < 3; i++) {
        char full[4200];
        snprintf(full, sizeof full, "%s/%s", dirs[i], i == 2 ? fallback : name);
        if (access(full, R_OK) == 0)
            return xstrdup(full);
    }
    return NULL;
}

bool text_init(const char *assets_dir)
{
    if (TTF_Init() < 0) {
        LOG("SDL_ttf: %s", TTF_GetError());
        return false;
    }
    font_path[FAM_LATIN][0] = find_font(assets_dir, "NotoSans-Regular.ttf", "DejaVuSans.ttf");
    font_path[FAM_LATIN][1] = find_font(assets_dir, "NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf");
    font_path[FAM_ARABIC][0] =
        find_font(assets_dir, "NotoSansArabic-Regular.ttf", "DejaVuSans.ttf");
    font_path[FAM_ARABIC][1] =
        find_font(assets_dir, "NotoSansArabic-Bold.ttf", "DejaVuSans-Bold.ttf");
    for (int f = 0; f < FAM_COUNT; f++)
        for (int b = 0; b < 2; b++)
            if (!font_path[f][b]) {
                LOG("no font found for %s%s", f ? "Arabic" : "Latin", b ? " bold" : "");
                return false;
            }
    return true;
}

void text_deinit(void)
{
    for (int i = 0; i < n_fonts; i++)
        TTF_CloseFont(fonts[i].font);
    n_fonts = 0;
    for (int f = 0; f < FAM_COUNT; f++)
        for (int b = 0; b < 2; b++) {
            free(font_path[f][b]);
            font_path[f][b] = NULL;
        }
    TTF_Quit();
}

static TTF_Font *get_font(enum family fam, bool bold, int size)
{
    for (int i = 0; i < n_fonts; i++)
        if (fonts[i].fam == fam && fonts[i].bold == bold && fonts[i].size == size)
            return fonts[i].font;
    TTF_Font *font = TTF_OpenFont(font_path[fam][bold], size);
    if (!font) {
        LOG("%s: %s", font_path[fam][bold], TTF_GetError());
        abort(); /* the fonts were there at start; a kiosk without text must restart */
    }
    /* No hinting: at kiosk sizes it looks the same, and loading a glyph
     * without the hinter costs a sixth. */
    TTF_SetFontHinting(font, TTF_HINTING_NONE);
    fonts_opened++;
    if (n_fonts == MAX_FONTS) {
        TTF_CloseFont(fonts[0].font);
        memmove(fonts, fonts + 1, sizeof fonts[0] * (MAX_FONTS - 1));
        n_fonts--;
    }
    fonts[n_fonts++] = (struct font_slot){fam, bold, size, font};
    return font;
}

/* ---- bidi ---- */

/* Bidi classes, reduced: strong left, strong right, numbers, neutral. */
enum dir { D_L, D_R, D_EN, D_N };


static bool is_arabic(uint32_t cp)
{
    return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
           (cp >= 0x08A0 && cp <= 0x08FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
           (cp >= 0xFE70 && cp <= 0xFEFF);
}

static enum dir classify(uint32_t cp)
{
    if ((cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9))
        return D_EN; /* Arabic-Indic digits: numbers read left to right */
    if (is_arabic(cp) || (cp >= 0x0590 && cp <= 0x05FF) || (cp >= 0xFB1D && cp <= 0xFB4F))
        return D_R;
    if (cp < 0x80) {
        if (cp >= '0' && cp <= '9')
            return D_EN;
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
            return D_L;
        return D_N;
    }
    if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
        (cp >= 0x3000 && cp <= 0x303F) || cp >= 0x1F000)
        return D_N;
    return D_L;
}

bool text_first_strong(const char *text, bool *strong)
{
    for (const char *p = text; *p;) {
        enum dir d = classify(utf8_next(&p));
        if (d == D_L || d == D_R) {
            *strong = true;
            return d == D_R;
        }
    }
    *strong = false;
    return false;
}

bool text_is_rtl(const char *text)
{
    for (const char *p = text; *p;) {
        enum dir d = classify(utf8_next(&p));
        if (d == D_L || d == D_R)
            return d == D_R;
    }
    return false;
}

static bool arabic_has(uint32_t cp)
{
    return TTF_GlyphIsProvided32(get_font(FAM_ARABIC, false, 16), cp) != 0;
}

struct run {
    size_t start, len; /* bytes in the line */
    enum dir dir;
    enum family fam;
    int level;
    int w;
};

#define MAX_RUNS 256

/* Splits line[0..n) into runs in visual order. Returns the count. */
static int bidi_runs(const char *line, size_t n, bool rtl, struct run *runs)
{
    /* Per character: its byte offset, resolved direction, family. */
    size_t cap = n + 1, count = 0;
    size_t *off = xmalloc(cap * sizeof *off);
    enum dir *dir = xmalloc(cap * sizeof *dir);
    enum family *fam = xmalloc(cap * sizeof *fam);
    for (const char *p = line; p < line + n;) {
        off[count] = (size_t)(p - line);
        uint32_t cp = utf8_next(&p);
        dir[count] = classify(cp);
        fam[count] = is_arabic(cp) ? FAM_ARABIC : FAM_LATIN;
        count++;
    }
    off[count] = n;
    enum dir base = rtl ? D_R : D_L;
    /* W4: one separator between two numbers joins them ("09:30", "3,5"). */
    for (size_t i = 1; i + 1 < count; i++) {
        char ch = line[off[i]];
        if (dir[i] == D_N && dir[i - 1] == D_EN && dir[i + 1] == D_EN &&
            off[i + 1] - off[i] == 1 && strchr(",.:/+-", ch))
            dir[i] = D_EN;
    }
    /* W7: a number after left-to-right text (or at the start of a
     * left-to-right paragraph) is part of it. */
    enum dir strong = base;
    for (size_t i = 0; i < count; i++) {
        if (dir[i] == D_L || dir[i] == D_R)
            strong = dir[i];
        else if (dir[i] == D_EN && strong == D_L)
            dir[i] = D_L;
    }
    /* N1, N2: neutrals between two of the same direction take it (numbers
     * count as right-to-left here), others take the paragraph's. */
    for (size_t i = 0; i < count;) {
        if (dir[i] != D_N) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < count && dir[j] == D_N)
            j++;
        enum dir before = i ? dir[i - 1] : base, after = j < count ? dir[j] : base;
        if (before == D_EN)
            before = D_R;
        if (after == D_EN)
            after = D_R;
        enum dir d = before == after ? before : base;
        for (size_t k = i; k < j; k++) {
            dir[k] = d;
            /* Spaces and marks take the font of their neighbour in the run,
             * when that font has them (Noto Sans Arabic lacks dashes). */
            enum family want = fam[k];
            if (i && dir[i - 1] == d)
                want = fam[i - 1];
            else if (j < count && dir[j] == d)
                want = fam[j];
            const char *q = line + off[k];
            if (want == FAM_LATIN || arabic_has(utf8_next(&q)))
                fam[k] = want;
        }
        i = j;
    }
    int nr = 0;
    for (size_t i = 0; i < count;) {
        size_t j = i + 1;
        while (j < count && dir[j] == dir[i] && fam[j] == fam[i])
            j++;
        if (nr == MAX_RUNS) { /* absurdly mixed text: the rest as one run */
            runs[nr - 1].len = n - runs[nr - 1].start;
            break;
        }
        runs[nr] = (struct run){off[i], off[j] - off[i], dir[i], fam[i], 0, 0};
        /* I1, I2: levels from the resolved class and the paragraph's. */
        runs[nr].level = dir[i] == D_R ? 1 : dir[i] == D_EN ? 2 : rtl ? 2 : 0;
        nr++;
        i = j;
    }
    free(off);
    free(dir);
    free(fam);
    /* Reverse every maximal sequence at or above each level, highest first. */
    int max = 0;
    for (int i = 0; i < nr; i++)
        max = runs[i].level > max ? runs[i].level : max;
    for (int lvl = max; lvl >= 1; lvl--)
        for (int i = 0; i < nr;) {
            if (runs[i].level < lvl) {
                i++;
                continue;
            }
            int j = i;
            while (j < nr && runs[j].level >= lvl)
                j++;
            for (int a = i, b = j - 1; a < b; a++, b--) {
                struct run t = runs[a];
                runs[a] = runs[b];
                runs[b] = t;
            }
            i = j;
        }
    return nr;
}

static bool has_cyrillic(const char *s, size_t n)
{
    for (const char *p = s; p < s + n;) {
        uint32_t cp = utf8_next(&p);
        if (cp >= 0x0400 && cp <= 0x04FF)
            return true;
    }
    return false;
}

static TTF_Font *run_font(const char *line, const struct run *r, const struct text_style *st)
{
    TTF_Font *font = get_font(r->fam, st->bold, st->size);
    TTF_SetFontDirection(font, r->dir == D_R ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(font, r->fam == FAM_ARABIC                       ? "Arab"
                                : has_cyrillic(line + r->start, r->len) ? "Cyrl"
                                                                         : "Latn");
    return font;
}

static int measure_run(const char *line, struct run *r, const struct text_style *st)
{
    char *piece = xstrndup(line + r->start, r->len);
    int w = 0, h = 0;
    if (*piece)
        TTF_SizeUTF8(run_font(line, r, st), piece, &w, &h);
    free(piece);
    r->w = w;
    return w;
}

static int measure(const char *s, size_t n, const struct text_style *st, bool rtl)
{
    struct run runs[MAX_RUNS];
    int nr = bidi_runs(s, n, rtl, runs), w = 0;
    for (int i = 0; i < nr; i++)
        w += measure_run(s, &runs[i], st);
    return w;
}

int text_width(const char *text, const struct text_style *st, bool rtl)
{
    return measure(text, strlen(text), st, rtl);
}

/* ---- line breaking ---- */

struct line {
    size_t start, len;
};

struct lines {
    struct line *v;
    size_t n, cap;
};

static void add_line(struct lines *ls, size_t start, size_t len)
{
    if (ls->n == ls->cap) {
        ls->cap = ls->cap ? ls->cap * 2 : 16;
        ls->v = xrealloc(ls->v, ls->cap * sizeof *ls->v);
    }
    ls->v[ls->n++] = (struct line){start, len};
}

static size_t utf8_next_len(const char *s)
{
    const char *p = s;
    utf8_next(&p);
    return (size_t)(p - s);
}

/* Breaks text[start..end), which is wider than wrap_w (> 0), into lines no
 * wider than that, measuring each candidate line whole (shaping joins and
 * kerning make a line wider than the sum of its words). A word wider than a
 * line is broken between characters. */
static void break_paragraph(const char *text, size_t start, size_t end, int wrap_w,
                            const struct text_style *st, bool rtl, struct lines *ls)
{
    size_t line_start = start, pos = start, line_end = start; /* line_end: after its last word */
    while (pos < end) {
        size_t word_end = pos;
        while (word_end < end && text[word_end] != ' ')
            word_end++;
        bool fits = measure(text + line_start, word_end - line_start, st, rtl) <= wrap_w;
        if (!fits && line_end > line_start) {
            add_line(ls, line_start, line_end - line_start);
            line_start = pos;
            fits = measure(text + pos, word_end - pos, st, rtl) <= wrap_w;
        }
        if (!fits) {
            /* A word longer than a line: as many characters as fit. */
            size_t p = line_start;
            while (p < word_end) {
                size_t q = p + utf8_next_len(text + p);
                while (q < word_end &&
                       measure(text + line_start, q + utf8_next_len(text + q) - line_start, st,
                               rtl) <= wrap_w)
                    q += utf8_next_len(text + q);
                if (q >= word_end)
                    break;
                add_line(ls, line_start, q - line_start);
                line_start = p = q;
            }
        }
        line_end = word_end;
        pos = word_end;
        while (pos < end && text[pos] == ' ')
            pos++;
    }
    add_line(ls, line_start, line_end - line_start);
}

static bool contains_arabic(const char *s)
{
    for (const char *p = s; *p;)
        if (is_arabic(utf8_next(&p)))
            return true;
    return false;
}

/* One line of a block: its runs in visual order, each shaped and rendered
 * once, and its width taken from the rendering. */
struct shaped {
    int n, w;
    struct run runs[MAX_RUNS];
    SDL_Surface *surf[MAX_RUNS];
};

static void shape_line(const char *line, size_t len, const struct text_style *st, bool rtl,
                       struct shaped *out)
{
    out->n = bidi_runs(line, len, rtl, out->runs);
    out->w = 0;
    for (int r = 0; r < out->n; r++) {
        struct run *run = &out->runs[r];
        char *piece = xstrndup(line + run->start, run->len);
        SDL_Surface *rs =
            *piece ? TTF_RenderUTF8_Blended(run_font(line, run, st), piece, st->color) : NULL;
        run->w = rs ? rs->w : 0;
        out->surf[r] = rs;
        out->w += run->w;
        free(piece);
    }
}

static void shaped_free(struct shaped *s)
{
    for (int r = 0; r < s->n; r++)
        SDL_FreeSurface(s->surf[r]);
    s->n = 0;
}

static struct shaped *shaped_room(struct shaped *sh, size_t *cap, size_t need)
{
    if (need <= *cap)
        return sh;
    *cap = need * 2;
    return xrealloc(sh, *cap * sizeof *sh);
}

/* The block for text: its size in *w, *h and *lines_out, and, when pixels,
 * its surface (NULL when empty). Without pixels every run is still shaped
 * and rendered, so fonts and glyphs get loaded (a dry frame). */
static SDL_Surface *render_block(const char *text, const struct text_style *st, int wrap_w,
                                 enum text_align align, bool rtl, bool pixels, int *w, int *h,
                                 int *lines_out)
{
    /* Lines, and each one shaped. A paragraph is first shaped whole: most
     * fit their box, and then that shaping is the line; only a paragraph
     * that does not fit is broken (measuring) and its lines shaped. */
    struct lines ls = {0};
    struct shaped *sh = NULL;
    size_t sh_cap = 0, n = strlen(text), p = 0;
    while (p <= n) {
        size_t e = p, first = ls.n;
        while (e < n && text[e] != '\n')
            e++;
        sh = shaped_room(sh, &sh_cap, first + 1);
        shape_line(text + p, e - p, st, rtl, &sh[first]);
        if (wrap_w <= 0 || e == p || sh[first].w <= wrap_w) {
            add_line(&ls, p, e - p);
        } else {
            shaped_free(&sh[first]);
            break_paragraph(text, p, e, wrap_w, st, rtl, &ls);
            sh = shaped_room(sh, &sh_cap, ls.n);
            for (size_t i = first; i < ls.n; i++)
                shape_line(text + ls.v[i].start, ls.v[i].len, st, rtl, &sh[i]);
        }
        p = e + 1;
    }
    bool arabic = contains_arabic(text);
    TTF_Font *latin = get_font(FAM_LATIN, st->bold, st->size);
    TTF_Font *arab = arabic ? get_font(FAM_ARABIC, st->bold, st->size) : NULL;
    int ascent = TTF_FontAscent(latin), skip = TTF_FontLineSkip(latin);
    if (arab) {
        int d_ascent = TTF_FontAscent(arab) - ascent;
        if (d_ascent > 0)
            ascent += d_ascent;
        skip = TTF_FontLineSkip(arab) > skip ? TTF_FontLineSkip(arab) : skip;
    }

    int block_w = 0;
    for (size_t i = 0; i < ls.n; i++)
        block_w = sh[i].w > block_w ? sh[i].w : block_w;
    *w = block_w;
    *h = block_w > 0 ? skip * (int)ls.n : 0;
    *lines_out = (int)ls.n;
    SDL_Surface *block = NULL;
    if (block_w > 0 && pixels) {
        block = SDL_CreateRGBSurfaceWithFormat(0, block_w, skip * (int)ls.n, 32,
                                               SDL_PIXELFORMAT_ARGB8888);
        if (!block)
            abort();
        SDL_FillRect(block, NULL, 0);
    }
    for (size_t i = 0; i < ls.n; i++) {
        int x;
        bool left = (align == ALIGN_START) != rtl;
        if (align == ALIGN_CENTER)
            x = (block_w - sh[i].w) / 2;
        else
            x = left ? 0 : block_w - sh[i].w;
        for (int r = 0; r < sh[i].n; r++) {
            struct run *run = &sh[i].runs[r];
            SDL_Surface *rs = sh[i].surf[r];
            if (rs && block) {
                TTF_Font *font = get_font(run->fam, st->bold, st->size);
                SDL_Rect dst = {x, (int)i * skip + ascent - TTF_FontAscent(font), rs->w, rs->h};
                SDL_SetSurfaceBlendMode(rs, SDL_BLENDMODE_NONE);
                SDL_BlitSurface(rs, NULL, block, &dst);
            }
            x += run->w;
        }
        shaped_free(&sh[i]);
    }
    free(sh);
    free(ls.v);
    return block;
}

/* ---- the cache ---- */

struct entry {
    char *key; /* style prefix + text */
    size_t text_off;
    uint64_t hash;
    struct text_block block;
    size_t bytes;
    struct entry *prev, *next; /* LRU: head is most recent */
    struct entry *hnext;
};

#define BUCKETS 1024

struct text_cache {
    SDL_Renderer *renderer;
    struct entry *buckets[BUCKETS];
    struct entry *head, *tail;
    size_t count, bytes, renders;
    struct buf key;
    bool dry;
    struct text_block dry_block;
};

void text_cache_set_dry(struct text_cache *c, bool dry)
{
    c->dry = dry;
}

struct text_cache *text_cache_create(SDL_Renderer *renderer)
{
    struct text_cache *c = xcalloc(1, sizeof *c);
    c->renderer = renderer;
    buf_init(&c->key);
    return c;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void lru_unlink(struct text_cache *c, struct entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_push(struct text_cache *c, struct entry *e)
{
    e->next = c->head;
    e->prev = NULL;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    if (!c->tail)
        c->tail = e;
}

static void drop(struct text_cache *c, struct entry *e)
{
    struct entry **pp = &c->buckets[e->hash % BUCKETS];
    while (*pp != e)
        pp = &(*pp)->hnext;
    *pp = e->hnext;
    lru_unlink(c, e);
    if (e->block.tex)
        SDL_DestroyTexture(e->block.tex);
    c->bytes -= e->bytes;
    c->count--;
    /* What a citizen typed must not linger in freed memory either. */
    memset(e->key, 0, strlen(e->key));
    free(e->key);
    free(e);
}

const struct text_block *text_cache_get(struct text_cache *c, const char *text,
                                        const struct text_style *st, int wrap_w,
                                        enum text_align align, bool rtl)
{
    buf_clear(&c->key);
    buf_printf(&c->key, "%d|%d|%02x%02x%02x%02x|%d|%d|%d|", st->size, st->bold, st->color.r,
               st->color.g, st->color.b, st->color.a, wrap_w, (int)align, rtl);
    size_t text_off = c->key.len;
    buf_puts(&c->key, text);
    uint64_t h = hash_bytes(c->key.data, c->key.len);
    for (struct entry *e = c->buckets[h % BUCKETS]; e; e = e->hnext)
        if (e->hash == h && strcmp(e->key, c->key.data) == 0) {
            lru_unlink(c, e);
            lru_push(c, e);
            return &e->block;
        }
    if (c->dry) {
        /* Fonts, shaping and glyphs get loaded; the pixels are not kept. */
        struct text_block *b = &c->dry_block;
        b->tex = NULL;
        render_block(text, st, wrap_w, align, rtl, false, &b->w, &b->h, &b->lines);
        return b;
    }
    struct entry *e = xcalloc(1, sizeof *e);
    e->key = xstrdup(c->key.data);
    e->text_off = text_off;
    e->hash = h;
    SDL_Surface *s = render_block(text, st, wrap_w, align, rtl, true, &e->block.w, &e->block.h,
                                  &e->block.lines);
    c->renders++;
    if (s) {
        e->block.tex = SDL_CreateTextureFromSurface(c->renderer, s);
        SDL_SetTextureBlendMode(e->block.tex, SDL_BLENDMODE_BLEND);
        e->bytes = (size_t)s->w * (size_t)s->h * 4;
        SDL_FreeSurface(s);
    }
    e->hnext = c->buckets[h % BUCKETS];
    c->buckets[h % BUCKETS] = e;
    lru_push(c, e);
    c->count++;
    c->bytes += e->bytes;
    /* Evict the least recent, never the one just made. */
    while ((c->count > TEXT_CACHE_ENTRIES || c->bytes > TEXT_CACHE_BYTES) && c->tail != e)
        drop(c, c->tail);
    return &e->block;
}

void text_cache_clear(struct text_cache *c)
{
    while (c->head)
        drop(c, c->head);
    if (c->key.data)
        memset(c->key.data, 0, c->key.cap);
    buf_clear(&c->key);
}

void text_cache_destroy(struct text_cache *c)
{
    if (!c)
        return;
    text_cache_clear(c);
    buf_free(&c->key);
    free(c);
}

bool text_cache_holds(const struct text_cache *c, const char *needle)
{
    for (const struct entry *e = c->head; e; e = e->next)
        if (strstr(e->key + e->text_off, needle))
            return true;
    return false;
}

size_t text_cache_count(const struct text_cache *c)
{
    return c->count;
}

size_t text_cache_renders(const struct text_cache *c)
{
    return c->renders;
}

void text_debug_order(const char *line, bool rtl, struct buf *out)
{
    struct run runs[MAX_RUNS];
    int nr = bidi_runs(line, strlen(line), rtl, runs);
    buf_clear(out);
    for (int i = 0; i < nr; i++) {
        if (i)
            buf_putc(out, '|');
        buf_put(out, line + runs[i].start, runs[i].len);
    }
}

/*
 * text.c — fonts per script, paragraphs, lines, runs and the rendered-text
 * cache; see text.h.
 *
 * A block is laid out paragraph by paragraph (split at '\n'):
 *   1. each character gets its bidi type and bracket type, and FriBiDi
 *      resolves the embedding levels of the whole paragraph (UAX #9 with
 *      bracket pairs, marks and isolates);
 *   2. each character gets a font family: letters by their script (Arabic
 *      letters Noto Sans Arabic, Ethiopic Noto Sans Ethiopic, the rest Noto
 *      Sans), then the first family that has the glyph; digits, spaces,
 *      signs and marks take their neighbour's family at the same level;
 *   3. a paragraph wider than the wrap width is broken at libunibreak's
 *      opportunities (UAX #14), measuring each candidate line whole, and a
 *      piece wider than a line between grapheme clusters (utf8proc);
 *   4. each line is reordered by FriBiDi (fribidi_reorder_line, rules L1
 *      and L2) and cut into runs of one level, family and script, which
 *      SDL2_ttf/HarfBuzz shapes in the run's direction (odd level: right
 *      to left, where HarfBuzz also mirrors brackets);
 *   5. runs are copied side by side onto the block's surface, on one
 *      baseline.
 * A block limited to n lines that does not fit keeps its first n - 1 lines
 * and, on the last, as much of the start as fits with "…" after it (see
 * cut_line).
 *
 * By hand, for want of a library: the script of a letter, from a few
 * Unicode block ranges (FriBiDi and utf8proc know no scripts, and the
 * HarfBuzz inside SDL2_ttf is not ours to call), only to pick its font
 * and the script tag HarfBuzz shapes with.
 */
#define _GNU_SOURCE
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL_ttf.h>
#include <fribidi.h>
#include <linebreak.h>
#include <utf8proc.h>

#include "util.h"

#define LOG(...) log_msg("text", __VA_ARGS__)

/* ---- fonts ---- */

enum family { FAM_LATIN, FAM_ARABIC, FAM_ETHIOPIC, FAM_COUNT };

static const struct {
    const char *what;
    const char *file[2], *fallback[2]; /* regular, bold; fallback in DejaVu */
    bool required;
} families[FAM_COUNT] = {
    {"Latin", {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf"},
     {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"}, true},
    {"Arabic", {"NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"},
     {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"}, true},
    {"Ethiopic", {"NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"}, {NULL, NULL},
     false},
};

static char *font_path[FAM_COUNT][2];
static TTF_Font *probe[FAM_COUNT][2]; /* for glyph coverage, regular and bold */

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
        if (i == 2 && !fallback)
            break;
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
    init_linebreak();
    for (int f = 0; f < FAM_COUNT; f++)
        for (int b = 0; b < 2; b++) {
            font_path[f][b] = find_font(assets_dir, families[f].file[b], families[f].fallback[b]);
            if (font_path[f][b])
                continue;
            LOG("no font found for %s%s%s", families[f].what, b ? " bold" : "",
                families[f].required ? "" : "; its letters will not show");
            if (families[f].required)
                return false;
        }
    return true;
}

void text_deinit(void)
{
    for (int i = 0; i < n_fonts; i++)
        TTF_CloseFont(fonts[i].font);
    n_fonts = 0;
    for (int f = 0; f < FAM_COUNT; f++) {
        for (int b = 0; b < 2; b++) {
            if (probe[f][b])
                TTF_CloseFont(probe[f][b]);
            probe[f][b] = NULL;
            free(font_path[f][b]);
            font_path[f][b] = NULL;
        }
    }
    TTF_Quit();
}

static TTF_Font *open_font(enum family fam, bool bold, int size)
{
    TTF_Font *font = TTF_OpenFont(font_path[fam][bold], size);
    if (!font) {
        LOG("%s: %s", font_path[fam][bold], TTF_GetError());
        abort(); /* the fonts were there at start; a kiosk without text must restart */
    }
    /* No hinting: at kiosk sizes it looks the same, and loading a glyph
     * without the hinter costs a sixth. */
    TTF_SetFontHinting(font, TTF_HINTING_NONE);
    fonts_opened++;
    return font;
}

static TTF_Font *get_font(enum family fam, bool bold, int size)
{
    for (int i = 0; i < n_fonts; i++)
        if (fonts[i].fam == fam && fonts[i].bold == bold && fonts[i].size == size)
            return fonts[i].font;
    TTF_Font *font = open_font(fam, bold, size);
    if (n_fonts == MAX_FONTS) {
        TTF_CloseFont(fonts[0].font);
        memmove(fonts, fonts + 1, sizeof fonts[0] * (MAX_FONTS - 1));
        n_fonts--;
    }
    fonts[n_fonts++] = (struct font_slot){fam, bold, size, font};
    return font;
}

/* Whether the family draws cp in both weights. */
static bool has_glyph(enum family fam, uint32_t cp)
{
    for (int b = 0; b < 2; b++) {
        if (!font_path[fam][b])
            return false;
        if (!probe[fam][b])
            probe[fam][b] = open_font(fam, b, 16);
        if (!TTF_GlyphIsProvided32(probe[fam][b], cp))
            return false;
    }
    return true;
}

/* Characters that draw nothing (controls, bidi marks, joiners, variation
 * selectors): HarfBuzz hides them, so no font needs a glyph for them. */
static bool invisible(uint32_t cp)
{
    const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
    return p->ignorable || p->category == UTF8PROC_CATEGORY_CC;
}

/* ---- scripts ---- */

enum script { SCR_COMMON, SCR_LATN, SCR_CYRL, SCR_GREK, SCR_ARAB, SCR_ETHI };

static const char *const script_tag[] = {"Latn", "Latn", "Cyrl", "Grek", "Arab", "Ethi"};

static bool in(uint32_t cp, uint32_t lo, uint32_t hi)
{
    return cp >= lo && cp <= hi;
}

/* The script of a letter (or of a character of a script's own block, such
 * as Arabic digits and punctuation); SCR_COMMON for digits, spaces, signs
 * and combining marks, which follow their neighbours. */
static enum script script_of(uint32_t cp, FriBidiCharType type)
{
    if (in(cp, 0x0600, 0x06FF) || in(cp, 0x0750, 0x077F) || in(cp, 0x08A0, 0x08FF) ||
        in(cp, 0xFB50, 0xFDFF) || in(cp, 0xFE70, 0xFEFE))
        return SCR_ARAB;
    if (in(cp, 0x1200, 0x139F) || in(cp, 0x2D80, 0x2DDF) || in(cp, 0xAB00, 0xAB2F) ||
        in(cp, 0x1E7E0, 0x1E7FF))
        return SCR_ETHI;
    if (!FRIBIDI_IS_LETTER(type))
        return SCR_COMMON;
    if (in(cp, 0x0370, 0x03FF) || in(cp, 0x1F00, 0x1FFF))
        return SCR_GREK;
    if (in(cp, 0x0400, 0x052F) || in(cp, 0x1C80, 0x1C8F) || in(cp, 0x2DE0, 0x2DFF) ||
        in(cp, 0xA640, 0xA69F))
        return SCR_CYRL;
    return SCR_LATN;
}

static enum family script_family(enum script s)
{
    return s == SCR_ARAB ? FAM_ARABIC : s == SCR_ETHI ? FAM_ETHIOPIC : FAM_LATIN;
}

/* The first family that can draw cp, trying want first; want when none. */
static enum family family_for(uint32_t cp, enum family want)
{
    if (invisible(cp) || has_glyph(want, cp))
        return want;
    for (int f = 0; f < FAM_COUNT; f++)
        if (has_glyph((enum family)f, cp))
            return (enum family)f;
    return want;
}

/* ---- paragraphs ---- */

/* One paragraph analysed: its characters with bidi levels (for the whole
 * paragraph), font family, script and line-break opportunities. Owns a copy
 * of its text. */
struct para {
    char *text;
    size_t base; /* where it starts in the block's text */
    size_t kept; /* bytes of the block's text in it (fewer when cut) */
    int n;
    uint32_t *cp;
    size_t *off; /* n + 1 byte offsets */
    FriBidiCharType *type;
    FriBidiLevel *level;
    unsigned char *fam, *scr;
    char *brk;  /* brk[i]: LINEBREAK_* after character i */
    bool *gb;   /* gb[i]: a grapheme cluster starts at i (made when needed) */
    FriBidiParType dir;
};

static void para_init(struct para *p, const char *text, size_t bytes, size_t base, bool rtl)
{
    memset(p, 0, sizeof *p);
    p->text = xstrndup(text, bytes);
    p->kept = bytes;
    p->base = base;
    size_t cap = bytes + 1;
    p->cp = xmalloc(cap * sizeof *p->cp);
    p->off = xmalloc(cap * sizeof *p->off);
    for (const char *s = p->text, *end = p->text + bytes; s < end;) {
        p->off[p->n] = (size_t)(s - p->text);
        p->cp[p->n++] = utf8_next(&s);
        if (s > end) /* a sequence cut short by the end */
            s = end;
    }
    p->off[p->n] = bytes;
    int n = p->n;
    p->type = xmalloc((size_t)(n + 1) * sizeof *p->type);
    p->level = xmalloc((size_t)(n + 1) * sizeof *p->level);
    p->fam = xmalloc((size_t)n + 1);
    p->scr = xmalloc((size_t)n + 1);
    p->brk = xmalloc((size_t)n + 1);
    p->dir = rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    if (!n)
        return;
    FriBidiBracketType *bt = xmalloc((size_t)n * sizeof *bt);
    fribidi_get_bidi_types(p->cp, n, p->type);
    fribidi_get_bracket_types(p->cp, n, p->type, bt);
    if (!fribidi_get_par_embedding_levels_ex(p->type, bt, n, &p->dir, p->level))
        abort(); /* FriBiDi fails only when out of memory */
    free(bt);
    set_linebreaks_utf32((const utf32_t *)p->cp, (size_t)n, NULL, p->brk);

    /* Letters first, then the rest from their neighbours at their level
     * (a space between two Arabic words is shaped with them; digits in
     * Arabic text are at another level and keep Noto Sans). */
    for (int i = 0; i < n; i++) {
        p->scr[i] = (unsigned char)script_of(p->cp[i], p->type[i]);
        if (p->scr[i] != SCR_COMMON)
            p->fam[i] = (unsigned char)family_for(p->cp[i], script_family(p->scr[i]));
    }
    for (int i = 0; i < n; i++) {
        if (script_of(p->cp[i], p->type[i]) != SCR_COMMON)
            continue;
        int from = -1;
        if (i > 0 && p->level[i - 1] == p->level[i])
            from = i - 1;
        if (from < 0 || family_for(p->cp[i], p->fam[from]) != p->fam[from]) {
            int j = i + 1;
            while (j < n && p->level[j] == p->level[i] && p->scr[j] == SCR_COMMON)
                j++;
            from = j < n && p->level[j] == p->level[i] ? j : -1;
        }
        if (from >= 0 && family_for(p->cp[i], p->fam[from]) == p->fam[from]) {
            p->fam[i] = p->fam[from];
            p->scr[i] = p->scr[from] != SCR_COMMON ? p->scr[from] : SCR_LATN;
        } else {
            p->fam[i] = (unsigned char)family_for(p->cp[i], FAM_LATIN);
            p->scr[i] = p->fam[i] == FAM_ARABIC     ? SCR_ARAB
                        : p->fam[i] == FAM_ETHIOPIC ? SCR_ETHI
                                                    : SCR_LATN;
        }
    }
}

static void para_free(struct para *p)
{
    free(p->text);
    free(p->cp);
    free(p->off);
    free(p->type);
    free(p->level);
    free(p->fam);
    free(p->scr);
    free(p->brk);
    free(p->gb);
    memset(p, 0, sizeof *p);
}

static bool cluster_start(struct para *p, int i)
{
    if (i <= 0 || i >= p->n)
        return true;
    if (!p->gb) {
        p->gb = xmalloc((size_t)p->n * sizeof *p->gb);
        utf8proc_int32_t state = 0;
        p->gb[0] = true;
        for (int k = 1; k < p->n; k++)
            p->gb[k] = utf8proc_grapheme_break_stateful((utf8proc_int32_t)p->cp[k - 1],
                                                        (utf8proc_int32_t)p->cp[k], &state);
    }
    return p->gb[i];
}

/* A line may break before character i (0 < i <= n). */
static bool break_before(const struct para *p, int i)
{
    return i >= p->n || p->brk[i - 1] == LINEBREAK_ALLOWBREAK ||
           p->brk[i - 1] == LINEBREAK_MUSTBREAK;
}

static bool is_space(const struct para *p, int i)
{
    return p->type[i] == FRIBIDI_TYPE_WS;
}

/* ---- runs ---- */

/* Characters [a, b) of a paragraph at one level, in one family and script,
 * shaped as one piece. */
struct run {
    int a, b;
    FriBidiLevel level;
    unsigned char fam, scr;
    int w;
    SDL_Surface *surf;
};

/* The runs of line [a, b) of p in visual order (left to right), into
 * *runs (grown as needed). Returns the count. */
static int line_runs(const struct para *p, int a, int b, struct run **runs, int *cap)
{
    int len = b - a;
    if (len <= 0)
        return 0;
    FriBidiLevel *lv = xmalloc((size_t)len * sizeof *lv);
    FriBidiStrIndex *map = xmalloc((size_t)len * sizeof *map);
    memcpy(lv, p->level + a, (size_t)len * sizeof *lv);
    for (int i = 0; i < len; i++)
        map[i] = i;
    /* Levels of the line: trailing white space and marks at the
     * paragraph's level (L1), then the visual order (L2). */
    if (!fribidi_reorder_line(0, p->type + a, len, 0, p->dir, lv, NULL, map))
        abort();
    if (*cap < len) {
        *cap = len;
        *runs = xrealloc(*runs, (size_t)len * sizeof **runs);
    }
    int nr = 0;
    for (int v = 0; v < len;) {
        int l = map[v], step = FRIBIDI_LEVEL_IS_RTL(lv[l]) ? -1 : 1, w = v + 1;
        while (w < len && map[w] == map[w - 1] + step && lv[map[w]] == lv[l] &&
               p->fam[a + map[w]] == p->fam[a + l] && p->scr[a + map[w]] == p->scr[a + l])
            w++;
        int lo = step > 0 ? l : map[w - 1], hi = step > 0 ? map[w - 1] : l;
        (*runs)[nr++] = (struct run){a + lo, a + hi + 1, lv[l], p->fam[a + l], p->scr[a + l], 0,
                                     NULL};
        v = w;
    }
    free(lv);
    free(map);
    return nr;
}

static TTF_Font *run_font(const struct run *r, const struct text_style *st)
{
    TTF_Font *font = get_font((enum family)r->fam, st->bold, st->size);
    TTF_SetFontDirection(font,
                         FRIBIDI_LEVEL_IS_RTL(r->level) ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(font, script_tag[r->scr]);
    return font;
}

/* Shapes run r of p: its width, and when render, its pixels. The text is
 * cut off in place for SDL2_ttf and restored. */
static void shape_run(struct para *p, struct run *r, const struct text_style *st, bool render)
{
    char *end = p->text + p->off[r->b], saved = *end;
    *end = '\0';
    const char *piece = p->text + p->off[r->a];
    r->w = 0;
    r->surf = NULL;
    if (render) {
        r->surf = TTF_RenderUTF8_Blended(run_font(r, st), piece, st->color);
        r->w = r->surf ? r->surf->w : 0;
    } else {
        int h = 0;
        TTF_SizeUTF8(run_font(r, st), piece, &r->w, &h);
    }
    *end = saved;
}

/* The width of line [a, b) of p, shaped but not rasterised. */
static int measure(struct para *p, int a, int b, const struct text_style *st)
{
    struct run *runs = NULL;
    int cap = 0, nr = line_runs(p, a, b, &runs, &cap), w = 0;
    for (int i = 0; i < nr; i++) {
        shape_run(p, &runs[i], st, false);
        w += runs[i].w;
    }
    free(runs);
    return w;
}

/* ---- lines ---- */

/* A line of a block: characters [a, b) of paragraph para, its runs in
 * visual order (each shaped once) and its width. */
struct line {
    int para, a, b;
    int n_runs, w;
    struct run *runs;
};

struct layout {
    struct para *paras;
    int n_paras, cap_paras;
    struct line *lines;
    int n, cap;
    bool cut, split;
};

static struct line *add_line(struct layout *L, int para, int a, int b)
{
    if (L->n == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 8;
        L->lines = xrealloc(L->lines, (size_t)L->cap * sizeof *L->lines);
    }
    struct line *ln = &L->lines[L->n++];
    *ln = (struct line){para, a, b, 0, 0, NULL};
    return ln;
}

static void shape_line(struct layout *L, struct line *ln, const struct text_style *st)
{
    struct para *p = &L->paras[ln->para];
    int cap = 0;
    ln->n_runs = line_runs(p, ln->a, ln->b, &ln->runs, &cap);
    ln->w = 0;
    for (int i = 0; i < ln->n_runs; i++) {
        shape_run(p, &ln->runs[i], st, true);
        ln->w += ln->runs[i].w;
    }
}

static void line_free(struct line *ln)
{
    for (int i = 0; i < ln->n_runs; i++)
        SDL_FreeSurface(ln->runs[i].surf);
    free(ln->runs);
    ln->runs = NULL;
    ln->n_runs = 0;
}

/* Line [a, b) without the white space it ends with. */
static int trim_end(const struct para *p, int a, int b)
{
    while (b > a && is_space(p, b - 1))
        b--;
    return b;
}

/* The furthest grapheme cluster boundary k in (a, b] for which
 * width(p, a, k) <= w, or the first one when none is. Widths grow with k
 * (but for shaping: what is returned was measured). */
static int fit_clusters(struct para *p, int a, int b, int w, const struct text_style *st,
                        int (*width)(struct para *, int, int, const struct text_style *))
{
    int *k = xmalloc((size_t)(b - a + 1) * sizeof *k), n = 0;
    for (int i = a + 1; i <= b; i++)
        if (cluster_start(p, i))
            k[n++] = i;
    int lo = 0, hi = n - 1; /* k[lo] is the answer unless a later one fits */
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (width(p, a, k[mid], st) <= w)
            lo = mid;
        else
            hi = mid - 1;
    }
    int g = n ? k[lo] : b;
    free(k);
    return g;
}

/* Breaks paragraph pi, wider than wrap_w (> 0), into lines: each as many
 * pieces between break opportunities as fit, measured whole (shaping joins
 * and kerns); a piece wider than a line is broken between grapheme
 * clusters. Stops after limit lines (0: none). */
static void break_para(struct layout *L, int pi, int wrap_w, int limit,
                       const struct text_style *st)
{
    struct para *p = &L->paras[pi];
    int s = 0, made = 0;
    while (s < p->n && (!limit || made < limit)) {
        int best = -1;
        for (int e = s + 1; e <= p->n; e++) {
            if (!break_before(p, e))
                continue;
            int t = e < p->n ? trim_end(p, s, e) : e;
            if (t > s && measure(p, s, t, st) > wrap_w)
                break;
            best = e;
            if (e < p->n && p->brk[e - 1] == LINEBREAK_MUSTBREAK)
                break;
        }
        if (best < 0) {
            /* The piece up to the next opportunity is wider than a line. */
            int e = s + 1;
            while (!break_before(p, e))
                e++;
            int g = fit_clusters(p, s, trim_end(p, s, e), wrap_w, st, measure);
            add_line(L, pi, s, g);
            L->split = true;
            s = g;
        } else {
            add_line(L, pi, s, best < p->n ? trim_end(p, s, best) : best);
            s = best;
        }
        made++;
    }
}

/* ---- cutting with an ellipsis ---- */

#define ELLIPSIS "\xE2\x80\xA6"

/* Paragraph p cut after character k (its line starting at s): its text up
 * to k, less the white space that ends the line, then "…" and a mark of the
 * direction of the text's first letter, so that the "…" stays at the end of
 * what it cuts short: right of a Danish title even in a right-to-left
 * paragraph, left of an Arabic one. Analysed as a paragraph of its own. */
static void cut_para(const struct para *p, int s, int k, struct para *out)
{
    int t = trim_end(p, s, k);
    bool rtl = p->dir == FRIBIDI_PAR_RTL, text_rtl = rtl;
    for (int i = 0; i < p->n; i++)
        if (p->type[i] == FRIBIDI_TYPE_LTR || FRIBIDI_IS_RTL_LETTER(p->type[i])) {
            text_rtl = FRIBIDI_IS_RTL_LETTER(p->type[i]);
            break;
        }
    struct buf b;
    buf_init(&b);
    buf_put(&b, p->text, p->off[t]);
    buf_puts(&b, ELLIPSIS);
    buf_puts(&b, text_rtl ? "\xE2\x80\x8F" : "\xE2\x80\x8E"); /* RLM : LRM */
    para_init(out, b.data, b.len, p->base, rtl);
    out->kept = p->off[t];
    buf_free(&b);
}

/* How wide p's line from s is when cut after character k. */
static int cut_width(struct para *p, int s, int k, const struct text_style *st)
{
    struct para q;
    cut_para(p, s, k, &q);
    int w = measure(&q, s, q.n, st);
    para_free(&q);
    return w;
}

/* Replaces the block's last line by the rest of its paragraph cut to fit
 * wrap_w with "…": at a break opportunity when that keeps two thirds of
 * the line, else between grapheme clusters. The cut is before character
 * hi (the end of the line after it: that one did not fit). Shapes every
 * line of the paragraph. */
static void cut_line(struct layout *L, int wrap_w, int hi, const struct text_style *st)
{
    struct line *ln = &L->lines[L->n - 1];
    int pi = ln->para, s = ln->a;
    struct para *p = &L->paras[pi];
    line_free(ln);
    int k = fit_clusters(p, s, hi, wrap_w, st, cut_width);
    if (k > s && cut_width(p, s, k, st) > wrap_w)
        k = s; /* not even one cluster: "…" alone */
    for (int o = k; o > s; o--)
        if (break_before(p, o) && trim_end(p, s, o) > s) {
            if (o < k && 3 * cut_width(p, s, o, st) >= 2 * wrap_w)
                k = o;
            break;
        }
    /* The cut paragraph replaces the whole one: the characters before k
     * are the same, so the earlier lines' indices still hold (their levels
     * are taken anew, as the paragraph is now another text). */
    struct para old = *p;
    cut_para(&old, s, k, p);
    para_free(&old);
    for (int i = 0; i < L->n - 1; i++)
        if (L->lines[i].para == pi) {
            line_free(&L->lines[i]);
            shape_line(L, &L->lines[i], st);
        }
    ln->a = s;
    ln->b = p->n;
    shape_line(L, ln, st);
    L->cut = true;
}

/* ---- blocks ---- */

static int add_para(struct layout *L, const char *text, size_t bytes, size_t base, bool rtl)
{
    if (L->n_paras == L->cap_paras) {
        L->cap_paras = L->cap_paras ? L->cap_paras * 2 : 4;
        L->paras = xrealloc(L->paras, (size_t)L->cap_paras * sizeof *L->paras);
    }
    para_init(&L->paras[L->n_paras], text, bytes, base, rtl);
    return L->n_paras++;
}

/* Lays out text (see text_cache_get_lines), every line shaped and
 * rendered. A paragraph is first shaped whole: most fit their box, and
 * then that shaping is the line; only one that does not fit is broken
 * (measuring) and its lines shaped. */
static void layout(struct layout *L, const char *text, const struct text_style *st, int wrap_w,
                   int max_lines, bool rtl)
{
    memset(L, 0, sizeof *L);
    if (wrap_w <= 0)
        max_lines = 0;
    size_t n = strlen(text), pos = 0;
    while (pos <= n) {
        size_t e = pos;
        while (e < n && text[e] != '\n')
            e++;
        int pi = add_para(L, text + pos, e - pos, pos, rtl);
        struct para *p = &L->paras[pi];
        int first = L->n;
        struct line *ln = add_line(L, pi, 0, p->n);
        shape_line(L, ln, st);
        bool broken = wrap_w > 0 && p->n && ln->w > wrap_w;
        if (broken) {
            line_free(ln);
            L->n--;
            break_para(L, pi, wrap_w, max_lines ? max_lines - first + 1 : 0, st);
        }
        bool more = e < n || L->lines[L->n - 1].b < p->n;
        bool cut = max_lines && L->n >= max_lines && (L->n > max_lines || more);
        if (cut) {
            int hi = L->n > max_lines && L->lines[max_lines].para == pi ? L->lines[max_lines].b
                                                                        : p->n;
            L->n = max_lines; /* the line after the last one: never shaped */
            cut_line(L, wrap_w, hi, st);
        } else if (broken) {
            for (int i = first; i < L->n; i++)
                shape_line(L, &L->lines[i], st);
        }
        if (cut)
            break;
        pos = e + 1;
    }
}

static void layout_free(struct layout *L)
{
    for (int i = 0; i < L->n; i++)
        line_free(&L->lines[i]);
    for (int i = 0; i < L->n_paras; i++)
        para_free(&L->paras[i]);
    free(L->lines);
    free(L->paras);
}

/* The block for text: its size and line count in *b, and, when pixels,
 * its surface (NULL when empty). Without pixels every run is still shaped
 * and rendered, so fonts and glyphs get loaded (a dry frame). */
static SDL_Surface *render_block(const char *text, const struct text_style *st, int wrap_w,
                                 int max_lines, enum text_align align, bool rtl, bool pixels,
                                 struct text_block *b)
{
    struct layout L;
    layout(&L, text, st, wrap_w, max_lines, rtl);
    /* One line height for the block: the tallest of the fonts it uses
     * (Noto Sans always, so a line keeps its height across languages). */
    bool used[FAM_COUNT] = {true};
    for (int i = 0; i < L.n_paras; i++)
        for (int k = 0; k < L.paras[i].n; k++)
            used[L.paras[i].fam[k]] = true;
    int ascent = 0, skip = 0;
    for (int f = 0; f < FAM_COUNT; f++)
        if (used[f]) {
            TTF_Font *font = get_font((enum family)f, st->bold, st->size);
            ascent = TTF_FontAscent(font) > ascent ? TTF_FontAscent(font) : ascent;
            skip = TTF_FontLineSkip(font) > skip ? TTF_FontLineSkip(font) : skip;
        }

    int block_w = 0;
    for (int i = 0; i < L.n; i++)
        block_w = L.lines[i].w > block_w ? L.lines[i].w : block_w;
    b->w = block_w;
    b->h = block_w > 0 ? skip * L.n : 0;
    b->lines = L.n;
    b->cut = L.cut;
    b->split = L.split;
    SDL_Surface *block = NULL;
    if (block_w > 0 && pixels) {
        block = SDL_CreateRGBSurfaceWithFormat(0, block_w, skip * L.n, 32,
                                               SDL_PIXELFORMAT_ARGB8888);
        if (!block)
            abort();
        SDL_FillRect(block, NULL, 0);
    }
    for (int i = 0; block && i < L.n; i++) {
        struct line *ln = &L.lines[i];
        bool left = (align == ALIGN_START) != rtl;
        int x = align == ALIGN_CENTER ? (block_w - ln->w) / 2 : left ? 0 : block_w - ln->w;
        for (int r = 0; r < ln->n_runs; r++) {
            struct run *run = &ln->runs[r];
            if (run->surf) {
                TTF_Font *font = get_font((enum family)run->fam, st->bold, st->size);
                SDL_Rect dst = {x, i * skip + ascent - TTF_FontAscent(font), run->surf->w,
                                run->surf->h};
                SDL_SetSurfaceBlendMode(run->surf, SDL_BLENDMODE_NONE);
                SDL_BlitSurface(run->surf, NULL, block, &dst);
            }
            x += run->w;
        }
    }
    layout_free(&L);
    return block;
}

int text_width(const char *text, const struct text_style *st, bool rtl)
{
    int w = 0;
    size_t n = strlen(text), pos = 0;
    while (pos <= n) {
        size_t e = pos;
        while (e < n && text[e] != '\n')
            e++;
        struct para p;
        para_init(&p, text + pos, e - pos, pos, rtl);
        int pw = measure(&p, 0, p.n, st);
        w = pw > w ? pw : w;
        para_free(&p);
        pos = e + 1;
    }
    return w;
}

/* ---- direction of a text ---- */

/* Rules P2 and P3 of UAX #9: the first strong letter outside isolates. */
bool text_first_strong(const char *text, bool *strong)
{
    int isolates = 0;
    for (const char *s = text; *s;) {
        FriBidiCharType t = fribidi_get_bidi_type(utf8_next(&s));
        if (FRIBIDI_IS_ISOLATE(t) && t != FRIBIDI_TYPE_PDI)
            isolates++;
        else if (t == FRIBIDI_TYPE_PDI && isolates)
            isolates--;
        else if (!isolates && (t == FRIBIDI_TYPE_LTR || FRIBIDI_IS_RTL_LETTER(t))) {
            *strong = true;
            return FRIBIDI_IS_RTL_LETTER(t);
        }
    }
    *strong = false;
    return false;
}

bool text_is_rtl(const char *text)
{
    bool strong;
    return text_first_strong(text, &strong);
}

int text_missing_glyphs(const char *text, struct buf *report)
{
    int missing = 0;
    for (const char *s = text; *s;) {
        uint32_t cp = utf8_next(&s);
        if (invisible(cp))
            continue;
        bool drawn = false;
        for (int f = 0; f < FAM_COUNT && !drawn; f++)
            drawn = has_glyph((enum family)f, cp);
        if (!drawn) {
            if (report)
                buf_printf(report, "%sU+%04X", missing ? " " : "", (unsigned)cp);
            missing++;
        }
    }
    return missing;
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

const struct text_block *text_cache_get_lines(struct text_cache *c, const char *text,
                                              const struct text_style *st, int wrap_w,
                                              int max_lines, enum text_align align, bool rtl)
{
    buf_clear(&c->key);
    buf_printf(&c->key, "%d|%d|%02x%02x%02x%02x|%d|%d|%d|%d|", st->size, st->bold, st->color.r,
               st->color.g, st->color.b, st->color.a, wrap_w, max_lines, (int)align, rtl);
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
        *b = (struct text_block){0};
        render_block(text, st, wrap_w, max_lines, align, rtl, false, b);
        return b;
    }
    struct entry *e = xcalloc(1, sizeof *e);
    e->key = xstrdup(c->key.data);
    e->text_off = text_off;
    e->hash = h;
    SDL_Surface *s = render_block(text, st, wrap_w, max_lines, align, rtl, true, &e->block);
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

const struct text_block *text_cache_get(struct text_cache *c, const char *text,
                                        const struct text_style *st, int wrap_w,
                                        enum text_align align, bool rtl)
{
    return text_cache_get_lines(c, text, st, wrap_w, 0, align, rtl);
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

/* ---- for tests ---- */

static void put_runs(const struct para *p, const struct run *runs, int nr, bool marks,
                     struct buf *out)
{
    for (int i = 0; i < nr; i++) {
        if (i)
            buf_putc(out, '|');
        if (marks && FRIBIDI_LEVEL_IS_RTL(runs[i].level))
            buf_putc(out, '<');
        buf_put(out, p->text + p->off[runs[i].a], p->off[runs[i].b] - p->off[runs[i].a]);
    }
}

void text_debug_order(const char *line, bool rtl, struct buf *out)
{
    struct para p;
    para_init(&p, line, strlen(line), 0, rtl);
    struct run *runs = NULL;
    int cap = 0, nr = line_runs(&p, 0, p.n, &runs, &cap);
    buf_clear(out);
    put_runs(&p, runs, nr, false, out);
    free(runs);
    para_free(&p);
}

void text_debug_layout(const char *text, const struct text_style *st, int wrap_w, int max_lines,
                       bool rtl, struct buf *out)
{
    struct layout L;
    layout(&L, text, st, wrap_w, max_lines, rtl);
    buf_clear(out);
    for (int i = 0; i < L.n; i++) {
        const struct line *ln = &L.lines[i];
        const struct para *p = &L.paras[ln->para];
        size_t end = p->off[ln->b] < p->kept ? p->off[ln->b] : p->kept;
        buf_printf(out, "%zu %zu\t", p->base + p->off[ln->a], p->base + end);
        put_runs(p, ln->runs, ln->n_runs, true, out);
        buf_putc(out, '\n');
    }
    layout_free(&L);
}

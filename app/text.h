/*
 * text.h — text on screen: fonts per script, bidi, line breaking, shaping,
 * cutting with "…", and a bounded cache of rendered text as textures.
 *
 * The stack, all libraries but the glue:
 *   - FriBiDi: the Unicode Bidirectional Algorithm (UAX #9) over whole
 *     paragraphs, with bracket pairs, explicit marks and isolates; each
 *     line is then reordered by it;
 *   - libunibreak: where lines may break (UAX #14: after spaces, after '-'
 *     and '/' in "SOSU-assistentelev/praktikant", never inside a word);
 *     utf8proc: grapheme clusters, for breaking a word wider than a line
 *     and for cutting with "…";
 *   - SDL2_ttf with HarfBuzz: shaping each run (one level, one font, one
 *     script) in its direction, which also mirrors brackets in right to
 *     left runs;
 *   - fonts per script with fallback: Noto Sans (Latin, Cyrillic, Greek),
 *     Noto Sans Arabic (Arabic and Persian), Noto Sans Ethiopic (Tigrinya);
 *     each character in the first of them that has its glyph.
 *
 * Rendered blocks are cached by (text, size, weight, colour, wrap width,
 * line limit, alignment, direction) in an LRU of at most TEXT_CACHE_ENTRIES
 * entries and TEXT_CACHE_BYTES of pixels, so a still screen rasterises
 * nothing.
 *
 * Caveats: one cache per renderer; textures die with text_cache_clear().
 * A soft hyphen chosen as a break shows no hyphen.
 */
#ifndef SKRANKE_TEXT_H
#define SKRANKE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#define TEXT_CACHE_ENTRIES 512
#define TEXT_CACHE_BYTES (16u << 20)

enum text_align { ALIGN_START, ALIGN_CENTER, ALIGN_END };

struct text_style {
    int size;  /* pixels */
    bool bold;
    SDL_Color color;
};

struct text_block {
    SDL_Texture *tex; /* NULL for empty text */
    int w, h;
    int lines;
    bool cut;   /* cut short, ending with "…" (text_cache_get_lines) */
    bool split; /* a word wider than the line was broken inside */
};

struct text_cache;

/* Loads the fonts, from assets_dir/fonts first, then the system. Returns
 * false (after logging) when no Latin or Arabic font was found; without
 * the Ethiopic one (logged) its letters count as missing glyphs. */
bool text_init(const char *assets_dir);
void text_deinit(void);

struct text_cache *text_cache_create(SDL_Renderer *renderer);
void text_cache_destroy(struct text_cache *c);

/* The rendered block for text, wrapped at wrap_w pixels (0: no wrapping;
 * '\n' always breaks). rtl is the paragraph direction; align is relative to
 * it (ALIGN_START is the right edge in right-to-left). The block is owned by
 * the cache: valid until the next text_cache_get or text_cache_clear. */
const struct text_block *text_cache_get(struct text_cache *c, const char *text,
                                        const struct text_style *st, int wrap_w,
                                        enum text_align align, bool rtl);
/* Like text_cache_get, in at most max_lines lines (0: any number; only
 * with wrap_w > 0). Text that does not fit keeps its first lines and, on
 * the last, as much of its start as fits with "…" after it, at a break
 * opportunity when that keeps most of the line, else between grapheme
 * clusters; the "…" follows the direction of the text's first letter
 * (right of a Danish title, left of an Arabic one, whatever rtl says). */
const struct text_block *text_cache_get_lines(struct text_cache *c, const char *text,
                                              const struct text_style *st, int wrap_w,
                                              int max_lines, enum text_align align, bool rtl);
/* The width of text as one line, without rasterising it. */
int text_width(const char *text, const struct text_style *st, bool rtl);
/* Dry: a text not in the cache is rendered (its fonts, shaping and glyphs
 * loaded) and measured, but not kept; the block has no texture. For
 * getting screens ready without holding their pixels. */
void text_cache_set_dry(struct text_cache *c, bool dry);
/* Forgets every rendered text (privacy reset). */
void text_cache_clear(struct text_cache *c);
/* For tests: whether any cached entry's text contains needle. */
bool text_cache_holds(const struct text_cache *c, const char *needle);
size_t text_cache_count(const struct text_cache *c);
/* For tests and benchmarks: how many blocks were rasterised so far. */
size_t text_cache_renders(const struct text_cache *c);
/* For tests and benchmarks: how many fonts (face and size) were opened. */
size_t text_fonts_opened(void);

/* True when text holds a right-to-left letter (to pick a paragraph
 * direction for text of unknown language, such as a job ad). */
bool text_is_rtl(const char *text);
/* The direction of text's first letter (true: right to left); *strong is
 * false when it has no letter at all (digits and signs only). */
bool text_first_strong(const char *text, bool *strong);

struct buf;
/* How many characters of text no font of the kiosk draws in regular and
 * bold alike (invisible ones, such as marks and joiners, need none); each
 * listed in report (when not NULL) as "U+XXXX", separated by spaces. */
int text_missing_glyphs(const char *text, struct buf *report);

/* For tests: the runs of one line in visual order (left to right),
 * separated by '|', each in reading order. */
void text_debug_order(const char *line, bool rtl, struct buf *out);
/* For tests: the layout of text_cache_get_lines, one line of out per line:
 * "START END<tab>RUN|RUN|…" with START and END the bytes of text on it
 * (END before the "…" of a cut line, and before white space the break
 * dropped), the runs in visual order, each in reading order, a run drawn
 * right to left marked by a leading '<'. */
void text_debug_layout(const char *text, const struct text_style *st, int wrap_w, int max_lines,
                       bool rtl, struct buf *out);

#endif

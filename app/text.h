/*
 * text.h — text on screen: fonts, shaping, right-to-left, wrapping, and a
 * bounded cache of rendered text as textures.
 *
 * Text is shaped by SDL2_ttf with HarfBuzz. SDL2_ttf does no bidi, so each
 * line is split into runs of one direction and one font (Arabic script in
 * Noto Sans Arabic, everything else in Noto Sans), the runs are ordered
 * visually (a simplified Unicode bidi algorithm: strong letters, numbers as
 * left-to-right, neutrals resolved from their neighbours or the paragraph's
 * direction), and each run is shaped in its own direction.
 *
 * Rendered blocks are cached by (text, size, weight, colour, wrap width,
 * alignment, direction) in an LRU of at most TEXT_CACHE_ENTRIES entries and
 * TEXT_CACHE_BYTES of pixels, so a still screen rasterises nothing.
 *
 * Caveats: one cache per renderer; textures die with text_cache_clear().
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
};

struct text_cache;

/* Loads the fonts, from assets_dir/fonts first, then the system. Returns
 * false (after logging) when no usable font was found. */
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

/* For tests: the runs of one line in visual order (left to right),
 * separated by '|'. */
struct buf;
void text_debug_order(const char *line, bool rtl, struct buf *out);

#endif

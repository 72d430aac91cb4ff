/*
 * test_text.c — the text engine: the rendered-text cache (each text
 * rasterised once, bounded, wiped on a privacy reset), line wrapping, the
 * visual order of mixed right-to-left and left-to-right text, the
 * contrast of every text/background pair of the palette, and round shapes
 * (painted once, anti-aliased, symmetric).
 *
 * Widgets keep their text inside (buttons shrink, then cut with "…"; one
 * line titles are cut with "…"), PIN dots are discs. The glyphs: every
 * text of every language file has a font that draws it, and Tigrinya and
 * Persian render. Runs headless (text_fixture.h).
 */
#include "test.h"

#include <math.h>
#include <stdint.h>

#include <SDL.h>
#include <utf8proc.h>

#include "i18n.h"
#include "text.h"
#include "text_fixture.h"
#include "ui/ui.h"
#include "util.h"

static struct text_cache *tc;

static const struct text_block *get(const char *text, int size, bool bold, SDL_Color c, int wrap,
                                    enum text_align align, bool rtl)
{
    struct text_style st = {size, bold, c};
    return text_cache_get(tc, text, &st, wrap, align, rtl);
}

/* ---- the cache ---- */

static void test_cache_renders_once(void)
{
    text_cache_clear(tc);
    SDL_Color black = {0, 0, 0, 255}, red = {200, 0, 0, 255};
    size_t r0 = text_cache_renders(tc);
    const struct text_block *b = get("Velkommen", 40, true, black, 0, ALIGN_START, false);
    CHECK(b && b->tex && b->w > 0 && b->h > 0 && b->lines == 1);
    CHECK(text_cache_renders(tc) == r0 + 1);
    CHECK(text_cache_count(tc) == 1);
    int w = b->w, h = b->h;

    /* The same key again: no rasterising, the same block. */
    b = get("Velkommen", 40, true, black, 0, ALIGN_START, false);
    CHECK(text_cache_renders(tc) == r0 + 1);
    CHECK(text_cache_count(tc) == 1);
    CHECK(b->w == w && b->h == h);

    /* Every part of the style is part of the key. */
    get("Velkommen", 40, true, red, 0, ALIGN_START, false);
    CHECK(text_cache_renders(tc) == r0 + 2);
    const struct text_block *small = get("Velkommen", 20, true, black, 0, ALIGN_START, false);
    CHECK(text_cache_renders(tc) == r0 + 3);
    CHECK(small->w < w && small->h < h);
    get("Velkommen", 40, false, black, 0, ALIGN_START, false);
    CHECK(text_cache_renders(tc) == r0 + 4);
    get("Velkommen", 40, true, black, 500, ALIGN_START, false);
    CHECK(text_cache_renders(tc) == r0 + 5);
    get("Velkommen", 40, true, black, 0, ALIGN_CENTER, false);
    CHECK(text_cache_renders(tc) == r0 + 6);
    get("Velkommen", 40, true, black, 0, ALIGN_START, true);
    CHECK(text_cache_renders(tc) == r0 + 7);
    CHECK(text_cache_count(tc) == 7);

    /* And all of them are still there: asking again renders nothing. */
    get("Velkommen", 40, true, red, 0, ALIGN_START, false);
    get("Velkommen", 20, true, black, 0, ALIGN_START, false);
    get("Velkommen", 40, true, black, 500, ALIGN_START, false);
    CHECK(text_cache_renders(tc) == r0 + 7);
}

static void test_cache_bounded_lru(void)
{
    text_cache_clear(tc);
    SDL_Color black = {0, 0, 0, 255};
    char text[64];
    bool bounded = true;
    get("<keep>", 16, false, black, 0, ALIGN_START, false);
    for (int i = 0; i < TEXT_CACHE_ENTRIES + 200; i++) {
        snprintf(text, sizeof text, "<item %d>", i);
        get(text, 16, false, black, 0, ALIGN_START, false);
        /* Used again and again: the least recently used go first, never it. */
        get("<keep>", 16, false, black, 0, ALIGN_START, false);
        bounded = bounded && text_cache_count(tc) <= TEXT_CACHE_ENTRIES;
    }
    CHECK(bounded);
    CHECK(text_cache_count(tc) == TEXT_CACHE_ENTRIES);
    CHECK(text_cache_holds(tc, "<keep>"));
    CHECK(!text_cache_holds(tc, "<item 0>"));
    CHECK(!text_cache_holds(tc, "<item 200>"));
    snprintf(text, sizeof text, "<item %d>", TEXT_CACHE_ENTRIES + 199);
    CHECK(text_cache_holds(tc, text));
    snprintf(text, sizeof text, "<item %d>", 202);
    CHECK(text_cache_holds(tc, text));
}

static void test_cache_clear(void)
{
    SDL_Color black = {0, 0, 0, 255};
    /* What a citizen typed, shown on screen: held until the reset. */
    const char *typed = "Mette Kirstine Hansen";
    get(typed, 32, false, black, 0, ALIGN_START, false);
    CHECK(text_cache_holds(tc, "Kirstine"));
    CHECK(text_cache_count(tc) > 0);
    size_t r = text_cache_renders(tc);
    text_cache_clear(tc);
    CHECK(text_cache_count(tc) == 0);
    CHECK(!text_cache_holds(tc, "Kirstine"));
    CHECK(!text_cache_holds(tc, "<keep>"));
    /* Asked for again, it is rasterised anew. */
    get(typed, 32, false, black, 0, ALIGN_START, false);
    CHECK(text_cache_renders(tc) == r + 1);
    text_cache_clear(tc);
    CHECK(!text_cache_holds(tc, "Kirstine"));
}

/* ---- wrapping ---- */

static void test_wrap(void)
{
    text_cache_clear(tc);
    SDL_Color black = {0, 0, 0, 255};
    const char *da = "Du kan tjekke ind til din aftale, tage et nummer til køen eller se ledige "
                     "job i nærheden af jobcentret i Slagelse.";
    const struct text_block *wide = get(da, 32, false, black, 1600, ALIGN_START, false);
    int wide_lines = wide->lines;
    CHECK(wide_lines >= 1 && wide->w <= 1600);
    const struct text_block *narrow = get(da, 32, false, black, 300, ALIGN_START, false);
    CHECK(narrow->lines > wide_lines);
    CHECK(narrow->lines >= 4);
    CHECK(narrow->w <= 300);
    CHECK(narrow->h > wide->h);

    /* Never wider than the wrap width, at any width, in every script. */
    const char *texts[] = {
        da,
        "I have an appointment, a class, or want a queue number; jobs nearby – take them with "
        "you on your phone.",
        "У мене зустріч, заняття, або я хочу номер у черзі. Робота поруч – збережіть її на "
        "телефон.",
        "عندي موعد أو درس، أو أريد رقم انتظار. وظائف قريبة منك – خذها معك على هاتفك.",
        "Mødet er kl. 10:30 med Anne – موعدك الساعة 10:30 مع Anne في الطابق 2.",
    };
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
        for (int rtl = 0; rtl < 2; rtl++) {
            int worst = 0, worst_wrap = 0, worst_w = 0, over = 0, tried = 0;
            for (int wrap = 120; wrap <= 900; wrap += 39, tried++) {
                const struct text_block *b =
                    get(texts[t], 28, t % 2 == 0, black, wrap, ALIGN_CENTER, rtl);
                if (b->w > wrap) {
                    over++;
                    if (b->w - wrap > worst)
                        worst = b->w - wrap, worst_wrap = wrap, worst_w = b->w;
                }
            }
            if (over) {
                test_failed++;
                fprintf(stderr,
                        "%s:%d: text %zu in a %s paragraph is wider than its wrap width at %d "
                        "of %d widths; worst: wrapped at %d it is %d wide\n",
                        __FILE__, __LINE__, t, rtl ? "rtl" : "ltr", over, tried, worst_wrap,
                        worst_w);
            } else {
                test_passed++;
            }
        }

    /* A word longer than the line is broken between characters. */
    const char *word = "Arbejdsmarkedsuddannelsescentervejledningsordningerne";
    const struct text_block *one = get(word, 40, true, black, 0, ALIGN_START, false);
    CHECK(one->lines == 1 && one->w > 400);
    const struct text_block *broken = get(word, 40, true, black, 200, ALIGN_START, false);
    CHECK(broken->lines >= 3);
    if (broken->w > 200)
        fprintf(stderr, "%s:%d: a long word wrapped at 200 is %d wide\n", __FILE__, __LINE__,
                broken->w);
    CHECK(broken->w <= 200);
    const struct text_block *mixed =
        get("Se Arbejdsmarkedsuddannelsescentervejledningsordningerne her", 40, false, black, 250,
            ALIGN_START, false);
    CHECK(mixed->lines >= 4);
    CHECK(mixed->w <= 250);

    /* '\n' always breaks; empty text is nothing. */
    const struct text_block *two = get("Tjek ind\nCheck in", 30, false, black, 0, ALIGN_START, false);
    CHECK(two->lines == 2);
    const struct text_block *none = get("", 30, false, black, 0, ALIGN_START, false);
    CHECK(none->tex == NULL && none->w == 0);
}

/* ---- bidi: visual order ---- */

static uint32_t decode(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    uint32_t cp;
    int n;
    if (s[0] < 0x80)
        cp = s[0], n = 1;
    else if ((s[0] & 0xE0) == 0xC0)
        cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F), n = 2;
    else if ((s[0] & 0xF0) == 0xE0)
        cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F), n = 3;
    else
        cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
             (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F),
        n = 4;
    *p += n;
    return cp;
}

/* A right-to-left letter (Arabic and Hebrew letters; not Arabic-Indic digits,
 * which are numbers and read left to right). */
static bool strong_rtl(uint32_t cp)
{
    if ((cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9))
        return false;
    return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
           (cp >= 0xFE70 && cp <= 0xFEFF);
}

/* What a person sees, left to right: the runs of text_debug_order's
 * "run|run|…" in that order, a run holding right-to-left letters drawn
 * right to left (SDL2_ttf shapes such a run in RTL), others left to right.
 * How the engine splits runs (by font, say) does not change the result. */
static void visual(const char *runs, struct buf *out)
{
    buf_clear(out);
    const char *p = runs;
    while (1) {
        const char *end = strchr(p, '|');
        if (!end)
            end = p + strlen(p);
        uint32_t cps[512];
        int n = 0;
        bool rtl = false;
        for (const char *q = p; q < end && n < 512;) {
            cps[n] = decode(&q);
            rtl = rtl || strong_rtl(cps[n]);
            n++;
        }
        for (int i = 0; i < n; i++) {
            uint32_t cp = cps[rtl ? n - 1 - i : i];
            char u[5] = {0};
            utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)u);
            buf_puts(out, u);
        }
        if (!*end)
            break;
        p = end + 1;
    }
}

/* line in a paragraph of direction rtl must look like `expected`, written
 * as text_debug_order writes it: runs left to right on screen, each run's
 * text in reading (logical) order. */
static void check_order(int lineno, const char *line, bool rtl, const char *expected)
{
    struct buf got, want_v, got_v;
    buf_init(&got);
    buf_init(&want_v);
    buf_init(&got_v);
    text_debug_order(line, rtl, &got);
    visual(expected, &want_v);
    visual(got.data, &got_v);
    if (strcmp(want_v.data, got_v.data) == 0) {
        test_passed++;
    } else {
        test_failed++;
        fprintf(stderr,
                "%s:%d: bidi order of \"%s\" in a %s paragraph\n"
                "    expected runs (left to right): [%s]\n"
                "    got:                           [%s]\n",
                __FILE__, lineno, line, rtl ? "right-to-left" : "left-to-right", expected,
                got.data);
    }
    buf_free(&got);
    buf_free(&want_v);
    buf_free(&got_v);
}

#define ORDER(line, rtl, expected) check_order(__LINE__, line, rtl, expected)

static void test_bidi(void)
{
    /*
     * Expected orders by the Unicode bidi algorithm (UAX #9), paragraph
     * level 1 for right-to-left, 0 for left-to-right:
     *   W2  European digits after an Arabic letter become Arabic numbers;
     *   W4  one ':' between two numbers of the same type joins them;
     *   W7  digits after a left-to-right letter (or at the start of a
     *       left-to-right paragraph) become left-to-right;
     *   N1  neutrals between two strong types of one direction take it,
     *       numbers counting as right-to-left;
     *   N2  other neutrals take the paragraph's direction;
     *   I1, I2  levels: R at 1, L at 2 in RTL; R and numbers at 1/2 in LTR;
     *   L2  reverse every sequence at or above each level, highest first.
     */

    /* Right-to-left paragraphs. */
    /* Pure Arabic: one run. */
    ORDER("هل تحتاج إلى وقت أطول؟", true, "هل تحتاج إلى وقت أطول؟");
    /* A Latin name with a time: W7 makes the digits L, N1 the spaces and
     * the colon between L and L; one left-to-right run at level 2. */
    ORDER("Anne 10:30", true, "Anne 10:30");
    /* The clock alone: W4 joins 10:41 into one number (10:41, not 41:10). */
    ORDER("10:41", true, "10:41");
    /* Arabic + time + Arabic + Latin name:
     * logical  [موعدك ]R [10:30]AN [ مع ]R [Anne]L ; on screen, left to
     * right: Anne, then " مع ", the time (read 10:30), then "موعدك". */
    ORDER("موعدك 10:30 مع Anne", true, "Anne| مع |10:30|موعدك ");
    /* The idle prompt's body: the number stays in place in the sentence. */
    ORDER("ستبدأ الشاشة من جديد بعد 15 ثانية.", true, " ثانية.|15|ستبدأ الشاشة من جديد بعد ");
    /* A number first: it is read first, so it is at the right. */
    ORDER("4 أسئلة قصيرة عن محادثتك", true, " أسئلة قصيرة عن محادثتك|4");
    /* N2 at the end: '!' between L and the paragraph end takes R, so it
     * stands at the left end, after "Anne" in reading order. */
    ORDER("مرحبا Anne!", true, "!|Anne|مرحبا ");
    /* W7 in RTL: the digits after a Latin word join it. */
    ORDER("مرحبا Anne 12", true, "Anne 12|مرحبا ");
    /* A Latin-only line in an RTL paragraph reads left to right. */
    ORDER("Jobcenter Slagelse", true, "Jobcenter Slagelse");
    /* Arabic-Indic digits with a colon: W4 again, one number. */
    ORDER("الساعة ١٠:٣٠", true, "١٠:٣٠|الساعة ");
    /* N0: a bracket pair around Latin after a Latin word takes its
     * direction, so "(Senior)" stays whole beside "Java" (a per-line
     * neighbour rule sent the ")" to the far side). */
    ORDER("وظيفة Java (Senior) في Aarhus", true, "Aarhus| في |Java (Senior)|وظيفة ");
    /* N0 with Arabic inside: the pair takes the direction of the text
     * before it, left to right after "word", right to left after "قل". */
    ORDER("The word (مرحبا) means hello", false, "The word (|مرحبا|) means hello");
    ORDER("قل (مرحبا) ok", false, "قل (مرحبا)| ok");
    /* An isolate (FSI … PDI) keeps "Anne 12" whole inside the Arabic; the
     * marks themselves stand with the Arabic around them. */
    ORDER("مرحبا \xE2\x81\xA8" "Anne 12\xE2\x81\xA9 بك", true,
          "\xE2\x81\xA9 بك|Anne 12|مرحبا \xE2\x81\xA8");

    /* Left-to-right paragraphs. */
    ORDER("Hello", false, "Hello");
    /* A Latin sentence with an Arabic phrase inside: the phrase (two words,
     * the space between them R by N1) reads right to left in its place. */
    ORDER("Please say مرحبا بك to everyone", false, "Please say |مرحبا بك| to everyone");
    /* Digits after Arabic in LTR: W2 makes them AN (level 2), the space
     * between R and AN is R (N1); so the number stands left of the word. */
    ORDER("Room مرحبا 12", false, "Room |12|مرحبا ");
    /* Digits among Latin: all L (W7). */
    ORDER("Ring 70 12 34 56 i dag", false, "Ring 70 12 34 56 i dag");
    /* An Arabic word first in LTR: the space between R and L is L (N2). */
    ORDER("مرحبا Anne", false, "مرحبا| Anne");
    /* Digits at the start of an LTR paragraph: W7 (sos is L). */
    ORDER("12 مرحبا", false, "12 |مرحبا");

    /* text_is_rtl: the first strong letter decides; digits do not. */
    CHECK(text_is_rtl("مرحبا Anne"));
    CHECK(!text_is_rtl("Anne مرحبا"));
    CHECK(text_is_rtl("12 مرحبا"));
    CHECK(!text_is_rtl("10:30"));
    CHECK(!text_is_rtl(""));
}

/* ---- contrast (WCAG 2.1) ---- */

static double channel(Uint8 v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(SDL_Color c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

static double contrast(SDL_Color a, SDL_Color b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

static void test_contrast(void)
{
    /* Sanity of the formula: black on white is 21:1, equal colours 1:1. */
    CHECK(fabs(contrast((SDL_Color){0, 0, 0, 255}, (SDL_Color){255, 255, 255, 255}) - 21.0) <
          0.01);
    CHECK(fabs(contrast(UI_BG, UI_BG) - 1.0) < 1e-9);
    struct {
        const char *what;
        SDL_Color fg, bg;
    } pairs[] = {
        {"UI_TEXT on UI_BG", UI_TEXT, UI_BG},
        {"UI_TEXT on UI_SURFACE", UI_TEXT, UI_SURFACE},
        {"UI_ON_PRIMARY on UI_PRIMARY", UI_ON_PRIMARY, UI_PRIMARY},
        {"UI_ON_PRIMARY on UI_PRESSED", UI_ON_PRIMARY, UI_PRESSED},
        {"UI_MUTED on UI_BG", UI_MUTED, UI_BG},
        {"UI_WARN_TEXT on UI_WARN_BG", UI_WARN_TEXT, UI_WARN_BG},
        {"UI_MUTED on UI_SURFACE", UI_MUTED, UI_SURFACE},
        /* The pressed shades of secondary and quiet buttons (ui_button.c). */
        {"UI_TEXT on a pressed secondary button", UI_TEXT, (SDL_Color){0xDD, 0xE6, 0xF0, 255}},
        {"UI_TEXT on a pressed quiet button", UI_TEXT, (SDL_Color){0xE4, 0xE0, 0xD6, 255}},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        double r = contrast(pairs[i].fg, pairs[i].bg);
        if (r >= 4.5) {
            test_passed++;
        } else {
            test_failed++;
            fprintf(stderr, "%s:%d: %s has contrast %.2f:1, below 4.5:1\n", __FILE__, __LINE__,
                    pairs[i].what, r);
        }
    }
}

/* ---- round shapes ---- */

static SDL_Renderer *renderer;

static uint32_t pixel_at(int x, int y)
{
    uint32_t px = 0;
    SDL_Rect r = {x, y, 1, 1};
    SDL_RenderReadPixels(renderer, &r, SDL_PIXELFORMAT_ARGB8888, &px, 4);
    return px & 0xFFFFFF;
}

static void clear_to(SDL_Color c)
{
    SDL_SetRenderDrawColor(renderer, c.r, c.g, c.b, 255);
    SDL_RenderClear(renderer);
}

static void test_shapes(void)
{
    struct ui ui;
    ui_init(&ui, renderer, tc, 640, 480, 21.5f);
    SDL_Color bg = {0xF4, 0xF1, 0xEA, 255}, blue = {0x0B, 0x4F, 0x8A, 255};
    uint32_t BG = 0xF4F1EA, BLUE = 0x0B4F8A;

    /* A rounded rectangle: its corners are painted once (one disc for all
     * four) and copied after that. */
    clear_to(bg);
    size_t p0 = ui_shapes_painted(&ui);
    struct rect r = {10, 10, 100, 60};
    ui_round_rect(&ui, r, 20, blue);
    CHECK(ui_shapes_painted(&ui) == p0 + 1);
    ui_round_rect(&ui, (struct rect){200, 100, 80, 80}, 20, blue);
    CHECK(ui_shapes_painted(&ui) == p0 + 1); /* same radius and colour, elsewhere */
    ui_round_rect(&ui, (struct rect){300, 300, 80, 80}, 20, bg);
    CHECK(ui_shapes_painted(&ui) == p0 + 2); /* another colour is another shape */

    /* Outside the corner the ground shows; inside and along the edges the
     * colour; on the curve, pixels in between (anti-aliased). */
    CHECK(pixel_at(10, 10) == BG && pixel_at(109, 10) == BG && pixel_at(10, 69) == BG &&
          pixel_at(109, 69) == BG);
    CHECK(pixel_at(30, 30) == BLUE && pixel_at(10, 40) == BLUE && pixel_at(60, 10) == BLUE &&
          pixel_at(109, 40) == BLUE && pixel_at(60, 69) == BLUE);
    int between = 0;
    for (int x = 10; x < 30; x++) {
        uint32_t p = pixel_at(x, 11);
        between += p != BG && p != BLUE;
    }
    CHECK(between >= 1);
    /* The four corners mirror each other exactly. */
    bool mirrored = true;
    for (int j = 0; j < 20; j++)
        for (int i = 0; i < 20; i++) {
            uint32_t tl = pixel_at(10 + i, 10 + j);
            mirrored &= tl == pixel_at(109 - i, 10 + j) && tl == pixel_at(10 + i, 69 - j) &&
                        tl == pixel_at(109 - i, 69 - j);
        }
    CHECK(mirrored);

    /* A circle keeps its place inside a pixel: moved by whole pixels it
     * is the same texture, moved by half a pixel it is painted anew. */
    clear_to(bg);
    size_t p1 = ui_shapes_painted(&ui);
    ui_circle(&ui, 100.5f, 100.25f, 12.0f, blue);
    ui_circle(&ui, 150.5f, 100.25f, 12.0f, blue);
    CHECK(ui_shapes_painted(&ui) == p1 + 1);
    bool same = true;
    for (int j = -14; j <= 14; j++)
        for (int i = -14; i <= 14; i++)
            same &= pixel_at(100 + i, 100 + j) == pixel_at(150 + i, 100 + j);
    CHECK(same);
    CHECK(pixel_at(100, 100) == BLUE && pixel_at(100, 86) == BG && pixel_at(113, 100) != BLUE);
    ui_circle(&ui, 200.0f, 100.25f, 12.0f, blue);
    CHECK(ui_shapes_painted(&ui) == p1 + 2);

    /* A dry frame draws nothing, keeps the widgets on screen for hit
     * testing, and prepares a button's pressed look: the first touch then
     * paints nothing new. Without it, the touch does. */
    clear_to(bg);
    ui_begin(&ui);
    ui_button(&ui, "b.real", (struct rect){20, 300, 200, 80}, "OK", NULL, BTN_PRIMARY);
    size_t widgets = ui.n;
    ui_dry_begin(&ui);
    ui_button(&ui, "b.dry", (struct rect){300, 300, 200, 80}, "Videre", NULL, BTN_PRIMARY);
    ui_dry_end(&ui);
    CHECK(ui.n == widgets && ui_find(&ui, "b.real") && !ui_find(&ui, "b.dry"));
    CHECK(pixel_at(400, 340) == BG);
    size_t p2 = ui_shapes_painted(&ui);
    ui.pressing = true;
    snprintf(ui.pressed, sizeof ui.pressed, "b.dry");
    ui_button(&ui, "b.dry", (struct rect){300, 300, 200, 80}, "Videre", NULL, BTN_PRIMARY);
    CHECK(ui_shapes_painted(&ui) == p2);
    snprintf(ui.pressed, sizeof ui.pressed, "b.quiet");
    ui_button(&ui, "b.quiet", (struct rect){300, 400, 200, 60}, "Tilbage", NULL, BTN_QUIET);
    CHECK(ui_shapes_painted(&ui) > p2); /* never prepared: painted at the touch */
    ui.pressing = false;
    ui_deinit(&ui);
}

/* ---- widgets keep their text inside ---- */

/* Pixels outside r (within a margin m around it) that are not bg. */
static int spill(struct rect r, int m, uint32_t bg)
{
    int n = 0;
    for (int y = r.y - m; y < r.y + r.h + m; y++)
        for (int x = r.x - m; x < r.x + r.w + m; x++) {
            bool inside = x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
            if (!inside && x >= 0 && y >= 0 && x < 640 && y < 480)
                n += pixel_at(x, y) != bg;
        }
    return n;
}

static void test_widgets_fit(void)
{
    struct ui ui;
    ui_init(&ui, renderer, tc, 640, 480, 21.5f);
    SDL_Color bg = {0xF4, 0xF1, 0xEA, 255};
    uint32_t BG = 0xF4F1EA;
    const char *long_uk = "Зареєструватися на консультацію до кар'єрного радника";
    const char *word_uk = "Найрізноманітніших";
    for (int rtl = 0; rtl < 2; rtl++) {
        ui.rtl = rtl;
        /* A button: its label shrinks, then is cut; nothing leaves it. */
        struct rect b = {40, 40, 160, 60};
        clear_to(bg);
        ui_begin(&ui);
        clear_to(bg);
        ui_button(&ui, "b.long", b, long_uk, NULL, BTN_SECONDARY);
        CHECK(spill(b, 30, BG) == 0);
        clear_to(bg);
        ui_button(&ui, "b.word", b, word_uk, NULL, BTN_PRIMARY);
        CHECK(spill(b, 30, BG) == 0);
        clear_to(bg);
        ui_button(&ui, "b.sub", (struct rect){40, 40, 200, 90}, long_uk, long_uk, BTN_PRIMARY);
        CHECK(spill((struct rect){40, 40, 200, 90}, 30, BG) == 0);
        /* Still the whole label for expect-text and the script driver. */
        CHECK(ui_has_text(&ui, long_uk));
        /* A one-line text wider than its box is cut, not spilled, in both
         * directions (a job title in the list); a wrapped, centred one
         * keeps to its box's height. */
        clear_to(bg);
        struct rect t = {300, 100, 220, 40};
        SDL_Color black = {0, 0, 0, 255};
        struct text_style st = {ui_px(&ui, 3.2f), true, black};
        const char *title = "Social- og sundhedsassistent til hjemmeplejen";
        ui_text(&ui, NULL, t, title, &st, ALIGN_START, false, true);
        /* What was drawn is the title cut with "…" (asked again: no render). */
        size_t renders = text_cache_renders(tc);
        const struct text_block *cut =
            text_cache_get_lines(tc, title, &st, t.w, 1, ALIGN_START, rtl);
        CHECK(cut->cut && cut->w <= t.w && text_cache_renders(tc) == renders);
        ui_content_text(&ui, NULL, (struct rect){300, 200, 220, 40},
                        "وظيفة Java (Senior) في Aarhus مع فريق التطوير", &st, ALIGN_START, false,
                        true);
        ui_text(&ui, NULL, (struct rect){300, 300, 220, 70}, long_uk, &st, ALIGN_CENTER, true,
                true);
        CHECK(spill(t, 30, BG) == 0);
        CHECK(spill((struct rect){300, 200, 220, 40}, 30, BG) == 0);
        CHECK(spill((struct rect){300, 300, 220, 70}, 30, BG) == 0);
    }
    ui.rtl = false;
    /* PIN dots are discs, not missing-glyph boxes: solid at their centres,
     * ground between them. */
    clear_to(bg);
    ui_pin_dots(&ui, "pin", (struct rect){0, 400, 640, 60}, 4);
    float d = (float)ui_px(&ui, 2.6f), gap = (float)ui_px(&ui, 2.2f);
    float x0 = (640 - 4 * d - 3 * gap) / 2;
    int solid = 0;
    for (int i = 0; i < 4; i++)
        solid += pixel_at((int)(x0 + (float)i * (d + gap) + d / 2), 430) != BG;
    CHECK(solid == 4);
    CHECK(pixel_at((int)(x0 + d + gap / 2), 430) == BG);
    CHECK(pixel_at((int)(x0 - gap), 430) == BG);
    ui_deinit(&ui);
}

/* ---- glyphs: every text of every language has a font ---- */

/* Pixels of the block for text that are not the white ground. */
static int ink(const char *text, int size, bool rtl, const struct text_block **out)
{
    SDL_Color black = {0, 0, 0, 255};
    const struct text_block *b = get(text, size, false, black, 0, ALIGN_START, rtl);
    *out = b;
    if (!b->tex || b->w > 640 || b->h > 480)
        return 0;
    SDL_SetRenderDrawColor(renderer, 255, 255, 255, 255);
    SDL_RenderClear(renderer);
    SDL_RenderCopy(renderer, b->tex, NULL, &(SDL_Rect){0, 0, b->w, b->h});
    uint32_t *px = xmalloc((size_t)b->w * (size_t)b->h * 4);
    SDL_RenderReadPixels(renderer, &(SDL_Rect){0, 0, b->w, b->h}, SDL_PIXELFORMAT_ARGB8888, px,
                         b->w * 4);
    int n = 0;
    for (int i = 0; i < b->w * b->h; i++)
        n += (px[i] & 0xFFFFFF) != 0xFFFFFF;
    free(px);
    return n;
}

static void test_glyphs(void)
{
    /* Every value of every key of every language file. */
    CHECK(i18n_load(SKRANKE_ASSETS_DIR));
    struct buf report;
    buf_init(&report);
    int texts = 0, missing = 0;
    for (int l = 0; l < i18n_count(); l++) {
        const char *code = i18n_code(l), *key, *value;
        for (size_t k = 0; (key = i18n_key_at(code, k, &value)); k++) {
            texts++;
            buf_clear(&report);
            if (text_missing_glyphs(value, &report)) {
                missing++;
                fprintf(stderr, "%s:%d: %s.txt, %s: no font of the kiosk draws %s\n", __FILE__,
                        __LINE__, code, key, report.data);
            }
        }
    }
    CHECK(i18n_count() >= 4 && texts > 4 * 50);
    CHECK(missing == 0);
    i18n_unload();

    /* The scripts and signs the translations use, each with a font. */
    static const char *const samples[] = {
        "Zażółć gęślą jaźń — „Dzień dobry”", /* Polish */
        "Fadlan geli lambarkaaga: 10:30", /* Somali */
        "Ґанок, їжак, п’ять, м'ята, ʼєднання «так»", /* Ukrainian */
        "لطفاً شماره‌ی خود را وارد کنید؛ پژوهش، گچ، ۱۲۳۴۵۶۷۸۹۰", /* Persian, with ZWNJ */
        "ሰላም! ናብ ማእከል ስራሕ እንቋዕ ብደሓን መጻእኩም። ቍጽሪ ፩፪፫", /* Tigrinya */
        "مرحباً بكم، رقمكم ٤٢ — الساعة ١٠:٣٠؟", /* Arabic */
        "Æblegrød på øen ‒ 1½ t. à 30 kr. • …", /* Danish and signs */
    };
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        buf_clear(&report);
        if (text_missing_glyphs(samples[i], &report)) {
            test_failed++;
            fprintf(stderr, "%s:%d: \"%s\": no font draws %s\n", __FILE__, __LINE__, samples[i],
                    report.data);
        } else {
            test_passed++;
        }
    }
    /* The check can fail: a private-use character and a Chinese one. */
    buf_clear(&report);
    CHECK(text_missing_glyphs("A\xEE\x80\x80 \xE4\xB8\xAD", &report) == 2);
    CHECK_STR(report.data, "U+E000 U+4E2D");
    buf_free(&report);

    /* Tigrinya and Persian render: ink, one line, the Persian letters
     * joined (the word narrower than its letters apart). */
    text_cache_clear(tc);
    const struct text_block *b;
    CHECK(ink("ሰላም! ናብ ማእከል ስራሕ እንቋዕ ብደሓን መጻእኩም።", 32, false, &b) > 500);
    CHECK(b->lines == 1 && b->w > 300);
    CHECK(ink("لطفاً شماره‌ی خود را وارد کنید", 32, true, &b) > 500);
    CHECK(b->lines == 1 && b->w > 200);
    int joined = ink("پژوهش", 32, true, &b) ? b->w : 0, apart = 0;
    const char *letters[] = {"پ", "ژ", "و", "ه", "ش"};
    for (int i = 0; i < 5; i++)
        apart += ink(letters[i], 32, true, &b) ? b->w : 0;
    CHECK(joined > 0 && joined < apart);
}

int main(void)
{
    struct text_fixture fx;
    if (!text_fixture_open(&fx, 640, 480))
        return 2;
    tc = fx.tc;
    renderer = fx.ren;

    test_cache_renders_once();
    test_cache_bounded_lru();
    test_cache_clear();
    test_wrap();
    test_bidi();
    test_contrast();
    test_shapes();
    test_widgets_fit();
    test_glyphs();

    text_fixture_close(&fx);
    TEST_END();
}

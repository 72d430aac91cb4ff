/*
 * test_bidi.c — the hard cases of the text layout, checked against the
 * libraries' own answers: mixed Arabic, Latin, digits and brackets, phone
 * numbers and times inside Arabic, URLs, Persian with Latin, explicit marks
 * and isolates, long Danish compounds with hyphens and slashes, Ethiopic.
 *
 * For every case, unwrapped and wrapped at many widths, using the kiosk's
 * layout as text_debug_layout reports it (the lines, and each line's runs
 * in visual order with their direction):
 *   - order: what a reader sees (each run's characters, reversed when the
 *     run is drawn right to left, runs left to right) must equal FriBiDi's
 *     visual order: fribidi_log2vis for an unwrapped line, and for a
 *     wrapped one the paragraph's levels (fribidi_get_par_embedding_levels
 *     over the whole paragraph) reordered line by line
 *     (fribidi_reorder_line). Compared as logical characters taken through
 *     FriBiDi's position map, so its Arabic shaping and mirroring (which
 *     HarfBuzz does for the kiosk) do not count; invisible characters and
 *     combining marks (drawn on their letter by HarfBuzz) are left out;
 *   - breaks: every line ends at a libunibreak opportunity (set_linebreaks)
 *     unless no opportunity at all lies inside the line (a word wider than
 *     the line, broken between grapheme clusters); no line is wider than
 *     the wrap width; a line is not broken earlier than needed (the next
 *     opportunity's text would not have fit); the text between lines is
 *     white space only;
 *   - cutting with "…": the start of the text stays, the "…" is at the
 *     end of the reading direction, the block fits its width and lines.
 */
#include "test.h"

#include <stdint.h>

#include <SDL.h>
#include <fribidi.h>
#include <linebreak.h>
#include <utf8proc.h>

#include "text.h"
#include "text_fixture.h"
#include "util.h"

static const struct text_style style = {28, false, {0, 0, 0, 255}};

struct cps {
    uint32_t v[1024];
    int n;
};

static void decode(const char *s, size_t n, struct cps *out)
{
    out->n = 0;
    for (const char *p = s; p < s + n && out->n < 1024;)
        out->v[out->n++] = utf8_next(&p);
}

/* What a reader tells apart: no invisible characters, no combining marks. */
static bool seen(uint32_t cp)
{
    const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
    return !p->ignorable && p->category != UTF8PROC_CATEGORY_MN &&
           p->category != UTF8PROC_CATEGORY_ME && p->category != UTF8PROC_CATEGORY_CC;
}

static void put_seen(struct buf *b, uint32_t cp)
{
    if (!seen(cp))
        return;
    char u[5] = {0};
    utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)u);
    buf_puts(b, u);
}

/* A line of text_debug_layout. */
struct kline {
    size_t start, end;
    char runs[4096];
};

static int parse_layout(const char *dump, struct kline *lines, int max)
{
    int n = 0;
    for (const char *p = dump; *p && n < max;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *tab = memchr(p, '\t', len);
        if (!tab)
            break;
        sscanf(p, "%zu %zu", &lines[n].start, &lines[n].end);
        snprintf(lines[n].runs, sizeof lines[n].runs, "%.*s", (int)(len - (size_t)(tab + 1 - p)),
                 tab + 1);
        n++;
        p += len + (nl ? 1 : 0);
    }
    return n;
}

/* The kiosk's line as seen: runs left to right, a '<' run reversed. */
static void kiosk_visual(const char *runs, struct buf *out)
{
    buf_clear(out);
    for (const char *p = runs;;) {
        const char *end = strchr(p, '|');
        if (!end)
            end = p + strlen(p);
        bool rtl = *p == '<';
        struct cps c;
        decode(p + rtl, (size_t)(end - p - rtl), &c);
        for (int i = 0; i < c.n; i++)
            put_seen(out, c.v[rtl ? c.n - 1 - i : i]);
        if (!*end)
            break;
        p = end + 1;
    }
}

/* FriBiDi's view of bytes [start, end) of text, a paragraph of direction
 * rtl: the whole paragraph through fribidi_log2vis when the line is all
 * of it, else the paragraph's levels reordered for the line. */
static void fribidi_visual(const char *text, bool rtl, size_t start, size_t end, struct buf *out)
{
    static struct cps c;
    decode(text, strlen(text), &c);
    /* Character indices of the line. */
    int a = (int)utf8_count(text, start), b = (int)utf8_count(text, end);
    FriBidiParType dir = rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    FriBidiStrIndex map[1024];
    buf_clear(out);
    if (a == 0 && b == c.n) {
        CHECK(fribidi_log2vis(c.v, c.n, &dir, NULL, NULL, map, NULL) != 0);
        for (int i = 0; i < c.n; i++)
            put_seen(out, c.v[map[i]]);
        return;
    }
    FriBidiCharType types[1024];
    FriBidiBracketType brackets[1024];
    FriBidiLevel levels[1024];
    fribidi_get_bidi_types(c.v, c.n, types);
    fribidi_get_bracket_types(c.v, c.n, types, brackets);
    CHECK(fribidi_get_par_embedding_levels_ex(types, brackets, c.n, &dir, levels) != 0);
    for (int i = 0; i < c.n; i++)
        map[i] = i;
    CHECK(fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT, types, b - a, a, dir, levels, NULL, map) !=
          0);
    for (int i = a; i < b; i++)
        put_seen(out, c.v[map[i]]);
}

/* libunibreak's opportunity before byte o of text (0 < o <= len). */
static bool opportunity(const char *brks, size_t len, size_t o)
{
    return o >= len || brks[o - 1] == LINEBREAK_ALLOWBREAK || brks[o - 1] == LINEBREAK_MUSTBREAK;
}

static bool cluster_boundary(const char *text, size_t o)
{
    utf8proc_int32_t state = 0;
    const char *p = text;
    uint32_t prev = *p ? utf8_next(&p) : 0;
    while (*p && (size_t)(p - text) <= o) {
        size_t at = (size_t)(p - text);
        uint32_t cur = utf8_next(&p);
        bool br = utf8proc_grapheme_break_stateful((utf8proc_int32_t)prev,
                                                   (utf8proc_int32_t)cur, &state);
        if (at == o)
            return br;
        prev = cur;
    }
    return true;
}

static bool only_space(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (s[i] != ' ')
            return false;
    return true;
}

static struct text_cache *tc;

static void report(int lineno, const char *text, bool rtl, int wrap, const char *what,
                   const char *dump)
{
    test_failed++;
    fprintf(stderr, "%s:%d: \"%s\" (%s paragraph, wrapped at %d): %s\n    layout:\n%s\n",
            __FILE__, lineno, text, rtl ? "right-to-left" : "left-to-right", wrap, what, dump);
}

/* Checks one text laid out at wrap width wrap (0: one line). */
static void check_layout(int lineno, const char *text, bool rtl, int wrap)
{
    struct buf dump, got, want;
    buf_init(&dump);
    buf_init(&got);
    buf_init(&want);
    text_debug_layout(text, &style, wrap, 0, rtl, &dump);
    static struct kline lines[64];
    int n = parse_layout(dump.data, lines, 64);
    size_t len = strlen(text);
    char *brks = xmalloc(len + 1);
    set_linebreaks_utf8((const utf8_t *)text, len, NULL, brks);
    char what[8192];
    bool ok = n > 0 && lines[0].start == 0 && lines[n - 1].end == len;
    if (!ok)
        report(lineno, text, rtl, wrap, "the lines do not cover the text", dump.data);
    for (int i = 0; ok && i < n; i++) {
        kiosk_visual(lines[i].runs, &got);
        fribidi_visual(text, rtl, lines[i].start, lines[i].end, &want);
        if (strcmp(got.data, want.data) != 0) {
            snprintf(what, sizeof what, "line %d in visual order\n    FriBiDi: [%s]\n    kiosk:   [%s]",
                     i + 1, want.data, got.data);
            report(lineno, text, rtl, wrap, what, dump.data);
            ok = false;
        }
        if (i + 1 == n)
            break;
        size_t s = lines[i].start, e = lines[i].end, next = lines[i + 1].start;
        if (!only_space(text, e, next)) {
            snprintf(what, sizeof what, "line %d drops more than white space", i + 1);
            report(lineno, text, rtl, wrap, what, dump.data);
            ok = false;
        }
        bool inside = false; /* an opportunity inside the line */
        for (size_t o = s + 1; o < next; o++)
            inside = inside || (opportunity(brks, len, o) && !only_space(text, s, o));
        if (!opportunity(brks, len, next) && (inside || !cluster_boundary(text, next))) {
            snprintf(what, sizeof what,
                     "line %d breaks at byte %zu, not a libunibreak opportunity, though "
                     "the line has one",
                     i + 1, next);
            report(lineno, text, rtl, wrap, what, dump.data);
            ok = false;
        }
        /* Not too early: up to the next opportunity would not fit. */
        size_t o = next + 1;
        while (o < len && !opportunity(brks, len, o))
            o++;
        while (o > next && text[o - 1] == ' ')
            o--;
        if (opportunity(brks, len, next) && o > next) {
            char *longer = xstrndup(text + s, o - s);
            int w = text_width(longer, &style, rtl);
            if (w <= wrap - 2) {
                snprintf(what, sizeof what,
                         "line %d breaks early: \"%s\" is %d wide and would have fit", i + 1,
                         longer, w);
                report(lineno, text, rtl, wrap, what, dump.data);
                ok = false;
            }
            free(longer);
        }
    }
    if (ok)
        test_passed++;
    if (wrap > 0) {
        const struct text_block *b =
            text_cache_get(tc, text, &style, wrap, ALIGN_START, rtl);
        if (b->w > wrap) {
            snprintf(what, sizeof what, "the block is %d wide", b->w);
            report(lineno, text, rtl, wrap, what, dump.data);
        } else if (b->lines != n) {
            snprintf(what, sizeof what, "the block has %d lines, the layout %d", b->lines, n);
            report(lineno, text, rtl, wrap, what, dump.data);
        } else {
            test_passed++;
        }
    }
    free(brks);
    buf_free(&dump);
    buf_free(&got);
    buf_free(&want);
}

static const struct {
    const char *text;
    bool rtl;
} cases[] = {
    /* Brackets (N0) around Latin inside Arabic; a job title as ads write it. */
    {"وظيفة Java (Senior) في Aarhus", true},
    {"وظيفة Java (Senior) في Aarhus", false},
    {"الطابق (2) الغرفة [3ب] ثم {Anne}", true},
    {"The word (مرحبا) means hello [مرحبا بك]", false},
    /* Phone numbers, times and dates inside Arabic. */
    {"اتصل على 70 12 34 56 اليوم", true},
    {"موعدك الساعة 10:30 مع Anne في الطابق 2.", true},
    {"الموعد 03-12-2026 الساعة 09:15", true},
    {"خصم ٥٠٪ اليوم، الساعة ١٠:٣٠", true},
    /* URLs. */
    {"زوروا https://www.jobnet.dk/job?id=123&lang=ar للمزيد", true},
    {"Se mere på https://www.jobnet.dk/find-job/sosu-assistent i dag", false},
    /* Persian with Latin, zero-width non-joiner and brackets. */
    {"برای Jobnet لطفاً ثبت‌نام کنید (رایگان) — ساعت ۱۴:۰۰", true},
    {"می‌خواهم با یک کارمند صحبت کنم؛ شماره‌ی من A-17 است.", true},
    /* Explicit marks and isolates. */
    {"Navn: \xE2\x81\xA8مرحبا بك\xE2\x81\xA9 (2)", false},
    {"قالت \xE2\x81\xA6" "Anne 12\xE2\x81\xA9 مرحبا", true},
    {"Anne\xE2\x80\x8F 12 مرحبا", false},
    {"C++\xE2\x80\x8E مطلوب", true},
    /* Long Danish compounds with hyphens and slashes. */
    {"SOSU-assistentelev/praktikant i Aarhus Kommune", false},
    {"SOSU-assistentelev/praktikant i Aarhus Kommune", true},
    {"Social- og sundhedsassistent til hjemmeplejen/plejecentret Solhjem", false},
    {"Arbejdsmarkedsuddannelsescentervejledningsordningerne er lukket", false},
    {"Lagermedarbejder/truckfører (nat) – 37 t./uge, Slagelse", false},
    /* Ukrainian, with the apostrophe. */
    {"Пам'ятайте про зустріч о 10:30 — кімната 2", false},
    /* Ethiopic (Tigrinya). */
    {"ሰላም! ናብ ማእከል ስራሕ እንቋዕ ብደሓን መጻእኩም። ሰዓት 10:30", false},
    {"ሰላም Anne، موعدك 10:30", true},
};

static void test_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        check_layout(__LINE__, cases[i].text, cases[i].rtl, 0);
        int full = text_width(cases[i].text, &style, cases[i].rtl);
        for (int wrap = 60; wrap < full + 40; wrap += 23)
            check_layout(__LINE__, cases[i].text, cases[i].rtl, wrap);
    }
}

/* The two breaks the old engine got wrong, named. */
static void test_compound_breaks(void)
{
    const char *t = "SOSU-assistentelev/praktikant";
    struct buf dump;
    buf_init(&dump);
    int w1 = text_width("SOSU-assistentelev/", &style, false);
    text_debug_layout(t, &style, w1 + 4, 0, false, &dump);
    CHECK_STR(dump.data, "0 19\tSOSU-assistentelev/\n19 29\tpraktikant\n");
    int w2 = text_width("assistentelev/", &style, false);
    text_debug_layout(t, &style, w2 + 4, 0, false, &dump);
    CHECK_STR(dump.data, "0 5\tSOSU-\n5 19\tassistentelev/\n19 29\tpraktikant\n");
    /* A word wider than the line: broken between characters, never wider. */
    const char *word = "Arbejdsmarkedsuddannelsescentervejledningsordningerne";
    const struct text_block *b = text_cache_get(tc, word, &style, 200, ALIGN_START,
                                                false);
    CHECK(b->lines >= 3 && b->w <= 200 && b->split && !b->cut);
    b = text_cache_get(tc, t, &style, w1 + 4, ALIGN_START, false);
    CHECK(b->lines == 2 && !b->split);
    buf_free(&dump);
}

/* ---- cutting with "…" ---- */

/* The seen characters of line i of a layout dump, left to right. */
static void dump_line_visual(const char *dump, int i, struct buf *out)
{
    static struct kline lines[64];
    int n = parse_layout(dump, lines, 64);
    buf_clear(out);
    if (i < n)
        kiosk_visual(lines[i].runs, out);
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

#define ELLIPSIS "\xE2\x80\xA6"

static void test_ellipsis(void)
{
    struct buf dump, vis;
    buf_init(&dump);
    buf_init(&vis);
    const char *da = "Social- og sundhedsassistent til hjemmeplejen i Slagelse Kommune";
    const char *ar = "مساعد اجتماعي وصحي في الرعاية المنزلية في بلدية سلاجلسه";
    for (int rtl = 0; rtl < 2; rtl++) {
        /* A Danish title, in either paragraph direction, keeps its start
         * at the left and ends with "…" at the right. */
        const struct text_block *b =
            text_cache_get_lines(tc, da, &style, 300, 1, ALIGN_START, rtl);
        CHECK(b->lines == 1 && b->cut && b->w <= 300 && b->w > 200);
        text_debug_layout(da, &style, 300, 1, rtl, &dump);
        CHECK(starts_with(dump.data, "0 "));
        dump_line_visual(dump.data, 0, &vis);
        if (!starts_with(vis.data, "Social- og") || !ends_with(vis.data, ELLIPSIS)) {
            test_failed++;
            fprintf(stderr, "%s:%d: a cut Danish title (rtl %d) reads [%s]\n", __FILE__,
                    __LINE__, rtl, vis.data);
        } else {
            test_passed++;
        }
        /* An Arabic one keeps its start at the right, "…" at the left. */
        b = text_cache_get_lines(tc, ar, &style, 300, 1, ALIGN_START, rtl);
        CHECK(b->lines == 1 && b->cut && b->w <= 300);
        text_debug_layout(ar, &style, 300, 1, rtl, &dump);
        dump_line_visual(dump.data, 0, &vis);
        /* Visually reversed, the first letters "مس" are the last two. */
        if (!starts_with(vis.data, ELLIPSIS) || !ends_with(vis.data, "سم")) {
            test_failed++;
            fprintf(stderr, "%s:%d: a cut Arabic title (rtl %d) reads [%s]\n", __FILE__,
                    __LINE__, rtl, vis.data);
        } else {
            test_passed++;
        }
    }
    /* Cut at a word's end when that keeps most of the line, else inside. */
    const char *kept = "Social- og sundhedsassistent til";
    int at = text_width("Social- og sundhedsassistent til" ELLIPSIS, &style, false) + 12;
    text_debug_layout(da, &style, at, 1, false, &dump);
    size_t start = 1, end = 0;
    if (sscanf(dump.data, "%zu %zu", &start, &end) == 2 && start == 0 && end == strlen(kept)) {
        test_passed++;
    } else {
        test_failed++;
        fprintf(stderr, "%s:%d: cut at %d not after \"%s\": %s", __FILE__, __LINE__, at, kept,
                dump.data);
    }
    text_debug_layout(da, &style, 300, 1, false, &dump);
    CHECK(sscanf(dump.data, "%zu %zu", &start, &end) == 2 && end > strlen("Social- og "));
    /* Two lines at most: the first as wrapped, the second cut. */
    const struct text_block *b =
        text_cache_get_lines(tc, da, &style, 300, 2, ALIGN_START, false);
    CHECK(b->lines == 2 && b->cut && b->w <= 300);
    const struct text_block *full = text_cache_get(tc, da, &style, 300, ALIGN_START, false);
    CHECK(full->lines > 2 && !full->cut && b->h < full->h);
    text_debug_layout(da, &style, 300, 2, false, &dump);
    dump_line_visual(dump.data, 1, &vis);
    CHECK(ends_with(vis.data, ELLIPSIS));
    /* Text that fits is not cut; a later paragraph cuts the last line. */
    b = text_cache_get_lines(tc, "Tjek ind", &style, 300, 1, ALIGN_START, false);
    CHECK(b->lines == 1 && !b->cut);
    text_debug_layout("Tjek ind\nCheck in", &style, 300, 1, false, &dump);
    CHECK_STR(dump.data, "0 8\tTjek ind" ELLIPSIS "\xE2\x80\x8E\n");
    /* One word wider than the line: as many letters as fit, then "…". */
    const char *word = "Arbejdsmarkedsuddannelsescentervejledningsordningerne";
    b = text_cache_get_lines(tc, word, &style, 200, 1, ALIGN_START, true);
    CHECK(b->lines == 1 && b->cut && b->w <= 200 && b->w > 150);
    text_debug_layout(word, &style, 200, 1, true, &dump);
    dump_line_visual(dump.data, 0, &vis);
    CHECK(starts_with(vis.data, "Arbejds") && ends_with(vis.data, ELLIPSIS));
    /* A line too narrow for any letter: "…" alone, never wider. */
    b = text_cache_get_lines(tc, word, &style, 24, 1, ALIGN_START, false);
    CHECK(b->lines == 1 && b->cut && b->w <= 24);
    /* Never wider, never more lines, at any width, in every case. */
    int over = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (int lines = 1; lines <= 3; lines++)
            for (int wrap = 40; wrap < 700; wrap += 31) {
                b = text_cache_get_lines(tc, cases[i].text, &style, wrap, lines,
                                         ALIGN_START, cases[i].rtl);
                if (b->w > wrap || b->lines > lines) {
                    if (!over++)
                        fprintf(stderr, "%s:%d: \"%s\" in %d lines of %d is %d wide, %d lines\n",
                                __FILE__, __LINE__, cases[i].text, lines, wrap, b->w, b->lines);
                }
            }
    CHECK(over == 0);
    buf_free(&dump);
    buf_free(&vis);
}

/* ---- anything at all ---- */

/* Random mixes of the pieces text is made of (words of every script,
 * digits, brackets, marks, isolates left open, combining marks, an emoji
 * no font has, a broken UTF-8 byte): laid out at many widths and line
 * limits, a block is never wider than its width (above one cluster's
 * width) nor longer than its limit, and covers its text. */
static void test_random(void)
{
    static const char *const pieces[] = {
        "Jobcenter", "Slagelse", " ", " ", "  ", "مرحبا", "بك", "وظيفة", "٤٢", "10:30", "(",
        ")", "[", "]", "«", "»", "-", "/", "SOSU-assistentelev/praktikant", "ሰላም", "መጻእኩም።",
        "зустріч", "п'ять", "می‌خواهم", "۱۴:۰۰", "\xE2\x80\x8F", "\xE2\x80\x8E",
        "\xE2\x81\xA7", "\xE2\x81\xA9", "\xE2\x80\xAB", "e\xCC\x81", "\xF0\x9F\x98\x80",
        "\xFF", "\t", "Arbejdsmarkedsuddannelsescentervejledningsordningerne", ".", ",", "!",
        "https://jobnet.dk/a?b=1", "\xE2\x80\xA6"};
    uint32_t seed = 12345;
    int over = 0, tried = 0;
    struct buf text, dump;
    buf_init(&text);
    buf_init(&dump);
    for (int t = 0; t < 150; t++) {
        buf_clear(&text);
        seed = seed * 1103515245u + 12345u;
        int n = 1 + (int)(seed >> 16) % 14;
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            buf_puts(&text, pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)]);
        }
        bool rtl = t % 2;
        for (int wrap = 70; wrap < 600; wrap += 97)
            for (int lines = 0; lines <= 3; lines++, tried++) {
                const struct text_block *b =
                    text_cache_get_lines(tc, text.data, &style, wrap, lines, ALIGN_END, rtl);
                text_debug_layout(text.data, &style, wrap, lines, rtl, &dump);
                static struct kline ls[64];
                int nl = parse_layout(dump.data, ls, 64);
                bool bad = b->w > wrap || (lines && b->lines > lines) || nl != b->lines ||
                           (!b->cut && nl && ls[nl - 1].end != text.len);
                if (bad && !over++)
                    fprintf(stderr, "%s:%d: \"%s\" at %d in %d lines: %d wide, %d lines, cut %d\n%s",
                            __FILE__, __LINE__, text.data, wrap, lines, b->w, b->lines, b->cut,
                            dump.data);
            }
    }
    CHECK(tried > 1000 && over == 0);
    buf_free(&text);
    buf_free(&dump);
}

int main(void)
{
    struct text_fixture fx;
    if (!text_fixture_open(&fx, 64, 64))
        return 2;
    tc = fx.tc;

    test_cases();
    test_compound_breaks();
    test_ellipsis();
    test_random();

    text_fixture_close(&fx);
    TEST_END();
}

/*
 * html_text.c — see html_text.h.
 *
 * Hand-written: of the libraries the project may use none reads HTML, and
 * the job is small — a tolerant scan that keeps text, drops markup and knows
 * a few dozen elements and entities — where an HTML parser (libxml2's, with
 * its own tree and error recovery) would bring far more than a job ad needs.
 * It never fails: whatever is not well-formed markup is kept as text.
 */
#include "html_text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum gap { GAP_NONE, GAP_SPACE, GAP_LINE, GAP_PARA };

struct writer {
    struct buf *out;
    enum gap gap;   /* white space owed before the next character */
    bool any;       /* a character was written */
    bool bullet;    /* a list item started: "• " before its first character */
};

static void put_cp(struct buf *b, uint32_t cp)
{
    char u[4];
    buf_put(b, u, utf8_encode(cp, u));
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0 ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Characters no plain text of an ad needs: controls, soft hyphens (a hint
 * for a browser's hyphenation, which SDL_ttf would draw as a hyphen), and
 * the bidi controls the importer refuses anywhere (they make a text display
 * as another). */
static bool is_dropped(uint32_t cp)
{
    return cp < 0x20 || cp == 0xAD || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
           cp > 0x10FFFF;
}

static void gap(struct writer *w, enum gap g)
{
    if (w->any && g > w->gap)
        w->gap = g;
}

static void text_cp(struct writer *w, uint32_t cp)
{
    if (is_space(cp)) {
        gap(w, GAP_SPACE);
        return;
    }
    if (is_dropped(cp))
        return;
    if (w->any) {
        if (w->gap == GAP_SPACE)
            buf_putc(w->out, ' ');
        else if (w->gap == GAP_LINE)
            buf_putc(w->out, '\n');
        else if (w->gap == GAP_PARA)
            buf_puts(w->out, "\n\n");
    }
    w->gap = GAP_NONE;
    if (w->bullet) {
        buf_puts(w->out, "• ");
        w->bullet = false;
    }
    put_cp(w->out, cp);
    w->any = true;
}

/* ---- character references ---- */

static const struct {
    const char *name;
    uint32_t cp;
} entities[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
    {"apos", '\''},    {"nbsp", 0xA0},    {"shy", 0xAD},     {"aelig", 0xE6},
    {"AElig", 0xC6},   {"oslash", 0xF8},  {"Oslash", 0xD8},  {"aring", 0xE5},
    {"Aring", 0xC5},   {"auml", 0xE4},    {"Auml", 0xC4},    {"ouml", 0xF6},
    {"Ouml", 0xD6},    {"uuml", 0xFC},    {"Uuml", 0xDC},    {"eacute", 0xE9},
    {"Eacute", 0xC9},  {"egrave", 0xE8},  {"aacute", 0xE1},  {"oacute", 0xF3},
    {"iacute", 0xED},  {"uacute", 0xFA},  {"szlig", 0xDF},   {"ccedil", 0xE7},
    {"ntilde", 0xF1},  {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026},
    {"bull", 0x2022},  {"middot", 0xB7},  {"laquo", 0xAB},   {"raquo", 0xBB},
    {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"sbquo", 0x201A}, {"bdquo", 0x201E}, {"euro", 0x20AC},  {"copy", 0xA9},
    {"reg", 0xAE},     {"trade", 0x2122}, {"deg", 0xB0},     {"frac12", 0xBD},
    {"times", 0xD7},   {"sect", 0xA7},    {"para", 0xB6},    {"half", 0xBD},
};

/* The reference at s (just after '&') up to end: its code point and the
 * bytes it spans after the '&', or 0 when it is not one. */
static size_t reference(const char *s, const char *end, uint32_t *cp)
{
    if (s < end && *s == '#') {
        const char *p = s + 1;
        bool hex = p < end && (*p == 'x' || *p == 'X');
        p += hex;
        uint32_t v = 0;
        int digits = 0;
        for (; p < end && digits < 8; p++, digits++) {
            int d = *p >= '0' && *p <= '9'             ? *p - '0'
                    : hex && *p >= 'a' && *p <= 'f'   ? *p - 'a' + 10
                    : hex && *p >= 'A' && *p <= 'F'   ? *p - 'A' + 10
                                                      : -1;
            if (d < 0)
                break;
            v = v * (hex ? 16u : 10u) + (uint32_t)d;
        }
        if (!digits || p >= end || *p != ';')
            return 0;
        *cp = v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ? 0xFFFD : v;
        return (size_t)(p + 1 - s);
    }
    size_t n = 0;
    while (s + n < end && n < 10 &&
           ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
            (s[n] >= '0' && s[n] <= '9')))
        n++;
    if (!n || s + n >= end || s[n] != ';')
        return 0;
    for (size_t i = 0; i < sizeof entities / sizeof *entities; i++)
        if (strlen(entities[i].name) == n && memcmp(entities[i].name, s, n) == 0) {
            *cp = entities[i].cp;
            return n + 1;
        }
    return 0;
}

/* ---- tags ---- */

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool name_is(const char *name, size_t n, const char *want)
{
    if (strlen(want) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] + 32) : name[i];
        if (c != want[i])
            return false;
    }
    return true;
}

static bool name_in(const char *name, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (name_is(name, n, *list))
            return true;
    return false;
}

static const char *const blocks[] = {
    "p",     "div",  "h1",     "h2",      "h3",     "h4",      "h5",      "h6",  "table",
    "tr",    "ul",   "ol",     "dl",      "dt",     "dd",      "pre",     "hr",  "blockquote",
    "section", "article", "header", "footer", "address", "center", "main", "aside", "nav",
    "figure", "form", "fieldset", NULL};

/* Past the end of the tag that starts at s ('<' already passed): past its
 * '>', quoted attribute values skipped. */
static const char *tag_end(const char *s, const char *end)
{
    char quote = 0;
    for (; s < end; s++) {
        if (quote) {
            if (*s == quote)
                quote = 0;
        } else if (*s == '"' || *s == '\'') {
            quote = *s;
        } else if (*s == '>') {
            return s + 1;
        }
    }
    return end;
}

/* Past the closing tag of a raw-text element (script, style), or end. */
static const char *raw_end(const char *s, const char *end, const char *name)
{
    size_t n = strlen(name);
    for (; s + 2 + n <= end; s++)
        if (s[0] == '<' && s[1] == '/' && name_is(s + 2, n, name) &&
            (s + 2 + n == end || !is_alpha(s[2 + n])))
            return tag_end(s + 2 + n, end);
    return end;
}

static const char *find(const char *s, const char *end, const char *what)
{
    size_t n = strlen(what);
    for (; s + n <= end; s++)
        if (memcmp(s, what, n) == 0)
            return s + n;
    return end;
}

/* The markup at s (just after '<'); returns where the text goes on. */
static const char *markup(struct writer *w, const char *s, const char *end)
{
    if (end - s >= 3 && memcmp(s, "!--", 3) == 0)
        return find(s + 3, end, "-->");
    if (*s == '!' || *s == '?')
        return tag_end(s, end);
    bool closing = *s == '/';
    const char *name = s + closing;
    size_t n = 0;
    while (name + n < end && (is_alpha(name[n]) || (n && name[n] >= '0' && name[n] <= '9')))
        n++;
    const char *after = tag_end(name + n, end);
    if (!closing && (name_is(name, n, "script") || name_is(name, n, "style")))
        return raw_end(after, end, name_is(name, n, "script") ? "script" : "style");
    if (name_is(name, n, "br")) {
        gap(w, GAP_LINE);
    } else if (name_is(name, n, "li")) {
        gap(w, GAP_LINE);
        w->bullet = !closing;
    } else if (name_is(name, n, "td") || name_is(name, n, "th")) {
        gap(w, GAP_SPACE);
    } else if (name_in(name, n, blocks)) {
        gap(w, GAP_PARA);
        w->bullet = false;
    }
    return after;
}

void html_to_text(const char *html, struct buf *out)
{
    size_t len = strlen(html);
    buf_clear(out);
    buf_put(out, "", 0); /* "" for an ad without text, never NULL */
    struct writer w = {out, GAP_NONE, false, false};
    const char *s = html, *end = html + len;
    while (s < end) {
        if (*s == '<' && s + 1 < end &&
            (is_alpha(s[1]) || s[1] == '/' || s[1] == '!' || s[1] == '?')) {
            s = markup(&w, s + 1, end);
            continue;
        }
        uint32_t cp;
        if (*s == '&') {
            size_t n = reference(s + 1, end, &cp);
            if (n) {
                text_cp(&w, cp);
                s += 1 + n;
                continue;
            }
        }
        const char *p = s;
        cp = utf8_next(&p);
        text_cp(&w, cp);
        s = p;
    }
}

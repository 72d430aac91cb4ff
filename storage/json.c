/*
 * json.c — the streaming JSON reader; see json.h.
 *
 * A small state machine over a byte window: `state` says what the grammar
 * allows next inside the innermost container (a first member or its end, a
 * member after a comma, a value after a key). The container stack holds one
 * byte per level. Strings are decoded into `text`, which grows as needed up
 * to JSON_MAX_STRING.
 */
#include "json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define WINDOW (64 * 1024)

enum ctx { CTX_OBJ, CTX_ARR };
enum state { S_VALUE, S_FIRST, S_NEXT, S_DONE };

struct json_reader {
    FILE *f;
    const unsigned char *data;
    size_t pos, end;
    bool mem;
    unsigned char *window;

    int line, col;         /* position of the next byte */
    int tok_line, tok_col; /* where the last token started */

    unsigned char stack[JSON_MAX_DEPTH];
    int depth;
    enum state state;
    enum json_tok sticky; /* JSON_ERROR or JSON_END once reached, else JSON_KEY */

    char *text;
    size_t text_len, text_cap;
    char err[200];
};

static struct json_reader *reader_new(void)
{
    struct json_reader *r = xcalloc(1, sizeof *r);
    r->line = r->col = 1;
    r->state = S_VALUE;
    r->sticky = JSON_KEY;
    r->text_cap = 256;
    r->text = xmalloc(r->text_cap);
    r->text[0] = '\0';
    return r;
}

static void skip_bom(struct json_reader *r);

struct json_reader *json_reader_create_file(FILE *f)
{
    struct json_reader *r = reader_new();
    r->f = f;
    r->window = xmalloc(WINDOW);
    r->data = r->window;
    skip_bom(r);
    return r;
}

struct json_reader *json_reader_create_mem(const char *data, size_t len)
{
    struct json_reader *r = reader_new();
    r->mem = true;
    r->data = (const unsigned char *)data;
    r->end = len;
    skip_bom(r);
    return r;
}

void json_reader_destroy(struct json_reader *r)
{
    if (!r)
        return;
    free(r->window);
    free(r->text);
    free(r);
}

static bool fill(struct json_reader *r)
{
    if (r->mem || !r->f)
        return false;
    size_t n = fread(r->window, 1, WINDOW, r->f);
    r->pos = 0;
    r->end = n;
    return n > 0;
}

static int peek(struct json_reader *r)
{
    if (r->pos == r->end && !fill(r))
        return -1;
    return r->data[r->pos];
}

static int get(struct json_reader *r)
{
    int c = peek(r);
    if (c < 0)
        return c;
    r->pos++;
    if (c == '\n') {
        r->line++;
        r->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        r->col++;
    }
    return c;
}

static void skip_bom(struct json_reader *r)
{
    /* The window holds at least three bytes unless the input is shorter. */
    if (peek(r) == 0xEF && r->end - r->pos >= 3 && r->data[r->pos + 1] == 0xBB &&
        r->data[r->pos + 2] == 0xBF)
        r->pos += 3;
}

static enum json_tok fail_at(struct json_reader *r, int line, int col, const char *msg)
{
    snprintf(r->err, sizeof r->err, "%s", msg);
    r->tok_line = line;
    r->tok_col = col;
    r->sticky = JSON_ERROR;
    return JSON_ERROR;
}

/* An error at the next unread character. */
static enum json_tok fail(struct json_reader *r, const char *msg)
{
    return fail_at(r, r->line, r->col, msg);
}

static void skip_ws(struct json_reader *r)
{
    for (;;) {
        int c = peek(r);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            get(r);
        else
            return;
    }
}

static void text_put(struct json_reader *r, const char *p, size_t n)
{
    if (r->text_len + n + 1 > r->text_cap) {
        while (r->text_len + n + 1 > r->text_cap)
            r->text_cap *= 2;
        r->text = xrealloc(r->text, r->text_cap);
    }
    memcpy(r->text + r->text_len, p, n);
    r->text_len += n;
    r->text[r->text_len] = '\0';
}

static void text_put_cp(struct json_reader *r, uint32_t cp)
{
    char b[4];
    text_put(r, b, utf8_encode(cp, b));
}

static int hex4(struct json_reader *r, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int c = get(r);
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* Reads a UTF-8 sequence whose lead byte c was already consumed. */
static bool utf8_seq(struct json_reader *r, int c)
{
    unsigned char b[4] = {(unsigned char)c};
    size_t need;
    if ((c & 0xE0) == 0xC0)
        need = 1;
    else if ((c & 0xF0) == 0xE0)
        need = 2;
    else if ((c & 0xF8) == 0xF0)
        need = 3;
    else
        return false;
    for (size_t i = 1; i <= need; i++) {
        int d = peek(r);
        if (d < 0 || (d & 0xC0) != 0x80)
            return false;
        b[i] = (unsigned char)get(r);
    }
    if (!utf8_valid((const char *)b, need + 1))
        return false;
    text_put(r, (const char *)b, need + 1);
    return true;
}

/* The opening quote was consumed. */
static enum json_tok read_string(struct json_reader *r, enum json_tok tok)
{
    r->text_len = 0;
    r->text[0] = '\0';
    for (;;) {
        if (r->text_len > JSON_MAX_STRING)
            return fail(r, "text is too long (over 1 MiB)");
        /* Fast path: a run of plain ASCII in the window is copied at once. */
        if (r->pos < r->end) {
            const unsigned char *w = r->data + r->pos;
            size_t n = 0, avail = r->end - r->pos;
            while (n < avail && w[n] >= 0x20 && w[n] < 0x80 && w[n] != '"' && w[n] != '\\')
                n++;
            if (n) {
                text_put(r, (const char *)w, n);
                r->pos += n;
                r->col += (int)n;
                continue;
            }
        }
        int line = r->line, col = r->col;
        int c = get(r);
        if (c < 0)
            return fail(r, "the file ends inside a text (missing closing \")");
        if (c == '"')
            return tok;
        if (c < 0x20)
            return fail_at(r, line, col,
                           c == '\n' ? "line break inside a text (write it as \\n)"
                                     : "control character inside a text");
        if (c >= 0x80) {
            if (!utf8_seq(r, c))
                return fail_at(r, line, col, "invalid UTF-8 (the file must be saved as UTF-8)");
            continue;
        }
        if (c != '\\') {
            char ch = (char)c;
            text_put(r, &ch, 1);
            continue;
        }
        c = get(r);
        const char *simple = NULL;
        switch (c) {
        case '"': simple = "\""; break;
        case '\\': simple = "\\"; break;
        case '/': simple = "/"; break;
        case 'b': simple = "\b"; break;
        case 'f': simple = "\f"; break;
        case 'n': simple = "\n"; break;
        case 'r': simple = "\r"; break;
        case 't': simple = "\t"; break;
        case 'u': break;
        default: return fail(r, "unknown escape after \\");
        }
        if (simple) {
            text_put(r, simple, 1);
            continue;
        }
        uint32_t cp;
        if (hex4(r, &cp) < 0)
            return fail(r, "\\u needs four hex digits");
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return fail(r, "lone low surrogate in \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo;
            if (get(r) != '\\' || get(r) != 'u' || hex4(r, &lo) < 0 || lo < 0xDC00 ||
                lo > 0xDFFF)
                return fail(r, "high surrogate in \\u escape without its low half");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        if (cp == 0)
            return fail(r, "the NUL character (\\u0000) is not allowed");
        text_put_cp(r, cp);
    }
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static enum json_tok read_number(struct json_reader *r)
{
    r->text_len = 0;
    char ch;
#define TAKE()                                                                                    \
    do {                                                                                          \
        if (r->text_len >= 64)                                                                    \
            return fail(r, "number is too long");                                                 \
        ch = (char)get(r);                                                                        \
        text_put(r, &ch, 1);                                                                      \
    } while (0)
    if (peek(r) == '-')
        TAKE();
    if (peek(r) == '0') {
        TAKE();
    } else if (is_digit(peek(r))) {
        while (is_digit(peek(r)))
            TAKE();
    } else {
        return fail(r, "invalid number");
    }
    if (peek(r) == '.') {
        TAKE();
        if (!is_digit(peek(r)))
            return fail(r, "invalid number: digits must follow the decimal point");
        while (is_digit(peek(r)))
            TAKE();
    }
    if (peek(r) == 'e' || peek(r) == 'E') {
        TAKE();
        if (peek(r) == '+' || peek(r) == '-')
            TAKE();
        if (!is_digit(peek(r)))
            return fail(r, "invalid number: digits must follow the exponent");
        while (is_digit(peek(r)))
            TAKE();
    }
#undef TAKE
    return JSON_NUMBER;
}

static enum json_tok literal(struct json_reader *r, const char *word, enum json_tok tok)
{
    for (const char *p = word; *p; p++) {
        if (peek(r) != *p)
            return fail(r, "expected a value (text in quotes, number, true, false or null)");
        get(r);
    }
    return tok;
}

static void value_done(struct json_reader *r)
{
    r->state = r->depth == 0 ? S_DONE : S_NEXT;
}

static enum json_tok read_value(struct json_reader *r)
{
    skip_ws(r);
    r->tok_line = r->line;
    r->tok_col = r->col;
    int c = peek(r);
    enum json_tok t;
    switch (c) {
    case -1:
        return fail(r, r->depth ? "the file ends too early (unclosed { or [)" : "the file is empty");
    case '{':
    case '[':
        if (r->depth == JSON_MAX_DEPTH)
            return fail(r, "nested too deeply");
        get(r);
        r->stack[r->depth++] = c == '{' ? CTX_OBJ : CTX_ARR;
        r->state = S_FIRST;
        return c == '{' ? JSON_OBJECT : JSON_ARRAY;
    case '"':
        get(r);
        t = read_string(r, JSON_STRING);
        break;
    case 't': t = literal(r, "true", JSON_TRUE); break;
    case 'f': t = literal(r, "false", JSON_FALSE); break;
    case 'n': t = literal(r, "null", JSON_NULL); break;
    default:
        if (c == '-' || is_digit(c)) {
            t = read_number(r);
            break;
        }
        return fail(r, "expected a value (text in quotes, number, true, false or null)");
    }
    if (t != JSON_ERROR)
        value_done(r);
    return t;
}

static enum json_tok read_key(struct json_reader *r)
{
    skip_ws(r);
    r->tok_line = r->line;
    r->tok_col = r->col;
    if (peek(r) < 0)
        return fail(r, "the file ends too early (unclosed { or [)");
    if (peek(r) != '"')
        return fail(r, "expected a field name in quotes");
    get(r);
    int line = r->tok_line, col = r->tok_col;
    if (read_string(r, JSON_KEY) == JSON_ERROR)
        return JSON_ERROR;
    skip_ws(r);
    if (peek(r) != ':')
        return fail(r, "expected ':' after the field name");
    get(r);
    r->tok_line = line;
    r->tok_col = col;
    r->state = S_VALUE;
    return JSON_KEY;
}

static enum json_tok close_container(struct json_reader *r)
{
    r->tok_line = r->line;
    r->tok_col = r->col;
    get(r);
    enum ctx ctx = r->stack[--r->depth];
    value_done(r);
    return ctx == CTX_OBJ ? JSON_OBJECT_END : JSON_ARRAY_END;
}

enum json_tok json_next(struct json_reader *r)
{
    if (r->sticky != JSON_KEY)
        return r->sticky;
    switch (r->state) {
    case S_VALUE:
        return read_value(r);
    case S_DONE:
        skip_ws(r);
        if (peek(r) >= 0)
            return fail(r, "unexpected text after the end of the document");
        r->tok_line = r->line;
        r->tok_col = r->col;
        r->sticky = JSON_END;
        return JSON_END;
    case S_FIRST:
    case S_NEXT: {
        enum ctx ctx = r->stack[r->depth - 1];
        skip_ws(r);
        int c = peek(r);
        if ((ctx == CTX_OBJ && c == '}') || (ctx == CTX_ARR && c == ']'))
            return close_container(r);
        if (r->state == S_NEXT) {
            if (c != ',')
                return fail(r, c < 0 ? "the file ends too early (unclosed { or [)"
                            : ctx == CTX_OBJ ? "expected ',' or '}'"
                                             : "expected ',' or ']'");
            get(r);
        }
        return ctx == CTX_OBJ ? read_key(r) : read_value(r);
    }
    }
    return fail(r, "internal state");
}

const char *json_text(const struct json_reader *r, size_t *len)
{
    if (len)
        *len = r->text_len;
    return r->text;
}

int json_line(const struct json_reader *r)
{
    return r->tok_line;
}

int json_col(const struct json_reader *r)
{
    return r->tok_col;
}

bool json_failed(const struct json_reader *r)
{
    return r->sticky == JSON_ERROR;
}

const char *json_error(const struct json_reader *r)
{
    return r->err;
}

bool json_skip(struct json_reader *r, enum json_tok started)
{
    if (started != JSON_OBJECT && started != JSON_ARRAY)
        return started != JSON_ERROR;
    int level = 1;
    while (level > 0) {
        enum json_tok t = json_next(r);
        if (t == JSON_ERROR || t == JSON_END)
            return false;
        if (t == JSON_OBJECT || t == JSON_ARRAY)
            level++;
        else if (t == JSON_OBJECT_END || t == JSON_ARRAY_END)
            level--;
    }
    return true;
}

const char *json_tok_name(enum json_tok t)
{
    switch (t) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "a text";
    case JSON_NUMBER: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "true/false";
    case JSON_NULL: return "null";
    default: return "something else";
    }
}

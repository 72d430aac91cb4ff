/*
 * test_json.c — the streaming reader: tokens, decoding, and the exact line
 * and column of every refusal, since those reach staff in error messages.
 */
#include "test.h"

#include "json.h"

static enum json_tok first_error(const char *text, int *line, int *col, const char **msg)
{
    struct json_reader *r = json_reader_create_mem(text, strlen(text));
    enum json_tok t;
    while ((t = json_next(r)) != JSON_ERROR && t != JSON_END)
        ;
    *line = json_line(r);
    *col = json_col(r);
    static char copy[256];
    snprintf(copy, sizeof copy, "%s", json_error(r));
    *msg = copy;
    json_reader_destroy(r);
    return t;
}

static void check_error_at(const char *text, int line, int col, const char *words)
{
    int l, c;
    const char *msg;
    enum json_tok t = first_error(text, &l, &c, &msg);
    CHECK(t == JSON_ERROR);
    if (l != line || c != col)
        fprintf(stderr, "for %s: error at %d:%d (%s), expected %d:%d\n", text, l, c, msg, line, col);
    CHECK(l == line && c == col);
    CHECK_CONTAINS(msg, words);
}

static void check_valid(const char *text)
{
    int l, c;
    const char *msg;
    enum json_tok t = first_error(text, &l, &c, &msg);
    if (t != JSON_END)
        fprintf(stderr, "for %s: %s at %d:%d\n", text, msg, l, c);
    CHECK(t == JSON_END);
}

int main(void)
{
    /* Tokens and decoded text. */
    const char *doc = "\xEF\xBB\xBF{\"a\": [1, -2.5e3, true, false, null, \"x\\u00e6\\ud83d\\ude00\\n\"],"
                      " \"b\": {}}";
    struct json_reader *r = json_reader_create_mem(doc, strlen(doc));
    enum json_tok want[] = {JSON_OBJECT, JSON_KEY,   JSON_ARRAY,     JSON_NUMBER,
                            JSON_NUMBER, JSON_TRUE,  JSON_FALSE,     JSON_NULL,
                            JSON_STRING, JSON_ARRAY_END, JSON_KEY,   JSON_OBJECT,
                            JSON_OBJECT_END, JSON_OBJECT_END, JSON_END};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        enum json_tok t = json_next(r);
        CHECK(t == want[i]);
        if (t == JSON_NUMBER && i == 4)
            CHECK_STR(json_text(r, NULL), "-2.5e3");
        if (t == JSON_STRING)
            CHECK_STR(json_text(r, NULL), "x\xC3\xA6\xF0\x9F\x98\x80\n");
    }
    json_reader_destroy(r);

    /* Positions count characters, not bytes, from 1. */
    check_error_at("{\"a\": 1,\n  \"b\" 2}", 2, 7, "':'");
    check_error_at("{\"æøå\": x}", 1, 9, "expected a value");
    check_error_at("[1, 2", 1, 6, "ends too early");
    check_error_at("{\"a\": \"b", 1, 9, "ends inside a text");
    check_error_at("{} x", 1, 4, "after the end");
    check_error_at("", 1, 1, "empty");
    check_error_at("[\"a\nb\"]", 1, 4, "line break");
    check_error_at("[\"\\u0000\"]", 1, 9, "NUL");
    check_error_at("[\"\\ud800x\"]", 1, 10, "surrogate");
    check_error_at("[\"\\udc00\"]", 1, 9, "surrogate");
    check_error_at("[\"\\q\"]", 1, 5, "escape");
    check_error_at("[01]", 1, 3, "expected ',' or ']'");
    check_error_at("[1.]", 1, 4, "decimal point");
    check_error_at("[1e]", 1, 4, "exponent");
    check_error_at("[tru]", 1, 5, "expected a value");
    check_error_at("{\"a\" 1}", 1, 6, "':'");
    check_error_at("{1: 2}", 1, 2, "field name");
    check_error_at("[1 2]", 1, 4, "','");
    /* Invalid UTF-8: a stray continuation byte, an overlong, a truncated sequence. */
    check_error_at("[\"a\x80\"]", 1, 4, "UTF-8");
    check_error_at("[\"\xC0\xAF\"]", 1, 3, "UTF-8");
    check_error_at("[\"\xE2\x82\"]", 1, 3, "UTF-8");
    check_error_at("[\"\xED\xA0\x80\"]", 1, 3, "UTF-8");

    /* Nesting beyond the limit is refused, at the limit accepted. */
    char deep[JSON_MAX_DEPTH * 2 + 3];
    memset(deep, '[', JSON_MAX_DEPTH);
    memset(deep + JSON_MAX_DEPTH, ']', JSON_MAX_DEPTH);
    deep[JSON_MAX_DEPTH * 2] = '\0';
    check_valid(deep);
    char deeper[JSON_MAX_DEPTH * 2 + 3];
    memset(deeper, '[', JSON_MAX_DEPTH + 1);
    memset(deeper + JSON_MAX_DEPTH + 1, ']', JSON_MAX_DEPTH + 1);
    deeper[JSON_MAX_DEPTH * 2 + 2] = '\0';
    int l, c;
    const char *msg;
    CHECK(first_error(deeper, &l, &c, &msg) == JSON_ERROR);
    CHECK_CONTAINS(msg, "deeply");

    check_valid("  {\"a\":[],\"b\":[{}],\"c\":\"\\\"\\\\\\/\\b\\f\\r\\t\"}  \n");
    check_valid("0");
    check_valid("-0.0E+10");

    /* json_skip jumps over a whole value, and errors inside it surface. */
    const char *skip = "{\"skip\": {\"x\": [1, {\"y\": 2}]}, \"keep\": 3}";
    r = json_reader_create_mem(skip, strlen(skip));
    CHECK(json_next(r) == JSON_OBJECT);
    CHECK(json_next(r) == JSON_KEY);
    CHECK(json_skip(r, json_next(r)));
    CHECK(json_next(r) == JSON_KEY);
    CHECK_STR(json_text(r, NULL), "keep");
    CHECK(json_next(r) == JSON_NUMBER);
    CHECK(json_next(r) == JSON_OBJECT_END);
    CHECK(json_next(r) == JSON_END);
    CHECK(json_next(r) == JSON_END);
    json_reader_destroy(r);

    /* A file source reads across window boundaries (a 300 KB string). */
    FILE *f = tmpfile();
    fputs("{\"big\": \"", f);
    for (int i = 0; i < 100000; i++)
        fputs("æb", f);
    fputs("\"}", f);
    rewind(f);
    r = json_reader_create_file(f);
    CHECK(json_next(r) == JSON_OBJECT);
    CHECK(json_next(r) == JSON_KEY);
    CHECK(json_next(r) == JSON_STRING);
    size_t len;
    json_text(r, &len);
    CHECK(len == 300000);
    CHECK(json_next(r) == JSON_OBJECT_END);
    CHECK(json_next(r) == JSON_END);
    json_reader_destroy(r);
    fclose(f);
    TEST_END();
}

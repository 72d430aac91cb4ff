/*
 * json.h — a streaming (pull) JSON reader for batch files.
 *
 * Batches can be 64 MiB; building a tree of one would cost several times that
 * in memory on a 512 MB board. This reader hands out one token at a time from
 * a 64 KiB window, and knows the line and column (in characters, from 1) where
 * each token starts, so that a refusal can name the exact place.
 *
 * It accepts exactly RFC 8259 JSON, plus a leading UTF-8 byte order mark. It
 * refuses invalid UTF-8, unescaped control characters, lone surrogates, the
 * NUL character (raw or as \u0000), nesting deeper than JSON_MAX_DEPTH, strings
 * longer than JSON_MAX_STRING bytes, and anything after the top-level value.
 *
 * Caveats:
 * - Duplicate keys in one object are not detected here; callers that care
 *   (the batch importer does for known keys) check them.
 * - Text returned by json_text() is valid only until the next call on the
 *   same reader.
 */
#ifndef SKRANKE_JSON_H
#define SKRANKE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 64
#define JSON_MAX_STRING (1u << 20)

enum json_tok {
    JSON_ERROR,
    JSON_END, /* the document ended after its one top-level value */
    JSON_OBJECT,
    JSON_OBJECT_END,
    JSON_ARRAY,
    JSON_ARRAY_END,
    JSON_KEY,
    JSON_STRING,
    JSON_NUMBER,
    JSON_TRUE,
    JSON_FALSE,
    JSON_NULL,
};

struct json_reader;

/* Reads from f (not closed by the reader). Never returns NULL. */
struct json_reader *json_reader_create_file(FILE *f);
/* Reads from data[0..len), which must outlive the reader. Never returns NULL. */
struct json_reader *json_reader_create_mem(const char *data, size_t len);
void json_reader_destroy(struct json_reader *r);

/* The next token. After JSON_ERROR or JSON_END every call returns the same. */
enum json_tok json_next(struct json_reader *r);
/* Decoded text of the last KEY, STRING or NUMBER token, NUL-terminated. */
const char *json_text(const struct json_reader *r, size_t *len);
/* Where the last token started (or, after JSON_ERROR, where the error is). */
int json_line(const struct json_reader *r);
int json_col(const struct json_reader *r);
/* Whether the reader stopped at a syntax error (json_next gave JSON_ERROR). */
bool json_failed(const struct json_reader *r);
/* Why the last JSON_ERROR happened, in plain words. */
const char *json_error(const struct json_reader *r);
/* Call after a token that starts a value: skips the rest of that value
 * (whole object or array). Returns false on a syntax error. */
bool json_skip(struct json_reader *r, enum json_tok started);
/* A token's name for messages: "a string", "an object", … */
const char *json_tok_name(enum json_tok t);

#endif

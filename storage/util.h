/*
 * util.h — small pieces every layer needs: allocation that aborts on out of
 * memory (a kiosk is better restarted by its service than limping on), a
 * growable byte buffer, one-line logging, UTF-8 checks, and the clock.
 *
 * The clock reads $SKRANKE_NOW when it is set (RFC 3339 in UTC, for example
 * 2026-11-24T09:15:00Z), so that tests and demos can pin "today"; otherwise
 * it is the system's clock. Dates and times shown or stored for people are in
 * local time (TZ), instants in exported manifests are UTC.
 */
#ifndef SKRANKE_UTIL_H
#define SKRANKE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* One line to stderr: "skranke: <module>: <message>". */
void log_msg(const char *module, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growable byte buffer; data is always NUL-terminated (not counted in len). */
struct buf {
    char *data;
    size_t len;
    size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_clear(struct buf *b);
void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal, quotes included. */
void buf_put_json_string(struct buf *b, const char *s);
/* One CSV cell separated by sep: quoted when it holds sep, a quote or a
 * line break. A cell that a spreadsheet would take for a formula (OWASP's
 * "CSV injection": = + - @, tab, CR), or that starts with an apostrophe, is
 * written with one leading apostrophe, so a reader gets the stored text
 * back by dropping one leading apostrophe. */
void buf_put_csv_cell(struct buf *b, const char *s, char sep);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t n);
/* Number of code points in well-formed UTF-8. */
size_t utf8_count(const char *s, size_t n);
/* The code point at *p, advancing *p past it (U+FFFD for a bad byte). */
uint32_t utf8_next(const char **p);
/* Writes code point cp (at most U+10FFFF) as UTF-8 into out; returns the
 * byte count (1 to 4). */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Removes the last code point of the NUL-terminated s, if any. */
void utf8_pop(char *s);
/* Copies src into dst[cap] whole, or cut at a character boundary with "…"
 * at the end when it does not fit (never half a character). Returns true
 * when all of src fit. */
bool utf8_copy(char *dst, size_t cap, const char *src);

/* Seconds since the epoch, from $SKRANKE_NOW when set. */
time_t clock_now(void);
/* Local date "YYYY-MM-DD" of t (out: 11 bytes). */
void clock_date(time_t t, char out[11]);
/* Local time "HH:MM" of t (out: 6 bytes). */
void clock_hhmm(time_t t, char out[6]);
/* UTC instant "YYYY-MM-DDTHH:MM:SSZ" of t (out: 21 bytes). */
void clock_rfc3339(time_t t, char out[21]);

/* Strict parsers; they return false for anything not exactly in the form. */
bool parse_date(const char *s, int *y, int *m, int *d);
bool parse_hhmm(const char *s, int *h, int *min);
/* RFC 3339 with a 'Z' or numeric offset, optional fraction; result in UTC. */
bool parse_rfc3339(const char *s, time_t *out);
/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
long days_from_civil(int y, int m, int d);

#endif

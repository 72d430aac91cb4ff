/*
 * csv.c — the strict CSV reader of csv.h: a small state machine over the
 * bytes of one row at a time, copying cell text (quotes undone) into one
 * buffer with a NUL after each cell. UTF-8 is checked per cell once the cell
 * is complete, so a character split by quoting rules is never half-checked.
 */
#include <stdio.h>
#include <string.h>

#include "csv.h"

void csv_reader_init(struct csv_reader *r, const char *data, size_t len, char sep)
{
    memset(r, 0, sizeof *r);
    r->p = data;
    r->end = data + len;
    r->sep = sep;
    r->next_line = 1;
    buf_init(&r->text);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
}

void csv_reader_deinit(struct csv_reader *r)
{
    buf_free(&r->text);
}

static int fail(struct csv_reader *r, const char *why)
{
    snprintf(r->error, sizeof r->error, "%s", why);
    r->p = r->end = NULL;
    r->line = r->next_line;
    return -1;
}

/* Ends the current cell: checks its UTF-8 and starts the next one. */
static int end_cell(struct csv_reader *r)
{
    const char *cell = r->text.data ? r->text.data + r->start[r->ncells] : "";
    size_t n = r->text.len - r->start[r->ncells];
    if (!utf8_valid(cell, n))
        return fail(r, "not UTF-8 text");
    buf_putc(&r->text, 0);
    r->ncells++;
    return 0;
}

static int begin_cell(struct csv_reader *r)
{
    if (r->ncells == CSV_MAX_CELLS)
        return fail(r, "too many cells in one row");
    r->start[r->ncells] = r->text.len;
    return 0;
}

int csv_next(struct csv_reader *r)
{
    if (!r->p)
        return r->error[0] ? -1 : 0;
    if (r->p == r->end)
        return 0;
    buf_clear(&r->text);
    r->ncells = 0;
    r->line = r->next_line;
    if (begin_cell(r))
        return -1;
    enum { START, PLAIN, QUOTED, AFTER_QUOTE } state = START;
    while (r->p < r->end) {
        char c = *r->p++;
        if (state == QUOTED) {
            if (c == '"') {
                state = AFTER_QUOTE;
                continue;
            }
            if (c == '\n')
                r->next_line++;
            buf_putc(&r->text, c);
            continue;
        }
        if (state == AFTER_QUOTE && c == '"') {
            buf_putc(&r->text, '"');
            state = QUOTED;
            continue;
        }
        if (c == r->sep) {
            if (end_cell(r) || begin_cell(r))
                return -1;
            state = START;
            continue;
        }
        if (c == '\r') {
            if (r->p == r->end || *r->p != '\n')
                return fail(r, "a carriage return without a line feed");
            continue;
        }
        if (c == '\n') {
            r->next_line++;
            return end_cell(r) ? -1 : 1;
        }
        if (state == AFTER_QUOTE)
            return fail(r, "text after a closing quote");
        if (c == '"') {
            if (state == PLAIN)
                return fail(r, "a quote inside an unquoted cell");
            state = QUOTED;
            continue;
        }
        state = PLAIN;
        buf_putc(&r->text, c);
    }
    if (state == QUOTED)
        return fail(r, "the file ends inside a quoted cell");
    return end_cell(r) ? -1 : 1;
}

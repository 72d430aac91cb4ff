/*
 * csv.h — a strict reader of the CSV files skranke exports (FORMATS.md
 * section 4): UTF-8 with an optional byte order mark, a separator given by
 * the caller (';' for Excel on a Danish PC), rows ending in CRLF (or LF),
 * and cells quoted with '"' when they hold the separator, a quote, CR or LF
 * ("" inside quotes is one quote).
 *
 * It reads from memory and refuses, with the line where it happened: bytes
 * that are not UTF-8, a quote inside an unquoted cell, anything but a
 * separator or a line end after a closing quote, a file ending inside
 * quotes, a bare CR, and rows of more than CSV_MAX_CELLS cells.
 *
 * Caveats: cell text is valid until the next csv_next() or csv_reader_deinit().
 */
#ifndef SKRANKE_CENTRAL_CSV_H
#define SKRANKE_CENTRAL_CSV_H

#include <stddef.h>

#include "util.h"

#define CSV_MAX_CELLS 64

struct csv_reader {
    const char *p, *end;
    char sep;
    int line;             /* line (from 1) where the last row started */
    int next_line;
    size_t ncells;        /* cells of the last row */
    size_t start[CSV_MAX_CELLS];
    struct buf text;      /* the last row's cells, each NUL-terminated */
    char error[96];       /* why csv_next() returned -1 */
};

/* Starts reading data[0..len), which must outlive the reader. */
void csv_reader_init(struct csv_reader *r, const char *data, size_t len, char sep);
void csv_reader_deinit(struct csv_reader *r);

/* Reads the next row: 1 with ncells and csv_cell(), 0 at the end of the
 * data, -1 with error and line set (the reader then stays at -1). */
int csv_next(struct csv_reader *r);

/* Cell i (< ncells) of the last row. */
static inline const char *csv_cell(const struct csv_reader *r, size_t i)
{
    return r->text.data + r->start[i];
}

#endif

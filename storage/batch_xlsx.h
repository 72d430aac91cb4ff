/*
 * batch_xlsx.h — an export's records as a spreadsheet (responses.xlsx,
 * checkins.xlsx; FORMATS.md section 4), written with libxlsxwriter.
 *
 * Why a spreadsheet beside the CSV: a Danish PC opening the CSV guesses
 * each cell's type, and turns booking code 234E56 into 2.34E+58, session id
 * 1e5 into 100000 and 2026-11-24 into a date. Here every column has a
 * declared type: text cells are stored as text (the spreadsheet shows them
 * exactly as the kiosk stored them, and never evaluates a cell that starts
 * with "="), and the answers are numbers a person can average.
 *
 * Rows are streamed (libxlsxwriter's constant_memory mode), so 100 000
 * rows need little memory; its temporary files go to tmpdir.
 */
#ifndef SKRANKE_BATCH_XLSX_H
#define SKRANKE_BATCH_XLSX_H

#include <stdbool.h>
#include <time.h>

enum batch_xlsx_type {
    XLSX_TEXT,   /* stored as text, whatever it looks like */
    XLSX_NUMBER, /* a number when the cell is one; empty stays empty */
};

struct batch_xlsx;

/* Creates the workbook `path` with one sheet named `sheet` and a header row
 * of n columns (the arrays are read now, not kept). tmpdir holds the
 * library's temporary files (NULL: the system's). `created` is the time the
 * file says it was made: the same records and time give the same bytes (a
 * re-exported batch equals the original). NULL on failure (logged). */
struct batch_xlsx *batch_xlsx_create(const char *path, const char *tmpdir, const char *sheet,
                                     const char *const *headers,
                                     const enum batch_xlsx_type *types, int n, time_t created);
/* Appends a row of n cells (as given to create). False once a write failed. */
bool batch_xlsx_row(struct batch_xlsx *x, const char *const *cells);
/* Writes the file and frees x (always). False when the file could not be
 * written completely; the caller then removes it. */
bool batch_xlsx_close(struct batch_xlsx *x);

#endif

/*
 * report_doc.h — the report as a list of blocks (title, headings, text,
 * tables, charts) that report.c fills and report_render.c writes as PDF
 * (cairo, A4) and as one self-contained HTML file (charts as PNG data:
 * URIs drawn by the same cairo code). Internal to skranke-central.
 */
#ifndef SKRANKE_CENTRAL_REPORT_DOC_H
#define SKRANKE_CENTRAL_REPORT_DOC_H

#include <stdbool.h>
#include <stddef.h>

#define DOC_SUPPRESSED "x"

/* A table of text; every string is owned by the table. */
struct doc_table {
    int ncols;
    int first_number;    /* columns from here on are numbers, right-aligned */
    char **head;         /* ncols */
    size_t nrows;
    char **cells;        /* nrows × ncols */
    unsigned char *bold; /* per row: a total */
};

/* Share of answers per quarter for one statement: bars of the five
 * answers and "ved ikke" (tenths of a per cent of n; -1 suppressed). */
struct doc_trend {
    int nq;
    char label[4][24];
    bool hidden[4];
    int tenths[4][6]; /* [0] ved ikke, [1..5] the answers */
    char agree[4][48]; /* the agree share as shown, or "x" */
};

/* Walk-ins by ISO weekday (0 = Monday) and hour; -1 suppressed. */
struct doc_heat {
    long count[7][24];
};

enum doc_kind { DOC_TITLE, DOC_HEADING, DOC_TEXT, DOC_TABLE, DOC_TREND, DOC_HEAT };

struct doc_block {
    enum doc_kind kind;
    char *text; /* title, heading, paragraph, or the chart's caption */
    struct doc_table *table;
    struct doc_trend *trend;
    struct doc_heat *heat;
};

struct doc {
    struct doc_block *blocks;
    size_t n;
};

/* Appends a block; the doc owns what the block points to. */
struct doc_block *doc_add(struct doc *d, enum doc_kind kind, const char *text);
struct doc_table *doc_table_create(int ncols, int first_number, const char *const *head);
/* Appends a row of ncols copied strings. */
void doc_table_row(struct doc_table *t, const char *const *cells, bool bold);
void doc_free(struct doc *d);

/* Write the document. 0, or -1 after a log line. */
int doc_write_pdf(const struct doc *d, const char *path);
int doc_write_html(const struct doc *d, const char *path);
/* Lets cairo and fontconfig free their caches (after the last drawing; a
 * leak checker then sees a clean exit). */
void doc_render_done(void);

#endif

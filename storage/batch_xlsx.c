/*
 * batch_xlsx.c — see batch_xlsx.h. A thin layer over libxlsxwriter: the
 * header row in bold, frozen; text columns as strings, number columns as
 * numbers; column widths from the header, so that a member of staff sees
 * every column without resizing.
 */
#include "batch_xlsx.h"

#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "util.h"

#define XLSX_MAX_COLS 16

struct batch_xlsx {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    enum batch_xlsx_type types[XLSX_MAX_COLS];
    int n;
    lxw_row_t row;
    bool failed;
};

static bool ok(struct batch_xlsx *x, lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR)
        return true;
    if (!x->failed)
        log_msg("xlsx", "%s: %s", what, lxw_strerror(e));
    x->failed = true;
    return false;
}

struct batch_xlsx *batch_xlsx_create(const char *path, const char *tmpdir, const char *sheet,
                                     const char *const *headers,
                                     const enum batch_xlsx_type *types, int n, time_t created)
{
    if (n < 1 || n > XLSX_MAX_COLS)
        return NULL;
    struct batch_xlsx *x = xcalloc(1, sizeof *x);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir};
    x->wb = workbook_new_opt(path, &opt);
    x->ws = x->wb ? workbook_add_worksheet(x->wb, sheet) : NULL;
    if (!x->ws) {
        log_msg("xlsx", "%s: cannot create the workbook", path);
        if (x->wb)
            workbook_close(x->wb);
        free(x);
        return NULL;
    }
    lxw_doc_properties props = {.title = (char *)sheet, .comments = "skranke", .created = created};
    ok(x, workbook_set_properties(x->wb, &props), "properties");
    x->n = n;
    memcpy(x->types, types, (size_t)n * sizeof *types);
    lxw_format *bold = workbook_add_format(x->wb);
    format_set_bold(bold);
    for (int c = 0; c < n; c++) {
        double width = (double)strlen(headers[c]) + 4;
        if (types[c] == XLSX_TEXT && width < 14)
            width = 14;
        ok(x, worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, width, NULL), "column");
        ok(x, worksheet_write_string(x->ws, 0, (lxw_col_t)c, headers[c], bold), "header");
    }
    worksheet_freeze_panes(x->ws, 1, 0);
    x->row = 1;
    return x;
}

/* A whole cell that is a number (digits, an optional sign and point). */
static bool number(const char *s, double *v)
{
    if (!*s)
        return false;
    char *end;
    *v = strtod(s, &end);
    return *end == '\0' && strspn(s, "+-.0123456789") == strlen(s);
}

bool batch_xlsx_row(struct batch_xlsx *x, const char *const *cells)
{
    for (int c = 0; c < x->n && !x->failed; c++) {
        const char *s = cells[c] ? cells[c] : "";
        double v;
        if (!*s)
            continue; /* an empty cell stays empty */
        if (x->types[c] == XLSX_NUMBER && number(s, &v))
            ok(x, worksheet_write_number(x->ws, x->row, (lxw_col_t)c, v, NULL), "number");
        else
            ok(x, worksheet_write_string(x->ws, x->row, (lxw_col_t)c, s, NULL), "text");
    }
    x->row++;
    return !x->failed;
}

bool batch_xlsx_close(struct batch_xlsx *x)
{
    bool good = !x->failed;
    lxw_error e = workbook_close(x->wb);
    if (e != LXW_NO_ERROR) {
        log_msg("xlsx", "cannot write the workbook: %s", lxw_strerror(e));
        good = false;
    }
    free(x);
    return good;
}

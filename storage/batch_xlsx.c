/*
 * batch_xlsx.c — see batch_xlsx.h. A thin layer over libxlsxwriter: the
 * header row in bold, frozen; text columns as strings, number columns as
 * numbers; column widths from the header, so that a member of staff sees
 * every column without resizing.
 *
 * The library is opened with dlopen when the first workbook is made, not
 * linked: it brings OpenSSL's libcrypto and minizip, and loading those at
 * every start of the kiosk cost a few milliseconds before its first frame
 * (scripts/bench-window) for a file written once a week. Each function is
 * declared with its prototype from xlsxwriter.h, checked by the compiler in
 * lib_load() (an assignment inside sizeof, which is not evaluated).
 */
#include "batch_xlsx.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "util.h"

#define XLSX_LIBRARY "libxlsxwriter.so.4"

#define XLSX_FUNCTIONS(X)                                                                     \
    X(lxw_workbook *, workbook_new_opt, (const char *, lxw_workbook_options *))                \
    X(lxw_worksheet *, workbook_add_worksheet, (lxw_workbook *, const char *))                  \
    X(lxw_error, workbook_close, (lxw_workbook *))                                             \
    X(lxw_error, workbook_set_properties, (lxw_workbook *, lxw_doc_properties *))              \
    X(lxw_format *, workbook_add_format, (lxw_workbook *))                                     \
    X(void, format_set_bold, (lxw_format *))                                                   \
    X(lxw_error, worksheet_set_column,                                                         \
      (lxw_worksheet *, lxw_col_t, lxw_col_t, double, lxw_format *))                           \
    X(lxw_error, worksheet_write_string,                                                       \
      (lxw_worksheet *, lxw_row_t, lxw_col_t, const char *, lxw_format *))                     \
    X(lxw_error, worksheet_write_number,                                                       \
      (lxw_worksheet *, lxw_row_t, lxw_col_t, double, lxw_format *))                           \
    X(void, worksheet_freeze_panes, (lxw_worksheet *, lxw_row_t, lxw_col_t))                   \
    X(char *, lxw_strerror, (lxw_error))

static struct {
#define X(ret, name, args) ret(*name) args;
    XLSX_FUNCTIONS(X)
#undef X
} lib;
static bool lib_ok;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void lib_load(void)
{
    void *h = dlopen(XLSX_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        log_msg("xlsx", "%s", dlerror());
        return;
    }
    bool all = true;
#define X(ret, name, args)                                                                    \
    (void)sizeof(lib.name = name); /* the prototype matches */                                 \
    *(void **)&lib.name = dlsym(h, #name);                                                     \
    all = all && lib.name;
    XLSX_FUNCTIONS(X)
#undef X
    if (!all)
        log_msg("xlsx", "%s lacks a function the export needs", XLSX_LIBRARY);
    lib_ok = all;
}

/* The functions are called through the table under their own names. */
#define workbook_new_opt lib.workbook_new_opt
#define workbook_add_worksheet lib.workbook_add_worksheet
#define workbook_close lib.workbook_close
#define workbook_set_properties lib.workbook_set_properties
#define workbook_add_format lib.workbook_add_format
#define format_set_bold lib.format_set_bold
#define worksheet_set_column lib.worksheet_set_column
#define worksheet_write_string lib.worksheet_write_string
#define worksheet_write_number lib.worksheet_write_number
#define worksheet_freeze_panes lib.worksheet_freeze_panes
#define lxw_strerror lib.lxw_strerror

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
    pthread_once(&lib_once, lib_load);
    if (!lib_ok) {
        log_msg("xlsx", "%s: cannot write spreadsheets without %s (Debian: libxlsxwriter4)", path,
                XLSX_LIBRARY);
        return NULL;
    }
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

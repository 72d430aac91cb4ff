/*
 * test_central_csv.c — the CSV reader skranke-central reads check-ins with
 * (app/central/csv.h): Excel's Danish CSV as the kiosk writes it (BOM, ';',
 * CRLF, quoted cells with separators, quotes and line breaks inside), and
 * the refusals that name the line: a stray quote, text after a closing
 * quote, a bare CR, a file ending inside quotes, bytes that are not UTF-8.
 */
#include "test.h"

#include "csv.h"

/* Reads every row of text into "a|b|c\n" lines; the last csv_next() result
 * goes to *last, the reader's error line to *line. */
static char *rows_of(const char *text, int *last, int *line, char *why, size_t why_cap)
{
    struct csv_reader r;
    csv_reader_init(&r, text, strlen(text), ';');
    struct buf out;
    buf_init(&out);
    int rc;
    while ((rc = csv_next(&r)) == 1) {
        for (size_t i = 0; i < r.ncells; i++)
            buf_printf(&out, "%s%s", i ? "|" : "", csv_cell(&r, i));
        buf_putc(&out, '\n');
    }
    *last = rc;
    *line = r.line;
    snprintf(why, why_cap, "%s", r.error);
    csv_reader_deinit(&r);
    return out.data ? out.data : xstrdup("");
}

/* text must be refused at line want_line, for a reason holding want_why. */
static void refused(const char *text, int want_line, const char *want_why)
{
    int last, line;
    char why[96];
    free(rows_of(text, &last, &line, why, sizeof why));
    CHECK(last == -1);
    CHECK(line == want_line);
    CHECK_CONTAINS(why, want_why);
}

int main(void)
{
    int last, line;
    char why[96];
    char *got = rows_of("\xEF\xBB\xBF"
                        "checkin_id;unit;result\r\n"
                        "c-1;\"Andet; \"\"hurtigt\"\"\";ok\r\n"
                        "c-2;\"to\r\nlinjer\";\r\n"
                        "c-3;Værksted;\r\n",
                        &last, &line, why, sizeof why);
    CHECK_STR(got, "checkin_id|unit|result\n"
                   "c-1|Andet; \"hurtigt\"|ok\n"
                   "c-2|to\r\nlinjer|\n"
                   "c-3|Værksted|\n");
    CHECK(last == 0);
    free(got);

    got = rows_of("a;b\nc;d", &last, &line, why, sizeof why);
    CHECK_STR(got, "a|b\nc|d\n");
    CHECK(last == 0);
    free(got);

    refused("a;b\r\nc;x\"y\r\n", 2, "quote inside an unquoted cell");
    refused("a;\"b\"c\r\n", 1, "after a closing quote");
    refused("a;b\rc\r\n", 1, "carriage return");
    refused("a\r\n\"open\r\nstill open", 3, "ends inside a quoted cell");
    refused("ok\r\nbad \xC3\x28;x\r\n", 2, "UTF-8");

    /* An empty file has no rows; a row of empty cells is still a row. */
    got = rows_of("", &last, &line, why, sizeof why);
    CHECK_STR(got, "");
    CHECK(last == 0);
    free(got);
    got = rows_of(";;\r\n", &last, &line, why, sizeof why);
    CHECK_STR(got, "||\n");
    free(got);

    TEST_END();
}

/*
 * fuzz_central_csv.c — libFuzzer target for skranke-central's CSV reader
 * (app/central/csv.c), which reads checkins.csv from export batches that
 * arrive on a USB stick, so from outside.
 *
 * Each input is read to its end with ';' as separator (as ingest does) and
 * again with ','. Invariants: every row has 1 to CSV_MAX_CELLS cells, each a
 * NUL-terminated string inside the reader's own buffer; line numbers never
 * go back; after -1 (a refusal, with a reason) the reader stays at -1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_all(const uint8_t *data, size_t size, char sep)
{
    struct csv_reader r;
    csv_reader_init(&r, (const char *)data, size, sep);
    int got, last_line = 0;
    while ((got = csv_next(&r)) == 1) {
        if (r.ncells < 1 || r.ncells > CSV_MAX_CELLS || r.line < last_line)
            abort();
        last_line = r.line;
        for (size_t i = 0; i < r.ncells; i++) {
            const char *c = csv_cell(&r, i);
            if (c < r.text.data || c >= r.text.data + r.text.len ||
                strlen(c) > (size_t)(r.text.data + r.text.len - c))
                abort();
        }
    }
    if (got == -1 && (!r.error[0] || csv_next(&r) != -1))
        abort();
    csv_reader_deinit(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_all(data, size, ';');
    read_all(data, size, ',');
    return 0;
}

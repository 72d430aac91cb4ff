/*
 * batch_kinds.c — the table of batch kinds (see struct batch_kind_def in
 * batch.h) and how a file's kind is recognised: the top-level fields are
 * read in order, without building anything, until one kind claims one
 * (Jobnet's `JobPositionPostings` comes first in its responses, so a page is
 * recognised after a few bytes).
 *
 * A new kind is one file defining `const struct batch_kind_def
 * batch_kind_NAME` and one line in BATCH_KINDS below.
 */
#define _GNU_SOURCE
#include "batch.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"

#define BATCH_KINDS(X)                                                                            \
    X(jobs)                                                                                       \
    X(schedule)                                                                                   \
    X(jobnet)

static int parse_native(const struct batch_input *in, size_t n, const struct batch_sink *sink,
                        struct buf *err)
{
    (void)n; /* one file: pages is false */
    return batch_parse(in, sink, err);
}

static bool is_jobs(const char *key, const char *text)
{
    return strcmp(key, "format") == 0 && text && strncmp(text, "skranke.jobs/", 13) == 0;
}

static bool is_schedule(const char *key, const char *text)
{
    return strcmp(key, "format") == 0 && text && strncmp(text, "skranke.schedule/", 17) == 0;
}

const struct batch_kind_def batch_kind_jobs = {"skranke.jobs/1", BATCH_JOBS, false, is_jobs,
                                               parse_native};
const struct batch_kind_def batch_kind_schedule = {"skranke.schedule/1, /2", BATCH_SCHEDULE,
                                                   false, is_schedule, parse_native};

#define DECLARE(k) extern const struct batch_kind_def batch_kind_##k;
BATCH_KINDS(DECLARE)
#define ENTRY(k) &batch_kind_##k,
const struct batch_kind_def *const batch_kinds[] = {BATCH_KINDS(ENTRY)};
const size_t batch_kinds_n = sizeof batch_kinds / sizeof *batch_kinds;

static const struct batch_kind_def *claim(const char *key, const char *text)
{
    for (size_t i = 0; i < batch_kinds_n; i++)
        if (batch_kinds[i]->recognise(key, text))
            return batch_kinds[i];
    return NULL;
}

const struct batch_kind_def *batch_recognise(const struct batch_input *in)
{
    if (in->f)
        rewind(in->f);
    struct json_reader *r =
        in->f ? json_reader_create_file(in->f) : json_reader_create_mem(in->data, in->len);
    const struct batch_kind_def *kind = NULL;
    if (json_next(r) == JSON_OBJECT) {
        while (!kind && json_next(r) == JSON_KEY) {
            char key[32];
            snprintf(key, sizeof key, "%s", json_text(r, NULL));
            enum json_tok t = json_next(r);
            kind = claim(key, t == JSON_STRING ? json_text(r, NULL) : NULL);
            if (kind || !json_skip(r, t))
                break;
        }
    }
    json_reader_destroy(r);
    if (in->f)
        rewind(in->f);
    return kind ? kind : batch_kinds[0];
}

const struct batch_kind_def *batch_recognise_file(const char *path)
{
    /* As the importer opens a batch (open_batch): never through a link,
     * never blocking on a FIFO, only a regular file of a batch's size. What
     * is not one is left to the importer, which refuses it and says why. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    FILE *f = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (uint64_t)st.st_size <= BATCH_JOBS_MAX_BYTES)
        f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return NULL;
    }
    struct batch_input in = {.name = path, .f = f};
    const struct batch_kind_def *kind = batch_recognise(&in);
    fclose(f);
    return kind;
}

size_t batch_find_pages(const char *const *paths, size_t n, const char **pages)
{
    size_t n_pages = 0;
    for (size_t i = 0; i < n; i++) {
        const struct batch_kind_def *k = paths[i] ? batch_recognise_file(paths[i]) : NULL;
        if (k && k->pages)
            pages[n_pages++] = paths[i];
    }
    return n_pages;
}

bool batch_is_page(const char *const *pages, size_t n_pages, const char *path)
{
    for (size_t i = 0; i < n_pages; i++)
        if (pages[i] == path || strcmp(pages[i], path) == 0)
            return true;
    return false;
}

/*
 * batch.h — batch files in and out (FORMATS.md sections 1, 2, 4 and 7).
 *
 * Import goes through the table of batch kinds (batch_kinds.c): a file's
 * kind is recognised by its content, and the kind's reader streams it with
 * the pull JSON reader and hands validated records to a sink. The readers:
 * `skranke.jobs/1` and `skranke.schedule/1` or `/2` (batch_parse.c, two
 * passes: the first checks the syntax of the whole file and reads the
 * top-level fields, so `format` may come anywhere), and Jobnet's job search
 * pages (batch_jobnet.c, one pass over several files). The store's sink
 * writes the records in one transaction that commits only when the whole
 * batch was good: a refused batch changes nothing.
 *
 * Job data is messy, not invalid (README): texts are cleaned, a job that
 * breaks a per-job rule is skipped and reported through sink->skip, and the
 * batch is refused only for its envelope or when more than 10 % of its jobs
 * are skipped.
 *
 * Every refusal, and every skipped job, is one line: "FILE:LINE:COL: PATH:
 * reason", where PATH is the field (`jobs[3].title`, `appointments[0].code`)
 * when there is one.
 *
 * Export writes `skranke.export/1` batch directories; see batch_export.c for
 * the order of writes that makes a pulled USB stick harmless.
 */
#ifndef SKRANKE_BATCH_H
#define SKRANKE_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "store.h"
#include "util.h"

#define BATCH_JOBS_MAX_BYTES (64u << 20)
#define BATCH_SCHEDULE_MAX_BYTES (16u << 20)
#define BATCH_JOBS_MAX 200000
#define BATCH_APPOINTMENTS_MAX 5000
#define BATCH_SESSIONS_MAX 500

enum batch_kind { BATCH_JOBS = 1, BATCH_SCHEDULE };

struct batch_header {
    enum batch_kind kind;
    int version; /* of the format: skranke.schedule/2 is 2 */
    char batch_id[129];
    time_t generated_at;
    char source[STORE_TEXT_MAX + 1]; /* jobs */
    char site[STORE_SITE_MAX + 1];   /* schedule */
    char date[11];                   /* schedule */
    int generated_line, generated_col; /* where generated_at stands */
    const char *generated_file; /* in which file, when not the first (or NULL) */
    int site_line, site_col, date_line, date_col; /* schedule: where site and date stand */
};

/* Receives validated records. A callback that returns non-zero stops the
 * parse; it should have put its reason into err. */
struct batch_sink {
    int (*begin)(void *ctx, const struct batch_header *h, struct buf *err);
    int (*job)(void *ctx, const struct job *j, struct buf *err);
    int (*appointment)(void *ctx, const struct appointment *a, struct buf *err);
    int (*session)(void *ctx, const struct session *s, struct buf *err);
    int (*end)(void *ctx, struct buf *err);
    void *ctx;
    /* A job skipped for breaking a per-job rule (README: messy is not
     * invalid): one line "FILE:LINE:COL: PATH: reason". May be NULL. */
    void (*skip)(void *ctx, const char *line);
    /* For a kind whose header is complete only after its records (Jobnet:
     * generated_at is the newest posting's): begin had generated_at 0, and
     * this gets the whole header before end. May be NULL. */
    int (*header)(void *ctx, const struct batch_header *h, struct buf *err);
};

/* The input: a file (rewound for the second pass) or bytes in memory. */
struct batch_input {
    const char *name; /* for messages */
    FILE *f;
    const char *data;
    size_t len;
};

/* Parses and validates a whole batch. 0 on success; STORE_EINVAL with the
 * reason in err (one line, no newline) when refused; a sink's own code when
 * it stopped the parse. */
int batch_parse(const struct batch_input *in, const struct batch_sink *sink, struct buf *err);

/* One kind of batch the kiosk reads: an entry of the table in
 * batch_kinds.c, which the importer, staff mode, status and the fuzzers go
 * through. A kind is recognised by its content (a top-level field), parses
 * and validates its n input files (several only when `pages`) and hands the
 * records to a sink; the sink of the kind it fills (jobs or schedule)
 * applies them to the store (batch_import.c). */
struct batch_kind_def {
    const char *name; /* for people and messages */
    enum batch_kind fills;
    bool pages; /* several files given together form one batch */
    /* Whether this top-level field marks the kind; text is the field's
     * value when it is a string, else NULL. */
    bool (*recognise)(const char *key, const char *text);
    int (*parse)(const struct batch_input *in, size_t n, const struct batch_sink *sink,
                 struct buf *err);
};

extern const struct batch_kind_def *const batch_kinds[];
extern const size_t batch_kinds_n;

/* The kind of the batch in in (rewound after): the first kind that claims
 * a top-level field; the skranke.* reader when none does (it says what is
 * wrong). */
const struct batch_kind_def *batch_recognise(const struct batch_input *in);
/* batch_recognise for a file; NULL when it cannot be read. */
const struct batch_kind_def *batch_recognise_file(const char *path);
/* Of paths[0..n) (NULL entries skipped), those of a kind whose files form
 * one batch together (Jobnet's pages), in order, into pages; returns how
 * many. Every other file is a batch of its own. The importer, staff mode
 * and the sync folder take the pages as one batch where the first stands. */
size_t batch_find_pages(const char *const *paths, size_t n, const char **pages);
/* Whether path is one of pages[0..n_pages). */
bool batch_is_page(const char *const *pages, size_t n_pages, const char *path);

struct import_result {
    struct batch_header header;
    size_t jobs, appointments, sessions;
    size_t skipped; /* jobs skipped (each reported through opts->skips) */
    const struct batch_kind_def *kind;
    bool older; /* older than the batch loaded: refused, or taken with accept_older */
};

/* Imports one batch file into the store in one transaction. STORE_EINVAL
 * with err set when refused (nothing changed); other STORE_E* on failure.
 * Besides the format it refuses a batch made more than
 * BATCH_FUTURE_MAX_S after the kiosk's clock, a schedule for another site
 * (the `site` setting) or for a day already past, and a batch older than
 * the one loaded (res->older set). */
int batch_import_file(struct store *s, const char *path, struct import_result *res,
                      struct buf *err);

#define BATCH_FUTURE_MAX_S (24 * 3600)


struct batch_import_opts {
    time_t now;        /* the kiosk's clock; 0 = clock_now() */
    bool accept_older; /* take a batch older than the loaded one (res->older says so) */
    struct buf *skips; /* when set: one line per skipped job, each ending in '\n' */
};

/* batch_import_file with options; opts may be NULL (the defaults). */
int batch_import_file_opts(struct store *s, const char *path, const struct batch_import_opts *opts,
                           struct import_result *res, struct buf *err);

/* Imports n files that form one batch, in one transaction: the pages of a
 * Jobnet search (a kind with `pages`). n = 1 is batch_import_file_opts.
 * opts may be NULL. */
int batch_import_files(struct store *s, const char *const *paths, size_t n,
                       const struct batch_import_opts *opts, struct import_result *res,
                       struct buf *err);

struct export_result {
    uint32_t seq;
    char dir[4096]; /* the batch directory written */
    size_t responses, checkins;
};

/* Writes every record waiting for export as a new batch under outdir (a
 * real folder, not a link), reads it back, and only then marks the batch
 * done and uses up its seq. The batch's records are decided in the store
 * first: when a batch was decided and never verified (an export that
 * failed, died or was pulled), that batch is written again instead, with
 * the same seq and records. With seq > 0, writes batch seq again with the
 * same records (a batch not yet verified becomes done when it verifies).
 * On failure err says why (one sentence naming the file where there is
 * one); nothing outside outdir is touched and the batch is not done. */
int batch_export(struct store *s, const char *outdir, uint32_t seq, struct export_result *res,
                 struct buf *err);

/* Sets *due to whether batch_export (seq 0) would write a batch: records
 * are waiting, or a batch decided before was never verified. Staff mode
 * writes nothing when nothing is due ("Intet at gemme"). */
int batch_export_due(struct store *s, bool *due);

/* Checks a batch directory against its manifest: format, every file's size
 * and SHA-256, and that the listed files are all there. STORE_EINVAL with
 * err set when it does not verify. */
int batch_verify(const char *dir, struct buf *err);
/* Like batch_verify, after checking manifest.json.minisig against the public
 * key file pubkey_path. */
int batch_verify_signed(const char *dir, const char *pubkey_path, struct buf *err);

/* Why text s may not be shown to citizens (a bidi control character, or
 * something that looks like a CPR number), as a batch of the schedule would
 * refuse it; NULL when it may. For texts that do not come in a batch, such
 * as per-language labels in the settings. */
const char *batch_text_refusal(const char *s);

/* Escapes one CSV cell (FORMATS.md: ';' separated, quoted when needed). */
void csv_cell(struct buf *b, const char *s);

#endif

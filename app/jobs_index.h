/*
 * jobs_index.h — the job openings the kiosk shows, in memory, searchable on
 * every keystroke.
 *
 * Loaded from the store once per imported batch: only what the list and the
 * search need (title, employer, town, category, deadline, hours, kind); the
 * rest of an ad is read from the store when its detail opens. Jobs whose
 * deadline has passed are left out.
 *
 * Search folds case and accents, and treats the Danish letters as their
 * two-letter spellings and their plain look-alikes alike: æ, ae and a; ø, oe
 * and o; å, aa and a ("chauffor" finds "Chauffør", "sosu" finds
 * "SOSU-hjælper"). Every word of the query must occur in the title,
 * employer, town or category. Results are ranked: a word at the start of a
 * word in the title, then anywhere in the title, then the category, then
 * employer and town; ties by nearest deadline.
 *
 * A query that extends the previous one (one more letter typed) searches
 * only the previous results, so typing stays fast at 100 000 jobs.
 */
#ifndef SKRANKE_JOBS_INDEX_H
#define SKRANKE_JOBS_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define JOBS_MAX_CATEGORIES 64

struct job_row {
    uint32_t index; /* the job's position in its batch (store key) */
    uint32_t title, employer, city, category; /* offsets into the text arena */
    uint32_t hay, hay_len;  /* folded search text */
    char deadline[11];      /* "" when none */
    uint8_t hours, kind;
    uint8_t cat;            /* category number */
};

struct jobs_filter {
    int category; /* -1 any, else a category number */
    int hours;    /* -1 any, else enum job_hours */
    int kind;     /* -1 any, else enum job_kind */
};

struct jobs_index {
    struct job_row *rows;
    size_t n;
    char *text;
    size_t text_len, text_cap;
    char categories[JOBS_MAX_CATEGORIES][STORE_TEXT_MAX + 1];
    int n_categories;
    struct jobs_info info;

    /* The current result, in ranked order (indexes into rows). */
    uint32_t *result;
    size_t n_result;
    /* Chip counts for the current query and the other filter groups. */
    size_t count_category[JOBS_MAX_CATEGORIES], count_hours[4], count_kind[7];

    /* For narrowing: the last query and its matches before filtering. */
    char last_query[256];
    uint32_t *matched;
    uint8_t *score;
    size_t n_matched;
    bool have_last;
};

/* Loads the jobs open on `today` (YYYY-MM-DD) from the store. */
int jobs_index_load(struct jobs_index *x, struct store *s, const char *today);
void jobs_index_free(struct jobs_index *x);
/* Runs query (UTF-8, any case) with filter; fills result and chip counts. */
void jobs_index_search(struct jobs_index *x, const char *query, const struct jobs_filter *f);
const char *jobs_row_text(const struct jobs_index *x, uint32_t off);

/* Folds text for searching into out (see above); returns its length. */
size_t jobs_fold(const char *text, char *out, size_t cap);

#endif

/*
 * jobs_index.h — the job openings the kiosk shows, in memory, searchable on
 * every keystroke.
 *
 * Loaded from the store once per imported batch: only what the list and the
 * search need (title, employer, town, category, deadline, hours, kind, and
 * the words of the summary); the rest of an ad is read from the store when
 * its detail opens. Jobs whose deadline has passed are left out.
 *
 * Search folds text the way a citizen would expect it to match (see
 * jobs_fold): case, accents and compatibility forms by utf8proc, then the
 * rules of the kiosk's languages — Danish æ/ae/a, ø/oe/o, å/aa/a
 * ("chauffor" finds "Chauffør"); Ukrainian і/ї/и and ґ/г alike, apostrophes
 * ignored; Arabic alef forms as plain alef, taa marbuta as haa, alef
 * maksura as yaa, no tashkeel or tatweel; Persian ی/ک as Arabic ي/ك. Every
 * word of the query must occur in the title, employer, town, category or
 * summary. Results are ranked: a word at the start of a word in the title,
 * then anywhere in the title, then the category, then employer and town,
 * then the summary only; ties by nearest deadline.
 *
 * Summaries are long, so they are not kept as text: each distinct folded
 * word of all summaries is kept once (the vocabulary), and a row lists the
 * numbers of its summary's words. A query word is looked for in the
 * vocabulary once per keystroke; a row then only checks its word numbers.
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
#define JOBS_COMMON_WORD 0xFF

struct job_row {
    uint32_t index; /* the job's position in its batch (store key) */
    uint32_t title, employer, city, category; /* offsets into the text arena */
    uint32_t hay, hay_len;  /* folded search text */
    uint32_t words, words_len; /* the summary's word numbers in `word_ids` (see .c) */
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

    /* The summaries' words: each distinct folded word once, each followed
     * by '\1'; word_at[i] is where word i starts. Rows list their words in
     * word_ids, each once, in 7-bit groups (see jobs_index.c). */
    char *vocab;
    size_t vocab_len;
    uint32_t *word_at;
    size_t n_words;
    uint8_t *word_ids;
    size_t word_ids_len;
    uint16_t *word_hits; /* per word, a bit per query word found in it */
    /* Per word its bit in the rows' signatures (or JOBS_COMMON_WORD), and
     * per row the signature of its summary's words: see jobs_index.c. */
    uint8_t *word_bit;
    uint64_t *sig;

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

/* Folds text for searching into out (see above): letters and digits,
 * every other run of characters a single separator ' '. Returns the length
 * written; out is always terminated, cut at a character boundary when cap
 * is too small. */
size_t jobs_fold(const char *text, char *out, size_t cap);

#endif

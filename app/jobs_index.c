/*
 * jobs_index.c — loading, folding, searching and ranking job openings; see
 * jobs_index.h. Rows are kept sorted by deadline, so ranking is a stable
 * bucket sort by score: linear, with no comparison sort on a keystroke.
 */
#define _GNU_SOURCE
#include "jobs_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MAX_SCORE 255

/* ---- folding ---- */


/* Latin-1 and Latin Extended-A letters without their accents. */
static const char *latin_base(uint32_t cp)
{
    static const char *const latin1[64] = {
        "a", "a", "a", "a", "a", "a", "a", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
        "a", "a", "a", "a", "a", "a", "a", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y"};
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0];
    if (cp >= 0x100 && cp <= 0x17F) {
        static const char base[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjjjkkklllll"
                                   "lllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
        size_t i = cp - 0x100;
        static char one[2];
        if (i < sizeof base - 1) {
            one[0] = base[i];
            one[1] = '\0';
            return one;
        }
    }
    return NULL;
}

size_t jobs_fold(const char *text, char *out, size_t cap)
{
    size_t n = 0;
    char prev = ' ';
#define PUT(c)                                                                                    \
    do {                                                                                          \
        char c_ = (c);                                                                            \
        /* ae → a, oe → o, aa → a: the two-letter Danish spellings. */                           \
        if ((c_ == 'e' && (prev == 'a' || prev == 'o')) || (c_ == 'a' && prev == 'a')) {          \
            prev = '\1';                                                                          \
        } else if (n + 1 < cap) {                                                                 \
            out[n++] = c_;                                                                        \
            prev = c_;                                                                            \
        }                                                                                         \
    } while (0)
    for (const char *p = text; *p;) {
        uint32_t cp = utf8_next(&p);
        if (cp < 0x80) {
            char c = (char)cp;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c + 32);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                PUT(c);
            else
                PUT(' ');
        } else if (cp == 0xC6 || cp == 0xE6 || cp == 0xC5 || cp == 0xE5) {
            PUT('a'); /* æ, å */
        } else if (cp == 0xD8 || cp == 0xF8) {
            PUT('o'); /* ø */
        } else if (latin_base(cp)) {
            for (const char *b = latin_base(cp); *b; b++)
                PUT(*b);
        } else {
            /* Other scripts as they are, lower-cased where simple (Cyrillic). */
            if (cp >= 0x0410 && cp <= 0x042F)
                cp += 0x20;
            else if (cp >= 0x0400 && cp <= 0x040F)
                cp += 0x50;
            char b[4];
            size_t len;
            if (cp < 0x800) {
                b[0] = (char)(0xC0 | (cp >> 6));
                b[1] = (char)(0x80 | (cp & 0x3F));
                len = 2;
            } else {
                b[0] = (char)(0xE0 | (cp >> 12));
                b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                b[2] = (char)(0x80 | (cp & 0x3F));
                len = 3;
            }
            if (n + len < cap) {
                memcpy(out + n, b, len);
                n += len;
            }
            prev = '\2';
        }
    }
#undef PUT
    out[n < cap ? n : cap - 1] = '\0';
    return n;
}

/* ---- loading ---- */

static uint32_t add_text(struct jobs_index *x, const char *s, size_t n)
{
    if (x->text_len + n + 1 > x->text_cap) {
        x->text_cap = x->text_cap ? x->text_cap * 2 : (1u << 20);
        while (x->text_len + n + 1 > x->text_cap)
            x->text_cap *= 2;
        x->text = xrealloc(x->text, x->text_cap);
    }
    uint32_t off = (uint32_t)x->text_len;
    memcpy(x->text + x->text_len, s, n);
    x->text[x->text_len + n] = '\0';
    x->text_len += n + 1;
    return off;
}

struct load_ctx {
    struct jobs_index *x;
    const char *today;
    size_t cap;
    char fold[2048];
    struct buf hay;
};

static int category_of(struct jobs_index *x, const char *cat)
{
    for (int i = 0; i < x->n_categories; i++)
        if (strcmp(x->categories[i], cat) == 0)
            return i;
    if (x->n_categories == JOBS_MAX_CATEGORIES)
        return JOBS_MAX_CATEGORIES - 1; /* the last one gathers the rest */
    snprintf(x->categories[x->n_categories], sizeof x->categories[0], "%s", cat);
    return x->n_categories++;
}

static void load_one(const struct job *j, void *vctx)
{
    struct load_ctx *c = vctx;
    struct jobs_index *x = c->x;
    if (j->deadline[0] && strcmp(j->deadline, c->today) < 0)
        return; /* the deadline has passed */
    if (x->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        x->rows = xrealloc(x->rows, c->cap * sizeof *x->rows);
    }
    struct job_row *r = &x->rows[x->n++];
    memset(r, 0, sizeof *r);
    r->index = j->index;
    r->title = add_text(x, j->title, strlen(j->title));
    r->employer = add_text(x, j->employer, strlen(j->employer));
    r->city = add_text(x, j->city, strlen(j->city));
    r->category = add_text(x, j->category, strlen(j->category));
    snprintf(r->deadline, sizeof r->deadline, "%s", j->deadline);
    r->hours = (uint8_t)j->hours;
    r->kind = (uint8_t)j->kind;
    r->cat = (uint8_t)category_of(x, j->category);
    /* Haystack: title \1 category \1 employer \1 city, all folded. */
    buf_clear(&c->hay);
    const char *parts[4] = {j->title, j->category, j->employer, j->city};
    for (int i = 0; i < 4; i++) {
        size_t n = jobs_fold(parts[i], c->fold, sizeof c->fold);
        buf_put(&c->hay, c->fold, n);
        buf_putc(&c->hay, '\1');
    }
    r->hay = add_text(x, c->hay.data, c->hay.len);
    r->hay_len = (uint32_t)c->hay.len;
}

static int by_deadline(const void *a, const void *b)
{
    const struct job_row *x = a, *y = b;
    bool ex = !x->deadline[0], ey = !y->deadline[0];
    if (ex != ey)
        return ex ? 1 : -1; /* no deadline: last */
    int d = strcmp(x->deadline, y->deadline);
    return d ? d : (x->index < y->index ? -1 : x->index > y->index);
}

int jobs_index_load(struct jobs_index *x, struct store *s, const char *today)
{
    jobs_index_free(x);
    int rc = store_jobs_info(s, &x->info);
    if (rc)
        return rc;
    struct load_ctx c = {.x = x, .today = today};
    buf_init(&c.hay);
    rc = store_foreach_job(s, load_one, &c);
    buf_free(&c.hay);
    if (rc) {
        jobs_index_free(x);
        return rc;
    }
    if (x->n)
        qsort(x->rows, x->n, sizeof *x->rows, by_deadline);
    /* Give back what doubling reserved, and the store's pages read on the way. */
    x->text = xrealloc(x->text, x->text_len ? x->text_len : 1);
    x->text_cap = x->text_len;
    x->rows = xrealloc(x->rows, (x->n ? x->n : 1) * sizeof *x->rows);
    store_trim(s);
    x->result = xmalloc((x->n ? x->n : 1) * sizeof *x->result);
    x->matched = xmalloc((x->n ? x->n : 1) * sizeof *x->matched);
    x->score = xmalloc(x->n ? x->n : 1);
    return 0;
}

void jobs_index_free(struct jobs_index *x)
{
    free(x->rows);
    free(x->text);
    free(x->result);
    free(x->matched);
    free(x->score);
    memset(x, 0, sizeof *x);
}

const char *jobs_row_text(const struct jobs_index *x, uint32_t off)
{
    return x->text + off;
}

/* ---- searching ---- */

static int token_score(const char *hay, size_t hay_len, const char *tok, size_t tok_len)
{
    const char *end = hay + hay_len, *p = memmem(hay, hay_len, tok, tok_len);
    if (!p)
        return 0;
    const char *title_end = memchr(hay, '\1', hay_len);
    if (p < title_end) {
        /* In the title: at the start of a word is best. */
        for (const char *q = p; q && q < title_end;
             q = memmem(q + 1, (size_t)(end - q - 1), tok, tok_len))
            if (q == hay || q[-1] == ' ')
                return 8;
        return 5;
    }
    const char *cat_end = memchr(title_end + 1, '\1', (size_t)(end - title_end - 1));
    return p < cat_end ? 4 : 3;
}

/* Scores row r against the folded tokens; 0 when a token is missing. */
static int score_row(const struct jobs_index *x, const struct job_row *r, char tokens[][64],
                     const size_t *lens, int n_tokens)
{
    const char *hay = x->text + r->hay;
    int total = 0;
    for (int t = 0; t < n_tokens; t++) {
        int s = token_score(hay, r->hay_len, tokens[t], lens[t]);
        if (!s)
            return 0;
        total += s;
    }
    return total > MAX_SCORE ? MAX_SCORE : total ? total : 1;
}

static bool passes(const struct job_row *r, const struct jobs_filter *f, int skip_group)
{
    return (skip_group == 0 || f->category < 0 || r->cat == f->category) &&
           (skip_group == 1 || f->hours < 0 || r->hours == f->hours) &&
           (skip_group == 2 || f->kind < 0 || r->kind == f->kind);
}

void jobs_index_search(struct jobs_index *x, const char *query, const struct jobs_filter *f)
{
    char folded[256];
    jobs_fold(query, folded, sizeof folded);
    char tokens[16][64];
    size_t lens[16];
    int n_tokens = 0;
    char *save = NULL, copy[256];
    snprintf(copy, sizeof copy, "%s", folded);
    for (char *t = strtok_r(copy, " ", &save); t && n_tokens < 16; t = strtok_r(NULL, " ", &save)) {
        snprintf(tokens[n_tokens], sizeof tokens[0], "%s", t);
        lens[n_tokens] = strlen(tokens[n_tokens]);
        n_tokens++;
    }
    /* Typing one more letter can only narrow the matches: search those. */
    bool narrow = x->have_last && x->last_query[0] && strlen(folded) > strlen(x->last_query) &&
                  strncmp(folded, x->last_query, strlen(x->last_query)) == 0;
    size_t n_in = narrow ? x->n_matched : x->n, n_out = 0;
    for (size_t i = 0; i < n_in; i++) {
        uint32_t row = narrow ? x->matched[i] : (uint32_t)i;
        int s = n_tokens ? score_row(x, &x->rows[row], tokens, lens, n_tokens) : 1;
        if (s) {
            x->matched[n_out] = row;
            x->score[n_out++] = (uint8_t)s;
        }
    }
    x->n_matched = n_out;
    snprintf(x->last_query, sizeof x->last_query, "%s", folded);
    x->have_last = true;

    memset(x->count_category, 0, sizeof x->count_category);
    memset(x->count_hours, 0, sizeof x->count_hours);
    memset(x->count_kind, 0, sizeof x->count_kind);
    size_t bucket[MAX_SCORE + 1] = {0};
    for (size_t i = 0; i < n_out; i++) {
        const struct job_row *r = &x->rows[x->matched[i]];
        if (passes(r, f, 0))
            x->count_category[r->cat]++;
        if (passes(r, f, 1))
            x->count_hours[r->hours]++;
        if (passes(r, f, 2))
            x->count_kind[r->kind]++;
        if (passes(r, f, -1))
            bucket[x->score[i]]++;
    }
    /* Stable bucket sort, best score first; within a score the rows keep
     * their deadline order. */
    size_t start[MAX_SCORE + 1], pos = 0;
    for (int s = MAX_SCORE; s >= 0; s--) {
        start[s] = pos;
        pos += bucket[s];
    }
    x->n_result = pos;
    for (size_t i = 0; i < n_out; i++) {
        const struct job_row *r = &x->rows[x->matched[i]];
        if (passes(r, f, -1))
            x->result[start[x->score[i]]++] = x->matched[i];
    }
}

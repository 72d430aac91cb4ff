/*
 * jobs_index.c — loading, folding, searching and ranking job openings; see
 * jobs_index.h. Rows are kept sorted by deadline, so ranking is a stable
 * bucket sort by score: linear, with no comparison sort on a keystroke.
 *
 * Folding is utf8proc's (compatibility decomposition, case folding, marks
 * stripped) one character at a time, with no allocation; what utf8proc
 * has no rule for — letters a Dane, a Ukrainian or an Arab reader takes as
 * the same although Unicode does not (ø and o, ґ and г, ة and ه, ی and ي)
 * and the Danish two-letter spellings — is the short table and the
 * digraph step below.
 */
#define _GNU_SOURCE
#include "jobs_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util.h"

#define MAX_SCORE 255

/* ---- folding ---- */

/* What a letter becomes after utf8proc's folding (decomposed, case folded,
 * marks stripped): "" to drop it, NULL to keep it. Only letters without a
 * decomposition need a rule here: å, é, ї, أ and friends lose their marks
 * in utf8proc already. */
static const char *fold_rule(int32_t cp)
{
    switch (cp) {
    case 0xE6: return "a";  /* æ */
    case 0xF8: return "o";  /* ø */
    case 0x153: return "o"; /* œ, as "oe" */
    case 0xF0: case 0x111: return "d"; /* ð đ */
    case 0x127: return "h"; /* ħ */
    case 0x131: return "i"; /* dotless ı */
    case 0x142: return "l"; /* ł */
    case 0x167: return "t"; /* ŧ */
    case 0xFE: return "th"; /* þ */
    /* Ukrainian: і and ї (ї is і after stripping) as и; ґ as г; the
     * apostrophe inside a word (м'ясо, м’ясо, мʼясо) is no letter. */
    case 0x456: return "\xD0\xB8"; /* і → и */
    case 0x491: return "\xD0\xB3"; /* ґ → г */
    case 0x2019: case 0x2BC: case 0x2018: return "";
    /* Arabic: alef wasla as alef (أ إ آ lose their hamza and madda as
     * marks); taa marbuta as haa; alef maksura and Persian yeh as yaa;
     * Persian keheh as kaf; tatweel (the stretching line) is no letter. */
    case 0x671: return "\xD8\xA7";       /* ٱ → ا */
    case 0x629: return "\xD9\x87";       /* ة → ه */
    case 0x649: case 0x6CC: return "\xD9\x8A"; /* ى ی → ي */
    case 0x6A9: return "\xD9\x83";       /* ک → ك */
    case 0x640: return "";               /* ـ */
    }
    static const char digits[] = "0\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0" "8\0" "9";
    if (cp >= 0x660 && cp <= 0x669) /* Arabic-Indic digits */
        return digits + 2 * (cp - 0x660);
    if (cp >= 0x6F0 && cp <= 0x6F9) /* Persian digits */
        return digits + 2 * (cp - 0x6F0);
    return NULL;
}

struct folder {
    char *out;
    size_t n, cap;
    char prev; /* the last ASCII put, '\1' after a digraph, '\2' after another letter */
};

static void put_byte(struct folder *f, char c)
{
    if (f->n + 1 < f->cap)
        f->out[f->n++] = c;
}

static void put_bytes(struct folder *f, const char *b, size_t len)
{
    if (f->n + len < f->cap) {
        memcpy(f->out + f->n, b, len);
        f->n += len;
    }
}

/* One ASCII character, lower case, with the Danish two-letter spellings
 * folded (ae → a, oe → o, aa → a) and separators run together. */
static void put_ascii(struct folder *f, char c)
{
    if (c == ' ') {
        if (f->n && f->prev != ' ')
            put_byte(f, ' ');
        f->prev = ' ';
    } else if ((c == 'e' && (f->prev == 'a' || f->prev == 'o')) || (c == 'a' && f->prev == 'a')) {
        f->prev = '\1';
    } else {
        put_byte(f, c);
        f->prev = c;
    }
}

static void put_char(struct folder *f, int32_t cp)
{
    if (cp < 0x80) {
        char c = (char)cp;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c == '\'' || c == '`')
            return; /* an apostrophe inside a word (Ukrainian м'ясо) */
        put_ascii(f, (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : ' ');
        return;
    }
    const char *rule = fold_rule(cp);
    if (rule && (unsigned char)*rule < 0x80) { /* Latin, or nothing */
        for (const char *r = rule; *r; r++)
            put_ascii(f, *r);
        return;
    }
    if (rule) { /* another letter of the same script */
        put_bytes(f, rule, strlen(rule));
        f->prev = '\2';
        return;
    }
    utf8proc_category_t cat = utf8proc_category(cp);
    if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
        cat == UTF8PROC_CATEGORY_ND) {
        utf8proc_uint8_t b[4];
        put_bytes(f, (const char *)b, (size_t)utf8proc_encode_char(cp, b));
        f->prev = '\2';
    } else {
        put_ascii(f, ' ');
    }
}

size_t jobs_fold(const char *text, char *out, size_t cap)
{
    struct folder f = {out, 0, cap, ' '};
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    while (*p) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
            put_ascii(&f, (char)*p++);
            continue;
        }
        if (*p < 0x80) {
            put_char(&f, *p++);
            continue;
        }
        int32_t cp, parts[16];
        utf8proc_ssize_t step = utf8proc_iterate(p, -1, &cp);
        if (step <= 0) { /* not UTF-8: a separator, and on */
            put_char(&f, ' ');
            p++;
            continue;
        }
        p += step;
        /* One character at a time (the marks go, so no reordering is
         * needed): its compatibility decomposition (ligatures and Arabic
         * presentation forms become plain letters), case folded, marks
         * stripped (accents, tashkeel), default ignorables dropped. */
        int last = 0;
        utf8proc_ssize_t n = utf8proc_decompose_char(
            cp, parts, 16,
            UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                UTF8PROC_IGNORE,
            &last);
        if (n < 0 || n > 16) {
            put_char(&f, cp);
            continue;
        }
        for (utf8proc_ssize_t i = 0; i < n; i++)
            put_char(&f, parts[i]);
    }
    if (f.n && out[f.n - 1] == ' ')
        f.n--;
    if (cap)
        out[f.n] = '\0';
    return f.n;
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
    char summary[8000 * 4 + 1]; /* a summary folded (the importer's limit) */
    struct buf hay;
    /* While loading: the vocabulary's hash table (word number + 1, 0 when
     * free), and the word numbers of one summary. */
    uint32_t *slots;
    size_t n_slots, vocab_cap, word_at_cap, ids_cap;
    uint32_t *ids;
    size_t n_ids, ids_room;
    uint32_t *seen; /* per word, the last row that listed it */
    uint32_t *rows_with; /* per word, how many summaries have it */
};

static uint32_t hash_word(const char *w, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)w[i]) * 16777619u;
    return h;
}

static size_t word_len(const struct jobs_index *x, uint32_t id)
{
    const char *w = x->vocab + x->word_at[id];
    return (size_t)((const char *)memchr(w, '\1', x->vocab_len - x->word_at[id]) - w);
}

static void rehash(struct load_ctx *c)
{
    struct jobs_index *x = c->x;
    c->n_slots = c->n_slots ? c->n_slots * 2 : 4096;
    free(c->slots);
    c->slots = xmalloc(c->n_slots * sizeof *c->slots);
    memset(c->slots, 0, c->n_slots * sizeof *c->slots);
    for (uint32_t id = 0; id < x->n_words; id++) {
        size_t i = hash_word(x->vocab + x->word_at[id], word_len(x, id)) & (c->n_slots - 1);
        while (c->slots[i])
            i = (i + 1) & (c->n_slots - 1);
        c->slots[i] = id + 1;
    }
}

/* The number of word w in the vocabulary, added when new. */
static uint32_t intern(struct load_ctx *c, const char *w, size_t n)
{
    struct jobs_index *x = c->x;
    if ((x->n_words + 1) * 2 > c->n_slots)
        rehash(c);
    size_t i = hash_word(w, n) & (c->n_slots - 1);
    for (; c->slots[i]; i = (i + 1) & (c->n_slots - 1)) {
        uint32_t id = c->slots[i] - 1;
        const char *v = x->vocab + x->word_at[id];
        if (memcmp(v, w, n) == 0 && v[n] == '\1')
            return id;
    }
    if (x->vocab_len + n + 1 > c->vocab_cap) {
        c->vocab_cap = c->vocab_cap ? c->vocab_cap * 2 : 65536;
        while (x->vocab_len + n + 1 > c->vocab_cap)
            c->vocab_cap *= 2;
        x->vocab = xrealloc(x->vocab, c->vocab_cap);
    }
    if (x->n_words == c->word_at_cap) {
        c->word_at_cap = c->word_at_cap ? c->word_at_cap * 2 : 4096;
        x->word_at = xrealloc(x->word_at, c->word_at_cap * sizeof *x->word_at);
        c->seen = xrealloc(c->seen, c->word_at_cap * sizeof *c->seen);
        c->rows_with = xrealloc(c->rows_with, c->word_at_cap * sizeof *c->rows_with);
    }
    c->seen[x->n_words] = UINT32_MAX;
    c->rows_with[x->n_words] = 0;
    x->word_at[x->n_words] = (uint32_t)x->vocab_len;
    memcpy(x->vocab + x->vocab_len, w, n);
    x->vocab[x->vocab_len + n] = '\1';
    x->vocab_len += n + 1;
    c->slots[i] = (uint32_t)x->n_words + 1;
    return (uint32_t)x->n_words++;
}

/* Lists the words of summary in the row, each once: their numbers in 7-bit
 * groups, low first (high bit: more). Words are numbered as they first
 * occur, so the common ones have small numbers and take one byte. */
static void add_summary(struct load_ctx *c, struct job_row *r, const char *summary)
{
    struct jobs_index *x = c->x;
    size_t len = jobs_fold(summary, c->summary, sizeof c->summary);
    c->n_ids = 0;
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && c->summary[end] != ' ')
            end++;
        if (c->n_ids == c->ids_room) {
            c->ids_room = c->ids_room ? c->ids_room * 2 : 256;
            c->ids = xrealloc(c->ids, c->ids_room * sizeof *c->ids);
        }
        uint32_t id = intern(c, c->summary + i, end - i);
        if (c->seen[id] != x->n) { /* once per summary */
            c->seen[id] = (uint32_t)x->n;
            c->rows_with[id]++;
            c->ids[c->n_ids++] = id;
        }
        i = end + 1;
    }
    if (x->word_ids_len + c->n_ids * 5 > c->ids_cap) {
        c->ids_cap = c->ids_cap ? c->ids_cap * 2 : (1u << 20);
        while (x->word_ids_len + c->n_ids * 5 > c->ids_cap)
            c->ids_cap *= 2;
        x->word_ids = xrealloc(x->word_ids, c->ids_cap);
    }
    r->words = (uint32_t)x->word_ids_len;
    for (size_t i = 0; i < c->n_ids; i++) {
        uint32_t d = c->ids[i];
        do {
            x->word_ids[x->word_ids_len++] = (uint8_t)((d & 0x7F) | (d > 0x7F ? 0x80 : 0));
            d >>= 7;
        } while (d);
    }
    r->words_len = (uint32_t)x->word_ids_len - r->words;
}

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
    add_summary(c, r, j->summary);
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

/* The word numbers of row r, one by one: *p moves past the one returned. */
static uint32_t next_word(const uint8_t **p)
{
    uint32_t id = 0;
    for (int shift = 0;; shift += 7) {
        id |= (uint32_t)(**p & 0x7F) << shift;
        if (!(*(*p)++ & 0x80))
            return id;
    }
}

/* Each word's bit in the rows' signatures, and the signatures: a row's
 * bits are those of its summary's words, so a row without a query word's
 * bit cannot have it and is passed over unread. Words in more than one
 * summary in 16 get no bit (they would set most bits of every row); a
 * query word found in one of them reads every summary. */
static void sign_rows(struct jobs_index *x, const uint32_t *rows_with)
{
    x->word_bit = xmalloc(x->n_words ? x->n_words : 1);
    for (size_t id = 0; id < x->n_words; id++)
        x->word_bit[id] = rows_with[id] > x->n / 16 + 1
                              ? JOBS_COMMON_WORD
                              : (uint8_t)(((uint32_t)id * 2654435761u) >> 26);
    x->sig = xmalloc((x->n ? x->n : 1) * sizeof *x->sig);
    for (size_t i = 0; i < x->n; i++) {
        const uint8_t *p = x->word_ids + x->rows[i].words, *end = p + x->rows[i].words_len;
        uint64_t sig = 0;
        while (p < end) {
            uint8_t bit = x->word_bit[next_word(&p)];
            if (bit != JOBS_COMMON_WORD)
                sig |= (uint64_t)1 << bit;
        }
        x->sig[i] = sig;
    }
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
    free(c.slots);
    free(c.ids);
    free(c.seen);
    if (rc) {
        free(c.rows_with);
        jobs_index_free(x);
        return rc;
    }
    if (x->n)
        qsort(x->rows, x->n, sizeof *x->rows, by_deadline);
    sign_rows(x, c.rows_with);
    free(c.rows_with);
    /* Give back what doubling reserved, and the store's pages read on the way. */
    x->text = xrealloc(x->text, x->text_len ? x->text_len : 1);
    x->text_cap = x->text_len;
    x->rows = xrealloc(x->rows, (x->n ? x->n : 1) * sizeof *x->rows);
    x->vocab = xrealloc(x->vocab, x->vocab_len ? x->vocab_len : 1);
    x->word_at = xrealloc(x->word_at, (x->n_words ? x->n_words : 1) * sizeof *x->word_at);
    x->word_ids = xrealloc(x->word_ids, x->word_ids_len ? x->word_ids_len : 1);
    x->word_hits = xmalloc((x->n_words ? x->n_words : 1) * sizeof *x->word_hits);
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
    free(x->vocab);
    free(x->word_at);
    free(x->word_ids);
    free(x->word_hits);
    free(x->word_bit);
    free(x->sig);
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

/* The query words (bits) found in the summary of row r. */
static uint16_t summary_hits(const struct jobs_index *x, const struct job_row *r)
{
    const uint8_t *p = x->word_ids + r->words, *end = p + r->words_len;
    uint16_t hits = 0;
    while (p < end)
        hits |= x->word_hits[next_word(&p)];
    return hits;
}

/* Marks in word_hits the summary words each token occurs in, and in sigs
 * their bits (all bits: read every summary); returns the tokens found in
 * any. A token never spans words: each ends in '\1'. */
static uint16_t find_in_vocab(struct jobs_index *x, char tokens[][64], const size_t *lens,
                              int n_tokens, uint64_t *sigs)
{
    if (x->n_words)
        memset(x->word_hits, 0, x->n_words * sizeof *x->word_hits);
    uint16_t any = 0;
    const char *v = x->vocab, *end = v + x->vocab_len;
    for (int t = 0; t < n_tokens; t++) {
        for (const char *p = v; p < end && (p = memmem(p, (size_t)(end - p), tokens[t], lens[t]));) {
            /* The word holding p: the last one starting at or before it. */
            size_t lo = 0, hi = x->n_words;
            while (hi - lo > 1) {
                size_t mid = (lo + hi) / 2;
                if (x->word_at[mid] <= (size_t)(p - v))
                    lo = mid;
                else
                    hi = mid;
            }
            x->word_hits[lo] |= (uint16_t)(1u << t);
            any |= (uint16_t)(1u << t);
            sigs[t] |= x->word_bit[lo] == JOBS_COMMON_WORD ? UINT64_MAX
                                                           : (uint64_t)1 << x->word_bit[lo];
            p = lo + 1 < x->n_words ? v + x->word_at[lo + 1] : end;
        }
    }
    return any;
}

/* Scores row r against the folded tokens; 0 when a token is missing.
 * in_summaries: the tokens found in some summary. */
static int score_row(const struct jobs_index *x, uint32_t row, char tokens[][64],
                     const size_t *lens, int n_tokens, uint16_t in_summaries, const uint64_t *sigs)
{
    const struct job_row *r = &x->rows[row];
    const char *hay = x->text + r->hay;
    int total = 0;
    bool summary_read = false;
    uint16_t hits = 0;
    for (int t = 0; t < n_tokens; t++) {
        int s = token_score(hay, r->hay_len, tokens[t], lens[t]);
        if (!s && (in_summaries >> t & 1) && (sigs[t] == UINT64_MAX || (x->sig[row] & sigs[t]))) {
            if (!summary_read)
                hits = summary_hits(x, r);
            summary_read = true;
            s = hits >> t & 1 ? 2 : 0;
        }
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
    uint64_t sigs[16] = {0};
    uint16_t in_summaries = n_tokens ? find_in_vocab(x, tokens, lens, n_tokens, sigs) : 0;
    for (size_t i = 0; i < n_in; i++) {
        uint32_t row = narrow ? x->matched[i] : (uint32_t)i;
        int s = n_tokens ? score_row(x, row, tokens, lens, n_tokens, in_summaries, sigs) : 1;
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

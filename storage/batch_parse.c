/*
 * batch_parse.c — reads and validates job and schedule batches; see batch.h.
 *
 * Records are read field by field against a table (name, required, kind,
 * limit). Values are copied into a per-record arena, checked, and handed to
 * the sink as plain structs. A job goes through batch_take_job, the job
 * rules every reader of job data shares (batch_internal.h): cleaned, and
 * skipped with a report when it breaks a rule; appointments and sessions
 * are refused with the batch. Duplicate ids are caught with an open-addressing
 * set that remembers where each id was first seen, so the message can say
 * which two records clash.
 *
 * In `skranke.schedule/2` a citizen-facing text (an appointment's unit and
 * place, a session's title and place) may instead be an object of language
 * code → text; its "da" is required and becomes the record's own field, the
 * others go into the record's translations. Every one of them passes the
 * same checks as the Danish text.
 *
 * Beyond the format, every text is screened for what must never reach a
 * public screen: bidi control characters (they make a text display as
 * something else) and anything that looks like a CPR number; `host` must be
 * a first name (PRODUCT.md: no CPR number is ever stored).
 */
#define _GNU_SOURCE
#include "batch.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch_internal.h"
#include "json.h"

#define CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

/* ---- a set of ids, remembering the index of the first ---- */

static void idset_init(struct idset *s)
{
    memset(s, 0, sizeof *s);
    buf_init(&s->keys);
}

static void idset_free(struct idset *s)
{
    free(s->slots);
    free(s->first);
    buf_free(&s->keys);
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static size_t idset_find(const struct idset *s, const char *key)
{
    size_t mask = s->cap - 1, i = (size_t)hash(key) & mask;
    while (s->slots[i] && strcmp(s->keys.data + s->slots[i] - 1, key) != 0)
        i = (i + 1) & mask;
    return i;
}

/* Adds key; returns -1 when new, else the index it was first added with. */
static long idset_add(struct idset *s, const char *key, uint32_t index)
{
    if ((s->n + 1) * 2 > s->cap) {
        struct idset old = *s;
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->slots = xcalloc(s->cap, sizeof *s->slots);
        s->first = xcalloc(s->cap, sizeof *s->first);
        for (size_t i = 0; i < old.cap; i++)
            if (old.slots[i]) {
                size_t j = idset_find(s, old.keys.data + old.slots[i] - 1);
                s->slots[j] = old.slots[i];
                s->first[j] = old.first[i];
            }
        free(old.slots);
        free(old.first);
    }
    size_t i = idset_find(s, key);
    if (s->slots[i])
        return s->first[i];
    s->slots[i] = (uint32_t)s->keys.len + 1;
    s->first[i] = index;
    buf_put(&s->keys, key, strlen(key) + 1);
    s->n++;
    return -1;
}

/* ---- the parser ---- */

int batch_refuse(struct parser *p, int line, int col, const char *path, const char *fmt, ...)
{
    buf_clear(p->err);
    if (line > 0)
        buf_printf(p->err, "%s:%d:%d: ", p->in->name, line, col);
    else
        buf_printf(p->err, "%s: ", p->in->name);
    if (path && *path)
        buf_printf(p->err, "%s: ", path);
    va_list ap;
    va_start(ap, fmt);
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Quoted values come from the file: keep the message one line of valid
     * UTF-8 even when a value holds a line break or "%.40s" cut a character. */
    for (size_t i = 0; msg[i];) {
        unsigned char c = (unsigned char)msg[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        if (c < 0x20 || c == 0x7F ||
            (c >= 0x80 && (strnlen(msg + i, n) < n || !utf8_valid(msg + i, n)))) {
            msg[i++] = '?';
            continue;
        }
        i += n;
    }
    buf_puts(p->err, msg);
    return STORE_EINVAL;
}

int batch_syntax(struct parser *p)
{
    return batch_refuse(p, json_line(p->r), json_col(p->r), NULL, "%s", json_error(p->r));
}

int batch_open_object(struct parser *p, const char *what)
{
    batch_open_reader(p);
    enum json_tok t = json_next(p->r);
    if (t == JSON_ERROR)
        return batch_syntax(p);
    if (t != JSON_OBJECT)
        return batch_refuse(p, json_line(p->r), json_col(p->r), NULL,
                            "%s must be one JSON object ({…}), found %s", what,
                            json_tok_name(t));
    return 0;
}

bool batch_open_reader(struct parser *p)
{
    json_reader_destroy(p->r);
    if (p->in->f) {
        rewind(p->in->f);
        p->r = json_reader_create_file(p->in->f);
    } else {
        p->r = json_reader_create_mem(p->in->data, p->in->len);
    }
    return true;
}

static const char *val(const struct parser *p, const struct field_val *v)
{
    return v->present ? p->arena.data + v->off : "";
}

static bool has_control(const char *s, bool allow_breaks)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 || c == 0x7F) && !(allow_breaks && (c == '\n' || c == '\t' || c == '\r')))
            return true;
    }
    return false;
}

static bool digits_at(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int two(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Whether s holds something shaped like a CPR number: 6 digits, an optional
 * '-', 4 digits (the regex \d{6}-?\d{4}). Strict (schedules) takes any match,
 * even inside a longer run of digits. Otherwise (job ads, which are public
 * and may carry long reference numbers) the match must stand alone, not
 * inside a longer run of digits, and begin with a day and month a CPR
 * number can have (DD 01-31, or 61-91 for a substitute number; MM 01-12). */
static bool looks_like_cpr(const char *s, bool strict)
{
    for (const char *q = s; *q; q++) {
        if (!digits_at(q, 6))
            continue;
        const char *tail = q[6] == '-' ? q + 7 : q + 6;
        if (!digits_at(tail, 4))
            continue;
        if (strict)
            return true;
        int day = two(q), month = two(q + 2);
        bool alone = (q == s || q[-1] < '0' || q[-1] > '9') && (tail[4] < '0' || tail[4] > '9');
        bool date = ((day >= 1 && day <= 31) || (day >= 61 && day <= 91)) && month >= 1 &&
                    month <= 12;
        if (alone && date)
            return true;
    }
    return false;
}

/* Whether s holds a bidi control: U+202A-U+202E or U+2066-U+2069. */
static bool has_bidi(const char *s)
{
    for (const char *q = strchr(s, '\xE2'); q; q = strchr(q + 1, '\xE2')) {
        const unsigned char *u = (const unsigned char *)q;
        if ((u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE) ||
            (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9))
            return true;
    }
    return false;
}

/* Why text s (from a batch of kind) may not be taken, or NULL. */
static const char *forbidden_text(const char *s, enum batch_kind kind)
{
    if (has_bidi(s))
        return "contains a bidi control character (U+202A-U+202E, U+2066-U+2069), which "
               "can make a text display as something else";
    if (looks_like_cpr(s, kind == BATCH_SCHEDULE))
        return "contains what looks like a CPR number; a batch must never carry one";
    return NULL;
}

const char *batch_text_refusal(const char *s)
{
    return forbidden_text(s, BATCH_SCHEDULE);
}

/* One code point of s at *i (valid UTF-8), advancing *i. */
static uint32_t next_cp(const char *s, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s + *i;
    size_t n = u[0] < 0x80 ? 1 : (u[0] & 0xE0) == 0xC0 ? 2 : (u[0] & 0xF0) == 0xE0 ? 3 : 4;
    uint32_t cp = n == 1 ? u[0] : u[0] & (0xFF >> (n + 1));
    for (size_t k = 1; k < n; k++)
        cp = cp << 6 | (u[k] & 0x3F);
    *i += n;
    return cp;
}

/* A letter of some script: ASCII letters and every code point from U+00C0
 * up, except the blocks of digits, punctuation and symbols a name never
 * holds. An approximation without Unicode tables, on the side of refusing. */
static bool is_letter(uint32_t c)
{
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return true;
    if (c < 0xC0 || c == 0xD7 || c == 0xF7)
        return false;
    return !((c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9) ||
             (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
             (c >= 0xFE00 && c <= 0xFE6F) || (c >= 0xFF00 && c <= 0xFF20) || c >= 0x1F000);
}

/* A first name: one or two words of letters, one space between them; a '-'
 * or an apostrophe may join letters inside a word (Anne-Marie, D'Angelo). */
static bool is_first_name(const char *s)
{
    size_t i = 0, n = strlen(s);
    int words = 0;
    uint32_t prev = ' ';
    while (i < n) {
        uint32_t c = next_cp(s, &i);
        if (is_letter(c)) {
            words += prev == ' ';
        } else if (c == ' ' || c == '-' || c == '\'' || c == 0x2019) {
            if (!is_letter(prev) || i >= n)
                return false; /* at the start, the end, or twice in a row */
        } else {
            return false;
        }
        prev = c;
    }
    return words <= 2;
}

static int enum_index(const char *s, const char *(*name)(int), int n)
{
    for (int i = 1; i < n; i++)
        if (strcmp(s, name(i)) == 0)
            return i;
    return -1;
}

static const char *hours_name(int i) { return job_hours_name((enum job_hours)i); }
static const char *kind_name(int i) { return job_kind_name((enum job_kind)i); }

/* Checks one present value; may rewrite it in place (codes to upper case).
 * The field's path ("jobs[3].title") is put together only for a refusal:
 * on the way of a good batch it would cost millions of snprintf calls. */
#define PATH (snprintf(path, sizeof path, "%s.%s", prefix, f->name), path)

static int check_field(struct parser *p, const char *prefix, const struct field_spec *f,
                       struct field_val *v)
{
    char path[160];
    char *s = p->arena.data + v->off;
    size_t bytes = strlen(s), chars = utf8_count(s, bytes);
    int y, m, d;
    const char *bad = forbidden_text(s, p->h.kind);
    if (bad)
        return batch_refuse(p, v->line, v->col, PATH, "%s", bad);
    switch (f->kind) {
    case F_LINE:
    case F_TEXT:
    case F_NAME:
        if (has_control(s, f->kind == F_TEXT))
            return batch_refuse(p, v->line, v->col, PATH, "contains a control character%s",
                          f->kind == F_LINE ? " or line break" : "");
        if (chars > f->max)
            return batch_refuse(p, v->line, v->col, PATH, "longer than %zu characters (%zu)", f->max,
                          chars);
        if (f->required && strspn(s, " ") == bytes)
            return batch_refuse(p, v->line, v->col, PATH, "must not be empty");
        if (f->kind == F_NAME && !is_first_name(s))
            return batch_refuse(p, v->line, v->col, PATH,
                          "\"%.60s\" is not a first name (one or two words of letters; no "
                          "digits, commas or surnames)",
                          s);
        return 0;
    case F_DATE:
        if (!parse_date(s, &y, &m, &d))
            return batch_refuse(p, v->line, v->col, PATH, "\"%.40s\" is not a date (YYYY-MM-DD)", s);
        return 0;
    case F_TIME:
        if (!parse_hhmm(s, &y, &m))
            return batch_refuse(p, v->line, v->col, PATH, "\"%.40s\" is not a time (HH:MM)", s);
        return 0;
    case F_URL:
        if (bytes > f->max)
            return batch_refuse(p, v->line, v->col, PATH, "longer than %zu bytes", f->max);
        if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
            return batch_refuse(p, v->line, v->col, PATH, "must start with https:// or http://");
        for (const char *q = s; *q; q++)
            if ((unsigned char)*q <= ' ' || *q == 0x7F)
                return batch_refuse(p, v->line, v->col, PATH, "must not contain spaces");
        return 0;
    case F_CODE:
        if (bytes != 6)
            return batch_refuse(p, v->line, v->col, PATH,
                          "\"%.40s\" is not a booking code (6 characters)", s);
        for (size_t i = 0; i < 6; i++) {
            if (s[i] >= 'a' && s[i] <= 'z')
                s[i] = (char)(s[i] - 32);
            if (!strchr(CODE_ALPHABET, s[i]) || !s[i])
                return batch_refuse(p, v->line, v->col, PATH,
                              "\"%.40s\" has a character not used in codes (only %s)", s,
                              CODE_ALPHABET);
        }
        return 0;
    case F_ID:
        if (bytes == 0 || bytes > f->max)
            return batch_refuse(p, v->line, v->col, PATH, "must be 1 to %zu bytes", f->max);
        if (has_control(s, false))
            return batch_refuse(p, v->line, v->col, PATH, "contains a control character");
        return 0;
    case F_LANG:
        if (bytes > f->max || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-") != bytes)
            return batch_refuse(p, v->line, v->col, PATH, "\"%.40s\" is not a language tag", s);
        return 0;
    case F_HOURS:
        if (enum_index(s, hours_name, JOB_HOURS_FLEXIBLE + 1) < 0)
            return batch_refuse(p, v->line, v->col, PATH,
                          "\"%.40s\" is not one of full, part, flexible", s);
        return 0;
    case F_KIND:
        if (enum_index(s, kind_name, JOB_KIND_STUDENT + 1) < 0)
            return batch_refuse(p, v->line, v->col, PATH,
                          "\"%.40s\" is not one of ordinary, flexjob, apprentice, paid_hours, "
                          "internship, student",
                          s);
        return 0;
    }
    return 0;
}

#undef PATH

static void list_langs(char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < STORE_LANGS && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? ", " : "", store_langs[i]);
}

/* The next key of an object being read: *key (valid until the next token),
 * its length and place; *key NULL at the object's end. Non-zero (a
 * refusal) for anything else. */
static int next_key(struct parser *p, const char **key, size_t *len, int *line, int *col)
{
    enum json_tok t = json_next(p->r);
    *key = NULL;
    if (t == JSON_OBJECT_END)
        return 0;
    if (t != JSON_KEY)
        return batch_syntax(p);
    *key = json_text(p->r, len);
    *line = json_line(p->r);
    *col = json_col(p->r);
    return 0;
}

static int missing_danish(struct parser *p, int line, int col, const char *fpath)
{
    return batch_refuse(p, line, col, fpath,
                  "the Danish text (\"da\") is missing; a text given per language needs it");
}

/* Reads a text given per language (its '{' already read) for field i: the
 * Danish into *v, the others into p->tr. fpath names the field. */
static int read_translations(struct parser *p, const char *fpath, size_t i, struct field_val *v)
{
    int oline = json_line(p->r), ocol = json_col(p->r);
    bool seen[STORE_LANGS] = {false};
    char tpath[192], langs[64];
    for (;;) {
        const char *key;
        size_t klen;
        int kline, kcol, rc = next_key(p, &key, &klen, &kline, &kcol);
        if (rc || !key)
            return rc ? rc : seen[0] ? 0 : missing_danish(p, oline, ocol, fpath);
        int lang = store_lang_index(key);
        if (lang < 0) {
            list_langs(langs, sizeof langs);
            return batch_refuse(p, kline, kcol, fpath,
                          "\"%.20s\" is not a language code a text may be given in (%s)", key,
                          langs);
        }
        snprintf(tpath, sizeof tpath, "%s.%s", fpath, key);
        if (seen[lang])
            return batch_refuse(p, kline, kcol, tpath, "the language appears twice");
        seen[lang] = true;
        enum json_tok t = json_next(p->r);
        if (t == JSON_ERROR)
            return batch_syntax(p);
        if (t != JSON_STRING)
            return batch_refuse(p, json_line(p->r), json_col(p->r), tpath,
                          "must be text in quotes, found %s", json_tok_name(t));
        size_t len;
        const char *text = json_text(p->r, &len);
        if (len > 65536)
            return batch_refuse(p, json_line(p->r), json_col(p->r), tpath, "is far too long");
        size_t off = p->arena.len;
        int line = json_line(p->r), col = json_col(p->r);
        buf_put(&p->arena, text, len + 1);
        if (lang == 0) {
            *v = (struct field_val){true, off, line, col};
        } else {
            assert(p->n_tr < TR_MAX); /* two such fields, each language once */
            p->tr[p->n_tr++] = (struct tr_val){i, lang, off, line, col};
        }
    }
}

/* Checks each translation read for the record like its Danish text; a
 * translation may not be empty (leave the language out instead). */
static int check_translations(struct parser *p, const char *path, const struct field_spec *specs)
{
    for (size_t k = 0; k < p->n_tr; k++) {
        const struct tr_val *tv = &p->tr[k];
        char name[64];
        snprintf(name, sizeof name, "%s.%s", specs[tv->field].name, store_langs[tv->lang]);
        struct field_spec spec = specs[tv->field];
        spec.name = name;
        spec.required = true;
        struct field_val v = {true, tv->off, tv->line, tv->col};
        int rc = check_field(p, path, &spec, &v);
        if (rc)
            return rc;
    }
    return 0;
}

/* The translations read for field i of the record into tr. */
static void take_translations(const struct parser *p, size_t i, struct store_tr *tr)
{
    for (size_t k = 0; k < p->n_tr; k++)
        if (p->tr[k].field == i)
            snprintf(tr->text[p->tr[k].lang], sizeof tr->text[0], "%s",
                     p->arena.data + p->tr[k].off);
}

/* Reads the fields of an object (its '{' already read) into vals; skips
 * unknown fields; calls extra(key) for fields it should read itself. In a
 * schedule/2, a translatable field may be an object of language → text
 * (see read_translations). */
static int read_object(struct parser *p, const char *path, int line, int col,
                       const struct field_spec *specs, size_t n, struct field_val *vals,
                       int (*extra)(struct parser *, const char *key, void *), void *extra_ctx,
                       bool check)
{
    p->obj_end = false;
    buf_clear(&p->arena);
    memset(vals, 0, n * sizeof *vals);
    p->n_tr = 0;
    char fpath[160];
    for (;;) {
        const char *key;
        size_t klen;
        int kline, kcol, krc = next_key(p, &key, &klen, &kline, &kcol);
        if (krc)
            return krc;
        if (!key) {
            p->obj_end = true;
            break;
        }
        size_t i = 0;
        while (i < n && strcmp(specs[i].name, key) != 0)
            i++;
        if (i == n) {
            int rc = extra ? extra(p, key, extra_ctx) : 1;
            if (rc == 1) {
                if (!json_skip(p->r, json_next(p->r)))
                    return batch_syntax(p);
            } else if (rc) {
                return rc;
            }
            continue;
        }
        if (vals[i].present) {
            snprintf(fpath, sizeof fpath, "%s.%s", path, specs[i].name);
            return batch_refuse(p, kline, kcol, fpath, "the field appears twice");
        }
        enum json_tok t = json_next(p->r);
        if (t == JSON_ERROR)
            return batch_syntax(p);
        if (t == JSON_NULL && !specs[i].required)
            continue;
        bool per_lang = specs[i].translatable && p->h.version >= 2;
        if (t == JSON_OBJECT && per_lang) {
            snprintf(fpath, sizeof fpath, "%s.%s", path, specs[i].name);
            int rc = read_translations(p, fpath, i, &vals[i]);
            if (rc)
                return rc;
            continue;
        }
        if (t != JSON_STRING) {
            int l = json_line(p->r), c = json_col(p->r);
            json_skip(p->r, t);
            snprintf(fpath, sizeof fpath, "%s.%s", path, specs[i].name);
            const char *also =
                per_lang ? " or an object of language → text ({\"da\": …, \"uk\": …})" : "";
            if (t == JSON_OBJECT && specs[i].translatable)
                also = " (a text per language needs the format skranke.schedule/2)";
            return batch_refuse(p, l, c, fpath, "must be text in quotes%s, found %s", also,
                          json_tok_name(t));
        }
        size_t len;
        const char *s = json_text(p->r, &len);
        if (len > 65536) {
            snprintf(fpath, sizeof fpath, "%s.%s", path, specs[i].name);
            return batch_refuse(p, json_line(p->r), json_col(p->r), fpath, "is far too long");
        }
        vals[i].present = true;
        vals[i].off = p->arena.len;
        vals[i].line = json_line(p->r);
        vals[i].col = json_col(p->r);
        buf_put(&p->arena, s, len + 1);
    }
    if (!check)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!vals[i].present) {
            if (specs[i].required)
                return batch_refuse(p, line, col, path, "the required field \"%s\" is missing",
                              specs[i].name);
            continue;
        }
        int rc = check_field(p, path, &specs[i], &vals[i]);
        if (rc)
            return rc;
    }
    return check_translations(p, path, specs);
}

/* ---- pass 1: the top level ---- */

enum top { T_FORMAT, T_BATCH_ID, T_GENERATED_AT, T_SOURCE, T_SITE, T_DATE, T_N_SCALARS };
static const char *const top_scalars[T_N_SCALARS] = {"format", "batch_id", "generated_at",
                                                     "source", "site", "date"};

struct top_val {
    bool present;
    char text[256];
    int line, col;
};

static int check_top_size(struct parser *p, size_t limit, const char *what)
{
    size_t size = p->in->len;
    if (p->in->f) {
        struct stat st;
        if (fstat(fileno(p->in->f), &st) == 0)
            size = (size_t)st.st_size;
    }
    if (size > limit)
        return batch_refuse(p, 0, 0, NULL,
                      "the file is %zu bytes; a %s batch may be at most %zu bytes (%zu MiB)",
                      size, what, limit, limit >> 20);
    return 0;
}

/* Top-level fields: for each, whether it belongs to the jobs and/or the
 * schedule format, and whether it holds text or a list. A field of the other
 * format is an unknown field there, and unknown fields are ignored. */
static const struct top_field {
    const char *name;
    bool jobs, schedule, list;
} top_fields[] = {
    {"format", true, true, false},  {"batch_id", true, true, false},
    {"generated_at", true, true, false}, {"source", true, false, false},
    {"site", false, true, false},   {"date", false, true, false},
    {"jobs", true, false, true},    {"appointments", false, true, true},
    {"sessions", false, true, true},
};
#define N_TOP (sizeof top_fields / sizeof *top_fields)

struct top_seen {
    int count;
    int line, col;         /* of the (first) value */
    int dup_line, dup_col; /* of a second key */
    enum json_tok tok;
    char text[256];
    bool too_long;
};

static int pass1(struct parser *p)
{
    struct top_val v[T_N_SCALARS] = {0};
    bool arrays[3] = {false};
    struct top_seen seen[N_TOP];
    memset(seen, 0, sizeof seen);
    int rc = check_top_size(p, BATCH_JOBS_MAX_BYTES, "jobs");
    if (rc)
        return rc;
    if ((rc = batch_open_object(p, "a batch")))
        return rc;
    enum json_tok t;
    while ((t = json_next(p->r)) == JSON_KEY) {
        size_t fi = 0;
        const char *key = json_text(p->r, NULL);
        while (fi < N_TOP && strcmp(key, top_fields[fi].name) != 0)
            fi++;
        int kline = json_line(p->r), kcol = json_col(p->r);
        t = json_next(p->r);
        if (t == JSON_ERROR)
            return batch_syntax(p);
        if (fi < N_TOP) {
            struct top_seen *s = &seen[fi];
            if (s->count++ == 0) {
                s->line = json_line(p->r);
                s->col = json_col(p->r);
                s->tok = t;
                if (t == JSON_STRING) {
                    size_t len;
                    const char *text = json_text(p->r, &len);
                    s->too_long = len >= sizeof s->text;
                    snprintf(s->text, sizeof s->text, "%s", text);
                }
            } else if (s->count == 2) {
                s->dup_line = kline;
                s->dup_col = kcol;
            }
        }
        if (!json_skip(p->r, t))
            return batch_syntax(p);
    }
    if (t != JSON_OBJECT_END)
        return batch_syntax(p);
    if (json_next(p->r) != JSON_END)
        return batch_syntax(p);

    /* Now that the whole object is known: which format, then its fields. */
    const struct top_seen *f = &seen[0];
    if (f->count && f->tok == JSON_STRING && !f->too_long) {
        static const struct {
            const char *name;
            enum batch_kind kind;
            int version;
        } formats[] = {{"skranke.jobs/1", BATCH_JOBS, 1},
                       {"skranke.schedule/1", BATCH_SCHEDULE, 1},
                       {"skranke.schedule/2", BATCH_SCHEDULE, 2}};
        for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
            if (strcmp(f->text, formats[i].name) == 0) {
                p->h.kind = formats[i].kind;
                p->h.version = formats[i].version;
            }
    }
    for (size_t i = 0; i < N_TOP; i++) {
        const struct top_seen *s = &seen[i];
        const struct top_field *tf = &top_fields[i];
        bool relevant = i == 0 || (p->h.kind == BATCH_JOBS && tf->jobs) ||
                        (p->h.kind == BATCH_SCHEDULE && tf->schedule);
        if (!relevant || !s->count)
            continue;
        if (s->count > 1)
            return batch_refuse(p, s->dup_line, s->dup_col, tf->name, "the field appears twice");
        if (tf->list) {
            if (s->tok != JSON_ARRAY)
                return batch_refuse(p, s->line, s->col, tf->name, "must be a list ([…]), found %s",
                              json_tok_name(s->tok));
            arrays[i - 6] = true;
            continue;
        }
        if (s->tok == JSON_NULL && strcmp(tf->name, "source") == 0)
            continue;
        if (s->tok != JSON_STRING)
            return batch_refuse(p, s->line, s->col, tf->name, "must be text in quotes, found %s",
                          json_tok_name(s->tok));
        if (s->too_long)
            return batch_refuse(p, s->line, s->col, tf->name, "longer than %zu bytes",
                          sizeof s->text - 1);
        for (int k = 0; k < T_N_SCALARS; k++)
            if (strcmp(top_scalars[k], tf->name) == 0) {
                v[k].present = true;
                memcpy(v[k].text, s->text, sizeof v[k].text);
                v[k].line = s->line;
                v[k].col = s->col;
            }
    }

    if (!v[T_FORMAT].present)
        return batch_refuse(p, 1, 1, NULL, "the required field \"format\" is missing");
    const char *fmt = v[T_FORMAT].text;
    if (p->h.kind == BATCH_SCHEDULE) {
        if ((rc = check_top_size(p, BATCH_SCHEDULE_MAX_BYTES, "schedule")))
            return rc;
    } else if (p->h.kind != BATCH_JOBS) {
        return batch_refuse(p, v[T_FORMAT].line, v[T_FORMAT].col, "format",
                      "\"%.60s\" is not a batch this kiosk reads "
                      "(skranke.jobs/1, skranke.schedule/1 or skranke.schedule/2)",
                      fmt);
    }
    static const int need_jobs[] = {T_BATCH_ID, T_GENERATED_AT};
    static const int need_sched[] = {T_BATCH_ID, T_GENERATED_AT, T_SITE, T_DATE};
    const int *need = p->h.kind == BATCH_JOBS ? need_jobs : need_sched;
    size_t n_need = p->h.kind == BATCH_JOBS ? 2 : 4;
    for (size_t i = 0; i < n_need; i++)
        if (!v[need[i]].present)
            return batch_refuse(p, 1, 1, NULL, "the required field \"%s\" is missing",
                          top_scalars[need[i]]);
    if (p->h.kind == BATCH_JOBS && !arrays[0])
        return batch_refuse(p, 1, 1, NULL, "the required field \"jobs\" is missing");

    for (int k = T_BATCH_ID; k < T_N_SCALARS; k++) {
        const char *bad = v[k].present ? forbidden_text(v[k].text, p->h.kind) : NULL;
        if (bad)
            return batch_refuse(p, v[k].line, v[k].col, top_scalars[k], "%s", bad);
    }
    const struct top_val *b = &v[T_BATCH_ID];
    if (!b->text[0] || strlen(b->text) >= sizeof p->h.batch_id || has_control(b->text, false))
        return batch_refuse(p, b->line, b->col, "batch_id",
                      "must be 1 to 128 bytes without control characters");
    strcpy(p->h.batch_id, b->text);
    const struct top_val *g = &v[T_GENERATED_AT];
    p->h.generated_line = g->line;
    p->h.generated_col = g->col;
    if (!parse_rfc3339(g->text, &p->h.generated_at))
        return batch_refuse(p, g->line, g->col, "generated_at",
                      "\"%.60s\" is not an RFC 3339 instant (2026-11-24T05:30:00Z)", g->text);
    if (v[T_SOURCE].present) {
        const struct top_val *s = &v[T_SOURCE];
        size_t n = strlen(s->text);
        if (n >= sizeof p->h.source || has_control(s->text, false) || !utf8_valid(s->text, n))
            return batch_refuse(p, s->line, s->col, "source",
                          "must be at most %d bytes without control characters",
                          STORE_TEXT_MAX);
        strcpy(p->h.source, s->text);
    }
    if (p->h.kind == BATCH_SCHEDULE) {
        const struct top_val *s = &v[T_SITE], *d = &v[T_DATE];
        size_t n = strlen(s->text);
        if (n == 0 || n > STORE_SITE_MAX ||
            strspn(s->text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") !=
                n)
            return batch_refuse(p, s->line, s->col, "site",
                          "\"%.60s\" is not a site id (letters, digits, '-', '_', '.')",
                          s->text);
        strcpy(p->h.site, s->text);
        p->h.site_line = s->line;
        p->h.site_col = s->col;
        p->h.date_line = d->line;
        p->h.date_col = d->col;
        int y, m, dd;
        if (!parse_date(d->text, &y, &m, &dd))
            return batch_refuse(p, d->line, d->col, "date", "\"%.40s\" is not a date (YYYY-MM-DD)",
                          d->text);
        strcpy(p->h.date, d->text);
    }
    return 0;
}

/* ---- pass 2: the records ---- */

static const struct field_spec job_fields[] = {
    {"id", true, F_ID, 64},          {"title", true, F_LINE, 300},
    {"employer", true, F_LINE, 200}, {"city", true, F_LINE, 100},
    {"category", true, F_LINE, 100}, {"postcode", false, F_LINE, 16},
    {"hours", false, F_HOURS, 0},    {"kind", false, F_KIND, 0},
    {"posted", false, F_DATE, 0},    {"deadline", false, F_DATE, 0},
    {"summary", false, F_TEXT, 8000}, {"url", false, F_URL, 2000},
    {"language", false, F_LANG, 35},
};

/* Single-line texts (title, employer, city, category): runs of white space,
 * tabs and line breaks become one space, other control characters go, and
 * the ends are trimmed. Multi-line texts (summary) only lose the control
 * characters other than line breaks and tabs. In place. */
static void clean_text(char *s, bool one_line)
{
    char *w = s;
    bool space = false;
    for (const char *q = s; *q; q++) {
        unsigned char c = (unsigned char)*q;
        bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
        if (one_line && ws) {
            space = true;
            continue;
        }
        if ((c < 0x20 || c == 0x7F) && !ws)
            continue;
        if (space && w > s)
            *w++ = ' ';
        space = false;
        *w++ = (char)c;
    }
    *w = '\0';
}

void batch_skip_job(struct parser *p)
{
    p->jobs.skipped++;
    if (!p->first_skip.len)
        buf_puts(&p->first_skip, p->err->data);
    if (p->sink->skip)
        p->sink->skip(p->sink->ctx, p->err->data);
    buf_clear(p->err);
}

int batch_take_job(struct parser *p, const char *path, int line, int col, struct field_val *v,
                   const char *const *names)
{
    p->jobs.seen++;
    for (size_t i = 0; i < J_N; i++) {
        struct field_spec spec = job_fields[i];
        if (names)
            spec.name = names[i];
        if (!v[i].present) {
            if (!spec.required)
                continue;
            batch_refuse(p, line, col, path, "the required field \"%s\" is missing", spec.name);
            batch_skip_job(p);
            return 0;
        }
        if (spec.kind == F_LINE || spec.kind == F_TEXT)
            clean_text(p->arena.data + v[i].off, spec.kind == F_LINE);
        if (check_field(p, path, &spec, &v[i])) {
            batch_skip_job(p);
            return 0;
        }
    }
    long first = idset_add(&p->ids, val(p, &v[J_ID]), (uint32_t)(p->jobs.seen - 1));
    if (first >= 0) {
        if (names) /* pages: the index runs over the whole batch */
            batch_refuse(p, v[J_ID].line, v[J_ID].col, path,
                         "the %s \"%.64s\" came before (posting %ld of the batch, counting "
                         "from 0 over all pages); the first is kept",
                         names[J_ID], val(p, &v[J_ID]), first);
        else
            batch_refuse(p, v[J_ID].line, v[J_ID].col, path,
                         "the id \"%.64s\" is already used by jobs[%ld]; the first is kept",
                         val(p, &v[J_ID]), first);
        batch_skip_job(p);
        return 0;
    }
    struct job j = {
        .index = (uint32_t)p->jobs.taken++,
        .id = val(p, &v[J_ID]),
        .title = val(p, &v[J_TITLE]),
        .employer = val(p, &v[J_EMPLOYER]),
        .city = val(p, &v[J_CITY]),
        .postcode = val(p, &v[J_POSTCODE]),
        .category = val(p, &v[J_CATEGORY]),
        .posted = val(p, &v[J_POSTED]),
        .deadline = val(p, &v[J_DEADLINE]),
        .summary = val(p, &v[J_SUMMARY]),
        .url = val(p, &v[J_URL]),
        .language = val(p, &v[J_LANGUAGE]),
    };
    if (v[J_HOURS].present)
        j.hours = (enum job_hours)enum_index(val(p, &v[J_HOURS]), hours_name,
                                             JOB_HOURS_FLEXIBLE + 1);
    if (v[J_KIND].present)
        j.kind = (enum job_kind)enum_index(val(p, &v[J_KIND]), kind_name, JOB_KIND_STUDENT + 1);
    return p->sink->job ? p->sink->job(p->sink->ctx, &j, p->err) : 0;
}

int batch_jobs_check_share(struct parser *p)
{
    if (p->jobs.skipped * 10 <= p->jobs.seen || !p->jobs.skipped)
        return 0;
    char first[600];
    snprintf(first, sizeof first, "%s", p->first_skip.len ? p->first_skip.data : "");
    buf_clear(p->err);
    buf_printf(p->err,
               "%s; and %zu of the %zu jobs were skipped, more than 10 %% (is it the right "
               "file?); nothing was changed",
               first[0] ? first : p->in->name, p->jobs.skipped, p->jobs.seen);
    return STORE_EINVAL;
}

static int parse_job(struct parser *p, uint32_t index, int line, int col)
{
    char path[48];
    snprintf(path, sizeof path, "jobs[%u]", index);
    struct field_val v[J_N];
    int rc = read_object(p, path, line, col, job_fields, J_N, v, NULL, NULL, false);
    if (rc == STORE_EINVAL && !json_failed(p->r)) {
        /* A value of the wrong type, a field twice: this job is skipped. */
        if (!p->obj_end && !json_skip(p->r, JSON_OBJECT))
            return batch_syntax(p);
        batch_skip_job(p);
        p->jobs.seen++;
        return 0;
    }
    return rc ? rc : batch_take_job(p, path, line, col, v, NULL);
}

static const struct field_spec appointment_fields[] = {
    {"code", true, F_CODE, 6},       {"time", true, F_TIME, 0},
    {"unit", false, F_LINE, 100, true}, {"place", false, F_LINE, 100, true},
    {"host", false, F_NAME, 60},
};
enum { A_CODE, A_TIME, A_UNIT, A_PLACE, A_HOST, A_N };

static void copy_field(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s);
}

static int parse_appointment(struct parser *p, uint32_t index, int line, int col)
{
    char path[48];
    snprintf(path, sizeof path, "appointments[%u]", index);
    struct field_val v[A_N];
    int rc = read_object(p, path, line, col, appointment_fields, A_N, v, NULL, NULL, true);
    if (rc)
        return rc;
    long first = idset_add(&p->ids, val(p, &v[A_CODE]), index);
    if (first >= 0)
        return batch_refuse(p, v[A_CODE].line, v[A_CODE].col, path,
                      "the code %s is already used by appointments[%ld]", val(p, &v[A_CODE]),
                      first);
    struct appointment a;
    memset(&a, 0, sizeof a);
    copy_field(a.site, sizeof a.site, p->h.site);
    copy_field(a.date, sizeof a.date, p->h.date);
    copy_field(a.code, sizeof a.code, val(p, &v[A_CODE]));
    copy_field(a.time, sizeof a.time, val(p, &v[A_TIME]));
    copy_field(a.unit, sizeof a.unit, val(p, &v[A_UNIT]));
    copy_field(a.place, sizeof a.place, val(p, &v[A_PLACE]));
    copy_field(a.host, sizeof a.host, val(p, &v[A_HOST]));
    take_translations(p, A_UNIT, &a.unit_tr);
    take_translations(p, A_PLACE, &a.place_tr);
    return p->sink->appointment ? p->sink->appointment(p->sink->ctx, &a, p->err) : 0;
}

static const struct field_spec session_fields[] = {
    {"id", true, F_ID, 64},          {"title", true, F_LINE, 100, true},
    {"start", true, F_TIME, 0},      {"end", false, F_TIME, 0},
    {"place", false, F_LINE, 100, true},
};
enum { S_ID, S_TITLE, S_START, S_END, S_PLACE, S_N };

struct participants {
    char (*codes)[7];
    size_t n;
    bool seen;
    const char *path;
};

static int cmp_code(const void *a, const void *b)
{
    return memcmp(a, b, 7);
}

static int read_participants(struct parser *p, const char *key, void *vctx)
{
    struct participants *c = vctx;
    if (strcmp(key, "participants") != 0)
        return 1;
    char path[80];
    snprintf(path, sizeof path, "%s.participants", c->path);
    int kline = json_line(p->r), kcol = json_col(p->r);
    if (c->seen)
        return batch_refuse(p, kline, kcol, path, "the field appears twice");
    c->seen = true;
    enum json_tok t = json_next(p->r);
    if (t == JSON_NULL)
        return 0;
    if (t != JSON_ARRAY)
        return batch_refuse(p, json_line(p->r), json_col(p->r), path, "must be a list of codes, found %s",
                      json_tok_name(t));
    while ((t = json_next(p->r)) != JSON_ARRAY_END) {
        char ipath[96];
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, c->n);
        if (t == JSON_ERROR)
            return batch_syntax(p);
        if (t != JSON_STRING)
            return batch_refuse(p, json_line(p->r), json_col(p->r), ipath,
                          "must be a code in quotes, found %s", json_tok_name(t));
        if (c->n == STORE_PARTICIPANTS_MAX)
            return batch_refuse(p, json_line(p->r), json_col(p->r), path, "more than %d participants",
                          STORE_PARTICIPANTS_MAX);
        const char *s = json_text(p->r, NULL);
        if (strlen(s) != 6)
            return batch_refuse(p, json_line(p->r), json_col(p->r), ipath,
                          "\"%.40s\" is not a participant code (6 characters)", s);
        char *dst = c->codes[c->n];
        for (int i = 0; i < 6; i++) {
            char ch = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i];
            if (!strchr(CODE_ALPHABET, ch) || !ch)
                return batch_refuse(p, json_line(p->r), json_col(p->r), ipath,
                              "\"%.40s\" has a character not used in codes (only %s)", s,
                              CODE_ALPHABET);
            dst[i] = ch;
        }
        dst[6] = '\0';
        c->n++;
    }
    return 0;
}

static int parse_session(struct parser *p, uint32_t index, int line, int col)
{
    char path[48];
    snprintf(path, sizeof path, "sessions[%u]", index);
    struct field_val v[S_N];
    struct participants parts = {xmalloc(STORE_PARTICIPANTS_MAX * 7), 0, false, path};
    int rc = read_object(p, path, line, col, session_fields, S_N, v, read_participants, &parts, true);
    if (rc)
        goto out;
    const char *id = val(p, &v[S_ID]);
    if (strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") !=
        strlen(id)) {
        rc = batch_refuse(p, v[S_ID].line, v[S_ID].col, path,
                    "the id \"%.64s\" may hold only letters, digits, '-', '_' and '.'", id);
        goto out;
    }
    long first = idset_add(&p->ids2, id, index);
    if (first >= 0) {
        rc = batch_refuse(p, v[S_ID].line, v[S_ID].col, path,
                    "the id \"%.64s\" is already used by sessions[%ld]", id, first);
        goto out;
    }
    if (v[S_END].present && strcmp(val(p, &v[S_END]), val(p, &v[S_START])) <= 0) {
        rc = batch_refuse(p, v[S_END].line, v[S_END].col, path, "ends (%s) before it starts (%s)",
                    val(p, &v[S_END]), val(p, &v[S_START]));
        goto out;
    }
    qsort(parts.codes, parts.n, 7, cmp_code);
    for (size_t i = 1; i < parts.n; i++)
        if (memcmp(parts.codes[i - 1], parts.codes[i], 7) == 0) {
            rc = batch_refuse(p, line, col, path, "the participant %s is listed twice",
                        parts.codes[i]);
            goto out;
        }
    struct session s;
    memset(&s, 0, sizeof s);
    copy_field(s.site, sizeof s.site, p->h.site);
    copy_field(s.date, sizeof s.date, p->h.date);
    copy_field(s.id, sizeof s.id, id);
    copy_field(s.title, sizeof s.title, val(p, &v[S_TITLE]));
    copy_field(s.start, sizeof s.start, val(p, &v[S_START]));
    copy_field(s.end, sizeof s.end, val(p, &v[S_END]));
    copy_field(s.place, sizeof s.place, val(p, &v[S_PLACE]));
    take_translations(p, S_TITLE, &s.title_tr);
    take_translations(p, S_PLACE, &s.place_tr);
    s.n_participants = parts.n;
    s.participants = (const char(*)[7])parts.codes;
    rc = p->sink->session ? p->sink->session(p->sink->ctx, &s, p->err) : 0;
out:
    free(parts.codes);
    return rc;
}

static int parse_array(struct parser *p, const char *name, size_t max,
                       int (*each)(struct parser *, uint32_t, int, int))
{
    uint32_t index = 0;
    for (;;) {
        enum json_tok t = json_next(p->r);
        if (t == JSON_ARRAY_END)
            return 0;
        char path[48];
        snprintf(path, sizeof path, "%s[%u]", name, index);
        if (t == JSON_ERROR)
            return batch_syntax(p);
        if (t != JSON_OBJECT)
            return batch_refuse(p, json_line(p->r), json_col(p->r), path,
                          "must be an object ({…}), found %s", json_tok_name(t));
        if (index >= max)
            return batch_refuse(p, json_line(p->r), json_col(p->r), name, "more than %zu entries",
                          max);
        int rc = each(p, index, json_line(p->r), json_col(p->r));
        if (rc)
            return rc;
        index++;
    }
}

static int pass2(struct parser *p)
{
    batch_open_reader(p);
    json_next(p->r); /* the top-level '{', checked in pass 1 */
    int rc = p->sink->begin ? p->sink->begin(p->sink->ctx, &p->h, p->err) : 0;
    if (rc)
        return rc;
    enum json_tok t;
    while ((t = json_next(p->r)) == JSON_KEY) {
        char key[16];
        snprintf(key, sizeof key, "%s", json_text(p->r, NULL));
        t = json_next(p->r);
        if (p->h.kind == BATCH_JOBS && strcmp(key, "jobs") == 0)
            rc = parse_array(p, "jobs", BATCH_JOBS_MAX, parse_job);
        else if (p->h.kind == BATCH_SCHEDULE && strcmp(key, "appointments") == 0)
            rc = parse_array(p, "appointments", BATCH_APPOINTMENTS_MAX, parse_appointment);
        else if (p->h.kind == BATCH_SCHEDULE && strcmp(key, "sessions") == 0)
            rc = parse_array(p, "sessions", BATCH_SESSIONS_MAX, parse_session);
        else if (!json_skip(p->r, t))
            rc = batch_syntax(p);
        if (rc)
            return rc;
    }
    if (t != JSON_OBJECT_END)
        return batch_syntax(p);
    if ((rc = batch_jobs_check_share(p)))
        return rc;
    return p->sink->end ? p->sink->end(p->sink->ctx, p->err) : 0;
}

void batch_parser_init(struct parser *p, const struct batch_input *in,
                       const struct batch_sink *sink, struct buf *err)
{
    memset(p, 0, sizeof *p);
    p->in = in;
    p->sink = sink;
    p->err = err;
    buf_init(&p->arena);
    buf_init(&p->first_skip);
    idset_init(&p->ids);
    idset_init(&p->ids2);
    buf_clear(err);
}

void batch_parser_free(struct parser *p)
{
    json_reader_destroy(p->r);
    p->r = NULL;
    buf_free(&p->arena);
    buf_free(&p->first_skip);
    idset_free(&p->ids);
    idset_free(&p->ids2);
}

int batch_parse(const struct batch_input *in, const struct batch_sink *sink, struct buf *err)
{
    struct parser p;
    batch_parser_init(&p, in, sink, err);
    int rc = pass1(&p);
    if (!rc && in->f && ferror(in->f))
        rc = batch_refuse(&p, 0, 0, NULL, "could not be read");
    if (!rc)
        rc = pass2(&p);
    if (!rc && in->f && ferror(in->f))
        rc = batch_refuse(&p, 0, 0, NULL, "could not be read");
    batch_parser_free(&p);
    return rc;
}

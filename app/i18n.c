/*
 * i18n.c — translation files; see i18n.h. Each language is a sorted array
 * of key/value pairs, looked up by binary search. Counted texts come in
 * plural families (KEY.one, KEY.few, …), chosen by the CLDR rule of the
 * language: the table below i18n_rtl().
 */
#define _GNU_SOURCE
#include "i18n.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG(...) log_msg("i18n", __VA_ARGS__)
#define MAX_LANGS 16

struct pair {
    char *key, *value;
};

struct lang {
    char code[8];
    struct pair *pairs;
    size_t n;
    bool rtl;
};

static struct lang langs[MAX_LANGS];
static int n_langs;

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(((const struct pair *)a)->key, ((const struct pair *)b)->key);
}

static char *unescape(const char *s)
{
    char *out = xmalloc(strlen(s) + 1), *o = out;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'n') {
            *o++ = '\n';
            s++;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static bool load_file(const char *path, struct lang *l)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        LOG("%s: cannot open", path);
        return false;
    }
    char line[4096];
    int lineno = 0;
    size_t cap = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, f)) {
        lineno++;
        char *t = trim(line);
        if (!*t || *t == '#')
            continue;
        char *eq = strchr(t, '=');
        if (!eq || !utf8_valid(t, strlen(t))) {
            LOG("%s:%d: expected 'key = value' in UTF-8", path, lineno);
            ok = false;
            break;
        }
        *eq = '\0';
        char *key = trim(t), *value = trim(eq + 1);
        if (l->n == cap) {
            cap = cap ? cap * 2 : 64;
            l->pairs = xrealloc(l->pairs, cap * sizeof *l->pairs);
        }
        l->pairs[l->n++] = (struct pair){xstrdup(key), unescape(value)};
    }
    fclose(f);
    if (l->n)
        qsort(l->pairs, l->n, sizeof *l->pairs, cmp_pair);
    for (size_t i = 1; ok && i < l->n; i++)
        if (strcmp(l->pairs[i - 1].key, l->pairs[i].key) == 0) {
            LOG("%s: the key %s appears twice", path, l->pairs[i].key);
            ok = false;
        }
    return ok;
}

static const char *lookup(const struct lang *l, const char *key)
{
    struct pair want = {(char *)key, NULL};
    const struct pair *p = bsearch(&want, l->pairs, l->n, sizeof *l->pairs, cmp_pair);
    return p ? p->value : NULL;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const struct lang *)a)->code, ((const struct lang *)b)->code);
}

bool i18n_load(const char *assets_dir)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/lang", assets_dir);
    DIR *d = opendir(dir);
    if (!d) {
        LOG("%s: cannot open the translations folder", dir);
        return false;
    }
    struct dirent *e;
    bool ok = true;
    while (ok && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || n > 7 || strcmp(e->d_name + n - 4, ".txt") != 0 || n_langs == MAX_LANGS)
            continue;
        struct lang *l = &langs[n_langs];
        memset(l, 0, sizeof *l);
        memcpy(l->code, e->d_name, n - 4);
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ok = load_file(path, l);
        const char *dirv = lookup(l, "@dir");
        l->rtl = dirv && strcmp(dirv, "rtl") == 0;
        n_langs++;
    }
    closedir(d);
    qsort(langs, (size_t)n_langs, sizeof *langs, cmp_code);
    if (ok && !i18n_has("da")) {
        LOG("%s: da.txt (Danish, the fallback) is missing", dir);
        ok = false;
    }
    return ok;
}

void i18n_unload(void)
{
    for (int i = 0; i < n_langs; i++) {
        for (size_t j = 0; j < langs[i].n; j++) {
            free(langs[i].pairs[j].key);
            free(langs[i].pairs[j].value);
        }
        free(langs[i].pairs);
    }
    n_langs = 0;
}

int i18n_count(void)
{
    return n_langs;
}

const char *i18n_code(int index)
{
    return index >= 0 && index < n_langs ? langs[index].code : "";
}

static const struct lang *find(const char *code)
{
    for (int i = 0; i < n_langs; i++)
        if (strcmp(langs[i].code, code) == 0)
            return &langs[i];
    return NULL;
}

bool i18n_has(const char *code)
{
    return find(code) != NULL;
}

const char *i18n_get(const char *code, const char *key)
{
    const struct lang *l = find(code), *da = find("da");
    const char *v = l ? lookup(l, key) : NULL;
    if ((!v || !*v) && da)
        v = lookup(da, key); /* an empty text is a missing one: never a blank */
    return v && *v ? v : key;
}

bool i18n_rtl(const char *code)
{
    const struct lang *l = find(code);
    return l && l->rtl;
}

static const char *substitute(const char *v, const char *mark, const char *text,
                              struct buf *out)
{
    const char *at = strstr(v, mark);
    buf_clear(out);
    if (!at) {
        buf_puts(out, v);
        return out->data;
    }
    buf_put(out, v, (size_t)(at - v));
    buf_puts(out, text);
    buf_puts(out, at + strlen(mark));
    return out->data;
}

/* Plural categories, by the cardinal rules of the Unicode CLDR
 * (https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html,
 * common/supplemental/plurals.xml). The kiosk counts whole things only, so
 * each rule below is the CLDR rule for integers (v = 0, i = n); the
 * fraction-only categories (Polish and Ukrainian "other") never occur. */
enum plural { PLURAL_ZERO, PLURAL_ONE, PLURAL_TWO, PLURAL_FEW, PLURAL_MANY, PLURAL_OTHER, PLURAL_N };

static const char *const plural_names[PLURAL_N] = {"zero", "one", "two", "few", "many", "other"};

/* one: 1; other: the rest. */
static enum plural plural_one_is_1(unsigned long n)
{
    return n == 1 ? PLURAL_ONE : PLURAL_OTHER;
}

/* one: 0 and 1; other: the rest. */
static enum plural plural_one_is_0_1(unsigned long n)
{
    return n <= 1 ? PLURAL_ONE : PLURAL_OTHER;
}

static bool mod_in(unsigned long n, unsigned long m, unsigned long lo, unsigned long hi)
{
    return n % m >= lo && n % m <= hi;
}

/* pl: one "i = 1 and v = 0"; few "v = 0 and i % 10 = 2..4 and i % 100 !=
 * 12..14"; many: every other integer. */
static enum plural plural_pl(unsigned long n)
{
    if (n == 1)
        return PLURAL_ONE;
    return mod_in(n, 10, 2, 4) && !mod_in(n, 100, 12, 14) ? PLURAL_FEW : PLURAL_MANY;
}

/* uk: one "v = 0 and i % 10 = 1 and i % 100 != 11"; few as pl; many: every
 * other integer (0, 5..20, 25..30, …, 111). */
static enum plural plural_uk(unsigned long n)
{
    if (n % 10 == 1 && n % 100 != 11)
        return PLURAL_ONE;
    return mod_in(n, 10, 2, 4) && !mod_in(n, 100, 12, 14) ? PLURAL_FEW : PLURAL_MANY;
}

/* ar: zero "n = 0"; one "n = 1"; two "n = 2"; few "n % 100 = 3..10"; many
 * "n % 100 = 11..99"; other: 100..102, 200..202, …, 1000. */
static enum plural plural_ar(unsigned long n)
{
    if (n <= 2)
        return (enum plural)n; /* PLURAL_ZERO, PLURAL_ONE, PLURAL_TWO */
    if (mod_in(n, 100, 3, 10))
        return PLURAL_FEW;
    return mod_in(n, 100, 11, 99) ? PLURAL_MANY : PLURAL_OTHER;
}

/* Language → rule, with the CLDR rule text each one implements. */
static const struct plural_rule {
    const char *code;
    enum plural (*of)(unsigned long n);
} plural_rules[] = {
    {"da", plural_one_is_1},   /* one: n = 1 or t != 0 and i = 0,1 */
    {"en", plural_one_is_1},   /* one: i = 1 and v = 0 */
    {"so", plural_one_is_1},   /* one: n = 1 */
    {"fa", plural_one_is_0_1}, /* one: i = 0 or n = 1 */
    {"ti", plural_one_is_0_1}, /* one: n = 0..1 */
    {"pl", plural_pl},         /* one, few, many (other: fractions) */
    {"uk", plural_uk},         /* one, few, many (other: fractions) */
    {"ar", plural_ar},         /* zero, one, two, few, many, other */
};

/* A language without a rule here (a new file) has "other" only, as CLDR's root. */
static enum plural plural_of(const char *code, long n)
{
    unsigned long u = n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;
    for (size_t i = 0; i < sizeof plural_rules / sizeof *plural_rules; i++)
        if (strcmp(plural_rules[i].code, code) == 0)
            return plural_rules[i].of(u);
    return PLURAL_OTHER;
}

const char *i18n_plural(const char *code, long n)
{
    return plural_names[plural_of(code, n)];
}

/* The categories a language's rule gives some whole number: the forms its
 * file must have. Every rule above shows all its categories below 1000. */
static unsigned plural_needs(const char *code)
{
    unsigned mask = 0;
    for (long n = 0; n < 1000; n++)
        mask |= 1u << plural_of(code, n);
    return mask;
}

/* KEY.<category> when key is a plural form: the length of KEY, else 0. */
static size_t plural_base(const char *key, enum plural *cat)
{
    const char *dot = strrchr(key, '.');
    for (int c = 0; dot && dot != key && c < PLURAL_N; c++)
        if (strcmp(dot + 1, plural_names[c]) == 0) {
            *cat = (enum plural)c;
            return (size_t)(dot - key);
        }
    return 0;
}

static const char *lookup_form(const struct lang *l, const char *key, size_t key_len,
                               enum plural cat)
{
    char k[256];
    if (snprintf(k, sizeof k, "%.*s.%s", (int)key_len, key, plural_names[cat]) >= (int)sizeof k)
        return NULL;
    const char *v = lookup(l, k);
    return v && *v ? v : NULL;
}

/* KEY.<category of n>, else KEY.other, else KEY itself. */
static const char *plural_text(const struct lang *l, const char *key, long n)
{
    size_t len = strlen(key);
    const char *v = lookup_form(l, key, len, plural_of(l->code, n));
    if (!v)
        v = lookup_form(l, key, len, PLURAL_OTHER);
    if (!v)
        v = lookup(l, key);
    return v && *v ? v : NULL;
}

const char *i18n_fmt(const char *code, const char *key, long n, struct buf *out)
{
    const struct lang *l = find(code), *da = find("da");
    const char *v = l ? plural_text(l, key, n) : NULL;
    if (!v && da)
        v = plural_text(da, key, n); /* Danish, in Danish's own category of n */
    char num[24];
    snprintf(num, sizeof num, "%ld", n);
    return substitute(v ? v : key, "{n}", num, out);
}

const char *i18n_fmt_text(const char *code, const char *key, const char *text, struct buf *out)
{
    return substitute(i18n_get(code, key), "{t}", text, out);
}

static bool has_forms(const struct lang *l, const char *base, size_t len)
{
    for (int c = 0; c < PLURAL_N; c++)
        if (lookup_form(l, base, len, (enum plural)c))
            return true;
    return false;
}

/* True for the first form of its family in l (so a family is checked once). */
static bool first_form(const struct lang *l, const char *base, size_t len, enum plural cat)
{
    for (int c = 0; c < (int)cat; c++)
        if (lookup_form(l, base, len, (enum plural)c))
            return false;
    return true;
}

/* A plural family in l has every form l's rule needs; "other" may be the
 * bare key. */
static int check_family(const struct lang *l, const char *base, size_t len, struct buf *report)
{
    unsigned needs = plural_needs(l->code);
    int gaps = 0;
    char bare[256];
    snprintf(bare, sizeof bare, "%.*s", (int)len, base);
    for (int c = 0; c < PLURAL_N; c++)
        if ((needs & 1u << c) && !lookup_form(l, base, len, (enum plural)c) &&
            !(c == PLURAL_OTHER && lookup(l, bare) && *lookup(l, bare))) {
            buf_printf(report, "%s.txt: missing %s.%s\n", l->code, bare, plural_names[c]);
            gaps++;
        }
    return gaps;
}

/* A form l's rule never gives (a typo, or a rule missing from the table). */
static int report_unused(const struct lang *l, const char *key, unsigned needs,
                         struct buf *report)
{
    buf_printf(report, "%s.txt: %s is not a plural form of %s (it uses", l->code, key, l->code);
    for (int c = 0; c < PLURAL_N; c++)
        if (needs & 1u << c)
            buf_printf(report, " %s", plural_names[c]);
    buf_puts(report, ")\n");
    return 1;
}

static bool exempt(const struct lang *l, const char *key)
{
    return strcmp(l->code, "da") != 0 && strncmp(key, "staff.", 6) == 0;
}

int i18n_missing(struct buf *report)
{
    const struct lang *da = find("da");
    int gaps = 0;
    if (!da)
        return 1;
    for (int i = 0; i < n_langs; i++) {
        const struct lang *l = &langs[i];
        unsigned needs = plural_needs(l->code);
        enum plural cat;
        for (size_t j = 0; j < da->n; j++) {
            const char *key = da->pairs[j].key;
            size_t len = plural_base(key, &cat);
            if (exempt(l, key))
                continue;
            if (len) {
                if (first_form(da, key, len, cat))
                    gaps += check_family(l, key, len, report);
            } else if (!has_forms(da, key, strlen(key)) && (!lookup(l, key) || !*lookup(l, key))) {
                buf_printf(report, "%s.txt: missing %s\n", l->code, key);
                gaps++;
            }
        }
        for (size_t j = 0; j < l->n; j++) {
            const char *key = l->pairs[j].key;
            size_t len = plural_base(key, &cat);
            char bare[256];
            snprintf(bare, sizeof bare, "%.*s", (int)len, key);
            if (len && (has_forms(da, key, len) || lookup(da, bare))) {
                if (cat != PLURAL_OTHER && !(needs & 1u << cat))
                    gaps += report_unused(l, key, needs, report);
                if (!has_forms(da, key, len) && first_form(l, key, len, cat))
                    gaps += check_family(l, key, len, report);
            } else if (!lookup(da, key) && !has_forms(da, key, strlen(key))) {
                buf_printf(report, "%s.txt: %s is not in da.txt\n", l->code, key);
                gaps++;
            }
        }
    }
    return gaps;
}

const char *i18n_key_at(const char *code, size_t i, const char **value)
{
    const struct lang *l = find(code);
    if (!l || i >= l->n)
        return NULL;
    *value = l->pairs[i].value;
    return l->pairs[i].key;
}

/*
 * i18n.c — translation files; see i18n.h. Each language is a sorted array
 * of key/value pairs, looked up by binary search.
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

const char *i18n_fmt(const char *code, const char *key, long n, struct buf *out)
{
    char num[24];
    snprintf(num, sizeof num, "%ld", n);
    return substitute(i18n_get(code, key), "{n}", num, out);
}

const char *i18n_fmt_text(const char *code, const char *key, const char *text, struct buf *out)
{
    return substitute(i18n_get(code, key), "{t}", text, out);
}

int i18n_missing(struct buf *report)
{
    const struct lang *da = find("da");
    int gaps = 0;
    if (!da)
        return 1;
    for (int i = 0; i < n_langs; i++) {
        const struct lang *l = &langs[i];
        for (size_t j = 0; j < da->n; j++)
            if (strncmp(da->pairs[j].key, "staff.", 6) != 0 &&
                (!lookup(l, da->pairs[j].key) || !*lookup(l, da->pairs[j].key))) {
                buf_printf(report, "%s.txt: missing %s\n", l->code, da->pairs[j].key);
                gaps++;
            }
        for (size_t j = 0; j < l->n; j++)
            if (!lookup(da, l->pairs[j].key)) {
                buf_printf(report, "%s.txt: %s is not in da.txt\n", l->code, l->pairs[j].key);
                gaps++;
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

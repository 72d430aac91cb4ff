/*
 * report.c — computes the dignity report (see report.h for what and the
 * suppression rules) and writes figures.csv, then hands the same numbers as
 * a document to report_render.c for report.pdf and report.html.
 *
 * The database only counts: one GROUP BY query per statement (month, site,
 * unit, language, answer), one for sessions and one for walk-ins, all in
 * plain SQL both engines read alike. Everything else is integer arithmetic
 * here, and every list is sorted here by byte order, so that SQLite and
 * PostgreSQL give byte-identical figures.csv. Shares are tenths of a per
 * cent and means hundredths, rounded half up from exact integers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "report_doc.h"
#include "util.h"

#define LOG_MODULE "central-report"
#define SMALL 5
#define STATEMENTS 4
#define ALL "*"
#define VAL_MAX 32
#define QUARTER_MAX 16

static const char *const statement_cols[STATEMENTS] = {"empowerment", "ressourcefokus",
                                                       "progression", "vaerdighed"};
static const char *const statement_names[STATEMENTS] = {"Empowerment", "Ressourcefokus",
                                                        "Progression", "Værdighed"};
static const char *const statement_texts[STATEMENTS] = {
    "Samtalen udvider handlemulighederne (empowerment)",
    "Jobcentermedarbejderen tror på borgeren (ressourcefokus)",
    "Samtalen bringer borgeren tættere på et arbejde (progression)",
    "Borgeren føler sig godt behandlet (værdighed)",
};
/* Distribution cells in the order they are shown: 1–5, then "ved ikke". */
static const int bucket_order[6] = {1, 2, 3, 4, 5, 0};

enum section { SEC_DIGNITY, SEC_LANGUAGE };

struct stat_cell {
    long c[6]; /* [0] ved ikke, [1..5] answers */
    bool hide[6];
    bool hide_mean, hide_agree;
};

struct group {
    enum section section;
    char quarter[QUARTER_MAX]; /* 2026Q1 */
    char *site;      /* ALL for every site */
    char *name;      /* unit or language; ALL for the whole site or quarter */
    long n;
    bool hidden;
    struct stat_cell s[STATEMENTS];
};

struct session_row {
    char *date, *site, *session;
    long count;
};

struct errand {
    char *name;
    long count[7][24];
};

struct model {
    const struct report_options *opt;
    struct group **groups;
    size_t ngroups, cap, *hash; /* hash: open addressing over groups, index + 1 */
    size_t hash_cap;
    struct session_row *sessions;
    size_t nsessions;
    struct errand *errands;
    size_t nerrands;
    char quarters[4][QUARTER_MAX];
    int nquarters; /* the last (up to) four quarters of the period */
    long responses;
};

/* ---- groups ---- */

static size_t group_hash(enum section sec, const char *q, const char *site, const char *name)
{
    size_t h = 1469598103934665603u ^ (size_t)sec;
    const char *parts[] = {q, site, name};
    for (int i = 0; i < 3; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
            h = (h ^ *p) * 1099511628211u;
        h = (h ^ 0x1f) * 1099511628211u;
    }
    return h;
}

static bool group_is(const struct group *g, enum section sec, const char *q, const char *site,
                     const char *name)
{
    return g->section == sec && strcmp(g->quarter, q) == 0 && strcmp(g->site, site) == 0 &&
           strcmp(g->name, name) == 0;
}

static void rehash(struct model *m)
{
    free(m->hash);
    m->hash_cap = m->hash_cap ? m->hash_cap * 2 : 256;
    m->hash = xcalloc(m->hash_cap, sizeof *m->hash);
    for (size_t i = 0; i < m->ngroups; i++) {
        const struct group *g = m->groups[i];
        size_t h = group_hash(g->section, g->quarter, g->site, g->name) & (m->hash_cap - 1);
        while (m->hash[h])
            h = (h + 1) & (m->hash_cap - 1);
        m->hash[h] = i + 1;
    }
}

/* The group with this key, made when missing (create) or NULL. */
static struct group *group_get(struct model *m, enum section sec, const char *q,
                               const char *site, const char *name, bool create)
{
    if (!m->hash_cap)
        rehash(m);
    size_t h = group_hash(sec, q, site, name) & (m->hash_cap - 1);
    for (; m->hash[h]; h = (h + 1) & (m->hash_cap - 1)) {
        struct group *g = m->groups[m->hash[h] - 1];
        if (group_is(g, sec, q, site, name))
            return g;
    }
    if (!create)
        return NULL;
    struct group *g = xcalloc(1, sizeof *g);
    g->section = sec;
    snprintf(g->quarter, sizeof g->quarter, "%s", q);
    g->site = xstrdup(site);
    g->name = xstrdup(name);
    if (m->ngroups == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->groups = xrealloc(m->groups, m->cap * sizeof *m->groups);
    }
    m->groups[m->ngroups++] = g;
    if (m->ngroups * 2 > m->hash_cap)
        rehash(m);
    else
        m->hash[h] = m->ngroups;
    return g;
}

/* "*" sorts before every name, then byte order. */
static int key_cmp(const char *a, const char *b)
{
    bool aa = strcmp(a, ALL) == 0, ba = strcmp(b, ALL) == 0;
    if (aa || ba)
        return ba - aa;
    return strcmp(a, b);
}

static int group_cmp(const void *pa, const void *pb)
{
    const struct group *a = *(struct group *const *)pa, *b = *(struct group *const *)pb;
    int c = (int)a->section - (int)b->section;
    if (!c)
        c = strcmp(a->quarter, b->quarter);
    if (!c)
        c = key_cmp(a->site, b->site);
    if (!c)
        c = key_cmp(a->name, b->name);
    return c;
}

/* ---- reading the counts ---- */

static void month_quarter(const char *month, char out[QUARTER_MAX])
{
    int mo = atoi(month + 5);
    snprintf(out, QUARTER_MAX, "%.4sQ%d", month, (mo - 1) / 3 + 1);
}

/* Row: month, site, unit, language, then for each statement the counts of
 * answers 0 (none) to 5. */
static int answer_row(void *vctx, int ncols, const char *const *v)
{
    struct model *m = vctx;
    if (ncols != 4 + STATEMENTS * 6 || !v[0] || !v[1] || !v[2] || !v[3] || strlen(v[0]) != 7)
        return -1;
    char q[QUARTER_MAX];
    month_quarter(v[0], q);
    struct group *g[5] = {
        group_get(m, SEC_DIGNITY, q, ALL, ALL, true),
        group_get(m, SEC_DIGNITY, q, v[1], v[2], true),
        group_get(m, SEC_LANGUAGE, q, ALL, ALL, true),
        group_get(m, SEC_LANGUAGE, q, ALL, v[3], true),
        m->opt->site ? NULL : group_get(m, SEC_DIGNITY, q, v[1], ALL, true),
    };
    for (int s = 0; s < STATEMENTS; s++) {
        for (int answer = 0; answer < 6; answer++) {
            const char *c = v[4 + s * 6 + answer];
            long count = c ? atol(c) : 0;
            for (int i = 0; i < 5; i++) {
                if (g[i])
                    g[i]->s[s].c[answer] += count;
            }
        }
    }
    return 0;
}

static int session_row(void *vctx, int ncols, const char *const *v)
{
    struct model *m = vctx;
    if (ncols != 4 || !v[0] || !v[1] || !v[2] || !v[3])
        return -1;
    m->sessions = xrealloc(m->sessions, (m->nsessions + 1) * sizeof *m->sessions);
    struct session_row *r = &m->sessions[m->nsessions++];
    r->date = xstrdup(v[0]);
    r->site = xstrdup(v[1]);
    r->session = xstrdup(v[2]);
    r->count = atol(v[3]);
    return 0;
}

static int iso_weekday0(const char *date)
{
    int y, mo, d;
    if (!parse_date(date, &y, &mo, &d))
        return -1;
    long days = days_from_civil(y, mo, d);
    return (int)(((days % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
}

/* Row: date, hour, errand, count. */
static int walkin_row(void *vctx, int ncols, const char *const *v)
{
    struct model *m = vctx;
    if (ncols != 4 || !v[0] || !v[1] || !v[2] || !v[3])
        return -1;
    int wd = iso_weekday0(v[0]), hour = atoi(v[1]);
    if (wd < 0 || hour < 0 || hour > 23)
        return -1;
    size_t i = 0;
    while (i < m->nerrands && strcmp(m->errands[i].name, v[2]) != 0)
        i++;
    if (i == m->nerrands) {
        m->errands = xrealloc(m->errands, (m->nerrands + 1) * sizeof *m->errands);
        memset(&m->errands[i], 0, sizeof *m->errands);
        m->errands[i].name = xstrdup(v[2]);
        m->nerrands++;
    }
    m->errands[i].count[wd][hour] += atol(v[3]);
    return 0;
}

static int read_counts(struct central_db *db, struct model *m)
{
    const struct report_options *o = m->opt;
    const char *params[] = {o->from, o->to, o->site};
    int np = o->site ? 3 : 2;
    const char *where = o->site ? " date >= $1 AND date <= $2 AND site = $3"
                                : " date >= $1 AND date <= $2";
    struct buf sql;
    buf_init(&sql);
    /* One scan: per month, site, unit and language, the count of every
     * answer of every statement. */
    buf_puts(&sql, "SELECT substr(date, 1, 7), site, unit, language");
    for (int s = 0; s < STATEMENTS; s++) {
        for (int answer = 0; answer < 6; answer++)
            buf_printf(&sql, ", SUM(CASE WHEN COALESCE(%s, 0) = %d THEN 1 ELSE 0 END)",
                       statement_cols[s], answer);
    }
    buf_printf(&sql, " FROM responses WHERE%s GROUP BY 1, 2, 3, 4", where);
    int rc = db->ops->query(db, sql.data, np, params, answer_row, m);
    static const struct {
        const char *select;
        const char *kind;
        central_row_fn fn;
    } checkin_counts[] = {
        {"date, site, COALESCE(session_id, '')", "session", session_row},
        {"date, substr(time, 1, 2), COALESCE(unit, '')", "walkin", walkin_row},
    };
    for (size_t i = 0; i < sizeof checkin_counts / sizeof *checkin_counts && !rc; i++) {
        buf_clear(&sql);
        buf_printf(&sql,
                   "SELECT %s, COUNT(*) FROM checkins WHERE kind = '%s' AND%s GROUP BY 1, 2, 3",
                   checkin_counts[i].select, checkin_counts[i].kind, where);
        rc = db->ops->query(db, sql.data, np, params, checkin_counts[i].fn, m);
    }
    buf_free(&sql);
    if (rc)
        log_msg(LOG_MODULE, "cannot read the counts from the database");
    return rc ? -1 : 0;
}

/* ---- suppression ---- */

/* The group whose total g is part of, or NULL. */
static struct group *parent_of(struct model *m, const struct group *g)
{
    if (strcmp(g->name, ALL) == 0)
        return strcmp(g->site, ALL) == 0 ? NULL
                                         : group_get(m, g->section, g->quarter, ALL, ALL, false);
    struct group *p = group_get(m, g->section, g->quarter, g->site, ALL, false);
    return p ? p : group_get(m, g->section, g->quarter, ALL, ALL, false);
}

static void suppress_groups(struct model *m)
{
    for (size_t i = 0; i < m->ngroups; i++) {
        struct group *g = m->groups[i];
        for (int b = 0; b < 6; b++)
            g->n += g->s[0].c[b];
        g->hidden = g->n < SMALL;
    }
    /* Complementary: groups are sorted, so "first by name" is the first seen. */
    for (size_t p = 0; p < m->ngroups; p++) {
        struct group *parent = m->groups[p], *smallest = NULL;
        if (parent->hidden)
            continue;
        int hidden = 0;
        for (size_t i = 0; i < m->ngroups; i++) {
            struct group *g = m->groups[i];
            if (g == parent || parent_of(m, g) != parent)
                continue;
            if (g->hidden)
                hidden++;
            else if (!smallest || g->n < smallest->n)
                smallest = g;
        }
        if (hidden == 1 && smallest)
            smallest->hidden = true;
    }
}

static void suppress_cells(struct stat_cell *s)
{
    int hidden = 0;
    for (int b = 0; b < 6; b++) {
        s->hide[b] = s->c[b] > 0 && s->c[b] < SMALL;
        hidden += s->hide[b];
    }
    if (hidden == 1) {
        int pick = -1;
        for (int i = 0; i < 6; i++) {
            int b = bucket_order[i];
            if (!s->hide[b] && (pick < 0 || s->c[b] < s->c[pick]))
                pick = b;
        }
        s->hide[pick] = true;
    }
    long k = s->c[1] + s->c[2] + s->c[3] + s->c[4] + s->c[5], agree = s->c[4] + s->c[5];
    s->hide_mean = k < SMALL;
    for (int b = 1; b <= 5; b++)
        s->hide_mean = s->hide_mean || s->hide[b];
    s->hide_agree = k < SMALL || (agree > 0 && agree < SMALL) || s->hide[4] != s->hide[5] ||
                    s->hide[0];
}

/* ---- formatting ---- */

static long tenths(long part, long whole)
{
    return (2000 * part + whole) / (2 * whole);
}

static void fmt_tenths(char *out, size_t cap, long t)
{
    snprintf(out, cap, "%ld.%ld", t / 10, t % 10);
}

static void fmt_mean(char *out, size_t cap, const struct stat_cell *s)
{
    long k = 0, sum = 0;
    for (int b = 1; b <= 5; b++) {
        k += s->c[b];
        sum += b * s->c[b];
    }
    long h = (200 * sum + k) / (2 * k);
    snprintf(out, cap, "%ld.%02ld", h / 100, h % 100);
}

/* The shown values of one statement of g, in figures.csv's measure order:
 * n, agree_pct, mean, pct_1 … pct_5, pct_dk (as measure_names). */
enum { V_N, V_AGREE, V_MEAN, V_DIST, V_COUNT = V_DIST + 6 };
static const char *const measure_names[V_COUNT] = {"n",     "agree_pct", "mean",  "pct_1", "pct_2",
                                                   "pct_3", "pct_4",     "pct_5", "pct_dk"};

static void stat_values(const struct group *g, int st, char v[V_COUNT][VAL_MAX])
{
    const struct stat_cell *s = &g->s[st];
    for (int i = 0; i < V_COUNT; i++)
        snprintf(v[i], VAL_MAX, "%s", DOC_SUPPRESSED);
    if (g->hidden)
        return;
    snprintf(v[V_N], VAL_MAX, "%ld", g->n);
    long k = g->n - s->c[0];
    if (!s->hide_agree)
        fmt_tenths(v[V_AGREE], VAL_MAX, tenths(s->c[4] + s->c[5], k));
    if (!s->hide_mean)
        fmt_mean(v[V_MEAN], VAL_MAX, s);
    for (int i = 0; i < 6; i++) {
        int b = bucket_order[i];
        if (!s->hide[b])
            fmt_tenths(v[V_DIST + i], VAL_MAX, tenths(s->c[b], g->n));
    }
}

/* For people: a decimal comma, and a per cent sign where it is a share. */
static void human(char *out, size_t cap, const char *v, bool pct)
{
    if (strcmp(v, DOC_SUPPRESSED) == 0) {
        snprintf(out, cap, "%s", v);
        return;
    }
    snprintf(out, cap, "%s%s", v, pct ? " %" : "");
    char *dot = strchr(out, '.');
    if (dot)
        *dot = ',';
}

/* ---- figures.csv ---- */

/* As the kiosk's export does (buf_put_csv_cell): a name a spreadsheet
 * would take for a formula gets one leading apostrophe, so opening
 * figures.csv never evaluates it. */
static void csv_field(struct buf *b, const char *s)
{
    buf_put_csv_cell(b, s, ',');
}

struct lines {
    char **v;
    size_t n;
};

static void add_line(struct lines *l, const char *const f[7])
{
    struct buf b;
    buf_init(&b);
    for (int i = 0; i < 7; i++) {
        if (i)
            buf_putc(&b, ',');
        csv_field(&b, f[i]);
    }
    buf_putc(&b, '\n');
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = b.data;
}

static int line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void small_count(char *out, size_t cap, long n)
{
    if (n < SMALL)
        snprintf(out, cap, "%s", DOC_SUPPRESSED);
    else
        snprintf(out, cap, "%ld", n);
}

static int write_figures(const struct model *m, const char *path)
{
    struct lines l = {NULL, 0};
    char period[32];
    snprintf(period, sizeof period, "%s/%s", m->opt->from, m->opt->to);
    for (size_t i = 0; i < m->ngroups; i++) {
        const struct group *g = m->groups[i];
        for (int st = 0; st < STATEMENTS; st++) {
            char v[V_COUNT][VAL_MAX];
            stat_values(g, st, v);
            for (int k = 0; k < V_COUNT; k++) {
                const char *f[7] = {g->section == SEC_DIGNITY ? "dignity" : "language",
                                    g->quarter, g->site, g->name, statement_cols[st],
                                    measure_names[k], v[k]};
                add_line(&l, f);
            }
        }
    }
    for (size_t i = 0; i < m->nsessions; i++) {
        const struct session_row *r = &m->sessions[i];
        char v[24];
        small_count(v, sizeof v, r->count);
        const char *f[7] = {"attendance", r->date, r->site, r->session, "", "checkins", v};
        add_line(&l, f);
    }
    const char *site = m->opt->site ? m->opt->site : ALL;
    for (size_t e = 0; e < m->nerrands; e++) {
        for (int wd = 0; wd < 7; wd++) {
            for (int h = 0; h < 24; h++) {
                long c = m->errands[e].count[wd][h];
                if (!c)
                    continue;
                char item[16], v[24];
                snprintf(item, sizeof item, "%d-%02d", wd + 1, h);
                small_count(v, sizeof v, c);
                const char *f[7] = {"walkins", period, site, m->errands[e].name, item,
                                    "walkins", v};
                add_line(&l, f);
            }
        }
    }
    qsort(l.v, l.n, sizeof *l.v, line_cmp);
    int rc = -1;
    FILE *f = fopen(path, "w");
    if (!f) {
        log_msg(LOG_MODULE, "%s: %s", path, strerror(errno));
        goto fail;
    }
    fputs("section,period,site,group,item,measure,value\n", f);
    for (size_t i = 0; i < l.n; i++)
        fputs(l.v[i], f);
    if (fclose(f) != 0) {
        log_msg(LOG_MODULE, "%s: %s", path, strerror(errno));
        goto fail;
    }
    rc = 0;
fail:
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i]);
    free(l.v);
    return rc;
}

/* ---- the document ---- */

static const char *language_name(const char *code)
{
    static const char *const names[][2] = {{"da", "dansk"},     {"en", "engelsk"},
                                           {"uk", "ukrainsk"},  {"ar", "arabisk"},
                                           {"de", "tysk"},      {"pl", "polsk"},
                                           {"tr", "tyrkisk"},   {"so", "somali"},
                                           {"fa", "persisk"},   {"ti", "tigrinya"}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (strcmp(code, names[i][0]) == 0)
            return names[i][1];
    }
    return code;
}

static void quarter_label(const char *q, char *out, size_t cap)
{
    snprintf(out, cap, "%c. kvartal %.4s", q[5], q);
}

static const char *const stat_head[] = {"Sted / enhed", "Udsagn", "Antal", "Enig/helt enig",
                                        "Gns. 1–5",     "1",      "2",     "3",
                                        "4",            "5",      "Ved ikke"};

static void group_rows(struct doc_table *t, const struct group *g, const char *label)
{
    for (int st = 0; st < STATEMENTS; st++) {
        char v[V_COUNT][VAL_MAX], shown[V_COUNT][VAL_MAX + 8];
        stat_values(g, st, v);
        for (int k = 0; k < V_COUNT; k++)
            human(shown[k], sizeof shown[k], v[k], k != V_N && k != V_MEAN);
        const char *cells[11] = {st == 0 ? label : "", statement_names[st], shown[V_N],
                                 shown[V_AGREE], shown[V_MEAN]};
        for (int i = 0; i < 6; i++)
            cells[5 + i] = shown[V_DIST + i];
        doc_table_row(t, cells, strcmp(g->name, ALL) == 0);
    }
}

static void add_quarter_tables(struct model *m, struct doc *d, enum section sec)
{
    for (size_t i = 0; i < m->ngroups;) {
        const char *q = m->groups[i]->quarter;
        if (m->groups[i]->section != sec) {
            i++;
            continue;
        }
        char label[48];
        quarter_label(q, label, sizeof label);
        doc_add(d, DOC_HEADING, label);
        struct doc_table *t = doc_table_create(11, 2, stat_head);
        if (sec == SEC_LANGUAGE) {
            free(t->head[0]);
            t->head[0] = xstrdup("Sprog");
        }
        for (; i < m->ngroups && m->groups[i]->section == sec &&
               strcmp(m->groups[i]->quarter, q) == 0;
             i++) {
            const struct group *g = m->groups[i];
            char name[512];
            if (strcmp(g->site, ALL) == 0 && strcmp(g->name, ALL) == 0)
                snprintf(name, sizeof name, "%s",
                         m->opt->site ? m->opt->site : "Alle steder");
            else if (sec == SEC_LANGUAGE)
                snprintf(name, sizeof name, "%s", language_name(g->name));
            else if (strcmp(g->name, ALL) == 0)
                snprintf(name, sizeof name, "%s", g->site);
            else
                snprintf(name, sizeof name, "%s%s / %s", m->opt->site ? "" : "  ", g->site,
                         *g->name ? g->name : "(ingen enhed)");
            group_rows(t, g, name);
        }
        doc_add(d, DOC_TABLE, NULL)->table = t;
    }
}

static void add_trends(struct model *m, struct doc *d)
{
    for (int st = 0; st < STATEMENTS; st++) {
        struct doc_trend *tr = xcalloc(1, sizeof *tr);
        tr->nq = m->nquarters;
        for (int qi = 0; qi < m->nquarters; qi++) {
            const struct group *g = group_get(m, SEC_DIGNITY, m->quarters[qi], ALL, ALL, false);
            quarter_label(m->quarters[qi], tr->label[qi], sizeof tr->label[qi]);
            tr->hidden[qi] = !g || g->hidden;
            snprintf(tr->agree[qi], sizeof tr->agree[qi], "%s", DOC_SUPPRESSED);
            if (tr->hidden[qi])
                continue;
            char v[V_COUNT][VAL_MAX];
            stat_values(g, st, v);
            human(tr->agree[qi], sizeof tr->agree[qi], v[V_AGREE], true);
            for (int b = 0; b < 6; b++)
                tr->tenths[qi][b] = g->s[st].hide[b] ? -1 : (int)tenths(g->s[st].c[b], g->n);
        }
        char caption[160];
        snprintf(caption, sizeof caption, "%s — %s", statement_names[st], statement_texts[st]);
        doc_add(d, DOC_TREND, caption)->trend = tr;
    }
}

static int session_cmp(const void *pa, const void *pb)
{
    const struct session_row *a = pa, *b = pb;
    int c = strcmp(a->date, b->date);
    if (!c)
        c = strcmp(a->site, b->site);
    return c ? c : strcmp(a->session, b->session);
}

static int errand_cmp(const void *a, const void *b)
{
    return strcmp(((const struct errand *)a)->name, ((const struct errand *)b)->name);
}

static void build_doc(struct model *m, struct doc *d)
{
    const struct report_options *o = m->opt;
    char text[1024];
    doc_add(d, DOC_TITLE, "Værdighed i samtalen — borgernes svar");
    snprintf(text, sizeof text, "Periode %s til %s · %s · %ld besvarelser", o->from, o->to,
             o->site ? o->site : "alle steder", m->responses);
    doc_add(d, DOC_TEXT, text);
    doc_add(d, DOC_TEXT,
            "Efter samtalen svarer borgeren ved skranken på fire udsagn på en skala fra 1"
            " (helt uenig) til 5 (helt enig), eller \"ved ikke\": samtalen udvider"
            " handlemulighederne (empowerment), jobcentermedarbejderen tror på borgeren"
            " (ressourcefokus), samtalen bringer borgeren tættere på et arbejde (progression),"
            " og borgeren føler sig godt behandlet (værdighed).");
    doc_add(d, DOC_TEXT,
            "Antal er alle besvarelser, \"ved ikke\" medregnet. Enig/helt enig er andelen af"
            " svar 4 og 5 blandt dem, der svarede 1–5, og gennemsnittet er regnet over de"
            " samme svar. Fordelingen 1–5 og \"ved ikke\" er andele af alle besvarelser."
            " Små tal vises ikke (diskretionering som hos Danmarks Statistik): x betyder, at"
            " tallet bygger på færre end 5 svar, eller at det ville kunne regnes ud fra de"
            " øvrige tal og totalerne.");
    doc_add(d, DOC_HEADING, "Udviklingen de seneste fire kvartaler");
    add_trends(m, d);
    doc_add(d, DOC_HEADING, "Resultater pr. kvartal, sted og enhed");
    add_quarter_tables(m, d, SEC_DIGNITY);
    doc_add(d, DOC_HEADING, "Resultater efter svarsprog");
    add_quarter_tables(m, d, SEC_LANGUAGE);

    doc_add(d, DOC_HEADING, "Fremmøde pr. holdforløb");
    qsort(m->sessions, m->nsessions, sizeof *m->sessions, session_cmp);
    const char *shead[] = {"Dato", "Sted", "Forløb", "Fremmødte"};
    struct doc_table *t = doc_table_create(4, 3, shead);
    for (size_t i = 0; i < m->nsessions; i++) {
        char v[24];
        small_count(v, sizeof v, m->sessions[i].count);
        const char *cells[] = {m->sessions[i].date, m->sessions[i].site,
                               m->sessions[i].session, v};
        doc_table_row(t, cells, false);
    }
    doc_add(d, DOC_TABLE, NULL)->table = t; /* an empty table draws nothing */
    if (!m->nsessions)
        doc_add(d, DOC_TEXT, "Ingen fremmøde til holdforløb i perioden.");

    doc_add(d, DOC_HEADING, "Henvendelser uden tid pr. ærinde, ugedag og time");
    qsort(m->errands, m->nerrands, sizeof *m->errands, errand_cmp);
    for (size_t e = 0; e < m->nerrands; e++) {
        struct doc_heat *h = xcalloc(1, sizeof *h);
        for (int wd = 0; wd < 7; wd++) {
            for (int hr = 0; hr < 24; hr++) {
                long c = m->errands[e].count[wd][hr];
                h->count[wd][hr] = c > 0 && c < SMALL ? -1 : c;
            }
        }
        doc_add(d, DOC_HEAT, *m->errands[e].name ? m->errands[e].name : "(uden ærinde)")->heat =
            h;
    }
    if (!m->nerrands)
        doc_add(d, DOC_TEXT, "Ingen henvendelser uden tid i perioden.");
}

/* ---- the whole ---- */

static void period_quarters(struct model *m)
{
    int fy = atoi(m->opt->from), fq = (atoi(m->opt->from + 5) - 1) / 3;
    int ty = atoi(m->opt->to), tq = (atoi(m->opt->to + 5) - 1) / 3;
    long first = fy * 4L + fq, last = ty * 4L + tq;
    if (last - first > 3)
        first = last - 3;
    m->nquarters = 0;
    for (long q = first; q <= last; q++)
        snprintf(m->quarters[m->nquarters++], QUARTER_MAX, "%04ldQ%ld", q / 4, q % 4 + 1);
}

static void model_free(struct model *m)
{
    for (size_t i = 0; i < m->ngroups; i++) {
        free(m->groups[i]->site);
        free(m->groups[i]->name);
        free(m->groups[i]);
    }
    free(m->groups);
    free(m->hash);
    for (size_t i = 0; i < m->nsessions; i++) {
        free(m->sessions[i].date);
        free(m->sessions[i].site);
        free(m->sessions[i].session);
    }
    free(m->sessions);
    for (size_t i = 0; i < m->nerrands; i++)
        free(m->errands[i].name);
    free(m->errands);
}

int report_write(struct central_db *db, const struct report_options *opt)
{
    struct model m = {.opt = opt};
    struct doc d = {NULL, 0};
    struct buf path;
    buf_init(&path);
    int rc = -1;
    if (mkdir(opt->out_dir, 0755) != 0 && errno != EEXIST) {
        log_msg(LOG_MODULE, "%s: %s", opt->out_dir, strerror(errno));
        goto fail;
    }
    if (read_counts(db, &m))
        goto fail;
    qsort(m.groups, m.ngroups, sizeof *m.groups, group_cmp);
    rehash(&m);
    suppress_groups(&m);
    for (size_t i = 0; i < m.ngroups; i++) {
        for (int st = 0; st < STATEMENTS; st++)
            suppress_cells(&m.groups[i]->s[st]);
        if (m.groups[i]->section == SEC_DIGNITY && strcmp(m.groups[i]->site, ALL) == 0)
            m.responses += m.groups[i]->n;
    }
    period_quarters(&m);
    buf_printf(&path, "%s/figures.csv", opt->out_dir);
    if (write_figures(&m, path.data))
        goto fail;
    build_doc(&m, &d);
    buf_clear(&path);
    buf_printf(&path, "%s/report.html", opt->out_dir);
    if (doc_write_html(&d, path.data))
        goto fail;
    buf_clear(&path);
    buf_printf(&path, "%s/report.pdf", opt->out_dir);
    if (doc_write_pdf(&d, path.data))
        goto fail;
    rc = 0;
fail:
    if (rc && path.len)
        unlink(path.data);
    doc_free(&d);
    doc_render_done();
    model_free(&m);
    buf_free(&path);
    return rc;
}

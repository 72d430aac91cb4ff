/*
 * batch_jobnet.c — Jobnet's job search response (FORMATS.md section 7),
 * imported as it is: one batch kind of the table in batch_kinds.c.
 *
 * A response is an object with `JobPositionPostings` (a list of postings);
 * several pages given together form one snapshot, read in one pass: each
 * posting is mapped to the kiosk's job fields (README "Jobnet job search")
 * and handed to batch_take_job, which cleans, checks, dedupes (first kept)
 * and skips a bad posting with a report like any other job data. The
 * batch's time, the newest `PostingCreated` (local time,
 * Europe/Copenhagen), and a batch_id made from it and the IDs are known
 * after the last posting: they reach the importer through sink->header,
 * which refuses an old or future batch before anything is committed.
 *
 * Values may be strings, numbers, JSON booleans or "True"/"False"; null,
 * empty and "0001-01-01T00:00:00" mean absent; nested objects (Location)
 * and unknown fields are passed over. The file is streamed with json.h.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "batch_internal.h"
#include "html_text.h"

enum {
    N_ID, N_TITLE, N_PRESENTATION, N_ORG, N_ANONYMOUS, N_CITY, N_MUNICIPALITY,
    N_WP_POSTCODE, N_POSTCODE, N_CREATED, N_LASTDATE, N_HOURS, N_EMPLOYMENT, N_OCCUPATION,
    N_AREA, N_SHARE, N_DETAILS, N_URL, N_N
};

static const char *const jn_names[N_N] = {
    "ID", "Title", "Presentation", "HiringOrgName", "AnonymousEmployer",
    "WorkPlaceCity", "Municipality", "WorkPlacePostalCode", "PostalCode", "PostingCreated",
    "LastDateApplication", "WorkHours", "EmploymentType", "Occupation", "OccupationArea",
    "ShareUrl", "DetailsUrl", "Url",
};

#define POSTINGS "JobPositionPostings"
#define SUMMARY_MAX 8000

/* One posting's values as read: text (numbers and booleans as written,
 * JSON booleans as "true"/"false") in raw, and where each stands. */
struct posting {
    struct buf raw;
    bool present[N_N];
    size_t off[N_N];
    int line[N_N], col[N_N];
};

static const char *raw(const struct posting *g, int i)
{
    return g->present[i] ? g->raw.data + g->off[i] : "";
}

static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The index of a field we read, or -1. Postings have some 40 fields and a
 * batch 100 000 postings: a hash first, so most keys cost no strcmp. */
static int field_index(const char *key)
{
    static uint32_t hashes[N_N];
    if (!hashes[0])
        for (int i = N_N - 1; i >= 0; i--)
            hashes[i] = name_hash(jn_names[i]);
    uint32_t h = name_hash(key);
    for (int i = 0; i < N_N; i++)
        if (hashes[i] == h && strcmp(key, jn_names[i]) == 0)
            return i;
    return -1;
}

/* Reads one posting (its '{' read) into g; nested values are skipped. */
static int read_posting(struct parser *p, struct posting *g)
{
    buf_clear(&g->raw);
    memset(g->present, 0, sizeof g->present);
    memset(g->line, 0, sizeof g->line);
    memset(g->col, 0, sizeof g->col);
    for (;;) {
        enum json_tok t = json_next(p->r);
        if (t == JSON_OBJECT_END)
            return 0;
        if (t != JSON_KEY)
            return batch_syntax(p);
        int i = field_index(json_text(p->r, NULL));
        t = json_next(p->r);
        if (t == JSON_ERROR)
            return batch_syntax(p);
        if (i < 0 || t == JSON_OBJECT || t == JSON_ARRAY || t == JSON_NULL) {
            if (!json_skip(p->r, t))
                return batch_syntax(p);
            continue;
        }
        size_t len = 0;
        const char *text = t == JSON_TRUE    ? "true"
                           : t == JSON_FALSE ? "false"
                                             : json_text(p->r, &len);
        if (t == JSON_TRUE || t == JSON_FALSE)
            len = strlen(text);
        g->present[i] = true;
        g->off[i] = g->raw.len;
        g->line[i] = json_line(p->r);
        g->col[i] = json_col(p->r);
        buf_put(&g->raw, text, len + 1);
    }
}

static bool truthy(const char *s)
{
    return strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0;
}

/* "YYYY-MM-DD…" with a real date other than 0001-01-01 (Jobnet's none). */
static bool real_date(const char *s)
{
    char d[11] = {0};
    int y, m, dd;
    memcpy(d, s, strnlen(s, 10));
    return parse_date(d, &y, &m, &dd) && y > 1;
}

/* PostingCreated ("2026-11-20T09:12:00", local time) as an instant. */
static bool local_instant(const char *s, time_t *out)
{
    struct tm tm = {0};
    if (strlen(s) < 19 || !real_date(s) ||
        sscanf(s + 11, "%2d:%2d:%2d", &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 3)
        return false;
    sscanf(s, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    *out = mktime(&tm);
    return *out != (time_t)-1;
}

/* Whether word w starts a word of the lower-cased title, or ends one
 * (Danish compounds: "kontorelev", "tjenerelever"); "elevator" is not
 * "elev". */
static bool has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *q = strstr(s, w); q; q = strstr(q + 1, w)) {
        bool start = (q == s || q[-1] == ' ' || q[-1] == '-' || q[-1] == '/' || q[-1] == '(') &&
                     strncmp(q, "elevator", 8) != 0;
        const char *e = q + n;
        if (strncmp(e, "er", 2) == 0)
            e += 2;
        bool end = !*e || *e == ' ' || *e == ',' || *e == '-' || *e == '/' || *e == ')';
        if (start || end)
            return true;
    }
    return false;
}

/* The kind from EmploymentType and the title; NULL when nothing says. */
static const char *kind_of(const char *employment, const char *title)
{
    char s[1024];
    snprintf(s, sizeof s, "%s %s", employment, title);
    for (char *q = s; *q; q++)
        if (*q >= 'A' && *q <= 'Z')
            *q = (char)(*q - 'A' + 'a');
    if (strstr(s, "fleksjob"))
        return "flexjob";
    if (strstr(s, "lærling") || has_word(s, "elev"))
        return "apprentice";
    if (strstr(s, "studiejob") || strstr(s, "studentermedhjælp"))
        return "student";
    if (strstr(s, "praktik"))
        return "internship";
    return *employment ? "ordinary" : NULL;
}

static const char *hours_of(const char *h)
{
    bool full = strcasestr(h, "fuldtid") != NULL, part = strcasestr(h, "deltid") != NULL;
    return full && part ? "flexible" : full ? "full" : part ? "part" : NULL;
}

/* Cuts text to SUMMARY_MAX characters at a word, ending in "…". */
static void cut_summary(struct buf *t)
{
    if (utf8_count(t->data, t->len) <= SUMMARY_MAX)
        return;
    size_t i = 0;
    for (size_t chars = 0; chars < SUMMARY_MAX - 1; chars++) {
        const char *q = t->data + i;
        utf8_next(&q);
        i = (size_t)(q - t->data);
    }
    size_t cut = i;
    while (cut > 0 && t->data[cut - 1] != ' ' && t->data[cut - 1] != '\n')
        cut--;
    if (cut == 0)
        cut = i;
    while (cut > 0 && (t->data[cut - 1] == ' ' || t->data[cut - 1] == '\n'))
        cut--;
    t->len = cut;
    t->data[cut] = '\0';
    buf_puts(t, "…");
}

struct jobnet {
    struct parser p;
    struct posting g;
    struct buf text;
};

/* Puts s into the parser's arena as field j, standing where field i was read. */
static void put(struct jobnet *jn, struct field_val *v, int j, const char *s, int i)
{
    v[j] = (struct field_val){true, jn->p.arena.len, jn->g.line[i], jn->g.col[i]};
    buf_put(&jn->p.arena, s, strlen(s) + 1);
}

/* The first of fields a, b, c (-1: none) that holds something. */
static int first_of(const struct posting *g, int a, int b, int c)
{
    int f[3] = {a, b, c};
    for (int k = 0; k < 3; k++)
        if (f[k] >= 0 && g->present[f[k]] && *raw(g, f[k]) && strcmp(raw(g, f[k]), "0") != 0)
            return f[k];
    return -1;
}

static int take_posting(struct jobnet *jn, const char *path, int line, int col)
{
    struct posting *g = &jn->g;
    struct parser *p = &jn->p;
    struct field_val v[J_N];
    memset(v, 0, sizeof v);
    buf_clear(&p->arena);
    const char *names[J_N] = {"ID", "Title", "HiringOrgName", "WorkPlaceCity", "Occupation",
                              "WorkPlacePostalCode", "WorkHours", "EmploymentType",
                              "PostingCreated", "LastDateApplication", "Presentation", "Url",
                              "language"};
    if (g->present[N_ID])
        put(jn, v, J_ID, raw(g, N_ID), N_ID);
    if (g->present[N_TITLE])
        put(jn, v, J_TITLE, raw(g, N_TITLE), N_TITLE);
    if (g->present[N_ANONYMOUS] && truthy(raw(g, N_ANONYMOUS)))
        put(jn, v, J_EMPLOYER, "Anonym arbejdsgiver", N_ANONYMOUS);
    else if (g->present[N_ORG])
        put(jn, v, J_EMPLOYER, raw(g, N_ORG), N_ORG);
    int f = first_of(g, N_CITY, N_MUNICIPALITY, -1);
    if (f >= 0) {
        names[J_CITY] = jn_names[f];
        put(jn, v, J_CITY, raw(g, f), f);
    }
    if ((f = first_of(g, N_OCCUPATION, N_AREA, -1)) >= 0) {
        names[J_CATEGORY] = jn_names[f];
        put(jn, v, J_CATEGORY, raw(g, f), f);
    }
    if ((f = first_of(g, N_WP_POSTCODE, N_POSTCODE, -1)) >= 0) {
        names[J_POSTCODE] = jn_names[f];
        put(jn, v, J_POSTCODE, raw(g, f), f);
    }
    const char *h = hours_of(raw(g, N_HOURS));
    if (h)
        put(jn, v, J_HOURS, h, N_HOURS);
    const char *k = kind_of(raw(g, N_EMPLOYMENT), raw(g, N_TITLE));
    if (k)
        put(jn, v, J_KIND, k, N_EMPLOYMENT);
    char date[11] = {0};
    if (real_date(raw(g, N_CREATED))) {
        memcpy(date, raw(g, N_CREATED), 10);
        put(jn, v, J_POSTED, date, N_CREATED);
    }
    if (real_date(raw(g, N_LASTDATE))) {
        memcpy(date, raw(g, N_LASTDATE), 10);
        put(jn, v, J_DEADLINE, date, N_LASTDATE);
    }
    buf_clear(&jn->text);
    html_to_text(raw(g, N_PRESENTATION), &jn->text);
    cut_summary(&jn->text);
    if (jn->text.len)
        put(jn, v, J_SUMMARY, jn->text.data, N_PRESENTATION);
    if ((f = first_of(g, N_SHARE, N_DETAILS, N_URL)) >= 0) {
        names[J_URL] = jn_names[f];
        put(jn, v, J_URL, raw(g, f), f);
    }
    v[J_LANGUAGE] = (struct field_val){true, p->arena.len, line, col};
    buf_put(&p->arena, "da", 3);
    return batch_take_job(p, path, line, col, v, names);
}

/* What the postings tell of the whole batch: the newest PostingCreated
 * (where it stands), and a sum of the IDs' hashes. */
struct batch_time {
    time_t newest;
    int line, col;
    const char *file;
    uint64_t ids;
    size_t n;
};

static int postings(struct jobnet *jn, struct batch_time *s)
{
    struct parser *p = &jn->p;
    for (uint32_t index = 0;; index++) {
        enum json_tok t = json_next(p->r);
        if (t == JSON_ARRAY_END)
            return 0;
        if (t == JSON_ERROR)
            return batch_syntax(p);
        char path[64];
        snprintf(path, sizeof path, POSTINGS "[%u]", index);
        int line = json_line(p->r), col = json_col(p->r);
        if (t != JSON_OBJECT) {
            if (!json_skip(p->r, t))
                return batch_syntax(p);
            p->jobs.seen++;
            batch_refuse(p, line, col, path, "must be an object ({…}), found %s",
                         json_tok_name(t));
            batch_skip_job(p);
            continue;
        }
        if (s->n >= BATCH_JOBS_MAX)
            return batch_refuse(p, line, col, POSTINGS, "more than %d postings", BATCH_JOBS_MAX);
        int rc = read_posting(p, &jn->g);
        if (rc)
            return rc;
        s->n++;
        time_t when;
        const char *created = raw(&jn->g, N_CREATED);
        if (local_instant(created, &when) && when > s->newest) {
            s->newest = when;
            s->line = jn->g.line[N_CREATED];
            s->col = jn->g.col[N_CREATED];
            s->file = p->in->name;
        }
        uint64_t h = 1469598103934665603ull;
        for (const char *q = raw(&jn->g, N_ID); *q; q++)
            h = (h ^ (unsigned char)*q) * 1099511628211ull;
        s->ids += h; /* the same IDs in any order give the same sum */
        if ((rc = take_posting(jn, path, line, col)))
            return rc;
    }
}

/* One page from its start: the envelope, and its postings, each noted in
 * s and taken. */
static int page(struct jobnet *jn, struct batch_time *s)
{
    struct parser *p = &jn->p;
    int seen = 0, rc = batch_open_object(p, "a Jobnet response");
    if (rc)
        return rc;
    enum json_tok t;
    while ((t = json_next(p->r)) == JSON_KEY) {
        bool list = strcmp(json_text(p->r, NULL), POSTINGS) == 0;
        int kline = json_line(p->r), kcol = json_col(p->r);
        t = json_next(p->r);
        if (list && seen++)
            return batch_refuse(p, kline, kcol, POSTINGS, "the field appears twice");
        if (list && t != JSON_ARRAY)
            return batch_refuse(p, json_line(p->r), json_col(p->r), POSTINGS,
                                "must be a list ([…]), found %s", json_tok_name(t));
        rc = list ? postings(jn, s) : json_skip(p->r, t) ? 0 : batch_syntax(p);
        if (rc)
            return rc;
    }
    if (t != JSON_OBJECT_END || json_next(p->r) != JSON_END)
        return batch_syntax(p);
    if (!seen)
        return batch_refuse(p, 1, 1, NULL, "the field \"" POSTINGS "\" is missing");
    return 0;
}

static int parse_jobnet(const struct batch_input *in, size_t n, const struct batch_sink *sink,
                        struct buf *err)
{
    struct jobnet jn;
    batch_parser_init(&jn.p, &in[0], sink, err);
    buf_init(&jn.g.raw);
    buf_init(&jn.text);
    struct batch_time s = {0};
    struct batch_header *h = &jn.p.h;
    h->kind = BATCH_JOBS;
    h->version = 1;
    snprintf(h->source, sizeof h->source, "Jobnet");
    /* One pass: the time is known after the last posting (sink->header). */
    int rc = sink->begin ? sink->begin(sink->ctx, h, err) : 0;
    for (size_t i = 0; i < n && !rc; i++) {
        jn.p.in = &in[i];
        rc = page(&jn, &s);
    }
    if (!rc && !s.newest) {
        jn.p.in = &in[0];
        rc = batch_refuse(&jn.p, 0, 0, NULL,
                          "no posting has a PostingCreated, so the batch has no time; refused");
    }
    if (!rc) {
        h->generated_at = s.newest;
        h->generated_line = s.line;
        h->generated_col = s.col;
        h->generated_file = s.file;
        struct tm tm;
        localtime_r(&s.newest, &tm);
        char when[20];
        strftime(when, sizeof when, "%Y%m%dT%H%M%S", &tm);
        snprintf(h->batch_id, sizeof h->batch_id, "jobnet-%s-%zu-%016llx", when, s.n,
                 (unsigned long long)s.ids);
        rc = sink->header ? sink->header(sink->ctx, h, err) : 0;
    }
    for (size_t i = 0; i < n && !rc; i++)
        if (in[i].f && ferror(in[i].f)) {
            jn.p.in = &in[i];
            rc = batch_refuse(&jn.p, 0, 0, NULL, "could not be read");
        }
    if (!rc)
        rc = batch_jobs_check_share(&jn.p);
    if (!rc && sink->end)
        rc = sink->end(sink->ctx, err);
    buf_free(&jn.g.raw);
    buf_free(&jn.text);
    batch_parser_free(&jn.p);
    return rc;
}

static bool is_jobnet(const char *key, const char *text)
{
    (void)text;
    return strcmp(key, POSTINGS) == 0;
}

const struct batch_kind_def batch_kind_jobnet = {"Jobnet-jobsøgning", BATCH_JOBS, true, is_jobnet,
                                                 parse_jobnet};

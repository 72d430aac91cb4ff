/*
 * test_translations.c — texts in the citizen's language: `skranke.schedule/2`
 * read and refused as FORMATS.md section 2 and batch.h say (every refusal
 * names the place and the field), its translations kept through the store
 * and a reopen, `/1` and records of version 1 read as before, and the
 * per-language labels of errands and units as the
 * screens ask for them.
 */
#include "test.h"

#include "batch.h"
#include "record.h"
#include "store.h"

/* ---- parsing in memory ---- */

struct got {
    struct appointment a[4];
    struct session s[4];
    int n_a, n_s;
};

static int on_appointment(void *ctx, const struct appointment *a, struct buf *err)
{
    (void)err;
    struct got *g = ctx;
    if (g->n_a < 4)
        g->a[g->n_a++] = *a;
    return 0;
}

static int on_session(void *ctx, const struct session *s, struct buf *err)
{
    (void)err;
    struct got *g = ctx;
    if (g->n_s < 4) {
        g->s[g->n_s] = *s;
        g->s[g->n_s++].participants = NULL; /* valid only during the call */
    }
    return 0;
}

#define HEAD(fmt)                                                                                 \
    "{\"format\": \"skranke.schedule/" fmt "\", \"batch_id\": \"b\",\n"                          \
    "\"generated_at\": \"2026-11-24T05:00:00Z\", \"site\": \"s\", \"date\": \"2026-11-24\",\n"

/* Parses text; returns the code, with the message in err and the records
 * in g. */
static int parse(const char *text, struct got *g, struct buf *err)
{
    memset(g, 0, sizeof *g);
    struct batch_input in = {"t.json", NULL, text, strlen(text)};
    struct batch_sink sink = {NULL, NULL, on_appointment, on_session, NULL, g};
    return batch_parse(&in, &sink, err);
}

/* A session whose title is the given JSON value, in format /2. */
static int parse_title(const char *title, struct got *g, struct buf *err)
{
    char text[2048];
    snprintf(text, sizeof text,
             HEAD("2") "\"sessions\": [\n{\"id\": \"cv\", \"start\": \"10:00\",\n"
                       "\"title\": %s}]}",
             title);
    return parse(text, g, err);
}

static void test_parse(void)
{
    struct got g;
    struct buf err;
    buf_init(&err);

    /* A good /2: objects and plain strings side by side. */
    CHECK(parse(HEAD("2") "\"appointments\": [{\"code\": \"k7m2qx\", \"time\": \"09:30\",\n"
                          "\"unit\": \"Sygedagpenge\",\n"
                          "\"place\": {\"da\": \"Venteområde B\", "
                          "\"ar\": \"منطقة الانتظار B\"}}],\n"
                          "\"sessions\": [{\"id\": \"cv\", \"start\": \"10:00\", \"place\": null,\n"
                          "\"title\": {\"uk\": \"Пошук роботи\", \"da\": \"Jobsøgning\", "
                          "\"ar\": \"البحث عن عمل\", \"ti\": \"ምድላይ ስራሕ\"}}]}",
                &g, &err) == STORE_OK);
    CHECK(g.n_a == 1 && g.n_s == 1);
    CHECK_STR(g.a[0].unit, "Sygedagpenge");
    CHECK(store_tr_count(&g.a[0].unit_tr) == 0);
    CHECK_STR(g.a[0].place, "Venteområde B");
    CHECK_STR(store_tr_pick(&g.a[0].place_tr, g.a[0].place, "ar"), "منطقة الانتظار B");
    CHECK_STR(store_tr_pick(&g.a[0].place_tr, g.a[0].place, "uk"), "Venteområde B");
    CHECK_STR(g.s[0].title, "Jobsøgning");
    CHECK_STR(store_tr_pick(&g.s[0].title_tr, g.s[0].title, "uk"), "Пошук роботи");
    CHECK_STR(store_tr_pick(&g.s[0].title_tr, g.s[0].title, "ti"), "ምድላይ ስራሕ");
    CHECK_STR(store_tr_pick(&g.s[0].title_tr, g.s[0].title, "en"), "Jobsøgning");
    CHECK_STR(store_tr_pick(&g.s[0].title_tr, g.s[0].title, "xx"), "Jobsøgning");
    CHECK_STR(store_tr_pick(&g.s[0].title_tr, g.s[0].title, "da"), "Jobsøgning");
    CHECK(store_tr_count(&g.s[0].title_tr) == 3);

    /* Refusals: the place (line:column of the offending token), the field,
     * and why. */
    CHECK(parse_title("{\"da\": \"Jobsøgning\", \"de\": \"Jobsuche\"}", &g, &err) ==
          STORE_EINVAL);
    CHECK_CONTAINS(err.data, "t.json:5:31: sessions[0].title: \"de\" is not a language code");
    CHECK_CONTAINS(err.data, "da, en, uk, ar, fa, pl, so, ti");
    CHECK(g.n_s == 0);

    CHECK(parse_title("{\"uk\": \"Пошук роботи\"}", &g, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "t.json:5:10: sessions[0].title: the Danish text (\"da\") is missing");

    CHECK(parse_title("{\"da\": \"Jobsøgning\", \"ar\": \"البحث \xE2\x80\xAE عن عمل\"}", &g,
                      &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "t.json:5:37: sessions[0].title.ar: contains a bidi control");

    CHECK(parse_title("{\"da\": \"Jobsøgning\", \"uk\": \"Пошук 2411901234\"}", &g, &err) ==
          STORE_EINVAL);
    CHECK_CONTAINS(err.data, "sessions[0].title.uk: contains what looks like a CPR number");

    CHECK(parse_title("{\"da\": \"Jobsøgning 241190-1234\", \"uk\": \"Пошук\"}", &g, &err) ==
          STORE_EINVAL);
    CHECK_CONTAINS(err.data, "sessions[0].title: contains what looks like a CPR number");

    CHECK(parse_title("{\"da\": \"Jobsøgning\", \"uk\": 7}", &g, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data,
                   "t.json:5:37: sessions[0].title.uk: must be text in quotes, found a number");

    CHECK(parse_title("[\"Jobsøgning\"]", &g, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "sessions[0].title: must be text in quotes or an object of language");
    CHECK_CONTAINS(err.data, "found a list");

    CHECK(parse_title("{\"da\": \"Jobsøgning\", \"uk\": \"\"}", &g, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "sessions[0].title.uk: must not be empty");

    CHECK(parse_title("{\"da\": \"Jobsøgning\", \"uk\": \"а\\nб\"}", &g, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "sessions[0].title.uk: contains a control character");

    CHECK(parse_title("{\"da\": \"a\", \"uk\": \"b\", \"uk\": \"c\"}", &g, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "sessions[0].title.uk: the language appears twice");

    char longer[1024] = "{\"da\": \"a\", \"ar\": \"";
    for (int i = 0; i < 101; i++)
        strcat(longer, "ب");
    strcat(longer, "\"}");
    CHECK(parse_title(longer, &g, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "sessions[0].title.ar: longer than 100 characters (101)");

    /* host is a name, never translated. */
    CHECK(parse(HEAD("2") "\"appointments\": [{\"code\": \"K7M2QX\", \"time\": \"09:30\",\n"
                          "\"host\": {\"da\": \"Anne\"}}]}",
                &g, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "appointments[0].host: must be text in quotes, found an object");

    /* /1 reads as before: strings; an object is refused, naming /2. */
    CHECK(parse(HEAD("1") "\"sessions\": [{\"id\": \"cv\", \"start\": \"10:00\", "
                          "\"title\": \"CV-værksted\"}]}",
                &g, &err) == STORE_OK);
    CHECK(g.n_s == 1 && store_tr_count(&g.s[0].title_tr) == 0);
    CHECK(parse(HEAD("1") "\"sessions\": [{\"id\": \"cv\", \"start\": \"10:00\", "
                          "\"title\": {\"da\": \"CV-værksted\"}}]}",
                &g, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "sessions[0].title: must be text in quotes (a text per language "
                             "needs the format skranke.schedule/2), found an object");
    CHECK(parse(HEAD("3") "\"sessions\": []}", &g, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "skranke.schedule/2");
    buf_free(&err);
}

/* ---- records ---- */

static void test_records(void)
{
    struct buf b;
    buf_init(&b);
    static struct session s, back;
    char parts[1][7] = {"Q4TZ7A"};
    memset(&s, 0, sizeof s);
    strcpy(s.id, "cv");
    strcpy(s.title, "CV-værksted");
    strcpy(s.start, "10:00");
    strcpy(s.title_tr.text[store_lang_index("uk")], "Майстерня з резюме");
    strcpy(s.place_tr.text[store_lang_index("ar")], "الغرفة 3");
    s.n_participants = 1;
    s.participants = (const char(*)[7])parts;
    rec_encode_session(&b, &s);
    CHECK(rec_decode_session(b.data, b.len, &back));
    CHECK_STR(store_tr_pick(&back.title_tr, back.title, "uk"), "Майстерня з резюме");
    CHECK_STR(store_tr_pick(&back.place_tr, back.place, "ar"), "الغرفة 3");
    CHECK(back.n_participants == 1);
    CHECK_STR(back.participants[0], "Q4TZ7A");

    /* A version-1 session, as format 3 stored it, still reads. */
    rec_begin(&b, REC_SESSION, 1);
    const char *v1[] = {"s", "2026-11-24", "cv", "CV-værksted", "10:00", "12:00", "Lokale 3"};
    for (size_t i = 0; i < 7; i++)
        rec_str(&b, v1[i]);
    rec_u32(&b, 1);
    buf_put(&b, "Q4TZ7A", 7);
    CHECK(rec_decode_session(b.data, b.len, &back));
    CHECK_STR(back.place, "Lokale 3");
    CHECK(store_tr_count(&back.title_tr) == 0 && store_tr_count(&back.place_tr) == 0);
    CHECK_STR(store_tr_pick(&back.title_tr, back.title, "uk"), "CV-værksted");

    static struct appointment a, aback;
    rec_begin(&b, REC_APPOINTMENT, 1);
    const char *a1[] = {"s", "2026-11-24", "K7M2QX", "09:30", "Sygedagpenge", "B", "Anne"};
    for (size_t i = 0; i < 7; i++)
        rec_str(&b, a1[i]);
    CHECK(rec_decode_appointment(b.data, b.len, &aback));
    CHECK_STR(aback.host, "Anne");

    /* Version 2: a language the kiosk does not know, or one twice, is damage. */
    memset(&a, 0, sizeof a);
    strcpy(a.code, "K7M2QX");
    strcpy(a.unit_tr.text[1], "Sickness benefit");
    rec_encode_appointment(&b, &a);
    CHECK(rec_decode_appointment(b.data, b.len, &aback));
    CHECK_STR(aback.unit_tr.text[1], "Sickness benefit");
    char *en = memmem(b.data, b.len, "en", 3);
    CHECK(en != NULL);
    if (en) {
        memcpy(en, "de", 2);
        CHECK(!rec_decode_appointment(b.data, b.len, &aback));
        memcpy(en, "da", 2);
        CHECK(!rec_decode_appointment(b.data, b.len, &aback));
    }
    buf_free(&b);
}

/* ---- the store ---- */

struct titles {
    char uk[4][STORE_TEXT_MAX + 1], ar_place[4][STORE_TEXT_MAX + 1];
    int n;
};

static void collect_titles(const struct session *s, void *ctx)
{
    struct titles *t = ctx;
    if (t->n < 4) {
        strcpy(t->uk[t->n], store_tr_pick(&s->title_tr, s->title, "uk"));
        strcpy(t->ar_place[t->n], store_tr_pick(&s->place_tr, s->place, "ar"));
        t->n++;
    }
}

static void test_store(void)
{
    char *dir = test_tmpdir();
    struct store *s;
    struct buf why;
    buf_init(&why);
    CHECK(store_open(&s, dir, NULL) == STORE_OK);
    CHECK(store_config_set(s, "site", "jobcenter-slagelse", &why) == STORE_OK);
    struct import_result ir;
    struct batch_import_opts at = {.now = 1795510800}; /* the sample's day, 10:00 local */
    CHECK(batch_import_file_opts(s, TESTDATA "/schedule-sample-2.json", &at, &ir, &why) ==
          STORE_OK);
    CHECK(ir.appointments == 2 && ir.sessions == 2);
    store_close(s);

    /* Kept across a reopen. */
    CHECK(store_open(&s, dir, NULL) == STORE_OK);
    static struct appointment a;
    CHECK(store_find_appointment(s, "jobcenter-slagelse", "2026-11-24", "K7M2QX", &a) ==
          STORE_OK);
    CHECK_STR(a.place, "Venteområde B");
    CHECK_STR(store_tr_pick(&a.place_tr, a.place, "uk"), "Зона очікування B");
    CHECK_STR(store_tr_pick(&a.unit_tr, a.unit, "ar"), "إعانة المرض");
    CHECK_STR(store_tr_pick(&a.unit_tr, a.unit, "fa"), "Sygedagpenge");
    static struct titles t;
    CHECK(store_foreach_session(s, "jobcenter-slagelse", "2026-11-24", collect_titles, &t) ==
          STORE_OK);
    CHECK(t.n == 2);
    CHECK_STR(t.uk[0], "Майстерня з резюме");
    CHECK_STR(t.ar_place[0], "Lokale 3"); /* no Arabic given: Danish */
    CHECK_STR(t.uk[1], "Informationsmøde om voksenlærlinge");

    /* A /1 schedule replaces the day and its translations. */
    at.accept_older = true;
    CHECK(batch_import_file_opts(s, TESTDATA "/schedule-sample.json", &at, &ir, &why) ==
          STORE_OK);
    CHECK(store_find_appointment(s, "jobcenter-slagelse", "2026-11-24", "K7M2QX", &a) ==
          STORE_OK);
    CHECK(store_tr_count(&a.place_tr) == 0);
    CHECK_STR(store_tr_pick(&a.place_tr, a.place, "uk"), "Venteområde B");

    /* Labels of errands and units, as the screens ask for them. */
    static char out[12][STORE_TEXT_MAX + 1];
    CHECK(store_config_labels(s, "errands", "uk", out, 12) == 3);
    CHECK_STR(out[0], "Безробіття");
    CHECK_STR(out[2], "Інше");
    CHECK(store_config_labels(s, "errands", "da", out, 12) == 3);
    CHECK_STR(out[1], "Sygedagpenge");
    CHECK(store_config_labels(s, "errands", "ti", out, 12) == 3);
    CHECK_STR(out[2], "ካልእ");
    CHECK(store_config_labels(s, "errands", "xx", out, 12) == 3);
    CHECK_STR(out[0], "Ledighed");
    CHECK(store_config_labels(s, "units", "uk", out, 12) == 0);
    CHECK(store_config_set(s, "units", "Sygedagpenge,Jobafklaring", &why) == STORE_OK);
    CHECK(store_config_labels(s, "units", "ar", out, 12) == 2);
    CHECK_STR(out[0], "إعانة المرض");
    CHECK_STR(out[1], "Jobafklaring"); /* not in the kiosk's own translations */
    CHECK(store_config_set(s, "units.ar", "إعانة المرض,توضيح العمل", &why) == STORE_OK);
    CHECK(store_config_labels(s, "units", "ar", out, 12) == 2);
    CHECK_STR(out[1], "توضيح العمل");
    CHECK(store_config_set(s, "units.ar", "واحد", &why) == STORE_EINVAL);
    CHECK_CONTAINS(why.data, "units has 2 items but units.ar has 1 label");
    /* Staff removing a unit keep the other's label. */
    CHECK(store_config_set(s, "units", "Jobafklaring", &why) == STORE_OK);
    CHECK(store_config_labels(s, "units", "ar", out, 12) == 1);
    CHECK_STR(out[0], "توضيح العمل");
    CHECK(store_config_labels(s, "units", "uk", out, 12) == 1);
    CHECK_STR(out[0], "Jobafklaring");
    /* Both in one go, checked together. */
    const char *keys[] = {"units", "units.uk"}, *vals[] = {"A,B", "А,Б"}, *bad[] = {"A,B", "А"};
    CHECK(store_config_set_many(s, keys, bad, 2, &why) == STORE_EINVAL);
    CHECK(store_config_set_many(s, keys, vals, 2, &why) == STORE_OK);
    CHECK(store_config_labels(s, "units", "uk", out, 12) == 2);
    CHECK_STR(out[1], "Б");
    store_close(s);
    test_rmtree(dir);
    free(dir);
    buf_free(&why);
}

int main(void)
{
    test_parse();
    test_records();
    test_store();
    TEST_END();
}

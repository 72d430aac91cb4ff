/*
 * test_i18n.c — the translation files: the shipped ones are complete (every
 * Danish key in every language and nothing extra, every plural form each
 * language's rule needs), a missing or empty text shows Danish (never a
 * blank), and a malformed file is refused. The plural table checks the CLDR
 * categories of many numbers in each of the eight languages against the
 * examples CLDR itself lists, and that a counted text reads right.
 */
#include "test.h"

#include <sys/stat.h>

#include "i18n.h"
#include "util.h"

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/lang/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

/* A fresh assets folder holding lang/ with the given files (name, text, …). */
static char *assets_with(const char *const *files, int n)
{
    char *dir = test_tmpdir(), path[4200];
    snprintf(path, sizeof path, "%s/lang", dir);
    if (mkdir(path, 0755) != 0) {
        perror(path);
        exit(2);
    }
    for (int i = 0; i < n; i++)
        write_file(dir, files[2 * i], files[2 * i + 1]);
    return dir;
}

static bool slurp(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "r");
    char chunk[4096];
    size_t n;
    if (!f)
        return false;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(out, chunk, n);
    fclose(f);
    return true;
}

static const char *const codes[] = {"da", "en", "uk", "ar", "fa", "pl", "so", "ti"};
#define N_CODES ((int)(sizeof codes / sizeof *codes))

/* i18n_missing() over the given files (name, text, …), into report. */
static int gaps_in(const char *const *files, int n, struct buf *report)
{
    char *dir = assets_with(files, n);
    i18n_unload();
    CHECK(i18n_load(dir));
    int gaps = i18n_missing(report);
    i18n_unload();
    test_rmtree(dir);
    free(dir);
    return gaps;
}

static void test_shipped_files_complete(void)
{
    i18n_unload();
    CHECK(i18n_load(SKRANKE_ASSETS_DIR));
    struct buf report;
    buf_init(&report);
    int gaps = i18n_missing(&report);
    if (gaps)
        fprintf(stderr, "%s: the translations have %d gaps:\n%s", SKRANKE_ASSETS_DIR, gaps,
                report.data);
    CHECK(gaps == 0);
    buf_free(&report);

    for (int i = 0; i < N_CODES; i++) {
        CHECK(i18n_has(codes[i]));
        CHECK(strcmp(i18n_get(codes[i], "@name"), "@name") != 0);
        CHECK(*i18n_get(codes[i], "home.welcome"));
        /* Not Danish: each language's own words. */
        if (strcmp(codes[i], "da") != 0)
            CHECK(strcmp(i18n_get(codes[i], "home.welcome"), "Velkommen") != 0);
        /* One word for home, another for begin (English had "Start" twice). */
        CHECK(strcmp(i18n_get(codes[i], "nav.home"), i18n_get(codes[i], "survey.start")) != 0);
        CHECK(i18n_rtl(codes[i]) == (strcmp(codes[i], "ar") == 0 || strcmp(codes[i], "fa") == 0));
    }
    CHECK(i18n_count() == N_CODES);
    CHECK_STR(i18n_get("da", "@name"), "Dansk");
    CHECK_STR(i18n_get("da", "home.welcome"), "Velkommen");
    CHECK_STR(i18n_get("fa", "@name"), "فارسی");
    CHECK_STR(i18n_get("ti", "@name"), "ትግርኛ");
    /* The countdown text takes its number. */
    struct buf b;
    buf_init(&b);
    CHECK_CONTAINS(i18n_fmt("da", "idle.body", 15, &b), "15");
    CHECK(strstr(b.data, "{n}") == NULL);
    CHECK_CONTAINS(i18n_fmt("ar", "idle.body", 7, &b), "7");
    /* Each file says whether a native speaker has reviewed it. */
    for (int i = 0; i < N_CODES; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/lang/%s.txt", SKRANKE_ASSETS_DIR, codes[i]);
        buf_clear(&b);
        CHECK(slurp(path, &b));
        CHECK_CONTAINS(b.data, "\n# Review: ");
        if (strcmp(codes[i], "da") != 0)
            CHECK_CONTAINS(b.data, "not yet reviewed by a native speaker");
    }
    /* Persian in Persian letters: ی and ک, not the Arabic ي and ك. */
    for (const char *const *k = (const char *const[]){"home.welcome", "survey.q.ressourcefokus",
                                                      "checkin.appointment", "jobs.title", NULL};
         *k; k++)
        CHECK(!strstr(i18n_get("fa", *k), "ي") && !strstr(i18n_get("fa", *k), "ك"));
    /* The wrong-code pause is the kiosk's: no word says the citizen erred. */
    static const struct {
        const char *code, *words[5];
    } blame[] = {{"da", {"forkert", "Forkert", "fejl", "for mange", NULL}},
                 {"en", {"wrong", "Wrong", "mistake", "too many", NULL}}};
    for (size_t i = 0; i < sizeof blame / sizeof *blame; i++)
        for (const char *const *k = (const char *const[]){"checkin.paused", "checkin.paused.sub",
                                                          NULL};
             *k; k++)
            for (const char *const *w = blame[i].words; *w; w++)
                CHECK(!strstr(i18n_fmt(blame[i].code, *k, 5, &b), *w));
    buf_free(&b);
    i18n_unload();
}

/* i18n_fmt(code, key, n) is want (exact) or contains it. */
struct fmt_case {
    const char *code, *key;
    long n;
    const char *want;
    bool exact;
};

static void check_fmt(const struct fmt_case *c, size_t n)
{
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        i18n_fmt(c[i].code, c[i].key, c[i].n, &b);
        if (c[i].exact ? strcmp(b.data, c[i].want) == 0 : strstr(b.data, c[i].want) != NULL) {
            test_passed++;
        } else {
            test_failed++;
            fprintf(stderr, "%s:%d: %s %s %ld reads \"%s\", not \"%s\"\n", __FILE__, __LINE__,
                    c[i].code, c[i].key, c[i].n, b.data, c[i].want);
        }
    }
    buf_free(&b);
}

/* CLDR's own examples (plurals.xml, "@integer" samples) per category. */
struct plural_case {
    const char *code, *category;
    long n[24];
};

static const struct plural_case cldr_examples[] = {
    {"da", "one", {1, -1}},
    {"da", "other", {0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 100, 1000, 10000, 100000, 1000000, -1}},
    {"en", "one", {1, -1}},
    {"en", "other", {0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 100, 1000, 10000, -1}},
    {"so", "one", {1, -1}},
    {"so", "other", {0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 100, 1000, -1}},
    {"fa", "one", {0, 1, -1}},
    {"fa", "other", {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 100, 1000, 10000, -1}},
    {"ti", "one", {0, 1, -1}},
    {"ti", "other", {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 100, 1000, -1}},
    {"pl", "one", {1, -1}},
    {"pl", "few", {2, 3, 4, 22, 23, 24, 32, 33, 34, 42, 43, 44, 52, 53, 54, 62, 102, 1002, -1}},
    {"pl", "many", {0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 100, 111, 1000, 10000, -1}},
    {"uk", "one", {1, 21, 31, 41, 51, 61, 71, 81, 101, 1001, -1}},
    {"uk", "few", {2, 3, 4, 22, 23, 24, 32, 33, 34, 42, 43, 44, 52, 53, 54, 62, 102, 1002, -1}},
    {"uk", "many", {0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 111, 100, 1000, 10000, -1}},
    {"ar", "zero", {0, -1}},
    {"ar", "one", {1, -1}},
    {"ar", "two", {2, -1}},
    {"ar", "few", {3, 4, 5, 6, 7, 8, 9, 10, 103, 104, 105, 106, 107, 108, 109, 110, 1003, -1}},
    {"ar", "many", {11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 99, 111, 1011, -1}},
    {"ar", "other", {100, 101, 102, 200, 201, 202, 300, 301, 302, 400, 500, 600, 1000, 10000, 100000, -1}},
};

static void test_plural_table(void)
{
    /* The rules are compiled in: no files needed. */
    for (size_t i = 0; i < sizeof cldr_examples / sizeof *cldr_examples; i++) {
        const struct plural_case *c = &cldr_examples[i];
        for (const long *n = c->n; *n >= 0; n++) {
            const char *got = i18n_plural(c->code, *n);
            if (strcmp(got, c->category) == 0) {
                test_passed++;
            } else {
                test_failed++;
                fprintf(stderr, "%s:%d: %s %ld is %s, CLDR says %s\n", __FILE__, __LINE__,
                        c->code, *n, got, c->category);
            }
        }
    }
    /* Counts are magnitudes; a language without a rule has only "other". */
    CHECK_STR(i18n_plural("uk", -21), "one");
    CHECK_STR(i18n_plural("xx", 1), "other");

    /* The shipped texts read right. */
    i18n_unload();
    CHECK(i18n_load(SKRANKE_ASSETS_DIR));
    struct buf b;
    buf_init(&b);
    static const struct fmt_case shipped[] = {
        {"en", "jobs.count", 1, "1 job", true},
        {"en", "jobs.count", 2, "2 jobs", true},
        {"en", "jobs.count", 0, "0 jobs", true},
        {"en", "idle.body", 1, "The screen starts over in 1 second.", true},
        {"da", "idle.body", 1, "Skærmen starter forfra om 1 sekund.", true},
        {"da", "idle.body", 15, "Skærmen starter forfra om 15 sekunder.", true},
        {"da", "jobs.stale", 7, "Listen er over 7 dage gammel – nogle job kan være besat.", true},
        {"pl", "jobs.count", 1, "1 oferta", true},
        {"pl", "jobs.count", 3, "3 oferty", true},
        {"pl", "jobs.count", 12, "12 ofert", true},
        {"pl", "jobs.count", 22, "22 oferty", true},
        {"uk", "jobs.count", 21, "21 вакансія", true},
        {"uk", "jobs.count", 3, "3 вакансії", true},
        {"uk", "jobs.count", 11, "11 вакансій", true},
        /* Arabic: 3..10 take the plural (ثوانٍ), 11..99 and 100 the
         * singular; 1 and 2 are words ("9 ثانية" was the bug). */
        {"ar", "idle.body", 9, "9 ثوانٍ", false},
        {"ar", "idle.body", 1, "ثانية واحدة", false},
        {"ar", "idle.body", 2, "ثانيتين", false},
        {"ar", "jobs.count", 3, "3 وظائف", false},
        {"ar", "jobs.count", 11, "11 وظيفة", false},
        {"ar", "jobs.count", 100, "100 وظيفة", false},
        /* The check-in countdowns ("Vent 1 sekunder" was the bug). */
        {"da", "checkin.ticket.left", 1, "Skærmen går tilbage til start om 1 sekund.", true},
        {"da", "checkin.ticket.left", 2, "Skærmen går tilbage til start om 2 sekunder.", true},
        {"da", "checkin.paused.sub", 1, "om 1 sekund.", false},
        {"en", "checkin.paused.sub", 1, "in 1 second.", false},
        {"en", "checkin.ticket.left", 1, "in 1 second.", false},
        {"en", "checkin.ticket.left", 30, "in 30 seconds.", false},
        {"uk", "checkin.ticket.left", 21, "через 21 секунду.", false},
        {"uk", "checkin.ticket.left", 3, "через 3 секунди.", false},
        {"uk", "checkin.paused.sub", 11, "через 11 секунд.", false},
        {"pl", "checkin.paused.sub", 1, "za 1 sekundę.", false},
        {"pl", "checkin.paused.sub", 24, "za 24 sekundy.", false},
        {"pl", "checkin.ticket.left", 25, "za 25 sekund.", false},
        {"ar", "checkin.paused.sub", 9, "9 ثوانٍ", false},
        {"ar", "checkin.paused.sub", 2, "ثانيتين", false},
        {"ar", "checkin.ticket.left", 1, "ثانية واحدة", false},
        {"ar", "checkin.ticket.left", 30, "30 ثانية", false},
    };
    check_fmt(shipped, sizeof shipped / sizeof *shipped);
    CHECK(!strstr(i18n_fmt("ar", "idle.body", 1, &b), "1")); /* a word, not "1 ثانية" */
    /* No counted text in any language shows its {n} unfilled. */
    static const char *const counted[] = {"idle.body", "checkin.paused.sub",
                                          "checkin.ticket.left", "jobs.count", "jobs.stale"};
    for (int i = 0; i < N_CODES; i++)
        for (size_t k = 0; k < sizeof counted / sizeof *counted; k++)
            for (long n = 0; n < 120; n++) {
                i18n_fmt(codes[i], counted[k], n, &b);
                if (strstr(b.data, "{n}") || !*b.data) {
                    test_failed++;
                    fprintf(stderr, "%s:%d: %s %s %ld: %s\n", __FILE__, __LINE__, codes[i],
                            counted[k], n, b.data);
                }
            }
    buf_free(&b);
    i18n_unload();
}

static void test_plural_forms_picked(void)
{
    /* The category picks the form; the Arabic many and other differ here. */
    const char *files[] = {
        "da.txt", "@name = Dansk\nc.one = {n} ting\nc.other = {n} tinge\nplain = {n} af 4\n",
        "ar.txt", "@name = ar\nc.zero = Z\nc.one = O\nc.two = T\nc.few = F{n}\n"
                  "c.many = M{n}\nc.other = X{n}\nplain = {n} من 4\n",
        "en.txt", "@name = en\nc.other = {n} things\nplain = {n} of 4\n",
    };
    char *dir = assets_with(files, 3);
    CHECK(i18n_load(dir));
    static const struct fmt_case picked[] = {
        {"ar", "c", 0, "Z", true},
        {"ar", "c", 1, "O", true},
        {"ar", "c", 2, "T", true},
        {"ar", "c", 3, "F3", true},
        {"ar", "c", 11, "M11", true},
        {"ar", "c", 100, "X100", true},
        {"ar", "plain", 3, "3 من 4", true}, /* no forms: the key itself */
        {"en", "c", 1, "1 things", true}, /* one missing: other */
        {"da", "c", 1, "1 ting", true},
        {"xx", "c", 1, "1 ting", true}, /* no such language: Danish */
        {"da", "nowhere", 1, "nowhere", true},
    };
    check_fmt(picked, sizeof picked / sizeof *picked);
    /* English lacks c.one: reported by name. */
    struct buf report;
    buf_init(&report);
    CHECK(i18n_missing(&report) == 1);
    CHECK_STR(report.data, "en.txt: missing c.one\n");
    buf_free(&report);
    i18n_unload();
    test_rmtree(dir);
    free(dir);
}

static void test_plural_gaps_reported(void)
{
    /* Polish needs one, few and many; "other" is optional (fractions only);
     * a form its rule never uses is a mistake; the bare key stands for other. */
    const char *files[] = {
        "da.txt", "@name = Dansk\nc.one = {n} ting\nc.other = {n} tinge\n"
                  "w = {n} uger\nw.one = {n} uge\n",
        "pl.txt", "@name = Polski\nc.one = a\nc.many = b\nc.two = z\n"
                  "w.one = t\nw.few = t\nw.many = t\n",
        "en.txt", "@name = en\nc.one = a\nc = b\nw.one = a\nw.other = b\n",
        "so.txt", "@name = so\nc.one = a\nc.other = b\nw = c\n",
    };
    struct buf report;
    buf_init(&report);
    CHECK(gaps_in(files, 4, &report) == 3);
    CHECK_CONTAINS(report.data, "pl.txt: missing c.few\n");
    CHECK_CONTAINS(report.data, "pl.txt: c.two is not a plural form of pl");
    CHECK_CONTAINS(report.data, "so.txt: missing w.one\n");
    CHECK(!strstr(report.data, "en.txt"));
    CHECK(strncmp(report.data, "da.txt", 6) != 0 && !strstr(report.data, "\nda.txt"));
    buf_free(&report);
}

static void test_fallback_to_danish(void)
{
    const char *files[] = {
        "da.txt", "# Dansk\n@name = Dansk\n@dir = ltr\nhello = Hej\nbye = Farvel\n"
                  "two = Linje et\\nLinje to\n",
        "xx.txt", "@name = Xx\n@dir = ltr\nhello = Hi\ntwo = One\\nTwo\n",
    };
    char *dir = assets_with(files, 2);
    i18n_unload();
    CHECK(i18n_load(dir));
    CHECK(i18n_count() == 2);
    CHECK_STR(i18n_get("xx", "hello"), "Hi");
    CHECK_STR(i18n_get("xx", "bye"), "Farvel"); /* missing: the Danish text */
    CHECK_STR(i18n_get("da", "two"), "Linje et\nLinje to");
    CHECK_STR(i18n_get("zz", "bye"), "Farvel"); /* no such language */
    CHECK_STR(i18n_get("xx", "nowhere"), "nowhere"); /* missing in Danish too: the key */
    struct buf report;
    buf_init(&report);
    CHECK(i18n_missing(&report) == 1);
    CHECK_STR(report.data, "xx.txt: missing bye\n");
    buf_free(&report);
    i18n_unload();
    test_rmtree(dir);
    free(dir);
}

static void test_empty_value_falls_back(void)
{
    /* A translator left the value empty: Danish shows, never a blank, and
     * the gap is reported. */
    const char *files[] = {
        "da.txt", "@name = Dansk\n@dir = ltr\nbye = Farvel\n",
        "xx.txt", "@name = Xx\n@dir = ltr\nbye =\n",
    };
    char *dir = assets_with(files, 2);
    i18n_unload();
    CHECK(i18n_load(dir));
    CHECK_STR(i18n_get("xx", "bye"), "Farvel");
    struct buf report;
    buf_init(&report);
    CHECK(i18n_missing(&report) == 1);
    CHECK_CONTAINS(report.data, "xx.txt: missing bye");
    buf_free(&report);
    i18n_unload();
    test_rmtree(dir);
    free(dir);
}

static void test_extra_key_reported(void)
{
    const char *files[] = {
        "da.txt", "@name = Dansk\n@dir = ltr\nhello = Hej\n",
        "xx.txt", "@name = Xx\n@dir = ltr\nhello = Hi\nhelo = Typo\n",
    };
    struct buf report;
    buf_init(&report);
    CHECK(gaps_in(files, 2, &report) == 1);
    CHECK_CONTAINS(report.data, "helo");
    buf_free(&report);
}

static void test_malformed_refused(void)
{
    const char *bad[][2] = {
        {"xx.txt", "@name = Xx\nthis line has no equals sign\n"},
        {"xx.txt", "@name = Xx\nhello = \xff\xfe broken UTF-8\n"},
        {"xx.txt", "@name = Xx\nhello = Hi\nhello = Hi again\n"},
        {"da.txt", "@name = Dansk\nhello = Hej\nno equals here\n"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *files[4] = {"da.txt", "@name = Dansk\nhello = Hej\n", bad[i][0], bad[i][1]};
        /* The last case replaces da.txt itself. */
        int n = strcmp(bad[i][0], "da.txt") == 0 ? 1 : 2;
        char *dir = assets_with(n == 1 ? files + 2 : files, n);
        i18n_unload();
        bool ok = i18n_load(dir);
        if (ok) {
            test_failed++;
            fprintf(stderr, "%s:%d: i18n_load accepted malformed case %zu\n", __FILE__, __LINE__,
                    i);
        } else {
            test_passed++;
        }
        i18n_unload();
        test_rmtree(dir);
        free(dir);
    }

    /* Without Danish, the fallback, nothing loads. */
    const char *files[] = {"en.txt", "@name = English\nhello = Hi\n"};
    char *dir = assets_with(files, 1);
    i18n_unload();
    CHECK(!i18n_load(dir));
    i18n_unload();
    test_rmtree(dir);
    free(dir);

    /* A folder that is not there. */
    i18n_unload();
    CHECK(!i18n_load("/nonexistent/skranke-assets"));
    i18n_unload();
}

int main(void)
{
    test_shipped_files_complete();
    test_plural_table();
    test_plural_forms_picked();
    test_plural_gaps_reported();
    test_fallback_to_danish();
    test_empty_value_falls_back();
    test_extra_key_reported();
    test_malformed_refused();
    TEST_END();
}

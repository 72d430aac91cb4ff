/*
 * test_i18n.c — the translation files: the shipped ones are complete (every
 * Danish key in every language and nothing extra), a missing or empty text
 * shows Danish (never a blank), and a malformed file is refused.
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

    const char *codes[] = {"da", "en", "uk", "ar"};
    for (int i = 0; i < 4; i++) {
        CHECK(i18n_has(codes[i]));
        CHECK(strcmp(i18n_get(codes[i], "@name"), "@name") != 0);
        CHECK(*i18n_get(codes[i], "home.welcome"));
    }
    CHECK(i18n_count() >= 4);
    CHECK_STR(i18n_get("da", "@name"), "Dansk");
    CHECK_STR(i18n_get("da", "home.welcome"), "Velkommen");
    CHECK(i18n_rtl("ar"));
    CHECK(!i18n_rtl("da") && !i18n_rtl("en") && !i18n_rtl("uk"));
    /* The countdown text takes its number. */
    struct buf b;
    buf_init(&b);
    CHECK_CONTAINS(i18n_fmt("da", "idle.body", 15, &b), "15");
    CHECK(strstr(b.data, "{n}") == NULL);
    CHECK_CONTAINS(i18n_fmt("ar", "idle.body", 7, &b), "7");
    buf_free(&b);
    i18n_unload();
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
    char *dir = assets_with(files, 2);
    i18n_unload();
    CHECK(i18n_load(dir));
    struct buf report;
    buf_init(&report);
    CHECK(i18n_missing(&report) == 1);
    CHECK_CONTAINS(report.data, "helo");
    buf_free(&report);
    i18n_unload();
    test_rmtree(dir);
    free(dir);
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
    test_fallback_to_danish();
    test_empty_value_falls_back();
    test_extra_key_reported();
    test_malformed_refused();
    TEST_END();
}

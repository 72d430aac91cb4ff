/*
 * test_jobs_index.c — search as a citizen types it: Danish folding both
 * ways, accents, case, several words, the hard cases of each script
 * (Ukrainian і/ї/и, ґ/г and apostrophes; Arabic alef forms, taa marbuta,
 * alef maksura, tashkeel, tatweel; Persian ی/ک beside Arabic ي/ك), words
 * found in summaries, ranking (title before category before employer and
 * town before summary, then nearest deadline), filters with counts, expired
 * jobs hidden, and narrowing that gives the same answer as a fresh search.
 */
#include "test.h"

#include <stdio.h>

#include "batch.h"
#include "jobs_index.h"
#include "store.h"

static const char *batch =
    "{\"format\":\"skranke.jobs/1\",\"batch_id\":\"t\",\"generated_at\":\"2026-11-24T05:00:00Z\","
    "\"jobs\":["
    "{\"id\":\"1\",\"title\":\"SOSU-hjælper til plejecenter\",\"employer\":\"Slagelse Kommune\","
    "\"city\":\"Korsør\",\"category\":\"Social og sundhed\",\"hours\":\"part\",\"kind\":\"ordinary\","
    "\"deadline\":\"2026-12-20\"},"
    "{\"id\":\"2\",\"title\":\"Chauffør (C/CE)\",\"employer\":\"Vestsjællands Transport\","
    "\"city\":\"Slagelse\",\"category\":\"Transport og lager\",\"hours\":\"full\",\"kind\":\"ordinary\","
    "\"deadline\":\"2026-12-01\"},"
    "{\"id\":\"3\",\"title\":\"Lagermedarbejder\",\"employer\":\"Chaufførservice ApS\","
    "\"city\":\"Ringsted\",\"category\":\"Transport og lager\",\"hours\":\"part\",\"kind\":\"flexjob\","
    "\"deadline\":\"2026-11-30\"},"
    "{\"id\":\"4\",\"title\":\"Café-medarbejder\",\"employer\":\"Ærø Bageri\",\"city\":\"Aabenraa\","
    "\"category\":\"Køkken\",\"hours\":\"flexible\",\"kind\":\"student\",\"deadline\":\"2026-12-24\"},"
    "{\"id\":\"5\",\"title\":\"Udløbet stilling\",\"employer\":\"Gammel A/S\",\"city\":\"Sorø\","
    "\"category\":\"Køkken\",\"deadline\":\"2026-11-23\"},"
    "{\"id\":\"6\",\"title\":\"Pædagogmedhjælper\",\"employer\":\"Børnehuset Åkanden\","
    "\"city\":\"Slagelse\",\"category\":\"Pædagogik\",\"kind\":\"apprentice\"},"
    "{\"id\":\"7\",\"title\":\"Прибиральник / Cleaner\",\"employer\":\"Rengøring Øst\","
    "\"city\":\"Næstved\",\"category\":\"Rengøring\",\"hours\":\"part\",\"deadline\":\"2026-12-02\"},"
    "{\"id\":\"8\",\"title\":\"عامل مستودع\",\"employer\":\"Lager Syd\",\"city\":\"Slagelse\","
    "\"category\":\"Transport og lager\",\"deadline\":\"2026-12-03\"},"
    "{\"id\":\"9\",\"title\":\"Social- og sundhedshjælper\",\"employer\":\"Sorø Kommune\","
    "\"city\":\"Sorø\",\"category\":\"Social og sundhed\",\"deadline\":\"2026-12-04\","
    "\"summary\":\"Vi søger en SOSU-hjælper til nattevagt.\\nKørekort er et krav.\"},"
    "{\"id\":\"10\",\"title\":\"Пакувальник м’ясних виробів\",\"employer\":\"Ґалицький смак\","
    "\"city\":\"Ringsted\",\"category\":\"Industri\",\"deadline\":\"2026-12-05\","
    "\"summary\":\"Кухня поруч із їдальнею. Працюємо з 6:00.\"},"
    "{\"id\":\"11\",\"title\":\"مساعد في مدرسة\",\"employer\":\"أحمد للتنظيف\","
    "\"city\":\"Slagelse\",\"category\":\"Rengøring\",\"deadline\":\"2026-12-06\","
    "\"summary\":\"نَبْحَثُ عَنْ مُسَاعِد لِلْعَمَلِ فِي مُسْتَشْفـــى.\"},"
    "{\"id\":\"12\",\"title\":\"کارگر ساختمانی\",\"employer\":\"Byg Vest\","
    "\"city\":\"Korsør\",\"category\":\"Bygge og anlæg\",\"deadline\":\"2026-12-07\"},"
    "{\"id\":\"13\",\"title\":\"Æbleplukker\",\"employer\":\"Frugtgården\","
    "\"city\":\"Skælskør\",\"category\":\"Landbrug\",\"deadline\":\"2026-12-08\"},"
    "{\"id\":\"14\",\"title\":\"Buschauffør\",\"employer\":\"Trafikselskab\","
    "\"city\":\"Næstved\",\"category\":\"Transport og lager\",\"deadline\":\"2026-12-09\","
    "\"summary\":\"Kørekort!\"}"
    "]}";

static struct jobs_index x;
static struct jobs_filter any = {-1, -1, -1};

/* The ids of the result, in order, as "1,2,3". */
static const char *ids(const char *query, const struct jobs_filter *f)
{
    static char out[256];
    jobs_index_search(&x, query, f ? f : &any);
    out[0] = '\0';
    for (size_t i = 0; i < x.n_result; i++) {
        char one[16];
        snprintf(one, sizeof one, "%s%u", i ? "," : "", x.rows[x.result[i]].index + 1);
        strcat(out, one);
    }
    return out;
}

/* Hard cases per language: each query finds exactly these jobs. */
static const struct {
    const char *query, *ids;
} cases[] = {
    /* Danish: the letters and their two-letter spellings, either way. */
    {"aeble", "13"},
    {"æble", "13"},
    {"ÆBLE", "13"},
    {"AEBLEPLUKKER", "13"},
    {"skaelskor", "13"},
    {"skælskør frugtgarden", "13"},
    /* Summaries are searched: a title hit ranks above a summary-only one. */
    {"sosu", "1,9"},
    {"nattevagt", "9"},
    {"korekort", "9,14"}, /* a word in many summaries, and a summary of one word */
    /* Ukrainian: apostrophes (' ’ ʼ) are no letters; ґ is г; і, ї and и
     * are one; in any case. */
    {"мясних", "10"},
    {"м'ясних", "10"},
    {"мʼясних", "10"},
    {"м’ЯСНИХ", "10"},
    {"галицький", "10"},
    {"ҐАЛИЦЬКИЙ", "10"},
    {"їдальнею", "10"},
    {"ідальнею", "10"},
    {"идальнею", "10"},
    {"кухня", "10"},
    /* Arabic: alef with hamza or madda, and alef wasla, are alef. */
    {"احمد", "11"},
    {"أحمد", "11"},
    {"إحمد", "11"},
    {"ٱحمد", "11"},
    /* Taa marbuta is haa; tatweel and tashkeel are no letters. */
    {"مدرسه", "11"},
    {"مدرسة", "11"},
    {"مـــدرسة", "11"},
    {"نبحث", "11"},
    {"نَبْحَثُ", "11"},
    /* Alef maksura is yaa, and Persian yeh is yaa (summary "مستشفـــى"). */
    {"مستشفى", "11"},
    {"مستشفي", "11"},
    {"مستشفی", "11"},
    /* Persian keheh and yeh are the Arabic kaf and yaa, both ways. */
    {"کارگر ساختمانی", "12"},
    {"كارگر ساختماني", "12"},
    {"ساختمانى", "12"},
};

static int category(const char *name)
{
    for (int i = 0; i < x.n_categories; i++)
        if (strcmp(x.categories[i], name) == 0)
            return i;
    return -1;
}

int main(void)
{
    char fold[128];
    jobs_fold("Chauffør", fold, sizeof fold);
    CHECK_STR(fold, "chauffor");
    jobs_fold("CHAUFFOER", fold, sizeof fold);
    CHECK_STR(fold, "chauffor");
    jobs_fold("Æblegården i Aabenraa", fold, sizeof fold);
    CHECK_STR(fold, "ablegarden i abenra");
    jobs_fold("Café Müller", fold, sizeof fold);
    CHECK_STR(fold, "cafe muller");
    /* Punctuation is one separator; apostrophes join a word. */
    jobs_fold("  SOSU-hjælper, nat/dag!  ", fold, sizeof fold);
    CHECK_STR(fold, "sosu hjalper nat dag");
    jobs_fold("McDonald's", fold, sizeof fold);
    CHECK_STR(fold, "mcdonalds");
    jobs_fold("М’ЯСО", fold, sizeof fold);
    CHECK_STR(fold, "мясо");
    jobs_fold("Їжак Ґедзь", fold, sizeof fold);
    CHECK_STR(fold, "ижак гедзь");
    jobs_fold("آمنة أحمد إيمان", fold, sizeof fold);
    CHECK_STR(fold, "امنه احمد ايمان");
    jobs_fold("عَرَبِيّ", fold, sizeof fold);
    CHECK_STR(fold, "عربي");
    jobs_fold("ﻣﺪﺭﺳﺔ", fold, sizeof fold); /* presentation forms */
    CHECK_STR(fold, "مدرسه");
    jobs_fold("یک ك", fold, sizeof fold);
    CHECK_STR(fold, "يك ك");
    jobs_fold("٢٠٢٦ ۱۲", fold, sizeof fold);
    CHECK_STR(fold, "2026 12");
    jobs_fold("ﬁle", fold, sizeof fold); /* a ligature */
    CHECK_STR(fold, "file");
    /* Cut to fit at a character boundary, always terminated. */
    CHECK(jobs_fold("жжжж", fold, 4) == 2);
    CHECK_STR(fold, "ж");

    char *dir = test_tmpdir();
    struct store *s;
    CHECK(store_open(&s, dir, NULL) == STORE_OK);
    char path[4200];
    snprintf(path, sizeof path, "%s/jobs.json", dir);
    FILE *f = fopen(path, "w");
    fputs(batch, f);
    fclose(f);
    struct import_result ir;
    struct buf err;
    buf_init(&err);
    CHECK(batch_import_file(s, path, &ir, &err) == STORE_OK);
    CHECK(jobs_index_load(&x, s, "2026-11-24") == STORE_OK);
    CHECK(x.n == 13); /* the expired one is not shown */

    /* Everything, nearest deadline first, no deadline last. */
    CHECK_STR(ids("", NULL), "3,2,7,8,9,10,11,12,13,14,1,4,6");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = ids(cases[i].query, NULL);
        if (strcmp(got, cases[i].ids) != 0)
            fprintf(stderr, "query \"%s\": got \"%s\", want \"%s\"\n", cases[i].query, got,
                    cases[i].ids);
        CHECK_STR(got, cases[i].ids);
    }
    /* Folding and case, both ways. */
    CHECK_STR(ids("SOSU-HJÆLPER", NULL), "1,9");
    CHECK_STR(ids("hjaelper", NULL), "1,9,6"); /* at a word start, then inside */
    CHECK_STR(ids("aero", NULL), "4");
    CHECK_STR(ids("ærø", NULL), "4");
    CHECK_STR(ids("åbenrå", NULL), "4");
    CHECK_STR(ids("cafe", NULL), "4");
    CHECK_STR(ids("пРИБИРАЛЬНИК", NULL), "7");
    CHECK_STR(ids("مستودع", NULL), "8");
    /* A title match ranks before the same word in an employer's name; at
     * the start of a word before inside one. */
    CHECK_STR(ids("chauffor", NULL), "2,14,3");
    CHECK_STR(ids("chauffoer", NULL), "2,14,3");
    /* Every word must match, in any field. */
    CHECK_STR(ids("lager slagelse", NULL), "2,8");
    CHECK_STR(ids("transport", NULL), "3,2,8,14");
    CHECK_STR(ids("xyzzy", NULL), "");
    /* A title hit ranks first; the category hits follow by deadline. */
    CHECK_STR(ids("lager", NULL), "3,2,8,14");
    CHECK_STR(ids("syd", NULL), "8");

    /* Filters, and counts that tell what each chip would give. */
    struct jobs_filter part = {-1, JOB_HOURS_PART, -1};
    CHECK_STR(ids("", &part), "3,7,1");
    int transport = category("Transport og lager");
    CHECK(transport >= 0);
    CHECK(x.count_category[transport] == 1); /* transport among the part-time */
    CHECK(x.count_hours[JOB_HOURS_FULL] == 1 && x.count_hours[JOB_HOURS_PART] == 3);
    struct jobs_filter both = {transport, JOB_HOURS_PART, JOB_KIND_FLEXJOB};
    CHECK_STR(ids("", &both), "3");
    struct jobs_filter none = {transport, -1, JOB_KIND_STUDENT};
    CHECK_STR(ids("", &none), "");

    /* Typing letter by letter narrows to the same answer a fresh search
     * gives, and deleting widens again. */
    const char *steps[] = {"c",   "ch",  "cha",    "chau",     "chauf", "chauffo", "chauffor",
                           "chauf", "",  "k",      "ko",       "kor",   "korekort", "korekort s",
                           "korekort so", "m", "мʼя", "мʼясних", ""};
    bool same = true;
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        char typed[256];
        snprintf(typed, sizeof typed, "%s", ids(steps[i], NULL));
        struct jobs_index saved = x;
        x.have_last = false;
        same = same && strcmp(typed, ids(steps[i], NULL)) == 0;
        x = saved;
    }
    CHECK(same);

    jobs_index_free(&x);
    store_close(s);
    buf_free(&err);
    test_rmtree(dir);
    free(dir);
    TEST_END();
}

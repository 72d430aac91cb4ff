/*
 * test_jobs_index.c — search as a citizen types it: Danish folding both
 * ways, accents, case, several words, ranking (title before category before
 * employer and town, then nearest deadline), filters with counts, expired
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
    "\"category\":\"Transport og lager\",\"deadline\":\"2026-12-03\"}"
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
    CHECK(x.n == 7); /* the expired one is not shown */

    /* Everything, nearest deadline first, no deadline last. */
    CHECK_STR(ids("", NULL), "3,2,7,8,1,4,6");
    /* Folding and case, both ways. */
    CHECK_STR(ids("sosu", NULL), "1");
    CHECK_STR(ids("SOSU-HJÆLPER", NULL), "1");
    CHECK_STR(ids("hjaelper", NULL), "1,6");
    CHECK_STR(ids("aero", NULL), "4");
    CHECK_STR(ids("ærø", NULL), "4");
    CHECK_STR(ids("åbenrå", NULL), "4");
    CHECK_STR(ids("cafe", NULL), "4");
    CHECK_STR(ids("пРИБИРАЛЬНИК", NULL), "7");
    CHECK_STR(ids("مستودع", NULL), "8");
    /* A title match ranks before the same word in an employer's name. */
    CHECK_STR(ids("chauffor", NULL), "2,3");
    CHECK_STR(ids("chauffoer", NULL), "2,3");
    /* Every word must match, in any field. */
    CHECK_STR(ids("lager slagelse", NULL), "2,8");
    CHECK_STR(ids("transport", NULL), "3,2,8");
    CHECK_STR(ids("xyzzy", NULL), "");
    /* A title hit ranks first; the two category hits follow by deadline. */
    CHECK_STR(ids("lager", NULL), "3,2,8");
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
    const char *steps[] = {"c", "ch", "cha", "chau", "chauf", "chauffo", "chauffor", "chauf", ""};
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

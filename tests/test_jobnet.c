/*
 * test_jobnet.c — Jobnet job search pages imported as they are, and the
 * rules for messy job data (README "Messy is not invalid"): the fixture
 * pages become the jobs a citizen sees, field by field; a repeated ID keeps
 * the first; bad postings are skipped and reported; more than 10 % skipped
 * refuses the batch and changes nothing.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "test.h"

struct seen {
    struct job jobs[64];
    char *texts[64][7];
    size_t n;
};

static void keep(const struct job *j, void *vctx)
{
    struct seen *s = vctx;
    if (s->n >= 64)
        return;
    struct job *k = &s->jobs[s->n];
    *k = *j;
    const char *src[7] = {j->id, j->title, j->employer, j->city, j->deadline, j->summary, j->url};
    for (int i = 0; i < 7; i++)
        s->texts[s->n][i] = strdup(src[i]);
    k->id = s->texts[s->n][0];
    k->title = s->texts[s->n][1];
    k->employer = s->texts[s->n][2];
    k->city = s->texts[s->n][3];
    k->deadline = s->texts[s->n][4];
    k->summary = s->texts[s->n][5];
    k->url = s->texts[s->n][6];
    s->n++;
}

static const struct job *find(const struct seen *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->jobs[i].id, id) == 0)
            return &s->jobs[i];
    return NULL;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
}

int main(void)
{
    setenv("TZ", "Europe/Copenhagen", 1);
    char *dir = test_tmpdir();
    struct store *s;
    CHECK(store_open(&s, dir, NULL) == STORE_OK);
    struct buf err, skips;
    buf_init(&err);
    buf_init(&skips);
    struct batch_import_opts opts = {.now = 1795600000, .skips = &skips};
    struct import_result res;

    /* Recognised by content. */
    CHECK(batch_recognise_file(TESTDATA "/jobnet-page1.json")->pages);
    CHECK(!batch_recognise_file(TESTDATA "/jobs-sample.json")->pages);

    /* Two pages, one snapshot: 52 postings, one ID on both pages, one
     * without a title, one with an ftp link. */
    const char *pages[] = {TESTDATA "/jobnet-page1.json", TESTDATA "/jobnet-page2.json"};
    CHECK(batch_import_files(s, pages, 2, &opts, &res, &err) == STORE_OK);
    CHECK_STR(err.data ? err.data : "", "");
    CHECK(res.jobs == 49);
    CHECK(res.skipped == 3);
    CHECK_CONTAINS(skips.data,
                   "jobnet-page2.json:39:10: JobPositionPostings[0]: the ID \"5380500\"");
    CHECK_CONTAINS(skips.data, "JobPositionPostings[14].Title: must not be empty");
    CHECK_CONTAINS(skips.data, "JobPositionPostings[21].Url: must start with https://");
    CHECK_CONTAINS(res.header.batch_id, "jobnet-20261124T063000-52-");
    struct jobs_info ji;
    CHECK(store_jobs_info(s, &ji) == STORE_OK);
    CHECK(ji.count == 49 && ji.skipped == 3);
    /* Newest PostingCreated, 2026-11-24T06:30:00 in Copenhagen. */
    CHECK(ji.generated_at == 1795498200);

    struct seen seen = {0};
    CHECK(store_foreach_job(s, keep, &seen) == STORE_OK);
    CHECK(seen.n == 49);
    const struct job *j = find(&seen, "5374939");
    CHECK(j != NULL);
    CHECK_STR(j->title, "Social- og sundhedsassistent til plejecenter");
    CHECK_STR(j->employer, "Slagelse Kommune, Ældreplejen");
    CHECK_STR(j->city, "Slagelse");
    CHECK_STR(j->deadline, "2026-12-15");
    CHECK_STR(j->url, "https://job.jobnet.dk/CV/FindWork/Details/5374939?share=1");
    CHECK(j->hours == JOB_HOURS_PART && j->kind == JOB_KIND_ORDINARY);
    /* Plain paragraphs: entities decoded, no markup. */
    CHECK_CONTAINS(j->summary, "fagligt stærkt team på Plejecenter Solsikken?\n\nVi tilbyder:");
    CHECK_CONTAINS(j->summary, "• Fast arbejdstid – 32 timer");
    CHECK(!strchr(j->summary, '<') && !strstr(j->summary, "&aring;"));
    /* The first of a repeated ID is kept (page 1's). */
    j = find(&seen, "5380500");
    CHECK(j != NULL);
    CHECK_STR(j->title, "Pedel i fleksjob, 15 timer");
    CHECK(j->kind == JOB_KIND_FLEXJOB);
    /* External ad: a title with a line break and two spaces is one line;
     * no ShareUrl, so DetailsUrl. */
    j = find(&seen, "E8232793");
    CHECK(j != NULL);
    CHECK_STR(j->title, "Lagermedarbejder til nattevagt");
    CHECK_STR(j->url, "https://job.jobnet.dk/CV/FindWork/Details/E8232793");
    /* 0001-01-01 is no deadline; "True" as text is true (anonymous). */
    j = find(&seen, "5380112");
    CHECK(j != NULL);
    CHECK_STR(j->deadline, "");
    CHECK_STR(j->employer, "Anonym arbejdsgiver");
    CHECK(j->kind == JOB_KIND_APPRENTICE);
    /* No WorkPlaceCity: the municipality. */
    j = find(&seen, "5390000");
    CHECK(j != NULL);
    CHECK_STR(j->city, "Slagelse");
    for (size_t i = 0; i < seen.n; i++)
        for (int k = 0; k < 7; k++)
            free(seen.texts[i][k]);

    /* More than 10 % bad: refused, nothing changed. */
    char path[4096];
    snprintf(path, sizeof path, "%s/bad.json", dir);
    write_file(path, "{\"JobPositionPostings\": ["
                     "{\"ID\": \"1\", \"Title\": \"A\", \"HiringOrgName\": \"B\", "
                     "\"WorkPlaceCity\": \"C\", \"Occupation\": \"D\", "
                     "\"PostingCreated\": \"2026-11-25T08:00:00\"},"
                     "{\"ID\": \"2\", \"Title\": \"\", \"HiringOrgName\": \"B\", "
                     "\"WorkPlaceCity\": \"C\", \"Occupation\": \"D\", "
                     "\"PostingCreated\": \"2026-11-25T08:00:00\"}]}");
    CHECK(batch_import_file_opts(s, path, &opts, &res, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "JobPositionPostings[1].Title: must not be empty");
    CHECK_CONTAINS(err.data, "1 of the 2 jobs were skipped, more than 10 %");
    CHECK(store_jobs_info(s, &ji) == STORE_OK);
    CHECK(ji.count == 49);

    /* A presentation over 8 000 characters is cut at a word and ends in
     * "…"; AnonymousEmployer as a JSON true and as "False"; WorkHours both. */
    struct buf big;
    buf_init(&big);
    buf_puts(&big, "{\"JobPositionPostings\": [{\"ID\": \"L1\", \"Title\": \"Lang\", "
                   "\"HiringOrgName\": \"Firma\", \"AnonymousEmployer\": true, "
                   "\"Municipality\": \"Sorø\", \"OccupationArea\": \"Andet\", "
                   "\"WorkHours\": \"Fuldtid og deltid\", "
                   "\"PostingCreated\": \"2026-11-25T08:00:00\", \"Presentation\": \"<p>");
    for (int i = 0; i < 1100; i++) /* 8 799 characters */
        buf_puts(&big, "ord&aelig;ord ");
    buf_puts(&big, "</p>\"}, {\"ID\": \"L2\", \"Title\": \"Kort\", \"HiringOrgName\": "
                   "\"Firma\", \"AnonymousEmployer\": \"False\", \"WorkPlaceCity\": \"Sorø\", "
                   "\"Occupation\": \"Andet\", \"PostingCreated\": \"2026-11-25T07:00:00\"}, "
                   "{\"ID\": \"L3\", \"Title\": \"Elevatormontør\", \"HiringOrgName\": \"F\", "
                   "\"WorkPlaceCity\": \"Sorø\", \"Occupation\": \"Andet\", \"EmploymentType\": "
                   "\"Almindelige vilkår\", \"PostingCreated\": \"2026-11-25T07:00:00\"}, "
                   "{\"ID\": \"L4\", \"Title\": \"Tjenerelever søges\", \"HiringOrgName\": \"F\", "
                   "\"WorkPlaceCity\": \"Sorø\", \"Occupation\": \"Andet\", "
                   "\"PostingCreated\": \"2026-11-25T07:00:00\"}]}");
    snprintf(path, sizeof path, "%s/long.json", dir);
    write_file(path, big.data);
    CHECK(batch_import_file_opts(s, path, &opts, &res, &err) == STORE_OK);
    struct seen l = {0};
    CHECK(store_foreach_job(s, keep, &l) == STORE_OK);
    CHECK(l.n == 4);
    size_t len = strlen(l.jobs[0].summary);
    CHECK(utf8_count(l.jobs[0].summary, len) <= 8000);
    CHECK(utf8_count(l.jobs[0].summary, len) > 7900);
    CHECK(len > 3 && strcmp(l.jobs[0].summary + len - 3, "…") == 0);
    CHECK(strstr(l.jobs[0].summary, "ordæord ordæord…") != NULL);
    CHECK_STR(l.jobs[0].employer, "Anonym arbejdsgiver");
    CHECK_STR(l.jobs[0].city, "Sorø");
    CHECK(l.jobs[0].hours == JOB_HOURS_FLEXIBLE);
    CHECK_STR(l.jobs[1].employer, "Firma");
    CHECK_STR(l.jobs[1].deadline, "");
    CHECK(l.jobs[1].kind == JOB_KIND_UNKNOWN); /* no EmploymentType, nothing in the title */
    CHECK(l.jobs[2].kind == JOB_KIND_ORDINARY); /* "Elevator…" is not "elev" */
    CHECK(l.jobs[3].kind == JOB_KIND_APPRENTICE);
    for (size_t i = 0; i < l.n; i++)
        for (int k = 0; k < 7; k++)
            free(l.texts[i][k]);
    buf_free(&big);

    /* A wrong envelope refuses the page, naming file, line and column. */
    static const struct {
        const char *text, *want;
    } envelopes[] = {
        {"{\"JobPositionPostings\": {}}",
         "env.json:1:25: JobPositionPostings: must be a list ([…]), found an object"},
        {"{\"JobPositionPostings\": [{\"ID\": \"1\", \"Title\": \"A\"}]}",
         "env.json: no posting has a PostingCreated"},
        {"{\"JobPositionPostings\": [],\n \"JobPositionPostings\": []}",
         "env.json:2:2: JobPositionPostings: the field appears twice"},
        {"{\"JobPositionPostings\": [{\"ID\": \"1\",}]}",
         "env.json:1:37: expected a field name in quotes"},
    };
    snprintf(path, sizeof path, "%s/env.json", dir);
    for (size_t i = 0; i < sizeof envelopes / sizeof *envelopes; i++) {
        write_file(path, envelopes[i].text);
        CHECK(batch_import_file_opts(s, path, &opts, &res, &err) == STORE_EINVAL);
        CHECK_CONTAINS(err.data, envelopes[i].want);
    }
    CHECK(store_jobs_info(s, &ji) == STORE_OK);
    CHECK(ji.count == 4);

    /* skranke.jobs/1 too: a title with a tab and a line break is cleaned,
     * a control character dropped; one bad job of 11 is skipped. */
    struct buf doc;
    buf_init(&doc);
    buf_puts(&doc, "{\"format\": \"skranke.jobs/1\", \"batch_id\": \"m\", "
                   "\"generated_at\": \"2026-11-26T06:00:00Z\", \"jobs\": [");
    for (int i = 0; i < 11; i++)
        buf_printf(&doc,
                   "%s{\"id\": \"%d\", \"title\": \"%s\", \"employer\": \"E\", "
                   "\"city\": \"C\", \"category\": \"K\"}",
                   i ? "," : "", i,
                   i == 3   ? "Lager\\t medarbejder\\n\\u0007nat"
                   : i == 5 ? ""
                            : "T");
    buf_puts(&doc, "]}");
    snprintf(path, sizeof path, "%s/messy.json", dir);
    write_file(path, doc.data);
    CHECK(batch_import_file_opts(s, path, &opts, &res, &err) == STORE_OK);
    CHECK(res.jobs == 10 && res.skipped == 1);
    CHECK_CONTAINS(skips.data, "jobs[5].title: must not be empty");
    struct seen m = {0};
    CHECK(store_foreach_job(s, keep, &m) == STORE_OK);
    CHECK_STR(find(&m, "3")->title, "Lager medarbejder nat");
    for (size_t i = 0; i < m.n; i++)
        for (int k = 0; k < 7; k++)
            free(m.texts[i][k]);
    buf_free(&doc);
    buf_free(&err);
    buf_free(&skips);
    store_close(s);
    free(dir);
    TEST_END();
}

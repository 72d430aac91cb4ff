/*
 * test_sync_scan.c — the sync folder's looks (app/sync.c's sync_scan), with
 * no kiosk around them: a new file is taken only when a second look finds it
 * unchanged; a file is imported once; a refusal, a link, a FIFO are said
 * once and tried again only when the file changes (a signature arriving
 * after its batch counts as a change); a missing inbox is said once.
 */
#include "test.h"

#include <sys/stat.h>
#include <time.h>

#include "batch.h"
#include "store.h"
#include "sync.h"

static char inbox[4200];

static void put(const char *name, const char *text, size_t len)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", inbox, name);
    FILE *f = fopen(path, "wb");
    fwrite(text, 1, len, f);
    fclose(f);
}

static char *sample(size_t *len)
{
    FILE *f = fopen(TESTDATA "/jobs-sample.json", "rb");
    static char data[1 << 20];
    *len = fread(data, 1, sizeof data, f);
    fclose(f);
    return data;
}

int main(void)
{
    char *dir = test_tmpdir();
    struct store *s;
    CHECK(store_open(&s, dir, NULL) == STORE_OK);
    char sync_dir[4100];
    snprintf(sync_dir, sizeof sync_dir, "%s/sync", dir);
    snprintf(inbox, sizeof inbox, "%s/inbox", sync_dir);
    time_t now;
    CHECK(parse_rfc3339("2026-11-24T09:41:00Z", &now));
    static struct sync sy;
    struct jobs_info ji;

    /* No inbox yet: said, and nothing else happens. */
    CHECK(sync_scan(&sy, s, sync_dir, now) == -1);
    CHECK(sy.sum.no_inbox);
    mkdir(sync_dir, 0755);
    mkdir(inbox, 0755);
    CHECK(sync_scan(&sy, s, sync_dir, now) == 0);
    CHECK(!sy.sum.no_inbox && sy.sum.imported == 0 && sy.sum.last_at == 0);

    /* Half a batch: seen, not tried. Grown: seen again, not tried. Then
     * unchanged: imported, once. */
    size_t len;
    char *jobs = sample(&len);
    put("jobs.json", jobs, len / 2);
    CHECK(sync_scan(&sy, s, sync_dir, now) == 1);
    CHECK(sy.sum.waiting == 1 && sy.sum.imported == 0 && sy.sum.refused == 0);
    put("jobs.json", jobs, len);
    CHECK(sync_scan(&sy, s, sync_dir, now) == 1);
    CHECK(sy.sum.refused == 0);
    CHECK(store_jobs_info(s, &ji) == STORE_OK && ji.generated_at == 0);
    CHECK(sync_scan(&sy, s, sync_dir, now) == 0);
    CHECK(sy.sum.imported == 1 && sy.sum.waiting == 0);
    CHECK_CONTAINS(sy.sum.last, "imported: jobs.json – 12 jobs, 0 skipped (batch jobs-sample-01)");
    CHECK(store_jobs_info(s, &ji) == STORE_OK && ji.count == 12);
    for (int i = 0; i < 5; i++)
        CHECK(sync_scan(&sy, s, sync_dir, now) == 0);
    CHECK(sy.sum.imported == 1);

    /* A broken batch: refused once, not at every look. */
    put("broken.json", "{\"format\": \"skranke.jobs/1\",", 28);
    sync_scan(&sy, s, sync_dir, now);
    CHECK(sync_scan(&sy, s, sync_dir, now) == 0);
    CHECK(sy.sum.refused == 1);
    CHECK_CONTAINS(sy.sum.last, "refused: broken.json:");
    for (int i = 0; i < 5; i++)
        sync_scan(&sy, s, sync_dir, now);
    CHECK(sy.sum.refused == 1);

    /* A link and a FIFO: ignored, said once each, and the look does not
     * wait on the FIFO. */
    char path[4400];
    snprintf(path, sizeof path, "%s/link.json", inbox);
    CHECK(symlink(TESTDATA "/jobs-sample.json", path) == 0);
    snprintf(path, sizeof path, "%s/fifo.json", inbox);
    CHECK(mkfifo(path, 0644) == 0);
    CHECK(sync_scan(&sy, s, sync_dir, now) == 0);
    CHECK(sy.sum.refused == 3);
    for (int i = 0; i < 3; i++)
        sync_scan(&sy, s, sync_dir, now);
    CHECK(sy.sum.refused == 3 && sy.sum.imported == 1);
    unlink(path);
    snprintf(path, sizeof path, "%s/link.json", inbox);
    unlink(path);

    /* Signed only: an unsigned batch is refused once; a .minisig arriving
     * later is a change, so the batch is tried again (and refused again
     * here, the signature being no good), once. */
    struct buf why;
    buf_init(&why);
    const char *key = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3";
    CHECK(store_config_set(s, "trusted_keys", key, &why) == STORE_OK);
    char *newer = strdup(jobs);
    memcpy(strstr(newer, "05:30:00Z"), "06:30:00Z", 9);
    put("newer.json", newer, len);
    sync_scan(&sy, s, sync_dir, now);
    sync_scan(&sy, s, sync_dir, now);
    CHECK(sy.sum.refused == 4);
    CHECK_CONTAINS(sy.sum.last, "refused: newer.json: not signed");
    sync_scan(&sy, s, sync_dir, now);
    CHECK(sy.sum.refused == 4);
    put("newer.json.minisig", "untrusted comment: x\nnot a signature\n", 37);
    sync_scan(&sy, s, sync_dir, now);
    CHECK(sync_scan(&sy, s, sync_dir, now) == 0);
    CHECK(sy.sum.refused == 5);
    CHECK_CONTAINS(sy.sum.last, "refused: newer.json: the signature does not verify");
    sync_scan(&sy, s, sync_dir, now);
    CHECK(sy.sum.refused == 5 && sy.sum.imported == 1);
    CHECK(store_jobs_info(s, &ji) == STORE_OK && strcmp(ji.batch_id, "jobs-sample-01") == 0);

    /* No keys, the signature gone: a change, and now the batch is taken. */
    CHECK(store_config_set(s, "trusted_keys", "", &why) == STORE_OK);
    snprintf(path, sizeof path, "%s/newer.json.minisig", inbox);
    unlink(path);
    sync_scan(&sy, s, sync_dir, now);
    CHECK(sync_scan(&sy, s, sync_dir, now) == 0);
    CHECK(sy.sum.imported == 2);
    time_t newer_at;
    CHECK(parse_rfc3339("2026-11-24T06:30:00Z", &newer_at));
    CHECK(store_jobs_info(s, &ji) == STORE_OK && ji.generated_at == newer_at);
    buf_free(&why);
    free(newer);

    /* A restart: what was done is kept in the memory file, so nothing is
     * tried again; without it, each file would be looked at once more. */
    static struct sync again, forgetful;
    snprintf(sy.memory, sizeof sy.memory, "%s/sync-seen", dir);
    put("later.json", "{}", 2);
    sync_scan(&sy, s, sync_dir, now);
    CHECK(sync_scan(&sy, s, sync_dir, now) == 0); /* refused, and written down */
    snprintf(again.memory, sizeof again.memory, "%s/sync-seen", dir);
    for (int i = 0; i < 3; i++)
        CHECK(sync_scan(&again, s, sync_dir, now) == 0);
    CHECK(again.sum.imported == 0 && again.sum.refused == 0 && again.sum.last_at == 0);
    sync_scan(&forgetful, s, sync_dir, now);
    sync_scan(&forgetful, s, sync_dir, now);
    CHECK(forgetful.sum.imported + forgetful.sum.refused == 4);
    store_close(s);
    free(dir);
    TEST_END();
}

/*
 * test_export.c — export takes exactly what waits, marks it only after the
 * batch reads back, re-exports a batch byte for byte, orders responses so
 * that they reveal nothing, and retention purges only what was exported.
 */
#include "test.h"

#include <sys/stat.h>

#include "batch.h"
#include "store.h"

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = malloc(1 << 22);
    *len = fread(data, 1, (1 << 22) - 1, f);
    data[*len] = '\0';
    fclose(f);
    return data;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void put_response(struct store *s, const char *lang, char id_out[37])
{
    struct response r = {.answers = {4, 5, 0, 2}};
    store_new_id(r.id);
    strcpy(r.date, "2026-11-24");
    strcpy(r.site, "demo-site");
    strcpy(r.unit, "Ungeenheden; øst");
    strcpy(r.language, lang);
    CHECK(store_put_response(s, &r) == STORE_OK);
    if (id_out)
        strcpy(id_out, r.id);
}

static void put_checkin(struct store *s, const char *time)
{
    struct checkin c = {.kind = CHECKIN_WALKIN};
    store_new_id(c.id);
    strcpy(c.date, "2026-11-24");
    strcpy(c.time, time);
    strcpy(c.site, "demo-site");
    strcpy(c.ticket, "A001");
    strcpy(c.unit, "Ledighed");
    strcpy(c.result, "ok");
    CHECK(store_put_checkin(s, &c) == STORE_OK);
}

int main(void)
{
    setenv("SKRANKE_NOW", "2026-11-24T15:00:00Z", 1);
    char *dir = test_tmpdir(), *out = test_tmpdir();
    char data[4200];
    snprintf(data, sizeof data, "%s/data", dir);
    struct store *s;
    CHECK(store_open(&s, data, NULL) == STORE_OK);
    static char ids[30][37];
    for (int i = 0; i < 30; i++)
        put_response(s, i % 2 ? "da" : "uk", ids[i]);
    put_checkin(s, "11:05");
    put_checkin(s, "08:59");

    struct export_result res;
    struct buf err;
    buf_init(&err);
    CHECK(batch_export(s, out, 0, &res, &err) == STORE_OK);
    CHECK(res.seq == 1 && res.responses == 30 && res.checkins == 2);
    CHECK_CONTAINS(res.dir, "/skranke-demo-site-kiosk-1-000001");
    CHECK(batch_verify(res.dir, &err) == STORE_OK);

    size_t len;
    char *csv = slurp(res.dir, "responses.csv", &len);
    const char *header = "\xEF\xBB\xBF" "response_id;date;site;unit;language;empowerment;"
                         "ressourcefokus;progression;vaerdighed\r\n";
    CHECK(csv && strncmp(csv, header, strlen(header)) == 0);
    CHECK(count_lines(csv) == 31);
    /* A ';' inside a value is quoted; no answer is an empty cell. */
    CHECK_CONTAINS(csv, ";\"Ungeenheden; øst\";uk;4;5;;2\r\n");
    /* Rows come in id order: the order reveals nothing about time. */
    bool sorted = true;
    const char *line = strchr(csv, '\n') + 1, *prev = NULL;
    while (*line) {
        if (prev && strncmp(prev, line, 36) >= 0)
            sorted = false;
        prev = line;
        line = strchr(line, '\n') + 1;
    }
    CHECK(sorted);
    char *jsonl = slurp(res.dir, "responses.jsonl", &len);
    CHECK(jsonl && count_lines(jsonl) == 30);
    CHECK_CONTAINS(jsonl, "\"empowerment\":4,\"ressourcefokus\":5,\"progression\":null,"
                          "\"vaerdighed\":2}");
    char *checkins = slurp(res.dir, "checkins.csv", &len);
    /* Check-ins by time of day. */
    CHECK(checkins && strstr(checkins, "08:59") < strstr(checkins, "11:05"));
    CHECK_CONTAINS(checkins, ";walkin;;Ledighed;;A001;ok\r\n");
    char *manifest = slurp(res.dir, "manifest.json", &len);
    CHECK_CONTAINS(manifest, "\"counts\":{\"responses\":30,\"checkins\":2}");

    struct store_status st;
    CHECK(store_status(s, &st) == STORE_OK);
    CHECK(st.responses_waiting == 0 && st.checkins_waiting == 0);
    CHECK(st.last_export.seq == 1 && st.last_export.responses == 30);

    /* Nothing waits: the next batch is empty but complete. */
    CHECK(batch_export(s, out, 0, &res, &err) == STORE_OK);
    CHECK(res.seq == 2 && res.responses == 0);
    /* Only what is new goes in the next batch. */
    char newest[37];
    put_response(s, "ar", newest);
    CHECK(batch_export(s, out, 0, &res, &err) == STORE_OK);
    CHECK(res.seq == 3 && res.responses == 1);
    char *csv3 = slurp(res.dir, "responses.csv", &len);
    CHECK_CONTAINS(csv3, newest);
    free(csv3);

    /* Re-export of batch 1 elsewhere: the same bytes. */
    char *out2 = test_tmpdir();
    CHECK(batch_export(s, out2, 1, &res, &err) == STORE_OK);
    CHECK(res.seq == 1 && res.responses == 30);
    char *again = slurp(res.dir, "responses.csv", &len);
    CHECK(again && strcmp(again, csv) == 0);
    char *manifest_again = slurp(res.dir, "manifest.json", &len);
    CHECK(manifest_again && strcmp(manifest_again, manifest) == 0);
    free(again);
    free(manifest_again);
    /* …but not over an existing batch, and not of a batch never made. */
    CHECK(batch_export(s, out2, 1, &res, &err) == STORE_EEXIST);
    CHECK_CONTAINS(err.data, "already exists");
    CHECK(batch_export(s, out2, 42, &res, &err) == STORE_EINVAL);
    CHECK(batch_export(s, "/nonexistent/folder", 0, &res, &err) == STORE_EINVAL);

    /* A damaged file fails verification, naming the file. */
    char path[4200];
    snprintf(path, sizeof path, "%s/skranke-demo-site-kiosk-1-000001/checkins.csv", out2);
    FILE *f = fopen(path, "r+b");
    fseek(f, 10, SEEK_SET);
    fputc('X', f);
    fclose(f);
    snprintf(path, sizeof path, "%s/skranke-demo-site-kiosk-1-000001", out2);
    CHECK(batch_verify(path, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "checkins.csv");

    /* Retention: check-ins go after 7 days, responses after 90, counted from
     * their export; a record never exported is never purged. */
    put_response(s, "en", NULL);
    struct purge_result pr;
    time_t day = 86400, t0 = 1795532400; /* 2026-11-24T15:00:00Z */
    CHECK(store_purge(s, t0 + 6 * day, &pr) == STORE_OK);
    CHECK(pr.responses == 0 && pr.checkins == 0);
    CHECK(store_purge(s, t0 + 8 * day, &pr) == STORE_OK);
    CHECK(pr.responses == 0 && pr.checkins == 2);
    CHECK(store_purge(s, t0 + 91 * day, &pr) == STORE_OK);
    CHECK(pr.responses == 31 && pr.checkins == 0);
    CHECK(store_status(s, &st) == STORE_OK);
    CHECK(st.responses == 1 && st.responses_waiting == 1);
    /* Batch 1 can no longer be re-made: say so rather than write less. */
    char *out3 = test_tmpdir();
    CHECK(batch_export(s, out3, 1, &res, &err) == STORE_EINVAL);
    CHECK_CONTAINS(err.data, "purged");

    free(csv);
    free(jsonl);
    free(checkins);
    free(manifest);
    buf_free(&err);
    store_close(s);
    test_rmtree(dir);
    test_rmtree(out);
    test_rmtree(out2);
    test_rmtree(out3);
    free(dir);
    free(out);
    free(out2);
    free(out3);
    TEST_END();
}

/*
 * test_store.c — the store keeps what it acknowledged: records round-trip
 * across reopen, the map grows under load and stops cleanly at its ceiling,
 * a newer format is refused, an older one is migrated, settings validate.
 * This test includes <lmdb.h> only to fabricate stores of other versions,
 * the way an older or newer skranke would have left them.
 */
#include "test.h"

#include <lmdb.h>

#include "batch.h"
#include "record.h"
#include "store.h"

static struct response make_response(int seed)
{
    struct response r = {.answers = {(uint8_t)(seed % 6), 5, 4, (uint8_t)(1 + seed % 5)}};
    store_new_id(r.id);
    strcpy(r.date, "2026-11-24");
    strcpy(r.site, "demo-site");
    strcpy(r.unit, seed % 2 ? "Sygedagpenge" : "");
    strcpy(r.language, "ar");
    return r;
}

struct collect {
    char ids[4096][37];
    size_t n;
};

static void collect_response(const struct response *r, void *ctx)
{
    struct collect *c = ctx;
    if (c->n < 4096)
        strcpy(c->ids[c->n], r->id);
    c->n++;
}

static bool has_id(const struct collect *c, const char *id)
{
    for (size_t i = 0; i < c->n && i < 4096; i++)
        if (strcmp(c->ids[i], id) == 0)
            return true;
    return false;
}

/* Sets meta "format" (and optionally empties `pending`) with raw LMDB. */
static void forge_format(const char *dir, uint32_t version, bool drop_pending)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi meta, pending;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 16);
    CHECK(mdb_env_open(env, dir, 0, 0600) == 0);
    CHECK(mdb_txn_begin(env, NULL, 0, &txn) == 0);
    CHECK(mdb_dbi_open(txn, "meta", 0, &meta) == 0);
    MDB_val k = {6, "format"}, v = {4, &version};
    CHECK(mdb_put(txn, meta, &k, &v, 0) == 0);
    if (drop_pending) {
        CHECK(mdb_dbi_open(txn, "pending", 0, &pending) == 0);
        CHECK(mdb_drop(txn, pending, 1) == 0);
    }
    CHECK(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
}

int main(void)
{
    char *dir = test_tmpdir();
    struct store *s;
    CHECK(store_open(&s, dir, NULL) == STORE_OK);

    /* Responses round-trip and ids are unique. */
    struct response rs[50];
    for (int i = 0; i < 50; i++) {
        rs[i] = make_response(i);
        CHECK(store_put_response(s, &rs[i]) == STORE_OK);
    }
    CHECK(store_put_response(s, &rs[0]) == STORE_EEXIST);
    struct response bad = make_response(1);
    strcpy(bad.date, "2026-13-01");
    CHECK(store_put_response(s, &bad) == STORE_EINVAL);
    bad = make_response(1);
    bad.answers[0] = 6;
    CHECK(store_put_response(s, &bad) == STORE_EINVAL);
    bad = make_response(1);
    strcpy(bad.id, "not-a-uuid");
    CHECK(store_put_response(s, &bad) == STORE_EINVAL);

    struct checkin c = {.kind = CHECKIN_APPOINTMENT};
    store_new_id(c.id);
    strcpy(c.date, "2026-11-24");
    strcpy(c.time, "09:31");
    strcpy(c.site, "demo-site");
    strcpy(c.code, "K7M2QX");
    strcpy(c.result, "ok");
    CHECK(store_put_checkin(s, &c) == STORE_OK);
    struct checkin badc = c;
    store_new_id(badc.id);
    strcpy(badc.time, "25:00");
    CHECK(store_put_checkin(s, &badc) == STORE_EINVAL);

    struct store_status st;
    CHECK(store_status(s, &st) == STORE_OK);
    CHECK(st.responses == 50 && st.responses_waiting == 50);
    CHECK(st.checkins == 1 && st.checkins_waiting == 1);
    CHECK(st.format_version == STORE_FORMAT_VERSION);
    store_close(s);

    /* Reopen: everything is still there. */
    CHECK(store_open(&s, dir, NULL) == STORE_OK);
    static struct collect got;
    got.n = 0;
    CHECK(store_foreach_response(s, collect_response, &got) == STORE_OK);
    CHECK(got.n == 50);
    bool all = true;
    for (int i = 0; i < 50; i++)
        all = all && has_id(&got, rs[i].id);
    CHECK(all);

    /* Settings: defaults, round trip, refusal with a reason. */
    struct buf v, why;
    buf_init(&v);
    buf_init(&why);
    CHECK(store_config_get(s, "errands", &v) == STORE_OK);
    CHECK_STR(v.data, "Ledighed,Sygedagpenge,Andet");
    CHECK(store_config_set(s, "units", "Sygedagpenge,Ungeenheden,Integration", &why) == STORE_OK);
    CHECK(store_config_get(s, "units", &v) == STORE_OK);
    CHECK_STR(v.data, "Sygedagpenge,Ungeenheden,Integration");
    CHECK(store_config_set(s, "idle_timeout_s", "abc", &why) == STORE_EINVAL);
    CHECK_CONTAINS(why.data, "whole number");
    CHECK(store_config_set(s, "languages", "da,xx1", &why) == STORE_EINVAL);
    CHECK(store_config_set(s, "checkin_kinds", "walkin,walkin", &why) == STORE_EINVAL);
    CHECK_CONTAINS(why.data, "twice");
    CHECK(store_config_set(s, "nope", "1", &why) == STORE_ENOTFOUND);
    CHECK(store_config_long(s, "idle_timeout_s") == 45);

    /* The schedule: find by code in any case. */
    struct import_result ir;
    struct batch_import_opts at = {.now = 1795510800}; /* the sample's day, 10:00 local */
    CHECK(store_config_set(s, "site", "jobcenter-slagelse", &why) == STORE_OK);
    CHECK(batch_import_file_opts(s, TESTDATA "/schedule-sample.json", &at, &ir, &why) ==
          STORE_OK);
    struct appointment a;
    CHECK(store_find_appointment(s, "jobcenter-slagelse", "2026-11-24", "k7m2qx", &a) ==
          STORE_OK);
    CHECK_STR(a.host, "Anne");
    CHECK_STR(a.place, "Venteområde B");
    CHECK(store_find_appointment(s, "jobcenter-slagelse", "2026-11-25", "K7M2QX", &a) ==
          STORE_ENOTFOUND);
    CHECK(store_find_appointment(s, "jobcenter-slagelse", "2026-11-24", "K7M2Q", &a) ==
          STORE_ENOTFOUND);
    store_close(s);

    /* A store from a newer skranke is refused and left alone. */
    forge_format(dir, STORE_FORMAT_VERSION + 1, false);
    CHECK(store_open(&s, dir, NULL) == STORE_ENEWER);
    CHECK_CONTAINS(store_strerror(STORE_ENEWER), "newer version");

    /* A format-1 store (no pending index) is migrated at open. */
    forge_format(dir, 1, true);
    CHECK(store_open(&s, dir, NULL) == STORE_OK);
    CHECK(store_status(s, &st) == STORE_OK);
    CHECK(st.format_version == STORE_FORMAT_VERSION);
    CHECK(st.responses_waiting == 50 && st.checkins_waiting == 1);
    store_close(s);

    /* A format-3 store (before texts per language) opens; its schedule reads. */
    forge_format(dir, 3, false);
    CHECK(store_open(&s, dir, NULL) == STORE_OK);
    CHECK(store_status(s, &st) == STORE_OK && st.format_version == STORE_FORMAT_VERSION);
    CHECK(store_find_appointment(s, "jobcenter-slagelse", "2026-11-24", "K7M2QX", &a) ==
          STORE_OK);
    store_close(s);
    test_rmtree(dir);
    free(dir);

    /* A tiny map grows under load, then stops at its ceiling without losing
     * anything it acknowledged. */
    dir = test_tmpdir();
    struct store_options tiny = {.map_initial = 64 * 1024, .map_max = 512 * 1024};
    CHECK(store_open(&s, dir, &tiny) == STORE_OK);
    got.n = 0;
    int rc = STORE_OK, acked = 0;
    static char acked_ids[8192][37];
    while (rc == STORE_OK && acked < 8192) {
        struct response r = make_response(acked);
        rc = store_put_response(s, &r);
        if (rc == STORE_OK)
            strcpy(acked_ids[acked++], r.id);
    }
    CHECK(rc == STORE_EFULL);
    CHECK(acked > 100);
    CHECK(store_status(s, &st) == STORE_OK);
    CHECK(st.map_size == 512 * 1024);
    store_close(s);
    CHECK(store_open(&s, dir, &tiny) == STORE_OK);
    got.n = 0;
    CHECK(store_foreach_response(s, collect_response, &got) == STORE_OK);
    CHECK(got.n == (size_t)acked);
    all = true;
    for (int i = 0; i < acked && i < 4096; i++)
        all = all && has_id(&got, acked_ids[i]);
    CHECK(all);
    store_close(s);
    test_rmtree(dir);
    free(dir);
    buf_free(&v);
    buf_free(&why);
    TEST_END();
}

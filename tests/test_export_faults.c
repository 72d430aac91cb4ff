/*
 * test_export_faults.c — what staff see when the stick or the kiosk's own
 * storage fails during an export, and that no survey answer is lost.
 *
 * The stick is played by a folder and tests/shim/faultfs.so, preloaded into
 * skranke-admin (the real program, run the way staff run it) so that fsync
 * fails with EIO, or the folder runs out of space after 100 bytes. After
 * each failure: exit status 1, a message naming the file, nothing left in
 * the folder, and every response still waiting. Then an export without
 * faults must carry every response and verify. A re-export that fails while
 * writing its manifest must leave nothing behind either.
 *
 * The kiosk's storage filling up is played by a store with a 256 KiB
 * ceiling: puts stop with STORE_EFULL and a sentence that says what to do,
 * and every response acknowledged before is still there after reopening.
 *
 * In an ASan build skranke-admin is an ASan program too, whose runtime must
 * come first in the list of preloaded libraries; the test finds the runtime
 * it runs with itself and puts it in front of the shim.
 */
#include "test.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch.h"
#include "store.h"

#define N_RESPONSES 40

static char ids[N_RESPONSES][37];

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b;
    buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    fclose(f);
    buf_put(&b, "", 0);
    if (len)
        *len = b.len;
    return b.data;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += *s == '\n';
    return n;
}

/* Entries of dir other than . and ..; the first one's name into first. */
static int count_entries(const char *dir, char *first, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (!n && first)
            snprintf(first, cap, "%s", e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

/* The ASan runtime this process runs with, when it is a shared library
 * (gcc); "" when there is none or it is linked in (clang). */
static void asan_runtime(char *out, size_t cap)
{
    out[0] = '\0';
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return;
    char line[4200];
    while (fgets(line, sizeof line, f)) {
        char *path = strchr(line, '/');
        if (path && strstr(path, "/libasan.so")) {
            path[strcspn(path, "\n")] = '\0';
            snprintf(out, cap, "%s", path);
            break;
        }
    }
    fclose(f);
}

/* Runs skranke-admin with args (NULL-terminated) and the shim preloaded,
 * with extra environment "K=V" strings (NULL-terminated). Its stderr goes
 * into *err (malloc'd). Returns the exit status, or -1 when it did not exit
 * normally (a crash, a sanitizer abort). */
static int run_admin(const char *root, const char *const args[], const char *const env[],
                     char **err)
{
    char err_path[4200];
    snprintf(err_path, sizeof err_path, "%s/admin-stderr.txt", root);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        FILE *e = freopen(err_path, "w", stderr);
        FILE *o = freopen("/dev/null", "w", stdout);
        (void)e;
        (void)o;
        char asan[4096], preload[8300];
        asan_runtime(asan, sizeof asan);
        snprintf(preload, sizeof preload, "%s%s%s", asan, *asan ? " " : "", FAULTFS);
        setenv("LD_PRELOAD", preload, 1);
        unsetenv("FAULTFS_FSYNC_EIO");
        unsetenv("FAULTFS_ENOSPC_AFTER");
        for (size_t i = 0; env && env[i]; i++)
            putenv((char *)env[i]);
        const char *argv[16] = {ADMIN};
        size_t n = 1;
        for (size_t i = 0; args[i] && n < 15; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        execv(ADMIN, (char *const *)argv);
        fprintf(stderr, "cannot run %s: %s\n", ADMIN, strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    *err = slurp(err_path, NULL);
    if (!*err)
        *err = strdup("");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void fill_store(const char *data)
{
    struct store *s;
    CHECK(store_open(&s, data, NULL) == STORE_OK);
    if (!s)
        return;
    for (int i = 0; i < N_RESPONSES; i++) {
        struct response r = {0};
        store_new_id(r.id);
        strcpy(r.date, "2026-11-24");
        strcpy(r.site, "demo-site");
        strcpy(r.language, i % 3 ? "da" : "uk");
        for (int q = 0; q < STORE_QUESTIONS; q++)
            r.answers[q] = (uint8_t)((i + q) % 6); /* 0 (no answer) to 5 */
        CHECK(store_put_response(s, &r) == STORE_OK);
        strcpy(ids[i], r.id);
    }
    store_close(s);
}

/* Every response is still stored and waiting, and nothing was exported. */
static void check_all_waiting(const char *data)
{
    struct store *s;
    struct store_status st;
    CHECK(store_open(&s, data, NULL) == STORE_OK);
    if (!s)
        return;
    CHECK(store_status(s, &st) == STORE_OK);
    CHECK(st.responses == N_RESPONSES);
    CHECK(st.responses_waiting == N_RESPONSES);
    CHECK(st.last_export.seq == 0);
    store_close(s);
}

/* A failed export as staff see it: status 1, one message that names a file
 * of the batch and the reason, an empty folder, the fault really injected. */
static void check_failed_export(const char *out, int status, const char *err, const char *reason,
                                const char *log, const char *log_says)
{
    CHECK(status == 1);
    CHECK(count_lines(err) == 1);
    CHECK_CONTAINS(err, "skranke-admin: export failed");
    CHECK_CONTAINS(err, reason);
    CHECK(strstr(err, "responses.csv") || strstr(err, "responses.jsonl") ||
          strstr(err, "checkins.csv") || strstr(err, "manifest.json"));
    char first[256] = "";
    int left = count_entries(out, first, sizeof first);
    CHECK(left == 0);
    if (left)
        fprintf(stderr, "  left in the export folder: %s\n", first);
    char *faults = slurp(log, NULL);
    CHECK_CONTAINS(faults ? faults : "(the shim was not loaded)", log_says);
    free(faults);
    unlink(log);
}

static void export_faults(void)
{
    char *root = test_tmpdir();
    char data[4200], out[4200], out2[4200], log[4200], env_prefix[4300], env_log[4300];
    snprintf(data, sizeof data, "%s/data", root);
    snprintf(out, sizeof out, "%s/stick", root);
    snprintf(out2, sizeof out2, "%s/stick2", root);
    snprintf(log, sizeof log, "%s/faults.log", root);
    snprintf(env_prefix, sizeof env_prefix, "FAULTFS_PREFIX=%s", out);
    snprintf(env_log, sizeof env_log, "FAULTFS_LOG=%s", log);
    mkdir(out, 0755);
    mkdir(out2, 0755);
    fill_store(data);
    char *err;

    const char *export_args[] = {"--data", data, "export", out, NULL};

    /* fsync fails: the stick cannot promise the data is on it. */
    const char *eio[] = {env_prefix, env_log, "FAULTFS_FSYNC_EIO=1", NULL};
    int status = run_admin(root, export_args, eio, &err);
    check_failed_export(out, status, err, "Input/output error", log, "fsync");
    free(err);
    check_all_waiting(data);

    /* The stick is full after 100 bytes. */
    const char *nospc[] = {env_prefix, env_log, "FAULTFS_ENOSPC_AFTER=100", NULL};
    status = run_admin(root, export_args, nospc, &err);
    check_failed_export(out, status, err, "No space left on device", log, "ENOSPC");
    free(err);
    check_all_waiting(data);

    /* A good stick: one complete batch with every response. */
    const char *none[] = {env_prefix, env_log, NULL};
    status = run_admin(root, export_args, none, &err);
    CHECK(status == 0);
    if (status)
        fprintf(stderr, "  export said: %s", err);
    free(err);
    char name[256] = "", dir[4600];
    CHECK(count_entries(out, name, sizeof name) == 1);
    CHECK(strncmp(name, "skranke-demo-site-kiosk-1-", 26) == 0);
    snprintf(dir, sizeof dir, "%s/%s", out, name);
    struct buf why;
    buf_init(&why);
    CHECK(batch_verify(dir, &why) == STORE_OK);
    if (why.len)
        fprintf(stderr, "  verify: %s\n", why.data);
    const char *verify_args[] = {"verify", dir, NULL};
    status = run_admin(root, verify_args, none, &err);
    CHECK(status == 0);
    free(err);

    char path[4800];
    snprintf(path, sizeof path, "%s/responses.csv", dir);
    char *csv = slurp(path, NULL);
    CHECK(count_lines(csv) == N_RESPONSES + 1);
    int found = 0;
    for (int i = 0; i < N_RESPONSES; i++)
        found += csv && strstr(csv, ids[i]) != NULL;
    CHECK(found == N_RESPONSES);
    free(csv);
    snprintf(path, sizeof path, "%s/responses.jsonl", dir);
    char *jsonl = slurp(path, NULL);
    CHECK(count_lines(jsonl) == N_RESPONSES);
    free(jsonl);

    struct store *s;
    struct store_status st;
    unsigned seq = 0;
    CHECK(store_open(&s, data, NULL) == STORE_OK);
    if (s) {
        CHECK(store_status(s, &st) == STORE_OK);
        CHECK(st.responses == N_RESPONSES);
        CHECK(st.responses_waiting == 0);
        CHECK(st.last_export.responses == N_RESPONSES);
        seq = st.last_export.seq;
        store_close(s);
    }
    CHECK(strtoul(name + 26, NULL, 10) == seq);

    /* Re-exporting that batch onto a stick with room for the data files but
     * not for the manifest, and onto one whose fsync fails: nothing left. */
    size_t data_bytes = 0;
    static const char *const data_files[] = {"responses.csv", "responses.jsonl", "checkins.csv"};
    for (size_t i = 0; i < 3; i++) {
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, data_files[i]);
        CHECK(stat(path, &sb) == 0);
        data_bytes += (size_t)sb.st_size;
    }
    char seq_text[16], env_prefix2[4300], env_space[64];
    snprintf(seq_text, sizeof seq_text, "%u", seq);
    snprintf(env_prefix2, sizeof env_prefix2, "FAULTFS_PREFIX=%s", out2);
    snprintf(env_space, sizeof env_space, "FAULTFS_ENOSPC_AFTER=%zu", data_bytes + 20);
    const char *again_args[] = {"--data", data, "export", out2, "--seq", seq_text, NULL};
    const char *manifest_full[] = {env_prefix2, env_log, env_space, NULL};
    status = run_admin(root, again_args, manifest_full, &err);
    check_failed_export(out2, status, err, "No space left on device", log, "ENOSPC");
    CHECK_CONTAINS(err, "manifest.json");
    free(err);
    const char *again_eio[] = {env_prefix2, env_log, "FAULTFS_FSYNC_EIO=1", NULL};
    status = run_admin(root, again_args, again_eio, &err);
    check_failed_export(out2, status, err, "Input/output error", log, "fsync");
    free(err);
    status = run_admin(root, again_args, none, &err);
    CHECK(status == 0);
    free(err);
    CHECK(count_entries(out2, name, sizeof name) == 1);

    buf_free(&why);
    test_rmtree(root);
    free(root);
}

struct find_ctx {
    char (*ids)[37];
    size_t n, found, total;
};

static void find_id(const struct response *r, void *vctx)
{
    struct find_ctx *c = vctx;
    c->total++;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->ids[i], r->id) == 0) {
            c->found++;
            return;
        }
}

static void full_response(struct response *r)
{
    memset(r, 0, sizeof *r);
    store_new_id(r->id);
    strcpy(r->date, "2026-11-24");
    strcpy(r->site, "demo-site");
    strcpy(r->unit, "Sygedagpenge og jobafklaring, Slagelse og Korsør");
    strcpy(r->language, "da");
    for (int q = 0; q < STORE_QUESTIONS; q++)
        r->answers[q] = (uint8_t)(q + 1);
}

static void map_full(void)
{
    char *dir = test_tmpdir();
    struct store_options small = {.map_initial = 64 << 10, .map_max = 256 << 10};
    struct store *s;
    CHECK(store_open(&s, dir, &small) == STORE_OK);
    if (!s)
        return;
    /* Near the ceiling LMDB reuses pages freed two transactions back, so
     * puts after the first STORE_EFULL may fail or succeed: keep going
     * until 20 were refused. Every put must be one or the other. */
    size_t cap = 4096, n = 0, refused = 0, other = 0;
    char(*acked)[37] = malloc(cap * 37);
    while (n < cap && refused < 20) {
        struct response r;
        full_response(&r);
        int rc = store_put_response(s, &r);
        if (rc == STORE_OK)
            strcpy(acked[n++], r.id);
        else if (rc == STORE_EFULL)
            refused++;
        else
            other++;
    }
    printf("map full: %zu responses acknowledged, %zu refused\n", n, refused);
    CHECK(refused == 20);
    CHECK(other == 0);
    CHECK(n > 100);
    const char *msg = store_strerror(STORE_EFULL);
    CHECK_CONTAINS(msg, "full");
    CHECK_CONTAINS(msg, "export");

    struct store_status st;
    CHECK(store_status(s, &st) == STORE_OK);
    CHECK(st.responses == n);
    CHECK(st.responses_waiting == n);
    CHECK(st.map_size <= small.map_max);

    /* The sentence tells staff to export: that must be possible when full. */
    char out[4200];
    snprintf(out, sizeof out, "%s-out", dir);
    mkdir(out, 0755);
    struct export_result res;
    struct buf err;
    buf_init(&err);
    int rc = batch_export(s, out, 0, &res, &err);
    CHECK(rc == STORE_OK);
    if (rc) {
        fprintf(stderr, "  export of a full store: %s\n", err.data ? err.data : "");
        CHECK(count_entries(out, NULL, 0) == 0);
    }
    buf_free(&err);
    store_close(s);

    /* After reopening, every acknowledged response is there, and none of
     * those refused. */
    CHECK(store_open(&s, dir, &small) == STORE_OK);
    if (s) {
        struct find_ctx c = {acked, n, 0, 0};
        CHECK(store_foreach_response(s, find_id, &c) == STORE_OK);
        CHECK(c.found == n);
        CHECK(c.total == n);
        store_close(s);
    }

    /* A higher ceiling lets the kiosk go on. */
    struct store_options bigger = {.map_initial = 64 << 10, .map_max = 1 << 20};
    CHECK(store_open(&s, dir, &bigger) == STORE_OK);
    if (s) {
        for (int i = 0; i < 50; i++) {
            struct response r;
            full_response(&r);
            CHECK(store_put_response(s, &r) == STORE_OK);
        }
        store_close(s);
    }
    free(acked);
    test_rmtree(out);
    test_rmtree(dir);
    free(dir);
}

int main(void)
{
    map_full();
    export_faults();
    TEST_END();
}

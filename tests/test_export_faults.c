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
 * Standing suites, each printing what it tried, lost and leaked (short in
 * ctest; SKRANKE_FAULT_LONG=1 runs the long ones, as scripts/bench does):
 * - kills: skranke-admin export killed with SIGKILL at a random moment
 *   (30 rounds, 200 long); after each, the next export must hold exactly
 *   the records that waited, as the next seq (none burnt), `--seq` must
 *   write it again byte for byte, and no .tmp folder may stay;
 * - a hostile stick: links to a canary folder under the batch's .tmp and
 *   final names, FIFOs, a socket, a 4 GiB sparse file, link loops and
 *   100 000 files, for export and import: the canary keeps its files and
 *   mtimes, nothing hangs (every run has a time limit), messages name the
 *   file;
 * - every call: the Nth write, fsync or read of an export on the stick, and
 *   of an import in the kiosk's store, fails with EIO and with ENOSPC, for
 *   every N a clean run makes: each fails with a message (a full store
 *   says "disk full"), the store loses nothing, and no seq is burnt.
 *
 * In an ASan build skranke-admin is an ASan program too, whose runtime must
 * come first in the list of preloaded libraries; the test finds the runtime
 * it runs with itself and puts it in front of the shim.
 */
#include "test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "store.h"
#include "usb.h"

#define N_RESPONSES 40
#define RUN_LIMIT_S 30 /* any run of skranke-admin longer than this hangs */

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
        alarm(RUN_LIMIT_S); /* kept across exec: a hang ends as a signal */
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
          strstr(err, "checkins.csv") || strstr(err, "responses.xlsx") ||
          strstr(err, "checkins.xlsx") || strstr(err, "manifest.json"));
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
    static const char *const data_files[] = {"responses.csv", "responses.jsonl", "checkins.csv",
                                             "responses.xlsx", "checkins.xlsx"};
    for (size_t i = 0; i < 5; i++) {
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

/* ---- the standing suites ---- */

/* snprintf into an array; a test path that does not fit is a bug here. */
#define FMT(arr, ...)                                                                             \
    do {                                                                                          \
        if (snprintf(arr, sizeof arr, __VA_ARGS__) >= (int)sizeof arr)                            \
            abort();                                                                              \
    } while (0)

static bool long_run(void)
{
    const char *l = getenv("SKRANKE_FAULT_LONG");
    return l && *l && strcmp(l, "0") != 0;
}

/* A directory on tmpfs when there is one: the suites put many records. */
static char *fast_tmpdir(void)
{
    struct stat st;
    if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && !getenv("TMPDIR")) {
        setenv("TMPDIR", "/dev/shm", 1);
        char *d = test_tmpdir();
        unsetenv("TMPDIR");
        return d;
    }
    return test_tmpdir();
}

static void put_responses(const char *data, size_t n, char (*out)[37])
{
    struct store *s;
    CHECK(store_open(&s, data, NULL) == STORE_OK);
    if (!s)
        return;
    for (size_t i = 0; i < n; i++) {
        struct response r;
        full_response(&r);
        CHECK(store_put_response(s, &r) == STORE_OK);
        if (out)
            strcpy(out[i], r.id);
    }
    store_close(s);
}

static int cmp_id37(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The response ids of batch folder dir into ids (up to cap); how many. */
static size_t batch_ids(const char *dir, char (*ids_out)[37], size_t cap)
{
    char path[4400];
    FMT(path, "%s/responses.csv", dir);
    char *csv = slurp(path, NULL);
    size_t n = 0;
    for (char *l = csv ? strchr(csv, '\n') : NULL; l && l[1] && n < cap; l = strchr(l + 1, '\n')) {
        memcpy(ids_out[n], l + 1, 36);
        ids_out[n++][36] = '\0';
    }
    free(csv);
    return n;
}

/* Entries of dir whose name starts with '.' (not . and ..). */
static int hidden_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

static pid_t spawn_admin(const char *const args[])
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        FILE *e = freopen("/dev/null", "w", stderr);
        FILE *o = freopen("/dev/null", "w", stdout);
        (void)e;
        (void)o;
        const char *argv[16] = {ADMIN};
        size_t n = 1;
        for (size_t i = 0; args[i] && n < 15; i++)
            argv[n++] = args[i];
        execv(ADMIN, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#define KILL_BATCH 1100 /* more than one of the old marking chunks */

static void kill_suite(void)
{
    int rounds = long_run() ? 200 : 30;
    char *root = fast_tmpdir();
    char data[4200], stick[4200], again[4000], dir[4400], dir2[4400];
    FMT(data, "%s/data", root);
    FMT(stick, "%s/stick", root);
    FMT(again, "%s/again", root);
    mkdir(stick, 0755);
    char(*want)[37] = malloc(KILL_BATCH * 37), (*got)[37] = malloc(3 * KILL_BATCH * 37);
    const char *export_args[] = {"--data", data, "export", stick, NULL};
    const char *none[] = {NULL};
    char *err;

    /* How long a clean export takes: kills fall anywhere within that. */
    put_responses(data, KILL_BATCH, NULL);
    double t0 = now_s();
    CHECK(run_admin(root, export_args, none, &err) == 0);
    free(err);
    double clean = now_s() - t0;
    unsigned last = 1, tried = 0, lost = 0, leaked = 0, burnt = 0;
    srand((unsigned)time(NULL));
    for (int round = 0; round < rounds; round++) {
        put_responses(data, KILL_BATCH, want);
        qsort(want, KILL_BATCH, 37, cmp_id37);
        pid_t pid = spawn_admin(export_args);
        usleep((useconds_t)((double)rand() / RAND_MAX * clean * 1.3e6));
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        tried++;
        int status = run_admin(root, export_args, none, &err);
        if (status != 0)
            fprintf(stderr, "  round %d: the export after the kill failed: %s", round, err);
        free(err);
        /* The batches this round made: the next seqs, none skipped. */
        size_t n = 0;
        unsigned seq = last + 1;
        for (;; seq++) {
            FMT(dir, "%s/skranke-demo-site-kiosk-1-%06u", stick, seq);
            struct stat st;
            if (stat(dir, &st))
                break;
            size_t k = batch_ids(dir, got + n, 3 * KILL_BATCH - n);
            /* --seq writes it again, byte for byte. */
            test_rmtree(again);
            mkdir(again, 0755);
            char seq_text[16];
            FMT(seq_text, "%u", seq);
            const char *again_args[] = {"--data", data, "export", again, "--seq", seq_text, NULL};
            int st2 = run_admin(root, again_args, none, &err);
            free(err);
            FMT(dir2, "%s/skranke-demo-site-kiosk-1-%06u", again, seq);
            char p1[4500], p2[4500];
            FMT(p1, "%s/responses.csv", dir);
            FMT(p2, "%s/responses.csv", dir2);
            char *a = slurp(p1, NULL), *b = slurp(p2, NULL);
            if (st2 != 0 || !a || !b || strcmp(a, b) != 0) {
                fprintf(stderr, "  round %d: --seq %u does not write batch %u again\n", round,
                        seq, seq);
                lost++;
            }
            free(a);
            free(b);
            n += k;
        }
        unsigned top = seq - 1;
        for (unsigned later = seq + 1; later < seq + 8; later++) {
            FMT(dir, "%s/skranke-demo-site-kiosk-1-%06u", stick, later);
            struct stat st;
            if (stat(dir, &st) == 0) {
                fprintf(stderr, "  round %d: seq %u skipped, batch %u written\n", round, seq,
                        later);
                burnt++;
                top = later;
            }
        }
        qsort(got, n, 37, cmp_id37);
        bool same = n == KILL_BATCH;
        for (size_t i = 0; same && i < n; i++)
            same = strcmp(got[i], want[i]) == 0;
        if (!same) {
            fprintf(stderr, "  round %d: the new batches hold %zu records, %d waited\n", round,
                    n, KILL_BATCH);
            lost++;
        }
        if (hidden_entries(stick)) {
            fprintf(stderr, "  round %d: a .tmp folder was left on the stick\n", round);
            leaked++;
            char cmd[4400];
            FMT(cmd, "rm -rf '%s'/.skranke-*", stick);
            if (system(cmd))
                break;
        }
        last = top > last ? top : last;
    }
    printf("kills: tried %u, lost %u, leaked %u, seqs burnt %u\n", tried, lost, leaked, burnt);
    CHECK(tried == (unsigned)rounds);
    CHECK(lost == 0);
    CHECK(leaked == 0);
    CHECK(burnt == 0);
    free(want);
    free(got);
    test_rmtree(root);
    free(root);
}

/* ---- a hostile stick ---- */

struct canary {
    char dir[4200];
    struct timespec mtime[5];
};

static const char *const canary_files[] = {"responses.csv", "responses.jsonl", "checkins.csv",
                                           "manifest.json", "keep.txt"};

static void canary_make(struct canary *c, const char *root)
{
    snprintf(c->dir, sizeof c->dir, "%s/canary", root);
    mkdir(c->dir, 0755);
    for (int i = 0; i < 5; i++) {
        char p[4400];
        FMT(p, "%s/%s", c->dir, canary_files[i]);
        FILE *f = fopen(p, "w");
        fputs("do not touch\n", f);
        fclose(f);
        struct stat st;
        stat(p, &st);
        c->mtime[i] = st.st_mtim;
    }
}

/* How many canary files are gone or changed. */
static int canary_harm(const struct canary *c)
{
    int harm = count_entries(c->dir, NULL, 0) != 5;
    for (int i = 0; i < 5; i++) {
        char p[4400];
        FMT(p, "%s/%s", c->dir, canary_files[i]);
        struct stat st;
        harm += stat(p, &st) || st.st_mtim.tv_sec != c->mtime[i].tv_sec ||
                st.st_mtim.tv_nsec != c->mtime[i].tv_nsec;
    }
    return harm;
}

static void make_socket(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    FMT(a.sun_path, "%s", path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a))
        fprintf(stderr, "  cannot make a socket at %s\n", path);
    if (fd >= 0)
        close(fd);
}

static void make_sparse(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && ftruncate(fd, (off_t)4 << 30) == 0);
    if (fd >= 0)
        close(fd);
}

static void make_many(const char *dir, int n)
{
    char p[4400];
    for (int i = 0; i < n; i++) {
        FMT(p, "%s/f%06d", dir, i);
        int fd = open(p, O_WRONLY | O_CREAT, 0644);
        if (fd >= 0)
            close(fd);
    }
}

static void at(char *out, size_t cap, const char *dir, const char *name)
{
    if (snprintf(out, cap, "%s/%s", dir, name) >= (int)cap)
        abort();
}

static void hostile_stick(void)
{
    char *root = fast_tmpdir();
    char data[4200], outbox[4200], inbox[4200], p[4400], q[4400];
    struct canary c;
    canary_make(&c, root);
    FMT(data, "%s/data", root);
    FMT(p, "%s/stick", root);
    mkdir(p, 0755);
    FMT(p, "%s/stick/skranke", root);
    mkdir(p, 0755);
    FMT(outbox, "%s/outbox", p);
    FMT(inbox, "%s/inbox", p);
    mkdir(outbox, 0755);
    mkdir(inbox, 0755);
    fill_store(data);
    unsigned tried = 0, harmed = 0, hung = 0, unclear = 0;

    /* The outbox: links to the canary under this kiosk's .tmp names, the
     * stale folders of this kiosk and of another, and every odd thing. */
    at(p, sizeof p, outbox, ".skranke-demo-site-kiosk-1-000001.tmp");
    CHECK(symlink(c.dir, p) == 0);
    at(p, sizeof p, outbox, ".skranke-demo-site-kiosk-1-000007.tmp");
    CHECK(symlink(c.dir, p) == 0);
    at(p, sizeof p, outbox, ".skranke-demo-site-kiosk-1-000003.tmp");
    mkdir(p, 0755);
    at(q, sizeof q, p, "responses.csv");
    fclose(fopen(q, "w"));
    at(p, sizeof p, outbox, ".skranke-other-kiosk-9-000001.tmp");
    mkdir(p, 0755);
    at(p, sizeof p, outbox, "fifo");
    mkfifo(p, 0644);
    at(p, sizeof p, outbox, "sock");
    make_socket(p);
    at(p, sizeof p, outbox, "big.bin");
    make_sparse(p);
    at(p, sizeof p, outbox, "loop1");
    at(q, sizeof q, outbox, "loop2");
    CHECK(symlink(q, p) == 0 && symlink(p, q) == 0);
    at(p, sizeof p, outbox, "escape");
    CHECK(symlink(c.dir, p) == 0);
    at(p, sizeof p, outbox, "..weird");
    fclose(fopen(p, "w"));
    make_many(outbox, long_run() ? 100000 : 20000);

    char *err;
    const char *none[] = {NULL};
    const char *export_args[] = {"--data", data, "export", outbox, NULL};
    int status = run_admin(root, export_args, none, &err);
    tried++;
    hung += status == -1;
    CHECK(status == 0);
    if (status)
        fprintf(stderr, "  export onto the hostile stick: %s", err);
    free(err);
    harmed += canary_harm(&c) != 0;
    at(p, sizeof p, outbox, "skranke-demo-site-kiosk-1-000001");
    struct buf why;
    buf_init(&why);
    CHECK(batch_verify(p, &why) == STORE_OK);
    struct stat st;
    at(p, sizeof p, outbox, ".skranke-other-kiosk-9-000001.tmp");
    CHECK(lstat(p, &st) == 0); /* another kiosk's: left alone */
    at(p, sizeof p, outbox, "escape");
    CHECK(lstat(p, &st) == 0 && S_ISLNK(st.st_mode));
    at(p, sizeof p, outbox, "..weird");
    CHECK(lstat(p, &st) == 0);
    CHECK(hidden_entries(outbox) == 2); /* ..weird and the other kiosk's */

    /* The next batch's name already taken by a link: refused, named, the
     * canary untouched, and the seq not used up. */
    put_responses(data, 5, NULL);
    at(p, sizeof p, outbox, "skranke-demo-site-kiosk-1-000002");
    CHECK(symlink(c.dir, p) == 0);
    status = run_admin(root, export_args, none, &err);
    tried++;
    hung += status == -1;
    CHECK(status == 1);
    CHECK_CONTAINS(err, "skranke-demo-site-kiosk-1-000002 is not a batch folder");
    unclear += strstr(err, "000002") == NULL;
    free(err);
    harmed += canary_harm(&c) != 0;
    unlink(p);
    status = run_admin(root, export_args, none, &err);
    CHECK(status == 0);
    free(err);
    CHECK(lstat(p, &st) == 0 && S_ISDIR(st.st_mode));

    /* Import with trusted keys: nothing on the stick may hang it. */
    at(p, sizeof p, root, "k");
    const char *keygen[] = {"keygen", "--out", p, NULL};
    CHECK(run_admin(root, keygen, none, &err) == 0);
    free(err);
    at(p, sizeof p, root, "k.pub");
    char *pub = slurp(p, NULL);
    char *line2 = pub ? strchr(pub, '\n') : NULL;
    if (line2) {
        line2++;
        line2[strcspn(line2, "\n")] = '\0';
        const char *set[] = {"--data", data, "config", "set", "trusted_keys", line2, NULL};
        CHECK(run_admin(root, set, none, &err) == 0);
        free(err);
    }
    free(pub);
    struct {
        const char *name, *says;
    } cases[] = {{"a.json", "a.json.minisig: not a regular file"},
                 {"b.json", "b.json: not a regular file"},
                 {"c.json", "c.json: cannot open: a link"},
                 {"d.json", "d.json: too large"},
                 {"e.json", "e.json: cannot open: a link"}};
    at(p, sizeof p, inbox, "a.json");
    FMT(q, "cp '%s' '%s'", TESTDATA "/jobs-sample.json", p);
    CHECK(system(q) == 0);
    at(p, sizeof p, inbox, "a.json.minisig");
    mkfifo(p, 0644);
    at(p, sizeof p, inbox, "b.json");
    mkfifo(p, 0644);
    at(p, sizeof p, inbox, "c.json");
    CHECK(symlink("/etc/passwd", p) == 0);
    at(p, sizeof p, inbox, "d.json");
    make_sparse(p);
    at(p, sizeof p, inbox, "e.json");
    CHECK(symlink(p, p) == 0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        at(p, sizeof p, inbox, cases[i].name);
        const char *import_args[] = {"--data", data, "import", p, NULL};
        status = run_admin(root, import_args, none, &err);
        tried++;
        hung += status == -1;
        CHECK(status == 2);
        unclear += strstr(err, cases[i].says) == NULL;
        CHECK_CONTAINS(err, cases[i].says);
        free(err);
    }

    /* The staff screen's listing of an inbox with many files: the good
     * batch is there, or the list says what it did not read. */
    make_many(inbox, long_run() ? 100000 : 20000);
    at(p, sizeof p, inbox, "zz-good.json");
    fclose(fopen(p, "w"));
    static struct usb_file files[USB_FILES_MAX];
    at(p, sizeof p, root, "stick/skranke");
    size_t n = usb_list_inbox(p, files, USB_FILES_MAX);
    bool good = false, said = false;
    for (size_t i = 0; i < n; i++) {
        good = good || (strcmp(files[i].name, "zz-good.json") == 0 && files[i].ok);
        said = said || strstr(files[i].why, "not read") || strstr(files[i].why, "not looked");
    }
    CHECK(good || said);
    unclear += !good && !said;
    harmed += canary_harm(&c) != 0;
    printf("hostile stick: tried %u, canary harmed %u, hung %u, unclear messages %u\n", tried,
           harmed, hung, unclear);
    CHECK(harmed == 0);
    CHECK(hung == 0);
    buf_free(&why);
    test_rmtree(root);
    free(root);
}

/* ---- a fault at every call ---- */

/* How many calls the shim could fail in a clean run of args (on copies
 * of the folders, made by the caller). */
static long count_calls(const char *root, const char *const args[], const char *env_prefix)
{
    char log[4300], env_log[4400];
    FMT(log, "%s/count.log", root);
    FMT(env_log, "FAULTFS_LOG=%s", log);
    unlink(log);
    const char *env[] = {env_prefix, env_log, "FAULTFS_FAIL_AT=0", "FAULTFS_FAIL_READS=1", NULL};
    char *err;
    int status = run_admin(root, args, env, &err);
    CHECK(status == 0);
    free(err);
    char *text = slurp(log, NULL);
    long n = (long)count_lines(text);
    free(text);
    unlink(log);
    return n;
}

static void every_call(void)
{
    char *root = fast_tmpdir();
    char data[4200], scratch[4200], stick[4200], env_prefix[4300], key[4300], pub[4300];
    FMT(data, "%s/data", root);
    FMT(scratch, "%s/scratch", root);
    FMT(stick, "%s/stick", root);
    mkdir(stick, 0755);
    fill_store(data);
    char *err;
    const char *none[] = {NULL};
    FMT(key, "%s/kk", root);
    const char *keygen[] = {"keygen", "--out", key, NULL};
    CHECK(run_admin(root, keygen, none, &err) == 0);
    free(err);
    FMT(pub, "%s/kk.pub", root);
    FMT(key, "%s/kk.key", root);
    const char *set[] = {"--data", data, "config", "set", "kiosk_key", key, NULL};
    CHECK(run_admin(root, set, none, &err) == 0);
    free(err);
    char copy[8800];
    FMT(copy, "cp -a '%s' '%s'", data, scratch);
    CHECK(system(copy) == 0);
    FMT(env_prefix, "FAULTFS_PREFIX=%s", stick);
    char scratch_stick[4300];
    FMT(scratch_stick, "%s/scratch-stick", root);
    mkdir(scratch_stick, 0755);
    char env_scratch[4400];
    FMT(env_scratch, "FAULTFS_PREFIX=%s", scratch_stick);
    const char *scratch_args[] = {"--data", scratch, "export", scratch_stick, NULL};
    long calls = count_calls(root, scratch_args, env_scratch);
    CHECK(calls > 5);

    unsigned tried = 0, lost = 0, leaked = 0, silent = 0, wrong = 0;
    static const char *const errnos[] = {"FAULTFS_FAIL_ERRNO=EIO", "FAULTFS_FAIL_ERRNO=ENOSPC"};
    const char *export_args[] = {"--data", data, "export", stick, NULL};
    for (int e = 0; e < 2; e++) {
        for (long n = 1; n <= calls; n++) {
            char at_n[64];
            FMT(at_n, "FAULTFS_FAIL_AT=%ld", n);
            const char *env[] = {env_prefix, at_n, errnos[e], "FAULTFS_FAIL_READS=1", NULL};
            int status = run_admin(root, export_args, env, &err);
            tried++;
            if (status == 0) {
                /* Good only when the batch verifies, signature and all. */
                char dir[4400];
                FMT(dir, "%s/skranke-demo-site-kiosk-1-000001", stick);
                const char *verify[] = {"verify", dir, "--pubkey", pub, NULL};
                char *verr;
                if (run_admin(root, verify, none, &verr) != 0) {
                    fprintf(stderr, "  export with call %ld failing (%s) said it worked, but "
                                    "the batch does not verify: %s", n, errnos[e] + 19, verr);
                    wrong++;
                }
                free(verr);
                free(err);
                goto out; /* exported: the rest would test another batch */
            }
            silent += status != 1 || count_lines(err) != 1;
            wrong += !strstr(err, e ? "No space left on device" : "Input/output error") &&
                     !strstr(err, "cannot read");
            free(err);
            leaked += count_entries(stick, NULL, 0) != 0;
            struct store *s;
            struct store_status st;
            if (store_open(&s, data, NULL) == STORE_OK) {
                lost += store_status(s, &st) != STORE_OK || st.responses_waiting != N_RESPONSES ||
                        st.last_export.seq != 0;
                store_close(s);
            }
        }
    }
    {
        int status = run_admin(root, export_args, none, &err);
        CHECK(status == 0);
        free(err);
        char dir[4400];
        FMT(dir, "%s/skranke-demo-site-kiosk-1-000001", stick);
        const char *verify[] = {"verify", dir, "--pubkey", pub, NULL};
        status = run_admin(root, verify, none, &err);
        CHECK(status == 0); /* seq 1: no failed attempt used a number */
        free(err);
    }
out:
    printf("export, a fault at every call (%ld calls x EIO, ENOSPC): tried %u, lost %u, leaked "
           "%u, unclear %u, wrong %u\n", calls, tried, lost, leaked, silent, wrong);
    CHECK(lost == 0);
    CHECK(leaked == 0);
    CHECK(silent == 0);
    CHECK(wrong == 0);

    /* Import, with the kiosk's own store failing. */
    char env_data[4300], count_data[4300], cmd[8800];
    FMT(count_data, "%s/count-data", root);
    FMT(cmd, "cp -a '%s' '%s'", data, count_data);
    CHECK(system(cmd) == 0);
    FMT(env_data, "FAULTFS_PREFIX=%s", count_data);
    const char *count_args[] = {"--data", count_data, "import", TESTDATA "/jobs-sample.json", NULL};
    calls = count_calls(root, count_args, env_data);
    CHECK(calls > 0);
    FMT(env_data, "FAULTFS_PREFIX=%s", data);
    const char *import_args[] = {"--data", data, "import", TESTDATA "/jobs-sample.json", NULL};
    unsigned itried = 0, ilost = 0, iunclear = 0;
    for (int e = 0; e < 2; e++) {
        for (long n = 1; n <= calls; n++) {
            char at_n[64];
            FMT(at_n, "FAULTFS_FAIL_AT=%ld", n);
            const char *env[] = {env_data, at_n, errnos[e], NULL};
            int status = run_admin(root, import_args, env, &err);
            itried++;
            iunclear += status != 1 || !strstr(err, e ? "disk full" : "storage failed");
            if (status != 1 || !strstr(err, e ? "disk full" : "storage failed"))
                fprintf(stderr, "  import with call %ld failing (%s): status %d: %s", n,
                        errnos[e] + 19, status, err);
            free(err);
            struct store *s;
            struct store_status st;
            if (store_open(&s, data, NULL) == STORE_OK) {
                ilost += store_status(s, &st) != STORE_OK || st.jobs != 0 ||
                         st.responses != N_RESPONSES;
                store_close(s);
            }
        }
    }
    int status = run_admin(root, import_args, none, &err);
    CHECK(status == 0);
    free(err);
    printf("import, a fault at every store call (%ld calls x EIO, ENOSPC): tried %u, lost %u, "
           "unclear %u\n", calls, itried, ilost, iunclear);
    CHECK(ilost == 0);
    CHECK(iunclear == 0);
    test_rmtree(root);
    free(root);
}

int main(void)
{
    map_full();
    export_faults();
    kill_suite();
    hostile_stick();
    every_call();
    TEST_END();
}

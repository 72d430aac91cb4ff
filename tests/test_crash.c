/*
 * test_crash.c — a kiosk killed at any moment keeps every answer it
 * acknowledged. A child process stores responses one per transaction and
 * reports each id only after the commit returned; the parent kills it with
 * SIGKILL at a random moment, then opens the store and looks for every id
 * reported so far. 200 rounds (SKRANKE_CRASH_ROUNDS to change).
 */
#include "test.h"

#include <time.h>
#include <unistd.h>

#include "store.h"

#define MAX_IDS 100000

static char (*ids)[37];
static size_t n_ids;

static int cmp_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

struct found {
    char (*stored)[37];
    size_t n, cap;
};

static void collect(const struct response *r, void *ctx)
{
    struct found *f = ctx;
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 1024;
        f->stored = realloc(f->stored, f->cap * 37);
    }
    strcpy(f->stored[f->n++], r->id);
}

static void child(const char *dir, int fd)
{
    struct store *s;
    if (store_open(&s, dir, NULL) != STORE_OK)
        _exit(3);
    for (;;) {
        struct response r = {.answers = {1, 2, 3, 4}};
        store_new_id(r.id);
        strcpy(r.date, "2026-11-24");
        strcpy(r.site, "demo-site");
        strcpy(r.language, "da");
        if (store_put_response(s, &r) != STORE_OK)
            _exit(4);
        char line[38];
        memcpy(line, r.id, 36);
        line[36] = '\n';
        if (write(fd, line, 37) != 37) /* atomic: under PIPE_BUF */
            _exit(5);
    }
}

int main(void)
{
    const char *env = getenv("SKRANKE_CRASH_ROUNDS");
    int rounds = env ? atoi(env) : 200;
    char *dir = test_tmpdir();
    ids = malloc((size_t)MAX_IDS * 37);
    srand((unsigned)time(NULL));
    int opened_ok = 0, all_found = 0;
    /* Kill within this many microseconds; doubled while nothing was stored
     * yet (a slow machine or an emulator needs longer to start a child). */
    useconds_t max_delay = 25000;
    for (int round = 0; round < rounds; round++) {
        int fd = test_kill_child(child, dir, max_delay, round);
        if (fd < 0)
            return 2;
        char line[37];
        ssize_t n;
        while ((n = read(fd, line, 37)) == 37 && n_ids < MAX_IDS) {
            memcpy(ids[n_ids], line, 36);
            ids[n_ids++][36] = '\0';
        }
        close(fd);
        if (!n_ids && max_delay < 5000000)
            max_delay *= 2;

        struct store *s;
        if (store_open(&s, dir, NULL) != STORE_OK) {
            fprintf(stderr, "round %d: the store did not open after the kill\n", round);
            continue;
        }
        opened_ok++;
        struct found f = {0};
        store_foreach_response(s, collect, &f);
        store_close(s);
        if (f.n)
            qsort(f.stored, f.n, 37, cmp_id);
        size_t missing = 0;
        for (size_t i = 0; i < n_ids; i++)
            if (!bsearch(ids[i], f.stored, f.n, 37, cmp_id))
                missing++;
        if (missing)
            fprintf(stderr, "round %d: %zu acknowledged responses are missing\n", round, missing);
        else
            all_found++;
        free(f.stored);
    }
    printf("%d rounds, %zu acknowledged responses checked\n", rounds, n_ids);
    CHECK(opened_ok == rounds);
    CHECK(all_found == rounds);
    CHECK(n_ids > 0);
    test_rmtree(dir);
    free(dir);
    free(ids);
    TEST_END();
}

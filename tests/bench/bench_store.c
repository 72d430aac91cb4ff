/*
 * bench_store.c — measures the store's durable write path through its public
 * API, for scripts/bench.
 *
 *   bench_store latency DIR [N]   N responses (default 2000), one transaction
 *                                 each as the kiosk writes them; prints the
 *                                 latency of each durable commit as
 *                                 "latency n=N p50_ms=… p99_ms=… max_ms=…"
 *   bench_store fill DIR N        puts N responses as fast as the API allows
 *                                 (still one synced transaction each), to
 *                                 give export something to carry; prints
 *                                 "fill n=N seconds=…"
 *
 * Responses look like real ones: a few units and languages, now and then a
 * question left unanswered. The random ids come from store_new_id().
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void make_response(struct response *r, unsigned long i)
{
    static const char *const units[] = {"", "Sygedagpenge", "Kontanthjælp", "Ungeenheden",
                                        "Integration", "Ledighed"};
    static const char *const langs[] = {"da", "da", "da", "en", "uk", "ar"};
    memset(r, 0, sizeof *r);
    store_new_id(r->id);
    strcpy(r->date, "2026-11-24");
    strcpy(r->site, "demo-site");
    strcpy(r->unit, units[i % 6]);
    strcpy(r->language, langs[(i / 6) % 6]);
    for (int q = 0; q < STORE_QUESTIONS; q++)
        r->answers[q] = (uint8_t)((i * 7 + (unsigned long)q * 3) % 6); /* 0 = skipped */
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int open_store(struct store **s, const char *dir)
{
    int rc = store_open(s, dir, NULL);
    if (rc)
        fprintf(stderr, "bench_store: %s: %s\n", dir, store_strerror(rc));
    return rc;
}

static int latency(const char *dir, unsigned long n)
{
    struct store *s;
    if (open_store(&s, dir))
        return 1;
    double *ms = malloc(n * sizeof *ms);
    for (unsigned long i = 0; i < n; i++) {
        struct response r;
        make_response(&r, i);
        double t0 = now_ms();
        int rc = store_put_response(s, &r);
        ms[i] = now_ms() - t0;
        if (rc) {
            fprintf(stderr, "bench_store: put %lu: %s\n", i, store_strerror(rc));
            store_close(s);
            free(ms);
            return 1;
        }
    }
    store_close(s);
    qsort(ms, n, sizeof *ms, cmp_double);
    double total = 0;
    for (unsigned long i = 0; i < n; i++)
        total += ms[i];
    printf("latency n=%lu p50_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f\n", n, ms[n / 2],
           ms[(n * 99) / 100], ms[n - 1], total / (double)n);
    free(ms);
    return 0;
}

static int fill(const char *dir, unsigned long n)
{
    struct store *s;
    if (open_store(&s, dir))
        return 1;
    double t0 = now_ms();
    for (unsigned long i = 0; i < n; i++) {
        struct response r;
        make_response(&r, i);
        int rc = store_put_response(s, &r);
        if (rc) {
            fprintf(stderr, "bench_store: put %lu: %s\n", i, store_strerror(rc));
            store_close(s);
            return 1;
        }
    }
    store_close(s);
    printf("fill n=%lu seconds=%.2f\n", n, (now_ms() - t0) / 1e3);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "latency") == 0) {
        unsigned long n = argc > 3 ? strtoul(argv[3], NULL, 10) : 2000;
        return latency(argv[2], n ? n : 1);
    }
    if (argc == 4 && strcmp(argv[1], "fill") == 0)
        return fill(argv[2], strtoul(argv[3], NULL, 10));
    fprintf(stderr, "usage: bench_store latency DIR [N] | bench_store fill DIR N\n");
    return 2;
}

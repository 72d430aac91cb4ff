/*
 * bench_jobs.c — search latency per keystroke over a store's job openings,
 * as a citizen types: each query is typed letter by letter and then deleted
 * again, and every search is timed. Prints one line of figures for
 * scripts/bench: jobs, load_ms, p50_ms, p99_ms, max_ms, rss_mb.
 *
 * Usage: bench_jobs DATA_DIR
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "jobs_index.h"
#include "store.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_jobs DATA_DIR\n");
        return 2;
    }
    struct store *s;
    if (store_open(&s, argv[1], NULL))
        return 1;
    static struct jobs_index x;
    double t0 = now_ms();
    if (jobs_index_load(&x, s, "2026-11-24"))
        return 1;
    double load = now_ms() - t0;
    static const char *const queries[] = {"sosu hjaelper", "chauffor", "slagelse", "lager korsor",
                                          "paedagog", "it support", "rengoring", "ko"};
    struct jobs_filter any = {-1, -1, -1};
    double times[4096];
    size_t n = 0;
    char typed[64];
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        size_t len = strlen(queries[q]);
        for (size_t i = 1; i <= len && n < 4096; i++) { /* typing */
            memcpy(typed, queries[q], i);
            typed[i] = '\0';
            t0 = now_ms();
            jobs_index_search(&x, typed, &any);
            times[n++] = now_ms() - t0;
        }
        for (size_t i = len; i-- > 0 && n < 4096;) { /* deleting */
            memcpy(typed, queries[q], i);
            typed[i] = '\0';
            t0 = now_ms();
            jobs_index_search(&x, typed, &any);
            times[n++] = now_ms() - t0;
        }
    }
    qsort(times, n, sizeof *times, cmp);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("jobs=%zu load_ms=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f rss_mb=%.1f\n", x.n, load,
           times[n / 2], times[n * 99 / 100], times[n - 1], (double)ru.ru_maxrss / 1024.0);
    jobs_index_free(&x);
    store_close(s);
    return 0;
}

/*
 * test.h — the smallest harness that does the job: CHECK records a failure
 * with file and line and goes on; each test file ends with TEST_END, which
 * prints "N passed, N failed" and sets the exit status for ctest.
 *
 * Helpers for storage tests: a fresh temporary directory per test.
 */
#ifndef SKRANKE_TEST_H
#define SKRANKE_TEST_H

#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_passed, test_failed;

#define CHECK(cond)                                                                               \
    do {                                                                                          \
        if (cond) {                                                                               \
            test_passed++;                                                                        \
        } else {                                                                                  \
            test_failed++;                                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);             \
        }                                                                                         \
    } while (0)

#define CHECK_STR(a, b)                                                                           \
    do {                                                                                          \
        const char *a_ = (a), *b_ = (b);                                                          \
        if (a_ && b_ && strcmp(a_, b_) == 0) {                                                    \
            test_passed++;                                                                        \
        } else {                                                                                  \
            test_failed++;                                                                        \
            fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, a_ ? a_ : "(null)", \
                    b_ ? b_ : "(null)");                                                          \
        }                                                                                         \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                                               \
    do {                                                                                          \
        const char *h_ = (hay), *n_ = (needle);                                                   \
        if (h_ && strstr(h_, n_)) {                                                               \
            test_passed++;                                                                        \
        } else {                                                                                  \
            test_failed++;                                                                        \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,      \
                    h_ ? h_ : "(null)", n_);                                                      \
        }                                                                                         \
    } while (0)

#define TEST_END()                                                                                \
    do {                                                                                          \
        printf("%d passed, %d failed\n", test_passed, test_failed);                               \
        return test_failed ? 1 : 0;                                                               \
    } while (0)

/* A fresh directory under $TMPDIR (or /tmp); the caller frees the string. */
static inline char *test_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *path = malloc(4096);
    snprintf(path, 4096, "%s/skranke-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(path)) {
        perror("mkdtemp");
        exit(2);
    }
    return path;
}

static inline void test_rmtree(const char *path)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", path);
}

#endif

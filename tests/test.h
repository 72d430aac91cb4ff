/*
 * test.h — the smallest harness that does the job: CHECK records a failure
 * with file and line and goes on; each test file ends with TEST_END, which
 * prints "N passed, N failed" and sets the exit status for ctest.
 *
 * Helpers for storage tests: a fresh temporary directory per test, and a
 * child process killed at a random moment.
 */
#ifndef SKRANKE_TEST_H
#define SKRANKE_TEST_H

#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Forks child(dir, fd), which reports what it has done on fd, kills it
 * with SIGKILL after a random delay under max_delay µs (so anywhere: while
 * opening, mid-commit, between commits) and returns the read end of the
 * pipe, holding what the child reported before it died; -1 without a pipe. */
static inline int test_kill_child(void (*child)(const char *dir, int fd), const char *dir,
                                  useconds_t max_delay, int round)
{
    int p[2];
    if (pipe(p))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        child(dir, p[1]);
        _exit(0);
    }
    close(p[1]);
    usleep((useconds_t)rand() % max_delay);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        fprintf(stderr, "round %d: the child exited by itself with %d\n", round,
                WEXITSTATUS(status));
    return p[0];
}

#endif

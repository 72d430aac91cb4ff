/*
 * faultfs.c — an LD_PRELOAD shim that makes one folder behave like a failing
 * USB stick, for tests of the export path.
 *
 * It wraps open/openat (and their 64-bit and fortified variants) to remember
 * which file descriptors refer to something under FAULTFS_PREFIX (the path
 * the kernel reports for the new descriptor, so relative paths, openat on a
 * directory descriptor and symlinks all count), forgets them on close, and
 * fails calls on those descriptors only:
 *
 *   FAULTFS_PREFIX=DIR        the folder that fails (required; nothing fails
 *                             without it)
 *   FAULTFS_FSYNC_EIO=1       fsync and fdatasync return -1 with EIO
 *   FAULTFS_ENOSPC_AFTER=N    the folder has N bytes free, shared by all its
 *                             files: a write that crosses the line is cut
 *                             short, the next one fails with ENOSPC
 *   FAULTFS_FAIL_AT=N         only the Nth write, fsync or read (with
 *                             FAULTFS_FAIL_READS=1) on those descriptors
 *                             fails, with FAULTFS_FAIL_ERRNO (EIO, the
 *                             default, or ENOSPC); the others work
 *   FAULTFS_LOG=FILE          appends one line per injected failure, so a
 *                             test can tell that the shim was loaded and hit;
 *                             with FAULTFS_FAIL_AT=0 one line per call that
 *                             could fail ("faultfs: call N …"), so a test can
 *                             count them
 *
 * Reads fail only with FAULTFS_FAIL_READS and FAULTFS_FAIL_AT.
 *
 * pwritev (LMDB's page writes) fails whole rather than short.
 *
 * Not covered: descriptors copied with dup/dup2/fcntl(F_DUPFD), files opened
 * through stdio (glibc calls its internal open, not the public symbol),
 * mmap writes. The export code uses open/openat, write and fsync.
 *
 * Built without sanitizers. To preload it into an ASan program built by gcc,
 * put the ASan runtime first: LD_PRELOAD="$(gcc -print-file-name=libasan.so)
 * /path/faultfs.so" (tests/test_export_faults.c does this).
 */
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FDS 4096

static unsigned char tracked[MAX_FDS]; /* 1 = under the prefix */
static char prefix[PATH_MAX];
static size_t prefix_len;
static bool fsync_eio;
static bool enospc;
static long long space_left; /* bytes, when enospc */
static bool ready;
static long long fail_at = -1; /* FAULTFS_FAIL_AT; -1 when unset */
static long long calls;
static int fail_errno = EIO;
static bool fail_reads;

static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_open_2)(const char *, int);
static int (*real_open64_2)(const char *, int);
static int (*real_openat_2)(int, const char *, int);
static int (*real_openat64_2)(int, const char *, int);
static int (*real_creat)(const char *, mode_t);
static int (*real_creat64)(const char *, mode_t);
static int (*real_close)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static ssize_t (*real_pwritev64)(int, const struct iovec *, int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

#define RESOLVE(name, sym) (name = name ? name : dlsym(RTLD_NEXT, sym))

static void setup(void)
{
    if (ready)
        return;
    ready = true;
    const char *p = getenv("FAULTFS_PREFIX");
    if (p && *p) {
        /* Compare against what the kernel reports: the canonical path. */
        if (!realpath(p, prefix))
            snprintf(prefix, sizeof prefix, "%s", p);
        prefix_len = strlen(prefix);
        while (prefix_len > 1 && prefix[prefix_len - 1] == '/')
            prefix[--prefix_len] = '\0';
    }
    const char *e = getenv("FAULTFS_FSYNC_EIO");
    fsync_eio = e && *e && strcmp(e, "0") != 0;
    const char *at = getenv("FAULTFS_FAIL_AT");
    if (at && *at)
        fail_at = atoll(at);
    const char *fe = getenv("FAULTFS_FAIL_ERRNO");
    if (fe && strcmp(fe, "ENOSPC") == 0)
        fail_errno = ENOSPC;
    const char *fr = getenv("FAULTFS_FAIL_READS");
    fail_reads = fr && *fr && strcmp(fr, "0") != 0;
    const char *n = getenv("FAULTFS_ENOSPC_AFTER");
    if (n && *n) {
        enospc = true;
        space_left = atoll(n);
    }
}

__attribute__((constructor)) static void faultfs_init(void)
{
    setup();
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
    const char *path = getenv("FAULTFS_LOG");
    if (!path || !*path)
        return;
    RESOLVE(real_open, "open");
    RESOLVE(real_write, "write");
    RESOLVE(real_close, "close");
    char line[PATH_MAX + 128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    int fd = real_open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ssize_t w = real_write(fd, line, (size_t)n);
        (void)w;
        real_close(fd);
    }
}

static bool is_tracked(int fd)
{
    return fd >= 0 && fd < MAX_FDS && __atomic_load_n(&tracked[fd], __ATOMIC_RELAXED);
}

static void fd_path(int fd, char *out, size_t cap)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, cap - 1);
    out[n > 0 ? n : 0] = '\0';
}

/* Called after every successful open: is the new descriptor ours? */
static int track(int fd)
{
    if (fd < 0 || fd >= MAX_FDS)
        return fd;
    bool mine = false;
    if (prefix_len) {
        int saved = errno;
        char path[PATH_MAX];
        fd_path(fd, path, sizeof path);
        mine = strncmp(path, prefix, prefix_len) == 0 &&
               (path[prefix_len] == '/' || path[prefix_len] == '\0' || prefix_len == 1);
        errno = saved;
    }
    __atomic_store_n(&tracked[fd], mine, __ATOMIC_RELAXED);
    return fd;
}

static mode_t mode_arg(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    RESOLVE(real_open, "open");
    return track(real_open(path, flags, mode));
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    RESOLVE(real_open64, "open64");
    return track(real_open64(path, flags, mode));
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    RESOLVE(real_openat, "openat");
    return track(real_openat(dirfd, path, flags, mode));
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    RESOLVE(real_openat64, "openat64");
    return track(real_openat64(dirfd, path, flags, mode));
}

int __open_2(const char *path, int flags);
int __open_2(const char *path, int flags)
{
    RESOLVE(real_open_2, "__open_2");
    return track(real_open_2(path, flags));
}

int __open64_2(const char *path, int flags);
int __open64_2(const char *path, int flags)
{
    RESOLVE(real_open64_2, "__open64_2");
    return track(real_open64_2(path, flags));
}

int __openat_2(int dirfd, const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags)
{
    RESOLVE(real_openat_2, "__openat_2");
    return track(real_openat_2(dirfd, path, flags));
}

int __openat64_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags)
{
    RESOLVE(real_openat64_2, "__openat64_2");
    return track(real_openat64_2(dirfd, path, flags));
}

int creat(const char *path, mode_t mode)
{
    RESOLVE(real_creat, "creat");
    return track(real_creat(path, mode));
}

int creat64(const char *path, mode_t mode)
{
    RESOLVE(real_creat64, "creat64");
    return track(real_creat64(path, mode));
}

int close(int fd)
{
    RESOLVE(real_close, "close");
    if (fd >= 0 && fd < MAX_FDS)
        __atomic_store_n(&tracked[fd], 0, __ATOMIC_RELAXED);
    return real_close(fd);
}

/* With FAULTFS_FAIL_AT: counts a call on a tracked fd and fails the Nth
 * (-1 with errno); 0 otherwise. */
static int counted(int fd, const char *what)
{
    if (fail_at < 0 || !is_tracked(fd))
        return 0;
    long long n = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
    char path[PATH_MAX];
    if (fail_at == 0 || n == fail_at)
        fd_path(fd, path, sizeof path);
    if (fail_at == 0) {
        note("faultfs: call %lld %s(%s)", n, what, path);
        return 0;
    }
    if (n != fail_at)
        return 0;
    note("faultfs: %s(%s): %s", what, path, fail_errno == ENOSPC ? "ENOSPC" : "EIO");
    errno = fail_errno;
    return -1;
}

/* How much of a write of n bytes to fd may happen; -1 with errno when none. */
static ssize_t allowance(int fd, size_t n)
{
    if (counted(fd, "write"))
        return -1;
    if (!enospc || !is_tracked(fd))
        return (ssize_t)n;
    long long left = __atomic_load_n(&space_left, __ATOMIC_RELAXED);
    if (left <= 0) {
        char path[PATH_MAX];
        fd_path(fd, path, sizeof path);
        note("faultfs: write(%s, %zu bytes): ENOSPC", path, n);
        errno = ENOSPC;
        return -1;
    }
    size_t take = (unsigned long long)left < n ? (size_t)left : n;
    __atomic_sub_fetch(&space_left, (long long)take, __ATOMIC_RELAXED);
    return (ssize_t)take;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    RESOLVE(real_write, "write");
    ssize_t take = allowance(fd, n);
    return take < 0 ? -1 : real_write(fd, buf, (size_t)take);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    RESOLVE(real_pwrite, "pwrite");
    ssize_t take = allowance(fd, n);
    return take < 0 ? -1 : real_pwrite(fd, buf, (size_t)take, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    RESOLVE(real_pwrite64, "pwrite64");
    ssize_t take = allowance(fd, n);
    return take < 0 ? -1 : real_pwrite64(fd, buf, (size_t)take, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    RESOLVE(real_writev, "writev");
    if (counted(fd, "writev"))
        return -1;
    if (!enospc || !is_tracked(fd))
        return real_writev(fd, iov, cnt);
    /* Rare here: write the vectors one by one within the allowance. */
    ssize_t total = 0;
    for (int i = 0; i < cnt; i++) {
        ssize_t w = write(fd, iov[i].iov_base, iov[i].iov_len);
        if (w < 0)
            return total ? total : -1;
        total += w;
        if ((size_t)w < iov[i].iov_len)
            break;
    }
    return total;
}

static int sync_fault(int fd, const char *what)
{
    if (counted(fd, what))
        return -1;
    if (!fsync_eio || !is_tracked(fd))
        return 0;
    char path[PATH_MAX];
    fd_path(fd, path, sizeof path);
    note("faultfs: %s(%s): EIO", what, path);
    errno = EIO;
    return -1;
}

int fsync(int fd)
{
    RESOLVE(real_fsync, "fsync");
    return sync_fault(fd, "fsync") ? -1 : real_fsync(fd);
}

int fdatasync(int fd)
{
    RESOLVE(real_fdatasync, "fdatasync");
    return sync_fault(fd, "fdatasync") ? -1 : real_fdatasync(fd);
}

ssize_t read(int fd, void *buf, size_t n)
{
    RESOLVE(real_read, "read");
    if (fail_reads && counted(fd, "read"))
        return -1;
    return real_read(fd, buf, n);
}

/* LMDB writes its pages with pwritev: all or nothing here. */
static ssize_t vec_fault(int fd, const struct iovec *iov, int cnt)
{
    size_t n = 0;
    for (int i = 0; i < cnt; i++)
        n += iov[i].iov_len;
    ssize_t take = allowance(fd, n);
    if (take >= 0 && (size_t)take < n) {
        errno = ENOSPC;
        return -1;
    }
    return take < 0 ? -1 : 0;
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
    RESOLVE(real_pwritev, "pwritev");
    return vec_fault(fd, iov, cnt) ? -1 : real_pwritev(fd, iov, cnt, off);
}

ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
    RESOLVE(real_pwritev64, "pwritev64");
    return vec_fault(fd, iov, cnt) ? -1 : real_pwritev64(fd, iov, cnt, off);
}

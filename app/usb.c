/*
 * usb.c — the stick reader; see usb.h.
 *
 * Listing an inbox reads every name in it (names cost next to nothing) up
 * to NAMES_MAX, but opens only names ending in .json, at most as many as
 * the caller has room for. Whatever is not looked at is said, in the last
 * entry of the list: how many batches did not fit, or that the folder has
 * more entries than the kiosk reads, so a good batch is never skipped
 * without a word.
 */
#define _GNU_SOURCE
#include "usb.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "util.h"

/* a + "/" + b into out; false when it does not fit. */
static bool join(char *out, size_t cap, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la + 1 + lb + 1 > cap)
        return false;
    memcpy(out, a, la);
    out[la] = '/';
    memcpy(out + la + 1, b, lb + 1);
    return true;
}

static bool real_dir(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool plain_name(const char *name)
{
    size_t n = strlen(name);
    if (!n || n > NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strchr(name, '/') ||
        strstr(name, "..") || !utf8_valid(name, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7F)
            return false;
    return true;
}

static bool skranke_in(const char *base, char *dir, size_t cap)
{
    return join(dir, cap, base, "skranke") && real_dir(dir);
}

bool usb_find(const char *root, char *dir, size_t cap)
{
    DIR *d = opendir(root);
    if (!d)
        return false;
    struct dirent *e;
    bool found = false;
    int seen = 0;
    while (!found && (e = readdir(d)) && seen++ < 64) {
        if (e->d_name[0] == '.' || !plain_name(e->d_name))
            continue;
        char one[4096];
        if (!join(one, sizeof one, root, e->d_name) || !real_dir(one))
            continue;
        if (skranke_in(one, dir, cap)) {
            found = true;
            break;
        }
        DIR *d2 = opendir(one);
        struct dirent *e2;
        int seen2 = 0;
        while (d2 && !found && (e2 = readdir(d2)) && seen2++ < 64) {
            if (e2->d_name[0] == '.' || !plain_name(e2->d_name))
                continue;
            char two[4096];
            found = join(two, sizeof two, one, e2->d_name) && real_dir(two) &&
                    skranke_in(two, dir, cap);
        }
        if (d2)
            closedir(d2);
    }
    closedir(d);
    return found;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct usb_file *)a)->name, ((const struct usb_file *)b)->name);
}

#define NAMES_MAX 1000000

/* Fills f for the batch name in the open inbox d (path inbox/name). */
static void look_at(struct usb_file *f, DIR *d, const char *inbox, const char *name)
{
    memset(f, 0, sizeof *f);
    if (!plain_name(name)) {
        snprintf(f->name, sizeof f->name, "(a file with an unreadable name)");
        snprintf(f->why, sizeof f->why, "the name has characters that are not allowed");
        return;
    }
    snprintf(f->name, sizeof f->name, "%s", name);
    if (!join(f->path, sizeof f->path, inbox, name)) {
        snprintf(f->why, sizeof f->why,
                 "the path on the stick is too long (%zu bytes; at most %zu): use a shorter name",
                 strlen(inbox) + 1 + strlen(name), sizeof f->path - 1);
        f->path[0] = '\0';
        return;
    }
    int fd = openat(dirfd(d), name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        snprintf(f->why, sizeof f->why, "%s",
                 errno == ELOOP ? "a link, not a file" : strerror(errno));
    } else if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        snprintf(f->why, sizeof f->why, "not a regular file");
    } else if ((uint64_t)st.st_size > BATCH_JOBS_MAX_BYTES) {
        snprintf(f->why, sizeof f->why, "too large (%lld MiB; at most %u MiB)",
                 (long long)(st.st_size >> 20), BATCH_JOBS_MAX_BYTES >> 20);
    } else {
        f->ok = true;
    }
    if (fd >= 0)
        close(fd);
}

size_t usb_list_inbox(const char *dir, struct usb_file *files, size_t max)
{
    char inbox[4096];
    if (!max || !join(inbox, sizeof inbox, dir, "inbox") || !real_dir(inbox))
        return 0;
    DIR *d = opendir(inbox);
    if (!d)
        return 0;
    size_t n = 0, left_out = 0, seen = 0;
    bool cut = false;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (++seen > NAMES_MAX) {
            cut = true;
            break;
        }
        const char *name = e->d_name;
        size_t len = strlen(name);
        if (name[0] == '.' || len < 6 || strcmp(name + len - 5, ".json") != 0)
            continue; /* signatures and anything else are not batches */
        if (n + 1 < max)
            look_at(&files[n++], d, inbox, name);
        else
            left_out++;
    }
    closedir(d);
    qsort(files, n, sizeof *files, by_name);
    if (left_out || cut) {
        struct usb_file *f = &files[n++];
        memset(f, 0, sizeof *f);
        snprintf(f->name, sizeof f->name, "skranke/inbox");
        if (cut)
            snprintf(f->why, sizeof f->why,
                     "more than %d entries: the rest were not looked at; keep fewer files in "
                     "the inbox", NAMES_MAX);
        else
            snprintf(f->why, sizeof f->why,
                     "%zu more batches were not read (at most %zu at a time); import these, "
                     "then the rest", left_out, max - 1);
    }
    return n;
}

bool usb_outbox(const char *dir, char *out, size_t cap, char *why, size_t why_cap)
{
    if (!join(out, cap, dir, "outbox")) {
        snprintf(why, why_cap, "the path is too long");
        return false;
    }
    struct stat st;
    if (lstat(out, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return true;
        snprintf(why, why_cap, "skranke/outbox on the stick is not a folder");
        return false;
    }
    if (mkdir(out, 0755) == 0)
        return true;
    snprintf(why, why_cap, "cannot make skranke/outbox on the stick: %s", strerror(errno));
    return false;
}

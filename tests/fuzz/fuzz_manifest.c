/*
 * fuzz_manifest.c — libFuzzer target for batch_verify() (FORMATS.md
 * section 4), which reads a manifest.json that comes back on a USB stick and
 * so from outside.
 *
 * A batch directory is made once under $TMPDIR, holding the three data files
 * of a small real export; each input is written there as manifest.json and
 * verified. The seeds in corpus/manifest/ list those files with their true
 * sizes and SHA-256, so that mutations reach the per-file checks and not
 * only the JSON reader. Invariants: the result is 0 or STORE_EINVAL, a
 * refusal says why in one line, and verifying changes nothing on disk.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The files of the seed batch. The seeds' manifests list them by size and
 * SHA-256 (responses.csv 242 bytes, 3097a14c…; responses.jsonl 386, 45f8d765…;
 * checkins.csv 172, fb669a06…): change a text here, remake the seeds. */
static const struct {
    const char *name, *text;
} files[] = {
    {"responses.csv",
     "\xEF\xBB\xBF"
     "response_id;date;site;unit;language;empowerment;ressourcefokus;progression;vaerdighed\r\n"
     "0b7e1c52-3f4a-4d8e-9a61-2c5f0e9d7b13;2026-11-24;demo-site;;da;5;4;;3\r\n"
     "9d2f6a80-1e3b-4c7d-8f25-6b0a3e1c9d47;2026-11-24;demo-site;Ungeenheden;uk;1;2;3;4\r\n"},
    {"responses.jsonl",
     "{\"response_id\":\"0b7e1c52-3f4a-4d8e-9a61-2c5f0e9d7b13\",\"date\":\"2026-11-24\","
     "\"site\":\"demo-site\",\"unit\":\"\",\"language\":\"da\",\"empowerment\":5,"
     "\"ressourcefokus\":4,\"progression\":null,\"vaerdighed\":3}\n"
     "{\"response_id\":\"9d2f6a80-1e3b-4c7d-8f25-6b0a3e1c9d47\",\"date\":\"2026-11-24\","
     "\"site\":\"demo-site\",\"unit\":\"Ungeenheden\",\"language\":\"uk\",\"empowerment\":1,"
     "\"ressourcefokus\":2,\"progression\":3,\"vaerdighed\":4}\n"},
    {"checkins.csv",
     "\xEF\xBB\xBF"
     "checkin_id;date;time;site;kind;code;unit;session_id;ticket;result\r\n"
     "5c8e2d14-7a9b-4f36-b1e0-3d6c9a2f8e05;2026-11-24;09:28;demo-site;appointment;K7M2QX;"
     "Sygedagpenge;;;ok\r\n"},
};
#define N_FILES (sizeof files / sizeof *files)

static char dir[4096];
static struct stat before[N_FILES];

static void fail(const char *what)
{
    fprintf(stderr, "fuzz invariant broken: %s\n", what);
    abort();
}

static void write_file(const char *name, const void *data, size_t len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        fail("cannot write into the batch directory");
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n <= 0)
            fail("cannot write into the batch directory");
        p += n;
        len -= (size_t)n;
    }
    close(fd);
}

static void remove_dir(void)
{
    char path[4200];
    for (size_t i = 0; i < N_FILES; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/skranke-fuzz-manifest-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        fail("cannot create the batch directory");
    for (size_t i = 0; i < N_FILES; i++) {
        write_file(files[i].name, files[i].text, strlen(files[i].text));
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        stat(path, &before[i]);
    }
    atexit(remove_dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_file("manifest.json", data, size);
    struct buf err;
    buf_init(&err);
    int rc = batch_verify(dir, &err);
    if (rc != 0 && rc != STORE_EINVAL)
        fail("batch_verify returned neither 0 nor STORE_EINVAL");
    if (rc == 0 && err.len)
        fail("verified, yet with a message");
    if (rc && (!err.len || strlen(err.data) != err.len || strchr(err.data, '\n')))
        fail("refused without a one-line message");
    if (rc && strstr(err.data, dir) != err.data)
        fail("the message does not start with the path it is about");
    for (size_t i = 0; i < N_FILES; i++) {
        char path[4200];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        if (stat(path, &st) || st.st_size != before[i].st_size ||
            st.st_mtim.tv_nsec != before[i].st_mtim.tv_nsec ||
            st.st_mtim.tv_sec != before[i].st_mtim.tv_sec)
            fail("verifying changed a data file");
    }
    buf_free(&err);
    return 0;
}

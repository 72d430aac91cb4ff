/*
 * minisign.c — minisign-compatible signing and verification; see
 * minisign.h. File layouts (all base64 lines after an "untrusted comment:"):
 *   public key  "Ed" key_id[8] pk[32]
 *   secret key  "Ed" kdf[2]="\0\0" "B2" salt[32] ops[8] mem[8]
 *               key_id[8] sk[64] checksum[32]   (BLAKE2b-256 of
 *               "Ed" key_id sk)
 *   signature   "ED"|"Ed" key_id[8] sig[64], then "trusted comment: …"
 *               and base64(sig over sig[64] || comment)
 */
#define _GNU_SOURCE
#include "minisign.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "store.h"

#define SIG_MAX 16384
#define LEGACY_MAX (64u << 20)

static bool b64(const char *text, size_t len, unsigned char *out, size_t want)
{
    size_t n = 0;
    return sodium_base642bin(out, want, text, len, NULL, &n, NULL,
                             sodium_base64_VARIANT_ORIGINAL) == 0 &&
           n == want;
}

bool minisign_parse_key(const char *base64, struct minisign_key *out)
{
    unsigned char raw[42];
    if (!b64(base64, strlen(base64), raw, sizeof raw) || raw[0] != 'E' || raw[1] != 'd')
        return false;
    memcpy(out->id, raw + 2, 8);
    memcpy(out->pk, raw + 10, 32);
    return true;
}

/* Reads the small text file name (in dirfd, AT_FDCWD for a path) whole: a
 * regular file of at most max bytes, never through a link, and opened
 * without blocking, so a FIFO or a device on a stick cannot hang the kiosk. */
static char *slurp_at(int dirfd, const char *name, size_t max, size_t *len, struct buf *why)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    bool regular = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (!regular || (size_t)st.st_size > max) {
        buf_printf(why, "%s: %s", name,
                   fd < 0 ? (errno == ELOOP ? "a link, not a file; refused" : strerror(errno))
                   : !regular ? "not a regular file; refused"
                              : "too large; refused");
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    char *data = xmalloc((size_t)st.st_size + 1);
    size_t got = 0;
    ssize_t n = 0;
    while (got < (size_t)st.st_size &&
           ((n = read(fd, data + got, (size_t)st.st_size - got)) > 0 || (n < 0 && errno == EINTR)))
        got += n > 0 ? (size_t)n : 0;
    int rd = n < 0 ? errno : 0;
    close(fd);
    if (got != (size_t)st.st_size) {
        buf_printf(why, "%s: cannot read: %s", name, rd ? strerror(rd) : "it changed size");
        free(data);
        return NULL;
    }
    data[got] = '\0';
    *len = got;
    return data;
}

static char *slurp(const char *path, size_t max, size_t *len, struct buf *why)
{
    return slurp_at(AT_FDCWD, path, max, len, why);
}

/* Splits text into lines (in place); returns the count, at most max. */
static int lines(char *text, char **out, int max)
{
    int n = 0;
    char *p = text;
    while (*p && n < max) {
        out[n++] = p;
        char *e = strchr(p, '\n');
        if (!e)
            break;
        if (e > p && e[-1] == '\r')
            e[-1] = '\0';
        *e = '\0';
        p = e + 1;
    }
    return n;
}

bool minisign_read_key_file(const char *path, struct minisign_key *out, struct buf *why)
{
    size_t len;
    char *text = slurp(path, 4096, &len, why), *l[4];
    if (!text)
        return false;
    int n = lines(text, l, 4);
    bool ok = n >= 2 && strncmp(l[0], "untrusted comment:", 18) == 0 &&
              minisign_parse_key(l[1], out);
    if (!ok)
        buf_printf(why, "%s: not a minisign public key file", path);
    free(text);
    return ok;
}

size_t minisign_parse_keys(const char *list, struct minisign_key *keys, size_t max)
{
    char *copy = xstrdup(list), *save = NULL;
    size_t n = 0;
    for (char *t = strtok_r(copy, ", ", &save); t && n < max; t = strtok_r(NULL, ", ", &save))
        if (minisign_parse_key(t, &keys[n]))
            n++;
    free(copy);
    return n;
}

static void key_id_hex(const uint8_t id[8], char out[17])
{
    /* minisign prints the id as a little-endian 64-bit number in hex. */
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02X", id[7 - i]);
}

int minisign_verify_fd(int fd, const char *sig_path, const struct minisign_key *keys, size_t n,
                       struct buf *why)
{
    size_t len;
    char *text = slurp(sig_path, SIG_MAX, &len, why), *l[5];
    if (!text)
        return STORE_EINVAL;
    int rc = STORE_EINVAL;
    unsigned char sig[74], global[64];
    int nl = lines(text, l, 5);
    if (nl < 4 || strncmp(l[0], "untrusted comment:", 18) != 0 ||
        !b64(l[1], strlen(l[1]), sig, sizeof sig) ||
        strncmp(l[2], "trusted comment: ", 17) != 0 ||
        !b64(l[3], strlen(l[3]), global, sizeof global) || sig[0] != 'E' ||
        (sig[1] != 'D' && sig[1] != 'd')) {
        buf_printf(why, "%s: not a minisign signature", sig_path);
        goto out;
    }
    const struct minisign_key *key = NULL;
    for (size_t i = 0; i < n && !key; i++)
        if (memcmp(keys[i].id, sig + 2, 8) == 0)
            key = &keys[i];
    if (!key) {
        char hex[17];
        key_id_hex(sig + 2, hex);
        buf_printf(why, "%s: signed with key %s, which is not a trusted key", sig_path, hex);
        goto out;
    }
    bool prehashed = sig[1] == 'D';
    if (lseek(fd, 0, SEEK_SET) != 0) {
        buf_printf(why, "cannot read the signed file");
        goto out;
    }
    bool good;
    unsigned char chunk[65536];
    ssize_t r;
    if (prehashed) {
        crypto_generichash_state st;
        unsigned char hash[64];
        crypto_generichash_init(&st, NULL, 0, sizeof hash);
        while ((r = read(fd, chunk, sizeof chunk)) > 0)
            crypto_generichash_update(&st, chunk, (size_t)r);
        crypto_generichash_final(&st, hash, sizeof hash);
        good = r == 0 && crypto_sign_verify_detached(sig + 10, hash, sizeof hash, key->pk) == 0;
    } else {
        struct buf all;
        buf_init(&all);
        while ((r = read(fd, chunk, sizeof chunk)) > 0 && all.len <= LEGACY_MAX)
            buf_put(&all, chunk, (size_t)r);
        good = r == 0 && crypto_sign_verify_detached(sig + 10, (unsigned char *)all.data,
                                                     all.len, key->pk) == 0;
        buf_free(&all);
    }
    lseek(fd, 0, SEEK_SET);
    if (!good) {
        buf_printf(why, "%s: the signature does not match the file (changed or damaged)",
                   sig_path);
        goto out;
    }
    const char *comment = l[2] + 17;
    size_t clen = strlen(comment);
    unsigned char *msg = xmalloc(64 + clen);
    memcpy(msg, sig + 10, 64);
    memcpy(msg + 64, comment, clen);
    good = crypto_sign_verify_detached(global, msg, 64 + clen, key->pk) == 0;
    free(msg);
    if (!good) {
        buf_printf(why, "%s: the trusted comment was changed", sig_path);
        goto out;
    }
    rc = 0;
out:
    free(text);
    return rc;
}

static int write_new_at(int dirfd, const char *path, const char *text, mode_t mode,
                        struct buf *why)
{
    int fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        buf_printf(why, "%s: %s", path, strerror(errno));
        return STORE_EIO;
    }
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    int e = n < 0 ? errno : n != (ssize_t)len ? ENOSPC : fsync(fd) ? errno : 0;
    if (close(fd) && !e)
        e = errno;
    if (e) {
        buf_printf(why, "%s: cannot write: %s", path, strerror(e));
        unlinkat(dirfd, path, 0);
        return STORE_EIO;
    }
    return 0;
}

static int write_new(const char *path, const char *text, mode_t mode, struct buf *why)
{
    return write_new_at(AT_FDCWD, path, text, mode, why);
}

static void checksum(const unsigned char id[8], const unsigned char sk[64], unsigned char out[32])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const unsigned char *)"Ed", 2);
    crypto_generichash_update(&st, id, 8);
    crypto_generichash_update(&st, sk, 64);
    crypto_generichash_final(&st, out, 32);
}

int minisign_keygen(const char *prefix, struct buf *pub_base64, struct buf *why)
{
    unsigned char pk[32], sk[64], id[8];
    crypto_sign_keypair(pk, sk);
    randombytes_buf(id, sizeof id);
    unsigned char pub[42] = {'E', 'd'};
    memcpy(pub + 2, id, 8);
    memcpy(pub + 10, pk, 32);
    unsigned char sec[158] = {'E', 'd', 0, 0, 'B', '2'};
    /* salt[32], opslimit[8], memlimit[8]: unused without a password */
    memcpy(sec + 54, id, 8);
    memcpy(sec + 62, sk, 64);
    checksum(id, sk, sec + 126);
    char b_pub[sodium_base64_ENCODED_LEN(42, sodium_base64_VARIANT_ORIGINAL)];
    char b_sec[sodium_base64_ENCODED_LEN(158, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b_pub, sizeof b_pub, pub, sizeof pub, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(b_sec, sizeof b_sec, sec, sizeof sec, sodium_base64_VARIANT_ORIGINAL);
    char hex[17];
    key_id_hex(id, hex);
    struct buf p, s;
    buf_init(&p);
    buf_init(&s);
    buf_printf(&p, "%s.pub", prefix);
    buf_printf(&s, "%s.key", prefix);
    struct buf text;
    buf_init(&text);
    buf_printf(&text, "untrusted comment: minisign secret key %s (skranke kiosk, unencrypted)\n%s\n",
               hex, b_sec);
    int rc = write_new(s.data, text.data, 0600, why);
    if (!rc) {
        buf_clear(&text);
        buf_printf(&text, "untrusted comment: minisign public key %s\n%s\n", hex, b_pub);
        rc = write_new(p.data, text.data, 0644, why);
        if (rc)
            unlink(s.data);
    }
    if (!rc && pub_base64)
        buf_puts(pub_base64, b_pub);
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(sec, sizeof sec);
    sodium_memzero(b_sec, sizeof b_sec);
    sodium_memzero(text.data, text.cap);
    buf_free(&text);
    buf_free(&p);
    buf_free(&s);
    return rc;
}

int minisign_sign_at(const char *key_path, int dirfd, const char *path, const char *sig_path,
                     const char *trusted_comment, struct buf *why)
{
    size_t len;
    char *text = slurp(key_path, 4096, &len, why), *l[3];
    if (!text)
        return STORE_EINVAL;
    unsigned char sec[158], chk[32];
    int nl = lines(text, l, 3), rc = STORE_EINVAL;
    if (nl < 2 || !b64(l[1], strlen(l[1]), sec, sizeof sec) || sec[0] != 'E' || sec[1] != 'd' ||
        sec[4] != 'B' || sec[5] != '2') {
        buf_printf(why, "%s: not a minisign secret key", key_path);
        goto out;
    }
    if (sec[2] || sec[3]) {
        buf_printf(why, "%s: the key is protected by a password; the kiosk needs one without "
                        "(minisign -G -W)", key_path);
        goto out;
    }
    checksum(sec + 54, sec + 62, chk);
    if (sodium_memcmp(chk, sec + 126, 32) != 0) {
        buf_printf(why, "%s: the secret key is damaged (checksum)", key_path);
        goto out;
    }
    int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat fs;
    if (fd < 0 || fstat(fd, &fs) || !S_ISREG(fs.st_mode)) {
        buf_printf(why, "%s: %s", path, fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        rc = STORE_EIO;
        goto out;
    }
    crypto_generichash_state st;
    unsigned char hash[64], chunk[65536];
    crypto_generichash_init(&st, NULL, 0, sizeof hash);
    ssize_t r;
    while ((r = read(fd, chunk, sizeof chunk)) > 0 || (r < 0 && errno == EINTR))
        if (r > 0)
            crypto_generichash_update(&st, chunk, (size_t)r);
    int rd = r < 0 ? errno : 0;
    close(fd);
    crypto_generichash_final(&st, hash, sizeof hash);
    if (rd) {
        /* Never sign what was only partly read. */
        buf_printf(why, "%s: cannot read: %s", path, strerror(rd));
        rc = STORE_EIO;
        goto out;
    }
    unsigned char sig[74] = {'E', 'D'}, global[64];
    memcpy(sig + 2, sec + 54, 8);
    crypto_sign_detached(sig + 10, NULL, hash, sizeof hash, sec + 62);
    size_t clen = strlen(trusted_comment);
    unsigned char *msg = xmalloc(64 + clen);
    memcpy(msg, sig + 10, 64);
    memcpy(msg + 64, trusted_comment, clen);
    crypto_sign_detached(global, NULL, msg, 64 + clen, sec + 62);
    free(msg);
    char b_sig[sodium_base64_ENCODED_LEN(74, sodium_base64_VARIANT_ORIGINAL)];
    char b_glob[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b_sig, sizeof b_sig, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(b_glob, sizeof b_glob, global, sizeof global,
                      sodium_base64_VARIANT_ORIGINAL);
    struct buf out;
    buf_init(&out);
    buf_printf(&out, "untrusted comment: signature from skranke kiosk key\n%s\ntrusted comment: %s\n%s\n",
               b_sig, trusted_comment, b_glob);
    unlinkat(dirfd, sig_path, 0);
    rc = write_new_at(dirfd, sig_path, out.data, 0644, why);
    buf_free(&out);
out:
    sodium_memzero(sec, sizeof sec);
    if (text)
        sodium_memzero(text, len);
    free(text);
    return rc;
}

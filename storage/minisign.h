/*
 * minisign.h — Ed25519 signatures compatible with the minisign tool
 * (FORMATS.md section 3), on libsodium.
 *
 * Verification accepts the prehashed form (algorithm "ED": the signature is
 * over the BLAKE2b-512 hash of the file, minisign's default) and the legacy
 * form ("Ed": over the file itself), and always checks the trusted comment's
 * signature too. Key generation writes an unencrypted minisign secret key
 * (as `minisign -G -W` does), so `minisign -S -s` can use it as well, and a
 * public key file that `minisign -V -p` reads.
 *
 * Files are opened without following links and without blocking, and read
 * only when they are regular files within their size limit.
 *
 * Caveats: signature files are at most 16 KiB; legacy ("Ed") signatures are
 * checked over the whole file in memory, so at most 64 MiB.
 */
#ifndef SKRANKE_MINISIGN_H
#define SKRANKE_MINISIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct minisign_key {
    uint8_t id[8];
    uint8_t pk[32];
};

/* The base64 text of a public key (a .pub file's second line). */
bool minisign_parse_key(const char *base64, struct minisign_key *out);
/* Reads a .pub file. False with the reason in why. */
bool minisign_read_key_file(const char *path, struct minisign_key *out, struct buf *why);
/* Parses the comma-separated keys of the `trusted_keys` setting into
 * keys[max]; returns how many. */
size_t minisign_parse_keys(const char *list, struct minisign_key *keys, size_t max);

/* Verifies the file open on fd (read from its start) against the signature
 * file sig_path with any of keys. 0 when it verifies; STORE_EINVAL with the
 * reason in why (one sentence) when not. */
int minisign_verify_fd(int fd, const char *sig_path, const struct minisign_key *keys, size_t n,
                       struct buf *why);

/* Makes a key pair: PREFIX.key (mode 0600) and PREFIX.pub. Refuses to
 * overwrite. The public key's base64 goes to pub_base64 when not NULL. */
int minisign_keygen(const char *prefix, struct buf *pub_base64, struct buf *why);
/* Signs path (prehashed; relative to dirfd, or AT_FDCWD) with the secret
 * key file, writing sig_path (relative to dirfd too), with trusted_comment.
 * Neither is opened through a link; path must be a regular file read to its
 * end without an error (a partly read file is never signed). The signature
 * file is fsynced. STORE_EINVAL for a bad key, STORE_EIO with the reason in
 * why when a file cannot be read or written. */
int minisign_sign_at(const char *key_path, int dirfd, const char *path, const char *sig_path,
                     const char *trusted_comment, struct buf *why);

#endif

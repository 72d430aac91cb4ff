/*
 * record.h — how records are laid out as bytes in the store.
 *
 * Every record starts with a type byte and a version byte, then its fields in
 * a fixed order: integers as little-endian u32/u64, texts as a u32 length,
 * the bytes and a NUL (so a decoded copy can be read in place). Decoders
 * check every length against the bytes at hand and the field's capacity, and
 * fail cleanly (false) on anything else: truncation, a wrong type or version,
 * a missing NUL, a NUL inside a text, or bytes left over.
 *
 * Decoders of records with variable texts (jobs, sessions) point into the
 * bytes they are given: keep those alive as long as the decoded struct.
 */
#ifndef SKRANKE_RECORD_H
#define SKRANKE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "util.h"

enum rec_type {
    REC_RESPONSE = 'R',
    REC_CHECKIN = 'C',
    REC_JOB = 'J',
    REC_APPOINTMENT = 'A',
    REC_SESSION = 'S',
    REC_EXPORT = 'E',
    REC_JOBS_INFO = 'I',
    REC_SCHEDULE_INFO = 'D',
};

/* Low-level writer and reader, used by the codecs below. */
void rec_begin(struct buf *b, enum rec_type type, uint8_t version);
void rec_u32(struct buf *b, uint32_t v);
void rec_u64(struct buf *b, uint64_t v);
void rec_str(struct buf *b, const char *s);

struct rec_reader {
    const uint8_t *p, *end;
    bool ok;
};

bool rec_open(struct rec_reader *r, const void *data, size_t len, enum rec_type type,
              uint8_t version);
uint32_t rec_get_u32(struct rec_reader *r);
uint64_t rec_get_u64(struct rec_reader *r);
/* Points into the record; NULL (and r->ok false) when malformed. */
const char *rec_get_str(struct rec_reader *r);
/* Copies into dst[cap]; fails when it does not fit. */
bool rec_get_str_into(struct rec_reader *r, char *dst, size_t cap);
/* True when every read succeeded and nothing is left over. */
bool rec_close(struct rec_reader *r);

void rec_encode_response(struct buf *b, const struct response *r);
bool rec_decode_response(const void *data, size_t len, struct response *out);
void rec_encode_checkin(struct buf *b, const struct checkin *c);
bool rec_decode_checkin(const void *data, size_t len, struct checkin *out);
void rec_encode_job(struct buf *b, const struct job *j);
bool rec_decode_job(const void *data, size_t len, struct job *out);
void rec_encode_appointment(struct buf *b, const struct appointment *a);
bool rec_decode_appointment(const void *data, size_t len, struct appointment *out);
/* participants of the decoded session point into data. */
void rec_encode_session(struct buf *b, const struct session *s);
bool rec_decode_session(const void *data, size_t len, struct session *out);
void rec_encode_export(struct buf *b, const struct export_log *e);
bool rec_decode_export(const void *data, size_t len, struct export_log *out);
void rec_encode_jobs_info(struct buf *b, const struct jobs_info *i);
bool rec_decode_jobs_info(const void *data, size_t len, struct jobs_info *out);
void rec_encode_schedule_info(struct buf *b, const struct schedule_info *i);
bool rec_decode_schedule_info(const void *data, size_t len, struct schedule_info *out);

#endif

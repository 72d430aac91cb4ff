/*
 * store.h — the kiosk's only store: LMDB in one directory, behind an opaque
 * handle. Nothing outside storage/ includes <lmdb.h>.
 *
 * Caveats:
 * - Durability is never traded away: every write below returns only after
 *   its transaction is synced to disk (LMDB's default flags: no option that
 *   skips or defers a sync, no writable map). A write that returned STORE_OK
 *   survives a power cut.
 * - A write that returns an error changed nothing.
 * - When the map is full, a write grows it (doubling) and retries, up to the
 *   ceiling in store_options (or the `map_max_mb` setting). Past the ceiling
 *   the write fails with STORE_EFULL and nothing is lost. Export and purge,
 *   which empty a full store, may pass the ceiling by an eighth (at least
 *   1 MiB), so a full store can always be emptied.
 * - The handle may be shared by threads: reads run concurrently, writes are
 *   serialised by LMDB. Growing the map briefly waits for every reader.
 * - Callbacks of the store_foreach_* functions run inside a read
 *   transaction: the record they get is valid only during the call, and they
 *   must not call back into the store.
 * - Opening a store written by a newer format refuses (STORE_ENEWER); an
 *   older one is migrated in one transaction at open.
 * - When the disk under the store is full, a write fails with STORE_ENOSPC
 *   (not STORE_EIO) and changed nothing.
 * - Deciding an export batch rewrites every record waiting for export in
 *   one transaction (within the same reserve as export and purge), so a
 *   store nearly at its ceiling with most of it waiting may need
 *   map_max_mb raised once to export.
 * - Several processes (the kiosk and skranke-admin) may open the same
 *   directory at once; LMDB arbitrates.
 */
#ifndef SKRANKE_STORE_H
#define SKRANKE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util.h"

/* Layout version of the data in meta; see store.c for what each added. */
#define STORE_FORMAT_VERSION 4

enum store_err {
    STORE_OK = 0,
    STORE_EIO = 10001,  /* the disk or LMDB failed; logged with details */
    STORE_EFULL,        /* the map reached its ceiling */
    STORE_ENEWER,       /* written by a newer version of skranke */
    STORE_ECORRUPT,     /* a record could not be decoded */
    STORE_ENOTFOUND,    /* no such record or setting */
    STORE_EINVAL,       /* input refused; nothing changed */
    STORE_EEXIST,       /* already there */
    STORE_ENOSPC,       /* the disk under the store is full */
};

/* A sentence for a user, never NULL. */
const char *store_strerror(int err);

struct store;

struct store_options {
    size_t map_initial; /* bytes; 0 = 32 MiB (or the ceiling, when smaller) */
    size_t map_max;     /* bytes; 0 = the map_max_mb setting (default 2048) */
};

/* Opens (creating when needed, with its directory) the store in dir.
 * opts may be NULL. On success *out owns the handle (store_close). */
int store_open(struct store **out, const char *dir, const struct store_options *opts);
void store_close(struct store *s);

/* Grows the map ahead of one write of about `bytes` (an import of a file
 * that size), within the ceiling: a write that does not fit runs again
 * from its start after each doubling, which costs time and memory. */
void store_expect(struct store *s, size_t bytes);

/* Lets the kernel drop the store's file pages from this process's memory
 * (they stay in the page cache and come back on the next read). The map is
 * read-only to this process, so this loses nothing; it keeps RSS to what the
 * process itself holds after reading a whole database once. */
void store_trim(struct store *s);

/* A new random 128-bit id as UUID text (version 4), 36 characters + NUL. */
void store_new_id(char out[37]);

/* ---- survey responses ---- */

#define STORE_QUESTIONS 4
#define STORE_SITE_MAX 64
#define STORE_TEXT_MAX 400 /* bytes of a unit, errand, place, title… (100 characters) */
/* Units and errands a setting may list: the survey's unit choice and the
 * walk-in errand choice show their buttons on one screen, no scrolling,
 * so a longer list would hide its last items. What fits at 1280x800,
 * 800x1280 and 1024x600: 12 unit buttons (the survey's, 2 columns) and 8
 * errand buttons (the check-in's, taller). */
#define STORE_UNITS_MAX 12
#define STORE_ERRANDS_MAX 8

/* Question keys in their fixed order: empowerment, ressourcefokus,
 * progression, vaerdighed. */
extern const char *const store_question_keys[STORE_QUESTIONS];

struct response {
    char id[37];
    char date[11]; /* local date, YYYY-MM-DD; never the time of day */
    char site[STORE_SITE_MAX + 1];
    char unit[STORE_TEXT_MAX + 1];
    char language[9];
    uint8_t answers[STORE_QUESTIONS]; /* 1–5, 0 = no answer */
    uint32_t exported_seq;            /* 0 while waiting for export */
};

/* Stores r durably. r->id must be a fresh store_new_id(); exported_seq is
 * ignored. STORE_EINVAL when a field is out of range, STORE_EEXIST when the
 * id is taken. */
int store_put_response(struct store *s, const struct response *r);
int store_foreach_response(struct store *s, void (*fn)(const struct response *, void *),
                           void *ctx);

/* ---- check-ins ---- */

enum checkin_kind { CHECKIN_APPOINTMENT = 1, CHECKIN_SESSION, CHECKIN_WALKIN };
const char *checkin_kind_name(enum checkin_kind k);

struct checkin {
    char id[37];
    char date[11];
    char time[6]; /* HH:MM, local */
    char site[STORE_SITE_MAX + 1];
    enum checkin_kind kind;
    char code[7];
    char unit[STORE_TEXT_MAX + 1];
    char session_id[65];
    char ticket[9];
    char result[17];
    uint32_t exported_seq;
};

/* Like store_put_response, for a check-in. */
int store_put_checkin(struct store *s, const struct checkin *c);
int store_foreach_checkin(struct store *s, void (*fn)(const struct checkin *, void *), void *ctx);

/* ---- job openings (written by the batch importer) ---- */

enum job_hours { JOB_HOURS_UNKNOWN, JOB_HOURS_FULL, JOB_HOURS_PART, JOB_HOURS_FLEXIBLE };
enum job_kind {
    JOB_KIND_UNKNOWN,
    JOB_KIND_ORDINARY,
    JOB_KIND_FLEXJOB,
    JOB_KIND_APPRENTICE,
    JOB_KIND_PAID_HOURS,
    JOB_KIND_INTERNSHIP,
    JOB_KIND_STUDENT,
};
const char *job_hours_name(enum job_hours h); /* "full", …, "" for unknown */
const char *job_kind_name(enum job_kind k);

/* Text fields are never NULL ("" when absent). */
struct job {
    uint32_t index; /* position in its batch */
    const char *id, *title, *employer, *city, *postcode, *category;
    const char *posted, *deadline, *summary, *url, *language;
    enum job_hours hours;
    enum job_kind kind;
};

struct jobs_info {
    char batch_id[129];
    char source[STORE_TEXT_MAX + 1];
    time_t generated_at; /* 0 when no batch was ever imported */
    time_t imported_at;
    size_t count;
    size_t skipped; /* jobs of the batch skipped for breaking a rule */
};

int store_jobs_info(struct store *s, struct jobs_info *out);
/* In batch order. */
int store_foreach_job(struct store *s, void (*fn)(const struct job *, void *), void *ctx);
/* The job at position index of the loaded batch, handed to fn.
 * STORE_ENOTFOUND when there is none. */
int store_get_job(struct store *s, uint32_t index, void (*fn)(const struct job *, void *),
                  void *ctx);

/* ---- texts in the citizen's language ---- */

#define STORE_LANGS 8

/* The languages a text of a schedule or a setting may be given in, Danish
 * first (the kiosk's language codes: da en uk ar fa pl so ti). */
extern const char *const store_langs[STORE_LANGS];
/* The index of code in store_langs, or -1. */
int store_lang_index(const char *code);

/* The translations of one text whose Danish lives in the record's own
 * field: text[i] is the text in store_langs[i], "" when not given;
 * text[0] (Danish) is never used. */
struct store_tr {
    char text[STORE_LANGS][STORE_TEXT_MAX + 1];
};

/* The text in lang when it was given, else danish. Never NULL; tr may be
 * NULL. Valid as long as tr and danish are. */
const char *store_tr_pick(const struct store_tr *tr, const char *danish, const char *lang);
/* How many languages besides Danish tr holds. */
int store_tr_count(const struct store_tr *tr);

/* ---- the day's schedule (written by the batch importer) ---- */

struct appointment {
    char site[STORE_SITE_MAX + 1];
    char date[11];
    char code[7]; /* upper case */
    char time[6];
    char unit[STORE_TEXT_MAX + 1];
    char place[STORE_TEXT_MAX + 1];
    char host[STORE_TEXT_MAX + 1];
    struct store_tr unit_tr, place_tr; /* skranke.schedule/2; host is a name */
};

#define STORE_PARTICIPANTS_MAX 1000

struct session {
    char site[STORE_SITE_MAX + 1];
    char date[11];
    char id[65];
    char title[STORE_TEXT_MAX + 1];
    char start[6], end[6];
    char place[STORE_TEXT_MAX + 1];
    struct store_tr title_tr, place_tr; /* skranke.schedule/2 */
    size_t n_participants; /* 0 = open attendance */
    const char (*participants)[7];
};

struct schedule_info {
    char site[STORE_SITE_MAX + 1];
    char date[11];
    char batch_id[129];
    time_t generated_at;
    size_t appointments, sessions;
};

/* site and date may be NULL for all. Ordered by site, date, then code/id. */
int store_foreach_appointment(struct store *s, const char *site, const char *date,
                              void (*fn)(const struct appointment *, void *), void *ctx);
int store_foreach_session(struct store *s, const char *site, const char *date,
                          void (*fn)(const struct session *, void *), void *ctx);
int store_foreach_schedule(struct store *s, void (*fn)(const struct schedule_info *, void *),
                           void *ctx);
/* code is compared case-insensitively. STORE_ENOTFOUND when absent. */
int store_find_appointment(struct store *s, const char *site, const char *date, const char *code,
                           struct appointment *out);

/* ---- checking in (store_checkin.c) ---- */

enum checkin_outcome {
    CHECKIN_OK,          /* recorded now */
    CHECKIN_REPEAT,      /* already checked in: result holds the first record */
    CHECKIN_EARLY,       /* too early for the appointment: nothing recorded */
    CHECKIN_LATE,        /* past the window: recorded with result "late" */
    CHECKIN_UNKNOWN,     /* no such code today (counts towards the rate limit) */
    CHECKIN_LIMITED,     /* too many wrong codes: wait until limited_until */
    CHECKIN_NO_SCHEDULE, /* no schedule imported for this site and day */
    CHECKIN_NO_SESSION,  /* no such session today */
    CHECKIN_CLOSED,      /* the session is not taking attendance now: nothing recorded */
};

#define CHECKIN_WRONG_MAX 5      /* wrong codes … */
#define CHECKIN_WRONG_WINDOW 60  /* … within this many seconds … */
#define CHECKIN_PAUSE 30         /* … pause code entry this long */

struct checkin_request {
    enum checkin_kind kind;
    char site[STORE_SITE_MAX + 1];
    char date[11], time[6]; /* local, now */
    time_t now;
    char code[7];           /* appointment or participant code, any case */
    char session_id[65];
    char errand[STORE_TEXT_MAX + 1];
    int errand_index;       /* 0-based: ticket letter A, B, … */
    int early_min, late_min;
    int session_before_min; /* sessions take attendance from this long before start */
};

struct checkin_result {
    enum checkin_outcome outcome;
    struct checkin record;      /* what is stored (or was, for a repeat) */
    struct appointment appointment;
    char session_title[STORE_TEXT_MAX + 1];
    char session_start[6], session_end[6];
    char session_place[STORE_TEXT_MAX + 1];
    time_t limited_until;
};

/* When a session takes attendance: from before_min minutes before its start
 * until its end; one without an end until late_min minutes after its start
 * (as late as an appointment may be). Times are "HH:MM", local, today. */
enum session_window { SESSION_NOT_YET, SESSION_OPEN, SESSION_OVER };
enum session_window store_session_window(const char *start, const char *end, const char *now,
                                         int before_min, int late_min);

/* Checks a citizen in, in one durable transaction: finds the appointment or
 * session, detects a repeat, applies the time window and the wrong-code
 * limit (which survives restarts), issues walk-in ticket numbers that are
 * never reused, and stores the check-in. Returns STORE_OK with the outcome
 * in res, or a STORE_E* failure (nothing recorded). */
int store_checkin(struct store *s, const struct checkin_request *req,
                  struct checkin_result *res);
/* Whether a schedule for site and date was imported. */
bool store_has_schedule(struct store *s, const char *site, const char *date);

/* ---- settings ---- */

/* The value of a known setting (its default when never set) into out.
 * STORE_ENOTFOUND for an unknown key. */
int store_config_get(struct store *s, const char *key, struct buf *out);
/* Validates and stores. STORE_EINVAL with a reason in why (a sentence)
 * when the value is not acceptable; STORE_ENOTFOUND for an unknown key. */
int store_config_set(struct store *s, const char *key, const char *value, struct buf *why);
/* Validates without storing (no store needed): STORE_OK, STORE_EINVAL with
 * the reason in why, or STORE_ENOTFOUND for an unknown key. */
int store_config_check(const char *key, const char *value, struct buf *why);
/* Sets several settings in one transaction, after validating them all:
 * either all are stored or none. keys and values are n long. */
int store_config_set_many(struct store *s, const char *const *keys, const char *const *values,
                          size_t n, struct buf *why);
/* Every known key, NULL-terminated. */
extern const char *const store_config_keys[];
/* The items of the list setting key ("errands" or "units") as a citizen
 * reading lang sees them, into out[max] (at most STORE_TEXT_MAX bytes
 * each): item i of the setting `key.lang` when that is set, else the
 * kiosk's own translation of the Danish item (the default errands and
 * common units), else the Danish item. Returns how many items `key` has
 * (at most max); 0 on any failure. The Danish items stay what is stored
 * and exported; these are for showing only. */
int store_config_labels(struct store *s, const char *key, const char *lang,
                        char (*out)[STORE_TEXT_MAX + 1], int max);
/* Convenience: an integer setting, or its default on any problem. */
long store_config_long(struct store *s, const char *key);

/* The staff PIN's Argon2id hash (crypto_pwhash_str form), or "" when none. */
int store_pin_get(struct store *s, char *out, size_t cap);
/* Sets the hash and clears the failed-attempt counter, durably. */
int store_pin_set(struct store *s, const char *hash);
/* Validates a new PIN (4 to 8 digits; STORE_EINVAL otherwise), hashes it
 * with Argon2id and stores it with store_pin_set. */
int store_pin_make(struct store *s, const char *pin);

/* Wrong PINs are slowed down (NIST SP 800-63B 5.2.2), never locked out:
 * from the PIN_FREE_TRIES-th wrong PIN in a row, no attempt is checked
 * for 2 s, then 4 s, 8 s, … up to PIN_BACKOFF_MAX_S. Only the count of
 * wrong PINs is stored; the wait runs on the caller's monotonic clock
 * (a struct pin_gate), so moving the wall clock changes nothing, and a
 * process that starts (a restart, a power cut) waits the full current
 * back-off again before it checks a PIN. */
#define PIN_FREE_TRIES 3
#define PIN_BACKOFF_MAX_S 900

/* The back-off of one process: zero it at start and pass it to every call.
 * now_ms below is that process's monotonic clock in milliseconds. */
struct pin_gate {
    uint64_t until_ms;  /* no attempt is checked before this */
    uint32_t failures;  /* the count until_ms was set for */
    bool armed;
};

struct pin_result {
    bool ok;            /* the PIN was checked and right */
    bool no_pin;        /* no PIN has been set: staff mode is closed */
    bool checked;       /* the PIN was checked at all (not while waiting) */
    uint64_t wait_ms;   /* back-off left: no attempt is checked until it passed */
    unsigned failures;  /* wrong PINs in a row */
};

/* Seconds of back-off after `failures` wrong PINs in a row (0 at first). */
unsigned store_pin_backoff_s(unsigned failures);
/* The state without an attempt (for showing it); arms g as described. */
int store_pin_state(struct store *s, struct pin_gate *g, uint64_t now_ms, struct pin_result *out);
/* Checks a staff PIN: during the back-off (or with no PIN set) it is not
 * checked at all; else Argon2id (slow on purpose: call it off the UI
 * thread) against the stored hash, and the count of wrong PINs is updated
 * durably (a right PIN clears it, as store_pin_set does). */
int store_pin_check(struct store *s, struct pin_gate *g, const char *pin, uint64_t now_ms,
                    struct pin_result *out);

/* ---- export bookkeeping (used by batch_export.c) ---- */

/* A batch is decided in one write transaction: its seq, its records (the
 * `batches` database) and this log entry, not yet done. Only a batch read
 * back from the medium and verified becomes done, and only then is its seq
 * used up; until then every export (and `--seq seq`) writes the same batch
 * again. */
struct export_log {
    uint32_t seq;
    time_t created_at;
    bool done;    /* read back and verified */
    bool marking; /* format 2 only (marking cut short); migrated to done */
    uint32_t responses, checkins;
};

int store_foreach_export(struct store *s, void (*fn)(const struct export_log *, void *),
                         void *ctx);
int store_get_export(struct store *s, uint32_t seq, struct export_log *out);

/* ---- status and retention ---- */

/* Waiting counts include the records of a batch decided but not yet
 * verified on a medium. */
struct store_status {
    size_t responses, responses_waiting;
    size_t checkins, checkins_waiting;
    size_t jobs;
    size_t map_used, map_size, map_max;
    uint32_t format_version;
    struct export_log last_export; /* seq 0 when none */
};

int store_status(struct store *s, struct store_status *out);

struct purge_result {
    size_t responses, checkins;
};

/* Deletes exported records whose export is older than the retention
 * settings (`retention_responses_days`, `retention_checkins_days`) at now.
 * Never touches a record not yet exported. */
int store_purge(struct store *s, time_t now, struct purge_result *out);

#endif

/*
 * sync.h — the sync folder: batches that arrive in a folder on the board
 * (filled by rsync from a systemd timer, board/README.md) are imported as a
 * staff USB stick's are.
 *
 * The folder is the `sync_dir` setting (empty: off) and is laid out as a
 * stick's skranke/ folder: batches in SYNC_DIR/inbox (read with usb.h, so
 * links, FIFOs, odd names and files over the size limit are refused the same
 * way), exports in SYNC_DIR/outbox (written by `skranke-admin export`). Each
 * file goes through batch_import_file_opts, so signatures (`trusted_keys`),
 * the batch_id/generated_at rules and every refusal are the importer's own.
 *
 * A look at the folder (sync_scan) remembers each name it saw with its
 * size and modification time and those of its .minisig. A file is imported
 * only when two looks in a row find it unchanged (a file still being
 * written grows; `.part`, `.tmp` and hidden names never end in .json and are
 * not looked at), and then once: imported or refused, it is not tried or
 * reported again until it changes, also after a restart (the names done
 * are kept in a small file beside the store). What a look did is one log
 * line per file (stderr) and a summary for the staff status view.
 *
 * The kiosk looks on a timer (SYNC_START_MS after start, then every
 * SYNC_EVERY_MS, or SYNC_SOON_MS while a file settles) on a thread of its
 * own, so an import never holds up a frame (sync_start, sync_answered). No
 * look starts while the jobs screen is open: the list a citizen reads and
 * the job details it opens stay those of one batch.
 */
#ifndef SKRANKE_SYNC_H
#define SKRANKE_SYNC_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store.h"
#include "usb.h"

#define SYNC_START_MS 1000
#define SYNC_EVERY_MS 30000
#define SYNC_SOON_MS 5000

/* What was seen of one name in the inbox. */
struct sync_seen {
    char name[NAME_MAX + 1];
    long long size, mtime_ns, sig_size, sig_mtime_ns; /* sig_*: -1 when none */
    bool done; /* imported, refused or ignored at this size and time */
};

/* What the looks came to since the kiosk started. */
struct sync_summary {
    time_t looked_at;          /* the last look (the kiosk's clock); 0: none yet */
    bool no_inbox;             /* it found no SYNC_DIR/inbox folder */
    size_t imported, refused;  /* files, in all looks (refused: ignored too) */
    size_t waiting;            /* files settling at the last look */
    time_t last_at;            /* when the latest outcome was; 0: none yet */
    char last[600];            /* the latest file's outcome, as logged */
};

struct sync {
    struct sync_seen seen[USB_FILES_MAX];
    size_t n_seen;
    struct sync_summary sum;
    /* Where the files done are kept across restarts (the kiosk: DATA/
     * sync-seen; "": in memory only), read at the first look. */
    char memory[4096];
    bool loaded;
};

/* One look at dir/inbox (dir absolute, a real folder): imports what is
 * settled and new, logs one line per file imported, refused or ignored,
 * and fills s->sum when anything happened. now is the kiosk's clock (0:
 * clock_now()). Returns how many files are still settling (the caller
 * looks again sooner), or -1 when dir/inbox is not a folder (logged once
 * until it is one). */
int sync_scan(struct sync *s, struct store *store, const char *dir, time_t now);

struct app;

/* The kiosk's side: arms the first look (app_start_timers); what was done
 * is kept in a->data/sync-seen. */
void sync_start(struct app *a);
/* A worker's end (from app_answered): collects its summary, re-arms. */
void sync_answered(struct app *a);
/* Waits for a look still running (its import commits or is refused
 * whole) and disarms the timer; before the store closes. */
void sync_stop(struct app *a);
/* True while a look runs on its thread. */
bool sync_busy(void);
/* The staff status line ("Synkronisering: …") into out. */
void sync_status_line(const struct app *a, char *out, size_t cap);

#endif

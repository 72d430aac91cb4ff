/*
 * sync.c — the sync folder; see sync.h.
 *
 * sync_scan is plain C over usb.h and the importer (no SDL; tests/
 * test_sync_scan.c drives it). The rest is the kiosk's side: a timer on the
 * loop clock starts one look at a time on a worker thread, which reads the
 * setting itself, imports, and wakes the loop (an SDL_USEREVENT) when it
 * ends; the loop joins it in sync_answered and keeps a copy of its summary
 * for the staff status view, so drawing never reads what the worker writes.
 * Under the script driver the loop waits for each look as it starts (still
 * on its thread), so the virtual clock alone decides what was imported when.
 */
#define _GNU_SOURCE
#include "sync.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>

#include "app.h"
#include "batch.h"

#define LOG(...) log_msg("sync", __VA_ARGS__)

/* Size and modification time of path (not followed); -1 when absent. */
static void stat_of(const char *path, long long *size, long long *mtime_ns)
{
    struct stat st;
    if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        *size = (long long)st.st_size;
        *mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000ll + st.st_mtim.tv_nsec;
    } else {
        *size = *mtime_ns = -1;
    }
}

static const struct sync_seen *seen_before(const struct sync *s, const char *name)
{
    for (size_t i = 0; i < s->n_seen; i++)
        if (strcmp(s->seen[i].name, name) == 0)
            return &s->seen[i];
    return NULL;
}

static bool same_file(const struct sync_seen *a, const struct sync_seen *b)
{
    return a->size == b->size && a->mtime_ns == b->mtime_ns && a->sig_size == b->sig_size &&
           a->sig_mtime_ns == b->sig_mtime_ns;
}

/* One line in the log and, as the latest outcome, in the summary. */
static void outcome(struct sync *s, time_t now, const char *text)
{
    LOG("%s", text);
    utf8_copy(s->sum.last, sizeof s->sum.last, text);
    s->sum.last_at = now;
}

/* Says how an import went (line), counts it, frees err and line. False
 * when the store failed (not the file): then it is tried again. */
static bool settle(struct sync *s, time_t now, int rc, struct buf *err, struct buf *line)
{
    outcome(s, now, line->data);
    if (rc == 0)
        s->sum.imported++;
    else if (rc == STORE_EINVAL)
        s->sum.refused++;
    buf_free(err);
    buf_free(line);
    return rc == 0 || rc == STORE_EINVAL;
}

/* Imports the settled file f and says how it went. False when the store
 * failed (not the file): then it is tried again at the next look. */
static bool import_one(struct sync *s, struct store *store, const struct usb_file *f, time_t now)
{
    struct batch_import_opts opts = {.now = now};
    struct import_result res;
    struct buf err, line;
    buf_init(&err);
    buf_init(&line);
    int rc = batch_import_file_opts(store, f->path, &opts, &res, &err);
    if (rc == 0 && res.header.kind == BATCH_JOBS) {
        buf_printf(&line, "imported: %s – %zu jobs, %zu skipped (batch %s)", f->name, res.jobs,
                   res.skipped, res.header.batch_id);
    } else if (rc == 0) {
        buf_printf(&line, "imported: %s – schedule for %s %s: %zu appointments, %zu sessions",
                   f->name, res.header.site, res.header.date, res.appointments, res.sessions);
    } else {
        /* The importer names the file by its path ("PATH:LINE:COL: …" or
         * "PATH: …"); the log and the status name it as the inbox does. */
        size_t pl = strlen(f->path);
        const char *why = err.len ? err.data : store_strerror(rc);
        if (strncmp(why, f->path, pl) == 0 && why[pl] == ':') {
            why += pl;
            bool said = strncmp(why, ": refused, ", 11) == 0; /* the signature */
            buf_printf(&line, "refused: %s%s%s", f->name, said ? ": " : "", why + (said ? 11 : 0));
        } else {
            buf_printf(&line, "refused: %s: %s", f->name, why);
        }
    }
    return settle(s, now, rc, &err, &line);
}

/* The memory file: a line per file done, "SIZE MTIME SIGSIZE SIGMTIME NAME"
 * (a name in the inbox has no control characters). A file that cannot be
 * read is an empty memory: at worst each file is looked at once more. */
static void memory_load(struct sync *s)
{
    s->loaded = true;
    FILE *f = s->memory[0] ? fopen(s->memory, "re") : NULL;
    if (!f)
        return;
    char line[NAME_MAX + 100];
    s->n_seen = 0;
    while (s->n_seen < USB_FILES_MAX && fgets(line, sizeof line, f)) {
        struct sync_seen *e = &s->seen[s->n_seen];
        int off = 0;
        line[strcspn(line, "\n")] = '\0';
        if (sscanf(line, "%lld %lld %lld %lld %n", &e->size, &e->mtime_ns, &e->sig_size,
                   &e->sig_mtime_ns, &off) != 4 || !off || !line[off])
            continue;
        snprintf(e->name, sizeof e->name, "%s", line + off);
        e->done = true;
        s->n_seen++;
    }
    fclose(f);
}

/* Replaces the memory file (written aside, then renamed over it). */
static void memory_save(const struct sync *s)
{
    if (!s->memory[0])
        return;
    char tmp[sizeof s->memory + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", s->memory);
    FILE *f = fopen(tmp, "we");
    bool ok = f != NULL;
    for (size_t i = 0; ok && i < s->n_seen; i++)
        if (s->seen[i].done)
            ok = fprintf(f, "%lld %lld %lld %lld %s\n", s->seen[i].size, s->seen[i].mtime_ns,
                         s->seen[i].sig_size, s->seen[i].sig_mtime_ns, s->seen[i].name) > 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, s->memory) != 0) {
        LOG("cannot keep what was done in %s (%s): after a restart each file is looked at "
            "once more", s->memory, strerror(errno));
        unlink(tmp);
    }
}

/* Settled files of a kind whose files form one batch together (Jobnet's
 * pages): imported as one snapshot, as `skranke-admin import` takes them.
 * Sets done for each; false when the store failed (tried again). */
static bool import_pages(struct sync *s, struct store *store, const struct usb_file *files,
                         const size_t *idx, size_t n, time_t now)
{
    const char **paths = xmalloc(n * sizeof *paths);
    for (size_t i = 0; i < n; i++)
        paths[i] = files[idx[i]].path;
    struct batch_import_opts opts = {.now = now};
    struct import_result res;
    struct buf err, line;
    buf_init(&err);
    buf_init(&line);
    int rc = batch_import_files(store, paths, n, &opts, &res, &err);
    if (rc == 0)
        buf_printf(&line, "imported: %zu page%s (%s …) – %zu jobs, %zu skipped (batch %s)", n,
                   n == 1 ? "" : "s", files[idx[0]].name, res.jobs, res.skipped,
                   res.header.batch_id);
    else
        buf_printf(&line, "refused: %zu page%s (%s …): %s", n, n == 1 ? "" : "s",
                   files[idx[0]].name, err.len ? err.data : store_strerror(rc));
    free(paths);
    return settle(s, now, rc, &err, &line);
}

int sync_scan(struct sync *s, struct store *store, const char *dir, time_t now)
{
    if (!s->loaded)
        memory_load(s);
    if (!now)
        now = clock_now();
    s->sum.looked_at = now;
    char inbox[4096];
    struct stat st;
    int n_in = snprintf(inbox, sizeof inbox, "%s/inbox", dir);
    if (n_in < 0 || (size_t)n_in >= sizeof inbox || lstat(inbox, &st) != 0 ||
        !S_ISDIR(st.st_mode)) {
        if (!s->sum.no_inbox)
            LOG("%s is not a folder: nothing to import from the sync folder", inbox);
        s->sum.no_inbox = true;
        s->n_seen = 0;
        s->sum.waiting = 0;
        return -1;
    }
    s->sum.no_inbox = false;
    struct usb_file *files = xmalloc(USB_FILES_MAX * sizeof *files);
    struct sync_seen *next = xmalloc(USB_FILES_MAX * sizeof *next);
    size_t n = usb_list_inbox(dir, files, USB_FILES_MAX);
    int settling = 0;
    size_t done_before = 0, kept = 0, *pages = xmalloc(USB_FILES_MAX * sizeof *pages), n_pages = 0;
    bool changed = false;
    for (size_t i = 0; i < s->n_seen; i++)
        done_before += s->seen[i].done;
    for (size_t i = 0; i < n; i++) {
        const struct usb_file *f = &files[i];
        struct sync_seen *e = &next[i];
        memset(e, 0, sizeof *e);
        snprintf(e->name, sizeof e->name, "%s", f->name);
        e->size = e->mtime_ns = e->sig_size = e->sig_mtime_ns = -1;
        if (f->path[0]) {
            char sig[4096 + 9];
            stat_of(f->path, &e->size, &e->mtime_ns);
            snprintf(sig, sizeof sig, "%s.minisig", f->path);
            stat_of(sig, &e->sig_size, &e->sig_mtime_ns);
        }
        const struct sync_seen *old = seen_before(s, e->name);
        bool same = old && same_file(old, e);
        if (same && old->done) {
            e->done = true; /* imported, refused or ignored before: left alone */
            kept++;
            continue;
        } else if (!f->ok) {
            /* A link, a FIFO, a file too large, an odd name: said once. */
            struct buf line;
            buf_init(&line);
            buf_printf(&line, "ignored: %s – %s", f->name, f->why);
            outcome(s, now, line.data);
            buf_free(&line);
            s->sum.refused++;
            e->done = true;
        } else if (!same) {
            settling++; /* new or changed: taken when the next look finds it so */
        } else {
            const char *one[1] = {f->path}, *page;
            if (batch_find_pages(one, 1, &page)) {
                pages[n_pages++] = i; /* with the other pages, below */
                continue;
            }
            e->done = import_one(s, store, f, now);
            settling += !e->done;
        }
        changed = changed || e->done;
    }
    /* Pages form one snapshot: taken together once none is still coming. */
    if (n_pages && !settling) {
        bool done = import_pages(s, store, files, pages, n_pages, now);
        for (size_t j = 0; j < n_pages; j++)
            next[pages[j]].done = done;
        changed = changed || done;
        settling += done ? 0 : (int)n_pages;
    } else {
        settling += (int)n_pages;
    }
    free(pages);
    memcpy(s->seen, next, n * sizeof *next);
    s->n_seen = n;
    if (changed || kept != done_before)
        memory_save(s);
    s->sum.waiting = (size_t)settling;
    free(files);
    free(next);
    return settling;
}

/* ---- the kiosk's side ---- */

static struct {
    struct sync s;            /* the worker's; read by the loop only after joining */
    struct sync_summary shown; /* the loop's copy */
    char dir[4096], shown_dir[4096];
    struct store *store;
    time_t now;
    int settling;
    SDL_Thread *thread;
    SDL_atomic_t running;
    bool started; /* a look was started and not collected yet */
    struct timer t;
} run;

static int work(void *arg)
{
    (void)arg;
    struct buf v;
    buf_init(&v);
    run.settling = 0;
    if (store_config_get(run.store, "sync_dir", &v) == STORE_OK && v.len)
        run.settling = sync_scan(&run.s, run.store, v.data, run.now);
    snprintf(run.dir, sizeof run.dir, "%s", v.len ? v.data : "");
    buf_free(&v);
    SDL_AtomicSet(&run.running, 0);
    SDL_Event e = {.type = SDL_USEREVENT};
    SDL_PushEvent(&e);
    return 0;
}

static void collect(struct app *a);

static void tick(struct app *a, struct timer *t)
{
    (void)t;
    if (run.started)
        return; /* collect() arms the next look */
    if (a->screen == &screen_jobs) {
        /* The open list and its details come from the batch loaded when it
         * opened: a new batch waits until the citizen leaves it. */
        app_after(a, &run.t, SYNC_SOON_MS, tick);
        return;
    }
    run.store = a->store;
    run.now = app_wall(a);
    run.started = true;
    SDL_AtomicSet(&run.running, 1);
    const char *nt = getenv("SKRANKE_NO_THREADS");
    if (!(nt && strcmp(nt, "1") == 0))
        run.thread = SDL_CreateThread(work, "skranke-sync", NULL);
    if (!run.thread)
        work(NULL); /* see writer.c: emulators without working threads */
    if (a->script_mode || !run.thread) {
        /* The script's virtual clock stands while the look runs, so what
         * a script sees does not depend on how fast the machine is. */
        if (run.thread)
            SDL_WaitThread(run.thread, NULL);
        run.thread = NULL;
        collect(a);
    }
}

static void collect(struct app *a)
{
    if (!run.started || SDL_AtomicGet(&run.running))
        return;
    if (run.thread)
        SDL_WaitThread(run.thread, NULL);
    run.thread = NULL;
    run.started = false;
    run.shown = run.s.sum;
    snprintf(run.shown_dir, sizeof run.shown_dir, "%s", run.dir);
    app_after(a, &run.t, run.settling > 0 ? SYNC_SOON_MS : SYNC_EVERY_MS, tick);
}

void sync_start(struct app *a)
{
    if (a->data)
        snprintf(run.s.memory, sizeof run.s.memory, "%s/sync-seen", a->data);
    app_after(a, &run.t, SYNC_START_MS, tick);
}

void sync_answered(struct app *a)
{
    collect(a);
}

void sync_stop(struct app *a)
{
    app_cancel(a, &run.t);
    if (run.thread)
        SDL_WaitThread(run.thread, NULL);
    run.thread = NULL;
    run.started = false;
}

bool sync_busy(void)
{
    return SDL_AtomicGet(&run.running) != 0;
}

void sync_status_line(const struct app *a, char *out, size_t cap)
{
    (void)a;
    const struct sync_summary *m = &run.shown;
    char seen[6], last[6];
    if (!run.shown_dir[0]) {
        snprintf(out, cap, "Synkronisering: slået fra (indstillingen sync_dir er tom)");
        return;
    }
    clock_hhmm(m->looked_at, seen);
    if (m->no_inbox) {
        snprintf(out, cap, "Synkronisering: %s/inbox findes ikke (kigget kl. %s)", run.shown_dir,
                 seen);
        return;
    }
    if (!m->last_at) {
        snprintf(out, cap, "Synkronisering: %s, kigget kl. %s, intet hentet endnu%s",
                 run.shown_dir, seen, m->waiting ? " (filer er ved at blive skrevet)" : "");
        return;
    }
    clock_hhmm(m->last_at, last);
    snprintf(out, cap,
             "Synkronisering: %s, kigget kl. %s; %zu hentet, %zu afvist; seneste kl. %s: %s",
             run.shown_dir, seen, m->imported, m->refused, last, m->last);
}

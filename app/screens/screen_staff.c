/*
 * screen_staff.c — staff mode: a PIN, then import from and export to a USB
 * stick, status, re-export, a few settings and a new PIN. Reached by a 3 s
 * press on the home screen's corner (home.staff); left by the staff, or by
 * itself after STAFF_IDLE_MS without a touch. Danish only.
 *
 * Import and export run on a worker thread, so the screen keeps drawing; a
 * progress bar shows when the work takes longer than a second, and the end
 * is a plain result: what came in or went out, and for a refused file which
 * file and why. The worker's end wakes the loop (an SDL_USEREVENT), and the
 * thread is joined then, never while drawing.
 *
 * Drawing reads only this file's state: the status lines and the settings
 * are loaded when their view opens or changes, and the stick is looked for
 * once a second by a timer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "app.h"
#include "batch.h"
#include "i18n.h"
#include "sync.h"
#include "usb.h"

#define STAFF_IDLE_MS 120000
#define PROGRESS_AFTER_MS 1000
#define RESULTS_MAX 32

enum view { PIN, MENU, STATUS, WORK, REEXPORT, SETTINGS, NEWPIN, EDIT };
enum staff_job { JOB_IMPORT, JOB_EXPORT };

struct result_line {
    bool ok;
    char text[1600]; /* a name of 255 bytes and its reason; longer ends in "…" */
};

static struct {
    enum view view;
    char pin[9], first_pin[9];
    int pin_step; /* new PIN: 0 first entry, 1 again */
    char note[300];
    bool note_bad;
    char stick[4096];
    bool have_stick;
    uint64_t next_scan;
    /* The worker. */
    SDL_Thread *thread;
    SDL_atomic_t running, done_count, total;
    enum staff_job job;
    uint32_t seq;
    uint64_t started;
    struct store *store;
    struct result_line results[RESULTS_MAX];
    int n_results;
    uint32_t seqs[64];
    int n_seqs;
    /* Adding a unit or an errand: which list, and the name being typed. */
    const char *edit_key;
    char edit[STORE_TEXT_MAX + 1];
    /* The status view's lines and the settings, as loaded. */
    struct {
        char text[600];
        bool warn;
    } status[8];
    int n_status;
    char cfg_languages[256], cfg_kinds[128], cfg_lists[2][4096];
    long cfg_idle;
    bool working; /* the worker's result is not collected yet */
    uint64_t setting_seq, pin_seq; /* the writer's numbers of changes asked for */
    struct timer t_scan, t_progress, t_wait;
    /* The back-off's wait on screen, counting down: its key and when it
     * ends on the monotonic clock (a->now); NULL when the note is another. */
    const char *wait_key;
    uint64_t wait_until;
    /* Files refused only for being older than what is loaded, and whether
     * this import takes exactly those ("Importér alligevel"). */
    char older[8][4096];
    int n_older;
    bool accept_older;
} st;

/* The PIN check. Argon2id is slow on purpose, so it runs on a thread of its
 * own while the screen keeps drawing; its end wakes the loop as the
 * worker's does. The back-off's gate lives as long as the kiosk runs:
 * leaving staff mode must not reset it. */
static struct {
    struct pin_gate gate;
    SDL_Thread *thread;
    SDL_atomic_t running;
    bool pending; /* a check was started and its outcome not shown yet */
    struct store *store;
    char pin[9];
    uint64_t now;
    int rc;
    struct pin_result r;
} pc;

static const char *D(const char *key)
{
    return i18n_get("da", key);
}

static void note(const char *text, bool bad)
{
    utf8_copy(st.note, sizeof st.note, text);
    st.note_bad = bad;
    st.wait_key = NULL;
}

/* Lets go of the worker thread: a finished one is joined; one still
 * running is detached and finishes on its own (an import or export is not
 * cut off halfway), so leaving staff mode never waits for it. */
static void release_worker(void)
{
    if (!st.thread)
        return;
    if (SDL_AtomicGet(&st.running))
        SDL_DetachThread(st.thread);
    else
        SDL_WaitThread(st.thread, NULL);
    st.thread = NULL;
}

/* Drops a PIN check's outcome; waits for one still running (well under a
 * second), so that nothing of it outlives staff mode. */
static void pin_release(void)
{
    if (pc.thread)
        SDL_WaitThread(pc.thread, NULL);
    pc.thread = NULL;
    pc.pending = false;
    memset(pc.pin, 0, sizeof pc.pin);
}

static void forget(struct app *a)
{
    app_cancel(a, &st.t_scan);
    app_cancel(a, &st.t_progress);
    app_cancel(a, &st.t_wait);
    st.wait_key = NULL;
    release_worker();
    pin_release();
    st.n_older = 0;
    memset(st.pin, 0, sizeof st.pin);
    memset(st.first_pin, 0, sizeof st.first_pin);
    st.view = PIN;
    st.note[0] = '\0';
    st.working = false;
    if (!SDL_AtomicGet(&st.running))
        st.n_results = 0; /* a running worker still writes them */
}

static void scan(struct app *a)
{
    struct buf root;
    buf_init(&root);
    store_config_get(a->store, "usb_root", &root);
    st.have_stick = usb_find(root.data, st.stick, sizeof st.stick);
    buf_free(&root);
}

/* Once a second, on the menu: has a stick come or gone? */
static void scan_fire(struct app *a, struct timer *t)
{
    if (st.view == MENU) {
        bool had = st.have_stick;
        scan(a);
        if (had != st.have_stick) {
            a->dirty = true;
            log_msg("staff", st.have_stick ? "USB stick found: %s" : "USB stick gone%s",
                    st.have_stick ? st.stick : "");
        }
    }
    app_after(a, t, 1000, scan_fire);
}

/* The progress bar moves while the worker runs. */
static void progress_fire(struct app *a, struct timer *t)
{
    if (!SDL_AtomicGet(&st.running))
        return;
    a->dirty = true;
    app_after(a, t, 50, progress_fire);
}

/* "Vent N sekunder" (key) or "Vent 1 sekund" (key.one), N counted up to
 * whole seconds so that it never says 0; the number counts down each
 * second on screen, and the note goes when the wait is over. */
static void wait_fire(struct app *a, struct timer *t);

static void show_wait(struct app *a)
{
    uint64_t left = st.wait_until > a->now ? st.wait_until - a->now : 0;
    const char *key = st.wait_key;
    if (!left) {
        st.note[0] = '\0';
        st.wait_key = NULL;
        return;
    }
    long n = (long)((left + 999) / 1000);
    char k[48];
    snprintf(k, sizeof k, "%s%s", key, n == 1 ? ".one" : "");
    struct buf b;
    buf_init(&b);
    note(i18n_fmt("da", k, n, &b), true);
    buf_free(&b);
    st.wait_key = key;
    /* The next change of the whole seconds shown. */
    app_after(a, &st.t_wait, left % 1000 ? left % 1000 : 1000, wait_fire);
}

static void wait_fire(struct app *a, struct timer *t)
{
    (void)t;
    if (!st.wait_key)
        return; /* another note took its place */
    show_wait(a);
    a->dirty = true;
}

static void note_wait(struct app *a, const char *key, uint64_t wait_ms)
{
    st.wait_key = key;
    st.wait_until = a->now + wait_ms;
    show_wait(a);
}

/* What a PIN attempt came to. "Forkert PIN" only for a PIN that was
 * checked; during the back-off only the wait. */
static void pin_show(struct app *a, int rc, const struct pin_result *r)
{
    if (rc) {
        note(store_strerror(rc), true);
    } else if (r->ok) {
        st.view = MENU;
        st.note[0] = '\0';
        scan(a);
    } else if (r->no_pin) {
        note(D("staff.pin.none"), true);
    } else if (!r->checked) {
        note_wait(a, "staff.pin.backoff", r->wait_ms);
    } else if (r->wait_ms) {
        note_wait(a, "staff.pin.wait", r->wait_ms);
    } else {
        note(D("staff.pin.wrong"), true);
    }
}

static int pin_work(void *arg)
{
    (void)arg;
    pc.rc = store_pin_check(pc.store, &pc.gate, pc.pin, pc.now, &pc.r);
    memset(pc.pin, 0, sizeof pc.pin);
    SDL_AtomicSet(&pc.running, 0);
    SDL_Event e = {.type = SDL_USEREVENT};
    SDL_PushEvent(&e);
    return 0;
}

/* OK on the PIN pad: nothing is checked during the back-off; else the
 * check starts on its thread and pin_collect shows how it went. */
static void pin_submit(struct app *a)
{
    if (pc.pending)
        return; /* one check at a time */
    struct pin_result r;
    int rc = store_pin_state(a->store, &pc.gate, a->now, &r);
    if (rc || r.no_pin || r.wait_ms) {
        pin_show(a, rc, &r);
        memset(st.pin, 0, sizeof st.pin);
        return;
    }
    memcpy(pc.pin, st.pin, sizeof pc.pin);
    memset(st.pin, 0, sizeof st.pin);
    pc.store = a->store;
    pc.now = a->now;
    pc.pending = true;
    SDL_AtomicSet(&pc.running, 1);
    note(D("staff.pin.checking"), false);
    const char *nt = getenv("SKRANKE_NO_THREADS");
    if (!(nt && strcmp(nt, "1") == 0))
        pc.thread = SDL_CreateThread(pin_work, "skranke-pin", NULL);
    if (!pc.thread)
        pin_work(NULL); /* see writer.c: emulators without working threads */
}

static void pin_collect(struct app *a)
{
    if (!pc.pending || SDL_AtomicGet(&pc.running))
        return;
    struct pin_result r = pc.r;
    int rc = pc.rc;
    pin_release();
    pin_show(a, rc, &r);
    a->dirty = true;
}

static void enter(struct app *a)
{
    forget(a);
    struct pin_result pr;
    store_pin_state(a->store, &pc.gate, a->now, &pr);
    if (pr.no_pin)
        note(D("staff.pin.none"), true);
    else if (pr.wait_ms)
        note_wait(a, "staff.pin.backoff", pr.wait_ms);
    scan(a);
    app_after(a, &st.t_scan, 1000, scan_fire);
}

/* ---- the worker ---- */

static void add_result(bool ok, const char *text)
{
    if (st.n_results < RESULTS_MAX) {
        st.results[st.n_results].ok = ok;
        utf8_copy(st.results[st.n_results].text, sizeof st.results[0].text, text);
        st.n_results++;
    }
}

/* n with its thousands apart, as staff read it: "1 998" (a no-break space). */
static const char *grouped(size_t n, char out[40])
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%zu", n), o = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            o += snprintf(out + o, 40 - (size_t)o, "\u00A0");
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

/* Whether path is one of the older files staff chose to import anyway. */
static bool chosen_older(const char *path)
{
    for (int i = 0; i < st.n_older; i++)
        if (strcmp(st.older[i], path) == 0)
            return true;
    return false;
}

static int work(void *arg)
{
    (void)arg;
    struct buf err, line;
    buf_init(&err);
    buf_init(&line);
    if (st.job == JOB_IMPORT) {
        struct batch_import_opts opts = {.accept_older = st.accept_older};
        int n_older = 0;
        static struct usb_file files[USB_FILES_MAX];
        size_t n = usb_list_inbox(st.stick, files, USB_FILES_MAX);
        SDL_AtomicSet(&st.total, (int)n);
        if (!n)
            add_result(false, D("staff.import.none"));
        /* The pages of a Jobnet search on the stick form one batch,
         * imported where the first of them stands. */
        static const char *paths[USB_FILES_MAX], *pages[USB_FILES_MAX];
        for (size_t i = 0; i < n; i++)
            paths[i] = files[i].ok ? files[i].path : NULL;
        size_t n_pages = batch_find_pages(paths, n, pages);
        struct buf skips;
        buf_init(&skips);
        opts.skips = &skips;
        for (size_t i = 0; i < n; i++) {
            buf_clear(&line);
            bool paged = files[i].ok && batch_is_page(pages, n_pages, files[i].path);
            if (paged && pages[0] != files[i].path) {
                SDL_AtomicSet(&st.done_count, (int)i + 1);
                continue;
            }
            if (!files[i].ok) {
                buf_printf(&line, "%s: %s – %s", D("staff.import.refused"), files[i].name,
                           files[i].why);
                add_result(false, line.data);
            } else {
                if (st.accept_older && !chosen_older(files[i].path))
                    continue;
                struct import_result res;
                int rc = paged ? batch_import_files(st.store, pages, n_pages, &opts, &res, &err)
                               : batch_import_file_opts(st.store, files[i].path, &opts, &res, &err);
                if (rc && res.older && !st.accept_older && n_older < 8) {
                    snprintf(st.older[n_older++], sizeof st.older[0], "%s", files[i].path);
                    buf_printf(&line, "%s: %s – %s", D("staff.import.refused"), files[i].name,
                               D("staff.import.older"));
                } else if (rc) {
                    /* The reason names the file by its name on the stick, not
                     * by its whole path (which may be long enough to push
                     * the reason off the line). */
                    size_t pl = strlen(files[i].path);
                    bool at_path = strncmp(err.data, files[i].path, pl) == 0;
                    buf_printf(&line, "%s: %s%s", D("staff.import.refused"),
                               at_path ? files[i].name : "", err.data + (at_path ? pl : 0));
                } else if (res.header.kind == BATCH_JOBS) {
                    char n_jobs[40], n_skipped[40];
                    buf_printf(&line, "%s: %s – %s job indlæst", D("staff.import.ok"),
                               files[i].name, grouped(res.jobs, n_jobs));
                    /* The first skipped, "fil:linje:kolonne: felt: grund", by the
                     * file's name on the stick. */
                    size_t dl = strlen(files[i].path) - strlen(files[i].name);
                    const char *sk = skips.len ? skips.data : "";
                    sk += strncmp(sk, files[i].path, dl) ? 0 : dl;
                    if (res.skipped)
                        buf_printf(&line, ", %s sprunget over: %.*s",
                                   grouped(res.skipped, n_skipped), (int)strcspn(sk, "\n"), sk);
                } else {
                    buf_printf(&line, "%s: %s – program for %s %s: %zu aftaler, %zu hold",
                               D("staff.import.ok"), files[i].name, res.header.site,
                               res.header.date, res.appointments, res.sessions);
                }
                if (!rc && res.older)
                    buf_printf(&line, " (%s)", D("staff.import.older.taken"));
                add_result(rc == 0, line.data);
            }
            SDL_AtomicSet(&st.done_count, (int)i + 1);
        }
        buf_free(&skips);
        st.n_older = n_older;
    } else {
        char outbox[4096], why[200];
        SDL_AtomicSet(&st.total, 1);
        if (!usb_outbox(st.stick, outbox, sizeof outbox, why, sizeof why)) {
            buf_printf(&line, "%s. %s", why, D("staff.export.failed"));
            add_result(false, line.data);
        } else {
            struct export_result res;
            int rc = batch_export(st.store, outbox, st.seq, &res, &err);
            if (rc) {
                buf_printf(&line, "%s %s", err.data, D("staff.export.failed"));
                add_result(false, line.data);
            } else {
                const char *name = strrchr(res.dir, '/');
                struct buf t;
                buf_init(&t);
                i18n_fmt_text("da", "staff.export.ok", name ? name + 1 : res.dir, &t);
                buf_printf(&line, "%s – %zu svar, %zu check-ins", t.data, res.responses,
                           res.checkins);
                buf_free(&t);
                add_result(true, line.data);
                /* Retention applies once records have gone out. */
                struct purge_result pr;
                if (!st.seq && store_purge(st.store, clock_now(), &pr) == STORE_OK &&
                    (pr.responses || pr.checkins)) {
                    buf_clear(&line);
                    buf_printf(&line, "Slettet efter opbevaringstiden: %zu svar, %zu check-ins",
                               pr.responses, pr.checkins);
                    add_result(true, line.data);
                }
            }
        }
        SDL_AtomicSet(&st.done_count, 1);
    }
    buf_free(&err);
    buf_free(&line);
    SDL_AtomicSet(&st.running, 0);
    SDL_Event e = {.type = SDL_USEREVENT};
    SDL_PushEvent(&e);
    return 0;
}

static void start(struct app *a, enum staff_job job, uint32_t seq)
{
    release_worker();
    if (SDL_AtomicGet(&st.running)) {
        /* Left during an import or export, and back before it ended. */
        note(D("staff.busy"), true);
        a->dirty = true;
        return;
    }
    if (!st.have_stick) {
        note(D("staff.usb.none"), true);
        a->dirty = true;
        return;
    }
    st.job = job;
    st.seq = seq;
    st.store = a->store;
    st.n_results = 0;
    st.started = a->now;
    SDL_AtomicSet(&st.done_count, 0);
    SDL_AtomicSet(&st.total, 0);
    SDL_AtomicSet(&st.running, 1);
    st.view = WORK;
    st.working = true;
    app_after(a, &st.t_progress, 50, progress_fire);
    const char *nt = getenv("SKRANKE_NO_THREADS");
    if (nt && strcmp(nt, "1") == 0) {
        work(NULL); /* see writer.c: emulators without working threads */
        return;
    }
    st.thread = SDL_CreateThread(work, "skranke-staff", NULL);
    if (!st.thread) {
        SDL_AtomicSet(&st.running, 0);
        st.working = false;
        add_result(false, SDL_GetError());
    }
    a->dirty = true;
}

static void load_status(struct app *a);

/* The settings the settings view shows, read when it opens and after each
 * change. */
static void load_settings(struct app *a)
{
    struct buf v;
    buf_init(&v);
    store_config_get(a->store, "languages", &v);
    snprintf(st.cfg_languages, sizeof st.cfg_languages, "%s", v.data);
    store_config_get(a->store, "checkin_kinds", &v);
    snprintf(st.cfg_kinds, sizeof st.cfg_kinds, "%s", v.data);
    static const char *const lists[2] = {"units", "errands"};
    for (int l = 0; l < 2; l++) {
        store_config_get(a->store, lists[l], &v);
        snprintf(st.cfg_lists[l], sizeof st.cfg_lists[l], "%s", v.data);
    }
    st.cfg_idle = store_config_long(a->store, "idle_timeout_s");
    buf_free(&v);
}

/* The worker ended (or the writer has news): join it, collect. */
static void answered(struct app *a)
{
    int rc;
    char why[300];
    if (st.setting_seq && writer_answer(a->writer, st.setting_seq, &rc, why, sizeof why)) {
        st.setting_seq = 0;
        if (rc)
            note(why[0] ? why : "Kunne ikke gemme indstillingen.", true);
        app_reload_settings(a);
        load_settings(a);
        a->dirty = true;
    }
    if (st.pin_seq && writer_answer(a->writer, st.pin_seq, &rc, why, sizeof why)) {
        st.pin_seq = 0;
        note(rc ? why : D("staff.changepin.done"), rc != 0);
        a->dirty = true;
    }
    pin_collect(a);
    if (st.working && !SDL_AtomicGet(&st.running)) {
        release_worker();
        st.working = false;
        app_cancel(a, &st.t_progress);
        a->dirty = true;
    }
    if (st.view == STATUS) {
        load_status(a);
        a->dirty = true;
    }
}

/* ---- taps ---- */

static void collect_seq(const struct export_log *e, void *ctx)
{
    (void)ctx;
    if (e->done && st.n_seqs < 64)
        st.seqs[st.n_seqs++] = e->seq;
}

/* Asks the writer to change a setting (a durable write, off the UI
 * thread); answered() shows the outcome and reads the settings again. */
static void set_setting(struct app *a, const char *key, const char *value)
{
    st.setting_seq = writer_request_setting(a->writer, key, value);
    a->settings_stale = true; /* read again once written, even if staff leave */
}

static void toggle_list(struct app *a, const char *key, const char *item)
{
    struct buf v, out, why;
    buf_init(&v);
    buf_init(&out);
    buf_init(&why);
    store_config_get(a->store, key, &v);
    bool had = false;
    char *save = NULL;
    for (char *t = strtok_r(v.data, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, item) == 0) {
            had = true;
            continue;
        }
        buf_printf(&out, "%s%s", out.len ? "," : "", t);
    }
    if (!had)
        buf_printf(&out, "%s%s", out.len ? "," : "", item);
    set_setting(a, key, out.len ? out.data : "");
    buf_free(&v);
    buf_free(&out);
    buf_free(&why);
}

/* The comma-separated setting `key` without its n-th item (from 1). */
static void remove_item(struct app *a, const char *key, int n)
{
    struct buf v, out, why;
    buf_init(&v);
    buf_init(&out);
    buf_init(&why);
    store_config_get(a->store, key, &v);
    char *save = NULL;
    int i = 0;
    for (char *t = strtok_r(v.data, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (++i != n)
            buf_printf(&out, "%s%s", out.len ? "," : "", t);
    set_setting(a, key, out.len ? out.data : "");
    buf_free(&v);
    buf_free(&out);
    buf_free(&why);
}

/* How many items the comma-separated setting `key` has. */
static int list_count(struct app *a, const char *key)
{
    struct buf v;
    buf_init(&v);
    store_config_get(a->store, key, &v);
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(v.data, ",", &save); t; t = strtok_r(NULL, ",", &save))
        n++;
    buf_free(&v);
    return n;
}

static void add_item(struct app *a, const char *key, const char *item)
{
    struct buf v, why;
    buf_init(&v);
    buf_init(&why);
    store_config_get(a->store, key, &v);
    if (v.len)
        buf_putc(&v, ',');
    buf_puts(&v, item);
    set_setting(a, key, v.data);
    buf_free(&v);
    buf_free(&why);
}

static void edit_key(const char *k)
{
    size_t n = strlen(st.edit);
    if (strcmp(k, "del") == 0) {
        utf8_pop(st.edit);
        return;
    }
    const char *add = strcmp(k, "space") == 0 ? " " : k;
    char up[8];
    if (n == 0 && strlen(k) <= 2) { /* a name starts with a capital */
        static const char *const lower[] = {"æ", "ø", "å"}, *const upper[] = {"Æ", "Ø", "Å"};
        snprintf(up, sizeof up, "%s", add);
        if (up[0] >= 'a' && up[0] <= 'z')
            up[0] = (char)(up[0] - 32);
        for (int i = 0; i < 3; i++)
            if (strcmp(add, lower[i]) == 0)
                snprintf(up, sizeof up, "%s", upper[i]);
        add = up;
    }
    if (strcmp(add, " ") == 0 && (n == 0 || st.edit[n - 1] == ' '))
        return;
    if (n + strlen(add) < sizeof st.edit && utf8_count(st.edit, n) < 60)
        strcat(st.edit, add);
}

static void pin_key(const char *id, char *pin)
{
    const char *k = id + strlen("staff.pin.key.");
    size_t n = strlen(pin);
    if (strlen(k) == 1 && k[0] >= '0' && k[0] <= '9' && n < 8) {
        pin[n] = k[0];
        pin[n + 1] = '\0';
    }
}

static void tap_view(struct app *a, const char *id)
{
    if (strcmp(id, "staff.leave") == 0) {
        app_privacy_reset(a);
        return;
    }
    if (strcmp(id, "nav.back") == 0) {
        if (st.view == EDIT)
            st.view = SETTINGS;
        else if (st.view != PIN && st.view != MENU && !SDL_AtomicGet(&st.running))
            st.view = MENU;
        st.note[0] = '\0';
        return;
    }
    if (st.view == EDIT) {
        if (strncmp(id, "staff.key.", 10) == 0) {
            edit_key(id + 10);
        } else if (strcmp(id, "staff.edit.ok") == 0) {
            size_t n = strlen(st.edit);
            while (n && st.edit[n - 1] == ' ')
                st.edit[--n] = '\0';
            if (n && !strchr(st.edit, ','))
                add_item(a, st.edit_key, st.edit);
            st.view = SETTINGS;
        }
        return;
    }
    if (st.view == PIN || st.view == NEWPIN) {
        char *pin = st.pin;
        if (strncmp(id, "staff.pin.key.", 14) == 0) {
            pin_key(id, pin);
        } else if (strcmp(id, "staff.pin.del") == 0) {
            size_t n = strlen(pin);
            if (n)
                pin[n - 1] = '\0';
        } else if (strcmp(id, "staff.pin.ok") == 0 && st.view == PIN) {
            pin_submit(a);
        } else if (strcmp(id, "staff.pin.ok") == 0 && st.view == NEWPIN && strlen(pin) >= 4) {
            if (st.pin_step == 0) {
                memcpy(st.first_pin, pin, sizeof st.first_pin);
                st.pin_step = 1;
            } else if (strcmp(st.first_pin, pin) != 0) {
                note(D("staff.changepin.mismatch"), true);
                st.pin_step = 0;
            } else {
                /* Hashed and stored by the writer; answered() says how it went. */
                st.pin_seq = writer_request_pin(a->writer, pin);
                note(D("staff.changepin.saving"), false);
                st.view = MENU;
            }
            memset(st.pin, 0, sizeof st.pin);
            if (st.view == MENU)
                memset(st.first_pin, 0, sizeof st.first_pin);
        }
        return;
    }
    st.note[0] = '\0';
    if (strcmp(id, "staff.import") == 0 || strcmp(id, "staff.import.anyway") == 0) {
        /* The second tap, after the warning, takes the older files only. */
        st.accept_older = id[12] == '.' && st.n_older > 0;
        if (!st.accept_older)
            st.n_older = 0;
        scan(a);
        start(a, JOB_IMPORT, 0);
    } else if (strcmp(id, "staff.export") == 0) {
        bool due = true;
        batch_export_due(a->store, &due);
        if (!due) { /* no empty batch, no seq used, nothing on the stick */
            note(D("staff.export.nothing"), false);
            return;
        }
        scan(a);
        start(a, JOB_EXPORT, 0);
    } else if (strcmp(id, "staff.status") == 0) {
        load_status(a);
        st.view = STATUS;
    } else if (strcmp(id, "staff.reexport") == 0) {
        st.n_seqs = 0;
        store_foreach_export(a->store, collect_seq, NULL);
        st.view = REEXPORT;
    } else if (strncmp(id, "staff.reexport.", 15) == 0) {
        scan(a);
        start(a, JOB_EXPORT, (uint32_t)strtoul(id + 15, NULL, 10));
    } else if (strcmp(id, "staff.settings") == 0) {
        st.view = SETTINGS;
    } else if (strncmp(id, "staff.set.lang.", 15) == 0) {
        toggle_list(a, "languages", id + 15);
    } else if (strncmp(id, "staff.set.kind.", 15) == 0) {
        toggle_list(a, "checkin_kinds", id + 15);
    } else if (strcmp(id, "staff.set.idle.minus") == 0 || strcmp(id, "staff.set.idle.plus") == 0) {
        long v = store_config_long(a->store, "idle_timeout_s") + (id[15] == 'p' ? 15 : -15);
        char text[16];
        struct buf why;
        buf_init(&why);
        snprintf(text, sizeof text, "%ld", v);
        set_setting(a, "idle_timeout_s", text);
        buf_free(&why);
    } else if (strncmp(id, "staff.set.units.", 16) == 0 || strncmp(id, "staff.set.errands.", 18) == 0) {
        bool units = id[10] == 'u';
        const char *rest = id + (units ? 16 : 18);
        const char *key = units ? "units" : "errands";
        int max = units ? STORE_UNITS_MAX : STORE_ERRANDS_MAX;
        if (strcmp(rest, "add") == 0 && list_count(a, key) >= max) {
            /* The store would refuse it: say so before anything is typed. */
            struct buf b;
            buf_init(&b);
            note(i18n_fmt("da", "staff.settings.full", max, &b), true);
            buf_free(&b);
        } else if (strcmp(rest, "add") == 0) {
            st.edit_key = key;
            memset(st.edit, 0, sizeof st.edit);
            st.view = EDIT;
        } else {
            remove_item(a, key, atoi(rest));
        }
    } else if (strcmp(id, "staff.changepin") == 0) {
        st.view = NEWPIN;
        st.pin_step = 0;
        memset(st.pin, 0, sizeof st.pin);
    }
}

static void tap(struct app *a, const char *id)
{
    a->dirty = true;
    tap_view(a, id);
    if (st.view == SETTINGS)
        load_settings(a); /* as it is now, after whatever the tap changed */
}

/* ---- drawing ---- */

static int line(struct ui *ui, int y, const char *text, float size, bool bold, SDL_Color c)
{
    int m = ui_px(ui, 4);
    struct text_style ts = {ui_px(ui, size), bold, c};
    const struct text_block *b = text_cache_get(ui->tc, text, &ts, ui->w - 2 * m, ALIGN_START, false);
    ui_text(ui, NULL, (struct rect){m, y, ui->w - 2 * m, b->h}, text, &ts, ALIGN_START, true, false);
    return b->h + ui_px(ui, 1);
}

static int draw_note(struct ui *ui, int y)
{
    if (!st.note[0])
        return 0;
    int m = ui_px(ui, 4);
    struct text_style ts = {ui_px(ui, 3), true, st.note_bad ? UI_WARN_TEXT : UI_TEXT};
    const struct text_block *b = text_cache_get(ui->tc, st.note, &ts, ui->w - 4 * m, ALIGN_START, false);
    struct rect r = {m, y, ui->w - 2 * m, b->h + ui_px(ui, 2)};
    ui_round_rect(ui, r, ui_px(ui, 1), st.note_bad ? UI_WARN_BG : (SDL_Color){0xE3, 0xF1, 0xE4, 0xFF});
    ui_text(ui, "staff.note", (struct rect){r.x + m, r.y, r.w - 2 * m, r.h}, st.note, &ts, ALIGN_START,
            true, true);
    return r.h + ui_px(ui, 1.5f);
}

static void draw_pin(struct ui *ui, int y, const char *title)
{
    int W = ui->w, H = ui->h, m = ui_px(ui, 4);
    y += line(ui, y, title, 4.2f, true, UI_TEXT);
    ui_pin_dots(ui, "staff.pin.dots", (struct rect){m, y, W - 2 * m, ui_px(ui, 8)},
                (int)strlen(st.pin));
    y += ui_px(ui, 8);
    y += draw_note(ui, y);
    static const char *const keys[12] = {"key.1", "key.2", "key.3", "key.4", "key.5", "key.6",
                                         "key.7", "key.8", "key.9", "del",   "key.0", "ok"};
    static const char *const labels[12] = {"1", "2", "3", "4", "5", "6",
                                           "7", "8", "9", "Slet", "0", "OK"};
    int pw = ui_px(ui, 60), ph = H - y - m;
    if (ph > ui_px(ui, 56))
        ph = ui_px(ui, 56);
    ui_keypad(ui, "staff.pin", (struct rect){(W - pw) / 2, y, pw, ph}, keys, labels, 12, 3);
}

static void collect_schedule(const struct schedule_info *i, void *ctx)
{
    struct buf *b = ctx;
    buf_printf(b, "%s%s %s (%zu aftaler, %zu hold)", b->len ? "; " : "", i->site, i->date,
               i->appointments, i->sessions);
}

static void status_line(struct buf *b, bool warn)
{
    if (st.n_status < (int)(sizeof st.status / sizeof *st.status)) {
        utf8_copy(st.status[st.n_status].text, sizeof st.status[0].text, b->data);
        st.status[st.n_status++].warn = warn;
    }
    buf_clear(b);
}

/* Reads what the status view shows (store and writer), once per opening
 * and when the writer has news. */
static void load_status(struct app *a)
{
    struct store_status s;
    struct jobs_info ji;
    struct buf b, sched;
    buf_init(&b);
    buf_init(&sched);
    store_status(a->store, &s);
    store_jobs_info(a->store, &ji);
    store_foreach_schedule(a->store, collect_schedule, &sched);
    st.n_status = 0;
    buf_printf(&b, "Venter på eksport: %zu svar, %zu check-ins", s.responses_waiting,
               s.checkins_waiting);
    status_line(&b, false);
    if (s.last_export.seq) {
        char day[11], hhmm[6]; /* local time, as the staff's own clock shows it */
        clock_date(s.last_export.created_at, day);
        clock_hhmm(s.last_export.created_at, hhmm);
        buf_printf(&b, "Seneste eksport: pakke %06u, %s kl. %s (%u svar, %u check-ins)",
                   s.last_export.seq, day, hhmm, s.last_export.responses, s.last_export.checkins);
    } else {
        buf_puts(&b, "Seneste eksport: ingen endnu");
    }
    status_line(&b, false);
    buf_printf(&b, "Lager: %.1f MiB brugt af %.0f MiB (loft %.0f MiB)", s.map_used / 1048576.0,
               s.map_size / 1048576.0, s.map_max / 1048576.0);
    status_line(&b, false);
    buf_printf(&b, "Program: %s", sched.len ? sched.data : "intet hentet");
    status_line(&b, false);
    if (ji.generated_at) {
        long days = (long)((app_wall(a) - ji.generated_at) / 86400);
        buf_printf(&b, "Jobdata: %zu job fra pakken %s, %ld dage gamle", ji.count, ji.batch_id, days);
    } else {
        buf_puts(&b, "Jobdata: ingen hentet");
    }
    status_line(&b, false);
    buf_printf(&b, "Version: %s (dataformat %u)", SKRANKE_VERSION, s.format_version);
    status_line(&b, false);
    char why[200] = "";
    size_t fails = a->writer ? writer_failures(a->writer, why, sizeof why) : 0;
    size_t waiting = a->writer ? writer_pending(a->writer, NULL) : 0;
    if (fails)
        buf_printf(&b, "Fejl: %zu mislykkede skrivninger (senest: %s); %zu venter på at blive gemt",
                   fails, why, waiting);
    else
        buf_puts(&b, "Fejl: ingen");
    status_line(&b, fails != 0);
    char sync[sizeof st.status[0].text];
    sync_status_line(a, sync, sizeof sync);
    buf_puts(&b, sync);
    status_line(&b, false);
    buf_free(&b);
    buf_free(&sched);
}

static void draw_status(struct ui *ui, int y)
{
    ui_register(ui, "staff.status.view", (struct rect){0, y, ui->w, ui->h - y}, UI_LABEL, false, NULL);
    for (int i = 0; i < st.n_status; i++)
        y += line(ui, y, st.status[i].text, i == 0 ? 3.4f : 3, i == 0 || st.status[i].warn,
                  st.status[i].warn ? UI_WARN_TEXT : UI_TEXT);
}

static void draw_work(struct app *a, struct ui *ui, int y)
{
    int m = ui_px(ui, 4), W = ui->w;
    if (st.working) {
        y += line(ui, y, D("staff.working"), 4, true, UI_TEXT);
        if (a->now >= st.started + PROGRESS_AFTER_MS) {
            int total = SDL_AtomicGet(&st.total), done = SDL_AtomicGet(&st.done_count);
            struct rect bar = {m, y, W - 2 * m, ui_px(ui, 4)};
            ui_round_rect(ui, bar, ui_px(ui, 2), UI_BORDER);
            float frac = total > 0 ? (float)done / (float)total : 0;
            if (total <= 1 || done == 0) /* nothing to count yet: show that it moves */
                frac = 0.1f + 0.9f * (float)((a->now - st.started) % 2000) / 2000.0f;
            ui_round_rect(ui, (struct rect){bar.x, bar.y, (int)((float)bar.w * frac), bar.h},
                          ui_px(ui, 2), UI_PRIMARY);
            ui_register(ui, "staff.progress", bar, UI_LABEL, false, NULL);
        }
        return;
    }
    ui_register(ui, "staff.result", (struct rect){0, y, W, ui->h - y}, UI_LABEL, false, NULL);
    for (int i = 0; i < st.n_results; i++)
        y += line(ui, y, st.results[i].text, 3, true, st.results[i].ok ? UI_TEXT : UI_WARN_TEXT);
    if (st.n_older) { /* older than what is loaded: taken only on a second tap */
        y += ui_px(ui, 2);
        y += line(ui, y, D("staff.import.older.warn"), 3.2f, true, UI_WARN_TEXT);
        ui_button(ui, "staff.import.anyway", (struct rect){m, y, ui_px(ui, 60), ui_px(ui, 11)},
                  D("staff.import.anyway"), NULL, BTN_SECONDARY);
    }
}

static void draw_menu(struct app *a, struct ui *ui, int y)
{
    int m = ui_px(ui, 4), gap = ui_px(ui, 2), W = ui->w;
    struct buf b;
    buf_init(&b);
    if (st.have_stick)
        i18n_fmt_text("da", "staff.usb.found", st.stick, &b);
    else
        buf_puts(&b, D("staff.usb.none"));
    y += line(ui, y, b.data, 3, true, st.have_stick ? UI_TEXT : UI_MUTED);
    ui_register(ui, "staff.usb", (struct rect){m, y - ui_px(ui, 4), W - 2 * m, ui_px(ui, 4)}, UI_LABEL,
                false, st.have_stick ? st.stick : "");
    y += draw_note(ui, y);
    static const char *const ids[] = {"staff.import",   "staff.export",  "staff.status",
                                      "staff.reexport", "staff.settings", "staff.changepin"};
    int cols = W > ui->h ? 2 : 1, n = 6, bw = (W - 2 * m - (cols - 1) * gap) / cols;
    int bh = ui_px(ui, 12);
    for (int i = 0; i < n; i++)
        ui_button(ui, ids[i], (struct rect){m + (i % cols) * (bw + gap), y + (i / cols) * (bh + gap), bw, bh},
                  D(ids[i]), NULL, i < 2 ? BTN_PRIMARY : BTN_SECONDARY);
    buf_free(&b);
    (void)a;
}

static void draw_reexport(struct ui *ui, int y)
{
    int m = ui_px(ui, 4), gap = ui_px(ui, 1.5f), bh = ui_px(ui, 10);
    if (!st.n_seqs) {
        line(ui, y, D("staff.export.none"), 3.4f, false, UI_TEXT);
        return;
    }
    for (int i = st.n_seqs - 1, k = 0; i >= 0 && y + bh < ui->h; i--, k++) {
        char id[UI_ID_MAX], label[40];
        snprintf(id, sizeof id, "staff.reexport.%u", st.seqs[i]);
        snprintf(label, sizeof label, "Pakke %06u", st.seqs[i]);
        ui_button(ui, id, (struct rect){m, y, ui_px(ui, 60), bh}, label, NULL, BTN_SECONDARY);
        y += bh + gap;
    }
}

static void draw_settings(struct ui *ui, int y)
{
    int m = ui_px(ui, 4), gap = ui_px(ui, 1.2f), bh = ui_px(ui, 8), bw = ui_px(ui, 28);
    struct buf v;
    buf_init(&v);
    y += draw_note(ui, y);
    y += line(ui, y, D("staff.settings.languages"), 3.0f, true, UI_TEXT);
    int x = m;
    for (int i = 0; i < i18n_count(); i++) {
        const char *code = i18n_code(i);
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, "staff.set.lang.%s", code);
        char want[12];
        snprintf(want, sizeof want, ",%s,", code);
        struct buf wrapped;
        buf_init(&wrapped);
        buf_printf(&wrapped, ",%s,", st.cfg_languages);
        bool on = strstr(wrapped.data, want) != NULL;
        buf_free(&wrapped);
        if (x + bw > ui->w - m) { /* more languages than one row holds */
            x = m;
            y += bh + gap;
        }
        ui_button(ui, id, (struct rect){x, y, bw, bh}, i18n_get(code, "@name"), NULL,
                  on ? BTN_SELECTED : BTN_SECONDARY);
        x += bw + gap;
    }
    y += bh + 2 * gap;
    /* Check-in kinds, and beside them the idle time (one row, so that 12
     * units and 8 errands fit below at 1280x800). */
    int ix = m + 3 * (bw + gap) + 3 * gap, nw = ui_px(ui, 16);
    bool beside = ix + 2 * bh + nw + 2 * gap <= ui->w - m; /* else below (portrait) */
    struct text_style hs = {ui_px(ui, 3.0f), true, UI_TEXT};
    const struct text_block *hb = text_cache_get(ui->tc, D("staff.settings.kinds"), &hs,
                                                 ix - 2 * m, ALIGN_START, false);
    ui_text(ui, NULL, (struct rect){m, y, ix - 2 * m, hb->h}, D("staff.settings.kinds"), &hs,
            ALIGN_START, true, false);
    if (beside)
        ui_text(ui, NULL, (struct rect){ix, y, ui->w - ix - m, hb->h}, D("staff.settings.idle"),
                &hs, ALIGN_START, true, false);
    y += hb->h + ui_px(ui, 1);
    static const char *const kinds[3] = {"appointment", "session", "walkin"};
    static const char *const names[3] = {"Aftaler", "Hold", "Uden aftale"};
    for (int i = 0; i < 3; i++) {
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, "staff.set.kind.%s", kinds[i]);
        ui_button(ui, id, (struct rect){m + i * (bw + gap), y, bw, bh}, names[i], NULL,
                  strstr(st.cfg_kinds, kinds[i]) ? BTN_SELECTED : BTN_SECONDARY);
    }
    if (!beside) {
        y += bh + 2 * gap;
        y += line(ui, y, D("staff.settings.idle"), 3.0f, true, UI_TEXT);
        ix = m;
    }
    char secs[16];
    snprintf(secs, sizeof secs, "%ld", st.cfg_idle);
    ui_button(ui, "staff.set.idle.minus", (struct rect){ix, y, bh, bh}, "-", NULL, BTN_SECONDARY);
    struct text_style ts = {ui_px(ui, 4), true, UI_TEXT};
    ui_text(ui, "staff.set.idle", (struct rect){ix + bh + gap, y, nw, bh}, secs, &ts, ALIGN_CENTER,
            false, true);
    ui_button(ui, "staff.set.idle.plus", (struct rect){ix + bh + nw + 2 * gap, y, bh, bh}, "+", NULL,
              BTN_SECONDARY);
    y += bh + 2 * gap;
    static const char *const lists[2] = {"units", "errands"};
    static const char *const titles[2] = {"staff.settings.units", "staff.settings.errands"};
    for (int l = 0; l < 2; l++) {
        y += line(ui, y, D(titles[l]), 3.0f, true, UI_TEXT);
        buf_clear(&v);
        buf_puts(&v, st.cfg_lists[l]);
        int cx = m, i = 0;
        char *save = NULL;
        for (char *t = strtok_r(v.data, ",", &save);; t = strtok_r(NULL, ",", &save)) {
            char id[UI_ID_MAX];
            const char *label = t ? t : D("staff.settings.add");
            if (t)
                snprintf(id, sizeof id, "staff.set.%s.%d", lists[l], ++i);
            else
                snprintf(id, sizeof id, "staff.set.%s.add", lists[l]);
            /* As wide as ui_button needs for the label on one line. */
            struct text_style ls = {ui_px(ui, 3.4f), true, UI_TEXT};
            int w = text_width(label, &ls, false) + ui_px(ui, 4);
            if (cx + w > ui->w - m) {
                cx = m;
                y += bh + gap;
            }
            ui_button(ui, id, (struct rect){cx, y, w, bh}, label, NULL,
                      t ? BTN_SECONDARY : BTN_PRIMARY);
            cx += w + gap;
            if (!t)
                break;
        }
        y += bh + 2 * gap;
    }
    buf_free(&v);
}

static void draw_edit(struct app *a, struct ui *ui, int y)
{
    (void)a;
    int m = ui_px(ui, 4), W = ui->w, H = ui->h;
    y += line(ui, y, D(strcmp(st.edit_key, "units") == 0 ? "staff.edit.unit" : "staff.edit.errand"),
              3.6f, true, UI_TEXT);
    struct rect field = {m, y, W - 2 * m - ui_px(ui, 32), ui_px(ui, 9)};
    ui_round_rect(ui, field, ui_px(ui, 1), UI_PRIMARY);
    ui_round_rect(ui, (struct rect){field.x + 2, field.y + 2, field.w - 4, field.h - 4},
                  ui_px(ui, 1) - 2, UI_SURFACE);
    struct text_style ts = {ui_px(ui, 3.6f), true, UI_TEXT};
    ui_text(ui, "staff.edit.text", (struct rect){field.x + m / 2, field.y, field.w - m, field.h},
            st.edit[0] ? st.edit : " ", &ts, ALIGN_START, false, true);
    ui_button(ui, "staff.edit.ok", (struct rect){W - m - ui_px(ui, 30), y, ui_px(ui, 30), field.h},
              D("staff.edit.ok"), NULL, BTN_PRIMARY);
    int kh = H * 40 / 100;
    ui_keyboard(ui, "staff", (struct rect){m, H - m - kh, W - 2 * m, kh}, "Slet", "Mellemrum");
}

static void draw(struct app *a, struct ui *ui)
{
    bool saved = ui->rtl;
    ui->rtl = false; /* staff mode is in Danish */
    int m = ui_px(ui, 2.5f), bh = ui_px(ui, 11), bw = ui_px(ui, 26);
    ui_button(ui, "staff.leave", (struct rect){m, m, bw, bh}, D("staff.leave"), NULL, BTN_SECONDARY);
    int x = m + bw + m;
    if (st.view != PIN && st.view != MENU) { /* EDIT goes back to SETTINGS */
        ui_button(ui, "nav.back", (struct rect){x, m, bw, bh}, "Tilbage", NULL, BTN_SECONDARY);
        x += bw + m;
    }
    struct text_style ts = {ui_px(ui, 4.6f), true, UI_TEXT};
    ui_text(ui, NULL, (struct rect){x, m, ui->w - x - m, bh}, D("staff.title"), &ts, ALIGN_START, false,
            true);
    int y = m + bh + ui_px(ui, 3);
    switch (st.view) {
    case PIN: draw_pin(ui, y, D("staff.pin.title")); break;
    case NEWPIN:
        draw_pin(ui, y, D(st.pin_step ? "staff.changepin.again" : "staff.changepin.new"));
        break;
    case MENU: draw_menu(a, ui, y); break;
    case STATUS: draw_status(ui, y); break;
    case WORK: draw_work(a, ui, y); break;
    case REEXPORT: draw_reexport(ui, y); break;
    case SETTINGS: draw_settings(ui, y); break;
    case EDIT: draw_edit(a, ui, y); break;
    }
    ui->rtl = saved;
}

static bool busy(const struct app *a)
{
    (void)a;
    return SDL_AtomicGet(&st.running) != 0 || SDL_AtomicGet(&pc.running) != 0;
}

const struct screen screen_staff = {
    .name = "staff",
    .enter = enter,
    .draw = draw,
    .tap = tap,
    .forget = forget,
    .answered = answered,
    .busy = busy,
    .staff = true,
    .idle_ms = STAFF_IDLE_MS,
};

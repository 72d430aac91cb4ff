/*
 * admin.c — skranke-admin, the command line for staff and scripts
 * (FORMATS.md section 5). Each subcommand is one function that opens the
 * store, does one thing, and maps the outcome to the exit status:
 * 0 success, 2 the input was refused (nothing changed), 1 anything else.
 * Problems go to stderr, one line each; --json output goes to stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "batch.h"
#include "minisign.h"
#include "store.h"
#include "util.h"

#define EXIT_REFUSED 2

static const char usage[] =
    "usage: skranke-admin [--data DIR] COMMAND ...\n"
    "  init [--site ID] [--kiosk ID]    create the store, set site and kiosk ids\n"
    "  import [--accept-older] FILE...  import job or schedule batches (--accept-older:\n"
    "                                   also one older than the batch loaded)\n"
    "  export OUTDIR [--seq N]          export what waits (or batch N again)\n"
    "  status [--json]                  counts, last export, storage use\n"
    "  list responses|checkins|jobs|schedule [--json]\n"
    "  config get|set KEY [VALUE]       read or change a setting\n"
    "  set-pin                          set the staff PIN (read from stdin)\n"
    "  purge                            apply retention now\n"
    "  verify BATCHDIR [--pubkey FILE]  check an export batch\n"
    "  keygen --out PREFIX              make a kiosk signing key pair\n"
    "--data defaults to $SKRANKE_DATA, then ./data\n";

static const char *data_dir;

static void complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void complain(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("skranke-admin: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int exit_for(int rc)
{
    return rc == STORE_OK ? 0 : rc == STORE_EINVAL ? EXIT_REFUSED : 1;
}

/* Commands that only read refuse a folder without a store, rather than
 * quietly making an empty one at a mistyped path. */
static struct store *open_existing_store(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/data.mdb", data_dir);
    if (access(path, F_OK) != 0) {
        complain("%s: no kiosk data here (make it with: skranke-admin --data %s init)", data_dir,
                 data_dir);
        return NULL;
    }
    struct store *s;
    int rc = store_open(&s, data_dir, NULL);
    if (rc) {
        complain("%s: %s", data_dir, store_strerror(rc));
        return NULL;
    }
    return s;
}

static struct store *open_store(void)
{
    struct store *s;
    int rc = store_open(&s, data_dir, NULL);
    if (rc) {
        complain("%s: %s", data_dir, store_strerror(rc));
        return NULL;
    }
    return s;
}

/* Parses "--flag" options of a subcommand; positional arguments stay. */
static bool take_flag(int *argc, char **argv, const char *flag)
{
    for (int i = 1; i < *argc; i++)
        if (strcmp(argv[i], flag) == 0) {
            memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof *argv);
            (*argc)--;
            return true;
        }
    return false;
}

/* Takes "--opt VALUE"; *missing is set when the option has no value. */
static const char *take_option(int *argc, char **argv, const char *opt, bool *missing)
{
    for (int i = 1; i < *argc; i++)
        if (strcmp(argv[i], opt) == 0) {
            if (i + 1 >= *argc) {
                *missing = true;
                return NULL;
            }
            const char *v = argv[i + 1];
            memmove(&argv[i], &argv[i + 2], (size_t)(*argc - i - 1) * sizeof *argv);
            *argc -= 2;
            return v;
        }
    return NULL;
}

static bool no_more_options(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1] == '-') {
            complain("unknown option %s", argv[i]);
            return false;
        }
    return true;
}

/* ---- init ---- */

static int cmd_init(int argc, char **argv)
{
    bool missing = false;
    const char *site = take_option(&argc, argv, "--site", &missing);
    const char *kiosk = take_option(&argc, argv, "--kiosk", &missing);
    if (missing || argc != 1 || !no_more_options(argc, argv)) {
        complain("usage: init [--site ID] [--kiosk ID]");
        return EXIT_REFUSED;
    }
    struct buf why, v;
    buf_init(&why);
    buf_init(&v);
    const char *keys[2], *vals[2];
    size_t n = 0;
    if (site)
        keys[n] = "site", vals[n++] = site;
    if (kiosk)
        keys[n] = "kiosk", vals[n++] = kiosk;
    for (size_t i = 0; i < n; i++)
        if (store_config_check(keys[i], vals[i], &why)) {
            complain("--%s %s: %s", keys[i], vals[i], why.data);
            buf_free(&why);
            buf_free(&v);
            return EXIT_REFUSED;
        }
    struct store *s = open_store();
    if (!s) {
        buf_free(&why);
        buf_free(&v);
        return 1;
    }
    int rc = n ? store_config_set_many(s, keys, vals, n, &why) : 0;
    if (rc)
        complain("%s", rc == STORE_EINVAL ? why.data : store_strerror(rc));
    if (!rc) {
        store_config_get(s, "site", &why);
        store_config_get(s, "kiosk", &v);
        printf("store ready in %s (site %s, kiosk %s)\n", data_dir, why.data, v.data);
    }
    buf_free(&why);
    buf_free(&v);
    store_close(s);
    return exit_for(rc);
}

/* ---- import ---- */

/* Imports paths[0..n) as one batch (n > 1: the pages of a Jobnet search);
 * prints what was imported and each skipped job. Returns the exit status. */
static int import_batch(struct store *s, const char *const *paths, size_t n,
                        const struct batch_import_opts *opts)
{
    struct buf err;
    buf_init(&err);
    buf_clear(opts->skips);
    struct import_result res;
    int rc = batch_import_files(s, paths, n, opts, &res, &err);
    if (rc) {
        complain("%s", err.data);
        buf_free(&err);
        return exit_for(rc);
    }
    buf_free(&err);
    if (res.older)
        complain("%s: warning: this batch is older than the one that was loaded; it "
                 "replaced it because of --accept-older",
                 paths[0]);
    if (opts->skips->len)
        fputs(opts->skips->data, stderr); /* one line per skipped job */
    if (res.header.kind == BATCH_JOBS) {
        printf("%s: %zu job indlæst, %zu sprunget over (%s, batch %s)\n", paths[0], res.jobs,
               res.skipped, res.kind->name, res.header.batch_id);
        for (size_t i = 1; i < n; i++)
            printf("%s: read as page %zu of that batch\n", paths[i], i + 1);
    } else {
        printf("%s: schedule for %s on %s imported: %zu appointments, %zu sessions "
               "(batch %s)\n",
               paths[0], res.header.site, res.header.date, res.appointments, res.sessions,
               res.header.batch_id);
    }
    return 0;
}

static int cmd_import(int argc, char **argv)
{
    struct buf skips;
    buf_init(&skips);
    struct batch_import_opts opts = {.accept_older = take_flag(&argc, argv, "--accept-older"),
                                     .skips = &skips};
    if (argc < 2 || !no_more_options(argc, argv)) {
        complain("usage: import [--accept-older] FILE...");
        return EXIT_REFUSED;
    }
    struct store *s = open_store();
    if (!s)
        return 1;
    /* Files of a kind that comes in pages (Jobnet) form one batch, imported
     * where the first of them stands; every other file is a batch alone. */
    const char **pages = xcalloc((size_t)argc, sizeof *pages);
    size_t n_pages = batch_find_pages((const char *const *)argv + 1, (size_t)argc - 1, pages);
    int worst = 0;
    for (int i = 1; i < argc; i++) {
        bool paged = batch_is_page(pages, n_pages, argv[i]);
        if (paged && argv[i] != pages[0])
            continue;
        int code = paged ? import_batch(s, pages, n_pages, &opts)
                         : import_batch(s, (const char *const *)&argv[i], 1, &opts);
        if (code && worst != 1)
            worst = code;
    }
    free(pages);
    buf_free(&skips);
    store_close(s);
    return worst;
}

/* ---- export, purge, verify ---- */

static bool parse_seq(const char *text, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || !*text || *end || v == 0 || v > 999999)
        return false;
    *out = (uint32_t)v;
    return true;
}

static int cmd_export(int argc, char **argv)
{
    bool missing = false;
    const char *seq_text = take_option(&argc, argv, "--seq", &missing);
    uint32_t seq = 0;
    if (missing || argc != 2 || !no_more_options(argc, argv) ||
        (seq_text && !parse_seq(seq_text, &seq))) {
        complain("usage: export OUTDIR [--seq N]   (N: a batch number from 1)");
        return EXIT_REFUSED;
    }
    struct store *s = open_existing_store();
    if (!s)
        return 1;
    struct export_result res;
    struct buf err;
    buf_init(&err);
    int rc = batch_export(s, argv[1], seq, &res, &err);
    if (rc) {
        complain("export failed, nothing was marked as exported: %s", err.data);
    } else {
        printf("%s\n", res.dir);
        fprintf(stderr, "skranke-admin: batch %06u%s: %zu responses, %zu check-ins, verified\n",
                res.seq, seq ? " written again" : "", res.responses, res.checkins);
    }
    buf_free(&err);
    store_close(s);
    return exit_for(rc);
}

static int cmd_purge(int argc, char **argv)
{
    if (argc != 1 || !no_more_options(argc, argv)) {
        complain("usage: purge");
        return EXIT_REFUSED;
    }
    struct store *s = open_existing_store();
    if (!s)
        return 1;
    struct purge_result res;
    int rc = store_purge(s, clock_now(), &res);
    if (rc)
        complain("purge failed, nothing was deleted: %s", store_strerror(rc));
    else
        printf("purged %zu responses and %zu check-ins past their retention period\n",
               res.responses, res.checkins);
    store_close(s);
    return exit_for(rc);
}

static int cmd_verify(int argc, char **argv)
{
    bool missing = false;
    const char *pubkey = take_option(&argc, argv, "--pubkey", &missing);
    if (missing || argc != 2 || !no_more_options(argc, argv)) {
        complain("usage: verify BATCHDIR [--pubkey FILE]");
        return EXIT_REFUSED;
    }
    struct buf err;
    buf_init(&err);
    int rc = pubkey ? batch_verify_signed(argv[1], pubkey, &err) : batch_verify(argv[1], &err);
    if (rc)
        complain("%s", err.data);
    else
        printf("%s: verified%s\n", argv[1], pubkey ? ", signature good" : "");
    buf_free(&err);
    return exit_for(rc);
}

static int cmd_keygen(int argc, char **argv)
{
    bool missing = false;
    const char *prefix = take_option(&argc, argv, "--out", &missing);
    if (missing || !prefix || argc != 1 || !no_more_options(argc, argv)) {
        complain("usage: keygen --out PREFIX   (writes PREFIX.key and PREFIX.pub)");
        return EXIT_REFUSED;
    }
    if (sodium_init() < 0)
        return 1;
    struct buf pub, why;
    buf_init(&pub);
    buf_init(&why);
    int rc = minisign_keygen(prefix, &pub, &why);
    if (rc) {
        complain("%s", why.data);
    } else {
        printf("%s.key  the kiosk's secret key (keep it on the kiosk: config set kiosk_key)\n"
               "%s.pub  the public key, for the staff PC: minisign -V -p %s.pub -m manifest.json\n"
               "public key: %s\n",
               prefix, prefix, prefix, pub.data);
    }
    buf_free(&pub);
    buf_free(&why);
    return rc ? 1 : 0;
}

/* ---- set-pin ---- */

static int cmd_set_pin(int argc, char **argv)
{
    if (argc != 1 || !no_more_options(argc, argv)) {
        complain("usage: set-pin   (the PIN is read from standard input)");
        return EXIT_REFUSED;
    }
    char line[64];
    if (!fgets(line, sizeof line, stdin)) {
        complain("no PIN on standard input");
        return EXIT_REFUSED;
    }
    line[strcspn(line, "\r\n")] = '\0';
    size_t n = strlen(line);
    if (n < 4 || n > 8 || strspn(line, "0123456789") != n) {
        complain("a PIN is 4 to 8 digits");
        sodium_memzero(line, sizeof line);
        return EXIT_REFUSED;
    }
    struct store *s = open_store();
    if (!s)
        return 1;
    int rc = store_pin_make(s, line);
    if (rc)
        complain("%s", store_strerror(rc));
    else
        printf("PIN set; the count of wrong PINs (and its wait) cleared\n");
    sodium_memzero(line, sizeof line);
    store_close(s);
    return exit_for(rc);
}

/* ---- config ---- */

static int cmd_config(int argc, char **argv)
{
    bool get = argc == 3 && strcmp(argv[1], "get") == 0;
    bool set = argc == 4 && strcmp(argv[1], "set") == 0;
    if (!get && !set) {
        complain("usage: config get KEY | config set KEY VALUE");
        return EXIT_REFUSED;
    }
    struct store *s = get ? open_existing_store() : open_store();
    if (!s)
        return 1;
    struct buf out;
    buf_init(&out);
    int rc = get ? store_config_get(s, argv[2], &out) : store_config_set(s, argv[2], argv[3], &out);
    if (rc == STORE_ENOTFOUND) {
        struct buf keys;
        buf_init(&keys);
        for (int i = 0; store_config_keys[i]; i++)
            buf_printf(&keys, "%s%s", i ? ", " : "", store_config_keys[i]);
        complain("unknown setting '%s'; known: %s", argv[2], keys.data);
        buf_free(&keys);
        rc = STORE_EINVAL;
    } else if (rc == STORE_EINVAL) {
        complain("%s: %s", argv[2], out.data);
    } else if (rc) {
        complain("%s", store_strerror(rc));
    } else if (get) {
        printf("%s\n", out.data);
    }
    buf_free(&out);
    store_close(s);
    return exit_for(rc);
}

/* ---- status ---- */

static void print_time(struct buf *b, time_t t, bool json)
{
    char text[21];
    clock_rfc3339(t, text);
    if (!t)
        buf_puts(b, json ? "null" : "never");
    else if (json)
        buf_put_json_string(b, text);
    else
        buf_puts(b, text);
}

struct sched_list {
    struct buf *b;
    bool json;
    size_t n;
};

static void status_schedule(const struct schedule_info *i, void *ctx)
{
    struct sched_list *l = ctx;
    if (l->json) {
        buf_puts(l->b, l->n++ ? "," : "");
        buf_puts(l->b, "{\"site\":");
        buf_put_json_string(l->b, i->site);
        buf_printf(l->b, ",\"date\":\"%s\",\"batch_id\":", i->date);
        buf_put_json_string(l->b, i->batch_id);
        buf_printf(l->b, ",\"appointments\":%zu,\"sessions\":%zu}", i->appointments, i->sessions);
    } else {
        buf_printf(l->b, "schedule:           %s %s: %zu appointments, %zu sessions (batch %s)\n",
                   i->site, i->date, i->appointments, i->sessions, i->batch_id);
        l->n++;
    }
}

static int cmd_status(int argc, char **argv)
{
    bool json = take_flag(&argc, argv, "--json");
    if (argc != 1 || !no_more_options(argc, argv)) {
        complain("usage: status [--json]");
        return EXIT_REFUSED;
    }
    struct store *s = open_existing_store();
    if (!s)
        return 1;
    struct store_status st;
    struct jobs_info ji;
    struct buf site, kiosk, b;
    buf_init(&site);
    buf_init(&kiosk);
    buf_init(&b);
    int rc = store_status(s, &st);
    if (!rc)
        rc = store_jobs_info(s, &ji);
    if (!rc)
        rc = store_config_get(s, "site", &site);
    if (!rc)
        rc = store_config_get(s, "kiosk", &kiosk);
    if (rc) {
        complain("%s", store_strerror(rc));
        goto out;
    }
    struct sched_list sl = {&b, json, 0};
    if (json) {
        buf_puts(&b, "{\"site\":");
        buf_put_json_string(&b, site.data);
        buf_puts(&b, ",\"kiosk\":");
        buf_put_json_string(&b, kiosk.data);
        buf_printf(&b, ",\"version\":\"%s\",\"format\":%u", SKRANKE_VERSION, st.format_version);
        buf_printf(&b, ",\"responses\":{\"total\":%zu,\"waiting\":%zu}", st.responses,
                   st.responses_waiting);
        buf_printf(&b, ",\"checkins\":{\"total\":%zu,\"waiting\":%zu}", st.checkins,
                   st.checkins_waiting);
        buf_printf(&b, ",\"jobs\":{\"count\":%zu,\"batch_id\":", st.jobs);
        if (ji.generated_at)
            buf_put_json_string(&b, ji.batch_id);
        else
            buf_puts(&b, "null");
        buf_puts(&b, ",\"generated_at\":");
        print_time(&b, ji.generated_at, true);
        buf_puts(&b, ",\"imported_at\":");
        print_time(&b, ji.imported_at, true);
        buf_printf(&b, ",\"skipped\":%zu", ji.skipped);
        buf_puts(&b, "},\"schedules\":[");
        rc = store_foreach_schedule(s, status_schedule, &sl);
        buf_puts(&b, "],\"last_export\":");
        if (st.last_export.seq) {
            buf_printf(&b, "{\"seq\":%u,\"created_at\":", st.last_export.seq);
            print_time(&b, st.last_export.created_at, true);
            buf_printf(&b, ",\"responses\":%u,\"checkins\":%u}", st.last_export.responses,
                       st.last_export.checkins);
        } else {
            buf_puts(&b, "null");
        }
        buf_printf(&b, ",\"storage\":{\"used_bytes\":%zu,\"map_bytes\":%zu,\"max_bytes\":%zu}}\n",
                   st.map_used, st.map_size, st.map_max);
    } else {
        buf_printf(&b, "site:               %s\nkiosk:              %s\n", site.data, kiosk.data);
        buf_printf(&b, "version:            %s (data format %u)\n", SKRANKE_VERSION,
                   st.format_version);
        buf_printf(&b, "responses:          %zu stored, %zu waiting for export\n", st.responses,
                   st.responses_waiting);
        buf_printf(&b, "check-ins:          %zu stored, %zu waiting for export\n", st.checkins,
                   st.checkins_waiting);
        buf_printf(&b, "job openings:       %zu", st.jobs);
        if (ji.generated_at) {
            buf_printf(&b, " (batch %s, generated ", ji.batch_id);
            print_time(&b, ji.generated_at, false);
            buf_printf(&b, "; %zu skipped at import)", ji.skipped);
        } else {
            buf_puts(&b, " (none imported yet)");
        }
        buf_puts(&b, "\n");
        rc = store_foreach_schedule(s, status_schedule, &sl);
        if (!sl.n)
            buf_puts(&b, "schedule:           none imported\n");
        buf_puts(&b, "batches read:       ");
        for (size_t i = 0; i < batch_kinds_n; i++)
            buf_printf(&b, "%s%s", i ? "; " : "", batch_kinds[i]->name);
        buf_puts(&b, "\n");
        buf_puts(&b, "last export:        ");
        if (st.last_export.seq) {
            buf_printf(&b, "batch %06u at ", st.last_export.seq);
            print_time(&b, st.last_export.created_at, false);
            buf_printf(&b, " (%u responses, %u check-ins)\n", st.last_export.responses,
                       st.last_export.checkins);
        } else {
            buf_puts(&b, "never\n");
        }
        buf_printf(&b, "storage:            %.1f MiB used of %.0f MiB (ceiling %.0f MiB)\n",
                   st.map_used / 1048576.0, st.map_size / 1048576.0, st.map_max / 1048576.0);
    }
    if (!rc)
        fputs(b.data, stdout);
out:
    buf_free(&site);
    buf_free(&kiosk);
    buf_free(&b);
    store_close(s);
    return exit_for(rc);
}

/* ---- list ---- */

struct lister {
    struct buf b;
    bool json;
    size_t n;
};

static void sep(struct lister *l)
{
    if (l->json)
        buf_puts(&l->b, l->n ? ",\n" : "\n");
    l->n++;
}

static void json_field(struct buf *b, const char *name, const char *value, bool first)
{
    buf_printf(b, "%s\"%s\":", first ? "" : ",", name);
    buf_put_json_string(b, value);
}

static void list_response(const struct response *r, void *ctx)
{
    struct lister *l = ctx;
    sep(l);
    if (l->json) {
        buf_putc(&l->b, '{');
        json_field(&l->b, "response_id", r->id, true);
        json_field(&l->b, "date", r->date, false);
        json_field(&l->b, "site", r->site, false);
        json_field(&l->b, "unit", r->unit, false);
        json_field(&l->b, "language", r->language, false);
        for (int i = 0; i < STORE_QUESTIONS; i++) {
            buf_printf(&l->b, ",\"%s\":", store_question_keys[i]);
            if (r->answers[i])
                buf_printf(&l->b, "%u", r->answers[i]);
            else
                buf_puts(&l->b, "null");
        }
        buf_printf(&l->b, ",\"exported\":%s}", r->exported_seq ? "true" : "false");
    } else {
        buf_printf(&l->b, "%s  %s  %-8s %-3s", r->id, r->date, r->site, r->language);
        for (int i = 0; i < STORE_QUESTIONS; i++)
            buf_printf(&l->b, " %c", r->answers[i] ? '0' + r->answers[i] : '-');
        buf_printf(&l->b, "  %s\n", r->exported_seq ? "exported" : "waiting");
    }
}

static void list_checkin(const struct checkin *c, void *ctx)
{
    struct lister *l = ctx;
    sep(l);
    if (l->json) {
        buf_putc(&l->b, '{');
        json_field(&l->b, "checkin_id", c->id, true);
        json_field(&l->b, "date", c->date, false);
        json_field(&l->b, "time", c->time, false);
        json_field(&l->b, "site", c->site, false);
        json_field(&l->b, "kind", checkin_kind_name(c->kind), false);
        json_field(&l->b, "code", c->code, false);
        json_field(&l->b, "unit", c->unit, false);
        json_field(&l->b, "session_id", c->session_id, false);
        json_field(&l->b, "ticket", c->ticket, false);
        json_field(&l->b, "result", c->result, false);
        buf_printf(&l->b, ",\"exported\":%s}", c->exported_seq ? "true" : "false");
    } else {
        buf_printf(&l->b, "%s  %s %s  %-11s %-6s %-8s %-6s %s\n", c->id, c->date, c->time,
                   checkin_kind_name(c->kind), c->code, c->session_id, c->ticket, c->result);
    }
}

static void list_job(const struct job *j, void *ctx)
{
    struct lister *l = ctx;
    sep(l);
    if (!l->json) {
        buf_printf(&l->b, "%-10s %s — %s, %s%s%s\n", j->id, j->title, j->employer, j->city,
                   j->deadline[0] ? ", deadline " : "", j->deadline);
        return;
    }
    const char *names[] = {"id",       "title",    "employer", "city",    "postcode", "category",
                           "posted",   "deadline", "summary",  "url",     "language"};
    const char *vals[] = {j->id,       j->title,    j->employer, j->city, j->postcode,
                          j->category, j->posted,   j->deadline, j->summary, j->url,
                          j->language};
    buf_putc(&l->b, '{');
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        json_field(&l->b, names[i], vals[i], i == 0);
    json_field(&l->b, "hours", job_hours_name(j->hours), false);
    json_field(&l->b, "kind", job_kind_name(j->kind), false);
    buf_putc(&l->b, '}');
}

struct sched_ctx {
    struct store *s;
    struct lister *l;
    size_t inner;
};

/* The translations of a record's texts (skranke.schedule/2), names[i]
 * being the field of tr[i]: in JSON, ,"translations":{"title":{"uk":…}}
 * when there are any; as text, "  [also en, uk]" for the languages any of
 * them is given in. Nothing at all for a record without translations, so
 * a schedule/1 lists as it always did. */
static void list_translations(struct buf *b, bool json, const char *const *names,
                              const struct store_tr *const *tr, size_t n)
{
    bool any = false, first = true;
    for (size_t f = 0; f < n; f++)
        any = any || store_tr_count(tr[f]);
    if (!any)
        return;
    if (!json) {
        buf_puts(b, "  [also");
        for (int l = 1; l < STORE_LANGS; l++) {
            bool has = false;
            for (size_t f = 0; f < n; f++)
                has = has || tr[f]->text[l][0];
            if (has)
                buf_printf(b, "%s %s", first ? "" : ",", store_langs[l]);
            first = first && !has;
        }
        buf_putc(b, ']');
        return;
    }
    buf_puts(b, ",\"translations\":{");
    for (size_t f = 0; f < n; f++) {
        if (!store_tr_count(tr[f]))
            continue;
        buf_printf(b, "%s\"%s\":{", first ? "" : ",", names[f]);
        first = false;
        bool first_lang = true;
        for (int l = 1; l < STORE_LANGS; l++)
            if (tr[f]->text[l][0]) {
                json_field(b, store_langs[l], tr[f]->text[l], first_lang);
                first_lang = false;
            }
        buf_putc(b, '}');
    }
    buf_putc(b, '}');
}

static void list_appointment(const struct appointment *a, void *ctx)
{
    struct sched_ctx *c = ctx;
    struct buf *b = &c->l->b;
    if (c->l->json) {
        buf_puts(b, c->inner++ ? "," : "");
        buf_putc(b, '{');
        json_field(b, "code", a->code, true);
        json_field(b, "time", a->time, false);
        json_field(b, "unit", a->unit, false);
        json_field(b, "place", a->place, false);
        json_field(b, "host", a->host, false);
    } else {
        buf_printf(b, "  %s  %s  %s, %s%s%s", a->time, a->code, a->unit, a->place,
                   a->host[0] ? ", host " : "", a->host);
    }
    static const char *const names[] = {"unit", "place"};
    const struct store_tr *tr[] = {&a->unit_tr, &a->place_tr};
    list_translations(b, c->l->json, names, tr, 2);
    buf_puts(b, c->l->json ? "}" : "\n");
}

static void list_session(const struct session *x, void *ctx)
{
    struct sched_ctx *c = ctx;
    struct buf *b = &c->l->b;
    if (c->l->json) {
        buf_puts(b, c->inner++ ? "," : "");
        buf_putc(b, '{');
        json_field(b, "id", x->id, true);
        json_field(b, "title", x->title, false);
        json_field(b, "start", x->start, false);
        json_field(b, "end", x->end, false);
        json_field(b, "place", x->place, false);
        buf_puts(b, ",\"participants\":[");
        for (size_t i = 0; i < x->n_participants; i++) {
            buf_puts(b, i ? "," : "");
            buf_put_json_string(b, x->participants[i]);
        }
        buf_putc(b, ']');
    } else {
        buf_printf(b, "  %s–%s  %s (%s), %s, %zu participants%s", x->start, x->end, x->title,
                   x->id, x->place, x->n_participants,
                   x->n_participants ? "" : " (open attendance)");
    }
    static const char *const names[] = {"title", "place"};
    const struct store_tr *tr[] = {&x->title_tr, &x->place_tr};
    list_translations(b, c->l->json, names, tr, 2);
    buf_puts(b, c->l->json ? "}" : "\n");
}

static void list_schedule(const struct schedule_info *i, void *ctx)
{
    struct sched_ctx *c = ctx;
    struct lister *l = c->l;
    sep(l);
    if (l->json) {
        buf_puts(&l->b, "{");
        json_field(&l->b, "site", i->site, true);
        json_field(&l->b, "date", i->date, false);
        json_field(&l->b, "batch_id", i->batch_id, false);
        buf_puts(&l->b, ",\"generated_at\":");
        print_time(&l->b, i->generated_at, true);
        buf_puts(&l->b, ",\"appointments\":[");
    } else {
        buf_printf(&l->b, "%s %s (batch %s)\n", i->site, i->date, i->batch_id);
    }
    c->inner = 0;
    store_foreach_appointment(c->s, i->site, i->date, list_appointment, c);
    if (l->json)
        buf_puts(&l->b, "],\"sessions\":[");
    c->inner = 0;
    store_foreach_session(c->s, i->site, i->date, list_session, c);
    if (l->json)
        buf_puts(&l->b, "]}");
}

static int cmd_list(int argc, char **argv)
{
    struct lister l = {.json = take_flag(&argc, argv, "--json")};
    static const char *const what[] = {"responses", "checkins", "jobs", "schedule"};
    int which = -1;
    for (int i = 0; argc == 2 && i < 4; i++)
        if (strcmp(argv[1], what[i]) == 0)
            which = i;
    if (which < 0 || !no_more_options(argc, argv)) {
        complain("usage: list responses|checkins|jobs|schedule [--json]");
        return EXIT_REFUSED;
    }
    struct store *s = open_existing_store();
    if (!s)
        return 1;
    buf_init(&l.b);
    if (l.json)
        buf_putc(&l.b, '[');
    struct sched_ctx sc = {s, &l, 0};
    int rc = which == 0   ? store_foreach_response(s, list_response, &l)
             : which == 1 ? store_foreach_checkin(s, list_checkin, &l)
             : which == 2 ? store_foreach_job(s, list_job, &l)
                          : store_foreach_schedule(s, list_schedule, &sc);
    if (l.json)
        buf_puts(&l.b, l.n ? "\n]\n" : "]\n");
    if (rc)
        complain("%s", store_strerror(rc));
    else if (l.b.len)
        fputs(l.b.data, stdout);
    buf_free(&l.b);
    store_close(s);
    return exit_for(rc);
}

int main(int argc, char **argv)
{
    data_dir = getenv("SKRANKE_DATA");
    if (!data_dir || !*data_dir)
        data_dir = "./data";
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            data_dir = argv[i + 1];
            i += 2;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("skranke-admin %s\n", SKRANKE_VERSION);
            return 0;
        } else {
            complain("unknown option %s", argv[i]);
            fputs(usage, stderr);
            return EXIT_REFUSED;
        }
    }
    if (i >= argc) {
        fputs(usage, stderr);
        return EXIT_REFUSED;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"init", cmd_init},       {"import", cmd_import}, {"export", cmd_export},
        {"status", cmd_status},   {"list", cmd_list},     {"config", cmd_config},
        {"set-pin", cmd_set_pin}, {"purge", cmd_purge},   {"verify", cmd_verify},
        {"keygen", cmd_keygen},
    };
    for (size_t c = 0; c < sizeof cmds / sizeof *cmds; c++)
        if (strcmp(argv[i], cmds[c].name) == 0)
            return cmds[c].fn(argc - i, argv + i);
    complain("unknown command '%s'", argv[i]);
    fputs(usage, stderr);
    return EXIT_REFUSED;
}

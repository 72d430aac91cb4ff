/*
 * central.c — skranke-central, the receiving side (FORMATS.md section 8):
 * many kiosks' export batches into one database (SQLite or PostgreSQL, see
 * central_db.h), and the dignity report over them. Each subcommand is one
 * function that opens the database, does one thing and maps the outcome to
 * the exit status: 0 success, 2 the input was refused (nothing changed),
 * 1 anything else. Problems go to stderr, one line each.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "central_db.h"
#include "ingest.h"
#include "minisign.h"
#include "report.h"
#include "util.h"

#define EXIT_REFUSED 2

static const char usage[] =
    "usage: skranke-central [--db URL] COMMAND ...\n"
    "  init                          create the tables (safe to run again)\n"
    "  keys add FILE.pub             trust a kiosk's minisign public key; from then on\n"
    "                                every batch must be signed by a registered key\n"
    "  ingest DIR...                 verify and load export batches\n"
    "  report --from YYYY-MM-DD --to YYYY-MM-DD [--site S] --out DIR\n"
    "                                write report.pdf, report.html and figures.csv\n"
    "--db: sqlite:PATH (default sqlite:./central.db) or postgresql://… (libpq URI)\n";

static void complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void complain(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("skranke-central: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Opens url; for every command but init, the schema must be there. */
static struct central_db *open_db(const char *url, bool for_init)
{
    struct central_db *db = central_db_open(url);
    if (db && !for_init && central_db_check(db)) {
        db->ops->close(db);
        return NULL;
    }
    return db;
}

static int cmd_init(struct central_db *db, int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        complain("usage: init");
        return EXIT_REFUSED;
    }
    if (central_db_init(db))
        return 1;
    printf("%s database ready\n", db->ops->name);
    return 0;
}

static int cmd_keys(struct central_db *db, int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "add") != 0) {
        complain("usage: keys add FILE.pub");
        return EXIT_REFUSED;
    }
    struct minisign_key key;
    struct buf why;
    buf_init(&why);
    if (!minisign_read_key_file(argv[2], &key, &why)) {
        complain("%s: not a minisign public key: %s", argv[2], why.data ? why.data : "");
        buf_free(&why);
        return EXIT_REFUSED;
    }
    buf_free(&why);
    char id[17], pk[65], now[21];
    sodium_bin2hex(id, sizeof id, key.id, sizeof key.id);
    sodium_bin2hex(pk, sizeof pk, key.pk, sizeof key.pk);
    clock_rfc3339(clock_now(), now);
    const char *params[] = {id, pk, now};
    long added = 0;
    if (db->ops->exec(db,
                      "INSERT INTO signing_keys (key_id, public_key, added_at) VALUES ($1, $2, $3)"
                      " ON CONFLICT (key_id) DO NOTHING",
                      3, params, &added))
        return 1;
    /* minisign prints key ids as upper-case hex, most significant byte last. */
    char shown[17];
    for (int i = 0; i < 8; i++)
        snprintf(shown + 2 * i, 3, "%02X", key.id[7 - i]);
    printf("key %s %s\n", shown, added ? "added" : "was already registered");
    return 0;
}

static int cmd_ingest(struct central_db *db, int argc, char **argv)
{
    if (argc < 2) {
        complain("usage: ingest DIR...");
        return EXIT_REFUSED;
    }
    struct minisign_key *keys = NULL;
    size_t nkeys = 0;
    if (ingest_load_keys(db, &keys, &nkeys))
        return 1;
    struct buf why;
    buf_init(&why);
    struct ingest_result res;
    int code = 0;
    /* Every batch is checked before any is loaded: one refused batch
     * refuses the command, and nothing changes. */
    for (int i = 1; i < argc; i++) {
        if (ingest_batch(NULL, argv[i], keys, nkeys, &res, &why)) {
            complain("refused %s: %s; nothing was added", argv[i], why.data);
            code = EXIT_REFUSED;
        }
    }
    for (int i = 1; i < argc && !code; i++) {
        int rc = ingest_batch(db, argv[i], keys, nkeys, &res, &why);
        if (rc == INGEST_REFUSED) {
            /* The folder changed after it was checked. */
            complain("refused %s: %s; nothing of it was added", argv[i], why.data);
            code = EXIT_REFUSED;
        } else if (rc) {
            complain("%s: the database failed; nothing of it was added", argv[i]);
            code = 1;
        } else {
            long known = (res.responses - res.responses_added) + (res.checkins - res.checkins_added);
            printf("%s: %ld responses, %ld check-ins added (%ld already known)%s\n", res.name,
                   res.responses_added, res.checkins_added, known,
                   res.batch_known ? "; this batch was ingested before" : "");
        }
    }
    buf_free(&why);
    free(keys);
    return code;
}

static bool date_arg(const char *s)
{
    int y, m, d;
    return s && parse_date(s, &y, &m, &d);
}

static int cmd_report(struct central_db *db, int argc, char **argv)
{
    struct report_options o = {0};
    for (int i = 1; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--from") == 0   ? &o.from
                            : strcmp(argv[i], "--to") == 0   ? &o.to
                            : strcmp(argv[i], "--site") == 0 ? &o.site
                            : strcmp(argv[i], "--out") == 0  ? &o.out_dir
                                                             : NULL;
        if (!slot || i + 1 == argc)
            goto usage;
        *slot = argv[++i];
    }
    if (!date_arg(o.from) || !date_arg(o.to) || !o.out_dir)
        goto usage;
    if (strcmp(o.from, o.to) > 0) {
        complain("report: --from %s is after --to %s", o.from, o.to);
        return EXIT_REFUSED;
    }
    if (report_write(db, &o))
        return 1;
    printf("wrote %s/report.pdf, %s/report.html and %s/figures.csv\n", o.out_dir, o.out_dir,
           o.out_dir);
    return 0;
usage:
    complain("usage: report --from YYYY-MM-DD --to YYYY-MM-DD [--site S] --out DIR");
    return EXIT_REFUSED;
}

int main(int argc, char **argv)
{
    const char *url = "sqlite:./central.db";
    int i = 1;
    if (i + 1 < argc && strcmp(argv[i], "--db") == 0) {
        url = argv[i + 1];
        i += 2;
    }
    if (i >= argc || strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
        fputs(usage, i >= argc ? stderr : stdout);
        return i >= argc ? EXIT_REFUSED : 0;
    }
    static const struct {
        const char *name;
        int (*fn)(struct central_db *, int, char **);
    } commands[] = {
        {"init", cmd_init},
        {"keys", cmd_keys},
        {"ingest", cmd_ingest},
        {"report", cmd_report},
    };
    for (size_t c = 0; c < sizeof commands / sizeof *commands; c++) {
        if (strcmp(argv[i], commands[c].name) != 0)
            continue;
        if (sodium_init() < 0) {
            complain("libsodium cannot start");
            return 1;
        }
        struct central_db *db = open_db(url, commands[c].fn == cmd_init);
        if (!db)
            return 1;
        int code = commands[c].fn(db, argc - i, argv + i);
        db->ops->close(db);
        return code;
    }
    complain("unknown command '%s'", argv[i]);
    fputs(usage, stderr);
    return EXIT_REFUSED;
}

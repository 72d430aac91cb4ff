/*
 * store_config.c — the kiosk's settings: a fixed table of known keys, each
 * with its default and a validator that explains a refusal in one sentence.
 * Only keys that were set are stored; reading falls back to the default.
 * The list settings `errands` and `units` have per-language labels
 * (`errands.uk`, …): the same items in the same order, checked against the
 * list when either changes, and when not set, the kiosk's own translations
 * of common Danish items (see glossary below).
 * Also retention purge, which is driven by two of these settings, and the
 * staff PIN: its Argon2id hash and the count of wrong PINs in a row, which
 * drives a back-off on the caller's monotonic clock (see store.h).
 */
#define _GNU_SOURCE
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "batch.h"
#include "record.h"

typedef bool (*validator)(const char *value, struct buf *why);

static bool is_id(const char *v, struct buf *why)
{
    size_t n = strlen(v);
    bool ok = n >= 1 && n <= STORE_SITE_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", v[i]) &&
             v[i] != '\0';
    if (!ok || v[0] == '.')
        buf_printf(why, "use 1 to %d letters a-z, digits, '-', '_' or '.'", STORE_SITE_MAX);
    return ok && v[0] != '.';
}

static bool is_text(const char *v, struct buf *why)
{
    size_t n = strlen(v);
    bool ok = n <= STORE_TEXT_MAX && utf8_valid(v, n);
    for (size_t i = 0; ok && i < n; i++)
        ok = (unsigned char)v[i] >= 0x20;
    if (!ok)
        buf_printf(why, "use at most %d bytes of UTF-8 text without control characters",
                   STORE_TEXT_MAX);
    return ok;
}

/* Calls each(item) for every comma-separated item; items are trimmed. */
static bool for_items(const char *v, bool (*each)(const char *item, void *ctx, struct buf *why),
                      void *ctx, struct buf *why)
{
    char *copy = xstrdup(v), *save = NULL;
    bool ok = true;
    if (*v)
        for (char *it = strtok_r(copy, ",", &save); ok && it; it = strtok_r(NULL, ",", &save)) {
            while (*it == ' ')
                it++;
            size_t n = strlen(it);
            while (n && it[n - 1] == ' ')
                it[--n] = '\0';
            ok = each(it, ctx, why);
        }
    free(copy);
    return ok;
}

struct list_ctx {
    const char *allowed[8];
    char seen[32][STORE_TEXT_MAX + 1];
    size_t n, max; /* max 0: 26 */
};

static bool list_item(const char *it, void *vctx, struct buf *why)
{
    struct list_ctx *c = vctx;
    if (!*it) {
        buf_puts(why, "an item of the list is empty");
        return false;
    }
    if (!is_text(it, why))
        return false;
    if (c->allowed[0]) {
        bool found = false;
        for (int i = 0; c->allowed[i]; i++)
            found = found || strcmp(it, c->allowed[i]) == 0;
        if (!found) {
            buf_printf(why, "'%s' is not one of:", it);
            for (int i = 0; c->allowed[i]; i++)
                buf_printf(why, " %s", c->allowed[i]);
            return false;
        }
    }
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->seen[i], it) == 0) {
            buf_printf(why, "'%s' is listed twice", it);
            return false;
        }
    if (c->max && c->n == c->max) {
        buf_printf(why, "at most %zu items: the kiosk shows %zu buttons to choose from and "
                        "would hide the rest; remove one first", c->max, c->max);
        return false;
    }
    if (c->n == 26) {
        buf_puts(why, "the list has more than 26 items");
        return false;
    }
    strcpy(c->seen[c->n++], it);
    return true;
}

/* Units and errands: choices on screen, as many as fit (store.h). */
static bool is_units(const char *v, struct buf *why)
{
    struct list_ctx c = {{NULL}, {{0}}, 0, STORE_UNITS_MAX};
    return for_items(v, list_item, &c, why);
}

static bool is_errands(const char *v, struct buf *why)
{
    if (!*v) {
        buf_puts(why, "the list needs at least one item");
        return false;
    }
    struct list_ctx c = {{NULL}, {{0}}, 0, STORE_ERRANDS_MAX};
    return for_items(v, list_item, &c, why);
}

static bool is_checkin_kinds(const char *v, struct buf *why)
{
    struct list_ctx c = {{"appointment", "session", "walkin", NULL}, {{0}}, 0, 0};
    return for_items(v, list_item, &c, why);
}

static bool lang_item(const char *it, void *vctx, struct buf *why)
{
    size_t n = strlen(it);
    bool ok = n >= 2 && n <= 3;
    for (size_t i = 0; ok && i < n; i++)
        ok = it[i] >= 'a' && it[i] <= 'z';
    if (!ok) {
        buf_printf(why, "'%s' is not a language code such as da, en, uk or ar", it);
        return false;
    }
    return list_item(it, vctx, why);
}

static bool is_languages(const char *v, struct buf *why)
{
    struct list_ctx c = {{NULL}, {{0}}, 0, 0};
    if (!*v) {
        buf_puts(why, "offer at least one language");
        return false;
    }
    return for_items(v, lang_item, &c, why);
}

static bool number_in(const char *v, long lo, long hi, struct buf *why)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi) {
        buf_printf(why, "use a whole number from %ld to %ld", lo, hi);
        return false;
    }
    return true;
}

static bool is_idle(const char *v, struct buf *why) { return number_in(v, 10, 3600, why); }
static bool is_prompt(const char *v, struct buf *why) { return number_in(v, 5, 300, why); }
static bool is_minutes(const char *v, struct buf *why) { return number_in(v, 0, 720, why); }
static bool is_days(const char *v, struct buf *why) { return number_in(v, 1, 3650, why); }
static bool is_map_mb(const char *v, struct buf *why) { return number_in(v, 1, 65536, why); }
static bool is_inches(const char *v, struct buf *why) { return number_in(v, 4, 100, why); }
static bool is_flag(const char *v, struct buf *why) { return number_in(v, 0, 1, why); }
static bool is_percent(const char *v, struct buf *why) { return number_in(v, 0, 100, why); }

static bool key_item(const char *it, void *vctx, struct buf *why)
{
    (void)vctx;
    unsigned char raw[64];
    size_t n = 0;
    if (sodium_base642bin(raw, sizeof raw, it, strlen(it), NULL, &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL) ||
        n != 42 || raw[0] != 'E' || raw[1] != 'd') {
        buf_printf(why, "'%.20s…' is not a minisign public key (the second line of a .pub file)",
                   it);
        return false;
    }
    return true;
}

static bool is_keys(const char *v, struct buf *why)
{
    return for_items(v, key_item, NULL, why);
}

static bool is_path(const char *v, struct buf *why)
{
    if (*v && v[0] != '/') {
        buf_puts(why, "use an absolute path (starting with /)");
        return false;
    }
    return is_text(v, why) || (buf_clear(why), strlen(v) < 4096);
}

static bool is_dir(const char *v, struct buf *why)
{
    if (!*v) {
        buf_puts(why, "give a directory");
        return false;
    }
    return is_path(v, why);
}

/* ---- per-language labels of errands and units ---- */

/* An item of a label list: the checks of any list item, and what may never
 * reach a public screen (as in a schedule batch), within 100 characters. */
static bool label_item(const char *it, void *vctx, struct buf *why)
{
    if (!list_item(it, vctx, why))
        return false;
    const char *bad = batch_text_refusal(it);
    if (bad) {
        buf_printf(why, "'%s' %s", it, bad);
        return false;
    }
    if (utf8_count(it, strlen(it)) > 100) {
        buf_printf(why, "'%.40s…' is longer than 100 characters", it);
        return false;
    }
    return true;
}

/* A label list; "" clears it (back to the kiosk's own translations). */
static bool is_labels(const char *v, struct buf *why)
{
    struct list_ctx c = {{NULL}, {{0}}, 0};
    return for_items(v, label_item, &c, why);
}

/* The kiosk's own translations of the default errands and of units many
 * jobcenters have, in every language of store_langs after Danish. Not
 * reviewed by native speakers yet; a `errands.LANG` or `units.LANG`
 * setting overrides them. */
static const struct {
    const char *da, *tr[STORE_LANGS - 1]; /* en uk ar fa pl so ti */
} glossary[] = {
    {"Ledighed",
     {"Unemployment", "Безробіття", "البطالة", "بیکاری", "Bezrobocie", "Shaqo la'aan",
      "ስራሕ ኣልቦነት"}},
    {"Sygedagpenge",
     {"Sickness benefit", "Лікарняні", "إعانة المرض", "کمک مالی بیماری", "Zasiłek chorobowy",
      "Lacagta jirrada", "ናይ ሕማም ደገፍ"}},
    {"Andet",
     {"Other", "Інше", "أخرى", "موارد دیگر", "Inne", "Wax kale", "ካልእ"}},
    {"Kontanthjælp",
     {"Social assistance", "Соціальна допомога", "المساعدة الاجتماعية", "کمک اجتماعی",
      "Zasiłek socjalny", "Gargaarka bulshada", "ማሕበራዊ ሓገዝ"}},
    {"Ungeenheden",
     {"Youth unit", "Відділ для молоді", "قسم الشباب", "بخش جوانان", "Dział dla młodzieży",
      "Qaybta dhalinyarada", "ክፍሊ መንእሰያት"}},
    {"Integration",
     {"Integration", "Інтеграція", "الاندماج", "ادغام", "Integracja", "Is-dhexgalka",
      "ምውህሃድ"}},
};

/* The kiosk's own translation of the Danish item da in store_langs[lang],
 * or da itself. */
static const char *glossary_text(const char *da, int lang)
{
    for (size_t g = 0; g < sizeof glossary / sizeof *glossary; g++)
        if (strcmp(da, glossary[g].da) == 0)
            return glossary[g].tr[lang - 1];
    return da;
}

/* The key of the list a label setting belongs to ("errands" for
 * "errands.uk") into base, and the language's index; false for any other
 * key. */
static bool label_key(const char *key, char base[16], int *lang)
{
    const char *dot = strchr(key, '.');
    if (!dot || (size_t)(dot - key) >= 16)
        return false;
    memcpy(base, key, (size_t)(dot - key));
    base[dot - key] = '\0';
    *lang = store_lang_index(dot + 1);
    return *lang > 0 && (strcmp(base, "errands") == 0 || strcmp(base, "units") == 0);
}

/* The items of a list value (trimmed, as for_items reads them) into
 * out[max]; returns how many there are (counting past max). */
static int split_items(const char *v, char (*out)[STORE_TEXT_MAX + 1], int max)
{
    char *copy = xstrdup(v ? v : ""), *save = NULL;
    int n = 0;
    for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
        while (*it == ' ')
            it++;
        size_t len = strlen(it);
        while (len && it[len - 1] == ' ')
            it[--len] = '\0';
        if (n < max)
            snprintf(out[n], STORE_TEXT_MAX + 1, "%s", it);
        n++;
    }
    free(copy);
    return n;
}

static int count_items(const char *v)
{
    return split_items(v, NULL, 0);
}

/* After settings were written in txn: every label list that is set has as
 * many items as its list. STORE_EINVAL with the reason in why otherwise. */
static int check_labels(struct store *s, MDB_txn *txn, struct buf *why)
{
    static const char *const bases[] = {"errands", "units"};
    struct buf list, labels;
    buf_init(&list);
    buf_init(&labels);
    int rc = 0;
    for (size_t b = 0; !rc && b < 2; b++) {
        if ((rc = store_config_get_txn(s, txn, bases[b], &list)))
            break;
        int want = count_items(list.data);
        for (int l = 1; !rc && l < STORE_LANGS; l++) {
            char key[32];
            snprintf(key, sizeof key, "%s.%s", bases[b], store_langs[l]);
            if ((rc = store_config_get_txn(s, txn, key, &labels)))
                break;
            int got = count_items(labels.data);
            if (got && got != want) {
                buf_clear(why);
                buf_printf(why,
                           "%s has %d item%s but %s has %d label%s; give one label for each "
                           "item, in the same order (or clear %s with \"\")",
                           bases[b], want, want == 1 ? "" : "s", key, got, got == 1 ? "" : "s",
                           key);
                rc = STORE_EINVAL;
            }
        }
    }
    buf_free(&list);
    buf_free(&labels);
    return rc;
}

static const struct setting {
    const char *key, *def;
    validator valid;
} settings[] = {
    {"site", "demo-site", is_id},
    {"kiosk", "kiosk-1", is_id},
    {"units", "", is_units},
    {"unit", "", is_text},
    {"errands", "Ledighed,Sygedagpenge,Andet", is_errands},
    {"checkin_kinds", "appointment,session,walkin", is_checkin_kinds},
    {"languages", "da,en,uk,ar", is_languages},
    {"idle_timeout_s", "45", is_idle},
    {"idle_prompt_s", "15", is_prompt},
    {"checkin_early_min", "60", is_minutes},
    {"checkin_late_min", "30", is_minutes},
    {"session_open_before_min", "30", is_minutes},
    {"trusted_keys", "", is_keys},
    {"kiosk_key", "", is_path},
    {"usb_root", "/media", is_dir},
    {"sync_dir", "", is_path},
    {"retention_responses_days", "90", is_days},
    {"retention_checkins_days", "7", is_days},
    {"jobs_stale_days", "7", is_days},
    {"map_max_mb", "2048", is_map_mb},
    {"site_name", "Jobcenter", is_text},
    {"screen_inches", "16", is_inches},
    {"speech_auto", "0", is_flag},
    {"speech_volume", "80", is_percent},
    {"text_large", "0", is_flag},
};

#define N_SETTINGS (sizeof settings / sizeof *settings)

const char *const store_config_keys[] = {
    "site", "kiosk", "units", "unit", "errands", "checkin_kinds", "languages",
    "idle_timeout_s", "idle_prompt_s", "checkin_early_min", "checkin_late_min",
    "session_open_before_min", "trusted_keys", "kiosk_key", "usb_root", "sync_dir", "retention_responses_days",
    "retention_checkins_days", "jobs_stale_days", "map_max_mb", "site_name",
    "screen_inches", "speech_auto", "speech_volume", "text_large", "errands.en", "errands.uk", "errands.ar", "errands.fa", "errands.pl",
    "errands.so", "errands.ti", "units.en", "units.uk", "units.ar", "units.fa", "units.pl",
    "units.so", "units.ti", NULL,
};

/* Per-language labels; see the top. Kept out of `settings` so that the
 * table of the format's settings reads as it is. */
static const struct setting label_settings[] = {
    {"errands.en", "", is_labels}, {"errands.uk", "", is_labels}, {"errands.ar", "", is_labels},
    {"errands.fa", "", is_labels}, {"errands.pl", "", is_labels}, {"errands.so", "", is_labels},
    {"errands.ti", "", is_labels}, {"units.en", "", is_labels},   {"units.uk", "", is_labels},
    {"units.ar", "", is_labels},   {"units.fa", "", is_labels},   {"units.pl", "", is_labels},
    {"units.so", "", is_labels},   {"units.ti", "", is_labels},
};

#define N_LABEL_SETTINGS (sizeof label_settings / sizeof *label_settings)

static const struct setting *find_setting(const char *key)
{
    for (size_t i = 0; i < N_SETTINGS; i++)
        if (strcmp(settings[i].key, key) == 0)
            return &settings[i];
    for (size_t i = 0; i < N_LABEL_SETTINGS; i++)
        if (strcmp(label_settings[i].key, key) == 0)
            return &label_settings[i];
    return NULL;
}

/* A label setting that was never set: the list's items, each in the
 * kiosk's own translation when the glossary has one, else in Danish. */
static int default_labels(struct store *s, MDB_txn *txn, const char *key, struct buf *out)
{
    char base[16];
    int lang;
    if (!label_key(key, base, &lang))
        return STORE_ENOTFOUND;
    struct buf list;
    buf_init(&list);
    int rc = store_config_get_txn(s, txn, base, &list);
    int n = rc ? 0 : count_items(list.data);
    char (*items)[STORE_TEXT_MAX + 1] = xcalloc((size_t)n + 1, sizeof *items);
    split_items(list.data, items, n);
    buf_clear(out);
    buf_puts(out, "");
    for (int i = 0; i < n; i++)
        buf_printf(out, "%s%s", i ? "," : "", glossary_text(items[i], lang));
    free(items);
    buf_free(&list);
    return rc;
}

int store_config_get_txn(struct store *s, MDB_txn *txn, const char *key, struct buf *out)
{
    const struct setting *st = find_setting(key);
    if (!st)
        return STORE_ENOTFOUND;
    buf_clear(out);
    MDB_val v;
    int rc = store_get_str(txn, s->dbi[DB_SETTINGS], key, &v);
    if (rc == MDB_NOTFOUND && st->valid == is_labels)
        return default_labels(s, txn, key, out);
    if (rc == MDB_NOTFOUND) {
        buf_puts(out, st->def);
        return 0;
    }
    if (rc)
        return rc;
    buf_put(out, v.mv_data, v.mv_size);
    return 0;
}

struct cfg_ctx {
    const char *key;
    struct buf *out;
};

static int cfg_get(struct store *s, MDB_txn *txn, void *vctx)
{
    struct cfg_ctx *c = vctx;
    return store_config_get_txn(s, txn, c->key, c->out);
}

int store_config_get(struct store *s, const char *key, struct buf *out)
{
    struct cfg_ctx c = {key, out};
    if (!find_setting(key))
        return STORE_ENOTFOUND;
    return store_read(s, cfg_get, &c);
}

struct labels_ctx {
    const char *key;
    int lang;
    char (*out)[STORE_TEXT_MAX + 1];
    int max, n;
};

static int read_labels(struct store *s, MDB_txn *txn, void *vctx)
{
    struct labels_ctx *c = vctx;
    struct buf v;
    buf_init(&v);
    int rc = store_config_get_txn(s, txn, c->key, &v);
    int n = rc ? 0 : split_items(v.data, c->out, c->max);
    if (!rc && c->lang > 0) {
        char key[32];
        snprintf(key, sizeof key, "%s.%s", c->key, store_langs[c->lang]);
        rc = store_config_get_txn(s, txn, key, &v);
        if (!rc && count_items(v.data) == n) /* kept so by check_labels */
            split_items(v.data, c->out, c->max);
    }
    c->n = n < c->max ? n : c->max;
    buf_free(&v);
    return rc;
}

int store_config_labels(struct store *s, const char *key, const char *lang,
                        char (*out)[STORE_TEXT_MAX + 1], int max)
{
    struct labels_ctx c = {key, store_lang_index(lang), out, max, 0};
    if (strcmp(key, "errands") != 0 && strcmp(key, "units") != 0)
        return 0;
    return store_read(s, read_labels, &c) ? 0 : c.n;
}

int store_config_check(const char *key, const char *value, struct buf *why)
{
    const struct setting *st = find_setting(key);
    if (!st)
        return STORE_ENOTFOUND;
    buf_clear(why);
    if (!utf8_valid(value, strlen(value))) {
        buf_puts(why, "the value is not valid UTF-8");
        return STORE_EINVAL;
    }
    return st->valid(value, why) ? STORE_OK : STORE_EINVAL;
}

struct many_ctx {
    const char *const *keys, *const *values;
    size_t n;
    struct buf *why;
};

static bool among(const struct many_ctx *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->keys[i], key) == 0)
            return true;
    return false;
}

/* The list base was just set in txn, and was old before: each of its label
 * lists that is set (and not being set in the same call) follows the
 * items, so that staff adding or removing an errand keep the translations
 * of the others. A kept item keeps its label; a new one gets the kiosk's
 * own translation, or its Danish. */
static int follow_labels(struct store *s, MDB_txn *txn, const struct many_ctx *c,
                         const char *base, const char *old)
{
    enum { MAX = 32 };
    char(*was)[STORE_TEXT_MAX + 1] = xcalloc(3 * MAX, sizeof *was);
    char(*now)[STORE_TEXT_MAX + 1] = was + MAX, (*label)[STORE_TEXT_MAX + 1] = was + 2 * MAX;
    struct buf v, out;
    buf_init(&v);
    buf_init(&out);
    int n_was = split_items(old, was, MAX);
    int rc = store_config_get_txn(s, txn, base, &v);
    int n_now = rc ? 0 : split_items(v.data, now, MAX);
    for (int l = 1; !rc && l < STORE_LANGS && n_was <= MAX && n_now <= MAX; l++) {
        char key[32];
        snprintf(key, sizeof key, "%s.%s", base, store_langs[l]);
        MDB_val stored;
        if (among(c, key) || store_get_str(txn, s->dbi[DB_SETTINGS], key, &stored))
            continue;
        buf_clear(&v);
        buf_put(&v, stored.mv_data, stored.mv_size);
        if (split_items(v.data, label, MAX) != n_was)
            continue; /* check_labels will say so */
        buf_clear(&out);
        for (int j = 0; j < n_now; j++) {
            const char *text = glossary_text(now[j], l);
            for (int k = 0; k < n_was; k++)
                if (strcmp(now[j], was[k]) == 0)
                    text = label[k];
            buf_printf(&out, "%s%s", j ? "," : "", text);
        }
        rc = store_put_str(txn, s->dbi[DB_SETTINGS], key, out.data, out.len, 0);
    }
    buf_free(&v);
    buf_free(&out);
    free(was);
    return rc;
}

/* Writes one setting in txn; a label list set to "" is removed, which
 * brings back its default (the kiosk's own translations). */
static int put_setting(struct store *s, MDB_txn *txn, const char *key, const char *value)
{
    if (find_setting(key)->valid == is_labels && !*value) {
        MDB_val k = {strlen(key), (void *)key};
        int rc = mdb_del(txn, s->dbi[DB_SETTINGS], &k, NULL);
        return rc == MDB_NOTFOUND ? 0 : rc;
    }
    return store_put_str(txn, s->dbi[DB_SETTINGS], key, value, strlen(value), 0);
}

static int cfg_set_many(struct store *s, MDB_txn *txn, void *vctx)
{
    struct many_ctx *c = vctx;
    struct buf old;
    buf_init(&old);
    bool lists = false;
    int rc = 0;
    for (size_t i = 0; !rc && i < c->n; i++) {
        const char *key = c->keys[i];
        bool base = strcmp(key, "errands") == 0 || strcmp(key, "units") == 0;
        if (base)
            rc = store_config_get_txn(s, txn, key, &old);
        if (!rc)
            rc = put_setting(s, txn, key, c->values[i]);
        if (!rc && base)
            rc = follow_labels(s, txn, c, key, old.data);
        lists = lists || base || find_setting(key)->valid == is_labels;
    }
    if (!rc && lists)
        rc = check_labels(s, txn, c->why);
    buf_free(&old);
    return rc;
}

int store_config_set_many(struct store *s, const char *const *keys, const char *const *values,
                          size_t n, struct buf *why)
{
    for (size_t i = 0; i < n; i++) {
        int rc = store_config_check(keys[i], values[i], why);
        if (rc)
            return rc;
    }
    struct many_ctx c = {keys, values, n, why};
    int rc = store_write(s, cfg_set_many, &c);
    for (size_t i = 0; !rc && i < n; i++)
        if (strcmp(keys[i], "map_max_mb") == 0) {
            /* Read by grow_map and store_status under this lock. */
            pthread_rwlock_wrlock(&s->resize_lock);
            s->map_max = (size_t)strtol(values[i], NULL, 10) << 20;
            pthread_rwlock_unlock(&s->resize_lock);
        }
    return rc;
}

int store_config_set(struct store *s, const char *key, const char *value, struct buf *why)
{
    return store_config_set_many(s, &key, &value, 1, why);
}

long store_config_long(struct store *s, const char *key)
{
    const struct setting *st = find_setting(key);
    struct buf b;
    buf_init(&b);
    long v = st ? strtol(st->def, NULL, 10) : 0;
    if (st && store_config_get(s, key, &b) == 0 && b.len) {
        char *end;
        long n = strtol(b.data, &end, 10);
        if (!*end)
            v = n;
    }
    buf_free(&b);
    return v;
}

/* ---- retention ---- */

struct purge_ctx {
    time_t now;
    long days[2]; /* responses, check-ins */
    struct purge_result *out;
    struct buf rec;
};

static bool export_expired(struct store *s, MDB_txn *txn, uint32_t seq, time_t now, long days)
{
    unsigned char key[4] = {(unsigned char)(seq >> 24), (unsigned char)(seq >> 16),
                            (unsigned char)(seq >> 8), (unsigned char)seq};
    MDB_val k = {4, key}, v;
    struct export_log e;
    if (mdb_get(txn, s->dbi[DB_EXPORTS], &k, &v) ||
        !rec_decode_export(v.mv_data, v.mv_size, &e) || !(e.done || e.marking))
        return false;
    return now - e.created_at > days * 86400L;
}

static int purge_db(struct store *s, MDB_txn *txn, struct purge_ctx *c, enum store_db db,
                    size_t *count)
{
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = mdb_cursor_open(txn, s->dbi[db], &cur);
    if (rc)
        return rc;
    long days = c->days[db == DB_CHECKINS];
    while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
        uint32_t seq;
        if (db == DB_RESPONSES) {
            struct response r;
            if (!rec_decode_response(v.mv_data, v.mv_size, &r)) {
                rc = STORE_ECORRUPT;
                break;
            }
            seq = r.exported_seq;
        } else {
            struct checkin ch;
            if (!rec_decode_checkin(v.mv_data, v.mv_size, &ch)) {
                rc = STORE_ECORRUPT;
                break;
            }
            seq = ch.exported_seq;
        }
        if (seq && export_expired(s, txn, seq, c->now, days)) {
            if ((rc = mdb_cursor_del(cur, 0)))
                break;
            (*count)++;
        }
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static int purge(struct store *s, MDB_txn *txn, void *vctx)
{
    struct purge_ctx *c = vctx;
    c->out->responses = c->out->checkins = 0;
    int rc = purge_db(s, txn, c, DB_RESPONSES, &c->out->responses);
    if (!rc)
        rc = purge_db(s, txn, c, DB_CHECKINS, &c->out->checkins);
    return rc;
}

int store_purge(struct store *s, time_t now, struct purge_result *out)
{
    struct purge_ctx c = {.now = now, .out = out};
    c.days[0] = store_config_long(s, "retention_responses_days");
    c.days[1] = store_config_long(s, "retention_checkins_days");
    return store_write_reserve(s, purge, &c);
}

/* ---- the staff PIN ---- */

struct pin_ctx {
    char *out;
    size_t cap;
    const char *hash;
};

static int read_pin(struct store *s, MDB_txn *txn, void *vctx)
{
    struct pin_ctx *c = vctx;
    MDB_val v;
    int rc = store_get_str(txn, s->dbi[DB_META], "pin", &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return rc;
    if (v.mv_size >= c->cap)
        return STORE_ECORRUPT;
    memcpy(c->out, v.mv_data, v.mv_size);
    c->out[v.mv_size] = '\0';
    return 0;
}

int store_pin_get(struct store *s, char *out, size_t cap)
{
    out[0] = '\0';
    struct pin_ctx c = {out, cap, NULL};
    return store_read(s, read_pin, &c);
}

static int write_pin(struct store *s, MDB_txn *txn, void *vctx)
{
    struct pin_ctx *c = vctx;
    int rc = store_put_str(txn, s->dbi[DB_META], "pin", c->hash, strlen(c->hash), 0);
    if (!rc)
        rc = store_meta_put_u32(s, txn, "pin_failures", 0);
    MDB_val k = {8, (void *)"pin_wait"}; /* a wall-clock wait of earlier versions */
    if (!rc && (rc = mdb_del(txn, s->dbi[DB_META], &k, NULL)) == MDB_NOTFOUND)
        rc = 0;
    return rc;
}

int store_pin_set(struct store *s, const char *hash)
{
    struct pin_ctx c = {NULL, 0, hash};
    return store_write(s, write_pin, &c);
}

int store_pin_make(struct store *s, const char *pin)
{
    size_t n = strlen(pin);
    if (n < 4 || n > 8 || strspn(pin, "0123456789") != n)
        return STORE_EINVAL;
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, pin, n, crypto_pwhash_OPSLIMIT_INTERACTIVE, 16u << 20)) {
        log_msg("store", "hashing the PIN failed (out of memory)");
        return STORE_EIO;
    }
    return store_pin_set(s, hash);
}

unsigned store_pin_backoff_s(unsigned failures)
{
    if (failures < PIN_FREE_TRIES)
        return 0;
    unsigned doublings = failures - PIN_FREE_TRIES + 1;
    unsigned wait = doublings >= 10 ? PIN_BACKOFF_MAX_S : 1u << doublings;
    return wait < PIN_BACKOFF_MAX_S ? wait : PIN_BACKOFF_MAX_S;
}

struct pin_state {
    uint32_t failures;
    char hash[256];
    bool wrong; /* pin_record: a wrong PIN (else a right one) */
};

static int pin_read(struct store *s, MDB_txn *txn, void *vctx)
{
    struct pin_state *p = vctx;
    p->failures = 0;
    int rc = store_meta_u32(s, txn, "pin_failures", &p->failures);
    if (rc && rc != STORE_ENOTFOUND)
        return rc;
    struct pin_ctx c = {p->hash, sizeof p->hash, NULL};
    p->hash[0] = '\0';
    return read_pin(s, txn, &c);
}

static int pin_record(struct store *s, MDB_txn *txn, void *vctx)
{
    struct pin_state *p = vctx;
    bool wrong = p->wrong;
    int rc = pin_read(s, txn, p);
    if (rc)
        return rc;
    p->failures = wrong && p->failures < UINT32_MAX ? p->failures + 1 : 0;
    return store_meta_put_u32(s, txn, "pin_failures", p->failures);
}

/* The back-off for p->failures, started when g first sees that count. */
static void pin_fill(const struct pin_state *p, struct pin_gate *g, uint64_t now_ms,
                     struct pin_result *out)
{
    if (!g->armed || g->failures != p->failures) {
        g->armed = true;
        g->failures = p->failures;
        g->until_ms = now_ms + store_pin_backoff_s(p->failures) * 1000ull;
    }
    out->no_pin = p->hash[0] == '\0';
    out->failures = p->failures;
    out->wait_ms = g->until_ms > now_ms ? g->until_ms - now_ms : 0;
}

int store_pin_state(struct store *s, struct pin_gate *g, uint64_t now_ms, struct pin_result *out)
{
    struct pin_state p;
    memset(out, 0, sizeof *out);
    int rc = store_read(s, pin_read, &p);
    if (!rc)
        pin_fill(&p, g, now_ms, out);
    sodium_memzero(p.hash, sizeof p.hash);
    return rc;
}

int store_pin_check(struct store *s, struct pin_gate *g, const char *pin, uint64_t now_ms,
                    struct pin_result *out)
{
    struct pin_state p;
    memset(out, 0, sizeof *out);
    int rc = store_read(s, pin_read, &p);
    if (rc)
        goto out;
    pin_fill(&p, g, now_ms, out);
    if (out->no_pin || out->wait_ms)
        goto out;
    /* Argon2id outside any transaction: it takes a while on purpose. */
    bool ok = crypto_pwhash_str_verify(p.hash, pin, strlen(pin)) == 0;
    p.wrong = !ok;
    if ((rc = store_write(s, pin_record, &p)))
        goto out;
    pin_fill(&p, g, now_ms, out);
    out->checked = true;
    out->ok = ok;
out:
    sodium_memzero(p.hash, sizeof p.hash);
    return rc;
}

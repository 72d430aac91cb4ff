/*
 * screen_jobs.c — job openings (PRODUCT.md, "Job openings"): a list that
 * scrolls by finger, search on the on-screen keyboard with results on every
 * keystroke, filters by field, hours and type with counts, and a detail
 * view with a QR code of the ad's address, so the citizen takes it away on
 * their phone and types nothing personal here.
 *
 * The jobs live in a jobs_index, loaded once per imported batch (and again
 * when the day changes, so expired ads drop out). The query is the only
 * thing a citizen types here; forget() wipes it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "app.h"
#include "i18n.h"
#include "jobs_index.h"

#define QUERY_MAX 60

enum chooser { CHOOSE_NONE = -1, CHOOSE_CATEGORY, CHOOSE_HOURS, CHOOSE_KIND };
static const char *const group_names[3] = {"category", "hours", "kind"};

static struct {
    struct jobs_index ix;
    bool loaded;
    char batch[129], day[11];
    time_t generated_at;
    long stale_days; /* read with the batch, not on every frame */
    char query[QUERY_MAX * 4 + 1];
    struct jobs_filter filter;
    bool keyboard;
    bool latin; /* the keyboard switched to Danish from the language's own */
    int chooser;
    struct ui_list list, choices, summary;
    bool detail;
    uint32_t detail_row;
    /* The open ad, copied out of the store. */
    char d_title[1024], d_employer[1024], d_city[256], d_postcode[64], d_category[256];
    char d_posted[11], d_deadline[11], d_url[2048], *d_summary;
    int d_hours, d_kind;
    QRcode *qr;
} jb = {.chooser = CHOOSE_NONE};

static void close_detail(void)
{
    free(jb.d_summary);
    jb.d_summary = NULL;
    if (jb.qr)
        QRcode_free(jb.qr);
    jb.qr = NULL;
    jb.detail = false;
}

static void forget(struct app *a)
{
    (void)a;
    close_detail();
    memset(jb.query, 0, sizeof jb.query);
    jb.filter = (struct jobs_filter){-1, -1, -1};
    jb.keyboard = false;
    jb.latin = false;
    jb.chooser = CHOOSE_NONE;
    jb.list = jb.choices = jb.summary = (struct ui_list){0};
    if (jb.loaded)
        jobs_index_search(&jb.ix, "", &jb.filter);
}

static void search(void)
{
    jobs_index_search(&jb.ix, jb.query, &jb.filter);
    jb.list.offset = 0;
    jb.list.velocity = 0;
}

static void load(struct app *a)
{
    char today[11];
    clock_date(app_wall(a), today);
    struct jobs_info info;
    if (store_jobs_info(a->store, &info) != STORE_OK)
        return;
    if (jb.loaded && strcmp(info.batch_id, jb.batch) == 0 && strcmp(today, jb.day) == 0 &&
        info.generated_at == jb.generated_at)
        return;
    jobs_index_load(&jb.ix, a->store, today);
    jb.loaded = true;
    snprintf(jb.batch, sizeof jb.batch, "%s", info.batch_id);
    snprintf(jb.day, sizeof jb.day, "%s", today);
    jb.generated_at = info.generated_at;
    search();
}

static void enter(struct app *a)
{
    forget(a);
    load(a);
    jb.stale_days = store_config_long(a->store, "jobs_stale_days");
}

static const char *hours_key(int h)
{
    static const char *const k[] = {NULL, "jobs.hours.full", "jobs.hours.part",
                                    "jobs.hours.flexible"};
    return h > 0 && h < 4 ? k[h] : NULL;
}

static const char *kind_key(int k)
{
    static const char *const keys[] = {NULL,
                                       "jobs.kind.ordinary",
                                       "jobs.kind.flexjob",
                                       "jobs.kind.apprentice",
                                       "jobs.kind.paid_hours",
                                       "jobs.kind.internship",
                                       "jobs.kind.student"};
    return k > 0 && k < 7 ? keys[k] : NULL;
}

static void copy_detail(const struct job *j, void *ctx)
{
    (void)ctx;
    snprintf(jb.d_title, sizeof jb.d_title, "%s", j->title);
    snprintf(jb.d_employer, sizeof jb.d_employer, "%s", j->employer);
    snprintf(jb.d_city, sizeof jb.d_city, "%s", j->city);
    snprintf(jb.d_postcode, sizeof jb.d_postcode, "%s", j->postcode);
    snprintf(jb.d_category, sizeof jb.d_category, "%s", j->category);
    snprintf(jb.d_posted, sizeof jb.d_posted, "%s", j->posted);
    snprintf(jb.d_deadline, sizeof jb.d_deadline, "%s", j->deadline);
    snprintf(jb.d_url, sizeof jb.d_url, "%s", j->url);
    jb.d_summary = xstrdup(j->summary);
    jb.d_hours = (int)j->hours;
    jb.d_kind = (int)j->kind;
}

static void open_detail(struct app *a, uint32_t row)
{
    close_detail();
    if (store_get_job(a->store, jb.ix.rows[row].index, copy_detail, NULL) != STORE_OK)
        return;
    jb.detail = true;
    jb.detail_row = row;
    jb.summary = (struct ui_list){0};
    if (jb.d_url[0])
        jb.qr = QRcode_encodeString(jb.d_url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
}

static void type_key(const char *key)
{
    size_t n = strlen(jb.query);
    if (strcmp(key, "del") == 0) {
        utf8_pop(jb.query);
    } else if (strcmp(key, "space") == 0) {
        if (n && jb.query[n - 1] != ' ' && n + 1 < sizeof jb.query)
            strcat(jb.query, " ");
    } else if (utf8_count(jb.query, n) < QUERY_MAX && n + strlen(key) < sizeof jb.query) {
        strcat(jb.query, key);
    }
    search();
}

static void tap(struct app *a, const char *id)
{
    if (jb.detail) {
        if (strcmp(id, "nav.back") == 0) {
            close_detail();
            a->dirty = true;
        }
        return;
    }
    if (jb.chooser != CHOOSE_NONE) {
        char prefix[40];
        snprintf(prefix, sizeof prefix, "jobs.filter.%s.", group_names[jb.chooser]);
        if (strncmp(id, prefix, strlen(prefix)) == 0) {
            const char *v = id + strlen(prefix);
            int value = strcmp(v, "all") == 0 ? -1 : atoi(v);
            int *slot = jb.chooser == CHOOSE_CATEGORY ? &jb.filter.category
                        : jb.chooser == CHOOSE_HOURS  ? &jb.filter.hours
                                                      : &jb.filter.kind;
            *slot = value;
            search();
        }
        /* A choice, the close button, or a tap outside the panel: closed,
         * and only a choice changes the filter. */
        jb.chooser = CHOOSE_NONE;
        a->dirty = true;
        return;
    }
    if (strcmp(id, "jobs.search") == 0) {
        jb.keyboard = true;
    } else if (strcmp(id, "jobs.search.close") == 0) {
        jb.keyboard = false;
    } else if (strcmp(id, "jobs.key.switch") == 0) {
        jb.latin = !jb.latin;
    } else if (strncmp(id, "jobs.key.", 9) == 0) {
        type_key(id + 9);
    } else if (strcmp(id, "jobs.clear") == 0) {
        memset(jb.query, 0, sizeof jb.query);
        jb.filter = (struct jobs_filter){-1, -1, -1};
        search();
    } else if (strncmp(id, "jobs.filter.", 12) == 0) {
        for (int g = 0; g < 3; g++)
            if (strcmp(id + 12, group_names[g]) == 0)
                jb.chooser = g;
        jb.choices = (struct ui_list){0};
    } else if (strncmp(id, "jobs.item.", 10) == 0) {
        long n = atol(id + 10);
        if (n >= 1 && (size_t)n <= jb.ix.n_result)
            open_detail(a, jb.ix.result[n - 1]);
    }
    a->dirty = true;
}

/* ---- drawing ---- */

static void format_date(const char *iso, char out[11])
{
    if (strlen(iso) == 10)
        snprintf(out, 11, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
    else
        out[0] = '\0';
}

struct item_ctx {
    struct app *a;
};

static void labels_line(struct app *a, const struct job_row *r, struct buf *b)
{
    char date[11];
    buf_clear(b);
    if (r->deadline[0]) {
        format_date(r->deadline, date);
        i18n_fmt_text(a->lang, "jobs.deadline", date, b);
    }
    const char *h = hours_key(r->hours), *k = kind_key(r->kind);
    if (h)
        buf_printf(b, "%s%s", b->len ? "  ·  " : "", T(a, h));
    if (k)
        buf_printf(b, "%s%s", b->len ? "  ·  " : "", T(a, k));
}

static void draw_item(struct ui *ui, int i, struct rect lr, void *vctx)
{
    struct item_ctx *c = vctx;
    struct app *a = c->a;
    const struct job_row *r = &jb.ix.rows[jb.ix.result[i]];
    char id[UI_ID_MAX];
    snprintf(id, sizeof id, "jobs.item.%d", i + 1);
    struct rect box = ui_place(ui, (struct rect){lr.x, lr.y + ui_px(ui, 0.6f), lr.w - ui_px(ui, 2),
                                                 lr.h - ui_px(ui, 1.2f)},
                               true);
    ui_round_rect(ui, box, ui_px(ui, 1.2f), UI_BORDER);
    ui_press_panel(ui, id, (struct rect){box.x + 2, box.y + 2, box.w - 4, box.h - 4},
                   ui_px(ui, 1.2f) - 2, UI_SURFACE, UI_PRESSED_LIGHT);
    const char *title = jobs_row_text(&jb.ix, r->title);
    ui_register(ui, id, box, UI_ITEM, true, title);
    int pad = ui_px(ui, 1.6f), w = box.w - 2 * pad;
    struct text_style ts = {ui_tx(ui, 3.2f), true, UI_TEXT};
    struct text_style ss = {ui_tx(ui, 2.6f), false, UI_TEXT};
    struct text_style ls = {ui_tx(ui, 2.4f), false, UI_MUTED};
    int y = box.y + pad / 2;
    ui_content_text(ui, NULL, (struct rect){box.x + pad, y, w, ui_tx(ui, 4.6f)}, title, &ts,
                    ALIGN_START, false, true);
    y += ui_tx(ui, 4.6f);
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "%s  ·  %s", jobs_row_text(&jb.ix, r->employer), jobs_row_text(&jb.ix, r->city));
    ui_content_text(ui, NULL, (struct rect){box.x + pad, y, w, ui_tx(ui, 3.8f)}, b.data, &ss,
                    ALIGN_START, false, true);
    y += ui_tx(ui, 3.8f);
    labels_line(a, r, &b);
    ui_text(ui, NULL, (struct rect){box.x + pad, y, w, ui_tx(ui, 3.4f)}, b.data, &ls, ALIGN_START,
            false, true);
    buf_free(&b);
}

static void filter_label(struct app *a, int g, struct buf *b)
{
    static const char *const titles[3] = {"jobs.filter.category", "jobs.filter.hours",
                                          "jobs.filter.kind"};
    int v = g == 0 ? jb.filter.category : g == 1 ? jb.filter.hours : jb.filter.kind;
    const char *value = v < 0            ? T(a, "jobs.filter.all")
                        : g == 0         ? jb.ix.categories[v]
                        : g == 1         ? T(a, hours_key(v))
                                         : T(a, kind_key(v));
    buf_clear(b);
    buf_printf(b, "%s: %s", T(a, titles[g]), value);
}

struct choice_ctx {
    struct app *a;
    int values[JOBS_MAX_CATEGORIES + 1];
    int n;
};

static void draw_choice(struct ui *ui, int i, struct rect lr, void *vctx)
{
    struct choice_ctx *c = vctx;
    struct app *a = c->a;
    int v = c->values[i], g = jb.chooser;
    char id[UI_ID_MAX];
    struct buf b;
    buf_init(&b);
    size_t count = 0;
    if (v < 0) {
        snprintf(id, sizeof id, "jobs.filter.%s.all", group_names[g]);
        buf_puts(&b, T(a, "jobs.filter.all"));
    } else {
        snprintf(id, sizeof id, "jobs.filter.%s.%d", group_names[g], v);
        buf_puts(&b, g == 0 ? jb.ix.categories[v] : T(a, g == 1 ? hours_key(v) : kind_key(v)));
        count = g == 0 ? jb.ix.count_category[v] : g == 1 ? jb.ix.count_hours[v] : jb.ix.count_kind[v];
        buf_printf(&b, "  (%zu)", count);
    }
    int current = g == 0 ? jb.filter.category : g == 1 ? jb.filter.hours : jb.filter.kind;
    int gap = ui_px(ui, 0.6f);
    ui_button(ui, id, (struct rect){lr.x, lr.y + gap, lr.w, lr.h - 2 * gap}, b.data, NULL,
              current == v ? BTN_SELECTED : BTN_SECONDARY);
    buf_free(&b);
}

static void draw_chooser(struct app *a, struct ui *ui)
{
    /* Closes without a choice: its close button or a tap outside it. */
    struct rect p = ui_popup(ui, "jobs.chooser", 90, 88, T(a, "common.close"));
    int top = ui_px(ui, UI_POPUP_PAD + UI_POPUP_CLOSE_H);
    p.y += top;
    p.h -= top;
    struct choice_ctx c = {.a = a};
    c.values[c.n++] = -1;
    int g = jb.chooser;
    if (g == 0) {
        for (int i = 0; i < jb.ix.n_categories; i++)
            c.values[c.n++] = i;
    } else {
        for (int v = 1; v < (g == 1 ? 4 : 7); v++)
            c.values[c.n++] = v;
    }
    int pad = ui_px(ui, 3);
    bool saved = ui->rtl;
    ui->rtl = false; /* the panel is centred: its rectangles are already placed */
    ui_list(ui, "jobs.choices", (struct rect){p.x + pad, p.y + pad, p.w - 2 * pad, p.h - 2 * pad},
            &jb.choices, c.n, ui_tx(ui, 11), draw_choice, &c);
    ui->rtl = saved;
}

static void draw_list(struct app *a, struct ui *ui, int top)
{
    int m = ui_px(ui, 3), W = ui->w, H = ui->h, gap = ui_px(ui, 1.5f);
    struct buf b;
    buf_init(&b);
    int y = top - ui_px(ui, 1);
    /* When the data came, and a warning when it is old (hidden while the
     * keyboard takes the room). */
    if (jb.ix.info.generated_at && !jb.keyboard) {
        char date[11], hhmm[6];
        clock_date(jb.ix.info.generated_at, date);
        clock_hhmm(jb.ix.info.generated_at, hhmm);
        char when[24], shown[11];
        format_date(date, shown);
        snprintf(when, sizeof when, "%s %s", shown, hhmm);
        i18n_fmt_text(a->lang, "jobs.updated", when, &b);
        long stale = jb.stale_days;
        bool old = app_wall(a) - jb.ix.info.generated_at > stale * 86400L;
        struct text_style st = {ui_tx(ui, 2.6f), old, old ? UI_WARN_TEXT : UI_MUTED};
        struct rect r = ui_place(ui, (struct rect){m, y, W - 2 * m, ui_tx(ui, 4.5f)}, true);
        if (old) {
            ui_round_rect(ui, r, ui_px(ui, 1), UI_WARN_BG);
            struct buf w;
            buf_init(&w);
            i18n_fmt(a->lang, "jobs.stale", stale, &w);
            buf_printf(&b, " – %s", w.data);
            buf_free(&w);
        }
        ui_text(ui, old ? "jobs.stale" : "jobs.updated", r, b.data, &st, ALIGN_START, false, true);
        y += r.h + gap;
    }
    if (!jb.ix.n && !jb.ix.info.generated_at) {
        struct text_style st = {ui_tx(ui, 4.5f), true, UI_TEXT};
        ui_text(ui, "jobs.none", (struct rect){m, y + ui_px(ui, 10), W - 2 * m, ui_tx(ui, 20)},
                T(a, "jobs.none"), &st, ALIGN_CENTER, true, true);
        buf_free(&b);
        return;
    }
    /* The search field and the filters. */
    int fh = ui_tx(ui, 9);
    bool active = jb.query[0] || jb.filter.category >= 0 || jb.filter.hours >= 0 ||
                  jb.filter.kind >= 0;
    int clear_w = active ? ui_tx(ui, 40) : 0;
    struct rect field = ui_place(ui, (struct rect){m, y, W - 2 * m - (active ? clear_w + gap : 0), fh}, true);
    ui_round_rect(ui, field, ui_px(ui, 1.2f), jb.keyboard ? UI_PRIMARY : UI_BORDER);
    int bw = ui_px(ui, 0.35f) < 2 ? 2 : ui_px(ui, 0.35f);
    struct rect inner = {field.x + bw, field.y + bw, field.w - 2 * bw, field.h - 2 * bw};
    ui_round_rect(ui, inner, ui_px(ui, 1.2f) - bw, UI_SURFACE);
    ui_register(ui, "jobs.search", field, UI_BUTTON, true, jb.query);
    struct text_style qs = {ui_tx(ui, 3.4f), jb.query[0] != 0, jb.query[0] ? UI_TEXT : UI_MUTED};
    struct rect qr = {inner.x + ui_px(ui, 1.5f), inner.y, inner.w - ui_px(ui, 3), inner.h};
    ui_text(ui, NULL, qr, jb.query[0] ? jb.query : T(a, "jobs.search"), &qs, ALIGN_START, false, true);
    if (active)
        ui_button(ui, "jobs.clear", (struct rect){W - m - clear_w, y, clear_w, fh}, T(a, "jobs.clear"),
                  NULL, BTN_SECONDARY);
    y += fh + gap;
    int chip_w = (W - 2 * m - 2 * gap) / 3, chip_h = jb.keyboard ? 0 : ui_tx(ui, 8);
    for (int g = 0; g < 3 && chip_h; g++) {
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, "jobs.filter.%s", group_names[g]);
        filter_label(a, g, &b);
        int v = g == 0 ? jb.filter.category : g == 1 ? jb.filter.hours : jb.filter.kind;
        ui_button(ui, id, (struct rect){m + g * (chip_w + gap), y, chip_w, chip_h}, b.data, NULL,
                  v >= 0 ? BTN_SELECTED : BTN_SECONDARY);
    }
    y += chip_h ? chip_h + gap : 0;
    i18n_fmt(a->lang, "jobs.count", (long)jb.ix.n_result, &b);
    struct text_style cs = {ui_tx(ui, 2.6f), true, UI_MUTED};
    int count_h = jb.keyboard ? ui_tx(ui, 8) : ui_tx(ui, 4);
    ui_text(ui, "jobs.count", ui_place(ui, (struct rect){m, y, W / 2, count_h}, true), b.data, &cs,
            ALIGN_START, false, true);
    if (jb.keyboard)
        ui_button(ui, "jobs.search.close",
                  (struct rect){W - m - ui_tx(ui, 34), y, ui_tx(ui, 34), count_h},
                  T(a, "jobs.search.close"), NULL, BTN_SECONDARY);
    y += count_h + (jb.keyboard ? gap : 0);

    int kb_h = jb.keyboard ? (H > W ? H * 30 / 100 : H * 40 / 100) : 0;
    int list_h = H - y - m - kb_h - (jb.keyboard ? gap : 0);
    if (!jb.ix.n_result) {
        /* Above the keyboard, in the room it leaves. */
        struct text_style st = {ui_tx(ui, 4), true, UI_TEXT};
        int eh = ui_tx(ui, 10) < list_h ? ui_tx(ui, 10) : list_h;
        int ey = y + (ui_px(ui, 4) < list_h - eh ? ui_px(ui, 4) : list_h - eh);
        ui_text(ui, "jobs.empty", (struct rect){m, ey, W - 2 * m, eh},
                T(a, "jobs.empty"), &st, ALIGN_CENTER, true, true);
    } else {
        struct item_ctx ic = {a};
        ui_list(ui, "jobs.list", (struct rect){m, y, W - 2 * m, list_h}, &jb.list,
                (int)jb.ix.n_result, ui_tx(ui, 14), draw_item, &ic);
    }
    if (jb.keyboard) {
        int ky = H - m - kb_h;
        int kw = W - 2 * m;
        if (kw > ui_px(ui, 170))
            kw = ui_px(ui, 170);
        /* The language's own letters, and Danish a tap away: the ads are
         * mostly Danish. */
        enum ui_layout own = ui_layout_for(a->lang);
        ui_keyboard_layout(ui, "jobs", (struct rect){(W - kw) / 2, ky, kw, kb_h},
                           jb.latin ? UI_LAYOUT_LATIN : own, jb.latin ? own : UI_LAYOUT_LATIN,
                           T(a, "checkin.del"), T(a, "keyboard.space"));
    }
    buf_free(&b);
}

static void draw_summary(struct ui *ui, int i, struct rect lr, void *vctx)
{
    (void)i;
    (void)vctx;
    struct text_style st = {ui_tx(ui, 2.9f), false, UI_TEXT};
    ui_content_text(ui, NULL, ui_place(ui, lr, true), jb.d_summary, &st, ALIGN_START, true, false);
}

static void draw_qr(struct app *a, struct ui *ui, struct rect lr)
{
    struct text_style st = {ui_tx(ui, 2.8f), false, UI_TEXT};
    struct rect r = ui_place(ui, lr, true);
    if (!jb.qr) {
        struct rect box = {r.x, r.y, r.w, ui_tx(ui, 20)};
        ui_round_rect(ui, box, ui_px(ui, 1.5f), UI_WARN_BG);
        ui_text(ui, "jobs.detail.noqr", (struct rect){box.x + ui_px(ui, 2), box.y, box.w - ui_px(ui, 4), box.h},
                T(a, "jobs.noqr"), &st, ALIGN_CENTER, true, true);
        return;
    }
    int modules = jb.qr->width + 8; /* with the quiet zone of 4 modules */
    int size = r.w < ui_px(ui, 46) ? r.w : ui_px(ui, 46);
    int mod = size / modules;
    size = mod * modules;
    struct rect q = {r.x + (r.w - size) / 2, r.y, size, size};
    ui_fill(ui, q, (SDL_Color){0xFF, 0xFF, 0xFF, 0xFF});
    for (int y = 0; y < jb.qr->width; y++)
        for (int x = 0; x < jb.qr->width; x++)
            if (jb.qr->data[y * jb.qr->width + x] & 1)
                ui_fill(ui, (struct rect){q.x + (x + 4) * mod, q.y + (y + 4) * mod, mod, mod},
                        (SDL_Color){0, 0, 0, 0xFF});
    ui_register(ui, "jobs.detail.qr", q, UI_IMAGE, false, jb.d_url);
    ui_text(ui, NULL, (struct rect){r.x, q.y + size + ui_px(ui, 1.5f), r.w, ui_tx(ui, 10)},
            T(a, "jobs.qr"), &st, ALIGN_CENTER, true, false);
}

static void draw_detail(struct app *a, struct ui *ui, int top)
{
    int m = ui_px(ui, 3), W = ui->w, H = ui->h, gap = ui_px(ui, 2);
    bool portrait = H > W;
    int qr_w = portrait ? W - 2 * m : ui_px(ui, 48);
    int left_w = portrait ? W - 2 * m : W - 3 * m - qr_w;
    ui_register(ui, "jobs.detail", ui_place(ui, (struct rect){m, top, W - 2 * m, H - top - m}, true),
                UI_LABEL, false, jb.d_title);
    struct text_style ts = {ui_tx(ui, 4.4f), true, UI_TEXT};
    struct text_style es = {ui_tx(ui, 3.2f), false, UI_TEXT};
    struct text_style ls = {ui_tx(ui, 2.6f), false, UI_MUTED};
    int y = top;
    y += ui_content_text(ui, NULL, ui_place(ui, (struct rect){m, y, left_w, ui_px(ui, 12)}, true),
                         jb.d_title, &ts, ALIGN_START, true, false) + gap / 2;
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "%s  ·  %s%s%s", jb.d_employer, jb.d_postcode, jb.d_postcode[0] ? " " : "",
               jb.d_city);
    y += ui_content_text(ui, NULL, ui_place(ui, (struct rect){m, y, left_w, ui_px(ui, 8)}, true),
                         b.data, &es, ALIGN_START, true, false) + gap / 2;
    struct job_row row = {0};
    snprintf(row.deadline, sizeof row.deadline, "%s", jb.d_deadline);
    row.hours = (uint8_t)jb.d_hours;
    row.kind = (uint8_t)jb.d_kind;
    labels_line(a, &row, &b);
    buf_printf(&b, "%s%s", b.len ? "  ·  " : "", jb.d_category);
    if (jb.d_posted[0]) {
        char date[11];
        struct buf p;
        buf_init(&p);
        format_date(jb.d_posted, date);
        buf_printf(&b, "  ·  %s", i18n_fmt_text(a->lang, "jobs.posted", date, &p));
        buf_free(&p);
    }
    y += ui_text(ui, NULL, ui_place(ui, (struct rect){m, y, left_w, ui_px(ui, 8)}, true), b.data, &ls,
                 ALIGN_START, true, false) + gap;
    int qr_h = portrait ? ui_px(ui, 58) : 0;
    int summary_h = H - y - m - qr_h;
    if (jb.d_summary && jb.d_summary[0]) {
        struct text_style st = {ui_tx(ui, 2.9f), false, UI_TEXT};
        int h = ui_content_height(ui, jb.d_summary, &st, left_w);
        ui_list(ui, "jobs.detail.summary", (struct rect){m, y, left_w, summary_h}, &jb.summary, 1,
                h + ui_px(ui, 2), draw_summary, NULL);
    }
    struct rect qr = portrait ? (struct rect){m, H - m - qr_h, qr_w, qr_h}
                              : (struct rect){W - m - qr_w, top, qr_w, H - top - m};
    draw_qr(a, ui, qr);
    buf_free(&b);
}

static void draw(struct app *a, struct ui *ui)
{
    int top = app_chrome(a, ui, T(a, "jobs.title"), jb.detail);
    if (jb.detail) {
        draw_detail(a, ui, top);
        return;
    }
    draw_list(a, ui, top);
    if (jb.chooser != CHOOSE_NONE)
        draw_chooser(a, ui);
}

/* The search with its keyboard. */
static void warm(struct app *a, struct ui *ui)
{
    jb.keyboard = true;
    draw(a, ui);
    jb.keyboard = false;
}

const struct screen screen_jobs = {
    .name = "jobs",
    .enter = enter,
    .draw = draw,
    .warm = warm,
    .tap = tap,
    .forget = forget,
};

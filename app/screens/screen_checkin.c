/*
 * screen_checkin.c — check-in (PRODUCT.md, "Check-in"): by booking code for
 * an appointment, attendance for today's sessions, or a queue ticket for a
 * walk-in. Every decision is made by store_checkin() in one durable
 * transaction on the writer thread; this screen sends the request, shows
 * "one moment" only if the answer takes longer than 300 ms, and then shows
 * the answer in plain words.
 *
 * The code being typed is the only private thing here; forget() wipes it,
 * and the text cache is cleared by the privacy reset. So the next citizen
 * never meets the last one's wrong code, its note or the pause message: a
 * pause still in force (it is the kiosk's, against guessing, and outlives
 * a restart) is told to whoever types a code next as the kiosk pausing.
 *
 * Truthful flows (issue 14): a walk-in ticket stays until "OK", showing
 * how long until the screen goes home by itself (the privacy timeout, which
 * still applies); no "N ahead of you" (see store_checkin.c's walkin()); a
 * session is offered only while it takes attendance, and open attendance
 * asks "are you here for …?" before anything is recorded; a wrong code
 * stays in the boxes beside the note so it can be compared and corrected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "i18n.h"

#define CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#define RESULT_MS 15000
#define WAIT_SHOW_MS 300
#define MAX_SESSIONS 24
#define MAX_ERRANDS STORE_ERRANDS_MAX /* what fits on one screen */

enum view { MENU, CODE, SESSIONS, ERRANDS, WAITING, RESULT, TICKET, MESSAGE };
enum kinds { K_APPOINTMENT = 1, K_SESSION = 2, K_WALKIN = 4 };

struct session_row {
    char id[65], title[STORE_TEXT_MAX + 1], start[6], end[6], place[STORE_TEXT_MAX + 1];
    bool open_attendance; /* no participant list: one tap (and a yes) */
    enum session_window window;
    char opens[6]; /* when it starts taking attendance */
};

static struct {
    enum view view;
    enum checkin_kind kind;
    unsigned kinds;
    char code[7];
    size_t len;
    char banner_key[32]; /* a short note above the keypad (wrong code) */
    struct session_row sessions[MAX_SESSIONS];
    int n_sessions, session, n_over;
    bool confirming; /* the "are you here for …?" pop-up is open */
    int before_min, late_min;
    char now_hhmm[6];
    char errands[MAX_ERRANDS][STORE_TEXT_MAX + 1];
    char errand_labels[MAX_ERRANDS][STORE_TEXT_MAX + 1]; /* in the citizen's language */
    int n_errands;
    uint64_t seq;
    bool wait_shown; /* the answer took long enough to say "one moment" */
    struct checkin_result res;
    int rc;
    char msg_key[32], msg_sub_key[32], msg_text[8], msg_sub_text[8];
    time_t limited_until; /* code entry paused until then (the keypad gives way) */
    struct timer t_home, t_wait, t_count;
} ck;

static void hhmm_minus(const char *t, int minutes, char out[6])
{
    int h = atoi(t), m = atoi(t + 3), total = h * 60 + m - minutes;
    if (total < 0)
        total = 0;
    snprintf(out, 6, "%02d:%02d", (total / 60) % 100, total % 60);
}

static void forget(struct app *a)
{
    app_cancel(a, &ck.t_home);
    app_cancel(a, &ck.t_wait);
    app_cancel(a, &ck.t_count);
    memset(&ck, 0, sizeof ck);
}

/* The code, its note and a pause told about it: left behind by going back.
 * A pause still in force is told again by the store at the next code. */
static void forget_code(struct app *a)
{
    memset(ck.code, 0, sizeof ck.code);
    ck.len = 0;
    ck.banner_key[0] = '\0';
    ck.limited_until = 0;
    app_cancel(a, &ck.t_count);
}

static void go_home(struct app *a, struct timer *t)
{
    (void)t;
    app_privacy_reset(a);
}

/* A result stays ms, then the kiosk goes home by itself. */
static void home_after(struct app *a, uint64_t ms)
{
    app_home_after(a, &ck.t_home, ms, go_home);
}

static void today(const struct app *a, char date[11], char hhmm[6])
{
    clock_date(app_wall(a), date);
    clock_hhmm(app_wall(a), hhmm);
}

static void load_settings(struct app *a)
{
    struct buf v;
    buf_init(&v);
    store_config_get(a->store, "checkin_kinds", &v);
    ck.kinds = (strstr(v.data, "appointment") ? K_APPOINTMENT : 0) |
               (strstr(v.data, "session") ? K_SESSION : 0) |
               (strstr(v.data, "walkin") ? K_WALKIN : 0);
    buf_free(&v);
    ck.n_errands = app_config_list(a, "errands", ck.errands, MAX_ERRANDS);
    ck.before_min = (int)store_config_long(a->store, "session_open_before_min");
    ck.late_min = (int)store_config_long(a->store, "checkin_late_min");
    if (store_config_labels(a->store, "errands", a->lang, ck.errand_labels, MAX_ERRANDS) !=
        ck.n_errands)
        memcpy(ck.errand_labels, ck.errands, sizeof ck.errands);
}

/* "10:00–12:00" (or just the start), isolated left to right (U+2066 …
 * U+2069): in an Arabic or Persian line the en dash would otherwise take
 * the line's direction and show "12:00–10:00". */
static void time_range(const char *start, const char *end, char *out, size_t cap)
{
    snprintf(out, cap, "\u2066%s%s%s\u2069", start, end[0] ? "–" : "", end);
}

static void message(struct app *a, const char *key, const char *sub, const char *text)
{
    ck.msg_sub_text[0] = '\0';
    snprintf(ck.msg_key, sizeof ck.msg_key, "%s", key);
    snprintf(ck.msg_sub_key, sizeof ck.msg_sub_key, "%s", sub ? sub : "");
    snprintf(ck.msg_text, sizeof ck.msg_text, "%s", text ? text : "");
    ck.view = MESSAGE;
    home_after(a, RESULT_MS);
    a->dirty = true;
}

/* Today's sessions that still take attendance or will: one that is over
 * is left out (nothing a citizen can do there; the desk can). ctx is the
 * app: title and place in the citizen's language. */
static void collect_session(const struct session *s, void *ctx)
{
    const struct app *a = ctx;
    enum session_window w =
        store_session_window(s->start, s->end, ck.now_hhmm, ck.before_min, ck.late_min);
    ck.n_over += w == SESSION_OVER;
    if (ck.n_sessions == MAX_SESSIONS || w == SESSION_OVER)
        return;
    struct session_row *r = &ck.sessions[ck.n_sessions++];
    r->window = w;
    hhmm_minus(s->start, ck.before_min, r->opens);
    snprintf(r->id, sizeof r->id, "%s", s->id);
    snprintf(r->title, sizeof r->title, "%s", store_tr_pick(&s->title_tr, s->title, a->lang));
    snprintf(r->start, sizeof r->start, "%s", s->start);
    snprintf(r->end, sizeof r->end, "%s", s->end);
    snprintf(r->place, sizeof r->place, "%s", store_tr_pick(&s->place_tr, s->place, a->lang));
    r->open_attendance = s->n_participants == 0;
}

static int cmp_session(const void *x, const void *y)
{
    const struct session_row *a = x, *b = y;
    int d = strcmp(a->start, b->start);
    return d ? d : strcmp(a->title, b->title);
}

static void open_kind(struct app *a, enum checkin_kind kind)
{
    char date[11], hhmm[6];
    today(a, date, hhmm);
    ck.kind = kind;
    forget_code(a);
    if (kind == CHECKIN_WALKIN) {
        ck.view = ERRANDS;
    } else if (!store_has_schedule(a->store, a->site, date)) {
        message(a, "checkin.no_schedule", "checkin.no_schedule.sub", NULL);
        return;
    } else if (kind == CHECKIN_APPOINTMENT) {
        ck.view = CODE;
    } else {
        ck.n_sessions = ck.n_over = 0;
        ck.confirming = false;
        snprintf(ck.now_hhmm, sizeof ck.now_hhmm, "%s", hhmm);
        store_foreach_session(a->store, a->site, date, collect_session, a);
        qsort(ck.sessions, (size_t)ck.n_sessions, sizeof ck.sessions[0], cmp_session);
        if (!ck.n_sessions) {
            message(a, ck.n_over ? "checkin.no_more_sessions" : "checkin.no_sessions",
                    "checkin.no_schedule.sub", NULL);
            return;
        }
        ck.view = SESSIONS;
    }
    a->dirty = true;
}

static void enter(struct app *a)
{
    forget(a);
    load_settings(a);
    ck.view = MENU;
    unsigned k = ck.kinds;
    /* One kind switched on: no menu to choose from. */
    if (k == K_APPOINTMENT)
        open_kind(a, CHECKIN_APPOINTMENT);
    else if (k == K_SESSION)
        open_kind(a, CHECKIN_SESSION);
    else if (k == K_WALKIN)
        open_kind(a, CHECKIN_WALKIN);
}

static void show_wait(struct app *a, struct timer *t)
{
    (void)t;
    if (ck.view == WAITING) {
        ck.wait_shown = true;
        a->dirty = true;
    }
}

/* While code entry is paused: the seconds count down, then the keypad is
 * back, with the code as it was typed. */
static void count_down(struct app *a, struct timer *t)
{
    if (ck.view != CODE || !ck.limited_until)
        return;
    if (app_wall(a) >= ck.limited_until)
        ck.limited_until = 0;
    else
        app_after(a, t, 1000 - a->now % 1000, count_down);
    a->dirty = true;
}

/* When the privacy reset will take the ticket away: the idle prompt's end,
 * or where it will be if nobody touches the screen. */
static uint64_t ticket_end(const struct app *a)
{
    return a->prompt ? a->prompt_end : a->last_input + a->idle_timeout_ms + a->idle_prompt_ms;
}

/* The ticket's countdown: a redraw as each second turns (a touch moves
 * the end); home when it is over, should the core's idle timer not be
 * armed. */
static void ticket_tick(struct app *a, struct timer *t)
{
    if (ck.view != TICKET)
        return;
    uint64_t end = ticket_end(a);
    if (a->now >= end) {
        app_privacy_reset(a);
        return;
    }
    uint64_t left = end - a->now;
    app_after(a, t, left % 1000 ? left % 1000 : 1000, ticket_tick);
    a->dirty = true;
}

static void ask(struct app *a, int errand)
{
    struct checkin_request q;
    memset(&q, 0, sizeof q);
    q.kind = ck.kind;
    snprintf(q.site, sizeof q.site, "%s", a->site);
    today(a, q.date, q.time);
    q.now = app_wall(a);
    snprintf(q.code, sizeof q.code, "%s", ck.code);
    if (ck.kind == CHECKIN_SESSION)
        snprintf(q.session_id, sizeof q.session_id, "%s", ck.sessions[ck.session].id);
    if (ck.kind == CHECKIN_WALKIN) {
        snprintf(q.errand, sizeof q.errand, "%s", ck.errands[errand]);
        q.errand_index = errand;
    }
    q.early_min = (int)store_config_long(a->store, "checkin_early_min");
    q.late_min = ck.late_min;
    q.session_before_min = ck.before_min;
    ck.seq = writer_request_checkin(a->writer, &q);
    ck.wait_shown = false;
    app_after(a, &ck.t_wait, WAIT_SHOW_MS, show_wait);
    ck.view = WAITING;
    memset(&q, 0, sizeof q);
    a->dirty = true;
}

static void show_answer(struct app *a)
{
    struct checkin_result *r = &ck.res;
    if (ck.rc != STORE_OK) {
        message(a, "checkin.failed", "checkin.failed.sub", NULL);
        return;
    }
    switch (r->outcome) {
    case CHECKIN_OK:
    case CHECKIN_REPEAT:
        if (ck.kind == CHECKIN_APPOINTMENT && strcmp(r->record.result, "late") == 0) {
            message(a, "checkin.late", "checkin.late.sub", r->appointment.time);
            return;
        }
        if (ck.kind == CHECKIN_WALKIN) {
            ck.view = TICKET; /* stays until OK or the privacy timeout */
            ticket_tick(a, &ck.t_count);
        } else {
            ck.view = RESULT;
            home_after(a, RESULT_MS);
        }
        break;
    case CHECKIN_LATE:
        message(a, "checkin.late", "checkin.late.sub", r->appointment.time);
        return;
    case CHECKIN_EARLY: {
        char from[6];
        if (ck.kind == CHECKIN_SESSION) {
            hhmm_minus(r->session_start, ck.before_min, from);
            message(a, "checkin.session.not_open", "checkin.session.not_open.sub", from);
            return;
        }
        hhmm_minus(r->appointment.time, (int)store_config_long(a->store, "checkin_early_min"),
                   from);
        message(a, "checkin.early", "checkin.early.sub", r->appointment.time);
        snprintf(ck.msg_sub_text, sizeof ck.msg_sub_text, "%s", from);
        return;
    }
    case CHECKIN_UNKNOWN: /* the code stays, to compare with the letter */
        ck.view = CODE;
        snprintf(ck.banner_key, sizeof ck.banner_key, "%s",
                 ck.kind == CHECKIN_SESSION ? "checkin.unlisted" : "checkin.unknown");
        break;
    case CHECKIN_LIMITED: /* the keypad pauses; the code stays in its boxes */
        ck.view = CODE;
        ck.banner_key[0] = '\0';
        ck.limited_until = r->limited_until;
        count_down(a, &ck.t_count);
        break;
    case CHECKIN_NO_SCHEDULE:
        message(a, "checkin.no_schedule", "checkin.no_schedule.sub", NULL);
        return;
    case CHECKIN_NO_SESSION:
        message(a, "checkin.no_sessions", "checkin.no_schedule.sub", NULL);
        return;
    case CHECKIN_CLOSED:
        message(a, "checkin.session.over", "checkin.no_schedule.sub", NULL);
        return;
    }
    a->dirty = true;
}

static void tap(struct app *a, const char *id)
{
    if (ck.confirming) { /* the pop-up: yes records; anything else closes it */
        ck.confirming = false;
        a->dirty = true;
        if (strcmp(id, "checkin.confirm.yes") == 0)
            ask(a, 0);
        return;
    }
    if (strcmp(id, "checkin.done") == 0 || strcmp(id, "checkin.ticket.ok") == 0) {
        app_privacy_reset(a);
        return;
    }
    if (strcmp(id, "nav.back") == 0) {
        if (ck.view == CODE && ck.kind == CHECKIN_SESSION)
            ck.view = SESSIONS;
        else if (ck.view == CODE || ck.view == SESSIONS || ck.view == ERRANDS)
            ck.view = MENU;
        forget_code(a);
        a->dirty = true;
        return;
    }
    switch (ck.view) {
    case MENU:
        if (strcmp(id, "checkin.appointment") == 0)
            open_kind(a, CHECKIN_APPOINTMENT);
        else if (strcmp(id, "checkin.session") == 0)
            open_kind(a, CHECKIN_SESSION);
        else if (strcmp(id, "checkin.walkin") == 0)
            open_kind(a, CHECKIN_WALKIN);
        return;
    case CODE:
        if (ck.limited_until)
            return; /* no keypad while paused */
        if (strcmp(id, "checkin.key.del") == 0) {
            if (ck.len)
                ck.code[--ck.len] = '\0';
            ck.banner_key[0] = '\0'; /* being corrected: no longer the code refused */
        } else if (strncmp(id, "checkin.key.", 12) == 0 && strlen(id) == 13 &&
                   strchr(CODE_ALPHABET, id[12]) && ck.len < 6) {
            ck.code[ck.len++] = id[12];
            ck.code[ck.len] = '\0';
            ck.banner_key[0] = '\0';
        } else if (strcmp(id, "checkin.ok") == 0 && ck.len == 6) {
            ask(a, 0);
        }
        a->dirty = true;
        return;
    case SESSIONS:
        for (int i = 0; i < ck.n_sessions; i++) {
            char sid[UI_ID_MAX];
            snprintf(sid, sizeof sid, "checkin.session.%s", ck.sessions[i].id);
            if (strcmp(id, sid) == 0) {
                const struct session_row *r = &ck.sessions[i];
                ck.session = i;
                ck.code[0] = '\0';
                if (r->window != SESSION_OPEN)
                    message(a, "checkin.session.not_open", "checkin.session.not_open.sub",
                            r->opens);
                else if (r->open_attendance)
                    ck.confirming = true;
                else
                    ck.view = CODE;
                a->dirty = true;
            }
        }
        return;
    case ERRANDS:
        if (strncmp(id, "checkin.errand.", 15) == 0) {
            int n = atoi(id + 15);
            if (n >= 1 && n <= ck.n_errands)
                ask(a, n - 1);
        }
        return;
    default:
        return;
    }
}

/* The texts of an answer that the citizen reads, put in their language:
 * the session's title and place (as listed), the appointment's unit and
 * place, the errand. What was stored keeps the Danish. */
static void localize(const struct app *a, struct checkin_result *r)
{
    struct appointment *ap = &r->appointment;
    char text[STORE_TEXT_MAX + 1];
    snprintf(text, sizeof text, "%s", store_tr_pick(&ap->unit_tr, ap->unit, a->lang));
    memcpy(ap->unit, text, sizeof text);
    snprintf(text, sizeof text, "%s", store_tr_pick(&ap->place_tr, ap->place, a->lang));
    memcpy(ap->place, text, sizeof text);
    for (int i = 0; i < ck.n_sessions; i++)
        if (strcmp(ck.sessions[i].id, r->record.session_id) == 0) {
            memcpy(r->session_title, ck.sessions[i].title, sizeof r->session_title);
            memcpy(r->session_place, ck.sessions[i].place, sizeof r->session_place);
        }
    for (int i = 0; i < ck.n_errands && r->record.kind == CHECKIN_WALKIN; i++)
        if (strcmp(ck.errands[i], r->record.unit) == 0)
            memcpy(r->record.unit, ck.errand_labels[i], sizeof r->record.unit);
}

/* The writer answered: a check-in that was asked for has its result. */
static void answered(struct app *a)
{
    if (ck.view == WAITING && writer_checkin_result(a->writer, ck.seq, &ck.rc, &ck.res)) {
        app_cancel(a, &ck.t_wait);
        localize(a, &ck.res);
        show_answer(a);
    }
}

/* ---- drawing ---- */

static int heading(struct ui *ui, int y, const char *text, float size)
{
    int m = ui_px(ui, 4);
    struct text_style st = {ui_tx(ui, size), true, UI_TEXT};
    struct rect r = ui_place(ui, (struct rect){m, y, ui->w - 2 * m, ui_tx(ui, size * 2.2f)}, true);
    return ui_text(ui, NULL, r, text, &st, ALIGN_START, true, true) ? r.h : 0;
}

static void draw_menu(struct app *a, struct ui *ui, int top)
{
    static const struct {
        unsigned kind;
        const char *id, *sub;
        enum ui_picto picto;
    } items[] = {
        {K_APPOINTMENT, "checkin.appointment", "checkin.appointment.sub", PICTO_APPOINTMENT},
        {K_SESSION, "checkin.session", "checkin.session.sub", PICTO_SESSION},
        {K_WALKIN, "checkin.walkin", "checkin.walkin.sub", PICTO_WALKIN}};
    int m = ui_px(ui, 4), gap = ui_px(ui, 2.5f), n = 0;
    for (int i = 0; i < 3; i++)
        n += (ck.kinds & items[i].kind) != 0;
    int h = (ui->h - top - m - (n - 1) * gap) / (n ? n : 1);
    h = h > ui_tx(ui, 22) ? ui_tx(ui, 22) : h;
    int y = top;
    for (int i = 0; i < 3; i++) {
        if (!(ck.kinds & items[i].kind))
            continue;
        ui_button_picto(ui, items[i].id, (struct rect){m, y, ui->w - 2 * m, h},
                        T(a, items[i].id), T(a, items[i].sub), BTN_PRIMARY, items[i].picto);
        y += h + gap;
    }
}

/* Code entry paused (too many wrong codes on this kiosk): said as the
 * kiosk pausing, never as the citizen's fault, in place of the keypad. */
static void draw_pause(struct app *a, struct ui *ui, int y)
{
    int m = ui_px(ui, 4), pad = ui_px(ui, 3), gap = ui_px(ui, 2), w = ui->w - 2 * m - 2 * pad;
    struct buf b;
    buf_init(&b);
    long left = (long)(ck.limited_until - app_wall(a));
    const char *title = T(a, "checkin.paused");
    const char *sub = i18n_fmt(a->lang, "checkin.paused.sub", left > 0 ? left : 0, &b);
    struct text_style st = {ui_tx(ui, 4.6f), true, UI_WARN_TEXT};
    struct text_style sst = {ui_tx(ui, 3.8f), false, UI_WARN_TEXT};
    int th = ui_text_height(ui, title, &st, w), sh = ui_text_height(ui, sub, &sst, w);
    struct rect r = ui_place(ui, (struct rect){m, y, ui->w - 2 * m, pad + th + gap + sh + pad},
                             true);
    ui_round_rect(ui, r, ui_px(ui, 1.5f), UI_WARN_BG);
    ui_text(ui, "checkin.paused", (struct rect){r.x + pad, r.y + pad, w, th}, title, &st,
            ALIGN_CENTER, true, false);
    ui_text(ui, NULL, (struct rect){r.x + pad, r.y + pad + th + gap, w, sh}, sub, &sst,
            ALIGN_CENTER, true, false);
    buf_free(&b);
}

static void draw_code(struct app *a, struct ui *ui, int top)
{
    int m = ui_px(ui, 3), W = ui->w, H = ui->h;
    bool session = ck.kind == CHECKIN_SESSION;
    int y = top;
    y += heading(ui, y, T(a, session ? "checkin.participant.title" : "checkin.code.title"), 4.2f);
    /* The code in six large boxes; Latin characters read left to right. */
    int box = ui_px(ui, 10), bgap = ui_px(ui, 1.5f), total = 6 * box + 5 * bgap;
    int bx = (W - total) / 2;
    struct text_style big = {ui_tx(ui, 6.5f), true, UI_TEXT};
    for (int i = 0; i < 6; i++) {
        struct rect r = {bx + i * (box + bgap), y, box, (int)(box * 1.15f)};
        ui_round_rect(ui, r, ui_px(ui, 1), i == (int)ck.len ? UI_PRIMARY : UI_BORDER);
        int b = ui_px(ui, 0.35f) < 2 ? 2 : ui_px(ui, 0.35f);
        ui_round_rect(ui, (struct rect){r.x + b, r.y + b, r.w - 2 * b, r.h - 2 * b},
                      ui_px(ui, 1) - b, UI_SURFACE);
        char ch[2] = {i < (int)ck.len ? ck.code[i] : 0, 0};
        if (ch[0])
            ui_text(ui, NULL, r, ch, &big, ALIGN_CENTER, false, true);
    }
    ui_register(ui, "checkin.code", (struct rect){bx, y, total, box}, UI_LABEL, false, ck.code);
    y += (int)(box * 1.15f) + ui_px(ui, 1.5f);
    if (ck.limited_until) {
        draw_pause(a, ui, y);
        return;
    }
    struct text_style note = {ui_tx(ui, 3), ck.banner_key[0] != 0,
                              ck.banner_key[0] ? UI_WARN_TEXT : UI_MUTED};
    const char *nt = T(a, ck.banner_key[0] ? ck.banner_key : "checkin.code.hint");
    /* One line, or as tall as its lines (larger text wraps some). */
    const struct text_block *nb = text_cache_get(ui->tc, nt, &note, W - 2 * m, ALIGN_CENTER,
                                                 ui_text_rtl(ui, nt));
    struct rect nr = {m, y, W - 2 * m, nb->lines > 1 ? nb->h + ui_px(ui, 1) : ui_tx(ui, 6)};
    if (ck.banner_key[0])
        ui_round_rect(ui, nr, ui_px(ui, 1), UI_WARN_BG);
    ui_text(ui, ck.banner_key[0] ? "checkin.error" : NULL, nr, nt, &note, ALIGN_CENTER, true,
            true);
    y += nr.h + ui_px(ui, 1.5f);

    static const char *keys[32], *labels[32];
    static char storage[31][2];
    for (int i = 0; i < 31; i++) {
        storage[i][0] = CODE_ALPHABET[i];
        keys[i] = labels[i] = storage[i];
    }
    keys[31] = "del";
    labels[31] = T(a, "checkin.del");
    int ok_h = ui_px(ui, 11);
    int pad_h = H - y - m - ok_h - ui_px(ui, 1.5f);
    int cols = W > H ? 11 : 8, rows = (32 + cols - 1) / cols;
    int pad_w = W - 2 * m;
    if (pad_h / rows > ui_px(ui, 14))
        pad_h = rows * ui_px(ui, 14);
    ui_keypad(ui, "checkin.key", (struct rect){m, y, pad_w, pad_h}, keys, labels, 32, cols);
    y += pad_h + ui_px(ui, 1.5f);
    int ow = ui_px(ui, 40);
    ui_button(ui, "checkin.ok", (struct rect){(W - ow) / 2, y, ow, ok_h}, T(a, "checkin.ok"),
              NULL, ck.len == 6 ? BTN_PRIMARY : BTN_SECONDARY);
}

/* Open attendance asks first: one accidental tap records nothing. The
 * panel is as tall as its lines need (they are taller in some scripts). */
static void draw_confirm(struct app *a, struct ui *ui)
{
    const struct session_row *s = &ck.sessions[ck.session];
    struct buf q, when, place;
    buf_init(&q);
    buf_init(&when);
    buf_init(&place);
    char hhmm[32];
    time_range(s->start, s->end, hhmm, sizeof hhmm);
    i18n_fmt_text(a->lang, "checkin.confirm", s->title, &q);
    i18n_fmt_text(a->lang, "checkin.at", hhmm, &when);
    if (s->place[0])
        i18n_fmt_text(a->lang, "checkin.place", s->place, &place);
    struct text_style big = {ui_tx(ui, 5), true, UI_TEXT}, st = {ui_tx(ui, 4), false, UI_TEXT};
    float w_units = 90;
    int pad = ui_px(ui, UI_POPUP_PAD), gap = ui_px(ui, 1.5f), bh = ui_tx(ui, 13);
    int w = ui_px(ui, w_units) - 2 * pad;
    if (w > ui->w - ui_px(ui, 4) - 2 * pad)
        w = ui->w - ui_px(ui, 4) - 2 * pad;
    int qh = ui_text_height(ui, q.data, &big, w), wh = ui_text_height(ui, when.data, &st, w);
    int ph = place.len ? ui_text_height(ui, place.data, &st, w) : 0;
    int need = pad + ui_px(ui, UI_POPUP_CLOSE_H) + gap + qh + gap + wh + ph + 2 * pad + bh + pad;
    struct rect p = ui_popup(ui, "checkin.confirm", w_units, (float)need / ui->u + 0.5f,
                             T(a, "common.close"));
    int y = p.y + pad + ui_px(ui, UI_POPUP_CLOSE_H) + gap;
    ui_text(ui, "checkin.confirm", (struct rect){p.x + pad, y, w, qh}, q.data, &big, ALIGN_CENTER,
            true, false);
    y += qh + gap;
    ui_text(ui, NULL, (struct rect){p.x + pad, y, w, wh}, when.data, &st, ALIGN_CENTER, true,
            false);
    y += wh;
    if (ph)
        ui_text(ui, NULL, (struct rect){p.x + pad, y, w, ph}, place.data, &st, ALIGN_CENTER, true,
                false);
    buf_free(&q);
    buf_free(&when);
    buf_free(&place);
    int bw = (w - pad) / 2, by = p.y + p.h - pad - bh;
    /* Yes first in reading order (mirrored in right-to-left). */
    ui_button(ui, "checkin.confirm.yes", (struct rect){p.x + pad, by, bw, bh},
              T(a, "checkin.confirm.yes"), NULL, BTN_PRIMARY);
    ui_button(ui, "checkin.confirm.no", (struct rect){p.x + 2 * pad + bw, by, bw, bh},
              T(a, "checkin.confirm.no"), NULL, BTN_SECONDARY);
}

static void draw_sessions(struct app *a, struct ui *ui, int top)
{
    int m = ui_px(ui, 4), gap = ui_px(ui, 2), y = top;
    y += heading(ui, y, T(a, "checkin.sessions.title"), 4.2f);
    int h = ui_px(ui, 14);
    struct buf b, sub;
    buf_init(&b);
    buf_init(&sub);
    for (int i = 0; i < ck.n_sessions && y + h <= ui->h; i++) {
        const struct session_row *s = &ck.sessions[i];
        char id[UI_ID_MAX], when[32], label[STORE_TEXT_MAX + 40];
        snprintf(id, sizeof id, "checkin.session.%s", s->id);
        time_range(s->start, s->end, when, sizeof when);
        snprintf(label, sizeof label, "%s  %s", when, s->title);
        /* One not open yet says from when; it looks quiet, not tappable. */
        bool open = s->window == SESSION_OPEN;
        buf_clear(&sub);
        buf_puts(&sub, s->place);
        if (!open) {
            if (sub.len)
                buf_puts(&sub, " · ");
            buf_puts(&sub, i18n_fmt_text(a->lang, "checkin.session.opens", s->opens, &b));
        }
        ui_button(ui, id, (struct rect){m, y, ui->w - 2 * m, h}, label, sub.data,
                  open ? BTN_SECONDARY : BTN_QUIET);
        y += h + gap;
    }
    buf_free(&b);
    buf_free(&sub);
    if (ck.confirming)
        draw_confirm(a, ui);
}

static void draw_errands(struct app *a, struct ui *ui, int top)
{
    int m = ui_px(ui, 4), gap = ui_px(ui, 2), y = top;
    y += heading(ui, y, T(a, "checkin.errands.title"), 4.2f);
    int cols = ui->w > ui->h ? 2 : 1, bw = (ui->w - 2 * m - (cols - 1) * gap) / cols;
    int h = ui_px(ui, 14);
    for (int i = 0; i < ck.n_errands; i++) {
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, "checkin.errand.%d", i + 1);
        ui_button(ui, id, (struct rect){m + (i % cols) * (bw + gap), y + (i / cols) * (h + gap),
                                        bw, h},
                  ck.errand_labels[i], NULL, BTN_PRIMARY);
    }
}

/* OK, and above it how long until the screen goes home by itself. */
static void done_button(struct app *a, struct ui *ui)
{
    int bw = ui_tx(ui, 40), bh = ui_px(ui, 12), m = ui_px(ui, 4);
    app_home_left(a, ui, ui->h - m - bh - ui_tx(ui, 7), &ck.t_home);
    ui_button(ui, "checkin.done", (struct rect){(ui->w - bw) / 2, ui->h - m - bh, bw, bh},
              T(a, "checkin.done"), NULL, BTN_PRIMARY);
}

/* The height centered takes for text, with the gap under it. */
static int centered_h(struct ui *ui, const char *text, float size, bool bold)
{
    struct text_style st = {ui_tx(ui, size), bold, UI_TEXT};
    return ui_text_height(ui, text, &st, ui->w - 2 * ui_px(ui, 4)) + ui_px(ui, 2);
}

static int centered(struct ui *ui, const char *id, int y, const char *text, float size, bool bold,
                    SDL_Color color)
{
    int m = ui_px(ui, 4);
    struct text_style st = {ui_tx(ui, size), bold, color};
    const struct text_block *b = text_cache_get(ui->tc, text, &st, ui->w - 2 * m, ALIGN_CENTER,
                                                ui_text_rtl(ui, text));
    ui_text(ui, id, (struct rect){m, y, ui->w - 2 * m, b->h}, text, &st, ALIGN_CENTER, true,
            false);
    return b->h + ui_px(ui, 2);
}

static void draw_result(struct app *a, struct ui *ui, int top)
{
    const struct checkin_result *r = &ck.res;
    struct buf b;
    buf_init(&b);
    int y = top + ui_px(ui, 4);
    if (ck.kind == CHECKIN_APPOINTMENT) {
        const char *title = T(a, r->outcome == CHECKIN_REPEAT ? "checkin.repeat.title"
                                                              : "checkin.ok.title");
        y += centered(ui, "checkin.result", y, title, 6.5f, true, UI_TEXT);
        y += centered(ui, NULL, y, i18n_fmt_text(a->lang, "checkin.at", r->appointment.time, &b),
                      5, true, UI_TEXT);
        if (r->appointment.place[0])
            y += centered(ui, NULL, y,
                          i18n_fmt_text(a->lang, "checkin.place", r->appointment.place, &b), 4.5f,
                          false, UI_TEXT);
        if (r->appointment.host[0])
            centered(ui, NULL, y, i18n_fmt_text(a->lang, "checkin.host", r->appointment.host, &b),
                     4.5f, false, UI_TEXT);
        else
            centered(ui, NULL, y, T(a, "checkin.host.none"), 4.5f, false, UI_TEXT);
    } else {
        const char *title = r->outcome == CHECKIN_REPEAT
                                ? i18n_fmt_text(a->lang, "checkin.session.repeat",
                                                r->record.time, &b)
                                : T(a, "checkin.session.ok");
        y += centered(ui, "checkin.result", y, title, 6, true, UI_TEXT);
        y += centered(ui, NULL, y, r->session_title, 5, true, UI_TEXT);
        char when[32];
        time_range(r->session_start, r->session_end, when, sizeof when);
        y += centered(ui, NULL, y, when, 4.5f, false, UI_TEXT);
        if (r->session_place[0])
            centered(ui, NULL, y, i18n_fmt_text(a->lang, "checkin.place", r->session_place, &b),
                     4.5f, false, UI_TEXT);
    }
    buf_free(&b);
    done_button(a, ui);
}

static void draw_ticket(struct app *a, struct ui *ui, int top)
{
    const struct checkin_result *r = &ck.res;
    struct buf b;
    buf_init(&b);
    int y = top;
    y += centered(ui, "checkin.ticket.remember", y, T(a, "checkin.ticket.remember"), 4.6f, true,
                  UI_TEXT);
    /* How long the ticket stays by itself, counted down by ticket_tick. */
    uint64_t end = ticket_end(a), left = end > a->now ? (end - a->now + 999) / 1000 : 0;
    const char *left_text = i18n_fmt(a->lang, "checkin.ticket.left", (long)left, &b);
    int bw = ui_tx(ui, 40), bh = ui_px(ui, 12), m = ui_px(ui, 4);
    /* Large enough to read across the room and to photograph; as large as
     * the lines under it leave room for (in larger text they take more). */
    int under = centered_h(ui, r->record.unit, 4, false) +
                centered_h(ui, T(a, "checkin.ticket.sub"), 3.6f, false) +
                centered_h(ui, left_text, 3.2f, false) + ui_px(ui, 1);
    int th = ui->h - m - bh - ui_px(ui, 1) - under - y;
    th = th > ui_px(ui, 27) ? ui_px(ui, 27) : th;
    struct text_style huge = {th * 25 / 27, true, UI_PRIMARY};
    struct rect tr = {0, y, ui->w, th};
    ui_text(ui, "checkin.ticket", tr, r->record.ticket, &huge, ALIGN_CENTER, false, true);
    y += tr.h + ui_px(ui, 1);
    y += centered(ui, NULL, y, r->record.unit, 4, false, UI_TEXT);
    y += centered(ui, NULL, y, T(a, "checkin.ticket.sub"), 3.6f, false, UI_TEXT);
    centered(ui, "checkin.ticket.left", y, left_text, 3.2f, false, UI_MUTED);
    buf_free(&b);
    ui_button(ui, "checkin.ticket.ok", (struct rect){(ui->w - bw) / 2, ui->h - m - bh, bw, bh},
              T(a, "checkin.ticket.ok"), NULL, BTN_PRIMARY);
}

static void draw_message(struct app *a, struct ui *ui, int top)
{
    struct buf b;
    buf_init(&b);
    int y = top + ui_px(ui, 6);
    const char *title = ck.msg_text[0] ? i18n_fmt_text(a->lang, ck.msg_key, ck.msg_text, &b)
                                       : T(a, ck.msg_key);
    y += centered(ui, "checkin.message", y, title, 5.5f, true, UI_TEXT);
    if (ck.msg_sub_key[0]) {
        const char *sub;
        if (ck.msg_sub_text[0]) {
            sub = i18n_fmt_text(a->lang, ck.msg_sub_key, ck.msg_sub_text, &b);
        } else {
            sub = T(a, ck.msg_sub_key);
        }
        centered(ui, NULL, y, sub, 4.2f, false, UI_TEXT);
    }
    buf_free(&b);
    done_button(a, ui);
}

static void draw(struct app *a, struct ui *ui)
{
    bool back = ck.view == CODE || ck.view == SESSIONS || ck.view == ERRANDS;
    back = back && (ck.kinds & (ck.kinds - 1)); /* a menu to go back to */
    if (ck.view == CODE && ck.kind == CHECKIN_SESSION)
        back = true;
    int top = app_chrome(a, ui, T(a, "checkin.title"), back);
    switch (ck.view) {
    case MENU: draw_menu(a, ui, top); break;
    case CODE: draw_code(a, ui, top); break;
    case SESSIONS: draw_sessions(a, ui, top); break;
    case ERRANDS: draw_errands(a, ui, top); break;
    case WAITING:
        if (ck.wait_shown)
            centered(ui, NULL, top + ui_px(ui, 20), T(a, "checkin.wait"), 5, true, UI_TEXT);
        break;
    case RESULT: draw_result(a, ui, top); break;
    case TICKET: draw_ticket(a, ui, top); break;
    case MESSAGE: draw_message(a, ui, top); break;
    }
}

/* What each kind of check-in opens: the code pad, today's sessions, the
 * errands. */
static void warm(struct app *a, struct ui *ui)
{
    static const unsigned kinds[] = {K_APPOINTMENT, K_SESSION, K_WALKIN};
    static const enum checkin_kind opens[] = {CHECKIN_APPOINTMENT, CHECKIN_SESSION,
                                              CHECKIN_WALKIN};
    for (int i = 0; i < 3; i++)
        if (ck.kinds & kinds[i]) {
            open_kind(a, opens[i]);
            draw(a, ui);
        }
    enter(a);
}

const struct screen screen_checkin = {
    .name = "checkin",
    .enter = enter,
    .draw = draw,
    .warm = warm,
    .tap = tap,
    .forget = forget,
    .answered = answered,
};

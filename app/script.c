/*
 * script.c — the headless driver; see script.h. Taps, drags and typing
 * become SDL mouse events pushed into SDL's own queue, and the kiosk's own
 * loop turns (loop_turn) handle them on the virtual clock: input, timers,
 * one frame drawn and presented. `shot` saves the frame as it was
 * presented, and `expect` looks at the widgets of that frame, so a script
 * sees what a person in front of the screen would. After each command the
 * background writer is waited for (real time) until every record is stored
 * or known to fail, and its answers are handled by a
 * turn of the loop, so a script's next check sees what the store holds.
 */
#define _GNU_SOURCE
#include "script.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <png.h>
#include <utf8proc.h>

#include "loop.h"
#include "speech.h"

/* A tap as a person makes it: the finger rests 60 ms, and the next touch
 * comes at least 400 ms later (a double tap is faster than that, and the
 * survey ignores it on purpose). */
#define TAP_MS 60
#define SETTLE_MS 400

static char err[512];

static bool fail(const char *fmt, const char *arg)
{
    snprintf(err, sizeof err, fmt, arg);
    return false;
}

static void push_button(Uint32 type, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    e.button.clicks = 1;
    e.button.x = x;
    e.button.y = y;
    SDL_PushEvent(&e);
}

static void push_motion(int x, int y, int dx, int dy)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEMOTION;
    e.motion.state = SDL_BUTTON_LMASK;
    e.motion.x = x;
    e.motion.y = y;
    e.motion.xrel = dx;
    e.motion.yrel = dy;
    SDL_PushEvent(&e);
}

static void tap_at(struct app *a, int x, int y)
{
    push_button(SDL_MOUSEBUTTONDOWN, x, y);
    loop_advance(a, a->now + TAP_MS);
    push_button(SDL_MOUSEBUTTONUP, x, y);
    loop_advance(a, a->now + SETTLE_MS);
}

/* A widget of the frame last presented. */
static const struct widget *shown(struct app *a, const char *id)
{
    return ui_find(&a->ui, id);
}

static bool tap_id(struct app *a, const char *id)
{
    const struct widget *w = shown(a, id);
    if (!w || !w->interactive)
        return fail("no visible widget %s to tap", id);
    tap_at(a, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2);
    return true;
}

static const struct widget *find_key(struct app *a, const char *key)
{
    char suffix[UI_ID_MAX];
    snprintf(suffix, sizeof suffix, ".key.%s", key);
    size_t sl = strlen(suffix);
    for (size_t i = a->ui.n; i-- > 0;) {
        const struct widget *w = &a->ui.widgets[i];
        size_t n = strlen(w->id);
        if (w->interactive && n >= sl && strcmp(w->id + n - sl, suffix) == 0 &&
            ui_find(&a->ui, w->id) == w)
            return w;
    }
    return NULL;
}

/* The key that types ch on screen: its own, the other case's, or for a
 * typographic apostrophe (’ ʼ) the keyboard's '. */
static const struct widget *key_for(struct app *a, const char *ch)
{
    if (strcmp(ch, "\u2019") == 0 || strcmp(ch, "\u02BC") == 0)
        ch = "'";
    const struct widget *w = find_key(a, ch);
    int32_t cp;
    if (w || utf8proc_iterate((const utf8proc_uint8_t *)ch, -1, &cp) <= 0)
        return w;
    int32_t other[2] = {utf8proc_tolower(cp), utf8proc_toupper(cp)};
    for (int i = 0; i < 2 && !w; i++) {
        char o[8] = {0};
        if (other[i] != cp) {
            utf8proc_encode_char(other[i], (utf8proc_uint8_t *)o);
            w = find_key(a, o);
        }
    }
    return w;
}

/* Taps the keys for text, as a person would: a letter the keyboard on
 * screen lacks is looked for after a tap on its switch key (to Danish
 * from Cyrillic or Arabic, and back). */
static bool type_text(struct app *a, const char *text)
{
    for (const char *p = text; *p;) {
        size_t n = 1;
        while (n < 4 && (p[n] & 0xC0) == 0x80)
            n++;
        char ch[8] = {0};
        memcpy(ch, p, n);
        p += n;
        const struct widget *w = strcmp(ch, " ") == 0 ? find_key(a, "space") : key_for(a, ch);
        const struct widget *sw = w ? NULL : find_key(a, "switch");
        if (sw) {
            tap_at(a, sw->r.x + sw->r.w / 2, sw->r.y + sw->r.h / 2);
            w = key_for(a, ch);
        }
        if (!w)
            return fail("no key for '%s' on screen", ch);
        tap_at(a, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2);
    }
    return true;
}

static bool drag(struct app *a, int x1, int y1, int x2, int y2, long ms)
{
    uint64_t start = a->now;
    int px = x1, py = y1;
    push_button(SDL_MOUSEBUTTONDOWN, x1, y1);
    for (long t = 16; t < ms; t += 16) {
        loop_advance(a, start + (uint64_t)t);
        float f = (float)t / (float)ms;
        int x = x1 + (int)((float)(x2 - x1) * f), y = y1 + (int)((float)(y2 - y1) * f);
        push_motion(x, y, x - px, y - py);
        px = x;
        py = y;
    }
    loop_advance(a, start + (uint64_t)ms);
    push_motion(x2, y2, x2 - px, y2 - py);
    push_button(SDL_MOUSEBUTTONUP, x2, y2);
    loop_advance(a, a->now); /* one turn: the release, and its frame */
    return true;
}

bool script_shot(struct app *a, const char *path)
{
    (void)a;
    int w, h;
    const uint8_t *rgb = loop_presented(&w, &h);
    if (!rgb) {
        log_msg("script", "%s: no frame has been presented", path);
        return false;
    }
    png_image img = {.version = PNG_IMAGE_VERSION, .width = (png_uint_32)w,
                     .height = (png_uint_32)h, .format = PNG_FORMAT_RGB};
    bool ok = png_image_write_to_file(&img, path, 0, rgb, w * 3, NULL) != 0;
    if (!ok)
        log_msg("script", "%s: cannot save the screenshot: %s", path, img.message);
    png_image_free(&img);
    return ok;
}

static bool parse_ints(const char *s, int *v, int n)
{
    for (int i = 0; i < n; i++) {
        char *end;
        errno = 0;
        long x = strtol(s, &end, 10);
        if (end == s || errno || x < -100000 || x > 10000000)
            return false;
        v[i] = (int)x;
        s = end;
    }
    while (*s == ' ')
        s++;
    return *s == '\0';
}

static bool run_line(struct app *a, char *line, const char *shots)
{
    char *arg = strchr(line, ' ');
    if (arg) {
        *arg++ = '\0';
        while (*arg == ' ')
            arg++;
    } else {
        arg = line + strlen(line);
    }
    int v[5];
    if (strcmp(line, "tap") == 0) {
        if (parse_ints(arg, v, 2)) {
            tap_at(a, v[0], v[1]);
            return true;
        }
        if (!*arg || strchr(arg, ' '))
            return fail("tap needs a widget id or X Y%s", "");
        return tap_id(a, arg);
    }
    if (strcmp(line, "drag") == 0) {
        if (!parse_ints(arg, v, 5) || v[4] <= 0)
            return fail("drag needs X1 Y1 X2 Y2 MS%s", "");
        return drag(a, v[0], v[1], v[2], v[3], v[4]);
    }
    if (strcmp(line, "type") == 0)
        return type_text(a, arg);
    if (strcmp(line, "wait") == 0) {
        if (!parse_ints(arg, v, 1) || v[0] < 0)
            return fail("wait needs milliseconds%s", "");
        loop_advance(a, a->now + (uint64_t)v[0]);
        return true;
    }
    if (strcmp(line, "shot") == 0) {
        if (!*arg || strchr(arg, '/'))
            return fail("shot needs a name without '/'%s", "");
        if (!shots)
            return true;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.png", shots, arg);
        return script_shot(a, path) || fail("cannot write the screenshot %s", arg);
    }
    if (strcmp(line, "dump") == 0) {
        /* The widgets of the presented frame, as --dump-ui prints them,
         * into SHOTS/NAME.ui: for tests that check every screen's words. */
        if (!*arg || strchr(arg, '/'))
            return fail("dump needs a name without '/'%s", "");
        if (!shots)
            return true;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.ui", shots, arg);
        struct buf b;
        buf_init(&b);
        ui_dump(&a->ui, &b);
        FILE *f = fopen(path, "w");
        bool ok = f && fwrite(b.data ? b.data : "", 1, b.len, f) == b.len;
        ok = f && fclose(f) == 0 && ok;
        buf_free(&b);
        return ok || fail("cannot write the widget list %s", arg);
    }
    if (strcmp(line, "expect") == 0) {
        return shown(a, arg) || fail("%s is not on screen", arg);
    }
    if (strcmp(line, "expect-gone") == 0) {
        return !shown(a, arg) || fail("%s is still on screen", arg);
    }
    if (strcmp(line, "expect-text") == 0) {
        return ui_has_text(&a->ui, arg) || fail("the text \"%s\" is not on screen", arg);
    }
    if (strcmp(line, "expect-no-text") == 0) {
        return !ui_has_text(&a->ui, arg) || fail("the text \"%s\" is on screen", arg);
    }
    if (strcmp(line, "expect-whole") == 0) {
        const char *cut = ui_cut_text(&a->ui);
        return !cut || fail("a text does not fit its box and was cut: \"%.200s\"", cut);
    }
    if (strcmp(line, "expect-spoken") == 0) {
        return (a->speech && speech_log_has(a->speech, arg)) ||
               fail("\"%s\" was not spoken since the screen changed", arg);
    }
    if (strcmp(line, "wait-spoken") == 0 || strcmp(line, "expect-silent") == 0) {
        /* Real time, not the virtual clock: speech runs on its own thread.
         * wait-spoken MS: until all was said and played; expect-silent MS:
         * the voice stops within MS (after a touch). */
        if (!parse_ints(arg, v, 1) || v[0] < 0)
            return fail("%s needs milliseconds", line);
        uint64_t end = SDL_GetTicks64() + (uint64_t)v[0];
        while (a->speech && speech_busy(a->speech) && SDL_GetTicks64() < end)
            SDL_Delay(2);
        return !(a->speech && speech_busy(a->speech)) ||
               fail("still speaking after %s ms", arg);
    }
    if (strcmp(line, "sleep") == 0) {
        /* Real time passes (the virtual clock stands): to let speech run. */
        if (!parse_ints(arg, v, 1) || v[0] < 0 || v[0] > 60000)
            return fail("sleep needs milliseconds (at most 60000)%s", "");
        SDL_Delay((Uint32)v[0]);
        return true;
    }
    if (strcmp(line, "expect-not-spoken") == 0) {
        return !(a->speech && speech_log_has(a->speech, arg)) ||
               fail("\"%s\" was spoken", arg);
    }
    if (strcmp(line, "expect-not-cached") == 0) {
        return !text_cache_holds(a->tc, arg) ||
               fail("the text \"%s\" is still in the text cache", arg);
    }
    if (strcmp(line, "lang") == 0) {
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, "home.lang.%s", arg);
        return tap_id(a, id);
    }
    if (strcmp(line, "quit") == 0) {
        a->quit = true;
        return true;
    }
    return fail("unknown command '%s'", line);
}

int script_run(struct app *a, const char *path, const char *shots)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return 1;
    }
    if (shots) {
        mkdir(shots, 0755);
        loop_capture(true);
    }
    char line[4096];
    int lineno = 0, rc = 0;
    const char *tr = getenv("SKRANKE_SCRIPT_TRACE");
    bool trace = tr && strcmp(tr, "1") == 0;
    loop_turn(a); /* the first frame */
    while (!a->quit && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        char *t = line;
        while (*t == ' ' || *t == '\t')
            t++;
        if (!*t || *t == '#')
            continue;
        char done[sizeof line];
        snprintf(done, sizeof done, "%s", t);
        if (!run_line(a, t, shots)) {
            fprintf(stderr, "%s:%d: %s\n", path, lineno, err);
            rc = 1;
            break;
        }
        if (trace) {
            /* The moment a line held: a test that kills the kiosk knows
             * what had been on screen by then. */
            printf("ok %d %s\n", lineno, done);
            fflush(stdout);
        }
        if (a->writer && !writer_settle(a->writer, 10000)) {
            fprintf(stderr, "%s:%d: the store did not answer within 10 s\n", path, lineno);
            rc = 1;
            break;
        }
        for (int waited = 0; app_busy(a) && waited < 6000; waited++)
            SDL_Delay(10); /* background work of a screen (staff import/export) */
        loop_turn(a); /* the answers of the writer and workers, and their frame */
    }
    fclose(f);
    return rc;
}

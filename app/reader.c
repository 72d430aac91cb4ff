/*
 * reader.c — see reader.h.
 */
#include "reader.h"

#include <string.h>

/* Widgets whose area holds what a citizen types: nothing inside is read. */
static const char *const private_ids[] = {"checkin.code", "jobs.search", NULL};
/* Id prefixes and parts that are not read: navigation, language names,
 * keys, the staff corner and everything of staff mode. */
static const char *const skip_prefixes[] = {"nav.", "home.lang.", "home.staff", "staff.",
                                            "idle.", NULL};

static bool has_prefix(const char *id, const char *const *list)
{
    for (; *list; list++)
        if (strncmp(id, *list, strlen(*list)) == 0)
            return true;
    return false;
}

static bool is_private(const char *id)
{
    for (const char *const *p = private_ids; *p; p++)
        if (strcmp(id, *p) == 0)
            return true;
    return false;
}

static bool inside(struct rect outer, struct rect r)
{
    int cx = r.x + r.w / 2, cy = r.y + r.h / 2;
    return cx >= outer.x && cx < outer.x + outer.w && cy >= outer.y && cy < outer.y + outer.h;
}

static bool skipped(const struct ui *ui, const struct widget *w)
{
    if (has_prefix(w->id, skip_prefixes) || strstr(w->id, ".key.") || w->kind == UI_KEY)
        return true;
    for (size_t i = 0; i < ui->n; i++) {
        const struct widget *p = &ui->widgets[i];
        if (is_private(p->id) && (p == w || inside(p->r, w->r)))
            return true;
    }
    return false;
}

/* One text into out: a sentence of its own (a full stop where it has no
 * end mark, so the voice pauses), line breaks as spaces. */
static void put_sentence(struct buf *out, const char *text, bool spell)
{
    if (out->len)
        buf_putc(out, ' ');
    size_t start = out->len;
    for (const char *p = text; *p; p++) {
        if (spell && p != text && *p != ' ' && ((unsigned char)*p & 0xC0) != 0x80)
            buf_putc(out, ' ');
        buf_putc(out, *p == '\n' || *p == '\t' ? ' ' : *p);
    }
    while (out->len > start && out->data[out->len - 1] == ' ')
        out->data[--out->len] = '\0';
    if (out->len > start && !strchr(".!?:…", out->data[out->len - 1]) &&
        !(out->len >= 2 && (unsigned char)out->data[out->len - 2] == 0xD8 &&
          (unsigned char)out->data[out->len - 1] == 0x9F)) /* ؟ */
        buf_putc(out, '.');
}

void reader_text(const struct ui *ui, struct buf *out)
{
    buf_clear(out);
    buf_put(out, "", 0);
    const char *last = NULL;
    for (size_t i = 0; i < ui->n; i++) {
        const struct widget *w = &ui->widgets[i];
        const char *text = ui_widget_text(ui, w);
        if (!*text || skipped(ui, w))
            continue;
        /* A button's label is also drawn as text: read once. */
        if (last && strcmp(last, text) == 0)
            continue;
        last = text;
        put_sentence(out, text, strcmp(w->id, "checkin.ticket") == 0);
    }
}

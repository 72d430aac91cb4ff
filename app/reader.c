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
        if (p == w || !inside(p->r, w->r))
            continue;
        if (is_private(p->id))
            return true;
        /* A button's label and sub-label, drawn as texts of their own:
         * the button reads them (or is not read at all). */
        if (!w->id[0] && p->id[0] && (p->kind == UI_BUTTON || p->kind == UI_KEY))
            return true;
    }
    return is_private(w->id);
}

/* Ends the sentence just written (from start) with a full stop where it
 * has no end mark of its own, so the voice pauses. */
static void end_sentence(struct buf *out, size_t start)
{
    while (out->len > start && out->data[out->len - 1] == ' ')
        out->data[--out->len] = '\0';
    if (out->len == start)
        return;
    const char *end = out->data + out->len;
    if (strchr(".!?:", end[-1]) || (out->len - start >= 3 && !memcmp(end - 3, "…", 3)) ||
        (out->len - start >= 2 && !memcmp(end - 2, "؟", 2)) ||
        (out->len - start >= 3 && !memcmp(end - 3, "።", 3)))
        return;
    buf_putc(out, '.');
}

/* One text into out: each of its lines a sentence of its own; spelled
 * out sign by sign when spell. */
static void put_sentences(struct buf *out, const char *text, bool spell)
{
    size_t start = out->len;
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            end_sentence(out, start);
            start = out->len;
            continue;
        }
        if (out->len == start && out->len)
            buf_putc(out, ' ');
        if (spell && p != text && *p != ' ' && ((unsigned char)*p & 0xC0) != 0x80)
            buf_putc(out, ' ');
        buf_putc(out, *p == '\t' ? ' ' : *p);
    }
    end_sentence(out, start);
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
        put_sentences(out, text, strcmp(w->id, "checkin.ticket") == 0);
    }
}

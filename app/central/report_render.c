/*
 * report_render.c — writes the report's blocks (report_doc.h) as an A4 PDF
 * and as one self-contained HTML file. Both use the same cairo drawing for
 * the charts: on the PDF surface they stay vectors; for HTML each chart is
 * drawn on an image surface at twice its size and embedded as a PNG data:
 * URI. Text goes through cairo's toy font API with fontconfig's "Noto Sans"
 * (fonts-noto-core; fontconfig falls back to DejaVu Sans), which covers
 * Danish. The PDF lays out top to bottom with a cursor and breaks pages
 * between rows, repeating a table's header on the new page.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <sodium.h>

#include "report_doc.h"
#include "util.h"

#define LOG_MODULE "central-render"

#define FONT "Noto Sans"
#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 42.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define TREND_H 150.0
#define HEAT_H 150.0
#define ROW_H 10.5
#define TABLE_PT 6.8

/* ---- the document ---- */

struct doc_block *doc_add(struct doc *d, enum doc_kind kind, const char *text)
{
    d->blocks = xrealloc(d->blocks, (d->n + 1) * sizeof *d->blocks);
    struct doc_block *b = &d->blocks[d->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->text = text ? xstrdup(text) : NULL;
    return b;
}

struct doc_table *doc_table_create(int ncols, int first_number, const char *const *head)
{
    struct doc_table *t = xcalloc(1, sizeof *t);
    t->ncols = ncols;
    t->first_number = first_number;
    t->head = xcalloc((size_t)ncols, sizeof *t->head);
    for (int i = 0; i < ncols; i++)
        t->head[i] = xstrdup(head[i]);
    return t;
}

void doc_table_row(struct doc_table *t, const char *const *cells, bool bold)
{
    t->cells = xrealloc(t->cells, (t->nrows + 1) * (size_t)t->ncols * sizeof *t->cells);
    t->bold = xrealloc(t->bold, t->nrows + 1);
    for (int i = 0; i < t->ncols; i++)
        t->cells[t->nrows * (size_t)t->ncols + (size_t)i] = xstrdup(cells[i] ? cells[i] : "");
    t->bold[t->nrows++] = bold;
}

static void table_free(struct doc_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
        free(t->cells[i]);
    for (int i = 0; i < t->ncols; i++)
        free(t->head[i]);
    free(t->cells);
    free(t->head);
    free(t->bold);
    free(t);
}

void doc_free(struct doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->blocks[i].text);
        table_free(d->blocks[i].table);
        free(d->blocks[i].trend);
        free(d->blocks[i].heat);
    }
    free(d->blocks);
    d->blocks = NULL;
    d->n = 0;
}

/* ---- drawing helpers ---- */

enum align { LEFT, CENTER, RIGHT };

static void font(cairo_t *cr, double size, bool bold)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double text_width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

/* Draws s with its baseline at y, aligned around x. */
static void text_at(cairo_t *cr, double x, double y, const char *s, enum align a)
{
    double w = text_width(cr, s);
    cairo_move_to(cr, a == LEFT ? x : a == CENTER ? x - w / 2 : x - w, y);
    cairo_show_text(cr, s);
}

static void rgb(cairo_t *cr, unsigned hex)
{
    cairo_set_source_rgb(cr, (hex >> 16 & 255) / 255.0, (hex >> 8 & 255) / 255.0,
                         (hex & 255) / 255.0);
}

static void hatched_box(cairo_t *cr, double x, double y, double w, double h)
{
    rgb(cr, 0xdddddd);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill_preserve(cr);
    cairo_save(cr);
    cairo_clip(cr);
    rgb(cr, 0xaaaaaa);
    cairo_set_line_width(cr, 0.6);
    for (double d = -h; d < w; d += 4) {
        cairo_move_to(cr, x + d, y + h);
        cairo_line_to(cr, x + d + h, y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Colours of the answers: [0] ved ikke, [1..5] helt uenig … helt enig. */
static const unsigned answer_rgb[6] = {0xc8c8c8, 0xc0392b, 0xe67e22, 0xf1c40f, 0x82c366,
                                       0x2e8b57};
static const char *const answer_label[6] = {"Ved ikke", "1 Helt uenig", "2", "3", "4",
                                            "5 Helt enig"};

/* One statement over the quarters: stacked shares, the agree share above. */
static void draw_trend(cairo_t *cr, double x, double y, double w, double h, const char *caption,
                       const struct doc_trend *tr)
{
    font(cr, 8.5, true);
    rgb(cr, 0x222222);
    text_at(cr, x, y + 9, caption, LEFT);
    double left = x + 34, top = y + 26, legend_w = 78, bottom = y + h - 16;
    double plot_w = w - (left - x) - legend_w, plot_h = bottom - top;
    font(cr, 6.5, false);
    cairo_set_line_width(cr, 0.4);
    for (int p = 0; p <= 100; p += 25) {
        double yy = bottom - plot_h * p / 100.0;
        rgb(cr, 0xdddddd);
        cairo_move_to(cr, left, yy);
        cairo_line_to(cr, left + plot_w, yy);
        cairo_stroke(cr);
        char label[8];
        snprintf(label, sizeof label, "%d %%", p);
        rgb(cr, 0x555555);
        text_at(cr, left - 4, yy + 2.2, label, RIGHT);
    }
    double slot = tr->nq ? plot_w / tr->nq : plot_w, bar = slot * 0.45;
    for (int q = 0; q < tr->nq; q++) {
        double bx = left + slot * q + (slot - bar) / 2;
        rgb(cr, 0x333333);
        font(cr, 6.5, false);
        text_at(cr, bx + bar / 2, bottom + 9, tr->label[q], CENTER);
        if (tr->hidden[q]) {
            hatched_box(cr, bx, top, bar, plot_h);
            rgb(cr, 0x333333);
            text_at(cr, bx + bar / 2, top - 3, "x", CENTER);
            continue;
        }
        double yy = bottom;
        int shown = 0;
        static const int order[6] = {1, 2, 3, 4, 5, 0};
        for (int i = 0; i < 6; i++) {
            int t = tr->tenths[q][order[i]];
            if (t < 0)
                continue;
            double hh = plot_h * t / 1000.0;
            rgb(cr, answer_rgb[order[i]]);
            cairo_rectangle(cr, bx, yy - hh, bar, hh);
            cairo_fill(cr);
            yy -= hh;
            shown += t;
        }
        if (shown < 1000)
            hatched_box(cr, bx, top, bar, yy - top);
        rgb(cr, 0x222222);
        font(cr, 6.8, true);
        char label[64];
        snprintf(label, sizeof label, "Enig: %s", tr->agree[q]);
        text_at(cr, bx + bar / 2, top - 3, label, CENTER);
    }
    font(cr, 6.5, false);
    for (int i = 0; i < 7; i++) {
        double ly = top + i * 11;
        int b = i < 6 ? (i + 1) % 6 : -1;
        if (b >= 0) {
            rgb(cr, answer_rgb[b]);
            cairo_rectangle(cr, x + w - legend_w + 6, ly, 7, 7);
            cairo_fill(cr);
        } else {
            hatched_box(cr, x + w - legend_w + 6, ly, 7, 7);
        }
        rgb(cr, 0x333333);
        text_at(cr, x + w - legend_w + 17, ly + 6, b >= 0 ? answer_label[b] : "x udeladt",
                LEFT);
    }
}

static const char *const weekdays[7] = {"Man", "Tir", "Ons", "Tor", "Fre", "Lør", "Søn"};

/* Walk-ins by weekday (rows) and hour (columns), darker for more. */
static void draw_heat(cairo_t *cr, double x, double y, double w, double h, const char *caption,
                      const struct doc_heat *heat)
{
    int h0 = 8, h1 = 15;
    long max = 1;
    for (int d = 0; d < 7; d++) {
        for (int hr = 0; hr < 24; hr++) {
            long c = heat->count[d][hr];
            if (c) {
                h0 = hr < h0 ? hr : h0;
                h1 = hr > h1 ? hr : h1;
            }
            max = c > max ? c : max;
        }
    }
    font(cr, 8.5, true);
    rgb(cr, 0x222222);
    text_at(cr, x, y + 9, caption, LEFT);
    double left = x + 30, top = y + 24, cw = (w - 30) / (h1 - h0 + 1), ch = (h - 30) / 7;
    font(cr, 6.5, false);
    for (int hr = h0; hr <= h1; hr++) {
        char label[16];
        snprintf(label, sizeof label, "%02d", hr);
        rgb(cr, 0x555555);
        text_at(cr, left + cw * (hr - h0) + cw / 2, top - 3, label, CENTER);
    }
    for (int d = 0; d < 7; d++) {
        double yy = top + ch * d;
        rgb(cr, 0x555555);
        text_at(cr, x, yy + ch / 2 + 2.2, weekdays[d], LEFT);
        for (int hr = h0; hr <= h1; hr++) {
            double xx = left + cw * (hr - h0);
            long c = heat->count[d][hr];
            if (c < 0) {
                hatched_box(cr, xx + 0.5, yy + 0.5, cw - 1, ch - 1);
            } else {
                double t = (double)c / (double)max;
                cairo_set_source_rgb(cr, 1 - 0.85 * t, 1 - 0.55 * t, 1 - 0.25 * t);
                cairo_rectangle(cr, xx + 0.5, yy + 0.5, cw - 1, ch - 1);
                cairo_fill(cr);
            }
            char label[24];
            snprintf(label, sizeof label, c < 0 ? "x" : "%ld", c);
            if (c) {
                rgb(cr, c > 0 && (double)c / (double)max > 0.6 ? 0xffffff : 0x222222);
                text_at(cr, xx + cw / 2, yy + ch / 2 + 2.2, label, CENTER);
            }
        }
    }
}

/* ---- the PDF ---- */

struct pdf {
    cairo_t *cr;
    double y;
};

static void new_page_if(struct pdf *p, double need)
{
    if (p->y + need <= PAGE_H - MARGIN)
        return;
    cairo_show_page(p->cr);
    p->y = MARGIN;
}

/* Wraps text into lines no wider than width; draws them. */
static void paragraph(struct pdf *p, const char *text, double size, bool bold, double gap)
{
    cairo_t *cr = p->cr;
    font(cr, size, bold);
    rgb(cr, 0x222222);
    char *copy = xstrdup(text), *line = xmalloc(strlen(text) + 1);
    line[0] = 0;
    for (char *word = strtok(copy, " "); word; word = strtok(NULL, " ")) {
        size_t len = strlen(line);
        if (len)
            strcat(line, " ");
        strcat(line, word);
        if (len && text_width(cr, line) > CONTENT_W) {
            line[len] = 0;
            new_page_if(p, size * 1.4);
            text_at(cr, MARGIN, p->y + size, line, LEFT);
            p->y += size * 1.4;
            strcpy(line, word);
        }
    }
    new_page_if(p, size * 1.4);
    text_at(cr, MARGIN, p->y + size, line, LEFT);
    p->y += size * 1.4 + gap;
    free(copy);
    free(line);
}

static void table_row(struct pdf *p, const struct doc_table *t, char *const *cells,
                      const double *widths, bool bold, bool head)
{
    cairo_t *cr = p->cr;
    if (bold || head) {
        rgb(cr, head ? 0xe4e9f0 : 0xf2f2f2);
        cairo_rectangle(cr, MARGIN, p->y, CONTENT_W, ROW_H);
        cairo_fill(cr);
    }
    font(cr, TABLE_PT, bold || head);
    rgb(cr, 0x222222);
    double x = MARGIN;
    for (int i = 0; i < t->ncols; i++) {
        cairo_save(cr);
        cairo_rectangle(cr, x, p->y, widths[i] - 2, ROW_H);
        cairo_clip(cr);
        if (i < t->first_number)
            text_at(cr, x + 2, p->y + ROW_H - 3, cells[i], LEFT);
        else
            text_at(cr, x + widths[i] - 3, p->y + ROW_H - 3, cells[i], RIGHT);
        cairo_restore(cr);
        x += widths[i];
    }
    p->y += ROW_H;
}

static void pdf_table(struct pdf *p, const struct doc_table *t)
{
    if (!t->nrows)
        return;
    cairo_t *cr = p->cr;
    double *widths = xcalloc((size_t)t->ncols, sizeof *widths), total = 0;
    font(cr, TABLE_PT, true);
    for (int i = 0; i < t->ncols; i++) {
        widths[i] = text_width(cr, t->head[i]) + 8;
        for (size_t r = 0; r < t->nrows; r++) {
            double w = text_width(cr, t->cells[r * (size_t)t->ncols + (size_t)i]) + 8;
            widths[i] = w > widths[i] ? w : widths[i];
        }
        total += widths[i];
    }
    /* The first column (names) gives way when the table is too wide; any
     * room left goes to it too. */
    widths[0] += CONTENT_W - total;
    if (widths[0] < 60)
        widths[0] = 60;
    new_page_if(p, ROW_H * 3);
    table_row(p, t, t->head, widths, false, true);
    for (size_t r = 0; r < t->nrows; r++) {
        if (p->y + ROW_H > PAGE_H - MARGIN) {
            new_page_if(p, ROW_H * 2);
            table_row(p, t, t->head, widths, false, true);
        }
        table_row(p, t, t->cells + r * (size_t)t->ncols, widths, t->bold[r], false);
    }
    p->y += 8;
    free(widths);
}

int doc_write_pdf(const struct doc *d, const char *path)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        log_msg(LOG_MODULE, "%s: %s", path, cairo_status_to_string(cairo_surface_status(s)));
        cairo_surface_destroy(s);
        return -1;
    }
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Værdighed i samtalen");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "skranke-central");
    struct pdf p = {cairo_create(s), MARGIN};
    for (size_t i = 0; i < d->n; i++) {
        const struct doc_block *b = &d->blocks[i];
        switch (b->kind) {
        case DOC_TITLE: paragraph(&p, b->text, 17, true, 6); break;
        case DOC_HEADING:
            new_page_if(&p, 70);
            p.y += 4;
            paragraph(&p, b->text, 11.5, true, 3);
            break;
        case DOC_TEXT: paragraph(&p, b->text, 8.5, false, 4); break;
        case DOC_TABLE: pdf_table(&p, b->table); break;
        case DOC_TREND:
            new_page_if(&p, TREND_H + 8);
            draw_trend(p.cr, MARGIN, p.y, CONTENT_W, TREND_H, b->text, b->trend);
            p.y += TREND_H + 8;
            break;
        case DOC_HEAT:
            new_page_if(&p, HEAT_H + 8);
            draw_heat(p.cr, MARGIN, p.y, CONTENT_W, HEAT_H, b->text, b->heat);
            p.y += HEAT_H + 8;
            break;
        }
    }
    cairo_destroy(p.cr);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        log_msg(LOG_MODULE, "%s: %s", path, cairo_status_to_string(st));
        return -1;
    }
    return 0;
}

/* ---- the HTML ---- */

static void html_text(struct buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        default: buf_putc(b, *s);
        }
    }
}

static cairo_status_t png_sink(void *closure, const unsigned char *data, unsigned int len)
{
    buf_put(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* The chart of b as an <img> with a PNG data: URI, drawn at twice its size. */
static int html_chart(struct buf *out, const struct doc_block *b)
{
    double h = b->kind == DOC_TREND ? TREND_H : HEAT_H;
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(CONTENT_W * 2), (int)(h * 2));
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, 2, 2);
    if (b->kind == DOC_TREND)
        draw_trend(cr, 0, 0, CONTENT_W, h, b->text, b->trend);
    else
        draw_heat(cr, 0, 0, CONTENT_W, h, b->text, b->heat);
    cairo_destroy(cr);
    struct buf png;
    buf_init(&png);
    cairo_status_t st = cairo_surface_write_to_png_stream(s, png_sink, &png);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        log_msg(LOG_MODULE, "a chart: %s", cairo_status_to_string(st));
        buf_free(&png);
        return -1;
    }
    size_t cap = sodium_base64_encoded_len(png.len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = xmalloc(cap);
    sodium_bin2base64(b64, cap, (unsigned char *)png.data, png.len,
                      sodium_base64_VARIANT_ORIGINAL);
    buf_printf(out, "<figure><img width=\"%d\" alt=\"", (int)(CONTENT_W * 4 / 3));
    html_text(out, b->text);
    buf_printf(out, "\" src=\"data:image/png;base64,%s\"></figure>\n", b64);
    free(b64);
    buf_free(&png);
    return 0;
}

static void html_table(struct buf *out, const struct doc_table *t)
{
    if (!t->nrows)
        return;
    buf_puts(out, "<table>\n<thead><tr>");
    for (int i = 0; i < t->ncols; i++) {
        buf_puts(out, "<th>");
        html_text(out, t->head[i]);
        buf_puts(out, "</th>");
    }
    buf_puts(out, "</tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < t->nrows; r++) {
        buf_puts(out, t->bold[r] ? "<tr class=\"total\">" : "<tr>");
        for (int i = 0; i < t->ncols; i++) {
            buf_puts(out, i < t->first_number ? "<td>" : "<td class=\"num\">");
            html_text(out, t->cells[r * (size_t)t->ncols + (size_t)i]);
            buf_puts(out, "</td>");
        }
        buf_puts(out, "</tr>\n");
    }
    buf_puts(out, "</tbody></table>\n");
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>Værdighed i samtalen</title>\n<style>\n"
    "body{font-family:\"Noto Sans\",\"DejaVu Sans\",sans-serif;max-width:62em;margin:2em auto;"
    "padding:0 1em;color:#222}\n"
    "table{border-collapse:collapse;font-size:0.8em;margin:0.5em 0 1.5em}\n"
    "th,td{padding:0.15em 0.6em;border-bottom:1px solid #e4e4e4}\n"
    "th{background:#e4e9f0;text-align:left}td.num{text-align:right}\n"
    "tr.total{background:#f2f2f2;font-weight:bold}\n"
    "figure{margin:0.5em 0}img{max-width:100%;height:auto}\n"
    "</style>\n</head>\n<body>\n";

int doc_write_html(const struct doc *d, const char *path)
{
    struct buf out;
    buf_init(&out);
    buf_puts(&out, html_head);
    int rc = -1;
    for (size_t i = 0; i < d->n; i++) {
        const struct doc_block *b = &d->blocks[i];
        static const char *const tags[] = {[DOC_TITLE] = "h1", [DOC_HEADING] = "h2",
                                           [DOC_TEXT] = "p"};
        switch (b->kind) {
        case DOC_TITLE:
        case DOC_HEADING:
        case DOC_TEXT:
            buf_printf(&out, "<%s>", tags[b->kind]);
            html_text(&out, b->text);
            buf_printf(&out, "</%s>\n", tags[b->kind]);
            break;
        case DOC_TABLE: html_table(&out, b->table); break;
        case DOC_TREND:
        case DOC_HEAT:
            if (html_chart(&out, b))
                goto fail;
            break;
        }
    }
    buf_puts(&out, "</body>\n</html>\n");
    FILE *f = fopen(path, "w");
    bool written = f && fwrite(out.data, 1, out.len, f) == out.len;
    if (!f || fclose(f) != 0 || !written) {
        log_msg(LOG_MODULE, "%s: %s", path, strerror(errno));
        goto fail;
    }
    rc = 0;
fail:
    buf_free(&out);
    return rc;
}

void doc_render_done(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}

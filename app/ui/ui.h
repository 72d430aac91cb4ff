/*
 * ui.h — the widget layer. Immediate mode: each frame a screen calls the
 * widget functions in drawing order; each call draws and registers the
 * widget (stable id, rectangle, text) for hit testing, the script driver's
 * `tap ID` / `expect ID` / `expect-text`, and --dump-ui.
 *
 * Screens lay out left-to-right in window pixels; in a right-to-left
 * language the layer mirrors every rectangle (x → W - x - w) unless the
 * widget asks not to (digit pads keep their order), and `start`/`end`
 * alignment follows the direction.
 *
 * Input reaches the layer as press/move/release with a time. A release on
 * the widget that was pressed is a tap (delivered to the screen by id); a
 * move of more than UI_SLOP_MM over a list turns the press into a drag that
 * scrolls it, with kinetic scrolling after release.
 */
#ifndef SKRANKE_UI_H
#define SKRANKE_UI_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "text.h"
#include "util.h"

#define UI_ID_MAX 96
#define UI_SLOP_MM 2.0f
#define UI_MIN_TARGET_MM 9.0f

struct rect {
    int x, y, w, h;
};

enum ui_kind { UI_BUTTON, UI_LABEL, UI_KEY, UI_LIST, UI_ITEM, UI_AREA, UI_DOTS, UI_IMAGE };

struct widget {
    char id[UI_ID_MAX];
    struct rect r; /* on screen, after mirroring */
    enum ui_kind kind;
    bool interactive;
    size_t text_off; /* into ui.texts; "" when none */
    struct ui_list *list;
    bool cut; /* its text did not fit: cut with "…" or a word broken inside */
};

/* Scroll state of a list, owned by its screen. */
struct ui_list {
    float offset;   /* pixels scrolled from the top */
    float velocity; /* pixels per second, after a fling */
    float content_h, view_h;
};

/* Colours; every text/background pair used has contrast ≥ 4.5:1 (tested). */
extern const SDL_Color UI_BG, UI_SURFACE, UI_TEXT, UI_MUTED, UI_PRIMARY, UI_ON_PRIMARY,
    UI_BORDER, UI_PRESSED, UI_PRESSED_LIGHT, UI_FOCUS, UI_WARN_BG, UI_WARN_TEXT, UI_OVERLAY;

struct ui {
    SDL_Renderer *ren;
    struct text_cache *tc;
    int w, h;
    float u;         /* 1% of the shorter side, in pixels */
    float px_per_mm; /* from the configured screen size */
    bool rtl;
    /* Text sizes (ui_tx) are ui_px times this: 1, or UI_TEXT_LARGE in the
     * citizen's larger-text mode. Set by the app before each frame. */
    float text_scale;

    struct widget *widgets;
    size_t n, cap;
    struct buf texts;

    /* Input state, kept across frames. */
    char pressed[UI_ID_MAX];
    bool pressing, dragging;
    int press_x, press_y, last_x, last_y;
    uint64_t press_t, last_t;
    struct ui_list *drag_list;
    float drag_velocity;
    bool mirror_off; /* set by a widget call for its own rectangle */

    struct ui_shapes *shapes; /* round shapes as textures (ui_shape.c) */
    /* A dry frame prepares (texts rendered, shapes painted, fonts loaded)
     * but draws nothing: see ui_dry_begin. */
    bool dry;
    struct {
        struct widget *widgets;
        size_t n, cap;
        struct buf texts;
    } saved;
};

void ui_init(struct ui *ui, SDL_Renderer *ren, struct text_cache *tc, int w, int h,
             float screen_inches);
void ui_deinit(struct ui *ui);
void ui_resize(struct ui *ui, int w, int h, float screen_inches);

/* Starts a frame: forgets last frame's widgets and clears the screen. */
void ui_begin(struct ui *ui);
/* A dry frame, between these two: widget calls render their texts and
 * shapes into the caches and draw nothing; the widgets of the frame on
 * screen are kept for hit testing. For getting a screen ready while
 * nobody waits for it. */
void ui_dry_begin(struct ui *ui);
void ui_dry_end(struct ui *ui);

/* Screen rectangle for a layout rectangle (mirrored in right-to-left). */
struct rect ui_place(const struct ui *ui, struct rect r, bool mirror);
int ui_px(const struct ui *ui, float units); /* units of 1% of the shorter side */
/* A text size, or a height that holds text: ui_px scaled by text_scale. */
int ui_tx(const struct ui *ui, float units);
#define UI_TEXT_LARGE 1.4f

/* Registration (used by the widget files). Returns the widget. */
struct widget *ui_register(struct ui *ui, const char *id, struct rect screen_rect,
                           enum ui_kind kind, bool interactive, const char *text);

/* Drawing primitives, in screen coordinates. Round edges are anti-aliased. */
void ui_fill(struct ui *ui, struct rect r, SDL_Color c);
void ui_round_rect(struct ui *ui, struct rect r, int radius, SDL_Color c);
void ui_circle(struct ui *ui, float cx, float cy, float radius, SDL_Color c);
/* A rounded panel in `down` while widget id is pressed, else `up`. A dry
 * frame prepares both looks, so the first touch paints nothing new. */
void ui_press_panel(struct ui *ui, const char *id, struct rect r, int radius, SDL_Color up,
                    SDL_Color down);

/* Round shapes are painted once into a texture and copied from then on.
 * A canvas is the shape's pixels (ARGB, straight alpha), clear at first,
 * placed at (ox, oy) in screen coordinates; screen pixel (x, y) covers
 * [x, x+1) x [y, y+1). */
struct ui_canvas {
    uint32_t *px;
    int w, h, pitch; /* pitch in pixels */
    float ox, oy;
};
/* Lays a disc, or a polyline of n points (x, y pairs) with round ends and
 * joins, over what the canvas holds (screen coordinates). */
void ui_canvas_disc(struct ui_canvas *cv, float cx, float cy, float r, SDL_Color c);
void ui_canvas_stroke(struct ui_canvas *cv, const float *pts, int n, float width, SDL_Color c);
/* The texture of box that paint(canvas, ctx) makes, from the cache or
 * painted now; NULL if it cannot be made. key names the shape up to a move
 * by whole pixels: its kind (key[0]), sizes, colours, and position inside
 * a pixel (ui_shape_fraction of its coordinates). */
#define UI_SHAPE_KEY 5
enum { UI_SHAPE_CORNER = 1, UI_SHAPE_CIRCLE, UI_SHAPE_FACE, UI_SHAPE_PICTO };
SDL_Texture *ui_shape(struct ui *ui, const uint32_t key[UI_SHAPE_KEY], struct rect box,
                      void (*paint)(struct ui_canvas *, const void *), const void *ctx);
/* Draws a shape that lies within radius r of (cx, cy). */
void ui_shape_around(struct ui *ui, const uint32_t key[UI_SHAPE_KEY], float cx, float cy,
                     float r, void (*paint)(struct ui_canvas *, const void *), const void *ctx);
uint32_t ui_shape_bits(float f);
uint32_t ui_shape_fraction(float f);
uint32_t ui_shape_color(SDL_Color c);
void ui_shapes_clear(struct ui *ui);
void ui_shapes_free(struct ui *ui);
size_t ui_shapes_painted(const struct ui *ui); /* for tests: textures painted so far */

/* Text inside r (screen coordinates), aligned and vertically centred;
 * wrapped to r.w when wrap. Never wider than r: unwrapped text that does
 * not fit is cut with "…" (its start kept, text_cache_get_lines), and so is
 * vertically centred text taller than r.h, in as many lines as r holds.
 * Returns the block's height. The whole text is recorded for expect-text
 * under the given widget id (or as a label when id is NULL). */
int ui_text(struct ui *ui, const char *id, struct rect r, const char *text,
            const struct text_style *st, enum text_align align, bool wrap, bool vcenter);
/* ui_text wrapped in at most max_lines lines (0: any number), cut with
 * "…" when longer. */
int ui_text_lines(struct ui *ui, const char *id, struct rect r, const char *text,
                  const struct text_style *st, enum text_align align, int max_lines,
                  bool vcenter);
bool ui_text_rtl(const struct ui *ui, const char *text);
/* Like ui_text, for content that is not the screen's own words (a job ad):
 * the text keeps its own direction (from its first letter), while start and
 * end alignment follow the screen's. */
int ui_content_text(struct ui *ui, const char *id, struct rect r, const char *text,
                    const struct text_style *st, enum text_align align, bool wrap, bool vcenter);
/* The height content text takes when wrapped at width w. */
int ui_content_height(struct ui *ui, const char *text, const struct text_style *st, int w);

/* The height of the screen's own text wrapped at w. */
int ui_text_height(struct ui *ui, const char *text, const struct text_style *st, int w);
/* Makes st->size smaller, down to min, until text fits: on one line of w
 * (h 0), or wrapped at w in h without a word broken inside. For a heading
 * in larger text that would otherwise be cut. */
void ui_fit_text(struct ui *ui, const char *text, struct text_style *st, int w, int h, int min);

/* ---- widgets (layout rectangles; mirrored in right-to-left) ---- */

enum ui_button_style { BTN_PRIMARY, BTN_SECONDARY, BTN_QUIET, BTN_SELECTED };

void ui_button(struct ui *ui, const char *id, struct rect r, const char *label,
               const char *sublabel, enum ui_button_style style);
/* Pictograms beside the words (ui_picto.c), drawn in colour c in the
 * square centred in r (screen coordinates), cached like round shapes. */
enum ui_picto {
    PICTO_NONE,
    PICTO_CHECKIN,     /* an arrow going in at a door; mirrored in right-to-left */
    PICTO_APPOINTMENT, /* a calendar page */
    PICTO_SESSION,     /* a small group of people */
    PICTO_WALKIN,      /* a ticket with a number */
    PICTO_SURVEY,      /* a smiling face */
    PICTO_JOBS,        /* a briefcase */
};
void ui_picto(struct ui *ui, enum ui_picto p, struct rect r, SDL_Color c);
/* ui_button with a pictogram in the label's colour: above the words in a
 * tall button, at the start side of them in a wide one (more than twice as
 * wide as high). */
void ui_button_picto(struct ui *ui, const char *id, struct rect r, const char *label,
                     const char *sublabel, enum ui_button_style style, enum ui_picto p);
/* A label: wrapped to r.w, aligned start/center/end. Returns its height. */
int ui_label(struct ui *ui, struct rect r, const char *text, int size, bool bold,
             SDL_Color color, enum text_align align);
/* A pad of keys with ids "<prefix>.<key>", laid out in cols columns; keys
 * are labels (UTF-8); never mirrored. */
void ui_keypad(struct ui *ui, const char *prefix, struct rect r, const char *const *keys,
               const char *const *labels, int n, int cols);
/* The on-screen keyboard with æ ø å: ids "<prefix>.key.<char>", plus
 * "<prefix>.key.space" and "<prefix>.key.del" labelled in the screen's
 * language (fonts have no reliable glyphs for ⌫ and ␣). */
void ui_keyboard(struct ui *ui, const char *prefix, struct rect r, const char *del_label,
                 const char *space_label);
/* Keyboards per script (ui_keypad.c): Danish (Latin), Ukrainian (Cyrillic),
 * Arabic and Persian. ui_layout_for gives a language's (Latin when its
 * script has none). ui_keyboard_layout is ui_keyboard in layout, with a key
 * "<prefix>.key.switch", labelled with other's letters, when other differs. */
enum ui_layout { UI_LAYOUT_LATIN, UI_LAYOUT_UKRAINIAN, UI_LAYOUT_ARABIC, UI_LAYOUT_PERSIAN };
enum ui_layout ui_layout_for(const char *lang);
void ui_keyboard_layout(struct ui *ui, const char *prefix, struct rect r, enum ui_layout layout,
                        enum ui_layout other, const char *del_label, const char *space_label);
/* Progress dots: current of total (1-based). */
void ui_dots(struct ui *ui, struct rect r, int current, int total, const char *text);
/* n filled discs in a row, centred in r: the digits typed of a PIN. */
void ui_pin_dots(struct ui *ui, const char *id, struct rect r, int n);
/* A scrolling list: calls item(i, rect) for the visible items; item rects
 * are in layout coordinates. Ids of items are the item callback's. */
void ui_list(struct ui *ui, const char *id, struct rect r, struct ui_list *st, int n_items,
             int item_h, void (*item)(struct ui *, int index, struct rect, void *), void *ctx);
/* A dimmed backdrop and a centred panel; returns the panel's layout rect.
 * The backdrop around the panel is tappable as "<id>.outside" (the idle
 * prompt takes that as its gentle answer); the panel swallows stray taps. */
struct rect ui_modal(struct ui *ui, const char *id, float w_units, float h_units);
/* A pop-up that always closes (ui_modal.c): ui_modal plus a close button
 * "<id>.close" labelled close_label in the panel's top end corner. It and
 * the backdrop reach the screen's tap like any id; ui_popup_closes(id, tapped) says a tap was
 * one of them. Content goes below the first UI_POPUP_PAD + UI_POPUP_CLOSE_H
 * + UI_POPUP_PAD units of the panel (or beside the close button). */
#define UI_POPUP_PAD 3.0f
#define UI_POPUP_CLOSE_H 11.0f
struct rect ui_popup(struct ui *ui, const char *id, float w_units, float h_units,
                     const char *close_label);
bool ui_popup_closes(const char *id, const char *tapped);

/* ---- input ---- */

/* The id tapped, copied into tapped, or false. */
bool ui_press(struct ui *ui, int x, int y, uint64_t t);
bool ui_move(struct ui *ui, int x, int y, uint64_t t); /* true: needs a redraw */
bool ui_release(struct ui *ui, int x, int y, uint64_t t, char tapped[UI_ID_MAX]);
/* Advances kinetic scrolling; true while something still moves. */
bool ui_animate(struct ui *ui, struct ui_list *lists[], int n, float dt_s);
/* How long the current press has been held on widget id (0 when not). */
uint64_t ui_held(const struct ui *ui, const char *id, uint64_t now);
void ui_cancel_press(struct ui *ui);

/* ---- queries (script driver, tests) ---- */
const struct widget *ui_find(const struct ui *ui, const char *id);
const char *ui_widget_text(const struct ui *ui, const struct widget *w);
bool ui_has_text(const struct ui *ui, const char *text);
/* The first text on screen that did not fit its box (cut with "…", or a
 * word broken inside), leaving out list rows (ids with ".item.", whose
 * data may be cut on purpose); NULL when every text is whole. */
const char *ui_cut_text(const struct ui *ui);
/* Lines "id x y w h kind text" for --dump-ui. */
void ui_dump(const struct ui *ui, struct buf *out);

#endif

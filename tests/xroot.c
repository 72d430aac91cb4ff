/*
 * xroot.c — reads what an X server shows: the root window, through
 * XGetImage (as `xwd -root`), so a test sees what was presented, not what
 * a program drew into a buffer it has not shown yet.
 *
 *   xroot grab OUT.png
 *   xroot wait REF.png [--timeout MS] [--tolerance PCT] [--out PNG] [--after-cmd CMD ARGS...]
 *   xroot change [--timeout MS] [--min-pct PCT] [--after-cmd CMD ARGS...]
 *   xroot hash [--rect X Y W H]
 *   xroot quiet --ms N [--timeout MS]
 *
 * grab saves the root window as an RGB PNG. wait runs CMD (when given; the
 * clock t0 starts just before it) and then grabs as fast as it can until
 * the root window matches REF: at most PCT percent (default 0.02) of the
 * pixels differ in a channel by more than CHANNEL_SLACK, as imgcmp counts.
 * It prints "match MS" (t0 to the first matching grab) and exits 0, or
 * "nomatch after MS, best diff PCT%" and exits 1 once MS (default 200) have
 * passed, saving the last grab to --out. change takes a baseline grab, runs
 * CMD, and waits for any pixel to differ ("changed MS" / "unchanged after
 * MS"), or with --min-pct for more than PCT percent of them to differ as
 * wait counts them (a new screen rather than a pressed button). hash
 * prints the 64-bit FNV-1a of the R, G, B bytes of every pixel, row by row,
 * of the root window or the rectangle: the kiosk logs the same hash of each
 * frame it presents (SKRANKE_FRAME_LOG). quiet waits until the root window
 * has not changed for N ms and prints how long that took ("quiet MS"; exit
 * 1 with "not quiet after MS" when it keeps changing, default 10 000).
 *
 * Grabs go through MIT-SHM where the server offers it (the server copies
 * into shared memory: a 1920x1080 grab then costs a few ms instead of ~20,
 * and the X server stays free for the program being watched), otherwise
 * through a plain XGetImage.
 *
 * DISPLAY comes from the environment. Exit 2 on a usage error, when the
 * display cannot be opened, or when CMD cannot run or fails.
 */
#define _POSIX_C_SOURCE 200809L
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>

#include <SDL.h>
#include <SDL_image.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>

#define CHANNEL_SLACK 24 /* as imgcmp */

extern char **environ;

struct grabber {
    Display *dpy;
    Window root;
    int x, y, w, h;
    unsigned char *rgb; /* w * h * 3 bytes, the last grab */
    XImage *shm_image;  /* NULL: no MIT-SHM, grab with XGetImage */
    XShmSegmentInfo shm;
};

static const char usage[] =
    "usage: xroot grab OUT.png\n"
    "       xroot wait REF.png [--timeout MS] [--tolerance PCT] [--out PNG] "
    "[--after-cmd CMD ARGS...]\n"
    "       xroot change [--timeout MS] [--min-pct PCT] [--after-cmd CMD ARGS...]\n"
    "       xroot hash [--rect X Y W H]\n"
    "       xroot quiet --ms N [--timeout MS]\n";

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int mask_shift(unsigned long mask)
{
    int s = 0;
    while (mask && !(mask & 1)) {
        mask >>= 1;
        s++;
    }
    return s;
}

/* A shared-memory image of the grab's size, when the server can fill one
 * (a local server with MIT-SHM); on any failure g->shm_image stays NULL. */
static void shm_open_image(struct grabber *g, const XWindowAttributes *wa)
{
    if (!XShmQueryExtension(g->dpy))
        return;
    XImage *im = XShmCreateImage(g->dpy, wa->visual, (unsigned)wa->depth, ZPixmap, NULL, &g->shm,
                                 (unsigned)g->w, (unsigned)g->h);
    if (!im)
        return;
    g->shm.shmid = shmget(IPC_PRIVATE, (size_t)im->bytes_per_line * (size_t)im->height,
                          IPC_CREAT | 0600);
    if (g->shm.shmid < 0) {
        XDestroyImage(im);
        return;
    }
    g->shm.shmaddr = im->data = shmat(g->shm.shmid, NULL, 0);
    g->shm.readOnly = False;
    /* Marked for removal at once: it goes when both sides detach, even if
     * this process is killed. */
    bool attached = g->shm.shmaddr != (char *)-1 && XShmAttach(g->dpy, &g->shm);
    XSync(g->dpy, False);
    shmctl(g->shm.shmid, IPC_RMID, NULL);
    if (!attached) {
        if (g->shm.shmaddr != (char *)-1)
            shmdt(g->shm.shmaddr);
        im->data = NULL;
        XDestroyImage(im);
        return;
    }
    g->shm_image = im;
}

/* Opens DISPLAY and sizes the grab to the root window, or to the rectangle
 * when w > 0 (clipped to the root window). False with a message on error. */
static bool grabber_open(struct grabber *g, int x, int y, int w, int h)
{
    memset(g, 0, sizeof *g);
    g->dpy = XOpenDisplay(NULL);
    if (!g->dpy) {
        fprintf(stderr, "xroot: cannot open display '%s'\n", XDisplayName(NULL));
        return false;
    }
    g->root = DefaultRootWindow(g->dpy);
    XWindowAttributes wa;
    XGetWindowAttributes(g->dpy, g->root, &wa);
    if (w <= 0) {
        x = 0;
        y = 0;
        w = wa.width;
        h = wa.height;
    }
    if (x < 0 || y < 0 || h <= 0 || x + w > wa.width || y + h > wa.height) {
        fprintf(stderr, "xroot: the rectangle %d %d %d %d is not inside the root window %dx%d\n",
                x, y, w, h, wa.width, wa.height);
        XCloseDisplay(g->dpy);
        return false;
    }
    g->x = x;
    g->y = y;
    g->w = w;
    g->h = h;
    g->rgb = malloc((size_t)w * (size_t)h * 3);
    if (!g->rgb) {
        fprintf(stderr, "xroot: out of memory\n");
        abort();
    }
    shm_open_image(g, &wa);
    return true;
}

static void grabber_close(struct grabber *g)
{
    if (g->shm_image) {
        XShmDetach(g->dpy, &g->shm);
        XSync(g->dpy, False);
        shmdt(g->shm.shmaddr);
        g->shm_image->data = NULL;
        XDestroyImage(g->shm_image);
    }
    free(g->rgb);
    XCloseDisplay(g->dpy);
}

/* Reads the root window (or the rectangle) into g->rgb. */
static bool grab(struct grabber *g)
{
    XImage *im = g->shm_image;
    if (im) {
        if (!XShmGetImage(g->dpy, g->root, im, g->x, g->y, AllPlanes)) {
            fprintf(stderr, "xroot: XShmGetImage failed\n");
            return false;
        }
    } else {
        im = XGetImage(g->dpy, g->root, g->x, g->y, (unsigned)g->w, (unsigned)g->h, AllPlanes,
                       ZPixmap);
        if (!im) {
            fprintf(stderr, "xroot: XGetImage failed\n");
            return false;
        }
    }
    unsigned char *o = g->rgb;
    if (im->bits_per_pixel == 32 && im->red_mask == 0xff0000 && im->green_mask == 0xff00 &&
        im->blue_mask == 0xff && im->byte_order == LSBFirst) {
        for (int y = 0; y < g->h; y++) {
            const unsigned char *p =
                (const unsigned char *)im->data + (size_t)y * (size_t)im->bytes_per_line;
            for (int x = 0; x < g->w; x++, p += 4) {
                *o++ = p[2];
                *o++ = p[1];
                *o++ = p[0];
            }
        }
    } else {
        int rs = mask_shift(im->red_mask), gs = mask_shift(im->green_mask),
            bs = mask_shift(im->blue_mask);
        unsigned long rm = im->red_mask >> rs, gm = im->green_mask >> gs, bm = im->blue_mask >> bs;
        for (int y = 0; y < g->h; y++)
            for (int x = 0; x < g->w; x++) {
                unsigned long px = XGetPixel(im, x, y);
                *o++ = (unsigned char)(((px >> rs) & rm) * 255 / (rm ? rm : 1));
                *o++ = (unsigned char)(((px >> gs) & gm) * 255 / (gm ? gm : 1));
                *o++ = (unsigned char)(((px >> bs) & bm) * 255 / (bm ? bm : 1));
            }
    }
    if (im != g->shm_image)
        XDestroyImage(im);
    return true;
}

static bool save_png(const struct grabber *g, const char *path)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(g->rgb, g->w, g->h, 24, g->w * 3,
                                                        SDL_PIXELFORMAT_RGB24);
    bool ok = s && IMG_SavePNG(s, path) == 0;
    if (!ok)
        fprintf(stderr, "xroot: %s: %s\n", path, IMG_GetError());
    SDL_FreeSurface(s);
    return ok;
}

/* The reference as packed RGB, or NULL with a message; checks its size. */
static unsigned char *load_ref(const char *path, const struct grabber *g)
{
    SDL_Surface *s = IMG_Load(path);
    if (!s) {
        fprintf(stderr, "xroot: %s: %s\n", path, IMG_GetError());
        return NULL;
    }
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
    SDL_FreeSurface(s);
    unsigned char *rgb = NULL;
    if (!c) {
        fprintf(stderr, "xroot: %s: %s\n", path, SDL_GetError());
    } else if (c->w != g->w || c->h != g->h) {
        fprintf(stderr, "xroot: %s is %dx%d, the root window %dx%d\n", path, c->w, c->h, g->w,
                g->h);
    } else {
        rgb = malloc((size_t)c->w * (size_t)c->h * 3);
        if (!rgb)
            abort();
        for (int y = 0; y < c->h; y++)
            memcpy(rgb + (size_t)y * (size_t)c->w * 3,
                   (const unsigned char *)c->pixels + (size_t)y * (size_t)c->pitch,
                   (size_t)c->w * 3);
    }
    SDL_FreeSurface(c);
    return rgb;
}

/* Percentage of pixels where some channel differs by more than the slack. */
static double diff_pct(const unsigned char *a, const unsigned char *b, size_t pixels)
{
    size_t differ = 0;
    for (size_t i = 0; i < pixels; i++, a += 3, b += 3)
        differ += abs(a[0] - b[0]) > CHANNEL_SLACK || abs(a[1] - b[1]) > CHANNEL_SLACK ||
                  abs(a[2] - b[2]) > CHANNEL_SLACK;
    return pixels ? 100.0 * (double)differ / (double)pixels : 0.0;
}

/* Runs argv to its end; false with a message when it cannot or fails. */
static bool run(char **argv)
{
    pid_t pid;
    int err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (err) {
        fprintf(stderr, "xroot: cannot run %s: %s\n", argv[0], strerror(err));
        return false;
    }
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "xroot: %s failed\n", argv[0]);
        return false;
    }
    return true;
}

static bool parse_num(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = s ? strtod(s, &end) : 0;
    if (!s || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

struct args {
    const char *file, *out;
    double timeout, tolerance, quiet_ms, min_pct;
    int rect[4];
    bool has_rect;
    char **cmd;
};

/* Options of every command; which ones a command accepts is checked by
 * the caller. */
static bool parse_args(int argc, char **argv, struct args *a)
{
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(o, "--after-cmd") == 0) {
            if (!v)
                return false;
            a->cmd = argv + i + 1;
            return true;
        } else if (strcmp(o, "--timeout") == 0) {
            if (!parse_num(v, 0, 3600000, &a->timeout))
                return false;
            i++;
        } else if (strcmp(o, "--tolerance") == 0) {
            if (!parse_num(v, 0, 100, &a->tolerance))
                return false;
            i++;
        } else if (strcmp(o, "--min-pct") == 0) {
            if (!parse_num(v, 0, 100, &a->min_pct))
                return false;
            i++;
        } else if (strcmp(o, "--ms") == 0) {
            if (!parse_num(v, 1, 3600000, &a->quiet_ms))
                return false;
            i++;
        } else if (strcmp(o, "--out") == 0) {
            if (!v)
                return false;
            a->out = argv[++i];
        } else if (strcmp(o, "--rect") == 0) {
            for (int k = 0; k < 4; k++) {
                double d;
                if (!parse_num(i + 1 + k < argc ? argv[i + 1 + k] : NULL, 0, 100000, &d))
                    return false;
                a->rect[k] = (int)d;
            }
            if (a->rect[2] < 1 || a->rect[3] < 1)
                return false;
            a->has_rect = true;
            i += 4;
        } else if (o[0] == '-' || a->file) {
            return false;
        } else {
            a->file = o;
        }
    }
    return true;
}

static int cmd_wait(struct grabber *g, const struct args *a)
{
    unsigned char *ref = load_ref(a->file, g);
    if (!ref)
        return 2;
    size_t pixels = (size_t)g->w * (size_t)g->h;
    double t0 = now_ms();
    if (a->cmd && !run(a->cmd)) {
        free(ref);
        return 2;
    }
    double best = 100.0, t;
    int rc = 2;
    for (;;) {
        if (!grab(g))
            break;
        t = now_ms() - t0;
        double pct = diff_pct(g->rgb, ref, pixels);
        best = pct < best ? pct : best;
        if (pct <= a->tolerance) {
            printf("match %.0f\n", t);
            rc = 0;
            break;
        }
        if (t >= a->timeout) {
            printf("nomatch after %.0f, best diff %.3f%%\n", t, best);
            rc = 1;
            if (a->out && !save_png(g, a->out))
                rc = 2;
            break;
        }
    }
    free(ref);
    return rc;
}

static int cmd_change(struct grabber *g, const struct args *a)
{
    size_t bytes = (size_t)g->w * (size_t)g->h * 3;
    if (!grab(g))
        return 2;
    unsigned char *base = malloc(bytes);
    if (!base)
        abort();
    memcpy(base, g->rgb, bytes);
    double t0 = now_ms(), t;
    int rc = 2;
    if (a->cmd && !run(a->cmd))
        goto out;
    for (;;) {
        if (!grab(g))
            goto out;
        t = now_ms() - t0;
        bool changed = a->min_pct > 0 ? diff_pct(base, g->rgb, bytes / 3) > a->min_pct
                                      : memcmp(base, g->rgb, bytes) != 0;
        if (changed) {
            printf("changed %.0f\n", t);
            rc = 0;
            break;
        }
        if (t >= a->timeout) {
            printf("unchanged after %.0f\n", t);
            rc = 1;
            break;
        }
    }
out:
    free(base);
    return rc;
}

static int cmd_quiet(struct grabber *g, const struct args *a)
{
    size_t bytes = (size_t)g->w * (size_t)g->h * 3;
    unsigned char *last = malloc(bytes);
    if (!last)
        abort();
    double t0 = now_ms(), since = t0;
    int rc = 2;
    if (!grab(g))
        goto out;
    memcpy(last, g->rgb, bytes);
    for (;;) {
        SDL_Delay(5); /* quiet is about tens of ms: no need to spin */
        if (!grab(g))
            goto out;
        double t = now_ms();
        if (memcmp(last, g->rgb, bytes) != 0) {
            memcpy(last, g->rgb, bytes);
            since = t;
        } else if (t - since >= a->quiet_ms) {
            printf("quiet %.0f\n", t - t0);
            rc = 0;
            break;
        }
        if (t - t0 >= a->timeout) {
            printf("not quiet after %.0f\n", t - t0);
            rc = 1;
            break;
        }
    }
out:
    free(last);
    return rc;
}

static int cmd_hash(struct grabber *g)
{
    if (!grab(g))
        return 2;
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a 64: offset basis, prime */
    size_t bytes = (size_t)g->w * (size_t)g->h * 3;
    for (size_t i = 0; i < bytes; i++)
        h = (h ^ g->rgb[i]) * 0x100000001b3ull;
    printf("%016llx\n", (unsigned long long)h);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *verb = argv[1];
    struct args a = {.timeout = -1, .tolerance = -1};
    bool ok = parse_args(argc - 2, argv + 2, &a);
    if (strcmp(verb, "grab") == 0)
        ok = ok && a.file && !a.out && !a.cmd && !a.has_rect && !a.quiet_ms && !a.min_pct;
    else if (strcmp(verb, "wait") == 0)
        ok = ok && a.file && !a.has_rect && !a.quiet_ms && !a.min_pct;
    else if (strcmp(verb, "change") == 0)
        ok = ok && !a.file && !a.out && !a.has_rect && !a.quiet_ms;
    else if (strcmp(verb, "hash") == 0)
        ok = ok && !a.file && !a.out && !a.cmd && !a.quiet_ms && !a.min_pct;
    else if (strcmp(verb, "quiet") == 0)
        ok = ok && !a.file && !a.out && !a.cmd && !a.has_rect && a.quiet_ms > 0 && !a.min_pct;
    else
        ok = false;
    if (strcmp(verb, "wait") != 0)
        ok = ok && a.tolerance < 0; /* only wait compares with a tolerance */
    else if (a.tolerance < 0)
        a.tolerance = 0.02;
    if (a.timeout < 0)
        a.timeout = strcmp(verb, "quiet") == 0 ? 10000 : 200;
    if (!ok) {
        fputs(usage, stderr);
        return 2;
    }
    struct grabber g;
    if (!grabber_open(&g, a.rect[0], a.rect[1], a.has_rect ? a.rect[2] : 0, a.rect[3]))
        return 2;
    int rc = 2;
    if (strcmp(verb, "grab") == 0)
        rc = grab(&g) && save_png(&g, a.file) ? 0 : 2;
    else if (strcmp(verb, "wait") == 0)
        rc = cmd_wait(&g, &a);
    else if (strcmp(verb, "change") == 0)
        rc = cmd_change(&g, &a);
    else if (strcmp(verb, "hash") == 0)
        rc = cmd_hash(&g);
    else
        rc = cmd_quiet(&g, &a);
    grabber_close(&g);
    IMG_Quit();
    return rc;
}

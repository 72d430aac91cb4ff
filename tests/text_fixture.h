/*
 * text_fixture.h — the text engine on a headless software renderer drawing
 * into a plain SDL surface of w x h, with the kiosk's fonts and a text
 * cache (test_text, test_bidi).
 */
#ifndef SKRANKE_TEXT_FIXTURE_H
#define SKRANKE_TEXT_FIXTURE_H

#include <SDL.h>

#include "text.h"

struct text_fixture {
    SDL_Surface *target;
    SDL_Renderer *ren;
    struct text_cache *tc;
};

/* False (after saying why) when SDL, the renderer or the fonts fail. */
static bool text_fixture_open(struct text_fixture *f, int w, int h)
{
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(SDL_INIT_VIDEO) < 0) {
        fprintf(stderr, "SDL: %s\n", SDL_GetError());
        return false;
    }
    f->target = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    f->ren = f->target ? SDL_CreateSoftwareRenderer(f->target) : NULL;
    if (!f->ren || !text_init(SKRANKE_ASSETS_DIR)) {
        fprintf(stderr, "cannot set up a software renderer and the fonts: %s\n", SDL_GetError());
        return false;
    }
    f->tc = text_cache_create(f->ren);
    return true;
}

static void text_fixture_close(struct text_fixture *f)
{
    text_cache_destroy(f->tc);
    text_deinit();
    SDL_DestroyRenderer(f->ren);
    SDL_FreeSurface(f->target);
    SDL_Quit();
}

#endif

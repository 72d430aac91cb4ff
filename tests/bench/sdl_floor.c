/*
 * sdl_floor.c — the least an SDL2 program can do to put a frame on screen,
 * the floor that scripts/bench-window holds the kiosk's launch-to-first-
 * paint against. Same hints as the kiosk's app/main.c with the software
 * renderer (SDL_HINT_RENDER_DRIVER software, SDL_HINT_FRAMEBUFFER_ACCELERATION
 * 0) and the same window flags for the mode asked for; it clears to one
 * colour, presents, and then waits for events until it is killed. Each
 * mouse button press clears to the next colour and presents at once: the
 * floor for tap to photon, measured the same way as the kiosk's taps.
 *
 *   sdl_floor [--fullscreen | --sdl-fullscreen | --window WxH]
 *
 * --fullscreen (the default) opens the window as the kiosk does: under X a
 * borderless window of the display's size at its origin, elsewhere
 * SDL_WINDOW_FULLSCREEN_DESKTOP. --sdl-fullscreen asks SDL for
 * SDL_WINDOW_FULLSCREEN_DESKTOP under X too: SDL 2.26 then maps the window
 * at the windowed size, asks the window manager for full screen and polls
 * up to 100 ms for the window to change (see app/main.c), the cost the
 * kiosk avoids.
 * Keep the window-creation lines in step with app/main.c's.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <SDL.h>

int main(int argc, char **argv)
{
    int w = 1280, h = 800;
    int fullscreen = 1, sdl_fullscreen = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--fullscreen") == 0) {
            fullscreen = 1;
        } else if (strcmp(argv[i], "--sdl-fullscreen") == 0) {
            fullscreen = sdl_fullscreen = 1;
        } else if (strcmp(argv[i], "--window") == 0 && i + 1 < argc &&
                   sscanf(argv[i + 1], "%dx%d", &w, &h) == 2 && w >= 1 && h >= 1) {
            fullscreen = 0;
            i++;
        } else {
            fputs("usage: sdl_floor [--fullscreen | --sdl-fullscreen | --window WxH]\n", stderr);
            return 2;
        }
    }
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
    SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "0");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) < 0) {
        fprintf(stderr, "sdl_floor: %s\n", SDL_GetError());
        return 1;
    }
    Uint32 flags = SDL_WINDOW_SHOWN;
    int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED;
    if (fullscreen) {
        const char *driver = SDL_GetCurrentVideoDriver();
        SDL_Rect r;
        if (!sdl_fullscreen && driver && strcmp(driver, "x11") == 0 &&
            SDL_GetDisplayBounds(0, &r) == 0) {
            flags |= SDL_WINDOW_BORDERLESS;
            x = r.x;
            y = r.y;
            w = r.w;
            h = r.h;
        } else {
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        }
    }
    SDL_Window *win = SDL_CreateWindow("sdl_floor", x, y, w, h, flags);
    SDL_Renderer *ren = win ? SDL_CreateRenderer(win, -1, 0) : NULL;
    if (!ren) {
        fprintf(stderr, "sdl_floor: %s\n", SDL_GetError());
        SDL_Quit();
        return 1;
    }
    if (fullscreen)
        SDL_ShowCursor(SDL_DISABLE);
    static const Uint8 colours[][3] = {{0x2a, 0x6f, 0x97}, {0xf4, 0xf1, 0xea}, {0x0b, 0x4f, 0x8a}};
    unsigned n = 0;
    SDL_SetRenderDrawColor(ren, colours[0][0], colours[0][1], colours[0][2], 0xff);
    SDL_RenderClear(ren);
    SDL_RenderPresent(ren);
    /* Until killed (SIGTERM ends it through SDL's handler, as a quit). */
    SDL_Event e;
    while (SDL_WaitEvent(&e)) {
        if (e.type == SDL_QUIT)
            break;
        bool tap = e.type == SDL_MOUSEBUTTONDOWN;
        if (tap || (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_EXPOSED)) {
            if (tap)
                n = (n + 1) % 3;
            SDL_SetRenderDrawColor(ren, colours[n][0], colours[n][1], colours[n][2], 0xff);
            SDL_RenderClear(ren);
            SDL_RenderPresent(ren);
        }
    }
    SDL_DestroyRenderer(ren);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return 0;
}

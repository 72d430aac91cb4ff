/*
 * input.h — the only reader of SDL events. Mouse and touch both become
 * press/move/release; every keyboard shortcut is swallowed, and quitting is
 * possible only in a maintenance build.
 */
#ifndef SKRANKE_INPUT_H
#define SKRANKE_INPUT_H

#include <SDL.h>

#include "app.h"

/* Handles one event; a tap is followed by a redraw before the next event,
 * so a second quick tap always meets the screen the first one made. */
void input_handle(struct app *a, const SDL_Event *e);

#endif

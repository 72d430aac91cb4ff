/*
 * input.h — the only reader of SDL events. Mouse and touch both become
 * press/move/release; every keyboard shortcut is swallowed, and quitting is
 * possible only in a maintenance build.
 */
#ifndef SKRANKE_INPUT_H
#define SKRANKE_INPUT_H

#include <SDL.h>

#include "app.h"

/* Handles one event: changes state only, never draws. Returns true when
 * the event was a tap that reached a screen; the loop then presents its
 * result before it reads the next event, so a second quick tap always
 * meets the screen the first one made. */
bool input_handle(struct app *a, const SDL_Event *e);

#endif

/*
 * script.h — the headless driver (FORMATS.md section 6): runs a script of
 * taps, drags, typing, waits and checks against the kiosk on a virtual
 * clock. Beyond the format's commands it knows three checks for privacy
 * tests: `expect-gone ID`, `expect-no-text TEXT` and `expect-not-cached
 * TEXT` (no rendered text in the cache contains TEXT), and `dump NAME`
 * writes the widgets on screen as --dump-ui prints them to SHOTS/NAME.ui.
 * `expect-whole` fails when a text on screen had to be cut to fit its box.
 * For speech, besides `expect-spoken TEXT`: `expect-not-spoken TEXT`, and
 * in real time (speech has its own thread) `sleep MS`, `wait-spoken MS`
 * (until all was said and played) and `expect-silent MS` (the voice stops
 * within MS, after a touch). With
 * SKRANKE_SCRIPT_TRACE=1 it prints "ok LINE TEXT" on standard output as
 * each line holds (for tests that kill the kiosk mid-script).
 */
#ifndef SKRANKE_SCRIPT_H
#define SKRANKE_SCRIPT_H

#include "app.h"

/* Runs the script at path; screenshots go to shots_dir (may be NULL).
 * Returns 0 when every line succeeded, else 1 after printing
 * "FILE:LINE: reason" for the first failed line. */
int script_run(struct app *a, const char *path, const char *shots_dir);
/* Saves the frame last presented as a PNG. False (logged) on failure. */
bool script_shot(struct app *a, const char *path);

#endif

/*
 * reader.h — what a screen says when it is read aloud ("Læs højt").
 *
 * The text is taken from the frame on screen, so every screen is read
 * without a script of its own: its widgets' texts in the order they were
 * drawn (the heading, the instructions, each choice, the result), each
 * once. Left out: the navigation buttons and the language names, keyboard
 * and keypad keys, and anything inside an area that holds what a citizen
 * types — a booking code, a PIN, a search — which is never spoken. A ticket
 * number is spelled out sign by sign ("A 0 0 7").
 */
#ifndef SKRANKE_READER_H
#define SKRANKE_READER_H

#include "ui/ui.h"
#include "util.h"

/* The words of the frame in ui, into out (cleared first); "" when none. */
void reader_text(const struct ui *ui, struct buf *out);

#endif

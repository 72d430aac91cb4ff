/*
 * stats.h — figures for the benchmark (scripts/bench), collected only when
 * $SKRANKE_STATS names a file: time from process start to the first frame,
 * draw time per frame and screen (a histogram, so the frame loop allocates
 * nothing), loop wake-ups, and peak RSS, written as JSON at exit.
 */
#ifndef SKRANKE_STATS_H
#define SKRANKE_STATS_H

#include <stdbool.h>
#include <stdint.h>

void stats_init(void);
bool stats_enabled(void);
/* One frame of screen `name` took `us` microseconds to draw. */
void stats_frame(const char *name, uint64_t us);
void stats_first_frame(void);
void stats_write(uint64_t wakeups);

#endif

/*
 * stats.h — figures for the benchmark (scripts/bench), collected only when
 * $SKRANKE_STATS names a file: time from process start to the first frame,
 * draw time per frame and screen (a histogram, so the frame loop allocates
 * nothing), loop wake-ups, and peak RSS, written as JSON at exit. The
 * first frame is start-up (every font still to load): it counts in the
 * time to the first frame and the number of frames, not in its screen's
 * frame times.
 */
#ifndef SKRANKE_STATS_H
#define SKRANKE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void stats_init(void);
bool stats_enabled(void);
/* One frame of screen `name` took `us` microseconds to draw, opening
 * `fonts` fonts and painting `shapes` shapes (work app_warm does ahead). */
void stats_frame(const char *name, uint64_t us, size_t fonts, size_t shapes);
void stats_first_frame(void);
/* From the text handed to speech to its first samples, for the last text. */
void stats_speech(uint64_t first_audio_ms);
void stats_write(uint64_t wakeups);

#endif

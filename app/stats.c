/*
 * stats.c — see stats.h. Histograms have 10 µs buckets up to 100 ms.
 */
#define _GNU_SOURCE
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define BUCKETS 10000
#define SCREENS 8

static const char *path;
static struct timespec start;
static double first_frame_ms = -1;
static double speech_ms = -1; /* tap to first audio of the last text read */
static uint64_t frames_total;
static size_t frame_fonts, frame_shapes;
static struct {
    const char *name;
    uint32_t *hist;
    uint64_t frames, max_us;
} screens[SCREENS];

void stats_init(void)
{
    clock_gettime(CLOCK_MONOTONIC, &start);
    path = getenv("SKRANKE_STATS");
    if (path && !*path)
        path = NULL;
}

bool stats_enabled(void)
{
    return path != NULL;
}

static double since_start_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start.tv_sec) * 1000.0 +
           (double)(now.tv_nsec - start.tv_nsec) / 1e6;
}

void stats_first_frame(void)
{
    if (path && first_frame_ms < 0) {
        first_frame_ms = since_start_ms();
        frames_total++;
    }
}

void stats_frame(const char *name, uint64_t us, size_t fonts, size_t shapes)
{
    if (!path)
        return;
    frames_total++;
    frame_fonts += fonts;
    frame_shapes += shapes;
    int i = 0;
    while (i < SCREENS && screens[i].name && strcmp(screens[i].name, name) != 0)
        i++;
    if (i == SCREENS)
        return;
    if (!screens[i].name) {
        screens[i].name = name;
        screens[i].hist = calloc(BUCKETS, sizeof *screens[i].hist);
        if (!screens[i].hist)
            return;
    }
    uint64_t b = us / 10;
    screens[i].hist[b < BUCKETS ? b : BUCKETS - 1]++;
    screens[i].frames++;
    if (us > screens[i].max_us)
        screens[i].max_us = us;
}

static double percentile(const uint32_t *hist, uint64_t n, double p)
{
    uint64_t want = (uint64_t)((double)n * p), seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
        seen += hist[b];
        if (seen > want)
            return (b + 1) * 0.01;
    }
    return BUCKETS * 0.01;
}

void stats_speech(uint64_t first_audio_ms)
{
    speech_ms = (double)first_audio_ms;
}

void stats_write(uint64_t wakeups)
{
    if (!path)
        return;
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(f, "{\"first_frame_ms\":%.1f,\"frames\":%llu,\"wakeups\":%llu,\"peak_rss_kb\":%ld,"
               "\"run_ms\":%.0f,\"frame_font_opens\":%zu,\"frame_shape_paints\":%zu,"
               "\"speech_first_audio_ms\":%.0f,\"screens\":{",
            first_frame_ms, (unsigned long long)frames_total, (unsigned long long)wakeups,
            ru.ru_maxrss, since_start_ms(), frame_fonts, frame_shapes, speech_ms);
    for (int i = 0; i < SCREENS && screens[i].name; i++) {
        fprintf(f, "%s\"%s\":{\"frames\":%llu,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}",
                i ? "," : "", screens[i].name, (unsigned long long)screens[i].frames,
                percentile(screens[i].hist, screens[i].frames, 0.50),
                percentile(screens[i].hist, screens[i].frames, 0.99),
                (double)screens[i].max_us / 1000.0);
        free(screens[i].hist);
    }
    fprintf(f, "}}\n");
    fclose(f);
}

/*
 * speech.h — the kiosk reads a screen aloud, offline: eSpeak NG synthesises
 * on a thread of its own and SDL plays the samples.
 *
 * Everything that touches eSpeak (not thread-safe) runs on the speech
 * thread: the UI thread only hands over a text and returns at once, so a
 * frame never waits for speech. A new text replaces the one being spoken;
 * speech_hush() (any touch) stops the sound at once: the samples already
 * queued are dropped and the synthesis is cancelled at its next chunk.
 *
 * eSpeak NG is opened with dlopen on the speech thread, so neither the
 * library nor its voice data cost the kiosk's start-up, and a kiosk without
 * it (or without a sound card) runs silent: speech_available() says so.
 * Without an audio device the text is still synthesised (and counted), so
 * the script driver's `expect-spoken` works on a machine with no sound.
 *
 * SKRANKE_NO_SPEECH=1 switches it off (for the bench's figure without it).
 *
 * Voices: da, en, uk, ar, fa, pl. Somali and Tigrinya have none in eSpeak
 * NG; speech_has_voice() is false for them and nothing is read in another
 * language's voice.
 */
#ifndef SKRANKE_SPEECH_H
#define SKRANKE_SPEECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct speech;

/* Starts the speech thread (it loads eSpeak NG and opens the audio device
 * in the background). Never NULL. */
struct speech *speech_open(void);
/* Stops speaking and joins the thread. */
void speech_close(struct speech *s);

/* Whether lang has a voice (a static table; no eSpeak call). */
bool speech_has_voice(const char *lang);
/* Whether eSpeak NG loaded (false until the thread got there, or when it
 * failed: then nothing is ever spoken). */
bool speech_available(struct speech *s);

/* Speaks text in lang's voice, replacing whatever is being spoken. A
 * language without a voice speaks nothing. */
void speech_say(struct speech *s, const char *lang, const char *text);
/* A short, gentle tone (a 300 ms sine with a soft attack and decay):
 * the idle prompt's sound. It stops what is being said; a text said while
 * the tone plays follows it. Made on the speech thread; without eSpeak or
 * a sound device, silent. */
void speech_tone(struct speech *s);
/* Stops at once: queued sound dropped, synthesis cancelled. */
void speech_hush(struct speech *s);
/* True while there is text to synthesise or sound to play. */
bool speech_busy(struct speech *s);
/* Loudness, 0 to 100 (the samples are scaled). */
void speech_set_volume(struct speech *s, int percent);
int speech_volume(struct speech *s);

/* What was handed to speech_say since the last speech_log_clear, each text
 * on a line; for the script driver's expect-spoken. Wiped with the privacy
 * reset, like everything a citizen saw. */
bool speech_log_has(struct speech *s, const char *needle);
void speech_log_clear(struct speech *s);

/* For tests and the bench: milliseconds (SDL_GetTicks64) of the last
 * speech_say and of its first samples handed to the audio device (0 when
 * none yet), and samples synthesised in all. */
void speech_times(struct speech *s, uint64_t *said_ms, uint64_t *first_audio_ms,
                  uint64_t *samples);

#endif

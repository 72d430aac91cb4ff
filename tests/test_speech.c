/*
 * test_speech.c — the speech engine as a citizen would notice it, with
 * SDL's disk audio driver standing in for the loudspeaker (the samples the
 * device played, in a file): a text is heard, of a plausible length for its
 * words; a touch silences it within 100 ms; a new text replaces the old;
 * Somali and Tigrinya, which have no voice, stay silent rather than be read
 * in a wrong one; the spoken-text log is wiped on request.
 */
#include "test.h"

#include <sys/stat.h>

#include <SDL.h>

#include "speech.h"

#define RATE 22050

static char audio[4096];

static long audio_bytes(void)
{
    struct stat st;
    return stat(audio, &st) == 0 ? (long)st.st_size : 0;
}

/* Bytes of the file from off on that are not silence (|sample| > 64). */
static long loud_after(long off)
{
    FILE *f = fopen(audio, "rb");
    if (!f)
        return 0;
    fseek(f, off, SEEK_SET);
    short v;
    long loud = 0;
    while (fread(&v, sizeof v, 1, f) == 1)
        loud += v > 64 || v < -64;
    fclose(f);
    return loud;
}

static bool wait_idle(struct speech *s, int ms)
{
    for (int t = 0; t < ms; t += 10) {
        if (!speech_busy(s))
            return true;
        SDL_Delay(10);
    }
    return false;
}

int main(void)
{
    char dir[] = "/tmp/skranke-speech-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(audio, sizeof audio, "%s/audio.raw", dir);
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", audio, 1);
    CHECK(SDL_Init(SDL_INIT_EVENTS) == 0);

    CHECK(speech_has_voice("da") && speech_has_voice("uk") && speech_has_voice("ar"));
    CHECK(speech_has_voice("fa") && speech_has_voice("pl") && speech_has_voice("en"));
    CHECK(!speech_has_voice("so") && !speech_has_voice("ti"));

    struct speech *s = speech_open();
    for (int t = 0; t < 5000 && !speech_available(s); t += 10)
        SDL_Delay(10);
    CHECK(speech_available(s));

    /* A short Danish sentence: between 1 and 6 seconds of speech. */
    uint64_t said, first, samples0, samples;
    speech_times(s, &said, &first, &samples0);
    speech_say(s, "da", "Velkommen til Jobcenteret. Tryk for at tjekke ind.");
    CHECK(speech_log_has(s, "Tryk for at tjekke ind"));
    CHECK(wait_idle(s, 15000));
    speech_times(s, &said, &first, &samples);
    double secs = (double)(samples - samples0) / RATE;
    printf("da: %.2f s of speech, first audio after %llu ms\n", secs,
           (unsigned long long)(first - said));
    CHECK(secs > 1.0 && secs < 6.0);
    CHECK(first >= said);
    SDL_Delay(300); /* the device plays what is queued */
    CHECK(loud_after(0) > RATE / 2); /* at least half a second was heard */

    /* Ukrainian and Arabic are spoken too. */
    const char *words[][2] = {{"uk", "Ласкаво просимо. Натисніть, щоб зареєструватися."},
                              {"ar", "أهلاً وسهلاً. اضغط لتسجيل الحضور."}};
    for (int i = 0; i < 2; i++) {
        speech_times(s, &said, &first, &samples0);
        speech_say(s, words[i][0], words[i][1]);
        CHECK(wait_idle(s, 15000));
        speech_times(s, &said, &first, &samples);
        printf("%s: %.2f s of speech\n", words[i][0], (double)(samples - samples0) / RATE);
        CHECK(samples - samples0 > RATE);
    }

    /* No voice: nothing is synthesised, nothing is heard. */
    speech_times(s, &said, &first, &samples0);
    speech_say(s, "so", "Ku soo dhawoow");
    speech_say(s, "ti", "እንቋዕ ብደሓን መጻእኩም");
    CHECK(wait_idle(s, 2000));
    speech_times(s, &said, &first, &samples);
    CHECK(samples == samples0);

    /* A touch stops a long text: within 100 ms nothing more is heard. */
    speech_say(s, "da",
               "Her er en lang tekst, som bliver ved og ved. Den læser alle jobbene op, et "
               "efter et, med titel, arbejdsgiver, by og ansøgningsfrist, og den holder "
               "ikke op af sig selv foreløbig, for der er mange job i dag.");
    for (int t = 0; t < 3000 && loud_after(0) == 0; t += 10)
        SDL_Delay(10);
    SDL_Delay(400); /* well into it */
    speech_hush(s);
    SDL_Delay(100);
    long at = audio_bytes();
    SDL_Delay(500);
    CHECK(!speech_busy(s));
    CHECK(loud_after(at) == 0);

    /* The log is wiped with the privacy reset. */
    speech_log_clear(s);
    CHECK(!speech_log_has(s, "Velkommen"));
    /* Volume scales what is heard. */
    speech_set_volume(s, 150);
    CHECK(speech_volume(s) == 100);
    speech_set_volume(s, 30);
    CHECK(speech_volume(s) == 30);

    speech_close(s);
    SDL_Quit();
    unlink(audio);
    rmdir(dir);
    TEST_END();
}

/*
 * speech.c — see speech.h.
 *
 * One request slot, guarded by a mutex: speech_say() puts a text there and
 * bumps a generation counter; the speech thread takes the newest text and
 * synthesises it in eSpeak NG's synchronous mode, whose callback hands each
 * chunk of samples (about 50 ms) to SDL's audio queue. The callback returns
 * 1 (abort) as soon as the generation moved on, so a new text or a hush
 * cancels within one chunk; the sound already queued is cleared by
 * speech_hush() itself. A tone (speech_tone) is a flag in the same slot:
 * the thread queues its samples before the text that came with it.
 */
#include "speech.h"

#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <espeak-ng/espeak_ng.h>

#include "util.h"

#define LOG(...) log_msg("speech", __VA_ARGS__)

#define ESPEAK_LIBRARY "libespeak-ng.so.1"
#define CHUNK_MS 50
#define RATE_WPM 150 /* a little slower than eSpeak's 175: clearer for a learner */
#define TONE_MS 300
#define TONE_HZ 660.0  /* E5: heard clearly, not shrill */
#define TONE_ATTACK_MS 40
#define PI 3.14159265358979

/* eSpeak NG's functions, through dlopen; each prototype is checked by the
 * compiler in load() (an assignment inside sizeof, not evaluated). */
#define ESPEAK_FUNCTIONS(X)                                                                   \
    X(void, espeak_ng_InitializePath, (const char *))                                          \
    X(espeak_ng_STATUS, espeak_ng_Initialize, (espeak_ng_ERROR_CONTEXT *))                     \
    X(espeak_ng_STATUS, espeak_ng_InitializeOutput, (espeak_ng_OUTPUT_MODE, int, const char *)) \
    X(int, espeak_ng_GetSampleRate, (void))                                                    \
    X(void, espeak_SetSynthCallback, (t_espeak_callback *))                                    \
    X(espeak_ng_STATUS, espeak_ng_SetVoiceByName, (const char *))                              \
    X(espeak_ng_STATUS, espeak_ng_SetParameter, (espeak_PARAMETER, int, int))                  \
    X(espeak_ng_STATUS, espeak_ng_Synthesize,                                                  \
      (const void *, size_t, unsigned int, espeak_POSITION_TYPE, unsigned int, unsigned int,   \
       unsigned int *, void *))                                                                \
    X(espeak_ERROR, espeak_Terminate, (void))

static struct {
#define X(ret, name, args) ret(*name) args;
    ESPEAK_FUNCTIONS(X)
#undef X
} es;

/* eSpeak's voice name for each language the kiosk speaks. */
static const struct {
    const char *lang, *voice;
} voices[] = {{"da", "da"}, {"en", "en-gb"}, {"uk", "uk"},
              {"ar", "ar"}, {"fa", "fa"},    {"pl", "pl"}};

struct speech {
    SDL_Thread *thread;
    SDL_mutex *mu;
    SDL_cond *cv;
    /* Under mu: */
    char *text;      /* the next text, NULL when none */
    char lang[8];
    bool tone;          /* a tone to play first */
    uint64_t tone_until; /* SDL_GetTicks64 when the last tone has played */
    bool quit;
    struct buf log;
    uint64_t said_ms, first_ms, samples;
    /* Atomic: */
    SDL_atomic_t gen;      /* bumped by every say and hush */
    SDL_atomic_t loaded;   /* 0 loading, 1 eSpeak ready, -1 no speech */
    SDL_atomic_t volume;   /* percent */
    SDL_atomic_t speaking; /* the thread is synthesising */
    /* The speech thread's own; others read dev once loaded is set: */
    SDL_AudioDeviceID dev;
    int rate, cur_gen;
};

static struct speech *self; /* eSpeak's callback has no context pointer */

bool speech_has_voice(const char *lang)
{
    for (size_t i = 0; i < sizeof voices / sizeof *voices; i++)
        if (strcmp(voices[i].lang, lang) == 0)
            return true;
    return false;
}

static const char *voice_of(const char *lang)
{
    for (size_t i = 0; i < sizeof voices / sizeof *voices; i++)
        if (strcmp(voices[i].lang, lang) == 0)
            return voices[i].voice;
    return NULL;
}

static bool load(void)
{
    void *h = dlopen(ESPEAK_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        LOG("no speech: %s", dlerror());
        return false;
    }
    bool all = true;
#define X(ret, name, args)                                                                    \
    (void)sizeof(es.name = name);                                                              \
    *(void **)&es.name = dlsym(h, #name);                                                      \
    all = all && es.name;
    ESPEAK_FUNCTIONS(X)
#undef X
    if (!all) {
        LOG("no speech: %s lacks a function", ESPEAK_LIBRARY);
        return false;
    }
    es.espeak_ng_InitializePath(NULL); /* the data where the package put it */
    espeak_ng_STATUS st = es.espeak_ng_Initialize(NULL);
    if (st == ENS_OK)
        st = es.espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, CHUNK_MS, NULL);
    if (st != ENS_OK) {
        LOG("no speech: eSpeak NG did not start (status %#x)", (unsigned)st);
        return false;
    }
    return true;
}

static int on_samples(short *wav, int n, espeak_EVENT *events)
{
    (void)events;
    struct speech *s = self;
    if (SDL_AtomicGet(&s->gen) != s->cur_gen)
        return 1; /* a newer text, or a hush: stop */
    if (!wav || n <= 0)
        return 0;
    int vol = SDL_AtomicGet(&s->volume);
    if (vol < 100)
        for (int i = 0; i < n; i++)
            wav[i] = (short)(wav[i] * vol / 100);
    if (s->dev) {
        SDL_QueueAudio(s->dev, wav, (Uint32)n * sizeof *wav);
        SDL_PauseAudioDevice(s->dev, 0);
    }
    SDL_LockMutex(s->mu);
    if (!s->first_ms)
        s->first_ms = SDL_GetTicks64();
    s->samples += (uint64_t)n;
    SDL_UnlockMutex(s->mu);
    return 0;
}

static void open_audio(struct speech *s, int rate)
{
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) < 0) {
        LOG("no sound: %s", SDL_GetError());
        return;
    }
    s->rate = rate;
    SDL_AudioSpec want = {.freq = rate, .format = AUDIO_S16SYS, .channels = 1, .samples = 512};
    s->dev = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
    if (!s->dev)
        LOG("no sound: %s", SDL_GetError());
}

/* The tone's samples into the device's queue: a sine whose loudness rises
 * over TONE_ATTACK_MS (half a cosine) and falls to nothing by the end (a
 * square of the time left), so it neither clicks nor startles. */
static void play_tone(struct speech *s)
{
    if (!s->dev || s->rate <= 0)
        return;
    int n = s->rate * TONE_MS / 1000, attack = s->rate * TONE_ATTACK_MS / 1000;
    short *wav = xcalloc((size_t)n, sizeof *wav);
    double peak = 0.3 * 32767.0 * SDL_AtomicGet(&s->volume) / 100.0;
    for (int i = 0; i < n; i++) {
        double env = i < attack ? 0.5 - 0.5 * cos(PI * i / attack)
                                : pow(1.0 - (double)(i - attack) / (n - attack), 2);
        wav[i] = (short)lround(peak * env * sin(2 * PI * TONE_HZ * i / s->rate));
    }
    SDL_QueueAudio(s->dev, wav, (Uint32)n * sizeof *wav);
    SDL_PauseAudioDevice(s->dev, 0);
    free(wav);
}

static int run(void *arg)
{
    struct speech *s = arg;
    if (!load()) {
        SDL_LockMutex(s->mu);
        SDL_AtomicSet(&s->loaded, -1);
        free(s->text);
        s->text = NULL;
        SDL_UnlockMutex(s->mu);
        return 0;
    }
    es.espeak_SetSynthCallback(on_samples);
    es.espeak_ng_SetParameter(espeakRATE, RATE_WPM, 0);
    open_audio(s, es.espeak_ng_GetSampleRate());
    SDL_AtomicSet(&s->loaded, 1);
    char *text = NULL;
    for (;;) {
        SDL_LockMutex(s->mu);
        while (!s->text && !s->tone && !s->quit) {
            /* Nothing to say: let the device sleep once it has played all. */
            if (s->dev && SDL_GetQueuedAudioSize(s->dev) == 0)
                SDL_PauseAudioDevice(s->dev, 1);
            SDL_CondWaitTimeout(s->cv, s->mu, 100);
        }
        if (s->quit) {
            SDL_UnlockMutex(s->mu);
            break;
        }
        text = s->text;
        s->text = NULL;
        bool tone = s->tone;
        s->tone = false;
        SDL_AtomicSet(&s->speaking, 1); /* busy from taking the text on */
        char lang[8];
        memcpy(lang, s->lang, sizeof lang);
        s->cur_gen = SDL_AtomicGet(&s->gen);
        SDL_UnlockMutex(s->mu);
        if (tone)
            play_tone(s);
        const char *voice = voice_of(lang);
        if (text && voice && SDL_AtomicGet(&s->gen) == s->cur_gen &&
            es.espeak_ng_SetVoiceByName(voice) == ENS_OK && SDL_AtomicGet(&s->gen) == s->cur_gen)
            es.espeak_ng_Synthesize(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
                                    espeakCHARS_UTF8, NULL, NULL);
        SDL_AtomicSet(&s->speaking, 0);
        if (text)
            memset(text, 0, strlen(text));
        free(text);
    }
    es.espeak_Terminate();
    if (s->dev)
        SDL_CloseAudioDevice(s->dev);
    return 0;
}

struct speech *speech_open(void)
{
    struct speech *s = xcalloc(1, sizeof *s);
    s->mu = SDL_CreateMutex();
    s->cv = SDL_CreateCond();
    buf_init(&s->log);
    SDL_AtomicSet(&s->volume, 100);
    self = s;
    /* SKRANKE_NO_THREADS=1: an emulator whose threads hang (qemu-user, see
     * writer.c) runs silent. */
    const char *nt = getenv("SKRANKE_NO_THREADS"), *off = getenv("SKRANKE_NO_SPEECH");
    if (off && *off == '1')
        nt = off; /* speech switched off: silent, as without threads */
    if (!(nt && *nt == '1'))
        s->thread = SDL_CreateThread(run, "speech", s);
    if (!s->thread) {
        LOG("no speech%s%s", nt && *nt == '1' ? " (SKRANKE_NO_THREADS or SKRANKE_NO_SPEECH)" : ": ",
            nt && *nt == '1' ? "" : SDL_GetError());
        SDL_AtomicSet(&s->loaded, -1);
    }
    return s;
}

void speech_close(struct speech *s)
{
    if (!s)
        return;
    SDL_LockMutex(s->mu);
    s->quit = true;
    SDL_AtomicIncRef(&s->gen);
    SDL_CondSignal(s->cv);
    SDL_UnlockMutex(s->mu);
    if (s->thread)
        SDL_WaitThread(s->thread, NULL);
    free(s->text);
    speech_log_clear(s);
    buf_free(&s->log);
    SDL_DestroyCond(s->cv);
    SDL_DestroyMutex(s->mu);
    self = NULL;
    free(s);
}

bool speech_available(struct speech *s)
{
    return SDL_AtomicGet(&s->loaded) == 1;
}

void speech_say(struct speech *s, const char *lang, const char *text)
{
    SDL_LockMutex(s->mu);
    SDL_AtomicIncRef(&s->gen);
    /* The queue holds nothing but a tone while one plays (speech_tone
     * emptied it): the text follows the tone. */
    if (SDL_AtomicGet(&s->loaded) == 1 && s->dev && SDL_GetTicks64() >= s->tone_until)
        SDL_ClearQueuedAudio(s->dev);
    free(s->text);
    s->text = SDL_AtomicGet(&s->loaded) >= 0 ? xstrdup(text) : NULL;
    snprintf(s->lang, sizeof s->lang, "%s", lang);
    buf_puts(&s->log, text);
    buf_putc(&s->log, '\n');
    s->said_ms = SDL_GetTicks64();
    s->first_ms = 0;
    SDL_CondSignal(s->cv);
    SDL_UnlockMutex(s->mu);
}

void speech_tone(struct speech *s)
{
    SDL_LockMutex(s->mu);
    SDL_AtomicIncRef(&s->gen);
    free(s->text);
    s->text = NULL;
    if (SDL_AtomicGet(&s->loaded) == 1 && s->dev)
        SDL_ClearQueuedAudio(s->dev);
    if (SDL_AtomicGet(&s->loaded) >= 0) {
        s->tone = true;
        s->tone_until = SDL_GetTicks64() + TONE_MS;
    }
    SDL_CondSignal(s->cv);
    SDL_UnlockMutex(s->mu);
}

void speech_hush(struct speech *s)
{
    SDL_LockMutex(s->mu);
    SDL_AtomicIncRef(&s->gen);
    free(s->text);
    s->text = NULL;
    s->tone = false;
    s->tone_until = 0;
    if (SDL_AtomicGet(&s->loaded) == 1 && s->dev)
        SDL_ClearQueuedAudio(s->dev);
    SDL_UnlockMutex(s->mu);
}

bool speech_busy(struct speech *s)
{
    SDL_LockMutex(s->mu);
    bool busy = s->text || s->tone || SDL_AtomicGet(&s->speaking) ||
                (SDL_AtomicGet(&s->loaded) == 1 && s->dev && SDL_GetQueuedAudioSize(s->dev) > 0);
    SDL_UnlockMutex(s->mu);
    return busy;
}

void speech_set_volume(struct speech *s, int percent)
{
    SDL_AtomicSet(&s->volume, percent < 0 ? 0 : percent > 100 ? 100 : percent);
}

int speech_volume(struct speech *s)
{
    return SDL_AtomicGet(&s->volume);
}

bool speech_log_has(struct speech *s, const char *needle)
{
    SDL_LockMutex(s->mu);
    bool has = s->log.data && strstr(s->log.data, needle) != NULL;
    SDL_UnlockMutex(s->mu);
    return has;
}

void speech_log_clear(struct speech *s)
{
    SDL_LockMutex(s->mu);
    if (s->log.data)
        memset(s->log.data, 0, s->log.cap);
    buf_clear(&s->log);
    SDL_UnlockMutex(s->mu);
}

void speech_times(struct speech *s, uint64_t *said_ms, uint64_t *first_audio_ms,
                  uint64_t *samples)
{
    SDL_LockMutex(s->mu);
    *said_ms = s->said_ms;
    *first_audio_ms = s->first_ms;
    *samples = s->samples;
    SDL_UnlockMutex(s->mu);
}

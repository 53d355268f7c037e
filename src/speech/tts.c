/* tts.c - eSpeak NG synthesis (see tts.h).
 *
 * eSpeak NG runs in synchronous mode: espeak_ng_Synthesize() renders on the calling thread and
 * calls on_audio() with each buffer it fills. Everything one synthesis needs (the resampler, the
 * caller's callback) travels as the synthesis's user_data, so the only state outside a tts
 * object is the lock and flags that guard the library's own globals. on_audio() converts each
 * buffer to the caller's rate and passes it on; returning 1 to eSpeak stops it mid-sentence,
 * which is how barge-in works. */
#include "tts.h"

#include <errno.h>
#include <espeak-ng/espeak_ng.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audiofile.h"
#include "utf8.h"

#define TTS_MIN_WPM 80
#define TTS_MAX_WPM 450

/* eSpeak NG keeps its voice, parameters, callback and buffers in process-global variables and
 * cannot be started a second time, so this guards the library's own global state: who may use
 * it, and with which data it was started. It is the module's only state outside a tts object. */
static struct {
    pthread_mutex_t lock;     /* held by tts_open and tts_close and for a whole synthesis */
    bool started;             /* espeak_ng_Initialize has succeeded in this process */
    bool in_use;              /* a tts object is open */
    char data_path[PATH_MAX]; /* the data the library was started with; "" = installed */
} espeak_library = {.lock = PTHREAD_MUTEX_INITIALIZER};

struct tts {
    int words_per_minute, pitch, volume;
    int synth_rate;    /* eSpeak's output rate (22050 Hz) */
    const char *voice; /* the voice last selected, loaded again only when it changes */
};

/* One call of tts_speak, as seen by on_audio. */
typedef struct {
    resampler *rs; /* eSpeak's rate to the caller's */
    tts_chunk_fn fn;
    void *ctx;
    bool stopped; /* fn asked to stop */
    sd_code rc;   /* a failure inside on_audio */
} synthesis;

tts_config tts_config_default(void)
{
    return (tts_config){.data_path = NULL, .words_per_minute = 175, .pitch = 50, .volume = 100};
}

static sd_code check_config(const tts_config *cfg, char *err, size_t errlen)
{
    if (cfg->words_per_minute < TTS_MIN_WPM || cfg->words_per_minute > TTS_MAX_WPM) {
        snprintf(err, errlen, "speaking rate %d words per minute is out of range (%d to %d)",
                 cfg->words_per_minute, TTS_MIN_WPM, TTS_MAX_WPM);
        return SD_ERR_INVALID;
    }
    if (cfg->pitch < 0 || cfg->pitch > 100) {
        snprintf(err, errlen, "pitch %d is out of range (0 to 100)", cfg->pitch);
        return SD_ERR_INVALID;
    }
    if (cfg->volume < 0 || cfg->volume > 200) {
        snprintf(err, errlen, "volume %d is out of range (0 to 200)", cfg->volume);
        return SD_ERR_INVALID;
    }
    if (cfg->data_path && strlen(cfg->data_path) >= PATH_MAX) {
        snprintf(err, errlen, "the eSpeak NG data path is too long");
        return SD_ERR_INVALID;
    }
    return SD_OK;
}

/* eSpeak NG quietly falls back to its installed data when the folder it is given lacks its
 * data, so the folder is checked here: a wrong setting is reported, not ignored. */
static sd_code check_data_path(const char *dir, char *err, size_t errlen)
{
    char probe[PATH_MAX + 32];
    snprintf(probe, sizeof probe, "%s/phontab", dir);
    if (access(probe, R_OK) == 0)
        return SD_OK;
    snprintf(probe, sizeof probe, "%s/espeak-ng-data/phontab", dir);
    if (access(probe, R_OK) == 0)
        return SD_OK;
    snprintf(err, errlen,
             "%s: holds no eSpeak NG data (no phontab); leave the data path unset to use the "
             "installed voices",
             dir);
    return SD_ERR_IO;
}

static int on_audio(short *wav, int n, espeak_EVENT *events);

/* Starts the library once per process; the lock is held. */
static sd_code start_library(const char *data_path, char *err, size_t errlen)
{
    if (data_path) {
        sd_code rc = check_data_path(data_path, err, errlen);
        if (rc != SD_OK)
            return rc;
    }
    espeak_ng_InitializePath(data_path);
    espeak_ng_ERROR_CONTEXT context = NULL;
    espeak_ng_STATUS status = espeak_ng_Initialize(&context);
    espeak_ng_ClearErrorContext(&context);
    if (status == ENS_OK)
        status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
    if (status != ENS_OK) {
        char reason[200];
        espeak_ng_GetStatusCodeMessage(status, reason, sizeof reason);
        snprintf(err, errlen, "eSpeak NG cannot start: %s; check that espeak-ng-data is installed",
                 reason);
        return SD_ERR_IO;
    }
    espeak_SetSynthCallback(on_audio);
    snprintf(espeak_library.data_path, sizeof espeak_library.data_path, "%s",
             data_path ? data_path : "");
    espeak_library.started = true;
    return SD_OK;
}

/* Makes the library this caller's: started with data_path, and not used by another object. The
 * lock is held. */
static sd_code claim_library(const char *data_path, char *err, size_t errlen)
{
    if (espeak_library.in_use) {
        snprintf(err, errlen,
                 "eSpeak NG is already in use by another tts object in this process; share "
                 "that one");
        return SD_ERR_BUSY;
    }
    if (!espeak_library.started)
        return start_library(data_path, err, errlen);
    const char *wanted = data_path ? data_path : "";
    if (strcmp(espeak_library.data_path, wanted) != 0) {
        snprintf(err, errlen,
                 "eSpeak NG was started with the data in %s and cannot switch to %s without "
                 "restarting the program",
                 *espeak_library.data_path ? espeak_library.data_path : "the installed folder",
                 *wanted ? wanted : "the installed folder");
        return SD_ERR_INVALID;
    }
    return SD_OK;
}

/* Loads voice when it is not the current one and applies t's settings; the lock is held.
 * Settings are applied every time because a voice may bring its own speed and pitch. */
static sd_code select_voice(tts *t, const char *voice)
{
    if (t->voice != voice) {
        if (espeak_ng_SetVoiceByName(voice) != ENS_OK)
            return SD_ERR_NOT_FOUND;
        t->voice = voice;
    }
    espeak_ng_SetParameter(espeakRATE, t->words_per_minute, 0);
    espeak_ng_SetParameter(espeakPITCH, t->pitch, 0);
    espeak_ng_SetParameter(espeakVOLUME, t->volume, 0);
    return SD_OK;
}

/* The eSpeak NG voice for a language code, or NULL when the language is not spoken. */
static const char *voice_for(const char *lang)
{
    if (lang && strcmp(lang, "ko") == 0)
        return "ko";
    if (lang && strcmp(lang, "en") == 0)
        return "en-us";
    return NULL;
}

/* Both voices are loaded once at open, so a missing one is reported there, not mid-call. */
static sd_code check_voices(tts *t, char *err, size_t errlen)
{
    static const char *const langs[] = {"ko", "en"};
    for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
        if (select_voice(t, voice_for(langs[i])) != SD_OK) {
            snprintf(err, errlen,
                     "eSpeak NG has no voice \"%s\"; install espeak-ng-data or set the data "
                     "path to a folder that has it",
                     voice_for(langs[i]));
            return SD_ERR_NOT_FOUND;
        }
    }
    return SD_OK;
}

sd_code tts_open(const tts_config *cfg, tts **out, char *err, size_t errlen)
{
    *out = NULL;
    tts_config c = cfg ? *cfg : tts_config_default();
    sd_code rc = check_config(&c, err, errlen);
    if (rc != SD_OK)
        return rc;
    tts *t = calloc(1, sizeof *t);
    if (!t)
        return SD_ERR_NOMEM;
    t->words_per_minute = c.words_per_minute;
    t->pitch = c.pitch;
    t->volume = c.volume;
    pthread_mutex_lock(&espeak_library.lock);
    rc = claim_library(c.data_path, err, errlen);
    if (rc == SD_OK)
        rc = check_voices(t, err, errlen);
    if (rc == SD_OK) {
        espeak_library.in_use = true;
        t->synth_rate = espeak_ng_GetSampleRate();
    }
    pthread_mutex_unlock(&espeak_library.lock);
    if (rc != SD_OK) {
        free(t);
        return rc;
    }
    *out = t;
    return SD_OK;
}

void tts_close(tts *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&espeak_library.lock);
    espeak_library.in_use = false;
    pthread_mutex_unlock(&espeak_library.lock);
    free(t);
}

/* Hands converted samples to the caller; returns 1 (stop eSpeak) once the caller asked to. */
static int pass_on(synthesis *s, const int16_t *samples, size_t n)
{
    if (!s->stopped && n > 0 && s->fn(s->ctx, samples, n) != 0)
        s->stopped = true;
    return s->stopped;
}

/* eSpeak NG's synth callback: wav is NULL at the end of the text, and n may be 0 when a buffer
 * carries only events. */
static int on_audio(short *wav, int n, espeak_EVENT *events)
{
    if (!wav || n <= 0)
        return 0;
    synthesis *s = events->user_data;
    const int16_t *converted;
    size_t m;
    s->rc = resampler_process(s->rs, wav, (size_t)n, false, &converted, &m);
    if (s->rc != SD_OK)
        return 1;
    return pass_on(s, converted, m);
}

/* Runs one synthesis; the lock is held. */
static sd_code synthesize(synthesis *s, const char *text, size_t len)
{
    espeak_ng_STATUS status =
        espeak_ng_Synthesize(text, len + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, s);
    if (s->rc != SD_OK || s->stopped)
        return s->rc;
    if (status != ENS_OK)
        return status == (espeak_ng_STATUS)ENOMEM ? SD_ERR_NOMEM : SD_ERR_IO;
    /* The resampler holds back the last few milliseconds until told the stream is over. */
    const int16_t *tail;
    size_t n;
    sd_code rc = resampler_process(s->rs, NULL, 0, true, &tail, &n);
    if (rc == SD_OK)
        pass_on(s, tail, n);
    return rc;
}

sd_code tts_speak(tts *t, const char *text, const char *lang, int out_rate, tts_chunk_fn fn,
                  void *ctx, bool *interrupted)
{
    if (interrupted)
        *interrupted = false;
    const char *voice = voice_for(lang);
    if (!text || !fn || !voice)
        return SD_ERR_INVALID;
    size_t len = strlen(text);
    if (!utf8_valid(text, len))
        return SD_ERR_UTF8;
    synthesis s = {.fn = fn, .ctx = ctx, .rc = SD_OK};
    sd_code rc = resampler_new(t->synth_rate, out_rate, &s.rs);
    if (rc != SD_OK || len == 0) {
        resampler_free(s.rs);
        return rc;
    }
    pthread_mutex_lock(&espeak_library.lock);
    rc = select_voice(t, voice);
    if (rc == SD_OK)
        rc = synthesize(&s, text, len);
    pthread_mutex_unlock(&espeak_library.lock);
    resampler_free(s.rs);
    if (interrupted)
        *interrupted = s.stopped;
    return rc;
}

/* Where tts_speak_to_wav's samples go. */
typedef struct {
    audiofile_writer *w;
    char *err;
    size_t errlen;
    sd_code rc; /* the first write failure */
} wav_sink;

static int append_to_wav(void *ctx, const int16_t *samples, size_t n)
{
    wav_sink *sink = ctx;
    sink->rc = audiofile_writer_append(sink->w, samples, n, sink->err, sink->errlen);
    return sink->rc != SD_OK;
}

sd_code tts_speak_to_wav(tts *t, const char *text, const char *lang, int out_rate, const char *path,
                         char *err, size_t errlen)
{
    wav_sink sink = {.err = err, .errlen = errlen, .rc = SD_OK};
    sd_code rc = audiofile_writer_open(path, out_rate, &sink.w, err, errlen);
    if (rc != SD_OK)
        return rc;
    rc = tts_speak(t, text, lang, out_rate, append_to_wav, &sink, NULL);
    if (sink.rc != SD_OK)
        rc = sink.rc;
    else if (rc != SD_OK)
        snprintf(err, errlen, "cannot speak into %s: %s", path, sd_strerror(rc));
    char close_err[256];
    sd_code closed = audiofile_writer_close(sink.w, close_err, sizeof close_err);
    if (rc == SD_OK && closed != SD_OK) {
        rc = closed;
        snprintf(err, errlen, "%s", close_err);
    }
    if (rc != SD_OK)
        unlink(path);
    return rc;
}

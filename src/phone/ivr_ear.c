/* ivr_ear.c - a call's listening side (see ivr_ear.h).
 *
 * Per frame: echo cancelling at the call's rate, the level gate and the 200 ms speech count,
 * then the frame upsampled to 16 kHz and fed to the recogniser. A short dip (up to 60 ms)
 * between syllables does not restart the count.
 *
 * Silence costs the recogniser nothing: while no utterance is under way, a frame below
 * VOICED_DB is not fed but held, the last HELD_FRAMES of them, and fed just before the next
 * louder frame, so the recogniser's own detector still hears the quiet that leads into speech
 * (and the recording keeps it). Speech that quiet never counts as the caller's anyway (the level
 * gate), so nothing that could be acted on is lost; once an utterance is under way every frame
 * is fed, so its end is heard. Most of a typical call is the caller listening: the recogniser
 * then runs only on what the line carries above the gate. When the recogniser reports the end of an
 * utterance in the middle of a frame, the rest of that frame (under 20 ms, silence by then) is
 * not fed to the next one. CPU time is measured with the thread's own clock, so the real-time
 * factor of a call is not blurred by other calls sharing the core. */
#include "ivr_ear.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <speex/speex_echo.h>

#include "audiofile.h"
#include "media.h"

#define ASR_RATE 16000
#define ECHO_TAIL_MS 256
#define VOICED_DB -42.0   /* frame power a caller's speech reaches on a phone line */
#define ECHO_LOSS_DB 10.0 /* echo returns at least this much quieter than it was played */
#define PLAYED_MEMORY 15  /* frames (300 ms) the loudest played level is remembered for */
#define CONFIRM_FRAMES 10 /* 200 ms of speech */
#define DIP_FRAMES 3      /* quiet frames that end a run of speech */
#define HELD_FRAMES 15    /* quiet frames (300 ms) held back from the recogniser */

struct ivr_ear {
    int rate;
    size_t frame;
    asr *a;
    SpeexEchoState *echo;
    resampler *up; /* NULL at 16 kHz */
    int16_t *clean;
    double level_db;   /* the last echo-cancelled frame's */
    bool in_utterance; /* the recogniser heard speech begin and not yet end */
    int16_t *held;     /* HELD_FRAMES quiet 16 kHz frames, a ring */
    size_t held_at, nheld, held_frame;
    double played_db[PLAYED_MEMORY];
    size_t played_at;
    int voiced, quiet;
    bool confirmed; /* speech confirmed since the utterance began */
    double audio_s, cpu_s;
};

sd_code ivr_ear_new(int rate, recognizer *rec, ivr_ear **out)
{
    if (rate != 8000 && rate != ASR_RATE)
        return SD_ERR_INVALID;
    ivr_ear *e = calloc(1, sizeof *e);
    if (!e)
        return SD_ERR_NOMEM;
    e->rate = rate;
    e->frame = (size_t)rate * MEDIA_FRAME_MS / 1000;
    e->a = recognizer_asr(rec);
    e->echo = speex_echo_state_init((int)e->frame, rate * ECHO_TAIL_MS / 1000);
    e->clean = malloc(e->frame * sizeof *e->clean);
    e->held_frame = (size_t)ASR_RATE * MEDIA_FRAME_MS / 1000;
    e->held = malloc(HELD_FRAMES * e->held_frame * sizeof *e->held);
    sd_code rc = e->echo && e->clean && e->held ? SD_OK : SD_ERR_NOMEM;
    if (rc == SD_OK)
        speex_echo_ctl(e->echo, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
    if (rc == SD_OK && rate != ASR_RATE)
        rc = resampler_new(rate, ASR_RATE, &e->up);
    for (int i = 0; i < PLAYED_MEMORY; i++)
        e->played_db[i] = -96.0;
    if (rc != SD_OK) {
        ivr_ear_free(e);
        return rc;
    }
    *out = e;
    return SD_OK;
}

void ivr_ear_free(ivr_ear *e)
{
    if (!e)
        return;
    if (e->echo)
        speex_echo_state_destroy(e->echo);
    resampler_free(e->up);
    free(e->clean);
    free(e->held);
    free(e);
}

size_t ivr_ear_frame_samples(const ivr_ear *e)
{
    return e->frame;
}

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

sd_code ivr_ear_listen(ivr_ear *e, asr_mode mode)
{
    double t0 = thread_cpu_s();
    sd_code rc = asr_get_mode(e->a) == mode ? SD_OK : asr_set_mode(e->a, mode);
    /* Speech still going on from before counts for this utterance too. */
    e->confirmed = e->voiced >= CONFIRM_FRAMES;
    e->in_utterance = false;
    e->nheld = 0;
    if (rc == SD_OK)
        rc = asr_begin(e->a);
    e->cpu_s += thread_cpu_s() - t0;
    return rc;
}

/* The level gate and the speech count over the echo-cancelled frame. */
static void detect(ivr_ear *e, const int16_t *played, ivr_ear_event *ev)
{
    e->played_db[e->played_at++ % PLAYED_MEMORY] = media_level_db(played, e->frame);
    double loudest = -96.0;
    for (int i = 0; i < PLAYED_MEMORY; i++)
        loudest = e->played_db[i] > loudest ? e->played_db[i] : loudest;
    double level = media_level_db(e->clean, e->frame);
    e->level_db = level;
    if (level > VOICED_DB && level > loudest - ECHO_LOSS_DB) {
        e->voiced++;
        e->quiet = 0;
    } else if (++e->quiet >= DIP_FRAMES) {
        e->voiced = 0;
    }
    if (e->voiced >= CONFIRM_FRAMES && !e->confirmed) {
        ev->speech = true;
        e->confirmed = true;
    }
    ev->talking = e->voiced > 0;
}

/* Keeps a quiet frame back from the recogniser, dropping the oldest held. */
static void hold(ivr_ear *e, const int16_t *pcm, size_t n)
{
    if (n != e->held_frame)
        return; /* the resampler's first output is short: nothing worth keeping */
    memcpy(e->held + (e->held_at++ % HELD_FRAMES) * n, pcm, n * sizeof *pcm);
    if (e->nheld < HELD_FRAMES)
        e->nheld++;
}

static sd_code feed(ivr_ear *e, const int16_t *pcm, size_t n, ivr_ear_event *ev)
{
    asr_event aev;
    sd_code rc = asr_feed(e->a, pcm, n, &aev);
    if (rc == SD_OK && aev.speech_started)
        e->in_utterance = true;
    ev->utterance = rc == SD_OK && aev.speech_ended;
    return rc;
}

static sd_code recognise(ivr_ear *e, const int16_t *pcm, size_t n, ivr_ear_event *ev)
{
    if (e->up && resampler_process(e->up, pcm, n, false, &pcm, &n) != SD_OK)
        return SD_ERR_NOMEM;
    if (!e->in_utterance && e->level_db <= VOICED_DB) {
        hold(e, pcm, n);
        return SD_OK;
    }
    sd_code rc = SD_OK;
    for (size_t k = e->nheld; rc == SD_OK && k > 0 && !ev->utterance; k--)
        rc = feed(e, e->held + ((e->held_at - k) % HELD_FRAMES) * e->held_frame, e->held_frame, ev);
    e->nheld = 0;
    return rc == SD_OK && !ev->utterance ? feed(e, pcm, n, ev) : rc;
}

sd_code ivr_ear_frame(ivr_ear *e, const int16_t *mic, const int16_t *played, ivr_ear_event *ev)
{
    double t0 = thread_cpu_s();
    memset(ev, 0, sizeof *ev);
    speex_echo_cancellation(e->echo, mic, played, e->clean);
    detect(e, played, ev);
    sd_code rc = recognise(e, e->clean, e->frame, ev);
    e->audio_s += (double)MEDIA_FRAME_MS / 1000.0;
    e->cpu_s += thread_cpu_s() - t0;
    return rc;
}

bool ivr_ear_confirmed(const ivr_ear *e)
{
    return e->confirmed;
}

sd_code ivr_ear_result(ivr_ear *e, asr_result *res)
{
    double t0 = thread_cpu_s();
    sd_code rc = asr_finish(e->a, res);
    e->cpu_s += thread_cpu_s() - t0;
    return rc;
}

const int16_t *ivr_ear_utterance(ivr_ear *e, size_t *n)
{
    return asr_utterance_audio(e->a, n);
}

void ivr_ear_load(const ivr_ear *e, double *audio_s, double *cpu_s)
{
    *audio_s = e->audio_s;
    *cpu_s = e->cpu_s;
}

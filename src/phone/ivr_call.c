/* ivr_call.c - a phone call's own thread (see ivr_call.h).
 *
 * The thread sleeps on a condition variable and wakes for a key, for the caller's audio, for
 * stop, or every 100 ms to keep time. Keys stop the prompt in the network thread already (the
 * play-out queue is cleared there), so barge-in does not wait for this thread. "No input"
 * counts from the moment the prompt has been played out, not from when it was synthesised.
 *
 * Speech: the network thread queues the caller's decoded audio (`in`) and every frame it sends
 * (`sent`, the echo canceller's reference); this thread takes them a frame of each at a time
 * into the call's ear (ivr_ear.h), whose recogniser is borrowed from the process's pool for the
 * call. Speech confirmed while a prompt plays clears the play-out queue (barge-in); an
 * utterance goes to the menu as words heard. The turns of a complaint being filed are kept and
 * written next to the database when it is filed (complaint_recording.h).
 *
 * Sounds (cue.h): a prompt that asks the caller to speak ends with the listening cue, played
 * like the prompt (a key or speech stops it; "no input" counts from its end; the echo canceller
 * has it as reference). Once the prompt before a transfer has played and the transfer is asked
 * of the network, the caller hears the hold tone until the PBX takes the call (or refuses it):
 * keys and speech are no longer for the menu then.
 *
 * The call object is shared by two owners, the network thread and this thread; whichever lets
 * go last frees it, so neither has to wait for the other. */
#include "ivr_call.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "complaint_recording.h"
#include "ivr_ear.h"
#include "pii.h"
#include "voice.h"

#define MAX_KEYS 64
/* Speech queued for the caller: a long status timeline fits. */
#define PLAYOUT_SECONDS 120
#define WAKE_MS 100
/* Niceness of a call's thread: see run(). */
#define CALL_NICE 5
/* The caller's audio queued while this thread synthesises or recognises. */
#define HEARD_SECONDS 10
/* Frames sent ahead of the caller's audio beyond this are dropped, so that a caller who sends
 * less than it should (silence suppression, loss) does not leave the echo reference behind. */
#define SENT_AHEAD_FRAMES 25
/* The hold tone is queued a loop at a time once less than this is left to play: the thread
 * wakes at least every WAKE_MS. */
#define HOLD_LEFT_MS 300

struct ivr_call {
    ivr_call_config cfg;
    char lang[4];
    char caller[32];
    atomic_int refs;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    char reason[16];
    char keys[MAX_KEYS];
    size_t nkeys;
    media_fifo *out;
    media_fifo *in;   /* the caller's audio */
    media_fifo *sent; /* what was sent, for the echo canceller */
    size_t frame;     /* samples in 20 ms at the codec's rate */
    /* the call thread's own */
    recognizer *rec; /* NULL: keypad only */
    ivr_ear *ear;
    complaint_recording *recording;
    ivr_menu *menu;
    long record;
    ivr_action pending; /* to ask of the network once the prompt has played */
    bool holding;       /* the transfer is asked: the caller hears the hold tone */
    double quiet_since; /* seconds on the monotonic clock; 0 while something plays */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void release(ivr_call *c)
{
    if (atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    media_fifo_free(c->out);
    media_fifo_free(c->in);
    media_fifo_free(c->sent);
    pthread_cond_destroy(&c->wake);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static int to_playout(void *ctx, const int16_t *samples, size_t n)
{
    ivr_call *c = ctx;
    return media_fifo_write(c->out, samples, n) != SD_OK;
}

static void speak(ivr_call *c, const char *text)
{
    if (!text[0])
        return;
    fprintf(stderr, "ivr: call %u says: %s\n", c->cfg.id, text);
    strbuf spoken;
    strbuf_init(&spoken);
    voice_speech_text(text, c->lang, &spoken);
    tts_speak(c->cfg.t, strbuf_str(&spoken), c->lang, media_codec_rate(c->cfg.codec), to_playout, c,
              NULL);
    strbuf_free(&spoken);
    c->quiet_since = 0;
}

static void play(ivr_call *c, const cue *sound)
{
    size_t n;
    const int16_t *samples = cue_samples(sound, &n);
    (void)media_fifo_write(c->out, samples, n); /* full (two minutes queued): not played */
}

static void act(ivr_call *c, ivr_action a, strbuf *say)
{
    bool asked = say->len > 0;
    speak(c, strbuf_str(say));
    strbuf_clear(say);
    if (a != IVR_CONTINUE)
        c->pending = a;
    else if (asked && ivr_menu_listening(c->menu))
        play(c, c->cfg.listen);
}

/* Takes the keys queued by the network thread; returns false once the call is stopped. */
static bool take_keys(ivr_call *c, char *keys, size_t *n)
{
    pthread_mutex_lock(&c->lock);
    if (!c->stop && !c->nkeys && media_fifo_pending(c->in) < c->frame) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += WAKE_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&c->wake, &c->lock, &until);
    }
    memcpy(keys, c->keys, c->nkeys);
    *n = c->nkeys;
    c->nkeys = 0;
    bool going = !c->stop;
    pthread_mutex_unlock(&c->lock);
    return going;
}

/* Keeps the hold tone playing while the transfer is taken up. */
static void hold_on(ivr_call *c)
{
    if (media_fifo_pending(c->out) < (size_t)media_codec_rate(c->cfg.codec) * HOLD_LEFT_MS / 1000)
        play(c, c->cfg.hold);
}

/* Once the prompt has been played: hand over a pending transfer (then the hold tone) or
 * hang-up, or count silence. */
static void keep_time(ivr_call *c, strbuf *say)
{
    if (c->holding) {
        hold_on(c);
        return;
    }
    if (media_fifo_pending(c->out))
        return;
    if (c->pending != IVR_CONTINUE) {
        c->cfg.request(c->cfg.ctx, c->cfg.id, c->pending);
        c->holding = c->pending == IVR_TRANSFER;
        c->pending = IVR_CONTINUE;
        if (c->holding)
            hold_on(c);
        return;
    }
    double now = now_s();
    if (c->quiet_since == 0)
        c->quiet_since = now;
    else if (now - c->quiet_since >= c->cfg.no_input_s)
        act(c, ivr_menu_no_input(c->menu, say), say);
}

/* After a turn: the recording of a complaint being filed grows, or is written. */
static void track_recording(ivr_call *c, const int16_t *audio, size_t n)
{
    if (!c->recording)
        return;
    char path[1100], err[256] = "";
    if (complaint_recording_track(c->recording, ivr_menu_session(c->menu), audio, n, path,
                                  sizeof path, err, sizeof err) != SD_OK)
        fprintf(stderr, "ivr: call %u: recording not saved: %s\n", c->cfg.id, err);
    else if (path[0])
        fprintf(stderr, "ivr: call %u: recorded %s\n", c->cfg.id, path);
}

static asr_mode listening_mode(ivr_call *c)
{
    return session_expects(ivr_menu_session(c->menu)) == SESSION_EXPECTS_DETAIL ? ASR_FREE
                                                                                : ASR_COMMAND;
}

/* An utterance ended: the menu hears it unless it was not the caller's (see ivr_ear.h) or the
 * call is about to be handed over; then the next one is listened for. */
static sd_code on_utterance(ivr_call *c, strbuf *say)
{
    if (!ivr_ear_confirmed(c->ear) || c->pending != IVR_CONTINUE || c->holding)
        return ivr_ear_listen(c->ear, listening_mode(c));
    asr_result res;
    sd_code rc = ivr_ear_result(c->ear, &res);
    if (rc != SD_OK)
        return rc;
    strbuf heard; /* a caller may read out a number: the log keeps it masked */
    strbuf_init(&heard);
    pii_redact(res.text, strlen(res.text), &heard);
    fprintf(stderr, "ivr: call %u heard: %s (%.2f)\n", c->cfg.id,
            heard.failed ? "" : strbuf_str(&heard), res.confidence);
    strbuf_free(&heard);
    media_fifo_clear(c->out);
    ivr_action a = ivr_menu_heard(c->menu, res.text, res.confidence, res.seconds, say);
    size_t n;
    const int16_t *audio = ivr_ear_utterance(c->ear, &n);
    track_recording(c, audio, n);
    act(c, a, say);
    return ivr_ear_listen(c->ear, listening_mode(c));
}

/* One frame of the caller's audio, with the frame sent at about the same time. */
static sd_code hear_frame(ivr_call *c, const int16_t *mic, const int16_t *played, strbuf *say)
{
    ivr_ear_event ev;
    sd_code rc = ivr_ear_frame(c->ear, mic, played, &ev);
    if (rc == SD_OK && ev.speech && media_fifo_pending(c->out) && !c->holding) {
        media_fifo_clear(c->out);
        fprintf(stderr, "ivr: call %u barge-in\n", c->cfg.id);
    }
    if (ev.talking)
        c->quiet_since = 0;
    return rc == SD_OK && ev.utterance ? on_utterance(c, say) : rc;
}

/* Recognition failed (out of memory): the rest of the call is served by keypad. */
static void lose_ear(ivr_call *c)
{
    fprintf(stderr, "ivr: call %u: recognition failed; keypad only from now\n", c->cfg.id);
    ivr_ear_free(c->ear);
    c->ear = NULL;
    ivr_menu_set_speech(c->menu, IVR_SPEECH_NONE);
}

/* Takes every whole frame the caller sent; without a recogniser they are only dropped. */
static void hear(ivr_call *c, strbuf *say)
{
    int16_t mic[MEDIA_MAX_FRAME], played[MEDIA_MAX_FRAME];
    while (media_fifo_pending(c->in) >= c->frame) {
        media_fifo_read(c->in, mic, c->frame);
        while (media_fifo_pending(c->sent) > SENT_AHEAD_FRAMES * c->frame)
            media_fifo_read(c->sent, played, c->frame);
        media_fifo_read(c->sent, played, c->frame);
        if (c->ear && hear_frame(c, mic, played, say) != SD_OK)
            lose_ear(c);
    }
}

static void converse(ivr_call *c)
{
    strbuf say;
    strbuf_init(&say);
    act(c, ivr_menu_start(c->menu, &say), &say);
    if (c->ear && ivr_ear_listen(c->ear, listening_mode(c)) != SD_OK)
        lose_ear(c);
    char keys[MAX_KEYS];
    size_t n;
    while (take_keys(c, keys, &n)) {
        for (size_t i = 0; i < n; i++) {
            /* A digit typed into a number (a receipt, a phone number's last digits) is the
             * caller's and stays out of the log; menu choices, # and * are logged. */
            bool personal = isdigit((unsigned char)keys[i]) && !ivr_menu_choosing(c->menu);
            fprintf(stderr, "ivr: call %u key %c\n", c->cfg.id, personal ? '.' : keys[i]);
            c->quiet_since = 0;
            if (c->pending == IVR_CONTINUE && !c->holding) {
                ivr_action a = ivr_menu_key(c->menu, keys[i], &say);
                track_recording(c, NULL, 0);
                act(c, a, &say);
            }
        }
        hear(c, &say);
        keep_time(c, &say);
    }
    strbuf_free(&say);
}

/* Borrows a recogniser for the call; without one (all in use, none configured) the call is
 * served by keypad, and the menu says so. */
static void open_ear(ivr_call *c)
{
    char err[256] = "";
    ivr_speech speech = IVR_SPEECH_NONE;
    if (c->cfg.pool && recognizer_pool_take(c->cfg.pool, &c->rec, err, sizeof err) == SD_OK) {
        if (ivr_ear_new(media_codec_rate(c->cfg.codec), c->rec, &c->ear) == SD_OK)
            speech = c->cfg.codec == MEDIA_G722 ? IVR_SPEECH_WIDE : IVR_SPEECH_NARROW;
        if (c->cfg.recordings &&
            complaint_recording_new(c->cfg.recordings, 16000, &c->recording) != SD_OK)
            c->recording = NULL;
    }
    if (speech == IVR_SPEECH_NONE)
        fprintf(stderr, "ivr: call %u: keypad only%s%s\n", c->cfg.id, err[0] ? ": " : "", err);
    ivr_menu_set_speech(c->menu, speech);
}

static void close_ear(ivr_call *c)
{
    if (c->ear) {
        double audio_s, cpu_s;
        ivr_ear_load(c->ear, &audio_s, &cpu_s);
        fprintf(stderr, "ivr: call %u: heard %.1f s of audio with %.2f s of CPU (RTF %.3f)\n",
                c->cfg.id, audio_s, cpu_s, audio_s > 0 ? cpu_s / audio_s : 0.0);
    }
    ivr_ear_free(c->ear);
    complaint_recording_free(c->recording);
    if (c->rec)
        recognizer_pool_give(c->cfg.pool, c->rec);
}

static void record_end(ivr_call *c)
{
    const char *result = ivr_menu_result(c->menu);
    const char *receipt = ivr_menu_receipt(c->menu);
    store_call_end_info info = {
        .ended_at = engine_now(c->cfg.e),
        .intents = ivr_menu_intents(c->menu),
        .result = result[0] ? result : c->reason,
        .receipt = receipt[0] ? receipt : NULL,
    };
    if (c->record && store_call_end(engine_store(c->cfg.e), c->record, &info) != SD_OK)
        fprintf(stderr, "ivr: call %u: the call record could not be closed\n", c->cfg.id);
    fprintf(stderr, "ivr: call %u ended: %s [%s]\n", c->cfg.id, info.result, info.intents);
}

static void *run(void *arg)
{
    ivr_call *c = arg;
    /* Recognition and synthesis may take whole cores; the network thread, which paces the audio
     * of every call, must not wait behind them. On Linux niceness is per thread. */
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), CALL_NICE);
    char masked[32];
    pii_mask_caller(c->caller, masked, sizeof masked);
    if (store_call_begin(engine_store(c->cfg.e), engine_now(c->cfg.e), masked,
                         media_codec_name(c->cfg.codec), &c->record) != SD_OK)
        fprintf(stderr, "ivr: call %u: the call record could not be opened\n", c->cfg.id);
    if (ivr_menu_new(c->cfg.e, c->lang, c->caller, &c->menu) == SD_OK) {
        open_ear(c);
        converse(c);
        close_ear(c);
        record_end(c);
        ivr_menu_free(c->menu);
    } else {
        fprintf(stderr, "ivr: call %u: out of memory\n", c->cfg.id);
    }
    void (*finished)(void *) = c->cfg.finished;
    void *ctx = c->cfg.ctx;
    release(c);
    finished(ctx);
    return NULL;
}

sd_code ivr_call_start(const ivr_call_config *cfg, ivr_call **out)
{
    ivr_call *c = calloc(1, sizeof *c);
    if (!c)
        return SD_ERR_NOMEM;
    c->cfg = *cfg;
    snprintf(c->lang, sizeof c->lang, "%s", cfg->lang);
    snprintf(c->caller, sizeof c->caller, "%s", cfg->caller ? cfg->caller : "");
    c->cfg.lang = c->lang;
    c->cfg.caller = c->caller;
    atomic_init(&c->refs, 2);
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->wake, NULL);
    size_t rate = (size_t)media_codec_rate(cfg->codec);
    c->frame = media_frame_samples(cfg->codec);
    c->out = media_fifo_new(rate * PLAYOUT_SECONDS);
    c->in = media_fifo_new(rate * HEARD_SECONDS);
    c->sent = media_fifo_new(rate * HEARD_SECONDS);
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    sd_code rc = !c->out || !c->in || !c->sent            ? SD_ERR_NOMEM
                 : pthread_create(&thread, &attr, run, c) ? SD_ERR_IO
                                                          : SD_OK;
    pthread_attr_destroy(&attr);
    if (rc != SD_OK) {
        atomic_store(&c->refs, 1);
        release(c);
        return rc;
    }
    *out = c;
    return SD_OK;
}

void ivr_call_key(ivr_call *c, char key)
{
    media_fifo_clear(c->out);
    pthread_mutex_lock(&c->lock);
    if (c->nkeys < MAX_KEYS)
        c->keys[c->nkeys++] = key;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
}

void ivr_call_next_frame(ivr_call *c, int16_t *out, size_t n)
{
    media_fifo_read(c->out, out, n);
    /* Full only when this thread has stopped taking frames: the echo reference can wait. */
    (void)media_fifo_write(c->sent, out, n);
}

void ivr_call_audio(ivr_call *c, const int16_t *pcm, size_t n)
{
    /* A full queue (this thread far behind) drops the frame: the line's audio must not wait. */
    if (media_fifo_write(c->in, pcm, n) != SD_OK)
        return;
    pthread_mutex_lock(&c->lock);
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
}

void ivr_call_stop(ivr_call *c, const char *reason)
{
    pthread_mutex_lock(&c->lock);
    c->stop = true;
    snprintf(c->reason, sizeof c->reason, "%s", reason);
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    release(c);
}

/* speaker.c - the smart speaker's loop (see speaker.h).
 *
 * States: WAKE (keyword spotting for the wake phrase), LISTEN (one utterance with the command
 * grammar, or with the general language model when the dialogue waits for a complaint's
 * details), SPEAKING (an answer plays on the speech thread while the microphone is still fed to
 * the recogniser: speech heard then is a barge-in, which stops playback and is the next
 * utterance). After an answer the speaker listens for a follow-up for listen_timeout_ms, then
 * goes back to waiting for the wake word; the session stays, so a resident may go on later.
 *
 * Time is counted in microphone samples, not wall-clock time: time-outs then behave the same on
 * a live device and on a recording read at full speed (ALSA's file plugin in the tests).
 *
 * The recording of every turn of a complaint being filed is kept; when the dialogue files it,
 * the turns are written to RECORDINGS/RECEIPT.wav for staff to listen to (complaint_recording.h).
 */
#include "speaker.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio.h"
#include "complaint_recording.h"
#include "session.h"
#include "pii.h"
#include "recognizer.h"
#include "voice.h"

#define RATE 16000
#define CHUNK 320 /* 20 ms */
#define DEFAULT_LISTEN_TIMEOUT_MS 8000
/* Microphone audio the ring holds: a slow turn (recognition, a busy disk) must not lose what
 * the resident says meanwhile, and a recording fed at full speed fits whole. 1 MB. */
#define MIC_BUFFER_S 30.0
/* A microphone that delivers nothing this long has gone (unplugged, or its driver hangs): a
 * running capture stream never pauses, even in silence. */
#define MIC_SILENT_MS 5000

typedef enum { ST_WAKE, ST_LISTEN, ST_SPEAKING } speaker_state;

struct speaker {
    engine *e;
    speaker_config cfg;
    session *session;
    recognizer *rec;
    tts *tts;
    audio_capture *mic;
    audio_player *player;
    speaker_state state;
    unsigned long long heard; /* microphone samples so far */
    unsigned long long listen_until;
    unsigned long long idle_since;
    /* the speech thread */
    pthread_t speech;
    bool speech_running;
    atomic_bool speech_done;
    char *speech_text;
    double speech_asked_ms;         /* end of the resident's speech, for the latency */
    _Atomic double first_sample_ms; /* written by the speech thread */
    double stop_asked_ms;
    complaint_recording *recording; /* NULL when recordings are not kept */
    speaker_stats stats;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void status(speaker *sp, const char *fmt, const char *arg)
{
    if (!sp->cfg.status)
        return;
    fprintf(sp->cfg.status, fmt, arg ? arg : "");
    fputc('\n', sp->cfg.status);
    fflush(sp->cfg.status);
}

static void trace(speaker *sp, const char *stage, double ms)
{
    if (sp->cfg.verbose && sp->cfg.status)
        fprintf(sp->cfg.status, "  [%s %.1f ms]\n", stage, ms);
}

/* ---- the speech thread ---- */

static int play_chunk(void *ctx, const int16_t *samples, size_t n)
{
    speaker *sp = ctx;
    if (sp->first_sample_ms == 0)
        sp->first_sample_ms = now_ms();
    return audio_player_write(sp->player, samples, n) != SD_OK;
}

static void *speech_main(void *arg)
{
    speaker *sp = arg;
    bool cut = false;
    tts_speak(sp->tts, sp->speech_text, session_lang(sp->session), RATE, play_chunk, sp, &cut);
    atomic_store(&sp->speech_done, true);
    return NULL;
}

/* Waits for the answer being spoken (if any) to end, and accounts for it. */
static void join_speech(speaker *sp)
{
    if (!sp->speech_running)
        return;
    pthread_join(sp->speech, NULL);
    sp->speech_running = false;
    if (sp->stop_asked_ms > 0) {
        double ms = now_ms() - sp->stop_asked_ms;
        if (ms > sp->stats.barge_in_ms_max)
            sp->stats.barge_in_ms_max = ms;
        trace(sp, "barge-in stop", ms);
    }
    free(sp->speech_text);
    sp->speech_text = NULL;
}

static void account_latency(speaker *sp)
{
    if (sp->first_sample_ms == 0 || sp->speech_asked_ms == 0)
        return;
    double ms = sp->first_sample_ms - sp->speech_asked_ms;
    sp->stats.latency_ms_last = ms;
    sp->stats.latency_ms_sum += ms;
    sp->stats.latency_count++;
    if (ms > sp->stats.latency_ms_max)
        sp->stats.latency_ms_max = ms;
    trace(sp, "end of speech to first sample", ms);
    sp->speech_asked_ms = 0;
}

static sd_code start_speech(speaker *sp, const char *reply)
{
    strbuf text;
    strbuf_init(&text);
    voice_speech_text(reply, session_lang(sp->session), &text);
    sp->speech_text = strbuf_detach(&text);
    if (!sp->speech_text)
        return SD_ERR_NOMEM;
    sp->first_sample_ms = 0;
    sp->stop_asked_ms = 0;
    atomic_store(&sp->speech_done, false);
    audio_player_resume(sp->player);
    if (pthread_create(&sp->speech, NULL, speech_main, sp) != 0) {
        free(sp->speech_text);
        sp->speech_text = NULL;
        return SD_ERR_NOMEM;
    }
    sp->speech_running = true;
    sp->state = ST_SPEAKING;
    status(sp, "[speaking] %s", reply);
    return SD_OK;
}

/* ---- recordings ---- */

/* After a turn: a filing in progress keeps its audio, a filed complaint gets it written. */
static void track_recording(speaker *sp)
{
    if (!sp->recording)
        return;
    size_t n = 0;
    const int16_t *audio = asr_utterance_audio(recognizer_asr(sp->rec), &n);
    char path[1100], err[256] = "";
    if (complaint_recording_track(sp->recording, sp->session, audio, n, path, sizeof path, err,
                                  sizeof err) != SD_OK)
        status(sp, "[recording not saved] %s", err);
    else if (path[0]) {
        sp->stats.recordings++;
        status(sp, "[recorded] %s", path);
    }
}

/* ---- the loop ---- */

static sd_code listen(speaker *sp)
{
    asr_mode mode = session_expects(sp->session) == SESSION_EXPECTS_DETAIL ? ASR_FREE : ASR_COMMAND;
    asr *a = recognizer_asr(sp->rec);
    sd_code rc = asr_get_mode(a) == mode ? SD_OK : asr_set_mode(a, mode);
    if (rc == SD_OK)
        rc = asr_begin(a);
    if (sp->state != ST_SPEAKING)
        sp->state = ST_LISTEN;
    sp->listen_until = sp->heard + (unsigned long long)sp->cfg.listen_timeout_ms * RATE / 1000;
    return rc;
}

/* Nothing was recognised: a noise, or the end of the wake word, which the spotter can place a
 * syllable early ("서동|아"). Answering "I did not catch that" before the resident has spoken
 * is wrong, so the speaker listens on, within the same time-out. */
static sd_code keep_listening(speaker *sp)
{
    unsigned long long until = sp->listen_until;
    sd_code rc = listen(sp);
    sp->listen_until = until;
    status(sp, "[listening]", NULL);
    return rc;
}

static sd_code wait_for_wake(speaker *sp)
{
    asr *a = recognizer_asr(sp->rec);
    sd_code rc = asr_set_mode(a, ASR_WAKE);
    if (rc == SD_OK)
        rc = asr_begin(a);
    sp->state = ST_WAKE;
    sp->idle_since = sp->heard;
    status(sp, "[waiting for the wake word]", NULL);
    return rc;
}

static sd_code on_utterance_end(speaker *sp)
{
    double t0 = now_ms();
    asr_result res;
    sd_code rc = asr_finish(recognizer_asr(sp->rec), &res);
    if (rc != SD_OK)
        return rc;
    double t1 = now_ms();
    sp->stats.recognise_s += (t1 - t0) / 1e3;
    trace(sp, "recognition", t1 - t0);
    strbuf heard; /* a resident may read out a number: the status line keeps it masked */
    strbuf_init(&heard);
    pii_redact(res.text, strlen(res.text), &heard);
    strbuf_printf(&heard, " (%.2f)", res.confidence);
    status(sp, "[heard] %s", heard.failed ? "" : strbuf_str(&heard));
    strbuf_free(&heard);
    if (!res.text[0] && sp->state == ST_LISTEN)
        return keep_listening(sp);
    join_speech(sp); /* a barge-in: the interrupted answer has stopped by now */
    account_latency(sp);
    strbuf reply;
    strbuf_init(&reply);
    sd_code turn_rc;
    const char *lang = voice_heard_lang(sp->cfg.lang, res.text, session_lang(sp->session));
    voice_outcome o =
        voice_turn(sp->session, res.text, res.confidence, res.seconds, lang, &reply, &turn_rc);
    sp->stats.asked_again += o == VOICE_ASK_AGAIN;
    if (o == VOICE_ACTED)
        track_recording(sp);
    trace(sp, "dialogue", now_ms() - t1);
    sp->speech_asked_ms = t0;
    rc = start_speech(sp, strbuf_str(&reply));
    strbuf_free(&reply);
    sp->stats.turns++;
    if (rc == SD_OK)
        rc = listen(sp); /* hears a barge-in, then the follow-up */
    return rc;
}

static void on_speech_start(speaker *sp)
{
    if (sp->state == ST_SPEAKING && sp->speech_running && !atomic_load(&sp->speech_done) &&
        !sp->cfg.no_barge_in) {
        sp->stop_asked_ms = now_ms();
        audio_player_stop(sp->player);
        sp->stats.barge_ins++;
        status(sp, "[barge-in]", NULL);
    } else {
        status(sp, "[listening]", NULL);
    }
}

/* Feeds one chunk of microphone audio, acting on what the recogniser reports. */
static sd_code feed(speaker *sp, const int16_t *pcm, size_t n)
{
    asr *a = recognizer_asr(sp->rec);
    while (n > 0) {
        asr_event ev;
        double t0 = now_ms();
        sd_code rc = asr_feed(a, pcm, n, &ev);
        sp->stats.recognise_s += (now_ms() - t0) / 1e3;
        if (rc != SD_OK)
            return rc;
        pcm += ev.used;
        n -= ev.used;
        if (ev.wake) {
            sp->stats.wakes++;
            status(sp, "[awake]", NULL);
            rc = listen(sp);
        } else if (ev.speech_started && sp->state != ST_WAKE) {
            on_speech_start(sp);
        }
        if (rc == SD_OK && ev.speech_ended && sp->state != ST_WAKE)
            rc = on_utterance_end(sp);
        if (rc != SD_OK)
            return rc;
        if (ev.used == 0 && !ev.wake && !ev.speech_ended)
            break;
    }
    return SD_OK;
}

/* Time-outs and the end of an answer, checked once per chunk. */
static sd_code tick(speaker *sp, bool *finished)
{
    if (sp->state == ST_SPEAKING && atomic_load(&sp->speech_done)) {
        join_speech(sp);
        account_latency(sp);
        sp->state = ST_LISTEN;
        sp->listen_until = sp->heard + (unsigned long long)sp->cfg.listen_timeout_ms * RATE / 1000;
        if (sp->cfg.max_turns && sp->stats.turns >= sp->cfg.max_turns) {
            *finished = true;
            return SD_OK;
        }
    }
    if (sp->state == ST_LISTEN && sp->heard > sp->listen_until)
        return wait_for_wake(sp);
    if (sp->state == ST_WAKE && sp->cfg.idle_exit_ms &&
        sp->heard - sp->idle_since > (unsigned long long)sp->cfg.idle_exit_ms * RATE / 1000)
        *finished = true;
    return SD_OK;
}

sd_code speaker_run(speaker *sp, const atomic_bool *stop, char *err, size_t errlen)
{
    sd_code rc = wait_for_wake(sp);
    bool finished = false;
    int16_t buf[CHUNK];
    int starved_ms = 0;
    while (rc == SD_OK && !finished && !atomic_load(stop)) {
        size_t got = 0;
        rc = audio_capture_read(sp->mic, buf, CHUNK, 200, &got);
        starved_ms = got ? 0 : starved_ms + 200;
        if (rc == SD_OK && starved_ms >= MIC_SILENT_MS)
            rc = SD_ERR_IO;
        if (rc != SD_OK) {
            snprintf(err, errlen,
                     "the microphone stopped delivering sound (unplugged?); check it with "
                     "seodong devices and start the speaker again");
            break;
        }
        sp->heard += got;
        rc = feed(sp, buf, got);
        if (rc == SD_OK)
            rc = tick(sp, &finished);
    }
    if (rc != SD_OK && !*err)
        snprintf(err, errlen, "recognition failed: %s", sd_strerror(rc));
    join_speech(sp);
    account_latency(sp);
    return rc;
}

/* ---- set-up ---- */

void speaker_stats_get(const speaker *sp, speaker_stats *out)
{
    *out = sp->stats;
    out->audio_s = (double)sp->heard / RATE;
    out->overflows = audio_capture_overflows(sp->mic);
}

void speaker_close(speaker *sp)
{
    if (!sp)
        return;
    join_speech(sp);
    audio_capture_close(sp->mic);
    audio_player_close(sp->player);
    tts_close(sp->tts);
    recognizer_close(sp->rec);
    session_free(sp->session);
    complaint_recording_free(sp->recording);
    free(sp);
}

static sd_code open_parts(speaker *sp, char *err, size_t errlen)
{
    asr_config acfg = {.wake_phrase = sp->cfg.wake_phrase,
                       .wake_threshold = sp->cfg.wake_threshold,
                       .verbose = sp->cfg.verbose};
    sd_code rc = recognizer_open(sp->e, sp->cfg.lang, &acfg, &sp->rec, err, errlen);
    if (rc == SD_OK)
        rc = tts_open(&sp->cfg.voice, &sp->tts, err, errlen);
    if (rc == SD_OK && sp->cfg.recordings)
        rc = complaint_recording_new(sp->cfg.recordings, RATE, &sp->recording);
    audio_config in = {.device = sp->cfg.input_device,
                       .rate = RATE,
                       .buffer_s = MIC_BUFFER_S,
                       .frames_per_buffer = CHUNK};
    audio_config out = {.device = sp->cfg.output_device, .rate = RATE, .frames_per_buffer = CHUNK};
    if (rc == SD_OK)
        rc = audio_player_open(&out, &sp->player, err, errlen);
    if (rc == SD_OK)
        rc = audio_capture_open(&in, &sp->mic, err, errlen);
    return rc;
}

sd_code speaker_open(engine *e, const speaker_config *cfg, speaker **out, char *err, size_t errlen)
{
    *out = NULL;
    speaker *sp = calloc(1, sizeof *sp);
    if (!sp)
        return SD_ERR_NOMEM;
    sp->e = e;
    sp->cfg = *cfg;
    if (!sp->cfg.lang)
        sp->cfg.lang = "en";
    if (sp->cfg.listen_timeout_ms <= 0)
        sp->cfg.listen_timeout_ms = DEFAULT_LISTEN_TIMEOUT_MS;
    atomic_init(&sp->speech_done, true);
    sp->session = session_new(e, "speaker", voice_session_lang(sp->cfg.lang));
    sd_code rc = sp->session ? open_parts(sp, err, errlen) : SD_ERR_NOMEM;
    if (rc != SD_OK) {
        speaker_close(sp);
        return rc;
    }
    *out = sp;
    return SD_OK;
}

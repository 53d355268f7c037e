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
 * On a wake the speaker plays its acknowledgement (audio/wake-16k.wav, cue.h) on the speech
 * thread and hears the command meanwhile. A loudspeaker without echo cancelling is heard by its
 * own microphone, so while the cue plays, and for the loudspeaker's latency and the room's echo
 * after, the recogniser is given silence instead of the microphone: the cue alone can never be
 * taken for speech, begin an utterance or be answered. What the microphone heard meanwhile is
 * held, with the words heard after the wake phrase, until 200 ms after the cue: when speech
 * begins by then, the resident was talking over the cue (or said it all in one breath, "hey
 * seodong what time is it"), and the utterance starts again from the wake with everything held,
 * so that no word is lost to the cue.
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
#include "cue.h"
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
/* After the wake acknowledgement and the loudspeaker's latency, the room's echo of it (a soft
 * tone with a 50 ms fade) is still heard this long. */
#define CUE_ECHO_MS 50
/* The recogniser's voice activity detector tells speech about 110 ms after it began (measured on
 * tests/test_speaker.sh's recordings): speech it tells this long after the cue began under it. */
#define CUE_WATCH_MS 200
/* Audio held after a wake: the words carried past the wake phrase (at most 0.5 s), the cue's
 * time and the watch after it. */
#define HELD_MAX (2 * RATE)
/* The room's sound heard instead of the cue: the last of the audio before the wake was reported,
 * which the spotter does at least 300 ms after the phrase ends, so none of the phrase is in it. */
#define ROOM_MS 100

typedef enum { ST_WAKE, ST_LISTEN, ST_SPEAKING } speaker_state;

struct speaker {
    engine *e;
    speaker_config cfg;
    session *session;
    recognizer *rec;
    tts *tts;
    audio_capture *mic;
    audio_player *player;
    cue *wake_cue;
    speaker_state state;
    unsigned long long heard; /* microphone samples so far */
    unsigned long long listen_until;
    unsigned long long idle_since;
    unsigned long long deaf_until;  /* microphone samples before this hear the wake cue */
    unsigned long long watch_until; /* speech told before this began under the cue */
    size_t nheld;
    int16_t held[HELD_MAX]; /* the utterance's audio since the wake, the cue's time included */
    const int16_t *room;    /* the room just before the wake (in held), heard in the cue's place */
    size_t nroom;
    /* the speech thread */
    pthread_t speech;
    bool speech_running;
    atomic_bool speech_done;
    char *speech_text;              /* NULL: the speech thread plays the wake cue */
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
    if (sp->speech_text) {
        tts_speak(sp->tts, sp->speech_text, session_lang(sp->session), RATE, play_chunk, sp, &cut);
    } else {
        size_t n;
        const int16_t *samples = cue_samples(sp->wake_cue, &n);
        audio_player_write(sp->player, samples, n);
    }
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

/* Starts the speech thread on sp->speech_text (or the wake cue). */
static sd_code start_playing(speaker *sp)
{
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
    return SD_OK;
}

static sd_code start_speech(speaker *sp, const char *reply)
{
    strbuf text;
    strbuf_init(&text);
    voice_speech_text(reply, session_lang(sp->session), &text);
    sp->speech_text = strbuf_detach(&text);
    if (!sp->speech_text)
        return SD_ERR_NOMEM;
    sd_code rc = start_playing(sp);
    if (rc != SD_OK)
        return rc;
    sp->state = ST_SPEAKING;
    status(sp, "[speaking] %s", reply);
    return SD_OK;
}

/* ---- the wake acknowledgement ---- */

/* Keeps audio of the utterance begun at the wake; false once there is no room (then the
 * utterance is not started again, see the top of the file). */
static bool hold(speaker *sp, const int16_t *pcm, size_t n)
{
    if (n > HELD_MAX - sp->nheld) {
        sp->watch_until = 0;
        return false;
    }
    memcpy(sp->held + sp->nheld, pcm, n * sizeof *pcm);
    sp->nheld += n;
    return true;
}

/* After a wake heard at microphone sample at, with the utterance begun: the cue plays, and the
 * microphone is held from here (see the top of the file). */
static sd_code acknowledge_wake(speaker *sp, unsigned long long at)
{
    join_speech(sp); /* an earlier cue, long over */
    sd_code rc = start_playing(sp);
    if (rc != SD_OK)
        return rc;
    size_t n, carried;
    cue_samples(sp->wake_cue, &n);
    unsigned long long deaf = n + (unsigned long long)(audio_player_latency(sp->player) * RATE) +
                              CUE_ECHO_MS * RATE / 1000;
    sp->deaf_until = at + deaf;
    sp->watch_until = sp->deaf_until + CUE_WATCH_MS * RATE / 1000;
    const int16_t *words = asr_utterance_audio(recognizer_asr(sp->rec), &carried);
    sp->nheld = 0;
    hold(sp, words, carried);
    sp->nroom = sp->nheld < ROOM_MS * RATE / 1000 ? sp->nheld : ROOM_MS * RATE / 1000;
    sp->room = sp->held + sp->nheld - sp->nroom;
    if (sp->cfg.verbose && sp->cfg.status)
        fprintf(sp->cfg.status, "  [wake cue: microphone samples %llu to %llu not heard]\n", at,
                sp->deaf_until);
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

/* Acts on what the recogniser reported; at is the microphone sample it had reached. */
static sd_code on_event(speaker *sp, const asr_event *ev, unsigned long long at)
{
    sd_code rc = SD_OK;
    if (ev->wake) {
        sp->stats.wakes++;
        status(sp, "[awake]", NULL);
        rc = listen(sp);
        if (rc == SD_OK)
            rc = acknowledge_wake(sp, at);
    } else if (ev->speech_started && sp->state != ST_WAKE) {
        on_speech_start(sp);
    }
    if (rc == SD_OK && ev->speech_ended && sp->state != ST_WAKE) {
        sp->watch_until = 0;
        rc = on_utterance_end(sp);
    }
    return rc;
}

/* Gives pcm[0..n), which ends at microphone sample end, to the recogniser and acts on what it
 * reports. kept is what the microphone heard over those samples (pcm itself, or what the silence
 * given while a wake cue plays stands for; NULL: nothing to keep): within the watch after a cue
 * it is held, and speech begun there starts the utterance again with all that was held. */
static sd_code hear(speaker *sp, const int16_t *pcm, const int16_t *kept, size_t n,
                    unsigned long long end)
{
    asr *a = recognizer_asr(sp->rec);
    while (n > 0) {
        asr_event ev;
        double t0 = now_ms();
        sd_code rc = asr_feed(a, pcm, n, &ev);
        sp->stats.recognise_s += (now_ms() - t0) / 1e3;
        if (rc != SD_OK)
            return rc;
        bool watching = kept && end - n < sp->watch_until && hold(sp, kept, ev.used);
        pcm += ev.used;
        kept = kept ? kept + ev.used : NULL;
        n -= ev.used;
        if (watching && ev.speech_started && !ev.speech_ended) {
            /* Talking over the cue: from here the recogniser hears all the microphone does. */
            sp->watch_until = sp->deaf_until = 0;
            trace(sp, "talking over the wake cue; heard again from the wake:",
                  (double)sp->nheld * 1000 / RATE);
            rc = asr_begin(a);
            if (rc == SD_OK)
                rc = hear(sp, sp->held, NULL, sp->nheld, end - n);
        } else {
            rc = on_event(sp, &ev, end - n);
        }
        if (rc != SD_OK)
            return rc;
        if (ev.used == 0 && !ev.wake && !ev.speech_ended)
            break;
    }
    return SD_OK;
}

/* Feeds one chunk of microphone audio (at most CHUNK samples), the last of sp->heard. While a
 * wake cue plays the recogniser hears the room as it was just before the wake instead (over and
 * over, or silence when nothing was kept): the same time passes for it, the same noise, and no
 * cue. The chunk stays one piece, so that the recogniser's blocks fall where they would without
 * a cue (its confidence moves with them). */
static sd_code feed(speaker *sp, const int16_t *pcm, size_t n)
{
    unsigned long long at = sp->heard - n;
    if (at >= sp->deaf_until || n > CHUNK)
        return hear(sp, pcm, pcm, n, sp->heard);
    int16_t given[CHUNK];
    size_t instead = sp->deaf_until - at < n ? (size_t)(sp->deaf_until - at) : n;
    for (size_t i = 0; i < instead; i++)
        given[i] = sp->nroom ? sp->room[(at + i) % sp->nroom] : 0;
    memcpy(given + instead, pcm + instead, (n - instead) * sizeof *given);
    return hear(sp, given, pcm, n, sp->heard);
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
    cue_free(sp->wake_cue);
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
    /* The cue first: a missing file is told at once, before the models take a second to load. */
    sd_code rc = cue_load(engine_data_dir(sp->e), CUE_WAKE, RATE, &sp->wake_cue, err, errlen);
    if (rc == SD_OK)
        rc = recognizer_open(sp->e, sp->cfg.lang, &acfg, &sp->rec, err, errlen);
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

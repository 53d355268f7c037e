/* speaker.h - the community-centre smart speaker: always listening for the wake word, then one
 * conversation with the engine by voice, answers spoken back, barge-in.
 *
 * The loop runs on the calling thread and reads the microphone without pause; answers are
 * synthesised and played on a second thread, so the microphone is still heard while Seodong
 * talks and a resident can interrupt. Everything else is the engine's: the speaker only turns
 * audio into text (asr.h) and text into audio (tts.h), with the policy of voice.h between. */
#ifndef SEODONG_SPEAKER_H
#define SEODONG_SPEAKER_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "engine.h"
#include "sd_error.h"
#include "tts.h"

typedef struct {
    const char *lang;        /* "en" (Korean voice input is not built yet) */
    int input_device;        /* PortAudio device, -1 = default */
    int output_device;       /* PortAudio device, -1 = default */
    tts_config voice;        /* rate, pitch, volume of the answers */
    const char *wake_phrase; /* NULL = "hey seodong" */
    double wake_threshold;   /* 0 = the recogniser's default */
    const char *recordings;  /* folder for the recordings of filed complaints; NULL = none */
    int listen_timeout_ms;   /* silence after which a follow-up is not awaited; 0 = 8000 */
    int max_turns;           /* stop after this many answers; 0 = run until stopped */
    int idle_exit_ms;        /* stop after this much audio without a wake word; 0 = never */
    bool no_barge_in;        /* keep talking when the resident speaks */
    bool verbose;            /* timings of each stage on the status stream */
    FILE *status;            /* status lines (listening / heard / thinking / speaking); NULL */
} speaker_config;

typedef struct {
    int wakes, turns, asked_again, barge_ins, recordings;
    unsigned long long overflows; /* microphone samples dropped */
    double audio_s;               /* microphone audio heard */
    double recognise_s;           /* time spent recognising it */
    double latency_ms_last;       /* end of speech to first answer sample handed to the device */
    double latency_ms_max;
    double latency_ms_sum; /* over the latency_count turns whose answer began to play */
    int latency_count;
    double barge_in_ms_max; /* speech detected to playback stopped */
} speaker_stats;

typedef struct speaker speaker;

/* Loads the wake acknowledgement (audio/wake-16k.wav of the engine's data folder, cue.h), the
 * recogniser (grammar compiled from the engine's grammars/, the en-us models), the synthesiser
 * and the audio devices. Returns SD_OK, SD_ERR_INVALID (a setting, a device), SD_ERR_IO (a
 * model, device or sound file failed), SD_ERR_PARSE or SD_ERR_TOO_LONG (a broken, silent or
 * long sound file), SD_ERR_BUSY (another synthesiser in this process) or SD_ERR_NOMEM; err says
 * which and what to do. */
sd_code speaker_open(engine *e, const speaker_config *cfg, speaker **out, char *err, size_t errlen);

/* Runs until *stop is set, max_turns answers were spoken, or idle_exit_ms passed. Returns SD_OK,
 * or SD_ERR_IO when the microphone stopped, or delivered nothing for 5 s (a device unplugged, a
 * driver that hangs: err says so). */
sd_code speaker_run(speaker *sp, const atomic_bool *stop, char *err, size_t errlen);

void speaker_stats_get(const speaker *sp, speaker_stats *out);
void speaker_close(speaker *sp);

#endif

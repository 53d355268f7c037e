/* ivr.h - the phone line: Seodong's side of SIP calls from the office's PBX or SIP trunk
 * (libre: SIP sessions, SDP offer/answer, RTP, RFC 4733 telephone-events).
 *
 * Every call gets its own thread and dialogue session (ivr_call.h); all SIP and RTP stays on
 * the one network thread that runs ivr_run. Audio goes out in 20 ms RTP packets paced by one
 * timer for all calls; a call over capacity is refused with 486 Busy Here rather than let
 * every call degrade, an offer without a codec we speak with 488. Speech recognition costs
 * about 34 MB per recogniser (one decoder, scripts/bench_ivr.sh), so only asr_calls calls hear
 * speech at once (recognizer_pool.h); the others are served by keypad. */
#ifndef SEODONG_IVR_H
#define SEODONG_IVR_H

#include <stddef.h>

#include "engine.h"
#include "sd_error.h"
#include "tts.h"

typedef struct ivr ivr;

typedef struct {
    const char *listen;   /* "IP:PORT" for SIP over UDP */
    const char *transfer; /* extension or SIP URI for callers who ask for a person */
    const char *lang;     /* "ko" or "en": the language calls start in */
    int max_calls;
    int asr_calls;          /* calls that get speech recognition at once (0: keypad only) */
    const char *recordings; /* folder for recordings of filed complaints; NULL = none */
    int rtp_timeout_s;
    int no_input_s;
} ivr_config;

/* Listens for calls, with one recogniser built when asr_calls > 0 and the listening cue and hold
 * tone read from audio/ of the engine's data folder (cue.h). Returns SD_OK, SD_ERR_INVALID (a
 * setting; err says which), SD_ERR_NET (the address cannot be bound), what cue_load returns (a
 * sound file missing or broken) or what recognizer_open returns (models missing). e and t must
 * outlive the ivr. One ivr per process. */
sd_code ivr_open(engine *e, tts *t, const ivr_config *cfg, ivr **out, char *err, size_t errlen);

/* Serves calls until SIGINT or SIGTERM. Returns SD_OK or SD_ERR_NET. */
sd_code ivr_run(ivr *v);

typedef struct {
    unsigned long calls, busy, no_codec; /* answered; refused with 486; refused with 488 */
    unsigned long frames, late_frames;   /* RTP packets sent; sent more than 20 ms late */
    unsigned long held_frames;           /* 20 ms frames not sent: the caller held the call */
    double max_late_ms;
    unsigned long strangers, bad_packets; /* RTP from an unknown address; undecodable RTP */
} ivr_stats;

void ivr_get_stats(const ivr *v, ivr_stats *out);

/* Ends the calls still up, waits for their threads, closes the sockets. */
void ivr_close(ivr *v);

#endif

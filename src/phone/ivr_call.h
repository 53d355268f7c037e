/* ivr_call.h - the call's own thread: one per phone call, so that one slow call (a long
 * synthesis, a busy database, recognition) never delays the audio of another. It runs the
 * call's menu and dialogue session (ivr_menu.h), speaks with the process's one synthesiser into
 * the call's play-out queue, with the listening cue after a prompt that asks the caller to speak
 * and the hold tone while a transfer is taken up (audio/), keeps time for "no input", and writes
 * the call record.
 *
 * The network thread (ivr.c) talks to it only through these functions: keys and audio in, the
 * next frame to send out, stop. What the call thread asks of the network (transfer, hang up) it
 * asks through the request callback, which must be safe to call from any thread. */
#ifndef SEODONG_IVR_CALL_H
#define SEODONG_IVR_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "cue.h"
#include "engine.h"
#include "ivr_menu.h"
#include "recognizer_pool.h"
#include "media.h"
#include "tts.h"

typedef struct ivr_call ivr_call;

typedef struct {
    engine *e;
    tts *t;                 /* shared by all calls: tts_speak serialises them */
    recognizer_pool *pool;  /* recognisers to borrow; NULL = keypad only */
    const char *recordings; /* folder for the recordings of filed complaints; NULL = none */
    const char *lang;
    media_codec codec;
    const char *caller; /* caller ID digits, "" when withheld */
    int no_input_s;
    const cue *listen; /* at the codec's rate: after a prompt that asks the caller to speak */
    const cue *hold;   /* at the codec's rate: over and over while a transfer is taken up */
    unsigned id;       /* the network thread's number for this call, in requests and logs */
    /* Called from the call thread once what was said before an IVR_TRANSFER or IVR_HANGUP has
     * been played out. */
    void (*request)(void *ctx, unsigned id, ivr_action a);
    /* Called by the call thread as its very last step. */
    void (*finished)(void *ctx);
    void *ctx;
} ivr_call_config;

/* Starts the call's thread. Returns SD_OK, SD_ERR_NOMEM, or SD_ERR_IO (no thread). */
sd_code ivr_call_start(const ivr_call_config *cfg, ivr_call **out);

/* A key the caller pressed: it stops the prompt at once (barge-in) and is queued. */
void ivr_call_key(ivr_call *c, char key);

/* The next n samples to send (silence when nothing is being said); they are also kept as the
 * echo canceller's reference. */
void ivr_call_next_frame(ivr_call *c, int16_t *out, size_t n);

/* n samples the caller sent, decoded, at the codec's rate: queued for the call's thread,
 * dropped when it is too far behind. */
void ivr_call_audio(ivr_call *c, const int16_t *pcm, size_t n);

/* The call is over (reason: "hangup", "timeout", "transfer", ...): the thread writes the
 * record and ends by itself. c must not be used afterwards. */
void ivr_call_stop(ivr_call *c, const char *reason);

#endif

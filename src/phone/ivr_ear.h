/* ivr_ear.h - what a phone call hears: the caller's audio, 20 ms at a time, with the prompt's
 * own echo cancelled, a speech detector for barge-in, and a recogniser fed at 16 kHz.
 *
 * Echo: a phone line returns part of what Seodong says (the far handset, a hybrid in the
 * network). speexdsp's echo canceller (MDF, 256 ms tail) subtracts what was being played; then a
 * level gate counts a frame as speech only when it is above VOICED_DB and not more than
 * ECHO_LOSS_DB below the loudest frame played in the last 300 ms, so residual echo does not
 * count as the caller. Speech is confirmed after 200 ms of such frames: that is a barge-in while
 * a prompt plays, and an utterance the recogniser returns without it (echo, a cough, a click)
 * is dropped.
 *
 * Narrowband calls (G.711, 8 kHz) are upsampled to 16 kHz with libsamplerate for the 16 kHz
 * model (audiofile.h). An ear belongs to one call's thread. */
#ifndef SEODONG_IVR_EAR_H
#define SEODONG_IVR_EAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asr.h"
#include "recognizer.h"

typedef struct ivr_ear ivr_ear;

/* An ear for audio at rate (8000 or 16000 Hz) feeding rec (borrowed, not closed by the ear).
 * Returns SD_OK, SD_ERR_INVALID (rate), SD_ERR_NOMEM. */
sd_code ivr_ear_new(int rate, recognizer *rec, ivr_ear **out);
void ivr_ear_free(ivr_ear *e);

/* Samples in a frame: 20 ms at the ear's rate. */
size_t ivr_ear_frame_samples(const ivr_ear *e);

/* Starts listening for an utterance in mode (ASR_COMMAND, or ASR_FREE for a complaint's
 * details). Returns SD_OK or what asr_set_mode / asr_begin return. */
sd_code ivr_ear_listen(ivr_ear *e, asr_mode mode);

typedef struct {
    bool speech;    /* speech was just confirmed (200 ms): stop the prompt */
    bool talking;   /* the caller is speaking now (for the no-input timer) */
    bool utterance; /* an utterance ended: ivr_ear_result, then ivr_ear_listen */
} ivr_ear_event;

/* Feeds one frame the caller sent (mic) and the frame Seodong sent at about the same time
 * (played; silence when nothing plays). Returns SD_OK or what asr_feed returns. */
sd_code ivr_ear_frame(ivr_ear *e, const int16_t *mic, const int16_t *played, ivr_ear_event *ev);

/* Whether the utterance that ended had its speech confirmed. One that did not (echo, noise: see
 * the top of this file) is not worth recognising: listen again instead. */
bool ivr_ear_confirmed(const ivr_ear *e);

/* Recognises the utterance that ended. Returns SD_OK or what asr_finish returns. */
sd_code ivr_ear_result(ivr_ear *e, asr_result *res);

/* The audio of the last utterance at 16 kHz (a filed complaint keeps it); valid until the next
 * ivr_ear_listen. */
const int16_t *ivr_ear_utterance(ivr_ear *e, size_t *n);

/* Seconds of audio heard, and seconds of this thread's CPU spent hearing it. */
void ivr_ear_load(const ivr_ear *e, double *audio_s, double *cpu_s);

#endif

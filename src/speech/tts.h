/* tts.h - speech synthesis with eSpeak NG: Korean or English text to 16-bit mono samples at the
 * rate a channel needs (16000 Hz for the speaker, 8000 Hz for the phone line).
 *
 * eSpeak NG renders at 22050 Hz, about 50 ms at a time. Each piece is converted to the caller's
 * rate and handed to a callback as soon as it is made, so playback can start long before the
 * whole answer is rendered; the callback can stop synthesis (barge-in: the resident starts to
 * speak).
 *
 * eSpeak NG keeps its voice, parameters and buffers in process-global variables. So a process
 * has at most one tts object at a time, calls on it are serialised by a lock, and the speaker
 * and the phone line share one synthesis thread. The library is started by the first tts_open
 * and stays started until the process ends: eSpeak NG 1.51 hangs in espeak_ng_Terminate() once
 * it has been started a second time. */
#ifndef SEODONG_TTS_H
#define SEODONG_TTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"

typedef struct tts tts;

typedef struct {
    const char *data_path; /* folder holding eSpeak NG's data (phontab, voices/, *_dict), or
                            * one holding espeak-ng-data/; NULL = the installed data */
    int words_per_minute;  /* 80..450 */
    int pitch;             /* 0..100; 50 is the voice's own pitch */
    int volume;            /* 0..200; 100 is normal */
} tts_config;

/* The installed data, 175 words per minute, pitch 50, volume 100. */
tts_config tts_config_default(void);

/* Starts synthesis with cfg (NULL = tts_config_default()) and checks that the Korean and English
 * voices are there. Returns SD_OK; SD_ERR_INVALID (a setting out of range, or a data_path other
 * than the one the library was first started with); SD_ERR_IO (data_path holds no eSpeak NG
 * data, or the library cannot start); SD_ERR_NOT_FOUND (a voice is missing); SD_ERR_BUSY
 * (another tts object is open in this process); SD_ERR_NOMEM. err says which. */
sd_code tts_open(const tts_config *cfg, tts **out, char *err, size_t errlen);
void tts_close(tts *t);

/* Receives the next n samples (valid only during the call). Return 0 to go on, non-zero to stop
 * synthesis. It runs under the synthesis lock: it must not call tts functions. */
typedef int (*tts_chunk_fn)(void *ctx, const int16_t *samples, size_t n);

/* Speaks text (UTF-8) with the voice for lang ("ko" or "en"), giving 16-bit mono samples at
 * out_rate to fn in order, as they are made. Empty text gives no audio. *interrupted (may be
 * NULL) is set when fn stopped synthesis; tts_speak then returns SD_OK at once, without the rest
 * of the audio. Returns SD_OK; SD_ERR_UTF8; SD_ERR_INVALID (lang, out_rate); SD_ERR_NOMEM;
 * SD_ERR_IO (eSpeak NG failed). */
sd_code tts_speak(tts *t, const char *text, const char *lang, int out_rate, tts_chunk_fn fn,
                  void *ctx, bool *interrupted);

/* Speaks text into a 16-bit mono WAV file at out_rate (for `seodong say -o FILE.wav`). Returns
 * as tts_speak, or SD_ERR_IO when the file cannot be written (err says why; no file is left). */
sd_code tts_speak_to_wav(tts *t, const char *text, const char *lang, int out_rate, const char *path,
                         char *err, size_t errlen);

#endif

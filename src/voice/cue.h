/* cue.h - the short sounds Seodong plays besides speech: the speaker's wake acknowledgement, and
 * the phone line's listening cue ("speak after the tone") and hold tone (a caller waiting for a
 * person). Each is a WAV file in audio/ of the data folder (--data), one per sound and rate:
 * NAME-16k.wav for the 16 kHz paths (the speaker, G.722 calls), NAME-8k.wav for G.711 calls.
 * audio/make_cues.sh makes them (audio/README.md); an office may put its own sounds there, and
 * a file at another rate or in another format is converted.
 *
 * A cue is read whole when the program starts, so that a missing, broken or silent file stops
 * it then with a message saying which file and what to do, never a call or a wake halfway. */
#ifndef SEODONG_CUE_H
#define SEODONG_CUE_H

#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"

typedef enum { CUE_WAKE, CUE_LISTEN, CUE_HOLD } cue_kind;

typedef struct cue cue;

/* Reads the sound of kind for a path at rate Hz (8000 or 16000) from data_dir/audio/. Returns
 * SD_OK; SD_ERR_IO (missing or unreadable), SD_ERR_PARSE (not audio, cut short, or silent),
 * SD_ERR_TOO_LONG (longer than 2 s, or 30 s for the hold tone, which plays over and over),
 * SD_ERR_INVALID (another rate) or SD_ERR_NOMEM. */
sd_code cue_load(const char *data_dir, cue_kind kind, int rate, cue **out, char *err,
                 size_t errlen);

/* The samples, 16-bit mono at the rate loaded; *n of them, never 0. */
const int16_t *cue_samples(const cue *c, size_t *n);

void cue_free(cue *c);

#endif

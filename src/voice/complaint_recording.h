/* complaint_recording.h - the recording kept with a filed complaint, for every voice channel
 * (the speaker, the phone line): the turns a resident spoke while a complaint was being filed,
 * one after another with a short silence between them, written to DIR/RECEIPT.wav once the
 * dialogue files it, for staff to listen to (Korean details are not transcribed, see voice.h).
 *
 * A channel hands over each spoken turn after the dialogue has taken it; turns outside a filing
 * are dropped. One recording belongs to one channel and one thread. */
#ifndef SEODONG_COMPLAINT_RECORDING_H
#define SEODONG_COMPLAINT_RECORDING_H

#include <stddef.h>
#include <stdint.h>

#include "session.h"

typedef struct complaint_recording complaint_recording;

/* A recording of audio at rate Hz, written under dir (created when needed). Returns SD_OK,
 * SD_ERR_INVALID (rate), SD_ERR_NOMEM. */
sd_code complaint_recording_new(const char *dir, int rate, complaint_recording **out);
void complaint_recording_free(complaint_recording *r);

/* After a turn of session s (audio[0..n) is what was said; n may be 0 for a key press): keeps
 * the audio while a complaint is being filed, and writes the recording when the turn filed it.
 * saved (size bytes) gets the file's path when one was written, else "". Returns SD_OK, or
 * SD_ERR_IO / SD_ERR_NOMEM when the recording could not be kept or written (err says why; the
 * complaint itself stands). */
sd_code complaint_recording_track(complaint_recording *r, session *s, const int16_t *audio,
                                  size_t n, char *saved, size_t size, char *err, size_t errlen);

#endif

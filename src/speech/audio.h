/* audio.h - sound devices through PortAudio: a capture stream feeding a lock-free ring buffer,
 * and a playback stream that can be cut short (barge-in). 16-bit mono at the caller's rate.
 *
 * Each object holds one PortAudio stream and its own reference on the library
 * (Pa_Initialize/Pa_Terminate nest), so a speaker and a test can open them independently. A
 * capture is read by one thread; a player is written by one thread and may be stopped from
 * another. */
#ifndef SEODONG_AUDIO_H
#define SEODONG_AUDIO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"
#include "strbuf.h"

/* Appends one line per device to out: "N: name (in X ch, out Y ch, default rate R Hz)",
 * the default input and output marked. Returns SD_OK or SD_ERR_IO (err says why). */
sd_code audio_list_devices(strbuf *out, char *err, size_t errlen);

typedef struct {
    int device;            /* PortAudio device index; -1 = the default device */
    int rate;              /* samples per second, e.g. 16000 */
    double buffer_s;       /* capture: seconds of audio the ring buffer holds (default 8) */
    int frames_per_buffer; /* frames per callback or write, 0 = 320 (20 ms at 16 kHz) */
} audio_config;

typedef struct audio_capture audio_capture;

/* Opens and starts capturing from cfg->device. Returns SD_OK, SD_ERR_INVALID (no such device,
 * or it has no input) or SD_ERR_IO (PortAudio refused; err says why). */
sd_code audio_capture_open(const audio_config *cfg, audio_capture **out, char *err, size_t errlen);

/* Reads up to max samples, waiting at most timeout_ms for the first one; *got may be 0 after a
 * time-out. Returns SD_OK, or SD_ERR_IO when the stream has stopped (device gone). */
sd_code audio_capture_read(audio_capture *c, int16_t *buf, size_t max, int timeout_ms, size_t *got);

/* Samples the device delivered while the ring buffer was full (dropped, oldest kept). */
uint64_t audio_capture_overflows(const audio_capture *c);

void audio_capture_close(audio_capture *c);

typedef struct audio_player audio_player;

/* Opens a playback stream on cfg->device (output). Same return codes as audio_capture_open. */
sd_code audio_player_open(const audio_config *cfg, audio_player **out, char *err, size_t errlen);

/* Plays n samples, blocking until the device has taken them, in chunks of frames_per_buffer
 * so that audio_player_stop takes effect within one chunk. Returns SD_OK, SD_ERR_INVALID when
 * stopped (the rest is dropped), or SD_ERR_IO when the device failed. */
sd_code audio_player_write(audio_player *p, const int16_t *samples, size_t n);

/* Seconds between a sample written and its sound leaving the device, as PortAudio reports it. */
double audio_player_latency(const audio_player *p);

/* From any thread: makes the current and later writes return at once until resumed. */
void audio_player_stop(audio_player *p);
void audio_player_resume(audio_player *p);
bool audio_player_stopped(const audio_player *p);

void audio_player_close(audio_player *p);

#endif

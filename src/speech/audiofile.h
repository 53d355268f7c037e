/* audiofile.h - audio in and out of files, and sample-rate conversion for live streams.
 *
 * Everything Seodong hears or says is 16-bit mono at the rate of its path: 16000 Hz for the
 * speaker and the recogniser, 8000 Hz for the phone line. The reader turns any file libsndfile
 * knows (WAV, FLAC, Ogg, MP3, AIFF, ...; 8-, 16-, 24-, 32-bit or float; any channel count and
 * rate) into that, a chunk at a time, so a two-hour recording never sits in memory. Channels
 * are averaged; rates are converted with libsamplerate. Headerless .raw files (16-bit
 * little-endian mono, as pocketsphinx's test data) are read at a rate the caller gives.
 *
 * A file whose header promises more audio than the file holds (a copy or upload cut off) is
 * refused with SD_ERR_PARSE, never read in part: half a complaint transcribed as if it were the
 * whole of it is worse than asking for the file again. libsndfile itself reads such a file up to
 * what exists; this module finds the cut in libsndfile's header log at open, or, for formats
 * without a length in the header (FLAC, MP3), when the audio ends before the promised length.
 * Lengths of 0x7ffff000 and more are the "unknown" marks streaming writers leave, not cuts.
 *
 * Every function that can fail returns an sd_code and, where it takes err, fills it with a
 * sentence that names the file and says what to do. */
#ifndef SEODONG_AUDIOFILE_H
#define SEODONG_AUDIOFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"

/* Sample rates accepted for output and for .raw input, in Hz. */
#define AUDIOFILE_MIN_RATE 1000
#define AUDIOFILE_MAX_RATE 384000

/* ---- Reading ---- */

typedef struct audiofile audiofile;

typedef struct {
    int rate;         /* the file's own sample rate, Hz */
    int channels;     /* the file's channel count (output is always mono) */
    long long frames; /* samples per channel, at the file's rate */
    double seconds;   /* frames / rate */
    int target_rate;  /* the rate audiofile_read delivers */
} audiofile_details;

/* Opens an audio file with a header for reading as mono 16-bit at target_rate. Returns SD_OK;
 * SD_ERR_IO (missing, unreadable, a folder); SD_ERR_PARSE (empty, not audio, malformed or cut
 * short); SD_ERR_INVALID (target_rate out of range, or a .raw/.pcm name: those need
 * audiofile_open_raw); SD_ERR_NOMEM. */
sd_code audiofile_open(const char *path, int target_rate, audiofile **out, char *err,
                       size_t errlen);

/* Opens a headerless file of 16-bit little-endian mono samples recorded at raw_rate. Returns as
 * audiofile_open (an odd last byte is ignored). */
sd_code audiofile_open_raw(const char *path, int raw_rate, int target_rate, audiofile **out,
                           char *err, size_t errlen);

/* Reads up to max samples into buf. *got < max only at the end of the audio, and 0 after it.
 * Returns SD_OK, SD_ERR_PARSE when the audio turns out cut short or undecodable (err says where),
 * SD_ERR_IO on a read error, SD_ERR_NOMEM. */
sd_code audiofile_read(audiofile *f, int16_t *buf, size_t max, size_t *got, char *err,
                       size_t errlen);

void audiofile_info(const audiofile *f, audiofile_details *out);
void audiofile_close(audiofile *f);

/* Reads a whole file (opened as audiofile_open) into *samples (malloc'd; free() it), *n samples
 * at target_rate. Files longer than max_seconds are refused with SD_ERR_TOO_LONG before anything
 * is decoded. Other returns as audiofile_open and audiofile_read. */
sd_code audiofile_read_all(const char *path, int target_rate, int16_t **samples, size_t *n,
                           double max_seconds, char *err, size_t errlen);

/* The same for a headerless file recorded at raw_rate (see audiofile_open_raw). */
sd_code audiofile_read_all_raw(const char *path, int raw_rate, int target_rate, int16_t **samples,
                               size_t *n, double max_seconds, char *err, size_t errlen);

/* ---- Writing: 16-bit mono WAV ---- */

typedef struct audiofile_writer audiofile_writer;

/* Creates (or replaces) path. Returns SD_OK, SD_ERR_IO, SD_ERR_INVALID (rate), SD_ERR_NOMEM. */
sd_code audiofile_writer_open(const char *path, int rate, audiofile_writer **out, char *err,
                              size_t errlen);
/* Appends n samples. Returns SD_OK or SD_ERR_IO (disk full, ...). */
sd_code audiofile_writer_append(audiofile_writer *w, const int16_t *samples, size_t n, char *err,
                                size_t errlen);
/* Finishes the header and closes the file; frees w in every case. Returns SD_OK or SD_ERR_IO. */
sd_code audiofile_writer_close(audiofile_writer *w, char *err, size_t errlen);

/* Writes samples[0..n) to path in one go. */
sd_code audiofile_write_wav(const char *path, int rate, const int16_t *samples, size_t n, char *err,
                            size_t errlen);

/* ---- Rate conversion of a live stream ---- */

typedef struct resampler resampler;

/* A converter from in_rate to out_rate (each within AUDIOFILE_MIN_RATE..AUDIOFILE_MAX_RATE).
 * Returns SD_OK, SD_ERR_INVALID or SD_ERR_NOMEM. */
sd_code resampler_new(int in_rate, int out_rate, resampler **out);

/* Feeds in[0..n) of one stream (n may be 0) and points *out at the *n_out converted samples
 * ready so far. The filter state carries over from call to call, so chunk boundaries are
 * seamless; the filter holds back a few milliseconds, which last = true flushes at the end of the
 * stream (after which r starts a new stream). *out stays valid until the next call on r; it may
 * be in itself when the rates are equal. Returns SD_OK or SD_ERR_NOMEM. */
sd_code resampler_process(resampler *r, const int16_t *in, size_t n, bool last, const int16_t **out,
                          size_t *n_out);

void resampler_free(resampler *r);

#endif

/* media.h - the audio side of a phone call, without any SIP: the codecs a call can agree on
 * (G.722 wideband, G.711 µ-law and A-law), 20 ms frames, and the sample queues between the
 * network thread and a call's own thread (what Seodong says, paced onto the wire; what the
 * caller says).
 *
 * A call's audio runs at its codec's rate (16 kHz for G.722, 8 kHz for G.711). RTP timestamps
 * advance by 160 per 20 ms frame with every codec: G.722's RTP clock is 8000 Hz by an old
 * mistake of RFC 1890 that RFC 3551 kept. */
#ifndef SEODONG_RTP_MEDIA_H
#define SEODONG_RTP_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"

typedef enum { MEDIA_G722, MEDIA_PCMU, MEDIA_PCMA, MEDIA_CODECS } media_codec;

#define MEDIA_FRAME_MS 20
#define MEDIA_FRAME_TS 160     /* RTP timestamp step per frame, every codec */
#define MEDIA_MAX_FRAME 320    /* samples in a 20 ms frame at 16 kHz */
#define MEDIA_MAX_PAYLOAD 1500 /* bytes of RTP payload accepted */

/* SDP name ("G722", "PCMU", "PCMA"), static payload type (9, 0, 8) and audio sample rate. */
const char *media_codec_name(media_codec c);
int media_codec_pt(media_codec c);
int media_codec_rate(media_codec c);
/* Samples in one 20 ms frame at the codec's rate. */
size_t media_frame_samples(media_codec c);
/* The codec SDP names name (case-insensitive; NULL names none). Returns SD_OK or
 * SD_ERR_NOT_FOUND. */
sd_code media_codec_find(const char *name, media_codec *out);

/* Encoder and decoder state of one call (G.722 is adaptive: each direction keeps its own). */
typedef struct media_coder media_coder;
sd_code media_coder_new(media_codec c, media_coder **out);
void media_coder_free(media_coder *m);
media_codec media_coder_codec(const media_coder *m);

/* Encodes n samples (n = media_frame_samples) into out; *len gets the payload size. */
void media_encode(media_coder *m, const int16_t *pcm, size_t n, uint8_t *out, size_t *len);
/* Decodes a payload of len bytes into at most max samples; *n gets how many. Any bytes are
 * valid audio for these codecs, so a garbage payload is only noise. Returns SD_OK, or
 * SD_ERR_TOO_LONG when the payload would decode to more than max samples (nothing decoded). */
sd_code media_decode(media_coder *m, const uint8_t *payload, size_t len, int16_t *pcm, size_t max,
                     size_t *n);

/* Mean power of n samples in dBFS (-96 for silence): the voice activity measure. */
double media_level_db(const int16_t *pcm, size_t n);

/* A queue of samples between two threads: what Seodong says (the dialogue thread writes speech
 * as it is synthesised, the sender takes one frame every 20 ms) and what the caller says (the
 * network thread writes, the call's thread reads). Thread-safe. */
typedef struct media_fifo media_fifo;
/* A queue holding at most max_samples. Returns NULL when out of memory. */
media_fifo *media_fifo_new(size_t max_samples);
void media_fifo_free(media_fifo *p);
/* Appends n samples. Returns SD_OK, or SD_ERR_TOO_LONG when they do not fit (none are added). */
sd_code media_fifo_write(media_fifo *p, const int16_t *pcm, size_t n);
/* Fills out with the next n samples, silence where the queue runs dry; returns how many came
 * from the queue. */
size_t media_fifo_read(media_fifo *p, int16_t *out, size_t n);
/* Drops everything queued (barge-in). */
void media_fifo_clear(media_fifo *p);
size_t media_fifo_pending(media_fifo *p);

#endif

/* media.c - codecs, levels and the play-out queue of a phone call (see media.h).
 *
 * G.711 uses librem's tables, G.722 spandsp's codec at 64 kbit/s. The play-out queue is a ring
 * buffer under a mutex: writers are the dialogue threads, the reader is the one sender thread,
 * and both only copy samples while holding it. */
#include "media.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rem_g711.h>
#include <spandsp/telephony.h>
/* after telephony.h, which it needs */
#include <spandsp/g722.h>

static const struct {
    const char *name;
    int pt;
    int rate;
} codecs[MEDIA_CODECS] = {
    [MEDIA_G722] = {"G722", 9, 16000},
    [MEDIA_PCMU] = {"PCMU", 0, 8000},
    [MEDIA_PCMA] = {"PCMA", 8, 8000},
};

const char *media_codec_name(media_codec c)
{
    return codecs[c].name;
}

int media_codec_pt(media_codec c)
{
    return codecs[c].pt;
}

int media_codec_rate(media_codec c)
{
    return codecs[c].rate;
}

size_t media_frame_samples(media_codec c)
{
    return (size_t)codecs[c].rate * MEDIA_FRAME_MS / 1000;
}

sd_code media_codec_find(const char *name, media_codec *out)
{
    for (int c = 0; name && c < MEDIA_CODECS; c++)
        if (strcasecmp(name, codecs[c].name) == 0) {
            *out = (media_codec)c;
            return SD_OK;
        }
    return SD_ERR_NOT_FOUND;
}

struct media_coder {
    media_codec codec;
    g722_encode_state_t *g722_enc;
    g722_decode_state_t *g722_dec;
};

sd_code media_coder_new(media_codec c, media_coder **out)
{
    media_coder *m = calloc(1, sizeof *m);
    if (!m)
        return SD_ERR_NOMEM;
    m->codec = c;
    if (c == MEDIA_G722) {
        m->g722_enc = g722_encode_init(NULL, 64000, 0);
        m->g722_dec = g722_decode_init(NULL, 64000, 0);
        if (!m->g722_enc || !m->g722_dec) {
            media_coder_free(m);
            return SD_ERR_NOMEM;
        }
    }
    *out = m;
    return SD_OK;
}

void media_coder_free(media_coder *m)
{
    if (!m)
        return;
    if (m->g722_enc)
        g722_encode_free(m->g722_enc);
    if (m->g722_dec)
        g722_decode_free(m->g722_dec);
    free(m);
}

media_codec media_coder_codec(const media_coder *m)
{
    return m->codec;
}

void media_encode(media_coder *m, const int16_t *pcm, size_t n, uint8_t *out, size_t *len)
{
    if (m->codec == MEDIA_G722) {
        *len = (size_t)g722_encode(m->g722_enc, out, pcm, (int)n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = m->codec == MEDIA_PCMU ? g711_pcm2ulaw(pcm[i]) : g711_pcm2alaw(pcm[i]);
    *len = n;
}

sd_code media_decode(media_coder *m, const uint8_t *payload, size_t len, int16_t *pcm, size_t max,
                     size_t *n)
{
    /* G.722 at 64 kbit/s gives two samples per byte, G.711 one. */
    size_t samples = m->codec == MEDIA_G722 ? 2 * len : len;
    *n = 0;
    if (samples > max)
        return SD_ERR_TOO_LONG;
    if (m->codec == MEDIA_G722) {
        *n = (size_t)g722_decode(m->g722_dec, pcm, payload, (int)len);
        return SD_OK;
    }
    for (size_t i = 0; i < len; i++)
        pcm[i] = m->codec == MEDIA_PCMU ? g711_ulaw2pcm(payload[i]) : g711_alaw2pcm(payload[i]);
    *n = len;
    return SD_OK;
}

double media_level_db(const int16_t *pcm, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)pcm[i] * pcm[i];
    double mean = n ? sum / (double)n : 0;
    return mean < 1.0 ? -96.0 : 10.0 * log10(mean / (32768.0 * 32768.0));
}

/* ---- play-out queue ---- */

struct media_fifo {
    pthread_mutex_t lock;
    int16_t *ring;
    size_t cap, head, count; /* head: index of the oldest sample */
};

media_fifo *media_fifo_new(size_t max_samples)
{
    media_fifo *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->ring = malloc(max_samples * sizeof *p->ring);
    if (!p->ring) {
        free(p);
        return NULL;
    }
    p->cap = max_samples;
    pthread_mutex_init(&p->lock, NULL);
    return p;
}

void media_fifo_free(media_fifo *p)
{
    if (!p)
        return;
    pthread_mutex_destroy(&p->lock);
    free(p->ring);
    free(p);
}

sd_code media_fifo_write(media_fifo *p, const int16_t *pcm, size_t n)
{
    pthread_mutex_lock(&p->lock);
    sd_code rc = n > p->cap - p->count ? SD_ERR_TOO_LONG : SD_OK;
    for (size_t i = 0; rc == SD_OK && i < n; i++)
        p->ring[(p->head + p->count + i) % p->cap] = pcm[i];
    if (rc == SD_OK)
        p->count += n;
    pthread_mutex_unlock(&p->lock);
    return rc;
}

size_t media_fifo_read(media_fifo *p, int16_t *out, size_t n)
{
    pthread_mutex_lock(&p->lock);
    size_t got = n < p->count ? n : p->count;
    for (size_t i = 0; i < got; i++)
        out[i] = p->ring[(p->head + i) % p->cap];
    p->head = (p->head + got) % p->cap;
    p->count -= got;
    pthread_mutex_unlock(&p->lock);
    memset(out + got, 0, (n - got) * sizeof *out);
    return got;
}

void media_fifo_clear(media_fifo *p)
{
    pthread_mutex_lock(&p->lock);
    p->count = 0;
    pthread_mutex_unlock(&p->lock);
}

size_t media_fifo_pending(media_fifo *p)
{
    pthread_mutex_lock(&p->lock);
    size_t n = p->count;
    pthread_mutex_unlock(&p->lock);
    return n;
}

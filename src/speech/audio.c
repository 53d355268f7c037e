/* audio.c - PortAudio capture and playback for the speaker.
 *
 * Capture runs in PortAudio's callback thread, which must not allocate, lock or wait: it only
 * copies samples into a single-producer single-consumer ring buffer whose two indices are C11
 * atomics. When the ring is full the new samples are dropped and counted, so the recogniser
 * sees a gap rather than the callback stalling the device. The reader polls the ring with short
 * sleeps; 5 ms is well under the 20 ms a frame lasts.
 *
 * Playback uses the blocking Pa_WriteStream in small chunks, checking a stop flag between
 * chunks: a barge-in cuts the answer within one chunk (20 ms), and the writer then aborts the
 * stream, which drops what the device still has queued (PortAudio's stream calls belong to the
 * thread that writes, so the stopping thread only sets the flag). */
#include "audio.h"

#include <portaudio.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_FRAMES 320
#define DEFAULT_BUFFER_S 8.0
#define POLL_NS (5 * 1000 * 1000)

static sd_code pa_error(PaError e, const char *what, char *err, size_t errlen)
{
    if (err)
        snprintf(err, errlen, "%s: %s (check the audio device, or list them with seodong devices)",
                 what, Pa_GetErrorText(e));
    return SD_ERR_IO;
}

static sd_code start_library(char *err, size_t errlen)
{
    PaError e = Pa_Initialize();
    return e == paNoError ? SD_OK : pa_error(e, "cannot start PortAudio", err, errlen);
}

sd_code audio_list_devices(strbuf *out, char *err, size_t errlen)
{
    sd_code rc = start_library(err, errlen);
    if (rc != SD_OK)
        return rc;
    int n = Pa_GetDeviceCount();
    if (n < 0) {
        rc = pa_error(n, "cannot list audio devices", err, errlen);
        Pa_Terminate();
        return rc;
    }
    PaDeviceIndex in = Pa_GetDefaultInputDevice(), outdev = Pa_GetDefaultOutputDevice();
    for (int i = 0; i < n; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (!d)
            continue;
        strbuf_printf(out, "%d: %s (in %d ch, out %d ch, default rate %.0f Hz)%s%s\n", i, d->name,
                      d->maxInputChannels, d->maxOutputChannels, d->defaultSampleRate,
                      i == in ? " [default input]" : "", i == outdev ? " [default output]" : "");
    }
    if (n == 0)
        strbuf_puts(out, "no audio devices found\n");
    Pa_Terminate();
    return SD_OK;
}

/* Stream parameters for cfg's device in the given direction, or SD_ERR_INVALID. */
static sd_code stream_params(const audio_config *cfg, bool input, PaStreamParameters *p, char *err,
                             size_t errlen)
{
    PaDeviceIndex dev = cfg->device >= 0 ? cfg->device
                        : input          ? Pa_GetDefaultInputDevice()
                                         : Pa_GetDefaultOutputDevice();
    const PaDeviceInfo *info = dev >= 0 && dev < Pa_GetDeviceCount() ? Pa_GetDeviceInfo(dev) : NULL;
    int channels = info ? (input ? info->maxInputChannels : info->maxOutputChannels) : 0;
    if (!info || channels < 1) {
        if (err)
            snprintf(err, errlen, "no audio %s device %d (list them with seodong devices)",
                     input ? "input" : "output", (int)dev);
        return SD_ERR_INVALID;
    }
    memset(p, 0, sizeof *p);
    p->device = dev;
    p->channelCount = 1;
    p->sampleFormat = paInt16;
    p->suggestedLatency = input ? info->defaultLowInputLatency : info->defaultLowOutputLatency;
    return SD_OK;
}

static int frames_of(const audio_config *cfg)
{
    return cfg->frames_per_buffer > 0 ? cfg->frames_per_buffer : DEFAULT_FRAMES;
}

/* ---- capture ---- */

struct audio_capture {
    PaStream *stream;
    int16_t *ring;
    size_t mask;        /* capacity - 1; the capacity is a power of two */
    atomic_size_t head; /* written by the callback only */
    atomic_size_t tail; /* written by the reader only */
    atomic_uint_fast64_t overflows;
};

static int capture_callback(const void *input, void *output, unsigned long frames,
                            const PaStreamCallbackTimeInfo *time_info, PaStreamCallbackFlags flags,
                            void *ctx)
{
    (void)output, (void)time_info;
    audio_capture *c = ctx;
    const int16_t *in = input;
    if (flags & paInputOverflow)
        atomic_fetch_add_explicit(&c->overflows, frames, memory_order_relaxed);
    if (!in)
        return paContinue;
    size_t head = atomic_load_explicit(&c->head, memory_order_relaxed);
    size_t tail = atomic_load_explicit(&c->tail, memory_order_acquire);
    size_t room = c->mask + 1 - (head - tail);
    size_t n = frames < room ? frames : room;
    for (size_t i = 0; i < n; i++)
        c->ring[(head + i) & c->mask] = in[i];
    atomic_store_explicit(&c->head, head + n, memory_order_release);
    if (n < frames)
        atomic_fetch_add_explicit(&c->overflows, frames - n, memory_order_relaxed);
    return paContinue;
}

static size_t ring_capacity(const audio_config *cfg)
{
    double seconds = cfg->buffer_s > 0 ? cfg->buffer_s : DEFAULT_BUFFER_S;
    size_t want = (size_t)(seconds * cfg->rate), cap = 1024;
    while (cap < want)
        cap <<= 1;
    return cap;
}

sd_code audio_capture_open(const audio_config *cfg, audio_capture **out, char *err, size_t errlen)
{
    *out = NULL;
    if (cfg->rate <= 0) {
        snprintf(err, errlen, "audio rate %d is not valid", cfg->rate);
        return SD_ERR_INVALID;
    }
    audio_capture *c = calloc(1, sizeof *c);
    size_t cap = ring_capacity(cfg);
    int16_t *ring = c ? malloc(cap * sizeof *ring) : NULL;
    if (!ring) {
        free(c);
        return SD_ERR_NOMEM;
    }
    c->ring = ring;
    c->mask = cap - 1;
    sd_code rc = start_library(err, errlen);
    if (rc != SD_OK) {
        free(ring);
        free(c);
        return rc;
    }
    PaStreamParameters in;
    rc = stream_params(cfg, true, &in, err, errlen);
    PaError e = paNoError;
    if (rc == SD_OK) {
        e = Pa_OpenStream(&c->stream, &in, NULL, cfg->rate, (unsigned long)frames_of(cfg),
                          paClipOff, capture_callback, c);
        if (e == paNoError)
            e = Pa_StartStream(c->stream);
        if (e != paNoError)
            rc = pa_error(e, "cannot start audio capture", err, errlen);
    }
    if (rc != SD_OK) {
        audio_capture_close(c);
        return rc;
    }
    *out = c;
    return SD_OK;
}

static void sleep_poll(void)
{
    struct timespec ts = {0, POLL_NS};
    nanosleep(&ts, NULL);
}

sd_code audio_capture_read(audio_capture *c, int16_t *buf, size_t max, int timeout_ms, size_t *got)
{
    *got = 0;
    int waited_ms = 0;
    for (;;) {
        size_t tail = atomic_load_explicit(&c->tail, memory_order_relaxed);
        size_t head = atomic_load_explicit(&c->head, memory_order_acquire);
        size_t n = head - tail < max ? head - tail : max;
        if (n > 0) {
            for (size_t i = 0; i < n; i++)
                buf[i] = c->ring[(tail + i) & c->mask];
            atomic_store_explicit(&c->tail, tail + n, memory_order_release);
            *got = n;
            return SD_OK;
        }
        if (Pa_IsStreamActive(c->stream) != 1)
            return SD_ERR_IO;
        if (waited_ms >= timeout_ms)
            return SD_OK;
        sleep_poll();
        waited_ms += POLL_NS / 1000000;
    }
}

uint64_t audio_capture_overflows(const audio_capture *c)
{
    return atomic_load_explicit(&((audio_capture *)c)->overflows, memory_order_relaxed);
}

void audio_capture_close(audio_capture *c)
{
    if (!c)
        return;
    if (c->stream) {
        Pa_AbortStream(c->stream);
        Pa_CloseStream(c->stream);
    }
    Pa_Terminate();
    free(c->ring);
    free(c);
}

/* ---- playback ---- */

struct audio_player {
    PaStream *stream;
    int chunk;
    atomic_bool stop;
};

sd_code audio_player_open(const audio_config *cfg, audio_player **out, char *err, size_t errlen)
{
    *out = NULL;
    if (cfg->rate <= 0) {
        snprintf(err, errlen, "audio rate %d is not valid", cfg->rate);
        return SD_ERR_INVALID;
    }
    audio_player *p = calloc(1, sizeof *p);
    if (!p)
        return SD_ERR_NOMEM;
    p->chunk = frames_of(cfg);
    atomic_init(&p->stop, false);
    sd_code rc = start_library(err, errlen);
    if (rc != SD_OK) {
        free(p);
        return rc;
    }
    PaStreamParameters o;
    rc = stream_params(cfg, false, &o, err, errlen);
    if (rc == SD_OK) {
        PaError e = Pa_OpenStream(&p->stream, NULL, &o, cfg->rate, (unsigned long)p->chunk,
                                  paClipOff, NULL, NULL);
        if (e == paNoError)
            e = Pa_StartStream(p->stream);
        if (e != paNoError)
            rc = pa_error(e, "cannot start audio playback", err, errlen);
    }
    if (rc != SD_OK) {
        audio_player_close(p);
        return rc;
    }
    *out = p;
    return SD_OK;
}

sd_code audio_player_write(audio_player *p, const int16_t *samples, size_t n)
{
    for (size_t at = 0; at < n; at += (size_t)p->chunk) {
        if (atomic_load(&p->stop)) {
            /* Called here, on the writing thread: drops what the device still has queued. */
            if (Pa_IsStreamActive(p->stream) == 1)
                Pa_AbortStream(p->stream);
            return SD_ERR_INVALID;
        }
        size_t len = n - at < (size_t)p->chunk ? n - at : (size_t)p->chunk;
        PaError e = Pa_WriteStream(p->stream, samples + at, (unsigned long)len);
        if (e != paNoError && e != paOutputUnderflowed)
            return SD_ERR_IO;
    }
    return SD_OK;
}

double audio_player_latency(const audio_player *p)
{
    const PaStreamInfo *info = Pa_GetStreamInfo(p->stream);
    return info ? info->outputLatency : 0.0;
}

void audio_player_stop(audio_player *p)
{
    atomic_store(&p->stop, true);
}

void audio_player_resume(audio_player *p)
{
    /* An abort dropped what the device had queued; the stream must be started again. */
    if (Pa_IsStreamStopped(p->stream) == 1)
        Pa_StartStream(p->stream);
    atomic_store(&p->stop, false);
}

bool audio_player_stopped(const audio_player *p)
{
    return atomic_load(&((audio_player *)p)->stop);
}

void audio_player_close(audio_player *p)
{
    if (!p)
        return;
    if (p->stream) {
        if (Pa_IsStreamActive(p->stream) == 1)
            Pa_StopStream(p->stream); /* lets the queued audio play out */
        Pa_CloseStream(p->stream);
    }
    Pa_Terminate();
    free(p);
}

/* audiofile.c - audio files through libsndfile, rate conversion through libsamplerate (see
 * audiofile.h).
 *
 * Reading is a pipeline run one chunk at a time: libsndfile decodes READ_CHUNK_FRAMES frames as
 * floats whatever the sample format, the channels are averaged to mono, the resampler converts
 * the chunk to the target rate, and the result waits in a small buffer for audiofile_read to
 * copy out. Memory stays at a few chunks whatever the length of the file. The resampler works in
 * floats inside, so 24-bit and float files are converted before they are rounded to 16 bits. */
#include "audiofile.h"

#include <errno.h>
#include <math.h>
#include <samplerate.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Frames decoded per step: 93 ms at 44.1 kHz, small enough to stream, large enough that the
 * cost of a call does not matter. */
#define READ_CHUNK_FRAMES 4096

/* Header lengths at or above this are the "length unknown" marks that writers streaming to a
 * pipe leave (0xFFFFFFFF; sox writes 0x7ffff000), not a promise of that much audio. */
#define UNKNOWN_LENGTH_MARK 0x7ffff000LL

static bool rate_ok(int rate)
{
    return rate >= AUDIOFILE_MIN_RATE && rate <= AUDIOFILE_MAX_RATE;
}

/* The capacity to grow a buffer of cap elements to so that it holds need: doubling keeps the
 * number of reallocations logarithmic. */
static size_t next_capacity(size_t cap, size_t need)
{
    size_t grown = cap ? cap : 1024;
    while (grown < need)
        grown *= 2;
    return grown;
}

static bool grow_floats(float **buf, size_t *cap, size_t need)
{
    if (need <= *cap && *buf)
        return true;
    size_t grown = next_capacity(*cap, need);
    float *p = realloc(*buf, grown * sizeof *p);
    if (!p)
        return false;
    *buf = p;
    *cap = grown;
    return true;
}

static bool grow_pcm(int16_t **buf, size_t *cap, size_t need)
{
    if (need <= *cap && *buf)
        return true;
    size_t grown = next_capacity(*cap, need);
    int16_t *p = realloc(*buf, grown * sizeof *p);
    if (!p)
        return false;
    *buf = p;
    *cap = grown;
    return true;
}

/* Rounds a float sample (full scale +-1) to 16 bits, clipping what lies beyond full scale. */
static int16_t to_pcm16(float x)
{
    float s = roundf(x * 32768.0f);
    if (s >= 32767.0f)
        return 32767;
    if (s <= -32768.0f)
        return -32768;
    return (int16_t)s;
}

/* ---- Resampler ---- */

struct resampler {
    SRC_STATE *src; /* NULL when the rates are equal: samples pass through untouched */
    double ratio;   /* out_rate / in_rate */
    float *in;      /* the caller's 16-bit input as floats */
    size_t in_cap;
    float *out; /* converted samples */
    size_t out_cap;
    int16_t *pcm; /* converted samples rounded to 16 bits */
    size_t pcm_cap;
};

sd_code resampler_new(int in_rate, int out_rate, resampler **out)
{
    *out = NULL;
    if (!rate_ok(in_rate) || !rate_ok(out_rate) || !src_is_valid_ratio((double)out_rate / in_rate))
        return SD_ERR_INVALID;
    resampler *r = calloc(1, sizeof *r);
    if (!r)
        return SD_ERR_NOMEM;
    r->ratio = (double)out_rate / in_rate;
    if (in_rate != out_rate) {
        int error;
        r->src = src_new(SRC_SINC_FASTEST, 1, &error);
        if (!r->src) {
            free(r);
            return SD_ERR_NOMEM;
        }
    }
    *out = r;
    return SD_OK;
}

void resampler_free(resampler *r)
{
    if (!r)
        return;
    if (r->src)
        src_delete(r->src);
    free(r->in);
    free(r->out);
    free(r->pcm);
    free(r);
}

/* The float core of resampler_process, also used by the file reader. libsamplerate may take
 * only part of the input or fill the output before the input is used up, so it is called until
 * the input is consumed and, at the end of the stream, until the filter's tail is out; a call
 * that neither consumes nor produces ends the loop so it can never spin. */
static sd_code resample_floats(resampler *r, const float *in, size_t n, bool last,
                               const float **out, size_t *n_out)
{
    if (!r->src) {
        *out = in;
        *n_out = n;
        return SD_OK;
    }
    size_t produced = 0;
    SRC_DATA d;
    do {
        if (!grow_floats(&r->out, &r->out_cap, produced + (size_t)ceil(n * r->ratio) + 256))
            return SD_ERR_NOMEM;
        d = (SRC_DATA){.data_in = in,
                       .input_frames = (long)n,
                       .data_out = r->out + produced,
                       .output_frames = (long)(r->out_cap - produced),
                       .end_of_input = last,
                       .src_ratio = r->ratio};
        /* With a valid state and ratio, libsamplerate fails only to allocate. */
        if (src_process(r->src, &d) != 0)
            return SD_ERR_NOMEM;
        in += d.input_frames_used;
        n -= (size_t)d.input_frames_used;
        produced += (size_t)d.output_frames_gen;
    } while ((n > 0 || last) && (d.input_frames_used > 0 || d.output_frames_gen > 0));
    if (last)
        src_reset(r->src);
    *out = r->out;
    *n_out = produced;
    return SD_OK;
}

sd_code resampler_process(resampler *r, const int16_t *in, size_t n, bool last, const int16_t **out,
                          size_t *n_out)
{
    *n_out = 0;
    if (!r->src) {
        *out = in;
        *n_out = n;
        return SD_OK;
    }
    if (!grow_floats(&r->in, &r->in_cap, n))
        return SD_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        r->in[i] = in[i] / 32768.0f;
    const float *converted;
    size_t m;
    sd_code rc = resample_floats(r, r->in, n, last, &converted, &m);
    if (rc != SD_OK)
        return rc;
    if (!grow_pcm(&r->pcm, &r->pcm_cap, m))
        return SD_ERR_NOMEM;
    for (size_t i = 0; i < m; i++)
        r->pcm[i] = to_pcm16(converted[i]);
    *out = r->pcm;
    *n_out = m;
    return SD_OK;
}

/* ---- Reader ---- */

struct audiofile {
    SNDFILE *sf;
    char *path; /* for messages */
    audiofile_details details;
    resampler *rs;
    float *frames;  /* one chunk as decoded, channels interleaved */
    float *mono;    /* the same chunk with its channels averaged */
    int16_t *ready; /* converted samples not yet handed out: ready[ready_pos..ready_len) */
    size_t ready_cap, ready_len, ready_pos;
    long long frames_read;
    bool drained; /* decoded to the end and the resampler flushed */
};

/* libsndfile's error text as a clause: "Format not recognised." -> "format not recognised". */
static void sf_reason(SNDFILE *sf, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s", sf_strerror(sf));
    size_t len = strlen(out);
    if (len && out[len - 1] == '.')
        out[len - 1] = '\0';
    if (out[0] >= 'A' && out[0] <= 'Z')
        out[0] = (char)(out[0] - 'A' + 'a');
}

/* Missing files, folders and empty files get their own words before libsndfile sees them. */
static sd_code check_readable(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: %s; check the name and the folder", path, strerror(errno));
        return SD_ERR_IO;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: is a folder, not an audio file", path);
        return SD_ERR_IO;
    }
    if (st.st_size == 0) {
        snprintf(err, errlen, "%s: the file is empty; record or copy it again", path);
        return SD_ERR_PARSE;
    }
    return SD_OK;
}

/* libsndfile reads a WAV, AIFF or AU file whose header promises more than the file holds up to
 * what exists, and says so only in its log, as "data : 32000 (should be 19956)". Finds such a
 * line and gives the two lengths. */
static bool header_promises_more(SNDFILE *sf, long long *promised, long long *present)
{
    char log[8192];
    sf_command(sf, SFC_GET_LOG_INFO, log, sizeof log);
    static const char mark[] = "(should be ";
    for (char *p = strstr(log, mark); p; p = strstr(p + 1, mark)) {
        char *colon = p;
        while (colon > log && *colon != ':' && *colon != '\n')
            colon--;
        if (*colon != ':')
            continue;
        *promised = strtoll(colon + 1, NULL, 10);
        *present = strtoll(p + sizeof mark - 1, NULL, 10);
        if (*promised > *present && *promised < UNKNOWN_LENGTH_MARK)
            return true;
    }
    return false;
}

/* Checks what libsndfile found in the header: a length, a rate that can be converted, no cut. */
static sd_code check_header(SNDFILE *sf, const SF_INFO *info, const char *path, int target_rate,
                            char *err, size_t errlen)
{
    if (info->frames < 0 || info->frames == SF_COUNT_MAX) {
        snprintf(err, errlen,
                 "%s: the length of the audio cannot be worked out; the file may be cut short "
                 "or damaged: copy it again or convert it to WAV",
                 path);
        return SD_ERR_PARSE;
    }
    if (!rate_ok(info->samplerate) || !src_is_valid_ratio((double)target_rate / info->samplerate)) {
        snprintf(err, errlen, "%s: its sample rate (%d Hz) cannot be converted to %d Hz", path,
                 info->samplerate, target_rate);
        return SD_ERR_INVALID;
    }
    long long promised, present;
    if (header_promises_more(sf, &promised, &present)) {
        snprintf(err, errlen,
                 "%s: the file is cut short: its header promises %lld bytes but only %lld are "
                 "there; copy or record it again",
                 path, promised, present);
        return SD_ERR_PARSE;
    }
    return SD_OK;
}

static sd_code reader_new(SNDFILE *sf, const SF_INFO *info, const char *path, int target_rate,
                          audiofile **out)
{
    audiofile *f = calloc(1, sizeof *f);
    if (!f)
        return SD_ERR_NOMEM;
    f->details = (audiofile_details){.rate = info->samplerate,
                                     .channels = info->channels,
                                     .frames = info->frames,
                                     .seconds = (double)info->frames / info->samplerate,
                                     .target_rate = target_rate};
    f->path = strdup(path);
    f->frames = malloc(sizeof *f->frames * READ_CHUNK_FRAMES * (size_t)info->channels);
    f->mono = malloc(sizeof *f->mono * READ_CHUNK_FRAMES);
    sd_code rc = resampler_new(info->samplerate, target_rate, &f->rs);
    if (rc == SD_OK && (!f->path || !f->frames || !f->mono))
        rc = SD_ERR_NOMEM;
    if (rc != SD_OK) {
        audiofile_close(f); /* without sf: the caller closes it */
        return rc;
    }
    f->sf = sf;
    *out = f;
    return SD_OK;
}

/* Opens path with libsndfile (info preset for raw files) and builds the reader around it. */
static sd_code open_reader(const char *path, SF_INFO *info, int target_rate, audiofile **out,
                           char *err, size_t errlen)
{
    *out = NULL;
    if (!rate_ok(target_rate)) {
        snprintf(err, errlen, "%d Hz is not a usable sample rate (%d to %d)", target_rate,
                 AUDIOFILE_MIN_RATE, AUDIOFILE_MAX_RATE);
        return SD_ERR_INVALID;
    }
    sd_code rc = check_readable(path, err, errlen);
    if (rc != SD_OK)
        return rc;
    SNDFILE *sf = sf_open(path, SFM_READ, info);
    if (!sf) {
        char reason[256];
        sf_reason(NULL, reason, sizeof reason);
        if (sf_error(NULL) == SF_ERR_SYSTEM) {
            snprintf(err, errlen, "%s: cannot be read (%s)", path, reason);
            return SD_ERR_IO;
        }
        snprintf(err, errlen,
                 "%s: not a WAV or other audio file libsndfile knows (%s); convert it to WAV", path,
                 reason);
        return SD_ERR_PARSE;
    }
    rc = check_header(sf, info, path, target_rate, err, errlen);
    if (rc == SD_OK)
        rc = reader_new(sf, info, path, target_rate, out);
    if (rc != SD_OK)
        sf_close(sf);
    return rc;
}

/* True when path ends in .raw or .pcm: names of headerless audio. */
static bool named_raw(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (strcasecmp(dot, ".raw") == 0 || strcasecmp(dot, ".pcm") == 0);
}

sd_code audiofile_open(const char *path, int target_rate, audiofile **out, char *err, size_t errlen)
{
    *out = NULL;
    if (named_raw(path)) {
        snprintf(err, errlen,
                 "%s: headerless audio does not say its sample rate; give the rate it was "
                 "recorded at (16-bit little-endian mono is assumed)",
                 path);
        return SD_ERR_INVALID;
    }
    SF_INFO info = {0};
    return open_reader(path, &info, target_rate, out, err, errlen);
}

sd_code audiofile_open_raw(const char *path, int raw_rate, int target_rate, audiofile **out,
                           char *err, size_t errlen)
{
    *out = NULL;
    if (!rate_ok(raw_rate)) {
        snprintf(err, errlen, "%s: %d Hz is not a usable sample rate (%d to %d)", path, raw_rate,
                 AUDIOFILE_MIN_RATE, AUDIOFILE_MAX_RATE);
        return SD_ERR_INVALID;
    }
    SF_INFO info = {.samplerate = raw_rate,
                    .channels = 1,
                    .format = SF_FORMAT_RAW | SF_FORMAT_PCM_16 | SF_ENDIAN_LITTLE};
    return open_reader(path, &info, target_rate, out, err, errlen);
}

void audiofile_info(const audiofile *f, audiofile_details *out)
{
    *out = f->details;
}

void audiofile_close(audiofile *f)
{
    if (!f)
        return;
    if (f->sf)
        sf_close(f->sf);
    resampler_free(f->rs);
    free(f->path);
    free(f->frames);
    free(f->mono);
    free(f->ready);
    free(f);
}

static void downmix(const float *frames, int channels, size_t n, float *mono)
{
    for (size_t i = 0; i < n; i++) {
        float sum = 0.0f;
        for (int c = 0; c < channels; c++)
            sum += frames[i * (size_t)channels + (size_t)c];
        mono[i] = sum / (float)channels;
    }
}

/* Decodes, mixes and converts the next chunk into f->ready; at the end of the file, flushes the
 * resampler and checks that the file held as much audio as it promised. */
static sd_code refill(audiofile *f, char *err, size_t errlen)
{
    sf_count_t got = sf_readf_float(f->sf, f->frames, READ_CHUNK_FRAMES);
    double at = (double)f->frames_read / f->details.rate;
    if (sf_error(f->sf) != SF_ERR_NO_ERROR) {
        char reason[256];
        sf_reason(f->sf, reason, sizeof reason);
        snprintf(err, errlen,
                 "%s: cannot be decoded after %.1f s of %.1f s (%s); the file may be cut short "
                 "or damaged: copy or record it again",
                 f->path, at, f->details.seconds, reason);
        return SD_ERR_PARSE;
    }
    f->frames_read += got;
    bool last = got == 0;
    if (last && f->frames_read < f->details.frames) {
        snprintf(err, errlen,
                 "%s: the audio ends after %.1f s of the %.1f s the file promises; the file is "
                 "cut short: copy or record it again",
                 f->path, at, f->details.seconds);
        return SD_ERR_PARSE;
    }
    downmix(f->frames, f->details.channels, (size_t)got, f->mono);
    const float *converted;
    size_t n;
    sd_code rc = resample_floats(f->rs, f->mono, (size_t)got, last, &converted, &n);
    if (rc != SD_OK)
        return rc;
    if (!grow_pcm(&f->ready, &f->ready_cap, n))
        return SD_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        f->ready[i] = to_pcm16(converted[i]);
    f->ready_len = n;
    f->ready_pos = 0;
    f->drained = last;
    return SD_OK;
}

sd_code audiofile_read(audiofile *f, int16_t *buf, size_t max, size_t *got, char *err,
                       size_t errlen)
{
    *got = 0;
    while (*got < max) {
        if (f->ready_pos == f->ready_len) {
            if (f->drained)
                break;
            sd_code rc = refill(f, err, errlen);
            if (rc != SD_OK)
                return rc;
            continue;
        }
        size_t take = f->ready_len - f->ready_pos;
        if (take > max - *got)
            take = max - *got;
        memcpy(buf + *got, f->ready + f->ready_pos, take * sizeof *buf);
        f->ready_pos += take;
        *got += take;
    }
    return SD_OK;
}

/* Reads what is left of f into one malloc'd buffer, refusing audio longer than max_seconds
 * before decoding any of it. */
static sd_code read_rest(audiofile *f, int16_t **samples, size_t *n, double max_seconds, char *err,
                         size_t errlen)
{
    if (f->details.seconds > max_seconds) {
        snprintf(err, errlen,
                 "%s: %.1f s of audio, longer than the %.0f s allowed; cut it into shorter "
                 "pieces",
                 f->path, f->details.seconds, max_seconds);
        return SD_ERR_TOO_LONG;
    }
    /* The expected length plus the resampler's rounding, so one allocation usually does. */
    size_t expected = (size_t)ceil(f->details.seconds * f->details.target_rate) + 1024;
    int16_t *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (!grow_pcm(&buf, &cap, len < expected ? expected : len + READ_CHUNK_FRAMES)) {
            free(buf);
            return SD_ERR_NOMEM;
        }
        size_t got;
        sd_code rc = audiofile_read(f, buf + len, cap - len, &got, err, errlen);
        if (rc != SD_OK) {
            free(buf);
            return rc;
        }
        len += got;
        if (got == 0)
            break;
    }
    *samples = buf;
    *n = len;
    return SD_OK;
}

static sd_code read_all_then_close(sd_code opened, audiofile *f, int16_t **samples, size_t *n,
                                   double max_seconds, char *err, size_t errlen)
{
    if (opened != SD_OK)
        return opened;
    sd_code rc = read_rest(f, samples, n, max_seconds, err, errlen);
    audiofile_close(f);
    return rc;
}

sd_code audiofile_read_all(const char *path, int target_rate, int16_t **samples, size_t *n,
                           double max_seconds, char *err, size_t errlen)
{
    *samples = NULL;
    *n = 0;
    audiofile *f;
    sd_code rc = audiofile_open(path, target_rate, &f, err, errlen);
    return read_all_then_close(rc, f, samples, n, max_seconds, err, errlen);
}

sd_code audiofile_read_all_raw(const char *path, int raw_rate, int target_rate, int16_t **samples,
                               size_t *n, double max_seconds, char *err, size_t errlen)
{
    *samples = NULL;
    *n = 0;
    audiofile *f;
    sd_code rc = audiofile_open_raw(path, raw_rate, target_rate, &f, err, errlen);
    return read_all_then_close(rc, f, samples, n, max_seconds, err, errlen);
}

/* ---- Writer ---- */

struct audiofile_writer {
    SNDFILE *sf;
    char *path; /* for messages */
};

sd_code audiofile_writer_open(const char *path, int rate, audiofile_writer **out, char *err,
                              size_t errlen)
{
    *out = NULL;
    if (!rate_ok(rate)) {
        snprintf(err, errlen, "%s: %d Hz is not a usable sample rate (%d to %d)", path, rate,
                 AUDIOFILE_MIN_RATE, AUDIOFILE_MAX_RATE);
        return SD_ERR_INVALID;
    }
    audiofile_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        return SD_ERR_NOMEM;
    }
    SF_INFO info = {.samplerate = rate, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    w->sf = sf_open(path, SFM_WRITE, &info);
    if (!w->sf) {
        char reason[256];
        sf_reason(NULL, reason, sizeof reason);
        snprintf(err, errlen, "%s: cannot be written (%s)", path, reason);
        free(w->path);
        free(w);
        return SD_ERR_IO;
    }
    *out = w;
    return SD_OK;
}

sd_code audiofile_writer_append(audiofile_writer *w, const int16_t *samples, size_t n, char *err,
                                size_t errlen)
{
    if (sf_write_short(w->sf, samples, (sf_count_t)n) != (sf_count_t)n) {
        char reason[256];
        sf_reason(w->sf, reason, sizeof reason);
        snprintf(err, errlen, "%s: writing failed (%s)", w->path, reason);
        return SD_ERR_IO;
    }
    return SD_OK;
}

sd_code audiofile_writer_close(audiofile_writer *w, char *err, size_t errlen)
{
    sd_code rc = SD_OK;
    int error = sf_close(w->sf);
    if (error != 0) {
        snprintf(err, errlen, "%s: finishing the file failed (%s)", w->path,
                 sf_error_number(error));
        rc = SD_ERR_IO;
    }
    free(w->path);
    free(w);
    return rc;
}

sd_code audiofile_write_wav(const char *path, int rate, const int16_t *samples, size_t n, char *err,
                            size_t errlen)
{
    audiofile_writer *w;
    sd_code rc = audiofile_writer_open(path, rate, &w, err, errlen);
    if (rc != SD_OK)
        return rc;
    rc = audiofile_writer_append(w, samples, n, err, errlen);
    sd_code closed = audiofile_writer_close(w, err, errlen);
    return rc != SD_OK ? rc : closed;
}

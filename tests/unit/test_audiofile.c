/* Audio files and rate conversion on real files: WAV written by the writer and by libsndfile in
 * other sample formats, read back at the same and other rates (length scales with the rate, a
 * 440 Hz tone stays 440 Hz), stereo mixed down, raw input, and every way a file can be wrong. */
#include <dirent.h>
#include <math.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audiofile.h"
#include "check.h"

static char dir[] = "/tmp/seodong-audio-XXXXXX";

static const char *temp_path(const char *name)
{
    static char path[4][256];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof path[0], "%s/%.200s", dir, name);
    return p;
}

static void remove_temp_dir(void)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlink(temp_path(e->d_name));
    closedir(d);
    rmdir(dir);
}

static double tone(int i, int rate, double freq)
{
    return sin(2.0 * M_PI * freq * i / rate);
}

/* A 440 Hz tone at half scale, n samples at rate. */
static int16_t *sine_pcm(int rate, size_t n)
{
    int16_t *s = malloc(n * sizeof *s);
    for (size_t i = 0; i < n; i++)
        s[i] = (int16_t)lrint(16384.0 * tone((int)i, rate, 440.0));
    return s;
}

/* Writes a file in any libsndfile format: frames of channels, each channel the 440 Hz tone. */
static void write_with_sndfile(const char *path, int format, int rate, int channels, size_t frames)
{
    SF_INFO info = {.samplerate = rate, .channels = channels, .format = format};
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    CHECK(sf != NULL);
    float *buf = malloc(frames * (size_t)channels * sizeof *buf);
    for (size_t i = 0; i < frames; i++)
        for (int c = 0; c < channels; c++)
            buf[i * (size_t)channels + (size_t)c] = (float)(0.5 * tone((int)i, rate, 440.0));
    CHECK(sf_writef_float(sf, buf, (sf_count_t)frames) == (sf_count_t)frames);
    sf_close(sf);
    free(buf);
}

/* The frequency of a tone from its zero crossings, skipping the filter's edges. */
static double frequency(const int16_t *s, size_t n, int rate)
{
    size_t from = n / 10, to = n - n / 10, crossings = 0;
    for (size_t i = from + 1; i < to; i++)
        if ((s[i - 1] < 0) != (s[i] < 0))
            crossings++;
    return crossings / 2.0 / ((double)(to - from) / rate);
}

static bool near(double got, double want, double tolerance)
{
    bool ok = fabs(got - want) <= tolerance * want;
    if (!ok)
        fprintf(stderr, "  got %.2f, want %.2f +-%.0f%%\n", got, want, tolerance * 100);
    return ok;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void test_round_trip(void)
{
    const char *path = temp_path("tone.wav");
    int16_t *pcm = sine_pcm(16000, 16000);
    char err[512];
    CHECK(audiofile_write_wav(path, 16000, pcm, 16000, err, sizeof err) == SD_OK);

    int16_t *back;
    size_t n;
    CHECK(audiofile_read_all(path, 16000, &back, &n, 10, err, sizeof err) == SD_OK);
    CHECK(n == 16000 && memcmp(back, pcm, n * sizeof *pcm) == 0);
    free(back);

    static const int rates[] = {8000, 22050, 48000};
    for (size_t i = 0; i < sizeof rates / sizeof *rates; i++) {
        CHECK(audiofile_read_all(path, rates[i], &back, &n, 10, err, sizeof err) == SD_OK);
        CHECK(near((double)n, rates[i], 0.01));
        CHECK(near(frequency(back, n, rates[i]), 440, 0.01));
        free(back);
    }
    free(pcm);
}

/* The streaming writer, and the streaming reader in small odd reads, give what read_all gives. */
static void test_streaming(void)
{
    const char *path = temp_path("chunks.wav");
    int16_t *pcm = sine_pcm(22050, 22050);
    char err[512];
    audiofile_writer *w;
    CHECK(audiofile_writer_open(path, 22050, &w, err, sizeof err) == SD_OK);
    for (size_t at = 0; at < 22050; at += 1050)
        CHECK(audiofile_writer_append(w, pcm + at, 1050, err, sizeof err) == SD_OK);
    CHECK(audiofile_writer_close(w, err, sizeof err) == SD_OK);

    int16_t *whole;
    size_t n_whole;
    CHECK(audiofile_read_all(path, 8000, &whole, &n_whole, 10, err, sizeof err) == SD_OK);
    audiofile *f;
    CHECK(audiofile_open(path, 8000, &f, err, sizeof err) == SD_OK);
    audiofile_details d;
    audiofile_info(f, &d);
    CHECK(d.rate == 22050 && d.channels == 1 && d.frames == 22050 && d.target_rate == 8000);
    CHECK(near(d.seconds, 1.0, 0.001));
    int16_t *parts = malloc(n_whole * sizeof *parts + 1000);
    size_t total = 0, got;
    do {
        CHECK(audiofile_read(f, parts + total, 37, &got, err, sizeof err) == SD_OK);
        total += got;
    } while (got == 37);
    CHECK(audiofile_read(f, parts, 37, &got, err, sizeof err) == SD_OK && got == 0);
    audiofile_close(f);
    CHECK(total == n_whole && memcmp(parts, whole, total * sizeof *parts) == 0);
    free(parts);
    free(whole);
    free(pcm);
}

/* A live stream converted in uneven pieces matches the same stream converted at once, so chunk
 * boundaries leave no mark. */
static void test_resampler(void)
{
    int16_t *pcm = sine_pcm(22050, 22050);
    resampler *whole, *pieces;
    CHECK(resampler_new(22050, 16000, &whole) == SD_OK);
    CHECK(resampler_new(22050, 16000, &pieces) == SD_OK);
    const int16_t *out;
    size_t n_whole, n;
    CHECK(resampler_process(whole, pcm, 22050, true, &out, &n_whole) == SD_OK);
    int16_t *expected = malloc(n_whole * sizeof *expected);
    memcpy(expected, out, n_whole * sizeof *expected);

    int16_t *got = malloc((n_whole + 1000) * sizeof *got);
    size_t total = 0, at = 0, step = 1;
    while (at <= 22050) {
        size_t take = at + step > 22050 ? 22050 - at : step;
        bool last = at + take == 22050;
        CHECK(resampler_process(pieces, pcm + at, take, last, &out, &n) == SD_OK);
        memcpy(got + total, out, n * sizeof *got);
        total += n;
        at += take;
        step = step * 3 % 997 + 1;
        if (last)
            break;
    }
    CHECK(total == n_whole);
    int worst = 0;
    for (size_t i = 0; i < total && i < n_whole; i++)
        if (abs(got[i] - expected[i]) > worst)
            worst = abs(got[i] - expected[i]);
    CHECK(worst <= 1);
    CHECK(near((double)n_whole, 16000, 0.01));
    CHECK(near(frequency(expected, n_whole, 16000), 440, 0.01));

    resampler *same;
    CHECK(resampler_new(16000, 16000, &same) == SD_OK);
    CHECK(resampler_process(same, pcm, 100, false, &out, &n) == SD_OK && n == 100);
    CHECK(memcmp(out, pcm, 100 * sizeof *pcm) == 0);
    resampler_free(same);
    CHECK(resampler_new(22050, 0, &same) == SD_ERR_INVALID && same == NULL);

    resampler_free(whole);
    resampler_free(pieces);
    free(expected);
    free(got);
    free(pcm);
}

/* Stereo float at 44.1 kHz, 8-bit unsigned and 24-bit: all come out mono 16-bit at 16 kHz. */
static void test_formats(void)
{
    static const struct {
        const char *name;
        int format, rate, channels;
    } files[] = {
        {"stereo.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 2},
        {"u8.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 8000, 1},
        {"s24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 48000, 1},
        {"six.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 32000, 6},
    };
    char err[512];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        const char *path = temp_path(files[i].name);
        write_with_sndfile(path, files[i].format, files[i].rate, files[i].channels,
                           (size_t)files[i].rate * 2);
        int16_t *s;
        size_t n;
        CHECK(audiofile_read_all(path, 16000, &s, &n, 10, err, sizeof err) == SD_OK);
        CHECK(near((double)n, 32000, 0.01));
        CHECK(near(frequency(s, n, 16000), 440, 0.01));
        int peak = 0;
        for (size_t k = 0; k < n; k++)
            peak = abs(s[k]) > peak ? abs(s[k]) : peak;
        CHECK(near(peak, 16384, 0.05)); /* half scale in every channel: the mean is half too */
        free(s);
    }

    /* Channels are averaged: a left channel at +0.5 and a right one at +0.1 give +0.3. */
    const char *path = temp_path("dc.wav");
    SF_INFO info = {.samplerate = 44100, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    float frames[2 * 4410];
    for (int k = 0; k < 4410; k++) {
        frames[2 * k] = 0.5f;
        frames[2 * k + 1] = 0.1f;
    }
    sf_writef_float(sf, frames, 4410);
    sf_close(sf);
    int16_t *s;
    size_t n;
    CHECK(audiofile_read_all(path, 16000, &s, &n, 10, err, sizeof err) == SD_OK);
    CHECK(n > 1000 && abs(s[n / 2] - 9830) <= 40);
    free(s);
}

static void test_raw(void)
{
    const char *path = temp_path("speech.raw");
    FILE *f = fopen(path, "wb");
    int16_t *pcm = sine_pcm(16000, 8000);
    for (size_t i = 0; i < 8000; i++) {
        unsigned char le[2] = {(unsigned char)(pcm[i] & 0xff),
                               (unsigned char)((pcm[i] >> 8) & 0xff)};
        fwrite(le, 1, 2, f);
    }
    fclose(f);
    int16_t *s;
    size_t n;
    char err[512];
    CHECK(audiofile_read_all_raw(path, 16000, 16000, &s, &n, 10, err, sizeof err) == SD_OK);
    CHECK(n == 8000 && memcmp(s, pcm, n * sizeof *s) == 0);
    free(s);
    CHECK(audiofile_read_all_raw(path, 16000, 8000, &s, &n, 10, err, sizeof err) == SD_OK);
    CHECK(near((double)n, 4000, 0.01) && near(frequency(s, n, 8000), 440, 0.01));
    free(s);
    audiofile *a;
    CHECK(audiofile_open(path, 16000, &a, err, sizeof err) == SD_ERR_INVALID && a == NULL);
    CHECK(strstr(err, "sample rate") != NULL);
    CHECK(audiofile_open_raw(path, 0, 16000, &a, err, sizeof err) == SD_ERR_INVALID);
    free(pcm);

    /* The recogniser's own test data, when installed: 16-bit 16 kHz, 2.79 s. */
    const char *go = "/usr/share/pocketsphinx/test/data/goforward.raw";
    struct stat st;
    if (stat(go, &st) == 0) {
        CHECK(audiofile_read_all_raw(go, 16000, 16000, &s, &n, 60, err, sizeof err) == SD_OK);
        CHECK(n == (size_t)st.st_size / 2);
        free(s);
    }
}

/* Cut WAV, cut FLAC, a WAV streamed with an "unknown" length, text, empty, missing, folder. */
static void test_bad_files(void)
{
    char err[512];
    int16_t *s = NULL;
    size_t n;
    const char *cut = temp_path("cut.wav");
    write_with_sndfile(cut, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, 16000);
    CHECK(truncate(cut, 20000) == 0);
    CHECK(audiofile_read_all(cut, 16000, &s, &n, 10, err, sizeof err) == SD_ERR_PARSE);
    CHECK(s == NULL && strstr(err, "cut short") != NULL);

    const char *flac = temp_path("cut.flac");
    write_with_sndfile(flac, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1, 32000);
    struct stat st;
    stat(flac, &st);
    CHECK(truncate(flac, st.st_size / 2) == 0);
    CHECK(audiofile_read_all(flac, 16000, &s, &n, 10, err, sizeof err) == SD_ERR_PARSE);
    CHECK(s == NULL && strstr(err, "cut short") != NULL);

    /* Writers streaming to a pipe put 0xFFFFFFFF as the length: that is no cut. */
    const char *streamed = temp_path("streamed.wav");
    write_with_sndfile(streamed, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, 16000);
    FILE *f = fopen(streamed, "r+b");
    static const unsigned char unknown[4] = {0xff, 0xff, 0xff, 0xff};
    fseek(f, 40, SEEK_SET); /* the data chunk's length, in a plain 44-byte header */
    fwrite(unknown, 1, 4, f);
    fclose(f);
    CHECK(audiofile_read_all(streamed, 16000, &s, &n, 10, err, sizeof err) == SD_OK);
    CHECK(n == 16000);
    free(s);

    const char *text = temp_path("notes.wav");
    write_text(text, "not audio at all, just a note\n");
    CHECK(audiofile_read_all(text, 16000, &s, &n, 10, err, sizeof err) == SD_ERR_PARSE);
    CHECK(strstr(err, "not a WAV or other audio file") != NULL);

    const char *empty = temp_path("empty.wav");
    write_text(empty, "");
    CHECK(audiofile_read_all(empty, 16000, &s, &n, 10, err, sizeof err) == SD_ERR_PARSE);
    CHECK(strstr(err, "empty") != NULL);

    CHECK(audiofile_read_all(temp_path("missing.wav"), 16000, &s, &n, 10, err, sizeof err) ==
          SD_ERR_IO);
    CHECK(strstr(err, "No such file") != NULL);
    CHECK(audiofile_read_all(dir, 16000, &s, &n, 10, err, sizeof err) == SD_ERR_IO);
    CHECK(audiofile_read_all(cut, 0, &s, &n, 10, err, sizeof err) == SD_ERR_INVALID);
    CHECK(audiofile_write_wav("/nonexistent/x.wav", 16000, NULL, 0, err, sizeof err) == SD_ERR_IO);
    CHECK(strstr(err, "/nonexistent/x.wav") != NULL);
}

static void test_too_long(void)
{
    const char *path = temp_path("long.wav");
    write_with_sndfile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 8000 * 3);
    char err[512];
    int16_t *s = NULL;
    size_t n = 1;
    CHECK(audiofile_read_all(path, 16000, &s, &n, 2.5, err, sizeof err) == SD_ERR_TOO_LONG);
    CHECK(s == NULL && n == 0 && strstr(err, "3.0 s") != NULL);
    CHECK(audiofile_read_all(path, 16000, &s, &n, 3.0, err, sizeof err) == SD_OK);
    CHECK(near((double)n, 48000, 0.01));
    free(s);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    test_round_trip();
    test_streaming();
    test_resampler();
    test_formats();
    test_raw();
    test_bad_files();
    test_too_long();
    remove_temp_dir();
    CHECK_DONE();
}

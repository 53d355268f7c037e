/* Speech synthesis with the real eSpeak NG: Korean and English come out audible and of a
 * plausible length, in several chunks, at 16 and 8 kHz; a callback can stop it after the first
 * chunk; bad text and settings are refused; a WAV written by tts reads back through audiofile.
 * Prints the real-time factor and the first-chunk latency it measured. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audiofile.h"
#include "check.h"
#include "tts.h"

static const char *const korean = "안녕하세요, 서구청입니다.";
static const char *const english_long =
    "Thank you for calling the Seo-gu district office. Your complaint about illegal parking "
    "near Cheongna Lake Park has been filed, and the parking department will look at it "
    "within seven working days. You can ask about it at any time with your receipt number.";

typedef struct {
    int16_t *samples;
    size_t n, cap;
    int chunks;
    int stop_after;              /* chunks to accept before asking to stop; 0 = never */
    double started, first_chunk; /* seconds on the monotonic clock */
} recording;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int record(void *ctx, const int16_t *samples, size_t n)
{
    recording *r = ctx;
    if (r->chunks++ == 0)
        r->first_chunk = now();
    if (r->n + n > r->cap) {
        r->cap = (r->n + n) * 2;
        r->samples = realloc(r->samples, r->cap * sizeof *r->samples);
    }
    memcpy(r->samples + r->n, samples, n * sizeof *samples);
    r->n += n;
    return r->stop_after && r->chunks >= r->stop_after;
}

static sd_code speak(tts *t, const char *text, const char *lang, int rate, recording *r,
                     bool *interrupted)
{
    int stop_after = r->stop_after;
    free(r->samples);
    *r = (recording){.stop_after = stop_after, .started = now()};
    return tts_speak(t, text, lang, rate, record, r, interrupted);
}

/* eSpeak NG is not bit-exact from one call to the next (lengths vary by a few tenths of a per
 * cent), so lengths are compared with a tolerance. */
static bool about(double got, double want)
{
    return fabs(got - want) <= want * 0.02;
}

static double rms(const recording *r)
{
    double sum = 0;
    for (size_t i = 0; i < r->n; i++)
        sum += (double)r->samples[i] * r->samples[i];
    return r->n ? sqrt(sum / r->n) : 0;
}

static void test_settings(void)
{
    char err[256];
    tts *t;
    tts_config cfg = tts_config_default();
    cfg.pitch = 101;
    CHECK(tts_open(&cfg, &t, err, sizeof err) == SD_ERR_INVALID && t == NULL);
    CHECK(strstr(err, "pitch") != NULL);
    cfg = tts_config_default();
    cfg.data_path = "/nonexistent";
    CHECK(tts_open(&cfg, &t, err, sizeof err) == SD_ERR_IO);
    CHECK(strstr(err, "/nonexistent") != NULL);
}

/* Korean and English at 16 kHz: audible, plausible lengths, streamed in several chunks. */
static void test_speech(tts *t)
{
    recording r = {0};
    bool interrupted = true;
    /* The first call switches eSpeak from the English voice tts_open left selected. */
    static const char *const calls[] = {"after a voice switch", "same voice again"};
    for (int i = 0; i < 2; i++) {
        double started = now();
        CHECK(speak(t, korean, "ko", 16000, &r, &interrupted) == SD_OK && !interrupted);
        double took = now() - started, seconds = r.n / 16000.0;
        CHECK(seconds > 0.5 && seconds < 10);
        CHECK(rms(&r) > 500);
        CHECK(r.chunks > 1);
        printf("korean, %s: %.2f s of speech in %.2f ms (real-time factor %.4f), first chunk "
               "after %.2f ms, %d chunks\n",
               calls[i], seconds, took * 1e3, took / seconds, (r.first_chunk - r.started) * 1e3,
               r.chunks);
    }

    size_t n16 = 0;
    CHECK(speak(t, english_long, "en", 16000, &r, &interrupted) == SD_OK && !interrupted);
    n16 = r.n;
    CHECK(n16 / 16000.0 > 5 && n16 / 16000.0 < 30 && rms(&r) > 500 && r.chunks > 20);
    printf("english: %.2f s of speech, %d chunks\n", n16 / 16000.0, r.chunks);
    CHECK(speak(t, english_long, "en", 8000, &r, &interrupted) == SD_OK);
    CHECK(about((double)r.n, n16 / 2.0) && rms(&r) > 500);
    free(r.samples);
}

/* Barge-in: the callback stops synthesis after its first chunk, and the next call is whole. */
static void test_interrupt(tts *t)
{
    recording whole = {0}, cut = {.stop_after = 1};
    bool interrupted = false;
    CHECK(speak(t, english_long, "en", 16000, &whole, &interrupted) == SD_OK);
    double started = now();
    CHECK(speak(t, english_long, "en", 16000, &cut, &interrupted) == SD_OK && interrupted);
    double took = now() - started;
    CHECK(cut.chunks == 1 && cut.n > 0 && cut.n < whole.n / 20);
    CHECK(took < 0.5);
    printf("barge-in: stopped after %zu of %zu samples in %.2f ms\n", cut.n, whole.n, took * 1e3);
    size_t whole_n = whole.n;
    CHECK(speak(t, english_long, "en", 16000, &whole, &interrupted) == SD_OK && !interrupted);
    CHECK(about((double)whole.n, (double)whole_n));
    free(whole.samples);
    free(cut.samples);
}

static void test_refusals(tts *t)
{
    recording r = {0};
    bool interrupted;
    CHECK(speak(t, "\xed\x95\x9c\xff", "ko", 16000, &r, &interrupted) == SD_ERR_UTF8);
    CHECK(speak(t, "", "ko", 16000, &r, &interrupted) == SD_OK && r.chunks == 0);
    CHECK(speak(t, "hello", "fr", 16000, &r, &interrupted) == SD_ERR_INVALID);
    CHECK(speak(t, "hello", "en", 0, &r, &interrupted) == SD_ERR_INVALID);
    CHECK(r.chunks == 0);
    char err[256];
    tts *second;
    CHECK(tts_open(NULL, &second, err, sizeof err) == SD_ERR_BUSY && second == NULL);
    free(r.samples);
}

static void test_wav(tts *t)
{
    char dir[] = "/tmp/seodong-tts-XXXXXX", path[64], err[512];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/answer.wav", dir);
    CHECK(tts_speak_to_wav(t, korean, "ko", 8000, path, err, sizeof err) == SD_OK);
    recording r = {0};
    bool interrupted;
    CHECK(speak(t, korean, "ko", 8000, &r, &interrupted) == SD_OK);
    int16_t *s;
    size_t n;
    CHECK(audiofile_read_all(path, 8000, &s, &n, 60, err, sizeof err) == SD_OK);
    CHECK(about((double)n, (double)r.n));
    recording from_file = {.samples = s, .n = n};
    CHECK(rms(&from_file) > 500);
    free(s);
    free(r.samples);
    unlink(path);
    rmdir(dir);
    CHECK(tts_speak_to_wav(t, korean, "ko", 8000, "/nonexistent/answer.wav", err, sizeof err) ==
          SD_ERR_IO);
    CHECK(strstr(err, "/nonexistent/answer.wav") != NULL);
}

/* Two threads speaking at once are serialised and both get all of their audio. */
typedef struct {
    tts *t;
    recording r;
    sd_code rc;
} speaker;

static void *speak_in_thread(void *arg)
{
    speaker *s = arg;
    bool interrupted;
    s->rc = speak(s->t, korean, "ko", 16000, &s->r, &interrupted);
    return NULL;
}

static void test_threads(tts *t)
{
    speaker a = {.t = t}, b = {.t = t};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, speak_in_thread, &a);
    pthread_create(&tb, NULL, speak_in_thread, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK(a.rc == SD_OK && b.rc == SD_OK && a.r.n > 8000 && about((double)b.r.n, (double)a.r.n));
    CHECK(rms(&a.r) > 500 && rms(&b.r) > 500);
    free(a.r.samples);
    free(b.r.samples);
}

/* Samples in the long English text at 16 kHz. */
static size_t english_length(tts *t)
{
    recording r = {0};
    bool interrupted;
    CHECK(speak(t, english_long, "en", 16000, &r, &interrupted) == SD_OK);
    free(r.samples);
    return r.n;
}

int main(void)
{
    test_settings();
    char err[256];
    tts *t;
    CHECK(tts_open(NULL, &t, err, sizeof err) == SD_OK);
    if (!t) {
        fprintf(stderr, "%s\n", err);
        CHECK_DONE();
    }
    test_speech(t);
    test_interrupt(t);
    test_refusals(t);
    test_wav(t);
    test_threads(t);
    size_t normal_pace = english_length(t);
    tts_close(t);
    /* The library stays started: a new object after the old one is closed works at once, with
     * its own settings. */
    tts_config fast = tts_config_default();
    fast.words_per_minute = 350;
    CHECK(tts_open(&fast, &t, err, sizeof err) == SD_OK);
    size_t fast_pace = english_length(t);
    CHECK(fast_pace > 0 && fast_pace < normal_pace * 3 / 4);
    tts_close(t);
    CHECK_DONE();
}

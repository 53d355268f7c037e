/* test_audio.c - capture and playback through real PortAudio devices with no sound card:
 * ALSA's configuration is replaced (ALSA_CONFIG_PATH, set before PortAudio starts) by one whose
 * default capture device is the `file` plugin reading a raw recording, and whose playback
 * device writes a raw file. What the capture returns must be the recording; what the player
 * wrote must land in the output file; a stopped player must drop the rest. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio.h"
#include "check.h"

#define RATE 16000

static char dir[] = "/tmp/seodong-audio-XXXXXX";
static char in_path[128], out_path[128], conf_path[128];

static int16_t tone(size_t i)
{
    return (int16_t)(8000.0 * sin(2.0 * 3.14159265358979 * 440.0 * (double)i / RATE));
}

/* n samples of the tone, then half a second of silence: after the end of its file the `file`
 * plugin goes on repeating its last period (alsa-lib 1.2.8, measured), so a recording that ends
 * in silence is heard as silence for ever after, as a quiet room would be. */
static void write_input(size_t n)
{
    FILE *f = fopen(in_path, "wb");
    CHECK(f != NULL);
    for (size_t i = 0; f && i < n + RATE / 2; i++) {
        int16_t s = i < n ? tone(i) : 0;
        fwrite(&s, sizeof s, 1, f);
    }
    if (f)
        fclose(f);
}

static void write_config(void)
{
    FILE *f = fopen(conf_path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fprintf(f,
            "pcm.!default { type asym; capture.pcm \"cap\"; playback.pcm \"play\" }\n"
            "pcm.cap { type file; slave.pcm \"null\"; file \"/dev/null\"; infile \"%s\";"
            " format \"raw\" }\n"
            "pcm.play { type file; slave.pcm \"null\"; file \"%s\"; format \"raw\" }\n",
            in_path, out_path);
    fclose(f);
    char path[512];
    snprintf(path, sizeof path, "/usr/share/alsa/alsa.conf:%s", conf_path);
    setenv("ALSA_CONFIG_PATH", path, 1);
}

static void test_devices_listed(void)
{
    strbuf out;
    strbuf_init(&out);
    char err[256] = "";
    CHECK(audio_list_devices(&out, err, sizeof err) == SD_OK);
    CHECK(strstr(strbuf_str(&out), "[default input]") != NULL);
    strbuf_free(&out);
}

static void test_capture_reads_the_recording(void)
{
    audio_config cfg = {.device = -1, .rate = RATE};
    audio_capture *c = NULL;
    char err[256] = "";
    CHECK(audio_capture_open(&cfg, &c, err, sizeof err) == SD_OK);
    if (!c) {
        fprintf(stderr, "capture: %s\n", err);
        return;
    }
    int16_t *got = calloc(RATE, sizeof *got);
    size_t n = 0;
    int polls = 0;
    while (n < RATE && polls++ < 2000) {
        size_t k = 0;
        CHECK(audio_capture_read(c, got + n, RATE - n, 100, &k) == SD_OK);
        n += k;
    }
    CHECK(n == RATE);
    /* The file plugin may deliver a few frames of silence before the file's first sample. */
    size_t lead = 0;
    while (lead < 1024 && got[lead] == 0 && tone(1) != 0)
        lead++;
    lead = lead > 0 ? lead - 1 : 0;
    size_t same = 0;
    for (size_t i = lead; i < n; i++)
        same += got[i] == tone(i - lead);
    CHECK(same > (n - lead) * 99 / 100);
    /* After the tone the device goes on with silence (end of speech is testable): the last
     * `lead` samples of the tone, then nothing but zeros, also past the end of the file. */
    size_t after = 0;
    polls = 0;
    while (after < RATE && polls++ < 2000) {
        size_t k = 0;
        CHECK(audio_capture_read(c, got + after, RATE - after, 100, &k) == SD_OK);
        after += k;
    }
    CHECK(after == RATE);
    size_t rest_same = 0, loud = 0;
    for (size_t i = 0; i < lead && i < after; i++)
        rest_same += got[i] == tone(RATE - lead + i);
    for (size_t i = lead; i < after; i++)
        loud += got[i] != 0;
    CHECK(rest_same == lead);
    CHECK(loud == 0);
    if (loud)
        fprintf(stderr, "capture: %zu samples after the recording are not silent\n", loud);
    free(got);
    audio_capture_close(c);
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void test_player_writes_and_stops(void)
{
    audio_config cfg = {.device = -1, .rate = RATE, .frames_per_buffer = 320};
    audio_player *p = NULL;
    char err[256] = "";
    CHECK(audio_player_open(&cfg, &p, err, sizeof err) == SD_OK);
    if (!p) {
        fprintf(stderr, "player: %s\n", err);
        return;
    }
    int16_t *samples = malloc(RATE * sizeof *samples);
    for (size_t i = 0; i < RATE; i++)
        samples[i] = tone(i);
    CHECK(audio_player_write(p, samples, RATE) == SD_OK);
    audio_player_stop(p);
    CHECK(audio_player_stopped(p));
    CHECK(audio_player_write(p, samples, RATE) == SD_ERR_INVALID);
    audio_player_close(p);
    /* One second went out; the stopped second did not. */
    long bytes = file_size(out_path);
    CHECK(bytes >= RATE * 2 && bytes < RATE * 2 * 3 / 2);
    FILE *f = fopen(out_path, "rb");
    int16_t first[64] = {0};
    CHECK(f && fread(first, sizeof first[0], 64, f) == 64);
    if (f)
        fclose(f);
    size_t same = 0;
    for (size_t i = 0; i < 64; i++)
        same += first[i] == tone(i);
    CHECK(same == 64);
    free(samples);
}

static void test_bad_device(void)
{
    audio_config cfg = {.device = 999, .rate = RATE};
    audio_capture *c = NULL;
    char err[256] = "";
    CHECK(audio_capture_open(&cfg, &c, err, sizeof err) == SD_ERR_INVALID);
    CHECK(c == NULL);
    CHECK(strstr(err, "seodong devices") != NULL);
    cfg.device = -1;
    cfg.rate = 0;
    audio_player *p = NULL;
    CHECK(audio_player_open(&cfg, &p, err, sizeof err) == SD_ERR_INVALID);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(in_path, sizeof in_path, "%s/in.raw", dir);
    snprintf(out_path, sizeof out_path, "%s/out.raw", dir);
    snprintf(conf_path, sizeof conf_path, "%s/asound.conf", dir);
    write_input(RATE);
    write_config();
    test_devices_listed();
    test_capture_reads_the_recording();
    test_player_writes_and_stops();
    test_bad_device();
    unlink(in_path);
    unlink(out_path);
    unlink(conf_path);
    rmdir(dir);
    CHECK_DONE();
}

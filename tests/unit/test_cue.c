/* test_cue.c - the sounds of audio/ as the speaker and the phone line load them: each committed
 * file at the rates it is made for; an office's own sound in another format and rate,
 * converted; and every file that must stop the program at start (missing, not audio, silent,
 * too long, a rate nothing plays at) refused with a message naming the file and what to do. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audiofile.h"
#include "check.h"
#include "cue.h"

/* Loads kind at rate from dir; the samples' count, or 0 when refused (rc and err say why). */
static size_t load(const char *dir, cue_kind kind, int rate, sd_code *rc, char *err, size_t size)
{
    cue *c = NULL;
    err[0] = '\0';
    *rc = cue_load(dir, kind, rate, &c, err, size);
    size_t n = 0;
    if (c) {
        const int16_t *samples = cue_samples(c, &n);
        CHECK(samples != NULL && n > 0);
    }
    CHECK((*rc == SD_OK) == (c != NULL));
    cue_free(c);
    return n;
}

static void test_committed_sounds(void)
{
    sd_code rc;
    char err[1024];
    const char *dir = SEODONG_SOURCE_DIR;
    CHECK(load(dir, CUE_WAKE, 16000, &rc, err, sizeof err) == 2560 && rc == SD_OK);
    CHECK(load(dir, CUE_LISTEN, 8000, &rc, err, sizeof err) == 2000 && rc == SD_OK);
    CHECK(load(dir, CUE_LISTEN, 16000, &rc, err, sizeof err) == 4000 && rc == SD_OK);
    CHECK(load(dir, CUE_HOLD, 8000, &rc, err, sizeof err) == 24000 && rc == SD_OK);
    CHECK(load(dir, CUE_HOLD, 16000, &rc, err, sizeof err) == 48000 && rc == SD_OK);
    /* No sound is made for another rate. */
    CHECK(load(dir, CUE_LISTEN, 44100, &rc, err, sizeof err) == 0 && rc == SD_ERR_INVALID);
    CHECK(strstr(err, "the listening cue") && strstr(err, "44100 Hz"));
}

/* Writes n samples of a 500 Hz tone at amplitude amp (0: silence) to dir/audio/name. */
static void write_sound(const char *dir, const char *name, int rate, size_t n, int amp)
{
    int16_t *pcm = calloc(n ? n : 1, sizeof *pcm);
    for (size_t i = 0; i < n; i++)
        pcm[i] = (int16_t)(amp * ((i * 500 * 4 / (size_t)rate) % 4 < 2 ? 1 : -1));
    char path[1100], err[512];
    snprintf(path, sizeof path, "%s/audio/%s", dir, name);
    CHECK(audiofile_write_wav(path, rate, pcm, n, err, sizeof err) == SD_OK);
    free(pcm);
}

static void test_an_offices_own_sounds(const char *dir)
{
    sd_code rc;
    char err[1024], path[1100];
    /* 0.25 s at 44.1 kHz read for an 8 kHz call. */
    write_sound(dir, "listen-8k.wav", 44100, 11025, 3000);
    size_t n = load(dir, CUE_LISTEN, 8000, &rc, err, sizeof err);
    CHECK(rc == SD_OK && n >= 1990 && n <= 2010);
    /* The hold tone's loop may be long, 30 s; a cue 2 s. */
    write_sound(dir, "hold-16k.wav", 16000, 20 * 16000, 3000);
    CHECK(load(dir, CUE_HOLD, 16000, &rc, err, sizeof err) == 20 * 16000 && rc == SD_OK);
    write_sound(dir, "wake-16k.wav", 16000, 3 * 16000, 3000);
    CHECK(load(dir, CUE_WAKE, 16000, &rc, err, sizeof err) == 0 && rc == SD_ERR_TOO_LONG);
    CHECK(strstr(err, "the wake acknowledgement cannot be played") != NULL);
    CHECK(strstr(err, "longer than the 2 s allowed") != NULL);
    /* Silence, or a whisper under -60 dBFS, is no cue. */
    write_sound(dir, "wake-16k.wav", 16000, 2000, 30);
    CHECK(load(dir, CUE_WAKE, 16000, &rc, err, sizeof err) == 0 && rc == SD_ERR_PARSE);
    snprintf(path, sizeof path, "%s/audio/wake-16k.wav: holds no sound", dir);
    CHECK(strstr(err, path) != NULL);
    write_sound(dir, "wake-16k.wav", 16000, 0, 0);
    CHECK(load(dir, CUE_WAKE, 16000, &rc, err, sizeof err) == 0 && rc == SD_ERR_PARSE);
    /* Not audio at all. */
    snprintf(path, sizeof path, "%s/audio/listen-16k.wav", dir);
    check_write_file(path, "RIFF, but not really\n");
    CHECK(load(dir, CUE_LISTEN, 16000, &rc, err, sizeof err) == 0 && rc == SD_ERR_PARSE);
    CHECK(strstr(err, path) != NULL);
    /* Missing: the message names the file, and says how to make it or where to look. */
    CHECK(load(dir, CUE_HOLD, 8000, &rc, err, sizeof err) == 0 && rc == SD_ERR_IO);
    snprintf(path, sizeof path, "the hold tone cannot be played: %s/audio/hold-8k.wav", dir);
    CHECK(strstr(err, path) != NULL);
    CHECK(strstr(err, "audio/make_cues.sh") && strstr(err, "--data"));
}

int main(void)
{
    char dir[] = "/tmp/seodong-cue-XXXXXX", audio[64];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(audio, sizeof audio, "%s/audio", dir);
    CHECK(mkdir(audio, 0700) == 0);
    test_committed_sounds();
    test_an_offices_own_sounds(dir);
    const char *made[] = {"listen-8k.wav", "listen-16k.wav", "hold-16k.wav", "wake-16k.wav"};
    for (size_t i = 0; i < sizeof made / sizeof *made; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", audio, made[i]);
        remove(path);
    }
    rmdir(audio);
    rmdir(dir);
    CHECK_DONE();
}

/* cue.c - the sounds of audio/ (see cue.h), read with audiofile.h, which converts any format and
 * rate. A file is refused when it holds nothing audible: a cue that plays as silence looks, to a
 * resident, like a speaker that did not hear them. */
#include "cue.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "audiofile.h"

/* Quieter than this everywhere (-60 dBFS), a cue cannot be heard. */
#define AUDIBLE_PEAK 33

struct cue {
    int16_t *samples;
    size_t n;
};

static const struct {
    const char *file, *what;
    double max_seconds;
} kinds[] = {
    [CUE_WAKE] = {"wake", "the wake acknowledgement", 2},
    [CUE_LISTEN] = {"listen", "the listening cue", 2},
    [CUE_HOLD] = {"hold", "the hold tone", 30},
};

static bool audible(const int16_t *samples, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (samples[i] >= AUDIBLE_PEAK || samples[i] <= -AUDIBLE_PEAK)
            return true;
    return false;
}

sd_code cue_load(const char *data_dir, cue_kind kind, int rate, cue **out, char *err, size_t errlen)
{
    *out = NULL;
    if (rate != 8000 && rate != 16000) {
        snprintf(err, errlen, "%s: no sound is made for %d Hz (8000 or 16000)", kinds[kind].what,
                 rate);
        return SD_ERR_INVALID;
    }
    char path[1100], why[1400] = "";
    snprintf(path, sizeof path, "%s/audio/%s-%dk.wav", data_dir, kinds[kind].file, rate / 1000);
    cue *c = calloc(1, sizeof *c);
    if (!c)
        return SD_ERR_NOMEM;
    sd_code rc = audiofile_read_all(path, rate, &c->samples, &c->n, kinds[kind].max_seconds, why,
                                    sizeof why);
    if (rc == SD_OK && !audible(c->samples, c->n)) {
        snprintf(why, sizeof why, "%s: holds no sound (silent or empty)", path);
        rc = SD_ERR_PARSE;
    }
    if (rc != SD_OK) {
        snprintf(err, errlen,
                 "%s cannot be played: %s. Make the sounds again with audio/make_cues.sh, or give "
                 "--data the folder that holds audio/",
                 kinds[kind].what, why[0] ? why : sd_strerror(rc));
        cue_free(c);
        return rc;
    }
    *out = c;
    return SD_OK;
}

const int16_t *cue_samples(const cue *c, size_t *n)
{
    *n = c->n;
    return c->samples;
}

void cue_free(cue *c)
{
    if (!c)
        return;
    free(c->samples);
    free(c);
}

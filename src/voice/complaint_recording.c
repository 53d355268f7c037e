/* complaint_recording.c - see complaint_recording.h. The samples grow in one buffer, doubled
 * when full; a filing rarely lasts more than a minute. */
#include "complaint_recording.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audiofile.h"

struct complaint_recording {
    char dir[1024];
    int rate;
    int16_t *pcm;
    size_t len, cap;
};

sd_code complaint_recording_new(const char *dir, int rate, complaint_recording **out)
{
    if (rate < AUDIOFILE_MIN_RATE || rate > AUDIOFILE_MAX_RATE)
        return SD_ERR_INVALID;
    complaint_recording *r = calloc(1, sizeof *r);
    if (!r)
        return SD_ERR_NOMEM;
    snprintf(r->dir, sizeof r->dir, "%s", dir);
    r->rate = rate;
    *out = r;
    return SD_OK;
}

void complaint_recording_free(complaint_recording *r)
{
    if (!r)
        return;
    free(r->pcm);
    free(r);
}

/* Appends a turn and the silence after it (a quarter of a second). */
static sd_code keep(complaint_recording *r, const int16_t *audio, size_t n)
{
    size_t gap = (size_t)r->rate / 4;
    size_t need = r->len + n + gap;
    if (need > r->cap) {
        int16_t *grown = realloc(r->pcm, need * 2 * sizeof *grown);
        if (!grown)
            return SD_ERR_NOMEM;
        r->pcm = grown;
        r->cap = need * 2;
    }
    memcpy(r->pcm + r->len, audio, n * sizeof *audio);
    memset(r->pcm + r->len + n, 0, gap * sizeof *audio);
    r->len += n + gap;
    return SD_OK;
}

static sd_code save(complaint_recording *r, const char *receipt, char *saved, size_t size,
                    char *err, size_t errlen)
{
    mkdir(r->dir, 0755);
    snprintf(saved, size, "%s/%s.wav", r->dir, receipt);
    sd_code rc = audiofile_write_wav(saved, r->rate, r->pcm, r->len, err, errlen);
    if (rc != SD_OK)
        saved[0] = '\0';
    return rc;
}

sd_code complaint_recording_track(complaint_recording *r, session *s, const int16_t *audio,
                                  size_t n, char *saved, size_t size, char *err, size_t errlen)
{
    saved[0] = '\0';
    bool filing = session_expects(s) != SESSION_EXPECTS_ANYTHING;
    const char *receipt = session_filed(s);
    sd_code rc = SD_OK;
    if ((filing || receipt) && n)
        rc = keep(r, audio, n);
    if (rc == SD_ERR_NOMEM)
        snprintf(err, errlen, "out of memory for the recording");
    if (rc == SD_OK && receipt && r->len)
        rc = save(r, receipt, saved, size, err, errlen);
    if (!filing)
        r->len = 0;
    return rc;
}

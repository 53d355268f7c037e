/* ivr_sdp.c - the codec of a phone call from the caller's SDP offer (see ivr_sdp.h). */
#include "ivr_sdp.h"

#include <stdio.h>

#include <re.h>

int ivr_sdp_add_formats(struct sdp_media *m)
{
    int err = 0;
    for (int c = 0; !err && c < MEDIA_CODECS; c++) {
        char id[8];
        snprintf(id, sizeof id, "%d", media_codec_pt((media_codec)c));
        /* G.722's RTP clock is 8000 Hz though it samples at 16 kHz (RFC 3551). */
        err = sdp_format_add(NULL, m, false, id, media_codec_name((media_codec)c), 8000, 1, NULL,
                             NULL, NULL, false, NULL);
    }
    if (!err) {
        char id[8];
        snprintf(id, sizeof id, "%d", IVR_SDP_TELEV_PT);
        err = sdp_format_add(NULL, m, false, id, telev_rtpfmt, 8000, 1, NULL, NULL, NULL, false,
                             "0-15");
    }
    return err;
}

sd_code ivr_sdp_choose(const struct sdp_media *m, ivr_sdp_choice *out)
{
    struct le *le;
    LIST_FOREACH(sdp_media_format_lst(m, false), le)
    {
        const struct sdp_format *f = le->data;
        media_codec c;
        if (f->sup && media_codec_find(f->name, &c) == SD_OK) {
            const struct sdp_format *te = sdp_media_rformat(m, telev_rtpfmt);
            out->codec = c;
            out->pt = f->pt;
            out->te_pt = te ? te->pt : -1;
            return SD_OK;
        }
    }
    return SD_ERR_NOT_FOUND;
}

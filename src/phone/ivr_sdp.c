/* ivr_sdp.c - the codec of a phone call from the caller's SDP offer (see ivr_sdp.h).
 *
 * libre's decoder pairs each of the caller's formats with one of ours (by number for static
 * types, by name, clock rate and channels for dynamic ones), marks both "sup", and gives our
 * paired format the caller's number. The choice walks the caller's formats in order and looks at
 * each one's partner among ours: our partner's name says what the format is, since a static type
 * may come without a name. A format whose partner has meanwhile taken another of the caller's
 * numbers (the caller named one codec twice) is passed over, so that the answer and the RTP we
 * send agree. */
#include "ivr_sdp.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <re.h>

#define PT_MAX 127        /* RTP's payload type has 7 bits */
#define PT_DYNAMIC_MIN 96 /* RFC 3551 */

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

/* Our format paired with the caller's format f, or NULL. */
static struct sdp_format *partner(const struct sdp_media *m, const struct sdp_format *f)
{
    char id[16];
    /* A payload type RTP can carry, written as a plain number ("00" and "96x" are not). */
    if (!f->sup || !f->id || f->pt < 0 || f->pt > PT_MAX ||
        snprintf(id, sizeof id, "%d", f->pt) < 0 || strcmp(id, f->id) != 0)
        return NULL;
    struct le *le;
    LIST_FOREACH(sdp_media_format_lst(m, true), le)
    {
        struct sdp_format *ours = le->data;
        if (!ours->sup || ours->pt != f->pt || !ours->name)
            continue;
        /* A static type's number decides; a name that says otherwise contradicts it. */
        if (f->name && strcasecmp(f->name, ours->name) != 0)
            return NULL;
        return ours;
    }
    return NULL;
}

/* Leaves in our answer only the formats chosen. */
static void answer_only(const struct sdp_media *m, const struct sdp_format *codec,
                        const struct sdp_format *telev)
{
    struct le *le;
    LIST_FOREACH(sdp_media_format_lst(m, true), le)
    {
        struct sdp_format *ours = le->data;
        ours->sup = ours == codec || ours == telev;
    }
}

static sd_code choose(const struct sdp_media *m, const media_codec *keep, ivr_sdp_choice *out)
{
    /* An audio line switched off (port 0) or without an address is no line to talk on. */
    if (!sa_isset(sdp_media_raddr(m), SA_ALL))
        return SD_ERR_NOT_FOUND;
    struct sdp_format *codec = NULL, *telev = NULL;
    struct le *le;
    LIST_FOREACH(sdp_media_format_lst(m, false), le)
    {
        const struct sdp_format *f = le->data;
        struct sdp_format *ours = partner(m, f);
        media_codec c;
        if (!ours)
            continue;
        if (strcasecmp(ours->name, telev_rtpfmt) == 0) {
            if (!telev && f->pt >= PT_DYNAMIC_MIN)
                telev = ours;
        } else if (!codec && media_codec_find(ours->name, &c) == SD_OK && (!keep || c == *keep)) {
            codec = ours;
            out->codec = c;
        }
    }
    if (!codec)
        return SD_ERR_NOT_FOUND;
    out->pt = codec->pt;
    out->te_pt = telev ? telev->pt : -1;
    answer_only(m, codec, telev);
    return SD_OK;
}

sd_code ivr_sdp_offer(struct sdp_session *sess, struct sdp_media *m, struct mbuf *offer,
                      const media_codec *keep, ivr_sdp_choice *out)
{
    if (sdp_decode(sess, offer, true) != 0)
        return SD_ERR_PARSE;
    return choose(m, keep, out);
}

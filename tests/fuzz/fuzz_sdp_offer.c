/* fuzz_sdp_offer.c - libFuzzer target for the codec choice of a phone call (ivr_sdp.h): the
 * input is the SDP body of an INVITE as a stranger on the network can send it, read by libre's
 * decoder into our audio line and chosen from by ivr_sdp_offer, as the server does.
 *
 * Beyond not crashing, an accepted offer must keep its promises, or the target aborts: the
 * choice is a codec we speak on a payload type RTP can carry, with a telephone-event of its
 * own; our answer names exactly these; the same offer again as a re-INVITE keeps the choice;
 * and our answer, read back as an offer, chooses the same (when it has one m= line). Built with
 * -DSEODONG_FUZZ=ON and clang; run by scripts/fuzz.sh; its seeds are replayed by every test run
 * (replay.c). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <re.h>

#include "ivr_sdp.h"

/* The formats our answer names are the choice: the codec on its payload type, and the
 * telephone-event on its own when the caller offered one. */
static bool answer_names_choice(const struct sdp_media *m, const ivr_sdp_choice *ch)
{
    int named = 0;
    struct le *le;
    LIST_FOREACH(sdp_media_format_lst(m, true), le)
    {
        const struct sdp_format *f = le->data;
        if (!f->sup)
            continue;
        named++;
        bool telev = strcmp(f->name, telev_rtpfmt) == 0;
        if (telev ? f->pt != ch->te_pt
                  : f->pt != ch->pt || strcmp(f->name, media_codec_name(ch->codec)) != 0)
            return false;
    }
    return named == 1 + (ch->te_pt >= 0);
}

/* An offer through a new audio line of ours; the answer, when chosen, in *answer. */
static sd_code offer(const uint8_t *data, size_t size, ivr_sdp_choice *ch, struct mbuf **answer)
{
    struct sa laddr;
    struct sdp_session *sess = NULL;
    struct sdp_media *m = NULL;
    struct mbuf *mb = mbuf_alloc(size + 1);
    sd_code rc = SD_ERR_NOMEM;
    if (!mb || mbuf_write_mem(mb, data, size) || sa_set_str(&laddr, "127.0.0.1", 20000) ||
        sdp_session_alloc(&sess, &laddr) || sdp_media_add(&m, sess, "audio", 20000, "RTP/AVP") ||
        ivr_sdp_add_formats(m))
        goto out;
    mb->pos = 0;
    rc = ivr_sdp_offer(sess, m, mb, NULL, ch);
    if (rc != SD_OK)
        goto out;
    if ((unsigned)ch->codec >= MEDIA_CODECS || ch->pt < 0 || ch->pt > 127 ||
        (ch->te_pt != -1 && (ch->te_pt < 96 || ch->te_pt > 127 || ch->te_pt == ch->pt)) ||
        !answer_names_choice(m, ch))
        abort();
    if (answer && sdp_encode(answer, sess, false))
        abort();
    /* The same offer again on the same call: a re-INVITE that changes nothing. */
    ivr_sdp_choice again;
    mb->pos = 0;
    if (ivr_sdp_offer(sess, m, mb, &ch->codec, &again) != SD_OK || again.pt != ch->pt ||
        again.te_pt != ch->te_pt || !answer_names_choice(m, &again))
        abort();
out:
    mem_deref(mb);
    mem_deref(sess);
    return rc;
}

/* How many m= lines the SDP text has. */
static int media_lines(const struct mbuf *mb)
{
    int n = 0;
    for (size_t i = 0; i + 2 < mbuf_get_left(mb); i++)
        n += memcmp(mbuf_buf(mb) + i, "\nm=", 3) == 0;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ivr_sdp_choice ch, back;
    struct mbuf *answer = NULL;
    if (offer(data, size, &ch, &answer) != SD_OK)
        return 0;
    /* Our answer read as an offer chooses the same, when it has our audio line alone: libre
     * echoes the caller's other m= lines declined, and pairs an offer's first audio line with
     * ours, which in our answer may be a later one. */
    if (media_lines(answer) == 1 &&
        (offer(mbuf_buf(answer), mbuf_get_left(answer), &back, NULL) != SD_OK ||
         back.codec != ch.codec || back.pt != ch.pt || back.te_pt != ch.te_pt))
        abort();
    mem_deref(answer);
    return 0;
}

/* ivr_sdp.h - the codec of a phone call, chosen from the caller's SDP offer: the formats Seodong
 * offers on its audio line, and the choice among what the caller offers, as libre's SDP decoder
 * handed it over (sdp_decode aligns the caller's formats with ours and marks the common ones).
 *
 * The network thread (ivr.c) and the tests use the same two functions, so that every offer a
 * test or the fuzzer feeds through libre takes the server's own path. */
#ifndef SEODONG_IVR_SDP_H
#define SEODONG_IVR_SDP_H

#include "rtp_media.h"
#include "sd_error.h"

struct sdp_media;

#define IVR_SDP_TELEV_PT 101 /* our telephone-event payload type when we name one */

typedef struct {
    media_codec codec;
    int pt;    /* the payload type the caller gave the codec: ours to send and to receive */
    int te_pt; /* the caller's telephone-event payload type, or -1 */
} ivr_sdp_choice;

/* Adds our formats to a new audio line: G.722, µ-law, A-law, telephone-event 0-15. Returns 0 or
 * libre's error code. */
int ivr_sdp_add_formats(struct sdp_media *m);

/* After sdp_decode of an offer: the first of the caller's formats we speak (the caller's order
 * of preference) and its telephone-event. Returns SD_OK or SD_ERR_NOT_FOUND (no common codec). */
sd_code ivr_sdp_choose(const struct sdp_media *m, ivr_sdp_choice *out);

#endif

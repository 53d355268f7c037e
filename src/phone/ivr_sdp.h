/* ivr_sdp.h - the codec of a phone call, chosen from the caller's SDP offer: the formats Seodong
 * offers on its audio line, and the choice among what the caller offers, as libre's SDP decoder
 * hands it over (sdp_decode aligns the caller's formats with ours and marks the common ones).
 *
 * A static payload type is known by its number (RFC 3551: 0 PCMU, 8 PCMA, 9 G722) whether or not
 * an a=rtpmap names it; an a=rtpmap that names another encoding contradicts the number, and the
 * format is passed over. A dynamic type (96-127) is known by its a=rtpmap name and clock rate.
 * Our answer names only the chosen codec and the caller's telephone-event, on the caller's
 * numbers, so both sides send what the other expects.
 *
 * The network thread (ivr.c), the tests and the fuzzer use the same function, so that every
 * offer a test feeds through libre takes the server's own path. */
#ifndef SEODONG_IVR_SDP_H
#define SEODONG_IVR_SDP_H

#include "media.h"
#include "sd_error.h"

struct mbuf;
struct sdp_media;
struct sdp_session;

#define IVR_SDP_TELEV_PT 101 /* the telephone-event payload type we name */

typedef struct {
    media_codec codec;
    int pt;    /* the payload type the caller gave the codec: ours to send and to receive */
    int te_pt; /* the caller's telephone-event payload type, or -1 */
} ivr_sdp_choice;

/* Adds our formats to a new audio line: G.722, µ-law, A-law, telephone-event 0-15. Returns 0 or
 * libre's error code. */
int ivr_sdp_add_formats(struct sdp_media *m);

/* Reads the caller's offer (the body of an INVITE or re-INVITE) into sess, whose audio line m
 * carries our formats, and chooses: the first of the caller's formats we speak (the caller's
 * order of preference), or with keep, the codec *keep only (a re-INVITE keeps the call's codec).
 * The answer sdp_encode then writes names only the choice. Returns SD_OK, SD_ERR_PARSE (libre
 * refused the SDP), or SD_ERR_NOT_FOUND (no usable audio line, or no codec in common). */
sd_code ivr_sdp_offer(struct sdp_session *sess, struct sdp_media *m, struct mbuf *offer,
                      const media_codec *keep, ivr_sdp_choice *out);

#endif

/* ivr_parse.h - the keys a caller sends over the network, parsed without any SIP stack: RFC 4733
 * telephone-event payloads (in RTP) and the bodies of SIP INFO requests (application/dtmf-relay
 * and application/dtmf). These are the bytes a stranger on the network controls, so they are
 * kept apart here, small and pure, for the fuzz target (tests/fuzz/fuzz_ivr_input.c). */
#ifndef SEODONG_IVR_PARSE_H
#define SEODONG_IVR_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"

typedef struct {
    char key;          /* '0'-'9', '*', '#', 'A'-'D' */
    bool end;          /* the E bit: the last packets of the key press */
    int volume;        /* 0..63, in -dBm0 */
    unsigned duration; /* in RTP timestamp units so far */
} ivr_telev;

/* Parses an RFC 4733 event payload (4 bytes; more are ignored, as redundant events would be).
 * Returns SD_OK, or SD_ERR_PARSE when it is shorter or the event is not a DTMF key (0-15). */
sd_code ivr_parse_telev(const uint8_t *payload, size_t len, ivr_telev *out);

typedef enum { IVR_INFO_DTMF_RELAY, IVR_INFO_DTMF } ivr_info_kind;

/* Parses a SIP INFO body: "Signal=5\r\nDuration=160" (dtmf-relay; the name in any case, spaces
 * around '=') or a bare "5" (dtmf). Lower-case a-d are taken as A-D. The body need not be
 * NUL-terminated. Returns SD_OK with *key set, or SD_ERR_PARSE. */
sd_code ivr_parse_info(ivr_info_kind kind, const char *body, size_t len, char *key);

#endif

/* ivr_parse.c - keys from RFC 4733 payloads and SIP INFO bodies (see ivr_parse.h).
 *
 * Every read is checked against len: a body is not NUL-terminated (it points into libre's
 * receive buffer), and a payload may be cut anywhere. */
#include "ivr_parse.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char keys[] = "0123456789*#ABCD";

sd_code ivr_parse_telev(const uint8_t *payload, size_t len, ivr_telev *out)
{
    if (len < 4 || payload[0] >= sizeof keys - 1)
        return SD_ERR_PARSE;
    out->key = keys[payload[0]];
    out->end = payload[1] & 0x80;
    out->volume = payload[1] & 0x3f;
    out->duration = (unsigned)payload[2] << 8 | payload[3];
    return SD_OK;
}

/* The key c names, or 0. */
static char key_of(char c)
{
    char k = (char)toupper((unsigned char)c);
    return k && strchr(keys, k) ? k : 0;
}

static size_t skip_blanks(const char *s, size_t i, size_t len)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* The value of "Signal=" at the start of the line at i, or 0. */
static char signal_line(const char *s, size_t i, size_t len)
{
    static const char name[] = "Signal";
    if (len - i < sizeof name - 1 || strncasecmp(s + i, name, sizeof name - 1) != 0)
        return 0;
    i = skip_blanks(s, i + sizeof name - 1, len);
    if (i >= len || s[i] != '=')
        return 0;
    i = skip_blanks(s, i + 1, len);
    return i < len ? key_of(s[i]) : 0;
}

sd_code ivr_parse_info(ivr_info_kind kind, const char *body, size_t len, char *key)
{
    char k = 0;
    if (kind == IVR_INFO_DTMF) {
        size_t i = 0;
        while (i < len && isspace((unsigned char)body[i]))
            i++;
        k = i < len ? key_of(body[i]) : 0;
    } else {
        /* Each line in turn: Signal need not come first. */
        for (size_t i = 0; !k && i < len;) {
            k = signal_line(body, skip_blanks(body, i, len), len);
            const char *nl = memchr(body + i, '\n', len - i);
            i = nl ? (size_t)(nl - body) + 1 : len;
        }
    }
    if (!k)
        return SD_ERR_PARSE;
    *key = k;
    return SD_OK;
}

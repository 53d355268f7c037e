/* test_ivr_parse.c - keys from the network (ivr_parse.h): RFC 4733 payloads of every key, the
 * end bit, volume and duration; cut and unknown events refused; SIP INFO bodies in the forms
 * PBXs send (Signal first or not, any case, spaces around '='), and bodies without a key
 * refused without reading past their length. */
#include <stdint.h>

#include "check.h"
#include "ivr_parse.h"

static void test_telev(void)
{
    ivr_telev ev;
    const char *keys = "0123456789*#ABCD";
    for (uint8_t code = 0; code < 16; code++) {
        uint8_t p[4] = {code, 0x0a, 0x01, 0x40};
        CHECK(ivr_parse_telev(p, sizeof p, &ev) == SD_OK);
        CHECK(ev.key == keys[code]);
        CHECK(!ev.end && ev.volume == 10 && ev.duration == 320);
    }
    uint8_t end[4] = {11, 0x8a, 0x03, 0x20};
    CHECK(ivr_parse_telev(end, sizeof end, &ev) == SD_OK);
    CHECK(ev.key == '#' && ev.end && ev.duration == 800);
    uint8_t flash[4] = {16, 0x0a, 0, 0}; /* hook flash: not a key */
    CHECK(ivr_parse_telev(flash, sizeof flash, &ev) == SD_ERR_PARSE);
    CHECK(ivr_parse_telev(end, 3, &ev) == SD_ERR_PARSE);
    CHECK(ivr_parse_telev(end, 0, &ev) == SD_ERR_PARSE);
}

static char info(ivr_info_kind kind, const char *body, size_t len)
{
    char key = 0;
    return ivr_parse_info(kind, body, len, &key) == SD_OK ? key : '!';
}

#define RELAY(s) info(IVR_INFO_DTMF_RELAY, s, strlen(s))

static void test_info(void)
{
    CHECK(RELAY("Signal=5\r\nDuration=160\r\n") == '5');
    CHECK(RELAY("Duration=160\r\nsignal = #\r\n") == '#');
    CHECK(RELAY("SIGNAL=\t*") == '*');
    CHECK(RELAY("Signal=d\r\n") == 'D');
    CHECK(RELAY("Signal=x\r\n") == '!');
    CHECK(RELAY("Signal=\r\n") == '!');
    CHECK(RELAY("Duration=160\r\n") == '!');
    CHECK(RELAY("") == '!');
    /* The body ends where its length says, not at a NUL: "Signal=7" cut before the 7. */
    CHECK(info(IVR_INFO_DTMF_RELAY, "Signal=7", 7) == '!');
    CHECK(info(IVR_INFO_DTMF, " 9\r\n", 4) == '9');
    CHECK(info(IVR_INFO_DTMF, "\r\n", 2) == '!');
    CHECK(info(IVR_INFO_DTMF, "Z", 1) == '!');
}

int main(void)
{
    test_telev();
    test_info();
    CHECK_DONE();
}

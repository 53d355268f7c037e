/* fuzz_ivr_input.c - libFuzzer target for what the phone line parses from the network: RFC 4733
 * telephone-event payloads, SIP INFO dtmf bodies (ivr_parse.h) and RTP audio payloads of each
 * codec (media_decode in media.h), as a stranger on the network can send them.
 *
 * The first byte of an input picks the parser, the rest is the packet. Decoded audio is read
 * back whole and its level measured, so that reads of samples never written show under
 * MemorySanitizer-like checks (ASan, UBSan here). Built with -DSEODONG_FUZZ=ON and clang; run
 * by scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>

#include "ivr_parse.h"
#include "media.h"

enum { T_TELEV, T_INFO_RELAY, T_INFO_DTMF, T_AUDIO_G722, T_AUDIO_PCMU, T_AUDIO_PCMA, TARGETS };

static void audio(media_codec codec, const uint8_t *p, size_t n)
{
    media_coder *m;
    if (media_coder_new(codec, &m) != SD_OK)
        return;
    int16_t pcm[2 * MEDIA_MAX_PAYLOAD];
    size_t got = 0;
    /* Twice: G.722's adaptive state after a garbage packet must decode the next one too. */
    for (int i = 0; i < 2; i++)
        if (media_decode(m, p, n, pcm, sizeof pcm / sizeof *pcm, &got) == SD_OK)
            (void)media_level_db(pcm, got);
    media_coder_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    ivr_telev ev;
    char key;
    switch (data[0] % TARGETS) {
    case T_TELEV:
        (void)ivr_parse_telev(p, n, &ev);
        break;
    case T_INFO_RELAY:
    case T_INFO_DTMF:
        (void)ivr_parse_info(data[0] % TARGETS == T_INFO_RELAY ? IVR_INFO_DTMF_RELAY
                                                               : IVR_INFO_DTMF,
                             (const char *)p, n, &key);
        break;
    default:
        audio((media_codec)(data[0] % TARGETS - T_AUDIO_G722), p, n);
        break;
    }
    return 0;
}

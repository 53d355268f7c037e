/* test_ivr_sdp.c - the codec of a call from the caller's SDP offer (ivr_sdp.h): every kind of
 * format libre's decoder hands over, each offer written as a phone sends it and fed through
 * sdp_decode into the server's own choice. Static payload types with and without a=rtpmap
 * (RFC 3551 numbers them: 0 PCMU, 8 PCMA, 9 G722), dynamic types, unknown encodings, odd clock
 * rates, several m-lines, no audio line, telephone-event variants, payload types out of range. */
#include <stdint.h>
#include <stdlib.h>

#include <re.h>

#include "check.h"
#include "ivr_sdp.h"

#define HEAD "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"

typedef struct {
    sd_code rc; /* of ivr_sdp_offer */
    ivr_sdp_choice choice;
    char answer[1024]; /* the SDP answer, "" when there was none */
    char mline[128];   /* its audio m= line */
} outcome;

/* Our side of a call: a session with our audio line, as the server makes it for an INVITE. */
static struct sdp_session *our_session(struct sdp_media **m)
{
    struct sa laddr;
    struct sdp_session *sess = NULL;
    CHECK(sa_set_str(&laddr, "127.0.0.1", 20000) == 0);
    CHECK(sdp_session_alloc(&sess, &laddr) == 0);
    CHECK(sdp_media_add(m, sess, "audio", 20000, "RTP/AVP") == 0);
    CHECK(ivr_sdp_add_formats(*m) == 0);
    return sess;
}

/* The offer through libre's decoder into the session, keeping the codec *keep if not NULL. */
static outcome offer_on(struct sdp_session *sess, struct sdp_media *m, const char *sdp,
                        const media_codec *keep)
{
    outcome o = {.rc = SD_ERR_PARSE, .choice = {.pt = -1, .te_pt = -1}};
    struct mbuf *mb = mbuf_alloc(strlen(sdp) + 1), *answer = NULL;
    CHECK(mb && mbuf_write_str(mb, sdp) == 0);
    mb->pos = 0;
    o.rc = ivr_sdp_offer(sess, m, mb, keep, &o.choice);
    if (o.rc == SD_OK && sdp_encode(&answer, sess, false) == 0) {
        snprintf(o.answer, sizeof o.answer, "%.*s", (int)mbuf_get_left(answer),
                 (const char *)mbuf_buf(answer));
        const char *line = strstr(o.answer, "\nm=audio ");
        if (line)
            snprintf(o.mline, sizeof o.mline, "%.*s", (int)strcspn(line + 1, "\r\n"), line + 1);
    }
    mem_deref(answer);
    mem_deref(mb);
    return o;
}

/* The offer of a new call. */
static outcome offer(const char *sdp)
{
    struct sdp_media *m = NULL;
    struct sdp_session *sess = our_session(&m);
    outcome o = offer_on(sess, m, sdp, NULL);
    mem_deref(sess);
    return o;
}

/* The offer is answered with codec on payload type pt, telephone-event on te_pt (-1: none),
 * and the answer's m= line is mline. */
static void chosen(int line, const char *sdp, media_codec codec, int pt, int te_pt,
                   const char *mline)
{
    outcome o = offer(sdp);
    if (o.rc != SD_OK || o.choice.codec != codec || o.choice.pt != pt || o.choice.te_pt != te_pt ||
        strcmp(o.mline, mline) != 0) {
        fprintf(stderr,
                "%s:%d: offer chose rc %d %s pt %d te %d, answered \"%s\"; want %s pt %d te %d, "
                "\"%s\"\n",
                __FILE__, line, (int)o.rc, o.rc == SD_OK ? media_codec_name(o.choice.codec) : "-",
                o.choice.pt, o.choice.te_pt, o.mline, media_codec_name(codec), pt, te_pt, mline);
        check_failures++;
    }
}

/* The offer gets no call (488): no codec in common, or libre refused it. */
static void refused(int line, const char *sdp)
{
    outcome o = offer(sdp);
    if (o.rc == SD_OK) {
        fprintf(stderr, "%s:%d: offer should be refused, chose %s pt %d\n", __FILE__, line,
                media_codec_name(o.choice.codec), o.choice.pt);
        check_failures++;
    }
}

#define CHOSEN(sdp, codec, pt, te, mline) chosen(__LINE__, sdp, codec, pt, te, mline)
#define REFUSED(sdp) refused(__LINE__, sdp)

/* The defect of issue 16: a static type without a=rtpmap has no name in libre's format. */
static void test_static_without_rtpmap(void)
{
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 0\r\n", MEDIA_PCMU, 0, -1, "m=audio 20000 RTP/AVP 0");
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 8\r\n", MEDIA_PCMA, 8, -1, "m=audio 20000 RTP/AVP 8");
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 9\r\n", MEDIA_G722, 9, -1, "m=audio 20000 RTP/AVP 9");
    /* The caller's order decides; only the chosen codec is answered. */
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 8 0 9\r\n", MEDIA_PCMA, 8, -1, "m=audio 20000 RTP/AVP 8");
    /* Some named, some not. */
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 9 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n",
           MEDIA_G722, 9, 101, "m=audio 20000 RTP/AVP 9 101");
    /* Static types we do not speak, unnamed: GSM (3), G.729 (18), then one we do. */
    REFUSED(HEAD "m=audio 4000 RTP/AVP 3 18\r\n");
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 3 18 0\r\n", MEDIA_PCMU, 0, -1, "m=audio 20000 RTP/AVP 0");
}

static void test_static_with_rtpmap(void)
{
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n",
           MEDIA_PCMU, 0, -1, "m=audio 20000 RTP/AVP 0");
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 9 0\r\na=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\n",
           MEDIA_G722, 9, -1, "m=audio 20000 RTP/AVP 9");
    /* Names in any case. */
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 8\r\na=rtpmap:8 pcma/8000\r\n", MEDIA_PCMA, 8, -1,
           "m=audio 20000 RTP/AVP 8");
    /* G.722 with its sampling rate as the clock (a common mistake): the number decides. */
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 9\r\na=rtpmap:9 G722/16000\r\n", MEDIA_G722, 9, -1,
           "m=audio 20000 RTP/AVP 9");
    /* A name that contradicts the number: neither can be trusted, the next format is taken. */
    REFUSED(HEAD "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMA/8000\r\n");
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 0 8\r\na=rtpmap:0 G722/8000\r\n", MEDIA_PCMA, 8, -1,
           "m=audio 20000 RTP/AVP 8");
    REFUSED(HEAD "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 telephone-event/8000\r\n");
    /* Unknown encodings on static numbers. */
    REFUSED(HEAD "m=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n");
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 18 8\r\na=rtpmap:18 G729/8000\r\n", MEDIA_PCMA, 8, -1,
           "m=audio 20000 RTP/AVP 8");
}

static void test_dynamic(void)
{
    /* Our codecs on dynamic numbers: the caller's number is used both ways. */
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMU/8000\r\n", MEDIA_PCMU, 96, -1,
           "m=audio 20000 RTP/AVP 96");
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 97 0\r\na=rtpmap:97 G722/8000\r\n", MEDIA_G722, 97, -1,
           "m=audio 20000 RTP/AVP 97");
    /* Unknown encodings, and a dynamic number nobody named. */
    REFUSED(HEAD "m=audio 4000 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n");
    REFUSED(HEAD "m=audio 4000 RTP/AVP 96\r\n");
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 111 96 8\r\na=rtpmap:111 opus/48000/2\r\n", MEDIA_PCMA, 8, -1,
           "m=audio 20000 RTP/AVP 8");
    /* Odd clock rates: not the codec we know. */
    REFUSED(HEAD "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMU/16000\r\n");
    REFUSED(HEAD "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 G722/16000\r\n");
    REFUSED(HEAD "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMA/0\r\n");
    REFUSED(HEAD "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMA/99999999999\r\n");
    REFUSED(HEAD "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMU/8000/2\r\n");
    /* Payload types RTP cannot carry (7 bits) or that are not numbers. */
    REFUSED(HEAD "m=audio 4000 RTP/AVP 200\r\na=rtpmap:200 PCMU/8000\r\n");
    REFUSED(HEAD "m=audio 4000 RTP/AVP 4294967296\r\na=rtpmap:4294967296 PCMU/8000\r\n");
    REFUSED(HEAD "m=audio 4000 RTP/AVP -1\r\na=rtpmap:-1 PCMU/8000\r\n");
    REFUSED(HEAD "m=audio 4000 RTP/AVP 00 x\r\n");
    REFUSED(HEAD "m=audio 4000 RTP/AVP 96x\r\na=rtpmap:96x PCMU/8000\r\n");
}

static void test_telephone_event(void)
{
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 0 96\r\na=rtpmap:96 telephone-event/8000\r\n"
                "a=fmtp:96 0-15\r\n",
           MEDIA_PCMU, 0, 96, "m=audio 20000 RTP/AVP 0 96");
    /* Listed first, in capitals, without fmtp. */
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 101 8\r\na=rtpmap:101 TELEPHONE-EVENT/8000\r\n", MEDIA_PCMA,
           8, 101, "m=audio 20000 RTP/AVP 101 8");
    /* At 16 kHz (wideband phones offer both): only the 8 kHz one is ours. */
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 9 101 102\r\na=rtpmap:101 telephone-event/16000\r\n"
                "a=rtpmap:102 telephone-event/8000\r\n",
           MEDIA_G722, 9, 102, "m=audio 20000 RTP/AVP 9 102");
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 9 101\r\na=rtpmap:101 telephone-event/16000\r\n", MEDIA_G722,
           9, -1, "m=audio 20000 RTP/AVP 9");
    /* Only keys, no voice: no call. */
    REFUSED(HEAD "m=audio 4000 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n");
    /* On a static number (13 is comfort noise): not an event stream. */
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 0 13\r\na=rtpmap:13 telephone-event/8000\r\n", MEDIA_PCMU, 0,
           -1, "m=audio 20000 RTP/AVP 0");
    /* One number named twice: the last rtpmap wins in libre, and it is no codec. */
    REFUSED(HEAD "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMU/8000\r\n"
                 "a=rtpmap:96 telephone-event/8000\r\n");
}

static void test_media_lines(void)
{
    /* Audio, then video: the video is declined (port 0), the audio answered. */
    outcome o = offer(HEAD "m=audio 4000 RTP/AVP 0\r\nm=video 4002 RTP/AVP 96\r\n"
                           "a=rtpmap:96 H264/90000\r\n");
    CHECK(o.rc == SD_OK && o.choice.codec == MEDIA_PCMU);
    /* Video first. */
    CHOSEN(HEAD "m=video 4002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\nm=audio 4000 RTP/AVP 8\r\n",
           MEDIA_PCMA, 8, -1, "m=audio 20000 RTP/AVP 8");
    /* Two audio lines: the first is the call's. */
    CHOSEN(HEAD "m=audio 4000 RTP/AVP 9\r\nm=audio 4002 RTP/AVP 0\r\n", MEDIA_G722, 9, -1,
           "m=audio 20000 RTP/AVP 9");
    /* No audio line, no m= line at all, an audio line switched off, or over SRTP. */
    REFUSED(HEAD "m=video 4002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n");
    REFUSED(HEAD);
    REFUSED(HEAD "m=audio 0 RTP/AVP 0\r\n");
    REFUSED(HEAD "m=audio 4000 RTP/SAVP 0\r\n");
    REFUSED(HEAD "m=text 4000 RTP/AVP 98\r\na=rtpmap:98 t140/1000\r\n");
}

/* Re-INVITEs on a call that chose G.722: the codec stays whatever the caller now prefers. */
static void test_reoffer(void)
{
    struct sdp_media *m = NULL;
    struct sdp_session *sess = our_session(&m);
    outcome o = offer_on(sess, m,
                         HEAD "m=audio 4000 RTP/AVP 9 0 101\r\n"
                              "a=rtpmap:101 telephone-event/8000\r\n",
                         NULL);
    CHECK(o.rc == SD_OK && o.choice.codec == MEDIA_G722 && o.choice.te_pt == 101);
    media_codec keep = o.choice.codec;
    /* Hold: the caller only sends, so our answer only receives; µ-law now first. */
    o = offer_on(sess, m,
                 HEAD "m=audio 4000 RTP/AVP 0 9 101\r\na=sendonly\r\n"
                      "a=rtpmap:101 telephone-event/8000\r\n",
                 &keep);
    CHECK(o.rc == SD_OK && o.choice.codec == MEDIA_G722 && o.choice.pt == 9);
    CHECK_STR(o.mline, "m=audio 20000 RTP/AVP 9 101");
    CHECK(strstr(o.answer, "a=recvonly\r\n") != NULL);
    /* Back, at a new address, with G.722 renumbered and no telephone-event. */
    o = offer_on(sess, m,
                 "v=0\r\no=- 1 2 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\n"
                 "t=0 0\r\nm=audio 4100 RTP/AVP 97\r\na=rtpmap:97 G722/8000\r\n",
                 &keep);
    CHECK(o.rc == SD_OK && o.choice.codec == MEDIA_G722 && o.choice.pt == 97 &&
          o.choice.te_pt == -1);
    CHECK_STR(o.mline, "m=audio 20000 RTP/AVP 97");
    CHECK(strstr(o.answer, "a=sendrecv\r\n") != NULL);
    /* Without G.722, or without SDP at all: refused, and the call goes on with what it had. */
    o = offer_on(sess, m, HEAD "m=audio 4000 RTP/AVP 0 8\r\n", &keep);
    CHECK(o.rc == SD_ERR_NOT_FOUND);
    o = offer_on(sess, m, "", &keep);
    CHECK(o.rc == SD_ERR_NOT_FOUND);
    o = offer_on(sess, m, "v=1\r\n", &keep);
    CHECK(o.rc == SD_ERR_PARSE);
    mem_deref(sess);
}

static void test_codec_find(void)
{
    media_codec c;
    CHECK(media_codec_find("g722", &c) == SD_OK && c == MEDIA_G722);
    CHECK(media_codec_find("PCMA", &c) == SD_OK && c == MEDIA_PCMA);
    CHECK(media_codec_find("G729", &c) == SD_ERR_NOT_FOUND);
    CHECK(media_codec_find(NULL, &c) == SD_ERR_NOT_FOUND);
}

int main(void)
{
    test_static_without_rtpmap();
    test_static_with_rtpmap();
    test_dynamic();
    test_telephone_event();
    test_media_lines();
    test_reoffer();
    test_codec_find();
    CHECK_DONE();
}

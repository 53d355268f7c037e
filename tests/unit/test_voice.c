/* test_voice.c - the voice policy on a real engine and database: low-confidence turns are asked
 * again and never reach the dialogue, a yes that would file needs more confidence, and replies
 * are rewritten so a synthesiser reads numbers digit by digit. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "check_engine.h"
#include "voice.h"

static engine *e;

static const char *speech(const char *text, const char *lang)
{
    static strbuf out;
    strbuf_clear(&out);
    voice_speech_text(text, lang, &out);
    return strbuf_str(&out);
}

static void test_speech_text(void)
{
    /* Korean is given in its pronounced form: 접수 is said 접쑤, 입니다 임니다. */
    CHECK_STR(speech("접수번호는 SG-2026-000123입니다.", "ko"),
              "접쑤번호는 에스 지, 2 0 2 6, 0 0 0 1 2 3임니다.");
    /* A spool code: the letter, then its digits one by one in two groups (확인 said 화긴). */
    CHECK_STR(speech("Your code is Q-12345-67890.", "en"), "Your code is Q, 1 2 3 4 5, 6 7 8 9 0.");
    CHECK_STR(speech("확인 코드는 Q-0501-2026예요.", "ko"),
              "화긴 코드는 큐, 0 5 0 1, 2 0 2 6예요.");
    CHECK_STR(speech("Call 032-560-4114 (civil affairs).", "en"),
              "Call 0 3 2, 5 6 0, 4 1 1 4, civil affairs.");
    /* Plain numbers stay numbers: a time, a year, a count. */
    CHECK_STR(speech("오후 6시까지, 2026년, 3일", "ko"), "오후 6시까지, 2026년, 3일");
    CHECK_STR(speech("Room 1204 is open", "en"), "Room 1204 is open");
    CHECK_STR(speech("첫째 줄이에요.\n둘째 줄\n끝", "ko"), "첟째 주리에요. 둘째 줄. 끋");
    CHECK_STR(speech("", "en"), "");
}

static const char *turn(session *s, const char *heard, double confidence, voice_outcome *out)
{
    static strbuf reply;
    strbuf_clear(&reply);
    sd_code rc;
    *out = voice_turn(s, heard, confidence, 2.0, session_lang(s), &reply, &rc);
    CHECK(rc == SD_OK);
    return strbuf_str(&reply);
}

static void test_policy(void)
{
    session *s = session_new(e, "speaker", "en");
    voice_outcome o;
    const char *r = turn(s, "report illegal parking in cheongna", 0.2, &o);
    CHECK(o == VOICE_ASK_AGAIN && strstr(r, "once more"));
    CHECK(session_expects(s) == SESSION_EXPECTS_ANYTHING); /* the dialogue never saw it */
    r = turn(s, "", 0.9, &o);
    CHECK(o == VOICE_ASK_AGAIN);
    /* Heard well enough to answer the time, not well enough to start a complaint: a civic
     * first sentence weighs the recogniser's confidence with the understanding's. */
    r = turn(s, "what time is it", 0.4, &o);
    CHECK(o == VOICE_ACTED && session_expects(s) == SESSION_EXPECTS_ANYTHING);
    r = turn(s, "report illegal parking in front of cheongna lake park", 0.4, &o);
    CHECK(o == VOICE_ASK_AGAIN && strstr(r, "once more"));
    CHECK(session_expects(s) == SESSION_EXPECTS_ANYTHING);
    r = turn(s, "report illegal parking in front of cheongna lake park", 0.8, &o);
    CHECK(o == VOICE_ACTED);
    /* An English voice says the place's English name, not the Korean one. */
    CHECK(strstr(r, "Cheongna") && !strstr(r, "청라"));
    CHECK(session_expects(s) != SESSION_EXPECTS_ANYTHING);
    r = turn(s, "a white car has blocked the sidewalk for two days", 0.8, &o);
    r = turn(s, "no phone number thanks", 0.8, &o);
    if (session_expects(s) == SESSION_EXPECTS_YES_NO) {
        /* A yes heard at middling confidence does not file. */
        r = turn(s, "yes", 0.5, &o);
        CHECK(o == VOICE_ASK_AGAIN && strstr(r, "say yes"));
        CHECK(session_filed(s) == NULL);
        r = turn(s, "yes", 0.9, &o);
        CHECK(o == VOICE_ACTED && session_filed(s) != NULL);
    } else {
        fprintf(stderr, "dialogue did not reach the confirmation: %s\n", r);
        CHECK(0);
    }
    session_free(s);
}

/* Korean details are not transcribed (no Korean language model): the recording stands in. */
static void test_korean_details(void)
{
    session *s = session_new(e, "speaker", "ko");
    voice_outcome o;
    strbuf reply;
    strbuf_init(&reply);
    sd_code rc;
    o = voice_turn(s, "청라동 불법주차 신고할게요", 0.8, 2.0, "ko", &reply, &rc);
    CHECK(o == VOICE_ACTED && session_expects(s) == SESSION_EXPECTS_DETAIL);
    /* Too short to be details: asked again. */
    strbuf_clear(&reply);
    o = voice_turn(s, "네", 0.9, 0.4, "ko", &reply, &rc);
    CHECK(o == VOICE_ASK_AGAIN && session_expects(s) == SESSION_EXPECTS_DETAIL);
    /* Whatever the grammar made of it, the details are the recording. */
    strbuf_clear(&reply);
    o = voice_turn(s, "우리 접수한 거 결과", 0.2, 4.0, "ko", &reply, &rc);
    CHECK(o == VOICE_ACTED);
    if (session_expects(s) == SESSION_EXPECTS_PHONE) {
        strbuf_clear(&reply);
        o = voice_turn(s, "익명으로 할게요", 0.9, 1.5, "ko", &reply, &rc);
    }
    CHECK(session_expects(s) == SESSION_EXPECTS_YES_NO);
    CHECK(strstr(strbuf_str(&reply), "녹음") != NULL);
    CHECK(strstr(strbuf_str(&reply), "접수한 거 결과") == NULL);
    strbuf_free(&reply);
    session_free(s);
}

int main(void)
{
    char db[] = "/tmp/seodong-voice-XXXXXX";
    if (!(e = check_open_engine(db, NULL, NULL)))
        return 1;
    test_speech_text();
    test_policy();
    test_korean_details();
    engine_close(e);
    check_remove_db(db);
    CHECK_DONE();
}

/* The engine and dialogue end to end on a real SQLite file: every intent in both languages,
 * three-turn filing, correction, cancel, time-out, status with its privacy check, bad input,
 * and many sessions filing at once from several threads. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "check_engine.h"
#include "session.h"
#include "engine.h"

static time_t clock_now;

static time_t test_clock(void *ctx)
{
    (void)ctx;
    return clock_now;
}

static engine *e;

/* One turn; returns the reply (static buffer, valid until the next call). */
static const char *turn(session *s, const char *text)
{
    static strbuf reply;
    strbuf_clear(&reply);
    session_turn(s, text, strlen(text), &reply);
    return strbuf_str(&reply);
}

static void intent_is(const char *text, const char *want)
{
    understanding u;
    CHECK(engine_understand(e, text, strlen(text), NULL, "ko", &u) == SD_OK);
    if (strcmp(u.intent, want) != 0)
        fprintf(stderr, "'%s': got %s (%.2f), want %s\n", text, u.intent, u.confidence, want);
    CHECK(strcmp(u.intent, want) == 0);
}

static void test_intents(void)
{
    intent_is("청라동 공원 앞에 불법 주차 신고할게요", "complaint.file");
    intent_is("I want to report illegal parking in Cheongna", "complaint.file");
    intent_is("SG-2026-000123 어떻게 됐어요?", "complaint.status");
    intent_is("What happened to my complaint SG-2026-000123?", "complaint.status");
    intent_is("구청 민원실 몇 시까지 해요?", "kb.answer");
    intent_is("음식물 쓰레기 언제 버려요?", "kb.answer");
    intent_is("What do I need for a resident registration copy?", "kb.answer");
    intent_is("Where can I park near the district office?", "kb.answer");
    intent_is("안녕", "smalltalk");
    intent_is("오늘 너무 힘들다", "smalltalk");
    intent_is("고마워", "smalltalk");
    intent_is("thank you so much", "smalltalk");
    intent_is("what time is it", "time");
    intent_is("지금 몇 시야", "time");
    intent_is("오늘 날씨 어때", "weather");
    intent_is("will it rain today", "weather");
    intent_is("뭐 할 수 있어?", "help");
    intent_is("what can you do", "help");
    intent_is("상담원 연결", "human");
    intent_is("talk to a person", "human");
    intent_is("안녕히 계세요", "goodbye");
    intent_is("goodbye", "goodbye");
    intent_is("비트코인 사야 할까?", "out_of_scope");
    intent_is("should i buy bitcoin", "out_of_scope");
    understanding u;
    const char *text = "청라동 공원 앞에 불법 주차 신고할게요";
    engine_understand(e, text, strlen(text), NULL, "ko", &u);
    CHECK_STR(u.nlu.category.value, "illegal_parking");
    CHECK_STR(u.nlu.place.value, "청라동");
}

static void test_three_turn_filing(void)
{
    session *s = session_new(e, "text", NULL);
    CHECK(session_expects(s) == SESSION_EXPECTS_ANYTHING);
    const char *r = turn(s, "청라동 공원 앞에 불법 주차 신고할게요");
    CHECK(strstr(r, "청라동") && strstr(r, "휴대전화"));
    CHECK(session_expects(s) == SESSION_EXPECTS_DETAIL);
    r = turn(s, "흰색 SUV가 인도를 막고 있어요 010-1234-5678");
    CHECK(strstr(r, "이대로 접수할까요") && strstr(r, "5678") && !strstr(r, "010-1234"));
    CHECK(session_expects(s) == SESSION_EXPECTS_YES_NO && session_filed(s) == NULL);
    r = turn(s, "네");
    CHECK(strstr(r, "접수번호는 SG-2026-") != NULL);
    CHECK(session_filed(s) && strstr(r, session_filed(s)));
    CHECK(session_expects(s) == SESSION_EXPECTS_ANYTHING);
    const char *at = strstr(r, "SG-2026-");
    char receipt[16] = "";
    if (at)
        snprintf(receipt, sizeof receipt, "%.14s", at);
    CHECK(strstr(r, "주차관리과") && strstr(r, "12월 3일"));
    /* The filer sees the timeline without further checks; no personal data in it. */
    char question[64];
    snprintf(question, sizeof question, "%s 어떻게 됐어요?", receipt);
    r = turn(s, question);
    CHECK(strstr(r, "접수") && strstr(r, "처리 기한") && !strstr(r, "5678"));
    CHECK(session_filed(s) == NULL); /* only the turn that filed names it */
    session_free(s);
    /* Someone else needs the last four digits of the phone. */
    session *other = session_new(e, "text", NULL);
    r = turn(other, question);
    CHECK(strstr(r, "뒤 4자리") != NULL);
    CHECK(session_expects(other) == SESSION_EXPECTS_DIGITS);
    r = turn(other, "1111");
    CHECK(strstr(r, "맞지 않아요") != NULL);
    r = turn(other, "5678");
    CHECK(strstr(r, "처리 기한") != NULL);
    session_free(other);
}

static void test_correction_and_cancel(void)
{
    session *s = session_new(e, "text", NULL);
    turn(s, "청라동 쓰레기 무단투기 신고요");
    turn(s, "골목에 쓰레기 봉투가 잔뜩 버려져 있어요. 익명으로 할게요");
    const char *r = turn(s, "아니 가정동이요");
    CHECK(strstr(r, "가정동") && strstr(r, "이대로 접수할까요") && !strstr(r, "청라동"));
    r = turn(s, "취소");
    CHECK(strstr(r, "취소") != NULL);
    r = turn(s, "네");
    CHECK(strstr(r, "접수번호") == NULL); /* nothing pending: "yes" files nothing */
    /* English, with a missing place asked for. */
    r = turn(s, "I want to report a broken streetlight");
    CHECK(strstr(r, "Where") != NULL);
    r = turn(s, "near Gajeong Station");
    CHECK(strstr(r, "mobile number") != NULL);
    r = turn(s, "the lamp has been dark for a week, anonymous");
    CHECK(strstr(r, "Shall I file") && strstr(r, "anonymous"));
    r = turn(s, "yes");
    CHECK(strstr(r, "receipt number is SG-") != NULL);
    session_free(s);
}

/* The summary already says "no contact" when the details came without a phone number. Saying
 * "익명" then changes nothing the resident would hear: the summary is not read again, only
 * the yes or no that is left is asked. A number, then "익명", does change it. */
static void test_anonymous_at_the_summary(void)
{
    session *s = session_new(e, "text", NULL);
    turn(s, "청라동 공원 앞에 불법 주차 신고할게요");
    const char *r = turn(s, "흰 차가 막고 있어요");
    CHECK(strstr(r, "이대로 접수할까요") && strstr(r, "연락처: 없음(익명)"));
    r = turn(s, "익명");
    CHECK(strstr(r, "연락처 없이 익명으로") && strstr(r, "'네' 또는 '아니요'"));
    CHECK(strstr(r, "내용: 흰 차가") == NULL); /* not the whole summary again */
    CHECK(session_expects(s) == SESSION_EXPECTS_YES_NO);
    r = turn(s, "네");
    CHECK(strstr(r, "접수번호는 SG-2026-") != NULL);
    session_free(s);

    s = session_new(e, "text", NULL);
    turn(s, "I want to report illegal parking in Cheongna-dong");
    turn(s, "a white car is blocking the way");
    r = turn(s, "anonymous");
    CHECK(strstr(r, "with no contact") && strstr(r, "Shall I file") && !strstr(r, "details:"));
    session_free(s);

    s = session_new(e, "text", NULL);
    turn(s, "청라동 공원 앞에 불법 주차 신고할게요");
    turn(s, "흰 차가 막고 있어요 010-2222-3333");
    r = turn(s, "익명");
    CHECK(strstr(r, "이대로 접수할까요") && strstr(r, "연락처: 없음(익명)") && !strstr(r, "3333"));
    session_free(s);
}

static void test_timeout_and_end(void)
{
    session *s = session_new(e, "text", NULL);
    turn(s, "석남역 근처 도로에 포트홀 신고할게요");
    clock_now += SESSION_TIMEOUT + 60;
    const char *r = turn(s, "네");
    CHECK(strstr(r, "시간이 오래 지나") != NULL);
    turn(s, "석남역 근처 도로에 포트홀 신고할게요");
    strbuf reply;
    strbuf_init(&reply);
    session_end(s, &reply);
    CHECK(strstr(strbuf_str(&reply), "접수되지 않았어요") != NULL);
    strbuf_free(&reply);
    session_free(s);
}

static void test_bad_input(void)
{
    session *s = session_new(e, "text", NULL);
    strbuf reply;
    strbuf_init(&reply);
    CHECK(session_turn(s, "\xff\xfe broken", 9, &reply) == SD_ERR_UTF8);
    CHECK(strstr(strbuf_str(&reply), "UTF-8") != NULL);
    char *big = malloc(1 << 20);
    memset(big, 'a', 1 << 20);
    strbuf_clear(&reply);
    CHECK(session_turn(s, big, 1 << 20, &reply) == SD_ERR_TOO_LONG);
    free(big);
    strbuf_clear(&reply);
    CHECK(session_turn(s, "   ", 3, &reply) == SD_ERR_INVALID);
    strbuf_clear(&reply);
    CHECK(session_turn(s, "\x01\x02\x1b\t", 4, &reply) == SD_ERR_INVALID);
    /* SQL metacharacters are only text. */
    const char *r = turn(s, "'; DROP TABLE complaints; -- 청라동 불법주차 신고");
    CHECK(r[0] != '\0');
    r = turn(s, "\"); DELETE FROM timeline; 차가 인도를 막고 있어요, 익명");
    CHECK(strstr(r, "이대로 접수할까요") != NULL);
    r = turn(s, "네");
    CHECK(strstr(r, "접수번호") != NULL);
    strbuf_free(&reply);
    session_free(s);
    store_kb_stats st;
    CHECK(store_kb_stats_get(engine_store(e), &st) == SD_OK && st.entries > 300);
}

#define THREADS 4
#define PER_THREAD 25

static void *filer(void *arg)
{
    char(*receipts)[16] = arg;
    session *s = session_new(e, "phone", "ko");
    static const char *const script[] = {"마전동 가로등 고장 신고할게요",
                                         "가로등이 밤새 꺼져 있어요 익명", "네"};
    strbuf reply; /* one per thread: sessions share nothing */
    strbuf_init(&reply);
    for (int i = 0; i < PER_THREAD; i++) {
        for (int k = 0; k < 3; k++) {
            strbuf_clear(&reply);
            session_turn(s, script[k], strlen(script[k]), &reply);
        }
        const char *r = strstr(strbuf_str(&reply), "SG-");
        snprintf(receipts[i], 16, "%.14s", r ? r : "");
    }
    strbuf_free(&reply);
    session_free(s);
    return NULL;
}

static void test_threads(void)
{
    static char receipts[THREADS][PER_THREAD][16];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, filer, receipts[i]);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    char(*all)[16] = &receipts[0][0];
    int n = THREADS * PER_THREAD, dup = 0, empty = 0;
    for (int i = 0; i < n; i++) {
        empty += all[i][0] == '\0';
        for (int j = i + 1; j < n; j++)
            dup += strcmp(all[i], all[j]) == 0;
    }
    CHECK(empty == 0 && dup == 0);
}

int main(void)
{
    char db[] = "/tmp/seodong-dialogue-XXXXXX";
    struct tm tm = {.tm_year = 126, .tm_mon = 10, .tm_mday = 25, .tm_hour = 5, .tm_min = 30};
    clock_now = timegm(&tm); /* 14:30 KST, Wednesday 2026-11-25 */
    if (!(e = check_open_engine(db, test_clock, NULL)))
        return 1;
    test_intents();
    test_three_turn_filing();
    test_correction_and_cancel();
    test_anonymous_at_the_summary();
    test_timeout_and_end();
    test_bad_input();
    test_threads();
    engine_close(e);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -f %s %s-wal %s-shm", db, db, db);
    CHECK(system(cmd) == 0);
    CHECK_DONE();
}

/* The engine and dialogue end to end on a real SQLite file: every intent in both languages,
 * three-turn filing, correction, cancel, time-out, status with its privacy check, bad input,
 * and many sessions filing at once from several threads. Named cases (check.h): each opens
 * its own session and files what it needs, so any case runs alone (`test_dialogue --list`). */
#include <pthread.h>
#include <stdarg.h>
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

/* The turns given, up to a NULL; returns the last reply (as turn does). */
static const char *talk(session *s, ...)
{
    const char *reply = "", *text;
    va_list ap;
    va_start(ap, s);
    while ((text = va_arg(ap, const char *)))
        reply = turn(s, text);
    va_end(ap);
    return reply;
}

/* The receipt number the reply names, or "". */
static void receipt_in(const char *reply, char receipt[16])
{
    const char *at = strstr(reply, "SG-2026-");
    snprintf(receipt, 16, "%.14s", at ? at : "");
}

#define PARKING "청라동 공원 앞에 불법 주차 신고할게요"
#define PARKING_DETAILS "흰색 SUV가 인도를 막고 있어요 010-1234-5678"

/* ---- dialogue-1: the intent of a sentence ---- */

static const struct {
    const char *text, *intent;
} intents[] = {
    {"청라동 공원 앞에 불법 주차 신고할게요", "complaint.file"},
    {"I want to report illegal parking in Cheongna", "complaint.file"},
    {"SG-2026-000123 어떻게 됐어요?", "complaint.status"},
    {"What happened to my complaint SG-2026-000123?", "complaint.status"},
    {"구청 민원실 몇 시까지 해요?", "kb.answer"},
    {"음식물 쓰레기 언제 버려요?", "kb.answer"},
    {"What do I need for a resident registration copy?", "kb.answer"},
    {"Where can I park near the district office?", "kb.answer"},
    {"안녕", "smalltalk"},
    {"오늘 너무 힘들다", "smalltalk"},
    {"고마워", "smalltalk"},
    {"thank you so much", "smalltalk"},
    {"what time is it", "time"},
    {"지금 몇 시야", "time"},
    {"오늘 날씨 어때", "weather"},
    {"will it rain today", "weather"},
    {"뭐 할 수 있어?", "help"},
    {"what can you do", "help"},
    {"상담원 연결", "human"},
    {"talk to a person", "human"},
    {"안녕히 계세요", "goodbye"},
    {"잘 가", "goodbye"},
    {"goodbye", "goodbye"},
    {"see ya", "goodbye"},
    {"비트코인 사야 할까?", "out_of_scope"},
    {"should i buy bitcoin", "out_of_scope"},
};

static const char *intent_text(size_t row)
{
    return intents[row].text;
}

static void intent_row(size_t row)
{
    check_intent(e, intents[row].text, intents[row].intent);
}

/* ---- dialogue-2: what a complaint sentence names ---- */

static void complaint_slots(void)
{
    understanding u;
    CHECK_INT(engine_understand(e, PARKING, strlen(PARKING), NULL, "ko", &u), SD_OK);
    CHECK_STR(u.nlu.category.value, "illegal_parking");
    CHECK_STR(u.nlu.place.value, "청라동");
}

/* ---- dialogue-3: filing in three turns, and the status afterwards ---- */

static void filing_first_turn(void)
{
    session *s = session_new(e, "text", NULL);
    CHECK_INT(session_expects(s), SESSION_EXPECTS_ANYTHING);
    const char *r = turn(s, PARKING);
    CHECK_HAS(r, "청라동");
    CHECK_HAS(r, "휴대전화");
    CHECK_INT(session_expects(s), SESSION_EXPECTS_DETAIL);
    session_free(s);
}

static void filing_summary(void)
{
    session *s = session_new(e, "text", NULL);
    const char *r = talk(s, PARKING, PARKING_DETAILS, NULL);
    CHECK_HAS(r, "이대로 접수할까요");
    CHECK_HAS(r, "5678");
    CHECK_LACKS(r, "010-1234"); /* the summary shows only the last four digits */
    CHECK_INT(session_expects(s), SESSION_EXPECTS_YES_NO);
    CHECK(session_filed(s) == NULL);
    session_free(s);
}

static void filing_yes(void)
{
    session *s = session_new(e, "text", NULL);
    const char *r = talk(s, PARKING, PARKING_DETAILS, "네", NULL);
    CHECK_HAS(r, "접수번호는 SG-2026-");
    CHECK(session_filed(s) != NULL);
    CHECK_HAS(r, session_filed(s) ? session_filed(s) : "(no receipt filed)");
    CHECK_INT(session_expects(s), SESSION_EXPECTS_ANYTHING);
    CHECK_HAS(r, "주차관리과");
    CHECK_HAS(r, "12월 3일");
    session_free(s);
}

/* Files the parking complaint with the phone 010-1234-5678 in a session of its own; writes
 * the receipt number into receipt and the question a resident asks about it into question. */
static void file_parking(char receipt[16], char question[64])
{
    session *s = session_new(e, "text", NULL);
    receipt_in(talk(s, PARKING, PARKING_DETAILS, "네", NULL), receipt);
    CHECK(receipt[0] != '\0');
    snprintf(question, 64, "%s 어떻게 됐어요?", receipt);
    session_free(s);
}

static void status_by_the_filer(void)
{
    session *s = session_new(e, "text", NULL);
    char receipt[16], question[64];
    receipt_in(talk(s, PARKING, PARKING_DETAILS, "네", NULL), receipt);
    snprintf(question, sizeof question, "%s 어떻게 됐어요?", receipt);
    /* The filer sees the timeline without further checks; no personal data in it. */
    const char *r = turn(s, question);
    CHECK_HAS(r, "접수");
    CHECK_HAS(r, "처리 기한");
    CHECK_LACKS(r, "5678");
    CHECK(session_filed(s) == NULL); /* only the turn that filed names it */
    session_free(s);
}

static void status_asks_others_for_digits(void)
{
    char receipt[16], question[64];
    file_parking(receipt, question);
    session *other = session_new(e, "text", NULL);
    const char *r = turn(other, question);
    CHECK_HAS(r, "뒤 4자리");
    CHECK_LACKS(r, "처리 기한");
    CHECK_INT(session_expects(other), SESSION_EXPECTS_DIGITS);
    session_free(other);
}

static void status_wrong_digits(void)
{
    char receipt[16], question[64];
    file_parking(receipt, question);
    session *other = session_new(e, "text", NULL);
    const char *r = talk(other, question, "1111", NULL);
    CHECK_HAS(r, "맞지 않아요");
    CHECK_LACKS(r, "처리 기한");
    session_free(other);
}

static void status_right_digits(void)
{
    char receipt[16], question[64];
    file_parking(receipt, question);
    session *other = session_new(e, "text", NULL);
    const char *r = talk(other, question, "1111", "5678", NULL);
    CHECK_HAS(r, "처리 기한");
    CHECK_HAS(r, receipt);
    session_free(other);
}

/* Three wrong answers end the digit checks of the session, and a conversation left until its
 * half-finished business times out keeps the count: only a new session starts a new one. */
static void status_guesses_outlast_the_time_out(void)
{
    char receipt[16], question[64];
    file_parking(receipt, question);
    session *other = session_new(e, "text", NULL);
    CHECK_HAS(talk(other, question, "1111", "2222", "3333", NULL), "더 확인해 드릴 수 없어요");
    time_t then = clock_now;
    clock_now += SESSION_TIMEOUT + 60;
    const char *r = talk(other, question, NULL);
    CHECK_HAS(r, "더 확인해 드릴 수 없어요");
    CHECK_INT(session_expects(other), SESSION_EXPECTS_ANYTHING);
    snprintf(question, sizeof question, "%s 5678", receipt);
    CHECK_LACKS(turn(other, question), "처리 기한");
    clock_now = then;
    session_free(other);
}

/* ---- dialogue-4: a correction at the summary, and a cancel ---- */

#define DUMPING "청라동 쓰레기 무단투기 신고요"
#define DUMPING_DETAILS "골목에 쓰레기 봉투가 잔뜩 버려져 있어요. 익명으로 할게요"

static void correction_of_the_place(void)
{
    session *s = session_new(e, "text", NULL);
    const char *r = talk(s, DUMPING, DUMPING_DETAILS, "아니 가정동이요", NULL);
    CHECK_HAS(r, "가정동");
    CHECK_HAS(r, "이대로 접수할까요");
    CHECK_LACKS(r, "청라동");
    session_free(s);
}

static void cancel_at_the_summary(void)
{
    session *s = session_new(e, "text", NULL);
    const char *r = talk(s, DUMPING, DUMPING_DETAILS, "취소", NULL);
    CHECK_HAS(r, "취소");
    CHECK_INT(session_expects(s), SESSION_EXPECTS_ANYTHING);
    session_free(s);
}

static void yes_after_cancel(void)
{
    session *s = session_new(e, "text", NULL);
    const char *r = talk(s, DUMPING, DUMPING_DETAILS, "취소", "네", NULL);
    CHECK_LACKS(r, "접수번호"); /* nothing pending: "yes" files nothing */
    CHECK(session_filed(s) == NULL);
    session_free(s);
}

/* ---- dialogue-5: filing in English, the place asked for ---- */

#define STREETLIGHT "I want to report a broken streetlight"

static void english_asks_the_place(void)
{
    session *s = session_new(e, "text", NULL);
    CHECK_HAS(turn(s, STREETLIGHT), "Where");
    CHECK_INT(session_expects(s), SESSION_EXPECTS_PLACE);
    session_free(s);
}

static void english_asks_the_details(void)
{
    session *s = session_new(e, "text", NULL);
    CHECK_HAS(talk(s, STREETLIGHT, "near Gajeong Station", NULL), "mobile number");
    session_free(s);
}

static void english_anonymous_summary(void)
{
    session *s = session_new(e, "text", NULL);
    const char *r = talk(s, STREETLIGHT, "near Gajeong Station",
                         "the lamp has been dark for a week, anonymous", NULL);
    CHECK_HAS(r, "Shall I file");
    CHECK_HAS(r, "anonymous");
    session_free(s);
}

static void english_yes(void)
{
    session *s = session_new(e, "text", NULL);
    const char *r = talk(s, STREETLIGHT, "near Gajeong Station",
                         "the lamp has been dark for a week, anonymous", "yes", NULL);
    CHECK_HAS(r, "receipt number is SG-");
    session_free(s);
}

/* ---- dialogue-6: "익명" at the summary ----
 * The summary already says "no contact" when the details came without a phone number. Saying
 * "익명" then changes nothing the resident would hear: the summary is not read again, only
 * the yes or no that is left is asked. A number, then "익명", does change it. */

static void summary_without_number(void)
{
    session *s = session_new(e, "text", NULL);
    const char *r = talk(s, PARKING, "흰 차가 막고 있어요", NULL);
    CHECK_HAS(r, "이대로 접수할까요");
    CHECK_HAS(r, "연락처: 없음(익명)");
    session_free(s);
}

static void anonymous_asks_only_yes_no(void)
{
    session *s = session_new(e, "text", NULL);
    const char *r = talk(s, PARKING, "흰 차가 막고 있어요", "익명", NULL);
    CHECK_HAS(r, "연락처 없이 익명으로");
    CHECK_HAS(r, "'네' 또는 '아니요'");
    CHECK_LACKS(r, "내용: 흰 차가"); /* not the whole summary again */
    CHECK_INT(session_expects(s), SESSION_EXPECTS_YES_NO);
    session_free(s);
}

static void anonymous_then_yes(void)
{
    session *s = session_new(e, "text", NULL);
    CHECK_HAS(talk(s, PARKING, "흰 차가 막고 있어요", "익명", "네", NULL), "접수번호는 SG-2026-");
    session_free(s);
}

static void anonymous_in_english(void)
{
    session *s = session_new(e, "text", NULL);
    const char *r = talk(s, "I want to report illegal parking in Cheongna-dong",
                         "a white car is blocking the way", "anonymous", NULL);
    CHECK_HAS(r, "with no contact");
    CHECK_HAS(r, "Shall I file");
    CHECK_LACKS(r, "details:");
    session_free(s);
}

static void anonymous_after_a_number(void)
{
    session *s = session_new(e, "text", NULL);
    const char *r = talk(s, PARKING, "흰 차가 막고 있어요 010-2222-3333", "익명", NULL);
    CHECK_HAS(r, "이대로 접수할까요");
    CHECK_HAS(r, "연락처: 없음(익명)");
    CHECK_LACKS(r, "3333");
    session_free(s);
}

/* What the officer reads is the problem: the detail filed holds neither the request to stay
 * anonymous nor the words that brought a phone number, and the number is the contact. */
static const struct {
    const char *lang, *first, *second, *yes, *detail, *last4;
} clean_details[] = {
    {"ko", "가좌동에 누가 매트리스를 버렸어요 익명", NULL, "네",
     "가좌동에 누가 매트리스를 버렸어요", ""},
    {"en", "someone dumped a mattress in Gajwa-dong, anonymous", NULL, "yes",
     "someone dumped a mattress in Gajwa-dong", ""},
    {"en", "I want to report illegal parking in Cheongna",
     "A white SUV is blocking my garage, my number is 010-1234-5678", "yes",
     "A white SUV is blocking my garage", "5678"},
    {"ko", PARKING, "흰 차가  막고 있어요, 연락처는 010-2222-3333 이에요", "네",
     "흰 차가 막고 있어요", "3333"},
};

static const char *clean_detail_text(size_t row)
{
    return clean_details[row].second ? clean_details[row].second : clean_details[row].first;
}

static void clean_detail_row(size_t row)
{
    session *s = session_new(e, "text", clean_details[row].lang);
    turn(s, clean_details[row].first);
    if (clean_details[row].second)
        turn(s, clean_details[row].second);
    CHECK_INT(session_expects(s), SESSION_EXPECTS_YES_NO);
    turn(s, clean_details[row].yes);
    CHECK(session_filed(s) != NULL);
    store_complaint c;
    store_department d;
    store_event ev[4];
    size_t n;
    if (session_filed(s) &&
        store_complaint_get(engine_store(e), session_filed(s), &c, &d, ev, 4, &n) == SD_OK) {
        CHECK_STR(c.detail, clean_details[row].detail);
        CHECK_STR(c.phone_last4, clean_details[row].last4);
    }
    session_free(s);
}

/* ---- dialogue-7: a conversation left too long, and one that ends mid-filing ---- */

#define POTHOLE "석남역 근처 도로에 포트홀 신고할게요"

static void timed_out(void)
{
    session *s = session_new(e, "text", NULL);
    turn(s, POTHOLE);
    time_t then = clock_now;
    clock_now += SESSION_TIMEOUT + 60;
    CHECK_HAS(turn(s, "네"), "시간이 오래 지나");
    clock_now = then;
    session_free(s);
}

static void ended_mid_filing(void)
{
    session *s = session_new(e, "text", NULL);
    turn(s, POTHOLE);
    strbuf reply;
    strbuf_init(&reply);
    session_end(s, &reply);
    CHECK_HAS(strbuf_str(&reply), "접수되지 않았어요");
    strbuf_free(&reply);
    session_free(s);
}

/* ---- dialogue-8: bad input ---- */

/* The code session_turn returns for len bytes of text; its reply into reply. */
static sd_code raw_turn(const char *text, size_t len, strbuf *reply)
{
    session *s = session_new(e, "text", NULL);
    strbuf_clear(reply);
    sd_code rc = session_turn(s, text, len, reply);
    session_free(s);
    return rc;
}

static void broken_utf8(void)
{
    strbuf reply;
    strbuf_init(&reply);
    CHECK_INT(raw_turn("\xff\xfe broken", 9, &reply), SD_ERR_UTF8);
    CHECK_HAS(strbuf_str(&reply), "UTF-8");
    strbuf_free(&reply);
}

static void megabyte_line(void)
{
    strbuf reply;
    strbuf_init(&reply);
    char *big = malloc(1 << 20);
    CHECK(big != NULL);
    if (big) {
        memset(big, 'a', 1 << 20);
        CHECK_INT(raw_turn(big, 1 << 20, &reply), SD_ERR_TOO_LONG);
    }
    free(big);
    strbuf_free(&reply);
}

static void only_spaces(void)
{
    strbuf reply;
    strbuf_init(&reply);
    CHECK_INT(raw_turn("   ", 3, &reply), SD_ERR_INVALID);
    strbuf_free(&reply);
}

static void control_characters(void)
{
    strbuf reply;
    strbuf_init(&reply);
    CHECK_INT(raw_turn("\x01\x02\x1b\t", 4, &reply), SD_ERR_INVALID);
    strbuf_free(&reply);
}

static void sql_is_only_text(void)
{
    session *s = session_new(e, "text", NULL);
    const char *r = turn(s, "'; DROP TABLE complaints; -- 청라동 불법주차 신고");
    CHECK(r[0] != '\0');
    r = turn(s, "\"); DELETE FROM timeline; 차가 인도를 막고 있어요, 익명");
    CHECK_HAS(r, "이대로 접수할까요");
    r = turn(s, "네");
    CHECK_HAS(r, "접수번호");
    session_free(s);
    store_kb_stats st;
    CHECK_INT(store_kb_stats_get(engine_store(e), &st), SD_OK);
    CHECK(st.entries > 300);
}

/* ---- dialogue-9: many sessions filing at once ---- */

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

static void threads_file_apart(void)
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
    CHECK_INT(empty, 0);
    CHECK_INT(dup, 0);
}

/* ---- dialogue-10: a box that knows where it stands ---- */

/* An engine on a database of its own whose settings give the box a site. */
static engine *engine_at_site(char *db)
{
    config settings;
    config_defaults(&settings);
    snprintf(settings.device.site, sizeof settings.device.site, "가정1동 행정복지센터");
    int fd = mkstemp(db);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    engine_config cfg = {.db_path = db, .now = test_clock, .settings = &settings};
    engine *sited = NULL;
    char err[512] = "";
    CHECK_INT(engine_open(&cfg, &sited, err, sizeof err), SD_OK);
    return sited;
}

/* At the speaker "here" is the site, offered and taken on yes; the filing records the channel
 * and the site. On the phone or KakaoTalk the resident is elsewhere: asked where. */
static void here_is_the_site(void)
{
    char db[] = "/tmp/seodong-dialogue-site-XXXXXX";
    engine *sited = engine_at_site(db);
    if (!sited)
        return;
    CHECK_STR(engine_site(sited, "en"), "가정1동 행정복지센터"); /* no site_en: the site */
    session *speaker = session_new(sited, "speaker", "ko");
    CHECK(session_expects(speaker) == SESSION_EXPECTS_ANYTHING);
    CHECK_HAS(turn(speaker, "여기 앞 가로등이 나갔어요"), "가정1동 행정복지센터 앞 맞으세요?");
    CHECK(session_expects(speaker) == SESSION_EXPECTS_YES_NO);
    CHECK_HAS(turn(speaker, "네"), "가정1동 행정복지센터 앞, 가로등 고장");
    char receipt[16];
    receipt_in(talk(speaker, "밤새 꺼져 있어요 익명", "네", NULL), receipt);
    store_complaint c;
    size_t n;
    CHECK_INT(store_complaint_get(engine_store(sited), receipt, &c, NULL, NULL, 0, &n), SD_OK);
    CHECK_STR(c.place, "가정1동 행정복지센터 앞");
    CHECK_STR(c.site, "가정1동 행정복지센터");
    CHECK_STR(c.channel, "speaker");
    session_free(speaker);
    const char *elsewhere[] = {"phone", "kakao"};
    for (int i = 0; i < 2; i++) {
        session *away = session_new(sited, elsewhere[i], "ko");
        check_about("channel %s", elsewhere[i]);
        const char *reply = turn(away, "여기 앞 가로등이 나갔어요");
        CHECK_HAS(reply, "'여기'가 어디인지 알 수 없어요");
        CHECK_LACKS(reply, "행정복지센터");
        CHECK(session_expects(away) == SESSION_EXPECTS_PLACE);
        session_free(away);
    }
    engine_close(sited);
    check_remove_db(db);
}

/* Without a site "here" is no place: never offered, never taken as the place's words. */
static void here_without_a_site(void)
{
    session *s = session_new(e, "speaker", "ko");
    CHECK_HAS(turn(s, "바로 앞에 쓰레기가 쌓였어요"), "'여기'가 어디인지 알 수 없어요");
    CHECK_HAS(turn(s, "여기요"), "'여기'가 어디인지 알 수 없어요");
    CHECK(session_expects(s) == SESSION_EXPECTS_PLACE);
    session_free(s);
}

static const check_case cases[] = {
    CHECK_ROWS("dialogue-1", "the intent of a sentence", intent_row, intents, intent_text),
    CHECK_CASE("dialogue-2.1", "a complaint sentence names its category and place",
               complaint_slots),
    CHECK_CASE("dialogue-3.1", "the first turn names the place and asks for details and a phone",
               filing_first_turn),
    CHECK_CASE("dialogue-3.2",
               "the summary asks to confirm and shows only the phone's last 4 digits",
               filing_summary),
    CHECK_CASE("dialogue-3.3", "'네' files: receipt number, department, deadline", filing_yes),
    CHECK_CASE("dialogue-3.4", "the filer asks the status: the timeline, no phone",
               status_by_the_filer),
    CHECK_CASE("dialogue-3.5", "someone else asking the status is asked for the last 4 digits",
               status_asks_others_for_digits),
    CHECK_CASE("dialogue-3.6", "wrong digits show nothing", status_wrong_digits),
    CHECK_CASE("dialogue-3.7", "the right digits show the timeline", status_right_digits),
    CHECK_CASE("dialogue-3.8",
               "three wrong digits end the checks for the session, past its time-out too",
               status_guesses_outlast_the_time_out),
    CHECK_CASE("dialogue-4.1", "'아니 가정동이요' at the summary changes the place",
               correction_of_the_place),
    CHECK_CASE("dialogue-4.2", "'취소' at the summary cancels", cancel_at_the_summary),
    CHECK_CASE("dialogue-4.3", "'네' after a cancel files nothing", yes_after_cancel),
    CHECK_CASE("dialogue-5.1", "English: a complaint with no place asks where",
               english_asks_the_place),
    CHECK_CASE("dialogue-5.2", "English: the place given, it asks for details and a mobile number",
               english_asks_the_details),
    CHECK_CASE("dialogue-5.3", "English: details with 'anonymous' give the summary",
               english_anonymous_summary),
    CHECK_CASE("dialogue-5.4", "English: 'yes' files", english_yes),
    CHECK_CASE("dialogue-6.1", "details without a number: the summary says no contact",
               summary_without_number),
    CHECK_CASE("dialogue-6.2", "'익명' then asks only the yes or no, not the summary again",
               anonymous_asks_only_yes_no),
    CHECK_CASE("dialogue-6.3", "'익명', then '네', files", anonymous_then_yes),
    CHECK_CASE("dialogue-6.4", "English: 'anonymous' at the summary", anonymous_in_english),
    CHECK_CASE("dialogue-6.5", "a number, then '익명': the summary again, the number gone",
               anonymous_after_a_number),
    CHECK_ROWS("dialogue-6.6", "the detail filed is the problem, without the contact talk",
               clean_detail_row, clean_details, clean_detail_text),
    CHECK_CASE("dialogue-7.1", "a reply after the time-out says the time passed", timed_out),
    CHECK_CASE("dialogue-7.2", "a conversation ended mid-filing says nothing was filed",
               ended_mid_filing),
    CHECK_CASE("dialogue-8.1", "broken UTF-8 is refused and the reply says so", broken_utf8),
    CHECK_CASE("dialogue-8.2", "a 1 MB line is refused", megabyte_line),
    CHECK_CASE("dialogue-8.3", "a line of spaces is refused", only_spaces),
    CHECK_CASE("dialogue-8.4", "control characters are refused", control_characters),
    CHECK_CASE("dialogue-8.5",
               "SQL in the text is only text: the complaint is filed, the KB intact",
               sql_is_only_text),
    CHECK_CASE("dialogue-9.1", "4 threads filing 25 complaints each get 100 different receipts",
               threads_file_apart),
    CHECK_CASE("dialogue-10.1", "at the speaker 'here' is the box's site; not on the phone",
               here_is_the_site),
    CHECK_CASE("dialogue-10.2", "with no site 'here' is asked about, never taken",
               here_without_a_site),
};

int main(int argc, char **argv)
{
    CHECK_SELECT(argc, argv, cases);
    char db[] = "/tmp/seodong-dialogue-XXXXXX";
    struct tm tm = {.tm_year = 126, .tm_mon = 10, .tm_mday = 25, .tm_hour = 5, .tm_min = 30};
    clock_now = timegm(&tm); /* 14:30 KST, Wednesday 2026-11-25 */
    if (!(e = check_open_engine(db, test_clock, NULL)))
        return 1;
    check_run(cases, CHECK_COUNT(cases));
    engine_close(e);
    check_remove_db(db);
    CHECK_DONE();
}

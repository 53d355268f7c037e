/* The understanding as residents meet it, with the model the build trained: every public
 * intent in Korean and English on sentences written for this test (none of them is in the
 * training data: `seodong train --dump` does not hold them), the category and department of
 * complaints, and the dialogue offering to file what residents describe, and not what no
 * district office does. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "check_engine.h"
#include "session.h"
#include "engine.h"

static engine *e;

static const struct {
    const char *intent, *text;
} intents[] = {
    {"complaint.file", "아파트 후문 쪽 보도블록이 들떠서 할머니가 걸려 넘어지셨어요"},
    {"complaint.file", "상가 앞에 음식물 쓰레기통이 넘쳐서 냄새가 심해요"},
    {"complaint.status", "지난주에 넣은 가로등 민원 처리됐는지 궁금해요"},
    {"kb.answer", "여권 재발급 받으려면 뭐 가져가야 돼요"},
    {"smalltalk", "요즘 일이 많아서 너무 지친다"},
    {"smalltalk", "넌 취미가 뭐야"},
    {"weather", "내일 출근할 때 비 오려나"},
    {"time", "지금 몇 시쯤 됐어요"},
    {"help", "서동이는 뭘 할 줄 알아요"},
    {"human", "직원분이랑 직접 통화하고 싶어요"},
    {"goodbye", "오늘은 여기까지 할게요 수고하세요"},
    {"out_of_scope", "주말에 볼 만한 영화 추천해 줘"},
    {"complaint.file", "the streetlight outside number 12 has been flickering for a week"},
    {"complaint.file", "someone dumped an old mattress in the alley behind the market"},
    {"complaint.status", "any news on the complaint I filed last monday"},
    {"kb.answer", "how do I get a copy of my resident registration"},
    {"smalltalk", "do you ever get bored"},
    {"weather", "is it going to snow this weekend"},
    {"time", "what time is it in seoul right now"},
    {"help", "what kind of things can you help me with"},
    {"human", "I would rather talk to a real person"},
    {"goodbye", "alright that's everything, bye for now"},
    {"out_of_scope", "set a timer for ten minutes"},
    {"out_of_scope", "what is the exchange rate for yen"},
};

static const char *intent_text(size_t row)
{
    return intents[row].text;
}

static void intent_row(size_t row)
{
    understanding u = check_intent(e, intents[row].text, intents[row].intent);
    CHECK(u.confidence > 0 && u.confidence <= 1);
}

/* A complaint's category, and the department: the model's for what no category names, the
 * office's routing for a named category. */
static const struct {
    const char *text, *category, *department;
} complaints[] = {
    {"우리 동네 공원 그네 줄이 끊어져 있어요", "other", "parks"},
    {"식당 주방 옆 골목에 바퀴벌레가 득실거려요", "other", "health"},
    {"마을버스 배차 간격이 너무 길어요", "other", "traffic"},
    {"the trees in the park need pruning, branches are hanging over the path", "other", "parks"},
    {"청라동 불법주차 신고할게요", "illegal_parking", "parking"},
    {"cars keep parking on the sidewalk by the school gate", "illegal_parking", "parking"},
};

static const char *complaint_text(size_t row)
{
    return complaints[row].text;
}

static void complaint_row(size_t row)
{
    const char *text = complaints[row].text;
    understanding u;
    CHECK_INT(engine_understand(e, text, strlen(text), NULL, "ko", &u), SD_OK);
    CHECK_STR(u.intent, "complaint.file");
    CHECK_STR(u.category, complaints[row].category);
    CHECK_STR(u.department, complaints[row].department);
    CHECK(u.department_p > 0 && u.department_p <= 1);
}

/* A line that is no complaint has neither. */
static void greeting_has_no_department(void)
{
    understanding u;
    CHECK_INT(engine_understand(e, "안녕하세요", strlen("안녕하세요"), NULL, "ko", &u), SD_OK);
    CHECK_STR(u.category, "");
    CHECK_STR(u.department, "");
}

/* What a resident typing the sentence would see: whether Seodong starts taking a complaint. */
static bool offers_filing(const char *text)
{
    session *s = session_new(e, "text", NULL);
    strbuf reply;
    strbuf_init(&reply);
    CHECK_INT(session_turn(s, text, strlen(text), &reply), SD_OK);
    bool filing = session_expects(s) == SESSION_EXPECTS_PLACE ||
                  session_expects(s) == SESSION_EXPECTS_CATEGORY ||
                  session_expects(s) == SESSION_EXPECTS_DETAIL ||
                  session_expects(s) == SESSION_EXPECTS_PHONE ||
                  session_expects(s) == SESSION_EXPECTS_YES_NO;
    strbuf_free(&reply);
    session_free(s);
    return filing;
}

/* What district offices take: the issue's own examples, and a few of ours. */
static const char *const ours[] = {
    "매일 새벽에 공사소음으로 잠을 잘수가 없어요",
    "목줄 안 한 개가 돌아다녀요",
    "공원 화장실 문이 고장 나서 안 잠겨요",
    "there is broken glass all over the playground",
};

/* What no district office does. */
static const char *const not_ours[] = {
    "i want to set an alarm",
    "i need to cancel my reservation for rob at red robin",
    "i want to report fraudulent activity on my chase card",
    "오늘 점심 뭐 먹을지 고민이야",
    "transfer fifty dollars to my checking account",
};

static const char *ours_text(size_t row)
{
    return ours[row];
}

static const char *not_ours_text(size_t row)
{
    return not_ours[row];
}

static void ours_row(size_t row)
{
    CHECK(offers_filing(ours[row]));
}

static void not_ours_row(size_t row)
{
    CHECK(!offers_filing(not_ours[row]));
}

/* A filed complaint no category names goes to the department the model chose. */
static void filed_department(void)
{
    session *s = session_new(e, "text", "ko");
    strbuf reply;
    strbuf_init(&reply);
    const char *turns[] = {"마을버스가 정류장을 안 서고 그냥 지나가요 청라동", "010-2222-3333",
                           "네"};
    for (size_t i = 0; i < 3; i++) {
        strbuf_clear(&reply);
        CHECK_INT(session_turn(s, turns[i], strlen(turns[i]), &reply), SD_OK);
    }
    CHECK(session_filed(s) != NULL);
    CHECK_HAS(strbuf_str(&reply), "교통행정과");
    store_complaint c;
    store_department d;
    store_event ev[4];
    size_t n;
    if (session_filed(s)) {
        CHECK_INT(store_complaint_get(engine_store(e), session_filed(s), &c, &d, ev, 4, &n), SD_OK);
        CHECK_STR(c.category, "other");
        CHECK_STR(c.department, "traffic");
    }
    strbuf_free(&reply);
    session_free(s);
}

/* Lines with nothing in them to understand are said to be so (out of scope, topic "unclear"),
 * not guessed at; words with an emoji or a laugh in them are still read. */
static const struct {
    const char *text;
    bool unclear;
} unclear_lines[] = {
    {"?", true},
    {"🙂", true},
    {"🙂🙂🙂", true},
    {"ㅋㅋㅋ", true},
    {"ㅠㅠ", true},
    {"하하하", true},
    {"... ?", true},
    {"lol", true},
    {"hmmm", true},
    {"haha!", true},
    {"ㅇㅇ", false},
    {"hi", false},
    {"하키", false},
    {"감사합니다 🙂", false},
    {"ㅋㅋ 청라동 불법주차 신고요", false},
    {"ok", false},
    {"ㅎㅇㅎㅇ", false}, /* shorthand for 하이하이, hi */
};

static const char *unclear_text(size_t row)
{
    return unclear_lines[row].text;
}

static void unclear_row(size_t row)
{
    const char *text = unclear_lines[row].text;
    understanding u;
    CHECK_INT(engine_understand(e, text, strlen(text), NULL, "ko", &u), SD_OK);
    bool unclear = strcmp(u.intent, "out_of_scope") == 0 && strcmp(u.topic, "unclear") == 0;
    check_about("%s: %s/%s", text, u.intent, u.topic);
    CHECK(unclear == unclear_lines[row].unclear);
}

static const check_case cases[] = {
    CHECK_ROWS("understanding-1", "the intent of a sentence no training example holds", intent_row,
               intents, intent_text),
    CHECK_ROWS("understanding-2", "a complaint's category and department", complaint_row,
               complaints, complaint_text),
    CHECK_CASE("understanding-3.1", "a greeting has no category or department",
               greeting_has_no_department),
    CHECK_ROWS("understanding-4", "Seodong offers to file it", ours_row, ours, ours_text),
    CHECK_ROWS("understanding-5", "no district office does it: no filing offered", not_ours_row,
               not_ours, not_ours_text),
    CHECK_CASE("understanding-6.1", "a complaint no category names goes to the model's department",
               filed_department),
    CHECK_ROWS("understanding-7", "nothing to understand (or something)", unclear_row,
               unclear_lines, unclear_text),
};

int main(int argc, char **argv)
{
    CHECK_SELECT(argc, argv, cases);
    char db[] = "/tmp/seodong-understanding-XXXXXX";
    e = check_open_engine(db, NULL, NULL);
    if (!e)
        CHECK_DONE();
    check_run(cases, CHECK_COUNT(cases));
    engine_close(e);
    check_remove_db(db);
    CHECK_DONE();
}

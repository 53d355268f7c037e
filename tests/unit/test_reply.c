/* test_reply.c - the words of times and the Korean endings after them, as a Korean or English
 * speaker says them: every minute of the day, the hours around midnight and noon, and the
 * ending (받침 or not) after words and numbers. Named cases (check.h): `test_reply --list`. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "reply.h"

/* UTC seconds of hour:minute, Korean time, on Wednesday 2026-11-25. */
static time_t kst(int hour, int minute)
{
    struct tm tm = {.tm_year = 126, .tm_mon = 10, .tm_mday = 25, .tm_hour = hour, .tm_min = minute};
    return timegm(&tm) - 9 * 3600;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* ---- reply-1: "what time is it" at every minute of the day ---- */

/* The answer as the dialogue says it: the time, then the ending that fits it. */
static void answer_at(strbuf *out, int hour, int minute)
{
    strbuf when;
    strbuf_init(&when);
    reply_time_now(&when, "ko", kst(hour, minute));
    strbuf_clear(out);
    reply_say(out, "ko", R_TIME, strbuf_str(&when),
              reply_josa(strbuf_str(&when), "이에요", "예요"));
    strbuf_free(&when);
}

static void every_minute_korean(void)
{
    strbuf r;
    strbuf_init(&r);
    for (int h = 0; h < 24; h++)
        for (int m = 0; m < 60; m++) {
            answer_at(&r, h, m);
            check_about("%02d:%02d: %s", h, m, strbuf_str(&r));
            /* 시 ends in a vowel (시예요), 분 in a consonant (분이에요) */
            CHECK(ends_with(strbuf_str(&r), m ? "분이에요." : "시예요."));
            CHECK_LACKS(strbuf_str(&r), "새벽 12시");
            CHECK_LACKS(strbuf_str(&r), " 0시");
            CHECK_LACKS(strbuf_str(&r), " 0분");
        }
    strbuf_free(&r);
}

/* ---- reply-2: the hours around midnight and noon ---- */

static const struct {
    const char *lang;
    int hour, minute;
    bool after_date;
    const char *said;
} clocks[] = {
    {"ko", 0, 0, false, "밤 12시"},          {"ko", 0, 5, false, "밤 12시 5분"},
    {"ko", 0, 5, true, "오전 0시 5분"},      {"ko", 1, 0, false, "새벽 1시"},
    {"ko", 10, 0, false, "오전 10시"},       {"ko", 10, 5, false, "오전 10시 5분"},
    {"ko", 12, 0, false, "오후 12시"},       {"ko", 12, 30, true, "오후 12시 30분"},
    {"ko", 23, 59, false, "오후 11시 59분"}, {"en", 0, 0, false, "12 midnight"},
    {"en", 0, 0, true, "12 midnight"},       {"en", 0, 5, false, "12:05 a.m."},
    {"en", 12, 0, false, "12 noon"},         {"en", 12, 0, true, "12 noon"},
    {"en", 12, 30, false, "12:30 p.m."},     {"en", 14, 30, true, "2:30 p.m."},
};

static const char *clock_text(size_t row)
{
    static char text[32];
    snprintf(text, sizeof text, "%s %02d:%02d%s", clocks[row].lang, clocks[row].hour,
             clocks[row].minute, clocks[row].after_date ? " after a date" : "");
    return text;
}

static void clock_row(size_t row)
{
    strbuf out;
    strbuf_init(&out);
    time_t t = kst(clocks[row].hour, clocks[row].minute);
    if (clocks[row].after_date)
        reply_clock(&out, clocks[row].lang, t);
    else
        reply_time_now(&out, clocks[row].lang, t);
    CHECK_STR(strbuf_str(&out), clocks[row].said);
    strbuf_free(&out);
}

/* ---- reply-3: the ending after a word or a number ---- */

static const struct {
    const char *word, *josa; /* 을 after a final consonant, 를 after a vowel */
} endings[] = {
    {"SG-2026-000123", "을"}, /* 삼 */
    {"SG-2026-000124", "를"}, /* 사 */
    {"SG-2026-000120", "을"}, /* 십 */
    {"SG-2026-000129", "를"}, /* 구 */
    {"SG-2026-000127", "을"}, /* 칠 */
    {"오전 10시", "를"},
    {"10시 5분", "을"},
    {"청라동", "을"},
    {"서동이", "를"},
    {"주차관리과(032-560-4380)", "를"}, /* the word before the brackets */
};

static const char *ending_text(size_t row)
{
    return endings[row].word;
}

static void ending_row(size_t row)
{
    CHECK_STR(reply_josa(endings[row].word, "을", "를"), endings[row].josa);
}

static const check_case cases[] = {
    CHECK_CASE("reply-1.1", "Korean time at every minute: 시예요, 분이에요, never 새벽 12시",
               every_minute_korean),
    CHECK_ROWS("reply-2", "the time said", clock_row, clocks, clock_text),
    CHECK_ROWS("reply-3", "the Korean ending after", ending_row, endings, ending_text),
};

int main(int argc, char **argv)
{
    CHECK_SELECT(argc, argv, cases);
    check_run(cases, CHECK_COUNT(cases));
    CHECK_DONE();
}

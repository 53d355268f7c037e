/* reply.h - every sentence Seodong says, in Korean and English.
 *
 * Replies are written to be spoken as well as read: short sentences, no symbols that a speech
 * synthesiser would read out, numbers as people say them. The catalogue is one table in
 * reply.c so that a translator or a clerk finds every phrase in one place. */
#ifndef SEODONG_REPLIES_H
#define SEODONG_REPLIES_H

#include <stdbool.h>
#include <time.h>

#include "strbuf.h"

typedef enum {
    R_BAD_UTF8,
    R_TOO_LONG,
    R_EMPTY,
    R_EMPTY_PENDING,
    R_NOTHING_PENDING,
    R_GREETING_MORNING,
    R_GREETING_AFTERNOON,
    R_GREETING_EVENING,
    R_GREETING_NIGHT,
    R_HOW_ARE_YOU,
    R_THANKS,
    R_FEELING_BAD,
    R_FEELING_GOOD,
    R_IDENTITY,
    R_COMPLIMENT,
    R_ASIDE_GREETING,
    R_ASIDE_HOW_ARE_YOU,
    R_ASIDE_THANKS,
    R_ASIDE_COMPLIMENT,
    R_CHAT,
    R_TIME,
    R_DATE,
    R_WEATHER_OVERVIEW,
    R_WEATHER_RAIN,
    R_WEATHER_SNOW,
    R_WEATHER_DRY,
    R_WEATHER_HOT,
    R_WEATHER_COLD,
    R_WEATHER_NOW,
    R_WEATHER_NOW_RAIN,
    R_WEATHER_NOW_SNOW,
    R_WEATHER_OFFLINE_OLD,
    R_WEATHER_ISSUED_AGO,
    R_WEATHER_NONE,
    R_WEATHER_DUST,
    R_HELP,
    R_HUMAN_OPEN,
    R_HUMAN_CLOSED,
    R_GOODBYE_DAY,
    R_GOODBYE_NIGHT,
    R_OUT_OF_SCOPE,
    R_NOT_UNDERSTOOD,
    R_NOT_UNDERSTOOD_SHORT,
    R_KB_ANSWER,
    R_KB_MAYBE,
    R_KB_CONTACT,
    R_ASK_CATEGORY,
    R_ASK_PLACE,
    R_ASK_PLACE_HERE,
    R_ASK_PLACE_AFTER_NO,
    R_ASK_SITE,
    R_ASK_SITE_AGAIN,
    R_SITE_PLACE,
    R_ASK_DETAIL_CONTACT,
    R_ASK_DETAIL,
    R_ASK_CONTACT,
    R_ASK_CONTACT_AGAIN,
    R_CONFIRM,
    R_VISIBILITY_PRIVATE,
    R_VISIBILITY_PUBLIC,
    R_CONFIRM_QUESTION,
    R_CONFIRM_AGAIN,
    R_CONFIRM_ANONYMOUS,
    R_ASK_WHAT_TO_FIX,
    R_FILED,
    R_FILE_FAILED,
    R_FILED_SPOOLED_MESSAGE,
    R_FILED_SPOOLED_CODE,
    R_CANCELLED,
    R_EXPIRED,
    R_DROPPED,
    R_ASK_RECEIPT,
    R_RECEIPT_NOT_FOUND,
    R_RECEIPT_INCOMPLETE,
    R_STATUS_OFFLINE,
    R_STATUS_SPOOLED,
    R_ASK_DIGITS,
    R_DIGITS_WRONG,
    R_DIGITS_GIVE_UP,
    R_TIMELINE_HEAD,
    R_TIMELINE_STEP_DONE,
    R_TIMELINE_STEP_NOW,
    R_TIMELINE_STEP_NEXT,
    R_TIMELINE_HOLDER,
    R_TIMELINE_DUE,
    R_TIMELINE_OVERDUE,
    R_TIMELINE_EXTENDED,
    R_TIMELINE_TRANSFERRED,
    R_TIMELINE_REASON,
    R_TIMELINE_INTERIM,
    R_TIMELINE_ANSWER,
    R_TIMELINE_DONE,
    R_PHONE_NONE,
    R_PHONE_LAST4,
    R_PLACE_NONE,
    R_HEARD_UNSURE,
    R_YES_NO_UNSURE,
    R_DETAIL_RECORDED,
    R_COUNT
} reply_id;

/* The text of reply id in lang, unformatted: for phrases that take no arguments. */
const char *reply_phrase(const char *lang, reply_id id);

/* Appends the reply id in lang ("ko" or "en"), formatted with the arguments its text names. */
void reply_say(strbuf *out, const char *lang, reply_id id, ...);

/* Names for people: a complaint category, a timeline state, a weekday. */
const char *reply_category_name(const char *lang, const char *category);
const char *reply_state_name(const char *lang, const char *state);

/* Words inside weather replies: the period a forecast covers ("오늘", "내일", "오늘 오후" /
 * "Today", ...), the sky (SKY 1, 3, 4; "" for another code) and when rain comes, by part of the
 * day (0 before dawn, 1 morning, 2 afternoon, 3 evening, 4 night: "오늘 오후에" / "this
 * afternoon"). */
const char *reply_weather_period(const char *lang, bool tomorrow, bool afternoon);
const char *reply_weather_sky(const char *lang, int sky);
const char *reply_weather_when(const char *lang, bool tomorrow, int part);

/* Formats t (UTC seconds) in Korean time as a date people say: "11월 25일(수)" / "Wed, Nov 25". */
void reply_date(strbuf *out, const char *lang, time_t t);
/* The time after a date: "오후 3시 20분" / "3:20 p.m.", "12 noon"; the midnight hour "오전 0시 5분"
 * (after a date, "밤 12시" could be read as the next night). */
void reply_clock(strbuf *out, const char *lang, time_t t);
/* The time on its own, as said when asked: the same, but the midnight hour "밤 12시 5분". */
void reply_time_now(strbuf *out, const char *lang, time_t t);

/* The Korean ending that fits after word: after_consonant when its last sound has a final
 * consonant (받침), else after_vowel. Numbers count as read in Sino-Korean: "10시" + 예요, "5분" +
 * 이에요, "SG-2026-000123" + 을, "…000124" + 를. */
const char *reply_josa(const char *word, const char *after_consonant, const char *after_vowel);

#endif

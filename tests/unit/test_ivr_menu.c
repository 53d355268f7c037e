/* test_ivr_menu.c - the phone menu without SIP: greeting, keys, typed receipt numbers with the
 * dialogue's privacy check, caller ID as the contact, reprompts, the offer of a person, giving
 * up; what speech the line has (keypad only, narrowband, wideband); and the call records of the
 * store. */
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "check_engine.h"
#include "ivr_menu.h"
#include "store.h"

static time_t clock_now;

static time_t test_clock(void *ctx)
{
    (void)ctx;
    return clock_now;
}

static engine *e;
static strbuf said;
static ivr_action last_action;

/* Presses each key of keys in turn; returns everything said meanwhile. */
static const char *press(ivr_menu *m, const char *keys)
{
    strbuf_clear(&said);
    for (const char *k = keys; *k; k++)
        last_action = ivr_menu_key(m, *k, &said);
    return strbuf_str(&said);
}

static const char *hear(ivr_menu *m, const char *text)
{
    strbuf_clear(&said);
    last_action = ivr_menu_heard(m, text, 0.9, 3.0, &said);
    return strbuf_str(&said);
}

static void file_complaint(char receipt[32])
{
    store_new_complaint c = {.category = "illegal_parking",
                             .place = "청라동",
                             .detail = "흰색 SUV",
                             .phone = "01012345678",
                             .lang = "ko",
                             .channel = "text",
                             .filed_at = clock_now,
                             .due_at = clock_now + 86400};
    CHECK(store_complaint_file(engine_store(e), &c, receipt) == SD_OK);
}

static void test_greeting_and_keys(void)
{
    ivr_menu *m = NULL;
    CHECK(ivr_menu_new(e, "ko", "", &m) == SD_OK);
    strbuf_clear(&said);
    CHECK(ivr_menu_start(m, &said) == IVR_CONTINUE);
    CHECK(strstr(strbuf_str(&said), "서구청") != NULL);
    CHECK(strstr(strbuf_str(&said), "1번") != NULL);
    CHECK(!ivr_menu_listening(m)); /* the choices are asked of the keypad: no listening cue */
    CHECK(strstr(press(m, "*"), "서구청") != NULL); /* * repeats */
    CHECK(strstr(press(m, "9"), "메뉴에 없는") != NULL);
    CHECK(strstr(strbuf_str(&said), "0번을 눌러") == NULL); /* one failure: no offer yet */
    CHECK(strstr(press(m, "7"), "0번을 눌러") != NULL);     /* two: a person is offered */
    CHECK(strstr(press(m, "0"), "상담원에게 연결") != NULL);
    CHECK(last_action == IVR_TRANSFER);
    CHECK_STR(ivr_menu_result(m), "transfer");
    CHECK_STR(ivr_menu_intents(m), "human");
    ivr_menu_free(m);
}

static void test_status_by_keypad(const char *receipt)
{
    ivr_menu *m = NULL;
    CHECK(ivr_menu_new(e, "ko", "01055501234", &m) == SD_OK); /* not the filer's number */
    strbuf_clear(&said);
    ivr_menu_start(m, &said);
    CHECK(strstr(press(m, "2"), "열 자리") != NULL);
    CHECK(!ivr_menu_listening(m));
    CHECK(strstr(press(m, "12345678#"), "열 자리입니다") != NULL); /* eight digits: refused */
    char keys[32];
    snprintf(keys, sizeof keys, "%.4s%.6s#", receipt + 3, receipt + 8);
    CHECK(strstr(press(m, keys), "뒤 4자리") != NULL);
    CHECK(strstr(press(m, "5678#"), receipt) != NULL);
    CHECK(strstr(strbuf_str(&said), "민원 접수는 1번") != NULL); /* back at the menu */
    CHECK_STR(ivr_menu_intents(m), "complaint.status");
    ivr_menu_free(m);
}

/* The dialogue's count of wrong digits holds for the whole call: typing the receipt again does
 * not start it over, and after the third even the right digits show nothing. */
static void test_digit_guesses_end_for_the_call(const char *receipt)
{
    ivr_menu *m = NULL;
    CHECK(ivr_menu_new(e, "ko", "01055501234", &m) == SD_OK);
    strbuf_clear(&said);
    ivr_menu_start(m, &said);
    char keys[32];
    snprintf(keys, sizeof keys, "%.4s%.6s#", receipt + 3, receipt + 8);
    press(m, "2");
    CHECK(strstr(press(m, keys), "뒤 4자리") != NULL);
    CHECK(strstr(press(m, "1111#"), "맞지 않아요") != NULL);
    CHECK(strstr(press(m, "2222#"), "맞지 않아요") != NULL);
    CHECK(strstr(press(m, "3333#"), "더 확인해 드릴 수 없어요") != NULL);
    CHECK(strstr(strbuf_str(&said), "민원 접수는 1번") != NULL); /* back at the menu */
    press(m, "2");
    const char *again = press(m, keys);
    CHECK(strstr(again, "더 확인해 드릴 수 없어요") != NULL);
    CHECK(strstr(again, "뒤 4자리를 알려") == NULL);
    press(m, "2");
    press(m, keys);
    CHECK(strstr(press(m, "5678#"), "처리 기한") == NULL);
    ivr_menu_free(m);
}

static void test_caller_id_is_the_contact(void)
{
    ivr_menu *m = NULL;
    CHECK(ivr_menu_new(e, "ko", "+821098761234", &m) == SD_OK);
    strbuf_clear(&said);
    ivr_menu_start(m, &said);
    CHECK(strstr(press(m, "1"), "장소와 함께") != NULL);
    CHECK(ivr_menu_listening(m));
    hear(m, "청라동 공원 앞에 불법 주차 신고할게요");
    const char *summary = hear(m, "흰색 SUV가 인도를 막고 있어요");
    CHECK(strstr(summary, "1234") != NULL);
    CHECK(strstr(summary, "01098761234") == NULL); /* only the last four digits are read */
    CHECK(ivr_menu_listening(m));                  /* the summary asks for a yes or no */
    hear(m, "네");
    CHECK(!ivr_menu_listening(m)); /* filed: back at the menu */
    CHECK(strncmp(ivr_menu_receipt(m), "SG-2026-", 8) == 0);
    CHECK_STR(ivr_menu_result(m), "filed");
    CHECK(strstr(ivr_menu_intents(m), "complaint.file") != NULL);
    ivr_menu_free(m);
}

static void test_no_input_gives_up(void)
{
    ivr_menu *m = NULL;
    CHECK(ivr_menu_new(e, "en", "anonymous", &m) == SD_OK);
    strbuf_clear(&said);
    ivr_menu_start(m, &said);
    CHECK(strstr(strbuf_str(&said), "press 1") != NULL);
    strbuf_clear(&said);
    CHECK(ivr_menu_no_input(m, &said) == IVR_CONTINUE);
    CHECK(ivr_menu_no_input(m, &said) == IVR_CONTINUE);
    CHECK(strstr(strbuf_str(&said), "speak to a person, press 0") != NULL);
    CHECK(ivr_menu_no_input(m, &said) == IVR_CONTINUE);
    CHECK(ivr_menu_no_input(m, &said) == IVR_HANGUP);
    CHECK_STR(ivr_menu_result(m), "no_input");
    /* Keys that are not keys change nothing. */
    CHECK(ivr_menu_key(m, 'x', &said) == IVR_CONTINUE);
    ivr_menu_free(m);
}

static const char *hear_unsure(ivr_menu *m)
{
    strbuf_clear(&said);
    last_action = ivr_menu_heard(m, "what time is it", 0.1, 1.5, &said);
    return strbuf_str(&said);
}

/* What the line can hear changes the menu: keypad only (no recogniser free) does not invite
 * speech and says key 1 cannot take a complaint; narrowband offers the keypad after the first
 * unsure hearing, wideband after the second. */
static void test_speech_modes(void)
{
    ivr_menu *m = NULL;
    CHECK(ivr_menu_new(e, "en", "", &m) == SD_OK);
    ivr_menu_set_speech(m, IVR_SPEECH_NONE);
    strbuf_clear(&said);
    ivr_menu_start(m, &said);
    CHECK(strstr(strbuf_str(&said), "press 1") != NULL);
    CHECK(strstr(strbuf_str(&said), "ask your question") == NULL);
    CHECK(strstr(press(m, "1"), "cannot be taken") != NULL);
    CHECK(!ivr_menu_listening(m)); /* a line that hears no speech never asks for it */
    CHECK(strstr(press(m, "2"), "ten digits") != NULL);
    ivr_menu_free(m);

    CHECK(ivr_menu_new(e, "en", "", &m) == SD_OK);
    ivr_menu_set_speech(m, IVR_SPEECH_NARROW);
    strbuf_clear(&said);
    ivr_menu_start(m, &said);
    CHECK(strstr(strbuf_str(&said), "ask your question") != NULL);
    CHECK(strstr(hear_unsure(m), "keypad") != NULL);
    CHECK(last_action == IVR_CONTINUE);
    ivr_menu_free(m);

    CHECK(ivr_menu_new(e, "en", "", &m) == SD_OK);
    strbuf_clear(&said);
    ivr_menu_start(m, &said);
    CHECK(strstr(hear_unsure(m), "keypad") == NULL);
    CHECK(strstr(hear_unsure(m), "keypad") != NULL);
    CHECK(strstr(strbuf_str(&said), "speak to a person") != NULL);
    ivr_menu_free(m);
}

static void test_call_records(const char *db)
{
    store *s = engine_store(e);
    long id = 0;
    CHECK(store_call_begin(s, clock_now, "*******1234", "PCMU", &id) == SD_OK);
    store_call_end_info info = {
        .ended_at = clock_now + 60, .intents = "complaint.status", .result = "hangup"};
    CHECK(store_call_end(s, id, &info) == SD_OK);
    CHECK(store_call_end(s, id + 1000, &info) == SD_ERR_NOT_FOUND);
    sqlite3 *check = NULL;
    sqlite3_stmt *st = NULL;
    CHECK(sqlite3_open(db, &check) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(check,
                             "SELECT ended_at - started_at, caller, codec, result FROM calls"
                             " WHERE id = ?1",
                             -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == 60);
    CHECK_STR((const char *)sqlite3_column_text(st, 1), "*******1234");
    CHECK_STR((const char *)sqlite3_column_text(st, 2), "PCMU");
    CHECK_STR((const char *)sqlite3_column_text(st, 3), "hangup");
    sqlite3_finalize(st);
    sqlite3_close(check);
}

int main(void)
{
    char db[] = "/tmp/seodong-ivr-menu-XXXXXX";
    struct tm tm = {.tm_year = 126, .tm_mon = 10, .tm_mday = 25, .tm_hour = 1, .tm_min = 30};
    clock_now = timegm(&tm); /* 10:30 KST, Wednesday 2026-11-25 */
    if (!(e = check_open_engine(db, test_clock, NULL)))
        return 1;
    strbuf_init(&said);
    char receipt[32];
    file_complaint(receipt);
    test_greeting_and_keys();
    test_status_by_keypad(receipt);
    test_digit_guesses_end_for_the_call(receipt);
    test_caller_id_is_the_contact();
    test_no_input_gives_up();
    test_speech_modes();
    test_call_records(db);
    strbuf_free(&said);
    engine_close(e);
    check_remove_db(db);
    CHECK_DONE();
}

/* The weather parts without a network: which KMA issue is asked for at a given time, the
 * request URL and its service key, the reading of every recorded answer form
 * (tests/data/kma), the forecast cache's claims on a real SQLite file (or the PostgreSQL database
 * of SEODONG_TEST_DB), and the advice told from a cached forecast. test_weather_chat.sh covers the
 * same over HTTP with the real binary.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "check_store.h"
#include "kma.h"
#include "store.h"
#include "weather.h"

#define DB "test_weather.db"

/* Korean local "YYYY-MM-DD HH:MM" as UTC seconds. */
static time_t kst(const char *text)
{
    struct tm tm = {0};
    sscanf(text, "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm) - KST_OFFSET;
}

static void issue_is(kma_kind kind, const char *now, const char *date, const char *hhmm)
{
    char d[9], t[5];
    kma_base(kma_latest_issue(kind, kst(now)), d, t);
    if (strcmp(d, date) != 0 || strcmp(t, hhmm) != 0)
        fprintf(stderr, "%s at %s: got %s %s, want %s %s\n", kma_kind_name(kind), now, d, t, date,
                hhmm);
    CHECK(strcmp(d, date) == 0 && strcmp(t, hhmm) == 0);
}

static void test_issues(void)
{
    issue_is(KMA_FORECAST, "2026-07-08 07:30", "20260708", "0500");
    issue_is(KMA_FORECAST, "2026-07-08 08:09", "20260708", "0500");
    issue_is(KMA_FORECAST, "2026-07-08 08:10", "20260708", "0800");
    issue_is(KMA_FORECAST, "2026-07-08 23:10", "20260708", "2300");
    issue_is(KMA_FORECAST, "2026-07-08 02:09", "20260707", "2300");
    issue_is(KMA_FORECAST, "2026-01-01 00:30", "20251231", "2300");
    issue_is(KMA_NOWCAST, "2026-07-08 10:39", "20260708", "0900");
    issue_is(KMA_NOWCAST, "2026-07-08 10:40", "20260708", "1000");
    issue_is(KMA_NOWCAST, "2026-03-01 00:20", "20260228", "2300");
    CHECK(kma_issue_time("20260708", "0500") == kst("2026-07-08 05:00"));
    CHECK(kma_issue_time("2026078", "0500") == -1);
}

static void test_url(void)
{
    config_weather cfg = {.url = "http://h/svc/", .service_key = "ab+c/d==", .nx = 55, .ny = 126};
    strbuf url;
    strbuf_init(&url);
    CHECK(kma_url(&cfg, KMA_FORECAST, kst("2026-07-08 05:00"), &url) == SD_OK);
    CHECK_STR(strbuf_str(&url), "http://h/svc/getVilageFcst?serviceKey=ab%2Bc%2Fd%3D%3D&pageNo=1"
                                "&numOfRows=1000&dataType=JSON&base_date=20260708&base_time=0500"
                                "&nx=55&ny=126");
    /* The "encoding" key from data.go.kr is sent as it is, not encoded twice. */
    snprintf(cfg.service_key, sizeof cfg.service_key, "ab%%2Bc%%2Fd%%3D%%3D");
    strbuf_clear(&url);
    CHECK(kma_url(&cfg, KMA_NOWCAST, kst("2026-07-08 06:00"), &url) == SD_OK);
    CHECK(strstr(strbuf_str(&url), "/svc/getUltraSrtNcst?serviceKey=ab%2Bc%2Fd%3D%3D&") != NULL);
    cfg.url[0] = '\0';
    CHECK(kma_url(&cfg, KMA_NOWCAST, 0, &url) == SD_ERR_INVALID);
    strbuf_free(&url);
}

/* The fixture's text (NUL-terminated; free() it). */
static char *fixture(const char *name, size_t *len)
{
    const char *src = getenv("SEODONG_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/kma/%s", src ? src : SEODONG_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    strbuf sb;
    strbuf_init(&sb);
    char buf[8192];
    size_t n;
    while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_append(&sb, buf, n);
    if (f)
        fclose(f);
    *len = sb.len;
    char *text = strbuf_detach(&sb);
    return text ? text : calloc(1, 1);
}

static kma_failure parse_fixture(const char *name, kma_kind kind, long status, kma_forecast *fc,
                                 kma_error *err)
{
    size_t len;
    char *body = fixture(name, &len);
    sd_code rc = kma_parse(kind, status, body, len, fc, err);
    free(body);
    CHECK((rc == SD_OK) == (err->kind == KMA_FAIL_NONE));
    return err->kind;
}

static const kma_hour *hour_at(const kma_forecast *fc, const char *date, int hour)
{
    for (size_t i = 0; i < fc->nhours; i++)
        if (fc->hours[i].hour == hour && strcmp(fc->hours[i].date, date) == 0)
            return &fc->hours[i];
    return NULL;
}

static void test_parse(void)
{
    static kma_forecast fc;
    kma_error err;
    CHECK(parse_fixture("vilage_rain.json", KMA_FORECAST, 200, &fc, &err) == KMA_FAIL_NONE);
    CHECK_STR(fc.base_date, "20260708");
    CHECK_STR(fc.base_time, "0500");
    CHECK(fc.nhours == 66 && fc.ndays == 3);
    const kma_hour *h = hour_at(&fc, "20260708", 14);
    CHECK(h && h->has_pop && h->pop == 80 && h->pty == 1 && h->sky == 4 && h->temp == 27);
    CHECK(fc.days[0].has_min && fc.days[0].has_max && fc.days[0].max == 27.0);
    CHECK(parse_fixture("ncst_snow.json", KMA_NOWCAST, 200, &fc, &err) == KMA_FAIL_NONE);
    CHECK(fc.nhours == 1 && fc.hours[0].hour == 14 && fc.hours[0].pty == 3);
    CHECK(fc.hours[0].has_temp && fc.hours[0].temp < -3.1 && fc.hours[0].temp > -3.3);

    CHECK(parse_fixture("nodata.json", KMA_FORECAST, 200, &fc, &err) == KMA_FAIL_NO_DATA);
    CHECK_STR(err.message, "NO_DATA (resultCode 03)");
    CHECK(parse_fixture("result10.json", KMA_FORECAST, 200, &fc, &err) == KMA_FAIL_RESULT);
    CHECK(strstr(err.message, "(resultCode 10)") != NULL);
    CHECK(parse_fixture("key_error.xml", KMA_FORECAST, 200, &fc, &err) == KMA_FAIL_GATEWAY);
    CHECK_STR(err.message, "HTTP 200: SERVICE_KEY_IS_NOT_REGISTERED_ERROR (returnReasonCode 30)");
    CHECK(parse_fixture("key_error.xml", KMA_FORECAST, 403, &fc, &err) == KMA_FAIL_GATEWAY);
    CHECK(err.http_status == 403);
    /* A gateway error cut short is still the gateway's error, with what could be read. */
    static const char cut[] = "<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR";
    CHECK(kma_parse(KMA_FORECAST, 500, cut, sizeof cut - 1, &fc, &err) == SD_ERR_NET);
    CHECK(err.kind == KMA_FAIL_GATEWAY);
    CHECK_STR(err.message, "HTTP 500: SERVICE ERROR (returnReasonCode ?)");
    CHECK(parse_fixture("unexpected.txt", KMA_FORECAST, 500, &fc, &err) == KMA_FAIL_GATEWAY);
    CHECK_STR(err.message, "HTTP 500: Unexpected errors");
    CHECK(parse_fixture("truncated.json", KMA_FORECAST, 200, &fc, &err) == KMA_FAIL_MALFORMED);
    /* A JSON body with an HTTP error status is the gateway's, not a forecast. */
    CHECK(parse_fixture("vilage_rain.json", KMA_FORECAST, 502, &fc, &err) == KMA_FAIL_GATEWAY);
}

static void test_claims(store *db)
{
    store_forecast_key key = {"forecast", "20260708", "0500", 55, 126};
    time_t t = kst("2026-07-08 07:30");
    bool claimed;
    CHECK(store_forecast_claim(db, &key, t, t + 5, &claimed) == SD_OK && claimed);
    /* A second speaker while the first fetch is under way, and again after it failed. */
    CHECK(store_forecast_claim(db, &key, t + 1, t + 6, &claimed) == SD_OK && !claimed);
    CHECK(store_forecast_fail(db, &key, "network: refused", t + 2 + WEATHER_RETRY_S) == SD_OK);
    CHECK(store_forecast_claim(db, &key, t + WEATHER_RETRY_S, t + 5, &claimed) == SD_OK &&
          !claimed);
    CHECK(store_forecast_claim(db, &key, t + 2 + WEATHER_RETRY_S, t + 5, &claimed) == SD_OK &&
          claimed);
    store_forecast got;
    CHECK(store_forecast_latest(db, &key, &got) == SD_ERR_NOT_FOUND);
    CHECK_STR(got.error, "network: refused");

    size_t len;
    char *body = fixture("vilage_rain.json", &len);
    CHECK(store_forecast_put(db, &key, body, t + 3) == SD_OK);
    /* Once cached, an issue is never fetched again. */
    CHECK(store_forecast_claim(db, &key, t + 86400, t + 86405, &claimed) == SD_OK && !claimed);
    store_forecast_key later = {"forecast", "20260708", "0800", 55, 126};
    CHECK(store_forecast_latest(db, &later, &got) == SD_OK);
    CHECK_STR(got.base_time, "0500");
    CHECK(got.body && strcmp(got.body, body) == 0 && got.error[0] == '\0');
    free(got.body);
    /* An earlier clock does not see a later issue; another cell sees nothing. */
    store_forecast_key earlier = {"forecast", "20260708", "0200", 55, 126};
    CHECK(store_forecast_latest(db, &earlier, &got) == SD_ERR_NOT_FOUND);
    store_forecast_key elsewhere = {"forecast", "20260708", "0500", 60, 127};
    CHECK(store_forecast_latest(db, &elsewhere, &got) == SD_ERR_NOT_FOUND);
    free(body);
}

static const char *report(store *db, const char *now, const char *lang, const char *question,
                          sd_code want)
{
    static strbuf reply;
    strbuf_clear(&reply);
    config_weather cfg = {.url = "", .nx = 55, .ny = 126, .timeout_ms = 500};
    weather_question q = weather_question_of(question, strlen(question));
    CHECK(weather_report(db, &cfg, kst(now), lang, &q, &reply) == want);
    return strbuf_str(&reply);
}

/* The cache of test_claims holds the rainy 8 July; no url, so nothing is fetched. */
static void test_advice(store *db)
{
    const char *r = report(db, "2026-07-08 07:30", "ko", "오늘 오후에 비 와요?", SD_OK);
    CHECK(strstr(r, "오늘 오후에 비 올 확률이 80%예요. 우산 챙기세요.") != NULL);
    CHECK(strstr(r, "발표된") == NULL);
    r = report(db, "2026-07-08 07:30", "en", "will it rain this afternoon", SD_OK);
    CHECK(strstr(r, "Rain is likely this afternoon (80%) — take an umbrella.") != NULL);
    r = report(db, "2026-07-08 07:30", "ko", "내일 날씨 알려 주세요", SD_OK);
    CHECK(strstr(r, "내일 서구는 맑고") != NULL && strstr(r, "비 소식은 없어요") != NULL);
    /* Later, with the 11:00 issue not fetched: the 05:00 one, with its age. */
    r = report(db, "2026-07-08 11:30", "ko", "오늘 날씨 어때", SD_ERR_NET);
    CHECK(strstr(r, "6시간 전에 발표된 예보예요.") != NULL && strstr(r, "우산") != NULL);
    r = report(db, "2026-07-08 19:30", "en", "will it rain later", SD_ERR_NET);
    CHECK(strstr(r, "issued 14 hours ago") != NULL && strstr(r, "umbrella") == NULL);
    /* A day later the forecast no longer covers today. */
    r = report(db, "2026-07-09 09:00", "ko", "오늘 미세먼지 어때요", SD_ERR_NET);
    CHECK(strstr(r, "131") != NULL && strstr(r, "에어코리아") != NULL);
}

static void test_questions(void)
{
    const char *text[] = {"내일 비 와요?",        "what's the weather like tomorrow",
                          "오후에 우산 필요해요", "will it snow later",
                          "지금 몇 도예요",       "is it cold outside",
                          "will it snow today",   "미세먼지 어때요"};
    weather_when want[] = {WEATHER_TOMORROW, WEATHER_TOMORROW, WEATHER_AFTERNOON, WEATHER_AFTERNOON,
                           WEATHER_NOW,      WEATHER_NOW,      WEATHER_TODAY,     WEATHER_TODAY};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        weather_question q = weather_question_of(text[i], strlen(text[i]));
        if (q.when != want[i])
            fprintf(stderr, "'%s': got %d, want %d\n", text[i], (int)q.when, (int)want[i]);
        CHECK(q.when == want[i]);
        CHECK(q.dust == (i == 7));
    }
}

int main(void)
{
    test_issues();
    test_url();
    test_parse();
    test_questions();
    check_store_remove(DB);
    store *db = check_store_open(DB);
    if (db) {
        test_claims(db);
        test_advice(db);
        store_close(db);
    }
    check_store_remove(DB);
    CHECK_DONE();
}

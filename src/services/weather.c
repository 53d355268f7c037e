/* weather.c - weather answers and greeting remarks from the KMA forecast (see weather.h).
 *
 * A question first settles its forecast: the latest usable issue, fetched when this caller wins
 * the store's claim on it, otherwise the newest issue in the cache (told with its age). Then the
 * hours the question is about (the rest of today, this afternoon, tomorrow) are summed up into
 * an outlook: the first hour when rain or snow is likely (PTY not 0, or POP at least 60%), the
 * highest chance, the temperature range and the usual sky. The outlook becomes sentences in the
 * order a person would say them: the overview, then the one thing to do (umbrella, heat, cold). */
#include "weather.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "kma.h"
#include "reply.h"

#define FORECAST_MAX_AGE (24 * 3600) /* older than this, a forecast no longer covers today */
#define NOWCAST_MAX_AGE (2 * 3600)
#define GREETING_MAX_AGE (6 * 3600) /* a greeting only mentions a recent forecast */
#define FETCH_MARGIN_S 5            /* a claim outlives the request's time-out by this much */
#define WAIT_STEP_MS 100            /* how often a box waiting for another's fetch looks again */
#define RAIN_LIKELY_POP 60
#define HOT_C 33.0
#define COLD_C (-5.0)

/* A forecast as obtained for one question. */
typedef struct {
    kma_forecast fc;
    time_t issue;
    bool latest; /* fc is the latest usable issue */
    bool failed; /* the latest issue could not be fetched */
} obtained;

/* What a period of the forecast holds. */
typedef struct {
    bool any;
    bool tomorrow;
    int wet_hour; /* first hour with rain or snow likely, -1 when none */
    int pop;      /* highest chance of precipitation among the wet hours */
    bool snow;
    double tmin, tmax;
    int sky; /* the most frequent SKY, 0 when unknown */
} outlook;

/* ---- the question ---- */

static bool has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

weather_question weather_question_of(const char *text, size_t len)
{
    /* English words are matched whole (" now " is not in "snow"): letters are lowered and
     * everything else becomes a space, Hangul bytes are kept as they are. */
    char norm[512] = " ";
    size_t n = 1;
    for (size_t i = 0; i < len && n + 2 < sizeof norm; i++) {
        unsigned char c = (unsigned char)text[i];
        norm[n++] = c >= 0x80 ? (char)c : isalnum(c) ? (char)tolower(c) : ' ';
    }
    norm[n++] = ' ';
    norm[n] = '\0';
    weather_question q = {WEATHER_TODAY, false};
    if (has(norm, "내일") || has(norm, " tomorrow "))
        q.when = WEATHER_TOMORROW;
    else if (has(norm, "오후") || has(norm, "이따") || has(norm, " afternoon ") ||
             has(norm, " later "))
        q.when = WEATHER_AFTERNOON;
    else if (has(norm, "지금") || has(norm, " now ") || has(norm, " outside "))
        q.when = WEATHER_NOW;
    q.dust = has(norm, "먼지") || has(norm, "황사") || has(norm, " dust ") || has(norm, " air ");
    return q;
}

/* ---- getting the forecast ---- */

/* Fetches issue key and keeps the answer, or records why it failed. */
static sd_code fetch_issue(store *db, const config_weather *cfg, kma_kind kind, time_t issue,
                           const store_forecast_key *key, long timeout_ms, time_t now)
{
    strbuf url, body;
    strbuf_init(&url);
    strbuf_init(&body);
    kma_error err = {0};
    long status = 0;
    kma_forecast *fc = malloc(sizeof *fc);
    sd_code rc = fc ? kma_url(cfg, kind, issue, &url) : SD_ERR_NOMEM;
    if (rc == SD_OK)
        rc = kma_get(strbuf_str(&url), timeout_ms, &body, &status, &err);
    if (rc == SD_OK)
        rc = kma_parse(kind, status, strbuf_str(&body), body.len, fc, &err);
    if (rc == SD_OK) {
        rc = store_forecast_put(db, key, strbuf_str(&body), now);
    } else {
        char why[320];
        snprintf(why, sizeof why, "%s: %s", err.kind ? kma_failure_name(err.kind) : "local",
                 err.kind ? err.message : sd_strerror(rc));
        store_forecast_fail(db, key, why, now + WEATHER_RETRY_S);
    }
    free(fc);
    strbuf_free(&url);
    strbuf_free(&body);
    return rc;
}

static bool is_issue(const store_forecast *f, const store_forecast_key *key)
{
    return !strcmp(f->base_date, key->base_date) && !strcmp(f->base_time, key->base_time);
}

/* The newest cached forecast for key into got. When another box holds the claim on key's issue
 * (wait), it is waited for, up to the time its fetch may take, unless that fetch failed. */
static sd_code latest_or_wait(store *db, const store_forecast_key *key, bool wait, long timeout_ms,
                              store_forecast *got)
{
    long left = wait ? timeout_ms + FETCH_MARGIN_S * 1000L : 0;
    for (;;) {
        sd_code rc = store_forecast_latest(db, key, got);
        bool settled = rc == SD_OK ? is_issue(got, key) || got->error[0] : rc != SD_ERR_NOT_FOUND;
        if (settled || left <= 0)
            return rc;
        if (rc == SD_OK)
            free(got->body);
        nanosleep(&(struct timespec){.tv_nsec = WAIT_STEP_MS * 1000000L}, NULL);
        left -= WAIT_STEP_MS;
    }
}

/* The newest usable forecast of kind, fetching the latest issue when nobody else is, and
 * waiting for it when somebody is. Returns SD_OK, SD_ERR_NOT_FOUND (none, or too old) or
 * another store error. */
static sd_code obtain(store *db, const config_weather *cfg, kma_kind kind, time_t now,
                      long timeout_ms, time_t max_age, obtained *out)
{
    time_t issue = kma_latest_issue(kind, now);
    char date[9], hhmm[5];
    kma_base(issue, date, hhmm);
    store_forecast_key key = {kma_kind_name(kind), date, hhmm, cfg->nx, cfg->ny};
    bool claimed = false;
    sd_code claim = cfg->url[0]
                        ? store_forecast_claim(db, &key, now,
                                               now + timeout_ms / 1000 + FETCH_MARGIN_S, &claimed)
                        : SD_ERR_NOT_FOUND;
    if (claimed)
        fetch_issue(db, cfg, kind, issue, &key, timeout_ms, now);
    store_forecast got;
    sd_code rc = latest_or_wait(db, &key, claim == SD_OK && !claimed, timeout_ms, &got);
    if (rc != SD_OK)
        return rc;
    kma_error err;
    rc = kma_parse(kind, 200, got.body, strlen(got.body), &out->fc, &err) == SD_OK
             ? SD_OK
             : SD_ERR_NOT_FOUND;
    out->issue = kma_issue_time(got.base_date, got.base_time);
    out->latest = out->issue == issue;
    out->failed = got.error[0] != '\0';
    free(got.body);
    return rc == SD_OK && now - out->issue > max_age ? SD_ERR_NOT_FOUND : rc;
}

/* ---- the outlook of a period ---- */

/* The Korean date of t as the service writes it, YYYYMMDD. */
static void kst_date(time_t t, char out[9])
{
    char hhmm[5];
    kma_base(t, out, hhmm);
}

static bool wet(const kma_hour *h)
{
    return (h->has_pty && h->pty != 0) || (h->has_pop && h->pop >= RAIN_LIKELY_POP);
}

static bool snowy(const kma_hour *h)
{
    return h->has_pty && (h->pty == 2 || h->pty == 3 || h->pty == 6 || h->pty == 7);
}

static void take_hour(outlook *o, const kma_hour *h, int sky_count[5])
{
    if (h->has_temp) {
        o->tmin = o->any ? fmin(o->tmin, h->temp) : h->temp;
        o->tmax = o->any ? fmax(o->tmax, h->temp) : h->temp;
        o->any = true;
    }
    if (h->has_sky && h->sky >= 1 && h->sky <= 4)
        sky_count[h->sky]++;
    if (!wet(h))
        return;
    if (o->wet_hour < 0)
        o->wet_hour = h->hour;
    if (h->has_pop && h->pop > o->pop)
        o->pop = h->pop;
    o->snow = o->snow || snowy(h);
}

/* The outlook of date's hours from..to (inclusive); TMN and TMX widen it when whole_day. */
static outlook outlook_of(const kma_forecast *fc, const char *date, int from, int to,
                          bool whole_day)
{
    outlook o = {.wet_hour = -1};
    int sky_count[5] = {0};
    for (size_t i = 0; i < fc->nhours; i++) {
        const kma_hour *h = &fc->hours[i];
        if (strcmp(h->date, date) == 0 && h->hour >= from && h->hour <= to)
            take_hour(&o, h, sky_count);
    }
    for (size_t i = 0; whole_day && o.any && i < fc->ndays; i++)
        if (strcmp(fc->days[i].date, date) == 0) {
            if (fc->days[i].has_min)
                o.tmin = fmin(o.tmin, fc->days[i].min);
            if (fc->days[i].has_max)
                o.tmax = fmax(o.tmax, fc->days[i].max);
        }
    for (int k = 1; k <= 4; k++)
        if (sky_count[k] > sky_count[o.sky])
            o.sky = k;
    return o;
}

/* The period a question is about; falls back to tomorrow late in the evening. */
static outlook outlook_for(const kma_forecast *fc, weather_when when, time_t now)
{
    struct tm tm;
    calendar_kst(now, &tm);
    char today[9], tomorrow[9];
    kst_date(now, today);
    kst_date(now + 86400, tomorrow);
    outlook o = {.wet_hour = -1};
    if (when == WEATHER_AFTERNOON && tm.tm_hour < 18)
        o = outlook_of(fc, today, tm.tm_hour > 12 ? tm.tm_hour : 12, 17, false);
    else if (when != WEATHER_TOMORROW)
        o = outlook_of(fc, today, tm.tm_hour, 23, tm.tm_hour < 6);
    if (!o.any) {
        o = outlook_of(fc, tomorrow, 0, 23, true);
        o.tomorrow = true;
    }
    return o;
}

/* ---- saying it ---- */

static void temp_words(const char *lang, double v, char *out, size_t size)
{
    int d = (int)lround(v);
    if (strcmp(lang, "en") == 0)
        snprintf(out, size, "%s%d degrees", d < 0 ? "minus " : "", abs(d));
    else
        snprintf(out, size, "%s%d도", d < 0 ? "영하 " : "", abs(d));
}

/* "오늘 오후에" / "this afternoon": when the rain or snow comes. */
static const char *when_words(const char *lang, const outlook *o)
{
    int h = o->wet_hour;
    int part = h < 6 ? 0 : h < 12 ? 1 : h < 18 ? 2 : h < 21 ? 3 : 4;
    return reply_weather_when(lang, o->tomorrow, part);
}

static void say_advice(const char *lang, const outlook *o, bool greeting, strbuf *reply)
{
    char t[48];
    if (o->wet_hour >= 0) {
        strbuf_puts(reply, " ");
        reply_say(reply, lang, o->snow ? R_WEATHER_SNOW : R_WEATHER_RAIN, when_words(lang, o),
                  o->pop);
    } else if (!greeting) {
        strbuf_puts(reply, " ");
        reply_say(reply, lang, R_WEATHER_DRY);
    }
    if (o->tmax >= HOT_C && !(greeting && o->wet_hour >= 0)) {
        temp_words(lang, o->tmax, t, sizeof t);
        strbuf_puts(reply, " ");
        reply_say(reply, lang, R_WEATHER_HOT, t);
    }
    if (o->tmin <= COLD_C && !(greeting && o->wet_hour >= 0)) {
        temp_words(lang, o->tmin, t, sizeof t);
        strbuf_puts(reply, " ");
        reply_say(reply, lang, R_WEATHER_COLD, t);
    }
}

static void say_overview(const char *lang, const outlook *o, weather_when when, strbuf *reply)
{
    char lo[48], hi[48];
    temp_words(lang, o->tmin, lo, sizeof lo);
    temp_words(lang, o->tmax, hi, sizeof hi);
    const char *period =
        reply_weather_period(lang, o->tomorrow, !o->tomorrow && when == WEATHER_AFTERNOON);
    reply_say(reply, lang, R_WEATHER_OVERVIEW, period, reply_weather_sky(lang, o->sky), lo, hi);
}

/* The latest observation, when one of the last hours can be had. */
static void say_now(store *db, const config_weather *cfg, time_t now, const char *lang,
                    strbuf *reply)
{
    obtained *nc = malloc(sizeof *nc);
    if (nc && obtain(db, cfg, KMA_NOWCAST, now, cfg->timeout_ms, NOWCAST_MAX_AGE, nc) == SD_OK &&
        nc->fc.nhours && nc->fc.hours[0].has_temp) {
        const kma_hour *h = &nc->fc.hours[0];
        char t[48];
        temp_words(lang, h->temp, t, sizeof t);
        reply_say(reply, lang, R_WEATHER_NOW, t);
        strbuf_puts(reply, " ");
        if (h->has_pty && h->pty != 0) {
            reply_say(reply, lang, snowy(h) ? R_WEATHER_NOW_SNOW : R_WEATHER_NOW_RAIN);
            strbuf_puts(reply, " ");
        }
    }
    free(nc);
}

static void say_age(const char *lang, const obtained *f, time_t now, strbuf *reply)
{
    long hours = (long)((now - f->issue) / 3600);
    if (hours < 1)
        hours = 1;
    reply_say(reply, lang, f->failed ? R_WEATHER_OFFLINE_OLD : R_WEATHER_ISSUED_AGO, hours,
              hours == 1 ? "" : "s");
    strbuf_puts(reply, " ");
}

sd_code weather_report(store *db, const config_weather *cfg, time_t now, const char *lang,
                       const weather_question *q, strbuf *reply)
{
    obtained *f = malloc(sizeof *f);
    if (!f)
        return SD_ERR_NOMEM;
    sd_code rc = obtain(db, cfg, KMA_FORECAST, now, cfg->timeout_ms, FORECAST_MAX_AGE, f);
    outlook o = rc == SD_OK ? outlook_for(&f->fc, q->when, now) : (outlook){.wet_hour = -1};
    if (!o.any) {
        reply_say(reply, lang, R_WEATHER_NONE);
    } else {
        if (!f->latest)
            say_age(lang, f, now, reply);
        if (q->when == WEATHER_NOW)
            say_now(db, cfg, now, lang, reply);
        say_overview(lang, &o, q->when, reply);
        say_advice(lang, &o, false, reply);
    }
    if (q->dust) {
        strbuf_puts(reply, " ");
        reply_say(reply, lang, R_WEATHER_DUST);
    }
    bool latest = o.any && f->latest;
    free(f);
    if (reply->failed)
        return SD_ERR_NOMEM;
    return latest ? SD_OK : SD_ERR_NET;
}

sd_code weather_remark(store *db, const config_weather *cfg, time_t now, const char *lang,
                       strbuf *reply)
{
    obtained *f = malloc(sizeof *f);
    if (!f)
        return SD_ERR_NOMEM;
    long timeout = cfg->timeout_ms < WEATHER_GREETING_TIMEOUT_MS ? cfg->timeout_ms
                                                                 : WEATHER_GREETING_TIMEOUT_MS;
    sd_code rc = obtain(db, cfg, KMA_FORECAST, now, timeout, GREETING_MAX_AGE, f);
    outlook o = rc == SD_OK ? outlook_for(&f->fc, WEATHER_TODAY, now) : (outlook){.wet_hour = -1};
    free(f);
    bool worth = o.any && (o.wet_hour >= 0 || o.tmax >= HOT_C || o.tmin <= COLD_C);
    if (!worth)
        return SD_ERR_NOT_FOUND;
    strbuf advice;
    strbuf_init(&advice);
    say_advice(lang, &o, true, &advice);
    /* say_advice starts each sentence with a space, for joining; a remark stands alone. */
    strbuf_puts(reply, strbuf_str(&advice) + 1);
    strbuf_free(&advice);
    return reply->failed ? SD_ERR_NOMEM : SD_OK;
}

static sd_code answer_text(store *db, const config_weather *cfg, const char *text, size_t len,
                           const char *lang, time_t now, strbuf *reply)
{
    weather_question q = weather_question_of(text, len);
    return weather_report(db, cfg, now, lang, &q, reply);
}

static sd_code greeting_remark(store *db, const config_weather *cfg, const char *lang, time_t now,
                               strbuf *reply)
{
    return weather_remark(db, cfg, now, lang, reply);
}

const engine_weather *weather_source(void)
{
    static const engine_weather source = {.report = answer_text, .remark = greeting_remark};
    return &source;
}

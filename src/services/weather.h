/* weather.h - the weather as a person would tell it: the KMA forecast for Seo-gu (kma.h),
 * cached in the store, turned into advice (an umbrella, the heat, the cold, snow) in Korean or
 * English.
 *
 * Each forecast issue is fetched at most once for all sessions sharing the store, and after a
 * failure not again for WEATHER_RETRY_S; meanwhile the last forecast received is told with its
 * age, or the resident is told politely where else to look. */
#ifndef SEODONG_WEATHER_H
#define SEODONG_WEATHER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "engine.h"
#include "sd_error.h"
#include "store.h"
#include "strbuf.h"

/* Wait after a failed fetch before the service is asked again for the same issue. */
#define WEATHER_RETRY_S (10 * 60)
/* A greeting never waits longer than this for the network. */
#define WEATHER_GREETING_TIMEOUT_MS 1500

typedef enum { WEATHER_TODAY, WEATHER_AFTERNOON, WEATHER_TOMORROW, WEATHER_NOW } weather_when;

typedef struct {
    weather_when when;
    bool dust; /* asked about fine dust, which this service does not forecast */
} weather_question;

/* What a weather question asks, from its words ("내일", "오후", "지금", "tomorrow", ...). */
weather_question weather_question_of(const char *text, size_t len);

/* Appends the answer to q for time now in lang ("ko" or "en") to reply: the forecast's
 * overview and advice, with its age when it is not the latest issue. Returns SD_OK when the
 * latest issue was told; SD_ERR_NET when an older one was, or none (reply then says the service
 * cannot be reached and where to look instead); SD_ERR_NOMEM. */
sd_code weather_report(store *db, const config_weather *cfg, time_t now, const char *lang,
                       const weather_question *q, strbuf *reply);

/* Appends one sentence for a greeting when today's weather calls for it (rain or snow likely,
 * heat, cold), from a cached forecast of the last hours or one fetched within
 * WEATHER_GREETING_TIMEOUT_MS; nothing otherwise. Returns SD_OK when it said something,
 * SD_ERR_NOT_FOUND when there was nothing worth saying or no forecast, SD_ERR_NOMEM. */
sd_code weather_remark(store *db, const config_weather *cfg, time_t now, const char *lang,
                       strbuf *reply);

/* The engine's weather source (engine_config.weather): weather_report on the question's own
 * words, and weather_remark. The same object for every engine. */
const engine_weather *weather_source(void);

#endif

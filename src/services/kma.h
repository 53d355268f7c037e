/* kma.h - the Korea Meteorological Administration's short-term forecast service
 * (VilageFcstInfoService_2.0) over HTTP: which issue to ask for, the request, and its answer
 * parsed into a small forecast.
 *
 * Two operations are used: getVilageFcst, the forecast issued at 02, 05, ..., 23 h KST for the
 * next days, hour by hour; and getUltraSrtNcst, the nowcast (observed values) issued every
 * hour. Every call uses its own curl handle, so any number of threads may fetch at once. */
#ifndef SEODONG_KMA_H
#define SEODONG_KMA_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "sd_error.h"
#include "strbuf.h"

typedef enum { KMA_FORECAST, KMA_NOWCAST } kma_kind;

/* Largest body accepted from the service: a full getVilageFcst answer is about 120 kB. */
#define KMA_MAX_BODY (1024 * 1024)
/* Hours of forecast kept: today, tomorrow and the day after, with room to spare. */
#define KMA_MAX_HOURS 120
#define KMA_MAX_DAYS 6

/* The operation's name in the URL ("getVilageFcst", "getUltraSrtNcst") and in the cache
 * ("forecast", "nowcast"). */
const char *kma_operation(kma_kind kind);
const char *kma_kind_name(kma_kind kind);

/* The latest issue of kind that is usable at now (UTC seconds): a forecast 10 minutes after
 * its issue hour, a nowcast 40 minutes after. Returned as the issue's UTC seconds. */
time_t kma_latest_issue(kma_kind kind, time_t now);

/* An issue time as the service's base_date "YYYYMMDD" and base_time "HHMM" (Korean time). */
void kma_base(time_t issue, char base_date[9], char base_time[5]);
/* The inverse: UTC seconds of base_date and base_time, or -1 when they are malformed. */
time_t kma_issue_time(const char *base_date, const char *base_time);

/* The request URL for kind, issue and the grid cell of cfg, appended to url. The service key
 * is sent as given when it holds a '%' (data.go.kr's "encoding" key, already URL-encoded);
 * otherwise (the "decoding" key, with + / =) it is URL-encoded here. Returns SD_OK,
 * SD_ERR_INVALID (no url configured) or SD_ERR_NOMEM. */
sd_code kma_url(const config_weather *cfg, kma_kind kind, time_t issue, strbuf *url);

/* Why a request gave no forecast. */
typedef enum {
    KMA_FAIL_NONE,
    KMA_FAIL_NETWORK,   /* no connection, time-out, body too large */
    KMA_FAIL_GATEWAY,   /* the data.go.kr gateway refused (XML or plain text, or HTTP error) */
    KMA_FAIL_RESULT,    /* the service answered with a resultCode other than "00" */
    KMA_FAIL_NO_DATA,   /* resultCode "03": the issue is not there (yet) */
    KMA_FAIL_MALFORMED, /* JSON that cannot be read, or items that make no sense */
} kma_failure;

/* "network", "gateway", "result", "no_data", "malformed" ("" for none). */
const char *kma_failure_name(kma_failure kind);

typedef struct {
    kma_failure kind;
    long http_status;  /* 0 when no answer came */
    char message[256]; /* for staff: the gateway's returnAuthMsg (returnReasonCode), ... */
} kma_error;

/* One hour of the forecast (or the observation of a nowcast). Fields the answer lacks are
 * marked missing by their has_ flags. */
typedef struct {
    char date[9]; /* YYYYMMDD, Korean time */
    int hour;     /* 0..23 */
    bool has_temp, has_pop, has_pty, has_sky;
    double temp; /* TMP, or T1H in a nowcast, degrees Celsius */
    int pop;     /* POP, chance of precipitation in per cent */
    int pty;     /* PTY: 0 none, 1 rain, 2 rain and snow, 3 snow, 4 shower (5-7 nowcast drizzle
                    and flurries) */
    int sky;     /* SKY: 1 clear, 3 mostly cloudy, 4 overcast */
} kma_hour;

typedef struct {
    char date[9];
    bool has_min, has_max;
    double min, max; /* TMN and TMX */
} kma_day;

typedef struct {
    kma_kind kind;
    char base_date[9], base_time[5];
    size_t nhours, ndays;
    kma_hour hours[KMA_MAX_HOURS]; /* in the order of time */
    kma_day days[KMA_MAX_DAYS];
} kma_forecast;

/* Reads an answer of the service (HTTP status and body: len bytes followed by a NUL) into out.
 * Returns SD_OK, or SD_ERR_NET with err saying which failure it is. */
sd_code kma_parse(kma_kind kind, long http_status, const char *body, size_t len, kma_forecast *out,
                  kma_error *err);

/* GETs url, allowing timeout_ms for the whole request and at most KMA_MAX_BODY bytes, into
 * body. Returns SD_OK with *http_status set (any status: the caller
 * parses error bodies too), SD_ERR_NET (err says why) or SD_ERR_NOMEM. */
sd_code kma_get(const char *url, long timeout_ms, strbuf *body, long *http_status, kma_error *err);

#endif

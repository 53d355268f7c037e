/* config.h - the office's settings: one INI file (see seodong.conf.example), secrets optionally
 * from the environment.
 *
 *   [office]   name, name_en, lang (ko|en: the language a session starts in)
 *   [device]   site, site_en (where this box stands, e.g. a community centre; "" = the office's
 *              own servers)
 *   [database] path (a SQLite file or a postgresql:// URL), local (the device's own SQLite file
 *              beside a shared store: its knowledge base copy and its spool of filings)
 *   [gateway]  url, appkey, secret_key, sender_key, timeout_ms, max_attempts, backoff_s
 *   [weather]  url, service_key, nx, ny, timeout_ms
 *   [web]      listen, base_url, threads, track_per_minute, filing_per_minute, kakao_per_minute,
 *              signin_failures, secure_cookies, recordings, idle_timeout_s, trusted_proxies
 *   [ivr]      listen, transfer, max_calls, rtp_timeout_s, no_input_s
 *
 * SEODONG_GATEWAY_SECRET and SEODONG_WEATHER_KEY, when set, replace secret_key and service_key,
 * so that the file can be shared without them. */
#ifndef SEODONG_CONFIG_H
#define SEODONG_CONFIG_H

#include <stddef.h>

#include "sd_error.h"

typedef struct {
    char url[512];        /* base URL of the AlimTalk-style gateway; "" = do not send */
    char appkey[128];     /* the gateway's application key (part of the request path) */
    char secret_key[256]; /* X-Secret-Key header */
    char sender_key[64];  /* the office's KakaoTalk sender profile */
    int timeout_ms;       /* whole request, default 10000 */
    int max_attempts;     /* failures before a message is dead-lettered, default 8 */
    int backoff_s;        /* first retry delay, doubled each failure, default 30 */
} config_gateway;

typedef struct {
    char url[512];         /* base URL of VilageFcstInfoService_2.0; "" = no forecasts */
    char service_key[512]; /* the data.go.kr service key */
    int nx, ny;            /* forecast grid cell, default 55, 126 (Incheon Seo-gu) */
    int timeout_ms;        /* whole request, default 3000 */
} config_weather;

typedef struct {
    char listen[64];       /* ADDR:PORT of `seodong serve`, default 127.0.0.1:8080 */
    char base_url[256];    /* public address of the site, for tracking links; "" = none */
    int threads;           /* worker threads, default 4 */
    int track_per_minute;  /* tracking look-ups per client address, default 20 */
    int filing_per_minute; /* Open311 filings per client address, default 10 */
    int kakao_per_minute;  /* Kakao skill requests per client address, default 600 */
    int signin_failures;   /* failed staff sign-ins per client address and minute, default 10 */
    int secure_cookies;    /* 1: staff cookies only over TLS (also when base_url is https) */
    char recordings[512];  /* speaker recordings served to staff; "" = DB.recordings */
    int idle_timeout_s;    /* a client silent this long mid-request is dropped, default 15 */
    /* Addresses of reverse proxies (nginx) whose X-Forwarded-For names the real client, space
     * or comma separated; "" = none: the peer's address is the client's. */
    char trusted_proxies[256];
} config_web;

typedef struct {
    char listen[64];    /* SIP address:port, default "0.0.0.0:5060" */
    char transfer[128]; /* extension or SIP URI a caller who asks for a person is sent to */
    int max_calls;      /* calls at once; more are refused with 486 Busy Here; default 8 */
    int rtp_timeout_s;  /* no audio from the caller this long: the call has vanished; default 20 */
    int no_input_s;     /* silence after a prompt before it is offered again; default 5 */
} config_ivr;

/* Where this box stands: a speaker in a community centre records its site with every filing
 * and offers it when a resident says the problem is "here". */
typedef struct {
    /* e.g. "가정1동 행정복지센터"; "" = no site (the office's servers). Short enough that
     * "<site> 앞" fits a complaint's place. */
    char site[96];
    char site_en[128]; /* its English name; "" = the same as site */
} config_device;

typedef struct {
    char office_name[128];    /* what residents hear in Korean, default "서구청" */
    char office_name_en[128]; /* and in English, default "Seo-gu Office" */
    char lang[4];             /* default "ko" */
    char db_path[512];        /* "" = the command line's default */
    config_device device;
    char db_local[512]; /* "" = STORE_LOCAL_DEFAULT in the working directory */
    config_gateway gateway;
    config_weather weather;
    config_web web;
    config_ivr ivr;
} config;

/* Fills out with the defaults. */
void config_defaults(config *out);

/* Defaults, then the file at path (when path is not NULL), then the environment's secrets.
 * Returns SD_OK, SD_ERR_IO (the file cannot be read) or SD_ERR_PARSE (err names the line and
 * the key or value that is wrong; unknown sections and keys are errors, so a typo is caught). */
sd_code config_load(const char *path, config *out, char *err, size_t errlen);

#endif

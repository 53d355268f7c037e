/* config.c - reads the INI settings file with inih and checks every value. Unknown keys are
 * refused rather than ignored: a misspelt "sevice_key" would otherwise leave the office without
 * forecasts and nobody would know why. */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    config *cfg;
    char *err;
    size_t errlen;
} load_state;

typedef enum { KEY_TEXT, KEY_INT, KEY_LANG } key_kind;

typedef struct {
    const char *section;
    const char *name;
    key_kind kind;
    size_t offset;
    size_t size;   /* text: the buffer's size */
    long min, max; /* int: the values allowed */
} key_spec;

#define TEXT(sec, key, field)                                                                      \
    {                                                                                              \
        sec, key, KEY_TEXT, offsetof(config, field), sizeof(((config *)0)->field), 0, 0            \
    }
#define INT(sec, key, field, min, max)                                                             \
    {                                                                                              \
        sec, key, KEY_INT, offsetof(config, field), 0, min, max                                    \
    }

static const key_spec keys[] = {
    TEXT("office", "name", office_name),
    TEXT("office", "name_en", office_name_en),
    {"office", "lang", KEY_LANG, offsetof(config, lang), sizeof(((config *)0)->lang), 0, 0},
    TEXT("device", "site", device.site),
    TEXT("device", "site_en", device.site_en),
    TEXT("database", "path", db_path),
    TEXT("database", "local", db_local),
    TEXT("gateway", "url", gateway.url),
    TEXT("gateway", "appkey", gateway.appkey),
    TEXT("gateway", "secret_key", gateway.secret_key),
    TEXT("gateway", "sender_key", gateway.sender_key),
    INT("gateway", "timeout_ms", gateway.timeout_ms, 100, 600000),
    INT("gateway", "max_attempts", gateway.max_attempts, 1, 100),
    INT("gateway", "backoff_s", gateway.backoff_s, 1, 86400),
    TEXT("weather", "url", weather.url),
    TEXT("weather", "service_key", weather.service_key),
    INT("weather", "nx", weather.nx, 1, 999),
    INT("weather", "ny", weather.ny, 1, 999),
    INT("weather", "timeout_ms", weather.timeout_ms, 100, 600000),
    TEXT("web", "listen", web.listen),
    TEXT("web", "base_url", web.base_url),
    INT("web", "threads", web.threads, 1, 64),
    INT("web", "track_per_minute", web.track_per_minute, 1, 1000000),
    INT("web", "filing_per_minute", web.filing_per_minute, 1, 1000000),
    INT("web", "kakao_per_minute", web.kakao_per_minute, 1, 1000000),
    INT("web", "signin_failures", web.signin_failures, 1, 1000),
    INT("web", "secure_cookies", web.secure_cookies, 0, 1),
    TEXT("web", "recordings", web.recordings),
    INT("web", "idle_timeout_s", web.idle_timeout_s, 1, 3600),
    TEXT("web", "trusted_proxies", web.trusted_proxies),
    TEXT("ivr", "listen", ivr.listen),
    TEXT("ivr", "transfer", ivr.transfer),
    INT("ivr", "max_calls", ivr.max_calls, 1, 1000),
    INT("ivr", "rtp_timeout_s", ivr.rtp_timeout_s, 2, 3600),
    INT("ivr", "no_input_s", ivr.no_input_s, 2, 60),
};

void config_defaults(config *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->office_name, sizeof out->office_name, "서구청");
    snprintf(out->office_name_en, sizeof out->office_name_en, "Seo-gu Office");
    snprintf(out->lang, sizeof out->lang, "ko");
    out->gateway.timeout_ms = 10000;
    out->gateway.max_attempts = 8;
    out->gateway.backoff_s = 30;
    out->weather.nx = 55;
    out->weather.ny = 126;
    out->weather.timeout_ms = 3000;
    snprintf(out->web.listen, sizeof out->web.listen, "127.0.0.1:8080");
    out->web.threads = 4;
    out->web.track_per_minute = 20;
    out->web.filing_per_minute = 10;
    out->web.kakao_per_minute = 600;
    out->web.signin_failures = 10;
    out->web.idle_timeout_s = 15;
    snprintf(out->ivr.listen, sizeof out->ivr.listen, "0.0.0.0:5060");
    snprintf(out->ivr.transfer, sizeof out->ivr.transfer, "100");
    out->ivr.max_calls = 8;
    out->ivr.rtp_timeout_s = 20;
    out->ivr.no_input_s = 5;
}

static int set_value(load_state *ls, const key_spec *k, const char *value)
{
    char *field = (char *)ls->cfg + k->offset;
    if (k->kind == KEY_INT) {
        char *end;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || end == value || *end || v < k->min || v > k->max) {
            snprintf(ls->err, ls->errlen, "%s.%s must be a whole number from %ld to %ld",
                     k->section, k->name, k->min, k->max);
            return 0;
        }
        *(int *)field = (int)v;
        return 1;
    }
    if (k->kind == KEY_LANG && strcmp(value, "ko") != 0 && strcmp(value, "en") != 0) {
        snprintf(ls->err, ls->errlen, "office.lang must be ko or en");
        return 0;
    }
    if (strlen(value) >= k->size) {
        snprintf(ls->err, ls->errlen, "%s.%s is longer than %zu bytes", k->section, k->name,
                 k->size - 1);
        return 0;
    }
    memcpy(field, value, strlen(value) + 1);
    return 1;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    load_state *ls = user;
    if (ls->err[0])
        return 0; /* inih goes on after an error: keep the first */
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name))
            return set_value(ls, &keys[i], value);
    snprintf(ls->err, ls->errlen, "unknown setting [%s] %s", section, name);
    return 0;
}

static void secret_from_env(const char *var, char *dst, size_t size)
{
    const char *v = getenv(var);
    if (v && *v)
        snprintf(dst, size, "%s", v);
}

sd_code config_load(const char *path, config *out, char *err, size_t errlen)
{
    char ignored[8];
    if (!err) {
        err = ignored;
        errlen = sizeof ignored;
    }
    err[0] = '\0';
    config_defaults(out);
    if (path) {
        load_state ls = {out, err, errlen};
        int rc = ini_parse(path, on_key, &ls);
        if (rc < 0) {
            snprintf(err, errlen, "cannot read the settings file %s: %s", path, strerror(errno));
            return SD_ERR_IO;
        }
        if (rc > 0) {
            char why[256];
            snprintf(why, sizeof why, "%s",
                     err[0] ? err : "not a setting (write key = value under a [section])");
            snprintf(err, errlen, "%s line %d: %s", path, rc, why);
            return SD_ERR_PARSE;
        }
    }
    secret_from_env("SEODONG_GATEWAY_SECRET", out->gateway.secret_key,
                    sizeof out->gateway.secret_key);
    secret_from_env("SEODONG_WEATHER_KEY", out->weather.service_key,
                    sizeof out->weather.service_key);
    return SD_OK;
}

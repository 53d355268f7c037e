/* kma.c - requests to the KMA short-term forecast service and the reading of its answers
 * (see kma.h).
 *
 * Issue times are worked out in Korean local seconds, where the forecast's three-hour grid
 * starting at 02:00 and the nowcast's hourly grid are plain modular arithmetic. Answers come in
 * four shapes: the JSON asked for (read with jansson; every value is a string), a JSON header
 * without a body, an XML <OpenAPI_ServiceResponse> from the data.go.kr gateway even though
 * JSON was asked for, and plain text from other gateways. Only the first gives a forecast; the
 * others are reported as failures with the gateway's own code and words, for staff.
 *
 * curl_global_init is left to curl_easy_init: since libcurl 7.84 it is thread-safe, and the
 * project needs 7.85 or later anyway (CURLOPT_PROTOCOLS_STR). */
#include "kma.h"

#include <ctype.h>
#include <curl/curl.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

#define HOUR 3600
#define FORECAST_DELAY (10 * 60) /* a forecast is published about 10 minutes after its hour */
#define NOWCAST_DELAY (40 * 60)
#define MISSING_VALUE 900 /* the service writes -999 or 999+ for values it does not have */

const char *kma_operation(kma_kind kind)
{
    return kind == KMA_NOWCAST ? "getUltraSrtNcst" : "getVilageFcst";
}

const char *kma_kind_name(kma_kind kind)
{
    return kind == KMA_NOWCAST ? "nowcast" : "forecast";
}

time_t kma_latest_issue(kma_kind kind, time_t now)
{
    long long local = (long long)now + KST_OFFSET;
    long long usable, issue;
    if (kind == KMA_NOWCAST) {
        usable = local - NOWCAST_DELAY;
        issue = usable - (usable % HOUR + HOUR) % HOUR;
    } else {
        /* Issues at 02, 05, ... 23 h: a three-hour grid shifted by two hours. */
        usable = local - FORECAST_DELAY - 2 * HOUR;
        issue = usable - (usable % (3 * HOUR) + 3 * HOUR) % (3 * HOUR) + 2 * HOUR;
    }
    return (time_t)(issue - KST_OFFSET);
}

void kma_base(time_t issue, char base_date[9], char base_time[5])
{
    struct tm tm;
    calendar_kst(issue, &tm);
    strftime(base_date, 9, "%Y%m%d", &tm);
    strftime(base_time, 5, "%H%M", &tm);
}

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

time_t kma_issue_time(const char *base_date, const char *base_time)
{
    if (!all_digits(base_date, 8) || !all_digits(base_time, 4))
        return -1;
    struct tm tm = {0};
    sscanf(base_date, "%4d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    sscanf(base_time, "%2d%2d", &tm.tm_hour, &tm.tm_min);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm) - KST_OFFSET;
}

const char *kma_failure_name(kma_failure kind)
{
    static const char *const names[] = {
        [KMA_FAIL_NONE] = "",           [KMA_FAIL_NETWORK] = "network",
        [KMA_FAIL_GATEWAY] = "gateway", [KMA_FAIL_RESULT] = "result",
        [KMA_FAIL_NO_DATA] = "no_data", [KMA_FAIL_MALFORMED] = "malformed",
    };
    return names[kind];
}

/* ---- the request ---- */

sd_code kma_url(const config_weather *cfg, kma_kind kind, time_t issue, strbuf *url)
{
    if (!cfg->url[0])
        return SD_ERR_INVALID;
    char date[9], hhmm[5];
    kma_base(issue, date, hhmm);
    /* data.go.kr hands out the key twice: encoded (%2B...) and raw (+ / =). A '%' only occurs
     * in the encoded one, which must not be encoded a second time. */
    bool encoded = strchr(cfg->service_key, '%') != NULL;
    char *key = encoded ? NULL : curl_easy_escape(NULL, cfg->service_key, 0);
    if (!encoded && !key)
        return SD_ERR_NOMEM;
    size_t n = strlen(cfg->url);
    strbuf_printf(url,
                  "%.*s/%s?serviceKey=%s&pageNo=1&numOfRows=%d&dataType=JSON&base_date=%s"
                  "&base_time=%s&nx=%d&ny=%d",
                  (int)(n && cfg->url[n - 1] == '/' ? n - 1 : n), cfg->url, kma_operation(kind),
                  encoded ? cfg->service_key : key, kind == KMA_NOWCAST ? 10 : 1000, date, hhmm,
                  cfg->nx, cfg->ny);
    curl_free(key);
    return url->failed ? SD_ERR_NOMEM : SD_OK;
}

typedef struct {
    strbuf *body;
    bool too_big;
} download;

static size_t on_data(char *data, size_t size, size_t n, void *ctx)
{
    download *d = ctx;
    if (d->body->len + n > KMA_MAX_BODY) {
        d->too_big = true;
        return 0; /* makes curl stop with CURLE_WRITE_ERROR */
    }
    strbuf_append(d->body, data, n);
    return d->body->failed ? 0 : size * n;
}

static void fail(kma_error *err, kma_failure kind, long status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(kma_error *err, kma_failure kind, long status, const char *fmt, ...)
{
    err->kind = kind;
    err->http_status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

sd_code kma_get(const char *url, long timeout_ms, strbuf *body, long *http_status, kma_error *err)
{
    *http_status = 0;
    CURL *curl = curl_easy_init();
    if (!curl)
        return SD_ERR_NOMEM;
    char why[CURL_ERROR_SIZE] = "";
    download d = {body, false};
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    /* No signals: a time-out must not disturb other threads (the speaker's audio). */
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "seodong");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, why);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &d);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, http_status);
    curl_easy_cleanup(curl);
    if (body->failed)
        return SD_ERR_NOMEM;
    if (rc == CURLE_OK)
        return SD_OK;
    if (d.too_big)
        fail(err, KMA_FAIL_NETWORK, *http_status, "answer larger than %d bytes", KMA_MAX_BODY);
    else
        fail(err, KMA_FAIL_NETWORK, *http_status, "%s", why[0] ? why : curl_easy_strerror(rc));
    return SD_ERR_NET;
}

/* ---- the answer ---- */

/* The first element named tag at or after n, depth first (libxml2 bounds a document's depth). */
static xmlNodePtr find_element(xmlNodePtr n, const char *tag)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST tag))
            return n;
        xmlNodePtr inside = find_element(n->children, tag);
        if (inside)
            return inside;
    }
    return NULL;
}

/* The text of the first element named tag in doc, or "" (no document, no such element). */
static void xml_field(xmlDocPtr doc, const char *tag, char *out, size_t size)
{
    xmlNodePtr n = doc ? find_element(xmlDocGetRootElement(doc), tag) : NULL;
    xmlChar *text = n ? xmlNodeGetContent(n) : NULL;
    snprintf(out, size, "%s", text ? (const char *)text : "");
    xmlFree(text);
}

static sd_code gateway_xml(long status, const char *body, size_t len, kma_error *err)
{
    char msg[128], code[16], auth[128];
    xmlDocPtr doc = xmlReadMemory(body, (int)(len < INT32_MAX ? len : INT32_MAX), NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING);
    xml_field(doc, "errMsg", msg, sizeof msg);
    xml_field(doc, "returnAuthMsg", auth, sizeof auth);
    xml_field(doc, "returnReasonCode", code, sizeof code);
    xmlFreeDoc(doc);
    fail(err, KMA_FAIL_GATEWAY, status, "HTTP %ld: %s (returnReasonCode %s)", status,
         auth[0] ? auth : msg, code[0] ? code : "?");
    return SD_ERR_NET;
}

static sd_code gateway_text(long status, const char *body, size_t len, kma_error *err)
{
    char text[160];
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < sizeof text; i++)
        text[n++] = (body[i] == '\n' || body[i] == '\r') ? ' ' : body[i];
    while (n && text[n - 1] == ' ')
        n--;
    text[n] = '\0';
    fail(err, KMA_FAIL_GATEWAY, status, "HTTP %ld: %s", status, n ? text : "(empty answer)");
    return SD_ERR_NET;
}

/* A value as a number; false for text ("강수없음") and the service's missing markers. */
static bool number(json_t *v, double *out)
{
    if (json_is_number(v)) {
        *out = json_number_value(v);
    } else {
        const char *s = json_string_value(v);
        char *end;
        if (!s)
            return false;
        *out = strtod(s, &end);
        if (end == s || *end)
            return false;
    }
    return *out > -MISSING_VALUE && *out < MISSING_VALUE;
}

static const char *text(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

static kma_hour *hour_of(kma_forecast *f, const char *date, const char *hhmm)
{
    if (!all_digits(date, 8) || !all_digits(hhmm, 4))
        return NULL;
    int hour = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
    for (size_t i = f->nhours; i-- > 0;) /* items come in time order: look from the end */
        if (f->hours[i].hour == hour && strcmp(f->hours[i].date, date) == 0)
            return &f->hours[i];
    if (hour > 23 || f->nhours == KMA_MAX_HOURS)
        return NULL;
    kma_hour *h = &f->hours[f->nhours++];
    memset(h, 0, sizeof *h);
    snprintf(h->date, sizeof h->date, "%s", date);
    h->hour = hour;
    return h;
}

static kma_day *day_of(kma_forecast *f, const char *date)
{
    for (size_t i = 0; i < f->ndays; i++)
        if (strcmp(f->days[i].date, date) == 0)
            return &f->days[i];
    if (f->ndays == KMA_MAX_DAYS)
        return NULL;
    kma_day *d = &f->days[f->ndays++];
    memset(d, 0, sizeof *d);
    snprintf(d->date, sizeof d->date, "%s", date);
    return d;
}

static void take_value(kma_forecast *f, const char *cat, const char *date, const char *hhmm,
                       double v)
{
    if (!strcmp(cat, "TMN") || !strcmp(cat, "TMX")) {
        kma_day *d = day_of(f, date);
        if (d && cat[2] == 'N')
            d->has_min = true, d->min = v;
        else if (d)
            d->has_max = true, d->max = v;
        return;
    }
    kma_hour *h = hour_of(f, date, hhmm);
    if (!h)
        return;
    if (!strcmp(cat, "TMP") || !strcmp(cat, "T1H"))
        h->has_temp = true, h->temp = v;
    else if (!strcmp(cat, "POP"))
        h->has_pop = true, h->pop = (int)v;
    else if (!strcmp(cat, "PTY"))
        h->has_pty = true, h->pty = (int)v;
    else if (!strcmp(cat, "SKY"))
        h->has_sky = true, h->sky = (int)v;
}

/* Forecast items carry fcstDate/fcstTime/fcstValue; nowcast items baseDate/baseTime/obsrValue.
 * Categories not used for advice (wind, humidity, rain amounts as text) are skipped. */
static void take_item(kma_forecast *f, json_t *item)
{
    bool now = f->kind == KMA_NOWCAST;
    double v;
    if (number(json_object_get(item, now ? "obsrValue" : "fcstValue"), &v))
        take_value(f, text(item, "category"), text(item, now ? "baseDate" : "fcstDate"),
                   text(item, now ? "baseTime" : "fcstTime"), v);
}

static int by_time(const void *a, const void *b)
{
    const kma_hour *x = a, *y = b;
    int c = strcmp(x->date, y->date);
    return c ? c : x->hour - y->hour;
}

static sd_code read_items(json_t *root, long status, kma_forecast *f, kma_error *err)
{
    json_t *items = json_object_get(
        json_object_get(json_object_get(json_object_get(root, "response"), "body"), "items"),
        "item");
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        if (i == 0) {
            snprintf(f->base_date, sizeof f->base_date, "%s", text(item, "baseDate"));
            snprintf(f->base_time, sizeof f->base_time, "%s", text(item, "baseTime"));
        }
        take_item(f, item);
    }
    if (f->nhours == 0) {
        fail(err, KMA_FAIL_NO_DATA, status, "%s", "NORMAL_SERVICE with no usable items");
        return SD_ERR_NET;
    }
    qsort(f->hours, f->nhours, sizeof f->hours[0], by_time);
    return SD_OK;
}

static sd_code parse_json(const char *body, size_t len, long status, kma_forecast *f,
                          kma_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(body, len, 0, &jerr);
    if (!root) {
        fail(err, KMA_FAIL_MALFORMED, status, "unreadable JSON: %s", jerr.text);
        return SD_ERR_NET;
    }
    json_t *header = json_object_get(json_object_get(root, "response"), "header");
    const char *code = json_string_value(json_object_get(header, "resultCode"));
    const char *msg = text(header, "resultMsg");
    sd_code rc = SD_ERR_NET;
    if (!code)
        fail(err, KMA_FAIL_MALFORMED, status, "%s", "JSON without response.header.resultCode");
    else if (!strcmp(code, "03"))
        fail(err, KMA_FAIL_NO_DATA, status, "%s (resultCode %s)", msg, code);
    else if (strcmp(code, "00") != 0)
        fail(err, KMA_FAIL_RESULT, status, "%s (resultCode %s)", msg, code);
    else
        rc = read_items(root, status, f, err);
    json_decref(root);
    return rc;
}

sd_code kma_parse(kma_kind kind, long http_status, const char *body, size_t len, kma_forecast *out,
                  kma_error *err)
{
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    out->kind = kind;
    size_t skip = 0;
    while (skip < len && isspace((unsigned char)body[skip]))
        skip++;
    if (skip < len && body[skip] == '<')
        return gateway_xml(http_status, body + skip, len - skip, err);
    if (skip == len || body[skip] != '{' || http_status >= 400)
        return gateway_text(http_status, body + skip, len - skip, err);
    return parse_json(body + skip, len - skip, http_status, out, err);
}

/* web_open311.c - Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under
 * /open311/v2/: discovery, services, services/{code}, requests (GET and POST), requests/{id}
 * and tokens/{id}, each as .json or .xml.
 *
 * Every answer is first built as one jansson tree, then written either as JSON or, through
 * libxml2's xmlTextWriter, as the XML the specification shows: a list becomes a root element
 * with one child per item (services/service, service_requests/request, errors/error) and a
 * nested list named in the plural holds children named in the singular (formats/format). So
 * both formats always carry the same fields.
 *
 * Filing goes through store_complaint_file, the call the chat uses: the category's routing, the
 * statutory deadline and the "received" notification come with it. Listings show only
 * complaints their resident made public (attribute "public" here, a question in every other
 * channel), never a phone number: what the resident wrote (description, address) goes through
 * pii_redact; private complaints exist only for the tracking page and staff. Our states map
 * onto open/closed: approved is closed, everything else open, and status_notes names the step.
 *
 * What a client sends is checked before anything is stored, and refused with the spec's error
 * list: coordinates are finite decimal degrees inside the district, dates exist on the calendar
 * with offsets within ±14:00, a phone number has a Korean number's shape, and no field holds a
 * control character (web.c). */
#include <libxml/xmlwriter.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "pii.h"
#include "reply.h"
#include "credentials.h"
#include "web_internal.h"

#define OPEN311_MAX_REQUESTS 1000
#define OPEN311_DEFAULT_DAYS 90
#define OPEN311_MAX_DESCRIPTION 500 /* bytes: what the store's detail keeps */
#define OPEN311_MAX_ADDRESS 127     /* bytes: what the store's place keeps */
/* JSON numbers of coordinates: nine significant digits are six decimals of longitude. */
#define OPEN311_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9))

/* Where filings may lie: Incheon Seo-gu with a margin of 2-5 km on every side. The district
 * (Wikipedia, "Seo District, Incheon": centre 37°33'N 126°41'E, 118-137 km² with the reclaimed
 * land of Cheongna and Geomdan) reaches from Gajwa-dong and Seongnam-dong in the south (about
 * 37.47° N) to Daegok-dong and Geumgok-dong of Geomdan at the Gimpo border in the north (about
 * 37.64° N), and from Seeo-do and Jeongseojin at the mouth of the Ara canal in the west (about
 * 126.55° E; Jeongseojin's official point is 37°34'08" N) to the Gyeyang and Bupyeong borders in
 * the east (about 126.73° E); the KMA grid cell 55,126 it uses for forecasts lies inside. The
 * extremes were read off the map, not surveyed: hence the margin. It covers both halves of the
 * district after the split of July 2026 (Seohae-gu and Geomdan-gu). */
#define DISTRICT_LAT_MIN 37.44
#define DISTRICT_LAT_MAX 37.68
#define DISTRICT_LON_MIN 126.50
#define DISTRICT_LON_MAX 126.78
#define DISTRICT_BOX_TEXT "37.44-37.68 N, 126.50-126.78 E"
#define OPEN311_CHANGESET "2026-11-25T00:00:00+09:00"

typedef enum { FMT_JSON, FMT_XML } open311_format;

/* ---- writing a document in either format ---- */

static void xml_value(xmlTextWriterPtr xw, const char *name, json_t *v);

/* A plural list name's items: "formats" holds "format". */
static void xml_list(xmlTextWriterPtr xw, const char *name, const char *item, json_t *list)
{
    char singular[64];
    size_t n = strlen(name);
    snprintf(singular, sizeof singular, "%.*s", (int)(n > 1 && name[n - 1] == 's' ? n - 1 : n),
             name);
    xmlTextWriterStartElement(xw, BAD_CAST name);
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) xml_value(xw, item ? item : singular, x);
    xmlTextWriterFullEndElement(xw);
}

static void xml_value(xmlTextWriterPtr xw, const char *name, json_t *v)
{
    if (json_is_array(v)) {
        xml_list(xw, name, NULL, v);
    } else if (json_is_object(v)) {
        xmlTextWriterStartElement(xw, BAD_CAST name);
        const char *key;
        json_t *x;
        json_object_foreach(v, key, x) xml_value(xw, key, x);
        xmlTextWriterFullEndElement(xw);
    } else if (json_is_string(v)) {
        xmlTextWriterWriteElement(xw, BAD_CAST name, BAD_CAST json_string_value(v));
    } else if (json_is_integer(v)) {
        xmlTextWriterWriteFormatElement(xw, BAD_CAST name, "%lld",
                                        (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        xmlTextWriterWriteFormatElement(xw, BAD_CAST name, "%.9g", json_real_value(v));
    } else if (json_is_boolean(v)) {
        xmlTextWriterWriteElement(xw, BAD_CAST name, BAD_CAST(json_is_true(v) ? "true" : "false"));
    } else {
        xmlTextWriterWriteElement(xw, BAD_CAST name, BAD_CAST "");
    }
}

static void write_xml(web_reply *out, const char *root, const char *item, json_t *doc)
{
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr xw = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (!xw) {
        xmlBufferFree(buf);
        out->body.failed = true;
        return;
    }
    xmlTextWriterStartDocument(xw, NULL, "UTF-8", NULL);
    if (json_is_array(doc))
        xml_list(xw, root, item, doc);
    else
        xml_value(xw, root, doc);
    xmlTextWriterEndDocument(xw);
    xmlFreeTextWriter(xw); /* flushes into buf */
    strbuf_append(&out->body, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
    xmlBufferFree(buf);
}

/* Answers doc (stolen) with status; root and item name the XML elements. */
static void send_doc(web_reply *out, open311_format fmt, int status, const char *root,
                     const char *item, json_t *doc)
{
    out->status = status;
    strbuf_clear(&out->body);
    if (!doc) {
        out->body.failed = true;
        return;
    }
    if (fmt == FMT_XML) {
        out->content_type = "text/xml; charset=utf-8";
        write_xml(out, root, item, doc);
    } else {
        out->content_type = "application/json; charset=utf-8";
        char *text = json_dumps(doc, OPEN311_JSON_FLAGS);
        if (text)
            strbuf_puts(&out->body, text);
        else
            out->body.failed = true;
        free(text);
    }
    json_decref(doc);
}

/* The specification's error list: [{"code": status, "description": why}]. */
static void send_error(web_reply *out, open311_format fmt, int status, const char *why)
{
    send_doc(out, fmt, status, "errors", "error",
             json_pack("[{s:i,s:s}]", "code", status, "description", why));
}

/* The office's shared database away: the store said SD_ERR_OFFLINE. A client may try again. */
#define OPEN311_OFFLINE                                                                            \
    "the office's database cannot be reached right now; try again in a few minutes"

/* The HTTP status of a store failure: what the client can do about it. */
static int store_status(sd_code rc)
{
    return rc == SD_ERR_NOT_FOUND ? 404
           : rc == SD_ERR_INVALID ? 400
           : rc == SD_ERR_OFFLINE ? 503
                                  : 500;
}

static void send_store_error(web_reply *out, open311_format fmt, sd_code rc, const char *not_found)
{
    send_error(out, fmt, store_status(rc),
               rc == SD_ERR_NOT_FOUND ? not_found
               : rc == SD_ERR_OFFLINE ? OPEN311_OFFLINE
                                      : sd_strerror(rc));
}

/* ---- values ---- */

/* W3C datetime in Korean time: 2026-11-25T10:00:00+09:00. */
static json_t *w3c_time(time_t t)
{
    struct tm tm;
    char text[80]; /* room for any int the compiler imagines */
    calendar_kst(t, &tm);
    snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d+09:00", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return json_string(text);
}

/* Reads n decimal digits at *p into *out and moves past them; false when they are not there. */
static bool read_digits(const char **p, int n, int *out)
{
    *out = 0;
    for (int i = 0; i < n; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9')
            return false;
        *out = *out * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return true;
}

/* Moves past c when *p is at it. */
static bool skip_char(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* Reads the time of day and offset after a date's 'T': HH:MM[:SS[.fraction]] then Z, +HH:MM or
 * -HH:MM, or nothing (Korean time). offset gets seconds east of UTC. */
static bool read_clock(const char **p, struct tm *tm, int *offset)
{
    int oh = 9, om = 0, sign = 1;
    if (!read_digits(p, 2, &tm->tm_hour) || !skip_char(p, ':') || !read_digits(p, 2, &tm->tm_min))
        return false;
    if (skip_char(p, ':')) {
        if (!read_digits(p, 2, &tm->tm_sec))
            return false;
        if (skip_char(p, '.') && !(**p >= '0' && **p <= '9'))
            return false;
        while (**p >= '0' && **p <= '9')
            (*p)++; /* fractions of a second: a listing filters by whole seconds */
    }
    if (skip_char(p, 'Z')) {
        oh = 0;
    } else if (**p == '+' || **p == '-') {
        sign = *(*p)++ == '-' ? -1 : 1;
        if (!read_digits(p, 2, &oh) || !skip_char(p, ':') || !read_digits(p, 2, &om))
            return false;
    }
    *offset = sign * (oh * 3600 + om * 60);
    /* Offsets in use run from -12:00 to +14:00; none has minutes past 59. */
    return tm->tm_hour <= 23 && tm->tm_min <= 59 && tm->tm_sec <= 60 && om <= 59 &&
           oh * 60 + om <= 14 * 60;
}

/* Reads a W3C datetime: YYYY-MM-DD, optionally THH:MM[:SS[.fraction]] with Z or ±HH:MM (a bare
 * date or a time without offset is Korean). The date must exist (no 31 February) and the offset
 * lie within ±14:00. Returns SD_OK or SD_ERR_INVALID. */
static sd_code parse_time(const char *text, time_t *out)
{
    struct tm tm = {0};
    const char *p = text;
    int year, offset = 9 * 3600;
    if (!read_digits(&p, 4, &year) || !skip_char(&p, '-') || !read_digits(&p, 2, &tm.tm_mon) ||
        !skip_char(&p, '-') || !read_digits(&p, 2, &tm.tm_mday))
        return SD_ERR_INVALID;
    if (skip_char(&p, 'T') && !read_clock(&p, &tm, &offset))
        return SD_ERR_INVALID;
    if (*p || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
        tm.tm_mday > days_in_month(year, tm.tm_mon))
        return SD_ERR_INVALID;
    tm.tm_year = year - 1900;
    tm.tm_mon -= 1;
    *out = timegm(&tm) - offset;
    return SD_OK;
}

/* Text the resident wrote, as the public may see it (pii.h). */
static json_t *public_text(const char *text)
{
    strbuf sb;
    strbuf_init(&sb);
    pii_redact(text, strlen(text), &sb);
    json_t *j = sb.failed ? NULL : json_string(strbuf_str(&sb));
    strbuf_free(&sb);
    return j;
}

static json_t *request_json(const store_public_request *r, const char *lang)
{
    const store_public_request *c = r;
    bool closed = strcmp(c->state, "approved") == 0;
    json_t *j = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:s,s:s}", "service_request_id",
        c->receipt, "status", closed ? "closed" : "open", "status_notes",
        reply_state_name(lang, c->state), "service_name", reply_category_name(lang, c->category),
        "service_code", c->category, "description", public_text(c->detail), "agency_responsible",
        strcmp(lang, "en") == 0 ? r->department_en : r->department_ko, "service_notice", "",
        "requested_datetime", w3c_time(c->filed_at), "updated_datetime",
        w3c_time(r->updated_at ? r->updated_at : c->filed_at), "expected_datetime",
        w3c_time(c->due_at), "address", public_text(c->place), "address_id", "", "zipcode", "");
    if (j && c->located) {
        json_object_set_new(j, "lat", json_real(c->lat));
        json_object_set_new(j, "long", json_real(c->lon));
    }
    if (j && json_object_set_new(j, "media_url", json_string("")) != 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* ---- discovery and services ---- */

/* A Host header fit to be part of a URL: a name or address and a port, nothing else. */
static bool usable_host(const char *host)
{
    size_t n = strlen(host);
    return n > 0 && n < 256 &&
           strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == n;
}

/* The endpoint's absolute URL: [web] base_url, else the address the client asked for (Host),
 * else the one it reached; https when the site is served over TLS (secure_cookies). */
static void discovery(web_ctx *w, const web_request *r, open311_format fmt, web_reply *out)
{
    char url[400];
    const char *base = w->cfg.web.base_url;
    size_t n = strlen(base);
    while (n > 0 && base[n - 1] == '/')
        n--;
    if (n)
        snprintf(url, sizeof url, "%.*s/open311/v2", (int)n, base);
    else
        snprintf(url, sizeof url, "%s://%s/open311/v2",
                 w->cfg.web.secure_cookies ? "https" : "http",
                 usable_host(r->host) ? r->host : r->server);
    send_doc(out, fmt, 200, "discovery", NULL,
             json_pack("{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:[s,s]}]}", "changeset",
                       OPEN311_CHANGESET, "contact", w->cfg.office_name, "key_service",
                       "API keys are issued by the office (seodong staff apikey issue NAME).",
                       "endpoints", "specification", "http://wiki.open311.org/GeoReport_v2", "url",
                       url, "changeset", OPEN311_CHANGESET, "type", "production", "formats",
                       "application/json", "text/xml"));
}

typedef struct {
    store *db;
    const char *lang;
    json_t *list;
} services_walk;

static sd_code add_service(void *ctx, const store_category *c)
{
    services_walk *sw = ctx;
    bool en = strcmp(sw->lang, "en") == 0;
    json_t *s = json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:s}", "service_code", c->code, "service_name",
                          en ? c->name_en : c->name_ko, "description", en ? c->name_en : c->name_ko,
                          "metadata", 1, "type", "realtime", "keywords", c->complaint_type, "group",
                          c->department);
    return json_array_append_new(sw->list, s) == 0 ? SD_OK : SD_ERR_NOMEM;
}

static void services(web_ctx *w, const char *lang, open311_format fmt, web_reply *out)
{
    services_walk sw = {engine_store(w->e), lang, json_array()};
    sd_code rc = sw.list ? store_category_each(sw.db, add_service, &sw) : SD_ERR_NOMEM;
    if (rc != SD_OK) {
        json_decref(sw.list);
        send_store_error(out, fmt, rc, "");
        return;
    }
    send_doc(out, fmt, 200, "services", "service", sw.list);
}

/* One attribute for every category: whether the resident lets the request be listed. */
static void service_definition(web_ctx *w, const char *code, const char *lang, open311_format fmt,
                               web_reply *out)
{
    store_category c;
    sd_code rc = store_category_get(engine_store(w->e), code, &c);
    if (rc != SD_OK) {
        send_store_error(out, fmt, rc == SD_ERR_OFFLINE ? rc : SD_ERR_NOT_FOUND,
                         "service_code not found");
        return;
    }
    bool en = strcmp(lang, "en") == 0;
    send_doc(out, fmt, 200, "service_definition", NULL,
             json_pack("{s:s,s:[{s:b,s:s,s:s,s:b,s:s,s:i,s:s,s:[{s:s,s:s},{s:s,s:s}]}]}",
                       "service_code", c.code, "attributes", "variable", 1, "code", "public",
                       "datatype", "singlevaluelist", "required", 0, "datatype_description",
                       "true or false", "order", 1, "description",
                       en ? "May this request be listed publicly (never your phone number)?"
                          : "이 민원을 공개 목록에 보여도 될까요? (전화번호는 공개하지 않아요)",
                       "values", "key", "false", "name", en ? "Private" : "비공개", "key", "true",
                       "name", en ? "Public" : "공개"));
}

/* ---- POST requests ---- */

typedef struct {
    bool located;
    double lat, lon;
} position;

/* Decimal degrees, plainly written: no "nan", "inf", hexadecimal or exponent. */
static bool read_degrees(const char *text, double *out)
{
    char *end = NULL;
    size_t n = strlen(text);
    if (n == 0 || n > 32 || strspn(text, "0123456789.+-") != n)
        return false;
    *out = strtod(text, &end);
    return *end == '\0' && isfinite(*out);
}

/* Reads lat and long when given: NULL when both are absent or both are good, else why not. */
static const char *read_position(const web_request *r, position *pos)
{
    const char *lat = web_arg(r, "lat"), *lon = web_arg(r, "long");
    bool has_lat = lat && *lat, has_lon = lon && *lon;
    pos->located = false;
    if (!has_lat && !has_lon)
        return NULL;
    if (!has_lat || !has_lon)
        return "lat and long go together";
    if (!read_degrees(lat, &pos->lat) || !read_degrees(lon, &pos->lon))
        return "lat and long must be decimal degrees (WGS84)";
    if (pos->lat < DISTRICT_LAT_MIN || pos->lat > DISTRICT_LAT_MAX || pos->lon < DISTRICT_LON_MIN ||
        pos->lon > DISTRICT_LON_MAX)
        return "lat and long must lie in Incheon Seo-gu (" DISTRICT_BOX_TEXT ")";
    pos->located = true;
    return NULL;
}

/* The place as staff read it: address_string, else the coordinates as text. */
static const char *place_text(const web_request *r, const position *pos, char buf[64])
{
    const char *address = web_arg(r, "address_string");
    if (address && *address)
        return address;
    if (!pos->located)
        return NULL;
    snprintf(buf, 64, "%.6f,%.6f", pos->lat, pos->lon);
    return buf;
}

/* Checks a filing; *why is the client's 400/403/404 message. */
static int check_filing(web_ctx *w, const web_request *r, store_category *cat, const char **why)
{
    const char *key = web_arg(r, "api_key"), *code = web_arg(r, "service_code");
    const char *text = web_arg(r, "description");
    unsigned char hash[STORE_KEY_HASH];
    char client[64];
    if (!r->form_ok || !strstr(r->content_type, "form"))
        return *why = "the body must be a form (application/x-www-form-urlencoded)", 400;
    if (!key || !*key)
        return *why = "api_key is required", 403;
    credentials_apikey_hash(key, hash);
    /* A key that cannot be checked while the office's database is away is refused for now
     * (503: the client keeps its request and sends it again), never taken on trust. */
    sd_code rc = store_apikey_check(engine_store(w->e), hash, client);
    if (rc == SD_ERR_OFFLINE)
        return *why = OPEN311_OFFLINE " (the api_key cannot be checked)", 503;
    if (rc != SD_OK)
        return *why = "api_key is not valid", 403;
    if (!code || !*code)
        return *why = "service_code is required", 400;
    rc = store_category_get(engine_store(w->e), code, cat);
    if (rc == SD_ERR_OFFLINE)
        return *why = OPEN311_OFFLINE, 503;
    if (rc != SD_OK)
        return *why = "service_code not found", 404;
    if (!text || !*text)
        return *why = "description is required", 400;
    if (strlen(text) > OPEN311_MAX_DESCRIPTION)
        return *why = "description is longer than 500 bytes", 400;
    const char *address = web_arg(r, "address_string");
    if (address && strlen(address) > OPEN311_MAX_ADDRESS)
        return *why = "address_string is longer than 127 bytes", 400;
    return 0;
}

static void post_request(web_ctx *w, const web_request *r, open311_format fmt, web_reply *out)
{
    store_category cat;
    const char *why = NULL;
    int status = check_filing(w, r, &cat, &why);
    char place_buf[64], phone[PII_PHONE_DIGITS] = "";
    position pos = {0};
    if (!status && (why = read_position(r, &pos)))
        status = 400;
    const char *place = status ? NULL : place_text(r, &pos, place_buf);
    const char *phone_arg = web_arg(r, "phone"), *pub = web_arg(r, "attribute[public]");
    if (!status && !place)
        status = 400, why = "address_string or lat and long are required";
    if (!status && phone_arg && *phone_arg && !pii_phone_digits(phone_arg, phone))
        status = 400, why = "phone must be a Korean phone number (010-1234-5678)";
    if (!status && !ratelimit_allow(w->filing, r->client, time(NULL)))
        status = 429, why = "too many requests from this address; try again in a minute";
    if (status) {
        send_error(out, fmt, status, why);
        return;
    }
    time_t now = engine_now(w->e);
    char token[33], receipt[32];
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, sizeof token, raw, sizeof raw);
    store_new_complaint c = {.category = cat.code,
                             .place = place,
                             .detail = web_arg(r, "description"),
                             .phone = phone[0] ? phone : NULL,
                             .lang = "ko",
                             .channel = "open311",
                             .site = engine_site(w->e, "ko"),
                             .filed_at = now,
                             .due_at = calendar_due(engine_calendar(w->e), now,
                                                    calendar_period_days(cat.complaint_type)),
                             .public = pub && strcmp(pub, "true") == 0,
                             .token = token,
                             .located = pos.located,
                             .lat = pos.lat,
                             .lon = pos.lon};
    sd_code rc = store_complaint_file(engine_store(w->e), &c, receipt);
    if (rc != SD_OK) {
        send_store_error(out, fmt, rc, "");
        return;
    }
    /* Kept in this server's spool while the office's database is away: accepted all the same
     * (it is filed exactly once when the database answers), with no service_request_id yet but
     * a token to look it up by, as the specification provides for a deferred id. */
    if (store_is_spool_code(receipt)) {
        send_doc(out, fmt, 201, "service_requests", "request",
                 json_pack("[{s:s,s:s,s:s}]", "token", receipt, "service_notice",
                           "The office's database cannot be reached right now: the request is "
                           "kept and will be filed as soon as it is reachable. Look up its "
                           "service_request_id with GET tokens/{token}.",
                           "account_id", ""));
        return;
    }
    send_doc(out, fmt, 201, "service_requests", "request",
             json_pack("[{s:s,s:s,s:s,s:s}]", "service_request_id", receipt, "token", token,
                       "service_notice", "", "account_id", ""));
}

/* ---- GET requests ---- */

typedef struct {
    const char *lang;
    json_t *list;
} requests_walk;

static sd_code add_request(void *ctx, const store_public_request *r)
{
    requests_walk *rw = ctx;
    return json_array_append_new(rw->list, request_json(r, rw->lang)) == 0 ? SD_OK : SD_ERR_NOMEM;
}

/* service_request_id=A,B,C overrides every other filter (as the specification says). */
static void requests_by_id(web_ctx *w, const char *ids, requests_walk *rw)
{
    char *copy = strdup(ids), *save = NULL;
    for (char *id = copy ? strtok_r(copy, ",", &save) : NULL; id; id = strtok_r(NULL, ",", &save)) {
        store_public_request r;
        if (json_array_size(rw->list) < OPEN311_MAX_REQUESTS &&
            store_public_get(engine_store(w->e), id, &r) == SD_OK)
            add_request(rw, &r);
    }
    free(copy);
}

static const char *read_filter(const web_request *r, time_t now, store_public_filter *f)
{
    const char *status = web_arg(r, "status"), *start = web_arg(r, "start_date");
    const char *end = web_arg(r, "end_date");
    *f = (store_public_filter){.category = web_arg(r, "service_code"),
                               .closed = -1,
                               .start = now - OPEN311_DEFAULT_DAYS * 86400,
                               .end = now + 1,
                               .limit = OPEN311_MAX_REQUESTS};
    if (status && strcmp(status, "open") && strcmp(status, "closed"))
        return "status must be open or closed";
    if (status)
        f->closed = status[0] == 'c';
    if (start && parse_time(start, &f->start) != SD_OK)
        return "start_date must be a W3C datetime";
    if (end && parse_time(end, &f->end) != SD_OK)
        return "end_date must be a W3C datetime";
    if (start && !end)
        f->end = f->start + OPEN311_DEFAULT_DAYS * 86400;
    if (end && !start)
        f->start = f->end - OPEN311_DEFAULT_DAYS * 86400;
    return f->end < f->start ? "end_date is before start_date" : NULL;
}

static void get_requests(web_ctx *w, const web_request *r, const char *lang, open311_format fmt,
                         web_reply *out)
{
    requests_walk rw = {lang, json_array()};
    const char *ids = web_arg(r, "service_request_id");
    store_public_filter f;
    const char *why = ids ? NULL : read_filter(r, engine_now(w->e), &f);
    sd_code rc = rw.list ? SD_OK : SD_ERR_NOMEM;
    if (why) {
        json_decref(rw.list);
        send_error(out, fmt, 400, why);
        return;
    }
    if (rc == SD_OK && ids)
        requests_by_id(w, ids, &rw);
    else if (rc == SD_OK)
        rc = store_public_list(engine_store(w->e), &f, add_request, &rw);
    if (rc != SD_OK) {
        json_decref(rw.list);
        send_store_error(out, fmt, rc, "");
        return;
    }
    send_doc(out, fmt, 200, "service_requests", "request", rw.list);
}

static void get_request(web_ctx *w, const char *id, const char *lang, open311_format fmt,
                        web_reply *out)
{
    store_public_request r;
    sd_code rc = store_public_get(engine_store(w->e), id, &r);
    if (rc == SD_OK)
        send_doc(out, fmt, 200, "service_requests", "request",
                 json_pack("[o]", request_json(&r, lang)));
    else
        send_store_error(out, fmt, rc, "service_request_id not found (or not public)");
}

/* The receipt of token: a filing's random token, or the spool code a request kept while the
 * office's database was away got as its token (found once it has been forwarded). */
static sd_code spool_token_find(web_ctx *w, const char *token, char receipt[32])
{
    if (!store_is_spool_code(token))
        return store_token_find(engine_store(w->e), token, receipt);
    store_complaint c;
    size_t n;
    sd_code rc = store_complaint_get(engine_store(w->e), token, &c, NULL, NULL, 0, &n);
    if (rc == SD_OK)
        snprintf(receipt, 32, "%s", c.receipt);
    return rc;
}

static void get_token(web_ctx *w, const char *token, open311_format fmt, web_reply *out)
{
    char receipt[32];
    sd_code rc = spool_token_find(w, token, receipt);
    if (rc == SD_OK)
        send_doc(out, fmt, 200, "service_requests", "request",
                 json_pack("[{s:s,s:s}]", "service_request_id", receipt, "token", token));
    else
        send_store_error(out, fmt, rc, "token not found");
}

/* ---- routing ---- */

/* Splits "requests/SG-2026-000001.json" into resource "requests", id and format. Returns false
 * when the extension is neither .json nor .xml or the path is too long. */
static bool split_path(const char *path, char resource[32], char id[64], open311_format *fmt)
{
    const char *dot = strrchr(path, '.');
    if (!dot || (strcmp(dot, ".json") && strcmp(dot, ".xml")))
        return false;
    *fmt = strcmp(dot, ".xml") == 0 ? FMT_XML : FMT_JSON;
    const char *slash = memchr(path, '/', (size_t)(dot - path));
    size_t rlen = (size_t)((slash ? slash : dot) - path);
    size_t ilen = slash ? (size_t)(dot - slash - 1) : 0;
    if (rlen >= 32 || ilen >= 64 || (slash && (!ilen || memchr(slash + 1, '/', ilen))))
        return false;
    snprintf(resource, 32, "%.*s", (int)rlen, path);
    snprintf(id, 64, "%.*s", (int)ilen, slash ? slash + 1 : "");
    return true;
}

static void dispatch(web_ctx *w, const web_request *r, const char *resource, const char *id,
                     open311_format fmt, web_reply *out)
{
    const char *lang = web_lang(r);
    bool get = strcmp(r->method, "GET") == 0, post = strcmp(r->method, "POST") == 0;
    bool list_of_requests = strcmp(resource, "requests") == 0 && !*id;
    if (!(get || (post && list_of_requests))) {
        send_error(out, fmt, 405, "method not allowed");
        out->allow = list_of_requests ? "GET, POST" : "GET";
    } else if (strcmp(resource, "discovery") == 0 && !*id) {
        discovery(w, r, fmt, out);
    } else if (strcmp(resource, "services") == 0) {
        if (*id)
            service_definition(w, id, lang, fmt, out);
        else
            services(w, lang, fmt, out);
    } else if (list_of_requests) {
        if (post)
            post_request(w, r, fmt, out);
        else
            get_requests(w, r, lang, fmt, out);
    } else if (strcmp(resource, "requests") == 0) {
        get_request(w, id, lang, fmt, out);
    } else if (strcmp(resource, "tokens") == 0 && *id) {
        get_token(w, id, fmt, out);
    } else {
        send_error(out, fmt, 404, "no such resource");
    }
}

void web_open311(web_ctx *w, const web_request *r, const char *path, web_reply *out)
{
    char resource[32], id[64], why[160];
    open311_format fmt;
    if (!split_path(path, resource, id, &fmt)) {
        send_error(out, FMT_JSON, 404, "no such resource (paths end in .json or .xml)");
        return;
    }
    if (r->bad_field) {
        snprintf(why, sizeof why, "%.64s holds a control character", r->bad_field);
        send_error(out, fmt, 400, why);
        return;
    }
    dispatch(w, r, resource, id, fmt, out);
}

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
 * channel), never a phone number; private complaints exist only for the tracking page and
 * staff. Our states map onto open/closed: approved is closed, everything else open, and
 * status_notes names the step. */
#include <libxml/xmlwriter.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "replies.h"
#include "web_internal.h"

#define OPEN311_MAX_REQUESTS 1000
#define OPEN311_DEFAULT_DAYS 90
#define OPEN311_MAX_DESCRIPTION 500 /* bytes: what the store's detail keeps */
#define OPEN311_CHANGESET "2026-11-25T00:00:00+09:00"

typedef enum { FMT_JSON, FMT_XML } open311_format;

/* ---- API keys ---- */

void web_apikey_hash(const char *key, unsigned char hash[STORE_KEY_HASH])
{
    crypto_generichash(hash, STORE_KEY_HASH, (const unsigned char *)key, strlen(key), NULL, 0);
}

sd_code web_apikey_new(char key[WEB_KEY_LEN + 1], unsigned char hash[STORE_KEY_HASH])
{
    unsigned char raw[WEB_KEY_LEN / 2];
    if (sodium_init() < 0)
        return SD_ERR_NOMEM;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(key, WEB_KEY_LEN + 1, raw, sizeof raw);
    web_apikey_hash(key, hash);
    return SD_OK;
}

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
        char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
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

/* Reads a W3C datetime (YYYY-MM-DD, optionally THH:MM[:SS] and Z or +HH:MM; a bare date or time
 * is Korean). Returns SD_OK or SD_ERR_INVALID. */
static sd_code parse_time(const char *text, time_t *out)
{
    struct tm tm = {0};
    int hh = 0, mm = 0, ss = 0, used = 0, oh = 9, om = 0;
    char sign = '+';
    if (sscanf(text, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3)
        return SD_ERR_INVALID;
    const char *p = text + used;
    if (*p == 'T' && sscanf(p, "T%2d:%2d%n", &hh, &mm, &used) == 2) {
        p += used;
        if (sscanf(p, ":%2d%n", &ss, &used) == 1)
            p += used;
        if (*p == 'Z')
            oh = 0, p++;
        else if ((*p == '+' || *p == '-') && sscanf(p, "%c%2d:%2d%n", &sign, &oh, &om, &used) == 3)
            p += used;
    }
    if (*p || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || hh > 23 ||
        mm > 59 || ss > 60)
        return SD_ERR_INVALID;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = hh, tm.tm_min = mm, tm.tm_sec = ss;
    int offset = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
    *out = timegm(&tm) - offset;
    return SD_OK;
}

/* A description for public eyes: runs of 7 or more digits (phone numbers, however written)
 * become "***", in case a resident typed their number into the text. */
static void mask_numbers(const char *in, strbuf *out)
{
    while (*in) {
        const char *p = in;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            while (*p >= '0' && *p <= '9')
                digits++, p++;
            if ((*p == '-' || *p == ' ' || *p == '.') && p[1] >= '0' && p[1] <= '9')
                p++;
        }
        if (digits >= 7) {
            strbuf_puts(out, "***");
            in = p;
        } else {
            strbuf_append(out, in, p > in ? (size_t)(p - in) : 1);
            in = p > in ? p : in + 1;
        }
    }
}

static json_t *request_json(const store_public_request *r, const char *lang)
{
    const store_public_request *c = r;
    bool closed = strcmp(c->state, "approved") == 0;
    strbuf text;
    strbuf_init(&text);
    mask_numbers(c->detail, &text);
    json_t *j = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:s,s:s}", "service_request_id",
        c->receipt, "status", closed ? "closed" : "open", "status_notes",
        reply_state_name(lang, c->state), "service_name", reply_category_name(lang, c->category),
        "service_code", c->category, "description", strbuf_str(&text), "agency_responsible",
        strcmp(lang, "en") == 0 ? r->department_en : r->department_ko, "service_notice", "",
        "requested_datetime", w3c_time(c->filed_at), "updated_datetime",
        w3c_time(r->updated_at ? r->updated_at : c->filed_at), "expected_datetime",
        w3c_time(c->due_at), "address", c->place, "address_id", "", "zipcode", "", "media_url", "");
    strbuf_free(&text);
    return j;
}

/* ---- discovery and services ---- */

static void discovery(web_ctx *w, open311_format fmt, web_reply *out)
{
    char url[320];
    snprintf(url, sizeof url, "%s/open311/v2", w->cfg.web.base_url);
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
        send_error(out, fmt, 500, sd_strerror(rc));
        return;
    }
    send_doc(out, fmt, 200, "services", "service", sw.list);
}

/* One attribute for every category: whether the resident lets the request be listed. */
static void service_definition(web_ctx *w, const char *code, const char *lang, open311_format fmt,
                               web_reply *out)
{
    store_category c;
    if (store_category_get(engine_store(w->e), code, &c) != SD_OK) {
        send_error(out, fmt, 404, "service_code not found");
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

/* Keeps the digits of a phone number; SD_ERR_INVALID unless 9 to 11 remain. */
static sd_code phone_digits(const char *in, char out[16])
{
    size_t n = 0;
    for (; *in; in++) {
        if (*in >= '0' && *in <= '9' && n < 15)
            out[n++] = *in;
        else if (!strchr(" -+().", *in))
            return SD_ERR_INVALID;
    }
    out[n] = '\0';
    return n >= 9 && n <= 11 ? SD_OK : SD_ERR_INVALID;
}

/* The place: address_string, else "lat,long" when both are numbers in range. */
static const char *where(const web_request *r, char buf[64])
{
    const char *address = web_arg(r, "address_string");
    if (address && *address)
        return address;
    const char *lat = web_arg(r, "lat"), *lon = web_arg(r, "long");
    char *e1 = NULL, *e2 = NULL;
    double la = lat ? strtod(lat, &e1) : 999, lo = lon ? strtod(lon, &e2) : 999;
    if (!lat || !lon || *e1 || *e2 || la < -90 || la > 90 || lo < -180 || lo > 180)
        return NULL;
    snprintf(buf, 64, "%.6f,%.6f", la, lo);
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
    web_apikey_hash(key, hash);
    if (store_apikey_check(engine_store(w->e), hash, client) != SD_OK)
        return *why = "api_key is not valid", 403;
    if (!code || !*code)
        return *why = "service_code is required", 400;
    if (store_category_get(engine_store(w->e), code, cat) != SD_OK)
        return *why = "service_code not found", 404;
    if (!text || !*text)
        return *why = "description is required", 400;
    if (strlen(text) > OPEN311_MAX_DESCRIPTION)
        return *why = "description is longer than 500 bytes", 400;
    return 0;
}

static void post_request(web_ctx *w, const web_request *r, open311_format fmt, web_reply *out)
{
    store_category cat;
    const char *why = NULL;
    int status = check_filing(w, r, &cat, &why);
    char place_buf[64], phone[16] = "";
    const char *place = status ? NULL : where(r, place_buf);
    const char *phone_arg = web_arg(r, "phone"), *pub = web_arg(r, "attribute[public]");
    if (!status && !place)
        status = 400, why = "address_string or lat and long are required";
    if (!status && phone_arg && *phone_arg && phone_digits(phone_arg, phone) != SD_OK)
        status = 400, why = "phone must be a Korean phone number";
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
                             .filed_at = now,
                             .due_at = calendar_due(engine_calendar(w->e), now,
                                                    calendar_period_days(cat.complaint_type)),
                             .public = pub && strcmp(pub, "true") == 0,
                             .token = token};
    sd_code rc = store_complaint_file(engine_store(w->e), &c, receipt);
    if (rc != SD_OK) {
        send_error(out, fmt, rc == SD_ERR_INVALID ? 400 : 500, sd_strerror(rc));
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
        send_error(out, fmt, 500, sd_strerror(rc));
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
        send_error(out, fmt, rc == SD_ERR_NOT_FOUND ? 404 : 500,
                   rc == SD_ERR_NOT_FOUND ? "service_request_id not found (or not public)"
                                          : sd_strerror(rc));
}

static void get_token(web_ctx *w, const char *token, open311_format fmt, web_reply *out)
{
    char receipt[32];
    sd_code rc = store_token_find(engine_store(w->e), token, receipt);
    if (rc == SD_OK)
        send_doc(out, fmt, 200, "service_requests", "request",
                 json_pack("[{s:s,s:s}]", "service_request_id", receipt, "token", token));
    else
        send_error(out, fmt, rc == SD_ERR_NOT_FOUND ? 404 : 500,
                   rc == SD_ERR_NOT_FOUND ? "token not found" : sd_strerror(rc));
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
        discovery(w, fmt, out);
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
    char resource[32], id[64];
    open311_format fmt;
    if (!split_path(path, resource, id, &fmt)) {
        send_error(out, FMT_JSON, 404, "no such resource (paths end in .json or .xml)");
        return;
    }
    dispatch(w, r, resource, id, fmt, out);
}

/* gateway.c - the AlimTalk-style gateway over HTTPS with libcurl and jansson (NHN Cloud
 * KakaoTalk Bizmessage v2.3 is the model; Solapi and NAVER SENS have the same shape).
 *
 *   send    POST {url}/alimtalk/v2.3/appkeys/{appkey}/messages, headers X-Secret-Key and
 *           X-NC-API-IDEMPOTENCY-KEY, body {senderKey, templateCode, recipientList: [{recipientNo,
 *           templateParameter, recipientGroupingKey}]}. Accepted only when the answer is 2xx
 *           JSON whose header.isSuccessful is true and whose one sendResults entry has
 *           resultCode 0.
 *   lookup  GET the same path with ?recipientGroupingKey=KEY and a request-date range: accepted
 *           when a listed message for the key is not FAILED or CANCEL.
 *
 * The outcome says what the sender may do next. A request that never left (connection refused,
 * no such host, TLS failure) or that the gateway answered with a failure (5xx, isSuccessful
 * false, a recipient's resultCode) may be sent again: RETRY. 400, 404, 405, 413 and 422 say the
 * request itself is wrong: REJECTED. A request that left but whose answer never came or cannot
 * be read (time-out, dropped connection, a 2xx that is not the gateway's JSON) may have been
 * accepted: UNKNOWN, and the sender asks with lookup before sending again.
 *
 * Each call has its own curl easy handle (thread-safe) with CURLOPT_NOSIGNAL (no SIGALRM in a
 * threaded program) and the configured whole-request time-out. Answers are read up to 64 KiB. */
#include "gateway.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BODY 65536
/* The gateway lists at most 30 days at once; stay a day inside that. */
#define LOOKUP_SPAN_S (29 * 86400)

struct gateway {
    config_gateway cfg;
    char messages_url[1024]; /* {url}/alimtalk/v2.3/appkeys/{appkey}/messages */
};

typedef struct {
    char data[MAX_BODY + 1];
    size_t len;
} answer;

sd_code gateway_new(const config_gateway *cfg, gateway **out)
{
    *out = NULL;
    if (!cfg->url[0])
        return SD_ERR_INVALID;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return SD_ERR_NOMEM;
    gateway *g = calloc(1, sizeof *g);
    char *appkey = curl_easy_escape(NULL, cfg->appkey, 0);
    if (!g || !appkey) {
        free(g);
        curl_free(appkey);
        curl_global_cleanup();
        return SD_ERR_NOMEM;
    }
    g->cfg = *cfg;
    size_t n = strlen(cfg->url);
    while (n > 0 && cfg->url[n - 1] == '/')
        n--; /* "https://host/" and "https://host" mean the same base */
    snprintf(g->messages_url, sizeof g->messages_url, "%.*s/alimtalk/v2.3/appkeys/%s/messages",
             (int)n, cfg->url, appkey);
    curl_free(appkey);
    *out = g;
    return SD_OK;
}

void gateway_free(gateway *g)
{
    if (!g)
        return;
    free(g);
    curl_global_cleanup();
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ctx)
{
    answer *a = ctx;
    size_t n = size * nmemb;
    if (n > MAX_BODY - a->len)
        return 0; /* no gateway answers this much: stop reading (CURLE_WRITE_ERROR) */
    memcpy(a->data + a->len, ptr, n);
    a->len += n;
    a->data[a->len] = '\0';
    return n;
}

static struct curl_slist *add_header(struct curl_slist *list, const char *name, const char *value,
                                     bool *ok)
{
    char line[512];
    snprintf(line, sizeof line, "%s: %s", name, value);
    struct curl_slist *grown = curl_slist_append(list, line);
    if (!grown)
        *ok = false;
    return grown ? grown : list;
}

/* One request: a POST of body when body is not NULL, else a GET. Fills the answer, the HTTP
 * status and whether any of the request was written. Returns the curl code, or
 * CURLE_OUT_OF_MEMORY when no handle could be made. */
static CURLcode perform(gateway *g, const char *url, const char *body, const char *idem_key,
                        answer *a, long *status, bool *request_left)
{
    *status = 0;
    *request_left = false;
    a->len = 0;
    a->data[0] = '\0';
    CURL *h = curl_easy_init();
    bool ok = h != NULL;
    struct curl_slist *headers = add_header(NULL, "Accept", "application/json", &ok);
    headers = add_header(headers, "X-Secret-Key", g->cfg.secret_key, &ok);
    if (body)
        headers = add_header(headers, "Content-Type", "application/json;charset=UTF-8", &ok);
    if (idem_key)
        headers = add_header(headers, "X-NC-API-IDEMPOTENCY-KEY", idem_key, &ok);
    CURLcode rc = CURLE_OUT_OF_MEMORY;
    if (ok) {
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)g->cfg.timeout_ms);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
        if (body)
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        rc = curl_easy_perform(h);
        long sent = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
        curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &sent);
        *request_left = sent > 0;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    return rc;
}

/* A network failure: RETRY when the request never left, else UNKNOWN. */
static void network_failure(CURLcode rc, bool request_left, gateway_result *r)
{
    r->outcome = request_left ? GATEWAY_UNKNOWN : GATEWAY_RETRY;
    snprintf(r->why, sizeof r->why, "%s (%s)", curl_easy_strerror(rc),
             request_left ? "the request was sent" : "nothing was sent");
}

static json_int_t int_of(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}

static const char *text_of(json_t *obj, const char *key)
{
    const char *t = json_string_value(json_object_get(obj, key));
    return t ? t : "";
}

/* Reads the answer to a send that came back 2xx. */
static void read_send_answer(const answer *a, gateway_result *r)
{
    json_t *root = json_loadb(a->data, a->len, 0, NULL);
    json_t *header = json_object_get(root, "header");
    json_t *results = json_object_get(json_object_get(root, "message"), "sendResults");
    json_t *first = json_array_get(results, 0);
    json_t *ok = json_object_get(header, "isSuccessful");
    if (!json_is_boolean(ok)) {
        r->outcome = GATEWAY_UNKNOWN;
        snprintf(r->why, sizeof r->why, "HTTP %ld with an answer that is not the gateway's JSON",
                 r->http_status);
    } else if (!json_is_true(ok)) {
        r->outcome = GATEWAY_RETRY;
        snprintf(r->why, sizeof r->why, "refused: %s (code %lld)", text_of(header, "resultMessage"),
                 (long long)int_of(header, "resultCode"));
    } else if (!json_is_object(first)) {
        r->outcome = GATEWAY_UNKNOWN;
        snprintf(r->why, sizeof r->why, "accepted without a result for the recipient");
    } else if (int_of(first, "resultCode") != 0) {
        r->outcome = GATEWAY_RETRY;
        snprintf(r->why, sizeof r->why, "recipient refused: %s (code %lld)",
                 text_of(first, "resultMessage"), (long long)int_of(first, "resultCode"));
    } else {
        r->outcome = GATEWAY_ACCEPTED;
        snprintf(r->why, sizeof r->why, "accepted");
    }
    json_decref(root);
}

/* An answered request that is not 2xx. */
static void http_failure(const char *what, gateway_result *r)
{
    long st = r->http_status;
    bool bad_request = st == 400 || st == 404 || st == 405 || st == 413 || st == 422;
    r->outcome = bad_request ? GATEWAY_REJECTED : GATEWAY_RETRY;
    snprintf(r->why, sizeof r->why, "%s answered HTTP %ld%s", what, st,
             bad_request ? " (the request is wrong: check the template and the settings)" : "");
}

/* The request body; NULL when params_json is not a JSON object or memory ran out. */
static char *send_body(const gateway *g, const gateway_message *m, bool *bad_params)
{
    json_t *params = json_loads(m->params_json, 0, NULL);
    *bad_params = !json_is_object(params);
    if (*bad_params) {
        json_decref(params);
        return NULL;
    }
    json_t *recipient = json_pack("{s:s, s:o, s:s}", "recipientNo", m->recipient,
                                  "templateParameter", params, "recipientGroupingKey", m->idem_key);
    json_t *root = json_pack("{s:s, s:s, s:[o]}", "senderKey", g->cfg.sender_key, "templateCode",
                             m->template_code, "recipientList", recipient);
    char *body = root ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    return body;
}

sd_code gateway_send(gateway *g, const gateway_message *m, gateway_result *r)
{
    memset(r, 0, sizeof *r);
    bool bad_params;
    char *body = send_body(g, m, &bad_params);
    if (bad_params) {
        r->outcome = GATEWAY_REJECTED;
        snprintf(r->why, sizeof r->why, "the template parameters are not a JSON object");
        return SD_OK;
    }
    answer *a = malloc(sizeof *a);
    if (!body || !a) {
        free(body);
        free(a);
        return SD_ERR_NOMEM;
    }
    bool left;
    CURLcode rc = perform(g, g->messages_url, body, m->idem_key, a, &r->http_status, &left);
    free(body);
    r->answered = rc == CURLE_OK;
    if (rc == CURLE_OUT_OF_MEMORY && !left) {
        free(a);
        return SD_ERR_NOMEM;
    }
    if (rc != CURLE_OK)
        network_failure(rc, left, r);
    else if (r->http_status / 100 == 2)
        read_send_answer(a, r);
    else
        http_failure("the gateway", r);
    free(a);
    return SD_OK;
}

/* Korean time as the gateway's request dates want it, "yyyy-MM-dd HH:mm". */
static void kst_minute(time_t t, char out[32])
{
    time_t kst = t + 9 * 3600;
    struct tm tm;
    gmtime_r(&kst, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

/* Reads a 2xx answer to a lookup: is there a message for key that did not fail? */
static void read_lookup_answer(const answer *a, const char *key, gateway_result *r)
{
    json_t *root = json_loadb(a->data, a->len, 0, NULL);
    json_t *list =
        json_object_get(json_object_get(root, "messageSearchResultResponse"), "messages");
    if (!json_is_true(json_object_get(json_object_get(root, "header"), "isSuccessful")) ||
        !json_is_array(list)) {
        r->outcome = GATEWAY_RETRY;
        snprintf(r->why, sizeof r->why, "the lookup's answer is not the gateway's JSON");
        json_decref(root);
        return;
    }
    r->outcome = GATEWAY_NOT_FOUND;
    snprintf(r->why, sizeof r->why, "the gateway has no accepted message for this key");
    size_t i;
    json_t *msg;
    json_array_foreach(list, i, msg)
    {
        const char *status = text_of(msg, "messageStatus");
        const char *grouping = json_string_value(json_object_get(msg, "recipientGroupingKey"));
        if ((!grouping || !strcmp(grouping, key)) && strcmp(status, "FAILED") != 0 &&
            strcmp(status, "CANCEL") != 0) {
            r->outcome = GATEWAY_ACCEPTED;
            snprintf(r->why, sizeof r->why, "the gateway had accepted it (%s)", status);
        }
    }
    json_decref(root);
}

/* The lookup URL for key; NULL when memory ran out. */
static char *lookup_url(const gateway *g, const char *key, time_t since, time_t now)
{
    char from[32], to[32];
    kst_minute(since - 3600 > now - LOOKUP_SPAN_S ? since - 3600 : now - LOOKUP_SPAN_S, from);
    kst_minute(now + 600, to);
    char *k = curl_easy_escape(NULL, key, 0);
    char *f = curl_easy_escape(NULL, from, 0);
    char *t = curl_easy_escape(NULL, to, 0);
    size_t size = strlen(g->messages_url) + 128 + (k ? strlen(k) : 0);
    char *url = k && f && t ? malloc(size) : NULL;
    if (url)
        snprintf(url, size, "%s?recipientGroupingKey=%s&startRequestDate=%s&endRequestDate=%s",
                 g->messages_url, k, f, t);
    curl_free(k);
    curl_free(f);
    curl_free(t);
    return url;
}

sd_code gateway_lookup(gateway *g, const char *idem_key, time_t since, time_t now,
                       gateway_result *r)
{
    memset(r, 0, sizeof *r);
    char *url = lookup_url(g, idem_key, since, now);
    answer *a = malloc(sizeof *a);
    if (!url || !a) {
        free(url);
        free(a);
        return SD_ERR_NOMEM;
    }
    bool left;
    CURLcode rc = perform(g, url, NULL, NULL, a, &r->http_status, &left);
    free(url);
    r->answered = rc == CURLE_OK;
    if (rc != CURLE_OK) {
        r->outcome = GATEWAY_RETRY; /* a question that went unanswered changes nothing */
        snprintf(r->why, sizeof r->why, "lookup: %s", curl_easy_strerror(rc));
    } else if (r->http_status / 100 == 2) {
        read_lookup_answer(a, idem_key, r);
    } else {
        http_failure("the lookup", r);
        r->outcome = GATEWAY_RETRY;
    }
    free(a);
    return SD_OK;
}

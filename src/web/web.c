/* web.c - the HTTP server of `seodong serve`: libmicrohttpd with a pool of threads, limits on
 * headers, bodies and slow clients, security headers on every answer, and the routing of paths
 * to the handlers of web_open311.c, web_track.c, web_kakao.c and web_staff.c.
 *
 * libmicrohttpd calls the access handler several times per request: once with the headers, then
 * with each piece of the body, then once more with nothing left, when the handler answers. The
 * body is collected up to WEB_MAX_BODY; a bigger one is refused at once when Content-Length
 * announces it, or skipped and answered with 413 when it arrives chunked. Form bodies are
 * decoded by libmicrohttpd's post processor and query arguments by libmicrohttpd itself; both
 * land in one JSON object of strings that the handlers read with web_arg. A field holding a
 * control character (NUL, escape, ...; tab and line breaks are text) is never handed over as
 * text: the request names it in bad_field and is refused with 400 (Open311 in its own error
 * format), so nothing is silently cut at a NUL or stored with terminal escapes. */
#include "web.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <strings.h>

#include "web_internal.h"

/* Memory per connection for the request line and headers: a bigger header is refused (431). */
#define WEB_HEADER_MEMORY (32 * 1024)
#define WEB_MAX_CONNECTIONS 1000

struct web_server {
    struct MHD_Daemon *daemon;
    web_ctx ctx;
};

/* What is kept between the calls of one request. */
typedef struct {
    strbuf body;
    bool too_big;
} request_state;

/* ---- reading a request ---- */

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                               const char *value, size_t value_size)
{
    (void)kind, (void)key_size;
    json_t *v = json_stringn(value ? value : "", value ? value_size : 0);
    if (v) /* not UTF-8: the argument is dropped and the request fails its own checks */
        json_object_set_new(cls, key, v);
    return MHD_YES;
}

/* Form fields arrive in pieces (off > 0 continues a value) cut anywhere, even inside a UTF-8
 * character or after a NUL: each value is collected whole as bytes, then checked and added. */
typedef struct {
    json_t *args;
    char key[128]; /* the field being collected, "" before the first */
    strbuf value;
    bool bad; /* a value not UTF-8, a name too long, or out of memory */
} form_reader;

static void finish_field(form_reader *f)
{
    if (!f->key[0])
        return;
    json_t *v = f->value.failed ? NULL : json_stringn(strbuf_str(&f->value), f->value.len);
    if (v)
        json_object_set_new(f->args, f->key, v);
    else
        f->bad = true;
    f->key[0] = '\0';
    strbuf_clear(&f->value);
}

static enum MHD_Result add_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *filename, const char *content_type,
                                 const char *transfer_encoding, const char *data, uint64_t off,
                                 size_t size)
{
    (void)kind, (void)filename, (void)content_type, (void)transfer_encoding;
    form_reader *f = cls;
    if (off == 0 || strcmp(key, f->key) != 0) {
        finish_field(f);
        if (strlen(key) >= sizeof f->key) {
            f->bad = true;
            return MHD_NO;
        }
        snprintf(f->key, sizeof f->key, "%s", key);
    }
    strbuf_append(&f->value, data, size);
    return MHD_YES;
}

/* The name of the first field whose value holds a control character, or NULL. */
static const char *control_field(json_t *args)
{
    const char *key;
    json_t *v;
    json_object_foreach(args, key, v)
    {
        if (web_has_control(json_string_value(v), json_string_length(v)))
            return key;
    }
    return NULL;
}

static bool is_form(const char *content_type)
{
    return strncasecmp(content_type, MHD_HTTP_POST_ENCODING_FORM_URLENCODED,
                       strlen(MHD_HTTP_POST_ENCODING_FORM_URLENCODED)) == 0 ||
           strncasecmp(content_type, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA,
                       strlen(MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA)) == 0;
}

static bool parse_form(struct MHD_Connection *c, const request_state *st, json_t *args)
{
    form_reader f = {.args = args};
    strbuf_init(&f.value);
    struct MHD_PostProcessor *pp = MHD_create_post_processor(c, 4096, add_field, &f);
    if (!pp)
        return false;
    bool ok =
        st->body.len == 0 || MHD_post_process(pp, strbuf_str(&st->body), st->body.len) == MHD_YES;
    ok = MHD_destroy_post_processor(pp) == MHD_YES && ok;
    finish_field(&f);
    strbuf_free(&f.value);
    return ok && !f.bad;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
    return v ? v : "";
}

/* True when address is one of the words of list (space or comma separated). */
static bool listed(const char *list, const char *address)
{
    size_t n = strlen(address);
    for (const char *p = list; *p;) {
        p += strspn(p, " ,");
        size_t len = strcspn(p, " ,");
        if (len == n && n && !strncmp(p, address, n))
            return true;
        p += len;
    }
    return false;
}

/* The last address of an X-Forwarded-For header (the one our trusted proxy saw) into out, when
 * it is an IP address; the earlier ones were written by whoever sent the request. */
static bool forwarded_for(const char *xff, char out[64])
{
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    last += strspn(last, " \t");
    char addr[64];
    snprintf(addr, sizeof addr, "%.*s", (int)strcspn(last, " \t"), last);
    unsigned char bin[16];
    if (inet_pton(AF_INET, addr, bin) != 1 && inet_pton(AF_INET6, addr, bin) != 1)
        return false;
    snprintf(out, 64, "%s", addr);
    return true;
}

/* The client's address, for the rate limits: the peer's, or behind a trusted reverse proxy the
 * one it forwarded (a request straight from a resident cannot claim another address). */
static void client_address(struct MHD_Connection *c, const char *trusted, char out[64])
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, 64, "?");
    if (!info || !info->client_addr)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, 64);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, 64);
    const char *xff = header(c, "X-Forwarded-For");
    if (*xff && listed(trusted, out))
        forwarded_for(xff, out);
}

/* The address this connection reached us on, as a URL's host and port ("127.0.0.1:8080"). */
static void server_address(struct MHD_Connection *c, char out[80])
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[64] = "127.0.0.1";
    unsigned port = 0;
    if (info && getsockname(info->connect_fd, (struct sockaddr *)&ss, &len) == 0) {
        if (ss.ss_family == AF_INET) {
            const struct sockaddr_in *in = (const void *)&ss;
            inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
            port = ntohs(in->sin_port);
        } else if (ss.ss_family == AF_INET6) {
            const struct sockaddr_in6 *in6 = (const void *)&ss;
            host[0] = '[';
            inet_ntop(AF_INET6, &in6->sin6_addr, host + 1, sizeof host - 2);
            strcat(host, "]");
            port = ntohs(in6->sin6_port);
        }
    }
    snprintf(out, 80, "%s:%u", host, port);
}

static const char *cookie(struct MHD_Connection *c, const char *name)
{
    const char *v = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, name);
    return v ? v : "";
}

/* ---- answering ---- */

static enum MHD_Result send_reply(struct MHD_Connection *c, web_reply *reply)
{
    size_t len = reply->body.len;
    char *body = strbuf_detach(&reply->body);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, body ? body : "", MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, reply->content_type);
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    /* Receipt numbers ride in tracking URLs: they must not leak to other sites. */
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                            reply->cache ? reply->cache : "no-store");
    if (reply->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, reply->allow);
    if (reply->set_cookie[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, reply->set_cookie);
    if (reply->location[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, reply->location);
    enum MHD_Result rc = MHD_queue_response(c, (unsigned)reply->status, resp);
    MHD_destroy_response(resp);
    return rc;
}

static enum MHD_Result send_text(struct MHD_Connection *c, int status, const char *text)
{
    web_reply reply = {0};
    strbuf_init(&reply.body);
    web_reply_text(&reply, status, text);
    enum MHD_Result rc = send_reply(c, &reply);
    strbuf_free(&reply.body);
    return rc;
}

static void route(web_ctx *w, const web_request *r, web_reply *out)
{
    static const char open311[] = "/open311/v2/";
    if (strncmp(r->path, open311, sizeof open311 - 1) == 0)
        web_open311(w, r, r->path + sizeof open311 - 1, out);
    else if (strcmp(r->path, "/track") == 0 || strcmp(r->path, "/") == 0)
        web_track(w, r, out);
    else if (strcmp(r->path, "/track.css") == 0)
        web_track_css(w, r, out);
    else if (strcmp(r->path, "/kakao/skill") == 0)
        web_kakao(w, r, out);
    else if (strcmp(r->path, "/staff") == 0 || strncmp(r->path, "/staff/", 7) == 0)
        web_staff(w, r, r->path + 6, out);
    else if (strcmp(r->path, "/staff.css") == 0)
        web_staff_css(w, r, out);
    else
        web_reply_text(out, MHD_HTTP_NOT_FOUND, "Not found.");
}

/* Open311 refuses a field with a control character in its own error format; everyone else
 * here in plain text. */
static void route_checked(web_ctx *w, const web_request *r, web_reply *out)
{
    if (r->bad_field && strncmp(r->path, "/open311/", 9) != 0) {
        char text[160];
        snprintf(text, sizeof text, "The field '%.64s' holds a control character.", r->bad_field);
        web_reply_text(out, MHD_HTTP_BAD_REQUEST, text);
        return;
    }
    route(w, r, out);
}

static enum MHD_Result answer(web_ctx *w, struct MHD_Connection *c, const char *url,
                              const char *method, request_state *st)
{
    if (st->too_big)
        return send_text(c, MHD_HTTP_CONTENT_TOO_LARGE, "Request body too large.");
    web_request r = {.method = method,
                     .path = url,
                     .body = strbuf_str(&st->body),
                     .body_len = st->body.len,
                     .args = json_object(),
                     .form_ok = true,
                     .content_type = header(c, MHD_HTTP_HEADER_CONTENT_TYPE),
                     .accept_lang = header(c, MHD_HTTP_HEADER_ACCEPT_LANGUAGE),
                     .host = header(c, MHD_HTTP_HEADER_HOST),
                     .session = cookie(c, WEB_SESSION_COOKIE),
                     .presession = cookie(c, WEB_PRESESSION_COOKIE)};
    if (!r.args || st->body.failed)
        return send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "Out of memory.");
    client_address(c, w->cfg.web.trusted_proxies, r.client);
    server_address(c, r.server);
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, add_arg, r.args);
    if (strcmp(method, "POST") == 0 && is_form(r.content_type))
        r.form_ok = parse_form(c, st, r.args);
    r.bad_field = control_field(r.args);
    web_reply reply = {.status = MHD_HTTP_OK};
    strbuf_init(&reply.body);
    route_checked(w, &r, &reply);
    enum MHD_Result rc = reply.body.failed
                             ? send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "Out of memory.")
                             : send_reply(c, &reply);
    strbuf_free(&reply.body);
    json_decref(r.args);
    return rc;
}

/* A body announced bigger than the limit is refused before a byte of it is read. */
static bool announced_too_big(struct MHD_Connection *c)
{
    const char *length =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return length && strtoull(length, NULL, 10) > WEB_MAX_BODY;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    request_state *st = *con_cls;
    if (!st) {
        if (announced_too_big(c))
            return send_text(c, MHD_HTTP_CONTENT_TOO_LARGE, "Request body too large.");
        st = calloc(1, sizeof *st);
        if (!st)
            return MHD_NO;
        strbuf_init(&st->body);
        *con_cls = st;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (st->body.len + *upload_data_size > WEB_MAX_BODY)
            st->too_big = true; /* the rest is read and dropped, then 413 */
        else
            strbuf_append(&st->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return answer(cls, c, url, method, st);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    request_state *st = *con_cls;
    if (st) {
        strbuf_free(&st->body);
        free(st);
    }
    *con_cls = NULL;
}

/* ---- starting and stopping ---- */

static sd_code parse_listen(const char *listen, struct sockaddr_in *out)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return SD_ERR_INVALID;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end;
    unsigned long port = strtoul(colon + 1, &end, 10);
    memset(out, 0, sizeof *out);
    out->sin_family = AF_INET;
    out->sin_port = htons((uint16_t)port);
    if (*end || end == colon + 1 || port > 65535 || inet_pton(AF_INET, host, &out->sin_addr) != 1)
        return SD_ERR_INVALID;
    return SD_OK;
}

static sd_code make_context(web_ctx *w, engine *e, const config *cfg)
{
    w->e = e;
    w->cfg = *cfg;
    if (sodium_init() < 0)
        return SD_ERR_NOMEM;
    sd_code rc = ratelimit_new(cfg->web.track_per_minute, &w->track);
    if (rc == SD_OK)
        rc = ratelimit_new(cfg->web.filing_per_minute, &w->filing);
    if (rc == SD_OK)
        rc = ratelimit_new(cfg->web.kakao_per_minute, &w->kakao);
    if (rc == SD_OK)
        rc = kakao_sessions_new(e, &w->sessions);
    if (rc == SD_OK)
        rc = ratelimit_new(cfg->web.signin_failures, &w->signin);
    if (rc == SD_OK)
        rc = web_sessions_new(engine_store(e), &w->staff);
    if (rc == SD_OK)
        rc = web_signin_prepare(w);
    return rc;
}

static void free_context(web_ctx *w)
{
    ratelimit_free(w->track);
    ratelimit_free(w->filing);
    ratelimit_free(w->kakao);
    kakao_sessions_free(w->sessions);
    ratelimit_free(w->signin);
    web_sessions_free(w->staff);
}

sd_code web_start(engine *e, const config *cfg, const char *listen, web_server **out, char *err,
                  size_t errlen)
{
    *out = NULL;
    struct sockaddr_in addr;
    if (parse_listen(listen, &addr) != SD_OK) {
        snprintf(err, errlen, "cannot listen on '%s': give ADDR:PORT, e.g. 127.0.0.1:8080", listen);
        return SD_ERR_INVALID;
    }
    web_server *w = calloc(1, sizeof *w);
    sd_code rc = w ? make_context(&w->ctx, e, cfg) : SD_ERR_NOMEM;
    /* A read connection per server thread: look-ups on two threads do not queue for one lock. */
    if (rc == SD_OK)
        rc = store_add_readers(engine_store(e), cfg->web.threads, err, errlen);
    if (rc == SD_OK) {
        w->daemon =
            MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0,
                             NULL, NULL, on_request, &w->ctx, MHD_OPTION_SOCK_ADDR,
                             (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
                             (unsigned)cfg->web.threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                             (size_t)WEB_HEADER_MEMORY, MHD_OPTION_CONNECTION_TIMEOUT,
                             (unsigned)cfg->web.idle_timeout_s, MHD_OPTION_CONNECTION_LIMIT,
                             (unsigned)WEB_MAX_CONNECTIONS, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
                             MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
        rc = w->daemon ? SD_OK : SD_ERR_NET;
        if (rc != SD_OK)
            snprintf(err, errlen, "cannot listen on %s (address in use or not ours?)", listen);
    }
    if (rc != SD_OK) {
        web_stop(w);
        return rc;
    }
    *out = w;
    return SD_OK;
}

unsigned web_port(const web_server *w)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

void web_stop(web_server *w)
{
    if (!w)
        return;
    if (w->daemon)
        MHD_stop_daemon(w->daemon);
    free_context(&w->ctx);
    free(w);
}

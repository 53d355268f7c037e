/* web_internal.h - what the files of the web front share: one request as the handlers see it,
 * one reply as they fill it in, and the server's context (engine, settings, rate limits, Kakao
 * sessions). web.c speaks HTTP through libmicrohttpd and calls one handler per path:
 * web_open311.c, web_track.c, web_kakao.c. Handlers never see libmicrohttpd. */
#ifndef SEODONG_WEB_INTERNAL_H
#define SEODONG_WEB_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "config.h"
#include "engine.h"
#include "strbuf.h"
#include "web.h"
#include "web_limit.h"

/* Largest request body accepted; a bigger one gets 413 and is never read into memory. */
#define WEB_MAX_BODY (64 * 1024)

typedef struct kakao_sessions kakao_sessions;

typedef struct {
    engine *e;
    config cfg;
    ratelimit *track;  /* tracking look-ups per address (guessing digits) */
    ratelimit *filing; /* Open311 filings per address */
    ratelimit *kakao;  /* Kakao skill calls per address */
    kakao_sessions *sessions;
} web_ctx;

typedef struct {
    const char *method; /* "GET", "POST", ... */
    const char *path;   /* without the query string */
    const char *body;   /* raw body, NUL-terminated ("" when none) */
    size_t body_len;
    json_t *args;             /* query and form fields: an object of strings */
    bool form_ok;             /* false when a form body could not be parsed */
    const char *content_type; /* "" when absent */
    const char *accept_lang;  /* Accept-Language, "" when absent */
    char client[64];          /* the peer's address, for rate limits */
} web_request;

typedef struct {
    int status;
    const char *content_type;
    strbuf body;
    const char *allow; /* Allow header for 405 */
    const char *cache; /* Cache-Control, NULL = no-store */
} web_reply;

/* A field of the query or form, or NULL. */
const char *web_arg(const web_request *r, const char *name);
/* "en" when ?lang=en or Accept-Language prefers English, else "ko". */
const char *web_lang(const web_request *r);
/* Fills reply with a plain-text status page. */
void web_reply_text(web_reply *out, int status, const char *text);
/* 405 with the methods allowed. */
void web_reply_method(web_reply *out, const char *allow);

/* The handlers. path is what follows their prefix. */
void web_open311(web_ctx *w, const web_request *r, const char *path, web_reply *out);
void web_track(web_ctx *w, const web_request *r, web_reply *out);
void web_track_css(web_ctx *w, const web_request *r, web_reply *out);
void web_kakao(web_ctx *w, const web_request *r, web_reply *out);

/* Kakao sessions, one per Kakao user, kept across requests (web_kakao.c). */
sd_code kakao_sessions_new(engine *e, kakao_sessions **out);
void kakao_sessions_free(kakao_sessions *k);

#endif

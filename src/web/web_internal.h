/* web_internal.h - what the files of the web front share: one request as the handlers see it,
 * one reply as they fill it in, and the server's context (engine, settings, rate limits, Kakao
 * sessions). web.c speaks HTTP through libmicrohttpd and calls one handler per path:
 * web_open311.c, web_track.c, web_kakao.c, web_staff.c. Handlers never see libmicrohttpd. */
#ifndef SEODONG_WEB_INTERNAL_H
#define SEODONG_WEB_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "config.h"
#include "credentials.h"
#include "engine.h"
#include "strbuf.h"
#include "web.h"
#include "ratelimit.h"

/* Largest request body accepted; a bigger one gets 413 and is never read into memory. */
#define WEB_MAX_BODY (64 * 1024)

typedef struct kakao_sessions kakao_sessions;
typedef struct web_sessions web_sessions;

typedef struct {
    engine *e;
    config cfg;
    ratelimit *track;  /* tracking look-ups per address (guessing digits) */
    ratelimit *filing; /* Open311 filings per address */
    ratelimit *kakao;  /* Kakao skill calls per address */
    kakao_sessions *sessions;
    ratelimit *signin;                       /* failed staff sign-ins per address */
    web_sessions *staff;                     /* signed-in staff (web_auth.c) */
    char signin_dummy[CREDENTIALS_HASH_MAX]; /* an Argon2id hash unknown logins are checked against
                                              */
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
    const char *host;         /* Host, "" when absent */
    char client[64];          /* the peer's address, for rate limits */
    char server[80];          /* our address as the peer reached it, "127.0.0.1:8080" */
    const char *bad_field;    /* the first field holding a control character, or NULL */
    const char *session;      /* the staff session cookie, "" when absent */
    const char *presession;   /* the sign-in form's CSRF cookie, "" when absent */
} web_request;

typedef struct {
    int status;
    const char *content_type;
    strbuf body;
    const char *allow;    /* Allow header for 405 */
    const char *cache;    /* Cache-Control, NULL = no-store */
    char set_cookie[256]; /* a Set-Cookie header, "" for none */
    char location[256];   /* Location of a redirect, "" for none */
} web_reply;

/* True when s[0..n) holds a control character other than tab, line feed and carriage return
 * (C0, DEL, C1): text people write has none, and a NUL would cut it short. */
bool web_has_control(const char *s, size_t n);
/* A field of the query or form, or NULL. */
const char *web_arg(const web_request *r, const char *name);
/* "en" when ?lang=en or Accept-Language prefers English, else "ko". */
const char *web_lang(const web_request *r);
/* Fills reply with a plain-text status page. */
void web_reply_text(web_reply *out, int status, const char *text);
/* Appends text percent-encoded for a URL's query (every byte but letters, digits and -_.!~*'()). */
void web_url_escaped(strbuf *out, const char *text);
/* 405 with the methods allowed. */
void web_reply_method(web_reply *out, const char *allow);
/* A stylesheet for GET and HEAD (cached for an hour), 405 otherwise. */
void web_reply_stylesheet(const web_request *r, const char *css, web_reply *out);

/* The handlers. path is what follows their prefix. */
void web_open311(web_ctx *w, const web_request *r, const char *path, web_reply *out);
void web_track(web_ctx *w, const web_request *r, web_reply *out);
void web_track_css(web_ctx *w, const web_request *r, web_reply *out);
void web_kakao(web_ctx *w, const web_request *r, web_reply *out);
void web_staff(web_ctx *w, const web_request *r, const char *path, web_reply *out);
void web_staff_css(web_ctx *w, const web_request *r, web_reply *out);

/* Kakao sessions, one per Kakao user, kept across requests (web_kakao.c). */
sd_code kakao_sessions_new(engine *e, kakao_sessions **out);
void kakao_sessions_free(kakao_sessions *k);

/* ---- staff sign-in and sessions (web_auth.c) ---- */

/* Cookie of a signed-in member of staff, and of the sign-in form's CSRF token. */
#define WEB_SESSION_COOKIE "sd_session"
#define WEB_PRESESSION_COOKIE "sd_signin"
/* Session ids and CSRF tokens: 32 random bytes as hex. */
#define WEB_TOKEN_LEN 64

typedef struct {
    char login[64];
    char csrf[WEB_TOKEN_LEN + 1]; /* the token every form of this session carries */
} web_session;

/* The sessions kept in db (store_session.c). */
sd_code web_sessions_new(store *db, web_sessions **out);
void web_sessions_free(web_sessions *s);
/* Draws a fresh random token (hex). */
void web_token_new(char out[WEB_TOKEN_LEN + 1]);
/* Opens a new session for login at now; id gets its fresh id (never one the client sent, so a
 * session cannot be fixed in advance). Returns SD_OK or the store's error (id is then ""). */
sd_code web_session_start(web_sessions *s, const char *login, time_t now,
                          char id[WEB_TOKEN_LEN + 1]);
/* Finds the live session id and marks it used at now. Returns SD_OK, SD_ERR_NOT_FOUND
 * (unknown, ended, idle too long or too old) or the store's error. */
sd_code web_session_find(web_sessions *s, const char *id, time_t now, web_session *out);
/* Ends session id (unknown ids are ignored). */
void web_session_end(web_sessions *s, const char *id);
/* True when two tokens are equal, in constant time; false for any empty or malformed one. */
bool web_token_equal(const char *a, const char *b);

/* Makes the dummy hash an unknown login is checked against. Returns SD_OK or SD_ERR_NOMEM. */
sd_code web_signin_prepare(web_ctx *w);
/* Checks login's password at now for a client at address: SD_OK, SD_ERR_DENIED (an unknown
 * login, a wrong password, a member of staff no longer active, or a login or address locked
 * after repeated failures: all alike, in answer and in time) or SD_ERR_DB. */
sd_code web_signin(web_ctx *w, const char *login, const char *password, const char *address,
                   time_t now);

#endif

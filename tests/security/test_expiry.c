/* test_expiry.c - the promises about time that nothing tested: a Kakao conversation is dropped
 * after 10 minutes of silence, a staff session ends after 30 minutes unused or 12 hours in all,
 * and a login locked after five wrong passwords opens again after 15 minutes.
 *
 * The real web server (web_start on a free port of 127.0.0.1) is driven over HTTP with libcurl,
 * on an engine whose two clocks belong to the test: the wall clock (sessions, lock-outs) and the
 * monotonic clock (Kakao silence, engine_config.monotonic). Time moves only when the test moves
 * it, so each limit is checked a second before and a second after, without waiting. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "credentials.h"
#include "engine.h"
#include "strbuf.h"
#include "web.h"

static time_t wall = 1795563000; /* 2026-11-25 10:30 KST */
static time_t mono = 1000;

static time_t wall_clock(void *ctx)
{
    (void)ctx;
    return wall;
}

static time_t mono_clock(void *ctx)
{
    (void)ctx;
    return mono;
}

typedef struct {
    long status;
    strbuf body, headers;
} reply;

static size_t collect(char *data, size_t size, size_t n, void *sb)
{
    strbuf_append(sb, data, size * n);
    return size * n;
}

static char base[64];

/* One request; body NULL for a GET. The caller frees the reply's strbufs. */
static void http(const char *path, const char *body, const char *cookie, const char *type,
                 reply *out)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", base, path);
    strbuf_init(&out->body);
    strbuf_init(&out->headers);
    out->status = 0;
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    if (type) {
        char line[128];
        snprintf(line, sizeof line, "Content-Type: %s", type);
        h = curl_slist_append(h, line);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &out->headers);
    if (cookie)
        curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    CHECK(curl_easy_perform(c) == CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

static void reply_free(reply *r)
{
    strbuf_free(&r->body);
    strbuf_free(&r->headers);
}

/* The value of cookie name in the reply's Set-Cookie headers, into out (64 hex digits). */
static bool set_cookie(const reply *r, const char *name, char out[65])
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "Set-Cookie: %s=", name);
    const char *at = strstr(strbuf_str(&r->headers), pattern);
    out[0] = '\0';
    if (!at)
        return false;
    at += strlen(pattern);
    size_t n = strspn(at, "0123456789abcdef");
    if (n != 64)
        return false;
    memcpy(out, at, 64);
    out[64] = '\0';
    return true;
}

/* ---- Kakao ---- */

/* One utterance of user; returns the reply text (in buf). */
static const char *kakao(const char *user, const char *utterance, strbuf *buf)
{
    char body[1024];
    snprintf(body, sizeof body, "{\"userRequest\":{\"utterance\":\"%s\",\"user\":{\"id\":\"%s\"}}}",
             utterance, user);
    reply r;
    http("/kakao/skill", body, NULL, "application/json", &r);
    CHECK(r.status == 200);
    strbuf_clear(buf);
    strbuf_puts(buf, strbuf_str(&r.body));
    reply_free(&r);
    return strbuf_str(buf);
}

static void test_kakao_silence(void)
{
    strbuf text;
    strbuf_init(&text);
    /* 599 s of silence: the filing goes on where it was. */
    CHECK(strstr(kakao("expiry-a", "청라동 공원 앞에 불법 주차 신고할게요", &text), "청라동"));
    mono += 599;
    CHECK(strstr(kakao("expiry-a", "흰색 차가 인도를 막고 있어요 익명", &text),
                 "이대로 접수할까요?"));
    CHECK(strstr(strbuf_str(&text), "청라동"));
    /* 601 s: the session is gone, and with it what was said. */
    CHECK(strstr(kakao("expiry-b", "청라동 공원 앞에 불법 주차 신고할게요", &text), "청라동"));
    mono += 601;
    const char *after = kakao("expiry-b", "흰색 차가 인도를 막고 있어요 익명", &text);
    CHECK(!strstr(after, "이대로 접수할까요?"));
    CHECK(!strstr(after, "청라동"));
    /* Another user's session lived through the other's expiry only if it spoke in time. */
    strbuf_free(&text);
}

/* ---- staff sessions and lock-out ---- */

/* A sign-in attempt; returns the status and, on success, the session id in session. */
static long signin(const char *login, const char *password, char session[65])
{
    char pre[65], cookie[128], body[512];
    reply r;
    http("/staff", NULL, NULL, NULL, &r);
    CHECK(set_cookie(&r, "sd_signin", pre));
    reply_free(&r);
    snprintf(cookie, sizeof cookie, "sd_signin=%s", pre);
    snprintf(body, sizeof body, "csrf=%s&login=%s&password=%s", pre, login, password);
    http("/staff/signin", body, cookie, "application/x-www-form-urlencoded", &r);
    long status = r.status;
    if (session && !set_cookie(&r, "sd_session", session))
        session[0] = '\0';
    reply_free(&r);
    return status;
}

/* The status of the staff list for session: 200 while it lives, 303 (to sign in) after. */
static long list(const char *session)
{
    char cookie[128];
    snprintf(cookie, sizeof cookie, "sd_session=%s", session);
    reply r;
    http("/staff/list", NULL, cookie, NULL, &r);
    long status = r.status;
    reply_free(&r);
    return status;
}

static void test_staff_idle(void)
{
    char session[65];
    CHECK(signin("kim", "kim-password-1", session) == 303 && session[0]);
    CHECK(list(session) == 200);
    wall += 30 * 60 - 1; /* unused a second less than 30 minutes: alive, and used again */
    CHECK(list(session) == 200);
    wall += 30 * 60 - 1;
    CHECK(list(session) == 200);
    wall += 30 * 60 + 1; /* unused a second more than 30 minutes: ended */
    CHECK(list(session) == 303);
    wall += 1;
    CHECK(list(session) == 303); /* and it stays ended */
}

static void test_staff_twelve_hours(void)
{
    char session[65];
    CHECK(signin("kim", "kim-password-1", session) == 303 && session[0]);
    time_t start = wall;
    /* Used every 25 minutes: alive up to 12 hours after sign-in... */
    while (wall + 25 * 60 <= start + 12 * 3600) {
        wall += 25 * 60;
        CHECK(list(session) == 200);
    }
    wall = start + 12 * 3600;
    CHECK(list(session) == 200);
    wall = start + 12 * 3600 + 1; /* ...and not a second longer, though used a moment ago */
    CHECK(list(session) == 303);
}

static void test_lockout(void)
{
    for (int i = 0; i < 5; i++)
        CHECK(signin("lee", "not-the-password", NULL) == 403);
    time_t locked_at = wall;
    wall = locked_at + 15 * 60 - 1; /* the right password, a second before the lock ends */
    CHECK(signin("lee", "lee-password-1", NULL) == 403);
    wall = locked_at + 15 * 60;
    char session[65];
    CHECK(signin("lee", "lee-password-1", session) == 303 && session[0]);
    CHECK(list(session) == 200);
    /* The failures counted afresh after the lock: four more do not lock it again. */
    for (int i = 0; i < 4; i++)
        CHECK(signin("lee", "not-the-password", NULL) == 403);
    CHECK(signin("lee", "lee-password-1", NULL) == 303);
}

int main(void)
{
    char db[] = "/tmp/seodong-expiry-XXXXXX";
    int fd = mkstemp(db);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    engine_config cfg = {.db_path = db, .now = wall_clock, .monotonic = mono_clock};
    char err[512] = "";
    engine *e = NULL;
    CHECK(engine_open(&cfg, &e, err, sizeof err) == SD_OK);
    if (!e) {
        fprintf(stderr, "%s\n", err);
        CHECK_DONE();
    }
    store *s = engine_store(e);
    store_staff kim = {"kim", "김주차", "parking", "officer", true};
    store_staff lee = {"lee", "이과장", "parking", "head", true};
    CHECK(store_staff_put(s, &kim) == SD_OK && store_staff_put(s, &lee) == SD_OK);
    CHECK(credentials_password_set(s, "kim", "kim-password-1") == SD_OK);
    CHECK(credentials_password_set(s, "lee", "lee-password-1") == SD_OK);

    config settings;
    config_defaults(&settings);
    settings.web.threads = 2;
    settings.web.signin_failures = 1000;
    web_server *w = NULL;
    CHECK(web_start(e, &settings, "127.0.0.1:0", &w, err, sizeof err) == SD_OK);
    CHECK(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK);
    if (w) {
        snprintf(base, sizeof base, "http://127.0.0.1:%u", web_port(w));
        test_kakao_silence();
        test_staff_idle();
        test_staff_twelve_hours();
        test_lockout();
        web_stop(w);
    }
    curl_global_cleanup();
    engine_close(e);
    check_remove_db(db);
    CHECK_DONE();
}

/* web_kakao.c - the KakaoTalk channel: a skill of Kakao i Open Builder at POST /kakao/skill.
 *
 * The platform posts the user's words (userRequest.utterance) with a key stable per user and
 * bot (userRequest.user.id) and waits at most five seconds for an answer in its skill JSON:
 * version "2.0", one simpleText of at most 1,000 characters, and quick replies for the likely
 * next answers (네/아니요 before filing, the categories when one is asked for). A reply repeats
 * what people wrote only through the dialogue's pii_redact (session.c), so no phone number,
 * e-mail address or registration number reaches the platform; the rest is the office's own
 * text, whose phone numbers residents need. Control characters are refused with 400.
 *
 * Each Kakao user has their own dialogue session (session.h), kept in a hash map across
 * requests and dropped after SESSION_TIMEOUT of silence, counted on the engine's monotonic clock
 * (engine_monotonic: tests advance it instead of waiting). The map has one lock for finding an
 * entry; each entry has its own lock, so one user's turns run one at a time (a double tap
 * cannot interleave two turns) while different users run in parallel. An entry in use is never
 * dropped: users counts the requests holding it. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "reply.h"
#include "web_internal.h"

#define KAKAO_BUCKETS 1024
#define KAKAO_MAX_SESSIONS 50000
#define KAKAO_MAX_TEXT 1000  /* characters in one simpleText */
#define KAKAO_MAX_QUICK 10   /* quick replies the platform shows */
#define KAKAO_SWEEP_EVERY 60 /* seconds between sweeps of idle sessions */

typedef struct kakao_entry {
    struct kakao_entry *next;
    char *user;
    session *s;
    pthread_mutex_t turn;
    time_t last; /* monotonic seconds of the last request */
    int users;   /* requests holding the entry */
} kakao_entry;

struct kakao_sessions {
    pthread_mutex_t lock;
    engine *e;
    kakao_entry *buckets[KAKAO_BUCKETS];
    size_t count;
    time_t last_sweep;
};

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

sd_code kakao_sessions_new(engine *e, kakao_sessions **out)
{
    kakao_sessions *k = calloc(1, sizeof *k);
    *out = k;
    if (!k)
        return SD_ERR_NOMEM;
    pthread_mutex_init(&k->lock, NULL);
    k->e = e;
    k->last_sweep = engine_monotonic(e);
    return SD_OK;
}

static void entry_free(kakao_entry *x)
{
    session_free(x->s);
    pthread_mutex_destroy(&x->turn);
    free(x->user);
    free(x);
}

void kakao_sessions_free(kakao_sessions *k)
{
    if (!k)
        return;
    for (size_t b = 0; b < KAKAO_BUCKETS; b++)
        for (kakao_entry *x = k->buckets[b], *next; x; x = next) {
            next = x->next;
            entry_free(x);
        }
    pthread_mutex_destroy(&k->lock);
    free(k);
}

/* Drops sessions idle past SESSION_TIMEOUT. The caller holds the map's lock. */
static void sweep(kakao_sessions *k, time_t now)
{
    k->last_sweep = now;
    for (size_t b = 0; b < KAKAO_BUCKETS; b++)
        for (kakao_entry **pp = &k->buckets[b]; *pp;) {
            kakao_entry *x = *pp;
            if (x->users == 0 && now - x->last > SESSION_TIMEOUT) {
                *pp = x->next;
                entry_free(x);
                k->count--;
            } else {
                pp = &x->next;
            }
        }
}

static kakao_entry *entry_new(kakao_sessions *k, const char *user)
{
    kakao_entry *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->user = strdup(user);
    x->s = session_new(k->e, "kakao", NULL);
    pthread_mutex_init(&x->turn, NULL);
    if (!x->user || !x->s) {
        entry_free(x);
        return NULL;
    }
    return x;
}

/* The entry of user, made when missing, held (users + 1); NULL when out of memory or full. */
static kakao_entry *acquire(kakao_sessions *k, const char *user)
{
    time_t now = engine_monotonic(k->e);
    pthread_mutex_lock(&k->lock);
    if (now - k->last_sweep >= KAKAO_SWEEP_EVERY)
        sweep(k, now);
    kakao_entry **bucket = &k->buckets[hash(user) % KAKAO_BUCKETS], *x = *bucket;
    while (x && strcmp(x->user, user) != 0)
        x = x->next;
    /* An idle session past its time starts afresh, as if the sweep had dropped it. */
    if (x && x->users == 0 && now - x->last > SESSION_TIMEOUT) {
        session *fresh = session_new(k->e, "kakao", NULL);
        if (fresh) {
            session_free(x->s);
            x->s = fresh;
        }
    }
    if (!x && k->count < KAKAO_MAX_SESSIONS && (x = entry_new(k, user))) {
        x->next = *bucket;
        *bucket = x;
        k->count++;
    }
    if (x) {
        x->users++;
        x->last = now;
    }
    pthread_mutex_unlock(&k->lock);
    return x;
}

static void release(kakao_sessions *k, kakao_entry *x)
{
    pthread_mutex_lock(&k->lock);
    x->users--;
    x->last = engine_monotonic(k->e);
    pthread_mutex_unlock(&k->lock);
}

/* ---- the skill JSON ---- */

/* Cuts text to KAKAO_MAX_TEXT characters (UTF-8 sequences kept whole) and trailing newlines. */
static void fit_text(strbuf *text)
{
    size_t chars = 0, i = 0;
    while (i < text->len && chars < KAKAO_MAX_TEXT) {
        i++;
        while (i < text->len && ((unsigned char)text->data[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    while (i > 0 && text->data[i - 1] == '\n')
        i--;
    if (text->data) {
        text->len = i;
        text->data[i] = '\0';
    }
}

static void quick(json_t *list, const char *label)
{
    if (json_array_size(list) < KAKAO_MAX_QUICK)
        json_array_append_new(list, json_pack("{s:s,s:s,s:s}", "action", "message", "label", label,
                                              "messageText", label));
}

typedef struct {
    json_t *list;
    const char *lang;
} category_walk;

static sd_code add_category(void *ctx, const store_category *c)
{
    category_walk *cw = ctx;
    quick(cw->list, reply_category_name(cw->lang, c->code));
    return SD_OK;
}

/* The likely next answers for what the session waits for. */
static json_t *quick_replies(engine *e, session_expectation next, const char *lang)
{
    bool en = strcmp(lang, "en") == 0;
    json_t *list = json_array();
    if (next == SESSION_EXPECTS_YES_NO) {
        quick(list, en ? "Yes" : "네");
        quick(list, en ? "No" : "아니요");
    } else if (next == SESSION_EXPECTS_CATEGORY) {
        category_walk cw = {list, lang};
        store_category_each(engine_store(e), add_category, &cw);
    } else if (next == SESSION_EXPECTS_PHONE || next == SESSION_EXPECTS_DETAIL) {
        quick(list, en ? "Anonymous" : "익명");
    }
    return list;
}

static void send_json(web_reply *out, int status, json_t *doc)
{
    out->status = status;
    out->content_type = "application/json; charset=utf-8";
    char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (text)
        strbuf_puts(&out->body, text);
    else
        out->body.failed = true;
    free(text);
    json_decref(doc);
}

static json_t *skill_answer(const char *text, json_t *quick_list)
{
    json_t *template = json_pack("{s:[{s:{s:s}}]}", "outputs", "simpleText", "text", text);
    if (template && json_array_size(quick_list))
        json_object_set(template, "quickReplies", quick_list);
    json_decref(quick_list);
    return json_pack("{s:s,s:o*}", "version", "2.0", "template", template);
}

/* Runs one turn of the user's session and answers in skill JSON. */
static void turn(web_ctx *w, const char *user, const char *utterance, web_reply *out)
{
    kakao_entry *x = acquire(w->sessions, user);
    if (!x) {
        web_reply_text(out, 503, "Too many conversations; try again later.");
        return;
    }
    strbuf reply;
    strbuf_init(&reply);
    pthread_mutex_lock(&x->turn);
    session_turn(x->s, utterance, strlen(utterance), &reply);
    session_expectation next = session_expects(x->s);
    char lang[4];
    snprintf(lang, sizeof lang, "%s", session_lang(x->s));
    pthread_mutex_unlock(&x->turn);
    release(w->sessions, x);
    fit_text(&reply);
    send_json(out, 200, skill_answer(strbuf_str(&reply), quick_replies(w->e, next, lang)));
    strbuf_free(&reply);
}

void web_kakao(web_ctx *w, const web_request *r, web_reply *out)
{
    if (strcmp(r->method, "POST") != 0) {
        web_reply_method(out, "POST");
        return;
    }
    if (!ratelimit_allow(w->kakao, r->client, time(NULL))) {
        web_reply_text(out, 429, "Too many requests.");
        return;
    }
    json_error_t error;
    json_t *body = json_loadb(r->body, r->body_len, 0, &error);
    const char *utterance = NULL, *user = NULL;
    const char *why = NULL;
    if (json_unpack(body, "{s:{s:s,s:{s:s}}}", "userRequest", "utterance", &utterance, "user", "id",
                    &user) != 0 ||
        !*user)
        why = "expected Kakao skill JSON with userRequest.utterance and userRequest.user.id";
    else if (web_has_control(utterance, strlen(utterance)) || web_has_control(user, strlen(user)))
        why = "userRequest.utterance and userRequest.user.id hold no control characters";
    if (why) {
        json_decref(body);
        send_json(out, 400, json_pack("{s:s,s:s}", "error", "bad_request", "message", why));
        return;
    }
    turn(w, user, utterance, out);
    json_decref(body);
}

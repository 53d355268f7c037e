/* web_auth.c - who may use the staff dashboard: passwords, sign-in with lock-out, and sessions.
 *
 * Passwords are hashed and checked by credentials.c (Argon2id). A login is locked for SIGNIN_LOCK_S
 * after SIGNIN_MAX_FAILURES failures in a row (kept in the store, so it survives restarts), and an
 * address after [web] signin_failures failures within a minute (kept in memory, ratelimit.c).
 *
 * A failed sign-in tells nothing about the login: unknown, wrong password, locked and no longer
 * on the staff all get SD_ERR_DENIED, and all take one Argon2id verification (an unknown login
 * is checked against a dummy hash of the same cost, made at start) and one write to the store
 * (store_staff_signin counts every failure). Only a locked address is refused at once: that
 * says nothing about any login, and costs an attacker's flood no hashing.
 *
 * Sessions live in memory: a small table of random ids, each with its login and its CSRF
 * token, ended by sign-out, SESSION_IDLE_S without use or SESSION_MAX_S after sign-in. A
 * restart signs everyone out, which is acceptable for an office dashboard and keeps session ids
 * out of the database. Ids are compared in constant time. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credentials.h"
#include "web_internal.h"

#define SIGNIN_MAX_FAILURES 5
#define SIGNIN_LOCK_S (15 * 60)
#define SESSION_SLOTS 256
#define SESSION_IDLE_S (30 * 60)
#define SESSION_MAX_S (12 * 3600)

typedef struct {
    char id[WEB_TOKEN_LEN + 1]; /* "" when the slot is free */
    web_session s;
    time_t started, seen;
} session_slot;

struct web_sessions {
    pthread_mutex_t lock;
    session_slot slots[SESSION_SLOTS];
};

/* ---- sign-in ---- */

sd_code web_signin_prepare(web_ctx *w)
{
    return credentials_password_dummy(w->signin_dummy);
}

sd_code web_signin(web_ctx *w, const char *login, const char *password, const char *address,
                   time_t now)
{
    store *db = engine_store(w->e);
    if (ratelimit_over(w->signin, address, now))
        return SD_ERR_DENIED;
    store_staff_auth auth;
    store_staff member;
    sd_code rc = store_staff_auth_get(db, login, &auth);
    if (rc == SD_ERR_DB)
        return rc;
    bool known = rc == SD_OK && auth.hash[0];
    bool matches =
        credentials_password_matches(known ? auth.hash : w->signin_dummy, password) && known;
    bool ok = matches && auth.locked_until <= now && store_staff_get(db, login, &member) == SD_OK &&
              member.active;
    rc = store_staff_signin(db, login, ok, now, SIGNIN_MAX_FAILURES, SIGNIN_LOCK_S);
    if (!ok)
        ratelimit_allow(w->signin, address, now); /* counts this failure of the address */
    return rc == SD_ERR_DB ? rc : ok ? SD_OK : SD_ERR_DENIED;
}

/* ---- sessions ---- */

sd_code web_sessions_new(web_sessions **out)
{
    web_sessions *s = calloc(1, sizeof *s);
    *out = s;
    if (!s)
        return SD_ERR_NOMEM;
    pthread_mutex_init(&s->lock, NULL);
    return SD_OK;
}

void web_sessions_free(web_sessions *s)
{
    if (!s)
        return;
    pthread_mutex_destroy(&s->lock);
    sodium_memzero(s->slots, sizeof s->slots);
    free(s);
}

void web_token_new(char out[WEB_TOKEN_LEN + 1])
{
    unsigned char raw[WEB_TOKEN_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, WEB_TOKEN_LEN + 1, raw, sizeof raw);
}

bool web_token_equal(const char *a, const char *b)
{
    return strlen(a) == WEB_TOKEN_LEN && strlen(b) == WEB_TOKEN_LEN &&
           sodium_memcmp(a, b, WEB_TOKEN_LEN) == 0;
}

static bool expired(const session_slot *slot, time_t now)
{
    return now - slot->seen > SESSION_IDLE_S || now - slot->started > SESSION_MAX_S;
}

/* A free or expired slot, else the one unused longest (its session ends). */
static session_slot *free_slot(web_sessions *s, time_t now)
{
    session_slot *oldest = &s->slots[0];
    for (size_t i = 0; i < SESSION_SLOTS; i++) {
        session_slot *slot = &s->slots[i];
        if (!slot->id[0] || expired(slot, now))
            return slot;
        if (slot->seen < oldest->seen)
            oldest = slot;
    }
    return oldest;
}

sd_code web_session_start(web_sessions *s, const char *login, time_t now,
                          char id[WEB_TOKEN_LEN + 1])
{
    web_token_new(id);
    pthread_mutex_lock(&s->lock);
    session_slot *slot = free_slot(s, now);
    memcpy(slot->id, id, WEB_TOKEN_LEN + 1);
    snprintf(slot->s.login, sizeof slot->s.login, "%s", login);
    web_token_new(slot->s.csrf);
    slot->started = slot->seen = now;
    pthread_mutex_unlock(&s->lock);
    return SD_OK;
}

/* The live slot of id, or NULL. The caller holds the lock. */
static session_slot *find_locked(web_sessions *s, const char *id)
{
    for (size_t i = 0; i < SESSION_SLOTS; i++)
        if (s->slots[i].id[0] && web_token_equal(s->slots[i].id, id))
            return &s->slots[i];
    return NULL;
}

sd_code web_session_find(web_sessions *s, const char *id, time_t now, web_session *out)
{
    if (strlen(id) != WEB_TOKEN_LEN)
        return SD_ERR_NOT_FOUND;
    pthread_mutex_lock(&s->lock);
    session_slot *slot = find_locked(s, id);
    if (slot && expired(slot, now)) {
        sodium_memzero(slot, sizeof *slot);
        slot = NULL;
    }
    if (slot) {
        slot->seen = now;
        *out = slot->s;
    }
    pthread_mutex_unlock(&s->lock);
    return slot ? SD_OK : SD_ERR_NOT_FOUND;
}

void web_session_end(web_sessions *s, const char *id)
{
    if (strlen(id) != WEB_TOKEN_LEN)
        return;
    pthread_mutex_lock(&s->lock);
    session_slot *slot = find_locked(s, id);
    if (slot)
        sodium_memzero(slot, sizeof *slot);
    pthread_mutex_unlock(&s->lock);
}

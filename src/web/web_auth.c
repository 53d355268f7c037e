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
 * Sessions live in the store (store_session.c), so a restart of the web server signs nobody out
 * and every web server on one store knows every session: a random id, with its login and its
 * CSRF token, ended by sign-out, SESSION_IDLE_S without use or SESSION_MAX_S after sign-in, or
 * a new password. The store keeps only the SHA-256 of an id: a copy of the database, a backup
 * or a replica signs nobody in. An id has 256 random bits, so a plain hash is as hard to
 * reverse as the id is to guess; looking it up by its hash also gives away nothing about the
 * id through timing. A session costs each request of a signed-in clerk one statement. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credentials.h"
#include "web_internal.h"

#define SIGNIN_MAX_FAILURES 5
#define SIGNIN_LOCK_S (15 * 60)
#define SESSION_IDLE_S (30 * 60)
#define SESSION_MAX_S (12 * 3600)

struct web_sessions {
    store *db;
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

sd_code web_sessions_new(store *db, web_sessions **out)
{
    web_sessions *s = calloc(1, sizeof *s);
    *out = s;
    if (!s)
        return SD_ERR_NOMEM;
    s->db = db;
    return SD_OK;
}

void web_sessions_free(web_sessions *s)
{
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

/* What the store keeps of session id: its SHA-256 in hex. False for a malformed id. */
static bool id_hash(const char *id, char hash[crypto_hash_sha256_BYTES * 2 + 1])
{
    if (strlen(id) != WEB_TOKEN_LEN)
        return false;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)id, WEB_TOKEN_LEN);
    sodium_bin2hex(hash, crypto_hash_sha256_BYTES * 2 + 1, digest, sizeof digest);
    return true;
}

sd_code web_session_start(web_sessions *s, const char *login, time_t now,
                          char id[WEB_TOKEN_LEN + 1])
{
    store_staff_session row = {
        .created_at = now, .seen_at = now, .expires_at = now + SESSION_MAX_S};
    _Static_assert(sizeof row.id_hash == crypto_hash_sha256_BYTES * 2 + 1, "hash size");
    _Static_assert(sizeof row.csrf == WEB_TOKEN_LEN + 1, "token size");
    /* Sign-ins are rare: a good time to forget the sessions nobody ended. */
    store_staff_sessions_prune(s->db, now, now - SESSION_IDLE_S);
    web_token_new(id);
    id_hash(id, row.id_hash);
    snprintf(row.login, sizeof row.login, "%s", login);
    web_token_new(row.csrf);
    sd_code rc = store_staff_session_put(s->db, &row);
    sodium_memzero(&row, sizeof row);
    if (rc != SD_OK)
        sodium_memzero(id, WEB_TOKEN_LEN + 1);
    return rc;
}

sd_code web_session_find(web_sessions *s, const char *id, time_t now, web_session *out)
{
    store_staff_session row;
    char hash[sizeof row.id_hash];
    if (!id_hash(id, hash))
        return SD_ERR_NOT_FOUND;
    sd_code rc = store_staff_session_use(s->db, hash, now, now - SESSION_IDLE_S, &row);
    if (rc == SD_OK) {
        snprintf(out->login, sizeof out->login, "%s", row.login);
        memcpy(out->csrf, row.csrf, sizeof out->csrf);
    }
    sodium_memzero(&row, sizeof row);
    return rc;
}

void web_session_end(web_sessions *s, const char *id)
{
    char hash[crypto_hash_sha256_BYTES * 2 + 1];
    if (id_hash(id, hash))
        store_staff_session_end(s->db, hash);
}

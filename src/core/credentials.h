/* credentials.h - the office's secrets as the store keeps them: staff passwords (Argon2id
 * hashes) and Open311 API keys (random keys, of which only a hash is stored).
 *
 * Every front end and command that sets or checks one goes through here, so the web's sign-in
 * and `seodong staff passwd` hash the same way, and no front end needs another's code for it. */
#ifndef SEODONG_CREDENTIALS_H
#define SEODONG_CREDENTIALS_H

#include <stdbool.h>

#include "sd_error.h"
#include "store.h"

/* Shortest and longest password accepted for the staff dashboard. */
#define CREDENTIALS_PASSWORD_MIN 10
#define CREDENTIALS_PASSWORD_MIN_TEXT "10"
#define CREDENTIALS_PASSWORD_MAX 1024
/* Room for a password hash as a string (libsodium's crypto_pwhash_STRBYTES, checked). */
#define CREDENTIALS_HASH_MAX 128
/* Length of an API key as handed out: 64 hex digits (32 random bytes). */
#define CREDENTIALS_KEY_LEN 64

/* Sets the dashboard password of member of staff login (only the Argon2id hash is kept) and
 * ends the login's dashboard sessions. Returns SD_OK, SD_ERR_INVALID (shorter than
 * CREDENTIALS_PASSWORD_MIN or longer than CREDENTIALS_PASSWORD_MAX bytes), SD_ERR_NOT_FOUND (no
 * such member of staff), SD_ERR_NOMEM or SD_ERR_DB. */
sd_code credentials_password_set(store *s, const char *login, const char *password);

/* Writes the hash of a random password into out: what an unknown login is checked against, so
 * that it costs the same time as a known one. Returns SD_OK or SD_ERR_NOMEM. */
sd_code credentials_password_dummy(char out[CREDENTIALS_HASH_MAX]);

/* True when password is the one hash was made from (constant work for any wrong password). */
bool credentials_password_matches(const char *hash, const char *password);

/* Draws a new API key (key gets CREDENTIALS_KEY_LEN hex digits and a NUL) and its hash, the
 * only thing stored. Returns SD_OK or SD_ERR_NOMEM (libsodium unusable). */
sd_code credentials_apikey_new(char key[CREDENTIALS_KEY_LEN + 1],
                               unsigned char hash[STORE_KEY_HASH]);

/* The hash of a key as a client sends it. */
void credentials_apikey_hash(const char *key, unsigned char hash[STORE_KEY_HASH]);

#endif

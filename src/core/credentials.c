/* credentials.c - staff passwords and API keys (see credentials.h), through libsodium:
 * Argon2id at its interactive limits for passwords (salt and limits are part of the stored
 * string), BLAKE2b for API keys (random 256-bit keys need no slow hash). */
#include "credentials.h"

#include <sodium.h>
#include <string.h>

_Static_assert(CREDENTIALS_HASH_MAX >= crypto_pwhash_STRBYTES, "room for a hash string");

static sd_code hash_password(const char *password, size_t len, char out[CREDENTIALS_HASH_MAX])
{
    if (sodium_init() < 0)
        return SD_ERR_NOMEM;
    return crypto_pwhash_str(out, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? SD_OK
               : SD_ERR_NOMEM; /* libsodium's only failure: the memory it needs */
}

sd_code credentials_password_set(store *s, const char *login, const char *password)
{
    size_t len = strlen(password);
    if (len < CREDENTIALS_PASSWORD_MIN || len > CREDENTIALS_PASSWORD_MAX)
        return SD_ERR_INVALID;
    char hash[CREDENTIALS_HASH_MAX];
    sd_code rc = hash_password(password, len, hash);
    if (rc == SD_OK)
        rc = store_staff_password_set(s, login, hash);
    /* A new password is what a clerk sets after a lost laptop: it signs that login out
     * everywhere. */
    return rc == SD_OK ? store_staff_sessions_end(s, login) : rc;
}

sd_code credentials_password_dummy(char out[CREDENTIALS_HASH_MAX])
{
    if (sodium_init() < 0)
        return SD_ERR_NOMEM;
    unsigned char secret[32];
    char password[2 * sizeof secret + 1];
    randombytes_buf(secret, sizeof secret);
    sodium_bin2hex(password, sizeof password, secret, sizeof secret);
    return hash_password(password, strlen(password), out);
}

bool credentials_password_matches(const char *hash, const char *password)
{
    size_t len = strlen(password);
    return len <= CREDENTIALS_PASSWORD_MAX && crypto_pwhash_str_verify(hash, password, len) == 0;
}

void credentials_apikey_hash(const char *key, unsigned char hash[STORE_KEY_HASH])
{
    crypto_generichash(hash, STORE_KEY_HASH, (const unsigned char *)key, strlen(key), NULL, 0);
}

sd_code credentials_apikey_new(char key[CREDENTIALS_KEY_LEN + 1],
                               unsigned char hash[STORE_KEY_HASH])
{
    unsigned char raw[CREDENTIALS_KEY_LEN / 2];
    if (sodium_init() < 0)
        return SD_ERR_NOMEM;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(key, CREDENTIALS_KEY_LEN + 1, raw, sizeof raw);
    credentials_apikey_hash(key, hash);
    return SD_OK;
}

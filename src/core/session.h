/* session.h - one conversation with one resident: slot filling for a complaint, confirmation,
 * correction and cancel, status look-ups with their privacy check, and every other reply.
 *
 * A session belongs to one channel connection (a chat, a phone call, a Kakao user) and is used
 * by one thread at a time; sessions share nothing but their engine. */
#ifndef SEODONG_DIALOGUE_H
#define SEODONG_DIALOGUE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "sd_error.h"
#include "strbuf.h"

typedef struct session session;

/* Idle time after which a half-finished complaint is dropped, in seconds. */
#define SESSION_TIMEOUT (10 * 60)

/* A new session on engine e. channel names the front end ("text", "speaker", "phone",
 * "kakao") and is stored with complaints; fixed_lang is "ko", "en" or NULL to detect per line.
 * Returns NULL when out of memory. */
session *session_new(engine *e, const char *channel, const char *fixed_lang);
void session_free(session *s);

/* One turn: the resident said text; the reply (one or more lines, UTF-8) is appended to reply.
 * Returns SD_OK, or for input that cannot be understood at all SD_ERR_UTF8, SD_ERR_TOO_LONG or
 * SD_ERR_INVALID (empty) with a polite explanation in reply; the session goes on either way.
 * SD_ERR_DB or SD_ERR_BUSY when filing failed (reply says so; the draft is kept to retry). */
sd_code session_turn(session *s, const char *text, size_t len, strbuf *reply);

/* The resident left in the middle (end of input, hang-up): the reply says what was dropped,
 * if anything. Nothing half-written is ever stored. */
void session_end(session *s, strbuf *reply);

/* A contact number the channel already knows (a phone call's caller ID): every complaint of the
 * session starts with it, read back only by its last four digits, and the resident may still
 * change it or file anonymously. digits: 8 to 15 digits, a leading "+82" becoming "0". Returns
 * SD_OK or SD_ERR_INVALID (not a phone number; nothing changes). */
sd_code session_set_contact(session *s, const char *digits);

/* The language of the last turn ("ko" or "en"). */
const char *session_lang(const session *s);

/* The engine the session understands with. */
engine *session_engine(const session *s);

/* What the session waits for next: voice channels pick a recognition grammar by it (free
 * dictation for a complaint's detail, digits for a phone number, ...). */
typedef enum {
    SESSION_EXPECTS_ANYTHING,
    SESSION_EXPECTS_CATEGORY,
    SESSION_EXPECTS_PLACE,
    SESSION_EXPECTS_DETAIL,
    SESSION_EXPECTS_PHONE,
    SESSION_EXPECTS_YES_NO,
    SESSION_EXPECTS_RECEIPT,
    SESSION_EXPECTS_DIGITS,
} session_expectation;
session_expectation session_expects(const session *s);

/* The receipt number of the complaint the last turn filed, or NULL: voice channels keep the
 * recording of the filing under it. */
const char *session_filed(const session *s);

/* What the last turn understood (for traces and channel hints). */
const understanding *session_last(const session *s);

#endif

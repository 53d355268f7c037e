/* ivr_menu.h - what a phone call says and does, key by key, without any SIP or audio: the
 * greeting with the menu, DTMF choices, digits typed on the keypad, silence, and the caller's
 * words once recognised. All understanding goes through the call's own dialogue session (the
 * same engine and rules as the chat), so the menu only routes.
 *
 *   1  file a complaint (by voice; numbers the dialogue asks for may be typed, # ends)
 *   2  the status of a complaint: the receipt number typed on the keypad, # ends
 *   0  a person (the channel transfers the call)
 *   *  repeat what was said last (during digit entry: start the entry again)
 *
 * No input for a while and wrong keys count as failures: after two the caller is offered a
 * person, after four the call is ended politely. One menu belongs to one call and one thread. */
#ifndef SEODONG_IVR_MENU_H
#define SEODONG_IVR_MENU_H

#include <stdbool.h>

#include "session.h"
#include "engine.h"
#include "strbuf.h"

typedef struct ivr_menu ivr_menu;

typedef enum {
    IVR_CONTINUE, /* say what was written, then wait for the caller */
    IVR_TRANSFER, /* say it, then hand the call to a person */
    IVR_HANGUP,   /* say it, then end the call */
} ivr_action;

/* A menu for one call on engine e. lang is "ko" or "en"; caller is the caller ID (digits, may
 * be NULL or not a phone number, then unused). Returns SD_OK or SD_ERR_NOMEM. */
sd_code ivr_menu_new(engine *e, const char *lang, const char *caller, ivr_menu **out);
void ivr_menu_free(ivr_menu *m);

/* Each event appends what to say (written text, for voice_speech_text) to say and returns what
 * to do after saying it. */
ivr_action ivr_menu_start(ivr_menu *m, strbuf *say);
/* key is one of 0-9 * # A-D; anything else is ignored. */
ivr_action ivr_menu_key(ivr_menu *m, char key, strbuf *say);
ivr_action ivr_menu_no_input(ivr_menu *m, strbuf *say);
/* The caller's words as the recogniser heard them (voice.h's confidence policy applies). */
ivr_action ivr_menu_heard(ivr_menu *m, const char *text, double confidence, double seconds,
                          strbuf *say);

/* What the line can hear: no speech (keypad only: all recognisers busy), narrowband (G.711:
 * recognition is weaker, the keypad is offered after the first miss) or wideband (G.722; the
 * default). */
typedef enum { IVR_SPEECH_NONE, IVR_SPEECH_NARROW, IVR_SPEECH_WIDE } ivr_speech;
void ivr_menu_set_speech(ivr_menu *m, ivr_speech speech);

/* True when what was just said asks the caller to speak, on a line that hears speech: a
 * complaint's details, or the dialogue's next question while one is filed (the listening cue
 * follows it). The menu's choices and a receipt number are asked of the keypad first. */
bool ivr_menu_listening(const ivr_menu *m);
/* True while the caller is choosing from the menu, false while digits go into a number (a
 * receipt, the last digits of a phone number): what may be logged of a key. */
bool ivr_menu_choosing(const ivr_menu *m);
session *ivr_menu_session(ivr_menu *m);

/* For the call record: the intents asked for, in order, space-separated; how the call ended
 * from the menu's side ("" while going on; "transfer", "no_input", "goodbye"); the receipt of
 * a complaint filed during the call ("" if none). */
const char *ivr_menu_intents(const ivr_menu *m);
const char *ivr_menu_result(const ivr_menu *m);
const char *ivr_menu_receipt(const ivr_menu *m);

#endif

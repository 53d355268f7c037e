/* ivr_menu.c - the phone menu's state machine (see ivr_menu.h).
 *
 * Three states: MENU (the greeting's choices; speech is passed to the dialogue as in a chat),
 * RECEIPT (digits of a receipt number until #) and DIALOGUE (the session leads: a complaint
 * being filed, the last four digits of a phone number asked for). Whenever the session has
 * nothing more to ask, the call is back at the menu. Typed numbers reach the session as the
 * text a resident would have typed in the chat, so the dialogue's rules (privacy check,
 * corrections) apply unchanged. */
#include "ivr_menu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "entities.h"
#include "store.h"
#include "voice.h"

#define MAX_KEYS 24
#define OFFER_PERSON_AFTER 2 /* failures before a person is offered */
#define GIVE_UP_AFTER 4      /* failures before the call is ended */

typedef enum { ST_MENU, ST_RECEIPT, ST_DIALOGUE } menu_state;

typedef enum {
    P_GREETING,
    P_MENU,
    P_MENU_SPEAK,
    P_NO_SPEECH,
    P_USE_KEYS,
    P_COMPLAINT,
    P_RECEIPT,
    P_BAD_RECEIPT,
    P_BAD_KEY,
    P_NO_INPUT,
    P_OFFER_PERSON,
    P_TRANSFER,
    P_GOODBYE,
    P_KEYPAD_HINT,
    PROMPTS
} prompt;

static const char *const prompts[PROMPTS][2] = {
    [P_GREETING] = {"안녕하세요, %s 민원 안내 서동이입니다.",
                    "Hello, this is Seodong, the civic assistant of %s."},
    [P_MENU] = {"민원 접수는 1번, 접수하신 민원의 처리 상황은 2번, 상담원 연결은 0번, 다시 "
                "들으시려면 별표를 눌러 주세요.",
                "To file a complaint, press 1. For the status of a complaint, press 2. To speak "
                "to a person, press 0. To hear this again, press star."},
    [P_MENU_SPEAK] = {"궁금하신 것을 말씀하셔도 됩니다.", "You may also just ask your question."},
    [P_NO_SPEECH] = {"지금은 말씀으로 민원을 접수할 수 없습니다. 상담원 연결은 0번을 눌러 주세요.",
                     "Complaints by voice cannot be taken on this line just now. To speak to a "
                     "person, press 0."},
    [P_USE_KEYS] =
        {"버튼으로 고르셔도 됩니다. 민원 접수는 1번, 처리 상황은 2번, 상담원은 0번입니다.",
         "You can also use the keypad: 1 for a complaint, 2 for its status, 0 for a "
         "person."},
    [P_COMPLAINT] = {"어떤 불편인지 장소와 함께 말씀해 주세요. 예를 들면, 청라동 공원 앞 불법 "
                     "주차입니다.",
                     "Please tell me the problem and where it is, for example: illegal parking "
                     "in front of the park in Cheongna-dong."},
    [P_RECEIPT] = {"접수번호의 숫자 열 자리를 누르시고, 끝에 우물 정자를 눌러 주세요.",
                   "Please type the ten digits of the receipt number, then press the hash key."},
    [P_BAD_RECEIPT] = {"접수번호는 연도 네 자리와 번호 여섯 자리, 모두 열 자리입니다.",
                       "A receipt number has ten digits: the year, then six more."},
    [P_BAD_KEY] = {"메뉴에 없는 번호입니다.", "That key is not in the menu."},
    [P_NO_INPUT] = {"입력이 없으셨습니다.", "I did not hear anything."},
    [P_OFFER_PERSON] = {"상담원과 통화하시려면 0번을 눌러 주세요.",
                        "To speak to a person, press 0."},
    [P_TRANSFER] = {"상담원에게 연결해 드리겠습니다. 잠시만 기다려 주세요.",
                    "I will put you through to a person. Please hold."},
    [P_GOODBYE] = {"전화해 주셔서 감사합니다. 안녕히 계세요.", "Thank you for calling. Goodbye."},
    [P_KEYPAD_HINT] = {"번호는 버튼으로 누르시고 끝에 우물 정자를 눌러 주셔도 됩니다.",
                       "You may also type the number and press the hash key."},
};

struct ivr_menu {
    engine *e;
    session *s;
    char lang[4];
    menu_state state;
    ivr_speech speech;
    char keys[MAX_KEYS + 1];
    size_t nkeys;
    int failures;
    strbuf last; /* what was said last, for * */
    strbuf intents;
    char last_intent[32];
    char result[16];
    char receipt[32];
};

sd_code ivr_menu_new(engine *e, const char *lang, const char *caller, ivr_menu **out)
{
    ivr_menu *m = calloc(1, sizeof *m);
    if (!m)
        return SD_ERR_NOMEM;
    m->e = e;
    snprintf(m->lang, sizeof m->lang, "%s", strcmp(lang, "en") == 0 ? "en" : "ko");
    m->s = session_new(e, "phone", m->lang);
    if (!m->s) {
        free(m);
        return SD_ERR_NOMEM;
    }
    /* A withheld or non-numeric caller ID simply leaves no contact prefilled. */
    if (caller)
        session_set_contact(m->s, caller);
    strbuf_init(&m->last);
    strbuf_init(&m->intents);
    m->speech = IVR_SPEECH_WIDE;
    *out = m;
    return SD_OK;
}

void ivr_menu_free(ivr_menu *m)
{
    if (!m)
        return;
    session_free(m->s);
    strbuf_free(&m->last);
    strbuf_free(&m->intents);
    free(m);
}

static void say(ivr_menu *m, strbuf *out, prompt p)
{
    if (out->len)
        strbuf_puts(out, " ");
    strbuf_puts(out, prompts[p][strcmp(m->lang, "en") == 0]);
}

/* Remembers what this event said, for *, and hands back the action. */
static ivr_action done(ivr_menu *m, strbuf *out, ivr_action a)
{
    strbuf_clear(&m->last);
    strbuf_puts(&m->last, strbuf_str(out));
    return a;
}

static void note_intent(ivr_menu *m, const char *intent)
{
    if (!intent[0] || strcmp(intent, m->last_intent) == 0)
        return;
    snprintf(m->last_intent, sizeof m->last_intent, "%s", intent);
    if (m->intents.len)
        strbuf_puts(&m->intents, " ");
    strbuf_puts(&m->intents, intent);
}

static void menu_prompt(ivr_menu *m, strbuf *out)
{
    m->state = ST_MENU;
    m->nkeys = 0;
    say(m, out, P_MENU);
    if (m->speech != IVR_SPEECH_NONE)
        say(m, out, P_MENU_SPEAK);
    if (m->failures >= OFFER_PERSON_AFTER)
        say(m, out, P_OFFER_PERSON);
}

ivr_action ivr_menu_start(ivr_menu *m, strbuf *out)
{
    char greeting[512];
    snprintf(greeting, sizeof greeting, prompts[P_GREETING][strcmp(m->lang, "en") == 0],
             engine_settings(m->e)->office_name);
    strbuf_puts(out, greeting);
    menu_prompt(m, out);
    return done(m, out, IVR_CONTINUE);
}

static ivr_action transfer(ivr_menu *m, strbuf *out)
{
    note_intent(m, "human");
    snprintf(m->result, sizeof m->result, "transfer");
    say(m, out, P_TRANSFER);
    return done(m, out, IVR_TRANSFER);
}

static ivr_action failure(ivr_menu *m, strbuf *out, prompt why)
{
    say(m, out, why);
    if (++m->failures >= GIVE_UP_AFTER) {
        snprintf(m->result, sizeof m->result, "no_input");
        say(m, out, P_GOODBYE);
        return done(m, out, IVR_HANGUP);
    }
    if (m->state == ST_MENU) {
        menu_prompt(m, out);
    } else {
        strbuf_puts(out, " ");
        strbuf_puts(out, strbuf_str(&m->last));
        if (m->failures >= OFFER_PERSON_AFTER)
            say(m, out, P_OFFER_PERSON);
    }
    /* A reprompt is not itself what * repeats: keep the question asked before. */
    return IVR_CONTINUE;
}

static bool wants_number(const ivr_menu *m)
{
    session_expectation x = session_expects(m->s);
    return x == SESSION_EXPECTS_PHONE || x == SESSION_EXPECTS_DIGITS ||
           x == SESSION_EXPECTS_RECEIPT;
}

/* After the session replied: keep following it while it asks something, else the menu. A
 * typed number answers the session's question: its own intent (none) is not worth noting. */
static ivr_action after_turn(ivr_menu *m, strbuf *out, bool typed)
{
    if (!typed)
        note_intent(m, session_last(m->s)->intent);
    const char *filed = session_filed(m->s);
    if (filed) {
        snprintf(m->receipt, sizeof m->receipt, "%s", filed);
        snprintf(m->result, sizeof m->result, "filed");
    }
    m->nkeys = 0;
    if (strcmp(session_last(m->s)->intent, "goodbye") == 0) {
        snprintf(m->result, sizeof m->result, "goodbye");
        return done(m, out, IVR_HANGUP);
    }
    if (session_expects(m->s) == SESSION_EXPECTS_ANYTHING) {
        menu_prompt(m, out);
    } else {
        m->state = ST_DIALOGUE;
        if (wants_number(m))
            say(m, out, P_KEYPAD_HINT);
    }
    return done(m, out, IVR_CONTINUE);
}

/* Typed digits (or a receipt built from them), given to the session as a chat line. */
static ivr_action typed_turn(ivr_menu *m, const char *text, strbuf *out)
{
    m->failures = 0;
    session_turn(m->s, text, strlen(text), out);
    return after_turn(m, out, true);
}

/* The receipt typed: ten digits (year and serial), or up to six (a serial of this year). */
static ivr_action submit_receipt(ivr_menu *m, strbuf *out)
{
    char receipt[ENTITY_MAX];
    struct tm now;
    calendar_kst(engine_now(m->e), &now);
    int year = now.tm_year + 1900;
    long serial = -1;
    if (m->nkeys == 10) {
        year = (int)strtol((char[5]){m->keys[0], m->keys[1], m->keys[2], m->keys[3], 0}, NULL, 10);
        serial = strtol(m->keys + 4, NULL, 10);
    } else if (m->nkeys >= 1 && m->nkeys <= 6) {
        serial = strtol(m->keys, NULL, 10);
    }
    if (serial <= 0) {
        m->nkeys = 0;
        return failure(m, out, P_BAD_RECEIPT);
    }
    store_format_receipt(receipt, year, serial);
    note_intent(m, "complaint.status");
    char text[ENTITY_MAX + 32];
    snprintf(text, sizeof text, "%s %s", receipt,
             strcmp(m->lang, "en") == 0 ? "status" : "처리 현황");
    return typed_turn(m, text, out);
}

static ivr_action menu_key(ivr_menu *m, char key, strbuf *out)
{
    switch (key) {
    case '1':
        if (m->speech == IVR_SPEECH_NONE) {
            say(m, out, P_NO_SPEECH);
            return done(m, out, IVR_CONTINUE);
        }
        m->failures = 0;
        note_intent(m, "complaint.file");
        m->state = ST_DIALOGUE;
        say(m, out, P_COMPLAINT);
        return done(m, out, IVR_CONTINUE);
    case '2':
        m->failures = 0;
        m->state = ST_RECEIPT;
        m->nkeys = 0;
        say(m, out, P_RECEIPT);
        return done(m, out, IVR_CONTINUE);
    case '0':
        return transfer(m, out);
    default:
        return failure(m, out, P_BAD_KEY);
    }
}

/* Digits typed while the session leads: collected until #, then given as typed text. */
static ivr_action entry_key(ivr_menu *m, char key, strbuf *out)
{
    if (key == '#' && m->nkeys)
        return m->state == ST_RECEIPT ? submit_receipt(m, out) : typed_turn(m, m->keys, out);
    if (key == '*') {
        m->nkeys = 0;
        strbuf_puts(out, strbuf_str(&m->last));
        return IVR_CONTINUE;
    }
    if (m->state == ST_DIALOGUE && !wants_number(m) && key == '0' && !m->nkeys)
        return transfer(m, out);
    if (key >= '0' && key <= '9' && m->nkeys < MAX_KEYS) {
        m->keys[m->nkeys++] = key;
        m->keys[m->nkeys] = '\0';
    }
    return IVR_CONTINUE;
}

ivr_action ivr_menu_key(ivr_menu *m, char key, strbuf *out)
{
    if (!strchr("0123456789*#ABCD", key) || key == '\0')
        return IVR_CONTINUE;
    if (m->state != ST_MENU)
        return entry_key(m, key, out);
    if (key == '*') {
        strbuf_puts(out, strbuf_str(&m->last));
        return IVR_CONTINUE;
    }
    return menu_key(m, key, out);
}

ivr_action ivr_menu_no_input(ivr_menu *m, strbuf *out)
{
    if (m->state != ST_MENU && m->nkeys)
        /* Digits typed without #: take them as they are rather than make the caller start
         * again. */
        return entry_key(m, '#', out);
    return failure(m, out, P_NO_INPUT);
}

/* After speech was not understood: the keypad, sooner on narrowband lines where recognition is
 * weaker, then a person. */
static void offer_keys(ivr_menu *m, strbuf *out, int failures)
{
    if (failures >= (m->speech == IVR_SPEECH_NARROW ? 1 : OFFER_PERSON_AFTER))
        say(m, out,
            m->state == ST_MENU ? P_USE_KEYS
            : wants_number(m)   ? P_KEYPAD_HINT
                                : P_OFFER_PERSON);
    if (failures >= OFFER_PERSON_AFTER && (m->state == ST_MENU || wants_number(m)))
        say(m, out, P_OFFER_PERSON);
}

ivr_action ivr_menu_heard(ivr_menu *m, const char *text, double confidence, double seconds,
                          strbuf *out)
{
    if (m->state == ST_RECEIPT)
        m->state = ST_MENU; /* speaking instead of typing: the dialogue takes it from here */
    sd_code rc = SD_OK;
    voice_outcome v = voice_turn(m->s, text, confidence, seconds, m->lang, out, &rc);
    if (v == VOICE_ASK_AGAIN) {
        offer_keys(m, out, ++m->failures);
        return IVR_CONTINUE;
    }
    m->failures = 0;
    return after_turn(m, out, false);
}

void ivr_menu_set_speech(ivr_menu *m, ivr_speech speech)
{
    m->speech = speech;
}

bool ivr_menu_choosing(const ivr_menu *m)
{
    return m->state == ST_MENU;
}

bool ivr_menu_listening(const ivr_menu *m)
{
    return m->state == ST_DIALOGUE && m->speech != IVR_SPEECH_NONE;
}

session *ivr_menu_session(ivr_menu *m)
{
    return m->s;
}

const char *ivr_menu_intents(const ivr_menu *m)
{
    return strbuf_str(&m->intents);
}

const char *ivr_menu_result(const ivr_menu *m)
{
    return m->result;
}

const char *ivr_menu_receipt(const ivr_menu *m)
{
    return m->receipt;
}

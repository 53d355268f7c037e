/* session.c - the dialogue manager: one state machine per session.
 *
 * Filing asks only for what is missing, in this order: category, place, a short detail (with
 * the optional phone number in the same question), then reads a summary back and files on
 * "yes". A first sentence that already holds category and place is filed on the third turn.
 * At the summary the resident may correct any slot by just saying it ("아니 가정동이요"), and
 * "cancel" works at every step. A short question of another kind (the time, help, a person)
 * is answered in the middle of filing, and the pending question asked again.
 *
 * A resident at the box (the speaker, a text kiosk) may give the place as "here" ("여기 앞
 * 가로등이 나갔어요"): when the box has a site ([device] site) it is offered ("가정1동 행정복지센터
 * 앞 맞으세요?") and taken only on "yes", as "<site> 앞"; without a site, or over the phone or
 * a chat, "here" is no place and the resident is asked where. Every filing records the site.
 *
 * Status look-ups show a complaint's timeline to the session that filed it, or to anyone who
 * gives the last four digits of the phone number left at filing; anonymous complaints hold no
 * personal data and are shown on the receipt number alone. Wrong digits are counted for the
 * whole session, across receipts and however often a receipt is asked again: after the third
 * the session checks no more digits (a chat, a Kakao conversation and a phone call are each one
 * session), and the reply says where the filer can ask instead.
 *
 * Replies go out on shared screens, community-centre speakers, phone lines and a third-party
 * chat platform, so whatever people wrote that a reply repeats (a place in their own words,
 * the detail, an officer's notes and answer) goes through pii_redact first; the contact number
 * is read back by its last four digits only. */
#include "session.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pii.h"
#include "reply.h"

#define MAX_OWNED 16
#define MAX_DIGIT_TRIES 3
#define INTERRUPT_SURE 0.85
#define DIALOG_SURE 0.6
#define DIALOG_LIKELY 0.3 /* enough when the question asked expects exactly that answer */
#define MAX_CONTACT_ASKS 2
#define DETAIL_MIN_KO 10 /* letters outside slots that make a first sentence its own detail */
#define DETAIL_MIN_EN 24
#define PLACE_MAX_WORDS 120 /* bytes of a place no table knows */

typedef enum {
    IDLE,
    ASK_CATEGORY,
    ASK_PLACE,
    CONFIRM_SITE, /* "is it outside <site>?" */
    ASK_DETAIL,
    ASK_CONTACT,
    CONFIRM,
    ASK_RECEIPT,
    ASK_DIGITS,
} dialog_state;

typedef struct {
    char category[NLU_VALUE_MAX];
    char place[NLU_VALUE_MAX];
    char detail[1024];
    char phone[32];
    char department[32]; /* the understanding's guess, "" for the category's own */
    bool here;           /* the place was given as "here": the site is to be offered */
    bool anonymous;
    bool public; /* the resident let other residents see it (never their name or number) */
} draft;

struct session {
    engine *e;
    char channel[16];
    char fixed_lang[4];
    char lang[4];
    dialog_state state;
    draft d;
    char pending_receipt[32];
    char known_phone[32]; /* the channel's caller ID, "" when none */
    int digit_tries;      /* wrong last-four-digit answers in this session, for any receipt */
    int contact_asks;
    time_t last_turn;
    char owned[MAX_OWNED][32]; /* receipts filed in this session */
    size_t nowned;
    char filed_now[32]; /* receipt filed by the last turn, "" if none */
    understanding last;
    /* The last turn's words as a complaint's detail, without the contact talk (see "contact
     * talk" below), and whether they asked to stay anonymous. */
    char heard_detail[1024];
    bool heard_anonymous;
    /* The place "here" stands for at this box ("가정1동 행정복지센터 앞") and how English names
     * it; "" when the resident is not at a box with a site. */
    char site_place[NLU_VALUE_MAX];
    char site_place_en[NLU_VALUE_MAX + 16];
};

/* A resident talks to the speaker or types at the box itself; over the phone, on KakaoTalk or
 * the web they may be anywhere, and "here" is where they are, not the box. */
static bool at_the_box(const session *s)
{
    return strcmp(s->channel, "speaker") == 0 || strcmp(s->channel, "text") == 0;
}

static void set_site(session *s)
{
    const char *site = engine_site(s->e, "ko");
    if (!site[0] || !at_the_box(s))
        return;
    strbuf sb;
    strbuf_init(&sb);
    reply_say(&sb, "ko", R_SITE_PLACE, site);
    snprintf(s->site_place, sizeof s->site_place, "%s", strbuf_str(&sb));
    strbuf_clear(&sb);
    reply_say(&sb, "en", R_SITE_PLACE, engine_site(s->e, "en"));
    snprintf(s->site_place_en, sizeof s->site_place_en, "%s", strbuf_str(&sb));
    strbuf_free(&sb);
}

session *session_new(engine *e, const char *channel, const char *fixed_lang)
{
    session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->e = e;
    snprintf(s->channel, sizeof s->channel, "%s", channel ? channel : "text");
    snprintf(s->fixed_lang, sizeof s->fixed_lang, "%s", fixed_lang ? fixed_lang : "");
    snprintf(s->lang, sizeof s->lang, "%s", fixed_lang ? fixed_lang : engine_settings(e)->lang);
    set_site(s);
    return s;
}

void session_free(session *s)
{
    free(s);
}

engine *session_engine(const session *s)
{
    return s->e;
}

const char *session_lang(const session *s)
{
    return s->lang;
}

const understanding *session_last(const session *s)
{
    return &s->last;
}

session_expectation session_expects(const session *s)
{
    static const session_expectation by_state[] = {
        [IDLE] = SESSION_EXPECTS_ANYTHING,     [ASK_CATEGORY] = SESSION_EXPECTS_CATEGORY,
        [ASK_PLACE] = SESSION_EXPECTS_PLACE,   [CONFIRM_SITE] = SESSION_EXPECTS_YES_NO,
        [ASK_DETAIL] = SESSION_EXPECTS_DETAIL, [ASK_CONTACT] = SESSION_EXPECTS_PHONE,
        [CONFIRM] = SESSION_EXPECTS_YES_NO,    [ASK_RECEIPT] = SESSION_EXPECTS_RECEIPT,
        [ASK_DIGITS] = SESSION_EXPECTS_DIGITS,
    };
    return by_state[s->state];
}

const char *session_filed(const session *s)
{
    return s->filed_now[0] ? s->filed_now : NULL;
}

static bool filing(const session *s)
{
    return s->state >= ASK_CATEGORY && s->state <= CONFIRM;
}

static void reset(session *s)
{
    s->state = IDLE;
    memset(&s->d, 0, sizeof s->d);
    memcpy(s->d.phone, s->known_phone, sizeof s->d.phone);
    s->pending_receipt[0] = '\0';
    s->contact_asks = 0;
}

sd_code session_set_contact(session *s, const char *digits)
{
    char phone[sizeof s->known_phone];
    int n = snprintf(phone, sizeof phone, "%s%s", strncmp(digits, "+82", 3) == 0 ? "0" : "",
                     digits + (strncmp(digits, "+82", 3) == 0 ? 3 : 0));
    if (n < 8 || n > 15 || strspn(phone, "0123456789") != (size_t)n)
        return SD_ERR_INVALID;
    memcpy(s->known_phone, phone, sizeof phone);
    if (!filing(s))
        memcpy(s->d.phone, phone, sizeof phone);
    return SD_OK;
}

static bool is(const understanding *u, const char *intent)
{
    return strcmp(u->intent, intent) == 0;
}

/* A line with nothing in it to understand ("?", "🙂", "ㅋㅋㅋ"; engine.c). */
static bool unclear(const understanding *u)
{
    return is(u, "out_of_scope") && strcmp(u->topic, "unclear") == 0;
}

static bool said(const understanding *u, const char *act)
{
    return strcmp(u->nlu.dialog, act) == 0 && u->nlu.dialog_confidence >= DIALOG_SURE;
}

/* An answer to a question that expects it ("익명" when asked for a phone) needs less certainty. */
static bool answered(const understanding *u, const char *act)
{
    return strcmp(u->nlu.dialog, act) == 0 && u->nlu.dialog_confidence >= DIALOG_LIKELY;
}

static void newline(strbuf *reply)
{
    if (reply->len && reply->data[reply->len - 1] != '\n')
        strbuf_puts(reply, "\n");
}

/* ---- small talk and the other one-turn intents ---- */

static int kst_hour(session *s)
{
    struct tm tm;
    calendar_kst(engine_now(s->e), &tm);
    return tm.tm_hour;
}

/* The office's name as the settings give it, in the session's language. */
static const char *office(const session *s)
{
    const config *c = engine_settings(s->e);
    return strcmp(s->lang, "en") == 0 ? c->office_name_en : c->office_name;
}

/* The greeting, then one line on the weather when it matters today (umbrella, heat, cold). */
static void greet(session *s, strbuf *reply)
{
    int h = kst_hour(s);
    reply_say(reply, s->lang,
              h >= 5 && h < 11    ? R_GREETING_MORNING
              : h >= 11 && h < 17 ? R_GREETING_AFTERNOON
              : h >= 17 && h < 22 ? R_GREETING_EVENING
                                  : R_GREETING_NIGHT,
              office(s));
    strbuf remark;
    strbuf_init(&remark);
    const engine_weather *w = engine_weather_source(s->e);
    if (w->remark && w->remark(engine_store(s->e), &engine_settings(s->e)->weather, s->lang,
                               engine_now(s->e), &remark) == SD_OK) {
        newline(reply);
        strbuf_puts(reply, strbuf_str(&remark));
    }
    strbuf_free(&remark);
}

static void weather(session *s, const char *text, size_t len, strbuf *reply)
{
    const engine_weather *w = engine_weather_source(s->e);
    /* The reply says what happened in every case (an old forecast, or where else to look). */
    if (w->report)
        w->report(engine_store(s->e), &engine_settings(s->e)->weather, text, len, s->lang,
                  engine_now(s->e), reply);
    else
        reply_say(reply, s->lang, R_WEATHER_NONE);
}

static void smalltalk(session *s, const char *topic, strbuf *reply)
{
    static const struct {
        const char *topic;
        reply_id id;
    } map[] = {{"how_are_you", R_HOW_ARE_YOU}, {"thanks", R_THANKS},
               {"feeling_bad", R_FEELING_BAD}, {"feeling_good", R_FEELING_GOOD},
               {"identity", R_IDENTITY},       {"compliment", R_COMPLIMENT}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(topic, map[i].topic) == 0) {
            reply_say(reply, s->lang, map[i].id, office(s)); /* only R_IDENTITY uses it */
            return;
        }
    if (!topic[0]) /* the model's small talk, no template's: no reply of its own */
        reply_say(reply, s->lang, R_CHAT);
    else
        greet(s, reply);
}

static void tell_time(session *s, const char *topic, strbuf *reply)
{
    strbuf when;
    strbuf_init(&when);
    time_t now = engine_now(s->e);
    bool date = strcmp(topic, "date") == 0;
    if (date)
        reply_date(&when, s->lang, now);
    else
        reply_time_now(&when, s->lang, now);
    reply_say(reply, s->lang, date ? R_DATE : R_TIME, strbuf_str(&when),
              reply_josa(strbuf_str(&when), "이에요", "예요"));
    strbuf_free(&when);
}

static void main_phone(session *s, char phone[24])
{
    store_department d;
    snprintf(phone, 24, "%s",
             store_department_get(engine_store(s->e), "civil", &d) == SD_OK ? d.phone
                                                                            : "032-560-4114");
}

static void offer_human(session *s, strbuf *reply)
{
    char phone[24];
    main_phone(s, phone);
    int h = kst_hour(s);
    bool open = calendar_is_workday(engine_calendar(s->e), engine_now(s->e)) && h >= 9 && h < 18;
    reply_say(reply, s->lang, open ? R_HUMAN_OPEN : R_HUMAN_CLOSED, office(s), phone);
}

static void kb_answer(session *s, const understanding *u, strbuf *reply)
{
    if (u->kb_tentative)
        reply_say(reply, s->lang, R_KB_MAYBE, u->kb.title, u->kb.answer);
    else
        reply_say(reply, s->lang, R_KB_ANSWER, u->kb.answer);
    store_department d;
    if (store_department_get(engine_store(s->e), u->kb.department, &d) == SD_OK)
        reply_say(reply, s->lang, R_KB_CONTACT, strcmp(s->lang, "en") == 0 ? d.name_en : d.name_ko,
                  d.phone);
}

static void goodbye(session *s, strbuf *reply)
{
    int h = kst_hour(s);
    reply_say(reply, s->lang, h >= 19 || h < 5 ? R_GOODBYE_NIGHT : R_GOODBYE_DAY);
}

/* The intents that can be answered in one turn, also in the middle of filing. */
static bool answer_simple(session *s, const char *text, size_t len, const understanding *u,
                          strbuf *reply)
{
    if (is(u, "smalltalk"))
        smalltalk(s, u->topic, reply);
    else if (is(u, "time"))
        tell_time(s, u->topic, reply);
    else if (is(u, "weather"))
        weather(s, text, len, reply);
    else if (is(u, "help"))
        reply_say(reply, s->lang, R_HELP);
    else if (is(u, "human"))
        offer_human(s, reply);
    else
        return false;
    return true;
}

/* ---- status ---- */

static bool owns(const session *s, const char *receipt)
{
    for (size_t i = 0; i < s->nowned; i++)
        if (strcmp(s->owned[i], receipt) == 0)
            return true;
    return false;
}

/* Text someone wrote, as a reply may repeat it (pii.h), in buf. */
static const char *said_back(strbuf *buf, const char *text)
{
    strbuf_clear(buf);
    pii_redact(text, strlen(text), buf);
    return buf->failed ? "" : strbuf_str(buf);
}

/* What a step adds for the resident: a new deadline, a new department, a reason. */
static void step_detail(session *s, strbuf *reply, const store_event *ev)
{
    strbuf due, note;
    strbuf_init(&due);
    strbuf_init(&note);
    reply_date(&due, s->lang, ev->due_at);
    store_department d;
    bool en = strcmp(s->lang, "en") == 0;
    if (strcmp(ev->state, "extended") == 0 && ev->due_at)
        reply_say(reply, s->lang, R_TIMELINE_EXTENDED, strbuf_str(&due),
                  said_back(&note, ev->note));
    else if (strcmp(ev->state, "interim") == 0 && ev->due_at)
        reply_say(reply, s->lang, R_TIMELINE_INTERIM, strbuf_str(&due));
    else if (strcmp(ev->state, "transferred") == 0 &&
             store_department_get(engine_store(s->e), ev->department, &d) == SD_OK)
        reply_say(reply, s->lang, R_TIMELINE_TRANSFERRED, en ? d.name_en : d.name_ko);
    else if (strcmp(ev->state, "reopened") == 0 && ev->note[0])
        reply_say(reply, s->lang, R_TIMELINE_REASON, said_back(&note, ev->note));
    newline(reply);
    strbuf_free(&due);
    strbuf_free(&note);
}

static void timeline_step(session *s, strbuf *reply, const store_event *ev, bool current)
{
    strbuf when;
    strbuf_init(&when);
    reply_date(&when, s->lang, ev->at);
    strbuf_puts(&when, " ");
    reply_clock(&when, s->lang, ev->at);
    reply_say(reply, s->lang, current ? R_TIMELINE_STEP_NOW : R_TIMELINE_STEP_DONE,
              reply_state_name(s->lang, ev->state), strbuf_str(&when));
    newline(reply);
    step_detail(s, reply, ev);
    strbuf_free(&when);
}

/* A place as the session's language names it. Places are kept under their Korean names; the
 * place table gives each an English name (column 3), which an English voice can say. */
static const char *place_name(const session *s, const char *korean)
{
    if (strcmp(s->lang, "en") != 0)
        return korean;
    if (s->site_place[0] && strcmp(korean, s->site_place) == 0)
        return s->site_place_en;
    const grammar *g = engine_grammar(s->e, "en");
    size_t slot = grammar_slot_find(g, "place");
    for (size_t v = 0; slot != (size_t)-1 && v < grammar_slot_value_count(g, slot); v++)
        if (strcmp(grammar_slot_value(g, slot, v), korean) == 0) {
            const char *english = grammar_slot_attr(g, slot, v, 3);
            return *english ? english : korean;
        }
    return korean;
}

/* How far along the usual path a state is: the steps after it are still to come. A returned
 * answer is redone from "in progress", a reopened or transferred complaint starts again. */
static size_t path_position(const char *state, const char *const *path, size_t n)
{
    static const struct {
        const char *state, *like;
    } detours[] = {
        {"rejected", "in_progress"}, {"reopened", "assigned"}, {"transferred", "received"}};
    for (size_t i = 0; i < sizeof detours / sizeof detours[0]; i++)
        if (strcmp(state, detours[i].state) == 0)
            state = detours[i].like;
    for (size_t k = 0; k < n; k++)
        if (strcmp(path[k], state) == 0)
            return k + 1;
    return n;
}

static void timeline_end(session *s, const store_complaint *c, const store_department *d,
                         strbuf *reply)
{
    if (strcmp(c->state, "approved") == 0) {
        if (c->answer[0]) {
            strbuf answer;
            strbuf_init(&answer);
            reply_say(reply, s->lang, R_TIMELINE_ANSWER, said_back(&answer, c->answer));
            newline(reply);
            strbuf_free(&answer);
        }
        reply_say(reply, s->lang, R_TIMELINE_DONE);
        return;
    }
    if (d->code[0]) {
        reply_say(reply, s->lang, R_TIMELINE_HOLDER,
                  strcmp(s->lang, "en") == 0 ? d->name_en : d->name_ko, d->phone);
        newline(reply);
    }
    strbuf due;
    strbuf_init(&due);
    reply_date(&due, s->lang, c->due_at);
    reply_say(reply, s->lang, engine_now(s->e) > c->due_at ? R_TIMELINE_OVERDUE : R_TIMELINE_DUE,
              strbuf_str(&due));
    strbuf_free(&due);
}

/* The parcel-style view: every step so far with its time, then the steps still to come. */
static void show_timeline(session *s, const store_complaint *c, const store_department *d,
                          const store_event *events, size_t n, strbuf *reply)
{
    static const char *const path[] = {"received", "assigned",  "in_progress",
                                       "answered", "confirmed", "approved"};
    const size_t steps = sizeof path / sizeof path[0];
    strbuf place;
    strbuf_init(&place);
    reply_say(reply, s->lang, R_TIMELINE_HEAD, c->receipt,
              reply_category_name(s->lang, c->category),
              c->place[0] ? said_back(&place, place_name(s, c->place)) : "-");
    strbuf_free(&place);
    newline(reply);
    for (size_t i = 0; i < n; i++)
        timeline_step(s, reply, &events[i], i + 1 == n);
    for (size_t k = path_position(c->state, path, steps); k < steps; k++) {
        reply_say(reply, s->lang, R_TIMELINE_STEP_NEXT, reply_state_name(s->lang, path[k]));
        newline(reply);
    }
    timeline_end(s, c, d, reply);
}

/* Three wrong answers end the digit checks of the session: another try, at another receipt or
 * at the same one asked afresh, would only be another guess. */
static void digits_refused(session *s, strbuf *reply)
{
    char phone[24];
    main_phone(s, phone);
    reply_say(reply, s->lang, R_DIGITS_GIVE_UP, office(s), phone);
    reset(s);
}

/* The office's shared store is away: a filing still in this device's spool is said to be safe
 * here; of any other nothing can be known now, so the resident hears that, and a number to call. */
static void status_offline(session *s, const store_complaint *c, strbuf *reply)
{
    if (strcmp(c->state, "spooled") == 0) {
        reply_say(reply, s->lang, R_STATUS_SPOOLED, c->receipt);
    } else {
        char phone[24];
        main_phone(s, phone);
        reply_say(reply, s->lang, R_STATUS_OFFLINE, office(s), phone);
    }
    reset(s);
}

static void lookup_status(session *s, const char *receipt, const char *digits, strbuf *reply)
{
    store_complaint c;
    store_department d;
    store_event events[32];
    size_t n;
    sd_code rc = store_complaint_get(engine_store(s->e), receipt, &c, &d, events, 32, &n);
    if (rc == SD_ERR_OFFLINE) {
        status_offline(s, &c, reply);
        return;
    }
    if (rc != SD_OK) {
        reply_say(reply, s->lang, R_RECEIPT_NOT_FOUND, receipt, reply_josa(receipt, "을", "를"));
        reset(s);
        return;
    }
    bool open = owns(s, receipt) || c.phone_last4[0] == '\0';
    bool locked = s->digit_tries >= MAX_DIGIT_TRIES;
    /* A locked session compares no digits at all: a right guess must not show more. */
    if (open || (!locked && digits && strcmp(digits, c.phone_last4) == 0)) {
        show_timeline(s, &c, &d, events, n, reply);
        reset(s);
        return;
    }
    if (locked || (digits && ++s->digit_tries >= MAX_DIGIT_TRIES)) {
        digits_refused(s, reply);
        return;
    }
    snprintf(s->pending_receipt, sizeof s->pending_receipt, "%s", receipt);
    s->state = ASK_DIGITS;
    int left = MAX_DIGIT_TRIES - s->digit_tries;
    if (digits)
        reply_say(reply, s->lang, R_DIGITS_WRONG, left, left == 1 ? "" : "s");
    else
        reply_say(reply, s->lang, R_ASK_DIGITS);
}

static const char *four_digits(const understanding *u)
{
    const entity *d = &u->nlu.numbers.digits;
    return d->found && strlen(d->value) == 4 ? d->value : NULL;
}

static void start_status(session *s, const understanding *u, strbuf *reply)
{
    if (u->nlu.numbers.receipt.found) {
        lookup_status(s, u->nlu.numbers.receipt.value, four_digits(u), reply);
        return;
    }
    s->state = ASK_RECEIPT;
    /* A spool code with digits missing is asked again whole, never completed by a guess. */
    reply_say(reply, s->lang,
              u->nlu.numbers.receipt_incomplete ? R_RECEIPT_INCOMPLETE : R_ASK_RECEIPT);
}

/* ---- filing ---- */

static void contact_words(session *s, char *out, size_t size)
{
    strbuf sb;
    strbuf_init(&sb);
    size_t n = strlen(s->d.phone);
    if (n >= 4)
        reply_say(&sb, s->lang, R_PHONE_LAST4, s->d.phone + n - 4);
    else
        reply_say(&sb, s->lang, R_PHONE_NONE);
    snprintf(out, size, "%s", strbuf_str(&sb));
    strbuf_free(&sb);
}

static const char *place_words(session *s)
{
    return s->d.place[0] ? place_name(s, s->d.place) : reply_phrase(s->lang, R_PLACE_NONE);
}

/* The summary read back before filing, with the question whether to file it. */
static void summarise(session *s, strbuf *reply)
{
    char contact[64];
    contact_words(s, contact, sizeof contact);
    strbuf place, detail;
    strbuf_init(&place);
    strbuf_init(&detail);
    reply_say(reply, s->lang, R_CONFIRM, reply_category_name(s->lang, s->d.category),
              said_back(&place, place_words(s)), said_back(&detail, s->d.detail), contact,
              reply_phrase(s->lang, s->d.public ? R_VISIBILITY_PUBLIC : R_VISIBILITY_PRIVATE));
    strbuf_free(&place);
    strbuf_free(&detail);
}

/* Whether the summary reads differently now than it did as `before`: "익명" when it already
 * said no contact changes the draft but nothing the resident hears. */
static bool summary_changed(session *s, const strbuf *before)
{
    strbuf now;
    strbuf_init(&now);
    summarise(s, &now);
    bool changed = strcmp(strbuf_str(&now), strbuf_str(before)) != 0;
    strbuf_free(&now);
    return changed;
}

/* The place was given as "here": the site is offered, to be taken on "yes" only; without one
 * the resident is asked where, and told why. */
static void offer_site(session *s, strbuf *reply)
{
    if (s->site_place[0]) {
        s->state = CONFIRM_SITE;
        reply_say(reply, s->lang, R_ASK_SITE, place_name(s, s->site_place));
        return;
    }
    s->d.here = false;
    s->d.place[0] = '\0';
    s->state = ASK_PLACE;
    reply_say(reply, s->lang, R_ASK_PLACE_HERE, reply_category_name(s->lang, s->d.category));
}

static void ask_next(session *s, strbuf *reply)
{
    const char *category = reply_category_name(s->lang, s->d.category);
    strbuf place;
    strbuf_init(&place);
    if (!s->d.category[0]) {
        s->state = ASK_CATEGORY;
        reply_say(reply, s->lang, R_ASK_CATEGORY);
    } else if (s->d.here) {
        offer_site(s, reply);
    } else if (!s->d.place[0]) {
        s->state = ASK_PLACE;
        reply_say(reply, s->lang, R_ASK_PLACE, category);
    } else if (!s->d.detail[0]) {
        s->state = ASK_DETAIL;
        if (s->d.phone[0] || s->d.anonymous)
            reply_say(reply, s->lang, R_ASK_DETAIL);
        else
            reply_say(reply, s->lang, R_ASK_DETAIL_CONTACT,
                      said_back(&place, place_name(s, s->d.place)), category);
    } else if (!s->d.phone[0] && !s->d.anonymous && s->state != ASK_DETAIL) {
        s->state = ASK_CONTACT;
        s->contact_asks++;
        /* Asked again, the question says what answers it: "네" gave no number. */
        reply_say(reply, s->lang, s->contact_asks > 1 ? R_ASK_CONTACT_AGAIN : R_ASK_CONTACT);
    } else {
        s->state = CONFIRM;
        summarise(s, reply);
    }
    strbuf_free(&place);
}

/* The question the session waits on, asked again as it stands: nothing is counted or changed
 * (a second ask for the phone says what answers it; at the summary only the yes or no). */
static void repeat_question(session *s, strbuf *reply)
{
    switch (s->state) {
    case ASK_CONTACT:
        reply_say(reply, s->lang, R_ASK_CONTACT_AGAIN);
        break;
    case CONFIRM:
        reply_say(reply, s->lang, R_CONFIRM_QUESTION);
        break;
    case ASK_RECEIPT:
        reply_say(reply, s->lang, R_ASK_RECEIPT);
        break;
    case ASK_DIGITS:
        reply_say(reply, s->lang, R_ASK_DIGITS);
        break;
    default:
        ask_next(s, reply);
        break;
    }
}

/* ---- contact talk ----
 * A resident filing in one sentence adds how to be reached: "익명으로 해 주세요", "anonymous",
 * "my number is 010-...". That is contact talk, not the problem: the detail the officer reads
 * leaves it out, and a request to stay anonymous counts wherever in the sentence it stands.
 * Words are compared without case; a Korean one matches the start of a word (익명으로요). */

static const char *const anonymous_words[] = {"익명", "anonymous", "anonymously", "anon", NULL};
/* Before and after the request: "저는 익명으로 해 주세요", "please keep it anonymous, thanks". */
static const char *const anonymous_before[] = {
    "저는",   "전",     "please", "keep", "it",  "me",   "stay",  "remain",
    "to",     "want",   "i",      "i'd",  "i'm", "like", "would", "file",
    "report", "submit", "make",   "be",   "as",  "and",  NULL};
static const char *const anonymous_after[] = {
    "해",     "주세요",       "해주세요",   "할게요",   "할께요",       "해요",       "처리",
    "처리해", "처리해주세요", "부탁드려요", "부탁해요", "부탁드립니다", "부탁합니다", "신고할게요",
    "신고해", "접수할게요",   "접수해",     "원해요",   "할래요",       "하겠습니다", "해줘",
    "줘",     "주시고",       "please",     "thanks",   "thank",        "you",        NULL};
/* Before and after a phone number: "제 번호는 010-... 이에요", "call me at 010-... please". */
static const char *const phone_before[] = {
    "제",     "내",     "저의",     "번호는", "번호",     "전화번호는", "전화번호",   "연락처는",
    "연락처", "휴대폰", "휴대폰은", "핸드폰", "핸드폰은", "휴대전화",   "휴대전화는", "연락은",
    "알림은", "결과는", "my",       "number", "phone",    "mobile",     "cell",       "is",
    "call",   "text",   "me",       "at",     "on",       "reach",      "contact",    "you",
    "can",    "tel",    "here's",   "for",    "updates",  "and",        NULL};
static const char *const phone_after[] = {
    "이에요", "입니다", "예요",       "이요",   "요",     "으로",  "로",  "연락",
    "주세요", "알려",   "연락주세요", "please", "thanks", "thank", "you", NULL};

#define MAX_TOKENS 512

typedef struct {
    uint16_t start, end;           /* the word with its punctuation */
    uint16_t core_start, core_end; /* the word itself */
    char after;                    /* punctuation that closed it (',', '.', ...), or 0 */
    bool dropped;
} token;

static bool is_punct(char c)
{
    return c == ',' || c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == '(' ||
           c == ')' || c == '"' || c == '\'' || c == '~';
}

static size_t tokenize(const char *t, size_t len, token *tok, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && n < max) {
        while (i < len && t[i] == ' ')
            i++;
        if (i >= len)
            break;
        token *k = &tok[n++];
        k->start = (uint16_t)i;
        while (i < len && t[i] != ' ')
            i++;
        k->end = (uint16_t)i;
        k->core_start = k->start;
        k->core_end = k->end;
        while (k->core_start < k->core_end && is_punct(t[k->core_start]))
            k->core_start++;
        k->after = 0;
        while (k->core_end > k->core_start && is_punct(t[k->core_end - 1]))
            k->after = t[--k->core_end];
        k->dropped = false;
    }
    return n;
}

static bool token_in(const char *t, const token *k, const char *const *list, bool prefix)
{
    size_t n = k->core_end - k->core_start;
    for (size_t i = 0; list[i]; i++) {
        size_t m = strlen(list[i]);
        bool korean = (unsigned char)list[i][0] >= 0x80;
        if ((n == m || (prefix && korean && n > m)) &&
            strncasecmp(t + k->core_start, list[i], m) == 0)
            return true;
    }
    return false;
}

/* Drops the words of list before tok[first] and after tok[last] that go with them, up to a
 * comma or a full stop (a ':' ends a lead-in: "연락처: 010..."). */
static void drop_around(const char *t, token *tok, size_t n, size_t first, size_t last,
                        const char *const *before, const char *const *after)
{
    for (size_t j = first; j-- > 0;) {
        if ((tok[j].after && tok[j].after != ':') || !token_in(t, &tok[j], before, false))
            break;
        tok[j].dropped = true;
    }
    for (size_t j = last + 1; j < n && !tok[j - 1].after && token_in(t, &tok[j], after, false); j++)
        tok[j].dropped = true;
}

/* Joins the words kept, trims separators and a dangling "and" at either end. */
static void join_kept(const char *t, const token *tok, size_t n, char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t w = tok[i].end - tok[i].start;
        if (tok[i].dropped || o + w + 2 > size)
            continue;
        if (o)
            out[o++] = ' ';
        memcpy(out + o, t + tok[i].start, w);
        o += w;
        out[o] = '\0';
    }
    for (bool trimmed = true; trimmed;) {
        trimmed = false;
        while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == ',' || out[o - 1] == ';' ||
                         out[o - 1] == ':' || out[o - 1] == '-')) {
            out[--o] = '\0';
            trimmed = true;
        }
        static const char *const dangling[] = {" and", " but", " 그리고", NULL};
        for (size_t d = 0; dangling[d]; d++) {
            size_t m = strlen(dangling[d]);
            if (o >= m && strcasecmp(out + o - m, dangling[d]) == 0) {
                o -= m;
                out[o] = '\0';
                trimmed = true;
            }
        }
    }
    size_t lead = strspn(out, " ,;:-");
    memmove(out, out + lead, o - lead + 1);
}

/* The turn's words as a complaint's detail (s->heard_detail) and whether they ask to stay
 * anonymous (s->heard_anonymous). The understanding's spans are in the normalised text, which
 * the cased normalisation matches byte for byte. */
static void hear_words(session *s, const char *text, size_t len, const understanding *u)
{
    char t[ENGINE_MAX_INPUT + 8];
    nlu_normalize_cased(text, len, t, sizeof t);
    size_t tlen = strlen(t);
    if (tlen >= sizeof s->heard_detail) { /* the detail's room, cut between letters */
        tlen = sizeof s->heard_detail - 1;
        while (tlen > 0 && ((unsigned char)t[tlen] & 0xC0) == 0x80)
            tlen--;
        t[tlen] = '\0';
    }
    token tok[MAX_TOKENS];
    size_t n = tokenize(t, tlen, tok, MAX_TOKENS);
    s->heard_anonymous = false;
    for (size_t i = 0; i < n; i++)
        if (!tok[i].dropped && token_in(t, &tok[i], anonymous_words, true)) {
            s->heard_anonymous = true;
            tok[i].dropped = true;
            drop_around(t, tok, n, i, i, anonymous_before, anonymous_after);
        }
    const entity *p = &u->nlu.numbers.phone;
    size_t first = n, last = 0;
    for (size_t i = 0; p->found && i < n; i++)
        if (tok[i].start < p->end && p->start < tok[i].end) {
            tok[i].dropped = true;
            first = i < first ? i : first;
            last = i;
        }
    if (first < n)
        drop_around(t, tok, n, first, last, phone_before, phone_after);
    join_kept(t, tok, n, s->heard_detail, sizeof s->heard_detail);
}

/* The resident asked to file without a contact, in so many words or as the answer to the
 * question that offered it (answer: the weaker certainty of an expected answer). */
static bool asks_anonymous(const session *s, const understanding *u, bool answer)
{
    return s->heard_anonymous || (answer ? answered(u, "anonymous") : said(u, "anonymous"));
}

/* Copies at most max bytes of words into dst (of NLU_VALUE_MAX), cut between letters. */
static void words_upto(char dst[NLU_VALUE_MAX], const char *words, size_t max)
{
    size_t n = strlen(words);
    if (max > NLU_VALUE_MAX - 1)
        max = NLU_VALUE_MAX - 1;
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)words[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, words, n);
    dst[n] = '\0';
}

/* Letters in text, spaces and marks left out. */
static size_t letters(const char *text)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        n += (*p & 0xC0) != 0x80 && *p != ' ' && *p != ',' && *p != '.';
    return n;
}

/* The turn's words, without the contact talk, as the complaint's detail; a short answer to a
 * question ("네", "no", "없어요") tells nothing of the problem and is none. A request to stay
 * anonymous is already taken out of heard_detail: what is left is the problem, unless it is a
 * word or two ("음식물 쓰레기가 넘쳐요 익명" keeps its first words). */
static void take_detail(session *s, const understanding *u)
{
    bool only_an_answer = said(u, "anonymous")
                              ? letters(s->heard_detail) < 4
                              : (said(u, "yes") || said(u, "no")) && u->nlu.content_length < 8;
    if (s->heard_detail[0] && !only_an_answer)
        snprintf(s->d.detail, sizeof s->d.detail, "%s", s->heard_detail);
}

static bool said_here(const understanding *u)
{
    return u->nlu.place.set && strcmp(u->nlu.place.value, NLU_PLACE_HERE) == 0;
}

/* "Here" counts as the place while none is known, as the answer to where, and as a correction
 * at the summary; said in passing once the place is known ("the lights here flicker") it is
 * none. */
static bool here_is_the_place(const session *s, const understanding *u)
{
    return !s->d.place[0] || s->state == ASK_PLACE || (s->state == CONFIRM && !said(u, "yes"));
}

/* Takes every slot the resident gave in this turn; returns true when any changed. */
static bool merge_slots(session *s, const understanding *u)
{
    bool changed = false;
    const nlu_result *r = &u->nlu;
    if (said_here(u) && here_is_the_place(s, u) && !s->d.here) {
        s->d.here = true;
        changed = true;
    }
    if (r->category.set && strcmp(s->d.category, r->category.value) != 0) {
        snprintf(s->d.category, sizeof s->d.category, "%s", r->category.value);
        s->d.department[0] = '\0'; /* a category named anew goes to its own department */
        changed = true;
    }
    if (r->place.set && !said_here(u) && strcmp(s->d.place, r->place.value) != 0) {
        snprintf(s->d.place, sizeof s->d.place, "%s", r->place.value);
        s->d.here = false;
        changed = true;
    }
    if (r->numbers.phone.found && strcmp(s->d.phone, r->numbers.phone.value) != 0) {
        snprintf(s->d.phone, sizeof s->d.phone, "%s", r->numbers.phone.value);
        s->d.anonymous = false;
        changed = true;
    }
    /* Private unless the resident asks; the summary before filing says how to change it. */
    if ((said(u, "public") && !s->d.public) || (said(u, "private") && s->d.public)) {
        s->d.public = !s->d.public;
        changed = true;
    }
    if (asks_anonymous(s, u, false) && !r->numbers.phone.found && !s->d.anonymous) {
        s->d.phone[0] = '\0';
        s->d.anonymous = true;
        changed = true;
    }
    return changed;
}

static void file_now(session *s, strbuf *reply)
{
    store *db = engine_store(s->e);
    store_category cat;
    if (store_category_get(db, s->d.category, &cat) != SD_OK)
        snprintf(cat.complaint_type, sizeof cat.complaint_type, "grievance");
    time_t now = engine_now(s->e);
    store_new_complaint c = {
        .category = s->d.category,
        .place = s->d.place,
        .detail = s->d.detail,
        .phone = s->d.phone[0] ? s->d.phone : NULL,
        .lang = s->lang,
        .channel = s->channel,
        .site = engine_site(s->e, "ko"),
        .public = s->d.public,
        .filed_at = now,
        .due_at =
            calendar_due(engine_calendar(s->e), now, calendar_period_days(cat.complaint_type)),
        .department = s->d.department[0] ? s->d.department : NULL,
    };
    char receipt[32];
    if (store_complaint_file(db, &c, receipt) != SD_OK) {
        reply_say(reply, s->lang, R_FILE_FAILED);
        return;
    }
    if (s->nowned < MAX_OWNED)
        snprintf(s->owned[s->nowned++], sizeof s->owned[0], "%s", receipt);
    snprintf(s->filed_now, sizeof s->filed_now, "%s", receipt);
    if (store_is_spool_code(receipt)) {
        size_t n = strlen(s->d.phone);
        if (n >= 4)
            reply_say(reply, s->lang, R_FILED_SPOOLED_MESSAGE, s->d.phone + n - 4);
        else
            reply_say(reply, s->lang, R_FILED_SPOOLED_CODE, receipt,
                      reply_josa(receipt, "이에요", "예요"));
        reset(s);
        return;
    }
    store_department d = {.name_ko = "", .name_en = "", .phone = ""};
    if (!s->d.department[0] || store_department_get(db, s->d.department, &d) != SD_OK)
        store_department_get(db, cat.department, &d);
    strbuf due;
    strbuf_init(&due);
    reply_date(&due, s->lang, c.due_at);
    reply_say(reply, s->lang, R_FILED, receipt, strcmp(s->lang, "en") == 0 ? d.name_en : d.name_ko,
              d.phone, strbuf_str(&due));
    strbuf_free(&due);
    reset(s);
}

static void start_filing(session *s, const understanding *u, strbuf *reply)
{
    reset(s);
    merge_slots(s, u);
    /* What the words did not name, the understanding guessed: the category (other for a
     * described problem no category fits) and the department that should handle it. */
    if (!s->d.category[0] && u->category[0])
        snprintf(s->d.category, sizeof s->d.category, "%s", u->category);
    if (s->d.category[0])
        snprintf(s->d.department, sizeof s->d.department, "%s", u->department);
    size_t enough = strcmp(s->lang, "en") == 0 ? DETAIL_MIN_EN : DETAIL_MIN_KO;
    if (u->nlu.content_length >= enough)
        take_detail(s, u);
    s->state = ASK_CATEGORY;
    ask_next(s, reply);
}

static void continue_filing(session *s, const understanding *u, strbuf *reply)
{
    strbuf before;
    strbuf_init(&before);
    if (s->state == CONFIRM)
        summarise(s, &before);
    bool changed = merge_slots(s, u);
    /* At the summary a change it does not show is no news: only the yes or no is left. */
    bool shown = changed && (s->state != CONFIRM || summary_changed(s, &before));
    strbuf_free(&before);
    switch (s->state) {
    case ASK_CATEGORY:
        if (!s->d.category[0]) { /* not one of the named kinds: keep the words as the detail */
            snprintf(s->d.category, sizeof s->d.category, "other");
            take_detail(s, u);
        }
        break;
    case ASK_PLACE: /* a place no table knows, in the resident's words */
        if (!s->d.place[0] && !s->d.here && s->heard_detail[0])
            words_upto(s->d.place, s->heard_detail, PLACE_MAX_WORDS);
        break;
    case CONFIRM_SITE:
        if (!s->d.here) /* a place named instead */
            break;
        if (said(u, "yes")) {
            snprintf(s->d.place, sizeof s->d.place, "%s", s->site_place);
            s->d.here = false;
        } else if (said(u, "no")) {
            s->d.here = false;
            s->d.place[0] = '\0';
            s->state = ASK_PLACE;
            reply_say(reply, s->lang, R_ASK_PLACE_AFTER_NO);
            return;
        } else {
            reply_say(reply, s->lang, R_ASK_SITE_AGAIN, place_name(s, s->site_place));
            return;
        }
        break;
    case ASK_DETAIL:
        take_detail(s, u);
        if (!s->d.phone[0] && asks_anonymous(s, u, true))
            s->d.anonymous = true;
        break;
    case ASK_CONTACT:
        /* No number after being asked twice is taken as "no updates, thank you". */
        if (!s->d.phone[0] && (asks_anonymous(s, u, true) || answered(u, "no") ||
                               s->contact_asks >= MAX_CONTACT_ASKS))
            s->d.anonymous = true;
        break;
    case CONFIRM:
        if (s->d.here) /* "아니 여기 앞이요": the site is offered first */
            break;
        if (!shown && said(u, "yes")) {
            file_now(s, reply);
            return;
        }
        if (!shown) {
            reply_say(reply, s->lang,
                      changed && s->d.anonymous ? R_CONFIRM_ANONYMOUS
                      : said(u, "no")           ? R_ASK_WHAT_TO_FIX
                                                : R_CONFIRM_AGAIN);
            return;
        }
        break;
    default:
        break;
    }
    ask_next(s, reply);
}

/* ---- the turn ---- */

/* A line that cannot be read at all: said why; an empty one while a question waits (Enter
 * pressed, silence on the phone) asks that question again instead of starting over. */
static sd_code refuse(session *s, sd_code rc, strbuf *reply)
{
    if (rc == SD_ERR_INVALID && s->state != IDLE) {
        reply_say(reply, s->lang, R_EMPTY_PENDING);
        newline(reply);
        repeat_question(s, reply);
        return rc;
    }
    reply_say(reply, s->lang,
              rc == SD_ERR_UTF8       ? R_BAD_UTF8
              : rc == SD_ERR_TOO_LONG ? R_TOO_LONG
                                      : R_EMPTY);
    return rc;
}

/* Only an answer (네, no, 익명, 취소) and nothing else: the template of the answer explains the
 * line at least as well as any intent's, and it names no slot or number. */
static bool only_an_answer(const understanding *u)
{
    const nlu_result *r = &u->nlu;
    return r->dialog[0] && r->dialog_confidence >= INTERRUPT_SURE &&
           r->dialog_confidence >= r->confidence && !r->category.set && !r->place.set &&
           !r->numbers.receipt.found && !r->numbers.phone.found && !r->numbers.digits.found;
}

static void idle_turn(session *s, const char *text, size_t len, const understanding *u,
                      strbuf *reply)
{
    if (only_an_answer(u)) { /* "네" with no question waiting: say so, and what can be done */
        reply_say(reply, s->lang, R_NOTHING_PENDING);
        return;
    }
    if (answer_simple(s, text, len, u, reply))
        return;
    if (is(u, "complaint.file"))
        start_filing(s, u, reply);
    else if (is(u, "complaint.status"))
        start_status(s, u, reply);
    else if (is(u, "kb.answer"))
        kb_answer(s, u, reply);
    else if (is(u, "goodbye"))
        goodbye(s, reply);
    else
        reply_say(reply, s->lang, unclear(u) ? R_NOT_UNDERSTOOD : R_OUT_OF_SCOPE);
}

/* A complete, confident question of another kind in the middle of filing. */
static bool interrupts(const understanding *u)
{
    if (u->nlu.category.set || u->nlu.place.set || u->nlu.numbers.phone.found)
        return false;
    return u->confidence >= INTERRUPT_SURE &&
           (is(u, "time") || is(u, "help") || is(u, "human") || is(u, "weather"));
}

/* Small talk in the middle of filing (hello, thanks, who are you) answers nothing that was
 * asked, and is no place or detail: a short reply, then the question again. A feeling stays
 * with the filing ("너무 힘들어요" may be the detail). Returns whether it replied. */
static bool aside(session *s, const understanding *u, strbuf *reply)
{
    static const struct {
        const char *topic;
        reply_id id;
    } asides[] = {{"greeting", R_ASIDE_GREETING},
                  {"how_are_you", R_ASIDE_HOW_ARE_YOU},
                  {"thanks", R_ASIDE_THANKS},
                  {"compliment", R_ASIDE_COMPLIMENT},
                  {"identity", R_IDENTITY}};
    if (u->nlu.category.set || u->nlu.place.set || u->nlu.numbers.phone.found ||
        !is(u, "smalltalk") || u->confidence < INTERRUPT_SURE)
        return false;
    for (size_t i = 0; i < sizeof asides / sizeof asides[0]; i++)
        if (strcmp(u->topic, asides[i].topic) == 0) {
            reply_say(reply, s->lang, asides[i].id, office(s)); /* only R_IDENTITY uses it */
            return true;
        }
    return false;
}

static void state_turn(session *s, const char *text, size_t len, const understanding *u,
                       strbuf *reply)
{
    if (said(u, "cancel") || (is(u, "goodbye") && u->confidence >= INTERRUPT_SURE)) {
        bool was_filing = filing(s);
        reset(s);
        if (was_filing)
            reply_say(reply, s->lang, R_CANCELLED);
        else
            goodbye(s, reply);
        return;
    }
    /* Nothing to understand: said so, and the question still waiting asked again. */
    if (unclear(u)) {
        reply_say(reply, s->lang, R_NOT_UNDERSTOOD_SHORT);
        newline(reply);
        repeat_question(s, reply);
        return;
    }
    if (filing(s)) {
        if (aside(s, u, reply)) {
            newline(reply);
            repeat_question(s, reply);
            return;
        }
        if (interrupts(u)) {
            answer_simple(s, text, len, u, reply);
            newline(reply);
            repeat_question(s, reply);
            return;
        }
        continue_filing(s, u, reply);
        return;
    }
    if (s->state == ASK_RECEIPT) {
        if (u->nlu.numbers.receipt.found)
            lookup_status(s, u->nlu.numbers.receipt.value, four_digits(u), reply);
        else if (u->nlu.numbers.receipt_incomplete)
            reply_say(reply, s->lang, R_RECEIPT_INCOMPLETE);
        else {
            reset(s);
            idle_turn(s, text, len, u, reply);
        }
        return;
    }
    if (s->state == ASK_DIGITS) {
        const char *digits = four_digits(u);
        if (digits) {
            char receipt[32];
            snprintf(receipt, sizeof receipt, "%s", s->pending_receipt);
            lookup_status(s, receipt, digits, reply);
        } else {
            reset(s);
            idle_turn(s, text, len, u, reply);
        }
    }
}

sd_code session_turn(session *s, const char *text, size_t len, strbuf *reply)
{
    time_t now = engine_now(s->e);
    s->filed_now[0] = '\0';
    if (s->state != IDLE && s->last_turn && now - s->last_turn > SESSION_TIMEOUT) {
        bool was_filing = filing(s);
        reset(s);
        if (was_filing) {
            reply_say(reply, s->lang, R_EXPIRED);
            newline(reply);
        }
    }
    s->last_turn = now;
    understanding *u = &s->last;
    sd_code rc =
        engine_understand(s->e, text, len, s->fixed_lang[0] ? s->fixed_lang : NULL, s->lang, u);
    if (rc != SD_OK)
        return refuse(s, rc, reply);
    snprintf(s->lang, sizeof s->lang, "%s", u->lang);
    hear_words(s, text, len, u);
    if (s->state == IDLE)
        idle_turn(s, text, len, u, reply);
    else
        state_turn(s, text, len, u, reply);
    return reply->failed ? SD_ERR_NOMEM : SD_OK;
}

void session_end(session *s, strbuf *reply)
{
    if (filing(s))
        reply_say(reply, s->lang, R_DROPPED);
    reset(s);
}

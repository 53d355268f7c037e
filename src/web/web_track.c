/* web_track.c - the residents' tracking page, /track: receipt number and the last four digits
 * of the phone number left at filing give the parcel-style timeline of a complaint (each step
 * with its time, the current step marked, the department in charge, the statutory due date,
 * the answer once approved).
 *
 * The page is plain server-written HTML5 that works without JavaScript and on a 360 px phone,
 * with landmarks, labels and a lang attribute for screen readers; the stylesheet is served
 * from /track.css because the Content-Security-Policy allows no inline style. The HTML goes
 * through html.c, which escapes every text and attribute: nothing a resident wrote can
 * become markup. Korean by default, English by ?lang=en or Accept-Language.
 *
 * Privacy follows the chat (session.c): a complaint is shown when the digits match the phone
 * number left at filing, or when it was filed anonymously. An unknown receipt and wrong digits
 * get the very same answer, so the page tells nothing about which receipts exist, and look-ups
 * are rate-limited per address so that four digits cannot be guessed. Whatever people wrote (the
 * place, the description, an officer's notes and answer) is shown through pii_redact: an
 * anonymous complaint opens to anyone holding its receipt, and no page shows a phone number,
 * e-mail address or registration number in it. The department's own number has its own line. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "pii.h"
#include "reply.h"
#include "html.h"
#include "web_internal.h"

#define TRACK_MAX_EVENTS 64

typedef enum {
    T_TITLE,
    T_INTRO,
    T_RECEIPT,
    T_DIGITS,
    T_DIGITS_HINT,
    T_SUBMIT,
    T_NOT_FOUND,
    T_TOO_MANY,
    T_OFFLINE,
    T_SPOOLED,
    T_CURRENT,
    T_TO_COME,
    T_DEPARTMENT,
    T_DUE,
    T_ANSWER,
    T_PLACE,
    T_DETAIL,
    T_TIMELINE,
    T_SWITCH,
    T_SWITCH_LANG,
    T_LANGUAGE,
    T_COUNT
} track_text;

static const char *const texts[T_COUNT][2] = {
    [T_TITLE] = {"민원 처리 상황 조회", "Track your complaint"},
    [T_INTRO] = {"접수번호와 접수할 때 남기신 전화번호의 뒤 4자리를 입력해 주세요.",
                 "Enter your receipt number and the last 4 digits of the phone number you gave "
                 "when filing."},
    [T_RECEIPT] = {"접수번호", "Receipt number"},
    [T_DIGITS] = {"전화번호 뒤 4자리", "Last 4 digits of your phone number"},
    [T_DIGITS_HINT] = {"익명으로 접수하셨다면 비워 두세요.",
                       "Leave empty if you filed anonymously."},
    [T_SUBMIT] = {"조회하기", "Track"},
    [T_NOT_FOUND] = {"접수번호가 없거나 전화번호 뒤 4자리가 맞지 않아요. 다시 확인해 주세요.",
                     "No complaint matches that receipt number and those digits. Please check "
                     "both."},
    [T_TOO_MANY] = {"조회가 너무 많아요. 1분 뒤에 다시 시도해 주세요.",
                    "Too many look-ups. Please try again in a minute."},
    [T_OFFLINE] = {"지금은 구청 시스템에 연결되지 않아 처리 상황을 확인할 수 없어요. 잠시 후 다시 "
                   "조회해 주세요.",
                   "The office's system cannot be reached right now, so the status cannot be "
                   "checked. Please try again in a few minutes."},
    [T_SPOOLED] = {"이 민원은 이 서버에 안전하게 보관되어 있고, 구청 시스템에 연결되는 대로 "
                   "접수돼요. 그 뒤에 같은 코드로 접수번호와 처리 상황을 보실 수 있어요.",
                   "This complaint is kept safely here and will be filed as soon as the office's "
                   "system can be reached; then this code shows its receipt number and progress."},
    [T_CURRENT] = {"현재 단계", "current step"},
    [T_TO_COME] = {"예정", "to come"},
    [T_DEPARTMENT] = {"담당 부서", "Department in charge"},
    [T_DUE] = {"처리 기한", "Due by"},
    [T_ANSWER] = {"답변", "Answer"},
    [T_PLACE] = {"장소", "Place"},
    [T_DETAIL] = {"내용", "What you reported"},
    [T_TIMELINE] = {"처리 단계", "Steps"},
    [T_SWITCH] = {"English", "한국어"},
    [T_SWITCH_LANG] = {"en", "ko"},
    [T_LANGUAGE] = {"언어", "Language"},
};

/* The usual path; steps after the current one are shown as still to come. */
static const char *const path[] = {"received", "assigned",  "in_progress",
                                   "answered", "confirmed", "approved"};
#define PATH_STEPS (sizeof path / sizeof path[0])

typedef struct {
    html *h;
    const char *lang;
    bool en;
} page;

static const char *t(const page *p, track_text id)
{
    return texts[id][p->en];
}

/* An element (of class cls, or none) holding text someone wrote, as the public may see it. */
static void written(const page *p, const char *tag, const char *cls, const char *text)
{
    strbuf sb;
    strbuf_init(&sb);
    pii_redact(text, strlen(text), &sb);
    html_el_attr(p->h, tag, cls ? "class" : NULL, cls, sb.failed ? "" : strbuf_str(&sb));
    strbuf_free(&sb);
}

/* "11월 25일 수요일 오전 10시" */
static void when(strbuf *out, const char *lang, time_t at)
{
    reply_date(out, lang, at);
    strbuf_puts(out, " ");
    reply_clock(out, lang, at);
}

static void banner(const page *p, const char *office)
{
    html_open(p->h, "header", NULL, NULL);
    html_open(p->h, "p", "class", "office");
    html_text(p->h, office);
    html_close(p->h);
    html_open(p->h, "nav", "aria-label", t(p, T_LANGUAGE));
    char href[32];
    snprintf(href, sizeof href, "/track?lang=%s", t(p, T_SWITCH_LANG));
    html_open(p->h, "a", "href", href);
    html_attr(p->h, "lang", t(p, T_SWITCH_LANG));
    html_attr(p->h, "hreflang", t(p, T_SWITCH_LANG));
    html_text(p->h, t(p, T_SWITCH));
    html_close(p->h);
    html_close(p->h);
    html_close(p->h);
}

static void field(const page *p, const char *name, track_text label, const char *value,
                  const char *hint)
{
    html_open(p->h, "label", "for", name);
    html_text(p->h, t(p, label));
    html_close(p->h);
    if (hint) {
        char id[32];
        snprintf(id, sizeof id, "%s-hint", name);
        html_open(p->h, "p", "id", id);
        html_attr(p->h, "class", "hint");
        html_text(p->h, hint);
        html_close(p->h);
    }
    html_open(p->h, "input", "id", name);
    html_attr(p->h, "name", name);
    html_attr(p->h, "value", value ? value : "");
    html_attr(p->h, "autocomplete", "off");
    if (strcmp(name, "digits") == 0) {
        html_attr(p->h, "inputmode", "numeric");
        html_attr(p->h, "pattern", "[0-9]{4}");
        html_attr(p->h, "maxlength", "4");
        html_attr(p->h, "aria-describedby", "digits-hint");
    } else {
        html_attr(p->h, "required", "required");
        html_attr(p->h, "placeholder", "SG-2026-000001");
    }
    html_end_void(p->h);
}

static void form(const page *p, const char *receipt)
{
    html_open(p->h, "form", "method", "post");
    html_attr(p->h, "action", "/track");
    html_hidden(p->h, "lang", p->lang);
    field(p, "receipt", T_RECEIPT, receipt, NULL);
    field(p, "digits", T_DIGITS, "", t(p, T_DIGITS_HINT));
    html_open(p->h, "button", "type", "submit");
    html_text(p->h, t(p, T_SUBMIT));
    html_close(p->h);
    html_close(p->h);
}

/* ---- the timeline ---- */

typedef struct {
    const store_complaint *c;     /* NULL: no complaint to show */
    const store_department *dept; /* dept->code "" when unknown */
    const store_event *events;
    size_t n;
    const char *message; /* shown above the form, or NULL */
    const char *receipt; /* kept in the form */
} track_view;

static void step(const page *p, const store_event *ev, bool current)
{
    strbuf sb;
    strbuf_init(&sb);
    when(&sb, p->lang, ev->at);
    html_open(p->h, "li", "class", current ? "step current" : "step done");
    if (current)
        html_attr(p->h, "aria-current", "step");
    html_el(p->h, "strong", reply_state_name(p->lang, ev->state));
    html_text(p->h, " ");
    html_open(p->h, "span", "class", "when");
    html_text(p->h, strbuf_str(&sb));
    html_close(p->h);
    if (current)
        html_el(p->h, "em", t(p, T_CURRENT));
    if (ev->note[0] && strcmp(ev->state, "answered") != 0)
        written(p, "p", NULL, ev->note); /* reasons of extensions, transfers, reopenings */
    html_close(p->h);
    strbuf_free(&sb);
}

/* How far along the path a state is (a returned answer is redone from in_progress, a reopened
 * complaint from assigned, a transferred one from received), as the chat shows it. */
static size_t position(const char *state)
{
    static const char *const detours[][2] = {
        {"rejected", "in_progress"}, {"reopened", "assigned"}, {"transferred", "received"}};
    for (size_t i = 0; i < sizeof detours / sizeof detours[0]; i++)
        if (strcmp(state, detours[i][0]) == 0)
            state = detours[i][1];
    for (size_t k = 0; k < PATH_STEPS; k++)
        if (strcmp(path[k], state) == 0)
            return k + 1;
    return PATH_STEPS;
}

static void facts(const page *p, const store_complaint *c, const store_department *d)
{
    strbuf sb;
    strbuf_init(&sb);
    html_open(p->h, "dl", NULL, NULL);
    html_el(p->h, "dt", t(p, T_PLACE));
    written(p, "dd", NULL, c->place[0] ? c->place : "-");
    html_el(p->h, "dt", t(p, T_DETAIL));
    written(p, "dd", NULL, c->detail);
    if (d->code[0]) {
        html_el(p->h, "dt", t(p, T_DEPARTMENT));
        strbuf_printf(&sb, "%s (%s)", p->en ? d->name_en : d->name_ko, d->phone);
        html_el(p->h, "dd", strbuf_str(&sb));
    }
    strbuf_clear(&sb);
    when(&sb, p->lang, c->due_at);
    html_el(p->h, "dt", t(p, T_DUE));
    html_el(p->h, "dd", strbuf_str(&sb));
    html_close(p->h);
    strbuf_free(&sb);
}

static void timeline(const page *p, const track_view *v)
{
    const store_complaint *c = v->c;
    char heading[160];
    snprintf(heading, sizeof heading, "%s %s · %s", t(p, T_RECEIPT), c->receipt,
             reply_category_name(p->lang, c->category));
    html_open(p->h, "section", "aria-labelledby", "result");
    html_open(p->h, "h2", "id", "result");
    html_text(p->h, heading);
    html_close(p->h);
    facts(p, c, v->dept);
    html_el(p->h, "h3", t(p, T_TIMELINE));
    html_open(p->h, "ol", "class", "timeline");
    for (size_t i = 0; i < v->n; i++)
        step(p, &v->events[i], i + 1 == v->n);
    for (size_t k = position(c->state); k < PATH_STEPS; k++) {
        html_open(p->h, "li", "class", "step next");
        html_el(p->h, "strong", reply_state_name(p->lang, path[k]));
        html_text(p->h, " ");
        html_el(p->h, "span", t(p, T_TO_COME));
        html_close(p->h);
    }
    html_close(p->h);
    if (strcmp(c->state, "approved") == 0 && c->answer[0]) {
        html_el(p->h, "h3", t(p, T_ANSWER));
        written(p, "p", "answer", c->answer);
    }
    html_close(p->h);
}

/* ---- the page ---- */

/* Inside <body>, which html_begin opened and html_finish closes. */
static void body(const page *p, web_ctx *w, const track_view *v)
{
    banner(p, w->cfg.office_name);
    html_open(p->h, "main", NULL, NULL);
    html_el(p->h, "h1", t(p, T_TITLE));
    if (v->message) {
        html_open(p->h, "p", "class", "message");
        html_attr(p->h, "role", "alert");
        html_text(p->h, v->message);
        html_close(p->h);
    }
    if (v->c)
        timeline(p, v);
    html_el(p->h, "p", t(p, T_INTRO));
    form(p, v->receipt);
    html_close(p->h); /* main */
}

static void render(web_ctx *w, const char *lang, const track_view *v, web_reply *out)
{
    page p = {NULL, lang, strcmp(lang, "en") == 0};
    char title[256];
    snprintf(title, sizeof title, "%s - %s", t(&p, T_TITLE), w->cfg.office_name);
    if (html_begin(&p.h, lang, title, "/track.css") != SD_OK) {
        out->body.failed = true;
        return;
    }
    body(&p, w, v);
    html_finish(p.h, out);
}

/* True when the digits unlock complaint c (the chat's rule: matching digits, or anonymous). */
static bool unlocks(const store_complaint *c, const char *digits)
{
    if (!c->phone_last4[0])
        return true;
    return digits && strlen(digits) == 4 && strlen(c->phone_last4) == 4 &&
           sodium_memcmp(digits, c->phone_last4, 4) == 0;
}

static void look_up(web_ctx *w, const web_request *r, const char *lang, web_reply *out)
{
    const char *receipt = web_arg(r, "receipt"), *digits = web_arg(r, "digits");
    track_view v = {.receipt = receipt};
    bool en = strcmp(lang, "en") == 0;
    if (!ratelimit_allow(w->track, r->client, engine_now(w->e))) {
        v.message = texts[T_TOO_MANY][en];
        out->status = 429;
        render(w, lang, &v, out);
        return;
    }
    store_complaint c;
    store_department d;
    store_event events[TRACK_MAX_EVENTS];
    size_t n = 0;
    sd_code rc =
        store_complaint_get(engine_store(w->e), receipt, &c, &d, events, TRACK_MAX_EVENTS, &n);
    if (rc == SD_OK && unlocks(&c, digits)) {
        v.c = &c, v.dept = &d, v.events = events, v.n = n;
        out->status = 200;
    } else if (rc == SD_ERR_OFFLINE) {
        /* The office's database away: say so, and that a spooled filing is safe; try later. */
        v.message = texts[strcmp(c.state, "spooled") == 0 ? T_SPOOLED : T_OFFLINE][en];
        out->status = 503;
    } else {
        /* Unknown receipt and wrong digits look the same; a store failure says so. */
        v.message =
            rc == SD_OK || rc == SD_ERR_NOT_FOUND ? texts[T_NOT_FOUND][en] : sd_strerror(rc);
        out->status = rc == SD_OK || rc == SD_ERR_NOT_FOUND ? 404 : 500;
    }
    render(w, lang, &v, out);
}

void web_track(web_ctx *w, const web_request *r, web_reply *out)
{
    bool post = strcmp(r->method, "POST") == 0;
    if (!post && strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        web_reply_method(out, "GET, HEAD, POST");
        return;
    }
    if (post && !r->form_ok) {
        web_reply_text(out, 400, "The form could not be read.");
        return;
    }
    const char *lang = web_lang(r);
    const char *receipt = web_arg(r, "receipt");
    if (receipt && *receipt) {
        look_up(w, r, lang, out);
        return;
    }
    track_view v = {.receipt = ""};
    out->status = 200;
    render(w, lang, &v, out);
}

/* Mobile first: one column at 360 px; WCAG AA contrast (text 16:1, links and marks above 4.5:1);
 * a visible focus ring for keyboard users. */
static const char track_css[] =
    "html{font-family:system-ui,'Noto Sans KR','Apple SD Gothic Neo',sans-serif;"
    "line-height:1.5;color:#1a1a1a;background:#fff}\n"
    "body{margin:0 auto;max-width:40rem;padding:0 1rem 2rem}\n"
    "header{display:flex;justify-content:space-between;align-items:center;"
    "border-bottom:2px solid #0b57d0;padding:.75rem 0}\n"
    ".office{margin:0;font-weight:700}\n"
    "a{color:#0b57d0}\n"
    "a:focus,input:focus,button:focus{outline:3px solid #b15c00;outline-offset:2px}\n"
    "h1{font-size:1.5rem}\n"
    "label{display:block;font-weight:700;margin-top:1rem}\n"
    ".hint{margin:.25rem 0;color:#4a4a4a;font-size:.9rem}\n"
    "input{box-sizing:border-box;width:100%;font-size:1.1rem;padding:.6rem;"
    "border:2px solid #595959;border-radius:4px}\n"
    "button{margin-top:1rem;width:100%;font-size:1.1rem;padding:.75rem;border:0;"
    "border-radius:4px;background:#0b57d0;color:#fff;font-weight:700}\n"
    ".message{padding:.75rem;border-left:4px solid #b3261e;background:#fdecea}\n"
    "dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}\n"
    "dt{font-weight:700}dd{margin:0}\n"
    ".timeline{list-style:none;padding:0;margin:0;border-left:3px solid #c4c4c4}\n"
    ".step{position:relative;padding:.5rem 0 .5rem 1.25rem}\n"
    ".step::before{content:'';position:absolute;left:-.6rem;top:.85rem;width:.9rem;"
    "height:.9rem;border-radius:50%;background:#fff;border:3px solid #595959}\n"
    ".done::before{background:#595959}\n"
    ".current{background:#e8f0fe}\n"
    ".current::before{background:#0b57d0;border-color:#0b57d0}\n"
    ".current em{display:block;font-style:normal;font-weight:700;color:#0b57d0}\n"
    ".next{color:#4a4a4a}\n"
    ".when{display:block}\n"
    ".step p{margin:.25rem 0 0}\n"
    ".answer{white-space:pre-wrap;padding:.75rem;background:#f1f3f4}\n";

void web_track_css(web_ctx *w, const web_request *r, web_reply *out)
{
    (void)w;
    web_reply_stylesheet(r, track_css, out);
}

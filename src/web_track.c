/* web_track.c - the residents' tracking page, /track: receipt number and the last four digits
 * of the phone number left at filing give the parcel-style timeline of a complaint (each step
 * with its time, the current step marked, the department in charge, the statutory due date,
 * the answer once approved).
 *
 * The page is plain server-written HTML5 that works without JavaScript and on a 360 px phone,
 * with landmarks, labels and a lang attribute for screen readers; the stylesheet is served
 * from /track.css because the Content-Security-Policy allows no inline style. The HTML goes
 * through libxml2's xmlTextWriter, which escapes every text and attribute: nothing a resident
 * wrote can become markup. Korean by default, English by ?lang=en or Accept-Language.
 *
 * Privacy follows the chat (dialogue.c): a complaint is shown when the digits match the phone
 * number left at filing, or when it was filed anonymously. An unknown receipt and wrong digits
 * get the very same answer, so the page tells nothing about which receipts exist, and look-ups
 * are rate-limited per address so that four digits cannot be guessed. */
#include <libxml/xmlwriter.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "replies.h"
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
    xmlTextWriterPtr xw;
    const char *lang;
    bool en;
} page;

static const char *t(const page *p, track_text id)
{
    return texts[id][p->en];
}

static void el(const page *p, const char *name, const char *text)
{
    xmlTextWriterWriteElement(p->xw, BAD_CAST name, BAD_CAST text);
}

static void open_el(const page *p, const char *name, const char *attr, const char *value)
{
    xmlTextWriterStartElement(p->xw, BAD_CAST name);
    if (attr)
        xmlTextWriterWriteAttribute(p->xw, BAD_CAST attr, BAD_CAST value);
}

static void attr(const page *p, const char *name, const char *value)
{
    xmlTextWriterWriteAttribute(p->xw, BAD_CAST name, BAD_CAST value);
}

static void close_el(const page *p)
{
    xmlTextWriterFullEndElement(p->xw);
}

/* A void element (meta, link, input): <name .../> is valid HTML5. */
static void close_void(const page *p)
{
    xmlTextWriterEndElement(p->xw);
}

/* "11월 25일 수요일 오전 10시" */
static void when(strbuf *out, const char *lang, time_t at)
{
    reply_date(out, lang, at);
    strbuf_puts(out, " ");
    reply_clock(out, lang, at);
}

static void head(const page *p, const char *office)
{
    char title[256];
    snprintf(title, sizeof title, "%s - %s", t(p, T_TITLE), office);
    open_el(p, "head", NULL, NULL);
    open_el(p, "meta", "charset", "utf-8");
    close_void(p);
    open_el(p, "meta", "name", "viewport");
    attr(p, "content", "width=device-width, initial-scale=1");
    close_void(p);
    el(p, "title", title);
    open_el(p, "link", "rel", "stylesheet");
    attr(p, "href", "/track.css");
    close_void(p);
    close_el(p);
}

static void banner(const page *p, const char *office)
{
    open_el(p, "header", NULL, NULL);
    open_el(p, "p", "class", "office");
    xmlTextWriterWriteString(p->xw, BAD_CAST office);
    close_el(p);
    open_el(p, "nav", "aria-label", t(p, T_LANGUAGE));
    char href[32];
    snprintf(href, sizeof href, "/track?lang=%s", t(p, T_SWITCH_LANG));
    open_el(p, "a", "href", href);
    attr(p, "lang", t(p, T_SWITCH_LANG));
    attr(p, "hreflang", t(p, T_SWITCH_LANG));
    xmlTextWriterWriteString(p->xw, BAD_CAST t(p, T_SWITCH));
    close_el(p);
    close_el(p);
    close_el(p);
}

static void field(const page *p, const char *name, track_text label, const char *value,
                  const char *hint)
{
    open_el(p, "label", "for", name);
    xmlTextWriterWriteString(p->xw, BAD_CAST t(p, label));
    close_el(p);
    if (hint) {
        char id[32];
        snprintf(id, sizeof id, "%s-hint", name);
        open_el(p, "p", "id", id);
        attr(p, "class", "hint");
        xmlTextWriterWriteString(p->xw, BAD_CAST hint);
        close_el(p);
    }
    open_el(p, "input", "id", name);
    attr(p, "name", name);
    attr(p, "value", value ? value : "");
    attr(p, "autocomplete", "off");
    if (strcmp(name, "digits") == 0) {
        attr(p, "inputmode", "numeric");
        attr(p, "pattern", "[0-9]{4}");
        attr(p, "maxlength", "4");
        attr(p, "aria-describedby", "digits-hint");
    } else {
        attr(p, "required", "required");
        attr(p, "placeholder", "SG-2026-000001");
    }
    close_void(p);
}

static void form(const page *p, const char *receipt)
{
    open_el(p, "form", "method", "post");
    attr(p, "action", "/track");
    open_el(p, "input", "type", "hidden");
    attr(p, "name", "lang");
    attr(p, "value", p->lang);
    close_void(p);
    field(p, "receipt", T_RECEIPT, receipt, NULL);
    field(p, "digits", T_DIGITS, "", t(p, T_DIGITS_HINT));
    open_el(p, "button", "type", "submit");
    xmlTextWriterWriteString(p->xw, BAD_CAST t(p, T_SUBMIT));
    close_el(p);
    close_el(p);
}

/* ---- the timeline ---- */

static void step(const page *p, const store_event *ev, bool current)
{
    strbuf sb;
    strbuf_init(&sb);
    when(&sb, p->lang, ev->at);
    open_el(p, "li", "class", current ? "step current" : "step done");
    if (current)
        attr(p, "aria-current", "step");
    el(p, "strong", reply_state_name(p->lang, ev->state));
    xmlTextWriterWriteString(p->xw, BAD_CAST " ");
    open_el(p, "span", "class", "when");
    xmlTextWriterWriteString(p->xw, BAD_CAST strbuf_str(&sb));
    close_el(p);
    if (current)
        el(p, "em", t(p, T_CURRENT));
    if (ev->note[0] && strcmp(ev->state, "answered") != 0)
        el(p, "p", ev->note); /* reasons of extensions, transfers, reopenings */
    close_el(p);
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

static void facts(const page *p, store *db, const store_complaint *c)
{
    store_department d;
    strbuf sb;
    strbuf_init(&sb);
    open_el(p, "dl", NULL, NULL);
    el(p, "dt", t(p, T_PLACE));
    el(p, "dd", c->place[0] ? c->place : "-");
    el(p, "dt", t(p, T_DETAIL));
    el(p, "dd", c->detail);
    if (store_department_get(db, c->department, &d) == SD_OK) {
        el(p, "dt", t(p, T_DEPARTMENT));
        strbuf_printf(&sb, "%s (%s)", p->en ? d.name_en : d.name_ko, d.phone);
        el(p, "dd", strbuf_str(&sb));
    }
    strbuf_clear(&sb);
    when(&sb, p->lang, c->due_at);
    el(p, "dt", t(p, T_DUE));
    el(p, "dd", strbuf_str(&sb));
    close_el(p);
    strbuf_free(&sb);
}

static void timeline(const page *p, store *db, const store_complaint *c, const store_event *ev,
                     size_t n)
{
    char heading[160];
    snprintf(heading, sizeof heading, "%s %s · %s", t(p, T_RECEIPT), c->receipt,
             reply_category_name(p->lang, c->category));
    open_el(p, "section", "aria-labelledby", "result");
    open_el(p, "h2", "id", "result");
    xmlTextWriterWriteString(p->xw, BAD_CAST heading);
    close_el(p);
    facts(p, db, c);
    el(p, "h3", t(p, T_TIMELINE));
    open_el(p, "ol", "class", "timeline");
    for (size_t i = 0; i < n; i++)
        step(p, &ev[i], i + 1 == n);
    for (size_t k = position(c->state); k < PATH_STEPS; k++) {
        open_el(p, "li", "class", "step next");
        el(p, "strong", reply_state_name(p->lang, path[k]));
        xmlTextWriterWriteString(p->xw, BAD_CAST " ");
        el(p, "span", t(p, T_TO_COME));
        close_el(p);
    }
    close_el(p);
    if (strcmp(c->state, "approved") == 0 && c->answer[0]) {
        el(p, "h3", t(p, T_ANSWER));
        open_el(p, "p", "class", "answer");
        xmlTextWriterWriteString(p->xw, BAD_CAST c->answer);
        close_el(p);
    }
    close_el(p);
}

/* ---- the page ---- */

typedef struct {
    const store_complaint *c; /* NULL: no complaint to show */
    const store_event *events;
    size_t n;
    const char *message; /* shown above the form, or NULL */
    const char *receipt; /* kept in the form */
} track_view;

static void body(const page *p, web_ctx *w, const track_view *v)
{
    open_el(p, "body", NULL, NULL);
    banner(p, w->cfg.office_name);
    open_el(p, "main", NULL, NULL);
    el(p, "h1", t(p, T_TITLE));
    if (v->message) {
        open_el(p, "p", "class", "message");
        attr(p, "role", "alert");
        xmlTextWriterWriteString(p->xw, BAD_CAST v->message);
        close_el(p);
    }
    if (v->c)
        timeline(p, engine_store(w->e), v->c, v->events, v->n);
    el(p, "p", t(p, T_INTRO));
    form(p, v->receipt);
    close_el(p);
    close_el(p);
}

static void render(web_ctx *w, const char *lang, const track_view *v, web_reply *out)
{
    xmlBufferPtr buf = xmlBufferCreate();
    page p = {buf ? xmlNewTextWriterMemory(buf, 0) : NULL, lang, strcmp(lang, "en") == 0};
    if (!p.xw) {
        xmlBufferFree(buf);
        out->body.failed = true;
        return;
    }
    open_el(&p, "html", "lang", lang);
    head(&p, w->cfg.office_name);
    body(&p, w, v);
    close_el(&p);
    xmlFreeTextWriter(p.xw);
    out->content_type = "text/html; charset=utf-8";
    strbuf_clear(&out->body);
    strbuf_puts(&out->body, "<!DOCTYPE html>\n");
    strbuf_append(&out->body, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
    xmlBufferFree(buf);
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
    if (!ratelimit_allow(w->track, r->client, time(NULL))) {
        v.message = texts[T_TOO_MANY][en];
        out->status = 429;
        render(w, lang, &v, out);
        return;
    }
    store_complaint c;
    store_event events[TRACK_MAX_EVENTS];
    size_t n = 0;
    sd_code rc = store_complaint_get(engine_store(w->e), receipt, &c, events, TRACK_MAX_EVENTS, &n);
    if (rc == SD_OK && unlocks(&c, digits)) {
        v.c = &c, v.events = events, v.n = n;
        out->status = 200;
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

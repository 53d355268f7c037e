/* web_staff_pages.c - the dashboard's page of one complaint: its facts, the resident's
 * recording, the steps the viewer may take on it now, and its timeline; and the recording
 * itself.
 *
 * A complaint's page, its recording and its actions belong to its department only. The page
 * offers exactly the steps lifecycle_may allows this member of staff in the complaint's present
 * state (an officer on a new complaint can take it or transfer it; only the head sees approve),
 * each as one form; the officer to put in charge is chosen from the department's staff by name.
 * Every form still posts to lifecycle_apply with the signed-in member of staff as actor, and a
 * refusal (the state changed meanwhile, a hand-made POST) shows the lifecycle's own reason, so
 * the rules live in lifecycle.c alone. People are shown by name and departments, states and
 * channels by their Korean names, never by code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lifecycle.h"
#include "reply.h"
#include "web_staff.h"
#include "web_staff_query.h"

#define MAX_EVENTS 64
/* The largest recording served (a long turn at 16 kHz is well below). */
#define MAX_RECORDING (32 * 1024 * 1024)

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* ---- one complaint ---- */

/* The recording of receipt in the recordings folder, when there is one. */
static bool recording_path(const web_ctx *w, const char *receipt, char *path, size_t size)
{
    if (strspn(receipt, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != strlen(receipt))
        return false; /* receipts are SG-YYYY-NNNNNN: nothing else reaches the file system */
    int n = snprintf(path, size, "%s/%s.wav", w->cfg.web.recordings, receipt);
    struct stat st;
    return n > 0 && (size_t)n < size && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void fact(html *h, const char *name, const char *value)
{
    html_el(h, "dt", name);
    html_el(h, "dd", value && *value ? value : "-");
}

/* What a page of one complaint needs besides the complaint. */
typedef struct {
    const staff_req *q;
    const store_complaint *c;
    const staff_directory *d;
} complaint_ctx;

static void facts(html *h, const complaint_ctx *x)
{
    const store_complaint *c = x->c;
    char filed[48], due[192], phone[32];
    staff_row row;
    staff_row_cells(x->d, c, 0, x->q->now, &row);
    staff_format_time(filed, c->filed_at);
    staff_format_time(due, c->due_at);
    if (lifecycle_is_open(c->state)) /* how long is left; once done the state says it */
        snprintf(due + strlen(due), sizeof due - strlen(due), " (%s)", row.cell[STAFF_COL_LEFT]);
    snprintf(phone, sizeof phone, "%s%.7s", c->phone_last4[0] ? "***-****-" : "익명",
             c->phone_last4);
    html_open(h, "dl", NULL, NULL);
    fact(h, "분류", reply_category_name("ko", c->category));
    fact(h, "상태", reply_state_name("ko", c->state));
    fact(h, "부서", staff_department_name(x->d, c->department));
    fact(h, "담당자", staff_person_name(x->d, c->officer));
    fact(h, "장소", c->place);
    fact(h, "내용", c->detail);
    fact(h, "전화번호", phone);
    fact(h, "접수 경로", staff_channel_name(c->channel));
    fact(h, "접수처", staff_site_name(c->site));
    fact(h, "접수", filed);
    fact(h, "처리 기한", due);
    if (c->extensions)
        fact(h, "기한 연장", c->extensions == 1 ? "1회" : "2회 (더 연장할 수 없음)");
    fact(h, "답변", c->answer);
    html_close(h);
}

static void recording(html *h, const staff_req *q, const store_complaint *c)
{
    char path[1024], href[64];
    if (!recording_path(q->w, c->receipt, path, sizeof path))
        return;
    snprintf(href, sizeof href, "/staff/audio/%s", c->receipt);
    html_el_attr(h, "h2", "id", "recording", "민원인 녹음");
    html_open(h, "audio", "controls", "controls");
    html_attr(h, "preload", "none");
    html_attr(h, "src", href);
    html_attr(h, "aria-labelledby", "recording");
    html_el_attr(h, "a", "href", href, "녹음 파일 받기");
    html_close(h);
}

static const char *const history_heads[] = {"시각", "단계", "처리자", "부서", "메모"};

/* A cell of the history; on a phone it says its column (the time heads the card). */
static void cell(html *h, int column, const char *text)
{
    html_open(h, "td", column ? "data-label" : NULL, column ? history_heads[column] : NULL);
    html_text(h, text && *text ? text : "-");
    html_close(h);
}

static void timeline(html *h, const complaint_ctx *x, const store_event *ev, size_t n)
{
    html_el(h, "h2", "처리 이력");
    /* the heading says what the caption would */
    html_open(h, "div", "class", "cards quiet");
    html_region_table_start(h, "처리 이력", history_heads,
                            sizeof history_heads / sizeof history_heads[0]);
    for (size_t i = 0; i < n; i++) {
        char at[48];
        staff_format_time(at, ev[i].at);
        html_open(h, "tr", NULL, NULL);
        cell(h, 0, at);
        cell(h, 1, reply_state_name("ko", ev[i].state));
        cell(h, 2, staff_person_name(x->d, ev[i].actor));
        cell(h, 3, staff_department_name(x->d, ev[i].department));
        cell(h, 4, ev[i].note);
        html_close(h);
    }
    html_close(h);
    html_close(h);
    html_close(h);
    html_close(h);
}

/* ---- the action forms ---- */

typedef enum { F_NONE, F_OFFICER, F_ANSWER, F_REASON, F_TRANSFER, F_EXTEND } action_fields;

static const struct {
    lifecycle_action action;
    const char *label;
    action_fields fields;
} actions[] = {
    {LC_ASSIGN, "담당자 배정", F_OFFICER}, {LC_START, "처리 시작", F_NONE},
    {LC_ANSWER, "답변 작성", F_ANSWER},    {LC_CONFIRM, "담당자 확인", F_NONE},
    {LC_APPROVE, "승인", F_NONE},          {LC_REJECT, "반려", F_REASON},
    {LC_REOPEN, "재처리", F_REASON},       {LC_TRANSFER, "부서 이관", F_TRANSFER},
    {LC_EXTEND, "기한 연장", F_EXTEND},
};

/* What an officer's assign is: taking the complaint themselves. */
#define TAKE_LABEL "내가 맡기"

static bool is_head(const staff_req *q)
{
    return strcmp(q->me.role, "head") == 0;
}

static const char *label_of(const staff_req *q, size_t i)
{
    return actions[i].action == LC_ASSIGN && !is_head(q) ? TAKE_LABEL : actions[i].label;
}

static void option(html *h, const char *value, const char *text)
{
    html_open(h, "option", "value", value);
    html_text(h, text);
    html_close(h);
}

/* A required select with its label, starting on an empty prompt the browser will not submit:
 * nothing is chosen by default, so a slip never assigns or transfers. The caller adds the
 * options and closes it. */
static void choice_start(html *h, const char *id, const char *name, const char *label,
                         const char *prompt)
{
    staff_label(h, id, label);
    html_open(h, "select", "id", id);
    html_attr(h, "name", name);
    html_attr(h, "required", "required");
    option(h, "", prompt);
}

/* <label> and a field named name of the form of action; required when the step needs it. */
static void input(html *h, const char *action, const char *name, const char *label,
                  const char *type, bool required)
{
    char id[48];
    snprintf(id, sizeof id, "%s-%s", action, name);
    staff_label(h, id, label);
    bool area = strcmp(type, "textarea") == 0;
    html_open(h, area ? "textarea" : "input", "id", id);
    html_attr(h, "name", name);
    if (!area)
        html_attr(h, "type", type);
    if (required)
        html_attr(h, "required", "required");
    if (area)
        html_close(h);
    else
        html_end_void(h);
}

/* Whom a head may put in charge: the department's active staff but the officer in charge. */
static bool assignable_person(const complaint_ctx *x, const store_staff *m)
{
    return m->active && strcmp(m->department, x->c->department) == 0 &&
           strcmp(m->login, x->c->officer) != 0;
}

static bool assignable(const complaint_ctx *x)
{
    size_t n;
    const store_staff *people = staff_directory_people(x->d, &n);
    for (size_t i = 0; i < n; i++)
        if (assignable_person(x, &people[i]))
            return true;
    return false;
}

static void officer_fields(html *h, const complaint_ctx *x)
{
    if (!is_head(x->q)) { /* an officer takes it: no choice to make */
        html_hidden(h, "officer", x->q->me.login);
        return;
    }
    size_t n;
    const store_staff *people = staff_directory_people(x->d, &n);
    choice_start(h, "assign-officer", "officer", "담당자", "담당자를 고르세요");
    for (size_t i = 0; i < n; i++) {
        if (!assignable_person(x, &people[i]))
            continue;
        char text[96];
        snprintf(text, sizeof text, "%s (%s)", people[i].name,
                 strcmp(people[i].role, "head") == 0 ? "부서장" : "담당자");
        option(h, people[i].login, text);
    }
    html_close(h);
}

static void transfer_fields(html *h, const complaint_ctx *x)
{
    size_t n;
    const store_department *depts = staff_directory_departments(x->d, &n);
    choice_start(h, "transfer-dept", "dept", "받을 부서", "받을 부서를 고르세요");
    for (size_t i = 0; i < n; i++)
        if (strcmp(depts[i].code, x->c->department) != 0)
            option(h, depts[i].code, depts[i].name_ko);
    html_close(h);
    input(h, "transfer", "text", "사유 (선택)", "textarea", false);
}

static void extend_fields(html *h, const complaint_ctx *x)
{
    char max[16], label[64];
    int period = calendar_period_days(x->c->complaint_type);
    snprintf(max, sizeof max, "%d", period);
    snprintf(label, sizeof label, "연장 일수 (근무일, 1-%d일)", period);
    staff_label(h, "extend-days", label);
    html_open(h, "input", "id", "extend-days");
    html_attr(h, "name", "days");
    html_attr(h, "type", "number");
    html_attr(h, "min", "1");
    html_attr(h, "max", max);
    html_attr(h, "required", "required");
    html_end_void(h);
    input(h, "extend", "text", "사유", "text", true);
    if (x->c->extensions == 1) { /* the law's second extension needs the resident's consent */
        html_open(h, "label", "class", "check");
        html_open(h, "input", "type", "checkbox");
        html_attr(h, "name", "consent");
        html_attr(h, "value", "1");
        html_attr(h, "required", "required");
        html_end_void(h);
        html_text(h, "민원인이 두 번째 연장에 동의함");
        html_close(h);
    }
}

static void fields(html *h, const complaint_ctx *x, size_t i)
{
    const char *name = lifecycle_action_name(actions[i].action);
    switch (actions[i].fields) {
    case F_OFFICER:
        officer_fields(h, x);
        break;
    case F_ANSWER:
        input(h, name, "text", "답변 (승인되면 민원인에게 보입니다)", "textarea", true);
        break;
    case F_REASON:
        input(h, name, "text", "사유", "textarea", true);
        break;
    case F_TRANSFER:
        transfer_fields(h, x);
        break;
    case F_EXTEND:
        extend_fields(h, x);
        break;
    case F_NONE:
        break;
    }
}

static void action_form(html *h, const complaint_ctx *x, size_t i, const char *target)
{
    const char *name = lifecycle_action_name(actions[i].action);
    const char *label = label_of(x->q, i);
    html_open(h, "form", "method", "post");
    html_attr(h, "action", target);
    html_attr(h, "class", "action");
    html_attr(h, "aria-label", label);
    staff_csrf_field(h, x->q);
    html_hidden(h, "action", name);
    html_el(h, "h3", label);
    fields(h, x, i);
    html_open(h, "button", "type", "submit");
    html_attr(h, "name", "do");
    html_attr(h, "value", name);
    html_text(h, label);
    html_close(h);
    html_close(h);
}

/* The label of action a on the page. */
static const char *label_for(lifecycle_action a)
{
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (actions[i].action == a)
            return actions[i].label;
    return lifecycle_action_name(a);
}

/* Who of the department may take step a now: "윤소음" or "김환경, 이과장" into who. */
static void who_may(const complaint_ctx *x, lifecycle_action a, strbuf *who)
{
    size_t n;
    const store_staff *people = staff_directory_people(x->d, &n);
    for (size_t k = 0; k < n; k++)
        if (people[k].active && lifecycle_may(a, x->c, &people[k]))
            strbuf_printf(who, "%s%s", who->len ? ", " : "", people[k].name);
}

/* The steps that move the complaint on and are someone else's now, with who may take them
 * ("담당자 확인 (윤소음)"): asked of the rules for each member of the department, so that a
 * head who sees no approve knows whom the complaint waits for. */
static void others_steps(html *h, const complaint_ctx *x)
{
    static const lifecycle_action onward[] = {LC_START, LC_ANSWER, LC_CONFIRM, LC_APPROVE,
                                              LC_REJECT};
    strbuf line;
    strbuf_init(&line);
    for (size_t i = 0; i < sizeof onward / sizeof onward[0]; i++) {
        if (lifecycle_may(onward[i], x->c, &x->q->me))
            continue;
        strbuf who;
        strbuf_init(&who);
        who_may(x, onward[i], &who);
        if (who.len)
            strbuf_printf(&line, "%s%s (%s)", line.len ? ", " : "", label_for(onward[i]),
                          strbuf_str(&who));
        strbuf_free(&who);
    }
    if (line.len) {
        html_open(h, "p", "class", "note");
        html_text(h, "다른 분이 할 다음 처리: ");
        html_text(h, strbuf_str(&line));
        html_close(h);
    }
    strbuf_free(&line);
}

static void action_forms(html *h, const complaint_ctx *x)
{
    char target[64];
    snprintf(target, sizeof target, "/staff/c/%s", x->c->receipt);
    html_el_attr(h, "h2", "id", "actions", "처리");
    others_steps(h, x);
    int offered = 0;
    html_open(h, "div", "class", "actions");
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        if (!lifecycle_may(actions[i].action, x->c, &x->q->me))
            continue;
        /* a head with no one else in the department to assign has nothing to choose */
        if (actions[i].action == LC_ASSIGN && is_head(x->q) && !assignable(x))
            continue;
        action_form(h, x, i, target);
        offered++;
    }
    html_close(h);
    if (!offered)
        html_el_attr(h, "p", "class", "note", "이 단계에서 하실 수 있는 처리가 없어요.");
}

static const char *action_label(const staff_req *q, const char *name)
{
    for (size_t i = 0; name && i < sizeof actions / sizeof actions[0]; i++)
        if (strcmp(lifecycle_action_name(actions[i].action), name) == 0)
            return label_of(q, i);
    return NULL;
}

typedef struct {
    const char *message; /* NULL: none */
    const char *lang;    /* of the message */
    bool error;
    int status;
} complaint_view;

static void complaint_page(const complaint_ctx *x, const store_event *ev, size_t n,
                           const complaint_view *v, web_reply *out)
{
    char title[64];
    snprintf(title, sizeof title, "민원 %.31s", x->c->receipt);
    html *h = staff_page(x->q, title, out);
    if (!h)
        return;
    if (v->message)
        staff_message(h, v->message, v->lang, v->error);
    facts(h, x);
    recording(h, x->q, x->c);
    action_forms(h, x);
    timeline(h, x, ev, n);
    html_finish(h, out);
    out->status = v->status;
}

/* Runs the posted action through lifecycle_apply; on success the browser is sent back to the
 * page (303), else the page is shown with the lifecycle's reason. */
static bool act(const staff_req *q, const char *receipt, complaint_view *v, char *why,
                size_t whylen, web_reply *out)
{
    const web_request *r = q->r;
    const char *name = web_arg(r, "action"), *days = web_arg(r, "days");
    lifecycle_action a = name ? lifecycle_action_find(name) : LC_ACTIONS;
    if (a == LC_ACTIONS || a == LC_INTERIM) {
        *v = (complaint_view){"그런 처리는 없어요.", NULL, true, 400};
        return false;
    }
    lifecycle_request req = {.action = a,
                             .officer = nonempty(web_arg(r, "officer")),
                             .department = nonempty(web_arg(r, "dept")),
                             .text = nonempty(web_arg(r, "text")),
                             .days = days ? (int)strtol(days, NULL, 10) : 0,
                             .consent = nonempty(web_arg(r, "consent")) != NULL,
                             .cal = engine_calendar(q->w->e)};
    sd_code rc = lifecycle_apply(engine_store(q->w->e), receipt, q->me.login, q->now, &req);
    if (rc == SD_OK) {
        char back[96];
        snprintf(back, sizeof back, "/staff/c/%s?done=%s", receipt, name);
        staff_redirect(out, back);
        return true;
    }
    snprintf(why, whylen, "%s refused: %s", name, req.why[0] ? req.why : sd_strerror(rc));
    int status = rc == SD_ERR_DENIED    ? 403
                 : rc == SD_ERR_INVALID ? 400
                 : rc == SD_ERR_BUSY    ? 503
                                        : 500;
    *v = (complaint_view){why, "en", true, status};
    return false;
}

void staff_complaint(const staff_req *q, const char *receipt, web_reply *out)
{
    store_complaint c;
    store_event ev[MAX_EVENTS];
    size_t n = 0;
    store *db = engine_store(q->w->e);
    sd_code rc = store_complaint_get(db, receipt, &c, NULL, ev, MAX_EVENTS, &n);
    if (rc != SD_OK) {
        staff_error(q, rc == SD_ERR_NOT_FOUND ? 404 : 500,
                    rc == SD_ERR_NOT_FOUND ? "그런 민원은 없어요." : sd_strerror(rc), out);
        return;
    }
    if (strcmp(c.department, q->me.department) != 0) {
        staff_error(q, 403, "다른 부서의 민원이에요. 그 부서 직원만 볼 수 있어요.", out);
        return;
    }
    char done[96], why[400];
    const char *label = action_label(q, web_arg(q->r, "done"));
    complaint_view v = {.status = 200};
    if (label) {
        snprintf(done, sizeof done, "%s: 처리되었어요.", label);
        v.message = done;
    }
    if (strcmp(q->r->method, "POST") == 0) {
        if (act(q, receipt, &v, why, sizeof why, out))
            return;
        store_complaint_get(db, receipt, &c, NULL, ev, MAX_EVENTS, &n);
    }
    staff_directory *d = NULL;
    rc = staff_directory_load(db, &d);
    if (rc != SD_OK) {
        staff_directory_free(d);
        staff_error(q, 500, sd_strerror(rc), out);
        return;
    }
    complaint_ctx x = {q, &c, d};
    complaint_page(&x, ev, n, &v, out);
    staff_directory_free(d);
}

/* ---- the recording ---- */

static sd_code read_file(const char *path, strbuf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? SD_ERR_NOT_FOUND : SD_ERR_IO;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && out->len < MAX_RECORDING)
        strbuf_append(out, chunk, got);
    sd_code rc = ferror(f) || out->len >= MAX_RECORDING ? SD_ERR_IO : SD_OK;
    fclose(f);
    return rc;
}

void staff_audio(const staff_req *q, const char *receipt, web_reply *out)
{
    store_complaint c;
    size_t n = 0;
    char path[1024];
    sd_code rc = store_complaint_get(engine_store(q->w->e), receipt, &c, NULL, NULL, 0, &n);
    if (rc == SD_OK && strcmp(c.department, q->me.department) != 0) {
        web_reply_text(out, 403, "This complaint belongs to another department.");
        return;
    }
    if (rc != SD_OK || !recording_path(q->w, c.receipt, path, sizeof path)) {
        web_reply_text(out, 404, "No recording.");
        return;
    }
    strbuf_clear(&out->body);
    rc = read_file(path, &out->body);
    if (rc != SD_OK) {
        web_reply_text(out, 500, "The recording cannot be read.");
        return;
    }
    out->status = 200;
    out->content_type = "audio/wav";
}

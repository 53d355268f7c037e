/* web_staff_pages.c - the dashboard's complaint pages: the list with the terminal's filters
 * (state, department, overdue, due today), one complaint with its facts, its timeline, the
 * resident's recording and one form per lifecycle action, and the recording itself.
 *
 * Any member of staff sees the office's list (receipt, state, department, deadline: nothing
 * personal); a complaint's own page, its recording and its actions belong to its department
 * only. Actions are not filtered here: every form posts to lifecycle_apply with the signed-in
 * member of staff as actor, and a refusal shows the lifecycle's own reason, so the rules live
 * in lifecycle.c alone. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lifecycle.h"
#include "replies.h"
#include "web_staff.h"

#define MAX_EVENTS 64
#define MAX_DEPARTMENTS 32
/* The largest recording served (a long turn at 16 kHz is well below). */
#define MAX_RECORDING (32 * 1024 * 1024)

static const char *const states[] = {"received", "assigned",  "in_progress",
                                     "answered", "confirmed", "approved",
                                     "rejected", "reopened",  "transferred"};

static void kst(char out[48], time_t t)
{
    struct tm tm;
    calendar_kst(t, &tm);
    snprintf(out, 48, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min);
}

static const char *department_name(const store_department *d, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(d[i].code, code) == 0)
            return d[i].name_ko;
    return code;
}

/* ---- the list ---- */

typedef struct {
    const staff_req *q;
    html *h;
    store_department *depts;
    size_t ndepts;
    int shown;
} list_walk;

static void cell(html *h, const char *text)
{
    html_el(h, "td", text);
}

static sd_code list_row(void *ctx, const store_complaint *c)
{
    list_walk *lw = ctx;
    html *h = lw->h;
    char due[48];
    kst(due, c->due_at);
    html_open(h, "tr", NULL, NULL);
    html_open(h, "td", NULL, NULL);
    if (strcmp(c->department, lw->q->me.department) == 0) {
        char href[64];
        snprintf(href, sizeof href, "/staff/c/%s", c->receipt);
        html_el_attr(h, "a", "href", href, c->receipt);
    } else {
        html_text(h, c->receipt);
    }
    html_close(h);
    cell(h, reply_category_name("ko", c->category));
    cell(h, reply_state_name("ko", c->state));
    cell(h, department_name(lw->depts, lw->ndepts, c->department));
    cell(h, c->officer[0] ? c->officer : "-");
    html_open(h, "td", NULL, NULL);
    html_text(h, due);
    if (lifecycle_is_open(c->state) && c->due_at < lw->q->now)
        html_el_attr(h, "span", "class", "late", " 기한 지남");
    html_close(h);
    html_close(h);
    lw->shown++;
    return SD_OK;
}

static void option(html *h, const char *value, const char *text, const char *chosen)
{
    html_open(h, "option", "value", value);
    if (chosen && strcmp(chosen, value) == 0)
        html_attr(h, "selected", "selected");
    html_text(h, text);
    html_close(h);
}

static void checkbox(html *h, const char *name, const char *text, bool on)
{
    html_open(h, "label", "class", "check");
    html_open(h, "input", "type", "checkbox");
    html_attr(h, "name", name);
    html_attr(h, "value", "1");
    if (on)
        html_attr(h, "checked", "checked");
    html_end_void(h);
    html_text(h, text);
    html_close(h);
}

static void filters(html *h, const list_walk *lw, const char *state, const char *dept, bool overdue,
                    bool today)
{
    html_open(h, "form", "method", "get");
    html_attr(h, "action", "/staff/list");
    html_attr(h, "class", "filters");
    html_attr(h, "aria-label", "조건");
    html_open(h, "div", NULL, NULL);
    staff_label(h, "state", "상태");
    html_open(h, "select", "id", "state");
    html_attr(h, "name", "state");
    option(h, "", "전체", state);
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        option(h, states[i], reply_state_name("ko", states[i]), state);
    html_close(h);
    html_close(h);
    html_open(h, "div", NULL, NULL);
    staff_label(h, "dept", "부서");
    html_open(h, "select", "id", "dept");
    html_attr(h, "name", "dept");
    option(h, "", "전체", dept);
    for (size_t i = 0; i < lw->ndepts; i++)
        option(h, lw->depts[i].code, lw->depts[i].name_ko, dept);
    html_close(h);
    html_close(h);
    html_open(h, "div", NULL, NULL);
    checkbox(h, "overdue", "기한 지남", overdue);
    checkbox(h, "due_today", "오늘 마감", today);
    html_close(h);
    html_el_attr(h, "button", "type", "submit", "조회");
    html_close(h);
}

static void list_table(html *h, list_walk *lw, const store_complaint_filter *f)
{
    static const char *const heads[] = {"접수번호", "분류", "상태", "부서", "담당자", "처리 기한"};
    html_table_start(h, "민원 (마감이 가까운 순)", heads, sizeof heads / sizeof heads[0]);
    sd_code rc = store_complaint_list(engine_store(lw->q->w->e), f, list_row, lw);
    html_close(h);
    html_close(h);
    html_close(h);
    if (rc != SD_OK)
        staff_message(h, sd_strerror(rc), "en", true);
    html_textf(h, "%d건", lw->shown);
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

void staff_list(const staff_req *q, web_reply *out)
{
    const web_request *r = q->r;
    const char *state = nonempty(web_arg(r, "state")), *dept = nonempty(web_arg(r, "dept"));
    bool overdue = nonempty(web_arg(r, "overdue")), today = nonempty(web_arg(r, "due_today"));
    store_department depts[MAX_DEPARTMENTS];
    list_walk lw = {.q = q, .depts = depts};
    staff_departments(engine_store(q->w->e), depts, MAX_DEPARTMENTS, &lw.ndepts);
    store_complaint_filter f = {.state = state, .department = dept};
    lifecycle_due_filter(engine_calendar(q->w->e), q->now, overdue, today, &f);
    html *h = staff_page(q, "민원 목록", out);
    if (!h)
        return;
    lw.h = h;
    filters(h, &lw, state, dept, overdue, today);
    list_table(h, &lw, &f);
    html_finish(h, out);
    out->status = 200;
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

static void facts(html *h, const staff_req *q, const store_complaint *c)
{
    char filed[48], due[48], phone[24];
    kst(filed, c->filed_at);
    kst(due, c->due_at);
    snprintf(phone, sizeof phone, "%s%s", c->phone_last4[0] ? "***-****-" : "익명", c->phone_last4);
    store_department d;
    bool known = store_department_get(engine_store(q->w->e), c->department, &d) == SD_OK;
    html_open(h, "dl", NULL, NULL);
    fact(h, "분류", reply_category_name("ko", c->category));
    fact(h, "상태", reply_state_name("ko", c->state));
    fact(h, "부서", known ? d.name_ko : c->department);
    fact(h, "담당자", c->officer);
    fact(h, "장소", c->place);
    fact(h, "내용", c->detail);
    fact(h, "전화번호", phone);
    fact(h, "접수 경로", c->channel);
    fact(h, "접수", filed);
    fact(h, "처리 기한", due);
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

static void timeline(html *h, const store_event *ev, size_t n)
{
    static const char *const heads[] = {"시각", "단계", "처리자", "부서", "메모"};
    html_el(h, "h2", "처리 이력");
    html_table_start(h, NULL, heads, sizeof heads / sizeof heads[0]);
    for (size_t i = 0; i < n; i++) {
        char at[48];
        kst(at, ev[i].at);
        html_open(h, "tr", NULL, NULL);
        cell(h, at);
        cell(h, reply_state_name("ko", ev[i].state));
        cell(h, ev[i].actor[0] ? ev[i].actor : "-");
        cell(h, ev[i].department);
        cell(h, ev[i].note);
        html_close(h);
    }
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

static void input(html *h, const char *action, const char *name, const char *label,
                  const char *type, const char *value)
{
    char id[48];
    snprintf(id, sizeof id, "%s-%s", action, name);
    staff_label(h, id, label);
    html_open(h, strcmp(type, "textarea") == 0 ? "textarea" : "input", "id", id);
    html_attr(h, "name", name);
    if (strcmp(type, "textarea") == 0) {
        html_text(h, value ? value : "");
        html_close(h);
        return;
    }
    html_attr(h, "type", type);
    if (value)
        html_attr(h, "value", value);
    html_end_void(h);
}

static void transfer_fields(html *h, const staff_req *q)
{
    store_department depts[MAX_DEPARTMENTS];
    size_t n = 0;
    staff_departments(engine_store(q->w->e), depts, MAX_DEPARTMENTS, &n);
    staff_label(h, "transfer-dept", "받을 부서");
    html_open(h, "select", "id", "transfer-dept");
    html_attr(h, "name", "dept");
    for (size_t i = 0; i < n; i++)
        if (strcmp(depts[i].code, q->me.department) != 0)
            option(h, depts[i].code, depts[i].name_ko, NULL);
    html_close(h);
    input(h, "transfer", "text", "사유 (선택)", "textarea", NULL);
}

static void fields(html *h, const staff_req *q, const char *name, action_fields f)
{
    switch (f) {
    case F_OFFICER:
        input(h, name, "officer", "담당자 아이디", "text", q->me.login);
        break;
    case F_ANSWER:
        input(h, name, "text", "답변 (승인되면 민원인에게 보입니다)", "textarea", NULL);
        break;
    case F_REASON:
        input(h, name, "text", "사유", "textarea", NULL);
        break;
    case F_TRANSFER:
        transfer_fields(h, q);
        break;
    case F_EXTEND:
        input(h, name, "days", "연장 일수 (근무일)", "number", NULL);
        input(h, name, "text", "사유", "text", NULL);
        checkbox(h, "consent", "민원인이 동의함 (두 번째 연장)", false);
        break;
    case F_NONE:
        break;
    }
}

static void action_forms(html *h, const staff_req *q, const char *receipt)
{
    char target[64];
    snprintf(target, sizeof target, "/staff/c/%s", receipt);
    html_el_attr(h, "h2", "id", "actions", "처리");
    html_open(h, "div", "class", "actions");
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        const char *name = lifecycle_action_name(actions[i].action);
        html_open(h, "form", "method", "post");
        html_attr(h, "action", target);
        html_attr(h, "class", "action");
        html_attr(h, "aria-label", actions[i].label);
        staff_csrf_field(h, q);
        html_hidden(h, "action", name);
        html_el(h, "h3", actions[i].label);
        fields(h, q, name, actions[i].fields);
        html_open(h, "button", "type", "submit");
        html_attr(h, "name", "do");
        html_attr(h, "value", name);
        html_text(h, actions[i].label);
        html_close(h);
        html_close(h);
    }
    html_close(h);
}

static const char *action_label(const char *name)
{
    for (size_t i = 0; name && i < sizeof actions / sizeof actions[0]; i++)
        if (strcmp(lifecycle_action_name(actions[i].action), name) == 0)
            return actions[i].label;
    return NULL;
}

typedef struct {
    const char *message; /* NULL: none */
    const char *lang;    /* of the message */
    bool error;
    int status;
} complaint_view;

static void complaint_page(const staff_req *q, const store_complaint *c, const store_event *ev,
                           size_t n, const complaint_view *v, web_reply *out)
{
    char title[64];
    snprintf(title, sizeof title, "민원 %s", c->receipt);
    html *h = staff_page(q, title, out);
    if (!h)
        return;
    if (v->message)
        staff_message(h, v->message, v->lang, v->error);
    facts(h, q, c);
    recording(h, q, c);
    timeline(h, ev, n);
    action_forms(h, q, c->receipt);
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
    const char *label = action_label(web_arg(q->r, "done"));
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
    complaint_page(q, &c, ev, n, &v, out);
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

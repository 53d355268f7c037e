/* web_staff_page.c - the frame every page of the office's screen shares: the banner with the
 * signed-in officer and the menu, labels, the CSRF field, messages, errors and redirects, and
 * the departments for the filters.
 *
 * The pages (web_staff_list.c, web_staff_overview.c, web_staff_pages.c, web_staff_kb.c) build on
 * it and the staff router (web_staff.c) only chooses among them, so no page calls the router. */
#include <stdio.h>
#include <string.h>

#include "web_staff.h"

void staff_redirect(web_reply *out, const char *location)
{
    out->status = 303;
    snprintf(out->location, sizeof out->location, "%s", location);
    web_reply_text(out, 303, "See other.");
}

void staff_label(html *h, const char *id, const char *text)
{
    html_open(h, "label", "for", id);
    html_text(h, text);
    html_close(h);
}

void staff_csrf_field(html *h, const staff_req *q)
{
    html_hidden(h, "csrf", q->session.csrf);
}

void staff_message(html *h, const char *text, const char *lang, bool error)
{
    html_open(h, "p", "class", error ? "message error" : "message");
    html_attr(h, "role", error ? "alert" : "status");
    if (lang)
        html_attr(h, "lang", lang);
    html_text(h, text);
    html_close(h);
}

static void menu_link(html *h, const char *href, const char *text)
{
    html_open(h, "li", NULL, NULL);
    html_el_attr(h, "a", "href", href, text);
    html_close(h);
}

static void banner(html *h, const web_ctx *w, const staff_req *q)
{
    html_open(h, "header", NULL, NULL);
    html_el_attr(h, "p", "class", "office", w->cfg.office_name);
    if (q) {
        html_open(h, "nav", "aria-label", "주 메뉴");
        html_open(h, "ul", NULL, NULL);
        menu_link(h, "/staff", "개요");
        menu_link(h, "/staff/list", "민원 목록");
        menu_link(h, "/staff/kb", "지식베이스");
        html_close(h);
        html_close(h);
        html_open(h, "form", "method", "post");
        html_attr(h, "action", "/staff/signout");
        html_attr(h, "class", "signout");
        staff_csrf_field(h, q);
        html_textf(h, "%s (%s) ", q->me.name,
                   strcmp(q->me.role, "head") == 0 ? "부서장" : "담당자");
        html_el_attr(h, "button", "type", "submit", "로그아웃");
        html_close(h);
    }
    html_close(h);
}

html *staff_frame(const web_ctx *w, const staff_req *q, const char *title, web_reply *out)
{
    char full[256];
    snprintf(full, sizeof full, "%s - %s 민원 관리", title, w->cfg.office_name);
    html *h = NULL;
    if (html_begin(&h, "ko", full, "/staff.css") != SD_OK) {
        out->body.failed = true;
        return NULL;
    }
    banner(h, w, q);
    html_open(h, "main", NULL, NULL);
    html_el(h, "h1", title);
    return h;
}

html *staff_page(const staff_req *q, const char *title, web_reply *out)
{
    return staff_frame(q->w, q, title, out);
}

void staff_error(const staff_req *q, int status, const char *text, web_reply *out)
{
    html *h = staff_page(q, "요청을 처리할 수 없어요", out);
    if (!h)
        return;
    staff_message(h, text, NULL, true);
    html_open(h, "p", NULL, NULL);
    html_el_attr(h, "a", "href", "/staff/list", "민원 목록으로 돌아가기");
    html_close(h);
    html_finish(h, out);
    out->status = status;
}

typedef struct {
    store_department *out;
    size_t max, n;
} dept_list;

static sd_code add_department(void *ctx, const store_department *d)
{
    dept_list *l = ctx;
    if (l->n < l->max)
        l->out[l->n++] = *d;
    return SD_OK;
}

sd_code staff_departments(store *s, store_department *out, size_t max, size_t *n)
{
    dept_list l = {out, max, 0};
    sd_code rc = store_department_each(s, add_department, &l);
    *n = l.n;
    return rc;
}

/* web_staff_kb.c - the knowledge base on the dashboard: a search over every entry (title,
 * questions, answer and keywords containing the words typed), and one entry at a time edited or
 * added with the same checks as a file import (kb_put_entry), which rewrites the knowledge base
 * in one transaction: what the speaker, the chat and the phone line answer changes at once.
 * Language, topic and department are chosen by name, stored by code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_import.h"
#include "web_staff.h"

#define MAX_HITS 50

/* An entry copied out of the store's walk (its strings live only during the callback). */
typedef struct {
    char key[64], lang[4], topic[32], department[32], title[256];
    char questions[2048], answer[2048], keywords[1024];
} kb_copy;

static void copy_entry(kb_copy *c, const store_kb_entry *e)
{
    snprintf(c->key, sizeof c->key, "%s", e->key);
    snprintf(c->lang, sizeof c->lang, "%s", e->lang);
    snprintf(c->topic, sizeof c->topic, "%s", e->topic);
    snprintf(c->department, sizeof c->department, "%s", e->department);
    snprintf(c->title, sizeof c->title, "%s", e->title);
    snprintf(c->questions, sizeof c->questions, "%s", e->questions);
    snprintf(c->answer, sizeof c->answer, "%s", e->answer);
    snprintf(c->keywords, sizeof c->keywords, "%s", e->keywords);
}

typedef struct {
    const char *query; /* NULL: find key and lang */
    const char *key, *lang;
    kb_copy *hits;
    size_t n, max;
} kb_find;

static bool contains(const store_kb_entry *e, const char *q)
{
    return strstr(e->title, q) || strstr(e->questions, q) || strstr(e->answer, q) ||
           strstr(e->keywords, q) || strstr(e->key, q);
}

static sd_code collect(void *ctx, const store_kb_entry *e)
{
    kb_find *f = ctx;
    bool match = f->query ? contains(e, f->query)
                          : strcmp(e->key, f->key) == 0 && strcmp(e->lang, f->lang) == 0;
    if (match && f->n < f->max)
        copy_entry(&f->hits[f->n++], e);
    return SD_OK;
}

static void search_form(html *h, const char *query)
{
    html_open(h, "form", "method", "get");
    html_attr(h, "action", "/staff/kb");
    html_attr(h, "role", "search");
    staff_label(h, "q", "찾을 말");
    html_open(h, "input", "id", "q");
    html_attr(h, "name", "q");
    html_attr(h, "type", "search");
    html_attr(h, "value", query ? query : "");
    html_end_void(h);
    html_el_attr(h, "button", "type", "submit", "찾기");
    html_close(h);
}

static void hit_list(html *h, const kb_copy *hits, size_t n)
{
    html_open(h, "ul", NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        strbuf href;
        strbuf_init(&href);
        strbuf_puts(&href, "/staff/kb?key=");
        web_url_escaped(&href, hits[i].key); /* keys are free text */
        strbuf_printf(&href, "&lang=%s", hits[i].lang);
        html_open(h, "li", NULL, NULL);
        html_open(h, "a", "href", strbuf_str(&href));
        html_attr(h, "lang", hits[i].lang);
        html_text(h, hits[i].title);
        html_close(h);
        html_textf(h, " (%s, %s)", hits[i].key, hits[i].lang);
        html_close(h);
        strbuf_free(&href);
    }
    html_close(h);
    html_textf(h, "%zu건%s", n, n == MAX_HITS ? " (더 있을 수 있어요)" : "");
}

static void field(html *h, const char *name, const char *label, const char *value, bool area)
{
    char id[32];
    snprintf(id, sizeof id, "kb-%s", name);
    staff_label(h, id, label);
    html_open(h, area ? "textarea" : "input", "id", id);
    html_attr(h, "name", name);
    if (area) {
        html_text(h, value);
        html_close(h);
        return;
    }
    html_attr(h, "value", value);
    html_end_void(h);
}

static void option(html *h, const char *value, const char *text, const char *chosen)
{
    html_open(h, "option", "value", value);
    if (strcmp(value, chosen) == 0)
        html_attr(h, "selected", "selected");
    html_text(h, text);
    html_close(h);
}

/* A choice by name of n (code, name) pairs, the first when none was made; a stored value not
 * among them stays offered, so that saving an entry never changes what was not touched. */
static void choice(html *h, const char *name, const char *label, const char *const (*pairs)[2],
                   size_t n, const char *chosen)
{
    char id[32];
    bool known = false;
    snprintf(id, sizeof id, "kb-%s", name);
    staff_label(h, id, label);
    html_open(h, "select", "id", id);
    html_attr(h, "name", name);
    for (size_t i = 0; i < n; i++) {
        option(h, pairs[i][0], pairs[i][1], chosen);
        known = known || strcmp(pairs[i][0], chosen) == 0;
    }
    if (!known && chosen[0])
        option(h, chosen, chosen, chosen);
    html_close(h);
}

static const char *const languages[][2] = {{"ko", "한국어"}, {"en", "English"}};
static const char *const topics[][2] = {{"general", "일반 행정"},
                                        {"complaints", "민원·증명서"},
                                        {"traffic", "교통·주차"},
                                        {"environment", "환경·청소"}};

static void department_choice(html *h, const staff_req *q, const char *chosen)
{
    store_department d[64];
    const char *pairs[64][2];
    size_t n = 0;
    staff_departments(engine_store(q->w->e), d, 64, &n);
    for (size_t i = 0; i < n; i++)
        pairs[i][0] = d[i].code, pairs[i][1] = d[i].name_ko;
    choice(h, "department", "부서", (const char *const(*)[2])pairs, n, chosen);
}

static void edit_form(html *h, const staff_req *q, const kb_copy *c)
{
    html_el(h, "h2", c->title[0] ? "항목 고치기" : "새 항목");
    html_open(h, "form", "method", "post");
    html_attr(h, "action", "/staff/kb");
    html_attr(h, "class", "card");
    staff_csrf_field(h, q);
    field(h, "key", "항목 이름 (영문, 예: office-hours)", c->key, false);
    choice(h, "lang", "언어", languages, 2, c->lang);
    choice(h, "topic", "주제", topics, 4, c->topic);
    department_choice(h, q, c->department);
    field(h, "title", "제목", c->title, false);
    field(h, "questions", "질문 (한 줄에 하나)", c->questions, true);
    field(h, "answer", "답변", c->answer, true);
    field(h, "keywords", "검색어 (한 줄에 하나)", c->keywords, true);
    html_el_attr(h, "button", "type", "submit", "저장");
    html_close(h);
}

static const char *arg_or(const web_request *r, const char *name, const char *fallback)
{
    const char *v = web_arg(r, name);
    return v ? v : fallback;
}

/* Saves the posted entry; message tells how it went. */
static int save(const staff_req *q, kb_copy *c, char *message, size_t len)
{
    const web_request *r = q->r;
    store_kb_entry e = {arg_or(r, "key", ""),    arg_or(r, "lang", ""),
                        arg_or(r, "topic", ""),  arg_or(r, "department", ""),
                        arg_or(r, "title", ""),  arg_or(r, "questions", ""),
                        arg_or(r, "answer", ""), arg_or(r, "keywords", "")};
    copy_entry(c, &e);
    char why[256];
    sd_code rc = kb_put_entry(engine_store(q->w->e), &e, why, sizeof why);
    if (rc == SD_OK) {
        snprintf(message, len, "saved %s (%s)", c->key, c->lang);
        return 200;
    }
    snprintf(message, len, "not saved: %s", why[0] ? why : sd_strerror(rc));
    return rc == SD_ERR_PARSE ? 400 : 500;
}

void staff_kb(const staff_req *q, web_reply *out)
{
    const web_request *r = q->r;
    const char *query = web_arg(r, "q"), *key = web_arg(r, "key"), *lang = web_arg(r, "lang");
    kb_copy *hits = calloc(MAX_HITS, sizeof *hits), edit = {.lang = "ko", .topic = "general"};
    snprintf(edit.department, sizeof edit.department, "%s", q->me.department); /* a new one */
    if (!hits) {
        out->body.failed = true;
        return;
    }
    char message[400] = "";
    int status = 200;
    bool post = strcmp(r->method, "POST") == 0;
    if (post)
        status = save(q, &edit, message, sizeof message);
    kb_find f = {query && *query ? query : NULL, key, lang, hits, 0, MAX_HITS};
    bool searching = f.query || (key && lang && !post);
    if (searching)
        store_kb_each(engine_store(q->w->e), collect, &f);
    if (!post && !f.query && f.n == 1)
        edit = hits[0];
    html *h = staff_page(q, "지식베이스", out);
    if (h) {
        if (message[0])
            staff_message(h, message, "en", status != 200);
        search_form(h, query);
        if (f.query)
            hit_list(h, hits, f.n);
        edit_form(h, q, &edit);
        html_finish(h, out);
        out->status = status;
    }
    free(hits);
}

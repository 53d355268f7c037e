/* web_staff_list.c - the dashboard's list of complaints (/staff/list) and its CSV
 * (/staff/list.csv): every filter a clerk works with (state, category, department, channel,
 * site, officer, filing dates, free text, overdue, due today), sorted by deadline or filing,
 * fifty to a page, and the whole filtered list as a spreadsheet.
 *
 * Any member of staff sees the office's list: receipt, dates, category, state, department,
 * officer, channel, site and deadline, nothing the resident wrote; only their own department's
 * complaints are links, and free text reaches the place and details of those alone. The
 * filters, names, cells and CSV are web_staff_query.c's, shared with `seodong staff export`, so
 * the page, the file and the terminal always agree. Filters travel in the query string, so a
 * list can be bookmarked, reloaded and exported as it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "web_staff.h"
#include "web_staff_query.h"

#define PAGE_SIZE 50

static const char *const categories[] = {"illegal_parking", "waste", "noise", "road",
                                         "streetlight",     "other"};

static const char *const sorts[][2] = {
    {"due", "처리 기한 빠른 순"}, {"due_desc", "처리 기한 늦은 순"}, {"filed", "최근 접수 순"}};

/* The filters of the request, as given; a list asked for without a state shows the open
 * complaints, the ones a clerk works on ("전체" is asked for as an empty state). */
static staff_filter filter_of(const web_request *r)
{
    const char *overdue = web_arg(r, "overdue"), *today = web_arg(r, "due_today");
    const char *state = web_arg(r, "state");
    return (staff_filter){.state = state ? state : "open",
                          .dept = web_arg(r, "dept"),
                          .category = web_arg(r, "category"),
                          .channel = web_arg(r, "channel"),
                          .site = web_arg(r, "site"),
                          .officer = web_arg(r, "officer"),
                          .from = web_arg(r, "from"),
                          .to = web_arg(r, "to"),
                          .text = web_arg(r, "q"),
                          .sort = web_arg(r, "sort"),
                          .overdue = overdue && *overdue,
                          .due_today = today && *today};
}

/* Adds name=value to url; an empty value only when kept (the state: empty is "every state"). */
static void query_arg_kept(strbuf *url, const char *name, const char *value, bool keep_empty)
{
    if (!value || (!*value && !keep_empty))
        return;
    strbuf_printf(url, "%s%s=", strchr(strbuf_str(url), '?') ? "&" : "?", name);
    web_url_escaped(url, value);
}

static void query_arg(strbuf *url, const char *name, const char *value)
{
    query_arg_kept(url, name, value, false);
}

/* path with the filters of f and, when above 1, the page. */
static void list_url(strbuf *url, const char *path, const staff_filter *f, int page)
{
    strbuf_puts(url, path);
    query_arg_kept(url, "state", f->state, true);
    query_arg(url, "category", f->category);
    query_arg(url, "dept", f->dept);
    query_arg(url, "channel", f->channel);
    query_arg(url, "site", f->site);
    query_arg(url, "officer", f->officer);
    query_arg(url, "from", f->from);
    query_arg(url, "to", f->to);
    query_arg(url, "q", f->text);
    query_arg(url, "sort", f->sort);
    query_arg(url, "overdue", f->overdue ? "1" : NULL);
    query_arg(url, "due_today", f->due_today ? "1" : NULL);
    if (page > 1) {
        char n[16];
        snprintf(n, sizeof n, "%d", page);
        query_arg(url, "page", n);
    }
}

/* ---- the form ---- */

static void option(html *h, const char *value, const char *text, const char *chosen)
{
    html_open(h, "option", "value", value);
    if (chosen && strcmp(chosen, value) == 0)
        html_attr(h, "selected", "selected");
    html_text(h, text);
    html_close(h);
}

/* <div><label/><select id=name name=name> with "전체" first; the caller adds options. */
static void select_start(html *h, const char *name, const char *label, const char *chosen)
{
    html_open(h, "div", NULL, NULL);
    staff_label(h, name, label);
    html_open(h, "select", "id", name);
    html_attr(h, "name", name);
    option(h, "", "전체", chosen);
}

static void select_end(html *h)
{
    html_close(h);
    html_close(h);
}

static void text_input(html *h, const char *name, const char *label, const char *type,
                       const char *value)
{
    html_open(h, "div", NULL, NULL);
    staff_label(h, name, label);
    html_open(h, "input", "id", name);
    html_attr(h, "name", name);
    html_attr(h, "type", type);
    if (value && *value)
        html_attr(h, "value", value);
    html_end_void(h);
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

/* The officers, each department's under its name; "-" for no one in charge. */
static void officer_select(html *h, const staff_directory *d, const char *chosen)
{
    size_t nd, np;
    const store_department *depts = staff_directory_departments(d, &nd);
    const store_staff *people = staff_directory_people(d, &np);
    select_start(h, "officer", "담당자", chosen);
    option(h, "-", "미배정", chosen);
    for (size_t i = 0; i < nd; i++) {
        bool any = false;
        for (size_t k = 0; k < np; k++) {
            if (!people[k].active || strcmp(people[k].department, depts[i].code) != 0)
                continue;
            if (!any)
                html_open(h, "optgroup", "label", depts[i].name_ko);
            any = true;
            option(h, people[k].login, people[k].name, chosen);
        }
        if (any)
            html_close(h);
    }
    select_end(h);
}

typedef struct {
    html *h;
    const char *chosen;
} site_menu;

static sd_code site_option(void *ctx, const char *site, int complaints)
{
    site_menu *m = ctx;
    char text[192];
    snprintf(text, sizeof text, "%s: %d건", staff_site_name(site), complaints);
    option(m->h, site[0] ? site : "-", text, m->chosen);
    return SD_OK;
}

void staff_channel_select(html *h, const char *chosen)
{
    select_start(h, "channel", "접수 경로", chosen);
    for (size_t i = 0; i < STAFF_CHANNELS; i++)
        option(h, staff_channels[i], staff_channel_name(staff_channels[i]), chosen);
    select_end(h);
}

sd_code staff_site_select(html *h, store *db, const char *chosen)
{
    select_start(h, "site", "접수처", chosen);
    site_menu m = {h, chosen};
    sd_code rc = store_site_each(db, site_option, &m);
    select_end(h);
    return rc;
}

static const char *sort_name(const char *sort)
{
    for (size_t i = 0; sort && i < sizeof sorts / sizeof sorts[0]; i++)
        if (strcmp(sorts[i][0], sort) == 0)
            return sorts[i][1];
    return sorts[0][1];
}

static void part(strbuf *out, const char *name, const char *value)
{
    if (value && *value)
        strbuf_printf(out, "%s%s%s%s", out->len ? ", " : "", name, *name ? " " : "", value);
}

/* The filters in force, in words: "처리 중 (완료 제외), 부서 환경보호과, 처리 기한 빠른 순". */
static void filters_in_words(strbuf *out, const staff_directory *d, const staff_filter *f)
{
    bool open = f->state && strcmp(f->state, "open") == 0;
    part(out, "", open ? "처리 중 (완료 제외)" : NULL);
    if (!open && f->state && *f->state)
        part(out, "상태", reply_state_name("ko", f->state));
    if (f->category && *f->category)
        part(out, "분류", reply_category_name("ko", f->category));
    if (f->dept && *f->dept)
        part(out, "부서", staff_department_name(d, f->dept));
    if (f->channel && *f->channel)
        part(out, "접수 경로", staff_channel_name(f->channel));
    if (f->site && *f->site)
        part(out, "접수처", staff_site_name(strcmp(f->site, "-") == 0 ? "" : f->site));
    if (f->officer && *f->officer)
        part(out, "담당자", staff_person_name(d, strcmp(f->officer, "-") == 0 ? "" : f->officer));
    part(out, "접수일부터", f->from);
    part(out, "접수일까지", f->to);
    if (f->text && *f->text)
        strbuf_printf(out, "%s검색어 “%s”", out->len ? ", " : "", f->text);
    part(out, "", f->overdue ? "기한 지난 것만" : NULL);
    part(out, "", f->due_today ? "오늘 마감만" : NULL);
    part(out, "", out->len ? NULL : "모든 민원");
    part(out, "", sort_name(f->sort));
}

/* The form sits folded under a line saying what the list holds; it opens when asked, or when
 * a filter was wrong. */
static void filter_form(html *h, store *db, const staff_directory *d, const staff_filter *f,
                        bool open)
{
    size_t nd;
    const store_department *depts = staff_directory_departments(d, &nd);
    strbuf words;
    strbuf_init(&words);
    filters_in_words(&words, d, f);
    html_open(h, "details", "class", "filter-box");
    if (open)
        html_attr(h, "open", "open");
    html_open(h, "summary", NULL, NULL);
    html_el_attr(h, "span", "class", "summary-label", "조건 바꾸기");
    html_textf(h, " (지금: %s)", strbuf_str(&words));
    html_close(h);
    strbuf_free(&words);
    html_open(h, "form", "method", "get");
    html_attr(h, "action", "/staff/list");
    html_attr(h, "class", "filters");
    html_attr(h, "aria-label", "조건");
    select_start(h, "state", "상태", f->state);
    option(h, "open", "처리 중 전체 (완료 제외)", f->state);
    for (size_t i = 0; i < STAFF_STATES; i++)
        option(h, staff_states[i], reply_state_name("ko", staff_states[i]), f->state);
    select_end(h);
    select_start(h, "category", "분류", f->category);
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        option(h, categories[i], reply_category_name("ko", categories[i]), f->category);
    select_end(h);
    select_start(h, "dept", "부서", f->dept);
    for (size_t i = 0; i < nd; i++)
        option(h, depts[i].code, depts[i].name_ko, f->dept);
    select_end(h);
    staff_channel_select(h, f->channel);
    staff_site_select(h, db, f->site);
    officer_select(h, d, f->officer);
    text_input(h, "from", "접수일 (부터)", "date", f->from);
    text_input(h, "to", "접수일 (까지)", "date", f->to);
    text_input(h, "q", "검색어 (접수번호, 장소, 내용)", "search", f->text);
    html_open(h, "div", NULL, NULL);
    staff_label(h, "sort", "정렬");
    html_open(h, "select", "id", "sort");
    html_attr(h, "name", "sort");
    for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++)
        option(h, sorts[i][0], sorts[i][1], f->sort && *f->sort ? f->sort : "due");
    select_end(h);
    html_open(h, "div", NULL, NULL);
    checkbox(h, "overdue", "기한 지난 것만", f->overdue);
    checkbox(h, "due_today", "오늘 마감만", f->due_today);
    html_close(h);
    html_open(h, "div", "class", "buttons");
    html_el_attr(h, "button", "type", "submit", "조회");
    html_el_attr(h, "a", "href", "/staff/list?state=", "조건 지우기");
    html_close(h);
    html_close(h);
    html_close(h);
}

/* ---- the table ---- */

typedef struct {
    staff_row row;
    bool own; /* of the viewer's department: a link to its page */
} list_row;

typedef struct {
    const staff_req *q;
    const staff_directory *d;
    list_row *rows;
    int n;
} list_walk;

static sd_code collect_row(void *ctx, const store_complaint *c, time_t approved_at)
{
    list_walk *lw = ctx;
    if (lw->n == PAGE_SIZE)
        return SD_OK;
    list_row *r = &lw->rows[lw->n++];
    staff_row_cells(lw->d, c, approved_at, lw->q->now, &r->row);
    r->own = strcmp(c->department, lw->q->me.department) == 0;
    return SD_OK;
}

static void table_row(html *h, const list_row *r)
{
    html_open(h, "tr", NULL, NULL);
    for (int i = 0; i < STAFF_COLUMNS; i++) {
        /* on a phone each row is a card headed by its receipt; the other cells say their column */
        html_open(h, "td", i == STAFF_COL_RECEIPT ? NULL : "data-label",
                  i == STAFF_COL_RECEIPT ? NULL : staff_column_heads[i]);
        if (i == STAFF_COL_LEFT && r->row.late)
            html_attr(h, "class", "late");
        if (i == STAFF_COL_RECEIPT && r->own) {
            char href[160];
            snprintf(href, sizeof href, "/staff/c/%s", r->row.cell[i]);
            html_el_attr(h, "a", "href", href, r->row.cell[i]);
        } else {
            html_text(h, r->row.cell[i]);
        }
        html_close(h);
    }
    html_close(h);
}

static void list_table(html *h, const list_walk *lw)
{
    html_open(h, "div", "class", "cards quiet");
    html_region_table_start(h, "민원 목록", staff_column_heads, STAFF_COLUMNS);
    for (int i = 0; i < lw->n; i++)
        table_row(h, &lw->rows[i]);
    html_close(h);
    html_close(h);
    html_close(h);
    html_close(h);
}

static void pager_link(html *h, const staff_filter *f, int page, const char *rel, const char *text)
{
    strbuf url;
    strbuf_init(&url);
    list_url(&url, "/staff/list", f, page);
    html_open(h, "a", "href", strbuf_str(&url));
    html_attr(h, "rel", rel);
    html_text(h, text);
    html_close(h);
    strbuf_free(&url);
}

static void pager(html *h, const staff_filter *f, int page, int pages)
{
    if (pages <= 1)
        return;
    html_open(h, "nav", "class", "pager");
    html_attr(h, "aria-label", "쪽 이동");
    if (page > 1)
        pager_link(h, f, page - 1, "prev", "← 이전 쪽");
    html_open(h, "span", "aria-current", "page");
    html_textf(h, "%d / %d 쪽", page, pages);
    html_close(h);
    if (page < pages)
        pager_link(h, f, page + 1, "next", "다음 쪽 →");
    html_close(h);
}

/* "총 N건 중 51-100번째" and the link to the same list as CSV. */
static void summary(html *h, const staff_filter *f, int total, int first, int shown)
{
    strbuf url;
    strbuf_init(&url);
    list_url(&url, "/staff/list.csv", f, 0);
    html_open(h, "p", "class", "summary");
    if (shown > 0)
        html_textf(h, "총 %d건 중 %d-%d번째. ", total, first, first + shown - 1);
    else if (total == 0)
        html_text(h, "조건에 맞는 민원이 없어요 (0건). ");
    else
        html_textf(h, "이 쪽에는 민원이 없어요 (총 %d건). ", total);
    html_el_attr(h, "a", "href", strbuf_str(&url), "이 목록을 CSV로 받기");
    html_close(h);
    strbuf_free(&url);
}

static int page_of(const web_request *r)
{
    const char *p = web_arg(r, "page");
    long n = p ? strtol(p, NULL, 10) : 1;
    return n >= 1 && n <= 100000 ? (int)n : 1;
}

void staff_list(const staff_req *q, web_reply *out)
{
    staff_filter f = filter_of(q->r);
    store *db = engine_store(q->w->e);
    store_staff_query sq;
    const char *bad = NULL;
    bool valid = staff_filter_query(&f, engine_calendar(q->w->e), q->now, q->me.department, &sq,
                                    &bad) == SD_OK;
    int page = page_of(q->r), total = 0;
    sq.limit = PAGE_SIZE;
    sq.offset = (page - 1) * PAGE_SIZE;
    list_walk lw = {.q = q, .rows = calloc(PAGE_SIZE, sizeof *lw.rows)};
    staff_directory *d = NULL;
    sd_code rc = lw.rows ? staff_directory_load(db, &d) : SD_ERR_NOMEM;
    lw.d = d;
    if (!d) {
        free(lw.rows);
        web_reply_text(out, 500, sd_strerror(SD_ERR_NOMEM));
        return;
    }
    if (rc == SD_OK && valid)
        rc = store_staff_query_run(db, &sq, collect_row, &lw, &total);
    html *h = staff_page(q, "민원 목록", out);
    if (h) {
        filter_form(h, db, d, &f, !valid);
        if (!valid)
            staff_message(h,
                          strcmp(bad, "sort") == 0
                              ? "정렬 방법을 목록에서 골라 주세요."
                              : "접수일은 2026-11-25처럼 연-월-일로 써 주세요.",
                          NULL, true);
        if (rc != SD_OK)
            staff_message(h, sd_strerror(rc), "en", true);
        summary(h, &f, total, sq.offset + 1, lw.n);
        list_table(h, &lw);
        pager(h, &f, page, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        html_finish(h, out);
        out->status = !valid ? 400 : rc == SD_OK ? 200 : 500;
    }
    free(lw.rows);
    staff_directory_free(d);
}

void staff_list_csv(const staff_req *q, web_reply *out)
{
    staff_filter f = filter_of(q->r);
    staff_directory *d = NULL;
    store *db = engine_store(q->w->e);
    store_staff_query sq;
    const char *bad = NULL;
    if (staff_filter_query(&f, engine_calendar(q->w->e), q->now, q->me.department, &sq, &bad) !=
        SD_OK) {
        web_reply_text(out, 400, "A filter is not valid: dates are YYYY-MM-DD.");
        return;
    }
    sd_code rc = staff_directory_load(db, &d);
    int rows = 0;
    strbuf_clear(&out->body);
    if (rc == SD_OK)
        rc = staff_export_csv(db, d, &sq, q->now, &out->body, &rows);
    staff_directory_free(d);
    if (rc != SD_OK) {
        web_reply_text(out, 500, sd_strerror(rc));
        return;
    }
    out->status = 200;
    out->content_type = "text/csv; charset=utf-8";
}

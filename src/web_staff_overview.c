/* web_staff_overview.c - the dashboard's first page: how many complaints are in each state and
 * department, and two bar charts drawn as SVG on the server (complaints filed per week over
 * the last WEEKS weeks; open complaints past their deadline per department).
 *
 * One walk over the complaints (store_complaint_list, no filter) fills all the counts; a
 * district office has thousands, not millions, so this stays well under the time of a page.
 * The charts are inline SVG written through the same HTML writer as the page, with role=img
 * and a title for screen readers; the tables beside them carry the same numbers as text. */
#include <stdio.h>
#include <string.h>

#include "lifecycle.h"
#include "replies.h"
#include "web_staff.h"

#define WEEKS 8
#define MAX_STATES 16
#define MAX_DEPTS 32
#define WEEK_S (7 * 86400)

typedef struct {
    char code[32];
    int count;
} tally;

typedef struct {
    time_t now;
    tally states[MAX_STATES];
    size_t nstates;
    tally depts[MAX_DEPTS]; /* open complaints per department */
    tally overdue[MAX_DEPTS];
    size_t ndepts;
    int weeks[WEEKS]; /* filed per week, the current week last */
    int total;
} overview;

/* Adds one to code's tally (a new tally when there is room). */
static void count(tally *t, size_t *n, size_t max, const char *code, int add)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(t[i].code, code) == 0) {
            t[i].count += add;
            return;
        }
    if (*n < max) {
        snprintf(t[*n].code, sizeof t[*n].code, "%s", code);
        t[(*n)++].count = add;
    }
}

/* Weeks start on Monday, Korean time: the epoch was a Thursday, four days after a Monday. */
static long week_of(time_t t)
{
    return (long)((t + 9 * 3600 - 4 * 86400) / WEEK_S);
}

static sd_code add_complaint(void *ctx, const store_complaint *c)
{
    overview *o = ctx;
    size_t ndepts = o->ndepts;
    bool open = lifecycle_is_open(c->state);
    count(o->states, &o->nstates, MAX_STATES, c->state, 1);
    count(o->depts, &o->ndepts, MAX_DEPTS, c->department, open ? 1 : 0);
    /* overdue keeps the same departments in the same order as depts */
    count(o->overdue, &ndepts, MAX_DEPTS, c->department, open && c->due_at < o->now ? 1 : 0);
    long ago = week_of(o->now) - week_of(c->filed_at);
    if (ago >= 0 && ago < WEEKS)
        o->weeks[WEEKS - 1 - ago]++;
    o->total++;
    return SD_OK;
}

/* ---- SVG ---- */

#define CHART_W 320
#define CHART_H 180
#define CHART_BASE 150 /* y of the bars' foot; labels below it */

static void svg_text(html *h, int x, int y, const char *anchor, const char *text)
{
    char xs[16], ys[16];
    snprintf(xs, sizeof xs, "%d", x);
    snprintf(ys, sizeof ys, "%d", y);
    html_open(h, "text", "x", xs);
    html_attr(h, "y", ys);
    html_attr(h, "text-anchor", anchor);
    html_attr(h, "font-size", "12");
    html_attr(h, "fill", "#1a1a1a");
    html_text(h, text);
    html_close(h);
}

static void svg_bar(html *h, int x, int width, int height)
{
    char xs[16], ys[16], ws[16], hs[16];
    snprintf(xs, sizeof xs, "%d", x);
    snprintf(ys, sizeof ys, "%d", CHART_BASE - height);
    snprintf(ws, sizeof ws, "%d", width);
    snprintf(hs, sizeof hs, "%d", height);
    html_open(h, "rect", "x", xs);
    html_attr(h, "y", ys);
    html_attr(h, "width", ws);
    html_attr(h, "height", hs);
    html_attr(h, "fill", "#0b57d0");
    html_close(h);
}

/* A bar chart of n values with their labels; title names it for screen readers. */
static void bar_chart(html *h, const char *id, const char *title, const int *values,
                      const char *const *labels, size_t n)
{
    char box[32], tid[48];
    snprintf(box, sizeof box, "0 0 %d %d", CHART_W, CHART_H);
    snprintf(tid, sizeof tid, "%s-title", id);
    int max = 1;
    for (size_t i = 0; i < n; i++)
        max = values[i] > max ? values[i] : max;
    html_open(h, "svg", "xmlns", "http://www.w3.org/2000/svg");
    html_attr(h, "viewBox", box);
    html_attr(h, "role", "img");
    html_attr(h, "aria-labelledby", tid);
    html_el_attr(h, "title", "id", tid, title);
    int slot = n ? (CHART_W - 20) / (int)n : CHART_W;
    for (size_t i = 0; i < n; i++) {
        int x = 10 + (int)i * slot, height = values[i] * (CHART_BASE - 20) / max;
        char v[16];
        snprintf(v, sizeof v, "%d", values[i]);
        svg_bar(h, x + slot / 6, slot * 2 / 3, height);
        svg_text(h, x + slot / 2, CHART_BASE - height - 4, "middle", v);
        svg_text(h, x + slot / 2, CHART_BASE + 16, "middle", labels[i]);
    }
    html_close(h);
}

static void weeks_chart(html *h, const overview *o)
{
    char names[WEEKS][16];
    const char *labels[WEEKS];
    for (int i = 0; i < WEEKS; i++) {
        /* the Monday the week starts on */
        time_t monday = (time_t)(week_of(o->now) - (WEEKS - 1 - i)) * WEEK_S + 4 * 86400 - 9 * 3600;
        struct tm tm;
        calendar_kst(monday, &tm);
        snprintf(names[i], sizeof names[i], "%d/%d", tm.tm_mon + 1, tm.tm_mday);
        labels[i] = names[i];
    }
    html_open(h, "figure", NULL, NULL);
    bar_chart(h, "weeks", "주별 접수 건수 (최근 8주, 주 시작일)", o->weeks, labels, WEEKS);
    html_el(h, "figcaption", "주별 접수 건수 (최근 8주)");
    html_close(h);
}

static const char *dept_name(const store_department *d, size_t nd, const char *code)
{
    for (size_t k = 0; k < nd; k++)
        if (strcmp(d[k].code, code) == 0)
            return d[k].name_ko;
    return code;
}

/* One row per department, bars to the right of the names (names are too long for columns). */
static void overdue_chart(html *h, const overview *o, const store_department *d, size_t nd)
{
    int row = 24, width = CHART_W, height = row * (int)o->ndepts + 10, max = 1;
    char box[32];
    snprintf(box, sizeof box, "0 0 %d %d", width, height);
    for (size_t i = 0; i < o->ndepts; i++)
        max = o->overdue[i].count > max ? o->overdue[i].count : max;
    html_open(h, "figure", NULL, NULL);
    html_open(h, "svg", "xmlns", "http://www.w3.org/2000/svg");
    html_attr(h, "viewBox", box);
    html_attr(h, "role", "img");
    html_attr(h, "aria-labelledby", "overdue-title");
    html_el_attr(h, "title", "id", "overdue-title", "부서별 기한 지난 민원 건수");
    for (size_t i = 0; i < o->ndepts; i++) {
        const char *name = dept_name(d, nd, o->overdue[i].code);
        int y = 5 + (int)i * row, len = o->overdue[i].count * (width - 150) / max;
        char v[16], xs[16], ys[16], ls[16];
        snprintf(v, sizeof v, "%d", o->overdue[i].count);
        snprintf(xs, sizeof xs, "%d", 110);
        snprintf(ys, sizeof ys, "%d", y + 2);
        snprintf(ls, sizeof ls, "%d", len);
        svg_text(h, 104, y + 15, "end", name);
        html_open(h, "rect", "x", xs);
        html_attr(h, "y", ys);
        html_attr(h, "width", ls);
        html_attr(h, "height", "16");
        html_attr(h, "fill", "#b3261e");
        html_close(h);
        svg_text(h, 114 + len, y + 15, "start", v);
    }
    html_close(h);
    html_el(h, "figcaption", "부서별 기한 지난 민원");
    html_close(h);
}

/* ---- tables ---- */

/* States when d is NULL, else departments with their open and overdue complaints. */
static void count_table(html *h, const char *caption, const tally *t, const tally *late, size_t n,
                        const store_department *d, size_t nd)
{
    bool states = !d;
    const char *heads[] = {states ? "상태" : "부서", states ? "건수" : "처리 중", "기한 지남"};
    html_table_start(h, caption, heads, late ? 3 : 2);
    for (size_t i = 0; i < n; i++) {
        html_open(h, "tr", NULL, NULL);
        html_el_attr(h, "th", "scope", "row",
                     states ? reply_state_name("ko", t[i].code) : dept_name(d, nd, t[i].code));
        html_open(h, "td", NULL, NULL);
        html_textf(h, "%d", t[i].count);
        html_close(h);
        if (late) {
            html_open(h, "td", NULL, NULL);
            html_textf(h, "%d", late[i].count);
            html_close(h);
        }
        html_close(h);
    }
    html_close(h);
    html_close(h);
    html_close(h);
}

void staff_overview(const staff_req *q, web_reply *out)
{
    overview o = {.now = q->now};
    store_department d[MAX_DEPTS];
    size_t nd = 0;
    staff_departments(engine_store(q->w->e), d, MAX_DEPTS, &nd);
    sd_code rc = store_complaint_list(engine_store(q->w->e), &(store_complaint_filter){0},
                                      add_complaint, &o);
    html *h = staff_page(q, "민원 처리 현황", out);
    if (!h)
        return;
    if (rc != SD_OK)
        staff_message(h, sd_strerror(rc), "en", true);
    html_open(h, "p", NULL, NULL);
    html_textf(h, "모든 민원 %d건. ", o.total);
    html_el_attr(h, "a", "href", "/staff/list?overdue=1", "기한 지난 민원 보기");
    html_close(h);
    html_el(h, "h2", "그래프");
    html_open(h, "div", "class", "charts");
    weeks_chart(h, &o);
    overdue_chart(h, &o, d, nd);
    html_close(h);
    html_el(h, "h2", "상태별, 부서별 건수");
    count_table(h, "상태별 건수", o.states, NULL, o.nstates, NULL, 0);
    count_table(h, "부서별 건수", o.depts, o.overdue, o.ndepts, d, nd);
    html_finish(h, out);
    out->status = 200;
}

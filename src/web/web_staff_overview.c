/* web_staff_overview.c - the dashboard's first page: where work piles up, at a glance. Four
 * figures on top (open, overdue, due today, filed this week, each a link to that list), then
 * six charts, each an SVG drawn on the server with a table of the same numbers beside it:
 * filings per week by channel (the last WEEKS weeks), open complaints by department and by
 * officer of the viewer's department, deadline compliance per month (approved on time /
 * approved, the last MONTHS months), median days from filing to approval per department, and
 * overdue complaints by department; last, the count in each state.
 *
 * One walk over the complaints (store_staff_query_run, which also gives each one's last
 * approval) fills every figure; a district office has tens of thousands, so this stays well
 * under the time of a page. The SVG is written through the same HTML writer as the page: every
 * shape closed (an HTML parser would otherwise nest every later bar inside the first), role=img
 * with a title, axis titles, the value written on each bar, text sized in the viewBox so that it
 * stays readable when the chart shrinks to a phone. Names, not codes: departments, officers,
 * channels and states are shown as people call them.
 *
 * The page can be narrowed to one channel and one site (the box a complaint was filed at:
 * ?channel=speaker&site=가정1동 행정복지센터, site=- for none): every figure then counts those
 * complaints only, and the figures' links open the list with the same filters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "lifecycle.h"
#include "reply.h"
#include "utf8.h"
#include "web_staff.h"
#include "web_staff_query.h"

#define WEEKS 8
#define MONTHS 6
#define MAX_STATES 16
#define MAX_ROWS 64 /* departments, or officers of one department */
#define WEEK_S (7 * 86400)

typedef struct {
    char code[64]; /* a department code, an officer's login ("" for none), a state */
    int open, overdue;
    double *days; /* departments: filing to approval, in days, for the median */
    size_t ndays, cap;
} tally;

typedef struct {
    const staff_req *q;
    const char *channel, *site; /* the page's filters as asked for, NULL for any */
    time_t due_today_before;    /* open and due before this: due by the end of today */
    tally states[MAX_STATES];
    size_t nstates;
    tally depts[MAX_ROWS];
    size_t ndepts;
    tally officers[MAX_ROWS]; /* of the viewer's department */
    size_t nofficers;
    int weeks[WEEKS][STAFF_CHANNELS + 1]; /* filed per week and channel (last: any other) */
    int closed[MONTHS], on_time[MONTHS];  /* approved per month, and of those by the deadline */
    int total, open, overdue, due_today;
    bool nomem;
} overview;

/* code's tally in t (a new one when there is room), or NULL. */
static tally *tally_of(tally *t, size_t *n, size_t max, const char *code)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(t[i].code, code) == 0)
            return &t[i];
    if (*n == max)
        return NULL;
    snprintf(t[*n].code, sizeof t[*n].code, "%s", code);
    return &t[(*n)++];
}

/* Weeks start on Monday, Korean time: the epoch was a Thursday, four days after a Monday. */
static long week_of(time_t t)
{
    return (long)((t + KST_OFFSET - 4 * 86400) / WEEK_S);
}

static long month_of(time_t t)
{
    struct tm tm;
    calendar_kst(t, &tm);
    return (long)(tm.tm_year + 1900) * 12 + tm.tm_mon;
}

static int channel_index(const char *channel)
{
    for (int i = 0; i < STAFF_CHANNELS; i++)
        if (strcmp(staff_channels[i], channel) == 0)
            return i;
    return STAFF_CHANNELS;
}

static void count_open(overview *o, const store_complaint *c)
{
    bool late = c->due_at < o->q->now;
    tally *d = tally_of(o->depts, &o->ndepts, MAX_ROWS, c->department);
    if (d)
        d->open++, d->overdue += late;
    if (strcmp(c->department, o->q->me.department) == 0) {
        tally *t = tally_of(o->officers, &o->nofficers, MAX_ROWS, c->officer);
        if (t)
            t->open++, t->overdue += late;
    }
    o->open++;
    o->overdue += late;
    o->due_today += c->due_at < o->due_today_before; /* as the list's filter: late ones too */
}

static void count_approved(overview *o, const store_complaint *c, time_t approved_at)
{
    long ago = month_of(o->q->now) - month_of(approved_at);
    if (ago < 0 || ago >= MONTHS)
        return;
    o->closed[MONTHS - 1 - ago]++;
    o->on_time[MONTHS - 1 - ago] += approved_at <= c->due_at;
    tally *d = tally_of(o->depts, &o->ndepts, MAX_ROWS, c->department);
    if (!d)
        return;
    if (!array_reserve((void **)&d->days, &d->cap, d->ndays, sizeof *d->days)) {
        o->nomem = true;
        return;
    }
    d->days[d->ndays++] = (double)(approved_at - c->filed_at) / 86400.0;
}

static sd_code add_complaint(void *ctx, const store_complaint *c, time_t approved_at)
{
    overview *o = ctx;
    tally *s = tally_of(o->states, &o->nstates, MAX_STATES, c->state);
    if (s)
        s->open++;
    if (lifecycle_is_open(c->state))
        count_open(o, c);
    else if (approved_at)
        count_approved(o, c, approved_at);
    long ago = week_of(o->q->now) - week_of(c->filed_at);
    if (ago >= 0 && ago < WEEKS)
        o->weeks[WEEKS - 1 - ago][channel_index(c->channel)]++;
    o->total++;
    return o->nomem ? SD_ERR_NOMEM : SD_OK;
}

static void overview_free(overview *o)
{
    for (size_t i = 0; i < o->ndepts; i++)
        free(o->depts[i].days);
}

/* ---- SVG ---- */

#define CHART_W 320
#define FONT 13  /* values and names: 13 px when the chart is 320 px wide, a phone's */
#define SMALL 12 /* axis titles and week labels */
#define INK "#1a1a1a"
#define MUTED "#444444" /* axis titles: 9.7:1 on white */
#define BLUE "#0b57d0"
#define RED "#b3261e"
#define GREEN "#146c2e"

/* Channel colours: at least 3:1 against white (WCAG 1.4.11) and told apart by hue. */
static const char *const channel_colours[STAFF_CHANNELS + 1] = {"#0b57d0", "#b15c00", "#6a3d9a",
                                                                "#7a5d00", "#00796b", "#595959"};

static void num(char out[16], double v)
{
    snprintf(out, 16, "%g", v);
}

static void svg_text(html *h, double x, double y, const char *anchor, int size, const char *fill,
                     const char *text)
{
    char xs[16], ys[16], fs[16];
    num(xs, x), num(ys, y), num(fs, size);
    html_open(h, "text", "x", xs);
    html_attr(h, "y", ys);
    html_attr(h, "text-anchor", anchor);
    html_attr(h, "font-size", fs);
    html_attr(h, "fill", fill);
    html_text(h, text);
    html_close(h);
}

static void svg_rect(html *h, double x, double y, double w, double height, const char *fill)
{
    char xs[16], ys[16], ws[16], hs[16];
    num(xs, x), num(ys, y), num(ws, w), num(hs, height);
    html_open(h, "rect", "x", xs);
    html_attr(h, "y", ys);
    html_attr(h, "width", ws);
    html_attr(h, "height", hs);
    html_attr(h, "fill", fill);
    html_close(h); /* closed, never left open: see the top of the file */
}

static void svg_line(html *h, double x1, double y1, double x2, double y2)
{
    char a[16], b[16], c[16], d[16];
    num(a, x1), num(b, y1), num(c, x2), num(d, y2);
    html_open(h, "line", "x1", a);
    html_attr(h, "y1", b);
    html_attr(h, "x2", c);
    html_attr(h, "y2", d);
    html_attr(h, "stroke", MUTED);
    html_close(h);
}

static void svg_start(html *h, const char *id, const char *title, int height)
{
    char box[32], tid[48];
    snprintf(box, sizeof box, "0 0 %d %d", CHART_W, height);
    snprintf(tid, sizeof tid, "%s-title", id);
    html_open(h, "svg", "xmlns", "http://www.w3.org/2000/svg");
    html_attr(h, "viewBox", box);
    html_attr(h, "role", "img");
    html_attr(h, "aria-labelledby", tid);
    html_attr(h, "class", "chart");
    html_el_attr(h, "title", "id", tid, title);
}

/* Width of text at size in viewBox units, about: Hangul and other wide characters a full em,
 * the rest a little over half. Enough to keep labels inside the chart. */
static double text_width(const char *text, int size)
{
    double w = 0;
    size_t len = strlen(text), i = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t step = utf8_decode_char(text + i, len - i, &cp);
        w += cp >= 0x1100 ? size : size * 0.62;
        i += step ? step : 1;
    }
    return w;
}

/* text, cut with "…" to fit width at size (into out). */
static const char *fit(const char *text, double width, int size, char *out, size_t outlen)
{
    if (text_width(text, size) <= width)
        return text;
    snprintf(out, outlen, "%s", text);
    size_t n = strlen(out);
    while (n > 0) {
        do /* drop one whole character */
            n--;
        while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80);
        snprintf(out + n, outlen - n, "…");
        if (text_width(out, size) <= width)
            break;
    }
    return out;
}

/* One row of a horizontal bar chart. */
typedef struct {
    const char *label;
    double value;
    char text[32]; /* the value as written at the bar's end */
} hbar;

#define HBAR_ROW 26
#define HBAR_TOP 24

/* Bars to the right of their names (names are too long for columns), value at each bar's end,
 * the axis title above the bars. */
static void hbar_chart(html *h, const char *id, const char *title, const char *axis,
                       const hbar *rows, size_t n, const char *colour)
{
    double label_w = 40, value_w = 0, max = 0;
    for (size_t i = 0; i < n; i++) {
        double w = text_width(rows[i].label, FONT), v = text_width(rows[i].text, FONT);
        label_w = w > label_w ? w : label_w;
        value_w = v > value_w ? v : value_w;
        max = rows[i].value > max ? rows[i].value : max;
    }
    label_w = label_w > 120 ? 120 : label_w;
    double x0 = 8 + label_w + 6, span = CHART_W - x0 - value_w - 12;
    int height = HBAR_TOP + (int)n * HBAR_ROW + 6;
    svg_start(h, id, title, height);
    svg_text(h, x0, 14, "start", SMALL, MUTED, axis);
    for (size_t i = 0; i < n; i++) {
        double y = HBAR_TOP + (double)i * HBAR_ROW, len = max > 0 ? rows[i].value * span / max : 0;
        char cut[128];
        svg_text(h, x0 - 6, y + 17, "end", FONT, INK,
                 fit(rows[i].label, label_w, FONT, cut, sizeof cut));
        if (len > 0)
            svg_rect(h, x0, y + 4, len < 1 ? 1 : len, 18, colour);
        svg_text(h, x0 + len + 4, y + 17, "start", FONT, INK, rows[i].text);
    }
    svg_line(h, x0, HBAR_TOP, x0, HBAR_TOP + (double)n * HBAR_ROW);
    html_close(h);
}

/* ---- figures ---- */

/* A figure: the chart, then its numbers as a table. The caller writes the chart after this
 * and the table after figure_table. */
static void figure_start(html *h, const char *id, const char *heading, bool wide)
{
    char hid[48];
    snprintf(hid, sizeof hid, "%s-heading", id);
    html_open(h, "section", "class", wide ? "figure wide" : "figure");
    html_attr(h, "aria-labelledby", hid);
    html_el_attr(h, "h3", "id", hid, heading);
    html_open(h, "div", "class", "figure-body");
}

static void figure_end(html *h)
{
    html_close(h);
    html_close(h);
}

static void row_head(html *h, const char *text)
{
    html_el_attr(h, "th", "scope", "row", text);
}

static void num_cell(html *h, const char *fmt, double v)
{
    html_open(h, "td", "class", "num");
    html_textf(h, fmt, v);
    html_close(h);
}

static void end_table(html *h)
{
    html_close(h);
    html_close(h);
    html_close(h);
}

/* Korean date of the Monday week i of the chart starts on, as "11/3". */
static void week_label(const overview *o, int i, char out[16])
{
    time_t monday =
        (time_t)(week_of(o->q->now) - (WEEKS - 1 - i)) * WEEK_S + 4 * 86400 - KST_OFFSET;
    struct tm tm;
    calendar_kst(monday, &tm);
    snprintf(out, 16, "%d/%d", tm.tm_mon + 1, tm.tm_mday);
}

#define WEEK_H 180
#define WEEK_BASE 140 /* y of the bars' foot: week labels and the axis title below */
#define WEEK_TOP 30   /* the tallest bar's top; its total above */

static void weeks_svg(html *h, const overview *o, const int *totals, int max)
{
    double slot = (CHART_W - 16) / (double)WEEKS, bar = slot * 0.62;
    svg_start(h, "weeks", "주별 접수 건수, 접수 경로별 (최근 8주)", WEEK_H);
    svg_text(h, 8, 14, "start", SMALL, MUTED, "접수 (건)");
    for (int i = 0; i < WEEKS; i++) {
        double x = 8 + i * slot + (slot - bar) / 2, y = WEEK_BASE;
        for (int k = 0; k <= STAFF_CHANNELS; k++) {
            double height = (double)o->weeks[i][k] * (WEEK_BASE - WEEK_TOP) / max;
            if (height <= 0)
                continue;
            y -= height;
            svg_rect(h, x, y, bar, height, channel_colours[k]);
        }
        char total[16], label[16];
        snprintf(total, sizeof total, "%d", totals[i]);
        week_label(o, i, label);
        svg_text(h, x + bar / 2, y - 4, "middle", FONT, INK, total);
        svg_text(h, x + bar / 2, WEEK_BASE + 17, "middle", SMALL, INK, label);
    }
    svg_line(h, 8, WEEK_BASE, CHART_W - 8, WEEK_BASE);
    svg_text(h, CHART_W / 2, WEEK_H - 4, "middle", SMALL, MUTED, "주 (월요일 시작)");
    html_close(h);
}

/* The channel colours, as a list the chart's numbers are read against. */
static void legend(html *h, const int *sums)
{
    html_open(h, "ul", "class", "legend");
    html_attr(h, "aria-label", "색: 접수 경로");
    for (int k = 0; k < STAFF_CHANNELS; k++) {
        char style[48];
        snprintf(style, sizeof style, "swatch c%d", k);
        html_open(h, "li", NULL, NULL);
        html_open(h, "span", "class", style);
        html_attr(h, "aria-hidden", "true");
        html_close(h);
        html_textf(h, "%s %d", staff_channel_name(staff_channels[k]), sums[k]);
        html_close(h);
    }
    html_close(h);
}

static void weeks_figure(html *h, const overview *o)
{
    int totals[WEEKS] = {0}, sums[STAFF_CHANNELS + 1] = {0}, max = 1;
    for (int i = 0; i < WEEKS; i++) {
        for (int k = 0; k <= STAFF_CHANNELS; k++)
            totals[i] += o->weeks[i][k], sums[k] += o->weeks[i][k];
        max = totals[i] > max ? totals[i] : max;
    }
    figure_start(h, "weeks", "주별 접수 (접수 경로별)", true);
    html_open(h, "div", NULL, NULL);
    legend(h, sums);
    weeks_svg(h, o, totals, max);
    html_close(h);
    /* the total first: on a phone it is what shows before the table scrolls */
    const char *heads[STAFF_CHANNELS + 2] = {"주 시작일", "합계"};
    for (int k = 0; k < STAFF_CHANNELS; k++)
        heads[k + 2] = staff_channel_name(staff_channels[k]);
    html_region_table_start(h, "주별 접수 건수", heads, STAFF_CHANNELS + 2);
    for (int i = 0; i < WEEKS; i++) {
        char label[16];
        week_label(o, i, label);
        html_open(h, "tr", NULL, NULL);
        row_head(h, label);
        num_cell(h, "%.0f", totals[i]);
        for (int k = 0; k < STAFF_CHANNELS; k++)
            num_cell(h, "%.0f", o->weeks[i][k]);
        html_close(h);
    }
    end_table(h);
    figure_end(h);
}

/* Open and overdue complaints of the rows t: a chart of open (or of overdue when late) and a
 * table of both. */
static void open_figure(html *h, const char *id, const char *heading, const char *row_name,
                        const tally *t, size_t n, const char *const *names, bool late)
{
    hbar rows[MAX_ROWS];
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (!t[i].open)
            continue;
        rows[shown] = (hbar){.label = names[i], .value = late ? t[i].overdue : t[i].open};
        snprintf(rows[shown].text, sizeof rows[shown].text, "%d", late ? t[i].overdue : t[i].open);
        shown++;
    }
    figure_start(h, id, heading, false);
    if (!shown) {
        html_el_attr(h, "p", "class", "note", "처리 중인 민원이 없어요.");
        figure_end(h);
        return;
    }
    hbar_chart(h, id, heading, late ? "기한 지남 (건)" : "처리 중 (건)", rows, shown,
               late ? RED : BLUE);
    const char *heads[] = {row_name, "처리 중", "기한 지남"};
    html_region_table_start(h, heading, heads, 3);
    for (size_t i = 0; i < n; i++) {
        if (!t[i].open)
            continue;
        html_open(h, "tr", NULL, NULL);
        row_head(h, names[i]);
        num_cell(h, "%.0f", t[i].open);
        num_cell(h, "%.0f", t[i].overdue);
        html_close(h);
    }
    end_table(h);
    figure_end(h);
}

static int by_open(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    return y->open != x->open ? y->open - x->open : strcmp(x->code, y->code);
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, by_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void median_figure(html *h, overview *o, const staff_directory *d)
{
    hbar rows[MAX_ROWS];
    size_t shown = 0;
    for (size_t i = 0; i < o->ndepts; i++) {
        tally *t = &o->depts[i];
        if (!t->ndays)
            continue;
        double m = median(t->days, t->ndays);
        rows[shown] = (hbar){.label = staff_department_name(d, t->code), .value = m};
        snprintf(rows[shown].text, sizeof rows[shown].text, "%.1f일", m);
        shown++;
    }
    const char *heading = "접수부터 승인까지 걸린 날 (부서별 중앙값, 최근 6개월)";
    figure_start(h, "median", heading, false);
    if (!shown) {
        html_el_attr(h, "p", "class", "note", "최근 6개월에 승인된 민원이 없어요.");
        figure_end(h);
        return;
    }
    hbar_chart(h, "median", heading, "중앙값 (일)", rows, shown, GREEN);
    const char *heads[] = {"부서", "승인 건수", "중앙값 (일)"};
    html_region_table_start(h, heading, heads, 3);
    for (size_t i = 0, r = 0; i < o->ndepts; i++) {
        if (!o->depts[i].ndays)
            continue;
        html_open(h, "tr", NULL, NULL);
        row_head(h, rows[r].label);
        num_cell(h, "%.0f", (double)o->depts[i].ndays);
        num_cell(h, "%.1f", rows[r++].value);
        html_close(h);
    }
    end_table(h);
    figure_end(h);
}

#define MONTH_H 196
#define MONTH_BASE 140
#define MONTH_TOP 30

static void month_label(const overview *o, int i, char out[16])
{
    long m = month_of(o->q->now) - (MONTHS - 1 - i);
    snprintf(out, 16, "%ld월", m % 12 + 1);
}

static void compliance_svg(html *h, const overview *o)
{
    double slot = (CHART_W - 16) / (double)MONTHS, bar = slot * 0.56;
    svg_start(h, "compliance", "월별 기한 내 처리율 (기한 내 승인 / 승인, 최근 6개월)", MONTH_H);
    svg_text(h, 8, 14, "start", SMALL, MUTED, "기한 내 승인 (%)");
    for (int i = 0; i < MONTHS; i++) {
        double x = 8 + i * slot + (slot - bar) / 2, mid = x + bar / 2;
        char value[16], label[16], count[32];
        month_label(o, i, label);
        snprintf(count, sizeof count, "%d/%d건", o->on_time[i], o->closed[i]);
        if (o->closed[i]) {
            double pct = 100.0 * o->on_time[i] / o->closed[i];
            double height = pct * (MONTH_BASE - MONTH_TOP) / 100;
            snprintf(value, sizeof value, "%.0f%%", pct);
            if (height > 0)
                svg_rect(h, x, MONTH_BASE - height, bar, height, BLUE);
            svg_text(h, mid, MONTH_BASE - height - 4, "middle", FONT, INK, value);
        } else {
            svg_text(h, mid, MONTH_BASE - 4, "middle", SMALL, MUTED, "없음");
        }
        svg_text(h, mid, MONTH_BASE + 16, "middle", FONT, INK, label);
        svg_text(h, mid, MONTH_BASE + 33, "middle", SMALL, MUTED, count);
    }
    svg_line(h, 8, MONTH_BASE, CHART_W - 8, MONTH_BASE);
    svg_text(h, CHART_W / 2, MONTH_H - 4, "middle", SMALL, MUTED,
             "승인한 달 (기한 내 / 승인 건수)");
    html_close(h);
}

static void compliance_figure(html *h, const overview *o)
{
    figure_start(h, "compliance", "월별 기한 내 처리율", false);
    compliance_svg(h, o);
    const char *heads[] = {"달", "승인", "기한 내", "비율 (%)"};
    html_region_table_start(h, "월별 기한 내 처리율", heads, 4);
    for (int i = 0; i < MONTHS; i++) {
        char label[16];
        month_label(o, i, label);
        html_open(h, "tr", NULL, NULL);
        row_head(h, label);
        num_cell(h, "%.0f", o->closed[i]);
        num_cell(h, "%.0f", o->on_time[i]);
        if (o->closed[i])
            num_cell(h, "%.0f", 100.0 * o->on_time[i] / o->closed[i]);
        else
            html_el_attr(h, "td", "class", "num", "-");
        html_close(h);
    }
    end_table(h);
    figure_end(h);
}

/* ---- the page ---- */

/* The list at path?args with the page's channel and site filters. */
static void list_link(strbuf *url, const overview *o, const char *args)
{
    strbuf_printf(url, "/staff/list?%s", args);
    const char *names[] = {"channel", "site"}, *values[] = {o->channel, o->site};
    for (int i = 0; i < 2; i++)
        if (values[i] && *values[i]) {
            strbuf_printf(url, "&%s=", names[i]);
            web_url_escaped(url, values[i]);
        }
}

static void stat(html *h, const overview *o, const char *args, const char *label, int n, bool alarm)
{
    strbuf href;
    strbuf_init(&href);
    list_link(&href, o, args);
    html_open(h, "li", "class", alarm && n ? "stat alarm" : "stat");
    html_open(h, "a", "href", strbuf_str(&href));
    strbuf_free(&href);
    html_open(h, "span", "class", "n");
    html_textf(h, "%d", n);
    html_close(h);
    html_el(h, "span", label);
    html_close(h);
    html_close(h);
}

static void stats(html *h, const overview *o)
{
    html_open(h, "ul", "class", "stats");
    html_attr(h, "aria-label", "한눈에 보기");
    stat(h, o, "sort=due", "처리 중", o->open, false);
    stat(h, o, "overdue=1", "기한 지남", o->overdue, true);
    stat(h, o, "due_today=1", "오늘까지 마감 (지난 것 포함)", o->due_today, true);
    int this_week = 0;
    for (int k = 0; k <= STAFF_CHANNELS; k++)
        this_week += o->weeks[WEEKS - 1][k];
    stat(h, o, "sort=filed", "이번 주 접수", this_week, false);
    html_close(h);
}

static void state_table(html *h, const overview *o)
{
    const char *heads[] = {"상태", "건수"};
    html_open(h, "div", "class", "narrow");
    html_table_start(h, "상태별 건수", heads, 2);
    for (size_t s = 0; s < STAFF_STATES; s++)
        for (size_t i = 0; i < o->nstates; i++) {
            if (strcmp(o->states[i].code, staff_states[s]) != 0)
                continue;
            html_open(h, "tr", NULL, NULL);
            html_el_attr(h, "th", "scope", "row", reply_state_name("ko", staff_states[s]));
            html_open(h, "td", NULL, NULL);
            html_textf(h, "%d", o->states[i].open);
            html_close(h);
            html_close(h);
        }
    end_table(h);
    html_close(h);
}

static void charts(html *h, overview *o, const staff_directory *d)
{
    const char *dnames[MAX_ROWS], *onames[MAX_ROWS];
    qsort(o->depts, o->ndepts, sizeof *o->depts, by_open);
    qsort(o->officers, o->nofficers, sizeof *o->officers, by_open);
    for (size_t i = 0; i < o->ndepts; i++)
        dnames[i] = staff_department_name(d, o->depts[i].code);
    for (size_t i = 0; i < o->nofficers; i++)
        onames[i] = staff_person_name(d, o->officers[i].code);
    char mine[128];
    snprintf(mine, sizeof mine, "담당자별 처리 중 민원 (%s)",
             staff_department_name(d, o->q->me.department));
    html_open(h, "div", "class", "charts");
    weeks_figure(h, o);
    open_figure(h, "open-dept", "부서별 처리 중 민원", "부서", o->depts, o->ndepts, dnames, false);
    open_figure(h, "open-officer", mine, "담당자", o->officers, o->nofficers, onames, false);
    open_figure(h, "overdue-dept", "부서별 기한 지난 민원", "부서", o->depts, o->ndepts, dnames,
                true);
    compliance_figure(h, o);
    median_figure(h, o, d);
    html_close(h);
}

/* The channel and site the page counts, as a form that reloads it. */
static void filters(html *h, const overview *o, store *db)
{
    html_open(h, "form", "method", "get");
    html_attr(h, "action", "/staff");
    html_attr(h, "class", "filters");
    html_attr(h, "aria-label", "보기 조건");
    staff_channel_select(h, o->channel);
    staff_site_select(h, db, o->site);
    html_open(h, "div", "class", "buttons");
    html_el_attr(h, "button", "type", "submit", "보기");
    if ((o->channel && *o->channel) || (o->site && *o->site))
        html_el_attr(h, "a", "href", "/staff", "모든 민원 보기");
    html_close(h);
    html_close(h);
}

void staff_overview(const staff_req *q, web_reply *out)
{
    overview o = {.q = q, .channel = web_arg(q->r, "channel"), .site = web_arg(q->r, "site")};
    store_staff_query sq = {.channel = o.channel && *o.channel ? o.channel : NULL};
    if (o.site && *o.site)
        sq.site = strcmp(o.site, "-") == 0 ? "" : o.site;
    store_complaint_filter today = {0};
    lifecycle_due_filter(engine_calendar(q->w->e), q->now, false, true, &today);
    o.due_today_before = today.due_before;
    store *db = engine_store(q->w->e);
    staff_directory *d = NULL;
    sd_code rc = staff_directory_load(db, &d);
    if (rc == SD_OK)
        rc = store_staff_query_run(db, &sq, add_complaint, &o, NULL);
    html *h = d ? staff_page(q, "민원 처리 현황", out) : NULL;
    if (h) {
        if (rc != SD_OK)
            staff_message(h, sd_strerror(rc), "en", true);
        filters(h, &o, db);
        stats(h, &o);
        html_el(h, "h2", "그래프");
        charts(h, &o, d);
        html_el(h, "h2", "상태별 건수");
        html_open(h, "p", NULL, NULL);
        html_textf(h, "%s %d건. ", sq.channel || sq.site ? "조건에 맞는 민원" : "모든 민원",
                   o.total);
        strbuf all;
        strbuf_init(&all);
        list_link(&all, &o, "state=");
        html_el_attr(h, "a", "href", strbuf_str(&all), "목록에서 보기");
        strbuf_free(&all);
        html_close(h);
        state_table(h, &o);
        html_finish(h, out);
        out->status = 200;
    } else if (!d) {
        web_reply_text(out, 500, sd_strerror(SD_ERR_NOMEM));
    }
    overview_free(&o);
    staff_directory_free(d);
}

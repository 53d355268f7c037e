/* web_staff_query.c - the dashboard list's filters, names, cells and CSV (web_staff_query.h).
 *
 * Filters arrive as text (a form's fields, or the options of `seodong staff export`) and become
 * one store_staff_query; a filter value nobody could mean (an unknown state) simply matches
 * nothing, while a date that is not one is an error, so the clerk learns the list is not what
 * they asked for. The names come from the database (departments, staff) and the reply tables
 * (categories, states), so a renamed department reads right everywhere at once. The CSV is
 * written with libcsv, which quotes every cell. */
#include "web_staff_query.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "lifecycle.h"
#include "reply.h"

struct staff_directory {
    store_department *depts;
    size_t ndepts, dcap;
    store_staff *people;
    size_t npeople, pcap;
};

const char *const staff_channels[STAFF_CHANNELS] = {"text", "speaker", "phone", "kakao", "open311"};
static const char *const channel_names[STAFF_CHANNELS] = {"문자 채팅", "스마트 스피커", "전화",
                                                          "카카오톡", "웹 (Open311)"};
const char *const staff_states[STAFF_STATES] = {"received", "assigned",  "in_progress",
                                                "answered", "confirmed", "approved",
                                                "rejected", "reopened",  "transferred"};
const char *const staff_column_heads[STAFF_COLUMNS] = {
    "접수번호", "접수 일시", "분류",   "상태",      "부서",
    "담당자",   "접수 경로", "접수처", "처리 기한", "남은 기한"};

/* ---- names ---- */

static sd_code add_department(void *ctx, const store_department *dep)
{
    staff_directory *d = ctx;
    if (!array_reserve((void **)&d->depts, &d->dcap, d->ndepts, sizeof *d->depts))
        return SD_ERR_NOMEM;
    d->depts[d->ndepts++] = *dep;
    return SD_OK;
}

static sd_code add_person(void *ctx, const store_staff *m)
{
    staff_directory *d = ctx;
    if (!array_reserve((void **)&d->people, &d->pcap, d->npeople, sizeof *d->people))
        return SD_ERR_NOMEM;
    d->people[d->npeople++] = *m;
    return SD_OK;
}

sd_code staff_directory_load(store *s, staff_directory **out)
{
    staff_directory *d = calloc(1, sizeof *d);
    *out = d;
    if (!d)
        return SD_ERR_NOMEM;
    sd_code rc = store_department_each(s, add_department, d);
    if (rc == SD_OK)
        rc = store_staff_each(s, NULL, add_person, d);
    return rc;
}

void staff_directory_free(staff_directory *d)
{
    if (!d)
        return;
    free(d->depts);
    free(d->people);
    free(d);
}

const store_department *staff_directory_departments(const staff_directory *d, size_t *n)
{
    *n = d->ndepts;
    return d->depts;
}

const store_staff *staff_directory_people(const staff_directory *d, size_t *n)
{
    *n = d->npeople;
    return d->people;
}

const char *staff_department_name(const staff_directory *d, const char *code)
{
    for (size_t i = 0; i < d->ndepts; i++)
        if (strcmp(d->depts[i].code, code) == 0)
            return d->depts[i].name_ko;
    return code;
}

const char *staff_channel_name(const char *code)
{
    for (size_t i = 0; i < STAFF_CHANNELS; i++)
        if (strcmp(staff_channels[i], code) == 0)
            return channel_names[i];
    return code;
}

const char *staff_site_name(const char *site)
{
    return site[0] ? site : "접수처 없음 (구청 서버)";
}

const char *staff_person_name(const staff_directory *d, const char *login)
{
    static const char *const residents[STAFF_CHANNELS] = {"민원인 (문자 채팅)",
                                                          "민원인 (스마트 스피커)", "민원인 (전화)",
                                                          "민원인 (카카오톡)", "민원인 (Open311)"};
    if (!login[0])
        return "미배정";
    for (size_t i = 0; i < d->npeople; i++)
        if (strcmp(d->people[i].login, login) == 0)
            return d->people[i].name;
    if (strcmp(login, "system") == 0)
        return "서동이 (자동)";
    for (size_t i = 0; i < STAFF_CHANNELS; i++)
        if (strcmp(staff_channels[i], login) == 0)
            return residents[i];
    return login;
}

/* ---- filters ---- */

void staff_format_time(char out[48], time_t t)
{
    struct tm tm;
    calendar_kst(t, &tm);
    snprintf(out, 48, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min);
}

/* The start of Korean date text (YYYY-MM-DD) as UTC seconds, or false when it is not a date. */
static bool parse_date(const char *text, time_t *out)
{
    int y, m, d, used = 0;
    if (strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 ||
        y < 2000 || y > 2999)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    time_t t = timegm(&tm);
    /* timegm carries 31 February into March: a date that changes is not a date */
    if (t == (time_t)-1 || tm.tm_mon != m - 1 || tm.tm_mday != d)
        return false;
    *out = t - KST_OFFSET;
    return true;
}

static const char *given(const char *s)
{
    return s && *s ? s : NULL;
}

sd_code staff_filter_query(const staff_filter *f, const calendar *cal, time_t now,
                           const char *my_dept, store_staff_query *q, const char **bad)
{
    *bad = NULL;
    *q = (store_staff_query){.state = given(f->state),
                             .department = given(f->dept),
                             .category = given(f->category),
                             .channel = given(f->channel),
                             .text = given(f->text),
                             .text_department = my_dept};
    if (given(f->officer))
        q->officer = strcmp(f->officer, "-") == 0 ? "" : f->officer;
    if (given(f->site))
        q->site = strcmp(f->site, "-") == 0 ? "" : f->site;
    if (given(f->from) && !parse_date(f->from, &q->filed_from))
        *bad = "from";
    if (given(f->to) && !parse_date(f->to, &q->filed_to))
        *bad = "to";
    if (q->filed_to)
        q->filed_to += 86400; /* the whole of the last day */
    const char *sort = given(f->sort) ? f->sort : "due";
    if (strcmp(sort, "due_desc") == 0)
        q->order = STORE_BY_DUE_DESC;
    else if (strcmp(sort, "filed") == 0)
        q->order = STORE_BY_FILED_DESC;
    else if (strcmp(sort, "due") != 0)
        *bad = "sort";
    store_complaint_filter due = {0};
    lifecycle_due_filter(cal, now, f->overdue, f->due_today, &due);
    q->due_before = due.due_before;
    return *bad ? SD_ERR_INVALID : SD_OK;
}

/* ---- one row ---- */

/* Days from Korean date of a to that of b. */
static long days_between(time_t a, time_t b)
{
    return (long)((b + KST_OFFSET) / 86400 - (a + KST_OFFSET) / 86400);
}

static void time_left(const store_complaint *c, time_t approved_at, time_t now, char *out,
                      size_t size)
{
    if (!lifecycle_is_open(c->state)) {
        snprintf(out, size, "%s", approved_at <= c->due_at ? "기한 내 완료" : "기한 넘겨 완료");
        return;
    }
    long days = days_between(now, c->due_at);
    if (c->due_at < now)
        snprintf(out, size, days == 0 ? "오늘 지남" : "%ld일 지남", -days);
    else if (days == 0)
        snprintf(out, size, "오늘 마감");
    else
        snprintf(out, size, "%ld일 남음", days);
}

void staff_row_cells(const staff_directory *d, const store_complaint *c, time_t approved_at,
                     time_t now, staff_row *out)
{
    char filed[48], due[48];
    staff_format_time(filed, c->filed_at);
    staff_format_time(due, c->due_at);
    const char *cells[STAFF_COLUMNS - 1] = {c->receipt,
                                            filed,
                                            reply_category_name("ko", c->category),
                                            reply_state_name("ko", c->state),
                                            staff_department_name(d, c->department),
                                            staff_person_name(d, c->officer),
                                            staff_channel_name(c->channel),
                                            staff_site_name(c->site),
                                            due};
    for (int i = 0; i < STAFF_COLUMNS - 1; i++)
        snprintf(out->cell[i], sizeof out->cell[i], "%s", cells[i]);
    time_left(c, approved_at, now, out->cell[STAFF_COL_LEFT], sizeof out->cell[STAFF_COL_LEFT]);
    out->late = lifecycle_is_open(c->state) && c->due_at < now;
}

/* ---- CSV ---- */

static void csv_cell(strbuf *out, const char *text, bool first)
{
    /* quoted, every quote doubled: at most twice the text and two quotes, plus the guard */
    char quoted[2 * sizeof((staff_row *)0)->cell[0] + 4];
    char guarded[sizeof((staff_row *)0)->cell[0] + 2];
    if (text[0] && strchr("=+-@\t\r", text[0])) {
        snprintf(guarded, sizeof guarded, "'%s", text);
        text = guarded;
    }
    size_t n = csv_write(quoted, sizeof quoted, text, strlen(text));
    if (!first)
        strbuf_puts(out, ",");
    if (n > sizeof quoted) { /* cannot happen with the sizes above; never write half a cell */
        out->failed = true;
        return;
    }
    strbuf_append(out, quoted, n);
}

static void csv_row(strbuf *out, const char *const *cells)
{
    for (int i = 0; i < STAFF_COLUMNS; i++)
        csv_cell(out, cells[i], i == 0);
    strbuf_puts(out, "\r\n");
}

typedef struct {
    const staff_directory *d;
    time_t now;
    strbuf *out;
    int rows;
} csv_walk;

static sd_code csv_complaint(void *ctx, const store_complaint *c, time_t approved_at)
{
    csv_walk *w = ctx;
    staff_row row;
    staff_row_cells(w->d, c, approved_at, w->now, &row);
    const char *cells[STAFF_COLUMNS];
    for (int i = 0; i < STAFF_COLUMNS; i++)
        cells[i] = row.cell[i];
    csv_row(w->out, cells);
    w->rows++;
    return w->out->failed ? SD_ERR_NOMEM : SD_OK;
}

sd_code staff_export_csv(store *s, const staff_directory *d, const store_staff_query *q, time_t now,
                         strbuf *out, int *rows)
{
    csv_walk w = {d, now, out, 0};
    strbuf_puts(out, "\xEF\xBB\xBF"); /* the BOM: spreadsheets then read UTF-8 */
    csv_row(out, staff_column_heads);
    sd_code rc = store_staff_query_run(s, q, csv_complaint, &w, NULL);
    *rows = w.rows;
    return rc == SD_OK && out->failed ? SD_ERR_NOMEM : rc;
}

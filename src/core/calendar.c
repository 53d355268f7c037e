/* calendar.c - KST conversion and working-day arithmetic (see calendar.h).
 * Holidays are kept as sorted day numbers (days since 1970-01-01 in KST) and found by binary
 * search; a deadline walks forward day by day, which is at most a few weeks of steps. */
#include "calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textfile.h"

struct calendar {
    long *days;
    size_t n;
};

static long day_number(time_t t)
{
    long long local = (long long)t + KST_OFFSET;
    return (long)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

typedef struct {
    calendar *c;
    const char *path;
    char *err;
    size_t errlen;
} holiday_reader;

static sd_code holiday_line(void *ctx, char *line, int lineno)
{
    holiday_reader *r = ctx;
    int y, m, d;
    if (sscanf(line, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31) {
        snprintf(r->err, r->errlen, "%s:%d: expected a date YYYY-MM-DD", r->path, lineno);
        return SD_ERR_PARSE;
    }
    long *days = realloc(r->c->days, (r->c->n + 1) * sizeof *days);
    if (!days)
        return SD_ERR_NOMEM;
    r->c->days = days;
    r->c->days[r->c->n++] = days_from_civil(y, m, d);
    return SD_OK;
}

sd_code calendar_load(const char *path, calendar **out, char *err, size_t errlen)
{
    *out = NULL;
    calendar *c = calloc(1, sizeof *c);
    if (!c)
        return SD_ERR_NOMEM;
    holiday_reader r = {c, path, err, errlen};
    sd_code rc = textfile_each_line(path, holiday_line, &r, err, errlen);
    if (rc != SD_OK) {
        calendar_free(c);
        return rc;
    }
    qsort(c->days, c->n, sizeof *c->days, cmp_long);
    *out = c;
    return SD_OK;
}

void calendar_free(calendar *c)
{
    if (!c)
        return;
    free(c->days);
    free(c);
}

static bool workday(const calendar *c, long day)
{
    long weekday = ((day % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
    if (weekday == 0 || weekday == 6)
        return false;
    return !bsearch(&day, c->days, c->n, sizeof *c->days, cmp_long);
}

bool calendar_is_workday(const calendar *c, time_t t)
{
    return workday(c, day_number(t));
}

time_t calendar_due(const calendar *c, time_t filed_at, int days)
{
    long day = day_number(filed_at);
    int counted = 0;
    for (int guard = 0; guard < 366; guard++, day++) {
        if (workday(c, day) && ++counted >= days)
            break;
    }
    return (time_t)((long long)day * 86400 + 18 * 3600 - KST_OFFSET);
}

int calendar_period_days(const char *type)
{
    if (type && (strcmp(type, "law_question") == 0 || strcmp(type, "suggestion") == 0))
        return 14;
    return 7;
}

void calendar_kst(time_t t, struct tm *out)
{
    time_t local = t + KST_OFFSET;
    gmtime_r(&local, out);
}

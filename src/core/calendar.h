/* calendar.h - Korean civil time and the statutory complaint clock.
 *
 * Times are stored as UTC seconds and shown in Korea Standard Time (UTC+9, no daylight saving).
 * The processing period of a complaint (민원 처리에 관한 법률 제19조) counts working days: the day
 * of filing counts, Saturdays, Sundays and public holidays do not, and the period ends at the
 * close of office hours (18:00) on the last working day. */
#ifndef SEODONG_CALENDAR_H
#define SEODONG_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sd_error.h"

typedef struct calendar calendar;

#define KST_OFFSET (9 * 3600)

/* Loads the holiday table (lines "YYYY-MM-DD<TAB>name", # comments). Returns SD_OK, SD_ERR_IO
 * or SD_ERR_PARSE (err says which line). */
sd_code calendar_load(const char *path, calendar **out, char *err, size_t errlen);
void calendar_free(calendar *c);

/* True when t falls on a weekday that is not a public holidays, in Korea. */
bool calendar_is_workday(const calendar *c, time_t t);

/* The deadline of a complaint filed at filed_at with a period of days working days. */
time_t calendar_due(const calendar *c, time_t filed_at, int days);

/* Processing period in working days of a complaint type: simple_question 7, law_question 14,
 * suggestion 14, grievance 7 (민원 처리에 관한 법률 시행령). 7 for an unknown type. */
int calendar_period_days(const char *complaint_type);

/* Broken-down Korean local time of t. */
void calendar_kst(time_t t, struct tm *out);

#endif

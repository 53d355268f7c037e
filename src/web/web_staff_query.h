/* web_staff_query.h - what the dashboard's list (/staff/list, /staff/list.csv) and `seodong
 * staff export` share, so that the terminal and the browser filter, name and export alike:
 * the filters a clerk sets, as text from a form or the command line, turned into one store
 * query; names for the codes a person would otherwise read (departments, staff, categories,
 * states, channels, sites); the cells of one row; and the CSV of a whole listing. */
#ifndef SEODONG_WEB_STAFF_QUERY_H
#define SEODONG_WEB_STAFF_QUERY_H

#include <stdbool.h>

#include "calendar.h"
#include "store.h"
#include "strbuf.h"

/* The filters as a person gives them; NULL or "" for any. */
typedef struct {
    const char *state; /* a state, or "open": all but approved */
    const char *dept, *category, *channel;
    const char *officer;   /* a login, or "-" for complaints no one is in charge of */
    const char *site;      /* a site ([device] site), or "-" for complaints filed at none */
    const char *from, *to; /* filed on or after / on or before, YYYY-MM-DD (Korean dates) */
    const char *text;      /* in the receipt number, the place or the details */
    const char *sort;      /* "due" (nearest deadline first, the default), "due_desc", "filed" */
    bool overdue, due_today;
} staff_filter;

/* The office's departments and staff, read once per page or export, for names. */
typedef struct staff_directory staff_directory;

/* Returns SD_OK, SD_ERR_NOMEM or SD_ERR_DB. */
sd_code staff_directory_load(store *s, staff_directory **out);
void staff_directory_free(staff_directory *d);
/* The departments by code; *n gets how many. */
const store_department *staff_directory_departments(const staff_directory *d, size_t *n);
/* Everyone on the staff list (active or not), by name; *n gets how many. */
const store_staff *staff_directory_people(const staff_directory *d, size_t *n);
/* The Korean name of department code (code itself when unknown). */
const char *staff_department_name(const staff_directory *d, const char *code);
/* The name of whoever login is: a member of staff, Seodong itself ("system"), or the resident
 * by the channel they filed through (the first timeline row's actor). */
const char *staff_person_name(const staff_directory *d, const char *login);

/* The channels complaints come in by, and their names. */
#define STAFF_CHANNELS 5
extern const char *const staff_channels[STAFF_CHANNELS];
const char *staff_channel_name(const char *code);
/* The name of a complaint's site: the site, or what none means (the office's own servers). */
const char *staff_site_name(const char *site);

/* Every complaint state, in lifecycle order. */
#define STAFF_STATES 9
extern const char *const staff_states[STAFF_STATES];

/* Turns f into q at now, for a member of staff of department my_dept, whose text search reaches
 * the place and details of their own department's complaints only (my_dept NULL: the office's
 * administrator at the terminal, every department). Strings in q point into f. Returns SD_OK,
 * or SD_ERR_INVALID with *bad naming the field that is wrong ("from", "to" or "sort"). */
sd_code staff_filter_query(const staff_filter *f, const calendar *cal, time_t now,
                           const char *my_dept, store_staff_query *q, const char **bad);

/* One row of the list as people read it; the CSV has the same cells. */
#define STAFF_COLUMNS 10
extern const char *const staff_column_heads[STAFF_COLUMNS];
typedef struct {
    char cell[STAFF_COLUMNS][128];
    bool late; /* open and past its deadline */
} staff_row;
enum { STAFF_COL_RECEIPT = 0, STAFF_COL_LEFT = STAFF_COLUMNS - 1 };

void staff_row_cells(const staff_directory *d, const store_complaint *c, time_t approved_at,
                     time_t now, staff_row *out);

/* "YYYY-MM-DD HH:MM", Korean time. */
void staff_format_time(char out[48], time_t t);

/* Writes every complaint of q as CSV into out: UTF-8 with a byte order mark (so spreadsheets
 * read the Korean right), the column heads, CRLF line ends, every cell quoted by libcsv; a cell
 * that a spreadsheet would take for a formula (= + - @ first) gets a leading '. *rows counts
 * the complaints. Returns SD_OK, SD_ERR_NOMEM or SD_ERR_DB. */
sd_code staff_export_csv(store *s, const staff_directory *d, const store_staff_query *q, time_t now,
                         strbuf *out, int *rows);

#endif

/* store.h - everything Seodong keeps: the knowledge base, departments and categories, and the
 * complaints with their append-only timelines. All SQL of the project lives behind this header,
 * so that another database (a shared PostgreSQL for an office of many speakers) can implement
 * the same functions later. The SQLite store is safe to share between threads: each call holds
 * the store's lock for one short transaction. */
#ifndef SEODONG_STORE_H
#define SEODONG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sd_error.h"

typedef struct store store;

/* Opens (creating when missing) the SQLite database at path, in WAL mode with full sync, and
 * brings its schema up to date. Returns SD_OK, SD_ERR_DB (err says why) or SD_ERR_NOMEM. */
sd_code store_open(const char *path, store **out, char *err, size_t errlen);
void store_close(store *s);

/* The last database error in words, for messages to people. */
const char *store_errmsg(store *s);

/* ---- reference tables ---- */

typedef struct {
    char code[32];
    char name_ko[64];
    char name_en[96];
    char phone[24];
} store_department;

typedef struct {
    char code[32];
    char department[32];
    char complaint_type[32];
    char name_ko[64];
    char name_en[64];
} store_category;

sd_code store_department_put(store *s, const store_department *d);
sd_code store_department_get(store *s, const char *code, store_department *out);
sd_code store_category_put(store *s, const store_category *c);
sd_code store_category_get(store *s, const char *code, store_category *out);
/* Number of rows in the categories table (0 on a new database). */
int store_category_count(store *s);

/* A member of staff. login is what they run staff commands as; role is "officer" or "head"
 * (the head of the department, who approves answers). */
typedef struct {
    char login[64];
    char name[64];
    char department[32];
    char role[16];
    bool active;
} store_staff;

/* Adds or updates a member of staff. Returns SD_OK, SD_ERR_INVALID (empty login or name, a role
 * other than officer/head, an unknown department) or SD_ERR_DB. */
sd_code store_staff_put(store *s, const store_staff *m);
/* Returns SD_OK, SD_ERR_NOT_FOUND or SD_ERR_DB. */
sd_code store_staff_get(store *s, const char *login, store_staff *out);

/* ---- notification outbox (store_outbox.c) ---- */

/* ---- knowledge base ---- */

typedef struct {
    const char *key; /* stable id shared by the languages of one entry */
    const char *lang;
    const char *topic;
    const char *department;
    const char *title;
    const char *questions; /* one per line */
    const char *answer;
    const char *keywords;
} store_kb_entry;

/* Replaces the whole knowledge base with entries, in one transaction: on any error nothing
 * changes. Returns SD_OK, SD_ERR_INVALID (an entry lacks key, lang, title or answer) or SD_ERR_DB.
 */
sd_code store_kb_replace(store *s, const store_kb_entry *entries, size_t n);

/* Receives one knowledge-base row; its strings live only until the call returns. A return
 * other than SD_OK stops the walk. */
typedef sd_code (*store_kb_fn)(void *ctx, const store_kb_entry *entry);

/* Calls fn for every knowledge-base row, in the order the rows were imported, inside one read
 * transaction. fn must not call the store (its lock is held). Returns SD_OK, what fn returned,
 * or SD_ERR_DB. */
sd_code store_kb_each(store *s, store_kb_fn fn, void *ctx);

typedef struct {
    long id;
    char key[64];
    char topic[32];
    char department[32];
    char title[256];
    char answer[1024];
    double coverage; /* share of the query's weight the entry contains, 0..1 */
} store_kb_hit;

/* Searches the entries of lang for query and returns the best match in *hit (coverage 0 and
 * SD_ERR_NOT_FOUND when nothing shares a word with the query). Candidates come from FTS5 over
 * the query's rarest terms; the winner is the candidate that covers most of the query.
 * Coverage is the idf-weighted share of the query's terms an entry holds; when words the KB
 * never uses keep every entry below min_coverage, the search stops there (SD_ERR_NOT_FOUND)
 * without reading the index. Pass 0 to always search. */
sd_code store_kb_search(store *s, const char *lang, const char *query, double min_coverage,
                        store_kb_hit *hit);

typedef struct {
    int entries;
    int entries_ko, entries_en;
    int topics;
    int terms;
} store_kb_stats;

sd_code store_kb_stats_get(store *s, store_kb_stats *out);

/* ---- forecast cache (store_weather.c) ---- */

/* ---- call records (store_call.c) ---- */

/* Opens the record of a phone call answered at started_at: caller_masked is the caller's number
 * with all but the last four digits hidden ("" when unknown), codec the audio codec agreed.
 * *id gets the record's id. Returns SD_OK, SD_ERR_BUSY or SD_ERR_DB. */
sd_code store_call_begin(store *s, time_t started_at, const char *caller_masked, const char *codec,
                         long *id);

typedef struct {
    time_t ended_at;
    const char *intents; /* what the caller asked for, in order, space-separated */
    const char *result;  /* how the call ended: "hangup", "transfer", "filed", "timeout", ... */
    const char *receipt; /* the complaint filed during the call, or NULL */
} store_call_end_info;

/* Closes record id. Returns SD_OK, SD_ERR_NOT_FOUND (no such record), SD_ERR_BUSY or
 * SD_ERR_DB. */
sd_code store_call_end(store *s, long id, const store_call_end_info *info);

/* ---- complaints ---- */

typedef struct {
    const char *category;
    const char *place;
    const char *detail;
    const char *phone; /* digits, or NULL for anonymous */
    const char *lang;
    const char *channel; /* text, speaker, phone, kakao, web */
    time_t filed_at;
    time_t due_at;
} store_new_complaint;

/* Files a complaint: a receipt number is drawn (never reused, even after a failed filing), the
 * complaint is routed to its category's department, and its first timeline event "received" is
 * written, all in one transaction. receipt gets "SG-YYYY-NNNNNN". Returns SD_OK, SD_ERR_INVALID
 * (unknown category, empty detail), SD_ERR_BUSY or SD_ERR_DB. */
sd_code store_complaint_file(store *s, const store_new_complaint *c, char receipt[32]);

typedef struct {
    char receipt[32];
    char category[32];
    char complaint_type[32];
    char place[128];
    char detail[512];
    char state[24];
    char department[32];
    char officer[64];    /* login of the officer in charge, "" before assignment */
    char answer[1024];   /* the officer's answer, "" before one is written */
    char phone_last4[8]; /* "" for anonymous */
    char lang[4];
    char channel[16];
    int extensions; /* deadline extensions granted so far */
    time_t filed_at;
    time_t due_at;
} store_complaint;

typedef struct {
    long id;
    time_t at;
    char state[24]; /* the state entered, or an event that keeps it: "extended", "interim" */
    char actor[64];
    char department[32];
    char note[256];
    time_t due_at; /* the deadline as it stood after this step (0 in rows from schema 1) */
} store_event;

/* Reads a complaint and up to max_events of its timeline (oldest first). Returns SD_OK,
 * SD_ERR_NOT_FOUND or SD_ERR_DB. */
sd_code store_complaint_get(store *s, const char *receipt, store_complaint *out,
                            store_event *events, size_t max_events, size_t *nevents);

/* What one staff action does to a complaint, filled in by a store_decide_fn. Fields left NULL
 * (or 0) keep their value. The timeline row gets event (the new state, or an event name such as
 * "extended") and note; notify queues a message to the resident in the outbox, in the same
 * transaction (only when the complaint has a phone number). */
typedef struct {
    const char *event;
    const char *state;
    const char *department;
    const char *officer; /* "" clears the officer in charge */
    const char *answer;
    const char *note;
    time_t due_at;
    int extensions;
    bool notify;
} store_change;

/* Decides a change from the complaint as it is now, inside the write transaction, so that the
 * rules always see the current state. actor is NULL for the system itself (deadline sweeps).
 * Returns SD_OK with *change filled in, or an error (SD_ERR_DENIED for an illegal step) that
 * leaves everything unchanged. */
typedef sd_code (*store_decide_fn)(void *ctx, const store_complaint *now, const store_staff *actor,
                                   store_change *change);

/* Applies one staff action atomically: reads the complaint and the actor (actor_login NULL for
 * the system), asks decide, updates the complaint, appends the timeline row and queues the
 * notification, all in one transaction. Returns SD_OK, SD_ERR_NOT_FOUND (no such complaint),
 * SD_ERR_DENIED (unknown or inactive staff login, or what decide returned), SD_ERR_BUSY or
 * SD_ERR_DB. */
sd_code store_complaint_change(store *s, const char *receipt, const char *actor_login, time_t at,
                               store_decide_fn decide, void *ctx);

typedef struct {
    const char *state;         /* NULL for any */
    const char *department;    /* NULL for any */
    time_t due_before;         /* 0 for any; else only open complaints due before this time */
    time_t filed_before;       /* 0 for any; else only open complaints filed before this time */
    const char *without_event; /* NULL, or only complaints whose timeline lacks this event */
} store_complaint_filter;

/* Receives one complaint of a listing; a return other than SD_OK stops the walk. */
typedef sd_code (*store_complaint_fn)(void *ctx, const store_complaint *c);

/* Calls fn for each complaint matching filter, oldest deadline first. Open means not yet
 * approved. fn must not call the store. Returns SD_OK, what fn returned, or SD_ERR_DB. */
sd_code store_complaint_list(store *s, const store_complaint_filter *filter, store_complaint_fn fn,
                             void *ctx);

#endif

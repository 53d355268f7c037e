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

/* Room for a receipt number and its NUL: "SG-2026-000123". */
#define STORE_RECEIPT_MAX 32

/* Writes the receipt number of serial in year, "SG-2026-000123": the one written form, which
 * the store draws and the understanding and the phone menu read back. */
void store_format_receipt(char out[STORE_RECEIPT_MAX], int year, long serial);

/* Opens (creating when missing) the SQLite database at path, in WAL mode with full sync, and
 * brings its schema up to date. A path that is a PostgreSQL URL (store_is_shared_url) opens the
 * office's shared store instead, as store_open_local does with its default local file. Returns
 * SD_OK, SD_ERR_DB (err says why) or SD_ERR_NOMEM. */
sd_code store_open(const char *path, store **out, char *err, size_t errlen);

/* True for "postgresql://..." and "postgres://...": the office's shared PostgreSQL store. */
bool store_is_shared_url(const char *path);

/* False when s is a shared store whose server cannot be reached now (it tries to connect again,
 * at most once a second); always true on SQLite. */
bool store_online(store *s);

/* Copies the office's knowledge base into this device's read copy when it changed since the
 * last copy (the store also does this by itself every few seconds). SD_OK on SQLite. Returns
 * SD_OK, SD_ERR_OFFLINE or SD_ERR_DB. */
sd_code store_kb_refresh(store *s);

/* The device's own SQLite file beside a shared store, when none is named. */
#define STORE_LOCAL_DEFAULT "seodong-local.db"

/* As store_open; on a shared store (path a PostgreSQL URL) the device also keeps the SQLite
 * file local (NULL: STORE_LOCAL_DEFAULT) with a read copy of the knowledge base, so that a
 * question never waits on the network, and a spool of filings made while the server cannot be
 * reached, forwarded once it answers again (see store_complaint_file). The schema on the server
 * is created or upgraded as for SQLite. A server that does not answer is no error: the store
 * opens offline, spools filings and answers status questions with SD_ERR_OFFLINE until it is
 * back; only a local file that cannot be opened, or a server that refuses us (a wrong password,
 * a schema from a newer Seodong), fails (SD_ERR_DB, err says why). */
sd_code store_open_local(const char *path, const char *local, store **out, char *err,
                         size_t errlen);
void store_close(store *s);

/* Opens n read-only connections beside the store's own (at most STORE_MAX_READERS), for a
 * process whose threads look complaints up at once (the web server): the hottest reads
 * (store_complaint_get, store_public_get) then run on whichever connection is free instead of
 * queueing for one. A read still sees every write committed before it. Safe while other threads
 * use the store, but not from two threads at once. Returns SD_OK, SD_ERR_INVALID (n out of range)
 * or SD_ERR_DB (err says why; the store works on as before). */
#define STORE_MAX_READERS 16
sd_code store_add_readers(store *s, int n, char *err, size_t errlen);

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

/* One queued message. Its states: pending (waiting for next_at), sending (claimed by a sender
 * until next_at, its lease), sent, dead (failed max_attempts times, or refused for good; staff
 * retry it). phone is the resident's full number, read from the complaint: only for the gateway,
 * never to be printed whole. */
typedef struct {
    long id;
    char receipt[32];
    char template_code[32];
    char params[8192]; /* JSON object of the template's parameters */
    char idem_key[64]; /* receipt-event: stable across retries and restarts */
    char phone[24];
    char state[12];
    int attempts;  /* claims so far, this one included */
    bool in_doubt; /* a sender may have reached the gateway: ask it before sending again */
    time_t created_at;
    time_t next_at;
    time_t sent_at; /* 0 until sent */
    char last_error[256];
} store_outbox_msg;

/* Claims the next due message for sending: a pending one with next_at <= now, or one left in
 * 'sending' past its lease by a sender that died (that one comes back with in_doubt set). The
 * message becomes 'sending' until now + lease_s and its attempts grow by one, so a message that
 * kills its sender every time still ends dead. Returns SD_OK, SD_ERR_NOT_FOUND (nothing due),
 * SD_ERR_BUSY or SD_ERR_DB. */
sd_code store_outbox_claim(store *s, time_t now, int lease_s, store_outbox_msg *out);

/* Records that the gateway accepted message id. Returns SD_OK, SD_ERR_NOT_FOUND (no such
 * message, or already sent) or SD_ERR_DB. */
sd_code store_outbox_sent(store *s, long id, time_t now);

typedef struct {
    const char *error; /* why, for staff; never holds the phone number */
    bool permanent;    /* the gateway refused this message for good: dead at once */
    bool in_doubt;     /* the gateway may have accepted it: look it up before sending again */
    int backoff_s;     /* first retry delay; doubled for each further attempt, capped at a day */
    int max_attempts;  /* attempts after which the message is dead */
} store_outbox_failure;

/* Records a failed attempt of claimed message id: back to pending, due again after the back-off,
 * or dead (*dead set). Returns SD_OK, SD_ERR_NOT_FOUND (not claimed) or SD_ERR_DB. */
sd_code store_outbox_failed(store *s, long id, time_t now, const store_outbox_failure *f,
                            bool *dead);

/* Receives one message of a listing; a return other than SD_OK stops the walk. */
typedef sd_code (*store_outbox_fn)(void *ctx, const store_outbox_msg *m);

/* Calls fn for each message in state (NULL for all), oldest first. fn must not call the store.
 * Returns SD_OK, what fn returned, or SD_ERR_DB. */
sd_code store_outbox_list(store *s, const char *state, store_outbox_fn fn, void *ctx);

/* Puts dead message id (or, with id 0, every dead message) back to pending, due at now, with
 * its attempts counted afresh; *count gets how many. Returns SD_OK, SD_ERR_NOT_FOUND (id is not
 * a dead message; none dead is SD_OK with 0) or SD_ERR_DB. */
sd_code store_outbox_retry(store *s, long id, time_t now, int *count);

typedef struct {
    int pending, sending, sent, dead;
} store_outbox_counts;

sd_code store_outbox_count(store *s, store_outbox_counts *out);

/* When the earliest pending or claimed message falls due. Returns SD_OK, SD_ERR_NOT_FOUND (none
 * waiting) or SD_ERR_DB. */
sd_code store_outbox_next_due(store *s, time_t *at);

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

/* One issue of a weather service for one grid cell: kind ("forecast", "nowcast"), the issue's
 * base_date "YYYYMMDD" and base_time "HHMM", and the cell. */
typedef struct {
    const char *kind;
    const char *base_date;
    const char *base_time;
    int nx, ny;
} store_forecast_key;

/* Claims the right to fetch issue key: true in *claimed when it is not cached yet, no other
 * fetch of it is under way and its last failure is not more recent than allowed. The claim
 * holds until busy_until; so many speakers and threads ask the service at most once per issue,
 * and at most once per retry delay after a failure. Returns SD_OK or SD_ERR_DB/SD_ERR_BUSY. */
sd_code store_forecast_claim(store *s, const store_forecast_key *key, time_t now, time_t busy_until,
                             bool *claimed);

/* Keeps the service's answer body for issue key, fetched at now, and forgets issues tried more
 * than three days before now. Returns SD_OK, SD_ERR_DB or SD_ERR_BUSY. */
sd_code store_forecast_put(store *s, const store_forecast_key *key, const char *body, time_t now);

/* Records why fetching issue key failed (for staff: 'select * from forecasts'), and that it may
 * be tried again from retry_at. Returns SD_OK, SD_ERR_DB or SD_ERR_BUSY. */
sd_code store_forecast_fail(store *s, const store_forecast_key *key, const char *error,
                            time_t retry_at);

typedef struct {
    char base_date[9], base_time[5];
    char *body;      /* the answer as received; free() it */
    char error[256]; /* why key's own issue could not be fetched, "" when it did not fail */
} store_forecast;

/* The newest cached issue of kind for the cell, not later than key's issue (a clock set back
 * must not see a future issue). error tells why key's own issue is missing, when it failed. A
 * shared store keeps what it read in the device's own file too, and reads that copy while the
 * server cannot be reached.
 * Returns SD_OK, SD_ERR_NOT_FOUND (nothing cached), SD_ERR_NOMEM or SD_ERR_DB. */
sd_code store_forecast_latest(store *s, const store_forecast_key *key, store_forecast *out);

/* ---- web: API keys and public requests (store_web.c) ---- */

/* Length of an API key's hash (the key itself is never stored). */
#define STORE_KEY_HASH 32

/* Issues (or replaces) the API key of client name, given as its hash. Returns SD_OK,
 * SD_ERR_INVALID (empty name) or SD_ERR_DB. */
sd_code store_apikey_put(store *s, const char *name, const unsigned char hash[STORE_KEY_HASH],
                         time_t now);
/* Revokes the key of name. Returns SD_OK, SD_ERR_NOT_FOUND (no active key) or SD_ERR_DB. */
sd_code store_apikey_revoke(store *s, const char *name, time_t now);
/* Finds the active key with this hash; name gets its client. Returns SD_OK, SD_ERR_DENIED or
 * SD_ERR_DB. */
sd_code store_apikey_check(store *s, const unsigned char hash[STORE_KEY_HASH], char name[64]);

/* Receives one category; a return other than SD_OK stops the walk. */
typedef sd_code (*store_category_fn)(void *ctx, const store_category *c);
/* Calls fn for every category, by code. fn must not call the store. */
sd_code store_category_each(store *s, store_category_fn fn, void *ctx);

/* A complaint as public listings show it: no phone number, officer or answer. */
typedef struct {
    char receipt[32];
    char category[32];
    char place[128];
    char detail[512];
    char state[24];
    char department[32];
    time_t filed_at;
    time_t due_at;
    time_t updated_at; /* time of the last timeline step */
    char department_ko[64];
    char department_en[96];
    bool located; /* filed with coordinates: lat and lon (WGS84 degrees) */
    double lat, lon;
} store_public_request;

typedef struct {
    const char *category; /* NULL for any */
    int closed;           /* -1 any, 0 open only, 1 closed (approved) only */
    time_t start, end;    /* filed in [start, end) */
    int limit;
} store_public_filter;

typedef sd_code (*store_public_fn)(void *ctx, const store_public_request *r);

/* Calls fn for each public complaint matching f, newest first. fn must not call the store. */
sd_code store_public_list(store *s, const store_public_filter *f, store_public_fn fn, void *ctx);
/* Reads one complaint when it is public; receipt may be the spool code of a forwarded filing.
 * Returns SD_OK, SD_ERR_NOT_FOUND (none, or private), SD_ERR_OFFLINE or SD_ERR_DB. */
sd_code store_public_get(store *s, const char *receipt, store_public_request *out);
/* Makes a complaint public or private again (the resident's choice, asked once per channel).
 * Returns SD_OK, SD_ERR_NOT_FOUND or SD_ERR_DB. */
sd_code store_complaint_set_public(store *s, const char *receipt, bool public);
/* The receipt of the complaint filed with Open311 token. Returns SD_OK, SD_ERR_NOT_FOUND or
 * SD_ERR_DB. */
sd_code store_token_find(store *s, const char *token, char receipt[32]);

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

/* ---- staff dashboard: departments and sign-in (store_staffweb.c) ---- */

/* Receives one department; a return other than SD_OK stops the walk. */
typedef sd_code (*store_department_fn)(void *ctx, const store_department *d);
/* Calls fn for every department, by Korean name. fn must not call the store. Returns SD_OK,
 * what fn returned, or SD_ERR_DB. */
sd_code store_department_each(store *s, store_department_fn fn, void *ctx);

/* Receives one member of staff; a return other than SD_OK stops the walk. */
typedef sd_code (*store_staff_fn)(void *ctx, const store_staff *m);
/* Calls fn for every member of staff of department (NULL: all), active or not, by name. fn
 * must not call the store. Returns SD_OK, what fn returned, or SD_ERR_DB. */
sd_code store_staff_each(store *s, const char *department, store_staff_fn fn, void *ctx);

/* A member of staff's password for the dashboard: the Argon2id hash string of libsodium
 * (crypto_pwhash_str, which carries its own salt and limits) and the failed sign-ins since the
 * last good one. The password itself is never stored. */
typedef struct {
    char hash[128];      /* "" when no password was ever set */
    int failures;        /* failed sign-ins in a row */
    time_t locked_until; /* no sign-in before this time (0: not locked) */
} store_staff_auth;

/* Sets login's password hash and clears its failures and lock. Returns SD_OK, SD_ERR_NOT_FOUND
 * (no such member of staff), SD_ERR_INVALID (hash too long) or SD_ERR_DB. */
sd_code store_staff_password_set(store *s, const char *login, const char *hash);
/* Reads login's password hash and failures. Returns SD_OK, SD_ERR_NOT_FOUND (no password set)
 * or SD_ERR_DB. */
sd_code store_staff_auth_get(store *s, const char *login, store_staff_auth *out);
/* Records a sign-in of login at now: a good one clears the failures; a bad one counts (unless
 * the login is locked), and the max_failures-th in a row locks the login until now + lock_s.
 * Every bad one, for a login that exists or not, also counts in signin_stats, so that each
 * writes alike. Returns SD_OK, SD_ERR_BUSY or SD_ERR_DB. */
sd_code store_staff_signin(store *s, const char *login, bool ok, time_t now, int max_failures,
                           int lock_s);

/* ---- staff dashboard sessions (store_session.c) ---- */

/* A signed-in session. The store never sees its id: id_hash is a hash of it (SHA-256 in hex),
 * made by the web front. */
typedef struct {
    char id_hash[65];
    char login[64];
    char csrf[65];     /* the token every form of the session carries */
    time_t created_at; /* sign-in */
    time_t seen_at;    /* last use */
    time_t expires_at; /* the session ends after this time however much it is used */
} store_staff_session;

/* Records a new session. Returns SD_OK, SD_ERR_INVALID (an empty field), SD_ERR_BUSY or
 * SD_ERR_DB (also for an id_hash already there, which a fresh random id never gives). */
sd_code store_staff_session_put(store *s, const store_staff_session *in);
/* Finds the session of id_hash that is live at now (expires_at not before now, used at or after
 * idle_since) and marks it used at now, in one statement. Returns SD_OK with out filled,
 * SD_ERR_NOT_FOUND (unknown, ended or expired), SD_ERR_BUSY, SD_ERR_OFFLINE or SD_ERR_DB. */
sd_code store_staff_session_use(store *s, const char *id_hash, time_t now, time_t idle_since,
                                store_staff_session *out);
/* Ends the session of id_hash (sign-out; an unknown one is no error). Returns SD_OK, SD_ERR_BUSY
 * or SD_ERR_DB. */
sd_code store_staff_session_end(store *s, const char *id_hash);
/* Ends every session of login (its password changed). Returns SD_OK, SD_ERR_BUSY or SD_ERR_DB. */
sd_code store_staff_sessions_end(store *s, const char *login);
/* Deletes the sessions that store_staff_session_use would no longer find at now. Returns SD_OK,
 * SD_ERR_BUSY or SD_ERR_DB. */
sd_code store_staff_sessions_prune(store *s, time_t now, time_t idle_since);

/* ---- complaints ---- */

typedef struct {
    const char *category;
    const char *place;
    const char *detail;
    const char *phone; /* digits, or NULL for anonymous */
    const char *lang;
    const char *channel; /* text, speaker, phone, kakao, web */
    const char *site;    /* where the box it was filed at stands ([device] site), or NULL */
    time_t filed_at;
    time_t due_at;
    bool public;       /* the resident agreed to show it in public listings (never the phone) */
    const char *token; /* Open311: a token the client can look the request up by, or NULL */
    bool located;      /* lat and lon hold where it is (WGS84 degrees) */
    double lat, lon;
    /* The department that should handle it (the understanding's guess), or NULL for the
     * category's own; a code not in the departments table also falls back to the category's. */
    const char *department;
} store_new_complaint;

/* Files a complaint: a receipt number is drawn (never reused, even after a failed filing), the
 * complaint is routed to c->department, else to its category's department, and its first
 * timeline event "received" is written, all in one transaction. receipt gets "SG-YYYY-NNNNNN".
 * On a shared store that cannot be reached the filing is kept in the device's spool instead:
 * receipt gets a short code "Q-XXXXXX" (store_is_spool_code) for the resident to quote, and the
 * complaint is forwarded exactly once when the server is back, with its own receipt number then
 * sent by message when a phone number was given. Returns SD_OK (filed or spooled),
 * SD_ERR_INVALID (unknown category, empty detail), SD_ERR_BUSY or SD_ERR_DB. */
sd_code store_complaint_file(store *s, const store_new_complaint *c, char receipt[32]);

/* True for a spool code "Q-XXXXXX" given by store_complaint_file while the office was offline. */
bool store_is_spool_code(const char *receipt);

/* Forwards the filings spooled on this device to the shared store, each exactly once; *sent
 * gets how many arrived (NULL when not wanted). A store that runs on SQLite has no spool.
 * The store also does this by itself in the background. Returns SD_OK, SD_ERR_OFFLINE (the
 * server is still away: the rest stays spooled) or SD_ERR_DB. */
sd_code store_spool_forward(store *s, int *sent);

/* How many filings wait in this device's spool (0 on SQLite). */
int store_spool_count(store *s);

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
    char site[128]; /* where it was filed ([device] site), "" for the office's own servers */
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

/* Reads a complaint, its department in charge into dept (NULL when not wanted; code "" when the
 * department is not in the table) and up to max_events of its timeline (oldest first), all in
 * one read transaction. receipt may be a spool code once its filing has been forwarded.
 * Returns SD_OK, SD_ERR_NOT_FOUND, SD_ERR_OFFLINE (a shared store that cannot be reached; for
 * a spool code still waiting on this device, out->receipt is that code and out->state
 * "spooled") or SD_ERR_DB. */
sd_code store_complaint_get(store *s, const char *receipt, store_complaint *out,
                            store_department *dept, store_event *events, size_t max_events,
                            size_t *nevents);

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

/* The staff dashboard's listing of complaints (store_staffweb.c), also `seodong staff export`:
 * every filter is optional (NULL or 0 for any). */
typedef enum { STORE_BY_DUE, STORE_BY_DUE_DESC, STORE_BY_FILED_DESC } store_staff_order;

typedef struct {
    const char *state; /* a state, or "open" for every state but approved */
    const char *department, *category, *channel;
    const char *officer;         /* a login, or "" for complaints no one is in charge of */
    const char *site;            /* a site, or "" for complaints filed with none */
    time_t filed_from, filed_to; /* filed in [filed_from, filed_to) */
    time_t due_before;           /* only open complaints due before this time */
    /* Text found in the receipt number, or in the place or details of a complaint of
     * text_department (NULL: of any): staff search only their own department's words. */
    const char *text, *text_department;
    store_staff_order order; /* ties go by filing order */
    int limit, offset;       /* limit 0: all */
} store_staff_query;

/* Receives one complaint of the listing and when it was last approved (0 if never). */
typedef sd_code (*store_staff_row_fn)(void *ctx, const store_complaint *c, time_t approved_at);

/* Calls fn for each complaint of q's page, in one read transaction, after counting all that
 * match into *total (NULL when not wanted). fn must not call the store. Returns SD_OK, what
 * fn returned, or SD_ERR_DB. */
sd_code store_staff_query_run(store *s, const store_staff_query *q, store_staff_row_fn fn,
                              void *ctx, int *total);

/* Receives one site and how many complaints were filed there; a return other than SD_OK stops
 * the walk. */
typedef sd_code (*store_site_fn)(void *ctx, const char *site, int complaints);

/* Calls fn for every site complaints were filed at ("" for none), by name, for the dashboard's
 * menus. fn must not call the store. Returns SD_OK, what fn returned, or SD_ERR_DB. */
sd_code store_site_each(store *s, store_site_fn fn, void *ctx);

#endif

/* store_internal.h - what the files of the SQLite store share, and nothing outside them sees.
 *
 * The store is one module split by concern (Redis style): store.c opens the database and keeps
 * the reference tables, store_kb.c the knowledge base, store_complaint.c complaints and their
 * lifecycle, store_outbox.c the notification outbox, store_weather.c the forecast cache,
 * store_call.c the phone line's call records, store_staffweb.c the staff's passwords,
 * store_session.c the staff dashboard's sessions. Each
 * file owns its tables (a schema string run by store_open) and its prepared statements (a range
 * of slots in the store's statement cache). */
#ifndef SEODONG_STORE_INTERNAL_H
#define SEODONG_STORE_INTERNAL_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>

#include "store.h"
#include "store_db.h"

/* Each file's first statement slot; a file's statements must fit before the next base. */
enum store_slot_base {
    STORE_SLOTS_CORE = 0,
    STORE_SLOTS_KB = 16,
    STORE_SLOTS_COMPLAINT = 24,
    STORE_SLOTS_OUTBOX = 48,
    STORE_SLOTS_WEATHER = 64,
    STORE_SLOTS_WEB = 80,
    STORE_SLOTS_CALL = 96,
    STORE_SLOTS_STAFFWEB = 104,
    STORE_SLOTS_SHARED = 120,
    STORE_SLOTS_SESSION = 136,
    STORE_SLOTS_LOCAL = 144,
    STORE_SLOTS = 152
};

struct store {
    db_conn *conn;
    sqlite3 *db; /* the SQLite handle; NULL on PostgreSQL */
    pthread_mutex_t lock;
    db_stmt *stmt[STORE_SLOTS];
    struct store *readers[STORE_MAX_READERS]; /* read-only connections (store_add_readers) */
    _Atomic int nreaders; /* published after readers[i] is set: lock-free for store_read_lock */
    /* On PostgreSQL: the device's own SQLite file, with the read copy of the knowledge base and
     * the spool of filings made while the server could not be reached (store_shared.c). */
    struct store *local;
    struct store_shared *shared;
};

/* True when s works on PostgreSQL. */
bool store_is_pg(const store *s);

/* The statement text for s's database: pg_sql on PostgreSQL when there is one, else sql. */
const char *store_sql(const store *s, const char *sql, const char *pg_sql);

/* Locks and returns a connection for a read: a free reader, else the store itself (waiting for
 * it). Release it with pthread_mutex_unlock(&returned->lock). */
store *store_read_lock(store *s);

/* Tables of each file, created by store_open when missing. */
extern const char *const store_kb_schema;
extern const char *const store_complaint_schema;
extern const char *const store_outbox_schema;
extern const char *const store_weather_schema;
extern const char *const store_web_schema;
extern const char *const store_call_schema;
extern const char *const store_staffweb_schema;
extern const char *const store_session_schema;
/* Brings the complaint tables of a schema-1 database to schema 2, of a schema-2 one to 3, and
 * of a schema-3 one to 4. */
extern const char *const store_complaint_upgrade_v1;
extern const char *const store_complaint_upgrade_v2;
extern const char *const store_complaint_upgrade_v3;

/* ---- the shared store on PostgreSQL (store_shared.c, store_pg_schema.c) ---- */

extern const char *const store_pg_schema;
extern const int store_pg_schema_version;

/* Opens the shared store at url with the device's SQLite file local (see store_open_local). */
sd_code store_shared_open(const char *url, const char *local, store **out, char *err,
                          size_t errlen);
/* One more connection to s's server, for store_add_readers; NULL when it cannot be made. */
store *store_shared_reader(store *s, char *err, size_t errlen);
/* Stops s's background work and closes its local file; nothing for a SQLite store. */
void store_shared_close(store *s);
/* store_complaint_file on PostgreSQL: files under a fresh spool code, or spools it. */
sd_code store_shared_file(store *s, const store_new_complaint *c, char receipt[32]);
/* The receipt number the filing of spool code became, forwarding this device's spool first.
 * Returns SD_OK, SD_ERR_NOT_FOUND, SD_ERR_OFFLINE or SD_ERR_DB. */
sd_code store_shared_receipt_of(store *s, const char *code, char receipt[32]);
/* store_complaint_get of a spool code on PostgreSQL. */
sd_code store_shared_get_spooled(store *s, const char *code, store_complaint *out,
                                 store_department *dept, store_event *events, size_t max_events,
                                 size_t *nevents);
/* store_kb_replace on PostgreSQL: the office's copy, then this device's. */
sd_code store_shared_kb_replace(store *s, const store_kb_entry *entries, size_t n);

/* Files c as store_complaint_file does; on PostgreSQL with its intake key and, for a filing
 * forwarded from a spool, the code its resident was given (each NULL for none). */
sd_code store_complaint_file_coded(store *s, const store_new_complaint *c, const char *key,
                                   const char *code, char receipt[32]);

/* Queues the notification of timeline event event_id in the outbox (store_outbox.c), when its
 * complaint has a phone number. The caller holds the lock inside a write transaction. */
sd_code store_outbox_queue_locked(store *s, int64_t event_id);

/* Records what the web adds to a complaint just filed as row complaint_id (store_web.c): the
 * public flag and the Open311 token. The caller holds the lock inside the filing transaction. */
sd_code store_web_filed_locked(store *s, int64_t complaint_id, const store_new_complaint *c);

/* The columns store_complaint_row reads, for any query over complaints c, in SQL that both
 * databases read alike (SQLite's substr counts a negative start from the end; PostgreSQL's does
 * not). */
#define COMPLAINT_COLUMNS                                                                          \
    "c.id, c.receipt, c.category, c.complaint_type, coalesce(c.place, ''), c.detail, c.state,"     \
    " c.department, coalesce(c.officer, ''), coalesce(c.answer, ''),"                              \
    " CASE WHEN length(c.phone) > 4 THEN substr(c.phone, length(c.phone) - 3)"                     \
    " ELSE coalesce(c.phone, '') END, c.lang, c.channel, c.extensions, c.filed_at, c.due_at,"      \
    " coalesce(c.site, '')"
/* Number of columns in COMPLAINT_COLUMNS: a query's own columns follow them. */
#define COMPLAINT_NCOLUMNS 17

/* Fills out from a row that starts with COMPLAINT_COLUMNS; returns the complaint's row id. */
int64_t store_complaint_row(db_stmt *st, store_complaint *out);

/* The statement cached in slot, prepared from sql on first use, reset and unbound; NULL when it
 * cannot be prepared. The caller holds the lock. */
db_stmt *store_stmt(store *s, int slot, const char *sql);

/* Maps a result code of store_db.h to an sd_code. */
sd_code store_db_code(int rc);

/* Steps a statement that returns no rows (or one to ignore) and resets it. */
sd_code store_step_done(db_stmt *st);

/* Steps a statement that returns one id (INSERT ... RETURNING id) into *id, and resets it. */
sd_code store_step_id(db_stmt *st, int64_t *id);

/* Steps st (bound) once: SD_OK with a row to read, SD_ERR_NOT_FOUND when there is none, the
 * database's error otherwise (SD_ERR_DB for a NULL st). The caller reads the row, then resets. */
sd_code store_step_row(db_stmt *st);

/* Takes the lock and opens a write transaction; on failure the lock is released. */
sd_code store_begin(store *s);

/* Commits when rc is SD_OK, rolls back otherwise, releases the lock; returns the outcome. */
sd_code store_finish(store *s, sd_code rc);

/* A read transaction for several statements; the caller holds the lock. store_begin_read
 * returns false when none could be opened (each statement then reads on its own). */
bool store_begin_read(store *s);
void store_end_read(store *s);

/* Copies column col as text into dst ("" for NULL); a text too long for dst is cut at the end of
 * a whole UTF-8 character. */
void store_copy_text(char *dst, size_t size, db_stmt *st, int col);

/* Binds text, or NULL when text is NULL or empty. */
void store_bind_opt(db_stmt *st, int col, const char *text);

/* Receives one row of a listing; a return other than SD_OK stops the walk. */
typedef sd_code (*store_row_fn)(void *ctx, db_stmt *row);

/* Steps the bound listing statement st (NULL when it could not be prepared: SD_ERR_DB) inside
 * one read transaction, giving each row to row, then resets st. The caller holds the lock.
 * Returns SD_OK, what row returned, or the database's error. */
sd_code store_walk_locked(store *s, db_stmt *st, store_row_fn row, void *ctx);

/* The first column of the first row of a count query as int (0 when none). Caller holds lock. */
int store_count_locked(db_stmt *st);

#endif

/* store_complaint.c - complaints, their append-only timelines and their lifecycle.
 *
 * Filing draws a receipt number from a per-year counter (never reused, even when the filing
 * fails afterwards), routes the complaint to the department the understanding chose, else to
 * its category's department, and writes the first
 * timeline row. A staff action (store_complaint_change) runs as one write transaction: read the
 * complaint and the actor, let the caller's rules decide (lifecycle.c), update the complaint,
 * append the timeline row, queue the resident's notification. Triggers refuse any UPDATE or
 * DELETE of the timeline. */
#include <stdio.h>
#include <string.h>

#include "store_internal.h"

const char *const store_complaint_schema =
    "CREATE TABLE IF NOT EXISTS receipt_counter(year INTEGER PRIMARY KEY, last INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS complaints(id INTEGER PRIMARY KEY, receipt TEXT NOT NULL UNIQUE,"
    " category TEXT NOT NULL REFERENCES categories(code), place TEXT, detail TEXT NOT NULL,"
    " phone TEXT, lang TEXT NOT NULL, channel TEXT NOT NULL, complaint_type TEXT NOT NULL,"
    " department TEXT NOT NULL, state TEXT NOT NULL, filed_at INTEGER NOT NULL,"
    " due_at INTEGER NOT NULL, officer TEXT, answer TEXT,"
    " extensions INTEGER NOT NULL DEFAULT 0, lat REAL, lon REAL, site TEXT);"
    "CREATE INDEX IF NOT EXISTS complaints_by_due ON complaints(state, due_at);"
    "CREATE TABLE IF NOT EXISTS timeline(id INTEGER PRIMARY KEY, complaint_id INTEGER NOT NULL"
    " REFERENCES complaints(id), at INTEGER NOT NULL, state TEXT NOT NULL, actor TEXT NOT NULL,"
    " department TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', due_at INTEGER);"
    "CREATE INDEX IF NOT EXISTS timeline_by_complaint ON timeline(complaint_id, id);"
    "CREATE TRIGGER IF NOT EXISTS timeline_append_only_u BEFORE UPDATE ON timeline"
    " BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS timeline_append_only_d BEFORE DELETE ON timeline"
    " BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;";

const char *const store_complaint_upgrade_v1 =
    "ALTER TABLE complaints ADD COLUMN officer TEXT;"
    "ALTER TABLE complaints ADD COLUMN answer TEXT;"
    "ALTER TABLE complaints ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE timeline ADD COLUMN due_at INTEGER;";

const char *const store_complaint_upgrade_v2 = "ALTER TABLE complaints ADD COLUMN lat REAL;"
                                               "ALTER TABLE complaints ADD COLUMN lon REAL;";

const char *const store_complaint_upgrade_v3 = "ALTER TABLE complaints ADD COLUMN site TEXT;";

enum {
    ST_COUNTER_NEXT,
    ST_COMPLAINT_INSERT,
    ST_EVENT_INSERT,
    ST_COMPLAINT_GET,
    ST_EVENTS_GET,
    ST_STAFF_ACTOR,
    ST_COMPLAINT_UPDATE,
    ST_COMPLAINT_LIST,
    COMPLAINT_STMTS
};
_Static_assert((int)COMPLAINT_STMTS <= (int)STORE_SLOTS_OUTBOX - (int)STORE_SLOTS_COMPLAINT,
               "complaint statements overflow their slots");

static const char *const complaint_sql[COMPLAINT_STMTS] = {
    [ST_COUNTER_NEXT] = "INSERT INTO receipt_counter(year, last) VALUES(?1, 1)"
                        " ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last",
    [ST_COMPLAINT_INSERT] =
        "INSERT INTO complaints(receipt, category, place, detail, phone, lang, channel,"
        " complaint_type, department, state, filed_at, due_at, lat, lon, site)"
        " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, complaint_type,"
        " coalesce((SELECT code FROM departments WHERE code = ?12), department), 'received',"
        " ?8, ?9, ?10, ?11, ?13"
        " FROM categories WHERE code = ?2 RETURNING id, department",
    /* Each row keeps the deadline as it stood after the step: an extension shows its new date. */
    [ST_EVENT_INSERT] = "INSERT INTO timeline(complaint_id, at, state, actor, department, note,"
                        " due_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, due_at FROM complaints"
                        " WHERE id = ?1",
    [ST_COMPLAINT_GET] = "SELECT " COMPLAINT_COLUMNS ", d.code, d.name_ko, d.name_en, d.phone"
                         " FROM complaints c LEFT JOIN departments d ON d.code = c.department"
                         " WHERE c.receipt = ?1",
    [ST_EVENTS_GET] =
        "SELECT id, at, state, actor, department, note, ifnull(due_at, 0) FROM timeline"
        " WHERE complaint_id = ?1 ORDER BY id LIMIT ?2",
    [ST_STAFF_ACTOR] = "SELECT name, department, role FROM staff WHERE login = ?1 AND active",
    [ST_COMPLAINT_UPDATE] = "UPDATE complaints SET state = ?2, department = ?3, officer = ?4,"
                            " answer = ?5, due_at = ?6, extensions = ?7 WHERE id = ?1",
    /* Open means not yet approved; the due and filed bounds apply to open complaints only. */
    [ST_COMPLAINT_LIST] =
        "SELECT " COMPLAINT_COLUMNS " FROM complaints c"
        " WHERE (?1 IS NULL OR c.state = ?1) AND (?2 IS NULL OR c.department = ?2)"
        " AND (?3 IS NULL OR (c.state <> 'approved' AND c.due_at < ?3))"
        " AND (?4 IS NULL OR (c.state <> 'approved' AND c.filed_at < ?4))"
        " AND (?5 IS NULL OR NOT EXISTS (SELECT 1 FROM timeline t"
        "                                WHERE t.complaint_id = c.id AND t.state = ?5))"
        " ORDER BY c.due_at, c.id",
};

static sqlite3_stmt *stmt(store *s, int id)
{
    return store_stmt(s, STORE_SLOTS_COMPLAINT + id, complaint_sql[id]);
}

/* ---- filing ---- */

static int year_of(time_t t)
{
    time_t kst = t + 9 * 3600; /* receipt years follow the Korean calendar */
    struct tm tm;
    gmtime_r(&kst, &tm);
    return tm.tm_year + 1900;
}

static sd_code next_receipt(store *s, time_t filed_at, char receipt[32])
{
    sqlite3_stmt *st = stmt(s, ST_COUNTER_NEXT);
    if (!st)
        return SD_ERR_DB;
    int year = year_of(filed_at);
    sqlite3_bind_int(st, 1, year);
    int step = sqlite3_step(st);
    sd_code rc = store_db_code(step);
    if (step == SQLITE_ROW) {
        store_format_receipt(receipt, year, (long)sqlite3_column_int64(st, 0));
        rc = SD_OK;
    }
    sqlite3_reset(st);
    return rc;
}

static sd_code insert_complaint(store *s, const store_new_complaint *c, const char *receipt,
                                sqlite3_int64 *id, char department[32])
{
    sqlite3_stmt *st = stmt(s, ST_COMPLAINT_INSERT);
    if (!st)
        return SD_ERR_DB;
    sqlite3_bind_text(st, 1, receipt, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->category, -1, SQLITE_STATIC);
    store_bind_opt(st, 3, c->place);
    sqlite3_bind_text(st, 4, c->detail, -1, SQLITE_STATIC);
    store_bind_opt(st, 5, c->phone);
    sqlite3_bind_text(st, 6, c->lang ? c->lang : "ko", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, c->channel ? c->channel : "text", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)c->filed_at);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)c->due_at);
    if (c->located) {
        sqlite3_bind_double(st, 10, c->lat);
        sqlite3_bind_double(st, 11, c->lon);
    }
    store_bind_opt(st, 12, c->department);
    store_bind_opt(st, 13, c->site);
    int step = sqlite3_step(st);
    sd_code rc = step == SQLITE_DONE ? SD_ERR_INVALID /* no such category */ : store_db_code(step);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        store_copy_text(department, 32, st, 1);
        rc = SD_OK;
    }
    sqlite3_reset(st);
    return rc;
}

/* Appends a timeline row and, when notify, queues the resident's message for it. */
static sd_code append_event(store *s, sqlite3_int64 complaint, time_t at, const char *state,
                            const char *actor, const char *department, const char *note,
                            bool notify)
{
    sqlite3_stmt *st = stmt(s, ST_EVENT_INSERT);
    if (!st)
        return SD_ERR_DB;
    sqlite3_bind_int64(st, 1, complaint);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)at);
    sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, department, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, note ? note : "", -1, SQLITE_STATIC);
    sd_code rc = store_step_done(st);
    if (rc == SD_OK && notify)
        rc = store_outbox_queue_locked(s, sqlite3_last_insert_rowid(s->db));
    return rc;
}

sd_code store_complaint_file(store *s, const store_new_complaint *c, char receipt[32])
{
    if (!c->category || !c->detail || !*c->detail)
        return SD_ERR_INVALID;
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    sqlite3_int64 id = 0;
    char department[32] = "";
    rc = next_receipt(s, c->filed_at, receipt);
    if (rc == SD_OK)
        rc = insert_complaint(s, c, receipt, &id, department);
    if (rc == SD_OK)
        rc = store_web_filed_locked(s, id, c);
    if (rc == SD_OK)
        rc = append_event(s, id, c->filed_at, "received", c->channel ? c->channel : "text",
                          department, "", true);
    rc = store_finish(s, rc);
    if (rc != SD_OK)
        receipt[0] = '\0';
    return rc;
}

/* ---- reading ---- */

/* The department columns that follow COMPLAINT_COLUMNS in ST_COMPLAINT_GET. */
static void department_columns(sqlite3_stmt *st, store_department *dept)
{
    int col = COMPLAINT_NCOLUMNS;
    store_copy_text(dept->code, sizeof dept->code, st, col);
    store_copy_text(dept->name_ko, sizeof dept->name_ko, st, col + 1);
    store_copy_text(dept->name_en, sizeof dept->name_en, st, col + 2);
    store_copy_text(dept->phone, sizeof dept->phone, st, col + 3);
}

/* Reads a complaint (and its department, when dept is not NULL) by receipt; returns its row id,
 * 0 when there is none. Caller holds lock. */
static sqlite3_int64 find_complaint(store *s, const char *receipt, store_complaint *out,
                                    store_department *dept, sd_code *rc)
{
    sqlite3_stmt *st = stmt(s, ST_COMPLAINT_GET);
    if (st)
        sqlite3_bind_text(st, 1, receipt, -1, SQLITE_STATIC);
    *rc = store_step_row(st);
    sqlite3_int64 id = *rc == SD_OK ? store_complaint_row(st, out) : 0;
    if (*rc == SD_OK && dept)
        department_columns(st, dept);
    if (st)
        sqlite3_reset(st);
    return id;
}

static size_t read_events(store *s, sqlite3_int64 id, store_event *events, size_t max_events)
{
    sqlite3_stmt *ev = stmt(s, ST_EVENTS_GET);
    size_t n = 0;
    if (!ev)
        return 0;
    sqlite3_bind_int64(ev, 1, id);
    sqlite3_bind_int64(ev, 2, (sqlite3_int64)max_events);
    while (n < max_events && sqlite3_step(ev) == SQLITE_ROW) {
        store_event *e = &events[n++];
        e->id = (long)sqlite3_column_int64(ev, 0);
        e->at = (time_t)sqlite3_column_int64(ev, 1);
        store_copy_text(e->state, sizeof e->state, ev, 2);
        store_copy_text(e->actor, sizeof e->actor, ev, 3);
        store_copy_text(e->department, sizeof e->department, ev, 4);
        store_copy_text(e->note, sizeof e->note, ev, 5);
        e->due_at = (time_t)sqlite3_column_int64(ev, 6);
    }
    sqlite3_reset(ev);
    return n;
}

sd_code store_complaint_get(store *db, const char *receipt, store_complaint *out,
                            store_department *dept, store_event *events, size_t max_events,
                            size_t *nevents)
{
    memset(out, 0, sizeof *out);
    if (dept)
        memset(dept, 0, sizeof *dept);
    *nevents = 0;
    sd_code rc;
    store *s = store_read_lock(db);
    bool in_txn = store_begin_read(s);
    sqlite3_int64 id = find_complaint(s, receipt, out, dept, &rc);
    if (rc == SD_OK && max_events)
        *nevents = read_events(s, id, events, max_events);
    if (in_txn)
        store_end_read(s);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* ---- staff actions ---- */

static sd_code find_actor(store *s, const char *login, store_staff *out)
{
    sqlite3_stmt *st = stmt(s, ST_STAFF_ACTOR);
    if (!st)
        return SD_ERR_DB;
    memset(out, 0, sizeof *out);
    sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
    sd_code rc = store_step_row(st);
    if (rc == SD_ERR_NOT_FOUND)
        rc = SD_ERR_DENIED; /* not on the staff list, or no longer active */
    if (rc == SD_OK) {
        snprintf(out->login, sizeof out->login, "%s", login);
        store_copy_text(out->name, sizeof out->name, st, 0);
        store_copy_text(out->department, sizeof out->department, st, 1);
        store_copy_text(out->role, sizeof out->role, st, 2);
        out->active = true;
    }
    sqlite3_reset(st);
    return rc;
}

static sd_code update_complaint(store *s, sqlite3_int64 id, const store_complaint *now,
                                const store_change *ch)
{
    sqlite3_stmt *st = stmt(s, ST_COMPLAINT_UPDATE);
    if (!st)
        return SD_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, ch->state ? ch->state : now->state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ch->department ? ch->department : now->department, -1, SQLITE_STATIC);
    store_bind_opt(st, 4, ch->officer ? ch->officer : now->officer);
    store_bind_opt(st, 5, ch->answer ? ch->answer : now->answer);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)(ch->due_at ? ch->due_at : now->due_at));
    sqlite3_bind_int(st, 7, ch->extensions ? ch->extensions : now->extensions);
    return store_step_done(st);
}

sd_code store_complaint_change(store *s, const char *receipt, const char *actor_login, time_t at,
                               store_decide_fn decide, void *ctx)
{
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    store_complaint now;
    store_staff actor;
    store_change change = {.notify = false};
    sqlite3_int64 id = find_complaint(s, receipt, &now, NULL, &rc);
    if (rc == SD_OK && actor_login)
        rc = find_actor(s, actor_login, &actor);
    if (rc == SD_OK)
        rc = decide(ctx, &now, actor_login ? &actor : NULL, &change);
    if (rc == SD_OK && !change.event)
        rc = SD_ERR_INVALID;
    if (rc == SD_OK)
        rc = update_complaint(s, id, &now, &change);
    if (rc == SD_OK)
        rc = append_event(s, id, at, change.event, actor_login ? actor_login : "system",
                          change.department ? change.department : now.department, change.note,
                          change.notify);
    return store_finish(s, rc);
}

typedef struct {
    store_complaint_fn fn;
    void *ctx;
} complaint_walk;

static sd_code complaint_row(void *ctx, sqlite3_stmt *row)
{
    complaint_walk *w = ctx;
    store_complaint c;
    store_complaint_row(row, &c);
    return w->fn(w->ctx, &c);
}

sd_code store_complaint_list(store *s, const store_complaint_filter *f, store_complaint_fn fn,
                             void *ctx)
{
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = stmt(s, ST_COMPLAINT_LIST);
    if (st) {
        store_bind_opt(st, 1, f->state);
        store_bind_opt(st, 2, f->department);
        if (f->due_before)
            sqlite3_bind_int64(st, 3, (sqlite3_int64)f->due_before);
        if (f->filed_before)
            sqlite3_bind_int64(st, 4, (sqlite3_int64)f->filed_before);
        store_bind_opt(st, 5, f->without_event);
    }
    complaint_walk w = {fn, ctx};
    sd_code rc = store_walk_locked(s, st, complaint_row, &w);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

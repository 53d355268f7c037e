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
    ST_COMPLAINT_READ,
    ST_COMPLAINT_LOCK,
    ST_STAFF_ACTOR,
    ST_COMPLAINT_UPDATE,
    ST_COMPLAINT_LIST,
    COMPLAINT_STMTS
};
_Static_assert((int)COMPLAINT_STMTS <= (int)STORE_SLOTS_OUTBOX - (int)STORE_SLOTS_COMPLAINT,
               "complaint statements overflow their slots");

/* Files a complaint with the columns of the category it names; PostgreSQL's adds the intake key
 * and the spool code (extra columns and values). */
#define COMPLAINT_INSERT(extra_column, extra_value)                                                \
    "INSERT INTO complaints(receipt, category, place, detail, phone, lang, channel,"               \
    " complaint_type, department, state, filed_at, due_at, lat, lon, site" extra_column ")"        \
    " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, complaint_type,"                                          \
    " coalesce((SELECT code FROM departments WHERE code = ?12), department), 'received',"          \
    " ?8, ?9, CAST(?10 AS DOUBLE PRECISION), CAST(?11 AS DOUBLE PRECISION), ?13" extra_value       \
    " FROM categories WHERE code = ?2 RETURNING id, department"

/* A complaint with its department in charge, by receipt. */
#define COMPLAINT_GET                                                                              \
    "SELECT " COMPLAINT_COLUMNS ", d.code, d.name_ko, d.name_en, d.phone"                          \
    " FROM complaints c LEFT JOIN departments d ON d.code = c.department WHERE c.receipt = ?1"

/* The columns of a timeline row that follow the department's in ST_COMPLAINT_READ. */
#define EVENT_COLUMN (COMPLAINT_NCOLUMNS + 4)

static const char *const complaint_sql[COMPLAINT_STMTS] = {
    [ST_COUNTER_NEXT] = "INSERT INTO receipt_counter(year, last) VALUES(?1, 1)"
                        " ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last",
    [ST_COMPLAINT_INSERT] = COMPLAINT_INSERT("", ""),
    /* Each row keeps the deadline as it stood after the step: an extension shows its new date. */
    [ST_EVENT_INSERT] = "INSERT INTO timeline(complaint_id, at, state, actor, department, note,"
                        " due_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, due_at FROM complaints"
                        " WHERE id = ?1 RETURNING id",
    /* The complaint on each row of its timeline (at least one row, without events): one
     * statement sees one state of both, and a shared store answers in one round trip. */
    [ST_COMPLAINT_READ] =
        "SELECT " COMPLAINT_COLUMNS ", d.code, d.name_ko, d.name_en, d.phone,"
        " t.id, t.at, t.state, t.actor, t.department, t.note, coalesce(t.due_at, 0)"
        " FROM complaints c LEFT JOIN departments d ON d.code = c.department"
        " LEFT JOIN timeline t ON t.complaint_id = c.id WHERE c.receipt = ?1 ORDER BY t.id LIMIT "
        "?2",
    [ST_COMPLAINT_LOCK] = COMPLAINT_GET,
    [ST_STAFF_ACTOR] = "SELECT name, department, role FROM staff WHERE login = ?1 AND active <> 0",
    [ST_COMPLAINT_UPDATE] = "UPDATE complaints SET state = ?2, department = ?3, officer = ?4,"
                            " answer = ?5, due_at = ?6, extensions = ?7 WHERE id = ?1",
    /* Open means not yet approved; the due and filed bounds apply to open complaints only. */
    [ST_COMPLAINT_LIST] =
        "SELECT " COMPLAINT_COLUMNS " FROM complaints c"
        " WHERE (CAST(?1 AS TEXT) IS NULL OR c.state = ?1) AND (CAST(?2 AS TEXT) IS NULL OR "
        "c.department = ?2)"
        " AND (CAST(?3 AS BIGINT) IS NULL OR (c.state <> 'approved' AND c.due_at < ?3))"
        " AND (CAST(?4 AS BIGINT) IS NULL OR (c.state <> 'approved' AND c.filed_at < ?4))"
        " AND (CAST(?5 AS TEXT) IS NULL OR NOT EXISTS (SELECT 1 FROM timeline t"
        "                                WHERE t.complaint_id = c.id AND t.state = ?5))"
        " ORDER BY c.due_at, c.id",
};

/* PostgreSQL: receipt numbers from a sequence per year (store_pg_schema.c), which many writers
 * draw from without waiting for one another; a staff action locks the row it decides from. */
static const char *const complaint_pg_sql[COMPLAINT_STMTS] = {
    [ST_COUNTER_NEXT] = "SELECT seodong_next_receipt(?1)",
    [ST_COMPLAINT_INSERT] = COMPLAINT_INSERT(", intake_key, spool_code", ", ?14, ?15"),
    [ST_COMPLAINT_LOCK] = COMPLAINT_GET " FOR UPDATE OF c",
};

static db_stmt *stmt(store *s, int id)
{
    return store_stmt(s, STORE_SLOTS_COMPLAINT + id,
                      store_sql(s, complaint_sql[id], complaint_pg_sql[id]));
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
    db_stmt *st = stmt(s, ST_COUNTER_NEXT);
    if (!st)
        return SD_ERR_DB;
    int year = year_of(filed_at);
    db_bind_int64(st, 1, year);
    int step = db_step(st);
    sd_code rc = store_db_code(step);
    if (step == DB_ROW) {
        store_format_receipt(receipt, year, (long)db_column_int64(st, 0));
        rc = SD_OK;
    }
    db_reset(st);
    return rc;
}

static sd_code insert_complaint(store *s, const store_new_complaint *c, const char *receipt,
                                const char *key, const char *code, int64_t *id, char department[32])
{
    db_stmt *st = stmt(s, ST_COMPLAINT_INSERT);
    if (!st)
        return SD_ERR_DB;
    db_bind_text(st, 1, receipt);
    db_bind_text(st, 2, c->category);
    store_bind_opt(st, 3, c->place);
    db_bind_text(st, 4, c->detail);
    store_bind_opt(st, 5, c->phone);
    db_bind_text(st, 6, c->lang ? c->lang : "ko");
    db_bind_text(st, 7, c->channel ? c->channel : "text");
    db_bind_int64(st, 8, (int64_t)c->filed_at);
    db_bind_int64(st, 9, (int64_t)c->due_at);
    if (c->located) {
        db_bind_double(st, 10, c->lat);
        db_bind_double(st, 11, c->lon);
    }
    store_bind_opt(st, 12, c->department);
    store_bind_opt(st, 13, c->site);
    store_bind_opt(st, 14, key);
    store_bind_opt(st, 15, code);
    int step = db_step(st);
    sd_code rc = step == DB_DONE ? SD_ERR_INVALID /* no such category */ : store_db_code(step);
    if (step == DB_ROW) {
        *id = db_column_int64(st, 0);
        store_copy_text(department, 32, st, 1);
        rc = SD_OK;
    }
    db_reset(st);
    return rc;
}

/* Appends a timeline row and, when notify, queues the resident's message for it. */
static sd_code append_event(store *s, int64_t complaint, time_t at, const char *state,
                            const char *actor, const char *department, const char *note,
                            bool notify)
{
    db_stmt *st = stmt(s, ST_EVENT_INSERT);
    if (!st)
        return SD_ERR_DB;
    db_bind_int64(st, 1, complaint);
    db_bind_int64(st, 2, (int64_t)at);
    db_bind_text(st, 3, state);
    db_bind_text(st, 4, actor);
    db_bind_text(st, 5, department);
    db_bind_text(st, 6, note ? note : "");
    int64_t event_id = 0;
    sd_code rc = store_step_id(st, &event_id);
    if (rc == SD_OK && notify)
        rc = store_outbox_queue_locked(s, event_id);
    return rc;
}

sd_code store_complaint_file(store *s, const store_new_complaint *c, char receipt[32])
{
    if (!c->category || !c->detail || !*c->detail)
        return SD_ERR_INVALID;
    if (store_is_pg(s))
        return store_shared_file(s, c, receipt);
    return store_complaint_file_coded(s, c, NULL, NULL, receipt);
}

sd_code store_complaint_file_coded(store *s, const store_new_complaint *c, const char *key,
                                   const char *code, char receipt[32])
{
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    int64_t id = 0;
    char department[32] = "";
    rc = next_receipt(s, c->filed_at, receipt);
    if (rc == SD_OK)
        rc = insert_complaint(s, c, receipt, key, code, &id, department);
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

/* The department columns that follow COMPLAINT_COLUMNS in ST_COMPLAINT_READ. */
static void department_columns(db_stmt *st, store_department *dept)
{
    int col = COMPLAINT_NCOLUMNS;
    store_copy_text(dept->code, sizeof dept->code, st, col);
    store_copy_text(dept->name_ko, sizeof dept->name_ko, st, col + 1);
    store_copy_text(dept->name_en, sizeof dept->name_en, st, col + 2);
    store_copy_text(dept->phone, sizeof dept->phone, st, col + 3);
}

/* The timeline row's columns of ST_COMPLAINT_READ into e. */
static void event_columns(db_stmt *st, store_event *e)
{
    int col = EVENT_COLUMN;
    e->id = (long)db_column_int64(st, col);
    e->at = (time_t)db_column_int64(st, col + 1);
    store_copy_text(e->state, sizeof e->state, st, col + 2);
    store_copy_text(e->actor, sizeof e->actor, st, col + 3);
    store_copy_text(e->department, sizeof e->department, st, col + 4);
    store_copy_text(e->note, sizeof e->note, st, col + 5);
    e->due_at = (time_t)db_column_int64(st, col + 6);
}

/* Reads a complaint to change it, by receipt; returns its row id, 0 when there is none. On
 * PostgreSQL the row stays locked until the transaction ends. Caller holds lock. */
static int64_t find_complaint(store *s, const char *receipt, store_complaint *out, sd_code *rc)
{
    db_stmt *st = stmt(s, ST_COMPLAINT_LOCK);
    if (st)
        db_bind_text(st, 1, receipt);
    *rc = store_step_row(st);
    int64_t id = *rc == SD_OK ? store_complaint_row(st, out) : 0;
    if (st)
        db_reset(st);
    return id;
}

/* Reads the complaint of receipt, its department and up to max_events of its timeline from
 * ST_COMPLAINT_READ's rows. Caller holds lock. */
static sd_code read_complaint(store *s, const char *receipt, store_complaint *out,
                              store_department *dept, store_event *events, size_t max_events,
                              size_t *nevents)
{
    db_stmt *st = stmt(s, ST_COMPLAINT_READ);
    if (!st)
        return SD_ERR_DB;
    db_bind_text(st, 1, receipt);
    db_bind_int64(st, 2, max_events > 0 ? (int64_t)max_events : 1);
    int step = db_step(st);
    sd_code rc = step == DB_ROW ? SD_OK : step == DB_DONE ? SD_ERR_NOT_FOUND : store_db_code(step);
    if (rc == SD_OK) {
        store_complaint_row(st, out);
        if (dept)
            department_columns(st, dept);
    }
    for (; step == DB_ROW && *nevents < max_events; step = db_step(st))
        if (!db_column_is_null(st, EVENT_COLUMN))
            event_columns(st, &events[(*nevents)++]);
    db_reset(st);
    return rc;
}

sd_code store_complaint_get(store *db, const char *receipt, store_complaint *out,
                            store_department *dept, store_event *events, size_t max_events,
                            size_t *nevents)
{
    if (store_is_pg(db) && store_is_spool_code(receipt))
        return store_shared_get_spooled(db, receipt, out, dept, events, max_events, nevents);
    memset(out, 0, sizeof *out);
    if (dept)
        memset(dept, 0, sizeof *dept);
    *nevents = 0;
    store *s = store_read_lock(db);
    sd_code rc = read_complaint(s, receipt, out, dept, events, max_events, nevents);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* ---- staff actions ---- */

static sd_code find_actor(store *s, const char *login, store_staff *out)
{
    db_stmt *st = stmt(s, ST_STAFF_ACTOR);
    if (!st)
        return SD_ERR_DB;
    memset(out, 0, sizeof *out);
    db_bind_text(st, 1, login);
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
    db_reset(st);
    return rc;
}

static sd_code update_complaint(store *s, int64_t id, const store_complaint *now,
                                const store_change *ch)
{
    db_stmt *st = stmt(s, ST_COMPLAINT_UPDATE);
    if (!st)
        return SD_ERR_DB;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, ch->state ? ch->state : now->state);
    db_bind_text(st, 3, ch->department ? ch->department : now->department);
    store_bind_opt(st, 4, ch->officer ? ch->officer : now->officer);
    store_bind_opt(st, 5, ch->answer ? ch->answer : now->answer);
    db_bind_int64(st, 6, (int64_t)(ch->due_at ? ch->due_at : now->due_at));
    db_bind_int64(st, 7, ch->extensions ? ch->extensions : now->extensions);
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
    int64_t id = find_complaint(s, receipt, &now, &rc);
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

static sd_code complaint_row(void *ctx, db_stmt *row)
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
    db_stmt *st = stmt(s, ST_COMPLAINT_LIST);
    if (st) {
        store_bind_opt(st, 1, f->state);
        store_bind_opt(st, 2, f->department);
        if (f->due_before)
            db_bind_int64(st, 3, (int64_t)f->due_before);
        if (f->filed_before)
            db_bind_int64(st, 4, (int64_t)f->filed_before);
        store_bind_opt(st, 5, f->without_event);
    }
    complaint_walk w = {fn, ctx};
    sd_code rc = store_walk_locked(s, st, complaint_row, &w);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

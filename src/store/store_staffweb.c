/* store_staffweb.c - what the staff dashboard reads and keeps: the departments and the staff
 * for its menus and names; its listing of complaints (every filter a clerk works with, a page
 * at a time, with the time of the last approval for the overview's deadline figures); and the
 * passwords: one row per member of staff who has one, with the Argon2id hash string (salt and
 * limits included, as libsodium writes it) and the count of failed sign-ins in a row that
 * locks the login for a while.
 *
 * The table is separate from staff so that older databases need no ALTER and a member of staff
 * without a password simply cannot sign in. Hashing and checking happen in the web front
 * (web_auth.c); the store only keeps strings and counters. Every failed sign-in, of a login
 * that exists or not, also counts in signin_stats, so that each failure writes the same way
 * and takes as long as any other. */
#include <string.h>

#include "store_internal.h"

const char *const store_staffweb_schema =
    "CREATE TABLE IF NOT EXISTS staff_auth(login TEXT PRIMARY KEY REFERENCES staff(login),"
    " hash TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,"
    " locked_until INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS signin_stats(id INTEGER PRIMARY KEY CHECK(id = 1),"
    " failures INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO signin_stats VALUES(1, 0);";

enum {
    ST_AUTH_SET,
    ST_AUTH_GET,
    ST_AUTH_GOOD,
    ST_AUTH_BAD,
    ST_FAILURE_COUNT,
    ST_DEPARTMENTS,
    ST_STAFF_EACH,
    ST_QUERY_COUNT,
    ST_QUERY,
    ST_SITES,
    STAFFWEB_STMTS
};
_Static_assert((int)STAFFWEB_STMTS <= (int)STORE_SLOTS - (int)STORE_SLOTS_STAFFWEB,
               "staff web statements overflow their slots");

/* The listing's filters, bound as ?1..?10 and ?14 (store_staff_query_run); open means not
 * approved. strpos, not LIKE: what a clerk types is never a pattern. */
#define QUERY_WHERE                                                                                \
    "(CAST(?1 AS TEXT) IS NULL OR c.state = ?1 OR (?1 = 'open' AND c.state <> 'approved'))"        \
    " AND (CAST(?2 AS TEXT) IS NULL OR c.department = ?2)"                                         \
    " AND (CAST(?3 AS TEXT) IS NULL OR c.category = ?3)"                                           \
    " AND (CAST(?4 AS TEXT) IS NULL OR c.channel = ?4)"                                            \
    " AND (CAST(?5 AS TEXT) IS NULL OR coalesce(c.officer, '') = ?5)"                              \
    " AND (CAST(?6 AS BIGINT) IS NULL OR c.filed_at >= ?6)"                                        \
    " AND (CAST(?7 AS BIGINT) IS NULL OR c.filed_at < ?7)"                                         \
    " AND (CAST(?8 AS BIGINT) IS NULL OR (c.state <> 'approved' AND c.due_at < ?8))"               \
    " AND (CAST(?9 AS TEXT) IS NULL OR strpos(upper(c.receipt), upper(?9)) > 0"                    \
    "      OR ((CAST(?10 AS TEXT) IS NULL OR c.department = ?10)"                                  \
    "          AND (strpos(coalesce(c.place, ''), ?9) > 0 OR strpos(c.detail, ?9) > 0)))"          \
    " AND (CAST(?14 AS TEXT) IS NULL OR coalesce(c.site, '') = ?14)"

static const char *const staffweb_sql[STAFFWEB_STMTS] = {
    /* Only a member of staff gets a password: the SELECT finds no row for anyone else. */
    [ST_AUTH_SET] = "INSERT INTO staff_auth(login, hash) SELECT login, ?2 FROM staff"
                    " WHERE login = ?1 ON CONFLICT(login) DO UPDATE SET hash = ?2,"
                    " failures = 0, locked_until = 0",
    [ST_AUTH_GET] = "SELECT hash, failures, locked_until FROM staff_auth WHERE login = ?1",
    [ST_AUTH_GOOD] = "UPDATE staff_auth SET failures = 0, locked_until = 0 WHERE login = ?1",
    /* The lock starts at the max-th failure in a row; failures then count afresh. Attempts
     * while locked do not count: the lock is not prolonged by whoever tries. */
    [ST_AUTH_BAD] = "UPDATE staff_auth SET failures = (failures + 1) % ?3,"
                    " locked_until = CASE WHEN failures + 1 >= ?3 THEN ?2 + ?4 ELSE locked_until"
                    " END WHERE login = ?1 AND locked_until <= ?2",
    [ST_FAILURE_COUNT] = "UPDATE signin_stats SET failures = failures + 1 WHERE id = 1",
    /* by name: the order people look for them in a menu */
    [ST_DEPARTMENTS] = "SELECT code, name_ko, name_en, phone FROM departments"
                       " ORDER BY name_ko, code",
    [ST_STAFF_EACH] = "SELECT login, name, department, role, active FROM staff"
                      " WHERE CAST(?1 AS TEXT) IS NULL OR department = ?1 ORDER BY name, login",
    [ST_QUERY_COUNT] = "SELECT count(*) FROM complaints c WHERE " QUERY_WHERE,
    [ST_QUERY] = "SELECT " COMPLAINT_COLUMNS ", (SELECT max(t.at) FROM timeline t"
                 " WHERE t.complaint_id = c.id AND t.state = 'approved')"
                 " FROM complaints c WHERE " QUERY_WHERE
                 " ORDER BY CASE ?11 WHEN 1 THEN -c.due_at WHEN 2 THEN -c.filed_at"
                 " ELSE c.due_at END, c.id LIMIT ?12 OFFSET ?13",
    [ST_SITES] = "SELECT coalesce(site, ''), count(*) FROM complaints GROUP BY coalesce(site, '')"
                 " ORDER BY 1",
};

static db_stmt *stmt(store *s, int id)
{
    return store_stmt(s, STORE_SLOTS_STAFFWEB + id, staffweb_sql[id]);
}

sd_code store_staff_password_set(store *s, const char *login, const char *hash)
{
    if (strlen(hash) >= sizeof((store_staff_auth *)0)->hash)
        return SD_ERR_INVALID;
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_AUTH_SET);
    sd_code rc = SD_ERR_DB;
    if (st) {
        db_bind_text(st, 1, login);
        db_bind_text(st, 2, hash);
        rc = store_step_done(st);
        if (rc == SD_OK && db_changes(st) == 0)
            rc = SD_ERR_NOT_FOUND;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

sd_code store_staff_auth_get(store *s, const char *login, store_staff_auth *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_AUTH_GET);
    sd_code rc = SD_ERR_DB;
    if (st) {
        db_bind_text(st, 1, login);
        rc = store_step_row(st);
        if (rc == SD_OK) {
            store_copy_text(out->hash, sizeof out->hash, st, 0);
            out->failures = db_column_int(st, 1);
            out->locked_until = (time_t)db_column_int64(st, 2);
        }
        db_reset(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

sd_code store_staff_signin(store *s, const char *login, bool ok, time_t now, int max_failures,
                           int lock_s)
{
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *st = stmt(s, ok ? ST_AUTH_GOOD : ST_AUTH_BAD);
    rc = st ? SD_OK : SD_ERR_DB;
    if (st) {
        db_bind_text(st, 1, login);
        if (!ok) {
            db_bind_int64(st, 2, (int64_t)now);
            db_bind_int64(st, 3, max_failures);
            db_bind_int64(st, 4, lock_s);
        }
        rc = store_step_done(st);
    }
    if (rc == SD_OK && !ok)
        rc = store_step_done(stmt(s, ST_FAILURE_COUNT));
    return store_finish(s, rc);
}

/* A listing's callback and its context, for store_walk_locked's rows. */
typedef struct {
    store_department_fn fn;
    void *ctx;
} department_walk;

typedef struct {
    store_staff_fn fn;
    void *ctx;
} staff_walk;

static sd_code department_row(void *ctx, db_stmt *st)
{
    department_walk *w = ctx;
    store_department d;
    store_copy_text(d.code, sizeof d.code, st, 0);
    store_copy_text(d.name_ko, sizeof d.name_ko, st, 1);
    store_copy_text(d.name_en, sizeof d.name_en, st, 2);
    store_copy_text(d.phone, sizeof d.phone, st, 3);
    return w->fn(w->ctx, &d);
}

sd_code store_department_each(store *s, store_department_fn fn, void *ctx)
{
    pthread_mutex_lock(&s->lock);
    department_walk w = {fn, ctx};
    sd_code rc = store_walk_locked(s, stmt(s, ST_DEPARTMENTS), department_row, &w);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static sd_code staff_row(void *ctx, db_stmt *st)
{
    staff_walk *w = ctx;
    store_staff m;
    store_copy_text(m.login, sizeof m.login, st, 0);
    store_copy_text(m.name, sizeof m.name, st, 1);
    store_copy_text(m.department, sizeof m.department, st, 2);
    store_copy_text(m.role, sizeof m.role, st, 3);
    m.active = db_column_int(st, 4) != 0;
    return w->fn(w->ctx, &m);
}

sd_code store_staff_each(store *s, const char *department, store_staff_fn fn, void *ctx)
{
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_STAFF_EACH);
    if (st)
        store_bind_opt(st, 1, department);
    staff_walk w = {fn, ctx};
    sd_code rc = store_walk_locked(s, st, staff_row, &w);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static void bind_time(db_stmt *st, int col, time_t t)
{
    if (t)
        db_bind_int64(st, col, (int64_t)t);
}

static void bind_query(db_stmt *st, const store_staff_query *q)
{
    store_bind_opt(st, 1, q->state);
    store_bind_opt(st, 2, q->department);
    store_bind_opt(st, 3, q->category);
    store_bind_opt(st, 4, q->channel);
    if (q->officer) /* "" is a value here: no one in charge */
        db_bind_text(st, 5, q->officer);
    bind_time(st, 6, q->filed_from);
    bind_time(st, 7, q->filed_to);
    bind_time(st, 8, q->due_before);
    store_bind_opt(st, 9, q->text);
    store_bind_opt(st, 10, q->text_department);
    if (q->site) /* "" is a value here: filed with no site */
        db_bind_text(st, 14, q->site);
}

typedef struct {
    store_staff_row_fn fn;
    void *ctx;
} query_walk;

static sd_code query_row(void *ctx, db_stmt *row)
{
    query_walk *w = ctx;
    store_complaint c;
    store_complaint_row(row, &c);
    return w->fn(w->ctx, &c, (time_t)db_column_int64(row, COMPLAINT_NCOLUMNS));
}

sd_code store_staff_query_run(store *db, const store_staff_query *q, store_staff_row_fn fn,
                              void *ctx, int *total)
{
    store *s = store_read_lock(db);
    /* The count and the page read the same snapshot: "12 of 40" never disagrees with itself. */
    bool in_txn = store_begin_read(s);
    db_stmt *count = total ? stmt(s, ST_QUERY_COUNT) : NULL;
    sd_code rc = total && !count ? SD_ERR_DB : SD_OK;
    if (count) {
        bind_query(count, q);
        int step = db_step(count);
        if (step == DB_ROW)
            *total = db_column_int(count, 0);
        else
            rc = store_db_code(step);
        db_reset(count);
    }
    db_stmt *st = rc == SD_OK ? stmt(s, ST_QUERY) : NULL;
    if (st) {
        bind_query(st, q);
        db_bind_int64(st, 11, (int)q->order);
        db_bind_int64(st, 12, q->limit > 0 ? q->limit : INT64_MAX);
        db_bind_int64(st, 13, q->offset > 0 ? q->offset : 0);
    }
    query_walk w = {fn, ctx};
    if (rc == SD_OK)
        rc = store_walk_locked(s, st, query_row, &w);
    if (in_txn)
        store_end_read(s);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

typedef struct {
    store_site_fn fn;
    void *ctx;
} site_walk;

static sd_code site_row(void *ctx, db_stmt *row)
{
    site_walk *w = ctx;
    return w->fn(w->ctx, db_column_text(row, 0), db_column_int(row, 1));
}

sd_code store_site_each(store *db, store_site_fn fn, void *ctx)
{
    store *s = store_read_lock(db);
    site_walk w = {fn, ctx};
    sd_code rc = store_walk_locked(s, stmt(s, ST_SITES), site_row, &w);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

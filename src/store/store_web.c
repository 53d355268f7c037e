/* store_web.c - what the web front keeps: Open311 API keys (hashed), the public flag of
 * complaints with their Open311 tokens, and the public listings.
 *
 * The flag and the token live in a side table, complaint_web, written in the filing
 * transaction (store_web_filed_locked): a complaint without a row there is private, so older
 * databases need no ALTER and nothing is public unless someone chose it. Public listings read
 * complaints joined with that table and never select the phone number. API keys are random
 * 32-byte secrets; only their hash is stored, so a copy of the database gives no working key. */
#include <string.h>

#include "store_internal.h"

const char *const store_web_schema =
    "CREATE TABLE IF NOT EXISTS api_keys(name TEXT PRIMARY KEY, hash BLOB NOT NULL UNIQUE,"
    " created_at INTEGER NOT NULL, revoked_at INTEGER);"
    "CREATE TABLE IF NOT EXISTS complaint_web(complaint_id INTEGER PRIMARY KEY"
    " REFERENCES complaints(id), public INTEGER NOT NULL DEFAULT 0, token TEXT UNIQUE);";

enum {
    ST_KEY_PUT,
    ST_KEY_REVOKE,
    ST_KEY_CHECK,
    ST_CATEGORIES,
    ST_FILED,
    ST_PUBLIC_LIST,
    ST_PUBLIC_GET,
    ST_SET_PUBLIC,
    ST_TOKEN_FIND,
    WEB_STMTS
};
_Static_assert((int)WEB_STMTS <= (int)STORE_SLOTS_CALL - (int)STORE_SLOTS_WEB,
               "web statements overflow their slots");

/* The columns a public request adds after COMPLAINT_COLUMNS. */
#define PUBLIC_COLUMNS                                                                             \
    ", (SELECT max(t.at) FROM timeline t WHERE t.complaint_id = c.id),"                            \
    " coalesce(d.name_ko, c.department), coalesce(d.name_en, c.department), c.lat, c.lon"          \
    " FROM complaints c JOIN complaint_web w ON w.complaint_id = c.id AND w.public <> 0"           \
    " LEFT JOIN departments d ON d.code = c.department"

static const char *const web_sql[WEB_STMTS] = {
    [ST_KEY_PUT] = "INSERT INTO api_keys(name, hash, created_at) VALUES(?1, ?2, ?3)"
                   " ON CONFLICT(name) DO UPDATE SET hash = ?2, created_at = ?3, revoked_at = NULL",
    [ST_KEY_REVOKE] = "UPDATE api_keys SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
    [ST_KEY_CHECK] = "SELECT name FROM api_keys WHERE hash = ?1 AND revoked_at IS NULL",
    [ST_CATEGORIES] = "SELECT code, department, complaint_type, name_ko, name_en FROM categories"
                      " ORDER BY code",
    [ST_FILED] = "INSERT INTO complaint_web(complaint_id, public, token) VALUES(?1, ?2, ?3)",
    [ST_PUBLIC_LIST] = "SELECT " COMPLAINT_COLUMNS PUBLIC_COLUMNS
                       " WHERE (CAST(?1 AS TEXT) IS NULL OR c.category = ?1)"
                       " AND (CAST(?2 AS BIGINT) IS NULL OR (CASE WHEN c.state = 'approved' THEN 1 "
                       "ELSE 0 END) = ?2)"
                       " AND c.filed_at >= ?3 AND c.filed_at < ?4"
                       " ORDER BY c.filed_at DESC, c.id DESC LIMIT ?5",
    [ST_PUBLIC_GET] = "SELECT " COMPLAINT_COLUMNS PUBLIC_COLUMNS " WHERE c.receipt = ?1",
    [ST_SET_PUBLIC] = "INSERT INTO complaint_web(complaint_id, public)"
                      " SELECT id, ?2 FROM complaints WHERE receipt = ?1"
                      " ON CONFLICT(complaint_id) DO UPDATE SET public = ?2",
    [ST_TOKEN_FIND] = "SELECT c.receipt FROM complaint_web w"
                      " JOIN complaints c ON c.id = w.complaint_id WHERE w.token = ?1",
};

static db_stmt *stmt(store *s, int id)
{
    return store_stmt(s, STORE_SLOTS_WEB + id, web_sql[id]);
}

/* Runs one write statement under the lock; SD_ERR_NOT_FOUND when it changed no row. */
static sd_code write_one(store *s, db_stmt *st)
{
    sd_code rc = store_step_done(st);
    if (rc == SD_OK && db_changes(st) == 0)
        rc = SD_ERR_NOT_FOUND;
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* ---- API keys ---- */

sd_code store_apikey_put(store *s, const char *name, const unsigned char hash[STORE_KEY_HASH],
                         time_t now)
{
    if (!name || !*name)
        return SD_ERR_INVALID;
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_KEY_PUT);
    if (st) {
        db_bind_text(st, 1, name);
        db_bind_blob(st, 2, hash, STORE_KEY_HASH);
        db_bind_int64(st, 3, (int64_t)now);
    }
    return write_one(s, st);
}

sd_code store_apikey_revoke(store *s, const char *name, time_t now)
{
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_KEY_REVOKE);
    if (st) {
        db_bind_text(st, 1, name);
        db_bind_int64(st, 2, (int64_t)now);
    }
    return write_one(s, st);
}

sd_code store_apikey_check(store *s, const unsigned char hash[STORE_KEY_HASH], char name[64])
{
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_KEY_CHECK);
    sd_code rc = SD_ERR_DB;
    if (st) {
        db_bind_blob(st, 1, hash, STORE_KEY_HASH);
        int step = db_step(st);
        rc = step == DB_ROW ? SD_OK : step == DB_DONE ? SD_ERR_DENIED : store_db_code(step);
        if (step == DB_ROW)
            store_copy_text(name, 64, st, 0);
        db_reset(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* ---- categories ---- */

typedef struct {
    store_category_fn fn;
    void *ctx;
} category_walk;

static sd_code category_row(void *ctx, db_stmt *row)
{
    category_walk *w = ctx;
    store_category c;
    store_copy_text(c.code, sizeof c.code, row, 0);
    store_copy_text(c.department, sizeof c.department, row, 1);
    store_copy_text(c.complaint_type, sizeof c.complaint_type, row, 2);
    store_copy_text(c.name_ko, sizeof c.name_ko, row, 3);
    store_copy_text(c.name_en, sizeof c.name_en, row, 4);
    return w->fn(w->ctx, &c);
}

sd_code store_category_each(store *s, store_category_fn fn, void *ctx)
{
    pthread_mutex_lock(&s->lock);
    category_walk w = {fn, ctx};
    sd_code rc = store_walk_locked(s, stmt(s, ST_CATEGORIES), category_row, &w);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* ---- public flag and tokens ---- */

sd_code store_web_filed_locked(store *s, int64_t complaint_id, const store_new_complaint *c)
{
    if (!c->public && !(c->token && *c->token))
        return SD_OK; /* private and not from Open311: nothing to add */
    db_stmt *st = stmt(s, ST_FILED);
    if (st) {
        db_bind_int64(st, 1, complaint_id);
        db_bind_int64(st, 2, c->public ? 1 : 0);
        store_bind_opt(st, 3, c->token);
    }
    return store_step_done(st);
}

sd_code store_complaint_set_public(store *s, const char *receipt, bool public)
{
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_SET_PUBLIC);
    if (st) {
        db_bind_text(st, 1, receipt);
        db_bind_int64(st, 2, public ? 1 : 0);
    }
    return write_one(s, st);
}

sd_code store_token_find(store *s, const char *token, char receipt[32])
{
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_TOKEN_FIND);
    sd_code rc = SD_ERR_DB;
    if (st) {
        db_bind_text(st, 1, token);
        rc = store_step_row(st);
        if (rc == SD_OK)
            store_copy_text(receipt, 32, st, 0);
        db_reset(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* ---- public listings ---- */

static void read_public(db_stmt *st, store_public_request *out)
{
    store_complaint c;
    store_complaint_row(st, &c);
    memset(out, 0, sizeof *out);
    memcpy(out->receipt, c.receipt, sizeof out->receipt);
    memcpy(out->category, c.category, sizeof out->category);
    memcpy(out->place, c.place, sizeof out->place);
    memcpy(out->detail, c.detail, sizeof out->detail);
    memcpy(out->state, c.state, sizeof out->state);
    memcpy(out->department, c.department, sizeof out->department);
    out->filed_at = c.filed_at;
    out->due_at = c.due_at;
    out->updated_at = (time_t)db_column_int64(st, COMPLAINT_NCOLUMNS);
    store_copy_text(out->department_ko, sizeof out->department_ko, st, COMPLAINT_NCOLUMNS + 1);
    store_copy_text(out->department_en, sizeof out->department_en, st, COMPLAINT_NCOLUMNS + 2);
    out->located = !db_column_is_null(st, COMPLAINT_NCOLUMNS + 3);
    out->lat = db_column_double(st, COMPLAINT_NCOLUMNS + 3);
    out->lon = db_column_double(st, COMPLAINT_NCOLUMNS + 4);
}

static void bind_filter(db_stmt *st, const store_public_filter *f)
{
    store_bind_opt(st, 1, f->category);
    if (f->closed >= 0)
        db_bind_int64(st, 2, f->closed);
    db_bind_int64(st, 3, (int64_t)f->start);
    db_bind_int64(st, 4, (int64_t)f->end);
    db_bind_int64(st, 5, f->limit);
}

typedef struct {
    store_public_fn fn;
    void *ctx;
} public_walk;

static sd_code public_row(void *ctx, db_stmt *row)
{
    public_walk *w = ctx;
    store_public_request r;
    read_public(row, &r);
    return w->fn(w->ctx, &r);
}

sd_code store_public_list(store *s, const store_public_filter *f, store_public_fn fn, void *ctx)
{
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_PUBLIC_LIST);
    if (st)
        bind_filter(st, f);
    public_walk w = {fn, ctx};
    sd_code rc = store_walk_locked(s, st, public_row, &w);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

sd_code store_public_get(store *db, const char *receipt, store_public_request *out)
{
    char forwarded[32];
    if (store_is_pg(db) && store_is_spool_code(receipt)) {
        sd_code rc = store_shared_receipt_of(db, receipt, forwarded);
        if (rc != SD_OK)
            return rc;
        receipt = forwarded;
    }
    store *s = store_read_lock(db);
    db_stmt *st = stmt(s, ST_PUBLIC_GET);
    sd_code rc = SD_ERR_DB;
    if (st) {
        db_bind_text(st, 1, receipt);
        rc = store_step_row(st);
        if (rc == SD_OK)
            read_public(st, out);
        db_reset(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

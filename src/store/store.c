/* store.c - opening the SQLite store behind store.h, the helpers its files share, and the
 * office's reference tables (departments, categories and staff).
 *
 * One connection per store, guarded by a mutex: every public function takes the lock, runs one
 * short transaction with cached prepared statements and releases it. The database runs in WAL
 * mode with synchronous=FULL, so a filed complaint survives a crash or power cut the moment its
 * receipt number is given. The other tables belong to store_kb.c, store_complaint.c,
 * store_outbox.c and store_weather.c (see store_internal.h). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbtok.h"
#include "store_internal.h"

/* 1: knowledge base and complaints. 2: staff, officers in charge, deadline extensions, the
 * notification outbox and the forecast cache. 3: the coordinates of a complaint. 4: the site
 * a complaint was filed at. 5: the staff dashboard's sessions. */
#define SCHEMA_VERSION 5

static const char *const reference_schema =
    "CREATE TABLE IF NOT EXISTS departments(code TEXT PRIMARY KEY, name_ko TEXT NOT NULL,"
    " name_en TEXT NOT NULL, phone TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS categories(code TEXT PRIMARY KEY, department TEXT NOT NULL"
    " REFERENCES departments(code), complaint_type TEXT NOT NULL, name_ko TEXT NOT NULL,"
    " name_en TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS staff(login TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " department TEXT NOT NULL REFERENCES departments(code),"
    " role TEXT NOT NULL CHECK(role IN ('officer', 'head')), active INTEGER NOT NULL DEFAULT 1);";

enum {
    ST_BEGIN,
    ST_BEGIN_READ,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_DEPT_PUT,
    ST_DEPT_GET,
    ST_CAT_PUT,
    ST_CAT_GET,
    ST_CAT_COUNT,
    ST_STAFF_PUT,
    ST_STAFF_GET,
    CORE_STMTS
};
_Static_assert((int)CORE_STMTS <= (int)STORE_SLOTS_KB, "core statements overflow their slots");

static const char *const core_sql[CORE_STMTS] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    /* A search runs several statements: one read transaction takes the file locks once. */
    [ST_BEGIN_READ] = "BEGIN DEFERRED",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_DEPT_PUT] = "INSERT INTO departments(code, name_ko, name_en, phone) VALUES(?1,?2,?3,?4)"
                    " ON CONFLICT(code) DO UPDATE SET name_ko=?2, name_en=?3, phone=?4",
    [ST_DEPT_GET] = "SELECT name_ko, name_en, phone FROM departments WHERE code=?1",
    [ST_CAT_PUT] = "INSERT INTO categories(code, department, complaint_type, name_ko, name_en)"
                   " VALUES(?1,?2,?3,?4,?5) ON CONFLICT(code) DO UPDATE SET department=?2,"
                   " complaint_type=?3, name_ko=?4, name_en=?5",
    [ST_CAT_GET] = "SELECT department, complaint_type, name_ko, name_en FROM categories"
                   " WHERE code=?1",
    [ST_CAT_COUNT] = "SELECT count(*) FROM categories",
    [ST_STAFF_PUT] = "INSERT INTO staff(login, name, department, role, active)"
                     " VALUES(?1,?2,?3,?4,?5) ON CONFLICT(login) DO UPDATE SET name=?2,"
                     " department=?3, role=?4, active=?5",
    [ST_STAFF_GET] = "SELECT name, department, role, active FROM staff WHERE login=?1",
};

/* PostgreSQL's own texts: a write transaction takes its row locks as it goes (the statements
 * that decide from a row read it FOR UPDATE); a read sees one snapshot. */
static const char *const core_pg_sql[CORE_STMTS] = {
    [ST_BEGIN] = "BEGIN",
    [ST_BEGIN_READ] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
};

static db_stmt *stmt(store *s, int id)
{
    return store_stmt(s, STORE_SLOTS_CORE + id, store_sql(s, core_sql[id], core_pg_sql[id]));
}

bool store_is_pg(const store *s)
{
    return s->db == NULL;
}

const char *store_sql(const store *s, const char *sql, const char *pg_sql)
{
    return store_is_pg(s) && pg_sql ? pg_sql : sql;
}

db_stmt *store_stmt(store *s, int slot, const char *sql)
{
    if (!s->stmt[slot] && !(s->stmt[slot] = db_prepare(s->conn, sql)))
        return NULL;
    db_reset(s->stmt[slot]);
    return s->stmt[slot];
}

sd_code store_db_code(int rc)
{
    if (rc == DB_BUSY || rc == SQLITE_LOCKED)
        return SD_ERR_BUSY;
    if (rc == DB_NOMEM)
        return SD_ERR_NOMEM;
    if (rc == DB_OFFLINE)
        return SD_ERR_OFFLINE;
    return SD_ERR_DB;
}

sd_code store_step_done(db_stmt *st)
{
    if (!st)
        return SD_ERR_DB;
    int rc = db_step(st);
    db_reset(st);
    return (rc == DB_DONE || rc == DB_ROW) ? SD_OK : store_db_code(rc);
}

sd_code store_step_id(db_stmt *st, int64_t *id)
{
    *id = 0;
    if (!st)
        return SD_ERR_DB;
    int rc = db_step(st);
    if (rc == DB_ROW)
        *id = db_column_int64(st, 0);
    db_reset(st);
    return rc == DB_ROW ? SD_OK : rc == DB_DONE ? SD_ERR_NOT_FOUND : store_db_code(rc);
}

sd_code store_step_row(db_stmt *st)
{
    if (!st)
        return SD_ERR_DB;
    int step = db_step(st);
    return step == DB_ROW ? SD_OK : step == DB_DONE ? SD_ERR_NOT_FOUND : store_db_code(step);
}

sd_code store_begin(store *s)
{
    pthread_mutex_lock(&s->lock);
    sd_code rc = store_step_done(stmt(s, ST_BEGIN));
    if (rc != SD_OK)
        pthread_mutex_unlock(&s->lock);
    return rc;
}

sd_code store_finish(store *s, sd_code rc)
{
    if (rc == SD_OK)
        rc = store_step_done(stmt(s, ST_COMMIT));
    if (rc != SD_OK && db_in_transaction(s->conn))
        store_step_done(stmt(s, ST_ROLLBACK));
    pthread_mutex_unlock(&s->lock);
    return rc;
}

bool store_begin_read(store *s)
{
    return store_step_done(stmt(s, ST_BEGIN_READ)) == SD_OK;
}

void store_end_read(store *s)
{
    if (db_in_transaction(s->conn))
        store_step_done(stmt(s, ST_COMMIT));
}

void store_copy_text(char *dst, size_t size, db_stmt *st, int col)
{
    const unsigned char *t = (const unsigned char *)db_column_text(st, col);
    size_t n = t ? (size_t)db_column_bytes(st, col) : 0;
    if (n >= size) {
        n = size - 1;
        while (n > 0 && (t[n] & 0xC0) == 0x80) /* t[n] continues a character: drop it whole */
            n--;
    }
    if (n)
        memcpy(dst, t, n);
    dst[n] = '\0';
}

void store_bind_opt(db_stmt *st, int col, const char *text)
{
    if (text && *text)
        db_bind_text(st, col, text);
    /* else left NULL: db_reset unbinds every parameter */
}

sd_code store_walk_locked(store *s, db_stmt *st, store_row_fn row, void *ctx)
{
    if (!st)
        return SD_ERR_DB;
    bool in_txn = store_begin_read(s);
    sd_code rc = SD_OK;
    int step = DB_DONE;
    while (rc == SD_OK && (step = db_step(st)) == DB_ROW)
        rc = row(ctx, st);
    if (rc == SD_OK && step != DB_DONE)
        rc = store_db_code(step);
    db_reset(st);
    if (in_txn)
        store_end_read(s);
    return rc;
}

int store_count_locked(db_stmt *st)
{
    int n = (st && db_step(st) == DB_ROW) ? db_column_int(st, 0) : 0;
    if (st)
        db_reset(st);
    return n;
}

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Creates what is missing and upgrades an older database in one transaction. */
static int create_schema(sqlite3 *db)
{
    int version = user_version(db);
    if (version > SCHEMA_VERSION)
        return SQLITE_MISMATCH;
    if (version == SCHEMA_VERSION) /* nothing to write: no lock taken beside busy writers */
        return SQLITE_OK;
    const char *const parts[] = {reference_schema,    store_kb_schema,       store_complaint_schema,
                                 store_outbox_schema, store_weather_schema,  store_web_schema,
                                 store_call_schema,   store_staffweb_schema, store_session_schema};
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK && version == 1)
        rc = sqlite3_exec(db, store_complaint_upgrade_v1, NULL, NULL, NULL);
    if (rc == SQLITE_OK && version >= 1 && version < 3)
        rc = sqlite3_exec(db, store_complaint_upgrade_v2, NULL, NULL, NULL);
    if (rc == SQLITE_OK && version >= 1 && version < 4)
        rc = sqlite3_exec(db, store_complaint_upgrade_v3, NULL, NULL, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < sizeof parts / sizeof parts[0]; i++)
        rc = sqlite3_exec(db, parts[i], NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", SCHEMA_VERSION);
        rc = sqlite3_exec(db, pragma, NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK && !sqlite3_get_autocommit(db)) /* keep the first error's message */
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* strpos(text, part): where part starts in text, in characters from 1, or 0: PostgreSQL's,
 * registered on SQLite connections so that one SQL text serves both databases. */
static void sql_strpos(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *t = (const char *)sqlite3_value_text(argv[0]);
    const char *part = (const char *)sqlite3_value_text(argv[1]);
    if (!t || !part)
        return; /* NULL */
    const char *at = strstr(t, part);
    int chars = 0;
    for (const char *p = t; at && p <= at; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    sqlite3_result_int(ctx, at ? chars : 0);
}

static int register_functions(sqlite3 *db)
{
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    return sqlite3_create_function(db, "strpos", 2, flags, NULL, sql_strpos, NULL, NULL);
}

/* A store on one new connection to path (flags as for sqlite3_open_v2), with our tokenizer,
 * functions and a busy timeout; NULL when out of memory. *rc gets SQLite's code; a store that
 * failed is still returned, for its error message, and the caller closes it. */
static store *connect_store(const char *path, int flags, int *rc)
{
    store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_mutex_init(&s->lock, NULL);
    *rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_FULLMUTEX, NULL);
    if (*rc == SQLITE_OK)
        *rc = kbtok_register(s->db);
    if (*rc == SQLITE_OK)
        *rc = register_functions(s->db);
    if (*rc == SQLITE_OK)
        *rc = sqlite3_busy_timeout(s->db, 5000);
    if (*rc == SQLITE_OK && !(s->conn = db_wrap_sqlite(s->db)))
        *rc = SQLITE_NOMEM;
    return s;
}

bool store_is_shared_url(const char *path)
{
    return !strncmp(path, "postgresql://", 13) || !strncmp(path, "postgres://", 11);
}

sd_code store_open(const char *path, store **out, char *err, size_t errlen)
{
    return store_open_local(path, NULL, out, err, errlen);
}

sd_code store_open_local(const char *path, const char *local, store **out, char *err, size_t errlen)
{
    *out = NULL;
    if (store_is_shared_url(path))
        return store_shared_open(path, local ? local : STORE_LOCAL_DEFAULT, out, err, errlen);
    int rc;
    store *s = connect_store(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &rc);
    if (!s)
        return SD_ERR_NOMEM;
    /* A newer program's database is left as it is: not even its journal mode changes. */
    if (rc == SQLITE_OK && user_version(s->db) > SCHEMA_VERSION)
        rc = SQLITE_MISMATCH;
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db,
                          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          " PRAGMA foreign_keys=ON;"
                          /* Up to 64 MiB of pages: a knowledge base of 100k entries stays
                           * cached instead of being copied in again for each search. */
                          " PRAGMA cache_size=-65536;",
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = create_schema(s->db);
    if (rc != SQLITE_OK) {
        if (err && rc == SQLITE_MISMATCH)
            snprintf(err, errlen,
                     "database %s was made by a newer Seodong (schema %d, this one knows %d); "
                     "it is left unchanged: use that version",
                     path, user_version(s->db), SCHEMA_VERSION);
        else if (err)
            snprintf(err, errlen, "cannot open database %s: %s", path,
                     s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        store_close(s);
        return rc == SQLITE_NOMEM ? SD_ERR_NOMEM : SD_ERR_DB;
    }
    *out = s;
    return SD_OK;
}

sd_code store_add_readers(store *s, int n, char *err, size_t errlen)
{
    if (n < 0 || s->nreaders + n > STORE_MAX_READERS) {
        snprintf(err, errlen, "between 0 and %d read connections, not %d", STORE_MAX_READERS, n);
        return SD_ERR_INVALID;
    }
    const char *path = s->db ? sqlite3_db_filename(s->db, "main") : NULL;
    if (s->db && (!path || !path[0])) /* in memory: another connection would not see it */
        return SD_OK;
    for (int i = 0; i < n; i++) {
        int rc = SQLITE_OK;
        store *r = s->db ? connect_store(path, SQLITE_OPEN_READONLY, &rc)
                         : store_shared_reader(s, err, errlen);
        if (!r)
            return s->db ? SD_ERR_NOMEM : SD_ERR_OFFLINE;
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "cannot open a read connection to %s: %s", path,
                     r->db ? sqlite3_errmsg(r->db) : sqlite3_errstr(rc));
            store_close(r);
            return SD_ERR_DB;
        }
        s->readers[s->nreaders] = r;
        atomic_fetch_add(&s->nreaders, 1);
    }
    return SD_OK;
}

store *store_read_lock(store *s)
{
    int n = atomic_load(&s->nreaders);
    for (int i = 0; i < n; i++)
        if (pthread_mutex_trylock(&s->readers[i]->lock) == 0)
            return s->readers[i];
    pthread_mutex_lock(&s->lock);
    return s;
}

void store_close(store *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nreaders; i++)
        store_close(s->readers[i]);
    store_shared_close(s);
    for (int i = 0; i < STORE_SLOTS; i++)
        db_finalize(s->stmt[i]);
    db_close(s->conn);
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

const char *store_errmsg(store *s)
{
    return s->conn ? db_errmsg(s->conn) : "out of memory";
}

/* ---- reference tables ---- */

sd_code store_department_put(store *s, const store_department *d)
{
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *st = stmt(s, ST_DEPT_PUT);
    if (!st)
        return store_finish(s, SD_ERR_DB);
    db_bind_text(st, 1, d->code);
    db_bind_text(st, 2, d->name_ko);
    db_bind_text(st, 3, d->name_en);
    db_bind_text(st, 4, d->phone);
    int step = db_step(st);
    return store_finish(s, step == DB_DONE ? SD_OK : store_db_code(step));
}

sd_code store_department_get(store *s, const char *code, store_department *out)
{
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_DEPT_GET);
    sd_code rc = st ? SD_ERR_NOT_FOUND : SD_ERR_DB;
    if (st) {
        db_bind_text(st, 1, code);
        if (db_step(st) == DB_ROW) {
            snprintf(out->code, sizeof out->code, "%s", code);
            store_copy_text(out->name_ko, sizeof out->name_ko, st, 0);
            store_copy_text(out->name_en, sizeof out->name_en, st, 1);
            store_copy_text(out->phone, sizeof out->phone, st, 2);
            rc = SD_OK;
        }
        db_reset(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

sd_code store_category_put(store *s, const store_category *c)
{
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *st = stmt(s, ST_CAT_PUT);
    if (!st)
        return store_finish(s, SD_ERR_DB);
    db_bind_text(st, 1, c->code);
    db_bind_text(st, 2, c->department);
    db_bind_text(st, 3, c->complaint_type);
    db_bind_text(st, 4, c->name_ko);
    db_bind_text(st, 5, c->name_en);
    int step = db_step(st);
    return store_finish(s, step == DB_DONE ? SD_OK : store_db_code(step));
}

sd_code store_category_get(store *s, const char *code, store_category *out)
{
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_CAT_GET);
    sd_code rc = st ? SD_ERR_NOT_FOUND : SD_ERR_DB;
    if (st) {
        db_bind_text(st, 1, code);
        if (db_step(st) == DB_ROW) {
            snprintf(out->code, sizeof out->code, "%s", code);
            store_copy_text(out->department, sizeof out->department, st, 0);
            store_copy_text(out->complaint_type, sizeof out->complaint_type, st, 1);
            store_copy_text(out->name_ko, sizeof out->name_ko, st, 2);
            store_copy_text(out->name_en, sizeof out->name_en, st, 3);
            rc = SD_OK;
        }
        db_reset(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int store_category_count(store *s)
{
    pthread_mutex_lock(&s->lock);
    int n = store_count_locked(stmt(s, ST_CAT_COUNT));
    pthread_mutex_unlock(&s->lock);
    return n;
}

static bool valid_staff(const store_staff *m)
{
    return *m->login && *m->name && (!strcmp(m->role, "officer") || !strcmp(m->role, "head"));
}

sd_code store_staff_put(store *s, const store_staff *m)
{
    if (!valid_staff(m))
        return SD_ERR_INVALID;
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *st = stmt(s, ST_STAFF_PUT);
    if (!st)
        return store_finish(s, SD_ERR_DB);
    db_bind_text(st, 1, m->login);
    db_bind_text(st, 2, m->name);
    db_bind_text(st, 3, m->department);
    db_bind_text(st, 4, m->role);
    db_bind_int64(st, 5, m->active);
    int step = db_step(st);
    db_reset(st);
    /* The department must exist: the foreign key says so. */
    rc = step == DB_DONE                  ? SD_OK
         : (step & 0xff) == DB_CONSTRAINT ? SD_ERR_INVALID
                                          : store_db_code(step);
    return store_finish(s, rc);
}

sd_code store_staff_get(store *s, const char *login, store_staff *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_STAFF_GET);
    sd_code rc = st ? SD_ERR_NOT_FOUND : SD_ERR_DB;
    if (st) {
        db_bind_text(st, 1, login);
        if (db_step(st) == DB_ROW) {
            snprintf(out->login, sizeof out->login, "%s", login);
            store_copy_text(out->name, sizeof out->name, st, 0);
            store_copy_text(out->department, sizeof out->department, st, 1);
            store_copy_text(out->role, sizeof out->role, st, 2);
            out->active = db_column_int(st, 3) != 0;
            rc = SD_OK;
        }
        db_reset(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

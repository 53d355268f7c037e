/* store_staffweb.c - what the staff dashboard reads and keeps besides complaints: the list of
 * departments for its menus, and the passwords: one row per member of staff who has one,
 * with the Argon2id hash string (salt and limits included, as libsodium writes it) and the
 * count of failed sign-ins in a row that locks the login for a while.
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
    STAFFWEB_STMTS
};
_Static_assert((int)STAFFWEB_STMTS <= (int)STORE_SLOTS - (int)STORE_SLOTS_STAFFWEB,
               "staff web statements overflow their slots");

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
    [ST_DEPARTMENTS] = "SELECT code, name_ko, name_en, phone FROM departments ORDER BY code",
};

static sqlite3_stmt *stmt(store *s, int id)
{
    return store_stmt(s, STORE_SLOTS_STAFFWEB + id, staffweb_sql[id]);
}

sd_code store_staff_password_set(store *s, const char *login, const char *hash)
{
    if (strlen(hash) >= sizeof((store_staff_auth *)0)->hash)
        return SD_ERR_INVALID;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = stmt(s, ST_AUTH_SET);
    sd_code rc = SD_ERR_DB;
    if (st) {
        sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
        rc = store_step_done(st);
        if (rc == SD_OK && sqlite3_changes(s->db) == 0)
            rc = SD_ERR_NOT_FOUND;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

sd_code store_staff_auth_get(store *s, const char *login, store_staff_auth *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = stmt(s, ST_AUTH_GET);
    sd_code rc = SD_ERR_DB;
    if (st) {
        sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
        rc = store_step_row(st);
        if (rc == SD_OK) {
            store_copy_text(out->hash, sizeof out->hash, st, 0);
            out->failures = sqlite3_column_int(st, 1);
            out->locked_until = (time_t)sqlite3_column_int64(st, 2);
        }
        sqlite3_reset(st);
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
    sqlite3_stmt *st = stmt(s, ok ? ST_AUTH_GOOD : ST_AUTH_BAD);
    rc = st ? SD_OK : SD_ERR_DB;
    if (st) {
        sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
        if (!ok) {
            sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
            sqlite3_bind_int(st, 3, max_failures);
            sqlite3_bind_int(st, 4, lock_s);
        }
        rc = store_step_done(st);
    }
    if (rc == SD_OK && !ok)
        rc = store_step_done(stmt(s, ST_FAILURE_COUNT));
    return store_finish(s, rc);
}

sd_code store_department_each(store *s, store_department_fn fn, void *ctx)
{
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = stmt(s, ST_DEPARTMENTS);
    sd_code rc = st ? SD_OK : SD_ERR_DB;
    int step = SQLITE_DONE;
    while (rc == SD_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        store_department d;
        store_copy_text(d.code, sizeof d.code, st, 0);
        store_copy_text(d.name_ko, sizeof d.name_ko, st, 1);
        store_copy_text(d.name_en, sizeof d.name_en, st, 2);
        store_copy_text(d.phone, sizeof d.phone, st, 3);
        rc = fn(ctx, &d);
    }
    if (st) {
        if (rc == SD_OK && step != SQLITE_DONE)
            rc = store_db_code(step);
        sqlite3_reset(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

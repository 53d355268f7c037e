/* store_session.c - the staff dashboard's sessions, kept in the store so that they survive a
 * restart of the web server and hold on every web server of an office that shares one store.
 *
 * A row per session: a hash of its id (hex; the web front hashes, so a copy of the database
 * signs nobody in), the login, the session's CSRF token, when it began and was last used, and
 * when it ends at the latest. A session also ends when it was not used since the idle cut-off
 * the caller gives. Using a session is one statement on the primary key that both checks and
 * marks it used (UPDATE ... RETURNING), so every request of a signed-in clerk costs one indexed
 * write and no extra round trip. Ended rows are deleted at once; expired ones by
 * store_staff_sessions_prune. */
#include <stdio.h>
#include <string.h>

#include "store_internal.h"

const char *const store_session_schema =
    "CREATE TABLE IF NOT EXISTS staff_sessions(id_hash TEXT PRIMARY KEY,"
    " login TEXT NOT NULL REFERENCES staff(login), csrf TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS staff_sessions_by_login ON staff_sessions(login);";

enum { ST_PUT, ST_USE, ST_END, ST_END_LOGIN, ST_PRUNE, SESSION_STMTS };
_Static_assert((int)SESSION_STMTS <= (int)STORE_SLOTS - (int)STORE_SLOTS_SESSION,
               "session statements overflow their slots");

static const char *const session_sql[SESSION_STMTS] = {
    [ST_PUT] = "INSERT INTO staff_sessions(id_hash, login, csrf, created_at, seen_at, expires_at)"
               " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    /* seen_at never goes back: web servers whose clocks differ a little share the rows */
    [ST_USE] = "UPDATE staff_sessions SET seen_at = CASE WHEN seen_at < ?2 THEN ?2 ELSE seen_at"
               " END WHERE id_hash = ?1 AND expires_at >= ?2 AND seen_at >= ?3"
               " RETURNING login, csrf, created_at, seen_at, expires_at",
    [ST_END] = "DELETE FROM staff_sessions WHERE id_hash = ?1",
    [ST_END_LOGIN] = "DELETE FROM staff_sessions WHERE login = ?1",
    [ST_PRUNE] = "DELETE FROM staff_sessions WHERE expires_at < ?1 OR seen_at < ?2",
};

static db_stmt *stmt(store *s, int id)
{
    return store_stmt(s, STORE_SLOTS_SESSION + id, session_sql[id]);
}

sd_code store_staff_session_put(store *s, const store_staff_session *in)
{
    if (!in->id_hash[0] || !in->login[0] || !in->csrf[0])
        return SD_ERR_INVALID;
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_PUT);
    sd_code rc = SD_ERR_DB;
    if (st) {
        db_bind_text(st, 1, in->id_hash);
        db_bind_text(st, 2, in->login);
        db_bind_text(st, 3, in->csrf);
        db_bind_int64(st, 4, (int64_t)in->created_at);
        db_bind_int64(st, 5, (int64_t)in->seen_at);
        db_bind_int64(st, 6, (int64_t)in->expires_at);
        rc = store_step_done(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

sd_code store_staff_session_use(store *s, const char *id_hash, time_t now, time_t idle_since,
                                store_staff_session *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_USE);
    sd_code rc = SD_ERR_DB;
    if (st) {
        db_bind_text(st, 1, id_hash);
        db_bind_int64(st, 2, (int64_t)now);
        db_bind_int64(st, 3, (int64_t)idle_since);
        rc = store_step_row(st);
        if (rc == SD_OK) {
            snprintf(out->id_hash, sizeof out->id_hash, "%s", id_hash);
            store_copy_text(out->login, sizeof out->login, st, 0);
            store_copy_text(out->csrf, sizeof out->csrf, st, 1);
            out->created_at = (time_t)db_column_int64(st, 2);
            out->seen_at = (time_t)db_column_int64(st, 3);
            out->expires_at = (time_t)db_column_int64(st, 4);
        }
        db_reset(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* Runs the one-parameter statement id with text, or the time pair now/since. */
static sd_code run(store *s, int id, const char *text, time_t now, time_t since)
{
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, id);
    sd_code rc = SD_ERR_DB;
    if (st) {
        if (text) {
            db_bind_text(st, 1, text);
        } else {
            db_bind_int64(st, 1, (int64_t)now);
            db_bind_int64(st, 2, (int64_t)since);
        }
        rc = store_step_done(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

sd_code store_staff_session_end(store *s, const char *id_hash)
{
    return run(s, ST_END, id_hash, 0, 0);
}

sd_code store_staff_sessions_end(store *s, const char *login)
{
    return run(s, ST_END_LOGIN, login, 0, 0);
}

sd_code store_staff_sessions_prune(store *s, time_t now, time_t idle_since)
{
    return run(s, ST_PRUNE, NULL, now, idle_since);
}

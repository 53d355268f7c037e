/* store_call.c - the call records of the phone line: one row per call, opened when the call is
 * answered and closed when it ends, so that a call cut short by a crash still leaves a trace
 * (with no end time).
 *
 * The caller's number is never stored whole: the channel passes it already masked (all but the
 * last four digits hidden), the same privacy the dialogue applies when it reads a number back. */
#include "store_internal.h"

const char *const store_call_schema =
    "CREATE TABLE IF NOT EXISTS calls(id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL,"
    " ended_at INTEGER, caller TEXT NOT NULL DEFAULT '', codec TEXT NOT NULL,"
    " intents TEXT NOT NULL DEFAULT '', result TEXT NOT NULL DEFAULT '',"
    " receipt TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS calls_started ON calls(started_at);";

enum { ST_BEGIN, ST_END, CALL_STMTS };
_Static_assert((int)CALL_STMTS <= (int)STORE_SLOTS_STAFFWEB - (int)STORE_SLOTS_CALL,
               "call statements overflow their slots");

static const char *const call_sql[CALL_STMTS] = {
    [ST_BEGIN] = "INSERT INTO calls(started_at, caller, codec) VALUES (?1, ?2, ?3)"
                 " RETURNING id",
    [ST_END] = "UPDATE calls SET ended_at = ?2, intents = ?3, result = ?4, receipt = ?5"
               " WHERE id = ?1",
};

static db_stmt *stmt(store *s, int id)
{
    return store_stmt(s, STORE_SLOTS_CALL + id, call_sql[id]);
}

sd_code store_call_begin(store *s, time_t started_at, const char *caller_masked, const char *codec,
                         long *id)
{
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *st = stmt(s, ST_BEGIN);
    if (st) {
        db_bind_int64(st, 1, (int64_t)started_at);
        db_bind_text(st, 2, caller_masked ? caller_masked : "");
        db_bind_text(st, 3, codec);
    }
    int64_t row = 0;
    rc = store_step_id(st, &row);
    *id = (long)row;
    return store_finish(s, rc);
}

sd_code store_call_end(store *s, long id, const store_call_end_info *info)
{
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *st = stmt(s, ST_END);
    if (st) {
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, (int64_t)info->ended_at);
        db_bind_text(st, 3, info->intents ? info->intents : "");
        db_bind_text(st, 4, info->result ? info->result : "");
        db_bind_text(st, 5, info->receipt ? info->receipt : "");
    }
    rc = store_step_done(st);
    if (rc == SD_OK && db_changes(st) == 0)
        rc = SD_ERR_NOT_FOUND;
    return store_finish(s, rc);
}

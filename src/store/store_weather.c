/* store_weather.c - the forecast cache: each issue of the weather service for a grid cell, as
 * the service's answer body, with when it was fetched, the last attempt and why it failed.
 *
 * The answer is kept as received rather than as columns: the cache then holds exactly what the
 * service said, and a better reading of it (a category not used yet) needs no migration.
 * Fetching is claimed in the database (an upsert that succeeds only when the issue is neither
 * cached nor being fetched nor recently failed), so every speaker and thread sharing the file
 * asks the service at most once per issue. */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define KEEP_SECONDS (3 * 86400) /* the service itself only answers for the last three days */

const char *const store_weather_schema =
    "CREATE TABLE IF NOT EXISTS forecasts(kind TEXT NOT NULL, base_date TEXT NOT NULL,"
    " base_time TEXT NOT NULL, nx INTEGER NOT NULL, ny INTEGER NOT NULL, body TEXT,"
    " fetched_at INTEGER, tried_at INTEGER NOT NULL, retry_at INTEGER NOT NULL,"
    " error TEXT NOT NULL DEFAULT '', PRIMARY KEY(kind, base_date, base_time, nx, ny));";

enum { ST_CLAIM, ST_PUT, ST_PRUNE, ST_FAIL, ST_LATEST, ST_ERROR, WEATHER_STMTS };
_Static_assert((int)WEATHER_STMTS <= (int)STORE_SLOTS - (int)STORE_SLOTS_WEATHER,
               "weather statements overflow their slots");

#define KEY_WHERE " WHERE kind=?1 AND base_date=?2 AND base_time=?3 AND nx=?4 AND ny=?5"

static const char *const weather_sql[WEATHER_STMTS] = {
    [ST_CLAIM] = "INSERT INTO forecasts(kind, base_date, base_time, nx, ny, tried_at, retry_at)"
                 " VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(kind, base_date, base_time, nx, ny)"
                 " DO UPDATE SET tried_at=excluded.tried_at, retry_at=excluded.retry_at"
                 " WHERE forecasts.body IS NULL AND forecasts.retry_at <= excluded.tried_at",
    [ST_PUT] = "INSERT INTO forecasts(kind, base_date, base_time, nx, ny, body, fetched_at,"
               " tried_at, retry_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?7,?7)"
               " ON CONFLICT(kind, base_date, base_time, nx, ny)"
               " DO UPDATE SET body=?6, fetched_at=?7, error=''",
    [ST_PRUNE] = "DELETE FROM forecasts WHERE tried_at < ?1",
    [ST_FAIL] = "UPDATE forecasts SET error=?6, retry_at=?7" KEY_WHERE,
    [ST_LATEST] = "SELECT base_date, base_time, body FROM forecasts"
                  " WHERE kind=?1 AND nx=?4 AND ny=?5 AND body IS NOT NULL"
                  " AND (base_date < ?2 OR (base_date = ?2 AND base_time <= ?3))"
                  " ORDER BY base_date DESC, base_time DESC LIMIT 1",
    [ST_ERROR] = "SELECT error FROM forecasts" KEY_WHERE,
};

static db_stmt *stmt(store *s, int id, const store_forecast_key *key)
{
    db_stmt *st = store_stmt(s, STORE_SLOTS_WEATHER + id, weather_sql[id]);
    if (st && key) {
        db_bind_text(st, 1, key->kind);
        db_bind_text(st, 2, key->base_date);
        db_bind_text(st, 3, key->base_time);
        db_bind_int64(st, 4, key->nx);
        db_bind_int64(st, 5, key->ny);
    }
    return st;
}

sd_code store_forecast_claim(store *s, const store_forecast_key *key, time_t now, time_t busy_until,
                             bool *claimed)
{
    *claimed = false;
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *st = stmt(s, ST_CLAIM, key);
    if (st) {
        db_bind_int64(st, 6, now);
        db_bind_int64(st, 7, busy_until);
    }
    rc = store_step_done(st);
    *claimed = rc == SD_OK && db_changes(st) == 1;
    return store_finish(s, rc);
}

sd_code store_forecast_put(store *s, const store_forecast_key *key, const char *body, time_t now)
{
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *st = stmt(s, ST_PUT, key);
    if (st) {
        db_bind_text(st, 6, body);
        db_bind_int64(st, 7, now);
    }
    rc = store_step_done(st);
    if (rc == SD_OK && (st = stmt(s, ST_PRUNE, NULL)) != NULL)
        db_bind_int64(st, 1, now - KEEP_SECONDS);
    if (rc == SD_OK)
        rc = store_step_done(st);
    return store_finish(s, rc);
}

sd_code store_forecast_fail(store *s, const store_forecast_key *key, const char *error,
                            time_t retry_at)
{
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *st = stmt(s, ST_FAIL, key);
    if (st) {
        db_bind_text(st, 6, error);
        db_bind_int64(st, 7, retry_at);
    }
    return store_finish(s, store_step_done(st));
}

/* Copies the newest row into out; the caller holds the lock. */
static sd_code latest_locked(store *s, const store_forecast_key *key, store_forecast *out)
{
    db_stmt *st = stmt(s, ST_LATEST, key);
    if (!st)
        return SD_ERR_DB;
    int step = db_step(st);
    sd_code rc = step == DB_ROW ? SD_OK : step == DB_DONE ? SD_ERR_NOT_FOUND : store_db_code(step);
    if (rc == SD_OK) {
        store_copy_text(out->base_date, sizeof out->base_date, st, 0);
        store_copy_text(out->base_time, sizeof out->base_time, st, 1);
        const char *body = db_column_text(st, 2);
        out->body = body ? strdup(body) : NULL;
        if (!out->body)
            rc = SD_ERR_NOMEM;
    }
    db_reset(st);
    if ((st = stmt(s, ST_ERROR, key)) != NULL && db_step(st) == DB_ROW)
        store_copy_text(out->error, sizeof out->error, st, 0);
    if (st)
        db_reset(st);
    return rc;
}

static sd_code latest(store *s, const store_forecast_key *key, store_forecast *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&s->lock);
    bool read = store_begin_read(s);
    sd_code rc = latest_locked(s, key, out);
    if (read)
        store_end_read(s);
    pthread_mutex_unlock(&s->lock);
    if (rc != SD_OK) {
        free(out->body);
        out->body = NULL;
    }
    return rc;
}

/* Keeps the forecast a shared store gave in the device's own file, when it has not got it yet,
 * so that the box still tells the weather while the office's server is away. */
static void keep_local_copy(store *local, const store_forecast_key *key, const store_forecast *f)
{
    store_forecast mine;
    sd_code rc = latest(local, key, &mine);
    bool same = rc == SD_OK && !strcmp(mine.base_date, f->base_date) &&
                !strcmp(mine.base_time, f->base_time);
    free(mine.body);
    if (same)
        return;
    store_forecast_key issue = *key;
    issue.base_date = f->base_date;
    issue.base_time = f->base_time;
    store_forecast_put(local, &issue, f->body, time(NULL));
}

sd_code store_forecast_latest(store *s, const store_forecast_key *key, store_forecast *out)
{
    sd_code rc = latest(s, key, out);
    if (s->local && rc == SD_ERR_OFFLINE)
        return latest(s->local, key, out);
    if (s->local && rc == SD_OK)
        keep_local_copy(s->local, key, out);
    return rc;
}

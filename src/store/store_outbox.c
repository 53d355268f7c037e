/* store_outbox.c - the notification outbox: messages to residents, queued in the same
 * transaction as the change they announce, so that no change is ever left untold and no message
 * exists for a change that was rolled back. A sender (notifier.c) delivers them later.
 *
 * A message's template parameters are a snapshot taken when it is queued (SQLite's json_object):
 * a later extension or transfer does not rewrite what an earlier message said. The resident's
 * phone number is not copied: it stays in the complaint row and is read only to send. The
 * idempotency key, receipt and timeline row id, is stable across retries and restarts.
 *
 * Delivery is a small state machine. A sender claims a due message in one write transaction:
 * 'pending' becomes 'sending', attempts grows by one and next_at becomes the end of the claim's
 * lease, so that no other sender takes it meanwhile. The sender then talks to the gateway with
 * no lock held and records the outcome: 'sent', or back to 'pending' after an exponential
 * back-off, or 'dead' after max_attempts. A message still 'sending' when its lease is over
 * belongs to a sender that died mid-request: it is due again, and in doubt (in_doubt = 1), since
 * the gateway may have accepted it; the sender asks the gateway before sending it again. */
#include <stdio.h>
#include <string.h>

#include "store_internal.h"

const char *const store_outbox_schema =
    "CREATE TABLE IF NOT EXISTS outbox(id INTEGER PRIMARY KEY,"
    " event_id INTEGER NOT NULL UNIQUE REFERENCES timeline(id),"
    " complaint_id INTEGER NOT NULL REFERENCES complaints(id), template TEXT NOT NULL,"
    " params TEXT NOT NULL, idem_key TEXT NOT NULL UNIQUE,"
    " state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending', 'sending', 'sent', 'dead')),"
    " attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,"
    " in_doubt INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, sent_at INTEGER);"
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_at);";

enum {
    ST_QUEUE,
    ST_DUE,
    ST_CLAIM,
    ST_SENT,
    ST_FAILED,
    ST_LIST,
    ST_RETRY,
    ST_COUNTS,
    ST_NEXT_DUE,
    OUTBOX_STMTS
};
_Static_assert((int)OUTBOX_STMTS <= (int)STORE_SLOTS_WEATHER - (int)STORE_SLOTS_OUTBOX,
               "outbox statements overflow their slots");

/* A day: the longest wait between two attempts, whatever back-off and attempts say. */
#define MAX_DELAY_S 86400

#define MSG_COLUMNS                                                                                \
    "o.id, c.receipt, o.template, o.params, o.idem_key, c.phone, o.state, o.attempts,"             \
    " (o.in_doubt <> 0 OR o.state = 'sending'), o.created_at, o.next_at, coalesce(o.sent_at, 0),"  \
    " o.last_error"
#define MSG_FROM " FROM outbox o JOIN complaints c ON c.id = o.complaint_id"

static const char *const outbox_sql[OUTBOX_STMTS] = {
    /* Template codes are SD_ and the event in capitals (SD_RECEIVED, SD_APPROVED, ...): the
     * office registers one template per event with the gateway. Times are Korean (UTC+9). */
    [ST_QUEUE] = "INSERT INTO outbox(event_id, complaint_id, template, params, idem_key, next_at,"
                 " created_at)"
                 " SELECT t.id, c.id, 'SD_' || upper(t.state),"
                 "  json_object('receipt', c.receipt, 'event', t.state,"
                 "   'at', strftime('%Y-%m-%d %H:%M', t.at + 32400, 'unixepoch'),"
                 "   'department', CASE c.lang WHEN 'en' THEN ifnull(d.name_en, c.department)"
                 "                 ELSE ifnull(d.name_ko, c.department) END,"
                 "   'due', strftime('%Y-%m-%d', c.due_at + 32400, 'unixepoch'), 'note', t.note,"
                 "   'answer', CASE t.state WHEN 'approved' THEN ifnull(c.answer, '') ELSE '' END,"
                 "   'lang', c.lang),"
                 "  c.receipt || '-' || t.id, t.at, t.at"
                 " FROM timeline t JOIN complaints c ON c.id = t.complaint_id"
                 " LEFT JOIN departments d ON d.code = c.department"
                 " WHERE t.id = ?1 AND c.phone IS NOT NULL",
    /* Earliest due first, so that a long outage is caught up in filing order. */
    [ST_DUE] = "SELECT " MSG_COLUMNS MSG_FROM " WHERE o.state IN ('pending', 'sending')"
               " AND o.next_at <= ?1 ORDER BY o.next_at, o.id LIMIT 1",
    [ST_CLAIM] = "UPDATE outbox SET in_doubt = CASE WHEN in_doubt <> 0 OR state = 'sending'"
                 " THEN 1 ELSE 0 END, state = 'sending',"
                 " attempts = attempts + 1, next_at = ?2 WHERE id = ?1",
    [ST_SENT] = "UPDATE outbox SET state = 'sent', sent_at = ?2, last_error = ''"
                " WHERE id = ?1 AND state <> 'sent'",
    /* The delay doubles per attempt: backoff_s * 2^(attempts-1), the shift bounded so that it
     * cannot overflow, the result capped at MAX_DELAY_S. */
    [ST_FAILED] =
        "UPDATE outbox SET"
        " state = CASE WHEN ?4 <> 0 OR attempts >= ?6 THEN 'dead' ELSE 'pending' END,"
        " next_at = ?2 + min(?7, ?5 << min(max(attempts - 1, 0), 20)),"
        " last_error = ?3, in_doubt = CASE WHEN in_doubt <> 0 OR ?8 <> 0 THEN 1 ELSE 0 END"
        " WHERE id = ?1 AND state = 'sending' RETURNING state = 'dead'",
    [ST_LIST] = "SELECT " MSG_COLUMNS MSG_FROM
                " WHERE CAST(?1 AS TEXT) IS NULL OR o.state = ?1 ORDER BY o.id",
    [ST_RETRY] = "UPDATE outbox SET state = 'pending', attempts = 0, next_at = ?2"
                 " WHERE state = 'dead' AND (CAST(?1 AS BIGINT) IS NULL OR id = ?1)",
    [ST_COUNTS] = "SELECT state, count(*) FROM outbox GROUP BY state",
    [ST_NEXT_DUE] = "SELECT min(next_at) FROM outbox WHERE state IN ('pending', 'sending')",
};

/* PostgreSQL's texts: its JSON and date functions, least/greatest for SQLite's two-argument
 * min/max, and a claim that skips the messages other senders hold, so that any number of
 * senders share the outbox without waiting for one another or taking the same message. */
static const char *const outbox_pg_sql[OUTBOX_STMTS] = {
    [ST_QUEUE] = "INSERT INTO outbox(event_id, complaint_id, template, params, idem_key, next_at,"
                 " created_at)"
                 " SELECT t.id, c.id, 'SD_' || upper(t.state),"
                 "  json_build_object('receipt', c.receipt, 'event', t.state,"
                 "   'at', to_char(to_timestamp(t.at) AT TIME ZONE 'Asia/Seoul',"
                 "                 'YYYY-MM-DD HH24:MI'),"
                 "   'department', CASE c.lang WHEN 'en' THEN coalesce(d.name_en, c.department)"
                 "                 ELSE coalesce(d.name_ko, c.department) END,"
                 "   'due', to_char(to_timestamp(c.due_at) AT TIME ZONE 'Asia/Seoul',"
                 "                  'YYYY-MM-DD'), 'note', t.note,"
                 "   'answer', CASE t.state WHEN 'approved' THEN coalesce(c.answer, '')"
                 "             ELSE '' END,"
                 "   'lang', c.lang)::text,"
                 "  c.receipt || '-' || t.id, t.at, t.at"
                 " FROM timeline t JOIN complaints c ON c.id = t.complaint_id"
                 " LEFT JOIN departments d ON d.code = c.department"
                 " WHERE t.id = ?1 AND c.phone IS NOT NULL",
    [ST_DUE] = "SELECT " MSG_COLUMNS MSG_FROM " WHERE o.state IN ('pending', 'sending')"
               " AND o.next_at <= ?1 ORDER BY o.next_at, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED",
    [ST_FAILED] =
        "UPDATE outbox SET"
        " state = CASE WHEN ?4 <> 0 OR attempts >= ?6 THEN 'dead' ELSE 'pending' END,"
        " next_at = ?2 + least(?7, ?5 << least(greatest(attempts - 1, 0), 20)::int),"
        " last_error = ?3, in_doubt = CASE WHEN in_doubt <> 0 OR ?8 <> 0 THEN 1 ELSE 0 END"
        " WHERE id = ?1 AND state = 'sending' RETURNING state = 'dead'",
};

static db_stmt *stmt(store *s, int id)
{
    return store_stmt(s, STORE_SLOTS_OUTBOX + id, store_sql(s, outbox_sql[id], outbox_pg_sql[id]));
}

sd_code store_outbox_queue_locked(store *s, int64_t event_id)
{
    db_stmt *st = stmt(s, ST_QUEUE);
    if (st)
        db_bind_int64(st, 1, event_id);
    return store_step_done(st);
}

/* Fills out from a row of MSG_COLUMNS. */
static void read_msg(db_stmt *st, store_outbox_msg *out)
{
    memset(out, 0, sizeof *out);
    out->id = (long)db_column_int64(st, 0);
    store_copy_text(out->receipt, sizeof out->receipt, st, 1);
    store_copy_text(out->template_code, sizeof out->template_code, st, 2);
    store_copy_text(out->params, sizeof out->params, st, 3);
    store_copy_text(out->idem_key, sizeof out->idem_key, st, 4);
    store_copy_text(out->phone, sizeof out->phone, st, 5);
    store_copy_text(out->state, sizeof out->state, st, 6);
    out->attempts = db_column_int(st, 7);
    out->in_doubt = db_column_int(st, 8) != 0;
    out->created_at = (time_t)db_column_int64(st, 9);
    out->next_at = (time_t)db_column_int64(st, 10);
    out->sent_at = (time_t)db_column_int64(st, 11);
    store_copy_text(out->last_error, sizeof out->last_error, st, 12);
}

/* Reads the first due message into out. Caller holds the lock in a write transaction. */
static sd_code find_due(store *s, time_t now, store_outbox_msg *out)
{
    db_stmt *st = stmt(s, ST_DUE);
    if (!st)
        return SD_ERR_DB;
    db_bind_int64(st, 1, (int64_t)now);
    int step = db_step(st);
    sd_code rc = step == DB_DONE ? SD_ERR_NOT_FOUND : store_db_code(step);
    if (step == DB_ROW) {
        read_msg(st, out);
        rc = SD_OK;
    }
    db_reset(st);
    return rc;
}

sd_code store_outbox_claim(store *s, time_t now, int lease_s, store_outbox_msg *out)
{
    memset(out, 0, sizeof *out);
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    rc = find_due(s, now, out);
    db_stmt *st = rc == SD_OK ? stmt(s, ST_CLAIM) : NULL;
    if (rc == SD_OK && st) {
        db_bind_int64(st, 1, out->id);
        db_bind_int64(st, 2, (int64_t)(now + lease_s));
        rc = store_step_done(st);
    } else if (rc == SD_OK) {
        rc = SD_ERR_DB;
    }
    rc = store_finish(s, rc);
    if (rc == SD_OK) {
        /* what the row now says, without reading it again */
        snprintf(out->state, sizeof out->state, "sending");
        out->attempts++;
        out->next_at = now + lease_s;
    }
    return rc;
}

sd_code store_outbox_sent(store *s, long id, time_t now)
{
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *st = stmt(s, ST_SENT);
    if (st) {
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, (int64_t)now);
    }
    rc = store_step_done(st);
    if (rc == SD_OK && db_changes(st) == 0)
        rc = SD_ERR_NOT_FOUND;
    return store_finish(s, rc);
}

sd_code store_outbox_failed(store *s, long id, time_t now, const store_outbox_failure *f,
                            bool *dead)
{
    *dead = false;
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *st = stmt(s, ST_FAILED);
    if (!st)
        return store_finish(s, SD_ERR_DB);
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, (int64_t)now);
    db_bind_text(st, 3, f->error ? f->error : "");
    db_bind_int64(st, 4, f->permanent);
    db_bind_int64(st, 5, f->backoff_s > 0 ? f->backoff_s : 1);
    db_bind_int64(st, 6, f->max_attempts);
    db_bind_int64(st, 7, MAX_DELAY_S);
    db_bind_int64(st, 8, f->in_doubt);
    int step = db_step(st);
    rc = step == DB_DONE ? SD_ERR_NOT_FOUND : store_db_code(step);
    if (step == DB_ROW) {
        *dead = db_column_int(st, 0) != 0;
        rc = SD_OK;
    }
    db_reset(st);
    return store_finish(s, rc);
}

typedef struct {
    store_outbox_fn fn;
    void *ctx;
} outbox_walk;

static sd_code outbox_row(void *ctx, db_stmt *row)
{
    outbox_walk *w = ctx;
    store_outbox_msg m;
    read_msg(row, &m);
    return w->fn(w->ctx, &m);
}

sd_code store_outbox_list(store *s, const char *state, store_outbox_fn fn, void *ctx)
{
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_LIST);
    if (st)
        store_bind_opt(st, 1, state);
    outbox_walk w = {fn, ctx};
    sd_code rc = store_walk_locked(s, st, outbox_row, &w);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

sd_code store_outbox_retry(store *s, long id, time_t now, int *count)
{
    *count = 0;
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *st = stmt(s, ST_RETRY);
    if (st) {
        if (id)
            db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, (int64_t)now);
    }
    rc = store_step_done(st);
    if (rc == SD_OK)
        *count = db_changes(st);
    if (rc == SD_OK && id && *count == 0)
        rc = SD_ERR_NOT_FOUND;
    return store_finish(s, rc);
}

sd_code store_outbox_count(store *s, store_outbox_counts *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_COUNTS);
    sd_code rc = st ? SD_OK : SD_ERR_DB;
    int step = DB_DONE;
    while (st && (step = db_step(st)) == DB_ROW) {
        const char *state = db_column_text(st, 0);
        int n = db_column_int(st, 1);
        int *slot = !strcmp(state, "pending")   ? &out->pending
                    : !strcmp(state, "sending") ? &out->sending
                    : !strcmp(state, "sent")    ? &out->sent
                                                : &out->dead;
        *slot = n;
    }
    if (st && step != DB_DONE)
        rc = store_db_code(step);
    if (st)
        db_reset(st);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

sd_code store_outbox_next_due(store *s, time_t *at)
{
    *at = 0;
    pthread_mutex_lock(&s->lock);
    db_stmt *st = stmt(s, ST_NEXT_DUE);
    sd_code rc = st ? SD_ERR_NOT_FOUND : SD_ERR_DB;
    int step = st ? db_step(st) : DB_ERROR;
    if (step == DB_ROW && !db_column_is_null(st, 0)) {
        *at = (time_t)db_column_int64(st, 0);
        rc = SD_OK;
    } else if (st && step != DB_ROW) {
        rc = store_db_code(step);
    }
    if (st)
        db_reset(st);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

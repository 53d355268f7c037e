/* store_outbox.c - the notification outbox: messages to residents, queued in the same
 * transaction as the change they announce, so that no change is ever left untold and no message
 * exists for a change that was rolled back. A sender (notifier.c) delivers them later.
 *
 * A message's template parameters are a snapshot taken when it is queued (SQLite's json_object):
 * a later extension or transfer does not rewrite what an earlier message said. The resident's
 * phone number is not copied: it stays in the complaint row and is read only to send. The
 * idempotency key, receipt and timeline row id, is stable across retries and restarts. */
#include "store_internal.h"

const char *const store_outbox_schema =
    "CREATE TABLE IF NOT EXISTS outbox(id INTEGER PRIMARY KEY,"
    " event_id INTEGER NOT NULL UNIQUE REFERENCES timeline(id),"
    " complaint_id INTEGER NOT NULL REFERENCES complaints(id), template TEXT NOT NULL,"
    " params TEXT NOT NULL, idem_key TEXT NOT NULL UNIQUE,"
    " state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending', 'sending', 'sent', 'dead')),"
    " attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,"
    " last_error TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, sent_at INTEGER);"
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_at);";

enum { ST_QUEUE, OUTBOX_STMTS };
_Static_assert((int)OUTBOX_STMTS <= (int)STORE_SLOTS_WEATHER - (int)STORE_SLOTS_OUTBOX,
               "outbox statements overflow their slots");

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
};

static sqlite3_stmt *stmt(store *s, int id)
{
    return store_stmt(s, STORE_SLOTS_OUTBOX + id, outbox_sql[id]);
}

sd_code store_outbox_queue_locked(store *s, sqlite3_int64 event_id)
{
    sqlite3_stmt *st = stmt(s, ST_QUEUE);
    if (st)
        sqlite3_bind_int64(st, 1, event_id);
    return store_step_done(st);
}

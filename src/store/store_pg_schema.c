/* store_pg_schema.c - the tables of the shared store on PostgreSQL: the same rows as the SQLite
 * schema of the other store files, in PostgreSQL's types, plus what only a store shared by many
 * writers needs:
 *
 *   - receipt numbers from one sequence per year (seodong_next_receipt), made on first use: a
 *     sequence never hands out a number twice, never takes one back, and writers draw from it
 *     without waiting for each other's transactions;
 *   - intake_key on complaints: a long random key a device gives each filing before it knows
 *     whether the server took it, so that forwarding it from the spool finds it instead of
 *     filing it twice; spool_code: the short code the resident was given for a spooled filing;
 *   - kb_office: the office's one copy of the knowledge base, which devices copy (kb_version in
 *     seodong_meta grows with each change).
 *
 * Every statement is idempotent (IF NOT EXISTS, OR REPLACE, ON CONFLICT DO NOTHING), so a server
 * of an older version is brought up to date by running all of it again: version 2 added
 * staff_sessions.
 *
 * store_shared.c runs it under an advisory lock, so that boxes starting together do not race. */
#include "store_internal.h"

/* Bump with every change below, and teach store_shared.c to upgrade from the older version. */
const int store_pg_schema_version = 3;

const char *const store_pg_schema =
    "CREATE TABLE IF NOT EXISTS seodong_meta(key text PRIMARY KEY, value text NOT NULL);"
    "INSERT INTO seodong_meta VALUES('kb_version', '0') ON CONFLICT DO NOTHING;"
    "CREATE TABLE IF NOT EXISTS departments(code text PRIMARY KEY, name_ko text NOT NULL,"
    " name_en text NOT NULL, phone text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS categories(code text PRIMARY KEY, department text NOT NULL"
    " REFERENCES departments(code), complaint_type text NOT NULL, name_ko text NOT NULL,"
    " name_en text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS staff(login text PRIMARY KEY, name text NOT NULL,"
    " department text NOT NULL REFERENCES departments(code),"
    " role text NOT NULL CHECK(role IN ('officer', 'head')), active integer NOT NULL DEFAULT 1);"
    "CREATE TABLE IF NOT EXISTS complaints(id bigserial PRIMARY KEY,"
    " receipt text NOT NULL UNIQUE, category text NOT NULL REFERENCES categories(code),"
    " place text, detail text NOT NULL, phone text, lang text NOT NULL, channel text NOT NULL,"
    " complaint_type text NOT NULL, department text NOT NULL, state text NOT NULL,"
    " filed_at bigint NOT NULL, due_at bigint NOT NULL, officer text, answer text,"
    " extensions integer NOT NULL DEFAULT 0, lat double precision, lon double precision,"
    " site text, spool_code text UNIQUE);"
    "CREATE INDEX IF NOT EXISTS complaints_by_due ON complaints(state, due_at);"
    "CREATE TABLE IF NOT EXISTS timeline(id bigserial PRIMARY KEY,"
    " complaint_id bigint NOT NULL REFERENCES complaints(id), at bigint NOT NULL,"
    " state text NOT NULL, actor text NOT NULL, department text NOT NULL,"
    " note text NOT NULL DEFAULT '', due_at bigint);"
    "CREATE INDEX IF NOT EXISTS timeline_by_complaint ON timeline(complaint_id, id);"
    "CREATE OR REPLACE FUNCTION seodong_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    " $$BEGIN RAISE EXCEPTION 'the timeline is append-only'; END$$;"
    "CREATE OR REPLACE TRIGGER timeline_append_only BEFORE UPDATE OR DELETE ON timeline"
    " FOR EACH ROW EXECUTE FUNCTION seodong_append_only();"
    "CREATE OR REPLACE FUNCTION seodong_next_receipt(year bigint) RETURNS bigint"
    " LANGUAGE plpgsql AS $$"
    " DECLARE seq text := format('receipt_%s', year);"
    " BEGIN"
    "  BEGIN RETURN nextval(seq);"
    "  EXCEPTION WHEN undefined_table THEN NULL;"
    "  END;"
    "  BEGIN EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', seq);"
    "  EXCEPTION WHEN unique_violation OR duplicate_table THEN NULL;" /* made by another box */
    "  END;"
    "  RETURN nextval(seq);"
    " END$$;"
    "CREATE TABLE IF NOT EXISTS outbox(id bigserial PRIMARY KEY,"
    " event_id bigint NOT NULL UNIQUE REFERENCES timeline(id),"
    " complaint_id bigint NOT NULL REFERENCES complaints(id), template text NOT NULL,"
    " params text NOT NULL, idem_key text NOT NULL UNIQUE,"
    " state text NOT NULL DEFAULT 'pending' CHECK(state IN ('pending', 'sending', 'sent', 'dead')),"
    " attempts integer NOT NULL DEFAULT 0, next_at bigint NOT NULL,"
    " in_doubt integer NOT NULL DEFAULT 0, last_error text NOT NULL DEFAULT '',"
    " created_at bigint NOT NULL, sent_at bigint);"
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_at);"
    "CREATE TABLE IF NOT EXISTS forecasts(kind text NOT NULL, base_date text NOT NULL,"
    " base_time text NOT NULL, nx integer NOT NULL, ny integer NOT NULL, body text,"
    " fetched_at bigint, tried_at bigint NOT NULL, retry_at bigint NOT NULL,"
    " error text NOT NULL DEFAULT '', PRIMARY KEY(kind, base_date, base_time, nx, ny));"
    "CREATE TABLE IF NOT EXISTS api_keys(name text PRIMARY KEY, hash bytea NOT NULL UNIQUE,"
    " created_at bigint NOT NULL, revoked_at bigint);"
    "CREATE TABLE IF NOT EXISTS complaint_web(complaint_id bigint PRIMARY KEY"
    " REFERENCES complaints(id), public integer NOT NULL DEFAULT 0, token text UNIQUE);"
    "CREATE TABLE IF NOT EXISTS calls(id bigserial PRIMARY KEY, started_at bigint NOT NULL,"
    " ended_at bigint, caller text NOT NULL DEFAULT '', codec text NOT NULL,"
    " intents text NOT NULL DEFAULT '', result text NOT NULL DEFAULT '',"
    " receipt text NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS calls_started ON calls(started_at);"
    "CREATE TABLE IF NOT EXISTS staff_auth(login text PRIMARY KEY REFERENCES staff(login),"
    " hash text NOT NULL, failures integer NOT NULL DEFAULT 0,"
    " locked_until bigint NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS signin_stats(id integer PRIMARY KEY CHECK(id = 1),"
    " failures bigint NOT NULL);"
    "INSERT INTO signin_stats VALUES(1, 0) ON CONFLICT DO NOTHING;"
    "CREATE TABLE IF NOT EXISTS kb_office(ord bigserial PRIMARY KEY, key text NOT NULL,"
    " lang text NOT NULL, topic text NOT NULL, department text NOT NULL, title text NOT NULL,"
    " questions text NOT NULL, answer text NOT NULL, keywords text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS staff_sessions(id_hash text PRIMARY KEY,"
    " login text NOT NULL REFERENCES staff(login), csrf text NOT NULL,"
    " created_at bigint NOT NULL, seen_at bigint NOT NULL, expires_at bigint NOT NULL);"
    "CREATE INDEX IF NOT EXISTS staff_sessions_by_login ON staff_sessions(login);"
    /* schema 3 */
    "ALTER TABLE complaints ADD COLUMN IF NOT EXISTS intake_key text UNIQUE;";

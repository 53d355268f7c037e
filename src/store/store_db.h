/* store_db.h - the one face of the two databases under the store: SQLite (one file, the
 * embedded default) and PostgreSQL (one server shared by every box of an office, via libpq).
 *
 * The store's files write their SQL once, with ?N parameters, and run it through these calls;
 * a statement that the two dialects cannot share has a PostgreSQL text of its own beside it.
 * The calls follow SQLite's shape (prepare once, bind, step row by row, reset), so the SQLite
 * side is a thin pass-through. On PostgreSQL a statement is prepared by name on its connection
 * at its first step, with the types of the numbers bound then; a step runs it and keeps the
 * whole result, and each further step moves to the next row. Only the store's files include
 * this header. */
#ifndef SEODONG_STORE_DB_H
#define SEODONG_STORE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Results of db_step and db_exec: SQLite's numbers, and one of ours for a lost server. */
enum {
    DB_OK = 0,
    DB_ERROR = 1,
    DB_BUSY = 5,
    DB_NOMEM = 7,
    DB_CONSTRAINT = 19,
    DB_MISMATCH = 20,
    DB_ROW = 100,
    DB_DONE = 101,
    DB_OFFLINE = 1000 /* the PostgreSQL server cannot be reached (or the connection broke) */
};

typedef struct db_conn db_conn;
typedef struct db_stmt db_stmt;

/* A connection over an open SQLite handle, which the caller keeps and closes after db_close. */
db_conn *db_wrap_sqlite(sqlite3 *lite);

/* Connects to the PostgreSQL server of url (a libpq URL or conninfo). Returns the connection
 * (check db_online) or NULL when out of memory; err gets why it is offline. */
db_conn *db_connect_pg(const char *url, char *err, size_t errlen);

bool db_is_pg(const db_conn *c);
/* The SQLite handle of a SQLite connection, NULL on PostgreSQL. */
sqlite3 *db_sqlite(const db_conn *c);
/* True when the server answers; on a broken PostgreSQL connection this tries to connect again,
 * at most once per second, so that a dead server costs a resident one connect time-out. */
bool db_online(db_conn *c);
void db_close(db_conn *c);

/* Runs one or more statements without parameters or results (schema). Returns DB_OK or an
 * error code; db_errmsg says why. */
int db_exec(db_conn *c, const char *sql);
/* True inside a transaction (a failed one included, which must be rolled back). */
bool db_in_transaction(db_conn *c);
const char *db_errmsg(db_conn *c);

/* A statement of connection c; nothing reaches a PostgreSQL server before its first step. NULL
 * when out of memory, or when SQLite cannot compile sql. */
db_stmt *db_prepare(db_conn *c, const char *sql);
void db_finalize(db_stmt *st);

/* Parameters are numbered from 1 and keep their value until db_reset. Text and blobs are not
 * copied: they must live until the statement is reset. */
void db_bind_text(db_stmt *st, int i, const char *text);
void db_bind_int64(db_stmt *st, int i, int64_t v);
void db_bind_double(db_stmt *st, int i, double v);
void db_bind_blob(db_stmt *st, int i, const void *data, int n);

/* DB_ROW (a row to read), DB_DONE, or an error code. */
int db_step(db_stmt *st);
/* Back to the start, all parameters NULL again. */
void db_reset(db_stmt *st);
/* The SQLite statement under st (NULL on PostgreSQL): for the knowledge base, which is SQLite's
 * alone. */
sqlite3_stmt *db_sqlite_stmt(db_stmt *st);
/* Rows the last step of st inserted, updated or deleted. */
int db_changes(db_stmt *st);

/* Columns of the current row, numbered from 0. NULL reads as NULL text, 0 and 0.0; a boolean
 * of PostgreSQL reads as 1 or 0. */
const char *db_column_text(db_stmt *st, int col);
int db_column_bytes(db_stmt *st, int col);
int64_t db_column_int64(db_stmt *st, int col);
int db_column_int(db_stmt *st, int col);
double db_column_double(db_stmt *st, int col);
bool db_column_is_null(db_stmt *st, int col);

#endif

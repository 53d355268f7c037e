/* check_store.h - the store a C test opens, on either backend, so that one test suite checks
 * both: a SQLite file by default, and the PostgreSQL database named by SEODONG_TEST_DB when that
 * is set (ctest runs each store test a second time so, as NAME_pg, through seodong_pg_test in
 * CMakeLists.txt). On PostgreSQL the device's own SQLite file (the spool and the read copy of
 * the knowledge base) goes in a folder of the test's own under /tmp, named after the SQLite
 * path, so that a SQLite run and a PostgreSQL run of one test can run side by side.
 *
 *     store *s = check_store_open("test_outbox.db");   SQLite file, or PostgreSQL + local file
 *     check_store_remove("test_outbox.db");           an empty store again (both backends)
 *     check_store_count("test_outbox.db", sqlite_sql, pg_sql)   a count(*) of raw SQL
 *
 * A part that only makes sense on SQLite (a raw sqlite3 file of an old schema, WAL files) asks
 * check_store_pg() and says that it is skipped with check_store_skip(). */
#ifndef SEODONG_CHECK_STORE_H
#define SEODONG_CHECK_STORE_H

#include <errno.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "check.h"
#include "store.h"

/* The PostgreSQL URL the test runs against, or NULL for SQLite. */
static inline const char *check_store_pg(void)
{
    const char *url = getenv("SEODONG_TEST_DB");
    return url && *url ? url : NULL;
}

/* The folder of this test's local files on PostgreSQL, made on first use. */
static inline const char *check_store_dir(void)
{
    static char dir[64];
    if (!dir[0])
        snprintf(dir, sizeof dir, "/tmp/seodong-check-store-%d", (int)getpid());
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        check_fail(__FILE__, __LINE__, "cannot make %s: %s", dir, strerror(errno));
    return dir;
}

/* The device's local SQLite file for the test's database path, on PostgreSQL. */
static inline const char *check_store_local(const char *path)
{
    static char local[256];
    snprintf(local, sizeof local, "%s/%s", check_store_dir(), check_basename(path));
    return local;
}

static inline void check_store_skip(const char *what)
{
    printf("skipped on PostgreSQL: %s\n", what);
}

/* Opens the test's store: the SQLite file path, or the PostgreSQL database of SEODONG_TEST_DB
 * with its local file. NULL (a failed check, with the store's message) when it cannot. */
static inline store *check_store_open(const char *path)
{
    char err[512] = "";
    store *s = NULL;
    const char *url = check_store_pg();
    sd_code rc = url ? store_open_local(url, check_store_local(path), &s, err, sizeof err)
                     : store_open(path, &s, err, sizeof err);
    if (rc != SD_OK)
        check_fail(__FILE__, __LINE__, "cannot open the store %s: %s", url ? url : path, err);
    return rc == SD_OK ? s : NULL;
}

/* Runs sql on the PostgreSQL database; returns the result (the caller clears it) or NULL. */
static inline PGresult *check_store_pg_exec(const char *sql)
{
    PGconn *conn = PQconnectdb(check_store_pg());
    PGresult *res = NULL;
    if (PQstatus(conn) != CONNECTION_OK) {
        check_fail(__FILE__, __LINE__, "cannot connect: %s", PQerrorMessage(conn));
    } else {
        res = PQexec(conn, sql);
        ExecStatusType st = PQresultStatus(res);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            check_fail(__FILE__, __LINE__, "%s: %s", sql, PQerrorMessage(conn));
            PQclear(res);
            res = NULL;
        }
    }
    PQfinish(conn);
    return res;
}

/* Removes the store's data (the store must be closed): the SQLite file with its WAL files, or
 * on PostgreSQL every table (the store makes its schema again on the next open) and the local
 * file and its folder. */
static inline void check_store_remove(const char *path)
{
    if (!check_store_pg()) {
        check_remove_db(path);
        return;
    }
    PQclear(check_store_pg_exec(
        "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public"));
    check_remove_db(check_store_local(path));
    rmdir(check_store_dir());
}

/* The first column of the one row of a count(*) query as a number, -1 when it fails: sqlite_sql
 * on the SQLite file path, pg_sql (NULL: the same text) on PostgreSQL. */
static inline long long check_store_count(const char *path, const char *sqlite_sql,
                                          const char *pg_sql)
{
    long long n = -1;
    if (check_store_pg()) {
        PGresult *res = check_store_pg_exec(pg_sql ? pg_sql : sqlite_sql);
        if (res && PQntuples(res) == 1)
            n = atoll(PQgetvalue(res, 0, 0));
        PQclear(res);
        return n;
    }
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sqlite_sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

#endif

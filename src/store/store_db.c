/* store_db.c - SQLite and PostgreSQL behind one statement interface (see store_db.h).
 *
 * SQLite: each call passes straight through to the sqlite3_stmt.
 *
 * PostgreSQL (libpq): the SQL's ?N parameters become $N once, when the statement is made. The
 * first step prepares it on the server under a name of its own ("sd<N>"), declaring the types
 * of the parameters bound as numbers (bigint, double precision, bytea) and letting the server
 * infer the rest from the SQL; later steps only execute it. A step that executes fetches the
 * whole result in text form; the rows are then read one per step. A connection that breaks is
 * connected again on a later call, at most once per second, and its statements are prepared
 * afresh (the server forgot them). Errors keep their meaning: a serialization failure or
 * deadlock is DB_BUSY, an integrity violation DB_CONSTRAINT, a lost server DB_OFFLINE. */
#include "store_db.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PARAMS 24

/* PostgreSQL type oids of the parameters we declare (the rest are left to the server). */
#define OID_BYTEA 17
#define OID_TEXT 25
#define OID_INT8 20
#define OID_FLOAT8 701

struct db_conn {
    sqlite3 *lite;
    PGconn *pg;
    int generation;  /* grows on each new PostgreSQL connection */
    time_t last_try; /* when we last tried to connect */
    int next_name;   /* statement names on this connection */
    char errmsg[512];
};

typedef struct {
    const char *value; /* NULL for SQL NULL */
    char *owned;       /* a number or a blob written out as text (freed on reset) */
    unsigned type;     /* an oid, or 0: inferred by the server */
    char num[32];
} pg_param;

struct db_stmt {
    db_conn *conn;
    sqlite3_stmt *lite;
    /* PostgreSQL */
    char *sql;
    int sql_params; /* the highest $N in sql */
    uint32_t used;  /* bit N-1: sql names $N (a count may skip some of the page's) */
    char name[16];
    int prepared_gen; /* the connection generation it was prepared on, 0 for none */
    int nparams;
    pg_param params[MAX_PARAMS];
    PGresult *result;
    int row, nrows, changes;
};

/* ---- connections ---- */

db_conn *db_wrap_sqlite(sqlite3 *lite)
{
    db_conn *c = calloc(1, sizeof *c);
    if (c)
        c->lite = lite;
    return c;
}

static void note_pg_error(db_conn *c, const char *what)
{
    const char *msg = c->pg ? PQerrorMessage(c->pg) : "out of memory";
    snprintf(c->errmsg, sizeof c->errmsg, "%s%s", what, msg);
    size_t n = strlen(c->errmsg);
    while (n && (c->errmsg[n - 1] == '\n' || c->errmsg[n - 1] == ' '))
        c->errmsg[--n] = '\0';
}

/* Our own limits on waiting for a server: a box never hangs on a dead network. */
static PGconn *pg_connect(const char *url)
{
    const char *keys[] = {
        "dbname",           "connect_timeout",  "keepalives_idle",  "keepalives_interval",
        "keepalives_count", "tcp_user_timeout", "application_name", NULL};
    const char *vals[] = {url, "3", "5", "2", "3", "10000", "seodong", NULL};
    /* expand_dbname: the URL's own settings win over ours. */
    return PQconnectdbParams(keys, vals, 1);
}

/* The server's notices ("relation already exists, skipping") are not for residents' screens. */
static void drop_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

db_conn *db_connect_pg(const char *url, char *err, size_t errlen)
{
    db_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->last_try = time(NULL);
    c->pg = pg_connect(url);
    if (c->pg)
        PQsetNoticeProcessor(c->pg, drop_notice, NULL);
    if (c->pg && PQstatus(c->pg) == CONNECTION_OK) {
        c->generation = 1;
        PQsetClientEncoding(c->pg, "UTF8");
    } else {
        note_pg_error(c, "cannot reach the shared database: ");
        if (err)
            snprintf(err, errlen, "%s", c->errmsg);
    }
    return c;
}

bool db_is_pg(const db_conn *c)
{
    return c->lite == NULL;
}

sqlite3 *db_sqlite(const db_conn *c)
{
    return c->lite;
}

bool db_online(db_conn *c)
{
    if (c->lite)
        return true;
    if (c->pg && PQstatus(c->pg) == CONNECTION_OK)
        return true;
    time_t now = time(NULL);
    if (now == c->last_try)
        return false;
    c->last_try = now;
    if (c->pg)
        PQreset(c->pg);
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
        note_pg_error(c, "cannot reach the shared database: ");
        return false;
    }
    PQsetClientEncoding(c->pg, "UTF8");
    c->generation++;
    return true;
}

void db_close(db_conn *c)
{
    if (!c)
        return;
    if (c->pg)
        PQfinish(c->pg);
    free(c);
}

const char *db_errmsg(db_conn *c)
{
    return c->lite ? sqlite3_errmsg(c->lite) : c->errmsg;
}

/* Maps a failed PostgreSQL result (NULL: none at all) to our codes. */
static int pg_code(db_conn *c, const PGresult *r)
{
    if (PQstatus(c->pg) != CONNECTION_OK) {
        note_pg_error(c, "lost the shared database: ");
        return DB_OFFLINE;
    }
    if (!r) {
        note_pg_error(c, "");
        return DB_NOMEM;
    }
    snprintf(c->errmsg, sizeof c->errmsg, "%s", PQresultErrorMessage(r));
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (!state) /* libpq's own error, not the server's: the connection failed under it ("server
                 * closed the connection unexpectedly"), though PQstatus may not say so yet */
        return DB_OFFLINE;
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
        return DB_BUSY;
    if (!strncmp(state, "23", 2))
        return DB_CONSTRAINT;
    if (!strncmp(state, "08", 2) || !strcmp(state, "57P01") || !strcmp(state, "57P02") ||
        !strcmp(state, "57P03"))
        return DB_OFFLINE;
    return DB_ERROR;
}

int db_exec(db_conn *c, const char *sql)
{
    if (c->lite)
        return sqlite3_exec(c->lite, sql, NULL, NULL, NULL);
    if (!db_online(c))
        return DB_OFFLINE;
    PGresult *r = PQexec(c->pg, sql);
    ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    int rc = (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) ? DB_OK : pg_code(c, r);
    PQclear(r);
    return rc;
}

bool db_in_transaction(db_conn *c)
{
    if (c->lite)
        return !sqlite3_get_autocommit(c->lite);
    PGTransactionStatusType t = PQtransactionStatus(c->pg);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* ---- statements ---- */

/* sql with each ?N outside quotes written $N; *max gets the highest N, *used a bit for each. */
static char *pg_dialect(const char *sql, int *max, uint32_t *used)
{
    char *out = strdup(sql);
    bool quoted = false;
    *max = 0;
    *used = 0;
    for (char *p = out; out && *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        else if (*p == '?' && !quoted && p[1] >= '0' && p[1] <= '9') {
            *p = '$';
            int n = atoi(p + 1);
            *max = n > *max ? n : *max;
            if (n >= 1 && n <= MAX_PARAMS)
                *used |= 1u << (n - 1);
        }
    }
    return out;
}

db_stmt *db_prepare(db_conn *c, const char *sql)
{
    db_stmt *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->conn = c;
    if (c->lite) {
        if (sqlite3_prepare_v3(c->lite, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->lite, NULL) !=
            SQLITE_OK) {
            free(st);
            return NULL;
        }
        return st;
    }
    st->sql = pg_dialect(sql, &st->sql_params, &st->used);
    if (!st->sql || st->sql_params > MAX_PARAMS) {
        free(st->sql);
        free(st);
        return NULL;
    }
    snprintf(st->name, sizeof st->name, "sd%d", ++c->next_name);
    return st;
}

static void clear_params(db_stmt *st)
{
    for (int i = 0; i < st->nparams; i++) {
        free(st->params[i].owned);
        st->params[i] = (pg_param){0};
    }
    st->nparams = 0;
}

void db_reset(db_stmt *st)
{
    if (!st)
        return;
    if (st->lite) {
        sqlite3_reset(st->lite);
        sqlite3_clear_bindings(st->lite);
        return;
    }
    PQclear(st->result);
    st->result = NULL;
    st->row = -1;
    st->nrows = 0;
    clear_params(st);
}

void db_finalize(db_stmt *st)
{
    if (!st)
        return;
    if (st->lite) {
        sqlite3_finalize(st->lite);
    } else {
        db_reset(st);
        free(st->sql);
    }
    free(st);
}

/* The PostgreSQL parameter i (from 1), or NULL when out of range. */
static pg_param *param(db_stmt *st, int i)
{
    if (i < 1 || i > MAX_PARAMS)
        return NULL;
    if (i > st->nparams)
        st->nparams = i;
    return &st->params[i - 1];
}

void db_bind_text(db_stmt *st, int i, const char *text)
{
    if (st->lite) {
        sqlite3_bind_text(st->lite, i, text, -1, SQLITE_STATIC);
        return;
    }
    pg_param *p = param(st, i);
    if (p)
        p->value = text;
}

void db_bind_int64(db_stmt *st, int i, int64_t v)
{
    if (st->lite) {
        sqlite3_bind_int64(st->lite, i, v);
        return;
    }
    pg_param *p = param(st, i);
    if (p) {
        snprintf(p->num, sizeof p->num, "%lld", (long long)v);
        p->value = p->num;
        p->type = OID_INT8;
    }
}

void db_bind_double(db_stmt *st, int i, double v)
{
    if (st->lite) {
        sqlite3_bind_double(st->lite, i, v);
        return;
    }
    pg_param *p = param(st, i);
    if (p) {
        snprintf(p->num, sizeof p->num, "%.17g", v);
        p->value = p->num;
        p->type = OID_FLOAT8;
    }
}

void db_bind_blob(db_stmt *st, int i, const void *data, int n)
{
    if (st->lite) {
        sqlite3_bind_blob(st->lite, i, data, n, SQLITE_STATIC);
        return;
    }
    pg_param *p = param(st, i);
    if (!p || !(p->owned = malloc(2 * (size_t)n + 3)))
        return; /* left NULL: the statement matches nothing */
    static const char hex[] = "0123456789abcdef";
    const unsigned char *b = data;
    char *o = p->owned;
    *o++ = '\\';
    *o++ = 'x';
    for (int k = 0; k < n; k++) {
        *o++ = hex[b[k] >> 4];
        *o++ = hex[b[k] & 15];
    }
    *o = '\0';
    p->value = p->owned;
    p->type = OID_BYTEA;
}

/* Prepares st on its connection when this connection has not seen it yet. */
static int pg_prepare(db_stmt *st)
{
    db_conn *c = st->conn;
    /* Unbound parameters are NULL; binds past the SQL's own (SQLite ignores them) are dropped. */
    st->nparams = st->sql_params;
    if (st->prepared_gen == c->generation)
        return DB_OK;
    Oid types[MAX_PARAMS];
    for (int i = 0; i < st->nparams; i++) /* one the SQL never names needs a type all the same */
        types[i] = st->used & (1u << i) ? st->params[i].type : OID_TEXT;
    PGresult *r = PQprepare(c->pg, st->name, st->sql, st->nparams, types);
    int rc = r && PQresultStatus(r) == PGRES_COMMAND_OK ? DB_OK : pg_code(c, r);
    PQclear(r);
    if (rc == DB_OK)
        st->prepared_gen = c->generation;
    return rc;
}

static int pg_execute(db_stmt *st)
{
    db_conn *c = st->conn;
    /* Outside a transaction a broken connection may be made again; inside one, the
     * transaction is lost with it and the caller must start over. */
    if (!db_in_transaction(c) ? !db_online(c) : PQstatus(c->pg) != CONNECTION_OK)
        return DB_OFFLINE;
    int rc = pg_prepare(st);
    if (rc != DB_OK)
        return rc;
    const char *values[MAX_PARAMS];
    for (int i = 0; i < st->nparams; i++)
        values[i] = st->params[i].value;
    st->result = PQexecPrepared(c->pg, st->name, st->nparams, values, NULL, NULL, 0);
    ExecStatusType status = st->result ? PQresultStatus(st->result) : PGRES_FATAL_ERROR;
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        st->nrows = status == PGRES_TUPLES_OK ? PQntuples(st->result) : 0;
        st->changes = atoi(PQcmdTuples(st->result));
        st->row = -1;
        return DB_OK;
    }
    rc = pg_code(c, st->result);
    PQclear(st->result);
    st->result = NULL;
    return rc;
}

int db_step(db_stmt *st)
{
    if (st->lite) {
        int rc = sqlite3_step(st->lite);
        if (rc != SQLITE_ROW)
            st->changes = sqlite3_changes(sqlite3_db_handle(st->lite));
        return rc;
    }
    if (!st->result) {
        int rc = pg_execute(st);
        if (rc != DB_OK)
            return rc;
    }
    if (st->row + 1 < st->nrows) {
        st->row++;
        return DB_ROW;
    }
    st->row = st->nrows;
    return DB_DONE;
}

sqlite3_stmt *db_sqlite_stmt(db_stmt *st)
{
    return st ? st->lite : NULL;
}

int db_changes(db_stmt *st)
{
    if (st->lite && sqlite3_stmt_busy(st->lite)) /* a RETURNING row still being read */
        return sqlite3_changes(sqlite3_db_handle(st->lite));
    return st->changes;
}

/* The PostgreSQL value of col in the current row, NULL for NULL or no row. */
static const char *pg_value(db_stmt *st, int col)
{
    if (!st->result || st->row < 0 || st->row >= st->nrows || col < 0 ||
        col >= PQnfields(st->result) || PQgetisnull(st->result, st->row, col))
        return NULL;
    return PQgetvalue(st->result, st->row, col);
}

const char *db_column_text(db_stmt *st, int col)
{
    if (st->lite)
        return (const char *)sqlite3_column_text(st->lite, col);
    return pg_value(st, col);
}

int db_column_bytes(db_stmt *st, int col)
{
    if (st->lite)
        return sqlite3_column_bytes(st->lite, col);
    return pg_value(st, col) ? PQgetlength(st->result, st->row, col) : 0;
}

int64_t db_column_int64(db_stmt *st, int col)
{
    if (st->lite)
        return sqlite3_column_int64(st->lite, col);
    const char *v = pg_value(st, col);
    if (!v)
        return 0;
    if (v[0] == 't' || v[0] == 'f') /* a boolean */
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

int db_column_int(db_stmt *st, int col)
{
    return (int)db_column_int64(st, col);
}

double db_column_double(db_stmt *st, int col)
{
    if (st->lite)
        return sqlite3_column_double(st->lite, col);
    const char *v = pg_value(st, col);
    return v ? strtod(v, NULL) : 0.0;
}

bool db_column_is_null(db_stmt *st, int col)
{
    if (st->lite)
        return sqlite3_column_type(st->lite, col) == SQLITE_NULL;
    return pg_value(st, col) == NULL;
}

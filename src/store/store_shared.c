/* store_shared.c - the office's shared store on PostgreSQL, for an office of many boxes: every
 * speaker, phone box and web server files into and reads from one server.
 *
 * The statements are the other store files' own (store_db.h runs them on either database);
 * this file adds what only a shared store needs:
 *
 *   - Opening: the schema (store_pg_schema.c) is made or checked under an advisory lock.
 *   - The device's own SQLite file ("local"), a whole SQLite store of its own, holds two things.
 *     A read copy of the knowledge base: the office edits kb_office on the server, which
 *     counts its versions; a box copies it when the version moves, so a question is searched
 *     locally (FTS5, as fast as on one box) and never waits on the network. And the spool.
 *   - The spool: a filing is first tried on the server under a fresh spool code. When the
 *     server cannot be reached, the filing goes into the local file instead and the resident
 *     gets the code. Forwarding files it on the server under the same code; the code is unique
 *     there, so a filing whose first try did reach the server (its answer lost with the
 *     connection) is found, not filed twice. Forwarded rows keep only code and receipt.
 *   - A background thread, on a connection of its own, forwards the spool and refreshes the
 *     knowledge base every few seconds; store_spool_forward does the same at once.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

#include "store_internal.h"

/* How often the background thread looks for the server, the spool and the KB's version. */
#define SYNC_INTERVAL_S 3

/* A key for pg_advisory_xact_lock: boxes starting together make the schema one at a time. */
#define SCHEMA_LOCK 0x5e0d0019

struct store_shared {
    char *url;
    pthread_t thread;
    bool running;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    bool stop;
    store *sync; /* the thread's own connection */
    /* One forwarder at a time: the thread and store_spool_forward (a status question) would
     * otherwise both find a row unforwarded and both file it. */
    pthread_mutex_t forwarding;
};

static const char *const local_schema =
    "CREATE TABLE IF NOT EXISTS shared_state(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS spool(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    " category TEXT NOT NULL, place TEXT, detail TEXT NOT NULL, phone TEXT, lang TEXT,"
    " channel TEXT, filed_at INTEGER NOT NULL, due_at INTEGER NOT NULL, public INTEGER NOT NULL,"
    " token TEXT, located INTEGER NOT NULL, lat REAL, lon REAL, department TEXT, site TEXT,"
    " key TEXT NOT NULL UNIQUE, receipt TEXT, forwarded_at INTEGER);";

enum {
    ST_KB_VERSION,
    ST_KB_ROWS,
    ST_KB_LOCK,
    ST_KB_CLEAR,
    ST_KB_ADD,
    ST_KB_BUMP,
    ST_BY_CODE,
    ST_BY_KEY,
    ST_SET_CODE,
    SHARED_STMTS
};
_Static_assert((int)SHARED_STMTS <= (int)STORE_SLOTS - (int)STORE_SLOTS_SHARED,
               "shared statements overflow their slots");

static const char *const shared_sql[SHARED_STMTS] = {
    [ST_KB_VERSION] = "SELECT value FROM seodong_meta WHERE key = 'kb_version'",
    [ST_KB_ROWS] = "SELECT key, lang, topic, department, title, questions, answer, keywords"
                   " FROM kb_office ORDER BY ord",
    /* Boxes that start together each seed the office's copy: one replace at a time, or two
     * clear-and-insert transactions collide and a box fails to start. */
    [ST_KB_LOCK] = "SELECT pg_advisory_xact_lock(1577910304)", /* 0x5e0d0020 */
    [ST_KB_CLEAR] = "DELETE FROM kb_office",
    [ST_KB_ADD] = "INSERT INTO kb_office(key, lang, topic, department, title, questions, answer,"
                  " keywords) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_KB_BUMP] = "UPDATE seodong_meta SET value = (value::bigint + 1)::text"
                   " WHERE key = 'kb_version'",
    [ST_BY_CODE] = "SELECT receipt FROM complaints WHERE spool_code = ?1",
    [ST_BY_KEY] = "SELECT receipt FROM complaints WHERE intake_key = ?1",
    /* A first try that reached the server before it went away has no spool code yet. */
    [ST_SET_CODE] = "UPDATE complaints SET spool_code = ?2 WHERE intake_key = ?1"
                    " AND spool_code IS NULL",
};

static db_stmt *stmt(store *s, int id)
{
    return store_stmt(s, STORE_SLOTS_SHARED + id, shared_sql[id]);
}

bool store_is_spool_code(const char *receipt)
{
    return receipt && receipt[0] == 'Q' && receipt[1] == '-';
}

/* ---- opening ---- */

/* A store on a new connection to url (offline when the server does not answer). */
static store *connect_pg(const char *url, char *err, size_t errlen)
{
    store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_mutex_init(&s->lock, NULL);
    s->conn = db_connect_pg(url, err, errlen);
    if (!s->conn) {
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    return s;
}

/* The schema version the server's tables were made for, 0 for none; -1 on error. */
static int server_schema_version(db_conn *c)
{
    db_stmt *st = db_prepare(c, "SELECT to_regclass('seodong_meta') IS NOT NULL");
    int version = st && db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    if (version != 1)
        return version;
    st = db_prepare(c, "SELECT value::int FROM seodong_meta WHERE key = 'schema_version'");
    version = st && db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    return version;
}

/* Creates what is missing on the server, in one transaction under the schema lock. */
static sd_code make_schema(store *s, const char *url, char *err, size_t errlen)
{
    char lock[96], stamp[160];
    snprintf(lock, sizeof lock, "BEGIN; SELECT pg_advisory_xact_lock(%d)", SCHEMA_LOCK);
    snprintf(stamp, sizeof stamp,
             "INSERT INTO seodong_meta VALUES('schema_version', '%d')"
             " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
             store_pg_schema_version);
    int rc = db_exec(s->conn, lock);
    int version = rc == DB_OK ? server_schema_version(s->conn) : -1;
    if (rc == DB_OK && version > store_pg_schema_version) {
        db_exec(s->conn, "ROLLBACK");
        snprintf(err, errlen,
                 "the shared database %s was made by a newer Seodong (schema %d, this one knows "
                 "%d); it is left unchanged: use that version",
                 url, version, store_pg_schema_version);
        return SD_ERR_DB;
    }
    if (rc == DB_OK && version < 0)
        rc = DB_ERROR;
    if (rc == DB_OK && version == store_pg_schema_version) /* nothing to do */
        return db_exec(s->conn, "COMMIT") == DB_OK ? SD_OK : SD_ERR_DB;
    if (rc == DB_OK) /* new or older: the script is idempotent and brings either up to date */
        rc = db_exec(s->conn, store_pg_schema);
    if (rc == DB_OK)
        rc = db_exec(s->conn, stamp);
    if (rc == DB_OK)
        rc = db_exec(s->conn, "COMMIT");
    if (rc == DB_OK)
        return SD_OK;
    snprintf(err, errlen, "cannot set up the shared database %s: %s", url, db_errmsg(s->conn));
    db_exec(s->conn, "ROLLBACK");
    return rc == DB_OFFLINE ? SD_ERR_OFFLINE : SD_ERR_DB;
}

static void *sync_loop(void *arg);

sd_code store_shared_open(const char *url, const char *local, store **out, char *err, size_t errlen)
{
    store *lo = NULL;
    sd_code rc = store_open_local(local, NULL, &lo, err, errlen);
    if (rc == SD_OK && sqlite3_exec(lo->db, local_schema, NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot prepare the local file %s: %s", local,
                 sqlite3_errmsg(lo->db));
        rc = SD_ERR_DB;
    }
    char why[256] = "";
    store *s = rc == SD_OK ? connect_pg(url, why, sizeof why) : NULL;
    struct store_shared *sh = s ? calloc(1, sizeof *sh) : NULL;
    if (rc == SD_OK && (!sh || !(sh->url = strdup(url))))
        rc = SD_ERR_NOMEM;
    if (s) {
        s->local = lo;
        s->shared = sh;
        lo = NULL;
    }
    if (rc == SD_OK && db_online(s->conn)) {
        rc = make_schema(s, url, err, errlen);
        if (rc == SD_ERR_OFFLINE) /* lost on the way: open offline all the same */
            rc = SD_OK;
        if (rc == SD_OK)
            store_kb_refresh(s);
    }
    if (rc == SD_OK) {
        pthread_mutex_init(&sh->mu, NULL);
        pthread_mutex_init(&sh->forwarding, NULL);
        pthread_cond_init(&sh->wake, NULL);
        sh->sync = connect_pg(url, why, sizeof why);
        sh->running = sh->sync && pthread_create(&sh->thread, NULL, sync_loop, s) == 0;
        if (!sh->running)
            rc = SD_ERR_NOMEM;
    }
    if (rc != SD_OK) {
        store_close(lo);
        store_close(s);
        return rc;
    }
    *out = s;
    return SD_OK;
}

store *store_shared_reader(store *s, char *err, size_t errlen)
{
    return connect_pg(s->shared->url, err, errlen);
}

void store_shared_close(store *s)
{
    struct store_shared *sh = s->shared;
    if (sh) {
        if (sh->running) {
            pthread_mutex_lock(&sh->mu);
            sh->stop = true;
            pthread_cond_signal(&sh->wake);
            pthread_mutex_unlock(&sh->mu);
            pthread_join(sh->thread, NULL);
            pthread_mutex_destroy(&sh->mu);
            pthread_mutex_destroy(&sh->forwarding);
            pthread_cond_destroy(&sh->wake);
        }
        store_close(sh->sync);
        free(sh->url);
        free(sh);
        s->shared = NULL;
    }
    store_close(s->local);
    s->local = NULL;
}

bool store_online(store *s)
{
    pthread_mutex_lock(&s->lock);
    bool online = db_online(s->conn);
    pthread_mutex_unlock(&s->lock);
    return online;
}

/* ---- the local file ---- */

/* Statements on the device's own file (a SQLite store of its own, with its statement cache). */
enum {
    LO_STATE_GET,
    LO_STATE_PUT,
    LO_SPOOL_PUT,
    LO_SPOOL_NEXT,
    LO_SPOOL_MARK,
    LO_SPOOL_COUNT,
    LO_SPOOL_WAITING,
    LOCAL_STMTS
};
_Static_assert((int)LOCAL_STMTS <= (int)STORE_SLOTS - (int)STORE_SLOTS_LOCAL,
               "local statements overflow their slots");

#define SPOOL_COLUMNS                                                                              \
    "code, category, place, detail, phone, lang, channel, filed_at, due_at, public, token,"        \
    " located, lat, lon, department, site, key"

static const char *const local_sql[LOCAL_STMTS] = {
    [LO_STATE_GET] = "SELECT value FROM shared_state WHERE key = ?1",
    [LO_STATE_PUT] = "INSERT INTO shared_state VALUES(?1, ?2)"
                     " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [LO_SPOOL_PUT] = "INSERT INTO spool(" SPOOL_COLUMNS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                     " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    [LO_SPOOL_NEXT] = "SELECT id, " SPOOL_COLUMNS " FROM spool WHERE receipt IS NULL AND id > ?1"
                      " ORDER BY id LIMIT 1",
    /* Forwarded: the content is the server's now; the code and its receipt stay. */
    [LO_SPOOL_MARK] = "UPDATE spool SET receipt = ?2, forwarded_at = strftime('%s', 'now'),"
                      " phone = NULL, detail = '', place = NULL WHERE id = ?1",
    [LO_SPOOL_COUNT] = "SELECT count(*) FROM spool WHERE receipt IS NULL",
    [LO_SPOOL_WAITING] = "SELECT id, " SPOOL_COLUMNS " FROM spool WHERE code = ?1"
                         " AND receipt IS NULL",
};

/* Local statement id on lo, with lo's lock taken (the caller releases it). */
static db_stmt *local_stmt(store *lo, int id)
{
    pthread_mutex_lock(&lo->lock);
    return store_stmt(lo, STORE_SLOTS_LOCAL + id, local_sql[id]);
}

/* The local value of key into out ("" when none). */
static void local_state(store *lo, const char *key, char *out, size_t size)
{
    db_stmt *st = local_stmt(lo, LO_STATE_GET);
    out[0] = '\0';
    if (st)
        db_bind_text(st, 1, key);
    if (store_step_row(st) == SD_OK)
        store_copy_text(out, size, st, 0);
    if (st)
        db_reset(st);
    pthread_mutex_unlock(&lo->lock);
}

static sd_code set_local_state(store *lo, const char *key, const char *value)
{
    db_stmt *st = local_stmt(lo, LO_STATE_PUT);
    if (st) {
        db_bind_text(st, 1, key);
        db_bind_text(st, 2, value);
    }
    sd_code rc = store_step_done(st);
    pthread_mutex_unlock(&lo->lock);
    return rc;
}

/* ---- the knowledge base's copy ---- */

typedef struct {
    store_kb_entry *rows;
    size_t n, cap;
} kb_rows;

static void free_rows(kb_rows *k)
{
    for (size_t i = 0; i < k->n; i++) {
        const char **f = (const char **)&k->rows[i];
        for (size_t j = 0; j < sizeof k->rows[i] / sizeof *f; j++)
            free((char *)f[j]);
    }
    free(k->rows);
}

/* Reads the office's copy (the caller holds p's lock). */
static sd_code read_office_kb(store *p, kb_rows *k)
{
    db_stmt *st = stmt(p, ST_KB_ROWS);
    if (!st)
        return SD_ERR_DB;
    int step;
    sd_code rc = SD_OK;
    while (rc == SD_OK && (step = db_step(st)) == DB_ROW) {
        if (k->n == k->cap) {
            size_t cap = k->cap ? 2 * k->cap : 256;
            store_kb_entry *rows = realloc(k->rows, cap * sizeof *rows);
            if (!rows) {
                rc = SD_ERR_NOMEM;
                break;
            }
            k->rows = rows;
            k->cap = cap;
        }
        const char **f = (const char **)&k->rows[k->n];
        for (int j = 0; j < 8; j++)
            f[j] = strdup(db_column_text(st, j) ? db_column_text(st, j) : "");
        k->n++;
    }
    if (rc == SD_OK && step != DB_DONE)
        rc = store_db_code(step);
    db_reset(st);
    return rc;
}

/* The office's KB version on p's server into out. Caller holds p's lock. */
static sd_code office_kb_version(store *p, char *out, size_t size)
{
    db_stmt *st = stmt(p, ST_KB_VERSION);
    sd_code rc = store_step_row(st);
    if (rc == SD_OK)
        snprintf(out, size, "%s", db_column_text(st, 0));
    if (st)
        db_reset(st);
    return rc;
}

/* Copies the office's KB into local when its version moved; p is the connection to use. */
static sd_code refresh_kb(store *p, store *local)
{
    char office[32] = "", mine[32];
    pthread_mutex_lock(&p->lock);
    sd_code rc = office_kb_version(p, office, sizeof office);
    local_state(local, "kb_version", mine, sizeof mine);
    kb_rows k = {0};
    bool changed = rc == SD_OK && strcmp(office, mine) != 0;
    if (changed) {
        bool txn = store_begin_read(p); /* the rows of that version, not of a newer one */
        rc = office_kb_version(p, office, sizeof office);
        if (rc == SD_OK)
            rc = read_office_kb(p, &k);
        if (txn)
            store_end_read(p);
    }
    pthread_mutex_unlock(&p->lock);
    /* An office that never imported a KB keeps the box's own (the bundled one). */
    if (changed && rc == SD_OK && (k.n > 0 || strcmp(office, "0") != 0))
        rc = store_kb_replace(local, k.rows, k.n);
    if (changed && rc == SD_OK)
        rc = set_local_state(local, "kb_version", office);
    free_rows(&k);
    return rc;
}

sd_code store_kb_refresh(store *s)
{
    return s->local ? refresh_kb(s, s->local) : SD_OK;
}

sd_code store_shared_kb_replace(store *s, const store_kb_entry *entries, size_t n)
{
    sd_code rc = store_begin(s);
    if (rc != SD_OK)
        return rc;
    db_stmt *lock = stmt(s, ST_KB_LOCK);
    rc = store_step_row(lock);
    if (lock)
        db_reset(lock);
    if (rc == SD_OK)
        rc = store_step_done(stmt(s, ST_KB_CLEAR));
    for (size_t i = 0; rc == SD_OK && i < n; i++) {
        db_stmt *st = stmt(s, ST_KB_ADD);
        const char *const f[] = {entries[i].key,        entries[i].lang,    entries[i].topic,
                                 entries[i].department, entries[i].title,   entries[i].questions,
                                 entries[i].answer,     entries[i].keywords};
        for (int j = 0; st && j < 8; j++)
            db_bind_text(st, j + 1, f[j] ? f[j] : "");
        rc = store_step_done(st);
    }
    if (rc == SD_OK)
        rc = store_step_done(stmt(s, ST_KB_BUMP));
    rc = store_finish(s, rc);
    return rc == SD_OK ? refresh_kb(s, s->local) : rc;
}

/* ---- the spool ---- */

/* n random bytes into out; false when the system has none to give. */
static bool random_bytes(void *out, size_t n)
{
    return getrandom(out, n, 0) == (ssize_t)n;
}

/* A fresh spool code: "Q-" and ten digits, read out and typed on a keypad easily, and many
 * enough that the spools of every box of an office do not draw one twice. */
static sd_code make_code(char code[16])
{
    uint64_t r;
    if (!random_bytes(&r, sizeof r))
        return SD_ERR_IO;
    r %= 10000000000u;
    snprintf(code, 16, "Q-%05u-%05u", (unsigned)(r / 100000u), (unsigned)(r % 100000u));
    return SD_OK;
}

/* A filing's intake key: 128 random bits in hex, unique on the server (complaints.intake_key). */
static sd_code make_key(char key[33])
{
    unsigned char b[16];
    if (!random_bytes(b, sizeof b))
        return SD_ERR_IO;
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(key + 2 * i, 3, "%02x", b[i]);
    return SD_OK;
}

static sd_code spool_put(store *lo, const store_new_complaint *c, const char *key, const char *code)
{
    db_stmt *st = local_stmt(lo, LO_SPOOL_PUT);
    if (st) {
        db_bind_text(st, 1, code);
        db_bind_text(st, 2, c->category);
        store_bind_opt(st, 3, c->place);
        db_bind_text(st, 4, c->detail);
        store_bind_opt(st, 5, c->phone);
        store_bind_opt(st, 6, c->lang);
        store_bind_opt(st, 7, c->channel);
        db_bind_int64(st, 8, (int64_t)c->filed_at);
        db_bind_int64(st, 9, (int64_t)c->due_at);
        db_bind_int64(st, 10, c->public);
        store_bind_opt(st, 11, c->token);
        db_bind_int64(st, 12, c->located);
        db_bind_double(st, 13, c->lat);
        db_bind_double(st, 14, c->lon);
        store_bind_opt(st, 15, c->department);
        store_bind_opt(st, 16, c->site);
        db_bind_text(st, 17, key);
    }
    sd_code rc = store_step_done(st);
    pthread_mutex_unlock(&lo->lock);
    return rc;
}

sd_code store_shared_file(store *s, const store_new_complaint *c, char receipt[32])
{
    char key[33], code[16];
    sd_code rc = make_key(key);
    if (rc == SD_OK)
        rc = store_complaint_file_coded(s, c, key, NULL, receipt);
    if (rc != SD_ERR_OFFLINE) /* filed, or refused for a reason a spool would not mend */
        return rc;
    rc = make_code(code);
    if (rc == SD_OK)
        rc = spool_put(s->local, c, key, code);
    if (rc == SD_OK)
        snprintf(receipt, 32, "%s", code);
    return rc;
}

/* The receipt of the filing the server has under text (a spool code for ST_BY_CODE, an intake
 * key for ST_BY_KEY). Caller: no lock. */
static sd_code find_filing(store *p, int by, const char *text, char receipt[32])
{
    pthread_mutex_lock(&p->lock);
    db_stmt *st = stmt(p, by);
    if (st)
        db_bind_text(st, 1, text);
    sd_code rc = store_step_row(st);
    if (rc == SD_OK)
        store_copy_text(receipt, 32, st, 0);
    if (st)
        db_reset(st);
    pthread_mutex_unlock(&p->lock);
    return rc;
}

/* Gives the filing of key, which reached the server on its first try, the code its resident
 * was given when the answer did not come back. */
static sd_code set_code(store *p, const char *key, const char *code)
{
    pthread_mutex_lock(&p->lock);
    db_stmt *st = stmt(p, ST_SET_CODE);
    if (st) {
        db_bind_text(st, 1, key);
        db_bind_text(st, 2, code);
    }
    sd_code rc = store_step_done(st);
    pthread_mutex_unlock(&p->lock);
    return rc;
}

/* One spooled filing, as read back from the local file. */
typedef struct {
    long id;
    char code[16], category[32], place[128], detail[512], phone[24], lang[4], channel[16];
    char token[64], department[32], site[128], key[40];
    store_new_complaint c;
} spooled;

/* Fills f from a row of LO_SPOOL_NEXT or LO_SPOOL_WAITING: id, then SPOOL_COLUMNS. */
static void read_spooled(db_stmt *st, spooled *f)
{
    memset(f, 0, sizeof *f);
    f->id = (long)db_column_int64(st, 0);
    store_copy_text(f->code, sizeof f->code, st, 1);
    store_copy_text(f->category, sizeof f->category, st, 2);
    store_copy_text(f->place, sizeof f->place, st, 3);
    store_copy_text(f->detail, sizeof f->detail, st, 4);
    store_copy_text(f->phone, sizeof f->phone, st, 5);
    store_copy_text(f->lang, sizeof f->lang, st, 6);
    store_copy_text(f->channel, sizeof f->channel, st, 7);
    store_copy_text(f->token, sizeof f->token, st, 11);
    store_copy_text(f->department, sizeof f->department, st, 15);
    store_copy_text(f->site, sizeof f->site, st, 16);
    store_copy_text(f->key, sizeof f->key, st, 17);
    f->c = (store_new_complaint){
        .category = f->category,
        .place = f->place,
        .detail = f->detail,
        .phone = f->phone[0] ? f->phone : NULL,
        .lang = f->lang[0] ? f->lang : NULL,
        .channel = f->channel[0] ? f->channel : NULL,
        .filed_at = (time_t)db_column_int64(st, 8),
        .due_at = (time_t)db_column_int64(st, 9),
        .public = db_column_int(st, 10) != 0,
        .token = f->token[0] ? f->token : NULL,
        .located = db_column_int(st, 12) != 0,
        .lat = db_column_double(st, 13),
        .lon = db_column_double(st, 14),
        .department = f->department[0] ? f->department : NULL,
        .site = f->site[0] ? f->site : NULL,
    };
}

/* The spooled filing statement id finds with text (LO_SPOOL_WAITING) or after id (LO_SPOOL_NEXT)
 * into f. Returns SD_OK, SD_ERR_NOT_FOUND or the database's error. */
static sd_code find_spooled(store *lo, int id, const char *text, long after, spooled *f)
{
    db_stmt *st = local_stmt(lo, id);
    if (st && text)
        db_bind_text(st, 1, text);
    else if (st)
        db_bind_int64(st, 1, after);
    sd_code rc = store_step_row(st);
    if (rc == SD_OK)
        read_spooled(st, f);
    if (st)
        db_reset(st);
    pthread_mutex_unlock(&lo->lock);
    return rc;
}

/* Records that spooled row id arrived as receipt. */
static sd_code mark_forwarded(store *lo, long id, const char *receipt)
{
    db_stmt *st = local_stmt(lo, LO_SPOOL_MARK);
    if (st) {
        db_bind_int64(st, 1, id);
        db_bind_text(st, 2, receipt);
    }
    sd_code rc = store_step_done(st);
    pthread_mutex_unlock(&lo->lock);
    return rc;
}

/* Files one spooled filing on p's server exactly once: its intake key finds it when its first
 * try, or another forwarder, got there before. */
static sd_code forward_one(store *p, store *lo, spooled *f)
{
    char receipt[32] = "";
    sd_code rc = find_filing(p, ST_BY_KEY, f->key, receipt);
    if (rc == SD_OK)
        rc = set_code(p, f->key, f->code);
    else if (rc == SD_ERR_NOT_FOUND) {
        rc = store_complaint_file_coded(p, &f->c, f->key, f->code, receipt);
        if (rc == SD_ERR_DB) /* the key is there after all: another forwarder was quicker */
            rc = find_filing(p, ST_BY_KEY, f->key, receipt);
    }
    return rc == SD_OK ? mark_forwarded(lo, f->id, receipt) : rc;
}

static sd_code forward_spool(struct store_shared *sh, store *p, store *lo, int *sent)
{
    spooled f;
    long after = 0;
    sd_code rc;
    pthread_mutex_lock(&sh->forwarding);
    while ((rc = find_spooled(lo, LO_SPOOL_NEXT, NULL, after, &f)) == SD_OK) {
        after = f.id;
        rc = forward_one(p, lo, &f);
        if (rc == SD_ERR_OFFLINE)
            break;
        if (rc == SD_OK && sent)
            (*sent)++;
        /* Any other failure leaves the row for the next round; the rest go on. */
    }
    pthread_mutex_unlock(&sh->forwarding);
    return rc == SD_ERR_NOT_FOUND ? SD_OK : rc;
}

sd_code store_spool_forward(store *s, int *sent)
{
    if (sent)
        *sent = 0;
    return s->local && s->shared ? forward_spool(s->shared, s, s->local, sent) : SD_OK;
}

int store_spool_count(store *s)
{
    if (!s->local)
        return 0;
    int n = store_count_locked(local_stmt(s->local, LO_SPOOL_COUNT));
    pthread_mutex_unlock(&s->local->lock);
    return n;
}

/* The view of spooled filing f as store_complaint_get gives it: its code, state "spooled". */
static void spooled_view(const spooled *f, store_complaint *out)
{
    snprintf(out->receipt, sizeof out->receipt, "%s", f->code);
    snprintf(out->category, sizeof out->category, "%s", f->category);
    snprintf(out->place, sizeof out->place, "%s", f->place);
    snprintf(out->detail, sizeof out->detail, "%s", f->detail);
    snprintf(out->state, sizeof out->state, "spooled");
    snprintf(out->lang, sizeof out->lang, "%s", f->lang);
    snprintf(out->channel, sizeof out->channel, "%s", f->channel);
    snprintf(out->site, sizeof out->site, "%s", f->site);
    size_t n = strlen(f->phone);
    snprintf(out->phone_last4, sizeof out->phone_last4, "%.4s",
             n > 4 ? f->phone + n - 4 : f->phone);
    out->filed_at = f->c.filed_at;
    out->due_at = f->c.due_at;
}

sd_code store_shared_receipt_of(store *s, const char *code, char receipt[32])
{
    sd_code rc = forward_spool(s->shared, s, s->local, NULL);
    return rc == SD_ERR_OFFLINE ? rc : find_filing(s, ST_BY_CODE, code, receipt);
}

sd_code store_shared_get_spooled(store *s, const char *code, store_complaint *out,
                                 store_department *dept, store_event *events, size_t max_events,
                                 size_t *nevents)
{
    memset(out, 0, sizeof *out);
    *nevents = 0;
    char receipt[32] = "";
    sd_code rc = store_shared_receipt_of(s, code, receipt);
    if (rc == SD_OK)
        return store_complaint_get(s, receipt, out, dept, events, max_events, nevents);
    if (rc != SD_ERR_OFFLINE && rc != SD_ERR_NOT_FOUND)
        return rc;
    spooled f;
    if (find_spooled(s->local, LO_SPOOL_WAITING, code, 0, &f) != SD_OK)
        return rc; /* not waiting here: offline, or no such filing */
    spooled_view(&f, out);
    return SD_ERR_OFFLINE; /* out says what waits here */
}

/* ---- the background thread ---- */

static void *sync_loop(void *arg)
{
    store *s = arg;
    struct store_shared *sh = s->shared;
    pthread_mutex_lock(&sh->mu);
    while (!sh->stop) {
        pthread_mutex_unlock(&sh->mu);
        if (store_spool_count(s) > 0)
            forward_spool(sh, sh->sync, s->local, NULL);
        refresh_kb(sh->sync, s->local);
        pthread_mutex_lock(&sh->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += SYNC_INTERVAL_S;
        while (!sh->stop && pthread_cond_timedwait(&sh->wake, &sh->mu, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&sh->mu);
    return NULL;
}

/* store.c - the SQLite store behind store.h.
 *
 * One connection per store, guarded by a mutex: every public function takes the lock, runs one
 * short transaction with cached prepared statements and releases it. The database runs in WAL
 * mode with synchronous=FULL, so a filed complaint survives a crash or power cut the moment its
 * receipt number is given. Timelines are append-only: triggers refuse UPDATE and DELETE.
 *
 * Knowledge-base search uses FTS5 with the "seodong" tokenizer (Hangul bigrams, stemmed English)
 * and an fts5vocab table for term frequencies. Ranking every row that shares a common term is
 * what makes FTS slow at scale, so the query uses only the query's rarest terms to find
 * candidates, then picks the candidate that covers most of the query's weight. */
#include "store.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entities.h"
#include "kbtok.h"
#include "strbuf.h"

#define SCHEMA_VERSION 1
/* The rarest query terms an entry must share with the question to be a candidate. */
#define KB_CANDIDATE_TERMS 4
/* Candidate terms are taken rarest first while their documents add up to at most this many:
 * each matching entry costs a doclist step and a weighing (0.3-0.4 us), so a search stays near
 * 1 ms even at 100k entries. Questions made only of commoner terms must hold them all. Measured
 * (scripts/bench.sh): 3000 gives p99 1.3 ms and ranks the source entry of an altered question
 * first 71% of the time at 100k entries; 10000 gives 74% at p99 5 ms. */
#define KB_CANDIDATE_DOCS 3000
#define KB_CANDIDATES 12
#define KB_MAX_QUERY_TERMS 48

static const char *const schema =
    "CREATE TABLE IF NOT EXISTS departments(code TEXT PRIMARY KEY, name_ko TEXT NOT NULL,"
    " name_en TEXT NOT NULL, phone TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS categories(code TEXT PRIMARY KEY, department TEXT NOT NULL"
    " REFERENCES departments(code), complaint_type TEXT NOT NULL, name_ko TEXT NOT NULL,"
    " name_en TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS kb(id INTEGER PRIMARY KEY, key TEXT NOT NULL, lang TEXT NOT NULL,"
    " topic TEXT NOT NULL, department TEXT NOT NULL, title TEXT NOT NULL, questions TEXT NOT NULL,"
    " answer TEXT NOT NULL, keywords TEXT NOT NULL, UNIQUE(key, lang));"
    "CREATE VIRTUAL TABLE IF NOT EXISTS kb_fts USING fts5(title, questions, keywords,"
    " content='kb', content_rowid='id', tokenize='seodong');"
    "CREATE VIRTUAL TABLE IF NOT EXISTS kb_vocab USING fts5vocab(kb_fts, 'row');"
    "CREATE TABLE IF NOT EXISTS kb_info(id INTEGER PRIMARY KEY CHECK(id = 1),"
    " entries INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS kb_terms(term TEXT PRIMARY KEY, docs INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS receipt_counter(year INTEGER PRIMARY KEY, last INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS complaints(id INTEGER PRIMARY KEY, receipt TEXT NOT NULL UNIQUE,"
    " category TEXT NOT NULL REFERENCES categories(code), place TEXT, detail TEXT NOT NULL,"
    " phone TEXT, lang TEXT NOT NULL, channel TEXT NOT NULL, complaint_type TEXT NOT NULL,"
    " department TEXT NOT NULL, state TEXT NOT NULL, filed_at INTEGER NOT NULL,"
    " due_at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS timeline(id INTEGER PRIMARY KEY, complaint_id INTEGER NOT NULL"
    " REFERENCES complaints(id), at INTEGER NOT NULL, state TEXT NOT NULL, actor TEXT NOT NULL,"
    " department TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS timeline_by_complaint ON timeline(complaint_id, id);"
    "CREATE TRIGGER IF NOT EXISTS timeline_append_only_u BEFORE UPDATE ON timeline"
    " BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS timeline_append_only_d BEFORE DELETE ON timeline"
    " BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;";

enum stmt_id {
    ST_BEGIN,
    ST_BEGIN_READ,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_DEPT_PUT,
    ST_DEPT_GET,
    ST_CAT_PUT,
    ST_CAT_GET,
    ST_CAT_COUNT,
    ST_VOCAB_DOC,
    ST_KB_COUNT,
    ST_KB_CANDIDATES,
    ST_KB_ALL_TERMS,
    ST_KB_ENTRY,
    ST_COUNTER_NEXT,
    ST_COMPLAINT_INSERT,
    ST_EVENT_INSERT,
    ST_COMPLAINT_GET,
    ST_EVENTS_GET,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    /* A search runs several statements: one read transaction takes the file locks once. */
    [ST_BEGIN_READ] = "BEGIN DEFERRED",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_DEPT_PUT] = "INSERT INTO departments(code, name_ko, name_en, phone) VALUES(?1,?2,?3,?4)"
                    " ON CONFLICT(code) DO UPDATE SET name_ko=?2, name_en=?3, phone=?4",
    [ST_DEPT_GET] = "SELECT name_ko, name_en, phone FROM departments WHERE code=?1",
    [ST_CAT_PUT] = "INSERT INTO categories(code, department, complaint_type, name_ko, name_en)"
                   " VALUES(?1,?2,?3,?4,?5) ON CONFLICT(code) DO UPDATE SET department=?2,"
                   " complaint_type=?3, name_ko=?4, name_en=?5",
    [ST_CAT_GET] = "SELECT department, complaint_type, name_ko, name_en FROM categories"
                   " WHERE code=?1",
    [ST_CAT_COUNT] = "SELECT count(*) FROM categories",
    /* fts5vocab counts a term's documents by walking its doclist on every call (4 ms for a
     * common term at 100k entries): the import stores the counts in kb_terms instead. */
    [ST_VOCAB_DOC] = "SELECT docs FROM kb_terms WHERE term=?1",
    /* count(*) walks the whole table; the count kept beside it costs one row. */
    [ST_KB_COUNT] = "SELECT ifnull((SELECT entries FROM kb_info), (SELECT count(*) FROM kb))",
    /* Entries holding any rare term, ranked by the weight of the terms they hold (seodong_weight,
     * kbtok.c): bm25 would read each entry's length from a side table, 3 us a row. Ranked in a
     * subquery on kb_fts alone, where FTS5 sorts fastest. Only the winner's answer is read. */
    [ST_KB_CANDIDATES] =
        "SELECT kb.id, kb.title || ' ' || kb.questions || ' ' || kb.keywords"
        " FROM (SELECT rowid AS hit,"
        "         seodong_weight(kb_fts, ?4, ?5, ?6, ?7) AS weight"
        "       FROM kb_fts WHERE kb_fts MATCH ?1 ORDER BY weight DESC LIMIT ?3 * 2)"
        " JOIN kb ON kb.id = hit WHERE kb.lang = ?2 ORDER BY weight DESC LIMIT ?3",
    /* Entries holding every term: the first few suffice, ranking them would walk them all. */
    [ST_KB_ALL_TERMS] = "SELECT kb.id, kb.title || ' ' || kb.questions || ' ' || kb.keywords"
                        " FROM (SELECT rowid AS hit FROM kb_fts WHERE kb_fts MATCH ?1 LIMIT ?3 * 2)"
                        " JOIN kb ON kb.id = hit WHERE kb.lang = ?2 LIMIT ?3",
    [ST_KB_ENTRY] = "SELECT key, topic, department, title, answer FROM kb WHERE id = ?1",
    [ST_COUNTER_NEXT] = "INSERT INTO receipt_counter(year, last) VALUES(?1, 1)"
                        " ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last",
    [ST_COMPLAINT_INSERT] =
        "INSERT INTO complaints(receipt, category, place, detail, phone, lang, channel,"
        " complaint_type, department, state, filed_at, due_at)"
        " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, complaint_type, department, 'received', ?8, ?9"
        " FROM categories WHERE code = ?2 RETURNING id, department",
    [ST_EVENT_INSERT] = "INSERT INTO timeline(complaint_id, at, state, actor, department, note)"
                        " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_COMPLAINT_GET] = "SELECT id, category, ifnull(place,''), state, department,"
                         " substr(ifnull(phone,''), -4), lang, filed_at, due_at"
                         " FROM complaints WHERE receipt=?1",
    [ST_EVENTS_GET] = "SELECT at, state, actor, department, note FROM timeline"
                      " WHERE complaint_id=?1 ORDER BY id LIMIT ?2",
};

struct store {
    sqlite3 *db;
    pthread_mutex_t lock;
    sqlite3_stmt *stmt[ST_COUNT];
};

static sqlite3_stmt *stmt(store *s, enum stmt_id id)
{
    if (!s->stmt[id] && sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                           &s->stmt[id], NULL) != SQLITE_OK)
        return NULL;
    sqlite3_reset(s->stmt[id]);
    sqlite3_clear_bindings(s->stmt[id]);
    return s->stmt[id];
}

static sd_code db_code(int rc)
{
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return SD_ERR_BUSY;
    if (rc == SQLITE_NOMEM)
        return SD_ERR_NOMEM;
    return SD_ERR_DB;
}

/* Runs a statement that returns no rows. */
static sd_code run(store *s, enum stmt_id id)
{
    sqlite3_stmt *st = stmt(s, id);
    if (!st)
        return SD_ERR_DB;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return (rc == SQLITE_DONE || rc == SQLITE_ROW) ? SD_OK : db_code(rc);
}

static sd_code begin(store *s)
{
    pthread_mutex_lock(&s->lock);
    sd_code rc = run(s, ST_BEGIN);
    if (rc != SD_OK)
        pthread_mutex_unlock(&s->lock);
    return rc;
}

/* Commits when rc is SD_OK, rolls back otherwise; returns the final outcome. */
static sd_code finish(store *s, sd_code rc)
{
    if (rc == SD_OK)
        rc = run(s, ST_COMMIT);
    if (rc != SD_OK && !sqlite3_get_autocommit(s->db))
        run(s, ST_ROLLBACK);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static void copy_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", t ? (const char *)t : "");
}

sd_code store_open(const char *path, store **out, char *err, size_t errlen)
{
    *out = NULL;
    store *s = calloc(1, sizeof *s);
    if (!s)
        return SD_ERR_NOMEM;
    pthread_mutex_init(&s->lock, NULL);
    int rc = sqlite3_open_v2(
        path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = kbtok_register(s->db);
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(s->db, 5000);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db,
                          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          " PRAGMA foreign_keys=ON;"
                          /* Up to 64 MiB of pages: a knowledge base of 100k entries stays
                           * cached instead of being copied in again for each search. */
                          " PRAGMA cache_size=-65536;",
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, schema, NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", SCHEMA_VERSION);
        rc = sqlite3_exec(s->db, pragma, NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        if (err)
            snprintf(err, errlen, "cannot open database %s: %s", path,
                     s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        store_close(s);
        return rc == SQLITE_NOMEM ? SD_ERR_NOMEM : SD_ERR_DB;
    }
    *out = s;
    return SD_OK;
}

void store_close(store *s)
{
    if (!s)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

const char *store_errmsg(store *s)
{
    return sqlite3_errmsg(s->db);
}

/* ---- reference tables ---- */

sd_code store_department_put(store *s, const store_department *d)
{
    sd_code rc = begin(s);
    if (rc != SD_OK)
        return rc;
    sqlite3_stmt *st = stmt(s, ST_DEPT_PUT);
    if (!st)
        return finish(s, SD_ERR_DB);
    sqlite3_bind_text(st, 1, d->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->name_ko, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d->name_en, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->phone, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    return finish(s, step == SQLITE_DONE ? SD_OK : db_code(step));
}

sd_code store_department_get(store *s, const char *code, store_department *out)
{
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = stmt(s, ST_DEPT_GET);
    sd_code rc = st ? SD_ERR_NOT_FOUND : SD_ERR_DB;
    if (st) {
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(out->code, sizeof out->code, "%s", code);
            copy_text(out->name_ko, sizeof out->name_ko, st, 0);
            copy_text(out->name_en, sizeof out->name_en, st, 1);
            copy_text(out->phone, sizeof out->phone, st, 2);
            rc = SD_OK;
        }
        sqlite3_reset(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

sd_code store_category_put(store *s, const store_category *c)
{
    sd_code rc = begin(s);
    if (rc != SD_OK)
        return rc;
    sqlite3_stmt *st = stmt(s, ST_CAT_PUT);
    if (!st)
        return finish(s, SD_ERR_DB);
    sqlite3_bind_text(st, 1, c->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->department, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->complaint_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, c->name_ko, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, c->name_en, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    return finish(s, step == SQLITE_DONE ? SD_OK : db_code(step));
}

sd_code store_category_get(store *s, const char *code, store_category *out)
{
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = stmt(s, ST_CAT_GET);
    sd_code rc = st ? SD_ERR_NOT_FOUND : SD_ERR_DB;
    if (st) {
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(out->code, sizeof out->code, "%s", code);
            copy_text(out->department, sizeof out->department, st, 0);
            copy_text(out->complaint_type, sizeof out->complaint_type, st, 1);
            copy_text(out->name_ko, sizeof out->name_ko, st, 2);
            copy_text(out->name_en, sizeof out->name_en, st, 3);
            rc = SD_OK;
        }
        sqlite3_reset(st);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* The caller holds the lock. */
static int count_rows_locked(store *s, enum stmt_id id)
{
    sqlite3_stmt *st = stmt(s, id);
    int n = (st && sqlite3_step(st) == SQLITE_ROW) ? sqlite3_column_int(st, 0) : 0;
    if (st)
        sqlite3_reset(st);
    return n;
}

static int count_rows(store *s, enum stmt_id id)
{
    pthread_mutex_lock(&s->lock);
    int n = count_rows_locked(s, id);
    pthread_mutex_unlock(&s->lock);
    return n;
}

int store_category_count(store *s)
{
    return count_rows(s, ST_CAT_COUNT);
}

/* ---- knowledge base ---- */

sd_code store_kb_replace(store *s, const store_kb_entry *entries, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const store_kb_entry *e = &entries[i];
        if (!e->key || !*e->key || !e->lang || !*e->lang || !e->title || !*e->title || !e->answer ||
            !*e->answer)
            return SD_ERR_INVALID;
    }
    sd_code rc = begin(s);
    if (rc != SD_OK)
        return rc;
    int sql =
        sqlite3_exec(s->db, "DELETE FROM kb; INSERT INTO kb_fts(kb_fts) VALUES('delete-all');",
                     NULL, NULL, NULL);
    sqlite3_stmt *ins = NULL, *fts = NULL;
    if (sql == SQLITE_OK)
        sql = sqlite3_prepare_v2(s->db,
                                 "INSERT INTO kb(key, lang, topic, department, title, questions,"
                                 " answer, keywords) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
                                 -1, &ins, NULL);
    if (sql == SQLITE_OK)
        sql = sqlite3_prepare_v2(s->db,
                                 "INSERT INTO kb_fts(rowid, title, questions, keywords)"
                                 " VALUES(last_insert_rowid(), ?1, ?2, ?3)",
                                 -1, &fts, NULL);
    for (size_t i = 0; sql == SQLITE_OK && i < n; i++) {
        const store_kb_entry *e = &entries[i];
        const char *vals[8] = {e->key,
                               e->lang,
                               e->topic ? e->topic : "",
                               e->department ? e->department : "",
                               e->title,
                               e->questions ? e->questions : "",
                               e->answer,
                               e->keywords ? e->keywords : ""};
        sqlite3_reset(ins);
        for (int k = 0; k < 8; k++)
            sqlite3_bind_text(ins, k + 1, vals[k], -1, SQLITE_STATIC);
        sql = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(s->db);
        if (sql != SQLITE_OK)
            break;
        sqlite3_reset(fts);
        sqlite3_bind_text(fts, 1, vals[4], -1, SQLITE_STATIC);
        sqlite3_bind_text(fts, 2, vals[5], -1, SQLITE_STATIC);
        sqlite3_bind_text(fts, 3, vals[7], -1, SQLITE_STATIC);
        sql = sqlite3_step(fts) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(s->db);
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(fts);
    if (sql == SQLITE_OK) {
        char count[96];
        snprintf(count, sizeof count, "REPLACE INTO kb_info(id, entries) VALUES(1, %zu)", n);
        sql = sqlite3_exec(s->db, count, NULL, NULL, NULL);
    }
    /* One merged index segment: a search then reads one doclist per term, not one a segment. */
    if (sql == SQLITE_OK)
        sql =
            sqlite3_exec(s->db, "INSERT INTO kb_fts(kb_fts) VALUES('optimize');", NULL, NULL, NULL);
    if (sql == SQLITE_OK)
        sql = sqlite3_exec(s->db,
                           "DELETE FROM kb_terms;"
                           " INSERT INTO kb_terms(term, docs) SELECT term, doc FROM kb_vocab;",
                           NULL, NULL, NULL);
    rc = finish(s, sql == SQLITE_OK ? SD_OK : db_code(sql));
    /* Move the import out of the write-ahead log into the database file, where searches read
     * it directly. Best effort: a reader still busy elsewhere only delays it. */
    if (rc == SD_OK) {
        pthread_mutex_lock(&s->lock);
        sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        pthread_mutex_unlock(&s->lock);
    }
    return rc;
}

static const char *column_str(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? (const char *)t : "";
}

sd_code store_kb_each(store *s, store_kb_fn fn, void *ctx)
{
    pthread_mutex_lock(&s->lock);
    sd_code rc = run(s, ST_BEGIN_READ);
    sqlite3_stmt *st = NULL;
    if (rc == SD_OK &&
        sqlite3_prepare_v2(s->db,
                           "SELECT key, lang, topic, department, title, questions, answer,"
                           " keywords FROM kb ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        rc = db_code(sqlite3_errcode(s->db));
    int step = SQLITE_DONE;
    while (rc == SD_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        store_kb_entry e = {column_str(st, 0), column_str(st, 1), column_str(st, 2),
                            column_str(st, 3), column_str(st, 4), column_str(st, 5),
                            column_str(st, 6), column_str(st, 7)};
        rc = fn(ctx, &e);
    }
    if (rc == SD_OK && step != SQLITE_DONE)
        rc = db_code(step);
    sqlite3_finalize(st);
    if (!sqlite3_get_autocommit(s->db))
        run(s, ST_COMMIT);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

typedef struct {
    char term[KBTOK_MAX_TOKEN + 1];
    int len;
    double idf;
    long df;
} query_term;

typedef struct {
    query_term terms[KB_MAX_QUERY_TERMS];
    size_t n;
    size_t doc_tokens; /* length of the entry being weighed */
} query_terms;

static int collect_term(void *ctx, const char *token, int len, int start, int end)
{
    (void)start, (void)end;
    query_terms *q = ctx;
    for (size_t i = 0; i < q->n; i++)
        if (q->terms[i].len == len && memcmp(q->terms[i].term, token, len) == 0)
            return 0;
    if (q->n == KB_MAX_QUERY_TERMS)
        return 1;
    memcpy(q->terms[q->n].term, token, (size_t)len);
    q->terms[q->n].term[len] = '\0';
    q->terms[q->n].len = len;
    q->n++;
    return 0;
}

static int has_term(void *ctx, const char *token, int len, int start, int end)
{
    (void)start, (void)end;
    query_terms *q = ctx; /* terms found are marked by negating df */
    q->doc_tokens++;
    for (size_t i = 0; i < q->n; i++)
        if (q->terms[i].len == len && q->terms[i].df > 0 &&
            memcmp(q->terms[i].term, token, len) == 0)
            q->terms[i].df = -q->terms[i].df;
    return 0;
}

static double coverage_of(query_terms *q, const char *doc, double total)
{
    q->doc_tokens = 0;
    kbtok_tokenize(doc, (int)strlen(doc), has_term, q);
    double got = 0;
    for (size_t i = 0; i < q->n; i++)
        if (q->terms[i].df < 0) {
            got += q->terms[i].idf;
            q->terms[i].df = -q->terms[i].df;
        }
    return total > 0 ? got / total : 0;
}

static int by_df(const void *a, const void *b)
{
    const query_term *x = a, *y = b;
    return (x->df > y->df) - (x->df < y->df);
}

/* Frequencies and weights of the query's terms; unknown terms weigh the most. */
static double weigh_terms(store *s, query_terms *q)
{
    double n_docs = count_rows_locked(s, ST_KB_COUNT);
    double total = 0;
    for (size_t i = 0; i < q->n; i++) {
        sqlite3_stmt *st = stmt(s, ST_VOCAB_DOC);
        q->terms[i].df = 0;
        if (st) {
            sqlite3_bind_text(st, 1, q->terms[i].term, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW)
                q->terms[i].df = sqlite3_column_int64(st, 0);
            sqlite3_reset(st);
        }
        double df = (double)q->terms[i].df;
        q->terms[i].idf = log(1.0 + (n_docs - df + 0.5) / (df + 0.5));
        total += q->terms[i].idf;
    }
    return total;
}

/* How the candidates are found: an FTS5 expression of the question's known terms (each
 * quoted, so user text is never FTS syntax) and the statement that runs it. */
typedef struct {
    strbuf match;
    enum stmt_id stmt;
    double weights[KB_CANDIDATE_TERMS];
} candidate_plan;

/* Any of the rarest terms while their documents stay within KB_CANDIDATE_DOCS; when even the
 * rarest is commoner than that, an entry must hold every term. */
static void plan_candidates(query_terms *q, candidate_plan *plan)
{
    query_term sorted[KB_MAX_QUERY_TERMS];
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++)
        if (q->terms[i].df > 0)
            sorted[n++] = q->terms[i];
    qsort(sorted, n, sizeof *sorted, by_df);
    bool all_common = n > 0 && sorted[0].df > KB_CANDIDATE_DOCS;
    plan->stmt = all_common ? ST_KB_ALL_TERMS : ST_KB_CANDIDATES;
    long docs = 0;
    for (size_t i = 0; i < n; i++) {
        if (!all_common) {
            docs += sorted[i].df;
            if (i == KB_CANDIDATE_TERMS || (i && docs > KB_CANDIDATE_DOCS))
                break;
            plan->weights[i] = sorted[i].idf;
        }
        if (i)
            strbuf_puts(&plan->match, all_common ? " AND " : " OR ");
        strbuf_printf(&plan->match, "\"%s\"", sorted[i].term); /* tokens never contain quotes */
    }
}

/* Fills in the answer of the entry hit->id. The caller holds the lock. */
static sd_code read_entry(store *s, store_kb_hit *hit)
{
    sqlite3_stmt *st = stmt(s, ST_KB_ENTRY);
    if (!st)
        return SD_ERR_DB;
    sqlite3_bind_int64(st, 1, hit->id);
    int step = sqlite3_step(st);
    sd_code rc = step == SQLITE_ROW    ? SD_OK
                 : step == SQLITE_DONE ? SD_ERR_NOT_FOUND
                                       : db_code(step);
    if (rc == SD_OK) {
        copy_text(hit->key, sizeof hit->key, st, 0);
        copy_text(hit->topic, sizeof hit->topic, st, 1);
        copy_text(hit->department, sizeof hit->department, st, 2);
        copy_text(hit->title, sizeof hit->title, st, 3);
        copy_text(hit->answer, sizeof hit->answer, st, 4);
    }
    sqlite3_reset(st);
    return rc;
}

/* The coverage no entry can beat: the share of the weight held by terms the KB knows. */
static double coverage_bound(const query_terms *q, double total)
{
    double known = 0;
    for (size_t i = 0; i < q->n; i++)
        if (q->terms[i].df > 0)
            known += q->terms[i].idf;
    return total > 0 ? known / total : 0;
}

sd_code store_kb_search(store *s, const char *lang, const char *query, double min_coverage,
                        store_kb_hit *hit)
{
    memset(hit, 0, sizeof *hit);
    query_terms q = {.n = 0};
    kbtok_tokenize(query, (int)strlen(query), collect_term, &q);
    if (q.n == 0)
        return SD_ERR_NOT_FOUND;
    pthread_mutex_lock(&s->lock);
    bool in_txn = run(s, ST_BEGIN_READ) == SD_OK;
    double total = weigh_terms(s, &q);
    candidate_plan plan = {.stmt = ST_KB_CANDIDATES};
    strbuf_init(&plan.match);
    if (coverage_bound(&q, total) >= min_coverage)
        plan_candidates(&q, &plan);
    sd_code rc = SD_ERR_NOT_FOUND;
    sqlite3_stmt *st = plan.match.len ? stmt(s, plan.stmt) : NULL;
    if (st) {
        sqlite3_bind_text(st, 1, strbuf_str(&plan.match), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, KB_CANDIDATES);
        if (plan.stmt == ST_KB_CANDIDATES)
            for (int i = 0; i < KB_CANDIDATE_TERMS; i++)
                sqlite3_bind_double(st, 4 + i, plan.weights[i]);
        int step;
        size_t best_tokens = 0;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            double cov = coverage_of(&q, (const char *)sqlite3_column_text(st, 1), total);
            /* Between entries covering the question equally, the shorter is more to the point. */
            bool tie = fabs(cov - hit->coverage) < 1e-9;
            if (cov < hit->coverage || (tie && (!cov || q.doc_tokens >= best_tokens)))
                continue;
            best_tokens = q.doc_tokens;
            hit->coverage = cov;
            hit->id = sqlite3_column_int64(st, 0);
            rc = SD_OK;
        }
        if (step != SQLITE_DONE && step != SQLITE_ROW)
            rc = db_code(step);
        sqlite3_reset(st);
    }
    if (rc == SD_OK)
        rc = read_entry(s, hit);
    if (in_txn)
        run(s, ST_COMMIT);
    pthread_mutex_unlock(&s->lock);
    strbuf_free(&plan.match);
    return rc;
}

sd_code store_kb_stats_get(store *s, store_kb_stats *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT count(*), count(*) FILTER (WHERE lang='ko'),"
                                " count(*) FILTER (WHERE lang='en'), count(DISTINCT topic),"
                                " (SELECT count(*) FROM kb_terms) FROM kb",
                                -1, &st, NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        out->entries = sqlite3_column_int(st, 0);
        out->entries_ko = sqlite3_column_int(st, 1);
        out->entries_en = sqlite3_column_int(st, 2);
        out->topics = sqlite3_column_int(st, 3);
        out->terms = sqlite3_column_int(st, 4);
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->lock);
    return rc == SQLITE_OK ? SD_OK : db_code(rc);
}

/* ---- complaints ---- */

static int year_of(time_t t)
{
    time_t kst = t + 9 * 3600; /* receipt years follow the Korean calendar */
    struct tm tm;
    gmtime_r(&kst, &tm);
    return tm.tm_year + 1900;
}

static sd_code next_receipt(store *s, time_t filed_at, char receipt[32])
{
    sqlite3_stmt *st = stmt(s, ST_COUNTER_NEXT);
    if (!st)
        return SD_ERR_DB;
    int year = year_of(filed_at);
    sqlite3_bind_int(st, 1, year);
    int step = sqlite3_step(st);
    sd_code rc = db_code(step);
    if (step == SQLITE_ROW) {
        entities_format_receipt(receipt, year, (long)sqlite3_column_int64(st, 0));
        rc = SD_OK;
    }
    sqlite3_reset(st);
    return rc;
}

static void bind_opt(sqlite3_stmt *st, int col, const char *text)
{
    if (text && *text)
        sqlite3_bind_text(st, col, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, col);
}

static sd_code insert_complaint(store *s, const store_new_complaint *c, const char *receipt,
                                sqlite3_int64 *id, char department[32])
{
    sqlite3_stmt *st = stmt(s, ST_COMPLAINT_INSERT);
    if (!st)
        return SD_ERR_DB;
    sqlite3_bind_text(st, 1, receipt, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->category, -1, SQLITE_STATIC);
    bind_opt(st, 3, c->place);
    sqlite3_bind_text(st, 4, c->detail, -1, SQLITE_STATIC);
    bind_opt(st, 5, c->phone);
    sqlite3_bind_text(st, 6, c->lang ? c->lang : "ko", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, c->channel ? c->channel : "text", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)c->filed_at);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)c->due_at);
    int step = sqlite3_step(st);
    sd_code rc = step == SQLITE_DONE ? SD_ERR_INVALID /* no such category */ : db_code(step);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        copy_text(department, 32, st, 1);
        rc = SD_OK;
    }
    sqlite3_reset(st);
    return rc;
}

static sd_code append_event(store *s, sqlite3_int64 complaint, time_t at, const char *state,
                            const char *actor, const char *department, const char *note)
{
    sqlite3_stmt *st = stmt(s, ST_EVENT_INSERT);
    if (!st)
        return SD_ERR_DB;
    sqlite3_bind_int64(st, 1, complaint);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)at);
    sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, department, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, note ? note : "", -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? SD_OK : db_code(step);
}

sd_code store_complaint_file(store *s, const store_new_complaint *c, char receipt[32])
{
    if (!c->category || !c->detail || !*c->detail)
        return SD_ERR_INVALID;
    sd_code rc = begin(s);
    if (rc != SD_OK)
        return rc;
    sqlite3_int64 id = 0;
    char department[32] = "";
    rc = next_receipt(s, c->filed_at, receipt);
    if (rc == SD_OK)
        rc = insert_complaint(s, c, receipt, &id, department);
    if (rc == SD_OK)
        rc = append_event(s, id, c->filed_at, "received", c->channel ? c->channel : "text",
                          department, "");
    rc = finish(s, rc);
    if (rc != SD_OK)
        receipt[0] = '\0';
    return rc;
}

sd_code store_complaint_get(store *s, const char *receipt, store_complaint *out,
                            store_event *events, size_t max_events, size_t *nevents)
{
    memset(out, 0, sizeof *out);
    *nevents = 0;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = stmt(s, ST_COMPLAINT_GET);
    sd_code rc = st ? SD_ERR_NOT_FOUND : SD_ERR_DB;
    sqlite3_int64 id = 0;
    if (st) {
        sqlite3_bind_text(st, 1, receipt, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            id = sqlite3_column_int64(st, 0);
            snprintf(out->receipt, sizeof out->receipt, "%s", receipt);
            copy_text(out->category, sizeof out->category, st, 1);
            copy_text(out->place, sizeof out->place, st, 2);
            copy_text(out->state, sizeof out->state, st, 3);
            copy_text(out->department, sizeof out->department, st, 4);
            copy_text(out->phone_last4, sizeof out->phone_last4, st, 5);
            copy_text(out->lang, sizeof out->lang, st, 6);
            out->filed_at = (time_t)sqlite3_column_int64(st, 7);
            out->due_at = (time_t)sqlite3_column_int64(st, 8);
            rc = SD_OK;
        }
        sqlite3_reset(st);
    }
    sqlite3_stmt *ev = rc == SD_OK ? stmt(s, ST_EVENTS_GET) : NULL;
    if (ev) {
        sqlite3_bind_int64(ev, 1, id);
        sqlite3_bind_int64(ev, 2, (sqlite3_int64)max_events);
        while (*nevents < max_events && sqlite3_step(ev) == SQLITE_ROW) {
            store_event *e = &events[(*nevents)++];
            e->at = (time_t)sqlite3_column_int64(ev, 0);
            copy_text(e->state, sizeof e->state, ev, 1);
            copy_text(e->actor, sizeof e->actor, ev, 2);
            copy_text(e->department, sizeof e->department, ev, 3);
            copy_text(e->note, sizeof e->note, ev, 4);
        }
        sqlite3_reset(ev);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

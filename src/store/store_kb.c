/* store_kb.c - the knowledge base of the store: import and search.
 *
 * Knowledge-base search uses FTS5 with the "seodong" tokenizer (Hangul bigrams, stemmed English)
 * and a table of term frequencies kept at import. Ranking every row that shares a common term is
 * what makes FTS slow at scale, so the query uses only the query's rarest terms to find
 * candidates, then picks the candidate that covers most of the query's weight. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbtok.h"
#include "store_internal.h"
#include "strbuf.h"

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

const char *const store_kb_schema =
    "CREATE TABLE IF NOT EXISTS kb(id INTEGER PRIMARY KEY, key TEXT NOT NULL, lang TEXT NOT NULL,"
    " topic TEXT NOT NULL, department TEXT NOT NULL, title TEXT NOT NULL, questions TEXT NOT NULL,"
    " answer TEXT NOT NULL, keywords TEXT NOT NULL, UNIQUE(key, lang));"
    "CREATE VIRTUAL TABLE IF NOT EXISTS kb_fts USING fts5(title, questions, keywords,"
    " content='kb', content_rowid='id', tokenize='seodong');"
    "CREATE VIRTUAL TABLE IF NOT EXISTS kb_vocab USING fts5vocab(kb_fts, 'row');"
    "CREATE TABLE IF NOT EXISTS kb_info(id INTEGER PRIMARY KEY CHECK(id = 1),"
    " entries INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS kb_terms(term TEXT PRIMARY KEY, docs INTEGER NOT NULL)"
    " WITHOUT ROWID;";

enum { ST_VOCAB_DOC, ST_KB_COUNT, ST_KB_CANDIDATES, ST_KB_ALL_TERMS, ST_KB_ENTRY, KB_STMTS };
_Static_assert((int)KB_STMTS <= (int)STORE_SLOTS_COMPLAINT - (int)STORE_SLOTS_KB,
               "knowledge-base statements overflow their slots");

static const char *const kb_sql[KB_STMTS] = {
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
};

static db_stmt *db_stmt_of(store *s, int id)
{
    return store_stmt(s, STORE_SLOTS_KB + id, kb_sql[id]);
}

/* The knowledge base is SQLite's alone (FTS5 and our tokenizer): on PostgreSQL it is searched
 * in the device's read copy (store_shared.c). */
static sqlite3_stmt *stmt(store *s, int id)
{
    return db_sqlite_stmt(db_stmt_of(s, id));
}

static store *kb_home(store *s)
{
    return s->local ? s->local : s;
}

sd_code store_kb_replace(store *s, const store_kb_entry *entries, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const store_kb_entry *e = &entries[i];
        if (!e->key || !*e->key || !e->lang || !*e->lang || !e->title || !*e->title || !e->answer ||
            !*e->answer)
            return SD_ERR_INVALID;
    }
    if (store_is_pg(s))
        return store_shared_kb_replace(s, entries, n);
    sd_code rc = store_begin(s);
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
    rc = store_finish(s, sql == SQLITE_OK ? SD_OK : store_db_code(sql));
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
    s = kb_home(s);
    pthread_mutex_lock(&s->lock);
    sd_code rc = store_begin_read(s) ? SD_OK : store_db_code(sqlite3_errcode(s->db));
    sqlite3_stmt *st = NULL;
    if (rc == SD_OK &&
        sqlite3_prepare_v2(s->db,
                           "SELECT key, lang, topic, department, title, questions, answer,"
                           " keywords FROM kb ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        rc = store_db_code(sqlite3_errcode(s->db));
    int step = SQLITE_DONE;
    while (rc == SD_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        store_kb_entry e = {column_str(st, 0), column_str(st, 1), column_str(st, 2),
                            column_str(st, 3), column_str(st, 4), column_str(st, 5),
                            column_str(st, 6), column_str(st, 7)};
        rc = fn(ctx, &e);
    }
    if (rc == SD_OK && step != SQLITE_DONE)
        rc = store_db_code(step);
    sqlite3_finalize(st);
    store_end_read(s);
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
    double n_docs = store_count_locked(db_stmt_of(s, ST_KB_COUNT));
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
    int stmt;
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
    db_stmt *st = db_stmt_of(s, ST_KB_ENTRY);
    if (!st)
        return SD_ERR_DB;
    db_bind_int64(st, 1, hit->id);
    sd_code rc = store_step_row(st);
    if (rc == SD_OK) {
        store_copy_text(hit->key, sizeof hit->key, st, 0);
        store_copy_text(hit->topic, sizeof hit->topic, st, 1);
        store_copy_text(hit->department, sizeof hit->department, st, 2);
        store_copy_text(hit->title, sizeof hit->title, st, 3);
        store_copy_text(hit->answer, sizeof hit->answer, st, 4);
    }
    db_reset(st);
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
    s = kb_home(s);
    pthread_mutex_lock(&s->lock);
    bool in_txn = store_begin_read(s);
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
            rc = store_db_code(step);
        sqlite3_reset(st);
    }
    if (rc == SD_OK)
        rc = read_entry(s, hit);
    if (in_txn)
        store_end_read(s);
    pthread_mutex_unlock(&s->lock);
    strbuf_free(&plan.match);
    return rc;
}

sd_code store_kb_stats_get(store *s, store_kb_stats *out)
{
    s = kb_home(s);
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
    return rc == SQLITE_OK ? SD_OK : store_db_code(rc);
}

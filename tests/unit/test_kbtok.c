/* test_kbtok.c - tests for the knowledge-base tokenizer: token lists for Korean, English and mixed
 * text, stemming, invalid and truncated UTF-8, huge and long input, and then the real thing: an
 * in-memory SQLite FTS5 table using tokenize='seodong', queried with MATCH and ranked by bm25.
 *
 * Every input is copied into a heap buffer of exactly its length (no NUL), so the sanitizer build
 * catches any read past len. Every emitted token is checked for sane offsets and length. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "kbtok.h"
#include "utf8.h"

struct collect {
    char tokens[8192]; /* tokens joined by spaces */
    char spans[8192];  /* "start-end" per token, joined by spaces */
    int count;
    int len;       /* length of the text being tokenised, to check offsets against */
    int stop_at;   /* when > 0, stop after this many tokens */
    int bad_calls; /* tokens with out-of-range offsets, bad length or invalid UTF-8 */
};

/* Appends s[0..n) to the NUL-terminated buf, after sep unless buf is empty; drops what won't fit.
 */
static void append(char *buf, size_t size, char sep, const char *s, int n)
{
    size_t used = strlen(buf);
    if (used + (size_t)n + 2 > size)
        return;
    if (used)
        buf[used++] = sep;
    memcpy(buf + used, s, (size_t)n);
    buf[used + (size_t)n] = '\0';
}

static int collect_token(void *ctx, const char *token, int token_len, int start, int end)
{
    struct collect *c = ctx;
    if (start < 0 || start >= end || end > c->len || token_len < 1 || token_len > KBTOK_MAX_TOKEN ||
        !utf8_valid(token, (size_t)token_len))
        c->bad_calls++;
    append(c->tokens, sizeof c->tokens, ' ', token, token_len);
    char span[32];
    int n = snprintf(span, sizeof span, "%d-%d", start, end);
    append(c->spans, sizeof c->spans, ' ', span, n);
    c->count++;
    return c->stop_at > 0 && c->count >= c->stop_at ? 42 : 0;
}

/* Tokenises text[0..len) from an exact-size heap copy; returns kbtok_tokenize's result. */
static int run(struct collect *c, const char *text, int len)
{
    memset(c, 0, sizeof *c);
    c->len = len;
    char *copy = malloc(len > 0 ? (size_t)len : 1);
    memcpy(copy, text, (size_t)len);
    int rc = kbtok_tokenize(copy, len, collect_token, c);
    free(copy);
    CHECK(c->bad_calls == 0);
    return rc;
}

static const char *toks_n(const char *text, int len)
{
    static struct collect c;
    CHECK(run(&c, text, len) == 0);
    return c.tokens;
}

static const char *toks(const char *text)
{
    return toks_n(text, (int)strlen(text));
}

static void test_korean(void)
{
    CHECK_STR(toks("불법주차"), "불법 법주 주차");
    CHECK_STR(toks("불법주차에"), "불법 법주 주차 차에");
    CHECK_STR(toks("주차장에"), "주차 차장 장에");
    CHECK_STR(toks("차"), "차");
    CHECK_STR(toks("차 한 대"), "차 한 대");
    CHECK_STR(toks("청라동 불법주차 신고"), "청라 라동 불법 법주 주차 신고");
    CHECK_STR(toks("2026년"), "2026 년");
    CHECK_STR(toks("ㅋㅋ 주차!!"), "주차"); /* compatibility jamo are not syllables */

    struct collect c;
    CHECK(run(&c, "주차장에", (int)strlen("주차장에")) == 0);
    CHECK_STR(c.spans, "0-6 3-9 6-12");
    CHECK(run(&c, "a 차", 5) == 0);
    CHECK_STR(c.spans, "0-1 2-5");
}

static void test_mixed_and_numbers(void)
{
    CHECK_STR(toks("SG-2026 주차 parking lots"), "sg 2026 주차 park lot");
    CHECK_STR(toks("032-560-4114"), "032 560 4114");
    CHECK_STR(toks("주차장parking2대"), "주차 차장 park 2 대");
    CHECK_STR(toks("Where can I park near the office?"), "wher can i park near the offic");
    CHECK_STR(toks("café 🚗 Привет"), "caf");
    CHECK_STR(toks(""), "");
    CHECK_STR(toks(" \t\n.,;"), "");
    CHECK(kbtok_tokenize(NULL, 10, collect_token, NULL) == 0);
}

static void test_english_stemming(void)
{
    CHECK_STR(toks("parking parked parks park PARKING"), "park park park park park");
    CHECK_STR(toks("copies copied copying copy"), "copy copy copy copy");
    CHECK_STR(toks("bags lots boxes taxes wishes churches"), "bag lot box tax wish church");
    CHECK_STR(toks("bus glass address status analysis"), "bus glass address status analysis");
    CHECK_STR(toks("buses glasses addresses"), "bus glass address");
    CHECK_STR(toks("running stopped planned adding"), "run stop plan add");
    CHECK_STR(toks("falling missing buzzing"), "fall miss buzz");
    CHECK_STR(toks("charge charges charged charging"), "charg charg charg charg");
    CHECK_STR(toks("need needed needs speed speeds"), "need need need speed speed");
    CHECK_STR(toks("fee fees free"), "fee fee free");
    /* Too short to stem, or no vowel left in the stem. */
    CHECK_STR(toks("is was use used sing king ties string"),
              "is was use used sing king tie string");
}

static void test_invalid_utf8(void)
{
    CHECK_STR(toks("\xff주차"), "주차");
    CHECK_STR(toks("불\x80법"), "불 법");         /* stray continuation byte */
    CHECK_STR(toks("주\xed\xa0\x80차"), "주 차"); /* encoded surrogate */
    CHECK_STR(toks("\xc0\xaf\xc1\xbf-ab"), "ab"); /* overlong forms */
    CHECK_STR(toks("\xf4\x90\x80\x80x"), "x");    /* beyond U+10FFFF */
    CHECK_STR(toks_n("주차\xec\xa3", 8), "주차"); /* truncated last syllable */
    CHECK_STR(toks_n("ab\xc3", 3), "ab");         /* truncated 2-byte sequence */
    CHECK_STR(toks_n("\xec", 1), "");
    CHECK_STR(toks_n("주차", 5), "주");      /* len cuts the second syllable */
    CHECK_STR(toks_n("ab\0cd", 5), "ab cd"); /* NUL is just a separator */
}

static void test_long_tokens(void)
{
    char text[400];
    memset(text, 'A', 100);
    struct collect c;
    CHECK(run(&c, text, 100) == 0);
    CHECK(c.count == 1 && strlen(c.tokens) == KBTOK_MAX_TOKEN && c.tokens[0] == 'a');
    CHECK_STR(c.spans, "0-100");

    /* 70 letters ending in "ing": truncated, and not stemmed. */
    memset(text, 'x', 67);
    memcpy(text + 67, "ing", 3);
    CHECK(run(&c, text, 70) == 0);
    CHECK(c.count == 1 && strlen(c.tokens) == KBTOK_MAX_TOKEN);

    memset(text, '7', 100);
    CHECK(run(&c, text, 100) == 0);
    CHECK(c.count == 1 && strlen(c.tokens) == KBTOK_MAX_TOKEN);

    /* A 100-syllable run has 99 bigrams of two syllables each. */
    for (int i = 0; i < 100; i++)
        memcpy(text + 3 * i, "가", 3);
    CHECK(run(&c, text, 300) == 0);
    CHECK(c.count == 99);
    CHECK(strncmp(c.tokens, "가가 가가", strlen("가가 가가")) == 0);
}

static void test_stop_early(void)
{
    struct collect c;
    memset(&c, 0, sizeof c);
    c.len = (int)strlen("one two three 주차장에");
    c.stop_at = 2;
    CHECK(kbtok_tokenize("one two three 주차장에", c.len, collect_token, &c) == 42);
    CHECK(c.count == 2);
    CHECK_STR(c.tokens, "one two");
}

static void test_megabyte(void)
{
    const char unit[] = "불법주차 parking 032 "; /* 5 tokens */
    int unit_len = (int)strlen(unit), len = 1 << 20, units = len / unit_len;
    char *text = malloc((size_t)len);
    for (int i = 0; i < units; i++)
        memcpy(text + i * unit_len, unit, (size_t)unit_len);
    memset(text + units * unit_len, ' ', (size_t)(len - units * unit_len));
    struct collect c;
    CHECK(run(&c, text, len) == 0);
    CHECK(c.count == 5 * units);

    /* Random bytes: no crash, no bad token, and some tokens (letters and digits are common). */
    uint32_t seed = 12345;
    for (int i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        text[i] = (char)(seed >> 16);
    }
    CHECK(run(&c, text, len) == 0);
    CHECK(c.count > 1000 && c.count < len);
    free(text);
}

/* ---- SQLite FTS5 ---- */

/* Runs sql with ?1 bound to arg and joins the first column of every row with commas. */
static const char *query(sqlite3 *db, const char *sql, const char *arg)
{
    static char out[1024];
    sqlite3_stmt *stmt;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fprintf(stderr, "prepare %s: %s\n", sql, sqlite3_errmsg(db));
        return "(error)";
    }
    if (arg)
        sqlite3_bind_text(stmt, 1, arg, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(stmt, 0);
        append(out, sizeof out, ',', v ? v : "NULL", v ? (int)strlen(v) : 4);
    }
    if (sqlite3_finalize(stmt) != SQLITE_OK) {
        fprintf(stderr, "step %s [%s]: %s\n", sql, arg ? arg : "", sqlite3_errmsg(db));
        return "(error)";
    }
    return out;
}

static const char *match(sqlite3 *db, const char *q)
{
    return query(db, "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid", q);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, err);
        check_failures++;
    }
    sqlite3_free(err);
}

static sqlite3 *open_db(void)
{
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    CHECK(kbtok_register(db) == SQLITE_OK);
    return db;
}

static void test_fts5_match(void)
{
    sqlite3 *db = open_db();
    exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='seodong');"
             "INSERT INTO t(rowid, body) VALUES (1, '청라동 불법주차 신고'),"
             " (2, '주차장 요금 안내'), (3, 'Where can I park near the office?');");
    CHECK_STR(match(db, "주차"), "1,2");
    CHECK_STR(match(db, "\"불법주차\""), "1");
    CHECK_STR(match(db, "불법주차"), "1"); /* a bareword that yields bigrams is a phrase too */
    CHECK_STR(match(db, "주차장"), "2");
    CHECK_STR(match(db, "주*"), "1,2");
    CHECK_STR(match(db, "parking"), "3");
    CHECK_STR(match(db, "PARKED OR offices"), "3");
    CHECK_STR(match(db, "\"요금 안내\""), "2");
    CHECK_STR(match(db, "여권"), "");
    CHECK_STR(match(db, "xyzzy"), "");
    CHECK_STR(match(db, "주차 AND 여권"), "");
    CHECK_STR(match(db, "불법 주차"), "1");

    /* Offsets reach FTS5 intact: highlight() marks the original bytes. */
    CHECK_STR(
        query(db, "SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?1 AND rowid = 1", "주차"),
        "청라동 불법[주차] 신고");
    CHECK_STR(query(db, "SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?1", "parking"),
              "Where can I [park] near the office?");

    /* The index holds the stems, not the surface words. */
    exec(db, "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row');");
    CHECK_STR(query(db, "SELECT count(*) FROM v WHERE term IN ('park', 'offic', '주차')", NULL),
              "3");
    CHECK_STR(query(db, "SELECT count(*) FROM v WHERE term IN ('parking', 'office')", NULL), "0");
    sqlite3_close(db);
}

static void test_fts5_rank(void)
{
    sqlite3 *db = open_db();
    exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='seodong');"
             "INSERT INTO t(rowid, body) VALUES (1, '주차 요금 안내'), (2, '여권 발급 안내'),"
             " (3, '주차장 주차 요금 주차 문의'), (4, '쓰레기 배출 안내'), (5, '도로 소음 민원');");
    /* Row 3 says 주차 three times, row 1 once: bm25 puts row 3 first. */
    const char *by_rank = "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rank";
    CHECK_STR(query(db, by_rank, "주차"), "3,1");
    CHECK_STR(query(db, "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY bm25(t)", "주차"), "3,1");
    /* 안내 is in most rows, so its idf is clamped to ~0 and the rare 민원 outranks 주차. */
    CHECK_STR(query(db, by_rank, "민원 OR 주차"), "5,3,1");
    CHECK_STR(query(db, "SELECT count(*) FROM t WHERE t MATCH ?1 AND rank < 0", "주차"), "2");
    sqlite3_close(db);
}

static void test_fts5_weight(void)
{
    sqlite3 *db = open_db();
    exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='seodong');"
             "INSERT INTO t(rowid, title, body) VALUES (1, '주차 요금', '안내'),"
             " (2, '여권', '발급 안내'), (3, '주차장', '여권 주차'), (4, '쓰레기', '배출');");
    /* Each phrase the row holds adds its weight once, whichever column holds it. */
    const char *weighed = "SELECT rowid || ':' || seodong_weight(t, 4.0, 0.5) FROM t"
                          " WHERE t MATCH ?1 ORDER BY seodong_weight(t, 4.0, 0.5) DESC, rowid";
    CHECK_STR(query(db, weighed, "여권 OR 주차"), "3:4.5,2:4.0,1:0.5");
    /* A phrase without a weight counts 1; a phrase of bigrams is one phrase. */
    CHECK_STR(query(db,
                    "SELECT rowid || ':' || seodong_weight(t, 2.0) FROM t WHERE t MATCH ?1"
                    " ORDER BY rowid",
                    "쓰레기 OR 요금 OR 발급"),
              "1:1.0,2:1.0,4:2.0");
    CHECK_STR(query(db, "SELECT seodong_weight(t) FROM t WHERE t MATCH ?1", "배출"), "1.0");
    sqlite3_close(db);
}

static void test_fts5_errors(void)
{
    CHECK(kbtok_register(NULL) == SQLITE_MISUSE);
    sqlite3 *db = open_db();
    CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='seodong x')", NULL,
                       NULL, NULL) != SQLITE_OK);
    /* Registering again (e.g. a second module initialising the same connection) is harmless. */
    CHECK(kbtok_register(db) == SQLITE_OK);
    exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='seodong');"
             "INSERT INTO t VALUES (X'FF' || '주차');");
    CHECK_STR(match(db, "주차"), "1");
    sqlite3_close(db);
}

int main(void)
{
    test_korean();
    test_mixed_and_numbers();
    test_english_stemming();
    test_invalid_utf8();
    test_long_tokens();
    test_stop_early();
    test_megabyte();
    test_fts5_match();
    test_fts5_rank();
    test_fts5_weight();
    test_fts5_errors();
    CHECK_DONE();
}

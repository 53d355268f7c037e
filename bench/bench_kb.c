/* bench_kb.c - knowledge-base query latency benchmark (run by scripts/bench.sh).
 *
 *   bench_kb DB bundled [QUERIES]      engine_open on DB (seeds the bundled KB from data/kb.json)
 *   bench_kb DB generate N [QUERIES]   store_open on DB, store_kb_replace with N generated entries
 *
 * Then runs QUERIES (default 2000) store_kb_search calls, Korean and English: the KB's own
 * questions slightly altered (a word dropped or swapped for a common one), a few bags of common
 * words, and out-of-vocabulary queries; each call is timed with CLOCK_MONOTONIC and p50, p99 and
 * max are printed in milliseconds. DB must be a path the caller may delete (it is recreated). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "store.h"
#include "strbuf.h"

/* ---- small helpers ---- */

static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;

static unsigned long long rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static int rnd(int n)
{
    return (int)(rng() % (unsigned long long)n);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fputs("bench_kb: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

/* The string a strbuf built; out of memory ends the benchmark. */
static char *detach(strbuf *b)
{
    char *p = strbuf_detach(b);
    if (!p) {
        fputs("bench_kb: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void remove_db(const char *path)
{
    char p[4096];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* ---- vocabulary ---- */

#define VOCAB 6000

static const char *const ko_syll[] = {
    "가", "강", "개", "거", "건", "경", "고", "공", "과", "관", "교", "구", "국", "권", "금", "기",
    "나", "남", "내", "노", "농", "다", "단", "대", "도", "동", "두", "라", "로", "리", "마", "만",
    "매", "면", "명", "모", "무", "문", "미", "민", "바", "반", "방", "배", "법", "보", "복", "부",
    "분", "비", "사", "산", "상", "생", "서", "선", "설", "성", "세", "소", "수", "시", "신", "실",
    "아", "안", "약", "양", "어", "업", "여", "연", "영", "예", "오", "용", "우", "운", "원", "위",
    "유", "은", "의", "이", "인", "일", "자", "장", "재", "전", "정", "제", "조", "주", "중", "지",
    "진", "차", "참", "처", "청", "체", "초", "출", "치", "통", "특", "파", "판", "평", "표", "품",
    "학", "한", "해", "행", "허", "현", "형", "호", "화", "환", "활", "회", "후",
};
#define N_KO_SYLL (sizeof ko_syll / sizeof ko_syll[0])

static const char *const en_syll[] = {
    "ba",  "be", "bi", "bo", "ca", "co", "con", "de",  "di",  "do",  "en",  "er",  "fa",   "fi",
    "for", "ga", "ge", "go", "ha", "he", "in",  "ja",  "ka",  "la",  "le",  "li",  "lo",   "ma",
    "me",  "mi", "mo", "na", "ne", "ni", "no",  "or",  "pa",  "pe",  "per", "po",  "pro",  "ra",
    "re",  "ri", "ro", "sa", "se", "si", "so",  "sta", "ta",  "te",  "ter", "ti",  "to",   "tra",
    "un",  "va", "ve", "vi", "wa", "we", "lan", "mar", "ton", "ber", "son", "der", "ment", "tion",
};
#define N_EN_SYLL (sizeof en_syll / sizeof en_syll[0])

static char *ko_words[VOCAB], *en_words[VOCAB];
static double zipf_cdf[VOCAB];

static int find_word(char **words, int n, const char *w)
{
    for (int i = 0; i < n; i++)
        if (strcmp(words[i], w) == 0)
            return 1;
    return 0;
}

/* Fills words with VOCAB distinct 2-3 syllable words; hashing would be faster but this runs
 * once over a few thousand words and stays simple. */
static void make_vocab(char **words, const char *const *syll, int nsyll)
{
    int n = 0;
    while (n < VOCAB) {
        char w[64] = "";
        int k = 2 + (rnd(3) == 0);
        for (int i = 0; i < k; i++)
            strcat(w, syll[rnd(nsyll)]);
        if (!find_word(words, n, w))
            words[n++] = xstrdup(w);
    }
}

static void make_zipf(void)
{
    double sum = 0;
    for (int i = 0; i < VOCAB; i++)
        zipf_cdf[i] = (sum += 1.0 / (i + 1));
    for (int i = 0; i < VOCAB; i++)
        zipf_cdf[i] /= sum;
}

/* A word rank drawn with probability proportional to 1/rank. */
static int zipf_rank(void)
{
    double u = (double)(rng() >> 11) / (double)(1ULL << 53);
    int lo = 0, hi = VOCAB - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (zipf_cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void add_words(strbuf *b, char **words, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            strbuf_puts(b, " ");
        strbuf_puts(b, words[zipf_rank()]);
    }
}

static char *words_text(char **words, int n)
{
    strbuf b;
    strbuf_init(&b);
    add_words(&b, words, n);
    return detach(&b);
}

/* ---- queries ---- */

typedef struct {
    const char *lang;
    char *text;
    const char *source; /* key of the entry an altered question came from, or NULL */
} query;

/* A question with one word dropped or replaced by a common word (or left as it is). */
static char *alter(const char *q, char **words)
{
    char *copy = xstrdup(q);
    char *tok[64];
    int n = 0;
    for (char *save = NULL, *t = strtok_r(copy, " ", &save); t && n < 64;
         t = strtok_r(NULL, " ", &save))
        tok[n++] = t;
    int change = rnd(3), at = n ? rnd(n) : 0;
    strbuf b;
    strbuf_init(&b);
    for (int i = 0; i < n; i++) {
        if (change == 0 && i == at && n > 2)
            continue; /* dropped */
        if (b.len)
            strbuf_puts(&b, " ");
        strbuf_puts(&b, change == 1 && i == at ? words[zipf_rank() % 200] : tok[i]);
    }
    free(copy);
    return detach(&b);
}

/* A query of words in no vocabulary (syllables neither generator uses). */
static char *oov_text(const char *lang)
{
    static const char *const ko[] = {"뷁", "꿿", "퓇", "쀍", "뛟", "챫", "솱", "껿"};
    static const char *const en[] = {"xq", "zv", "qj", "vx", "jz", "kq", "wx", "fq"};
    const char *const *s = strcmp(lang, "ko") == 0 ? ko : en;
    strbuf b;
    strbuf_init(&b);
    int n = 2 + rnd(4);
    for (int i = 0; i < n; i++) {
        if (i)
            strbuf_puts(&b, " ");
        for (int k = 0; k < 3; k++)
            strbuf_puts(&b, s[rnd(8)]);
    }
    return detach(&b);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int run_queries(store *s, const query *qs, int n, const char *label)
{
    double *t = xmalloc(sizeof *t * (size_t)n);
    int found = 0, errors = 0, altered = 0, own = 0;
    for (int i = 0; i < n; i++) {
        store_kb_hit hit;
        double t0 = now_ms();
        sd_code rc = store_kb_search(s, qs[i].lang, qs[i].text, 0, &hit);
        t[i] = now_ms() - t0;
        if (rc == SD_OK)
            found++;
        else if (rc != SD_ERR_NOT_FOUND)
            errors++;
        if (qs[i].source) {
            altered++;
            own += rc == SD_OK && strcmp(hit.key, qs[i].source) == 0;
        }
    }
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    double p50 = t[n / 2], p99 = t[(int)((double)n * 0.99)], max = t[n - 1];
    printf("kb %s: %d queries (%d answered, %d errors)  p50 %.3f ms  p99 %.3f ms  max %.3f ms\n",
           label, n, found, errors, p50, p99, max);
    printf("kb %s: the entry an altered question came from ranked first for %d of %d (%.1f%%)\n",
           label, own, altered, altered ? 100.0 * own / altered : 0.0);
    printf("KB_P99_MS %s %.3f\n", label, p99);
    free(t);
    return errors ? 1 : 0;
}

/* ---- the two modes ---- */

static int bench_bundled(const char *db, int nq)
{
    char err[512];
    engine *e = NULL;
    engine_config cfg = {.data_dir = NULL, .db_path = db};
    if (engine_open(&cfg, &e, err, sizeof err) != SD_OK) {
        fprintf(stderr, "bench_kb: engine_open: %s\n", err);
        return 1;
    }
    json_error_t jerr;
    json_t *root = json_load_file(SEODONG_SOURCE_DIR "/data/kb.json", 0, &jerr);
    if (!root) {
        fprintf(stderr, "bench_kb: data/kb.json: %s\n", jerr.text);
        engine_close(e);
        return 1;
    }
    /* The bundled questions, per language. */
    query *pool = NULL;
    int npool = 0, cap = 0;
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(root, "entries"), i, entry)
    {
        static const char *const langs[] = {"ko", "en"};
        for (int l = 0; l < 2; l++) {
            json_t *qs = json_object_get(json_object_get(entry, langs[l]), "questions");
            size_t j;
            json_t *q;
            json_array_foreach(qs, j, q)
            {
                if (npool == cap) {
                    cap = cap ? cap * 2 : 256;
                    pool = realloc(pool, sizeof *pool * (size_t)cap);
                    if (!pool)
                        return 1;
                }
                pool[npool].lang = langs[l];
                pool[npool].source = json_string_value(json_object_get(entry, "id"));
                pool[npool++].text = xstrdup(json_string_value(q));
            }
        }
    }
    if (npool == 0) {
        fputs("bench_kb: no questions in data/kb.json\n", stderr);
        json_decref(root);
        engine_close(e);
        return 1;
    }
    static const char *const ko_common[] = {"좀", "혹시", "어디서", "언제", "구청", "신청"};
    static const char *const en_common[] = {"please", "where", "when", "office", "can", "how"};
    char *ko_fill[200], *en_fill[200];
    for (int k = 0; k < 200; k++) {
        ko_fill[k] = (char *)ko_common[k % 6];
        en_fill[k] = (char *)en_common[k % 6];
    }
    query *qs = xmalloc(sizeof *qs * (size_t)nq);
    for (int k = 0; k < nq; k++) {
        const query *src = &pool[rnd(npool)];
        qs[k].lang = src->lang;
        qs[k].source = NULL;
        if (k % 10 == 9)
            qs[k].text = oov_text(src->lang);
        else {
            qs[k].text = alter(src->text, strcmp(src->lang, "ko") == 0 ? ko_fill : en_fill);
            qs[k].source = src->source;
        }
    }
    store_kb_stats st;
    store_kb_stats_get(engine_store(e), &st);
    char label[64];
    snprintf(label, sizeof label, "bundled(%d)", st.entries);
    int rc = run_queries(engine_store(e), qs, nq, label);
    for (int k = 0; k < nq; k++)
        free(qs[k].text);
    for (int k = 0; k < npool; k++)
        free(pool[k].text);
    free(qs);
    free(pool);
    json_decref(root); /* last: the queries point at its keys */
    engine_close(e);
    return rc;
}

static int bench_generated(const char *db, int n, int nq)
{
    char err[512];
    store *s = NULL;
    if (store_open(db, &s, err, sizeof err) != SD_OK) {
        fprintf(stderr, "bench_kb: store_open: %s\n", err);
        return 1;
    }
    make_vocab(ko_words, ko_syll, (int)N_KO_SYLL);
    make_vocab(en_words, en_syll, (int)N_EN_SYLL);
    make_zipf();

    store_kb_entry *es = xmalloc(sizeof *es * (size_t)n);
    char **firstq = xmalloc(sizeof *firstq * (size_t)n);
    for (int i = 0; i < n; i++) {
        char **w = i % 2 ? en_words : ko_words;
        char key[32];
        snprintf(key, sizeof key, "gen-%d", i);
        /* 3-5 + 2 x (3-7) + 6-18 + 1-3 words: 15 to 40 in all. */
        char *q1 = words_text(w, 3 + rnd(5)), *q2 = words_text(w, 3 + rnd(5));
        strbuf qb;
        strbuf_init(&qb);
        strbuf_puts(&qb, q1);
        strbuf_puts(&qb, "\n");
        strbuf_puts(&qb, q2);
        free(q2);
        firstq[i] = q1;
        es[i] = (store_kb_entry){.key = xstrdup(key),
                                 .lang = i % 2 ? "en" : "ko",
                                 .topic = "general",
                                 .department = "civil",
                                 .title = words_text(w, 3 + rnd(3)),
                                 .questions = detach(&qb),
                                 .answer = words_text(w, 6 + rnd(13)),
                                 .keywords = words_text(w, 1 + rnd(3))};
    }
    double t0 = now_ms();
    sd_code rc = store_kb_replace(s, es, (size_t)n);
    double load_ms = now_ms() - t0;
    if (rc != SD_OK) {
        fprintf(stderr, "bench_kb: store_kb_replace: %s (%s)\n", sd_strerror(rc), store_errmsg(s));
        store_close(s);
        return 1;
    }
    store_kb_stats st;
    store_kb_stats_get(s, &st);
    printf("kb generate: %d entries (%d ko, %d en, %d terms) loaded in %.1f s\n", st.entries,
           st.entries_ko, st.entries_en, st.terms, load_ms / 1e3);

    query *qs = xmalloc(sizeof *qs * (size_t)nq);
    for (int k = 0; k < nq; k++) {
        int i = rnd(n);
        char **w = i % 2 ? en_words : ko_words;
        qs[k].lang = i % 2 ? "en" : "ko";
        qs[k].source = NULL;
        if (k % 10 == 9)
            qs[k].text = oov_text(qs[k].lang); /* 10% out of vocabulary */
        else if (k % 10 == 8)
            qs[k].text = words_text(w, 2 + rnd(5)); /* 10% bags of common words */
        else {
            qs[k].text = alter(firstq[i], w); /* 80% altered questions */
            qs[k].source = es[i].key;
        }
    }
    char label[64];
    snprintf(label, sizeof label, "generated(%d)", st.entries);
    int res = run_queries(s, qs, nq, label);

    for (int k = 0; k < nq; k++)
        free(qs[k].text);
    free(qs);
    for (int i = 0; i < n; i++) {
        free((char *)es[i].key);
        free((char *)es[i].title);
        free((char *)es[i].questions);
        free((char *)es[i].answer);
        free((char *)es[i].keywords);
        free(firstq[i]);
    }
    free(es);
    free(firstq);
    for (int i = 0; i < VOCAB; i++) {
        free(ko_words[i]);
        free(en_words[i]);
    }
    store_close(s);
    return res;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[2], "bundled") == 0) {
        remove_db(argv[1]);
        return bench_bundled(argv[1], argc > 3 ? atoi(argv[3]) : 2000);
    }
    if (argc >= 4 && strcmp(argv[2], "generate") == 0 && atoi(argv[3]) > 0) {
        remove_db(argv[1]);
        return bench_generated(argv[1], atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 2000);
    }
    fputs("usage: bench_kb DB bundled [QUERIES] | bench_kb DB generate N [QUERIES]\n", stderr);
    return 2;
}

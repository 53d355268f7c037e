/* test_kbsearch.c - the knowledge-base search of the store: candidates from the rarest terms,
 * the entry covering most of the question wins, the early stop below min_coverage, questions
 * made only of common terms, and a replace that leaves the index consistent. Real SQLite file (or
 * the PostgreSQL database of SEODONG_TEST_DB). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_store.h"
#include "store.h"

static char db_path[64];

static store *open_store(void)
{
    snprintf(db_path, sizeof db_path, "/tmp/seodong-kbsearch-%d.db", (int)getpid());
    return check_store_open(db_path);
}

static const store_kb_entry bundled[] = {
    {"hours", "ko", "general", "civil", "민원실 운영 시간", "민원실 몇 시까지 해요?",
     "평일 9시부터 6시까지입니다.", "운영시간"},
    {"hours", "en", "general", "civil", "Civil affairs office hours",
     "When does the civil affairs office close?", "Weekdays 9 to 6.", "hours"},
    {"food", "ko", "waste", "clean", "음식물 쓰레기 배출", "음식물 쓰레기 언제 버려요?",
     "저녁 8시부터 자정까지 내놓으세요.", "음식물"},
    {"bulky", "ko", "waste", "clean", "대형 폐기물 신고", "소파 버리려면 어떻게 해요?",
     "대형 폐기물 스티커를 붙여 내놓으세요.", "가구"},
};

static void test_best_entry(void)
{
    store *s = open_store();
    CHECK(store_kb_replace(s, bundled, 4) == SD_OK);
    store_kb_hit hit;
    CHECK(store_kb_search(s, "ko", "음식물쓰레기 언제 버리나요", 0, &hit) == SD_OK);
    CHECK_STR(hit.key, "food");
    CHECK_STR(hit.department, "clean");
    CHECK(strstr(hit.answer, "자정") != NULL);
    CHECK(hit.coverage > 0.3 && hit.coverage <= 1.0);
    CHECK(store_kb_search(s, "en", "what time does the office close", 0, &hit) == SD_OK);
    CHECK_STR(hit.key, "hours");
    /* The language decides which entries answer. */
    CHECK(store_kb_search(s, "en", "음식물 쓰레기", 0, &hit) == SD_ERR_NOT_FOUND);
    CHECK(store_kb_search(s, "ko", "", 0, &hit) == SD_ERR_NOT_FOUND);
    /* FTS5 syntax in a question is only text. */
    CHECK(store_kb_search(s, "ko", "\"음식물\" OR NEAR(쓰레기 *", 0, &hit) == SD_OK);
    CHECK_STR(hit.key, "food");
    store_close(s);
    check_store_remove(db_path);
}

static void test_min_coverage(void)
{
    store *s = open_store();
    CHECK(store_kb_replace(s, bundled, 4) == SD_OK);
    store_kb_hit hit;
    /* Mostly words no entry uses: the best possible coverage is low. */
    const char *q = "음식물 비트코인 주식 코스피 환율 전망";
    CHECK(store_kb_search(s, "ko", q, 0, &hit) == SD_OK);
    double got = hit.coverage;
    CHECK(got > 0 && got < 0.5);
    CHECK(store_kb_search(s, "ko", q, 0.9, &hit) == SD_ERR_NOT_FOUND);
    CHECK(hit.coverage == 0);
    /* A bound at or under what an entry reaches changes nothing. */
    CHECK(store_kb_search(s, "ko", q, got, &hit) == SD_OK);
    CHECK_STR(hit.key, "food");
    store_close(s);
    check_store_remove(db_path);
}

/* Many entries sharing the same common words, one of which also holds a rarer pair. */
static void test_common_terms(void)
{
    enum { N = 3200 };
    store_kb_entry *es = calloc(N, sizeof *es);
    char(*keys)[16] = calloc(N, 16);
    CHECK(es && keys);
    if (!es || !keys)
        return;
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], 16, "e%d", i);
        bool special = i == N / 2;
        es[i] = (store_kb_entry){keys[i],
                                 "en",
                                 "general",
                                 "civil",
                                 special ? "parking permit office" : "parking office",
                                 special ? "permit parking office hours" : "parking office hours",
                                 "answer",
                                 special ? "permit" : ""};
    }
    store *s = open_store();
    CHECK(store_kb_replace(s, es, N) == SD_OK);
    store_kb_hit hit;
    /* permit is rare: it alone brings the right entry in. */
    CHECK(store_kb_search(s, "en", "parking permit office", 0, &hit) == SD_OK);
    CHECK_STR(hit.key, keys[N / 2]);
    /* Every term is held by more than 3000 entries: one holding them all still answers. */
    CHECK(store_kb_search(s, "en", "parking office hours", 0, &hit) == SD_OK);
    CHECK(hit.coverage > 0.99);
    /* Replacing the KB leaves no trace of the old entries in the index. */
    CHECK(store_kb_replace(s, bundled, 4) == SD_OK);
    CHECK(store_kb_search(s, "en", "parking permit", 0, &hit) == SD_ERR_NOT_FOUND);
    store_kb_stats st;
    CHECK(store_kb_stats_get(s, &st) == SD_OK);
    CHECK(st.entries == 4);
    store_close(s);
    check_store_remove(db_path);
    free(es);
    free(keys);
}

int main(void)
{
    test_best_entry();
    test_min_coverage();
    test_common_terms();
    CHECK_DONE();
}

/* Korean pronunciation: each rule of 표준 발음법 on textbook examples (checked on the pronounced
 * Hangul), the en-us phones and their variants, numbers, letters, bad input, and every word of
 * the Korean grammar and its slot files (each must get a pronunciation). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check.h"
#include "g2p_ko.h"
#include "grammar.h"
#include "utf8.h"

static g2p_ko *g;

/* The pronounced Hangul of word (its first reading), or "(error)". */
static const char *said(const char *word)
{
    g2p_ko_result r;
    return g2p_ko_analyse(g, word, strlen(word), &r, NULL, 0) == SD_OK ? r.said[0] : "(error)";
}

#define SAID(word, want)                                                                           \
    do {                                                                                           \
        const char *got_ = said(word);                                                             \
        if (strcmp(got_, want) != 0)                                                               \
            fprintf(stderr, "%s: ", word);                                                         \
        CHECK_STR(got_, want);                                                                     \
    } while (0)

static void rules(void)
{
    /* 연음 liaison, double finals too (제13·14항) */
    SAID("옷이", "오시");
    SAID("부엌에", "부어케");
    SAID("닭이", "달기");
    SAID("앉아", "안자");
    SAID("값이", "갑씨");
    SAID("있어요", "이써요");
    SAID("넓어", "널버");
    SAID("민원실", "미눤실");
    SAID("공원", "공원"); /* ㅇ does not move */
    /* neutralisation to seven codas (제9-11항) */
    SAID("옷", "옫");
    SAID("부엌", "부억");
    SAID("잎", "입");
    SAID("닭", "닥");
    SAID("값", "갑");
    SAID("넓다", "널따");
    SAID("읽다", "익따");
    SAID("읽고", "일꼬"); /* ㄺ keeps ㄹ before ㄱ */
    SAID("밟다", "밥따"); /* 밟- keeps ㅂ */
    SAID("읊다", "읍따");
    SAID("앉다", "안따");
    SAID("젊다", "점따");
    SAID("없다", "업따");
    /* 비음화 nasalisation (제18·19항) */
    SAID("국물", "궁물");
    SAID("입니다", "임니다");
    SAID("받는", "반는");
    SAID("종로", "종노");
    SAID("심리", "심니");
    SAID("협력", "혐녁");
    SAID("백리", "뱅니");
    SAID("읽는", "잉는");
    SAID("청라동", "청나동");
    SAID("감사합니다", "감사함니다");
    /* 유음화 liquidisation (제20항) */
    SAID("신라", "실라");
    SAID("칼날", "칼랄");
    SAID("뚫는", "뚤른");
    /* 경음화 tensification (제23-25·27항) */
    SAID("먹고", "먹꼬");
    SAID("국밥", "국빱");
    SAID("접수", "접쑤");
    SAID("있습니다", "읻씀니다");
    SAID("할게요", "할께요");
    SAID("길게", "길게"); /* not the -ㄹ게 ending */
    SAID("신고", "신고"); /* 신고 "report": no tensing after ㄴ outside verb stems */
    /* 구개음화 palatalisation (제17항) */
    SAID("같이", "가치");
    SAID("굳이", "구지");
    SAID("밭이", "바치");
    SAID("굳히다", "구치다");
    SAID("끝에", "끄테"); /* only before 이 */
    /* ㅎ aspiration and deletion (제12항) */
    SAID("좋다", "조타");
    SAID("축하", "추카");
    SAID("많다", "만타");
    SAID("입학", "이팍");
    SAID("앉히다", "안치다");
    SAID("밝히다", "발키다");
    SAID("좋아", "조아");
    SAID("않아", "아나");
    SAID("싫어", "시러");
    SAID("놓는", "논는");
    SAID("않는", "안는");
    SAID("닿소", "다쏘");
    /* vowels (제5항) */
    SAID("희망", "히망");
    SAID("의사", "의사");
    SAID("가져", "가저");
    /* ㄴ insertion in numbers (제29항) */
    SAID("십육", "심뉵");
    SAID("칠육", "칠륙");
    SAID("교육", "교육");
}

static bool is_en_us_phone(const char *p, size_t n)
{
    static const char *const set[] = {
        "AA", "AE", "AH", "AO", "AW", "AY", "B",  "CH", "D", "DH", "EH", "ER", "EY",
        "F",  "G",  "HH", "IH", "IY", "JH", "K",  "L",  "M", "N",  "NG", "OW", "OY",
        "P",  "R",  "S",  "SH", "T",  "TH", "UH", "UW", "V", "W",  "Y",  "Z",  "ZH",
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (strlen(set[i]) == n && memcmp(set[i], p, n) == 0)
            return true;
    return false;
}

/* Every variant of r: in the phone set, single spaces, distinct. */
static bool variants_valid(const g2p_ko_result *r)
{
    if (r->count < 1 || r->count > G2P_KO_MAX_VARIANTS)
        return false;
    for (size_t v = 0; v < r->count; v++) {
        const char *p = r->phones[v];
        while (*p) {
            size_t n = strcspn(p, " ");
            if (!is_en_us_phone(p, n) || (p[n] == ' ' && p[n + 1] == '\0'))
                return false;
            p += n + (p[n] == ' ');
        }
        for (size_t w = 0; w < v; w++)
            if (strcmp(r->phones[v], r->phones[w]) == 0)
                return false;
    }
    return true;
}

static void phones(void)
{
    static const struct {
        const char *word, *variant0;
        size_t count;
    } cases[] = {
        {"국물", "K UW NG M UW L", 2},
        {"감사합니다", "K AA M S AA HH AA M N IY D AA", 4},
        {"쓰레기", "S UH R EH G IY", 4},
        {"같이", "K AA CH IY", 2},
        {"청라동", "CH AH NG N AA D OW NG", 2},
        {"불법", "P UW L B AH P", 4},
        {"신라", "SH IY L L AA", 1},
        {"의사", "UH IY S AA", 2},
        {"쉬워요", "SH W IY W AH Y OW", 2},
        {"주차", "CH UW CH AA", 2},
        {"여보세요", "Y AH B OW S EH Y OW", 2},
        {"어떻게", "AH T AH K EH", 2}, /* one kind for both ㅓ */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        g2p_ko_result r;
        CHECK(g2p_ko_analyse(g, cases[i].word, strlen(cases[i].word), &r, NULL, 0) == SD_OK);
        CHECK_STR(r.phones[0], cases[i].variant0);
        if (r.count != cases[i].count)
            fprintf(stderr, "%s: %zu variants, want %zu\n", cases[i].word, r.count, cases[i].count);
        CHECK(r.count == cases[i].count && variants_valid(&r));
    }
    /* Variants: the most important ambiguity first, fewest changes first. */
    g2p_ko_result r;
    CHECK(g2p_ko_analyse(g, "불법", strlen("불법"), &r, NULL, 0) == SD_OK);
    CHECK_STR(r.phones[1], "P UW L B AO P");
    CHECK_STR(r.phones[2], "B UW L B AH P");
    CHECK_STR(r.phones[3], "B UW L B AO P");
    /* A word with many ambiguities still has at most 8. */
    CHECK(g2p_ko_analyse(g, "거기서어르신", strlen("거기서어르신"), &r, NULL, 0) == SD_OK);
    CHECK(r.count == G2P_KO_MAX_VARIANTS && variants_valid(&r));
    CHECK_STR(r.phones[0], "K AH G IY S AH AH R UH SH IY N");
    /* The recgram callback: variants until NULL. */
    CHECK_STR(g2p_ko_pron(g, "국물", 0), "K UW NG M UW L");
    CHECK_STR(g2p_ko_pron(g, "국물", 1), "G UW NG M UW L");
    CHECK(g2p_ko_pron(g, "국물", 2) == NULL);
    CHECK(g2p_ko_pron(g, "你好", 0) == NULL);
    CHECK(g2p_ko_pron(g, "\xff", 0) == NULL);
    CHECK_STR(g2p_ko_pron(g, "sg", 0), "EH S UH JH IY");
}

static void spelled_out(void)
{
    g2p_ko_result r;
    /* Digits: a number, and for 2-4 digits digit by digit as the second reading. */
    CHECK(g2p_ko_analyse(g, "119", 3, &r, NULL, 0) == SD_OK && r.readings == 2);
    CHECK_STR(r.said[0], "백씹꾸");
    CHECK_STR(r.said[1], "이릴구");
    CHECK(r.reading[0] == 0 && r.reading[r.count - 1] == 1 && variants_valid(&r));
    SAID("청라1동", "청나일동");
    SAID("2026", "이처니심뉵");
    SAID("010", "공일공");
    SAID("16", "심뉵");
    /* A station's 역 is also read with ㄴ inserted. */
    CHECK(g2p_ko_analyse(g, "석남역", strlen("석남역"), &r, NULL, 0) == SD_OK);
    CHECK(r.readings == 2 && variants_valid(&r));
    CHECK_STR(r.said[0], "성나멱");
    CHECK_STR(r.said[1], "성남녁");
    CHECK(g2p_ko_analyse(g, "청라역", strlen("청라역"), &r, NULL, 0) == SD_OK && r.readings == 1);
    /* Latin letters by their Korean names, either case; punctuation is silent. */
    SAID("SG", "에스지");
    SAID("suv", "에스유브이");
    SAID("SG-2026", "에스지이처니심뉵");
    SAID("ㅇㅇ", "응응");
    /* What has no Korean reading is refused, with the reason. */
    char err[128];
    CHECK(g2p_ko_analyse(g, "漢字", strlen("漢字"), &r, err, sizeof err) == SD_ERR_INVALID);
    CHECK(strstr(err, "漢") && strstr(err, "no Korean reading"));
    CHECK(g2p_ko_analyse(g, "ㅋ", strlen("ㅋ"), &r, err, sizeof err) == SD_ERR_INVALID);
    CHECK(g2p_ko_analyse(g, "불법 주차", strlen("불법 주차"), &r, err, sizeof err) ==
          SD_ERR_INVALID);
    CHECK(g2p_ko_analyse(g, "...", 3, &r, err, sizeof err) == SD_ERR_INVALID);
    CHECK(strstr(err, "nothing to pronounce") != NULL);
    CHECK(g2p_ko_analyse(g, "", 0, &r, NULL, 0) == SD_ERR_INVALID);
    CHECK(g2p_ko_analyse(g, "국\xed\xa0\x80물", 8, &r, err, sizeof err) == SD_ERR_UTF8);
    char longword[G2P_KO_MAX_WORD + 2];
    memset(longword, 'a', sizeof longword - 1);
    longword[sizeof longword - 1] = '\0';
    CHECK(g2p_ko_analyse(g, longword, strlen(longword), &r, NULL, 0) == SD_ERR_TOO_LONG);
    CHECK(g2p_ko_analyse(g, longword, G2P_KO_MAX_WORD, &r, NULL, 0) == SD_OK);
    CHECK(variants_valid(&r));
}

static void numbers(void)
{
    static const struct {
        const char *digits, *want;
        g2p_ko_number_style style;
    } cases[] = {
        {"2026", "이천이십육", G2P_KO_NUMBER_VALUE},
        {"0", "영", G2P_KO_NUMBER_VALUE},
        {"10", "십", G2P_KO_NUMBER_VALUE},
        {"11", "십일", G2P_KO_NUMBER_VALUE},
        {"105", "백오", G2P_KO_NUMBER_VALUE},
        {"1000", "천", G2P_KO_NUMBER_VALUE},
        {"10000", "만", G2P_KO_NUMBER_VALUE},
        {"20000", "이만", G2P_KO_NUMBER_VALUE},
        {"12345", "만이천삼백사십오", G2P_KO_NUMBER_VALUE},
        {"100000000", "일억", G2P_KO_NUMBER_VALUE},
        {"1000010000", "십억만", G2P_KO_NUMBER_VALUE},
        {"0032", "삼십이", G2P_KO_NUMBER_VALUE},
        {"9999999999999999", "구천구백구십구조구천구백구십구억구천구백구십구만구천구백구십구",
         G2P_KO_NUMBER_VALUE},
        {"010", "공일공", G2P_KO_NUMBER_DIGITS},
        {"5678", "오육칠팔", G2P_KO_NUMBER_DIGITS},
    };
    strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        strbuf_clear(&sb);
        CHECK(g2p_ko_number_words(cases[i].digits, strlen(cases[i].digits), cases[i].style, &sb) ==
              SD_OK);
        CHECK_STR(strbuf_str(&sb), cases[i].want);
    }
    CHECK(g2p_ko_number_words("12345678901234567", 17, G2P_KO_NUMBER_VALUE, &sb) ==
          SD_ERR_TOO_LONG);
    CHECK(g2p_ko_number_words("12a", 3, G2P_KO_NUMBER_DIGITS, &sb) == SD_ERR_INVALID);
    CHECK(g2p_ko_number_words("", 0, G2P_KO_NUMBER_VALUE, &sb) == SD_ERR_INVALID);
    strbuf_free(&sb);
}

static void jamo(void)
{
    g2p_ko_jamo j;
    size_t bad = 0;
    for (uint32_t cp = 0xAC00; cp <= 0xD7A3; cp++)
        if (!g2p_ko_decompose(cp, &j) || g2p_ko_compose(j) != cp)
            bad++;
    CHECK(bad == 0);
    CHECK(g2p_ko_decompose(0xD55C, &j) && j.initial == 18 && j.medial == 0 &&
          j.final == 4); /* 한 */
    CHECK(!g2p_ko_decompose('a', &j) && !g2p_ko_decompose(0x3131, &j) &&
          !g2p_ko_decompose(0xD7A4, &j));
    CHECK(g2p_ko_compose((g2p_ko_jamo){19, 0, 0}) == 0);
    CHECK(g2p_ko_compose((g2p_ko_jamo){0, 21, 0}) == 0);
    CHECK(g2p_ko_compose((g2p_ko_jamo){0, 0, 28}) == 0);
}

/* Running text for the speaker: Hangul runs rewritten, the rest kept. */
static void text(void)
{
    strbuf sb;
    strbuf_init(&sb);
    const char *in = "접수번호는 SG-2026-000001입니다. 국물이 맛있습니다!";
    CHECK(g2p_ko_pronounced(g, in, strlen(in), &sb) == SD_OK);
    CHECK_STR(strbuf_str(&sb), "접쑤번호는 SG-2026-000001임니다. 궁무리 마싣씀니다!");
    strbuf_clear(&sb);
    CHECK(g2p_ko_pronounced(g,
                            "a\xc0\xaf"
                            "b",
                            4, &sb) == SD_ERR_UTF8);
    strbuf_free(&sb);
}

/* ---- every word of the Korean grammar ---- */

typedef struct {
    char **words;
    size_t n, cap;
    bool failed;
} word_list;

static void add_word(word_list *w, const char *s, size_t len)
{
    if (len == 0 || w->failed)
        return;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1024;
        char **p = realloc(w->words, cap * sizeof *p);
        if (!p) {
            w->failed = true;
            return;
        }
        w->words = p;
        w->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        w->failed = true;
        return;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    w->words[w->n++] = copy;
}

/* Adds the words of s: split at spaces and at slot marks. */
static void add_words(word_list *w, const char *s)
{
    size_t len = strlen(s), start = 0, i = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t step = utf8_decode_char(s + i, len - i, &cp);
        if (step == 0)
            step = 1;
        if (cp == ' ' || (cp >= GRAMMAR_SLOT_MARK && cp < GRAMMAR_SLOT_MARK + 0x100)) {
            add_word(w, s + start, i - start);
            start = i + step;
        }
        i += step;
    }
    add_word(w, s + start, len - start);
}

static int collect(void *ctx, size_t intent, const char *sentence)
{
    (void)intent;
    add_words(ctx, sentence);
    return 0;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void grammar_words(void)
{
    const char *src = getenv("SEODONG_SOURCE_DIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/grammars", src && *src ? src : SEODONG_SOURCE_DIR);
    grammar *gr = NULL;
    char err[256];
    CHECK(grammar_load(dir, "ko", &gr, err, sizeof err) == SD_OK);
    if (!gr)
        return;
    word_list w = {0};
    for (size_t i = 0; i < grammar_intent_count(gr); i++)
        for (size_t t = 0; t < grammar_template_count(gr, i); t++)
            CHECK(grammar_expand(gr, i, t, (size_t)-1, collect, &w) == SD_OK);
    for (size_t s = 0; s < grammar_slot_count(gr); s++)
        for (size_t v = 0; v < grammar_slot_value_count(gr, s); v++)
            for (size_t k = 0; k < grammar_slot_synonym_count(gr, s, v); k++)
                add_words(&w, grammar_slot_synonym(gr, s, v, k));
    grammar_free(gr);
    CHECK(!w.failed && w.n > 0);
    qsort(w.words, w.n, sizeof *w.words, by_string);
    size_t distinct = 0, missing = 0, variants = 0;
    for (size_t i = 0; i < w.n; i++) {
        if (i > 0 && strcmp(w.words[i], w.words[i - 1]) == 0)
            continue;
        distinct++;
        g2p_ko_result r;
        char why[256];
        if (g2p_ko_analyse(g, w.words[i], strlen(w.words[i]), &r, why, sizeof why) != SD_OK) {
            fprintf(stderr, "cannot pronounce '%s': %s\n", w.words[i], why);
            missing++;
            continue;
        }
        if (!variants_valid(&r))
            fprintf(stderr, "bad variants for '%s'\n", w.words[i]);
        CHECK(variants_valid(&r));
        variants += r.count;
    }
    printf("grammar: %zu distinct words, %zu pronunciations, %zu cannot be pronounced\n", distinct,
           variants, missing);
    CHECK(missing == 0 && distinct > 500);
    for (size_t i = 0; i < w.n; i++)
        free(w.words[i]);
    free(w.words);
}

/* The seodong g2p command: its output and its exit codes. */
static int run(const char *bin, const char *args, char *out, size_t outlen)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' g2p %s 2>/dev/null", bin, args);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void command(void)
{
    const char *bin = getenv("SEODONG_BIN");
    if (!bin || !*bin)
        return;
    char out[4096];
    CHECK(run(bin, "'국물 주차'", out, sizeof out) == 0);
    CHECK(strstr(out, "국물 [궁물]\n  0  K UW NG M UW L\n  1  G UW NG M UW L\n주차 [주차]\n"));
    CHECK(run(bin, "--help", out, sizeof out) == 0 && strstr(out, "usage: seodong g2p"));
    CHECK(run(bin, "--bogus", out, sizeof out) == 2);
    CHECK(run(bin, "국물 漢字", out, sizeof out) == 1 && strstr(out, "국물 [궁물]"));
    CHECK(run(bin, "< /dev/null", out, sizeof out) == 0 && out[0] == '\0');
}

int main(void)
{
    CHECK(g2p_ko_new(&g) == SD_OK);
    rules();
    phones();
    spelled_out();
    numbers();
    jamo();
    text();
    grammar_words();
    command();
    g2p_ko_free(g);
    CHECK_DONE();
}

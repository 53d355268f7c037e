/* g2p_ko.c - Korean pronunciation: spelling -> pronounced Hangul -> en-us phones (g2p_ko.h).
 *
 * How it works. A word is spelled out into Hangul syllables, each split into onset, vowel and
 * coda (a double final such as ㄺ keeps its two consonants until it is neutralised). Nearly all
 * of the standard pronunciation rules (표준 발음법, articles cited as 제N항) concern what happens
 * where one syllable's coda meets the next syllable's onset, so they run once per boundary, left
 * to right, in the order the standard implies:
 *
 *   ㅎ        aspiration (좋다 -> 조타, 축하 -> 추카) or deletion (좋아 -> 조아)
 *   liaison   the coda moves to a vowel-initial syllable (옷이 -> 오시, 닭이 -> 달기), with
 *             palatalisation (같이 -> 가치)
 *   codas     neutralised to ㄱ ㄴ ㄷ ㄹ ㅁ ㅂ ㅇ (옷 -> 옫, 값 -> 갑)
 *   tensing   after an obstruent coda (먹고 -> 먹꼬)
 *   nasals and liquids  (국물 -> 궁물, 종로 -> 종노, 신라 -> 실라, 칼날 -> 칼랄)
 *
 * then two vowel rules per syllable (희 -> 히, 져 -> 저). The result is composed back into
 * Hangul and mapped to en-us phones by tables indexed by sound and context (word-initial, after
 * a vowel, after a sonorant coda, after a stop coda).
 *
 * Ambiguous mappings are grouped into kinds (ㅓ said AO rather than AH, word-initial lax stops
 * voiced, ...). A kind applies to the whole word at once, because whoever says one ㅓ of a word
 * like AO says them all so; the variants are the combinations of the word's most important
 * kinds, fewest changes first, so a word has 1, 2, 4 or 8 of them and never a product of every
 * ambiguous sound.
 *
 * Known gaps, all morphological (the spelling alone does not show them): tensing after verb
 * stems in ㄴ ㅁ (신고 "wearing" -> 신꼬) and in Sino-Korean ㄹ + ㄷ ㅅ ㅈ (발전 -> 발쩐), 사이시옷
 * compounds (등불 -> 등뿔), ㄴ insertion in compounds (솜이불 -> 솜니불), ㄴㄹ -> ㄴㄴ in
 * Sino-Korean compounds (의견란 -> 의견난), and nouns in ㄺ before ㄱ (닭고기 is said 닥꼬기, not
 * 달꼬기). Rules are applied inside a word only, never across spaces. */
#include "g2p_ko.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define SYLLABLE_BASE 0xAC00u
#define N_INITIALS 19
#define N_MEDIALS 21
#define N_FINALS 28

/* ---- jamo ---- */

/* Consonants and vowels, numbered like the Hangul initials and medials. C_NG as an onset is the
 * silent ㅇ. (Kept in rows under their jamo, which one-per-line formatting would scatter.) */
/* clang-format off */
enum {
    C_G, C_KK, C_N, C_D, C_TT, C_R, C_M, C_B, C_PP, C_S,        /* ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ */
    C_SS, C_NG, C_J, C_JJ, C_CH, C_K, C_T, C_P, C_H, C_COUNT    /* ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ */
};
enum {
    V_A, V_AE, V_YA, V_YAE, V_EO, V_E, V_YEO, V_YE, V_O, V_WA,  /* ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ */
    V_WAE, V_OE, V_YO, V_U, V_WEO, V_WE, V_WI, V_YU, V_EU, V_UI, /* ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ */
    V_I, V_COUNT                                                /* ㅣ */
};
/* clang-format on */
#define C_NONE 0xFF

/* A syllable being pronounced: onset, vowel and up to two coda consonants. */
typedef struct {
    uint8_t on, v, c1, c2;
} syl;

/* The consonants each final is written with, in the Unicode order of the finals. */
static const uint8_t finals[N_FINALS][2] = {
    {C_NONE, C_NONE}, {C_G, C_NONE}, {C_KK, C_NONE}, {C_G, C_S},     {C_N, C_NONE}, {C_N, C_J},
    {C_N, C_H},       {C_D, C_NONE}, {C_R, C_NONE},  {C_R, C_G},     {C_R, C_M},    {C_R, C_B},
    {C_R, C_S},       {C_R, C_T},    {C_R, C_P},     {C_R, C_H},     {C_M, C_NONE}, {C_B, C_NONE},
    {C_B, C_S},       {C_S, C_NONE}, {C_SS, C_NONE}, {C_NG, C_NONE}, {C_J, C_NONE}, {C_CH, C_NONE},
    {C_K, C_NONE},    {C_T, C_NONE}, {C_P, C_NONE},  {C_H, C_NONE},
};

/* What each consonant becomes as a coda (제9항: seven sounds), merged with ㅎ (제12항) and
 * tensed after an obstruent (제23항); C_NONE where it cannot. */
static const struct {
    uint8_t coda, aspirated, tense;
} consonants[C_COUNT] = {
    [C_G] = {C_G, C_K, C_KK},      [C_KK] = {C_G, C_K, C_NONE},  [C_N] = {C_N, C_NONE, C_NONE},
    [C_D] = {C_D, C_T, C_TT},      [C_TT] = {C_D, C_T, C_NONE},  [C_R] = {C_R, C_NONE, C_NONE},
    [C_M] = {C_M, C_NONE, C_NONE}, [C_B] = {C_B, C_P, C_PP},     [C_PP] = {C_B, C_P, C_NONE},
    [C_S] = {C_D, C_T, C_SS},      [C_SS] = {C_D, C_T, C_NONE},  [C_NG] = {C_NG, C_NONE, C_NONE},
    [C_J] = {C_D, C_CH, C_JJ},     [C_JJ] = {C_D, C_CH, C_NONE}, [C_CH] = {C_D, C_CH, C_NONE},
    [C_K] = {C_G, C_K, C_NONE},    [C_T] = {C_D, C_T, C_NONE},   [C_P] = {C_B, C_P, C_NONE},
    [C_H] = {C_D, C_NONE, C_NONE},
};

/* Double finals: the consonant kept before a consonant or at the end (제10·11항), and whether
 * they tense a following lax obstruent (제23항; 제24·25항 for stems in ㄵ ㄻ ㄼ ㄾ). */
static const struct {
    uint8_t first, second, keep;
    bool tenses;
} doubles[] = {
    {C_G, C_S, C_G, true},  /* ㄳ 몫 -> 목 */
    {C_N, C_J, C_N, true},  /* ㄵ 앉다 -> 안따 */
    {C_N, C_H, C_N, false}, /* ㄶ: the ㅎ rules */
    {C_R, C_G, C_G, true},  /* ㄺ 닭 -> 닥, 읽다 -> 익따 */
    {C_R, C_M, C_M, true},  /* ㄻ 젊다 -> 점따 */
    {C_R, C_B, C_R, true},  /* ㄼ 넓다 -> 널따 */
    {C_R, C_S, C_R, false}, /* ㄽ 외곬 -> 외골 */
    {C_R, C_T, C_R, true},  /* ㄾ 핥다 -> 할따 */
    {C_R, C_P, C_P, true},  /* ㄿ 읊다 -> 읍따 */
    {C_R, C_H, C_R, false}, /* ㅀ: the ㅎ rules */
    {C_B, C_S, C_B, true},  /* ㅄ 값 -> 갑 */
};

/* Nasalisation (제18·19항) and liquidisation (제20항): a coda and the next onset that meet
 * become the pair on the right. */
static const struct {
    uint8_t coda, onset, new_coda, new_onset;
} assimilations[] = {
    {C_G, C_N, C_NG, C_N},  /* 국물 -> 궁물 */
    {C_G, C_M, C_NG, C_M},  /* */
    {C_D, C_N, C_N, C_N},   /* 받는 -> 반는 */
    {C_D, C_M, C_N, C_M},   /* 옷맵시 -> 온맵씨 */
    {C_B, C_N, C_M, C_N},   /* 입니다 -> 임니다 */
    {C_B, C_M, C_M, C_M},   /* 밥물 -> 밤물 */
    {C_M, C_R, C_M, C_N},   /* 심리 -> 심니 */
    {C_NG, C_R, C_NG, C_N}, /* 종로 -> 종노 */
    {C_G, C_R, C_NG, C_N},  /* 백리 -> 뱅니 */
    {C_D, C_R, C_N, C_N},   /* ㄹ -> ㄴ, then nasalised */
    {C_B, C_R, C_M, C_N},   /* 협력 -> 혐녁 */
    {C_N, C_R, C_R, C_R},   /* 신라 -> 실라 */
    {C_R, C_N, C_R, C_R},   /* 칼날 -> 칼랄 */
};

bool g2p_ko_decompose(uint32_t syllable, g2p_ko_jamo *out)
{
    if (!hangul_is_syllable(syllable))
        return false;
    uint32_t i = syllable - SYLLABLE_BASE;
    out->initial = (uint8_t)(i / (N_MEDIALS * N_FINALS));
    out->medial = (uint8_t)(i / N_FINALS % N_MEDIALS);
    out->final = (uint8_t)(i % N_FINALS);
    return true;
}

uint32_t g2p_ko_compose(g2p_ko_jamo j)
{
    if (j.initial >= N_INITIALS || j.medial >= N_MEDIALS || j.final >= N_FINALS)
        return 0;
    return SYLLABLE_BASE + ((uint32_t)j.initial * N_MEDIALS + j.medial) * N_FINALS + j.final;
}

/* cp must be a Hangul syllable. */
static syl syl_from(uint32_t cp)
{
    g2p_ko_jamo j = {0, 0, 0};
    g2p_ko_decompose(cp, &j);
    return (syl){j.initial, j.medial, finals[j.final][0], finals[j.final][1]};
}

static uint32_t syl_cp(const syl *s)
{
    uint8_t t = 0;
    while (t < N_FINALS && (finals[t][0] != s->c1 || finals[t][1] != s->c2))
        t++;
    return g2p_ko_compose((g2p_ko_jamo){s->on, s->v, t});
}

/* The first code point of the UTF-8 string s. */
static uint32_t first_cp(const char *s)
{
    uint32_t cp = 0;
    utf8_decode_char(s, strlen(s), &cp);
    return cp;
}

/* True when cp is one of the code points of the UTF-8 string set. */
static bool cp_in(const char *set, uint32_t cp)
{
    for (size_t i = 0, n, len = strlen(set); i < len; i += n) {
        uint32_t c;
        n = utf8_decode_char(set + i, len - i, &c);
        if (n == 0)
            return false;
        if (c == cp)
            return true;
    }
    return false;
}

/* ---- the pronunciation rules ---- */

static uint8_t coda_last(const syl *s)
{
    return s->c2 != C_NONE ? s->c2 : s->c1;
}

static void coda_drop_last(syl *s)
{
    if (s->c2 != C_NONE)
        s->c2 = C_NONE;
    else
        s->c1 = C_NONE;
}

static bool coda_tenses(const syl *a)
{
    if (a->c2 == C_NONE) {
        uint8_t sound = consonants[a->c1].coda;
        return a->c1 != C_H && (sound == C_G || sound == C_D || sound == C_B);
    }
    for (size_t i = 0; i < sizeof doubles / sizeof doubles[0]; i++)
        if (doubles[i].first == a->c1 && doubles[i].second == a->c2)
            return doubles[i].tenses;
    return false;
}

/* 제12항: a final ㅎ (also in ㄶ ㅀ) aspirates ㄱ ㄷ ㅈ (좋다 -> 조타, 많다 -> 만타), tenses ㅅ
 * (닿소 -> 다쏘), is ㄴ before ㄴ (놓는 -> 논는), silent before a vowel (좋아 -> 조아, 않아 ->
 * 아나) and ㄷ elsewhere. */
static void h_final(syl *a, syl *b)
{
    coda_drop_last(a);
    if (b->on == C_G || b->on == C_D || b->on == C_J)
        b->on = consonants[b->on].aspirated;
    else if (b->on == C_S)
        b->on = C_SS;
    else if (b->on != C_NG && a->c1 == C_NONE)
        a->c1 = b->on == C_N ? C_N : C_D;
}

/* 제12항 붙임: a coda sounding ㄱ ㄷ ㅂ ㅈ merges with a following ㅎ (축하 -> 추카, 입학 -> 이팍,
 * 앉히다 -> 안치다); 제17항: ㄷ with 히 is 치 (굳히다 -> 구치다). */
static void h_initial(syl *a, syl *b)
{
    b->on = consonants[coda_last(a)].aspirated;
    coda_drop_last(a);
    if (b->on == C_T && b->v == V_I)
        b->on = C_CH;
}

/* 제13·14항: before a vowel the (last) coda consonant becomes the onset (옷이 -> 오시, 닭이 ->
 * 달기, 앉아 -> 안자); the ㅅ of ㄳ ㅄ is tensed (값이 -> 갑씨). 제17항: ㄷ ㅌ before 이 become
 * ㅈ ㅊ (굳이 -> 구지, 같이 -> 가치). */
static void liaison(syl *a, syl *b)
{
    uint8_t c = coda_last(a);
    bool after_consonant = a->c2 != C_NONE;
    coda_drop_last(a);
    if (c == C_S && after_consonant)
        c = C_SS;
    if (b->v == V_I && (c == C_D || c == C_T))
        c = c == C_D ? C_J : C_CH;
    b->on = c;
}

/* 제9-11항: a coda is one of ㄱ ㄴ ㄷ ㄹ ㅁ ㅂ ㅇ, and a double final keeps one consonant; ㄺ
 * keeps ㄹ before ㄱ (읽고 -> 일꼬), and 밟- keeps ㅂ (밟다 -> 밥따). */
static void neutralise(syl *a, uint8_t next_onset)
{
    uint8_t c = a->c1;
    for (size_t i = 0; a->c2 != C_NONE && i < sizeof doubles / sizeof doubles[0]; i++)
        if (doubles[i].first == a->c1 && doubles[i].second == a->c2)
            c = doubles[i].keep;
    if (a->c1 == C_R && a->c2 == C_G && (next_onset == C_G || next_onset == C_KK))
        c = C_R;
    if (a->c1 == C_R && a->c2 == C_B && (a->on == C_B || a->on == C_PP) && a->v == V_A)
        c = C_B;
    a->c1 = c == C_NONE ? C_NONE : consonants[c].coda;
    a->c2 = C_NONE;
}

static void assimilate(syl *a, syl *b)
{
    for (size_t i = 0; i < sizeof assimilations / sizeof assimilations[0]; i++)
        if (assimilations[i].coda == a->c1 && assimilations[i].onset == b->on) {
            a->c1 = assimilations[i].new_coda;
            b->on = assimilations[i].new_onset;
            return;
        }
}

/* The rules at the boundary between a's coda and b's onset, in the standard's order.
 * adnominal: b starts an ending tensed after the ㄹ of -(으)ㄹ (see adnominal_tense). */
static void join(syl *a, syl *b, bool adnominal)
{
    if (a->c1 == C_NONE)
        return;
    bool lax_next = b->on != C_NG && b->on != C_H;
    bool tense = lax_next && (coda_tenses(a) || adnominal);
    uint8_t last = coda_last(a);
    if (last == C_H)
        h_final(a, b);
    else if (b->on == C_H && consonants[last].aspirated != C_NONE)
        h_initial(a, b);
    if (b->on == C_NG && a->c1 != C_NONE && coda_last(a) != C_NG)
        liaison(a, b);
    neutralise(a, b->on);
    if (tense && consonants[b->on].tense != C_NONE)
        b->on = consonants[b->on].tense;
    assimilate(a, b);
}

/* 제5항: ㅢ after a consonant is said ㅣ (희망 -> 히망), and ㅈ ㅉ ㅊ swallow the y of ㅕ
 * (가져 -> 가저). */
static void vowel_rules(syl *s)
{
    if (s->v == V_UI && s->on != C_NG)
        s->v = V_I;
    if (s->v == V_YEO && (s->on == C_J || s->on == C_JJ || s->on == C_CH))
        s->v = V_EO;
}

/* True when spelled[from..n) is exactly the UTF-8 text ending. */
static bool tail_is(const syl *spelled, size_t n, size_t from, const char *ending)
{
    size_t len = strlen(ending), i = 0, k;
    uint32_t cp;
    for (k = from; k < n && i < len; k++) {
        size_t step = utf8_decode_char(ending + i, len - i, &cp);
        if (step == 0 || cp != syl_cp(&spelled[k]))
            return false;
        i += step;
    }
    return k == n && i == len;
}

/* 제27항: after the ㄹ of the ending -(으)ㄹ, ㄱ is tensed (할게요 -> 할께요). Which ㄹ belongs to
 * that ending cannot be told from spelling in general (길게 "long" has none), so only word
 * endings that can be nothing else are listed. */
static bool adnominal_tense(const syl *spelled, size_t n, size_t i)
{
    static const char *const endings[] = {"게요", "거예요", "거에요", "거야", "걸요", "겁니다"};
    if (spelled[i].c1 != C_R || spelled[i].c2 != C_NONE)
        return false;
    for (size_t e = 0; e < sizeof endings / sizeof endings[0]; e++)
        if (tail_is(spelled, n, i + 1, endings[e]))
            return true;
    return false;
}

/* A final 역 "station" after a consonant, said with ㄴ inserted in the second reading (가정역 ->
 * 가정녁); only there, because 번역 "translation" has none. */
static bool station_suffix(const syl *spelled, size_t n)
{
    return n >= 2 && spelled[n - 2].c1 != C_NONE && syl_cp(&spelled[n - 1]) == first_cp("역");
}

/* 제29항, ㄴ insertion, where spelling shows it: 육 after a numeral ending in a consonant (십육
 * -> 심뉵, 칠육 -> 칠륙), and a station's 역 in the second reading. */
static bool n_inserted(const syl *spelled, size_t n, size_t i, bool alt)
{
    if (alt && i == n - 1 && station_suffix(spelled, n))
        return true;
    return spelled[i - 1].c1 != C_NONE && syl_cp(&spelled[i]) == first_cp("육") &&
           cp_in("일삼칠팔십백천만억", syl_cp(&spelled[i - 1]));
}

/* Writes the pronounced form of spelled[0..n) into said. alt: the second reading. */
static void apply_rules(const syl *spelled, syl *said, size_t n, bool alt)
{
    memcpy(said, spelled, n * sizeof *said);
    for (size_t i = 0; i + 1 < n; i++) {
        if (n_inserted(spelled, n, i + 1, alt))
            said[i + 1].on = C_N;
        join(&said[i], &said[i + 1], adnominal_tense(spelled, n, i));
    }
    if (n > 0)
        neutralise(&said[n - 1], C_NONE);
    for (size_t i = 0; i < n; i++)
        vowel_rules(&said[i]);
}

/* ---- en-us phones ---- */

/* Kinds of ambiguity, most important first: variants take the first ones a word has. */
enum {
    K_NONE,
    K_EO,  /* ㅓ ㅕ ㅝ: AH or AO */
    K_LAX, /* word-initial ㄱ ㄷ ㅂ ㅈ: K T P CH or G D B JH */
    K_EU,  /* ㅡ: UH or IH */
    K_RL,  /* onset ㄹ (a flap): R or L */
    K_H,   /* ㅎ after a voiced sound: HH or nothing */
    K_UI,  /* ㅢ: UH IY or IY */
    K_COUNT
};

typedef struct {
    const char *main, *alt;
    uint8_t kind;
} choice;

#define ONE(p)                                                                                     \
    {                                                                                              \
        p, NULL, K_NONE                                                                            \
    }
#define ALT(p, a, k)                                                                               \
    {                                                                                              \
        p, a, k                                                                                    \
    }
#define SAME(p)                                                                                    \
    {                                                                                              \
        ONE(p), ONE(p), ONE(p), ONE(p)                                                             \
    }

/* Where an onset is said. */
enum { CTX_INITIAL, CTX_VOWEL, CTX_SONORANT, CTX_STOP, CTX_COUNT };

/* Onsets by context. Lax stops are voiced between voiced sounds; tense and aspirated ones are
 * K T P all the same, the en-us model having nothing closer. */
static const choice onsets[C_COUNT][CTX_COUNT] = {
    /*          word-initial             after a vowel         after ㄴㄹㅁㅇ   after ㄱㄷㅂ */
    [C_G] = {ALT("K", "G", K_LAX), ONE("G"), ONE("G"), ONE("K")},
    [C_KK] = SAME("K"),
    [C_N] = SAME("N"),
    [C_D] = {ALT("T", "D", K_LAX), ONE("D"), ONE("D"), ONE("T")},
    [C_TT] = SAME("T"),
    [C_R] = {ALT("R", "L", K_RL), ALT("R", "L", K_RL), ONE("L"), ONE("L")},
    [C_M] = SAME("M"),
    [C_B] = {ALT("P", "B", K_LAX), ONE("B"), ONE("B"), ONE("P")},
    [C_PP] = SAME("P"),
    [C_S] = SAME("S"),
    [C_SS] = SAME("S"),
    [C_NG] = SAME(""),
    [C_J] = {ALT("CH", "JH", K_LAX), ONE("JH"), ONE("JH"), ONE("CH")},
    [C_JJ] = SAME("CH"),
    [C_CH] = SAME("CH"),
    [C_K] = SAME("K"),
    [C_T] = SAME("T"),
    [C_P] = SAME("P"),
    [C_H] = {ONE("HH"), ALT("HH", "", K_H), ALT("HH", "", K_H), ONE("HH")},
};

/* Vowels. glide: starts with y, which ㅈ ㅉ ㅊ and ㅅ-said-SH swallow; palatal: ㅅ before it is
 * SH (시 -> SH IY). */
static const struct {
    choice say;
    bool glide, palatal;
} vowels[V_COUNT] = {
    [V_A] = {ONE("AA"), false, false},
    [V_AE] = {ONE("EH"), false, false},
    [V_YA] = {ONE("AA"), true, true},
    [V_YAE] = {ONE("EH"), true, true},
    [V_EO] = {ALT("AH", "AO", K_EO), false, false},
    [V_E] = {ONE("EH"), false, false},
    [V_YEO] = {ALT("AH", "AO", K_EO), true, true},
    [V_YE] = {ONE("EH"), true, true},
    [V_O] = {ONE("OW"), false, false},
    [V_WA] = {ONE("W AA"), false, false},
    [V_WAE] = {ONE("W EH"), false, false},
    [V_OE] = {ONE("W EH"), false, false},
    [V_YO] = {ONE("OW"), true, true},
    [V_U] = {ONE("UW"), false, false},
    [V_WEO] = {ALT("W AH", "W AO", K_EO), false, false},
    [V_WE] = {ONE("W EH"), false, false},
    [V_WI] = {ONE("W IY"), false, true},
    [V_YU] = {ONE("UW"), true, true},
    [V_EU] = {ALT("UH", "IH", K_EU), false, false},
    [V_UI] = {ALT("UH IY", "IY", K_UI), false, false},
    [V_I] = {ONE("IY"), false, true},
};

/* Codas after the rules: unreleased stops, nasals, and ㄹ as L. */
static const char *const coda_phones[C_COUNT] = {
    [C_G] = "K", [C_N] = "N", [C_D] = "T", [C_R] = "L", [C_M] = "M", [C_B] = "P", [C_NG] = "NG",
};

static int context_after(uint8_t coda)
{
    if (coda == C_NONE)
        return CTX_VOWEL;
    return coda == C_N || coda == C_R || coda == C_M || coda == C_NG ? CTX_SONORANT : CTX_STOP;
}

/* c's phones under mask (a bit per kind said the alternative way); notes c's kind in *seen. */
static const char *pick(const choice *c, unsigned mask, unsigned *seen)
{
    if (c->kind == K_NONE)
        return c->main;
    *seen |= 1u << c->kind;
    return mask & (1u << c->kind) ? c->alt : c->main;
}

static void put_phones(strbuf *out, const char *phones)
{
    if (!phones || !*phones)
        return;
    if (out->len)
        strbuf_puts(out, " ");
    strbuf_puts(out, phones);
}

/* Writes the phones of said[0..n) under mask into out; returns the kinds the word has. */
static unsigned say_phones(const syl *said, size_t n, unsigned mask, strbuf *out)
{
    unsigned seen = 0;
    strbuf_clear(out);
    for (size_t i = 0; i < n; i++) {
        const syl *s = &said[i];
        int ctx = i == 0 ? CTX_INITIAL : context_after(said[i - 1].c1);
        bool sh = (s->on == C_S || s->on == C_SS) && vowels[s->v].palatal;
        put_phones(out, sh ? "SH" : pick(&onsets[s->on][ctx], mask, &seen));
        bool swallows_y = sh || s->on == C_J || s->on == C_JJ || s->on == C_CH;
        if (vowels[s->v].glide && !swallows_y)
            put_phones(out, "Y");
        put_phones(out, pick(&vowels[s->v].say, mask, &seen));
        if (s->c1 != C_NONE)
            put_phones(out, coda_phones[s->c1]);
    }
    return seen;
}

/* The masks of a word's variants: every combination of the first kinds it has that fit in
 * budget (so 1, 2, 4 or 8), fewest alternatives first, more important kinds first. */
static size_t variant_masks(unsigned present, size_t budget, unsigned masks[])
{
    unsigned kinds[K_COUNT];
    size_t k = 0;
    for (unsigned kind = 1; kind < K_COUNT; kind++)
        if ((present >> kind & 1) && ((size_t)2 << k) <= budget)
            kinds[k++] = kind;
    size_t count = 0;
    for (size_t changes = 0; changes <= k; changes++)
        for (unsigned sel = 0; sel < 1u << k; sel++) {
            unsigned mask = 0;
            size_t bits = 0;
            for (size_t b = 0; b < k; b++)
                if (sel >> b & 1) {
                    mask |= 1u << kinds[b];
                    bits++;
                }
            if (bits == changes)
                masks[count++] = mask;
        }
    return count;
}

/* ---- spelling out digits, letters and shorthand ---- */

static const char *const digit_words[10] = {"영", "일", "이", "삼", "사",
                                            "오", "육", "칠", "팔", "구"};

/* 1..9999 the Sino-Korean way: a 1 before 십 백 천 is not said (십, not 일십). */
static void say_group(unsigned v, strbuf *out)
{
    static const char *const places[4] = {"천", "백", "십", ""};
    unsigned div = 1000;
    for (int p = 0; p < 4; p++, div /= 10) {
        unsigned d = v / div % 10;
        if (d == 0)
            continue;
        if (d > 1 || p == 3)
            strbuf_puts(out, digit_words[d]);
        strbuf_puts(out, places[p]);
    }
}

/* A number in groups of four digits: 만 10^4, 억 10^8, 조 10^12; 만 alone, not 일만. */
static sd_code say_value(const char *digits, size_t len, strbuf *out)
{
    static const char *const units[4] = {"", "만", "억", "조"};
    while (len > 0 && *digits == '0')
        digits++, len--;
    if (len == 0) {
        strbuf_puts(out, "영");
        return SD_OK;
    }
    if (len > 16)
        return SD_ERR_TOO_LONG;
    for (size_t group = (len + 3) / 4; group-- > 0;) {
        size_t width = len - group * 4;
        unsigned v = 0;
        for (size_t i = 0; i < width; i++)
            v = v * 10 + (unsigned)(digits[i] - '0');
        digits += width;
        len -= width;
        if (v != 0 && !(v == 1 && group == 1))
            say_group(v, out);
        if (v != 0)
            strbuf_puts(out, units[group]);
    }
    return SD_OK;
}

sd_code g2p_ko_number_words(const char *digits, size_t len, g2p_ko_number_style style, strbuf *out)
{
    if (len == 0)
        return SD_ERR_INVALID;
    for (size_t i = 0; i < len; i++)
        if (digits[i] < '0' || digits[i] > '9')
            return SD_ERR_INVALID;
    sd_code rc = SD_OK;
    if (style == G2P_KO_NUMBER_VALUE)
        rc = say_value(digits, len, out);
    else
        for (size_t i = 0; i < len; i++)
            strbuf_puts(out, digits[i] == '0' ? "공" : digit_words[digits[i] - '0']);
    return rc == SD_OK && out->failed ? SD_ERR_NOMEM : rc;
}

/* How a run of digits inside a word is read: as a number, unless it starts with 0 or is longer
 * than numbers people say (phone numbers, serials). Runs of 2-4 digits are also read digit by
 * digit, as the second reading (119: 백십구, 일일구). */
static g2p_ko_number_style run_style(const char *digits, size_t len, bool alt, bool *has_alt)
{
    bool value = digits[0] != '0' && len <= 4;
    if (value && len >= 2) {
        *has_alt = true;
        if (alt)
            return G2P_KO_NUMBER_DIGITS;
    }
    return value ? G2P_KO_NUMBER_VALUE : G2P_KO_NUMBER_DIGITS;
}

/* Latin letters by their Korean names (SG -> 에스지, SUV -> 에스유브이). */
static const char *const letter_names[26] = {
    "에이", "비",   "씨", "디",   "이",     "에프", "지",   "에이치", "아이",
    "제이", "케이", "엘", "엠",   "엔",     "오",   "피",   "큐",     "알",
    "에스", "티",   "유", "브이", "더블유", "엑스", "와이", "제트",
};

/* Chat shorthand typed in jamo, said as the word it stands for. */
static const struct {
    const char *typed, *said;
} shorthand[] = {
    {"ㅇㅇ", "응응"}, {"ㅇㅋ", "오케이"}, {"ㄴㄴ", "노노"},
    {"ㄱㄱ", "고고"}, {"ㄳ", "감사"},     {"ㅈㅅ", "죄송"},
};

/* Writes word[0..len) (valid UTF-8) into out as Hangul syllables only. alt picks the second
 * reading of digit runs; *has_alt is set when there is one. */
static sd_code spell_out(const char *word, size_t len, bool alt, strbuf *out, bool *has_alt,
                         char *err, size_t errlen)
{
    strbuf_clear(out);
    for (size_t i = 0; i < sizeof shorthand / sizeof shorthand[0]; i++)
        if (strlen(shorthand[i].typed) == len && memcmp(shorthand[i].typed, word, len) == 0) {
            strbuf_puts(out, shorthand[i].said);
            return out->failed ? SD_ERR_NOMEM : SD_OK;
        }
    for (size_t i = 0; i < len;) {
        unsigned char ch = (unsigned char)word[i];
        uint32_t cp = 0;
        size_t n = 1, j = i;
        if (ch >= '0' && ch <= '9') {
            while (j < len && word[j] >= '0' && word[j] <= '9')
                j++;
            sd_code rc =
                g2p_ko_number_words(word + i, j - i, run_style(word + i, j - i, alt, has_alt), out);
            if (rc != SD_OK)
                return rc; /* out of memory: a run read as a value has at most 4 digits */
            n = j - i;
        } else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') {
            strbuf_puts(out, letter_names[(ch | 0x20) - 'a']);
        } else if (ch > ' ' && ch < 0x7F) {
            /* punctuation is silent */
        } else if ((n = utf8_decode_char(word + i, len - i, &cp)) > 0 && hangul_is_syllable(cp)) {
            strbuf_append(out, word + i, n);
        } else {
            snprintf(err, errlen, "'%.*s' has no Korean reading", (int)(n ? n : 1), word + i);
            return SD_ERR_INVALID;
        }
        i += n;
    }
    return out->failed ? SD_ERR_NOMEM : SD_OK;
}

/* ---- the object ---- */

struct g2p_ko {
    syl *spelled, *said; /* the syllables of the word or run at hand */
    size_t cap;
    strbuf text;         /* the word spelled out in Hangul */
    strbuf said_text[2]; /* per reading, the word as pronounced */
    strbuf phones;       /* the variants, each NUL-terminated */
    strbuf scratch;      /* the variant being built */
    strbuf key;          /* the word g2p_ko_pron analysed last ("" = none) */
    sd_code key_rc;
    g2p_ko_result last;
};

sd_code g2p_ko_new(g2p_ko **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? SD_OK : SD_ERR_NOMEM;
}

void g2p_ko_free(g2p_ko *g)
{
    if (!g)
        return;
    free(g->spelled);
    free(g->said);
    strbuf_free(&g->text);
    strbuf_free(&g->said_text[0]);
    strbuf_free(&g->said_text[1]);
    strbuf_free(&g->phones);
    strbuf_free(&g->scratch);
    strbuf_free(&g->key);
    free(g);
}

/* Decodes text[0..len), Hangul syllables only, into g->spelled; *n gets their number. */
static sd_code load_syllables(g2p_ko *g, const char *text, size_t len, size_t *n)
{
    size_t need = len / 3 + 1; /* every syllable is 3 bytes */
    if (need > g->cap) {
        syl *a = realloc(g->spelled, need * sizeof *a);
        if (a)
            g->spelled = a;
        syl *b = a ? realloc(g->said, need * sizeof *b) : NULL;
        if (!b)
            return SD_ERR_NOMEM;
        g->said = b;
        g->cap = need;
    }
    *n = 0;
    for (size_t i = 0, step; i < len; i += step) {
        uint32_t cp = 0;
        step = utf8_decode_char(text + i, len - i, &cp);
        g->spelled[(*n)++] = syl_from(cp);
    }
    return SD_OK;
}

static void put_syllables(const syl *s, size_t n, strbuf *out)
{
    for (size_t i = 0; i < n; i++) {
        char buf[4];
        strbuf_append(out, buf, utf8_encode_char(syl_cp(&s[i]), buf));
    }
}

/* Adds the variants of the n syllables in g->said, at most budget, skipping duplicates. */
static void add_variants(g2p_ko *g, size_t n, size_t budget, uint8_t reading, size_t offsets[],
                         g2p_ko_result *out)
{
    unsigned masks[G2P_KO_MAX_VARIANTS];
    size_t count = variant_masks(say_phones(g->said, n, 0, &g->scratch), budget, masks);
    for (size_t m = 0; m < count && out->count < G2P_KO_MAX_VARIANTS; m++) {
        say_phones(g->said, n, masks[m], &g->scratch);
        bool dup = false;
        for (size_t v = 0; v < out->count && !dup && !g->phones.failed; v++)
            dup = strcmp(g->phones.data + offsets[v], strbuf_str(&g->scratch)) == 0;
        if (dup)
            continue;
        offsets[out->count] = g->phones.len;
        out->reading[out->count++] = reading;
        strbuf_append(&g->phones, strbuf_str(&g->scratch), g->scratch.len + 1);
    }
}

sd_code g2p_ko_analyse(g2p_ko *g, const char *word, size_t len, g2p_ko_result *out, char *err,
                       size_t errlen)
{
    char ignored[1];
    if (!err || errlen == 0) {
        err = ignored;
        errlen = sizeof ignored;
    }
    err[0] = '\0';
    memset(out, 0, sizeof *out);
    strbuf_clear(&g->key); /* the cached result is about to be overwritten */
    strbuf_clear(&g->phones);
    if (len > G2P_KO_MAX_WORD) {
        snprintf(err, errlen, "a word of %zu bytes is longer than %d", len, G2P_KO_MAX_WORD);
        return SD_ERR_TOO_LONG;
    }
    if (!utf8_valid(word, len)) {
        snprintf(err, errlen, "%s", sd_strerror(SD_ERR_UTF8));
        return SD_ERR_UTF8;
    }
    size_t offsets[G2P_KO_MAX_VARIANTS];
    out->readings = 1;
    for (size_t r = 0; r < out->readings; r++) {
        bool has_alt = false;
        size_t n = 0;
        sd_code rc = spell_out(word, len, r == 1, &g->text, &has_alt, err, errlen);
        if (rc == SD_OK)
            rc = load_syllables(g, strbuf_str(&g->text), g->text.len, &n);
        if (rc == SD_OK && n == 0) {
            snprintf(err, errlen, "'%.*s' has nothing to pronounce", (int)len, word);
            rc = SD_ERR_INVALID;
        }
        if (rc != SD_OK)
            return rc;
        if (r == 0 && (has_alt || station_suffix(g->spelled, n)))
            out->readings = 2;
        apply_rules(g->spelled, g->said, n, r == 1);
        strbuf_clear(&g->said_text[r]);
        put_syllables(g->said, n, &g->said_text[r]);
        add_variants(g, n, G2P_KO_MAX_VARIANTS / out->readings, (uint8_t)r, offsets, out);
    }
    if (g->phones.failed || g->said_text[0].failed || g->said_text[1].failed)
        return SD_ERR_NOMEM;
    for (size_t r = 0; r < out->readings; r++)
        out->said[r] = strbuf_str(&g->said_text[r]);
    for (size_t v = 0; v < out->count; v++)
        out->phones[v] = g->phones.data + offsets[v];
    return SD_OK;
}

const char *g2p_ko_pron(void *g2p, const char *word, size_t variant)
{
    g2p_ko *g = g2p;
    if (g->key.len == 0 || strcmp(strbuf_str(&g->key), word) != 0) {
        g->key_rc = g2p_ko_analyse(g, word, strlen(word), &g->last, NULL, 0);
        strbuf_puts(&g->key, word);
        if (g->key.failed)
            strbuf_clear(&g->key);
    }
    return g->key_rc == SD_OK && variant < g->last.count ? g->last.phones[variant] : NULL;
}

sd_code g2p_ko_pronounced(g2p_ko *g, const char *text, size_t len, strbuf *out)
{
    if (!utf8_valid(text, len))
        return SD_ERR_UTF8;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t j = i, step;
        while (j < len && (step = utf8_decode_char(text + j, len - j, &cp)) > 0 &&
               hangul_is_syllable(cp))
            j += step;
        if (j == i) { /* not Hangul: copied as it is */
            step = utf8_decode_char(text + i, len - i, &cp);
            strbuf_append(out, text + i, step);
            i += step;
            continue;
        }
        size_t n;
        if (load_syllables(g, text + i, j - i, &n) != SD_OK)
            return SD_ERR_NOMEM;
        apply_rules(g->spelled, g->said, n, false);
        put_syllables(g->said, n, out);
        i = j;
    }
    return out->failed ? SD_ERR_NOMEM : SD_OK;
}

/* test_pii.c - pii.h against the ways people write phone numbers, e-mail addresses and
 * resident registration numbers, and against the numbers residents need to keep seeing.
 *
 * First the forms the hardening issue names, one by one, with the exact text expected. Then a
 * property test: a seeded generator (xorshift64*, the seed printed; PII_SEED=N replays another)
 * writes PII_TEXTS texts of Korean and English words, each planting one to three numbers or
 * addresses in one of their forms (separators of every kind, full-width, circled and
 * mathematical digits, Korean and English number words, +82 and 0082, brackets, particles glued
 * on) beside numbers that must stay: receipt numbers, dates, times, house numbers, prices, 15xx
 * numbers, car plates, words made of number syllables (공사, 이사, 오일). After pii_redact no
 * planted number may be readable in any digit form (an oracle of this file's own maps every
 * digit form to ASCII and drops separators before looking), every number that must stay is
 * still there word for word, and redacting again changes nothing. Each phone number written
 * alone must also read back through pii_phone_digits as its national digits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "pii.h"
#include "strbuf.h"
#include "utf8.h"

#define PII_TEXTS 600
#define DEFAULT_SEED 20261125u

static const char *redact(const char *text, strbuf *out)
{
    strbuf_clear(out);
    pii_redact(text, strlen(text), out);
    CHECK(!out->failed);
    return strbuf_str(out);
}

/* ---- the issue's cases, and numbers that must stay ---- */

static void test_examples(void)
{
    static const char *const cases[][2] = {
        {"연락처 010-9876-5432 청라동", "연락처 ***-****-**** 청라동"},
        {"010 - 9876 - 5432", "***-****-****"},
        {"010–9876–5432 (en dash)", "***-****-**** (en dash)"},
        {"010—9876—5432", "***-****-****"},
        {"０１０－９８７６－５４３２", "***-****-****"},
        {"010.9876.5432로 연락 주세요", "***-****-****로 연락 주세요"},
        {"+82 10 9876 5432", "***-****-****"},
        {"+82-10-9876-5432", "***-****-****"},
        {"＋８２ １０ ９８７６ ５４３２", "***-****-****"},
        {"0082-10-9876-5432", "***-****-****"},
        {"tel (010)9876-5432 please", "tel ***-****-**** please"},
        {"(02) 123-4567", "***-****-****"},
        {"공일공 구팔칠육 오사삼이", "***-****-****"},
        {"영일영 구팔칠육 오사삼이이에요", "***-****-****에요"},
        {"공일공구팔칠육오사삼이로 연락주세요", "***-****-****로 연락주세요"},
        {"call zero one zero nine eight seven six five four three two", "call ***-****-****"},
        {"010-9876-5432이에요", "***-****-****에요"},
        {"010 9876 5432 12", "***-****-**** 12"},
        {"+1 212 555 1234", "***-****-****"},
        {"메일 hong.gildong@naver.com으로 주세요", "메일 ***@***으로 주세요"},
        {"hong(at)example.co.kr", "***@***"},
        {"kim ＠ daum.net", "***@***"},
        {"주민번호 900101-1234567 입니다", "주민번호 ******-******* 입니다"},
        {"9001011234567", "******-*******"},
        {"900101 - 1******", "******-*******"},
        /* residents need these */
        {"접수번호 SG-2026-000001, 2026-11-25 청라동 123-4", NULL},
        {"2026.11.25. 14:30 가정동 123-45번지 101동 1502호", NULL},
        {"1588-1234 120 131 119 22701 15,000원 1,234,567원", NULL},
        {"12가 3456 차량, 123사 4567도", NULL},
        {"공사 일이 끝나면 이사 오세요, 오일 교환소 사이 길", NULL},
        {"someone parked two cars at nine", NULL},
        {"80% 3층 2026년 11월 25일", NULL},
        {"@seogu_office 님께", NULL},
        /* already masked: nothing changes */
        {"***-****-**** ***@*** ******-*******", NULL},
    };
    strbuf out;
    strbuf_init(&out);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_STR(redact(cases[i][0], &out), cases[i][1] ? cases[i][1] : cases[i][0]);
    strbuf_free(&out);
}

static void test_phone_fields(void)
{
    static const char *const good[][2] = {
        {"010-1234-5678", "01012345678"},     {" 010 1234 5678 ", "01012345678"},
        {"+82 10-1234-5678", "01012345678"},  {"+82 (0)10 1234 5678", "01012345678"},
        {"0082-10-1234-5678", "01012345678"}, {"(02) 123-4567", "021234567"},
        {"032.560.4380", "0325604380"},       {"０１０－１２３４－５６７８", "01012345678"},
        {"011-123-4567", "0111234567"},       {"070-1234-5678", "07012345678"},
    };
    static const char *const bad[] = {
        "-99999999999",
        "99999999999",
        "010-1234-567",
        "0101234567890",
        "+1 212 555 1234",
        "call me",
        "",
        "010-1234-5678-",
        "010-1234-5678x",
        "1588-1234",
        "02-12-345",
        "+82 10 1234 5",
        "010-1234-5678 ext",
        "++82 10 1234 5678",
    };
    char d[PII_PHONE_DIGITS];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        bool ok = pii_phone_digits(good[i][0], d);
        CHECK(ok);
        if (ok)
            CHECK_STR(d, good[i][1]);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (pii_phone_digits(bad[i], d))
            fprintf(stderr, "phone field '%s' taken as %s\n", bad[i], d), check_failures++;
}

static void test_masks(void)
{
    char out[PII_PHONE_MASKED], caller[32];
    pii_mask_phone("01012345678", out);
    CHECK_STR(out, "010-****-5678");
    pii_mask_phone("0123", out);
    CHECK_STR(out, "****");
    pii_mask_caller("0101231234", caller, sizeof caller);
    CHECK_STR(caller, "******1234");
    pii_mask_caller("1234", caller, sizeof caller);
    CHECK_STR(caller, "1234");
}

/* ---- the generator ---- */

static uint64_t rng;

static unsigned pick(unsigned n)
{
    rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
    return (unsigned)((rng * 2685821657736338717ull) >> 33) % n;
}

static const char *one_of(const char *const *list, size_t n)
{
    return list[pick((unsigned)n)];
}
#define ONE_OF(list) one_of(list, sizeof list / sizeof list[0])

typedef enum { F_ASCII, F_FULL, F_CIRCLED, F_MATH, F_HANGUL, F_WORDS, F_FORMS } digit_form;

/* Writes digits (ASCII) in form f; word forms separate their words with a space. */
static void write_digits(strbuf *out, const char *digits, digit_form f)
{
    static const char *const circled[] = {"⓪", "①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨"};
    static const char *const words[] = {"zero", "one", "two",   "three", "four",
                                        "five", "six", "seven", "eight", "nine"};
    static const char *const hangul[][2] = {{"공", "영"}, {"일", "일"}, {"이", "이"}, {"삼", "삼"},
                                            {"사", "사"}, {"오", "오"}, {"육", "륙"}, {"칠", "칠"},
                                            {"팔", "팔"}, {"구", "구"}};
    for (const char *p = digits; *p; p++) {
        int d = *p - '0';
        char buf[8];
        switch (f) {
        case F_ASCII:
            strbuf_append(out, p, 1);
            break;
        case F_FULL:
            strbuf_append(out, buf, utf8_encode_char(0xFF10u + (uint32_t)d, buf));
            break;
        case F_CIRCLED:
            strbuf_puts(out, circled[d]);
            break;
        case F_MATH:
            strbuf_append(out, buf, utf8_encode_char(0x1D7CEu + 10u * pick(5) + (uint32_t)d, buf));
            break;
        case F_HANGUL:
            strbuf_puts(out, d == 0 && pick(4) == 0 ? "빵" : hangul[d][pick(2)]);
            break;
        default:
            strbuf_printf(out, "%s%s", p == digits ? "" : " ", words[d]);
        }
    }
}

static void random_digits(char *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = (char)('0' + pick(10));
    out[n] = '\0';
}

typedef struct {
    char secret[16];     /* digits that must not be readable afterwards */
    char national[16];   /* a phone number's digits, for pii_phone_digits; "" otherwise */
    char address[40];    /* an e-mail's local part that must not stay */
    strbuf written;      /* the item as planted */
    bool field_readable; /* pii_phone_digits must read it as national */
} planted;

static const char *const separators[] = {
    "-", "-", " ",  " - ", ".", "–", "—",      "‒",      "―",      "−",   "－", "﹣", "‐",
    "‑", "·", "ㆍ", "/",   "_", "~", "\u00a0", "\u3000", "\u200b", " . ", "  ", ""};

/* A phone number in one of the ways people write one. */
static void plant_phone(planted *p)
{
    static const char *const mobile[] = {"010", "010", "010", "011", "016", "017", "018", "019"};
    static const char *const area[] = {"02",  "031", "032", "033", "041", "042",
                                       "043", "044", "051", "052", "053", "054",
                                       "055", "061", "062", "063", "064", "070"};
    char prefix[4], middle[5], last[5];
    bool is_mobile = pick(10) < 6;
    snprintf(prefix, sizeof prefix, "%s", is_mobile ? ONE_OF(mobile) : ONE_OF(area));
    bool four = strcmp(prefix, "010") == 0 || strcmp(prefix, "070") == 0 || pick(2);
    random_digits(middle, four ? 4 : 3);
    middle[0] = (char)('1' + pick(9)); /* exchanges do not start with 0 */
    random_digits(last, 4);
    snprintf(p->national, sizeof p->national, "%s%s%s", prefix, middle, last);
    snprintf(p->secret, sizeof p->secret, "%s%s", middle, last);
    const char *groups[3] = {prefix, middle, last};
    digit_form forms[3];
    forms[0] = (digit_form)pick(F_FORMS);
    for (int g = 1; g < 3; g++)
        forms[g] = pick(10) < 6 ? forms[0] : (digit_form)pick(F_FORMS);
    int intl = pick(6); /* 0: +82, 1: 0082, 2: 82 without the plus, else national */
    const char *sep = ONE_OF(separators);
    bool brackets = intl > 2 && pick(5) == 0;
    strbuf *w = &p->written;
    p->field_readable = intl != 2;
    if (intl == 0)
        strbuf_puts(w, pick(2) ? "+82 " : pick(2) ? "+82-" : "＋８２ ");
    else if (intl == 1)
        strbuf_puts(w, "0082-");
    else if (intl == 2)
        strbuf_puts(w, "82-");
    for (int g = 0; g < 3; g++) {
        const char *digits = groups[g];
        if (g == 0 && intl <= 2)
            digits++; /* the 0 goes with the country code */
        if (g == 0 && brackets)
            strbuf_puts(w, "(");
        write_digits(w, digits, forms[g]);
        if (g == 0 && brackets)
            strbuf_puts(w, ")");
        bool words = forms[g] == F_WORDS || (g < 2 && forms[g + 1] == F_WORDS);
        if (g < 2)
            strbuf_puts(w, !*sep && words ? " " : sep);
    }
}

/* A resident registration number: YYMMDD, then seven digits, the last six maybe hidden. */
static void plant_registration(planted *p)
{
    char front[7], back[8];
    snprintf(front, sizeof front, "%02u%02u%02u", pick(100), 1 + pick(12), 1 + pick(28));
    random_digits(back, 7);
    back[0] = (char)('1' + pick(4));
    bool hidden = pick(4) == 0;
    if (hidden)
        snprintf(p->secret, sizeof p->secret, "%s%c", front, back[0]);
    else
        snprintf(p->secret, sizeof p->secret, "%s", back);
    digit_form f = pick(3) ? F_ASCII : F_FULL;
    static const char *const joins[] = {"-", "", " ", " - ", "–", "－"};
    write_digits(&p->written, front, f);
    strbuf_puts(&p->written, ONE_OF(joins));
    if (hidden) {
        strbuf_append(&p->written, back, 1);
        strbuf_puts(&p->written, pick(2) ? "******" : "●●●●●●");
    } else {
        write_digits(&p->written, back, f);
    }
}

static void plant_email(planted *p)
{
    static const char *const domains[] = {"naver.com",   "gmail.com", "daum.net",
                                          "hanmail.net", "korea.kr",  "seo.incheon.kr"};
    static const char *const ats[] = {"@", "@", "@", " @ ", "＠", "(at)", "[at]"};
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
    static const char middle[] = "abcdefghijklmnopqrstuvwxyz0123456789._-";
    int n = 5 + (int)pick(7);
    for (int i = 0; i < n; i++)
        p->address[i] = i == 0 || i == n - 1 ? letters[pick(26)] : middle[pick(sizeof middle - 1)];
    p->address[n] = '\0';
    strbuf_printf(&p->written, "%s%s%s", p->address, ONE_OF(ats), ONE_OF(domains));
}

/* Words and numbers that must come out exactly as they went in. */
static void write_keeper(strbuf *out, strbuf *keeper)
{
    static const char *const fixed[] = {"2026-11-25",
                                        "2026.11.25.",
                                        "2026/11/25",
                                        "2026년 11월 25일",
                                        "14:30",
                                        "123-4",
                                        "가정동 123-45번지",
                                        "101동 1502호",
                                        "15,000원",
                                        "1,234,567원",
                                        "1588-1234",
                                        "1661-2642",
                                        "120",
                                        "131",
                                        "22701",
                                        "12가 3456",
                                        "123사 4567",
                                        "3층",
                                        "25%",
                                        "공사 일이 끝나면",
                                        "이사 오는 날",
                                        "오일 교환소",
                                        "사이 길에 물이 고였어요",
                                        "someone parked two cars",
                                        "at nine",
                                        "청라동 공원 앞",
                                        "가로등이 꺼졌어요",
                                        "the streetlight is out"};
    strbuf_clear(keeper);
    if (pick(4) == 0)
        strbuf_printf(keeper, "SG-2026-%06u", 1 + pick(999999));
    else
        strbuf_puts(keeper, ONE_OF(fixed));
    strbuf_puts(out, strbuf_str(keeper));
}

/* ---- the oracle: every digit form read as ASCII, separators dropped ---- */

static int oracle_digit(const char *s, size_t n, uint32_t cp, size_t *used)
{
    static const char *const words[] = {"zero", "one", "two",   "three", "four",
                                        "five", "six", "seven", "eight", "nine"};
    static const char *const syllables[] = {"공", "영", "빵", "일", "이", "삼", "사",
                                            "오", "육", "륙", "칠", "팔", "구"};
    static const int values[] = {0, 0, 0, 1, 2, 3, 4, 5, 6, 6, 7, 8, 9};
    for (int d = 0; d < 10; d++) {
        size_t len = strlen(words[d]);
        if (n >= len && strncasecmp(s, words[d], len) == 0) {
            *used = len;
            return d;
        }
    }
    for (size_t k = 0; k < sizeof syllables / sizeof syllables[0]; k++)
        if (n >= 3 && memcmp(s, syllables[k], 3) == 0)
            return values[k];
    if (cp >= '0' && cp <= '9')
        return (int)(cp - '0');
    if (cp >= 0xFF10 && cp <= 0xFF19)
        return (int)(cp - 0xFF10);
    if (cp >= 0x2460 && cp <= 0x2468)
        return (int)(cp - 0x2460 + 1);
    if (cp == 0x24EA)
        return 0;
    if (cp >= 0x1D7CE && cp <= 0x1D7FF)
        return (int)((cp - 0x1D7CE) % 10);
    return -1;
}

static bool oracle_separator(uint32_t cp)
{
    return cp == ' ' || cp == '-' || cp == '.' || cp == '/' || cp == '(' || cp == ')' ||
           cp == '_' || cp == '~' || cp == '+' || cp == 0xFF0B || cp == 0xA0 || cp == 0x3000 ||
           cp == 0x200B || cp == 0xB7 || cp == 0x318D || (cp >= 0x2010 && cp <= 0x2015) ||
           cp == 0x2212 || cp == 0xFE63 || cp == 0xFF0D;
}

/* text with every digit written as ASCII and every separator gone. */
static void oracle_digits(const char *text, strbuf *out)
{
    size_t len = strlen(text);
    strbuf_clear(out);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode_char(text + i, len - i, &cp), used = n ? n : 1;
        int d = n ? oracle_digit(text + i, len - i, cp, &used) : -1;
        if (d >= 0)
            strbuf_printf(out, "%d", d);
        else if (!n || !oracle_separator(cp))
            strbuf_append(out, text + i, n ? n : 1);
        i += used;
    }
}

/* ---- the property ---- */

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static void check_text(unsigned index, const char *text, planted *items, size_t nitems,
                       strbuf *keepers, size_t nkeepers)
{
    strbuf out, again, digits;
    strbuf_init(&out);
    strbuf_init(&again);
    strbuf_init(&digits);
    const char *shown = redact(text, &out);
    oracle_digits(shown, &digits);
    char *folded = strdup(shown);
    CHECK(folded != NULL);
    if (folded)
        lower(folded);
    int failures = check_failures;
    for (size_t k = 0; k < nitems; k++) {
        if (items[k].secret[0] && strstr(strbuf_str(&digits), items[k].secret))
            fprintf(stderr, "text %u: %s still readable\n", index, items[k].secret),
                check_failures++;
        if (items[k].address[0] && folded && strstr(folded, items[k].address))
            fprintf(stderr, "text %u: %s still there\n", index, items[k].address), check_failures++;
    }
    for (size_t k = 0; k < nkeepers; k++)
        if (!strstr(shown, strbuf_str(&keepers[k])))
            fprintf(stderr, "text %u: '%s' lost\n", index, strbuf_str(&keepers[k])),
                check_failures++;
    CHECK_STR(redact(shown, &again), shown);
    if (check_failures > failures)
        fprintf(stderr, "  in:  %s\n  out: %s\n", text, shown);
    free(folded);
    strbuf_free(&out);
    strbuf_free(&again);
    strbuf_free(&digits);
}

/* One text: words, numbers that stay, and one to three planted items with words around. */
static void one_text(unsigned index)
{
    static const char *const before[] = {"",        "연락처 ", "전화 ", "tel: ", "call ",
                                         "번호는 ", "(",       "[",     "메일 ", "e-mail: "};
    static const char *const after[] = {"",  "로 연락 주세요", "이에요", "입니다", "번으로", ")",
                                        "]", "이고요",         "로",     " please"};
    static const char *const joins[] = {", ", "; ", "\n", " 그리고 ", " and ", "! ", " 또 "};
    planted items[3];
    strbuf keepers[4], text;
    strbuf_init(&text);
    size_t nitems = 1 + pick(3), nkeepers = pick(5);
    for (size_t k = 0; k < 4; k++)
        strbuf_init(&keepers[k]);
    size_t segments = nitems + nkeepers, planted_so_far = 0, kept = 0;
    for (size_t s = 0; s < segments; s++) {
        if (s)
            strbuf_puts(&text, ONE_OF(joins));
        bool plant = kept == nkeepers || (planted_so_far < nitems &&
                                          pick((unsigned)(segments - s)) < nitems - planted_so_far);
        if (!plant) {
            write_keeper(&text, &keepers[kept++]);
            continue;
        }
        planted *p = &items[planted_so_far++];
        memset(p, 0, sizeof *p);
        strbuf_init(&p->written);
        unsigned kind = pick(10);
        if (kind < 6)
            plant_phone(p);
        else if (kind < 8)
            plant_registration(p);
        else
            plant_email(p);
        strbuf_printf(&text, "%s%s%s", ONE_OF(before), strbuf_str(&p->written), ONE_OF(after));
    }
    check_text(index, strbuf_str(&text), items, nitems, keepers, nkeepers);
    for (size_t k = 0; k < nitems; k++) {
        char d[PII_PHONE_DIGITS];
        if (items[k].national[0] && items[k].field_readable &&
            !(pii_phone_digits(strbuf_str(&items[k].written), d) &&
              strcmp(d, items[k].national) == 0))
            fprintf(stderr, "text %u: field '%s' not read as %s\n", index,
                    strbuf_str(&items[k].written), items[k].national),
                check_failures++;
        strbuf_free(&items[k].written);
    }
    for (size_t k = 0; k < 4; k++)
        strbuf_free(&keepers[k]);
    strbuf_free(&text);
}

static void test_property(void)
{
    const char *env = getenv("PII_SEED");
    unsigned long long seed = env && *env ? strtoull(env, NULL, 10) : DEFAULT_SEED;
    rng = seed ? seed : 1;
    printf("pii property test: %d texts, seed %llu (PII_SEED=N to replay another)\n", PII_TEXTS,
           seed);
    for (unsigned i = 0; i < PII_TEXTS; i++)
        one_text(i);
}

int main(void)
{
    test_examples();
    test_phone_fields();
    test_masks();
    test_property();
    CHECK_DONE();
}

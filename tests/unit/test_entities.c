/* Receipt and phone numbers in the forms residents type and say. Named cases (check.h):
 * `test_entities --list`. */
#include <string.h>

#include "check.h"
#include "entities.h"
#include "grammar.h"
#include "nlu.h"

static grammar *ko, *en;

static entities scan(const char *text)
{
    char norm[512];
    nlu_normalize(text, strlen(text), norm, sizeof norm);
    entities e;
    entities_scan(norm, strlen(norm), strstr(text, "one") || strstr(text, "zero") ? en : ko, 2026,
                  &e);
    return e;
}

/* ---- entities-1: a receipt number, typed or said ---- */

static const struct {
    const char *text, *receipt;
} receipts[] = {
    {"SG-2026-000123 어떻게 됐어요?", "SG-2026-000123"},
    {"sg2026000123", "SG-2026-000123"},
    {"SG 2026 45", "SG-2026-000045"},
    {"s g 2026 321", "SG-2026-000321"},
    {"접수번호 2026-000045 처리됐나요", "SG-2026-000045"},
    {"에스지 이공이육 일이삼", "SG-2026-000123"},
    {"에스지 이천이십육 다시 구백팔십칠", "SG-2026-000987"},
    {"2026년 321번 민원", "SG-2026-000321"},
    {"sg one two three", "SG-2026-000123"},
    {"two zero two five five three two two seven zero please", "SG-2025-532270"},
};

static const char *receipt_text(size_t row)
{
    return receipts[row].text;
}

static void receipt_row(size_t row)
{
    entities e = scan(receipts[row].text);
    CHECK_STR(e.receipt.found ? e.receipt.value : "(no receipt found)", receipts[row].receipt);
}

/* ---- entities-2: phone numbers and the last four digits ---- */

static void phone_typed(void)
{
    entities e = scan("연락처는 010-1234-5678 이에요");
    CHECK(e.phone.found);
    CHECK_STR(e.phone.value, "01012345678");
}

static void phone_said(void)
{
    entities e = scan("공일공 칠칠팔팔 구구공공이에요");
    CHECK(e.phone.found);
    CHECK_STR(e.phone.value, "01077889900");
}

static void last_four_digits(void)
{
    entities e = scan("뒷자리 5678");
    CHECK(e.digits.found);
    CHECK_STR(e.digits.value, "5678");
    CHECK(!e.phone.found);
}

/* A receipt written whole, then the last four digits in the same line: two numbers, not one
 * long run (which used to read "SG-2026-1 5678" as receipt SG-2026-015678). */
static const struct {
    const char *text, *receipt, *digits;
} receipt_and_digits[] = {
    {"SG-2026-000001 5678", "SG-2026-000001", "5678"},
    {"SG-2026-1 5678", "SG-2026-000001", "5678"},
    {"sg2026000123 1111", "SG-2026-000123", "1111"},
    {"접수번호 2026-000045 뒷자리 4321", "SG-2026-000045", "4321"},
};

static const char *receipt_and_digits_text(size_t row)
{
    return receipt_and_digits[row].text;
}

static void receipt_and_digits_row(size_t row)
{
    entities e = scan(receipt_and_digits[row].text);
    CHECK_STR(e.receipt.found ? e.receipt.value : "(no receipt found)",
              receipt_and_digits[row].receipt);
    CHECK_STR(e.digits.found ? e.digits.value : "(no digits found)",
              receipt_and_digits[row].digits);
}

/* ---- entities-3: no number where there is none ---- */

static void digit_syllables_in_words(void)
{
    /* 사거리, 오늘, 구청, 이사: words that hold digit syllables are not numbers */
    entities e = scan("사거리 오늘 구청 이사");
    CHECK(!e.receipt.found);
    CHECK(!e.phone.found);
    CHECK(!e.digits.found);
}

static void empty_text(void)
{
    entities e = scan("");
    CHECK(!e.receipt.found);
    CHECK(!e.phone.found);
}

/* ---- entities-4: entities_parse_receipt ---- */

static void parse_receipt(void)
{
    int year = 0;
    long serial = 0;
    CHECK(entities_parse_receipt("SG-2026-000123", &year, &serial));
    CHECK_INT(year, 2026);
    CHECK_INT(serial, 123);
}

static void parse_short_serial(void)
{
    int year;
    long serial;
    CHECK(!entities_parse_receipt("SG-2026-12", &year, &serial));
}

static void parse_trailing_text(void)
{
    int year;
    long serial;
    CHECK(!entities_parse_receipt("SG-2026-000123'; DROP TABLE", &year, &serial));
}

/* ---- entities-5: a spool code, given while the office's store was away ---- */

static const struct {
    const char *text, *receipt, *digits;
    bool incomplete;
} spool_codes[] = {
    {"Q-12345-67890 어떻게 됐어요?", "Q-12345-67890", "", false},
    {"q1234567890", "Q-12345-67890", "", false},
    {"Q 12345 67890 처리됐나요", "Q-12345-67890", "", false},
    {"q-1234567890 status please", "Q-12345-67890", "", false},
    {"큐 일이삼사오 육칠팔구공", "Q-12345-67890", "", false},
    {"Q 12345 - 67890", "Q-12345-67890", "", false},
    /* the code, then the last four digits of a phone: ten digits are the code's, no more */
    {"Q-20260-00001 5678", "Q-20260-00001", "5678", false},
    /* said in part or with a digit too many: no receipt at all (asked again), never a guess */
    {"Q-12345 어떻게 됐어요?", "", "", true},
    {"q 12345 678", "", "", true},
    {"q-12345-678901", "", "", true},
    {"Q 2026 0001234", "", "", true},
};

static const char *spool_code_text(size_t row)
{
    return spool_codes[row].text;
}

static void spool_code_row(size_t row)
{
    entities e = scan(spool_codes[row].text);
    CHECK_STR(e.receipt.found ? e.receipt.value : "", spool_codes[row].receipt);
    CHECK_STR(e.digits.found ? e.digits.value : "", spool_codes[row].digits);
    CHECK_INT(e.receipt_incomplete, spool_codes[row].incomplete);
    CHECK(!e.phone.found);
}

static const check_case cases[] = {
    CHECK_ROWS("entities-1", "the receipt number in", receipt_row, receipts, receipt_text),
    CHECK_CASE("entities-2.1", "a typed phone number", phone_typed),
    CHECK_CASE("entities-2.2", "a phone number said in Sino-Korean digits", phone_said),
    CHECK_CASE("entities-2.3", "'뒷자리 5678' is the last four digits, not a phone",
               last_four_digits),
    CHECK_ROWS("entities-2.4", "a receipt written whole, then the last four digits",
               receipt_and_digits_row, receipt_and_digits, receipt_and_digits_text),
    CHECK_CASE("entities-3.1", "words that hold digit syllables are not numbers",
               digit_syllables_in_words),
    CHECK_CASE("entities-3.2", "an empty text has no numbers", empty_text),
    CHECK_CASE("entities-4.1", "a receipt parses into year and serial", parse_receipt),
    CHECK_CASE("entities-4.2", "a serial of fewer than six digits is no receipt",
               parse_short_serial),
    CHECK_CASE("entities-4.3", "text after the receipt is no receipt", parse_trailing_text),
    CHECK_ROWS("entities-5", "the spool code in", spool_code_row, spool_codes, spool_code_text),
};

int main(int argc, char **argv)
{
    CHECK_SELECT(argc, argv, cases);
    char err[256];
    CHECK_INT(grammar_load(SEODONG_SOURCE_DIR "/grammars", "ko", &ko, err, sizeof err), SD_OK);
    CHECK_INT(grammar_load(SEODONG_SOURCE_DIR "/grammars", "en", &en, err, sizeof err), SD_OK);
    if (!check_failures)
        check_run(cases, CHECK_COUNT(cases));
    else
        fprintf(stderr, "%s\n", err);
    grammar_free(ko);
    grammar_free(en);
    CHECK_DONE();
}

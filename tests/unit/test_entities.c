/* Receipt and phone numbers in the forms residents type and say. */
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

static void receipt_is(const char *text, const char *want)
{
    entities e = scan(text);
    if (!e.receipt.found)
        fprintf(stderr, "no receipt in '%s'\n", text);
    CHECK_STR(e.receipt.found ? e.receipt.value : "", want);
}

int main(void)
{
    char err[256];
    CHECK(grammar_load(SEODONG_SOURCE_DIR "/grammars", "ko", &ko, err, sizeof err) == SD_OK);
    CHECK(grammar_load(SEODONG_SOURCE_DIR "/grammars", "en", &en, err, sizeof err) == SD_OK);
    receipt_is("SG-2026-000123 어떻게 됐어요?", "SG-2026-000123");
    receipt_is("sg2026000123", "SG-2026-000123");
    receipt_is("SG 2026 45", "SG-2026-000045");
    receipt_is("s g 2026 321", "SG-2026-000321");
    receipt_is("접수번호 2026-000045 처리됐나요", "SG-2026-000045");
    receipt_is("에스지 이공이육 일이삼", "SG-2026-000123");
    receipt_is("에스지 이천이십육 다시 구백팔십칠", "SG-2026-000987");
    receipt_is("2026년 321번 민원", "SG-2026-000321");
    receipt_is("sg one two three", "SG-2026-000123");
    receipt_is("two zero two five five three two two seven zero please", "SG-2025-532270");
    entities e = scan("연락처는 010-1234-5678 이에요");
    CHECK(e.phone.found && strcmp(e.phone.value, "01012345678") == 0);
    e = scan("공일공 칠칠팔팔 구구공공이에요");
    CHECK(e.phone.found && strcmp(e.phone.value, "01077889900") == 0);
    e = scan("뒷자리 5678");
    CHECK(e.digits.found && strcmp(e.digits.value, "5678") == 0 && !e.phone.found);
    /* Words that hold digit syllables are not numbers. */
    e = scan("사거리 오늘 구청 이사");
    CHECK(!e.receipt.found && !e.phone.found && !e.digits.found);
    e = scan("");
    CHECK(!e.receipt.found && !e.phone.found);
    int year;
    long serial;
    CHECK(entities_parse_receipt("SG-2026-000123", &year, &serial) && year == 2026 &&
          serial == 123);
    CHECK(!entities_parse_receipt("SG-2026-12", &year, &serial));
    CHECK(!entities_parse_receipt("SG-2026-000123'; DROP TABLE", &year, &serial));
    grammar_free(ko);
    grammar_free(en);
    CHECK_DONE();
}

/* Statutory deadlines: working days counted from the day of filing, weekends and holidays
 * skipped, ending at 18:00 Korean time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "check.h"

static time_t kst(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {
        .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
    return timegm(&tm) - KST_OFFSET;
}

int main(void)
{
    calendar *c;
    char err[256];
    CHECK(calendar_load(SEODONG_SOURCE_DIR "/data/holidays.tsv", &c, err, sizeof err) == SD_OK);
    /* Wed 2026-11-25 + 7 working days (Wed..Fri, Mon..Thu) = Thu 2026-12-03 18:00. */
    CHECK(calendar_due(c, kst(2026, 11, 25, 10, 0), 7) == kst(2026, 12, 3, 18, 0));
    /* Filed on a Saturday: the clock starts on Monday. */
    CHECK(calendar_due(c, kst(2026, 11, 28, 10, 0), 7) == kst(2026, 12, 8, 18, 0));
    /* Chuseok 2026 (Sep 24, 25, 28 off): filed Wed Sep 23 -> 23,29,30,Oct1,2,6(5 off),7. */
    CHECK(calendar_due(c, kst(2026, 9, 23, 9, 0), 7) == kst(2026, 10, 7, 18, 0));
    CHECK(calendar_period_days("law_question") == 14);
    CHECK(calendar_period_days("suggestion") == 14);
    CHECK(calendar_period_days("grievance") == 7);
    CHECK(calendar_period_days("simple_question") == 7);
    CHECK(!calendar_is_workday(c, kst(2026, 12, 25, 12, 0)));
    CHECK(calendar_is_workday(c, kst(2026, 12, 24, 12, 0)));
    /* 23:30 UTC on Dec 24 is already Christmas in Korea. */
    CHECK(!calendar_is_workday(c, kst(2026, 12, 25, 8, 30)));
    calendar_free(c);
    calendar *bad;
    CHECK(calendar_load("/nonexistent/holidays.tsv", &bad, err, sizeof err) == SD_ERR_IO);
    CHECK(strstr(err, "/nonexistent/holidays.tsv") != NULL);
    /* The data-file rules every table shares: comments and indented lines are fine; a line
     * too long for the buffer is an error, not two rows; bytes that are not UTF-8 are refused. */
    char path[] = "/tmp/seodong-holidays-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "# comment\n   2026-12-25\tChristmas\n2026-12-24\t");
    for (int i = 0; i < 10000; i++)
        fputc('x', f);
    fputs("\n", f);
    fclose(f);
    err[0] = '\0';
    CHECK(calendar_load(path, &bad, err, sizeof err) == SD_ERR_PARSE && !bad);
    CHECK(strstr(err, ":3: line too long") != NULL);
    f = fopen(path, "w");
    fputs("2026-12-25\t\xff\xfe\n", f);
    fclose(f);
    CHECK(calendar_load(path, &bad, err, sizeof err) == SD_ERR_PARSE && !bad);
    CHECK(strstr(err, ":1: not valid UTF-8") != NULL);
    f = fopen(path, "w");
    fputs("# only\n\n  2026-12-24\tEve\r\n", f);
    fclose(f);
    CHECK(calendar_load(path, &bad, err, sizeof err) == SD_OK && bad);
    if (bad) {
        CHECK(!calendar_is_workday(bad, kst(2026, 12, 24, 12, 0)));
        calendar_free(bad);
    }
    unlink(path);
    CHECK_DONE();
}

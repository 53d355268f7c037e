/* store_writer.c - one writer process of tests/test_shared_store.sh: files complaints into the
 * office's shared store through the store layer, as a speaker does, and prints exactly what
 * each filing was given, so that the test can hold the database to every answer.
 *
 *   store_writer setup URL LOCAL
 *       the department and category the filings use (once, before the writers start)
 *   store_writer file URL LOCAL TAG MIN STOPFILE
 *       files complaints whose detail is "TAG-1", "TAG-2", ... (every odd one with a phone
 *       number) until it has filed at least MIN and STOPFILE exists; prints "TAG-N RECEIPT"
 *       for each filing acknowledged (an SG- receipt number, or a Q- spool code when the
 *       server was away) and "TAG-N error CODE" for one that was not. Offline it files at
 *       most 100 a second. Then it forwards its
 *       spool, waiting up to two minutes for the server, and prints "spool N" with how many
 *       filings are still in it.
 *
 * LOCAL is the device's own SQLite file (its spool). Exit status: 0 when the spool is empty at
 * the end, 1 when it is not or the store cannot be opened, 2 wrong usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

#define T0 1795000000 /* 2026-11-19: every filing in one receipt year */
#define FORWARD_WAIT_S 120
/* Offline, a filing costs only a local write: paced as a busy box would file (100 a second),
 * so that a few seconds without the server spool hundreds of filings, not tens of thousands. */
#define SPOOL_PACE_US 10000

static int usage(void)
{
    fprintf(stderr, "usage: store_writer setup URL LOCAL\n"
                    "       store_writer file URL LOCAL TAG MIN STOPFILE\n");
    return 2;
}

static int setup(store *s)
{
    store_department d = {"parking", "주차관리과", "Parking Management", "032-560-4380"};
    store_category c = {"illegal_parking", "parking", "grievance", "불법 주차", "illegal parking"};
    if (store_department_put(s, &d) != SD_OK || store_category_put(s, &c) != SD_OK) {
        fprintf(stderr, "store_writer: cannot write the department and category\n");
        return 1;
    }
    return 0;
}

/* Forwards the spool until it is empty or the wait is over; returns what is left in it. */
static int forward(store *s)
{
    time_t deadline = time(NULL) + FORWARD_WAIT_S;
    while (store_spool_count(s) > 0 && time(NULL) < deadline) {
        if (store_spool_forward(s, NULL) != SD_OK)
            usleep(100 * 1000);
    }
    return store_spool_count(s);
}

static int file_all(store *s, const char *tag, long min, const char *stopfile)
{
    char detail[64], receipt[32];
    for (long i = 1; i <= min || access(stopfile, F_OK) != 0; i++) {
        snprintf(detail, sizeof detail, "%s-%ld", tag, i);
        store_new_complaint c = {.category = "illegal_parking",
                                 .place = "가정1동 행정복지센터",
                                 .detail = detail,
                                 .phone = i % 2 ? "01055501234" : NULL,
                                 .lang = "ko",
                                 .channel = "speaker",
                                 .filed_at = T0 + i,
                                 .due_at = T0 + i + 7 * 86400};
        sd_code rc = store_complaint_file(s, &c, receipt);
        if (rc == SD_OK)
            printf("%s %s\n", detail, receipt);
        else
            printf("%s error %s\n", detail, sd_strerror(rc));
        if (rc == SD_OK && store_is_spool_code(receipt))
            usleep(SPOOL_PACE_US);
    }
    int left = forward(s);
    printf("spool %d\n", left);
    return left == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    bool filing = argc == 7 && strcmp(argv[1], "file") == 0;
    if (!filing && !(argc == 4 && strcmp(argv[1], "setup") == 0))
        return usage();
    char *end;
    long min = filing ? strtol(argv[5], &end, 10) : 0;
    if (filing && (*end || min < 1))
        return usage();
    setvbuf(stdout, NULL, _IOLBF, 0); /* the test watches the lines as they come */
    char err[512];
    store *s = NULL;
    if (store_open_local(argv[2], argv[3], &s, err, sizeof err) != SD_OK) {
        fprintf(stderr, "store_writer: %s\n", err);
        return 1;
    }
    int status = filing ? file_all(s, argv[4], min, argv[6]) : setup(s);
    store_close(s);
    return status;
}

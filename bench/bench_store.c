/* bench_store.c - one writer process against the store, SQLite or PostgreSQL
 * (scripts/bench_store.sh starts several at once).
 *
 *   bench_store DB N [--start-at T] [--local FILE] [--channel C] [--phone DIGITS]
 *   bench_store DB --seconds S --receipts FILE [--rate R] [--local FILE] [--channel C]
 *               [--phone DIGITS]
 *
 * DB is an SQLite file or a postgresql:// URL whose store is already seeded (categories). FILE
 * after --local is this process's own SQLite file (the spool and KB copy of a shared store).
 *
 * With N: files N complaints with store_complaint_file, each one durable transaction, and prints
 * "STORE_FILE N FAILED START END" (CLOCK_REALTIME seconds of the first and the end of the last
 * filing, so that the caller can add up processes that ran at once). Exit 1 when any failed.
 * --start-at T: the store is opened first, then the filings wait until CLOCK_REALTIME T, so that
 * several processes start filing together and opening is not timed.
 *
 * With --seconds: files for S seconds (at most R filings a second with --rate) and looks each
 * receipt up after filing it, as a speaker does when the resident asks; every acknowledged receipt
 * (or spool code) is written to FILE as it is given, with the filing's unique detail. A failed
 * filing (the server restarting) is counted and tried again, as the resident would. At the end, the
 * spool is forwarded and each spool code resolved to its receipt; FILE then holds "ACK FINAL
 * DETAIL" lines, and "STORE_SOAK FILED FAILED LOOKUPS LOOKUP_FAILED SPOOLED UNRESOLVED" is printed.
 * Uses the store layer only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

#define DETAIL_MAX 128

typedef struct {
    const char *db, *local, *channel, *phone, *receipts;
    long n;
    double seconds, start_at, rate;
} bench_options;

static double now_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static sd_code file_one(store *s, const bench_options *o, const char *detail, char receipt[32])
{
    store_new_complaint c = {
        .category = "illegal_parking",
        .place = "청라동",
        .detail = detail,
        .phone = o->phone,
        .lang = "ko",
        .channel = o->channel,
        .filed_at = time(NULL),
    };
    c.due_at = c.filed_at + 86400 * 7;
    return store_complaint_file(s, &c, receipt);
}

static int run_count(store *s, const bench_options *o)
{
    long failed = 0;
    char detail[DETAIL_MAX], receipt[32];
    double wait = o->start_at - now_s(CLOCK_REALTIME);
    if (wait > 0)
        usleep((useconds_t)(wait * 1e6));
    double t0 = now_s(CLOCK_REALTIME);
    for (long i = 0; i < o->n; i++) {
        snprintf(detail, sizeof detail, "bench %ld-%ld 트럭이 사흘째 불법 주차", (long)getpid(), i);
        sd_code rc = file_one(s, o, detail, receipt);
        if (rc != SD_OK || store_is_spool_code(receipt)) {
            if (failed++ == 0)
                fprintf(stderr, "bench_store: filing failed: %s\n", sd_strerror(rc));
        }
    }
    printf("STORE_FILE %ld %ld %.6f %.6f\n", o->n, failed, t0, now_s(CLOCK_REALTIME));
    return failed ? 1 : 0;
}

typedef struct {
    char ack[32];
    char detail[DETAIL_MAX];
} acked;

/* Forwards the spool until empty (at most a minute) and writes the ACK FINAL DETAIL lines. */
static int finish_soak(store *s, const bench_options *o, acked *acks, long nacks, long *unresolved)
{
    for (int i = 0; i < 600 && store_spool_count(s) > 0; i++) {
        store_spool_forward(s, NULL);
        if (store_spool_count(s) > 0)
            usleep(100000);
    }
    FILE *f = fopen(o->receipts, "w");
    if (!f) {
        perror(o->receipts);
        return 1;
    }
    store_complaint c;
    size_t nev;
    *unresolved = 0;
    for (long i = 0; i < nacks; i++) {
        const char *final = acks[i].ack;
        if (store_is_spool_code(acks[i].ack)) {
            if (store_complaint_get(s, acks[i].ack, &c, NULL, NULL, 0, &nev) == SD_OK &&
                !store_is_spool_code(c.receipt))
                final = c.receipt;
            else
                ++*unresolved, final = "-";
        }
        fprintf(f, "%s %s %s\n", acks[i].ack, final, acks[i].detail);
    }
    return fclose(f) == 0 ? 0 : 1;
}

static int run_soak(store *s, const bench_options *o)
{
    long cap = 1024, nacks = 0, failed = 0, lookups = 0, lookup_failed = 0, spooled = 0, tries = 0;
    acked *acks = malloc(sizeof *acks * cap);
    if (!acks)
        return 1;
    double start = now_s(CLOCK_MONOTONIC), end = start + o->seconds;
    store_complaint c;
    size_t nev;
    while (now_s(CLOCK_MONOTONIC) < end) {
        double due = o->rate > 0 ? start + (double)tries / o->rate : 0;
        double early = due - now_s(CLOCK_MONOTONIC);
        if (early > 0)
            usleep((useconds_t)(early * 1e6));
        if (nacks == cap) {
            acked *more = realloc(acks, sizeof *acks * (cap *= 2));
            if (!more)
                break;
            acks = more;
        }
        acked *a = &acks[nacks];
        snprintf(a->detail, sizeof a->detail, "soak-%s-%ld-%ld", o->channel, (long)getpid(),
                 tries++);
        sd_code rc = file_one(s, o, a->detail, a->ack);
        if (rc != SD_OK) {
            failed++;
            usleep(10000); /* the resident tries again a moment later */
            continue;
        }
        nacks++;
        if (store_is_spool_code(a->ack))
            spooled++;
        lookups++;
        rc = store_complaint_get(s, a->ack, &c, NULL, NULL, 0, &nev);
        if (rc != SD_OK && !(rc == SD_ERR_OFFLINE && store_is_spool_code(a->ack)))
            lookup_failed++;
    }
    long unresolved = 0;
    int rc = finish_soak(s, o, acks, nacks, &unresolved);
    printf("STORE_SOAK %ld %ld %ld %ld %ld %ld\n", nacks, failed, lookups, lookup_failed, spooled,
           unresolved);
    free(acks);
    return rc;
}

static int usage(void)
{
    fputs("usage: bench_store DB N [--start-at T] [--local FILE] [--channel C] [--phone DIGITS]\n"
          "       bench_store DB --seconds S --receipts FILE [--rate R] [--local FILE] "
          "[--channel C] [--phone DIGITS]\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    bench_options o = {.channel = "bench"};
    if (argc < 2)
        return usage();
    o.db = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--local") == 0 && next)
            o.local = argv[++i];
        else if (strcmp(argv[i], "--channel") == 0 && next)
            o.channel = argv[++i];
        else if (strcmp(argv[i], "--phone") == 0 && next)
            o.phone = argv[++i];
        else if (strcmp(argv[i], "--seconds") == 0 && next)
            o.seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--rate") == 0 && next)
            o.rate = atof(argv[++i]);
        else if (strcmp(argv[i], "--start-at") == 0 && next)
            o.start_at = atof(argv[++i]);
        else if (strcmp(argv[i], "--receipts") == 0 && next)
            o.receipts = argv[++i];
        else if (argv[i][0] != '-' && o.n == 0)
            o.n = atol(argv[i]);
        else
            return usage();
    }
    if ((o.n <= 0) == (o.seconds <= 0) || (o.seconds > 0 && !o.receipts))
        return usage();
    char err[512];
    store *s = NULL;
    if (store_open_local(o.db, o.local, &s, err, sizeof err) != SD_OK) {
        fprintf(stderr, "bench_store: %s\n", err);
        return 1;
    }
    int rc = o.n > 0 ? run_count(s, &o) : run_soak(s, &o);
    store_close(s);
    return rc;
}

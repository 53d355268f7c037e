/* bench_file.c - durable complaint filing throughput benchmark (run by scripts/bench.sh).
 *
 *   bench_file DB [N]
 *
 * Opens an engine on a fresh database at DB (which seeds the categories), then files N (default
 * 5000) complaints with store_complaint_file from one thread, and N more from 4 threads sharing
 * the same store, and prints filings per second for each. Every filing is one durable
 * transaction (WAL, synchronous=FULL). DB must be a path the caller may delete. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "store.h"

#define THREADS 4

typedef struct {
    store *s;
    int n;
    int failed;
} job;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *file_loop(void *arg)
{
    job *j = arg;
    for (int i = 0; i < j->n; i++) {
        store_new_complaint c = {
            .category = "illegal_parking",
            .place = "청라동",
            .detail = "집 앞 골목에 트럭이 사흘째 불법 주차되어 있어요",
            .phone = "01012345678",
            .lang = "ko",
            .channel = "bench",
            .filed_at = time(NULL),
        };
        c.due_at = c.filed_at + 86400 * 7;
        char receipt[32];
        if (store_complaint_file(j->s, &c, receipt) != SD_OK)
            j->failed++;
    }
    return NULL;
}

/* Files n complaints over nthreads threads; prints and returns filings per second. */
static double run(store *s, int n, int nthreads)
{
    pthread_t th[THREADS];
    job jobs[THREADS];
    double t0 = now_s();
    for (int t = 0; t < nthreads; t++) {
        jobs[t] = (job){.s = s, .n = n / nthreads + (t < n % nthreads), .failed = 0};
        if (nthreads == 1)
            file_loop(&jobs[t]);
        else if (pthread_create(&th[t], NULL, file_loop, &jobs[t]) != 0) {
            fputs("bench_file: pthread_create failed\n", stderr);
            exit(1);
        }
    }
    int failed = 0;
    for (int t = 0; t < nthreads; t++) {
        if (nthreads > 1)
            pthread_join(th[t], NULL);
        failed += jobs[t].failed;
    }
    double secs = now_s() - t0;
    double rate = (n - failed) / secs;
    printf("file %d thread%s: %d complaints (%d failed) in %.2f s = %.0f filings/s\n", nthreads,
           nthreads > 1 ? "s" : "", n, failed, secs, rate);
    printf("FILE_RATE %d %.0f %d\n", nthreads, rate, failed);
    return failed ? -1 : rate;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: bench_file DB [N]\n", stderr);
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 5000;
    if (n <= 0)
        n = 5000;
    char p[4096];
    unlink(argv[1]);
    snprintf(p, sizeof p, "%s-wal", argv[1]);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", argv[1]);
    unlink(p);

    char err[512];
    engine *e = NULL;
    engine_config cfg = {.data_dir = NULL, .db_path = argv[1]};
    if (engine_open(&cfg, &e, err, sizeof err) != SD_OK) {
        fprintf(stderr, "bench_file: engine_open: %s\n", err);
        return 1;
    }
    double r1 = run(engine_store(e), n, 1);
    double r4 = run(engine_store(e), n, THREADS);
    engine_close(e);
    return r1 < 0 || r4 < 0 ? 1 : 0;
}

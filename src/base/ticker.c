/* ticker.c - see ticker.h. The thread sleeps on a condition variable with a deadline, so that
 * ticker_stop wakes it at once instead of waiting out the period. */
#include "ticker.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

struct ticker {
    int period_s;
    ticker_fn fn;
    void *ctx;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
};

/* Waits one period; true when asked to stop meanwhile. */
static bool wait_period(ticker *t)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += t->period_s;
    pthread_mutex_lock(&t->lock);
    while (!t->stopping && pthread_cond_timedwait(&t->wake, &t->lock, &until) == 0)
        ;
    bool stopped = t->stopping;
    pthread_mutex_unlock(&t->lock);
    return stopped;
}

static void *run(void *arg)
{
    ticker *t = arg;
    do
        t->fn(t->ctx);
    while (!wait_period(t));
    return NULL;
}

sd_code ticker_start(int period_s, ticker_fn fn, void *ctx, ticker **out)
{
    *out = NULL;
    if (period_s < 1)
        return SD_ERR_INVALID;
    ticker *t = calloc(1, sizeof *t);
    if (!t)
        return SD_ERR_NOMEM;
    *t = (ticker){.period_s = period_s, .fn = fn, .ctx = ctx};
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->wake, NULL);
    if (pthread_create(&t->thread, NULL, run, t) != 0) {
        pthread_cond_destroy(&t->wake);
        pthread_mutex_destroy(&t->lock);
        free(t);
        return SD_ERR_NOMEM;
    }
    *out = t;
    return SD_OK;
}

void ticker_stop(ticker *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    t->stopping = true;
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

/* recognizer_pool.c - see recognizer_pool.h.
 *
 * Idle recognisers sit on a stack under the lock. A build happens outside that lock, so calls
 * giving back or taking idle recognisers never wait for a half-second build; a second lock
 * serialises the builds themselves, which also makes the resident-memory difference measured
 * around a build that recogniser's own. */
#include "recognizer_pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct recognizer_pool {
    engine *e;
    char lang[4];
    int max, built; /* built counts builds under way too */
    recognizer **idle;
    int nidle;
    double mb_each;
    pthread_mutex_t lock;
    pthread_mutex_t build;
};

sd_code recognizer_pool_new(engine *e, const char *lang, int max, recognizer_pool **out)
{
    if (max < 0 || (strcmp(lang, "ko") != 0 && strcmp(lang, "en") != 0))
        return SD_ERR_INVALID;
    recognizer_pool *p = calloc(1, sizeof *p);
    if (!p)
        return SD_ERR_NOMEM;
    p->idle = calloc(max ? (size_t)max : 1, sizeof *p->idle);
    if (!p->idle) {
        free(p);
        return SD_ERR_NOMEM;
    }
    p->e = e;
    p->max = max;
    snprintf(p->lang, sizeof p->lang, "%s", lang);
    pthread_mutex_init(&p->lock, NULL);
    pthread_mutex_init(&p->build, NULL);
    *out = p;
    return SD_OK;
}

void recognizer_pool_free(recognizer_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->nidle; i++)
        recognizer_close(p->idle[i]);
    pthread_mutex_destroy(&p->build);
    pthread_mutex_destroy(&p->lock);
    free(p->idle);
    free(p);
}

/* Resident set size of this process in MB, from /proc (0 when unavailable). */
static double rss_mb(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static sd_code build(recognizer_pool *p, recognizer **out, char *err, size_t errlen)
{
    pthread_mutex_lock(&p->build);
    double before = rss_mb();
    sd_code rc = recognizer_open(p->e, p->lang, NULL, out, err, errlen);
    double mb = rss_mb() - before;
    pthread_mutex_unlock(&p->build);
    pthread_mutex_lock(&p->lock);
    if (rc == SD_OK)
        p->mb_each = mb;
    else
        p->built--; /* the slot reserved for it is free again */
    pthread_mutex_unlock(&p->lock);
    return rc;
}

sd_code recognizer_pool_take(recognizer_pool *p, recognizer **out, char *err, size_t errlen)
{
    pthread_mutex_lock(&p->lock);
    sd_code rc = SD_OK;
    bool fresh = false;
    if (p->nidle) {
        *out = p->idle[--p->nidle];
    } else if (p->built < p->max) {
        fresh = true;
        p->built++;
    } else {
        rc = SD_ERR_BUSY;
    }
    pthread_mutex_unlock(&p->lock);
    if (rc == SD_ERR_BUSY)
        snprintf(err, errlen, "all %d recognisers are in use", p->max);
    return fresh ? build(p, out, err, errlen) : rc;
}

void recognizer_pool_give(recognizer_pool *p, recognizer *r)
{
    pthread_mutex_lock(&p->lock);
    p->idle[p->nidle++] = r;
    pthread_mutex_unlock(&p->lock);
}

double recognizer_pool_mb_each(recognizer_pool *p)
{
    pthread_mutex_lock(&p->lock);
    double mb = p->mb_each;
    pthread_mutex_unlock(&p->lock);
    return mb;
}

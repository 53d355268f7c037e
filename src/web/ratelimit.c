/* ratelimit.c - per-address rate limits (see ratelimit.h): one fixed one-minute window per slot,
 * the slot chosen by an FNV-1a hash of the address. */
#include "ratelimit.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT_SLOTS 4096

typedef struct {
    char address[64];
    time_t window; /* start of the minute counted */
    int count;
} limit_slot;

struct ratelimit {
    pthread_mutex_t lock;
    int per_minute;
    limit_slot slots[LIMIT_SLOTS];
};

sd_code ratelimit_new(int per_minute, ratelimit **out)
{
    ratelimit *r = calloc(1, sizeof *r);
    *out = r;
    if (!r)
        return SD_ERR_NOMEM;
    pthread_mutex_init(&r->lock, NULL);
    r->per_minute = per_minute;
    return SD_OK;
}

void ratelimit_free(ratelimit *r)
{
    if (!r)
        return;
    pthread_mutex_destroy(&r->lock);
    free(r);
}

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

bool ratelimit_allow(ratelimit *r, const char *address, time_t now)
{
    time_t window = now - now % 60;
    pthread_mutex_lock(&r->lock);
    limit_slot *slot = &r->slots[fnv1a(address) % LIMIT_SLOTS];
    if (strcmp(slot->address, address) != 0 || slot->window != window) {
        snprintf(slot->address, sizeof slot->address, "%s", address);
        slot->window = window;
        slot->count = 0;
    }
    bool ok = slot->count < r->per_minute;
    if (ok)
        slot->count++;
    pthread_mutex_unlock(&r->lock);
    return ok;
}

bool ratelimit_over(ratelimit *r, const char *address, time_t now)
{
    time_t window = now - now % 60;
    pthread_mutex_lock(&r->lock);
    const limit_slot *slot = &r->slots[fnv1a(address) % LIMIT_SLOTS];
    bool over = strcmp(slot->address, address) == 0 && slot->window == window &&
                slot->count >= r->per_minute;
    pthread_mutex_unlock(&r->lock);
    return over;
}

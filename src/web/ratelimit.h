/* ratelimit.h - per-address rate limits: at most N requests of one kind per client address and
 * minute (fixed windows in a small hash table, thread-safe). An address that shares a slot with
 * another may evict it; the table is sized so that this is rare, and eviction only ever lets a
 * client through, never blocks one wrongly. */
#ifndef SEODONG_WEB_LIMIT_H
#define SEODONG_WEB_LIMIT_H

#include <stdbool.h>
#include <time.h>

#include "sd_error.h"

typedef struct ratelimit ratelimit;

sd_code ratelimit_new(int per_minute, ratelimit **out);
void ratelimit_free(ratelimit *r);
/* Counts one request of address at now (seconds); false when it is over the limit. */
bool ratelimit_allow(ratelimit *r, const char *address, time_t now);
/* True when address has used up its requests of the minute of now; counts nothing. Used where
 * only failures count (sign-ins): the check comes first, the count after a failure. */
bool ratelimit_over(ratelimit *r, const char *address, time_t now);

#endif

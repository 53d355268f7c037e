/* ticker.h - a job run now and then every so often on a thread of its own, until stopped: the
 * background chores of a long-running process (keeping the forecast cache warm). */
#ifndef SEODONG_TICKER_H
#define SEODONG_TICKER_H

#include "sd_error.h"

typedef struct ticker ticker;

typedef void (*ticker_fn)(void *ctx);

/* Runs fn(ctx) at once and then every period_s seconds. Returns SD_OK, SD_ERR_INVALID
 * (period_s < 1) or SD_ERR_NOMEM (no memory or no thread). */
sd_code ticker_start(int period_s, ticker_fn fn, void *ctx, ticker **out);

/* Waits for a run under way to end, stops the ticker and frees it. NULL is allowed. */
void ticker_stop(ticker *t);

#endif

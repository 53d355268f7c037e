/* recognizer_pool.h - speech recognisers lent to phone calls.
 *
 * A recogniser is not thread-safe and costs about 35 MB and half a second to build (asr.h), so
 * a call borrows one for its length and gives it back; the next call reuses it instead of
 * loading the models again. At most `max` exist at once: a call that finds none left is served
 * by keypad only, rather than let memory grow with every call. All recognisers are for one
 * language. Thread-safe. */
#ifndef SEODONG_RECOGNIZER_POOL_H
#define SEODONG_RECOGNIZER_POOL_H

#include <stddef.h>

#include "engine.h"
#include "recognizer.h"

typedef struct recognizer_pool recognizer_pool;

/* A pool of at most max recognisers for lang ("ko" or "en") on e; max may be 0 (keypad only).
 * Nothing is loaded yet. Returns SD_OK, SD_ERR_INVALID (lang, max < 0), SD_ERR_NOMEM. */
sd_code recognizer_pool_new(engine *e, const char *lang, int max, recognizer_pool **out);
/* Closes the recognisers; all must have been given back. */
void recognizer_pool_free(recognizer_pool *p);

/* Lends a recogniser, building one when none is idle and fewer than max exist (building is
 * serialised: two at once would only compete for the same cores and memory). Returns SD_OK;
 * SD_ERR_BUSY when max are lent; what recognizer_open returns (err says why). */
sd_code recognizer_pool_take(recognizer_pool *p, recognizer **out, char *err, size_t errlen);
void recognizer_pool_give(recognizer_pool *p, recognizer *r);

/* Resident memory the last recogniser built added to the process, in MB (0 before any). */
double recognizer_pool_mb_each(recognizer_pool *p);

#endif

/* notifier.h - the sender of the notification outbox: claims due messages from the store,
 * delivers them through the gateway and records each outcome. Filing never waits for it: the
 * store's lock is held only inside store calls, never during HTTP.
 *
 * Delivery is at most once per event as far as the gateway can tell us: every message carries
 * its idempotency key, and a message that may already have reached the gateway (the sender died,
 * timed out or lost the answer) is looked up by that key before it is sent again. */
#ifndef SEODONG_NOTIFIER_H
#define SEODONG_NOTIFIER_H

#include <stdio.h>
#include <time.h>

#include "config.h"
#include "sd_error.h"
#include "store.h"

typedef struct notifier notifier;

typedef struct {
    store *store;
    const config_gateway *gateway; /* url must be set */
    /* Clock; NULL = time(). Tests pin it. */
    time_t (*now)(void *ctx);
    void *now_ctx;
    FILE *log; /* one line per attempt (phone masked, no secrets); NULL = quiet */
    /* The site's public address ([web] base_url): each message gets a template parameter
     * "link" to the complaint's tracking page. NULL or "" = no link. */
    const char *track_base_url;
} notifier_config;

typedef struct {
    int sent;      /* accepted by the gateway */
    int confirmed; /* found accepted by a lookup, so not sent again */
    int retry;     /* failed, due again later */
    int dead;      /* failed for good or too often: in the dead letters */
} notifier_counts;

/* Returns SD_OK, SD_ERR_INVALID (no gateway url) or SD_ERR_NOMEM. */
sd_code notifier_new(const notifier_config *cfg, notifier **out);
void notifier_free(notifier *n);

/* Delivers every message due now, one after the other, adding to *counts. Returns SD_OK, or the
 * store's error (the messages already done stay done). */
sd_code notifier_run_once(notifier *n, notifier_counts *counts);

/* One round: queues the interim notices that fell due (lifecycle_sweep), then delivers what is
 * due (notifier_run_once). Returns SD_OK or the store's error. */
sd_code notifier_tick(notifier *n, notifier_counts *counts);

/* Runs notifier_tick for ever, sleeping until the next message falls due and waking at least
 * every poll_s seconds for messages queued meanwhile. A busy database, or a shared one that
 * cannot be reached, is waited out. Returns only on another store error. */
sd_code notifier_run(notifier *n, int poll_s);

#endif

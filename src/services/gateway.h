/* gateway.h - the notification gateway: the one adapter that knows how messages leave the
 * office (an AlimTalk-style HTTPS API modelled on NHN Cloud's v2.3; see gateway.c). Everything
 * else speaks of messages and outcomes only.
 *
 * A gateway value holds the settings only; each call makes its own libcurl handle, so one value
 * may serve any number of threads. */
#ifndef SEODONG_GATEWAY_H
#define SEODONG_GATEWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "sd_error.h"

typedef struct gateway gateway;

/* What became of one request. */
typedef enum {
    GATEWAY_ACCEPTED,  /* the gateway took the message (or, for a lookup, had taken it) */
    GATEWAY_REJECTED,  /* refused for good: sending it again cannot help */
    GATEWAY_RETRY,     /* not accepted; worth trying again later */
    GATEWAY_UNKNOWN,   /* the request may have arrived, the answer did not: look it up */
    GATEWAY_NOT_FOUND, /* a lookup: the gateway has no accepted message with that key */
} gateway_outcome;

typedef struct {
    gateway_outcome outcome;
    bool answered; /* the gateway answered (as opposed to a network failure) */
    long http_status;
    char why[256]; /* for staff: what went wrong; never the phone number or a secret */
} gateway_result;

typedef struct {
    const char *template_code;
    const char *recipient;   /* the resident's phone number, digits */
    const char *params_json; /* JSON object: the template's parameters */
    const char *idem_key;    /* idempotency key, also the recipientGroupingKey */
} gateway_message;

/* Copies the settings. Returns SD_OK, SD_ERR_INVALID (no url) or SD_ERR_NOMEM. */
sd_code gateway_new(const config_gateway *cfg, gateway **out);
void gateway_free(gateway *g);

/* Sends one message. Returns SD_OK with r->outcome ACCEPTED, REJECTED, RETRY or UNKNOWN, or
 * SD_ERR_NOMEM (nothing was sent). */
sd_code gateway_send(gateway *g, const gateway_message *m, gateway_result *r);

/* Asks whether the message with idempotency key idem_key, queued at since, was accepted.
 * Returns SD_OK with r->outcome ACCEPTED, NOT_FOUND, or RETRY (the question went unanswered),
 * or SD_ERR_NOMEM. */
sd_code gateway_lookup(gateway *g, const char *idem_key, time_t since, time_t now,
                       gateway_result *r);

#endif

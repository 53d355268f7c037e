/* notifier.c - the outbox's delivery loop.
 *
 * For each due message: claim it (store), and when it is in doubt (a sender may already have
 * reached the gateway with it) ask the gateway by its idempotency key first; send it unless the
 * gateway has it; record the outcome (store). A failure answered by the gateway for a message
 * tried before may be the gateway refusing a repeated idempotency key, which means the first
 * request was accepted: that is confirmed with a lookup too. The gateway's time-out bounds every
 * request, and the claim's lease is longer than a lookup and a send together, so no other sender
 * takes a message this one is still working on. */
#include "notifier.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gateway.h"
#include "lifecycle.h"
#include "pii.h"

/* Time a claim is held beyond the requests' own time-outs. */
#define LEASE_MARGIN_S 30

struct notifier {
    store *store;
    config_gateway cfg;
    gateway *gw;
    time_t (*now)(void *ctx);
    void *now_ctx;
    FILE *log;
    int lease_s;
    char track_base_url[256];
};

sd_code notifier_new(const notifier_config *cfg, notifier **out)
{
    *out = NULL;
    notifier *n = calloc(1, sizeof *n);
    if (!n)
        return SD_ERR_NOMEM;
    sd_code rc = gateway_new(cfg->gateway, &n->gw);
    if (rc != SD_OK) {
        free(n);
        return rc;
    }
    n->store = cfg->store;
    n->cfg = *cfg->gateway;
    n->now = cfg->now;
    n->now_ctx = cfg->now_ctx;
    n->log = cfg->log;
    /* a lookup and a send, each at most timeout_ms, rounded up */
    n->lease_s = 2 * ((cfg->gateway->timeout_ms + 999) / 1000) + LEASE_MARGIN_S;
    if (cfg->track_base_url)
        snprintf(n->track_base_url, sizeof n->track_base_url, "%s", cfg->track_base_url);
    *out = n;
    return SD_OK;
}

void notifier_free(notifier *n)
{
    if (!n)
        return;
    gateway_free(n->gw);
    free(n);
}

static time_t clock_now(const notifier *n)
{
    return n->now ? n->now(n->now_ctx) : time(NULL);
}

/* One line per outcome; the recipient masked, and the gateway's reason too, since a gateway may
 * quote the number it refused. */
static void log_line(const notifier *n, const store_outbox_msg *m, const char *what,
                     const char *why)
{
    if (!n->log)
        return;
    char masked[PII_PHONE_MASKED];
    pii_mask_phone(m->phone, masked);
    strbuf reason;
    strbuf_init(&reason);
    pii_redact(why, strlen(why), &reason);
    fprintf(n->log, "outbox #%ld %s %s to %s (attempt %d): %s%s%s\n", m->id, m->idem_key,
            m->template_code, masked, m->attempts, what, why[0] ? ": " : "",
            reason.failed ? "" : strbuf_str(&reason));
    strbuf_free(&reason);
    fflush(n->log);
}

static sd_code record_sent(notifier *n, const store_outbox_msg *m, bool confirmed,
                           notifier_counts *c)
{
    sd_code rc = store_outbox_sent(n->store, m->id, clock_now(n));
    if (rc == SD_OK || rc == SD_ERR_NOT_FOUND) {
        /* NOT_FOUND: another sender recorded it first; it is sent either way */
        (*(confirmed ? &c->confirmed : &c->sent))++;
        log_line(n, m, confirmed ? "already accepted, not sent again" : "sent", "");
        return SD_OK;
    }
    return rc;
}

static sd_code record_failure(notifier *n, const store_outbox_msg *m, const gateway_result *r,
                              notifier_counts *c)
{
    store_outbox_failure f = {
        .error = r->why,
        .permanent = r->outcome == GATEWAY_REJECTED,
        .in_doubt = r->outcome == GATEWAY_UNKNOWN,
        .backoff_s = n->cfg.backoff_s,
        .max_attempts = n->cfg.max_attempts,
    };
    bool dead = false;
    sd_code rc = store_outbox_failed(n->store, m->id, clock_now(n), &f, &dead);
    if (rc == SD_ERR_NOT_FOUND)
        return SD_OK; /* another sender took it over after our lease ran out */
    if (rc == SD_OK) {
        (*(dead ? &c->dead : &c->retry))++;
        log_line(n, m, dead ? "dead letter" : "failed, will retry", r->why);
    }
    return rc;
}

/* Asks the gateway whether m was accepted; true when it was. */
static bool already_accepted(notifier *n, const store_outbox_msg *m, gateway_result *r)
{
    return gateway_lookup(n->gw, m->idem_key, m->created_at, clock_now(n), r) == SD_OK &&
           r->outcome == GATEWAY_ACCEPTED;
}

/* m's parameters with "link", the tracking page of its complaint (the resident opens it from
 * the message); NULL when there is no site address, or the parameters are not an object (the
 * gateway refuses those as they are). */
static char *with_link(const notifier *n, const store_outbox_msg *m)
{
    if (!n->track_base_url[0])
        return NULL;
    json_t *params = json_loads(m->params, 0, NULL);
    char *out = NULL;
    if (json_is_object(params)) {
        size_t len = strlen(n->track_base_url);
        bool slash = len && n->track_base_url[len - 1] == '/';
        json_object_set_new(
            params, "link",
            json_sprintf("%s%strack?receipt=%s", n->track_base_url, slash ? "" : "/", m->receipt));
        out = json_dumps(params, JSON_COMPACT);
    }
    json_decref(params);
    return out;
}

static sd_code deliver(notifier *n, const store_outbox_msg *m, notifier_counts *c)
{
    gateway_result r = {.outcome = GATEWAY_RETRY, .why = "out of memory"};
    if (m->in_doubt) {
        if (already_accepted(n, m, &r))
            return record_sent(n, m, true, c);
        if (r.outcome != GATEWAY_NOT_FOUND) {
            r.outcome = GATEWAY_UNKNOWN; /* still in doubt: never send blind */
            return record_failure(n, m, &r, c);
        }
    }
    char *params = with_link(n, m);
    gateway_message gm = {m->template_code, m->phone, params ? params : m->params, m->idem_key};
    sd_code sent = gateway_send(n->gw, &gm, &r);
    free(params);
    if (sent != SD_OK)
        return record_failure(n, m, &r, c);
    if (r.outcome == GATEWAY_ACCEPTED)
        return record_sent(n, m, false, c);
    gateway_result check;
    if (r.answered && m->attempts > 1 && already_accepted(n, m, &check))
        return record_sent(n, m, true, c);
    return record_failure(n, m, &r, c);
}

sd_code notifier_run_once(notifier *n, notifier_counts *counts)
{
    store_outbox_msg *m = malloc(sizeof *m);
    if (!m)
        return SD_ERR_NOMEM;
    sd_code rc;
    while ((rc = store_outbox_claim(n->store, clock_now(n), n->lease_s, m)) == SD_OK) {
        rc = deliver(n, m, counts);
        if (rc != SD_OK)
            break;
    }
    free(m);
    return rc == SD_ERR_NOT_FOUND ? SD_OK : rc;
}

sd_code notifier_tick(notifier *n, notifier_counts *counts)
{
    int notices;
    /* The 30-day interim notices are owed without anyone asking: queue them as they fall due,
     * then deliver them with the rest. */
    sd_code rc = lifecycle_sweep(n->store, clock_now(n), &notices);
    if (rc == SD_OK || rc == SD_ERR_BUSY)
        rc = notifier_run_once(n, counts);
    return rc;
}

sd_code notifier_run(notifier *n, int poll_s)
{
    for (;;) {
        notifier_counts counts = {0};
        sd_code rc = notifier_tick(n, &counts);
        /* A busy database, or a shared one that cannot be reached, is waited out (a message
         * claimed when it went away is looked up at the gateway before it is sent again);
         * anything else needs a person. */
        if (rc != SD_OK && rc != SD_ERR_BUSY && rc != SD_ERR_OFFLINE)
            return rc;
        time_t next;
        long wait = poll_s;
        if (store_outbox_next_due(n->store, &next) == SD_OK && next - clock_now(n) < wait)
            wait = next - clock_now(n);
        sleep((unsigned)(wait > 1 ? wait : 1));
    }
}

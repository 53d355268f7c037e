/* cli_outbox.c - the notification outbox from the command line:
 *
 *   seodong notify [--once]             deliver the outbox through the [gateway] settings: once,
 *                                       or for ever, sleeping until the next message is due
 *   seodong outbox list [--state S]     the messages (phone numbers masked)
 *   seodong outbox retry ID | --dead    give dead letters to the sender again
 *
 * Both open the store only (no grammars), so they start at once. The work is in notifier.c and
 * store_outbox.c; this file parses options and prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "notifier.h"
#include "pii.h"
#include "store.h"

static const char notify_usage[] =
    "usage: seodong notify [--once] [--config FILE] [--db FILE]\n"
    "Delivers the notification outbox through the gateway of the settings ([gateway] url,\n"
    "appkey, secret_key, sender_key, timeout_ms, max_attempts, backoff_s). Without --once it\n"
    "runs until stopped, sleeping until the next message is due. One line per attempt on\n"
    "stderr, phone numbers masked. A failed message is tried again after a back-off that\n"
    "doubles each time; after max_attempts it is a dead letter ('seodong outbox list --state\n"
    "dead', then 'seodong outbox retry'). Stopping it at any moment loses nothing.\n"
    "Exit codes: 0 done, 1 no gateway url or a database failure, 2 usage error.\n";

static const char outbox_usage[] =
    "usage: seodong outbox list [--state pending|sending|sent|dead] [--db FILE]\n"
    "       seodong outbox retry ID | --dead [--db FILE]\n"
    "  list          the messages to residents, oldest first, phone numbers masked\n"
    "  retry ID      send dead message ID again (its attempts start afresh)\n"
    "  retry --dead  send every dead message again\n"
    "Exit codes: 0 done, 1 no such dead message or a database failure, 2 usage error.\n";

static time_t fixed_clock(void *ctx)
{
    return ((cli_options *)ctx)->fixed_now;
}

static time_t now_of(const cli_options *o)
{
    return o->fixed_now ? o->fixed_now : time(NULL);
}

/* Parses the common options and this command's own (--once, --state, --dead). */
static int parse(int argc, char **argv, cli_options *o, const char *usage, bool *once,
                 const char **state, bool *all_dead)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"once", no_argument, NULL, 'o'},
        {"state", required_argument, NULL, 's'},
        {"dead", no_argument, NULL, 'x'},
        {NULL, 0, NULL, 0},
    };
    int rc = cli_defaults(o);
    int c;
    optind = 1;
    while (!rc && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'o' && once)
            *once = true;
        else if (c == 's' && state)
            *state = optarg;
        else if (c == 'x' && all_dead)
            *all_dead = true;
        else if ((rc = cli_common_option(c, optarg, o, usage)) < 0) {
            fputs(usage, stderr); /* an option of the other command */
            rc = CLI_EXIT_USAGE;
        }
    }
    return rc ? rc : cli_load_config(o);
}

static store *open_store(const cli_options *o)
{
    char err[512] = "";
    store *s = NULL;
    sd_code rc = store_open(o->db, &s, err, sizeof err);
    if (rc != SD_OK)
        fprintf(stderr, "seodong: %s\n", err[0] ? err : sd_strerror(rc));
    return s;
}

/* ---- notify ---- */

static int report_once(notifier *n, store *s)
{
    notifier_counts done = {0};
    sd_code rc = notifier_run_once(n, &done);
    store_outbox_counts left;
    if (rc == SD_OK)
        rc = store_outbox_count(s, &left);
    if (rc != SD_OK) {
        fprintf(stderr, "seodong: the outbox could not be read or updated: %s (%s)\n",
                store_errmsg(s), sd_strerror(rc));
        return CLI_EXIT_FAILURE;
    }
    printf("sent %d, already accepted %d, to retry %d, dead %d; now pending %d, dead %d\n",
           done.sent, done.confirmed, done.retry, done.dead, left.pending + left.sending,
           left.dead);
    return 0;
}

int cmd_notify(int argc, char **argv)
{
    cli_options o = {0};
    bool once = false;
    int rc = parse(argc, argv, &o, notify_usage, &once, NULL, NULL);
    if (rc)
        return rc;
    if (optind < argc) {
        fputs(notify_usage, stderr);
        return CLI_EXIT_USAGE;
    }
    if (!o.settings.gateway.url[0]) {
        fprintf(stderr, "seodong: no gateway to send through: set url (and appkey, secret_key,"
                        " sender_key) under [gateway] in the settings file given with --config;"
                        " messages wait in the outbox until then\n");
        return CLI_EXIT_FAILURE;
    }
    store *s = open_store(&o);
    if (!s)
        return CLI_EXIT_FAILURE;
    notifier_config cfg = {.store = s,
                           .gateway = &o.settings.gateway,
                           .log = stderr,
                           .track_base_url = o.settings.web.base_url};
    if (o.fixed_now) {
        cfg.now = fixed_clock;
        cfg.now_ctx = &o;
    }
    notifier *n = NULL;
    if (notifier_new(&cfg, &n) != SD_OK) {
        fprintf(stderr, "seodong: %s\n", sd_strerror(SD_ERR_NOMEM));
        store_close(s);
        return CLI_EXIT_FAILURE;
    }
    int status = 0;
    if (once) {
        status = report_once(n, s);
    } else {
        sd_code run = notifier_run(n, 5);
        fprintf(stderr, "seodong: the sender stopped: %s (%s)\n", store_errmsg(s),
                sd_strerror(run));
        status = CLI_EXIT_FAILURE;
    }
    notifier_free(n);
    store_close(s);
    return status;
}

/* ---- outbox ---- */

static void kst_minute(time_t t, char out[32])
{
    time_t kst = t + 9 * 3600;
    struct tm tm;
    gmtime_r(&kst, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

static sd_code print_msg(void *ctx, const store_outbox_msg *m)
{
    int *count = ctx;
    char masked[PII_PHONE_MASKED], next[32], queued[32];
    pii_mask_phone(m->phone, masked);
    kst_minute(m->next_at, next);
    kst_minute(m->created_at, queued);
    printf("#%ld %-7s %s %s to %s queued %s, attempts %d", m->id, m->state, m->idem_key,
           m->template_code, masked, queued, m->attempts);
    if (!strcmp(m->state, "pending"))
        printf(", due %s", next);
    if (m->last_error[0]) { /* the gateway's words may quote the number */
        strbuf why;
        strbuf_init(&why);
        pii_redact(m->last_error, strlen(m->last_error), &why);
        printf(", last error: %s", why.failed ? "" : strbuf_str(&why));
        strbuf_free(&why);
    }
    putchar('\n');
    (*count)++;
    return SD_OK;
}

static int outbox_list(store *s, const char *state)
{
    int count = 0;
    sd_code rc = store_outbox_list(s, state, print_msg, &count);
    if (rc != SD_OK) {
        fprintf(stderr, "seodong: the outbox cannot be read: %s\n", store_errmsg(s));
        return CLI_EXIT_FAILURE;
    }
    printf("%d message%s%s%s\n", count, count == 1 ? "" : "s", state ? " " : "",
           state ? state : "");
    return 0;
}

static int outbox_retry(store *s, long id, time_t now)
{
    int count = 0;
    sd_code rc = store_outbox_retry(s, id, now, &count);
    if (rc == SD_ERR_NOT_FOUND) {
        fprintf(stderr,
                "seodong: message %ld is not a dead letter; see 'seodong outbox list --state "
                "dead'\n",
                id);
        return CLI_EXIT_FAILURE;
    }
    if (rc != SD_OK) {
        fprintf(stderr, "seodong: the outbox cannot be updated: %s\n", store_errmsg(s));
        return CLI_EXIT_FAILURE;
    }
    printf("%d dead message%s queued again; 'seodong notify' sends %s\n", count,
           count == 1 ? "" : "s", count == 1 ? "it" : "them");
    return 0;
}

static bool valid_state(const char *state)
{
    return !state || !strcmp(state, "pending") || !strcmp(state, "sending") ||
           !strcmp(state, "sent") || !strcmp(state, "dead");
}

/* The message id of "retry ID"; 0 when text is not a positive number. */
static long parse_id(const char *text)
{
    char *end;
    long id = text ? strtol(text, &end, 10) : 0;
    return text && *end == '\0' && id > 0 ? id : 0;
}

int cmd_outbox(int argc, char **argv)
{
    cli_options o = {0};
    const char *state = NULL;
    bool all_dead = false;
    int rc = parse(argc, argv, &o, outbox_usage, NULL, &state, &all_dead);
    if (rc)
        return rc;
    const char *verb = optind < argc ? argv[optind] : "";
    const char *arg = optind + 1 < argc ? argv[optind + 1] : NULL;
    int extra = argc - optind - 1 - (arg ? 1 : 0);
    bool list = !strcmp(verb, "list") && !arg && !all_dead && valid_state(state);
    bool retry =
        !strcmp(verb, "retry") && !state && extra == 0 && (all_dead ? !arg : parse_id(arg) > 0);
    if (!list && !retry) {
        fputs(outbox_usage, stderr);
        return CLI_EXIT_USAGE;
    }
    store *s = open_store(&o);
    if (!s)
        return CLI_EXIT_FAILURE;
    int status = list ? outbox_list(s, state) : outbox_retry(s, parse_id(arg), now_of(&o));
    store_close(s);
    return status;
}

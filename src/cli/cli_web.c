/* cli_web.c - `seodong serve`, the office's long-running web process, and `seodong staff apikey`,
 * which issues and revokes the keys Open311 clients file with.
 *
 * serve blocks SIGINT and SIGTERM before the server's threads start, so that they inherit the
 * mask and only the main thread, waiting in sigwait, ever sees the signal: then it stops the
 * server (finishing the requests under way) and its chores, and closes the engine. The chores
 * run on threads of their own (ticker.h): the notification sender when [gateway] url is set,
 * and the weather refresher when [weather] url is; so the office needs one process. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "notifier.h"
#include "strbuf.h"
#include "ticker.h"
#include "weather.h"
#include "credentials.h"
#include "web.h"

static const char *const usage_serve =
    "usage: seodong serve [--listen ADDR:PORT] [--config FILE] [--db FILE] [--data DIR]\n"
    "\n"
    "Serves Open311 GeoReport v2 (/open311/v2/), the tracking page (/track), the KakaoTalk\n"
    "skill (/kakao/skill) and the staff dashboard (/staff) until SIGINT or SIGTERM. --listen\n"
    "wins over [web] listen (default 127.0.0.1:8080); port 0 picks a free port. The address\n"
    "served is printed on stdout. Staff sign in with a password set by 'seodong staff passwd'.\n";

static const struct option serve_options[] = {
    CLI_COMMON_OPTIONS,
    {"listen", required_argument, NULL, 'L'},
    {NULL, 0, NULL, 0},
};

static int parse_serve(int argc, char **argv, cli_options *o, const char **listen)
{
    int rc = cli_defaults(o);
    optind = 1;
    int c;
    while (!rc && (c = getopt_long(argc, argv, "h", serve_options, NULL)) != -1) {
        if (c == 'L') {
            *listen = optarg;
            continue;
        }
        rc = cli_common_option(c, optarg, o, usage_serve);
        if (rc < 0) {
            fputs(usage_serve, stderr);
            rc = CLI_EXIT_USAGE;
        }
    }
    if (!rc && optind < argc) {
        fprintf(stderr, "seodong: serve takes no arguments\n\n%s", usage_serve);
        rc = CLI_EXIT_USAGE;
    }
    return rc;
}

/* The chores of the office's process, each on a ticker: delivering notifications, and keeping
 * the forecast cache warm so that a greeting never waits for the weather service. */
typedef struct {
    engine *e;
    const cli_options *o;
    notifier *n;
    ticker *sending, *weather;
} chores;

static void send_due(void *ctx)
{
    notifier_counts counts = {0};
    sd_code rc = notifier_tick(((chores *)ctx)->n, &counts);
    if (rc != SD_OK && rc != SD_ERR_BUSY)
        fprintf(stderr, "seodong: the notification sender: %s\n", sd_strerror(rc));
}

static void refresh_weather(void *ctx)
{
    chores *c = ctx;
    strbuf unused;
    strbuf_init(&unused);
    weather_remark(engine_store(c->e), &c->o->settings.weather, engine_now(c->e), "ko", &unused);
    strbuf_free(&unused);
}

static void start_chores(chores *c)
{
    const config *s = &c->o->settings;
    notifier_config cfg = {.store = engine_store(c->e),
                           .gateway = &s->gateway,
                           .log = stderr,
                           .track_base_url = s->web.base_url};
    if (!s->gateway.url[0])
        fprintf(stderr, "seodong: no [gateway] url: notifications wait in the outbox\n");
    else if (notifier_new(&cfg, &c->n) != SD_OK ||
             ticker_start(2, send_due, c, &c->sending) != SD_OK)
        fprintf(stderr, "seodong: the notification sender could not start\n");
    /* A forecast issue comes every three hours; ten minutes finds each one soon enough. */
    if (s->weather.url[0] && ticker_start(600, refresh_weather, c, &c->weather) != SD_OK)
        fprintf(stderr, "seodong: the weather refresher could not start\n");
}

static void stop_chores(chores *c)
{
    ticker_stop(c->sending);
    ticker_stop(c->weather);
    notifier_free(c->n);
}

static int serve_until_signal(engine *e, const cli_options *o, const char *listen)
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN); /* a client that hangs up must not end the office's server */
    char err[256] = "";
    web_server *w = NULL;
    sd_code rc = web_start(e, &o->settings, listen, &w, err, sizeof err);
    if (rc != SD_OK) {
        fprintf(stderr, "seodong: %s\n", err[0] ? err : sd_strerror(rc));
        return rc == SD_ERR_INVALID ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
    }
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)(strrchr(listen, ':') - listen), listen);
    printf("serving http://%s:%u/\n", host, web_port(w));
    fflush(stdout);
    chores c = {.e = e, .o = o};
    start_chores(&c);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "seodong: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    web_stop(w);
    stop_chores(&c);
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    cli_options o = {.db = NULL};
    const char *listen = NULL;
    int rc = parse_serve(argc, argv, &o, &listen);
    if (rc)
        return rc;
    engine *e = cli_open_engine(&o);
    if (!e)
        return CLI_EXIT_FAILURE;
    if (!o.settings.web.recordings[0]) /* where `seodong speaker` puts them by default */
        snprintf(o.settings.web.recordings, sizeof o.settings.web.recordings, "%s.recordings",
                 o.db);
    rc = serve_until_signal(e, &o, listen ? listen : o.settings.web.listen);
    engine_close(e);
    return rc;
}

/* ---- staff apikey ---- */

int cmd_staff_apikey(engine *e, const char *verb, const char *name)
{
    store *db = engine_store(e);
    sd_code rc;
    if (strcmp(verb, "issue") == 0) {
        char key[CREDENTIALS_KEY_LEN + 1];
        unsigned char hash[STORE_KEY_HASH];
        rc = credentials_apikey_new(key, hash);
        if (rc == SD_OK)
            rc = store_apikey_put(db, name, hash, engine_now(e));
        if (rc == SD_OK) {
            /* Shown once: only the hash is kept, so a lost key is revoked and issued anew. */
            printf("%s\n", key);
            fprintf(stderr, "seodong: API key of %s issued; it is shown only now\n", name);
            return 0;
        }
    } else if (strcmp(verb, "revoke") == 0) {
        rc = store_apikey_revoke(db, name, engine_now(e));
        if (rc == SD_OK) {
            printf("API key of %s revoked\n", name);
            return 0;
        }
    } else {
        fprintf(stderr, "seodong: staff apikey issue|revoke NAME\n");
        return CLI_EXIT_USAGE;
    }
    fprintf(stderr, "seodong: apikey %s %s: %s\n", verb, name,
            rc == SD_ERR_NOT_FOUND ? "no active key of that name" : sd_strerror(rc));
    return CLI_EXIT_FAILURE;
}

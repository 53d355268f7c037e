/* cli.c - the options, environment and engine set-up every seodong command shares. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "store.h"
#include "weather.h"

static time_t fixed_clock(void *ctx)
{
    return ((cli_options *)ctx)->fixed_now;
}

/* SEODONG_NOW as Korean local time "YYYY-MM-DDTHH:MM". */
static int parse_now(const char *text, time_t *out)
{
    struct tm tm = {0};
    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min) != 5)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = timegm(&tm) - KST_OFFSET;
    return 0;
}

int cli_defaults(cli_options *o)
{
    const char *env_db = getenv("SEODONG_DB");
    o->db = env_db && *env_db ? env_db : NULL;
    const char *env_config = getenv("SEODONG_CONFIG");
    o->config_path = env_config && *env_config ? env_config : NULL;
    const char *env_now = getenv("SEODONG_NOW");
    if (env_now && parse_now(env_now, &o->fixed_now) != 0) {
        fprintf(stderr, "seodong: SEODONG_NOW must look like 2026-11-25T09:30\n");
        return CLI_EXIT_USAGE;
    }
    return 0;
}

int cli_common_option(int c, const char *arg, cli_options *o, const char *usage)
{
    switch (c) {
    case 'd':
        o->db = arg;
        return 0;
    case 'D':
        o->data = arg;
        return 0;
    case 'c':
        o->config_path = arg;
        return 0;
    case 'l':
        if (strcmp(arg, "ko") != 0 && strcmp(arg, "en") != 0 && strcmp(arg, "auto") != 0) {
            fprintf(stderr, "seodong: --lang takes ko, en or auto, not '%s'\n", arg);
            return CLI_EXIT_USAGE;
        }
        /* auto: text is detected line by line anyway; voice loads both grammars. */
        o->lang = strcmp(arg, "auto") == 0 && !o->voice ? NULL : arg;
        return 0;
    case 'h':
        fputs(usage, stdout);
        exit(0);
    case '?':
        fputs(usage, stderr);
        return CLI_EXIT_USAGE;
    default:
        return -1;
    }
}

int cli_parse_int(const char *arg, const char *name, int lo, int hi, int *out)
{
    char *end = NULL;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < lo || v > hi) {
        fprintf(stderr, "seodong: %s takes a number from %d to %d, not '%s'\n", name, lo, hi, arg);
        return CLI_EXIT_USAGE;
    }
    *out = (int)v;
    return 0;
}

int cli_load_config(cli_options *o)
{
    char err[512];
    sd_code rc = config_load(o->config_path, &o->settings, err, sizeof err);
    if (rc != SD_OK) {
        fprintf(stderr, "seodong: %s\n", err);
        return CLI_EXIT_FAILURE;
    }
    if (!o->db)
        o->db = o->settings.db_path[0] ? o->settings.db_path : "seodong.db";
    return 0;
}

engine *cli_open_engine(cli_options *o)
{
    if (cli_load_config(o) != 0)
        return NULL;
    engine_config cfg = {.data_dir = o->data,
                         .db_path = o->db,
                         .db_local = o->settings.db_local,
                         .settings = &o->settings,
                         .model_path = getenv("SEODONG_MODEL"),
                         .weather = weather_source()};
    if (o->fixed_now) {
        cfg.now = fixed_clock;
        cfg.now_ctx = o;
    }
    char err[512] = "";
    engine *e = NULL;
    sd_code rc = engine_open(&cfg, &e, err, sizeof err);
    if (rc != SD_OK)
        fprintf(stderr, "seodong: %s (%s)\n", err[0] ? err : sd_strerror(rc), sd_strerror(rc));
    else if (store_is_shared_url(o->db) && !store_online(engine_store(e)))
        fprintf(stderr, "seodong: the shared database cannot be reached; filings are kept on this "
                        "device and forwarded when it answers\n");
    return e;
}

static const struct option common_options[] = {
    CLI_COMMON_OPTIONS,
    {NULL, 0, NULL, 0},
};

int cli_parse_common(int argc, char **argv, cli_options *o, const char *usage)
{
    int rc = cli_defaults(o);
    if (rc)
        return rc;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", common_options, NULL)) != -1) {
        rc = cli_common_option(c, optarg, o, usage);
        if (rc < 0) {
            fputs(usage, stderr);
            return CLI_EXIT_USAGE;
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* cli_ivr.c - `seodong ivr`: the phone line. Parses the options, which win over the settings
 * file's [ivr] section, opens the engine and the one speech synthesiser of the process, and
 * serves calls (ivr.c) until interrupted; prints the call and pacing figures at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ivr.h"
#include "tts.h"

static const char ivr_usage[] =
    "usage: seodong ivr [--listen IP:PORT] [--transfer EXT|URI] [--max-calls N]\n"
    "                   [--asr-calls N] [--recordings DIR] [--rtp-timeout S] [--no-input S]\n"
    "                   [--lang ko|en] [--db FILE]\n"
    "Answers phone calls over SIP (from the office's PBX or SIP trunk): a spoken greeting and\n"
    "menu, keys 1 complaint, 2 status by receipt number (# ends), 0 a person, * repeat; or the\n"
    "caller simply speaks.\n"
    "  --listen IP:PORT   SIP over UDP (default: [ivr] listen, else 0.0.0.0:5060); port 0\n"
    "                     takes a free port, the one logged as \"listening on\"\n"
    "  --transfer T       extension or sip: URI callers who want a person are sent to\n"
    "  --max-calls N      calls at once; more get 486 Busy Here (default 8)\n"
    "  --asr-calls N      calls that hear speech at once, about 35 MB each; the others are\n"
    "                     served by keypad (default 4 per core, at most --max-calls;\n"
    "                     0 = keypad only)\n"
    "  --recordings DIR   where recordings of filed complaints go (default: DB.recordings)\n"
    "  --rtp-timeout S    end a call after S seconds without audio from it (default 20)\n"
    "  --no-input S       reprompt after S seconds without a key (default 5)\n"
    "Settings: the [ivr] section of the settings file (seodong.conf.example).\n";

/* Recognisers per core when --asr-calls is not given: a caller talking without a pause costs at
 * most a quarter of a core (scripts/bench_ivr.sh), so every call that hears speech stays in real
 * time even when all of them talk at once. */
#define ASR_CALLS_PER_CORE 4

static int default_asr_calls(int max_calls)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long calls = ASR_CALLS_PER_CORE * (cores > 0 ? cores : 1);
    return (int)(calls < max_calls ? calls : max_calls);
}

typedef struct {
    const char *listen, *transfer, *recordings;
    int max_calls, rtp_timeout_s, no_input_s; /* 0 = from the settings */
    int asr_calls;                            /* -1 = the default */
} ivr_options;

static int parse_ivr(int argc, char **argv, cli_options *common, ivr_options *o)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"listen", required_argument, NULL, 'L'},
        {"transfer", required_argument, NULL, 'T'},
        {"max-calls", required_argument, NULL, 'M'},
        {"asr-calls", required_argument, NULL, 'A'},
        {"recordings", required_argument, NULL, 'D'},
        {"rtp-timeout", required_argument, NULL, 'R'},
        {"no-input", required_argument, NULL, 'N'},
        {NULL, 0, NULL, 0},
    };
    int rc = cli_defaults(common);
    int c;
    optind = 1;
    while (rc == 0 && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        rc = cli_common_option(c, optarg, common, ivr_usage);
        if (rc >= 0)
            continue;
        rc = c == 'L'   ? (o->listen = optarg, 0)
             : c == 'T' ? (o->transfer = optarg, 0)
             : c == 'D' ? (o->recordings = optarg, 0)
             : c == 'M' ? cli_parse_int(optarg, "--max-calls", 1, 1000, &o->max_calls)
             : c == 'A' ? cli_parse_int(optarg, "--asr-calls", 0, 64, &o->asr_calls)
             : c == 'R' ? cli_parse_int(optarg, "--rtp-timeout", 2, 3600, &o->rtp_timeout_s)
                        : cli_parse_int(optarg, "--no-input", 2, 60, &o->no_input_s);
    }
    if (rc == 0 && optind != argc) {
        fputs(ivr_usage, stderr);
        rc = CLI_EXIT_USAGE;
    }
    return rc;
}

static void print_stats(const ivr *v)
{
    ivr_stats st;
    ivr_get_stats(v, &st);
    fprintf(stderr,
            "ivr: %lu calls answered, %lu refused busy, %lu refused for codec; %lu RTP packets"
            " sent, %lu late (> 20 ms), latest %.0f ms, %lu held back (call on hold); %lu packets"
            " from strangers, %lu bad\n",
            st.calls, st.busy, st.no_codec, st.frames, st.late_frames, st.max_late_ms,
            st.held_frames, st.strangers, st.bad_packets);
}

static sd_code serve(engine *e, const ivr_config *cfg, char *err, size_t errlen)
{
    tts *t = NULL;
    sd_code rc = tts_open(NULL, &t, err, errlen);
    ivr *v = NULL;
    if (rc == SD_OK)
        rc = ivr_open(e, t, cfg, &v, err, errlen);
    if (rc == SD_OK) {
        rc = ivr_run(v);
        print_stats(v);
    }
    ivr_close(v);
    tts_close(t);
    return rc;
}

int cmd_ivr(int argc, char **argv)
{
    cli_options common = {0};
    ivr_options o = {.asr_calls = -1};
    int status = parse_ivr(argc, argv, &common, &o);
    if (status)
        return status;
    engine *e = cli_open_engine(&common);
    if (!e)
        return CLI_EXIT_FAILURE;
    const config_ivr *s = &engine_settings(e)->ivr;
    char recordings[1024];
    snprintf(recordings, sizeof recordings, "%s.recordings", common.db);
    int max_calls = o.max_calls ? o.max_calls : s->max_calls;
    ivr_config cfg = {
        .listen = o.listen ? o.listen : s->listen,
        .transfer = o.transfer ? o.transfer : s->transfer,
        .lang = common.lang ? common.lang : engine_settings(e)->lang,
        .max_calls = max_calls,
        .asr_calls = o.asr_calls >= 0 ? o.asr_calls : default_asr_calls(max_calls),
        .recordings = o.recordings ? o.recordings : recordings,
        .rtp_timeout_s = o.rtp_timeout_s ? o.rtp_timeout_s : s->rtp_timeout_s,
        .no_input_s = o.no_input_s ? o.no_input_s : s->no_input_s,
    };
    char err[512] = "";
    sd_code rc = serve(e, &cfg, err, sizeof err);
    if (rc != SD_OK)
        fprintf(stderr, "seodong: %s\n", err[0] ? err : sd_strerror(rc));
    engine_close(e);
    return rc == SD_OK ? 0 : CLI_EXIT_FAILURE;
}

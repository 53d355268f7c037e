/* cli_voice.c - the voice commands of the seodong command line:
 *
 *   seodong devices                       list audio devices
 *   seodong say TEXT [-o FILE.wav]        speak TEXT (or write it to a WAV file)
 *
 * Each command only parses its options and calls the speech modules; the work is in audio.c,
 * audiofile.c and tts.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "cli.h"
#include "strbuf.h"
#include "tts.h"

#define SPEAKER_RATE 16000

/* ---- devices ---- */

int cmd_devices(int argc, char **argv)
{
    static const char usage[] = "usage: seodong devices\n"
                                "Lists the audio devices PortAudio sees; give a number to\n"
                                "--device of seodong say or seodong speaker.\n";
    if (argc > 1) {
        fputs(usage,
              strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ? stdout : stderr);
        return strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ? 0 : CLI_EXIT_USAGE;
    }
    strbuf out;
    strbuf_init(&out);
    char err[256] = "";
    sd_code rc = audio_list_devices(&out, err, sizeof err);
    if (rc == SD_OK)
        fputs(strbuf_str(&out), stdout);
    else
        fprintf(stderr, "seodong: %s\n", err);
    strbuf_free(&out);
    return rc == SD_OK ? 0 : CLI_EXIT_FAILURE;
}

/* ---- say ---- */

typedef struct {
    cli_options common;
    const char *out_path;
    int device;
    int sample_rate;
    tts_config voice;
} say_options;

static int parse_int(const char *arg, const char *name, int lo, int hi, int *out)
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

static const char say_usage[] =
    "usage: seodong say TEXT [-o FILE.wav] [--lang ko|en] [--rate WPM] [--pitch P]\n"
    "                   [--device N] [--sample-rate HZ]\n"
    "Speaks TEXT with eSpeak NG (Korean or English voice, by --lang or by the text),\n"
    "on the audio device, or into FILE.wav with -o.\n"
    "  -o, --out FILE       write a 16-bit mono WAV instead of playing\n"
    "  --rate WPM           speaking rate, 80-450 words per minute (default 175)\n"
    "  --pitch P            0-100 (default 50)\n"
    "  --device N           output device (see seodong devices; default: the default device)\n"
    "  --sample-rate HZ     8000-48000 (default 16000)\n";

static int parse_say(int argc, char **argv, say_options *o)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"out", required_argument, NULL, 'o'},
        {"rate", required_argument, NULL, 'r'},
        {"pitch", required_argument, NULL, 'p'},
        {"device", required_argument, NULL, 'v'},
        {"sample-rate", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    int rc = cli_defaults(&o->common);
    o->device = -1;
    o->sample_rate = SPEAKER_RATE;
    o->voice = tts_config_default();
    int c;
    optind = 1;
    while (rc == 0 && (c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        rc = cli_common_option(c, optarg, &o->common, say_usage);
        if (rc >= 0)
            continue;
        rc = c == 'o'   ? (o->out_path = optarg, 0)
             : c == 'r' ? parse_int(optarg, "--rate", 80, 450, &o->voice.words_per_minute)
             : c == 'p' ? parse_int(optarg, "--pitch", 0, 100, &o->voice.pitch)
             : c == 'v' ? parse_int(optarg, "--device", 0, 1000, &o->device)
                        : parse_int(optarg, "--sample-rate", 8000, 48000, &o->sample_rate);
    }
    if (rc == 0 && optind >= argc) {
        fputs(say_usage, stderr);
        rc = CLI_EXIT_USAGE;
    }
    return rc;
}

/* The words after the options, joined by spaces. */
static char *joined_args(int argc, char **argv, int from)
{
    strbuf text;
    strbuf_init(&text);
    for (int i = from; i < argc; i++) {
        if (i > from)
            strbuf_puts(&text, " ");
        strbuf_puts(&text, argv[i]);
    }
    return strbuf_detach(&text);
}

static int play_chunk(void *ctx, const int16_t *samples, size_t n)
{
    return audio_player_write(ctx, samples, n) != SD_OK;
}

static sd_code speak_to_device(tts *t, const char *text, const char *lang, const say_options *o,
                               char *err, size_t errlen)
{
    audio_config cfg = {.device = o->device, .rate = o->sample_rate};
    audio_player *player = NULL;
    sd_code rc = audio_player_open(&cfg, &player, err, errlen);
    if (rc != SD_OK)
        return rc;
    bool cut = false;
    rc = tts_speak(t, text, lang, o->sample_rate, play_chunk, player, &cut);
    if (rc == SD_OK && cut) {
        snprintf(err, errlen, "the audio device stopped taking sound");
        rc = SD_ERR_IO;
    }
    audio_player_close(player);
    return rc;
}

int cmd_say(int argc, char **argv)
{
    say_options o = {0};
    int status = parse_say(argc, argv, &o);
    if (status)
        return status;
    char *text = joined_args(argc, argv, optind);
    const char *lang = o.common.lang
                           ? o.common.lang
                           : engine_detect_lang(text ? text : "", text ? strlen(text) : 0, "ko");
    char err[512] = "";
    tts *t = NULL;
    sd_code rc = text ? tts_open(&o.voice, &t, err, sizeof err) : SD_ERR_NOMEM;
    if (rc == SD_OK)
        rc = o.out_path
                 ? tts_speak_to_wav(t, text, lang, o.sample_rate, o.out_path, err, sizeof err)
                 : speak_to_device(t, text, lang, &o, err, sizeof err);
    if (rc != SD_OK)
        fprintf(stderr, "seodong: %s\n", err[0] ? err : sd_strerror(rc));
    tts_close(t);
    free(text);
    return rc == SD_OK ? 0 : CLI_EXIT_FAILURE;
}

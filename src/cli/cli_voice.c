/* cli_voice.c - the voice commands of the seodong command line:
 *
 *   seodong devices                       list audio devices
 *   seodong say TEXT [-o FILE.wav]        speak TEXT (or write it to a WAV file)
 *   seodong transcribe FILE [--json]      recognise a recording, utterance by utterance
 *   seodong converse --in A --out B       one turn from audio to audio, without devices
 *   seodong speaker                       the always-on smart speaker
 *
 * Each command only parses its options and calls the speech modules; the work is in audio.c,
 * audiofile.c, tts.c, recognizer.c, voice.c and speaker.c. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "audiofile.h"
#include "cli.h"
#include "session.h"
#include "recognizer.h"
#include "speaker.h"
#include "strbuf.h"
#include "tts.h"
#include "voice.h"

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
             : c == 'r' ? cli_parse_int(optarg, "--rate", 80, 450, &o->voice.words_per_minute)
             : c == 'p' ? cli_parse_int(optarg, "--pitch", 0, 100, &o->voice.pitch)
             : c == 'v' ? cli_parse_int(optarg, "--device", 0, 1000, &o->device)
                        : cli_parse_int(optarg, "--sample-rate", 8000, 48000, &o->sample_rate);
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

/* ---- transcribe ---- */

static const char transcribe_usage[] =
    "usage: seodong transcribe FILE [--json] [--free] [--raw-rate HZ] [--lang en|ko|auto] [--db "
    "FILE]\n"
    "Recognises a recording (WAV, FLAC, ... any rate, mono or stereo; .raw needs --raw-rate),\n"
    "utterance by utterance, and prints what was heard with the intent understood from it.\n"
    "  --json          one JSON object per utterance: text, confidence, intent, start, end,\n"
    "                  heard_freely (the second opinion behind the confidence: Seodong's words\n"
    "                  in any order)\n"
    "  --free          the general English language model instead of Seodong's sentences (a\n"
    "                  caller's free speech is heard with the domain's own model, which knows\n"
    "                  what residents say, not every English word)\n"
    "  --raw-rate HZ   sample rate of a headerless 16-bit mono .raw file\n"
    "  --lang auto     Korean and English sentences at once; the words heard tell the language\n";

typedef struct {
    cli_options common;
    bool json, free_speech;
    int raw_rate;
    const char *path;
} transcribe_options;

static int parse_transcribe(int argc, char **argv, transcribe_options *o)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"json", no_argument, NULL, 'j'},
        {"free", no_argument, NULL, 'f'},
        {"raw-rate", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    o->common.voice = true;
    int rc = cli_defaults(&o->common), c;
    optind = 1;
    while (rc == 0 && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        rc = cli_common_option(c, optarg, &o->common, transcribe_usage);
        if (rc >= 0)
            continue;
        rc = c == 'j'   ? (o->json = true, 0)
             : c == 'f' ? (o->free_speech = true, 0)
                        : cli_parse_int(optarg, "--raw-rate", 1000, 384000, &o->raw_rate);
    }
    if (rc == 0 && optind != argc - 1) {
        fputs(transcribe_usage, stderr);
        rc = CLI_EXIT_USAGE;
    }
    if (rc == 0)
        o->path = argv[optind];
    if (!o->common.lang)
        o->common.lang = "en"; /* the language recognised and understood */
    return rc;
}

static sd_code open_recording(const transcribe_options *o, audiofile **f, char *err, size_t errlen)
{
    const char *dot = strrchr(o->path, '.');
    bool raw = dot && (strcmp(dot, ".raw") == 0 || strcmp(dot, ".pcm") == 0);
    if (raw && !o->raw_rate) {
        snprintf(err, errlen, "%s is headerless audio: give its sample rate with --raw-rate",
                 o->path);
        return SD_ERR_INVALID;
    }
    return raw ? audiofile_open_raw(o->path, o->raw_rate, 16000, f, err, errlen)
               : audiofile_open(o->path, 16000, f, err, errlen);
}

static void print_heard(engine *e, const transcribe_options *o, const asr_result *res,
                        double start_s)
{
    understanding u;
    const char *lang = voice_heard_lang(o->common.lang ? o->common.lang : "en", res->text, "en");
    bool understood =
        res->text[0] && engine_understand(e, res->text, strlen(res->text), lang, lang, &u) == SD_OK;
    if (!o->json) {
        printf("%s\t%.2f\t%s\n", res->text, res->confidence, understood ? u.intent : "-");
        return;
    }
    json_t *obj = json_pack("{s:s, s:f, s:s, s:f, s:f, s:s}", "text", res->text, "confidence",
                            res->confidence, "intent", understood ? u.intent : "", "start", start_s,
                            "end", start_s + res->seconds, "heard_freely", res->lm_text);
    char *line = obj ? json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(4)) : NULL;
    puts(line ? line : "{\"error\":\"out of memory\"}");
    free(line);
    json_decref(obj);
}

/* Streams the recording through the recogniser; prints each utterance as it ends. */
static sd_code transcribe_stream(engine *e, asr *a, audiofile *f, const transcribe_options *o,
                                 char *err, size_t errlen)
{
    int16_t buf[1600];
    size_t got = 0, fed = 0;
    double start_s = 0;
    sd_code rc = asr_set_mode(a, o->free_speech ? ASR_FREE : ASR_COMMAND);
    if (rc == SD_OK)
        rc = asr_begin(a);
    while (rc == SD_OK && (rc = audiofile_read(f, buf, 1600, &got, err, errlen)) == SD_OK) {
        bool last = got == 0;
        size_t at = 0;
        while (rc == SD_OK && at < got) {
            asr_event ev;
            rc = asr_feed(a, buf + at, got - at, &ev);
            at += ev.used;
            if (rc == SD_OK && ev.speech_ended) {
                asr_result res;
                rc = asr_finish(a, &res);
                if (rc == SD_OK && res.text[0])
                    print_heard(e, o, &res, start_s);
                start_s = (double)(fed + at) / 16000;
                if (rc == SD_OK)
                    rc = asr_begin(a);
            }
        }
        fed += got;
        if (last)
            break;
    }
    if (rc == SD_OK) {
        asr_result res;
        rc = asr_finish(a, &res);
        if (rc == SD_OK && res.text[0])
            print_heard(e, o, &res, start_s);
    }
    fflush(stdout);
    return rc;
}

int cmd_transcribe(int argc, char **argv)
{
    transcribe_options o = {0};
    int status = parse_transcribe(argc, argv, &o);
    if (status)
        return status;
    char err[512] = "";
    audiofile *f = NULL;
    sd_code rc = open_recording(&o, &f, err, sizeof err);
    engine *e = rc == SD_OK ? cli_open_engine(&o.common) : NULL;
    recognizer *rec = NULL;
    if (rc == SD_OK && !e)
        rc = SD_ERR_IO; /* cli_open_engine said why */
    else if (rc == SD_OK)
        rc = recognizer_open(e, o.common.lang,
                             &(asr_config){.lm = o.free_speech ? ASR_GENERIC_LM : NULL}, &rec, err,
                             sizeof err);
    if (rc == SD_OK)
        rc = transcribe_stream(e, recognizer_asr(rec), f, &o, err, sizeof err);
    if (rc != SD_OK && err[0])
        fprintf(stderr, "seodong: %s\n", err);
    recognizer_close(rec);
    engine_close(e);
    audiofile_close(f);
    return rc == SD_OK ? 0 : CLI_EXIT_FAILURE;
}

/* ---- converse ---- */

static const char converse_usage[] =
    "usage: seodong converse --in IN.wav --out OUT.wav [--lang en|ko|auto] [--db FILE]\n"
    "One full turn without audio devices: recognises IN.wav, answers as the speaker would,\n"
    "and writes the spoken answer to OUT.wav. Prints what was heard and the answer.\n";

int cmd_converse(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"in", required_argument, NULL, 'i'},
        {"out", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    cli_options o = {0};
    const char *in = NULL, *out = NULL;
    o.voice = true;
    int status = cli_defaults(&o), c;
    optind = 1;
    while (status == 0 && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        status = cli_common_option(c, optarg, &o, converse_usage);
        if (status < 0)
            status = (c == 'i' ? (in = optarg) : (out = optarg), 0);
    }
    if (status == 0 && (!in || !out || optind != argc)) {
        fputs(converse_usage, stderr);
        status = CLI_EXIT_USAGE;
    }
    if (status)
        return status;
    char err[512] = "";
    int16_t *pcm = NULL;
    size_t n = 0;
    sd_code rc = audiofile_read_all(in, 16000, &pcm, &n, 60, err, sizeof err);
    engine *e = rc == SD_OK ? cli_open_engine(&o) : NULL;
    const char *lang = o.lang ? o.lang : "en";
    recognizer *rec = NULL;
    tts *t = NULL;
    if (rc == SD_OK && !e)
        rc = SD_ERR_IO;
    else if (rc == SD_OK)
        rc = recognizer_open(e, lang, NULL, &rec, err, sizeof err);
    asr_result res;
    if (rc == SD_OK)
        rc = asr_transcribe_pcm(recognizer_asr(rec), pcm, n, ASR_COMMAND, &res);
    session *s = rc == SD_OK ? session_new(e, "speaker", voice_session_lang(lang)) : NULL;
    strbuf reply, speech;
    strbuf_init(&reply);
    strbuf_init(&speech);
    if (s) {
        sd_code turn_rc;
        voice_turn(s, res.text, res.confidence, res.seconds,
                   voice_heard_lang(lang, res.text, session_lang(s)), &reply, &turn_rc);
        lang = session_lang(s);
        voice_speech_text(strbuf_str(&reply), lang, &speech);
        printf("heard: %s (%.2f)\nanswer: %s\n", res.text, res.confidence, strbuf_str(&reply));
        rc = tts_open(NULL, &t, err, sizeof err);
    }
    if (rc == SD_OK && t)
        rc = tts_speak_to_wav(t, strbuf_str(&speech), lang, 16000, out, err, sizeof err);
    if (rc != SD_OK && err[0])
        fprintf(stderr, "seodong: %s\n", err);
    tts_close(t);
    strbuf_free(&reply);
    strbuf_free(&speech);
    session_free(s);
    recognizer_close(rec);
    engine_close(e);
    free(pcm);
    return rc == SD_OK ? 0 : CLI_EXIT_FAILURE;
}

/* ---- speaker ---- */

static const char speaker_usage[] =
    "usage: seodong speaker [--device N] [--output-device N] [--lang en|ko|auto] [--wake PHRASE]\n"
    "                       [--wake-threshold T] [--recordings DIR] [--rate WPM] [--pitch P]\n"
    "                       [--max-turns N] [--idle-exit SECONDS] [--no-barge-in] [--verbose]\n"
    "The always-on speaker: waits for the wake word (\"hey seodong\"), listens, answers aloud.\n"
    "Status lines (waiting / listening / heard / speaking) go to stderr; Ctrl-C stops it.\n"
    "  --device N          microphone (and, unless --output-device, loudspeaker) device\n"
    "  --recordings DIR    where recordings of filed complaints go (default: DB.recordings)\n"
    "  --lang auto         both grammars and wake words (\"hey seodong\", \"서동아\"); each\n"
    "                      answer in the language the resident spoke\n"
    "  --wake PHRASE       the wake phrase, or several as \"a|b\"; \"phrase/T\" gives one its own\n"
    "                      spotting threshold (lower wakes more easily)\n"
    "  --wake-threshold T  threshold of every phrase without its own (default 1e-20; \"서동아\"\n"
    "                      has 1e-30 unless this is given)\n"
    "  --max-turns N       stop after N answers (for tests and demos)\n"
    "  --idle-exit S       stop after S seconds of audio without the wake word\n"
    "  --no-barge-in       finish each answer even when the resident speaks over it\n"
    "  --verbose           timings of each stage, and PocketSphinx's own log\n";

/* Set from the SIGINT handler: a signal handler can only reach state through a global. */
static atomic_bool stop_requested;

static void on_interrupt(int sig)
{
    (void)sig;
    atomic_store(&stop_requested, true);
}

static int parse_speaker(int argc, char **argv, cli_options *common, speaker_config *cfg)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"device", required_argument, NULL, 'v'},
        {"output-device", required_argument, NULL, 'O'},
        {"wake", required_argument, NULL, 'w'},
        {"wake-threshold", required_argument, NULL, 'W'},
        {"recordings", required_argument, NULL, 'R'},
        {"rate", required_argument, NULL, 'r'},
        {"pitch", required_argument, NULL, 'p'},
        {"max-turns", required_argument, NULL, 'm'},
        {"idle-exit", required_argument, NULL, 'x'},
        {"no-barge-in", no_argument, NULL, 'b'},
        {"verbose", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    common->voice = true;
    int rc = cli_defaults(common), c, idle = 0, out_dev = -2;
    optind = 1;
    while (rc == 0 && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        rc = cli_common_option(c, optarg, common, speaker_usage);
        if (rc >= 0)
            continue;
        rc = c == 'v'   ? cli_parse_int(optarg, "--device", 0, 1000, &cfg->input_device)
             : c == 'O' ? cli_parse_int(optarg, "--output-device", 0, 1000, &out_dev)
             : c == 'w' ? (cfg->wake_phrase = optarg, 0)
             : c == 'W' ? ((cfg->wake_threshold = strtod(optarg, NULL)) > 0 ? 0 : CLI_EXIT_USAGE)
             : c == 'R' ? (cfg->recordings = optarg, 0)
             : c == 'r' ? cli_parse_int(optarg, "--rate", 80, 450, &cfg->voice.words_per_minute)
             : c == 'p' ? cli_parse_int(optarg, "--pitch", 0, 100, &cfg->voice.pitch)
             : c == 'm' ? cli_parse_int(optarg, "--max-turns", 1, 1000000, &cfg->max_turns)
             : c == 'x' ? cli_parse_int(optarg, "--idle-exit", 1, 86400, &idle)
             : c == 'b' ? (cfg->no_barge_in = true, 0)
                        : (cfg->verbose = true, 0);
        if (rc == CLI_EXIT_USAGE && c == 'W')
            fprintf(stderr, "seodong: --wake-threshold takes a positive number such as 1e-20\n");
    }
    if (rc == 0 && optind != argc) {
        fputs(speaker_usage, stderr);
        rc = CLI_EXIT_USAGE;
    }
    cfg->output_device = out_dev == -2 ? cfg->input_device : out_dev;
    cfg->idle_exit_ms = idle * 1000;
    return rc;
}

static void print_speaker_stats(const speaker *sp)
{
    speaker_stats st;
    speaker_stats_get(sp, &st);
    fprintf(stderr,
            "speaker: %d wakes, %d answers (%d asked again), %d barge-ins, %d recordings;"
            " %.1f s heard, recognition %.3f x real time; end of speech to first answer sample"
            " %.0f ms mean, %.0f ms max; %llu samples dropped\n",
            st.wakes, st.turns, st.asked_again, st.barge_ins, st.recordings, st.audio_s,
            st.audio_s > 0 ? st.recognise_s / st.audio_s : 0.0,
            st.latency_count ? st.latency_ms_sum / st.latency_count : 0.0, st.latency_ms_max,
            st.overflows);
}

int cmd_speaker(int argc, char **argv)
{
    cli_options common = {0};
    speaker_config cfg = {.input_device = -1, .voice = tts_config_default(), .status = stderr};
    int status = parse_speaker(argc, argv, &common, &cfg);
    if (status)
        return status;
    cfg.lang = common.lang ? common.lang : "en";
    engine *e = cli_open_engine(&common);
    if (!e)
        return CLI_EXIT_FAILURE;
    char recordings[1024];
    if (!cfg.recordings) {
        snprintf(recordings, sizeof recordings, "%s.recordings", common.db);
        cfg.recordings = recordings;
    }
    char err[512] = "";
    speaker *sp = NULL;
    sd_code rc = speaker_open(e, &cfg, &sp, err, sizeof err);
    if (rc == SD_OK) {
        signal(SIGINT, on_interrupt);
        signal(SIGTERM, on_interrupt);
        rc = speaker_run(sp, &stop_requested, err, sizeof err);
        print_speaker_stats(sp);
    }
    if (rc != SD_OK)
        fprintf(stderr, "seodong: %s\n", err[0] ? err : sd_strerror(rc));
    speaker_close(sp);
    engine_close(e);
    return rc == SD_OK ? 0 : CLI_EXIT_FAILURE;
}

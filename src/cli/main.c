/* main.c - the seodong command line: one subcommand per front end or tool.
 *
 *   seodong chat        talk in text (interactive, or one reply block per line from a pipe)
 *   seodong understand  one JSON object per input line: the understanding contract
 *   seodong kb          import, export, search and count the knowledge base
 *   seodong devices, say, ...   the voice commands (cli_voice.c)
 *   seodong g2p         Korean words as pronounced and as en-us phones (cli_g2p.c)
 *   seodong notify, outbox   deliver notifications, list and retry them (cli_outbox.c)
 *   seodong serve       Open311, the tracking page and the Kakao skill on HTTP (cli_web.c)
 *   seodong train       train the understanding model (cli_train.c)
 *
 * Exit codes: 0 success; 1 a runtime failure (database, data files); 2 a usage error. */
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dialogue.h"
#include "engine.h"
#include "cli.h"
#include "kb_import.h"

static const char *const usage_main =
    "usage: seodong COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  chat        talk to Seodong in Korean or English (stdin/stdout)\n"
    "  understand  print one JSON understanding per input line\n"
    "  kb          knowledge base: import FILE | export FILE.csv | search TEXT | stats\n"
    "  devices     list the audio devices\n"
    "  say         speak a text, or write it to a WAV file\n"
    "  transcribe  recognise a recording and print what was heard\n"
    "  converse    one spoken turn from a WAV file to a WAV file\n"
    "  speaker     the always-on smart speaker (wake word, listen, answer)\n"
    "  ivr         the phone line: answer SIP calls (menu, keypad, dialogue)\n"
    "  g2p         show how Korean words are pronounced (Hangul and en-us phones)\n"
    "  staff       the office side: list, assign, answer, approve, extend complaints\n"
    "  notify      deliver the notification outbox through the gateway ([gateway] settings)\n"
    "  outbox      notifications: list [--state S] | retry ID | retry --dead\n"
    "  serve       the web front: Open311, the tracking page, the KakaoTalk skill\n"
    "  train       train the understanding model (intent, category, department)\n"
    "\n"
    "Common options:\n"
    "  --db FILE     the database (default: $SEODONG_DB, the settings, or ./seodong.db)\n"
    "  --data DIR    folder with grammars/ and data/ (default: the source tree)\n"
    "  --lang ko|en  fix the language instead of detecting it per line\n"
    "  --config FILE settings (default: $SEODONG_CONFIG; see seodong.conf.example)\n"
    "  -h, --help    this help; 'seodong COMMAND --help' for a command\n"
    "\n"
    "Environment: SEODONG_NOW=YYYY-MM-DDTHH:MM pins the clock (Korean time), for tests.\n"
    "Exit codes: 0 success, 1 runtime failure, 2 usage error.\n";

static const struct option common_options[] = {
    CLI_COMMON_OPTIONS,
    {NULL, 0, NULL, 0},
};

static int parse_options(int argc, char **argv, cli_options *o, const char *usage)
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

static size_t chomp(char *line, ssize_t n)
{
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return (size_t)n;
}

/* ---- chat ---- */

static int cmd_chat(int argc, char **argv)
{
    cli_options o = {0};
    int rc = parse_options(argc, argv, &o,
                           "usage: seodong chat [--lang ko|en] [--db FILE] [--data DIR]\n"
                           "Talk to Seodong. Each input line gets one reply block, ended by an\n"
                           "empty line and flushed, so scripts and screen readers can follow.\n");
    if (rc)
        return rc;
    engine *e = cli_open_engine(&o);
    if (!e)
        return 1;
    session *s = session_new(e, "text", o.lang);
    bool tty = isatty(STDIN_FILENO);
    strbuf reply;
    strbuf_init(&reply);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    if (tty)
        printf("서동이: 안녕하세요! 무엇을 도와드릴까요? (Korean or English; Ctrl-D to quit)\n> ");
    fflush(stdout);
    while (s && (n = getline(&line, &cap, stdin)) != -1) {
        size_t len = chomp(line, n);
        strbuf_clear(&reply);
        session_turn(s, line, len, &reply);
        printf("%s\n\n%s", strbuf_str(&reply), tty ? "> " : "");
        fflush(stdout);
    }
    if (s) {
        strbuf_clear(&reply);
        session_end(s, &reply);
        if (reply.len)
            printf("%s\n\n", strbuf_str(&reply));
    }
    free(line);
    strbuf_free(&reply);
    session_free(s);
    engine_close(e);
    return s ? 0 : 1;
}

/* ---- understand ---- */

static json_t *slots_json(const understanding *u)
{
    json_t *slots = json_object();
    if (strcmp(u->intent, "complaint.file") == 0) {
        if (u->category[0])
            json_object_set_new(slots, "category", json_string(u->category));
        if (u->department[0])
            json_object_set_new(slots, "department", json_string(u->department));
        if (u->nlu.place.set)
            json_object_set_new(slots, "place", json_string(u->nlu.place.value));
        if (u->nlu.numbers.phone.found)
            json_object_set_new(slots, "phone", json_string(u->nlu.numbers.phone.value));
    } else if (strcmp(u->intent, "complaint.status") == 0 && u->nlu.numbers.receipt.found) {
        json_object_set_new(slots, "receipt", json_string(u->nlu.numbers.receipt.value));
    }
    return slots;
}

static json_t *understanding_json(const char *line, size_t len, sd_code rc, const understanding *u)
{
    json_t *obj = json_object();
    json_object_set_new(obj, "text", rc == SD_ERR_UTF8 ? json_null() : json_stringn(line, len));
    if (rc != SD_OK) {
        json_object_set_new(obj, "error", json_string(sd_strerror(rc)));
        return obj;
    }
    json_object_set_new(obj, "lang", json_string(u->lang));
    json_object_set_new(obj, "intent", json_string(u->intent));
    json_object_set_new(obj, "slots", slots_json(u));
    json_object_set_new(obj, "confidence", json_real((double)(int)(u->confidence * 1000) / 1000));
    if (u->topic[0])
        json_object_set_new(obj, "topic", json_string(u->topic));
    if (strcmp(u->intent, "kb.answer") == 0)
        json_object_set_new(obj, "kb", json_string(u->kb.key));
    return obj;
}

static int cmd_understand(int argc, char **argv)
{
    cli_options o = {0};
    int rc = parse_options(argc, argv, &o,
                           "usage: seodong understand [--lang ko|en] [--db FILE] [--data DIR]\n"
                           "Reads lines and prints one JSON object per line:\n"
                           "  {\"text\", \"lang\", \"intent\", \"slots\", \"confidence\"}\n"
                           "A complaint's slots: category, department, place, phone.\n"
                           "A line that cannot be read gives {\"text\", \"error\"}.\n");
    if (rc)
        return rc;
    engine *e = cli_open_engine(&o);
    if (!e)
        return 1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) != -1) {
        size_t len = chomp(line, n);
        understanding u;
        sd_code urc = engine_understand(e, line, len, o.lang, "ko", &u);
        json_t *obj = understanding_json(line, len, urc, &u);
        char *text = json_dumps(obj, JSON_COMPACT);
        puts(text ? text : "{\"error\":\"out of memory\"}");
        free(text);
        json_decref(obj);
    }
    fflush(stdout);
    free(line);
    engine_close(e);
    return 0;
}

/* ---- kb ---- */

/* Exit status of an import or export: a file name of the wrong kind is a usage error. */
static int file_status(sd_code rc)
{
    return rc == SD_OK ? 0 : rc == SD_ERR_INVALID ? CLI_EXIT_USAGE : 1;
}

static int kb_import(engine *e, const char *path)
{
    size_t count;
    char err[512] = "";
    sd_code rc = kb_import_file(engine_store(e), path, &count, err, sizeof err);
    if (rc == SD_OK)
        printf("imported %zu entries from %s\n", count, path);
    else
        fprintf(stderr, "seodong: %s; the knowledge base is unchanged\n", err);
    return file_status(rc);
}

static int kb_export(engine *e, const char *path)
{
    size_t count;
    char err[512] = "";
    sd_code rc = kb_export_file(engine_store(e), path, &count, err, sizeof err);
    if (rc == SD_OK)
        printf("exported %zu entries to %s\n", count, path);
    else
        fprintf(stderr, "seodong: %s\n", err);
    return file_status(rc);
}

static int kb_search(engine *e, const cli_options *o, const char *text)
{
    store_kb_hit hit;
    const char *lang = o->lang ? o->lang : engine_detect_lang(text, strlen(text), "ko");
    if (store_kb_search(engine_store(e), lang, text, 0, &hit) == SD_OK)
        printf("%s (%.2f) %s\n%s\n", hit.key, hit.coverage, hit.title, hit.answer);
    else
        printf("no entry matches\n");
    return 0;
}

static int kb_stats(engine *e)
{
    store_kb_stats st;
    int status = store_kb_stats_get(engine_store(e), &st) == SD_OK ? 0 : 1;
    printf("entries %d (ko %d, en %d), topics %d, indexed terms %d\n", st.entries, st.entries_ko,
           st.entries_en, st.topics, st.terms);
    return status;
}

static int cmd_kb(int argc, char **argv)
{
    const char *usage =
        "usage: seodong kb import FILE | export FILE.csv | search TEXT | stats [--db FILE]\n"
        "  import FILE      replace the knowledge base with a .csv or .json file\n"
        "                   (formats: data/README.md); all or nothing\n"
        "  export FILE.csv  write the knowledge base as CSV, to edit and import again\n"
        "  search TEXT      show the best entry for TEXT and how much it covers\n"
        "  stats            count entries, languages and indexed terms\n";
    cli_options o = {0};
    int rc = parse_options(argc, argv, &o, usage);
    if (rc)
        return rc;
    const char *verb = optind < argc ? argv[optind] : "";
    const char *arg = optind + 1 < argc ? argv[optind + 1] : NULL;
    bool takes_arg =
        strcmp(verb, "import") == 0 || strcmp(verb, "export") == 0 || strcmp(verb, "search") == 0;
    if (takes_arg ? !arg : strcmp(verb, "stats") != 0) {
        fputs(usage, stderr);
        return CLI_EXIT_USAGE;
    }
    engine *e = cli_open_engine(&o);
    if (!e)
        return 1;
    int status = strcmp(verb, "import") == 0   ? kb_import(e, arg)
                 : strcmp(verb, "export") == 0 ? kb_export(e, arg)
                 : strcmp(verb, "search") == 0 ? kb_search(e, &o, arg)
                                               : kb_stats(e);
    engine_close(e);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage_main, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : 0;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "chat") == 0)
        return cmd_chat(argc - 1, argv + 1);
    if (strcmp(cmd, "understand") == 0)
        return cmd_understand(argc - 1, argv + 1);
    if (strcmp(cmd, "kb") == 0)
        return cmd_kb(argc - 1, argv + 1);
    if (strcmp(cmd, "devices") == 0)
        return cmd_devices(argc - 1, argv + 1);
    if (strcmp(cmd, "say") == 0)
        return cmd_say(argc - 1, argv + 1);
    if (strcmp(cmd, "transcribe") == 0)
        return cmd_transcribe(argc - 1, argv + 1);
    if (strcmp(cmd, "converse") == 0)
        return cmd_converse(argc - 1, argv + 1);
    if (strcmp(cmd, "speaker") == 0)
        return cmd_speaker(argc - 1, argv + 1);
    if (strcmp(cmd, "ivr") == 0)
        return cmd_ivr(argc - 1, argv + 1);
    if (strcmp(cmd, "g2p") == 0)
        return cmd_g2p(argc - 1, argv + 1);
    if (strcmp(cmd, "staff") == 0)
        return cmd_staff(argc - 1, argv + 1);
    if (strcmp(cmd, "notify") == 0)
        return cmd_notify(argc - 1, argv + 1);
    if (strcmp(cmd, "outbox") == 0)
        return cmd_outbox(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "train") == 0)
        return cmd_train(argc - 1, argv + 1);
    fprintf(stderr, "seodong: unknown command '%s'\n\n%s", cmd, usage_main);
    return CLI_EXIT_USAGE;
}

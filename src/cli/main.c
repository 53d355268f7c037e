/* main.c - the seodong command line: one subcommand per front end or tool.
 *
 *   seodong chat        talk in text (interactive, or one reply block per line from a pipe)
 *   seodong understand  one JSON object per input line: the understanding contract (cli_text.c)
 *   seodong kb          import, export, search and count the knowledge base (cli_kb.c)
 *   seodong devices, say, ...   the voice commands (cli_voice.c)
 *   seodong g2p         Korean words as pronounced and as en-us phones (cli_g2p.c)
 *   seodong notify, outbox   deliver notifications, list and retry them (cli_outbox.c)
 *   seodong spool       filings kept on this device while the shared store was away (cli_spool.c)
 *   seodong serve       Open311, the tracking page and the Kakao skill on HTTP (cli_web.c)
 *   seodong train       train the understanding model (cli_train.c)
 *
 * The commands are one table (name, the function that runs it, its line of help); each runs in
 * its own cli_*.c file. Exit codes: 0 success; 1 a runtime failure (database, data files); 2 a
 * usage error. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"chat", cmd_chat, "talk to Seodong in Korean or English (stdin/stdout)"},
    {"understand", cmd_understand, "print one JSON understanding per input line"},
    {"kb", cmd_kb, "knowledge base: import FILE | export FILE.csv | search TEXT | stats"},
    {"devices", cmd_devices, "list the audio devices"},
    {"say", cmd_say, "speak a text, or write it to a WAV file"},
    {"transcribe", cmd_transcribe, "recognise a recording and print what was heard"},
    {"converse", cmd_converse, "one spoken turn from a WAV file to a WAV file"},
    {"speaker", cmd_speaker, "the always-on smart speaker (wake word, listen, answer)"},
    {"ivr", cmd_ivr, "the phone line: answer SIP calls (menu, keypad, dialogue)"},
    {"g2p", cmd_g2p, "show how Korean words are pronounced (Hangul and en-us phones)"},
    {"staff", cmd_staff, "the office side: list, assign, answer, approve, extend complaints"},
    {"notify", cmd_notify,
     "deliver the notification outbox through the gateway ([gateway] settings)"},
    {"outbox", cmd_outbox, "notifications: list [--state S] | retry ID | retry --dead"},
    {"spool", cmd_spool, "filings kept here while the shared database was away: [forward]"},
    {"serve", cmd_serve, "the web front: Open311, the tracking page, the KakaoTalk skill"},
    {"train", cmd_train, "train the understanding model (intent, category, department)"},
};

static const char *const usage_options =
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

static void usage(FILE *out)
{
    fputs("usage: seodong COMMAND [OPTIONS]\n\nCommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fputs(usage_options, out);
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "seodong: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}

/* cli.h - what the seodong commands share: the common options (--db, --data, --lang), the
 * environment (SEODONG_DB, SEODONG_NOW), opening the engine, and the command entry points that
 * live outside main.c. Part of the executable, not of the library. */
#ifndef SEODONG_CLI_H
#define SEODONG_CLI_H
#include <getopt.h>
#include <time.h>

#include "config.h"
#include "engine.h"

/* Exit codes of every command: 0 success, 1 a runtime failure, 2 a usage error. */
#define CLI_EXIT_FAILURE 1
#define CLI_EXIT_USAGE 2

typedef struct {
    const char *db; /* --db, else $SEODONG_DB, else [database] path, else ./seodong.db */
    const char *data;
    const char *lang;        /* "ko", "en", NULL (detect), or "auto" for voice commands */
    bool voice;              /* set by voice commands before parsing: --lang auto is kept */
    const char *config_path; /* --config, else $SEODONG_CONFIG, else none (defaults) */
    time_t fixed_now;        /* from SEODONG_NOW, 0 = the real clock */
    config settings;         /* filled in by cli_load_config */
} cli_options;

/* getopt_long entries of the common options; cli_common_option handles their codes. */
#define CLI_COMMON_OPTIONS                                                                         \
    {"db", required_argument, NULL, 'd'}, {"data", required_argument, NULL, 'D'},                  \
        {"lang", required_argument, NULL, 'l'}, {"config", required_argument, NULL, 'c'},          \
    {                                                                                              \
        "help", no_argument, NULL, 'h'                                                             \
    }

/* Fills o from the environment. Returns 0 or CLI_EXIT_USAGE (SEODONG_NOW malformed). */
int cli_defaults(cli_options *o);

/* Handles getopt code c of a common option (prints usage and exits on --help). Returns 0,
 * CLI_EXIT_USAGE (bad value or unknown option: the message is printed), or -1 when c is not a
 * common option. */
int cli_common_option(int c, const char *arg, cli_options *o, const char *usage);

/* Reads the whole number arg of option name into *out when it lies in lo..hi. Returns 0, or
 * CLI_EXIT_USAGE after saying what the option takes. */
int cli_parse_int(const char *arg, const char *name, int lo, int hi, int *out);

/* Reads the settings file into o->settings and settles the database path. Returns 0, or
 * CLI_EXIT_FAILURE after printing why the file cannot be used. */
int cli_load_config(cli_options *o);

/* Parses argv for a command that takes only the common options (CLI_COMMON_OPTIONS): 0, or the
 * exit status to return (CLI_EXIT_USAGE after printing usage, 0 after --help). */
int cli_parse_common(int argc, char **argv, cli_options *o, const char *usage);

/* The commands of main.c's table that have no file of their own elsewhere: text mode
 * (cli_text.c) and the knowledge base (cli_kb.c). */
int cmd_chat(int argc, char **argv);
int cmd_understand(int argc, char **argv);
int cmd_kb(int argc, char **argv);

/* Loads the settings and opens the engine o describes; on failure prints why, returns NULL. */
engine *cli_open_engine(cli_options *o);

/* Voice commands (cli_voice.c). */
int cmd_devices(int argc, char **argv);
int cmd_say(int argc, char **argv);
int cmd_transcribe(int argc, char **argv);
int cmd_converse(int argc, char **argv);
int cmd_speaker(int argc, char **argv);

/* The notification sender and the outbox's dead letters (cli_outbox.c). */
int cmd_notify(int argc, char **argv);
int cmd_outbox(int argc, char **argv);

/* cli_spool.c: the device's spool of filings made while the shared store was away. */
int cmd_spool(int argc, char **argv);

/* The phone line over SIP (cli_ivr.c). */
int cmd_ivr(int argc, char **argv);

/* Korean pronunciation for people tuning the lexicon (cli_g2p.c). */
int cmd_g2p(int argc, char **argv);

/* The office side of the complaint lifecycle (cli_staff.c). */
int cmd_staff(int argc, char **argv);

/* Training the understanding model (cli_train.c). */
int cmd_train(int argc, char **argv);

/* The web front (cli_web.c): `seodong serve`, and `seodong staff apikey issue|revoke NAME`
 * (verb is issue or revoke; the engine is open). */
int cmd_serve(int argc, char **argv);
int cmd_staff_apikey(engine *e, const char *verb, const char *name);

#endif

/* cli_g2p.c - `seodong g2p`: shows how Korean words are pronounced, for people tuning the
 * lexicon that lets the en-us recogniser hear Korean.
 *
 *   seodong g2p "불법 주차"        the words of the arguments
 *   seodong g2p < words.txt       the words of each input line
 *
 * For each word it prints the word, its pronounced Hangul (two when it has two readings), and
 * every en-us pronunciation, numbered as recgram numbers variants:
 *
 *   불법 [불법]
 *     0  P UW L B AH P
 *     1  P UW L B AO P
 *
 * The work is in g2p_ko.c; this file only splits words and prints. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "g2p_ko.h"

static const char g2p_usage[] =
    "usage: seodong g2p [WORDS...]\n"
    "Shows how Korean words are pronounced: the pronounced Hangul (국물 [궁물]) and every\n"
    "en-us phone variant the recogniser is given, the likeliest first. Words come from the\n"
    "arguments, or from standard input when there are none. Digits are read as Sino-Korean\n"
    "numbers, Latin letters by their Korean names; other scripts cannot be pronounced.\n"
    "Exit codes: 0 all words pronounced, 1 some could not be, 2 usage error.\n";

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Prints one word's analysis; returns 0, or 1 when it cannot be pronounced. */
static int show_word(g2p_ko *g, const char *word, size_t len)
{
    g2p_ko_result r;
    char err[256];
    sd_code rc = g2p_ko_analyse(g, word, len, &r, err, sizeof err);
    if (rc != SD_OK) {
        fprintf(stderr, "seodong: %s\n", err[0] ? err : sd_strerror(rc));
        return 1;
    }
    printf("%.*s [%s", (int)len, word, r.said[0]);
    if (r.readings > 1)
        printf(" | %s", r.said[1]);
    printf("]\n");
    for (size_t v = 0; v < r.count; v++)
        printf("  %zu  %s\n", v, r.phones[v]);
    return 0;
}

/* Shows every space-separated word of text; returns 1 if any failed. */
static int show_words(g2p_ko *g, const char *text)
{
    int failed = 0;
    for (const char *p = text; *p;) {
        while (is_space(*p))
            p++;
        const char *start = p;
        while (*p && !is_space(*p))
            p++;
        if (p > start)
            failed |= show_word(g, start, (size_t)(p - start));
    }
    return failed;
}

int cmd_g2p(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        fputs(g2p_usage, c == 'h' ? stdout : stderr);
        return c == 'h' ? 0 : CLI_EXIT_USAGE;
    }
    g2p_ko *g = NULL;
    if (g2p_ko_new(&g) != SD_OK) {
        fprintf(stderr, "seodong: %s\n", sd_strerror(SD_ERR_NOMEM));
        return CLI_EXIT_FAILURE;
    }
    int failed = 0;
    if (optind < argc) {
        for (int i = optind; i < argc; i++)
            failed |= show_words(g, argv[i]);
    } else {
        char *line = NULL;
        size_t cap = 0;
        while (getline(&line, &cap, stdin) != -1)
            failed |= show_words(g, line);
        free(line);
    }
    g2p_ko_free(g);
    return failed ? CLI_EXIT_FAILURE : 0;
}

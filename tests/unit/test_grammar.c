/* The template language: groups, optional parts, rules, slots, glue, and clear errors. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "grammar.h"

typedef struct {
    char seen[64][128];
    int n;
} sentences;

static int collect(void *ctx, size_t intent, const char *s)
{
    (void)intent;
    sentences *out = ctx;
    if (out->n < 64)
        snprintf(out->seen[out->n++], 128, "%s", s);
    return 0;
}

static bool has(const sentences *s, const char *want)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->seen[i], want) == 0)
            return true;
    return false;
}

static sd_code load_text(const char *dir, const char *text, grammar **g, char *err)
{
    char path[256];
    snprintf(path, sizeof path, "%s/xx.grammar", dir);
    check_write_file(path, text);
    return grammar_load(dir, "xx", g, err, 256);
}

int main(void)
{
    char dir[] = "/tmp/seodong-grammar-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char slots[300];
    snprintf(slots, sizeof slots, "%s/slots", dir);
    mkdir(slots, 0700);
    char path[300];
    snprintf(path, sizeof path, "%s/slots/thing.tsv", dir);
    check_write_file(path, "# value\tko\ten\nlamp\t가로등|보안등\tstreetlight\n");
    grammar *g;
    char err[256];
    CHECK(load_text(dir,
                    "[slots]\nthing\nnumber builtin\n[rules]\nend = (요|해요)\n"
                    "[intent report]\n$thing<end> [좀] (신고|접수)\n",
                    &g, err) == SD_OK);
    sentences s = {.n = 0};
    CHECK(grammar_expand(g, 0, 0, 100, collect, &s) == SD_OK);
    CHECK(s.n == 8);
    CHECK(has(&s, "\xee\x80\x80요 좀 신고")); /* slot mark U+E000, glued ending */
    CHECK(has(&s, "\xee\x80\x80해요 접수"));
    CHECK(grammar_expansion_count(g, 0, 0, 1000) == 8);
    CHECK(grammar_expansion_count(g, 0, 0, 5) == 5);
    CHECK(grammar_slot_find(g, "number") == 1 && grammar_slot_value_count(g, 1) == 0);
    CHECK(grammar_slot_synonym_count(g, 0, 0) == 1); /* not Korean: the English column */
    CHECK_STR(grammar_slot_synonym(g, 0, 0, 0), "streetlight");
    s.n = 0;
    unsigned long seed = 7;
    CHECK(grammar_sample(g, 0, 0, &seed, collect, &s) == SD_OK && s.n == 1);
    grammar_free(g);

    static const struct {
        const char *text, *message;
    } bad[] = {
        {"[intent a]\n(one|two\n", "missing ')'"},
        {"[intent a]\n$nothing here\n", "unknown slot $nothing"},
        {"[intent a]\n<undefined> x\n", "never defined"},
        {"[rules]\nx = <y>\ny = <x>\n[intent a]\n<x>\n", "cycle"},
        {"hello\n", "before the first [section]"},
        {"[intent a]\none)\n", "unexpected ')'"},
        {"[slots]\nthing extra\n", "'name builtin'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        g = NULL;
        CHECK(load_text(dir, bad[i].text, &g, err) == SD_ERR_PARSE && g == NULL);
        if (!strstr(err, bad[i].message) || !strstr(err, "xx.grammar:"))
            fprintf(stderr, "case %zu: error '%s' lacks '%s'\n", i, err, bad[i].message);
        CHECK(strstr(err, bad[i].message) != NULL);
        CHECK(strstr(err, "xx.grammar:") != NULL); /* the file the clerk must open */
    }
    CHECK(grammar_load(dir, "missing", &g, err, sizeof err) == SD_ERR_IO);
    /* The bundled grammars load. */
    CHECK(grammar_load(SEODONG_SOURCE_DIR "/grammars", "ko", &g, err, sizeof err) == SD_OK);
    grammar_free(g);
    CHECK(grammar_load(SEODONG_SOURCE_DIR "/grammars", "en", &g, err, sizeof err) == SD_OK);
    grammar_free(g);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    CHECK_DONE();
}

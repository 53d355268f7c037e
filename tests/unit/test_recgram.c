/* Grammar to recognition grammar: the shipped English grammar compiles with every word
 * pronounced, PocketSphinx accepts the result, the FSG accepts exactly the template sentences
 * (slots, receipt and phone numbers, a slot alone) and nothing else, a word no dictionary knows
 * is reported and left out, and a pronunciation callback replaces the dictionaries. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pocketsphinx.h>

#include "check.h"
#include "recgram.h"

static const char *source_dir(void)
{
    const char *dir = getenv("SEODONG_SOURCE_DIR");
    return dir ? dir : SEODONG_SOURCE_DIR;
}

/* ---- a small reader of the FSG text, to test which word strings it accepts ---- */

typedef struct {
    size_t from, to;
    char word[48]; /* "" for a null transition */
} trans;

typedef struct {
    size_t nstates, start, final;
    trans *t;
    size_t nt;
} fsg;

static bool parse_fsg(const char *text, fsg *f)
{
    memset(f, 0, sizeof *f);
    size_t lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    f->t = calloc(lines + 1, sizeof *f->t);
    const char *p = text;
    while (*p) {
        const char *end = strchr(p, '\n');
        char line[128];
        snprintf(line, sizeof line, "%.*s", (int)(end ? end - p : (long)strlen(p)), p);
        trans *t = &f->t[f->nt];
        int n = sscanf(line, "TRANSITION %zu %zu %*f %47s", &t->from, &t->to, t->word);
        if (n >= 2)
            f->nt++;
        sscanf(line, "NUM_STATES %zu", &f->nstates);
        sscanf(line, "START_STATE %zu", &f->start);
        sscanf(line, "FINAL_STATE %zu", &f->final);
        p = end ? end + 1 : p + strlen(p);
    }
    return f->nstates > 0 && f->nt > 0;
}

static void closure(const fsg *f, bool *set)
{
    for (bool grew = true; grew;) {
        grew = false;
        for (size_t i = 0; i < f->nt; i++)
            if (!f->t[i].word[0] && set[f->t[i].from] && !set[f->t[i].to])
                set[f->t[i].to] = grew = true;
    }
}

static bool accepts(const fsg *f, const char *sentence)
{
    bool *set = calloc(f->nstates, sizeof *set), *next = calloc(f->nstates, sizeof *next);
    set[f->start] = true;
    closure(f, set);
    char copy[512];
    snprintf(copy, sizeof copy, "%s", sentence);
    char *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        memset(next, 0, f->nstates * sizeof *next);
        for (size_t i = 0; i < f->nt; i++)
            if (set[f->t[i].from] && strcmp(f->t[i].word, w) == 0)
                next[f->t[i].to] = true;
        closure(f, next);
        memcpy(set, next, f->nstates * sizeof *set);
    }
    bool ok = set[f->final];
    free(set);
    free(next);
    return ok;
}

static bool uses_word(const fsg *f, const char *word)
{
    for (size_t i = 0; i < f->nt; i++)
        if (strcmp(f->t[i].word, word) == 0)
            return true;
    return false;
}

/* ---- helpers ---- */

static recgram *build(const grammar *g, recgram_lexicon *lx)
{
    recgram *r = NULL;
    char err[512] = "";
    sd_code rc = recgram_build(g, recgram_lexicon_pron, lx, &r, err, sizeof err);
    if (rc != SD_OK)
        fprintf(stderr, "recgram_build: %s\n", err);
    return r;
}

/* PocketSphinx takes the FSG with a dictionary of just the grammar's words. */
static void check_pocketsphinx_accepts(const recgram *r, const char *dir)
{
    char dict[300], err[256];
    snprintf(dict, sizeof dict, "%s/grammar.dict", dir);
    CHECK(recgram_write_dict(r, dict, err, sizeof err) == SD_OK);
    cmd_ln_t *config =
        cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", "/usr/share/pocketsphinx/model/en-us/en-us",
                    "-dict", dict, "-logfn", "/dev/null", NULL);
    ps_decoder_t *ps = ps_init(config);
    CHECK(ps != NULL);
    const char *text = recgram_fsg(r);
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    fsg_model_t *model = fsg_model_read(f, ps_get_logmath(ps), 6.5f);
    fclose(f);
    CHECK(model != NULL);
    CHECK(ps_set_fsg(ps, "command", model) == 0);
    fsg_model_free(model);
    ps_free(ps);
    cmd_ln_free_r(config);
}

static void check_english(recgram_lexicon *lx, const char *dir)
{
    char path[400], err[256];
    snprintf(path, sizeof path, "%s/grammars", source_dir());
    grammar *g = NULL;
    CHECK(grammar_load(path, "en", &g, err, sizeof err) == SD_OK);
    clock_t t0 = clock();
    recgram *r = build(g, lx);
    double seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(r != NULL);
    if (!r) {
        grammar_free(g);
        return;
    }
    /* The shipped grammar and lexicon leave no word unpronounced. */
    for (size_t i = 0; i < recgram_missing_count(r); i++)
        fprintf(stderr,
                "grammars/en.grammar: no pronunciation for '%s' (add it to "
                "models/lexicon-en.dict)\n",
                recgram_missing(r, i));
    CHECK(recgram_missing_count(r) == 0);
    for (size_t i = 0; i < recgram_word_count(r); i++)
        CHECK(recgram_word_pron(r, i, 0) != NULL);
    fsg f;
    CHECK(parse_fsg(recgram_fsg(r), &f));
    printf("en grammar: %zu words, FSG %zu states, %zu transitions, built in %.2f s\n",
           recgram_word_count(r), f.nstates, f.nt, seconds);
    CHECK(f.nstates < 3000); /* the minimal automaton, not one path per sentence */
    /* Every word of the FSG has a pronunciation. */
    for (size_t i = 0; i < f.nt; i++) {
        bool known = !f.t[i].word[0];
        for (size_t k = 0; k < recgram_word_count(r) && !known; k++)
            known = strcmp(recgram_word(r, k), f.t[i].word) == 0;
        CHECK(known);
    }
    /* Slot words, our own pronunciations, digits for receipts. */
    CHECK(uses_word(&f, "cheongna") && uses_word(&f, "gajwa") && uses_word(&f, "geomdan"));
    CHECK(uses_word(&f, "pothole") && uses_word(&f, "streetlight"));
    CHECK(uses_word(&f, "s") && uses_word(&f, "g") && uses_word(&f, "zero"));
    static const char *const yes[] = {
        "report illegal parking in cheongna",
        "what time does the district office close",
        "hey seodong",
        "thank you",
        "i want to report a pothole in front of geomdan sageori station",
        "there is trash near gajwa 3 dong",
        "what is the status of s g two zero two six one two three",
        "s g two zero two six one two three",
        "receipt number two zero two six one two three",
        "cheongna 1 dong",
        "oh one zero one two three four five six seven eight",
    };
    static const char *const no[] = {
        "the quick brown fox jumps over the lazy dog",
        "report illegal parking in",
        "thank",
        "s g",
        "hey seodong thank you",
        /* 12 digits: longer than any phone or receipt number */
        "one two three four five six seven eight nine zero one two",
        /* numbers of no shape Seodong takes: a receipt is read year first, a phone number
         * starts with zero and has 9 to 11 digits */
        "receipt number one two three",
        "four nine",
        "one zero one two three four five six seven eight",
        "oh one two three four five six seven",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (!accepts(&f, yes[i]))
            fprintf(stderr, "FSG refuses '%s'\n", yes[i]);
        CHECK(accepts(&f, yes[i]));
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        if (accepts(&f, no[i]))
            fprintf(stderr, "FSG accepts '%s'\n", no[i]);
        CHECK(!accepts(&f, no[i]));
    }
    check_pocketsphinx_accepts(r, dir);
    free(f.t);
    recgram_free(r);
    grammar_free(g);
}

/* A word in neither dictionary is listed and its sentence (or synonym) left out. */
static void check_missing(recgram_lexicon *lx, const char *dir)
{
    char path[400], err[256];
    snprintf(path, sizeof path, "%s/slots", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/slots/thing.tsv", dir);
    check_write_file(path, "lamp\t\tstreetlight|zorblax lamp\n");
    snprintf(path, sizeof path, "%s/xx.grammar", dir);
    check_write_file(path, "[slots]\nthing\n[intent report]\nreport a $thing\n"
                           "[intent odd]\n(hello|frobnicate the) world\n");
    grammar *g = NULL;
    CHECK(grammar_load(dir, "xx", &g, err, sizeof err) == SD_OK);
    recgram *r = g ? build(g, lx) : NULL;
    CHECK(r != NULL);
    if (r) {
        CHECK(recgram_missing_count(r) == 2);
        CHECK(recgram_missing_count(r) == 2 && strcmp(recgram_missing(r, 0), "frobnicate") == 0);
        CHECK(recgram_missing_count(r) == 2 && strcmp(recgram_missing(r, 1), "zorblax") == 0);
        fsg f;
        CHECK(parse_fsg(recgram_fsg(r), &f));
        CHECK(accepts(&f, "report a streetlight") && accepts(&f, "hello world"));
        CHECK(!accepts(&f, "report a zorblax lamp") && !uses_word(&f, "zorblax"));
        CHECK(!uses_word(&f, "frobnicate"));
        free(f.t);
        recgram_free(r);
    }
    grammar_free(g);
    /* Nothing pronounceable at all is an error. */
    check_write_file(path, "[intent odd]\nfrobnicate\n");
    CHECK(grammar_load(dir, "xx", &g, err, sizeof err) == SD_OK);
    r = NULL;
    CHECK(recgram_build(g, recgram_lexicon_pron, lx, &r, err, sizeof err) == SD_ERR_INVALID);
    CHECK(r == NULL && strstr(err, "no sentence") != NULL);
    grammar_free(g);
}

/* The hook for languages without a dictionary (Korean): any callback gives the phones. */
static const char *every_word_is_ah(void *ctx, const char *word, size_t variant)
{
    (*(int *)ctx)++;
    (void)word;
    return variant == 0 ? "AH" : NULL;
}

static void check_callback(const char *dir)
{
    char path[400], err[256];
    snprintf(path, sizeof path, "%s/xx.grammar", dir);
    check_write_file(path, "[intent report]\n(frobnicate|zorblax) please\n");
    grammar *g = NULL;
    CHECK(grammar_load(dir, "xx", &g, err, sizeof err) == SD_OK);
    int calls = 0;
    recgram *r = NULL;
    CHECK(recgram_build(g, every_word_is_ah, &calls, &r, err, sizeof err) == SD_OK);
    CHECK(r && recgram_missing_count(r) == 0 && recgram_word_count(r) == 3);
    CHECK(calls == 6); /* each word asked once for variant 0, once more for the end */
    recgram_free(r);
    grammar_free(g);
}

/* Two grammars in one: each keeps its own pronunciations, a shared word keeps the first's, and
 * the start state leads into both with half the probability each. */
static void check_union(const char *dir)
{
    char path[400], err[256];
    snprintf(path, sizeof path, "%s/aa.grammar", dir);
    check_write_file(path, "[intent report]\nfrobnicate please\n");
    snprintf(path, sizeof path, "%s/bb.grammar", dir);
    check_write_file(path, "[intent report]\nzorblax please\n");
    grammar *a = NULL, *b = NULL;
    CHECK(grammar_load(dir, "aa", &a, err, sizeof err) == SD_OK);
    CHECK(grammar_load(dir, "bb", &b, err, sizeof err) == SD_OK);
    int calls_a = 0, calls_b = 0;
    recgram_source src[] = {{a, every_word_is_ah, &calls_a}, {b, every_word_is_ah, &calls_b}};
    recgram *r = NULL;
    CHECK(a && b && recgram_build_union(src, 2, &r, err, sizeof err) == SD_OK);
    CHECK(r && recgram_word_count(r) == 3 && recgram_missing_count(r) == 0);
    CHECK(calls_a == 4 && calls_b == 2); /* "please" was asked of the first grammar only */
    const char *fsg = r ? recgram_fsg(r) : "";
    CHECK(strstr(fsg, "FSG_BEGIN seodong_aa_bb") != NULL);
    CHECK(strstr(fsg, "TRANSITION 0 2 0.5 frobnicate") ||
          strstr(fsg, "TRANSITION 0 3 0.5 frobnicate"));
    CHECK(strstr(fsg, " 0.5 zorblax") != NULL);
    recgram_free(r);
    grammar_free(a);
    grammar_free(b);
}

static void check_lexicon(const char *dir)
{
    char path[400], err[256] = "";
    snprintf(path, sizeof path, "%s/bad.dict", dir);
    check_write_file(path, "# comment\nfine F AY N\nbroken\n");
    const char *paths[] = {path};
    recgram_lexicon *lx = NULL;
    CHECK(recgram_lexicon_load(paths, 1, &lx, err, sizeof err) == SD_ERR_PARSE && !lx);
    CHECK(strstr(err, "bad.dict:3") != NULL);
    const char *none[] = {"/nonexistent/x.dict"};
    CHECK(recgram_lexicon_load(none, 1, &lx, err, sizeof err) == SD_ERR_IO);
    /* The first file that knows a word gives all its pronunciations. */
    char ours[400];
    snprintf(ours, sizeof ours, "%s/ours.dict", dir);
    check_write_file(ours, "dong D OW NG\ndong(2) D AO NG\n");
    check_write_file(path, "dong D AA NG\nding D IH NG\n");
    const char *both[] = {ours, path};
    CHECK(recgram_lexicon_load(both, 2, &lx, err, sizeof err) == SD_OK);
    CHECK_STR(recgram_lexicon_pron(lx, "dong", 0), "D OW NG");
    CHECK_STR(recgram_lexicon_pron(lx, "dong", 1), "D AO NG");
    CHECK(recgram_lexicon_pron(lx, "dong", 2) == NULL);
    CHECK_STR(recgram_lexicon_pron(lx, "ding", 0), "D IH NG");
    CHECK(recgram_lexicon_pron(lx, "dang", 0) == NULL);
    recgram_lexicon_free(lx);
}

int main(void)
{
    char dir[] = "/tmp/seodong-recgram-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char ours[400];
    snprintf(ours, sizeof ours, "%s/models/lexicon-en.dict", source_dir());
    const char *paths[] = {ours, RECGRAM_CMUDICT};
    recgram_lexicon *lx = NULL;
    char err[256] = "";
    CHECK(recgram_lexicon_load(paths, 2, &lx, err, sizeof err) == SD_OK);
    if (!lx) {
        fprintf(stderr, "%s\n", err);
        CHECK_DONE();
    }
    check_english(lx, dir);
    check_missing(lx, dir);
    recgram_lexicon_free(lx);
    check_callback(dir);
    check_union(dir);
    check_lexicon(dir);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    CHECK_DONE();
}

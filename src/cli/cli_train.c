/* cli_train.c - `seodong train`: trains the learned understanding model (classifier.h) from the
 * bundled corpora, the tuning set and the grammars, and with --from-db from the office's own
 * handled complaints; writes it where the engine reads it. --cv K instead scores the choices
 * by K-fold cross-validation on the training data, per source, and writes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "training_data.h"

static const char *const usage_train =
    "usage: seodong train [--out FILE] [--from-db [--db FILE]] [--data DIR] [--bits N]\n"
    "                     [--cv K | --dump]\n"
    "Trains the understanding model (intent, complaint category, department) from\n"
    "data/corpora/train, tests/tune and the grammars, and writes it to FILE (default: the\n"
    "model the engine reads, $SEODONG_MODEL or " SEODONG_MODEL_PATH ").\n"
    "  --from-db   also learn from this office's complaints that staff have handled: the\n"
    "              category and department each ended with, after any transfer\n"
    "  --db FILE   the database --from-db reads (default as for every command)\n"
    "  --data DIR  the folder holding grammars/, data/ and tests/ (default: the source tree)\n"
    "  --bits N    hash the features into 2^N slots (12-22, default 16)\n"
    "  --cv K      instead of writing a model, report K-fold cross-validation (2-10)\n"
    "  --leave-out K:I  train without the I-th (0..K-1) of K folds the cross-validation\n"
    "              uses, to score whole decisions on it (with --dump: print that fold)\n"
    "  --dump      instead of writing a model, print the training lines as read (source,\n"
    "              lang, intent, category, department, text; tab-separated), so that other\n"
    "              systems can be trained on exactly the same lines (scripts/bench.sh)\n"
    "The same data always gives the same model. Exit codes: 0, 1 failure, 2 usage.\n";

#define DEFAULT_BITS 16

/* Shares of the best intent's probability at which "complaint first" is reported. */
static const double complaint_first[] = {0.5, 0.25, 0.1, 0.05};
#define NFIRST (sizeof complaint_first / sizeof complaint_first[0])

typedef struct {
    char intent[32];
    int n, ok, taken; /* rows of the intent, recognised, and rows of others taken for it */
} intent_tally;

typedef struct {
    char source[64];
    int first_filed[NFIRST], first_civic[NFIRST];
    int n, intent_ok;
    int complaints, filed, cat_n, cat_ok, dept_n, dept_ok;
    int others, civic;
} tally;

static bool is_civic(const char *intent)
{
    return strcmp(intent, "complaint.file") == 0 || strcmp(intent, "complaint.status") == 0;
}

static tally *tally_for(tally *t, size_t *nt, const char *source)
{
    for (size_t i = 0; i < *nt; i++)
        if (strcmp(t[i].source, source) == 0)
            return &t[i];
    if (*nt == 16)
        return &t[15];
    snprintf(t[*nt].source, sizeof t[*nt].source, "%s", source);
    return &t[(*nt)++];
}

static unsigned long text_hash(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

static intent_tally intents[CLASSIFIER_MAX_CLASSES];
static size_t nintents;

static intent_tally *intent_for(const char *intent)
{
    for (size_t i = 0; i < nintents; i++)
        if (strcmp(intents[i].intent, intent) == 0)
            return &intents[i];
    if (nintents == CLASSIFIER_MAX_CLASSES)
        return &intents[nintents - 1];
    snprintf(intents[nintents].intent, sizeof intents[0].intent, "%s", intent);
    return &intents[nintents++];
}

static void score_row(const classifier *c, const training_data *td, const training_row *row,
                      tally *t)
{
    if (!row->intent[0])
        return; /* a department's word, not a line anyone says */
    feature_vec *f = malloc(sizeof *f);
    if (!f)
        return;
    training_data_features(td, row->text, row->lang, classifier_bits(c), f);
    classifier_result r;
    classifier_predict(c, f, &r);
    free(f);
    char intent[32];
    classifier_public_intent(c, &r.d[CLASSIFIER_INTENT], intent, sizeof intent, NULL);
    char wanted[32];
    snprintf(wanted, sizeof wanted, "%.*s", (int)strcspn(row->intent, "/"), row->intent);
    t->n++;
    t->intent_ok += strcmp(intent, wanted) == 0;
    intent_for(wanted)->n++;
    if (strcmp(intent, wanted) == 0)
        intent_for(wanted)->ok++;
    else
        intent_for(intent)->taken++;
    for (size_t k = 0; k < NFIRST; k++) {
        char first[32];
        double p;
        classifier_complaint_first(c, &r.d[CLASSIFIER_INTENT], complaint_first[k], first,
                                   sizeof first, &p);
        bool filing = strcmp(first, "complaint.file") == 0;
        t->first_filed[k] += filing && strcmp(wanted, "complaint.file") == 0;
        t->first_civic[k] += is_civic(first) && !is_civic(wanted);
    }
    if (strcmp(row->intent, "complaint.file") == 0) {
        t->complaints++;
        t->filed += strcmp(intent, "complaint.file") == 0;
        if (row->category[0]) {
            t->cat_n++;
            t->cat_ok +=
                strcmp(row->category, classifier_class_name(c, CLASSIFIER_CATEGORY,
                                                            r.d[CLASSIFIER_CATEGORY].best)) == 0;
        }
        if (row->department[0]) {
            if (getenv("XV"))
                printf("DEPT\t%s\t%s\t%.2f\t%s\n", row->department,
                       classifier_class_name(c, CLASSIFIER_DEPARTMENT,
                                             r.d[CLASSIFIER_DEPARTMENT].best),
                       r.d[CLASSIFIER_DEPARTMENT].p[r.d[CLASSIFIER_DEPARTMENT].best], row->text);
            t->dept_n++;
            t->dept_ok += strcmp(row->department,
                                 classifier_class_name(c, CLASSIFIER_DEPARTMENT,
                                                       r.d[CLASSIFIER_DEPARTMENT].best)) == 0;
        }
    } else if (!is_civic(wanted)) {
        t->others++;
        t->civic += is_civic(intent);
    }
}

static double pct(int a, int b)
{
    return b ? 100.0 * a / b : 0.0;
}

static int cross_validate(const training_data *td, int folds)
{
    size_t n = training_data_count(td);
    bool *keep = malloc(n ? n : 1);
    tally t[16] = {0};
    size_t nt = 0;
    classifier_options o;
    classifier_default_options(&o);
    for (int k = 0; keep && k < folds; k++) {
        for (size_t i = 0; i < n; i++)
            keep[i] = text_hash(training_data_row(td, i)->text) % (unsigned long)folds !=
                      (unsigned long)k;
        classifier *c = NULL;
        char err[512] = "";
        if (classifier_train(training_data_examples(td), keep, &o, &c, err, sizeof err) != SD_OK) {
            fprintf(stderr, "seodong: %s\n", err);
            free(keep);
            return CLI_EXIT_FAILURE;
        }
        for (size_t i = 0; i < n; i++)
            if (!keep[i])
                score_row(c, td, training_data_row(td, i),
                          tally_for(t, &nt, training_data_row(td, i)->source));
        classifier_free(c);
    }
    free(keep);
    printf("%-24s %6s %7s %7s %7s %7s %7s\n", "source", "rows", "intent", "filed", "categ.",
           "dept.", "civic");
    for (size_t i = 0; i < nt; i++)
        printf("%-24s %6d %6.1f%% %6.1f%% %6.1f%% %6.1f%% %6.1f%%\n", t[i].source, t[i].n,
               pct(t[i].intent_ok, t[i].n), pct(t[i].filed, t[i].complaints),
               pct(t[i].cat_ok, t[i].cat_n), pct(t[i].dept_ok, t[i].dept_n),
               pct(t[i].civic, t[i].others));
    printf("\n%-24s %6s %7s %7s\n", "intent", "rows", "recall", "taken");
    for (size_t i = 0; i < nintents; i++)
        printf("%-24s %6d %6.1f%% %7d\n", intents[i].intent, intents[i].n,
               pct(intents[i].ok, intents[i].n), intents[i].taken);
    printf("\ncomplaint first (a complaint when its probability is this share of the best):\n");
    printf("%-24s", "source");
    for (size_t k = 0; k < NFIRST; k++)
        printf("  filed/civic@%.2f", complaint_first[k]);
    printf("\n");
    for (size_t i = 0; i < nt; i++) {
        printf("%-24s", t[i].source);
        for (size_t k = 0; k < NFIRST; k++)
            printf("     %5.1f/%5.1f%%", pct(t[i].first_filed[k], t[i].complaints),
                   pct(t[i].first_civic[k], t[i].others));
        printf("\n");
    }
    return 0;
}

int cmd_train(int argc, char **argv)
{
    static const struct option options[] = {
        CLI_COMMON_OPTIONS,
        {"out", required_argument, NULL, 'o'},
        {"from-db", no_argument, NULL, 'f'},
        {"bits", required_argument, NULL, 'b'},
        {"cv", required_argument, NULL, 'k'},
        {"dump", no_argument, NULL, 'u'},
        {"leave-out", required_argument, NULL, 'L'},
        {NULL, 0, NULL, 0},
    };
    cli_options o = {0};
    int rc = cli_defaults(&o);
    const char *out = getenv("SEODONG_MODEL");
    bool from_db = false, dump = false;
    int bits = DEFAULT_BITS, folds = 0, c;
    int out_folds = 0, out_fold = 0;
    optind = 1;
    while (rc == 0 && (c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else if (c == 'f')
            from_db = true;
        else if (c == 'b')
            rc = cli_parse_int(optarg, "--bits", FEATURES_MIN_BITS, FEATURES_MAX_BITS, &bits);
        else if (c == 'u')
            dump = true;
        else if (c == 'L') {
            if (sscanf(optarg, "%d:%d", &out_folds, &out_fold) != 2 || out_folds < 2 ||
                out_folds > 10 || out_fold < 0 || out_fold >= out_folds) {
                fprintf(stderr, "seodong: --leave-out takes K:I, 2 <= K <= 10, 0 <= I < K\n");
                rc = CLI_EXIT_USAGE;
            }
        } else if (c == 'k')
            rc = cli_parse_int(optarg, "--cv", 2, 10, &folds);
        else if ((rc = cli_common_option(c, optarg, &o, usage_train)) < 0) {
            fputs(usage_train, stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (rc)
        return rc;
    if (optind < argc) {
        fputs(usage_train, stderr);
        return CLI_EXIT_USAGE;
    }
    if (!out || !*out)
        out = SEODONG_MODEL_PATH;
    char err[512] = "";
    training_data *td = NULL;
    clock_t t0 = clock();
    sd_code sc = training_data_new(o.data ? o.data : SEODONG_SOURCE_DIR, (unsigned)bits, &td, err,
                                   sizeof err);
    if (sc == SD_OK)
        sc = training_data_add_bundled(td, err, sizeof err);
    if (sc == SD_OK && from_db) {
        /* The store alone: the engine would want the model this run is making. */
        store *db = NULL;
        size_t count = 0;
        sc = cli_load_config(&o) == 0 ? store_open(o.db, &db, err, sizeof err) : SD_ERR_INVALID;
        if (sc == SD_OK)
            sc = training_data_add_database(td, db, &count, err, sizeof err);
        if (sc == SD_OK)
            fprintf(stderr, "seodong: %zu handled complaints from %s\n", count, o.db);
        store_close(db);
    }
    if (sc != SD_OK) {
        if (err[0])
            fprintf(stderr, "seodong: %s\n", err);
        training_data_free(td);
        return CLI_EXIT_FAILURE;
    }
    size_t n = training_data_count(td);
    bool *keep = malloc(n ? n : 1);
    for (size_t i = 0; keep && i < n; i++)
        keep[i] =
            !out_folds || text_hash(training_data_row(td, i)->text) % (unsigned long)out_folds !=
                              (unsigned long)out_fold;
    if (dump) {
        for (size_t i = 0; keep && i < n; i++) {
            const training_row *r = training_data_row(td, i);
            if (keep[i] == (out_folds > 0))
                continue;
            printf("%s\t%s\t%s\t%s\t%s\t%s\n", r->source, r->lang, r->intent, r->category,
                   r->department, r->text);
        }
        free(keep);
        training_data_free(td);
        return 0;
    }
    if (folds) {
        free(keep);
        rc = cross_validate(td, folds);
        training_data_free(td);
        return rc;
    }
    classifier_options opt;
    classifier_default_options(&opt);
    classifier *model = NULL;
    sc = keep ? classifier_train(training_data_examples(td), keep, &opt, &model, err, sizeof err)
              : SD_ERR_NOMEM;
    free(keep);
    if (sc == SD_OK)
        sc = classifier_save(model, out, err, sizeof err);
    if (sc == SD_OK)
        fprintf(stderr, "seodong: trained on %zu examples in %.1f s: %s (%.1f MB)\n",
                training_data_count(td), (double)(clock() - t0) / CLOCKS_PER_SEC, out,
                (double)classifier_size(model) / 1e6);
    else
        fprintf(stderr, "seodong: %s\n", err);
    classifier_free(model);
    training_data_free(td);
    return sc == SD_OK ? 0 : CLI_EXIT_FAILURE;
}

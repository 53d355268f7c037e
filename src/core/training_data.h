/* training_data.h - what the learned model is trained on, gathered into labelled examples.
 *
 * Four sources, each read the way the understanding will read residents:
 *  - the public corpora's training parts, the .tsv files of data/corpora/train
 * (data/corpora/SOURCES.md; their held-out parts, data/corpora/heldout/, are never read here);
 *  - tests/tune/tune.tsv, the hand-written tuning set (tests/devset is never read);
 *  - sentences drawn from the grammars' templates, slots filled with their synonyms;
 *  - optionally the office's own complaints from the database: the category and the department
 *    they ended with, after staff transferred them.
 * A line of tests/devset or of a held-out corpus is never an example, whichever source also
 * holds it. Every line goes through nlu_normalize, the grammar matcher (for its slots) and
 * features_of, exactly as engine_understand does. */
#ifndef SEODONG_TRAINING_DATA_H
#define SEODONG_TRAINING_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "classifier.h"
#include "sd_error.h"
#include "store.h"

typedef struct training_data training_data;

/* One example as read, for reports (cross-validation figures per source). */
typedef struct {
    const char *source; /* corpus file name, "tune", "grammar" or "database" */
    const char *text;
    const char *lang;
    const char *intent, *category, *department; /* "" when not known */
} training_row;

/* Reads the grammars and departments of data_dir (the folder holding grammars/,
 * data/ and tests/). Returns SD_OK, or an error with err saying what and where. */
sd_code training_data_new(const char *data_dir, unsigned bits, training_data **out, char *err,
                          size_t errlen);
void training_data_free(training_data *t);

/* Adds the corpora, the tuning set and the grammar's sentences. */
sd_code training_data_add_bundled(training_data *t, char *err, size_t errlen);
/* Adds the office's complaints from db; *count gets how many. */
sd_code training_data_add_database(training_data *t, store *db, size_t *count, char *err,
                                   size_t errlen);

const classifier_examples *training_data_examples(const training_data *t);
size_t training_data_count(const training_data *t);
const training_row *training_data_row(const training_data *t, size_t i);

/* The features of text as the understanding computes them (for scoring a trained model). */
void training_data_features(const training_data *t, const char *text, const char *lang,
                            unsigned bits, feature_vec *out);

#endif

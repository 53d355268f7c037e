/* classifier.h - the learned model behind Seodong's understanding: three decisions (intent;
 * for a complaint, its category; the department that should handle it), each a logistic
 * regression over hashed features (nlu_features.h) with a probability per class.
 *
 * The model is trained by `seodong train` (classifier_train.c, liblinear) and written to one
 * file; classifier_load() maps that file read-only, checks it whole (format, feature version,
 * size, checksum), and the same classifier then serves every thread of the process. The file
 * format is described at the top of classifier.c. */
#ifndef SEODONG_CLASSIFIER_H
#define SEODONG_CLASSIFIER_H

#include <stddef.h>

#include "nlu_features.h"
#include "sd_error.h"

typedef struct classifier classifier;

typedef enum {
    CLASSIFIER_INTENT,
    CLASSIFIER_CATEGORY,
    CLASSIFIER_DEPARTMENT,
    CLASSIFIER_DECISIONS
} classifier_decision;

/* The category class of a complaint that names no kind of problem yet ("민원 넣을게요"): learned
 * from such sentences of the grammar and the tuning set, never reported as a category. */
#define CLASSIFIER_CATEGORY_UNSAID "_unsaid"

/* Most classes one decision may have. */
#define CLASSIFIER_MAX_CLASSES 32

typedef struct {
    size_t best;                      /* index of the most probable class */
    double p[CLASSIFIER_MAX_CLASSES]; /* probability of each class, summing to 1 */
} classifier_guess;

typedef struct {
    classifier_guess d[CLASSIFIER_DECISIONS];
} classifier_result;

/* Maps the model file at path. Returns SD_OK; SD_ERR_NOT_FOUND (no such file), SD_ERR_IO (cannot
 * be read), SD_ERR_PARSE (not a Seodong model, another format or feature version, truncated or
 * damaged) or SD_ERR_NOMEM; err then says which and what to do. */
sd_code classifier_load(const char *path, classifier **out, char *err, size_t errlen);
void classifier_free(classifier *c);

/* The hash size the model was trained with: features_of() must be called with it. */
unsigned classifier_bits(const classifier *c);

/* Classes of decision d, by index: intent names, category codes, department codes. */
size_t classifier_class_count(const classifier *c, classifier_decision d);
const char *classifier_class_name(const classifier *c, classifier_decision d, size_t k);
/* Index of class name in decision d, or (size_t)-1. */
size_t classifier_class_find(const classifier *c, classifier_decision d, const char *name);

/* Intent classes may be finer than the public intents ("smalltalk/tell_joke"): the public
 * intent is the part before '/', and its probability the sum of its classes'. The most probable
 * public intent goes to intent (when not NULL) and its probability to *p (when not NULL). */
void classifier_public_intent(const classifier *c, const classifier_guess *g, char *intent,
                              size_t size, double *p);
/* The probability of public intent name (0 when the model has no such class). */
double classifier_intent_p(const classifier *c, const classifier_guess *g, const char *name);

/* The public intent, complaint first: when the most probable intent is one a described
 * problem is mistaken for (out_of_scope, smalltalk, kb.answer) and complaint.file has at least
 * share times its probability, complaint.file. Writes the intent and its probability. */
void classifier_complaint_first(const classifier *c, const classifier_guess *g, double share,
                                char *intent, size_t size, double *p);

/* Bytes of the model in memory (the mapped file). */
size_t classifier_size(const classifier *c);

/* Scores the three decisions for features f. Thread-safe: the classifier is never written. */
void classifier_predict(const classifier *c, const feature_vec *f, classifier_result *r);

/* ---- building (classifier_train.c) ---- */

/* Labelled examples: the features of a line and its labels: intent, category, department, each
 * "" or NULL when not known (at least one must be). */
typedef struct classifier_examples classifier_examples;

classifier_examples *classifier_examples_new(unsigned bits);
void classifier_examples_free(classifier_examples *x);
/* Adds one example (the features are copied). Returns SD_OK, SD_ERR_INVALID (no label, a label
 * longer than 31 bytes, or more than CLASSIFIER_MAX_CLASSES classes) or SD_ERR_NOMEM. */
sd_code classifier_examples_add(classifier_examples *x, const feature_vec *f, const char *intent,
                                const char *category, const char *department);
size_t classifier_examples_count(const classifier_examples *x);

typedef struct {
    double cost[CLASSIFIER_DECISIONS]; /* liblinear's C: larger fits the data more closely */
    double balance; /* 0: classes weigh by their examples; 1: every class weighs alike */
} classifier_options;

/* The options `seodong train` uses (chosen by cross-validation on the training part). */
void classifier_default_options(classifier_options *o);

/* Trains the three decisions on the examples whose keep[] is true (NULL = all) and returns
 * the model in memory. Deterministic: the same examples give the same model. Returns SD_OK,
 * SD_ERR_INVALID (no example of some decision: err says which) or SD_ERR_NOMEM. */
sd_code classifier_train(const classifier_examples *x, const bool *keep,
                         const classifier_options *o, classifier **out, char *err, size_t errlen);

/* Writes the model to path (a temporary file renamed into place, so a reader never sees half
 * a model). Returns SD_OK or SD_ERR_IO (err says why). */
sd_code classifier_save(const classifier *c, const char *path, char *err, size_t errlen);

#endif

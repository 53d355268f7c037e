/* nlu_features.h - the hashed features the learned classifier (classifier.h) reads from one line.
 *
 * Training (`seodong train`) and understanding must see exactly the same features, so both take
 * them from here: one function from a normalised line (nlu_normalize) and what the grammar's
 * gazetteer found in it (nlu_understand) to a sparse vector of hashed feature indices with
 * values, sorted by index, of unit length. The kinds of feature, and why each is there, are
 * described at the top of nlu_features.c. */
#ifndef SEODONG_NLU_FEATURES_H
#define SEODONG_NLU_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "nlu.h"

/* Bumped whenever the features of a line change: a model trained on other features must not be
 * used (classifier_load refuses it). */
#define FEATURES_VERSION 1

/* Feature indices run from 1 to 2^bits (liblinear's indices start at 1). */
#define FEATURES_MIN_BITS 12
#define FEATURES_MAX_BITS 22

/* Most features one line yields; a longer line is described by its first ones. */
#define FEATURES_MAX 1536

typedef struct {
    uint32_t index[FEATURES_MAX]; /* ascending, unique, 1..2^bits */
    float value[FEATURES_MAX];
    size_t n;
} feature_vec;

/* Fills out with the features of norm (normalised text, as nlu_understand read it) in language
 * lang ("ko" or "en"), with r the grammar matcher's result for it (slots and numbers), hashed
 * into 2^bits indices. Never fails: an empty line gives only the language's feature. */
void features_of(const char *norm, const char *lang, const nlu_result *r, unsigned bits,
                 feature_vec *out);

#endif

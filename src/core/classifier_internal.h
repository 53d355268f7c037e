/* classifier_internal.h - the classifier's state, shared by classifier.c (loading, predicting,
 * saving) and classifier_train.c (building it from liblinear's models). Not a public header. */
#ifndef SEODONG_CLASSIFIER_INTERNAL_H
#define SEODONG_CLASSIFIER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "classifier.h"

/* Bumped whenever the file layout changes. */
#define CLASSIFIER_FORMAT 1

typedef struct {
    size_t nclass;
    const char *names[CLASSIFIER_MAX_CLASSES];
    const float *bias; /* nclass */
    const float *w;    /* 2^bits rows of nclass */
} decision;

struct classifier {
    void *map;   /* the mapped file, or one heap block holding a freshly trained model */
    size_t size; /* its bytes */
    bool mapped;
    unsigned bits;
    decision d[CLASSIFIER_DECISIONS];
    /* intent classes by public intent: class k belongs to public intent public_of[k] */
    char public_names[CLASSIFIER_MAX_CLASSES][32];
    size_t public_of[CLASSIFIER_MAX_CLASSES];
    size_t npublic;
};

extern const char *const classifier_decision_names[CLASSIFIER_DECISIONS];

uint64_t classifier_checksum(const void *data, size_t n);

/* A model file being written in memory. */
typedef struct {
    unsigned char *data;
    size_t len;
} image_buf;

/* Starts an image with the magic and header; the caller appends each decision (see the layout
 * in classifier.c), then the checksum, and hands it to classifier_from_image. */
sd_code classifier_image_begin(unsigned bits, image_buf *b);
sd_code image_put(image_buf *b, const void *p, size_t n);

/* Checks and indexes a complete image (taken over: freed with the classifier, or on failure). */
sd_code classifier_from_image(void *image, size_t size, classifier **out, char *err, size_t errlen);

#endif

/* classifier_train.c - building the learned model from labelled examples with liblinear.
 *
 * Each decision (intent, category, department) is trained on the examples that carry its
 * label: every example has an intent; only complaints with a known category or department
 * teach those. liblinear's L2-regularised logistic regression (primal trust-region Newton
 * solver: deterministic, no random shuffling) fits one class against the rest; its weights
 * are copied into the model image as float32, feature by feature (layout: classifier.c).
 *
 * Classes are weighted so that a small class (a few hundred complaints beside ten thousand
 * chat lines) is not drowned: class k weighs (N / (K n_k))^balance. */
#include <linear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier_internal.h"

#define LABEL_MAX 32
#define NO_LABEL -1
/* Bias of a class no training example had (a fold of a cross-validation can lack one). */
#define ABSENT_BIAS -30.0f

typedef struct {
    char names[CLASSIFIER_MAX_CLASSES][LABEL_MAX];
    size_t n;
} label_set;

struct classifier_examples {
    unsigned bits;
    struct feature_node *nodes; /* every example's features, each ended by the bias and -1 */
    size_t nnodes, capnodes;
    size_t *start; /* example i's nodes begin at nodes[start[i]] */
    int (*label)[CLASSIFIER_DECISIONS];
    size_t n, cap;
    label_set labels[CLASSIFIER_DECISIONS];
};

classifier_examples *classifier_examples_new(unsigned bits)
{
    if (bits < FEATURES_MIN_BITS || bits > FEATURES_MAX_BITS)
        return NULL;
    classifier_examples *x = calloc(1, sizeof *x);
    if (x)
        x->bits = bits;
    return x;
}

void classifier_examples_free(classifier_examples *x)
{
    if (!x)
        return;
    free(x->nodes);
    free(x->start);
    free(x->label);
    free(x);
}

size_t classifier_examples_count(const classifier_examples *x)
{
    return x->n;
}

/* The id of name in set, added when new; NO_LABEL for no label, -2 when it cannot be added. */
static int label_id(label_set *set, const char *name)
{
    if (!name || !*name)
        return NO_LABEL;
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->names[i], name) == 0)
            return (int)i;
    if (set->n == CLASSIFIER_MAX_CLASSES || strlen(name) >= LABEL_MAX)
        return -2;
    snprintf(set->names[set->n], LABEL_MAX, "%s", name);
    return (int)set->n++;
}

sd_code classifier_examples_add(classifier_examples *x, const feature_vec *f, const char *intent,
                                const char *category, const char *department)
{
    const char *names[CLASSIFIER_DECISIONS] = {intent, category, department};
    int ids[CLASSIFIER_DECISIONS];
    for (size_t d = 0; d < CLASSIFIER_DECISIONS; d++)
        if ((ids[d] = label_id(&x->labels[d], names[d])) == -2)
            return SD_ERR_INVALID;
    if (ids[CLASSIFIER_INTENT] == NO_LABEL && ids[CLASSIFIER_CATEGORY] == NO_LABEL &&
        ids[CLASSIFIER_DEPARTMENT] == NO_LABEL)
        return SD_ERR_INVALID;
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 1024;
        size_t *s = realloc(x->start, cap * sizeof *s);
        if (s)
            x->start = s;
        int(*l)[CLASSIFIER_DECISIONS] = realloc(x->label, cap * sizeof *l);
        if (l)
            x->label = l;
        if (!s || !l)
            return SD_ERR_NOMEM;
        x->cap = cap;
    }
    if (x->nnodes + f->n + 2 > x->capnodes) {
        size_t cap = x->capnodes ? x->capnodes * 2 : 65536;
        while (cap < x->nnodes + f->n + 2)
            cap *= 2;
        struct feature_node *t = realloc(x->nodes, cap * sizeof *t);
        if (!t)
            return SD_ERR_NOMEM;
        x->nodes = t;
        x->capnodes = cap;
    }
    x->start[x->n] = x->nnodes;
    for (size_t i = 0; i < f->n; i++)
        x->nodes[x->nnodes++] = (struct feature_node){(int)f->index[i], f->value[i]};
    x->nodes[x->nnodes++] = (struct feature_node){(1 << x->bits) + 1, 1.0}; /* the bias */
    x->nodes[x->nnodes++] = (struct feature_node){-1, 0};
    memcpy(x->label[x->n], ids, sizeof ids);
    x->n++;
    return SD_OK;
}

void classifier_default_options(classifier_options *o)
{
    /* Chosen by `seodong train --cv 5`: a looser intent fit (8 rather than 16 or 32) filed
     * more of the real complaints it had not seen; departments needed a closer one. */
    o->cost[CLASSIFIER_INTENT] = 8;
    o->cost[CLASSIFIER_CATEGORY] = 16;
    o->cost[CLASSIFIER_DEPARTMENT] = 32;
    o->balance = 1;
}

static void quiet(const char *s)
{
    (void)s;
}

/* Trains decision d and appends it to the image. */
static sd_code train_decision(const classifier_examples *x, const bool *keep, size_t d,
                              const classifier_options *o, image_buf *img, char *err, size_t errlen)
{
    const label_set *set = &x->labels[d];
    size_t k = set->n;
    int n_features = 1 << x->bits;
    struct problem prob = {.n = n_features + 1, .bias = 1};
    prob.y = malloc((x->n ? x->n : 1) * sizeof *prob.y);
    prob.x = malloc((x->n ? x->n : 1) * sizeof *prob.x);
    size_t count[CLASSIFIER_MAX_CLASSES] = {0};
    float *w = calloc((size_t)n_features * (k ? k : 1) + k, sizeof *w);
    if (!prob.y || !prob.x || !w) {
        free(prob.y), free(prob.x), free(w);
        return SD_ERR_NOMEM;
    }
    for (size_t i = 0; i < x->n; i++) {
        int label = x->label[i][d];
        if (label == NO_LABEL || (keep && !keep[i]))
            continue;
        prob.y[prob.l] = label;
        prob.x[prob.l++] = x->nodes + x->start[i];
        count[label]++;
    }
    size_t present = 0;
    for (size_t c = 0; c < k; c++)
        present += count[c] > 0;
    if (present < 2) {
        snprintf(err, errlen, "the %s decision needs examples of two classes at least, has %zu",
                 classifier_decision_names[d], present);
        free(prob.y), free(prob.x), free(w);
        return SD_ERR_INVALID;
    }
    int weight_label[CLASSIFIER_MAX_CLASSES];
    double weight[CLASSIFIER_MAX_CLASSES];
    int nw = 0;
    for (size_t c = 0; c < k; c++)
        if (count[c]) {
            weight_label[nw] = (int)c;
            weight[nw++] = pow((double)prob.l / ((double)present * (double)count[c]), o->balance);
        }
    struct parameter param = {.solver_type = L2R_LR,
                              .eps = 0.01,
                              .C = o->cost[d],
                              .nr_weight = nw,
                              .weight_label = weight_label,
                              .weight = weight};
    set_print_string_function(quiet);
    struct model *m = train(&prob, &param);
    free(prob.y);
    free(prob.x);
    if (!m) {
        free(w);
        return SD_ERR_NOMEM;
    }
    float *bias = w + (size_t)n_features * k;
    for (size_t c = 0; c < k; c++) {
        int li = -1;
        for (int j = 0; j < m->nr_class; j++)
            if (m->label[j] == (int)c)
                li = j;
        if (li < 0) {
            bias[c] = ABSENT_BIAS;
            continue;
        }
        for (int f = 0; f < n_features; f++)
            w[(size_t)f * k + c] = (float)get_decfun_coef(m, f + 1, li);
        bias[c] = (float)get_decfun_bias(m, li);
    }
    free_and_destroy_model(&m);
    char names[CLASSIFIER_MAX_CLASSES * LABEL_MAX + 4] = {0};
    size_t nb = 0;
    for (size_t c = 0; c < k; c++) {
        size_t len = strlen(set->names[c]) + 1;
        memcpy(names + nb, set->names[c], len);
        nb += len;
    }
    nb = (nb + 3) & ~(size_t)3;
    uint32_t head[2] = {(uint32_t)k, (uint32_t)nb};
    sd_code rc = image_put(img, head, sizeof head);
    if (rc == SD_OK)
        rc = image_put(img, names, nb);
    if (rc == SD_OK)
        rc = image_put(img, bias, k * sizeof *bias);
    if (rc == SD_OK)
        rc = image_put(img, w, (size_t)n_features * k * sizeof *w);
    free(w);
    return rc;
}

sd_code classifier_train(const classifier_examples *x, const bool *keep,
                         const classifier_options *o, classifier **out, char *err, size_t errlen)
{
    *out = NULL;
    image_buf img;
    sd_code rc = classifier_image_begin(x->bits, &img);
    for (size_t d = 0; rc == SD_OK && d < CLASSIFIER_DECISIONS; d++)
        rc = train_decision(x, keep, d, o, &img, err, errlen);
    if (rc == SD_OK) {
        uint64_t sum = classifier_checksum(img.data, img.len);
        rc = image_put(&img, &sum, sizeof sum);
    }
    if (rc != SD_OK) {
        free(img.data);
        if (rc == SD_ERR_NOMEM)
            snprintf(err, errlen, "out of memory while training");
        return rc;
    }
    return classifier_from_image(img.data, img.len, out, err, errlen);
}

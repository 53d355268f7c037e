/* classifier.c - loading, checking and applying the learned model (training: classifier_train.c).
 *
 * The model file, little-endian, every part a multiple of 4 bytes long:
 *   "SEODONG-MODEL\0\0\0"   16 bytes of magic
 *   u32 format version (CLASSIFIER_FORMAT), u32 features version (FEATURES_VERSION),
 *   u32 bits (the feature hash size is 2^bits), u32 number of decisions (3)
 *   per decision: u32 classes K, u32 name bytes B, B bytes of class names each ended by NUL
 *     (padded with NULs to a multiple of 4), K float32 biases, 2^bits * K float32 weights
 *     (feature by feature: the K weights of one feature are next to each other, so a line's
 *     few hundred features touch a few hundred cache lines)
 *   u64 checksum of everything before it
 * The file is mapped read-only and checked whole before use: a missing, cut-short, damaged or
 * older model gives an error that says what to run, never a wrong answer or a crash.
 *
 * Each decision is liblinear's one-against-the-rest logistic regression: a class scores the
 * sigmoid of its linear function, and the scores are divided by their sum, as liblinear's
 * predict_probability does. */
#include "classifier.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classifier_internal.h"

static const char magic[16] = "SEODONG-MODEL\0\0";

const char *const classifier_decision_names[CLASSIFIER_DECISIONS] = {"intent", "category",
                                                                     "department"};

uint64_t classifier_checksum(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 1099511628211ULL;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static void index_public_intents(classifier *c);

/* ---- reading ---- */

typedef struct {
    const unsigned char *p;
    size_t left;
} cursor;

static bool take(cursor *c, size_t n, const void **out)
{
    if (n > c->left)
        return false;
    *out = c->p;
    c->p += n;
    c->left -= n;
    return true;
}

static bool take_u32(cursor *c, uint32_t *v)
{
    const void *p;
    if (!take(c, 4, &p))
        return false;
    memcpy(v, p, 4);
    return true;
}

/* Reads one decision's names, biases and weights; false when the file says something
 * impossible (the caller reports it as damaged). */
static bool read_decision(cursor *c, unsigned bits, decision *d)
{
    uint32_t k, bytes;
    const void *names, *bias, *weights;
    if (!take_u32(c, &k) || !take_u32(c, &bytes) || k < 2 || k > CLASSIFIER_MAX_CLASSES ||
        bytes % 4 != 0 || !take(c, bytes, &names))
        return false;
    const char *s = names, *end = s + bytes;
    for (uint32_t i = 0; i < k; i++) {
        const char *nul = memchr(s, '\0', (size_t)(end - s));
        if (!nul || nul == s)
            return false;
        d->names[i] = s;
        s = nul + 1;
    }
    size_t weight_bytes = ((size_t)1 << bits) * k * sizeof(float);
    if (!take(c, k * sizeof(float), &bias) || !take(c, weight_bytes, &weights))
        return false;
    d->nclass = k;
    d->bias = bias;
    d->w = weights;
    return true;
}

static sd_code damaged(const char *path, const char *what, char *err, size_t errlen)
{
    snprintf(err, errlen,
             "%s: %s; train the model again with `seodong train` (or rebuild, which trains it)",
             path, what);
    return SD_ERR_PARSE;
}

static sd_code check_and_index(classifier *c, const char *path, char *err, size_t errlen)
{
    if (c->size < sizeof magic + 16 + 8 || memcmp(c->map, magic, sizeof magic) != 0)
        return c->size >= sizeof magic && memcmp(c->map, magic, sizeof magic) == 0
                   ? damaged(path, "the model file is cut short", err, errlen)
                   : damaged(path, "not a Seodong model file", err, errlen);
    cursor cur = {(const unsigned char *)c->map + sizeof magic, c->size - sizeof magic - 8};
    uint32_t format, fversion, bits, ndecisions;
    take_u32(&cur, &format);
    take_u32(&cur, &fversion);
    take_u32(&cur, &bits);
    take_u32(&cur, &ndecisions);
    if (format != CLASSIFIER_FORMAT || fversion != FEATURES_VERSION) {
        snprintf(err, errlen,
                 "%s: a model of format %u with features version %u, this seodong reads format "
                 "%u, features version %u; train it again with `seodong train`",
                 path, format, fversion, CLASSIFIER_FORMAT, FEATURES_VERSION);
        return SD_ERR_PARSE;
    }
    if (bits < FEATURES_MIN_BITS || bits > FEATURES_MAX_BITS || ndecisions != CLASSIFIER_DECISIONS)
        return damaged(path, "the model's header is damaged", err, errlen);
    c->bits = bits;
    for (size_t d = 0; d < CLASSIFIER_DECISIONS; d++)
        if (!read_decision(&cur, bits, &c->d[d]))
            return damaged(path, "the model file is cut short or damaged", err, errlen);
    if (cur.left != 0)
        return damaged(path, "the model file has bytes after its end", err, errlen);
    uint64_t stored;
    memcpy(&stored, (const unsigned char *)c->map + c->size - 8, 8);
    if (stored != classifier_checksum(c->map, c->size - 8))
        return damaged(path, "the model file is damaged (checksum)", err, errlen);
    index_public_intents(c);
    return SD_OK;
}

sd_code classifier_load(const char *path, classifier **out, char *err, size_t errlen)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        bool missing = errno == ENOENT;
        snprintf(err, errlen, "%s: %s%s", path, strerror(errno),
                 missing ? "; build Seodong (which trains the model) or run `seodong train`" : "");
        return missing ? SD_ERR_NOT_FOUND : SD_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return SD_ERR_IO;
    }
    classifier *c = calloc(1, sizeof *c);
    if (!c) {
        close(fd);
        return SD_ERR_NOMEM;
    }
    c->size = (size_t)st.st_size;
    c->mapped = true;
    c->map = c->size ? mmap(NULL, c->size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (c->map == MAP_FAILED) {
        bool empty = c->size == 0;
        c->map = NULL;
        classifier_free(c);
        if (empty)
            return damaged(path, "the model file is empty", err, errlen);
        snprintf(err, errlen, "%s: cannot map it: %s", path, strerror(errno));
        return SD_ERR_IO;
    }
    sd_code rc = check_and_index(c, path, err, errlen);
    if (rc != SD_OK) {
        classifier_free(c);
        return rc;
    }
    *out = c;
    return SD_OK;
}

void classifier_free(classifier *c)
{
    if (!c)
        return;
    if (c->mapped) {
        if (c->map)
            munmap(c->map, c->size);
    } else {
        free(c->map);
    }
    free(c);
}

unsigned classifier_bits(const classifier *c)
{
    return c->bits;
}

size_t classifier_size(const classifier *c)
{
    return c->size;
}

size_t classifier_class_count(const classifier *c, classifier_decision d)
{
    return c->d[d].nclass;
}

const char *classifier_class_name(const classifier *c, classifier_decision d, size_t k)
{
    return k < c->d[d].nclass ? c->d[d].names[k] : "";
}

size_t classifier_class_find(const classifier *c, classifier_decision d, const char *name)
{
    for (size_t k = 0; k < c->d[d].nclass; k++)
        if (strcmp(c->d[d].names[k], name) == 0)
            return k;
    return (size_t)-1;
}

/* ---- public intents ---- */

/* Groups the intent classes by the part of their name before '/'. */
static void index_public_intents(classifier *c)
{
    const decision *d = &c->d[CLASSIFIER_INTENT];
    c->npublic = 0;
    for (size_t k = 0; k < d->nclass; k++) {
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(d->names[k], "/"), d->names[k]);
        size_t p = 0;
        while (p < c->npublic && strcmp(c->public_names[p], name) != 0)
            p++;
        if (p == c->npublic)
            memcpy(c->public_names[c->npublic++], name, sizeof name);
        c->public_of[k] = p;
    }
}

/* Probabilities of the public intents: sums over their classes. */
static void public_sums(const classifier *c, const classifier_guess *g,
                        double sum[CLASSIFIER_MAX_CLASSES])
{
    for (size_t p = 0; p < c->npublic; p++)
        sum[p] = 0;
    for (size_t k = 0; k < c->d[CLASSIFIER_INTENT].nclass; k++)
        sum[c->public_of[k]] += g->p[k];
}

double classifier_intent_p(const classifier *c, const classifier_guess *g, const char *name)
{
    double sum[CLASSIFIER_MAX_CLASSES];
    public_sums(c, g, sum);
    for (size_t p = 0; p < c->npublic; p++)
        if (strcmp(c->public_names[p], name) == 0)
            return sum[p];
    return 0;
}

void classifier_public_intent(const classifier *c, const classifier_guess *g, char *intent,
                              size_t size, double *p)
{
    double sum[CLASSIFIER_MAX_CLASSES];
    public_sums(c, g, sum);
    size_t best = 0;
    for (size_t k = 1; k < c->npublic; k++)
        if (sum[k] > sum[best])
            best = k;
    if (intent)
        snprintf(intent, size, "%s", c->public_names[best]);
    if (p)
        *p = sum[best];
}

void classifier_complaint_first(const classifier *c, const classifier_guess *g, double share,
                                char *intent, size_t size, double *p)
{
    static const char *const mistaken_for[] = {"out_of_scope", "smalltalk", "kb.answer"};
    char best[32];
    classifier_public_intent(c, g, best, sizeof best, p);
    snprintf(intent, size, "%s", best);
    double complaint = classifier_intent_p(c, g, "complaint.file");
    for (size_t i = 0; i < sizeof mistaken_for / sizeof mistaken_for[0]; i++)
        if (strcmp(best, mistaken_for[i]) == 0 && complaint > 0 && complaint >= share * *p) {
            snprintf(intent, size, "complaint.file");
            *p = complaint;
        }
}

/* ---- predicting ---- */

static void predict_decision(const decision *d, const feature_vec *f, classifier_guess *g)
{
    double score[CLASSIFIER_MAX_CLASSES];
    size_t k = d->nclass;
    for (size_t j = 0; j < k; j++)
        score[j] = d->bias[j];
    for (size_t i = 0; i < f->n; i++) {
        const float *w = d->w + (size_t)(f->index[i] - 1) * k;
        for (size_t j = 0; j < k; j++)
            score[j] += (double)w[j] * f->value[i];
    }
    double sum = 0;
    g->best = 0;
    for (size_t j = 0; j < k; j++) {
        g->p[j] = 1.0 / (1.0 + exp(-score[j]));
        sum += g->p[j];
        if (score[j] > score[g->best])
            g->best = j;
    }
    for (size_t j = 0; j < k; j++)
        g->p[j] /= sum;
    for (size_t j = k; j < CLASSIFIER_MAX_CLASSES; j++)
        g->p[j] = 0;
}

void classifier_predict(const classifier *c, const feature_vec *f, classifier_result *r)
{
    for (size_t d = 0; d < CLASSIFIER_DECISIONS; d++)
        predict_decision(&c->d[d], f, &r->d[d]);
}

/* ---- writing ---- */

sd_code classifier_from_image(void *image, size_t size, classifier **out, char *err, size_t errlen)
{
    *out = NULL;
    classifier *c = calloc(1, sizeof *c);
    if (!c) {
        free(image);
        return SD_ERR_NOMEM;
    }
    c->map = image;
    c->size = size;
    sd_code rc = check_and_index(c, "the trained model", err, errlen);
    if (rc != SD_OK) {
        classifier_free(c);
        return rc;
    }
    *out = c;
    return SD_OK;
}

sd_code classifier_image_begin(unsigned bits, image_buf *b)
{
    uint32_t header[4] = {CLASSIFIER_FORMAT, FEATURES_VERSION, bits, CLASSIFIER_DECISIONS};
    b->data = NULL;
    b->len = 0;
    return image_put(b, magic, sizeof magic) == SD_OK ? image_put(b, header, sizeof header)
                                                      : SD_ERR_NOMEM;
}

sd_code image_put(image_buf *b, const void *p, size_t n)
{
    unsigned char *t = realloc(b->data, b->len + n);
    if (!t)
        return SD_ERR_NOMEM;
    memcpy(t + b->len, p, n);
    b->data = t;
    b->len += n;
    return SD_OK;
}

sd_code classifier_save(const classifier *c, const char *path, char *err, size_t errlen)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return SD_ERR_IO;
    }
    bool ok = fwrite(c->map, 1, c->size, f) == c->size;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", ok ? path : tmp, strerror(errno));
        unlink(tmp);
        return SD_ERR_IO;
    }
    return SD_OK;
}

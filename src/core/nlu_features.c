/* nlu_features.c - hashed features of one line for the learned classifier.
 *
 * Residents write Korean without a morphological analyser's help: words glued together,
 * particles and endings on every noun, spacing as it comes, typos. So Korean is read as
 * characters, not words:
 *  - syllable bigrams of the text with its spaces removed (불법주차 and 불법 주차 give the
 *    same 불법, 법주, 주차), and single syllables and trigrams at half weight (cross-validation:
 *    trigrams at full weight fit the training titles more closely and generalised worse);
 *  - jamo trigrams (consonants and vowels of the syllables, in order) at half weight, so that a
 *    one-letter slip (쓰래기 for 쓰레기, 가로듯 for 가로등) still shares most of its features;
 *  - each space-separated word as a whole, which carries endings (해주세요, 있나요) intact.
 * English is read as stemmed words, word pairs and character 3- and 4-grams inside words (at
 * half weight: plurals, typos, run-together words). Digits are folded to 0 so that numbers
 * generalise. The grammar's gazetteer adds what it recognised: the category the words name, a
 * place of Seo-gu, a receipt or phone number. One feature gives the language, so each class
 * has a bias per language.
 *
 * Every feature is a 64-bit hash of its kind and text, cut to `bits` bits; collisions are
 * accepted (the model is trained on the same hashes). The vector is scaled to unit length so
 * short and long lines weigh alike. */
#include "nlu_features.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define MAX_CHARS 512 /* characters of one line that are read */

enum {
    F_LANG = 1,
    F_SYL1,
    F_SYL2,
    F_SYL3,
    F_JAMO3,
    F_WORD,
    F_EN_WORD,
    F_EN_PAIR,
    F_EN_CHARS,
    F_SLOT,
};

typedef struct {
    uint64_t hash[FEATURES_MAX];
    float value[FEATURES_MAX];
    size_t n;
} raw_features;

static uint64_t hash_bytes(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* splitmix64's finaliser: spreads the FNV hash over the top bits used as the index. */
static uint64_t finish(uint64_t h)
{
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

static uint64_t start_hash(int kind)
{
    unsigned char k = (unsigned char)kind;
    return hash_bytes(1469598103934665603ULL, &k, 1);
}

static void add(raw_features *f, uint64_t h, float value)
{
    if (f->n < FEATURES_MAX) {
        f->hash[f->n] = finish(h);
        f->value[f->n++] = value;
    }
}

static void add_codes(raw_features *f, int kind, const uint32_t *codes, size_t n, float value)
{
    add(f, hash_bytes(start_hash(kind), codes, n * sizeof *codes), value);
}

static void add_text(raw_features *f, int kind, const char *s, size_t n, float value)
{
    add(f, hash_bytes(start_hash(kind), s, n), value);
}

static bool is_latin_or_digit(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '\'';
}

static bool is_space_or_punct(uint32_t cp)
{
    if (cp < 0x80)
        return !is_latin_or_digit(cp);
    return (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
           (cp >= 0xFF00 && cp <= 0xFF0F);
}

/* Initial consonant, vowel and final consonant (when there is one) of a syllable, as codes that
 * never collide with each other; other characters are themselves. Returns how many. */
static size_t jamo_of(uint32_t cp, uint32_t out[3])
{
    if (!hangul_is_syllable(cp)) {
        out[0] = cp;
        return 1;
    }
    uint32_t s = cp - 0xAC00;
    out[0] = 0x1100 + s / 588;
    out[1] = 0x1161 + (s % 588) / 28;
    if (s % 28 == 0)
        return 2;
    out[2] = 0x11A7 + s % 28;
    return 3;
}

/* Korean (and anything else in a Korean line): syllables with spaces removed, their jamo, and
 * whole words. */
static void korean_features(const uint32_t *cps, size_t n, raw_features *f)
{
    uint32_t compact[MAX_CHARS];
    uint32_t jamo[MAX_CHARS * 3];
    size_t nc = 0, nj = 0;
    for (size_t i = 0; i < n; i++)
        if (!is_space_or_punct(cps[i])) {
            compact[nc++] = cps[i];
            nj += jamo_of(cps[i], jamo + nj);
        }
    for (size_t i = 0; i < nc; i++) {
        add_codes(f, F_SYL1, compact + i, 1, 0.5f);
        if (i + 1 < nc)
            add_codes(f, F_SYL2, compact + i, 2, 1.0f);
        if (i + 2 < nc)
            add_codes(f, F_SYL3, compact + i, 3, 0.5f);
    }
    for (size_t i = 0; i + 2 < nj; i++)
        add_codes(f, F_JAMO3, jamo + i, 3, 0.5f);
    size_t start = 0;
    for (size_t i = 0; i <= n; i++)
        if (i == n || is_space_or_punct(cps[i])) {
            if (i > start)
                add_codes(f, F_WORD, cps + start, i - start, 1.0f);
            start = i + 1;
        }
}

/* A light English stem: possessive 's, plural s and -ing/-ed endings cut. */
static size_t stem(const char *w, size_t n)
{
    if (n > 2 && w[n - 2] == '\'' && w[n - 1] == 's')
        return n - 2;
    if (n > 5 && memcmp(w + n - 3, "ing", 3) == 0)
        return n - 3;
    if (n > 4 && memcmp(w + n - 2, "ed", 2) == 0)
        return n - 2;
    if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i')
        return n - 1;
    return n;
}

/* English: stemmed words, adjacent pairs, and character 3- and 4-grams of each word framed by
 * spaces. Works on the ASCII letters and digits of the line; other characters separate. */
static void english_features(const char *s, size_t len, raw_features *f)
{
    uint64_t prev = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && !is_latin_or_digit((unsigned char)s[i]))
            i++;
        char word[64 + 2];
        size_t n = 0;
        word[n++] = ' ';
        while (i < len && is_latin_or_digit((unsigned char)s[i])) {
            if (n < 64)
                word[n++] = s[i] >= '0' && s[i] <= '9' ? '0' : s[i];
            i++;
        }
        if (n == 1)
            break;
        size_t stemmed = stem(word + 1, n - 1);
        uint64_t h = hash_bytes(start_hash(F_EN_WORD), word + 1, stemmed);
        add(f, h, 1.0f);
        if (prev)
            add(f, hash_bytes(hash_bytes(start_hash(F_EN_PAIR), &prev, sizeof prev), &h, sizeof h),
                1.0f);
        prev = h;
        word[n++] = ' ';
        for (size_t k = 0; k + 3 <= n; k++) {
            add_text(f, F_EN_CHARS, word + k, 3, 0.5f);
            if (k + 4 <= n)
                add_text(f, F_EN_CHARS, word + k, 4, 0.5f);
        }
    }
}

static void slot_features(const nlu_result *r, raw_features *f)
{
    if (r->category.set)
        add_text(f, F_SLOT, r->category.value, strlen(r->category.value), 1.0f);
    if (r->place.set)
        add_text(f, F_SLOT, "$place", 6, 1.0f);
    if (r->numbers.receipt.found)
        add_text(f, F_SLOT, "$receipt", 8, 1.0f);
    if (r->numbers.phone.found)
        add_text(f, F_SLOT, "$phone", 6, 1.0f);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Cuts the hashes to indices, merges duplicates (keeping the larger value) and scales the
 * vector to unit length. */
static void to_vector(const raw_features *f, unsigned bits, feature_vec *out)
{
    uint64_t order[FEATURES_MAX]; /* index in the high 32 bits, position in the low 32 */
    for (size_t i = 0; i < f->n; i++)
        order[i] = ((f->hash[i] >> (64 - bits)) + 1) << 32 | i;
    qsort(order, f->n, sizeof *order, cmp_u64);
    out->n = 0;
    double norm = 0;
    for (size_t i = 0; i < f->n; i++) {
        uint32_t index = (uint32_t)(order[i] >> 32);
        float value = f->value[order[i] & 0xFFFFFFFFu];
        if (out->n > 0 && out->index[out->n - 1] == index) {
            if (value > out->value[out->n - 1])
                out->value[out->n - 1] = value;
            continue;
        }
        out->index[out->n] = index;
        out->value[out->n++] = value;
    }
    for (size_t i = 0; i < out->n; i++)
        norm += (double)out->value[i] * out->value[i];
    float scale = norm > 0 ? (float)(1.0 / sqrt(norm)) : 0;
    for (size_t i = 0; i < out->n; i++)
        out->value[i] *= scale;
}

void features_of(const char *norm, const char *lang, const nlu_result *r, unsigned bits,
                 feature_vec *out)
{
    raw_features *f = malloc(sizeof *f);
    out->n = 0;
    if (!f)
        return;
    f->n = 0;
    bool korean = strcmp(lang, "ko") == 0;
    add_text(f, F_LANG, lang, strlen(lang), 1.0f);
    size_t len = strlen(norm);
    if (korean) {
        uint32_t cps[MAX_CHARS];
        size_t n = 0, i = 0;
        while (i < len && n < MAX_CHARS) {
            uint32_t cp;
            size_t k = utf8_decode_char(norm + i, len - i, &cp);
            if (k == 0) {
                i++;
                continue;
            }
            i += k;
            cps[n++] = cp >= '0' && cp <= '9' ? '0' : cp;
        }
        korean_features(cps, n, f);
    }
    english_features(norm, len, f);
    if (r)
        slot_features(r, f);
    to_vector(f, bits, out);
    free(f);
}

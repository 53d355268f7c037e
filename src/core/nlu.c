/* nlu.c - intent and slot understanding by similarity to the grammar's template sentences.
 *
 * How it works:
 *  1. Slots first. Every synonym of every slot value is a gazetteer pattern. Korean is matched
 *     on the text with its spaces removed, anywhere (particles glue onto names: 청라동에서),
 *     longest pattern first; English on word boundaries, allowing a plural s. Receipt and phone
 *     numbers come from entities.c. Each found span is replaced by its slot's mark character,
 *     the same mark the template expansion writes, so "청라동 불법주차 신고" and the template
 *     "$place $category 신고" look alike.
 *  2. Features. Korean text becomes syllable unigrams and bigrams with spaces removed (robust
 *     to spacing, particles, endings and one-letter typos); English becomes stemmed words and
 *     word pairs. Each feature is weighted by how few intents use it (an inverse document
 *     frequency over intents), so endings that every intent shares count little.
 *  3. Scoring. Every template is expanded into sentences (randomly sampled when a template has
 *     too many). A sentence scores the F-measure of its weighted overlap with the input,
 *     recall weighted over precision: a resident's complaint holds more than the template, but
 *     should hold most of it. An intent scores its best sentence. An inverted index from
 *     feature to sentences keeps this to the sentences that share a feature with the input.
 */
#include "nlu.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define EXPAND_CAP 3000   /* sentences per template before sampling takes over */
#define MAX_FEATURES 1024 /* features of one input; longer input is scored on its start */
#define MAX_UNITS 512
#define BETA2 4.0 /* F-beta with beta 2: recall counts four times precision */
#define KO_UNIGRAM_WEIGHT 0.5
#define EN_BIGRAM_WEIGHT 0.8

typedef struct {
    char *pattern;
    size_t len;
    uint32_t slot, value;
} gaz_entry;

typedef struct {
    char name[48];   /* as in the grammar: smalltalk/greeting */
    char intent[32]; /* public part: smalltalk */
    char topic[32];  /* after '/': greeting */
    bool dialog;
} topic;

struct nlu {
    const grammar *g;
    bool korean;
    gaz_entry *gaz; /* sorted longest first */
    size_t ngaz;
    uint32_t gaz_bucket[256 + 1]; /* entries by the first byte of their pattern */
    /* feature dictionary: open addressing, key -> id */
    uint64_t *keys;
    uint32_t *ids;
    size_t cap;
    size_t nfeatures;
    double *weight; /* per feature: idf times the kind factor, squared at use */
    double unknown_weight;
    /* sentences */
    uint32_t *sent_topic;
    double *sent_norm;
    size_t nsent, capsent;
    /* postings in compressed rows: sentences of feature f are post[post_start[f]..[f+1]) */
    uint32_t *post_start;
    uint32_t *post;
    topic *topics;
    size_t ntopics;
    size_t slot_category, slot_place, slot_receipt, slot_phone;
};

/* ---- feature keys ---- */

#define KIND_UNI (1ULL << 62)
#define KIND_BI (2ULL << 62)
#define KIND_MASK (3ULL << 62)

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Combines two 64-bit values (splitmix64's finaliser over a and b): every bit of the result
 * depends on every bit of both. */
static uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t h = a ^ (b + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2));
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

typedef struct {
    uint64_t key[MAX_FEATURES];
    size_t n;
} feature_set;

static void add_key(feature_set *fs, uint64_t key)
{
    for (size_t i = 0; i < fs->n; i++)
        if (fs->key[i] == key)
            return;
    if (fs->n < MAX_FEATURES)
        fs->key[fs->n++] = key;
}

static bool is_separator(uint32_t cp)
{
    if (cp < 0x80)
        return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
    return (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
           (cp >= 0xFF00 && cp <= 0xFF0F);
}

/* Korean: syllable (and mark) unigrams and bigrams, spaces and punctuation ignored. */
static void korean_features(const char *s, size_t len, feature_set *fs)
{
    uint32_t prev = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode_char(s + i, len - i, &cp);
        if (n == 0) {
            i++;
            continue;
        }
        i += n;
        if (is_separator(cp))
            continue;
        add_key(fs, KIND_UNI | cp);
        if (prev)
            add_key(fs, KIND_BI | ((uint64_t)prev << 21) | cp);
        prev = cp;
    }
}

static bool is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'' || c >= 0x80 ||
           (c >= 'A' && c <= 'Z');
}

/* English: stemmed words and adjacent word pairs. */
static void english_features(const char *s, size_t len, feature_set *fs)
{
    uint64_t prev = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && !is_word_byte((unsigned char)s[i]))
            i++;
        size_t start = i;
        while (i < len && is_word_byte((unsigned char)s[i]))
            i++;
        size_t n = i - start;
        if (n == 0)
            break;
        while (n > 0 && s[start + n - 1] == '\'')
            n--;
        if (n > 2 && s[start + n - 2] == '\'' && s[start + n - 1] == 's')
            n -= 2;
        else if (n > 3 && s[start + n - 1] == 's' && s[start + n - 2] != 's' &&
                 s[start + n - 2] != 'u' && s[start + n - 2] != 'i')
            n--;
        if (n == 0)
            continue;
        uint64_t h = fnv1a(s + start, n) & ~KIND_MASK;
        add_key(fs, KIND_UNI | h);
        if (prev)
            add_key(fs, KIND_BI | (mix(prev, h) & ~KIND_MASK));
        prev = h;
    }
}

static void features_of(const nlu *n, const char *s, size_t len, feature_set *fs)
{
    fs->n = 0;
    if (n->korean)
        korean_features(s, len, fs);
    else
        english_features(s, len, fs);
}

static double kind_factor(const nlu *n, uint64_t key)
{
    bool uni = (key & KIND_MASK) == KIND_UNI;
    if (n->korean)
        return uni ? KO_UNIGRAM_WEIGHT : 1.0;
    return uni ? 1.0 : EN_BIGRAM_WEIGHT;
}

/* ---- feature dictionary ---- */

static size_t slot_of(const nlu *n, uint64_t key)
{
    return (size_t)(mix(key, 0) & (n->cap - 1));
}

static uint32_t lookup(const nlu *n, uint64_t key)
{
    for (size_t i = slot_of(n, key);; i = (i + 1) & (n->cap - 1)) {
        if (n->ids[i] == UINT32_MAX)
            return UINT32_MAX;
        if (n->keys[i] == key)
            return n->ids[i];
    }
}

static bool rehash(nlu *n)
{
    size_t old_cap = n->cap;
    uint64_t *old_keys = n->keys;
    uint32_t *old_ids = n->ids;
    n->cap = old_cap ? old_cap * 2 : 4096;
    n->keys = malloc(n->cap * sizeof *n->keys);
    n->ids = malloc(n->cap * sizeof *n->ids);
    if (!n->keys || !n->ids)
        return false;
    memset(n->ids, 0xFF, n->cap * sizeof *n->ids);
    for (size_t i = 0; i < old_cap; i++) {
        if (old_ids[i] == UINT32_MAX)
            continue;
        size_t j = slot_of(n, old_keys[i]);
        while (n->ids[j] != UINT32_MAX)
            j = (j + 1) & (n->cap - 1);
        n->keys[j] = old_keys[i];
        n->ids[j] = old_ids[i];
    }
    free(old_keys);
    free(old_ids);
    return true;
}

static uint32_t intern(nlu *n, uint64_t key)
{
    if ((n->nfeatures + 1) * 2 > n->cap && !rehash(n))
        return UINT32_MAX;
    size_t i = slot_of(n, key);
    while (n->ids[i] != UINT32_MAX) {
        if (n->keys[i] == key)
            return n->ids[i];
        i = (i + 1) & (n->cap - 1);
    }
    n->keys[i] = key;
    n->ids[i] = (uint32_t)n->nfeatures;
    return (uint32_t)n->nfeatures++;
}

/* ---- building ---- */

typedef struct {
    nlu *n;
    /* sentence features, flattened: sentence i has feat[feat_start[i]..feat_start[i+1]) */
    uint32_t *feat;
    size_t nfeat, capfeat;
    uint32_t *feat_start;
    uint64_t *seen; /* hashes of sentences already indexed, to drop duplicates */
    size_t nseen, capseen;
    uint32_t current_topic;
    bool failed;
} builder;

static bool seen_before(builder *b, uint64_t h)
{
    if ((b->nseen + 1) * 2 > b->capseen) {
        size_t cap = b->capseen ? b->capseen * 2 : 8192;
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t)
            return (b->failed = true);
        for (size_t i = 0; i < b->capseen; i++)
            if (b->seen[i]) {
                size_t j = (size_t)(b->seen[i] & (cap - 1));
                while (t[j])
                    j = (j + 1) & (cap - 1);
                t[j] = b->seen[i];
            }
        free(b->seen);
        b->seen = t;
        b->capseen = cap;
    }
    h = h ? h : 1; /* 0 marks an empty place */
    size_t j = (size_t)(h & (b->capseen - 1));
    while (b->seen[j]) {
        if (b->seen[j] == h)
            return true;
        j = (j + 1) & (b->capseen - 1);
    }
    b->seen[j] = h;
    b->nseen++;
    return false;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int add_sentence(void *ctx, size_t intent, const char *sentence)
{
    (void)intent;
    builder *b = ctx;
    nlu *n = b->n;
    feature_set fs;
    features_of(n, sentence, strlen(sentence), &fs);
    if (fs.n == 0)
        return 0;
    uint32_t ids[MAX_FEATURES];
    for (size_t i = 0; i < fs.n; i++)
        if ((ids[i] = intern(n, fs.key[i])) == UINT32_MAX)
            return (b->failed = true);
    qsort(ids, fs.n, sizeof *ids, cmp_u32);
    uint64_t h = mix(b->current_topic, fs.n);
    for (size_t i = 0; i < fs.n; i++)
        h = mix(h, ids[i]);
    if (seen_before(b, h) || b->failed)
        return b->failed;
    if (n->nsent + 2 > n->capsent) {
        size_t cap = n->capsent ? n->capsent * 2 : 4096;
        uint32_t *t = realloc(n->sent_topic, cap * sizeof *t);
        uint32_t *fsst = realloc(b->feat_start, (cap + 1) * sizeof *fsst);
        if (t)
            n->sent_topic = t;
        if (fsst)
            b->feat_start = fsst;
        if (!t || !fsst)
            return (b->failed = true);
        n->capsent = cap;
    }
    if (b->nfeat + fs.n > b->capfeat) {
        size_t cap = b->capfeat ? b->capfeat * 2 : 65536;
        while (cap < b->nfeat + fs.n)
            cap *= 2;
        uint32_t *t = realloc(b->feat, cap * sizeof *t);
        if (!t)
            return (b->failed = true);
        b->feat = t;
        b->capfeat = cap;
    }
    b->feat_start[n->nsent] = (uint32_t)b->nfeat;
    memcpy(b->feat + b->nfeat, ids, fs.n * sizeof *ids);
    b->nfeat += fs.n;
    n->sent_topic[n->nsent++] = b->current_topic;
    b->feat_start[n->nsent] = (uint32_t)b->nfeat;
    return 0;
}

static sd_code index_templates(nlu *n, builder *b)
{
    const grammar *g = n->g;
    for (size_t t = 0; t < n->ntopics; t++) {
        b->current_topic = (uint32_t)t;
        for (size_t k = 0; k < grammar_template_count(g, t); k++) {
            size_t count = grammar_expansion_count(g, t, k, EXPAND_CAP + 1);
            if (count <= EXPAND_CAP) {
                if (grammar_expand(g, t, k, EXPAND_CAP, add_sentence, b) != SD_OK)
                    return SD_ERR_NOMEM;
                continue;
            }
            unsigned long seed = (unsigned long)(t * 7919 + k * 104729 + 1);
            for (size_t i = 0; i < EXPAND_CAP && !b->failed; i++)
                if (grammar_sample(g, t, k, &seed, add_sentence, b) != SD_OK)
                    return SD_ERR_NOMEM;
        }
        if (b->failed)
            return SD_ERR_NOMEM;
    }
    return SD_OK;
}

/* Weights from intent frequency, sentence norms, and the postings lists. */
static sd_code finish_index(nlu *n, builder *b)
{
    size_t nf = n->nfeatures;
    uint64_t *topic_mask = calloc(nf ? nf : 1, sizeof *topic_mask);
    n->weight = calloc(nf ? nf : 1, sizeof *n->weight);
    n->sent_norm = calloc(n->nsent ? n->nsent : 1, sizeof *n->sent_norm);
    n->post_start = calloc(nf + 1, sizeof *n->post_start);
    n->post = malloc((b->nfeat ? b->nfeat : 1) * sizeof *n->post);
    if (!topic_mask || !n->weight || !n->sent_norm || !n->post_start || !n->post) {
        free(topic_mask);
        return SD_ERR_NOMEM;
    }
    for (size_t s = 0; s < n->nsent; s++)
        for (uint32_t i = b->feat_start[s]; i < b->feat_start[s + 1]; i++) {
            topic_mask[b->feat[i]] |= 1ULL << (n->sent_topic[s] % 64);
            n->post_start[b->feat[i] + 1]++;
        }
    double ntopics = (double)n->ntopics;
    for (size_t f = 0; f < nf; f++) {
        double df = (double)__builtin_popcountll(topic_mask[f]);
        n->weight[f] = log(1.0 + ntopics / (df > 0 ? df : 1));
    }
    for (size_t i = 0; i < n->cap; i++)
        if (n->ids[i] != UINT32_MAX)
            n->weight[n->ids[i]] *= kind_factor(n, n->keys[i]);
    n->unknown_weight = 0.6 * log(1.0 + ntopics);
    free(topic_mask);
    for (size_t f = 0; f < nf; f++)
        n->post_start[f + 1] += n->post_start[f];
    uint32_t *fill = calloc(nf ? nf : 1, sizeof *fill);
    if (!fill)
        return SD_ERR_NOMEM;
    for (size_t s = 0; s < n->nsent; s++)
        for (uint32_t i = b->feat_start[s]; i < b->feat_start[s + 1]; i++) {
            uint32_t f = b->feat[i];
            n->post[n->post_start[f] + fill[f]++] = (uint32_t)s;
            n->sent_norm[s] += n->weight[f] * n->weight[f];
        }
    free(fill);
    return SD_OK;
}

static void split_topic(topic *t, const char *name)
{
    snprintf(t->name, sizeof t->name, "%s", name);
    const char *slash = strchr(name, '/');
    size_t ilen = slash ? (size_t)(slash - name) : strlen(name);
    snprintf(t->intent, sizeof t->intent, "%.*s", (int)ilen, name);
    snprintf(t->topic, sizeof t->topic, "%s", slash ? slash + 1 : "");
    t->dialog = strcmp(t->intent, "dialog") == 0;
}

static sd_code build_gazetteer(nlu *n);

sd_code nlu_build(const grammar *g, nlu **out)
{
    *out = NULL;
    nlu *n = calloc(1, sizeof *n);
    if (!n)
        return SD_ERR_NOMEM;
    n->g = g;
    n->korean = strcmp(grammar_lang(g), "ko") == 0;
    n->slot_category = grammar_slot_find(g, "category");
    n->slot_place = grammar_slot_find(g, "place");
    n->slot_receipt = grammar_slot_find(g, "receipt");
    n->slot_phone = grammar_slot_find(g, "phone");
    n->ntopics = grammar_intent_count(g);
    n->topics = calloc(n->ntopics ? n->ntopics : 1, sizeof *n->topics);
    builder b = {.n = n};
    sd_code rc = (n->topics && rehash(n)) ? SD_OK : SD_ERR_NOMEM;
    for (size_t t = 0; rc == SD_OK && t < n->ntopics; t++)
        split_topic(&n->topics[t], grammar_intent_name(g, t));
    if (rc == SD_OK)
        rc = build_gazetteer(n);
    if (rc == SD_OK)
        rc = index_templates(n, &b);
    if (rc == SD_OK)
        rc = finish_index(n, &b);
    free(b.feat);
    free(b.feat_start);
    free(b.seen);
    if (rc != SD_OK) {
        nlu_free(n);
        return rc;
    }
    *out = n;
    return SD_OK;
}

void nlu_free(nlu *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->ngaz; i++)
        free(n->gaz[i].pattern);
    free(n->gaz);
    free(n->keys);
    free(n->ids);
    free(n->weight);
    free(n->sent_topic);
    free(n->sent_norm);
    free(n->post_start);
    free(n->post);
    free(n->topics);
    free(n);
}

size_t nlu_sentence_count(const nlu *n)
{
    return n->nsent;
}

/* ---- gazetteer ---- */

/* Korean patterns are matched with spaces removed; English ones keep single spaces. */
static size_t compact_into(const nlu *n, const char *s, char *out, size_t outsize)
{
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; s[i] && o + 1 < outsize; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c == ' ' || c == '-') {
            space = true;
            continue;
        }
        if (space && !n->korean && o > 0 && o + 2 < outsize)
            out[o++] = ' ';
        space = false;
        out[o++] = c;
    }
    out[o] = '\0';
    return o;
}

static int cmp_gaz(const void *a, const void *b)
{
    const gaz_entry *x = a, *y = b;
    if ((unsigned char)x->pattern[0] != (unsigned char)y->pattern[0])
        return (unsigned char)x->pattern[0] - (unsigned char)y->pattern[0];
    return (x->len < y->len) - (x->len > y->len);
}

static sd_code build_gazetteer(nlu *n)
{
    const grammar *g = n->g;
    size_t total = 0;
    for (size_t s = 0; s < grammar_slot_count(g); s++)
        for (size_t v = 0; v < grammar_slot_value_count(g, s); v++)
            total += grammar_slot_synonym_count(g, s, v);
    n->gaz = calloc(total ? total : 1, sizeof *n->gaz);
    if (!n->gaz)
        return SD_ERR_NOMEM;
    size_t digit = grammar_slot_find(g, "digit");
    for (size_t s = 0; s < grammar_slot_count(g); s++) {
        if (s == digit) /* digits are read by entities.c, in context */
            continue;
        for (size_t v = 0; v < grammar_slot_value_count(g, s); v++)
            for (size_t k = 0; k < grammar_slot_synonym_count(g, s, v); k++) {
                char buf[256];
                size_t len = compact_into(n, grammar_slot_synonym(g, s, v, k), buf, sizeof buf);
                if (len == 0)
                    continue;
                gaz_entry *e = &n->gaz[n->ngaz];
                if (!(e->pattern = strdup(buf)))
                    return SD_ERR_NOMEM;
                e->len = len;
                e->slot = (uint32_t)s;
                e->value = (uint32_t)v;
                n->ngaz++;
            }
    }
    qsort(n->gaz, n->ngaz, sizeof *n->gaz, cmp_gaz);
    size_t i = 0;
    for (unsigned b = 0; b <= 256; b++) {
        while (i < n->ngaz && (unsigned char)n->gaz[i].pattern[0] < b)
            i++;
        n->gaz_bucket[b] = (uint32_t)i;
    }
    return SD_OK;
}

typedef struct {
    size_t start, end; /* in the normalised text */
    uint32_t slot, value;
} span;

typedef struct {
    span spans[32];
    size_t n;
} span_list;

static bool overlaps(const span_list *sl, size_t start, size_t end)
{
    for (size_t i = 0; i < sl->n; i++)
        if (start < sl->spans[i].end && sl->spans[i].start < end)
            return true;
    return false;
}

static void add_span(span_list *sl, size_t start, size_t end, uint32_t slot, uint32_t value)
{
    if (sl->n < sizeof sl->spans / sizeof sl->spans[0] && !overlaps(sl, start, end))
        sl->spans[sl->n++] = (span){start, end, slot, value};
}

static bool word_end_ok(const char *s, size_t at)
{
    unsigned char c = (unsigned char)s[at];
    if (c == 's' || c == '\'')
        c = (unsigned char)s[at + 1] == 's' ? (unsigned char)s[at + 2] : (unsigned char)s[at + 1];
    return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
}

static size_t plural_tail(const char *s, size_t at)
{
    if (s[at] == 's' && word_end_ok(s, at + 1))
        return 1;
    if (s[at] == '\'' && s[at + 1] == 's')
        return 2;
    return 0;
}

/* Finds slot synonyms in text; map[i] is the offset in norm of compact byte i. */
static void match_gazetteer(const nlu *n, const char *compact, size_t clen, const size_t *map,
                            size_t norm_len, span_list *out)
{
    size_t i = 0;
    while (i < clen) {
        unsigned char c = (unsigned char)compact[i];
        bool at_word = n->korean || i == 0 || compact[i - 1] == ' ';
        size_t matched = 0;
        if (at_word && (c & 0xC0) != 0x80) {
            for (uint32_t k = n->gaz_bucket[c]; k < n->gaz_bucket[c + 1]; k++) {
                const gaz_entry *e = &n->gaz[k];
                if (e->len > clen - i || memcmp(compact + i, e->pattern, e->len) != 0)
                    continue;
                size_t end = i + e->len;
                if (!n->korean && !word_end_ok(compact, end))
                    continue;
                if (!n->korean)
                    end += plural_tail(compact, end);
                add_span(out, map[i], end < clen ? map[end] : norm_len, e->slot, e->value);
                matched = end - i;
                break;
            }
        }
        i += matched ? matched : 1;
    }
}

static void slot_from_span(const nlu *n, const span *sp, nlu_slot *slot)
{
    if (slot->set)
        return;
    slot->set = true;
    snprintf(slot->value, sizeof slot->value, "%s", grammar_slot_value(n->g, sp->slot, sp->value));
    slot->start = sp->start;
    slot->end = sp->end;
}

static void find_slots(const nlu *n, const char *norm, size_t len, span_list *spans, nlu_result *r)
{
    /* numbers first: their digits must not be read as anything else */
    if (r->numbers.receipt.found)
        add_span(spans, r->numbers.receipt.start, r->numbers.receipt.end, (uint32_t)n->slot_receipt,
                 0);
    if (r->numbers.phone.found)
        add_span(spans, r->numbers.phone.start, r->numbers.phone.end, (uint32_t)n->slot_phone, 0);
    char compact[2048];
    size_t map[2048];
    size_t clen = 0;
    bool space = false;
    for (size_t i = 0; i < len && clen + 2 < sizeof compact; i++) {
        if (norm[i] == ' ' || norm[i] == '-') {
            space = true;
            continue;
        }
        if (space && !n->korean && clen > 0) {
            map[clen] = i - 1;
            compact[clen++] = ' ';
        }
        space = false;
        map[clen] = i;
        compact[clen++] = norm[i];
    }
    compact[clen] = '\0';
    match_gazetteer(n, compact, clen, map, len, spans);
    for (size_t i = 0; i < spans->n; i++) {
        const span *sp = &spans->spans[i];
        const char *value = sp->slot < grammar_slot_count(n->g) &&
                                    grammar_slot_value_count(n->g, sp->slot) > sp->value
                                ? grammar_slot_value(n->g, sp->slot, sp->value)
                                : "";
        if (sp->slot == n->slot_category && strcmp(value, "_none") != 0)
            slot_from_span(n, sp, &r->category);
        else if (sp->slot == n->slot_place) {
            if (r->place.set && strcmp(r->place.value, NLU_PLACE_HERE) == 0 &&
                strcmp(value, NLU_PLACE_HERE) != 0)
                r->place.set = false; /* "바로 앞 청라역": the name says more than "here" */
            slot_from_span(n, sp, &r->place);
        }
    }
}

/* The text the features are taken from: slot spans replaced by their marks ("_none" spans keep
 * their words). Also counts the letters left outside slots. */
static size_t marked_text(const nlu *n, const char *norm, size_t len, const span_list *spans,
                          char *out, size_t outsize, size_t *content)
{
    size_t o = 0;
    *content = 0;
    size_t i = 0;
    while (i < len && o + 8 < outsize) {
        const span *hit = NULL;
        for (size_t k = 0; k < spans->n; k++)
            if (spans->spans[k].start == i)
                hit = &spans->spans[k];
        bool none = hit && hit->slot == n->slot_category &&
                    strcmp(grammar_slot_value(n->g, hit->slot, hit->value), "_none") == 0;
        if (hit && !none) {
            out[o++] = ' ';
            o += utf8_encode_char(GRAMMAR_SLOT_MARK + hit->slot, out + o);
            out[o++] = ' ';
            i = hit->end;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_decode_char(norm + i, len - i, &cp);
        if (k == 0)
            k = 1;
        else if (!is_separator(cp))
            (*content)++;
        memcpy(out + o, norm + i, k);
        o += k;
        i += k;
    }
    out[o] = '\0';
    return o;
}

/* ---- scoring ---- */

static void score(const nlu *n, const feature_set *fs, nlu_result *r)
{
    uint32_t ids[MAX_FEATURES];
    double qnorm = 0;
    size_t known = 0;
    for (size_t i = 0; i < fs->n; i++) {
        uint32_t id = lookup(n, fs->key[i]);
        if (id == UINT32_MAX) {
            double w = n->unknown_weight * kind_factor(n, fs->key[i]);
            qnorm += w * w;
        } else {
            ids[known++] = id;
            qnorm += n->weight[id] * n->weight[id];
        }
    }
    double best[64] = {0};
    double best_explained[64] = {0};
    if (known > 0 && qnorm > 0) {
        /* Dot products accumulated from the postings lists, then one pass over them all: a
         * plain sweep of a few thousand sentences beats tracking which ones were touched. */
        double *dot = calloc(n->nsent, sizeof *dot);
        if (dot) {
            for (size_t i = 0; i < known; i++) {
                double w2 = n->weight[ids[i]] * n->weight[ids[i]];
                for (uint32_t p = n->post_start[ids[i]]; p < n->post_start[ids[i] + 1]; p++)
                    dot[n->post[p]] += w2;
            }
            for (size_t s = 0; s < n->nsent; s++) {
                if (dot[s] == 0)
                    continue;
                /* F-beta of precision dot/qnorm and recall dot/sent_norm, with one division. */
                double f = (1 + BETA2) * dot[s] / (BETA2 * n->sent_norm[s] + qnorm);
                uint32_t t = n->sent_topic[s] % 64;
                if (f > best[t]) {
                    best[t] = f;
                    best_explained[t] = dot[s] / qnorm;
                }
            }
        }
        free(dot);
    }
    size_t top = SIZE_MAX, top_dialog = SIZE_MAX;
    for (size_t t = 0; t < n->ntopics && t < 64; t++) {
        if (n->topics[t].dialog) {
            if (top_dialog == SIZE_MAX || best[t] > best[top_dialog])
                top_dialog = t;
        } else if (top == SIZE_MAX || best[t] > best[top]) {
            top = t;
        }
    }
    if (top != SIZE_MAX) {
        snprintf(r->intent, sizeof r->intent, "%s", n->topics[top].intent);
        snprintf(r->topic, sizeof r->topic, "%s", n->topics[top].topic);
        r->confidence = best[top];
        r->explained = best_explained[top];
        for (size_t t = 0; t < n->ntopics && t < 64; t++)
            if (!n->topics[t].dialog && strcmp(n->topics[t].intent, n->topics[top].intent) != 0 &&
                best[t] > r->second)
                r->second = best[t];
    }
    if (top_dialog != SIZE_MAX && best[top_dialog] > 0) {
        snprintf(r->dialog, sizeof r->dialog, "%s", n->topics[top_dialog].topic);
        r->dialog_confidence = best[top_dialog];
    }
}

void nlu_understand(const nlu *n, const char *norm, int this_year, nlu_result *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->intent, sizeof r->intent, "out_of_scope");
    size_t len = strlen(norm);
    if (len > MAX_UNITS * 4)
        len = MAX_UNITS * 4;
    while (len > 0 && ((unsigned char)norm[len] & 0xC0) == 0x80)
        len--; /* never cut a character in half */
    entities_scan(norm, len, n->g, this_year, &r->numbers);
    span_list spans = {.n = 0};
    find_slots(n, norm, len, &spans, r);
    char marked[MAX_UNITS * 4 + 256];
    size_t mlen = marked_text(n, norm, len, &spans, marked, sizeof marked, &r->content_length);
    feature_set *fs = malloc(sizeof *fs);
    if (!fs)
        return;
    features_of(n, marked, mlen, fs);
    score(n, fs, r);
    free(fs);
}

/* ---- normalisation ---- */

static void normalize(const char *text, size_t len, bool fold_case, char *out, size_t outsize)
{
    size_t o = 0;
    bool pending_space = false;
    size_t i = 0;
    while (i < len && o + 5 < outsize) {
        uint32_t cp;
        size_t k = utf8_decode_char(text + i, len - i, &cp);
        if (k == 0) {
            i++;
            continue;
        }
        i += k;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0; /* full-width ASCII */
        if (fold_case && cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        if (cp < 0x20 || cp == 0x7F || cp == ' ' || cp == 0x3000 || cp == 0xA0 ||
            (cp >= 0x80 && cp < 0xA0) || cp == 0x200B || cp == 0xFEFF) {
            pending_space = o > 0;
            continue;
        }
        if (pending_space)
            out[o++] = ' ';
        pending_space = false;
        o += utf8_encode_char(cp, out + o);
    }
    out[o] = '\0';
}

void nlu_normalize(const char *text, size_t len, char *out, size_t outsize)
{
    normalize(text, len, true, out, outsize);
}

void nlu_normalize_cased(const char *text, size_t len, char *out, size_t outsize)
{
    normalize(text, len, false, out, outsize);
}

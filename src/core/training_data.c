/* training_data.c - gathering the learned model's examples (see training_data.h for the
 * sources).
 *
 * Corpus rows have one layout (scripts/split_corpora.py writes it): text, lang, intent,
 * category, department, source. A department counts as a label only when it is a code of
 * data/departments.tsv ("other" and "transfer" rows teach the intent and category only).
 * Grammar sentences: every public intent's templates are sampled (SENTENCES_PER_TEMPLATE each,
 * from a fixed seed) and each slot mark replaced by a synonym of a value drawn from the slot's
 * table, so the model learns the gazetteer's words in the places residents put them; a
 * complaint sentence naming a category is labelled with it, one naming none (and such a
 * sentence of the tuning set) with CLASSIFIER_CATEGORY_UNSAID, so that the model can tell
 * "민원 넣을게요" from a problem no category fits. Departments are learned only from
 * where real complaints went (and data/department_words.tsv): labelling the grammar's and the
 * tuning set's sentences with their category's default department taught the model that
 * routing table, and cost the real complaints' department 3 points in cross-validation. */
#include "training_data.h"

#include <dirent.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "nlu.h"
#include "textfile.h"
#include "utf8.h"

#define SENTENCES_PER_TEMPLATE 24
/* Real complaints in residents' own Korean words are few (a few hundred titles beside ten
 * thousand chat lines) and are what the office exists for: each counts this many times (an
 * example weight; liblinear 2.3 has none). Cross-validation: 3 gave ko-complaints 85% filed,
 * 87% category, against 79% and 81% at 1, with chat and out-of-scope lines unchanged. */
#define REAL_COMPLAINT_REPEAT 3
#define MAX_CODES 64
#define CODE_MAX 32
#define TEXT_MAX 2048

struct training_data {
    char dir[1024];
    unsigned bits;
    grammar *g[2]; /* ko, en */
    nlu *n[2];
    char departments[MAX_CODES][CODE_MAX];
    size_t ndepartments;
    /* hashes of the normalised lines never to train on: tests/devset and the held-out corpora */
    uint64_t *held;
    size_t nheld, capheld;
    classifier_examples *x;
    training_row *rows;
    char **strings; /* every string a row points to, to free */
    size_t nrows, caprows, nstrings, capstrings;
    unsigned long seed;
};

static int lang_index(const char *lang)
{
    return strcmp(lang, "en") == 0;
}

/* ---- lines kept out of training ---- */

static uint64_t line_hash(const char *text)
{
    char norm[TEXT_MAX];
    nlu_normalize(text, strlen(text), norm, sizeof norm);
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = norm; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h ? h : 1;
}

static bool held_out(const training_data *t, const char *text)
{
    if (!t->capheld)
        return false;
    uint64_t h = line_hash(text);
    for (size_t i = h & (t->capheld - 1); t->held[i]; i = (i + 1) & (t->capheld - 1))
        if (t->held[i] == h)
            return true;
    return false;
}

static sd_code hold_out(training_data *t, const char *text)
{
    if ((t->nheld + 1) * 2 > t->capheld) {
        size_t cap = t->capheld ? t->capheld * 2 : 8192;
        uint64_t *n = calloc(cap, sizeof *n);
        if (!n)
            return SD_ERR_NOMEM;
        for (size_t i = 0; i < t->capheld; i++)
            if (t->held[i]) {
                size_t j = t->held[i] & (cap - 1);
                while (n[j])
                    j = (j + 1) & (cap - 1);
                n[j] = t->held[i];
            }
        free(t->held);
        t->held = n;
        t->capheld = cap;
    }
    if (held_out(t, text))
        return SD_OK;
    uint64_t h = line_hash(text);
    size_t j = h & (t->capheld - 1);
    while (t->held[j])
        j = (j + 1) & (t->capheld - 1);
    t->held[j] = h;
    t->nheld++;
    return SD_OK;
}

typedef struct {
    training_data *t;
    int column; /* of the text */
} held_reader;

static sd_code held_line(void *ctx, char *line, int lineno)
{
    (void)lineno;
    held_reader *r = ctx;
    char *p = line;
    for (int c = 0; c < r->column && p; c++)
        if ((p = strchr(p, '\t')))
            p++;
    if (!p)
        return SD_OK;
    char *end = strchr(p, '\t');
    if (end)
        *end = '\0';
    return hold_out(r->t, p);
}

/* The dev set's sentences and every held-out corpus line, wherever else they appear (the
 * grammar says "안녕하세요" too): only ever scored, never learned. */
static sd_code read_held_out(training_data *t, char *err, size_t errlen)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/tests/devset/devset.tsv", t->dir);
    held_reader dev = {t, 3};
    sd_code rc = textfile_each_line(path, held_line, &dev, err, errlen);
    snprintf(path, sizeof path, "%s/data/corpora/heldout", t->dir);
    DIR *d = rc == SD_OK ? opendir(path) : NULL;
    struct dirent *e;
    while (d && rc == SD_OK && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".tsv") != 0)
            continue;
        char file[1400];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        held_reader corpus = {t, 0};
        rc = textfile_each_line(file, held_line, &corpus, err, errlen);
    }
    if (d)
        closedir(d);
    return rc;
}

/* ---- reference tables ---- */

static sd_code department_line(void *ctx, char *line, int lineno)
{
    (void)lineno;
    training_data *t = ctx;
    char *tab = strchr(line, '\t');
    if (tab)
        *tab = '\0';
    if (t->ndepartments < MAX_CODES)
        snprintf(t->departments[t->ndepartments++], CODE_MAX, "%s", line);
    return SD_OK;
}

static bool is_department(const training_data *t, const char *code)
{
    for (size_t i = 0; i < t->ndepartments; i++)
        if (strcmp(t->departments[i], code) == 0)
            return true;
    return false;
}

sd_code training_data_new(const char *data_dir, unsigned bits, training_data **out, char *err,
                          size_t errlen)
{
    *out = NULL;
    training_data *t = calloc(1, sizeof *t);
    if (!t)
        return SD_ERR_NOMEM;
    snprintf(t->dir, sizeof t->dir, "%s", data_dir);
    t->bits = bits;
    t->seed = 18;
    char path[1100];
    sd_code rc = (t->x = classifier_examples_new(bits)) ? SD_OK : SD_ERR_INVALID;
    if (rc != SD_OK)
        snprintf(err, errlen, "a feature hash of %u bits is not possible (%d to %d)", bits,
                 FEATURES_MIN_BITS, FEATURES_MAX_BITS);
    snprintf(path, sizeof path, "%s/grammars", data_dir);
    for (int l = 0; rc == SD_OK && l < 2; l++) {
        rc = grammar_load(path, l ? "en" : "ko", &t->g[l], err, errlen);
        if (rc == SD_OK && (rc = nlu_build(t->g[l], &t->n[l])) != SD_OK)
            snprintf(err, errlen, "building the matcher: %s", sd_strerror(rc));
    }
    snprintf(path, sizeof path, "%s/data/departments.tsv", data_dir);
    if (rc == SD_OK)
        rc = textfile_each_line(path, department_line, t, err, errlen);
    if (rc == SD_OK)
        rc = read_held_out(t, err, errlen);
    if (rc != SD_OK) {
        training_data_free(t);
        return rc;
    }
    *out = t;
    return SD_OK;
}

void training_data_free(training_data *t)
{
    if (!t)
        return;
    for (int l = 0; l < 2; l++) {
        nlu_free(t->n[l]);
        grammar_free(t->g[l]);
    }
    classifier_examples_free(t->x);
    free(t->held);
    for (size_t i = 0; i < t->nstrings; i++)
        free(t->strings[i]);
    free(t->strings);
    free(t->rows);
    free(t);
}

const classifier_examples *training_data_examples(const training_data *t)
{
    return t->x;
}

size_t training_data_count(const training_data *t)
{
    return t->nrows;
}

const training_row *training_data_row(const training_data *t, size_t i)
{
    return &t->rows[i];
}

void training_data_features(const training_data *t, const char *text, const char *lang,
                            unsigned bits, feature_vec *out)
{
    char norm[TEXT_MAX];
    nlu_normalize(text, strlen(text), norm, sizeof norm);
    nlu_result r;
    nlu_understand(t->n[lang_index(lang)], norm, 2026, &r);
    features_of(norm, lang, &r, bits, out);
}

/* Cuts line at its tabs into at most max columns; returns how many there are. */
static int split_columns(char *line, char **col, int max)
{
    int n = 0;
    for (char *p = line; p && n < max; n++) {
        col[n] = p;
        p = strchr(p, '\t');
        if (p)
            *p++ = '\0';
    }
    return n;
}

/* ---- adding one example ---- */

static const char *keep_string(training_data *t, const char *s)
{
    if (t->nstrings == t->capstrings) {
        size_t cap = t->capstrings ? t->capstrings * 2 : 4096;
        char **p = realloc(t->strings, cap * sizeof *p);
        if (!p)
            return NULL;
        t->strings = p;
        t->capstrings = cap;
    }
    char *copy = strdup(s ? s : "");
    if (copy)
        t->strings[t->nstrings++] = copy;
    return copy;
}

static sd_code add_example(training_data *t, const char *source, const char *text, const char *lang,
                           const char *intent, const char *category, const char *department)
{
    if (!utf8_valid(text, strlen(text)) || strcmp(intent, "intent") == 0 || held_out(t, text))
        return SD_OK;
    if (department && !is_department(t, department))
        department = "";
    if (*intent && strcmp(intent, "complaint.file") != 0)
        category = department = "";
    feature_vec *f = malloc(sizeof *f);
    if (!f)
        return SD_ERR_NOMEM;
    training_data_features(t, text, lang, t->bits, f);
    sd_code rc = classifier_examples_add(t->x, f, intent, category, department);
    free(f);
    if (rc != SD_OK)
        return rc;
    if (t->nrows == t->caprows) {
        size_t cap = t->caprows ? t->caprows * 2 : 4096;
        training_row *r = realloc(t->rows, cap * sizeof *r);
        if (!r)
            return SD_ERR_NOMEM;
        t->rows = r;
        t->caprows = cap;
    }
    training_row row = {keep_string(t, source),
                        keep_string(t, text),
                        keep_string(t, lang),
                        keep_string(t, intent),
                        keep_string(t, category ? category : ""),
                        keep_string(t, department ? department : "")};
    if (!row.source || !row.text || !row.lang || !row.intent || !row.category || !row.department)
        return SD_ERR_NOMEM;
    t->rows[t->nrows++] = row;
    return SD_OK;
}

/* ---- the corpora ---- */

typedef struct {
    training_data *t;
    const char *source;
    const char *path;
    char *err;
    size_t errlen;
} file_reader;

static sd_code corpus_line(void *ctx, char *line, int lineno)
{
    file_reader *fr = ctx;
    char *col[6] = {0};
    int n = split_columns(line, col, 6);
    if (n < 5) {
        snprintf(fr->err, fr->errlen, "%s:%d: expected text, lang, intent, category, department",
                 fr->path, lineno);
        return SD_ERR_PARSE;
    }
    if (lineno == 1 && strcmp(col[0], "text") == 0)
        return SD_OK;
    int repeat = strncmp(fr->source, "ko-complaints", 13) == 0 ? REAL_COMPLAINT_REPEAT : 1;
    /* CLINC's small talk is thirteen intents (jokes, who made you, hobbies...): each is its own
     * class, summed into smalltalk by the engine, because one linear class cannot hold them
     * all apart from the out-of-scope requests. */
    char intent[CODE_MAX + 32];
    bool clinc_chat = strncmp(fr->source, "clinc", 5) == 0 && strcmp(col[2], "smalltalk") == 0;
    snprintf(intent, sizeof intent, "%s%s%.31s", col[2], clinc_chat ? "/" : "",
             clinc_chat && col[5] ? col[5] : "");
    sd_code rc = SD_OK;
    for (int i = 0; i < repeat && rc == SD_OK; i++)
        rc = add_example(fr->t, fr->source, col[0], col[1], intent, col[3], col[4]);
    if (rc == SD_ERR_INVALID)
        snprintf(fr->err, fr->errlen, "%s:%d: a label is too long or there are too many classes",
                 fr->path, lineno);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .tsv file of data/corpora/train, in name order (the model must not depend on the order
 * a directory lists its files). */
static sd_code add_corpora(training_data *t, char *err, size_t errlen)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/data/corpora/train", t->dir);
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: cannot open the training corpora", dir);
        return SD_ERR_IO;
    }
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".tsv") == 0 && (names[n] = strdup(e->d_name)))
            n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    sd_code rc = SD_OK;
    for (size_t i = 0; i < n; i++) {
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        file_reader fr = {t, names[i], path, err, errlen};
        if (rc == SD_OK)
            rc = textfile_each_line(path, corpus_line, &fr, err, errlen);
        free(names[i]);
    }
    return rc;
}

/* ---- the knowledge base's own questions ---- */

/* Each entry's title and example questions, in both languages, are questions the knowledge
 * base answers: kb.answer. */
static sd_code add_kb_json(training_data *t, char *err, size_t errlen)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/data/kb.json", t->dir);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        snprintf(err, errlen, "%s:%d: %s", path, jerr.line, jerr.text);
        return SD_ERR_PARSE;
    }
    sd_code rc = SD_OK;
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(root, "entries"), i, entry)
    {
        for (int l = 0; rc == SD_OK && l < 2; l++) {
            json_t *side = json_object_get(entry, l ? "en" : "ko");
            size_t k;
            json_t *q;
            const char *title = json_string_value(json_object_get(side, "title"));
            if (title)
                rc = add_example(t, "kb", title, l ? "en" : "ko", "kb.answer", "", "");
            json_array_foreach(json_object_get(side, "questions"), k, q)
            {
                if (rc == SD_OK && json_string_value(q))
                    rc = add_example(t, "kb", json_string_value(q), l ? "en" : "ko", "kb.answer",
                                     "", "");
            }
        }
    }
    json_decref(root);
    return rc;
}

/* ---- the departments' words ---- */

/* data/department_words.tsv: code, Korean words, English words; each word teaches the
 * department decision alone. */
static sd_code department_words_line(void *ctx, char *line, int lineno)
{
    file_reader *fr = ctx;
    char *col[3] = {0};
    int n = split_columns(line, col, 3);
    if (n < 3 || !is_department(fr->t, col[0])) {
        snprintf(fr->err, fr->errlen,
                 "%s:%d: expected a department code of data/departments.tsv, "
                 "Korean words and English words",
                 fr->path, lineno);
        return SD_ERR_PARSE;
    }
    sd_code rc = SD_OK;
    for (int l = 1; l <= 2; l++)
        for (char *save = NULL, *w = strtok_r(col[l], "|", &save); w && rc == SD_OK;
             w = strtok_r(NULL, "|", &save))
            rc = add_example(fr->t, "department words", w, l == 1 ? "ko" : "en", "", "", col[0]);
    return rc;
}

/* ---- the tuning set ---- */

static sd_code tune_line(void *ctx, char *line, int lineno)
{
    file_reader *fr = ctx;
    char *col[4] = {0};
    int n = split_columns(line, col, 4);
    if (n < 4) {
        snprintf(fr->err, fr->errlen, "%s:%d: expected lang, intent, slots, text", fr->path,
                 lineno);
        return SD_ERR_PARSE;
    }
    json_t *slots = json_loads(col[2], 0, NULL);
    const char *category = json_string_value(json_object_get(slots, "category"));
    char copy[CODE_MAX] = "";
    snprintf(copy, sizeof copy, "%s", category ? category : "");
    json_decref(slots);
    if (!copy[0] && strcmp(col[1], "complaint.file") == 0)
        snprintf(copy, sizeof copy, "%s", CLASSIFIER_CATEGORY_UNSAID);
    return add_example(fr->t, "tune", col[3], col[0], col[1], copy, "");
}

/* ---- the grammar's sentences ---- */

static unsigned long next_random(unsigned long *seed)
{
    *seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
    return *seed >> 33;
}

typedef struct {
    training_data *t;
    int lang;
    const char *intent;
    sd_code rc;
} sentence_ctx;

/* Writes a spoken-or-written number for a builtin slot (receipt, phone). */
static void builtin_value(const char *slot, unsigned long r, char *out, size_t size)
{
    if (strcmp(slot, "receipt") == 0)
        snprintf(out, size, "SG-2026-%06lu", r % 1000000);
    else
        snprintf(out, size, "010-%04lu-%04lu", r % 10000, (r / 10000) % 10000);
}

static int grammar_sentence(void *ctx, size_t intent, const char *sentence)
{
    (void)intent;
    sentence_ctx *s = ctx;
    training_data *t = s->t;
    const grammar *g = t->g[s->lang];
    char text[TEXT_MAX];
    char category[CODE_MAX] = "";
    size_t o = 0, i = 0, len = strlen(sentence);
    while (i < len && o + 256 < sizeof text) {
        uint32_t cp;
        size_t k = utf8_decode_char(sentence + i, len - i, &cp);
        if (k == 0)
            k = 1, cp = 0;
        if (cp >= GRAMMAR_SLOT_MARK && cp < GRAMMAR_SLOT_MARK + grammar_slot_count(g)) {
            size_t slot = cp - GRAMMAR_SLOT_MARK;
            size_t values = grammar_slot_value_count(g, slot);
            unsigned long r = next_random(&t->seed);
            char number[32];
            const char *word = number;
            if (values == 0) {
                builtin_value(grammar_slot_name(g, slot), r, number, sizeof number);
            } else {
                size_t v = r % values;
                if (strcmp(grammar_slot_value(g, slot, v), "_none") == 0)
                    v = (v + 1) % values;
                size_t syn = grammar_slot_synonym_count(g, slot, v);
                word = syn ? grammar_slot_synonym(g, slot, v, (r >> 8) % syn)
                           : grammar_slot_value(g, slot, v);
                if (strcmp(grammar_slot_name(g, slot), "category") == 0)
                    snprintf(category, sizeof category, "%s", grammar_slot_value(g, slot, v));
            }
            o += (size_t)snprintf(text + o, sizeof text - o, "%.200s", word);
        } else {
            memcpy(text + o, sentence + i, k);
            o += k;
        }
        i += k;
    }
    text[o] = '\0';
    if (!category[0])
        snprintf(category, sizeof category, "%s", CLASSIFIER_CATEGORY_UNSAID);
    s->rc = add_example(t, "grammar", text, s->lang ? "en" : "ko", s->intent, category, "");
    return s->rc != SD_OK;
}

static sd_code add_grammar_sentences(training_data *t)
{
    for (int l = 0; l < 2; l++) {
        const grammar *g = t->g[l];
        for (size_t i = 0; i < grammar_intent_count(g); i++) {
            char intent[64];
            snprintf(intent, sizeof intent, "%s", grammar_intent_name(g, i));
            char *slash = strchr(intent, '/');
            if (slash)
                *slash = '\0';
            if (strcmp(intent, "dialog") == 0)
                continue;
            sentence_ctx s = {t, l, intent, SD_OK};
            for (size_t k = 0; k < grammar_template_count(g, i) && s.rc == SD_OK; k++)
                for (int n = 0; n < SENTENCES_PER_TEMPLATE && s.rc == SD_OK; n++)
                    if (grammar_sample(g, i, k, &t->seed, grammar_sentence, &s) != SD_OK)
                        return SD_ERR_NOMEM;
            if (s.rc != SD_OK)
                return s.rc;
        }
    }
    return SD_OK;
}

sd_code training_data_add_bundled(training_data *t, char *err, size_t errlen)
{
    sd_code rc = add_corpora(t, err, errlen);
    char path[1100];
    snprintf(path, sizeof path, "%s/tests/tune/tune.tsv", t->dir);
    file_reader fr = {t, "tune", path, err, errlen};
    if (rc == SD_OK)
        rc = textfile_each_line(path, tune_line, &fr, err, errlen);
    if (rc == SD_OK)
        rc = add_kb_json(t, err, errlen);
    snprintf(path, sizeof path, "%s/data/department_words.tsv", t->dir);
    file_reader words = {t, "department words", path, err, errlen};
    if (rc == SD_OK)
        rc = textfile_each_line(path, department_words_line, &words, err, errlen);
    if (rc == SD_OK && (rc = add_grammar_sentences(t)) != SD_OK)
        snprintf(err, errlen, "drawing the grammar's sentences: %s", sd_strerror(rc));
    return rc;
}

/* ---- the office's own complaints ---- */

typedef struct {
    training_data *t;
    size_t count;
} db_reader;

/* A complaint staff have not touched yet still has the department the model chose: only
 * complaints past "received" teach anything. */
static sd_code complaint_row(void *ctx, const store_complaint *c)
{
    db_reader *d = ctx;
    if (strcmp(c->state, "received") == 0 || !c->detail[0])
        return SD_OK;
    sd_code rc = SD_OK;
    for (int i = 0; i < REAL_COMPLAINT_REPEAT && rc == SD_OK; i++)
        rc = add_example(d->t, "database", c->detail, c->lang[0] ? c->lang : "ko", "complaint.file",
                         c->category, c->department);
    d->count += rc == SD_OK;
    return rc;
}

sd_code training_data_add_database(training_data *t, store *db, size_t *count, char *err,
                                   size_t errlen)
{
    db_reader d = {t, 0};
    store_complaint_filter all = {0};
    sd_code rc = store_complaint_list(db, &all, complaint_row, &d);
    if (rc != SD_OK)
        snprintf(err, errlen, "reading the complaints: %s", sd_strerror(rc));
    *count = d.count;
    return rc;
}

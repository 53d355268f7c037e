/* engine.c - shared resources and the decision between the grammar, the learned model and the
 * knowledge base.
 *
 * Understanding a line: validate it (UTF-8, length), pick its language, normalise it, and let
 * the language's grammar matcher find slots and numbers and score the template sentences. A
 * line that matches a template with certainty keeps the grammar's intent (and its topic, which
 * picks the reply). Everything else is decided by the learned model (classifier.h), trained on
 * residents' own words: its most probable intent, except that a line the model takes for chat,
 * a question or something out of scope, but finds at least a quarter as likely to be a
 * complaint, is taken as one ("complaint first": the office would rather be asked to act than
 * miss a problem; the share was chosen by cross-validation, `seodong train --cv`). Questions go to
 * the knowledge base, whose answer is taken when the entry found covers enough of the question's
 * weight. What neither explains is out of scope: Seodong says so rather than guess. A line
 * with nothing in it to understand (punctuation, emoji, ㅋㅋㅋ, "hmm") is out of scope with the
 * topic "unclear", before any model guesses at it.
 *
 * A complaint gets its category from the words the gazetteer knows (주차, 가로등...) or, when
 * none is named, from the model; a described problem no category fits is "other". A named
 * category goes to the department the office routes it to (data/categories.tsv, `seodong staff
 * route`); an "other" complaint to the model's most probable department, learned from where
 * real complaints went, instead of the general desk.
 *
 * On a new database the engine seeds the reference tables (data/departments.tsv,
 * data/categories.tsv) and the knowledge base (data/kb.json), so that a fresh checkout answers
 * questions on its first run. */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_import.h"
#include "textfile.h"
#include "utf8.h"

/* A template match this good is the grammar's decision; below it the model decides. */
#define GRAMMAR_CERTAIN 0.9
/* A complaint is taken when the model gives it this share of the best intent's probability. */
#define COMPLAINT_FIRST 0.25
/* The model's category is taken at this probability; below it a described problem is "other". */
#define CATEGORY_SURE 0.5
/* Letters beyond the slots that make a line the description of a problem (as many as make
 * it a complaint's detail in session.c). */
#define DESCRIBED_KO 10
#define DESCRIBED_EN 24
/* A knowledge-base entry covering this share of the question answers it... */
#define KB_SURE 0.62
/* ...and one covering this share is offered as "this may be what you mean". */
#define KB_MAYBE 0.45

struct engine {
    char data_dir[1024];
    grammar *grammar_ko, *grammar_en;
    nlu *nlu_ko, *nlu_en;
    classifier *model;
    calendar *cal;
    store *db;
    time_t (*now)(void *ctx);
    void *now_ctx;
    time_t (*monotonic)(void *ctx);
    void *monotonic_ctx;
    config settings;
    engine_weather weather; /* all NULL without a weather source */
};

static sd_code load_language(engine *e, const char *lang, grammar **g, nlu **n, char *err,
                             size_t errlen)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/grammars", e->data_dir);
    sd_code rc = grammar_load(dir, lang, g, err, errlen);
    if (rc == SD_OK && (rc = nlu_build(*g, n)) != SD_OK)
        snprintf(err, errlen, "building the %s matcher: %s", lang, sd_strerror(rc));
    return rc;
}

typedef struct {
    engine *e;
    const char *path;
    int ncols;
    sd_code (*row)(engine *, char **);
    char *err;
    size_t errlen;
} table_reader;

static sd_code table_line(void *ctx, char *line, int lineno)
{
    table_reader *t = ctx;
    char *cols[8] = {0};
    int n = 0;
    for (char *p = line; p && n < 8; n++) {
        cols[n] = p;
        p = strchr(p, '\t');
        if (p)
            *p++ = '\0';
    }
    if (n < t->ncols) {
        snprintf(t->err, t->errlen, "%s:%d: expected %d tab-separated columns", t->path, lineno,
                 t->ncols);
        return SD_ERR_PARSE;
    }
    return t->row(t->e, cols);
}

/* Reads a tab-separated table of data/, calling row() with the columns of each line. */
static sd_code read_table(const char *path, int ncols, sd_code (*row)(engine *, char **), engine *e,
                          char *err, size_t errlen)
{
    table_reader t = {e, path, ncols, row, err, errlen};
    return textfile_each_line(path, table_line, &t, err, errlen);
}

static sd_code department_row(engine *e, char **c)
{
    store_department d;
    snprintf(d.code, sizeof d.code, "%.*s", (int)sizeof d.code - 1, c[0]);
    snprintf(d.name_ko, sizeof d.name_ko, "%.*s", (int)sizeof d.name_ko - 1, c[1]);
    snprintf(d.name_en, sizeof d.name_en, "%.*s", (int)sizeof d.name_en - 1, c[2]);
    snprintf(d.phone, sizeof d.phone, "%.*s", (int)sizeof d.phone - 1, c[3]);
    return store_department_put(e->db, &d);
}

static sd_code category_row(engine *e, char **c)
{
    store_category k;
    snprintf(k.code, sizeof k.code, "%.*s", (int)sizeof k.code - 1, c[0]);
    snprintf(k.department, sizeof k.department, "%.*s", (int)sizeof k.department - 1, c[1]);
    snprintf(k.complaint_type, sizeof k.complaint_type, "%.*s", (int)sizeof k.complaint_type - 1,
             c[2]);
    snprintf(k.name_ko, sizeof k.name_ko, "%.*s", (int)sizeof k.name_ko - 1, c[3]);
    snprintf(k.name_en, sizeof k.name_en, "%.*s", (int)sizeof k.name_en - 1, c[4]);
    return store_category_put(e->db, &k);
}

static sd_code seed(engine *e, char *err, size_t errlen)
{
    char path[1100];
    /* A box that starts while the office's shared store is away files into its spool; the
     * store is seeded by whichever box first finds it empty. */
    if (!store_online(e->db))
        return SD_OK;
    if (store_category_count(e->db) == 0) {
        snprintf(path, sizeof path, "%s/data/departments.tsv", e->data_dir);
        sd_code rc = read_table(path, 4, department_row, e, err, errlen);
        snprintf(path, sizeof path, "%s/data/categories.tsv", e->data_dir);
        if (rc == SD_OK)
            rc = read_table(path, 5, category_row, e, err, errlen);
        if (rc != SD_OK)
            return rc;
    }
    store_kb_stats stats;
    if (store_kb_stats_get(e->db, &stats) == SD_OK && stats.entries == 0) {
        size_t count;
        snprintf(path, sizeof path, "%s/data/kb.json", e->data_dir);
        return kb_import_file(e->db, path, &count, err, errlen);
    }
    return SD_OK;
}

sd_code engine_open(const engine_config *cfg, engine **out, char *err, size_t errlen)
{
    *out = NULL;
    engine *e = calloc(1, sizeof *e);
    if (!e)
        return SD_ERR_NOMEM;
    snprintf(e->data_dir, sizeof e->data_dir, "%s",
             cfg->data_dir ? cfg->data_dir : SEODONG_SOURCE_DIR);
    e->now = cfg->now;
    e->now_ctx = cfg->now_ctx;
    e->monotonic = cfg->monotonic;
    e->monotonic_ctx = cfg->monotonic_ctx;
    if (cfg->settings)
        e->settings = *cfg->settings;
    else
        config_defaults(&e->settings);
    if (cfg->weather)
        e->weather = *cfg->weather;
    char path[1100];
    snprintf(path, sizeof path, "%s/data/holidays.tsv", e->data_dir);
    sd_code rc = calendar_load(path, &e->cal, err, errlen);
    if (rc == SD_OK)
        rc = load_language(e, "ko", &e->grammar_ko, &e->nlu_ko, err, errlen);
    if (rc == SD_OK)
        rc = load_language(e, "en", &e->grammar_en, &e->nlu_en, err, errlen);
    if (rc == SD_OK)
        rc = classifier_load(cfg->model_path ? cfg->model_path : SEODONG_MODEL_PATH, &e->model, err,
                             errlen);
    if (rc == SD_OK)
        rc =
            store_open_local(cfg->db_path, cfg->db_local && cfg->db_local[0] ? cfg->db_local : NULL,
                             &e->db, err, errlen);
    if (rc == SD_OK)
        rc = seed(e, err, errlen);
    if (rc != SD_OK) {
        engine_close(e);
        return rc;
    }
    *out = e;
    return SD_OK;
}

void engine_close(engine *e)
{
    if (!e)
        return;
    nlu_free(e->nlu_ko);
    nlu_free(e->nlu_en);
    classifier_free(e->model);
    grammar_free(e->grammar_ko);
    grammar_free(e->grammar_en);
    calendar_free(e->cal);
    store_close(e->db);
    free(e);
}

store *engine_store(engine *e)
{
    return e->db;
}

const calendar *engine_calendar(const engine *e)
{
    return e->cal;
}

const grammar *engine_grammar(const engine *e, const char *lang)
{
    return strcmp(lang, "en") == 0 ? e->grammar_en : e->grammar_ko;
}

const char *engine_data_dir(const engine *e)
{
    return e->data_dir;
}

const engine_weather *engine_weather_source(const engine *e)
{
    return &e->weather;
}

const config *engine_settings(const engine *e)
{
    return &e->settings;
}

const char *engine_site(const engine *e, const char *lang)
{
    const config_device *d = &e->settings.device;
    return strcmp(lang, "en") == 0 && d->site[0] && d->site_en[0] ? d->site_en : d->site;
}

const classifier *engine_classifier(const engine *e)
{
    return e->model;
}

time_t engine_now(const engine *e)
{
    return e->now ? e->now(e->now_ctx) : time(NULL);
}

time_t engine_monotonic(const engine *e)
{
    if (e->monotonic)
        return e->monotonic(e->monotonic_ctx);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* The length of a receipt's "SG" at text[i] ("SG-2026-000123", "sg 2026 1"), or 0: the letters
 * of a receipt number say nothing of the language it was typed in. */
static size_t receipt_letters(const char *text, size_t len, size_t i)
{
    if (i + 2 >= len || (text[i] | 0x20) != 's' || (text[i + 1] | 0x20) != 'g')
        return 0;
    if (i > 0 && ((text[i - 1] | 0x20) >= 'a' && (text[i - 1] | 0x20) <= 'z'))
        return 0;
    size_t k = i + 2;
    if (text[k] == '-' || text[k] == ' ' || text[k] == '.')
        k++;
    return k < len && text[k] >= '0' && text[k] <= '9' ? 2 : 0;
}

const char *engine_detect_lang(const char *text, size_t len, const char *fallback)
{
    bool latin = false;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode_char(text + i, len - i, &cp);
        if (n == 0) {
            i++;
            continue;
        }
        if (hangul_is_korean(cp))
            return "ko";
        size_t skip = receipt_letters(text, len, i);
        if (skip) {
            i += skip;
            continue;
        }
        latin |= (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
        i += n;
    }
    return latin ? "en" : fallback;
}

static bool is_question_intent(const char *intent)
{
    return strcmp(intent, "kb.answer") == 0 || strcmp(intent, "out_of_scope") == 0;
}

static void set_intent(understanding *u, const char *intent, const char *topic, double p)
{
    snprintf(u->intent, sizeof u->intent, "%s", intent);
    snprintf(u->topic, sizeof u->topic, "%s", topic);
    u->confidence = p;
}

/* The reply topic of the model's finer small-talk classes (CLINC's intents, training_data.c);
 * "" for those with no reply of their own. */
static const char *smalltalk_topic(const engine *e, const classifier_guess *g, const char *intent)
{
    static const struct {
        const char *cls, *topic;
    } topics[] = {
        {"smalltalk/greeting", "greeting"},           {"smalltalk/thank_you", "thanks"},
        {"smalltalk/are_you_a_bot", "identity"},      {"smalltalk/what_is_your_name", "identity"},
        {"smalltalk/who_made_you", "identity"},       {"smalltalk/who_do_you_work_for", "identity"},
        {"smalltalk/where_are_you_from", "identity"},
    };
    if (strcmp(intent, "smalltalk") != 0)
        return "";
    const char *best = "";
    double p = 0;
    for (size_t k = 0; k < classifier_class_count(e->model, CLASSIFIER_INTENT); k++) {
        const char *name = classifier_class_name(e->model, CLASSIFIER_INTENT, k);
        if (strncmp(name, "smalltalk", 9) == 0 && g->p[k] > p) {
            p = g->p[k];
            best = name;
        }
    }
    for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++)
        if (strcmp(best, topics[i].cls) == 0)
            return topics[i].topic;
    return "";
}

/* The model's intent, complaint first (see the top of this file). */
static void model_intent(const engine *e, const classifier_guess *g, understanding *u)
{
    char intent[32];
    double p;
    classifier_complaint_first(e->model, g, COMPLAINT_FIRST, intent, sizeof intent, &p);
    /* the grammar's topic picks the reply when both agree on the intent, else the model's */
    set_intent(u, intent,
               strcmp(intent, u->nlu.intent) == 0 ? u->nlu.topic : smalltalk_topic(e, g, intent),
               p);
    u->intent_p = p;
}

/* Category and department of a complaint (see the top of this file). */
static void complaint_slots(engine *e, const classifier_result *m, understanding *u)
{
    const classifier_guess *cat = &m->d[CLASSIFIER_CATEGORY];
    const classifier_guess *dept = &m->d[CLASSIFIER_DEPARTMENT];
    bool described =
        u->nlu.content_length >= (strcmp(u->lang, "en") == 0 ? DESCRIBED_EN : DESCRIBED_KO);
    /* a template sentence naming no category ("민원 신고할게요") describes nothing: the
     * dialogue asks what is wrong */
    bool generic = u->nlu.confidence >= GRAMMAR_CERTAIN && !u->nlu.category.set;
    if (u->nlu.category.set) {
        snprintf(u->category, sizeof u->category, "%.31s", u->nlu.category.value);
        size_t k = classifier_class_find(e->model, CLASSIFIER_CATEGORY, u->category);
        u->category_p = k == (size_t)-1 ? 1 : cat->p[k];
    } else if (!generic && (cat->p[cat->best] >= CATEGORY_SURE || described)) {
        const char *best = classifier_class_name(e->model, CLASSIFIER_CATEGORY, cat->best);
        bool sure = cat->p[cat->best] >= CATEGORY_SURE;
        if (strcmp(best, CLASSIFIER_CATEGORY_UNSAID) == 0 && (sure || !described))
            return; /* the model hears no kind of problem named: the dialogue asks */
        snprintf(u->category, sizeof u->category, "%s", sure ? best : "other");
        u->category_p = sure ? cat->p[cat->best] : 1 - cat->p[cat->best];
    }
    if (!u->category[0])
        return;
    /* A named category goes where the office routes it (`seodong staff route`); the model
     * routes what no category fits, the complaints that used to land on the general desk. */
    store_category routed;
    if (strcmp(u->category, "other") != 0 &&
        store_category_get(e->db, u->category, &routed) == SD_OK) {
        snprintf(u->department, sizeof u->department, "%s", routed.department);
        size_t k = classifier_class_find(e->model, CLASSIFIER_DEPARTMENT, routed.department);
        u->department_p = k == (size_t)-1 ? 0 : dept->p[k];
        return;
    }
    snprintf(u->department, sizeof u->department, "%s",
             classifier_class_name(e->model, CLASSIFIER_DEPARTMENT, dept->best));
    u->department_p = dept->p[dept->best];
}

/* ---- lines with nothing to understand ---- */

/* A letter of a word (any script) or a digit, as opposed to punctuation, symbols and emoji. */
static bool word_letter(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    return hangul_is_korean(cp) || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x370 && cp <= 0x52F) || (cp >= 0x3040 && cp <= 0x30FF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF);
}

/* Laughter and hesitation, which tell nothing to act on: 하하, 크크, 음, 헐; lol, haha, hmm, um. */
static bool laughter(const char *w, size_t n)
{
    /* Compared with doubled Latin letters made single: hmmm is hm, lool is lol. */
    static const char *const words[] = {"음",   "흠",   "헐", "엥",  "헉",  "lol",
                                        "lmao", "rofl", "xd", "huh", "meh", "ugh",
                                        "uh",   "um",   "hm", "m",   NULL};
    char single[64];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof single; i++)
        if (!(i > 0 && (unsigned char)w[i] < 0x80 && w[i] == w[i - 1]))
            single[k++] = w[i];
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == k && memcmp(single, words[i], k) == 0)
            return true;
    /* one laughing syllable said again and again: 하하, 크크크, 히히, haha, hehe */
    static const char *const syllables[] = {"하", "허", "호", "히", "헤", "흐", "크",
                                            "키", "캬", "ha", "he", "hi", NULL};
    for (size_t j = 0; syllables[j]; j++) {
        size_t m = strlen(syllables[j]);
        if (n < 2 * m || n % m)
            continue;
        size_t at = 0;
        while (at < n && memcmp(w + at, syllables[j], m) == 0)
            at += m;
        if (at == n)
            return true;
    }
    return false;
}

/* A line with nothing to understand: no letter or digit at all ("?", "🙂🙂"), the Hangul
 * letters of laughing and crying (ㅋㅋㅋ, ㅎㅎ, ㅠㅠ), or laughter and hesitation (하하, 음, lol,
 * hmm); unless the grammar reads it as an answer. Other letters alone are shorthand (ㅇㅇ yes, ㅎㅇ
 * hi, ㄱㅅ thanks) and go to the model. Seodong says it did not understand rather than guess. */
static bool unclear(const char *norm, const nlu_result *r)
{
    if (r->dialog_confidence >= GRAMMAR_CERTAIN)
        return false;
    size_t len = strlen(norm), i = 0;
    while (i < len) {
        char w[64];
        size_t n = 0;
        bool laughing_letters = true;
        for (uint32_t cp; i < len && norm[i] != ' ';) {
            size_t k = utf8_decode_char(norm + i, len - i, &cp);
            if (k == 0)
                k = 1;
            else if (word_letter(cp)) {
                laughing_letters &= cp == 0x314B || cp == 0x314E || cp == 0x3160 || cp == 0x315C ||
                                    cp == 0x3161; /* ㅋ ㅎ ㅠ ㅜ ㅡ */
                if (n + k < sizeof w)
                    memcpy(w + n, norm + i, k);
                n += k;
            }
            i += k;
        }
        i++;
        if (n == 0 || laughing_letters)
            continue;
        if (n >= sizeof w || !laughter(w, n))
            return false;
    }
    return true;
}

/* The grammar, the model or the knowledge base: the rules described at the top of this file. */
static void decide(engine *e, const char *norm, understanding *u)
{
    const nlu_result *r = &u->nlu;
    if (unclear(norm, r)) {
        set_intent(u, "out_of_scope", "unclear", 1);
        return;
    }
    feature_vec *f = malloc(sizeof *f);
    classifier_result m;
    if (!f) {
        set_intent(u, "out_of_scope", "", 0);
        return;
    }
    features_of(norm, u->lang, r, classifier_bits(e->model), f);
    classifier_predict(e->model, f, &m);
    free(f);
    if (r->confidence >= GRAMMAR_CERTAIN)
        set_intent(u, r->intent, r->topic, r->confidence);
    else
        model_intent(e, &m.d[CLASSIFIER_INTENT], u);
    if (strcmp(u->intent, "complaint.file") == 0) {
        complaint_slots(e, &m, u);
        return;
    }
    if (!is_question_intent(u->intent))
        return;
    if (store_kb_search(e->db, u->lang, norm, KB_MAYBE, &u->kb) == SD_OK &&
        u->kb.coverage >= KB_MAYBE) {
        set_intent(u, "kb.answer", "", u->kb.coverage);
        u->kb_tentative = u->kb.coverage < KB_SURE;
        return;
    }
    set_intent(u, "out_of_scope", "",
               strcmp(u->intent, "out_of_scope") == 0 ? u->confidence : 1 - u->kb.coverage);
}

sd_code engine_understand(engine *e, const char *text, size_t len, const char *lang,
                          const char *default_lang, understanding *u)
{
    memset(u, 0, sizeof *u);
    if (len > ENGINE_MAX_INPUT)
        return SD_ERR_TOO_LONG;
    if (!utf8_valid(text, len))
        return SD_ERR_UTF8;
    char norm[ENGINE_MAX_INPUT + 8];
    nlu_normalize(text, len, norm, sizeof norm);
    if (!norm[0])
        return SD_ERR_INVALID;
    if (!lang)
        lang = engine_detect_lang(norm, strlen(norm), default_lang ? default_lang : "ko");
    snprintf(u->lang, sizeof u->lang, "%s", strcmp(lang, "en") == 0 ? "en" : "ko");
    struct tm now;
    calendar_kst(engine_now(e), &now);
    nlu_understand(strcmp(u->lang, "en") == 0 ? e->nlu_en : e->nlu_ko, norm, now.tm_year + 1900,
                   &u->nlu);
    decide(e, norm, u);
    return SD_OK;
}

/* recgram.c - grammar to finite-state grammar and pronunciation dictionary (see recgram.h).
 *
 * How it works:
 *  1. Every template of every intent is expanded into sentences (grammar_expand). A sentence is
 *     cut into words (ASCII lower case; spaces and '-' separate; ASCII punctuation other than the
 *     apostrophe is dropped) and slot references. A sentence holding a word without
 *     pronunciation is dropped and the word listed as missing.
 *  2. All sentences go into one trie, which is minimised into the smallest acyclic automaton:
 *     bottom-up, a state is replaced by the first state with the same signature (final or not,
 *     outgoing words and their targets), so equal endings are shared. The 9000 English
 *     sentences become a few hundred states.
 *  3. Each slot's synonyms become an automaton the same way; the builtin number slots are a
 *     digit loop, led by "s g" for a receipt.
 *  4. The automaton is written as a Sphinx FSG. A slot reference is replaced by a copy of the
 *     slot's automaton, entered from the reference's state and left by null transitions to its
 *     target. A state's transitions share its probability evenly, as JSGF alternatives do.
 */
#include "recgram.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "entities.h"
#include "strbuf.h"
#include "textfile.h"
#include "utf8.h"

#define NONE ((size_t)-1)
#define EXPAND_CAP 100000 /* sentences per template; the largest English one has 3696 */
#define SLOT_TOKEN 0x80000000u
#define SLOT_RANGE 0x100u /* slot marks GRAMMAR_SLOT_MARK .. + SLOT_RANGE - 1 */

/* ---- a string -> index map (open addressing, keys copied) ---- */

typedef struct {
    char **keys;
    size_t *vals;
    size_t cap, n;
} strmap;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static size_t strmap_slot(const strmap *m, const char *key)
{
    size_t i = (size_t)hash_str(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static size_t strmap_get(const strmap *m, const char *key)
{
    if (m->cap == 0)
        return NONE;
    size_t i = strmap_slot(m, key);
    return m->keys[i] ? m->vals[i] : NONE;
}

static bool strmap_grow(strmap *m)
{
    strmap bigger = {.cap = m->cap ? m->cap * 2 : 64};
    bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
    bigger.vals = calloc(bigger.cap, sizeof *bigger.vals);
    if (!bigger.keys || !bigger.vals) {
        free(bigger.keys);
        free(bigger.vals);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            size_t j = strmap_slot(&bigger, m->keys[i]);
            bigger.keys[j] = m->keys[i];
            bigger.vals[j] = m->vals[i];
        }
    bigger.n = m->n;
    free(m->keys);
    free(m->vals);
    *m = bigger;
    return true;
}

/* Adds key (which must be absent). */
static bool strmap_put(strmap *m, const char *key, size_t val)
{
    if ((m->n + 1) * 2 > m->cap && !strmap_grow(m))
        return false;
    size_t i = strmap_slot(m, key);
    if (!(m->keys[i] = strdup(key)))
        return false;
    m->vals[i] = val;
    m->n++;
    return true;
}

static void strmap_free(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- lexicon ---- */

typedef struct {
    size_t phones; /* offset of the phone string in text */
    size_t next;   /* next variant of the same word, or NONE */
    size_t file;   /* which of the files it came from */
} lex_entry;

struct recgram_lexicon {
    strbuf text; /* phone strings, NUL-separated */
    lex_entry *entries;
    size_t n, cap;
    strmap first;   /* word -> its first entry */
    size_t nowfile; /* the file being read */
    const char *path;
    char *err;
    size_t errlen;
};

/* "word(2)  PH ONES" -> word without the variant suffix, phones with single spaces. */
static sd_code lexicon_line(void *ctx, char *line, int lineno)
{
    recgram_lexicon *lx = ctx;
    char *hash = strstr(line, " #");
    if (hash)
        *hash = '\0';
    size_t wlen = strcspn(line, " \t");
    char *phones = line + wlen + strspn(line + wlen, " \t");
    if (wlen == 0 || !*phones) {
        snprintf(lx->err, lx->errlen, "%s:%d: a dictionary line is 'word PHONES'", lx->path,
                 lineno);
        return SD_ERR_PARSE;
    }
    line[wlen] = '\0';
    char *paren = strchr(line, '(');
    if (paren && paren > line)
        *paren = '\0';
    for (char *p = line; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    size_t first = strmap_get(&lx->first, line);
    if (first != NONE && lx->entries[first].file != lx->nowfile)
        return SD_OK; /* an earlier file already gives this word */
    if (!array_reserve((void **)&lx->entries, &lx->cap, lx->n, sizeof *lx->entries))
        return SD_ERR_NOMEM;
    size_t id = lx->n;
    lx->entries[id] = (lex_entry){.phones = lx->text.len, .next = NONE, .file = lx->nowfile};
    bool space = false;
    for (char *p = phones; *p; p++) {
        if (*p == ' ' || *p == '\t') {
            space = true;
            continue;
        }
        if (space)
            strbuf_append(&lx->text, " ", 1);
        space = false;
        strbuf_append(&lx->text, p, 1);
    }
    strbuf_append(&lx->text, "", 1);
    if (lx->text.failed)
        return SD_ERR_NOMEM;
    lx->n++;
    if (first == NONE)
        return strmap_put(&lx->first, line, id) ? SD_OK : SD_ERR_NOMEM;
    while (lx->entries[first].next != NONE)
        first = lx->entries[first].next;
    lx->entries[first].next = id;
    return SD_OK;
}

sd_code recgram_lexicon_load(const char *const *paths, size_t npaths, recgram_lexicon **out,
                             char *err, size_t errlen)
{
    *out = NULL;
    recgram_lexicon *lx = calloc(1, sizeof *lx);
    if (!lx)
        return SD_ERR_NOMEM;
    strbuf_init(&lx->text);
    lx->err = err;
    lx->errlen = errlen;
    sd_code rc = SD_OK;
    for (size_t i = 0; i < npaths && rc == SD_OK; i++) {
        lx->nowfile = i;
        lx->path = paths[i];
        rc = textfile_each_line(paths[i], lexicon_line, lx, err, errlen);
    }
    if (rc != SD_OK) {
        recgram_lexicon_free(lx);
        return rc;
    }
    *out = lx;
    return SD_OK;
}

void recgram_lexicon_free(recgram_lexicon *lx)
{
    if (!lx)
        return;
    strbuf_free(&lx->text);
    strmap_free(&lx->first);
    free(lx->entries);
    free(lx);
}

const char *recgram_lexicon_pron(void *lexicon, const char *word, size_t variant)
{
    const recgram_lexicon *lx = lexicon;
    size_t e = strmap_get(&lx->first, word);
    while (e != NONE && variant-- > 0)
        e = lx->entries[e].next;
    return e == NONE ? NULL : lx->text.data + lx->entries[e].phones;
}

/* ---- words ---- */

typedef struct {
    char *name;
    char **prons;
    size_t nprons;
    bool checked; /* pronunciations looked up */
    bool used;    /* appears in the grammar */
} word;

struct recgram {
    char *fsg;
    word *words;
    size_t nwords, capwords;
    strmap index;
    size_t *used; /* indexes of the words in the grammar, in order of first use */
    size_t nused;
    size_t *missing;
    size_t nmissing;
};

typedef struct automaton automaton;

typedef struct {
    const grammar *g;
    recgram *r;
    recgram_pron_fn pron;
    void *pron_ctx;
    uint32_t *toks; /* the sentence being added */
    size_t ntoks, captoks;
    automaton *top;   /* all sentences */
    automaton *slots; /* one per slot of g */
    bool failed;      /* out of memory */
} builder;

static size_t intern_word(builder *b, const char *name)
{
    recgram *r = b->r;
    size_t id = strmap_get(&r->index, name);
    if (id != NONE)
        return id;
    if (!array_reserve((void **)&r->words, &r->capwords, r->nwords, sizeof *r->words))
        return NONE;
    word *w = &r->words[r->nwords];
    memset(w, 0, sizeof *w);
    if (!(w->name = strdup(name)) || !strmap_put(&r->index, name, r->nwords)) {
        free(w->name);
        return NONE;
    }
    return r->nwords++;
}

/* Looks word id's pronunciations up once; false when it has none (it is then listed missing). */
static bool has_pron(builder *b, size_t id)
{
    word *w = &b->r->words[id];
    if (!w->checked) {
        w->checked = true;
        const char *p;
        while ((p = b->pron(b->pron_ctx, w->name, w->nprons)) != NULL) {
            char **prons = realloc(w->prons, (w->nprons + 1) * sizeof *prons);
            if (!prons || !(prons[w->nprons] = strdup(p))) {
                if (prons)
                    w->prons = prons;
                b->failed = true;
                return false;
            }
            w->prons = prons;
            w->nprons++;
        }
        if (w->nprons == 0) {
            size_t *m = realloc(b->r->missing, (b->r->nmissing + 1) * sizeof *m);
            if (!m) {
                b->failed = true;
                return false;
            }
            b->r->missing = m;
            m[b->r->nmissing++] = id;
        }
    }
    return w->nprons > 0;
}

static bool push_tok(builder *b, uint32_t tok)
{
    if (!array_reserve((void **)&b->toks, &b->captoks, b->ntoks, sizeof *b->toks)) {
        b->failed = true;
        return false;
    }
    b->toks[b->ntoks++] = tok;
    return true;
}

static void end_word(builder *b, strbuf *w)
{
    if (w->len == 0)
        return;
    size_t id = w->failed ? NONE : intern_word(b, strbuf_str(w));
    if (id == NONE)
        b->failed = true;
    else
        push_tok(b, (uint32_t)id);
    strbuf_clear(w);
}

/* Cuts sentence into b->toks; false when a word has no pronunciation (or memory ran out). */
static bool tokenize(builder *b, const char *sentence)
{
    b->ntoks = 0;
    strbuf w;
    strbuf_init(&w);
    size_t len = strlen(sentence);
    for (size_t i = 0; i < len && !b->failed;) {
        uint32_t cp;
        size_t n = utf8_decode_char(sentence + i, len - i, &cp);
        if (n == 0) { /* grammar files are valid UTF-8; treat a stray byte as a space */
            n = 1;
            cp = ' ';
        }
        if (cp >= GRAMMAR_SLOT_MARK && cp < GRAMMAR_SLOT_MARK + SLOT_RANGE) {
            end_word(b, &w);
            push_tok(b, SLOT_TOKEN | (cp - GRAMMAR_SLOT_MARK));
        } else if (cp >= 'A' && cp <= 'Z') {
            char c = (char)(cp - 'A' + 'a');
            strbuf_append(&w, &c, 1);
        } else if (cp >= 0x80 || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
                   cp == '\'') {
            strbuf_append(&w, sentence + i, n);
        } else if (cp == ' ' || cp == '\t' || cp == '-') {
            end_word(b, &w);
        }
        i += n;
    }
    end_word(b, &w);
    strbuf_free(&w);
    bool ok = true; /* every word is looked up, so that all missing ones are listed */
    for (size_t i = 0; i < b->ntoks && !b->failed; i++)
        if (!(b->toks[i] & SLOT_TOKEN))
            ok = has_pron(b, b->toks[i]) && ok;
    return ok && !b->failed && b->ntoks > 0;
}

/* ---- automata over words and slot references ---- */

typedef struct {
    uint32_t tok;
    size_t to;
} edge;

typedef struct {
    edge *edges;
    size_t nedges;
    bool final;
} state;

struct automaton {
    state *s;
    size_t n, cap;
};

static size_t new_state(automaton *a)
{
    if (!array_reserve((void **)&a->s, &a->cap, a->n, sizeof *a->s))
        return NONE;
    memset(&a->s[a->n], 0, sizeof a->s[a->n]);
    return a->n++;
}

static bool add_edge(automaton *a, size_t from, uint32_t tok, size_t to)
{
    state *s = &a->s[from];
    edge *e = realloc(s->edges, (s->nedges + 1) * sizeof *e);
    if (!e)
        return false;
    s->edges = e;
    e[s->nedges++] = (edge){tok, to};
    return true;
}

static void automaton_free(automaton *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->s[i].edges);
    free(a->s);
    memset(a, 0, sizeof *a);
}

/* Adds toks[0..n) as a path of the trie rooted at state 0. */
static bool trie_add(automaton *a, const uint32_t *toks, size_t n)
{
    if (a->n == 0 && new_state(a) == NONE)
        return false;
    size_t cur = 0;
    for (size_t i = 0; i < n; i++) {
        const state *s = &a->s[cur];
        size_t next = NONE;
        for (size_t k = 0; k < s->nedges && next == NONE; k++)
            if (s->edges[k].tok == toks[i])
                next = s->edges[k].to;
        if (next == NONE && ((next = new_state(a)) == NONE || !add_edge(a, cur, toks[i], next)))
            return false;
        cur = next;
    }
    a->s[cur].final = true;
    return true;
}

static int cmp_edge(const void *x, const void *y)
{
    const edge *a = x, *b = y;
    if (a->tok != b->tok)
        return a->tok < b->tok ? -1 : 1;
    return (a->to > b->to) - (a->to < b->to);
}

/* Returns the representative of trie state v, registering it if its signature (final flag,
 * edges to representatives) is new. States no longer reachable from 0 are simply ignored. */
static size_t minimise(automaton *a, size_t v, strmap *reg, bool *failed)
{
    state *s = &a->s[v];
    for (size_t k = 0; k < s->nedges; k++)
        s->edges[k].to = minimise(a, s->edges[k].to, reg, failed);
    if (s->nedges > 1)
        qsort(s->edges, s->nedges, sizeof *s->edges, cmp_edge);
    strbuf sig;
    strbuf_init(&sig);
    strbuf_puts(&sig, s->final ? "F" : "-");
    for (size_t k = 0; k < s->nedges; k++)
        strbuf_printf(&sig, " %x:%zx", (unsigned)s->edges[k].tok, s->edges[k].to);
    size_t rep = strmap_get(reg, strbuf_str(&sig));
    if (rep == NONE) {
        rep = v;
        if (sig.failed || !strmap_put(reg, strbuf_str(&sig), v))
            *failed = true;
    }
    strbuf_free(&sig);
    return rep;
}

static bool minimise_trie(automaton *a)
{
    if (a->n == 0)
        return true;
    strmap reg = {0};
    bool failed = false;
    minimise(a, 0, &reg, &failed);
    strmap_free(&reg);
    return !failed;
}

/* ---- the grammar's sentences ---- */

typedef struct {
    builder *b;
    automaton *a;
    size_t kept;
} sentence_set;

/* Adds one sentence to the set's trie; its words count as used only when it is kept. */
static int add_sentence(void *ctx, size_t intent, const char *sentence)
{
    (void)intent;
    sentence_set *set = ctx;
    builder *b = set->b;
    if (!tokenize(b, sentence))
        return b->failed;
    if (!trie_add(set->a, b->toks, b->ntoks)) {
        b->failed = true;
        return 1;
    }
    for (size_t i = 0; i < b->ntoks; i++)
        if (!(b->toks[i] & SLOT_TOKEN))
            b->r->words[b->toks[i]].used = true;
    set->kept++;
    return 0;
}

static sd_code add_intent(sentence_set *set, size_t intent, char *err, size_t errlen)
{
    const grammar *g = set->b->g;
    for (size_t t = 0; t < grammar_template_count(g, intent); t++) {
        size_t count = grammar_expansion_count(g, intent, t, EXPAND_CAP + 1);
        if (count > EXPAND_CAP) {
            snprintf(err, errlen,
                     "%s grammar, intent %s, template %zu: more than %d sentences, too many "
                     "for the recogniser; split it",
                     grammar_lang(g), grammar_intent_name(g, intent), t + 1, EXPAND_CAP);
            return SD_ERR_INVALID;
        }
        if (grammar_expand(g, intent, t, count, add_sentence, set) != SD_OK || set->b->failed)
            return SD_ERR_NOMEM;
    }
    return SD_OK;
}

/* Every intent's sentences, and every slot but the digits on its own: a place or a number
 * alone answers the dialogue's "where?" and "which number?". */
static sd_code build_top(builder *b, char *err, size_t errlen)
{
    const grammar *g = b->g;
    sentence_set set = {.b = b, .a = b->top};
    sd_code rc = SD_OK;
    for (size_t i = 0; i < grammar_intent_count(g) && rc == SD_OK; i++)
        rc = add_intent(&set, i, err, errlen);
    size_t digit = grammar_slot_find(g, "digit");
    for (size_t s = 0; s < grammar_slot_count(g) && rc == SD_OK; s++) {
        char mark[5] = {0};
        utf8_encode_char(GRAMMAR_SLOT_MARK + (uint32_t)s, mark);
        if (s != digit && add_sentence(&set, 0, mark) != 0)
            rc = SD_ERR_NOMEM;
    }
    if (rc == SD_OK && set.kept == 0) {
        snprintf(err, errlen, "%s grammar: no sentence can be pronounced", grammar_lang(g));
        rc = SD_ERR_INVALID;
    }
    if (rc == SD_OK && !minimise_trie(b->top))
        rc = SD_ERR_NOMEM;
    return rc;
}

/* "s g" before a spoken receipt number, per language. */
static const char *receipt_anchor(const char *lang)
{
    return strcmp(lang, "en") == 0 ? "s g" : NULL;
}

/* How a spoken number must look to be one: the shapes the understanding accepts (entities.h).
 * A receipt is read year first (2026, then 1 to 6 digits of the serial), a phone number starts
 * with 0 and has 9 to 11 digits. A looser digit loop let the recogniser explain speech it could
 * not place as digits, and confidently: unbounded runs (up to 28 digits) were three quarters of
 * the English test set's wrong-but-confident results, and with 1 to 11 digits a short Korean
 * word ("사람", "끝") still came out as two digits. Any other builtin slot takes 1 to 11. */
typedef struct {
    const char *name;
    const char *lead; /* the digits it starts with */
    int min, max;     /* how many digits in all */
} number_shape;

static const number_shape number_shapes[] = {
    {"receipt", ENTITY_RECEIPT_LEAD, ENTITY_RECEIPT_MIN_DIGITS, ENTITY_RECEIPT_MAX_DIGITS},
    {"phone", ENTITY_PHONE_LEAD, ENTITY_PHONE_MIN_DIGITS, ENTITY_PHONE_MAX_DIGITS},
    {NULL, "", 1, ENTITY_PHONE_MAX_DIGITS},
};

static const number_shape *shape_of(const char *slot_name)
{
    const number_shape *sh = number_shapes;
    while (sh->name && strcmp(sh->name, slot_name) != 0)
        sh++;
    return sh;
}

/* Edges from -> to for the digit value (its one-word synonyms), or for any digit when value is
 * '\0'. */
static bool add_digit(builder *b, automaton *a, size_t digit, char value, size_t from, size_t to)
{
    const grammar *g = b->g;
    if (!value)
        return add_edge(a, from, SLOT_TOKEN | (uint32_t)digit, to);
    for (size_t v = 0; v < grammar_slot_value_count(g, digit); v++) {
        if (grammar_slot_value(g, digit, v)[0] != value)
            continue;
        for (size_t k = 0; k < grammar_slot_synonym_count(g, digit, v); k++) {
            if (!tokenize(b, grammar_slot_synonym(g, digit, v, k)) || b->ntoks != 1)
                continue;
            b->r->words[b->toks[0]].used = true;
            if (!add_edge(a, from, b->toks[0], to))
                return false;
        }
    }
    return !b->failed;
}

/* A builtin slot: a number of its shape (digits from the digit slot), a receipt optionally led
 * by its anchor. Without a digit slot it stays empty: unsayable. */
static bool build_number(builder *b, size_t slot, automaton *a)
{
    const grammar *g = b->g;
    size_t digit = grammar_slot_find(g, "digit");
    if (digit == NONE || grammar_slot_value_count(g, digit) == 0)
        return true;
    const number_shape *sh = shape_of(grammar_slot_name(g, slot));
    size_t start = new_state(a), anchored = NONE; /* anchored: after the anchor's words */
    const char *anchor = receipt_anchor(grammar_lang(g));
    if (start != NONE && anchor && strcmp(grammar_slot_name(g, slot), "receipt") == 0) {
        if (!tokenize(b, anchor))
            return false;
        anchored = start;
        for (size_t i = 0; i < b->ntoks; i++) {
            size_t next = new_state(a);
            if (next == NONE || !add_edge(a, anchored, b->toks[i], next))
                return false;
            b->r->words[b->toks[i]].used = true;
            anchored = next;
        }
    }
    size_t lead = strlen(sh->lead), from = start;
    for (int k = 0; k < sh->max; k++) {
        size_t to = new_state(a);
        char value = (size_t)k < lead ? sh->lead[k] : '\0';
        if (from == NONE || to == NONE || !add_digit(b, a, digit, value, from, to))
            return false;
        if (k == 0 && anchored != NONE && !add_digit(b, a, digit, value, anchored, to))
            return false;
        a->s[to].final = k + 1 >= sh->min;
        from = to;
    }
    return true;
}

static sd_code build_slots(builder *b)
{
    const grammar *g = b->g;
    b->slots = calloc(grammar_slot_count(g) + 1, sizeof *b->slots);
    if (!b->slots)
        return SD_ERR_NOMEM;
    for (size_t s = 0; s < grammar_slot_count(g); s++) {
        automaton *a = &b->slots[s];
        bool ok;
        if (grammar_slot_value_count(g, s) == 0) {
            ok = build_number(b, s, a);
        } else {
            sentence_set set = {.b = b, .a = a};
            for (size_t v = 0; v < grammar_slot_value_count(g, s); v++)
                for (size_t k = 0; k < grammar_slot_synonym_count(g, s, v); k++)
                    add_sentence(&set, 0, grammar_slot_synonym(g, s, v, k));
            ok = !b->failed && minimise_trie(a);
        }
        if (!ok)
            return SD_ERR_NOMEM;
    }
    return SD_OK;
}

/* ---- automata -> one Sphinx FSG ---- */

typedef struct {
    const builder *b;
    strbuf trans; /* the TRANSITION lines */
    size_t nstates;
    bool failed;
} emitter;

static void emit_trans(emitter *em, size_t from, size_t to, double p, const char *word)
{
    strbuf_printf(&em->trans, "TRANSITION %zu %zu %.6g%s%s\n", from, to, p, word ? " " : "",
                  word ? word : "");
}

/* Writes a copy of a whose start state is FSG state entry and whose final states lead on to
 * FSG state exit. Each state's edges share its probability evenly; weight is the share of
 * the edge this copy stands for. A slot reference is replaced by a copy of the slot. */
static void emit(emitter *em, const automaton *a, size_t entry, size_t exit, double weight)
{
    size_t *id = malloc(a->n * sizeof *id), *stack = malloc(a->n * sizeof *stack);
    if (!id || !stack) {
        em->failed = true;
        free(id);
        free(stack);
        return;
    }
    for (size_t i = 0; i < a->n; i++)
        id[i] = NONE;
    size_t sp = 0;
    id[0] = entry;
    stack[sp++] = 0;
    while (sp > 0 && !em->failed) {
        size_t v = stack[--sp];
        const state *s = &a->s[v];
        if (s->final && s->nedges > 0)
            emit_trans(em, id[v], exit, 1.0, NULL);
        double p = (v == 0 ? weight : 1.0) / (double)s->nedges;
        for (size_t k = 0; k < s->nedges; k++) {
            const edge *e = &s->edges[k];
            const state *to = &a->s[e->to];
            if (id[e->to] == NONE && to->final && to->nedges == 0) {
                id[e->to] = exit; /* a last word leads straight out */
            } else if (id[e->to] == NONE) {
                id[e->to] = em->nstates++;
                stack[sp++] = e->to;
            }
            if (!(e->tok & SLOT_TOKEN)) {
                emit_trans(em, id[v], id[e->to], p, em->b->r->words[e->tok].name);
                continue;
            }
            const automaton *slot = &em->b->slots[e->tok & ~SLOT_TOKEN];
            if (slot->n > 0 && slot->s[0].nedges > 0)
                emit(em, slot, id[v], id[e->to], p);
        }
    }
    em->failed |= em->trans.failed;
    free(id);
    free(stack);
}

/* One FSG for all the builders' grammars: each is entered from the start state with an equal
 * share of its probability, so a union of languages is heard as either. */
static sd_code write_fsg(builder *const *b, size_t n, strbuf *out)
{
    emitter em = {.nstates = 2}; /* 0 start, 1 final */
    strbuf_init(&em.trans);
    strbuf name;
    strbuf_init(&name);
    for (size_t i = 0; i < n; i++) {
        em.b = b[i];
        emit(&em, b[i]->top, 0, 1, 1.0 / (double)n);
        strbuf_printf(&name, "_%s", grammar_lang(b[i]->g));
    }
    strbuf_printf(out,
                  "# Seodong: what residents can say in the grammars%s (recgram.c)\n"
                  "FSG_BEGIN seodong%s\nNUM_STATES %zu\nSTART_STATE 0\nFINAL_STATE 1\n%s"
                  "FSG_END\n",
                  strbuf_str(&name), strbuf_str(&name), em.nstates, strbuf_str(&em.trans));
    bool failed = em.failed || out->failed || name.failed;
    strbuf_free(&em.trans);
    strbuf_free(&name);
    return failed ? SD_ERR_NOMEM : SD_OK;
}

/* ---- the recgram ---- */

static void builder_free(builder *b)
{
    free(b->toks);
    if (b->top)
        automaton_free(b->top);
    free(b->top);
    for (size_t s = 0; b->slots && s < grammar_slot_count(b->g); s++)
        automaton_free(&b->slots[s]);
    free(b->slots);
}

static sd_code build_sources(const recgram_source *src, size_t n, recgram *r, builder *b,
                             builder **list, char *err, size_t errlen)
{
    sd_code rc = SD_OK;
    for (size_t i = 0; rc == SD_OK && i < n; i++) {
        b[i] = (builder){.g = src[i].g, .r = r, .pron = src[i].pron, .pron_ctx = src[i].ctx};
        list[i] = &b[i];
        if (!(b[i].top = calloc(1, sizeof *b[i].top)))
            return SD_ERR_NOMEM;
        rc = build_top(&b[i], err, errlen);
        if (rc == SD_OK)
            rc = build_slots(&b[i]);
    }
    return rc;
}

sd_code recgram_build_union(const recgram_source *src, size_t n, recgram **out, char *err,
                            size_t errlen)
{
    *out = NULL;
    recgram *r = calloc(1, sizeof *r);
    builder *b = calloc(n ? n : 1, sizeof *b);
    builder **list = calloc(n ? n : 1, sizeof *list);
    if (!r || !b || !list) {
        free(r);
        free(b);
        free(list);
        return SD_ERR_NOMEM;
    }
    strbuf text;
    strbuf_init(&text);
    sd_code rc = build_sources(src, n, r, b, list, err, errlen);
    if (rc == SD_OK)
        rc = write_fsg(list, n, &text);
    if (rc == SD_OK && !(r->fsg = strbuf_detach(&text)))
        rc = SD_ERR_NOMEM;
    strbuf_free(&text);
    if (rc == SD_OK && !(r->used = malloc((r->nwords ? r->nwords : 1) * sizeof *r->used)))
        rc = SD_ERR_NOMEM;
    for (size_t i = 0; rc == SD_OK && i < r->nwords; i++)
        if (r->words[i].used)
            r->used[r->nused++] = i;
    for (size_t i = 0; i < n; i++)
        builder_free(&b[i]);
    free(b);
    free(list);
    if (rc != SD_OK) {
        if (rc == SD_ERR_NOMEM)
            snprintf(err, errlen, "out of memory compiling the grammars");
        recgram_free(r);
        return rc;
    }
    *out = r;
    return SD_OK;
}

sd_code recgram_build(const grammar *g, recgram_pron_fn pron, void *ctx, recgram **out, char *err,
                      size_t errlen)
{
    recgram_source src = {g, pron, ctx};
    return recgram_build_union(&src, 1, out, err, errlen);
}

void recgram_free(recgram *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nwords; i++) {
        for (size_t k = 0; k < r->words[i].nprons; k++)
            free(r->words[i].prons[k]);
        free(r->words[i].prons);
        free(r->words[i].name);
    }
    free(r->words);
    strmap_free(&r->index);
    free(r->used);
    free(r->missing);
    free(r->fsg);
    free(r);
}

const char *recgram_fsg(const recgram *r)
{
    return r->fsg;
}

size_t recgram_word_count(const recgram *r)
{
    return r->nused;
}

const char *recgram_word(const recgram *r, size_t i)
{
    return r->words[r->used[i]].name;
}

const char *recgram_word_pron(const recgram *r, size_t i, size_t variant)
{
    const word *w = &r->words[r->used[i]];
    return variant < w->nprons ? w->prons[variant] : NULL;
}

static const char *word_of(const void *r, size_t i)
{
    return recgram_word(r, i);
}

static const char *pron_of(const void *r, size_t i, size_t variant)
{
    return recgram_word_pron(r, i, variant);
}

asr_grammar recgram_for_asr(const recgram *r)
{
    return (asr_grammar){.fsg = recgram_fsg(r),
                         .nwords = recgram_word_count(r),
                         .words = r,
                         .word = word_of,
                         .pron = pron_of};
}

size_t recgram_missing_count(const recgram *r)
{
    return r->nmissing;
}

const char *recgram_missing(const recgram *r, size_t i)
{
    return r->words[r->missing[i]].name;
}

sd_code recgram_write_dict(const recgram *r, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return SD_ERR_IO;
    }
    for (size_t i = 0; i < r->nused; i++) {
        const word *w = &r->words[r->used[i]];
        for (size_t k = 0; k < w->nprons; k++) {
            if (k == 0)
                fprintf(f, "%s %s\n", w->name, w->prons[k]);
            else
                fprintf(f, "%s(%zu) %s\n", w->name, k + 1, w->prons[k]);
        }
    }
    if (ferror(f) | (fclose(f) != 0)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return SD_ERR_IO;
    }
    return SD_OK;
}

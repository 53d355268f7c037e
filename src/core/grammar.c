/* grammar.c - reads sentence templates and slot vocabularies, and expands templates.
 *
 * A template is parsed once into a small tree (word, sequence, alternatives, optional, slot
 * reference, rule reference) stored in one array per grammar. Expansion walks the tree and
 * produces every sentence as a string, depth first, up to a limit, so that the biggest template
 * cannot blow up memory. Rules may refer to other rules; a reference cycle is a parse error
 * found at load time, not an infinite loop at run time. */
#include "grammar.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "strbuf.h"
#include "textfile.h"
#include "utf8.h"

#define MAX_DEPTH 32
#define SLOT_COLUMNS 8

enum node_kind { N_WORD, N_SEQ, N_ALT, N_OPT, N_SLOT, N_RULE };

typedef struct {
    enum node_kind kind;
    bool glued;   /* written with no space before it */
    char *word;   /* N_WORD */
    size_t ref;   /* N_SLOT: slot index; N_RULE: rule index */
    size_t *kids; /* N_SEQ, N_ALT, N_OPT */
    size_t nkids;
} node;

typedef struct {
    char *name;
    size_t root; /* node index, or (size_t)-1 until defined */
    int line;
} rule;

typedef struct {
    char *cols[SLOT_COLUMNS];
    char **synonyms;
    size_t nsyn;
} slot_value;

typedef struct {
    char *name;
    slot_value *values;
    size_t nvalues;
} slot;

typedef struct {
    char *name;
    size_t *templates; /* root node of each template */
    size_t ntemplates;
} intent;

struct grammar {
    char lang[8];
    node *nodes;
    size_t nnodes, capnodes;
    rule *rules;
    size_t nrules;
    slot *slots;
    size_t nslots;
    intent *intents;
    size_t nintents;
};

typedef struct {
    grammar *g;
    const char *file;
    int line;
    char *err;
    size_t errlen;
    const char *p; /* parse cursor */
} parser;

static sd_code fail(parser *ps, const char *fmt, const char *detail)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, detail);
    snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->file, ps->line, msg);
    return SD_ERR_PARSE;
}

/* Appends one element to a realloc'd array that is sized exactly (small, rarely grown). */
static void *push(void *arr, size_t *n, size_t size)
{
    char *p = realloc(arr, (*n + 1) * size);
    if (!p)
        return NULL;
    memset(p + *n * size, 0, size);
    (*n)++;
    return p;
}

static size_t new_node(grammar *g, enum node_kind kind)
{
    if (!array_reserve((void **)&g->nodes, &g->capnodes, g->nnodes, sizeof(node)))
        return (size_t)-1;
    node *n = &g->nodes[g->nnodes];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    return g->nnodes++;
}

static bool add_kid(grammar *g, size_t parent, size_t kid)
{
    node *n = &g->nodes[parent];
    size_t *k = realloc(n->kids, (n->nkids + 1) * sizeof *k);
    if (!k)
        return false;
    k[n->nkids++] = kid;
    n->kids = k;
    return true;
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.';
}

static bool is_special(char c)
{
    return c == '(' || c == ')' || c == '[' || c == ']' || c == '|' || c == '$' || c == '<' ||
           c == '>' || c == ' ' || c == '\t' || c == '\0';
}

static size_t find_rule(grammar *g, const char *name, size_t len)
{
    for (size_t i = 0; i < g->nrules; i++)
        if (strlen(g->rules[i].name) == len && memcmp(g->rules[i].name, name, len) == 0)
            return i;
    return (size_t)-1;
}

/* Rules may be used before they are defined: a use creates the entry, the definition fills it. */
static size_t intern_rule(grammar *g, const char *name, size_t len, int line)
{
    size_t r = find_rule(g, name, len);
    if (r != (size_t)-1)
        return r;
    rule *rs = push(g->rules, &g->nrules, sizeof *rs);
    if (!rs)
        return (size_t)-1;
    g->rules = rs;
    rule *nr = &g->rules[g->nrules - 1];
    nr->name = strndup(name, len);
    nr->root = (size_t)-1;
    nr->line = line;
    return nr->name ? g->nrules - 1 : (size_t)-1;
}

static sd_code parse_alternatives(parser *ps, char close, size_t *out);

/* One item: a word, a group, an optional group, $slot or <rule>. */
static sd_code parse_item(parser *ps, size_t *out)
{
    grammar *g = ps->g;
    char c = *ps->p;
    if (c == '(' || c == '[') {
        ps->p++;
        size_t alt = 0;
        sd_code rc = parse_alternatives(ps, c == '(' ? ')' : ']', &alt);
        if (rc != SD_OK)
            return rc;
        if (c == '(') {
            *out = alt;
            return SD_OK;
        }
        size_t opt = new_node(g, N_OPT);
        if (opt == (size_t)-1 || !add_kid(g, opt, alt))
            return SD_ERR_NOMEM;
        *out = opt;
        return SD_OK;
    }
    if (c == '$' || c == '<') {
        const char *start = ++ps->p;
        while (is_name_char(*ps->p))
            ps->p++;
        size_t len = (size_t)(ps->p - start);
        if (len == 0)
            return fail(ps, "a name must follow '%s'", c == '$' ? "$" : "<");
        if (c == '<') {
            if (*ps->p != '>')
                return fail(ps, "%s", "'<name' is missing its '>'");
            ps->p++;
        }
        size_t n = new_node(g, c == '$' ? N_SLOT : N_RULE);
        if (n == (size_t)-1)
            return SD_ERR_NOMEM;
        if (c == '$') {
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), start);
            size_t s = grammar_slot_find(g, name);
            if (s == (size_t)-1)
                return fail(ps, "unknown slot $%s (list it under [slots])", name);
            g->nodes[n].ref = s;
        } else {
            size_t r = intern_rule(g, start, len, ps->line);
            if (r == (size_t)-1)
                return SD_ERR_NOMEM;
            g->nodes[n].ref = r;
        }
        *out = n;
        return SD_OK;
    }
    const char *start = ps->p;
    while (!is_special(*ps->p))
        ps->p++;
    size_t n = new_node(g, N_WORD);
    if (n == (size_t)-1)
        return SD_ERR_NOMEM;
    g->nodes[n].word = strndup(start, (size_t)(ps->p - start));
    if (!g->nodes[n].word)
        return SD_ERR_NOMEM;
    *out = n;
    return SD_OK;
}

static sd_code parse_sequence(parser *ps, size_t *out)
{
    size_t seq = new_node(ps->g, N_SEQ);
    if (seq == (size_t)-1)
        return SD_ERR_NOMEM;
    bool space_before = true;
    for (;;) {
        while (*ps->p == ' ' || *ps->p == '\t') {
            ps->p++;
            space_before = true;
        }
        char c = *ps->p;
        if (c == '|' || c == ')' || c == ']' || c == '\0')
            break;
        if (c == '>')
            return fail(ps, "%s", "stray '>'");
        size_t item = 0;
        sd_code rc = parse_item(ps, &item);
        if (rc != SD_OK)
            return rc;
        ps->g->nodes[item].glued = !space_before;
        if (!add_kid(ps->g, seq, item))
            return SD_ERR_NOMEM;
        space_before = false;
    }
    *out = seq;
    return SD_OK;
}

static sd_code parse_alternatives(parser *ps, char close, size_t *out)
{
    size_t alt = new_node(ps->g, N_ALT);
    if (alt == (size_t)-1)
        return SD_ERR_NOMEM;
    for (;;) {
        size_t seq = 0;
        sd_code rc = parse_sequence(ps, &seq);
        if (rc != SD_OK)
            return rc;
        if (!add_kid(ps->g, alt, seq))
            return SD_ERR_NOMEM;
        char c = *ps->p;
        if (c == '|') {
            ps->p++;
            continue;
        }
        if (close == '\0' && c == '\0')
            break;
        if (c == close) {
            ps->p++;
            break;
        }
        if (c == '\0')
            return fail(ps, "missing '%s'", close == ')' ? ")" : "]");
        return fail(ps, "unexpected '%.1s'", ps->p);
    }
    *out = alt;
    return SD_OK;
}

static sd_code parse_expansion(parser *ps, const char *text, size_t *out)
{
    ps->p = text;
    return parse_alternatives(ps, '\0', out);
}

/* ---- slot files ---- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static sd_code add_synonyms(slot_value *v, char *list)
{
    char *save = NULL;
    for (char *tok = strtok_r(list, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
        char *t = trim(tok);
        if (!*t)
            continue;
        char **syn = push(v->synonyms, &v->nsyn, sizeof *syn);
        if (!syn)
            return SD_ERR_NOMEM;
        v->synonyms = syn;
        if (!(v->synonyms[v->nsyn - 1] = strdup(t)))
            return SD_ERR_NOMEM;
    }
    return SD_OK;
}

/* A slot file row: value, Korean synonyms, English synonyms, then free attribute columns. */
static sd_code parse_slot_row(parser *ps, slot *s, char *line)
{
    slot_value *vs = push(s->values, &s->nvalues, sizeof *vs);
    if (!vs)
        return SD_ERR_NOMEM;
    s->values = vs;
    slot_value *v = &s->values[s->nvalues - 1];
    size_t col = 0;
    char *p = line;
    while (p && col < SLOT_COLUMNS) {
        char *tab = strchr(p, '\t');
        if (tab)
            *tab = '\0';
        if (!(v->cols[col++] = strdup(trim(p))))
            return SD_ERR_NOMEM;
        p = tab ? tab + 1 : NULL;
    }
    if (!v->cols[0][0])
        return fail(ps, "%s", "slot row has an empty value");
    size_t syncol = strcmp(ps->g->lang, "ko") == 0 ? 1 : 2;
    if (col > syncol) {
        char *copy = strdup(v->cols[syncol]);
        if (!copy)
            return SD_ERR_NOMEM;
        sd_code rc = add_synonyms(v, copy);
        free(copy);
        if (rc != SD_OK)
            return rc;
    }
    return SD_OK;
}

typedef struct {
    parser *ps;
    sd_code (*each)(parser *, void *, char *);
    void *ctx;
} line_reader;

static sd_code parse_line(void *ctx, char *line, int lineno)
{
    line_reader *r = ctx;
    r->ps->line = lineno;
    return r->each(r->ps, r->ctx, line);
}

/* Reads path with the shared data-file rules; messages name path and line. A slot file is read
 * in the middle of the grammar file, so the grammar's place is restored afterwards. */
static sd_code read_lines(parser *ps, const char *path, sd_code (*each)(parser *, void *, char *),
                          void *ctx)
{
    const char *saved_file = ps->file;
    int saved_line = ps->line;
    ps->file = path;
    line_reader r = {.ps = ps, .each = each, .ctx = ctx};
    sd_code rc = textfile_each_line(path, parse_line, &r, ps->err, ps->errlen);
    if (rc == SD_OK) {
        ps->file = saved_file;
        ps->line = saved_line;
    }
    return rc;
}

static sd_code slot_row_cb(parser *ps, void *ctx, char *line)
{
    return parse_slot_row(ps, ctx, line);
}

/* "name" reads slots/name.tsv; "name builtin" is filled by code (receipt and phone numbers). */
static sd_code load_slot(parser *ps, const char *dir, char *line)
{
    grammar *g = ps->g;
    char *space = strchr(line, ' ');
    bool builtin = space && strcmp(trim(space), "builtin") == 0;
    if (space && !builtin)
        return fail(ps, "a slot line is 'name' or 'name builtin', not '%s'", line);
    if (space)
        *space = '\0';
    const char *name = line;
    if (grammar_slot_find(g, name) != (size_t)-1)
        return fail(ps, "slot %s listed twice", name);
    slot *ss = push(g->slots, &g->nslots, sizeof *ss);
    if (!ss)
        return SD_ERR_NOMEM;
    g->slots = ss;
    slot *s = &g->slots[g->nslots - 1];
    if (!(s->name = strdup(name)))
        return SD_ERR_NOMEM;
    if (builtin)
        return SD_OK;
    char path[4096];
    snprintf(path, sizeof path, "%s/slots/%s.tsv", dir, name);
    return read_lines(ps, path, slot_row_cb, s);
}

/* ---- the grammar file ---- */

typedef struct {
    const char *dir;
    enum { SEC_NONE, SEC_SLOTS, SEC_RULES, SEC_INTENT } section;
    intent *current;
} file_state;

static sd_code start_section(parser *ps, file_state *fs, char *line)
{
    char *end = strchr(line, ']');
    if (!end)
        return fail(ps, "%s", "section header is missing ']'");
    *end = '\0';
    char *name = trim(line + 1);
    if (strcmp(name, "slots") == 0) {
        fs->section = SEC_SLOTS;
        return SD_OK;
    }
    if (strcmp(name, "rules") == 0) {
        fs->section = SEC_RULES;
        return SD_OK;
    }
    if (strncmp(name, "intent ", 7) != 0)
        return fail(ps, "unknown section [%s]", name);
    grammar *g = ps->g;
    intent *is = push(g->intents, &g->nintents, sizeof *is);
    if (!is)
        return SD_ERR_NOMEM;
    g->intents = is;
    fs->current = &g->intents[g->nintents - 1];
    if (!(fs->current->name = strdup(trim(name + 7))))
        return SD_ERR_NOMEM;
    fs->section = SEC_INTENT;
    return SD_OK;
}

static sd_code define_rule(parser *ps, char *line)
{
    char *eq = strchr(line, '=');
    if (!eq)
        return fail(ps, "%s", "a rule is written 'name = expansion'");
    *eq = '\0';
    char *name = trim(line);
    size_t r = intern_rule(ps->g, name, strlen(name), ps->line);
    if (r == (size_t)-1)
        return SD_ERR_NOMEM;
    if (ps->g->rules[r].root != (size_t)-1)
        return fail(ps, "rule <%s> defined twice", name);
    size_t root = 0;
    sd_code rc = parse_expansion(ps, trim(eq + 1), &root);
    if (rc == SD_OK)
        ps->g->rules[r].root = root;
    return rc;
}

static sd_code grammar_line_cb(parser *ps, void *ctx, char *line)
{
    file_state *fs = ctx;
    line = trim(line);
    if (*line == '[' && strchr(line, ']') && line[strlen(line) - 1] == ']' &&
        (strncmp(line, "[intent ", 8) == 0 || strcmp(line, "[rules]") == 0 ||
         strcmp(line, "[slots]") == 0))
        return start_section(ps, fs, line);
    switch (fs->section) {
    case SEC_SLOTS:
        return load_slot(ps, fs->dir, line);
    case SEC_RULES:
        return define_rule(ps, line);
    case SEC_INTENT: {
        size_t root = 0;
        sd_code rc = parse_expansion(ps, line, &root);
        if (rc != SD_OK)
            return rc;
        size_t *t = push(fs->current->templates, &fs->current->ntemplates, sizeof *t);
        if (!t)
            return SD_ERR_NOMEM;
        fs->current->templates = t;
        t[fs->current->ntemplates - 1] = root;
        return SD_OK;
    }
    case SEC_NONE:
        break;
    }
    return fail(ps, "%s", "text before the first [section]");
}

/* Every used rule must be defined, and no rule may reach itself. */
static sd_code check_rule(parser *ps, size_t node_index, int depth)
{
    grammar *g = ps->g;
    if (depth > MAX_DEPTH)
        return fail(ps, "%s", "rules refer to each other in a cycle (or nest too deep)");
    node *n = &g->nodes[node_index];
    if (n->kind == N_RULE) {
        rule *r = &g->rules[n->ref];
        if (r->root == (size_t)-1) {
            ps->line = r->line;
            return fail(ps, "rule <%s> is used but never defined", r->name);
        }
        return check_rule(ps, r->root, depth + 1);
    }
    for (size_t i = 0; i < n->nkids; i++) {
        sd_code rc = check_rule(ps, n->kids[i], depth + 1);
        if (rc != SD_OK)
            return rc;
    }
    return SD_OK;
}

sd_code grammar_load(const char *dir, const char *lang, grammar **out, char *err, size_t errlen)
{
    *out = NULL;
    grammar *g = calloc(1, sizeof *g);
    if (!g)
        return SD_ERR_NOMEM;
    snprintf(g->lang, sizeof g->lang, "%s", lang);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.grammar", dir, lang);
    char dummy[1];
    parser ps = {.g = g, .file = path, .err = err ? err : dummy, .errlen = err ? errlen : 1};
    file_state fs = {.dir = dir};
    sd_code rc = read_lines(&ps, path, grammar_line_cb, &fs);
    for (size_t i = 0; rc == SD_OK && i < g->nnodes; i++)
        if (g->nodes[i].kind == N_RULE)
            rc = check_rule(&ps, i, 0);
    if (rc != SD_OK) {
        grammar_free(g);
        return rc;
    }
    *out = g;
    return SD_OK;
}

void grammar_free(grammar *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nnodes; i++) {
        free(g->nodes[i].word);
        free(g->nodes[i].kids);
    }
    free(g->nodes);
    for (size_t i = 0; i < g->nrules; i++)
        free(g->rules[i].name);
    free(g->rules);
    for (size_t i = 0; i < g->nslots; i++) {
        slot *s = &g->slots[i];
        for (size_t v = 0; v < s->nvalues; v++) {
            for (size_t c = 0; c < SLOT_COLUMNS; c++)
                free(s->values[v].cols[c]);
            for (size_t k = 0; k < s->values[v].nsyn; k++)
                free(s->values[v].synonyms[k]);
            free(s->values[v].synonyms);
        }
        free(s->values);
        free(s->name);
    }
    free(g->slots);
    for (size_t i = 0; i < g->nintents; i++) {
        free(g->intents[i].name);
        free(g->intents[i].templates);
    }
    free(g->intents);
    free(g);
}

/* ---- expansion ---- */

typedef struct {
    const grammar *g;
    size_t intent;
    size_t limit, produced;
    grammar_sentence_fn fn;
    void *ctx;
    strbuf out;
    bool glue_pending; /* a glued group or rule was entered: its first word takes no space */
    bool stop;
} expander;

/* Continuation-passing walk: expand node, then whatever remains (the stack of pending nodes). */
typedef struct pending {
    size_t node;
    size_t kid; /* for sequences: next child to expand */
    const struct pending *next;
} pending;

static void expand_rest(expander *ex, const pending *rest);

static void append_word(expander *ex, const char *text, size_t len)
{
    if (ex->out.len > 0 && !ex->glue_pending)
        strbuf_append(&ex->out, " ", 1);
    ex->glue_pending = false;
    strbuf_append(&ex->out, text, len);
}

static void rewind_to(expander *ex, size_t mark, bool glue)
{
    ex->out.len = mark;
    if (ex->out.data)
        ex->out.data[mark] = '\0';
    ex->glue_pending = glue;
}

static void expand_node(expander *ex, size_t index, const pending *rest)
{
    if (ex->stop)
        return;
    const grammar *g = ex->g;
    const node *n = &g->nodes[index];
    size_t mark = ex->out.len;
    bool glue_before = ex->glue_pending;
    bool glue = glue_before || n->glued;
    ex->glue_pending = glue;
    switch (n->kind) {
    case N_WORD:
        append_word(ex, n->word, strlen(n->word));
        expand_rest(ex, rest);
        break;
    case N_SLOT: {
        char enc[4];
        size_t len = utf8_encode_char(GRAMMAR_SLOT_MARK + (uint32_t)n->ref, enc);
        append_word(ex, enc, len);
        expand_rest(ex, rest);
        break;
    }
    case N_RULE:
        expand_node(ex, g->rules[n->ref].root, rest);
        break;
    case N_ALT:
        for (size_t i = 0; i < n->nkids && !ex->stop; i++) {
            rewind_to(ex, mark, glue);
            expand_node(ex, n->kids[i], rest);
        }
        break;
    case N_OPT:
        expand_node(ex, n->kids[0], rest);
        rewind_to(ex, mark, glue);
        expand_rest(ex, rest);
        break;
    case N_SEQ: {
        pending p = {.node = index, .kid = 0, .next = rest};
        expand_rest(ex, &p);
        break;
    }
    }
    rewind_to(ex, mark, glue_before);
}

static void expand_rest(expander *ex, const pending *rest)
{
    if (ex->stop)
        return;
    if (!rest) {
        if (ex->out.failed || ex->fn(ex->ctx, ex->intent, strbuf_str(&ex->out)) != 0 ||
            ++ex->produced >= ex->limit)
            ex->stop = true;
        return;
    }
    const node *seq = &ex->g->nodes[rest->node];
    if (rest->kid >= seq->nkids) {
        expand_rest(ex, rest->next);
        return;
    }
    pending after = {.node = rest->node, .kid = rest->kid + 1, .next = rest->next};
    expand_node(ex, seq->kids[rest->kid], &after);
}

sd_code grammar_expand(const grammar *g, size_t intent, size_t tmpl, size_t limit,
                       grammar_sentence_fn fn, void *ctx)
{
    expander ex = {.g = g, .intent = intent, .limit = limit ? limit : 1, .fn = fn, .ctx = ctx};
    strbuf_init(&ex.out);
    strbuf_append(&ex.out, "", 0);
    expand_node(&ex, g->intents[intent].templates[tmpl], NULL);
    bool failed = ex.out.failed;
    strbuf_free(&ex.out);
    return failed ? SD_ERR_NOMEM : SD_OK;
}

static size_t sat_mul(size_t a, size_t b, size_t cap)
{
    return (a && b > cap / a) ? cap : (a * b > cap ? cap : a * b);
}

static size_t count_node(const grammar *g, size_t index, size_t cap)
{
    const node *n = &g->nodes[index];
    size_t total;
    switch (n->kind) {
    case N_WORD:
    case N_SLOT:
        return 1;
    case N_RULE:
        return count_node(g, g->rules[n->ref].root, cap);
    case N_OPT:
        total = count_node(g, n->kids[0], cap) + 1;
        return total > cap ? cap : total;
    case N_ALT:
        total = 0;
        for (size_t i = 0; i < n->nkids; i++)
            total += count_node(g, n->kids[i], cap);
        return total > cap ? cap : total;
    case N_SEQ:
        total = 1;
        for (size_t i = 0; i < n->nkids; i++)
            total = sat_mul(total, count_node(g, n->kids[i], cap), cap);
        return total;
    }
    return 1;
}

size_t grammar_expansion_count(const grammar *g, size_t intent, size_t tmpl, size_t cap)
{
    return count_node(g, g->intents[intent].templates[tmpl], cap);
}

/* A small linear congruential generator: samples need to be reproducible, not unpredictable. */
static size_t next_random(unsigned long *seed, size_t range)
{
    *seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
    return (size_t)((*seed >> 33) % range);
}

static void sample_node(expander *ex, size_t index, unsigned long *seed)
{
    const grammar *g = ex->g;
    const node *n = &g->nodes[index];
    if (n->glued)
        ex->glue_pending = true;
    switch (n->kind) {
    case N_WORD:
        append_word(ex, n->word, strlen(n->word));
        break;
    case N_SLOT: {
        char enc[4];
        append_word(ex, enc, utf8_encode_char(GRAMMAR_SLOT_MARK + (uint32_t)n->ref, enc));
        break;
    }
    case N_RULE:
        sample_node(ex, g->rules[n->ref].root, seed);
        break;
    case N_ALT:
        sample_node(ex, n->kids[next_random(seed, n->nkids)], seed);
        break;
    case N_OPT:
        if (next_random(seed, 2))
            sample_node(ex, n->kids[0], seed);
        break;
    case N_SEQ:
        for (size_t i = 0; i < n->nkids; i++)
            sample_node(ex, n->kids[i], seed);
        break;
    }
    if (n->glued && n->kind != N_WORD && n->kind != N_SLOT)
        ex->glue_pending = false;
}

sd_code grammar_sample(const grammar *g, size_t intent, size_t tmpl, unsigned long *seed,
                       grammar_sentence_fn fn, void *ctx)
{
    expander ex = {.g = g, .intent = intent, .limit = 1, .fn = fn, .ctx = ctx};
    strbuf_init(&ex.out);
    strbuf_append(&ex.out, "", 0);
    sample_node(&ex, g->intents[intent].templates[tmpl], seed);
    sd_code rc = ex.out.failed ? SD_ERR_NOMEM : SD_OK;
    if (rc == SD_OK)
        fn(ctx, intent, strbuf_str(&ex.out));
    strbuf_free(&ex.out);
    return rc;
}

/* ---- accessors ---- */

const char *grammar_lang(const grammar *g)
{
    return g->lang;
}

size_t grammar_intent_count(const grammar *g)
{
    return g->nintents;
}

const char *grammar_intent_name(const grammar *g, size_t intent)
{
    return g->intents[intent].name;
}

size_t grammar_template_count(const grammar *g, size_t intent)
{
    return g->intents[intent].ntemplates;
}

size_t grammar_slot_count(const grammar *g)
{
    return g->nslots;
}

const char *grammar_slot_name(const grammar *g, size_t slot)
{
    return g->slots[slot].name;
}

size_t grammar_slot_find(const grammar *g, const char *name)
{
    for (size_t i = 0; i < g->nslots; i++)
        if (strcmp(g->slots[i].name, name) == 0)
            return i;
    return (size_t)-1;
}

size_t grammar_slot_value_count(const grammar *g, size_t slot)
{
    return g->slots[slot].nvalues;
}

const char *grammar_slot_value(const grammar *g, size_t slot, size_t value)
{
    return g->slots[slot].values[value].cols[0];
}

size_t grammar_slot_synonym_count(const grammar *g, size_t slot, size_t value)
{
    return g->slots[slot].values[value].nsyn;
}

const char *grammar_slot_synonym(const grammar *g, size_t slot, size_t value, size_t synonym)
{
    return g->slots[slot].values[value].synonyms[synonym];
}

const char *grammar_slot_attr(const grammar *g, size_t slot, size_t value, size_t col)
{
    if (col >= SLOT_COLUMNS)
        return "";
    const char *c = g->slots[slot].values[value].cols[col];
    return c ? c : "";
}

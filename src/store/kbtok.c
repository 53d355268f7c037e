/* kbtok.c - the knowledge-base tokenizer, its SQLite FTS5 binding, and a ranking function.
 *
 * Korean residents glue nouns and particles together (불법주차, 주차장에) and most nouns are two
 * syllables, so whole-word and trigram indexes miss them. Like Lucene's CJK bigram filter, we index
 * every overlapping pair of Hangul syllables: a two-syllable query word is then found inside any
 * longer run, and a longer query becomes a phrase of bigrams. English words are folded to lower
 * case and lightly stemmed so "parking" finds "park". Queries go through the very same code, which
 * is what makes both tricks work.
 *
 * The scanner walks the text once, deciding by the first byte (or decoded code point) which kind
 * of run starts there. Hangul bigrams are slices of the input; words are copied into a 64-byte
 * stack buffer for folding and stemming, so there is no heap use and no shared state.
 *
 * The ranking function seodong_weight() scores a row by the weights of the query phrases it
 * holds. FTS5's bm25 reads every matching row's length from a side table (3 us a row: 10 ms for
 * a term in 3,500 entries); whether a phrase occurs is already in the doclist being read. */
#include "kbtok.h"

#include <stdbool.h>
#include <string.h>

#include "utf8.h"

/* Every Hangul syllable is U+AC00..U+D7A3, three bytes in UTF-8. */
#define SYLLABLE_BYTES 3
/* A stemmed word never gets shorter than this, so "bus", "use" and "ties" keep their letters. */
#define MIN_STEM 3

static bool is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_vowel(char c)
{
    return strchr("aeiouy", c) != NULL;
}

static bool ends_with(const char *w, int n, const char *suffix)
{
    int k = (int)strlen(suffix);
    return n >= k && memcmp(w + n - k, suffix, (size_t)k) == 0;
}

static bool has_vowel(const char *w, int n)
{
    for (int i = 0; i < n; i++)
        if (is_vowel(w[i]))
            return true;
    return false;
}

/* Plurals: -ies -> -y, -es only after a sibilant (boxes, glasses; "notes" is note+s), else -s.
 * "ss", "us" and "is" endings are not plurals (address, bus, status, analysis). */
static int strip_plural(char *w, int n)
{
    if (ends_with(w, n, "ss") || ends_with(w, n, "us") || ends_with(w, n, "is"))
        return n;
    if (ends_with(w, n, "ies") && n - 2 >= MIN_STEM) {
        w[n - 3] = 'y';
        return n - 2;
    }
    if ((ends_with(w, n, "sses") || ends_with(w, n, "xes") || ends_with(w, n, "zes") ||
         ends_with(w, n, "ches") || ends_with(w, n, "shes")) &&
        n - 2 >= MIN_STEM)
        return n - 2;
    if (ends_with(w, n, "s") && n - 1 >= MIN_STEM)
        return n - 1;
    return n;
}

/* Drops a verb ending of `suffix` letters when what remains looks like a stem (has a vowel, so
 * "string" and "bred" survive), and undoes consonant doubling (running -> run, stopped -> stop)
 * except for l, s, z, which English keeps doubled in the base form (fall, miss, buzz). */
static int strip_verb_ending(const char *w, int n, int suffix)
{
    int s = n - suffix;
    if (s < MIN_STEM || !has_vowel(w, s))
        return n;
    char last = w[s - 1];
    if (s - 1 >= MIN_STEM && last == w[s - 2] && !is_vowel(last) && !strchr("lsz", last))
        s--;
    return s;
}

/* -ied -> -y, -ed, -ing; "-eed" is left alone because there the e's belong to the stem (speed). */
static int strip_verb(char *w, int n)
{
    if (ends_with(w, n, "ied") && n - 2 >= MIN_STEM) {
        w[n - 3] = 'y';
        return n - 2;
    }
    if (ends_with(w, n, "eed"))
        return n;
    if (ends_with(w, n, "ed"))
        return strip_verb_ending(w, n, 2);
    if (ends_with(w, n, "ing"))
        return strip_verb_ending(w, n, 3);
    return n;
}

/* A final silent e goes too, so that the base form meets its -ed/-ing forms:
 * charge/charged/charging -> charg, buses -> buse -> bus. "-ee" (fee, free) stays. */
static int strip_final_e(const char *w, int n)
{
    if (n - 1 >= MIN_STEM && w[n - 1] == 'e' && w[n - 2] != 'e')
        return n - 1;
    return n;
}

/* Stems the lower-case word w[0..n) in place and returns its new length. */
static int stem(char *w, int n)
{
    n = strip_plural(w, n);
    n = strip_verb(w, n);
    return strip_final_e(w, n);
}

/* Emits the letter run starting at text[*pos], folded and stemmed, and moves *pos past it. */
static int emit_word(const char *text, int len, int *pos, kbtok_emit_fn emit, void *ctx)
{
    char word[KBTOK_MAX_TOKEN];
    int start = *pos, end = start, n = 0;
    for (; end < len && is_letter((unsigned char)text[end]); end++)
        if (n < KBTOK_MAX_TOKEN)
            word[n++] = (char)(text[end] | 0x20); /* ASCII letters: setting 0x20 lower-cases */
    *pos = end;
    /* A truncated word is no word: stemming its arbitrary tail would only add noise. */
    if (end - start <= KBTOK_MAX_TOKEN)
        n = stem(word, n);
    return emit(ctx, word, n, start, end);
}

/* Emits the digit run starting at text[*pos] as it is and moves *pos past it. */
static int emit_number(const char *text, int len, int *pos, kbtok_emit_fn emit, void *ctx)
{
    int start = *pos, end = start;
    while (end < len && is_digit((unsigned char)text[end]))
        end++;
    *pos = end;
    int n = end - start < KBTOK_MAX_TOKEN ? end - start : KBTOK_MAX_TOKEN;
    return emit(ctx, text + start, n, start, end);
}

static bool syllable_at(const char *text, int len, int pos)
{
    uint32_t cp;
    return utf8_decode_char(text + pos, (size_t)(len - pos), &cp) == SYLLABLE_BYTES &&
           hangul_is_syllable(cp);
}

/* Emits the bigrams of the syllable run starting at text[*pos] and moves *pos past it. */
static int emit_hangul(const char *text, int len, int *pos, kbtok_emit_fn emit, void *ctx)
{
    int start = *pos, end = start;
    while (end < len && syllable_at(text, len, end))
        end += SYLLABLE_BYTES;
    *pos = end;
    if (end - start == SYLLABLE_BYTES)
        return emit(ctx, text + start, SYLLABLE_BYTES, start, end);
    int rc = 0;
    for (int i = start; rc == 0 && i + SYLLABLE_BYTES < end; i += SYLLABLE_BYTES)
        rc = emit(ctx, text + i, 2 * SYLLABLE_BYTES, i, i + 2 * SYLLABLE_BYTES);
    return rc;
}

/* Steps over one separator: a whole code point, or a single byte of invalid UTF-8. */
static int skip_separator(const char *text, int len, int pos)
{
    uint32_t cp;
    size_t n = utf8_decode_char(text + pos, (size_t)(len - pos), &cp);
    return pos + (n ? (int)n : 1);
}

int kbtok_tokenize(const char *text, int len, kbtok_emit_fn emit, void *ctx)
{
    int pos = 0, rc = 0;
    if (!text)
        return 0;
    while (rc == 0 && pos < len) {
        unsigned char c = (unsigned char)text[pos];
        if (is_letter(c))
            rc = emit_word(text, len, &pos, emit, ctx);
        else if (is_digit(c))
            rc = emit_number(text, len, &pos, emit, ctx);
        else if (syllable_at(text, len, pos))
            rc = emit_hangul(text, len, &pos, emit, ctx);
        else
            pos = skip_separator(text, len, pos);
    }
    return rc;
}

/* ---- FTS5 binding ---- */

/* FTS5 takes a NULL tokenizer handle to mean "no tokenizer given" and silently falls back to
 * unicode61, so each table gets a real object even though there is nothing to keep in it. */
struct Fts5Tokenizer {
    char unused;
};

typedef int (*fts5_token_fn)(void *ctx, int tflags, const char *token, int token_len, int start,
                             int end);

/* Carries FTS5's token callback through kbtok_tokenize's emit interface. */
struct fts5_call {
    fts5_token_fn token;
    void *ctx;
};

static int fts5_emit(void *ctx, const char *token, int token_len, int start, int end)
{
    struct fts5_call *call = ctx;
    return call->token(call->ctx, 0, token, token_len, start, end);
}

static int fts5_create(void *user, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)user;
    (void)argv;
    /* Reject options rather than ignore them, so a typo in tokenize='...' is loud. */
    if (argc > 0)
        return SQLITE_ERROR;
    *out = sqlite3_malloc(sizeof **out);
    return *out ? SQLITE_OK : SQLITE_NOMEM;
}

static void fts5_delete(Fts5Tokenizer *tok)
{
    sqlite3_free(tok);
}

/* Documents, queries and prefix queries are tokenized alike, which is what lets a query's
 * bigrams and stems meet the indexed ones; hence `flags` is ignored. */
static int fts5_tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *text, int len,
                         fts5_token_fn token)
{
    (void)tok;
    (void)flags;
    struct fts5_call call = {token, ctx};
    return kbtok_tokenize(text, len, fts5_emit, &call);
}

/* The documented way to reach fts5_api: SELECT fts5(?1) writes it through a bound pointer. */
static int fts5_api_of(sqlite3 *db, fts5_api **api)
{
    sqlite3_stmt *stmt = NULL;
    *api = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_bind_pointer(stmt, 1, api, "fts5_api_ptr", NULL);
    if (rc == SQLITE_OK)
        sqlite3_step(stmt);
    int frc = sqlite3_finalize(stmt);
    if (rc == SQLITE_OK)
        rc = frc;
    if (rc == SQLITE_OK && !*api)
        rc = SQLITE_ERROR;
    return rc;
}

/* seodong_weight(fts, w0, w1, ...): the sum of wi over the query phrases i the row holds; a
 * phrase without its weight argument counts 1. */
static void weight_function(const Fts5ExtensionApi *fts, Fts5Context *fctx, sqlite3_context *out,
                            int n_args, sqlite3_value **args)
{
    int phrases = fts->xPhraseCount(fctx);
    double sum = 0;
    for (int i = 0; i < phrases; i++) {
        Fts5PhraseIter iter;
        int col = -1, off = -1;
        int rc = fts->xPhraseFirst(fctx, i, &iter, &col, &off);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(out, rc);
            return;
        }
        if (col >= 0)
            sum += i < n_args ? sqlite3_value_double(args[i]) : 1.0;
    }
    sqlite3_result_double(out, sum);
}

int kbtok_register(sqlite3 *db)
{
    if (!db)
        return SQLITE_MISUSE;
    fts5_api *api;
    int rc = fts5_api_of(db, &api);
    if (rc != SQLITE_OK)
        return rc;
    /* FTS5 copies the struct, so a local is enough. */
    fts5_tokenizer methods = {fts5_create, fts5_delete, fts5_tokenize};
    rc = api->xCreateTokenizer(api, "seodong", NULL, &methods, NULL);
    if (rc != SQLITE_OK)
        return rc;
    return api->xCreateFunction(api, "seodong_weight", NULL, weight_function, NULL);
}

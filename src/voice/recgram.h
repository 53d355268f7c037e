/* recgram.h - compiles a grammar (grammar.h) into what a speech recogniser needs: a finite-state
 * grammar accepting exactly the template sentences, and a pronunciation for every word in it.
 *
 * The text matcher and the recogniser read the same grammars/<lang>.grammar, so what can be
 * heard is what can be understood. The recogniser's job is text: a decoded sentence goes to
 * engine_understand() like a typed one, so the grammar carries no intent tags.
 *
 * The output is a Sphinx FSG (pocketsphinx's own finite-state format), not JSGF: sphinxbase
 * copies a JSGF rule at every reference, and the English grammar written as JSGF needs 638
 * copies of <place> (5 s to load, 1.6 x real time to decode, 430 MB). The FSG is the minimal
 * automaton of the sentences with one copy of a slot per place the automaton uses it.
 *
 * Pronunciations come from a callback, so each language plugs in its own source: English looks
 * words up in dictionaries (recgram_lexicon: models/lexicon-en.dict first, then CMU's); Korean
 * will turn Hangul into en-us phones. A word with no pronunciation cannot be recognised: the
 * sentences (and slot synonyms) holding it are left out and the word is listed as missing.
 *
 * A recgram is immutable once built; any number of threads may read it. */
#ifndef SEODONG_RECGRAM_H
#define SEODONG_RECGRAM_H

#include <stddef.h>

#include "asr.h"
#include "grammar.h"
#include "sd_error.h"

/* CMU's dictionary as Debian's pocketsphinx-en-us installs it. */
#define RECGRAM_CMUDICT ASR_DEFAULT_DICT

/* Pronunciation number variant (0, 1, ...) of word as phones of the acoustic model separated by
 * spaces ("CH AH NG N AA"), or NULL when word has no such variant. word is normalised: lower
 * case, no punctuation but apostrophes. The string must stay valid until the next call. */
typedef const char *(*recgram_pron_fn)(void *ctx, const char *word, size_t variant);

/* Pronunciation dictionaries in CMU format ("word PH ONES", variants as "word(2) ...", '#'
 * comments). A word found in an earlier file takes all its pronunciations from that file. */
typedef struct recgram_lexicon recgram_lexicon;

/* Loads paths[0..npaths) in priority order. Returns SD_OK, SD_ERR_IO ("PATH: reason"),
 * SD_ERR_PARSE ("PATH:LINE: reason") or SD_ERR_NOMEM. */
sd_code recgram_lexicon_load(const char *const *paths, size_t npaths, recgram_lexicon **out,
                             char *err, size_t errlen);
void recgram_lexicon_free(recgram_lexicon *lx);

/* A recgram_pron_fn over a lexicon: pass the recgram_lexicon as ctx. */
const char *recgram_lexicon_pron(void *lexicon, const char *word, size_t variant);

typedef struct recgram recgram;

/* Compiles g. Slots are filled with their synonyms; the builtin slots receipt and phone become
 * digit sequences over the digit slot ("s g two zero two six one two three"); each slot is also
 * accepted on its own, the answer to "where?" or "which number?". Returns
 * SD_OK (missing words are not an error: see recgram_missing), SD_ERR_INVALID when a template
 * is too large or nothing at all can be pronounced, or SD_ERR_NOMEM. */
sd_code recgram_build(const grammar *g, recgram_pron_fn pron, void *ctx, recgram **out, char *err,
                      size_t errlen);

/* One grammar with its source of pronunciations. */
typedef struct {
    const grammar *g;
    recgram_pron_fn pron;
    void *ctx;
} recgram_source;

/* Compiles several grammars into one: any sentence of any of them is heard (each grammar gets
 * an equal share of the start). Used to hear Korean and English at once. The first source that
 * uses a word gives its pronunciations. Returns what recgram_build returns. */
sd_code recgram_build_union(const recgram_source *src, size_t n, recgram **out, char *err,
                            size_t errlen);
void recgram_free(recgram *r);

/* The grammar as Sphinx FSG text (FSG_BEGIN ... FSG_END), NUL-terminated: for
 * fsg_model_read() and ps_set_fsg(). */
const char *recgram_fsg(const recgram *r);

/* The grammar as the recogniser reads it (asr_config.grammar); valid while r lives. */
asr_grammar recgram_for_asr(const recgram *r);

/* The words the grammar uses, each with its pronunciations (variant 0, 1, ... until NULL). */
size_t recgram_word_count(const recgram *r);
const char *recgram_word(const recgram *r, size_t i);
const char *recgram_word_pron(const recgram *r, size_t i, size_t variant);

/* Words of the grammar with no pronunciation, left out with their sentences and synonyms. */
size_t recgram_missing_count(const recgram *r);
const char *recgram_missing(const recgram *r, size_t i);

/* Writes the words and pronunciations as a pocketsphinx dictionary file. Returns SD_OK or
 * SD_ERR_IO ("PATH: reason"). */
sd_code recgram_write_dict(const recgram *r, const char *path, char *err, size_t errlen);

#endif

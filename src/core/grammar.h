/* grammar.h - what users can say: intents as sentence templates, plus slot vocabularies.
 *
 * One grammar per language is read from grammars/<lang>.grammar and grammars/slots/<name>.tsv.
 * The text matcher expands every template into sentences; the speech layer compiles the same
 * templates into recognition grammars. The file format is described in grammars/README.md. */
#ifndef SEODONG_GRAMMAR_H
#define SEODONG_GRAMMAR_H

#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"

typedef struct grammar grammar;

/* A slot reference inside an expanded sentence is written as this private-use code point plus
 * the slot's index, so that matchers can treat it like a single character or word. */
#define GRAMMAR_SLOT_MARK 0xE000u

/* Loads grammars/<lang>.grammar (dir is the grammars folder) and the slot files it references.
 * Returns SD_OK, SD_ERR_IO (file missing), SD_ERR_PARSE (err holds "file:line: reason") or
 * SD_ERR_NOMEM. */
sd_code grammar_load(const char *dir, const char *lang, grammar **out, char *err, size_t errlen);
void grammar_free(grammar *g);

const char *grammar_lang(const grammar *g);
size_t grammar_intent_count(const grammar *g);
const char *grammar_intent_name(const grammar *g, size_t intent);
size_t grammar_template_count(const grammar *g, size_t intent);

/* Called once per expanded sentence; return non-zero to stop. */
typedef int (*grammar_sentence_fn)(void *ctx, size_t intent, const char *sentence);

/* Expands template tmpl of intent into sentences (at most limit of them), calling fn for each.
 * Words are joined by one space unless written glued in the template; slot references appear
 * as GRAMMAR_SLOT_MARK + slot index. Returns SD_OK or SD_ERR_NOMEM. */
sd_code grammar_expand(const grammar *g, size_t intent, size_t tmpl, size_t limit,
                       grammar_sentence_fn fn, void *ctx);

/* How many sentences template tmpl of intent expands to, saturating at cap. */
size_t grammar_expansion_count(const grammar *g, size_t intent, size_t tmpl, size_t cap);

/* Produces one sentence of template tmpl chosen at random: each group picks one alternative
 * and each optional part is kept or dropped, driven by *seed (updated; same seed, same
 * sentence). For templates too large to expand in full. Returns SD_OK or SD_ERR_NOMEM. */
sd_code grammar_sample(const grammar *g, size_t intent, size_t tmpl, unsigned long *seed,
                       grammar_sentence_fn fn, void *ctx);

/* Slots: named vocabularies. Each value has a canonical form and one or more synonyms in this
 * grammar's language; extra columns of the slot file are kept as attributes. */
size_t grammar_slot_count(const grammar *g);
const char *grammar_slot_name(const grammar *g, size_t slot);
/* Index of the slot called name, or (size_t)-1. */
size_t grammar_slot_find(const grammar *g, const char *name);
size_t grammar_slot_value_count(const grammar *g, size_t slot);
const char *grammar_slot_value(const grammar *g, size_t slot, size_t value);
size_t grammar_slot_synonym_count(const grammar *g, size_t slot, size_t value);
const char *grammar_slot_synonym(const grammar *g, size_t slot, size_t value, size_t synonym);
/* Column col (0 = value) of the slot file's row for value, or "" when the row has no such column.
 */
const char *grammar_slot_attr(const grammar *g, size_t slot, size_t value, size_t col);

#endif

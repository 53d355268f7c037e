/* nlu.h - understanding one line of text against one language's grammar.
 *
 * nlu_build() turns a grammar into a matcher once (immutable afterwards, so any number of
 * threads may call nlu_understand() on it at once). nlu_understand() finds slot values
 * (categories, places, receipt and phone numbers) and scores every intent; the knowledge-base
 * fallback and the dialogue are decided above this module, in engine.c and session.c. */
#ifndef SEODONG_NLU_H
#define SEODONG_NLU_H

#include <stdbool.h>
#include <stddef.h>

#include "entities.h"
#include "grammar.h"
#include "sd_error.h"

typedef struct nlu nlu;

#define NLU_VALUE_MAX 128

/* The place slot's value for where the resident stands ("여기 앞", "right here"): the dialogue
 * offers the box's site for it. A named place in the same line wins over it. */
#define NLU_PLACE_HERE "_here"

typedef struct {
    bool set;
    char value[NLU_VALUE_MAX];
    size_t start, end; /* byte span in the normalised text */
} nlu_slot;

typedef struct {
    char intent[32];   /* public intent: complaint.file, smalltalk, ... */
    char topic[32];    /* the part after '/', "" when none: greeting, thanks, time, date ... */
    double confidence; /* 0..1: how well the best template explains the text */
    double explained;  /* share of the text's weight the best template accounts for */
    double second;     /* score of the best other public intent */
    char dialog[32];   /* best dialogue answer: yes, no, cancel, anonymous, or "" */
    double dialog_confidence;
    nlu_slot category, place;
    entities numbers;      /* receipt, phone, digits */
    size_t content_length; /* letters outside slots, a rough measure of free detail */
} nlu_result;

/* Builds the matcher for grammar g (which must outlive it). Returns SD_OK or SD_ERR_NOMEM. */
sd_code nlu_build(const grammar *g, nlu **out);
void nlu_free(nlu *n);

/* Number of distinct template sentences indexed (for reports and benchmarks). */
size_t nlu_sentence_count(const nlu *n);

/* Normalises text for matching: ASCII lower case, full-width forms to ASCII, control characters
 * and runs of white space to one space, trimmed. text must be valid UTF-8. */
void nlu_normalize(const char *text, size_t len, char *out, size_t outsize);
/* The same, keeping the case of letters: byte for byte as long as nlu_normalize's text, so the
 * spans nlu_understand finds there cut this text too (a complaint's detail as it was written). */
void nlu_normalize_cased(const char *text, size_t len, char *out, size_t outsize);

/* Understands normalised text (from nlu_normalize). this_year completes receipts said without
 * a year. Never fails: an empty or unknown text gives confidence 0. */
void nlu_understand(const nlu *n, const char *norm, int this_year, nlu_result *r);

#endif

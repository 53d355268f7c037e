/* recognizer.h - a speech recogniser for one of the engine's languages, built from the same
 * grammars/ the text matcher reads: the pronunciation lexicon for the language, the grammar
 * compiled for recognition (recgram.h) and the PocketSphinx searches (asr.h), owned together.
 *
 * English words take their pronunciations from models/lexicon-en.dict (ours: Seo-gu's place
 * names and other words CMU's dictionary lacks), then from CMU's dictionary. Korean words are
 * turned into en-us phones by rule (g2p_ko.h): there is no Korean acoustic model, so Korean is
 * heard through the English one. */
#ifndef SEODONG_RECOGNIZER_H
#define SEODONG_RECOGNIZER_H
#include "asr.h"
#include "engine.h"

typedef struct recognizer recognizer;

/* The Korean wake phrase (a word of ko.grammar, so it has a pronunciation). */
#define RECOGNIZER_WAKE_KO "서동아"

/* Builds the recogniser for lang: "ko", "en", or "auto" (both grammars in one search, and both
 * wake phrases: the words heard tell the language). base holds the asr settings other than the
 * grammar (NULL = defaults). Returns SD_OK, SD_ERR_INVALID (another language), or what
 * recgram_build and asr_open return; err says which. */
sd_code recognizer_open(engine *e, const char *lang, const asr_config *base, recognizer **out,
                        char *err, size_t errlen);
asr *recognizer_asr(recognizer *r);
/* Grammar words that have no pronunciation (and so cannot be heard). */
size_t recognizer_missing_words(const recognizer *r);
void recognizer_close(recognizer *r);

#endif

/* recognizer.h - a speech recogniser for one of the engine's languages, built from the same
 * grammars/ the text matcher reads: the pronunciation lexicon for the language, the grammar
 * compiled for recognition (recgram.h) and the PocketSphinx searches (asr.h), owned together.
 *
 * The free-text search (a complaint's details) uses the language's domain language model, built
 * with the program into SEODONG_MODELS_DIR/domain-LANG.lm.bin by scripts/build_lm.py (English
 * for "auto"), unless the asr settings name another.
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
/* Its own spotting threshold, unless the speaker is given one: the en-us model hears Korean
 * poorly, so the phrase scores low against its alternatives. eSpeak NG's Korean voice saying it
 * at 3 speeds x 3 pitches into `seodong speaker --lang ko`: 1e-20 (the English phrase's) woke 0
 * of 9, 1e-30 3, 1e-40 5, 1e-50 6. Streamed 519 s of Korean and English speech without it, 1e-30
 * woke once, 1e-40 and 1e-50 four times each. A speaker that talks unasked in a busy hall is worse
 * than one that must be called twice. */
#define RECOGNIZER_WAKE_KO_THRESHOLD "1e-30"

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

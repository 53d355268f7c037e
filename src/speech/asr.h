/* asr.h - speech recognition with PocketSphinx: wake phrase, command sentences, free speech.
 *
 * An asr owns one PocketSphinx decoder (one acoustic model) with three searches:
 *   ASR_WAKE     keyword spotting for the wake phrase ("hey seodong");
 *   ASR_COMMAND  a grammar (asr_grammar; the voice layer compiles Seodong's with recgram.h):
 * exactly the sentences Seodong understands; ASR_FREE     a language model, for complaint details
 * in the resident's own words: the domain's (what residents say to Seodong: the grammar's
 * sentences, the tuning set, the knowledge base's questions and data/corpora/, built with the
 * program by scripts/build_lm.py), or any other PocketSphinx model (ASR_GENERIC_LM). Audio is 16
 * kHz, 16-bit mono. It is fed in chunks as it arrives; asr_feed() reports when speech starts, when
 * it ends (PocketSphinx's voice activity detector has heard trailing_silence_ms of silence, or the
 * utterance hit max_utterance_ms) and when the wake phrase is heard. asr_finish() then gives the
 * text and a confidence.
 *
 * Confidence. A grammar search always answers with the nearest sentence, however far the speech
 * was from every sentence, and gives no probability. So once a command utterance has ended, a
 * free loop of the grammar's own words hears it too (the second opinion: a search over that
 * utterance's speech only, tens of milliseconds), and asr_finish() compares the two: the score
 * per frame of the grammar's path against the loop's (is the speech better explained by
 * Seodong's sentences or by any string of its words?), how much of the speech the grammar's path
 * covers with words rather than silence, and how many grammar words the loop also heard, and how
 * surely (its word posteriors). asr.c gives the formula and the numbers.
 *
 * Limits: words cannot be added to a language model (sphinxbase 5prealpha, see asr.c): free
 * speech hears only the model's words; 16 kHz only.
 *
 * An asr is not thread-safe: use one per audio stream (a speaker, a phone call). Objects share
 * nothing, except that PocketSphinx's log destination is global to the process. Each asr holds
 * one acoustic model, the language models and the dictionary in memory (about 35 MB with
 * the domain dictionary, recognizer.h). */
#ifndef SEODONG_ASR_H
#define SEODONG_ASR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"

#define ASR_DEFAULT_HMM "/usr/share/pocketsphinx/model/en-us/en-us"
/* PocketSphinx's general English model: asr_config.lm may name it instead of the domain's. */
#define ASR_GENERIC_LM "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"
/* CMU's dictionary as Debian's pocketsphinx-en-us installs it. */
#define ASR_DEFAULT_DICT "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"
#define ASR_DEFAULT_WAKE "hey seodong"
/* Keyword-spotting threshold: higher misses more, lower wakes up more often by mistake. Chosen by
 * measurement (models/README.md): the lowest that never woke on 66 sentences without the phrase. */
#define ASR_DEFAULT_WAKE_THRESHOLD 1e-20
#define ASR_TEXT_MAX 512

typedef struct asr asr;

/* What the command search needs of a recognition grammar: its sentences as PocketSphinx's FSG
 * text, and its words with their pronunciations (CMU phones), read through two functions over
 * words so that the grammar's owner keeps its own form. */
typedef struct {
    const char *fsg;
    size_t nwords;
    const void *words;
    const char *(*word)(const void *words, size_t i);
    /* The variant'th pronunciation of word i; NULL after the last. */
    const char *(*pron)(const void *words, size_t i, size_t variant);
} asr_grammar;

typedef struct {
    const char *hmm;            /* acoustic model folder; NULL = ASR_DEFAULT_HMM */
    const char *lm;             /* language model for free speech. Required: the recogniser gives
                                   its language's domain model (recognizer.h) */
    const char *dict;           /* pronunciation dictionary for lm; NULL = ASR_DEFAULT_DICT */
    const asr_grammar *grammar; /* command grammar; its words join the dictionary. Required. */
    const char *wake_phrase;    /* NULL = ASR_DEFAULT_WAKE; several as "a|b"; every word needs a
                                   pronunciation; "phrase/T" gives that phrase threshold T */
    double wake_threshold;      /* for phrases without their own; 0 = ASR_DEFAULT_WAKE_THRESHOLD */
    int sample_rate;            /* 0 = 16000, the only rate supported (8 kHz is a later issue) */
    int trailing_silence_ms;    /* silence that ends an utterance; 0 = 500 */
    int max_utterance_ms;       /* speech longer than this is cut; 0 = 15000 */
    bool verbose;               /* PocketSphinx's log on stderr instead of /dev/null */
} asr_config;

typedef enum { ASR_WAKE, ASR_COMMAND, ASR_FREE } asr_mode;

typedef struct {
    bool speech_started; /* the voice activity detector heard speech begin */
    bool speech_ended;   /* the utterance is over: call asr_finish() */
    bool wake;           /* ASR_WAKE: the wake phrase was heard */
    size_t used;         /* samples of the chunk taken; after an end or a wake, the rest of the
                            chunk was not read: feed it again (to the next utterance) */
} asr_event;

typedef struct {
    char text[ASR_TEXT_MAX];    /* the words heard, lower case; "" when nothing */
    double confidence;          /* 0..1; see the top of this file */
    char lm_text[ASR_TEXT_MAX]; /* ASR_COMMAND: what the language model heard, for logs */
    double seconds;             /* length of the utterance's audio */
} asr_result;

/* Loads the models and the searches. Returns SD_OK; SD_ERR_INVALID for a bad configuration, a
 * wake word without pronunciation or a grammar PocketSphinx refuses; SD_ERR_IO when a model
 * cannot be loaded; SD_ERR_NOMEM. err says which. Takes about half a second. */
sd_code asr_open(const asr_config *cfg, asr **out, char *err, size_t errlen);
void asr_close(asr *a);

/* Picks the search for the next utterances; drops an utterance in progress. Right after a wake,
 * the audio heard after the wake phrase is kept and begins the next utterance. */
sd_code asr_set_mode(asr *a, asr_mode mode);
asr_mode asr_get_mode(const asr *a);

/* Starts an utterance. In ASR_WAKE mode one utterance may last for hours: the audio kept is
 * bounded. */
sd_code asr_begin(asr *a);
/* Feeds pcm[0..n); stops early at the end of speech or at a wake (see asr_event.used). */
sd_code asr_feed(asr *a, const int16_t *pcm, size_t n, asr_event *ev);
/* Ends the utterance and recognises it. */
sd_code asr_finish(asr *a, asr_result *res);

/* The audio of the current or last utterance (from just before speech began), valid until the
 * next asr_begin(): a filed complaint keeps its recording. */
const int16_t *asr_utterance_audio(const asr *a, size_t *n);

/* Recognises a whole recording as one utterance in the given mode (the mode stays set). */
sd_code asr_transcribe_pcm(asr *a, const int16_t *pcm, size_t n, asr_mode mode, asr_result *res);

#endif

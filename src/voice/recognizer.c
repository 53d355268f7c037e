/* recognizer.c - see recognizer.h. */
#include "recognizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "g2p_ko.h"
#include "recgram.h"

struct recognizer {
    recgram_lexicon *lexicon; /* English */
    g2p_ko *g2p;              /* Korean */
    recgram *grammar;
    asr_grammar grammar_view; /* grammar as the asr reads it */
    asr *asr;
};

void recognizer_close(recognizer *r)
{
    if (!r)
        return;
    asr_close(r->asr);
    recgram_free(r->grammar);
    recgram_lexicon_free(r->lexicon);
    g2p_ko_free(r->g2p);
    free(r);
}

static sd_code load_english_lexicon(engine *e, recognizer *r, char *err, size_t errlen)
{
    char ours[1024];
    snprintf(ours, sizeof ours, "%s/models/lexicon-en.dict", engine_data_dir(e));
    const char *paths[] = {ours, RECGRAM_CMUDICT};
    return recgram_lexicon_load(paths, 2, &r->lexicon, err, errlen);
}

/* The grammars lang asks for, each with its pronunciations: English from the lexicons, Korean by
 * rule, "auto" both at once. */
static sd_code compile(engine *e, recognizer *r, const char *lang, char *err, size_t errlen)
{
    bool korean = strcmp(lang, "en") != 0, english = strcmp(lang, "ko") != 0;
    recgram_source src[2];
    size_t n = 0;
    sd_code rc = SD_OK;
    if (english && (rc = load_english_lexicon(e, r, err, errlen)) == SD_OK)
        src[n++] = (recgram_source){engine_grammar(e, "en"), recgram_lexicon_pron, r->lexicon};
    if (rc == SD_OK && korean && (rc = g2p_ko_new(&r->g2p)) == SD_OK)
        src[n++] = (recgram_source){engine_grammar(e, "ko"), g2p_ko_pron, r->g2p};
    return rc == SD_OK ? recgram_build_union(src, n, &r->grammar, err, errlen) : rc;
}

/* The wake phrases of ko or auto: the Korean one with its own threshold unless one was given. */
static const char *korean_wake(bool auto_lang, bool threshold_given)
{
#define KO_OWN RECOGNIZER_WAKE_KO "/" RECOGNIZER_WAKE_KO_THRESHOLD
    if (auto_lang)
        return threshold_given ? ASR_DEFAULT_WAKE "|" RECOGNIZER_WAKE_KO
                               : ASR_DEFAULT_WAKE "|" KO_OWN;
    return threshold_given ? RECOGNIZER_WAKE_KO : KO_OWN;
#undef KO_OWN
}

sd_code recognizer_open(engine *e, const char *lang, const asr_config *base, recognizer **out,
                        char *err, size_t errlen)
{
    *out = NULL;
    bool auto_lang = strcmp(lang, "auto") == 0;
    if (!auto_lang && strcmp(lang, "ko") != 0 && strcmp(lang, "en") != 0) {
        snprintf(err, errlen, "no voice input for language '%s': use ko, en or auto", lang);
        return SD_ERR_INVALID;
    }
    recognizer *r = calloc(1, sizeof *r);
    if (!r)
        return SD_ERR_NOMEM;
    sd_code rc = compile(e, r, lang, err, errlen);
    if (rc == SD_OK) {
        asr_config cfg = base ? *base : (asr_config){0};
        r->grammar_view = recgram_for_asr(r->grammar);
        cfg.grammar = &r->grammar_view;
        char lm[1024];
        snprintf(lm, sizeof lm, "%s/domain-%s.lm.bin", SEODONG_MODELS_DIR,
                 strcmp(lang, "ko") == 0 ? "ko" : "en");
        /* The domain model's own dictionary, unless another model or wake phrase may need any
         * English word: CMU's whole dictionary costs a recogniser 48 MB more. */
        if (!cfg.lm && !cfg.dict && !cfg.wake_phrase)
            cfg.dict = SEODONG_MODELS_DIR "/domain-en.dict";
        if (!cfg.lm)
            cfg.lm = lm;
        if (!cfg.wake_phrase && strcmp(lang, "en") != 0)
            cfg.wake_phrase = korean_wake(auto_lang, cfg.wake_threshold > 0);
        rc = asr_open(&cfg, &r->asr, err, errlen);
    }
    if (rc != SD_OK) {
        recognizer_close(r);
        return rc;
    }
    *out = r;
    return SD_OK;
}

asr *recognizer_asr(recognizer *r)
{
    return r->asr;
}

size_t recognizer_missing_words(const recognizer *r)
{
    return recgram_missing_count(r->grammar);
}

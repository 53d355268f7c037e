/* recognizer.c - see recognizer.h. */
#include "recognizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "g2p_ko.h"

struct recognizer {
    recgram_lexicon *lexicon; /* English */
    g2p_ko *g2p;              /* Korean */
    recgram *grammar;
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

sd_code recognizer_open(engine *e, const char *lang, const asr_config *base, recognizer **out,
                        char *err, size_t errlen)
{
    *out = NULL;
    bool korean = strcmp(lang, "ko") == 0;
    if (!korean && strcmp(lang, "en") != 0) {
        snprintf(err, errlen, "no voice input for language '%s': use ko or en", lang);
        return SD_ERR_INVALID;
    }
    recognizer *r = calloc(1, sizeof *r);
    if (!r)
        return SD_ERR_NOMEM;
    sd_code rc = korean ? g2p_ko_new(&r->g2p) : load_english_lexicon(e, r, err, errlen);
    if (rc == SD_OK)
        rc = recgram_build(engine_grammar(e, lang), korean ? g2p_ko_pron : recgram_lexicon_pron,
                           korean ? (void *)r->g2p : (void *)r->lexicon, &r->grammar, err, errlen);
    if (rc == SD_OK) {
        asr_config cfg = base ? *base : (asr_config){0};
        cfg.grammar = r->grammar;
        if (korean && !cfg.wake_phrase)
            cfg.wake_phrase = RECOGNIZER_WAKE_KO;
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

/* asr.c - PocketSphinx recogniser (see asr.h).
 *
 * How it works:
 *  - asr_open() starts one decoder (one acoustic model, one feature front end, one dictionary:
 *    CMU's, with the grammar's words and our pronunciations added) with four named searches:
 *    "wake" (keyphrases), "command" (the FSG of asr_grammar), "free" (the domain language model,
 * asr.h) and "loop" (a loop of the grammar's words, see command confidence). One search hears the
 *    audio live: the mode's own (free speech: the language model).
 *  - Audio is fed in blocks of 20 ms; it is also kept, to be filed with a complaint. The
 *    detector's state (ps_get_in_speech) gives the start and end of speech; -vad_postspeech is
 *    the trailing silence. Once a command has ended, the grammar and then the second opinion
 *    (the loop) hear its features again, normalised by its own mean (hear_command), where until
 *    2026-12 a second decoder with its own copy of the acoustic model and the general English
 *    language model heard every frame live beside the grammar.
 *    Sharing the senone scores of one scoring pass between the two searches was measured too
 *    (PocketSphinx's -compallsen with a senone log read back by ps_decode_senscr): scoring
 *    every senone for the grammar's pass costs 0.06 x real time against 0.024 for the senones
 *    its search needs, more than the second opinion's own scoring saves; the language model's
 *    search, not the scoring, was what cost (0.16 x real time for the general English model).
 *  - The live feature normalisation (cepstral mean) is a running mean of all the audio heard
 *    before: the wake phrase, the resident before, a phone line's greeting echo. A command is not
 *    judged under it: the live pass finds the end of speech and computes the features (read
 *    back from PocketSphinx's log, read_features), and both searches then hear them normalised
 *    by the utterance's own mean (hear_command gives the measurements). Free speech is heard
 *    live; an asr's first free utterance is decoded again as a whole (decode_whole). A
 *    recording (asr_transcribe_pcm) has no audio before it, so it is heard once first to set
 *    the running normalisation.
 *  - A wake is reported 200 ms after the spotter's first hypothesis (its end may still move);
 *    the audio after the phrase is carried into the next utterance, so "hey seodong what time
 *    is it" said in one breath still gives "what time is it" to the command search.
 *  - Command confidence (asr_finish) compares what the grammar and the second opinion made of
 *    the utterance. The second opinion is a free loop of the grammar's own words (a unigram
 *    model written at start, every word as likely): it asks the question that matters, does the
 *    sentence the grammar forced match the words heard freely? Three measures:
 *      gap       (grammar path score - loop path score) per frame: is the speech better
 *                explained by Seodong's sentences or by any string of Seodong's words?
 *      cover     frames the grammar path spends in words over frames the loop's path does (at
 *                most 1): a grammar path that explains half the speech as silence ("my
 *                grandmother grows tomatoes..." heard as "my complaint progress") is wrong;
 *      agree     the loop's posteriors of the grammar words it heard too (aligned in order),
 *                over the number of grammar words.
 *    confidence = logistic(gap / 5) * cover * (0.5 + 0.5 * agree), fitted for Korean on 100
 *    sentences from the grammar and 100 from the dev set, clean, for the speaker's threshold
 *    (VOICE_REJECT, 0.35), and checked on the same sentences at 20 dB SNR: acted on and right
 *    72 and 97 of 200, wrong but confident 7 and 14, where the general English language model
 *    gave 83 and 104 right but 17 and 27 wrong. English was judged against that general model
 *    until 2026-12; on the English spoken set (60 dev-set sentences, clean / 20 / 10 dB SNR, by
 *    condition) the loop gives wrong but confident 3.3 / 3.3 / 8.3% against its 3.3 / 6.7 /
 *    11.7%, and costs a tenth of its time. The domain language model is no judge: it is built
 *    from the grammar's sentences, so it explains a frequent sentence better than the grammar
 *    does ("what time is it" scored 0.06) and still forces noise onto its words (15% wrong but
 *    confident at 10 dB).
 *  - Free speech confidence: the mean posterior of the language model's words.
 */
#include "asr.h"

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pocketsphinx.h>

#define RATE 16000
#define WAKE_TAIL (RATE * 16 / 100) /* audio after the wake phrase when it is reported; wake_up */
#define WAKE_SETTLE (RATE / 5)      /* how long a detection may still move its end */
#define FRAME_SAMPLES 160           /* a 10 ms frame at 16 kHz */
#define BLOCK 320                   /* samples per ps_process_raw(): events are this precise */
#define PRE_SPEECH (RATE / 2)       /* audio kept from before speech began */
#define WAKE_RESTART (10 * RATE)    /* a silent spotter restarts after this much audio */
#define MAX_WORDS 64                /* words compared for agreement */
#define MAX_WAKE_WORDS 8
#define MAX_WAKE_LINES 64 /* pronunciation combinations of the wake phrase */
#define CMN_MAX 64        /* cepstral coefficients the normalisation is saved for */

static const char *const search_name[] = {"wake", "command", "free"};
#define LOOP_SEARCH "loop" /* the second opinion on commands */

/* How a command's confidence weighs the three measures (see the top of this file). */
#define GAP_SCALE 5.0    /* score gap per frame that moves confidence most */
#define AGREE_WEIGHT 0.5 /* share of the confidence that agreement can take away */

struct asr {
    cmd_ln_t *config;
    ps_decoder_t *ps; /* the one decoder: one acoustic model, one front end, all the searches */
    asr_mode mode;
    mfcc_t cmn_start[CMN_MAX]; /* the feature normalisation as this utterance began */
    char featdir[256];         /* where PocketSphinx logs each utterance's features (-mfclogdir) */
    mfcc_t *feat;              /* the last live pass's features, read back */
    mfcc_t *cep;               /* a copy for a pass over them: PocketSphinx normalises in place */
    mfcc_t **rows;             /* cep's frames */
    size_t nfeat, capfeat;
    bool started;          /* an utterance is open in the decoder(s) */
    bool cold;             /* no utterance has ended: the normalisation is the model's guess */
    bool in_speech;        /* the detector's last state */
    bool heard;            /* speech began in this utterance */
    size_t speech_samples; /* fed since speech began */
    size_t max_samples;
    int16_t *audio; /* this utterance, from PRE_SPEECH before speech began */
    size_t naudio, capaudio;
    int16_t *carry; /* heard after a wake phrase, for the next utterance */
    size_t ncarry;
    bool pending_start; /* speech began in carried audio: reported by the next asr_feed */
    bool reported;      /* the spotter has a detection, settling */
    size_t report_at;   /* audio kept when it was first reported */
    int first_end;      /* its end frame then */
    char wake[ASR_TEXT_MAX];
    bool woke;
};

/* ---- opening ---- */

static void set_err(char *err, size_t errlen, const char *fmt, const char *detail)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, detail);
    snprintf(err, errlen, "speech recogniser: %s", msg);
}

/* Adds phones for word unless the dictionary has them already, as word, word(2), ... A word CMU
 * also knows ("dong", "seo") keeps CMU's pronunciation beside ours: a dictionary entry cannot be
 * removed, so here "ours first" only means ours are all there. */
static bool add_pron(ps_decoder_t *ps, const char *word, const char *phones)
{
    char name[128];
    for (int k = 1; k < 100; k++) {
        if (k == 1)
            snprintf(name, sizeof name, "%s", word);
        else
            snprintf(name, sizeof name, "%s(%d)", word, k);
        char *have = ps_lookup_word(ps, name);
        if (!have)
            return ps_add_word(ps, name, phones, FALSE) >= 0;
        bool same = strcmp(have, phones) == 0;
        ckd_free(have);
        if (same)
            return true;
    }
    return false;
}

static sd_code add_grammar_words(ps_decoder_t *ps, const asr_grammar *g, char *err, size_t errlen)
{
    for (size_t i = 0; i < g->nwords; i++) {
        const char *p;
        for (size_t k = 0; (p = g->pron(g->words, i, k)) != NULL; k++)
            if (!add_pron(ps, g->word(g->words, i), p)) {
                set_err(err, errlen,
                        "the pronunciation of '%s' has a phone the acoustic model "
                        "lacks",
                        g->word(g->words, i));
                return SD_ERR_INVALID;
            }
    }
    return SD_OK;
}

/* The language model. Words are never added to it: sphinxbase 5prealpha's ngram_model_add_word()
 * corrupts a binary trie model (a crash in lm_trie_score on the first trigram through an added
 * word). The domain model (asr.h) is built from the grammar's own sentences, so it has the place
 * names; a word it has that no dictionary pronounces is simply never heard. */
static sd_code load_lm(asr *a, const char *path, char *err, size_t errlen)
{
    if (ps_set_lm_file(a->ps, search_name[ASR_FREE], path) < 0) {
        set_err(err, errlen,
                "cannot load the language model %s (it is built with the program: run the "
                "build, which needs irstlm and sphinxbase-utils)",
                path);
        return SD_ERR_IO;
    }
    return SD_OK;
}

/* Writes the grammar's words as an ARPA unigram model, every word as likely. */
static bool write_word_loop(FILE *f, const asr_grammar *g)
{
    size_t n = g->nwords;
    double logp = log10(1.0 / (double)(n + 1)); /* the words and </s> */
    fprintf(f, "\\data\\\nngram 1=%zu\n\n\\1-grams:\n-99 <s>\n%.4f </s>\n", n + 2, logp);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%.4f %s\n", logp, g->word(g->words, i));
    fputs("\n\\end\\\n", f);
    return fflush(f) == 0 && !ferror(f);
}

/* The word loop, through a file: PocketSphinx reads language models only from files. */
static sd_code load_word_loop(asr *a, const asr_grammar *g, char *err, size_t errlen)
{
    sd_code rc = SD_OK;
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/seodong-loop-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        set_err(err, errlen, "cannot write the word loop's model in %.180s (set TMPDIR)", path);
        return SD_ERR_IO;
    }
    bool written = write_word_loop(f, g);
    fclose(f);
    if (!written || ps_set_lm_file(a->ps, LOOP_SEARCH, path) < 0) {
        set_err(err, errlen, "%s", "PocketSphinx refused the word loop's model");
        rc = SD_ERR_IO;
    }
    unlink(path);
    return rc;
}

static sd_code load_grammar(asr *a, const asr_grammar *g, char *err, size_t errlen)
{
    const char *text = g->fsg;
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    if (!f)
        return SD_ERR_NOMEM;
    fsg_model_t *fsg =
        fsg_model_read(f, ps_get_logmath(a->ps), (float32)cmd_ln_float_r(a->config, "-lw"));
    fclose(f);
    int rc = fsg ? ps_set_fsg(a->ps, search_name[ASR_COMMAND], fsg) : -1;
    fsg_model_free(fsg);
    if (rc < 0) {
        set_err(err, errlen, "%s", "PocketSphinx refused the command grammar");
        return SD_ERR_INVALID;
    }
    return SD_OK;
}

/* How many pronunciations word has in the decoder's dictionary (word, word(2), ...). */
static int variant_count(ps_decoder_t *ps, const char *word)
{
    int n = 0;
    for (;;) {
        char name[128];
        if (n == 0)
            snprintf(name, sizeof name, "%s", word);
        else
            snprintf(name, sizeof name, "%s(%d)", word, n + 1);
        char *have = ps_lookup_word(ps, name);
        if (!have)
            return n;
        ckd_free(have);
        n++;
    }
}

/* Writes one keyphrase line per combination of the words' pronunciations: the spotter only
 * follows a word's first one, and "seodong" is said the Korean way or as its spelling reads. */
static bool write_keyphrases(FILE *f, char **words, const int *variants, int nwords,
                             double threshold)
{
    int pick[MAX_WAKE_WORDS] = {0};
    for (int lines = 0; lines < MAX_WAKE_LINES; lines++) {
        for (int i = 0; i < nwords; i++) {
            fputs(i ? " " : "", f);
            fputs(words[i], f);
            if (pick[i] > 0)
                fprintf(f, "(%d)", pick[i] + 1);
        }
        fprintf(f, " /%g/\n", threshold);
        int i = nwords - 1;
        while (i >= 0 && ++pick[i] == variants[i])
            pick[i--] = 0;
        if (i < 0)
            break;
    }
    return !ferror(f);
}

/* Splits phrase into words, each with its number of pronunciations in the dictionary. */
static sd_code wake_words(asr *a, char *phrase, char **words, int *variants, int *nwords, char *err,
                          size_t errlen)
{
    *nwords = 0;
    char *save = NULL;
    for (char *w = strtok_r(phrase, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (*nwords == MAX_WAKE_WORDS) {
            set_err(err, errlen, "the wake phrase starting '%s' is too long", words[0]);
            return SD_ERR_INVALID;
        }
        if ((variants[*nwords] = variant_count(a->ps, w)) == 0) {
            set_err(err, errlen, "the wake phrase word '%s' has no pronunciation", w);
            return SD_ERR_INVALID;
        }
        words[(*nwords)++] = w;
    }
    return SD_OK;
}

/* Splits "phrase/T" into the phrase and its threshold (default when there is none). */
static bool phrase_threshold(char *phrase, double fallback, double *threshold)
{
    char *slash = strchr(phrase, '/');
    *threshold = fallback;
    if (!slash)
        return true;
    *slash = '\0';
    char *end = NULL;
    *threshold = strtod(slash + 1, &end);
    return end != slash + 1 && *end == '\0' && *threshold > 0 && *threshold <= 1;
}

/* phrases: one wake phrase, or several separated by '|' ("hey seodong|서동아/1e-30"). */
static sd_code load_wake(asr *a, const char *phrases, double threshold, char *err, size_t errlen)
{
    /* ps_set_kws() reads keyphrases from a file only. */
    char path[] = "/tmp/seodong-wake-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        set_err(err, errlen, "cannot write the wake phrases in %s", "/tmp");
        return SD_ERR_IO;
    }
    char copy[ASR_TEXT_MAX], *words[MAX_WAKE_WORDS];
    int variants[MAX_WAKE_WORDS], nwords = 0;
    snprintf(copy, sizeof copy, "%s", phrases);
    a->wake[0] = '\0';
    sd_code rc = SD_OK;
    bool written = true;
    char *save = NULL;
    for (char *p = strtok_r(copy, "|", &save); rc == SD_OK && p; p = strtok_r(NULL, "|", &save)) {
        double own;
        if (!phrase_threshold(p, threshold, &own)) {
            set_err(err, errlen,
                    "the wake phrase '%s' has a bad threshold (want a number above 0 and at most "
                    "1, such as 1e-30)",
                    p);
            rc = SD_ERR_INVALID;
            break;
        }
        size_t used = strlen(a->wake);
        snprintf(a->wake + used, sizeof a->wake - used, "%s%s", used ? "|" : "", p);
        rc = wake_words(a, p, words, variants, &nwords, err, errlen);
        if (rc == SD_OK && nwords)
            written = write_keyphrases(f, words, variants, nwords, own) && written;
    }
    written = fclose(f) == 0 && written;
    int set = rc == SD_OK && written ? ps_set_kws(a->ps, search_name[ASR_WAKE], path) : -1;
    unlink(path);
    if (rc == SD_OK && set < 0) {
        set_err(err, errlen, "PocketSphinx refused the wake phrase '%s'", phrases);
        rc = written ? SD_ERR_INVALID : SD_ERR_IO;
    }
    return rc;
}

/* The decoder with Seodong's settings. */
static sd_code new_decoder(const asr_config *cfg, const char *featdir, cmd_ln_t **config,
                           ps_decoder_t **ps, char *err, size_t errlen)
{
    char postspeech[16];
    int silence_ms = cfg->trailing_silence_ms > 0 ? cfg->trailing_silence_ms : 500;
    snprintf(postspeech, sizeof postspeech, "%d", (silence_ms + 9) / 10);
    /* clang-format off */
    const char *argv[] = {
        "-hmm",            cfg->hmm ? cfg->hmm : ASR_DEFAULT_HMM,
        "-dict",           cfg->dict ? cfg->dict : ASR_DEFAULT_DICT,
        "-samprate",       "16000",
        "-vad_postspeech", postspeech,
        /* Narrower than the defaults: 28% less CPU for the language model's passes, and the
         * same confidence numbers on the test sentences. Both of its passes are kept (the tree
         * search, then the flat-lexicon one over the utterance's frames): with the tree search
         * alone its path scores are worse, so the confidence rose on what was misheard (Korean
         * spoken set, wrong but confident 16 / 11 / 16% against 8 / 2 / 3%). */
        "-maxhmmpf",       "10000",
        "-fwdflatbeam",    "1e-50",
        "-fwdflatwbeam",   "1e-24",
        "-mfclogdir",      featdir,
        "-logfn",          "/dev/null", /* last: dropped when verbose */
    };
    /* clang-format on */
    int argc = (int)(sizeof argv / sizeof argv[0]) - (cfg->verbose ? 2 : 0);
    *config = cmd_ln_parse_r(NULL, ps_args(), argc, (char **)argv, TRUE);
    if (!*config) {
        set_err(err, errlen, "%s", "bad PocketSphinx configuration");
        return SD_ERR_INVALID;
    }
    if (!(*ps = ps_init(*config))) {
        set_err(err, errlen,
                "cannot load the acoustic model %s or the dictionary (set verbose "
                "for PocketSphinx's reason)",
                argv[1]);
        return SD_ERR_IO;
    }
    return SD_OK;
}

sd_code asr_open(const asr_config *cfg, asr **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!cfg->grammar || !cfg->lm) {
        set_err(err, errlen, "%s",
                cfg->grammar ? "no language model given" : "no command grammar given");
        return SD_ERR_INVALID;
    }
    if (cfg->sample_rate != 0 && cfg->sample_rate != RATE) {
        set_err(err, errlen, "%s", "only 16000 Hz audio is supported for now");
        return SD_ERR_INVALID;
    }
    asr *a = calloc(1, sizeof *a);
    if (!a)
        return SD_ERR_NOMEM;
    a->cold = true;
    int max_ms = cfg->max_utterance_ms > 0 ? cfg->max_utterance_ms : 15000;
    a->max_samples = (size_t)max_ms * (RATE / 1000);
    const char *tmp = getenv("TMPDIR");
    snprintf(a->featdir, sizeof a->featdir, "%.200s/seodong-feat-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(a->featdir)) {
        set_err(err, errlen, "cannot make a folder in %.180s (set TMPDIR)", a->featdir);
        a->featdir[0] = '\0';
        asr_close(a);
        return SD_ERR_IO;
    }
    sd_code rc = new_decoder(cfg, a->featdir, &a->config, &a->ps, err, errlen);
    if (rc == SD_OK)
        rc = add_grammar_words(a->ps, cfg->grammar, err, errlen);
    if (rc == SD_OK)
        rc = load_lm(a, cfg->lm, err, errlen);
    if (rc == SD_OK)
        rc = load_word_loop(a, cfg->grammar, err, errlen);
    if (rc == SD_OK)
        rc = load_grammar(a, cfg->grammar, err, errlen);
    if (rc == SD_OK)
        rc = load_wake(a, cfg->wake_phrase ? cfg->wake_phrase : ASR_DEFAULT_WAKE,
                       cfg->wake_threshold > 0 ? cfg->wake_threshold : ASR_DEFAULT_WAKE_THRESHOLD,
                       err, errlen);
    if (rc == SD_OK)
        rc = asr_set_mode(a, ASR_COMMAND);
    if (rc != SD_OK) {
        asr_close(a);
        return rc;
    }
    *out = a;
    return SD_OK;
}

/* Ends the live search's utterance, from which the feature normalisation learns. */
static void end_utt(asr *a)
{
    ps_end_utt(a->ps);
    if (ps_get_n_frames(a->ps) > 0)
        a->cold = false;
}

/* Removes the feature logs of past utterances (see read_features). */
static void clear_features(asr *a)
{
    DIR *d = a->featdir[0] ? opendir(a->featdir) : NULL;
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", a->featdir, e->d_name);
        unlink(path);
    }
    closedir(d);
}

/* Starts an utterance of the live search; its features are logged afresh. */
static bool start_utt(asr *a)
{
    clear_features(a);
    return ps_start_utt(a->ps) >= 0;
}

void asr_close(asr *a)
{
    if (!a)
        return;
    /* The FSG search frees its active lists only at the end of an utterance. */
    if (a->started)
        end_utt(a);
    ps_free(a->ps);
    cmd_ln_free_r(a->config);
    clear_features(a);
    if (a->featdir[0])
        rmdir(a->featdir);
    free(a->feat);
    free(a->cep);
    free(a->rows);
    free(a->audio);
    free(a->carry);
    free(a);
}

/* ---- streaming ---- */

sd_code asr_set_mode(asr *a, asr_mode mode)
{
    if (a->started)
        end_utt(a);
    a->started = false;
    if (!a->woke)
        a->ncarry = 0;
    a->woke = false;
    a->mode = mode;
    /* Free speech is heard by the language model as it comes; a command by the grammar, and by
     * the second opinion only once it has ended (asr_finish). */
    return ps_set_search(a->ps, search_name[mode]) < 0 ? SD_ERR_INVALID : SD_OK;
}

asr_mode asr_get_mode(const asr *a)
{
    return a->mode;
}

static bool keep_audio(asr *a, const int16_t *pcm, size_t n)
{
    if (a->naudio + n > a->capaudio) {
        size_t cap = a->capaudio ? a->capaudio : RATE;
        while (cap < a->naudio + n)
            cap *= 2;
        int16_t *p = realloc(a->audio, cap * sizeof *p);
        if (!p)
            return false;
        a->audio = p;
        a->capaudio = cap;
    }
    memcpy(a->audio + a->naudio, pcm, n * sizeof *pcm);
    a->naudio += n;
    return true;
}

/* Drops all but the last keep samples of audio. */
static void trim_audio(asr *a, size_t keep)
{
    if (a->naudio <= keep)
        return;
    size_t drop = a->naudio - keep;
    memmove(a->audio, a->audio + drop, keep * sizeof *a->audio);
    a->naudio = keep;
}

static void reset_utterance(asr *a)
{
    a->naudio = 0;
    a->in_speech = a->heard = false;
    a->speech_samples = 0;
}

/* Feeds one block; returns false on a decoder error. */
static bool process_block(asr *a, const int16_t *pcm, size_t n, asr_event *ev)
{
    if (!keep_audio(a, pcm, n) || ps_process_raw(a->ps, pcm, n, FALSE, FALSE) < 0)
        return false;
    bool speech = ps_get_in_speech(a->ps);
    if (speech && !a->heard) {
        a->heard = true;
        ev->speech_started = true;
    }
    if (a->heard)
        a->speech_samples += n;
    else if (a->mode != ASR_WAKE)
        trim_audio(a, PRE_SPEECH);
    if (a->mode != ASR_WAKE && a->heard &&
        ((a->in_speech && !speech) || a->speech_samples >= a->max_samples))
        ev->speech_ended = true;
    a->in_speech = speech;
    return true;
}

/* The latest end frame among the spotter's detections. Its frame numbers run on across
 * utterances, so only differences between two calls within one utterance mean anything. */
static int latest_end(asr *a)
{
    int sf = 0, ef = 0, last = 0;
    for (ps_seg_t *seg = ps_seg_iter(a->ps); seg; seg = ps_seg_next(seg)) {
        ps_seg_frames(seg, &sf, &ef);
        last = ef > last ? ef : last;
    }
    return last;
}

/* The phrase is heard: keep what followed it, and restart the spotter. The spotter reports a
 * phrase -kws_delay (10) frames after its end, the feature pipeline and the block add a few
 * more: so the words after it are the last WAKE_TAIL samples at the first report, moved by as
 * much as the end moved while the detection settled (a first report can come early, when the
 * phrase's start already matches well). */
static bool wake_up(asr *a)
{
    size_t moved = (size_t)(latest_end(a) - a->first_end) * FRAME_SAMPLES;
    size_t from = a->report_at > WAKE_TAIL ? a->report_at - WAKE_TAIL : 0;
    from = from + moved < a->naudio ? from + moved : a->naudio;
    size_t n = a->naudio - from;
    int16_t *c = realloc(a->carry, (n ? n : 1) * sizeof *c);
    if (!c)
        return false;
    memcpy(c, a->audio + from, n * sizeof *c);
    a->carry = c;
    a->ncarry = n;
    a->woke = true;
    a->reported = false;
    end_utt(a);
    reset_utterance(a);
    return start_utt(a);
}

/* ASR_WAKE, after a block: a wake once a detection has settled for WAKE_SETTLE samples. */
static bool spot(asr *a, asr_event *ev)
{
    const char *hyp = ps_get_hyp(a->ps, NULL);
    if (!a->reported && hyp && *hyp) {
        a->reported = true;
        a->report_at = a->naudio;
        a->first_end = latest_end(a);
    }
    if (a->reported && a->naudio - a->report_at >= WAKE_SETTLE) {
        ev->wake = true;
        return wake_up(a);
    }
    if (!a->reported &&
        ((!a->in_speech && a->naudio > WAKE_RESTART) || a->naudio > 6 * WAKE_RESTART)) {
        end_utt(a); /* no phrase for a while (in a pause, if any): bound the memory */
        reset_utterance(a);
        return start_utt(a);
    }
    return true;
}

/* The live feature normalisation (cepstral mean), which has followed all the audio so far. */
static bool get_cmn(asr *a, mfcc_t *mean)
{
    cmn_t *cmn = ps_get_feat(a->ps)->cmn_struct;
    if (cmn->veclen > CMN_MAX)
        return false;
    cmn_live_get(cmn, mean);
    return true;
}

/* Sets the running mean, given the weight of sphinxbase's fixed window (cmn_live_set). */
static void set_cmn(asr *a, const mfcc_t *mean)
{
    cmn_live_set(ps_get_feat(a->ps)->cmn_struct, mean);
}

/* The whole state of the live normalisation: its mean and the sums behind it. */
typedef struct {
    mfcc_t mean[CMN_MAX], sum[CMN_MAX];
    int32 nframe;
} cmn_state;

static bool save_cmn(asr *a, cmn_state *st)
{
    cmn_t *cmn = ps_get_feat(a->ps)->cmn_struct;
    if (cmn->veclen > CMN_MAX)
        return false;
    memcpy(st->mean, cmn->cmn_mean, (size_t)cmn->veclen * sizeof *st->mean);
    memcpy(st->sum, cmn->sum, (size_t)cmn->veclen * sizeof *st->sum);
    st->nframe = cmn->nframe;
    return true;
}

static void restore_cmn(asr *a, const cmn_state *st)
{
    cmn_t *cmn = ps_get_feat(a->ps)->cmn_struct;
    memcpy(cmn->cmn_mean, st->mean, (size_t)cmn->veclen * sizeof *st->mean);
    memcpy(cmn->sum, st->sum, (size_t)cmn->veclen * sizeof *st->sum);
    cmn->nframe = st->nframe;
}

sd_code asr_begin(asr *a)
{
    if (a->started)
        end_utt(a);
    reset_utterance(a);
    a->woke = a->reported = false;
    a->pending_start = false;
    if (!get_cmn(a, a->cmn_start) || !start_utt(a))
        return SD_ERR_INVALID;
    /* Free speech starts from the running mean given the weight of sphinxbase's fixed window
     * (cmn_live_set), however long the history behind it, as a command's passes do. Free
     * speech had a decoder of its own that took its normalisation so; left with the history's
     * weight, words it knew were heard otherwise (the spoken answer "you're welcome", heard back
     * in tests/test_speaker.sh, became "you will come to us yet"). */
    if (a->mode == ASR_FREE)
        set_cmn(a, a->cmn_start);
    a->started = true;
    if (a->ncarry == 0)
        return SD_OK;
    asr_event ev = {0};
    bool ok = process_block(a, a->carry, a->ncarry, &ev);
    a->pending_start = ev.speech_started;
    a->ncarry = 0;
    return ok ? SD_OK : SD_ERR_NOMEM;
}

sd_code asr_feed(asr *a, const int16_t *pcm, size_t n, asr_event *ev)
{
    memset(ev, 0, sizeof *ev);
    if (!a->started)
        return SD_ERR_INVALID;
    ev->speech_started = a->pending_start;
    a->pending_start = false;
    while (ev->used < n && !ev->speech_ended && !ev->wake) {
        size_t len = n - ev->used < BLOCK ? n - ev->used : BLOCK;
        if (!process_block(a, pcm + ev->used, len, ev))
            return SD_ERR_NOMEM;
        ev->used += len;
        if (a->mode == ASR_WAKE && !spot(a, ev))
            return SD_ERR_NOMEM;
    }
    return SD_OK;
}

/* ---- results ---- */

/* Copies a hypothesis, dropping PocketSphinx's pronunciation variant marks ("word(2)"). */
static void copy_words(char *out, size_t size, const char *hyp)
{
    size_t o = 0;
    for (const char *p = hyp ? hyp : ""; *p && o + 1 < size; p++) {
        if (*p == '(') {
            while (*p && *p != ')')
                p++;
            if (!*p)
                break;
            continue;
        }
        out[o++] = *p;
    }
    out[o] = '\0';
}

typedef struct {
    char text[ASR_TEXT_MAX];
    double score_per_frame;
    int word_frames;           /* frames inside words, not silence or noise */
    char words[MAX_WORDS][48]; /* the words (the second opinion only) */
    double post[MAX_WORDS];    /* and their posteriors */
    size_t nwords;
} pass;

static bool is_word(const char *w)
{
    return w && w[0] != '<' && w[0] != '[' && w[0] != '('; /* <sil>, [NOISE], (NULL) */
}

/* What the decoder's search made of the utterance it has just ended; words and posteriors are
 * kept for the second opinion (words true). */
static void read_pass(ps_decoder_t *ps, bool words, pass *p)
{
    memset(p, 0, sizeof *p);
    int32 score = 0;
    copy_words(p->text, sizeof p->text, ps_get_hyp(ps, &score));
    int frames = ps_get_n_frames(ps);
    p->score_per_frame = frames > 0 ? (double)score / frames : 0;
    logmath_t *lmath = ps_get_logmath(ps);
    for (ps_seg_t *seg = ps_seg_iter(ps); seg; seg = ps_seg_next(seg)) {
        const char *w = ps_seg_word(seg);
        if (!is_word(w))
            continue;
        int sf, ef;
        ps_seg_frames(seg, &sf, &ef);
        p->word_frames += ef - sf + 1;
        int32 ascr, lscr, lback;
        int32 prob = ps_seg_prob(seg, &ascr, &lscr, &lback);
        if (words && p->nwords < MAX_WORDS) {
            copy_words(p->words[p->nwords], sizeof p->words[0], w);
            p->post[p->nwords++] = logmath_exp(lmath, prob);
        }
    }
}

/* Posterior mass of the grammar's words that the second opinion heard too, in order (a
 * longest common subsequence), over the number of grammar words. */
static double agreement(const char *grammar_text, const pass *lm)
{
    char copy[ASR_TEXT_MAX];
    snprintf(copy, sizeof copy, "%s", grammar_text);
    const char *g[MAX_WORDS];
    size_t ng = 0;
    char *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w && ng < MAX_WORDS; w = strtok_r(NULL, " ", &save))
        g[ng++] = w;
    if (ng == 0)
        return 0;
    static const size_t cols = MAX_WORDS + 1;
    double best[(MAX_WORDS + 1) * (MAX_WORDS + 1)] = {0};
    for (size_t i = 1; i <= ng; i++)
        for (size_t j = 1; j <= lm->nwords; j++) {
            double skip = fmax(best[(i - 1) * cols + j], best[i * cols + j - 1]);
            double take = strcmp(g[i - 1], lm->words[j - 1]) == 0
                              ? best[(i - 1) * cols + j - 1] + lm->post[j - 1]
                              : 0;
            best[i * cols + j] = fmax(skip, take);
        }
    return best[ng * cols + lm->nwords] / (double)ng;
}

/* Feeds the kept audio to the decoder's current search as a whole, normalised by its own mean. */
static bool feed_kept(asr *a)
{
    return ps_process_raw(a->ps, a->audio, a->naudio, FALSE, TRUE) >= 0;
}

static uint32_t swap_bytes(uint32_t v)
{
    return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

/* Reads back the features (cepstra before normalisation) PocketSphinx computed for the
 * utterance that has just ended: -mfclogdir logs them, one file an utterance, as a count of
 * values and the values, only the frames its voice activity detector let through. The byte
 * order is the one whose count matches the file's length (the code means big-endian; Debian's
 * build writes the machine's own). A command's passes then hear exactly the frames the live
 * pass heard, computed once. */
static bool read_features(asr *a)
{
    _Static_assert(sizeof(mfcc_t) == sizeof(uint32_t), "PocketSphinx built with float features");
    a->nfeat = 0;
    DIR *d = opendir(a->featdir);
    if (!d)
        return false;
    char path[512] = "";
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.')
            snprintf(path, sizeof path, "%s/%s", a->featdir, e->d_name);
    closedir(d);
    FILE *f = path[0] ? fopen(path, "rb") : NULL;
    uint32_t count = 0;
    long length = f && fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    bool ok = length >= 4 && fseek(f, 0, SEEK_SET) == 0 && fread(&count, 4, 1, f) == 1;
    uint32_t values = (uint32_t)(length - 4) / 4;
    bool swapped = ok && count != values && swap_bytes(count) == values;
    ok = ok && (count == values || swapped);
    size_t ncep = (size_t)feat_cepsize(ps_get_feat(a->ps)), frames = ok ? values / ncep : 0;
    if (ok && frames > a->capfeat) {
        mfcc_t *feat = realloc(a->feat, frames * ncep * sizeof *feat);
        if (feat)
            a->feat = feat;
        mfcc_t *cep = feat ? realloc(a->cep, frames * ncep * sizeof *cep) : NULL;
        if (cep)
            a->cep = cep;
        mfcc_t **rows = cep ? realloc(a->rows, frames * sizeof *rows) : NULL;
        if (rows)
            a->rows = rows;
        ok = feat && cep && rows;
        a->capfeat = ok ? frames : 0;
    }
    ok = ok && fread(a->feat, sizeof *a->feat, frames * ncep, f) == frames * ncep;
    if (f)
        fclose(f);
    for (size_t i = 0; ok && swapped && i < frames * ncep; i++) {
        uint32_t v;
        memcpy(&v, &a->feat[i], sizeof v);
        v = swap_bytes(v);
        memcpy(&a->feat[i], &v, sizeof v);
    }
    for (size_t i = 0; ok && i < frames; i++)
        a->rows[i] = a->cep + i * ncep;
    a->nfeat = ok ? frames : 0;
    return ok;
}

/* The mean of the utterance's own features (read_features): its cepstral mean. */
static void own_mean(const asr *a, mfcc_t *mean)
{
    size_t ncep = (size_t)feat_cepsize(ps_get_feat(a->ps));
    for (size_t k = 0; k < ncep; k++) {
        double sum = 0;
        for (size_t i = 0; i < a->nfeat; i++)
            sum += a->feat[i * ncep + k];
        mean[k] = (mfcc_t)(sum / (double)a->nfeat);
    }
}

/* Search hears the utterance's features (read_features), normalised by mean, and what it made
 * of them is read into out (with the words and their posteriors: words). */
static bool hear_features(asr *a, const char *search, const mfcc_t *mean, bool words, pass *out)
{
    if (ps_set_search(a->ps, search) < 0)
        return false;
    set_cmn(a, mean);
    size_t ncep = (size_t)feat_cepsize(ps_get_feat(a->ps));
    memcpy(a->cep, a->feat, a->nfeat * ncep * sizeof *a->cep);
    bool ok = ps_start_utt(a->ps) >= 0;
    if (ok) {
        ok = ps_process_cep(a->ps, a->rows, (int)a->nfeat, FALSE, TRUE) >= 0;
        ps_end_utt(a->ps);
        read_pass(a->ps, words, out);
    }
    return ok;
}

/* A command that has ended, heard again over the features the live pass computed, normalised
 * by the utterance's own mean: the grammar, then (when it found a sentence) the second opinion,
 * both from the same features so that their scores compare. The running mean is what the
 * recogniser heard before: the wake phrase, the resident before, a phone line's greeting echo.
 * After a start it is the mean of the wake utterance alone, half of it the silence the detector
 * lets through around the phrase: tests/test_speaker.sh's "지금 몇 시예요" after "서동아" met
 * first coefficients of 30 and 3 against its own 45 and 32, the grammar's path scored 10 a
 * frame worse and the loop's 3, and the confidence fell from 0.46 (the question alone) to 0.36
 * with the Korean grammar and 0.34 with both; under its own mean 0.44 and 0.47. The running
 * mean goes on learning as before (it is left as the live pass left it), for free speech.
 * Measured with bench_asr --after-wake (scripts/bench.sh: each recording right after the wake
 * phrase in its own voice, as the speaker hears it; 60 English and 300 Korean sentences, clean
 * / 20 / 10 dB, and 60 + 200 clean ones with both grammars, 1340 turns), against the running
 * mean: acted on and right 345 against 317, wrong but confident 62 against 88, a complaint or
 * status look-up started on a mishearing 10 against 12 (English 0 against 1, Korean 3 against
 * 6, both grammars 2 of 60 and 5 of 200 against 1 and 4). As bench.sh's main rows hear them (each
 * recording heard once first, so that the running mean had learnt its voice): 385 against 379
 * right, 63 against 74 wrong but confident, 12 and 12 civic. */
static bool hear_command(asr *a, asr_result *res)
{
    cmn_state learnt;
    if (!read_features(a) || !save_cmn(a, &learnt))
        return false;
    if (a->nfeat == 0)
        return true; /* the detector let no frame through: nothing was said */
    mfcc_t mean[CMN_MAX];
    own_mean(a, mean);
    pass g = {0}, loop = {0};
    bool ok = hear_features(a, search_name[ASR_COMMAND], mean, false, &g);
    bool judged = ok && g.text[0] && hear_features(a, LOOP_SEARCH, mean, true, &loop);
    ok = ok && (!g.text[0] || judged);
    restore_cmn(a, &learnt);
    if (ps_set_search(a->ps, search_name[ASR_COMMAND]) < 0 || !ok)
        return false;
    snprintf(res->text, sizeof res->text, "%s", g.text);
    snprintf(res->lm_text, sizeof res->lm_text, "%s", loop.text);
    if (judged && loop.word_frames > 0) {
        double gap = g.score_per_frame - loop.score_per_frame;
        double fit = 1.0 / (1.0 + exp(-gap / GAP_SCALE));
        double cover = fmin(1.0, (double)g.word_frames / loop.word_frames);
        res->confidence =
            fit * cover * (1.0 - AGREE_WEIGHT + AGREE_WEIGHT * agreement(g.text, &loop));
    }
    return true;
}

static void finish_free(asr *a, asr_result *res)
{
    copy_words(res->text, sizeof res->text, ps_get_hyp(a->ps, NULL));
    logmath_t *lmath = ps_get_logmath(a->ps);
    double sum = 0;
    size_t words = 0;
    for (ps_seg_t *seg = ps_seg_iter(a->ps); seg; seg = ps_seg_next(seg)) {
        int32 ascr, lscr, lback;
        int32 prob = ps_seg_prob(seg, &ascr, &lscr, &lback);
        if (is_word(ps_seg_word(seg))) {
            sum += logmath_exp(lmath, prob);
            words++;
        }
    }
    res->confidence = words ? sum / (double)words : 0;
}

/* Decodes the kept audio of an asr's first free utterance again as a whole, normalised by its
 * own mean: the running normalisation had only the acoustic model's guess to start from (for
 * eSpeak NG's Korean voice the mean's first coefficient is 63 against the guess's 41). */
static bool decode_whole(asr *a)
{
    if (!start_utt(a))
        return false;
    bool fed = feed_kept(a);
    end_utt(a);
    return fed;
}

sd_code asr_finish(asr *a, asr_result *res)
{
    memset(res, 0, sizeof *res);
    if (!a->started)
        return SD_ERR_INVALID;
    bool cold = a->cold;
    end_utt(a);
    a->started = false;
    if (cold && a->mode == ASR_FREE && a->naudio && !decode_whole(a))
        return SD_ERR_INVALID;
    res->seconds = (double)a->naudio / RATE;
    switch (a->mode) {
    case ASR_WAKE: {
        const char *hyp = ps_get_hyp(a->ps, NULL); /* a phrase right at the end of the audio */
        if (a->woke || a->reported || (hyp && *hyp)) {
            snprintf(res->text, sizeof res->text, "%s", a->wake);
            res->confidence = 1;
        }
        return SD_OK;
    }
    case ASR_FREE:
        finish_free(a, res);
        return SD_OK;
    case ASR_COMMAND:
        break;
    }
    if (!a->naudio)
        return SD_OK;
    return hear_command(a, res) ? SD_OK : SD_ERR_INVALID;
}

const int16_t *asr_utterance_audio(const asr *a, size_t *n)
{
    *n = a->naudio;
    return a->audio;
}

/* A recording, unlike a live stream, has no audio before it from which the running feature
 * normalisation has learnt the voice and the room: the mode's search hears it once for that,
 * and the result is dropped. (A command is judged under its own mean whatever came before.) */
static sd_code warm_up(asr *a, const int16_t *pcm, size_t n)
{
    if (!start_utt(a))
        return SD_ERR_INVALID;
    /* In blocks, as live audio comes: one large block overflows PocketSphinx's feature buffer
     * (an assertion in acmod_process_cep for a 6 s recording). */
    int fed = 0;
    for (size_t at = 0; fed >= 0 && at < n; at += BLOCK)
        fed = ps_process_raw(a->ps, pcm + at, n - at < BLOCK ? n - at : BLOCK, FALSE, FALSE);
    end_utt(a);
    return fed < 0 ? SD_ERR_INVALID : SD_OK;
}

sd_code asr_transcribe_pcm(asr *a, const int16_t *pcm, size_t n, asr_mode mode, asr_result *res)
{
    sd_code rc = asr_set_mode(a, mode);
    if (rc == SD_OK)
        rc = warm_up(a, pcm, n);
    if (rc == SD_OK)
        rc = asr_begin(a);
    asr_event ev = {0};
    for (size_t at = 0; rc == SD_OK && at < n; at += ev.used)
        rc = asr_feed(a, pcm + at, n - at, &ev);
    return rc == SD_OK ? asr_finish(a, res) : rc;
}

/* bench_asr.c - recognition benchmark over a spoken test set (run by scripts/bench.sh).
 *
 *   bench_asr DB LANG SET_DIR [--lm-too] [--clean-only] [--each] [--lm FILE] [--after-wake]
 *   bench_asr DB en --sanity
 *
 * LANG is en, ko, or auto (both grammars at once, as `seodong speaker --lang auto` hears).
 *
 * SET_DIR holds manifest.tsv and wav/ as scripts/make_audio_set.py writes them. Each recording
 * is decoded with the speaker's command grammar (the path the speaker uses) and, with --lm-too,
 * with the free-text search (the domain language model, or --lm); the text then goes through
 * engine_understand. Per condition (clean, 20 dB, 10 dB SNR) it prints intent accuracy, word error
 * rate against the sentence that was synthesised, slot accuracy (the utterances naming a category,
 * place, receipt or phone number understood with every one right), how many turns the voice policy
 * would ask again (confidence under VOICE_REJECT), how many it would act on with the wrong intent
 * (wrong but confident), how many of those would start a civic action (a complaint or a status
 * look-up: the voice policy weighs those with the understanding's confidence, voice_trusted), and
 * the real-time factor. Lines starting ASR_ are for the summary: intent, WER, asked again, wrong
 * but confident, RTF, slots, civic action on a mishearing; lines starting ASRN_ give the counts
 * behind them (n, intent right, asked again, wrong but confident, utterances with slots, slots
 * right, reference words, word errors, civic actions on a mishearing), to add up the runs over
 * several sets. --each also prints a line per recording (EACH, id, search, confidence, 1 when
 * the intent is right, 1 when the policy acts on it, the intent understood, the words heard):
 * for people tuning the lexicon and the confidence thresholds, and for the comparison in
 * scripts/bench_understanding.py.
 *
 * --sanity decodes the real recordings of Debian's pocketsphinx-testdata (librivox read speech,
 * the cards set) with the general language model through the same decoder set-up, and prints
 * their word error rate: a check of the models and features, not of Seodong's grammar.
 *
 * --lm FILE replaces the language's domain language model (the free-text search and the second
 * opinion on commands) by another, such as PocketSphinx's general English one, to compare them.
 * RTF is CPU time of the process over seconds of audio, as every recording is heard twice (once
 * to set the feature normalisation, asr_transcribe_pcm).
 *
 * --after-wake hears each recording the way the speaker hears a question: live, right after the
 * wake phrase ("hey seodong", "서동아") said by the recording's own synthesiser, voice and speed
 * (made with espeak-ng or flite and sox, as tests/test_speaker.sh makes it), with nothing heard
 * twice and the recogniser's state carried from one recording to the next as from one resident
 * to the next. The wake phrase is clean in every condition. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audiofile.h"
#include "engine.h"
#include "recognizer.h"
#include "voice.h"

#define MAX_WORDS 128
#define CONDITIONS 3

static const char *const condition_names[CONDITIONS] = {"clean", "20", "10"};

typedef struct {
    int n, intent_ok, rejected, wrong_confident;
    int civic_wrong;          /* acted on, a civic intent, and not what was asked */
    int with_slots, slots_ok; /* utterances naming slots, and those understood with all right */
    int ref_words, word_errors;
    double audio_s, decode_s;
} tally;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Lower-case words of text, punctuation dropped (apostrophes kept). */
static int words_of(const char *text, char words[][48])
{
    int n = 0, len = 0;
    for (const char *p = text;; p++) {
        char c = *p;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '\'' || (unsigned char)c >= 0x80;
        if (keep && len < 47 && n < MAX_WORDS) {
            words[n][len++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        } else if (len > 0) {
            words[n++][len] = '\0';
            len = 0;
        }
        if (!c)
            return n;
    }
}

/* Word-level edit distance between ref and hyp. */
static int word_errors(const char *ref, const char *hyp, int *ref_n)
{
    static char r[MAX_WORDS][48], h[MAX_WORDS][48];
    int nr = words_of(ref, r), nh = words_of(hyp, h);
    int d[MAX_WORDS + 1][MAX_WORDS + 1];
    for (int i = 0; i <= nr; i++)
        d[i][0] = i;
    for (int j = 0; j <= nh; j++)
        d[0][j] = j;
    for (int i = 1; i <= nr; i++)
        for (int j = 1; j <= nh; j++) {
            int sub = d[i - 1][j - 1] + (strcmp(r[i - 1], h[j - 1]) != 0);
            int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    *ref_n = nr;
    return d[nr][nh];
}

static int condition_of(const char *snr)
{
    for (int c = 0; c < CONDITIONS; c++)
        if (strcmp(snr, condition_names[c]) == 0)
            return c;
    return -1;
}

/* What understanding u found for slot name ("" when nothing). */
static const char *slot_value(const understanding *u, const char *name)
{
    const nlu_result *r = &u->nlu;
    if (!strcmp(name, "category"))
        return r->category.set ? r->category.value : "";
    if (!strcmp(name, "place"))
        return r->place.set ? r->place.value : "";
    if (!strcmp(name, "receipt"))
        return r->numbers.receipt.found ? r->numbers.receipt.value : "";
    if (!strcmp(name, "phone"))
        return r->numbers.phone.found ? r->numbers.phone.value : "";
    return "";
}

/* Whether u holds every slot of the manifest's JSON object slots_json, with the same value;
 * -1 when the utterance names none. */
static int slots_right(const understanding *u, bool understood, const char *slots_json)
{
    json_t *want = json_loads(slots_json, 0, NULL);
    int result = -1;
    const char *name;
    json_t *value;
    if (json_is_object(want) && json_object_size(want) > 0) {
        result = understood;
        json_object_foreach(want, name, value) if (result && strcmp(slot_value(u, name),
                                                                    json_string_value(value)
                                                                        ? json_string_value(value)
                                                                        : "") != 0) result = 0;
    }
    json_decref(want);
    return result;
}

/* The wake phrase as the voice of one recording says it, made once for each voice in a row. */
typedef struct {
    char voice[256]; /* synthesiser, voice and speed it was made for */
    int16_t *pcm;
    size_t n;
} wake_cache;

/* The wake phrase said by the voice that said recording f (manifest fields synth, voice, speed),
 * 16 kHz, with the pauses of tests/test_speaker.sh around it; NULL when it cannot be made. */
static const int16_t *wake_phrase(wake_cache *w, char *const *f, size_t *n)
{
    char voice[256];
    snprintf(voice, sizeof voice, "%s %s %s", f[1], f[2], f[3]);
    if (!w->pcm || strcmp(w->voice, voice) != 0) {
        free(w->pcm);
        w->pcm = NULL;
        w->n = 0;
        char dir[] = "/tmp/bench-asr-wake-XXXXXX", cmd[1024], path[300], err[256];
        if (!mkdtemp(dir))
            return NULL;
        const char *phrase = strncmp(f[2], "ko", 2) == 0 ? "서동아" : "hey seodong";
        if (strcmp(f[1], "flite") == 0)
            snprintf(cmd, sizeof cmd,
                     "flite -voice '%s' --setf duration_stretch='%s' -t '%s' -o %s/s.wav", f[2],
                     f[3], phrase, dir);
        else
            snprintf(cmd, sizeof cmd, "espeak-ng -v '%s' -s '%s' -w %s/s.wav '%s'", f[2], f[3], dir,
                     phrase);
        size_t at = strlen(cmd);
        snprintf(cmd + at, sizeof cmd - at,
                 " 2>/dev/null && sox -R %s/s.wav -r 16000 -c 1 -b 16 -e signed %s/w.wav pad 0.5 "
                 "0.3",
                 dir, dir);
        snprintf(path, sizeof path, "%s/w.wav", dir);
        if (system(cmd) != 0 ||
            audiofile_read_all(path, 16000, &w->pcm, &w->n, 10, err, sizeof err) != SD_OK)
            fprintf(stderr, "bench_asr: cannot make the wake phrase for %s\n", voice);
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "bench_asr: cannot remove %s\n", dir);
        snprintf(w->voice, sizeof w->voice, "%s", w->pcm ? voice : "");
    }
    *n = w->n;
    return w->pcm;
}

/* Feeds pcm[*at..n) in blocks of 20 ms as a microphone would, until the recogniser reports the
 * end of an utterance or a wake, or the audio runs out; *at moves on past what was used. */
static sd_code feed_until(asr *a, const int16_t *pcm, size_t n, size_t *at, asr_event *ev)
{
    memset(ev, 0, sizeof *ev);
    while (*at < n && !ev->speech_ended && !ev->wake) {
        sd_code rc = asr_feed(a, pcm + *at, n - *at < 320 ? n - *at : 320, ev);
        if (rc != SD_OK)
            return rc;
        if (ev->used == 0 && !ev->speech_ended && !ev->wake)
            return SD_ERR_INVALID; /* nothing taken: the recogniser is stuck */
        *at += ev->used;
    }
    return SD_OK;
}

/* The speaker's way (--after-wake): the wake phrase in the recording's voice, heard by the
 * spotter; from its wake on (or its end, if the spotter missed it), the rest of the phrase's
 * pause and the recording heard live by the mode's search. An utterance with no words (the end
 * of the wake phrase) is listened past, as the speaker does. */
static sd_code hear_after_wake(asr *a, asr_mode mode, const int16_t *pcm, size_t n,
                               const int16_t *wake, size_t nwake, asr_result *res)
{
    size_t total = nwake + n + 16000, at = 0; /* then a second of quiet: the end of speech */
    int16_t *in = calloc(total, sizeof *in);
    if (!in)
        return SD_ERR_NOMEM;
    memcpy(in, wake, nwake * sizeof *in);
    memcpy(in + nwake, pcm, n * sizeof *in);
    asr_event ev = {0};
    sd_code rc = asr_set_mode(a, ASR_WAKE);
    if (rc == SD_OK)
        rc = asr_begin(a);
    if (rc == SD_OK)
        rc = feed_until(a, in, nwake, &at, &ev);
    if (rc == SD_OK)
        rc = asr_set_mode(a, mode);
    if (rc == SD_OK)
        rc = asr_begin(a);
    while (rc == SD_OK) {
        rc = feed_until(a, in, total, &at, &ev);
        if (rc == SD_OK)
            rc = asr_finish(a, res);
        if (rc != SD_OK || res->text[0] || at >= total)
            break;
        rc = asr_begin(a);
    }
    free(in);
    return rc;
}

/* Recognises recording f (pcm[0..n)) and adds the outcome to t; wake given: --after-wake. */
static void decode_one(engine *e, asr *a, asr_mode mode, const char *lang, const int16_t *pcm,
                       size_t n, char *const *f, bool each, wake_cache *wake, tally *t)
{
    const char *intent = f[5], *slots = f[6], *text = f[7];
    asr_result res;
    double t0 = now_s();
    size_t nwake = 0;
    const int16_t *phrase = wake ? wake_phrase(wake, f, &nwake) : NULL;
    sd_code rc = !wake    ? asr_transcribe_pcm(a, pcm, n, mode, &res)
                 : phrase ? hear_after_wake(a, mode, pcm, n, phrase, nwake, &res)
                          : SD_ERR_IO;
    if (rc != SD_OK)
        res.text[0] = '\0', res.confidence = 0;
    t->decode_s += now_s() - t0;
    t->audio_s += (double)n / 16000;
    understanding u;
    /* With both grammars ("auto") the words heard say the language. */
    const char *heard = voice_heard_lang(lang, res.text, "en");
    bool understood =
        res.text[0] && engine_understand(e, res.text, strlen(res.text), heard, heard, &u) == SD_OK;
    bool right = understood && strcmp(u.intent, intent) == 0;
    /* the voice channels' policy, civic intents weighed with the understanding's confidence */
    bool rejected = !understood || !voice_trusted(res.confidence, &u);
    bool civic = understood && (strcmp(u.intent, "complaint.file") == 0 ||
                                strcmp(u.intent, "complaint.status") == 0);
    t->n++;
    t->intent_ok += right;
    t->rejected += rejected;
    t->wrong_confident += !rejected && !right;
    t->civic_wrong += !rejected && civic && !right;
    if (each)
        printf("EACH\t%s\t%s\t%.3f\t%d\t%d\t%s\t%s\n", f[0], mode == ASR_FREE ? "lm" : "grammar",
               res.confidence, right, !rejected, understood ? u.intent : "", res.text);
    int slot = slots_right(&u, understood, slots);
    t->with_slots += slot >= 0;
    t->slots_ok += slot > 0;
    int ref_n = 0;
    t->word_errors += word_errors(text, res.text, &ref_n);
    t->ref_words += ref_n;
}

static void report(const char *search, const tally *t)
{
    for (int c = 0; c < CONDITIONS; c++) {
        const tally *x = &t[c];
        if (!x->n)
            continue;
        printf("%-8s %-6s n=%-4d intent %5.1f%%  slots %5.1f%% (of %d)  WER %5.1f%%  asked again "
               "%5.1f%%  wrong but confident %5.1f%%  civic action on a mishearing %5.1f%%  "
               "RTF %.3f\n",
               search, condition_names[c], x->n, 100.0 * x->intent_ok / x->n,
               x->with_slots ? 100.0 * x->slots_ok / x->with_slots : 0.0, x->with_slots,
               100.0 * x->word_errors / (x->ref_words ? x->ref_words : 1),
               100.0 * x->rejected / x->n, 100.0 * x->wrong_confident / x->n,
               100.0 * x->civic_wrong / x->n, x->audio_s > 0 ? x->decode_s / x->audio_s : 0.0);
        printf("ASR_%s_%s %.1f %.1f %.1f %.1f %.3f %.1f %.1f\n", search, condition_names[c],
               100.0 * x->intent_ok / x->n,
               100.0 * x->word_errors / (x->ref_words ? x->ref_words : 1),
               100.0 * x->rejected / x->n, 100.0 * x->wrong_confident / x->n,
               x->audio_s > 0 ? x->decode_s / x->audio_s : 0.0,
               x->with_slots ? 100.0 * x->slots_ok / x->with_slots : 0.0,
               100.0 * x->civic_wrong / x->n);
        printf("ASRN_%s_%s %d %d %d %d %d %d %d %d %d\n", search, condition_names[c], x->n,
               x->intent_ok, x->rejected, x->wrong_confident, x->with_slots, x->slots_ok,
               x->ref_words, x->word_errors, x->civic_wrong);
    }
}

#define TESTDATA "/usr/share/pocketsphinx/test/data"

/* "<s> words </s> (id)" lines: decodes TESTDATA/dir/id.wav with the language model. */
static void sanity_set(asr *a, const char *dir, const char *transcription)
{
    char path[1024], line[2048];
    snprintf(path, sizeof path, TESTDATA "/%s/%s", dir, transcription);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("sanity %s: %s missing (install pocketsphinx-testdata)\n", dir, path);
        return;
    }
    int errors = 0, words = 0, files = 0;
    double audio_s = 0, decode_s = 0;
    while (fgets(line, sizeof line, f)) {
        char *open = strrchr(line, '('), *close = open ? strchr(open, ')') : NULL;
        char *start = strstr(line, "<s>"), *end = strstr(line, "</s>");
        if (!open || !close || !start || !end)
            continue;
        *close = '\0';
        *end = '\0';
        char err[256];
        int16_t *pcm = NULL;
        size_t n = 0;
        snprintf(path, sizeof path, TESTDATA "/%s/%s.wav", dir, open + 1);
        if (audiofile_read_all(path, 16000, &pcm, &n, 120, err, sizeof err) != SD_OK)
            continue;
        asr_result res;
        double t0 = now_s();
        if (asr_transcribe_pcm(a, pcm, n, ASR_FREE, &res) != SD_OK)
            res.text[0] = '\0';
        decode_s += now_s() - t0;
        audio_s += (double)n / 16000;
        int ref_n = 0;
        errors += word_errors(start + 3, res.text, &ref_n);
        words += ref_n;
        files++;
        free(pcm);
    }
    fclose(f);
    printf("sanity %-9s %d recordings, %d words: WER %.1f%% with the en-us language model, "
           "RTF %.3f\n",
           dir, files, words, 100.0 * errors / (words ? words : 1),
           audio_s > 0 ? decode_s / audio_s : 0.0);
    printf("ASR_sanity_%s %.1f\n", dir, 100.0 * errors / (words ? words : 1));
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fputs("usage: bench_asr DB LANG SET_DIR [--lm-too] [--clean-only] [--each] [--lm FILE] "
              "[--after-wake] | bench_asr DB en --sanity\n",
              stderr);
        return 2;
    }
    const char *lang = argv[2], *dir = argv[3];
    bool lm_too = false, clean_only = false, each = false, after_wake = false;
    asr_config base = {0};
    for (int i = 4; i < argc; i++) {
        if (!strcmp(argv[i], "--lm") && i + 1 < argc) {
            base.lm = argv[++i];
            continue;
        }
        bool *flag = !strcmp(argv[i], "--lm-too")       ? &lm_too
                     : !strcmp(argv[i], "--clean-only") ? &clean_only
                     : !strcmp(argv[i], "--each")       ? &each
                     : !strcmp(argv[i], "--after-wake") ? &after_wake
                                                        : NULL;
        if (!flag) {
            fprintf(stderr, "bench_asr: unknown option %s\n", argv[i]);
            return 2;
        }
        *flag = true;
    }
    char err[512], path[2048];
    engine *e = NULL;
    engine_config cfg = {.db_path = argv[1]};
    if (strcmp(dir, "--sanity") == 0 && !base.lm)
        base.lm = ASR_GENERIC_LM; /* read speech of every kind: the general model */
    recognizer *rec = NULL;
    if (engine_open(&cfg, &e, err, sizeof err) != SD_OK ||
        recognizer_open(e, lang, &base, &rec, err, sizeof err) != SD_OK) {
        fprintf(stderr, "bench_asr: %s\n", err);
        engine_close(e);
        return 1;
    }
    if (strcmp(dir, "--sanity") == 0) {
        sanity_set(recognizer_asr(rec), "librivox", "transcription");
        sanity_set(recognizer_asr(rec), "cards", "cards.transcription");
        recognizer_close(rec);
        engine_close(e);
        return 0;
    }
    snprintf(path, sizeof path, "%s/manifest.tsv", dir);
    FILE *m = fopen(path, "r");
    if (!m) {
        fprintf(stderr, "bench_asr: cannot read %s (run scripts/make_audio_set.py)\n", path);
        recognizer_close(rec);
        engine_close(e);
        return 1;
    }
    tally grammar[CONDITIONS] = {0}, lm[CONDITIONS] = {0};
    wake_cache wake = {0};
    char line[4096];
    fgets(line, sizeof line, m); /* header */
    while (fgets(line, sizeof line, m)) {
        line[strcspn(line, "\n")] = '\0';
        char *f[8];
        int k = 0;
        for (char *save = NULL, *t = strtok_r(line, "\t", &save); t && k < 8;
             t = strtok_r(NULL, "\t", &save))
            f[k++] = t;
        int c = k == 8 ? condition_of(f[4]) : -1;
        if (c < 0 || (clean_only && c > 0))
            continue;
        snprintf(path, sizeof path, "%s/wav/%s.wav", dir, f[0]);
        int16_t *pcm = NULL;
        size_t n = 0;
        if (audiofile_read_all(path, 16000, &pcm, &n, 60, err, sizeof err) != SD_OK) {
            fprintf(stderr, "bench_asr: %s\n", err);
            continue;
        }
        wake_cache *w = after_wake ? &wake : NULL;
        decode_one(e, recognizer_asr(rec), ASR_COMMAND, lang, pcm, n, f, each, w, &grammar[c]);
        if (lm_too)
            decode_one(e, recognizer_asr(rec), ASR_FREE, lang, pcm, n, f, each, w, &lm[c]);
        free(pcm);
    }
    fclose(m);
    free(wake.pcm);
    report("grammar", grammar);
    if (lm_too)
        report("lm", lm);
    recognizer_close(rec);
    engine_close(e);
    return 0;
}

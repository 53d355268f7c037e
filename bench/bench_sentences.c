/* bench_sentences.c - sentences drawn from the grammar, for the spoken test set
 * (scripts/make_audio_set.py runs it; scripts/bench.sh reports them apart from the dev set).
 *
 *   bench_sentences GRAMMAR_DIR LANG N [SEED [--dialog]]
 *
 * Prints N lines "intent<TAB>slots_json<TAB>text", the dev set's columns, so that the same
 * bench reads both. The public intents (the part of an intent name before '/'; the dialog/
 * intents are left out, as they are never reported on their own) take turns, so each is drawn
 * about as often; within one, the topic and the template are picked at random, and the
 * template's groups and optional parts by grammar_sample. Slot references get a random value
 * and one of its synonyms at random; the slot column says the value, for the complaint intents
 * (as the dev set does). Receipt and phone numbers are read digit by digit with the digit slot's
 * first word (이공이육 공공공 일이삼), as the recognition grammar hears them. The same SEED gives
 * the same sentences. --dialog adds the dialog/ intents (yes, no, cancel, ...) as one more public
 * intent: scripts/build_lm.py draws the recogniser's domain language model's sentences so, as a
 * resident answers those questions too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "strbuf.h"
#include "utf8.h"

#define MAX_INTENTS 64

typedef struct {
    const grammar *g;
    unsigned long rng;
    bool labels_slots; /* complaint intents only, as in the dev set: a question about parking
                          is no parking complaint */
    char slots[512];
    strbuf text;
} draw;

/* A linear congruential step: the same seed, the same sentences, on every machine. */
static size_t pick(draw *d, size_t n)
{
    d->rng = d->rng * 6364136223846793005UL + 1442695040888963407UL;
    return n ? (size_t)((d->rng >> 33) % n) : 0;
}

static void add_slot(draw *d, const char *name, const char *value)
{
    size_t len = strlen(d->slots);
    snprintf(d->slots + len, sizeof d->slots - len, "%s\"%s\":\"%s\"", len ? "," : "", name, value);
}

/* digits read one by one with the digit slot's first word for each: glued in Korean
 * (이공이육), apart in English (two zero two six). */
static void say_digits(draw *d, const char *digits)
{
    size_t slot = grammar_slot_find(d->g, "digit");
    const char *between = strcmp(grammar_lang(d->g), "ko") == 0 ? "" : " ";
    for (const char *p = digits; *p; p++)
        for (size_t v = 0; slot != (size_t)-1 && v < grammar_slot_value_count(d->g, slot); v++)
            if (grammar_slot_value(d->g, slot, v)[0] == *p) {
                strbuf_puts(&d->text, p == digits ? "" : between);
                strbuf_puts(&d->text, grammar_slot_synonym(d->g, slot, v, 0));
            }
}

static void random_digits(draw *d, char *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (char)('0' + pick(d, 10));
    out[n] = '\0';
}

static void say_receipt(draw *d)
{
    char seq[7], value[32];
    const char *year = pick(d, 2) ? "2026" : "2025";
    random_digits(d, seq, 6);
    snprintf(value, sizeof value, "SG-%s-%s", year, seq);
    if (d->labels_slots)
        add_slot(d, "receipt", value);
    say_digits(d, year);
    strbuf_puts(&d->text, " ");
    say_digits(d, seq);
}

static void say_phone(draw *d)
{
    char rest[9], value[16];
    random_digits(d, rest, 8);
    snprintf(value, sizeof value, "010%s", rest);
    if (d->labels_slots)
        add_slot(d, "phone", value);
    say_digits(d, "010");
    strbuf_puts(&d->text, " ");
    say_digits(d, rest);
}

/* A value of slot (not the category table's "_none" row) said with one of its synonyms. */
static void say_value(draw *d, size_t slot, const char *name)
{
    size_t values = grammar_slot_value_count(d->g, slot), v;
    do
        v = pick(d, values);
    while (strcmp(grammar_slot_value(d->g, slot, v), "_none") == 0);
    size_t synonyms = grammar_slot_synonym_count(d->g, slot, v);
    strbuf_puts(&d->text, grammar_slot_synonym(d->g, slot, v, pick(d, synonyms)));
    if (d->labels_slots && strcmp(name, "digit") != 0)
        add_slot(d, name, grammar_slot_value(d->g, slot, v));
}

/* grammar_sample's callback: the sentence with its slot references said. */
static int fill_slots(void *ctx, size_t intent, const char *sentence)
{
    (void)intent;
    draw *d = ctx;
    size_t len = strlen(sentence);
    for (size_t at = 0; at < len;) {
        uint32_t cp;
        size_t n = utf8_decode_char(sentence + at, len - at, &cp);
        if (n == 0)
            n = 1;
        if (cp >= GRAMMAR_SLOT_MARK && cp < GRAMMAR_SLOT_MARK + 0x100) {
            size_t slot = cp - GRAMMAR_SLOT_MARK;
            const char *name = grammar_slot_name(d->g, slot);
            if (strcmp(name, "receipt") == 0)
                say_receipt(d);
            else if (strcmp(name, "phone") == 0)
                say_phone(d);
            else
                say_value(d, slot, name);
        } else {
            strbuf_append(&d->text, sentence + at, n);
        }
        at += n;
    }
    return 0;
}

/* The public intents (name before the slash, the dialog/ intents left out unless dialog), each
 * with its grammar intents. */
static size_t public_intents(const grammar *g, bool dialog, char names[][64],
                             size_t members[][MAX_INTENTS], size_t *counts)
{
    size_t n = 0;
    for (size_t i = 0; i < grammar_intent_count(g) && i < MAX_INTENTS; i++) {
        const char *name = grammar_intent_name(g, i);
        size_t len = strcspn(name, "/");
        if ((!dialog && strncmp(name, "dialog/", 7) == 0) || len >= 64)
            continue;
        size_t k = 0;
        while (k < n && (strlen(names[k]) != len || strncmp(names[k], name, len) != 0))
            k++;
        if (k == n) {
            snprintf(names[n], 64, "%.*s", (int)len, name);
            counts[n++] = 0;
        }
        members[k][counts[k]++] = i;
    }
    return n;
}

int main(int argc, char **argv)
{
    bool dialog = argc == 6 && strcmp(argv[5], "--dialog") == 0;
    if (argc < 4 || argc > 6 || (argc == 6 && !dialog)) {
        fputs("usage: bench_sentences GRAMMAR_DIR LANG N [SEED [--dialog]]\n", stderr);
        return 2;
    }
    grammar *g = NULL;
    char err[512];
    if (grammar_load(argv[1], argv[2], &g, err, sizeof err) != SD_OK) {
        fprintf(stderr, "bench_sentences: %s\n", err);
        return 1;
    }
    static char names[MAX_INTENTS][64];
    static size_t members[MAX_INTENTS][MAX_INTENTS];
    size_t counts[MAX_INTENTS];
    size_t npublic = public_intents(g, dialog, names, members, counts);
    long want = atol(argv[3]);
    draw d = {.g = g, .rng = argc >= 5 ? strtoul(argv[4], NULL, 10) : 1};
    int status = 0;
    for (long k = 0; k < want && npublic > 0 && status == 0; k++) {
        size_t pub = (size_t)k % npublic;
        size_t intent = members[pub][pick(&d, counts[pub])];
        size_t tmpl = pick(&d, grammar_template_count(g, intent));
        d.slots[0] = '\0';
        d.labels_slots = strncmp(names[pub], "complaint.", 10) == 0;
        strbuf_clear(&d.text);
        if (grammar_sample(g, intent, tmpl, &d.rng, fill_slots, &d) != SD_OK || d.text.failed) {
            fputs("bench_sentences: out of memory\n", stderr);
            status = 1;
            break;
        }
        printf("%s\t{%s}\t%s\n", names[pub], d.slots, strbuf_str(&d.text));
    }
    strbuf_free(&d.text);
    grammar_free(g);
    return status;
}

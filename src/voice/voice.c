/* voice.c - the policy between recognition and dialogue that every voice channel shares, and
 * the rewriting of replies for the synthesiser. See voice.h for the why; the numbers are
 * tuned in scripts/bench.sh on in-grammar and out-of-grammar speech. */
#include "voice.h"

#include <ctype.h>
#include <string.h>

#include "g2p_ko.h"
#include "reply.h"

voice_outcome voice_turn(session *s, const char *heard, double confidence, double seconds,
                         const char *lang, strbuf *reply, sd_code *rc)
{
    *rc = SD_OK;
    if (session_expects(s) == SESSION_EXPECTS_DETAIL && strcmp(lang, "ko") == 0) {
        heard = seconds >= VOICE_MIN_DETAIL_S ? reply_phrase(lang, R_DETAIL_RECORDED) : "";
        confidence = 1;
    }
    bool yes_no = session_expects(s) == SESSION_EXPECTS_YES_NO;
    bool unsure =
        !heard || !*heard || confidence < VOICE_REJECT || (yes_no && confidence < VOICE_CONFIRM);
    understanding u;
    /* What a first sentence would start is judged before the dialogue acts on it. */
    if (!unsure && session_expects(s) == SESSION_EXPECTS_ANYTHING &&
        engine_understand(session_engine(s), heard, strlen(heard), voice_session_lang(lang), lang,
                          &u) == SD_OK)
        unsure = !voice_trusted(confidence, &u);
    if (unsure) {
        reply_say(reply, lang, yes_no ? R_YES_NO_UNSURE : R_HEARD_UNSURE);
        return VOICE_ASK_AGAIN;
    }
    *rc = session_turn(s, heard, strlen(heard), reply);
    return VOICE_ACTED;
}

bool voice_trusted(double asr_confidence, const understanding *u)
{
    if (asr_confidence < VOICE_REJECT)
        return false;
    bool civic =
        strcmp(u->intent, "complaint.file") == 0 || strcmp(u->intent, "complaint.status") == 0;
    return !civic || asr_confidence * u->confidence >= VOICE_CIVIC;
}

/* ---- text for the synthesiser ---- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A number people read digit by digit: digit groups joined by '-' (phones, receipts), or a
 * run of five or more digits. Returns its length at text, 0 if text does not start one. */
static size_t digit_code_length(const char *text)
{
    size_t n = 0, groups = 0;
    while (is_digit(text[n])) {
        while (is_digit(text[n]))
            n++;
        groups++;
        if (text[n] != '-' || !is_digit(text[n + 1]))
            break;
        n++;
    }
    return groups >= 2 || n >= 5 ? n : 0;
}

static void spell_digits(const char *code, size_t n, strbuf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (code[i] == '-') {
            strbuf_puts(out, ",");
        } else {
            if (i > 0)
                strbuf_puts(out, " ");
            strbuf_append(out, &code[i], 1);
        }
    }
}

/* "SG-" before a receipt number, "Q-" before a spool code (Q-12345-67890): the letters spelled
 * the way the language says them. */
static size_t receipt_prefix(const char *text, const char *lang, strbuf *out)
{
    if ((text[0] == 'S' || text[0] == 's') && (text[1] == 'G' || text[1] == 'g') &&
        text[2] == '-' && is_digit(text[3])) {
        strbuf_puts(out, strcmp(lang, "en") == 0 ? "S G, " : "에스 지, ");
        return 3;
    }
    if (text[0] == 'Q' && text[1] == '-' && is_digit(text[2])) {
        strbuf_puts(out, strcmp(lang, "en") == 0 ? "Q, " : "큐, ");
        return 2;
    }
    return 0;
}

/* eSpeak NG's Korean voice reads spelling (입니다 as ipnida): it is given the pronounced form. */
static void pronounce_korean(strbuf *text)
{
    g2p_ko *g = NULL;
    strbuf said;
    strbuf_init(&said);
    if (g2p_ko_new(&g) == SD_OK &&
        g2p_ko_pronounced(g, text->data ? text->data : "", text->len, &said) == SD_OK &&
        !said.failed) {
        strbuf_clear(text);
        strbuf_append(text, said.data ? said.data : "", said.len);
    }
    strbuf_free(&said);
    g2p_ko_free(g);
}

static void speakable(const char *text, const char *lang, strbuf *out)
{
    size_t i = 0;
    while (text[i]) {
        size_t skip = receipt_prefix(text + i, lang, out);
        if (skip) {
            i += skip;
            continue;
        }
        bool word_start = i == 0 || !isalnum((unsigned char)text[i - 1]);
        size_t code = word_start ? digit_code_length(text + i) : 0;
        if (code) {
            spell_digits(text + i, code, out);
            i += code;
            continue;
        }
        char c = text[i];
        if (c == '(') {
            if (out->len && out->data[out->len - 1] == ' ')
                out->data[--out->len] = '\0'; /* "a (b)" is said "a, b" */
            strbuf_puts(out, ", ");
        } else if (c == '\n') {
            strbuf_puts(out, i > 0 && strchr(".?!", text[i - 1]) ? " " : ". ");
        } else if (!strchr(")[]*#", c)) {
            strbuf_append(out, &text[i], 1);
        }
        i++;
    }
}

void voice_speech_text(const char *text, const char *lang, strbuf *out)
{
    strbuf part;
    strbuf_init(&part);
    speakable(text, lang, &part);
    if (strcmp(lang, "ko") == 0)
        pronounce_korean(&part);
    strbuf_append(out, part.data ? part.data : "", part.len);
    strbuf_free(&part);
}

const char *voice_heard_lang(const char *recognizer_lang, const char *heard, const char *fallback)
{
    if (strcmp(recognizer_lang, "auto") != 0)
        return recognizer_lang;
    return engine_detect_lang(heard, strlen(heard), fallback);
}

const char *voice_session_lang(const char *recognizer_lang)
{
    return strcmp(recognizer_lang, "auto") == 0 ? NULL : recognizer_lang;
}

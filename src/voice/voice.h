/* voice.h - what every voice channel (the speaker, the phone line) does between the recogniser
 * and the dialogue: decide whether what was heard is trustworthy enough to act on, and turn a
 * written reply into text a speech synthesiser reads well.
 *
 * Recognition is never certain. A turn heard with low confidence is not passed to the dialogue
 * at all: the resident is asked to say it again. A yes/no that would file a complaint needs more
 * confidence than any other answer, because filing cannot be taken back, and so does a first
 * sentence that would start a complaint or a status look-up: there the recogniser's confidence
 * and the understanding's are multiplied, so that a clear recording of an unclear request is
 * asked again too. */
#ifndef SEODONG_VOICE_H
#define SEODONG_VOICE_H
#include <stdbool.h>

#include "session.h"
#include "strbuf.h"

/* Confidence below which nothing is acted on, and below which a yes/no is asked again. */
#define VOICE_REJECT 0.35
#define VOICE_CONFIRM 0.60
/* A civic action (starting a complaint or a status look-up) needs the recogniser's confidence
 * times the understanding's to reach this: a mishearing must not start one. */
#define VOICE_CIVIC 0.45

/* Whether a turn heard with asr_confidence and understood as u may be acted on: not below
 * VOICE_REJECT, and for a civic intent not below VOICE_CIVIC with the understanding's own
 * confidence counted in. */
bool voice_trusted(double asr_confidence, const understanding *u);

typedef enum {
    VOICE_ACTED,     /* the dialogue took the turn; reply holds its answer */
    VOICE_ASK_AGAIN, /* not sure what was said; reply asks the resident to repeat */
} voice_outcome;

/* Speech shorter than this cannot be a complaint's details. */
#define VOICE_MIN_DETAIL_S 1.0

/* One spoken turn: heard is the recogniser's text (may be empty), confidence its 0..1 score,
 * seconds the length of the utterance, lang the language it was recognised in. Appends the
 * written reply to reply. Returns what happened; *rc gets session_turn's code when the dialogue
 * took the turn (SD_OK otherwise).
 *
 * Korean has no language model for free speech: when the dialogue waits for a complaint's
 * details in Korean, what was said is not transcribed but kept as a recording (the speaker
 * saves it with the complaint), and the details say so. */
voice_outcome voice_turn(session *s, const char *heard, double confidence, double seconds,
                         const char *lang, strbuf *reply, sd_code *rc);

/* The language of what was heard: the recogniser's language, or with "auto" (both grammars, see
 * recognizer.h) the one its words are in; fallback when nothing was heard. */
const char *voice_heard_lang(const char *recognizer_lang, const char *heard, const char *fallback);

/* The language a voice channel's session is fixed to: NULL (follow the resident) for "auto". */
const char *voice_session_lang(const char *recognizer_lang);

/* Appends text rewritten for a speech synthesiser: receipt and phone numbers read digit by
 * digit in groups ("SG-2026-000123" -> "S G, 2 0 2 6, 0 0 0 1 2 3", a spool code "Q-12345-67890" ->
 * "Q, 1 2 3 4 5, 6 7 8 9 0"), symbols a voice would
 * read out (brackets, arrows, slashes between words) dropped or made pauses, and Korean in its
 * pronounced form (g2p_ko.h), which eSpeak NG's Korean voice reads correctly. */
void voice_speech_text(const char *text, const char *lang, strbuf *out);

#endif

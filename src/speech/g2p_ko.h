/* g2p_ko.h - Korean grapheme-to-phoneme conversion: how a Hangul word is said, written back as
 * Hangul (for eSpeak NG, which reads spelling) and as phones of PocketSphinx's en-us acoustic
 * model (for recognition: there is no Korean acoustic model).
 *
 * A word goes through three steps:
 *   1. spell-out: digits become Sino-Korean numbers ("2026" -> 이천이십육, "010" -> 공일공),
 *      Latin letters their Korean names ("SG" -> 에스지), ASCII punctuation is silent, and a few
 *      chat abbreviations typed in jamo are read as what they stand for (ㅇㅇ -> 응응). Any
 *      other character (Hanja, other scripts, lone jamo) has no reading: the word is refused;
 *   2. the standard pronunciation rules (표준 발음법) across syllable boundaries: 국물 -> 궁물;
 *   3. each Korean sound mapped to the nearest en-us phones, with up to G2P_KO_MAX_VARIANTS
 *      variants where the mapping is ambiguous (ㅓ as AH or AO, ...), the likeliest first.
 *
 * Some words have two readings: a run of 2-4 digits not starting with 0 is read as a number and
 * digit by digit ("119": 백십구, 일일구), and a final 역 (station) after a consonant is also
 * read with ㄴ inserted (가정역: 가정역, 가정녁). The variants are then split between the two
 * readings, at most G2P_KO_MAX_VARIANTS / 2 each, the first reading's first.
 *
 * A g2p_ko object holds the buffers the results live in: one per thread, no global state. */
#ifndef SEODONG_G2P_KO_H
#define SEODONG_G2P_KO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"
#include "strbuf.h"

/* At most this many pronunciations per word. */
#define G2P_KO_MAX_VARIANTS 8
/* Longest word accepted by g2p_ko_analyse, in bytes. */
#define G2P_KO_MAX_WORD 96

/* ---- Hangul syllables and their jamo ---- */

/* The parts of a precomposed syllable, numbered as Unicode numbers them: initial 0-18
 * (ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ), medial 0-20 (ㅏ ... ㅣ), final 0-27
 * (0 = none, then ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ... ㅎ). */
typedef struct {
    uint8_t initial, medial, final;
} g2p_ko_jamo;

/* Splits a syllable (U+AC00..U+D7A3) into out; false for any other code point. */
bool g2p_ko_decompose(uint32_t syllable, g2p_ko_jamo *out);
/* The syllable made of j, or 0 when a part is out of range. */
uint32_t g2p_ko_compose(g2p_ko_jamo j);

/* ---- numbers ---- */

typedef enum {
    G2P_KO_NUMBER_VALUE, /* "2026" -> 이천이십육, "10000" -> 만, "0" -> 영 (up to 16 digits) */
    G2P_KO_NUMBER_DIGITS, /* "010" -> 공일공: phone numbers, receipt serials */
} g2p_ko_number_style;

/* Appends the Sino-Korean reading of the ASCII digits digits[0..len) to out, as spelled (the
 * pronunciation rules are not applied: g2p_ko_pronounced does that). Returns SD_OK,
 * SD_ERR_INVALID (empty, or not all digits), SD_ERR_TOO_LONG (a value of more than 16 digits)
 * or SD_ERR_NOMEM. */
sd_code g2p_ko_number_words(const char *digits, size_t len, g2p_ko_number_style style, strbuf *out);

/* ---- words and text ---- */

typedef struct g2p_ko g2p_ko;

sd_code g2p_ko_new(g2p_ko **out);
void g2p_ko_free(g2p_ko *g);

/* One analysed word. The strings live in the g2p_ko and stay valid until its next call. */
typedef struct {
    size_t readings;     /* 1 or 2 */
    const char *said[2]; /* per reading: the word as pronounced, in Hangul (국물 -> 궁물) */
    size_t count;        /* 1..G2P_KO_MAX_VARIANTS */
    const char *phones[G2P_KO_MAX_VARIANTS]; /* en-us phones separated by spaces, distinct */
    uint8_t reading[G2P_KO_MAX_VARIANTS];    /* which reading each variant comes from */
} g2p_ko_result;

/* Analyses one word (no spaces) word[0..len). Returns SD_OK, SD_ERR_UTF8, SD_ERR_TOO_LONG
 * (over G2P_KO_MAX_WORD bytes), SD_ERR_INVALID (a character with no Korean reading, or nothing
 * to say: err tells which) or SD_ERR_NOMEM. err may be NULL. */
sd_code g2p_ko_analyse(g2p_ko *g, const char *word, size_t len, g2p_ko_result *out, char *err,
                       size_t errlen);

/* A recgram_pron_fn (recgram.h): pronunciation number variant of the NUL-terminated word as
 * en-us phones, or NULL when there is no such variant or the word cannot be pronounced (see
 * g2p_ko_analyse). g2p is a g2p_ko. The string stays valid until the next call on g2p. */
const char *g2p_ko_pron(void *g2p, const char *word, size_t variant);

/* Appends text[0..len) to out with every run of Hangul syllables rewritten as pronounced
 * (입니다 -> 임니다); everything else is copied unchanged, since eSpeak NG reads digits and
 * Latin letters itself. Rules do not cross spaces or punctuation. Returns SD_OK, SD_ERR_UTF8
 * or SD_ERR_NOMEM. */
sd_code g2p_ko_pronounced(g2p_ko *g, const char *text, size_t len, strbuf *out);

#endif

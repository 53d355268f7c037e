/* utf8.h - UTF-8 decoding, validation and the Hangul facts every text module needs. */
#ifndef SEODONG_UTF8_H
#define SEODONG_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s[0..len). Returns its length in bytes (1-4), or 0 when the bytes
 * there are not valid UTF-8 (overlong form, surrogate, beyond U+10FFFF, truncated sequence). */
size_t utf8_decode_char(const char *s, size_t len, uint32_t *cp);

/* Writes cp as UTF-8 into out and returns the number of bytes (1-4); 0 for an invalid cp. */
size_t utf8_encode_char(uint32_t cp, char out[4]);

/* True when all of s[0..len) is valid UTF-8. */
bool utf8_valid(const char *s, size_t len);

/* Byte offset of the first invalid sequence, or len when there is none. */
size_t utf8_first_invalid(const char *s, size_t len);

/* A precomposed Hangul syllable, U+AC00..U+D7A3. */
static inline bool hangul_is_syllable(uint32_t cp)
{
    return cp >= 0xAC00 && cp <= 0xD7A3;
}

/* Hangul syllables, Jamo and compatibility Jamo: anything that marks a line as Korean. */
static inline bool hangul_is_korean(uint32_t cp)
{
    return hangul_is_syllable(cp) || (cp >= 0x1100 && cp <= 0x11FF) ||
           (cp >= 0x3130 && cp <= 0x318F);
}

#endif

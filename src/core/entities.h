/* entities.h - numbers residents type or say: receipt numbers and phone numbers.
 *
 * Both come written ("SG-2026-000123", "010-1234-5678") or spoken ("에스지 이공이육 일이삼",
 * "공일공 일이삼사 오육칠팔", "s g two zero two six one two three"). The spoken digit words come
 * from the grammar's digit slot, so the recogniser and this scanner agree on them. */
#ifndef SEODONG_ENTITIES_H
#define SEODONG_ENTITIES_H

#include <stdbool.h>
#include <stddef.h>

#include "grammar.h"

#define ENTITY_MAX 32

/* The numbers this scanner takes when no anchor stands before them, as digits in all and the
 * digits they start with. The recognition grammar (recgram.c) hears numbers of these shapes
 * only, so that nothing can be said as a number that is then not understood as one. */
#define ENTITY_RECEIPT_LEAD "20" /* read year first: 2026, then a serial of 1 to 6 digits */
#define ENTITY_RECEIPT_MIN_DIGITS 5
#define ENTITY_RECEIPT_MAX_DIGITS 10
#define ENTITY_PHONE_LEAD "0"
#define ENTITY_PHONE_MIN_DIGITS 9
#define ENTITY_PHONE_MAX_DIGITS 11

typedef struct {
    bool found;
    size_t start, end;      /* byte span in the scanned text */
    char value[ENTITY_MAX]; /* receipt "SG-2026-000123"; phone and digits: digits only */
} entity;

typedef struct {
    entity receipt;
    entity phone;
    entity digits; /* the first other run of digits (e.g. the last four of a phone) */
    /* A spool code ("Q-12345-67890", given while the office's store was away) is a receipt too;
     * one said with more or fewer than its 10 digits is no receipt but this flag. */
    bool receipt_incomplete;
} entities;

/* Scans text[0..len) (valid UTF-8, lower-cased ASCII) for a receipt number (or a spool code "q
 * 12345 67890", "q-12345-67890", "큐 일이삼사오 육칠팔구공": receipt "Q-12345-67890"), a phone
 * number and a plain run of digits. digits_words is the grammar whose digit slot lists spoken
 * digits; this_year completes a receipt said without its year ("SG 123"). Spoken digits count only
 * as whole words (or before a particle: "구구공공이에요"), so 사거리 or 오늘 are never numbers. */
void entities_scan(const char *text, size_t len, const grammar *digit_words, int this_year,
                   entities *out);

/* Parses a receipt number in canonical form; returns false when s is not one. */
bool entities_parse_receipt(const char *s, int *year, long *serial);

#endif

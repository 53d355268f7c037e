/* pii.h - what of a person may be shown: the one place that decides.
 *
 * pii_redact is called wherever text leaves the office's hands: Open311 answers (JSON and XML),
 * the tracking page, the dialogue's echo of what a resident wrote (the KakaoTalk skill, chat,
 * the phone line and the speaker all answer through it), and log lines. It masks phone numbers
 * in any form a person writes them (separators of any kind, full-width or circled digits,
 * Korean or English number words, +82 and other international forms), e-mail addresses and
 * resident registration numbers, and leaves other numbers alone: receipt numbers, dates, house
 * numbers, prices, the 15xx numbers of companies and the short numbers of public services.
 *
 * A phone number the office holds as digits (the complaint's contact, a caller ID) is shown to
 * staff as pii_mask_phone or pii_mask_caller writes it, never in full. No network, no state. */
#ifndef SEODONG_PII_H
#define SEODONG_PII_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* What pii_redact writes in place of each kind. They hold no digit, so redacting twice changes
 * nothing, and none gives away how long the number was. */
#define PII_PHONE_MASK "***-****-****"
#define PII_EMAIL_MASK "***@***"
#define PII_RRN_MASK "******-*******"

/* Appends text[0..len) to out with every phone number, e-mail address and resident registration
 * number replaced by its mask. Bytes that are not UTF-8 are copied as they are. On allocation
 * failure out->failed is set (and the text must not be shown). */
void pii_redact(const char *text, size_t len, strbuf *out);

/* Size of the digits pii_phone_digits writes, with the NUL. */
#define PII_PHONE_DIGITS 16

/* Reads a form field meant to hold one Korean phone number and nothing else, written in any of
 * the forms pii_redact recognises ("010-1234-5678", "+82 10 1234 5678", "(02) 123-4567",
 * full-width digits). Returns true with the national digits in out ("01012345678"), false when
 * the field is anything else: another number, a sign or separator first or last, letters. */
bool pii_phone_digits(const char *field, char out[PII_PHONE_DIGITS]);

/* Size of what pii_mask_phone writes, with the NUL. */
#define PII_PHONE_MASKED 24

/* A phone number the office holds (digits), for staff eyes in logs and lists: "010-****-5678";
 * "****" when it is too short or too long to be one. */
void pii_mask_phone(const char *digits, char out[PII_PHONE_MASKED]);

/* A caller ID for the call records: every character but the last four hidden ("*******5678").
 * out holds size bytes; a longer caller ID is cut. */
void pii_mask_caller(const char *caller, char *out, size_t size);

#endif

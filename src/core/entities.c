/* entities.c - finds receipt and phone numbers, written or spoken.
 *
 * The text is cut into words at white space. Each word is read as a digit group when it is
 * all ASCII digits (with - . / inside), all spoken digit words (Korean syllables 일 이 삼 …,
 * possibly ending in a particle), a Sino-Korean number (이천이십육 = 2026) or an English digit
 * word. Neighbouring digit groups join into one run; "다시", "dash" and "-" join too, but not
 * onto a receipt number already written whole (SG-2026-000123 5678: the receipt, then four
 * digits). A run is a
 * receipt number when an anchor (sg, 에스지, 접수번호, receipt) stands right before it, or when it
 * is written like one (2026-000123) or is ten digits from 20 (the whole number read out); a phone
 * number when it starts with 0 and has 9 to 11 digits; otherwise a plain digit run. A spool
 * code (q or 큐, then 8 digits in any grouping) is gathered first and is a receipt only whole. */
#include "entities.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "utf8.h"

#define MAX_DIGITS 32
#define MAX_WORDS 64

typedef struct {
    size_t start, end;
    char digits[MAX_DIGITS];
    size_t ndigits;
    bool is_digit_group;
    bool is_anchor;
    bool is_joiner;
    bool ascii_separated; /* ASCII digits written with - . / inside (2026-000123) */
    bool is_spool;        /* "q" or "큐", or q glued to digits: a spool code starts here */
} word;

/* A spool code's digits: "Q-" and two groups of five (store_shared.c draws them). */
#define SPOOL_CODE_DIGITS 10

static const char *const anchors[] = {"sg",       "s.g.",    "s.g",  "에스지", "에스쥐",
                                      "접수번호", "receipt", "번호", "no.",    NULL};
static const char *const joiners[] = {"다시", "-", "dash", "hyphen", "/", NULL};
/* Endings that may follow spoken digits inside a word: 구구공공이에요, 일이삼번이요. */
static const char *const particles[] = {"이에요", "이예요",   "입니다", "이요", "예요", "에요",
                                        "번이요", "번이에요", "번",     "이고", "이랑", "요",
                                        "년",     "인데",     "이고요", NULL};

static bool in_list(const char *s, size_t n, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
            return true;
    return false;
}

/* The digit a spoken word stands for, from the grammar's digit slot, or -1. */
static int spoken_digit(const grammar *g, size_t digit_slot, const char *s, size_t n)
{
    if (digit_slot == (size_t)-1)
        return -1;
    for (size_t v = 0; v < grammar_slot_value_count(g, digit_slot); v++)
        for (size_t k = 0; k < grammar_slot_synonym_count(g, digit_slot, v); k++) {
            const char *syn = grammar_slot_synonym(g, digit_slot, v, k);
            if (strlen(syn) == n && memcmp(syn, s, n) == 0)
                return grammar_slot_value(g, digit_slot, v)[0] - '0';
        }
    return -1;
}

static bool push_digit(word *w, int d)
{
    if (w->ndigits + 1 >= MAX_DIGITS)
        return false;
    w->digits[w->ndigits++] = (char)('0' + d);
    w->digits[w->ndigits] = '\0';
    return true;
}

static bool read_ascii_digits(word *w, const char *s, size_t n)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if (!push_digit(w, s[i] - '0'))
                return false;
            any = true;
        } else if ((s[i] == '-' || s[i] == '.' || s[i] == '/') && any && i + 1 < n) {
            w->ascii_separated = true;
        } else {
            return false;
        }
    }
    return any;
}

/* 이천이십육 -> 2026: a Sino-Korean number with 십 백 천 (만 is not needed for receipts). */
static bool read_sino_number(word *w, const grammar *g, size_t slot, const char *s, size_t n)
{
    long total = 0, pending = -1;
    bool has_unit = false;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_decode_char(s + i, n - i, &cp);
        if (len == 0)
            return false;
        long unit = cp == 0xC2ED ? 10 : cp == 0xBC31 ? 100 : cp == 0xCC9C ? 1000 : 0; /* 십백천 */
        if (unit) {
            total += (pending < 0 ? 1 : pending) * unit;
            pending = -1;
            has_unit = true;
        } else {
            int d = spoken_digit(g, slot, s + i, len);
            if (d < 0 || pending >= 0)
                return false;
            pending = d;
        }
        i += len;
    }
    if (!has_unit)
        return false;
    if (pending > 0)
        total += pending;
    char buf[24];
    int k = snprintf(buf, sizeof buf, "%ld", total);
    for (int j = 0; j < k; j++)
        if (!push_digit(w, buf[j] - '0'))
            return false;
    return true;
}

/* Every syllable a spoken digit: 이공이육. */
static bool read_spoken_digits(word *w, const grammar *g, size_t slot, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_decode_char(s + i, n - i, &cp);
        int d = len ? spoken_digit(g, slot, s + i, len) : -1;
        if (d < 0 || !push_digit(w, d))
            return false;
        i += len;
    }
    return w->ndigits > 0;
}

static size_t strip_particle(const char *s, size_t n)
{
    for (size_t i = 0; particles[i]; i++) {
        size_t p = strlen(particles[i]);
        if (p < n && memcmp(s + n - p, particles[i], p) == 0)
            return n - p;
    }
    return n;
}

static bool try_digits(word *w, const grammar *g, size_t slot, const char *s, size_t n)
{
    w->ndigits = 0;
    w->ascii_separated = false;
    if (read_ascii_digits(w, s, n))
        return true;
    w->ndigits = 0;
    w->ascii_separated = false;
    if (spoken_digit(g, slot, s, n) >= 0 && (unsigned char)s[0] < 0x80)
        return push_digit(w, spoken_digit(g, slot, s, n)); /* an English digit word */
    if ((unsigned char)s[0] < 0x80)
        return false;
    /* Korean: one or two syllables (이, 이사, 오일) are too often words; three or more only. */
    if (n >= 9 && read_spoken_digits(w, g, slot, s, n))
        return true;
    w->ndigits = 0;
    return read_sino_number(w, g, slot, s, n);
}

static void classify(word *w, const grammar *g, size_t slot, const char *s, size_t n)
{
    w->is_anchor = in_list(s, n, anchors);
    w->is_joiner = in_list(s, n, joiners);
    if (w->is_anchor || w->is_joiner)
        return;
    /* "q", "큐", "q1234567890", "q-12345-67890": a spool code, whose digits entities_scan
     * gathers. */
    if ((n == 1 && s[0] == 'q') || (n == 3 && memcmp(s, "큐", 3) == 0)) {
        w->is_spool = true;
        return;
    }
    if (n > 1 && s[0] == 'q') {
        size_t skip = 1 + (s[1] == '-');
        if (skip < n && read_ascii_digits(w, s + skip, n - skip)) {
            w->is_spool = true;
            return;
        }
        w->ndigits = 0;
        w->ascii_separated = false;
    }
    /* "sg2026000123", "sg-2026-000123": an anchor glued to its digits. */
    if (n > 2 && s[0] == 's' && s[1] == 'g') {
        size_t skip = 2 + (s[2] == '-' || s[2] == '.' || s[2] == '/');
        if (skip < n && read_ascii_digits(w, s + skip, n - skip)) {
            w->is_anchor = true;
            w->is_digit_group = true;
            return;
        }
        w->ndigits = 0;
    }
    if (try_digits(w, g, slot, s, n)) {
        w->is_digit_group = true;
        return;
    }
    size_t stem = strip_particle(s, n);
    if (stem < n && try_digits(w, g, slot, s, stem))
        w->is_digit_group = true;
}

static size_t split_words(const char *text, size_t len, const grammar *g, word *words)
{
    size_t slot = grammar_slot_find(g, "digit");
    size_t count = 0, i = 0;
    while (i < len && count < MAX_WORDS) {
        while (i < len && (text[i] == ' ' || text[i] == ',' || text[i] == '?' || text[i] == '!'))
            i++;
        size_t start = i;
        while (i < len && text[i] != ' ' && text[i] != ',' && text[i] != '?' && text[i] != '!')
            i++;
        if (i == start)
            break;
        word *w = &words[count++];
        memset(w, 0, sizeof *w);
        w->start = start;
        w->end = i;
        classify(w, g, slot, text + start, i - start);
    }
    return count;
}

bool entities_parse_receipt(const char *s, int *year, long *serial)
{
    int y;
    long n;
    char tail;
    if (sscanf(s, "SG-%4d-%6ld%c", &y, &n, &tail) != 2 || strlen(s) != 14 || y < 2000 || n < 1)
        return false;
    *year = y;
    *serial = n;
    return true;
}

static void set_entity(entity *e, size_t start, size_t end, const char *value)
{
    e->found = true;
    e->start = start;
    e->end = end;
    snprintf(e->value, sizeof e->value, "%s", value);
}

static bool starts_with(const char *digits, const char *lead)
{
    return strncmp(digits, lead, strlen(lead)) == 0;
}

/* Whether digits[0..n) has min..max digits and starts with lead. */
static bool shaped(const char *digits, size_t n, const char *lead, size_t min, size_t max)
{
    return n >= min && n <= max && starts_with(digits, lead);
}

static bool year_led(const char *digits, size_t n)
{
    return shaped(digits, n, ENTITY_RECEIPT_LEAD, ENTITY_RECEIPT_MIN_DIGITS,
                  ENTITY_RECEIPT_MAX_DIGITS);
}

/* A run with an anchor: year then serial, or a serial alone in this year. */
static bool as_receipt(const char *digits, size_t n, int this_year, char out[ENTITY_MAX])
{
    if (year_led(digits, n)) {
        int year = (digits[0] - '0') * 1000 + (digits[1] - '0') * 100 + (digits[2] - '0') * 10 +
                   (digits[3] - '0');
        long serial = strtol(digits + 4, NULL, 10);
        if (serial > 0) {
            store_format_receipt(out, year, serial);
            return true;
        }
    }
    if (n >= 1 && n <= 6 && strtol(digits, NULL, 10) > 0) {
        store_format_receipt(out, this_year, strtol(digits, NULL, 10));
        return true;
    }
    return false;
}

static void take_run(word *words, size_t first, size_t last, bool anchored, int this_year,
                     entities *out)
{
    char digits[MAX_DIGITS * 2] = "";
    size_t n = 0;
    bool ascii_form = false;
    for (size_t i = first; i <= last; i++) {
        if (!words[i].is_digit_group)
            continue;
        ascii_form |= words[i].ascii_separated;
        size_t k = words[i].ndigits;
        if (n + k >= sizeof digits)
            break;
        memcpy(digits + n, words[i].digits, k);
        n += k;
        digits[n] = '\0';
    }
    size_t start = words[first].start, end = words[last].end;
    char value[ENTITY_MAX];
    /* Written like a receipt: 2026-000123, or a year followed by a serial (2026년 321번), or
     * read out whole digit by digit (two zero two six zero zero zero one two three): ten digits
     * from 20, which no phone number is. */
    bool year_first = words[first].ndigits == 4 && first < last &&
                      starts_with(words[first].digits, ENTITY_RECEIPT_LEAD);
    bool whole = year_led(digits, n) && n == ENTITY_RECEIPT_MAX_DIGITS;
    bool receipt_like = anchored || whole || ((ascii_form || year_first) && year_led(digits, n));
    if (!out->receipt.found && receipt_like && as_receipt(digits, n, this_year, value)) {
        set_entity(&out->receipt, start, end, value);
        return;
    }
    if (!out->phone.found &&
        shaped(digits, n, ENTITY_PHONE_LEAD, ENTITY_PHONE_MIN_DIGITS, ENTITY_PHONE_MAX_DIGITS)) {
        set_entity(&out->phone, start, end, digits);
        return;
    }
    if (!out->digits.found && n < ENTITY_MAX)
        set_entity(&out->digits, start, end, digits);
}

/* A word that is a receipt number by itself: written with its separators (2026-000123,
 * sg-2026-1) or all ten digits. Nothing after it belongs to the same number. */
static bool whole_receipt(const word *w)
{
    return year_led(w->digits, w->ndigits) &&
           (w->ascii_separated || w->ndigits == ENTITY_RECEIPT_MAX_DIGITS);
}

/* The spool code starting at words[k]: its digits, with the digit groups after it, until it has
 * all ten. The words it spans are taken out of the other numbers' way, so that a code said
 * in part is never read as a receipt or a phone number: it is asked again whole. */
static size_t take_spool_code(word *words, size_t count, size_t k, entities *out)
{
    char digits[MAX_DIGITS * 2];
    size_t n = words[k].ndigits;
    memcpy(digits, words[k].digits, n);
    size_t last = k;
    while (n < SPOOL_CODE_DIGITS && last + 1 < count) {
        size_t next = last + 1;
        if (words[next].is_joiner && next + 1 < count && words[next + 1].is_digit_group)
            next++;
        if (!words[next].is_digit_group || n + words[next].ndigits >= sizeof digits)
            break;
        memcpy(digits + n, words[next].digits, words[next].ndigits);
        n += words[next].ndigits;
        last = next;
    }
    for (size_t i = k; i <= last; i++)
        words[i].is_digit_group = words[i].is_anchor = words[i].is_joiner = false;
    if (n == SPOOL_CODE_DIGITS && !out->receipt.found) {
        char value[ENTITY_MAX];
        snprintf(value, sizeof value, "Q-%.5s-%.5s", digits, digits + 5);
        set_entity(&out->receipt, words[k].start, words[last].end, value);
    } else if (n > 0) {
        out->receipt_incomplete = true;
    }
    return last;
}

void entities_scan(const char *text, size_t len, const grammar *digit_words, int this_year,
                   entities *out)
{
    memset(out, 0, sizeof *out);
    word words[MAX_WORDS];
    size_t count = split_words(text, len, digit_words, words);
    for (size_t k = 0; k + 1 < count; k++) /* "s g 2026 123": the letters spelled apart */
        if (words[k].end - words[k].start == 1 && text[words[k].start] == 's' &&
            words[k + 1].end - words[k + 1].start == 1 && text[words[k + 1].start] == 'g')
            words[k].is_anchor = words[k + 1].is_anchor = true;
    for (size_t k = 0; k < count; k++)
        if (words[k].is_spool)
            k = take_spool_code(words, count, k, out);
    size_t i = 0;
    while (i < count) {
        bool anchored = false;
        size_t first = i;
        /* Anchor words (sg, 에스지, 접수 번호) directly before the digits. */
        while (i < count && words[i].is_anchor && !words[i].is_digit_group) {
            anchored = true;
            i++;
        }
        if (i < count && words[i].is_anchor && words[i].is_digit_group)
            anchored = true;
        if (i >= count || !words[i].is_digit_group) {
            i = (i == first) ? i + 1 : i;
            continue;
        }
        size_t last = i;
        while (last + 1 < count && !whole_receipt(&words[last]) &&
               (words[last + 1].is_digit_group ||
                (words[last + 1].is_joiner && last + 2 < count && words[last + 2].is_digit_group)))
            last++;
        take_run(words, anchored ? first : i, last, anchored, this_year, out);
        i = last + 1;
    }
}

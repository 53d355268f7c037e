/* pii.c - personal numbers and addresses found in free text, and masked (see pii.h).
 *
 * Two passes over the text. E-mail addresses first: an at-sign ("@", full-width "＠", "(at)")
 * with an address's characters on both sides. Then numbers: the text is read as tokens - a
 * digit in any written form (ASCII, full-width, circled, mathematical, a Korean or English
 * number word, or a digit written masked, "*"), a separator (spaces, dashes of every kind, dots,
 * slashes, brackets, invisible joiners), a plus, or anything else. Digits with at most
 * MAX_SEPARATORS separators between them make a run, cut into chunks where separators stood or
 * the script changes; each Korean number word is a chunk of its own, so that a particle after a
 * number read out ("오사삼이이에요": 이 is also 2) can fall outside it. Every sequence of whole
 * chunks of a run that spells a phone number or a resident registration number is masked, and
 * where such sequences overlap all of them are: "02 010 1234 5678" hides all four chunks, not
 * just "02 010 1234". Masking a particle now and then is the price of never leaving digits.
 *
 * A phone number is what Korean numbering allows, read generously: 9 to 12 digits starting
 * with 0 and then 1-7 (mobile, Seoul, the areas, 050x, 070), the same after 82 with or without
 * +, 00 or 00X in front, and any other country's number after a plus (8 to 15 digits). A
 * registration number is 13 digits, written whole or as 6 and 7, whose first six are a date
 * (YYMMDD), the last six possibly written masked. So receipt numbers (SG-2026-000001), dates, house
 * numbers (123-4), prices, 15xx and 080 numbers, and short numbers never match. */
#include "pii.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

/* Separator characters allowed between two chunks of one number ("010 - 1234" has three). */
#define MAX_SEPARATORS 4
/* The longest number looked for: 00X 82 and a ten-digit number without its 0. */
#define MAX_NUMBER_DIGITS 16

typedef enum { TOK_DIGIT, TOK_SEPARATOR, TOK_PLUS, TOK_OTHER } token_kind;
/* Digits of one script glued together form one chunk; scripts change only across separators. */
typedef enum { SCRIPT_NUMERAL, SCRIPT_HANGUL, SCRIPT_WORD } token_script;

typedef struct {
    token_kind kind;
    token_script script;
    char digit;        /* '0'..'9', or '*' for a digit written masked */
    bool invisible;    /* a zero-width separator, not counted */
    size_t start, end; /* bytes */
} token;

typedef struct {
    size_t start, end;
    const char *mask;
} span;

typedef struct {
    span *v;
    size_t n, cap;
    bool failed;
} span_list;

typedef struct {
    size_t start, end; /* bytes of the chunk's own digits */
    size_t lead;       /* where the plus before it stands (when plus), else start */
    size_t first, n;   /* its digits in the run's digit string */
    bool plus;
    char mark; /* 0; 'p' part of a phone number; 'r' part of a registration number */
} chunk;

typedef struct {
    chunk *chunks;
    size_t nchunks, cap;
    char *digits;
    size_t ndigits, dcap;
    bool failed;
} number_run;

/* ---- reading tokens ---- */

static int numeral_digit(uint32_t cp)
{
    if (cp >= '0' && cp <= '9')
        return (int)(cp - '0');
    if (cp >= 0xFF10 && cp <= 0xFF19) /* full-width */
        return (int)(cp - 0xFF10);
    if (cp >= 0x2460 && cp <= 0x2468) /* ① .. ⑨ */
        return (int)(cp - 0x2460 + 1);
    if (cp >= 0x2776 && cp <= 0x277E) /* ❶ .. ❾ */
        return (int)(cp - 0x2776 + 1);
    if (cp == 0x24EA || cp == 0x24FF) /* ⓪ ⓿ */
        return 0;
    if (cp >= 0x1D7CE && cp <= 0x1D7FF) /* mathematical bold, double-struck, ... digits */
        return (int)((cp - 0x1D7CE) % 10);
    return -1;
}

/* Stars and circles people write for digits they hide ("900101-1******"). */
static bool masked_digit(uint32_t cp)
{
    return cp == '*' || cp == 0xFF0A || cp == 0x25CF || cp == 0x25CB;
}

/* Korean number words as a number is read out: 공일공 구팔칠육 ..., 영 and 빵 for 0. */
static int hangul_digit(const char *s, size_t n)
{
    static const char *const words[][2] = {
        {"공", "0"}, {"영", "0"}, {"빵", "0"}, {"일", "1"}, {"이", "2"}, {"삼", "3"}, {"사", "4"},
        {"오", "5"}, {"육", "6"}, {"륙", "6"}, {"칠", "7"}, {"팔", "8"}, {"구", "9"}};
    for (size_t i = 0; n == 3 && i < sizeof words / sizeof words[0]; i++)
        if (memcmp(s, words[i][0], 3) == 0)
            return words[i][1][0] - '0';
    return -1;
}

static int word_digit(const char *s, size_t n)
{
    static const char *const words[] = {"zero", "one", "two",   "three", "four",
                                        "five", "six", "seven", "eight", "nine"};
    for (size_t d = 0; d < 10; d++)
        if (strlen(words[d]) == n && strncasecmp(s, words[d], n) == 0)
            return (int)d;
    return -1;
}

static bool separator(uint32_t cp, bool *invisible)
{
    *invisible = cp == 0x00AD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
    if (*invisible || (cp < 0x80 && strchr(" \t-./()_~", (int)cp) && cp))
        return true;
    return cp == 0x00A0 || cp == 0x00B7 || (cp >= 0x2000 && cp <= 0x200A) ||
           (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2024 || cp == 0x2027 || cp == 0x202F ||
           cp == 0x2043 || cp == 0x205F || cp == 0x2212 || cp == 0x2E3A || cp == 0x2E3B ||
           cp == 0x3000 || cp == 0x301C || cp == 0x30FB || cp == 0x318D || cp == 0xFE58 ||
           cp == 0xFE63 || cp == 0xFF08 || cp == 0xFF09 || cp == 0xFF0D || cp == 0xFF0E ||
           cp == 0xFF0F || cp == 0xFF3F || cp == 0xFF5E;
}

static bool ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* An ASCII word: a number word, an "x" standing for a digit right after digits ("1xxxxxx"),
 * or anything else, taken whole so that "someone" holds no "one". */
static token read_word(const char *s, size_t len, size_t i, const token *prev)
{
    token t = {TOK_OTHER, SCRIPT_WORD, 0, false, i, i};
    bool all_x = true;
    while (t.end < len && ascii_letter(s[t.end])) {
        all_x &= s[t.end] == 'x' || s[t.end] == 'X';
        t.end++;
    }
    int d = word_digit(s + i, t.end - i);
    if (all_x && prev->kind == TOK_DIGIT && prev->script == SCRIPT_NUMERAL && prev->end == i) {
        t.kind = TOK_DIGIT, t.script = SCRIPT_NUMERAL, t.digit = '*', t.end = i + 1;
    } else if (d >= 0) {
        t.kind = TOK_DIGIT, t.digit = (char)('0' + d);
    }
    return t;
}

static token read_token(const char *s, size_t len, size_t i, const token *prev)
{
    token t = {TOK_OTHER, SCRIPT_NUMERAL, 0, false, i, i + 1};
    uint32_t cp;
    size_t n = utf8_decode_char(s + i, len - i, &cp);
    if (n == 0)
        return t; /* a byte that is not UTF-8: copied as it is, and ends a number */
    t.end = i + n;
    int d;
    if ((d = numeral_digit(cp)) >= 0) {
        t.kind = TOK_DIGIT, t.digit = (char)('0' + d);
    } else if (masked_digit(cp)) {
        t.kind = TOK_DIGIT, t.digit = '*';
    } else if ((d = hangul_digit(s + i, n)) >= 0) {
        t.kind = TOK_DIGIT, t.script = SCRIPT_HANGUL, t.digit = (char)('0' + d);
    } else if (cp < 0x80 && ascii_letter((char)cp)) {
        t = read_word(s, len, i, prev);
    } else if (cp == '+' || cp == 0xFF0B) {
        t.kind = TOK_PLUS;
    } else if (separator(cp, &t.invisible)) {
        t.kind = TOK_SEPARATOR;
    }
    return t;
}

/* ---- what a run of digits spells ---- */

/* A Korean number without its international prefix, read generously. */
static bool national_number(const char *d, size_t n)
{
    return n >= 9 && n <= 12 && d[0] == '0' && d[1] >= '1' && d[1] <= '7';
}

static bool phone_number(const char *d, size_t n, bool plus)
{
    if (national_number(d, n))
        return true;
    size_t skip = 0; /* 82 after +, 00 or 00X: the country code of Korea */
    if (n > 5 && d[0] == '0' && d[1] == '0')
        skip = memcmp(d + 2, "82", 2) == 0 ? 4 : memcmp(d + 3, "82", 2) == 0 ? 5 : 0;
    else if (n > 2 && memcmp(d, "82", 2) == 0)
        skip = 2;
    if (skip) {
        char national[MAX_NUMBER_DIGITS + 2] = "0";
        const char *rest = d + skip + (d[skip] == '0'); /* +82 (0)10 ... */
        size_t m = n - (size_t)(rest - d);
        memcpy(national + 1, rest, m);
        if (national_number(national, m + 1))
            return true;
    }
    return plus && n >= 8 && n <= 15; /* another country's number, as E.164 writes it */
}

static int two_digits(const char *d)
{
    return (d[0] - '0') * 10 + (d[1] - '0');
}

/* 13 digits, the first six a date (YYMMDD), the seventh a digit, the rest digits or masked. */
static bool registration_number(const char *d, size_t n)
{
    if (n != 13)
        return false;
    for (size_t i = 0; i < 7; i++)
        if (d[i] == '*')
            return false;
    int month = two_digits(d + 2), day = two_digits(d + 4);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* What chunks first..last of run r spell: 'r' a registration number (written as 13 digits, or
 * 6 and 7), 'p' a phone number, 0 neither. */
static char classify(const number_run *r, size_t first, size_t last, size_t n)
{
    const chunk *a = &r->chunks[first], *b = &r->chunks[last];
    const char *d = r->digits + a->first;
    bool as_written =
        (first == last && a->n == 13) || (last == first + 1 && a->n == 6 && b->n == 7);
    if (as_written && registration_number(d, n))
        return 'r';
    return !memchr(d, '*', n) && phone_number(d, n, a->plus) ? 'p' : 0;
}

/* ---- collecting spans ---- */

static void add_span(span_list *l, size_t start, size_t end, const char *mask)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        span *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->failed = true;
            return;
        }
        l->v = v, l->cap = cap;
    }
    l->v[l->n++] = (span){start, end, mask};
}

static bool run_reserve(number_run *r)
{
    if (r->nchunks == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        chunk *c = realloc(r->chunks, cap * sizeof *c);
        if (!c)
            return false;
        r->chunks = c, r->cap = cap;
    }
    if (r->ndigits == r->dcap) {
        size_t cap = r->dcap ? r->dcap * 2 : 64;
        char *d = realloc(r->digits, cap);
        if (!d)
            return false;
        r->digits = d, r->dcap = cap;
    }
    return true;
}

/* Adds digit t to the run: to its last chunk (join) or as a new chunk. */
static void run_add(number_run *r, const token *t, bool join, bool plus, size_t plus_at)
{
    if (!run_reserve(r)) {
        r->failed = true;
        return;
    }
    if (!join) {
        r->chunks[r->nchunks++] =
            (chunk){t->start, t->end, plus ? plus_at : t->start, r->ndigits, 0, plus, 0};
    }
    chunk *c = &r->chunks[r->nchunks - 1];
    c->end = t->end;
    c->n++;
    r->digits[r->ndigits++] = t->digit;
}

/* Marks every chunk inside a sequence of chunks that spells a number to hide. */
static void mark_run(number_run *r)
{
    for (size_t i = 0; i < r->nchunks; i++) {
        size_t digits = 0;
        for (size_t j = i; j < r->nchunks; j++) {
            digits += r->chunks[j].n;
            if (digits > MAX_NUMBER_DIGITS)
                break;
            char kind = classify(r, i, j, digits);
            for (size_t k = i; kind && k <= j; k++)
                if (r->chunks[k].mark != 'r')
                    r->chunks[k].mark = kind;
        }
    }
}

/* Turns the marked chunks of the run into spans (neighbours into one) and empties the run. */
static void close_run(number_run *r, const char *text, span_list *found)
{
    if (r->failed)
        found->failed = true;
    mark_run(r);
    for (size_t a = 0; a < r->nchunks; a++) {
        if (!r->chunks[a].mark)
            continue;
        size_t b = a;
        bool registration = r->chunks[a].mark == 'r';
        while (b + 1 < r->nchunks && r->chunks[b + 1].mark) {
            b++;
            registration |= r->chunks[b].mark == 'r';
        }
        size_t start = r->chunks[a].lead, end = r->chunks[b].end;
        if (start > 0 && text[start - 1] == '(' && memchr(text + start, ')', end - start))
            start--; /* "(010) 1234-5678": the bracket goes with the number */
        add_span(found, start, end, registration ? PII_RRN_MASK : PII_PHONE_MASK);
        a = b;
    }
    r->nchunks = r->ndigits = 0;
    r->failed = false;
}

static void find_numbers(const char *text, size_t len, size_t emails, span_list *found)
{
    number_run r = {0};
    token prev = {TOK_OTHER, SCRIPT_NUMERAL, 0, false, 0, 0};
    size_t separators = 0, plus_at = 0, e = 0;
    bool plus = false;
    for (size_t i = 0; i < len;) {
        if (e < emails && i >= found->v[e].start) { /* an address: already masked */
            close_run(&r, text, found);
            i = found->v[e++].end;
            prev.kind = TOK_OTHER, separators = 0, plus = false;
            continue;
        }
        token t = read_token(text, len, i, &prev);
        if (t.kind == TOK_DIGIT) {
            bool glued = prev.kind == TOK_DIGIT && prev.end == t.start;
            if (r.nchunks && !glued && separators > MAX_SEPARATORS)
                close_run(&r, text, found);
            bool join =
                glued && r.nchunks && t.script == SCRIPT_NUMERAL && prev.script == SCRIPT_NUMERAL;
            run_add(&r, &t, join, plus, plus_at);
            separators = 0, plus = false;
        } else if (t.kind == TOK_PLUS) {
            separators++;
            if (!plus)
                plus = true, plus_at = t.start;
        } else if (t.kind == TOK_SEPARATOR) {
            separators += !t.invisible;
        } else {
            close_run(&r, text, found);
            separators = 0, plus = false;
        }
        prev = t;
        i = t.end;
    }
    close_run(&r, text, found);
    free(r.chunks);
    free(r.digits);
}

/* ---- e-mail addresses ---- */

static bool local_char(char c)
{
    return ascii_letter(c) || (c >= '0' && c <= '9') || (c && strchr("._%+-", c));
}

static bool domain_char(char c)
{
    return ascii_letter(c) || (c >= '0' && c <= '9') || c == '-';
}

/* Length of the at-sign at s[i] ("@", "＠", "(at)", "[at]"), or 0. */
static size_t at_sign(const char *s, size_t len, size_t i)
{
    if (s[i] == '@')
        return 1;
    if (len - i >= 3 && memcmp(s + i, "＠", 3) == 0)
        return 3;
    if (len - i >= 4 && (s[i] == '(' || s[i] == '[') && strncasecmp(s + i + 1, "at", 2) == 0 &&
        s[i + 3] == (s[i] == '(' ? ')' : ']'))
        return 4;
    return 0;
}

/* End of the domain starting at s[i] (labels joined by dots, the last of two letters or more),
 * or 0 when there is none. */
static size_t domain_end(const char *s, size_t len, size_t i)
{
    size_t labels = 0, end = 0;
    bool tld = false;
    for (size_t p = i;;) {
        size_t q = p;
        bool letters = true;
        while (q < len && domain_char(s[q]))
            letters &= ascii_letter(s[q++]);
        if (q == p)
            break;
        labels++, end = q, tld = letters && q - p >= 2;
        if (q + 1 < len && s[q] == '.' && domain_char(s[q + 1]))
            p = q + 1;
        else
            break;
    }
    return labels >= 2 && tld ? end : 0;
}

static void find_emails(const char *s, size_t len, span_list *found)
{
    for (size_t i = 0; i < len; i++) {
        size_t at = at_sign(s, len, i);
        if (!at)
            continue;
        size_t start = i > 0 && s[i - 1] == ' ' ? i - 1 : i, local_end = start;
        while (start > 0 && local_char(s[start - 1]))
            start--;
        size_t after = i + at < len && s[i + at] == ' ' ? i + at + 1 : i + at;
        size_t end = domain_end(s, len, after);
        bool overlaps = found->n && start < found->v[found->n - 1].end;
        if (start == local_end || !end || overlaps)
            continue;
        add_span(found, start, end, PII_EMAIL_MASK);
        i = end - 1;
    }
}

/* ---- the public functions ---- */

static int by_start(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

void pii_redact(const char *text, size_t len, strbuf *out)
{
    span_list found = {0};
    find_emails(text, len, &found);
    find_numbers(text, len, found.n, &found);
    if (found.failed) {
        out->failed = true; /* nothing is shown rather than something unmasked */
        free(found.v);
        return;
    }
    if (found.n > 1) /* qsort takes no NULL array, even empty */
        qsort(found.v, found.n, sizeof *found.v, by_start);
    size_t at = 0;
    for (size_t k = 0; k < found.n; k++) {
        if (found.v[k].start < at)
            continue;
        strbuf_append(out, text + at, found.v[k].start - at);
        strbuf_puts(out, found.v[k].mask);
        at = found.v[k].end;
    }
    strbuf_append(out, text + at, len - at);
    free(found.v);
}

/* A Korean number a resident can be reached at, exactly as numbering allows. */
static bool dialable(const char *d, size_t n)
{
    if (n < 9 || d[0] != '0')
        return false;
    switch (d[1]) {
    case '1': /* mobile: 010 has eleven digits, the old 01X ten or eleven */
        return d[2] == '0' ? n == 11 : strchr("16789", d[2]) && (n == 10 || n == 11);
    case '2': /* Seoul */
        return n == 9 || n == 10;
    case '3':
    case '4':
    case '5':
    case '6': /* the areas; 050x numbers have twelve digits */
        return d[1] == '5' && d[2] == '0' ? n == 12
                                          : d[2] >= '1' && d[2] <= '5' && (n == 10 || n == 11);
    case '7': /* 070: internet telephony */
        return d[2] == '0' && n == 11;
    default:
        return false;
    }
}

bool pii_phone_digits(const char *field, char out[PII_PHONE_DIGITS])
{
    char d[MAX_NUMBER_DIGITS + 1];
    size_t len = strlen(field), n = 0;
    while (len > 0 && field[len - 1] == ' ')
        len--;
    size_t i = strspn(field, " ");
    bool plus = false;
    token prev = {TOK_OTHER, SCRIPT_NUMERAL, 0, false, 0, 0};
    for (bool first = true; i < len; first = false) {
        token t = read_token(field, len, i, &prev);
        if (t.kind == TOK_OTHER || (t.kind == TOK_DIGIT && (t.digit == '*' || n == sizeof d - 1)))
            return false;
        if (t.kind == TOK_PLUS && (!first || plus))
            return false; /* a plus only in front */
        if (t.kind == TOK_SEPARATOR && n == 0 && field[i] != '(' && field[i] != ' ')
            return false; /* "-99999999999": no dash, dot or slash before the first digit */
        plus |= t.kind == TOK_PLUS;
        if (t.kind == TOK_DIGIT)
            d[n++] = t.digit;
        prev = t;
        i = t.end;
    }
    if (prev.kind != TOK_DIGIT)
        return false; /* nothing, or a separator last */
    d[n] = '\0';
    size_t skip = strncmp(d, "0082", 4) == 0 ? 4 : plus && strncmp(d, "82", 2) == 0 ? 2 : 0;
    if (plus && !skip)
        return false; /* another country's number */
    /* +82 10 ... or +82 (0)10 ...: the national number starts with its 0 again */
    char national[MAX_NUMBER_DIGITS + 2];
    if (skip)
        snprintf(national, sizeof national, "0%s", d + skip + (d[skip] == '0'));
    else
        memcpy(national, d, n + 1);
    if (!dialable(national, strlen(national)))
        return false;
    memcpy(out, national, strlen(national) + 1); /* at most twelve digits */
    return true;
}

void pii_mask_phone(const char *digits, char out[PII_PHONE_MASKED])
{
    size_t len = strlen(digits);
    if (len < 8 || len > 15)
        snprintf(out, PII_PHONE_MASKED, "****");
    else
        snprintf(out, PII_PHONE_MASKED, "%.3s-****-%s", digits, digits + len - 4);
}

void pii_mask_caller(const char *caller, char *out, size_t size)
{
    size_t n = strlen(caller);
    for (size_t i = 0; i + 1 < size && i < n; i++)
        out[i] = i + 4 < n ? '*' : caller[i];
    out[n < size ? n : size - 1] = '\0';
}

/* check.h - the tiny test kit every C test uses, after SQLite's named test cases.
 *
 * A case has a name, module-group.number ("dialogue-3.2"), a line saying what it shows, and a
 * function; a table case is one case per row of a table (dialogue-1.1, dialogue-1.2, ...). A
 * test lists its cases in a table and runs them from main:
 *
 *     static const check_case cases[] = {
 *         CHECK_ROWS("dialogue-1", "the intent of a sentence", intent_row, intents, intent_text),
 *         CHECK_CASE("dialogue-3.1", "the first turn asks for the details", first_turn),
 *     };
 *     int main(int argc, char **argv)
 *     {
 *         CHECK_SELECT(argc, argv, cases); // --list, or the cases named on the command line
 *         ... open what the cases share ...
 *         check_run(cases, CHECK_COUNT(cases));
 *         ... close it ...
 *         CHECK_DONE();
 *     }
 *
 * `test_dialogue` runs every case (as ctest does), `test_dialogue dialogue-3.2` one case,
 * `test_dialogue dialogue-3` the cases of group 3, `test_dialogue --list` lists them. A failed
 * check says which case, what it got and what it wanted, and where:
 *
 *     dialogue-3.2: got "네, 접수할게요", want it to contain "접수할까요" (test_dialogue.c:88)
 *
 * The test's exit status is 1 when any check failed, 0 when none did. Cases should not depend
 * on each other, so that each can run alone: a case that needs a filed complaint files one.
 * CHECK and CHECK_STR work outside cases too (the tests not yet written as cases use them so).
 * Also the two file chores the tests share: writing a fixture, and removing a database with
 * its write-ahead log files. */
#ifndef SEODONG_CHECK_H
#define SEODONG_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    const char *name; /* "dialogue-3.2"; a table case's prefix, "dialogue-1" */
    const char *what; /* what the case shows, for --list */
    void (*run)(void);
    /* A table case: run_row(0) is NAME.1, ..., run_row(rows - 1) is NAME.rows; row_text (may
     * be NULL) names a row in --list and in its failures. */
    void (*run_row)(size_t row);
    size_t rows;
    const char *(*row_text)(size_t row);
} check_case;

#define CHECK_COUNT(cases) (sizeof(cases) / sizeof((cases)[0]))
/* A case; a table case, one case per row of the array table (row_text may be NULL). */
#define CHECK_CASE(case_name, case_what, case_run)                                                 \
    {                                                                                              \
        .name = (case_name), .what = (case_what), .run = (case_run)                                \
    }
#define CHECK_ROWS(case_name, case_what, case_run_row, table, case_row_text)                       \
    {                                                                                              \
        .name = (case_name), .what = (case_what), .run_row = (case_run_row),                       \
        .rows = CHECK_COUNT(table), .row_text = (case_row_text)                                    \
    }

static int check_failures;         /* failed checks, in and out of cases */
static const char *check_case_now; /* the name of the running case, or NULL */
static char check_case_about[256]; /* what the running case is about (a row's text), or "" */
static int check_select_argc;
static char **check_select_argv;

static inline const char *check_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Counts a failed check and prints it: in a case "CASE (ABOUT): MESSAGE (file:line)",
 * outside one "file:line: MESSAGE". */
static inline void check_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void check_fail(const char *file, int line, const char *fmt, ...)
{
    char message[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (check_case_now)
        fprintf(stderr, "%s%s%s%s: %s (%s:%d)\n", check_case_now, check_case_about[0] ? " (" : "",
                check_case_about, check_case_about[0] ? ")" : "", message, check_basename(file),
                line);
    else
        fprintf(stderr, "%s:%d: %s\n", file, line, message);
    check_failures++;
}

/* Up to 600 bytes of text for a message, cut before a UTF-8 continuation byte. */
static inline int check_shown(const char *text)
{
    size_t n = strlen(text);
    if (n <= 600)
        return (int)n;
    n = 600;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            if (check_case_now)                                                                    \
                check_fail(__FILE__, __LINE__, "got false, want %s", #cond);                       \
            else                                                                                   \
                check_fail(__FILE__, __LINE__, "CHECK failed: %s", #cond);                         \
        }                                                                                          \
    } while (0)

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        if (!g_ || strcmp(g_, w_) != 0)                                                            \
            check_fail(__FILE__, __LINE__, "got \"%s\", want \"%s\"", g_ ? g_ : "(null)", w_);     \
    } while (0)

/* Whole numbers (counts, codes, enum values); the message names both expressions. */
#define CHECK_INT(got, want)                                                                       \
    do {                                                                                           \
        long long g_ = (long long)(got), w_ = (long long)(want);                                   \
        if (g_ != w_)                                                                              \
            check_fail(__FILE__, __LINE__, "got %lld, want %lld (%s == %s)", g_, w_, #got, #want); \
    } while (0)

/* A piece of prose in a longer text (a reply): the text contains it, or it does not. */
#define CHECK_HAS(text, piece) check_has(__FILE__, __LINE__, (text), (piece), true)
#define CHECK_LACKS(text, piece) check_has(__FILE__, __LINE__, (text), (piece), false)

static inline void check_has(const char *file, int line, const char *text, const char *piece,
                             bool want)
{
    const char *t = text ? text : "(null)";
    if ((text && strstr(text, piece)) != want)
        check_fail(file, line, "got \"%.*s%s\", want %s \"%s\"", check_shown(t), t,
                   (size_t)check_shown(t) < strlen(t) ? "..." : "", want ? "it to contain" : "no",
                   piece);
}

/* Says what the running case is about (a sentence, an input), for its failures. */
static inline void check_about(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void check_about(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(check_case_about, sizeof check_case_about, fmt, ap);
    va_end(ap);
}

/* A pattern selects a case when it is the case's name or a prefix of it up to a '.' or '-':
 * "dialogue-3" selects dialogue-3.1 and dialogue-3.12, not dialogue-31.1. */
static inline bool check_name_matches(const char *name, const char *pattern)
{
    size_t n = strlen(pattern);
    if (strncmp(name, pattern, n) != 0)
        return false;
    return name[n] == '\0' || name[n] == '.' || name[n] == '-' ||
           (n > 0 && (pattern[n - 1] == '.' || pattern[n - 1] == '-'));
}

static inline bool check_selected(const char *name)
{
    if (check_select_argc <= 1)
        return true;
    for (int i = 1; i < check_select_argc; i++)
        if (check_name_matches(name, check_select_argv[i]))
            return true;
    return false;
}

/* The name of case c's row (0-based) into buf. */
static inline const char *check_row_name(const check_case *c, size_t row, char *buf, size_t size)
{
    snprintf(buf, size, "%s.%zu", c->name, row + 1);
    return buf;
}

/* Whether any case (or row) of the table is called name or starts with it. */
static inline bool check_pattern_known(const check_case *cases, size_t n, const char *pattern)
{
    char name[128];
    for (size_t i = 0; i < n; i++) {
        if (!cases[i].run_row && check_name_matches(cases[i].name, pattern))
            return true;
        for (size_t r = 0; cases[i].run_row && r < cases[i].rows; r++)
            if (check_name_matches(check_row_name(&cases[i], r, name, sizeof name), pattern))
                return true;
    }
    return false;
}

/* Reads the command line: --list prints every case and returns 0; a pattern no case matches
 * returns 2 with a message; otherwise it returns -1 and check_run runs the selected cases. */
static inline int check_select(int argc, char **argv, const check_case *cases, size_t n)
{
    char name[128];
    check_select_argc = argc;
    check_select_argv = argv;
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < n; i++) {
            if (!cases[i].run_row)
                printf("%-18s %s\n", cases[i].name, cases[i].what);
            for (size_t r = 0; cases[i].run_row && r < cases[i].rows; r++)
                printf("%-18s %s%s%s\n", check_row_name(&cases[i], r, name, sizeof name),
                       cases[i].what, cases[i].row_text ? ": " : "",
                       cases[i].row_text ? cases[i].row_text(r) : "");
        }
        return 0;
    }
    const char *example = n == 0             ? "module-1.1"
                          : cases[0].run_row ? check_row_name(&cases[0], 0, name, sizeof name)
                                             : cases[0].name;
    for (int i = 1; i < argc; i++) {
        bool help = strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0;
        if (help || argv[i][0] == '-' || !check_pattern_known(cases, n, argv[i])) {
            if (!help)
                fprintf(stderr, "%s: no case is called '%s'\n", check_basename(argv[0]), argv[i]);
            fprintf(
                help ? stdout : stderr,
                "usage: %s [--list | CASE...]\n"
                "Runs the cases named (like %s), and the cases of a group named by a\n"
                "prefix of their names up to a '.' or '-'; with none, all. --list lists them.\n",
                check_basename(argv[0]), example);
            return help ? 0 : 2;
        }
    }
    return -1;
}

#define CHECK_SELECT(argc, argv, cases)                                                            \
    do {                                                                                           \
        int select_rc_ = check_select((argc), (argv), (cases), CHECK_COUNT(cases));                \
        if (select_rc_ >= 0)                                                                       \
            return select_rc_;                                                                     \
    } while (0)

/* Runs one case; with names on the command line, also says how it went. */
static inline bool check_run_one(const char *name, void (*run)(void), void (*run_row)(size_t),
                                 size_t row, const char *about)
{
    int before = check_failures;
    check_case_now = name;
    snprintf(check_case_about, sizeof check_case_about, "%s", about ? about : "");
    if (run)
        run();
    else
        run_row(row);
    check_case_now = NULL;
    check_case_about[0] = '\0';
    bool passed = check_failures == before;
    if (check_select_argc > 1)
        printf("%s %s\n", name, passed ? "ok" : "FAILED");
    return passed;
}

/* Runs the selected cases in table order and prints how many ran and failed. */
static inline void check_run(const check_case *cases, size_t n)
{
    char name[128];
    int ran = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (!cases[i].run_row && check_selected(cases[i].name)) {
            ran++;
            failed += !check_run_one(cases[i].name, cases[i].run, NULL, 0, NULL);
        }
        for (size_t r = 0; cases[i].run_row && r < cases[i].rows; r++) {
            if (!check_selected(check_row_name(&cases[i], r, name, sizeof name)))
                continue;
            ran++;
            failed += !check_run_one(name, NULL, cases[i].run_row, r,
                                     cases[i].row_text ? cases[i].row_text(r) : NULL);
        }
    }
    printf("%d case(s) run, %d failed\n", ran, failed);
}

#define CHECK_DONE()                                                                               \
    do {                                                                                           \
        if (check_failures)                                                                        \
            fprintf(stderr, "%d check(s) failed\n", check_failures);                               \
        return check_failures ? 1 : 0;                                                             \
    } while (0)

/* Writes text to path; a file that cannot be written fails the test. */
static inline void check_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Removes the SQLite database at path and the -wal and -shm files beside it. */
static inline void check_remove_db(const char *path)
{
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

#endif

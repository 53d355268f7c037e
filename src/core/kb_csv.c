/* kb_csv.c - reads and writes the knowledge base as CSV with libcsv (format in data/README.md).
 *
 * Reading: the file is loaded whole, a leading UTF-8 byte order mark skipped, and fed to a
 * strict libcsv parser, so a stray or unclosed quote is an error rather than a guess. Between
 * rows the bytes go in one at a time, to note the line each row starts on; within a row, a line
 * at a time. The header row maps each column to a field. Each later row's cells must be UTF-8;
 * questions and keywords are split on line breaks and " | " and kept one per line; then the row
 * goes to kb_rows_add, whose checks the JSON format shares. The first problem stops the reading
 * and is reported with its row (the header is row 1, as a spreadsheet counts) and, where that
 * differs, its line in the file. Rows whose cells are all empty are skipped.
 *
 * Writing: a byte order mark, the header, then one row per entry from store_kb_each with every
 * cell quoted by csv_fwrite, into PATH.tmp, which is renamed over PATH once complete. */
#include "kb_csv.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "utf8.h"

enum field {
    F_ID,
    F_LANG,
    F_TOPIC,
    F_DEPARTMENT,
    F_TITLE,
    F_QUESTIONS,
    F_ANSWER,
    F_KEYWORDS,
    NFIELDS
};

/* The header names, in the order export writes them (that of store_kb_entry). */
static const char *const field_names[NFIELDS] = {"id",    "lang",      "topic",  "department",
                                                 "title", "questions", "answer", "keywords"};
/* The same names, for messages. */
#define COLUMN_LIST "id, lang, topic, department, title, questions, answer, keywords"

static const char bom[] = "\xEF\xBB\xBF";

typedef struct {
    const char *path;
    kb_rows *rows;
    enum field column[NFIELDS]; /* the field of each column, from the header */
    size_t ncolumns;            /* columns the header names */
    strbuf cell[NFIELDS];       /* the current row's cells, by field */
    size_t ncells;              /* cells read so far in the current row */
    size_t row;                 /* the row being read; the header is row 1 */
    size_t line;                /* the line of the file being fed to the parser */
    size_t row_line;            /* the line the row starts on, or where its problem is */
    bool in_row;
    sd_code rc; /* the first problem, which stops the reading */
    char *err;
    size_t errlen;
} reader;

static void fail(reader *rd, sd_code rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(reader *rd, sd_code rc, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (rd->row_line == rd->row)
        snprintf(rd->err, rd->errlen, "%s: row %zu: %s", rd->path, rd->row, why);
    else
        snprintf(rd->err, rd->errlen, "%s: row %zu (line %zu): %s", rd->path, rd->row, rd->row_line,
                 why);
    rd->rc = rc;
}

static bool is_text(const char *s, size_t len)
{
    return utf8_valid(s, len) && !memchr(s, '\0', len);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static void add_item(strbuf *out, const char *s, size_t n)
{
    while (n && is_space(s[0]))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    if (!n)
        return;
    if (out->len)
        strbuf_puts(out, "\n");
    strbuf_append(out, s, n);
}

/* Questions and keywords: items separated by line breaks or " | ", trimmed, empty ones
 * dropped, kept one per line as the store wants them. */
static void join_items(const char *s, size_t len, strbuf *out)
{
    size_t start = 0;
    for (size_t i = 0; i <= len;) {
        size_t sep = i == len || s[i] == '\n'                       ? 1
                     : len - i >= 3 && memcmp(s + i, " | ", 3) == 0 ? 3
                                                                    : 0;
        if (!sep) {
            i++;
            continue;
        }
        add_item(out, s + start, i - start);
        i += sep;
        start = i;
    }
}

static void name_column(reader *rd, const char *name, size_t len)
{
    if (!is_text(name, len)) {
        fail(rd, SD_ERR_PARSE, "the header is not UTF-8 text; save the file as \"CSV UTF-8\"");
        return;
    }
    for (int f = 0; f < NFIELDS; f++) {
        if (strlen(field_names[f]) != len || memcmp(name, field_names[f], len) != 0)
            continue;
        for (size_t c = 0; c < rd->ncolumns; c++)
            if (rd->column[c] == (enum field)f) {
                fail(rd, SD_ERR_PARSE, "column '%s' appears twice; keep one of them",
                     field_names[f]);
                return;
            }
        rd->column[rd->ncolumns++] = (enum field)f;
        return;
    }
    fail(rd, SD_ERR_PARSE,
         "unknown column '%.*s'; the first row must name the columns " COLUMN_LIST, (int)len, name);
}

static void keep_cell(reader *rd, const char *text, size_t len, size_t at)
{
    if (at >= rd->ncolumns) {
        fail(rd, SD_ERR_PARSE,
             "more cells than the header's %zu columns; put quotes around a cell that holds a "
             "comma",
             rd->ncolumns);
        return;
    }
    enum field f = rd->column[at];
    if (!is_text(text, len)) {
        fail(rd, SD_ERR_PARSE, "the %s cell is not UTF-8 text; save the file as \"CSV UTF-8\"",
             field_names[f]);
        return;
    }
    strbuf_clear(&rd->cell[f]);
    if (f == F_QUESTIONS || f == F_KEYWORDS)
        join_items(text, len, &rd->cell[f]);
    else
        strbuf_append(&rd->cell[f], text, len);
}

static void on_cell(void *data, size_t len, void *ctx)
{
    reader *rd = ctx;
    size_t at = rd->ncells++;
    const char *text = data ? data : "";
    if (rd->rc != SD_OK)
        return;
    if (rd->row == 1)
        name_column(rd, text, len);
    else
        keep_cell(rd, text, len, at);
}

static void check_header(reader *rd)
{
    for (int f = 0; f < NFIELDS; f++) {
        bool found = false;
        for (size_t c = 0; c < rd->ncolumns; c++)
            found = found || rd->column[c] == (enum field)f;
        if (!found) {
            fail(rd, SD_ERR_PARSE,
                 "missing column '%s'; the first row must name the columns " COLUMN_LIST,
                 field_names[f]);
            return;
        }
    }
}

static void add_row(reader *rd)
{
    bool empty = true;
    for (size_t c = 0; c < rd->ncells; c++) {
        const strbuf *cell = &rd->cell[rd->column[c]];
        if (cell->failed) {
            fail(rd, SD_ERR_NOMEM, "%s", sd_strerror(SD_ERR_NOMEM));
            return;
        }
        empty = empty && cell->len == 0;
    }
    if (empty)
        return;
    if (rd->ncells < rd->ncolumns) {
        fail(rd, SD_ERR_PARSE,
             "%zu cells, but the header names %zu columns; leave empty cells in place", rd->ncells,
             rd->ncolumns);
        return;
    }
    const strbuf *c = rd->cell;
    store_kb_entry e = {strbuf_str(&c[F_ID]),     strbuf_str(&c[F_LANG]),
                        strbuf_str(&c[F_TOPIC]),  strbuf_str(&c[F_DEPARTMENT]),
                        strbuf_str(&c[F_TITLE]),  strbuf_str(&c[F_QUESTIONS]),
                        strbuf_str(&c[F_ANSWER]), strbuf_str(&c[F_KEYWORDS])};
    char why[256];
    sd_code rc = kb_rows_add(rd->rows, &e, why, sizeof why);
    if (rc != SD_OK)
        fail(rd, rc, "%s", rc == SD_ERR_PARSE ? why : sd_strerror(rc));
}

static void on_row(int terminator, void *ctx)
{
    (void)terminator;
    reader *rd = ctx;
    rd->in_row = false;
    if (rd->rc == SD_OK && rd->row == 1)
        check_header(rd);
    else if (rd->rc == SD_OK)
        add_row(rd);
    rd->row++;
    rd->ncells = 0;
}

static void parse_error(reader *rd, int code)
{
    if (code != CSV_EPARSE) {
        fail(rd, SD_ERR_NOMEM, "%s", sd_strerror(SD_ERR_NOMEM));
        return;
    }
    rd->row_line = rd->line;
    fail(rd, SD_ERR_PARSE,
         "a quote mark is out of place; put the whole cell in quotes and write each quote mark "
         "inside it twice (\"\")");
}

static bool between_rows(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* How many bytes to feed next: one at a time between rows, to see the line a row starts on;
 * within a row, up to the end of the line. */
static size_t next_chunk(reader *rd, const char *s, size_t len)
{
    if (!rd->in_row) {
        if (between_rows(*s))
            return 1;
        rd->in_row = true;
        rd->row_line = rd->line;
    }
    const char *nl = memchr(s, '\n', len);
    return nl ? (size_t)(nl - s) + 1 : len;
}

static void parse(reader *rd, const char *text, size_t len)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fail(rd, SD_ERR_NOMEM, "%s", sd_strerror(SD_ERR_NOMEM));
        return;
    }
    for (size_t at = 0; at < len && rd->rc == SD_OK;) {
        size_t n = next_chunk(rd, text + at, len - at);
        if (csv_parse(&p, text + at, n, on_cell, on_row, rd) < n) {
            parse_error(rd, csv_error(&p));
            break;
        }
        at += n;
        rd->line += text[at - 1] == '\n';
    }
    if (rd->rc == SD_OK && csv_fini(&p, on_cell, on_row, rd) != 0) {
        fail(rd, SD_ERR_PARSE, "a quoted cell is never closed; add its closing quote mark");
    }
    csv_free(&p);
}

static sd_code read_whole(const char *path, strbuf *out, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return SD_ERR_IO;
    }
    char block[16384];
    size_t n;
    while ((n = fread(block, 1, sizeof block, f)) > 0)
        strbuf_append(out, block, n);
    int error = ferror(f) ? errno : 0;
    fclose(f);
    if (error) {
        snprintf(err, errlen, "%s: %s", path, strerror(error));
        return SD_ERR_IO;
    }
    return out->failed ? SD_ERR_NOMEM : SD_OK;
}

static sd_code read_rows(const char *path, const char *text, size_t len, kb_rows *rows, char *err,
                         size_t errlen)
{
    reader rd = {.path = path,
                 .rows = rows,
                 .row = 1,
                 .line = 1,
                 .row_line = 1,
                 .err = err,
                 .errlen = errlen};
    for (int f = 0; f < NFIELDS; f++)
        strbuf_init(&rd.cell[f]);
    if (len >= 3 && memcmp(text, bom, 3) == 0)
        text += 3, len -= 3;
    parse(&rd, text, len);
    if (rd.rc == SD_OK && rd.row == 1) {
        snprintf(err, errlen,
                 "%s: the file is empty; its first row must name the columns " COLUMN_LIST, path);
        rd.rc = SD_ERR_PARSE;
    }
    for (int f = 0; f < NFIELDS; f++)
        strbuf_free(&rd.cell[f]);
    return rd.rc;
}

sd_code kb_csv_read(const char *path, kb_rows *rows, char *err, size_t errlen)
{
    strbuf text;
    strbuf_init(&text);
    sd_code rc = read_whole(path, &text, err, errlen);
    if (rc == SD_OK)
        rc = read_rows(path, strbuf_str(&text), text.len, rows, err, errlen);
    strbuf_free(&text);
    return rc;
}

/* ---- writing ---- */

typedef struct {
    FILE *f;
    size_t rows;
    int error; /* errno of the failed write */
} writer;

static sd_code write_failed(writer *w)
{
    w->error = errno;
    return SD_ERR_IO;
}

static sd_code write_row(writer *w, const char *const cells[NFIELDS])
{
    for (int k = 0; k < NFIELDS; k++)
        if ((k && fputc(',', w->f) == EOF) || csv_fwrite(w->f, cells[k], strlen(cells[k])) != 0)
            return write_failed(w);
    return fputs("\r\n", w->f) == EOF ? write_failed(w) : SD_OK;
}

static sd_code write_entry(void *ctx, const store_kb_entry *e)
{
    writer *w = ctx;
    const char *const cells[NFIELDS] = {e->key,   e->lang,      e->topic,  e->department,
                                        e->title, e->questions, e->answer, e->keywords};
    w->rows++;
    return write_row(w, cells);
}

/* Writes everything to w->f and closes it. */
static sd_code write_all(store *s, writer *w)
{
    sd_code rc = fputs(bom, w->f) == EOF ? write_failed(w) : write_row(w, field_names);
    if (rc == SD_OK)
        rc = store_kb_each(s, write_entry, w);
    if (rc == SD_OK && (fflush(w->f) != 0 || fsync(fileno(w->f)) != 0))
        rc = write_failed(w);
    if (fclose(w->f) != 0 && rc == SD_OK)
        rc = write_failed(w);
    return rc;
}

sd_code kb_csv_write(store *s, const char *path, size_t *count, char *err, size_t errlen)
{
    *count = 0;
    strbuf tmp;
    strbuf_init(&tmp);
    strbuf_printf(&tmp, "%s.tmp", path);
    if (tmp.failed)
        return SD_ERR_NOMEM;
    writer w = {.f = fopen(strbuf_str(&tmp), "wb")};
    sd_code rc = w.f ? write_all(s, &w) : write_failed(&w);
    if (rc == SD_OK && rename(strbuf_str(&tmp), path) != 0)
        rc = write_failed(&w);
    if (rc != SD_OK)
        unlink(strbuf_str(&tmp));
    if (rc == SD_ERR_IO)
        snprintf(err, errlen, "cannot write %s: %s; check that its folder exists and is writable",
                 path, strerror(w.error));
    else if (rc != SD_OK)
        snprintf(err, errlen, "reading the knowledge base for %s: %s", path, store_errmsg(s));
    else
        *count = w.rows;
    strbuf_free(&tmp);
    return rc;
}

/* kb_import.c - imports the knowledge base from the file a clerk edits and exports it again.
 *
 * The file's extension picks the reader: kb_csv.c for .csv, the jansson reader below for
 * .json. Both collect checked rows (kb_rows.c) and hand them to the store in one call, so a bad
 * row anywhere leaves the knowledge base as it was.
 *
 * One JSON entry holds both languages ("ko" and "en" objects) so that translations stay side
 * by side for the clerk; each language becomes its own row. Questions and keywords (arrays)
 * are joined with newlines: they are only searched, never shown. */
#include "kb_import.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kb_csv.h"
#include "kb_rows.h"
#include "strbuf.h"

typedef sd_code (*kb_reader)(const char *path, kb_rows *rows, char *err, size_t errlen);

static const char *str_field(json_t *obj, const char *name)
{
    json_t *v = json_object_get(obj, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Joins an array of strings with newlines; NULL when it is not an array of strings. */
static char *join_lines(json_t *arr)
{
    if (!json_is_array(arr))
        return NULL;
    strbuf sb;
    strbuf_init(&sb);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (!json_is_string(v)) {
            strbuf_free(&sb);
            return NULL;
        }
        if (i)
            strbuf_puts(&sb, "\n");
        strbuf_puts(&sb, json_string_value(v));
    }
    return strbuf_detach(&sb);
}

static sd_code add_language(kb_rows *r, json_t *entry, const char *lang, const char *where,
                            char *err, size_t errlen)
{
    json_t *part = json_object_get(entry, lang);
    char *questions = join_lines(json_object_get(part, "questions"));
    char *keywords = join_lines(json_object_get(part, "keywords"));
    char why[256];
    sd_code rc = SD_ERR_PARSE;
    if (!json_is_object(part))
        snprintf(why, sizeof why, "needs a \"%s\" object", lang);
    else if (!questions || !keywords)
        snprintf(why, sizeof why, "questions and keywords must be arrays of strings");
    else
        rc = kb_rows_add(r,
                         &(store_kb_entry){.key = str_field(entry, "id"),
                                           .lang = lang,
                                           .topic = str_field(entry, "topic"),
                                           .department = str_field(entry, "department"),
                                           .title = str_field(part, "title"),
                                           .questions = questions,
                                           .answer = str_field(part, "answer"),
                                           .keywords = keywords},
                         why, sizeof why);
    if (rc != SD_OK)
        snprintf(err, errlen, "%s, \"%s\": %s", where, lang,
                 rc == SD_ERR_PARSE ? why : sd_strerror(rc));
    free(questions);
    free(keywords);
    return rc;
}

static sd_code read_entries(const char *path, json_t *entries, kb_rows *r, char *err, size_t errlen)
{
    size_t i;
    json_t *entry;
    json_array_foreach(entries, i, entry)
    {
        const char *key = str_field(entry, "id");
        char where[256];
        snprintf(where, sizeof where, "%s: entry %zu (%s)", path, i + 1, key ? key : "no id");
        if (!json_is_object(entry)) {
            snprintf(err, errlen, "%s: entry %zu is not an object", path, i + 1);
            return SD_ERR_PARSE;
        }
        sd_code rc = add_language(r, entry, "ko", where, err, errlen);
        if (rc == SD_OK)
            rc = add_language(r, entry, "en", where, err, errlen);
        if (rc != SD_OK)
            return rc;
    }
    return SD_OK;
}

static sd_code kb_json_read(const char *path, kb_rows *rows, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        return json_error_code(&jerr) == json_error_cannot_open_file ? SD_ERR_IO : SD_ERR_PARSE;
    }
    json_t *entries = json_object_get(root, "entries");
    sd_code rc = SD_ERR_PARSE;
    if (json_is_array(entries))
        rc = read_entries(path, entries, rows, err, errlen);
    else
        snprintf(err, errlen, "%s: expected an object with an \"entries\" array", path);
    json_decref(root);
    return rc;
}

static bool has_extension(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && strcasecmp(path + n - e, ext) == 0;
}

static kb_reader reader_for(const char *path)
{
    if (has_extension(path, ".csv"))
        return kb_csv_read;
    if (has_extension(path, ".json"))
        return kb_json_read;
    return NULL;
}

sd_code kb_import_file(store *s, const char *path, size_t *count, char *err, size_t errlen)
{
    *count = 0;
    kb_reader read = reader_for(path);
    if (!read) {
        snprintf(err, errlen,
                 "%s: the knowledge base is imported from a .csv or a .json file; save it "
                 "under one of those extensions",
                 path);
        return SD_ERR_INVALID;
    }
    kb_rows rows;
    kb_rows_init(&rows);
    sd_code rc = read(path, &rows, err, errlen);
    if (rc == SD_OK && rows.n == 0) {
        snprintf(err, errlen, "%s: holds no entries; importing it would empty the knowledge base",
                 path);
        rc = SD_ERR_PARSE;
    }
    if (rc == SD_OK) {
        rc = store_kb_replace(s, rows.entries, rows.n);
        if (rc != SD_OK)
            snprintf(err, errlen, "%s: %s", path, store_errmsg(s));
        else
            *count = rows.n;
    }
    kb_rows_free(&rows);
    return rc;
}

sd_code kb_export_file(store *s, const char *path, size_t *count, char *err, size_t errlen)
{
    *count = 0;
    if (!has_extension(path, ".csv")) {
        snprintf(err, errlen,
                 "%s: the knowledge base is exported as CSV; give a file name ending in .csv",
                 path);
        return SD_ERR_INVALID;
    }
    return kb_csv_write(s, path, count, err, errlen);
}

/* ---- one entry ---- */

typedef struct {
    kb_rows *rows;
    const store_kb_entry *entry;
    bool replaced;
    char *why;
    size_t whylen;
} put_walk;

static sd_code keep_or_replace(void *ctx, const store_kb_entry *row)
{
    put_walk *p = ctx;
    bool same = strcmp(row->key, p->entry->key) == 0 && strcmp(row->lang, p->entry->lang) == 0;
    p->replaced |= same;
    return kb_rows_add(p->rows, same ? p->entry : row, p->why, p->whylen);
}

sd_code kb_put_entry(store *s, const store_kb_entry *entry, char *why, size_t whylen)
{
    kb_rows rows;
    kb_rows_init(&rows);
    why[0] = '\0';
    put_walk p = {&rows, entry, false, why, whylen};
    sd_code rc = store_kb_each(s, keep_or_replace, &p);
    if (rc == SD_OK && !p.replaced)
        rc = kb_rows_add(&rows, entry, why, whylen);
    if (rc == SD_OK)
        rc = store_kb_replace(s, rows.entries, rows.n);
    kb_rows_free(&rows);
    return rc;
}

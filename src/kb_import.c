/* kb_import.c - reads data/kb.json with jansson and hands the rows to the store in one call.
 *
 * One JSON entry holds both languages ("ko" and "en" objects) so that translations stay side
 * by side for the clerk; each language becomes its own row. Questions and keywords (arrays)
 * are joined with newlines: they are only searched, never shown. */
#include "kb_import.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static const char *const topics[] = {"general", "complaints", "traffic", "environment", NULL};

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

static bool valid_topic(const char *t)
{
    for (size_t i = 0; t && topics[i]; i++)
        if (strcmp(t, topics[i]) == 0)
            return true;
    return false;
}

typedef struct {
    store_kb_entry *rows;
    size_t n;
    char **owned; /* joined strings to free */
    size_t nowned;
} rows;

static bool own(rows *r, char *p)
{
    char **o = realloc(r->owned, (r->nowned + 1) * sizeof *o);
    if (!o || !p) {
        free(p);
        if (o)
            r->owned = o;
        return false;
    }
    r->owned = o;
    r->owned[r->nowned++] = p;
    return true;
}

static sd_code add_language(rows *r, json_t *entry, const char *lang, size_t index, char *err,
                            size_t errlen)
{
    json_t *part = json_object_get(entry, lang);
    const char *key = str_field(entry, "id");
    if (!json_is_object(part)) {
        snprintf(err, errlen, "entry %zu (%s): missing \"%s\" object", index, key, lang);
        return SD_ERR_PARSE;
    }
    const char *title = str_field(part, "title"), *answer = str_field(part, "answer");
    char *questions = join_lines(json_object_get(part, "questions"));
    char *keywords = join_lines(json_object_get(part, "keywords"));
    if (!title || !*title || !answer || !*answer || !questions || !keywords) {
        free(questions);
        free(keywords);
        snprintf(err, errlen,
                 "entry %zu (%s), \"%s\": needs title, answer, and questions and keywords as "
                 "arrays of strings",
                 index, key, lang);
        return SD_ERR_PARSE;
    }
    if (!own(r, questions) || !own(r, keywords))
        return SD_ERR_NOMEM;
    r->rows[r->n++] = (store_kb_entry){.key = key,
                                       .lang = lang,
                                       .topic = str_field(entry, "topic"),
                                       .department = str_field(entry, "department"),
                                       .title = title,
                                       .questions = questions,
                                       .answer = answer,
                                       .keywords = keywords};
    return SD_OK;
}

static sd_code collect(json_t *entries, rows *r, char *err, size_t errlen)
{
    size_t i;
    json_t *entry;
    json_array_foreach(entries, i, entry)
    {
        const char *key = str_field(entry, "id");
        if (!json_is_object(entry) || !key || !*key) {
            snprintf(err, errlen, "entry %zu: needs a string \"id\"", i);
            return SD_ERR_PARSE;
        }
        if (!valid_topic(str_field(entry, "topic"))) {
            snprintf(err, errlen,
                     "entry %zu (%s): \"topic\" must be general, complaints, traffic or "
                     "environment",
                     i, key);
            return SD_ERR_PARSE;
        }
        if (!str_field(entry, "department")) {
            snprintf(err, errlen, "entry %zu (%s): needs a \"department\" code", i, key);
            return SD_ERR_PARSE;
        }
        sd_code rc = add_language(r, entry, "ko", i, err, errlen);
        if (rc == SD_OK)
            rc = add_language(r, entry, "en", i, err, errlen);
        if (rc != SD_OK)
            return rc;
    }
    return SD_OK;
}

sd_code kb_import_file(store *s, const char *path, size_t *count, char *err, size_t errlen)
{
    *count = 0;
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        return json_error_code(&jerr) == json_error_cannot_open_file ? SD_ERR_IO : SD_ERR_PARSE;
    }
    json_t *entries = json_object_get(root, "entries");
    if (!json_is_array(entries)) {
        snprintf(err, errlen, "%s: expected an object with an \"entries\" array", path);
        json_decref(root);
        return SD_ERR_PARSE;
    }
    rows r = {.rows = calloc(2 * json_array_size(entries) + 1, sizeof *r.rows)};
    sd_code rc = r.rows ? collect(entries, &r, err, errlen) : SD_ERR_NOMEM;
    if (rc == SD_OK) {
        rc = store_kb_replace(s, r.rows, r.n);
        if (rc != SD_OK)
            snprintf(err, errlen, "%s: %s", path, store_errmsg(s));
        else
            *count = r.n;
    }
    for (size_t i = 0; i < r.nowned; i++)
        free(r.owned[i]);
    free(r.owned);
    free(r.rows);
    json_decref(root);
    return rc;
}

/* kb_rows.c - the checks every imported knowledge-base row passes, and the growing array the
 * rows are copied into (see kb_rows.h). A row's eight strings are copied into one allocation,
 * in field order, so freeing the block at its key frees them all. An open-addressing hash table
 * of (id, lang), kept at most half full, finds an id repeated for one language as the row is
 * added, so the message can name that row rather than leave it to the database. */
#include "kb_rows.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KB_FIELDS 8

static const char *const langs[] = {"ko", "en", NULL};
static const char *const topics[] = {"general", "complaints", "traffic", "environment", NULL};

void kb_rows_init(kb_rows *r)
{
    memset(r, 0, sizeof *r);
}

void kb_rows_free(kb_rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free((void *)r->entries[i].key);
    free(r->entries);
    free(r->slots);
    kb_rows_init(r);
}

static bool blank(const char *s)
{
    return !s || !*s;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static bool one_of(const char *s, const char *const *list)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static sd_code refuse(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static sd_code refuse(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return SD_ERR_PARSE;
}

static sd_code check(const store_kb_entry *e, char *why, size_t whylen)
{
    if (blank(e->key))
        return refuse(why, whylen, "id is empty; give every entry a short name like office-hours");
    if (!one_of(e->lang, langs))
        return refuse(why, whylen, "lang '%s' is not ko or en", or_empty(e->lang));
    if (!one_of(e->topic, topics))
        return refuse(why, whylen,
                      "topic '%s' is not one of general, complaints, traffic, environment",
                      or_empty(e->topic));
    if (blank(e->department))
        return refuse(why, whylen, "department is empty; use a code from data/departments.tsv");
    if (blank(e->title))
        return refuse(why, whylen, "title is empty; give the entry a short title");
    if (blank(e->answer))
        return refuse(why, whylen,
                      "answer is empty; write the one to three sentences Seodong should say");
    return SD_OK;
}

static uint64_t hash_id(const char *key, const char *lang)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a over key, a NUL, lang */
    for (const char *p = key;; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211u;
        if (!*p)
            break;
    }
    for (const char *p = lang; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    return h;
}

/* The slot of the row with this key and lang, or the free slot where it belongs. */
static size_t *find_slot(const kb_rows *r, const char *key, const char *lang)
{
    size_t mask = r->nslots - 1;
    for (size_t i = hash_id(key, lang) & mask;; i = (i + 1) & mask) {
        size_t *slot = &r->slots[i];
        const store_kb_entry *o = *slot ? &r->entries[*slot - 1] : NULL;
        if (!o || (strcmp(o->key, key) == 0 && strcmp(o->lang, lang) == 0))
            return slot;
    }
}

/* Room for one more row in the array and in the hash table. */
static bool reserve(kb_rows *r)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        store_kb_entry *p = realloc(r->entries, cap * sizeof *p);
        if (!p)
            return false;
        r->entries = p;
        r->cap = cap;
    }
    if (2 * (r->n + 1) <= r->nslots)
        return true;
    size_t nslots = r->nslots ? 2 * r->nslots : 128;
    size_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    free(r->slots);
    r->slots = slots;
    r->nslots = nslots;
    for (size_t i = 0; i < r->n; i++)
        *find_slot(r, r->entries[i].key, r->entries[i].lang) = i + 1;
    return true;
}

/* Appends a copy of e, its strings in one block; r has room. */
static bool append_copy(kb_rows *r, const store_kb_entry *e)
{
    const char *src[KB_FIELDS] = {e->key,   e->lang,      e->topic,  e->department,
                                  e->title, e->questions, e->answer, e->keywords};
    size_t len[KB_FIELDS], total = 0;
    for (int k = 0; k < KB_FIELDS; k++)
        total += (len[k] = src[k] ? strlen(src[k]) : 0) + 1;
    char *block = malloc(total);
    if (!block)
        return false;
    const char *dst[KB_FIELDS];
    for (int k = 0; k < KB_FIELDS; k++) {
        dst[k] = block;
        memcpy(block, src[k] ? src[k] : "", len[k] + 1);
        block += len[k] + 1;
    }
    r->entries[r->n++] =
        (store_kb_entry){dst[0], dst[1], dst[2], dst[3], dst[4], dst[5], dst[6], dst[7]};
    return true;
}

sd_code kb_rows_add(kb_rows *r, const store_kb_entry *e, char *why, size_t whylen)
{
    sd_code rc = check(e, why, whylen);
    if (rc != SD_OK)
        return rc;
    if (!reserve(r))
        return SD_ERR_NOMEM;
    size_t *slot = find_slot(r, e->key, e->lang);
    if (*slot)
        return refuse(why, whylen,
                      "id '%s' already has a %s row earlier in the file; give every entry its "
                      "own id",
                      e->key, e->lang);
    if (!append_copy(r, e))
        return SD_ERR_NOMEM;
    *slot = r->n;
    return SD_OK;
}

/* kb_rows.h - the knowledge-base rows an import collects before it writes any of them, whatever
 * the file format (JSON or CSV). Every row passes the same checks here, so the formats accept
 * and refuse the same things, and the whole set then goes to store_kb_replace in one call. */
#ifndef SEODONG_KB_ROWS_H
#define SEODONG_KB_ROWS_H

#include <stddef.h>

#include "sd_error.h"
#include "store.h"

typedef struct {
    store_kb_entry *entries; /* each entry's strings are one block owned here, starting at key */
    size_t n;
    size_t cap;
    size_t *slots; /* hash of (key, lang): row index + 1, 0 when free; finds repeated ids */
    size_t nslots;
} kb_rows;

void kb_rows_init(kb_rows *r);
void kb_rows_free(kb_rows *r);

/* Checks e (id, lang ko or en, one of the four topics, department, title and answer present,
 * id and lang not already added) and appends a copy of it, so the caller may reuse its buffers.
 * NULL questions or keywords count as none. Returns SD_OK, SD_ERR_NOMEM, or SD_ERR_PARSE with why
 * saying what to fix (without the file or row: the caller knows those). */
sd_code kb_rows_add(kb_rows *r, const store_kb_entry *e, char *why, size_t whylen);

#endif

/* kb_import.h - loads the knowledge base from the JSON file a clerk edits (data/kb.json). */
#ifndef SEODONG_KB_IMPORT_H
#define SEODONG_KB_IMPORT_H

#include <stddef.h>

#include "sd_error.h"
#include "store.h"

/* Replaces the knowledge base in s with the entries of the JSON file at path (format in
 * data/README.md). Every entry is checked before anything is written, so a file with one bad
 * entry changes nothing. *count gets the number of rows imported (one per entry and language).
 * Returns SD_OK, SD_ERR_IO (unreadable), SD_ERR_PARSE (err names the line or entry),
 * SD_ERR_NOMEM or SD_ERR_DB. */
sd_code kb_import_file(store *s, const char *path, size_t *count, char *err, size_t errlen);

#endif

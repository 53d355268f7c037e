/* kb_import.h - the knowledge-base file a clerk edits: imported from CSV (a spreadsheet) or
 * JSON (data/kb.json), exported to CSV. Formats in data/README.md. */
#ifndef SEODONG_KB_IMPORT_H
#define SEODONG_KB_IMPORT_H

#include <stddef.h>

#include "sd_error.h"
#include "store.h"

/* Replaces the knowledge base in s with the entries of the file at path, read as CSV when its
 * name ends in .csv and as JSON when it ends in .json (either case). Every row is checked
 * before anything is written, so a file with one bad row changes nothing, and a file with no
 * entries is refused. *count gets the number of rows imported (one per entry and language).
 * Returns SD_OK, SD_ERR_INVALID (another extension), SD_ERR_IO (unreadable), SD_ERR_PARSE (err
 * names the file and the row, line or entry), SD_ERR_NOMEM or SD_ERR_DB. */
sd_code kb_import_file(store *s, const char *path, size_t *count, char *err, size_t errlen);

/* Writes the knowledge base in s to path as CSV, which kb_import_file reads back into the same
 * rows; path must end in .csv. *count gets the number of rows written. Returns SD_OK,
 * SD_ERR_INVALID (another extension), SD_ERR_IO, SD_ERR_NOMEM or SD_ERR_DB; err says why. */
sd_code kb_export_file(store *s, const char *path, size_t *count, char *err, size_t errlen);

/* Replaces the row of entry's key and language in s with entry, or adds it when there is none
 * (the dashboard's one-entry edit). The row passes the import's checks; the knowledge base is
 * then rewritten in one transaction, so a refused entry changes nothing. Returns SD_OK,
 * SD_ERR_PARSE (why says what to fix), SD_ERR_NOMEM or SD_ERR_DB. */
sd_code kb_put_entry(store *s, const store_kb_entry *entry, char *why, size_t whylen);

#endif

/* kb_csv.h - the knowledge base as a CSV file a clerk edits in a spreadsheet: one row per entry
 * and language under a header row naming the columns (format in data/README.md). Read and
 * written with libcsv; kb_import.c chooses this format for files ending in .csv. */
#ifndef SEODONG_KB_CSV_H
#define SEODONG_KB_CSV_H

#include <stddef.h>

#include "kb_rows.h"
#include "sd_error.h"
#include "store.h"

/* Reads every row of the CSV file at path into rows, checked. Returns SD_OK, SD_ERR_IO
 * (unreadable), SD_ERR_PARSE (err names the file and row: unknown or missing column, a quote
 * out of place, text not UTF-8, a row that fails the checks of kb_rows_add) or SD_ERR_NOMEM. */
sd_code kb_csv_read(const char *path, kb_rows *rows, char *err, size_t errlen);

/* Writes the knowledge base in s to path as CSV with a UTF-8 byte order mark (so that Excel
 * shows Korean correctly), columns in the documented order; kb_csv_read gives back the same
 * rows. The file is replaced only when complete. *count gets the number of rows written.
 * Returns SD_OK, SD_ERR_IO (err says why) or SD_ERR_DB. */
sd_code kb_csv_write(store *s, const char *path, size_t *count, char *err, size_t errlen);

#endif

/* textfile.h - the data files people edit (grammars, slot tables, departments, categories,
 * holidays) read line by line under one set of rules, so every file fails the same clear way. */
#ifndef SEODONG_TEXTFILE_H
#define SEODONG_TEXTFILE_H

#include <stddef.h>

#include "sd_error.h"

/* Longest line accepted, in bytes, line end included. */
#define TEXTFILE_MAX_LINE 8192

/* Receives one line (leading spaces and the line end removed; writable) and its number. A
 * non-zero return stops the reading and is returned; the callback writes its own message. */
typedef sd_code (*textfile_line_fn)(void *ctx, char *line, int lineno);

/* Calls fn for every line of path that is neither blank nor a '#' comment. Returns SD_OK;
 * SD_ERR_IO when the file cannot be opened ("PATH: reason" in err); SD_ERR_PARSE for a line
 * longer than TEXTFILE_MAX_LINE or not valid UTF-8 ("PATH:LINE: reason"); or what fn returned. */
sd_code textfile_each_line(const char *path, textfile_line_fn fn, void *ctx, char *err,
                           size_t errlen);

#endif

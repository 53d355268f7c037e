/* sd_error.h - the one set of return codes every Seodong function uses (curl style: a function
 * returns sd_code, 0 is success, and sd_strerror() says what went wrong in words for people). */
#ifndef SEODONG_ERROR_H
#define SEODONG_ERROR_H

typedef enum {
    SD_OK = 0,
    SD_ERR_NOMEM,     /* out of memory */
    SD_ERR_IO,        /* a file could not be read or written */
    SD_ERR_PARSE,     /* a data file (grammar, table, JSON) is malformed */
    SD_ERR_INVALID,   /* an argument or input is not acceptable (see the message) */
    SD_ERR_UTF8,      /* text is not valid UTF-8 */
    SD_ERR_TOO_LONG,  /* input longer than the limit */
    SD_ERR_DB,        /* the database refused an operation */
    SD_ERR_BUSY,      /* the database stayed locked past the time-out */
    SD_ERR_NOT_FOUND, /* no such complaint, entry or file */
    SD_ERR_DENIED,  /* the caller may not do this (wrong digits, wrong role, illegal transition) */
    SD_ERR_NET,     /* a remote service did not answer, or answered something unusable */
    SD_ERR_OFFLINE, /* the office's shared database cannot be reached (try again later) */
} sd_code;

/* A short English description of code, never NULL. */
const char *sd_strerror(sd_code code);

#endif

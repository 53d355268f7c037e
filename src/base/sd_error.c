/* sd_error.c - words for the return codes of sd_error.h. */
#include "sd_error.h"

const char *sd_strerror(sd_code code)
{
    switch (code) {
    case SD_OK:
        return "success";
    case SD_ERR_NOMEM:
        return "out of memory";
    case SD_ERR_IO:
        return "file could not be read or written";
    case SD_ERR_PARSE:
        return "data file is malformed";
    case SD_ERR_INVALID:
        return "invalid argument or input";
    case SD_ERR_UTF8:
        return "text is not valid UTF-8";
    case SD_ERR_TOO_LONG:
        return "input is too long";
    case SD_ERR_DB:
        return "database error";
    case SD_ERR_BUSY:
        return "database is busy";
    case SD_ERR_NOT_FOUND:
        return "not found";
    case SD_ERR_DENIED:
        return "not allowed";
    case SD_ERR_NET:
        return "a remote service did not answer, or answered something unusable";
    case SD_ERR_OFFLINE:
        return "the office's shared database cannot be reached";
    }
    return "unknown error";
}

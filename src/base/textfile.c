/* textfile.c - line-by-line reading of the data files (see textfile.h). A line that does not
 * fit the buffer is an error, never two lines, and bytes that are not UTF-8 never reach a
 * parser. */
#include "textfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

sd_code textfile_each_line(const char *path, textfile_line_fn fn, void *ctx, char *err,
                           size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return SD_ERR_IO;
    }
    char buf[TEXTFILE_MAX_LINE];
    int lineno = 0;
    sd_code rc = SD_OK;
    while (rc == SD_OK && fgets(buf, sizeof buf, f)) {
        lineno++;
        size_t n = strlen(buf);
        if (n == sizeof buf - 1 && buf[n - 1] != '\n' && !feof(f)) {
            snprintf(err, errlen, "%s:%d: line too long", path, lineno);
            rc = SD_ERR_PARSE;
        } else if (!utf8_valid(buf, n)) {
            snprintf(err, errlen, "%s:%d: not valid UTF-8", path, lineno);
            rc = SD_ERR_PARSE;
        } else {
            buf[strcspn(buf, "\r\n")] = '\0';
            char *line = buf + strspn(buf, " ");
            if (*line && *line != '#')
                rc = fn(ctx, line, lineno);
        }
    }
    fclose(f);
    return rc;
}

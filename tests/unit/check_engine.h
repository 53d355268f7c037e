/* check_engine.h - the engine the dialogue-level tests share: opened on a fresh temporary
 * database (filled with the bundled data), with an optional pinned clock. Include after
 * check.h. */
#ifndef SEODONG_CHECK_ENGINE_H
#define SEODONG_CHECK_ENGINE_H

#include <stdlib.h>

#include "engine.h"

/* Creates the database file from the template db ("/tmp/name-XXXXXX", rewritten in place) and
 * opens an engine on it; now may be NULL for the real clock. A failure is counted and printed,
 * and NULL returned. */
static inline engine *check_open_engine(char *db, time_t (*now)(void *), void *now_ctx)
{
    int fd = mkstemp(db);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    engine_config cfg = {.db_path = db, .now = now, .now_ctx = now_ctx};
    char err[512] = "";
    engine *e = NULL;
    sd_code rc = engine_open(&cfg, &e, err, sizeof err);
    CHECK(rc == SD_OK);
    if (rc != SD_OK)
        fprintf(stderr, "%s\n", err);
    return e;
}

#endif

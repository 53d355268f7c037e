/* check_engine.h - the engine the dialogue-level tests share: opened on a fresh temporary
 * database (filled with the bundled data), with an optional pinned clock; and the check of a
 * sentence's intent. Include after check.h. */
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

/* Checks that the engine finds the intent want in text (the office's language Korean); a
 * failure names the text and the confidence. Returns what was understood. */
static inline understanding check_intent(engine *e, const char *text, const char *want)
{
    understanding u;
    CHECK_INT(engine_understand(e, text, strlen(text), NULL, "ko", &u), SD_OK);
    check_about("%s, confidence %.2f", text, u.confidence);
    CHECK_STR(u.intent, want);
    return u;
}

#endif

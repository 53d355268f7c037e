/* engine.h - Seodong's engine: the resources every channel shares (grammars and matchers for
 * each language, the holiday calendar, the store) and the understanding of one line of text.
 *
 * An engine is built once per process and is immutable afterwards except for its store, which
 * is thread-safe; any number of sessions (session.h) on any number of threads may use it. */
#ifndef SEODONG_ENGINE_H
#define SEODONG_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "calendar.h"
#include "classifier.h"
#include "config.h"
#include "nlu.h"
#include "sd_error.h"
#include "store.h"
#include "strbuf.h"

typedef struct engine engine;

/* Longest input line accepted, in bytes; longer lines are refused with SD_ERR_TOO_LONG. */
#define ENGINE_MAX_INPUT 4096

/* Where the dialogue's weather comes from. The engine does no network I/O: a front end that
 * tells the weather hands it these (weather.h's weather_source()), which read the forecast the
 * store caches and fetch a new issue when one is due. Each gets the engine's store and the
 * office's weather settings. */
typedef struct {
    /* Appends the answer to the weather question in text, in lang, at now (weather_report). */
    sd_code (*report)(store *db, const config_weather *cfg, const char *text, size_t len,
                      const char *lang, time_t now, strbuf *reply);
    /* Appends a greeting's sentence on today's weather; SD_OK when it said one (weather_remark). */
    sd_code (*remark)(store *db, const config_weather *cfg, const char *lang, time_t now,
                      strbuf *reply);
} engine_weather;

typedef struct {
    const char *data_dir; /* holds grammars/ and data/; NULL = the source tree built from */
    const char *db_path;  /* the SQLite file; created and filled with the bundled data if new */
    /* Beside a shared store (db_path a postgresql:// URL): the device's own SQLite file for its
     * knowledge base copy and its spool of filings; NULL or "" = STORE_LOCAL_DEFAULT. */
    const char *db_local;
    /* Clock for greetings, deadlines and receipts; NULL = time(). Tests pin it. */
    time_t (*now)(void *ctx);
    void *now_ctx;
    /* Monotonic seconds for how long someone has been silent (Kakao sessions); NULL =
     * CLOCK_MONOTONIC, which a pinned or adjusted wall clock cannot move. Tests advance it to
     * expire sessions without waiting. */
    time_t (*monotonic)(void *ctx);
    void *monotonic_ctx;
    /* The office's settings (office name, weather service, and in device.site the site of
     * this box, which every filing records); NULL = config_defaults(). The engine keeps a
     * copy. */
    const config *settings;
    /* The understanding model (`seodong train`); NULL = the one the build trained,
     * SEODONG_MODEL_PATH. */
    const char *model_path;
    /* The weather source; NULL (or a NULL member) = the dialogue greets without a weather
     * remark and answers a weather question that the forecast cannot be reached. */
    const engine_weather *weather;
} engine_config;

/* Opens grammars, matchers, the understanding model, calendar and store; seeds departments,
 * categories and the knowledge base from data/ when the database has none. Returns SD_OK or the
 * first failure (err says what and where: a grammar line, a missing file, a model file that is
 * missing, cut short or of another version, a database error). */
sd_code engine_open(const engine_config *cfg, engine **out, char *err, size_t errlen);
void engine_close(engine *e);

store *engine_store(engine *e);
const calendar *engine_calendar(const engine *e);
const grammar *engine_grammar(const engine *e, const char *lang);
time_t engine_now(const engine *e);
time_t engine_monotonic(const engine *e);
const char *engine_data_dir(const engine *e);
const config *engine_settings(const engine *e);
/* Where this box stands ([device] site), named in lang ("en": site_en when given), or "" for
 * none: the office's own servers. */
const char *engine_site(const engine *e, const char *lang);

/* The weather source engine_open was given, or NULL. */
const engine_weather *engine_weather_source(const engine *e);
const classifier *engine_classifier(const engine *e);

typedef struct {
    char lang[4];      /* "ko" or "en" */
    char intent[32];   /* public intent name */
    char topic[32];    /* smalltalk topic, time/date, ... */
    double confidence; /* 0..1 */
    nlu_result nlu;    /* the grammar matcher's slots, numbers, dialogue answers */
    double intent_p;   /* the model's probability of intent (0 when the grammar decided) */
    /* complaint.file only: the category (the one the words name, else the model's, else
     * "other" for a described problem no category fits; "" when the resident has not said what
     * is wrong yet), and the department that should handle it (the model's when it is sure,
     * else the category's own), each with the model's probability. */
    char category[32];
    double category_p;
    char department[32];
    double department_p;
    store_kb_hit kb;   /* the answer when intent is kb.answer */
    bool kb_tentative; /* an answer that may not be what was asked */
} understanding;

/* Picks the language of text: "ko" when it holds Hangul, "en" when it holds Latin letters
 * other than a receipt number's "SG" (a receipt typed alone keeps the conversation's language),
 * otherwise fallback. */
const char *engine_detect_lang(const char *text, size_t len, const char *fallback);

/* Understands one line. lang is "ko", "en", or NULL to detect it (falling back to default_lang).
 * Returns SD_OK; SD_ERR_UTF8 (invalid bytes), SD_ERR_TOO_LONG, or SD_ERR_INVALID (empty line),
 * with u->intent left empty. */
sd_code engine_understand(engine *e, const char *text, size_t len, const char *lang,
                          const char *default_lang, understanding *u);

#endif

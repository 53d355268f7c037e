/* cli_kb.c - `seodong kb`: import a knowledge base from CSV or JSON (all or nothing), export it
 * as CSV to edit, search it as the engine does, and count its entries. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "engine.h"
#include "kb_import.h"

/* ---- kb ---- */

/* Exit status of an import or export: a file name of the wrong kind is a usage error. */
static int file_status(sd_code rc)
{
    return rc == SD_OK ? 0 : rc == SD_ERR_INVALID ? CLI_EXIT_USAGE : 1;
}

static int kb_import(engine *e, const char *path)
{
    size_t count;
    char err[512] = "";
    sd_code rc = kb_import_file(engine_store(e), path, &count, err, sizeof err);
    if (rc == SD_OK)
        printf("imported %zu entries from %s\n", count, path);
    else
        fprintf(stderr, "seodong: %s; the knowledge base is unchanged\n", err);
    return file_status(rc);
}

static int kb_export(engine *e, const char *path)
{
    size_t count;
    char err[512] = "";
    sd_code rc = kb_export_file(engine_store(e), path, &count, err, sizeof err);
    if (rc == SD_OK)
        printf("exported %zu entries to %s\n", count, path);
    else
        fprintf(stderr, "seodong: %s\n", err);
    return file_status(rc);
}

static int kb_search(engine *e, const cli_options *o, const char *text)
{
    store_kb_hit hit;
    const char *lang = o->lang ? o->lang : engine_detect_lang(text, strlen(text), "ko");
    if (store_kb_search(engine_store(e), lang, text, 0, &hit) == SD_OK)
        printf("%s (%.2f) %s\n%s\n", hit.key, hit.coverage, hit.title, hit.answer);
    else
        printf("no entry matches\n");
    return 0;
}

static int kb_stats(engine *e)
{
    store_kb_stats st;
    int status = store_kb_stats_get(engine_store(e), &st) == SD_OK ? 0 : 1;
    printf("entries %d (ko %d, en %d), topics %d, indexed terms %d\n", st.entries, st.entries_ko,
           st.entries_en, st.topics, st.terms);
    return status;
}

int cmd_kb(int argc, char **argv)
{
    const char *usage =
        "usage: seodong kb import FILE | export FILE.csv | search TEXT | stats [--db FILE]\n"
        "  import FILE      replace the knowledge base with a .csv or .json file\n"
        "                   (formats: data/README.md); all or nothing\n"
        "  export FILE.csv  write the knowledge base as CSV, to edit and import again\n"
        "  search TEXT      show the best entry for TEXT and how much it covers\n"
        "  stats            count entries, languages and indexed terms\n";
    cli_options o = {0};
    int rc = cli_parse_common(argc, argv, &o, usage);
    if (rc)
        return rc;
    const char *verb = optind < argc ? argv[optind] : "";
    const char *arg = optind + 1 < argc ? argv[optind + 1] : NULL;
    bool takes_arg =
        strcmp(verb, "import") == 0 || strcmp(verb, "export") == 0 || strcmp(verb, "search") == 0;
    if (takes_arg ? !arg : strcmp(verb, "stats") != 0) {
        fputs(usage, stderr);
        return CLI_EXIT_USAGE;
    }
    engine *e = cli_open_engine(&o);
    if (!e)
        return 1;
    int status = strcmp(verb, "import") == 0   ? kb_import(e, arg)
                 : strcmp(verb, "export") == 0 ? kb_export(e, arg)
                 : strcmp(verb, "search") == 0 ? kb_search(e, &o, arg)
                                               : kb_stats(e);
    engine_close(e);
    return status;
}

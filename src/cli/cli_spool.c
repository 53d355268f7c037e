/* cli_spool.c - this device's spool of filings made while the office's shared store was away:
 *
 *   seodong spool            how many filings wait on this device
 *   seodong spool forward    forward them to the shared store now, each exactly once
 *
 * The store forwards the spool by itself every few seconds while a front end runs; this command
 * is for a device whose front end is stopped, and for scripts that must know the spool is empty
 * (a test, a box about to be replaced). It opens the store only (no grammars), so it starts at
 * once. The work is in store_shared.c; this file parses options and prints. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store.h"

static const char spool_usage[] =
    "usage: seodong spool [forward] [--config FILE] [--db URL]\n"
    "The filings kept on this device while the office's shared database could not be reached\n"
    "(the [database] local file beside a postgresql:// path).\n"
    "  (nothing)  print how many wait here\n"
    "  forward    forward them now, each exactly once; print how many arrived and how many wait\n"
    "Exit codes: 0 done (forward: none left waiting), 1 the shared database cannot be reached\n"
    "(the filings stay here, safe) or a database failure, 2 usage error.\n";

int cmd_spool(int argc, char **argv)
{
    cli_options o = {0};
    int rc = cli_parse_common(argc, argv, &o, spool_usage);
    if (rc)
        return rc;
    bool forward = optind < argc && strcmp(argv[optind], "forward") == 0;
    if (optind + (forward ? 1 : 0) != argc) {
        fputs(spool_usage, stderr);
        return CLI_EXIT_USAGE;
    }
    if ((rc = cli_load_config(&o)) != 0)
        return rc;
    char err[512] = "";
    store *s = NULL;
    const char *local = o.settings.db_local[0] ? o.settings.db_local : NULL;
    sd_code code = store_open_local(o.db, local, &s, err, sizeof err);
    if (code != SD_OK) {
        fprintf(stderr, "seodong: %s\n", err[0] ? err : sd_strerror(code));
        return CLI_EXIT_FAILURE;
    }
    int sent = 0, status = 0;
    if (forward) {
        code = store_spool_forward(s, &sent);
        printf("forwarded %d, waiting %d\n", sent, store_spool_count(s));
        if (code == SD_ERR_OFFLINE)
            fprintf(stderr, "seodong: the shared database cannot be reached; the filings stay on "
                            "this device, safe: try again when it answers\n");
        else if (code != SD_OK)
            fprintf(stderr, "seodong: %s (%s)\n", store_errmsg(s), sd_strerror(code));
        status = code == SD_OK ? 0 : CLI_EXIT_FAILURE;
    } else {
        printf("waiting %d\n", store_spool_count(s));
    }
    store_close(s);
    return status;
}

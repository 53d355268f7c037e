/* cli_staff.c - `seodong staff`: the office side of a complaint's life, for clerks at a
 * terminal. Every action runs as a named member of staff (--as LOGIN or $SEODONG_STAFF) through
 * lifecycle_apply, the same library call an HTTP front will use; `export` writes the CSV of the
 * dashboard's list with the same filters (web_staff_query.c). This file only parses options
 * and prints. */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lifecycle.h"
#include "web.h"
#include "credentials.h"
#include "web_staff_query.h"

static const char *const usage_staff =
    "usage: seodong staff COMMAND [RECEIPT] [OPTIONS]\n"
    "\n"
    "Looking:\n"
    "  list [--state S] [--dept D] [--channel CH] [--site SITE|-] [--overdue] [--due-today]\n"
    "                                complaints, nearest deadline first\n"
    "  show RECEIPT                  the complaint, its answer and its whole timeline\n"
    "  export [--state S|open] [--dept D] [--category C] [--channel CH] [--site SITE|-]\n"
    "         [--officer LOGIN|-]"
    " [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--text WORDS] [--overdue] [--due-today]\n"
    "         [--sort due|due_desc|filed] [--out FILE]\n"
    "                                the dashboard's list as CSV (UTF-8 with BOM, Korean names),\n"
    "                                to stdout or FILE; --text searches place and details of\n"
    "                                the --as member's department only, of all without --as;\n"
    "                                --site - : complaints filed at no site (the office's own)\n"
    "Acting (as --as LOGIN, or $SEODONG_STAFF):\n"
    "  assign RECEIPT --officer LOGIN [--dept D]   put an officer in charge\n"
    "  start RECEIPT                 the officer in charge starts work\n"
    "  answer RECEIPT --text TEXT    write the answer (the resident sees it once approved)\n"
    "  confirm RECEIPT               the officer in charge confirms the result\n"
    "  approve RECEIPT               the head approves: the resident is told it is done\n"
    "  reject RECEIPT --reason TEXT  the head sends the answer back to be redone\n"
    "  reopen RECEIPT --reason TEXT  work on an approved complaint again\n"
    "  transfer RECEIPT --dept D [--reason TEXT]   hand it to another department\n"
    "  extend RECEIPT --days N --reason TEXT [--consent]   extend the deadline (twice at most;\n"
    "                                the second time only with the resident's consent)\n"
    "Office:\n"
    "  sweep                         send the interim notices owed after 30 days\n"
    "  add LOGIN --name NAME --dept D --role officer|head   add or change a member of staff\n"
    "  remove LOGIN                  take someone off the staff list (their history stays)\n"
    "  passwd LOGIN                  set the dashboard password, read from stdin (one line)\n"
    "  route CATEGORY --dept D       send new complaints of a category to department D\n"
    "  apikey issue NAME             a new Open311 API key for client NAME (printed once)\n"
    "  apikey revoke NAME            the client's key stops working\n"
    "\n"
    "Common options: --db FILE, --config FILE, --data DIR (see 'seodong --help').\n"
    "SEODONG_NOW=YYYY-MM-DDTHH:MM pins the clock (tests).\n";

typedef struct {
    cli_options common;
    const char *as, *state, *dept, *officer, *text, *name, *role;
    const char *category, *channel, *site, *from, *to, *sort, *out; /* list, export */
    const char *apikey_name;                                        /* apikey issue|revoke NAME */
    int days;
    bool overdue, due_today, consent;
} staff_options;

static const struct option staff_long_options[] = {
    CLI_COMMON_OPTIONS,
    {"as", required_argument, NULL, 'a'},
    {"state", required_argument, NULL, 's'},
    {"dept", required_argument, NULL, 'p'},
    {"officer", required_argument, NULL, 'o'},
    {"text", required_argument, NULL, 't'},
    {"reason", required_argument, NULL, 't'},
    {"days", required_argument, NULL, 'n'},
    {"consent", no_argument, NULL, 'C'},
    {"overdue", no_argument, NULL, 'O'},
    {"due-today", no_argument, NULL, 'T'},
    {"name", required_argument, NULL, 'N'},
    {"role", required_argument, NULL, 'r'},
    {"category", required_argument, NULL, 'K'}, /* 'c' is --config */
    {"site", required_argument, NULL, 'L'},
    {"channel", required_argument, NULL, 'l'},
    {"from", required_argument, NULL, 'f'},
    {"to", required_argument, NULL, 'u'},
    {"sort", required_argument, NULL, 'S'},
    {"out", required_argument, NULL, 'w'},
    {NULL, 0, NULL, 0},
};

static int staff_option(int c, staff_options *o)
{
    switch (c) {
    case 'a':
        o->as = optarg;
        return 0;
    case 's':
        o->state = optarg;
        return 0;
    case 'p':
        o->dept = optarg;
        return 0;
    case 'o':
        o->officer = optarg;
        return 0;
    case 't':
        o->text = optarg;
        return 0;
    case 'N':
        o->name = optarg;
        return 0;
    case 'r':
        o->role = optarg;
        return 0;
    case 'K':
        o->category = optarg;
        return 0;
    case 'L':
        o->site = optarg;
        return 0;
    case 'l':
        o->channel = optarg;
        return 0;
    case 'f':
        o->from = optarg;
        return 0;
    case 'u':
        o->to = optarg;
        return 0;
    case 'S':
        o->sort = optarg;
        return 0;
    case 'w':
        o->out = optarg;
        return 0;
    case 'C':
        o->consent = true;
        return 0;
    case 'O':
        o->overdue = true;
        return 0;
    case 'T':
        o->due_today = true;
        return 0;
    case 'n':
        return cli_parse_int(optarg, "--days", 1, 366, &o->days);
    default:
        return cli_common_option(c, optarg, &o->common, usage_staff);
    }
}

static int parse_staff(int argc, char **argv, staff_options *o)
{
    int rc = cli_defaults(&o->common);
    const char *env_as = getenv("SEODONG_STAFF");
    o->as = env_as && *env_as ? env_as : NULL;
    optind = 1;
    int c;
    while (!rc && (c = getopt_long(argc, argv, "h", staff_long_options, NULL)) != -1) {
        rc = staff_option(c, o);
        if (rc < 0) {
            fputs(usage_staff, stderr);
            rc = CLI_EXIT_USAGE;
        }
    }
    return rc;
}

static void format_kst(char out[48], time_t t)
{
    struct tm tm;
    calendar_kst(t, &tm);
    snprintf(out, 48, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min);
}

/* ---- looking ---- */

typedef struct {
    time_t now;
    int shown;
} list_state;

static sd_code print_row(void *ctx, const store_complaint *c, time_t approved_at)
{
    (void)approved_at;
    list_state *ls = ctx;
    char due[48];
    format_kst(due, c->due_at);
    bool late = lifecycle_is_open(c->state) && c->due_at < ls->now;
    printf("%-16s %-12s %-14s %-14s %-8s %s  due %s%s\n", c->receipt, c->state, c->department,
           c->officer[0] ? c->officer : "-", c->channel, c->site[0] ? c->site : "-", due,
           late ? "  OVERDUE" : "");
    ls->shown++;
    return SD_OK;
}

static int staff_list(engine *e, const staff_options *o)
{
    time_t now = engine_now(e);
    store_complaint_filter due = {0};
    lifecycle_due_filter(engine_calendar(e), now, o->overdue, o->due_today, &due);
    store_staff_query q = {.state = o->state,
                           .department = o->dept,
                           .channel = o->channel,
                           .site = o->site && strcmp(o->site, "-") == 0 ? "" : o->site,
                           .due_before = due.due_before};
    list_state ls = {now, 0};
    sd_code rc = store_staff_query_run(engine_store(e), &q, print_row, &ls, NULL);
    if (rc != SD_OK) {
        fprintf(stderr, "seodong: cannot list complaints: %s\n", sd_strerror(rc));
        return CLI_EXIT_FAILURE;
    }
    printf("%d complaint(s)\n", ls.shown);
    return 0;
}

static int staff_show(engine *e, const char *receipt)
{
    store_complaint c;
    store_event ev[64];
    size_t n;
    sd_code rc = store_complaint_get(engine_store(e), receipt, &c, NULL, ev, 64, &n);
    if (rc != SD_OK) {
        fprintf(stderr, "seodong: %s: %s\n", receipt,
                rc == SD_ERR_NOT_FOUND ? "no such complaint" : sd_strerror(rc));
        return CLI_EXIT_FAILURE;
    }
    char filed[48], due[48];
    format_kst(filed, c.filed_at);
    format_kst(due, c.due_at);
    printf("%s  %s (%s)  state %s\nplace: %s\ndetail: %s\n", c.receipt, c.category,
           c.complaint_type, c.state, c.place[0] ? c.place : "-", c.detail);
    printf("department %s, officer %s, phone %s%s, language %s, via %s\n", c.department,
           c.officer[0] ? c.officer : "-", c.phone_last4[0] ? "***-****-" : "none (anonymous)",
           c.phone_last4, c.lang, c.channel);
    printf("site: %s\n", c.site[0] ? c.site : "- (the office's own servers)");
    printf("filed %s, due %s%s\n", filed, due, c.extensions ? " (extended)" : "");
    if (c.answer[0])
        printf("answer: %s\n", c.answer);
    for (size_t i = 0; i < n; i++) {
        char at[48];
        format_kst(at, ev[i].at);
        printf("  %s  %-12s %-14s %s%s%s\n", at, ev[i].state, ev[i].actor, ev[i].department,
               ev[i].note[0] ? "  " : "", ev[i].note);
    }
    return 0;
}

/* The CSV goes to path, or to stdout when path is NULL. */
static int write_export(const strbuf *csv, const char *path)
{
    FILE *f = path ? fopen(path, "wb") : stdout;
    bool ok = f && fwrite(csv->data, 1, csv->len, f) == csv->len && fflush(f) == 0;
    if (path && f && fclose(f) != 0)
        ok = false;
    if (!ok)
        fprintf(stderr, "seodong: cannot write the export to %s: %s\n", path ? path : "stdout",
                strerror(errno));
    return ok ? 0 : CLI_EXIT_FAILURE;
}

static int staff_export(engine *e, const staff_options *o)
{
    store *db = engine_store(e);
    store_staff me;
    if (o->as && store_staff_get(db, o->as, &me) != SD_OK) {
        fprintf(stderr, "seodong: %s is not on the staff list\n", o->as);
        return CLI_EXIT_FAILURE;
    }
    staff_filter f = {.state = o->state,
                      .dept = o->dept,
                      .category = o->category,
                      .channel = o->channel,
                      .site = o->site,
                      .officer = o->officer,
                      .from = o->from,
                      .to = o->to,
                      .text = o->text,
                      .sort = o->sort,
                      .overdue = o->overdue,
                      .due_today = o->due_today};
    store_staff_query q;
    const char *bad = NULL;
    time_t now = engine_now(e);
    if (staff_filter_query(&f, engine_calendar(e), now, o->as ? me.department : NULL, &q, &bad) !=
        SD_OK) {
        fprintf(stderr, "seodong: --%s %s: %s\n", bad,
                strcmp(bad, "sort") == 0   ? o->sort
                : strcmp(bad, "from") == 0 ? o->from
                                           : o->to,
                strcmp(bad, "sort") == 0 ? "give due, due_desc or filed"
                                         : "give a date as YYYY-MM-DD");
        return CLI_EXIT_USAGE;
    }
    staff_directory *d = NULL;
    strbuf csv;
    strbuf_init(&csv);
    int rows = 0;
    sd_code rc = staff_directory_load(db, &d);
    if (rc == SD_OK)
        rc = staff_export_csv(db, d, &q, now, &csv, &rows);
    staff_directory_free(d);
    int status = rc == SD_OK ? write_export(&csv, o->out) : CLI_EXIT_FAILURE;
    if (rc != SD_OK)
        fprintf(stderr, "seodong: cannot export the list: %s\n", sd_strerror(rc));
    else if (status == 0 && o->out)
        printf("%d complaint(s) written to %s\n", rows, o->out);
    strbuf_free(&csv);
    return status;
}

/* ---- acting ---- */

static int staff_act(engine *e, const staff_options *o, lifecycle_action action,
                     const char *receipt)
{
    if (!o->as) {
        fprintf(stderr, "seodong: say who you are: --as LOGIN (or set SEODONG_STAFF)\n");
        return CLI_EXIT_USAGE;
    }
    lifecycle_request req = {.action = action,
                             .officer = o->officer,
                             .department = o->dept,
                             .text = o->text,
                             .days = o->days,
                             .consent = o->consent,
                             .cal = engine_calendar(e)};
    sd_code rc = lifecycle_apply(engine_store(e), receipt, o->as, engine_now(e), &req);
    if (rc != SD_OK) {
        fprintf(stderr, "seodong: %s %s refused: %s\n", lifecycle_action_name(action), receipt,
                req.why[0] ? req.why : sd_strerror(rc));
        return CLI_EXIT_FAILURE;
    }
    store_complaint c;
    size_t n;
    store_complaint_get(engine_store(e), receipt, &c, NULL, NULL, 0, &n);
    char due[48];
    format_kst(due, c.due_at);
    printf("%s: %s by %s; now %s, with %s, due %s\n", receipt, lifecycle_action_name(action), o->as,
           c.state, c.department, due);
    return 0;
}

/* ---- office ---- */

static int staff_add(engine *e, const staff_options *o, const char *login, bool active)
{
    store_staff m = {.active = active};
    store *db = engine_store(e);
    if (!active && store_staff_get(db, login, &m) != SD_OK) {
        fprintf(stderr, "seodong: %s is not on the staff list\n", login);
        return CLI_EXIT_FAILURE;
    }
    if (active && (!o->name || !o->dept || !o->role)) {
        fprintf(stderr, "seodong: staff add needs --name, --dept and --role officer|head\n");
        return CLI_EXIT_USAGE;
    }
    if (active) {
        snprintf(m.login, sizeof m.login, "%s", login);
        snprintf(m.name, sizeof m.name, "%s", o->name);
        snprintf(m.department, sizeof m.department, "%s", o->dept);
        snprintf(m.role, sizeof m.role, "%s", o->role);
    }
    m.active = active;
    sd_code rc = store_staff_put(db, &m);
    if (rc == SD_OK && !active) /* refused at the next request anyway; this frees the rows */
        rc = store_staff_sessions_end(db, login);
    if (rc != SD_OK) {
        fprintf(stderr, "seodong: cannot save %s: %s\n", login,
                rc == SD_ERR_INVALID ? "the role must be officer or head, and the department "
                                       "must exist (see data/departments.tsv)"
                                     : sd_strerror(rc));
        return CLI_EXIT_FAILURE;
    }
    printf("%s (%s): %s of %s%s\n", m.login, m.name, m.role, m.department,
           active ? "" : ", no longer active");
    return 0;
}

static int staff_route(engine *e, const staff_options *o, const char *category)
{
    store *db = engine_store(e);
    store_category c;
    store_department d;
    if (!o->dept) {
        fprintf(stderr, "seodong: staff route needs --dept D\n");
        return CLI_EXIT_USAGE;
    }
    if (store_category_get(db, category, &c) != SD_OK ||
        store_department_get(db, o->dept, &d) != SD_OK) {
        fprintf(stderr, "seodong: unknown category %s or department %s (see data/*.tsv)\n",
                category, o->dept);
        return CLI_EXIT_FAILURE;
    }
    printf("%s: %s -> %s\n", category, c.department, o->dept);
    snprintf(c.department, sizeof c.department, "%s", o->dept);
    sd_code rc = store_category_put(db, &c);
    if (rc != SD_OK)
        fprintf(stderr, "seodong: cannot change the route: %s\n", sd_strerror(rc));
    return rc == SD_OK ? 0 : CLI_EXIT_FAILURE;
}

static int staff_sweep(engine *e)
{
    int notices = 0;
    sd_code rc = lifecycle_sweep(engine_store(e), engine_now(e), &notices);
    if (rc != SD_OK) {
        fprintf(stderr, "seodong: the sweep stopped: %s\n", sd_strerror(rc));
        return CLI_EXIT_FAILURE;
    }
    printf("%d interim notice(s) queued\n", notices);
    return 0;
}

/* The password comes on stdin, never on the command line, where ps and the shell history would
 * show it. */
static int staff_passwd(engine *e, const char *login)
{
    char line[1100];
    if (!fgets(line, sizeof line, stdin)) {
        fprintf(stderr, "seodong: staff passwd reads the new password from stdin\n");
        return CLI_EXIT_USAGE;
    }
    line[strcspn(line, "\r\n")] = '\0';
    sd_code rc = credentials_password_set(engine_store(e), login, line);
    sodium_memzero(line, sizeof line);
    if (rc != SD_OK) {
        fprintf(stderr, "seodong: cannot set the password of %s: %s\n", login,
                rc == SD_ERR_INVALID ? "give at least " CREDENTIALS_PASSWORD_MIN_TEXT " characters"
                : rc == SD_ERR_NOT_FOUND ? "not on the staff list (seodong staff add)"
                                         : sd_strerror(rc));
        return CLI_EXIT_FAILURE;
    }
    printf("%s: password set\n", login);
    return 0;
}

static int run_verb(engine *e, const staff_options *o, const char *verb, const char *arg)
{
    lifecycle_action action = lifecycle_action_find(verb);
    if (action != LC_ACTIONS && action != LC_INTERIM)
        return staff_act(e, o, action, arg);
    if (strcmp(verb, "show") == 0)
        return staff_show(e, arg);
    if (strcmp(verb, "add") == 0 || strcmp(verb, "remove") == 0)
        return staff_add(e, o, arg, verb[0] == 'a');
    if (strcmp(verb, "apikey") == 0)
        return cmd_staff_apikey(e, arg, o->apikey_name);
    if (strcmp(verb, "passwd") == 0)
        return staff_passwd(e, arg);
    return staff_route(e, o, arg);
}

int cmd_staff(int argc, char **argv)
{
    staff_options o = {.days = 0};
    int rc = parse_staff(argc, argv, &o);
    if (rc)
        return rc;
    const char *verb = optind < argc ? argv[optind] : "";
    const char *arg = optind + 1 < argc ? argv[optind + 1] : NULL;
    bool bare = !strcmp(verb, "list") || !strcmp(verb, "sweep") || !strcmp(verb, "export");
    lifecycle_action action = lifecycle_action_find(verb);
    bool known = bare || (action != LC_ACTIONS && action != LC_INTERIM) || !strcmp(verb, "show") ||
                 !strcmp(verb, "add") || !strcmp(verb, "remove") || !strcmp(verb, "route") ||
                 !strcmp(verb, "apikey") || !strcmp(verb, "passwd");
    o.apikey_name = optind + 2 < argc ? argv[optind + 2] : NULL;
    if (!known || (!bare && !arg) || (!strcmp(verb, "apikey") && !o.apikey_name)) {
        fprintf(stderr, "seodong: staff %s%s\n\n%s", verb,
                known ? " needs a receipt number or name" : ": no such command", usage_staff);
        return CLI_EXIT_USAGE;
    }
    engine *e = cli_open_engine(&o.common);
    if (!e)
        return CLI_EXIT_FAILURE;
    int status = !strcmp(verb, "list")     ? staff_list(e, &o)
                 : !strcmp(verb, "sweep")  ? staff_sweep(e)
                 : !strcmp(verb, "export") ? staff_export(e, &o)
                                           : run_verb(e, &o, verb, arg);
    engine_close(e);
    return status;
}

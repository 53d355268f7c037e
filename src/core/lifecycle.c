/* lifecycle.c - the complaint state machine as a table: for each action, the states it may
 * follow, who may take it, what it needs, the state it leads to and whether the resident is
 * told. lifecycle_decide checks a request against the table and the complaint as it is now
 * (read inside the store's transaction), then fills in the change; nothing here touches the
 * database, so the rules are tested on their own. */
#include "lifecycle.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "strbuf.h"

typedef enum {
    BY_DEPARTMENT, /* anyone of the complaint's department */
    BY_IN_CHARGE,  /* the officer in charge, or the head of the department */
    BY_OFFICER,    /* the officer in charge only */
    BY_HEAD,       /* the head of the department only */
    BY_SYSTEM      /* Seodong itself (deadline sweeps), never a person */
} who;

typedef struct {
    const char *name;
    const char *from; /* the states it may follow, space-separated */
    const char *to;   /* the state it leads to; NULL keeps the state (an event) */
    who by;
    bool needs_text;
    bool notify; /* the resident is told; reviews inside the office are not announced */
} rule;

#define OPEN_STATES "received assigned in_progress answered confirmed rejected reopened transferred"

static const rule rules[LC_ACTIONS] = {
    [LC_ASSIGN] = {"assign", "received assigned in_progress rejected reopened transferred",
                   "assigned", BY_DEPARTMENT, false, true},
    [LC_START] = {"start", "assigned rejected reopened", "in_progress", BY_IN_CHARGE, false, true},
    [LC_ANSWER] = {"answer", "in_progress rejected", "answered", BY_IN_CHARGE, true, false},
    [LC_CONFIRM] = {"confirm", "answered", "confirmed", BY_OFFICER, false, false},
    [LC_APPROVE] = {"approve", "confirmed", "approved", BY_HEAD, false, true},
    [LC_REJECT] = {"reject", "answered confirmed", "rejected", BY_HEAD, true, false},
    [LC_REOPEN] = {"reopen", "approved", "reopened", BY_DEPARTMENT, true, true},
    [LC_TRANSFER] = {"transfer", "received assigned in_progress rejected reopened transferred",
                     "transferred", BY_DEPARTMENT, false, true},
    [LC_EXTEND] = {"extend", OPEN_STATES, NULL, BY_IN_CHARGE, true, true},
    [LC_INTERIM] = {"interim", OPEN_STATES, NULL, BY_SYSTEM, false, true},
};

/* Events that keep the state are named by what happened. */
static const char *const event_names[LC_ACTIONS] = {
    [LC_EXTEND] = "extended", [LC_INTERIM] = "interim"};

/* Longest reason or answer kept, in bytes (the store keeps 1023 of an answer). */
#define MAX_REASON 200
#define MAX_ANSWER 1000

lifecycle_action lifecycle_action_find(const char *name)
{
    for (int a = 0; a < LC_ACTIONS; a++)
        if (strcmp(rules[a].name, name) == 0)
            return (lifecycle_action)a;
    return LC_ACTIONS;
}

const char *lifecycle_action_name(lifecycle_action a)
{
    return a < LC_ACTIONS ? rules[a].name : "?";
}

static bool in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(list, word); p; p = strstr(p + 1, word))
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

bool lifecycle_is_open(const char *state)
{
    return in_list(OPEN_STATES, state);
}

__attribute__((format(printf, 3, 4))) static sd_code refuse(lifecycle_request *req, sd_code code,
                                                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(req->why, sizeof req->why, fmt, ap);
    va_end(ap);
    return code;
}

static bool is_head(const store_staff *actor)
{
    return strcmp(actor->role, "head") == 0;
}

/* Whether actor may take rule r on complaint now; says why not in req->why. */
static sd_code check_actor(lifecycle_request *req, const rule *r, const store_complaint *now,
                           const store_staff *actor)
{
    if (!actor)
        return r->by == BY_SYSTEM
                   ? SD_OK
                   : refuse(req, SD_ERR_DENIED, "%s needs a member of staff", r->name);
    if (r->by == BY_SYSTEM)
        return refuse(req, SD_ERR_DENIED, "%s is done by Seodong itself, not by staff", r->name);
    if (strcmp(actor->department, now->department) != 0)
        return refuse(req, SD_ERR_DENIED,
                      "this complaint belongs to department %s, not %s: only its staff may act on "
                      "it (ask them to transfer it)",
                      now->department, actor->department);
    bool in_charge = strcmp(actor->login, now->officer) == 0;
    if (r->by == BY_HEAD && !is_head(actor))
        return refuse(req, SD_ERR_DENIED, "only the head of the department may %s", r->name);
    if (r->by == BY_OFFICER && !in_charge)
        return refuse(req, SD_ERR_DENIED, "only the officer in charge (%s) may %s",
                      now->officer[0] ? now->officer : "nobody yet", r->name);
    if (r->by == BY_IN_CHARGE && !in_charge && !is_head(actor))
        return refuse(req, SD_ERR_DENIED,
                      "only the officer in charge (%s) or the head of the department may %s",
                      now->officer[0] ? now->officer : "nobody yet", r->name);
    return SD_OK;
}

static sd_code check_text(lifecycle_request *req, const rule *r)
{
    size_t max = req->action == LC_ANSWER ? MAX_ANSWER : MAX_REASON;
    bool empty = !req->text || !*req->text;
    if (r->needs_text && empty)
        return refuse(req, SD_ERR_INVALID,
                      req->action == LC_ANSWER ? "%s needs the answer text" : "%s needs a reason",
                      r->name);
    if (!empty && strlen(req->text) > max)
        return refuse(req, SD_ERR_INVALID, "%s text is longer than %zu bytes: shorten it", r->name,
                      max);
    return SD_OK;
}

/* What the request itself does not change: who acts, the state the complaint is in, and the
 * extensions already granted. lifecycle_may offers a step exactly when this passes. */
static sd_code check_step(lifecycle_request *req, const rule *r, const store_complaint *now,
                          const store_staff *actor)
{
    /* Who may act is said first: an officer learns that approving is not theirs at all. */
    sd_code rc = check_actor(req, r, now, actor);
    if (rc == SD_OK && !in_list(r->from, now->state))
        rc = refuse(req, SD_ERR_DENIED, "cannot %s a complaint that is '%s' (%s follows: %s)",
                    r->name, now->state, r->name, r->from);
    if (rc == SD_OK && req->action == LC_EXTEND && now->extensions >= LIFECYCLE_MAX_EXTENSIONS)
        rc = refuse(req, SD_ERR_DENIED,
                    "the deadline was already extended twice, the most the law allows");
    return rc;
}

static sd_code decide_assign(lifecycle_request *req, const store_complaint *now,
                             const store_staff *actor, store_change *change)
{
    if (!req->officer || !*req->officer)
        return refuse(req, SD_ERR_INVALID, "assign needs --officer LOGIN");
    /* Assigning again would only tell the resident a second time. */
    if (strcmp(req->officer, now->officer) == 0)
        return refuse(req, SD_ERR_DENIED, "%s is already in charge of it", req->officer);
    if (!req->officer_department || strcmp(req->officer_department, now->department) != 0)
        return refuse(req, SD_ERR_DENIED,
                      "%s is not an active member of department %s (transfer the complaint "
                      "first to give it to another department)",
                      req->officer, now->department);
    if (!is_head(actor) && strcmp(actor->login, req->officer) != 0)
        return refuse(req, SD_ERR_DENIED,
                      "an officer may take a complaint for themselves (%s), but only the head "
                      "assigns it to %s",
                      actor->login, req->officer);
    change->officer = req->officer;
    return SD_OK;
}

static sd_code decide_transfer(lifecycle_request *req, const store_complaint *now,
                               store_change *change)
{
    if (!req->department || !*req->department)
        return refuse(req, SD_ERR_INVALID, "transfer needs --dept DEPARTMENT");
    if (strcmp(req->department, now->department) == 0)
        return refuse(req, SD_ERR_INVALID, "the complaint is already with %s", req->department);
    change->department = req->department;
    change->officer = ""; /* the receiving department assigns its own officer */
    return SD_OK;
}

static sd_code decide_extend(lifecycle_request *req, const store_complaint *now,
                             store_change *change)
{
    int period = calendar_period_days(now->complaint_type);
    if (now->extensions == 1 && !req->consent)
        return refuse(req, SD_ERR_DENIED,
                      "a second extension needs the resident's consent: ask them, then repeat "
                      "with --consent");
    if (req->days < 1 || req->days > period)
        return refuse(req, SD_ERR_INVALID,
                      "an extension is 1 to %d working days for a %s complaint (its own period)",
                      period, now->complaint_type);
    /* The added days count from the working day after the current deadline. */
    change->due_at = calendar_due(req->cal, now->due_at + 86400, req->days);
    change->extensions = now->extensions + 1;
    return SD_OK;
}

sd_code lifecycle_decide(void *ctx, const store_complaint *now, const store_staff *actor,
                         store_change *change)
{
    lifecycle_request *req = ctx;
    req->why[0] = '\0';
    if (req->action >= LC_ACTIONS)
        return refuse(req, SD_ERR_INVALID, "no such action");
    const rule *r = &rules[req->action];
    sd_code rc = check_step(req, r, now, actor);
    if (rc == SD_OK)
        rc = check_text(req, r);
    if (rc == SD_OK && req->action == LC_ASSIGN)
        rc = decide_assign(req, now, actor, change);
    if (rc == SD_OK && req->action == LC_TRANSFER)
        rc = decide_transfer(req, now, change);
    if (rc == SD_OK && req->action == LC_EXTEND)
        rc = decide_extend(req, now, change);
    if (rc != SD_OK)
        return rc;
    if (req->action == LC_ANSWER)
        change->answer = req->text;
    change->state = r->to;
    change->event = r->to ? r->to : event_names[req->action];
    change->notify = r->notify;
    /* The answer is kept with the complaint; other texts are the step's reason. */
    change->note = req->action == LC_ANSWER ? "" : req->text;
    return SD_OK;
}

bool lifecycle_may(lifecycle_action a, const store_complaint *now, const store_staff *actor)
{
    if (a >= LC_ACTIONS || !actor)
        return false;
    lifecycle_request req = {.action = a};
    if (check_step(&req, &rules[a], now, actor) != SD_OK)
        return false;
    /* The one complaint an officer may assign is to themselves, which needs it not theirs yet. */
    return a != LC_ASSIGN || is_head(actor) || strcmp(actor->login, now->officer) != 0;
}

/* Checks what the transaction cannot: that the actor and any named officer or department
 * exist, so that a typo gets a message saying which name is unknown. */
static sd_code check_names(store *s, const char *actor_login, lifecycle_request *req)
{
    store_staff who;
    if (actor_login && store_staff_get(s, actor_login, &who) != SD_OK)
        return refuse(req, SD_ERR_DENIED,
                      "%s is not on the staff list: add them with 'seodong staff add'",
                      actor_login);
    if (actor_login && !who.active)
        return refuse(req, SD_ERR_DENIED, "%s is no longer active on the staff list", actor_login);
    if (req->action == LC_ASSIGN && req->officer) {
        store_staff officer;
        if (store_staff_get(s, req->officer, &officer) != SD_OK || !officer.active)
            return refuse(req, SD_ERR_DENIED, "%s is not an active member of staff", req->officer);
        snprintf(req->officer_dept_buf, sizeof req->officer_dept_buf, "%s", officer.department);
        req->officer_department = req->officer_dept_buf;
    }
    store_department d;
    if (req->action == LC_TRANSFER && req->department &&
        store_department_get(s, req->department, &d) != SD_OK)
        return refuse(req, SD_ERR_INVALID, "there is no department %s", req->department);
    return SD_OK;
}

sd_code lifecycle_apply(store *s, const char *receipt, const char *actor_login, time_t at,
                        lifecycle_request *req)
{
    req->why[0] = '\0';
    sd_code rc = check_names(s, actor_login, req);
    if (rc == SD_OK)
        rc = store_complaint_change(s, receipt, actor_login, at, lifecycle_decide, req);
    if (rc == SD_ERR_NOT_FOUND && !req->why[0])
        refuse(req, rc, "there is no complaint %s", receipt);
    return rc;
}

static sd_code collect_receipt(void *ctx, const store_complaint *c)
{
    strbuf *receipts = ctx;
    strbuf_puts(receipts, c->receipt);
    strbuf_puts(receipts, "\n");
    return SD_OK;
}

sd_code lifecycle_sweep(store *s, time_t now, int *notices)
{
    *notices = 0;
    strbuf receipts;
    strbuf_init(&receipts);
    store_complaint_filter owed = {.filed_before = now - LIFECYCLE_INTERIM_DAYS * 86400,
                                   .without_event = "interim"};
    /* Collected first: the listing holds the store's lock, which a change needs. */
    sd_code rc = store_complaint_list(s, &owed, collect_receipt, &receipts);
    char *line = receipts.data;
    while (rc == SD_OK && line && *line) {
        char *end = strchr(line, '\n');
        *end = '\0';
        lifecycle_request req = {.action = LC_INTERIM};
        rc = lifecycle_apply(s, line, NULL, now, &req);
        if (rc == SD_OK)
            ++*notices;
        else if (rc == SD_ERR_DENIED) /* approved meanwhile: nothing is owed */
            rc = SD_OK;
        line = end + 1;
    }
    strbuf_free(&receipts);
    return rc;
}

void lifecycle_due_filter(const calendar *cal, time_t now, bool overdue, bool due_today,
                          store_complaint_filter *f)
{
    if (overdue)
        f->due_before = now;
    if (due_today) /* deadlines fall at 18:00 KST: today's is before the next midnight */
        f->due_before = calendar_due(cal, now, 1) + 6 * 3600;
}

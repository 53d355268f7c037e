/* lifecycle.h - the rules of a complaint's life at the office: which step may follow which, who
 * may take it, and what the resident is told.
 *
 *   received ─assign→ assigned ─start→ in_progress ─answer→ answered ─confirm→ confirmed
 *   confirmed ─approve→ approved (the resident is told it is done, with the answer)
 *   answered|confirmed ─reject→ rejected ─start/answer→ ...      approved ─reopen→ reopened
 *   any open state ─transfer→ transferred (another department, which assigns anew)
 *   any open state ─extend→ same state, later deadline            system ─interim→ same state
 *
 * Staff act only on their own department's complaints. The officer in charge starts, answers
 * and confirms; only the head of the department approves or rejects. A deadline may be extended
 * twice at most, each time by no more than the original period, the second time only with the
 * resident's consent (민원 처리에 관한 법률 시행령). The rules are pure: lifecycle_decide is
 * the store_decide_fn the store runs inside its transaction. */
#ifndef SEODONG_LIFECYCLE_H
#define SEODONG_LIFECYCLE_H

#include <stdbool.h>

#include "calendar.h"
#include "store.h"

typedef enum {
    LC_ASSIGN,
    LC_START,
    LC_ANSWER,
    LC_CONFIRM,
    LC_APPROVE,
    LC_REJECT,
    LC_REOPEN,
    LC_TRANSFER,
    LC_EXTEND,
    LC_INTERIM,
    LC_ACTIONS
} lifecycle_action;

/* Extensions the law allows for one complaint. */
#define LIFECYCLE_MAX_EXTENSIONS 2
/* Days after filing when an open complaint is owed an interim progress notice. */
#define LIFECYCLE_INTERIM_DAYS 30

typedef struct {
    lifecycle_action action;
    const char *officer;            /* assign: login of the officer put in charge */
    const char *officer_department; /* assign: that officer's department */
    const char *department;         /* transfer: the receiving department */
    const char *text;               /* answer: the answer; reject, reopen, extend: the reason */
    int days;                       /* extend: working days added */
    bool consent;                   /* extend: the resident agreed (needed the second time) */
    const calendar *cal;            /* extend: counts working days */
    char why[256];                  /* out: why a step was refused, for people */
    char officer_dept_buf[32];      /* storage for officer_department (lifecycle_apply) */
} lifecycle_request;

/* The action named name ("assign", "start", ...), or LC_ACTIONS when there is none. */
lifecycle_action lifecycle_action_find(const char *name);
const char *lifecycle_action_name(lifecycle_action a);

/* True when a complaint in state is still open (not approved). */
bool lifecycle_is_open(const char *state);

/* Sets the deadline part of a listing's filter as staff ask for it: overdue (open and past due
 * at now) or due today (open and due before the end of today's working day). The terminal and
 * the dashboard list with this one rule. */
void lifecycle_due_filter(const calendar *cal, time_t now, bool overdue, bool due_today,
                          store_complaint_filter *f);

/* store_decide_fn for a lifecycle_request (ctx). Returns SD_OK with *change filled in,
 * SD_ERR_DENIED (not allowed for this actor or in this state) or SD_ERR_INVALID (a required
 * reason, answer or number missing or out of range), with req->why saying what to do. */
sd_code lifecycle_decide(void *ctx, const store_complaint *now, const store_staff *actor,
                         store_change *change);

/* Whether actor may take action a on complaint now as it stands: the same table and checks as
 * lifecycle_decide, leaving out only what the request brings (the answer or reason, the officer
 * or department named, the days, the consent). The steps a page offers a member of staff. */
bool lifecycle_may(lifecycle_action a, const store_complaint *now, const store_staff *actor);

/* Takes one staff action (actor_login NULL: the system) on complaint receipt at time at: checks
 * the names, then runs lifecycle_decide inside the store's transaction, which also appends the
 * timeline row and queues the resident's notification. Returns SD_OK, SD_ERR_NOT_FOUND,
 * SD_ERR_DENIED, SD_ERR_INVALID (req->why says what to do), SD_ERR_BUSY or SD_ERR_DB. */
sd_code lifecycle_apply(store *s, const char *receipt, const char *actor_login, time_t at,
                        lifecycle_request *req);

/* Gives every open complaint filed LIFECYCLE_INTERIM_DAYS or more before now, and not yet given
 * one, its interim progress notice. *notices counts them. Returns SD_OK or a store error. */
sd_code lifecycle_sweep(store *s, time_t now, int *notices);

#endif

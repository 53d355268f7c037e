/* test_lifecycle_offer.c - lifecycle_may, the steps a page offers a member of staff: for every
 * state, officer in charge or not, extensions granted, actor (the officer in charge, another
 * officer of the department, the head, an officer of another department) and action, a step is
 * offered exactly when lifecycle_decide accepts it with good inputs (an answer or reason, an
 * officer who is not yet in charge, another department, one day, consent). Then the cases a
 * clerk and a head meet, spelled out: an officer on a new complaint, a head on an answered and
 * on a confirmed one. The rules are pure, so no database is needed. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "lifecycle.h"

static calendar *cal;

static const char *const states[] = {"received", "assigned",  "in_progress",
                                     "answered", "confirmed", "approved",
                                     "rejected", "reopened",  "transferred"};

static const store_staff kim = {"kim", "김주차", "parking", "officer", true};
static const store_staff choi = {"choi", "최주차", "parking", "officer", true};
static const store_staff lee = {"lee", "이과장", "parking", "head", true};
static const store_staff park = {"park", "박도로", "roads", "officer", true};

static store_complaint complaint(const char *state, const char *officer, int extensions)
{
    store_complaint c = {.extensions = extensions, .filed_at = 1795568400};
    snprintf(c.receipt, sizeof c.receipt, "SG-2026-000001");
    snprintf(c.category, sizeof c.category, "illegal_parking");
    snprintf(c.complaint_type, sizeof c.complaint_type, "grievance");
    snprintf(c.state, sizeof c.state, "%s", state);
    snprintf(c.department, sizeof c.department, "parking");
    snprintf(c.officer, sizeof c.officer, "%s", officer);
    c.due_at = calendar_due(cal, c.filed_at, 7);
    return c;
}

/* Whether lifecycle_decide takes action a by actor on c, given inputs that are good for it. */
static bool decided(lifecycle_action a, const store_complaint *c, const store_staff *actor)
{
    bool head = strcmp(actor->role, "head") == 0;
    /* a head assigns another officer than the one in charge; an officer only themselves */
    const char *officer = !head ? actor->login : strcmp(c->officer, "choi") == 0 ? "kim" : "choi";
    lifecycle_request req = {.action = a,
                             .officer = officer,
                             .officer_department =
                                 strcmp(officer, "park") == 0 ? "roads" : "parking",
                             .department = "roads",
                             .text = "사유",
                             .days = 1,
                             .consent = true,
                             .cal = cal};
    store_change change = {0};
    return lifecycle_decide(&req, c, actor, &change) == SD_OK;
}

static void test_offer_matches_decide(void)
{
    const store_staff *actors[] = {&kim, &choi, &lee, &park};
    const char *officers[] = {"", "kim"};
    int offered = 0, cases = 0;
    for (size_t s = 0; s < sizeof states / sizeof states[0]; s++)
        for (size_t o = 0; o < 2; o++)
            for (int ext = 0; ext <= LIFECYCLE_MAX_EXTENSIONS; ext++)
                for (size_t w = 0; w < sizeof actors / sizeof actors[0]; w++)
                    for (int a = 0; a < LC_ACTIONS; a++) {
                        store_complaint c = complaint(states[s], officers[o], ext);
                        bool may = lifecycle_may((lifecycle_action)a, &c, actors[w]);
                        bool ok = decided((lifecycle_action)a, &c, actors[w]);
                        if (may != ok)
                            fprintf(stderr,
                                    "%s by %s on '%s' (officer '%s', %d extensions): "
                                    "offered %d, decided %d\n",
                                    lifecycle_action_name((lifecycle_action)a), actors[w]->login,
                                    states[s], officers[o], ext, may, ok);
                        CHECK(may == ok);
                        offered += may;
                        cases++;
                    }
    /* 9 states x 2 x 3 x 4 actors x 10 actions; some offered, many not */
    CHECK(cases == 2160);
    CHECK(offered > 100 && offered < cases / 2);
}

/* The actions offered to actor on c, space-separated in the table's order. */
static const char *offered(const store_complaint *c, const store_staff *actor)
{
    static char out[256];
    out[0] = '\0';
    for (int a = 0; a < LC_ACTIONS; a++)
        if (lifecycle_may((lifecycle_action)a, c, actor)) {
            if (out[0])
                strcat(out, " ");
            strcat(out, lifecycle_action_name((lifecycle_action)a));
        }
    return out;
}

static void test_cases_staff_meet(void)
{
    store_complaint c = complaint("received", "", 0);
    CHECK_STR(offered(&c, &kim), "assign transfer");        /* take it, or send it on */
    CHECK_STR(offered(&c, &lee), "assign transfer extend"); /* a head may extend any */
    CHECK_STR(offered(&c, &park), "");
    c = complaint("assigned", "kim", 0);
    CHECK_STR(offered(&c, &kim), "start transfer extend"); /* not assign: it is already theirs */
    CHECK_STR(offered(&c, &choi), "assign transfer");
    CHECK_STR(offered(&c, &lee), "assign start transfer extend");
    c = complaint("in_progress", "kim", 0);
    CHECK_STR(offered(&c, &kim), "answer transfer extend");
    c = complaint("answered", "kim", 0);
    CHECK_STR(offered(&c, &kim), "confirm extend");
    CHECK_STR(offered(&c, &choi), "");
    CHECK_STR(offered(&c, &lee), "reject extend"); /* confirming is the officer's */
    c = complaint("confirmed", "kim", 0);
    CHECK_STR(offered(&c, &kim), "extend");
    CHECK_STR(offered(&c, &lee), "approve reject extend");
    c = complaint("confirmed", "kim", LIFECYCLE_MAX_EXTENSIONS);
    CHECK_STR(offered(&c, &lee), "approve reject");
    c = complaint("approved", "kim", 0);
    CHECK_STR(offered(&c, &kim), "reopen");
    CHECK_STR(offered(&c, &choi), "reopen");
    CHECK_STR(offered(&c, &lee), "reopen");
    CHECK_STR(offered(&c, &park), "");
    CHECK(!lifecycle_may(LC_INTERIM, &c, &lee));
    CHECK(!lifecycle_may(LC_APPROVE, &c, NULL));
}

/* Assigning the officer already in charge is refused: it would tell the resident again. */
static void test_assign_again_refused(void)
{
    store_complaint c = complaint("assigned", "kim", 0);
    lifecycle_request req = {
        .action = LC_ASSIGN, .officer = "kim", .officer_department = "parking"};
    store_change change = {0};
    CHECK(lifecycle_decide(&req, &c, &lee, &change) == SD_ERR_DENIED);
    CHECK(strstr(req.why, "kim is already in charge") != NULL);
}

int main(void)
{
    char err[512];
    CHECK(calendar_load(SEODONG_SOURCE_DIR "/data/holidays.tsv", &cal, err, sizeof err) == SD_OK);
    if (!cal)
        CHECK_DONE();
    test_offer_matches_decide();
    test_cases_staff_meet();
    test_assign_again_refused();
    calendar_free(cal);
    CHECK_DONE();
}

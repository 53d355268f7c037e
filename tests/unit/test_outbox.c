/* The notification outbox on a real SQLite file (or the PostgreSQL database of SEODONG_TEST_DB):
 * queueing on filing (and not for anonymous complaints), claim, sent, failure with exponential
 * back-off and its cap, dead letters after max_attempts or a permanent refusal, retry of one or all
 * dead letters, the lease that keeps a claimed message from a second sender and returns it in doubt
 * when its sender died, and threads claiming at once never getting the same message. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check_store.h"

#define DB "test_outbox.db"
#define T0 1795000000 /* 2026-11-19, a fixed clock */

static store *fresh(void)
{
    check_store_remove(DB);
    store *s = check_store_open(DB);
    if (!s)
        exit(1);
    store_department d = {"parking", "주차관리과", "Parking Management", "032-560-4380"};
    store_category c = {"illegal_parking", "parking", "grievance", "불법 주차", "illegal parking"};
    CHECK(store_department_put(s, &d) == SD_OK);
    CHECK(store_category_put(s, &c) == SD_OK);
    return s;
}

/* Files a complaint at time at; phone NULL for an anonymous one. */
static void file(store *s, const char *phone, time_t at, char receipt[32])
{
    store_new_complaint c = {.category = "illegal_parking",
                             .place = "청라동",
                             .detail = "흰색 SUV가 인도를 막고 있어요",
                             .phone = phone,
                             .lang = "ko",
                             .channel = "text",
                             .filed_at = at,
                             .due_at = at + 7 * 86400};
    CHECK(store_complaint_file(s, &c, receipt) == SD_OK);
}

static store_outbox_failure failure(int backoff_s, int max_attempts)
{
    return (store_outbox_failure){
        .error = "HTTP 500", .backoff_s = backoff_s, .max_attempts = max_attempts};
}

static void test_claim_and_sent(void)
{
    store *s = fresh();
    char receipt[32], anon[32];
    file(s, "01012345678", T0, receipt);
    file(s, NULL, T0, anon);
    store_outbox_counts n;
    CHECK(store_outbox_count(s, &n) == SD_OK && n.pending == 1 && n.sent == 0);
    store_outbox_msg m;
    CHECK(store_outbox_claim(s, T0 - 1, 60, &m) == SD_ERR_NOT_FOUND); /* not due yet */
    CHECK(store_outbox_claim(s, T0, 60, &m) == SD_OK);
    CHECK_STR(m.phone, "01012345678");
    CHECK_STR(m.receipt, receipt);
    CHECK_STR(m.template_code, "SD_RECEIVED");
    CHECK_STR(m.state, "sending");
    CHECK(strncmp(m.idem_key, receipt, strlen(receipt)) == 0 && m.idem_key[strlen(receipt)] == '-');
    CHECK_HAS(m.params, receipt);
    /* JSON as each database writes it (PostgreSQL puts spaces around the colons) */
    CHECK_HAS(m.params, "\"department\"");
    CHECK_HAS(m.params, "\"주차관리과\"");
    CHECK(m.attempts == 1 && !m.in_doubt && m.created_at == T0);
    /* claimed: no second sender gets it */
    store_outbox_msg again;
    CHECK(store_outbox_claim(s, T0 + 10, 60, &again) == SD_ERR_NOT_FOUND);
    CHECK(store_outbox_count(s, &n) == SD_OK && n.sending == 1 && n.pending == 0);
    CHECK(store_outbox_sent(s, m.id, T0 + 1) == SD_OK);
    CHECK(store_outbox_sent(s, m.id, T0 + 2) == SD_ERR_NOT_FOUND);
    CHECK(store_outbox_count(s, &n) == SD_OK && n.sent == 1 && n.sending == 0);
    time_t next;
    CHECK(store_outbox_next_due(s, &next) == SD_ERR_NOT_FOUND);
    CHECK(store_outbox_claim(s, T0 + 86400 * 365, 60, &again) == SD_ERR_NOT_FOUND);
    store_close(s);
}

static void test_backoff_and_dead(void)
{
    store *s = fresh();
    char receipt[32];
    file(s, "01012345678", T0, receipt);
    store_outbox_failure f = failure(30, 3);
    store_outbox_msg m;
    bool dead = true;
    time_t t = T0, next;
    for (int attempt = 1; attempt <= 2; attempt++) {
        CHECK(store_outbox_claim(s, t, 60, &m) == SD_OK && m.attempts == attempt);
        CHECK(store_outbox_failed(s, m.id, t, &f, &dead) == SD_OK && !dead);
        time_t delay = 30 << (attempt - 1); /* 30 s, then 60 s */
        CHECK(store_outbox_next_due(s, &next) == SD_OK && next == t + delay);
        CHECK(store_outbox_claim(s, t + delay - 1, 60, &m) == SD_ERR_NOT_FOUND);
        t += delay;
    }
    CHECK(store_outbox_claim(s, t, 60, &m) == SD_OK && m.attempts == 3);
    CHECK(store_outbox_failed(s, m.id, t, &f, &dead) == SD_OK && dead);
    CHECK(store_outbox_failed(s, m.id, t, &f, &dead) == SD_ERR_NOT_FOUND); /* not claimed */
    long id = m.id;
    CHECK(store_outbox_claim(s, t + 86400 * 30, 60, &m) == SD_ERR_NOT_FOUND);
    store_outbox_counts n;
    CHECK(store_outbox_count(s, &n) == SD_OK && n.dead == 1 && n.pending == 0);
    int count = 0;
    CHECK(store_outbox_retry(s, id + 1, t, &count) == SD_ERR_NOT_FOUND && count == 0);
    CHECK(store_outbox_retry(s, id, t + 100, &count) == SD_OK && count == 1);
    CHECK(store_outbox_retry(s, id, t + 100, &count) == SD_ERR_NOT_FOUND);
    CHECK(store_outbox_claim(s, t + 100, 60, &m) == SD_OK && m.attempts == 1);
    CHECK_STR(m.last_error, "HTTP 500");
    store_close(s);
}

static void test_permanent_and_retry_all(void)
{
    store *s = fresh();
    char r1[32], r2[32];
    file(s, "01011112222", T0, r1);
    file(s, "01033334444", T0 + 1, r2);
    store_outbox_failure f = failure(30, 8);
    f.permanent = true;
    f.error = "HTTP 400";
    store_outbox_msg m;
    bool dead = false;
    for (int i = 0; i < 2; i++) {
        CHECK(store_outbox_claim(s, T0 + 5, 60, &m) == SD_OK);
        CHECK(store_outbox_failed(s, m.id, T0 + 5, &f, &dead) == SD_OK && dead);
    }
    int count = 0;
    CHECK(store_outbox_retry(s, 0, T0 + 6, &count) == SD_OK && count == 2);
    CHECK(store_outbox_retry(s, 0, T0 + 6, &count) == SD_OK && count == 0);
    store_outbox_counts n;
    CHECK(store_outbox_count(s, &n) == SD_OK && n.pending == 2 && n.dead == 0);
    store_close(s);
}

/* The delay doubles but never exceeds a day. */
static void test_backoff_cap(void)
{
    store *s = fresh();
    char receipt[32];
    file(s, "01012345678", T0, receipt);
    store_outbox_failure f = failure(3600, 100);
    store_outbox_msg m;
    bool dead;
    time_t t = T0, next = T0, last_delay = 0;
    for (int i = 0; i < 40; i++) {
        CHECK(store_outbox_claim(s, t, 60, &m) == SD_OK);
        CHECK(store_outbox_failed(s, m.id, t, &f, &dead) == SD_OK && !dead);
        CHECK(store_outbox_next_due(s, &next) == SD_OK);
        CHECK(next - t >= last_delay && next - t <= 86400);
        last_delay = next - t;
        t = next;
    }
    CHECK(last_delay == 86400);
    store_close(s);
}

static sd_code count_msg(void *ctx, const store_outbox_msg *m)
{
    (void)m;
    (*(int *)ctx)++;
    return SD_OK;
}

/* A sender that died while sending: its claim lapses and the message comes back in doubt. */
static void test_lease_and_doubt(void)
{
    store *s = fresh();
    char receipt[32];
    file(s, "01012345678", T0, receipt);
    store_outbox_msg m, again;
    CHECK(store_outbox_claim(s, T0, 60, &m) == SD_OK && !m.in_doubt);
    CHECK(store_outbox_claim(s, T0 + 59, 60, &again) == SD_ERR_NOT_FOUND);
    CHECK(store_outbox_claim(s, T0 + 60, 60, &again) == SD_OK);
    CHECK(again.id == m.id && again.in_doubt && again.attempts == 2);
    /* doubt stays until the message is sent, even through a plain failure */
    store_outbox_failure f = failure(30, 8);
    bool dead;
    CHECK(store_outbox_failed(s, again.id, T0 + 60, &f, &dead) == SD_OK && !dead);
    CHECK(store_outbox_claim(s, T0 + 120, 60, &again) == SD_OK && again.in_doubt);
    int listed = 0;
    CHECK(store_outbox_list(s, "sending", count_msg, &listed) == SD_OK && listed == 1);
    CHECK(store_outbox_sent(s, again.id, T0 + 121) == SD_OK);
    listed = 0;
    CHECK(store_outbox_list(s, NULL, count_msg, &listed) == SD_OK && listed == 1);
    store_close(s);
}

#define MESSAGES 40
#define THREADS 4

typedef struct {
    store *s;
    int claims[MESSAGES + 1]; /* by message id */
    pthread_mutex_t lock;
} race;

static void *claimer(void *arg)
{
    race *r = arg;
    store_outbox_msg m;
    while (store_outbox_claim(r->s, T0 + 100, 60, &m) == SD_OK) {
        pthread_mutex_lock(&r->lock);
        if (m.id >= 1 && m.id <= MESSAGES)
            r->claims[m.id]++;
        pthread_mutex_unlock(&r->lock);
        store_outbox_sent(r->s, m.id, T0 + 100);
    }
    return NULL;
}

static void test_threads_never_share(void)
{
    race r = {.s = fresh(), .lock = PTHREAD_MUTEX_INITIALIZER};
    char receipt[32];
    for (int i = 0; i < MESSAGES; i++)
        file(r.s, "01012345678", T0 + i, receipt);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, claimer, &r);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    int once = 0;
    for (int id = 1; id <= MESSAGES; id++)
        once += r.claims[id] == 1;
    CHECK(once == MESSAGES);
    store_outbox_counts n;
    CHECK(store_outbox_count(r.s, &n) == SD_OK && n.sent == MESSAGES);
    store_close(r.s);
}

int main(void)
{
    test_claim_and_sent();
    test_backoff_and_dead();
    test_permanent_and_retry_all();
    test_backoff_cap();
    test_lease_and_doubt();
    test_threads_never_share();
    check_store_remove(DB);
    CHECK_DONE();
}

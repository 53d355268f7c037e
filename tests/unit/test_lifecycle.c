/* test_lifecycle.c - the complaint state machine on a real SQLite file (or the PostgreSQL
 * database of SEODONG_TEST_DB): the whole legal path,
 * every illegal step refused without changing anything, roles and departments, the statutory
 * deadline extensions, the interim-notice sweep, and the outbox rows queued with each step. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_store.h"
#include "lifecycle.h"
#include "utf8.h"

#define DB "test_lifecycle.db"
#define DAY 86400

static calendar *cal;
/* 2026-11-25 10:00 KST, a Wednesday. */
static const time_t filed = 1795568400;

static void setup(store *s)
{
    store_department parking = {"parking", "주차관리과", "Parking", "032-560-4380"};
    store_department roads = {"roads", "도로과", "Roads", "032-560-4560"};
    store_category cat = {"illegal_parking", "parking", "grievance", "불법 주차", "parking"};
    CHECK(store_department_put(s, &parking) == SD_OK);
    CHECK(store_department_put(s, &roads) == SD_OK);
    CHECK(store_category_put(s, &cat) == SD_OK);
    const store_staff people[] = {{"kim", "김주차", "parking", "officer", true},
                                  {"choi", "최주차", "parking", "officer", true},
                                  {"lee", "이과장", "parking", "head", true},
                                  {"park", "박도로", "roads", "officer", true},
                                  {"gone", "퇴직자", "parking", "head", false}};
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
        CHECK(store_staff_put(s, &people[i]) == SD_OK);
}

static void file(store *s, const char *phone, char receipt[32])
{
    store_new_complaint c = {.category = "illegal_parking",
                             .place = "서구청",
                             .detail = "인도를 막은 차",
                             .phone = phone,
                             .lang = "ko",
                             .channel = "text",
                             .filed_at = filed,
                             .due_at = calendar_due(cal, filed, 7)};
    CHECK(store_complaint_file(s, &c, receipt) == SD_OK);
}

static sd_code act(store *s, const char *receipt, const char *who, lifecycle_action a,
                   const char *text, lifecycle_request *out)
{
    lifecycle_request req = {.action = a, .text = text, .cal = cal};
    if (a == LC_ASSIGN)
        req.officer = text;
    if (a == LC_TRANSFER)
        req.department = text;
    sd_code rc = lifecycle_apply(s, receipt, who, filed + 3600, &req);
    if (out)
        *out = req;
    return rc;
}

/* A count(*) of raw SQL that both databases read. */
static int count(const char *sql)
{
    return (int)check_store_count(DB, sql, NULL);
}

static const char *state_of(store *s, const char *receipt, size_t *events)
{
    static store_complaint c;
    store_event ev[32];
    CHECK(store_complaint_get(s, receipt, &c, NULL, ev, 32, events) == SD_OK);
    return c.state;
}

static void test_whole_path(store *s)
{
    char r[32];
    file(s, "01012345678", r);
    CHECK(act(s, r, "lee", LC_ASSIGN, "kim", NULL) == SD_OK);
    CHECK(act(s, r, "kim", LC_START, NULL, NULL) == SD_OK);
    CHECK(act(s, r, "kim", LC_ANSWER, "견인 조치했습니다.", NULL) == SD_OK);
    CHECK(act(s, r, "kim", LC_CONFIRM, NULL, NULL) == SD_OK);
    CHECK(act(s, r, "lee", LC_APPROVE, NULL, NULL) == SD_OK);
    store_complaint c;
    store_department d;
    store_event ev[16];
    size_t n;
    CHECK(store_complaint_get(s, r, &c, &d, ev, 16, &n) == SD_OK);
    CHECK_STR(d.code, "parking"); /* read with the complaint, for the tracking views */
    CHECK_STR(d.name_ko, "주차관리과");
    CHECK_STR(d.phone, "032-560-4380");
    CHECK_STR(c.state, "approved");
    CHECK_STR(c.officer, "kim");
    CHECK_STR(c.answer, "견인 조치했습니다.");
    const char *want[] = {"received", "assigned",  "in_progress",
                          "answered", "confirmed", "approved"};
    CHECK(n == 6);
    for (size_t i = 0; i < n && i < 6; i++)
        CHECK_STR(ev[i].state, want[i]);
    CHECK_STR(ev[5].actor, "lee");
    /* The resident hears of received, assigned, in_progress and approved; the office's own
     * review steps are not announced. */
    CHECK(count("SELECT count(*) FROM outbox") == 4);
    CHECK(check_store_count(DB,
                            "SELECT count(*) FROM outbox WHERE template = 'SD_APPROVED' AND"
                            " json_extract(params, '$.answer') = '견인 조치했습니다.'",
                            "SELECT count(*) FROM outbox WHERE template = 'SD_APPROVED' AND"
                            " CAST(params AS json)->>'answer' = '견인 조치했습니다.'") == 1);
    /* The phone number is not copied into the outbox. */
    CHECK(count("SELECT count(*) FROM outbox WHERE params LIKE '%5678%'") == 0);
}

/* Every refused step leaves state, timeline and outbox as they were. */
static void refused(store *s, const char *r, const char *who, lifecycle_action a, const char *text,
                    sd_code want)
{
    size_t before, after;
    char state[24];
    snprintf(state, sizeof state, "%s", state_of(s, r, &before));
    int outbox = count("SELECT count(*) FROM outbox");
    lifecycle_request req;
    sd_code rc = act(s, r, who, a, text, &req);
    if (rc != want)
        fprintf(stderr, "%s by %s: got %s (%s)\n", lifecycle_action_name(a), who ? who : "system",
                sd_strerror(rc), req.why);
    CHECK(rc == want);
    CHECK(req.why[0] != '\0');
    CHECK_STR(state_of(s, r, &after), state);
    CHECK(after == before);
    CHECK(count("SELECT count(*) FROM outbox") == outbox);
}

static void test_refusals(store *s)
{
    char r[32];
    file(s, "01099998888", r);
    refused(s, r, "lee", LC_APPROVE, NULL, SD_ERR_DENIED);   /* not confirmed */
    refused(s, r, "kim", LC_START, NULL, SD_ERR_DENIED);     /* not assigned */
    refused(s, r, "park", LC_ASSIGN, "park", SD_ERR_DENIED); /* another department */
    refused(s, r, "lee", LC_ASSIGN, "park", SD_ERR_DENIED);  /* officer of another dept */
    refused(s, r, "kim", LC_ASSIGN, "choi", SD_ERR_DENIED);  /* officers take, heads assign */
    refused(s, r, "gone", LC_ASSIGN, "kim", SD_ERR_DENIED);  /* inactive */
    refused(s, r, "nobody", LC_ASSIGN, "kim", SD_ERR_DENIED);
    refused(s, r, NULL, LC_ASSIGN, "kim", SD_ERR_DENIED);     /* the system does not assign */
    refused(s, r, "kim", LC_INTERIM, NULL, SD_ERR_DENIED);    /* staff do not send those */
    CHECK(act(s, r, "kim", LC_ASSIGN, "kim", NULL) == SD_OK); /* an officer takes it */
    refused(s, r, "choi", LC_START, NULL, SD_ERR_DENIED);     /* not in charge */
    CHECK(act(s, r, "kim", LC_START, NULL, NULL) == SD_OK);
    refused(s, r, "kim", LC_ANSWER, NULL, SD_ERR_INVALID); /* no text */
    char longtext[1100];
    memset(longtext, 'a', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    refused(s, r, "kim", LC_ANSWER, longtext, SD_ERR_INVALID);
    CHECK(act(s, r, "kim", LC_ANSWER, "답변", NULL) == SD_OK);
    refused(s, r, "lee", LC_CONFIRM, NULL, SD_ERR_DENIED); /* the officer in charge confirms */
    CHECK(act(s, r, "kim", LC_CONFIRM, NULL, NULL) == SD_OK);
    refused(s, r, "kim", LC_APPROVE, NULL, SD_ERR_DENIED); /* an officer cannot approve */
    refused(s, r, "lee", LC_REJECT, NULL, SD_ERR_INVALID); /* a reason is needed */
    CHECK(act(s, r, "lee", LC_REJECT, "사진을 첨부하세요", NULL) == SD_OK);
    size_t n;
    CHECK_STR(state_of(s, r, &n), "rejected");
    CHECK(act(s, r, "kim", LC_ANSWER, "사진 첨부한 답변", NULL) == SD_OK);
    CHECK(act(s, r, "kim", LC_CONFIRM, NULL, NULL) == SD_OK);
    CHECK(act(s, r, "lee", LC_APPROVE, NULL, NULL) == SD_OK);
    refused(s, r, "lee", LC_APPROVE, NULL, SD_ERR_DENIED);  /* twice */
    refused(s, r, "kim", LC_EXTEND, "늦음", SD_ERR_DENIED); /* closed */
    refused(s, r, "kim", LC_TRANSFER, "roads", SD_ERR_DENIED);
    refused(s, r, "kim", LC_REOPEN, NULL, SD_ERR_INVALID);
    CHECK(act(s, r, "kim", LC_REOPEN, "주민 재문의", NULL) == SD_OK);
    CHECK_STR(state_of(s, r, &n), "reopened");
    refused(s, r, "lee", LC_ASSIGN, NULL, SD_ERR_INVALID); /* who? */
    lifecycle_request req;
    CHECK(act(s, "SG-2026-999999", "lee", LC_START, NULL, &req) == SD_ERR_NOT_FOUND);
    CHECK(strstr(req.why, "SG-2026-999999") != NULL);
}

static void test_transfer(store *s)
{
    char r[32];
    file(s, NULL, r); /* anonymous: nothing to queue */
    int outbox = count("SELECT count(*) FROM outbox");
    CHECK(act(s, r, "lee", LC_ASSIGN, "kim", NULL) == SD_OK);
    refused(s, r, "kim", LC_TRANSFER, "parking", SD_ERR_INVALID); /* already there */
    refused(s, r, "kim", LC_TRANSFER, "nowhere", SD_ERR_INVALID);
    CHECK(act(s, r, "kim", LC_TRANSFER, "roads", NULL) == SD_OK);
    store_complaint c;
    size_t n;
    CHECK(store_complaint_get(s, r, &c, NULL, NULL, 0, &n) == SD_OK);
    CHECK_STR(c.department, "roads");
    CHECK_STR(c.officer, "");
    refused(s, r, "lee", LC_ASSIGN, "kim", SD_ERR_DENIED); /* no longer parking's */
    CHECK(act(s, r, "park", LC_ASSIGN, "park", NULL) == SD_OK);
    CHECK(count("SELECT count(*) FROM outbox") == outbox);
}

static void test_extensions(store *s)
{
    char r[32];
    file(s, "01055554444", r);
    CHECK(act(s, r, "lee", LC_ASSIGN, "kim", NULL) == SD_OK);
    store_complaint c;
    size_t n;
    CHECK(store_complaint_get(s, r, &c, NULL, NULL, 0, &n) == SD_OK);
    time_t due = c.due_at;
    lifecycle_request req = {.action = LC_EXTEND, .text = "현장 확인", .days = 8, .cal = cal};
    CHECK(lifecycle_apply(s, r, "kim", filed, &req) == SD_ERR_INVALID); /* over 7 days */
    req.days = 3;
    CHECK(lifecycle_apply(s, r, "kim", filed, &req) == SD_OK);
    CHECK(store_complaint_get(s, r, &c, NULL, NULL, 0, &n) == SD_OK);
    /* Due Thursday 3 December 18:00; three working days more is Tuesday 8 December. */
    CHECK(c.due_at == due + 5 * DAY);
    CHECK(c.extensions == 1);
    req.days = 2;
    CHECK(lifecycle_apply(s, r, "kim", filed, &req) == SD_ERR_DENIED); /* needs consent */
    req.consent = true;
    CHECK(lifecycle_apply(s, r, "kim", filed, &req) == SD_OK);
    CHECK(lifecycle_apply(s, r, "lee", filed, &req) == SD_ERR_DENIED); /* at most twice */
    store_event ev[16];
    CHECK(store_complaint_get(s, r, &c, NULL, ev, 16, &n) == SD_OK);
    CHECK(n == 4);
    CHECK_STR(ev[2].state, "extended");
    CHECK(ev[2].due_at == due + 5 * DAY);
    CHECK_STR(ev[2].note, "현장 확인");
    CHECK(ev[3].due_at == c.due_at);
    CHECK_STR(c.state, "assigned");
}

static void test_sweep(store *s)
{
    int notices = -1;
    /* Twenty days on, nothing is owed. */
    CHECK(lifecycle_sweep(s, filed + 20 * DAY, &notices) == SD_OK);
    CHECK(notices == 0);
    int open = count("SELECT count(*) FROM complaints WHERE state <> 'approved'");
    CHECK(lifecycle_sweep(s, filed + 31 * DAY, &notices) == SD_OK);
    CHECK(notices == open);
    CHECK(count("SELECT count(*) FROM timeline WHERE state = 'interim'") == open);
    /* Once only. */
    CHECK(lifecycle_sweep(s, filed + 40 * DAY, &notices) == SD_OK);
    CHECK(notices == 0);
}

/* A database written by schema 1 (before staff and the outbox) opens, keeps its complaints, and
 * takes lifecycle steps. */
/* A text longer than its field is read back cut at a whole character, never mid-character. */
static void test_long_text_cut(store *s)
{
    char detail[601] = "", receipt[32];
    for (int i = 0; i < 200; i++)
        strcat(detail, "가"); /* 600 bytes, 3 per character, for a field of 511 */
    store_new_complaint nc = {.category = "illegal_parking",
                              .detail = detail,
                              .lang = "ko",
                              .channel = "text",
                              .filed_at = filed,
                              .due_at = calendar_due(cal, filed, 7)};
    CHECK(store_complaint_file(s, &nc, receipt) == SD_OK);
    store_complaint c;
    size_t n;
    CHECK(store_complaint_get(s, receipt, &c, NULL, NULL, 0, &n) == SD_OK);
    CHECK(strlen(c.detail) == 510);
    CHECK(utf8_valid(c.detail, strlen(c.detail)));
}

/* The site a complaint was filed at is kept, read back, filtered on ("" for none) and listed. */
typedef struct {
    char names[4][128];
    int counts[4];
    int n;
} site_list;

static sd_code add_site(void *ctx, const char *site, int complaints)
{
    site_list *l = ctx;
    if (l->n < 4) {
        snprintf(l->names[l->n], sizeof l->names[0], "%s", site);
        l->counts[l->n++] = complaints;
    }
    return SD_OK;
}

static sd_code count_row(void *ctx, const store_complaint *c, time_t approved_at)
{
    (void)c, (void)approved_at;
    ++*(int *)ctx;
    return SD_OK;
}

static int listed(store *s, const char *site, const char *channel)
{
    int n = 0, total = -1;
    store_staff_query q = {.site = site, .channel = channel};
    CHECK(store_staff_query_run(s, &q, count_row, &n, &total) == SD_OK);
    CHECK(n == total);
    return n;
}

static void test_sites(store *s)
{
    int before = listed(s, NULL, NULL), unsited = listed(s, "", NULL);
    CHECK(before > 0 && unsited == before); /* everything so far was filed with no site */
    char r1[32], r2[32];
    store_new_complaint c = {.category = "illegal_parking",
                             .place = "가정1동 행정복지센터 앞",
                             .detail = "인도를 막은 차",
                             .lang = "ko",
                             .channel = "speaker",
                             .site = "가정1동 행정복지센터",
                             .filed_at = filed,
                             .due_at = calendar_due(cal, filed, 7)};
    CHECK(store_complaint_file(s, &c, r1) == SD_OK);
    c.site = "청라1동 행정복지센터";
    CHECK(store_complaint_file(s, &c, r2) == SD_OK);
    store_complaint got;
    size_t n;
    CHECK(store_complaint_get(s, r1, &got, NULL, NULL, 0, &n) == SD_OK);
    CHECK_STR(got.site, "가정1동 행정복지센터");
    CHECK_STR(got.channel, "speaker");
    CHECK(listed(s, "가정1동 행정복지센터", NULL) == 1);
    CHECK(listed(s, "가정1동 행정복지센터", "speaker") == 1);
    CHECK(listed(s, "가정1동 행정복지센터", "text") == 0);
    CHECK(listed(s, "가정1동", NULL) == 0); /* a site is matched whole */
    CHECK(listed(s, "", NULL) == unsited);
    CHECK(listed(s, NULL, NULL) == before + 2);
    site_list l = {0};
    CHECK(store_site_each(s, add_site, &l) == SD_OK);
    CHECK(l.n == 3);
    CHECK_STR(l.names[0], "");
    CHECK(l.counts[0] == unsited);
    CHECK_STR(l.names[1], "가정1동 행정복지센터");
    CHECK(l.counts[1] == 1);
    CHECK_STR(l.names[2], "청라1동 행정복지센터");
}

/* Look-ups on read connections while the complaint moves along: each sees a whole step (the
 * state and its timeline event together), never an older one than before, and the last step
 * as soon as it is written. */
typedef struct {
    store *s;
    const char *receipt;
    int failures;
} reader_job;

static void *look_up_repeatedly(void *arg)
{
    reader_job *job = arg;
    size_t seen = 0;
    for (int i = 0; i < 300; i++) {
        store_complaint c;
        store_event ev[16];
        size_t n = 0;
        if (store_complaint_get(job->s, job->receipt, &c, NULL, ev, 16, &n) != SD_OK || n < seen ||
            n == 0 || strcmp(ev[n - 1].state, c.state) != 0)
            job->failures++;
        seen = n;
    }
    return NULL;
}

static void test_readers(store *s)
{
    char err[256], r[32];
    CHECK(store_add_readers(s, STORE_MAX_READERS + 1, err, sizeof err) == SD_ERR_INVALID);
    CHECK(store_add_readers(s, 2, err, sizeof err) == SD_OK);
    file(s, "01055556666", r);
    reader_job jobs[3] = {{s, r, 0}, {s, r, 0}, {s, r, 0}};
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, look_up_repeatedly, &jobs[i]);
    CHECK(act(s, r, "lee", LC_ASSIGN, "kim", NULL) == SD_OK);
    CHECK(act(s, r, "kim", LC_START, NULL, NULL) == SD_OK);
    CHECK(act(s, r, "kim", LC_ANSWER, "치웠습니다.", NULL) == SD_OK);
    store_complaint c;
    size_t n;
    CHECK(store_complaint_get(s, r, &c, NULL, NULL, 0, &n) == SD_OK);
    CHECK_STR(c.state, "answered");
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        CHECK(jobs[i].failures == 0);
    }
}

static void test_upgrade_from_schema_1(void)
{
    if (check_store_pg()) {
        check_store_skip("the upgrade of a SQLite file of schema 1");
        return;
    }
    const char *path = "test_lifecycle_v1.db";
    check_remove_db(path);
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(
        sqlite3_exec(
            db,
            "CREATE TABLE departments(code TEXT PRIMARY KEY, name_ko TEXT NOT NULL,"
            " name_en TEXT NOT NULL, phone TEXT NOT NULL);"
            "CREATE TABLE categories(code TEXT PRIMARY KEY, department TEXT NOT NULL"
            " REFERENCES departments(code), complaint_type TEXT NOT NULL, name_ko TEXT NOT NULL,"
            " name_en TEXT NOT NULL);"
            "CREATE TABLE complaints(id INTEGER PRIMARY KEY, receipt TEXT NOT NULL UNIQUE,"
            " category TEXT NOT NULL REFERENCES categories(code), place TEXT, detail TEXT NOT NULL,"
            " phone TEXT, lang TEXT NOT NULL, channel TEXT NOT NULL, complaint_type TEXT NOT NULL,"
            " department TEXT NOT NULL, state TEXT NOT NULL, filed_at INTEGER NOT NULL,"
            " due_at INTEGER NOT NULL);"
            "CREATE TABLE timeline(id INTEGER PRIMARY KEY, complaint_id INTEGER NOT NULL"
            " REFERENCES complaints(id), at INTEGER NOT NULL, state TEXT NOT NULL, actor TEXT NOT"
            " NULL, department TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');"
            "INSERT INTO departments VALUES('parking', '주차관리과', 'Parking', '032');"
            "INSERT INTO categories VALUES('illegal_parking', 'parking', 'grievance', 'a', 'b');"
            "INSERT INTO complaints VALUES(1, 'SG-2025-000001', 'illegal_parking', NULL, 'x',"
            " '01011112222', 'ko', 'text', 'grievance', 'parking', 'received', 1, 2);"
            "INSERT INTO timeline VALUES(1, 1, 1, 'received', 'text', 'parking', '');"
            "PRAGMA user_version = 1;",
            NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    store *s = NULL;
    char err[512];
    CHECK(store_open(path, &s, err, sizeof err) == SD_OK);
    if (!s)
        return;
    store_staff lee = {"lee", "이과장", "parking", "head", true};
    CHECK(store_staff_put(s, &lee) == SD_OK);
    lifecycle_request req = {.action = LC_ASSIGN, .officer = "lee", .cal = cal};
    CHECK(lifecycle_apply(s, "SG-2025-000001", "lee", 100, &req) == SD_OK);
    store_complaint c;
    store_event ev[4];
    size_t n;
    CHECK(store_complaint_get(s, "SG-2025-000001", &c, NULL, ev, 4, &n) == SD_OK);
    CHECK(n == 2 && ev[0].due_at == 0 && ev[1].due_at == 2);
    CHECK_STR(c.officer, "lee");
    CHECK_STR(c.site, ""); /* a complaint from before sites were kept: filed at none */
    store_close(s);
    check_remove_db(path);
}

int main(void)
{
    char err[512];
    CHECK(calendar_load(SEODONG_SOURCE_DIR "/data/holidays.tsv", &cal, err, sizeof err) == SD_OK);
    check_store_remove(DB);
    store *s = check_store_open(DB);
    if (!s || !cal)
        CHECK_DONE();
    setup(s);
    store_staff bad = {"x", "X", "parking", "boss", true};
    CHECK(store_staff_put(s, &bad) == SD_ERR_INVALID);
    store_staff nodept = {"y", "Y", "nowhere", "officer", true};
    CHECK(store_staff_put(s, &nodept) == SD_ERR_INVALID);
    test_whole_path(s);
    test_refusals(s);
    test_transfer(s);
    test_extensions(s);
    test_sweep(s);
    test_long_text_cut(s);
    test_sites(s);
    test_readers(s);
    test_upgrade_from_schema_1();
    store_close(s);
    calendar_free(cal);
    check_store_remove(DB);
    CHECK_DONE();
}

/* test_kbimport.c - importing the knowledge base from the files a clerk edits, on a real SQLite
 * file (or the PostgreSQL database of SEODONG_TEST_DB): CSV with a byte order mark, Korean and
 * English, quoted commas, quotes and line breaks and " | " lists; columns in any order; every
 * refusal (with its code, the file and the row named, and the previous knowledge base left as it
 * was); the checks JSON shares; and export to CSV and import again giving back exactly the rows of
 * the bundled data/kb.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_store.h"
#include "kb_import.h"
#include "strbuf.h"

static char db_path[64], csv_path[64], json_path[64], csv2_path[64];

static store *open_store(void)
{
    return check_store_open(db_path);
}

static void remove_files(void)
{
    const char *paths[] = {csv_path, json_path, csv2_path};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        unlink(paths[i]);
    check_store_remove(db_path);
}

/* A BOM as Excel writes it; CRLF line ends; a list cell with a line break, one with " | ";
 * commas and doubled quotes inside quoted cells; a blank line and an all-empty row skipped. */
static const char good_csv[] =
    "\xEF\xBB\xBFid,lang,topic,department,title,questions,answer,keywords\r\n"
    "food-waste,ko,environment,clean,음식물 쓰레기 배출,\"음식물 쓰레기 언제 버려요?\n"
    "음식물 쓰레기 배출 시간\",저녁 8시부터 자정까지 전용 용기에 내놓으세요.,음식물 | 배출시간\r\n"
    "food-waste,en,environment,clean,\"Food waste, collection times\","
    "\"When do I put out food waste? | food waste collection time\","
    "\"Put it out between 8 p.m. and midnight, in the food waste bin.\",\"food waste\nbin\"\r\n"
    "\r\n"
    ",,,,,,,\r\n"
    "resident-parking,ko,traffic,parking,\"거주자 우선주차, 신청\",거주자 우선주차 신청 어떻게 "
    "해요?,"
    "\"주차관리과에 신청하세요. \"\"거주자 우선주차\"\"는 분기마다 "
    "모집합니다.\",거주자우선주차\r\n";

typedef struct {
    const char *key, *lang;
    char title[256], questions[512], answer[512], keywords[256];
    int found;
} row_probe;

static sd_code probe_row(void *ctx, const store_kb_entry *e)
{
    row_probe *p = ctx;
    if (strcmp(e->key, p->key) != 0 || strcmp(e->lang, p->lang) != 0)
        return SD_OK;
    p->found++;
    snprintf(p->title, sizeof p->title, "%s", e->title);
    snprintf(p->questions, sizeof p->questions, "%s", e->questions);
    snprintf(p->answer, sizeof p->answer, "%s", e->answer);
    snprintf(p->keywords, sizeof p->keywords, "%s", e->keywords);
    return SD_OK;
}

static row_probe find_row(store *s, const char *key, const char *lang)
{
    row_probe p = {.key = key, .lang = lang};
    CHECK(store_kb_each(s, probe_row, &p) == SD_OK);
    CHECK(p.found == 1);
    return p;
}

/* The good file's entries answer. */
static void check_good_entries(store *s)
{
    store_kb_hit hit;
    CHECK(store_kb_search(s, "ko", "음식물 쓰레기 언제 버려요", 0, &hit) == SD_OK);
    CHECK_STR(hit.key, "food-waste");
    CHECK(store_kb_search(s, "en", "when do I put out food waste", 0, &hit) == SD_OK);
    CHECK_STR(hit.key, "food-waste");
    CHECK_STR(hit.answer, "Put it out between 8 p.m. and midnight, in the food waste bin.");
    CHECK(store_kb_search(s, "ko", "거주자 우선주차 신청", 0, &hit) == SD_OK);
    CHECK_STR(hit.key, "resident-parking");
    CHECK_STR(hit.answer, "주차관리과에 신청하세요. \"거주자 우선주차\"는 분기마다 모집합니다.");
}

static void test_csv_import(void)
{
    store *s = open_store();
    check_write_file(csv_path, good_csv);
    size_t count = 0;
    char err[512] = "";
    CHECK(kb_import_file(s, csv_path, &count, err, sizeof err) == SD_OK);
    CHECK(count == 3);
    check_good_entries(s);
    row_probe ko = find_row(s, "food-waste", "ko");
    CHECK_STR(ko.questions, "음식물 쓰레기 언제 버려요?\n음식물 쓰레기 배출 시간");
    CHECK_STR(ko.keywords, "음식물\n배출시간");
    row_probe en = find_row(s, "food-waste", "en");
    CHECK_STR(en.title, "Food waste, collection times");
    CHECK_STR(en.questions, "When do I put out food waste?\nfood waste collection time");
    CHECK_STR(en.keywords, "food waste\nbin");
    CHECK_STR(find_row(s, "resident-parking", "ko").title, "거주자 우선주차, 신청");
    store_close(s);
    remove_files();
}

static void test_column_order(void)
{
    store *s = open_store();
    check_write_file(csv_path,
                     "keywords,answer,questions,title,department,topic,lang,id\n"
                     "수거,\"월, 수, 금요일에 수거합니다.\",재활용 언제 수거해요?,재활용 수거 요일,"
                     "clean,environment,ko,recycling-days\n");
    size_t count = 0;
    char err[512] = "";
    CHECK(kb_import_file(s, csv_path, &count, err, sizeof err) == SD_OK);
    CHECK(count == 1);
    store_kb_hit hit;
    CHECK(store_kb_search(s, "ko", "재활용 언제 수거해요", 0, &hit) == SD_OK);
    CHECK_STR(hit.key, "recycling-days");
    CHECK_STR(hit.title, "재활용 수거 요일");
    CHECK_STR(hit.topic, "environment");
    CHECK_STR(hit.department, "clean");
    CHECK_STR(hit.answer, "월, 수, 금요일에 수거합니다.");
    store_close(s);
    remove_files();
}

typedef struct {
    const char *name;
    const char *text;
    sd_code code;
    const char *message; /* part of the error */
} bad_file;

#define HEADER "id,lang,topic,department,title,questions,answer,keywords\n"
#define GOOD_ROW "x,ko,general,civil,제목,질문,답변,키워드\n"

static const bad_file bad_files[] = {
    {"unknown column", "id,lang,topic,department,title,questions,answer,keywords,notes\n" GOOD_ROW,
     SD_ERR_PARSE, ": row 1: unknown column 'notes'; the first row must name the columns id, lang"},
    {"missing column",
     "id,lang,topic,department,title,questions,answer\nx,ko,general,civil,T,Q,A\n", SD_ERR_PARSE,
     ": row 1: missing column 'keywords'"},
    {"repeated column", "id,lang,topic,department,title,title,answer,keywords\n", SD_ERR_PARSE,
     ": row 1: column 'title' appears twice"},
    {"bad topic", HEADER GOOD_ROW "y,ko,parkng,civil,제목,질문,답변,키워드\n", SD_ERR_PARSE,
     ": row 3: topic 'parkng' is not one of general, complaints, traffic, environment"},
    {"bad lang", HEADER "y,jp,general,civil,T,Q,A,K\n", SD_ERR_PARSE,
     ": row 2: lang 'jp' is not ko or en"},
    {"empty answer", HEADER "y,en,general,civil,T,Q,,K\n", SD_ERR_PARSE,
     ": row 2: answer is empty"},
    {"empty id", HEADER ",en,general,civil,T,Q,A,K\n", SD_ERR_PARSE, ": row 2: id is empty"},
    {"repeated id", HEADER GOOD_ROW GOOD_ROW, SD_ERR_PARSE,
     ": row 3: id 'x' already has a ko row earlier in the file"},
    {"missing cells", HEADER "y,en,general,civil,T\n", SD_ERR_PARSE,
     ": row 2: 5 cells, but the header names 8 columns"},
    {"extra cells", HEADER "y,en,general,civil,T,Q,A,K,Z\n", SD_ERR_PARSE,
     ": row 2: more cells than the header's 8 columns"},
    {"broken quote", HEADER "y,en,general,civil,\"T\"x,Q,A,K\n", SD_ERR_PARSE,
     ": row 2: a quote mark is out of place"},
    {"quote in a bare cell", HEADER "y,en,general,civil,T\"x,Q,A,K\n", SD_ERR_PARSE,
     ": row 2: a quote mark is out of place"},
    {"unclosed quote", HEADER GOOD_ROW "y,en,general,civil,\"T,Q,A,K\n", SD_ERR_PARSE,
     ": row 3: a quoted cell is never closed"},
    /* A cell with a line break: the row and the line differ from then on. */
    {"row and line",
     HEADER "x,ko,general,civil,제목,\"질문 하나\n질문 둘\",답변,키워드\n"
            "y,ko,general,civil,제목,질문,,키워드\n",
     SD_ERR_PARSE, ": row 3 (line 4): answer is empty"},
    {"invalid UTF-8", HEADER "y,ko,general,civil,\xC1\xBF\xB8\xF1,Q,A,K\n", SD_ERR_PARSE,
     ": row 2: the title cell is not UTF-8 text; save the file as \"CSV UTF-8\""},
    {"invalid UTF-8 header", "id,lang,topic,department,ti\xFFtle,questions,answer,keywords\n",
     SD_ERR_PARSE, ": row 1: the header is not UTF-8 text"},
    {"empty file", "", SD_ERR_PARSE, ": the file is empty; its first row must name the columns"},
    {"blank lines only", "\xEF\xBB\xBF\r\n\r\n", SD_ERR_PARSE, ": the file is empty"},
    {"header only", "\xEF\xBB\xBF" HEADER, SD_ERR_PARSE, ": holds no entries"},
};

/* Every bad file is refused with its code, the file and row named, and the good entries kept. */
static void test_csv_refusals(void)
{
    store *s = open_store();
    for (size_t i = 0; i < sizeof bad_files / sizeof *bad_files; i++) {
        const bad_file *b = &bad_files[i];
        size_t count = 99;
        char err[512] = "";
        check_write_file(csv_path, good_csv);
        CHECK(kb_import_file(s, csv_path, &count, err, sizeof err) == SD_OK);
        check_write_file(csv_path, b->text);
        sd_code rc = kb_import_file(s, csv_path, &count, err, sizeof err);
        if (rc != b->code || !strstr(err, b->message) || strncmp(err, csv_path, strlen(csv_path)))
            fprintf(stderr, "%s: got %d \"%s\", want %d \"%s\"\n", b->name, rc, err, b->code,
                    b->message);
        CHECK(rc == b->code);
        CHECK(strncmp(err, csv_path, strlen(csv_path)) == 0);
        CHECK(strstr(err, b->message) != NULL);
        CHECK(count == 0);
        check_good_entries(s);
    }
    store_close(s);
    remove_files();
}

/* Other extensions and missing files, and the JSON reader applying the same checks. */
static void test_other_refusals(void)
{
    store *s = open_store();
    size_t count;
    char err[512] = "";
    check_write_file(csv_path, good_csv);
    CHECK(kb_import_file(s, csv_path, &count, err, sizeof err) == SD_OK);
    CHECK(kb_import_file(s, "/tmp/kb.txt", &count, err, sizeof err) == SD_ERR_INVALID);
    CHECK(strstr(err, "a .csv or a .json file") != NULL);
    CHECK(kb_import_file(s, "/nonexistent/kb.csv", &count, err, sizeof err) == SD_ERR_IO);
    CHECK(strstr(err, "/nonexistent/kb.csv") != NULL);
    check_write_file(
        json_path, "{\"entries\":[{\"id\":\"x\",\"topic\":\"parkng\",\"department\":\"civil\","
                   "\"ko\":{\"title\":\"T\",\"questions\":[],\"answer\":\"A\",\"keywords\":[]},"
                   "\"en\":{\"title\":\"T\",\"questions\":[],\"answer\":\"A\",\"keywords\":[]}}]}");
    CHECK(kb_import_file(s, json_path, &count, err, sizeof err) == SD_ERR_PARSE);
    CHECK(strstr(err, ": entry 1 (x), \"ko\": topic 'parkng' is not one of general, complaints, "
                      "traffic, environment") != NULL);
    check_write_file(json_path, "{\"entries\":[]}");
    CHECK(kb_import_file(s, json_path, &count, err, sizeof err) == SD_ERR_PARSE);
    CHECK(strstr(err, "holds no entries") != NULL);
    CHECK(kb_export_file(s, json_path, &count, err, sizeof err) == SD_ERR_INVALID);
    CHECK(strstr(err, "ending in .csv") != NULL);
    check_good_entries(s);
    store_close(s);
    remove_files();
}

static sd_code dump_row(void *ctx, const store_kb_entry *e)
{
    const char *fields[] = {e->key,   e->lang,      e->topic,  e->department,
                            e->title, e->questions, e->answer, e->keywords};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        strbuf_puts(ctx, fields[i]);
        strbuf_puts(ctx, "\x1f");
    }
    strbuf_puts(ctx, "\x1e");
    return SD_OK;
}

static char *dump_kb(store *s)
{
    strbuf sb;
    strbuf_init(&sb);
    CHECK(store_kb_each(s, dump_row, &sb) == SD_OK);
    return strbuf_detach(&sb);
}

static char *read_file(const char *path)
{
    strbuf sb;
    strbuf_init(&sb);
    FILE *f = fopen(path, "rb");
    char block[4096];
    size_t n;
    while (f && (n = fread(block, 1, sizeof block, f)) > 0)
        strbuf_append(&sb, block, n);
    if (f)
        fclose(f);
    return strbuf_detach(&sb);
}

/* The bundled data: JSON in, CSV out, CSV in gives the same rows; a second export, the same
 * bytes. */
static void test_round_trip(void)
{
    store *s = open_store();
    size_t count = 0, exported = 0;
    char err[512] = "";
    CHECK(kb_import_file(s, SEODONG_SOURCE_DIR "/data/kb.json", &count, err, sizeof err) == SD_OK);
    CHECK(count == 386);
    char *before = dump_kb(s);
    CHECK(kb_export_file(s, csv_path, &exported, err, sizeof err) == SD_OK);
    CHECK(exported == count);
    CHECK(kb_import_file(s, csv_path, &count, err, sizeof err) == SD_OK);
    CHECK(count == exported);
    char *after = dump_kb(s);
    CHECK(before && after && strlen(before) > 100000 && strcmp(before, after) == 0);
    CHECK(kb_export_file(s, csv2_path, &exported, err, sizeof err) == SD_OK);
    char *first = read_file(csv_path), *second = read_file(csv2_path);
    CHECK(first && strncmp(first, "\xEF\xBB\xBF\"id\",\"lang\",\"topic\"", 21) == 0);
    CHECK(first && second && strcmp(first, second) == 0);
    free(before);
    free(after);
    free(first);
    free(second);
    store_close(s);
    remove_files();
}

int main(void)
{
    int pid = (int)getpid();
    snprintf(db_path, sizeof db_path, "/tmp/seodong-kbimport-%d.db", pid);
    snprintf(csv_path, sizeof csv_path, "/tmp/seodong-kbimport-%d.csv", pid);
    snprintf(csv2_path, sizeof csv2_path, "/tmp/seodong-kbimport-%d-2.csv", pid);
    snprintf(json_path, sizeof json_path, "/tmp/seodong-kbimport-%d.json", pid);
    test_csv_import();
    test_column_order();
    test_csv_refusals();
    test_other_refusals();
    test_round_trip();
    CHECK_DONE();
}

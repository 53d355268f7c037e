/* The learned model as a file: trained in the process from a handful of lines, saved, loaded
 * and applied; the same lines always give the same bytes; and a model file that is missing,
 * empty, cut short, damaged, not a model or of another format version is refused with a
 * message that names the file and what to run, by classifier_load and by engine_open, never a
 * crash or a wrong answer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classifier.h"
#include "engine.h"

#define BITS 12

static const struct {
    const char *text, *lang, *intent, *category, *department;
} lines[] = {
    {"가로등이 꺼졌어요", "ko", "complaint.file", "streetlight", "roads"},
    {"가로등 불이 안 들어와요", "ko", "complaint.file", "streetlight", "roads"},
    {"골목 가로등 고장", "ko", "complaint.file", "streetlight", "roads"},
    {"공원 나무가 쓰러졌어요", "ko", "complaint.file", "other", "parks"},
    {"공원 벤치가 부서졌어요", "ko", "complaint.file", "other", "parks"},
    {"놀이터 그네가 망가졌어요", "ko", "complaint.file", "other", "parks"},
    {"안녕 반가워", "ko", "smalltalk", "", ""},
    {"오늘 기분 좋아", "ko", "smalltalk", "", ""},
    {"심심해 놀아줘", "ko", "smalltalk", "", ""},
    {"the streetlight is out", "en", "complaint.file", "streetlight", "roads"},
    {"hello there friend", "en", "smalltalk", "", ""},
    {"how are you today", "en", "smalltalk", "", ""},
};

static classifier *train_small(void)
{
    classifier_examples *x = classifier_examples_new(BITS);
    CHECK(x != NULL);
    if (!x)
        return NULL;
    feature_vec *f = malloc(sizeof *f);
    for (size_t i = 0; f && i < sizeof lines / sizeof lines[0]; i++) {
        features_of(lines[i].text, lines[i].lang, NULL, BITS, f);
        CHECK(classifier_examples_add(x, f, lines[i].intent, lines[i].category,
                                      lines[i].department) == SD_OK);
    }
    /* no label at all is refused */
    if (f)
        CHECK(classifier_examples_add(x, f, "", NULL, NULL) == SD_ERR_INVALID);
    free(f);
    classifier_options o;
    classifier_default_options(&o);
    classifier *c = NULL;
    char err[256] = "";
    CHECK(classifier_train(x, NULL, &o, &c, err, sizeof err) == SD_OK);
    classifier_examples_free(x);
    return c;
}

static const char *best(const classifier *c, const char *text, const char *lang,
                        classifier_decision d)
{
    feature_vec *f = malloc(sizeof *f);
    if (!f)
        return "";
    features_of(text, lang, NULL, classifier_bits(c), f);
    classifier_result r;
    classifier_predict(c, f, &r);
    free(f);
    double sum = 0;
    for (size_t k = 0; k < classifier_class_count(c, d); k++)
        sum += r.d[d].p[k];
    CHECK(sum > 0.999 && sum < 1.001);
    return classifier_class_name(c, d, r.d[d].best);
}

static void test_train_and_apply(const char *path)
{
    classifier *c = train_small();
    if (!c)
        return;
    char err[512] = "";
    CHECK(classifier_save(c, path, err, sizeof err) == SD_OK);
    classifier *loaded = NULL;
    CHECK(classifier_load(path, &loaded, err, sizeof err) == SD_OK);
    if (loaded) {
        CHECK(classifier_bits(loaded) == BITS);
        CHECK_STR(best(loaded, "가로등이 고장났어요", "ko", CLASSIFIER_INTENT), "complaint.file");
        CHECK_STR(best(loaded, "가로등이 고장났어요", "ko", CLASSIFIER_CATEGORY), "streetlight");
        CHECK_STR(best(loaded, "공원 나무 가지가 부러졌어요", "ko", CLASSIFIER_DEPARTMENT),
                  "parks");
        CHECK_STR(best(loaded, "반가워 안녕", "ko", CLASSIFIER_INTENT), "smalltalk");
        CHECK(classifier_class_find(loaded, CLASSIFIER_INTENT, "smalltalk") != (size_t)-1);
        CHECK(classifier_class_find(loaded, CLASSIFIER_INTENT, "weather") == (size_t)-1);
    }
    /* the same lines give the same model, byte for byte */
    classifier *again = train_small();
    char path2[4200];
    snprintf(path2, sizeof path2, "%s.again", path);
    if (again) {
        CHECK(classifier_save(again, path2, err, sizeof err) == SD_OK);
        CHECK(classifier_size(again) == classifier_size(c));
    }
    FILE *a = fopen(path, "rb"), *b = fopen(path2, "rb");
    CHECK(a && b);
    int ca = 0, cb = 0;
    while (a && b && (ca = fgetc(a)) == (cb = fgetc(b)) && ca != EOF)
        ;
    CHECK(ca == EOF && cb == EOF);
    if (a)
        fclose(a);
    if (b)
        fclose(b);
    unlink(path2);
    classifier_free(again);
    classifier_free(loaded);
    classifier_free(c);
}

static unsigned char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(*n ? *n : 1);
    CHECK(p && fread(p, 1, *n, f) == *n);
    fclose(f);
    return p;
}

static void write_bytes(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK(fwrite(p, 1, n, f) == n);
        fclose(f);
    }
}

/* Loading path fails with rc, and the message names the file and says what. */
static void refused(const char *path, sd_code rc, const char *says)
{
    classifier *c = (classifier *)1;
    char err[512] = "";
    sd_code got = classifier_load(path, &c, err, sizeof err);
    if (got != rc || !strstr(err, says) || !strstr(err, path))
        fprintf(stderr, "%s: got %d '%s', want %d '%s'\n", path, got, err, rc, says);
    CHECK(got == rc);
    CHECK(c == NULL);
    CHECK(strstr(err, path) != NULL);
    CHECK(strstr(err, says) != NULL);
    CHECK(strstr(err, "seodong train") != NULL);
}

static void test_bad_files(const char *good)
{
    size_t n = 0;
    unsigned char *p = read_all(good, &n);
    if (!p)
        return;
    char path[4200];
    snprintf(path, sizeof path, "%s.bad", good);

    unlink(path);
    refused(path, SD_ERR_NOT_FOUND, "No such file");

    write_bytes(path, p, 0);
    refused(path, SD_ERR_PARSE, "empty");

    for (size_t cut = 1; cut < n; cut = cut * 3 + 7) { /* cut short anywhere */
        write_bytes(path, p, cut);
        refused(path, SD_ERR_PARSE, cut < 16 ? "not a Seodong model" : "cut short");
    }
    write_bytes(path, p, n - 1);
    refused(path, SD_ERR_PARSE, "cut short");

    unsigned char *q = malloc(n + 4);
    if (q) {
        memcpy(q, p, n); /* a weight changed: the checksum catches it */
        q[n / 2] ^= 0x40;
        write_bytes(path, q, n);
        refused(path, SD_ERR_PARSE, "checksum");

        memcpy(q, p, n); /* another format version */
        q[16] += 1;
        write_bytes(path, q, n);
        refused(path, SD_ERR_PARSE, "format");

        memcpy(q, p, n); /* features of another version */
        q[20] += 1;
        write_bytes(path, q, n);
        refused(path, SD_ERR_PARSE, "features version");

        memcpy(q, p, n); /* bytes after the end */
        memset(q + n, 0, 4);
        write_bytes(path, q, n + 4);
        refused(path, SD_ERR_PARSE, "model file");

        memcpy(q, "GIF89a", 6); /* not a model at all */
        write_bytes(path, q, n);
        refused(path, SD_ERR_PARSE, "not a Seodong model");
        free(q);
    }

    /* the engine refuses to start on it, and says why */
    unlink(path);
    char db[] = "/tmp/seodong-classifier-db-XXXXXX";
    int fd = mkstemp(db);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    engine_config cfg = {.db_path = db, .model_path = path};
    engine *e = (engine *)1;
    char err[512] = "";
    CHECK(engine_open(&cfg, &e, err, sizeof err) == SD_ERR_NOT_FOUND);
    CHECK(e == NULL);
    CHECK(strstr(err, path) != NULL && strstr(err, "seodong train") != NULL);
    write_bytes(path, p, n / 3);
    CHECK(engine_open(&cfg, &e, err, sizeof err) == SD_ERR_PARSE);
    CHECK(strstr(err, "cut short") != NULL);
    check_remove_db(db);
    unlink(path);
    free(p);
}

int main(void)
{
    char path[] = "/tmp/seodong-classifier-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    test_train_and_apply(path);
    test_bad_files(path);
    unlink(path);
    CHECK_DONE();
}

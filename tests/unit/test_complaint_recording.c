/* test_complaint_recording.c - the recording kept with a complaint filed by voice: the turns of
 * a real filing (the dialogue engine, in Korean) are kept with silences between them and
 * written to DIR/RECEIPT.wav when the last turn files it; a turn outside a filing is not kept;
 * a folder that cannot be made is an error that names the file, and the complaint stands. */
#include <stdlib.h>

#include "audiofile.h"
#include "check.h"
#include "check_engine.h"
#include "complaint_recording.h"

#define RATE 16000
#define GAP (RATE / 4)

static engine *e;

/* One spoken turn: text to the session, n samples of a tone as its audio. */
static sd_code turn(complaint_recording *r, session *s, const char *text, size_t n, char *saved)
{
    strbuf reply;
    strbuf_init(&reply);
    CHECK(session_turn(s, text, strlen(text), &reply) == SD_OK);
    strbuf_free(&reply);
    int16_t *audio = calloc(n ? n : 1, sizeof *audio);
    for (size_t i = 0; i < n; i++)
        audio[i] = (int16_t)(i % 50 * 200);
    char err[256] = "";
    sd_code rc = complaint_recording_track(r, s, audio, n, saved, 1100, err, sizeof err);
    free(audio);
    return rc;
}

static void test_filing_is_recorded(const char *dir)
{
    complaint_recording *r = NULL;
    CHECK(complaint_recording_new(dir, RATE, &r) == SD_OK);
    session *s = session_new(e, "speaker", "ko");
    char saved[1100];
    CHECK(turn(r, s, "몇 시야", RATE, saved) == SD_OK && !saved[0]); /* not a filing */
    CHECK(turn(r, s, "청라동 공원 앞에 불법 주차 신고할게요", RATE, saved) == SD_OK && !saved[0]);
    CHECK(turn(r, s, "흰색 SUV가 인도를 막고 있어요 010-1234-5678", 2 * RATE, saved) == SD_OK);
    CHECK(!saved[0]);
    CHECK(turn(r, s, "네", RATE / 2, saved) == SD_OK);
    const char *receipt = session_filed(s);
    CHECK(receipt != NULL);
    char want[1200];
    snprintf(want, sizeof want, "%s/%s.wav", dir, receipt ? receipt : "");
    CHECK_STR(saved, want);
    int16_t *pcm = NULL;
    size_t n = 0;
    char err[256];
    CHECK(audiofile_read_all(saved, RATE, &pcm, &n, 60, err, sizeof err) == SD_OK);
    CHECK(n == RATE + 2 * RATE + RATE / 2 + 3 * GAP); /* the three turns of the filing */
    free(pcm);
    remove(saved);
    session_free(s);
    complaint_recording_free(r);
}

static void test_unwritable_folder(void)
{
    complaint_recording *r = NULL;
    CHECK(complaint_recording_new("/proc/no-such/dir", RATE, &r) == SD_OK);
    session *s = session_new(e, "speaker", "ko");
    char saved[1100];
    CHECK(turn(r, s, "청라동 공원 앞에 불법 주차 신고할게요", RATE, saved) == SD_OK);
    CHECK(turn(r, s, "흰색 SUV가 인도를 막고 있어요 010-1234-5678", RATE, saved) == SD_OK);
    CHECK(turn(r, s, "네", RATE, saved) == SD_ERR_IO);
    CHECK(session_filed(s) != NULL && !saved[0]);
    session_free(s);
    complaint_recording_free(r);
    CHECK(complaint_recording_new("/tmp", 10, &r) == SD_ERR_INVALID);
}

int main(void)
{
    char db[] = "/tmp/seodong-recording-XXXXXX";
    if (!(e = check_open_engine(db, NULL, NULL)))
        return 1;
    char dir[1100];
    snprintf(dir, sizeof dir, "%s.recordings", db);
    test_filing_is_recorded(dir);
    test_unwritable_folder();
    rmdir(dir);
    engine_close(e);
    check_remove_db(db);
    CHECK_DONE();
}

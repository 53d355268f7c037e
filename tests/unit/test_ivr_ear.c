/* test_ivr_ear.c - a call's listening side without SIP, at 8 kHz as G.711 carries it: a question
 * after a long quiet is heard and recognised, and its recording begins with the quiet that led
 * into it (the frames held back from the recogniser while the line was quiet reach it before the
 * speech); speech under the level gate is never an utterance; a silent line never is either. */
#include <stdlib.h>

#include "audiofile.h"
#include "check.h"
#include "check_engine.h"
#include "ivr_ear.h"

#define RATE 8000
#define FRAME 160 /* 20 ms */

static char tmp[] = "/tmp/seodong-ivr-ear-XXXXXX";

typedef struct {
    int16_t *pcm;
    size_t n;
} audio;

/* flite saying text at 8 kHz, scaled by gain. */
static audio speak(const char *text, double gain)
{
    char cmd[1024], wav[300], err[256];
    snprintf(wav, sizeof wav, "%s/speech.wav", tmp);
    snprintf(cmd, sizeof cmd, "flite -voice slt -t \"%s\" -o %s", text, wav);
    CHECK(system(cmd) == 0);
    audio a = {0};
    CHECK(audiofile_read_all(wav, RATE, &a.pcm, &a.n, 30, err, sizeof err) == SD_OK);
    for (size_t i = 0; i < a.n; i++)
        a.pcm[i] = (int16_t)(a.pcm[i] * gain);
    return a;
}

typedef struct {
    bool utterance; /* an utterance ended */
    size_t at;      /* samples fed when it did */
} heard;

/* Feeds quiet_s of silence, the speech, then tail_s of silence, frame by frame with nothing
 * played; stops at the first utterance. */
static heard feed(ivr_ear *ear, double quiet_s, const audio *speech, double tail_s)
{
    size_t quiet = (size_t)(quiet_s * RATE), tail = (size_t)(tail_s * RATE);
    size_t total = quiet + speech->n + tail;
    int16_t frame[FRAME], played[FRAME] = {0};
    heard h = {0};
    for (size_t at = 0; at + FRAME <= total && !h.utterance; at += FRAME) {
        for (size_t k = 0; k < FRAME; k++) {
            size_t i = at + k;
            frame[k] = i >= quiet && i < quiet + speech->n ? speech->pcm[i - quiet] : 0;
        }
        ivr_ear_event ev;
        CHECK(ivr_ear_frame(ear, frame, played, &ev) == SD_OK);
        h.utterance = ev.utterance;
        h.at = at + FRAME;
    }
    return h;
}

static void check_question_after_quiet(recognizer *rec, const audio *question)
{
    ivr_ear *ear = NULL;
    CHECK(ivr_ear_new(RATE, rec, &ear) == SD_OK);
    if (!ear)
        return;
    CHECK(ivr_ear_listen(ear, ASR_COMMAND) == SD_OK);
    heard h = feed(ear, 6.0, question, 2.0);
    CHECK(h.utterance && h.at > 6 * RATE + question->n / 2);
    CHECK(ivr_ear_confirmed(ear));
    asr_result res;
    CHECK(ivr_ear_result(ear, &res) == SD_OK);
    printf("after 6 s of quiet: \"%s\" (%.2f)\n", res.text, res.confidence);
    CHECK_STR(res.text, "what time is it");
    CHECK(res.confidence > 0);
    /* The recording (16 kHz) holds the question and, before it, quiet the recogniser was
     * given only when the question began: at least 200 ms of it. */
    size_t n = 0;
    const int16_t *rec16 = ivr_ear_utterance(ear, &n);
    size_t lead = 0;
    while (lead < n && abs(rec16[lead]) < 64)
        lead++;
    printf("recording: %.2f s, %.2f s quiet before the speech\n", n / 16000.0, lead / 16000.0);
    CHECK(n >= question->n * 2 * 3 / 4 && n < (6 * RATE + question->n) * 2);
    CHECK(lead >= 16000 / 5);
    ivr_ear_free(ear);
}

static void check_quiet_speech_and_silence(recognizer *rec, const audio *question)
{
    ivr_ear *ear = NULL;
    CHECK(ivr_ear_new(RATE, rec, &ear) == SD_OK);
    if (!ear)
        return;
    CHECK(ivr_ear_listen(ear, ASR_COMMAND) == SD_OK);
    /* The same question 40 dB down, under the level gate (-42 dBFS): never an utterance. */
    audio faint = {malloc(question->n * sizeof *faint.pcm), question->n};
    for (size_t i = 0; faint.pcm && i < faint.n; i++)
        faint.pcm[i] = (int16_t)(question->pcm[i] / 100);
    heard h = feed(ear, 1.0, &faint, 3.0);
    CHECK(!h.utterance);
    /* Nor is a silent line, however long. */
    audio none = {NULL, 0};
    h = feed(ear, 30.0, &none, 0);
    CHECK(!h.utterance);
    double audio_s = 0, cpu_s = 0;
    ivr_ear_load(ear, &audio_s, &cpu_s);
    CHECK(audio_s > 33.0);
    free(faint.pcm);
    ivr_ear_free(ear);
}

int main(void)
{
    CHECK(mkdtemp(tmp) != NULL);
    char db[] = "/tmp/seodong-ivr-ear-db-XXXXXX";
    engine *e = check_open_engine(db, NULL, NULL);
    recognizer *rec = NULL;
    char err[512] = "";
    if (e && recognizer_open(e, "en", NULL, &rec, err, sizeof err) != SD_OK)
        fprintf(stderr, "%s\n", err);
    CHECK(rec != NULL);
    if (rec) {
        audio question = speak("what time is it", 1.0);
        check_question_after_quiet(rec, &question);
        check_quiet_speech_and_silence(rec, &question);
        free(question.pcm);
    }
    recognizer_close(rec);
    engine_close(e);
    check_remove_db(db);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    CHECK(system(cmd) == 0);
    CHECK_DONE();
}

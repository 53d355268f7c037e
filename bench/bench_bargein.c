/* bench_bargein.c - how fast an answer stops when the resident starts to speak (barge-in).
 *
 *   bench_bargein [RUNS]
 *
 * The speaker's path without the recogniser: a long answer is synthesised by eSpeak NG and
 * written to the default PortAudio output on a second thread; once the first chunk has gone
 * out, the main thread asks the player to stop (what the speaker does when speech is detected)
 * and times how long the speech thread takes to end. Run it with ALSA_CONFIG_PATH pointing at a
 * file-plugin configuration (scripts/bench.sh does): the device is not paced, so this is the
 * pipeline's own reaction (synthesis abort, one chunk, stream abort), not the loudspeaker's. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "audio.h"
#include "tts.h"

#define RATE 16000

static const char answer[] =
    "서구청 민원실은 평일 오전 아홉 시부터 오후 여섯 시까지 운영하고, 점심시간에도 업무를 "
    "봅니다. 주말과 공휴일에는 쉽니다. 무인민원발급기는 구청 일 층에 있고 밤 열 시까지 쓸 수 "
    "있습니다. 주민등록등본과 가족관계증명서는 정부24에서도 발급받을 수 있습니다. 더 궁금한 "
    "점이 있으시면 민원실로 전화 주세요. 서구청 민원실은 평일 오전 아홉 시부터 오후 여섯 "
    "시까지 운영합니다.";

typedef struct {
    tts *t;
    audio_player *player;
    atomic_bool first_out;
} job;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int play(void *ctx, const int16_t *samples, size_t n)
{
    job *j = ctx;
    sd_code rc = audio_player_write(j->player, samples, n);
    atomic_store(&j->first_out, true);
    return rc != SD_OK;
}

static void *speak(void *arg)
{
    job *j = arg;
    bool cut = false;
    tts_speak(j->t, answer, "ko", RATE, play, j, &cut);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 20;
    if (runs < 1 || runs > 1000)
        runs = 20;
    char err[256];
    job j = {0};
    audio_config cfg = {.device = -1, .rate = RATE, .frames_per_buffer = 320};
    if (tts_open(NULL, &j.t, err, sizeof err) != SD_OK ||
        audio_player_open(&cfg, &j.player, err, sizeof err) != SD_OK) {
        fprintf(stderr, "bench_bargein: %s\n", err);
        return 1;
    }
    double *ms = calloc((size_t)runs, sizeof *ms);
    for (int r = 0; ms && r < runs; r++) {
        atomic_store(&j.first_out, false);
        audio_player_resume(j.player);
        pthread_t th;
        pthread_create(&th, NULL, speak, &j);
        while (!atomic_load(&j.first_out))
            ;
        double t0 = now_ms();
        audio_player_stop(j.player);
        pthread_join(th, NULL);
        ms[r] = now_ms() - t0;
    }
    if (ms) {
        qsort(ms, (size_t)runs, sizeof *ms, cmp);
        printf("barge-in: answer stopped %.2f ms (median) / %.2f ms (max) after the stop, %d "
               "runs\n",
               ms[runs / 2], ms[runs - 1], runs);
        printf("BARGEIN_MS_MAX %.2f\n", ms[runs - 1]);
    }
    free(ms);
    audio_player_close(j.player);
    tts_close(j.t);
    return 0;
}

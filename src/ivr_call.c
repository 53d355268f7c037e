/* ivr_call.c - a phone call's own thread (see ivr_call.h).
 *
 * The thread sleeps on a condition variable and wakes for a key, for stop, or every 100 ms to
 * keep time. Keys stop the prompt in the network thread already (the play-out queue is cleared
 * there), so barge-in does not wait for this thread. "No input" counts from the moment the
 * prompt has been played out, not from when it was synthesised.
 *
 * The call object is shared by two owners, the network thread and this thread; whichever lets
 * go last frees it, so neither has to wait for the other. */
#include "ivr_call.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "voice.h"

#define MAX_KEYS 64
/* Speech queued for the caller: a long status timeline fits. */
#define PLAYOUT_SECONDS 120
#define WAKE_MS 100

struct ivr_call {
    ivr_call_config cfg;
    char lang[4];
    char caller[32];
    atomic_int refs;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    char reason[16];
    char keys[MAX_KEYS];
    size_t nkeys;
    media_fifo *out;
    /* the call thread's own */
    ivr_menu *menu;
    long record;
    ivr_action pending; /* to ask of the network once the prompt has played */
    double quiet_since; /* seconds on the monotonic clock; 0 while something plays */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void release(ivr_call *c)
{
    if (atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    media_fifo_free(c->out);
    pthread_cond_destroy(&c->wake);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static int to_playout(void *ctx, const int16_t *samples, size_t n)
{
    ivr_call *c = ctx;
    return media_fifo_write(c->out, samples, n) != SD_OK;
}

static void speak(ivr_call *c, const char *text)
{
    if (!text[0])
        return;
    fprintf(stderr, "ivr: call %u says: %s\n", c->cfg.id, text);
    strbuf spoken;
    strbuf_init(&spoken);
    voice_speech_text(text, c->lang, &spoken);
    tts_speak(c->cfg.t, strbuf_str(&spoken), c->lang, media_codec_rate(c->cfg.codec), to_playout, c,
              NULL);
    strbuf_free(&spoken);
    c->quiet_since = 0;
}

static void act(ivr_call *c, ivr_action a, strbuf *say)
{
    speak(c, strbuf_str(say));
    strbuf_clear(say);
    if (a != IVR_CONTINUE)
        c->pending = a;
}

/* Takes the keys queued by the network thread; returns false once the call is stopped. */
static bool take_keys(ivr_call *c, char *keys, size_t *n)
{
    pthread_mutex_lock(&c->lock);
    if (!c->stop && !c->nkeys) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += WAKE_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&c->wake, &c->lock, &until);
    }
    memcpy(keys, c->keys, c->nkeys);
    *n = c->nkeys;
    c->nkeys = 0;
    bool going = !c->stop;
    pthread_mutex_unlock(&c->lock);
    return going;
}

/* Once the prompt has been played: hand over a pending transfer or hang-up, or count silence. */
static void keep_time(ivr_call *c, strbuf *say)
{
    if (media_fifo_pending(c->out))
        return;
    if (c->pending != IVR_CONTINUE) {
        c->cfg.request(c->cfg.ctx, c->cfg.id, c->pending);
        c->pending = IVR_CONTINUE;
        return;
    }
    double now = now_s();
    if (c->quiet_since == 0)
        c->quiet_since = now;
    else if (now - c->quiet_since >= c->cfg.no_input_s)
        act(c, ivr_menu_no_input(c->menu, say), say);
}

static void converse(ivr_call *c)
{
    strbuf say;
    strbuf_init(&say);
    act(c, ivr_menu_start(c->menu, &say), &say);
    char keys[MAX_KEYS];
    size_t n;
    while (take_keys(c, keys, &n)) {
        for (size_t i = 0; i < n; i++) {
            fprintf(stderr, "ivr: call %u key %c\n", c->cfg.id, keys[i]);
            c->quiet_since = 0;
            if (c->pending == IVR_CONTINUE)
                act(c, ivr_menu_key(c->menu, keys[i], &say), &say);
        }
        keep_time(c, &say);
    }
    strbuf_free(&say);
}

static void mask_caller(const char *digits, char *out, size_t size)
{
    size_t n = strlen(digits);
    for (size_t i = 0; i + 1 < size && i < n; i++)
        out[i] = i + 4 < n ? '*' : digits[i];
    out[n < size ? n : size - 1] = '\0';
}

static void record_end(ivr_call *c)
{
    const char *result = ivr_menu_result(c->menu);
    const char *receipt = ivr_menu_receipt(c->menu);
    store_call_end_info info = {
        .ended_at = engine_now(c->cfg.e),
        .intents = ivr_menu_intents(c->menu),
        .result = result[0] ? result : c->reason,
        .receipt = receipt[0] ? receipt : NULL,
    };
    if (c->record && store_call_end(engine_store(c->cfg.e), c->record, &info) != SD_OK)
        fprintf(stderr, "ivr: call %u: the call record could not be closed\n", c->cfg.id);
    fprintf(stderr, "ivr: call %u ended: %s [%s]\n", c->cfg.id, info.result, info.intents);
}

static void *run(void *arg)
{
    ivr_call *c = arg;
    char masked[32];
    mask_caller(c->caller, masked, sizeof masked);
    if (store_call_begin(engine_store(c->cfg.e), engine_now(c->cfg.e), masked,
                         media_codec_name(c->cfg.codec), &c->record) != SD_OK)
        fprintf(stderr, "ivr: call %u: the call record could not be opened\n", c->cfg.id);
    if (ivr_menu_new(c->cfg.e, c->lang, c->caller, &c->menu) == SD_OK) {
        converse(c);
        record_end(c);
        ivr_menu_free(c->menu);
    } else {
        fprintf(stderr, "ivr: call %u: out of memory\n", c->cfg.id);
    }
    void (*finished)(void *) = c->cfg.finished;
    void *ctx = c->cfg.ctx;
    release(c);
    finished(ctx);
    return NULL;
}

sd_code ivr_call_start(const ivr_call_config *cfg, ivr_call **out)
{
    ivr_call *c = calloc(1, sizeof *c);
    if (!c)
        return SD_ERR_NOMEM;
    c->cfg = *cfg;
    snprintf(c->lang, sizeof c->lang, "%s", cfg->lang);
    snprintf(c->caller, sizeof c->caller, "%s", cfg->caller ? cfg->caller : "");
    c->cfg.lang = c->lang;
    c->cfg.caller = c->caller;
    atomic_init(&c->refs, 2);
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->wake, NULL);
    c->out = media_fifo_new((size_t)media_codec_rate(cfg->codec) * PLAYOUT_SECONDS);
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    sd_code rc = !c->out                                  ? SD_ERR_NOMEM
                 : pthread_create(&thread, &attr, run, c) ? SD_ERR_IO
                                                          : SD_OK;
    pthread_attr_destroy(&attr);
    if (rc != SD_OK) {
        atomic_store(&c->refs, 1);
        release(c);
        return rc;
    }
    *out = c;
    return SD_OK;
}

void ivr_call_key(ivr_call *c, char key)
{
    media_fifo_clear(c->out);
    pthread_mutex_lock(&c->lock);
    if (c->nkeys < MAX_KEYS)
        c->keys[c->nkeys++] = key;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
}

void ivr_call_next_frame(ivr_call *c, int16_t *out, size_t n)
{
    media_fifo_read(c->out, out, n);
}

void ivr_call_stop(ivr_call *c, const char *reason)
{
    pthread_mutex_lock(&c->lock);
    c->stop = true;
    snprintf(c->reason, sizeof c->reason, "%s", reason);
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    release(c);
}

/* ivr.c - the phone line's network thread (see ivr.h): SIP sessions, SDP offer/answer and RTP
 * with libre, on libre's one event loop. Nothing here understands anything: each call's keys go
 * to its own thread (ivr_call.c), and its audio comes back from there.
 *
 * Pacing: one timer for all calls fires every 20 ms against an absolute schedule, so jitter in
 * one firing does not accumulate; a firing that comes late sends every frame that is due, with
 * the timestamps they would have had, and counts them as late. RTP timestamps start at a random
 * value and step by 160 per frame.
 *
 * Keys arrive as RFC 4733 telephone-events (all packets of one event share its RTP timestamp,
 * so a new timestamp is a new key, whether its start or only its end packets got through), on
 * the payload type the caller's SDP gave them or on ours, or as SIP INFO
 * (application/dtmf-relay, application/dtmf; ivr_parse.h). The caller's audio is decoded here
 * and queued for the call's thread, which does the hearing (ivr_ear.h): recognition never runs
 * on this thread. RTP is taken only from the address the caller's SDP named;
 * a call that sends nothing for rtp_timeout_s has vanished and is ended.
 *
 * Requests from call threads (transfer, hang up) cross into this thread through a libre mqueue
 * and name the call by number, so a request for a call that has meanwhile ended finds nothing. */
#include "ivr.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <re.h>
#include <rem_dtmf.h>

#include "cue.h"
#include "ivr_call.h"
#include "ivr_parse.h"
#include "ivr_sdp.h"
#include "recognizer_pool.h"
#include "media.h"

#define RTP_PORT_MIN 10000
#define RTP_PORT_MAX 30000
#define KEY_GAP_MS 250 /* packets of one key press come closer than this */

enum { MSG_TRANSFER = 1, MSG_HANGUP };

struct ivr {
    engine *e;
    tts *t;
    ivr_config cfg;
    char listen[64], transfer[128], lang[4], recordings[1024];
    recognizer_pool *pool;
    cue *listen_cue[2], *hold_tone[2]; /* at 8 and 16 kHz, for G.711 and G.722 calls */
    struct sa laddr;
    struct sip *sip;
    struct sipsess_sock *sock;
    struct sip_lsnr *options; /* answers OPTIONS: a SIP proxy's "are you alive?" */
    struct mqueue *mq;
    struct tmr tick;
    uint64_t next_tick; /* ms on libre's clock */
    struct list calls;
    unsigned next_id;
    pthread_mutex_t lock; /* guards threads */
    pthread_cond_t idle;
    int threads;
    ivr_stats stats;
};

struct call {
    struct le le;
    ivr *v;
    unsigned id;
    struct sipsess *sess;
    struct sdp_session *sdp;
    struct sdp_media *media;
    struct rtp_sock *rtp;
    media_coder *coder;
    ivr_call *worker;
    struct sa raddr; /* where the caller's SDP wants our audio */
    struct sa peer;  /* who sent the INVITE: the PBX, for transfers to an extension */
    int pt, te_pt;
    enum sdp_dir dir; /* of the media, from our side: whether we send, whether we hear */
    uint32_t ts;
    bool marker, established;
    uint64_t last_rx;
    uint32_t key_ts;
    uint64_t key_seen; /* when the last event packet came */
    bool had_key;
    struct dtmf_dec *tones; /* in-band keys, for callers that offer no telephone-event */
};

/* ---- calls ---- */

static struct call *find_call(ivr *v, unsigned id)
{
    struct le *le;
    LIST_FOREACH(&v->calls, le)
    {
        struct call *c = le->data;
        if (c->id == id)
            return c;
    }
    return NULL;
}

/* Ends a call from our side or the caller's: BYE when still up, the call thread told. */
static void call_end(struct call *c, const char *reason)
{
    if (c->worker)
        ivr_call_stop(c->worker, reason);
    list_unlink(&c->le);
    mem_deref(c->sess);
    mem_deref(c->rtp);
    mem_deref(c->sdp);
    mem_deref(c->tones);
    media_coder_free(c->coder);
    free(c);
}

static void on_key(struct call *c, char key)
{
    c->last_rx = tmr_jiffies();
    ivr_call_key(c->worker, key);
}

/* An RFC 4733 event packet: event code, end bit and volume, then 16 bits of duration. Every
 * packet of one key press carries the key's timestamp and they come every 50 ms at most; a new
 * timestamp, or a pause, is a new key. telev_recv's own state would drop a second press of the
 * same key from a sender that never sets the end bit (sipp). */
static void telephone_event(struct call *c, const struct rtp_header *hdr, struct mbuf *mb)
{
    ivr_telev ev;
    if (ivr_parse_telev(mbuf_buf(mb), mbuf_get_left(mb), &ev) != SD_OK) {
        c->v->stats.bad_packets++;
        return;
    }
    uint64_t now = tmr_jiffies();
    bool repeat = c->had_key && hdr->ts == c->key_ts && now - c->key_seen < KEY_GAP_MS;
    c->had_key = true;
    c->key_ts = hdr->ts;
    c->key_seen = now;
    if (!repeat)
        on_key(c, ev.key);
}

static void tone_heard(char key, void *arg)
{
    on_key(arg, key);
}

/* Keys as tones in the audio: the last fallback, for a caller whose offer has no
 * telephone-event (a sender of RFC 4733 events mutes the tones, and would be heard twice). */
static void listen_for_tones(struct call *c, const int16_t *pcm, size_t n)
{
    if (c->te_pt >= 0)
        return;
    if (!c->tones &&
        dtmf_dec_alloc(&c->tones, (unsigned)media_codec_rate(media_coder_codec(c->coder)), 1,
                       tone_heard, c) != 0)
        return;
    dtmf_dec_probe(c->tones, pcm, n);
}

/* The caller's audio, decoded here (a few microseconds) and heard on the call's thread. */
static void caller_audio(struct call *c, struct mbuf *mb)
{
    int16_t pcm[2 * MEDIA_MAX_PAYLOAD];
    size_t n;
    if (media_decode(c->coder, mbuf_buf(mb), mbuf_get_left(mb), pcm, sizeof pcm / sizeof *pcm,
                     &n) != SD_OK) {
        c->v->stats.bad_packets++;
        return;
    }
    listen_for_tones(c, pcm, n);
    ivr_call_audio(c->worker, pcm, n);
}

static void rtp_recv(const struct sa *src, const struct rtp_header *hdr, struct mbuf *mb, void *arg)
{
    struct call *c = arg;
    if (!sa_cmp(src, &c->raddr, SA_ADDR)) {
        c->v->stats.strangers++;
        return;
    }
    c->last_rx = tmr_jiffies();
    if (hdr->pt == c->te_pt || hdr->pt == IVR_SDP_TELEV_PT)
        telephone_event(c, hdr, mb);
    else if (hdr->pt != c->pt || mbuf_get_left(mb) > MEDIA_MAX_PAYLOAD)
        c->v->stats.bad_packets++;
    else
        caller_audio(c, mb);
}

static void info_h(struct sip *sip, const struct sip_msg *msg, void *arg)
{
    struct call *c = arg;
    const char *body = (const char *)mbuf_buf(msg->mb);
    size_t len = mbuf_get_left(msg->mb);
    bool relay = msg_ctype_cmp(&msg->ctyp, "application", "dtmf-relay");
    char key;
    if ((!relay && !msg_ctype_cmp(&msg->ctyp, "application", "dtmf")) ||
        ivr_parse_info(relay ? IVR_INFO_DTMF_RELAY : IVR_INFO_DTMF, body, len, &key) != SD_OK) {
        sip_reply(sip, msg, 415, "Unsupported Media Type");
        return;
    }
    sip_reply(sip, msg, 200, "OK");
    on_key(c, key);
}

/* Where the caller wants our audio, and the payload type of its keys, from its offer. */
static void update_remote(struct call *c, const ivr_sdp_choice *ch)
{
    c->raddr = *sdp_media_raddr(c->media);
    c->te_pt = ch->te_pt;
    c->dir = sdp_media_dir(c->media);
}

/* Whether the caller takes our audio: not while it holds the call, its offer saying it does not
 * receive (a=sendonly, a=inactive) or naming no address (c=0.0.0.0, RFC 3264 8.4). */
static bool caller_listens(const struct call *c)
{
    return (c->dir & SDP_SENDONLY) && sa_isset(&c->raddr, SA_ALL);
}

/* Whether the caller sends us audio: not while it holds the call without it (a=recvonly,
 * a=inactive, no address). Its silence then is no sign that it has vanished. */
static bool caller_speaks(const struct call *c)
{
    return (c->dir & SDP_RECVONLY) && sa_isset(&c->raddr, SA_ALL);
}

/* A re-INVITE: the caller moved its media (hold, a new address) or renumbered it; the codec
 * stays, and an offer without it is refused (488) with the call going on as it was. */
static int offer_h(struct mbuf **descp, const struct sip_msg *msg, void *arg)
{
    struct call *c = arg;
    media_codec keep = media_coder_codec(c->coder);
    ivr_sdp_choice ch;
    if (ivr_sdp_offer(c->sdp, c->media, msg->mb, &keep, &ch) != SD_OK)
        return EPROTO;
    c->pt = ch.pt;
    update_remote(c, &ch);
    return sdp_encode(descp, c->sdp, false);
}

/* An answer in an ACK: only after an offer of ours, which Seodong never makes. */
static int answer_h(const struct sip_msg *msg, void *arg)
{
    (void)msg;
    (void)arg;
    return EPROTO;
}

static void estab_h(const struct sip_msg *msg, void *arg)
{
    (void)msg;
    struct call *c = arg;
    c->established = true;
}

static void close_h(int err, const struct sip_msg *msg, void *arg)
{
    (void)err;
    (void)msg;
    call_end(arg, "hangup");
}

/* ---- answering ---- */

static void call_request(void *ctx, unsigned id, ivr_action a)
{
    ivr *v = ctx;
    mqueue_push(v->mq, a == IVR_TRANSFER ? MSG_TRANSFER : MSG_HANGUP, (void *)(uintptr_t)id);
}

static void call_finished(void *ctx)
{
    ivr *v = ctx;
    pthread_mutex_lock(&v->lock);
    v->threads--;
    pthread_cond_signal(&v->idle);
    pthread_mutex_unlock(&v->lock);
}

/* The caller ID when it is a number (the user part of From), else "". */
static void caller_id(const struct sip_msg *msg, char *out, size_t size)
{
    out[0] = '\0';
    pl_strcpy(&msg->from.uri.user, out, size);
    size_t skip = out[0] == '+';
    if (strspn(out + skip, "0123456789") != strlen(out + skip))
        out[0] = '\0';
}

static sd_code start_worker(struct call *c, const struct sip_msg *msg)
{
    ivr *v = c->v;
    char caller[32];
    caller_id(msg, caller, sizeof caller);
    bool wide = media_codec_rate(media_coder_codec(c->coder)) == 16000;
    ivr_call_config cc = {
        .e = v->e,
        .t = v->t,
        .pool = v->pool,
        .recordings = v->recordings[0] ? v->recordings : NULL,
        .lang = v->lang,
        .codec = media_coder_codec(c->coder),
        .caller = caller,
        .no_input_s = v->cfg.no_input_s,
        .listen = v->listen_cue[wide],
        .hold = v->hold_tone[wide],
        .id = c->id,
        .request = call_request,
        .finished = call_finished,
        .ctx = v,
    };
    pthread_mutex_lock(&v->lock);
    v->threads++;
    pthread_mutex_unlock(&v->lock);
    sd_code rc = ivr_call_start(&cc, &c->worker);
    if (rc != SD_OK)
        call_finished(v);
    else
        fprintf(stderr, "ivr: call %u from %s (%s)\n", c->id, caller[0] ? "a number" : "unknown",
                media_codec_name(media_coder_codec(c->coder)));
    return rc;
}

/* Media for a new call: RTP socket, SDP from the offer, codec. Returns the SIP status to refuse
 * the call with, or 0. */
static uint16_t call_media(struct call *c, const struct sip_msg *msg)
{
    struct sa local = msg->dst;
    if (rtp_listen(&c->rtp, IPPROTO_UDP, &local, RTP_PORT_MIN, RTP_PORT_MAX, false, rtp_recv, NULL,
                   c))
        return 500;
    sa_set_port(&local, sa_port(rtp_local(c->rtp)));
    if (sdp_session_alloc(&c->sdp, &local) ||
        sdp_media_add(&c->media, c->sdp, "audio", sa_port(&local), "RTP/AVP") ||
        ivr_sdp_add_formats(c->media))
        return 500;
    /* An INVITE without an offer would need us to offer in the 200; PBXs send one. */
    ivr_sdp_choice ch;
    if (!mbuf_get_left(msg->mb) || ivr_sdp_offer(c->sdp, c->media, msg->mb, NULL, &ch) != SD_OK)
        return 488;
    if (media_coder_new(ch.codec, &c->coder) != SD_OK)
        return 500;
    c->pt = ch.pt;
    update_remote(c, &ch);
    return 0;
}

static void conn_h(const struct sip_msg *msg, void *arg)
{
    ivr *v = arg;
    if (list_count(&v->calls) >= (uint32_t)v->cfg.max_calls) {
        v->stats.busy++;
        sip_treply(NULL, v->sip, msg, 486, "Busy Here");
        return;
    }
    struct call *c = calloc(1, sizeof *c);
    if (!c) {
        sip_treply(NULL, v->sip, msg, 500, "Server Internal Error");
        return;
    }
    c->v = v;
    c->id = ++v->next_id;
    c->peer = msg->src;
    c->ts = rand_u32();
    c->marker = true;
    c->last_rx = tmr_jiffies();
    list_append(&v->calls, &c->le, c);
    uint16_t refuse = call_media(c, msg);
    struct mbuf *answer = NULL;
    if (!refuse && (sdp_encode(&answer, c->sdp, false) || start_worker(c, msg) != SD_OK))
        refuse = 500;
    if (!refuse && sipsess_accept(&c->sess, v->sock, msg, 200, "OK", "seodong", "application/sdp",
                                  answer, NULL, NULL, false, offer_h, answer_h, estab_h, info_h,
                                  NULL, close_h, c, "Allow: INVITE, ACK, BYE, CANCEL, INFO\r\n"))
        refuse = 500;
    mem_deref(answer);
    if (refuse) {
        v->stats.no_codec += refuse == 488;
        sip_treply(NULL, v->sip, msg, refuse,
                   refuse == 488 ? "Not Acceptable Here" : "Server Internal Error");
        call_end(c, "refused");
        return;
    }
    v->stats.calls++;
}

/* ---- requests from call threads ---- */

/* What a REFER's response must find again: the call may have ended meanwhile. */
typedef struct {
    ivr *v;
    unsigned id;
} refer_ctx;

static void refer_resp(int err, const struct sip_msg *msg, void *arg)
{
    refer_ctx *r = arg;
    if (!err && msg->scode < 200)
        return;
    struct call *c = find_call(r->v, r->id);
    if (c) {
        /* Accepted: the PBX has the caller now. Refused: nobody can take the call here, and the
         * office's number is in the menu's spoken help. Either way our leg ends. */
        fprintf(stderr, "ivr: call %u: transfer %s\n", c->id,
                !err && msg->scode < 300 ? "accepted" : "refused");
        call_end(c, "transfer");
    }
    mem_deref(r);
}

static void transfer(struct call *c)
{
    ivr *v = c->v;
    char target[256];
    if (strncmp(v->transfer, "sip:", 4) == 0)
        snprintf(target, sizeof target, "%s", v->transfer);
    else
        re_snprintf(target, sizeof target, "sip:%s@%J", v->transfer, &c->peer);
    refer_ctx *r = mem_zalloc(sizeof *r, NULL);
    int err = r ? 0 : ENOMEM;
    if (r) {
        r->v = v;
        r->id = c->id;
        err = sip_drequestf(NULL, v->sip, true, "REFER", sipsess_dialog(c->sess), 0, NULL, NULL,
                            refer_resp, r,
                            "Refer-To: <%s>\r\nReferred-By: <sip:seodong@%J>\r\n"
                            "Content-Length: 0\r\n\r\n",
                            target, &v->laddr);
    }
    fprintf(stderr, "ivr: call %u: transfer to %s%s\n", c->id, target, err ? " failed" : "");
    if (err) {
        mem_deref(r);
        call_end(c, "transfer");
    }
}

static void mq_h(int id, void *data, void *arg)
{
    ivr *v = arg;
    struct call *c = find_call(v, (unsigned)(uintptr_t)data);
    if (!c)
        return;
    if (id == MSG_TRANSFER)
        transfer(c);
    else
        call_end(c, "goodbye");
}

/* ---- pacing ---- */

/* The call's next 20 ms: sent, or while the caller holds the call, played out to nobody (the
 * call's clock and its prompts go on) with the next packet sent marked as a new talkspurt. */
static void send_frame(struct call *c, struct mbuf *mb)
{
    int16_t pcm[MEDIA_MAX_FRAME];
    uint8_t payload[MEDIA_MAX_FRAME];
    size_t n = media_frame_samples(media_coder_codec(c->coder)), len;
    ivr_call_next_frame(c->worker, pcm, n);
    if (!caller_listens(c)) {
        c->v->stats.held_frames++;
        c->ts += MEDIA_FRAME_TS;
        c->marker = true;
        return;
    }
    c->v->stats.frames++;
    media_encode(c->coder, pcm, n, payload, &len);
    mb->pos = mb->end = RTP_HEADER_SIZE;
    mbuf_write_mem(mb, payload, len);
    mb->pos = RTP_HEADER_SIZE;
    rtp_send(c->rtp, &c->raddr, false, c->marker, (uint8_t)c->pt, c->ts, mb);
    c->ts += MEDIA_FRAME_TS;
    c->marker = false;
}

/* Sends every frame due by now to every call, and ends calls whose audio stopped. */
static void tick(void *arg)
{
    ivr *v = arg;
    uint64_t now = tmr_jiffies();
    struct mbuf *mb = mbuf_alloc(RTP_HEADER_SIZE + MEDIA_MAX_FRAME);
    for (; mb && v->next_tick <= now; v->next_tick += MEDIA_FRAME_MS) {
        double late = (double)(now - v->next_tick);
        struct le *le;
        LIST_FOREACH(&v->calls, le)
        {
            struct call *c = le->data;
            if (!c->established)
                continue;
            send_frame(c, mb);
            v->stats.late_frames += late > MEDIA_FRAME_MS;
            if (late > v->stats.max_late_ms)
                v->stats.max_late_ms = late;
        }
    }
    mem_deref(mb);
    for (struct le *le = list_head(&v->calls); le;) {
        struct call *c = le->data;
        le = le->next;
        if (!caller_speaks(c))
            c->last_rx = now;
        if (now - c->last_rx > (uint64_t)v->cfg.rtp_timeout_s * 1000) {
            fprintf(stderr, "ivr: call %u: no audio for %d s\n", c->id, v->cfg.rtp_timeout_s);
            call_end(c, "timeout");
        }
    }
    tmr_start(&v->tick, v->next_tick - now, tick, v);
}

/* ---- the server ---- */

static sd_code check_config(const ivr_config *cfg, char *err, size_t errlen)
{
    if (cfg->max_calls < 1 || cfg->asr_calls < 0 || cfg->rtp_timeout_s < 2 || cfg->no_input_s < 2) {
        snprintf(err, errlen,
                 "max calls must be at least 1, recognising calls at least 0, time-outs at least "
                 "2 s");
        return SD_ERR_INVALID;
    }
    if (!cfg->transfer[0] || strlen(cfg->transfer) >= 128 || strchr(cfg->transfer, '>') ||
        strpbrk(cfg->transfer, " \r\n")) {
        snprintf(err, errlen, "the transfer target '%s' is not an extension or a SIP URI",
                 cfg->transfer);
        return SD_ERR_INVALID;
    }
    return SD_OK;
}

/* The listening cue and the hold tone at both rates calls play at (audio/ of the data folder):
 * a missing or broken file is reported at start, not in a call. */
static sd_code load_sounds(ivr *v, char *err, size_t errlen)
{
    const char *dir = engine_data_dir(v->e);
    sd_code rc = SD_OK;
    for (int wide = 0; wide < 2 && rc == SD_OK; wide++) {
        int rate = wide ? 16000 : 8000;
        rc = cue_load(dir, CUE_LISTEN, rate, &v->listen_cue[wide], err, errlen);
        if (rc == SD_OK)
            rc = cue_load(dir, CUE_HOLD, rate, &v->hold_tone[wide], err, errlen);
    }
    return rc;
}

/* The recognisers' pool, with one built at once: missing models are reported at start, not on
 * the first call, and the first caller does not wait for the build. */
static sd_code start_speech(ivr *v, char *err, size_t errlen)
{
    sd_code rc = recognizer_pool_new(v->e, v->lang, v->cfg.asr_calls, &v->pool);
    recognizer *r = NULL;
    if (rc == SD_OK && v->cfg.asr_calls > 0)
        rc = recognizer_pool_take(v->pool, &r, err, errlen);
    if (r) {
        recognizer_pool_give(v->pool, r);
        fprintf(stderr, "ivr: speech recognition for %d calls at once, %.0f MB each\n",
                v->cfg.asr_calls, recognizer_pool_mb_each(v->pool));
    }
    return rc;
}

/* A proxy in front of several lines (Kamailio's dispatcher) probes each with OPTIONS: 200 says
 * this line is up. Every other request goes on to the session socket. */
static bool options_h(const struct sip_msg *msg, void *arg)
{
    ivr *v = arg;
    if (pl_strcmp(&msg->met, "OPTIONS"))
        return false;
    sip_treplyf(
        NULL, NULL, v->sip, msg, false, 200, "OK",
        "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, REFER, NOTIFY\r\nContent-Length: 0\r\n\r\n");
    return true;
}

static sd_code start_sip(ivr *v, char *err, size_t errlen)
{
    if (sa_decode(&v->laddr, v->listen, strlen(v->listen))) {
        snprintf(err, errlen, "--listen takes IP:PORT (such as 0.0.0.0:5060), not '%s'", v->listen);
        return SD_ERR_INVALID;
    }
    int e = sip_alloc(&v->sip, NULL, 32, 32, 32, "Seodong", NULL, NULL);
    if (!e)
        e = sip_transp_add(v->sip, SIP_TRANSP_UDP, &v->laddr);
    /* Port 0 takes a free port: the one bound is the one to log and to name in a REFER. */
    if (!e)
        e = sip_transp_laddr(v->sip, &v->laddr, SIP_TRANSP_UDP, &v->laddr);
    if (!e)
        e = sipsess_listen(&v->sock, v->sip, 32, conn_h, v);
    if (!e)
        e = sip_listen(&v->options, v->sip, true, options_h, v);
    if (!e)
        e = mqueue_alloc(&v->mq, mq_h, v);
    if (e) {
        re_snprintf(err, errlen, "cannot listen for SIP on %s: %m", v->listen, e);
        return SD_ERR_NET;
    }
    return SD_OK;
}

sd_code ivr_open(engine *e, tts *t, const ivr_config *cfg, ivr **out, char *err, size_t errlen)
{
    *out = NULL;
    sd_code rc = check_config(cfg, err, errlen);
    if (rc != SD_OK)
        return rc;
    ivr *v = calloc(1, sizeof *v);
    if (!v)
        return SD_ERR_NOMEM;
    v->e = e;
    v->t = t;
    v->cfg = *cfg;
    snprintf(v->listen, sizeof v->listen, "%s", cfg->listen);
    snprintf(v->transfer, sizeof v->transfer, "%s", cfg->transfer);
    snprintf(v->lang, sizeof v->lang, "%s", cfg->lang && !strcmp(cfg->lang, "en") ? "en" : "ko");
    snprintf(v->recordings, sizeof v->recordings, "%s", cfg->recordings ? cfg->recordings : "");
    pthread_mutex_init(&v->lock, NULL);
    pthread_cond_init(&v->idle, NULL);
    list_init(&v->calls);
    tmr_init(&v->tick);
    if (libre_init()) {
        snprintf(err, errlen, "cannot start libre");
        free(v);
        return SD_ERR_NET;
    }
    rc = load_sounds(v, err, errlen);
    if (rc == SD_OK)
        rc = start_speech(v, err, errlen);
    if (rc == SD_OK)
        rc = start_sip(v, err, errlen);
    if (rc != SD_OK) {
        ivr_close(v);
        return rc;
    }
    *out = v;
    return SD_OK;
}

static void on_signal(int sig)
{
    (void)sig;
    re_cancel();
}

sd_code ivr_run(ivr *v)
{
    re_fprintf(stderr, "ivr: listening on %J (at most %d calls)\n", &v->laddr, v->cfg.max_calls);
    v->next_tick = tmr_jiffies() + MEDIA_FRAME_MS;
    tmr_start(&v->tick, MEDIA_FRAME_MS, tick, v);
    int e = re_main(on_signal);
    tmr_cancel(&v->tick);
    return e ? SD_ERR_NET : SD_OK;
}

void ivr_get_stats(const ivr *v, ivr_stats *out)
{
    *out = v->stats;
}

void ivr_close(ivr *v)
{
    if (!v)
        return;
    while (list_head(&v->calls))
        call_end(list_head(&v->calls)->data, "shutdown");
    pthread_mutex_lock(&v->lock);
    while (v->threads > 0)
        pthread_cond_wait(&v->idle, &v->lock);
    pthread_mutex_unlock(&v->lock);
    tmr_cancel(&v->tick);
    v->sock = mem_deref(v->sock);
    v->options = mem_deref(v->options);
    if (v->sip)
        sip_close(v->sip, true);
    mem_deref(v->sip);
    mem_deref(v->mq);
    libre_close();
    recognizer_pool_free(v->pool);
    for (int wide = 0; wide < 2; wide++) {
        cue_free(v->listen_cue[wide]);
        cue_free(v->hold_tone[wide]);
    }
    pthread_cond_destroy(&v->idle);
    pthread_mutex_destroy(&v->lock);
    free(v);
}

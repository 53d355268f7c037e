/* web.h - `seodong serve`: the engine and the complaint store on HTTP (libmicrohttpd).
 *
 * One server per process, on its own threads: Open311 GeoReport v2 under /open311/v2/, the
 * residents' tracking page /track, the KakaoTalk skill /kakao/skill and the staff dashboard
 * /staff. Every staff rule stays
 * in lifecycle.c and every SQL statement in the store; the web only translates. */
#ifndef SEODONG_WEB_H
#define SEODONG_WEB_H

#include <stddef.h>

#include "config.h"
#include "engine.h"
#include "sd_error.h"
#include "store.h"

typedef struct web_server web_server;

/* Starts serving engine e on listen ("ADDR:PORT", IPv4; port 0 picks a free one) with the
 * settings of cfg (copied). Returns SD_OK, SD_ERR_INVALID (listen malformed), SD_ERR_NET (the
 * address cannot be bound) or SD_ERR_NOMEM; err says why. */
sd_code web_start(engine *e, const config *cfg, const char *listen, web_server **out, char *err,
                  size_t errlen);
/* The port actually bound (useful with port 0). */
unsigned web_port(const web_server *w);
/* Stops accepting, finishes the requests under way, frees everything. */
void web_stop(web_server *w);

#endif

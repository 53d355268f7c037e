/* web_reply.c - what every web handler uses to read a request and write its answer: the
 * arguments (query and form in one JSON object), the language asked for, plain-text and
 * stylesheet answers, the refusal of a wrong method, and the test for control characters.
 *
 * It sits below the router (web.c) and the handlers (web_open311.c, web_track.c, web_kakao.c,
 * web_staff*.c), so the handlers never call back into the router. */
#include <jansson.h>
#include <libxml/uri.h>
#include <libxml/xmlmemory.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "web_internal.h"

const char *web_arg(const web_request *r, const char *name)
{
    return json_string_value(json_object_get(r->args, name));
}

const char *web_lang(const web_request *r)
{
    const char *lang = web_arg(r, "lang");
    if (lang)
        return strcmp(lang, "en") == 0 ? "en" : "ko";
    /* The first language listed is the one the browser prefers. */
    return strncasecmp(r->accept_lang, "en", 2) == 0 ? "en" : "ko";
}

void web_reply_text(web_reply *out, int status, const char *text)
{
    out->status = status;
    out->content_type = "text/plain; charset=utf-8";
    strbuf_clear(&out->body);
    strbuf_puts(&out->body, text);
    strbuf_puts(&out->body, "\n");
}

void web_reply_method(web_reply *out, const char *allow)
{
    web_reply_text(out, MHD_HTTP_METHOD_NOT_ALLOWED, "Method not allowed.");
    out->allow = allow;
}

void web_reply_stylesheet(const web_request *r, const char *css, web_reply *out)
{
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        web_reply_method(out, "GET, HEAD");
        return;
    }
    out->status = 200;
    out->content_type = "text/css; charset=utf-8";
    out->cache = "public, max-age=3600";
    strbuf_puts(&out->body, css);
}

bool web_has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F ||
            (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
             (unsigned char)s[i + 1] <= 0x9F))
            return true;
    }
    return false;
}

void web_url_escaped(strbuf *out, const char *text)
{
    xmlChar *escaped = xmlURIEscapeStr((const xmlChar *)text, (const xmlChar *)"");
    if (!escaped) {
        out->failed = true;
        return;
    }
    strbuf_puts(out, (const char *)escaped);
    xmlFree(escaped);
}

/* web_html.c - HTML pages through libxml2's writer (see web_html.h). */
#include "web_html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct html {
    xmlBufferPtr buf;
    xmlTextWriterPtr xw;
    int depth; /* elements open, closed by html_finish */
};

void html_open(html *h, const char *name, const char *attr, const char *value)
{
    xmlTextWriterStartElement(h->xw, BAD_CAST name);
    if (attr)
        xmlTextWriterWriteAttribute(h->xw, BAD_CAST attr, BAD_CAST value);
    h->depth++;
}

void html_attr(html *h, const char *name, const char *value)
{
    xmlTextWriterWriteAttribute(h->xw, BAD_CAST name, BAD_CAST value);
}

void html_close(html *h)
{
    xmlTextWriterFullEndElement(h->xw);
    h->depth--;
}

void html_end_void(html *h)
{
    xmlTextWriterEndElement(h->xw);
    h->depth--;
}

void html_text(html *h, const char *text)
{
    xmlTextWriterWriteString(h->xw, BAD_CAST text);
}

void html_textf(html *h, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    html_text(h, text);
}

void html_el(html *h, const char *name, const char *text)
{
    html_open(h, name, NULL, NULL);
    html_text(h, text);
    html_close(h);
}

void html_el_attr(html *h, const char *name, const char *attr, const char *value, const char *text)
{
    html_open(h, name, attr, value);
    html_text(h, text);
    html_close(h);
}

void html_hidden(html *h, const char *name, const char *value)
{
    html_open(h, "input", "type", "hidden");
    html_attr(h, "name", name);
    html_attr(h, "value", value);
    html_end_void(h);
}

void html_table_start(html *h, const char *caption, const char *const *heads, size_t nheads)
{
    html_open(h, "div", "class", "table");
    html_open(h, "table", NULL, NULL);
    if (caption)
        html_el(h, "caption", caption);
    html_open(h, "thead", NULL, NULL);
    html_open(h, "tr", NULL, NULL);
    for (size_t i = 0; i < nheads; i++)
        html_el_attr(h, "th", "scope", "col", heads[i]);
    html_close(h);
    html_close(h);
    html_open(h, "tbody", NULL, NULL);
}

sd_code html_begin(html **out, const char *lang, const char *title, const char *stylesheet)
{
    html *h = calloc(1, sizeof *h);
    *out = h;
    if (!h)
        return SD_ERR_NOMEM;
    h->buf = xmlBufferCreate();
    h->xw = h->buf ? xmlNewTextWriterMemory(h->buf, 0) : NULL;
    if (!h->xw) {
        xmlBufferFree(h->buf);
        free(h);
        *out = NULL;
        return SD_ERR_NOMEM;
    }
    html_open(h, "html", "lang", lang);
    html_open(h, "head", NULL, NULL);
    html_open(h, "meta", "charset", "utf-8");
    html_end_void(h);
    html_open(h, "meta", "name", "viewport");
    html_attr(h, "content", "width=device-width, initial-scale=1");
    html_end_void(h);
    html_el(h, "title", title);
    html_open(h, "link", "rel", "stylesheet");
    html_attr(h, "href", stylesheet);
    html_end_void(h);
    html_close(h);
    html_open(h, "body", NULL, NULL);
    return SD_OK;
}

void html_finish(html *h, web_reply *out)
{
    while (h->depth > 0)
        html_close(h);
    xmlFreeTextWriter(h->xw); /* flushes into buf */
    out->content_type = "text/html; charset=utf-8";
    strbuf_clear(&out->body);
    strbuf_puts(&out->body, "<!DOCTYPE html>\n");
    strbuf_append(&out->body, (const char *)xmlBufferContent(h->buf),
                  (size_t)xmlBufferLength(h->buf));
    xmlBufferFree(h->buf);
    free(h);
}

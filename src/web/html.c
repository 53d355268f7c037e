/* html.c - HTML pages written straight into a strbuf (see html.h).
 *
 * A page is a string built front to back: html_open writes "<name", html_attr adds
 * ' name="value"', and the start tag's ">" is written by whatever comes next (text, a child, the
 * close). Open elements are kept on a small stack so html_close knows which end tag to write.
 * Text escapes & < > and attribute values also " and ', which is all HTML needs for a value in
 * double quotes and for text outside <script> and <style> (we write neither). Bytes that are not
 * valid UTF-8, and control characters other than tab and newline, become U+FFFD: a page is
 * always valid UTF-8 whatever was stored. Element and attribute names come from our own code. */
#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define HTML_MAX_DEPTH 32

struct html {
    strbuf out;
    const char *open[HTML_MAX_DEPTH]; /* names of the elements open, outermost first */
    int depth;
    bool in_start_tag; /* "<name attr..." written, its ">" not yet */
};

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Appends s escaped; quotes too when in_attribute. */
static void escape(strbuf *out, const char *s, bool in_attribute)
{
    size_t len = strlen(s), run = 0, i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        const char *entity = NULL;
        size_t step = 1;
        if (c == '&')
            entity = "&amp;";
        else if (c == '<')
            entity = "&lt;";
        else if (c == '>')
            entity = "&gt;";
        else if (in_attribute && c == '"')
            entity = "&quot;";
        else if (in_attribute && c == '\'')
            entity = "&#39;";
        else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
            entity = replacement;
        else if (c >= 0x80) {
            uint32_t cp;
            step = utf8_decode_char(s + i, len - i, &cp);
            if (!step || (cp >= 0x80 && cp < 0xA0)) /* invalid, or a C1 control */
                entity = replacement, step = step ? step : 1;
        }
        if (entity) {
            strbuf_append(out, s + run, i - run);
            strbuf_puts(out, entity);
            run = i + step;
        }
        i += step;
    }
    strbuf_append(out, s + run, len - run);
}

/* Ends a pending start tag, before content or a child is written. */
static void end_start_tag(html *h)
{
    if (h->in_start_tag)
        strbuf_append(&h->out, ">", 1);
    h->in_start_tag = false;
}

void html_open(html *h, const char *name, const char *attr, const char *value)
{
    end_start_tag(h);
    if (h->depth == HTML_MAX_DEPTH) { /* a bug in a page, not in its data: fail the reply */
        h->out.failed = true;
        return;
    }
    h->open[h->depth++] = name;
    strbuf_append(&h->out, "<", 1);
    strbuf_puts(&h->out, name);
    h->in_start_tag = true;
    if (attr)
        html_attr(h, attr, value);
}

void html_attr(html *h, const char *name, const char *value)
{
    if (!h->in_start_tag) {
        h->out.failed = true;
        return;
    }
    strbuf_append(&h->out, " ", 1);
    strbuf_puts(&h->out, name);
    strbuf_append(&h->out, "=\"", 2);
    escape(&h->out, value ? value : "", true);
    strbuf_append(&h->out, "\"", 1);
}

void html_close(html *h)
{
    end_start_tag(h);
    if (h->depth == 0) {
        h->out.failed = true;
        return;
    }
    strbuf_append(&h->out, "</", 2);
    strbuf_puts(&h->out, h->open[--h->depth]);
    strbuf_append(&h->out, ">", 1);
}

/* The elements HTML parses as having no content. Any other element left without its end tag
 * swallows what follows: an SVG <rect ...> would take every later bar as its child. */
static bool is_void(const char *name)
{
    static const char *const names[] = {"area",  "base", "br",   "col",    "embed", "hr", "img",
                                        "input", "link", "meta", "source", "track", "wbr"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

void html_end_void(html *h)
{
    end_start_tag(h);
    /* nothing open, or an element that is not void: as for html_close, a bug in the page */
    if (h->depth == 0 || !is_void(h->open[h->depth - 1])) {
        h->out.failed = true;
        return;
    }
    h->depth--;
}

void html_text(html *h, const char *text)
{
    end_start_tag(h);
    escape(&h->out, text ? text : "", false);
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

/* The table, its caption and its head, inside a div.table the caller opened. */
static void table_head(html *h, const char *caption, const char *const *heads, size_t nheads)
{
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

void html_table_start(html *h, const char *caption, const char *const *heads, size_t nheads)
{
    html_open(h, "div", "class", "table");
    table_head(h, caption, heads, nheads);
}

void html_region_table_start(html *h, const char *caption, const char *const *heads, size_t nheads)
{
    html_open(h, "div", "class", "table");
    html_attr(h, "tabindex", "0");
    html_attr(h, "role", "region");
    html_attr(h, "aria-label", caption);
    table_head(h, caption, heads, nheads);
}

sd_code html_begin(html **out, const char *lang, const char *title, const char *stylesheet)
{
    html *h = calloc(1, sizeof *h);
    *out = h;
    if (!h)
        return SD_ERR_NOMEM;
    strbuf_init(&h->out);
    strbuf_puts(&h->out, "<!DOCTYPE html>\n");
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
    out->content_type = "text/html; charset=utf-8";
    strbuf_free(&out->body);
    out->body = h->out; /* the page's buffer becomes the reply's */
    free(h);
}

/* html.h - writing HTML pages: every text and attribute value is escaped, so nothing a
 * resident or clerk typed can become markup, and text that is not valid UTF-8 is mended. The page
 * is written into memory and handed to a web_reply with its doctype. Elements are opened and
 * closed by hand; void elements (input, meta, link) are ended with html_end_void, which fails the
 * reply for any other element (an SVG shape is closed with html_close instead). Element and
 * attribute names must be string literals (they are kept until the element is closed). */
#ifndef SEODONG_WEB_HTML_H
#define SEODONG_WEB_HTML_H

#include "web_internal.h"

typedef struct html html;

/* Starts a page: <html lang><head> with charset, viewport, title and stylesheet, then <body>.
 * Returns SD_OK or SD_ERR_NOMEM. */
sd_code html_begin(html **out, const char *lang, const char *title, const char *stylesheet);
/* Closes what is open, writes the page into out (status unchanged) and frees h. */
void html_finish(html *h, web_reply *out);

/* <name> with one attribute (attr NULL for none); html_attr adds more. */
void html_open(html *h, const char *name, const char *attr, const char *value);
void html_attr(html *h, const char *name, const char *value);
void html_close(html *h);
void html_end_void(html *h);
void html_text(html *h, const char *text);
void html_textf(html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* <name>text</name> */
void html_el(html *h, const char *name, const char *text);
/* <name attr="value">text</name> */
void html_el_attr(html *h, const char *name, const char *attr, const char *value, const char *text);
/* <input type="hidden" name value/> */
void html_hidden(html *h, const char *name, const char *value);
/* A scrollable table (div.table) with its caption (NULL for none) and a header row of column
 * heads, left open in its <tbody>: the caller writes the rows, then closes tbody, table, div. */
void html_table_start(html *h, const char *caption, const char *const *heads, size_t nheads);
/* The same for a table that may be wider than a phone: its scrolling div is a region named
 * caption that takes the keyboard's focus, so it can be scrolled without a mouse. */
void html_region_table_start(html *h, const char *caption, const char *const *heads, size_t nheads);

#endif

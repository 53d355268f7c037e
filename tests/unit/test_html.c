/* The HTML writer of the web pages: every byte of a text or attribute value that could become
 * markup is escaped, bytes that are not UTF-8 are mended, elements nest and close in order,
 * and a page that misuses the writer fails its reply instead of being sent half-formed. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "html.h"

static const char head[] = "<!DOCTYPE html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\">"
                           "<meta name=\"viewport\" content=\"width=device-width, "
                           "initial-scale=1\"><title>제목 &amp; 서구</title>"
                           "<link rel=\"stylesheet\" href=\"/a.css\"></head><body>";

/* The body a page function writes, without the head every page has; NULL if the reply failed. */
static char *page(void (*write)(html *))
{
    html *h;
    web_reply out = {0};
    strbuf_init(&out.body);
    if (html_begin(&h, "ko", "제목 & 서구", "/a.css") != SD_OK)
        return NULL;
    write(h);
    html_finish(h, &out);
    const char *s = strbuf_str(&out.body);
    char *body = NULL;
    if (!out.body.failed && strncmp(s, head, strlen(head)) == 0)
        body = strdup(s + strlen(head));
    else if (!out.body.failed)
        fprintf(stderr, "unexpected head: %s\n", s);
    CHECK_STR(out.content_type, "text/html; charset=utf-8");
    strbuf_free(&out.body);
    return body;
}

static void script_in_text(html *h)
{
    html_el(h, "p", "<script>alert('x')</script> & \"quoted\"");
}

static void quotes_in_attribute(html *h)
{
    html_open(h, "input", "value", "\" onfocus=\"alert(1)\" x='<y>'&");
    html_end_void(h);
}

static void broken_utf8(html *h)
{
    /* a lone continuation byte, a truncated 3-byte sequence, an overlong '/', then good text */
    html_el(h, "p",
            "a\x80"
            "b\xEA\xB0"
            "c\xC0\xAF"
            "민원");
}

static void control_characters(html *h)
{
    html_el(h, "pre",
            "tab\there\nline\x01\x1b[31m\x7f\xC2\x85"
            "end");
}

static void nesting_left_open(html *h)
{
    html_open(h, "main", NULL, NULL);
    html_open(h, "ol", "class", "timeline");
    html_open(h, "li", "aria-current", "step");
    html_text(h, "접수");
    /* html_finish closes li, ol, main, body and html */
}

static void close_too_often(html *h)
{
    html_close(h); /* body */
    html_close(h); /* html */
    html_close(h); /* nothing is open: a bug in the page */
}

static void end_void_too_often(html *h)
{
    html_close(h); /* body */
    html_close(h); /* html */
    html_end_void(h);
}

/* An SVG shape ended like an input would stay open in an HTML page, and every later shape would
 * be its child, never painted. */
static void end_void_on_svg_shape(html *h)
{
    html_open(h, "svg", "viewBox", "0 0 10 10");
    html_open(h, "rect", "width", "5");
    html_end_void(h);
}

static void svg_shapes_closed(html *h)
{
    html_open(h, "svg", "viewBox", "0 0 10 10");
    for (int i = 0; i < 2; i++) {
        html_open(h, "rect", "width", "5");
        html_close(h);
    }
}

static void attribute_after_content(html *h)
{
    html_open(h, "p", NULL, NULL);
    html_text(h, "text");
    html_attr(h, "class", "late"); /* the start tag is already written */
}

static void too_deep(html *h)
{
    for (int i = 0; i < 40; i++)
        html_open(h, "div", NULL, NULL);
}

static void table(html *h)
{
    static const char *const heads[] = {"접수번호", "상태"};
    html_table_start(h, NULL, heads, 2);
    html_hidden(h, "csrf", "a\"b");
}

static void expect(void (*write)(html *), const char *want_body)
{
    char *got = page(write);
    CHECK_STR(got, want_body);
    free(got);
}

static void expect_failure(void (*write)(html *))
{
    char *got = page(write);
    CHECK(got == NULL);
    free(got);
}

int main(void)
{
    expect(script_in_text, "<p>&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"quoted\"</p>"
                           "</body></html>");
    expect(quotes_in_attribute, "<input value=\"&quot; onfocus=&quot;alert(1)&quot; "
                                "x=&#39;&lt;y&gt;&#39;&amp;\"></body></html>");
    expect(broken_utf8, "<p>a\xEF\xBF\xBD"
                        "b\xEF\xBF\xBD\xEF\xBF\xBD"
                        "c\xEF\xBF\xBD\xEF\xBF\xBD"
                        "민원</p></body></html>");
    expect(control_characters, "<pre>tab\there\nline\xEF\xBF\xBD\xEF\xBF\xBD[31m\xEF\xBF\xBD"
                               "\xEF\xBF\xBD"
                               "end</pre></body></html>");
    expect(nesting_left_open, "<main><ol class=\"timeline\"><li aria-current=\"step\">접수</li>"
                              "</ol></main></body></html>");
    expect(table, "<div class=\"table\"><table><thead><tr><th scope=\"col\">접수번호</th>"
                  "<th scope=\"col\">상태</th></tr></thead><tbody><input type=\"hidden\" "
                  "name=\"csrf\" value=\"a&quot;b\"></tbody></table></div></body></html>");
    expect(svg_shapes_closed, "<svg viewBox=\"0 0 10 10\"><rect width=\"5\"></rect>"
                              "<rect width=\"5\"></rect></svg></body></html>");
    expect_failure(end_void_on_svg_shape);
    expect_failure(close_too_often);
    expect_failure(end_void_too_often);
    expect_failure(attribute_after_content);
    expect_failure(too_deep);
    CHECK_DONE();
}

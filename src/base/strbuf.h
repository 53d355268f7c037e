/* strbuf.h - a growable, always NUL-terminated byte string. Replies, JSON lines and expanded
 * templates are all built in one of these; allocation failure is sticky and reported once. */
#ifndef SEODONG_STRBUF_H
#define SEODONG_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *data; /* NUL-terminated, or NULL before the first append */
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed: contents are incomplete */
} strbuf;

void strbuf_init(strbuf *sb);
void strbuf_free(strbuf *sb);
void strbuf_clear(strbuf *sb);
void strbuf_append(strbuf *sb, const char *s, size_t n);
void strbuf_puts(strbuf *sb, const char *s);
void strbuf_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The contents, "" when empty: never NULL. */
const char *strbuf_str(const strbuf *sb);
/* Hands the buffer to the caller (free() it); the strbuf is left empty. NULL if it failed. */
char *strbuf_detach(strbuf *sb);

#endif

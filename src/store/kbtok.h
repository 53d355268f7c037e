/* kbtok.h - the knowledge-base tokenizer: Korean syllable bigrams plus lightly stemmed English
 * words, usable directly (kbtok_tokenize) or as the SQLite FTS5 tokenizer "seodong".
 *
 * Token rules, identical for documents and queries:
 *   - a run of Hangul syllables (U+AC00..U+D7A3) gives its overlapping bigrams
 *     ("불법주차에" -> 불법 법주 주차 차에); a run of one syllable gives that syllable;
 *   - a run of ASCII letters gives one word, folded to lower case and lightly stemmed
 *     ("Parking" -> park, "copies" -> copy, "address" stays address);
 *   - a run of ASCII digits gives one token ("032-560-4114" -> 032 560 4114);
 *   - everything else (spaces, punctuation, other scripts, invalid UTF-8) separates tokens.
 * Tokens are at most KBTOK_MAX_TOKEN bytes; longer words are truncated (and not stemmed). */
#ifndef SEODONG_KBTOK_H
#define SEODONG_KBTOK_H

#include <sqlite3.h>

/* Longest token handed to emit, in bytes. */
#define KBTOK_MAX_TOKEN 64

/* Receives one token: token[0..token_len) is the normalised token (not NUL-terminated, valid only
 * during the call), text[start..end) the bytes it came from. Return 0 to continue; any other
 * value stops tokenizing and is returned by kbtok_tokenize. */
typedef int (*kbtok_emit_fn)(void *ctx, const char *token, int token_len, int start, int end);

/* Tokenises text[0..len) (need not be NUL-terminated) the way the knowledge base indexes it,
 * calling emit once per token in text order.
 * Returns 0 when every token was emitted (also when text is NULL or len <= 0), or the first
 * non-zero value emit returned. */
int kbtok_tokenize(const char *text, int len, kbtok_emit_fn emit, void *ctx);

/* Registers the FTS5 tokenizer "seodong" on db, for
 * CREATE VIRTUAL TABLE ... USING fts5(..., tokenize='seodong'). It takes no arguments.
 * Also registers the ranking function seodong_weight(table, w0, w1, ...): the sum of the
 * weights wi of the query's phrases (in the order the MATCH expression names them) that a row
 * holds, e.g. ORDER BY seodong_weight(kb_fts, 2.5, 0.7) DESC.
 * Registration is per connection: call it on every connection that reads or writes such a table.
 * Returns SQLITE_OK; SQLITE_MISUSE when db is NULL; SQLITE_ERROR when the SQLite library lacks
 * FTS5; or the SQLite error code from preparing the fts5() lookup or registering the tokenizer
 * (for example SQLITE_NOMEM). */
int kbtok_register(sqlite3 *db);

#endif

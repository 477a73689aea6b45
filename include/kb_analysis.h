/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_analysis.h - the one text-analysis pipeline, used by the indexer and
 * the query path alike, so a word is always turned into the same terms.
 *
 *   UTF-8 text
 *     -> ICU NFKC_Casefold (case folding, "ß" -> "ss", compatibility forms,
 *        soft hyphens and other default-ignorable characters removed)
 *     -> words: runs of letters and digits; "Arbeits-Platz" yields its
 *        parts and the joined form "arbeitsplatz" at the same position,
 *        so hyphenated Leichte-Sprache spellings meet the joined ones
 *     -> Snowball "german2" stems ("ae"/"oe"/"ue" meet "ä"/"ö"/"ü")
 *
 * A kb_analyzer holds a stemmer and scratch buffers: it is not
 * thread-safe, so each thread owns one (they are cheap).  Depends on
 * kb_status, kb_buf, kb_xapian (stemmer) and ICU.
 */
#ifndef KB_ANALYSIS_H
#define KB_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb_buf.h"
#include "kb_status.h"

/* Longest word (in bytes, normalised) that becomes a term; longer runs
 * are skipped (they are not words people type). */
#define KB_WORD_MAX 64

typedef struct kb_analyzer kb_analyzer;

enum kb_token_flags {
  KB_TOK_PART = 1,   /* a part of a hyphenated word */
  KB_TOK_JOINED = 2, /* the joined form of a hyphenated word */
};

typedef struct kb_token {
  const char *word; /* normalised form, NUL-terminated, borrowed */
  size_t len;
  const char *stem; /* german2 stem, NUL-terminated, borrowed */
  size_t stem_len;
  uint32_t pos; /* word position (joined forms share the first part's) */
  unsigned flags;
  /* Where the caller may keep what it worked out about this word, so
   * that it finds it again without a look-up of its own: one pointer per
   * distinct word, NULL until the caller sets it.  Only while the
   * analyzer remembers stems (else NULL), and only as a cache: the
   * analyzer forgets it when it starts its memo afresh. */
  void **memo;
} kb_token;

/* Return false to stop. */
typedef bool (*kb_token_cb)(const kb_token *tok, void *ctx);

kb_status kb_analyzer_new(kb_analyzer **ret_an, char **reterr_msg);
void kb_analyzer_free(kb_analyzer *an);

/* With `off`, kb_analyze does not stem: each token's stem is its word.
 * For callers that only count words (stemming is a fifth of analysis). */
void kb_analyzer_no_stems(kb_analyzer *an, bool off);

/* Makes the analyzer remember the stems of the words it sees (a few MiB
 * at most): for a build, which stems every word of every record.  Off by
 * default, so that a server's analyzers do not grow with the words of
 * its queries. */
void kb_analyzer_remember_stems(kb_analyzer *an);

/* Sets every remembered word's kb_token.memo back to NULL: for a caller
 * that kept pointers there and is about to free what they point to. */
void kb_analyzer_clear_memo(kb_analyzer *an);

/* Normalises `text` (NFKC_Casefold) into `out` (replacing its contents).
 * Invalid UTF-8 is replaced by U+FFFD, never passed on. */
kb_status kb_normalize(kb_analyzer *an, const char *text, size_t len,
                       kb_buf *out, char **reterr_msg);

/* Splits `text` into tokens and calls `cb` for each.  *pos is the
 * position of the first word and is advanced past the last (so several
 * fields can be analysed into one position space). */
kb_status kb_analyze(kb_analyzer *an, const char *text, size_t len,
                     uint32_t *pos, kb_token_cb cb, void *ctx,
                     char **reterr_msg);

/* The analyzer's german2 stemmer (borrowed), for Xapian's snippets. */
struct kbx_stem *kb_analyzer_stemmer(kb_analyzer *an);

/* Stems one already-normalised word into buf; KB_ERR_LIMIT if too long. */
kb_status kb_stem_word(kb_analyzer *an, const char *word, size_t len, char *buf,
                       size_t cap, size_t *ret_len);

/* The key a word or phrase is known by in the synonym table: its
 * normalised words joined by single spaces ("Betriebliches
 * Eingliederungsmanagement" -> "betriebliches eingliederungsmanagement").
 * Hyphenated words contribute their parts.  Replaces `out`'s contents. */
kb_status kb_phrase_key(kb_analyzer *an, const char *text, size_t len,
                        kb_buf *out, char **reterr_msg);

/* True for German function words ("der", "und", "bei") that a query
 * should not require. */
bool kb_is_stopword(const char *word, size_t len);

#endif

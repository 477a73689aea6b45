/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-analysis.c - the text-analysis pipeline on arbitrary bytes,
 * invalid UTF-8 included.
 *
 * One analyzer (created on the first input) runs kb_normalize,
 * kb_analyze and kb_phrase_key over each input.  Checked promises
 * (kb_analysis.h):
 * - normalised text is valid UTF-8 ("invalid UTF-8 is replaced by
 *   U+FFFD, never passed on");
 * - every token is a non-empty, valid UTF-8 word of at most KB_WORD_MAX
 *   bytes with its stated length, a stem of its stated length, known
 *   flags, and a position in [start, *pos); words that are not joined
 *   forms come in strictly increasing positions, and a joined form
 *   shares the position of the part after it;
 * - returning false from the callback stops the tokens;
 * - kb_phrase_key is the token words (without joined forms) separated
 *   by single spaces.
 *
 * Depends on kb_analysis, kb_buf.
 */
#include <string.h>

#include "fuzz.h"
#include "kb_analysis.h"
#include "kb_buf.h"

enum { START_POS = 1000 };

static kb_analyzer *analyzer;

/* One analyzer for the whole run; it lives until exit. */
static kb_analyzer *the_analyzer(void) {
  if (analyzer == NULL) {
    char *err = NULL;
    kb_status st = kb_analyzer_new(&analyzer, &err);
    if (st != KB_OK) {
      fprintf(stderr, "fuzz-analysis: no analyzer: %s\n", err ? err : "");
      abort();
    }
  }
  return analyzer;
}

typedef struct seen {
  kb_analyzer *an;
  kb_buf key;        /* the phrase key as the tokens spell it */
  size_t count;      /* tokens delivered */
  size_t stop_after; /* return false after this many (0: never) */
  bool have_last;
  uint32_t last; /* position of the last non-joined token */
  bool joined_pending;
  uint32_t joined_pos;
} seen;

static bool on_token(const kb_token *t, void *ctx) {
  seen *s = ctx;
  FUZZ_CHECK(s->stop_after == 0 || s->count < s->stop_after);
  s->count++;
  FUZZ_CHECK(t->word != NULL && t->len > 0 && t->len <= KB_WORD_MAX);
  FUZZ_CHECK(strlen(t->word) == t->len);
  FUZZ_CHECK(fuzz_utf8_valid((const uint8_t *)t->word, t->len, false));
  FUZZ_CHECK(t->stem != NULL && strlen(t->stem) == t->stem_len);
  FUZZ_CHECK(t->flags == 0 || t->flags == KB_TOK_PART ||
             t->flags == KB_TOK_JOINED);
  FUZZ_CHECK(t->pos >= START_POS);
  if (t->flags == KB_TOK_JOINED) {
    FUZZ_CHECK(!s->have_last || t->pos > s->last);
    s->joined_pending = true;
    s->joined_pos = t->pos;
  } else {
    FUZZ_CHECK(!s->have_last || t->pos > s->last);
    if (s->joined_pending)
      FUZZ_CHECK(t->pos == s->joined_pos && t->flags == KB_TOK_PART);
    s->joined_pending = false;
    s->have_last = true;
    s->last = t->pos;
    if (s->key.len)
      kb_buf_addc(&s->key, ' ');
    kb_buf_add(&s->key, t->word, t->len);
  }
  (void)kb_is_stopword(t->word, t->len);
  /* Stemming into a buffer too small is refused, never overrun. */
  char small[6];
  size_t slen = 0;
  if (kb_stem_word(s->an, t->word, t->len, small, sizeof small, &slen) == KB_OK)
    FUZZ_CHECK(slen < sizeof small && strlen(small) == slen);
  return s->stop_after == 0 || s->count < s->stop_after;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kb_analyzer *an = the_analyzer();
  const char *text = (const char *)data;
  char *err = NULL;

  kb_buf norm = KB_BUF_INIT(64u << 20);
  kb_status st = kb_normalize(an, text, size, &norm, &err);
  FUZZ_CHECK(st == KB_OK || st == KB_ERR_NOMEM);
  if (st == KB_OK)
    FUZZ_CHECK(
        fuzz_utf8_valid((const uint8_t *)kb_buf_str(&norm), norm.len, true));
  kb_buf_release(&norm);
  free(err);
  err = NULL;

  seen all = {.an = an, .key = KB_BUF_INIT(64u << 20)};
  uint32_t pos = START_POS;
  st = kb_analyze(an, text, size, &pos, on_token, &all, &err);
  FUZZ_CHECK(st == KB_OK || st == KB_ERR_NOMEM);
  if (st == KB_OK) {
    FUZZ_CHECK(pos >= START_POS);
    FUZZ_CHECK(!all.have_last || all.last < pos);
    FUZZ_CHECK(!all.joined_pending);

    kb_buf key = KB_BUF_INIT(64u << 20);
    st = kb_phrase_key(an, text, size, &key, &err);
    FUZZ_CHECK(st == KB_OK || st == KB_ERR_NOMEM);
    if (st == KB_OK && kb_buf_status(&all.key) == KB_OK)
      FUZZ_CHECK(key.len == all.key.len &&
                 strcmp(kb_buf_str(&key), kb_buf_str(&all.key)) == 0);
    kb_buf_release(&key);

    /* Stopping early: the callback is not called again. */
    if (all.count > 1) {
      seen some = {.an = an,
                   .key = KB_BUF_INIT(64u << 20),
                   .stop_after = 1 + size % (all.count - 1)};
      uint32_t pos2 = START_POS;
      st = kb_analyze(an, text, size, &pos2, on_token, &some, &err);
      FUZZ_CHECK(st == KB_OK || st == KB_ERR_NOMEM);
      if (st == KB_OK)
        FUZZ_CHECK(some.count == some.stop_after);
      kb_buf_release(&some.key);
    }
  }
  kb_buf_release(&all.key);
  free(err);
  return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * suggest.c - completions of the last word of a query (see kb_suggest.h).
 *
 * Two bounded prefix scans over the term list: title words ("S" prefix,
 * weighted KB_SUGGEST_TITLE_WEIGHT) and unprefixed words.  Candidates are
 * kept in a small fixed table that merges a word seen in both scans and
 * drops the weakest when full; the best KB_SUGGEST_MAX win.
 */
#include "kb_suggest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kb_buf.h"
#include "kb_index.h"
#include "kb_layout.h"
#include "kb_text.h"
#include "kb_xapian.h"

/* A title word counts this many times an article's body word. */
#define KB_SUGGEST_TITLE_WEIGHT 4
/* Candidates kept while scanning (more than are returned, so merging the
 * two scans rarely loses a word). */
#define CANDIDATES 48

typedef struct cand {
  char word[KB_WORD_MAX + 1];
  size_t len;
  uint64_t score;
} cand;

typedef struct table {
  cand c[CANDIDATES];
  size_t n;
  size_t skip;     /* bytes of term prefix to drop ("S" -> 1) */
  unsigned weight; /* score per article */
} table;

/* Letters and digits in ASCII, and every byte of a multi-byte UTF-8
 * character (umlauts, ß), make up words. */
static bool word_byte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

/* Where the last word of s[0..n) starts (n if s ends in a non-word). */
static size_t last_word(const char *s, size_t n) {
  size_t i = n;
  while (i > 0 && word_byte((unsigned char)s[i - 1]))
    i--;
  return i;
}

static size_t utf8_chars(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += ((unsigned char)s[i] & 0xC0) != 0x80;
  return k;
}

static bool take(const char *term, size_t len, uint64_t freq, void *ctx) {
  table *t = ctx;
  if (len <= t->skip)
    return true;
  const char *w = term + t->skip;
  size_t wl = len - t->skip;
  if (wl > KB_WORD_MAX || kb_is_stopword(w, wl))
    return true;
  uint64_t score = freq * t->weight;
  for (size_t i = 0; i < t->n; i++) {
    if (t->c[i].len == wl && memcmp(t->c[i].word, w, wl) == 0) {
      t->c[i].score += score;
      return true;
    }
  }
  size_t slot = t->n;
  if (t->n == CANDIDATES) {
    slot = 0;
    for (size_t i = 1; i < t->n; i++)
      if (t->c[i].score < t->c[slot].score)
        slot = i;
    if (t->c[slot].score >= score)
      return true;
  } else {
    t->n++;
  }
  memcpy(t->c[slot].word, w, wl);
  t->c[slot].word[wl] = '\0';
  t->c[slot].len = wl;
  t->c[slot].score = score;
  return true;
}

/* Best first; among equals the shorter word, then byte order. */
static int cmp_cand(const void *a, const void *b) {
  const cand *x = a, *y = b;
  if (x->score != y->score)
    return x->score < y->score ? 1 : -1;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return strcmp(x->word, y->word);
}

/* An upper-case first letter: ASCII, or Latin-1 capitals as UTF-8. */
static bool starts_upper(const char *s, size_t n) {
  unsigned char c = (unsigned char)s[0];
  if (c >= 'A' && c <= 'Z')
    return true;
  if (n >= 2 && c == 0xC3) {
    unsigned char d = (unsigned char)s[1];
    return d >= 0x80 && d <= 0x9E && d != 0x97;
  }
  return false;
}

/* Appends `w` to `out` (room `cap` including the NUL, at `*pos`), with
 * its first letter upper-cased when `upper`. */
static void put_word(char *out, size_t cap, size_t *pos, const char *w,
                     size_t wl, bool upper) {
  if (*pos + wl + 1 > cap)
    return;
  memcpy(out + *pos, w, wl);
  unsigned char c = (unsigned char)w[0];
  if (upper && c >= 'a' && c <= 'z')
    out[*pos] = (char)(c - 'a' + 'A');
  else if (upper && wl >= 2 && c == 0xC3) {
    unsigned char d = (unsigned char)w[1];
    if (d >= 0xA0 && d <= 0xBE && d != 0xB7)
      out[*pos + 1] = (char)(d - 0x20);
  }
  *pos += wl;
  out[*pos] = '\0';
}

kb_status kb_suggest(kbx_db *db, kb_analyzer *an, const char *q, size_t len,
                     kb_completions *ret, char **reterr_msg) {
  if (len > KB_SUGGEST_QUERY_MAX)
    return kb_fail(KB_ERR_LIMIT, reterr_msg,
                   "the text to complete is longer than %d bytes",
                   KB_SUGGEST_QUERY_MAX);
  if (!kb_utf8_valid(q, len))
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "the text to complete is not valid UTF-8");
  ret->n = 0;
  size_t ostart = last_word(q, len);
  if (ostart == len)
    return KB_OK;

  /* Normalise only the last word: the earlier ones stay as typed. */
  kb_buf norm = KB_BUF_INIT(KB_SUGGEST_QUERY_MAX * 4 + 16);
  kb_status st = kb_normalize(an, q + ostart, len - ostart, &norm, reterr_msg);
  if (st != KB_OK)
    goto out;
  const char *nw = kb_buf_str(&norm);
  size_t nstart = last_word(nw, norm.len);
  nw += nstart;
  size_t nlen = norm.len - nstart;
  if (nlen == 0 || nlen > KB_WORD_MAX ||
      utf8_chars(nw, nlen) < KB_SUGGEST_MIN_CHARS)
    goto out;

  table t = {.n = 0};
  char prefix[KB_WORD_MAX + 2];
  size_t plen = strlen(KB_PREFIX_TITLE);
  memcpy(prefix, KB_PREFIX_TITLE, plen);
  memcpy(prefix + plen, nw, nlen);
  prefix[plen + nlen] = '\0';
  t.skip = plen;
  t.weight = KB_SUGGEST_TITLE_WEIGHT;
  st = kbx_db_allterms_freq(db, prefix, KB_SUGGEST_SCAN_MAX, take, &t,
                            reterr_msg);
  if (st != KB_OK)
    goto out;
  t.skip = 0;
  t.weight = 1;
  st = kbx_db_allterms_freq(db, prefix + plen, KB_SUGGEST_SCAN_MAX, take, &t,
                            reterr_msg);
  if (st != KB_OK)
    goto out;
  qsort(t.c, t.n, sizeof *t.c, cmp_cand);

  const char *typed = q + ostart;
  size_t typed_len = len - ostart;
  bool upper = starts_upper(typed, typed_len);
  for (size_t i = 0; i < t.n && ret->n < KB_SUGGEST_MAX; i++) {
    char *out = ret->text[ret->n];
    size_t pos = ostart;
    memcpy(out, q, ostart);
    out[pos] = '\0';
    if (t.c[i].len == nlen && memcmp(t.c[i].word, nw, nlen) == 0)
      put_word(out, KB_SUGGEST_TEXT_MAX, &pos, typed, typed_len, false);
    else
      put_word(out, KB_SUGGEST_TEXT_MAX, &pos, t.c[i].word, t.c[i].len, upper);
    ret->n++;
  }
out:
  kb_buf_release(&norm);
  return st;
}

/* ---- a reader that follows the index ---------------------------------- */

struct kb_suggester {
  char *dbpath;
  char *current; /* the generation directory open now */
  kbx_db *db;
  kb_analyzer *an;
};

kb_status kb_suggester_open(const char *dbpath, kb_suggester **ret_sg,
                            char **reterr_msg) {
  kb_suggester *sg = calloc(1, sizeof *sg);
  if (sg == NULL)
    return KB_ERR_NOMEM;
  kb_status st = KB_ERR_NOMEM;
  sg->dbpath = strdup(dbpath);
  if (sg->dbpath == NULL)
    goto fail;
  st = kb_index_current(dbpath, &sg->current, reterr_msg);
  if (st == KB_OK)
    st = kbx_db_open(sg->current, &sg->db, reterr_msg);
  if (st == KB_OK)
    st = kb_analyzer_new(&sg->an, reterr_msg);
  if (st != KB_OK)
    goto fail;
  *ret_sg = sg;
  return KB_OK;
fail:
  kb_suggester_close(sg);
  return st;
}

void kb_suggester_close(kb_suggester *sg) {
  if (sg == NULL)
    return;
  kbx_db_close(sg->db);
  kb_analyzer_free(sg->an);
  free(sg->dbpath);
  free(sg->current);
  free(sg);
}

kb_status kb_suggester_refresh(kb_suggester *sg, char **reterr_msg) {
  char *now = NULL;
  kb_status st = kb_index_current(sg->dbpath, &now, reterr_msg);
  if (st != KB_OK)
    return st;
  if (strcmp(now, sg->current) == 0) {
    free(now);
    return kbx_db_reopen(sg->db, NULL, reterr_msg);
  }
  /* A new generation was published: switch to it. */
  kbx_db *db = NULL;
  st = kbx_db_open(now, &db, reterr_msg);
  if (st != KB_OK) {
    free(now);
    return st;
  }
  kbx_db_close(sg->db);
  sg->db = db;
  free(sg->current);
  sg->current = now;
  return KB_OK;
}

kb_status kb_suggester_complete(kb_suggester *sg, const char *q, size_t len,
                                kb_completions *ret, char **reterr_msg) {
  return kb_suggest(sg->db, sg->an, q, len, ret, reterr_msg);
}

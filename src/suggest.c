/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * suggest.c - completions of the last word of a query (see kb_suggest.h).
 *
 * Two bounded prefix scans find the candidates: the words of titles and
 * keywords fields ("XW" terms, see index_suggest.c) and the single-word
 * keys of the synonym table.  They are kept in a small fixed table that
 * merges a word seen twice and drops the rarest when full.  Each is then
 * scored by the records it leads to (suggest_docs.c) - only those that
 * also fit the earlier words of the query - and the best KB_SUGGEST_MAX
 * win.
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
#include "suggest_internal.h"

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

/* Synonym keys as candidates: single words only (a phrase key's later
 * words are not what the last typed word completes). */
static bool take_synonym(const char *key, size_t len, void *ctx) {
  if (memchr(key, ' ', len) == NULL)
    take(key, len, 1, ctx);
  return true;
}

/* The records the earlier words of the query (`n` bytes at `q`) stand
 * for, in *ret; *ret_any is false when none of them constrains (no
 * earlier words, or only stopwords and words in no title).  A known word
 * narrows the set; words that are never together leave it empty. */
static kb_status context(kbx_db *db, kb_analyzer *an, const char *q, size_t n,
                         kbi_docset *ret, bool *ret_any, char **reterr_msg) {
  *ret_any = false;
  kb_buf key = KB_BUF_INIT(KB_SUGGEST_QUERY_MAX * 4 + 16);
  kb_status st = n ? kb_phrase_key(an, q, n, &key, reterr_msg) : KB_OK;
  for (const char *w = kb_buf_str(&key); st == KB_OK && *w;) {
    size_t l = strcspn(w, " ");
    kbi_docset d = {0};
    if (l >= 2 && !kb_is_stopword(w, l))
      st = kbi_suggest_context_docs(db, an, w, l, &d, reterr_msg);
    if (st == KB_OK && d.n > 0 && !*ret_any) {
      kbi_docset_release(ret);
      *ret = d;
      d = (kbi_docset){0};
      *ret_any = true;
    } else if (st == KB_OK && d.n > 0) {
      kbi_docset_intersect(ret, &d);
    }
    kbi_docset_release(&d);
    w += l + (w[l] == ' ');
  }
  kb_buf_release(&key);
  return st;
}

/* Scores each candidate by the records it leads to - within `ctx` when
 * `any` - and drops those that lead nowhere. */
static kb_status rank(kbx_db *db, table *t, const kbi_docset *ctx, bool any,
                      char **reterr_msg) {
  size_t k = 0;
  kb_status st = KB_OK;
  for (size_t i = 0; i < t->n && st == KB_OK; i++) {
    kbi_docset d = {0};
    st = kbi_suggest_docs(db, t->c[i].word, t->c[i].len, &d, reterr_msg);
    if (st == KB_OK && any)
      kbi_docset_intersect(&d, ctx);
    t->c[i].score = d.n;
    kbi_docset_release(&d);
    if (t->c[i].score > 0)
      t->c[k++] = t->c[i];
  }
  t->n = k;
  return st;
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
  kbi_docset ctx = {0};
  bool any = false;
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
  char prefix[KB_WORD_MAX + 8];
  size_t plen = strlen(KB_PREFIX_SUGGEST);
  memcpy(prefix, KB_PREFIX_SUGGEST, plen);
  memcpy(prefix + plen, nw, nlen);
  prefix[plen + nlen] = '\0';
  t.skip = plen;
  t.weight = 1;
  st = kbx_db_allterms_freq(db, prefix, KB_SUGGEST_SCAN_MAX, take, &t,
                            reterr_msg);
  if (st == KB_OK) {
    t.skip = 0;
    st = kbx_db_synonym_keys(db, prefix + plen, KB_SUGGEST_SCAN_MAX,
                             take_synonym, &t, reterr_msg);
  }
  if (st == KB_OK)
    st = context(db, an, q, ostart, &ctx, &any, reterr_msg);
  if (st == KB_OK)
    st = rank(db, &t, &ctx, any, reterr_msg);
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
  kbi_docset_release(&ctx);
  kb_buf_release(&norm);
  return st;
}

/* ---- a reader that follows the index ---------------------------------- */

struct kb_suggester {
  char *dbpath;
  char *current;        /* the generation directory open now */
  uint64_t fingerprint; /* kb_index_fingerprint() of it, when opened */
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
  if (st == KB_OK) {
    sg->fingerprint = kb_index_fingerprint(sg->current);
    st = kb_index_open(sg->current, &sg->db, reterr_msg);
  }
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
  uint64_t fingerprint = kb_index_fingerprint(now);
  if (strcmp(now, sg->current) == 0 && fingerprint == sg->fingerprint) {
    free(now);
    return kbx_db_reopen(sg->db, NULL, reterr_msg);
  }
  /* A new generation was published (or a stub file given as the index
   * changed): open it by path. */
  kbx_db *db = NULL;
  st = kb_index_open(now, &db, reterr_msg);
  if (st != KB_OK) {
    free(now);
    return st;
  }
  kbx_db_close(sg->db);
  sg->db = db;
  free(sg->current);
  sg->current = now;
  sg->fingerprint = fingerprint;
  return KB_OK;
}

kb_status kb_suggester_complete(kb_suggester *sg, const char *q, size_t len,
                                kb_completions *ret, char **reterr_msg) {
  return kb_suggest(sg->db, sg->an, q, len, ret, reterr_msg);
}

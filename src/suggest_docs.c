/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * suggest_docs.c - which records a word of autocomplete stands for (see
 * suggest_internal.h): the records with the word in their title or
 * keywords ("XW" terms), and those with every word of one of its
 * synonyms there ("BEM" -> "Betriebliches Eingliederungsmanagement").
 * Sets are sorted docid arrays, bounded by KB_SUGGEST_DOCS_MAX.
 */
#include "suggest_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_analysis.h"
#include "kb_layout.h"

void kbi_docset_release(kbi_docset *d) {
  free(d->v);
  *d = (kbi_docset){0};
}

static bool push(kbi_docset *d, kbx_docid id) {
  if (d->n == KB_SUGGEST_DOCS_MAX)
    return false; /* bounded: a word in that many titles needs no proof */
  if (d->n == d->cap) {
    size_t cap = d->cap ? 2 * d->cap : 16;
    kbx_docid *v = realloc(d->v, cap * sizeof *v);
    if (v == NULL) {
      d->nomem = true;
      return false;
    }
    d->v = v;
    d->cap = cap;
  }
  d->v[d->n++] = id;
  return true;
}

static bool collect(kbx_docid id, void *ctx) { return push(ctx, id); }

/* *d = *d ∩ *o. */
static void intersect(kbi_docset *d, const kbi_docset *o) {
  size_t i = 0, j = 0, k = 0;
  while (i < d->n && j < o->n) {
    if (d->v[i] < o->v[j])
      i++;
    else if (d->v[i] > o->v[j])
      j++;
    else
      d->v[k++] = d->v[i++], j++;
  }
  d->n = k;
}

/* *d = *d ∪ *o. */
static void unite(kbi_docset *d, const kbi_docset *o) {
  kbi_docset u = {0};
  size_t i = 0, j = 0;
  while (i < d->n || j < o->n) {
    kbx_docid next;
    if (j == o->n || (i < d->n && d->v[i] < o->v[j]))
      next = d->v[i++];
    else if (i == d->n || o->v[j] < d->v[i])
      next = o->v[j++];
    else
      next = d->v[i++], j++;
    if (!push(&u, next))
      break;
  }
  d->nomem |= u.nomem;
  free(d->v);
  d->v = u.v;
  d->n = u.n;
  d->cap = u.cap;
}

/* The records with `word` (len bytes, normalised) as an XW term. */
static kb_status word_docs(kbx_db *db, const char *word, size_t len,
                           kbi_docset *ret, char **reterr_msg) {
  char term[KB_WORD_MAX * 4 + 8];
  if (len + sizeof KB_PREFIX_SUGGEST > sizeof term)
    return KB_OK; /* longer than any term: in no record */
  snprintf(term, sizeof term, "%s%.*s", KB_PREFIX_SUGGEST, (int)len, word);
  kb_status st = kbx_db_postlist(db, term, collect, ret, reterr_msg);
  return st == KB_OK && ret->nomem ? KB_ERR_NOMEM : st;
}

/* The records with every word of the phrase `p` as XW terms. */
static kb_status phrase_docs(kbx_db *db, const char *p, kbi_docset *ret,
                             char **reterr_msg) {
  kb_status st = KB_OK;
  bool first = true;
  while (*p && st == KB_OK && (first || ret->n > 0)) {
    size_t l = strcspn(p, " ");
    kbi_docset w = {0};
    st = word_docs(db, p, l, first ? ret : &w, reterr_msg);
    if (!first)
      intersect(ret, &w);
    kbi_docset_release(&w);
    first = false;
    p += l + (p[l] == ' ');
  }
  return st;
}

/* What the term and synonym callbacks gather into. */
typedef struct gather {
  kbx_db *db;
  kbi_docset *d;
  kb_status st;
  char **reterr_msg;
} gather;

/* Unites *w (then released) into g's set; false to stop on an error. */
static bool join(gather *g, kbi_docset *w) {
  if (g->st == KB_OK)
    unite(g->d, w);
  kbi_docset_release(w);
  if (g->st == KB_OK && g->d->nomem)
    g->st = KB_ERR_NOMEM;
  return g->st == KB_OK;
}

/* One synonym phrase of a word: the records with all its words. */
static bool add_synonym(const char *s, size_t len, void *ctx) {
  gather *g = ctx;
  char phrase[KB_SUGGEST_QUERY_MAX * 4 + 1];
  if (len >= sizeof phrase)
    return true;
  memcpy(phrase, s, len);
  phrase[len] = '\0';
  kbi_docset p = {0};
  g->st = phrase_docs(g->db, phrase, &p, g->reterr_msg);
  return join(g, &p);
}

/* One XW term of a word's forms: its records. */
static bool add_form(const char *term, size_t len, void *ctx) {
  gather *g = ctx;
  size_t skip = strlen(KB_PREFIX_SUGGEST);
  kbi_docset w = {0};
  g->st = word_docs(g->db, term + skip, len - skip, &w, g->reterr_msg);
  return join(g, &w);
}

/* Adds the synonyms' records of `word` to *ret. */
static kb_status synonym_docs(kbx_db *db, const char *word, size_t len,
                              kbi_docset *ret, char **reterr_msg) {
  char key[KB_WORD_MAX * 4 + 1];
  if (len >= sizeof key)
    return KB_OK;
  memcpy(key, word, len);
  key[len] = '\0';
  gather g = {.db = db, .d = ret, .st = KB_OK, .reterr_msg = reterr_msg};
  kb_status st = kbx_db_synonyms(db, key, add_synonym, &g, reterr_msg);
  return st != KB_OK ? st : g.st;
}

kb_status kbi_suggest_docs(kbx_db *db, const char *word, size_t len,
                           kbi_docset *ret, char **reterr_msg) {
  kb_status st = word_docs(db, word, len, ret, reterr_msg);
  return st != KB_OK ? st : synonym_docs(db, word, len, ret, reterr_msg);
}

/* Bytes the word and its stem share at the start, ending on a whole
 * character ("schwerbehinderte", "schwerbehindert" -> 15). */
static size_t common_start(const char *w, size_t wl, const char *s, size_t sl) {
  size_t n = 0;
  while (n < wl && n < sl && w[n] == s[n])
    n++;
  while (n > 0 && n < wl && ((unsigned char)w[n] & 0xC0) == 0x80)
    n--;
  return n;
}

kb_status kbi_suggest_context_docs(kbx_db *db, kb_analyzer *an,
                                   const char *word, size_t len,
                                   kbi_docset *ret, char **reterr_msg) {
  char stem[KB_WORD_MAX * 4 + 8], prefix[KB_WORD_MAX * 4 + 16];
  size_t sl = 0, cl = 0;
  if (kb_stem_word(an, word, len, stem, sizeof stem, &sl) == KB_OK)
    cl = common_start(word, len, stem, sl);
  /* Short stems would stand for unrelated words: the word as written. */
  if (cl < KB_SUGGEST_STEM_MIN)
    return kbi_suggest_docs(db, word, len, ret, reterr_msg);
  snprintf(prefix, sizeof prefix, "%s%.*s", KB_PREFIX_SUGGEST, (int)cl, word);
  gather g = {.db = db, .d = ret, .st = KB_OK, .reterr_msg = reterr_msg};
  kb_status st = kbx_db_allterms(db, prefix, KB_SUGGEST_FORMS_MAX, add_form, &g,
                                 reterr_msg);
  if (st == KB_OK)
    st = g.st;
  return st != KB_OK ? st : synonym_docs(db, word, len, ret, reterr_msg);
}

void kbi_docset_intersect(kbi_docset *d, const kbi_docset *o) {
  intersect(d, o);
}

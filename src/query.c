/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * query.c - the query parser and builder (see kb_query.h).
 *
 * Three passes: legal citations are taken out of the text first (they
 * contain dots, digits and "§" that would otherwise become noise words);
 * the rest is split into items (words, phrases, prefixed fields,
 * wildcards) with their modifiers; then items become Xapian queries, with
 * synonyms looked up for single words and for runs of up to three words.
 */
#include "kb_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "kb_cite.h"
#include "kb_filenumber.h"
#include "kb_layout.h"
#include "query_internal.h"

/* ---- small query helpers -------------------------------------------- */

/* What the stemmer makes of the letters of `prefix` (umlauts, "ae"...),
 * without taking an ending off: the stems of the words that begin with
 * `prefix` begin with it, as far as they reach.  Into buf ("Z" + it). */
static void stem_space_prefix(builder *b, const char *prefix, char *buf,
                              size_t cap) {
  char probe[KB_WORD_MAX + 8], stem[KB_WORD_MAX * 2 + 8];
  size_t n = strlen(prefix), sl = 0;
  /* "xq" ends no German word: the stemmer leaves it, and the letters
   * before it, as it leaves the inside of a word. */
  snprintf(probe, sizeof probe, "%sxq", prefix);
  if (n + 2 < sizeof probe &&
      kb_stem_word(b->an, probe, n + 2, stem, sizeof stem, &sl) == KB_OK &&
      sl >= 2 && memcmp(stem + sl - 2, "xq", 2) == 0)
    snprintf(buf, cap, "%s%.*s", KB_PREFIX_STEM, (int)(sl - 2), stem);
  else
    snprintf(buf, cap, "%s%s", KB_PREFIX_STEM, prefix);
}

/* Words of the spelling table read for one prefix, at most: more are
 * left out in byte order (their stems are mostly among the stems that
 * begin like the prefix anyway). */
#define PREFIX_WORDS_MAX 4096

typedef struct prefix_terms {
  builder *b;
  const char *prefix;
  kb_strv terms;
  char own[KB_WORD_MAX * 2 + 16]; /* the prefix's stem, when it is a word */
  kb_status st;
} prefix_terms;

static bool take_term(const char *t, size_t len, void *ctx) {
  prefix_terms *pt = ctx;
  if (pt->st == KB_OK)
    pt->st = kb_strv_pushn(&pt->terms, t, len);
  return pt->st == KB_OK;
}

/* A word of the spelling table: its stem's term. */
static bool take_word(const char *w, size_t len, uint64_t freq, void *ctx) {
  (void)freq;
  prefix_terms *pt = ctx;
  char stem[KB_WORD_MAX * 2 + 8], t[KB_WORD_MAX * 2 + 16];
  size_t sl = 0;
  if (kb_stem_word(pt->b->an, w, len, stem, sizeof stem, &sl) != KB_OK)
    return true; /* longer than any word: not indexed either */
  snprintf(t, sizeof t, "%s%.*s", KB_PREFIX_STEM, (int)sl, stem);
  if (len == strlen(pt->prefix) && memcmp(w, pt->prefix, len) == 0)
    memcpy(pt->own, t, strlen(t) + 1); /* the first word, if any */
  pt->st = kb_strv_push(&pt->terms, t);
  return pt->st == KB_OK;
}

/* kbi_prefix_query's work; failures in *st and *reterr_msg. */
static kbx_query *prefix_query(builder *b, const char *prefix, unsigned max,
                               kb_status *st, char **reterr_msg) {
  /* The index has stems only.  The words that begin with `prefix` are
   * the spelling table's (the corpus' words as written): their stems,
   * which can be shorter than the prefix ("Leistunge*" -> leistung).
   * And the stems that begin like the prefix, for what that table does
   * not hold (compound parts, numbers, short words). */
  prefix_terms pt = {.b = b, .prefix = prefix};
  char z[KB_WORD_MAX * 2 + 16];
  stem_space_prefix(b, prefix, z, sizeof z);
  *st = kbx_db_allterms(b->db, z, PREFIX_WORDS_MAX, take_term, &pt, reterr_msg);
  if (*st == KB_OK)
    *st = kbx_db_spelling_words(b->db, prefix, PREFIX_WORDS_MAX, take_word, &pt,
                                reterr_msg);
  if (*st == KB_OK)
    *st = pt.st;
  /* The prefix as a word of its own ("Förderung*": forder; the walk's
   * first word) stays whatever the others' frequencies. */
  kbx_query *q = NULL;
  if (*st == KB_OK)
    *st =
        kbx_query_synonym_of(b->db, (const char *const *)pt.terms.v, pt.terms.n,
                             max, pt.own[0] ? pt.own : NULL, &q, reterr_msg);
  kb_strv_release(&pt.terms);
  return q;
}

kbx_query *kbi_prefix_query(builder *b, const char *prefix, unsigned max) {
  if (b->st != KB_OK)
    return NULL;
  return prefix_query(b, prefix, max, &b->st, b->reterr_msg);
}

kbx_query *kbi_prefix_query_quiet(builder *b, const char *prefix,
                                  unsigned max) {
  if (b->st != KB_OK)
    return NULL;
  kb_status st = KB_OK;
  char *err = NULL;
  kbx_query *q = prefix_query(b, prefix, max, &st, &err);
  free(err);
  return q;
}

kbx_query *kbi_qterm(builder *b, const char *t) {
  kbx_query *q = NULL;
  if (b->st == KB_OK)
    b->st = kbx_query_term(t, 1, 0, &q, b->reterr_msg);
  return q;
}

kbx_query *kbi_qcombine(builder *b, enum kbx_op op, kbx_query **subs, size_t n,
                        unsigned window) {
  kbx_query *q = NULL;
  if (b->st == KB_OK && n == 1 && op != KBX_OP_PHRASE)
    b->st = kbx_query_scale(subs[0], 1.0, &q, b->reterr_msg);
  else if (b->st == KB_OK && n > 0)
    b->st = kbx_query_combine(op, subs, n, window, &q, b->reterr_msg);
  return q;
}

void kbi_qfree_all(kbx_query **qs, size_t n) {
  for (size_t i = 0; i < n; i++)
    kbx_query_free(qs[i]);
}

/* ---- lexing ---------------------------------------------------------- */

static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Field prefixes of a query: the title, every facet by its query prefix
 * ("typ:") or API name ("type:"), and keyword fields by their query
 * prefix ("thema:") or name - all from the schema. */
enum { QF_NONE, QF_TITLE, QF_FACET, QF_KEYWORDS };

static int known_field(const builder *b, const char *s, size_t n,
                       size_t *ret_idx) {
  char low[48];
  if (n == 0 || n >= sizeof low)
    return QF_NONE;
  for (size_t i = 0; i < n; i++)
    low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
  low[n] = '\0';
  if (strcmp(low, "titel") == 0 || strcmp(low, "title") == 0)
    return QF_TITLE;
  const kb_schema *sc = b->vocab ? b->vocab->schema : NULL;
  for (size_t i = 0; sc && i < sc->nfacets; i++) {
    const char *q = sc->facets[i].query;
    if ((q && strcmp(low, q) == 0) || strcmp(low, sc->facets[i].name) == 0) {
      *ret_idx = i;
      return QF_FACET;
    }
  }
  for (size_t i = 0; sc && i < sc->nfields; i++) {
    const kb_sfield *f = &sc->fields[i];
    if (f->type == KB_FT_KEYWORDS &&
        ((f->query && strcmp(low, f->query) == 0) ||
         strcmp(low, f->name) == 0)) {
      *ret_idx = i;
      return QF_KEYWORDS;
    }
  }
  return QF_NONE;
}

static bool law_facet(const builder *b, size_t f) {
  const kb_schema *sc = b->vocab->schema;
  size_t field = sc->facets[f].field;
  return field < sc->nfields && sc->fields[field].type == KB_FT_NORM;
}

static bool word_eq(const char *s, size_t n, const char *w) {
  return strlen(w) == n && memcmp(s, w, n) == 0;
}

static void push_item(builder *b, item it) {
  if (b->nitems < MAX_ITEMS)
    b->items[b->nitems++] = it;
}

/* `q` is the query with citations blanked out; `orig` the original. */
static void lex_items(builder *b, const char *q, size_t n) {
  bool neg = false;
  size_t i = 0;
  while (i < n) {
    while (i < n && is_blank(q[i]))
      i++;
    if (i >= n)
      break;
    if (q[i] == '-' && i + 1 < n && !is_blank(q[i + 1]) && q[i + 1] != '-') {
      neg = true;
      i++;
      continue;
    }
    if (q[i] == '"') {
      size_t j = i + 1;
      while (j < n && q[j] != '"')
        j++;
      push_item(b, (item){.kind = IT_PHRASE,
                          .s = q + i + 1,
                          .len = j - i - 1,
                          .start = i + 1,
                          .neg = neg});
      neg = false;
      i = j < n ? j + 1 : n;
      continue;
    }
    size_t j = i;
    while (j < n && !is_blank(q[j]) && q[j] != '"')
      j++;
    const char *t = q + i;
    size_t tl = j - i;
    if (word_eq(t, tl, "OR") || word_eq(t, tl, "ODER")) {
      if (b->nitems)
        b->items[b->nitems - 1].or_next = true;
      i = j;
      continue;
    }
    if (word_eq(t, tl, "AND") || word_eq(t, tl, "UND")) {
      i = j;
      continue;
    }
    if (word_eq(t, tl, "NOT") || word_eq(t, tl, "NICHT")) {
      neg = true;
      i = j;
      continue;
    }
    const char *colon = memchr(t, ':', tl);
    size_t fidx = 0;
    int field = colon ? known_field(b, t, (size_t)(colon - t), &fidx) : QF_NONE;
    if (field != QF_NONE && colon + 1 < q + n) {
      const char *v = colon + 1;
      size_t vl;
      if (*v == '"') {
        const char *e = memchr(v + 1, '"', (size_t)(q + n - v - 1));
        vl = e ? (size_t)(e - v - 1) : (size_t)(q + n - v - 1);
        j = e ? (size_t)(e - q) + 1 : n;
        v++;
      } else {
        vl = (size_t)(q + j - v);
        /* norm:SGB IX - a law name may be two words without quotes. */
        char law[32];
        size_t ll;
        if (field == QF_FACET && law_facet(b, fidx) &&
            (ll = kb_cite_law(v, (size_t)(q + n - v), law, sizeof law)) > vl) {
          vl = ll;
          j = (size_t)(v - q) + ll;
        }
      }
      if (vl > 0) {
        push_item(b, (item){.kind = IT_FIELD,
                            .s = v,
                            .len = vl,
                            .start = (size_t)(v - q),
                            .field = field,
                            .fidx = fidx,
                            .neg = neg});
        neg = false;
        i = j;
        continue;
      }
    }
    item it = {.kind = IT_TEXT, .s = t, .len = tl, .start = i, .neg = neg};
    if (tl > 1 && t[tl - 1] == '*') {
      it.kind = IT_WILDCARD;
      it.len--;
    }
    push_item(b, it);
    neg = false;
    i = j;
  }
}

/* ---- fields ----------------------------------------------------------- */

/* Folds a facet value typed by a person to a vocabulary key:
 * lower case, umlauts transcribed ("Hörbehinderung" -> "hoerbehinderung"). */
static void fold_key(const char *s, size_t n, char *out, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < n && o + 3 < cap; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0xC3 && i + 1 < n) {
      unsigned char d = (unsigned char)s[++i];
      const char *rep = d == 0xA4 || d == 0x84   ? "ae"
                        : d == 0xB6 || d == 0x96 ? "oe"
                        : d == 0xBC || d == 0x9C ? "ue"
                        : d == 0x9F              ? "ss"
                                                 : "";
      for (; *rep && o + 1 < cap; rep++)
        out[o++] = *rep;
    } else if (c >= 'A' && c <= 'Z') {
      out[o++] = (char)(c + 32);
    } else if (c == ' ' || c == '_') {
      out[o++] = '-';
    } else {
      out[o++] = (char)c;
    }
  }
  out[o] = '\0';
}

static kbx_query *cite_query_exact(builder *b, const kb_cite *c);

/* A citation; a renumbered one ("§ 84 SGB IX") matches today's number
 * first and the literal old one second. */
static kbx_query *cite_query(builder *b, const kb_cite *c) {
  kb_cite now;
  if (!kb_vocab_today(b->vocab, c, &now))
    return cite_query_exact(b, c);
  kbx_query *subs[2] = {cite_query_exact(b, &now), NULL};
  kbx_query *old = cite_query_exact(b, c);
  if (old && b->st == KB_OK)
    b->st = kbx_query_scale(old, 0.5, &subs[1], b->reterr_msg);
  kbx_query_free(old);
  kbx_query *q = kbi_qcombine(b, KBX_OP_OR, subs, subs[1] ? 2 : 1, 0);
  kbi_qfree_all(subs, 2);
  return q;
}

static kbx_query *cite_query_exact(builder *b, const kb_cite *c) {
  char t1[96], t2[96];
  kb_cite_term(c, false, t1, sizeof t1);
  if (!kb_cite_term(c, true, t2, sizeof t2))
    return kbi_qterm(b, t1);
  /* "§ 167 Abs. 2": the Absatz-level citation ranks first, but any form
   * of § 167 still matches. */
  kbx_query *subs[2] = {kbi_qterm(b, t1), NULL};
  kbx_query *abs = kbi_qterm(b, t2);
  if (abs && b->st == KB_OK)
    b->st = kbx_query_scale(abs, 2.0, &subs[1], b->reterr_msg);
  kbx_query_free(abs);
  kbx_query *q = kbi_qcombine(b, KBX_OP_OR, subs, subs[1] ? 2 : 1, 0);
  kbi_qfree_all(subs, 2);
  return q;
}

static kbx_query *title_query(builder *b, const item *it) {
  collect c = {.b = b, .prefix = KB_PREFIX_TITLE};
  uint32_t pos = 0;
  if (b->st == KB_OK)
    b->st = kb_analyze(b->an, it->s, it->len, &pos, kbi_collect_phrase, &c,
                       b->reterr_msg);
  kbx_query *q = kbi_qcombine(b, c.nphrase > 1 ? KBX_OP_PHRASE : KBX_OP_AND,
                              c.phrase, c.nphrase, 0);
  kbi_qfree_all(c.phrase, c.nphrase);
  return q;
}

/* "norm:SGB IX" or "norm:§ 167 SGB IX": a law filter or a citation. */
static kbx_query *law_query(builder *b, const item *it, kbx_query **filters,
                            size_t *nfilters) {
  /* A citation in the value was already taken out of the query (and
   * blanked here): nothing is left to filter by. */
  char buf[280];
  size_t k = 0;
  while (k < it->len && is_blank(it->s[k]))
    k++;
  if (k == it->len)
    return NULL;
  kb_cite cites[1];
  if (kb_cite_scan(it->s, it->len, true, cites, 1) >= 1)
    return cite_query(b, &cites[0]);
  const char *prefix = b->vocab->schema->facets[it->fidx].prefix;
  char law[32];
  if (kb_cite_law(it->s, it->len, law, sizeof law))
    kb_cite_law_term(law, prefix, buf, sizeof buf);
  else
    snprintf(buf, sizeof buf, "%s\x01", prefix); /* no such law */
  if (*nfilters < MAX_ITEMS)
    filters[(*nfilters)++] = kbi_qterm(b, buf);
  return NULL;
}

/* Returns a weighted query for the field item, or adds to *filters. */
static kbx_query *field_query(builder *b, const item *it, kbx_query **filters,
                              size_t *nfilters) {
  char buf[280];
  if (it->field == QF_TITLE)
    return title_query(b, it);
  if (it->field == QF_FACET && law_facet(b, it->fidx))
    return law_query(b, it, filters, nfilters);
  const char *prefix = NULL;
  char key[240];
  if (it->field == QF_FACET) {
    prefix = b->vocab->schema->facets[it->fidx].prefix;
    fold_key(it->s, it->len, key, sizeof key);
  } else { /* thema: a topic longer than any term matches nothing */
    kb_buf k = KB_BUF_INIT(NORMALIZED_MAX);
    if (b->st == KB_OK)
      b->st = kb_phrase_key(b->an, it->s, it->len, &k, b->reterr_msg);
    bool too_long = b->st == KB_ERR_LIMIT || k.len >= 200;
    if (b->st == KB_ERR_LIMIT)
      b->st = KB_OK; /* longer than any topic: matches none, no failure */
    snprintf(key, sizeof key, "%s", too_long ? "\x01" : kb_buf_str(&k));
    kb_buf_release(&k);
    prefix = KB_PREFIX_TOPIC;
  }
  snprintf(buf, sizeof buf, "%s%s", prefix, key);
  if (*nfilters < MAX_ITEMS)
    filters[(*nfilters)++] = kbi_qterm(b, buf);
  return NULL;
}

/* ---- spelling --------------------------------------------------------- */

static bool known(builder *b, const word *w) {
  uint64_t f2 = 0; /* the word's stem (the index has no other terms) */
  char z[KB_WORD_MAX * 2 + 16];
  snprintf(z, sizeof z, "%s%s", KB_PREFIX_STEM, w->stem);
  kbx_db_termfreq(b->db, z, &f2, NULL);
  char lw[KB_WORD_MAX + 8], lz[KB_WORD_MAX * 2 + 24];
  snprintf(lw, sizeof lw, "%s%s", KB_PREFIX_LAY, w->w);
  snprintf(lz, sizeof lz, "%s%s", KB_PREFIX_LAY, z);
  return f2 > 0 || kbi_has_synonyms(b, w->w) || kbi_has_synonyms(b, z) ||
         kbi_has_synonyms(b, lw) || kbi_has_synonyms(b, lz);
}

/* Appends `fix` to `out`, with its first letter upper-cased when the word
 * it replaces (`orig`) started with a capital: people write nouns so. */
static void add_like(kb_buf *out, const char *fix, const char *orig,
                     size_t olen) {
  int32_t i = 0, j = 0, n = (int32_t)strlen(fix);
  UChar32 o, f;
  U8_NEXT(orig, i, (int32_t)olen, o);
  if (o < 0 || !u_isupper(o) || n == 0) {
    kb_buf_adds(out, fix);
    return;
  }
  U8_NEXT(fix, j, n, f);
  char up[4];
  int32_t ul = 0;
  UBool err = false;
  U8_APPEND((uint8_t *)up, ul, 4, u_toupper(f), err);
  if (f < 0 || err) {
    kb_buf_adds(out, fix);
    return;
  }
  kb_buf_add(out, up, (size_t)ul);
  kb_buf_adds(out, fix + j);
}

/* When the lexicon splits `s` into parts that records all have
 * ("Lesehilfe": lesen | hilfe), their stems, space-separated, in `key`
 * (a misspelling splits too, but into parts no record has: "Budjet":
 * bud | jet); else false. */
enum { PARTS_KEY_MAX = KB_COMPOUND_MAX_PARTS * (KB_WORD_MAX * 2 + 9) };
static bool parts_key(builder *b, const char *s, size_t len, char *key) {
  kb_compound_parts parts;
  key[0] = '\0';
  if (b->lex == NULL ||
      kb_compound_split_top(b->lex, s, len, &parts) != KB_OK || parts.n < 2)
    return false;
  for (unsigned i = 0; i < parts.n; i++) {
    char stem[KB_WORD_MAX * 2 + 8], t[KB_WORD_MAX * 2 + 16];
    size_t sl;
    uint64_t f = 0;
    if (kb_stem_word(b->an, parts.top[i].form, parts.top[i].len, stem,
                     sizeof stem, &sl) != KB_OK)
      return false;
    snprintf(t, sizeof t, "%s%s", KB_PREFIX_STEM, stem);
    if (kbx_db_termfreq(b->db, t, &f, NULL) != KB_OK || f == 0)
      return false;
    size_t used = strlen(key);
    snprintf(key + used, PARTS_KEY_MAX - used, "%s%s", i ? " " : "", stem);
  }
  return true;
}

/* The spelling table's correction of `w` when the index does not know
 * the word, or NULL; looked up once per word (w->fix).  A word of the
 * compound lexicon (the German dictionary) is spelt right even when no
 * record has it: "Bett" is not corrected to "Brett", "versetzt" not to
 * "ersetzt"; so is a compound of parts that records have, unless the
 * correction has the same parts ("Kündigungschutz": "Kündigungsschutz"),
 * "Lesehilfe" is not corrected to "Hebehilfe". */
static const char *spelling_fix(builder *b, word *w) {
  if (w->fix_tried)
    return w->fix[0] ? w->fix : NULL;
  w->fix_tried = true;
  const item *it = &b->items[w->item];
  size_t wl = strlen(w->w);
  if (!w->single || it->kind != IT_TEXT || wl < 4 ||
      (w->w[0] >= '0' && w->w[0] <= '9') || kb_is_stopword(w->w, wl) ||
      known(b, w) ||
      (b->lex && kb_lexicon_lookup(b->lex, w->w, wl, NULL, NULL)))
    return NULL;
  char key[PARTS_KEY_MAX], fkey[PARTS_KEY_MAX];
  char *fix = NULL;
  if (kbx_db_spelling(b->db, w->w, 2, &fix, NULL) == KB_OK && fix &&
      strlen(fix) <= KB_WORD_MAX &&
      (!parts_key(b, w->w, wl, key) ||
       (parts_key(b, fix, strlen(fix), fkey) && strcmp(key, fkey) == 0)))
    memcpy(w->fix, fix, strlen(fix) + 1);
  free(fix);
  return w->fix[0] ? w->fix : NULL;
}

/* Letters, marks and numbers ("²" folds to "2" in the analyzer). */
static bool span_char(UChar32 c) {
  return c >= 0 &&
         (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

static bool any_token(const kb_token *tok, void *ctx) {
  (void)tok;
  *(bool *)ctx = true;
  return false;
}

/* Whether the analyzer finds a word in `s`. */
static bool has_token(builder *b, const char *s, size_t len) {
  bool found = false;
  uint32_t pos = 0;
  if (len && kb_analyze(b->an, s, len, &pos, any_token, &found, NULL) != KB_OK)
    return true;
  return found;
}

/* The word inside item text `s`, [*from, *to): without the punctuation
 * before and after it ("Arbeitsasistenz?", "(Budjet)"); the whole item
 * when what is around it holds anything the analyzer reads as a word. */
static void word_span(builder *b, const char *s, size_t len, size_t *from,
                      size_t *to) {
  int32_t i = 0, j = (int32_t)len, n = (int32_t)len;
  while (i < n) {
    int32_t at = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (span_char(c)) {
      i = at;
      break;
    }
  }
  while (j > i) {
    int32_t at = j;
    UChar32 c;
    U8_PREV(s, i, j, c);
    if (span_char(c)) {
      j = at;
      break;
    }
  }
  if (i >= j || has_token(b, s, (size_t)i) ||
      has_token(b, s + j, len - (size_t)j)) {
    i = 0;
    j = n;
  }
  *from = (size_t)i;
  *to = (size_t)j;
}

/* Builds the query text with misspelt single-word items replaced; the
 * punctuation around a word stays ("Arbeitsasistenz?" gives
 * "Arbeitsassistenz?"). */
static char *suggest(builder *b, const char *orig, size_t olen) {
  kb_buf out = KB_BUF_INIT(4 * KB_WORD_MAX + olen * 2);
  size_t copied = 0;
  bool changed = false;
  for (size_t i = 0; i < b->nwords; i++) {
    word *w = &b->words[i];
    const item *it = &b->items[w->item];
    const char *fix = spelling_fix(b, w);
    if (fix == NULL)
      continue;
    size_t from = 0, to = it->len;
    word_span(b, orig + it->start, it->len, &from, &to);
    kb_buf_add(&out, orig + copied, it->start + from - copied);
    add_like(&out, fix, orig + it->start + from, to - from);
    copied = it->start + to;
    changed = true;
  }
  if (!changed) {
    kb_buf_release(&out);
    return NULL;
  }
  kb_buf_add(&out, orig + copied, olen - copied);
  return kb_buf_detach(&out, NULL);
}

/* Weight of a misspelt word's correction in a sentence: nearly the word
 * the asker meant, but the correction may be wrong. */
#define CORRECTION_WEIGHT 0.8

/* `q` OR the query of `w`'s spelling correction; takes `q`.  A
 * correction that is a function word ("nohc": "noch") is passed over as
 * the word typed right would be. */
static kbx_query *with_correction(builder *b, word *w, kbx_query *q,
                                  bool *ret_added) {
  const char *fix = spelling_fix(b, w);
  if (fix == NULL || kb_is_stopword(fix, strlen(fix)))
    return q;
  word fw = {.item = w->item, .single = true, .fix_tried = true};
  size_t sl = 0;
  memcpy(fw.w, fix, strlen(fix) + 1);
  if (kb_stem_word(b->an, fw.w, strlen(fw.w), fw.stem, sizeof fw.stem, &sl) !=
      KB_OK)
    return q;
  *ret_added = true;
  return kbi_or_weighted(b, q, kbi_word_query(b, &fw), CORRECTION_WEIGHT);
}

/* ---- building --------------------------------------------------------- */

void kb_query_plan_release(kb_query_plan *p) {
  kbx_query_free(p->query);
  kbx_query_free(p->filter);
  kbx_query_free(p->fill);
  free(p->suggestion);
  kb_strv_release(&p->citations);
  kb_strv_release(&p->topic_words);
  kb_strv_release(&p->skipped_words);
  *p = (kb_query_plan){0};
}

void kb_query_bm25(const kb_query_plan *plan, double *ret_k1, double *ret_b) {
  *ret_k1 = plan->sentence ? KB_BM25_K1_SENTENCE : KB_BM25_K1;
  *ret_b = plan->sentence ? KB_BM25_B_SENTENCE : KB_BM25_B;
}

/* ---- graded matching ---------------------------------------------------- */

/* Weight of "all the topic words" in a sentence's graded query, relative
 * to the sum over the words: a result with all of them ranks higher, but
 * one with the rarest words can still pass it (0.25 with k1 = 4: a
 * question's filler-like words, "langsam", "wissen", are all in many
 * records and should not decide between them). */
#define ALL_WORDS_WEIGHT 0.25

/* ... and in the query that fills up a keyword query's short page:
 * far ahead, so records with all the words come first as before. */
#define FILL_ALL_WEIGHT 10.0

/* `req` AND (any of `opt`, plus all of `opt` weighted `all_weight`). */
static kbx_query *any_plus_all(builder *b, kbx_query *const *req, size_t nreq,
                               kbx_query **opt, size_t nopt,
                               double all_weight) {
  kbx_query *subs[MAX_GROUPS + 1];
  memcpy(subs, req, nreq * sizeof *subs);
  kbx_query *any = kbi_qcombine(b, KBX_OP_OR, opt, nopt, 0);
  kbx_query *all = kbi_qcombine(b, KBX_OP_AND, opt, nopt, 0), *heavy = NULL;
  if (all && b->st == KB_OK)
    b->st = kbx_query_scale(all, all_weight, &heavy, b->reterr_msg);
  kbx_query *parts[2] = {any, heavy};
  subs[nreq] = kbi_qcombine(b, KBX_OP_AND_MAYBE, parts, 2, 0);
  kbx_query *q = kbi_qcombine(b, KBX_OP_AND, subs, nreq + 1, 0);
  kbx_query_free(any);
  kbx_query_free(all);
  kbx_query_free(heavy);
  kbx_query_free(subs[nreq]);
  return q;
}

/* The main query: every citation, file number, phrase and OR-group
 * required; of the plain topic words of a sentence or question any (a
 * question's verb or filler word the answer lacks no longer hides the
 * answer), of a keyword query all.  Sentences are ranked by BM25 over
 * the topic words, plus ALL_WORDS_WEIGHT of that for a result with all
 * of them, so those with more and rarer words come first.  A keyword
 * query of two or more words also gets *ret_fill: its words graded, for
 * filling a short page.  (On tests/relevance this beat requiring three
 * words in five, half, or all but one: docs/benchmarks.md.) */
static kbx_query *graded(builder *b, kbx_query **pos, const bool *optional,
                         size_t npos, bool sentence, size_t *ret_needed,
                         kbx_query **ret_fill) {
  kbx_query *req[MAX_GROUPS], *opt[MAX_GROUPS];
  size_t nreq = 0, nopt = 0;
  for (size_t i = 0; i < npos; i++) {
    if (optional[i])
      opt[nopt++] = pos[i];
    else
      req[nreq++] = pos[i];
  }
  *ret_needed = nopt;
  if (nopt <= 1 || !sentence) {
    if (nopt >= 2)
      *ret_fill = any_plus_all(b, req, nreq, opt, nopt, FILL_ALL_WEIGHT);
    return kbi_qcombine(b, KBX_OP_AND, pos, npos, 0);
  }
  *ret_needed = 1;
  return any_plus_all(b, req, nreq, opt, nopt, ALL_WORDS_WEIGHT);
}

/* `q` AND NOT any of `negs`; takes `q` (may be NULL: then NULL). */
static kbx_query *without(builder *b, kbx_query *q, kbx_query **negs,
                          size_t nneg) {
  if (q == NULL)
    return NULL;
  kbx_query *ors = kbi_qcombine(b, KBX_OP_OR, negs, nneg, 0);
  kbx_query *both[2] = {q, ors};
  kbx_query *q2 = ors ? kbi_qcombine(b, KBX_OP_AND_NOT, both, 2, 0) : NULL;
  kbx_query_free(q);
  kbx_query_free(ors);
  return q2;
}

kb_status kb_query_build(kb_analyzer *an, kbx_db *db, const kb_vocab *vocab,
                         const kb_lexicon *lex, const char *q, unsigned flags,
                         kb_query_plan *ret_plan, char **reterr_msg) {
  builder *b = calloc(1, sizeof *b);
  if (b == NULL)
    return KB_ERR_NOMEM;
  b->an = an;
  b->db = db;
  b->vocab = vocab;
  b->lex = lex;
  b->relaxed = flags & KB_QUERY_RELAXED;
  b->reterr_msg = reterr_msg;
  kb_query_plan plan = {0};
  size_t n = q ? strlen(q) : 0;
  char *rest = malloc(n + 1);
  kbx_query *pos[MAX_GROUPS], *negs[MAX_GROUPS], *filters[MAX_ITEMS];
  bool optional[MAX_GROUPS] = {0}; /* a plain word's group */
  size_t npos = 0, nneg = 0, nfilters = 0;
  if (rest == NULL) {
    free(b);
    return KB_ERR_NOMEM;
  }
  if (n)
    memcpy(rest, q, n);
  rest[n] = '\0';

  /* 1. Citations, blanked out of the text afterwards. */
  kb_cite cites[MAX_CITES];
  size_t nc = kb_cite_scan(rest, n, true, cites, MAX_CITES);
  if (nc > MAX_CITES)
    nc = MAX_CITES;
  for (size_t i = 0; i < nc && b->st == KB_OK; i++) {
    char canon[160];
    kb_cite_format(&cites[i], canon, sizeof canon);
    kb_cite now;
    if (kb_vocab_today(vocab, &cites[i], &now)) {
      char t[64];
      kb_cite_format(&now, t, sizeof t);
      size_t used = strlen(canon);
      snprintf(canon + used, sizeof canon - used, " (heute %s)", t);
    }
    if (!kb_strv_contains(&plan.citations, canon))
      kb_strv_push(&plan.citations, canon);
    kbx_query *cq = cite_query(b, &cites[i]);
    bool neg = cites[i].start > 0 && rest[cites[i].start - 1] == '-';
    if (cq && neg)
      negs[nneg++] = cq;
    else if (cq)
      pos[npos++] = cq;
    memset(rest + cites[i].start, ' ', cites[i].end - cites[i].start);
  }

  /* 1b. Courts' file numbers ("2 AZR 716/6"): any of their keys. */
  kb_filenumber_hit fns[MAX_CITES];
  size_t nf = kb_filenumber_scan(rest, n, fns, MAX_CITES);
  for (size_t i = 0; i < nf && b->st == KB_OK; i++) {
    kbx_query *keys[KB_FILENUMBER_MAX_KEYS];
    for (size_t k = 0; k < fns[i].nkeys; k++) {
      char t[80];
      snprintf(t, sizeof t, "%s%s", KB_PREFIX_FILENUMBER, fns[i].keys[k]);
      keys[k] = kbi_qterm(b, t);
    }
    kbx_query *fq = b->st == KB_OK
                        ? kbi_qcombine(b, KBX_OP_OR, keys, fns[i].nkeys, 0)
                        : NULL;
    kbi_qfree_all(keys, fns[i].nkeys);
    if (fq && npos < MAX_GROUPS)
      pos[npos++] = fq;
    else
      kbx_query_free(fq);
    memset(rest + fns[i].start, ' ', fns[i].end - fns[i].start);
  }

  /* 2. Items. */
  lex_items(b, rest, n);

  /* 3. Words of text items, then synonyms over runs of words. */
  for (size_t i = 0; i < b->nitems && b->st == KB_OK; i++) {
    if (b->items[i].kind != IT_TEXT)
      continue;
    collect c = {.b = b, .item = (int)i};
    size_t first = b->nwords;
    uint32_t p = 0;
    b->st = kb_analyze(an, b->items[i].s, b->items[i].len, &p, kbi_collect_word,
                       &c, reterr_msg);
    if (b->nwords == first + 1)
      b->words[first].single = true;
  }
  if (b->st == KB_OK)
    kbi_phrase_synonyms(b);
  size_t content_words = 0;
  for (size_t i = 0; i < b->nwords; i++)
    content_words += !kb_is_stopword(b->words[i].w, strlen(b->words[i].w));
  for (size_t i = 0; i < b->nwords && b->st == KB_OK; i++) {
    word *w = &b->words[i];
    if (w->q && !w->consumed) { /* a run of words with synonyms */
      char run[3 * (KB_WORD_MAX + 1)];
      snprintf(run, sizeof run, "%s", w->w);
      for (size_t k = i + 1; k < b->nwords && b->words[k].consumed; k++)
        snprintf(run + strlen(run), sizeof run - strlen(run), " %s",
                 b->words[k].w);
      kb_strv_push(&plan.topic_words, run);
    }
    if (w->consumed || w->q)
      continue;
    /* Function words are not required - unless they are all there is. */
    if (content_words > 0 && kb_is_stopword(w->w, strlen(w->w))) {
      kb_strv_push(&plan.skipped_words, w->w);
      continue;
    }
    kb_strv_push(&plan.topic_words, w->w);
    w->q = kbi_word_query(b, w);
  }
  /* A sentence matches any of its words, so a misspelt one would just
   * drop out and leave the answer to the filler: it also searches its
   * correction (a keyword query instead finds nothing and is corrected
   * as a whole, kb_search) - unless the words are to be read as typed. */
  for (size_t i = 0; plan.skipped_words.n && !(flags & KB_QUERY_AS_TYPED) &&
                     i < b->nwords && b->st == KB_OK;
       i++)
    if (b->words[i].q && !b->words[i].consumed)
      b->words[i].q = with_correction(b, &b->words[i], b->words[i].q,
                                      &plan.with_suggestion);

  /* 4. Items to queries; consecutive OR'd items form one group. */
  kbx_query *chain[MAX_ITEMS];
  size_t nchain = 0;
  /* The positive items and the short wildcards among them; citations and
   * file numbers (already in pos) count as items too. */
  size_t npositems = npos, nshort = 0;
  for (size_t i = 0; i < b->nitems && b->st == KB_OK; i++) {
    item *it = &b->items[i];
    kbx_query *iq = NULL;
    bool short_wildcard = false;
    if (it->kind == IT_TEXT) {
      kbx_query *subs[MAX_WORDS];
      size_t ns = 0;
      for (size_t k = 0; k < b->nwords; k++)
        if (b->words[k].item == (int)i && b->words[k].q &&
            !b->words[k].consumed)
          subs[ns++] = b->words[k].q;
      iq = kbi_qcombine(b, KBX_OP_AND, subs, ns, 0);
    } else if (it->kind == IT_PHRASE) {
      collect c = {.b = b, .prefix = ""};
      uint32_t p = 0;
      b->st = kb_analyze(an, it->s, it->len, &p, kbi_collect_phrase, &c,
                         reterr_msg);
      iq = kbi_qcombine(b, KBX_OP_PHRASE, c.phrase, c.nphrase, 0);
      if (c.nphrase == 1)
        iq = (kbx_query_free(iq), kbi_qcombine(b, KBX_OP_AND, c.phrase, 1, 0));
      kbi_qfree_all(c.phrase, c.nphrase);
    } else if (it->kind == IT_WILDCARD) {
      kb_buf norm = KB_BUF_INIT(NORMALIZED_MAX);
      b->st = kb_normalize(an, it->s, it->len, &norm, reterr_msg);
      bool too_long = b->st == KB_ERR_LIMIT;
      if (too_long) /* grew past any word: matches nothing */
        b->st = KB_OK, norm.len = 0;
      size_t letters = 0; /* characters, not bytes: "öl" is two */
      for (size_t k = 0; k < norm.len; k++)
        letters += ((unsigned char)kb_buf_str(&norm)[k] & 0xC0) != 0x80;
      if (b->st == KB_OK && letters >= WILDCARD_MIN_LETTERS &&
          norm.len <= KB_WORD_MAX) {
        iq = kbi_prefix_query(b, kb_buf_str(&norm), WILDCARD_MAX_EXPANSION);
      } else if (b->st == KB_OK) { /* too short or long for a prefix */
        short_wildcard = !too_long && letters < WILDCARD_MIN_LETTERS;
        b->st = kbx_query_match_nothing(&iq, reterr_msg);
      }
      kb_buf_release(&norm);
    } else {
      iq = field_query(b, it, filters, &nfilters);
    }
    if (iq == NULL)
      continue;
    if (it->neg) {
      negs[nneg++] = iq;
      continue;
    }
    npositems++;
    nshort += short_wildcard;
    chain[nchain++] = iq;
    if (it->or_next && i + 1 < b->nitems) {
      plan.explicit_or = true;
      continue;
    }
    optional[npos] = nchain == 1 && it->kind == IT_TEXT;
    pos[npos++] = kbi_qcombine(b, KBX_OP_OR, chain, nchain, 0);
    kbi_qfree_all(chain, nchain);
    nchain = 0;
  }
  if (nchain) {
    pos[npos++] = kbi_qcombine(b, KBX_OP_OR, chain, nchain, 0);
    kbi_qfree_all(chain, nchain);
  }

  /* 5. Assemble. */
  if (b->st == KB_OK) {
    plan.positives = npos;
    plan.short_wildcard = nshort > 0;
    plan.short_wildcard_only = nshort > 0 && nshort == npositems;
    plan.has_negation = nneg > 0;
    kbx_query *main = NULL;
    plan.sentence = plan.skipped_words.n > 0;
    plan.unknown_compound = b->unknown_compound;
    if (npos && b->relaxed)
      main = kbi_qcombine(b, KBX_OP_OR, pos, npos, 0);
    else if (npos)
      main = graded(b, pos, optional, npos, plan.sentence, &plan.words_needed,
                    &plan.fill);
    if (nneg) {
      if (main == NULL && b->st == KB_OK)
        b->st = kbx_query_match_all(&main, reterr_msg);
      main = without(b, main, negs, nneg);
      plan.fill = without(b, plan.fill, negs, nneg);
    }
    plan.query = main;
    if (nfilters)
      plan.filter = kbi_qcombine(b, KBX_OP_AND, filters, nfilters, 0);
    plan.suggestion = suggest(b, q ? q : "", n);
  }
  kbi_qfree_all(pos, npos);
  kbi_qfree_all(negs, nneg);
  kbi_qfree_all(filters, nfilters);
  for (size_t i = 0; i < b->nwords; i++)
    kbx_query_free(b->words[i].q);
  kb_status st = b->st;
  free(b);
  free(rest);
  if (st != KB_OK) {
    kb_query_plan_release(&plan);
    return st;
  }
  *ret_plan = plan;
  return KB_OK;
}

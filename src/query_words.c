/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * query_words.c - the query of one topic word: its stem, widened by the
 * corpus' synonyms (both ways), its everyday-word entries (laien.yaml,
 * one way, lower weight), for a compound its parts (and an unknown
 * compound's specific head), for a hyphenated word its parts, for a verb
 * its -ung noun, for a zu-infinitive its infinitive, for an unknown word
 * the indexed words it begins; and
 * runs of words that have synonyms as a phrase.  See docs/search.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_compound.h"
#include "kb_layout.h"
#include "query_internal.h"

/* ---- words and synonyms --------------------------------------------- */

bool kbi_collect_word(const kb_token *t, void *ctx) {
  collect *c = ctx;
  builder *b = c->b;
  if (!c->want_parts && (t->flags & KB_TOK_PART) && b->nwords > 0) {
    /* The parts follow their joined form: note them with it. */
    word *last = &b->words[b->nwords - 1];
    size_t used = strlen(last->hyphen_parts);
    if (last->item == c->item &&
        used + strlen(t->stem) + 2 < sizeof last->hyphen_parts)
      snprintf(last->hyphen_parts + used, sizeof last->hyphen_parts - used,
               "%s%s", used ? " " : "", t->stem);
    return true;
  }
  if (t->flags & (c->want_parts ? KB_TOK_JOINED : KB_TOK_PART))
    return true;
  if (b->nwords >= MAX_WORDS)
    return false;
  word *w = &b->words[b->nwords++];
  memset(w, 0, sizeof *w);
  snprintf(w->w, sizeof w->w, "%s", t->word);
  snprintf(w->stem, sizeof w->stem, "%s", t->stem);
  w->item = c->item;
  c->count++;
  return true;
}

bool kbi_collect_phrase(const kb_token *t, void *ctx) {
  collect *c = ctx;
  if (t->flags & KB_TOK_JOINED)
    return true;
  if (c->nphrase >= MAX_WORDS)
    return false;
  /* The index keeps stems only, with their positions (index_doc.c). */
  char buf[KB_WORD_MAX * 2 + 16];
  snprintf(buf, sizeof buf, "%s%s%s", KB_PREFIX_STEM, c->prefix, t->stem);
  c->phrase[c->nphrase] = kbi_qterm(c->b, buf);
  if (c->phrase[c->nphrase])
    c->nphrase++;
  return c->b->st == KB_OK;
}

typedef struct synlist {
  char items[MAX_SYNONYMS][128];
  size_t n;
} synlist;

static bool add_syn(const char *s, size_t len, void *ctx) {
  synlist *sl = ctx;
  if (len >= sizeof sl->items[0] || sl->n >= MAX_SYNONYMS)
    return sl->n < MAX_SYNONYMS;
  for (size_t i = 0; i < sl->n; i++)
    if (strcmp(sl->items[i], s) == 0)
      return true;
  memcpy(sl->items[sl->n], s, len);
  sl->items[sl->n][len] = '\0';
  sl->n++;
  return true;
}

/* A synonym (a normalised word or phrase) as a query: one stemmed term,
 * or a phrase of stems. */
static kbx_query *synonym_query(builder *b, const char *syn) {
  if (strchr(syn, ' ') == NULL) {
    char stem[KB_WORD_MAX * 2 + 8], t[KB_WORD_MAX * 2 + 16];
    size_t sl;
    if (kb_stem_word(b->an, syn, strlen(syn), stem, sizeof stem, &sl) != KB_OK)
      snprintf(stem, sizeof stem, "%s", syn);
    snprintf(t, sizeof t, "%s%s", KB_PREFIX_STEM, stem);
    return kbi_qterm(b, t);
  }
  collect c = {.b = b, .prefix = ""};
  uint32_t pos = 0;
  if (b->st == KB_OK)
    b->st = kb_analyze(b->an, syn, strlen(syn), &pos, kbi_collect_phrase, &c,
                       b->reterr_msg);
  kbx_query *q = kbi_qcombine(b, KBX_OP_PHRASE, c.phrase, c.nphrase, 0);
  kbi_qfree_all(c.phrase, c.nphrase);
  return q;
}

/* `base` widened by the synonyms stored under `keys`; takes `base`. */
static kbx_query *with_synonyms(builder *b, kbx_query *base,
                                const char *const *keys, size_t nkeys) {
  synlist sl = {.n = 0};
  for (size_t k = 0; k < nkeys && b->st == KB_OK; k++)
    b->st = kbx_db_synonyms(b->db, keys[k], add_syn, &sl, b->reterr_msg);
  if (sl.n == 0 || b->st != KB_OK)
    return base;
  kbx_query *subs[MAX_SYNONYMS + 1] = {base};
  size_t n = 1;
  for (size_t i = 0; i < sl.n; i++) {
    kbx_query *s = synonym_query(b, sl.items[i]);
    if (s)
      subs[n++] = s;
  }
  kbx_query *q = kbi_qcombine(b, KBX_OP_SYNONYM, subs, n, 0);
  kbi_qfree_all(subs, n);
  return q;
}

/* Weight of the field's terms an everyday word stands for (laien.yaml),
 * relative to the word itself: "Firma" finds "Arbeitgeber", but a text
 * with "Firma" ranks first. */
#define LAY_WEIGHT 0.5

kbx_query *kbi_or_weighted(builder *b, kbx_query *base, kbx_query *extra,
                           double f) {
  kbx_query *scaled = NULL;
  if (extra && b->st == KB_OK)
    b->st = kbx_query_scale(extra, f, &scaled, b->reterr_msg);
  kbx_query_free(extra);
  if (scaled == NULL || base == NULL) {
    kbx_query_free(scaled);
    return base;
  }
  kbx_query *both[2] = {base, scaled};
  kbx_query *q = kbi_qcombine(b, KBX_OP_OR, both, 2, 0);
  kbi_qfree_all(both, 2);
  return q;
}

/* log(N / df) of `term` in the index; 0 when it is absent. */
static double idf_of(builder *b, const char *term, double n) {
  uint64_t f = 0;
  if (kbx_db_termfreq(b->db, term, &f, NULL) != KB_OK || f == 0)
    return 0;
  return log(n / (double)f);
}

/* The IDF of a field term an everyday word stands for: a word's stem, or
 * for a phrase its rarest word's (the phrase is at least that rare). */
static double target_idf(builder *b, const char *target, double n) {
  double best = 0;
  for (const char *p = target; *p;) {
    size_t len = strcspn(p, " ");
    char stem[KB_WORD_MAX * 2 + 8], t[KB_WORD_MAX * 2 + 16];
    size_t sl;
    if (len < KB_WORD_MAX &&
        kb_stem_word(b->an, p, len, stem, sizeof stem, &sl) == KB_OK) {
      snprintf(t, sizeof t, "%s%s", KB_PREFIX_STEM, stem);
      double x = idf_of(b, t, n);
      best = x > best ? x : best;
    }
    p += len + (p[len] == ' ');
  }
  return best;
}

/* An everyday word is rare in our texts because the articles use the
 * field's terms instead, so its own IDF says nothing about how much it
 * matters to the question: "Firma" (in 3 of 339 records) outweighed
 * "kündigen" and "schwerbehindert" together and put Inklusionsbetriebe
 * first for "Darf die Firma mir kündigen ...?".  It weighs at most like
 * the most specific term it stands for: `base` (the word's query, its
 * term `own`) scaled by target IDF / own IDF when that is below 1. */
static kbx_query *cap_lay_word(builder *b, kbx_query *base, const char *own,
                               const synlist *sl) {
  uint64_t docs = 0;
  if (kbx_db_doccount(b->db, &docs, NULL) != KB_OK || docs == 0)
    return base;
  double n = (double)docs + 1, own_idf = idf_of(b, own, n), most = 0;
  for (size_t i = 0; i < sl->n; i++) {
    double x = target_idf(b, sl->items[i], n);
    most = x > most ? x : most;
  }
  if (own_idf <= 0 || most <= 0 || most >= own_idf)
    return base;
  kbx_query *scaled = NULL;
  if (b->st == KB_OK)
    b->st = kbx_query_scale(base, most / own_idf, &scaled, b->reterr_msg);
  if (scaled == NULL)
    return base;
  kbx_query_free(base);
  return scaled;
}

/* `base` OR the terms stored for the everyday word under `keys` (each
 * already carrying KB_PREFIX_LAY), scaled by LAY_WEIGHT; takes `base`.
 * With `own` (the word's stem term), the word is capped as above. */
static kbx_query *with_lay(builder *b, kbx_query *base, const char *own,
                           const char *const *keys, size_t nkeys) {
  synlist sl = {.n = 0};
  for (size_t k = 0; k < nkeys && b->st == KB_OK; k++)
    b->st = kbx_db_synonyms(b->db, keys[k], add_syn, &sl, b->reterr_msg);
  if (sl.n == 0 || b->st != KB_OK || base == NULL)
    return base;
  if (own)
    base = cap_lay_word(b, base, own, &sl);
  kbx_query *subs[MAX_SYNONYMS];
  size_t n = 0;
  for (size_t i = 0; i < sl.n; i++)
    if ((subs[n] = synonym_query(b, sl.items[i])) != NULL)
      n++;
  kbx_query *terms = kbi_qcombine(b, KBX_OP_OR, subs, n, 0);
  kbi_qfree_all(subs, n);
  return kbi_or_weighted(b, base, terms, LAY_WEIGHT);
}

bool kbi_has_synonyms(builder *b, const char *key) {
  synlist sl = {.n = 0};
  if (kbx_db_synonyms(b->db, key, add_syn, &sl, NULL) != KB_OK)
    return false;
  return sl.n > 0;
}

/* Finds runs of 2-3 consecutive words (of non-negated text items) that
 * have synonyms as a phrase ("grad der behinderung" -> "gdb") and turns
 * each into one group. */
void kbi_phrase_synonyms(builder *b) {
  for (size_t i = 0; i + 1 < b->nwords && b->st == KB_OK; i++) {
    for (size_t span = SYN_SPAN; span >= 2; span--) {
      if (i + span > b->nwords)
        continue;
      char key[3 * (KB_WORD_MAX + 1)] = "";
      bool ok = true;
      for (size_t k = 0; k < span && ok; k++) {
        const word *w = &b->words[i + k];
        const item *it = &b->items[w->item];
        ok = !w->consumed && it->kind == IT_TEXT && !it->neg &&
             (k == 0 || !b->items[b->words[i + k - 1].item].or_next);
        if (k)
          strcat(key, " ");
        strcat(key, w->w);
      }
      char lkey[sizeof key + 4];
      snprintf(lkey, sizeof lkey, "%s%s", KB_PREFIX_LAY, key);
      bool syn = ok && kbi_has_synonyms(b, key),
           lay = ok && kbi_has_synonyms(b, lkey);
      if (!syn && !lay)
        continue;
      kbx_query *parts[SYN_SPAN];
      for (size_t k = 0; k < span; k++) {
        char t[KB_WORD_MAX * 2 + 16];
        snprintf(t, sizeof t, "%s%s", KB_PREFIX_STEM, b->words[i + k].stem);
        parts[k] = kbi_qterm(b, t);
      }
      kbx_query *base = kbi_qcombine(b, KBX_OP_AND, parts, span, 0);
      kbi_qfree_all(parts, span);
      const char *keys[1] = {key}, *lkeys[1] = {lkey};
      b->words[i].q = with_lay(b, syn ? with_synonyms(b, base, keys, 1) : base,
                               NULL, lkeys, 1);
      for (size_t k = 1; k < span; k++)
        b->words[i + k].consumed = true;
      break;
    }
  }
}

/* Weight of a compound's parts relative to the compound itself: a text
 * with "Arbeitsplatzanpassung" ranks above one with "Anpassung des
 * Arbeitsplatzes", and both are found. */
#define COMPOUND_PARTS_WEIGHT 0.6

/* Weight of a compound's head alone ("Förderung" for the unknown
 * "Hilfsmittelförderung"): when no text has the compound itself, one
 * that has only its head is still found, below those with all parts.  A
 * compound the index knows is not widened so ("Hörgerät" does not find
 * every "Gerät"). */
#define COMPOUND_HEAD_WEIGHT 0.25

/* The head alone counts only when at most this share of records has it
 * - except in the fallback after the query found nothing, where an
 * unknown compound's head counts whatever its share and each modifier
 * alone at half the head's weight ("Kranführerberatung": no record has
 * crane drivers, many have "Beratung"). */
#define HEAD_MAX_SHARE 0.1

static kbx_query *scaled_term(builder *b, const char *t, double f) {
  kbx_query *q = kbi_qterm(b, t), *s = NULL;
  if (q && b->st == KB_OK)
    b->st = kbx_query_scale(q, f, &s, b->reterr_msg);
  kbx_query_free(q);
  return s;
}

/* The parts of a compound word: all of them (weighted
 * COMPOUND_PARTS_WEIGHT) or its head alone (COMPOUND_HEAD_WEIGHT); NULL
 * when it is no compound. */
static kbx_query *parts_query(builder *b, const word *w) {
  kb_compound_parts parts;
  size_t len = strlen(w->w);
  if (b->lex == NULL || len < 2 * KB_COMPOUND_MIN_PART ||
      kb_compound_split_top(b->lex, w->w, len, &parts) != KB_OK || parts.n < 2)
    return NULL;
  kbx_query *subs[KB_COMPOUND_MAX_PARTS];
  char terms[KB_COMPOUND_MAX_PARTS][KB_WORD_MAX * 2 + 16];
  size_t n = 0;
  for (unsigned i = 0; i < parts.n && b->st == KB_OK; i++) {
    char stem[KB_WORD_MAX * 2 + 8];
    size_t sl;
    if (kb_stem_word(b->an, parts.top[i].form, parts.top[i].len, stem,
                     sizeof stem, &sl) != KB_OK)
      continue;
    snprintf(terms[n], sizeof terms[n], "%s%s", KB_PREFIX_STEM, stem);
    if ((subs[n] = kbi_qterm(b, terms[n])) != NULL)
      n++;
  }
  const char *head = n ? terms[n - 1] : ""; /* the last part is the head */
  kbx_query *all = n >= 2 ? kbi_qcombine(b, KBX_OP_AND, subs, n, 0) : NULL;
  uint64_t f2 = 0; /* the word's stem (the index has no other terms) */
  char z[KB_WORD_MAX * 2 + 16];
  snprintf(z, sizeof z, "%s%s", KB_PREFIX_STEM, w->stem);
  kbx_db_termfreq(b->db, z, &f2, NULL);
  /* ... and only a specific head: "Behinderung" of an unknown
   * "Xbehinderung" would find nearly everything. */
  uint64_t fh = 0, ndocs = 0;
  kbx_db_termfreq(b->db, head, &fh, NULL);
  kbx_db_doccount(b->db, &ndocs, NULL);
  bool unknown = n >= 2 && f2 == 0;
  b->unknown_compound |= unknown;
  bool has_head =
      unknown && (b->relaxed || (double)fh <= HEAD_MAX_SHARE * (double)ndocs);
  kbi_qfree_all(subs, n);
  kbx_query *scaled = NULL;
  if (all && b->st == KB_OK)
    b->st = kbx_query_scale(all, COMPOUND_PARTS_WEIGHT, &scaled, b->reterr_msg);
  kbx_query_free(all);
  if (scaled == NULL || !has_head)
    return scaled;
  kbx_query *either[KB_COMPOUND_MAX_PARTS + 1] = {scaled};
  size_t ne = 1;
  either[ne++] = scaled_term(b, head, COMPOUND_HEAD_WEIGHT);
  for (size_t i = 0; b->relaxed && i + 1 < n; i++)
    either[ne++] = scaled_term(b, terms[i], COMPOUND_HEAD_WEIGHT / 2);
  kbx_query *q =
      b->st == KB_OK ? kbi_qcombine(b, KBX_OP_OR, either, ne, 0) : NULL;
  kbi_qfree_all(either, ne);
  return q;
}

/* A hyphenated word's parts, all required, weighted like a compound's. */
static kbx_query *hyphen_query(builder *b, const word *w) {
  kbx_query *subs[8];
  size_t n = 0;
  for (const char *p = w->hyphen_parts; *p && n < 8;) {
    size_t l = strcspn(p, " ");
    char t[KB_WORD_MAX * 2 + 16];
    snprintf(t, sizeof t, "%s%.*s", KB_PREFIX_STEM, (int)l, p);
    if ((subs[n] = kbi_qterm(b, t)) != NULL)
      n++;
    p += l + (p[l] == ' ');
  }
  kbx_query *all = n >= 2 ? kbi_qcombine(b, KBX_OP_AND, subs, n, 0) : NULL;
  kbi_qfree_all(subs, n);
  kbx_query *scaled = NULL;
  if (all && b->st == KB_OK)
    b->st = kbx_query_scale(all, COMPOUND_PARTS_WEIGHT, &scaled, b->reterr_msg);
  kbx_query_free(all);
  return scaled;
}

/* Weight of a verb's -ung noun ("kündigen" -> "Kündigung", "beschäftigen"
 * -> "Beschäftigung"): german2 stems the two apart, people ask with the
 * verb, the articles name the noun. */
#define DERIVED_WEIGHT 0.7

/* `q` OR the word's -ung noun, when the index has that noun. */
static kbx_query *with_derived(builder *b, const word *w, kbx_query *q) {
  size_t wl = strlen(w->w);
  if (q == NULL || wl < 6 || w->w[wl - 1] != 'n')
    return q;
  /* "beschäftigen" -> "beschäftigung", "kündigen" -> "kündigung" */
  char noun[KB_WORD_MAX + 8], stem[KB_WORD_MAX * 2 + 8],
      t[KB_WORD_MAX * 2 + 24];
  size_t base = wl - (w->w[wl - 2] == 'e' ? 2 : 1), sl = 0;
  snprintf(noun, sizeof noun, "%.*sung", (int)base, w->w);
  uint64_t df = 0;
  if (kb_stem_word(b->an, noun, strlen(noun), stem, sizeof stem, &sl) != KB_OK)
    return q;
  snprintf(t, sizeof t, "%s%s", KB_PREFIX_STEM, stem);
  if (strcmp(stem, w->stem) == 0 ||
      kbx_db_termfreq(b->db, t, &df, NULL) != KB_OK || df == 0)
    return q;
  return kbi_or_weighted(b, q, kbi_qterm(b, t), DERIVED_WEIGHT);
}

/* Separable verb prefixes: a zu-infinitive puts "zu" after them
 * ("anzupassen", "aufzunehmen", "zurückzukehren"). */
static const char *const SEPARABLE[] = {
    "ab",   "an",   "auf",    "aus",    "bei",    "dar",      "ein",  "fest",
    "fort", "frei", "her",    "hin",    "los",    "mit",      "nach", "um",
    "vor",  "weg",  "weiter", "wieder", "zurück", "zusammen", "zu"};

/* `q` OR the infinitive of a zu-infinitive ("anzupassen" -> "anpassen"),
 * weighted like a derivation: the same verb, but "Auszubildenden" is also
 * read as one and should not count fully for "ausbilden". */
static kbx_query *with_infinitive(builder *b, const word *w, kbx_query *q) {
  size_t wl = strlen(w->w);
  uint64_t f = 0;
  char z[KB_WORD_MAX * 2 + 16];
  if (q == NULL || wl < 7 || w->w[wl - 1] != 'n')
    return q;
  for (size_t i = 0; i < sizeof SEPARABLE / sizeof *SEPARABLE; i++) {
    size_t pl = strlen(SEPARABLE[i]);
    if (wl < pl + 5 || memcmp(w->w, SEPARABLE[i], pl) != 0 ||
        memcmp(w->w + pl, "zu", 2) != 0)
      continue;
    char inf[KB_WORD_MAX + 8], stem[KB_WORD_MAX * 2 + 8];
    size_t sl = 0;
    snprintf(inf, sizeof inf, "%.*s%s", (int)pl, w->w, w->w + pl + 2);
    if (kb_stem_word(b->an, inf, strlen(inf), stem, sizeof stem, &sl) != KB_OK)
      continue;
    snprintf(z, sizeof z, "%s%s", KB_PREFIX_STEM, stem);
    if (strcmp(stem, w->stem) != 0 &&
        kbx_db_termfreq(b->db, z, &f, NULL) == KB_OK && f > 0)
      return kbi_or_weighted(b, q, kbi_qterm(b, z), DERIVED_WEIGHT);
  }
  return q;
}

/* A word the index does not know that begins indexed words
 * ("Eingliederungs" -> "Eingliederungsmanagement"): those words, weighted
 * PREFIX_WEIGHT, at most PREFIX_MAX of them. */
#define PREFIX_WEIGHT 0.5
#define PREFIX_MAX 20

static kbx_query *with_prefix(builder *b, const word *w, kbx_query *q) {
  uint64_t f = 0;
  char z[KB_WORD_MAX * 2 + 16];
  snprintf(z, sizeof z, "%s%s", KB_PREFIX_STEM, w->stem);
  if (q == NULL || strlen(w->w) < 5 ||
      kbx_db_termfreq(b->db, z, &f, NULL) != KB_OK || f > 0)
    return q;
  kbx_query *wild = kbi_prefix_query_quiet(b, w->w, PREFIX_MAX);
  if (wild == NULL)
    return q;
  return kbi_or_weighted(b, q, wild, PREFIX_WEIGHT);
}

/* The group query of a single word: its stem, widened by synonyms, and
 * for a compound or a hyphenated word its parts. */
kbx_query *kbi_word_query(builder *b, word *w) {
  char t[KB_WORD_MAX * 2 + 16], zkey[KB_WORD_MAX * 2 + 16];
  snprintf(t, sizeof t, "%s%s", KB_PREFIX_STEM, w->stem);
  snprintf(zkey, sizeof zkey, "%s%s", KB_PREFIX_STEM, w->stem);
  const char *keys[2] = {w->w, zkey};
  kbx_query *q = with_synonyms(b, kbi_qterm(b, t), keys, 2);
  char lw[KB_WORD_MAX + 8], lz[KB_WORD_MAX * 2 + 24];
  snprintf(lw, sizeof lw, "%s%s", KB_PREFIX_LAY, w->w);
  snprintf(lz, sizeof lz, "%s%s", KB_PREFIX_LAY, zkey);
  const char *lkeys[2] = {lw, lz};
  q = with_prefix(b, w, with_derived(b, w, with_lay(b, q, t, lkeys, 2)));
  q = with_infinitive(b, w, q);
  kbx_query *parts = NULL;
  if (q && w->hyphen_parts[0])
    parts = hyphen_query(b, w);
  else if (q)
    parts = parts_query(b, w);
  if (parts == NULL)
    return q;
  kbx_query *both[2] = {q, parts};
  kbx_query *either = kbi_qcombine(b, KBX_OP_OR, both, 2, 0);
  kbi_qfree_all(both, 2);
  return either;
}

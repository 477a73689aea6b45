/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * search.c - running searches: request validation, facet filters and
 * counts, hits with snippets (see kb_search.h).  The kb_searcher itself
 * lives in searcher.c.
 */
#include "kb_search.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kb_analysis.h"
#include "kb_cite.h"
#include "kb_compound.h"
#include "kb_layout.h"
#include "kb_query.h"
#include "kb_text.h"
#include "kb_xapian.h"
#include "search_internal.h"

/* The schema the index was built with (never NULL for an open index). */
static const kb_schema *schema_of(const kb_searcher *s) {
  return s->vocab->schema;
}

static bool is_law_facet(const kb_schema *sc, size_t f) {
  size_t field = sc->facets[f].field;
  return field < sc->nfields && sc->fields[field].type == KB_FT_NORM;
}

/* A law facet's value must be a law the citation parser knows, as a
 * whole ("SGB IX", "SGB 9", "BGB"), or no record could carry it. */
static kb_status check_law_value(const kb_sfacet *fc, const char *v,
                                 char **reterr_msg) {
  char law[32];
  size_t n = strlen(v);
  while (n && v[n - 1] == ' ')
    n--;
  if (n && kb_cite_law(v, n, law, sizeof law) == n)
    return KB_OK;
  return kb_fail(KB_ERR_INVALID, reterr_msg,
                 "unknown %s '%s' (give a law, such as 'SGB IX' or 'BGB')",
                 fc->name, v);
}

/* An unknown value of an enum or kind facet gets a did-you-mean. */
static kb_status check_facet_value(const kb_searcher *s, size_t f,
                                   const char *v, char **reterr_msg) {
  const kb_schema *sc = schema_of(s);
  const kb_sfacet *fc = &sc->facets[f];
  if (is_law_facet(sc, f))
    return check_law_value(fc, v, reterr_msg);
  const char *hint = NULL;
  if (fc->field == KB_SF_KIND) {
    if (kb_schema_kind(sc, v))
      return KB_OK;
    const char *names[KB_SCHEMA_MAX_KINDS];
    for (size_t i = 0; i < sc->nkinds; i++)
      names[i] = sc->kinds[i].name;
    hint = kb_closest(v, names, sc->nkinds, 2);
  } else {
    const char *set = sc->fields[fc->field].vocab;
    if (kb_vocab_label(s->vocab, set, v))
      return KB_OK;
    hint = kb_vocab_suggest(s->vocab, set, v);
  }
  if (hint)
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "unknown %s '%s' (did you mean '%s'?)", fc->name, v, hint);
  return kb_fail(KB_ERR_INVALID, reterr_msg, "unknown %s '%s'", fc->name, v);
}

const char *kb_sort_name(const kb_schema *sc, kb_sort s) {
  size_t k = (size_t)s - KB_SORT_DECLARED;
  if (s >= KB_SORT_DECLARED && sc && k < sc->nsorts)
    return sc->sorts[k].name;
  return s == KB_SORT_UPDATED ? "updated" : "relevance";
}

kb_status kb_search_validate(const kb_searcher *s, const kb_search_request *req,
                             char **reterr_msg) {
  if (req->query && strlen(req->query) > KB_QUERY_MAX_BYTES)
    return kb_fail(KB_ERR_LIMIT, reterr_msg,
                   "the query is longer than %d bytes; shorten it",
                   KB_QUERY_MAX_BYTES);
  if (req->query && !kb_utf8_valid(req->query, strlen(req->query)))
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "the query is not valid UTF-8 text");
  if (req->page > KB_PAGE_MAX)
    return kb_fail(KB_ERR_LIMIT, reterr_msg, "page must be between 1 and %d",
                   KB_PAGE_MAX);
  if (req->per_page > KB_PER_PAGE_MAX)
    return kb_fail(KB_ERR_LIMIT, reterr_msg,
                   "per_page must be between 1 and %d", KB_PER_PAGE_MAX);
  const kb_schema *sc = schema_of(s);
  for (size_t f = 0; f < KB_SCHEMA_MAX_FACETS; f++) {
    if (req->nfilters[f] && f >= sc->nfacets)
      return kb_fail(KB_ERR_INVALID, reterr_msg, "no such facet");
    if (req->nfilters[f] > KB_FILTER_MAX_VALUES)
      return kb_fail(KB_ERR_LIMIT, reterr_msg,
                     "at most %d values of '%s' may be given",
                     KB_FILTER_MAX_VALUES, sc->facets[f].name);
    for (size_t i = 0; i < req->nfilters[f]; i++) {
      const char *v = req->filters[f][i];
      if (strlen(v) > KB_FILTER_MAX_BYTES || !kb_utf8_valid(v, strlen(v)))
        return kb_fail(KB_ERR_INVALID, reterr_msg,
                       "'%s' value is too long or not valid text",
                       sc->facets[f].name);
      kb_status st = check_facet_value(s, f, v, reterr_msg);
      if (st != KB_OK)
        return st;
    }
  }
  return KB_OK;
}

/* ---- one search run ---------------------------------------------------- */

typedef struct run {
  kb_searcher *s;
  const kb_search_request *req;
  kb_search_result *r;
  const kb_schema *sc;
  kbx_query *facet_filter[KB_SCHEMA_MAX_FACETS]; /* a facet's values */
  /* When more than 0 but fewer matches than this: skip the hits, another
   * query (a keyword query's filling) will be run for them. */
  uint64_t fill_below;
  double k1, b; /* BM25's, for the plan run (kb_query_bm25) */
  /* The facet filters as a fold (kbx_fold_new), made by the first
   * main_search that can use one; NULL where none can be used. */
  kbx_fold *fold;
  bool fold_made;
  /* What the facet lists were last counted for: the query and field
   * filter, and whether that match counted the filtered facets too (a
   * folded match). */
  const kbx_query *lists_q, *lists_filter;
  bool lists_folded;
  char **reterr_msg;
} run;

enum { FILTER_TERM_BYTES = KB_FILTER_MAX_BYTES + 48 };

/* The term of facet f's i-th selected value, as the indexer makes it. */
static void filter_term(const run *rn, size_t f, size_t i,
                        char t[FILTER_TERM_BYTES]) {
  const kb_sfacet *fc = &rn->sc->facets[f];
  const char *v = rn->req->filters[f][i];
  if (is_law_facet(rn->sc, f)) {
    char law[32];
    if (kb_cite_law(v, strlen(v), law, sizeof law) == 0)
      snprintf(law, sizeof law, "%s", v);
    kb_cite_law_term(law, fc->prefix, t, FILTER_TERM_BYTES);
  } else {
    snprintf(t, FILTER_TERM_BYTES, "%s%s", fc->prefix, v);
  }
}

static kbx_query *facet_filter(run *rn, size_t f, kb_status *st) {
  size_t n = rn->req->nfilters[f];
  if (n == 0)
    return NULL;
  kbx_query *terms[KB_FILTER_MAX_VALUES] = {0};
  kbx_query *q = NULL;
  for (size_t i = 0; i < n && *st == KB_OK; i++) {
    char t[FILTER_TERM_BYTES];
    filter_term(rn, f, i, t);
    *st = kbx_query_term(t, 1, 0, &terms[i], rn->reterr_msg);
  }
  if (*st == KB_OK)
    *st =
        kbx_query_combine(rn->sc->facets[f].and_within ? KBX_OP_AND : KBX_OP_OR,
                          terms, n, 0, &q, rn->reterr_msg);
  for (size_t i = 0; i < n; i++)
    kbx_query_free(terms[i]);
  return q;
}

/* The final query: `base` filtered by every facet except `skip` (pass
 * NO_SKIP to apply all, NO_FACETS to apply none) and by the plan's field
 * filters. */
#define NO_SKIP ((size_t)-1)
#define NO_FACETS ((size_t)-2)
static kb_status filtered(run *rn, const kbx_query *base,
                          const kbx_query *field_filter, size_t skip,
                          kbx_query **ret) {
  kbx_query *parts[KB_SCHEMA_MAX_FACETS + 2];
  size_t n = 0;
  parts[n++] = (kbx_query *)base;
  if (field_filter)
    parts[n++] = (kbx_query *)field_filter;
  for (size_t f = 0; f < rn->sc->nfacets; f++)
    if (f != skip && skip != NO_FACETS && rn->facet_filter[f])
      parts[n++] = rn->facet_filter[f];
  if (n == 1)
    return kbx_query_scale(base, 1.0, ret, rn->reterr_msg);
  return kbx_query_combine(KBX_OP_FILTER, parts, n, 0, ret, rn->reterr_msg);
}

typedef struct facet_fill {
  run *rn;
  size_t f;
  bool tagged; /* the spy counted the combined list (KB_SLOT_FACETS) */
  kb_facet_value *vals;
  size_t n, room, cap; /* room: allocated; cap: the most values listed */
} facet_fill;

/* Room in ff->vals for `need` values (at most ff->cap), doubling: a list
 * as long as the most there may be was 10 KB cleared per facet and
 * search, for a few values. */
static bool values_room(facet_fill *ff, size_t need) {
  if (need <= ff->room)
    return true;
  size_t room = ff->room ? 2 * ff->room : 16;
  if (room > ff->cap)
    room = ff->cap;
  if (room < need)
    room = need;
  kb_facet_value *v = kb_arena_alloc(&ff->rn->r->arena, room * sizeof *v);
  if (v == NULL)
    return false;
  if (ff->n)
    memcpy(v, ff->vals, ff->n * sizeof *v);
  ff->vals = v;
  ff->room = room;
  return true;
}

/* On a single database every facet is counted by one spy over the
 * combined list (one value read per match); on a sharded index Xapian's
 * own counter runs instead (remote shards know no other), which counts
 * whole lists - few distinct ones per facet's own slot, but nearly one
 * per document in the combined list - so there each facet is counted
 * from its own slot. */
static bool combined_facets(const run *rn) {
  return !kbx_db_counts_whole_values(rn->s->db);
}

/* One counted value: in the combined list (KB_SLOT_FACETS) behind facet
 * f's letter, else as it is. */
static bool fill_value(const char *value, size_t len, uint64_t count,
                       void *ctx) {
  facet_fill *ff = ctx;
  if (ff->tagged) {
    if (len < 1 || value[0] != KB_FACET_TAG(ff->f))
      return true; /* another facet's */
    value++;
    len--;
  }
  if (ff->n >= ff->cap || len == 0)
    return ff->n < ff->cap;
  if (!values_room(ff, ff->n + 1))
    return false;
  kb_arena *a = &ff->rn->r->arena;
  char *v = kb_arena_strndup(a, value, len);
  if (v == NULL)
    return false;
  ff->vals[ff->n++] = (kb_facet_value){
      .value = v,
      .label = kb_vocab_facet_label(ff->rn->s->vocab, ff->f, v),
      .count = count};
  return true;
}

static bool is_selected(const kb_search_request *req, size_t f, const char *v) {
  for (size_t i = 0; i < req->nfilters[f]; i++)
    if (strcmp(req->filters[f][i], v) == 0)
      return true;
  return false;
}

static int cmp_facet(const void *a, const void *b) {
  const kb_facet_value *x = a, *y = b;
  if (x->count != y->count)
    return x->count < y->count ? 1 : -1;
  return strcmp(x->label, y->label);
}

/* The most values of a facet a result lists (and its selected ones). */
enum { FACET_VALUES_MAX = 256 };

/* Turns a spy's counts into the facet list: every value with a count,
 * the most frequent FACET_VALUES_MAX and as many as the facet has
 * selected values, plus selected values even at zero, most frequent
 * first. */
static kb_status facet_list(run *rn, size_t f, const kbx_spy *spy,
                            bool tagged) {
  const size_t cap = FACET_VALUES_MAX + rn->req->nfilters[f];
  facet_fill ff = {.rn = rn, .f = f, .tagged = tagged, .cap = cap};
  kb_status st = kbx_spy_each(spy, fill_value, &ff, rn->reterr_msg);
  if (st != KB_OK)
    return st;
  const size_t need = ff.n + rn->req->nfilters[f]; /* and selected ones */
  if (!values_room(&ff, need < cap ? need : cap) || !values_room(&ff, 1))
    return KB_ERR_NOMEM;
  for (size_t i = 0; i < ff.n; i++)
    ff.vals[i].selected = is_selected(rn->req, f, ff.vals[i].value);
  for (size_t i = 0; i < rn->req->nfilters[f] && ff.n < cap; i++) {
    const char *v = rn->req->filters[f][i];
    bool seen = false;
    for (size_t k = 0; k < ff.n && !seen; k++)
      seen = strcmp(ff.vals[k].value, v) == 0;
    if (!seen) {
      ff.vals[ff.n++] =
          (kb_facet_value){.value = kb_arena_strdup(&rn->r->arena, v),
                           .label = kb_vocab_facet_label(rn->s->vocab, f, v),
                           .count = 0,
                           .selected = true};
    }
  }
  qsort(ff.vals, ff.n, sizeof *ff.vals, cmp_facet);
  rn->r->facets[f] = (kb_facet_list){.values = ff.vals, .n = ff.n};
  return KB_OK;
}

/* Snippets: Xapian tokenises and stems all of the text it is given, which
 * for ten whole articles was most of a search's time.  It gets a window
 * instead: SNIPPET_WINDOW bytes from a little before the first place
 * where a query word's beginning occurs (case-insensitive), or the
 * start of the text when none does. */
enum { SNIPPET_WINDOW = 2000, SNIPPET_LEAD = 400, NEEDLE_BYTES = 4 };

typedef struct needles {
  char v[16][NEEDLE_BYTES + 1];
  size_t len[16];
  size_t n;
  bool start[256]; /* a needle begins with this byte, in either case */
} needles;

static void make_needles(kb_analyzer *an, const char *q, needles *nd) {
  nd->n = 0;
  memset(nd->start, 0, sizeof nd->start);
  kb_buf key = KB_BUF_INIT(4096);
  if (q && kb_phrase_key(an, q, strlen(q), &key, NULL) == KB_OK) {
    for (const char *w = kb_buf_str(&key); *w && nd->n < 16;) {
      size_t l = strcspn(w, " ");
      if (!kb_is_stopword(w, l) && l >= 3) {
        size_t take = l < NEEDLE_BYTES ? l : NEEDLE_BYTES;
        while (take > 1 && ((unsigned char)w[take] & 0xC0) == 0x80)
          take--; /* never cut a character */
        memcpy(nd->v[nd->n], w, take);
        nd->v[nd->n][take] = '\0';
        nd->len[nd->n] = take;
        /* tolower and toupper of the C locale: ASCII only, as
         * strncasecmp below compares */
        nd->start[(unsigned char)tolower((unsigned char)w[0])] = true;
        nd->start[(unsigned char)toupper((unsigned char)w[0])] = true;
        nd->n++;
      }
      w += l + (w[l] == ' ');
    }
  }
  kb_buf_release(&key);
}

/* The first place in `text` where a needle begins (case-insensitive in
 * ASCII, as strcasestr), or NULL: one pass for all needles, stopping at
 * the first, instead of one whole pass per needle. */
static const char *first_needle(const char *text, const needles *nd) {
  if (nd->n == 0)
    return NULL;
  for (const char *p = text; *p; p++) {
    if (!nd->start[(unsigned char)*p])
      continue;
    for (size_t i = 0; i < nd->n; i++)
      if (strncasecmp(p, nd->v[i], nd->len[i]) == 0)
        return p;
  }
  return NULL;
}

static const char *snippet_window(const char *text, const needles *nd,
                                  size_t *ret_len) {
  size_t len = strlen(text);
  const char *first = first_needle(text, nd);
  size_t from = 0;
  if (first && (size_t)(first - text) > SNIPPET_LEAD) {
    from = (size_t)(first - text) - SNIPPET_LEAD;
    while (from < len && text[from] != ' ' && text[from] != '\n')
      from++; /* start at a word */
  }
  size_t n = len - from < SNIPPET_WINDOW ? len - from : SNIPPET_WINDOW;
  while (n < len - from && n > 0 &&
         ((unsigned char)text[from + n] & 0xC0) == 0x80)
    n--; /* end on a character boundary */
  *ret_len = n;
  return text + from;
}

/* What a hit is, in a word: the label of the first enum value of its
 * facts box, else its kind's label. */
static const char *hit_label(const kb_searcher *s, const kb_record *rec) {
  const kb_schema *sc = schema_of(s);
  const kb_skind *k = kb_schema_kind(sc, rec->kind);
  for (size_t i = 0; k && i < k->nfacts; i++) {
    size_t f = k->facts[i];
    if (f < sc->nfields && sc->fields[f].type == KB_FT_ENUM && rec->values[f].n)
      return kb_vocab_value_label(s->vocab, f, rec->values[f].v[0]);
  }
  return k ? k->label : rec->kind;
}

static kb_status snippet(run *rn, kbx_mset *mset, uint32_t i, const needles *nd,
                         const char *text, const char **ret) {
  size_t wlen = 0;
  char *snip = NULL;
  const char *win = snippet_window(text, nd, &wlen);
  kb_status st = kbx_mset_snippet(
      mset, win, wlen, 240, kb_analyzer_stemmer(rn->s->an), "<mark>", "</mark>",
      "\xE2\x80\xA6", &snip, rn->reterr_msg);
  if (st != KB_OK)
    return st;
  *ret = kb_arena_strdup(&rn->r->arena, snip);
  free(snip);
  return *ret ? KB_OK : KB_ERR_NOMEM;
}

/* Keeps `rec` with the result: freed with it. */
static bool own_record(kb_search_result *r, kb_record *rec) {
  if (r->nowned == r->capowned) {
    size_t cap = r->capowned ? 2 * r->capowned : 16;
    kb_record **v = realloc(r->owned, cap * sizeof *v);
    if (v == NULL)
      return false;
    r->owned = v;
    r->capowned = cap;
  }
  r->owned[r->nowned++] = rec;
  return true;
}

static kb_status one_hit(run *rn, kbx_mset *mset, uint32_t i, double weight,
                         const needles *nd, bool snippets, kb_hit *h) {
  char *data = NULL;
  size_t dlen = 0;
  kb_record *rec = NULL;
  /* The hit's part of the record, uncompressed (KB_SLOT_HIT), from the
   * hit store where there is one; only its header is decoded, its text
   * is the snippet's source. */
  kb_status st;
  if (rn->s->hits) {
    kbx_docid did = 0;
    st = kbx_mset_docid(mset, i, &did, rn->reterr_msg);
    if (st == KB_OK)
      st = kb_hits_read(rn->s->hits, did, &data, &dlen, rn->reterr_msg);
  } else {
    st = kbx_mset_value(mset, i, KB_SLOT_HIT, &data, &dlen, rn->reterr_msg);
  }
  if (st == KB_OK)
    st = kb_record_decode(rn->sc, data, dlen, false, &rec, rn->reterr_msg);
  if (st == KB_OK && !own_record(rn->r, rec)) {
    kb_record_free(rec);
    st = KB_ERR_NOMEM;
  }
  if (st != KB_OK) {
    free(data);
    return st;
  }
  char url[256];
  kb_record_url(rec->kind, rec->id, url, sizeof url);
  *h = (kb_hit){.rec = rec,
                .id = rec->id,
                .kind = rec->kind,
                .title = rec->title,
                .summary = rec->summary,
                .updated = rec->updated,
                .url = kb_arena_strdup(&rn->r->arena, url),
                .label = hit_label(rn->s, rec),
                .snippet = ""};
  h->score = weight;
  size_t tlen = 0;
  const char *text = kb_record_text(data, dlen, &tlen);
  if (snippets && tlen)
    st = snippet(rn, mset, i, nd, text, &h->snippet);
  free(data);
  return h->url ? st : KB_ERR_NOMEM;
}

/* One page of an mset, in the order to show: its items with their
 * weights. */
typedef struct page_order {
  uint32_t item[KB_PER_PAGE_MAX];
  double weight[KB_PER_PAGE_MAX];
  size_t n;
} page_order;

/* Fills r->hits from the chosen items of an mset. */
static kb_status hits(run *rn, kbx_mset *mset, const page_order *po,
                      bool snippets) {
  kb_search_result *r = rn->r;
  needles nd;
  make_needles(rn->s->an, r->corrected ? r->suggestion : r->query, &nd);
  r->hits = kb_arena_alloc(&r->arena, (po->n ? po->n : 1) * sizeof *r->hits);
  if (r->hits == NULL)
    return KB_ERR_NOMEM;
  for (size_t k = 0; k < po->n; k++) {
    kb_status st = one_hit(rn, mset, po->item[k], po->weight[k], &nd, snippets,
                           &r->hits[r->nhits]);
    if (st != KB_OK)
      return st;
    r->nhits++;
  }
  return KB_OK;
}

/* How far below the page a record may rise when results are weighed
 * again by kind. */
#define RERANK_DEPTH 5

/* Weighing by links: each of the first LINK_POOL results passes
 * LINK_SHARE of its weight, divided by the square root of the number of
 * records it links to, to every other of them it links to; a record
 * gains at most LINK_CAP of its own weight, so links reorder records
 * that match alike but do not lift a hub that barely matches.  (On
 * tests/relevance: docs/benchmarks.md.) */
#define LINK_POOL 50
#define LINK_SHARE 0.15
#define LINK_CAP 0.5

typedef struct ranked_item {
  uint32_t item;
  kbx_docid did;
  double weight; /* as Xapian weighed it, times its kind's rank */
  double gain;   /* from the records linking to it */
} ranked_item;

static int cmp_ranked(const void *a, const void *b) {
  const ranked_item *x = a, *y = b;
  double wx = x->weight + x->gain, wy = y->weight + y->gain;
  if (wx != wy)
    return wx < wy ? 1 : -1;
  return x->item < y->item ? -1 : x->item > y->item;
}

static int cmp_did(const void *a, const void *b) {
  const ranked_item *const *x = a, *const *y = b;
  return (*x)->did < (*y)->did ? -1 : (*x)->did > (*y)->did;
}

/* Adds to v[i].gain the share of every record among v[0 .. n) that
 * links to it. */
static kb_status link_gains(kb_searcher *s, ranked_item *v, uint32_t n) {
  ranked_item **by_did = malloc((n ? n : 1) * sizeof *by_did);
  if (by_did == NULL)
    return KB_ERR_NOMEM;
  for (uint32_t i = 0; i < n; i++)
    by_did[i] = &v[i];
  qsort(by_did, n, sizeof *by_did, cmp_did);
  for (uint32_t i = 0; i < n; i++) {
    const uint32_t *to = NULL;
    size_t nto = kbi_links(s, v[i].did, &to);
    if (nto == 0)
      continue;
    double share = LINK_SHARE * v[i].weight / sqrt((double)nto);
    for (size_t k = 0; k < nto; k++) {
      ranked_item key = {.did = to[k]}, *kp = &key;
      ranked_item **hit = bsearch(&kp, by_did, n, sizeof *by_did, cmp_did);
      if (hit)
        (*hit)->gain += share;
    }
  }
  free(by_did);
  for (uint32_t i = 0; i < n; i++)
    if (v[i].gain > LINK_CAP * v[i].weight)
      v[i].gain = LINK_CAP * v[i].weight;
  return KB_OK;
}

/* The page [first, first + per_page) of an mset that holds the results
 * from 0 on: each weight times its kind's declared rank (kb_schema.h),
 * plus what the first LINK_POOL results that link to it pass on; equal
 * weights in Xapian's order.  Without `rerank`, the mset's items as they
 * are. */
static kb_status order_page(run *rn, kbx_mset *mset, bool rerank,
                            uint32_t first, page_order *po) {
  uint32_t n = kbx_mset_size(mset);
  po->n = 0;
  if (!rerank) {
    for (uint32_t i = 0; i < n && po->n < KB_PER_PAGE_MAX; i++) {
      po->item[po->n] = i;
      kbx_mset_weight(mset, i, &po->weight[po->n++], NULL);
    }
    return KB_OK;
  }
  ranked_item *v = malloc((n ? n : 1) * sizeof *v);
  if (v == NULL)
    return KB_ERR_NOMEM;
  for (uint32_t i = 0; i < n; i++) {
    v[i] = (ranked_item){.item = i};
    kbx_mset_weight(mset, i, &v[i].weight, NULL);
    if (kbx_mset_docid(mset, i, &v[i].did, NULL) == KB_OK)
      v[i].weight *= kbi_kind_rank(rn->s, v[i].did);
  }
  kb_status st = link_gains(rn->s, v, n < LINK_POOL ? n : LINK_POOL);
  if (st == KB_OK) {
    qsort(v, n, sizeof *v, cmp_ranked);
    for (uint32_t i = first; i < n && po->n < rn->r->per_page; i++) {
      po->item[po->n] = v[i].item;
      po->weight[po->n++] = v[i].weight + v[i].gain;
    }
  }
  free(v);
  return st;
}

/* Makes rn->fold from the request's facet filters, once (it stays NULL
 * where a fold cannot be used). */
static kb_status make_fold(run *rn) {
  if (rn->fold_made)
    return KB_OK;
  rn->fold_made = true;
  kb_status st = kbx_fold_new(rn->s->db, &rn->fold, rn->reterr_msg);
  for (size_t f = 0; f < rn->sc->nfacets && st == KB_OK && rn->fold; f++) {
    size_t n = rn->req->nfilters[f];
    if (n == 0)
      continue;
    char t[KB_FILTER_MAX_VALUES][FILTER_TERM_BYTES];
    const char *terms[KB_FILTER_MAX_VALUES];
    for (size_t i = 0; i < n; i++) {
      filter_term(rn, f, i, t[i]);
      terms[i] = t[i];
    }
    st = kbx_fold_facet(rn->fold, KB_FACET_TAG(f), terms, n,
                        rn->sc->facets[f].and_within, rn->reterr_msg);
  }
  return st;
}

static bool any_facet_filter(const run *rn) {
  for (size_t f = 0; f < rn->sc->nfacets; f++)
    if (rn->req->nfilters[f])
      return true;
  return false;
}

/* Runs the main query: hits for the page and counts of facets that have
 * no selection - and of those that have one, where the match can fold
 * the facet filters in (kbx_enquire_fold: one match instead of one more
 * per filtered facet; on one local database, for a search by relevance
 * that cannot run into the time limit).  Returns the number of matches
 * in *ret_total. */
static kb_status main_search(run *rn, const kbx_query *q,
                             const kbx_query *field_filter, bool browse,
                             bool fetch_hits, uint64_t *ret_total) {
  kbx_enquire *enq = NULL;
  kbx_query *fq = NULL;
  kbx_mset *mset = NULL;
  kbx_spy *spies[KB_SCHEMA_MAX_FACETS] = {0};
  const kb_search_request *req = rn->req;
  bool combined = combined_facets(rn);
  bool folded = fetch_hits && combined && !browse &&
                req->sort == KB_SORT_RELEVANCE && any_facet_filter(rn);
  kb_status st = folded ? make_fold(rn) : KB_OK;
  folded = folded && rn->fold;
  if (st == KB_OK)
    st = filtered(rn, q, field_filter, folded ? NO_FACETS : NO_SKIP, &fq);
  if (st == KB_OK)
    st = kbx_enquire_new(rn->s->db, &enq, rn->reterr_msg);
  if (st == KB_OK)
    st = kbx_enquire_set_query(enq, fq, rn->reterr_msg);
  if (st != KB_OK)
    goto out;
  kbx_enquire_time_limit(enq, KB_MATCH_TIME_LIMIT);
  if (browse)
    kbx_enquire_bool_weight(enq);
  else
    kbx_enquire_bm25(enq, rn->k1, rn->b);
  size_t k = (size_t)req->sort - KB_SORT_DECLARED;
  if (req->sort >= KB_SORT_DECLARED && k < rn->sc->nsorts)
    kbx_enquire_sort_value(enq, rn->sc->sorts[k].slot, true);
  else if (browse || req->sort == KB_SORT_UPDATED)
    kbx_enquire_sort_value(enq, KB_SLOT_UPDATED, true);
  if (folded) {
    st = kbx_enquire_fold(enq, rn->fold, &folded, rn->reterr_msg);
    if (st == KB_OK && !folded) { /* the facet filters in the query then */
      kbx_query_free(fq);
      fq = NULL;
      st = filtered(rn, q, field_filter, NO_SKIP, &fq);
      if (st == KB_OK)
        st = kbx_enquire_set_query(enq, fq, rn->reterr_msg);
    }
    if (st != KB_OK)
      goto out;
  }
  /* Facets without a selection are counted here (see combined_facets);
   * one with a selection too in a folded match, else separately, without
   * its own filter (facet_counts). */
  for (size_t f = 0; f < rn->sc->nfacets && fetch_hits; f++) {
    if ((req->nfilters[f] && !folded) || (combined && spies[0]))
      continue;
    st = kbx_spy_new(combined ? KB_SLOT_FACETS : rn->sc->facets[f].slot, true,
                     &spies[combined ? 0 : f], rn->reterr_msg);
    if (st == KB_OK)
      st = kbx_enquire_add_spy(enq, spies[combined ? 0 : f], rn->reterr_msg);
    if (st != KB_OK)
      goto out;
  }
  unsigned per_page = rn->r->per_page, page = rn->r->page;
  uint32_t total_docs =
      (uint32_t)(rn->s->doccount > UINT32_MAX ? UINT32_MAX : rn->s->doccount);
  uint32_t first = (page - 1) * per_page;
  /* Kinds of lower rank: the results are weighed again by kind over the
   * page and RERANK_DEPTH beyond it. */
  bool rerank = fetch_hits && !browse && req->sort == KB_SORT_RELEVANCE;
  uint32_t from = rerank ? 0 : fetch_hits ? first : 0;
  uint32_t count = rerank       ? first + per_page + RERANK_DEPTH
                   : fetch_hits ? per_page
                                : 0;
  if (rerank && count < LINK_POOL)
    count = LINK_POOL;
  st = kbx_enquire_mset(enq, from, count, total_docs, &mset, rn->reterr_msg);
  if (st != KB_OK)
    goto out;
  *ret_total = kbx_mset_matches_estimated(mset);
  if (*ret_total > 0 && *ret_total < rn->fill_below)
    goto out;
  if (fetch_hits) {
    page_order po;
    st = order_page(rn, mset, rerank, first, &po);
    if (st == KB_OK)
      st = hits(rn, mset, &po, !browse);
    for (size_t f = 0; f < rn->sc->nfacets && st == KB_OK; f++)
      if ((req->nfilters[f] == 0 || folded) && spies[combined ? 0 : f])
        st = facet_list(rn, f, spies[combined ? 0 : f], combined);
    rn->lists_q = q;
    rn->lists_filter = field_filter;
    rn->lists_folded = folded;
  }
out:
  kbx_mset_free(mset);
  kbx_enquire_free(enq);
  kbx_query_free(fq);
  for (size_t f = 0; f < KB_SCHEMA_MAX_FACETS; f++)
    kbx_spy_free(spies[f]);
  return st;
}

/* Counts for a facet that has a selection: the query with every other
 * facet's filter, but not its own (disjunctive faceting).  On one local
 * database from the combined list, whose facet table the main match has
 * made already (a table per facet slot cost each worker ~0.3 s per facet
 * at 100,000 records on its first filtered search); on a sharded index
 * from the facet's own slot: a shorter list per match for Xapian's spy
 * (at 100,000 records a filtered search took 31 ms with the combined
 * list, 21 ms with the facet's own). */
static kb_status facet_counts(run *rn, size_t f, const kbx_query *q,
                              const kbx_query *field_filter) {
  kbx_enquire *enq = NULL;
  kbx_query *fq = NULL;
  kbx_mset *mset = NULL;
  kbx_spy *spy = NULL;
  kb_status st = filtered(rn, q, field_filter, f, &fq);
  if (st == KB_OK)
    st = kbx_enquire_new(rn->s->db, &enq, rn->reterr_msg);
  if (st == KB_OK)
    st = kbx_enquire_set_query(enq, fq, rn->reterr_msg);
  bool combined = combined_facets(rn);
  if (st == KB_OK)
    st = kbx_spy_new(combined ? KB_SLOT_FACETS : rn->sc->facets[f].slot, true,
                     &spy, rn->reterr_msg);
  if (st == KB_OK)
    st = kbx_enquire_add_spy(enq, spy, rn->reterr_msg);
  if (st == KB_OK) {
    kbx_enquire_bool_weight(enq);
    kbx_enquire_time_limit(enq, KB_MATCH_TIME_LIMIT);
    uint32_t all =
        (uint32_t)(rn->s->doccount > UINT32_MAX ? UINT32_MAX : rn->s->doccount);
    /* One result, unused: Xapian's matcher then counts a match that
     * cannot enter the result without its heap (see kbx_enquire_mset);
     * with none it pushes every match into an empty heap and pops it. */
    st = kbx_enquire_mset(enq, 0, 1, all, &mset, rn->reterr_msg);
  }
  if (st == KB_OK)
    st = facet_list(rn, f, spy, combined);
  kbx_mset_free(mset);
  kbx_enquire_free(enq);
  kbx_query_free(fq);
  kbx_spy_free(spy);
  return st;
}

void kb_search_result_free(kb_search_result *r) {
  if (r == NULL)
    return;
  for (size_t i = 0; i < r->nowned; i++)
    kb_record_free(r->owned[i]);
  free(r->owned);
  kb_arena a = r->arena; /* r itself lives in the arena */
  kb_arena_release(&a);
}

kb_status kb_search(kb_searcher *s, const kb_search_request *req,
                    kb_search_result **ret_result, char **reterr_msg) {
  kb_status st = kb_search_validate(s, req, reterr_msg);
  if (st != KB_OK)
    return st;
  kb_arena arena;
  kb_arena_init(&arena, 16u << 20);
  kb_search_result *r = kb_arena_alloc(&arena, sizeof *r);
  if (r == NULL) {
    kb_arena_release(&arena);
    return KB_ERR_NOMEM;
  }
  r->page = req->page ? req->page : 1;
  r->per_page = req->per_page ? req->per_page : KB_PER_PAGE_DEFAULT;
  r->sort = req->sort;
  r->query = kb_arena_strdup(&arena, req->query ? req->query : "");
  r->arena = arena; /* from here on allocate through r->arena */

  r->nfacets = schema_of(s)->nfacets;
  run rn = {
      .s = s, .req = req, .r = r, .sc = schema_of(s), .reterr_msg = reterr_msg};
  kb_query_plan plan = {0}, alt = {0};
  kbx_query *all = NULL;
  const kbx_query *q = NULL;
  for (size_t f = 0; f < rn.sc->nfacets && st == KB_OK; f++)
    rn.facet_filter[f] = facet_filter(&rn, f, &st);
  if (st != KB_OK)
    goto out;

  const unsigned as_typed = req->no_correction ? KB_QUERY_AS_TYPED : 0;
  st = kb_query_build(s->an, s->db, s->vocab, s->lex, r->query, as_typed, &plan,
                      reterr_msg);
  if (st != KB_OK)
    goto out;
  r->browsing = plan.query == NULL;
  kb_query_bm25(&plan, &rn.k1, &rn.b);
  if (plan.query == NULL) {
    st = kbx_query_match_all(&all, reterr_msg);
    q = all;
  } else {
    q = plan.query;
  }
  if (st != KB_OK)
    goto out;
  if (plan.suggestion)
    r->suggestion = kb_arena_strdup(&r->arena, plan.suggestion);
  r->short_wildcard = plan.short_wildcard;
  r->short_wildcard_only = plan.short_wildcard_only;

  /* The common case first: the query as typed, with hits and facets.
   * Only when it finds nothing are the fallbacks tried, each with its
   * hits and facets, so the first that finds something is the answer
   * in one match (counting it first and fetching it again was the
   * slowest searches' second match); a keyword query that fills no page
   * skips its hits and is fetched again with its filling. */
  uint64_t total = 0;
  const kbx_query *filter = plan.filter;
  rn.fill_below = plan.fill ? r->per_page : 0;
  st = main_search(&rn, q, filter, r->browsing, true, &r->total);
  rn.fill_below = 0;
  if (st != KB_OK)
    goto out;
  /* Nothing found: a word the index does not know is most likely
   * misspelt, so the correction is tried before giving up words. */
  bool refetch = false;
  const kbx_query *fill = plan.fill;
  if (r->total == 0 && plan.suggestion && !req->no_correction) {
    st = kb_query_build(s->an, s->db, s->vocab, s->lex, plan.suggestion, 0,
                        &alt, reterr_msg);
    if (st == KB_OK && alt.query) {
      /* ranked as the suggestion typed: a misspelt function word
       * ("nahc") makes keywords a sentence */
      double k1 = rn.k1, b = rn.b;
      kb_query_bm25(&alt, &rn.k1, &rn.b);
      rn.fill_below = alt.fill ? r->per_page : 0;
      r->corrected = true; /* the snippets look for its words */
      st = main_search(&rn, alt.query, alt.filter, false, true, &total);
      r->corrected = total > 0;
      rn.fill_below = 0;
      if (total == 0) {
        rn.k1 = k1;
        rn.b = b;
      }
    }
    if (st != KB_OK)
      goto out;
    if (alt.query && total > 0) {
      q = alt.query;
      filter = alt.filter;
      fill = alt.fill;
      r->total = total;
    }
  }
  if (r->total == 0 && !r->corrected &&
      (plan.positives >= 2 || plan.unknown_compound) && !plan.explicit_or) {
    /* Nobody wrote about enough of the words together: fall back to any
     * of them, and to any part of an unknown compound. */
    kb_query_plan_release(&alt);
    st = kb_query_build(s->an, s->db, s->vocab, s->lex, r->query,
                        KB_QUERY_RELAXED | as_typed, &alt, reterr_msg);
    if (st == KB_OK)
      st = main_search(&rn, alt.query, alt.filter, false, true, &total);
    if (st != KB_OK)
      goto out;
    if (total > 0) {
      r->relaxed = true;
      r->total = total;
      q = alt.query;
      filter = alt.filter;
    }
  }
  /* The results also hold a misspelt word's correction (a sentence):
   * the page says so and offers the words as typed. */
  r->with_suggestion =
      r->total > 0 && !r->corrected &&
      (r->relaxed ? alt.with_suggestion : plan.with_suggestion);
  /* Fewer records than the page holds have all the words of a keyword
   * query: those with some of them follow. */
  if (fill && !r->relaxed && r->total > 0 && r->total < r->per_page) {
    q = fill;
    refetch = true;
  }
  if (refetch) {
    r->nhits = 0;
    st = main_search(&rn, q, filter, false, true, &r->total);
  }
  /* The filtered facets' counts, unless the match that counted the
   * other facets for this query counted them too.  The pointers name the
   * last main_search's query, alive until `out`: a query freed before it
   * (alt, rebuilt for the relaxed fallback) was followed by another
   * main_search. */
  bool counted =
      rn.lists_folded && rn.lists_q == q && rn.lists_filter == filter;
  for (size_t f = 0; f < rn.sc->nfacets && st == KB_OK && !counted; f++)
    if (req->nfilters[f])
      st = facet_counts(&rn, f, q, filter);
  if (st == KB_OK && r->query[0] && !r->corrected)
    st = kbi_definition(s, r->query, r, reterr_msg);
  if (st == KB_OK && plan.citations.n) {
    kb_buf note = KB_BUF_INIT(512);
    for (size_t i = 0; i < plan.citations.n; i++) {
      kb_buf_adds(&note, i ? ", " : "");
      kb_buf_adds(&note, plan.citations.v[i]);
    }
    r->citation_note = kb_arena_strdup(&r->arena, kb_buf_str(&note));
    kb_buf_release(&note);
  }
out:
  kb_query_plan_release(&plan);
  kb_query_plan_release(&alt);
  kbx_query_free(all);
  kbx_fold_free(rn.fold);
  for (size_t f = 0; f < KB_SCHEMA_MAX_FACETS; f++)
    kbx_query_free(rn.facet_filter[f]);
  if (st != KB_OK) {
    kb_search_result_free(r);
    return st;
  }
  *ret_result = r;
  return KB_OK;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * search.c - running searches: request validation, facet filters and
 * counts, hits with snippets (see kb_search.h).  The kb_searcher itself
 * lives in searcher.c.
 */
#include "kb_search.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_analysis.h"
#include "kb_cite.h"
#include "kb_compound.h"
#include "kb_query.h"
#include "kb_schema.h"
#include "kb_text.h"
#include "kb_xapian.h"
#include "search_internal.h"

static const char *const facet_prefix[KB_FACET_COUNT] = {
    KB_PREFIX_TYPE, KB_PREFIX_AUDIENCE, KB_PREFIX_DISABILITY, KB_PREFIX_LAW};
static const kbx_slot facet_slot[KB_FACET_COUNT] = {
    KB_SLOT_TYPE, KB_SLOT_AUDIENCE, KB_SLOT_DISABILITY, KB_SLOT_LAW};
static const bool facet_multi[KB_FACET_COUNT] = {false, true, true, true};

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
  for (int f = 0; f < KB_FACET_COUNT; f++) {
    if (req->nfilters[f] > KB_FILTER_MAX_VALUES)
      return kb_fail(KB_ERR_LIMIT, reterr_msg,
                     "at most %d values of '%s' may be given",
                     KB_FILTER_MAX_VALUES, kb_facet_name((kb_facet)f));
    for (size_t i = 0; i < req->nfilters[f]; i++) {
      const char *v = req->filters[f][i];
      if (strlen(v) > KB_FILTER_MAX_BYTES || !kb_utf8_valid(v, strlen(v)))
        return kb_fail(KB_ERR_INVALID, reterr_msg,
                       "'%s' value is too long or not valid text",
                       kb_facet_name((kb_facet)f));
      if (f != KB_FACET_NORM &&
          kb_vocab_label(s->vocab, (kb_facet)f, v) == NULL) {
        const char *hint = kb_vocab_suggest(s->vocab, (kb_facet)f, v);
        if (hint)
          return kb_fail(KB_ERR_INVALID, reterr_msg,
                         "unknown %s '%s' (did you mean '%s'?)",
                         kb_facet_name((kb_facet)f), v, hint);
        return kb_fail(KB_ERR_INVALID, reterr_msg, "unknown %s '%s'",
                       kb_facet_name((kb_facet)f), v);
      }
    }
  }
  return KB_OK;
}

/* ---- one search run ---------------------------------------------------- */

typedef struct run {
  kb_searcher *s;
  const kb_search_request *req;
  kb_search_result *r;
  kbx_query *facet_filter[KB_FACET_COUNT]; /* OR of a facet's values */
  char **reterr_msg;
} run;

static kbx_query *facet_filter(run *rn, kb_facet f, kb_status *st) {
  size_t n = rn->req->nfilters[f];
  if (n == 0)
    return NULL;
  kbx_query *terms[KB_FILTER_MAX_VALUES] = {0};
  kbx_query *q = NULL;
  for (size_t i = 0; i < n && *st == KB_OK; i++) {
    char t[KB_FILTER_MAX_BYTES + 8];
    if (f == KB_FACET_NORM) {
      char law[32];
      const char *v = rn->req->filters[f][i];
      if (kb_cite_law(v, strlen(v), law, sizeof law) == 0)
        snprintf(law, sizeof law, "%s", v);
      kb_cite_law_term(law, t, sizeof t);
    } else {
      snprintf(t, sizeof t, "%s%s", facet_prefix[f], rn->req->filters[f][i]);
    }
    *st = kbx_query_term(t, 1, 0, &terms[i], rn->reterr_msg);
  }
  if (*st == KB_OK)
    *st = kbx_query_combine(KBX_OP_OR, terms, n, 0, &q, rn->reterr_msg);
  for (size_t i = 0; i < n; i++)
    kbx_query_free(terms[i]);
  return q;
}

/* The final query: `base` filtered by every facet except `skip` (pass
 * KB_FACET_COUNT to apply all) and by the plan's field filters. */
static kb_status filtered(run *rn, const kbx_query *base,
                          const kbx_query *field_filter, kb_facet skip,
                          kbx_query **ret) {
  kbx_query *parts[KB_FACET_COUNT + 2];
  size_t n = 0;
  parts[n++] = (kbx_query *)base;
  if (field_filter)
    parts[n++] = (kbx_query *)field_filter;
  for (int f = 0; f < KB_FACET_COUNT; f++)
    if (f != (int)skip && rn->facet_filter[f])
      parts[n++] = rn->facet_filter[f];
  if (n == 1)
    return kbx_query_scale(base, 1.0, ret, rn->reterr_msg);
  return kbx_query_combine(KBX_OP_FILTER, parts, n, 0, ret, rn->reterr_msg);
}

typedef struct facet_fill {
  run *rn;
  kb_facet f;
  kb_facet_value *vals;
  size_t n, cap;
} facet_fill;

static bool fill_value(const char *value, size_t len, uint64_t count,
                       void *ctx) {
  facet_fill *ff = ctx;
  if (ff->n >= ff->cap || len == 0)
    return ff->n < ff->cap;
  kb_arena *a = &ff->rn->r->arena;
  char *v = kb_arena_strndup(a, value, len);
  if (v == NULL)
    return false;
  const char *label = kb_vocab_label(ff->rn->s->vocab, ff->f, v);
  ff->vals[ff->n++] =
      (kb_facet_value){.value = v, .label = label ? label : v, .count = count};
  return true;
}

static bool is_selected(const kb_search_request *req, kb_facet f,
                        const char *v) {
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

/* Turns a spy's counts into the facet list: every value with a count,
 * plus selected values even at zero, most frequent first. */
static kb_status facet_list(run *rn, kb_facet f, const kbx_spy *spy) {
  size_t cap = 256 + rn->req->nfilters[f];
  facet_fill ff = {.rn = rn, .f = f, .cap = cap};
  ff.vals = kb_arena_alloc(&rn->r->arena, cap * sizeof *ff.vals);
  if (ff.vals == NULL)
    return KB_ERR_NOMEM;
  kb_status st = kbx_spy_each(spy, fill_value, &ff, rn->reterr_msg);
  if (st != KB_OK)
    return st;
  for (size_t i = 0; i < ff.n; i++)
    ff.vals[i].selected = is_selected(rn->req, f, ff.vals[i].value);
  for (size_t i = 0; i < rn->req->nfilters[f] && ff.n < cap; i++) {
    const char *v = rn->req->filters[f][i];
    bool seen = false;
    for (size_t k = 0; k < ff.n && !seen; k++)
      seen = strcmp(ff.vals[k].value, v) == 0;
    if (!seen) {
      const char *label = kb_vocab_label(rn->s->vocab, f, v);
      ff.vals[ff.n++] =
          (kb_facet_value){.value = kb_arena_strdup(&rn->r->arena, v),
                           .label = label ? label : v,
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
  size_t n;
} needles;

static void make_needles(kb_analyzer *an, const char *q, needles *nd) {
  nd->n = 0;
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
        nd->n++;
      }
      w += l + (w[l] == ' ');
    }
  }
  kb_buf_release(&key);
}

static const char *snippet_window(const char *text, const needles *nd,
                                  size_t *ret_len) {
  size_t len = strlen(text);
  const char *first = NULL;
  for (size_t i = 0; i < nd->n; i++) {
    const char *hit = strcasestr(text, nd->v[i]);
    if (hit && (first == NULL || hit < first))
      first = hit;
  }
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

static char *json_str(kb_arena *a, json_t *obj, const char *key) {
  const char *v = json_string_value(json_object_get(obj, key));
  return kb_arena_strdup(a, v ? v : "");
}

/* Fills r->hits from an mset. */
static kb_status hits(run *rn, kbx_mset *mset, bool snippets) {
  kb_search_result *r = rn->r;
  uint32_t n = kbx_mset_size(mset);
  needles nd;
  make_needles(rn->s->an, r->corrected ? r->suggestion : r->query, &nd);
  r->hits = kb_arena_alloc(&r->arena, (n ? n : 1) * sizeof *r->hits);
  if (r->hits == NULL)
    return KB_ERR_NOMEM;
  for (uint32_t i = 0; i < n; i++) {
    char *data = NULL, *snip = NULL;
    size_t dlen = 0;
    kb_status st = kbx_mset_data(mset, i, &data, &dlen, rn->reterr_msg);
    if (st != KB_OK)
      return st;
    size_t hlen = strlen(data);
    json_t *j = json_loadb(data, hlen, 0, NULL);
    const char *text = hlen < dlen ? data + hlen + 1 : "";
    if (j == NULL) {
      free(data);
      return kb_fail(KB_ERR_DB_CORRUPT, rn->reterr_msg,
                     "stored article record is not JSON");
    }
    kb_hit *h = &r->hits[r->nhits];
    h->id = json_str(&r->arena, j, "id");
    h->title = json_str(&r->arena, j, "title");
    h->type = json_str(&r->arena, j, "type");
    h->summary = json_str(&r->arena, j, "summary");
    h->updated = json_str(&r->arena, j, "updated");
    const char *tl = kb_vocab_label(rn->s->vocab, KB_FACET_TYPE, h->type);
    h->type_label = tl ? tl : h->type;
    kbx_mset_weight(mset, i, &h->score, NULL);
    kbx_mset_percent(mset, i, &h->percent, NULL);
    if (snippets && *text) {
      size_t wlen = 0;
      const char *win = snippet_window(text, &nd, &wlen);
      st = kbx_mset_snippet(mset, win, wlen, 240,
                            kb_analyzer_stemmer(rn->s->an), "<mark>", "</mark>",
                            "\xE2\x80\xA6", &snip, rn->reterr_msg);
      if (st != KB_OK) {
        json_decref(j);
        free(data);
        return st;
      }
      h->snippet = kb_arena_strdup(&r->arena, snip);
      free(snip);
    } else {
      h->snippet = "";
    }
    json_decref(j);
    free(data);
    if (!h->id || !h->title || !h->type || !h->summary || !h->updated ||
        !h->snippet)
      return KB_ERR_NOMEM;
    r->nhits++;
  }
  return KB_OK;
}

/* Runs the main query: hits for the page and counts of facets that have
 * no selection.  Returns the number of matches in *ret_total. */
static kb_status main_search(run *rn, const kbx_query *q,
                             const kbx_query *field_filter, bool browse,
                             bool fetch_hits, uint64_t *ret_total) {
  kbx_enquire *enq = NULL;
  kbx_query *fq = NULL;
  kbx_mset *mset = NULL;
  kbx_spy *spies[KB_FACET_COUNT] = {0};
  const kb_search_request *req = rn->req;
  kb_status st = filtered(rn, q, field_filter, KB_FACET_COUNT, &fq);
  if (st == KB_OK)
    st = kbx_enquire_new(rn->s->db, &enq, rn->reterr_msg);
  if (st == KB_OK)
    st = kbx_enquire_set_query(enq, fq, rn->reterr_msg);
  if (st != KB_OK)
    goto out;
  if (browse)
    kbx_enquire_bool_weight(enq);
  if (browse || req->sort == KB_SORT_UPDATED)
    kbx_enquire_sort_value(enq, KB_SLOT_UPDATED, true);
  for (int f = 0; f < KB_FACET_COUNT && fetch_hits; f++) {
    if (req->nfilters[f])
      continue; /* counted separately, without its own filter */
    st = kbx_spy_new(facet_slot[f], facet_multi[f], &spies[f], rn->reterr_msg);
    if (st == KB_OK)
      st = kbx_enquire_add_spy(enq, spies[f], rn->reterr_msg);
    if (st != KB_OK)
      goto out;
  }
  unsigned per_page = rn->r->per_page, page = rn->r->page;
  uint32_t total_docs =
      (uint32_t)(rn->s->doccount > UINT32_MAX ? UINT32_MAX : rn->s->doccount);
  st = kbx_enquire_mset(enq, fetch_hits ? (page - 1) * per_page : 0,
                        fetch_hits ? per_page : 0, total_docs, &mset,
                        rn->reterr_msg);
  if (st != KB_OK)
    goto out;
  *ret_total = kbx_mset_matches_estimated(mset);
  if (fetch_hits) {
    st = hits(rn, mset, !browse);
    for (int f = 0; f < KB_FACET_COUNT && st == KB_OK; f++)
      if (spies[f])
        st = facet_list(rn, (kb_facet)f, spies[f]);
  }
out:
  kbx_mset_free(mset);
  kbx_enquire_free(enq);
  kbx_query_free(fq);
  for (int f = 0; f < KB_FACET_COUNT; f++)
    kbx_spy_free(spies[f]);
  return st;
}

/* Counts for a facet that has a selection: the query with every other
 * facet's filter, but not its own (disjunctive faceting). */
static kb_status facet_counts(run *rn, kb_facet f, const kbx_query *q,
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
  if (st == KB_OK)
    st = kbx_spy_new(facet_slot[f], facet_multi[f], &spy, rn->reterr_msg);
  if (st == KB_OK)
    st = kbx_enquire_add_spy(enq, spy, rn->reterr_msg);
  if (st == KB_OK) {
    kbx_enquire_bool_weight(enq);
    uint32_t all =
        (uint32_t)(rn->s->doccount > UINT32_MAX ? UINT32_MAX : rn->s->doccount);
    st = kbx_enquire_mset(enq, 0, 0, all, &mset, rn->reterr_msg);
  }
  if (st == KB_OK)
    st = facet_list(rn, f, spy);
  kbx_mset_free(mset);
  kbx_enquire_free(enq);
  kbx_query_free(fq);
  kbx_spy_free(spy);
  return st;
}

void kb_search_result_free(kb_search_result *r) {
  if (r == NULL)
    return;
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

  run rn = {.s = s, .req = req, .r = r, .reterr_msg = reterr_msg};
  kb_query_plan plan = {0}, alt = {0};
  kbx_query *all = NULL;
  const kbx_query *q = NULL;
  for (int f = 0; f < KB_FACET_COUNT && st == KB_OK; f++)
    rn.facet_filter[f] = facet_filter(&rn, (kb_facet)f, &st);
  if (st != KB_OK)
    goto out;

  st = kb_query_build(s->an, s->db, s->vocab, s->lex, r->query, false, &plan,
                      reterr_msg);
  if (st != KB_OK)
    goto out;
  r->browsing = plan.query == NULL;
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

  /* The common case first: the query as typed, with hits and facets.
   * Only when it finds nothing are the fallbacks counted, and the page
   * fetched again for the one that finds something. */
  uint64_t total = 0;
  const kbx_query *filter = plan.filter;
  st = main_search(&rn, q, filter, r->browsing, true, &r->total);
  if (st != KB_OK)
    goto out;
  bool refetch = false;
  if (r->total == 0 && plan.positives >= 2 && !plan.explicit_or) {
    /* Nobody wrote about all the words together: fall back to any. */
    st = kb_query_build(s->an, s->db, s->vocab, s->lex, r->query, true, &alt,
                        reterr_msg);
    if (st == KB_OK)
      st = main_search(&rn, alt.query, alt.filter, false, false, &total);
    if (st != KB_OK)
      goto out;
    if (total > 0) {
      r->relaxed = refetch = true;
      q = alt.query;
      filter = alt.filter;
    }
  }
  if (r->total == 0 && !refetch && plan.suggestion && !req->no_correction) {
    kb_query_plan_release(&alt);
    st = kb_query_build(s->an, s->db, s->vocab, s->lex, plan.suggestion, false,
                        &alt, reterr_msg);
    if (st == KB_OK && alt.query)
      st = main_search(&rn, alt.query, alt.filter, false, false, &total);
    if (st != KB_OK)
      goto out;
    if (alt.query && total > 0) {
      r->corrected = refetch = true;
      q = alt.query;
      filter = alt.filter;
    }
  }
  if (refetch) {
    r->nhits = 0;
    st = main_search(&rn, q, filter, false, true, &r->total);
  }
  for (int f = 0; f < KB_FACET_COUNT && st == KB_OK; f++)
    if (req->nfilters[f])
      st = facet_counts(&rn, (kb_facet)f, q, filter);
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
  for (int f = 0; f < KB_FACET_COUNT; f++)
    kbx_query_free(rn.facet_filter[f]);
  if (st != KB_OK) {
    kb_search_result_free(r);
    return st;
  }
  *ret_result = r;
  return KB_OK;
}

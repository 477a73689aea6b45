/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * searcher_records.c - reading through a kb_searcher: one record by id,
 * the records linking to one, the records of a kind, the glossary entry
 * a query names exactly, and similar records by relevance feedback (see
 * kb_search.h).  Opening and following the index is searcher.c's job,
 * running searches search.c's.
 */
#include "kb_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_analysis.h"
#include "kb_index.h"
#include "kb_layout.h"
#include "kb_xapian.h"
#include "search_internal.h"

/* ---- records --------------------------------------------------------- */

void kb_record_list_free(kb_record_list *l) {
  for (size_t i = 0; l && i < l->n; i++)
    kb_record_free(l->v[i]);
  if (l) {
    free(l->v);
    *l = (kb_record_list){0};
  }
}

static kb_status read_record(kb_searcher *s, kbx_docid did, bool body,
                             kb_record **ret, char **reterr_msg) {
  static const kbx_slot slots[] = KB_RECORD_SLOTS;
  char *data = NULL;
  size_t dlen = 0;
  /* Without the body, the part a result list reads is all it needs. */
  kb_status st = kbx_db_values_joined(s->db, did, slots, body ? 2 : 1, &data,
                                      &dlen, reterr_msg);
  if (st == KB_OK)
    st = kb_record_decode(s->vocab->schema, data, dlen, body, ret, reterr_msg);
  free(data);
  return st;
}

kb_status kb_searcher_record(kb_searcher *s, const char *id,
                             kb_record **ret_record, char **reterr_msg) {
  if (!kb_article_id_valid(id))
    return kb_fail(KB_ERR_NOT_FOUND, reterr_msg, "no record '%s'", id);
  char term[128];
  snprintf(term, sizeof term, "%s%s", KB_PREFIX_ID, id);
  kbx_docid did;
  kb_status st = kbx_db_find(s->db, term, &did, NULL);
  if (st == KB_ERR_NOT_FOUND)
    return kb_fail(KB_ERR_NOT_FOUND, reterr_msg, "no record '%s'", id);
  if (st != KB_OK)
    return kb_fail(st, reterr_msg, "cannot look up '%s'", id);
  return read_record(s, did, true, ret_record, reterr_msg);
}

static kb_status list_push(kb_record_list *l, kb_record *r) {
  kb_record **v = realloc(l->v, (l->n + 1) * sizeof *v);
  if (v == NULL) {
    kb_record_free(r);
    return KB_ERR_NOMEM;
  }
  l->v = v;
  l->v[l->n++] = r;
  return KB_OK;
}

/* The headers of an mset's documents, leaving out `exclude` ids. */
static kb_status mset_records(kb_searcher *s, kbx_mset *mset, size_t max,
                              const char *const *exclude, size_t nexclude,
                              kb_record_list *out, char **reterr_msg) {
  kb_status st = KB_OK;
  for (uint32_t i = 0; st == KB_OK && i < kbx_mset_size(mset) && out->n < max;
       i++) {
    char *data = NULL;
    size_t dlen = 0;
    kb_record *r = NULL;
    st = kbx_mset_value(mset, i, KB_SLOT_HIT, &data, &dlen, reterr_msg);
    if (st == KB_OK)
      st =
          kb_record_decode(s->vocab->schema, data, dlen, false, &r, reterr_msg);
    free(data);
    bool skip = false;
    for (size_t k = 0; st == KB_OK && k < nexclude && !skip; k++)
      skip = strcmp(exclude[k], r->id) == 0;
    if (st == KB_OK && skip)
      kb_record_free(r);
    else if (st == KB_OK)
      st = list_push(out, r);
  }
  return st;
}

/* Records matching the boolean term `term`, newest first. */
static kb_status by_term(kb_searcher *s, const char *term, size_t max,
                         kb_record_list *ret_list, char **reterr_msg) {
  kbx_enquire *enq = NULL;
  kbx_query *q = NULL;
  kbx_mset *mset = NULL;
  kb_record_list l = {0};
  kb_status st = kbx_query_term(term, 1, 0, &q, reterr_msg);
  if (st == KB_OK)
    st = kbx_enquire_new(s->db, &enq, reterr_msg);
  if (st == KB_OK)
    st = kbx_enquire_set_query(enq, q, reterr_msg);
  if (st == KB_OK) {
    kbx_enquire_bool_weight(enq);
    kbx_enquire_sort_value(enq, KB_SLOT_UPDATED, true);
    st = kbx_enquire_mset(enq, 0, (uint32_t)max, 0, &mset, reterr_msg);
  }
  if (st == KB_OK)
    st = mset_records(s, mset, max, NULL, 0, &l, reterr_msg);
  kbx_mset_free(mset);
  kbx_enquire_free(enq);
  kbx_query_free(q);
  if (st != KB_OK) {
    kb_record_list_free(&l);
    return st;
  }
  *ret_list = l;
  return KB_OK;
}

kb_status kb_searcher_linking(kb_searcher *s, const char *id, size_t max,
                              kb_record_list *ret_list, char **reterr_msg) {
  char term[128];
  snprintf(term, sizeof term, "%s%s", KB_PREFIX_LINK, id);
  return by_term(s, term, max, ret_list, reterr_msg);
}

/* A record with its title's sort key. */
typedef struct titled {
  char *key;
  kb_record *r;
} titled;

static int cmp_titled(const void *pa, const void *pb) {
  const titled *a = pa, *b = pb;
  int c = strcmp(a->key, b->key);
  return c ? c : strcmp(a->r->id, b->r->id);
}

/* Sorts `l` by title, case-folded (kb_normalize), ties by id. */
static kb_status sort_by_title(kb_searcher *s, kb_record_list *l,
                               char **reterr_msg) {
  titled *t = calloc(l->n ? l->n : 1, sizeof *t);
  if (t == NULL)
    return KB_ERR_NOMEM;
  kb_buf key = KB_BUF_INIT(4096);
  kb_status st = KB_OK;
  for (size_t i = 0; i < l->n && st == KB_OK; i++) {
    t[i].r = l->v[i];
    st = kb_normalize(s->an, l->v[i]->title, strlen(l->v[i]->title), &key,
                      reterr_msg);
    if (st == KB_OK && (t[i].key = strdup(kb_buf_str(&key))) == NULL)
      st = KB_ERR_NOMEM;
  }
  if (st == KB_OK) {
    qsort(t, l->n, sizeof *t, cmp_titled);
    for (size_t i = 0; i < l->n; i++)
      l->v[i] = t[i].r;
  }
  for (size_t i = 0; i < l->n; i++)
    free(t[i].key);
  free(t);
  kb_buf_release(&key);
  return st;
}

kb_status kb_searcher_kind(kb_searcher *s, const char *kind, size_t max,
                           kb_record_list *ret_list, char **reterr_msg) {
  char term[128];
  snprintf(term, sizeof term, "%s%s", KB_PREFIX_KIND, kind);
  /* The first `max` by title: every record of the kind, sorted. */
  kb_record_list l = {0};
  kb_status st = by_term(s, term, s->doccount, &l, reterr_msg);
  if (st == KB_OK)
    st = sort_by_title(s, &l, reterr_msg);
  if (st != KB_OK) {
    kb_record_list_free(&l);
    return st;
  }
  while (l.n > max)
    kb_record_free(l.v[--l.n]);
  *ret_list = l;
  return KB_OK;
}

kb_status kbi_definition(kb_searcher *s, const char *query, kb_search_result *r,
                         char **reterr_msg) {
  kb_buf key = KB_BUF_INIT(1024);
  kb_status st = kb_phrase_key(s->an, query, strlen(query), &key, NULL);
  char term[1100];
  snprintf(term, sizeof term, "%s%s", KB_PREFIX_EXACT, kb_buf_str(&key));
  bool empty = key.len == 0;
  kb_buf_release(&key);
  if (st != KB_OK || empty)
    return KB_OK; /* no key, no definition: not a failure */
  kbx_docid did;
  if (kbx_db_find(s->db, term, &did, NULL) != KB_OK)
    return KB_OK;
  kb_record *rec = NULL;
  st = read_record(s, did, true, &rec, reterr_msg);
  if (st != KB_OK)
    return st;
  kb_record **v = realloc(r->owned, (r->nowned + 1) * sizeof *v);
  if (v == NULL) {
    kb_record_free(rec);
    return KB_ERR_NOMEM;
  }
  r->owned = v;
  r->owned[r->nowned++] = rec;
  r->capowned = r->nowned;
  r->definition = rec;
  return KB_OK;
}

typedef struct expand_ctx {
  kbx_query *terms[40];
  size_t n;
  char **reterr_msg;
} expand_ctx;

static bool take_term(const char *t, size_t len, void *ctx) {
  expand_ctx *e = ctx;
  if (e->n < 40 && kbx_query_term(t, 1, 0, &e->terms[e->n], NULL) == KB_OK)
    e->n++;
  return e->n < 40;
}

kb_status kb_searcher_similar(kb_searcher *s, const char *id, size_t max,
                              const char *const *exclude, size_t nexclude,
                              kb_record_list *ret_list, char **reterr_msg) {
  char term[128];
  snprintf(term, sizeof term, "%s%s", KB_PREFIX_ID, id);
  kbx_docid did;
  kbx_enquire *enq = NULL;
  kbx_query *q = NULL, *fq = NULL;
  kbx_mset *mset = NULL;
  expand_ctx e = {.n = 0, .reterr_msg = reterr_msg};
  kb_record_list list = {0};
  kb_status st = kbx_db_find(s->db, term, &did, reterr_msg);
  if (st == KB_OK)
    st = kbx_enquire_new(s->db, &enq, reterr_msg);
  /* Relevance feedback: the article's most telling stems...  Xapian
   * 1.4 walks a termlist without bounds checks (GlassTermList::next):
   * garbage there reads past its buffer.  It reads the whole entry at
   * once, so checking the files right before leaves no window but the
   * microseconds until that read. */
  if (st == KB_OK &&
      kb_index_stamp_check(s->current, &s->stamp, NULL) == KB_ERR_DB_CORRUPT) {
    s->damaged = true;
    st = kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                 "the index was changed after it was published");
  }
  if (st == KB_OK)
    st = kbx_enquire_expand(enq, &did, 1, 25, KB_PREFIX_STEM, take_term, &e,
                            reterr_msg);
  if (st == KB_OK && e.n == 0)
    st = kbx_query_match_nothing(&q, reterr_msg);
  else if (st == KB_OK)
    st = kbx_query_combine(KBX_OP_OR, e.terms, e.n, 0, &q, reterr_msg);
  /* ...searched for, minus the article itself. */
  kbx_query *self = NULL;
  if (st == KB_OK)
    st = kbx_query_term(term, 1, 0, &self, reterr_msg);
  if (st == KB_OK) {
    kbx_query *both[2] = {q, self};
    st = kbx_query_combine(KBX_OP_AND_NOT, both, 2, 0, &fq, reterr_msg);
  }
  kbx_query_free(self);
  if (st == KB_OK)
    st = kbx_enquire_set_query(enq, fq, reterr_msg);
  if (st == KB_OK)
    st = kbx_enquire_mset(enq, 0, (uint32_t)(max + nexclude), 0, &mset,
                          reterr_msg);
  if (st == KB_OK)
    st = mset_records(s, mset, max, exclude, nexclude, &list, reterr_msg);
  for (size_t i = 0; i < e.n; i++)
    kbx_query_free(e.terms[i]);
  kbx_query_free(q);
  kbx_query_free(fq);
  kbx_mset_free(mset);
  kbx_enquire_free(enq);
  if (st != KB_OK) {
    kb_record_list_free(&list);
    return st;
  }
  *ret_list = list;
  return KB_OK;
}

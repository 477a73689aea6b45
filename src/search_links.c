/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * search_links.c - the links between records, as a table of docids, for
 * weighing results by the records that point to them (search.c): a
 * record that other matching records link to is likely the one that
 * explains what they only touch on - the practice example and the
 * glossary entry link to the article on the topic.
 *
 * The table is built on first use from the index's link terms
 * (KB_PREFIX_LINK, one per target a body links to) and dropped when the
 * index changes; it reads no document.  Depends on the Xapian wrapper
 * only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_layout.h"
#include "search_internal.h"

/* A bound on the table: links beyond it are not counted. */
#define LINKS_MAX (1u << 22)

typedef struct edge {
  uint32_t from, to;
} edge;

typedef struct links_fill {
  kb_searcher *s;
  edge *e;
  size_t n, cap;
  uint32_t to; /* the target of the link term being read */
  bool ok;
} links_fill;

static bool add_source(kbx_docid did, void *ctx) {
  links_fill *lf = ctx;
  if (lf->n >= LINKS_MAX)
    return false;
  if (lf->n == lf->cap) {
    size_t cap = lf->cap ? 2 * lf->cap : 1024;
    edge *v = realloc(lf->e, cap * sizeof *v);
    if (v == NULL)
      return lf->ok = false;
    lf->e = v;
    lf->cap = cap;
  }
  if (did != lf->to)
    lf->e[lf->n++] = (edge){.from = did, .to = lf->to};
  return true;
}

/* One link term "XR<id>": the record <id> and every record linking it. */
static bool add_target(const char *term, size_t len, void *ctx) {
  links_fill *lf = ctx;
  size_t pl = strlen(KB_PREFIX_LINK);
  char idterm[160];
  kbx_docid to = 0;
  if (len <= pl || len - pl + 2 > sizeof idterm)
    return true;
  snprintf(idterm, sizeof idterm, "%s%.*s", KB_PREFIX_ID, (int)(len - pl),
           term + pl);
  if (kbx_db_find(lf->s->db, idterm, &to, NULL) != KB_OK)
    return true; /* a link to a record not in the index */
  lf->to = to;
  return kbx_db_postlist(lf->s->db, term, add_source, lf, NULL) == KB_OK &&
         lf->ok && lf->n < LINKS_MAX;
}

/* Builds s->link_start / s->link_to (by source docid, CSR); false when
 * out of memory (then no link counts). */
static bool build(kb_searcher *s) {
  links_fill lf = {.s = s, .ok = true};
  char prefix[8];
  snprintf(prefix, sizeof prefix, "%s", KB_PREFIX_LINK);
  kbx_db_allterms(s->db, prefix, 0, add_target, &lf, NULL);
  uint32_t maxdid = 0;
  for (size_t i = 0; i < lf.n; i++)
    if (lf.e[i].from > maxdid)
      maxdid = lf.e[i].from;
  s->link_start = calloc((size_t)maxdid + 2, sizeof *s->link_start);
  s->link_to = malloc((lf.n ? lf.n : 1) * sizeof *s->link_to);
  if (!lf.ok || s->link_start == NULL || s->link_to == NULL) {
    free(lf.e);
    kbi_links_release(s);
    return false;
  }
  s->nlink_docs = (size_t)maxdid + 1;
  for (size_t i = 0; i < lf.n; i++)
    s->link_start[lf.e[i].from + 1]++;
  for (size_t d = 1; d <= s->nlink_docs; d++)
    s->link_start[d] += s->link_start[d - 1];
  uint32_t *fill = calloc(s->nlink_docs, sizeof *fill);
  if (fill == NULL) {
    free(lf.e);
    kbi_links_release(s);
    return false;
  }
  for (size_t i = 0; i < lf.n; i++) {
    uint32_t f = lf.e[i].from;
    s->link_to[s->link_start[f] + fill[f]++] = lf.e[i].to;
  }
  free(fill);
  free(lf.e);
  s->links_built = true;
  return true;
}

size_t kbi_links(kb_searcher *s, uint32_t did, const uint32_t **ret_to) {
  if (!s->links_built && !build(s))
    return 0;
  if (did >= s->nlink_docs)
    return 0;
  *ret_to = s->link_to + s->link_start[did];
  return s->link_start[did + 1] - s->link_start[did];
}

void kbi_links_release(kb_searcher *s) {
  free(s->link_start);
  free(s->link_to);
  s->link_start = NULL;
  s->link_to = NULL;
  s->nlink_docs = 0;
  s->links_built = false;
}

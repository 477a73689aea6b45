/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.c - JSON encodings of results and articles (see kb_json.h).
 */
#include "kb_json.h"

#include <jansson.h>
#include <stdlib.h>

#include "record_internal.h"

#include <string.h>

static json_t *facet_json(const kb_facet_list *fl) {
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < fl->n; i++) {
    const kb_facet_value *v = &fl->values[i];
    json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:b}", "value",
                                         v->value, "label", v->label, "count",
                                         (json_int_t)v->count, "selected",
                                         v->selected));
  }
  return arr;
}

char *kb_json_search_result(const kb_search_result *r, const kb_vocab *v) {
  json_t *results = json_array();
  for (size_t i = 0; results && i < r->nhits; i++) {
    const kb_hit *h = &r->hits[i];
    json_t *o = kbi_record_json(h->rec, v, false);
    if (o == NULL)
      continue;
    json_object_set_new(o, "label", json_string(h->label));
    json_object_set_new(o, "snippet", json_string(h->snippet));
    json_object_set_new(
        o, "score",
        json_real((double)((long long)(h->score * 1000 + 0.5)) / 1000.0));
    json_array_append_new(results, o);
  }
  json_t *facets = json_object();
  const kb_schema *sc = v ? v->schema : NULL;
  for (size_t f = 0; facets && sc && f < r->nfacets && f < sc->nfacets; f++)
    json_object_set_new(facets, sc->facets[f].name, facet_json(&r->facets[f]));
  json_t *def = r->definition ? kbi_record_json(r->definition, v, true) : NULL;
  json_t *o = json_pack("{s:s, s:I, s:i, s:i, s:s, s:o, s:o, s:s?, s:b, s:b, "
                        "s:s?, s:o?}",
                        "query", r->query, "total", (json_int_t)r->total,
                        "page", (int)r->page, "per_page", (int)r->per_page,
                        "sort", kb_sort_name(sc, r->sort), "results", results,
                        "facets", facets, "suggestion", r->suggestion,
                        "corrected", r->corrected, "relaxed", r->relaxed,
                        "citations", r->citation_note, "definition", def);
  char *out = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  return out;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.c - JSON encodings of results and articles (see kb_json.h).
 */
#include "kb_json.h"

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

json_t *kb_json_search_result(const kb_search_result *r) {
  json_t *results = json_array();
  for (size_t i = 0; results && i < r->nhits; i++) {
    const kb_hit *h = &r->hits[i];
    char url[128];
    snprintf(url, sizeof url, "/artikel/%s", h->id);
    json_array_append_new(
        results,
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:f}", "id", h->id,
                  "title", h->title, "type", h->type, "type_label",
                  h->type_label, "summary", h->summary, "updated", h->updated,
                  "url", url, "snippet", h->snippet, "score",
                  (double)((long long)(h->score * 1000 + 0.5)) / 1000.0));
  }
  json_t *facets = json_object();
  for (int f = 0; facets && f < KB_FACET_COUNT; f++)
    json_object_set_new(facets, kb_facet_name((kb_facet)f),
                        facet_json(&r->facets[f]));
  return json_pack("{s:s, s:I, s:i, s:i, s:s, s:o, s:o, s:s?, s:b, s:b, "
                   "s:s?}",
                   "query", r->query, "total", (json_int_t)r->total, "page",
                   (int)r->page, "per_page", (int)r->per_page, "sort",
                   r->sort == KB_SORT_UPDATED ? "updated" : "relevance",
                   "results", results, "facets", facets, "suggestion",
                   r->suggestion, "corrected", r->corrected, "relaxed",
                   r->relaxed, "citations", r->citation_note);
}

static json_t *labelled(const json_t *keys, const kb_vocab *vocab, kb_facet f) {
  json_t *arr = json_array();
  size_t i;
  json_t *k;
  json_array_foreach(keys, i, k) {
    const char *key = json_string_value(k);
    if (key == NULL)
      continue;
    const char *label = kb_vocab_label(vocab, f, key);
    json_array_append_new(arr, json_pack("{s:s, s:s}", "value", key, "label",
                                         label ? label : key));
  }
  return arr;
}

json_t *kb_json_article(const json_t *rec, const kb_vocab *vocab) {
  const char *id = json_string_value(json_object_get(rec, "id"));
  const char *type = json_string_value(json_object_get(rec, "type"));
  const char *tl = type ? kb_vocab_label(vocab, KB_FACET_TYPE, type) : NULL;
  char url[128];
  snprintf(url, sizeof url, "/artikel/%s", id ? id : "");
  return json_pack(
      "{s:O, s:O, s:O, s:s, s:O, s:O, s:s, s:o, s:o, s:O, s:O, s:O, s:O, "
      "s:O, s:O}",
      "id", json_object_get(rec, "id"), "title", json_object_get(rec, "title"),
      "type", json_object_get(rec, "type"), "type_label", tl ? tl : "",
      "summary", json_object_get(rec, "summary"), "updated",
      json_object_get(rec, "updated"), "url", url, "audience",
      labelled(json_object_get(rec, "audience"), vocab, KB_FACET_AUDIENCE),
      "disabilities",
      labelled(json_object_get(rec, "disabilities"), vocab,
               KB_FACET_DISABILITY),
      "topics", json_object_get(rec, "topics"), "norms",
      json_object_get(rec, "norms"), "laws", json_object_get(rec, "laws"),
      "sources", json_object_get(rec, "sources"), "related",
      json_object_get(rec, "related"), "body_html",
      json_object_get(rec, "body_html"));
}

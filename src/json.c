/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.c - JSON encodings of results and articles (see kb_json.h),
 * written straight into a buffer (json_write.h).
 */
#include "kb_json.h"

#include "json_write.h"
#include "record_internal.h"

static void facet_json(kb_buf *b, const kb_facet_list *fl) {
  kb_buf_addc(b, '[');
  for (size_t i = 0; i < fl->n; i++) {
    const kb_facet_value *v = &fl->values[i];
    kb_buf_adds(b, i ? ",{\"value\":" : "{\"value\":");
    kbi_json_str(b, v->value);
    kb_buf_adds(b, ",\"label\":");
    kbi_json_str(b, v->label);
    kb_buf_adds(b, ",\"count\":");
    kbi_json_uint(b, v->count);
    kb_buf_adds(b, ",\"selected\":");
    kbi_json_bool(b, v->selected);
    kb_buf_addc(b, '}');
  }
  kb_buf_addc(b, ']');
}

static void hit_json(kb_buf *b, const kb_hit *h, const kb_vocab *v) {
  kb_buf_addc(b, '{');
  kbi_record_json_members(b, h->rec, v, false);
  kb_buf_adds(b, ",\"label\":");
  kbi_json_str(b, h->label);
  kb_buf_adds(b, ",\"snippet\":");
  kbi_json_str(b, h->snippet);
  kb_buf_adds(b, ",\"score\":"); /* rounded to 3 decimals */
  kbi_json_real(b, (double)((long long)(h->score * 1000 + 0.5)) / 1000.0);
  kb_buf_addc(b, '}');
}

kb_status kb_json_search_write(const kb_search_result *r, const kb_vocab *v,
                               kb_buf *b) {
  const kb_schema *sc = v ? v->schema : NULL;
  kb_buf_adds(b, "{\"query\":");
  kbi_json_str(b, r->query);
  kb_buf_adds(b, ",\"total\":");
  kbi_json_uint(b, r->total);
  kb_buf_adds(b, ",\"page\":");
  kbi_json_uint(b, r->page);
  kb_buf_adds(b, ",\"per_page\":");
  kbi_json_uint(b, r->per_page);
  kb_buf_adds(b, ",\"sort\":");
  kbi_json_str(b, kb_sort_name(sc, r->sort));
  kb_buf_adds(b, ",\"results\":[");
  for (size_t i = 0; i < r->nhits; i++) {
    if (i)
      kb_buf_addc(b, ',');
    hit_json(b, &r->hits[i], v);
  }
  kb_buf_adds(b, "],\"facets\":{");
  for (size_t f = 0; sc && f < r->nfacets && f < sc->nfacets; f++) {
    if (f)
      kb_buf_addc(b, ',');
    kbi_json_key(b, sc->facets[f].name);
    facet_json(b, &r->facets[f]);
  }
  kb_buf_adds(b, "},\"suggestion\":");
  kbi_json_str(b, r->suggestion);
  kb_buf_adds(b, ",\"corrected\":");
  kbi_json_bool(b, r->corrected);
  kb_buf_adds(b, ",\"with_suggestion\":");
  kbi_json_bool(b, r->with_suggestion);
  kb_buf_adds(b, ",\"relaxed\":");
  kbi_json_bool(b, r->relaxed);
  kb_buf_adds(b, ",\"short_wildcard\":");
  kbi_json_bool(b, r->short_wildcard);
  kb_buf_adds(b, ",\"citations\":");
  kbi_json_str(b, r->citation_note);
  kb_buf_adds(b, ",\"definition\":");
  if (r->definition) {
    kb_buf_addc(b, '{');
    kbi_record_json_members(b, r->definition, v, true);
    kb_buf_addc(b, '}');
  } else {
    kb_buf_adds(b, "null");
  }
  kb_buf_addc(b, '}');
  return kb_buf_status(b);
}

char *kb_json_search_result(const kb_search_result *r, const kb_vocab *v) {
  kb_buf b = KB_BUF_INIT(64u << 20);
  kb_json_search_write(r, v, &b);
  return kb_buf_detach(&b, NULL);
}

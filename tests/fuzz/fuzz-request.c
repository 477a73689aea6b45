/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-request.c - the search parameters of a request, as /suche, the
 * feed, /api/search and the record page's breadcrumbs read them.
 *
 * The input is a query string ("q=BEM&audience=sbv&page=2"; it ends at
 * the first NUL byte, as a URL does).  It is parsed the way a page reads
 * it and the way the API does (request_search_string, web/request.c,
 * with the facets of tests/fixtures/corpus/schema.yaml), then as the
 * Referer "http://example.org/suche?<input>" (request_search_from_referer).
 * libmicrohttpd is not involved: it only splits a request's own URL
 * before handing the same pairs to the same collector.
 *
 * Checked promises (request.h, kb_search.h):
 * - a parsed request keeps its bounds: page and per_page 0 (the default)
 *   or within [1, KB_PAGE_MAX] and [1, KB_PER_PAGE_MAX]; at most
 *   KB_FILTER_MAX_VALUES values per facet, none empty, none twice; a sort
 *   the schema knows; the query and every filter value point into the
 *   parsed string;
 * - a failure says why (a message), and the API's strict reading
 *   accepts a subset of what pages accept, reading it alike;
 * - the Referer reading equals the page reading of the same string;
 * - the link a page builds for a request (html_search_url, the one URL
 *   writer of web/html.c) reads back as the same request.
 *
 * Depends on web/request.c, web/html.c, kb_vocab and libmicrohttpd's
 * MHD_http_unescape.
 */
#include <string.h>

#include "../../web/html.h"
#include "../../web/request.h"
#include "fuzz.h"
#include "kb_diag.h"
#include "kb_vocab.h"

/* Longer query strings never reach the parser: routes.c answers 414
 * past WEB_MAX_URL. */
enum { QS_MAX = WEB_MAX_URL };

static kb_vocab *vocab;

/* The fixture schema, loaded on the first input; lives until exit. */
static const kb_schema *fixture_schema(void) {
  if (vocab)
    return vocab->schema;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/tests/fixtures/corpus", fuzz_source_root());
  kb_diags d;
  kb_diags_init(&d);
  if (kb_vocab_load(dir, &vocab, &d) != KB_OK || vocab->schema == NULL) {
    fprintf(stderr, "fuzz-request: cannot load the vocabulary in '%s'\n", dir);
    abort();
  }
  kb_diags_release(&d);
  return vocab->schema;
}

static bool inside(const char *p, const char *buf, size_t n) {
  return p >= buf && p <= buf + n;
}

/* The bounds request.h promises of a parsed request whose text lives in
 * buf[0..n]. */
static void check_request(const kb_search_request *r, const char *buf,
                          size_t n) {
  const kb_schema *sc = r->schema;
  FUZZ_CHECK(r->page <= KB_PAGE_MAX);
  FUZZ_CHECK(r->per_page <= KB_PER_PAGE_MAX);
  FUZZ_CHECK(r->sort < KB_SORT_DECLARED + sc->nsorts);
  FUZZ_CHECK(r->query == NULL || *r->query == '\0' || inside(r->query, buf, n));
  for (size_t f = 0; f < KB_SCHEMA_MAX_FACETS; f++) {
    FUZZ_CHECK(r->nfilters[f] <= KB_FILTER_MAX_VALUES);
    FUZZ_CHECK(f < sc->nfacets || r->nfilters[f] == 0);
    for (size_t i = 0; i < r->nfilters[f]; i++) {
      const char *v = r->filters[f][i];
      FUZZ_CHECK(inside(v, buf, n) && *v != '\0');
      for (size_t k = 0; k < i; k++)
        FUZZ_CHECK(strcmp(r->filters[f][k], v) != 0);
    }
  }
}

static const char *text_or_empty(const char *s) { return s ? s : ""; }

/* Equal as a search: absent and empty query alike, page and per_page
 * with their defaults filled in. */
static void check_same(const kb_search_request *a, const kb_search_request *b) {
  FUZZ_CHECK(strcmp(text_or_empty(a->query), text_or_empty(b->query)) == 0);
  FUZZ_CHECK((a->page ? a->page : 1) == (b->page ? b->page : 1));
  FUZZ_CHECK((a->per_page ? a->per_page : KB_PER_PAGE_DEFAULT) ==
             (b->per_page ? b->per_page : KB_PER_PAGE_DEFAULT));
  FUZZ_CHECK(a->sort == b->sort);
  FUZZ_CHECK(a->no_correction == b->no_correction);
  for (size_t f = 0; f < KB_SCHEMA_MAX_FACETS; f++) {
    FUZZ_CHECK(a->nfilters[f] == b->nfilters[f]);
    for (size_t i = 0; i < a->nfilters[f]; i++)
      FUZZ_CHECK(strcmp(a->filters[f][i], b->filters[f][i]) == 0);
  }
}

/* The link of request `r` read back as a page reads it. */
static void check_round_trip(const kb_search_request *r) {
  kb_buf url = KB_BUF_INIT(64 * 1024);
  html_search_url(&url, r, KB_SCHEMA_NONE, NULL, r->page, r->sort);
  FUZZ_CHECK(kb_buf_status(&url) == KB_OK);
  const char *u = kb_buf_str(&url);
  FUZZ_CHECK(strncmp(u, "/suche", 6) == 0);
  FUZZ_CHECK(u[6] == '\0' || u[6] == '?');
  char *qs = strdup(u[6] ? u + 7 : "");
  FUZZ_CHECK(qs != NULL);
  kb_search_request back;
  const char *msg = NULL;
  bool ok = request_search_string(qs, r->schema, true, &back, &msg);
  if (!ok)
    fprintf(stderr, "fuzz-request: '%s' reads back as: %s\n", u, msg);
  FUZZ_CHECK(ok);
  check_same(r, &back);
  free(qs);
  kb_buf_release(&url);
}

/* The same string as the Referer of a page of our own. */
static void check_referer(const char *qs, const kb_search_request *page,
                          bool page_ok) {
  kb_buf ref = KB_BUF_INIT(QS_MAX + 64), store = KB_BUF_INIT(QS_MAX + 64);
  kb_buf_adds(&ref, "http://example.org/suche?");
  kb_buf_adds(&ref, qs);
  kb_search_request r;
  bool ok = request_search_from_referer(kb_buf_str(&ref), "example.org",
                                        page->schema, &store, &r);
  /* A fragment ends the query; a long Referer is not read at all. */
  if (strchr(qs, '#') == NULL && ref.len <= WEB_MAX_URL) {
    FUZZ_CHECK(ok == page_ok);
    if (ok)
      check_same(page, &r);
  }
  if (ok)
    check_request(&r, store.data ? store.data : "", store.len);
  /* Another host's page is never read. */
  FUZZ_CHECK(!request_search_from_referer(kb_buf_str(&ref), "example.net",
                                          page->schema, &store, &r));
  kb_buf_release(&ref);
  kb_buf_release(&store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const kb_schema *sc = fixture_schema();
  size_t n = strnlen((const char *)data, size);
  if (n > QS_MAX)
    return 0;
  char *page_qs = strndup((const char *)data, n);
  char *api_qs = strndup((const char *)data, n);
  FUZZ_CHECK(page_qs && api_qs);

  kb_search_request page, api;
  const char *page_msg = NULL, *api_msg = NULL;
  bool page_ok = request_search_string(page_qs, sc, false, &page, &page_msg);
  bool api_ok = request_search_string(api_qs, sc, true, &api, &api_msg);
  FUZZ_CHECK(page_ok || (page_msg && *page_msg));
  FUZZ_CHECK(api_ok || (api_msg && *api_msg));
  FUZZ_CHECK(!api_ok || page_ok);
  if (page_ok) {
    check_request(&page, page_qs, n);
    check_round_trip(&page);
  }
  if (api_ok) {
    check_request(&api, api_qs, n);
    check_same(&api, &page);
  }
  char *raw = strndup((const char *)data, n);
  FUZZ_CHECK(raw != NULL);
  check_referer(raw, &page, page_ok);
  free(raw);
  free(page_qs);
  free(api_qs);
  return 0;
}

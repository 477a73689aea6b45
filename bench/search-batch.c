/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * search-batch.c - teilhabe-bench-search: the in-process latency of the
 * search, query by query, for the benchmark harness (bench/run.sh,
 * docs/benchmarks.md).
 *
 *   teilhabe-bench-search DB QUERIES.tsv
 *
 * Each line of QUERIES.tsv is a query, then zero or more tab-separated
 * FACET=VALUE filters (a facet of the index's schema: type=bem,
 * norm=SGB IX).  Every query goes through kb_search with the API's
 * defaults (page 1, ten hits with snippets, facet counts, spelling) and
 * its result is written as the API's JSON (kb_json_search_result), as
 * /api/search does, on one searcher in one thread.  Prints one line per
 * query, "<microseconds>\t<total>\t<hits>", in input order; a query the
 * search refuses (a bound) prints "-1\t0\t0".  Exit 2 on a usage error
 * or an unknown facet, 3 when the index cannot be opened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kb_json.h"
#include "kb_search.h"

enum { LINE_MAX_BYTES = 4096 };

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Splits `line` (modified in place) into the request; false with a
 * message on stderr when a filter is malformed or its facet unknown. */
static bool parse_line(char *line, const kb_schema *sc, kb_search_request *req,
                       unsigned long lineno) {
  memset(req, 0, sizeof *req);
  req->schema = sc;
  char *tab = strchr(line, '\t');
  if (tab)
    *tab = '\0';
  req->query = line;
  while (tab) {
    char *f = tab + 1;
    tab = strchr(f, '\t');
    if (tab)
      *tab = '\0';
    char *eq = strchr(f, '=');
    if (eq == NULL) {
      fprintf(stderr, "line %lu: filter '%s' is not FACET=VALUE\n", lineno, f);
      return false;
    }
    *eq = '\0';
    size_t k = kb_schema_facet(sc, f);
    if (k == KB_SCHEMA_NONE || req->nfilters[k] >= KB_FILTER_MAX_VALUES) {
      fprintf(stderr, "line %lu: unknown facet '%s' (or too many values)\n",
              lineno, f);
      return false;
    }
    req->filters[k][req->nfilters[k]++] = eq + 1;
  }
  return true;
}

/* One query: search and JSON, as the API does; the time in µs, or -1
 * when the request is refused.  False when the search fails. */
static bool run_one(kb_searcher *s, const kb_search_request *req,
                    double *ret_us, kb_search_result **ret_r) {
  char *err = NULL;
  kb_search_result *r = NULL;
  double t0 = now_us();
  kb_status st = kb_search_validate(s, req, &err);
  if (st == KB_OK)
    st = kb_search(s, req, &r, &err);
  char *json =
      st == KB_OK ? kb_json_search_result(r, kb_searcher_vocab(s)) : NULL;
  double t1 = now_us();
  bool ok =
      st == KB_OK ? json != NULL : st == KB_ERR_INVALID || st == KB_ERR_LIMIT;
  if (!ok)
    fprintf(stderr, "search '%s' failed: %s\n", req->query,
            err ? err : kb_status_str(st));
  *ret_us = st == KB_OK ? t1 - t0 : -1;
  *ret_r = r;
  free(json);
  free(err);
  return ok;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: teilhabe-bench-search DB QUERIES.tsv\n");
    return 2;
  }
  FILE *in = fopen(argv[2], "r");
  if (in == NULL) {
    perror(argv[2]);
    return 2;
  }
  char *err = NULL;
  kb_searcher *s = NULL;
  kb_status st = kb_searcher_open(argv[1], &s, &err);
  if (st != KB_OK) {
    fprintf(stderr, "teilhabe-bench-search: %s\n",
            err ? err : kb_status_str(st));
    free(err);
    fclose(in);
    return 3;
  }
  int rc = 0;
  static char line[LINE_MAX_BYTES];
  unsigned long lineno = 0;
  while (rc == 0 && fgets(line, sizeof line, in)) {
    lineno++;
    line[strcspn(line, "\r\n")] = '\0';
    kb_search_request req;
    if (!parse_line(line, kb_searcher_vocab(s)->schema, &req, lineno)) {
      rc = 2;
      break;
    }
    double us = 0;
    kb_search_result *r = NULL;
    if (!run_one(s, &req, &us, &r))
      rc = 3;
    else
      printf("%.1f\t%llu\t%zu\n", us, r ? (unsigned long long)r->total : 0ULL,
             r ? r->nhits : 0);
    kb_search_result_free(r);
  }
  kb_searcher_close(s);
  fclose(in);
  return rc;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * request.c - reading search parameters from a request (see web.h).
 */
#include <string.h>

#include "web.h"

typedef struct args {
  kb_search_request *req;
  bool strict;
  const char *err;
  size_t count;
  const char *page, *per_page, *sort;
} args;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value) {
  args *a = cls;
  if (++a->count > WEB_MAX_ARGS) {
    a->err = "too many parameters";
    return MHD_NO;
  }
  if (value == NULL)
    value = "";
  kb_facet f = kb_facet_from_name(key);
  if (strcmp(key, "q") == 0) {
    a->req->query = value;
  } else if (f != KB_FACET_COUNT) {
    if (*value == '\0')
      return MHD_YES; /* an empty filter is no filter */
    if (a->req->nfilters[f] >= KB_FILTER_MAX_VALUES) {
      a->err = "too many filter values";
      return MHD_NO;
    }
    /* A repeated value counts once. */
    for (size_t i = 0; i < a->req->nfilters[f]; i++)
      if (strcmp(a->req->filters[f][i], value) == 0)
        return MHD_YES;
    a->req->filters[f][a->req->nfilters[f]++] = value;
  } else if (strcmp(key, "page") == 0) {
    a->page = value;
  } else if (strcmp(key, "per_page") == 0) {
    a->per_page = value;
  } else if (strcmp(key, "sort") == 0) {
    a->sort = value;
  } else if (strcmp(key, "exakt") == 0) {
    a->req->no_correction = true;
  } else if (a->strict) {
    a->err = "unknown parameter";
    return MHD_NO;
  }
  return MHD_YES;
}

static bool number(const char *s, unsigned max, unsigned *ret) {
  if (s == NULL || *s == '\0')
    return true; /* absent: keep the default */
  unsigned v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9' || v > max)
      return false;
    v = v * 10 + (unsigned)(*p - '0');
  }
  if (v < 1 || v > max)
    return false;
  *ret = v;
  return true;
}

bool web_parse_search(struct MHD_Connection *conn, worker *w, bool strict,
                      kb_search_request *req, const char **err_msg) {
  (void)w;
  args a = {.req = req, .strict = strict};
  memset(req, 0, sizeof *req);
  MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect, &a);
  if (a.err) {
    *err_msg = a.err;
    return false;
  }
  if (!number(a.page, KB_PAGE_MAX, &req->page)) {
    *err_msg = "page must be a number from 1 to 1000";
    return false;
  }
  if (!number(a.per_page, KB_PER_PAGE_MAX, &req->per_page)) {
    *err_msg = "per_page must be a number from 1 to 50";
    return false;
  }
  if (a.sort == NULL || *a.sort == '\0' || strcmp(a.sort, "relevance") == 0) {
    req->sort = KB_SORT_RELEVANCE;
  } else if (strcmp(a.sort, "updated") == 0) {
    req->sort = KB_SORT_UPDATED;
  } else {
    *err_msg = "sort must be 'relevance' or 'updated'";
    return false;
  }
  return true;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * request.c - reading a request (see request.h).
 *
 * One collector, add_arg(), takes every key=value pair, whether
 * libmicrohttpd split and decoded it (the request's own URL) or
 * split_query() did (a Referer's query string, decoded with the same
 * MHD_http_unescape), so the results page and the breadcrumbs that lead
 * back to it cannot read a search differently.
 */
#include "request.h"

#include <string.h>

#define HOST_MAX 255

typedef struct args {
  kb_search_request *req;
  bool strict;
  const char *err;
  size_t count;
  const char *page, *per_page, *sort;
} args;

/* Adds a filter value; a repeated value counts once, an empty one is no
 * filter. */
static bool add_filter(args *a, size_t f, const char *value) {
  kb_search_request *req = a->req;
  if (*value == '\0')
    return true;
  for (size_t i = 0; i < req->nfilters[f]; i++)
    if (strcmp(req->filters[f][i], value) == 0)
      return true;
  if (req->nfilters[f] >= KB_FILTER_MAX_VALUES) {
    a->err = "too many filter values";
    return false;
  }
  req->filters[f][req->nfilters[f]++] = value;
  return true;
}

/* Takes one parameter (`value` NULL for a bare key); false with a->err
 * set stops the collection. */
static bool add_arg(args *a, const char *key, const char *value) {
  if (++a->count > WEB_MAX_ARGS) {
    a->err = "too many parameters";
    return false;
  }
  if (value == NULL)
    value = "";
  size_t f =
      a->req->schema ? kb_schema_facet(a->req->schema, key) : KB_SCHEMA_NONE;
  if (strcmp(key, "q") == 0) {
    a->req->query = value;
  } else if (f != KB_SCHEMA_NONE) {
    return add_filter(a, f, value);
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
    return false;
  }
  return true;
}

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value) {
  (void)kind;
  return add_arg(cls, key, value) ? MHD_YES : MHD_NO;
}

/* A decimal number in [1, max]; absent or empty keeps the default. */
static bool number(const char *s, unsigned max, unsigned *ret) {
  if (s == NULL || *s == '\0')
    return true;
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

/* Checks and converts what the collector left as text. */
static bool finish(const args *a, const char **err_msg) {
  kb_search_request *req = a->req;
  if (a->err) {
    *err_msg = a->err;
    return false;
  }
  if (!number(a->page, KB_PAGE_MAX, &req->page)) {
    *err_msg = "page must be a number from 1 to 1000";
    return false;
  }
  if (!number(a->per_page, KB_PER_PAGE_MAX, &req->per_page)) {
    *err_msg = "per_page must be a number from 1 to 50";
    return false;
  }
  if (a->sort == NULL || *a->sort == '\0' ||
      strcmp(a->sort, "relevance") == 0) {
    req->sort = KB_SORT_RELEVANCE;
  } else if (strcmp(a->sort, "updated") == 0) {
    req->sort = KB_SORT_UPDATED;
  } else {
    const kb_ssort *so =
        req->schema ? kb_schema_sort(req->schema, a->sort) : NULL;
    if (so == NULL) {
      *err_msg = "sort must be 'relevance', 'updated' or a sort of the "
                 "schema ('datum')";
      return false;
    }
    req->sort =
        so->field == KB_SF_UPDATED
            ? KB_SORT_UPDATED
            : (kb_sort)(KB_SORT_DECLARED + (size_t)(so - req->schema->sorts));
  }
  return true;
}

bool request_search(struct MHD_Connection *conn, const kb_schema *sc,
                    bool strict, kb_search_request *req, const char **err_msg) {
  args a = {.req = req, .strict = strict};
  memset(req, 0, sizeof *req);
  req->schema = sc;
  MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect, &a);
  return finish(&a, err_msg);
}

/* Decodes one query component in place as libmicrohttpd decodes the
 * request's own: "+" is a space, then %-escapes (MHD_http_unescape; a
 * malformed one stays as it is). */
static void unescape(char *s) {
  for (char *p = strchr(s, '+'); p; p = strchr(p + 1, '+'))
    *p = ' ';
  MHD_http_unescape(s);
}

/* Splits the query string `qs` (modified in place) into pairs for the
 * collector; false as soon as the collector refuses one. */
static bool split_query(char *qs, args *a) {
  char *p = qs;
  while (*p) {
    char *amp = strchr(p, '&');
    char *next = amp ? amp + 1 : p + strlen(p);
    if (amp)
      *amp = '\0';
    char *eq = strchr(p, '=');
    if (eq)
      *eq = '\0';
    if (*p) {
      unescape(p);
      if (eq)
        unescape(eq + 1);
      if (!add_arg(a, p, eq ? eq + 1 : NULL))
        return false;
    }
    p = next;
  }
  return true;
}

/* The path and query of `ref` when it is a URL of `host`; NULL if not. */
static const char *same_origin_path(const char *ref, const char *host) {
  if (strncmp(ref, "http://", 7) == 0)
    ref += 7;
  else if (strncmp(ref, "https://", 8) == 0)
    ref += 8;
  else
    return NULL;
  size_t hl = strlen(host);
  if (strncmp(ref, host, hl) != 0)
    return NULL;
  return ref + hl;
}

bool request_search_string(char *qs, const kb_schema *sc, bool strict,
                           kb_search_request *req, const char **err_msg) {
  args a = {.req = req, .strict = strict};
  memset(req, 0, sizeof *req);
  req->schema = sc;
  split_query(qs, &a); /* a refused pair leaves its reason in a.err */
  return finish(&a, err_msg);
}

bool request_search_from_referer(const char *ref, const char *host,
                                 const kb_schema *sc, kb_buf *store,
                                 kb_search_request *req) {
  if (ref == NULL || host == NULL || strlen(ref) > WEB_MAX_URL)
    return false;
  const char *path = same_origin_path(ref, host);
  if (path == NULL || strncmp(path, "/suche", 6) != 0 ||
      (path[6] != '\0' && path[6] != '?'))
    return false;
  memset(req, 0, sizeof *req);
  req->schema = sc;
  if (path[6] == '\0' || path[7] == '\0')
    return true; /* "/suche": browsing every article */
  kb_buf_reset(store);
  if (kb_buf_adds(store, path + 7) != KB_OK || store->data == NULL)
    return false;
  char *qs = store->data;
  char *hash = strchr(qs, '#');
  if (hash)
    *hash = '\0';
  const char *msg = NULL;
  return request_search_string(qs, sc, false, req, &msg);
}

bool request_referring_search(struct MHD_Connection *conn, const kb_schema *sc,
                              kb_buf *store, kb_search_request *req) {
  return request_search_from_referer(
      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Referer"),
      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host"), sc, store,
      req);
}

typedef struct suggest_args {
  const char *q;
  const char *format;
  const char *err;
} suggest_args;

static enum MHD_Result collect_suggest(void *cls, enum MHD_ValueKind kind,
                                       const char *key, const char *value) {
  suggest_args *a = cls;
  (void)kind;
  if (strcmp(key, "q") == 0) {
    a->q = value ? value : "";
  } else if (strcmp(key, "format") == 0) {
    a->format = value ? value : "";
  } else {
    a->err = "unknown parameter (use q and format)";
    return MHD_NO;
  }
  return MHD_YES;
}

bool request_suggest(struct MHD_Connection *conn, const char **ret_q,
                     bool *ret_opensearch, const char **err_msg) {
  suggest_args a = {.q = ""};
  MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_suggest, &a);
  bool opensearch = a.format && strcmp(a.format, "opensearch") == 0;
  if (a.err == NULL && a.format && !opensearch && strcmp(a.format, "json"))
    a.err = "format must be 'json' or 'opensearch'";
  if (a.err) {
    *err_msg = a.err;
    return false;
  }
  *ret_q = a.q;
  *ret_opensearch = opensearch;
  return true;
}

bool request_set_base_url(server_config *cfg, const char *url) {
  size_t n = strlen(url);
  while (n > 0 && url[n - 1] == '/')
    n--;
  bool http = strncmp(url, "http://", 7) == 0 && n > 7;
  bool https = strncmp(url, "https://", 8) == 0 && n > 8;
  if (!(http || https) || n > WEB_BASE_URL_MAX)
    return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)url[i];
    if (c <= ' ' || c >= 0x7F || c == '"' || c == '<' || c == '>' ||
        c == '\'' || c == '\\')
      return false;
  }
  memcpy(cfg->base_url, url, n);
  cfg->base_url[n] = '\0';
  return true;
}

static bool host_ok(const char *h) {
  size_t n = strlen(h);
  if (n == 0 || n > HOST_MAX)
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = h[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' ||
          c == '[' || c == ']'))
      return false;
  }
  return true;
}

bool request_base_from_headers(const server_config *cfg) {
  return cfg->base_url[0] == '\0';
}

void request_base_url(struct MHD_Connection *conn, const server_config *cfg,
                      kb_buf *b) {
  if (cfg->base_url[0]) {
    kb_buf_adds(b, cfg->base_url);
    return;
  }
  const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
  const char *proto =
      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
  kb_buf_adds(b, proto && strcmp(proto, "https") == 0 ? "https://" : "http://");
  kb_buf_adds(b, host && host_ok(host) ? host : "localhost");
}

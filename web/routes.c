/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * routes.c - the route table: every URL of the site and the API, with
 * its method and handler, in one place.
 *
 * A route is an exact path or a prefix (the rest of the URL, e.g. an
 * article id, goes to the handler).  "GET" routes answer HEAD too, with
 * the same headers and no body.  Some routes exist only when a
 * command-line option asked for them (--editorial, --corpus).  Every URL
 * of the site is GET-only, so another method is 405 even for an unknown
 * address.
 */
#include "routes.h"

#include <stdbool.h>
#include <string.h>

#include "api.h"
#include "feeds.h"
#include "pages.h"
#include "plain.h"
#include "reject.h"
#include "sitemap.h"

typedef void route_fn(struct MHD_Connection *conn, worker *w,
                      const server_config *cfg, const char *rest, reply *rep);

typedef enum route_when {
  ALWAYS,
  EDITORIAL, /* only with --editorial */
  PREVIEW,   /* only with --corpus (teilhabe preview) */
} route_when;

typedef struct route {
  const char *method; /* "GET" also answers HEAD */
  const char *path;   /* exact path, or a prefix when `prefix` */
  bool prefix;
  route_when when;
  route_fn *handler;
} route;

static const route routes[] = {
    {"GET", "/", false, ALWAYS, page_home},
    {"GET", "/suche", false, ALWAYS, page_search},
    {"GET", "/impressum", false, ALWAYS, page_impressum},
    {"GET", "/datenschutz", false, ALWAYS, page_datenschutz},
    {"GET", "/barrierefreiheit", false, ALWAYS, page_barrierefreiheit},
    {"GET", "/kontakt", false, ALWAYS, page_kontakt},
    {"GET", "/leichte-sprache", false, ALWAYS, page_leichte_sprache},
    {"GET", "/gebaerdensprache", false, ALWAYS, page_gebaerdensprache},
    {"GET", "/static/style.css", false, ALWAYS, plain_style_css},
    {"GET", "/static/suggest.js", false, ALWAYS, plain_suggest_js},
    {"GET", "/feed.xml", false, ALWAYS, feed_atom},
    {"GET", "/opensearch.xml", false, ALWAYS, feed_opensearch},
    {"GET", "/sitemap.xml", false, ALWAYS, sitemap_index},
    {"GET", "/sitemap-", true, ALWAYS, sitemap_part},
    {"GET", "/healthz", false, ALWAYS, plain_healthz},
    {"GET", "/vorschau", false, PREVIEW, plain_preview_last},
    {"GET", "/redaktion", false, EDITORIAL, page_editorial},
    {"GET", "/rechner", false, ALWAYS, page_calc_index},
    {"GET", "/rechner/ausgleichsabgabe", false, ALWAYS, page_calc_levy},
    {"GET", "/rechner/kinderkrankentage", false, ALWAYS, page_calc_kkt},
    {"GET", "/lotse", false, ALWAYS, page_lotse},
    {"GET", "/vorlagen", false, ALWAYS, page_vorlagen},
    {"GET", "/vorlagen/", true, ALWAYS, page_vorlage},
    {"GET", "/robots.txt", false, ALWAYS, plain_robots},
    {"GET", "/api/search", false, ALWAYS, api_search},
    {"GET", "/api/suggest", false, ALWAYS, api_suggest},
    {"GET", "/api/version", false, ALWAYS, api_version},
    {"GET", "/api/articles/", true, ALWAYS, api_record},
    {"GET", "/api/records/", true, ALWAYS, api_record},
    {"GET", "/api/rechner/ausgleichsabgabe", false, ALWAYS, api_calc_levy},
    {"GET", "/api/rechner/kinderkrankentage", false, ALWAYS, api_calc_kkt},
    {"GET", "/api/", true, ALWAYS, api_not_found},
    /* Last: what the index's schema declares - /<kind>/<id> for every
     * kind (/artikel/…, /urteil/…), A-Z pages (/begriffe) and finders
     * (/zustaendig); anything else is a 404 page. */
    {"GET", "/", true, ALWAYS, page_schema_route},
};

static bool starts_with(const char *s, const char *p) {
  return strncmp(s, p, strlen(p)) == 0;
}

static bool enabled(route_when when, const server_config *cfg) {
  switch (when) {
  case EDITORIAL:
    return cfg->editorial;
  case PREVIEW:
    return cfg->corpus != NULL;
  default:
    return true;
  }
}

/* The route for `url`, or NULL. */
static const route *find(const char *url, const server_config *cfg) {
  for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
    const route *r = &routes[i];
    bool match =
        r->prefix ? starts_with(url, r->path) : strcmp(url, r->path) == 0;
    if (match && enabled(r->when, cfg))
      return r;
  }
  return NULL;
}

static bool method_ok(const char *allowed, const char *method) {
  if (strcmp(method, allowed) == 0)
    return true;
  return strcmp(allowed, "GET") == 0 && strcmp(method, "HEAD") == 0;
}

/* An error as the kind of client expects it: JSON under /api/, a page
 * otherwise. */
static void fail(reply *rep, bool api, unsigned status, const char *api_msg,
                 const char *title, const char *text) {
  if (api)
    api_error(rep, status, api_msg);
  else
    page_error(rep, status, title, text);
}

void routes_dispatch(struct MHD_Connection *conn, worker *w,
                     const server_config *cfg, const char *method,
                     const char *url, reply *rep) {
  bool api = starts_with(url, "/api/");
  const route *r = find(url, cfg);
  if (!method_ok(r ? r->method : "GET", method)) {
    reject_reply(rep, REJECT_METHOD, api);
  } else if (strlen(url) > WEB_MAX_URL) {
    reject_reply(rep, REJECT_URI_TOO_LONG, api); /* the guard's, too */
  } else if (r) {
    r->handler(conn, w, cfg, url + (r->prefix ? strlen(r->path) : 0), rep);
    /* A failure because the index was damaged while the request read it
     * is the index's 503, not the page's 500. */
    if (rep->status == MHD_HTTP_INTERNAL_SERVER_ERROR &&
        worker_index_damaged(w, cfg))
      reply_unavailable(rep, api);
  } else {
    fail(rep, api, MHD_HTTP_NOT_FOUND, "no such API endpoint",
         "Seite nicht gefunden",
         "Diese Adresse gibt es nicht. Vielleicht hilft die Suche weiter.");
  }
}

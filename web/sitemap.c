/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sitemap.c - the sitemap (see sitemap.h).
 *
 * /sitemap.xml is always a sitemap index, even for a corpus whose URLs
 * fit one file: one shape at every size, so crawlers and robots.txt see
 * the same entry point when the corpus grows past the protocol's 50,000
 * URLs per file, and no address changes its meaning.  A file ends at
 * SITEMAP_URLS_MAX URLs or when it would no longer fit one reply with
 * the longest base URL filled in (--base-url's, else the longest a Host
 * header may give): at 50,000 URLs of ~100 bytes a file would exceed the
 * 4 MiB reply buffer.
 *
 * Listing every record reads the whole index (seconds at 50,000
 * records), so it is done once per index version, by one thread at a
 * time, and the files are kept in the shared cache (cache.h), where every
 * worker copies them from.  They are kept with a marker byte instead of
 * the base URL, which depends on the request's Host without --base-url:
 * a request fills in its own, so a foreign Host header cannot make us
 * list the index again.
 */
#include "sitemap.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "html.h"
#include "kb_record.h"
#include "request.h"

#define BASE_MAX (WEB_BASE_URL_MAX + 64)
/* Stands for the base URL in a cached file. */
#define BASE_MARK '\001'
/* Most bytes of a file with the base URL filled in: what one reply holds,
 * less room for the headers of the format. */
#define PART_BYTES (WEB_MAX_BODY - 4096)

static unsigned urls_per_file = SITEMAP_URLS_MAX;
static pthread_once_t limit_once = PTHREAD_ONCE_INIT;

static void read_limit(void) {
  const char *e = getenv("TEILHABE_SITEMAP_URLS");
  char *end = NULL;
  unsigned long v = e ? strtoul(e, &end, 10) : 0;
  if (e && *e && *end == '\0' && v >= 1 && v < SITEMAP_URLS_MAX)
    urls_per_file = (unsigned)v;
}

/* The sitemap being built: the index and the file being filled. */
typedef struct build {
  const char *key; /* cache key prefix: "sitemap|<index version>|" */
  size_t base_len; /* longest a base URL filled in may be */
  kb_buf index, part, entry, keybuf;
  size_t nparts;
  unsigned nurls;   /* in the current file */
  char lastmod[11]; /* newest Stand in the current file */
  bool ok;
} build;

static void open_part(build *bd) {
  kb_buf_reset(&bd->part);
  kb_buf_adds(&bd->part,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
              "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
  bd->nurls = 0;
  bd->lastmod[0] = '\0';
}

/* Ends the current file, keeps it in the cache and lists it in the
 * index. */
static void close_part(build *bd) {
  kb_buf_adds(&bd->part, "</urlset>\n");
  bd->nparts++;
  kb_buf_reset(&bd->keybuf);
  kb_buf_addf(&bd->keybuf, "%s%zu", bd->key, bd->nparts);
  if (kb_buf_status(&bd->part) != KB_OK ||
      !cache_put(kb_buf_str(&bd->keybuf), kb_buf_str(&bd->part), bd->part.len))
    bd->ok = false;
  kb_buf_addf(&bd->index, "<sitemap><loc>%c/sitemap-%zu.xml</loc>", BASE_MARK,
              bd->nparts);
  if (bd->lastmod[0])
    kb_buf_addf(&bd->index, "<lastmod>%s</lastmod>", bd->lastmod);
  kb_buf_adds(&bd->index, "</sitemap>\n");
}

/* Adds the URL base + `path` (and its Stand, or NULL), starting a new
 * file when this one is full. */
static void add_url(build *bd, const char *path, const char *updated) {
  kb_buf *e = &bd->entry;
  kb_buf_reset(e);
  kb_buf_addf(e, "<url><loc>%c", BASE_MARK);
  html_xml_text(e, path);
  kb_buf_adds(e, "</loc>");
  if (updated && *updated) {
    kb_buf_adds(e, "<lastmod>");
    html_xml_text(e, updated);
    kb_buf_adds(e, "</lastmod>");
  }
  kb_buf_adds(e, "</url>\n");
  if (bd->nurls == urls_per_file ||
      bd->part.len + e->len + (bd->nurls + 1) * bd->base_len > PART_BYTES) {
    close_part(bd);
    open_part(bd);
  }
  kb_buf_add(&bd->part, kb_buf_str(e), e->len);
  bd->nurls++;
  if (updated && strlen(updated) < sizeof bd->lastmod &&
      strcmp(updated, bd->lastmod) > 0)
    memcpy(bd->lastmod, updated, strlen(updated) + 1);
}

/* The start page, the Lotse (when records carry a situation) and the
 * pages the schema declares per kind: A-Z lists and finders. */
static void add_site_pages(build *bd, const kb_schema *sc) {
  add_url(bd, "/", NULL);
  if (kb_schema_facet(sc, "situation") != KB_SCHEMA_NONE)
    add_url(bd, "/lotse", NULL);
  char path[256];
  for (size_t i = 0; i < sc->nkinds; i++) {
    const char *paths[2] = {sc->kinds[i].index_path, sc->kinds[i].finder_path};
    for (int k = 0; k < 2; k++) {
      if (paths[k] == NULL)
        continue;
      snprintf(path, sizeof path, "/%s", paths[k]);
      add_url(bd, path, NULL);
    }
  }
}

/* Every record of every kind, with its Stand. */
static bool add_records(build *bd, kb_searcher *s, const kb_schema *sc) {
  char url[256];
  for (size_t i = 0; i < sc->nkinds; i++) {
    kb_record_list l = {0};
    if (kb_searcher_kind(s, sc->kinds[i].name, SIZE_MAX, &l, NULL) != KB_OK)
      return false;
    for (size_t j = 0; j < l.n; j++) {
      kb_record_url(l.v[j]->kind, l.v[j]->id, url, sizeof url);
      add_url(bd, url, l.v[j]->updated);
    }
    kb_record_list_free(&l);
  }
  return true;
}

/* Lists the index and keeps the files, the index ("<key>index") and
 * their number ("<key>count") in the cache.  False if that failed. */
static bool build_sitemap(kb_searcher *s, const server_config *cfg,
                          const char *key) {
  build bd = {.key = key, .ok = true, .base_len = BASE_MAX};
  if (!request_base_from_headers(cfg)) {
    /* --base-url: the one base every file will get. */
    kb_buf esc = KB_BUF_INIT(BASE_MAX * 6);
    html_xml_text(&esc, cfg->base_url);
    bd.base_len = esc.len;
    kb_buf_release(&esc);
  }
  kb_buf_init(&bd.index, WEB_MAX_BODY / 2);
  kb_buf_init(&bd.part, WEB_MAX_BODY);
  kb_buf_init(&bd.entry, 4096);
  kb_buf_init(&bd.keybuf, CACHE_KEY_MAX);
  const kb_schema *sc = kb_searcher_vocab(s)->schema;
  kb_buf_adds(&bd.index,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex "
              "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
  open_part(&bd);
  add_site_pages(&bd, sc);
  if (!add_records(&bd, s, sc))
    bd.ok = false;
  close_part(&bd);
  kb_buf_adds(&bd.index, "</sitemapindex>\n");
  char count[24];
  snprintf(count, sizeof count, "%zu", bd.nparts);
  kb_buf_reset(&bd.keybuf);
  kb_buf_addf(&bd.keybuf, "%sindex", key);
  bool ok =
      bd.ok && kb_buf_status(&bd.index) == KB_OK &&
      cache_put(kb_buf_str(&bd.keybuf), kb_buf_str(&bd.index), bd.index.len);
  kb_buf_reset(&bd.keybuf);
  kb_buf_addf(&bd.keybuf, "%scount", key);
  ok = ok && cache_put(kb_buf_str(&bd.keybuf), count, strlen(count));
  kb_buf_release(&bd.index);
  kb_buf_release(&bd.part);
  kb_buf_release(&bd.entry);
  kb_buf_release(&bd.keybuf);
  return ok;
}

/* Copies `tmpl` into `out` with the base URL (XML-escaped) for every
 * marker. */
static void fill_in(kb_buf *out, const kb_buf *tmpl, const char *base) {
  const char *p = kb_buf_str(tmpl), *end = p + tmpl->len;
  while (p < end) {
    const char *m = memchr(p, BASE_MARK, (size_t)(end - p));
    size_t n = m ? (size_t)(m - p) : (size_t)(end - p);
    kb_buf_add(out, p, n);
    if (m == NULL)
      break;
    html_xml_text(out, base);
    p = m + 1;
  }
}

/* Appends the entry `prefix``which` of the cache to `out`; false if
 * there is none. */
static bool cached(const char *prefix, const char *which, kb_buf *out) {
  char key[CACHE_KEY_MAX];
  int n = snprintf(key, sizeof key, "%s%s", prefix, which);
  return n > 0 && (size_t)n < sizeof key && cache_get(key, out);
}

/* Is `which` a file number past those of an index listed before? */
static bool past_the_files(const char *prefix, const char *which) {
  kb_buf count = KB_BUF_INIT(32);
  bool past = strcmp(which, "index") != 0 && cached(prefix, "count", &count) &&
              strtoul(which, NULL, 10) > strtoul(kb_buf_str(&count), NULL, 10);
  kb_buf_release(&count);
  return past;
}

/* The cached file `which` ("index" or a number) into `tmpl`, listing the
 * index first if it is not cached.  0 when found, else a status to
 * answer with (404: no such file). */
static unsigned lookup(kb_searcher *s, const server_config *cfg,
                       const char *which, kb_buf *tmpl) {
  char ver[CACHE_KEY_MAX / 2], prefix[CACHE_KEY_MAX];
  if (!kb_searcher_version(s, ver, sizeof ver))
    return MHD_HTTP_INTERNAL_SERVER_ERROR;
  snprintf(prefix, sizeof prefix, "sitemap|%s|", ver);
  if (cached(prefix, which, tmpl))
    return 0;
  if (!cache_build_lock())
    return MHD_HTTP_SERVICE_UNAVAILABLE;
  unsigned status = 0;
  /* Another thread may have listed it while this one waited; a number
   * past the files of a listed index needs no new listing. */
  if (cached(prefix, which, tmpl))
    status = 0;
  else if (past_the_files(prefix, which))
    status = MHD_HTTP_NOT_FOUND;
  else if (!build_sitemap(s, cfg, prefix))
    status = MHD_HTTP_INTERNAL_SERVER_ERROR;
  else if (!cached(prefix, which, tmpl))
    status = MHD_HTTP_NOT_FOUND;
  cache_build_unlock();
  return status;
}

/* Answers with the file `which`, the base URL filled in. */
static void serve(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *which, reply *rep) {
  pthread_once(&limit_once, read_limit);
  kb_searcher *s = worker_searcher(w, cfg, NULL);
  if (s == NULL) {
    reply_unavailable(rep, false);
    return;
  }
  kb_buf tmpl = KB_BUF_INIT(WEB_MAX_BODY);
  unsigned status = lookup(s, cfg, which, &tmpl);
  if (status == MHD_HTTP_NOT_FOUND) {
    reply_plain(rep, status, "no such sitemap file\n");
  } else if (status == MHD_HTTP_SERVICE_UNAVAILABLE) {
    reply_plain(rep, status, "the sitemap is being built; try again soon\n");
    rep->retry_after = "10";
  } else if (status) {
    reply_plain(rep, status, "the sitemap cannot be built\n");
  } else {
    kb_buf base = KB_BUF_INIT(BASE_MAX);
    request_base_url(conn, cfg, &base);
    fill_in(rep->body, &tmpl, kb_buf_str(&base));
    kb_buf_release(&base);
    rep->content_type = "application/xml; charset=utf-8";
    rep->cache = "public, max-age=3600";
    if (request_base_from_headers(cfg))
      rep->vary |= REPLY_VARY_BASE;
  }
  kb_buf_release(&tmpl);
}

void sitemap_index(struct MHD_Connection *conn, worker *w,
                   const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  serve(conn, w, cfg, "index", rep);
}

void sitemap_part(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *rest, reply *rep) {
  /* "<n>.xml", n from 1 without leading zeros: one address per file. */
  char n[16];
  size_t len = strspn(rest, "0123456789");
  if (len == 0 || len >= sizeof n || rest[0] == '0' ||
      strcmp(rest + len, ".xml") != 0) {
    reply_plain(rep, MHD_HTTP_NOT_FOUND, "no such sitemap file\n");
    return;
  }
  memcpy(n, rest, len);
  n[len] = '\0';
  serve(conn, w, cfg, n, rep);
}

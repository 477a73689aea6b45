/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_vorlagen.c - the templates: letters, records and checklists to
 * fill in, the records of kind "vorlagen" (Markdown files in corpus/vorlagen/).
 *   /vorlagen             the list, each with its downloads
 *   /vorlagen/<id>        the record page (page_record.c: facts, norms,
 *                         Stand, the download links, print layout)
 *   /vorlagen/<id>.md     the template as Markdown
 *   /vorlagen/<id>.odt    the same as OpenDocument text (kb_odt.h)
 * Both downloads are built from one text (template_markdown): the title,
 * the Stand and norms, the body as written in the corpus (the kind keeps
 * its Markdown in the index: `markdown: true` in schema.yaml) and where
 * it comes from.
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "kb_odt.h"
#include "pages.h"
#include "request.h"

#define VORLAGEN_KIND "vorlagen"
#define VORLAGEN_MAX 500
#define ID_MAX 100

/* German order of titles, case folded (umlauts are rare at the start of
 * a template's title). */
static int cmp_title(const void *a, const void *b) {
  const kb_record *x = *(kb_record *const *)a, *y = *(kb_record *const *)b;
  return strcasecmp(x->title, y->title);
}

void page_vorlagen(struct MHD_Connection *conn, worker *w,
                   const server_config *cfg, const char *rest, reply *rep) {
  (void)conn, (void)rest;
  kb_searcher *s = page_searcher(w, cfg, rep);
  if (s == NULL)
    return;
  const kb_skind *k =
      kb_schema_kind(kb_searcher_vocab(s)->schema, VORLAGEN_KIND);
  kb_record_list l = {0};
  if (k == NULL ||
      kb_searcher_kind(s, VORLAGEN_KIND, VORLAGEN_MAX, &l, NULL) != KB_OK) {
    page_error(rep, k ? MHD_HTTP_INTERNAL_SERVER_ERROR : MHD_HTTP_NOT_FOUND,
               k ? "Fehler" : "Seite nicht gefunden",
               k ? "Die Vorlagen können gerade nicht angezeigt werden."
                 : "Dieses Verzeichnis hat keine Vorlagen.");
    return;
  }
  qsort(l.v, l.n, sizeof *l.v, cmp_title);
  kb_buf *b = &w->out;
  html_page hp = {.title = k->plural, .query = "", .canonical = "/vorlagen"};
  html_begin_page(b, &hp);
  html_f(b, "<h1>%s</h1>\n", k->plural);
  if (k->intro)
    html_f(b, "<p class=\"lead\">%s</p>\n", k->intro);
  kb_buf_adds(b, "<p>Jede Vorlage nennt ihre Rechtsgrundlagen und ihren "
                 "Stand. Sie ersetzt keine Rechtsberatung: Passen Sie "
                 "sie an Ihren Fall an.</p>\n<ul class=\"templates\">\n");
  for (size_t i = 0; i < l.n; i++) {
    const kb_record *r = l.v[i];
    html_f(b,
           "<li><h2><a href=\"/vorlagen/%U\">%s</a></h2>\n<p>%s</p>\n"
           "<p class=\"meta\">Stand ",
           r->id, r->title, r->summary);
    html_date(b, r->updated);
    html_f(b,
           " · Herunterladen: <a href=\"/vorlagen/%U.odt\" download>"
           "OpenDocument<span class=\"sr\"> – %s</span></a>, "
           "<a href=\"/vorlagen/%U.md\" download>Markdown"
           "<span class=\"sr\"> – %s</span></a></p></li>\n",
           r->id, r->title, r->id, r->title);
  }
  kb_buf_adds(b, "</ul>\n");
  html_end(b);
  rep->cache = REPLY_CACHE_PAGE;
  kb_record_list_free(&l);
}

/* The one text both downloads are made of. */
static void template_markdown(kb_buf *b, const kb_record *r,
                              const kb_schema *sc, const char *abs) {
  kb_buf_addf(b, "# %s\n\n", r->title);
  if (strlen(r->updated) == 10) /* YYYY-MM-DD, as lint checks */
    kb_buf_addf(b, "Stand: %.2s.%.2s.%.4s", r->updated + 8, r->updated + 5,
                r->updated);
  else
    kb_buf_addf(b, "Stand: %s", r->updated);
  size_t norms = kb_schema_field(sc, "norms");
  for (size_t i = 0; norms != KB_SCHEMA_NONE && i < r->values[norms].n; i++)
    kb_buf_addf(b, "%s%s",
                i ? ", " : " · Rechtsgrundlagen: ", r->values[norms].v[i]);
  kb_buf_addf(b, "\n\n%s\n", r->markdown);
  kb_buf_addf(b,
              "\n---\n\nVorlage aus teilhabe – Wissen zu Behinderung und "
              "Arbeit: %s (Lizenz CC BY 4.0). Keine Rechtsberatung; "
              "maßgeblich ist der angegebene Stand.\n",
              abs);
}

/* The id before a download's extension, checked: a-z, 0-9 and '-'. */
static bool split_id(const char *rest, char *id, size_t cap, const char **ext) {
  const char *dot = strrchr(rest, '.');
  size_t n = dot ? (size_t)(dot - rest) : strlen(rest);
  if (n == 0 || n >= cap)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((rest[i] >= 'a' && rest[i] <= 'z') ||
          (rest[i] >= '0' && rest[i] <= '9') || rest[i] == '-'))
      return false;
  memcpy(id, rest, n);
  id[n] = 0;
  *ext = dot ? dot + 1 : "";
  return true;
}

static void not_found(reply *rep) {
  page_error(rep, MHD_HTTP_NOT_FOUND, "Vorlage nicht gefunden",
             "Diese Vorlage gibt es nicht (mehr). Alle Vorlagen stehen unter "
             "„Vorlagen“ (/vorlagen).");
}

static void download(struct MHD_Connection *conn, const server_config *cfg,
                     kb_searcher *s, const char *id, bool odt, reply *rep) {
  kb_record *r = NULL;
  kb_status st = kb_searcher_record(s, id, &r, NULL);
  if (st == KB_OK && strcmp(r->kind, VORLAGEN_KIND) != 0)
    st = KB_ERR_NOT_FOUND;
  if (st != KB_OK) {
    kb_record_free(r);
    if (st == KB_ERR_NOT_FOUND)
      not_found(rep);
    else
      page_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler",
                 "Die Vorlage kann gerade nicht gelesen werden.");
    return;
  }
  kb_buf abs = KB_BUF_INIT(1024), md = KB_BUF_INIT(2 * KB_ODT_MAX_MARKDOWN);
  request_base_url(conn, cfg, &abs);
  html_f(&abs, "/vorlagen/%U", id);
  template_markdown(&md, r, kb_searcher_vocab(s)->schema, kb_buf_str(&abs));
  if (kb_buf_status(&md) != KB_OK) {
    page_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler",
               "Die Vorlage ist zu groß zum Herunterladen.");
  } else if (odt) {
    kb_buf_reset(rep->body);
    if (kb_odt_from_markdown(md.data, md.len, r->title, rep->body, NULL) ==
        KB_OK)
      rep->content_type = "application/vnd.oasis.opendocument.text";
    else
      page_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler",
                 "Die Vorlage kann gerade nicht als OpenDocument "
                 "erstellt werden.");
  } else {
    kb_buf_add(rep->body, md.data, md.len);
    rep->content_type = "text/markdown; charset=utf-8";
  }
  if (rep->status == MHD_HTTP_OK) {
    rep->cache = REPLY_CACHE_PAGE;
    rep->vary = request_base_from_headers(cfg) ? REPLY_VARY_BASE : 0;
  }
  kb_buf_release(&abs);
  kb_buf_release(&md);
  kb_record_free(r);
}

void page_vorlage(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *rest, reply *rep) {
  char id[ID_MAX + 1];
  const char *ext = "";
  if (!split_id(rest, id, sizeof id, &ext) ||
      (*ext && strcmp(ext, "md") != 0 && strcmp(ext, "odt") != 0)) {
    not_found(rep);
    return;
  }
  if (*ext == 0) {
    page_record(conn, w, cfg, VORLAGEN_KIND, id, rep);
    return;
  }
  kb_searcher *s = page_searcher(w, cfg, rep);
  if (s)
    download(conn, cfg, s, id, strcmp(ext, "odt") == 0, rep);
}

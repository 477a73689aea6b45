/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_kinds.c - the pages the schema declares per kind of record:
 *   /<kind>/<id>   the record (page_record.c)
 *   /<index>       an A-Z list of all records of a kind (`index:` in
 *                  schema.yaml: /begriffe, the glossary)
 *   /<finder>      choosing records by up to two fields (`finder:`:
 *                  /zustaendig, "Wer ist zuständig?" by Land and concern)
 * Nothing here knows a particular kind: the paths, titles and fields come
 * from the index's schema.  Complete without JavaScript: the finder is a
 * GET form, every state a shareable URL.
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "pages.h"

#define LIST_MAX 5000

/* ---- A-Z ---------------------------------------------------------------- */

/* The letter a title is filed under: A-Z with umlauts as their vowel,
 * '#' for anything else. */
static char letter_of(const char *t) {
  const unsigned char *u = (const unsigned char *)t;
  if (u[0] == 0xC3 && (u[1] == 0x84 || u[1] == 0xA4))
    return 'A';
  if (u[0] == 0xC3 && (u[1] == 0x96 || u[1] == 0xB6))
    return 'O';
  if (u[0] == 0xC3 && (u[1] == 0x9C || u[1] == 0xBC))
    return 'U';
  char c = (char)u[0];
  if (c >= 'a' && c <= 'z')
    c = (char)(c - 'a' + 'A');
  return c >= 'A' && c <= 'Z' ? c : '#';
}

/* German order, near enough for a glossary: case and umlauts folded. */
static int cmp_title(const void *a, const void *b) {
  const kb_record *x = *(kb_record *const *)a, *y = *(kb_record *const *)b;
  char lx = letter_of(x->title), ly = letter_of(y->title);
  if (lx != ly)
    return lx < ly ? -1 : 1;
  return strcasecmp(x->title, y->title);
}

static void letter_nav(kb_buf *b, const kb_record_list *l) {
  kb_buf_adds(b, "<nav class=\"az\" aria-label=\"Anfangsbuchstaben\"><ul>");
  char last = 0;
  for (size_t i = 0; i < l->n; i++) {
    char c = letter_of(l->v[i]->title);
    if (c != last)
      html_f(b, "<li><a href=\"#b-%R\">%R</a></li>",
             c == '#' ? "0" : (char[2]){c, 0},
             c == '#' ? "#" : (char[2]){c, 0});
    last = c;
  }
  kb_buf_adds(b, "</ul></nav>\n");
}

static void letter_sections(kb_buf *b, const kb_record_list *l) {
  char last = 0;
  for (size_t i = 0; i < l->n; i++) {
    const kb_record *r = l->v[i];
    char c = letter_of(r->title);
    char id[2] = {c == '#' ? '0' : c, 0}, shown[2] = {c, 0};
    if (c != last)
      html_f(b,
             "%R<section aria-labelledby=\"b-%R\"><h2 id=\"b-%R\">%R</h2>\n"
             "<dl class=\"terms\">\n",
             last ? "</dl></section>\n" : "", id, id, shown);
    last = c;
    char url[256];
    kb_record_url(r->kind, r->id, url, sizeof url);
    html_f(b, "<dt><a href=\"%s\">%s</a></dt><dd>%s</dd>\n", url, r->title,
           r->summary);
  }
  if (last)
    kb_buf_adds(b, "</dl></section>\n");
}

static void page_index(worker *w, kb_searcher *s, const kb_skind *k,
                       reply *rep) {
  kb_record_list l = {0};
  if (kb_searcher_kind(s, k->name, LIST_MAX, &l, NULL) != KB_OK) {
    page_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler",
               "Die Liste kann gerade nicht angezeigt werden.");
    return;
  }
  qsort(l.v, l.n, sizeof *l.v, cmp_title);
  kb_buf title = KB_BUF_INIT(256), path = KB_BUF_INIT(256);
  kb_buf_addf(&title, "%s A–Z", k->plural);
  kb_buf_addf(&path, "/%s", k->index_path);
  html_page hp = {
      .title = kb_buf_str(&title), .query = "", .canonical = kb_buf_str(&path)};
  kb_buf *b = &w->out;
  html_begin_page(b, &hp);
  html_f(b, "<h1>%s A–Z</h1>\n", k->plural);
  if (k->intro)
    html_f(b, "<p class=\"lead\">%s</p>\n", k->intro);
  html_f(b,
         "<p>%zu %s. Ein Suchwort, das genau ein Begriff ist, zeigt "
         "dessen Erklärung auch über den Suchergebnissen.</p>\n",
         l.n, k->plural);
  letter_nav(b, &l);
  letter_sections(b, &l);
  html_end(b);
  kb_buf_release(&title);
  kb_buf_release(&path);
  kb_record_list_free(&l);
}

/* ---- the finder ------------------------------------------------------- */

typedef struct finder {
  const kb_vocab *v;
  const kb_schema *sc;
  const kb_skind *k;
  const char *chosen[2]; /* a valid key per field, or NULL */
} finder;

static bool has(const kb_rvals *vals, const char *key) {
  for (size_t i = 0; key && i < vals->n; i++)
    if (strcmp(vals->v[i], key) == 0)
      return true;
  return false;
}

/* Does record r match the choice?  `local`: by the first field's own
 * value, not only by the nationwide one. */
static bool matches(const finder *f, const kb_record *r, bool *local) {
  *local =
      f->chosen[0] == NULL || has(&r->values[f->k->finder_by[0]], f->chosen[0]);
  bool first = *local || has(&r->values[f->k->finder_by[0]], f->k->finder_also);
  bool second = f->k->nfinder_by < 2 || f->chosen[1] == NULL ||
                has(&r->values[f->k->finder_by[1]], f->chosen[1]);
  return first && second;
}

/* A <select> over the vocabulary of field `field`, `chosen` selected. */
static void choice(kb_buf *b, const finder *f, size_t field,
                   const char *chosen) {
  const kb_sfield *sf = &f->sc->fields[field];
  const kb_vocab_set *set = kb_vocab_set_get(f->v, sf->vocab);
  /* A facet's heading names a choice better than a facts-box label
   * ("Bundesland", not "Zuständig für"). */
  const char *label = sf->label;
  for (size_t i = 0; i < f->sc->nfacets; i++)
    if (f->sc->facets[i].field == field)
      label = f->sc->facets[i].label;
  html_f(b,
         "<p><label for=\"f-%s\">%s</label>\n<select id=\"f-%s\" "
         "name=\"%s\">\n<option value=\"\">– alle –</option>\n",
         sf->name, label, sf->name, sf->name);
  for (size_t i = 0; set && i < set->n; i++)
    if (f->k->finder_also == NULL ||
        strcmp(set->entries[i].key, f->k->finder_also) != 0)
      html_f(b, "<option value=\"%s\"%R>%s</option>\n", set->entries[i].key,
             chosen && strcmp(chosen, set->entries[i].key) == 0 ? " selected"
                                                                : "",
             set->entries[i].label);
  kb_buf_adds(b, "</select></p>\n");
}

static void finder_form(kb_buf *b, const finder *f) {
  html_f(b, "<form class=\"finder\" method=\"get\" action=\"/%s\">\n",
         f->k->finder_path);
  for (size_t i = 0; i < f->k->nfinder_by; i++)
    choice(b, f, f->k->finder_by[i], f->chosen[i]);
  kb_buf_adds(b, "<p><button type=\"submit\">Anzeigen</button></p>\n"
                 "</form>\n");
}

/* One contact point: name, what it is, where, how to reach it. */
static void finder_item(kb_buf *b, const finder *f, const kb_record *r) {
  char url[256];
  kb_record_url(r->kind, r->id, url, sizeof url);
  html_f(b, "<li><h3><a href=\"%s\">%s</a></h3>\n<p>%s</p>\n", url, r->title,
         r->summary);
  kb_buf_adds(b, "<dl class=\"facts\">");
  for (size_t i = 0; i < f->k->nfacts; i++) {
    size_t fld = f->k->facts[i];
    const kb_sfield *sf = fld < f->sc->nfields ? &f->sc->fields[fld] : NULL;
    if (sf == NULL || r->values[fld].n == 0)
      continue;
    html_f(b, "<dt>%s</dt><dd>", sf->label);
    for (size_t j = 0; j < r->values[fld].n; j++) {
      const char *val = r->values[fld].v[j];
      if (sf->type == KB_FT_URL)
        html_f(b, "<a rel=\"external\" href=\"%s\">%s</a>", val, val);
      else
        html_f(b, "%R%s", j ? ", " : "", kb_vocab_value_label(f->v, fld, val));
    }
    kb_buf_adds(b, "</dd>");
  }
  kb_buf_adds(b, "</dl></li>\n");
}

/* The matches: how many (before the lists, as on the results page, so
 * that a screen reader meets the count right after the form), then the
 * chosen Land's own offices, then the nationwide ones. */
static void finder_results(kb_buf *b, const finder *f,
                           const kb_record_list *l) {
  size_t n = 0;
  for (size_t i = 0; i < l->n; i++) {
    bool local;
    n += matches(f, l->v[i], &local);
  }
  html_f(b, "<p class=\"status\" role=\"status\">%zu %R</p>\n", n,
         n == 1 ? "Anlaufstelle passt" : "Anlaufstellen passen");
  for (int pass = 0; pass < 2; pass++) {
    bool open = false;
    for (size_t i = 0; i < l->n; i++) {
      bool local;
      if (!matches(f, l->v[i], &local) || local != (pass == 0))
        continue;
      if (!open)
        html_f(b, "<h2>%s</h2>\n<ul class=\"offices\">\n",
               pass == 0 ? (f->chosen[0] ? "Vor Ort" : "Anlaufstellen")
                         : "Bundesweit");
      open = true;
      finder_item(b, f, l->v[i]);
    }
    if (open)
      kb_buf_adds(b, "</ul>\n");
  }
}

/* The chosen value of field `field` when it is a key of its vocabulary. */
static const char *chosen(struct MHD_Connection *conn, const finder *f,
                          size_t field) {
  const char *v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
                                              f->sc->fields[field].name);
  return v && *v && kb_vocab_label(f->v, f->sc->fields[field].vocab, v) ? v
                                                                        : NULL;
}

static void page_finder(struct MHD_Connection *conn, worker *w, kb_searcher *s,
                        const kb_skind *k, reply *rep) {
  finder f = {.v = kb_searcher_vocab(s), .k = k};
  f.sc = f.v->schema;
  for (size_t i = 0; i < k->nfinder_by; i++)
    f.chosen[i] = chosen(conn, &f, k->finder_by[i]);
  kb_record_list l = {0};
  if (kb_searcher_kind(s, k->name, LIST_MAX, &l, NULL) != KB_OK) {
    page_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler",
               "Die Anlaufstellen können gerade nicht angezeigt werden.");
    return;
  }
  qsort(l.v, l.n, sizeof *l.v, cmp_title);
  kb_buf path = KB_BUF_INIT(256);
  kb_buf_addf(&path, "/%s", k->finder_path);
  html_page hp = {
      .title = k->finder_title, .query = "", .canonical = kb_buf_str(&path)};
  kb_buf *b = &w->out;
  html_begin_page(b, &hp);
  html_f(b, "<h1>%s</h1>\n", k->finder_title);
  if (k->intro)
    html_f(b, "<p class=\"lead\">%s</p>\n", k->intro);
  finder_form(b, &f);
  finder_results(b, &f, &l);
  html_end(b);
  kb_buf_release(&path);
  kb_record_list_free(&l);
}

/* ---- routing by the schema --------------------------------------------- */

void page_schema_route(struct MHD_Connection *conn, worker *w,
                       const server_config *cfg, const char *rest, reply *rep) {
  kb_searcher *s = page_searcher(w, cfg, rep);
  if (s == NULL)
    return;
  const kb_schema *sc = kb_searcher_vocab(s)->schema;
  const char *slash = strchr(rest, '/');
  size_t seg = slash ? (size_t)(slash - rest) : strlen(rest);
  for (size_t i = 0; i < sc->nkinds && seg > 0; i++) {
    const kb_skind *k = &sc->kinds[i];
    if (slash && strlen(k->name) == seg && strncmp(rest, k->name, seg) == 0 &&
        slash[1]) {
      page_record(conn, w, cfg, k->name, slash + 1, rep);
      return;
    }
    if (!slash && k->index_path && strcmp(rest, k->index_path) == 0) {
      rep->cache = REPLY_CACHE_PAGE;
      page_index(w, s, k, rep);
      return;
    }
    if (!slash && k->finder_path && strcmp(rest, k->finder_path) == 0) {
      /* private when the form was sent (reply_send) */
      rep->cache = REPLY_CACHE_PAGE;
      page_finder(conn, w, s, k, rep);
      return;
    }
  }
  page_error(rep, MHD_HTTP_NOT_FOUND, "Seite nicht gefunden",
             "Diese Adresse gibt es nicht. Vielleicht hilft die Suche "
             "weiter.");
}

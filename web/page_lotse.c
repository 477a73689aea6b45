/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_lotse.c - the guided path ("Lotse", /lotse): who you are, the
 * situation, for health situations the functional limitation, then one
 * page that assembles what fits.
 *
 *   /lotse                                    step 1: the role
 *   /lotse?rolle=R                            step 2: the situation
 *   /lotse?rolle=R&lage=S                     step 3 (health situations):
 *                                             the limitation; else result
 *   /lotse?rolle=R&lage=S&einschraenkung=E    the result ("keine": none)
 *
 * Every choice is a plain link, every state a shareable URL: complete
 * without JavaScript.  The result is made of searches over the records'
 * tags (facets `situation`, `einschraenkung`, `audience`, `type`,
 * `kind`, `land`; docs/article-format.md), never of text written per
 * path: the next three steps are the body of the record of kind
 * `schritte` tagged with the situation and role.  What this file knows
 * are the roles (which audiences each stands for), which situations ask
 * for a limitation, and the sections of the result page (sections[]).
 * The result prints as a dated handout (style.css, @media print).
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "kb_text.h"
#include "pages.h"
#include "request.h"

#define NONE "keine" /* the limitation value "no particular one" */
#define MAX_RESULTS 12

typedef struct role {
  const char *key, *label, *whom; /* "arbeitgeber", "Arbeitgeber", "für …" */
  const char *audience[2];        /* values of the audience facet */
} role;

static const role roles[] = {
    {"arbeitgeber", "Arbeitgeber", "für Arbeitgeber", {"arbeitgeber", NULL}},
    {"vertretung",
     "Schwerbehindertenvertretung oder Betriebsrat",
     "für Schwerbehindertenvertretung und Betriebs- oder Personalrat",
     {"sbv", "betriebsrat"}},
    {"beschaeftigte",
     "Beschäftigte",
     "für Beschäftigte",
     {"beschaeftigte", NULL}},
};

/* Situations (vocabulary `situation`) in which the functional limitation
 * decides what helps. */
static const char *const health[] = {"neueinstellung", "rueckkehr",
                                     "verschlechterung"};

/* One section of the result: records of `kind` (and article `types`)
 * filtered by the situation, and as said by the role, the limitation,
 * and nationwide offices only. */
typedef struct section {
  const char *id, *heading;
  const char *kind;
  const char *types[5];
  bool audience;   /* only records for the chosen role */
  bool limitation; /* by the limitation instead of the situation, if one */
  bool rest;       /* leave out what an earlier section showed */
  bool bund;       /* nationwide offices (the Land's are in /zustaendig) */
  unsigned max;
} section;

static const section sections[] = {
    {"wissen",
     "Das sollten Sie wissen",
     "artikel",
     {"behinderung", "bem", "recht", "praxis", NULL},
     true,
     false,
     false,
     false,
     6},
    {"anpassung",
     "Anpassungen am Arbeitsplatz",
     "artikel",
     {"anpassung", NULL},
     false,
     true,
     false,
     false,
     5},
    {"foerderung",
     "Förderung und Leistungen",
     "artikel",
     {"foerderung", NULL},
     true,
     false,
     false,
     false,
     5},
    {"auch",
     "Weitere Artikel zu Ihrer Lage",
     "artikel",
     {NULL},
     false,
     false,
     true,
     false,
     4},
    {"vorlagen",
     "Vorlagen zum Ausfüllen",
     "vorlagen",
     {NULL},
     false,
     false,
     false,
     false,
     4},
    {"urteile",
     "Rechtsprechung",
     "urteil",
     {NULL},
     false,
     false,
     false,
     false,
     4},
    {"begriffe", "Begriffe", "begriff", {NULL}, false, false, false, false, 8},
    {"stellen",
     "Anlaufstellen",
     "anlaufstelle",
     {NULL},
     false,
     false,
     false,
     true,
     5},
};
#define NSECTIONS (sizeof sections / sizeof *sections)

typedef struct lotse {
  kb_searcher *s;
  const kb_vocab *v;
  const kb_schema *sc;
  const role *role;      /* NULL: not chosen */
  const char *situation; /* a key of vocabulary `situation`, or NULL */
  const char *limit;     /* a key of `einschraenkung`, NONE, or NULL */
  const char *bad;       /* a German message about a value not understood */
  /* facet indices */
  size_t f_kind, f_type, f_audience, f_situation, f_limit, f_land;
} lotse;

static const role *role_of(const char *key) {
  for (size_t i = 0; key && i < sizeof roles / sizeof *roles; i++)
    if (strcmp(roles[i].key, key) == 0)
      return &roles[i];
  return NULL;
}

static bool is_health(const char *situation) {
  for (size_t i = 0; situation && i < sizeof health / sizeof *health; i++)
    if (strcmp(health[i], situation) == 0)
      return true;
  return false;
}

static const char *arg(struct MHD_Connection *conn, const char *name) {
  const char *v =
      MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
  return v && *v ? v : NULL;
}

/* Reads the choices; a value that is not one of the offered ones is
 * dropped with a message, and the path asks again from there. */
static void read_choices(lotse *L, struct MHD_Connection *conn) {
  const char *r = arg(conn, "rolle"), *s = arg(conn, "lage"),
             *e = arg(conn, "einschraenkung");
  L->role = role_of(r);
  if (r && L->role == NULL) {
    L->bad = "Diese Rolle kennt der Lotse nicht. Bitte wählen Sie eine der "
             "genannten.";
    return;
  }
  if (L->role && s) {
    if (kb_vocab_label(L->v, "situation", s))
      L->situation = s;
    else {
      L->bad = "Diese Lage kennt der Lotse nicht. Bitte wählen Sie eine der "
               "genannten.";
      return;
    }
  }
  if (L->situation && e && is_health(L->situation)) {
    if (strcmp(e, NONE) == 0 || kb_vocab_label(L->v, "einschraenkung", e))
      L->limit = e;
    else
      L->bad = "Diese Einschränkung kennt der Lotse nicht. Bitte wählen Sie "
               "eine der genannten.";
  }
}

/* ---- the steps ---------------------------------------------------------- */

/* "Schritt 1 von 3" and the choices made so far, each a link back. */
static void progress(kb_buf *b, const lotse *L, unsigned step) {
  unsigned total = L->situation && !is_health(L->situation) ? 2 : 3;
  html_f(b, "<p class=\"step-of\">Schritt %u von %u</p>\n", step, total);
  if (L->role == NULL)
    return;
  kb_buf_adds(b, "<ul class=\"chosen-path\" aria-label=\"Ihre Auswahl\">");
  html_f(b,
         "<li>Sie sind: <strong>%s</strong> <a href=\"/lotse\">ändern"
         "<span class=\"sr\"> (Rolle)</span></a></li>",
         L->role->label);
  if (L->situation)
    html_f(b,
           "<li>Lage: <strong>%s</strong> <a href=\"/lotse?rolle=%U\">ändern"
           "<span class=\"sr\"> (Lage)</span></a></li>",
           kb_vocab_label(L->v, "situation", L->situation), L->role->key);
  kb_buf_adds(b, "</ul>\n");
}

/* One choice: a link to the path's state (role, situation, limitation;
 * NULL: not yet chosen). */
static void choice(kb_buf *b, const char *rolle, const char *situation,
                   const char *limit, const char *label) {
  kb_buf q = KB_BUF_INIT(512);
  html_f(&q, "/lotse?rolle=%U", rolle);
  if (situation)
    html_f(&q, "&lage=%U", situation);
  if (limit)
    html_f(&q, "&einschraenkung=%U", limit);
  html_f(b, "<li><a href=\"%s\">%s</a></li>\n", kb_buf_str(&q), label);
  kb_buf_release(&q);
}

/* The question of a step and the opening of its list of choices. */
static void question(kb_buf *b, const char *q, const char *hint) {
  html_f(b, "<h2 id=\"frage\">%s</h2>\n", q);
  if (hint)
    html_f(b, "<p>%s</p>\n", hint);
  kb_buf_adds(b, "<ul class=\"choices\" aria-labelledby=\"frage\">\n");
}

static void step_role(kb_buf *b, const lotse *L) {
  progress(b, L, 1);
  question(b, "Wer sind Sie?", NULL);
  for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
    choice(b, roles[i].key, NULL, NULL, roles[i].label);
  kb_buf_adds(b, "</ul>\n");
}

static void step_situation(kb_buf *b, const lotse *L) {
  progress(b, L, 2);
  const kb_vocab_set *set = kb_vocab_set_get(L->v, "situation");
  question(b, "Worum geht es?", NULL);
  for (size_t i = 0; set && i < set->n; i++)
    choice(b, L->role->key, set->entries[i].key, NULL, set->entries[i].label);
  kb_buf_adds(b, "</ul>\n");
}

static void step_limitation(kb_buf *b, const lotse *L) {
  progress(b, L, 3);
  const kb_vocab_set *set = kb_vocab_set_get(L->v, "einschraenkung");
  question(b, "Was fällt bei der Arbeit schwer?",
           "Es geht um die Folgen im Arbeitsalltag, nicht um eine Diagnose. "
           "Wählen Sie, was am meisten zählt.");
  for (size_t i = 0; set && i < set->n; i++)
    choice(b, L->role->key, L->situation, set->entries[i].key,
           set->entries[i].label);
  choice(b, L->role->key, L->situation, NONE,
         "Keine bestimmte – alles zur Lage zeigen");
  kb_buf_adds(b, "</ul>\n");
}

/* ---- the result --------------------------------------------------------- */

static void filter(kb_search_request *req, size_t f, const char *value) {
  if (f != KB_SCHEMA_NONE && value && req->nfilters[f] < KB_FILTER_MAX_VALUES)
    req->filters[f][req->nfilters[f]++] = value;
}

/* The records of section `sec`; NULL when the search fails. */
static kb_search_result *section_search(const lotse *L, const section *sec) {
  kb_search_request req = {
      .schema = L->sc, .per_page = MAX_RESULTS, .sort = KB_SORT_UPDATED};
  filter(&req, L->f_kind, sec->kind);
  for (size_t i = 0; sec->types[i]; i++)
    filter(&req, L->f_type, sec->types[i]);
  for (size_t i = 0; sec->audience && i < 2; i++)
    filter(&req, L->f_audience, L->role->audience[i]);
  if (sec->limitation && L->limit && strcmp(L->limit, NONE) != 0)
    filter(&req, L->f_limit, L->limit);
  else
    filter(&req, L->f_situation, L->situation);
  if (sec->bund)
    filter(&req, L->f_land, "bund");
  kb_search_result *r = NULL;
  if (kb_search(L->s, &req, &r, NULL) != KB_OK)
    return NULL;
  return r;
}

static bool shown_before(kb_search_result *const *done, size_t n,
                         const char *id) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; done[i] && j < done[i]->nhits; j++)
      if (strcmp(done[i]->hits[j].id, id) == 0)
        return true;
  return false;
}

/* One section: its heading and up to `max` records, or nothing at all
 * when none fits (no empty section).  Records an earlier section showed
 * (`done`, `ndone`) are left out where the section says so. */
static void section_out(kb_buf *b, const section *sec, kb_search_result *r,
                        kb_search_result *const *done, size_t ndone) {
  unsigned n = 0;
  for (size_t i = 0; r && i < r->nhits && n < sec->max; i++)
    n += !(sec->rest && shown_before(done, ndone, r->hits[i].id));
  if (n == 0)
    return;
  html_f(b,
         "<section class=\"lotse-part\" aria-labelledby=\"l-%s\">"
         "<h2 id=\"l-%s\">%s</h2>\n<ul class=\"lotse-list\" "
         "data-section=\"%s\">\n",
         sec->id, sec->id, sec->heading, sec->id);
  n = 0;
  for (size_t i = 0; i < r->nhits && n < sec->max; i++) {
    const kb_hit *h = &r->hits[i];
    if (sec->rest && shown_before(done, ndone, h->id))
      continue;
    n++;
    html_f(b,
           "<li><a href=\"%s\">%s</a> <span class=\"meta\">%s</span>"
           "<p>%s</p></li>\n",
           h->url, h->title, h->label, h->summary);
  }
  kb_buf_adds(b, "</ul>\n");
  if (sec->bund)
    kb_buf_adds(b, "<p class=\"more-links\">Inklusionsamt und Versorgungsamt "
                   "Ihres Bundeslandes: <a href=\"/zustaendig\">Wer ist "
                   "zuständig?</a></p>\n");
  kb_buf_adds(b, "</section>\n");
}

/* The next three steps: the body of the `schritte` record for this
 * situation and role. */
static void next_steps(kb_buf *b, const lotse *L) {
  kb_search_request req = {.schema = L->sc, .per_page = 1};
  filter(&req, L->f_kind, "schritte");
  filter(&req, L->f_situation, L->situation);
  for (size_t i = 0; i < 2; i++)
    filter(&req, L->f_audience, L->role->audience[i]);
  kb_search_result *r = NULL;
  kb_record *rec = NULL;
  if (kb_search(L->s, &req, &r, NULL) == KB_OK && r->nhits &&
      kb_searcher_record(L->s, r->hits[0].id, &rec, NULL) == KB_OK) {
    html_f(b,
           "<section class=\"lotse-part next-steps\" aria-labelledby="
           "\"l-schritte\"><h2 id=\"l-schritte\">Ihre nächsten drei "
           "Schritte</h2>\n<div class=\"body\">%R</div></section>\n",
           rec->html);
  }
  kb_record_free(rec);
  kb_search_result_free(r);
}

static void result(struct MHD_Connection *conn, const server_config *cfg,
                   kb_buf *b, const lotse *L) {
  const char *sit = kb_vocab_label(L->v, "situation", L->situation);
  bool limited = L->limit && strcmp(L->limit, NONE) != 0;
  html_f(b, "<p class=\"lead\">Zusammengestellt %s. Lage: <strong>%s</strong>",
         L->role->whom, sit);
  if (limited)
    html_f(b, ", Einschränkung: <strong>%s</strong>",
           kb_vocab_label(L->v, "einschraenkung", L->limit));
  char today[11];
  kb_date_today(today);
  kb_buf_adds(b, ". Stand: ");
  html_date(b, today);
  kb_buf_adds(b, ".</p>\n");
  html_f(b,
         "<p class=\"lotse-tools\"><a href=\"/lotse?rolle=%U\">Andere Lage "
         "wählen</a> · <a href=\"/lotse\">Neu beginnen</a> · Zum Mitnehmen: "
         "Diese Seite lässt sich als Merkblatt ausdrucken.</p>\n",
         L->role->key);
  next_steps(b, L);
  kb_search_result *done[NSECTIONS] = {0};
  kb_buf_adds(b, "<div class=\"lotse-columns\">\n");
  for (size_t i = 0; i < NSECTIONS; i++) {
    done[i] = section_search(L, &sections[i]);
    section_out(b, &sections[i], done[i], done, i);
  }
  kb_buf_adds(b, "</div>\n");
  for (size_t i = 0; i < NSECTIONS; i++)
    kb_search_result_free(done[i]);
  kb_buf abs = KB_BUF_INIT(2048);
  request_base_url(conn, cfg, &abs);
  html_f(&abs, "/lotse?rolle=%U&lage=%U", L->role->key, L->situation);
  if (L->limit)
    html_f(&abs, "&einschraenkung=%U", L->limit);
  html_f(b, "<p class=\"print-only\">Merkblatt aus teilhabe – Wissen zu "
            "Behinderung und Arbeit, erstellt am ");
  html_date(b, today);
  html_f(b, ". Online: %s. Keine Rechtsberatung.</p>\n", kb_buf_str(&abs));
  kb_buf_release(&abs);
}

static bool facets(lotse *L) {
  L->f_kind = kb_schema_facet(L->sc, "kind");
  L->f_type = kb_schema_facet(L->sc, "type");
  L->f_audience = kb_schema_facet(L->sc, "audience");
  L->f_situation = kb_schema_facet(L->sc, "situation");
  L->f_limit = kb_schema_facet(L->sc, "einschraenkung");
  L->f_land = kb_schema_facet(L->sc, "land");
  return L->f_kind != KB_SCHEMA_NONE && L->f_situation != KB_SCHEMA_NONE &&
         L->f_audience != KB_SCHEMA_NONE;
}

void page_lotse(struct MHD_Connection *conn, worker *w,
                const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  lotse L = {.s = page_searcher(w, cfg, rep)};
  if (L.s == NULL)
    return;
  L.v = kb_searcher_vocab(L.s);
  L.sc = L.v->schema;
  if (!facets(&L)) {
    page_error(rep, MHD_HTTP_NOT_FOUND, "Seite nicht gefunden",
               "Dieses Verzeichnis hat keinen Lotsen: Seine Einträge tragen "
               "keine Lage.");
    return;
  }
  read_choices(&L, conn);
  bool done = L.situation && (!is_health(L.situation) || L.limit);
  kb_buf *b = &w->out;
  html_page hp = {.title = done ? "Ihr Wegweiser"
                                : "Lotse: Was passt zu "
                                  "Ihrer Lage?",
                  .query = "",
                  .canonical = "/lotse",
                  .noindex = L.role != NULL};
  html_begin_page(b, &hp);
  html_f(b, "<div class=\"lotse\">\n<h1>%R</h1>\n",
         done ? "Ihr Wegweiser" : "Lotse: Was passt zu Ihrer Lage?");
  if (L.bad) {
    rep->status = MHD_HTTP_BAD_REQUEST;
    html_f(b, "<p class=\"error\" role=\"alert\">%s</p>\n", L.bad);
  }
  if (!L.role) {
    kb_buf_adds(b, "<p class=\"lead\">Drei Fragen, dann stellt der Lotse "
                   "zusammen, was in Ihrer Lage hilft: Wissen, Anpassungen, "
                   "Förderung, Urteile, Begriffe, Vorlagen und "
                   "Anlaufstellen – und die nächsten drei Schritte.</p>\n");
    step_role(b, &L);
  } else if (!L.situation)
    step_situation(b, &L);
  else if (!done)
    step_limitation(b, &L);
  else
    result(conn, cfg, b, &L);
  kb_buf_adds(b, "</div>\n");
  html_end(b);
  /* The result carries today's date: private, and for a short while. */
  rep->cache = L.role ? REPLY_CACHE_PRIVATE : REPLY_CACHE_PAGE;
}

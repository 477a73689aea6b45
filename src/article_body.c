/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * article_body.c - checks of an article's Markdown body (kb_article.h).
 *
 * The body is parsed by cmark-gfm, the same parser that renders it, and
 * its tree is walked: what rendering would drop or break (a second h1,
 * raw HTML, relative links that 404 on the site, malformed addresses) is
 * reported with the file line it stands on.  Practice examples are also
 * checked for what look like real people's names.
 *
 * Depends on kb_article, kb_diag and cmark-gfm; never prints.
 */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "article_internal.h"
#include "kb_article.h"
#include "kb_rules.h"

typedef struct body_ctx {
  const kb_article *a;
  kb_diags *diags;
  size_t errors;
} body_ctx;

static unsigned file_line(const body_ctx *b, cmark_node *n) {
  int l = cmark_node_get_start_line(n);
  return b->a->body_line + (unsigned)(l > 0 ? l - 1 : 0);
}

#define error(b, n, code, ...)                                                 \
  do {                                                                         \
    kb_diags_add((b)->diags, KB_SEV_ERROR, (b)->a->path, file_line((b), (n)),  \
                 (code), __VA_ARGS__);                                         \
    (b)->errors++;                                                             \
  } while (0)

static bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

/* "https://host.tld[:port][/...]": a host of letters, digits, '-' and
 * dots with at least one dot, no empty label. */
static bool web_address_ok(const char *url) {
  const char *h = strstr(url, "://") + 3;
  size_t n = strcspn(h, ":/?#");
  if (n == 0 || n > 253 || h[0] == '.' || h[n - 1] == '.' || h[0] == '-')
    return false;
  bool dot = false;
  for (size_t i = 0; i < n; i++) {
    if (h[i] == '.') {
      if (h[i + 1] == '.')
        return false;
      dot = true;
    } else if (!is_alnum(h[i]) && h[i] != '-' && (unsigned char)h[i] < 0x80) {
      return false;
    }
  }
  if (!dot)
    return false;
  if (h[n] == ':') { /* a port: digits only */
    const char *p = h + n + 1;
    size_t d = strspn(p, "0123456789");
    if (d == 0 || d > 5 ||
        (p[d] != '\0' && p[d] != '/' && p[d] != '?' && p[d] != '#'))
      return false;
  }
  return strpbrk(url, " <>\"") == NULL;
}

static void check_link(body_ctx *b, cmark_node *n) {
  const char *url = cmark_node_get_url(n);
  if (url == NULL || *url == '\0') {
    error(b, n, "bad-link", "a link has no address");
    return;
  }
  if (url[0] == '#' || (url[0] == '/' && url[1] != '/'))
    return; /* on this site; /<kind>/<id> is checked corpus-wide */
  if (strncmp(url, "//", 2) == 0) {
    error(b, n, "bad-link",
          "link '%s' has no scheme; write the full address with https://", url);
    return;
  }
  if (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) {
    if (!web_address_ok(url))
      error(b, n, "bad-link",
            "link '%s' is not a well-formed web address (like "
            "https://www.gesetze-im-internet.de/sgb_9_2018/__167.html)",
            url);
    return;
  }
  if (strncmp(url, "mailto:", 7) == 0) {
    if (strchr(url + 7, '@') == NULL || strchr(url, ' '))
      error(b, n, "bad-link",
            "e-mail link '%s' needs an address like "
            "mailto:name@example.org",
            url);
    return;
  }
  if (strncmp(url, "tel:", 4) == 0) {
    if (url[4 + strspn(url + 4, "+0123456789-")] != '\0' || url[4] == '\0')
      error(b, n, "bad-link",
            "phone link '%s' may hold only digits, '+' and '-'", url);
    return;
  }
  const char *colon = strchr(url, ':'), *slash = strchr(url, '/');
  if (colon && (slash == NULL || colon < slash)) {
    error(b, n, "bad-link",
          "link '%s' uses an address scheme the site does not allow (use "
          "https://, mailto: or tel:)",
          url);
    return;
  }
  /* "inklusionsamt", "../recht/x.md", "artikel/x": relative to the page
   * they resolve under /artikel/ or nowhere - a 404 for the reader. */
  error(b, n, "relative-link",
        "relative link '%s' leads to a missing page on the site; link "
        "articles as '/artikel/<id>' and other sites with https://",
        url);
}

static void check_html(body_ctx *b, cmark_node *n) {
  const char *raw = cmark_node_get_literal(n);
  char shown[48];
  size_t len = raw ? strcspn(raw, "\n") : 0;
  if (len >= sizeof shown)
    len = sizeof shown - 1;
  memcpy(shown, raw ? raw : "", len);
  shown[len] = '\0';
  error(b, n, "raw-html",
        "raw HTML '%s' is not shown on the site; write it in Markdown (a "
        "line break is a blank line, emphasis is *text*)",
        shown);
}

static bool upper_start(const char *s) {
  unsigned char c = (unsigned char)s[0];
  /* A-Z, and the UTF-8 capitals Ä Ö Ü (C3 84, C3 96, C3 9C). */
  return (c >= 'A' && c <= 'Z') || (c == 0xC3 && ((unsigned char)s[1] == 0x84 ||
                                                  (unsigned char)s[1] == 0x96 ||
                                                  (unsigned char)s[1] == 0x9C));
}

/* Length of a word of letters at s (ASCII and UTF-8 bytes). */
static size_t word_len(const char *s) {
  size_t n = 0;
  while (is_alnum(s[n]) || (unsigned char)s[n] >= 0x80 || s[n] == '-')
    n++;
  return n;
}

/* In an invented case, "Frau Becker" or "Sven Meyer (45)" reads like a
 * real person: invented cases use first names or initials ("Frau B."). */
static void check_names(body_ctx *b, cmark_node *n) {
  const char *t = cmark_node_get_literal(n);
  for (const char *p = t; p && *p; p++) {
    if (p != t && (is_alnum(p[-1]) || (unsigned char)p[-1] >= 0x80))
      continue;
    size_t w1 = word_len(p);
    if (w1 < 2 || !upper_start(p) || p[w1] != ' ' || !upper_start(p + w1 + 1))
      continue;
    const char *second = p + w1 + 1;
    size_t w2 = word_len(second);
    bool title = (w1 == 4 &&
                  (strncmp(p, "Frau", 4) == 0 || strncmp(p, "Herr", 4) == 0)) ||
                 (w1 == 5 && strncmp(p, "Herrn", 5) == 0);
    bool aged = strncmp(second + w2, " (", 2) == 0 && second[w2 + 2] >= '0' &&
                second[w2 + 2] <= '9';
    if (w2 >= 2 && second[w2] != '.' && (title || aged)) {
      char name[64];
      size_t len = (size_t)(second + w2 - p);
      if (len >= sizeof name)
        len = sizeof name - 1;
      memcpy(name, p, len);
      name[len] = '\0';
      kb_diags_add(b->diags, KB_SEV_WARNING, b->a->path, file_line(b, n),
                   "real-name",
                   "'%s' reads like a real person's full name; invented "
                   "cases use first names or initials ('Frau B.')",
                   name);
    }
  }
}

static bool has_invented_note(cmark_node *doc) {
  cmark_iter *it = cmark_iter_new(doc);
  bool found = false;
  cmark_event_type ev;
  while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    const char *lit =
        ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_TEXT
            ? cmark_node_get_literal(n)
            : NULL;
    found = lit && strstr(lit, "erfunden") != NULL;
  }
  cmark_iter_free(it);
  return found;
}

/* cmark-gfm's extension registry is process-global; register it once. */
static pthread_once_t ext_once = PTHREAD_ONCE_INIT;
static void register_extensions(void) {
  cmark_gfm_core_extensions_ensure_registered();
}

void kbi_cmark_init(void) { pthread_once(&ext_once, register_extensions); }

cmark_parser *kbi_cmark_parser_new(int opts) {
  kbi_cmark_init();
  cmark_parser *p = cmark_parser_new(opts);
  if (p == NULL)
    return NULL;
  static const char *const exts[] = {"table", "strikethrough", "autolink"};
  for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
    cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
    if (e)
      cmark_parser_attach_syntax_extension(p, e);
  }
  return p;
}

cmark_node *kbi_cmark_read(cmark_parser *p, const char *text, size_t len) {
  static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&mu);
  cmark_parser_feed(p, text, len);
  cmark_node *doc = cmark_parser_finish(p);
  pthread_mutex_unlock(&mu);
  return doc;
}

size_t kb_article_check_body(const kb_article *a, kb_diags *diags) {
  /* What would make cmark-gfm slow is refused before it parses. */
  kbi_body_excess e;
  if (!kbi_body_within_limits(a->body, a->body_len, &e)) {
    kbi_body_excess_diag(a, &e, diags);
    return 1;
  }
  cmark_parser *p =
      kbi_cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS);
  if (p == NULL)
    return 0;
  cmark_node *doc = kbi_cmark_read(p, a->body, a->body_len);
  cmark_parser_free(p);
  if (doc == NULL)
    return 0;
  if (!kbi_tree_within_limits(doc, &e)) {
    cmark_node_free(doc);
    kbi_body_excess_diag(a, &e, diags);
    return 1;
  }
  body_ctx b = {.a = a, .diags = diags};
  bool invented = kb_article_invented(a);
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER)
      continue;
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    if (t == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 1) {
      cmark_node *first = cmark_node_first_child(n);
      const char *text = first ? cmark_node_get_literal(first) : NULL;
      error(&b, n, "heading-level",
            "a level-1 heading ('# %s') in the body; the title is the page's "
            "only level-1 heading, start sections with '##'",
            text ? text : "");
    } else if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE)
      check_html(&b, n);
    else if (t == CMARK_NODE_LINK)
      check_link(&b, n);
    else if (t == CMARK_NODE_TEXT && invented)
      check_names(&b, n);
  }
  cmark_iter_free(it);
  if (invented && !has_invented_note(doc)) {
    kb_diags_add(diags, KB_SEV_ERROR, a->path, a->body_line, "invented-note",
                 "a practice example must end with the note that the case "
                 "is invented ('*Der Fall ist erfunden; Ähnlichkeiten mit "
                 "realen Personen oder Betrieben sind nicht beabsichtigt.*'), "
                 "or declare 'fall: real' and name its sources");
    b.errors++;
  }
  cmark_node_free(doc);
  return b.errors;
}

/* ---- figures quoted from rules ---------------------------------------- */

typedef struct refs_ctx {
  kb_article *a;
  kb_diags *diags;
  const char *today;
  size_t errors;
} refs_ctx;

static bool check_ref(const char *field, const char *date, unsigned line,
                      bool ok, void *p) {
  refs_ctx *r = p;
  const kb_article *a = r->a;
  unsigned at = a->body_line + line - 1;
  if (!ok) {
    kb_diags_add(r->diags, KB_SEV_ERROR, a->path, at, "rule-ref",
                 "malformed rule figure '{{regel:%s%s%s}}'; write "
                 "'{{regel:<field>}}' or '{{regel:<field>@YYYY-MM-DD}}' on one "
                 "line",
                 field, date[0] ? "@" : "", date);
    r->errors++;
  } else if (!kb_rules_has_field(a->rules, field)) {
    kb_diags_add(r->diags, KB_SEV_ERROR, a->path, at, "rule-ref",
                 "no rule '%s' in regeln/; the figures an article can quote "
                 "are the 'feld' names there",
                 field);
    r->errors++;
  } else if (kb_rules_find(a->rules, field, date[0] ? date : r->today) ==
             NULL) {
    kb_diags_add(r->diags, KB_SEV_ERROR, a->path, at, "rule-ref",
                 "no rule for '%s' on %s; add it to regeln/ or quote a dated "
                 "figure ('{{regel:%s@YYYY-MM-DD}}')",
                 field, date[0] ? date : r->today, field);
    r->errors++;
  }
  return true;
}

/* The record's field of type `expiry` its kind declares, or
 * KB_SCHEMA_NONE. */
static size_t expiry_field(const kb_article *a) {
  for (size_t j = 0; a->kind && j < a->kind->nfields; j++)
    if (a->schema->fields[a->kind->fields[j].field].type == KB_FT_EXPIRY)
      return a->kind->fields[j].field;
  return KB_SCHEMA_NONE;
}

size_t kb_article_check_rules(kb_article *a, kb_diags *diags) {
  if (a->body == NULL || strstr(a->body, KB_RULE_REF_OPEN) == NULL)
    return 0;
  char today[11];
  kb_date_today(today);
  refs_ctx r = {.a = a, .diags = diags, .today = today};
  kb_rules_each_ref(a->body, a->body_len, check_ref, &r);
  if (r.errors)
    return r.errors;
  char *out = NULL, until[11] = "";
  if (kb_rules_expand(a->rules, a->body, a->body_len, today, &out, until,
                      NULL) != KB_OK)
    return 0; /* out of memory: rendering will say so */
  free(out);
  size_t d = expiry_field(a);
  if (until[0] == '\0' || d == KB_SCHEMA_NONE)
    return 0;
  kb_strv *v = &a->values[d];
  if (v->n && strcmp(v->v[0], until) <= 0)
    return 0;
  if (v->n == 0) {
    kb_strv_push(v, until);
  } else {
    char *copy = strdup(until);
    if (copy) {
      free(v->v[0]);
      v->v[0] = copy;
    }
  }
  return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_search.c - `teilhabe search`: the search from a terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kb_buf.h"
#include "kb_json.h"
#include "kb_search.h"

static void help(FILE *out) {
  fprintf(out,
          "usage: teilhabe search [--db DIR] [--json] [--type T] "
          "[--audience A]\n"
          "                       [--disability D] [--norm LAW] [--page N] "
          "[--per-page N]\n"
          "                       [--filter FACET=VALUE] [--sort "
          "relevance|updated] [QUERY...]\n\n"
          "Searches the index like the web site does.  Filters may repeat; "
          "values of\none filter combine with OR, different filters with "
          "AND.  Without a query,\nlists the articles matching the filters, "
          "newest first.\n\n"
          "  --json    print the result as the API's JSON (docs/api.md)\n"
          "  --filter  any facet of the corpus schema, e.g. kind=urteil or "
          "court=bag\n");
}

/* Prints a snippet for a terminal: <mark> becomes *...*, entities are
 * decoded (the snippet is HTML). */
static void print_snippet(const char *s) {
  while (*s) {
    if (strncmp(s, "<mark>", 6) == 0 || strncmp(s, "</mark>", 7) == 0) {
      putchar('*');
      s += s[1] == '/' ? 7 : 6;
    } else if (*s == '&') {
      static const struct {
        const char *ent, *ch;
      } ents[] = {{"&amp;", "&"},
                  {"&lt;", "<"},
                  {"&gt;", ">"},
                  {"&quot;", "\""},
                  {"&#39;", "'"}};
      bool done = false;
      for (size_t i = 0; i < 5 && !done; i++) {
        size_t n = strlen(ents[i].ent);
        if (strncmp(s, ents[i].ent, n) == 0) {
          fputs(ents[i].ch, stdout);
          s += n;
          done = true;
        }
      }
      if (!done)
        putchar(*s++);
    } else {
      putchar(*s++);
    }
  }
}

enum {
  OPT_HELP = 256,
  OPT_JSON,
  OPT_DB,
  OPT_TYPE,
  OPT_AUDIENCE,
  OPT_DISABILITY,
  OPT_NORM,
  OPT_PAGE,
  OPT_PER_PAGE,
  OPT_SORT,
  OPT_FILTER,
};

static const struct option options[] = {
    {.name = "help", .has_arg = no_argument, .val = OPT_HELP},
    {.name = "json", .has_arg = no_argument, .val = OPT_JSON},
    {.name = "db", .has_arg = required_argument, .val = OPT_DB},
    {.name = "type", .has_arg = required_argument, .val = OPT_TYPE},
    {.name = "audience", .has_arg = required_argument, .val = OPT_AUDIENCE},
    {.name = "disability", .has_arg = required_argument, .val = OPT_DISABILITY},
    {.name = "norm", .has_arg = required_argument, .val = OPT_NORM},
    {.name = "page", .has_arg = required_argument, .val = OPT_PAGE},
    {.name = "per-page", .has_arg = required_argument, .val = OPT_PER_PAGE},
    {.name = "sort", .has_arg = required_argument, .val = OPT_SORT},
    {.name = "filter", .has_arg = required_argument, .val = OPT_FILTER},
    {0},
};

/* Filters as given, resolved against the index's schema once it is
 * open: the facets are declared there. */
typedef struct pending {
  const char *name[KB_SCHEMA_MAX_FACETS * KB_FILTER_MAX_VALUES];
  char value[KB_SCHEMA_MAX_FACETS * KB_FILTER_MAX_VALUES]
            [KB_FILTER_MAX_BYTES + 1];
  size_t n;
} pending;

static bool add_filter(pending *p, const char *name, const char *v,
                       size_t vlen) {
  if (p->n >= KB_SCHEMA_MAX_FACETS * KB_FILTER_MAX_VALUES ||
      vlen > KB_FILTER_MAX_BYTES) {
    fprintf(stderr, "teilhabe search: too many or too long filters\n");
    return false;
  }
  p->name[p->n] = name;
  memcpy(p->value[p->n], v, vlen);
  p->value[p->n][vlen] = '\0';
  p->n++;
  return true;
}

/* "kind=urteil" */
static bool add_generic(pending *p, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (eq == NULL || eq == arg || eq[1] == '\0') {
    fprintf(stderr, "teilhabe search: --filter needs FACET=VALUE, not '%s'\n",
            arg);
    return false;
  }
  static char names[KB_SCHEMA_MAX_FACETS * KB_FILTER_MAX_VALUES][48];
  if ((size_t)(eq - arg) >= sizeof names[0]) {
    fprintf(stderr, "teilhabe search: unknown facet in '%s'\n", arg);
    return false;
  }
  memcpy(names[p->n], arg, (size_t)(eq - arg));
  names[p->n][eq - arg] = '\0';
  return add_filter(p, names[p->n], eq + 1, strlen(eq + 1));
}

/* Puts the pending filters into `req`; false (with a message) when a
 * facet is unknown or has too many values. */
static bool resolve(const pending *p, const kb_schema *sc,
                    kb_search_request *req) {
  for (size_t i = 0; i < p->n; i++) {
    size_t f = kb_schema_facet(sc, p->name[i]);
    if (f == KB_SCHEMA_NONE) {
      fprintf(stderr, "teilhabe search: the index has no facet '%s'\n",
              p->name[i]);
      return false;
    }
    if (req->nfilters[f] >= KB_FILTER_MAX_VALUES) {
      fprintf(stderr, "teilhabe search: too many %s filters\n", p->name[i]);
      return false;
    }
    req->filters[f][req->nfilters[f]++] = p->value[i];
  }
  return true;
}

/* Sets option `c` of cli_getopt() with value `v` in `req`; false after a
 * usage error. */
static bool set_option(kb_search_request *req, pending *p, int c,
                       const char *v) {
  switch (c) {
  case OPT_TYPE:
    return add_filter(p, "type", v, strlen(v));
  case OPT_AUDIENCE:
    return add_filter(p, "audience", v, strlen(v));
  case OPT_DISABILITY:
    return add_filter(p, "disability", v, strlen(v));
  case OPT_NORM:
    return add_filter(p, "norm", v, strlen(v));
  case OPT_FILTER:
    return add_generic(p, v);
  case OPT_PAGE:
    if (cli_uint(v, 1, KB_PAGE_MAX, &req->page))
      return true;
    fprintf(stderr, "teilhabe search: --page must be 1 to %d\n", KB_PAGE_MAX);
    return false;
  case OPT_PER_PAGE:
    if (cli_uint(v, 1, KB_PER_PAGE_MAX, &req->per_page))
      return true;
    fprintf(stderr, "teilhabe search: --per-page must be 1 to %d\n",
            KB_PER_PAGE_MAX);
    return false;
  case OPT_SORT:
    if (strcmp(v, "updated") == 0)
      req->sort = KB_SORT_UPDATED;
    else if (strcmp(v, "relevance") != 0) {
      fprintf(stderr, "teilhabe search: --sort is relevance or updated\n");
      return false;
    }
    return true;
  default: /* '?': cli_getopt() has said what is wrong */
    return false;
  }
}

int cmd_search(int argc, char **argv) {
  const char *db = cli_default_db();
  bool json = false, done = false, bad = false;
  kb_search_request req = {0};
  static pending filters;
  filters.n = 0;
  kb_buf q = KB_BUF_INIT(KB_QUERY_MAX_BYTES * 4);
  cli_parser args = {.cmd = "search", .opts = options, .dash_words = true};
  while (!done && !bad) {
    int c = cli_getopt(argc, argv, &args);
    switch (c) {
    case OPT_HELP:
      help(stdout);
      kb_buf_release(&q);
      return EXIT_OK;
    case OPT_JSON:
      json = true;
      break;
    case OPT_DB:
      db = optarg;
      break;
    case CLI_WORD: /* query words may stand between the options */
      if (q.len)
        kb_buf_addc(&q, ' ');
      kb_buf_adds(&q, optarg);
      break;
    case -1:
      done = true;
      break;
    default: /* a filter, --page, --per-page, --sort, or '?' */
      bad = !set_option(&req, &filters, c, optarg);
      break;
    }
  }
  if (bad) {
    kb_buf_release(&q);
    return EXIT_USAGE;
  }
  req.query = kb_buf_str(&q);

  char *err = NULL;
  kb_searcher *s = NULL;
  kb_search_result *r = NULL;
  int rc = EXIT_OK;
  kb_status st = kb_searcher_open(db, &s, &err);
  if (st != KB_OK) {
    fprintf(stderr, "teilhabe search: %s\n", err ? err : kb_status_str(st));
    rc = EXIT_RUNTIME;
    goto out;
  }
  if (!resolve(&filters, kb_searcher_vocab(s)->schema, &req)) {
    rc = EXIT_USAGE;
    goto out;
  }
  st = kb_search(s, &req, &r, &err);
  if (st == KB_ERR_INVALID || st == KB_ERR_LIMIT) {
    fprintf(stderr, "teilhabe search: %s\n", err ? err : kb_status_str(st));
    rc = EXIT_USAGE;
    goto out;
  }
  if (st != KB_OK) {
    fprintf(stderr, "teilhabe search: %s\n", err ? err : kb_status_str(st));
    rc = EXIT_RUNTIME;
    goto out;
  }
  if (json) {
    char *text = kb_json_search_result(r, kb_searcher_vocab(s));
    if (text)
      puts(text);
    free(text);
    goto out;
  }
  if (r->corrected)
    printf("Keine Treffer für „%s“ – gezeigt werden Treffer für „%s“.\n",
           r->query, r->suggestion);
  else if (r->with_suggestion)
    printf("Auch gesucht nach „%s“.\n", r->suggestion);
  else if (r->suggestion)
    printf("Meinten Sie: %s\n", r->suggestion);
  if (r->relaxed)
    printf("Kein Artikel enthält alle Suchwörter; gezeigt werden Artikel "
           "mit einigen davon.\n");
  if (r->short_wildcard)
    puts(KB_SHORT_WILDCARD_HINT);
  if (r->definition)
    printf("%s: %s\n", r->definition->title, r->definition->summary);
  printf("%llu %s gefunden\n", (unsigned long long)r->total,
         r->total == 1 ? "Eintrag" : "Einträge");
  for (size_t i = 0; i < r->nhits; i++) {
    const kb_hit *h = &r->hits[i];
    printf("\n%zu. %s\n   %s · Stand %s · %s\n   ",
           (size_t)(r->page - 1) * r->per_page + i + 1, h->title, h->label,
           h->updated, h->url);
    print_snippet(h->snippet[0] ? h->snippet : h->summary);
    putchar('\n');
  }
out:
  kb_search_result_free(r);
  kb_searcher_close(s);
  free(err);
  kb_buf_release(&q);
  return rc;
}

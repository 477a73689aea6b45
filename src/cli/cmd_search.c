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
          "                       [--sort relevance|updated] [QUERY...]\n\n"
          "Searches the index like the web site does.  Filters may repeat; "
          "values of\none filter combine with OR, different filters with "
          "AND.  Without a query,\nlists the articles matching the filters, "
          "newest first.\n\n"
          "  --json   print the result as the API's JSON (docs/api.md)\n");
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

int cmd_search(int argc, char **argv) {
  const char *db = cli_default_db(), *v = NULL;
  bool json = false, bad = false;
  kb_search_request req = {0};
  kb_buf q = KB_BUF_INIT(KB_QUERY_MAX_BYTES * 4);
  for (int i = 1; i < argc; i++) {
    kb_facet f = KB_FACET_COUNT;
    if (strcmp(argv[i], "--help") == 0) {
      help(stdout);
      kb_buf_release(&q);
      return EXIT_OK;
    } else if (strcmp(argv[i], "--json") == 0) {
      json = true;
    } else if (cli_opt(argc, argv, &i, "--db", &db, &bad)) {
    } else if (cli_opt(argc, argv, &i, "--type", &v, &bad)) {
      f = KB_FACET_TYPE;
    } else if (cli_opt(argc, argv, &i, "--audience", &v, &bad)) {
      f = KB_FACET_AUDIENCE;
    } else if (cli_opt(argc, argv, &i, "--disability", &v, &bad)) {
      f = KB_FACET_DISABILITY;
    } else if (cli_opt(argc, argv, &i, "--norm", &v, &bad)) {
      f = KB_FACET_NORM;
    } else if (cli_opt(argc, argv, &i, "--page", &v, &bad)) {
      if (!bad && !cli_uint(v, 1, KB_PAGE_MAX, &req.page)) {
        fprintf(stderr, "teilhabe search: --page must be 1 to %d\n",
                KB_PAGE_MAX);
        bad = true;
      }
    } else if (cli_opt(argc, argv, &i, "--per-page", &v, &bad)) {
      if (!bad && !cli_uint(v, 1, KB_PER_PAGE_MAX, &req.per_page)) {
        fprintf(stderr, "teilhabe search: --per-page must be 1 to %d\n",
                KB_PER_PAGE_MAX);
        bad = true;
      }
    } else if (cli_opt(argc, argv, &i, "--sort", &v, &bad)) {
      if (!bad && strcmp(v, "updated") == 0)
        req.sort = KB_SORT_UPDATED;
      else if (!bad && strcmp(v, "relevance") != 0) {
        fprintf(stderr, "teilhabe search: --sort is relevance or updated\n");
        bad = true;
      }
    } else if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2]) {
      fprintf(stderr, "teilhabe search: unknown option '%s'\n", argv[i]);
      bad = true;
    } else {
      if (q.len)
        kb_buf_addc(&q, ' ');
      kb_buf_adds(&q, argv[i]);
    }
    if (f != KB_FACET_COUNT && !bad) {
      if (req.nfilters[f] >= KB_FILTER_MAX_VALUES) {
        fprintf(stderr, "teilhabe search: too many %s filters\n",
                kb_facet_name(f));
        bad = true;
      } else {
        req.filters[f][req.nfilters[f]++] = v;
      }
    }
    if (bad)
      break;
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
    json_t *j = kb_json_search_result(r);
    char *text = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
    if (text)
      puts(text);
    free(text);
    json_decref(j);
    goto out;
  }
  if (r->corrected)
    printf("Keine Treffer für „%s“ – gezeigt werden Treffer für „%s“.\n",
           r->query, r->suggestion);
  else if (r->suggestion)
    printf("Meinten Sie: %s\n", r->suggestion);
  if (r->relaxed)
    printf("Kein Artikel enthält alle Suchwörter; gezeigt werden Artikel "
           "mit einigen davon.\n");
  printf("%llu Artikel gefunden\n", (unsigned long long)r->total);
  for (size_t i = 0; i < r->nhits; i++) {
    const kb_hit *h = &r->hits[i];
    printf("\n%zu. %s\n   %s · Stand %s · /artikel/%s\n   ",
           (size_t)(r->page - 1) * r->per_page + i + 1, h->title, h->type_label,
           h->updated, h->id);
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

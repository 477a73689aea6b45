/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_explain.c - `teilhabe explain QUERY`: the query as it is run.
 *
 * Says which words were taken as topic words and which passed over as
 * function words, how many topic words a result must contain, which
 * citations were recognised, how BM25 weighs (sentences and keywords
 * differ), and prints the Xapian query the search runs
 * (with synonyms, everyday words, compound parts, file numbers) - the
 * plan kb_search builds, with the index's own tables.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kb_query.h"
#include "kb_search.h"
#include "kb_xapian.h"

static void help(FILE *out) {
  fprintf(out,
          "usage: teilhabe explain [--db DIR] QUERY...\n\n"
          "Shows how the search reads QUERY with the index at DIR (default "
          "%s):\nthe topic words and the function words passed over, how "
          "many topic\nwords a result needs, recognised citations, and the "
          "Xapian query run.\n",
          DEFAULT_DB);
}

static void words(const char *label, const kb_strv *w) {
  printf("%s", label);
  for (size_t i = 0; i < w->n; i++)
    printf("%s%s", i ? ", " : " ", w->v[i]);
  printf("%s\n", w->n ? "" : " -");
}

static void print_plan(const kb_query_plan *p) {
  words("Themenwörter:", &p->topic_words);
  words("Übergangen:  ", &p->skipped_words);
  if (p->topic_words.n > 1 && p->words_needed < p->topic_words.n)
    printf("Ein Treffer braucht mindestens %zu der %zu Themenwörter; mehr "
           "Treffer stehen weiter oben.\n",
           p->words_needed, p->topic_words.n);
  else if (p->fill)
    printf("Ein Treffer braucht alle Themenwörter; füllen sie keine Seite, "
           "folgen Treffer mit einem Teil davon.\n");
  else if (p->topic_words.n)
    printf("Ein Treffer braucht alle Themenwörter.\n");
  double k1, b;
  kb_query_bm25(p, &k1, &b);
  if (p->topic_words.n)
    printf("Gewichtung:   BM25 mit k1 = %.1f, b = %.2f (%s)\n", k1, b,
           p->sentence ? "Satz oder Frage" : "Stichwörter");
  words("Rechtsgrundlagen:", &p->citations);
  if (p->suggestion)
    printf("Schreibvorschlag: %s%s\n", p->suggestion,
           p->with_suggestion ? " (auch gesucht)" : "");
  char *d = p->query ? kbx_query_describe(p->query) : NULL;
  printf("\nXapian-Anfrage:\n%s\n", d ? d : "(alle Einträge)");
  free(d);
  if (p->filter) {
    d = kbx_query_describe(p->filter);
    printf("Filter:\n%s\n", d ? d : "-");
    free(d);
  }
}

enum { OPT_HELP = 256, OPT_DB };

static const struct option options[] = {
    {.name = "help", .has_arg = no_argument, .val = OPT_HELP},
    {.name = "db", .has_arg = required_argument, .val = OPT_DB},
    {0},
};

int cmd_explain(int argc, char **argv) {
  const char *db = cli_default_db();
  cli_parser args = {.cmd = "explain", .opts = options, .dash_words = true};
  kb_buf q = KB_BUF_INIT(KB_QUERY_MAX_BYTES * 4);
  for (int c; (c = cli_getopt(argc, argv, &args)) != -1;) {
    if (c == OPT_HELP) {
      help(stdout);
      kb_buf_release(&q);
      return EXIT_OK;
    } else if (c == OPT_DB) {
      db = optarg;
    } else if (c == CLI_WORD) {
      if (q.len)
        kb_buf_addc(&q, ' ');
      kb_buf_adds(&q, optarg);
    } else {
      kb_buf_release(&q);
      return EXIT_USAGE;
    }
  }
  char *err = NULL;
  kb_searcher *s = NULL;
  kb_query_plan plan = {0};
  int rc = EXIT_OK;
  kb_status st = kb_searcher_open(db, &s, &err);
  if (st == KB_OK)
    st = kb_query_build(kb_searcher_analyzer(s), kb_searcher_db(s),
                        kb_searcher_vocab(s), kb_searcher_lexicon(s),
                        kb_buf_str(&q), 0, &plan, &err);
  if (st == KB_OK)
    print_plan(&plan);
  else {
    fprintf(stderr, "teilhabe explain: %s\n", err ? err : kb_status_str(st));
    rc = EXIT_RUNTIME;
  }
  kb_query_plan_release(&plan);
  kb_searcher_close(s);
  free(err);
  kb_buf_release(&q);
  return rc;
}

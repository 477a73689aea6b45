/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_stats.c - `teilhabe stats`: the editorial report on a terminal.
 */
#include <stdlib.h>

#include "../src/cli/cli.h"
#include "kb_stats.h"
#include "report.h"

static void help(FILE *out) {
  fprintf(out, "usage: teilhabe stats [--json] [--zero-results FILE] "
               "(CORPUS_DIR | --db DIR)\n\n"
               "Reports record counts per kind and per value of every facet of "
               "the\nschema, the age of the Stand dates, records older than "
               "their kind's\n'stale' rule, records without links, vocabulary "
               "values without records\nand, with --zero-results, the most "
               "frequent queries that found nothing.\n");
}

static void print_text(const kb_stats *s) {
  printf("Bericht vom %s: %zu Einträge\n", s->today, s->total);
  for (size_t f = 0; f < s->nfacets; f++) {
    if (s->per[f] == NULL)
      continue;
    printf("\nNach %s\n", s->facet_labels[f]);
    for (size_t k = 0; k < s->nper[f]; k++)
      printf("  %5zu  %s\n", s->per[f][k].count, s->per[f][k].label);
  }
  printf("\nAlter des Stands\n  %5zu  unter 6 Monaten\n  %5zu  6 bis 12 "
         "Monate\n  %5zu  12 bis 24 Monate\n  %5zu  älter\n",
         s->age[KB_AGE_6M], s->age[KB_AGE_12M], s->age[KB_AGE_24M],
         s->age[KB_AGE_OLDER]);
  printf("\nZu prüfen (Stand älter als die Frist ihrer Art): %zu\n", s->nstale);
  for (size_t i = 0; i < s->nstale; i++)
    printf("  %s  %s (%s)\n", s->stale[i].updated, s->stale[i].title,
           s->stale[i].id);
  printf("\nOhne Verknüpfung: %zu\n", s->nislands);
  for (size_t i = 0; i < s->nislands; i++)
    printf("  %s (%s)\n", s->islands[i].title, s->islands[i].id);
  printf("\nVokabular ohne Artikel:");
  size_t unused = 0;
  for (size_t f = 0; f < s->nfacets; f++)
    for (size_t k = 0; s->per[f] && k < s->nper[f]; k++)
      if (s->per[f][k].count == 0) {
        printf("%s%s", unused++ ? ", " : " ", s->per[f][k].key);
      }
  printf("%s\n", unused ? "" : " keine");
  if (s->zero_total) {
    printf("\nSuchen ohne Treffer (%zu insgesamt), häufigste:\n",
           s->zero_total);
    for (size_t i = 0; i < s->nzero; i++)
      printf("  %5zu  %s\n", s->zero[i].count, s->zero[i].query);
  }
  if (s->low_total) {
    printf("\nSuchen mit nur ein oder zwei Treffern (%zu insgesamt), "
           "häufigste:\n",
           s->low_total);
    for (size_t i = 0; i < s->nlow; i++)
      printf("  %5zu  %s\n", s->low[i].count, s->low[i].query);
  }
}

enum { OPT_HELP = 256, OPT_JSON, OPT_DB, OPT_ZERO_RESULTS };

static const struct option options[] = {
    {.name = "help", .has_arg = no_argument, .val = OPT_HELP},
    {.name = "json", .has_arg = no_argument, .val = OPT_JSON},
    {.name = "db", .has_arg = required_argument, .val = OPT_DB},
    {.name = "zero-results",
     .has_arg = required_argument,
     .val = OPT_ZERO_RESULTS},
    {0},
};

int cmd_stats(int argc, char **argv) {
  const char *db = NULL, *dir = NULL, *zero = NULL;
  bool json = false, done = false, bad = false;
  cli_parser args = {.cmd = "stats", .opts = options};
  while (!done && !bad) {
    switch (cli_getopt(argc, argv, &args)) {
    case OPT_HELP:
      help(stdout);
      return EXIT_OK;
    case OPT_JSON:
      json = true;
      break;
    case OPT_DB:
      db = optarg;
      break;
    case OPT_ZERO_RESULTS:
      zero = optarg;
      break;
    case CLI_WORD:
      bad = !cli_one_folder("stats", &dir, optarg);
      break;
    case -1:
      done = true;
      break;
    default:
      bad = true;
      break;
    }
  }
  if (bad || (dir && db)) {
    if (dir && db)
      fprintf(stderr, "teilhabe stats: give a corpus folder or --db, not "
                      "both\n");
    return EXIT_USAGE;
  }
  kb_stats *s = NULL;
  char *err = NULL;
  kb_status st;
  if (dir) {
    kb_diags d;
    kb_diags_init(&d);
    kb_corpus *c = NULL;
    st = kb_corpus_load(dir, &c, &d);
    if (st != KB_OK) {
      kb_diags_sort(&d);
      report_text(stderr, &d, false);
      kb_diags_release(&d);
      fprintf(stderr, "teilhabe stats: the corpus has errors; run 'teilhabe "
                      "lint'\n");
      return st == KB_ERR_PARSE ? EXIT_FOUND_ERRORS : EXIT_RUNTIME;
    }
    kb_diags_release(&d);
    st = kb_stats_from_corpus(c, NULL, &s, &err);
    kb_corpus_free(c);
  } else {
    st = kb_stats_from_index(db ? db : cli_default_db(), NULL, &s, &err);
  }
  if (st == KB_OK && zero) {
    st = kb_stats_read_zero_log(s, zero, 25, &err);
    if (st == KB_ERR_NOT_FOUND) { /* nothing logged yet is not an error */
      free(err);
      err = NULL;
      st = KB_OK;
    }
  }
  if (st != KB_OK) {
    fprintf(stderr, "teilhabe stats: %s\n", err ? err : kb_status_str(st));
    free(err);
    kb_stats_free(s);
    return EXIT_RUNTIME;
  }
  if (json) {
    char *text = kb_stats_json(s);
    if (text)
      puts(text);
    free(text);
  } else {
    print_text(s);
  }
  kb_stats_free(s);
  return EXIT_OK;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_analyze.c - `teilhabe analyze`: why does X (not) find Y?
 *
 * Shows, for each word, what the search engine makes of it: the
 * normalised form, the compound parts, the stem and the synonyms - with
 * the lexicon and synonym table of the index, so the answer is exactly
 * what the search does (like Elasticsearch's _analyze).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kb_analysis.h"
#include "kb_compound.h"
#include "kb_search.h"
#include "kb_xapian.h"

static void help(FILE *out) {
  fprintf(out,
          "usage: teilhabe analyze [--db DIR] [--json] TEXT...\n\n"
          "Prints for each word of TEXT the normalised form, its compound "
          "parts (head\nlast), its stem and its synonyms, as the index at "
          "DIR (default %s)\nsees them.  With --json, one array with an "
          "object per word:\n"
          "{\"word\", \"normalized\", \"parts\": [...], \"stem\", "
          "\"synonyms\": [...]}\n",
          DEFAULT_DB);
}

typedef struct analysis {
  kb_searcher *s;
  json_t *out;
  char **reterr_msg;
} analysis;

static bool add_synonym(const char *syn, size_t len, void *ctx) {
  json_t *arr = ctx;
  for (size_t i = 0; i < json_array_size(arr); i++)
    if (strcmp(json_string_value(json_array_get(arr, i)), syn) == 0)
      return true;
  json_array_append_new(arr, json_stringn(syn, len));
  return json_array_size(arr) < 50;
}

static bool one_word(const kb_token *t, void *ctx) {
  analysis *a = ctx;
  if (t->flags & KB_TOK_PART)
    return true; /* a hyphenated word is shown once, joined */
  json_t *parts = json_array(), *atoms = json_array(), *syns = json_array();
  const kb_lexicon *lex = kb_searcher_lexicon(a->s);
  kb_compound_parts cp;
  if (lex && kb_compound_split(lex, t->word, t->len, &cp) == KB_OK &&
      cp.n > 1) {
    for (unsigned i = 0; i < cp.n; i++)
      json_array_append_new(parts, json_string(cp.top[i].form));
    for (unsigned i = 0; i < cp.n_atoms; i++)
      json_array_append_new(atoms, json_string(cp.atoms[i].form));
  }
  kbx_db *db = kb_searcher_db(a->s);
  char zkey[KB_WORD_MAX * 2 + 8];
  snprintf(zkey, sizeof zkey, "Z%s", t->stem);
  kbx_db_synonyms(db, t->word, add_synonym, syns, NULL);
  kbx_db_synonyms(db, zkey, add_synonym, syns, NULL);
  json_array_append_new(
      a->out, json_pack("{s:s, s:s, s:o, s:o, s:s, s:o}", "word", t->word,
                        "normalized", t->word, "parts", parts, "atoms", atoms,
                        "stem", t->stem, "synonyms", syns));
  return true;
}

enum { OPT_HELP = 256, OPT_JSON, OPT_DB };

static const struct option options[] = {
    {.name = "help", .has_arg = no_argument, .val = OPT_HELP},
    {.name = "json", .has_arg = no_argument, .val = OPT_JSON},
    {.name = "db", .has_arg = required_argument, .val = OPT_DB},
    {0},
};

int cmd_analyze(int argc, char **argv) {
  const char *db = cli_default_db();
  bool json = false;
  cli_parser args = {.cmd = "analyze", .opts = options, .dash_words = true};
  int first = 0; /* TEXT is argv[first..argc-1] */
  while (first == 0) {
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
    case CLI_WORD: /* TEXT runs to the end, even past '--json' */
      first = optind - 1;
      break;
    case -1:
      first = argc;
      break;
    default:
      return EXIT_USAGE;
    }
  }
  if (first >= argc) {
    help(stderr);
    return EXIT_USAGE;
  }
  char *err = NULL;
  kb_searcher *s = NULL;
  if (kb_searcher_open(db, &s, &err) != KB_OK) {
    fprintf(stderr, "teilhabe analyze: %s\n", err ? err : "no index");
    free(err);
    return EXIT_RUNTIME;
  }
  analysis a = {.s = s, .out = json_array()};
  int rc = EXIT_OK;
  for (int i = first; i < argc; i++) {
    /* Each argument keeps its own original spelling as "word". */
    size_t before = json_array_size(a.out);
    uint32_t pos = 0;
    if (kb_analyze(kb_searcher_analyzer(s), argv[i], strlen(argv[i]), &pos,
                   one_word, &a, &err) != KB_OK) {
      fprintf(stderr, "teilhabe analyze: %s\n", err ? err : "cannot analyse");
      rc = EXIT_USAGE;
      break;
    }
    if (json_array_size(a.out) == before + 1)
      json_object_set_new(json_array_get(a.out, before), "word",
                          json_string(argv[i]));
  }
  if (rc == EXIT_OK && json) {
    char *text = json_dumps(a.out, JSON_INDENT(2));
    if (text)
      puts(text);
    free(text);
  } else if (rc == EXIT_OK) {
    size_t i;
    json_t *w;
    json_array_foreach(a.out, i, w) {
      printf("%s\n", json_string_value(json_object_get(w, "word")));
      printf("  normalisiert: %s\n",
             json_string_value(json_object_get(w, "normalized")));
      const char *labels[3] = {"parts", "atoms", "synonyms"};
      const char *names[3] = {"Teile", "ganz zerlegt", "Synonyme"};
      for (int k = 0; k < 3; k++) {
        json_t *arr = json_object_get(w, labels[k]);
        if (json_array_size(arr) == 0)
          continue;
        printf("  %s:%*s", names[k], (int)(13 - strlen(names[k])), "");
        for (size_t j = 0; j < json_array_size(arr); j++)
          printf("%s%s", j ? (k == 2 ? ", " : " + ") : "",
                 json_string_value(json_array_get(arr, j)));
        putchar('\n');
      }
      printf("  Stamm:        %s\n",
             json_string_value(json_object_get(w, "stem")));
    }
  }
  json_decref(a.out);
  free(err);
  kb_searcher_close(s);
  return rc;
}

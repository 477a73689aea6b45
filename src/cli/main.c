/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - the `teilhabe` command: dispatches to its subcommands.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *help;
} commands[] = {
    {"index", cmd_index, "build the search index from a corpus folder"},
    {"lint", cmd_lint, "check a corpus folder and report every problem"},
    {"search", cmd_search, "search the index from the command line"},
    {"analyze", cmd_analyze,
     "show how words are analysed (normalised form, "
     "compound parts, stem, synonyms)"},
    {"serve", cmd_serve, "serve the web site and JSON API"},
    {"preview", cmd_preview,
     "live preview of a corpus folder for librarians (re-indexes on save)"},
    {"stats", cmd_stats,
     "report counts, stale articles and zero-result "
     "queries"},
};

static void usage(FILE *out) {
  fprintf(out, "usage: teilhabe COMMAND [OPTIONS] [ARGS]\n\n"
               "teilhabe - a searchable knowledge base on disability and "
               "work.\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
  fprintf(out,
          "\n'teilhabe COMMAND --help' describes a command.\n\n"
          "The index lives in '%s' unless --db DIR or $TEILHABE_DB says "
          "otherwise.\n\n"
          "exit codes: 0 success, 1 the input has errors (lint, index),\n"
          "            2 wrong command line, 3 the index or a file could "
          "not be used\n",
          DEFAULT_DB);
}

const char *cli_default_db(void) {
  const char *env = getenv("TEILHABE_DB");
  return env && *env ? env : DEFAULT_DB;
}

bool cli_opt(int argc, char **argv, int *i, const char *name,
             const char **value, bool *bad) {
  const char *arg = argv[*i];
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0)
    return false;
  if (arg[n] == '=') {
    *value = arg + n + 1;
    return true;
  }
  if (arg[n] != '\0')
    return false;
  if (*i + 1 >= argc) {
    fprintf(stderr, "teilhabe: option '%s' needs a value\n", name);
    *bad = true;
    return true;
  }
  *value = argv[++*i];
  return true;
}

bool cli_uint(const char *s, unsigned min, unsigned max, unsigned *ret) {
  if (s == NULL || *s < '0' || *s > '9')
    return false;
  errno = 0;
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (errno || *end || v < min || v > max)
    return false;
  *ret = (unsigned)v;
  return true;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("teilhabe %s\n", TEILHABE_VERSION);
    return EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "teilhabe: unknown command '%s' (see 'teilhabe --help')\n",
          argv[1]);
  return EXIT_USAGE;
}

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
    {"explain", cmd_explain,
     "show how the search reads a query (topic words, synonyms, the "
     "query run)"},
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

bool cli_one_folder(const char *cmd, const char **dir, const char *word) {
  if (*dir) {
    fprintf(stderr, "teilhabe %s: one corpus folder only\n", cmd);
    return false;
  }
  *dir = word;
  return true;
}

const char *cli_default_db(void) {
  const char *env = getenv("TEILHABE_DB");
  return env && *env ? env : DEFAULT_DB;
}

/* Whether `arg` spells out option `o` in full: getopt_long would also
 * take an abbreviation ("--qu" for "--quiet"), which our commands never
 * accepted. */
static bool spelled_out(const char *arg, const struct option *o) {
  size_t n = strlen(o->name);
  return strncmp(arg + 2, o->name, n) == 0 &&
         (arg[2 + n] == '\0' || arg[2 + n] == '=');
}

int cli_getopt(int argc, char **argv, cli_parser *p) {
  /* '-': in order, a word is returned as CLI_WORD; ':': a missing value
   * is ':' rather than '?'. */
  static const char optstring[] = "-:";
  if (!p->started) {
    p->started = true;
    optind = 0; /* getopt_long starts afresh at argv[1] */
    opterr = 0; /* the messages are ours */
  }
  if (p->rest) {
    if (optind >= argc)
      return -1;
    optarg = argv[optind++];
    return CLI_WORD;
  }
  int at = optind > 0 ? optind : 1; /* the argument read next */
  int idx = -1;                     /* the option found */
  int c = getopt_long(argc, argv, optstring, p->opts, &idx);
  if (c == -1 && optind < argc) { /* "--" and words after it */
    p->rest = true;
    return cli_getopt(argc, argv, p);
  }
  if (c == -1)
    return -1;
  const char *arg = argv[at];
  if (arg[0] == '-' && arg[1] != '-') {
    /* "-" or "-word".  getopt_long reads the letters of "-word" as
     * one-letter options, one call each; step over the rest of them. */
    while (optind == at)
      getopt_long(argc, argv, optstring, p->opts, NULL);
    if (p->dash_words) {
      optarg = argv[at];
      return CLI_WORD;
    }
    c = '?';
  }
  if (c == ':') /* getopt_long names the option only by its val */
    for (int i = 0; p->opts[i].name; i++)
      if (p->opts[i].val == optopt)
        idx = i;
  if (idx >= 0 && !spelled_out(arg, &p->opts[idx]))
    c = '?';
  if (c == ':') {
    fprintf(stderr, "teilhabe: option '%s' needs a value\n", arg);
    return '?';
  }
  if (c == '?') {
    fprintf(stderr, "teilhabe %s: unknown option '%s'\n", p->cmd, arg);
    return '?';
  }
  return c;
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

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli.h - what the `teilhabe` subcommands share: option helpers, exit
 * codes and the default index path.  The command line, indexer/ and web/
 * may print; library code (src/) never does.
 */
#ifndef TEILHABE_CLI_H
#define TEILHABE_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit codes, documented in `teilhabe --help` and docs/cli.md. */
enum {
  EXIT_OK = 0,
  EXIT_FOUND_ERRORS = 1, /* the input (corpus, query) has errors */
  EXIT_USAGE = 2,        /* the command line is wrong */
  EXIT_RUNTIME = 3,      /* the index or a file could not be used */
};

/* The index used when --db is not given (or $TEILHABE_DB). */
#define DEFAULT_DB "data/index"

const char *cli_default_db(void);

/* If argv[*i] is `--name VALUE` or `--name=VALUE`, stores VALUE, advances
 * *i and returns true.  Prints a usage error and sets *bad when the value
 * is missing. */
bool cli_opt(int argc, char **argv, int *i, const char *name,
             const char **value, bool *bad);

/* Parses a decimal number in [min, max]; false if it is not one. */
bool cli_uint(const char *s, unsigned min, unsigned max, unsigned *ret);

int cmd_index(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_preview(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_analyze(int argc, char **argv);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli.h - what the `teilhabe` subcommands share: option helpers, exit
 * codes and the default index path.  The command line, indexer/ and web/
 * may print; library code (src/) never does.
 */
#ifndef TEILHABE_CLI_H
#define TEILHABE_CLI_H

#include <getopt.h>
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

/* What cli_getopt() returns for an argument that is not an option (the
 * value getopt_long(3) gives a word when it reads in order). */
#define CLI_WORD 1

/* How a subcommand reads its arguments with cli_getopt(): set the first
 * three fields, leave the rest zero. */
typedef struct cli_parser {
  const char *cmd;           /* "search", for the messages */
  const struct option *opts; /* long options, ending with a zero entry */
  bool dash_words;           /* "-" and "-word" are words (a search excludes
                              * "-word"), not unknown options */
  bool started, rest;        /* cli_getopt()'s own: begun, past "--" */
} cli_parser;

/* The next argument of `teilhabe CMD ...` (argv[0] is CMD), read with
 * getopt_long(3) in order and without permuting argv.  Returns
 *  - an option's val, with its value (if it takes one) in optarg:
 *    `--name VALUE` and `--name=VALUE` both work;
 *  - CLI_WORD for any other argument, in optarg (argv[optind - 1]),
 *    wherever it stands; after "--", every argument is a word;
 *  - '?' for an unknown option or an option without its value, after
 *    printing the usage error;
 *  - -1 at the end.
 * Options are spelled out in full; there are no one-letter options. */
int cli_getopt(int argc, char **argv, cli_parser *p);

/* Takes the word `word` as the command's one corpus folder into *dir;
 * false (after printing why) when a folder was given already. */
bool cli_one_folder(const char *cmd, const char **dir, const char *word);

/* Parses a decimal number in [min, max]; false if it is not one. */
bool cli_uint(const char *s, unsigned min, unsigned max, unsigned *ret);

/* The options of the commands that read the configuration file
 * (conffile.h), whose long names are its keys. */
extern const struct option cmd_serve_options[];
extern const struct option cmd_index_options[];
/* The keys of the file's [site] section, the operator's details that
 * `teilhabe serve` shows on its legal pages (web/site.h), NULL-terminated.
 * Each line becomes `--site=KEY=VALUE` for serve. */
extern const char *const cmd_serve_site_keys[];

int cmd_index(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_preview(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_explain(int argc, char **argv);

#endif

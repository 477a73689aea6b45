/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conffile.h - the configuration file that `teilhabe serve` and
 * `teilhabe index` read before their command line (teilhabe.conf(5)).
 *
 * The format is an INI subset: `[serve]` and `[index]` sections, each
 * with `key = value` lines whose keys are that command's long option
 * names, and a `[site]` section with the operator's details (keys:
 * cmd_serve_site_keys); `#` starts a comment line.  The settings become
 * `--key=value` arguments (`--site=key=value` for [site], read by serve)
 * placed before the command line's own, so the command line overrides
 * the file (the last value of an option wins).
 *
 * Which file: `--config FILE` (or `--config=FILE`), else
 * $TEILHABE_CONFIG, else CLI_DEFAULT_CONFIG when it exists.  A missing
 * default file is not an error: without one, nothing changes.
 *
 * Depends on cli.h (the option tables of the commands that read it, and
 * the [site] keys).
 * Front-end code: it prints its errors on stderr.
 */
#ifndef TEILHABE_CLI_CONFFILE_H
#define TEILHABE_CLI_CONFFILE_H

#include <getopt.h>
#include <stdbool.h>

#ifndef TEILHABE_SYSCONFDIR
#define TEILHABE_SYSCONFDIR "/etc"
#endif
/* The file read when neither --config nor $TEILHABE_CONFIG names one. */
#define CLI_DEFAULT_CONFIG TEILHABE_SYSCONFDIR "/teilhabe/teilhabe.conf"

/* Bounds on what the file may hold. */
#define CLI_CONFIG_MAX_LINE 1024 /* bytes per line, with its newline */
#define CLI_CONFIG_MAX_LINES 1000
#define CLI_CONFIG_MAX_SETTINGS 64

/* A command line with the file's settings in front: `argv` is argc
 * strings plus a NULL, argv[0] and the command line's arguments borrowed
 * from the caller's argv, the settings owned.  Release with
 * cli_config_release(). */
typedef struct cli_config {
  int argc;
  char **argv;
  char **owned; /* the "--key=value" strings; owned */
  int n_owned;
} cli_config;

/* Reads the configuration for `teilhabe CMD` (argv[0] is CMD) and fills
 * `cfg` with the command line to parse instead of argc/argv.  Returns an
 * exit code (cli.h): EXIT_OK; EXIT_USAGE after printing
 * `FILE:LINE: problem` for a file that is not valid (an unknown section
 * or key, a line without `=`, a flag that is not true or false, a key
 * given twice, a line or file too long); EXIT_RUNTIME when the file named
 * by --config or $TEILHABE_CONFIG, or an existing default file, cannot
 * be opened or read.  On failure `cfg` is empty (releasing it is harmless). */
int cli_config_load(const char *cmd, int argc, char **argv, cli_config *cfg);

/* Frees what cli_config_load() allocated; `cfg` may be empty. */
void cli_config_release(cli_config *cfg);

/* Runs `run` on the command line with the configuration's settings in
 * front (cli_config_load); its exit code, or cli_config_load's when the
 * file cannot be used. */
int cli_config_run(const char *cmd, int argc, char **argv,
                   int (*run)(int argc, char **argv));

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_lint.c - `teilhabe lint CORPUS`: every problem in one run.
 */
#include "../src/cli/cli.h"
#include "kb_calc.h"
#include "kb_corpus.h"
#include "report.h"

/* Adds the fields of a calculator (`fields`, n) to `needed` when the
 * corpus's rules name any of them: a corpus without a calculator's rules
 * does not offer it, one with some of them must have all. */
static size_t add_needed(const kb_rules *rs, const char *const *fields,
                         size_t n, const char **needed, size_t have) {
  bool used = false;
  for (size_t i = 0; i < n && !used; i++)
    used = kb_rules_has_field(rs, fields[i]);
  for (size_t i = 0; used && i < n; i++)
    needed[have++] = fields[i];
  return have;
}

/* The rules' checks that depend on the day: a rule running out with no
 * rule after it, and a calculator left without a rule for today.  When
 * the corpus did not load, the rules are read on their own (their own
 * errors were reported already). */
static void lint_rules(const char *dir, const kb_corpus *c, kb_diags *d) {
  kb_rules *own = NULL;
  const kb_rules *rs = c ? c->vocab->rules : NULL;
  if (c == NULL) {
    char path[4096];
    kb_diags quiet;
    kb_diags_init(&quiet);
    snprintf(path, sizeof path, "%s/regeln", dir);
    if (kb_rules_load_dir(path, &own, &quiet) == KB_OK)
      rs = own;
    kb_diags_release(&quiet);
  }
  if (rs == NULL)
    return;
  const char *needed[KB_LEVY_NFIELDS + KB_KKT_NFIELDS];
  size_t n = add_needed(rs, kb_levy_fields, KB_LEVY_NFIELDS, needed, 0);
  n = add_needed(rs, kb_kkt_fields, KB_KKT_NFIELDS, needed, n);
  char today[11];
  kb_date_today(today);
  kb_rules_lint(rs, today, needed, n, d);
  kb_rules_free(own);
}

static void help(FILE *out) {
  fprintf(out,
          "usage: teilhabe lint [--json] [--quiet] CORPUS_DIR\n\n"
          "Checks every article of the corpus and the corpus as a whole and "
          "prints\neach problem as 'path:line: error|warning: message'.  The "
          "rules of\n"
          "regeln/ are checked against today: a warning %d days before a rule\n"
          "ends with none after it, an error when a calculator has no rule.\n\n"
          "  --json    one JSON document instead (for tools)\n"
          "  --quiet   errors only, no warnings\n\n"
          "exit codes: 0 no errors (warnings allowed), 1 errors found,\n"
          "            2 wrong command line, 3 the folder cannot be read\n",
          KB_RULES_WARN_DAYS);
}

enum { OPT_HELP = 256, OPT_JSON, OPT_QUIET };

static const struct option options[] = {
    {.name = "help", .has_arg = no_argument, .val = OPT_HELP},
    {.name = "json", .has_arg = no_argument, .val = OPT_JSON},
    {.name = "quiet", .has_arg = no_argument, .val = OPT_QUIET},
    {0},
};

int cmd_lint(int argc, char **argv) {
  bool json = false, quiet = false, done = false;
  const char *dir = NULL;
  cli_parser args = {.cmd = "lint", .opts = options};
  while (!done) {
    switch (cli_getopt(argc, argv, &args)) {
    case OPT_HELP:
      help(stdout);
      return EXIT_OK;
    case OPT_JSON:
      json = true;
      break;
    case OPT_QUIET:
      quiet = true;
      break;
    case CLI_WORD:
      if (!cli_one_folder("lint", &dir, optarg))
        return EXIT_USAGE;
      break;
    case -1:
      done = true;
      break;
    default:
      return EXIT_USAGE;
    }
  }
  if (dir == NULL) {
    help(stderr);
    return EXIT_USAGE;
  }
  kb_diags d;
  kb_diags_init(&d);
  kb_corpus *c = NULL;
  kb_status st = kb_corpus_load(dir, &c, &d);
  lint_rules(dir, c, &d);
  kb_diags_sort(&d);
  if (json)
    report_json(stdout, &d);
  else
    report_text(stdout, &d, !quiet);
  /* The summary closes the list, on the same stream, so it stays last
   * when the output goes through a pipe or into a file. */
  if (!json)
    report_summary(stdout, c ? c->n : 0, c != NULL, &d);
  int rc = st == KB_ERR_IO      ? EXIT_RUNTIME
           : st == KB_ERR_NOMEM ? EXIT_RUNTIME
           : d.errors           ? EXIT_FOUND_ERRORS
                                : EXIT_OK;
  kb_corpus_free(c);
  kb_diags_release(&d);
  return rc;
}

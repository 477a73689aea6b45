/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conffile.c - teilhabe.conf: `[command]` sections of `key = value`
 * lines, checked against the commands' own option tables (see
 * conffile.h).
 */
#include "conffile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The sections of the file.  A command's section has its long options
 * as keys; [site] holds the operator's details, which `teilhabe serve`
 * reads as `--site=KEY=VALUE`. */
static const struct {
  const char *name;
  const struct option *opts; /* keys of a command's section */
  const char *const *keys;   /* or keys of a section of `--site` values */
  const char *reader;        /* the command that reads it */
} sections[] = {
    {"serve", cmd_serve_options, NULL, "serve"},
    {"index", cmd_index_options, NULL, "index"},
    {"site", NULL, cmd_serve_site_keys, "serve"},
};

/* The option `--site`, for the settings of [site]. */
static const struct option site_option = {"site", required_argument, NULL, 0};

/* A file being read: where we are, for the messages. */
typedef struct reader {
  const char *cmd;
  const char *path;
  unsigned line;
} reader;

__attribute__((format(printf, 2, 3))) static void fail(const reader *r,
                                                       const char *fmt, ...) {
  fprintf(stderr, "teilhabe %s: %s:%u: ", r->cmd, r->path, r->line);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                   s[n - 1] == '\n'))
    s[--n] = '\0';
  return s;
}

/* The index of section `name` in sections[], or -1 if there is none. */
static int section_index(const char *name) {
  for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
    if (strcmp(sections[i].name, name) == 0)
      return (int)i;
  return -1;
}

static const struct option *find_opt(const struct option *opts,
                                     const char *key) {
  if (strcmp(key, "help") == 0 || strcmp(key, "config") == 0)
    return NULL; /* not settings */
  for (int i = 0; opts[i].name; i++)
    if (strcmp(opts[i].name, key) == 0)
      return &opts[i];
  return NULL;
}

/* The entry of `keys` (NULL-terminated) equal to `key`, or NULL. */
static const char *find_key(const char *const *keys, const char *key) {
  for (size_t i = 0; keys[i]; i++)
    if (strcmp(keys[i], key) == 0)
      return keys[i];
  return NULL;
}

/* Adds "--key=value" (or "--key" for a flag that is true, or
 * "--site=KEY=value" for a [site] key `site_key`) to cfg->owned; false
 * after printing why not. */
static bool add_setting(cli_config *cfg, const reader *r,
                        const struct option *o, const char *site_key,
                        const char *value) {
  bool flag = o->has_arg == no_argument;
  if (flag && strcmp(value, "true") != 0 && strcmp(value, "false") != 0) {
    fail(r, "'%s' is a switch: its value is true or false", o->name);
    return false;
  }
  if (flag && strcmp(value, "false") == 0)
    return true;
  if (cfg->n_owned == CLI_CONFIG_MAX_SETTINGS) {
    fail(r, "more than %d settings", CLI_CONFIG_MAX_SETTINGS);
    return false;
  }
  size_t n = strlen(o->name) + strlen(value) +
             (site_key ? strlen(site_key) + 1 : 0) + 4;
  char *arg = malloc(n);
  if (arg == NULL) {
    fail(r, "out of memory");
    return false;
  }
  if (flag)
    snprintf(arg, n, "--%s", o->name);
  else if (site_key)
    snprintf(arg, n, "--%s=%s=%s", o->name, site_key, value);
  else
    snprintf(arg, n, "--%s=%s", o->name, value);
  cfg->owned[cfg->n_owned++] = arg;
  return true;
}

/* Whether `key` was set before in this section (its line in *ret_line). */
static bool seen_before(const char (*keys)[64], const unsigned *lines, size_t n,
                        const char *key, unsigned *ret_line) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(keys[i], key) == 0) {
      *ret_line = lines[i];
      return true;
    }
  return false;
}

/* One section's state while reading: which keys it set, where. */
typedef struct section_state {
  const char *name;             /* NULL before the first section */
  const struct option *opts;    /* the keys it takes (a command's section) */
  const char *const *site_keys; /* or these ([site]) */
  bool ours;                    /* the section of the command being run */
  char keys[CLI_CONFIG_MAX_SETTINGS][64];
  unsigned lines[CLI_CONFIG_MAX_SETTINGS];
  size_t n;
} section_state;

/* A "[name]" line; false after printing why not. */
static bool read_section(const reader *r, char *line, section_state *s) {
  size_t n = strlen(line);
  if (line[n - 1] != ']') {
    fail(r, "a section line is '[serve]', '[index]' or '[site]'");
    return false;
  }
  line[n - 1] = '\0';
  char *name = trim(line + 1);
  int i = section_index(name);
  if (i < 0) {
    fail(r, "unknown section '[%s]' (there are [serve], [index] and [site])",
         name);
    return false;
  }
  s->name = sections[i].name;
  s->opts = sections[i].opts;
  s->site_keys = sections[i].keys;
  s->ours = strcmp(sections[i].reader, r->cmd) == 0;
  s->n = 0;
  return true;
}

/* A "key = value" line; false after printing why not. */
static bool read_setting(cli_config *cfg, const reader *r, char *line,
                         section_state *s) {
  char *eq = strchr(line, '=');
  if (eq == NULL) {
    fail(r, "expected 'key = value', got '%s'", line);
    return false;
  }
  *eq = '\0';
  char *key = trim(line), *value = trim(eq + 1);
  if (s->name == NULL) {
    fail(r,
         "'%s' is outside a section: put it under [serve], [index] or [site]",
         key);
    return false;
  }
  const struct option *o = NULL;
  const char *site_key = NULL;
  if (s->site_keys) {
    site_key = find_key(s->site_keys, key);
    o = site_key ? &site_option : NULL;
  } else {
    o = find_opt(s->opts, key);
  }
  if (o == NULL && s->site_keys) {
    fail(r, "unknown key '%s' in [%s] (see teilhabe.conf(5) for its keys)", key,
         s->name);
    return false;
  }
  if (o == NULL) {
    fail(r,
         "unknown key '%s' in [%s] (see 'teilhabe %s --help': the keys are "
         "its long options)",
         key, s->name, s->name);
    return false;
  }
  if (*value == '\0') {
    fail(r, "'%s' has no value", key);
    return false;
  }
  unsigned before = 0;
  if (seen_before((const char(*)[64])s->keys, s->lines, s->n, key, &before)) {
    fail(r, "'%s' is set twice (first on line %u)", key, before);
    return false;
  }
  if (s->n < CLI_CONFIG_MAX_SETTINGS) {
    snprintf(s->keys[s->n], sizeof s->keys[0], "%s", key);
    s->lines[s->n++] = r->line;
  }
  return !s->ours || add_setting(cfg, r, o, site_key, value);
}

/* Reads every line of `f`; false after printing the first problem. */
static bool read_file(cli_config *cfg, reader *r, FILE *f) {
  section_state s = {0};
  char buf[CLI_CONFIG_MAX_LINE + 1];
  while (fgets(buf, sizeof buf, f)) {
    r->line++;
    if (r->line > CLI_CONFIG_MAX_LINES) {
      fail(r, "more than %d lines", CLI_CONFIG_MAX_LINES);
      return false;
    }
    if (strchr(buf, '\n') == NULL && !feof(f)) {
      fail(r, "line longer than %d bytes", CLI_CONFIG_MAX_LINE);
      return false;
    }
    char *line = trim(buf);
    bool ok = true;
    if (*line == '\0' || *line == '#' || *line == ';')
      continue;
    if (*line == '[')
      ok = read_section(r, line, &s);
    else
      ok = read_setting(cfg, r, line, &s);
    if (!ok)
      return false;
  }
  if (ferror(f)) {
    fprintf(stderr, "teilhabe %s: cannot read configuration '%s': %s\n", r->cmd,
            r->path, strerror(errno));
    return false;
  }
  return true;
}

/* The file named by --config on the command line, or NULL. */
static const char *config_arg(int argc, char **argv) {
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0)
      break;
    if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
      path = argv[++i];
    else if (strncmp(argv[i], "--config=", 9) == 0)
      path = argv[i] + 9;
  }
  return path;
}

/* argv with the settings in front, into cfg->argv. */
static bool build_argv(cli_config *cfg, int argc, char **argv) {
  cfg->argv = calloc((size_t)(argc + cfg->n_owned + 1), sizeof *cfg->argv);
  if (cfg->argv == NULL)
    return false;
  cfg->argv[0] = argv[0];
  for (int i = 0; i < cfg->n_owned; i++)
    cfg->argv[1 + i] = cfg->owned[i];
  for (int i = 1; i < argc; i++)
    cfg->argv[cfg->n_owned + i] = argv[i];
  cfg->argc = argc + cfg->n_owned;
  return true;
}

int cli_config_load(const char *cmd, int argc, char **argv, cli_config *cfg) {
  *cfg = (cli_config){0};
  const char *path = config_arg(argc, argv);
  const char *env = getenv("TEILHABE_CONFIG");
  bool named = path != NULL || (env && *env);
  if (path == NULL)
    path = env && *env ? env : CLI_DEFAULT_CONFIG;
  int rc = EXIT_OK;
  FILE *f = fopen(path, "r");
  if (f == NULL && !named && errno == ENOENT) {
    cfg->argc = argc; /* no configuration: the command line as it is */
    cfg->argv = argv;
    return EXIT_OK;
  }
  if (f == NULL) {
    fprintf(stderr, "teilhabe %s: cannot read configuration '%s': %s\n", cmd,
            path, strerror(errno));
    return EXIT_RUNTIME;
  }
  cfg->owned = calloc(CLI_CONFIG_MAX_SETTINGS, sizeof *cfg->owned);
  reader r = {.cmd = cmd, .path = path};
  if (cfg->owned == NULL)
    rc = EXIT_RUNTIME;
  else if (!read_file(cfg, &r, f))
    rc = ferror(f) ? EXIT_RUNTIME : EXIT_USAGE; /* unreadable, or wrong */
  else if (!build_argv(cfg, argc, argv))
    rc = EXIT_RUNTIME;
  fclose(f);
  if (rc != EXIT_OK)
    cli_config_release(cfg);
  return rc;
}

void cli_config_release(cli_config *cfg) {
  if (cfg->owned) {
    for (int i = 0; i < cfg->n_owned; i++)
      free(cfg->owned[i]);
    free(cfg->owned);
    free(cfg->argv); /* only ours when owned is set */
  }
  *cfg = (cli_config){0};
}

int cli_config_run(const char *cmd, int argc, char **argv,
                   int (*run)(int argc, char **argv)) {
  cli_config conf;
  int rc = cli_config_load(cmd, argc, argv, &conf);
  if (rc != EXIT_OK)
    return rc;
  rc = run(conf.argc, conf.argv);
  cli_config_release(&conf);
  return rc;
}

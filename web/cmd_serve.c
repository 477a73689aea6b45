/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_serve.c - the command lines `teilhabe serve` and `teilhabe
 * preview`: options (getopt_long, `--name VALUE` and `--name=VALUE`), the
 * zero-result log file, the preview's private index and watcher, a check
 * that the index can be opened, then the server (server.h).
 *
 * Depends on server.h, request.h (for --base-url), preview.h and the
 * command line's shared helpers (src/cli/cli.h).
 */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/cli/cli.h"
#include "../src/cli/conffile.h"
#include "config.h"
#include "kb_search.h"
#include "preview.h"
#include "request.h"
#include "server.h"
#include "site.h"
#include "zerolog.h"

enum {
  OPT_HELP = 'h',
  OPT_DB = 256,
  OPT_BIND,
  OPT_CORPUS,
  OPT_PORT,
  OPT_BASE_URL,
  OPT_EDITORIAL,
  OPT_ZERO_LOG,
  OPT_THREADS,
  OPT_PER_IP,
  OPT_REQUEST_TIMEOUT,
  OPT_CONFIG,
  OPT_SITE,
};

/* Also the keys of the configuration file's [serve] section. */
const struct option cmd_serve_options[] = {
    {"help", no_argument, NULL, OPT_HELP},
    {"db", required_argument, NULL, OPT_DB},
    {"bind", required_argument, NULL, OPT_BIND},
    {"corpus", required_argument, NULL, OPT_CORPUS},
    {"port", required_argument, NULL, OPT_PORT},
    {"base-url", required_argument, NULL, OPT_BASE_URL},
    {"editorial", no_argument, NULL, OPT_EDITORIAL},
    {"log-zero-results", required_argument, NULL, OPT_ZERO_LOG},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"max-connections-per-ip", required_argument, NULL, OPT_PER_IP},
    {"request-timeout", required_argument, NULL, OPT_REQUEST_TIMEOUT},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"site", required_argument, NULL, OPT_SITE},
    {NULL, 0, NULL, 0},
};

static void help(FILE *out) {
  fprintf(out,
          "usage: teilhabe serve [--db DIR] [--bind ADDR] [--port N] "
          "[--threads N]\n"
          "                      [--max-connections-per-ip N] "
          "[--request-timeout SECONDS]\n"
          "                      [--config FILE]\n\n"
          "Serves the search site and the JSON API.  A re-index is picked up "
          "on the\nnext request without a restart.  No request data (IP "
          "addresses, queries)\nis logged.\n\n"
          "  --db DIR      the index (default %s, or $TEILHABE_DB)\n"
          "  --bind ADDR   address to listen on (default 127.0.0.1; IPv6 "
          "allowed)\n"
          "  --port N      port (default 8080; 0 picks a free one and prints "
          "it)\n"
          "  --threads N   worker threads (default: number of CPUs)\n"
          "  --corpus DIR  live preview for librarians: index DIR into a "
          "private index\n                (or --db) and re-index on every "
          "saved change; /vorschau opens\n                the article saved "
          "last (the same as 'teilhabe preview DIR')\n"
          "  --base-url URL  the public address for absolute links in "
          "feeds and the\n"
          "                sitemap (default: from the Host header)\n"
          "  --max-connections-per-ip N\n"
          "                open connections one client address may hold "
          "(default %u;\n"
          "                0: no limit, for a server behind a reverse "
          "proxy, where\n"
          "                every client has the proxy's address)\n"
          "  --request-timeout SECONDS\n"
          "                time a connection has to send a complete "
          "request, from\n"
          "                its start or its previous answer (default %u); "
          "slower\n"
          "                clients are disconnected\n"
          "  --editorial   serve the editorial report at /redaktion\n"
          "  --log-zero-results FILE\n"
          "                append queries that found nothing to FILE: the\n"
          "                normalised query and the day, nothing else; "
          "SIGHUP\n"
          "                reopens it (log rotation)\n"
          "  --site KEY=VALUE\n"
          "                the operator's details for /impressum, "
          "/datenschutz,\n"
          "                /barrierefreiheit and /kontakt (keys: "
          "teilhabe.conf(5),\n"
          "                usually given in its [site] section); "
          "repeatable\n"
          "  --config FILE settings to read first, from the file's [serve] "
          "and\n"
          "                [site] sections (default %s,\n"
          "                if it exists; teilhabe.conf(5)); options given "
          "here win\n",
          DEFAULT_DB, WEB_PER_IP_DEFAULT, WEB_REQUEST_TIMEOUT_DEFAULT,
          CLI_DEFAULT_CONFIG);
}

typedef struct serve_opts {
  server_config cfg;
  const char *zero_log;
  bool db_given;
  bool help;
} serve_opts;

/* Applies one option with a value; false after printing why not. */
static bool take_value(serve_opts *o, int opt, const char *v) {
  switch (opt) {
  case OPT_DB:
    o->cfg.db = v;
    o->db_given = true;
    return true;
  case OPT_BIND:
    o->cfg.bind = v;
    return true;
  case OPT_CORPUS:
    o->cfg.corpus = v;
    return true;
  case OPT_ZERO_LOG:
    o->zero_log = v;
    return true;
  case OPT_PORT:
    if (cli_uint(v, 0, 65535, &o->cfg.port))
      return true;
    fprintf(stderr, "teilhabe serve: --port must be 0 to 65535\n");
    return false;
  case OPT_THREADS:
    if (cli_uint(v, 1, 256, &o->cfg.threads))
      return true;
    fprintf(stderr, "teilhabe serve: --threads must be 1 to 256\n");
    return false;
  case OPT_PER_IP:
    if (cli_uint(v, 0, 100000, &o->cfg.max_per_ip))
      return true;
    fprintf(stderr, "teilhabe serve: --max-connections-per-ip must be 0 "
                    "(no limit) to 100000\n");
    return false;
  case OPT_REQUEST_TIMEOUT:
    if (cli_uint(v, 1, 3600, &o->cfg.request_timeout))
      return true;
    fprintf(stderr, "teilhabe serve: --request-timeout must be 1 to 3600 "
                    "seconds\n");
    return false;
  case OPT_SITE: {
    const char *why = NULL;
    if (site_set(&o->cfg.site, v, &why))
      return true;
    fprintf(stderr, "teilhabe serve: --site '%s' %s\n", v, why);
    return false;
  }
  case OPT_BASE_URL:
    if (request_set_base_url(&o->cfg, v))
      return true;
    fprintf(stderr, "teilhabe serve: --base-url must be an http:// or "
                    "https:// URL, e.g. https://teilhabe.example\n");
    return false;
  default:
    return false;
  }
}

/* Reads the command line into `o` with the subcommands' one option
 * reader (cli_getopt: in order, options spelled out in full, `--name
 * VALUE` and `--name=VALUE`); false after printing a usage error.  Stops
 * at --help (o->help) as at the first error. */
static bool parse_options(int argc, char **argv, const char *cmd,
                          serve_opts *o) {
  cli_parser args = {.cmd = cmd, .opts = cmd_serve_options};
  bool preview = strcmp(cmd, "preview") == 0;
  for (;;) {
    int opt = cli_getopt(argc, argv, &args);
    switch (opt) {
    case -1:
      return true;
    case OPT_HELP:
      o->help = true;
      return true;
    case OPT_EDITORIAL:
      o->cfg.editorial = true;
      break;
    case OPT_CONFIG: /* read by cli_config_load() */
      if (!preview)
        break;
      fprintf(stderr, "teilhabe preview: reads no configuration file\n");
      return false;
    case CLI_WORD: /* preview: the corpus folder */
      if (preview && o->cfg.corpus == NULL) {
        o->cfg.corpus = optarg;
        break;
      }
      fprintf(stderr, "teilhabe %s: unknown argument '%s'\n", cmd, optarg);
      return false;
    case '?':
      return false;
    default:
      if (!take_value(o, opt, optarg))
        return false;
    }
  }
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  remove(path); /* best effort: keep going */
  return 0;
}

/* Removes a folder this process created, depth first, without following
 * links. */
static void remove_tree(const char *dir) {
  nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Opens --log-zero-results for appending; false after printing why not. */
static bool open_zero_log(server_config *cfg, const char *path) {
  cfg->zero_log_path = path;
  if (path == NULL)
    return true;
  cfg->zero_log_fd = zerolog_open(path);
  if (cfg->zero_log_fd >= 0)
    return true;
  fprintf(stderr, "teilhabe serve: cannot open '%s': %s\n", path,
          strerror(errno));
  return false;
}

/* Preview: a private index of the corpus in `tmpdb` (a mkdtemp template,
 * unless --db was given), built now and kept up to date by a watcher
 * thread.  Returns an exit code. */
static int start_preview(serve_opts *o, char *tmpdb, char *dbpath,
                         size_t dbcap) {
  if (!o->db_given) {
    if (mkdtemp(tmpdb) == NULL) {
      fprintf(stderr, "teilhabe preview: cannot create a folder in /tmp: %s\n",
              strerror(errno));
      return EXIT_RUNTIME;
    }
    snprintf(dbpath, dbcap, "%s/index", tmpdb);
    o->cfg.db = dbpath;
  }
  kb_status st = preview_start(o->cfg.corpus, o->cfg.db);
  if (st != KB_OK)
    return st == KB_ERR_PARSE ? EXIT_FOUND_ERRORS : EXIT_RUNTIME;
  return EXIT_OK;
}

/* Fails fast, with a clear message, when there is no usable index;
 * otherwise stores its number of articles. */
static bool probe_index(const char *db, uint64_t *ret_docs) {
  char *err = NULL;
  kb_searcher *probe = NULL;
  if (kb_searcher_open(db, &probe, &err) != KB_OK) {
    fprintf(stderr, "teilhabe serve: %s\n", err ? err : "cannot open index");
    free(err);
    return false;
  }
  *ret_docs = kb_searcher_doccount(probe);
  kb_searcher_close(probe);
  return true;
}

/* Serves with the options read; the process's exit code. */
static int run(serve_opts *o) {
  /* Before the preview's watcher thread starts: no thread may take a
   * signal meant for the server. */
  server_block_signals();
  if (o->cfg.threads == 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    o->cfg.threads = n > 0 && n < 64 ? (unsigned)n : 4;
  }
  if (!open_zero_log(&o->cfg, o->zero_log))
    return EXIT_RUNTIME;
  char tmpdb[] = "/tmp/teilhabe-preview-XXXXXX";
  char dbpath[sizeof tmpdb + 8];
  int rc = EXIT_OK;
  if (o->cfg.corpus)
    rc = start_preview(o, tmpdb, dbpath, sizeof dbpath);
  uint64_t docs = 0;
  if (rc == EXIT_OK && !probe_index(o->cfg.db, &docs))
    rc = EXIT_RUNTIME;
  if (rc == EXIT_OK)
    rc = server_run(&o->cfg, docs);
  if (o->cfg.zero_log_fd >= 0)
    close(o->cfg.zero_log_fd);
  if (rc == EXIT_OK && o->cfg.corpus && !o->db_given)
    remove_tree(tmpdb); /* the preview's private index */
  return rc;
}

static serve_opts defaults(void) {
  return (serve_opts){.cfg = {.db = cli_default_db(),
                              .bind = "127.0.0.1",
                              .port = 8080,
                              .threads = 0,
                              .max_per_ip = WEB_PER_IP_DEFAULT,
                              .request_timeout = WEB_REQUEST_TIMEOUT_DEFAULT,
                              .zero_log_fd = -1}};
}

static int serve(int argc, char **argv) {
  serve_opts o = defaults();
  if (!parse_options(argc, argv, "serve", &o))
    return EXIT_USAGE;
  if (o.help) {
    help(stdout);
    return EXIT_OK;
  }
  return run(&o);
}

/* `teilhabe serve`: the configuration file's [serve] settings, then the
 * command line. */
int cmd_serve(int argc, char **argv) {
  return cli_config_run("serve", argc, argv, serve);
}

static void preview_help(void) {
  printf("usage: teilhabe preview [--port N] [--bind ADDR] [--db DIR] "
         "CORPUS_DIR\n\nServes CORPUS_DIR as the site will show it "
         "and re-indexes within a\nsecond of every saved change; "
         "/vorschau opens the article saved last.\nProblems are "
         "printed as 'teilhabe lint' prints them.\n");
}

/* `teilhabe preview [OPTIONS] CORPUS_DIR` is `serve --corpus CORPUS_DIR`
 * with the same options. */
int cmd_preview(int argc, char **argv) {
  serve_opts o = defaults();
  if (!parse_options(argc, argv, "preview", &o))
    return EXIT_USAGE;
  if (o.help) {
    preview_help();
    return EXIT_OK;
  }
  if (o.cfg.corpus == NULL) {
    fprintf(stderr, "usage: teilhabe preview [OPTIONS] CORPUS_DIR\n");
    return EXIT_USAGE;
  }
  return run(&o);
}

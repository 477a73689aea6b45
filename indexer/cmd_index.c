/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_index.c - `teilhabe index`: corpus folder -> published index.
 *
 * The corpus is read and checked completely before anything is written;
 * any error ends the run with exit code 1 and leaves the published index
 * exactly as it was (kb_index.h explains the atomic swap).
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../src/cli/cli.h"
#include "../src/cli/conffile.h"
#include "kb_corpus.h"
#include "kb_index.h"
#include "report.h"

/* Seconds a run waits for another one writing the same index. */
#define DEFAULT_WAIT 30u

static void help(FILE *out) {
  fprintf(out,
          "usage: teilhabe index [--db DIR] [--full] [--shards N] "
          "[--wait SECONDS]\n"
          "                      [--jobs N] [--quiet] [--config FILE] "
          "CORPUS_DIR\n\n"
          "Checks the corpus and brings the index up to date: only added, "
          "changed and\nremoved articles are written, in one transaction.  "
          "A new vocabulary or\n--full builds a complete new index that "
          "replaces the old one atomically.\nA running server serves the "
          "change on its next request.  If the corpus\nhas errors, nothing "
          "changes.\n\n"
          "  --db DIR   the index to write (default %s, or $TEILHABE_DB);\n"
          "             without either, only an existing index is updated\n"
          "  --full     rebuild everything\n"
          "  --shards N write N shard databases (1 to %d; default: as "
          "many as the\n             index has, 1 for a new one), in "
          "parallel; DIR/index.stub\n             names them "
          "(docs/scaling.md)\n"
          "  --wait N   wait up to N seconds (default %u) while another run "
          "writes\n             the same index, then give up\n"
          "  --jobs N   analyse records on N threads (default 0: one per "
          "core);\n             the index is the same for every N\n"
          "  --quiet    print errors only\n"
          "  --corpus DIR  the corpus folder (the same as CORPUS_DIR)\n"
          "  --config FILE  settings to read first, from the file's [index] "
          "section\n"
          "             (default %s,\n"
          "             if it exists; teilhabe.conf(5)); options given here "
          "win\n\n"
          "exit codes: 0 indexed, 1 the corpus has errors, 2 wrong command "
          "line,\n            3 the index could not be written\n",
          DEFAULT_DB, KB_INDEX_SHARDS_MAX, DEFAULT_WAIT, CLI_DEFAULT_CONFIG);
}

typedef struct progress {
  bool tty;
  double start;
} progress;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool on_progress(size_t done, size_t total, void *ctx) {
  progress *p = ctx;
  if (p->tty && (done % 10 == 0 || done == total)) {
    fprintf(stderr, "\rindexing %zu/%zu records", done, total);
    if (done == total)
      fputc('\n', stderr);
  }
  return true;
}

/* The default index is a relative path: run from another folder, it
 * would silently build a second index the server never reads.  Without
 * --db or $TEILHABE_DB, only an existing index is updated; creating one
 * takes an explicit --db. */
static bool default_index_ok(const char *db, bool given) {
  const char *env = getenv("TEILHABE_DB");
  if (given || (env && *env))
    return true;
  if (access(db, F_OK) == 0)
    return true;
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd) == NULL)
    snprintf(cwd, sizeof cwd, ".");
  fprintf(stderr,
          "teilhabe index: there is no index at '%s/%s' (the default, "
          "relative to this folder), so nothing was written.\n"
          "  Run the command from the folder the server runs in (where "
          "./run.sh is),\n  or name the index: teilhabe index --db DIR "
          "CORPUS_DIR (a new DIR is created).\n",
          cwd, db);
  return false;
}

/* Where the index went, as an absolute path (not resolved through the
 * published symlink, which points at a generation directory). */
static const char *where(const char *db, char *buf, size_t cap) {
  char cwd[4096];
  if (db[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
    snprintf(buf, cap, "%s", db);
  else
    snprintf(buf, cap, "%s/%s", cwd, db);
  return buf;
}

/* Takes the index's writers' lock, waiting up to `wait` seconds and
 * saying so; false after printing why not. */
static bool take_lock(const char *db, unsigned wait, bool quiet,
                      kb_index_lock **ret_lock) {
  char *err = NULL;
  size_t removed = 0;
  kb_status st = kb_index_lock_take(db, 0, ret_lock, &removed, &err);
  if (st == KB_ERR_DB_LOCKED && wait > 0) {
    free(err);
    err = NULL;
    fprintf(stderr,
            "teilhabe index: another run is writing '%s'; waiting up to %u "
            "s\n",
            db, wait);
    st = kb_index_lock_take(db, wait * 1000u, ret_lock, &removed, &err);
  }
  if (st != KB_OK) {
    fprintf(stderr, "teilhabe index: %s; the index was not changed\n",
            err ? err : kb_status_str(st));
    free(err);
    return false;
  }
  if (!quiet && removed > 0)
    fprintf(stderr,
            "teilhabe index: removed %zu leftover %s of interrupted "
            "runs\n",
            removed, removed == 1 ? "generation" : "generations");
  return true;
}

enum {
  OPT_HELP = 256,
  OPT_QUIET,
  OPT_FULL,
  OPT_DB,
  OPT_CORPUS,
  OPT_CONFIG,
  OPT_WAIT,
  OPT_JOBS,
  OPT_SHARDS
};

/* Also the keys of the configuration file's [index] section. */
const struct option cmd_index_options[] = {
    {.name = "help", .has_arg = no_argument, .val = OPT_HELP},
    {.name = "quiet", .has_arg = no_argument, .val = OPT_QUIET},
    {.name = "full", .has_arg = no_argument, .val = OPT_FULL},
    {.name = "db", .has_arg = required_argument, .val = OPT_DB},
    {.name = "corpus", .has_arg = required_argument, .val = OPT_CORPUS},
    {.name = "config", .has_arg = required_argument, .val = OPT_CONFIG},
    {.name = "wait", .has_arg = required_argument, .val = OPT_WAIT},
    {.name = "jobs", .has_arg = required_argument, .val = OPT_JOBS},
    {.name = "shards", .has_arg = required_argument, .val = OPT_SHARDS},
    {0},
};

static int index_main(int argc, char **argv) {
  const char *const default_db = cli_default_db();
  const char *db = default_db, *dir = NULL;
  bool quiet = false, full = false, done = false, bad = false;
  const char *corpus_opt = NULL; /* --corpus, from the file or the line */
  unsigned wait = DEFAULT_WAIT, shards = 0;
  cli_parser args = {.cmd = "index", .opts = cmd_index_options};
  while (!done && !bad) {
    switch (cli_getopt(argc, argv, &args)) {
    case OPT_HELP:
      help(stdout);
      return EXIT_OK;
    case OPT_QUIET:
      quiet = true;
      break;
    case OPT_FULL:
      full = true;
      break;
    case OPT_DB:
      db = optarg;
      break;
    case OPT_CORPUS:
      corpus_opt = optarg;
      break;
    case OPT_CONFIG: /* read by cli_config_load() */
      break;
    case OPT_WAIT:
      if (!cli_uint(optarg, 0, 3600, &wait)) {
        fprintf(stderr, "teilhabe index: --wait must be 0 to 3600 seconds\n");
        bad = true;
      }
      break;
    case OPT_JOBS: {
      unsigned jobs = 0;
      if (!cli_uint(optarg, 0, 64, &jobs)) {
        fprintf(stderr, "teilhabe index: --jobs must be 0 (one per core) to "
                        "64 threads\n");
        bad = true;
      }
      kb_index_set_jobs(jobs);
      break;
    }
    case OPT_SHARDS:
      if (!cli_uint(optarg, 1, KB_INDEX_SHARDS_MAX, &shards)) {
        fprintf(stderr, "teilhabe index: --shards must be 1 to %d\n",
                KB_INDEX_SHARDS_MAX);
        bad = true;
      }
      break;
    case CLI_WORD:
      bad = !cli_one_folder("index", &dir, optarg);
      break;
    case -1:
      done = true;
      break;
    default:
      bad = true;
      break;
    }
  }
  if (bad)
    return EXIT_USAGE;
  if (dir == NULL)
    dir = corpus_opt; /* CORPUS_DIR wins over --corpus */
  if (dir == NULL) {
    help(stderr);
    return EXIT_USAGE;
  }
  if (!default_index_ok(db, db != default_db)) /* --db was given */
    return EXIT_USAGE;
  progress p = {.tty = !quiet && isatty(STDERR_FILENO), .start = now()};
  kb_diags d;
  kb_diags_init(&d);
  kb_corpus *c = NULL;
  /* Only the records' fields stay in memory: each text is read again
   * from its file when it is indexed (at 100,000 records the texts were
   * most of a build's memory). */
  /* A full build reads the compound dictionaries meanwhile. */
  if (full)
    kb_index_prefetch_dictionaries(dir);
  kb_status st = kb_corpus_load_fields(dir, &c, &d);
  kb_diags_sort(&d);
  report_text(stderr, &d, !quiet);
  if (st != KB_OK) {
    kb_index_prefetch_release();
    fprintf(stderr,
            "teilhabe index: %zu %s in '%s'; the index was not changed\n",
            d.errors, d.errors == 1 ? "error" : "errors", dir);
    kb_diags_release(&d);
    return st == KB_ERR_PARSE ? EXIT_FOUND_ERRORS : EXIT_RUNTIME;
  }
  kb_diags_release(&d);
  char *err = NULL;
  kb_index_lock *lock = NULL;
  if (!take_lock(db, wait, quiet, &lock)) {
    kb_index_prefetch_release();
    kb_corpus_free(c);
    return EXIT_RUNTIME;
  }
  kb_index_report rep;
  st = kb_index_update_shards(c, db, shards, full, on_progress, &p, &rep, &err);
  kb_index_prefetch_release();
  kb_index_lock_release(lock);
  if (st != KB_OK) {
    fprintf(stderr, "teilhabe index: %s; the index was not changed\n",
            err ? err : kb_status_str(st));
    free(err);
    kb_corpus_free(c);
    return EXIT_RUNTIME;
  }
  double secs = now() - p.start;
  char path[8200];
  if (!quiet && rep.full)
    fprintf(stderr, "indexed %zu records into %s in %.3f s (%.0f/s)\n", c->n,
            where(db, path, sizeof path), secs,
            secs > 0 ? (double)c->n / secs : 0.0);
  else if (!quiet)
    fprintf(stderr,
            "updated %s in %.3f s: %zu added, %zu changed, %zu removed, "
            "%zu unchanged\n",
            where(db, path, sizeof path), secs, rep.added, rep.changed,
            rep.removed, rep.unchanged);
  kb_corpus_free(c);
  return EXIT_OK;
}

/* `teilhabe index`: the configuration file's [index] settings, then the
 * command line. */
int cmd_index(int argc, char **argv) {
  return cli_config_run("index", argc, argv, index_main);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * preview.c - the librarians' live preview: `teilhabe preview CORPUS_DIR`
 * (the same as `teilhabe serve --corpus CORPUS_DIR`).
 *
 * The corpus is indexed into a private index, and a watcher thread looks
 * at the corpus files every PREVIEW_POLL_MS.  When a file changed, the
 * corpus is checked and the index brought up to date incrementally; the
 * server's workers follow the new index on their next request, so a
 * saved edit shows within about a second.  Problems are printed as lint
 * prints them, and the index keeps the last good state.  /vorschau leads
 * to the article saved last.  Polling, not inotify: it needs no watch
 * per folder, works on network and container mounts, and a corpus of a
 * few thousand files costs microseconds per round.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../indexer/report.h"
#include "kb_corpus.h"
#include "kb_index.h"
#include "preview.h"

enum { PREVIEW_POLL_MS = 250, PREVIEW_MAX_FILES = 100000 };
/* How long a re-index waits for another writer of the same index. */
enum { PREVIEW_LOCK_WAIT_MS = 10000 };

static pthread_mutex_t last_lock = PTHREAD_MUTEX_INITIALIZER;
static char last_id[96];

typedef struct scan {
  uint64_t sig;           /* over every file's path, size and mtime */
  struct timespec newest; /* the newest article's mtime */
  char newest_path[4096]; /* and its path */
  size_t files;
} scan;

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return h * 0xBF58476D1CE4E5B9ull;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Folds every corpus file (articles and the .yaml/.txt files beside
 * them) into one signature; hidden entries and links are skipped as the
 * corpus loader skips them. */
static void scan_dir(const char *dir, unsigned depth, scan *sc) {
  DIR *d = depth > 8 ? NULL : opendir(dir);
  if (d == NULL)
    return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && sc->files < PREVIEW_MAX_FILES) {
    if (e->d_name[0] == '.')
      continue;
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat sb;
    if (n < 0 || (size_t)n >= sizeof path || lstat(path, &sb) != 0 ||
        S_ISLNK(sb.st_mode))
      continue;
    if (S_ISDIR(sb.st_mode)) {
      scan_dir(path, depth + 1, sc);
      continue;
    }
    bool article = ends_with(e->d_name, ".md");
    if (!article && !ends_with(e->d_name, ".yaml") &&
        !ends_with(e->d_name, ".txt"))
      continue;
    sc->files++;
    uint64_t h = 1469598103934665603ull;
    for (const char *p = path; *p; p++)
      h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = mix(h, (uint64_t)sb.st_size);
    h = mix(h, (uint64_t)sb.st_mtim.tv_sec);
    sc->sig ^= mix(h, (uint64_t)sb.st_mtim.tv_nsec);
    if (article && (sb.st_mtim.tv_sec > sc->newest.tv_sec ||
                    (sb.st_mtim.tv_sec == sc->newest.tv_sec &&
                     sb.st_mtim.tv_nsec > sc->newest.tv_nsec))) {
      sc->newest = sb.st_mtim;
      snprintf(sc->newest_path, sizeof sc->newest_path, "%s", path);
    }
  }
  closedir(d);
}

/* Remembers the id of the article at `path` for /vorschau. */
static void remember(const kb_corpus *c, const char *path) {
  for (size_t i = 0; c && i < c->n; i++) {
    if (strcmp(c->articles[i]->path, path) != 0)
      continue;
    pthread_mutex_lock(&last_lock);
    snprintf(last_id, sizeof last_id, "%s", c->articles[i]->id);
    pthread_mutex_unlock(&last_lock);
    return;
  }
}

/* Checks the corpus and updates the index; prints what happened. */
static bool reindex(const char *corpus, const char *db, const scan *sc,
                    bool full) {
  kb_diags d;
  kb_diags_init(&d);
  kb_corpus *c = NULL;
  kb_status st = kb_corpus_load(corpus, &c, &d);
  kb_diags_sort(&d);
  report_text(stderr, &d, true);
  if (st != KB_OK) {
    fprintf(stderr,
            "teilhabe preview: the corpus has %zu %s; the preview shows the "
            "last good state\n",
            d.errors, d.errors == 1 ? "error" : "errors");
    kb_diags_release(&d);
    return false;
  }
  kb_diags_release(&d);
  char *err = NULL;
  kb_index_report rep;
  kb_index_lock *lock = NULL;
  st = kb_index_lock_take(db, PREVIEW_LOCK_WAIT_MS, &lock, NULL, &err);
  if (st == KB_OK)
    st = kb_index_update(c, db, full, NULL, NULL, &rep, &err);
  kb_index_lock_release(lock);
  if (st != KB_OK) {
    fprintf(stderr, "teilhabe preview: %s\n", err ? err : kb_status_str(st));
    free(err);
  } else if (!full) {
    remember(c, sc->newest_path);
    char id[96];
    fprintf(stderr,
            "teilhabe preview: updated (%zu changed, %zu added, %zu "
            "removed); last edited: /artikel/%s\n",
            rep.changed, rep.added, rep.removed, preview_last(id, sizeof id));
  }
  fflush(stderr);
  kb_corpus_free(c);
  return st == KB_OK;
}

typedef struct watch {
  char *corpus, *db;
  uint64_t sig;
} watch;

static void *watch_loop(void *p) {
  watch *w = p;
  const struct timespec pause = {.tv_nsec = PREVIEW_POLL_MS * 1000000L};
  for (;;) {
    nanosleep(&pause, NULL);
    scan sc = {0};
    scan_dir(w->corpus, 0, &sc);
    if (sc.sig == w->sig)
      continue;
    /* An editor may still be writing: wait one round for quiet. */
    nanosleep(&pause, NULL);
    scan again = {0};
    scan_dir(w->corpus, 0, &again);
    w->sig = again.sig;
    reindex(w->corpus, w->db, &again, false);
  }
  return NULL;
}

const char *preview_last(char *buf, size_t cap) {
  pthread_mutex_lock(&last_lock);
  snprintf(buf, cap, "%s", last_id);
  pthread_mutex_unlock(&last_lock);
  return buf;
}

kb_status preview_start(const char *corpus, const char *db) {
  scan sc = {0};
  scan_dir(corpus, 0, &sc);
  if (!reindex(corpus, db, &sc, true))
    return KB_ERR_PARSE;
  watch *w = calloc(1, sizeof *w);
  if (w == NULL)
    return KB_ERR_NOMEM;
  w->corpus = strdup(corpus);
  w->db = strdup(db);
  w->sig = sc.sig;
  pthread_t tid;
  if (w->corpus == NULL || w->db == NULL ||
      pthread_create(&tid, NULL, watch_loop, w) != 0) {
    free(w->corpus);
    free(w->db);
    free(w);
    return KB_ERR_NOMEM;
  }
  pthread_detach(tid);
  return KB_OK;
}

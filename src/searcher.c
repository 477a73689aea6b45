/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * searcher.c - the kb_searcher: one reader of the index, following new
 * generations and commits (and, for a stub file, its databases), with
 * the compound lexicons shared by every searcher of a process (see
 * kb_search.h).  Reading records is searcher_records.c's job, running
 * searches search.c's.
 */
#include "kb_search.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kb_analysis.h"
#include "kb_compound.h"
#include "kb_index.h"
#include "kb_layout.h"
#include "kb_xapian.h"
#include "search_internal.h"

/* ---- compound lexicons, shared by every searcher of a process --------
 *
 * A lexicon is a few MiB and read-only, so all worker threads share the
 * one of a generation (in-place updates never change it).  A small table
 * with reference counts; unused entries stay until their slot is needed.
 */
enum { LEX_CACHE = 4 };
static pthread_mutex_t lex_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
  char *gen;
  kb_lexicon *lex;
  unsigned refs;
} lex_cache[LEX_CACHE];

/* The lexicon stored in generation `gen` (opened as `db`), or NULL if the
 * index has none or it cannot be read (then words are not split). */
static const kb_lexicon *lexicon_acquire(const char *dir, kbx_db *db) {
  /* A stub file is read again when its databases change: name the
   * revision it was read at too. */
  uint64_t rev = 0;
  kbx_db_revision(db, &rev, NULL);
  char gen[4200];
  snprintf(gen, sizeof gen, "%s@%llu", dir, (unsigned long long)rev);
  const kb_lexicon *found = NULL;
  pthread_mutex_lock(&lex_mu);
  for (int i = 0; i < LEX_CACHE && !found; i++)
    if (lex_cache[i].gen && strcmp(lex_cache[i].gen, gen) == 0) {
      lex_cache[i].refs++;
      found = lex_cache[i].lex;
    }
  if (found == NULL) {
    char *blob = NULL;
    size_t len = 0;
    kb_lexicon *lex = NULL;
    int slot = -1;
    for (int i = 0; i < LEX_CACHE && slot < 0; i++)
      if (lex_cache[i].refs == 0)
        slot = i;
    if (slot >= 0 &&
        kbx_db_metadata(db, KB_META_LEXICON, &blob, &len, NULL) == KB_OK &&
        len > 0 && kb_lexicon_load(blob, len, &lex, NULL) == KB_OK) {
      char *g = strdup(gen);
      if (g) {
        free(lex_cache[slot].gen);
        kb_lexicon_free(lex_cache[slot].lex);
        lex_cache[slot].gen = g;
        lex_cache[slot].lex = lex;
        lex_cache[slot].refs = 1;
        found = lex;
      } else {
        kb_lexicon_free(lex);
      }
    }
    free(blob);
  }
  pthread_mutex_unlock(&lex_mu);
  return found;
}

static void lexicon_release(const kb_lexicon *lex) {
  if (lex == NULL)
    return;
  pthread_mutex_lock(&lex_mu);
  for (int i = 0; i < LEX_CACHE; i++)
    if (lex_cache[i].lex == lex && lex_cache[i].refs)
      lex_cache[i].refs--;
  pthread_mutex_unlock(&lex_mu);
}

/* The generation whose content was last compared with its stamp in this
 * process, and its files then: the other workers opening it need not
 * read it all again. */
static pthread_mutex_t verified_mu = PTHREAD_MUTEX_INITIALIZER;
static char *verified_gen;
static kb_index_stamp verified_stamp;

/* kb_index_stamp_verify(), once per generation and process while its
 * files stay as `stamp` says. */
static kb_status verify_once(const char *dir, const kb_index_stamp *stamp,
                             char **reterr_msg) {
  pthread_mutex_lock(&verified_mu);
  bool done = verified_gen && strcmp(verified_gen, dir) == 0 &&
              memcmp(&verified_stamp, stamp, sizeof *stamp) == 0;
  pthread_mutex_unlock(&verified_mu);
  if (done)
    return KB_OK;
  kb_status st = kb_index_stamp_verify(dir, reterr_msg);
  char *copy = st == KB_OK ? strdup(dir) : NULL;
  if (copy) {
    pthread_mutex_lock(&verified_mu);
    free(verified_gen);
    verified_gen = copy;
    verified_stamp = *stamp;
    pthread_mutex_unlock(&verified_mu);
  }
  return st;
}

static double monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- watching for changes ----------------------------------------------
 *
 * A request used to look at the index on disk each time: the link
 * (readlink) and every file of the generation (stat), ten system calls,
 * a fiftieth of a served search.  Now inotify says whether the folder of
 * the link or the generation changed since the last look, and only then
 * are they looked at - right away, as before: the kernel queues an event
 * before the write that causes it returns.  A network file system does
 * not report changes made on another host, so a searcher also looks at
 * least every LOOK_EVERY_S.  Without inotify (no descriptors left), for
 * a stub file and for a generation with sub-folders (a sharded one),
 * every request looks, as before.  Writes through a shared memory map
 * raise no event; nothing writes an index that way. */

#define LOOK_EVERY_S 1.0

enum {
  GEN_EVENTS = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE |
               IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF,
  LINK_EVENTS = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW |
                IN_ONLYDIR
};

/* (Re)watches the folder that holds the index link, by its path: a
 * folder renamed or replaced is watched anew (the old watch went with
 * it, or is dropped). */
static void watch_link_dir(kb_searcher *s) {
  if (s->watch < 0)
    return;
  int wd = inotify_add_watch(s->watch, s->watch_dir, LINK_EVENTS);
  if (s->watch_link >= 0 && s->watch_link != wd)
    inotify_rm_watch(s->watch, s->watch_link);
  s->watch_link = wd;
}

/* Starts watching for changes to the index link `dbpath`: the folder
 * that holds it, with trailing slashes taken off as kb_index_current
 * does. */
static void watch_link(kb_searcher *s, const char *dbpath) {
  s->watch = s->watch_link = s->watch_gen = -1;
  size_t n = strlen(dbpath);
  while (n > 1 && dbpath[n - 1] == '/')
    n--;
  const char *slash = memrchr(dbpath, '/', n);
  size_t dlen = slash == NULL     ? 1
                : slash == dbpath ? 1
                                  : (size_t)(slash - dbpath);
  s->watch_dir = malloc(dlen + 1);
  if (s->watch_dir == NULL)
    return;
  memcpy(s->watch_dir, slash == NULL ? "." : dbpath, dlen);
  s->watch_dir[dlen] = '\0';
  s->watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  watch_link_dir(s);
  if (s->watch >= 0 && s->watch_link < 0) {
    close(s->watch);
    s->watch = -1;
  }
}

/* A watch of the generation `dir` before it is loaded (so no change
 * after its stamp goes unseen), or -1. */
static int watch_gen(const kb_searcher *s, const char *dir) {
  if (s->watch < 0 || s->stubfile)
    return -1;
  return inotify_add_watch(s->watch, dir, GEN_EVENTS);
}

/* After load(): keeps `wd` as the generation's watch if it loaded
 * (`loaded`) and its files are all in the folder, drops the other. */
static void watch_settle(kb_searcher *s, int wd, bool loaded) {
  if (s->watch < 0)
    return;
  bool flat = true;
  for (size_t i = 0; i < s->stamp.n && loaded; i++)
    flat = flat && strchr(s->stamp.f[i].name, '/') == NULL;
  int keep = loaded ? (flat ? wd : -1) : s->watch_gen;
  if (wd >= 0 && wd != keep)
    inotify_rm_watch(s->watch, wd);
  if (s->watch_gen >= 0 && s->watch_gen != keep && s->watch_gen != wd)
    inotify_rm_watch(s->watch, s->watch_gen);
  s->watch_gen = keep;
}

/* True when nothing watched changed since the last call; reads the
 * events that came, so the look that follows sees their changes. */
static bool unchanged(kb_searcher *s) {
  char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  ssize_t n = read(s->watch, buf, sizeof buf);
  if (n < 0 && errno == EAGAIN)
    return true;
  while (n > 0)
    n = read(s->watch, buf, sizeof buf);
  return false;
}

/* Opens the generation `dir` and reads what the searcher caches.  Its
 * files are stamped first and must match what was checked when it was
 * published, so a change at any time after is noticed. */
static kb_status load_files(kb_searcher *s, const char *dir, char **reterr_msg);

static kb_status load(kb_searcher *s, const char *dir, char **reterr_msg) {
  int wd = watch_gen(s, dir);
  kb_status st = load_files(s, dir, reterr_msg);
  watch_settle(s, wd, st == KB_OK);
  return st;
}

static kb_status load_files(kb_searcher *s, const char *dir,
                            char **reterr_msg) {
  kbx_db *db = NULL;
  kb_vocab *vocab = NULL;
  char *schema = NULL, *vj = NULL;
  json_t *json = NULL;
  uint64_t count = 0;
  kb_index_stamp stamp = {0};
  uint64_t fingerprint = kb_index_fingerprint(dir);
  kb_status st = kb_index_stamp_take(dir, &stamp, reterr_msg);
  if (st == KB_OK)
    st = verify_once(dir, &stamp, reterr_msg);
  if (st == KB_OK)
    st = kb_index_open(dir, &db, reterr_msg);
  if (st != KB_OK)
    return st;
  kb_hits *hits = NULL;
  st = kbx_db_metadata(db, KB_META_SCHEMA, &schema, NULL, reterr_msg);
  if (st == KB_OK && schema[0] == '\0' && s->stubfile)
    st = kb_fail(KB_ERR_DB_VERSION, reterr_msg,
                 "index '%s' has no metadata: a stub file needs its local "
                 "database, a folder 'aux' next to it or a line "
                 "'#teilhabe-aux PATH' (docs/scaling.md)",
                 dir);
  else if (st == KB_OK && strcmp(schema, KB_SCHEMA_VERSION) != 0)
    st = kb_fail(KB_ERR_DB_VERSION, reterr_msg,
                 "index '%s' has schema '%s', this program needs '%s'; "
                 "rebuild it with 'teilhabe index'",
                 dir, schema, KB_SCHEMA_VERSION);
  if (st == KB_OK)
    st = kbx_db_metadata(db, KB_META_VOCAB, &vj, NULL, reterr_msg);
  if (st == KB_OK) {
    json = json_loads(vj, 0, NULL);
    st = json ? kb_vocab_from_json(json, &vocab, reterr_msg)
              : kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                        "index '%s' has no readable vocabulary", dir);
  }
  if (st == KB_OK)
    st = kbx_db_doccount(db, &count, reterr_msg);
  if (st == KB_OK)
    st = kb_hits_open(dir, db, &hits, reterr_msg);
  free(schema);
  free(vj);
  json_decref(json);
  if (st != KB_OK) {
    kbx_db_close(db);
    kb_vocab_free(vocab);
    return st;
  }
  const kb_lexicon *lex = lexicon_acquire(dir, db);
  lexicon_release(s->lex);
  kbx_db_close(s->db);
  kb_vocab_free(s->vocab);
  kb_hits_close(s->hits);
  s->db = db;
  s->hits = hits;
  s->stamp = stamp;
  s->fingerprint = fingerprint;
  s->reopened_at = monotonic();
  s->damaged = false;
  s->vocab = vocab;
  s->lex = lex;
  s->doccount = count;
  free(s->kind_rank);
  s->kind_rank = NULL;
  s->nkind_rank = 0;
  kbi_links_release(s);
  return KB_OK;
}

typedef struct rank_fill {
  kb_searcher *s;
  float rank;
  bool ok;
} rank_fill;

static bool fill_rank(kbx_docid did, void *ctx) {
  rank_fill *rf = ctx;
  kb_searcher *s = rf->s;
  if (did >= s->nkind_rank) {
    size_t n = (size_t)did * 2 + 64;
    float *v = realloc(s->kind_rank, n * sizeof *v);
    if (v == NULL)
      return rf->ok = false;
    for (size_t i = s->nkind_rank; i < n; i++)
      v[i] = 1.0f;
    s->kind_rank = v;
    s->nkind_rank = n;
  }
  s->kind_rank[did] *= rf->rank;
  return true;
}

/* Multiplies the rank of every record with term `t` by `rank`. */
static bool scale_rank(kb_searcher *s, const char *t, double rank) {
  rank_fill rf = {.s = s, .rank = (float)rank, .ok = true};
  return kbx_db_postlist(s->db, t, fill_rank, &rf, NULL) == KB_OK && rf.ok;
}

double kbi_kind_rank(kb_searcher *s, uint32_t did) {
  const kb_schema *sc = s->vocab->schema;
  if (s->kind_rank == NULL) {
    bool ok = true;
    char t[160];
    for (size_t i = 0; ok && i < sc->nkinds; i++) {
      if (sc->kinds[i].rank == 1.0)
        continue;
      snprintf(t, sizeof t, "%s%s", KB_PREFIX_KIND, sc->kinds[i].name);
      ok = scale_rank(s, t, sc->kinds[i].rank);
    }
    for (size_t f = 0; ok && f < sc->nfacets; f++)
      for (size_t j = 0; ok && j < sc->facets[f].nranks; j++) {
        snprintf(t, sizeof t, "%s%s", sc->facets[f].prefix,
                 sc->facets[f].ranks[j].value);
        ok = scale_rank(s, t, sc->facets[f].ranks[j].rank);
      }
    if (s->kind_rank == NULL) /* no ranked kind or value in the index */
      s->kind_rank = calloc(1, sizeof *s->kind_rank), s->nkind_rank = 0;
  }
  return did < s->nkind_rank ? s->kind_rank[did] : 1.0;
}

kb_status kb_searcher_open(const char *dbpath, kb_searcher **ret_searcher,
                           char **reterr_msg) {
  kb_searcher *s = calloc(1, sizeof *s);
  if (s == NULL)
    return KB_ERR_NOMEM;
  kb_status st = KB_ERR_NOMEM;
  s->watch = s->watch_link = s->watch_gen = -1;
  s->dbpath = strdup(dbpath);
  if (s->dbpath == NULL)
    goto fail;
  watch_link(s, dbpath);
  st = kb_index_current(dbpath, &s->current, reterr_msg);
  if (st == KB_OK) {
    struct stat sb;
    s->stubfile = stat(s->current, &sb) == 0 && S_ISREG(sb.st_mode);
    st = kb_analyzer_new(&s->an, reterr_msg);
  }
  if (st == KB_OK)
    st = load(s, s->current, reterr_msg);
  if (st != KB_OK)
    goto fail;
  *ret_searcher = s;
  return KB_OK;
fail:
  kb_searcher_close(s);
  return st;
}

void kb_searcher_close(kb_searcher *s) {
  if (s == NULL)
    return;
  lexicon_release(s->lex);
  kbx_db_close(s->db);
  kb_hits_close(s->hits);
  kb_analyzer_free(s->an);
  kb_vocab_free(s->vocab);
  free(s->kind_rank);
  kbi_links_release(s);
  if (s->watch >= 0)
    close(s->watch);
  free(s->watch_dir);
  free(s->dbpath);
  free(s->current);
  free(s);
}

/* How often a searcher on a stub file asks its databases for a new
 * revision: a remote shard's server says so only when asked, and a lost
 * connection (a restarted server) is only noticed then. */
#define REOPEN_EVERY_S 1.0

/* True when, at most every REOPEN_EVERY_S unless `now_anyway`, Xapian's
 * reopen() finds a new revision or fails (a remote shard's server went
 * away): then the stub is opened again by path, which also drops the
 * caches by document id. */
static bool remote_changed(kb_searcher *s, bool now_anyway) {
  double now = monotonic();
  if (!now_anyway && now - s->reopened_at < REOPEN_EVERY_S)
    return false;
  s->reopened_at = now;
  bool changed = false;
  return kbx_db_reopen(s->db, &changed, NULL) != KB_OK || changed;
}

/* kb_searcher_refresh's look at the link and the generation's files. */
static kb_status look(kb_searcher *s, bool *ret_changed, char **reterr_msg) {
  char *now = NULL;
  bool changed = false;
  kb_status st = kb_index_current(s->dbpath, &now, reterr_msg);
  /* A new generation was published: switch to it.  If it cannot be
   * opened, keep the one open now - unless it was replaced again while
   * being opened (two quick runs prune it): then try the newest. */
  for (int tries = 0; st == KB_OK && strcmp(now, s->current) != 0; tries++) {
    char *why = NULL;
    st = load(s, now, &why);
    if (st == KB_OK) {
      free(s->current);
      s->current = now;
      now = NULL;
      changed = true;
      break;
    }
    char *again = NULL;
    if (tries < 3 && kb_index_current(s->dbpath, &again, NULL) == KB_OK &&
        strcmp(again, now) != 0) {
      free(now);
      now = again;
      free(why);
      st = KB_OK;
      continue;
    }
    free(again);
    if (reterr_msg)
      *reterr_msg = why;
    else
      free(why);
    break;
  }
  /* A stub file given as the index is no generation: when it or a local
   * database it names changed (a re-index, a replica's new revision),
   * open it again by path - Database::reopen() does not read a stub
   * again.  If that fails, keep serving what is open. */
  if (s->stubfile && st == KB_OK &&
      (s->damaged ||
       kb_index_stamp_check(s->current, &s->stamp, NULL) != KB_OK ||
       kb_index_fingerprint(s->current) != s->fingerprint ||
       remote_changed(s, false))) {
    st = load(s, s->current, reterr_msg);
    changed = st == KB_OK;
    /* A shard that cannot be reached: nothing is answered from the
     * others alone (totals and facets would be wrong) until it is back. */
    if (st != KB_OK)
      s->damaged = true;
    free(now);
    if (st == KB_OK && ret_changed)
      *ret_changed = changed;
    return st;
  }
  /* Published generations never change: any change to the files of the
   * one open now is damage.  Removed or replaced files are not read any
   * more (Xapian holds the old ones open), changed ones would be. */
  char *why = NULL;
  kb_status mine = kb_index_stamp_check(s->current, &s->stamp, &why);
  if (mine == KB_ERR_DB_CORRUPT)
    s->damaged = true;
  if (st == KB_OK && mine != KB_OK && reterr_msg) {
    *reterr_msg = why;
    why = NULL;
  }
  if (st == KB_OK)
    st = mine;
  free(why);
  free(now);
  if (st == KB_OK && ret_changed)
    *ret_changed = changed;
  return st;
}

kb_status kb_searcher_refresh(kb_searcher *s, bool *ret_changed,
                              char **reterr_msg) {
  double now = monotonic();
  if (s->clean && !s->damaged && s->watch_gen >= 0 && s->watch_link >= 0 &&
      now - s->looked_at < LOOK_EVERY_S && unchanged(s)) {
    if (ret_changed)
      *ret_changed = false;
    return KB_OK;
  }
  watch_link_dir(s); /* the folder may be another one now */
  kb_status st = look(s, ret_changed, reterr_msg);
  s->clean = st == KB_OK && !s->damaged;
  s->looked_at = now;
  return st;
}

bool kb_searcher_damaged(const kb_searcher *s) { return s->damaged; }

bool kb_searcher_lost(kb_searcher *s) {
  if (!s->stubfile || s->damaged)
    return s->damaged;
  if (remote_changed(s, true) && load(s, s->current, NULL) != KB_OK)
    s->damaged = true;
  return s->damaged;
}

kb_status kb_searcher_probe(kb_searcher *s, char **reterr_msg) {
  if (s->damaged && s->stubfile)
    return kb_fail(KB_ERR_DB_OPENING, reterr_msg,
                   "a database the index stub names cannot be opened or "
                   "reached");
  if (s->damaged)
    return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                   "the index open now was changed after it was published");
  char *schema = NULL;
  kb_status st =
      kbx_db_metadata(s->db, KB_META_SCHEMA, &schema, NULL, reterr_msg);
  if (st == KB_OK && strcmp(schema, KB_SCHEMA_VERSION) != 0)
    st = kb_fail(KB_ERR_DB_VERSION, reterr_msg,
                 "the index has schema '%s', this program needs '%s'", schema,
                 KB_SCHEMA_VERSION);
  free(schema);
  return st;
}

const kb_vocab *kb_searcher_vocab(const kb_searcher *s) { return s->vocab; }

bool kb_searcher_version(kb_searcher *s, char *buf, size_t cap) {
  uint64_t rev = 0;
  if (kbx_db_revision(s->db, &rev, NULL) != KB_OK)
    return false;
  int n = snprintf(NULL, 0, "%s@%llu", s->current, (unsigned long long)rev);
  if (n < 0 || (size_t)n >= cap)
    return false;
  snprintf(buf, cap, "%s@%llu", s->current, (unsigned long long)rev);
  return true;
}

const kb_lexicon *kb_searcher_lexicon(const kb_searcher *s) { return s->lex; }

kb_analyzer *kb_searcher_analyzer(kb_searcher *s) { return s->an; }

kbx_db *kb_searcher_db(kb_searcher *s) { return s->db; }

uint64_t kb_searcher_doccount(const kb_searcher *s) { return s->doccount; }

const char *kb_searcher_generation(const kb_searcher *s) { return s->current; }

uint64_t kb_searcher_revision(kb_searcher *s) {
  uint64_t rev = 0;
  if (kbx_db_revision(s->db, &rev, NULL) != KB_OK)
    return 0;
  return rev;
}

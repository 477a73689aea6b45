/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * index_shard.c - sharded indexes (see kb_index.h): which shard holds a
 * record, opening any index layout or stub file for reading, writing the
 * shards of a generation in parallel (one thread per shard, each with its
 * own analyzer, compound splitter and spelling counts), the parts a
 * single database is built in (written the same way, each a range of
 * records, then merged by Xapian's compaction), and the writers an
 * update uses.  Publishing is index_gen.c's job, what goes into a
 * document index_doc.c's.
 *
 * Depends on kb_xapian, kb_analysis, kb_corpus and pthreads.
 */
#include "kb_index.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index_internal.h"
#include "kb_analysis.h"
#include "kb_xapian.h"

/* The comment line of a stub file that names its local database. */
#define AUX_LINE "#teilhabe-aux "
/* A stub file longer than this is not one of ours or Xapian's. */
#define STUB_MAX_BYTES 65536

unsigned kb_index_shard_of(const char *id, unsigned n) {
  if (n <= 1)
    return 0;
  uint32_t h = 2166136261u;
  for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
    h ^= *p;
    h *= 16777619u;
  }
  return h % n;
}

/* ---- reading --------------------------------------------------------- */

static bool is_file(const char *p) {
  struct stat sb;
  return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

static bool is_dir(const char *p) {
  struct stat sb;
  return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The folder of the stub file `stub` with its trailing slash ("" for
 * the current folder), in `buf`: what its relative paths start from. */
static void stub_dir(const char *stub, char *buf, size_t cap) {
  snprintf(buf, cap, "%s", stub);
  char *slash = strrchr(buf, '/');
  if (slash)
    slash[1] = '\0';
  else
    buf[0] = '\0';
}

/* The local database a stub file names with AUX_LINE, else `aux` next
 * to it if there is one; "" (in `buf`) for none. */
static kb_status stub_aux(const char *stub, char *buf, size_t cap,
                          char **reterr_msg) {
  FILE *f = fopen(stub, "re");
  if (f == NULL)
    return kb_fail(KB_ERR_DB_OPENING, reterr_msg, "cannot read '%s': %s", stub,
                   strerror(errno));
  char dir[PATH_MAX];
  stub_dir(stub, dir, sizeof dir);
  char line[PATH_MAX + 32], named[PATH_MAX] = "";
  size_t read = 0;
  while (fgets(line, sizeof line, f) != NULL && read < STUB_MAX_BYTES) {
    read += strlen(line);
    if (strncmp(line, AUX_LINE, strlen(AUX_LINE)) != 0)
      continue;
    char *v = line + strlen(AUX_LINE);
    v[strcspn(v, "\r\n")] = '\0';
    if (strlen(v) < sizeof named)
      memcpy(named, v, strlen(v) + 1);
  }
  fclose(f);
  int n;
  if (named[0] == '/')
    n = snprintf(buf, cap, "%s", named);
  else if (named[0] != '\0')
    n = snprintf(buf, cap, "%s%s", dir, named);
  else
    n = snprintf(buf, cap, "%s%s", dir, KB_SHARD_AUX);
  if (n < 0 || (size_t)n >= cap)
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "the local database named in '%s' has too long a path",
                   stub);
  if (named[0] == '\0' && !is_dir(buf))
    buf[0] = '\0';
  return KB_OK;
}

kb_status kb_index_open(const char *path, kbx_db **ret_db, char **reterr_msg) {
  char stub[PATH_MAX], aux[PATH_MAX];
  if (is_dir(path)) {
    if ((size_t)snprintf(stub, sizeof stub, "%s/%s", path, KB_SHARD_STUB) >=
            sizeof stub ||
        !is_file(stub))
      return kbx_db_open(path, ret_db, reterr_msg);
  } else if (is_file(path)) {
    snprintf(stub, sizeof stub, "%s", path);
  } else {
    return kbx_db_open(path, ret_db, reterr_msg); /* Xapian says why */
  }
  kb_status st = stub_aux(stub, aux, sizeof aux, reterr_msg);
  if (st != KB_OK)
    return st;
  if (aux[0] == '\0')
    return kbx_db_open(stub, ret_db, reterr_msg);
  return kbx_db_open_stub(stub, aux, ret_db, reterr_msg);
}

unsigned kbi_gen_shards(const char *gen) {
  char p[PATH_MAX];
  if ((size_t)snprintf(p, sizeof p, "%s/%s", gen, KB_SHARD_STUB) >= sizeof p ||
      !is_file(p))
    return 1;
  unsigned n = 0;
  while (n < KB_INDEX_SHARDS_MAX &&
         (size_t)snprintf(p, sizeof p, "%s/%s%u", gen, KB_SHARD_PREFIX, n) <
             sizeof p &&
         is_dir(p))
    n++;
  return n ? n : 1;
}

/* ---- writing --------------------------------------------------------- */

/* `gen`/`name` in buf, or KB_ERR_INVALID. */
static kb_status sub_path(char *buf, size_t cap, const char *gen,
                          const char *name, unsigned k, char **reterr_msg) {
  int n = k == UINT_MAX ? snprintf(buf, cap, "%s/%s", gen, name)
                        : snprintf(buf, cap, "%s/%s%u", gen, name, k);
  if (n < 0 || (size_t)n >= cap)
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "index path '%s' is too long; choose a shorter --db", gen);
  return KB_OK;
}

kb_status kbi_writers_open(const char *gen, unsigned n, bool create,
                           kbi_writers *w, char **reterr_msg) {
  *w = (kbi_writers){.n = n};
  char p[PATH_MAX];
  kb_status st = KB_OK;
  enum kbx_wdb_mode mode = create ? KBX_CREATE : KBX_CREATE_OR_OPEN;
  if (n == 1) {
    st = kbx_wdb_open(gen, mode, &w->meta, reterr_msg);
    w->shard[0] = w->meta;
    return st;
  }
  if (create && mkdir(gen, 0755) != 0)
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot create '%s': %s", gen,
                   strerror(errno));
  TRY(sub_path(p, sizeof p, gen, KB_SHARD_AUX, UINT_MAX, reterr_msg));
  TRY(kbx_wdb_open(p, mode, &w->meta, reterr_msg));
  for (unsigned k = 0; k < n; k++) {
    TRY(sub_path(p, sizeof p, gen, KB_SHARD_PREFIX, k, reterr_msg));
    TRY(kbx_wdb_open(p, mode, &w->shard[k], reterr_msg));
    kbx_docid last = 0;
    TRY(kbx_wdb_lastdocid(w->shard[k], &last, reterr_msg));
    if (last > w->last)
      w->last = last;
  }
  if (create) {
    /* Xapian's stub: "auto" lines, relative to the stub's folder. */
    char text[64 * KB_INDEX_SHARDS_MAX];
    size_t len = 0;
    for (unsigned k = 0; k < n; k++)
      len += (size_t)snprintf(text + len, sizeof text - len, "auto %s%u\n",
                              KB_SHARD_PREFIX, k);
    TRY(sub_path(p, sizeof p, gen, KB_SHARD_STUB, UINT_MAX, reterr_msg));
    FILE *f = fopen(p, "we");
    bool ok = f && fwrite(text, 1, len, f) == len;
    if (f && fclose(f) != 0)
      ok = false;
    if (!ok)
      st = kb_fail(KB_ERR_IO, reterr_msg, "cannot write '%s'", p);
  }
out:
  if (st != KB_OK)
    kbi_writers_close(w);
  return st;
}

kb_status kbi_parts_open(const char *gen, unsigned n, kbi_writers *w,
                         char **reterr_msg) {
  *w = (kbi_writers){.n = n, .parts = true};
  char p[PATH_MAX];
  kb_status st = KB_OK;
  if (n < 2 || n > KB_INDEX_SHARDS_MAX)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "cannot build %u parts", n);
  if (mkdir(gen, 0755) != 0)
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot create '%s': %s", gen,
                   strerror(errno));
  for (unsigned k = 0; k < n; k++) {
    TRY(sub_path(p, sizeof p, gen, KBI_PART_PREFIX, k, reterr_msg));
    TRY(kbx_wdb_open(p, KBX_CREATE_SCRATCH, &w->shard[k], reterr_msg));
  }
  w->meta = w->shard[0];
out:
  if (st != KB_OK)
    kbi_writers_close(w);
  return st;
}

kb_status kbi_parts_merge(const char *gen, unsigned n, char **reterr_msg) {
  char paths[KB_INDEX_SHARDS_MAX][PATH_MAX];
  const char *src[KB_INDEX_SHARDS_MAX] = {0};
  kb_status st = KB_OK;
  if (n < 2 || n > KB_INDEX_SHARDS_MAX)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "cannot merge %u parts", n);
  for (unsigned k = 0; k < n; k++) {
    TRY(sub_path(paths[k], sizeof paths[k], gen, KBI_PART_PREFIX, k,
                 reterr_msg));
    src[k] = paths[k];
  }
  st = kbx_compact(src, n, gen, reterr_msg);
out:
  for (unsigned k = 0; k < n; k++)
    if (src[k] != NULL)
      kbi_gen_remove(paths[k]);
  /* A part left behind would be stamped, published and copied by every
   * update: not a generation to publish. */
  for (unsigned k = 0; k < n && st == KB_OK; k++)
    if (src[k] != NULL && is_dir(paths[k]))
      st = kb_fail(KB_ERR_IO, reterr_msg, "cannot remove '%s' after merging",
                   paths[k]);
  return st;
}

kb_status kbi_writers_commit(kbi_writers *w, char **reterr_msg) {
  kb_status st = KB_OK;
  for (unsigned k = 0; k < w->n && st == KB_OK; k++)
    if (w->shard[k] != w->meta)
      st = kbx_wdb_commit(w->shard[k], reterr_msg);
  if (st == KB_OK)
    st = kbx_wdb_commit(w->meta, reterr_msg);
  return st;
}

void kbi_writers_close(kbi_writers *w) {
  for (unsigned k = 0; k < w->n; k++)
    if (w->shard[k] != w->meta)
      kbx_wdb_close(w->shard[k]);
  kbx_wdb_close(w->meta);
  *w = (kbi_writers){0};
}

kb_status kbi_writers_put(kbi_writers *w, kb_analyzer *an, kbi_splitter *split,
                          kb_counter *spell, const kb_article *a, bool stored,
                          char **reterr_msg) {
  if (w->n == 1)
    return kbi_index_article(w->meta, an, split, spell, a, 0, reterr_msg);
  kbx_wdb *shard = w->shard[kb_index_shard_of(a->id, w->n)];
  /* A stored record keeps its id (replaced by its id term); a new one
   * gets the next id, as a single database would give it. */
  return kbi_index_article(shard, an, split, spell, a, stored ? 0 : ++w->last,
                           reterr_msg);
}

kb_status kbi_writers_delete(kbi_writers *w, const char *id, const char *term,
                             char **reterr_msg) {
  return kbx_wdb_delete(w->shard[kb_index_shard_of(id, w->n)], term,
                        reterr_msg);
}

/* One writer thread: the articles of one shard, in corpus order. */
typedef struct shard_job {
  const kb_corpus *corpus;
  const kb_lexicon *lex;
  kbx_wdb *wdb;
  unsigned k, n;
  size_t from, to; /* the records to look at */
  bool range;      /* all of them (a part), else those of shard k */
  kb_counter spell;
  kb_status st;
  bool stopped; /* by another job's failure: not this job's to report */
  char *err;
  /* Shared by all jobs of a build. */
  pthread_mutex_t *mu;
  size_t *done;
  bool *abort;
  kb_index_progress progress;
  void *ctx;
} shard_job;

/* After each article: reports progress; false when the build stops
 * (the callback said so: KB_ERR_INVALID, or another job failed). */
static bool job_step(shard_job *j) {
  pthread_mutex_lock(j->mu);
  j->stopped = *j->abort;
  bool go = !j->stopped;
  if (go && j->progress && !j->progress(++*j->done, j->corpus->n, j->ctx)) {
    *j->abort = true;
    go = false;
    j->st = kb_fail(KB_ERR_INVALID, &j->err, "index build aborted");
  }
  pthread_mutex_unlock(j->mu);
  return go;
}

static void *run_job(void *p) {
  shard_job *j = p;
  kb_analyzer *an = NULL;
  kbi_splitter split;
  j->st = kb_analyzer_new(&an, &j->err);
  if (j->st == KB_OK)
    kb_analyzer_remember_stems(an);
  kbi_splitter_init(&split, j->lex, an);
  size_t written = 0;
  for (size_t i = j->from; j->st == KB_OK && i < j->to; i++) {
    const kb_article *a = j->corpus->articles[i];
    if (!j->range && kb_index_shard_of(a->id, j->n) != j->k)
      continue;
    /* The id a single database gives the i-th article of a build. */
    j->st = kbi_index_article(j->wdb, an, &split, &j->spell, a,
                              (kbx_docid)(i + 1), &j->err);
    /* Bounded buffers, as for a single database (KBI_FLUSH_DOCS). */
    if (j->st == KB_OK && ++written % KBI_FLUSH_DOCS == 0)
      j->st = kbx_wdb_commit(j->wdb, &j->err);
    if (j->st != KB_OK && !(j->err && strstr(j->err, a->path))) {
      /* Say which record, unless the message does already. */
      char *inner = j->err;
      j->err = NULL;
      kb_fail(j->st, &j->err, "%s: %s", a->path,
              inner ? inner : kb_status_str(j->st));
      free(inner);
    } else if (j->st == KB_OK && !job_step(j) && j->stopped) {
      j->st = KB_ERR_INVALID;
    }
  }
  if (j->st == KB_OK)
    j->st = kbx_wdb_commit(j->wdb, &j->err);
  if (j->st == KB_OK)
    j->st = kbi_splitter_flush(&split, &j->spell, &j->err);
  if (j->st != KB_OK) {
    pthread_mutex_lock(j->mu);
    *j->abort = true;
    pthread_mutex_unlock(j->mu);
  }
  kbi_splitter_release(&split);
  kb_analyzer_free(an);
  return NULL;
}

/* What a record costs to index besides its text (its fields' terms,
 * the stored record), in bytes of text. */
enum { RECORD_COST = 1024 };

static double record_weight(const kb_article *a) {
  return (double)(strlen(a->title) + strlen(a->summary) + a->body_len +
                  RECORD_COST);
}

/* Part k of `n` holds records cut[k] .. cut[k + 1] - 1: ranges of about
 * equal text, so that the parts' threads end at about the same time
 * (each cut shares what is left equally over the parts left, so one
 * huge record does not unbalance the others); none is empty (the corpus
 * has at least `n` records). */
static void part_cuts(const kb_corpus *c, unsigned n, size_t *cut) {
  double total = 0, sum = 0; /* sum: the text of records 0 .. i - 1 */
  for (size_t i = 0; i < c->n; i++)
    total += record_weight(c->articles[i]);
  size_t i = 0;
  cut[0] = 0;
  for (unsigned k = 1; k < n; k++) {
    const double goal = sum + (total - sum) / (n - k + 1);
    const size_t lo = cut[k - 1] + 1, hi = c->n - (n - k);
    while (i < hi && (i < lo || sum + record_weight(c->articles[i]) / 2 < goal))
      sum += record_weight(c->articles[i++]);
    cut[k] = i;
  }
  cut[n] = c->n;
}

typedef struct sum_ctx {
  kb_counter *all;
  kb_status st;
} sum_ctx;

static bool add_count(const char *word, unsigned count, void *ctx) {
  sum_ctx *sc = ctx;
  /* A full table stops learning new words (KB_ERR_LIMIT); anything
   * else (no memory) fails the build rather than lose words quietly. */
  kb_status st = kb_counter_add(sc->all, word, strlen(word), count);
  if (st != KB_OK && st != KB_ERR_LIMIT)
    sc->st = st;
  return sc->st == KB_OK;
}

/* One thread of a part's spelling words: its share of all of them. */
typedef struct spell_job {
  kbx_wdb *wdb;
  const kb_counter *all;
  unsigned k, n;
  kb_status st;
  char *err;
} spell_job;

static void *run_spell(void *p) {
  spell_job *j = p;
  j->st = kbi_apply_spelling_share(j->wdb, j->all, true, j->k, j->n, &j->err);
  if (j->st == KB_OK)
    j->st = kbx_wdb_commit(j->wdb, &j->err);
  return NULL;
}

/* The spelling words of all parts, summed, stored one share per part
 * (in parallel): merging the parts makes the table a serial build
 * makes, each word stored once.  (Only while the table is not full: past
 * KBI_SPELLING_MAX_WORDS distinct words each part's counter stops on its
 * own, so which rare words are left out can differ from a serial
 * build's choice.) */
static kb_status spell_parts(kbi_writers *w, const kb_counter *counts,
                             char **reterr_msg) {
  kb_counter all;
  kb_counter_init(&all, KBI_SPELLING_MAX_WORDS);
  sum_ctx sc = {.all = &all};
  for (unsigned k = 0; k < w->n && sc.st == KB_OK; k++)
    kb_counter_each(&counts[k], add_count, &sc);
  if (sc.st != KB_OK) {
    kb_counter_release(&all);
    return kb_fail(sc.st, reterr_msg, "cannot sum the spelling words: %s",
                   kb_status_str(sc.st));
  }
  spell_job jobs[KB_INDEX_SHARDS_MAX];
  pthread_t tids[KB_INDEX_SHARDS_MAX];
  bool started[KB_INDEX_SHARDS_MAX] = {0};
  for (unsigned k = 0; k < w->n; k++)
    jobs[k] = (spell_job){.wdb = w->shard[k], .all = &all, .k = k, .n = w->n};
  for (unsigned k = 1; k < w->n; k++)
    started[k] = pthread_create(&tids[k], NULL, run_spell, &jobs[k]) == 0;
  run_spell(&jobs[0]);
  kb_status st = KB_OK;
  for (unsigned k = 0; k < w->n; k++) {
    if (k > 0 && started[k])
      pthread_join(tids[k], NULL);
    else if (k > 0)
      run_spell(&jobs[k]);
    if (st == KB_OK && jobs[k].st != KB_OK) {
      st = jobs[k].st;
      if (reterr_msg) {
        *reterr_msg = jobs[k].err;
        jobs[k].err = NULL;
      }
    }
    free(jobs[k].err);
  }
  kb_counter_release(&all);
  return st;
}

kb_status kbi_writers_build(kbi_writers *w, const kb_corpus *corpus,
                            const kb_lexicon *lex, kb_index_progress progress,
                            void *ctx, char **reterr_msg) {
  shard_job jobs[KB_INDEX_SHARDS_MAX];
  pthread_t tids[KB_INDEX_SHARDS_MAX];
  bool started[KB_INDEX_SHARDS_MAX] = {0};
  size_t cut[KB_INDEX_SHARDS_MAX + 1];
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  size_t done = 0;
  bool abort = false;
  kb_status st = KB_OK;
  if (w->parts && corpus->n < w->n)
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "cannot write %zu records in %u parts", corpus->n, w->n);
  if (w->parts)
    part_cuts(corpus, w->n, cut);
  for (unsigned k = 0; k < w->n; k++) {
    jobs[k] = (shard_job){.corpus = corpus,
                          .lex = lex,
                          .wdb = w->shard[k],
                          .k = k,
                          .n = w->n,
                          .from = w->parts ? cut[k] : 0,
                          .to = w->parts ? cut[k + 1] : corpus->n,
                          .range = w->parts,
                          .mu = &mu,
                          .done = &done,
                          .abort = &abort,
                          .progress = progress,
                          .ctx = ctx};
    kb_counter_init(&jobs[k].spell, KBI_SPELLING_MAX_WORDS);
    started[k] = pthread_create(&tids[k], NULL, run_job, &jobs[k]) == 0;
    if (!started[k]) {
      jobs[k].st = kb_fail(KB_ERR_NOMEM, &jobs[k].err,
                           "cannot start a thread for shard %u", k);
      pthread_mutex_lock(&mu);
      abort = true;
      pthread_mutex_unlock(&mu);
    }
  }
  for (unsigned k = 0; k < w->n; k++)
    if (started[k])
      pthread_join(tids[k], NULL);
  /* The first failure says why; the spelling words go to the local
   * database, summed over the shards, or are shared out to the parts. */
  kb_counter counts[KB_INDEX_SHARDS_MAX];
  for (unsigned k = 0; k < w->n; k++) {
    if (st == KB_OK && jobs[k].st != KB_OK && !jobs[k].stopped) {
      st = jobs[k].st;
      if (reterr_msg) {
        *reterr_msg = jobs[k].err;
        jobs[k].err = NULL;
      }
    }
    if (st == KB_OK && !w->parts)
      st = kbi_apply_spellings(w->meta, &jobs[k].spell, true, reterr_msg);
    counts[k] = jobs[k].spell;
  }
  if (st == KB_OK && w->parts)
    st = spell_parts(w, counts, reterr_msg);
  for (unsigned k = 0; k < w->n; k++) {
    kb_counter_release(&jobs[k].spell);
    free(jobs[k].err);
  }
  pthread_mutex_destroy(&mu);
  return st;
}

/* ---- noticing a changed stub file's databases ------------------------ */

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    h ^= ((const unsigned char *)p)[i];
    h *= 1099511628211ull;
  }
  return h;
}

/* Mixes what stat(2) says of `path` (nothing if absent) into `h`. */
static uint64_t mix_stat(uint64_t h, const char *path) {
  struct stat sb;
  if (stat(path, &sb) != 0)
    return fnv(h, "-", 1);
  long long v[4] = {(long long)sb.st_ino, (long long)sb.st_size,
                    (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec};
  return fnv(h, v, sizeof v);
}

static uint64_t mix_stub(uint64_t h, const char *stub, int depth);

/* Mixes in the local database `db`: its version file, which glass
 * replaces on every commit, or the stub xapian-replicate keeps in a
 * replica folder (XAPIANDB) and what it names. */
static uint64_t mix_db(uint64_t h, const char *db, int depth) {
  char p[PATH_MAX];
  h = mix_stat(h, db);
  if ((size_t)snprintf(p, sizeof p, "%s/iamglass", db) < sizeof p)
    h = mix_stat(h, p);
  if ((size_t)snprintf(p, sizeof p, "%s/XAPIANDB", db) < sizeof p && is_file(p))
    h = mix_stub(h, p, depth + 1);
  return h;
}

/* Mixes in the stub file `stub` and its local databases (two levels of
 * stubs at most). */
static uint64_t mix_stub(uint64_t h, const char *stub, int depth) {
  h = mix_stat(h, stub);
  FILE *f = depth < 3 ? fopen(stub, "re") : NULL;
  if (f == NULL)
    return h;
  char dir[PATH_MAX], line[PATH_MAX], p[PATH_MAX];
  stub_dir(stub, dir, sizeof dir);
  size_t read = 0;
  while (fgets(line, sizeof line, f) != NULL && read < STUB_MAX_BYTES) {
    read += strlen(line);
    line[strcspn(line, "\r\n")] = '\0';
    const char *t = NULL;
    if (strncmp(line, "auto ", 5) == 0 || strncmp(line, "glass ", 6) == 0)
      t = strchr(line, ' ') + 1;
    if (t == NULL || *t == '\0')
      continue; /* remote lines: a server follows its own database */
    if ((size_t)snprintf(p, sizeof p, "%s%s", *t == '/' ? "" : dir, t) <
        sizeof p)
      h = mix_db(h, p, depth);
  }
  fclose(f);
  return h;
}

uint64_t kb_index_fingerprint(const char *path) {
  uint64_t h = 14695981039346656037ull;
  char aux[PATH_MAX];
  if (!is_file(path))
    return h;
  h = mix_stub(h, path, 0);
  if (stub_aux(path, aux, sizeof aux, NULL) == KB_OK && aux[0] != '\0')
    h = mix_db(h, aux, 0);
  return h;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * index_pipe.c - a full build's analysis on every core.
 *
 * A build reads every record's text twice: once for the corpus' own
 * words (the compound lexicon is built from them), then for the
 * documents.  Both passes are shared out to worker threads, each with
 * its own analyzer, compound splitter and counters; nothing is shared
 * between them but the read-only corpus and lexicon.  In the second
 * pass the calling thread adds the workers' documents to the database
 * in corpus order while they make the next ones, so the index is the
 * one a single thread would build: the same document ids, terms,
 * values, records and spelling counts (tests/e2e/e2e_index_jobs.py
 * compares the two).
 *
 * Memory stays bounded: at most PIPE_WINDOW finished documents wait for
 * the writer, and the writer commits every KBI_FLUSH_DOCS documents, so
 * Xapian never buffers the postings of more than that many (its own
 * default is 10,000; see docs/benchmarks.md for what the figure costs).
 *
 * Depends on index_doc.c (kbi_make_doc), kb_analysis, kb_counter and
 * pthreads.
 */
#include "index_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb_analysis.h"

enum {
  PIPE_MAX_JOBS = 16,
  PIPE_WINDOW = 64,      /* finished documents waiting for the writer */
  PIPE_MIN_PER_JOB = 16, /* fewer records than this per thread: fewer */
};

static atomic_uint jobs_wanted; /* 0: one per core */

void kb_index_set_jobs(unsigned jobs) { atomic_store(&jobs_wanted, jobs); }

/* How many workers for `n` records. */
static size_t pipe_jobs(size_t n) {
  size_t jobs = atomic_load(&jobs_wanted);
  if (jobs == 0) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = cpus > 0 ? (size_t)cpus : 1;
  }
  if (jobs > PIPE_MAX_JOBS)
    jobs = PIPE_MAX_JOBS;
  if (jobs > n / PIPE_MIN_PER_JOB)
    jobs = n / PIPE_MIN_PER_JOB;
  return jobs ? jobs : 1;
}

/* Starts `fn` on `jobs` threads with argument `arg + t * size`; a
 * thread that cannot start runs on this one afterwards.  Returns when
 * all have ended. */
static void run_all(size_t jobs, void *(*fn)(void *), char *arg, size_t size) {
  pthread_t tids[PIPE_MAX_JOBS];
  bool started[PIPE_MAX_JOBS] = {false};
  for (size_t t = 1; t < jobs; t++)
    started[t] = pthread_create(&tids[t], NULL, fn, arg + t * size) == 0;
  fn(arg);
  for (size_t t = 1; t < jobs; t++) {
    if (started[t])
      pthread_join(tids[t], NULL);
    else
      fn(arg + t * size);
  }
}

/* ---- pass 1: the corpus' words for the lexicon ------------------------- */

typedef struct words_job {
  const kb_corpus *c;
  size_t from, to;
  kb_counter words;
  kb_status st;
  char *err;
} words_job;

static bool count_word(const kb_token *t, void *ctx) {
  kb_counter *words = ctx;
  /* A full table stops learning new words, as the builder would. */
  if (!(t->flags & KB_TOK_JOINED))
    kb_counter_add(words, t->word, t->len, 1);
  return true;
}

static void *words_range(void *p) {
  words_job *job = p;
  kb_analyzer *an = NULL;
  job->st = kb_analyzer_new(&an, &job->err);
  for (size_t i = job->from; i < job->to && job->st == KB_OK; i++) {
    const kb_article *a = job->c->articles[i];
    const char *texts[3] = {a->title, a->summary, a->body};
    for (int k = 0; k < 3 && job->st == KB_OK; k++) {
      uint32_t pos = 0;
      job->st = kb_analyze(an, texts[k], strlen(texts[k]), &pos, count_word,
                           &job->words, &job->err);
    }
  }
  kb_analyzer_free(an);
  return NULL;
}

typedef struct feed_ctx {
  kb_lexicon_builder *b;
} feed_ctx;

static bool feed_counted(const char *word, unsigned count, void *ctx) {
  feed_ctx *fc = ctx;
  /* Errors are a word the lexicon does not take (too long, not a
   * word); the serial feed ignored them the same way. */
  kb_lexicon_builder_add(fc->b, word, strlen(word), count, 0, NULL);
  return true;
}

kb_status kbi_feed_corpus_words(const kb_corpus *c, kb_lexicon_builder *b,
                                char **reterr_msg) {
  size_t jobs = pipe_jobs(c->n);
  words_job w[PIPE_MAX_JOBS];
  for (size_t t = 0; t < jobs; t++) {
    w[t] = (words_job){
        .c = c, .from = c->n * t / jobs, .to = c->n * (t + 1) / jobs};
    kb_counter_init(&w[t].words, 0); /* the builder has its own cap */
  }
  run_all(jobs, words_range, (char *)w, sizeof w[0]);
  kb_status st = KB_OK;
  feed_ctx fc = {.b = b};
  for (size_t t = 0; t < jobs; t++) {
    if (st == KB_OK && w[t].st != KB_OK) {
      st = w[t].st;
      if (reterr_msg) {
        *reterr_msg = w[t].err;
        w[t].err = NULL;
      }
    }
    /* In corpus order of the ranges, so a full lexicon keeps the same
     * words on every run. */
    if (st == KB_OK)
      kb_counter_each(&w[t].words, feed_counted, &fc);
    kb_counter_release(&w[t].words);
    free(w[t].err);
  }
  return st;
}

/* ---- pass 2: documents made on every core, written on this one --------- */

typedef struct pipe_slot {
  kbx_doc *doc;
  kb_status st;
  char *err;
  bool ready;
} pipe_slot;

typedef struct pipe_shared {
  const kb_corpus *c;
  pthread_mutex_t mu;
  pthread_cond_t ready, room, go;
  size_t jobs;  /* workers running; 0: the writer makes the documents */
  bool started; /* `jobs` is final, workers may begin */
  size_t taken; /* documents the writer has taken */
  bool stop;
  pipe_slot slot[PIPE_WINDOW];
} pipe_shared;

typedef struct doc_worker {
  pipe_shared *sh;
  size_t first; /* this worker makes records first, first + jobs, ... */
  kb_analyzer *an;
  kbi_splitter split;
  kb_counter spell;
} doc_worker;

static void *make_docs(void *p) {
  doc_worker *w = p;
  pipe_shared *sh = w->sh;
  pthread_mutex_lock(&sh->mu);
  while (!sh->started)
    pthread_cond_wait(&sh->go, &sh->mu);
  size_t jobs = sh->jobs;
  pthread_mutex_unlock(&sh->mu);
  for (size_t i = w->first; i < sh->c->n; i += jobs) {
    pthread_mutex_lock(&sh->mu);
    while (!sh->stop && i >= sh->taken + PIPE_WINDOW)
      pthread_cond_wait(&sh->room, &sh->mu);
    bool stop = sh->stop;
    pthread_mutex_unlock(&sh->mu);
    if (stop)
      break;
    pipe_slot s = {.ready = true};
    s.st = kbi_make_doc(w->an, &w->split, &w->spell, sh->c->articles[i], &s.doc,
                        &s.err);
    pthread_mutex_lock(&sh->mu);
    sh->slot[i % PIPE_WINDOW] = s;
    pthread_cond_broadcast(&sh->ready);
    pthread_mutex_unlock(&sh->mu);
    if (s.st != KB_OK)
      break;
  }
  return NULL;
}

/* Record i's document: from its slot (waiting for it), or made here
 * by `self` when no worker runs. */
static pipe_slot take(pipe_shared *sh, doc_worker *self, size_t i) {
  pipe_slot s = {0};
  if (sh->jobs == 0) {
    s.st = kbi_make_doc(self->an, &self->split, &self->spell,
                        sh->c->articles[i], &s.doc, &s.err);
    return s;
  }
  pthread_mutex_lock(&sh->mu);
  pipe_slot *ps = &sh->slot[i % PIPE_WINDOW];
  while (!ps->ready)
    pthread_cond_wait(&sh->ready, &sh->mu);
  s = *ps;
  *ps = (pipe_slot){0};
  sh->taken = i + 1;
  pthread_cond_broadcast(&sh->room);
  pthread_mutex_unlock(&sh->mu);
  return s;
}

/* Adds the documents in corpus order; the first failure stops all. */
static kb_status write_docs(pipe_shared *sh, doc_worker *self, kbx_wdb *wdb,
                            kb_index_progress progress, void *ctx,
                            char **reterr_msg) {
  const kb_corpus *c = sh->c;
  kb_status st = KB_OK;
  for (size_t i = 0; i < c->n && st == KB_OK; i++) {
    pipe_slot s = take(sh, self, i);
    const kb_article *a = c->articles[i];
    /* A new database: record i is document i + 1, as adding them one
     * by one would number them, without looking the id term up. */
    if (s.st == KB_OK)
      s.st = kbx_wdb_replace_at(wdb, (kbx_docid)(i + 1), s.doc, &s.err);
    kbx_doc_free(s.doc);
    if (s.st == KB_OK && (i + 1) % KBI_FLUSH_DOCS == 0)
      s.st = kbx_wdb_commit(wdb, &s.err);
    if (s.st != KB_OK)
      st = kb_fail(s.st, reterr_msg, "%s: %s", a->path,
                   s.err ? s.err : kb_status_str(s.st));
    else if (progress && !progress(i + 1, c->n, ctx))
      st = kb_fail(KB_ERR_INVALID, reterr_msg, "index build aborted");
    free(s.err);
  }
  pthread_mutex_lock(&sh->mu);
  sh->stop = true;
  pthread_cond_broadcast(&sh->room);
  pthread_mutex_unlock(&sh->mu);
  return st;
}

static bool merge_spelling(const char *word, unsigned count, void *ctx) {
  /* A full table stops learning new words, as in a serial build. */
  kb_counter_add(ctx, word, strlen(word), count);
  return true;
}

kb_status kbi_write_docs(const kb_corpus *c, kbx_wdb *wdb,
                         const kb_lexicon *lex, kb_counter *spell,
                         kb_index_progress progress, void *ctx,
                         char **reterr_msg) {
  size_t want = pipe_jobs(c->n);
  pipe_shared sh = {.c = c};
  pthread_mutex_init(&sh.mu, NULL);
  pthread_cond_init(&sh.ready, NULL);
  pthread_cond_init(&sh.room, NULL);
  pthread_cond_init(&sh.go, NULL);
  doc_worker w[PIPE_MAX_JOBS];
  pthread_t tids[PIPE_MAX_JOBS];
  size_t made = 0, running = 0;
  kb_status st = KB_OK;
  for (; made < want; made++) {
    w[made] = (doc_worker){.sh = &sh};
    kbi_splitter_init(&w[made].split, lex);
    kb_counter_init(&w[made].spell, KBI_SPELLING_MAX_WORDS);
    if ((st = kb_analyzer_new(&w[made].an, reterr_msg)) != KB_OK) {
      made++;
      break;
    }
  }
  /* One worker per core; the writer mostly waits on Xapian's I/O and
   * merging, so it shares a core.  Workers that do not start leave
   * their records to the others (the stride is set once all tried). */
  for (size_t t = 0; st == KB_OK && t < made && want > 1; t++) {
    w[t].first = running;
    if (pthread_create(&tids[running], NULL, make_docs, &w[t]) == 0)
      running++;
  }
  pthread_mutex_lock(&sh.mu);
  sh.jobs = running;
  sh.started = true;
  pthread_cond_broadcast(&sh.go);
  pthread_mutex_unlock(&sh.mu);
  if (st == KB_OK)
    st = write_docs(&sh, &w[made - 1], wdb, progress, ctx, reterr_msg);
  for (size_t t = 0; t < running; t++)
    pthread_join(tids[t], NULL);
  for (size_t i = 0; i < PIPE_WINDOW; i++) {
    kbx_doc_free(sh.slot[i].doc);
    free(sh.slot[i].err);
  }
  for (size_t t = 0; t < made; t++) {
    /* Summed counts do not depend on which worker saw a word. */
    if (st == KB_OK)
      kb_counter_each(&w[t].spell, merge_spelling, spell);
    kb_counter_release(&w[t].spell);
    kbi_splitter_release(&w[t].split);
    kb_analyzer_free(w[t].an);
  }
  pthread_cond_destroy(&sh.go);
  pthread_cond_destroy(&sh.room);
  pthread_cond_destroy(&sh.ready);
  pthread_mutex_destroy(&sh.mu);
  return st;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * index_pipe.c - how many threads a full build uses, and its first pass
 * on all of them.
 *
 * A build reads every record's text twice: once for the corpus' own
 * words (the compound lexicon is built from them; here), then for the
 * documents, which index_shard.c writes in parts, one thread each, and
 * merges.  Each thread has its own analyzer and counters; nothing is
 * shared between them but the read-only corpus.
 *
 * Depends on kb_analysis, kb_counter and pthreads.
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
  PIPE_MAX_JOBS = KB_INDEX_SHARDS_MAX,
  PIPE_MIN_PER_JOB = 16, /* fewer records than this per thread: fewer */
};

static atomic_uint jobs_wanted; /* 0: one per core */

void kb_index_set_jobs(unsigned jobs) { atomic_store(&jobs_wanted, jobs); }

size_t kbi_build_jobs(size_t n) {
  size_t jobs = atomic_load(&jobs_wanted);
  /* By default fewer threads for few records (a thread costs more than
   * it saves); a number asked for is kept while each has a record. */
  size_t per_job = jobs ? 1 : PIPE_MIN_PER_JOB;
  if (jobs == 0) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = cpus > 0 ? (size_t)cpus : 1;
  }
  if (jobs > PIPE_MAX_JOBS)
    jobs = PIPE_MAX_JOBS;
  if (jobs > n / per_job)
    jobs = n / per_job;
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
  if (job->st == KB_OK)
    kb_analyzer_no_stems(an, true); /* the lexicon takes words only */
  for (size_t i = job->from; i < job->to && job->st == KB_OK; i++) {
    kb_article view;
    const kb_article *a = NULL;
    char *body = NULL;
    job->st =
        kb_article_with_body(job->c->articles[i], &view, &a, &body, &job->err);
    if (job->st != KB_OK)
      break;
    const char *texts[3] = {a->title, a->summary, a->body};
    for (int k = 0; k < 3 && job->st == KB_OK; k++) {
      uint32_t pos = 0;
      job->st = kb_analyze(an, texts[k], strlen(texts[k]), &pos, count_word,
                           &job->words, &job->err);
    }
    free(body);
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
  size_t jobs = kbi_build_jobs(c->n);
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

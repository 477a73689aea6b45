/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pool.c - the worker threads and their one queue (see pool.h).
 *
 * One mutex guards the queue (a singly linked list with a tail pointer)
 * and the stop flag; a free thread sleeps on one condition variable and
 * is woken for each job queued.  A job's run is outside the lock.
 */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>

struct pool {
  pthread_mutex_t lock;
  pthread_cond_t work; /* a job was queued, or the pool stops */
  pool_job *head, *tail;
  bool stopping; /* no more jobs taken */
  bool joined;
  unsigned nthreads;
  pthread_t *threads;
};

static void *pool_thread(void *arg) {
  pool *p = arg;
  pthread_mutex_lock(&p->lock);
  for (;;) {
    while (p->head == NULL && !p->stopping)
      pthread_cond_wait(&p->work, &p->lock);
    pool_job *job = p->head;
    if (job == NULL)
      break; /* stopping, and nothing left */
    p->head = job->next;
    if (p->head == NULL)
      p->tail = NULL;
    pthread_mutex_unlock(&p->lock);
    job->next = NULL;
    job->run(job);
    pthread_mutex_lock(&p->lock);
  }
  pthread_mutex_unlock(&p->lock);
  return NULL;
}

pool *pool_new(unsigned threads) {
  if (threads == 0)
    threads = 1;
  pool *p = calloc(1, sizeof *p);
  if (p == NULL)
    return NULL;
  p->threads = calloc(threads, sizeof *p->threads);
  if (p->threads == NULL) {
    free(p);
    return NULL;
  }
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->work, NULL);
  for (; p->nthreads < threads; p->nthreads++) {
    if (pthread_create(&p->threads[p->nthreads], NULL, pool_thread, p) != 0) {
      pool_free(p); /* joins those started */
      return NULL;
    }
  }
  return p;
}

bool pool_submit(pool *p, pool_job *job) {
  job->next = NULL;
  pthread_mutex_lock(&p->lock);
  bool ok = !p->stopping;
  if (ok) {
    if (p->tail)
      p->tail->next = job;
    else
      p->head = job;
    p->tail = job;
    pthread_cond_signal(&p->work);
  }
  pthread_mutex_unlock(&p->lock);
  return ok;
}

void pool_stop(pool *p, bool finish) {
  if (p == NULL)
    return;
  pthread_mutex_lock(&p->lock);
  bool join = !p->joined;
  p->stopping = true;
  p->joined = true;
  pool_job *left = NULL;
  if (!finish) { /* the threads find the queue empty */
    left = p->head;
    p->head = p->tail = NULL;
  }
  pthread_cond_broadcast(&p->work);
  pthread_mutex_unlock(&p->lock);
  while (left) {
    pool_job *job = left;
    left = job->next;
    job->next = NULL;
    if (job->cancel)
      job->cancel(job);
    else
      job->run(job);
  }
  for (unsigned i = 0; join && i < p->nthreads; i++)
    pthread_join(p->threads[i], NULL);
}

void pool_free(pool *p) {
  if (p == NULL)
    return;
  pool_stop(p, true);
  pthread_cond_destroy(&p->work);
  pthread_mutex_destroy(&p->lock);
  free(p->threads);
  free(p);
}

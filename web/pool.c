/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pool.c - the worker threads and their one queue (see pool.h).
 *
 * One mutex guards the queue (a singly linked list with a tail pointer),
 * the stop flag and who polls; a free thread sleeps on one condition
 * variable and is woken for a job queued while it sleeps, or to take
 * over the event loop.  A job's run and the poller are outside the lock.
 *
 * With a poller, these hold: at most one thread polls; a thread waits
 * for jobs only while another polls (so requests are always read while
 * a thread is free); and every thread that stops polling or finishes a
 * job looks at the queue and the loop again itself, so no state is left
 * for a sleeping thread to notice.
 */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct pool {
  pthread_mutex_t lock;
  pthread_cond_t work; /* a job was queued, or the pool stops */
  pool_job *head, *tail;
  bool stopping; /* no more jobs taken */
  bool joined;
  unsigned nthreads;
  pthread_t *threads;
  pool_loop loop; /* poll NULL: none */
  bool polling;   /* a thread runs loop.poll */
  bool rerun;     /* it passes once more before it stops polling */
  unsigned idle;  /* threads waiting on `work` */
};

/*
 * A point between two jobs where the kernel may hand this core to
 * another thread if this one has used up its time slice; it plays the
 * part of the kernel's own cond_resched() in long loops.  On Linux 6.6
 * and later (the EEVDF scheduler) a spent slice is noticed when the
 * running thread's time is accounted: at the timer tick (every 4 ms at
 * HZ=250), at a scheduling event on that core, or when the thread's CPU
 * clock is read.  Under load a pool thread runs job after job without
 * sleeping.  A thread woken meanwhile that may not preempt it at once,
 * such as the client reading an answer, would then wait for the next
 * tick, although the slice had run out long before.  Reading the CPU clock
 * makes the kernel account the time now.  When the slice is spent, the
 * kernel reschedules on the way back from the call; when it is not, the
 * call costs about half a microsecond.  The kernel compares threads of
 * the same cgroup here (its leaf run queue): a reverse proxy in another
 * cpu cgroup still waits for the tick.  Measured at 8 connections on two
 * cores, client and server in one cgroup (docs/benchmarks.md, "A
 * preemption point between jobs"): in nine interleaved pairs the p99
 * was lower in every pair, by 0.4 - 1.1 ms (3.79 - 4.72 ms against
 * 4.23 - 5.65), at the same throughput.  Where the kernel does not
 * reschedule here (CFS, before 6.6, checks slices at the tick only) it
 * changes nothing.
 */
static void between_jobs(void) {
  struct timespec t;
  (void)clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
}

/* Runs the poller on this thread, and again without waiting while
 * another thread finished a job meanwhile (rerun); called and returns
 * with the lock held, and nobody polling. */
static void poll_once(pool *p, bool wait) {
  p->polling = true;
  do {
    p->rerun = false;
    pthread_mutex_unlock(&p->lock);
    p->loop.poll(p->loop.ctx, wait);
    pthread_mutex_lock(&p->lock);
    wait = false;
  } while (p->rerun);
  p->polling = false;
}

static void *pool_thread(void *arg) {
  pool *p = arg;
  pthread_mutex_lock(&p->lock);
  for (;;) {
    pool_job *job = p->head;
    if (job) {
      p->head = job->next;
      if (p->head == NULL)
        p->tail = NULL;
      /* A free thread takes over the loop while this one is busy. */
      if (p->loop.poll && !p->polling && p->idle)
        pthread_cond_signal(&p->work);
      pthread_mutex_unlock(&p->lock);
      job->next = NULL;
      job->run(job);
      pthread_mutex_lock(&p->lock);
      /* What the job resumed is sent from here, and the requests that
       * came meanwhile are read - or by the thread that polls, told so:
       * woken if it waits, and made to pass once more in any case, as
       * its pass may have begun before the job resumed its answer. */
      if (p->loop.poll && !p->polling) {
        poll_once(p, false);
      } else if (p->loop.poll) {
        p->rerun = true;
        p->loop.wake(p->loop.ctx);
      }
      /* The preemption point, after the pass that sent the answer or
       * after handing it to the poller, with no lock held - but not while
       * a thread waits for jobs and nobody polls (it went idle during
       * this thread's pass): preempted now, this thread would leave the
       * loop unread while that one sleeps, so it goes back first. */
      if (!p->loop.poll || p->polling || p->idle == 0) {
        pthread_mutex_unlock(&p->lock);
        between_jobs();
        pthread_mutex_lock(&p->lock);
      }
      continue;
    }
    if (p->stopping)
      break; /* and nothing left */
    if (p->loop.poll && !p->polling) {
      poll_once(p, true);
      continue;
    }
    p->idle++;
    pthread_cond_wait(&p->work, &p->lock);
    p->idle--;
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

void pool_set_loop(pool *p, const pool_loop *loop) {
  pthread_mutex_lock(&p->lock);
  if (!p->stopping) {
    p->loop = *loop;
    pthread_cond_signal(&p->work); /* one free thread starts polling */
  }
  pthread_mutex_unlock(&p->lock);
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
    if (p->idle)
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
  if (p->loop.poll && p->polling)
    p->loop.wake(p->loop.ctx);
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
  if (join && p->loop.poll)
    p->loop.poll(p->loop.ctx, false); /* no thread is left to poll */
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

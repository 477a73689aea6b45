/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pool.h - the worker threads and their one queue.
 *
 * Requests are answered by a fixed number of threads that take jobs
 * from one first-in, first-out queue, whichever thread is free.  Before
 * this, each of libmicrohttpd's pool threads answered the connections
 * it had accepted, so a kept-alive connection stayed with one thread:
 * eight connections could land five on one core and three on the
 * other (or all on one), and a request waited behind its thread's
 * others while the other core idled.  A reverse proxy keeps few
 * connections alive, which made this the common case, not the rare one.
 *
 * A job is the caller's struct with a pool_job first; the pool never
 * allocates per job.  The queue holds at most one job per connection
 * (a connection has one request in flight), so it is bounded by the
 * server's connection limit.
 *
 * The threads can also run the server's event loop (pool_set_loop),
 * so that no other thread stands between a request and its answer: a
 * thread that finishes a job runs the loop once without waiting, which
 * sends the answer the job resumed and reads the requests that came
 * meanwhile, and takes the next job - while every thread is busy, no
 * thread is woken for anything.  A thread with nothing to do waits in
 * the loop, one at a time; the others wait for jobs.  A thread that
 * finishes while another is in the loop leaves the loop to it: it wakes
 * it if it waits, and makes it pass once more in any case (its pass may
 * have begun before the job resumed its answer).  Before this, a
 * thread of libmicrohttpd's own read every request and sent every
 * answer: three wake-ups a request, and under load a ready answer often
 * waited a millisecond for that thread to get a core.
 *
 * Between two jobs a thread offers the kernel a point to preempt it if
 * its time slice is spent (pool.c, between_jobs): on Linux 6.6 and
 * later a thread waiting for the core, such as the client reading an
 * answer, then need not wait for the next timer tick.
 *
 * Depends on pthreads only.
 */
#ifndef TEILHABE_WEB_POOL_H
#define TEILHABE_WEB_POOL_H

#include <stdbool.h>

typedef struct pool pool;

typedef struct pool_job pool_job;
struct pool_job {
  /* Runs on one of the pool's threads; the job is the caller's again
   * once it returns (it may free or resubmit it there). */
  void (*run)(pool_job *job);
  /* Called instead of run, on the thread that stops the pool, for a job
   * still queued when pool_stop is told not to finish the queue; NULL:
   * such a job is run there instead. */
  void (*cancel)(pool_job *job);
  pool_job *next; /* the pool's, while queued */
};

/* A pool of `threads` (at least 1) threads, started at once; they
 * inherit the caller's signal mask.  NULL when out of memory or
 * threads (none is left running). */
pool *pool_new(unsigned threads);

/* The event loop the threads run (pool_set_loop). */
typedef struct pool_loop {
  /* Handles what is ready, which may queue jobs; with `wait`, first
   * waits for something to be ready (or for wake), for a bounded time.
   * The pool runs it on one thread at a time. */
  void (*poll)(void *ctx, bool wait);
  /* Makes a poll that waits, or the next one, return soon; called from
   * any thread (after a job, when another thread polls). */
  void (*wake)(void *ctx);
  void *ctx;
} pool_loop;

/* Lets the threads run `loop` (copied) between jobs; a thread waits for
 * jobs only while another polls.  Call it once, before pool_stop.  With
 * a loop, jobs are to be queued from within it (its poll): a job queued
 * from elsewhere while every free thread waits in the loop waits for the
 * loop's bounded wait to end. */
void pool_set_loop(pool *p, const pool_loop *loop);

/* Queues `job` (borrowed until its run returns) behind those queued
 * before it.  False, and nothing queued, once pool_stop has begun: the
 * caller then runs the job itself. */
bool pool_submit(pool *p, pool_job *job);

/* Refuses new jobs; runs those queued (`finish`) or cancels them (each
 * job's cancel, on this thread), lets the threads end the jobs they are
 * running and joins them; then polls once more, without waiting, on
 * this thread (which sends what the last jobs resumed, as far as a few
 * passes get).  Call it from one thread; later calls do nothing. */
void pool_stop(pool *p, bool finish);

/* Stops `p` if that was not done (finishing the queue), and frees it
 * (NULL is fine). */
void pool_free(pool *p);

#endif

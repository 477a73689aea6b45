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

/* Queues `job` (borrowed until its run returns) behind those queued
 * before it.  False, and nothing queued, once pool_stop has begun: the
 * caller then runs the job itself. */
bool pool_submit(pool *p, pool_job *job);

/* Refuses new jobs; runs those queued (`finish`) or cancels them (each
 * job's cancel, on this thread), lets the threads end the jobs they are
 * running and joins them.  Call it from one thread; later calls do
 * nothing. */
void pool_stop(pool *p, bool finish);

/* Stops `p` if that was not done (finishing the queue), and frees it
 * (NULL is fine). */
void pool_free(pool *p);

#endif

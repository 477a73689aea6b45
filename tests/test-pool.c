/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-pool.c - web/pool.c, the server's worker threads and their one
 * queue: a request is taken by whichever thread is free (a slow one
 * does not hold up the next while another thread idles, as it did when
 * each thread kept the connections it had accepted), requests start in
 * the order they came, and stopping answers what is queued (or, told
 * to, hands it to the job's cancel) and refuses what comes after.
 */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "../web/pool.h"
#include "testutil.h"

/* A gate a job can wait at until the test opens it. */
typedef struct gate {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  bool open;
} gate;

/* Opened when the first of queue_numbered's jobs holds the thread. */
static gate g_first_running = {PTHREAD_MUTEX_INITIALIZER,
                               PTHREAD_COND_INITIALIZER, false};
static gate g_gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
                      false};

static void gate_open(gate *g) {
  pthread_mutex_lock(&g->lock);
  g->open = true;
  pthread_cond_broadcast(&g->cond);
  pthread_mutex_unlock(&g->lock);
}

/* Waits up to `ms` for the gate; whether it opened. */
static bool gate_wait(gate *g, int ms) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += ms / 1000;
  until.tv_nsec += (long)(ms % 1000) * 1000000;
  if (until.tv_nsec >= 1000000000) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000;
  }
  pthread_mutex_lock(&g->lock);
  while (!g->open)
    if (pthread_cond_timedwait(&g->cond, &g->lock, &until) != 0)
      break;
  bool open = g->open;
  pthread_mutex_unlock(&g->lock);
  return open;
}

static void gate_close(gate *g) {
  pthread_mutex_lock(&g->lock);
  g->open = false;
  pthread_mutex_unlock(&g->lock);
}

typedef struct job {
  pool_job base;
  gate *started;  /* opened when it starts (NULL: none) */
  gate *wait_for; /* NULL: runs through */
  gate *done;     /* opened when it ran */
  int seq;
  int *log;
  atomic_int *nlog;
  atomic_int *count; /* counted when it ran (run) or was dropped (cancel) */
} job;

static atomic_int ncancelled;

static void cancel(pool_job *pj) {
  (void)pj;
  atomic_fetch_add(&ncancelled, 1);
}

static void run(pool_job *pj) {
  job *j = (job *)pj;
  if (j->started)
    gate_open(j->started);
  if (j->wait_for)
    gate_wait(j->wait_for, 10000);
  if (j->log)
    j->log[atomic_fetch_add(j->nlog, 1)] = j->seq;
  if (j->done)
    gate_open(j->done);
  if (j->count)
    atomic_fetch_add(j->count, 1);
}

/* Numbered jobs and the order they ran in. */
enum { NUMBERED_MAX = 200 };
static job numbered[NUMBERED_MAX];
static int ran[NUMBERED_MAX];
static atomic_int nran;

/* A pool of one thread with numbered[0 .. n) queued in order; the first
 * holds the thread at g_gate (closed here) until the test opens it, so
 * all are queued before any other runs. */
static pool *queue_numbered(int n) {
  pool *p = pool_new(1);
  ck_assert_ptr_nonnull(p);
  gate_close(&g_gate);
  gate_close(&g_first_running);
  atomic_store(&nran, 0);
  for (int i = 0; i < n; i++) {
    numbered[i] = (job){.base = {.run = run, .cancel = cancel},
                        .started = i == 0 ? &g_first_running : NULL,
                        .wait_for = i == 0 ? &g_gate : NULL,
                        .seq = i,
                        .log = ran,
                        .nlog = &nran};
    ck_assert(pool_submit(p, &numbered[i].base));
  }
  return p;
}

START_TEST(a_free_thread_takes_the_next_job) {
  pool *p = pool_new(2);
  ck_assert_ptr_nonnull(p);
  gate slow = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false};
  gate quick_done = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
                     false};
  job a = {.base.run = run, .wait_for = &slow};
  job b = {.base.run = run, .done = &quick_done};
  ck_assert(pool_submit(p, &a.base));
  ck_assert(pool_submit(p, &b.base));
  /* b is answered while a still holds its thread. */
  ck_assert_msg(gate_wait(&quick_done, 5000),
                "the second job waited behind the first with a thread free");
  gate_open(&slow);
  pool_free(p);
}
END_TEST

START_TEST(jobs_start_in_the_order_they_came) {
  pool *p = queue_numbered(NUMBERED_MAX);
  gate_open(&g_gate);
  pool_free(p); /* runs the queue to its end */
  ck_assert_int_eq(atomic_load(&nran), NUMBERED_MAX);
  for (int i = 0; i < NUMBERED_MAX; i++)
    ck_assert_int_eq(ran[i], i);
}
END_TEST

static void *stopper(void *arg) {
  pool_stop(arg, true);
  return NULL;
}

static void *canceller(void *arg) {
  pool_stop(arg, false);
  return NULL;
}

START_TEST(stop_answers_the_queue_and_refuses_more) {
  enum { N = 20 };
  pool *p = queue_numbered(N);
  pthread_t t;
  ck_assert_int_eq(pthread_create(&t, NULL, stopper, p), 0);
  /* Once stopping has begun, a job is refused (the caller answers it);
   * one accepted before runs with the queue. */
  static job late[5000];
  atomic_int late_ran = 0;
  int accepted = 0;
  bool refused = false;
  for (int i = 0; i < 5000 && !refused; i++) {
    late[i] = (job){.base.run = run, .count = &late_ran};
    refused = !pool_submit(p, &late[i].base);
    struct timespec ms = {0, 1000000};
    if (!refused) {
      accepted++;
      nanosleep(&ms, NULL);
    }
  }
  gate_open(&g_gate);
  pthread_join(t, NULL);
  ck_assert(refused);
  ck_assert_int_eq(atomic_load(&nran), N);
  ck_assert_int_eq(atomic_load(&late_ran), accepted);
  ck_assert_int_eq(atomic_load(&ncancelled), 0);
  job after = {.base.run = run};
  ck_assert(!pool_submit(p, &after.base));
  pool_free(p);
}
END_TEST

START_TEST(stop_without_finishing_cancels_the_queue) {
  enum { N = 30 };
  atomic_store(&ncancelled, 0);
  pool *p = queue_numbered(N);
  /* stopped only once the first job holds the thread (else it would be
   * cancelled with the rest) */
  ck_assert(gate_wait(&g_first_running, 10000));
  pthread_t t;
  ck_assert_int_eq(pthread_create(&t, NULL, canceller, p), 0);
  /* The queue behind the running job is cancelled at once, while that
   * job still holds its thread. */
  for (int i = 0; i < 5000 && atomic_load(&ncancelled) < N - 1; i++) {
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
  ck_assert_int_eq(atomic_load(&ncancelled), N - 1);
  gate_open(&g_gate);
  pthread_join(t, NULL);
  /* The one running was let finish; none of the others ran. */
  ck_assert_int_eq(atomic_load(&nran), 1);
  ck_assert_int_eq(ran[0], 0);
  pool_free(p);
}
END_TEST

static Suite *pool_suite(void) {
  Suite *s = suite_create("pool");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, a_free_thread_takes_the_next_job);
  tcase_add_test(tc, jobs_start_in_the_order_they_came);
  tcase_add_test(tc, stop_answers_the_queue_and_refuses_more);
  tcase_add_test(tc, stop_without_finishing_cancels_the_queue);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run_suite(pool_suite()); }

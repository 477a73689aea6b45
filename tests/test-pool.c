/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-pool.c - web/pool.c, the server's worker threads and their one
 * queue: a request is taken by whichever thread is free (a slow one
 * does not hold up the next while another thread idles, as it did when
 * each thread kept the connections it had accepted), requests start in
 * the order they came, and stopping answers what is queued (or, told
 * to, hands it to the job's cancel) and refuses what comes after.  With
 * an event loop: one thread at a time runs it, the thread that finished
 * a job runs it next (so it sends its own answer) unless another thread
 * is in it, which is then woken and passes once more, and stopping
 * wakes a waiting thread.
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

#define GATE_CLOSED                                                            \
  { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false }

/* Opened when the first of queue_numbered's jobs holds the thread. */
static gate g_first_running = GATE_CLOSED;
static gate g_gate = GATE_CLOSED;

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
  gate slow = GATE_CLOSED;
  gate quick_done = GATE_CLOSED;
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

/* A fake event loop.  A poll that waits blocks until woken (or 5 s),
 * as on an epoll descriptor; then it queues the job that "arrived", if
 * any, from inside the loop as the server's handler does, and, when
 * told to, holds the pass at a gate.  Every call is logged with the
 * thread that made it. */
enum { LOG_MAX = 4096 };
typedef struct fake_loop {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  bool woken;
  int inside, most_inside; /* threads in poll now, at most */
  int waiting;             /* threads waiting in a poll now */
  pool *p;
  pool_job *arrived; /* queued by the next pass */
  gate *hold;        /* the next pass waits here */
  gate *held;        /* opened when it does */
  bool refused;      /* pool_submit refused the job that arrived */
  int wakes;         /* fake_wake's calls */
  int nlog;
  char what[LOG_MAX]; /* 'W' poll that waits, 'N' one that does not,
                         'J' a job ran */
  pthread_t who[LOG_MAX];
} fake_loop;

static void fake_log(fake_loop *f, char what) {
  if (f->nlog < LOG_MAX) {
    f->what[f->nlog] = what;
    f->who[f->nlog++] = pthread_self();
  }
}

static void fake_poll(void *ctx, bool wait) {
  fake_loop *f = ctx;
  pthread_mutex_lock(&f->lock);
  f->inside++;
  if (f->inside > f->most_inside)
    f->most_inside = f->inside;
  fake_log(f, wait ? 'W' : 'N');
  if (wait) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    f->waiting++;
    while (!f->woken)
      if (pthread_cond_timedwait(&f->cond, &f->lock, &until) != 0)
        break;
    f->waiting--;
    f->woken = false;
  }
  pool_job *queued = f->arrived;
  f->arrived = NULL;
  gate *hold = f->hold, *held = f->held;
  f->hold = f->held = NULL;
  pthread_mutex_unlock(&f->lock);
  bool ok = queued == NULL || pool_submit(f->p, queued);
  if (hold) {
    gate_open(held);
    gate_wait(hold, 5000);
  }
  pthread_mutex_lock(&f->lock);
  f->refused |= !ok; /* asserted by the test, on its own thread */
  f->inside--;
  pthread_mutex_unlock(&f->lock);
}

static void fake_wake(void *ctx) {
  fake_loop *f = ctx;
  pthread_mutex_lock(&f->lock);
  f->woken = true;
  f->wakes++;
  pthread_cond_broadcast(&f->cond);
  pthread_mutex_unlock(&f->lock);
}

static fake_loop the_loop = {.lock = PTHREAD_MUTEX_INITIALIZER,
                             .cond = PTHREAD_COND_INITIALIZER};

/* Lets `job` arrive (and the next pass hold at `hold`, if not NULL) as
 * a request would: the loop's descriptor wakes. */
static void arrive(fake_loop *f, pool_job *pj, gate *hold, gate *held) {
  pthread_mutex_lock(&f->lock);
  f->arrived = pj;
  f->hold = hold;
  f->held = held;
  pthread_mutex_unlock(&f->lock);
  fake_wake(f);
}

typedef struct loop_job {
  pool_job base;
  fake_loop *f;
  gate *wait_for; /* NULL: runs through */
  gate *done;
} loop_job;

static void run_logged(pool_job *pj) {
  loop_job *j = (loop_job *)pj;
  if (j->wait_for)
    gate_wait(j->wait_for, 5000);
  pthread_mutex_lock(&j->f->lock);
  fake_log(j->f, 'J');
  pthread_mutex_unlock(&j->f->lock);
  gate_open(j->done);
}

/* Waits (at most 5 s) until `holds(f, arg)`, asked under f->lock each
 * millisecond, is true; whether it became so. */
static bool eventually(fake_loop *f, bool (*holds)(const fake_loop *, int),
                       int arg) {
  for (int i = 0; i < 5000; i++) {
    pthread_mutex_lock(&f->lock);
    bool yes = holds(f, arg);
    pthread_mutex_unlock(&f->lock);
    if (yes)
      return true;
    nanosleep(&(struct timespec){0, 1000000}, NULL);
  }
  return false;
}

/* A thread waits in the loop. */
static bool one_waits(const fake_loop *f, int unused) {
  (void)unused;
  return f->waiting == 1;
}

static bool waiting_in_loop(fake_loop *f) {
  return eventually(f, one_waits, 0);
}

/* A pool of `threads` running the_loop (reset), once a thread waits in
 * it. */
static pool *loop_pool(unsigned threads) {
  fake_loop *f = &the_loop;
  pthread_mutex_lock(&f->lock);
  f->woken = false;
  f->inside = f->most_inside = f->waiting = f->nlog = 0;
  f->arrived = NULL;
  f->hold = f->held = NULL;
  f->refused = false;
  f->wakes = 0;
  pthread_mutex_unlock(&f->lock);
  pool *p = pool_new(threads);
  ck_assert_ptr_nonnull(p);
  f->p = p;
  pool_set_loop(p,
                &(pool_loop){.poll = fake_poll, .wake = fake_wake, .ctx = f});
  ck_assert_msg(waiting_in_loop(f), "no thread runs the loop");
  return p;
}

/* The index of the first log entry after `from` that is a poll, or -1. */
static int next_poll(const fake_loop *f, int from) {
  for (int k = from + 1; k < f->nlog; k++)
    if (f->what[k] != 'J')
      return k;
  return -1;
}

static int first_job(const fake_loop *f) {
  for (int k = 0; k < f->nlog; k++)
    if (f->what[k] == 'J')
      return k;
  return -1;
}

/* A poll is logged after the first job. */
static bool polled_after_job(const fake_loop *f, int unused) {
  (void)unused;
  const int k = first_job(f);
  return k >= 0 && next_poll(f, k) >= 0;
}

/* Waits (at most 5 s) for a poll after the first job; the two entries'
 * indexes in *ret_job and *ret_poll, false if none came. */
static bool poll_after_job(fake_loop *f, int *ret_job, int *ret_poll) {
  if (!eventually(f, polled_after_job, 0))
    return false;
  pthread_mutex_lock(&f->lock);
  *ret_job = first_job(f);
  *ret_poll = next_poll(f, *ret_job);
  pthread_mutex_unlock(&f->lock);
  return true;
}

/* fake_wake was called more than `n` times. */
static bool wakes_above(const fake_loop *f, int n) { return f->wakes > n; }

static bool woken_more_than(fake_loop *f, int n) {
  return eventually(f, wakes_above, n);
}

START_TEST(a_finished_job_wakes_the_thread_in_the_loop) {
  /* Three threads: one waits in the loop and queues the job that
   * arrives, another runs it, and one waits in the loop again. */
  pool *p = loop_pool(3);
  fake_loop *f = &the_loop;
  gate go = GATE_CLOSED;
  gate done = GATE_CLOSED;
  loop_job j = {.base.run = run_logged, .f = f, .wait_for = &go, .done = &done};
  arrive(f, &j.base, NULL, NULL);
  /* Once a thread waits in the loop again, another has taken the job. */
  nanosleep(&(struct timespec){0, 20000000}, NULL);
  ck_assert(waiting_in_loop(f));
  gate_open(&go);
  ck_assert(gate_wait(&done, 5000));
  /* The thread waiting in the loop is woken at once (not after its 5 s)
   * and passes again, without waiting, so the job's answer goes out. */
  int k, n;
  ck_assert_msg(poll_after_job(f, &k, &n) && f->nlog > n,
                "nobody ran the loop after the job");
  pthread_mutex_lock(&f->lock);
  ck_assert_int_eq(f->what[n], 'N');
  ck_assert_msg(!pthread_equal(f->who[k], f->who[n]),
                "the job's thread passed itself: nobody waited in the loop");
  pthread_mutex_unlock(&f->lock);
  pool_free(p);
  ck_assert_int_eq(f->most_inside, 1);
  ck_assert(!f->refused);
}
END_TEST

START_TEST(a_busy_thread_runs_the_loop_after_its_job_itself) {
  /* One thread: it waits in the loop, queues the job that arrives, runs
   * it and then the loop without waiting, itself. */
  pool *p = loop_pool(1);
  fake_loop *f = &the_loop;
  gate done = GATE_CLOSED;
  loop_job j = {.base.run = run_logged, .f = f, .done = &done};
  arrive(f, &j.base, NULL, NULL);
  ck_assert(gate_wait(&done, 5000));
  int k, n;
  ck_assert(poll_after_job(f, &k, &n));
  pthread_mutex_lock(&f->lock);
  ck_assert_int_eq(f->what[n], 'N');
  ck_assert(pthread_equal(f->who[k], f->who[n]));
  pthread_mutex_unlock(&f->lock);
  pool_free(p);
  ck_assert(!f->refused);
}
END_TEST

START_TEST(a_job_done_during_a_pass_gets_a_pass_after_it) {
  /* Two threads.  One queues a job and runs it; the other then waits in
   * the loop, is woken and holds its pass at a gate; the job ends during
   * that pass (which may have looked at its connection already).  The
   * pass must be followed by one more without waiting, not by a wait. */
  pool *p = loop_pool(2);
  fake_loop *f = &the_loop;
  gate go = GATE_CLOSED;
  gate done = GATE_CLOSED;
  gate hold = GATE_CLOSED;
  gate held = GATE_CLOSED;
  loop_job j = {.base.run = run_logged, .f = f, .wait_for = &go, .done = &done};
  arrive(f, &j.base, NULL, NULL);
  nanosleep(&(struct timespec){0, 20000000}, NULL);
  ck_assert(waiting_in_loop(f)); /* the other thread took over the loop */
  arrive(f, NULL, &hold, &held);
  ck_assert(gate_wait(&held, 5000)); /* its pass is under way */
  pthread_mutex_lock(&f->lock);
  int wakes = f->wakes;
  pthread_mutex_unlock(&f->lock);
  gate_open(&go);
  ck_assert(gate_wait(&done, 5000));
  ck_assert(woken_more_than(f, wakes)); /* the job's end told the loop */
  gate_open(&hold);
  int k, n;
  ck_assert(poll_after_job(f, &k, &n));
  pthread_mutex_lock(&f->lock);
  ck_assert_msg(f->what[n] == 'N',
                "after the job, the loop waited instead of passing again");
  pthread_mutex_unlock(&f->lock);
  pool_free(p);
  ck_assert(!f->refused);
}
END_TEST

START_TEST(stopping_wakes_the_thread_in_the_loop) {
  pool *p = loop_pool(2);
  fake_loop *f = &the_loop;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pool_stop(p, true);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  ck_assert_msg(s < 4.0, "pool_stop took %.1f s: the loop was not woken", s);
  /* The last poll is the stopping thread's own, without waiting. */
  pthread_mutex_lock(&f->lock);
  ck_assert_int_gt(f->nlog, 0);
  ck_assert_int_eq(f->what[f->nlog - 1], 'N');
  ck_assert(pthread_equal(f->who[f->nlog - 1], pthread_self()));
  pthread_mutex_unlock(&f->lock);
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
  tcase_add_test(tc, a_finished_job_wakes_the_thread_in_the_loop);
  tcase_add_test(tc, a_busy_thread_runs_the_loop_after_its_job_itself);
  tcase_add_test(tc, a_job_done_during_a_pass_gets_a_pass_after_it);
  tcase_add_test(tc, stopping_wakes_the_thread_in_the_loop);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run_suite(pool_suite()); }

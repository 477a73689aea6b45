/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-cache.c - web/cache.c, the replies shared by the worker threads:
 * entries are copied in and out, a key is replaced, the least recently
 * used go first when the byte or entry budget is exceeded, what cannot
 * fit is refused, concurrent readers and writers see whole entries, and
 * a builder waits a bounded time for another.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../web/cache.h"
#include "testutil.h"

/* The entry under `key` as a string ("" if none, so compare with
 * has()). */
static const char *get(const char *key, kb_buf *b) {
  kb_buf_reset(b);
  cache_get(key, b);
  return kb_buf_str(b);
}

static bool has(const char *key) {
  kb_buf b = KB_BUF_INIT(CACHE_MAX_BYTES);
  bool found = cache_get(key, &b);
  kb_buf_release(&b);
  return found;
}

START_TEST(put_get_replace) {
  kb_buf b = KB_BUF_INIT(1024);
  ck_assert(!has("a"));
  ck_assert(cache_put("a", "eins", 4));
  ck_assert_str_eq(get("a", &b), "eins");
  /* A copy was kept: the caller's bytes may change. */
  char text[] = "zwei";
  ck_assert(cache_put("b", text, 4));
  text[0] = 'X';
  ck_assert_str_eq(get("b", &b), "zwei");
  /* Appends to what the buffer holds. */
  kb_buf_reset(&b);
  kb_buf_adds(&b, ">");
  ck_assert(cache_get("a", &b));
  ck_assert_str_eq(kb_buf_str(&b), ">eins");
  ck_assert(cache_put("a", "drei!", 5));
  ck_assert_str_eq(get("a", &b), "drei!");
  ck_assert(cache_put("empty", "", 0));
  ck_assert(has("empty"));
  kb_buf_release(&b);
}
END_TEST

START_TEST(refuses_what_cannot_fit) {
  char key[CACHE_KEY_MAX + 1];
  memset(key, 'k', CACHE_KEY_MAX);
  key[CACHE_KEY_MAX] = '\0';
  ck_assert(!cache_put(key, "x", 1));
  key[CACHE_KEY_MAX - 1] = '\0';
  ck_assert(cache_put(key, "x", 1));
  /* More than the whole budget is refused without reading the bytes. */
  ck_assert(!cache_put("huge", "", (size_t)CACHE_MAX_BYTES + 1));
  ck_assert(!has("huge"));
}
END_TEST

START_TEST(bytes_push_out_the_least_recently_used) {
  size_t quarter = CACHE_MAX_BYTES / 4;
  char *big = calloc(1, quarter);
  ck_assert_ptr_nonnull(big);
  ck_assert(cache_put("q1", big, quarter));
  ck_assert(cache_put("q2", big, quarter));
  ck_assert(cache_put("q3", big, quarter));
  ck_assert(cache_put("q4", big, quarter));
  ck_assert(has("q1")); /* now q2 is the least recently used */
  ck_assert(cache_put("q5", big, quarter));
  ck_assert(!has("q2"));
  ck_assert(has("q1") && has("q3") && has("q4") && has("q5"));
  /* One entry of the whole budget leaves room for nothing else. */
  char *all = calloc(1, CACHE_MAX_BYTES);
  ck_assert_ptr_nonnull(all);
  ck_assert(cache_put("all", all, CACHE_MAX_BYTES));
  ck_assert(has("all"));
  ck_assert(!has("q1") && !has("q5"));
  free(big);
  free(all);
}
END_TEST

START_TEST(entries_push_out_the_oldest) {
  char key[32];
  for (int i = 0; i < CACHE_MAX_ENTRIES; i++) {
    snprintf(key, sizeof key, "k%d", i);
    ck_assert(cache_put(key, key, strlen(key)));
  }
  ck_assert(has("k0")); /* k1 is now the oldest */
  ck_assert(cache_put("new", "n", 1));
  ck_assert(!has("k1"));
  ck_assert(has("k0") && has("new"));
  snprintf(key, sizeof key, "k%d", CACHE_MAX_ENTRIES - 1);
  ck_assert(has(key));
}
END_TEST

/* Threads writing and reading entries of their own and shared ones: what
 * a reader gets is always one whole entry. */
static void *hammer(void *arg) {
  long id = (long)arg;
  char key[32], val[64];
  kb_buf b = KB_BUF_INIT(1024);
  for (int i = 0; i < 2000; i++) {
    snprintf(key, sizeof key, "t%ld-%d", id, i % 80);
    snprintf(val, sizeof val, "value %ld %d", id, i % 80);
    cache_put(key, val, strlen(val));
    if (cache_get(key, (kb_buf_reset(&b), &b)) &&
        strcmp(kb_buf_str(&b), val) != 0)
      return (void *)1;
    snprintf(val, sizeof val, "shared %d", i % 7);
    cache_put("shared", val, strlen(val));
    kb_buf_reset(&b);
    if (cache_get("shared", &b) && strncmp(kb_buf_str(&b), "shared ", 7) != 0)
      return (void *)1;
  }
  kb_buf_release(&b);
  return NULL;
}

START_TEST(threads_see_whole_entries) {
  pthread_t t[4];
  for (long i = 0; i < 4; i++)
    ck_assert_int_eq(pthread_create(&t[i], NULL, hammer, (void *)i), 0);
  for (int i = 0; i < 4; i++) {
    void *ret = (void *)2;
    pthread_join(t[i], &ret);
    ck_assert_ptr_null(ret);
  }
}
END_TEST

static void *hold_build_lock(void *arg) {
  (void)arg;
  if (!cache_build_lock())
    return (void *)1;
  struct timespec d = {.tv_sec = 1 + CACHE_BUILD_WAIT_MS / 1000,
                       .tv_nsec = CACHE_BUILD_WAIT_MS % 1000 * 1000000};
  nanosleep(&d, NULL);
  cache_build_unlock();
  return NULL;
}

START_TEST(builder_waits_a_bounded_time) {
  ck_assert(cache_build_lock());
  cache_build_unlock();
  pthread_t t;
  ck_assert_int_eq(pthread_create(&t, NULL, hold_build_lock, NULL), 0);
  struct timespec d = {.tv_nsec = 100000000}, t0, t1;
  nanosleep(&d, NULL);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ck_assert(!cache_build_lock()); /* held longer than we wait */
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double waited =
      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  ck_assert_double_ge(waited, CACHE_BUILD_WAIT_MS / 1000.0 - 0.05);
  ck_assert_double_lt(waited, CACHE_BUILD_WAIT_MS / 1000.0 + 0.9);
  void *ret = (void *)2;
  pthread_join(t, &ret);
  ck_assert_ptr_null(ret);
  ck_assert(cache_build_lock()); /* free again */
  cache_build_unlock();
}
END_TEST

int main(void) {
  Suite *s = suite_create("cache");
  TCase *tc = tcase_create("cache");
  tcase_add_test(tc, put_get_replace);
  tcase_add_test(tc, refuses_what_cannot_fit);
  tcase_add_test(tc, bytes_push_out_the_least_recently_used);
  tcase_add_test(tc, entries_push_out_the_oldest);
  tcase_add_test(tc, threads_see_whole_entries);
  tcase_add_test(tc, builder_waits_a_bounded_time);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}

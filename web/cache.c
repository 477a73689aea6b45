/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cache.c - replies kept per index version (see cache.h).
 *
 * A handful of entries, so a linear scan under one mutex; a copy in and
 * out of the table under it, which costs a memcpy of at most a few MiB.
 */
#include "cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct entry {
  char *key;
  char *data;
  size_t len;
  uint64_t used; /* tick of the last get or put */
} entry;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t build_mu = PTHREAD_MUTEX_INITIALIZER;
static entry entries[CACHE_MAX_ENTRIES];
static size_t bytes;
static uint64_t tick;

/* The entry of `key`, or NULL.  Under mu. */
static entry *find(const char *key) {
  for (size_t i = 0; i < CACHE_MAX_ENTRIES; i++)
    if (entries[i].key && strcmp(entries[i].key, key) == 0)
      return &entries[i];
  return NULL;
}

static void drop(entry *e) {
  bytes -= e->len;
  free(e->key);
  free(e->data);
  *e = (entry){0};
}

/* A free slot, else the least recently used entry.  Under mu. */
static entry *slot(void) {
  entry *o = NULL;
  for (size_t i = 0; i < CACHE_MAX_ENTRIES; i++) {
    if (entries[i].key == NULL)
      return &entries[i];
    if (o == NULL || entries[i].used < o->used)
      o = &entries[i];
  }
  return o;
}

/* The least recently used entry, or NULL when empty.  Under mu. */
static entry *oldest(void) {
  entry *o = NULL;
  for (size_t i = 0; i < CACHE_MAX_ENTRIES; i++)
    if (entries[i].key && (o == NULL || entries[i].used < o->used))
      o = &entries[i];
  return o;
}

bool cache_get(const char *key, kb_buf *out) {
  pthread_mutex_lock(&mu);
  entry *e = find(key);
  if (e) {
    e->used = ++tick;
    kb_buf_add(out, e->data, e->len);
  }
  pthread_mutex_unlock(&mu);
  return e != NULL;
}

bool cache_put(const char *key, const void *data, size_t len) {
  if (strlen(key) >= CACHE_KEY_MAX || len > CACHE_MAX_BYTES)
    return false;
  char *k = strdup(key);
  char *d = malloc(len ? len : 1);
  if (k == NULL || d == NULL) {
    free(k);
    free(d);
    return false;
  }
  memcpy(d, data, len);
  pthread_mutex_lock(&mu);
  entry *e = find(key);
  if (e)
    drop(e);
  while (bytes + len > CACHE_MAX_BYTES && oldest())
    drop(oldest());
  e = slot();
  if (e->key)
    drop(e);
  *e = (entry){.key = k, .data = d, .len = len, .used = ++tick};
  bytes += len;
  pthread_mutex_unlock(&mu);
  return true;
}

bool cache_build_lock(void) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_nsec += (long)CACHE_BUILD_WAIT_MS * 1000000;
  until.tv_sec += until.tv_nsec / 1000000000;
  until.tv_nsec %= 1000000000;
  return pthread_mutex_timedlock(&build_mu, &until) == 0;
}

void cache_build_unlock(void) { pthread_mutex_unlock(&build_mu); }

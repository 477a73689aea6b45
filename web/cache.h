/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cache.h - replies that are expensive to build and the same for every
 * request, kept in memory and shared by all worker threads: the sitemap
 * files and the editorial report, per index version.
 *
 * A key names everything the bytes depend on (the index version from
 * kb_searcher_version, the base URL, ...), so an entry is never
 * invalidated, only pushed out: the least recently used go first when
 * the byte or entry budget is exceeded.  Lookups copy under one mutex;
 * building happens outside it, one builder at a time (cache_build_lock),
 * so a reader of a cached reply never waits for a build.
 *
 * Depends on kb_buf only.
 */
#ifndef TEILHABE_WEB_CACHE_H
#define TEILHABE_WEB_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "kb_buf.h"

/* Most bytes and entries kept at once. */
#define CACHE_MAX_BYTES (64u << 20)
#define CACHE_MAX_ENTRIES 64
#define CACHE_KEY_MAX 1024

/* Appends the bytes cached under `key` to `out` and returns true; false
 * when there are none. */
bool cache_get(const char *key, kb_buf *out);

/* Keeps a copy of `len` bytes at `data` under `key` (replacing an entry
 * of that key).  False when out of memory, the key is too long or the
 * bytes alone exceed the budget; then nothing is kept. */
bool cache_put(const char *key, const void *data, size_t len);

/* Serialises builders: take it, look again (another thread may have just
 * built the entry), build and put, release.  Waits at most
 * CACHE_BUILD_WAIT_MS for a build of another thread - enough for a small
 * corpus' - and returns false (not taken) after that, so a worker is not
 * held for a long build it did not start: answer 503 with Retry-After. */
#define CACHE_BUILD_WAIT_MS 500
bool cache_build_lock(void);
void cache_build_unlock(void);

#endif

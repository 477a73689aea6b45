/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_counter.h - counting strings: an open-addressing hash table from
 * string to count, with the strings in one arena.  Used to hand Xapian
 * each distinct word once (with its total) instead of once per
 * occurrence.  Depends on kb_buf.h.
 */
#ifndef KB_COUNTER_H
#define KB_COUNTER_H

#include <stdbool.h>
#include <stddef.h>

#include "kb_buf.h"

typedef struct kb_counter_slot {
  const char *key; /* NULL: empty slot */
  size_t len;
  unsigned count;
  unsigned hash;
} kb_counter_slot;

typedef struct kb_counter {
  kb_counter_slot *slots;
  size_t cap, n, max; /* max: refuse new keys past this many */
  kb_arena arena;
} kb_counter;

void kb_counter_init(kb_counter *c, size_t max_keys);
void kb_counter_release(kb_counter *c);
/* Adds `by` to the count of `key`; KB_ERR_LIMIT past max_keys. */
kb_status kb_counter_add(kb_counter *c, const char *key, size_t len,
                         unsigned by);
/* The counter of `key` as a value slot: creates it at 0 if absent
 * (*ret_created says so).  The pointer is valid until the next add.  Lets
 * the table serve as a string -> number map (e.g. an index into a cache). */
kb_status kb_counter_slot_of(kb_counter *c, const char *key, size_t len,
                             unsigned **ret_value, bool *ret_created);

/* Calls `cb` for each key with its count (in no particular order). */
typedef bool (*kb_counter_cb)(const char *key, unsigned count, void *ctx);
void kb_counter_each(const kb_counter *c, kb_counter_cb cb, void *ctx);

#endif

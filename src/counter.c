/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * counter.c - string counting hash table (see kb_counter.h).
 */
#include "kb_counter.h"

#include <stdlib.h>
#include <string.h>

void kb_counter_init(kb_counter *c, size_t max_keys) {
  *c = (kb_counter){.max = max_keys};
  kb_arena_init(&c->arena, 0);
}

void kb_counter_release(kb_counter *c) {
  free(c->slots);
  kb_arena_release(&c->arena);
  *c = (kb_counter){0};
}

static unsigned hash(const char *s, size_t n) {
  unsigned h = 2166136261u; /* FNV-1a, 32 bit */
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

static kb_status grow(kb_counter *c) {
  size_t cap = c->cap ? c->cap * 2 : 1024;
  kb_counter_slot *slots = calloc(cap, sizeof *slots);
  if (slots == NULL)
    return KB_ERR_NOMEM;
  for (size_t i = 0; i < c->cap; i++) {
    if (c->slots[i].key == NULL)
      continue;
    size_t j = c->slots[i].hash & (cap - 1);
    while (slots[j].key)
      j = (j + 1) & (cap - 1);
    slots[j] = c->slots[i];
  }
  free(c->slots);
  c->slots = slots;
  c->cap = cap;
  return KB_OK;
}

kb_status kb_counter_add(kb_counter *c, const char *key, size_t len,
                         unsigned by) {
  unsigned *v;
  bool created;
  kb_status st = kb_counter_slot_of(c, key, len, &v, &created);
  if (st == KB_OK)
    *v += by;
  return st;
}

kb_status kb_counter_slot_of(kb_counter *c, const char *key, size_t len,
                             unsigned **ret_value, bool *ret_created) {
  if (c->cap == 0 || (c->n + 1) * 4 > c->cap * 3) { /* load <= 3/4 */
    kb_status st = grow(c);
    if (st != KB_OK)
      return st;
  }
  unsigned h = hash(key, len);
  size_t j = h & (c->cap - 1);
  while (c->slots[j].key) {
    kb_counter_slot *s = &c->slots[j];
    if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0) {
      *ret_value = &s->count;
      *ret_created = false;
      return KB_OK;
    }
    j = (j + 1) & (c->cap - 1);
  }
  if (c->max && c->n >= c->max)
    return KB_ERR_LIMIT;
  const char *copy = kb_arena_strndup(&c->arena, key, len);
  if (copy == NULL)
    return KB_ERR_NOMEM;
  c->slots[j] =
      (kb_counter_slot){.key = copy, .len = len, .count = 0, .hash = h};
  c->n++;
  *ret_value = &c->slots[j].count;
  *ret_created = true;
  return KB_OK;
}

void kb_counter_each(const kb_counter *c, kb_counter_cb cb, void *ctx) {
  for (size_t i = 0; i < c->cap; i++)
    if (c->slots[i].key && !cb(c->slots[i].key, c->slots[i].count, ctx))
      return;
}

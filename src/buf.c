/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * buf.c - capped growable buffer and bump arena (see kb_buf.h).
 */
#include "kb_buf.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kb_buf_init(kb_buf *b, size_t max) { *b = (kb_buf)KB_BUF_INIT(max); }

void kb_buf_release(kb_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->status = KB_OK;
}

void kb_buf_reset(kb_buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
  b->status = KB_OK;
}

static kb_status grow(kb_buf *b, size_t extra) {
  if (b->status != KB_OK)
    return b->status;
  if (extra > b->max || b->len > b->max - extra)
    return b->status = KB_ERR_LIMIT;
  size_t need = b->len + extra + 1;
  if (need <= b->cap)
    return KB_OK;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need)
    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  if (cap > b->max + 1)
    cap = b->max + 1;
  char *p = realloc(b->data, cap);
  if (p == NULL)
    return b->status = KB_ERR_NOMEM;
  b->data = p;
  b->cap = cap;
  return KB_OK;
}

kb_status kb_buf_add(kb_buf *b, const void *p, size_t n) {
  kb_status st = grow(b, n);
  if (st != KB_OK)
    return st;
  if (n)
    memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return KB_OK;
}

char *kb_buf_extend(kb_buf *b, size_t n) {
  if (grow(b, n) != KB_OK)
    return NULL;
  char *p = b->data + b->len;
  b->len += n;
  b->data[b->len] = '\0';
  return p;
}

kb_status kb_buf_adds(kb_buf *b, const char *s) {
  return kb_buf_add(b, s, strlen(s));
}

kb_status kb_buf_addc(kb_buf *b, char c) {
  /* the common case without grow's checks: room for c and the NUL, and
   * len < cap <= max + 1 keeps it within max */
  if (b->status == KB_OK && b->len + 2 <= b->cap && b->len < b->max) {
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return KB_OK;
  }
  return kb_buf_add(b, &c, 1);
}

kb_status kb_buf_vaddf(kb_buf *b, const char *fmt, va_list ap) {
  va_list cp;
  va_copy(cp, ap);
  int n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  if (n < 0)
    return b->status = KB_ERR_INVALID;
  kb_status st = grow(b, (size_t)n);
  if (st != KB_OK)
    return st;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return KB_OK;
}

kb_status kb_buf_addf(kb_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kb_status st = kb_buf_vaddf(b, fmt, ap);
  va_end(ap);
  return st;
}

const char *kb_buf_str(const kb_buf *b) { return b->data ? b->data : ""; }

kb_status kb_buf_status(const kb_buf *b) { return b->status; }

char *kb_buf_detach(kb_buf *b, size_t *ret_len) {
  if (b->status != KB_OK) {
    kb_buf_release(b);
    return NULL;
  }
  if (b->data == NULL && kb_buf_add(b, "", 0) != KB_OK)
    return NULL;
  char *p = b->data;
  if (ret_len)
    *ret_len = b->len;
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

/* ---- arena ----------------------------------------------------------- */

struct kb_arena_chunk {
  kb_arena_chunk *next;
  size_t size, used;
  alignas(max_align_t) unsigned char mem[];
};

enum { CHUNK_MIN = 16 * 1024 };

void kb_arena_init(kb_arena *a, size_t limit) {
  *a = (kb_arena){.head = NULL, .used = 0, .limit = limit};
}

void kb_arena_release(kb_arena *a) {
  kb_arena_chunk *c = a->head;
  while (c) {
    kb_arena_chunk *next = c->next;
    free(c);
    c = next;
  }
  a->head = NULL;
  a->used = 0;
}

void kb_arena_reset(kb_arena *a) {
  if (a->head == NULL)
    return;
  /* Keep the oldest chunk (the list's tail): it is the one every request
   * fills first, so steady-state requests allocate nothing. */
  kb_arena_chunk *keep = a->head;
  while (keep->next)
    keep = keep->next;
  kb_arena_chunk *c = a->head;
  while (c != keep) {
    kb_arena_chunk *next = c->next;
    free(c);
    c = next;
  }
  keep->used = 0;
  a->head = keep;
  a->used = 0;
}

/* n bytes from `a`, not cleared. */
static void *arena_take(kb_arena *a, size_t n) {
  const size_t align = alignof(max_align_t);
  /* The chunk header and rounding must not wrap around. */
  if (n > SIZE_MAX - align - sizeof(kb_arena_chunk) - CHUNK_MIN)
    return NULL;
  size_t rounded = (n + align - 1) & ~(align - 1);
  if (rounded == 0)
    rounded = align;
  if (a->limit && (rounded > a->limit || a->used > a->limit - rounded))
    return NULL;
  kb_arena_chunk *c = a->head;
  if (c == NULL || c->size - c->used < rounded) {
    size_t size = rounded > CHUNK_MIN ? rounded : CHUNK_MIN;
    c = malloc(sizeof *c + size);
    if (c == NULL)
      return NULL;
    c->size = size;
    c->used = 0;
    c->next = a->head;
    a->head = c;
  }
  void *p = c->mem + c->used;
  c->used += rounded;
  a->used += rounded;
  return p;
}

void *kb_arena_alloc(kb_arena *a, size_t n) {
  void *p = arena_take(a, n);
  if (p != NULL)
    memset(p, 0, n);
  return p;
}

char *kb_arena_strndup(kb_arena *a, const char *s, size_t n) {
  char *p = arena_take(a, n + 1);
  if (p == NULL)
    return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *kb_arena_strdup(kb_arena *a, const char *s) {
  return kb_arena_strndup(a, s, strlen(s));
}

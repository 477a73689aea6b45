/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diag.c - collecting diagnostics (see kb_diag.h).
 */
#include "kb_diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kb_diags_init(kb_diags *d) { *d = (kb_diags){.max = 10000}; }

void kb_diags_release(kb_diags *d) {
  for (size_t i = 0; i < d->n; i++) {
    free(d->items[i].path);
    free(d->items[i].code);
    free(d->items[i].message);
  }
  free(d->items);
  *d = (kb_diags){.max = d->max};
}

kb_status kb_diags_add(kb_diags *d, kb_severity sev, const char *path,
                       unsigned line, const char *code, const char *fmt, ...) {
  if (sev == KB_SEV_ERROR)
    d->errors++;
  else
    d->warnings++;
  if (d->n >= (d->max ? d->max : 10000))
    return KB_OK; /* counted, not stored: the count still fails the run */
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 16;
    kb_diag *p = realloc(d->items, cap * sizeof *p);
    if (p == NULL)
      return KB_ERR_NOMEM;
    d->items = p;
    d->cap = cap;
  }
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
  char *p = strdup(path ? path : "");
  char *c = strdup(code ? code : "");
  if (msg == NULL || p == NULL || c == NULL) {
    free(msg);
    free(p);
    free(c);
    return KB_ERR_NOMEM;
  }
  va_start(ap, fmt);
  vsnprintf(msg, (size_t)n + 1, fmt, ap);
  va_end(ap);
  d->items[d->n++] = (kb_diag){
      .path = p, .line = line, .severity = sev, .code = c, .message = msg};
  return KB_OK;
}

kb_status kb_diags_move(kb_diags *dst, kb_diags *src) {
  size_t room = (dst->max ? dst->max : 10000);
  room = room > dst->n ? room - dst->n : 0;
  size_t take = src->n < room ? src->n : room;
  if (dst->n + take > dst->cap) {
    size_t cap = dst->n + take;
    kb_diag *p = realloc(dst->items, cap * sizeof *p);
    if (p == NULL)
      return KB_ERR_NOMEM;
    dst->items = p;
    dst->cap = cap;
  }
  if (take)
    memcpy(dst->items + dst->n, src->items, take * sizeof *src->items);
  dst->n += take;
  dst->errors += src->errors;
  dst->warnings += src->warnings;
  for (size_t i = take; i < src->n; i++) { /* over the cap: counted only */
    free(src->items[i].path);
    free(src->items[i].code);
    free(src->items[i].message);
  }
  free(src->items);
  *src = (kb_diags){.max = src->max};
  return KB_OK;
}

static int cmp(const void *a, const void *b) {
  const kb_diag *x = a, *y = b;
  int c = strcmp(x->path, y->path);
  if (c)
    return c;
  return (x->line > y->line) - (x->line < y->line);
}

void kb_diags_sort(kb_diags *d) {
  if (d->n > 1)
    qsort(d->items, d->n, sizeof *d->items, cmp);
}

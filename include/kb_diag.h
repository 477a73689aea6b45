/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_diag.h - diagnostics collected while reading a corpus.
 *
 * Parsing never stops at the first problem: every problem becomes a
 * kb_diag (path, line, severity, message), so `teilhabe lint` can report
 * them all in one run in the compiler convention
 * `path:line: error: message`.  Library code only collects; the command
 * line prints.  Depends on kb_status.h and libc.
 */
#ifndef KB_DIAG_H
#define KB_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "kb_status.h"

typedef enum kb_severity { KB_SEV_ERROR, KB_SEV_WARNING } kb_severity;

typedef struct kb_diag {
  char *path;    /* owned; the file the problem is in */
  unsigned line; /* 1-based, 0 when unknown */
  kb_severity severity;
  char *code;    /* owned; a stable short name, e.g. "unknown-field" */
  char *message; /* owned; lowercase, no final period */
} kb_diag;

typedef struct kb_diags {
  kb_diag *items;
  size_t n, cap;
  size_t errors, warnings;
  size_t max; /* stop collecting after this many (0 = 10000) */
} kb_diags;

void kb_diags_init(kb_diags *d);
void kb_diags_release(kb_diags *d);
/* Records a diagnostic; returns KB_ERR_NOMEM only when it cannot. */
kb_status kb_diags_add(kb_diags *d, kb_severity sev, const char *path,
                       unsigned line, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Moves every diagnostic of `src` to the end of `dst` (src is emptied). */
kb_status kb_diags_move(kb_diags *dst, kb_diags *src);

/* Sorts by path, then line, so output is stable across runs. */
void kb_diags_sort(kb_diags *d);

#endif

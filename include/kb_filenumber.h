/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_filenumber.h - courts' file numbers (Aktenzeichen) as search keys.
 *
 * People write "2 AZR 716/06", "2 AZR 716/6", "2AZR716/06" or just
 * "716/06"; the EU court "C-335/11".  A file number is a run of short
 * tokens (senate number, register letters) before a "number/year" token,
 * sometimes with a register letter after it ("B 5 R 2/20 R").  Its key is
 * lower case without blanks and hyphens, the year as two digits
 * ("2azr716/06").  A record is indexed under the keys of every token
 * suffix, so any tail a person types finds it.
 *
 * Depends on kb_text (kb_strv) only.
 */
#ifndef KB_FILENUMBER_H
#define KB_FILENUMBER_H

#include <stdbool.h>
#include <stddef.h>

#include "kb_text.h"

#define KB_FILENUMBER_MAX_KEYS 12

/* Adds the keys of file number `s` (every token suffix) to `out`.
 * Returns false when `s` holds no "number/year" token. */
bool kb_filenumber_keys(const char *s, kb_strv *out);

/* A file number found in a query: bytes [start, end) of it, and the keys
 * it may stand for (each suffix of its tokens, with and without a
 * trailing register letter). */
typedef struct kb_filenumber_hit {
  size_t start, end;
  char keys[KB_FILENUMBER_MAX_KEYS][48];
  size_t nkeys;
} kb_filenumber_hit;

/* Scans `len` bytes of query text for file numbers; fills at most `max`
 * hits and returns how many were found. */
size_t kb_filenumber_scan(const char *q, size_t len, kb_filenumber_hit *hits,
                          size_t max);

#endif

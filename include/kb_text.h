/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_text.h - small text utilities: string vectors, edit distance for
 * "did you mean", UTF-8 validation and ISO dates.
 *
 * Depends only on kb_status.h and libc.
 */
#ifndef KB_TEXT_H
#define KB_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb_status.h"

/* A growable vector of owned strings. */
typedef struct kb_strv {
  char **v;
  size_t n, cap;
} kb_strv;

void kb_strv_release(kb_strv *sv);
kb_status kb_strv_push(kb_strv *sv, const char *s);
kb_status kb_strv_pushn(kb_strv *sv, const char *s, size_t n);
bool kb_strv_contains(const kb_strv *sv, const char *s);

/* Damerau-Levenshtein (optimal string alignment) distance over bytes,
 * giving up early (returning limit + 1) once it exceeds `limit`. */
unsigned kb_edit_distance(const char *a, const char *b, unsigned limit);

/* Of `candidates` (n strings), the one closest to `word` within
 * `limit` edits, or NULL; ties go to the first.  Borrowed. */
const char *kb_closest(const char *word, const char *const *candidates,
                       size_t n, unsigned limit);

/* True when `s` (n bytes) is well-formed UTF-8 without NUL bytes. */
bool kb_utf8_valid(const char *s, size_t n);

/* Parses a strict ISO date "YYYY-MM-DD" that exists in the calendar;
 * stores the compact form "YYYYMMDD" (9 bytes with NUL) in ret_compact. */
bool kb_date_parse(const char *s, char ret_compact[9]);

/* Days from `from_iso` to `to_iso` (both valid "YYYY-MM-DD"), negative
 * when `to_iso` lies before `from_iso`. */
long kb_date_diff(const char *from_iso, const char *to_iso);

/* Today's date (UTC) as "YYYY-MM-DD". */
void kb_date_today(char ret_iso[11]);

/* Reads the whole file `path` of at most `max` bytes into *ret (owned,
 * NUL-terminated; its length in *ret_len).  A missing file is
 * KB_ERR_NOT_FOUND, so optional files can be told apart; KB_ERR_LIMIT
 * past `max`, KB_ERR_IO otherwise. */
kb_status kb_file_read(const char *path, size_t max, char **ret,
                       size_t *ret_len, char **reterr_msg);

/* Decimals as fixed-point hundredths (no binary fractions for money or
 * the law's averages).  kb_decimal_parse reads "155", "20,5", "0.25": a
 * non-negative number with at most two decimal places and at most
 * `max_units` before them; false for anything else (signs, spaces,
 * exponents).  kb_decimal_format writes German text: "155", "0,5",
 * "1.234.567,25" (at most `cap` bytes; 32 are always enough). */
bool kb_decimal_parse(const char *s, int64_t max_units, int64_t *ret);
void kb_decimal_format(int64_t hundredths, char *buf, size_t cap);

#endif

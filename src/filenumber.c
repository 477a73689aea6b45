/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * filenumber.c - courts' file numbers as search keys (see
 * kb_filenumber.h).
 */
#include "kb_filenumber.h"

#include <stdio.h>
#include <string.h>

#define MAX_TOKENS 4 /* before "number/year": "B 5 R", "2 AZR", "C" */

typedef struct tok {
  size_t start, end;
} tok;

static bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

/* The separator of number and year: '/' ("716/06"), or '.' as the
 * Federal Administrative Court writes it ("5 C 16.11"). */
static const char *separator(const char *s, size_t n) {
  const char *sep = memchr(s, '/', n);
  return sep ? sep : memchr(s, '.', n);
}

/* How many bytes of s[0..a) are a senate number and register letters
 * glued to the number ("2AZR" of "2AZR716", "C-" of "C-335"): up to two
 * digits, one to five letters and an optional hyphen.  0 when the number
 * starts right away; (size_t)-1 when the letters are too many. */
static size_t glued_prefix(const char *s, size_t a) {
  size_t i = 0;
  while (i < a && i < 2 && is_digit(s[i]))
    i++;
  size_t l = i;
  while (l < a && is_letter(s[l]))
    l++;
  if (l == i)
    return 0; /* no letters: the digits are the number */
  if (l - i > 5)
    return (size_t)-1;
  return l < a && s[l] == '-' ? l + 1 : l;
}

/* "716/06", "2/20", "C-335/11", "2AZR716/6", "16.11": (a glued prefix,)
 * digits, a separator, 1, 2 or 4 digits. */
static bool number_year(const char *s, size_t n) {
  const char *slash = separator(s, n);
  if (slash == NULL || slash == s)
    return false;
  size_t a = (size_t)(slash - s), b = n - a - 1;
  size_t i0 = glued_prefix(s, a);
  if (i0 == (size_t)-1 || i0 >= a)
    return false;
  for (size_t i = i0; i < a; i++)
    if (!is_digit(s[i]))
      return false;
  for (size_t i = 0; i < b; i++)
    if (!is_digit(slash[1 + i]))
      return false;
  /* With a dot only the two-digit year of "5 C 16.11": "BITV 2.0" and
   * "Version 1.2" are no file numbers. */
  if (*slash == '.')
    return a - i0 <= 6 && b == 2;
  return a - i0 <= 6 && (b == 1 || b == 2 || b == 4);
}

/* A token before the number: a senate number (1-2 digits), register
 * letters (1-5), or letters with a hyphen and digits ("C-335"). */
static bool lead_token(const char *s, size_t n) {
  if (n == 0 || n > 5)
    return false;
  bool digits = true, letters = true;
  for (size_t i = 0; i < n; i++) {
    digits &= is_digit(s[i]);
    letters &= (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z');
  }
  return (digits && n <= 2) || letters;
}

/* Appends the normalised form of s[0..n) to key: lower case, no blanks or
 * hyphens, a one-digit year padded and a four-digit year cut to two. */
static void append_norm(char *key, size_t cap, const char *s, size_t n) {
  size_t k = strlen(key);
  const char *slash = number_year(s, n) ? separator(s, n) : NULL;
  for (size_t i = 0; i < n && k + 1 < cap; i++) {
    char c = s[i];
    if (slash && s + i >= slash) {
      key[k++] = '/';
      break;
    }
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (is_alnum(c))
      key[k++] = c;
  }
  key[k] = '\0';
  if (slash == NULL)
    return;
  const char *y = slash + 1;
  size_t yl = n - (size_t)(y - s);
  char year[3] = {0};
  if (yl == 1) {
    year[0] = '0';
    year[1] = y[0];
  } else {
    year[0] = y[yl - 2];
    year[1] = y[yl - 1];
  }
  snprintf(key + k, cap - k, "%s", year);
}

/* Splits at blanks; tokens hold no blanks. */
static size_t tokens(const char *s, size_t len, tok *out, size_t max) {
  size_t n = 0;
  for (size_t i = 0; i < len && n < max;) {
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
      i++;
    size_t st = i;
    while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != ',')
      i++;
    if (i > st)
      out[n++] = (tok){st, i};
  }
  return n;
}

/* Writes the key of tokens t[from..numi] (+ the trailing token when
 * `trail`) into key. */
static void make_key(const char *s, const tok *t, size_t from, size_t numi,
                     bool trail, char *key, size_t cap) {
  key[0] = '\0';
  for (size_t i = from; i <= numi; i++)
    append_norm(key, cap, s + t[i].start, t[i].end - t[i].start);
  if (trail)
    append_norm(key, cap, s + t[numi + 1].start,
                t[numi + 1].end - t[numi + 1].start);
}

/* The first token of the file number whose number/year is token i. */
static size_t lead_start(const char *s, const tok *t, size_t i) {
  size_t from = i;
  while (from > 0 && i - from < MAX_TOKENS - 1 &&
         lead_token(s + t[from - 1].start, t[from - 1].end - t[from - 1].start))
    from--;
  return from;
}

/* A register letter after the number ("B 5 R 2/20 R"). */
static bool trailing(const char *s, const tok *t, size_t n, size_t i) {
  return i + 1 < n && t[i + 1].end - t[i + 1].start <= 2 &&
         !is_digit(s[t[i + 1].start]) &&
         lead_token(s + t[i + 1].start, t[i + 1].end - t[i + 1].start);
}

bool kb_filenumber_keys(const char *s, kb_strv *out) {
  tok t[16];
  size_t n = tokens(s, strlen(s), t, 16);
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    if (!number_year(s + t[i].start, t[i].end - t[i].start))
      continue;
    /* With and without a trailing register letter, as a query may
     * leave it out ("B 5 R 2/20"). */
    bool trail = trailing(s, t, n, i);
    for (int tr = (int)trail; tr >= 0; tr--)
      for (size_t from = lead_start(s, t, i); from <= i; from++) {
        char key[48];
        make_key(s, t, from, i, tr, key, sizeof key);
        if (!kb_strv_contains(out, key))
          kb_strv_push(out, key);
      }
    any = true;
  }
  return any;
}

/* In a query, a token before a number counts as part of a file number
 * when it is a senate number, when it has a capital as registers do
 * ("AZR", "Sa", "BvR"), or when it stands right after a senate number
 * ("2 azr 716/06"): so "vom 16.11" and "ist 12/20" are no file numbers. */
static bool query_lead(const char *q, const tok *t, size_t k) {
  const char *w = q + t[k].start;
  size_t n = t[k].end - t[k].start;
  if (!lead_token(w, n))
    return false;
  /* Register letters are capitals ("AZR", "C") or short ("Sa", "KR");
   * an ordinary word ("Stand", "vom") only after a senate number. */
  bool caps = true, digits = true;
  for (size_t i = 0; i < n; i++) {
    caps &= is_upper(w[i]);
    digits &= is_digit(w[i]);
  }
  bool reg = caps || digits || (n <= 2 && is_upper(w[0]));
  return reg || (k > 0 && is_digit(q[t[k - 1].start]) &&
                 lead_token(q + t[k - 1].start, t[k - 1].end - t[k - 1].start));
}

static size_t query_lead_start(const char *q, const tok *t, size_t i) {
  size_t from = i;
  while (from > 0 && i - from < MAX_TOKENS - 1 && query_lead(q, t, from - 1))
    from--;
  return from;
}

size_t kb_filenumber_scan(const char *q, size_t len, kb_filenumber_hit *hits,
                          size_t max) {
  tok t[64];
  size_t n = tokens(q, len, t, 64), found = 0;
  for (size_t i = 0; i < n && found < max; i++) {
    if (!number_year(q + t[i].start, t[i].end - t[i].start))
      continue;
    size_t from = query_lead_start(q, t, i);
    /* "1/2 Stelle", "16.11" or "12/2020" is no file number: without
     * register letters, only a number of three digits or more with a
     * two-digit year counts ("716/06"). */
    bool letters = false;
    for (size_t k = t[from].start; k < t[i].end; k++)
      letters |= is_letter(q[k]);
    const char *sl = separator(q + t[i].start, t[i].end - t[i].start);
    if (!letters && (*sl != '/' || sl - (q + t[i].start) < 3 ||
                     (size_t)(q + t[i].end - sl) != 3))
      continue;
    bool trail = trailing(q, t, n, i) && query_lead(q, t, i + 1);
    kb_filenumber_hit *h = &hits[found++];
    *h = (kb_filenumber_hit){.start = t[from].start,
                             .end = trail ? t[i + 1].end : t[i].end};
    for (size_t f = from; f <= i; f++)
      for (int tr = 0; tr <= (int)trail; tr++)
        if (h->nkeys < KB_FILENUMBER_MAX_KEYS)
          make_key(q, t, f, i, tr, h->keys[h->nkeys++], sizeof h->keys[0]);
  }
  return found;
}

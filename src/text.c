/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * text.c - string vectors, edit distance, UTF-8 and date checks, and
 * reading a bounded file.
 */
#include "kb_text.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void kb_strv_release(kb_strv *sv) {
  for (size_t i = 0; i < sv->n; i++)
    free(sv->v[i]);
  free(sv->v);
  *sv = (kb_strv){0};
}

kb_status kb_strv_pushn(kb_strv *sv, const char *s, size_t n) {
  if (sv->n == sv->cap) {
    size_t cap = sv->cap ? sv->cap * 2 : 4;
    char **p = realloc(sv->v, cap * sizeof *p);
    if (p == NULL)
      return KB_ERR_NOMEM;
    sv->v = p;
    sv->cap = cap;
  }
  char *copy = malloc(n + 1);
  if (copy == NULL)
    return KB_ERR_NOMEM;
  memcpy(copy, s, n);
  copy[n] = '\0';
  sv->v[sv->n++] = copy;
  return KB_OK;
}

kb_status kb_strv_push(kb_strv *sv, const char *s) {
  return kb_strv_pushn(sv, s, strlen(s));
}

bool kb_strv_contains(const kb_strv *sv, const char *s) {
  for (size_t i = 0; i < sv->n; i++)
    if (strcmp(sv->v[i], s) == 0)
      return true;
  return false;
}

unsigned kb_edit_distance(const char *a, const char *b, unsigned limit) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 256 || lb > 256)
    return limit + 1; /* vocabulary words are short; bound the work */
  if ((la > lb ? la - lb : lb - la) > limit)
    return limit + 1;
  /* Three rows of the dynamic-programming table suffice for OSA. */
  unsigned rows[3][257];
  unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
  for (size_t j = 0; j <= lb; j++)
    prev[j] = (unsigned)j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = (unsigned)i;
    unsigned best = cur[0];
    for (size_t j = 1; j <= lb; j++) {
      unsigned cost = a[i - 1] != b[j - 1];
      unsigned v = prev[j] + 1;
      if (cur[j - 1] + 1 < v)
        v = cur[j - 1] + 1;
      if (prev[j - 1] + cost < v)
        v = prev[j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          prev2[j - 2] + 1 < v)
        v = prev2[j - 2] + 1;
      cur[j] = v;
      if (v < best)
        best = v;
    }
    if (best > limit)
      return limit + 1;
    unsigned *t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb] > limit ? limit + 1 : prev[lb];
}

const char *kb_closest(const char *word, const char *const *candidates,
                       size_t n, unsigned limit) {
  const char *best = NULL;
  unsigned best_d = limit + 1;
  for (size_t i = 0; i < n; i++) {
    unsigned d = kb_edit_distance(word, candidates[i], limit);
    if (d < best_d) {
      best_d = d;
      best = candidates[i];
    }
  }
  return best;
}

bool kb_utf8_valid(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  while (p < end) {
    /* Fast path: eight ASCII bytes without a NUL at a time. */
    while (end - p >= 8) {
      uint64_t w;
      memcpy(&w, p, 8);
      if ((w & 0x8080808080808080ull) ||
          ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
        break;
      p += 8;
    }
    if (p >= end)
      break;
    unsigned c = *p;
    if (c == 0)
      return false;
    if (c < 0x80) {
      p++;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if ((size_t)(end - p) < len)
      return false;
    for (size_t i = 1; i < len; i++) {
      if ((p[i] & 0xC0) != 0x80)
        return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF. */
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return false;
    p += len;
  }
  return true;
}

static bool digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

bool kb_date_parse(const char *s, char ret_compact[9]) {
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) ||
      !digits(s + 5, 2) || !digits(s + 8, 2))
    return false;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
          (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
    return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = mdays[m - 1] + (m == 2 && leap);
  if (d > max)
    return false;
  memcpy(ret_compact, s, 4);
  memcpy(ret_compact + 4, s + 5, 2);
  memcpy(ret_compact + 6, s + 8, 2);
  ret_compact[8] = '\0';
  return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), so no time zone or locale takes part. */
static long day_number(const char *iso) {
  long y = strtol(iso, NULL, 10), m = strtol(iso + 5, NULL, 10),
       d = strtol(iso + 8, NULL, 10);
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

long kb_date_diff(const char *from_iso, const char *to_iso) {
  return day_number(to_iso) - day_number(from_iso);
}

void kb_date_today(char ret_iso[11]) {
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(ret_iso, 11, "%Y-%m-%d", &tm);
}

kb_status kb_file_read(const char *path, size_t max, char **ret,
                       size_t *ret_len, char **reterr_msg) {
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return kb_fail(errno == ENOENT ? KB_ERR_NOT_FOUND : KB_ERR_IO, reterr_msg,
                   "cannot open: %s", strerror(errno));
  char *buf = malloc(max + 1);
  if (buf == NULL) {
    fclose(f);
    return KB_ERR_NOMEM;
  }
  size_t n = fread(buf, 1, max + 1, f);
  bool err = ferror(f);
  fclose(f);
  if (err) {
    free(buf);
    return kb_fail(KB_ERR_IO, reterr_msg, "read error");
  }
  if (n > max) {
    free(buf);
    return kb_fail(KB_ERR_LIMIT, reterr_msg, "file is larger than %zu bytes",
                   max);
  }
  buf[n] = '\0';
  *ret = buf;
  *ret_len = n;
  return KB_OK;
}

bool kb_decimal_parse(const char *s, int64_t max_units, int64_t *ret) {
  int64_t whole = 0, frac = 0;
  size_t i = 0, digits = 0, places = 0;
  for (; s[i] >= '0' && s[i] <= '9'; i++, digits++) {
    whole = whole * 10 + (s[i] - '0');
    if (whole > max_units)
      return false;
  }
  if (digits == 0)
    return false;
  if (s[i] == ',' || s[i] == '.') {
    for (i++; s[i] >= '0' && s[i] <= '9'; i++) {
      if (++places > 2)
        return false;
      frac = frac * 10 + (s[i] - '0');
    }
    if (places == 0)
      return false;
    if (places == 1)
      frac *= 10;
  }
  if (s[i] != '\0')
    return false;
  *ret = whole * 100 + frac;
  return true;
}

void kb_decimal_format(int64_t h, char *buf, size_t cap) {
  if (cap == 0)
    return;
  bool neg = h < 0;
  uint64_t u = neg ? (uint64_t)(-(h + 1)) + 1 : (uint64_t)h;
  uint64_t whole = u / 100, frac = u % 100;
  char digits[24], grouped[40];
  int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)whole);
  size_t g = 0;
  for (int i = 0; i < nd; i++) {
    if (i > 0 && (nd - i) % 3 == 0)
      grouped[g++] = '.';
    grouped[g++] = digits[i];
  }
  grouped[g] = '\0';
  if (frac == 0)
    snprintf(buf, cap, "%s%s", neg ? "-" : "", grouped);
  else if (frac % 10 == 0)
    snprintf(buf, cap, "%s%s,%llu", neg ? "-" : "", grouped,
             (unsigned long long)(frac / 10));
  else
    snprintf(buf, cap, "%s%s,%02llu", neg ? "-" : "", grouped,
             (unsigned long long)frac);
}

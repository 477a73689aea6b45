/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json_write.c - JSON text straight into a kb_buf (see json_write.h).
 */
#include "json_write.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at s[0 .. n), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t len = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
  if (len == 0 || len > n)
    return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80)
      return 0;
  if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
      (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
    return 0; /* overlong, a surrogate, or past U+10FFFF */
  return len;
}

/* 1 for the bytes a JSON string takes as they are in a run: printable
 * ASCII (and DEL) but the quote (0x22) and the backslash (0x5C). */
/* clang-format off */
static const unsigned char plain_byte[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
/* clang-format on */

void kbi_json_str(kb_buf *b, const char *s) {
  if (s == NULL) {
    kb_buf_adds(b, "null");
    return;
  }
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  kb_buf_addc(b, '"');
  size_t run = 0; /* bytes at p[0 .. run) to copy as they are */
  while (run < n) {
    /* Printable ASCII but the quote and backslash, most of any string,
     * in a tight loop. */
    while (run < n && plain_byte[p[run]])
      run++;
    if (run == n)
      break;
    unsigned char c = p[run];
    size_t len = c < 0x80 ? 1 : utf8_len(p + run, n - run);
    if (len > 1 || (len == 1 && c >= 0x20 && c != '"' && c != '\\')) {
      run += len;
      continue;
    }
    kb_buf_add(b, p, run);
    static const char esc[] = "btn\0fr"; /* \b \t \n, \f \r */
    if (len == 0)
      kb_buf_adds(b, "\xEF\xBF\xBD");
    else if (c == '"' || c == '\\') {
      kb_buf_addc(b, '\\');
      kb_buf_addc(b, (char)c);
    } else if (c >= '\b' && c <= '\r' && esc[c - '\b']) {
      kb_buf_addc(b, '\\');
      kb_buf_addc(b, esc[c - '\b']);
    } else {
      char u[8];
      snprintf(u, sizeof u, "\\u%04X", c);
      kb_buf_adds(b, u);
    }
    p += run + 1;
    n -= run + 1;
    run = 0;
  }
  kb_buf_add(b, p, run);
  kb_buf_addc(b, '"');
}

void kbi_json_key(kb_buf *b, const char *key) {
  kb_buf_addc(b, '"');
  kb_buf_adds(b, key);
  kb_buf_add(b, "\":", 2);
}

void kbi_json_real(kb_buf *b, double d) {
  char s[64];
  int len = snprintf(s, sizeof s, "%.17g", d);
  if (len < 0 || (size_t)len >= sizeof s - 3) {
    kb_buf_adds(b, "null");
    return;
  }
  if (strchr(s, '.') == NULL && strchr(s, 'e') == NULL) {
    memcpy(s + len, ".0", 3);
    len += 2;
  }
  char *e = strchr(s, 'e');
  if (e) { /* "1e+20" -> "1e20", "1e-05" -> "1e-5", as jansson prints */
    char *from = e + 1, *to = e + 1;
    if (*from == '+')
      from++;
    else if (*from == '-')
      from++, to++;
    while (*from == '0' && from[1])
      from++;
    memmove(to, from, strlen(from) + 1);
    len = (int)strlen(s);
  }
  kb_buf_add(b, s, (size_t)len);
}

void kbi_json_uint(kb_buf *b, uint64_t n) {
  /* by hand: snprintf was a percent of a search (counts of every facet) */
  char s[24];
  char *p = s + sizeof s;
  do {
    *--p = (char)('0' + n % 10);
    n /= 10;
  } while (n);
  kb_buf_add(b, p, (size_t)(s + sizeof s - p));
}

void kbi_json_bool(kb_buf *b, bool v) { kb_buf_adds(b, v ? "true" : "false"); }

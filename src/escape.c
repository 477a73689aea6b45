/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * escape.c - HTML escaping and URL encoding (see kb_escape.h).
 *
 * Runs of safe bytes are copied in one append, so escaping costs about a
 * memcpy for ordinary text.
 */
#include "kb_escape.h"

#include <string.h>

kb_status kb_html_escape(kb_buf *b, const char *s, size_t n) {
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    const char *rep;
    switch (s[i]) {
    case '&':
      rep = "&amp;";
      break;
    case '<':
      rep = "&lt;";
      break;
    case '>':
      rep = "&gt;";
      break;
    case '"':
      rep = "&quot;";
      break;
    case '\'':
      rep = "&#39;";
      break;
    case '\0':
      rep = "\xEF\xBF\xBD"; /* U+FFFD: a NUL never reaches a page */
      break;
    default:
      continue;
    }
    kb_buf_add(b, s + start, i - start);
    kb_buf_adds(b, rep);
    start = i + 1;
  }
  kb_buf_add(b, s + start, n - start);
  return kb_buf_status(b);
}

kb_status kb_html_escapes(kb_buf *b, const char *s) {
  return s ? kb_html_escape(b, s, strlen(s)) : kb_buf_status(b);
}

kb_status kb_xml_escapes(kb_buf *b, const char *s) {
  if (s == NULL)
    return kb_buf_status(b);
  const char *run = s;
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      kb_html_escape(b, run, (size_t)(p - run));
      run = p + 1;
    }
  }
  return kb_html_escapes(b, run);
}

static int unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
}

kb_status kb_url_encode(kb_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (unreserved(c)) {
      kb_buf_addc(b, (char)c);
    } else if (c == ' ') {
      kb_buf_addc(b, '+');
    } else {
      char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
      kb_buf_add(b, enc, 3);
    }
  }
  return kb_buf_status(b);
}

kb_status kb_url_encodes(kb_buf *b, const char *s) {
  return s ? kb_url_encode(b, s, strlen(s)) : kb_buf_status(b);
}

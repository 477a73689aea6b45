/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * article_limits.c - bounds on a Markdown body, checked before cmark-gfm
 * sees it.
 *
 * cmark-gfm 0.29.0.gfm.6 (Debian 12) has inputs that take time quadratic
 * in their length: a long run of '"' with smart punctuation, a table row
 * of thousands of '|', list markers nested on one line ("- - - - ..."),
 * a long word the autolink extension scans again and again.  A 500 KB
 * article of such text takes minutes to render.  Real text never needs
 * any of it, so one linear pass refuses it with the line it stands on,
 * and every quadratic case is left with an input too small to matter:
 *
 *   - a "word" (a run of bytes without space, tab or line end) has at
 *     most KB_BODY_MAX_WORD_BYTES;
 *   - a line has at most KB_BODY_MAX_PIPES '|' (table columns);
 *   - a line opens at most KB_BODY_MAX_NESTING block quotes and list
 *     items at its start;
 *   - a list has at most KB_BODY_MAX_LIST_ITEMS items (cmark's renderers
 *     number each item of an ordered list by counting the ones before
 *     it).  This one is checked on the parsed tree, which costs linear
 *     time to build; only rendering is quadratic.
 *
 * Depends on kb_article.h only.
 */
#include <stdio.h>
#include <string.h>

#include <cmark-gfm.h>

#include "article_internal.h"
#include "kb_article.h"

/* The number of block quotes and list items a line opens at its start:
 * '>' or a list marker ("-", "*", "+", "1.", "1)") followed by a blank.
 * A line of nothing but '-', '*', '_' and blanks is a thematic break
 * ("- - -"), not a nest of lists, and counts 0. */
static size_t line_nesting(const char *s, size_t n) {
  size_t k = strspn(s, "-*_ \t");
  if (k >= n && n > 0)
    return 0;
  size_t depth = 0, i = 0;
  for (;;) {
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
      i++;
    if (i < n && s[i] == '>') {
      depth++;
      i++;
      continue;
    }
    size_t m = i;
    if (m < n && (s[m] == '-' || s[m] == '*' || s[m] == '+'))
      m++;
    else {
      while (m < n && m - i < 9 && s[m] >= '0' && s[m] <= '9')
        m++;
      if (m == i || m >= n || (s[m] != '.' && s[m] != ')'))
        return depth;
      m++;
    }
    if (m >= n || (s[m] != ' ' && s[m] != '\t'))
      return depth;
    depth++;
    i = m;
  }
}

bool kbi_body_within_limits(const char *body, size_t len,
                            kbi_body_excess *ret) {
  unsigned line = 0;
  for (size_t i = 0; i < len; line++) {
    const char *nl = memchr(body + i, '\n', len - i);
    size_t n = nl ? (size_t)(nl - (body + i)) : len - i;
    const char *s = body + i;
    size_t pipes = 0, word = 0, longest = 0;
    for (size_t k = 0; k < n; k++) {
      pipes += s[k] == '|';
      word = s[k] == ' ' || s[k] == '\t' || s[k] == '\r' ? 0 : word + 1;
      if (word > longest)
        longest = word;
    }
    size_t depth = line_nesting(s, n);
    kbi_body_excess e = {.line = line};
    if (longest > KB_BODY_MAX_WORD_BYTES)
      e = (kbi_body_excess){.line = line,
                            .limit = "word length",
                            .what = "a word of",
                            .unit = "bytes",
                            .value = longest,
                            .max = KB_BODY_MAX_WORD_BYTES};
    else if (pipes > KB_BODY_MAX_PIPES)
      e = (kbi_body_excess){.line = line,
                            .limit = "table columns",
                            .what = "a line with",
                            .unit = "'|'",
                            .value = pipes,
                            .max = KB_BODY_MAX_PIPES};
    else if (depth > KB_BODY_MAX_NESTING)
      e = (kbi_body_excess){.line = line,
                            .limit = "nesting depth",
                            .what = "a line nesting",
                            .unit = "quotes and lists",
                            .value = depth,
                            .max = KB_BODY_MAX_NESTING};
    if (e.limit) {
      *ret = e;
      return false;
    }
    i += n + (nl != NULL);
  }
  return true;
}

/* The message for an excess, without file and line. */
static void excess_format(const kbi_body_excess *e, char *buf, size_t cap) {
  snprintf(buf, cap,
           "%s %zu %s; at most %zu are allowed (limit '%s'), as more makes "
           "the page slow to build",
           e->what, e->value, e->unit, e->max, e->limit);
}

void kbi_body_excess_diag(const kb_article *a, const kbi_body_excess *e,
                          kb_diags *diags) {
  char why[256];
  excess_format(e, why, sizeof why);
  kb_diags_add(diags, KB_SEV_ERROR, a->path, a->body_line + e->line,
               "too-large", "%s", why);
}

kb_status kbi_body_excess_fail(const kb_article *a, const kbi_body_excess *e,
                               char **reterr_msg) {
  char why[256];
  excess_format(e, why, sizeof why);
  return kb_fail(KB_ERR_LIMIT, reterr_msg, "line %u: %s",
                 a->body_line + e->line, why);
}

bool kbi_tree_within_limits(cmark_node *doc, kbi_body_excess *ret) {
  cmark_iter *it = cmark_iter_new(doc);
  bool ok = true;
  cmark_event_type ev;
  while (ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_LIST)
      continue;
    size_t items = 0;
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
      items++;
    if (items > KB_BODY_MAX_LIST_ITEMS) {
      int l = cmark_node_get_start_line(n);
      *ret = (kbi_body_excess){.line = l > 0 ? (unsigned)l - 1 : 0,
                               .limit = "list items",
                               .what = "a list of",
                               .unit = "items",
                               .value = items,
                               .max = KB_BODY_MAX_LIST_ITEMS};
      ok = false;
    }
  }
  cmark_iter_free(it);
  return ok;
}

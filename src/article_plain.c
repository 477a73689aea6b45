/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * article_plain.c - the body as plain words, for the index and for the
 * snippets of result pages (kbi_plain_text).
 *
 * cmark-gfm's own plain-text renderer keeps Markdown's shape: list items
 * start with "- " or "1. ", and tables come out as "| a | b |" rows under
 * a "| --- |" line.  Cut into a snippet, that is syntax, not text.  This
 * walker writes only the words: headings end with a colon, list items and
 * table rows end like a sentence, the cells of a row are separated by
 * semicolons, and every block starts on a line of its own.  The words and
 * their order are the same as in the rendered HTML, so the index sees
 * what the reader sees.
 *
 * Depends on cmark-gfm and kb_buf only.
 */
#include <stdlib.h>
#include <string.h>

#include "article_internal.h"
#include "kb_article.h"
#include "kb_buf.h"

/* The text written so far ends in punctuation that already closes a
 * phrase (so no "." or ":" is added after it). */
static bool closed(const kb_buf *b) {
  size_t n = b->len;
  while (n > 0 && (b->data[n - 1] == ' ' || b->data[n - 1] == '\n'))
    n--;
  return n == 0 || strchr(".:;!?", b->data[n - 1]) != NULL;
}

/* Starts a new line unless the text is empty or already ends in one;
 * spaces before it are dropped. */
static void newline(kb_buf *b) {
  while (b->len > 0 && b->data[b->len - 1] == ' ')
    b->data[--b->len] = '\0';
  if (b->len > 0 && b->data[b->len - 1] != '\n')
    kb_buf_addc(b, '\n');
}

/* Ends a block: `mark` (":" or ".") unless the text already ends a
 * phrase, then a line break. */
static void end_block(kb_buf *b, const char *mark) {
  while (b->len > 0 && strchr(" \n", b->data[b->len - 1]))
    b->data[--b->len] = '\0';
  if (mark && !closed(b))
    kb_buf_adds(b, mark);
  newline(b);
}

static bool is_type(cmark_node *n, const char *name) {
  return strcmp(cmark_node_get_type_string(n), name) == 0;
}

/* What leaving node `n` writes. */
static void leave(kb_buf *b, cmark_node *n) {
  switch (cmark_node_get_type(n)) {
  case CMARK_NODE_HEADING:
    end_block(b, ":");
    return;
  case CMARK_NODE_ITEM:
    end_block(b, ".");
    return;
  case CMARK_NODE_PARAGRAPH:
  case CMARK_NODE_BLOCK_QUOTE:
  case CMARK_NODE_LIST:
    end_block(b, NULL);
    return;
  default:
    break;
  }
  /* cmark-gfm names the first row of a table "table_header". */
  if (is_type(n, "table_row") || is_type(n, "table_header"))
    end_block(b, ".");
  else if (is_type(n, "table_cell") && cmark_node_next(n) && !closed(b))
    kb_buf_adds(b, "; ");
  else if (is_type(n, "table_cell") && cmark_node_next(n))
    kb_buf_addc(b, ' ');
}

/* What entering node `n` writes: its literal text, if any.  Leaves
 * (text, code blocks, rules) have no exit event. */
static void enter(kb_buf *b, cmark_node *n) {
  const char *lit = cmark_node_get_literal(n);
  switch (cmark_node_get_type(n)) {
  case CMARK_NODE_TEXT:
  case CMARK_NODE_CODE:
    kb_buf_adds(b, lit ? lit : "");
    return;
  case CMARK_NODE_CODE_BLOCK:
    newline(b);
    kb_buf_adds(b, lit ? lit : "");
    newline(b);
    return;
  case CMARK_NODE_THEMATIC_BREAK:
    newline(b);
    return;
  case CMARK_NODE_SOFTBREAK:
    kb_buf_addc(b, ' ');
    return;
  case CMARK_NODE_LINEBREAK:
    kb_buf_addc(b, '\n');
    return;
  default:
    return; /* raw HTML is dropped, as the safe HTML renderer does */
  }
}

char *kbi_plain_text(cmark_node *doc) {
  kb_buf b = KB_BUF_INIT(KB_RENDERED_MAX_BYTES);
  cmark_iter *it = cmark_iter_new(doc);
  if (it == NULL)
    return NULL;
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER)
      enter(&b, n);
    else if (ev == CMARK_EVENT_EXIT)
      leave(&b, n);
  }
  cmark_iter_free(it);
  /* An empty body is an empty text, not a failure. */
  kb_buf_adds(&b, "");
  if (kb_buf_status(&b) != KB_OK) {
    kb_buf_release(&b);
    return NULL;
  }
  return kb_buf_detach(&b, NULL);
}

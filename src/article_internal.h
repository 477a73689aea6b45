/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * article_internal.h - what article.c and article_body.c share.
 */
#ifndef KB_ARTICLE_INTERNAL_H
#define KB_ARTICLE_INTERNAL_H

#include <cmark-gfm.h>
#include <stdbool.h>
#include <stddef.h>

#include "kb_status.h"

/* Registers cmark-gfm's extensions once per process (thread-safe). */
void kbi_cmark_init(void);

/* A cmark-gfm parser with `opts` and the extensions the site renders
 * with (tables, strikethrough, autolinks), so checks and rendering read
 * the body alike.  Owned (cmark_parser_free), or NULL without memory. */
cmark_parser *kbi_cmark_parser_new(int opts);

/* Feeds `text` (`len` bytes) to a parser of kbi_cmark_parser_new and
 * finishes the document (cmark_parser_feed, cmark_parser_finish), one
 * thread at a time: cmark-gfm marks its extensions' characters (':' and
 * 'w' for autolinks, '~' for strikethrough) in a table shared by the
 * whole process while it reads inlines, and clears them when it is done,
 * so a parser finishing in another thread took them away from this one
 * (a record's links were then stored as plain text, at random, when
 * records were indexed on several threads).  Newer cmark-gfm releases
 * also do so while feeding a table row, hence both under the lock. */
cmark_node *kbi_cmark_read(cmark_parser *p, const char *text, size_t len);

/* The body `doc` as plain words without Markdown syntax: no list
 * markers, no table pipes, headings ended by a colon, list items and
 * table rows by a full stop (article_plain.c).  Owned (free), or NULL
 * without memory or past KB_RENDERED_MAX_BYTES. */
char *kbi_plain_text(cmark_node *doc);

struct kb_article;
struct kb_vocab;
struct kb_ynode;
struct kb_diags;
/* Reads the front matter `root` into `a` and checks it against the
 * vocabulary's schema (article_fields.c); returns the number of errors
 * added to `diags`. */
size_t kbi_article_fields(const char *path, struct kb_diags *diags,
                          const struct kb_vocab *vocab, struct kb_article *a,
                          const struct kb_ynode *root);

/* The first body limit a body breaks (article_limits.c). */
typedef struct kbi_body_excess {
  unsigned line;     /* 0-based line within the body */
  const char *limit; /* the limit's name: "word length" */
  const char *what;  /* "a word of" */
  const char *unit;  /* "bytes" */
  size_t value, max;
} kbi_body_excess;

/* True when the Markdown `body` (len bytes) keeps the limits that bound
 * cmark-gfm's time (KB_BODY_MAX_*); otherwise false and the first excess
 * in *ret.  Linear in len. */
bool kbi_body_within_limits(const char *body, size_t len, kbi_body_excess *ret);

/* True when the parsed body `doc` keeps the limits only its tree shows
 * (KB_BODY_MAX_LIST_ITEMS); otherwise false and the excess in *ret. */
bool kbi_tree_within_limits(cmark_node *doc, kbi_body_excess *ret);

struct kb_article;
struct kb_diags;
/* Adds the error for excess `e` of article `a` to `diags`, at its line. */
void kbi_body_excess_diag(const struct kb_article *a, const kbi_body_excess *e,
                          struct kb_diags *diags);
/* KB_ERR_LIMIT with the message for excess `e` (for kb_article_render). */
kb_status kbi_body_excess_fail(const struct kb_article *a,
                               const kbi_body_excess *e, char **reterr_msg);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * article_internal.h - what article.c and article_body.c share.
 */
#ifndef KB_ARTICLE_INTERNAL_H
#define KB_ARTICLE_INTERNAL_H

#include <cmark-gfm.h>

/* Registers cmark-gfm's extensions once per process (thread-safe). */
void kbi_cmark_init(void);

/* A cmark-gfm parser with `opts` and the extensions the site renders
 * with (tables, strikethrough, autolinks), so checks and rendering read
 * the body alike.  Owned (cmark_parser_free), or NULL without memory. */
cmark_parser *kbi_cmark_parser_new(int opts);

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

#endif

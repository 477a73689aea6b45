/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * article_internal.h - what article.c and article_body.c share.
 */
#ifndef KB_ARTICLE_INTERNAL_H
#define KB_ARTICLE_INTERNAL_H

/* Registers cmark-gfm's extensions once per process (thread-safe). */
void kbi_cmark_init(void);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * suggest_internal.h - what suggest.c and suggest_docs.c share.
 */
#ifndef KB_SUGGEST_INTERNAL_H
#define KB_SUGGEST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "kb_analysis.h"
#include "kb_suggest.h"
#include "kb_xapian.h"

/* Most records a word's set holds; past it the set is cut (the word is
 * then in so many titles that it fits any context). */
#define KB_SUGGEST_DOCS_MAX 4096
/* Most word forms read for one earlier word of the query. */
#define KB_SUGGEST_FORMS_MAX 64
/* Fewest bytes of a stem read as the start of a word's forms. */
#define KB_SUGGEST_STEM_MIN 4

/* A set of records, ascending docids.  Zero-initialise; release with
 * kbi_docset_release. */
typedef struct kbi_docset {
  kbx_docid *v;
  size_t n, cap;
  bool nomem;
} kbi_docset;

void kbi_docset_release(kbi_docset *d);

/* *d = *d ∩ *o. */
void kbi_docset_intersect(kbi_docset *d, const kbi_docset *o);

/* Adds to *ret (empty) the records `word` (len bytes, normalised) stands
 * for: those with it in their title or keywords, and those with every
 * word of one of its synonyms there. */
kb_status kbi_suggest_docs(kbx_db *db, const char *word, size_t len,
                           kbi_docset *ret, char **reterr_msg);

/* The same for an earlier word of the query, read loosely: the records
 * of every title or keywords word sharing its stem ("schwerbehinderte"
 * also stands for "schwerbehinderter"; at most KB_SUGGEST_FORMS_MAX
 * forms), and of its synonyms. */
kb_status kbi_suggest_context_docs(kbx_db *db, kb_analyzer *an,
                                   const char *word, size_t len,
                                   kbi_docset *ret, char **reterr_msg);

#endif

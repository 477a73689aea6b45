/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_corpus.h - a corpus folder: vocabulary + every article below it.
 *
 * Loading reads vocab.yaml and synonyms.yaml at the root and every *.md
 * file below it (README.md files and hidden folders excepted), in sorted
 * path order so results are reproducible.  It checks each article and
 * then the corpus as a whole: duplicate ids, `related` ids that name no
 * article, links in bodies to unknown articles, and articles that link
 * nowhere and are linked from nowhere.  All problems are collected; none
 * stops the run.
 *
 * Depends on kb_article, kb_vocab, kb_diag.
 */
#ifndef KB_CORPUS_H
#define KB_CORPUS_H

#include "kb_article.h"
#include "kb_diag.h"
#include "kb_vocab.h"

#define KB_CORPUS_MAX_FILES 200000
#define KB_CORPUS_MAX_DEPTH 16

typedef struct kb_corpus {
  char *dir;
  kb_vocab *vocab;
  kb_article **articles; /* sorted by path */
  size_t n;
} kb_corpus;

/* Loads the corpus at `dir`.  Returns KB_OK with an owned *ret_corpus
 * when no error was found (warnings may be in `diags`); KB_ERR_PARSE when
 * errors were (then *ret_corpus is untouched); KB_ERR_IO when `dir`
 * cannot be read at all. */
kb_status kb_corpus_load(const char *dir, kb_corpus **ret_corpus,
                         kb_diags *diags);
void kb_corpus_free(kb_corpus *corpus);

/* As kb_corpus_load, but each article's body is dropped as soon as the
 * article was checked (kb_article_drop_body), so the corpus' texts are
 * never all in memory at once: what reads a text goes through
 * kb_article_with_body.  For `teilhabe index`. */
kb_status kb_corpus_load_fields(const char *dir, kb_corpus **ret_corpus,
                                kb_diags *diags);

/* The article with `id`, or NULL (linear; for tools, not hot paths). */
const kb_article *kb_corpus_find(const kb_corpus *corpus, const char *id);

#endif

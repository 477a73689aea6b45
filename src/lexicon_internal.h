/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lexicon_internal.h - what the lexicon file readers share (not public).
 */
#ifndef KB_LEXICON_INTERNAL_H
#define KB_LEXICON_INTERNAL_H

#include "kb_compound.h"

/* Normalises one word (NFKC_Casefold) into out (KB_COMPOUND_WORD_MAX + 1
 * bytes); false if it is not UTF-8 or does not fit. */
bool kbi_lex_normalise(const char *s, size_t n, char *out, size_t *ret_len);

/* True when s starts with a capital and is not an abbreviation. */
bool kbi_lex_looks_like_noun(const char *s, size_t n);

/* Normalises and adds a dictionary word; words that do not normalise are
 * skipped (KB_OK). */
kb_status kbi_lex_add_plain(kb_lexicon_builder *b, const char *w, size_t n,
                            unsigned flags, char **reterr_msg);

/* Reads a hunspell .dic and, if it is there, the .aff beside it. */
kb_status kbi_lex_read_hunspell(kb_lexicon_builder *b, const char *path,
                                char **reterr_msg);

#endif

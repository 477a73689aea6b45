/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * index_suggest.c - the words autocomplete may offer for a record
 * (kbi_add_suggest_terms): the whole words of its title and of its
 * keywords fields (topics, a glossary term's other names), as boolean
 * "XW" terms.  Body words are left out on purpose: they share prefixes
 * with everything ("Hand" -> "Handy", "Handel"), and compound parts
 * ("gebärdensprach") are not words anyone types to the end.
 */
#include <stdio.h>
#include <string.h>

#include "index_internal.h"
#include "kb_layout.h"

typedef struct word_sink {
  kbx_doc *doc;
  kb_status st;
  char **reterr_msg;
} word_sink;

static bool add_word(const kb_token *t, void *ctx) {
  word_sink *ws = ctx;
  /* A hyphenated word is offered as its written parts ("GdB",
   * "Tabelle"), not as the joined form no one writes ("gdbtabelle");
   * single letters and numbers complete nothing useful. */
  if ((t->flags & KB_TOK_JOINED) || t->len < 2 ||
      (t->word[0] >= '0' && t->word[0] <= '9'))
    return true;
  char term[KB_WORD_MAX * 2 + 8];
  snprintf(term, sizeof term, "%s%s", KB_PREFIX_SUGGEST, t->word);
  if (strlen(term) <= KBX_TERM_MAX)
    ws->st = kbx_doc_add_boolean_term(ws->doc, term, ws->reterr_msg);
  return ws->st == KB_OK;
}

static kb_status add_words(kb_analyzer *an, word_sink *ws, const char *text) {
  uint32_t pos = 0;
  kb_status st =
      kb_analyze(an, text, strlen(text), &pos, add_word, ws, ws->reterr_msg);
  return st != KB_OK ? st : ws->st;
}

kb_status kbi_add_suggest_terms(kbx_doc *doc, kb_analyzer *an,
                                const kb_article *a, char **reterr_msg) {
  word_sink ws = {.doc = doc, .st = KB_OK, .reterr_msg = reterr_msg};
  kb_status st = add_words(an, &ws, a->title);
  const kb_schema *sc = a->schema;
  for (size_t f = 0; st == KB_OK && f < sc->nfields; f++) {
    if (sc->fields[f].type != KB_FT_KEYWORDS)
      continue;
    for (size_t i = 0; st == KB_OK && i < a->values[f].n; i++)
      st = add_words(an, &ws, a->values[f].v[i]);
  }
  return st;
}

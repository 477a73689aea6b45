/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_vocab.h - the corpus vocabulary: facet keys with German labels, and
 * synonym groups.
 *
 * Read from `vocab.yaml` and `synonyms.yaml` at the root of a corpus
 * folder.  The indexer copies both into the index (as JSON metadata), so
 * a server needs nothing but the index.  Depends on kb_status, kb_diag,
 * kb_text, kb_yaml and jansson.
 */
#ifndef KB_VOCAB_H
#define KB_VOCAB_H

#include <jansson.h>
#include <stddef.h>

#include "kb_cite.h"
#include "kb_diag.h"
#include "kb_rules.h"
#include "kb_schema.h"
#include "kb_status.h"
#include "kb_text.h"

typedef struct kb_vocab_entry {
  char *key;
  char *label;
} kb_vocab_entry;

/* One section of vocab.yaml: keys with labels, in file order. */
typedef struct kb_vocab_set {
  char *name;
  kb_vocab_entry *entries;
  size_t n;
} kb_vocab_set;

#define KB_VOCAB_MAX_SETS 32

typedef struct kb_vocab {
  kb_vocab_set sets[KB_VOCAB_MAX_SETS];
  size_t nsets;
  kb_schema *schema; /* schema.yaml: the record kinds (owned) */
  /* Synonym groups: each a list of words or phrases meaning the same. */
  kb_strv *groups;
  size_t ngroups;
  /* Everyday words (laien.yaml), one way: lay[i].v[0] is what people
   * type ("Firma"), lay[i].v[1..] the field's terms it stands for. */
  kb_strv *lay;
  size_t nlay;
  /* Renumbered norms (citations.yaml): old_cite[i] is today new_cite[i],
   * both at paragraph level. */
  kb_cite *old_cite, *new_cite;
  size_t ncites;
  /* Official texts (gesetze.yaml): law_keys.v[i] (canonical, "SGB IX")
   * has its address template law_urls.v[i]; "{nr}" stands for the
   * paragraph or article. */
  kb_strv law_keys, law_urls;
  /* Time-bound figures (the files of regeln/, kb_rules.h); NULL when the
   * corpus has none (owned). */
  kb_rules *rules;
} kb_vocab;

/* Loads `dir`/schema.yaml and `dir`/vocab.yaml (required; every enum
 * field of the schema must name a section of vocab.yaml),
 * `dir`/synonyms.yaml, `dir`/laien.yaml, `dir`/citations.yaml,
 * `dir`/gesetze.yaml and the rules of `dir`/regeln/ (all optional).
 * Problems go to `diags` with file and line; returns KB_ERR_PARSE if any
 * error was found, and then *ret_vocab is untouched.  Owned result. */
kb_status kb_vocab_load(const char *dir, kb_vocab **ret_vocab, kb_diags *diags);
void kb_vocab_free(kb_vocab *vocab);

/* The label of `key` in vocabulary section `set`, or NULL if unknown.
 * Borrowed from the vocabulary. */
const char *kb_vocab_label(const kb_vocab *vocab, const char *set,
                           const char *key);
/* The known key of `set` closest to an unknown `key` (for "did you
 * mean"), or NULL. */
const char *kb_vocab_suggest(const kb_vocab *vocab, const char *set,
                             const char *key);
/* The section `name`, or NULL. */
const kb_vocab_set *kb_vocab_set_get(const kb_vocab *vocab, const char *name);

/* The label of value `key` of schema field `field` (kb_schema_field):
 * an enum's vocabulary label, a kind's label, else the key itself.
 * Never NULL.  Borrowed. */
const char *kb_vocab_value_label(const kb_vocab *vocab, size_t field,
                                 const char *key);
/* The label of value `key` of facet `facet` (see kb_vocab_value_label). */
const char *kb_vocab_facet_label(const kb_vocab *vocab, size_t facet,
                                 const char *key);

/* Today's form of citation `c` when citations.yaml renumbers it: writes
 * it to *ret_today and returns true, else returns false (output
 * untouched).  An Absatz-level entry ("\xC2\xA7 102 Abs. 4 SGB IX") wins over
 * a paragraph-level one; a paragraph-level entry keeps `c`'s Absatz only
 * when the entry says the Absätze kept their numbers (an entry without
 * Absatz maps "\xC2\xA7 84 Abs. 2" to "\xC2\xA7 167" and claims no Absatz).  No
 * guess: an Absatz is only named where citations.yaml names it. */
bool kb_vocab_today(const kb_vocab *vocab, const kb_cite *c,
                    kb_cite *ret_today);

/* The address of the official text of citation `c` from gesetze.yaml:
 * the paragraph's or article's own page where the template has "{nr}"
 * (an annex, or a template without "{nr}", gives the law's page).
 * Writes it to buf and returns true; false when the law has no entry. */
bool kb_vocab_norm_url(const kb_vocab *vocab, const kb_cite *c, char *buf,
                       size_t cap);

/* True when gesetze.yaml was given, so every cited law needs an entry. */
bool kb_vocab_has_law_map(const kb_vocab *vocab);

/* Serialises to / restores from JSON, the form stored in the index.
 * kb_vocab_to_json returns a new reference; kb_vocab_from_json returns an
 * owned vocabulary or KB_ERR_PARSE. */
json_t *kb_vocab_to_json(const kb_vocab *vocab);
kb_status kb_vocab_from_json(const json_t *json, kb_vocab **ret_vocab,
                             char **reterr_msg);

#endif

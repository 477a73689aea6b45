/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_rules.h - time-bound figures as data: the rules of corpus/regeln/.
 *
 * A rule is one figure of the law (a levy rate, a quota, a number of
 * sick-child days) for one field ("ausgleichsabgabe.stufe1") with the
 * norm it comes from, the period it applies to (`gilt_ab`, `gilt_bis`;
 * an open end is allowed) and its source.  The same rules drive the
 * calculators (kb_calc.h), the figures articles quote with
 * `{{regel:<field>}}` and lint's warning before a rule runs out, so the
 * text and the calculator never disagree.  Format: docs/article-format.md.
 *
 * Numbers are kept as fixed-point hundredths (`value` 15500 is 155), so
 * no figure of the law passes through a binary fraction.  The rules are
 * copied into the index with the vocabulary (kb_vocab.h), so a server
 * needs nothing but the index.
 *
 * Depends on kb_status, kb_diag, kb_text, kb_yaml and jansson; never
 * prints.
 */
#ifndef KB_RULES_H
#define KB_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb_diag.h"
#include "kb_status.h"

/* Bounds: files in regeln/, rules in all, one file's size. */
#define KB_RULES_MAX_FILES 64
#define KB_RULES_MAX 1000
#define KB_RULES_MAX_FILE_BYTES (256u * 1024u)
/* A field name: [a-z0-9_]+ parts joined by '.', at most this long. */
#define KB_RULE_FIELD_MAX 80
/* The largest value a rule may hold (in units, not hundredths). */
#define KB_RULE_VALUE_MAX 1000000000LL

/* How long before a rule's `gilt_bis` lint warns when no rule follows. */
#define KB_RULES_WARN_DAYS 90

/* The units a figure may have: X(enum, yaml key, German unit after a
 * number) */
#define KB_RULE_UNIT_TABLE(X)                                                  \
  X(EURO, "euro", "€")                                                         \
  X(PROZENT, "prozent", "%")                                                   \
  X(ARBEITSTAGE, "arbeitstage", "Arbeitstage")                                 \
  X(ARBEITSPLAETZE, "arbeitsplaetze", "Arbeitsplätze")                         \
  X(ANZAHL, "anzahl", "")

typedef enum kb_rule_unit {
#define KB_RULE_UNIT_ENUM(e, key, label) KB_RULE_UNIT_##e,
  KB_RULE_UNIT_TABLE(KB_RULE_UNIT_ENUM)
#undef KB_RULE_UNIT_ENUM
      KB_RULE_UNIT_COUNT
} kb_rule_unit;

typedef struct kb_rule {
  char *field;        /* "ausgleichsabgabe.stufe1" */
  char *title;        /* what the figure is, in German */
  int64_t value;      /* hundredths: 15500 is 155 */
  kb_rule_unit unit;  /* what the number counts */
  char *norm;         /* "§ 160 Abs. 2 Satz 1 Nr. 1 SGB IX" */
  char gilt_ab[11];   /* "YYYY-MM-DD", first day it applies */
  char gilt_bis[11];  /* last day it applies; "" for an open end */
  char *source_url;   /* the official source, https:// */
  char *source_title; /* its title and publisher */
  char *note;         /* optional "hinweis": what may still change */
  char *path;         /* the file it came from */
  unsigned line;      /* where it starts there */
} kb_rule;

/* All rules, sorted by field, then by gilt_ab. */
typedef struct kb_rules {
  kb_rule *v;
  size_t n, cap;
} kb_rules;

/* Loads every `*.yaml` file of folder `dir` (corpus/regeln) in name
 * order and validates the whole set (kb_rules_validate).  A missing
 * folder gives an empty set.  Problems go to `diags` with file and
 * line; returns KB_ERR_PARSE when any error was found (then *ret_rules
 * is untouched), else KB_OK with an owned set (kb_rules_free). */
kb_status kb_rules_load_dir(const char *dir, kb_rules **ret_rules,
                            kb_diags *diags);

/* Parses one rules file (`text`, `len` bytes, read from `path`) and adds
 * its rules to `rules`.  Returns the number of errors added to `diags`. */
size_t kb_rules_parse(kb_rules *rules, const char *path, const char *text,
                      size_t len, kb_diags *diags);

/* Sorts the set and checks it as a whole: two rules of one field whose
 * periods overlap, and a gap between one rule's gilt_bis and the next
 * one's gilt_ab, are errors.  Returns the number of errors added. */
size_t kb_rules_validate(kb_rules *rules, kb_diags *diags);

/* The date-dependent checks of `teilhabe lint` on `today`
 * ("YYYY-MM-DD"): a warning KB_RULES_WARN_DAYS before the gilt_bis of a
 * field's last rule, and after it; an error when one of `needed` (the
 * fields a calculator reads, kb_calc_fields) has no rule for today.
 * Returns the number of errors added. */
size_t kb_rules_lint(const kb_rules *rules, const char *today,
                     const char *const *needed, size_t nneeded,
                     kb_diags *diags);

/* The rule for `field` on `date` ("YYYY-MM-DD"), or NULL.  Borrowed from
 * the set. */
const kb_rule *kb_rules_find(const kb_rules *rules, const char *field,
                             const char *date);
/* True when any rule names `field`. */
bool kb_rules_has_field(const kb_rules *rules, const char *field);

/* The unit's German label ("€", "Arbeitstage"; "" for a bare count). */
const char *kb_rule_unit_label(kb_rule_unit unit);
/* The unit's key ("euro"). */
const char *kb_rule_unit_name(kb_rule_unit unit);

/* The set as JSON (a new reference; NULL when out of memory) and back:
 * the form stored in the index.  kb_rules_from_json returns an owned set
 * or KB_ERR_PARSE. */
json_t *kb_rules_to_json(const kb_rules *rules);
kb_status kb_rules_from_json(const json_t *json, kb_rules **ret_rules,
                             char **reterr_msg);

/* A rule as JSON for the API: {"feld", "titel", "wert", "einheit",
 * "norm", "gilt_ab", "gilt_bis" (null when open), "quelle": {"url",
 * "titel"}[, "hinweis"]}.  A new reference, NULL when out of memory. */
json_t *kb_rule_json(const kb_rule *rule);

void kb_rules_free(kb_rules *rules);

/* ---- figures in article bodies ------------------------------------- */

/* A reference in a Markdown body: "{{regel:<field>}}" (the rule in force
 * on the day the body is rendered) or "{{regel:<field>@YYYY-MM-DD}}"
 * (the rule of that day, for "from 2027: ..." sentences). */
#define KB_RULE_REF_OPEN "{{regel:"

/* Calls `cb` for every reference in `body` (`len` bytes) with the field,
 * the date ("" for "today"), its 1-based line within the body and
 * whether it is well-formed; stop by returning false. */
typedef bool (*kb_rule_ref_cb)(const char *field, const char *date,
                               unsigned line, bool ok, void *ctx);
void kb_rules_each_ref(const char *body, size_t len, kb_rule_ref_cb cb,
                       void *ctx);

/* Replaces every reference in `body` by its figure on `today` (German
 * format, kb_decimal_format) into *ret_body (owned, NUL-terminated).  The
 * earliest gilt_bis among the rules a reference without a date used goes
 * to ret_until ("" when none ends; may be NULL).  KB_ERR_NOT_FOUND,
 * naming the reference, when one has no rule (lint reports it first). */
kb_status kb_rules_expand(const kb_rules *rules, const char *body, size_t len,
                          const char *today, char **ret_body,
                          char ret_until[11], char **reterr_msg);

#endif

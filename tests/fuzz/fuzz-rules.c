/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-rules.c - the rules parser (corpus/regeln) and the rule figures of
 * article bodies on arbitrary bytes.
 *
 * The input is parsed as a rules file, then the set is validated, stored
 * as JSON and read back, and the same input is expanded as a body.
 * Checked promises (kb_rules.h):
 * - a kept rule has a valid field, a real gilt_ab, a gilt_bis that is
 *   empty or not before it, a value within bounds and an https:// source;
 * - after a validation without errors, rules of one field neither overlap
 *   nor leave gaps, and each is what kb_rules_find answers on its first
 *   and last day;
 * - the JSON form reads back to the same fields, values and dates;
 * - expanding a body either fails or gives a NUL-terminated text without
 *   a well-formed reference left in it;
 * - kb_decimal_parse accepts only what kb_decimal_format can print, and
 *   the printed form fits its buffer.
 *
 * Depends on kb_rules, kb_text.
 */
#include <string.h>

#include "fuzz.h"
#include "kb_rules.h"
#include "kb_text.h"

static void check_rule(const kb_rule *r) {
  char compact[9];
  FUZZ_CHECK(r->field && r->field[0]);
  FUZZ_CHECK(kb_date_parse(r->gilt_ab, compact));
  FUZZ_CHECK(r->gilt_bis[0] == '\0' || (kb_date_parse(r->gilt_bis, compact) &&
                                        strcmp(r->gilt_bis, r->gilt_ab) >= 0));
  FUZZ_CHECK(r->value >= 0 && r->value <= KB_RULE_VALUE_MAX * 100);
  FUZZ_CHECK(r->source_url && strncmp(r->source_url, "https://", 8) == 0);
  FUZZ_CHECK(r->unit < KB_RULE_UNIT_COUNT);
}

static void check_set(const kb_rules *rs) {
  for (size_t i = 0; i < rs->n; i++) {
    const kb_rule *r = &rs->v[i];
    check_rule(r);
    FUZZ_CHECK(kb_rules_find(rs, r->field, r->gilt_ab) == r);
    if (r->gilt_bis[0])
      FUZZ_CHECK(kb_rules_find(rs, r->field, r->gilt_bis) == r);
    if (i > 0 && strcmp(rs->v[i - 1].field, r->field) == 0) {
      FUZZ_CHECK(rs->v[i - 1].gilt_bis[0] != '\0');
      FUZZ_CHECK(strcmp(rs->v[i - 1].gilt_bis, r->gilt_ab) < 0);
    }
  }
}

static void check_json(const kb_rules *rs) {
  json_t *j = kb_rules_to_json(rs);
  FUZZ_CHECK(j != NULL);
  kb_rules *back = NULL;
  FUZZ_CHECK(kb_rules_from_json(j, &back, NULL) == KB_OK);
  FUZZ_CHECK(back->n == rs->n);
  for (size_t i = 0; i < rs->n; i++) {
    FUZZ_CHECK(strcmp(back->v[i].field, rs->v[i].field) == 0);
    FUZZ_CHECK(back->v[i].value == rs->v[i].value);
    FUZZ_CHECK(strcmp(back->v[i].gilt_ab, rs->v[i].gilt_ab) == 0);
    FUZZ_CHECK(strcmp(back->v[i].gilt_bis, rs->v[i].gilt_bis) == 0);
  }
  kb_rules_free(back);
  json_decref(j);
}

static bool left_ref(const char *field, const char *date, unsigned line,
                     bool ok, void *ctx) {
  (void)field;
  (void)date;
  (void)line;
  if (ok)
    *(bool *)ctx = true;
  return true;
}

static void check_expand(const kb_rules *rs, const char *text, size_t len) {
  char *out = NULL, until[11] = "x";
  kb_status st =
      kb_rules_expand(rs, text, len, "2026-12-06", &out, until, NULL);
  FUZZ_CHECK(st == KB_OK || st == KB_ERR_NOT_FOUND || st == KB_ERR_NOMEM);
  if (st != KB_OK)
    return;
  FUZZ_CHECK(memchr(until, '\0', sizeof until) != NULL);
  bool left = false;
  kb_rules_each_ref(out, strlen(out), left_ref, &left);
  /* A figure is digits, dots and a comma: it never forms a reference. */
  FUZZ_CHECK(!left);
  free(out);
}

static void check_decimal(const char *text) {
  int64_t v = -1;
  if (!kb_decimal_parse(text, 1000000, &v))
    return;
  FUZZ_CHECK(v >= 0 && v <= 100000000);
  static const size_t caps[] = {1, 2, 5, 32};
  for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
    char *buf = malloc(caps[i]);
    FUZZ_CHECK(buf != NULL);
    kb_decimal_format(v, buf, caps[i]);
    FUZZ_CHECK(strlen(buf) < caps[i]);
    free(buf);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 64 * 1024)
    return 0;
  char *text = malloc(size + 1);
  FUZZ_CHECK(text != NULL);
  memcpy(text, data, size);
  text[size] = '\0';
  size_t len = strlen(text); /* bodies and files hold no NUL */

  kb_diags d;
  kb_diags_init(&d);
  kb_rules rs = {0};
  size_t errors = kb_rules_parse(&rs, "fuzz.yaml", text, len, &d);
  for (size_t i = 0; i < rs.n; i++)
    check_rule(&rs.v[i]);
  if (errors == 0 && kb_rules_validate(&rs, &d) == 0)
    check_set(&rs);
  check_json(&rs);
  check_expand(&rs, text, len);
  check_decimal(text);

  kb_rules *heap = malloc(sizeof *heap);
  FUZZ_CHECK(heap != NULL);
  *heap = rs;
  kb_rules_free(heap);
  kb_diags_release(&d);
  free(text);
  return 0;
}

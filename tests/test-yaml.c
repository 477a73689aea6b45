/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-yaml.c - the bounded YAML tree under front matter and vocabulary:
 * nodes remember their lines (shifted by first_line), scalars stay text,
 * and hostile input - duplicate keys, aliases, deep nesting, too many
 * nodes, huge scalars, several documents, broken syntax - is refused
 * with the line of the problem.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_yaml.h"
#include "testutil.h"

static const kb_ylimits lim = {
    .max_depth = 3, .max_nodes = 2000, .max_scalar = 4096};

static char *err;

static void setup(void) { err = NULL; }
static void teardown(void) {
  free(err);
  err = NULL;
}

/* Parses `text`, expecting success. */
static kb_ynode *parse_ok(const char *text, unsigned first_line) {
  kb_ynode *root = (kb_ynode *)1;
  unsigned line = 0;
  free(err);
  err = NULL;
  kb_status st =
      kb_yaml_parse(text, strlen(text), first_line, &lim, &root, &line, &err);
  ck_assert_msg(st == KB_OK, "parse failed: %s at line %u: %s",
                kb_status_name(st), line, err ? err : "");
  ck_assert_ptr_null(err);
  return root;
}

/* Parses `text` with `l`, expecting `want`; returns the error line and
 * leaves the message in `err`.  The root must stay untouched. */
static unsigned parse_fail(const char *text, size_t len, unsigned first_line,
                           const kb_ylimits *l, kb_status want) {
  kb_ynode *root = (kb_ynode *)1;
  unsigned line = 0;
  free(err);
  err = NULL;
  kb_status st = kb_yaml_parse(text, len, first_line, l, &root, &line, &err);
  ck_assert_msg(st == want, "want %s, got %s (%s)", kb_status_name(want),
                kb_status_name(st), err ? err : "");
  ck_assert_ptr_eq(root, (kb_ynode *)1);
  ck_assert_ptr_nonnull(err);
  ck_assert_uint_gt(strlen(err), 0);
  return line;
}

#define FAIL_LINE(text, want_st)                                               \
  parse_fail((text), strlen(text), 1, &lim, (want_st))

static const char front[] = "id: bem-grundlagen\n"
                            "title: Betriebliches Eingliederungsmanagement\n"
                            "audience:\n"
                            "  - arbeitgeber\n"
                            "  - sbv\n"
                            "norms: [\"§ 167 Abs. 2 SGB IX\", \"Art. 9 "
                            "DSGVO\"]\n"
                            "summary: >\n"
                            "  Nach sechs Wochen\n"
                            "  Arbeitsunfähigkeit\n"
                            "updated: 2026-05-01\n";

START_TEST(tree_with_line_numbers) {
  kb_ynode *root = parse_ok(front, 1);
  ck_assert_ptr_nonnull(root);
  ck_assert_int_eq(root->type, KB_Y_MAP);
  ck_assert_uint_eq(root->line, 1);
  ck_assert_uint_eq(root->n, 12); /* six keys, six values */

  const kb_ynode *id = kb_ymap_get(root, "id");
  ck_assert_int_eq(id->type, KB_Y_SCALAR);
  ck_assert_str_eq(id->value, "bem-grundlagen");
  ck_assert_uint_eq(id->len, strlen("bem-grundlagen"));
  ck_assert_uint_eq(id->line, 1);

  ck_assert_str_eq(kb_ymap_get(root, "title")->value,
                   "Betriebliches Eingliederungsmanagement");
  ck_assert_uint_eq(kb_ymap_get(root, "title")->line, 2);

  const kb_ynode *aud = kb_ymap_get(root, "audience");
  ck_assert_int_eq(aud->type, KB_Y_SEQ);
  ck_assert_uint_eq(aud->n, 2);
  ck_assert_str_eq(aud->items[0]->value, "arbeitgeber");
  ck_assert_uint_eq(aud->items[0]->line, 4);
  ck_assert_str_eq(aud->items[1]->value, "sbv");
  ck_assert_uint_eq(aud->items[1]->line, 5);
  /* Keys carry their lines too. */
  ck_assert_str_eq(root->items[4]->value, "audience");
  ck_assert_uint_eq(root->items[4]->line, 3);

  const kb_ynode *norms = kb_ymap_get(root, "norms");
  ck_assert_int_eq(norms->type, KB_Y_SEQ);
  ck_assert_uint_eq(norms->line, 6);
  ck_assert_str_eq(norms->items[0]->value, "§ 167 Abs. 2 SGB IX");
  ck_assert_str_eq(norms->items[1]->value, "Art. 9 DSGVO");

  const kb_ynode *sum = kb_ymap_get(root, "summary");
  ck_assert_str_eq(sum->value, "Nach sechs Wochen Arbeitsunfähigkeit\n");
  ck_assert_uint_eq(kb_ymap_get(root, "updated")->line, 10);
  kb_ynode_free(root);
}
END_TEST

START_TEST(first_line_shifts_lines) {
  /* Front matter starts on line 2 of an article file. */
  kb_ynode *root = parse_ok(front, 2);
  ck_assert_uint_eq(root->line, 2);
  ck_assert_uint_eq(kb_ymap_get(root, "id")->line, 2);
  ck_assert_uint_eq(kb_ymap_get(root, "audience")->items[1]->line, 6);
  ck_assert_uint_eq(kb_ymap_get(root, "updated")->line, 11);
  kb_ynode_free(root);
  /* 0 means "from line 1". */
  root = parse_ok(front, 0);
  ck_assert_uint_eq(kb_ymap_get(root, "updated")->line, 10);
  kb_ynode_free(root);
}
END_TEST

START_TEST(scalars_stay_text) {
  /* No YAML 1.1 guessing: dates, booleans, numbers, null stay as typed. */
  kb_ynode *root = parse_ok("updated: 2026-05-01\n"
                            "flag: yes\n"
                            "off: no\n"
                            "nr: 007\n"
                            "nothing: ~\n"
                            "empty:\n"
                            "norway: NO\n",
                            1);
  ck_assert_str_eq(kb_ymap_get(root, "updated")->value, "2026-05-01");
  ck_assert_str_eq(kb_ymap_get(root, "flag")->value, "yes");
  ck_assert_str_eq(kb_ymap_get(root, "off")->value, "no");
  ck_assert_str_eq(kb_ymap_get(root, "nr")->value, "007");
  ck_assert_str_eq(kb_ymap_get(root, "nothing")->value, "~");
  ck_assert_str_eq(kb_ymap_get(root, "empty")->value, "");
  ck_assert_uint_eq(kb_ymap_get(root, "empty")->len, 0);
  ck_assert_str_eq(kb_ymap_get(root, "norway")->value, "NO");
  kb_ynode_free(root);
}
END_TEST

START_TEST(empty_document_is_null) {
  ck_assert_ptr_null(parse_ok("", 1));
  ck_assert_ptr_null(parse_ok("# nur ein Kommentar\n", 1));
  ck_assert_ptr_null(parse_ok("\n\n   \n", 1));
}
END_TEST

START_TEST(ymap_get_edge_cases) {
  kb_ynode *root = parse_ok("a: 1\nb: [x, y]\n", 1);
  ck_assert_ptr_null(kb_ymap_get(root, "c"));
  ck_assert_ptr_null(kb_ymap_get(root, "A")); /* case matters */
  ck_assert_ptr_null(kb_ymap_get(NULL, "a"));
  /* A sequence is no map, and values are not keys. */
  ck_assert_ptr_null(kb_ymap_get(kb_ymap_get(root, "b"), "x"));
  ck_assert_ptr_null(kb_ymap_get(root, "1"));
  kb_ynode_free(root);
  kb_ynode_free(NULL);
}
END_TEST

START_TEST(duplicate_keys_refused) {
  unsigned line = FAIL_LINE("id: a\ntitle: x\nid: b\n", KB_ERR_PARSE);
  ck_assert_uint_eq(line, 3);
  ck_assert_str_eq(err, "duplicate key 'id'");
  /* Nested mappings are checked too, and first_line counts. */
  line = parse_fail("outer:\n  k: 1\n  j: 2\n  k: 3\n",
                    strlen("outer:\n  k: 1\n  j: 2\n  k: 3\n"), 2, &lim,
                    KB_ERR_PARSE);
  ck_assert_uint_eq(line, 5);
  ck_assert_ptr_nonnull(strstr(err, "'k'"));
  /* The same key in different mappings is fine. */
  kb_ynode *root = parse_ok("a: {k: 1}\nb: {k: 2}\n", 1);
  kb_ynode_free(root);
}
END_TEST

START_TEST(duplicate_key_message_is_bounded) {
  /* A huge key does not produce a huge (or overflowing) message. */
  char text[3000];
  char key[900];
  memset(key, 'k', sizeof key - 1);
  key[sizeof key - 1] = '\0';
  snprintf(text, sizeof text, "%s: 1\n%s: 2\n", key, key);
  unsigned line = FAIL_LINE(text, KB_ERR_PARSE);
  ck_assert_uint_eq(line, 2);
  ck_assert_uint_lt(strlen(err), 200);
}
END_TEST

START_TEST(aliases_refused) {
  unsigned line = FAIL_LINE("a: &x [1, 2]\nb: *x\n", KB_ERR_PARSE);
  ck_assert_uint_eq(line, 2);
  ck_assert_ptr_nonnull(strstr(err, "alias"));
  /* "Billion laughs" stops at the first alias. */
  const char *laughs = "a: &a [lol, lol, lol]\n"
                       "b: &b [*a, *a, *a]\n"
                       "c: &c [*b, *b, *b]\n";
  line = FAIL_LINE(laughs, KB_ERR_PARSE);
  ck_assert_uint_eq(line, 2);
  /* An alias as the whole document. */
  FAIL_LINE("*x\n", KB_ERR_PARSE);
}
END_TEST

START_TEST(depth_limit) {
  /* Depth 3 (map > list > scalar, as `audience: [...]`) is allowed ... */
  kb_ynode *root = parse_ok("a:\n  - 1\nb:\n  c: 2\n", 1);
  ck_assert_ptr_nonnull(root);
  kb_ynode_free(root);
  /* ... one more level is not. */
  unsigned line = FAIL_LINE("a: 1\nb:\n  c:\n    d: 1\n", KB_ERR_LIMIT);
  ck_assert_uint_eq(line, 4);
  ck_assert_ptr_nonnull(strstr(err, "nested"));
  line = FAIL_LINE("a:\n  b:\n    c: [1]\n", KB_ERR_LIMIT);
  ck_assert_uint_eq(line, 3);
  ck_assert_ptr_nonnull(strstr(err, "nested"));
  /* Deep flow nesting is refused long before it costs anything. */
  char deep[20002];
  memset(deep, '[', 10000);
  memset(deep + 10000, ']', 10000);
  deep[20000] = '\n';
  deep[20001] = '\0';
  FAIL_LINE(deep, KB_ERR_LIMIT);
}
END_TEST

START_TEST(node_limit) {
  kb_ylimits small = {.max_depth = 3, .max_nodes = 10, .max_scalar = 100};
  const char *ok = "[1, 2, 3, 4, 5, 6, 7, 8, 9]"; /* 1 + 9 nodes */
  kb_ynode *root = NULL;
  ck_assert_int_eq(kb_yaml_parse(ok, strlen(ok), 1, &small, &root, NULL, &err),
                   KB_OK);
  ck_assert_uint_eq(root->n, 9);
  kb_ynode_free(root);
  const char *many = "- 1\n- 2\n- 3\n- 4\n- 5\n- 6\n- 7\n- 8\n- 9\n- 10\n"
                     "- 11\n- 12\n";
  unsigned line = parse_fail(many, strlen(many), 1, &small, KB_ERR_LIMIT);
  ck_assert_uint_eq(line, 10); /* the 11th node */
  ck_assert_ptr_nonnull(strstr(err, "too many"));
}
END_TEST

START_TEST(scalar_limit) {
  kb_ylimits small = {.max_depth = 3, .max_nodes = 100, .max_scalar = 16};
  const char *ok = "title: 0123456789abcdef\n"; /* exactly 16 */
  kb_ynode *root = NULL;
  ck_assert_int_eq(kb_yaml_parse(ok, strlen(ok), 1, &small, &root, NULL, &err),
                   KB_OK);
  kb_ynode_free(root);
  const char *big = "id: x\ntitle: 0123456789abcdefg\n";
  unsigned line = parse_fail(big, strlen(big), 1, &small, KB_ERR_LIMIT);
  ck_assert_uint_eq(line, 2);
  ck_assert_ptr_nonnull(strstr(err, "too long"));
  /* Keys count as scalars too. */
  const char *bigkey = "0123456789abcdefghij: 1\n";
  parse_fail(bigkey, strlen(bigkey), 1, &small, KB_ERR_LIMIT);
}
END_TEST

START_TEST(one_document_only) {
  unsigned line = FAIL_LINE("a: 1\n---\nb: 2\n", KB_ERR_PARSE);
  ck_assert_uint_eq(line, 2);
  ck_assert_ptr_nonnull(strstr(err, "one YAML document"));
  line = FAIL_LINE("---\na: 1\n...\n---\nb: 2\n", KB_ERR_PARSE);
  ck_assert_uint_eq(line, 4);
  /* One explicit document is fine. */
  kb_ynode *root = parse_ok("---\na: 1\n...\n", 1);
  ck_assert_str_eq(kb_ymap_get(root, "a")->value, "1");
  kb_ynode_free(root);
}
END_TEST

START_TEST(invalid_yaml_has_line) {
  /* "mapping values are not allowed here" on line 2 */
  unsigned line = FAIL_LINE("id: bem\ntitle: a: b\n", KB_ERR_PARSE);
  ck_assert_uint_eq(line, 2);
  /* An unclosed flow sequence is noticed where the input ends. */
  line = FAIL_LINE("id: bem\naudience: [arbeitgeber, sbv\nupdated: x\n",
                   KB_ERR_PARSE);
  ck_assert_uint_ge(line, 2);
  ck_assert_uint_le(line, 4);
  /* A tab used for indentation. */
  line = FAIL_LINE("audience:\n\t- sbv\n", KB_ERR_PARSE);
  ck_assert_uint_eq(line, 2);
  /* Lines shift with first_line for errors as well. */
  line = parse_fail("id: bem\ntitle: a: b\n", strlen("id: bem\ntitle: a: b\n"),
                    5, &lim, KB_ERR_PARSE);
  ck_assert_uint_eq(line, 6);
  /* ret_line may be NULL. */
  kb_ynode *root = NULL;
  free(err);
  err = NULL;
  ck_assert_int_eq(kb_yaml_parse("a: b: c", 7, 1, &lim, &root, NULL, &err),
                   KB_ERR_PARSE);
  ck_assert_ptr_null(root);
}
END_TEST

START_TEST(invalid_utf8_refused) {
  const char text[] = "title: Gr\xFC\xDF"
                      "e\n";
  unsigned line = parse_fail(text, sizeof text - 1, 1, &lim, KB_ERR_PARSE);
  ck_assert_uint_eq(line, 1);
  const char nul[] = "a: 1\nb: x\0y\n";
  parse_fail(nul, sizeof nul - 1, 1, &lim, KB_ERR_PARSE);
}
END_TEST

START_TEST(nul_in_value_refused) {
  /* An escaped NUL would cut the value short in C: refused. */
  unsigned line = FAIL_LINE("a: ok\nb: \"x\\0y\"\n", KB_ERR_PARSE);
  ck_assert_uint_eq(line, 2);
  ck_assert_ptr_nonnull(strstr(err, "NUL"));
}
END_TEST

START_TEST(complex_key_refused) {
  unsigned line = FAIL_LINE("a: 1\n? [x, y]\n: z\n", KB_ERR_PARSE);
  ck_assert_uint_eq(line, 2);
  ck_assert_ptr_nonnull(strstr(err, "key"));
}
END_TEST

START_TEST(length_is_respected) {
  /* Only len bytes are parsed. */
  const char *text = "a: 1\nb: 2\n";
  kb_ynode *root = NULL;
  ck_assert_int_eq(kb_yaml_parse(text, 5, 1, &lim, &root, NULL, &err), KB_OK);
  ck_assert_ptr_nonnull(kb_ymap_get(root, "a"));
  ck_assert_ptr_null(kb_ymap_get(root, "b"));
  kb_ynode_free(root);
}
END_TEST

int main(void) {
  Suite *s = suite_create("yaml");
  TCase *tc = tcase_create("tree");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, tree_with_line_numbers);
  tcase_add_test(tc, first_line_shifts_lines);
  tcase_add_test(tc, scalars_stay_text);
  tcase_add_test(tc, empty_document_is_null);
  tcase_add_test(tc, ymap_get_edge_cases);
  tcase_add_test(tc, length_is_respected);
  suite_add_tcase(s, tc);

  TCase *th = tcase_create("hostile");
  tcase_add_checked_fixture(th, setup, teardown);
  tcase_add_test(th, duplicate_keys_refused);
  tcase_add_test(th, duplicate_key_message_is_bounded);
  tcase_add_test(th, aliases_refused);
  tcase_add_test(th, depth_limit);
  tcase_add_test(th, node_limit);
  tcase_add_test(th, scalar_limit);
  tcase_add_test(th, one_document_only);
  tcase_add_test(th, invalid_yaml_has_line);
  tcase_add_test(th, invalid_utf8_refused);
  tcase_add_test(th, nul_in_value_refused);
  tcase_add_test(th, complex_key_refused);
  suite_add_tcase(s, th);

  return tu_run_suite(s);
}

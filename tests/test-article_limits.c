/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-article_limits.c - every limit an article has, as lint sees it:
 * the error names the limit, its value and the line, a file at the
 * limit passes and one past it does not; Markdown that makes cmark-gfm
 * slow is refused before it is parsed, and kb_article_render refuses
 * what parsing would have refused.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kb_article.h"
#include "testutil.h"

static kb_vocab *vocab;
static kb_diags diags;

/* A valid article whose body starts on line 9. */
static const char head[] = "---\n"
                           "id: grenzen\n"
                           "title: Grenzen\n"
                           "type: anpassung\n"
                           "summary: Was ein Artikel höchstens sein darf.\n"
                           "audience: [arbeitgeber]\n"
                           "updated: 2026-03-01\n"
                           "---\n"
                           "Text.\n\n";
enum { BODY_LINE = 9 };

static void setup(void) {
  char fixture[1024];
  tu_fixture_dir(fixture, sizeof fixture);
  kb_diags_init(&diags);
  vocab = NULL;
  ck_assert_int_eq(kb_vocab_load(fixture, &vocab, &diags), KB_OK);
}

static void teardown(void) {
  kb_vocab_free(vocab);
  kb_diags_release(&diags);
}

/* head + `body`, parsed; KB_OK frees the article. */
static kb_status parse_body(const char *body) {
  size_t n = strlen(head) + strlen(body);
  char *text = malloc(n + 1);
  snprintf(text, n + 1, "%s%s", head, body);
  kb_article *a = NULL;
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  kb_status st = kb_article_parse("x/grenzen.md", text, n, vocab, &a, &diags);
  kb_article_free(a);
  free(text);
  return st;
}

/* `unit` repeated to `n` bytes (the last copy cut). Owned. */
static char *fill(const char *unit, size_t n) {
  char *s = malloc(n + 1);
  size_t u = strlen(unit);
  for (size_t i = 0; i < n; i++)
    s[i] = unit[i % u];
  s[n] = '\0';
  return s;
}

/* Exactly one error, of `code` at `line`, naming `limit`. */
static void expect_limit(const char *code, unsigned line, const char *limit) {
  for (size_t i = 0; i < diags.n; i++)
    fprintf(stderr, "  %u: [%s] %s\n", diags.items[i].line, diags.items[i].code,
            diags.items[i].message);
  ck_assert_uint_eq(diags.errors, 1);
  ck_assert_str_eq(diags.items[0].code, code);
  ck_assert_uint_eq(diags.items[0].line, line);
  char want[64];
  snprintf(want, sizeof want, "(limit '%s')", limit);
  ck_assert_msg(strstr(diags.items[0].message, want), "'%s' lacks '%s'",
                diags.items[0].message, want);
}

START_TEST(word_length) {
  char body[2048];
  char *w = fill("a", KB_BODY_MAX_WORD_BYTES);
  snprintf(body, sizeof body, "Zeile\n%s\n", w);
  ck_assert_int_eq(parse_body(body), KB_OK);
  snprintf(body, sizeof body, "Zeile\n%sb\n", w);
  ck_assert_int_eq(parse_body(body), KB_ERR_PARSE);
  expect_limit("too-large", BODY_LINE + 3, "word length");
  ck_assert(strstr(diags.items[0].message, "a word of 513 bytes"));
  free(w);
}
END_TEST

START_TEST(table_columns) {
  char body[4096] = "| a | b |\n|---|---|\n";
  size_t o = strlen(body);
  for (unsigned i = 0; i < KB_BODY_MAX_PIPES; i++)
    o += (size_t)snprintf(body + o, sizeof body - o, "| ");
  snprintf(body + o, sizeof body - o, "\n");
  ck_assert_int_eq(parse_body(body), KB_OK);
  snprintf(body + o, sizeof body - o, "|\n");
  ck_assert_int_eq(parse_body(body), KB_ERR_PARSE);
  expect_limit("too-large", BODY_LINE + 4, "table columns");
}
END_TEST

START_TEST(nesting_depth) {
  char body[256] = "";
  for (unsigned i = 0; i < KB_BODY_MAX_NESTING; i++)
    strcat(body, i % 2 ? "> " : "- ");
  strcat(body, "Text\n");
  ck_assert_int_eq(parse_body(body), KB_OK);
  char deeper[300];
  snprintf(deeper, sizeof deeper, "1. %s", body);
  ck_assert_int_eq(parse_body(deeper), KB_ERR_PARSE);
  expect_limit("too-large", BODY_LINE + 2, "nesting depth");
  /* A thematic break of many '-' is no nest of lists. */
  ck_assert_int_eq(parse_body("Text\n\n- - - - - - - - - - - - - - - - - - - "
                              "- - - - -\n\nMehr\n"),
                   KB_OK);
}
END_TEST

START_TEST(list_items) {
  char *items = fill("1. Punkt\n", 9 * KB_BODY_MAX_LIST_ITEMS);
  char *body = malloc(strlen(items) + 64);
  sprintf(body, "Liste:\n\n%s", items);
  ck_assert_int_eq(parse_body(body), KB_OK);
  strcat(body, "1. Einer zu viel\n");
  ck_assert_int_eq(parse_body(body), KB_ERR_PARSE);
  expect_limit("too-large", BODY_LINE + 4, "list items");
  free(body);
  free(items);
}
END_TEST

START_TEST(rendered_size) {
  /* '&' becomes "&amp;": 400 KB of body render to well over the limit. */
  char *body = fill("& ", 400 * 1024);
  ck_assert_int_eq(parse_body(body), KB_ERR_PARSE);
  expect_limit("too-large", BODY_LINE, "rendered size");
  free(body);
}
END_TEST

START_TEST(render_refuses_what_parse_refuses) {
  /* An article that did not go through kb_article_parse. */
  char *body = fill("|", 100000);
  kb_article a = {
      .path = "x.md", .body = body, .body_len = 100000, .body_line = 7};
  char *html = (char *)1, *err = NULL;
  ck_assert_int_eq(kb_article_render(&a, &html, NULL, &err), KB_ERR_LIMIT);
  ck_assert_ptr_eq(html, (char *)1);
  ck_assert_ptr_nonnull(strstr(err, "line 7:"));
  ck_assert_ptr_nonnull(strstr(err, "(limit 'word length')"));
  free(err);
  free(body);
}
END_TEST

START_TEST(bounded_time) {
  /* The slowest shapes that pass the line checks, 500 KB each: before
   * the limits each took more than a minute. */
  const char *const units[] = {
      "\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\n",
      "|a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q|r|s|t|u|v|w|x|y|z|\n",
      "- - - - - - - - - - - - - - - a\n", "1. a\n", "a@b.a@b.a@b.a@b. "};
  for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
    char *body = fill(units[i], 500 * 1024 - 2048);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    kb_status st = parse_body(body);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) +
               (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_msg(s < 20.0, "unit %zu took %.1f s (%s)", i, s,
                  kb_status_name(st));
    free(body);
  }
}
END_TEST

START_TEST(file_size_is_the_real_size) {
  char dir[1024], path[1100];
  tu_scratch_dir(dir, sizeof dir, "limits");
  char *text = fill("Text ", KB_ARTICLE_MAX_BYTES + 5000);
  tu_write_file(dir, "gross.md", text);
  kb_article *a = NULL;
  ck_assert_int_eq(kb_article_load(tu_path(path, sizeof path, dir, "gross.md"),
                                   vocab, &a, &diags),
                   KB_ERR_PARSE);
  expect_limit("too-large", 1, "file size");
  char want[64];
  snprintf(want, sizeof want, "file has %u bytes", KB_ARTICLE_MAX_BYTES + 5000);
  ck_assert_ptr_nonnull(strstr(diags.items[0].message, want));
  free(text);
  tu_remove_tree(dir);
}
END_TEST

START_TEST(keyword_length) {
  char text[1024];
  char *kw = fill("x", KB_KEYWORD_MAX_BYTES + 1);
  snprintf(text, sizeof text,
           "---\nid: grenzen\ntitle: Grenzen\ntype: anpassung\n"
           "summary: Kurz.\naudience: [arbeitgeber]\ntopics: [gut, %s]\n"
           "updated: 2026-03-01\n---\nText.\n",
           kw);
  kb_article *a = NULL;
  ck_assert_int_eq(
      kb_article_parse("x.md", text, strlen(text), vocab, &a, &diags),
      KB_ERR_PARSE);
  expect_limit("too-long", 7, "keyword length");
  free(kw);
}
END_TEST

START_TEST(front_matter_limits_named) {
  const char *text = "---\nid: grenzen\ntitle: Grenzen\nx:\n  y:\n    z:\n"
                     "      w: tief\n---\nText.\n";
  kb_article *a = NULL;
  ck_assert_int_eq(
      kb_article_parse("x.md", text, strlen(text), vocab, &a, &diags),
      KB_ERR_PARSE);
  expect_limit("yaml", 6, "depth");
  ck_assert_ptr_nonnull(strstr(diags.items[0].message, "at most 3 levels"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("article_limits");
  TCase *tc = tcase_create("limits");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, word_length);
  tcase_add_test(tc, table_columns);
  tcase_add_test(tc, nesting_depth);
  tcase_add_test(tc, list_items);
  tcase_add_test(tc, rendered_size);
  tcase_add_test(tc, render_refuses_what_parse_refuses);
  tcase_add_test(tc, bounded_time);
  tcase_add_test(tc, file_size_is_the_real_size);
  tcase_add_test(tc, keyword_length);
  tcase_add_test(tc, front_matter_limits_named);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}

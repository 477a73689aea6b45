/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-json.c - the JSON shapes of search results and records shared by
 * the HTTP API and `teilhabe search --json` (docs/api.md): every key is
 * present with the documented type, null where there is nothing to say,
 * and a record carries labels but not the stored text.
 *
 * Real results come from an index of tests/fixtures/corpus built under
 * $TEILHABE_TEST_TMP (or /tmp) and removed afterwards.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../src/json_write.h"
#include "kb_index.h"
#include "kb_json.h"
#include "testutil.h"

static char tmpdir[1024];
static char dbpath[1100];
static kb_searcher *s;
static char *err;

#define OK(call) TU_OK(call, err)

static void build(void) {
  tu_scratch_dir(tmpdir, sizeof tmpdir, "test-json");
  tu_path(dbpath, sizeof dbpath, tmpdir, "index");
  tu_build_fixture_index(dbpath);
}

static void unbuild(void) { tu_remove_tree(tmpdir); }

static void setup(void) {
  err = NULL;
  OK(kb_searcher_open(dbpath, &s, &err));
}

static void teardown(void) {
  kb_searcher_close(s);
  free(err);
  err = NULL;
}

static kb_search_result *search(kb_search_request *req) {
  kb_search_result *r = NULL;
  OK(kb_search(s, req, &r, &err));
  return r;
}

/* Parses JSON text (taken over), as a client sees it. */
static json_t *parsed(char *text) {
  ck_assert_ptr_nonnull(text);
  json_error_t je;
  json_t *j = json_loads(text, 0, &je);
  ck_assert_msg(j != NULL, "invalid JSON: %s", je.text);
  free(text);
  return j;
}

/* The JSON of a search for `q`; the result is freed before the text is
 * read, so the text must not refer to it. */
static json_t *result_json(kb_search_request *req) {
  kb_search_result *r = search(req);
  char *text = kb_json_search_result(r, kb_searcher_vocab(s));
  kb_search_result_free(r);
  return parsed(text);
}

/* The index of facet `name` in the index's schema. */
static size_t fx(const char *name) {
  size_t f = kb_schema_facet(kb_searcher_vocab(s)->schema, name);
  ck_assert_uint_ne(f, KB_SCHEMA_NONE);
  return f;
}

#define KEY(obj, k, check)                                                     \
  ck_assert_msg(check(json_object_get((obj), (k))),                            \
                "key '%s' missing or not " #check, (k))

static void check_top_level(json_t *j) {
  ck_assert(json_is_object(j));
  KEY(j, "query", json_is_string);
  KEY(j, "total", json_is_integer);
  KEY(j, "page", json_is_integer);
  KEY(j, "per_page", json_is_integer);
  KEY(j, "sort", json_is_string);
  KEY(j, "results", json_is_array);
  KEY(j, "facets", json_is_object);
  KEY(j, "corrected", json_is_boolean);
  KEY(j, "with_suggestion", json_is_boolean);
  KEY(j, "relaxed", json_is_boolean);
  KEY(j, "short_wildcard", json_is_boolean);
  /* Present even when there is nothing to say: null, not missing. */
  ck_assert_ptr_nonnull(json_object_get(j, "suggestion"));
  ck_assert_ptr_nonnull(json_object_get(j, "citations"));
  ck_assert_ptr_nonnull(json_object_get(j, "definition"));
  /* Every facet of schema.yaml, named as there. */
  json_t *facets = json_object_get(j, "facets");
  static const char *const names[] = {"kind", "type", "audience", "disability",
                                      "norm"};
  ck_assert_uint_eq(json_object_size(facets), 5);
  for (int f = 0; f < 5; f++) {
    json_t *list = json_object_get(facets, names[f]);
    ck_assert_msg(json_is_array(list), "facet '%s' missing", names[f]);
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
      KEY(v, "value", json_is_string);
      KEY(v, "label", json_is_string);
      KEY(v, "count", json_is_integer);
      KEY(v, "selected", json_is_boolean);
    }
  }
  size_t i;
  json_t *h;
  json_array_foreach(json_object_get(j, "results"), i, h) {
    /* The record's API form (without body_html) ... */
    KEY(h, "id", json_is_string);
    KEY(h, "kind", json_is_string);
    KEY(h, "kind_label", json_is_string);
    KEY(h, "title", json_is_string);
    KEY(h, "type", json_is_string);
    KEY(h, "type_label", json_is_string);
    KEY(h, "audience", json_is_array);
    KEY(h, "summary", json_is_string);
    KEY(h, "updated", json_is_string);
    KEY(h, "url", json_is_string);
    KEY(h, "laws", json_is_array);
    ck_assert_ptr_null(json_object_get(h, "body_html"));
    ck_assert_ptr_null(json_object_get(h, "text"));
    /* ... plus what a hit adds. */
    KEY(h, "label", json_is_string);
    KEY(h, "snippet", json_is_string);
    KEY(h, "score", json_is_number);
    char url[128];
    snprintf(url, sizeof url, "/%s/%s",
             json_string_value(json_object_get(h, "kind")),
             json_string_value(json_object_get(h, "id")));
    ck_assert_str_eq(json_string_value(json_object_get(h, "url")), url);
  }
}

START_TEST(search_result_shape) {
  kb_search_request req = {.query = "Hörgerät", .per_page = 5, .page = 1};
  json_t *j = result_json(&req);
  check_top_level(j);
  ck_assert_str_eq(json_string_value(json_object_get(j, "query")), "Hörgerät");
  ck_assert_int_eq(json_integer_value(json_object_get(j, "total")), 1);
  ck_assert_int_eq(json_integer_value(json_object_get(j, "page")), 1);
  ck_assert_int_eq(json_integer_value(json_object_get(j, "per_page")), 5);
  ck_assert_str_eq(json_string_value(json_object_get(j, "sort")), "relevance");
  ck_assert(json_is_null(json_object_get(j, "suggestion")));
  ck_assert(json_is_null(json_object_get(j, "citations")));
  ck_assert(json_is_false(json_object_get(j, "corrected")));
  ck_assert(json_is_false(json_object_get(j, "relaxed")));
  json_t *h = json_array_get(json_object_get(j, "results"), 0);
  ck_assert_str_eq(json_string_value(json_object_get(h, "id")), "hoergeraet");
  ck_assert_str_eq(json_string_value(json_object_get(h, "type_label")),
                   "Arbeitsplatzgestaltung und Hilfsmittel");
  ck_assert_str_eq(json_string_value(json_object_get(h, "label")),
                   "Arbeitsplatzgestaltung und Hilfsmittel");
  ck_assert_str_eq(json_string_value(json_object_get(h, "kind_label")),
                   "Artikel");
  ck_assert_str_eq(json_string_value(json_object_get(h, "url")),
                   "/artikel/hoergeraet");
  ck_assert(json_is_null(json_object_get(j, "definition")));
  ck_assert_ptr_nonnull(
      strstr(json_string_value(json_object_get(h, "snippet")), "<mark>"));
  ck_assert(json_real_value(json_object_get(h, "score")) > 0.0);
  json_t *aud = json_object_get(json_object_get(j, "facets"), "audience");
  ck_assert_uint_eq(json_array_size(aud), 2);
  json_decref(j);
}
END_TEST

START_TEST(search_result_flags_and_notes) {
  kb_search_request req = {.query = "Eingliederungsmanagment"};
  json_t *j = result_json(&req);
  check_top_level(j);
  ck_assert_str_eq(json_string_value(json_object_get(j, "suggestion")),
                   "Eingliederungsmanagement");
  ck_assert(json_is_true(json_object_get(j, "corrected")));
  json_decref(j);

  req.query = "Kamera Telefon";
  j = result_json(&req);
  ck_assert(json_is_true(json_object_get(j, "relaxed")));
  json_decref(j);

  req.query = "167 SGB IX";
  j = result_json(&req);
  ck_assert_str_eq(json_string_value(json_object_get(j, "citations")),
                   "§ 167 SGB IX");
  json_decref(j);

  kb_search_request b = {.sort = KB_SORT_UPDATED};
  b.filters[fx("type")][0] = "recht";
  b.nfilters[fx("type")] = 1;
  j = result_json(&b);
  check_top_level(j);
  ck_assert_str_eq(json_string_value(json_object_get(j, "sort")), "updated");
  ck_assert_str_eq(json_string_value(json_object_get(j, "query")), "");
  ck_assert_int_eq(json_integer_value(json_object_get(j, "total")), 2);
  json_t *types = json_object_get(json_object_get(j, "facets"), "type");
  bool saw_selected = false;
  size_t i;
  json_t *v;
  json_array_foreach(types, i, v) {
    if (strcmp(json_string_value(json_object_get(v, "value")), "recht") == 0) {
      saw_selected = json_is_true(json_object_get(v, "selected"));
      ck_assert_str_eq(json_string_value(json_object_get(v, "label")),
                       "Rechtliche Ansprüche");
      ck_assert_int_eq(json_integer_value(json_object_get(v, "count")), 2);
    }
  }
  ck_assert(saw_selected);
  /* Browsing hits have score 0 and an empty snippet. */
  json_t *h = json_array_get(json_object_get(j, "results"), 0);
  ck_assert(json_real_value(json_object_get(h, "score")) == 0.0);
  ck_assert_str_eq(json_string_value(json_object_get(h, "snippet")), "");
  json_decref(j);
}
END_TEST

START_TEST(search_result_empty_and_hand_made) {
  kb_search_request req = {.query = "Quantencomputer"};
  json_t *j = result_json(&req);
  check_top_level(j);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "results")), 0);
  ck_assert_int_eq(json_integer_value(json_object_get(j, "total")), 0);
  json_decref(j);

  /* A result built by hand: strings with quotes, backslashes and
   * control characters come out as valid JSON; scores are rounded to
   * three places; a total past 2^32 survives. */
  const kb_vocab *v = kb_searcher_vocab(s);
  const char *type[] = {"recht"};
  kb_record rec = {.id = "x-1",
                   .kind = "artikel",
                   .title = "\"Zitat\" \\ Pfad\n<b>",
                   .summary = "Tab\there",
                   .updated = "2026-01-01",
                   .html = "<p>Text</p>"};
  rec.values[kb_schema_field(v->schema, "type")] = (kb_rvals){type, 1};
  kb_hit hit = {.rec = &rec,
                .id = rec.id,
                .kind = rec.kind,
                .title = rec.title,
                .summary = rec.summary,
                .updated = rec.updated,
                .url = "/artikel/x-1",
                .label = "Rechtliche Ansprüche",
                .snippet = "<mark>a</mark> &amp; b",
                .score = 2.71828};
  kb_facet_value fv = {
      .value = "SGB IX", .label = "SGB IX", .count = 3, .selected = true};
  kb_search_result r = {.query = "\"a\" & b",
                        .total = 5000000000ULL,
                        .page = 2,
                        .per_page = 1,
                        .sort = KB_SORT_RELEVANCE,
                        .hits = &hit,
                        .nhits = 1,
                        .nfacets = v->schema->nfacets,
                        .definition = &rec,
                        .suggestion = "ä",
                        .corrected = false,
                        .with_suggestion = true,
                        .relaxed = true};
  r.facets[fx("norm")] = (kb_facet_list){.values = &fv, .n = 1};
  j = parsed(kb_json_search_result(&r, v));
  check_top_level(j);
  ck_assert_int_eq(json_integer_value(json_object_get(j, "total")),
                   5000000000LL);
  json_t *h = json_array_get(json_object_get(j, "results"), 0);
  ck_assert_str_eq(json_string_value(json_object_get(h, "title")),
                   "\"Zitat\" \\ Pfad\n<b>");
  ck_assert_str_eq(json_string_value(json_object_get(h, "summary")),
                   "Tab\there");
  ck_assert_str_eq(json_string_value(json_object_get(h, "type_label")),
                   "Rechtliche Ansprüche");
  ck_assert(json_real_value(json_object_get(h, "score")) == 2.718);
  ck_assert_str_eq(json_string_value(json_object_get(j, "suggestion")), "ä");
  ck_assert(json_is_true(json_object_get(j, "with_suggestion")));
  ck_assert(json_is_false(json_object_get(j, "corrected")));
  /* A definition is the record's API form with its body. */
  json_t *def = json_object_get(j, "definition");
  ck_assert_str_eq(json_string_value(json_object_get(def, "id")), "x-1");
  ck_assert_str_eq(json_string_value(json_object_get(def, "body_html")),
                   "<p>Text</p>");
  json_t *norm = json_object_get(json_object_get(j, "facets"), "norm");
  ck_assert(json_is_true(json_object_get(json_array_get(norm, 0), "selected")));
  ck_assert_uint_eq(
      json_array_size(json_object_get(json_object_get(j, "facets"), "type")),
      0);
  json_decref(j);
}
END_TEST

START_TEST(record_shape) {
  kb_record *rec = NULL;
  OK(kb_searcher_record(s, "hoergeraet", &rec, &err));
  json_t *j = parsed(kb_record_api_json(rec, kb_searcher_vocab(s), true));
  kb_record_free(rec); /* the text holds its own copies */
  KEY(j, "id", json_is_string);
  KEY(j, "kind", json_is_string);
  KEY(j, "kind_label", json_is_string);
  KEY(j, "title", json_is_string);
  KEY(j, "type", json_is_string);
  KEY(j, "type_label", json_is_string);
  KEY(j, "summary", json_is_string);
  KEY(j, "updated", json_is_string);
  KEY(j, "url", json_is_string);
  KEY(j, "audience", json_is_array);
  KEY(j, "disabilities", json_is_array);
  KEY(j, "topics", json_is_array);
  KEY(j, "norms", json_is_array);
  KEY(j, "laws", json_is_array);
  KEY(j, "sources", json_is_array);
  KEY(j, "related", json_is_array);
  KEY(j, "body_html", json_is_string);
  /* An absent single field is null, not missing. */
  KEY(j, "gilt_bis", json_is_null);
  /* The stored plain text is for the index, not for clients. */
  ck_assert_ptr_null(json_object_get(j, "text"));
  ck_assert_str_eq(json_string_value(json_object_get(j, "url")),
                   "/artikel/hoergeraet");
  ck_assert_str_eq(json_string_value(json_object_get(j, "kind_label")),
                   "Artikel");
  ck_assert_str_eq(json_string_value(json_object_get(j, "type_label")),
                   "Arbeitsplatzgestaltung und Hilfsmittel");
  /* Vocabulary fields come with German labels. */
  json_t *aud = json_object_get(j, "audience");
  ck_assert_uint_eq(json_array_size(aud), 2);
  json_t *a0 = json_array_get(aud, 0);
  ck_assert_str_eq(json_string_value(json_object_get(a0, "value")),
                   "arbeitgeber");
  ck_assert_str_eq(json_string_value(json_object_get(a0, "label")),
                   "Arbeitgeber");
  json_t *d0 = json_array_get(json_object_get(j, "disabilities"), 0);
  ck_assert_str_eq(json_string_value(json_object_get(d0, "label")),
                   "Hörbehinderung und Gehörlosigkeit");
  ck_assert_str_eq(
      json_string_value(json_array_get(json_object_get(j, "laws"), 0)),
      "SGB IX");
  ck_assert_str_eq(
      json_string_value(json_array_get(json_object_get(j, "topics"), 0)),
      "hörgerät");
  ck_assert_str_eq(
      json_string_value(json_array_get(json_object_get(j, "related"), 0)),
      "bildschirmlesegeraet");
  ck_assert_ptr_nonnull(
      strstr(json_string_value(json_object_get(j, "body_html")), "<p>"));
  json_decref(j);
  /* Without the body, for result lists. */
  OK(kb_searcher_record(s, "hoergeraet", &rec, &err));
  j = parsed(kb_record_api_json(rec, kb_searcher_vocab(s), false));
  kb_record_free(rec);
  ck_assert_ptr_null(json_object_get(j, "body_html"));
  json_decref(j);
}
END_TEST

START_TEST(record_without_vocab) {
  /* Without a vocabulary there is no schema either: the envelope only,
   * the kind its own label. */
  kb_record *rec = NULL;
  OK(kb_searcher_record(s, "sbv", &rec, &err));
  json_t *j = parsed(kb_record_api_json(rec, NULL, true));
  kb_record_free(rec);
  ck_assert_str_eq(json_string_value(json_object_get(j, "id")), "sbv");
  ck_assert_str_eq(json_string_value(json_object_get(j, "kind_label")),
                   "artikel");
  ck_assert_str_eq(json_string_value(json_object_get(j, "url")),
                   "/artikel/sbv");
  ck_assert_ptr_null(json_object_get(j, "type"));
  ck_assert_ptr_null(json_object_get(j, "audience"));
  KEY(j, "laws", json_is_array);
  KEY(j, "body_html", json_is_string);
  json_decref(j);
}
END_TEST

/* ---- the writer: byte for byte what jansson prints -------------------- */

/* What json_dumps(JSON_COMPACT | JSON_ENCODE_ANY) prints for `j`. */
static void same_as_jansson(const kb_buf *mine, json_t *j) {
  char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
  ck_assert_ptr_nonnull(want);
  ck_assert_int_eq(kb_buf_status(mine), KB_OK);
  ck_assert_str_eq(kb_buf_str(mine), want);
  free(want);
  json_decref(j);
}

START_TEST(writer_matches_jansson) {
  /* Every ASCII character, alone and inside text. */
  for (int c = 1; c < 128; c++) {
    char txt[8];
    snprintf(txt, sizeof txt, "a%cb", c);
    kb_buf b = KB_BUF_INIT(1024);
    kbi_json_str(&b, txt);
    same_as_jansson(&b, json_string(txt));
    kb_buf_release(&b);
  }
  static const char *const texts[] = {"",
                                      "Hörgerät",
                                      "§ 167 Abs. 2 SGB IX – „BEM“",
                                      "<mark>Kündigung</mark>…",
                                      "Tab\tund\nZeile\r\n",
                                      "\"zitiert\" \\ Pfad/zu",
                                      "\xF0\x9F\x98\x80 Emoji",
                                      "\xE2\x80\xA8 line separator",
                                      "\x7F"};
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    kb_buf b = KB_BUF_INIT(1024);
    kbi_json_str(&b, texts[i]);
    same_as_jansson(&b, json_string(texts[i]));
    kb_buf_release(&b);
  }
  /* Scores as the API rounds them, and the odd magnitudes. */
  static const double reals[] = {0,       1,    7.428, 12.5,  0.001,
                                 -3.25,   1e20, 1e-7,  1e300, 123456789.123,
                                 2.0 / 3, 100.0};
  for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
    kb_buf b = KB_BUF_INIT(1024);
    kbi_json_real(&b, reals[i]);
    same_as_jansson(&b, json_real(reals[i]));
    kb_buf_release(&b);
  }
  kb_buf b = KB_BUF_INIT(1024);
  kbi_json_uint(&b, 18446744073709551615u);
  ck_assert_str_eq(kb_buf_str(&b), "18446744073709551615");
  kb_buf_reset(&b);
  kbi_json_str(&b, NULL);
  kbi_json_bool(&b, true);
  kbi_json_bool(&b, false);
  ck_assert_str_eq(kb_buf_str(&b), "nulltruefalse");
  /* Bytes that are no UTF-8 (which jansson refuses) become U+FFFD: the
   * answer stays valid JSON. */
  kb_buf_reset(&b);
  kbi_json_str(&b, "a\xFF"
                   "b\xC3");
  ck_assert_str_eq(kb_buf_str(&b), "\"a\xEF\xBF\xBD"
                                   "b\xEF\xBF\xBD\"");
  json_t *back = json_loads(kb_buf_str(&b), JSON_DECODE_ANY, NULL);
  ck_assert_ptr_nonnull(back);
  json_decref(back);
  kb_buf_release(&b);
}
END_TEST

int main(void) {
  Suite *su = suite_create("json");
  TCase *tc = tcase_create("json");
  tcase_add_unchecked_fixture(tc, build, unbuild);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, search_result_shape);
  tcase_add_test(tc, search_result_flags_and_notes);
  tcase_add_test(tc, search_result_empty_and_hand_made);
  tcase_add_test(tc, record_shape);
  tcase_add_test(tc, record_without_vocab);
  tcase_add_test(tc, writer_matches_jansson);
  suite_add_tcase(su, tc);
  return tu_run_suite(su);
}

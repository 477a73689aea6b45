/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-record.c - the stored record, the one codec between the indexer
 * and every reader: a parsed fixture article encoded and decoded again
 * keeps every envelope field and every declared field; the header alone
 * decodes without the body; data that is no record is KB_ERR_DB_CORRUPT;
 * and the API form labels vocabulary values (a single enum as "<name>"
 * and "<name>_label", a list as [{value, label}]).
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_article.h"
#include "kb_record.h"
#include "testutil.h"

static kb_vocab *vocab;
static const kb_schema *sc;
static kb_article *art;
static kb_diags diags;
static kb_buf stored;
static char *err;

static const char text[] = "Ein modernes Hörgerät lässt sich koppeln.";
static const char html[] = "<p>Ein modernes <em>Hörgerät</em>.</p>\n";
static const char hash[] = "0123456789abcdef";

/* Loads the fixture vocabulary and `hoergeraet.md`, and encodes it. */
static void setup(void) {
  char fixture[4096], path[4200];
  tu_fixture_dir(fixture, sizeof fixture);
  kb_diags_init(&diags);
  vocab = NULL;
  art = NULL;
  err = NULL;
  ck_assert_int_eq(kb_vocab_load(fixture, &vocab, &diags), KB_OK);
  sc = vocab->schema;
  ck_assert_int_eq(
      kb_article_load(tu_path(path, sizeof path, fixture, "hoergeraet.md"),
                      vocab, &art, &diags),
      KB_OK);
  kb_strv laws = {0}, links = {0};
  kb_strv_push(&laws, "SGB IX");
  kb_strv_push(&links, "bildschirmlesegeraet");
  kb_strv_push(&links, "sbv");
  kb_buf_init(&stored, 1u << 20);
  kb_record_encode(art, text, html, &laws, &links, hash, &stored);
  ck_assert_int_eq(kb_buf_status(&stored), KB_OK);
  kb_strv_release(&laws);
  kb_strv_release(&links);
}

/* Where the stored header ends and the text begins: after the 4-byte
 * magic, the 4-byte little-endian header length and the header. */
static size_t head_end(const kb_buf *b) {
  ck_assert_uint_ge(b->len, 8);
  ck_assert_mem_eq(b->data, "KBR\x01", 4);
  const unsigned char *p = (const unsigned char *)b->data + 4;
  return 8 + ((size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 |
              (size_t)p[3] << 24);
}

static void teardown(void) {
  kb_buf_release(&stored);
  kb_article_free(art);
  kb_vocab_free(vocab);
  kb_diags_release(&diags);
  free(err);
}

static kb_record *decode(bool body) {
  kb_record *r = NULL;
  TU_OK(kb_record_decode(sc, stored.data, stored.len, body, &r, &err), err);
  ck_assert_ptr_nonnull(r);
  return r;
}

static void vals_eq(const kb_rvals *got, const kb_strv *want) {
  ck_assert_uint_eq(got->n, want->n);
  for (size_t i = 0; i < want->n; i++)
    ck_assert_str_eq(got->v[i], want->v[i]);
}

/* ---- the codec ---------------------------------------------------------- */

START_TEST(round_trip) {
  kb_record *r = decode(true);
  /* The envelope. */
  ck_assert_str_eq(r->id, "hoergeraet");
  ck_assert_str_eq(r->kind, "artikel");
  ck_assert_str_eq(r->title, art->title);
  ck_assert_str_eq(r->summary, art->summary);
  ck_assert_str_eq(r->updated, "2026-03-01");
  ck_assert_str_eq(r->hash, hash);
  vals_eq(&r->sources, &art->sources);
  vals_eq(&r->related, &art->related);
  /* What indexing derived. */
  ck_assert_uint_eq(r->laws.n, 1);
  ck_assert_str_eq(r->laws.v[0], "SGB IX");
  ck_assert_uint_eq(r->links.n, 2);
  ck_assert_str_eq(r->links.v[1], "sbv");
  /* Every declared field, by its schema index. */
  for (size_t f = 0; f < sc->nfields; f++) {
    const kb_strv *want = &art->values[f];
    vals_eq(&r->values[f], want);
  }
  ck_assert_uint_eq(r->values[kb_schema_field(sc, "audience")].n, 2);
  ck_assert_str_eq(kb_record_value(r, kb_schema_field(sc, "type")),
                   "anpassung");
  ck_assert_str_eq(kb_record_value(r, kb_schema_field(sc, "topics")),
                   "hörgerät");
  ck_assert_ptr_null(kb_record_value(r, kb_schema_field(sc, "gilt_bis")));
  ck_assert_ptr_null(kb_record_value(r, KB_SF_KIND));
  /* The body. */
  ck_assert_str_eq(r->text, text);
  ck_assert_str_eq(r->html, html);
  kb_record_free(r);
  kb_record_free(NULL);
}
END_TEST

START_TEST(header_only) {
  kb_record *r = decode(false);
  ck_assert_str_eq(r->id, "hoergeraet");
  ck_assert_uint_eq(r->values[kb_schema_field(sc, "norms")].n, 1);
  ck_assert_str_eq(r->text, "");
  ck_assert_str_eq(r->html, "");
  kb_record_free(r);
  /* The header is the first part: a list reads no more than that. */
  size_t hlen = head_end(&stored);
  kb_record *h = NULL;
  TU_OK(kb_record_decode(sc, stored.data, hlen, true, &h, &err), err);
  ck_assert_str_eq(h->title, art->title);
  ck_assert_str_eq(h->text, "");
  ck_assert_str_eq(h->html, "");
  kb_record_free(h);
}
END_TEST

/* A result list reads the text in place, without decoding the record. */
START_TEST(text_in_place) {
  size_t n = 99;
  const char *t = kb_record_text(stored.data, stored.len, &n);
  ck_assert_uint_eq(n, strlen(text));
  ck_assert_mem_eq(t, text, n);
  ck_assert_int_eq(t[n], '\0');
  ck_assert(t > stored.data && t + n < stored.data + stored.len);
  /* The same text as a full decode gives. */
  kb_record *r = decode(true);
  ck_assert_str_eq(t, r->text);
  kb_record_free(r);
  /* No text: a header alone, a cut-off text, nothing at all. */
  size_t hlen = head_end(&stored);
  n = 99;
  ck_assert_str_eq(kb_record_text(stored.data, hlen, &n), "");
  ck_assert_uint_eq(n, 0);
  n = 99;
  ck_assert_str_eq(kb_record_text(stored.data, hlen + 1, &n), "");
  ck_assert_uint_eq(n, 0);
  n = 99;
  ck_assert_str_eq(kb_record_text(stored.data, hlen + 5, &n), "");
  ck_assert_uint_eq(n, 0);
  n = 99;
  ck_assert_str_eq(kb_record_text("", 0, &n), "");
  ck_assert_uint_eq(n, 0);
  /* An empty text before the HTML. */
  kb_buf b = KB_BUF_INIT(1u << 20);
  kb_record_encode(art, "", html, NULL, NULL, hash, &b);
  n = 99;
  ck_assert_str_eq(kb_record_text(b.data, b.len, &n), "");
  ck_assert_uint_eq(n, 0);
  kb_buf_release(&b);
}
END_TEST

START_TEST(empty_lists_and_body) {
  /* A record without sources, links or laws and with an empty body. */
  kb_strv_release(&art->sources);
  kb_buf b = KB_BUF_INIT(1u << 20);
  kb_record_encode(art, "", "", NULL, NULL, hash, &b);
  ck_assert_int_eq(kb_buf_status(&b), KB_OK);
  kb_record *r = NULL;
  TU_OK(kb_record_decode(sc, b.data, b.len, true, &r, &err), err);
  ck_assert_uint_eq(r->sources.n, 0);
  ck_assert_uint_eq(r->links.n, 0);
  ck_assert_uint_eq(r->laws.n, 0);
  ck_assert_str_eq(r->text, "");
  ck_assert_str_eq(r->html, "");
  kb_record_free(r);
  kb_buf_release(&b);
}
END_TEST

/* Data that is not a record: a reader says the index is damaged and
 * leaves its output alone. */
static void corrupt(const char *data, size_t len) {
  kb_record *r = (kb_record *)1;
  char *msg = NULL;
  ck_assert_int_eq(kb_record_decode(sc, data, len, true, &r, &msg),
                   KB_ERR_DB_CORRUPT);
  ck_assert_ptr_eq(r, (kb_record *)1);
  ck_assert_ptr_nonnull(msg);
  ck_assert_ptr_nonnull(strstr(msg, "index"));
  free(msg);
}

START_TEST(garbage_is_corrupt) {
  corrupt("", 0);
  corrupt("kein JSON", 9);
  corrupt("\xFF\xFE\x00\x01", 4);
  corrupt("[1, 2, 3]", 9);
  corrupt("\"id\"", 4);
  /* A header cut off anywhere. */
  for (size_t n = 0; n < head_end(&stored); n++)
    corrupt(stored.data, n);
  /* The old stored form, a JSON header, is refused: rebuild the index. */
  static const char json_head[] =
      "{\"id\":\"x\",\"kind\":\"artikel\",\"title\":\"T\"}\0text\0<p></p>";
  corrupt(json_head, sizeof json_head - 1);
  /* JSON without the envelope. */
  corrupt("{}", 2);
  corrupt("{\"id\": \"x\", \"kind\": \"artikel\"}", 30);
  static const char wrong[] = "{\"id\": 7, \"kind\": \"artikel\", \"title\": "
                              "\"T\", \"summary\": \"S\", "
                              "\"updated\": \"2026-01-01\", \"hash\": \"0\"}";
  corrupt(wrong, sizeof wrong - 1);
  /* Without the trailing text, the bytes of the old stored form (the
   * whole record as one JSON object) are still not silently accepted
   * when they lack the envelope. */
  static const char old[] = "{\"id\": \"x\", \"type\": \"bem\"}";
  corrupt(old, sizeof old - 1);
}
END_TEST

/* A damaged header byte either still decodes or is KB_ERR_DB_CORRUPT;
 * it never reads past the data (the sanitizer build checks that). */
START_TEST(damaged_header) {
  size_t end = head_end(&stored);
  char *copy = malloc(stored.len);
  ck_assert_ptr_nonnull(copy);
  for (size_t i = 4; i < end; i++) {
    static const unsigned char bad[] = {0x00, 0x7F, 0x80, 0xFF};
    for (size_t k = 0; k < sizeof bad; k++) {
      memcpy(copy, stored.data, stored.len);
      copy[i] = (char)bad[k];
      kb_record *r = NULL;
      char *msg = NULL;
      kb_status st = kb_record_decode(sc, copy, stored.len, true, &r, &msg);
      ck_assert(st == KB_OK || st == KB_ERR_DB_CORRUPT);
      ck_assert(st == KB_OK ? r != NULL && msg == NULL : msg != NULL);
      kb_record_free(r);
      free(msg);
    }
  }
  free(copy);
}
END_TEST

/* A result list reads only the prefix kb_record_hit_len gives: it holds
 * the whole header and the text, and no byte of the HTML. */
START_TEST(hit_prefix) {
  size_t n = kb_record_hit_len(stored.data, stored.len);
  ck_assert_uint_eq(n, head_end(&stored) + strlen(text) + 1);
  ck_assert_uint_eq(n + strlen(html), stored.len);
  kb_record *r = NULL;
  TU_OK(kb_record_decode(sc, stored.data, n, false, &r, &err), err);
  ck_assert_str_eq(r->title, art->title);
  ck_assert_uint_eq(r->laws.n, 1);
  ck_assert_str_eq(kb_record_value(r, kb_schema_field(sc, "type")),
                   "anpassung");
  kb_record_free(r);
  size_t tlen = 0;
  ck_assert_str_eq(kb_record_text(stored.data, n, &tlen), text);
  ck_assert_uint_eq(tlen, strlen(text));
  /* No record, no prefix; a record without HTML is all prefix. */
  ck_assert_uint_eq(kb_record_hit_len("{}", 2), 0);
  ck_assert_uint_eq(kb_record_hit_len(stored.data, n - 1), n - 1);
}
END_TEST

START_TEST(url) {
  char buf[64];
  kb_record_url("urteil", "bag-2-azr-716-06", buf, sizeof buf);
  ck_assert_str_eq(buf, "/urteil/bag-2-azr-716-06");
  /* Cut, never overrun. */
  char small[8];
  kb_record_url("artikel", "hoergeraet", small, sizeof small);
  ck_assert_uint_eq(strlen(small), 7);
}
END_TEST

/* ---- the API form ------------------------------------------------------ */

static json_t *api(const kb_record *r, const kb_vocab *v, bool body) {
  char *s = kb_record_api_json(r, v, body);
  ck_assert_ptr_nonnull(s);
  json_error_t je;
  json_t *j = json_loads(s, 0, &je);
  ck_assert_msg(j != NULL, "invalid JSON: %s", je.text);
  free(s);
  return j;
}

static const char *str(json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  ck_assert_msg(s != NULL, "'%s' is no string", key);
  return s;
}

START_TEST(api_labels) {
  kb_record *r = decode(true);
  json_t *j = api(r, vocab, true);
  ck_assert_str_eq(str(j, "id"), "hoergeraet");
  ck_assert_str_eq(str(j, "kind"), "artikel");
  ck_assert_str_eq(str(j, "kind_label"), "Artikel");
  ck_assert_str_eq(str(j, "url"), "/artikel/hoergeraet");
  /* A single enum: the key and its label. */
  ck_assert_str_eq(str(j, "type"), "anpassung");
  ck_assert_str_eq(str(j, "type_label"),
                   "Arbeitsplatzgestaltung und Hilfsmittel");
  /* A list of enums: value and label each. */
  json_t *aud = json_object_get(j, "audience");
  ck_assert_uint_eq(json_array_size(aud), 2);
  ck_assert_str_eq(str(json_array_get(aud, 0), "value"), "arbeitgeber");
  ck_assert_str_eq(str(json_array_get(aud, 0), "label"), "Arbeitgeber");
  ck_assert_str_eq(str(json_array_get(aud, 1), "label"), "Beschäftigte");
  json_t *dis = json_object_get(j, "disabilities");
  ck_assert_str_eq(str(json_array_get(dis, 0), "label"),
                   "Hörbehinderung und Gehörlosigkeit");
  /* Other lists are text; an absent single field is null; no
   * "_label" for what is no enum. */
  json_t *topics = json_object_get(j, "topics");
  ck_assert_str_eq(json_string_value(json_array_get(topics, 1)), "telefon");
  ck_assert(json_is_string(json_array_get(json_object_get(j, "norms"), 0)));
  ck_assert(json_is_null(json_object_get(j, "gilt_bis")));
  ck_assert_ptr_null(json_object_get(j, "gilt_bis_label"));
  ck_assert_ptr_null(json_object_get(j, "topics_label"));
  ck_assert_str_eq(
      json_string_value(json_array_get(json_object_get(j, "laws"), 0)),
      "SGB IX");
  ck_assert_uint_eq(json_array_size(json_object_get(j, "sources")), 1);
  ck_assert_str_eq(str(j, "body_html"), html);
  /* Internal keys stay inside. */
  ck_assert_ptr_null(json_object_get(j, "text"));
  ck_assert_ptr_null(json_object_get(j, "hash"));
  ck_assert_ptr_null(json_object_get(j, "links"));
  ck_assert_ptr_null(json_object_get(j, "fields"));
  json_decref(j);
  /* Without the body. */
  j = api(r, vocab, false);
  ck_assert_ptr_null(json_object_get(j, "body_html"));
  json_decref(j);
  kb_record_free(r);
}
END_TEST

START_TEST(api_unknown_values_and_kinds) {
  /* A value the vocabulary no longer has is its own label. */
  kb_record *r = decode(false);
  const char *gone[] = {"gibt-es-nicht"};
  r->values[kb_schema_field(sc, "type")] = (kb_rvals){gone, 1};
  r->values[kb_schema_field(sc, "audience")] = (kb_rvals){gone, 1};
  json_t *j = api(r, vocab, false);
  ck_assert_str_eq(str(j, "type_label"), "gibt-es-nicht");
  ck_assert_str_eq(
      str(json_array_get(json_object_get(j, "audience"), 0), "label"),
      "gibt-es-nicht");
  json_decref(j);
  /* A kind the schema lacks: the envelope only. */
  r->kind = "urteil";
  j = api(r, vocab, false);
  ck_assert_str_eq(str(j, "kind_label"), "urteil");
  ck_assert_str_eq(str(j, "url"), "/urteil/hoergeraet");
  ck_assert_ptr_null(json_object_get(j, "type"));
  json_decref(j);
  kb_record_free(r);
}
END_TEST

/* The Markdown body is stored only for a kind that keeps it
 * (`markdown: true`, the templates), and read back as written. */
START_TEST(markdown_only_when_the_kind_keeps_it) {
  kb_record *r = decode(true);
  ck_assert_str_eq(r->markdown, "");
  kb_record_free(r);
  kb_skind *k = (kb_skind *)art->kind; /* the test's own schema */
  k->markdown = true;
  kb_buf_reset(&stored);
  kb_record_encode(art, text, html, NULL, NULL, hash, &stored);
  k->markdown = false;
  r = decode(false);
  ck_assert_str_eq(r->markdown, art->body);
  ck_assert_str_eq(r->html, "");
  kb_record_free(r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("record");
  TCase *tc = tcase_create("codec");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, round_trip);
  tcase_add_test(tc, header_only);
  tcase_add_test(tc, text_in_place);
  tcase_add_test(tc, empty_lists_and_body);
  tcase_add_test(tc, garbage_is_corrupt);
  tcase_add_test(tc, damaged_header);
  tcase_add_test(tc, hit_prefix);
  tcase_add_test(tc, url);
  tcase_add_test(tc, markdown_only_when_the_kind_keeps_it);
  suite_add_tcase(s, tc);

  TCase *ta = tcase_create("api");
  tcase_add_checked_fixture(ta, setup, teardown);
  tcase_add_test(ta, api_labels);
  tcase_add_test(ta, api_unknown_values_and_kinds);
  suite_add_tcase(s, ta);
  return tu_run_suite(s);
}

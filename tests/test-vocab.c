/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-vocab.c - the corpus vocabulary: loading the fixture corpus's
 * vocab.yaml and synonyms.yaml, German labels, "did you mean"
 * suggestions, the JSON form stored in the index, and broken vocabulary
 * files, each reported as a diagnostic with file and line.
 *
 * Broken files are written to a scratch directory under
 * $TEILHABE_TEST_TMP (or /tmp), removed again afterwards.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb_vocab.h"
#include "testutil.h"

static char fixture[1024];
static char tmpdir[1024];
static kb_diags diags;
static char *err;

static void setup(void) {
  tu_fixture_dir(fixture, sizeof fixture);
  tu_scratch_dir(tmpdir, sizeof tmpdir, "test-vocab");
  kb_diags_init(&diags);
  err = NULL;
}

static void teardown(void) {
  tu_remove_tree(tmpdir);
  kb_diags_release(&diags);
  free(err);
  err = NULL;
}

static void write_file(const char *name, const char *text) {
  tu_write_file(tmpdir, name, text);
}

static kb_vocab *load_fixture(void) {
  kb_vocab *v = NULL;
  kb_status st = kb_vocab_load(fixture, &v, &diags);
  ck_assert_msg(st == KB_OK, "%s: %zu errors, first: %s", kb_status_name(st),
                diags.errors, diags.n ? diags.items[0].message : "-");
  ck_assert_uint_eq(diags.errors, 0);
  return v;
}

static const char good_vocab[] = "type:\n"
                                 "  recht: Rechtliche Ansprüche\n"
                                 "  bem: Betriebliches "
                                 "Eingliederungsmanagement\n"
                                 "audience:\n"
                                 "  arbeitgeber: Arbeitgeber\n"
                                 "  sbv: Schwerbehindertenvertretung\n"
                                 "disability:\n"
                                 "  hoerbehinderung: Hörbehinderung\n";

/* Loads the scratch directory, expecting failure; the vocabulary pointer
 * must stay untouched. */
static void load_tmp_fails(void) {
  kb_vocab *v = (kb_vocab *)1;
  ck_assert_int_eq(kb_vocab_load(tmpdir, &v, &diags), KB_ERR_PARSE);
  ck_assert_ptr_eq(v, (kb_vocab *)1);
  ck_assert_uint_gt(diags.errors, 0);
}

/* The diagnostic in `file` at `line` whose message contains `needle`. */
static const kb_diag *find_diag(const char *file, unsigned line,
                                const char *needle) {
  char path[PATH_MAX];
  tu_path(path, sizeof path, tmpdir, file);
  for (size_t i = 0; i < diags.n; i++) {
    const kb_diag *d = &diags.items[i];
    if (strcmp(d->path, path) == 0 && d->line == line &&
        strstr(d->message, needle) != NULL)
      return d;
  }
  for (size_t i = 0; i < diags.n; i++)
    fprintf(stderr, "  have %s:%u: %s\n", diags.items[i].path,
            diags.items[i].line, diags.items[i].message);
  ck_abort_msg("no diagnostic %s:%u containing '%s'", file, line, needle);
  return NULL;
}

/* ---- gesetze.yaml and citations.yaml ---------------------------------- */

static const char *url_of(const kb_vocab *v, const char *norm) {
  static char buf[512];
  kb_cite c;
  ck_assert_uint_ge(kb_cite_parse(norm, &c, 1), 1);
  return kb_vocab_norm_url(v, &c, buf, sizeof buf) ? buf : NULL;
}

START_TEST(law_map_resolves_norms) {
  write_file("vocab.yaml", good_vocab);
  write_file(
      "gesetze.yaml",
      "\"SGB IX\": "
      "\"https://www.gesetze-im-internet.de/sgb_9_2018/__{nr}.html\"\n"
      "\"HwO\": \"https://www.gesetze-im-internet.de/hwo/__{nr}.html\"\n"
      "\"FeV\": "
      "\"https://www.gesetze-im-internet.de/fev_2010/__{nr}.html\"\n"
      "\"DSGVO\": \"https://eur-lex.europa.eu/eli/reg/2016/679/oj/deu\"\n");
  kb_vocab *v = NULL;
  ck_assert_int_eq(kb_vocab_load(tmpdir, &v, &diags), KB_OK);
  ck_assert(kb_vocab_has_law_map(v));
  ck_assert_str_eq(url_of(v, "\xC2\xA7 167 Abs. 2 SGB IX"),
                   "https://www.gesetze-im-internet.de/sgb_9_2018/__167.html");
  ck_assert_str_eq(url_of(v, "\xC2\xA7\xC2\xA7 168 ff. SGB IX"),
                   "https://www.gesetze-im-internet.de/sgb_9_2018/__168.html");
  ck_assert_str_eq(url_of(v, "\xC2\xA7 42q HwO"),
                   "https://www.gesetze-im-internet.de/hwo/__42q.html");
  /* An annex has no page of its own: the law's page. */
  ck_assert_str_eq(url_of(v, "Anlage 4 FeV"),
                   "https://www.gesetze-im-internet.de/fev_2010/");
  /* A template without {nr}: the whole text, for every article. */
  ck_assert_str_eq(url_of(v, "Art. 9 DSGVO"),
                   "https://eur-lex.europa.eu/eli/reg/2016/679/oj/deu");
  ck_assert_ptr_null(url_of(v, "\xC2\xA7 616 BGB"));
  /* The map survives the trip through the index. */
  json_t *j = kb_vocab_to_json(v);
  kb_vocab *back = NULL;
  ck_assert_int_eq(kb_vocab_from_json(j, &back, &err), KB_OK);
  ck_assert_str_eq(url_of(back, "\xC2\xA7 167 SGB IX"),
                   "https://www.gesetze-im-internet.de/sgb_9_2018/__167.html");
  json_decref(j);
  kb_vocab_free(back);
  kb_vocab_free(v);
}
END_TEST

START_TEST(law_map_errors) {
  write_file("vocab.yaml", good_vocab);
  write_file(
      "gesetze.yaml",
      "\"Sozialgesetzbuch\": \"https://example.org/{nr}\"\n"
      "\"BGB\": \"http://www.gesetze-im-internet.de/bgb/__{nr}.html\"\n"
      "\"AGG\": \"https://www.gesetze-im-internet.de/agg/__{nr}\\\"x\"\n"
      "\"KSchG\": \"https://www.gesetze-im-internet.de/kschg/\"\n"
      "\"sgb ix\": \"https://www.gesetze-im-internet.de/sgb_9_2018/\"\n");
  load_tmp_fails();
  find_diag("gesetze.yaml", 1, "not a law abbreviation");
  find_diag("gesetze.yaml", 2, "one https:// address");
  find_diag("gesetze.yaml", 3, "one https:// address");
  find_diag("gesetze.yaml", 5, "'sgb ix' is not a law abbreviation");
  ck_assert_uint_eq(diags.errors, 4); /* KSchG without {nr} is fine */
}
END_TEST

START_TEST(citations_absatz_level) {
  write_file("vocab.yaml", good_vocab);
  write_file(
      "citations.yaml",
      "\"\xC2\xA7 102 SGB IX\": \"\xC2\xA7 185 SGB IX\"\n"
      "\"\xC2\xA7 102 Abs. 4 SGB IX\": \"\xC2\xA7 185 Abs. 5 SGB IX\"\n");
  kb_vocab *v = NULL;
  ck_assert_int_eq(kb_vocab_load(tmpdir, &v, &diags), KB_OK);
  kb_cite old, now;
  char text[64];
  /* The Absatz that moved: today's Absatz, with the old Satz. */
  ck_assert_uint_eq(kb_cite_parse("\xC2\xA7 102 Abs. 4 Satz 2 SGB IX", &old, 1),
                    1);
  ck_assert(kb_vocab_today(v, &old, &now));
  kb_cite_format(&now, text, sizeof text);
  ck_assert_str_eq(text, "\xC2\xA7 185 Abs. 5 Satz 2 SGB IX");
  /* Another Absatz: only the paragraph is known, no Absatz is claimed. */
  ck_assert_uint_eq(kb_cite_parse("\xC2\xA7 102 Abs. 2 SGB IX", &old, 1), 1);
  ck_assert(kb_vocab_today(v, &old, &now));
  kb_cite_format(&now, text, sizeof text);
  ck_assert_str_eq(text, "\xC2\xA7 185 SGB IX");
  /* Not renumbered at all. */
  ck_assert_uint_eq(kb_cite_parse("\xC2\xA7 167 SGB IX", &old, 1), 1);
  ck_assert(!kb_vocab_today(v, &old, &now));
  kb_vocab_free(v);
}
END_TEST

/* ---- the fixture vocabulary ----------------------------------------- */

START_TEST(fixture_loads) {
  kb_vocab *v = load_fixture();
  ck_assert_uint_eq(v->n[KB_FACET_TYPE], 6);
  ck_assert_uint_eq(v->n[KB_FACET_AUDIENCE], 4);
  ck_assert_uint_eq(v->n[KB_FACET_DISABILITY], 9);
  ck_assert_uint_eq(v->ngroups, 6);
  /* File order is kept (it is the order facets are offered in). */
  ck_assert_str_eq(v->entries[KB_FACET_TYPE][0].key, "behinderung");
  ck_assert_str_eq(v->entries[KB_FACET_TYPE][5].key, "praxis");
  ck_assert_str_eq(v->entries[KB_FACET_DISABILITY][8].key, "sprachbehinderung");
  /* Synonym groups as written. */
  ck_assert_uint_eq(v->groups[0].n, 2);
  ck_assert_str_eq(v->groups[0].v[0], "BEM");
  ck_assert_str_eq(v->groups[0].v[1], "Betriebliches Eingliederungsmanagement");
  ck_assert_str_eq(v->groups[2].v[1], "Grad der Behinderung");
  kb_vocab_free(v);
}
END_TEST

START_TEST(labels_in_german) {
  kb_vocab *v = load_fixture();
  ck_assert_str_eq(kb_vocab_label(v, KB_FACET_AUDIENCE, "sbv"),
                   "Schwerbehindertenvertretung");
  ck_assert_str_eq(kb_vocab_label(v, KB_FACET_DISABILITY, "hoerbehinderung"),
                   "Hörbehinderung und Gehörlosigkeit");
  ck_assert_str_eq(kb_vocab_label(v, KB_FACET_TYPE, "foerderung"),
                   "Förderung und Leistungen");
  ck_assert_str_eq(kb_vocab_label(v, KB_FACET_AUDIENCE, "beschaeftigte"),
                   "Beschäftigte");
  /* Unknown keys, keys of another facet, case variants: no label. */
  ck_assert_ptr_null(kb_vocab_label(v, KB_FACET_AUDIENCE, "personalrat"));
  ck_assert_ptr_null(kb_vocab_label(v, KB_FACET_AUDIENCE, "recht"));
  ck_assert_ptr_null(kb_vocab_label(v, KB_FACET_AUDIENCE, "SBV"));
  ck_assert_ptr_null(kb_vocab_label(v, KB_FACET_AUDIENCE, ""));
  ck_assert_ptr_null(kb_vocab_label(v, KB_FACET_COUNT, "sbv"));
  ck_assert_ptr_null(kb_vocab_label(NULL, KB_FACET_AUDIENCE, "sbv"));
  /* The norm facet has no vocabulary: a law is its own label. */
  ck_assert_str_eq(kb_vocab_label(v, KB_FACET_NORM, "SGB IX"), "SGB IX");
  kb_vocab_free(v);
}
END_TEST

START_TEST(facet_names_and_labels) {
  ck_assert_str_eq(kb_facet_name(KB_FACET_TYPE), "type");
  ck_assert_str_eq(kb_facet_name(KB_FACET_AUDIENCE), "audience");
  ck_assert_str_eq(kb_facet_name(KB_FACET_DISABILITY), "disability");
  ck_assert_str_eq(kb_facet_name(KB_FACET_NORM), "norm");
  ck_assert_str_eq(kb_facet_label(KB_FACET_AUDIENCE), "Zielgruppe");
  ck_assert_str_eq(kb_facet_label(KB_FACET_TYPE), "Art des Artikels");
  ck_assert_str_eq(kb_facet_name(KB_FACET_COUNT), "");
  ck_assert_str_eq(kb_facet_label((kb_facet)99), "");
  for (int f = 0; f < KB_FACET_COUNT; f++)
    ck_assert_int_eq(kb_facet_from_name(kb_facet_name((kb_facet)f)), f);
  ck_assert_int_eq(kb_facet_from_name("zielgruppe"), KB_FACET_COUNT);
  ck_assert_int_eq(kb_facet_from_name("Type"), KB_FACET_COUNT);
  ck_assert_int_eq(kb_facet_from_name(""), KB_FACET_COUNT);
}
END_TEST

START_TEST(suggestions) {
  kb_vocab *v = load_fixture();
  ck_assert_str_eq(kb_vocab_suggest(v, KB_FACET_AUDIENCE, "arbeitgber"),
                   "arbeitgeber");
  ck_assert_str_eq(kb_vocab_suggest(v, KB_FACET_AUDIENCE, "beschäftigte"),
                   "beschaeftigte");
  ck_assert_str_eq(kb_vocab_suggest(v, KB_FACET_AUDIENCE, "betriebsrta"),
                   "betriebsrat");
  ck_assert_str_eq(kb_vocab_suggest(v, KB_FACET_TYPE, "rech"), "recht");
  ck_assert_str_eq(kb_vocab_suggest(v, KB_FACET_DISABILITY, "hörbehinderung"),
                   "hoerbehinderung");
  /* Nothing near enough: no wild guess. */
  ck_assert_ptr_null(kb_vocab_suggest(v, KB_FACET_AUDIENCE, "personalrat"));
  ck_assert_ptr_null(kb_vocab_suggest(v, KB_FACET_TYPE, "xyz"));
  /* Suggestions come from the facet asked about only. */
  ck_assert_ptr_null(kb_vocab_suggest(v, KB_FACET_TYPE, "arbeitgber"));
  ck_assert_ptr_null(kb_vocab_suggest(v, KB_FACET_NORM, "SGB IX"));
  ck_assert_ptr_null(kb_vocab_suggest(NULL, KB_FACET_TYPE, "recht"));
  kb_vocab_free(v);
}
END_TEST

START_TEST(json_round_trip) {
  kb_vocab *v = load_fixture();
  json_t *j = kb_vocab_to_json(v);
  ck_assert_ptr_nonnull(j);
  /* Through text, as it is stored in the index. */
  char *text = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  ck_assert_ptr_nonnull(text);
  json_t *back = json_loads(text, 0, NULL);
  free(text);
  ck_assert_ptr_nonnull(back);
  kb_vocab *w = NULL;
  ck_assert_int_eq(kb_vocab_from_json(back, &w, &err), KB_OK);
  json_decref(back);
  for (int f = 0; f < KB_VOCAB_FACETS; f++) {
    ck_assert_uint_eq(w->n[f], v->n[f]);
    for (size_t i = 0; i < v->n[f]; i++) {
      ck_assert_str_eq(w->entries[f][i].key, v->entries[f][i].key);
      ck_assert_str_eq(w->entries[f][i].label, v->entries[f][i].label);
    }
  }
  ck_assert_uint_eq(w->ngroups, v->ngroups);
  for (size_t g = 0; g < v->ngroups; g++) {
    ck_assert_uint_eq(w->groups[g].n, v->groups[g].n);
    for (size_t i = 0; i < v->groups[g].n; i++)
      ck_assert_str_eq(w->groups[g].v[i], v->groups[g].v[i]);
  }
  /* The restored vocabulary answers like the original. */
  ck_assert_str_eq(kb_vocab_label(w, KB_FACET_DISABILITY, "hoerbehinderung"),
                   "Hörbehinderung und Gehörlosigkeit");
  ck_assert_str_eq(kb_vocab_suggest(w, KB_FACET_AUDIENCE, "arbeitgber"),
                   "arbeitgeber");
  kb_vocab_free(v);
  kb_vocab_free(w);
}
END_TEST

START_TEST(json_malformed_refused) {
  kb_vocab *w = (kb_vocab *)1;
  json_t *bad = json_loads("{\"type\": [[\"recht\"]], \"audience\": [], "
                           "\"disability\": [], \"synonyms\": []}",
                           0, NULL);
  ck_assert_ptr_nonnull(bad);
  ck_assert_int_eq(kb_vocab_from_json(bad, &w, &err), KB_ERR_PARSE);
  ck_assert_ptr_eq(w, (kb_vocab *)1);
  ck_assert_ptr_nonnull(err);
  json_decref(bad);
  free(err);
  err = NULL;
  bad = json_loads("{\"type\": [[\"recht\", \"Recht\"], [1, 2]]}", 0, NULL);
  ck_assert_int_eq(kb_vocab_from_json(bad, &w, &err), KB_ERR_PARSE);
  ck_assert_ptr_eq(w, (kb_vocab *)1);
  json_decref(bad);
}
END_TEST

/* ---- broken vocabulary files ----------------------------------------- */

START_TEST(minimal_valid_vocab) {
  write_file("vocab.yaml", good_vocab);
  /* synonyms.yaml is optional. */
  kb_vocab *v = NULL;
  ck_assert_int_eq(kb_vocab_load(tmpdir, &v, &diags), KB_OK);
  ck_assert_uint_eq(diags.errors, 0);
  ck_assert_uint_eq(v->ngroups, 0);
  ck_assert_str_eq(kb_vocab_label(v, KB_FACET_TYPE, "bem"),
                   "Betriebliches Eingliederungsmanagement");
  kb_vocab_free(v);
}
END_TEST

START_TEST(missing_vocab_file) {
  load_tmp_fails();
  const kb_diag *d = find_diag("vocab.yaml", 0, "cannot open");
  ck_assert_int_eq(d->severity, KB_SEV_ERROR);
}
END_TEST

START_TEST(unknown_section) {
  write_file("vocab.yaml", "typ:\n"
                           "  recht: Recht\n"
                           "audience:\n"
                           "  sbv: SBV\n"
                           "disability:\n"
                           "  autismus: Autismus\n");
  load_tmp_fails();
  find_diag("vocab.yaml", 1, "unknown section 'typ'");
  /* And the section that is really missing is named as well. */
  find_diag("vocab.yaml", 1, "section 'type'");
}
END_TEST

START_TEST(bad_key_and_empty_label) {
  write_file("vocab.yaml", "type:\n"
                           "  recht: Recht\n"
                           "  Arbeit Geber: Arbeitgeber\n"
                           "audience:\n"
                           "  sbv:\n"
                           "  arbeitgeber: Arbeitgeber\n"
                           "disability:\n"
                           "  autismus: \"\"\n"
                           "  x: zu kurz\n");
  load_tmp_fails();
  const kb_diag *d = find_diag("vocab.yaml", 3, "key 'Arbeit Geber'");
  ck_assert_str_eq(d->code, "vocab");
  find_diag("vocab.yaml", 5, "key 'sbv' needs a German label");
  find_diag("vocab.yaml", 8, "key 'autismus' needs a German label");
  find_diag("vocab.yaml", 9, "key 'x'");
  ck_assert_uint_eq(diags.errors, 4);
}
END_TEST

START_TEST(label_as_list_too_deep) {
  write_file("vocab.yaml", "type:\n"
                           "  recht: Recht\n"
                           "audience:\n"
                           "  sbv: [SBV, Schwerbehindertenvertretung]\n"
                           "disability:\n"
                           "  autismus: Autismus\n");
  load_tmp_fails();
  find_diag("vocab.yaml", 4, "nested too deeply");
}
END_TEST

START_TEST(section_not_a_mapping) {
  write_file("vocab.yaml", "type: [recht, bem]\n"
                           "audience:\n"
                           "  sbv: SBV\n"
                           "disability: {}\n");
  load_tmp_fails();
  find_diag("vocab.yaml", 1, "section 'type' must map");
  find_diag("vocab.yaml", 4, "section 'disability' must map");
  ck_assert_uint_eq(diags.errors, 2);
}
END_TEST

START_TEST(vocab_not_a_mapping) {
  write_file("vocab.yaml", "- recht\n- bem\n");
  load_tmp_fails();
  find_diag("vocab.yaml", 1, "expected a mapping");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  write_file("vocab.yaml", "# leer\n");
  load_tmp_fails();
  find_diag("vocab.yaml", 1, "expected a mapping");
}
END_TEST

START_TEST(duplicate_vocab_key) {
  write_file("vocab.yaml", "type:\n"
                           "  recht: Recht\n"
                           "  bem: BEM\n"
                           "  recht: Nochmal\n"
                           "audience:\n"
                           "  sbv: SBV\n"
                           "disability:\n"
                           "  autismus: Autismus\n");
  load_tmp_fails();
  const kb_diag *d = find_diag("vocab.yaml", 4, "duplicate key 'recht'");
  ck_assert_str_eq(d->code, "yaml");
}
END_TEST

START_TEST(invalid_yaml_in_vocab) {
  write_file("vocab.yaml", "type:\n"
                           "  recht: Recht\n"
                           "audience:\n"
                           "  sbv: [SBV\n");
  load_tmp_fails();
  ck_assert_uint_eq(diags.n, 1);
  ck_assert_uint_ge(diags.items[0].line, 4);
  ck_assert_str_eq(diags.items[0].code, "yaml");
}
END_TEST

START_TEST(broken_synonyms) {
  write_file("vocab.yaml", good_vocab);
  write_file("synonyms.yaml",
             "- [BEM, Betriebliches Eingliederungsmanagement]\n"
             "- [SBV]\n"
             "- [GdB, []]\n"
             "- Integrationsamt\n"
             "- [BR, \"\"]\n");
  load_tmp_fails();
  find_diag("synonyms.yaml", 2, "at least two");
  find_diag("synonyms.yaml", 3, "word or phrase");
  find_diag("synonyms.yaml", 4, "at least two");
  find_diag("synonyms.yaml", 5, "word or phrase");
  ck_assert_uint_eq(diags.errors, 4);
}
END_TEST

START_TEST(synonyms_not_a_list) {
  write_file("vocab.yaml", good_vocab);
  write_file("synonyms.yaml", "BEM: Betriebliches Eingliederungsmanagement\n");
  load_tmp_fails();
  find_diag("synonyms.yaml", 1, "expected a list");
}
END_TEST

START_TEST(all_problems_reported_in_one_run) {
  /* vocab and synonyms both broken: both files named. */
  write_file("vocab.yaml", "type:\n  recht: Recht\n");
  write_file("synonyms.yaml", "- [SBV]\n");
  load_tmp_fails();
  find_diag("vocab.yaml", 1, "section 'audience'");
  find_diag("vocab.yaml", 1, "section 'disability'");
  find_diag("synonyms.yaml", 1, "at least two");
  ck_assert_uint_eq(diags.errors, 3);
}
END_TEST

int main(void) {
  Suite *s = suite_create("vocab");
  TCase *tf = tcase_create("fixture");
  tcase_add_checked_fixture(tf, setup, teardown);
  tcase_add_test(tf, fixture_loads);
  tcase_add_test(tf, labels_in_german);
  tcase_add_test(tf, facet_names_and_labels);
  tcase_add_test(tf, suggestions);
  tcase_add_test(tf, json_round_trip);
  tcase_add_test(tf, json_malformed_refused);
  suite_add_tcase(s, tf);

  TCase *tb = tcase_create("broken");
  tcase_add_checked_fixture(tb, setup, teardown);
  tcase_add_test(tb, minimal_valid_vocab);
  tcase_add_test(tb, missing_vocab_file);
  tcase_add_test(tb, unknown_section);
  tcase_add_test(tb, bad_key_and_empty_label);
  tcase_add_test(tb, label_as_list_too_deep);
  tcase_add_test(tb, section_not_a_mapping);
  tcase_add_test(tb, vocab_not_a_mapping);
  tcase_add_test(tb, duplicate_vocab_key);
  tcase_add_test(tb, invalid_yaml_in_vocab);
  tcase_add_test(tb, broken_synonyms);
  tcase_add_test(tb, synonyms_not_a_list);
  tcase_add_test(tb, all_problems_reported_in_one_run);
  tcase_add_test(tb, law_map_resolves_norms);
  tcase_add_test(tb, law_map_errors);
  tcase_add_test(tb, citations_absatz_level);
  suite_add_tcase(s, tb);

  return tu_run_suite(s);
}

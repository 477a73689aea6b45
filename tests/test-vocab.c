/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-vocab.c - the corpus vocabulary: loading the fixture corpus's
 * schema.yaml, vocab.yaml and synonyms.yaml, German labels, "did you
 * mean" suggestions, the JSON form stored in the index, and broken
 * vocabulary files, each reported as a diagnostic with file and line.
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
  /* Every scratch corpus has the fixture's schema: its enum fields use
   * the sections type, audience and disability. */
  tu_copy_schema(tmpdir);
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
  /* Sections by name, in file order. */
  ck_assert_uint_eq(v->nsets, 3);
  ck_assert_str_eq(v->sets[0].name, "type");
  ck_assert_str_eq(v->sets[1].name, "audience");
  ck_assert_str_eq(v->sets[2].name, "disability");
  const kb_vocab_set *type = kb_vocab_set_get(v, "type");
  const kb_vocab_set *dis = kb_vocab_set_get(v, "disability");
  ck_assert_ptr_eq(type, &v->sets[0]);
  ck_assert_uint_eq(type->n, 6);
  ck_assert_uint_eq(kb_vocab_set_get(v, "audience")->n, 4);
  ck_assert_uint_eq(dis->n, 9);
  ck_assert_ptr_null(kb_vocab_set_get(v, "disabilities")); /* the field */
  ck_assert_ptr_null(kb_vocab_set_get(v, ""));
  ck_assert_ptr_null(kb_vocab_set_get(NULL, "type"));
  ck_assert_uint_eq(v->ngroups, 6);
  /* File order is kept (it is the order facets are offered in). */
  ck_assert_str_eq(type->entries[0].key, "behinderung");
  ck_assert_str_eq(type->entries[5].key, "praxis");
  ck_assert_str_eq(dis->entries[8].key, "sprachbehinderung");
  /* The schema comes with it. */
  ck_assert_ptr_nonnull(v->schema);
  ck_assert_uint_eq(v->schema->nkinds, 1);
  ck_assert_str_eq(v->schema->kinds[0].name, "artikel");
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
  ck_assert_str_eq(kb_vocab_label(v, "audience", "sbv"),
                   "Schwerbehindertenvertretung");
  ck_assert_str_eq(kb_vocab_label(v, "disability", "hoerbehinderung"),
                   "Hörbehinderung und Gehörlosigkeit");
  ck_assert_str_eq(kb_vocab_label(v, "type", "foerderung"),
                   "Förderung und Leistungen");
  ck_assert_str_eq(kb_vocab_label(v, "audience", "beschaeftigte"),
                   "Beschäftigte");
  /* Unknown keys, keys of another section, case variants, unknown
   * sections: no label. */
  ck_assert_ptr_null(kb_vocab_label(v, "audience", "personalrat"));
  ck_assert_ptr_null(kb_vocab_label(v, "audience", "recht"));
  ck_assert_ptr_null(kb_vocab_label(v, "audience", "SBV"));
  ck_assert_ptr_null(kb_vocab_label(v, "audience", ""));
  ck_assert_ptr_null(kb_vocab_label(v, "zielgruppe", "sbv"));
  ck_assert_ptr_null(kb_vocab_label(v, NULL, "sbv"));
  ck_assert_ptr_null(kb_vocab_label(NULL, "audience", "sbv"));
  /* The norm section does not exist: laws have no vocabulary. */
  ck_assert_ptr_null(kb_vocab_label(v, "norm", "SGB IX"));
  kb_vocab_free(v);
}
END_TEST

/* The label of a field's value goes by the field's type: an enum's
 * vocabulary label, a kind's label, else the value itself. */
START_TEST(value_labels_by_field) {
  kb_vocab *v = load_fixture();
  const kb_schema *sc = v->schema;
  size_t type = kb_schema_field(sc, "type");
  size_t dis = kb_schema_field(sc, "disabilities");
  size_t norms = kb_schema_field(sc, "norms");
  /* The field "disabilities" reads the section "disability". */
  ck_assert_str_eq(kb_vocab_value_label(v, dis, "autismus"), "Autismus");
  ck_assert_str_eq(kb_vocab_value_label(v, type, "recht"),
                   "Rechtliche Ansprüche");
  ck_assert_str_eq(kb_vocab_value_label(v, KB_SF_KIND, "artikel"), "Artikel");
  /* Never NULL: an unknown key, a non-enum field, an unknown field. */
  ck_assert_str_eq(kb_vocab_value_label(v, type, "gibt-es-nicht"),
                   "gibt-es-nicht");
  ck_assert_str_eq(kb_vocab_value_label(v, norms, "SGB IX"), "SGB IX");
  ck_assert_str_eq(kb_vocab_value_label(v, KB_SF_KIND, "urteil"), "urteil");
  ck_assert_str_eq(kb_vocab_value_label(v, KB_SF_UPDATED, "2026"), "2026");
  ck_assert_str_eq(kb_vocab_value_label(v, 999, "x"), "x");
  ck_assert_str_eq(kb_vocab_value_label(NULL, type, "recht"), "recht");
  kb_vocab_free(v);
}
END_TEST

/* Facets are declared in schema.yaml, in the order they are offered;
 * a facet's values are labelled through its field. */
START_TEST(facet_names_and_labels) {
  kb_vocab *v = load_fixture();
  const kb_schema *sc = v->schema;
  static const char *const names[] = {"kind", "type", "audience", "disability",
                                      "norm"};
  ck_assert_uint_eq(sc->nfacets, 5);
  for (size_t f = 0; f < 5; f++) {
    ck_assert_str_eq(sc->facets[f].name, names[f]);
    ck_assert_uint_eq(kb_schema_facet(sc, names[f]), f);
  }
  ck_assert_str_eq(sc->facets[2].label, "Zielgruppe");
  ck_assert_str_eq(sc->facets[1].label, "Art des Artikels");
  ck_assert_uint_eq(kb_schema_facet(sc, "zielgruppe"), KB_SCHEMA_NONE);
  ck_assert_uint_eq(kb_schema_facet(sc, "Type"), KB_SCHEMA_NONE);
  ck_assert_uint_eq(kb_schema_facet(sc, ""), KB_SCHEMA_NONE);
  size_t aud = kb_schema_facet(sc, "audience");
  size_t dis = kb_schema_facet(sc, "disability");
  size_t norm = kb_schema_facet(sc, "norm");
  size_t kind = kb_schema_facet(sc, "kind");
  ck_assert_str_eq(kb_vocab_facet_label(v, aud, "sbv"),
                   "Schwerbehindertenvertretung");
  ck_assert_str_eq(kb_vocab_facet_label(v, dis, "autismus"), "Autismus");
  ck_assert_str_eq(kb_vocab_facet_label(v, kind, "artikel"), "Artikel");
  /* A law is its own label; unknown facets and keys give the key. */
  ck_assert_str_eq(kb_vocab_facet_label(v, norm, "SGB IX"), "SGB IX");
  ck_assert_str_eq(kb_vocab_facet_label(v, aud, "niemand"), "niemand");
  ck_assert_str_eq(kb_vocab_facet_label(v, KB_SCHEMA_NONE, "sbv"), "sbv");
  kb_vocab_free(v);
}
END_TEST

START_TEST(suggestions) {
  kb_vocab *v = load_fixture();
  ck_assert_str_eq(kb_vocab_suggest(v, "audience", "arbeitgber"),
                   "arbeitgeber");
  ck_assert_str_eq(kb_vocab_suggest(v, "audience", "beschäftigte"),
                   "beschaeftigte");
  ck_assert_str_eq(kb_vocab_suggest(v, "audience", "betriebsrta"),
                   "betriebsrat");
  ck_assert_str_eq(kb_vocab_suggest(v, "type", "rech"), "recht");
  ck_assert_str_eq(kb_vocab_suggest(v, "disability", "hörbehinderung"),
                   "hoerbehinderung");
  /* Nothing near enough: no wild guess. */
  ck_assert_ptr_null(kb_vocab_suggest(v, "audience", "personalrat"));
  ck_assert_ptr_null(kb_vocab_suggest(v, "type", "xyz"));
  /* Suggestions come from the section asked about only. */
  ck_assert_ptr_null(kb_vocab_suggest(v, "type", "arbeitgber"));
  ck_assert_ptr_null(kb_vocab_suggest(v, "norm", "SGB IX"));
  ck_assert_ptr_null(kb_vocab_suggest(NULL, "type", "recht"));
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
  ck_assert_uint_eq(w->nsets, v->nsets);
  for (size_t f = 0; f < v->nsets; f++) {
    ck_assert_str_eq(w->sets[f].name, v->sets[f].name);
    ck_assert_uint_eq(w->sets[f].n, v->sets[f].n);
    for (size_t i = 0; i < v->sets[f].n; i++) {
      ck_assert_str_eq(w->sets[f].entries[i].key, v->sets[f].entries[i].key);
      ck_assert_str_eq(w->sets[f].entries[i].label,
                       v->sets[f].entries[i].label);
    }
  }
  /* The schema travels as its YAML text and is parsed again. */
  ck_assert_ptr_nonnull(w->schema);
  ck_assert_uint_eq(w->schema->source_len, v->schema->source_len);
  ck_assert_mem_eq(w->schema->source, v->schema->source, v->schema->source_len);
  ck_assert_uint_eq(w->schema->nfields, v->schema->nfields);
  ck_assert_uint_eq(w->schema->nfacets, v->schema->nfacets);
  ck_assert_str_eq(w->schema->facets[3].prefix, v->schema->facets[3].prefix);
  ck_assert_uint_eq(w->ngroups, v->ngroups);
  for (size_t g = 0; g < v->ngroups; g++) {
    ck_assert_uint_eq(w->groups[g].n, v->groups[g].n);
    for (size_t i = 0; i < v->groups[g].n; i++)
      ck_assert_str_eq(w->groups[g].v[i], v->groups[g].v[i]);
  }
  /* The restored vocabulary answers like the original. */
  ck_assert_str_eq(kb_vocab_label(w, "disability", "hoerbehinderung"),
                   "Hörbehinderung und Gehörlosigkeit");
  ck_assert_str_eq(kb_vocab_suggest(w, "audience", "arbeitgber"),
                   "arbeitgeber");
  ck_assert_str_eq(kb_vocab_facet_label(w, 0, "artikel"), "Artikel");
  kb_vocab_free(v);
  kb_vocab_free(w);
}
END_TEST

/* `good` (the fixture's stored form) with `key` set to `value` (taken
 * over), must be refused as KB_ERR_PARSE with a message; the output stays
 * untouched. */
static void refused(const json_t *good, const char *key, json_t *value,
                    const char *needle) {
  json_t *bad = json_deep_copy(good);
  if (value)
    json_object_set_new(bad, key, value);
  else
    json_object_del(bad, key);
  kb_vocab *w = (kb_vocab *)1;
  char *msg = NULL;
  ck_assert_int_eq(kb_vocab_from_json(bad, &w, &msg), KB_ERR_PARSE);
  ck_assert_ptr_eq(w, (kb_vocab *)1);
  ck_assert_ptr_nonnull(msg);
  ck_assert_msg(strstr(msg, needle) != NULL, "message '%s' lacks '%s'", msg,
                needle);
  free(msg);
  json_decref(bad);
}

START_TEST(json_malformed_refused) {
  kb_vocab *v = load_fixture();
  json_t *good = kb_vocab_to_json(v);
  kb_vocab_free(v);
  /* An entry without its label, an entry of numbers. */
  refused(good, "sets", json_loads("[[\"type\", [[\"recht\"]]]]", 0, NULL),
          "malformed");
  refused(good, "sets",
          json_loads("[[\"type\", [[\"recht\", \"Recht\"], [1, 2]]]]", 0, NULL),
          "malformed");
  /* A section without a name is malformed too, not out of memory. */
  refused(good, "sets", json_loads("[[7, []]]", 0, NULL), "malformed");
  refused(good, "sets", json_loads("[\"type\"]", 0, NULL), "malformed");
  /* No schema (an index from before schema.yaml), or a broken one. */
  refused(good, "schema", NULL, "rebuild");
  refused(good, "schema", json_string("kinds: 5\n"), "schema");
  json_decref(good);
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
  ck_assert_str_eq(kb_vocab_label(v, "type", "bem"),
                   "Betriebliches Eingliederungsmanagement");
  kb_vocab_free(v);
}
END_TEST

/* schema.yaml is required: without it nothing says which fields exist. */
START_TEST(missing_schema_file) {
  char path[PATH_MAX];
  ck_assert_int_eq(unlink(tu_path(path, sizeof path, tmpdir, "schema.yaml")),
                   0);
  write_file("vocab.yaml", good_vocab);
  load_tmp_fails();
  const kb_diag *d = find_diag("schema.yaml", 0, "cannot open");
  ck_assert_str_eq(d->code, "schema");
  ck_assert_ptr_nonnull(strstr(d->message, "schema.yaml"));
  ck_assert_uint_eq(diags.errors, 1);
}
END_TEST

/* Errors in schema.yaml come with its file and line (the schema's own
 * checks are in test-schema.c). */
START_TEST(broken_schema_file) {
  write_file("vocab.yaml", good_vocab);
  write_file("schema.yaml", "fields:\n"
                            "  type: {type: farbe}\n"
                            "kinds:\n"
                            "  artikel: {label: Artikel, plural: Artikel}\n");
  load_tmp_fails();
  const kb_diag *d = find_diag("schema.yaml", 2, "field 'type' needs a type");
  ck_assert_str_eq(d->code, "schema");
}
END_TEST

START_TEST(missing_vocab_file) {
  load_tmp_fails();
  const kb_diag *d = find_diag("vocab.yaml", 0, "cannot open");
  ck_assert_int_eq(d->severity, KB_SEV_ERROR);
}
END_TEST

/* Any section is a vocabulary (a new kind's fields bring new ones); what
 * must hold is that every enum field of the schema finds its section. */
START_TEST(missing_section) {
  write_file("vocab.yaml", "typ:\n"
                           "  recht: Recht\n"
                           "audience:\n"
                           "  sbv: SBV\n"
                           "disability:\n"
                           "  autismus: Autismus\n");
  load_tmp_fails();
  const kb_diag *d = find_diag("vocab.yaml", 0,
                               "schema field 'type' uses the vocabulary "
                               "'type', which vocab.yaml lacks");
  ck_assert_str_eq(d->code, "vocab");
  ck_assert_uint_eq(diags.errors, 1); /* 'typ' itself is no error */
}
END_TEST

/* A facet value with a rank must be one records can have. */
START_TEST(ranked_facet_value_in_vocabulary) {
  char schema[4096], path[1200];
  FILE *f = fopen(tu_path(path, sizeof path, tmpdir, "schema.yaml"), "r");
  ck_assert_ptr_nonnull(f);
  size_t n = fread(schema, 1, sizeof schema - 1, f);
  fclose(f);
  ck_assert(n > 0 && n < sizeof schema - 1);
  schema[n] = '\0';
  char *facet = strstr(schema, "{name: type, field: type");
  ck_assert_ptr_nonnull(facet);
  char *close = strchr(facet, '}');
  char text[4300];
  snprintf(text, sizeof text, "%.*s, rank: {praxis: 0.8, praxsi: 0.5}%s",
           (int)(close - schema), schema, close);
  write_file("schema.yaml", text);
  char vocab[1024];
  snprintf(vocab, sizeof vocab, "type:\n  praxis: Praxisbeispiel\n%s",
           good_vocab + strlen("type:\n"));
  write_file("vocab.yaml", vocab);
  load_tmp_fails();
  const kb_diag *d = find_diag("vocab.yaml", 0,
                               "facet 'type' ranks 'praxsi', which the "
                               "vocabulary 'type' lacks");
  ck_assert_str_eq(d->code, "vocab");
  ck_assert_uint_eq(diags.errors, 1); /* 'praxis' is there */
}
END_TEST

START_TEST(extra_sections_allowed) {
  char text[1024];
  snprintf(text, sizeof text,
           "%sgericht:\n"
           "  bag: Bundesarbeitsgericht\n"
           "  bverwg: Bundesverwaltungsgericht\n",
           good_vocab);
  write_file("vocab.yaml", text);
  kb_vocab *v = NULL;
  ck_assert_int_eq(kb_vocab_load(tmpdir, &v, &diags), KB_OK);
  ck_assert_uint_eq(diags.n, 0);
  ck_assert_uint_eq(v->nsets, 4);
  ck_assert_uint_eq(kb_vocab_set_get(v, "gericht")->n, 2);
  ck_assert_str_eq(kb_vocab_label(v, "gericht", "bag"), "Bundesarbeitsgericht");
  ck_assert_str_eq(kb_vocab_suggest(v, "gericht", "bverwq"), "bverwg");
  kb_vocab_free(v);
}
END_TEST

START_TEST(too_many_sections) {
  char text[8192] = "";
  size_t o = (size_t)snprintf(text, sizeof text, "%s", good_vocab);
  for (int i = 0; i < KB_VOCAB_MAX_SETS; i++)
    o += (size_t)snprintf(text + o, sizeof text - o, "set%02d:\n  aa: A\n", i);
  write_file("vocab.yaml", text);
  load_tmp_fails();
  find_diag("vocab.yaml", 68, "more than 32 sections");
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
  ck_assert_uint_eq(diags.errors, 1);
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
  /* One error: the sections it could not read are not "missing" too. */
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
  find_diag("vocab.yaml", 0, "vocabulary 'audience', which vocab.yaml lacks");
  find_diag("vocab.yaml", 0,
            "vocabulary 'disability', which vocab.yaml "
            "lacks");
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
  tcase_add_test(tf, value_labels_by_field);
  tcase_add_test(tf, facet_names_and_labels);
  tcase_add_test(tf, suggestions);
  tcase_add_test(tf, json_round_trip);
  tcase_add_test(tf, json_malformed_refused);
  suite_add_tcase(s, tf);

  TCase *tb = tcase_create("broken");
  tcase_add_checked_fixture(tb, setup, teardown);
  tcase_add_test(tb, minimal_valid_vocab);
  tcase_add_test(tb, missing_vocab_file);
  tcase_add_test(tb, missing_schema_file);
  tcase_add_test(tb, broken_schema_file);
  tcase_add_test(tb, missing_section);
  tcase_add_test(tb, ranked_facet_value_in_vocabulary);
  tcase_add_test(tb, extra_sections_allowed);
  tcase_add_test(tb, too_many_sections);
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

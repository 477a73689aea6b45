/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-schema.c - schema.yaml, the declaration of record kinds: a valid
 * schema read into fields, kinds, facets and sorts; lookups by name; the
 * index layout it implies (facet prefixes and value slots); and every
 * kind of mistake an author can make, each reported with the file and
 * line to look at and no schema returned.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_layout.h"
#include "kb_schema.h"
#include "testutil.h"

static kb_diags diags;

static void setup(void) { kb_diags_init(&diags); }
static void teardown(void) { kb_diags_release(&diags); }

/* Two kinds, conditions, a facet on the kind, a norm facet, a date sort.
 * Line numbers matter. */
static const char good[] =
    /*  1 */
    "fields:\n"
    /*  2 */ "  type: {type: enum, vocab: type, label: \"Art des Artikels\"}\n"
    /*  3 */ "  audience: {type: enum, vocab: audience, list: true}\n"
    /*  4 */ "  topics: {type: keywords, list: true, search: 3, query: "
    "thema}\n"
    /*  5 */ "  norms: {type: norm, list: true, search: 5, label: "
    "Rechtsgrundlagen}\n"
    /*  6 */ "  fall: {type: case}\n"
    /*  7 */ "  datum: {type: date, label: Entscheidungsdatum}\n"
    /*  8 */ "  aktenzeichen: {type: filenumber, search: 5}\n"
    /*  9 */ "kinds:\n"
    /* 10 */ "  artikel:\n"
    /* 11 */ "    label: Artikel\n"
    /* 12 */ "    plural: Artikel\n"
    /* 13 */ "    fields:\n"
    /* 14 */ "      type: required\n"
    /* 15 */ "      audience: required\n"
    /* 16 */ "      topics: optional\n"
    /* 17 */ "      norms: {required_when: {type: recht}}\n"
    /* 18 */ "      fall: {only_when: {type: [praxis, beispiel]}}\n"
    /* 19 */ "    facts: [type, audience, norms]\n"
    /* 20 */ "    stale: {months: 12, when: {type: [recht, foerderung]}}\n"
    /* 21 */ "  urteil:\n"
    /* 22 */ "    label: Urteil\n"
    /* 23 */ "    plural: Rechtsprechung\n"
    /* 24 */ "    intro: \"Entscheidungen.\"\n"
    /* 25 */ "    exact: true\n"
    /* 26 */ "    fields: {datum: required, aktenzeichen: required, "
    "norms: optional}\n"
    /* 27 */ "facets:\n"
    /* 28 */ "  - {name: kind, field: kind, query: eintrag}\n"
    /* 29 */ "  - {name: type, field: type, query: typ, rank: {praxis: "
    "0.85, recht: 1.5}}\n"
    /* 30 */ "  - {name: audience, field: audience, within: and}\n"
    /* 31 */ "  - {name: norm, field: norms, label: Rechtsgrundlage}\n"
    /* 32 */ "  - {name: art-der-stelle, field: type}\n"
    /* 33 */ "sorts:\n"
    /* 34 */ "  - {name: updated, field: updated, label: \"Neueste "
    "zuerst\"}\n"
    /* 35 */ "  - {name: datum, field: datum}\n";

static kb_schema *parse_ok(const char *text) {
  kb_schema *sc = NULL;
  kb_status st =
      kb_schema_parse("corpus/schema.yaml", text, strlen(text), &sc, &diags);
  for (size_t i = 0; st != KB_OK && i < diags.n; i++)
    fprintf(stderr, "  %u: %s\n", diags.items[i].line, diags.items[i].message);
  ck_assert_int_eq(st, KB_OK);
  ck_assert_ptr_nonnull(sc);
  ck_assert_uint_eq(diags.n, 0);
  return sc;
}

/* Parses `text`, expecting failure with an error at `line` whose message
 * contains `needle`; returns the number of errors. */
static size_t parse_fails(const char *text, unsigned line, const char *needle) {
  kb_schema *sc = (kb_schema *)1;
  kb_status st =
      kb_schema_parse("corpus/schema.yaml", text, strlen(text), &sc, &diags);
  ck_assert_int_eq(st, KB_ERR_PARSE);
  ck_assert_ptr_eq(sc, (kb_schema *)1); /* untouched */
  ck_assert_uint_gt(diags.errors, 0);
  for (size_t i = 0; i < diags.n; i++) {
    const kb_diag *d = &diags.items[i];
    ck_assert_str_eq(d->path, "corpus/schema.yaml");
    ck_assert_str_eq(d->code, "schema");
    ck_assert_int_ne(d->message[strlen(d->message) - 1], '.');
    if (d->line == line && strstr(d->message, needle))
      return diags.errors;
  }
  for (size_t i = 0; i < diags.n; i++)
    fprintf(stderr, "  have %u: %s\n", diags.items[i].line,
            diags.items[i].message);
  ck_abort_msg("no error at line %u containing '%s'", line, needle);
  return 0;
}

/* As parse_fails for a schema of one field and one kind using it:
 * `field` is the declaration (line 2), `kind_extra` further lines of the
 * kind after its fields (from line 8 on). */
static size_t small_fails(const char *field, const char *kind_extra,
                          unsigned line, const char *needle) {
  char text[2048];
  snprintf(text, sizeof text,
           "fields:\n"                    /* 1 */
           "  %s\n"                       /* 2 */
           "kinds:\n"                     /* 3 */
           "  artikel:\n"                 /* 4 */
           "    label: Artikel\n"         /* 5 */
           "    plural: Artikel\n"        /* 6 */
           "    fields: {xx: optional}\n" /* 7 */
           "%s",
           field, kind_extra);
  return parse_fails(text, line, needle);
}

/* ---- a valid schema ---------------------------------------------------- */

START_TEST(fields_kinds_facets_sorts) {
  kb_schema *sc = parse_ok(good);
  ck_assert_uint_eq(sc->nfields, 7);
  const kb_sfield *type = &sc->fields[0];
  ck_assert_str_eq(type->name, "type");
  ck_assert_int_eq(type->type, KB_FT_ENUM);
  ck_assert_str_eq(type->vocab, "type");
  ck_assert_str_eq(type->label, "Art des Artikels");
  ck_assert(!type->list);
  ck_assert_uint_eq(type->weight, 0);
  const kb_sfield *aud = &sc->fields[1];
  ck_assert(aud->list);
  ck_assert_str_eq(aud->label, "audience"); /* no label: the name */
  const kb_sfield *topics = &sc->fields[2];
  ck_assert_int_eq(topics->type, KB_FT_KEYWORDS);
  ck_assert_uint_eq(topics->weight, 3);
  ck_assert_str_eq(topics->query, "thema");
  ck_assert_int_eq(sc->fields[3].type, KB_FT_NORM);
  ck_assert_int_eq(sc->fields[4].type, KB_FT_CASE);
  ck_assert_int_eq(sc->fields[5].type, KB_FT_DATE);
  ck_assert_int_eq(sc->fields[6].type, KB_FT_FILENUMBER);

  /* Kinds in file order; the first is the default. */
  ck_assert_uint_eq(sc->nkinds, 2);
  const kb_skind *art = &sc->kinds[0];
  ck_assert_str_eq(art->name, "artikel");
  ck_assert_str_eq(art->plural, "Artikel");
  ck_assert_ptr_null(art->intro);
  ck_assert(!art->exact);
  ck_assert_uint_eq(art->nfields, 5);
  ck_assert(art->fields[0].required);
  ck_assert(!art->fields[2].required);
  /* norms: required when type is recht. */
  const kb_skfield *norms = &art->fields[3];
  ck_assert_uint_eq(norms->field, 3);
  ck_assert(!norms->required);
  ck_assert(norms->has_required_when);
  ck_assert_uint_eq(norms->required_when.field, 0);
  ck_assert_uint_eq(norms->required_when.values.n, 1);
  ck_assert_str_eq(norms->required_when.values.v[0], "recht");
  /* fall: only when type is one of two values. */
  const kb_skfield *fall = &art->fields[4];
  ck_assert(fall->has_only_when);
  ck_assert_uint_eq(fall->only_when.values.n, 2);
  ck_assert_str_eq(fall->only_when.values.v[1], "beispiel");
  /* The facts box and the stale rule. */
  ck_assert_uint_eq(art->nfacts, 3);
  ck_assert_uint_eq(art->facts[0], 0);
  ck_assert_uint_eq(art->facts[2], 3);
  ck_assert_uint_eq(art->stale_months, 12);
  ck_assert(art->has_stale_when);
  ck_assert_str_eq(art->stale_when.values.v[1], "foerderung");
  const kb_skind *urt = &sc->kinds[1];
  ck_assert_str_eq(urt->label, "Urteil");
  ck_assert_str_eq(urt->plural, "Rechtsprechung");
  ck_assert_str_eq(urt->intro, "Entscheidungen.");
  ck_assert(urt->exact);
  ck_assert_uint_eq(urt->nfacts, 0);
  ck_assert_uint_eq(urt->stale_months, 0);

  /* Facets in order, with their labels. */
  ck_assert_uint_eq(sc->nfacets, 5);
  ck_assert_str_eq(sc->facets[0].name, "kind");
  ck_assert_uint_eq(sc->facets[0].field, KB_SF_KIND);
  ck_assert_str_eq(sc->facets[0].label, "Art des Eintrags");
  ck_assert_str_eq(sc->facets[0].query, "eintrag");
  ck_assert_str_eq(sc->facets[1].label, "Art des Artikels"); /* the field's */
  ck_assert(!sc->facets[1].and_within);
  /* values ranked like kinds: practice examples below, laws above */
  ck_assert_uint_eq(sc->facets[1].nranks, 2);
  ck_assert_str_eq(sc->facets[1].ranks[0].value, "praxis");
  ck_assert_double_eq_tol(sc->facets[1].ranks[0].rank, 0.85, 1e-9);
  ck_assert_str_eq(sc->facets[1].ranks[1].value, "recht");
  ck_assert_double_eq_tol(sc->facets[1].ranks[1].rank, 1.5, 1e-9);
  ck_assert_uint_eq(sc->facets[0].nranks, 0);
  ck_assert(sc->facets[2].and_within);
  ck_assert_ptr_null(sc->facets[2].query);
  ck_assert_str_eq(sc->facets[3].label, "Rechtsgrundlage");
  ck_assert_uint_eq(sc->facets[3].field, 3);

  /* Sorts: Stand, and a date field. */
  ck_assert_uint_eq(sc->nsorts, 2);
  ck_assert_uint_eq(sc->sorts[0].field, KB_SF_UPDATED);
  ck_assert_str_eq(sc->sorts[0].label, "Neueste zuerst");
  ck_assert_uint_eq(sc->sorts[1].field, 5);
  ck_assert_str_eq(sc->sorts[1].label, "datum");

  /* The text as given, for the index. */
  ck_assert_uint_eq(sc->source_len, strlen(good));
  ck_assert_mem_eq(sc->source, good, strlen(good));
  kb_schema_free(sc);
  kb_schema_free(NULL);
}
END_TEST

START_TEST(lookups) {
  kb_schema *sc = parse_ok(good);
  ck_assert_uint_eq(kb_schema_field(sc, "type"), 0);
  ck_assert_uint_eq(kb_schema_field(sc, "aktenzeichen"), 6);
  ck_assert_uint_eq(kb_schema_field(sc, "kind"), KB_SF_KIND);
  ck_assert_uint_eq(kb_schema_field(sc, "updated"), KB_SF_UPDATED);
  ck_assert_uint_eq(kb_schema_field(sc, "farbe"), KB_SCHEMA_NONE);
  ck_assert_uint_eq(kb_schema_field(sc, "Type"), KB_SCHEMA_NONE);
  ck_assert_str_eq(kb_schema_field_name(sc, 3), "norms");
  ck_assert_str_eq(kb_schema_field_name(sc, KB_SF_KIND), "kind");
  ck_assert_str_eq(kb_schema_field_name(sc, KB_SF_UPDATED), "updated");
  ck_assert_str_eq(kb_schema_field_name(sc, 99), "");

  ck_assert_ptr_eq(kb_schema_kind(sc, "urteil"), &sc->kinds[1]);
  ck_assert_ptr_null(kb_schema_kind(sc, "begriff"));
  ck_assert_ptr_null(kb_schema_kind(sc, ""));

  ck_assert_uint_eq(kb_schema_facet(sc, "kind"), 0);
  ck_assert_uint_eq(kb_schema_facet(sc, "norm"), 3);
  ck_assert_uint_eq(kb_schema_facet(sc, "norms"), KB_SCHEMA_NONE);
  ck_assert_uint_eq(kb_schema_facet_by_query(sc, "typ:recht", 3), 1);
  ck_assert_uint_eq(kb_schema_facet_by_query(sc, "eintrag", 7), 0);
  ck_assert_uint_eq(kb_schema_facet_by_query(sc, "ty", 2), KB_SCHEMA_NONE);
  ck_assert_uint_eq(kb_schema_facet_by_query(sc, "thema", 5), KB_SCHEMA_NONE);

  ck_assert_ptr_eq(kb_schema_sort(sc, "datum"), &sc->sorts[1]);
  ck_assert_ptr_null(kb_schema_sort(sc, "relevance"));

  /* A kind's declaration of a field, or NULL when it lacks it. */
  const kb_skind *urt = kb_schema_kind(sc, "urteil");
  ck_assert_ptr_nonnull(kb_skind_field(urt, 5));
  ck_assert(kb_skind_field(urt, 5)->required);
  ck_assert_ptr_null(kb_skind_field(urt, 0));
  ck_assert_ptr_null(kb_skind_field(urt, KB_SF_KIND));

  ck_assert_str_eq(kb_ftype_name(KB_FT_FILENUMBER), "filenumber");
  ck_assert_str_eq(kb_ftype_name(KB_FT_ENUM), "enum");
  ck_assert_str_eq(kb_ftype_name(KB_FT_COUNT), "");
  kb_schema_free(sc);
}
END_TEST

/* Facet terms and values: "XF" + the name in capitals + ":", facet i in
 * slot KB_SLOT_FACET0 + i; sorts on dates in their own slots. */
START_TEST(prefixes_and_slots) {
  kb_schema *sc = parse_ok(good);
  ck_assert_str_eq(sc->facets[0].prefix, "XFKIND:");
  ck_assert_str_eq(sc->facets[1].prefix, "XFTYPE:");
  ck_assert_str_eq(sc->facets[2].prefix, "XFAUDIENCE:");
  ck_assert_str_eq(sc->facets[3].prefix, "XFNORM:");
  /* A hyphen cannot be part of a term prefix's letters: '_'. */
  ck_assert_str_eq(sc->facets[4].prefix, "XFART_DER_STELLE:");
  for (size_t i = 0; i < sc->nfacets; i++) {
    ck_assert_uint_eq(sc->facets[i].slot, KB_SLOT_FACET0 + i);
    ck_assert_uint_lt(sc->facets[i].slot, KB_SLOT_SORT0);
  }
  /* Stand sorts by its own slot; a date field gets a sort slot. */
  ck_assert_uint_eq(sc->sorts[0].slot, KB_SLOT_UPDATED);
  ck_assert_uint_eq(sc->sorts[1].slot, KB_SLOT_SORT0 + 1);
  /* Distinct facet names give distinct prefixes, even long ones. */
  char text[2048];
  snprintf(text, sizeof text,
           "fields:\n"
           "  type: {type: enum, vocab: type}\n"
           "kinds:\n"
           "  artikel: {label: A, plural: A, fields: {type: optional}}\n"
           "facets:\n"
           "  - {name: %s-a, field: type}\n"
           "  - {name: %s-b, field: type}\n",
           "eine-sehr-lange-bezeichnung-fuer-ein-a", /* 40 with "-a" */
           "eine-sehr-lange-bezeichnung-fuer-ein-a");
  kb_schema *two = parse_ok(text);
  ck_assert_str_eq(two->facets[0].prefix,
                   "XFEINE_SEHR_LANGE_BEZEICHNUNG_FUER_EIN_A_A:");
  ck_assert_str_ne(two->facets[0].prefix, two->facets[1].prefix);
  kb_schema_free(two);
  kb_schema_free(sc);
}
END_TEST

/* The schemas that ship must parse: the fixture corpus's and the real
 * one. */
static void parse_file(const char *dir) {
  char path[4096];
  FILE *f = fopen(tu_path(path, sizeof path, dir, "schema.yaml"), "rb");
  ck_assert_ptr_nonnull(f);
  char *text = malloc(KB_SCHEMA_MAX_BYTES + 1);
  size_t n = fread(text, 1, KB_SCHEMA_MAX_BYTES, f);
  fclose(f);
  kb_schema *sc = NULL;
  kb_status st = kb_schema_parse(path, text, n, &sc, &diags);
  for (size_t i = 0; i < diags.n; i++)
    fprintf(stderr, "  %s:%u: %s\n", diags.items[i].path, diags.items[i].line,
            diags.items[i].message);
  ck_assert_int_eq(st, KB_OK);
  ck_assert_str_eq(sc->kinds[0].name, "artikel");
  ck_assert_uint_eq(kb_schema_facet(sc, "kind"), 0);
  kb_schema_free(sc);
  free(text);
}

START_TEST(shipped_schemas_parse) {
  char dir[4096];
  tu_fixture_dir(dir, sizeof dir);
  parse_file(dir);
  const char *src = getenv("TEILHABE_SOURCE_ROOT");
  char root[4096];
  snprintf(root, sizeof root, "%s/corpus",
           src && *src ? src : TEST_SOURCE_ROOT);
  parse_file(root);
}
END_TEST

/* ---- mistakes, each with its line ------------------------------------- */

START_TEST(unknown_field_type) {
  small_fails("xx: {type: farbe}", "", 2,
              "field 'xx' needs a type (one of text, keywords, enum, date, "
              "expiry, url, phone, norm, filenumber, case, easy)");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* No type at all: the field's own line. */
  small_fails("xx: {label: X}", "", 2, "field 'xx' needs a type");
}
END_TEST

/* Leichte Sprache is one sentence per line: a list, never one text. */
START_TEST(easy_field_is_a_list) {
  small_fails("xx: {type: easy, label: In Leichter Sprache}", "", 2,
              "field 'xx' of type easy is a list of sentences: add "
              "'list: true'");
}
END_TEST

START_TEST(enum_without_vocab) {
  small_fails("xx: {type: enum}", "", 2,
              "enum field 'xx' needs 'vocab' (a vocab.yaml section)");
}
END_TEST

START_TEST(field_declaration_errors) {
  small_fails("xx: enum", "", 2, "field 'xx' must be a mapping");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  small_fails("xx: {type: text, list: ja}", "", 2, "'list' is true or false");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  small_fails("xx: {type: text, search: 50}", "", 2,
              "'search' is a weight from 1 to 20");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  small_fails("xx: {type: text, farbe: rot}", "", 2,
              "unknown key 'farbe' in a field");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  small_fails("XX: {type: text}", "", 2, "field name 'XX' must be");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  small_fails("xx: {type: enum, vocab: x, jsonld: author}", "", 2,
              "'jsonld' is 'audience' or 'about'");
}
END_TEST

START_TEST(facet_on_text_field) {
  small_fails("xx: {type: text}",
              "facets:\n" /* 8 */
              "  - {name: farbe, field: x}\n" /* 9 */,
              9,
              "facet 'farbe' needs a 'field' that is 'kind' or a "
              "declared enum or norm field");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  small_fails("xx: {type: text}",
              "facets:\n"
              "  - {name: farbe, field: gibt-es-nicht}\n",
              9, "facet 'farbe' needs a 'field'");
}
END_TEST

START_TEST(kind_uses_undeclared_field) {
  const char text[] = "fields:\n"
                      "  type: {type: enum, vocab: type}\n"
                      "kinds:\n"
                      "  artikel:\n"
                      "    label: Artikel\n"
                      "    plural: Artikel\n"
                      "    fields:\n"
                      "      type: required\n"
                      "      farbe: optional\n";
  parse_fails(text, 9, "kind 'artikel' uses the undeclared field 'farbe'");
}
END_TEST

START_TEST(facts_name_missing_field) {
  const char text[] = "fields:\n"
                      "  type: {type: enum, vocab: type}\n"
                      "  datum: {type: date}\n"
                      "kinds:\n"
                      "  artikel:\n"
                      "    label: Artikel\n"
                      "    plural: Artikel\n"
                      "    fields: {type: required}\n"
                      "    facts:\n"
                      "      - type\n"
                      "      - datum\n"
                      "      - farbe\n";
  size_t errors = parse_fails(text, 11,
                              "facts of kind 'artikel' name 'datum', which it "
                              "does not have");
  parse_fails(text, 12, "name 'farbe'");
  ck_assert_uint_eq(errors, 2);
}
END_TEST

START_TEST(duplicate_names) {
  /* A field twice: the YAML parser already refuses the duplicate key. */
  const char twice[] = "fields:\n"
                       "  x: {type: text}\n"
                       "  x: {type: date}\n"
                       "kinds:\n"
                       "  artikel: {label: A, plural: A}\n";
  parse_fails(twice, 3, "duplicate key 'x'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* An envelope field cannot be declared again. */
  small_fails("title: {type: text}", "", 2,
              "field 'title' is declared twice or is an envelope field");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  small_fails("updated: {type: date}", "", 2, "'updated' is declared twice");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* Two facets of one name. */
  const char facets[] = "fields:\n"
                        "  type: {type: enum, vocab: type}\n"
                        "kinds:\n"
                        "  artikel: {label: A, plural: A}\n"
                        "facets:\n"
                        "  - {name: type, field: type}\n"
                        "  - {name: type, field: kind}\n";
  parse_fails(facets, 7, "a facet needs a new 'name'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* A kind of an invalid name. */
  const char kinds[] = "kinds:\n"
                       "  Artikel: {label: A, plural: A}\n";
  parse_fails(kinds, 2, "kind 'Artikel' must be a new name");
}
END_TEST

START_TEST(bad_stale) {
  static const char *const bad[] = {
      "    stale: 12\n",
      "    stale: {months: 0}\n",
      "    stale: {months: 121}\n",
      "    stale: {months: zwoelf}\n",
      "    stale: {when: {xx: a}}\n",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    small_fails("xx: {type: text}", bad[i], 8, "'stale' is {months: 1-120}");
    kb_diags_release(&diags);
    kb_diags_init(&diags);
  }
  /* A condition on a field that does not exist. */
  small_fails("xx: {type: text}", "    stale: {months: 6, when: {yy: a}}\n", 8,
              "'when' names the unknown field 'yy'");
}
END_TEST

START_TEST(conditions) {
  small_fails("xx: {type: text}",
              "    facts: [xx]\n"
              "  urteil:\n"
              "    label: U\n"
              "    plural: U\n"
              "    fields: {xx: {required_when: {xx: a, yy: b}}}\n",
              12, "'required_when' is one condition like {type: recht}");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  small_fails("xx: {type: text}",
              "  urteil:\n"
              "    label: U\n"
              "    plural: U\n"
              "    fields: {xx: {only_when: {xx: []}}}\n",
              11, "'only_when' needs a value or a list of values");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  small_fails("xx: {type: text}",
              "  urteil:\n"
              "    label: U\n"
              "    plural: U\n"
              "    fields: {xx: vielleicht}\n",
              11, "field 'xx' of kind 'urteil' is required, optional");
}
END_TEST

/* A condition must be about a field the kind has: a record of it can
 * never hold a value of another kind's field, so the condition would
 * silently never hold. */
START_TEST(condition_on_field_the_kind_lacks) {
  const char text[] = "fields:\n"
                      "  type: {type: enum, vocab: type}\n"
                      "  norms: {type: norm, list: true}\n"
                      "kinds:\n"
                      "  artikel:\n"
                      "    label: Artikel\n"
                      "    plural: Artikel\n"
                      "    fields:\n"
                      "      norms: {required_when: {type: recht}}\n"
                      "    stale: {months: 12, when: {type: recht}}\n";
  parse_fails(text, 9,
              "condition of kind 'artikel' names 'type', which it "
              "does not have");
  parse_fails(text, 10, "condition of kind 'artikel' names 'type'");
}
END_TEST

START_TEST(kind_errors) {
  parse_fails("fields:\n  x: {type: text}\n", 1,
              "'kinds' must declare at least one kind");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  parse_fails("kinds:\n  artikel: {label: A}\n", 2,
              "kind 'artikel' needs 'label' and 'plural'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  parse_fails("kinds:\n  artikel: {label: A, plural: A, farbe: x}\n", 2,
              "unknown key 'farbe' in a kind");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  parse_fails("kinds:\n  artikel: {label: A, plural: A, exact: ja}\n", 2,
              "'exact' is true or false");
}
END_TEST

START_TEST(facet_and_sort_errors) {
  const char *head = "fields:\n"                           /* 1 */
                     "  type: {type: enum, vocab: type}\n" /* 2 */
                     "  datum: {type: date}\n"             /* 3 */
                     "kinds:\n"                            /* 4 */
                     "  artikel: {label: A, plural: A}\n"; /* 5 */
  static const struct {
    const char *tail;
    unsigned line;
    const char *needle;
  } bad[] = {
      {"facets:\n  - {field: type}\n", 7, "a facet needs a new 'name'"},
      {"facets:\n  - {name: type, field: type, within: xor}\n", 7,
       "'within' is 'or' or 'and'"},
      {"facets:\n  - {name: type, field: updated}\n", 7,
       "facet 'type' needs a 'field'"},
      {"facets:\n  - type\n", 7, "a facet is a mapping"},
      {"sorts:\n  - {name: relevance, field: updated}\n", 7,
       "a sort is {name: ..., field: updated or a date field"},
      {"sorts:\n  - {name: typ, field: type}\n", 7, "a sort is"},
      {"sorts:\n  - {field: datum}\n", 7, "a sort is"},
      {"farbe: rot\n", 6, "unknown key 'farbe' in the schema"},
      /* a facet value's rank: a number in (0, 2] for a value of an enum */
      {"facets:\n  - {name: type, field: type, rank: {praxis: 3}}\n", 7,
       "'rank' of facet value 'praxis' is a number above 0 and at most 2"},
      {"facets:\n  - {name: type, field: type, rank: {praxis: viel}}\n", 7,
       "'rank' of facet value 'praxis' is a number"},
      {"facets:\n  - {name: type, field: type, rank: {praxis: 0}}\n", 7,
       "is a number above 0"},
      {"facets:\n  - {name: type, field: type, rank: 0.5}\n", 7,
       "'rank' of facet 'type' maps values of its enum field to numbers"},
      {"facets:\n  - {name: kind, field: kind, rank: {artikel: 0.5}}\n", 7,
       "a kind has its own 'rank'"},
      {"facets:\n  - {name: type, field: type, rank: {Praxis!: 0.5}}\n", 7,
       "a value in 'rank' of facet 'type' is a name"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char text[1024];
    snprintf(text, sizeof text, "%s%s", head, bad[i].tail);
    parse_fails(text, bad[i].line, bad[i].needle);
    kb_diags_release(&diags);
    kb_diags_init(&diags);
  }
}
END_TEST

START_TEST(not_a_schema) {
  parse_fails("- fields\n- kinds\n", 1, "expected the sections fields, kinds");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  parse_fails("", 1, "expected the sections");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* YAML errors with their line. */
  parse_fails("fields:\n  x: {type: [text\n", 3, "");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  parse_fails("fields: &a {x: {type: text}}\nkinds: *a\n", 2, "alias");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* Past the size bound nothing is parsed. */
  size_t n = KB_SCHEMA_MAX_BYTES + 1;
  char *big = malloc(n + 1);
  memset(big, '#', n);
  big[n] = '\0';
  kb_schema *sc = (kb_schema *)1;
  ck_assert_int_eq(kb_schema_parse("schema.yaml", big, n, &sc, &diags),
                   KB_ERR_PARSE);
  ck_assert_ptr_eq(sc, (kb_schema *)1);
  ck_assert_ptr_nonnull(strstr(diags.items[0].message, "at most 65536"));
  free(big);
}
END_TEST

START_TEST(every_problem_reported) {
  const char text[] = "fields:\n"
                      "  aa: {type: farbe}\n"
                      "  bb: {type: enum}\n"
                      "kinds:\n"
                      "  artikel:\n"
                      "    label: A\n"
                      "    plural: A\n"
                      "    fields: {aa: optional, cc: optional}\n"
                      "    stale: {months: 0}\n"
                      "facets:\n"
                      "  - {name: aa, field: aa}\n";
  kb_schema *sc = (kb_schema *)1;
  ck_assert_int_eq(
      kb_schema_parse("schema.yaml", text, strlen(text), &sc, &diags),
      KB_ERR_PARSE);
  kb_diags_sort(&diags);
  /* A bad type, an enum without vocabulary, an undeclared field, a bad
   * stale rule, a facet on a field that is no enum (aa counts as text). */
  static const unsigned lines[] = {2, 3, 8, 9, 11};
  ck_assert_uint_eq(diags.errors, 5);
  for (size_t i = 0; i < 5; i++)
    ck_assert_uint_eq(diags.items[i].line, lines[i]);
}
END_TEST

int main(void) {
  Suite *s = suite_create("schema");
  TCase *tv = tcase_create("valid");
  tcase_add_checked_fixture(tv, setup, teardown);
  tcase_add_test(tv, fields_kinds_facets_sorts);
  tcase_add_test(tv, lookups);
  tcase_add_test(tv, prefixes_and_slots);
  tcase_add_test(tv, shipped_schemas_parse);
  suite_add_tcase(s, tv);

  TCase *te = tcase_create("errors");
  tcase_add_checked_fixture(te, setup, teardown);
  tcase_add_test(te, unknown_field_type);
  tcase_add_test(te, easy_field_is_a_list);
  tcase_add_test(te, enum_without_vocab);
  tcase_add_test(te, field_declaration_errors);
  tcase_add_test(te, facet_on_text_field);
  tcase_add_test(te, kind_uses_undeclared_field);
  tcase_add_test(te, facts_name_missing_field);
  tcase_add_test(te, duplicate_names);
  tcase_add_test(te, bad_stale);
  tcase_add_test(te, conditions);
  tcase_add_test(te, condition_on_field_the_kind_lacks);
  tcase_add_test(te, kind_errors);
  tcase_add_test(te, facet_and_sort_errors);
  tcase_add_test(te, not_a_schema);
  tcase_add_test(te, every_problem_reported);
  suite_add_tcase(s, te);
  return tu_run_suite(s);
}

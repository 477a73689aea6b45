/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-article.c - one article: front matter parsed from strings, every
 * kind of error reported with the line an author has to look at, and
 * the body rendered safely (raw HTML dropped, GFM tables kept).
 */
#include <check.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_article.h"
#include "testutil.h"

static kb_vocab *vocab;
static kb_diags diags;
static char fixture[1024];

/* The reference article, one field per line; line numbers matter. */
static const char *const base[] = {
    /*  1 */ "---",
    /*  2 */ "id: bem-grundlagen",
    /*  3 */ "title: Betriebliches Eingliederungsmanagement",
    /*  4 */ "type: bem",
    /*  5 */
    "summary: Nach sechs Wochen Arbeitsunfähigkeit muss der "
    "Arbeitgeber das BEM anbieten.",
    /*  6 */ "audience: [arbeitgeber, sbv]",
    /*  7 */ "disabilities: [psychische-erkrankung]",
    /*  8 */ "topics: [eingliederung, gespräch]",
    /*  9 */ "norms: [\"§ 167 Abs. 2 SGB IX\", \"Art. 9 DSGVO\"]",
    /* 10 */ "updated: 2026-05-01",
    /* 11 */ "sources: [\"https://www.gesetze-im-internet.de/sgb_9_2018/\"]",
    /* 12 */ "related: [sbv]",
    /* 13 */ "---",
    /* 14 */ "Das Eingliederungsmanagement beginnt mit einem Gespräch.",
};
#define NBASE (sizeof base / sizeof *base)

static void setup(void) {
  tu_fixture_dir(fixture, sizeof fixture);
  kb_diags_init(&diags);
  vocab = NULL;
  ck_assert_int_eq(kb_vocab_load(fixture, &vocab, &diags), KB_OK);
}

static void teardown(void) {
  kb_vocab_free(vocab);
  kb_diags_release(&diags);
}

/* The reference article with line `line` (1-based) replaced by `repl`;
 * a NULL `repl` drops the line.  Owned result. */
static char *variant(unsigned line, const char *repl) {
  size_t cap = 8192;
  char *out = malloc(cap);
  size_t o = 0;
  for (unsigned i = 0; i < NBASE; i++) {
    const char *l = i + 1 == line ? repl : base[i];
    if (l == NULL)
      continue;
    int n = snprintf(out + o, cap - o, "%s\n", l);
    ck_assert(n > 0 && (size_t)n < cap - o);
    o += (size_t)n;
  }
  return out;
}

static kb_status parse(const char *text, size_t len, const kb_vocab *v,
                       kb_article **ret) {
  return kb_article_parse("corpus/bem/bem-grundlagen.md", text, len, v, ret,
                          &diags);
}

/* Parses `text` and expects exactly one error, of `code`, at `line`,
 * whose message contains `needle`. */
static void expect_error(const char *text, const char *code, unsigned line,
                         const char *needle) {
  kb_article *a = (kb_article *)1;
  kb_status st = parse(text, strlen(text), vocab, &a);
  for (size_t i = 0; i < diags.n; i++)
    fprintf(stderr, "  %s:%u: [%s] %s\n", diags.items[i].path,
            diags.items[i].line, diags.items[i].code, diags.items[i].message);
  ck_assert_int_eq(st, KB_ERR_PARSE);
  ck_assert_ptr_eq(a, (kb_article *)1); /* untouched on failure */
  ck_assert_uint_eq(diags.errors, 1);
  ck_assert_uint_eq(diags.n, 1);
  const kb_diag *d = &diags.items[0];
  ck_assert_str_eq(d->path, "corpus/bem/bem-grundlagen.md");
  ck_assert_int_eq(d->severity, KB_SEV_ERROR);
  ck_assert_str_eq(d->code, code);
  ck_assert_uint_eq(d->line, line);
  ck_assert_msg(strstr(d->message, needle) != NULL, "message '%s' lacks '%s'",
                d->message, needle);
  /* House style: lowercase start, no final period. */
  ck_assert_int_ne(d->message[strlen(d->message) - 1], '.');
}

/* As expect_error for a variant of the reference article. */
static void variant_error(unsigned at, const char *repl, const char *code,
                          unsigned line, const char *needle) {
  char *text = variant(at, repl);
  expect_error(text, code, line, needle);
  free(text);
}

/* ---- body checks (lint) ------------------------------------------------ */

START_TEST(body_h1_raw_html_relative_links) {
  variant_error(14, "# Noch ein Titel", "heading-level", 14,
                "'# Noch ein Titel'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(14, "Text <br> mit HTML.", "raw-html", 14, "'<br>'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(14, "Siehe [BEM](bem-checkliste).", "relative-link", 14,
                "'bem-checkliste'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(14, "Siehe [BEM](../bem/bem-checkliste.md).", "relative-link",
                14, "/artikel/<id>");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(14, "Siehe https://gesetze im Text.", "bad-link", 14,
                "'https://gesetze'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(14, "[Gesetz](https://gesetze-im-internet)", "bad-link", 14,
                "not a well-formed web address");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(14, "[Amt](//example.org/x)", "bad-link", 14, "no scheme");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(14, "[Mail](mailto:amt)", "bad-link", 14, "mailto:");
}
END_TEST

START_TEST(body_good_links_pass) {
  char *text = variant(
      14, "[A](/artikel/sbv), [B](/suche?q=BEM), [C](#teil), "
          "[D](https://www.gesetze-im-internet.de/sgb_9_2018/__167.html), "
          "[E](mailto:info@example.org), [F](tel:+49-30-123), "
          "<https://www.bih.de/>, ## and a line with 2 < 3.");
  kb_article *a = NULL;
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_OK);
  ck_assert_uint_eq(diags.n, 0);
  kb_article_free(a);
  free(text);
}
END_TEST

/* The reference article as a practice example, with line `line` replaced
 * by `repl` (line 4, the type, is already "type: praxis").  Owned. */
static char *praxis_variant(unsigned line, const char *repl) {
  char *text = variant(line, repl);
  char *p = strstr(text, "type: bem\n");
  ck_assert_ptr_nonnull(p);
  size_t cap = strlen(text) + 8;
  char *out = malloc(cap);
  snprintf(out, cap, "%.*stype: praxis\n%s", (int)(p - text), text,
           p + strlen("type: bem\n"));
  free(text);
  return out;
}

START_TEST(praxis_needs_invented_note) {
  char *text = praxis_variant(0, NULL);
  expect_error(text, "invented-note", 14, "Der Fall ist erfunden");
  free(text);
}
END_TEST

START_TEST(praxis_real_needs_sources_and_names_warn) {
  /* 'fall: real' in place of the sources: an error. */
  char *text = praxis_variant(11, "fall: real");
  expect_error(text, "missing-sources", 11, "'fall: real'");
  free(text);
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* 'fall: real' with sources: no invented-note needed. */
  text = praxis_variant(12, "fall: real");
  kb_article *a = NULL;
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_OK);
  ck_assert_uint_eq(diags.n, 0);
  kb_article_free(a);
  free(text);
  /* An invented case with realistic full names: warnings, no error;
   * "Frau B." with an initial is fine. */
  text = praxis_variant(14, "Frau Becker und Sven Meyer (45) sprechen mit "
                            "Frau B. *Der Fall ist erfunden.*");
  a = NULL;
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_OK);
  ck_assert_uint_eq(diags.errors, 0);
  ck_assert_uint_eq(diags.warnings, 2);
  ck_assert_str_eq(diags.items[0].code, "real-name");
  ck_assert(strstr(diags.items[0].message, "'Frau Becker'") != NULL);
  ck_assert(strstr(diags.items[1].message, "'Sven Meyer'") != NULL);
  kb_article_free(a);
  free(text);
}
END_TEST

START_TEST(fall_only_for_praxis) {
  variant_error(12, "fall: erfunden", "bad-field", 12,
                "'fall' is only for records with type 'praxis'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  char *text = praxis_variant(12, "fall: vielleicht");
  expect_error(text, "bad-value", 12, "'vielleicht'");
  free(text);
}
END_TEST

START_TEST(gilt_bis_warns_before_and_after) {
  char today[11], line[40];
  kb_date_today(today);
  /* Stand in the past, valid until today: "0 days from now". */
  snprintf(line, sizeof line, "gilt_bis: %s", today);
  char *text = variant(12, line);
  kb_article *a = NULL;
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_OK);
  ck_assert_str_eq(kb_article_values(a, "gilt_bis")->v[0], today);
  ck_assert_uint_eq(diags.warnings, 1);
  ck_assert_str_eq(diags.items[0].code, "expires");
  ck_assert_uint_eq(diags.items[0].line, 12);
  kb_article_free(a);
  free(text);
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* Far ahead: nothing to say. */
  text = variant(12, "gilt_bis: 2999-12-31");
  a = NULL;
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_OK);
  ck_assert_uint_eq(diags.n, 0);
  kb_article_free(a);
  free(text);
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* Before the Stand (2026-05-01): an error. */
  variant_error(12, "gilt_bis: 2026-04-30", "bad-date", 12,
                "lies before the Stand");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(12, "gilt_bis: 2026-02-30", "bad-date", 12, "'2026-02-30'");
}
END_TEST

START_TEST(gilt_bis_expired_warns) {
  char *text = variant(12, "gilt_bis: 2026-05-02");
  kb_article *a = NULL;
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_OK);
  char today[11];
  kb_date_today(today);
  if (strcmp(today, "2026-05-02") > 0) {
    ck_assert_uint_eq(diags.warnings, 1);
    ck_assert_str_eq(diags.items[0].code, "expired");
    ck_assert(strstr(diags.items[0].message, "valid until 2026-05-02") != NULL);
  }
  kb_article_free(a);
  free(text);
}
END_TEST

/* ---- parsing ---------------------------------------------------------- */

START_TEST(valid_article) {
  char *text = variant(0, NULL);
  kb_article *a = NULL;
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_OK);
  free(text);
  ck_assert_uint_eq(diags.n, 0);
  ck_assert_str_eq(a->path, "corpus/bem/bem-grundlagen.md");
  ck_assert_str_eq(a->id, "bem-grundlagen");
  ck_assert_str_eq(a->title, "Betriebliches Eingliederungsmanagement");
  ck_assert_str_eq(kb_article_values(a, "type")->v[0], "bem");
  ck_assert_str_eq(kb_article_kind(a), "artikel");
  ck_assert_str_eq(a->summary, "Nach sechs Wochen Arbeitsunfähigkeit muss "
                               "der Arbeitgeber das BEM anbieten.");
  ck_assert_str_eq(a->updated, "2026-05-01");
  ck_assert_str_eq(a->updated_compact, "20260501");
  ck_assert_uint_eq(kb_article_values(a, "audience")->n, 2);
  ck_assert_str_eq(kb_article_values(a, "audience")->v[1], "sbv");
  ck_assert_str_eq(kb_article_values(a, "disabilities")->v[0],
                   "psychische-erkrankung");
  ck_assert_str_eq(kb_article_values(a, "topics")->v[1], "gespräch");
  ck_assert_uint_eq(kb_article_values(a, "norms")->n, 2);
  ck_assert_str_eq(kb_article_values(a, "norms")->v[0], "§ 167 Abs. 2 SGB IX");
  ck_assert_uint_eq(a->sources.n, 1);
  ck_assert_str_eq(a->related.v[0], "sbv");
  /* Where each field stands, for later corpus-wide messages. */
  ck_assert_uint_eq(a->line[KB_FIELD_ID], 2);
  ck_assert_uint_eq(a->line[KB_FIELD_KIND], 0); /* the default kind */
  ck_assert_uint_eq(a->line[KB_FIELD_TITLE], 3);
  ck_assert_uint_eq(a->line[KB_FIELD_SUMMARY], 5);
  ck_assert_uint_eq(a->line[KB_FIELD_UPDATED], 10);
  ck_assert_uint_eq(a->line[KB_FIELD_RELATED], 12);
  const kb_schema *sc = vocab->schema;
  ck_assert_uint_eq(a->vline[kb_schema_field(sc, "type")], 4);
  ck_assert_uint_eq(a->vline[kb_schema_field(sc, "norms")], 9);
  ck_assert_uint_eq(a->vline[kb_schema_field(sc, "gilt_bis")], 0); /* absent */
  ck_assert_str_eq(
      a->body, "Das Eingliederungsmanagement beginnt mit einem Gespräch.\n");
  ck_assert_uint_eq(a->body_len, strlen(a->body));
  ck_assert_uint_eq(a->body_line, 14);
  kb_article_free(a);
  kb_article_free(NULL);
}
END_TEST

START_TEST(optional_fields_and_scalar_list) {
  /* Only required fields; a single audience written without brackets. */
  const char *text = "---\n"
                     "id: kurz\n"
                     "title: Kurz\n"
                     "type: bem\n"
                     "summary: Ein kurzer Artikel.\n"
                     "audience: arbeitgeber\n"
                     "updated: 2024-02-29\n"
                     "---\n"
                     "\n"
                     "\n"
                     "Text.\n";
  kb_article *a = NULL;
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_OK);
  ck_assert_uint_eq(kb_article_values(a, "audience")->n, 1);
  ck_assert_str_eq(kb_article_values(a, "audience")->v[0], "arbeitgeber");
  ck_assert_uint_eq(kb_article_values(a, "norms")->n, 0);
  ck_assert_uint_eq(a->vline[kb_schema_field(vocab->schema, "norms")], 0);
  /* Blank lines before the body are skipped but counted. */
  ck_assert_str_eq(a->body, "Text.\n");
  ck_assert_uint_eq(a->body_line, 11);
  kb_article_free(a);
}
END_TEST

START_TEST(bom_accepted) {
  char *plain = variant(0, NULL);
  size_t n = strlen(plain);
  char *text = malloc(n + 4);
  memcpy(text, "\xEF\xBB\xBF", 3);
  memcpy(text + 3, plain, n + 1);
  kb_article *a = NULL;
  ck_assert_int_eq(parse(text, n + 3, vocab, &a), KB_OK);
  ck_assert_str_eq(a->id, "bem-grundlagen");
  ck_assert_uint_eq(a->line[KB_FIELD_UPDATED], 10); /* lines unchanged */
  ck_assert_uint_eq(a->body_line, 14);
  kb_article_free(a);
  free(text);
  free(plain);
}
END_TEST

START_TEST(crlf_accepted) {
  char *plain = variant(0, NULL);
  char *text = malloc(2 * strlen(plain) + 1);
  size_t o = 0;
  for (const char *p = plain; *p; p++) {
    if (*p == '\n')
      text[o++] = '\r';
    text[o++] = *p;
  }
  text[o] = '\0';
  kb_article *a = NULL;
  ck_assert_int_eq(parse(text, o, vocab, &a), KB_OK);
  ck_assert_str_eq(a->id, "bem-grundlagen");
  ck_assert_str_eq(a->updated, "2026-05-01");
  ck_assert_uint_eq(a->line[KB_FIELD_RELATED], 12);
  kb_article_free(a);
  free(text);
  free(plain);
}
END_TEST

START_TEST(unknown_field_did_you_mean) {
  variant_error(11, "sourcs: [\"x\"]", "unknown-field", 11,
                "unknown field 'sourcs' (did you mean 'sources'?)");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(8, "topic: [eingliederung]", "unknown-field", 8,
                "did you mean 'topics'?");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* Far from every field: the allowed ones are listed, the envelope's
   * and then those the schema declares for the record's kind. */
  variant_error(8, "farbe: blau", "unknown-field", 8,
                "unknown field 'farbe' (allowed: id, kind, title, summary, "
                "updated, sources, related, type, audience, disabilities, "
                "topics, norms, gilt_bis, fall, leichte_sprache)");
}
END_TEST

START_TEST(missing_required_field) {
  variant_error(5, NULL, "missing-field", 2,
                "missing required field 'summary'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(10, NULL, "missing-field", 2,
                "missing required field 'updated'");
}
END_TEST

START_TEST(bad_date) {
  variant_error(10, "updated: 2026-13-01", "bad-date", 10, "'2026-13-01'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(10, "updated: 2026-02-29", "bad-date", 10, "'2026-02-29'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(10, "updated: 01.05.2026", "bad-date", 10, "YYYY-MM-DD");
}
END_TEST

START_TEST(future_date) {
  variant_error(10, "updated: 2999-12-31", "future-date", 10,
                "'updated' 2999-12-31 lies in the future");
  /* Today itself is fine. */
  char today[11], line[32];
  kb_date_today(today);
  snprintf(line, sizeof line, "updated: %s", today);
  char *text = variant(10, line);
  kb_article *a = NULL;
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_OK);
  kb_article_free(a);
  free(text);
}
END_TEST

START_TEST(unknown_audience_suggested) {
  variant_error(6, "audience: [arbeitgber, sbv]", "unknown-value", 6,
                "unknown audience 'arbeitgber' (did you mean "
                "'arbeitgeber'?)");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(6, "audience: [personalvertretung]", "unknown-value", 6,
                "see the 'audience' section of vocab.yaml");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(7, "disabilities: [hörbehinderung]", "unknown-value", 7,
                "did you mean 'hoerbehinderung'?");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(4, "type: rech", "unknown-value", 4,
                "unknown type 'rech' (did you mean 'recht'?)");
}
END_TEST

/* Without a vocabulary there is no schema: no field beyond the envelope
 * is known, and parsing says why instead of guessing. */
START_TEST(no_vocab_means_no_schema) {
  char *text = variant(6, "audience: [arbeitgeber]");
  kb_article *a = (kb_article *)1;
  ck_assert_int_eq(parse(text, strlen(text), NULL, &a), KB_ERR_PARSE);
  ck_assert_ptr_eq(a, (kb_article *)1);
  ck_assert_str_eq(diags.items[0].code, "schema");
  free(text);
}
END_TEST

START_TEST(empty_audience) {
  variant_error(6, "audience: []", "empty-field", 6,
                "'audience' needs at least one value");
}
END_TEST

START_TEST(summary_too_long) {
  /* 300 characters are allowed - counted as characters, not bytes. */
  char line[1024] = "summary: ";
  for (int i = 0; i < 300; i++)
    strcat(line, "ä");
  char *text = variant(5, line);
  kb_article *a = NULL;
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_OK);
  kb_article_free(a);
  free(text);
  strcat(line, "ä");
  variant_error(5, line, "too-long", 5, "summary has 301 characters");
}
END_TEST

START_TEST(title_too_long) {
  char line[512] = "title: ";
  for (int i = 0; i < 201; i++)
    strcat(line, "x");
  variant_error(3, line, "too-long", 3, "title has 201 characters");
}
END_TEST

START_TEST(recht_needs_norms) {
  char *text = variant(9, NULL);
  /* "type: recht" without a norms line. */
  char *p = strstr(text, "type: bem");
  ck_assert_ptr_nonnull(p);
  char *fixed = malloc(strlen(text) + 8);
  size_t pre = (size_t)(p - text);
  memcpy(fixed, text, pre);
  strcpy(fixed + pre, "type: recht");
  strcat(fixed, p + strlen("type: bem"));
  /* The schema requires `norms` when type is recht: the error stands at
   * the line of the type that makes it required. */
  expect_error(fixed, "missing-field", 4,
               "a record with type 'recht' must name 'norms'");
  free(fixed);
  free(text);
}
END_TEST

START_TEST(bad_citation_in_norms) {
  variant_error(9, "norms: [\"§ 167 Abs. 2 SGB IX\", \"Paragraph 167\"]",
                "bad-citation", 9, "norm 'Paragraph 167' is not a citation");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(9, "norms: [\"§ 167 SGB IX und folgende\"]", "bad-citation", 9,
                "'§ 167 SGB IX und folgende'");
}
END_TEST

START_TEST(duplicate_list_entry) {
  variant_error(6, "audience: [sbv, arbeitgeber, sbv]", "duplicate-entry", 6,
                "'audience' lists 'sbv' twice");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* In a block list the entry's own line is named. */
  char *text = variant(12, "related:\n  - sbv\n  - hoergeraet\n  - sbv");
  expect_error(text, "duplicate-entry", 15, "'related' lists 'sbv' twice");
  free(text);
}
END_TEST

START_TEST(bad_ids) {
  variant_error(2, "id: BEM Grundlagen", "bad-id", 2, "'BEM Grundlagen'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(12, "related: [sbv, ../etc/passwd]", "bad-id", 12,
                "'../etc/passwd'");
  ck_assert(kb_article_id_valid("bem-grundlagen"));
  ck_assert(kb_article_id_valid("abc"));
  ck_assert(!kb_article_id_valid("ab"));
  ck_assert(!kb_article_id_valid(""));
  ck_assert(!kb_article_id_valid("hörgerät"));
  ck_assert(!kb_article_id_valid("Bem"));
  ck_assert(!kb_article_id_valid("bem_grundlagen"));
  ck_assert(!kb_article_id_valid("bem/grundlagen"));
  char longid[82];
  memset(longid, 'a', 81);
  longid[81] = '\0';
  ck_assert(!kb_article_id_valid(longid));
  longid[80] = '\0';
  ck_assert(kb_article_id_valid(longid));
}
END_TEST

START_TEST(field_types) {
  variant_error(3, "title: [Betriebliches, Eingliederungsmanagement]",
                "field-type", 3, "'title' must be a single value");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(8, "topics: {eingliederung: ja}", "field-type", 8,
                "'topics' must be a list");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(3, "title: \"   \"", "empty-field", 3, "'title' is empty");
}
END_TEST

/* Fixed bug, kept as a regression test: an audience written as a mapping is
 * reported twice on the same line - "'audience' must be a list like [a, b]" and
 * then the misleading "'audience' needs at least one of the vocabulary's
 * audiences" (validate() checks audience.n == 0 although fields() already
 * reported the field). */
/* Leichte Sprache: one sentence per entry.  A sentence past the byte
 * limit is an error; a long one a warning (only a person can judge it),
 * reported on its own line of a block list. */
START_TEST(easy_sentences_are_short) {
  char *text =
      variant(12, "related: [sbv]\nleichte_sprache:\n"
                  "  - \"BEM heißt: Betriebliches Eingliederungs-"
                  "Management.\"\n"
                  "  - Das ist ein Gespräch mit dem Arbeit-Geber, nach "
                  "einer langen Krankheit, über Hilfen, damit Sie "
                  "gesund bei der Arbeit bleiben und nicht wieder "
                  "krank werden.");
  kb_article *a = NULL;
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_OK);
  ck_assert_uint_eq(diags.errors, 0);
  ck_assert_uint_eq(diags.n, 1);
  ck_assert_str_eq(diags.items[0].code, "long-sentence");
  ck_assert_uint_eq(diags.items[0].line, 15);
  ck_assert_msg(strstr(diags.items[0].message, "has 25 words"), "%s",
                diags.items[0].message);
  size_t f = kb_schema_field(a->schema, "leichte_sprache");
  ck_assert_uint_eq(a->values[f].n, 2);
  kb_article_free(a);
  free(text);
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  char big[400];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  char line[512];
  snprintf(line, sizeof line, "leichte_sprache: [\"%s\"]", big);
  variant_error(12, line, "too-long", 12, "limit 'easy sentence'");
}
END_TEST

START_TEST(wrong_shape_audience_reported_once) {
  variant_error(6, "audience: {arbeitgeber: ja}", "field-type", 6,
                "'audience' must be a list");
}
END_TEST

START_TEST(yaml_errors_in_front_matter) {
  variant_error(5, "summary: Arbeitgeber: muss", "yaml", 5, "front matter:");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(8, "title: Nochmal", "yaml", 8, "duplicate key 'title'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  variant_error(7, "disabilities: *anker", "yaml", 7, "alias");
}
END_TEST

START_TEST(front_matter_not_a_mapping) {
  const char *text = "---\n- id\n- title\n---\nText\n";
  expect_error(text, "front-matter", 2, "must be a mapping");
}
END_TEST

START_TEST(empty_body) {
  kb_article *a = (kb_article *)1;
  char *text = variant(14, NULL);
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_ERR_PARSE);
  ck_assert_uint_eq(diags.errors, 1);
  ck_assert_str_eq(diags.items[0].code, "empty-body");
  /* At the closing '---' or just below it. */
  ck_assert_uint_ge(diags.items[0].line, 13);
  ck_assert_uint_le(diags.items[0].line, 14);
  free(text);
  /* Only blank lines and spaces are no body either. */
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  text = variant(14, "\n   \n\t\n");
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_ERR_PARSE);
  ck_assert_uint_eq(diags.errors, 1);
  ck_assert_str_eq(diags.items[0].code, "empty-body");
  ck_assert_ptr_eq(a, (kb_article *)1);
  free(text);
}
END_TEST

/* Fixed bug, kept as a regression test: when nothing follows the closing '---',
 * the empty-body error names the line after it - a line the file does not have
 * (line 14 of a 13-line file) - while with blank lines after the fence it names
 * the fence itself.  Expected: the closing fence, line 13, both times. */
START_TEST(empty_body_names_closing_fence) {
  char *text = variant(14, NULL);
  expect_error(text, "empty-body", 13, "no text below the front matter");
  free(text);
}
END_TEST

/* Fixed bug, kept as a regression test: in a block list the error for a bad
 * entry names the field's line, not the entry's, so in 6 audience: 7   - sbv 8
 * - arbeitgber "unknown audience 'arbeitgber'" is reported at line 6 (duplicate
 * entries, by contrast, are reported at their own line).  The same holds
 * for bad citations in `norms` and bad ids in `related`. */
START_TEST(block_list_errors_name_entry_line) {
  char *text = variant(6, "audience:\n  - sbv\n  - arbeitgber");
  expect_error(text, "unknown-value", 8, "'arbeitgber'");
  free(text);
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  text = variant(9, "norms:\n  - \"§ 167 SGB IX\"\n  - \"Paragraph 5\"");
  expect_error(text, "bad-citation", 11, "'Paragraph 5'");
  free(text);
}
END_TEST

START_TEST(no_front_matter) {
  expect_error("Betriebliches Eingliederungsmanagement\n\nText.\n",
               "front-matter", 1, "must start with a '---' line");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  expect_error("", "front-matter", 1, "'---'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* "----" is no fence, and neither is "--- x". */
  expect_error("----\nid: x\n---\nText\n", "front-matter", 1, "'---'");
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  expect_error("\n---\nid: x\n---\nText\n", "front-matter", 1, "'---'");
}
END_TEST

START_TEST(unclosed_front_matter) {
  char *text = variant(13, NULL);
  /* Without the closing fence the body line is just more YAML. */
  char *cut = strstr(text, "Das Einglieder");
  *cut = '\0';
  expect_error(text, "front-matter", 1, "not closed");
  free(text);
}
END_TEST

START_TEST(invalid_utf8) {
  char *text = variant(3, "title: Gr\xFC\xDF"
                          "e aus K\xF6ln");
  expect_error(text, "encoding", 0, "not valid UTF-8");
  free(text);
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  /* A NUL byte in the middle of a file. */
  char *plain = variant(0, NULL);
  size_t n = strlen(plain);
  plain[n - 5] = '\0';
  kb_article *a = (kb_article *)1;
  ck_assert_int_eq(parse(plain, n, vocab, &a), KB_ERR_PARSE);
  ck_assert_str_eq(diags.items[0].code, "encoding");
  free(plain);
}
END_TEST

START_TEST(size_limits) {
  /* Past KB_ARTICLE_MAX_BYTES nothing is parsed at all. */
  size_t n = KB_ARTICLE_MAX_BYTES + 1;
  char *big = malloc(n + 1);
  memset(big, 'a', n);
  big[n] = '\0';
  kb_article *a = (kb_article *)1;
  ck_assert_int_eq(parse(big, n, vocab, &a), KB_ERR_PARSE);
  ck_assert_uint_eq(diags.errors, 1);
  ck_assert_str_eq(diags.items[0].code, "too-large");
  free(big);
  /* Front matter past KB_FRONT_MATTER_MAX_BYTES. */
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  size_t fm = KB_FRONT_MATTER_MAX_BYTES + 100;
  char *text = malloc(fm + 200);
  size_t o = (size_t)sprintf(text, "---\n");
  while (o < fm)
    o += (size_t)sprintf(text + o, "# Kommentar, der Platz braucht\n");
  o += (size_t)sprintf(text + o, "id: x\n---\nText\n");
  ck_assert_int_eq(parse(text, o, vocab, &a), KB_ERR_PARSE);
  ck_assert_str_eq(diags.items[0].code, "too-large");
  ck_assert_uint_eq(diags.items[0].line, 2);
  free(text);
  ck_assert_ptr_eq(a, (kb_article *)1);
}
END_TEST

START_TEST(list_too_long) {
  char line[2048] = "topics: [";
  for (int i = 0; i < 51; i++) {
    char w[16];
    snprintf(w, sizeof w, "%sthema%d", i ? ", " : "", i);
    strcat(line, w);
  }
  strcat(line, "]");
  variant_error(8, line, "limit", 8, "'topics' has 51 entries");
}
END_TEST

START_TEST(every_problem_reported) {
  /* One run reports all problems, not just the first. */
  const char *text = "---\n"
                     "id: Bad Id\n"
                     "title: Titel\n"
                     "type: recht\n"
                     "summary: Kurz.\n"
                     "audience: [arbeitgber]\n"
                     "updated: 2026-02-30\n"
                     "farbe: rot\n"
                     "---\n"
                     "Text\n";
  kb_article *a = (kb_article *)1;
  ck_assert_int_eq(parse(text, strlen(text), vocab, &a), KB_ERR_PARSE);
  kb_diags_sort(&diags);
  static const struct {
    unsigned line;
    const char *code;
  } want[] = {{2, "bad-id"},
              {4, "missing-field"},
              {6, "unknown-value"},
              {7, "bad-date"},
              {8, "unknown-field"}};
  ck_assert_uint_eq(diags.n, 5);
  for (size_t i = 0; i < 5; i++) {
    ck_assert_uint_eq(diags.items[i].line, want[i].line);
    ck_assert_str_eq(diags.items[i].code, want[i].code);
  }
}
END_TEST

START_TEST(load_from_file) {
  char path[1100];
  snprintf(path, sizeof path, "%s/bem-grundlagen.md", fixture);
  kb_article *a = NULL;
  ck_assert_int_eq(kb_article_load(path, vocab, &a, &diags), KB_OK);
  ck_assert_str_eq(a->id, "bem-grundlagen");
  ck_assert_str_eq(a->path, path);
  ck_assert_uint_eq(kb_article_values(a, "norms")->n, 2);
  kb_article_free(a);
  /* A missing file is an I/O diagnostic naming the file. */
  snprintf(path, sizeof path, "%s/gibt-es-nicht.md", fixture);
  a = (kb_article *)1;
  ck_assert_int_eq(kb_article_load(path, vocab, &a, &diags), KB_ERR_IO);
  ck_assert_ptr_eq(a, (kb_article *)1);
  ck_assert_uint_eq(diags.errors, 1);
  ck_assert_str_eq(diags.items[0].path, path);
  ck_assert_str_eq(diags.items[0].code, "io");
}
END_TEST

/* An indexer drops the bodies of a checked corpus and reads each again
 * when it indexes it: the same text, and a file edited in between is
 * refused by name rather than indexed half old, half new. */
START_TEST(dropped_body_read_again) {
  char dir[1100], path[1200];
  tu_scratch_dir(dir, sizeof dir, "body");
  tu_copy_file(fixture, dir, "bem-grundlagen.md");
  tu_path(path, sizeof path, dir, "bem-grundlagen.md");
  kb_article *a = NULL;
  ck_assert_int_eq(kb_article_load(path, vocab, &a, &diags), KB_OK);
  char *was = strdup(a->body);
  size_t was_len = a->body_len;
  char orig[16384];
  FILE *in = fopen(path, "rb");
  ck_assert_ptr_nonnull(in);
  size_t orig_len = fread(orig, 1, sizeof orig, in);
  fclose(in);
  ck_assert_uint_eq(orig_len, a->body_off + a->body_len);

  /* In memory: the article itself, nothing read. */
  kb_article view;
  const kb_article *got = NULL;
  char *body = (char *)1;
  char *err = NULL;
  ck_assert_int_eq(kb_article_with_body(a, &view, &got, &body, &err), KB_OK);
  ck_assert_ptr_eq(got, a);
  ck_assert_ptr_null(body);

  kb_article_drop_body(a);
  ck_assert_ptr_null(a->body);
  ck_assert_int_eq(kb_article_with_body(a, &view, &got, &body, &err), KB_OK);
  ck_assert_ptr_eq(got, &view);
  ck_assert_ptr_eq(view.body, body);
  ck_assert_str_eq(view.body, was);
  ck_assert_uint_eq(view.body_len, was_len);
  ck_assert_str_eq(view.id, "bem-grundlagen");
  ck_assert_ptr_null(a->body); /* the shared record stays as it was */
  free(body);

  /* Grown by a byte, or cut by one: refused, naming the file. */
  static const char *const edits[] = {"a", "w"};
  for (int k = 0; k < 2; k++) {
    FILE *g = fopen(path, edits[k]);
    ck_assert_ptr_nonnull(g);
    if (k == 0)
      fputc('\n', g);
    else
      fwrite(orig, 1, orig_len - 1, g);
    fclose(g);
    ck_assert_int_eq(kb_article_with_body(a, &view, &got, &body, &err),
                     KB_ERR_IO);
    ck_assert_ptr_null(body);
    ck_assert_ptr_nonnull(strstr(err, "changed after it was checked"));
    free(err);
    err = NULL;
  }
  FILE *g = fopen(path, "w");
  fwrite(orig, 1, orig_len, g);
  fclose(g);
  ck_assert_int_eq(kb_article_with_body(a, &view, &got, &body, &err), KB_OK);
  ck_assert_str_eq(body, was); /* put back as it was: read again */
  free(body);

  /* One letter changed, same length: refused, naming the file. */
  FILE *f = fopen(path, "r+b");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fseek(f, (long)(a->body_off + 2), SEEK_SET), 0);
  int c = fgetc(f);
  ck_assert_int_eq(fseek(f, (long)(a->body_off + 2), SEEK_SET), 0);
  fputc(c == 'x' ? 'y' : 'x', f);
  fclose(f);
  ck_assert_int_eq(kb_article_with_body(a, &view, &got, &body, &err),
                   KB_ERR_IO);
  ck_assert_ptr_null(body);
  ck_assert_ptr_nonnull(strstr(err, "bem-grundlagen.md"));
  ck_assert_ptr_nonnull(strstr(err, "changed after it was checked"));
  free(err);
  err = NULL;

  /* Gone: refused too. */
  tu_remove_tree(dir);
  ck_assert_int_eq(kb_article_with_body(a, &view, &got, &body, &err),
                   KB_ERR_IO);
  ck_assert_ptr_nonnull(strstr(err, "cannot read"));
  free(err);
  free(was);
  kb_article_free(a);
}
END_TEST

/* ---- rendering ------------------------------------------------------- */

/* An article whose body is `body` as given: lint would refuse raw HTML
 * and bad links, but rendering must stay safe even for a body that never
 * went through lint, so the body is put in after parsing. */
static kb_article *with_body(const char *body) {
  const char *text = "---\nid: render\ntitle: T\ntype: bem\nsummary: S\n"
                     "audience: [sbv]\nupdated: 2026-01-01\n---\nx\n";
  kb_article *a = NULL;
  kb_status st = parse(text, strlen(text), vocab, &a);
  ck_assert_int_eq(st, KB_OK);
  free(a->body);
  a->body = strdup(body);
  a->body_len = strlen(body);
  return a;
}

START_TEST(render_drops_raw_html) {
  kb_article *a = with_body("Vorher\n\n<script>alert('x')</script>\n\n"
                            "Text mit <b onclick=\"steal()\">fett</b> und "
                            "<img src=x onerror=alert(1)>.\n\n"
                            "<iframe src=\"https://evil.example\"></iframe>\n");
  char *html = NULL, *plain = NULL;
  char *err = NULL;
  ck_assert_int_eq(kb_article_render(a, &html, &plain, &err), KB_OK);
  ck_assert_ptr_null(err);
  ck_assert_ptr_null(strstr(html, "<script"));
  ck_assert_ptr_null(strstr(html, "alert"));
  ck_assert_ptr_null(strstr(html, "onclick"));
  ck_assert_ptr_null(strstr(html, "onerror"));
  ck_assert_ptr_null(strstr(html, "<iframe"));
  ck_assert_ptr_null(strstr(html, "<b"));
  ck_assert_ptr_nonnull(strstr(html, "<p>Vorher</p>"));
  ck_assert_ptr_nonnull(strstr(html, "fett"));
  free(html);
  free(plain);
  kb_article_free(a);
}
END_TEST

START_TEST(render_drops_dangerous_links) {
  kb_article *a = with_body("[klick](javascript:alert(1)) "
                            "[daten](data:text/html;base64,PHNjcmlwdD4=) "
                            "[gut](/artikel/sbv) "
                            "[extern](https://www.bih.de/)\n");
  char *html = NULL;
  ck_assert_int_eq(kb_article_render(a, &html, NULL, NULL), KB_OK);
  ck_assert_ptr_null(strstr(html, "javascript:"));
  ck_assert_ptr_null(strstr(html, "data:text/html"));
  ck_assert_ptr_nonnull(strstr(html, "<a href=\"/artikel/sbv\">gut</a>"));
  ck_assert_ptr_nonnull(strstr(html, "href=\"https://www.bih.de/\""));
  free(html);
  kb_article_free(a);
}
END_TEST

START_TEST(render_gfm_table) {
  kb_article *a = with_body("| Leistung | Träger |\n"
                            "|---|---|\n"
                            "| Hörgerät | Krankenkasse |\n"
                            "| Arbeitsassistenz | Integrationsamt |\n\n"
                            "~~alt~~ und https://www.rehadat.de\n");
  char *html = NULL, *plain = NULL;
  ck_assert_int_eq(kb_article_render(a, &html, &plain, NULL), KB_OK);
  ck_assert_ptr_nonnull(strstr(html, "<table>"));
  ck_assert_ptr_nonnull(strstr(html, "<th>Leistung</th>"));
  ck_assert_ptr_nonnull(strstr(html, "<td>Hörgerät</td>"));
  ck_assert_ptr_nonnull(strstr(html, "<td>Integrationsamt</td>"));
  ck_assert_ptr_nonnull(strstr(html, "<del>alt</del>"));
  ck_assert_ptr_nonnull(strstr(html, "<a href=\"https://www.rehadat.de\">"));
  /* The plain text keeps the words, not the markup. */
  ck_assert_ptr_nonnull(strstr(plain, "Krankenkasse"));
  ck_assert_ptr_null(strstr(plain, "<td>"));
  free(html);
  free(plain);
  kb_article_free(a);
}
END_TEST

/* Rendering on several threads at once (the index build renders on
 * every core, the server on every worker): each rendering keeps its
 * links and struck text.  cmark-gfm marks the characters its extensions
 * react to in a table of the whole process and clears them after each
 * document, so unguarded, one thread's end took another's links away. */
enum { RENDER_THREADS = 4, RENDER_ROUNDS = 150, RENDER_PARAS = 40 };

typedef struct render_job {
  const kb_article *a;
  int bad; /* renderings that lost a link or a strike */
} render_job;

static size_t count_of(const char *s, const char *what) {
  size_t n = 0;
  for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
    n++;
  return n;
}

static void *render_many(void *p) {
  render_job *j = p;
  for (int r = 0; r < RENDER_ROUNDS; r++) {
    char *html = NULL;
    if (kb_article_render(j->a, &html, NULL, NULL) != KB_OK ||
        count_of(html, "<a href=\"https://") != RENDER_PARAS ||
        count_of(html, "<del>") != RENDER_PARAS ||
        count_of(html, "<table>") != RENDER_PARAS)
      j->bad++;
    free(html);
  }
  return NULL;
}

START_TEST(render_on_many_threads_keeps_links) {
  char body[RENDER_PARAS * 192] = "";
  for (int i = 0; i < RENDER_PARAS; i++) {
    char para[192];
    snprintf(para, sizeof para,
             "Absatz %d: ~~alt~~ und https://www.rehadat.de/seite-%d mit "
             "*etwas* Text.\n\n| Spalte | Wert |\n|---|---|\n| a | %d |\n\n",
             i, i, i);
    strcat(body, para);
  }
  kb_article *a = with_body(body);
  render_job jobs[RENDER_THREADS];
  pthread_t tids[RENDER_THREADS];
  for (int t = 0; t < RENDER_THREADS; t++) {
    jobs[t] = (render_job){.a = a};
    ck_assert_int_eq(pthread_create(&tids[t], NULL, render_many, &jobs[t]), 0);
  }
  int bad = 0;
  for (int t = 0; t < RENDER_THREADS; t++) {
    pthread_join(tids[t], NULL);
    bad += jobs[t].bad;
  }
  ck_assert_int_eq(bad, 0);
  kb_article_free(a);
}
END_TEST

/* The plain text (index and snippets) holds the words of tables, lists
 * and headings without their Markdown syntax, phrases kept apart. */
START_TEST(render_plain_text_without_markdown) {
  kb_article *a = with_body("## Wer zahlt was\n\n"
                            "| Leistung | Träger |\n"
                            "|---|---|\n"
                            "| Hörgerät | Krankenkasse |\n"
                            "| Arbeitsassistenz | Integrationsamt |\n\n"
                            "- Antrag **schriftlich** stellen\n"
                            "- Bescheid abwarten?\n\n"
                            "1. erstens\n2. zweitens\n\n"
                            "---\n\n"
                            "> Zitat mit `Code`\n\n"
                            "# Ebene eins\n\nText *kursiv*\nweiter\n");
  char *plain = NULL;
  ck_assert_int_eq(kb_article_render(a, NULL, &plain, NULL), KB_OK);
  ck_assert_str_eq(plain, "Wer zahlt was:\n"
                          "Leistung; Träger.\n"
                          "Hörgerät; Krankenkasse.\n"
                          "Arbeitsassistenz; Integrationsamt.\n"
                          "Antrag schriftlich stellen.\n"
                          "Bescheid abwarten?\n"
                          "erstens.\n"
                          "zweitens.\n"
                          "Zitat mit Code\n"
                          "Ebene eins:\n"
                          "Text kursiv weiter\n");
  free(plain);
  kb_article_free(a);
  /* An empty body is an empty text. */
  a = with_body("");
  ck_assert_int_eq(kb_article_render(a, NULL, &plain, NULL), KB_OK);
  ck_assert_str_eq(plain, "");
  free(plain);
  kb_article_free(a);
}
END_TEST

START_TEST(render_escapes_text) {
  kb_article *a = with_body("Arbeitgeber & SBV: 5 < 6 und \"Zitat\"\n");
  char *html = NULL, *plain = NULL;
  ck_assert_int_eq(kb_article_render(a, &html, &plain, NULL), KB_OK);
  ck_assert_ptr_nonnull(strstr(html, "Arbeitgeber &amp; SBV: 5 &lt; 6"));
  ck_assert_ptr_nonnull(strstr(plain, "Arbeitgeber & SBV: 5 < 6"));
  free(html);
  free(plain);
  /* Either output may be left out. */
  ck_assert_int_eq(kb_article_render(a, NULL, NULL, NULL), KB_OK);
  kb_article_free(a);
}
END_TEST

int main(void) {
  Suite *s = suite_create("article");
  TCase *tp = tcase_create("parse");
  tcase_add_checked_fixture(tp, setup, teardown);
  tcase_add_test(tp, valid_article);
  tcase_add_test(tp, optional_fields_and_scalar_list);
  tcase_add_test(tp, bom_accepted);
  tcase_add_test(tp, crlf_accepted);
  tcase_add_test(tp, no_vocab_means_no_schema);
  tcase_add_test(tp, load_from_file);
  tcase_add_test(tp, dropped_body_read_again);
  suite_add_tcase(s, tp);

  TCase *te = tcase_create("errors");
  tcase_add_checked_fixture(te, setup, teardown);
  tcase_add_test(te, unknown_field_did_you_mean);
  tcase_add_test(te, missing_required_field);
  tcase_add_test(te, bad_date);
  tcase_add_test(te, future_date);
  tcase_add_test(te, unknown_audience_suggested);
  tcase_add_test(te, empty_audience);
  tcase_add_test(te, summary_too_long);
  tcase_add_test(te, title_too_long);
  tcase_add_test(te, recht_needs_norms);
  tcase_add_test(te, bad_citation_in_norms);
  tcase_add_test(te, duplicate_list_entry);
  tcase_add_test(te, bad_ids);
  tcase_add_test(te, field_types);
  /* Fixed bug, kept as a regression test: a mis-shaped audience yields two
   * errors; see the test. */
  tcase_add_test(te, wrong_shape_audience_reported_once);
  tcase_add_test(te, easy_sentences_are_short);
  tcase_add_test(te, yaml_errors_in_front_matter);
  tcase_add_test(te, front_matter_not_a_mapping);
  tcase_add_test(te, empty_body);
  /* Fixed bug, kept as a regression test: empty-body names a line past the end
   * of the file. */
  tcase_add_test(te, empty_body_names_closing_fence);
  /* Fixed bug, kept as a regression test: block-list entries are blamed on the
   * field's line. */
  tcase_add_test(te, block_list_errors_name_entry_line);
  tcase_add_test(te, no_front_matter);
  tcase_add_test(te, unclosed_front_matter);
  tcase_add_test(te, invalid_utf8);
  tcase_add_test(te, size_limits);
  tcase_add_test(te, list_too_long);
  tcase_add_test(te, every_problem_reported);
  suite_add_tcase(s, te);

  TCase *tr = tcase_create("render");
  tcase_add_checked_fixture(tr, setup, teardown);
  tcase_add_test(tr, render_drops_raw_html);
  tcase_add_test(tr, render_drops_dangerous_links);
  tcase_add_test(tr, render_on_many_threads_keeps_links);
  tcase_add_test(tr, render_gfm_table);
  tcase_add_test(tr, render_plain_text_without_markdown);
  tcase_add_test(tr, render_escapes_text);
  tcase_add_test(tr, body_h1_raw_html_relative_links);
  tcase_add_test(tr, body_good_links_pass);
  tcase_add_test(tr, praxis_needs_invented_note);
  tcase_add_test(tr, praxis_real_needs_sources_and_names_warn);
  tcase_add_test(tr, fall_only_for_praxis);
  tcase_add_test(tr, gilt_bis_warns_before_and_after);
  tcase_add_test(tr, gilt_bis_expired_warns);
  suite_add_tcase(s, tr);

  return tu_run_suite(s);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-rules.c - the rules of corpus/regeln/ (kb_rules.h): the shipped
 * rules load and answer "the rule for field F on date D" across the
 * changes of 2025 (levy rates) and 2027 (sick-child days); broken files,
 * overlaps and gaps are errors with file and line; lint warns before a
 * rule runs out and errors when a calculator has no rule for today; the
 * JSON form round-trips; and an article's figure quoted from a rule
 * follows the rule when the rule changes.
 */
#define _DEFAULT_SOURCE /* timegm */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kb_article.h"
#include "kb_calc.h"
#include "kb_rules.h"
#include "testutil.h"

static kb_diags diags;
static char tmpdir[1024];

static void setup(void) {
  kb_diags_init(&diags);
  tu_scratch_dir(tmpdir, sizeof tmpdir, "test-rules");
}

static void teardown(void) {
  kb_diags_release(&diags);
  tu_remove_tree(tmpdir);
}

static void dump(void) {
  for (size_t i = 0; i < diags.n; i++)
    fprintf(stderr, "  %s:%u: [%s] %s\n", diags.items[i].path,
            diags.items[i].line, diags.items[i].code, diags.items[i].message);
}

static kb_rules *load_shipped(void) {
  char dir[2048];
  const char *root = getenv("TEILHABE_SOURCE_ROOT");
  snprintf(dir, sizeof dir, "%s/corpus/regeln",
           root && *root ? root : TEST_SOURCE_ROOT);
  kb_rules *rs = NULL;
  kb_status st = kb_rules_load_dir(dir, &rs, &diags);
  dump();
  ck_assert_int_eq(st, KB_OK);
  ck_assert_uint_eq(diags.errors, 0);
  return rs;
}

/* One rule in YAML; `until` may be NULL (open end). */
static void rule_yaml(char *buf, size_t cap, const char *field,
                      const char *value, const char *from, const char *until) {
  snprintf(buf, cap,
           "  - feld: %s\n    titel: Testzahl\n    wert: %s\n"
           "    einheit: euro\n    norm: \"§ 160 Abs. 2 SGB IX\"\n"
           "    gilt_ab: %s\n%s%s%s    quelle:\n"
           "      url: https://www.gesetze-im-internet.de/sgb_9_2018/"
           "__160.html\n      titel: \"§ 160 SGB IX\"\n",
           field, value, from, until ? "    gilt_bis: " : "",
           until ? until : "", until ? "\n" : "");
}

/* Parses `text` as one rules file and validates the set. */
static size_t parse_set(const char *text, kb_rules *rs) {
  size_t e = kb_rules_parse(rs, "regeln/test.yaml", text, strlen(text), &diags);
  if (e == 0)
    e += kb_rules_validate(rs, &diags);
  dump();
  return e;
}

static void rules_clear(kb_rules *rs) {
  kb_rules *heap = malloc(sizeof *heap);
  *heap = *rs;
  kb_rules_free(heap);
  *rs = (kb_rules){0};
}

static bool has_code(const char *code, kb_severity sev) {
  for (size_t i = 0; i < diags.n; i++)
    if (strcmp(diags.items[i].code, code) == 0 &&
        diags.items[i].severity == sev)
      return true;
  return false;
}

/* ---- the shipped rules ---------------------------------------------- */

START_TEST(shipped_levy_rates_change_in_2025) {
  kb_rules *rs = load_shipped();
  /* BIH, "Neue Sätze für Ausgleichsabgabe veröffentlicht": 140/245/360/720
   * euros until 2024, 155/275/405/815 from 1 January 2025. */
  static const struct {
    const char *field;
    int64_t y2024, y2025;
  } bands[] = {
      {"ausgleichsabgabe.stufe1", 14000, 15500},
      {"ausgleichsabgabe.stufe2", 24500, 27500},
      {"ausgleichsabgabe.stufe3", 36000, 40500},
      {"ausgleichsabgabe.stufe4", 72000, 81500},
      {"ausgleichsabgabe.unter40_null", 21000, 23500},
      {"ausgleichsabgabe.unter60_null", 41000, 46500},
  };
  for (size_t i = 0; i < sizeof bands / sizeof *bands; i++) {
    const kb_rule *a = kb_rules_find(rs, bands[i].field, "2024-12-31");
    const kb_rule *b = kb_rules_find(rs, bands[i].field, "2025-01-01");
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(a->value, bands[i].y2024);
    ck_assert_int_eq(b->value, bands[i].y2025);
    ck_assert_str_eq(a->gilt_bis, "2024-12-31");
    ck_assert_str_eq(b->gilt_bis, ""); /* open until new rates */
    ck_assert_ptr_nonnull(strstr(b->norm, "§ 160"));
    ck_assert_int_eq(strncmp(b->source_url, "https://", 8), 0);
  }
  /* No levy rates are kept for 2023: the calculator must not guess. */
  ck_assert_ptr_null(
      kb_rules_find(rs, "ausgleichsabgabe.stufe1", "2023-12-31"));
  /* The quota of § 154 Abs. 1 SGB IX: 5 %. */
  ck_assert_int_eq(
      kb_rules_find(rs, "beschaeftigungspflicht.quote", "2026-12-06")->value,
      500);
  kb_rules_free(rs);
}
END_TEST

START_TEST(shipped_sick_child_days_change_in_2027) {
  kb_rules *rs = load_shipped();
  /* § 45 Abs. 2a SGB V (2024-2026): 15 / 30 days, at most 35 / 70;
   * § 45 Abs. 2 SGB V (from 2027): 10 / 20, at most 25 / 50. */
  const char *d26 = "2026-12-31", *d27 = "2027-01-01";
  ck_assert_int_eq(kb_rules_find(rs, "kinderkrankentage.je_kind", d26)->value,
                   1500);
  ck_assert_int_eq(kb_rules_find(rs, "kinderkrankentage.je_kind", d27)->value,
                   1000);
  ck_assert_int_eq(
      kb_rules_find(rs, "kinderkrankentage.hoechstens_alleinerziehend", d26)
          ->value,
      7000);
  ck_assert_int_eq(
      kb_rules_find(rs, "kinderkrankentage.hoechstens_alleinerziehend", d27)
          ->value,
      5000);
  ck_assert_ptr_nonnull(
      kb_rules_find(rs, "kinderkrankentage.je_kind", d27)->note);
  kb_rules_free(rs);
}
END_TEST

START_TEST(shipped_rules_cover_every_calculator_field) {
  kb_rules *rs = load_shipped();
  ck_assert_uint_eq(
      kb_rules_lint(rs, "2025-06-01", kb_levy_fields, KB_LEVY_NFIELDS, &diags),
      0);
  ck_assert_uint_eq(
      kb_rules_lint(rs, "2025-06-01", kb_kkt_fields, KB_KKT_NFIELDS, &diags),
      0);
  ck_assert_uint_eq(
      kb_rules_lint(rs, "2030-01-01", kb_levy_fields, KB_LEVY_NFIELDS, &diags),
      0);
  ck_assert_uint_eq(diags.n, 0); /* every field has an open-ended rule */
  /* In 2023 the levy calculator has no rates: an error per band. */
  ck_assert_uint_gt(
      kb_rules_lint(rs, "2023-06-01", kb_levy_fields, KB_LEVY_NFIELDS, &diags),
      0);
  ck_assert(has_code("rule-missing", KB_SEV_ERROR));
  kb_rules_free(rs);
}
END_TEST

/* ---- parsing and the set -------------------------------------------- */

START_TEST(adjacent_rules_are_valid) {
  char a[1024], b[1024], text[2400];
  rule_yaml(a, sizeof a, "x.y", "140", "2024-01-01", "2024-12-31");
  rule_yaml(b, sizeof b, "x.y", "155,50", "2025-01-01", NULL);
  snprintf(text, sizeof text, "regeln:\n%s%s", b, a); /* any order */
  kb_rules rs = {0};
  ck_assert_uint_eq(parse_set(text, &rs), 0);
  ck_assert_uint_eq(rs.n, 2);
  ck_assert_int_eq(kb_rules_find(&rs, "x.y", "2024-01-01")->value, 14000);
  ck_assert_int_eq(kb_rules_find(&rs, "x.y", "2099-01-01")->value, 15550);
  ck_assert_ptr_null(kb_rules_find(&rs, "x.y", "2023-12-31"));
  ck_assert_ptr_null(kb_rules_find(&rs, "x.z", "2024-06-01"));
  rules_clear(&rs);
}
END_TEST

START_TEST(overlap_is_an_error) {
  char a[1024], b[1024], text[2400];
  rule_yaml(a, sizeof a, "x.y", "140", "2024-01-01", "2025-03-31");
  rule_yaml(b, sizeof b, "x.y", "155", "2025-01-01", NULL);
  snprintf(text, sizeof text, "regeln:\n%s%s", a, b);
  kb_rules rs = {0};
  ck_assert_uint_eq(parse_set(text, &rs), 1);
  ck_assert(has_code("overlap", KB_SEV_ERROR));
  ck_assert_uint_eq(diags.items[0].line, 12); /* the later rule */
  rules_clear(&rs);
}
END_TEST

START_TEST(open_end_before_another_is_an_overlap) {
  char a[1024], b[1024], text[2400];
  rule_yaml(a, sizeof a, "x.y", "140", "2024-01-01", NULL);
  rule_yaml(b, sizeof b, "x.y", "155", "2025-01-01", NULL);
  snprintf(text, sizeof text, "regeln:\n%s%s", a, b);
  kb_rules rs = {0};
  ck_assert_uint_eq(parse_set(text, &rs), 1);
  ck_assert(has_code("overlap", KB_SEV_ERROR));
  rules_clear(&rs);
}
END_TEST

START_TEST(gap_is_an_error) {
  char a[1024], b[1024], text[2400];
  rule_yaml(a, sizeof a, "x.y", "140", "2024-01-01", "2024-11-30");
  rule_yaml(b, sizeof b, "x.y", "155", "2025-01-01", NULL);
  snprintf(text, sizeof text, "regeln:\n%s%s", a, b);
  kb_rules rs = {0};
  ck_assert_uint_eq(parse_set(text, &rs), 1);
  ck_assert(has_code("gap", KB_SEV_ERROR));
  ck_assert_ptr_nonnull(strstr(diags.items[0].message, "2024-12-01"));
  rules_clear(&rs);
}
END_TEST

START_TEST(broken_rules_named_with_line) {
  static const struct {
    const char *text;
    const char *code;
    unsigned line;
    const char *needle;
  } cases[] = {
      {"regeln:\n  - feld: x.y\n    titel: T\n    wert: 1\n    einheit: "
       "euro\n    norm: N\n    gilt_ab: 2024-02-30\n    quelle: {url: "
       "\"https://a.de\", titel: Q}\n",
       "bad-date", 7, "2024-02-30"},
      {"regeln:\n  - feld: x.y\n    titel: T\n    wert: 1,555\n    einheit: "
       "euro\n    norm: N\n    gilt_ab: 2024-01-01\n    quelle: {url: "
       "\"https://a.de\", titel: Q}\n",
       "bad-value", 4, "two decimal"},
      {"regeln:\n  - feld: x.y\n    titel: T\n    wert: 1\n    einheit: "
       "dollar\n    norm: N\n    gilt_ab: 2024-01-01\n    quelle: {url: "
       "\"https://a.de\", titel: Q}\n",
       "bad-value", 5, "dollar"},
      {"regeln:\n  - feld: x.y\n    titel: T\n    wert: 1\n    einheit: "
       "euro\n    norm: N\n    gilt_ab: 2024-01-01\n    gilt_bsi: "
       "2024-12-31\n    quelle: {url: \"https://a.de\", titel: Q}\n",
       "unknown-field", 8, "did you mean 'gilt_bis'"},
      {"regeln:\n  - feld: x.y\n    titel: T\n    wert: 1\n    einheit: "
       "euro\n    gilt_ab: 2024-01-01\n    quelle: {url: \"https://a.de\", "
       "titel: Q}\n",
       "missing-field", 2, "'norm'"},
      {"regeln:\n  - feld: x.y\n    titel: T\n    wert: 1\n    einheit: "
       "euro\n    norm: N\n    gilt_ab: 2024-01-01\n    gilt_bis: "
       "2023-12-31\n    quelle: {url: \"https://a.de\", titel: Q}\n",
       "bad-date", 8, "before"},
      {"regeln:\n  - feld: X Y\n    titel: T\n    wert: 1\n    einheit: "
       "euro\n    norm: N\n    gilt_ab: 2024-01-01\n    quelle: {url: "
       "\"https://a.de\", titel: Q}\n",
       "bad-value", 2, "lowercase"},
      {"regeln:\n  - feld: x.y\n    titel: T\n    wert: 1\n    einheit: "
       "euro\n    norm: N\n    gilt_ab: 2024-01-01\n    quelle: {url: "
       "\"http://a.de\", titel: Q}\n",
       "bad-value", 8, "https://"},
      {"rules: []\n", "missing-field", 1, "regeln"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    kb_diags_release(&diags);
    kb_diags_init(&diags);
    kb_rules rs = {0};
    size_t e = kb_rules_parse(&rs, "regeln/x.yaml", cases[i].text,
                              strlen(cases[i].text), &diags);
    dump();
    ck_assert_msg(e == 1, "case %zu: %zu errors", i, e);
    ck_assert_str_eq(diags.items[0].code, cases[i].code);
    ck_assert_uint_eq(diags.items[0].line, cases[i].line);
    ck_assert_msg(strstr(diags.items[0].message, cases[i].needle),
                  "case %zu: '%s'", i, diags.items[0].message);
    ck_assert_uint_eq(rs.n, 0); /* a broken rule is never kept */
    rules_clear(&rs);
  }
}
END_TEST

START_TEST(missing_folder_is_an_empty_set) {
  char dir[1200];
  snprintf(dir, sizeof dir, "%s/nothing", tmpdir);
  kb_rules *rs = NULL;
  ck_assert_int_eq(kb_rules_load_dir(dir, &rs, &diags), KB_OK);
  ck_assert_uint_eq(rs->n, 0);
  kb_rules_free(rs);
}
END_TEST

/* ---- lint and today ------------------------------------------------- */

/* "YYYY-MM-DD" `days` from today. */
static void day_from_today(long days, char out[11]) {
  char today[11];
  kb_date_today(today);
  int y, m, d;
  sscanf(today, "%d-%d-%d", &y, &m, &d);
  struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
  tm.tm_mday += (int)days;
  tm.tm_hour = 12;
  time_t t = timegm(&tm);
  gmtime_r(&t, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
  ck_assert_int_eq(kb_date_diff(today, out), days);
}

START_TEST(lint_warns_before_a_rule_runs_out) {
  char until[11], from[11], today[11], a[1024], text[1200];
  kb_date_today(today);
  day_from_today(-400, from);
  day_from_today(30, until);
  rule_yaml(a, sizeof a, "x.y", "10", from, until);
  snprintf(text, sizeof text, "regeln:\n%s", a);
  kb_rules rs = {0};
  ck_assert_uint_eq(parse_set(text, &rs), 0);
  const char *needed[] = {"x.y"};
  ck_assert_uint_eq(kb_rules_lint(&rs, today, needed, 1, &diags), 0);
  ck_assert(has_code("rule-expires", KB_SEV_WARNING));
  ck_assert_uint_eq(diags.errors, 0);
  ck_assert_ptr_nonnull(strstr(diags.items[0].message, "30 days"));
  /* 91 days ahead is outside KB_RULES_WARN_DAYS: nothing to say. */
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  rules_clear(&rs);
  day_from_today(KB_RULES_WARN_DAYS + 1, until);
  rule_yaml(a, sizeof a, "x.y", "10", from, until);
  snprintf(text, sizeof text, "regeln:\n%s", a);
  ck_assert_uint_eq(parse_set(text, &rs), 0);
  ck_assert_uint_eq(kb_rules_lint(&rs, today, needed, 1, &diags), 0);
  ck_assert_uint_eq(diags.n, 0);
  rules_clear(&rs);
}
END_TEST

START_TEST(lint_errors_after_a_rule_ran_out) {
  char until[11], from[11], today[11], a[1024], text[1200];
  kb_date_today(today);
  day_from_today(-400, from);
  day_from_today(-1, until);
  rule_yaml(a, sizeof a, "x.y", "10", from, until);
  snprintf(text, sizeof text, "regeln:\n%s", a);
  kb_rules rs = {0};
  ck_assert_uint_eq(parse_set(text, &rs), 0);
  const char *needed[] = {"x.y"};
  ck_assert_uint_eq(kb_rules_lint(&rs, today, needed, 1, &diags), 1);
  ck_assert(has_code("rule-expired", KB_SEV_WARNING));
  ck_assert(has_code("rule-missing", KB_SEV_ERROR));
  ck_assert_uint_eq(diags.items[1].line, 2); /* where the rule stands */
  /* A field no calculator reads is only warned about. */
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  ck_assert_uint_eq(kb_rules_lint(&rs, today, NULL, 0, &diags), 0);
  ck_assert(has_code("rule-expired", KB_SEV_WARNING));
  rules_clear(&rs);
}
END_TEST

START_TEST(lint_quiet_when_a_rule_follows) {
  char until[11], from[11], next[11], today[11], a[1024], b[1024], text[2400];
  kb_date_today(today);
  day_from_today(-400, from);
  day_from_today(10, until);
  day_from_today(11, next);
  rule_yaml(a, sizeof a, "x.y", "10", from, until);
  rule_yaml(b, sizeof b, "x.y", "12", next, NULL);
  snprintf(text, sizeof text, "regeln:\n%s%s", a, b);
  kb_rules rs = {0};
  ck_assert_uint_eq(parse_set(text, &rs), 0);
  const char *needed[] = {"x.y"};
  ck_assert_uint_eq(kb_rules_lint(&rs, today, needed, 1, &diags), 0);
  ck_assert_uint_eq(diags.n, 0);
  rules_clear(&rs);
}
END_TEST

/* ---- values, JSON ---------------------------------------------------- */

START_TEST(german_number_format) {
  static const struct {
    int64_t h;
    const char *s;
  } cases[] = {{15500, "155"},
               {50, "0,5"},
               {25, "0,25"},
               {0, "0"},
               {489000 * 10, "48.900"},
               {123456700, "1.234.567"},
               {100005, "1.000,05"}};
  char buf[32];
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    kb_decimal_format(cases[i].h, buf, sizeof buf);
    ck_assert_str_eq(buf, cases[i].s);
  }
  /* The one decimal parser: what a form or a rule may hold. */
  static const struct {
    const char *s;
    bool ok;
    int64_t h;
  } in[] = {{"20,5", true, 2050},
            {"20.5", true, 2050},
            {"0,25", true, 25},
            {"7", true, 700},
            {"100", true, 10000},
            {"101", false, 0},
            {"-1", false, 0},
            {" 1", false, 0},
            {"1,", false, 0},
            {",5", false, 0},
            {"1,234", false, 0},
            {"1e2", false, 0},
            {"", false, 0},
            {"1.2.3", false, 0},
            {"99999999999999999999", false, 0}};
  for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
    int64_t v = -1;
    ck_assert_msg(kb_decimal_parse(in[i].s, 100, &v) == in[i].ok, "'%s'",
                  in[i].s);
    if (in[i].ok)
      ck_assert_int_eq(v, in[i].h);
  }
}
END_TEST

START_TEST(json_round_trip) {
  kb_rules *rs = load_shipped();
  json_t *j = kb_rules_to_json(rs);
  ck_assert_ptr_nonnull(j);
  kb_rules *back = NULL;
  char *err = NULL;
  ck_assert_int_eq(kb_rules_from_json(j, &back, &err), KB_OK);
  ck_assert_uint_eq(back->n, rs->n);
  for (size_t i = 0; i < rs->n; i++) {
    ck_assert_str_eq(back->v[i].field, rs->v[i].field);
    ck_assert_int_eq(back->v[i].value, rs->v[i].value);
    ck_assert_str_eq(back->v[i].gilt_ab, rs->v[i].gilt_ab);
    ck_assert_str_eq(back->v[i].gilt_bis, rs->v[i].gilt_bis);
    ck_assert_str_eq(back->v[i].source_url, rs->v[i].source_url);
  }
  json_decref(j);
  j = json_pack("[{s:s}]", "field", "x.y"); /* no dates, no value */
  kb_rules *broken = NULL;
  ck_assert_int_eq(kb_rules_from_json(j, &broken, &err), KB_ERR_PARSE);
  ck_assert_ptr_null(broken);
  ck_assert_ptr_nonnull(err);
  free(err);
  json_decref(j);
  kb_rules_free(back);
  kb_rules_free(rs);
}
END_TEST

/* ---- figures in article bodies --------------------------------------- */

START_TEST(expand_dated_and_undated_figures) {
  char a[1024], b[1024], text[2400], today[11];
  kb_date_today(today);
  rule_yaml(a, sizeof a, "x.y", "140", "2024-01-01", "2024-12-31");
  rule_yaml(b, sizeof b, "x.y", "155", "2025-01-01", NULL);
  snprintf(text, sizeof text, "regeln:\n%s%s", a, b);
  kb_rules rs = {0};
  ck_assert_uint_eq(parse_set(text, &rs), 0);
  const char body[] = "Heute {{regel:x.y}} €, 2024 {{regel:x.y@2024-06-30}} €.";
  char *out = NULL, until[11];
  ck_assert_int_eq(
      kb_rules_expand(&rs, body, strlen(body), today, &out, until, NULL),
      KB_OK);
  ck_assert_str_eq(out, "Heute 155 €, 2024 140 €.");
  ck_assert_str_eq(until, ""); /* today's rule has no end */
  free(out);
  /* On a day in 2024 the undated figure is 140 and ends with its rule. */
  ck_assert_int_eq(
      kb_rules_expand(&rs, body, strlen(body), "2024-03-01", &out, until, NULL),
      KB_OK);
  ck_assert_str_eq(out, "Heute 140 €, 2024 140 €.");
  ck_assert_str_eq(until, "2024-12-31");
  free(out);
  char *err = NULL;
  const char bad[] = "{{regel:x.z}}";
  ck_assert_int_eq(
      kb_rules_expand(&rs, bad, strlen(bad), today, &out, until, &err),
      KB_ERR_NOT_FOUND);
  ck_assert_ptr_nonnull(strstr(err, "x.z"));
  free(err);
  rules_clear(&rs);
}
END_TEST

/* A scratch corpus with the fixture's schema and vocabulary and one rule
 * "test.satz" of `value` that ends on `until` (NULL: open). */
static kb_vocab *corpus_with_rule(const char *value, const char *until) {
  char fixture[1024], regeln[1200], a[1024], text[1200];
  tu_fixture_dir(fixture, sizeof fixture);
  tu_copy_schema(tmpdir);
  tu_copy_file(fixture, tmpdir, "vocab.yaml");
  snprintf(regeln, sizeof regeln, "%s/regeln", tmpdir);
  mkdir(regeln, 0755);
  rule_yaml(a, sizeof a, "test.satz", value, "2020-01-01", until);
  snprintf(text, sizeof text, "regeln:\n%s", a);
  tu_write_file(regeln, "test.yaml", text);
  kb_vocab *v = NULL;
  kb_status st = kb_vocab_load(tmpdir, &v, &diags);
  dump();
  ck_assert_int_eq(st, KB_OK);
  return v;
}

static const char article[] =
    "---\nid: satz-artikel\ntitle: Ein Satz\ntype: recht\n"
    "summary: Ein Satz aus einer Regel.\naudience: [arbeitgeber]\n"
    "norms: [\"§ 160 SGB IX\"]\nupdated: 2026-01-01\n---\n"
    "Der Satz beträgt {{regel:test.satz}} Euro im Monat.\n";

static char *render_with(kb_vocab *v, kb_article **ret) {
  kb_article *a = NULL;
  kb_status st = kb_article_parse("recht/satz-artikel.md", article,
                                  strlen(article), v, &a, &diags);
  dump();
  ck_assert_int_eq(st, KB_OK);
  char *html = NULL;
  ck_assert_int_eq(kb_article_render(a, &html, NULL, NULL), KB_OK);
  *ret = a;
  return html;
}

START_TEST(article_figure_follows_the_rule) {
  kb_vocab *v = corpus_with_rule("155", NULL);
  kb_article *a = NULL;
  char *html = render_with(v, &a);
  ck_assert_ptr_nonnull(strstr(html, "Der Satz beträgt 155 Euro"));
  ck_assert_ptr_null(strstr(html, "regel:"));
  ck_assert_ptr_null(
      kb_article_value(a, kb_schema_field(a->schema, "gilt_bis")));
  free(html);
  kb_article_free(a);
  kb_vocab_free(v);
  /* The librarian changes the rule; the same article now says 170. */
  v = corpus_with_rule("170", NULL);
  html = render_with(v, &a);
  ck_assert_ptr_nonnull(strstr(html, "Der Satz beträgt 170 Euro"));
  free(html);
  kb_article_free(a);
  kb_vocab_free(v);
}
END_TEST

START_TEST(article_gets_the_rules_end_as_expiry) {
  char until[11];
  day_from_today(200, until);
  kb_vocab *v = corpus_with_rule("155", until);
  kb_article *a = NULL;
  char *html = render_with(v, &a);
  size_t f = kb_schema_field(a->schema, "gilt_bis");
  ck_assert_str_eq(kb_article_value(a, f), until);
  free(html);
  kb_article_free(a);
  kb_vocab_free(v);
}
END_TEST

START_TEST(article_refers_to_unknown_rule) {
  kb_vocab *v = corpus_with_rule("155", NULL);
  static const char bad[] =
      "---\nid: satz-artikel\ntitle: Ein Satz\ntype: recht\n"
      "summary: Ein Satz.\naudience: [arbeitgeber]\n"
      "norms: [\"§ 160 SGB IX\"]\nupdated: 2026-01-01\n---\n"
      "Text.\n\nDer Satz: {{regel:test.satzz}} und "
      "{{regel:test.satz@2019-01-01}}"
      " und {{regel:test.satz\n";
  kb_article *a = NULL;
  ck_assert_int_eq(
      kb_article_parse("recht/x.md", bad, strlen(bad), v, &a, &diags),
      KB_ERR_PARSE);
  ck_assert_uint_eq(diags.errors, 3);
  for (size_t i = 0; i < diags.n; i++) {
    ck_assert_str_eq(diags.items[i].code, "rule-ref");
    ck_assert_uint_eq(diags.items[i].line, 12);
  }
  kb_vocab_free(v);
}
END_TEST

int main(void) {
  Suite *s = suite_create("rules");
  TCase *t = tcase_create("rules");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, shipped_levy_rates_change_in_2025);
  tcase_add_test(t, shipped_sick_child_days_change_in_2027);
  tcase_add_test(t, shipped_rules_cover_every_calculator_field);
  tcase_add_test(t, adjacent_rules_are_valid);
  tcase_add_test(t, overlap_is_an_error);
  tcase_add_test(t, open_end_before_another_is_an_overlap);
  tcase_add_test(t, gap_is_an_error);
  tcase_add_test(t, broken_rules_named_with_line);
  tcase_add_test(t, missing_folder_is_an_empty_set);
  tcase_add_test(t, lint_warns_before_a_rule_runs_out);
  tcase_add_test(t, lint_errors_after_a_rule_ran_out);
  tcase_add_test(t, lint_quiet_when_a_rule_follows);
  tcase_add_test(t, german_number_format);
  tcase_add_test(t, json_round_trip);
  tcase_add_test(t, expand_dated_and_undated_figures);
  tcase_add_test(t, article_figure_follows_the_rule);
  tcase_add_test(t, article_gets_the_rules_end_as_expiry);
  tcase_add_test(t, article_refers_to_unknown_rule);
  suite_add_tcase(s, t);
  return tu_run_suite(s);
}

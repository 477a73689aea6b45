/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-calc.c - the two calculators (kb_calc.h) over the shipped rules
 * of corpus/regeln/, with worked cases whose figures come from the named
 * sources:
 *
 *  [BIH]   BIH, "Neue Sätze für Ausgleichsabgabe veröffentlicht"
 *          (bih.de): 140/245/360/720 euros until 2024, 155/275/405/815
 *          from 1 January 2025, none below 20 jobs.
 *  [DEHOGA] DEHOGA Bayern, "Ausgleichsabgabe nach neuer
 *          Berechnungsgrundlage": small employers from 2025 - below 40
 *          jobs 155 / 235 (none employed), below 60 jobs 155 / 275 / 465,
 *          and the 2024 amounts 140 / 210, 140 / 245 / 410.
 *  [BIG]   BIG direkt gesund, "Inklusionsabgabe steigt": 0 % from 2024:
 *          210 (20-39 jobs), 410 (40-59), 720 (60 and more).
 *  [REHADAT] REHADAT-Ausgleichsabgabe, "Vorschriften": the yearly sum of
 *          unfilled Pflichtplätze times the rate of the quota's band.
 *  [157]   § 157 Abs. 2 SGB IX (gesetze-im-internet.de): fractions of 0,5
 *          and more rounded up, below 60 jobs down; § 157 Abs. 1:
 *          trainees' places do not count.
 *  [154]   § 154 Abs. 1 SGB IX: 5 % from 20 jobs; one place below 40,
 *          two below 60.
 *  [159]   § 159 Abs. 2 SGB IX: a severely disabled trainee counts on two
 *          places (Schell, SGB IX § 157 Rz. 3, haufe.de).
 *  [45]    § 45 Abs. 2 and 2a SGB V (gesetze-im-internet.de): 15 days per
 *          child and parent, 30 for single parents, at most 35 / 70, in
 *          2024-2026 (2026: Heimat Krankenkasse, "Kinderkrankengeld:
 *          Erweiterter Anspruch verlängert"; epd/Evangelische Zeitung for
 *          2024/2025); from 2027 10 / 20, at most 25 / 50 (DVBS, quoting
 *          § 45 Abs. 2 SGB V).
 *  [ART]   corpus/recht/ausgleichsabgabe.md's and kinderkrankengeld.md's
 *          worked examples, fact-checked on 6.12.2026.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_calc.h"
#include "testutil.h"

static kb_rules *rules;
static kb_diags diags;

static void setup(void) {
  char dir[2048];
  const char *root = getenv("TEILHABE_SOURCE_ROOT");
  snprintf(dir, sizeof dir, "%s/corpus/regeln",
           root && *root ? root : TEST_SOURCE_ROOT);
  kb_diags_init(&diags);
  rules = NULL;
  ck_assert_int_eq(kb_rules_load_dir(dir, &rules, &diags), KB_OK);
}

static void teardown(void) {
  kb_rules_free(rules);
  kb_diags_release(&diags);
}

/* ---- Ausgleichsabgabe ------------------------------------------------ */

typedef struct levy_case {
  const char *source; /* where the figures come from */
  int year;
  int64_t jobs, disabled, trainees; /* hundredths */
  int64_t required, unfilled;       /* places per month, hundredths */
  int64_t rate;                     /* euros, in cents */
  int64_t per_year;                 /* cents */
} levy_case;

static const levy_case levy_cases[] = {
    /* 100 jobs, 2 employed: 5 places, 3 unfilled, quota 2 %:
     * 36 x 275 = 9.900 euros for 2025 [ART][BIH][REHADAT] */
    {"ART/BIH 2025, quota 2 %", 2025, 10000, 200, 0, 500, 300, 27500, 990000},
    /* ... nobody employed: 60 x 815 = 48.900 [ART][BIH] */
    {"ART/BIH 2025, quota 0 %", 2025, 10000, 0, 0, 500, 500, 81500, 4890000},
    /* ... three employed, quota 3 %: 24 x 155 = 3.720 [ART][BIH] */
    {"ART/BIH 2025, quota 3 %", 2025, 10000, 300, 0, 500, 200, 15500, 372000},
    /* The same firm in 2024 with the old rates [BIH]: 36 x 245 */
    {"BIH 2024, quota 2 %", 2024, 10000, 200, 0, 500, 300, 24500, 882000},
    {"BIG 2024, 60+ jobs at 0 %", 2024, 10000, 0, 0, 500, 500, 72000, 4320000},
    /* 400 jobs, 4 employed: 20 places, quota 1 % -> 405 [BIH] */
    {"BIH 2025, quota 1 %", 2025, 40000, 400, 0, 2000, 1600, 40500, 7776000},
    /* Small employers [DEHOGA][BIG][154] */
    {"DEHOGA 2025, 30 jobs, none", 2025, 3000, 0, 0, 100, 100, 23500, 282000},
    {"DEHOGA 2025, 30 jobs, 0,5", 2025, 3000, 50, 0, 100, 50, 15500, 93000},
    {"BIG 2024, 30 jobs, none", 2024, 3000, 0, 0, 100, 100, 21000, 252000},
    {"DEHOGA 2025, 50 jobs, none", 2025, 5000, 0, 0, 200, 200, 46500, 1116000},
    {"BIG 2024, 50 jobs, none", 2024, 5000, 0, 0, 200, 200, 41000, 984000},
    {"DEHOGA 2025, 50 jobs, 0,5", 2025, 5000, 50, 0, 200, 150, 27500, 495000},
    {"DEHOGA 2025, 50 jobs, one", 2025, 5000, 100, 0, 200, 100, 15500, 186000},
    {"DEHOGA 2024, 50 jobs, one", 2024, 5000, 100, 0, 200, 100, 14000, 168000},
    /* Rounding [157]: 70 jobs give 3,5 -> 4 places, 69 give 3,45 -> 3;
     * 1 employed of 70 is a quota of 1,43 % -> 405 [BIH] */
    {"157 rounding up at 70", 2025, 7000, 100, 0, 400, 300, 40500, 1458000},
    {"157 rounding down at 69", 2025, 6900, 100, 0, 300, 200, 40500, 972000},
    /* A trainee counts twice [159]: 1 + 2 = 3 of 100 -> quota 3 % */
    {"159 trainee counts twice", 2025, 10000, 100, 100, 500, 200, 15500,
     372000},
    /* Quota reached: 200 jobs, 10 employed -> nothing to pay [154] */
    {"154 quota reached", 2025, 20000, 1000, 0, 1000, 0, 0, 0},
};

START_TEST(levy_worked_cases) {
  const levy_case *c = &levy_cases[_i];
  kb_levy_input in = {.year = c->year,
                      .jobs = c->jobs,
                      .disabled = c->disabled,
                      .trainees = c->trainees};
  kb_levy_result r;
  char *err = NULL;
  kb_status st = kb_calc_levy(rules, &in, &r, &err);
  ck_assert_msg(st == KB_OK, "%s: %s", c->source, err ? err : "");
  ck_assert_msg(r.obliged, "%s", c->source);
  ck_assert_msg(r.required == c->required, "%s: required %lld", c->source,
                (long long)r.required);
  ck_assert_msg(r.unfilled == c->unfilled, "%s: unfilled %lld", c->source,
                (long long)r.unfilled);
  ck_assert_msg(r.rate == c->rate, "%s: rate %lld", c->source,
                (long long)r.rate);
  ck_assert_msg(r.per_year == c->per_year, "%s: per year %lld", c->source,
                (long long)r.per_year);
  ck_assert_int_eq(r.per_month * 12, r.per_year);
  ck_assert_uint_gt(r.nused, 0);
}
END_TEST

START_TEST(levy_quota_in_percent) {
  /* 2 of 100 is 2 %; 1 of 70 is 1,43 % (rounded half up) */
  kb_levy_input in = {.year = 2025, .jobs = 10000, .disabled = 200};
  kb_levy_result r;
  ck_assert_int_eq(kb_calc_levy(rules, &in, &r, NULL), KB_OK);
  ck_assert_int_eq(r.quote, 200);
  in = (kb_levy_input){.year = 2025, .jobs = 7000, .disabled = 100};
  ck_assert_int_eq(kb_calc_levy(rules, &in, &r, NULL), KB_OK);
  ck_assert_int_eq(r.quote, 143);
}
END_TEST

START_TEST(levy_below_twenty_jobs_owes_nothing) {
  /* [BIH]: fewer than 20 jobs pay no levy; 19,99 is still fewer. */
  kb_levy_input in = {.year = 2025, .jobs = 1999, .disabled = 0};
  kb_levy_result r;
  ck_assert_int_eq(kb_calc_levy(rules, &in, &r, NULL), KB_OK);
  ck_assert(!r.obliged);
  ck_assert_int_eq(r.required, 0);
  ck_assert_int_eq(r.per_year, 0);
  in.jobs = 2000;
  ck_assert_int_eq(kb_calc_levy(rules, &in, &r, NULL), KB_OK);
  ck_assert(r.obliged);
  ck_assert_int_eq(r.required, 100);
}
END_TEST

START_TEST(levy_one_more_hire) {
  /* What one more hire changes [ART]: 2 -> 3 of 100 in 2025 saves
   * 9.900 - 3.720 = 6.180 euros a year. */
  kb_levy_input in = {.year = 2025, .jobs = 10000, .disabled = 200};
  kb_levy_result now, more;
  ck_assert_int_eq(kb_calc_levy(rules, &in, &now, NULL), KB_OK);
  in.disabled += 100;
  ck_assert_int_eq(kb_calc_levy(rules, &in, &more, NULL), KB_OK);
  ck_assert_int_eq(now.per_year - more.per_year, 618000);
  ck_assert_int_eq(now.next_per_year, more.per_year);
  ck_assert_int_eq(now.next_quote, 300);
  ck_assert_int_eq(now.next_rate, 15500);
}
END_TEST

START_TEST(levy_needs_rules_for_the_year) {
  kb_levy_input in = {.year = 2023, .jobs = 10000, .disabled = 0};
  kb_levy_result r = {.per_year = -1};
  char *err = NULL;
  ck_assert_int_eq(kb_calc_levy(rules, &in, &r, &err), KB_ERR_NOT_FOUND);
  ck_assert_ptr_nonnull(strstr(err, "2023"));
  ck_assert_int_eq(r.per_year, -1); /* untouched */
  free(err);
  /* 2027: the 2025 rates apply until new ones are announced. */
  in.year = 2027;
  ck_assert_int_eq(kb_calc_levy(rules, &in, &r, NULL), KB_OK);
  ck_assert_int_eq(r.rate, 81500);
}
END_TEST

START_TEST(levy_refuses_out_of_bounds) {
  kb_levy_result r;
  char *err = NULL;
  kb_levy_input in = {.year = 2025, .jobs = -1};
  ck_assert_int_eq(kb_calc_levy(rules, &in, &r, &err), KB_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(err, "arbeitsplaetze"));
  free(err);
  err = NULL;
  in = (kb_levy_input){.year = 2025, .jobs = 100, .disabled = -5};
  ck_assert_int_eq(kb_calc_levy(rules, &in, &r, &err), KB_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(err, "schwerbehinderte"));
  free(err);
  err = NULL;
  in = (kb_levy_input){.year = 99999, .jobs = 100};
  ck_assert_int_eq(kb_calc_levy(rules, &in, &r, &err), KB_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(err, "jahr"));
  free(err);
  /* Multiple counting: at most three places per person (§ 159 Abs. 1),
   * so at most two further places per employee. */
  err = NULL;
  in = (kb_levy_input){
      .year = 2025, .jobs = 10000, .disabled = 100, .extra = 300};
  ck_assert_int_eq(kb_calc_levy(rules, &in, &r, &err), KB_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(err, "mehrfach"));
  free(err);
  in.extra = 200; /* one person on three places: quota 3 % */
  ck_assert_int_eq(kb_calc_levy(rules, &in, &r, NULL), KB_OK);
  ck_assert_int_eq(r.filled, 300);
  ck_assert_int_eq(r.rate, 15500);
  /* The largest input is exact, with no overflow. */
  in = (kb_levy_input){.year = 2025, .jobs = KB_LEVY_JOBS_MAX * 100};
  ck_assert_int_eq(kb_calc_levy(rules, &in, &r, NULL), KB_OK);
  ck_assert_int_eq(r.required, KB_LEVY_JOBS_MAX * 5);
  ck_assert_int_eq(r.per_year, KB_LEVY_JOBS_MAX / 20 * 815 * 12 * 100);
}
END_TEST

/* ---- Kinderkrankentage ----------------------------------------------- */

typedef struct kkt_case {
  const char *source;
  int year, children;
  bool single;
  int per_child, cap, per_year;
} kkt_case;

static const kkt_case kkt_cases[] = {
    {"45 Abs. 2a, 2024, one child", 2024, 1, false, 15, 35, 15},
    {"45 Abs. 2a, 2024, single, one child", 2024, 1, true, 30, 70, 30},
    {"45 Abs. 2a, 2025, two children", 2025, 2, false, 15, 35, 30},
    {"45 Abs. 2a, 2025, three children: cap 35", 2025, 3, false, 15, 35, 35},
    {"ART 2026, two children: 30", 2026, 2, false, 15, 35, 30},
    {"ART 2026, three children: cap 35", 2026, 3, false, 15, 35, 35},
    {"45 Abs. 2a, 2026, single, two children", 2026, 2, true, 30, 70, 60},
    {"45 Abs. 2a, 2026, single, three children: cap 70", 2026, 3, true, 30, 70,
     70},
    {"45 Abs. 2, 2027, one child", 2027, 1, false, 10, 25, 10},
    {"ART 2027, two children: 20", 2027, 2, false, 10, 25, 20},
    {"ART 2027, three children: cap 25", 2027, 3, false, 10, 25, 25},
    {"45 Abs. 2, 2027, single, two children", 2027, 2, true, 20, 50, 40},
    {"45 Abs. 2, 2027, single, three children: cap 50", 2027, 3, true, 20, 50,
     50},
    {"45 Abs. 2, 2030, single, one child", 2030, 1, true, 20, 50, 20},
};

START_TEST(kkt_worked_cases) {
  const kkt_case *c = &kkt_cases[_i];
  kb_kkt_input in = {
      .year = c->year, .children = c->children, .single = c->single};
  kb_kkt_result r;
  char *err = NULL;
  kb_status st = kb_calc_kkt(rules, &in, &r, &err);
  ck_assert_msg(st == KB_OK, "%s: %s", c->source, err ? err : "");
  ck_assert_msg(r.per_child == c->per_child, "%s: per child %d", c->source,
                r.per_child);
  ck_assert_msg(r.cap == c->cap, "%s: cap %d", c->source, r.cap);
  ck_assert_msg(r.per_year == c->per_year, "%s: per year %d", c->source,
                r.per_year);
  ck_assert(r.capped == (c->children * c->per_child > c->cap));
  ck_assert_uint_eq(r.nused, 2);
}
END_TEST

START_TEST(kkt_changes_between_2026_and_2027) {
  kb_kkt_input in = {.year = 2026, .children = 1};
  kb_kkt_result a, b;
  ck_assert_int_eq(kb_calc_kkt(rules, &in, &a, NULL), KB_OK);
  in.year = 2027;
  ck_assert_int_eq(kb_calc_kkt(rules, &in, &b, NULL), KB_OK);
  ck_assert_int_eq(a.per_year, 15);
  ck_assert_int_eq(b.per_year, 10);
  ck_assert_str_eq(a.used[0]->gilt_bis, "2026-12-31");
  ck_assert_str_eq(b.used[0]->gilt_ab, "2027-01-01");
  ck_assert_ptr_nonnull(strstr(b.used[0]->norm, "§ 45 Abs. 2 "));
}
END_TEST

START_TEST(kkt_refuses_bad_input) {
  kb_kkt_result r;
  char *err = NULL;
  kb_kkt_input in = {.year = 2026, .children = 0};
  ck_assert_int_eq(kb_calc_kkt(rules, &in, &r, &err), KB_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(err, "kinder"));
  free(err);
  err = NULL;
  in.children = KB_KKT_CHILDREN_MAX + 1;
  ck_assert_int_eq(kb_calc_kkt(rules, &in, &r, &err), KB_ERR_INVALID);
  free(err);
  err = NULL;
  in = (kb_kkt_input){.year = 2023, .children = 1};
  ck_assert_int_eq(kb_calc_kkt(rules, &in, &r, &err), KB_ERR_NOT_FOUND);
  ck_assert_ptr_nonnull(strstr(err, "2023"));
  free(err);
}
END_TEST

int main(void) {
  Suite *s = suite_create("calc");
  TCase *t = tcase_create("calc");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_loop_test(t, levy_worked_cases, 0,
                      sizeof levy_cases / sizeof *levy_cases);
  tcase_add_test(t, levy_quota_in_percent);
  tcase_add_test(t, levy_below_twenty_jobs_owes_nothing);
  tcase_add_test(t, levy_one_more_hire);
  tcase_add_test(t, levy_needs_rules_for_the_year);
  tcase_add_test(t, levy_refuses_out_of_bounds);
  tcase_add_loop_test(t, kkt_worked_cases, 0,
                      sizeof kkt_cases / sizeof *kkt_cases);
  tcase_add_test(t, kkt_changes_between_2026_and_2027);
  tcase_add_test(t, kkt_refuses_bad_input);
  suite_add_tcase(s, t);
  return tu_run_suite(s);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * calc.c - the levy and sick-child-day calculators (kb_calc.h).
 *
 * The levy follows the yearly method of the Anzeigeverfahren (§ 163 SGB
 * IX): with yearly averages every month has the same jobs and employees,
 * so the Pflichtplätze of a month are rounded once (§ 157 Abs. 2: a
 * fraction of 0,5 or more up from 60 jobs, below that down; below 40 and
 * 60 jobs the fixed numbers of § 154 Abs. 1 Satz 3), the quota is counted
 * places over jobs, and the rate per unfilled place and month follows
 * § 160 Abs. 2 (by quota band, or for employers with fewer than 40 or 60
 * jobs by the number of counted places).
 */
#include "kb_calc.h"

#include <stdio.h>
#include <string.h>

const char *const kb_levy_fields[KB_LEVY_NFIELDS] = {
#define KB_CALC_NAME(e, f) f,
    KB_LEVY_FIELD_TABLE(KB_CALC_NAME)
#undef KB_CALC_NAME
};

const char *const kb_kkt_fields[KB_KKT_NFIELDS] = {
#define KB_CALC_NAME(e, f) f,
    KB_KKT_FIELD_TABLE(KB_CALC_NAME)
#undef KB_CALC_NAME
};

/* The rules of `fields` in force for the whole of `year`, into `out`.
 * A rule that ends or starts within the year is not guessed around. */
static kb_status year_rules(const kb_rules *rs, const char *const *fields,
                            size_t n, int year, const kb_rule **out,
                            char **reterr_msg) {
  char first[16], last[16];
  snprintf(first, sizeof first, "%04d-01-01", year);
  snprintf(last, sizeof last, "%04d-12-31", year);
  for (size_t i = 0; i < n; i++) {
    const kb_rule *a = kb_rules_find(rs, fields[i], first);
    const kb_rule *b = kb_rules_find(rs, fields[i], last);
    if (a == NULL || b == NULL)
      return kb_fail(KB_ERR_NOT_FOUND, reterr_msg,
                     "no rule for '%s' in the whole year %d", fields[i], year);
    if (a != b)
      return kb_fail(KB_ERR_NOT_FOUND, reterr_msg,
                     "the rule for '%s' changes during %d", fields[i], year);
    out[i] = a;
  }
  return KB_OK;
}

static void use(const kb_rule **used, size_t *n, const kb_rule *r) {
  for (size_t i = 0; i < *n; i++)
    if (used[i] == r)
      return;
  if (*n < KB_CALC_MAX_USED)
    used[(*n)++] = r;
}

/* Pflichtplätze per month, in hundredths (always whole places). */
static int64_t required_places(const kb_rule *const *r, int64_t jobs) {
  if (jobs < r[KB_LEVY_SMALL]->value)
    return 100; /* § 154 Abs. 1 Satz 3: one severely disabled person */
  if (jobs < r[KB_LEVY_MEDIUM]->value)
    return 200; /* ... and two below 60 jobs */
  /* jobs (h) * quota (h) / 1e6 = places; the rest decides rounding. */
  int64_t prod = jobs * r[KB_LEVY_QUOTA]->value;
  int64_t whole = prod / 1000000, rest = prod % 1000000;
  if (jobs >= r[KB_LEVY_ROUNDING]->value && 2 * rest >= 1000000)
    whole++;
  return whole * 100;
}

/* The rate per unfilled place and month, with the rule it comes from
 * (NULL: no rate applies) and the band's description. */
static const kb_rule *levy_rate(const kb_rule *const *r, int64_t jobs,
                                int64_t filled, const char **band) {
  if (jobs < r[KB_LEVY_SMALL]->value) {
    *band = filled == 0 ? "weniger als 40 Arbeitsplätze, kein "
                          "schwerbehinderter Mensch beschäftigt"
                        : "weniger als 40 Arbeitsplätze, weniger als ein "
                          "schwerbehinderter Mensch beschäftigt";
    return filled == 0    ? r[KB_LEVY_S40_NONE]
           : filled < 100 ? r[KB_LEVY_S40_UNDER1]
                          : NULL;
  }
  if (jobs < r[KB_LEVY_MEDIUM]->value) {
    *band = filled == 0    ? "weniger als 60 Arbeitsplätze, kein "
                             "schwerbehinderter Mensch beschäftigt"
            : filled < 100 ? "weniger als 60 Arbeitsplätze, weniger als ein "
                             "schwerbehinderter Mensch beschäftigt"
                           : "weniger als 60 Arbeitsplätze, weniger als "
                             "zwei schwerbehinderte Menschen beschäftigt";
    return filled == 0    ? r[KB_LEVY_S60_NONE]
           : filled < 100 ? r[KB_LEVY_S60_UNDER1]
           : filled < 200 ? r[KB_LEVY_S60_UNDER2]
                          : NULL;
  }
  /* quota = filled / jobs * 100 %, compared without rounding:
   * quota >= q  <=>  filled * 10000 >= q(h) * jobs. */
  int64_t f = filled * 10000;
  if (filled == 0) {
    *band = "Beschäftigungsquote 0 %";
    return r[KB_LEVY_BAND4];
  }
  if (f >= r[KB_LEVY_QUOTA]->value * jobs) {
    *band = "Beschäftigungsquote erreicht";
    return NULL;
  }
  if (f >= r[KB_LEVY_BAND1_FROM]->value * jobs) {
    *band = "Beschäftigungsquote 3 % bis unter 5 %";
    return r[KB_LEVY_BAND1];
  }
  if (f >= r[KB_LEVY_BAND2_FROM]->value * jobs) {
    *band = "Beschäftigungsquote 2 % bis unter 3 %";
    return r[KB_LEVY_BAND2];
  }
  *band = "Beschäftigungsquote über 0 % bis unter 2 %";
  return r[KB_LEVY_BAND3];
}

static bool in_range(int64_t v, int64_t max_units) {
  return v >= 0 && v <= max_units * 100;
}

/* The result for `in` with the year's rules `r` (inputs checked). */
static kb_levy_result levy_core(const kb_rule *const *r,
                                const kb_levy_input *in) {
  /* trainees (h) * places (h) / 100 = places (h) */
  int64_t trainee_places = in->trainees * r[KB_LEVY_TRAINEE]->value / 100;
  kb_levy_result res = {.filled = in->disabled + trainee_places + in->extra};
  if (in->trainees > 0)
    use(res.used, &res.nused, r[KB_LEVY_TRAINEE]);
  if (in->extra > 0)
    use(res.used, &res.nused, r[KB_LEVY_MULTIPLE_MAX]);
  use(res.used, &res.nused, r[KB_LEVY_MIN_JOBS]);
  res.obliged = in->jobs >= r[KB_LEVY_MIN_JOBS]->value;
  if (in->jobs > 0) /* rounded half up to hundredths of a percent */
    res.quote = (res.filled * 10000 * 2 + in->jobs) / (2 * in->jobs);
  if (!res.obliged) {
    res.band = "nicht beschäftigungspflichtig";
    return res;
  }
  use(res.used, &res.nused, r[KB_LEVY_QUOTA]);
  use(res.used, &res.nused,
      r[in->jobs < r[KB_LEVY_SMALL]->value    ? KB_LEVY_SMALL
        : in->jobs < r[KB_LEVY_MEDIUM]->value ? KB_LEVY_MEDIUM
                                              : KB_LEVY_ROUNDING]);
  res.required = required_places(r, in->jobs);
  res.unfilled = res.required > res.filled ? res.required - res.filled : 0;
  const kb_rule *rate = levy_rate(r, in->jobs, res.filled, &res.band);
  if (res.unfilled > 0 && rate) {
    use(res.used, &res.nused, rate);
    res.rate = rate->value;
    /* places (h) * euros (h) = 1e4 * euros; cents are 1e2 * euros */
    res.per_month = (res.unfilled * rate->value + 50) / 100;
    res.per_year = 12 * res.per_month;
  } else if (res.unfilled == 0) {
    res.band = "Beschäftigungspflicht erfüllt";
  }
  return res;
}

kb_status kb_calc_levy(const kb_rules *rs, const kb_levy_input *in,
                       kb_levy_result *ret, char **reterr_msg) {
  if (in->year < KB_CALC_YEAR_MIN || in->year > KB_CALC_YEAR_MAX)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "jahr: %d is out of range",
                   in->year);
  if (!in_range(in->jobs, KB_LEVY_JOBS_MAX))
    return kb_fail(KB_ERR_INVALID, reterr_msg, "arbeitsplaetze out of range");
  if (!in_range(in->disabled, KB_LEVY_JOBS_MAX) ||
      !in_range(in->trainees, KB_LEVY_JOBS_MAX) ||
      !in_range(in->extra, KB_LEVY_JOBS_MAX))
    return kb_fail(KB_ERR_INVALID, reterr_msg, "schwerbehinderte out of range");
  const kb_rule *r[KB_LEVY_NFIELDS];
  kb_status st =
      year_rules(rs, kb_levy_fields, KB_LEVY_NFIELDS, in->year, r, reterr_msg);
  if (st != KB_OK)
    return st;
  /* Each employee counts on at most the rule's number of places. */
  int64_t per = r[KB_LEVY_MULTIPLE_MAX]->value / 100 - 1;
  if (in->extra > per * in->disabled)
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "mehrfach: more than %lld further places per severely "
                   "disabled employee",
                   (long long)per);
  kb_levy_result res = levy_core(r, in);
  /* One more severely disabled employee on one of the same jobs. */
  kb_levy_input more = *in;
  more.disabled += 100;
  kb_levy_result next = levy_core(r, &more);
  res.next_quote = next.quote;
  res.next_rate = next.rate;
  res.next_per_year = next.per_year;
  *ret = res;
  return KB_OK;
}

kb_status kb_calc_kkt(const kb_rules *rs, const kb_kkt_input *in,
                      kb_kkt_result *ret, char **reterr_msg) {
  if (in->year < KB_CALC_YEAR_MIN || in->year > KB_CALC_YEAR_MAX)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "jahr: %d is out of range",
                   in->year);
  if (in->children < 1 || in->children > KB_KKT_CHILDREN_MAX)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "kinder: %d is out of range",
                   in->children);
  const kb_rule *r[KB_KKT_NFIELDS];
  kb_status st =
      year_rules(rs, kb_kkt_fields, KB_KKT_NFIELDS, in->year, r, reterr_msg);
  if (st != KB_OK)
    return st;
  const kb_rule *per =
      r[in->single ? KB_KKT_PER_CHILD_SINGLE : KB_KKT_PER_CHILD];
  const kb_rule *cap = r[in->single ? KB_KKT_CAP_SINGLE : KB_KKT_CAP];
  kb_kkt_result res = {.per_child = (int)(per->value / 100),
                       .cap = (int)(cap->value / 100)};
  int64_t all = (int64_t)in->children * res.per_child;
  res.capped = all > res.cap;
  res.per_year = res.capped ? res.cap : (int)all;
  use(res.used, &res.nused, per);
  use(res.used, &res.nused, cap);
  *ret = res;
  return KB_OK;
}

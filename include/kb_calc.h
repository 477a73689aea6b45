/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_calc.h - the two calculators, over the rules of corpus/regeln/:
 *
 *  - the employment obligation and levy (Beschäftigungspflicht,
 *    Ausgleichsabgabe, §§ 154-160 SGB IX) from yearly averages, and
 *  - the sick-child days (Kinderkrankentage, § 45 SGB V) per parent.
 *
 * Every figure comes from a rule (kb_rules.h) in force for the whole
 * chosen year, and the result names the rules it used, so the calculator
 * and the articles quoting the same rules never disagree.  Numbers are
 * fixed-point hundredths throughout (jobs 2050 = 20,5 jobs; money in
 * cents), so the law's averages and the euro amounts are exact.
 *
 * Depends on kb_rules and kb_status; pure computation, never prints.
 */
#ifndef KB_CALC_H
#define KB_CALC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb_rules.h"
#include "kb_status.h"

/* The rules each calculator reads: X(enum, field).  Lint errors when one
 * of them has no rule for today. */
#define KB_LEVY_FIELD_TABLE(X)                                                 \
  X(MIN_JOBS, "beschaeftigungspflicht.mindestzahl")                            \
  X(QUOTA, "beschaeftigungspflicht.quote")                                     \
  X(SMALL, "beschaeftigungspflicht.grenze_ein_pflichtplatz")                   \
  X(MEDIUM, "beschaeftigungspflicht.grenze_zwei_pflichtplaetze")               \
  X(ROUNDING, "beschaeftigungspflicht.grenze_aufrunden")                       \
  X(TRAINEE, "anrechnung.azubi_pflichtplaetze")                                \
  X(MULTIPLE_MAX, "anrechnung.mehrfach_hoechstens")                            \
  X(BAND1_FROM, "ausgleichsabgabe.quote_stufe1_ab")                            \
  X(BAND2_FROM, "ausgleichsabgabe.quote_stufe2_ab")                            \
  X(BAND1, "ausgleichsabgabe.stufe1")                                          \
  X(BAND2, "ausgleichsabgabe.stufe2")                                          \
  X(BAND3, "ausgleichsabgabe.stufe3")                                          \
  X(BAND4, "ausgleichsabgabe.stufe4")                                          \
  X(S40_UNDER1, "ausgleichsabgabe.unter40_weniger_als_1")                      \
  X(S40_NONE, "ausgleichsabgabe.unter40_null")                                 \
  X(S60_UNDER2, "ausgleichsabgabe.unter60_weniger_als_2")                      \
  X(S60_UNDER1, "ausgleichsabgabe.unter60_weniger_als_1")                      \
  X(S60_NONE, "ausgleichsabgabe.unter60_null")

#define KB_KKT_FIELD_TABLE(X)                                                  \
  X(PER_CHILD, "kinderkrankentage.je_kind")                                    \
  X(PER_CHILD_SINGLE, "kinderkrankentage.je_kind_alleinerziehend")             \
  X(CAP, "kinderkrankentage.hoechstens")                                       \
  X(CAP_SINGLE, "kinderkrankentage.hoechstens_alleinerziehend")

typedef enum kb_levy_field {
#define KB_CALC_ENUM(e, f) KB_LEVY_##e,
  KB_LEVY_FIELD_TABLE(KB_CALC_ENUM)
#undef KB_CALC_ENUM
      KB_LEVY_NFIELDS
} kb_levy_field;

typedef enum kb_kkt_field {
#define KB_CALC_ENUM(e, f) KB_KKT_##e,
  KB_KKT_FIELD_TABLE(KB_CALC_ENUM)
#undef KB_CALC_ENUM
      KB_KKT_NFIELDS
} kb_kkt_field;

extern const char *const kb_levy_fields[KB_LEVY_NFIELDS];
extern const char *const kb_kkt_fields[KB_KKT_NFIELDS];

/* Bounds on every input (checked here and by the web forms). */
#define KB_CALC_YEAR_MIN 1990
#define KB_CALC_YEAR_MAX 2100
#define KB_LEVY_JOBS_MAX 10000000LL /* jobs, in units */
#define KB_KKT_CHILDREN_MAX 20

/* The most rules one result names. */
#define KB_CALC_MAX_USED 8

/* ---- Ausgleichsabgabe ------------------------------------------------ */

typedef struct kb_levy_input {
  int year;
  int64_t jobs;     /* Arbeitsplätze (§ 156), yearly average, hundredths */
  int64_t disabled; /* severely disabled and equal-status employees on
                       them, yearly average, hundredths (each once) */
  int64_t trainees; /* severely disabled trainees, counted twice
                       (§ 159 Abs. 2), yearly average, hundredths */
  int64_t extra;    /* further places from multiple counting granted by
                       the Agentur für Arbeit (§ 159 Abs. 1), hundredths */
} kb_levy_input;

typedef struct kb_levy_result {
  bool obliged;      /* at least the minimum number of jobs */
  int64_t required;  /* Pflichtplätze per month, hundredths (whole) */
  int64_t filled;    /* counted places per month, hundredths */
  int64_t unfilled;  /* unfilled places per month, hundredths */
  int64_t quote;     /* quota reached, hundredths of a percent */
  int64_t rate;      /* euros per unfilled place and month, in cents */
  int64_t per_month; /* levy per month for all unfilled places, cents */
  int64_t per_year;  /* twelve months, cents */
  const char *band;  /* which rate applies, in German (static) */
  /* With one more severely disabled employee (in->disabled + 1): */
  int64_t next_quote, next_rate, next_per_year;
  const kb_rule *used[KB_CALC_MAX_USED]; /* borrowed from the rules */
  size_t nused;
} kb_levy_result;

/* Computes the obligation and levy for `in` with the rules in force for
 * the whole year in->year.  KB_ERR_INVALID for an input out of bounds,
 * KB_ERR_NOT_FOUND when a needed rule is missing for (part of) the year;
 * both with a message naming the input or field.  *ret is written only
 * on success; its rules are borrowed from `rules`. */
kb_status kb_calc_levy(const kb_rules *rules, const kb_levy_input *in,
                       kb_levy_result *ret, char **reterr_msg);

/* ---- Kinderkrankentage ----------------------------------------------- */

typedef struct kb_kkt_input {
  int year;
  int children; /* under 12, or disabled and dependent (§ 45 Abs. 1) */
  bool single;  /* alleinerziehend */
} kb_kkt_input;

typedef struct kb_kkt_result {
  int per_child; /* days per child and parent */
  int cap;       /* at most, per parent and year */
  int per_year;  /* per parent: min(children * per_child, cap) */
  bool capped;   /* the cap applied */
  const kb_rule *used[KB_CALC_MAX_USED];
  size_t nused;
} kb_kkt_result;

/* Computes the sick-child days of one parent for `in` (as kb_calc_levy:
 * KB_ERR_INVALID, KB_ERR_NOT_FOUND, *ret only on success). */
kb_status kb_calc_kkt(const kb_rules *rules, const kb_kkt_input *in,
                      kb_kkt_result *ret, char **reterr_msg);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * calc_form.h - the calculators' inputs read from a request, once for
 * the pages (page_calc.c) and the API (api_calc.c), so both accept and
 * refuse exactly the same: every number bounded, a wrong value named by
 * its parameter with a German message.
 *
 * Parameters (docs/api.md):
 *   levy: jahr, arbeitsplaetze, schwerbehinderte [, azubis, mehrfach]
 *   sick-child days: jahr, kinder [, alleinerziehend=true|false]
 *
 * Depends on libmicrohttpd and kb_calc; nothing else of web/.
 */
#ifndef TEILHABE_WEB_CALC_FORM_H
#define TEILHABE_WEB_CALC_FORM_H

#include <microhttpd.h>
#include <stdbool.h>

#include "kb_calc.h"

/* A refused input: the parameter and what is wrong with it, in German. */
typedef struct calc_problem {
  const char *field; /* "arbeitsplaetze"; static */
  char message[240];
} calc_problem;

typedef enum calc_read {
  CALC_READ_EMPTY, /* no parameter at all: show the empty form */
  CALC_READ_OK,
  CALC_READ_BAD, /* *problem says why */
} calc_read;

/* The longest parameter value read; longer ones are refused. */
#define CALC_MAX_VALUE 32

/* Reads the levy inputs; `jahr` defaults to the current year.  With
 * `form` (a page), no parameter at all is CALC_READ_EMPTY; otherwise
 * (the API) it is the missing required parameter's problem. */
calc_read calc_form_levy(struct MHD_Connection *conn, bool form,
                         kb_levy_input *in, calc_problem *problem);
/* Reads the sick-child inputs (as calc_form_levy); `jahr` defaults to
 * the current year, `alleinerziehend` to false. */
calc_read calc_form_kkt(struct MHD_Connection *conn, bool form,
                        kb_kkt_input *in, calc_problem *problem);

/* The period all `n` rules of a result apply to together: the latest
 * gilt_ab and the earliest gilt_bis ("" when none ends). */
void calc_form_period(const kb_rule *const *used, size_t n, char from[11],
                      char until[11]);

/* The problem for a calculator's failure `st` for `year` with the
 * library's message `why` (may be NULL): no rules for that year names
 * `jahr`, too much multiple counting `mehrfach`. */
void calc_form_failure(kb_status st, int year, const char *why,
                       calc_problem *problem);

/* The current year (UTC). */
int calc_form_this_year(void);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * calc_form.c - reading and bounding the calculators' inputs
 * (calc_form.h).  Numbers are read by the library's one decimal parser
 * (kb_decimal_parse): "20", "20,5" and "20.5" are the same.
 */
#include "calc_form.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kb_text.h"

static calc_read bad(calc_problem *p, const char *field, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  p->field = field;
  vsnprintf(p->message, sizeof p->message, fmt, ap);
  va_end(ap);
  return CALC_READ_BAD;
}

static const char *arg(struct MHD_Connection *conn, const char *name) {
  return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

int calc_form_this_year(void) {
  char today[11];
  kb_date_today(today);
  return (today[0] - '0') * 1000 + (today[1] - '0') * 100 +
         (today[2] - '0') * 10 + (today[3] - '0');
}

/* `jahr`: four digits within the calculators' bounds, else the current
 * year when absent or empty. */
static bool read_year(struct MHD_Connection *conn, int *ret, calc_problem *p) {
  const char *s = arg(conn, "jahr");
  if (s == NULL || *s == '\0') {
    *ret = calc_form_this_year();
    return true;
  }
  int y = 0;
  size_t n = strlen(s);
  for (size_t i = 0; i < n && n == 4; i++)
    y = s[i] >= '0' && s[i] <= '9' ? y * 10 + (s[i] - '0') : -1000000;
  if (n != 4 || y < KB_CALC_YEAR_MIN || y > KB_CALC_YEAR_MAX) {
    bad(p, "jahr", "jahr: bitte ein Jahr mit vier Ziffern angeben (%d bis %d)",
        KB_CALC_YEAR_MIN, KB_CALC_YEAR_MAX);
    return false;
  }
  *ret = y;
  return true;
}

/* A decimal parameter in hundredths, 0..max units; `required` or else 0
 * when absent or empty. */
static bool read_number(struct MHD_Connection *conn, const char *name,
                        const char *what, bool required, int64_t max,
                        int64_t *ret, calc_problem *p) {
  const char *s = arg(conn, name);
  if (s == NULL || *s == '\0') {
    if (required) {
      bad(p, name, "%s: bitte %s angeben", name, what);
      return false;
    }
    *ret = 0;
    return true;
  }
  if (strlen(s) > CALC_MAX_VALUE || !kb_decimal_parse(s, max, ret)) {
    bad(p, name,
        "%s: bitte %s als Zahl von 0 bis %lld angeben, höchstens zwei "
        "Nachkommastellen (z. B. 20,5)",
        name, what, (long long)max);
    return false;
  }
  return true;
}

static bool any_arg(struct MHD_Connection *conn, const char *const *names) {
  for (; *names; names++)
    if (arg(conn, *names))
      return true;
  return false;
}

calc_read calc_form_levy(struct MHD_Connection *conn, bool form,
                         kb_levy_input *in, calc_problem *p) {
  static const char *const names[] = {
      "jahr", "arbeitsplaetze", "schwerbehinderte", "azubis", "mehrfach", NULL};
  if (form && !any_arg(conn, names))
    return CALC_READ_EMPTY;
  kb_levy_input v = {0};
  if (!read_year(conn, &v.year, p) ||
      !read_number(conn, "arbeitsplaetze",
                   "die Zahl der Arbeitsplätze im Jahresdurchschnitt", true,
                   KB_LEVY_JOBS_MAX, &v.jobs, p) ||
      !read_number(conn, "schwerbehinderte",
                   "die Zahl der beschäftigten schwerbehinderten und "
                   "gleichgestellten Menschen im Jahresdurchschnitt",
                   true, KB_LEVY_JOBS_MAX, &v.disabled, p) ||
      !read_number(conn, "azubis",
                   "die Zahl der schwerbehinderten Auszubildenden", false,
                   KB_LEVY_JOBS_MAX, &v.trainees, p) ||
      !read_number(conn, "mehrfach",
                   "die zusätzlichen Pflichtplätze aus Mehrfachanrechnung",
                   false, KB_LEVY_JOBS_MAX, &v.extra, p))
    return CALC_READ_BAD;
  if (v.disabled > v.jobs)
    return bad(p, "schwerbehinderte",
               "schwerbehinderte: es können nicht mehr schwerbehinderte "
               "Menschen auf Arbeitsplätzen beschäftigt sein, als es "
               "Arbeitsplätze gibt (Auszubildende gehören in das Feld "
               "„azubis“)");
  *in = v;
  return CALC_READ_OK;
}

calc_read calc_form_kkt(struct MHD_Connection *conn, bool form,
                        kb_kkt_input *in, calc_problem *p) {
  static const char *const names[] = {"jahr", "kinder", "alleinerziehend",
                                      NULL};
  if (form && !any_arg(conn, names))
    return CALC_READ_EMPTY;
  kb_kkt_input v = {0};
  if (!read_year(conn, &v.year, p))
    return CALC_READ_BAD;
  const char *k = arg(conn, "kinder");
  int64_t kids = 0;
  if (k == NULL || *k == '\0' || strlen(k) > CALC_MAX_VALUE ||
      !kb_decimal_parse(k, KB_KKT_CHILDREN_MAX, &kids) || kids % 100 != 0 ||
      kids < 100)
    return bad(p, "kinder",
               "kinder: bitte die Zahl der Kinder als ganze Zahl von 1 bis "
               "%d angeben",
               KB_KKT_CHILDREN_MAX);
  v.children = (int)(kids / 100);
  const char *a = arg(conn, "alleinerziehend");
  if (a == NULL || *a == '\0' || strcmp(a, "false") == 0)
    v.single = false;
  else if (strcmp(a, "true") == 0)
    v.single = true;
  else
    return bad(p, "alleinerziehend",
               "alleinerziehend: bitte „true“ (alleinerziehend) oder „false“ "
               "angeben");
  *in = v;
  return CALC_READ_OK;
}

void calc_form_failure(kb_status st, int year, const char *why,
                       calc_problem *p) {
  if (st == KB_ERR_INVALID && why && strncmp(why, "mehrfach", 8) == 0)
    bad(p, "mehrfach",
        "mehrfach: je schwerbehindertem Menschen sind höchstens so viele "
        "zusätzliche Pflichtplätze möglich, dass er auf höchstens drei "
        "Pflichtplätze angerechnet wird (§ 159 Abs. 1 SGB IX)");
  else if (st == KB_ERR_NOT_FOUND)
    bad(p, "jahr",
        "jahr: für %d sind nicht alle Rechengrundlagen hinterlegt; bitte "
        "ein anderes Jahr wählen",
        year);
  else
    bad(p, "jahr",
        "jahr: die Eingaben liegen außerhalb dessen, was der "
        "Rechner berechnen kann");
}

void calc_form_period(const kb_rule *const *used, size_t n, char from[11],
                      char until[11]) {
  from[0] = until[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    const kb_rule *r = used[i];
    if (strcmp(r->gilt_ab, from) > 0)
      memcpy(from, r->gilt_ab, 11);
    if (r->gilt_bis[0] && (until[0] == '\0' || strcmp(r->gilt_bis, until) < 0))
      memcpy(until, r->gilt_bis, 11);
  }
}

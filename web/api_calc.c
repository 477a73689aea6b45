/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * api_calc.c - the calculators as JSON: /api/rechner/ausgleichsabgabe
 * and /api/rechner/kinderkrankentage (docs/api.md).  Inputs are read by
 * calc_form.c, the same as the pages; the rules come from the index.  A
 * wrong input is a 400 {"error": "<feld>: ...", "feld": "<feld>"}.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "calc_form.h"
#include "kb_json.h"

/* The note every answer carries. */
#define NOT_ADVICE                                                             \
  "Die Berechnung ersetzt keine Beratung; verbindlich sind die Anzeige "       \
  "bei der Agentur für Arbeit und die Bescheide der zuständigen Stellen."
#define NOT_ADVICE_KKT                                                         \
  "Die Berechnung ersetzt keine Beratung; verbindlich entscheidet Ihre "       \
  "Krankenkasse."

static void calc_error(reply *rep, const calc_problem *p) {
  kb_buf_reset(rep->body);
  rep->status = MHD_HTTP_BAD_REQUEST;
  send_json(rep,
            json_pack("{s:s, s:s}", "error", p->message, "feld", p->field));
}

/* The index's rules, or NULL after answering 503 or "none". */
static const kb_rules *rules_or_fail(worker *w, const server_config *cfg,
                                     reply *rep) {
  char *err = NULL;
  kb_searcher *s = worker_searcher(w, cfg, &err);
  free(err);
  if (s == NULL) {
    reply_unavailable(rep, true);
    return NULL;
  }
  const kb_rules *rs = kb_searcher_vocab(s)->rules;
  if (rs == NULL || rs->n == 0)
    api_error(rep, MHD_HTTP_SERVICE_UNAVAILABLE,
              "the index holds no rules (corpus/regeln); rebuild it");
  return rs && rs->n ? rs : NULL;
}

/* Hundredths as a JSON number: an integer when whole. */
static json_t *fixed(int64_t h) {
  return h % 100 == 0 ? json_integer(h / 100) : json_real((double)h / 100.0);
}

/* {"regeln": [...], "normen": [...], "gueltig": {"von", "bis"},
 * "hinweise": [...]} of the rules a result used, added to `o`. */
static void add_rules(json_t *o, const kb_rule *const *used, size_t n) {
  json_t *rules = json_array(), *norms = json_array(), *notes = json_array();
  char from[11], until[11];
  calc_form_period(used, n, from, until);
  for (size_t i = 0; i < n; i++) {
    const kb_rule *r = used[i];
    json_array_append_new(rules, kb_rule_json(r));
    bool seen = false;
    for (size_t k = 0; k < json_array_size(norms) && !seen; k++)
      seen = strcmp(json_string_value(json_array_get(norms, k)), r->norm) == 0;
    if (!seen)
      json_array_append_new(norms, json_string(r->norm));
    if (r->note) {
      bool dup = false;
      for (size_t k = 0; k < json_array_size(notes) && !dup; k++)
        dup = strcmp(json_string_value(json_array_get(notes, k)), r->note) == 0;
      if (!dup)
        json_array_append_new(notes, json_string(r->note));
    }
  }
  json_object_set_new(o, "normen", norms);
  json_object_set_new(o, "gueltig",
                      json_pack("{s:s, s:o}", "von", from, "bis",
                                until[0] ? json_string(until) : json_null()));
  json_object_set_new(o, "hinweise", notes);
  json_object_set_new(o, "regeln", rules);
}

static void send_calc_json(reply *rep, json_t *o) {
  /* Twelve significant digits: 1.43, not 1.4299999999999999. */
  char *s = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
  json_decref(o);
  send_json_text(rep, s);
}

void api_calc_levy(struct MHD_Connection *conn, worker *w,
                   const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  kb_levy_input in;
  calc_problem p;
  if (calc_form_levy(conn, false, &in, &p) != CALC_READ_OK) {
    calc_error(rep, &p);
    return;
  }
  const kb_rules *rs = rules_or_fail(w, cfg, rep);
  if (rs == NULL)
    return;
  kb_levy_result r;
  char *why = NULL;
  kb_status st = kb_calc_levy(rs, &in, &r, &why);
  if (st != KB_OK) {
    calc_form_failure(st, in.year, why, &p);
    free(why);
    calc_error(rep, &p);
    return;
  }
  json_t *o = json_pack(
      "{s:i, s:{s:o, s:o, s:o, s:o}, s:b, s:o, s:o, s:o, s:o, s:s, s:o, "
      "s:o, s:o, s:{s:o, s:o, s:o, s:o}, s:s}",
      "jahr", in.year, "eingaben", "arbeitsplaetze", fixed(in.jobs),
      "schwerbehinderte", fixed(in.disabled), "azubis", fixed(in.trainees),
      "mehrfach", fixed(in.extra), "beschaeftigungspflichtig", r.obliged,
      "pflichtplaetze", fixed(r.required), "besetzt", fixed(r.filled),
      "unbesetzt", fixed(r.unfilled), "quote", fixed(r.quote), "stufe", r.band,
      "satz", fixed(r.rate), "abgabe_monat", fixed(r.per_month), "abgabe_jahr",
      fixed(r.per_year), "eine_einstellung_mehr", "quote", fixed(r.next_quote),
      "satz", fixed(r.next_rate), "abgabe_jahr", fixed(r.next_per_year),
      "ersparnis_jahr", fixed(r.per_year - r.next_per_year), "hinweis_beratung",
      NOT_ADVICE);
  if (o)
    add_rules(o, r.used, r.nused);
  send_calc_json(rep, o);
}

void api_calc_kkt(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  kb_kkt_input in;
  calc_problem p;
  if (calc_form_kkt(conn, false, &in, &p) != CALC_READ_OK) {
    calc_error(rep, &p);
    return;
  }
  const kb_rules *rs = rules_or_fail(w, cfg, rep);
  if (rs == NULL)
    return;
  kb_kkt_result r;
  char *why = NULL;
  kb_status st = kb_calc_kkt(rs, &in, &r, &why);
  if (st != KB_OK) {
    calc_form_failure(st, in.year, why, &p);
    free(why);
    calc_error(rep, &p);
    return;
  }
  json_t *o = json_pack(
      "{s:i, s:{s:i, s:b}, s:i, s:i, s:i, s:b, s:s}", "jahr", in.year,
      "eingaben", "kinder", in.children, "alleinerziehend", in.single,
      "tage_pro_kind", r.per_child, "hoechstens", r.cap, "tage_im_jahr",
      r.per_year, "begrenzt", r.capped, "hinweis_beratung", NOT_ADVICE_KKT);
  if (o)
    add_rules(o, r.used, r.nused);
  send_calc_json(rep, o);
}

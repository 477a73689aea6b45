/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_calc.c - the calculators as pages: /rechner (the list),
 * /rechner/ausgleichsabgabe and /rechner/kinderkrankentage.
 *
 * Each is a plain GET form (no JavaScript) whose answer is the same page
 * with the result below the form: the figures, the rules they came from
 * with norm, period and source, the notes where a law may still change,
 * and the statement that the calculator does not replace advice.  A
 * wrong input is a 400 with the form again, the field marked
 * (aria-invalid) and a German message naming it.  Inputs are read by
 * calc_form.c, the same as the API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc_form.h"
#include "html.h"
#include "kb_text.h"
#include "pages.h"

static const char *arg(struct MHD_Connection *conn, const char *name) {
  const char *v =
      MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
  return v && strlen(v) <= CALC_MAX_VALUE ? v : "";
}

/* "9.900 €", "930,50 €" from cents. */
static void money(kb_buf *b, int64_t cents) {
  char s[40];
  kb_decimal_format(cents, s, sizeof s);
  size_t n = strlen(s);
  const char *comma = strchr(s, ',');
  html_f(b, "%s%s\u00a0€", s, comma && s + n - comma == 2 ? "0" : "");
}

/* A number of hundredths in German ("3,5"), with `unit` after it. */
static void number(kb_buf *b, int64_t h, const char *unit) {
  char s[40];
  kb_decimal_format(h, s, sizeof s);
  html_f(b, "%s%s%s", s, unit[0] ? "\u00a0" : "", unit);
}

/* The first year all `fields` have a rule for: the latest of their
 * earliest gilt_ab. */
static int first_year(const kb_rules *rs, const char *const *fields, size_t n) {
  int first = KB_CALC_YEAR_MIN;
  for (size_t k = 0; k < n; k++) {
    int earliest = KB_CALC_YEAR_MAX;
    for (size_t i = 0; i < rs->n; i++)
      if (strcmp(rs->v[i].field, fields[k]) == 0) {
        int y = (rs->v[i].gilt_ab[0] - '0') * 1000 +
                (rs->v[i].gilt_ab[1] - '0') * 100 +
                (rs->v[i].gilt_ab[2] - '0') * 10 + (rs->v[i].gilt_ab[3] - '0');
        earliest = y < earliest ? y : earliest;
      }
    first = earliest > first ? earliest : first;
  }
  return first;
}

/* The year select: from the first year with rules to two years ahead. */
static void year_select(kb_buf *b, int first, int chosen) {
  int last = calc_form_this_year() + 2;
  html_f(b, "<p><label for=\"c-jahr\">Jahr</label>\n"
            "<select id=\"c-jahr\" name=\"jahr\">\n");
  for (int y = first; y <= last; y++)
    html_f(b, "<option%R>%d</option>\n", y == chosen ? " selected" : "", y);
  kb_buf_adds(b, "</select></p>\n");
}

/* One text field for a number, marked when it is the wrong one. */
static void number_field(kb_buf *b, struct MHD_Connection *conn,
                         const char *name, const char *label, const char *hint,
                         const calc_problem *bad) {
  bool wrong = bad && strcmp(bad->field, name) == 0;
  html_f(b,
         "<p><label for=\"c-%s\">%s</label>\n"
         "<input id=\"c-%s\" name=\"%s\" type=\"text\" inputmode=\"decimal\" "
         "autocomplete=\"off\" maxlength=\"%d\" value=\"%s\" "
         "aria-describedby=\"c-%s-hint%R\"%R>\n"
         "<span class=\"hint\" id=\"c-%s-hint\">%s</span></p>\n",
         name, label, name, name, CALC_MAX_VALUE, arg(conn, name), name,
         wrong ? " fehler" : "", wrong ? " aria-invalid=\"true\"" : "", name,
         hint);
}

static void problem_box(kb_buf *b, const calc_problem *bad) {
  if (bad)
    html_f(b,
           "<div class=\"calc-error\" id=\"fehler\" role=\"alert\">"
           "<h2>Bitte Eingabe prüfen</h2><p>%s</p></div>\n",
           bad->message);
}

static void not_advice(kb_buf *b, const char *who) {
  html_f(b,
         "<p class=\"note\"><strong>Keine Beratung:</strong> Der Rechner "
         "hilft beim Überschlagen. Er ersetzt keine Beratung; verbindlich "
         "%s</p>\n",
         who);
}

/* "Rechengrundlagen": the rules a result used, with norm, period and
 * source, and the period they apply to together; then their notes. */
static void rules_table(kb_buf *b, const kb_rule *const *used, size_t n) {
  char from[11], until[11];
  calc_form_period(used, n, from, until);
  kb_buf_adds(b, "<section aria-labelledby=\"h-grundlagen\">"
                 "<h2 id=\"h-grundlagen\">Rechengrundlagen</h2>\n<p>Die "
                 "verwendeten Regeln gelten zusammen ");
  if (until[0]) {
    kb_buf_adds(b, "vom ");
    html_date(b, from);
    kb_buf_adds(b, " bis ");
    html_date(b, until);
  } else {
    kb_buf_adds(b, "seit ");
    html_date(b, from);
    kb_buf_adds(b, ", ohne bekanntes Ende");
  }
  kb_buf_adds(b, ".</p>\n<div class=\"table\"><table>\n<caption class=\"sr\">"
                 "Verwendete Regeln</caption>\n<thead><tr><th scope=\"col\">"
                 "Zahl</th><th scope=\"col\">Wert</th><th scope=\"col\">Norm"
                 "</th><th scope=\"col\">gilt</th><th scope=\"col\">Quelle"
                 "</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < n; i++) {
    const kb_rule *r = used[i];
    html_f(b, "<tr><td>%s</td><td>", r->title);
    number(b, r->value, kb_rule_unit_label(r->unit));
    html_f(b, "</td><td>%s</td><td>ab ", r->norm);
    html_date(b, r->gilt_ab);
    if (r->gilt_bis[0]) {
      kb_buf_adds(b, " bis ");
      html_date(b, r->gilt_bis);
    }
    html_f(b, "</td><td><a href=\"%s\">%s</a></td></tr>\n", r->source_url,
           r->source_title);
  }
  kb_buf_adds(b, "</tbody></table></div>\n");
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    bool dup = false;
    for (size_t k = 0; k < i && !dup; k++)
      dup = used[k]->note && used[i]->note &&
            strcmp(used[k]->note, used[i]->note) == 0;
    if (used[i]->note == NULL || dup)
      continue;
    html_f(b, "%R<li>%s</li>\n",
           any ? "" : "<h3>Was sich noch ändern kann</h3>\n<ul>\n",
           used[i]->note);
    any = true;
  }
  if (any)
    kb_buf_adds(b, "</ul>\n");
  kb_buf_adds(b, "</section>\n");
}

/* The calculators' rules from the index, or NULL after the 503. */
static const kb_rules *page_rules(worker *w, const server_config *cfg,
                                  reply *rep) {
  kb_searcher *s = page_searcher(w, cfg, rep);
  if (s == NULL)
    return NULL;
  const kb_rules *rs = kb_searcher_vocab(s)->rules;
  if (rs == NULL || rs->n == 0) {
    page_error(rep, MHD_HTTP_SERVICE_UNAVAILABLE, "Rechner nicht verfügbar",
               "Dem Suchindex fehlen die Rechengrundlagen. Bitte versuchen "
               "Sie es später erneut.");
    return NULL;
  }
  return rs;
}

static void begin(kb_buf *b, const char *title, const char *path, bool query) {
  html_page hp = {
      .title = title, .query = "", .canonical = path, .noindex = query};
  html_begin_page(b, &hp);
  html_f(b, "<h1>%s</h1>\n", title);
}

/* ---- Ausgleichsabgabe ------------------------------------------------ */

static void levy_result(kb_buf *b, const kb_levy_input *in,
                        const kb_levy_result *r) {
  html_f(b,
         "<section aria-labelledby=\"h-ergebnis\" class=\"calc-result\">"
         "<h2 id=\"h-ergebnis\">Ergebnis für %d</h2>\n",
         in->year);
  if (!r->obliged) {
    kb_buf_adds(b, "<p class=\"status\">Keine Beschäftigungspflicht: Mit "
                   "im Jahresdurchschnitt ");
    number(b, in->jobs, "Arbeitsplätzen");
    kb_buf_adds(b, " liegt der Arbeitgeber unter der Mindestzahl "
                   "(§ 154 Abs. 1 SGB IX); es fällt keine Ausgleichsabgabe "
                   "an.</p>\n");
  } else {
    kb_buf_adds(b, "<dl class=\"facts\">\n<dt>Pflichtplätze je Monat</dt><dd>");
    number(b, r->required, "");
    kb_buf_adds(b, "</dd>\n<dt>Angerechnete Pflichtplätze</dt><dd>");
    number(b, r->filled, "");
    kb_buf_adds(b, "</dd>\n<dt>Unbesetzt je Monat</dt><dd>");
    number(b, r->unfilled, "");
    kb_buf_adds(b, "</dd>\n<dt>Beschäftigungsquote</dt><dd>");
    number(b, r->quote, "%");
    html_f(b, "</dd>\n<dt>Einstufung</dt><dd>%s</dd>\n", r->band);
    kb_buf_adds(b, "<dt>Satz je unbesetztem Pflichtplatz und Monat</dt><dd>");
    money(b, r->rate);
    kb_buf_adds(b, "</dd>\n<dt>Ausgleichsabgabe je Monat</dt><dd>");
    money(b, r->per_month);
    kb_buf_adds(b, "</dd>\n<dt>Ausgleichsabgabe im Jahr</dt><dd><strong>");
    money(b, r->per_year);
    kb_buf_adds(b, "</strong></dd>\n</dl>\n");
    if (r->per_year > 0) {
      kb_buf_adds(b, "<h3>Mit einer weiteren Einstellung</h3>\n<p>Beschäftigt "
                     "der Arbeitgeber das ganze Jahr einen schwerbehinderten "
                     "Menschen mehr, steigt die Quote auf ");
      number(b, r->next_quote, "%");
      kb_buf_adds(b, " und die Ausgleichsabgabe sinkt auf ");
      money(b, r->next_per_year);
      kb_buf_adds(b, " im Jahr – ");
      money(b, r->per_year - r->next_per_year);
      kb_buf_adds(b, " weniger.</p>\n");
    }
  }
  kb_buf_adds(b, "</section>\n");
}

static void levy_form(kb_buf *b, struct MHD_Connection *conn,
                      const kb_rules *rs, int first, int year,
                      const calc_problem *bad) {
  kb_buf_adds(b, "<form class=\"calc\" method=\"get\" "
                 "action=\"/rechner/ausgleichsabgabe\">\n");
  year_select(b, first, year);
  /* The hours a job needs to count, from its rule (§ 156 Abs. 3). */
  char today[11], hint[240];
  kb_date_today(today);
  const kb_rule *hours =
      kb_rules_find(rs, "arbeitsplatz.mindeststunden", today);
  char h[32] = "";
  if (hours)
    kb_decimal_format(hours->value, h, sizeof h);
  snprintf(hint, sizeof hint,
           "Stellen%s%s%s ohne Auszubildende (§§ 156, 157 SGB IX); "
           "Kommazahlen wie 20,5 sind erlaubt.",
           h[0] ? " ab " : "", h, h[0] ? " Wochenstunden" : "");
  number_field(b, conn, "arbeitsplaetze", "Arbeitsplätze im Jahresdurchschnitt",
               hint, bad);
  number_field(b, conn, "schwerbehinderte",
               "Schwerbehinderte und gleichgestellte Beschäftigte im "
               "Jahresdurchschnitt",
               "Auf diesen Arbeitsplätzen beschäftigt, jede Person einmal "
               "gezählt (§ 158 SGB IX).",
               bad);
  number_field(b, conn, "azubis", "Schwerbehinderte Auszubildende (freiwillig)",
               "Zählen doppelt (§ 159 Abs. 2 SGB IX).", bad);
  number_field(b, conn, "mehrfach",
               "Zusätzliche Pflichtplätze aus Mehrfachanrechnung (freiwillig)",
               "Nur wenn die Agentur für Arbeit sie zugelassen hat (§ 159 "
               "Abs. 1 SGB IX).",
               bad);
  kb_buf_adds(b, "<p><button type=\"submit\">Berechnen</button></p>\n"
                 "</form>\n");
}

void page_calc_levy(struct MHD_Connection *conn, worker *w,
                    const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  const kb_rules *rs = page_rules(w, cfg, rep);
  if (rs == NULL)
    return;
  kb_levy_input in = {.year = calc_form_this_year()};
  calc_problem p;
  calc_read rd = calc_form_levy(conn, true, &in, &p);
  kb_levy_result r;
  if (rd == CALC_READ_OK) {
    char *why = NULL;
    kb_status st = kb_calc_levy(rs, &in, &r, &why);
    if (st != KB_OK) {
      calc_form_failure(st, in.year, why, &p);
      rd = CALC_READ_BAD;
    }
    free(why);
  }
  kb_buf *b = &w->out;
  begin(b, "Ausgleichsabgabe berechnen", "/rechner/ausgleichsabgabe",
        rd != CALC_READ_EMPTY);
  kb_buf_adds(b, "<p class=\"lead\">Wie viele Pflichtplätze für "
                 "schwerbehinderte Menschen hat ein Arbeitgeber, welche "
                 "Quote erreicht er und wie viel Ausgleichsabgabe fällt an? "
                 "Nach §§ 154–160 SGB IX, mit den Sätzen des gewählten "
                 "Jahres.</p>\n");
  not_advice(b, "sind die Anzeige bei der Agentur für Arbeit und die "
                "Bescheide des Inklusionsamts.");
  problem_box(b, rd == CALC_READ_BAD ? &p : NULL);
  levy_form(b, conn, rs, first_year(rs, kb_levy_fields, KB_LEVY_NFIELDS),
            in.year, rd == CALC_READ_BAD ? &p : NULL);
  if (rd == CALC_READ_OK) {
    levy_result(b, &in, &r);
    rules_table(b, r.used, r.nused);
  }
  kb_buf_adds(b, "<p>Mehr dazu: <a href=\"/artikel/ausgleichsabgabe\">Die "
                 "Ausgleichsabgabe</a> · <a href=\"/artikel/"
                 "beschaeftigungspflicht\">Die Beschäftigungspflicht</a>");
  if (rd == CALC_READ_OK)
    html_f(b,
           " · <a href=\"/api/rechner/ausgleichsabgabe?jahr=%d&amp;"
           "arbeitsplaetze=%U&amp;schwerbehinderte=%U&amp;azubis=%U&amp;"
           "mehrfach=%U\">dieselbe Berechnung als JSON</a>",
           in.year, arg(conn, "arbeitsplaetze"), arg(conn, "schwerbehinderte"),
           arg(conn, "azubis"), arg(conn, "mehrfach"));
  kb_buf_adds(b, "</p>\n");
  html_end(b);
  if (rd == CALC_READ_BAD)
    rep->status = MHD_HTTP_BAD_REQUEST;
  else
    rep->cache = REPLY_CACHE_PAGE;
}

/* ---- Kinderkrankentage ----------------------------------------------- */

static void kkt_form(kb_buf *b, struct MHD_Connection *conn, int first,
                     const kb_kkt_input *in, const calc_problem *bad) {
  kb_buf_adds(b, "<form class=\"calc\" method=\"get\" "
                 "action=\"/rechner/kinderkrankentage\">\n");
  year_select(b, first, in->year);
  bool wrong = bad && strcmp(bad->field, "kinder") == 0;
  html_f(b,
         "<p><label for=\"c-kinder\">Kinder unter 12 Jahren (oder behindert "
         "und auf Hilfe angewiesen)</label>\n<input id=\"c-kinder\" "
         "name=\"kinder\" type=\"text\" inputmode=\"numeric\" "
         "autocomplete=\"off\" maxlength=\"%d\" value=\"%s\" "
         "aria-describedby=\"c-kinder-hint%R\"%R>\n<span class=\"hint\" "
         "id=\"c-kinder-hint\">Gesetzlich versicherte Kinder (§ 45 Abs. 1 "
         "SGB V), 1 bis %d.</span></p>\n",
         CALC_MAX_VALUE, arg(conn, "kinder"), wrong ? " fehler" : "",
         wrong ? " aria-invalid=\"true\"" : "", KB_KKT_CHILDREN_MAX);
  html_f(b,
         "<fieldset><legend>Familie</legend>\n"
         "<p><input type=\"radio\" id=\"c-paar\" name=\"alleinerziehend\" "
         "value=\"false\"%R> <label for=\"c-paar\">Zwei Elternteile "
         "(Anspruch je Elternteil)</label></p>\n"
         "<p><input type=\"radio\" id=\"c-allein\" name=\"alleinerziehend\" "
         "value=\"true\"%R> <label for=\"c-allein\">Alleinerziehend</label>"
         "</p>\n</fieldset>\n",
         in->single ? "" : " checked", in->single ? " checked" : "");
  kb_buf_adds(b, "<p><button type=\"submit\">Berechnen</button></p>\n"
                 "</form>\n");
}

static void kkt_result(kb_buf *b, const kb_rules *rs, const kb_kkt_input *in,
                       const kb_kkt_result *r) {
  html_f(b,
         "<section aria-labelledby=\"h-ergebnis\" class=\"calc-result\">"
         "<h2 id=\"h-ergebnis\">Ergebnis für %d</h2>\n<dl class=\"facts\">\n"
         "<dt>Tage je Kind</dt><dd>%d Arbeitstage</dd>\n"
         "<dt>Höchstens im Jahr</dt><dd>%d Arbeitstage</dd>\n"
         "<dt>Ihre Kinderkrankentage %d</dt><dd><strong>%d "
         "Arbeitstage</strong>%s</dd>\n</dl>\n",
         in->year, r->per_child, r->cap, in->year, r->per_year,
         r->capped ? " (Höchstgrenze erreicht)" : "");
  if (!in->single)
    html_f(b,
           "<p>Das gilt für jeden gesetzlich versicherten Elternteil; zusammen "
           "sind es %d Arbeitstage.</p>\n",
           2 * r->per_year);
  kb_kkt_input next = *in;
  next.year++;
  kb_kkt_result nr;
  if (kb_calc_kkt(rs, &next, &nr, NULL) == KB_OK && nr.per_year != r->per_year)
    html_f(b,
           "<p class=\"status\">Im Jahr %d wären es nach den heute bekannten "
           "Regeln %d statt %d Arbeitstage.</p>\n",
           next.year, nr.per_year, r->per_year);
  kb_buf_adds(b, "<p>Zahlt der Arbeitgeber für die Tage weiter – etwa nach "
                 "§ 616 BGB oder einem Tarifvertrag –, ruht das "
                 "Kinderkrankengeld (§ 49 Abs. 1 Nr. 1 SGB V). Welche "
                 "Freistellung zuerst gilt: <a href=\"/artikel/"
                 "freistellung-kind-krank-ueberblick\">Kind krank – welche "
                 "Freistellung gilt zuerst?</a></p>\n</section>\n");
}

void page_calc_kkt(struct MHD_Connection *conn, worker *w,
                   const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  const kb_rules *rs = page_rules(w, cfg, rep);
  if (rs == NULL)
    return;
  kb_kkt_input in = {.year = calc_form_this_year(), .children = 1};
  calc_problem p;
  calc_read rd = calc_form_kkt(conn, true, &in, &p);
  kb_kkt_result r;
  if (rd == CALC_READ_OK) {
    char *why = NULL;
    kb_status st = kb_calc_kkt(rs, &in, &r, &why);
    if (st != KB_OK) {
      calc_form_failure(st, in.year, why, &p);
      rd = CALC_READ_BAD;
    }
    free(why);
  }
  kb_buf *b = &w->out;
  begin(b, "Kinderkrankentage berechnen", "/rechner/kinderkrankentage",
        rd != CALC_READ_EMPTY);
  kb_buf_adds(b, "<p class=\"lead\">Wie viele Tage Kinderkrankengeld stehen "
                 "einem Elternteil im Jahr zu? Nach § 45 SGB V, für das "
                 "gewählte Jahr – mit der Höchstgrenze bei mehreren "
                 "Kindern.</p>\n");
  not_advice(b, "entscheidet Ihre Krankenkasse.");
  problem_box(b, rd == CALC_READ_BAD ? &p : NULL);
  kkt_form(b, conn, first_year(rs, kb_kkt_fields, KB_KKT_NFIELDS), &in,
           rd == CALC_READ_BAD ? &p : NULL);
  if (rd == CALC_READ_OK) {
    kkt_result(b, rs, &in, &r);
    rules_table(b, r.used, r.nused);
  }
  kb_buf_adds(b, "<p>Mehr dazu: <a href=\"/artikel/kinderkrankengeld\">"
                 "Kinderkrankengeld</a> · <a href=\"/artikel/"
                 "kinderkrankentage-uebertragen\">Kinderkrankentage "
                 "übertragen</a>");
  if (rd == CALC_READ_OK)
    html_f(b,
           " · <a href=\"/api/rechner/kinderkrankentage?jahr=%d&amp;"
           "kinder=%d&amp;alleinerziehend=%s\">dieselbe Berechnung als "
           "JSON</a>",
           in.year, in.children, in.single ? "true" : "false");
  kb_buf_adds(b, "</p>\n");
  html_end(b);
  if (rd == CALC_READ_BAD)
    rep->status = MHD_HTTP_BAD_REQUEST;
  else
    rep->cache = REPLY_CACHE_PAGE;
}

/* ---- the list -------------------------------------------------------- */

void page_calc_index(struct MHD_Connection *conn, worker *w,
                     const server_config *cfg, const char *rest, reply *rep) {
  (void)conn;
  (void)cfg;
  (void)rest;
  kb_buf *b = &w->out;
  begin(b, "Rechner", "/rechner", false);
  kb_buf_adds(
      b, "<p class=\"lead\">Zwei Rechner auf Grundlage der geltenden "
         "Regeln – mit Norm, Geltungszeitraum und Quelle jeder Zahl.</p>\n"
         "<ul class=\"tiles\">\n"
         "<li><a href=\"/rechner/ausgleichsabgabe\">Ausgleichsabgabe und "
         "Pflichtplätze</a><p>Für Arbeitgeber: Pflichtquote, "
         "Ausgleichsabgabe und was eine Einstellung ändert (§§ 154–160 SGB "
         "IX).</p></li>\n"
         "<li><a href=\"/rechner/kinderkrankentage\">Kinderkrankentage"
         "</a><p>Für Eltern: Tage Kinderkrankengeld je Kind und im Jahr "
         "(§ 45 SGB V).</p></li>\n</ul>\n");
  not_advice(b, "entscheiden die zuständigen Stellen.");
  html_end(b);
  rep->cache = REPLY_CACHE_PAGE;
}

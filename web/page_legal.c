/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_legal.c - the pages a German site must have, in German:
 *   /impressum          the operator's details (§ 5 DDG)
 *   /datenschutz        what the server stores and what it does not
 *                       (docs/privacy.md), and the rights under the GDPR
 *   /barrierefreiheit   the Erklärung zur Barrierefreiheit (§ 12b BGG,
 *                       § 7 BITV 2.0, EU model statement 2018/1523)
 *   /kontakt            how to reach the operator, and "Fehler melden"
 *                       for one record (?eintrag=<kind>/<id>)
 *
 * The operator's details come from the [site] section of teilhabe.conf
 * (site.h); nothing is invented.  A detail the operator has not given is
 * said to be missing, in so many words.  Every value is escaped (html_f)
 * and was bounded and checked when the server started (site_set).
 *
 * Reporting an error is a mailto: link with the record's title and
 * address in subject and body: the message leaves from the reader's own
 * mail program, so this server stores nothing (docs/privacy.md).
 */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "kb_escape.h"
#include "pages.h"
#include "request.h"

/* When this statement was written, from the measurements in
 * tests/browser (axe at 1280 and 375 px, keyboard and no-JS runs). */
#define STATEMENT_DATE "2026-12-06"

/* The longest record address ?eintrag= takes: "<kind>/<id>". */
#define EINTRAG_MAX 200

static const char missing_text[] = "Vom Betreiber noch nicht eingetragen";

static void missing(kb_buf *b) {
  html_f(b, "<span class=\"missing\">%s</span>", missing_text);
}

/* A value of the operator's, or the note that it is missing. */
static void value(kb_buf *b, const server_config *cfg, site_field f) {
  const char *v = cfg->site.v[f];
  if (v == NULL)
    missing(b);
  else if (site_kind_of(f) == SITE_IS_EMAIL)
    html_f(b, "<a href=\"mailto:%s\">%s</a>", v, v);
  else if (site_kind_of(f) == SITE_IS_PHONE)
    html_phone(b, v);
  else
    html_text(b, v);
}

/* One <dt>/<dd> pair; an optional detail that is not given is left out. */
static void row(kb_buf *b, const server_config *cfg, const char *label,
                site_field f, bool required) {
  if (!required && cfg->site.v[f] == NULL)
    return;
  html_f(b, "<dt>%s</dt><dd>", label);
  value(b, cfg, f);
  kb_buf_adds(b, "</dd>\n");
}

/* The note at the top of every legal page while the operator has given
 * nothing at all. */
static void not_configured(kb_buf *b, const server_config *cfg) {
  if (site_any(&cfg->site))
    return;
  kb_buf_adds(b, "<p class=\"notice\" role=\"note\"><strong>Der Betreiber "
                 "dieser Website hat seine Angaben noch nicht eingetragen."
                 "</strong> Name, Anschrift und Kontakt erscheinen hier, "
                 "sobald er sie in der Konfiguration der Website (Abschnitt "
                 "[site] der Datei teilhabe.conf) einträgt.</p>\n");
}

/* The operator's name, address and ways to reach them. */
static void operator_block(kb_buf *b, const server_config *cfg) {
  kb_buf_adds(b, "<dl class=\"facts site\">\n");
  row(b, cfg, "Anbieter", SITE_OPERATOR, true);
  row(b, cfg, "Anschrift", SITE_ADDRESS, true);
  row(b, cfg, "Vertreten durch", SITE_REPRESENTATIVE, false);
  row(b, cfg, "E-Mail", SITE_EMAIL, true);
  row(b, cfg, "Telefon", SITE_PHONE, false);
  kb_buf_adds(b, "</dl>\n");
}

static void begin(kb_buf *b, const char *title, const char *canonical) {
  html_page p = {.title = title, .query = "", .canonical = canonical};
  html_begin_page(b, &p);
}

/* ---- /impressum ---------------------------------------------------------- */

void page_impressum(struct MHD_Connection *conn, worker *w,
                    const server_config *cfg, const char *rest, reply *rep) {
  (void)conn, (void)w, (void)rest;
  kb_buf *b = rep->body;
  begin(b, "Impressum", "/impressum");
  kb_buf_adds(b, "<div class=\"article\">\n<h1>Impressum</h1>\n"
                 "<p>Angaben nach § 5 Digitale-Dienste-Gesetz (DDG), das "
                 "seit dem 14. Mai 2024 an die Stelle des Telemediengesetzes "
                 "getreten ist.</p>\n");
  not_configured(b, cfg);
  operator_block(b, cfg);
  if (cfg->site.v[SITE_REGISTER] || cfg->site.v[SITE_VAT_ID] ||
      cfg->site.v[SITE_AUTHORITY] || cfg->site.v[SITE_RESPONSIBLE]) {
    kb_buf_adds(b, "<dl class=\"facts site\">\n");
    row(b, cfg, "Registereintrag", SITE_REGISTER, false);
    row(b, cfg, "Umsatzsteuer-Identifikationsnummer", SITE_VAT_ID, false);
    row(b, cfg, "Aufsichtsbehörde", SITE_AUTHORITY, false);
    row(b, cfg, "Verantwortlich für den Inhalt", SITE_RESPONSIBLE, false);
    kb_buf_adds(b, "</dl>\n");
  }
  kb_buf_adds(
      b,
      "<h2>Inhalte und Software</h2>\n"
      "<p>Die Einträge von teilhabe stehen unter der Lizenz Creative Commons "
      "Namensnennung 4.0 (CC BY 4.0); die Software ist freie Software unter "
      "der GNU General Public License, Version 2 oder später. Die Einträge "
      "erklären Rechte und Förderungen allgemein und ersetzen keine "
      "Rechtsberatung im Einzelfall; jeder Eintrag nennt seinen Stand.</p>\n"
      "<p>Fehler in einem Eintrag melden Sie über die Seite "
      "<a href=\"/kontakt\">Kontakt</a>. Wie diese Website mit Daten umgeht, "
      "steht in der <a href=\"/datenschutz\">Datenschutzerklärung</a>.</p>\n"
      "</div>\n");
  html_end(b);
  rep->cache = REPLY_CACHE_PAGE;
}

/* ---- /datenschutz -------------------------------------------------------- */

/* The opt-in log of searches that found little (zerolog.h). */
static void zero_log_section(kb_buf *b, const server_config *cfg) {
  kb_buf_adds(
      b, "<h2 id=\"suchprotokoll\">Suchen ohne Treffer</h2>\n"
         "<p>Der Betreiber kann ein Protokoll einschalten, das der Redaktion "
         "zeigt, wonach Menschen suchen und nichts finden. Auf dieser Website "
         "ist es ");
  kb_buf_adds(b, cfg->zero_log_fd >= 0 ? "<strong>eingeschaltet</strong>."
                                       : "<strong>ausgeschaltet</strong>: "
                                         "Es wird nichts protokolliert.");
  kb_buf_adds(
      b, "</p>\n<p>Wenn es eingeschaltet ist, schreibt der Server für eine "
         "Suche, die nichts oder nur einen oder zwei Einträge gefunden hat, "
         "eine Zeile mit:</p>\n<ul>\n"
         "<li>dem Tag (ohne Uhrzeit),</li>\n"
         "<li>der Suchanfrage in vereinfachter Form (Kleinbuchstaben, ohne "
         "Satzzeichen, höchstens 200 Zeichen),</li>\n"
         "<li>bei einem oder zwei Treffern deren Anzahl.</li>\n</ul>\n"
         "<p>Sonst nichts: keine IP-Adresse, keine Angaben zum Browser, keine "
         "Cookies, keine Filter, keine Sitzung. Suchen mit drei oder mehr "
         "Treffern werden nie protokolliert. Die Redaktion nutzt das Protokoll "
         "nur, um fehlende Einträge zu ergänzen. Wer in das Suchfeld etwas "
         "Persönliches schreibt (einen Namen, eine Diagnose), dessen Eingabe "
         "kann im Protokoll stehen; der Betreiber behandelt die Datei deshalb "
         "als Gesundheitsdaten, hält sie auf dem Server und löscht sie "
         "regelmäßig (empfohlen: nach höchstens 90 Tagen).</p>\n");
}

void page_datenschutz(struct MHD_Connection *conn, worker *w,
                      const server_config *cfg, const char *rest, reply *rep) {
  (void)conn, (void)w, (void)rest;
  kb_buf *b = rep->body;
  begin(b, "Datenschutzerklärung", "/datenschutz");
  kb_buf_adds(
      b, "<div class=\"article\">\n<h1>Datenschutzerklärung</h1>\n"
         "<p class=\"lead\">Suchen zu Gesundheit und Behinderung verraten "
         "viel über einen Menschen. Diese Website ist deshalb so gebaut, "
         "dass sie über die Menschen, die sie nutzen, nichts erfährt.</p>\n");
  not_configured(b, cfg);
  kb_buf_adds(b, "<h2>Verantwortlich</h2>\n");
  operator_block(b, cfg);
  kb_buf_adds(b, "<dl class=\"facts site\">\n");
  row(b, cfg, "Kontakt für Datenschutz", SITE_PRIVACY, true);
  kb_buf_adds(b, "</dl>\n");
  kb_buf_adds(
      b,
      "<h2>Was der Server speichert – und was nicht</h2>\n<ul>\n"
      "<li>Der Server protokolliert keine Aufrufe: keine IP-Adresse, keine "
      "Suchanfrage, keine Angaben zum Browser, keine Uhrzeit.</li>\n"
      "<li>Er setzt keine Cookies und nutzt keinen Speicher im Browser.</li>\n"
      "<li>Er lädt nichts von anderen Servern: keine Schriften, keine "
      "Statistik- oder Werbedienste. Das erzwingt eine "
      "Content-Security-Policy, die nur Inhalte dieser Website "
      "zulässt.</li>\n"
      "<li>Folgen Sie einem Link zu einer anderen Website, sendet Ihr "
      "Browser die Adresse dieser Seite nicht mit "
      "(Referrer-Policy: no-referrer). Nur wenn Sie von einer Trefferliste "
      "zu einem Eintrag dieser Website wechseln, liest die Eintragsseite "
      "die Suche, um den Weg zurück zur Trefferliste anzuzeigen; sie "
      "speichert sie nicht.</li>\n"
      "<li>Der Server schreibt nur seinen eigenen Start und sein Ende "
      "sowie Fehlermeldungen ohne Daten aus Anfragen.</li>\n</ul>\n"
      "<p>Betreibt der Betreiber vor diesem Server einen weiteren "
      "Webserver oder nutzt er einen Hoster, können diese eigene "
      "Protokolle führen. Darüber informiert der Betreiber; fragen Sie ihn "
      "über den Kontakt oben.</p>\n");
  zero_log_section(b, cfg);
  kb_buf_adds(
      b, "<h2>E-Mails an die Redaktion</h2>\n"
         "<p>Diese Website hat kein Kontaktformular. Schreiben Sie eine E-Mail "
         "(zum Beispiel, um einen Fehler zu melden), erhält der Betreiber Ihre "
         "E-Mail-Adresse und Ihre Nachricht. Er nutzt sie nur, um Ihnen zu "
         "antworten und den Fehler zu beheben.</p>\n"
         "<h2>Ihre Rechte</h2>\n"
         "<p>Nach der Datenschutz-Grundverordnung (DSGVO) haben Sie das Recht "
         "auf Auskunft über Ihre Daten (Art. 15), auf Berichtigung (Art. 16), "
         "auf Löschung (Art. 17), auf Einschränkung der Verarbeitung "
         "(Art. 18), auf Datenübertragbarkeit (Art. 20) und auf Widerspruch "
         "(Art. 21). Wenden Sie sich dafür an den Kontakt für Datenschutz "
         "oben. Sie können sich außerdem bei einer Datenschutz-"
         "Aufsichtsbehörde beschweren (Art. 77 DSGVO).</p>\n</div>\n");
  html_end(b);
  rep->cache = REPLY_CACHE_PAGE;
}

/* ---- /barrierefreiheit --------------------------------------------------- */

/* The enforcement procedure: the operator's own wording, else what
 * holds in general, without guessing which body is responsible. */
static void enforcement(kb_buf *b, const server_config *cfg) {
  kb_buf_adds(b, "<h2 id=\"schlichtung\">Schlichtungsverfahren</h2>\n");
  if (cfg->site.v[SITE_ENFORCEMENT]) {
    html_f(b, "<p>%s</p>\n", cfg->site.v[SITE_ENFORCEMENT]);
    return;
  }
  kb_buf_adds(
      b, "<p>Wenn Sie auf eine Meldung keine zufriedenstellende Antwort "
         "erhalten, können Sie sich an eine Schlichtungsstelle wenden. Welche "
         "zuständig ist, hängt davon ab, wer die Website betreibt:</p>\n<ul>\n"
         "<li>Für öffentliche Stellen des Bundes ist es die Schlichtungsstelle "
         "nach § 16 Behindertengleichstellungsgesetz (BGG) bei der oder dem "
         "Beauftragten der Bundesregierung für die Belange von Menschen mit "
         "Behinderungen: <a rel=\"external\" href=\"https://www."
         "behindertenbeauftragte.de/DE/SchlichtungsstelleBGG/Zustaendigkeit/"
         "Zustaendigkeit_node.html\">Schlichtungsstelle BGG<span class=\"sr\"> "
         "(externe Seite)</span></a>. Das Verfahren ist kostenlos.</li>\n"
         "<li>Für öffentliche Stellen eines Landes gilt das Recht dieses "
         "Landes; viele Länder haben eigene Schlichtungs- oder "
         "Durchsetzungsstellen.</li>\n</ul>\n");
  html_f(b, "<p>%s</p>\n",
         "Der Betreiber dieser Website hat noch nicht "
         "eingetragen, welches Verfahren für ihn gilt.");
}

void page_barrierefreiheit(struct MHD_Connection *conn, worker *w,
                           const server_config *cfg, const char *rest,
                           reply *rep) {
  (void)conn, (void)w, (void)rest;
  kb_buf *b = rep->body;
  begin(b, "Erklärung zur Barrierefreiheit", "/barrierefreiheit");
  kb_buf_adds(b, "<div class=\"article\">\n<h1>Erklärung zur "
                 "Barrierefreiheit</h1>\n");
  not_configured(b, cfg);
  kb_buf_adds(b, "<p>");
  if (cfg->site.v[SITE_OPERATOR])
    html_text(b, cfg->site.v[SITE_OPERATOR]);
  else
    kb_buf_adds(b, "Der Betreiber");
  kb_buf_adds(
      b, " ist bemüht, diese Website barrierefrei zugänglich zu machen. Diese "
         "Erklärung gilt für die Website teilhabe mit allen ihren Seiten. Sie "
         "folgt dem Aufbau, den § 12b Behindertengleichstellungsgesetz (BGG), "
         "§ 7 Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und die "
         "Mustererklärung der EU (Durchführungsbeschluss (EU) 2018/1523) "
         "vorsehen.</p>\n"
         "<h2>Stand der Vereinbarkeit mit den Anforderungen</h2>\n"
         "<p>Diese Website ist mit den Anforderungen der BITV 2.0 "
         "<strong>teilweise vereinbar</strong>. Die automatischen Tests "
         "finden auf den geprüften Seiten keine Verstöße; sie können aber "
         "nicht alle Anforderungen prüfen, und die unten genannten Inhalte "
         "sind noch nicht barrierefrei.</p>\n"
         "<h2>Wie geprüft wurde</h2>\n"
         "<p>Die Bewertung beruht auf einer Selbstbewertung mit den "
         "automatischen Tests, die bei jeder Änderung der Software laufen:</p>"
         "\n<ul>\n"
         "<li>Prüfung mit dem Werkzeug axe im Browser Chromium nach den "
         "Regeln der WCAG 2.1, Stufen A und AA: keine Verstöße auf der "
         "Startseite, auf Trefferlisten, Eintragsseiten, der Begriffsliste "
         "und der Suchhilfe „Wer ist zuständig?“ bei 1280 Pixeln Breite und "
         "auf den Seiten Impressum, Datenschutz, Barrierefreiheit, Kontakt, "
         "Leichte Sprache und Gebärdensprache bei 1280 und 375 Pixeln "
         "Breite;</li>\n"
         "<li>ohne JavaScript funktionieren Suche, Filter, Blättern, die "
         "Eintragsseiten und die Links unten auf jeder Seite;</li>\n"
         "<li>mit der Tastatur allein erreichbar: der Sprung zum Inhalt und "
         "zu den Ergebnissen, die Vorschläge im Suchfeld, die Suchhilfe, "
         "breite Tabellen (mit den Pfeiltasten seitlich zu verschieben) und "
         "„Fehler melden“;</li>\n"
         "<li>bei 320 Pixeln Breite muss man auf den geprüften Seiten nicht "
         "seitlich scrollen.</li>\n"
         "</ul>\n<p>Eine Prüfung durch eine unabhängige Prüfstelle (etwa "
         "einen BITV-Test) und Tests mit Menschen, die Screenreader, "
         "Vergrößerung oder Sprachsteuerung nutzen, hat es noch nicht "
         "gegeben.</p>\n"
         "<h2>Nicht barrierefreie Inhalte</h2>\n<ul>\n"
         "<li>Es gibt noch keine Videos in Deutscher Gebärdensprache. Die "
         "Seite <a href=\"/gebaerdensprache\">Gebärdensprache</a> beschreibt "
         "als Text, was die Website bietet, und verweist auf Angebote in "
         "Gebärdensprache anderer Stellen.</li>\n"
         "<li>In Leichter Sprache gibt es die Seite <a href=\"/leichte-"
         "sprache\">Leichte Sprache</a> und kurze Zusammenfassungen zu einigen "
         "wichtigen Artikeln. Die übrigen Einträge sind in Alltagssprache "
         "mit Fachbegriffen geschrieben.</li>\n"
         "<li>Die Vorschläge beim Tippen in das Suchfeld brauchen JavaScript. "
         "Ohne JavaScript funktioniert die Suche vollständig, nur ohne "
         "Vorschläge.</li>\n"
         "<li>Verlinkte Seiten anderer Anbieter (etwa amtliche Gesetzestexte) "
         "liegen außerhalb dieser Website.</li>\n</ul>\n");
  html_f(b,
         "<h2>Erstellung dieser Erklärung</h2>\n<p>Diese Erklärung wurde am "
         "<time datetime=\"%s\">",
         STATEMENT_DATE);
  html_date(b, STATEMENT_DATE);
  kb_buf_adds(b,
              "</time> erstellt.</p>\n"
              "<h2 id=\"feedback\">Barrieren melden</h2>\n"
              "<p>Ist Ihnen eine Barriere aufgefallen, oder brauchen Sie einen "
              "Inhalt in einer anderen Form? Schreiben Sie uns. Der Link "
              "„Barrierefreiheit“ unten auf jeder Seite führt hierher.</p>\n"
              "<dl class=\"facts site\">\n");
  if (cfg->site.v[SITE_ACCESSIBILITY] || !cfg->site.v[SITE_EMAIL])
    row(b, cfg, "E-Mail", SITE_ACCESSIBILITY, true);
  else
    row(b, cfg, "E-Mail", SITE_EMAIL, true);
  row(b, cfg, "Telefon", SITE_PHONE, false);
  kb_buf_adds(b, "</dl>\n");
  enforcement(b, cfg);
  kb_buf_adds(b, "</div>\n");
  html_end(b);
  rep->cache = REPLY_CACHE_PAGE;
}

/* ---- /kontakt ------------------------------------------------------------ */

/* Appends `s` encoded for a mailto: URL (RFC 6068: a space is %20, not
 * "+"), not yet HTML-escaped.  kb_url_encodes turns only spaces into '+'
 * (a '+' itself becomes %2B), so each '+' it wrote stands for a space. */
static void mailto_encode(kb_buf *b, const char *s) {
  kb_buf enc = KB_BUF_INIT(4096);
  kb_url_encodes(&enc, s);
  for (const char *c = kb_buf_str(&enc); *c; c++)
    if (*c == '+')
      kb_buf_adds(b, "%20");
    else
      kb_buf_addc(b, *c);
  kb_buf_release(&enc);
}

/* Whether `e` is "<kind>/<id>" of lower-case letters, digits and '-'. */
static bool eintrag_ok(const char *e) {
  const char *slash = strchr(e, '/');
  size_t n = strlen(e);
  if (slash == NULL || slash == e || slash[1] == '\0' || n > EINTRAG_MAX)
    return false;
  for (const char *c = e; *c; c++)
    if (c != slash && !((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
                        *c == '-' || *c == '_'))
      return false;
  return true;
}

/* "Fehler melden" for record `rec` at absolute address `abs`. */
static void report_record(kb_buf *b, const server_config *cfg,
                          const kb_record *rec, const char *path,
                          const char *abs) {
  html_f(b,
         "<section aria-labelledby=\"h-melden\" class=\"report\">\n"
         "<h2 id=\"h-melden\">Fehler in diesem Eintrag melden</h2>\n"
         "<p>Eintrag: <a href=\"%s\">%s</a></p>\n",
         path, rec->title);
  const char *to = cfg->site.v[SITE_EMAIL];
  if (to == NULL) {
    html_f(b,
           "<p>%s Deshalb kann diese Seite noch keine E-Mail an die "
           "Redaktion vorbereiten.</p>\n</section>\n",
           "Der Betreiber dieser Website hat noch keine E-Mail-Adresse "
           "eingetragen.");
    return;
  }
  kb_buf url = KB_BUF_INIT(8192), text = KB_BUF_INIT(4096);
  kb_buf_adds(&url, "mailto:");
  kb_buf_adds(&url, to);
  kb_buf_adds(&url, "?subject=");
  kb_buf_adds(&text, "Fehler in teilhabe: ");
  kb_buf_adds(&text, rec->title);
  mailto_encode(&url, kb_buf_str(&text));
  kb_buf_reset(&text);
  kb_buf_adds(&url, "&body=");
  kb_buf_adds(&text, "Eintrag: ");
  kb_buf_adds(&text, abs);
  kb_buf_adds(&text, "\n\nWas ist falsch, und was ist richtig (mit Quelle, "
                     "wenn möglich)?\n\n");
  mailto_encode(&url, kb_buf_str(&text));
  html_f(b,
         "<p><a class=\"button\" href=\"%s\">E-Mail an die Redaktion "
         "schreiben</a></p>\n"
         "<p class=\"hint\">Der Link öffnet Ihr E-Mail-Programm mit dem "
         "Titel und der Adresse des Eintrags. Diese Website speichert dabei "
         "nichts. Klappt der Link nicht, schreiben Sie an %s und nennen Sie "
         "die Adresse %s.</p>\n</section>\n",
         kb_buf_str(&url), to, abs);
  kb_buf_release(&url);
  kb_buf_release(&text);
}

/* ?eintrag=<kind>/<id>: the record, or an error page (false). */
static bool eintrag_record(worker *w, const server_config *cfg, const char *e,
                           kb_record **ret, reply *rep) {
  if (!eintrag_ok(e)) {
    page_error(rep, MHD_HTTP_BAD_REQUEST, "Ungültige Angabe",
               "Die Angabe „eintrag“ muss die Adresse eines Eintrags sein, "
               "zum Beispiel eintrag=artikel/bem-grundlagen.");
    return false;
  }
  kb_searcher *s = page_searcher(w, cfg, rep);
  if (s == NULL)
    return false;
  char kind[EINTRAG_MAX + 1];
  const char *slash = strchr(e, '/');
  snprintf(kind, sizeof kind, "%.*s", (int)(slash - e), e);
  return page_load_record(s, kind, slash + 1, ret, rep);
}

void page_kontakt(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  const char *e =
      MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "eintrag");
  kb_record *rec = NULL;
  if (e && *e && !eintrag_record(w, cfg, e, &rec, rep))
    return;
  kb_buf *b = rep->body;
  begin(b, "Kontakt", "/kontakt");
  kb_buf_adds(b, "<div class=\"article\">\n<h1>Kontakt</h1>\n");
  not_configured(b, cfg);
  if (rec) {
    kb_buf path = KB_BUF_INIT(512), abs = KB_BUF_INIT(1024);
    html_f(&path, "/%U/%U", rec->kind, rec->id);
    request_base_url(conn, cfg, &abs);
    kb_buf_adds(&abs, kb_buf_str(&path));
    report_record(b, cfg, rec, kb_buf_str(&path), kb_buf_str(&abs));
    kb_buf_release(&path);
    kb_buf_release(&abs);
    rep->vary |= request_base_from_headers(cfg) ? REPLY_VARY_BASE : 0;
  }
  kb_buf_adds(b, "<h2>So erreichen Sie den Betreiber</h2>\n");
  operator_block(b, cfg);
  kb_buf_adds(
      b, "<h2>Fehler melden</h2>\n"
         "<p>Haben Sie in einem Eintrag einen Fehler gefunden – eine veraltete "
         "Zahl, einen falschen Paragrafen, einen Link, der nicht mehr geht? "
         "Unten auf jeder Eintragsseite steht der Link „Fehler in diesem "
         "Eintrag melden“. Er führt hierher und bereitet eine E-Mail mit der "
         "Adresse des Eintrags vor.</p>\n"
         "<p>Diese Website hat bewusst kein Formular: Ihre Nachricht geht über "
         "Ihr eigenes E-Mail-Programm an den Betreiber, und diese Website "
         "speichert nichts (<a href=\"/datenschutz\">Datenschutz</a>).</p>\n"
         "<h2>Barrieren melden</h2>\n"
         "<p>Barrieren auf dieser Website melden Sie über die "
         "<a href=\"/barrierefreiheit#feedback\">Erklärung zur "
         "Barrierefreiheit</a>.</p>\n"
         "<h2>Beratung im Einzelfall</h2>\n"
         "<p>Die Redaktion berät nicht im Einzelfall. Wer für Ihre Frage "
         "zuständig ist, zeigt die Seite <a href=\"/zustaendig\">Wer ist "
         "zuständig?</a>; kostenlos und unabhängig berät die Ergänzende "
         "unabhängige Teilhabeberatung (EUTB).</p>\n</div>\n");
  html_end(b);
  rep->cache = REPLY_CACHE_PAGE;
  kb_record_free(rec);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_easy.c - the site explained for readers who need it plainly
 * (BITV 2.0 § 4):
 *   /leichte-sprache    what the site is, how to search and where to get
 *                       help, in Leichte Sprache (rules of the Netzwerk
 *                       Leichte Sprache: short sentences, one statement
 *                       each, each on its own line, hard words explained,
 *                       long words split with a hyphen - the search joins
 *                       "Schwer-behinderung" to "Schwerbehinderung")
 *   /gebaerdensprache   the offers in German Sign Language (DGS) of the
 *                       institutions responsible, as links, and as text
 *                       what the site offers (there is no video of ours)
 *
 * Every link to another site was checked against a stored copy of the
 * page it names (docs/redaktion.md says how to check them again).  The
 * text is fixed markup: nothing of the request reaches these pages.
 */
#include "html.h"
#include "pages.h"

/* One line of Leichte Sprache per entry; a NULL entry ends a paragraph. */
static void lines(kb_buf *b, const char *const *l, size_t n) {
  kb_buf_adds(b, "<p>");
  for (size_t i = 0; i < n; i++) {
    if (l[i] == NULL) {
      kb_buf_adds(b, "</p>\n<p>");
      continue;
    }
    kb_buf_adds(b, l[i]);
    kb_buf_adds(b, i + 1 < n && l[i + 1] ? "<br>\n" : "");
  }
  kb_buf_adds(b, "</p>\n");
}

#define LINES(b, ...)                                                          \
  do {                                                                         \
    static const char *const l_[] = {__VA_ARGS__};                             \
    lines(b, l_, sizeof l_ / sizeof *l_);                                      \
  } while (0)

void page_leichte_sprache(struct MHD_Connection *conn, worker *w,
                          const server_config *cfg, const char *rest,
                          reply *rep) {
  (void)conn, (void)w, (void)cfg, (void)rest;
  kb_buf *b = rep->body;
  html_page p = {
      .title = "Leichte Sprache", .query = "", .canonical = "/leichte-sprache"};
  html_begin_page(b, &p);
  kb_buf_adds(b, "<div class=\"article easy\">\n<h1>Leichte Sprache</h1>\n"
                 "<h2>Was ist teilhabe?</h2>\n");
  LINES(b, "Diese Internet-Seite heißt teilhabe.",
        "Hier finden Sie Wissen zum Thema Arbeit und Behinderung.", NULL,
        "Zum Beispiel:");
  kb_buf_adds(b, "<ul>\n<li>Welche Rechte haben Menschen mit Behinderung "
                 "bei der Arbeit?</li>\n<li>Welche Hilfen gibt es am "
                 "Arbeits-Platz?</li>\n<li>Wer bezahlt die Hilfen?</li>\n"
                 "</ul>\n");
  LINES(b, "Die Texte sind für:");
  kb_buf_adds(b, "<ul>\n<li>Menschen mit Behinderung, die arbeiten.</li>\n"
                 "<li>Arbeit-Geber.</li>\n<li>Schwer-behinderten-Vertretungen."
                 "<br>\nDas sind Menschen im Betrieb.<br>\nSie helfen "
                 "schwer-behinderten Kollegen.</li>\n</ul>\n");
  LINES(b, "Die meisten Texte hier sind in schwerer Sprache.",
        "Manche Texte haben oben eine kurze Erklärung.",
        "Die Erklärung ist in Leichter Sprache.");
  kb_buf_adds(b, "<h2>So suchen Sie</h2>\n");
  LINES(b, "Oben auf jeder Seite ist ein Such-Feld.",
        "Schreiben Sie ein Wort in das Such-Feld.",
        "Zum Beispiel: Schwer-behinderung.",
        "Dann klicken Sie auf den Knopf Suchen.", NULL,
        "Sie sehen dann eine Liste mit Texten.", "Klicken Sie auf einen Titel.",
        "Dann sehen Sie den ganzen Text.");
  kb_buf_adds(b, "<p>Hier können Sie auch suchen:</p>\n");
  html_search_box(b, "q-easy", "", false);
  kb_buf_adds(b, "<h2>Hier bekommen Sie Hilfe</h2>\n");
  LINES(b, "Diese Internet-Seite berät Sie nicht persönlich.",
        "Aber es gibt Stellen für Beratung.");
  kb_buf_adds(b, "<h3>Die EUTB</h3>\n");
  LINES(b, "EUTB ist eine Abkürzung.",
        "Sie bedeutet: Ergänzende unabhängige Teilhabe-Beratung.",
        "Die EUTB berät Menschen mit Behinderung.",
        "Die EUTB berät auch ihre Familien.", "Die Beratung kostet nichts.",
        "Es gibt die EUTB in ganz Deutschland.",
        "<a href=\"/anlaufstelle/eutb-teilhabeberatung\">Mehr über die "
        "EUTB</a>");
  kb_buf_adds(b, "<h3>Das Inklusions-Amt</h3>\n");
  LINES(b, "In jedem Bundes-Land gibt es ein Inklusions-Amt.",
        "Das Inklusions-Amt hilft schwer-behinderten Menschen bei der Arbeit.",
        "Es hilft auch Arbeit-Gebern.", "Ein Beispiel:",
        "Ein Arbeit-Geber will einem schwer-behinderten Menschen kündigen.",
        "Dann muss das Inklusions-Amt zustimmen.",
        "<a href=\"/zustaendig\">Das Inklusions-Amt in Ihrem Bundes-Land "
        "finden</a>");
  kb_buf_adds(b, "<h3>Fehler melden</h3>\n");
  LINES(b, "Haben Sie einen Fehler gefunden?", "Dann schreiben Sie uns.",
        "<a href=\"/kontakt\">So schreiben Sie uns</a>");
  kb_buf_adds(b, "<h2>Gebärden-Sprache</h2>\n");
  LINES(b, "Sie sprechen Deutsche Gebärden-Sprache?",
        "Dann lesen Sie hier weiter:",
        "<a href=\"/gebaerdensprache\">Informationen zur Gebärden-Sprache"
        "</a>");
  kb_buf_adds(b, "</div>\n");
  html_end(b);
  rep->cache = REPLY_CACHE_PAGE;
}

/* The offers in DGS, each checked against a stored copy of its page. */
static const struct dgs_offer {
  const char *url, *name, *what;
} dgs_offers[] = {
    {"https://teilhabeberatung.de/de-ls/artikel/"
     "die-deutsche-gebaerdensprache-dgs-nicht-nur-alltagskommunikation-"
     "sondern-auch-kunstform",
     "Ergänzende unabhängige Teilhabeberatung (EUTB)",
     "Die EUTB berät kostenlos, auch in Deutscher Gebärdensprache. Auf der "
     "Seite steht, wie Sie im Beratungs-Atlas eine Beratung in "
     "Gebärdensprache finden."},
    {"https://www.bmas.de/DE/Service/Presse/Meldungen/2015/"
     "barrierefrei-alltagsfragen-klaeren.html",
     "Bundesministerium für Arbeit und Soziales (BMAS)",
     "Das Gebärdentelefon des Bürgertelefons: gehörlose Mitarbeiterinnen "
     "und Mitarbeiter beantworten Fragen zu Arbeit und Sozialem in "
     "Gebärdensprache (Meldung des Ministeriums von 2015)."},
    {"https://www.bundesfachstelle-barrierefreiheit.de/DE/Fachwissen/"
     "Information-und-Kommunikation/Gebaerdensprache/"
     "gebaerdensprache_node.html",
     "Bundesfachstelle Barrierefreiheit",
     "Informationen zur Deutschen Gebärdensprache und eine Liste weiterer "
     "Angebote."},
};

void page_gebaerdensprache(struct MHD_Connection *conn, worker *w,
                           const server_config *cfg, const char *rest,
                           reply *rep) {
  (void)conn, (void)w, (void)cfg, (void)rest;
  kb_buf *b = rep->body;
  html_page p = {.title = "Gebärdensprache (DGS)",
                 .query = "",
                 .canonical = "/gebaerdensprache"};
  html_begin_page(b, &p);
  kb_buf_adds(
      b, "<div class=\"article easy\">\n<h1>Deutsche Gebärdensprache (DGS)"
         "</h1>\n<p>Diese Website hat noch keine Videos in Deutscher "
         "Gebärdensprache. Hier steht als Text, was Sie auf der Website "
         "finden. Unten stehen Links zu Angeboten in Gebärdensprache von "
         "Stellen, die für Arbeit und Behinderung zuständig sind.</p>\n"
         "<h2>Was bietet diese Website?</h2>\n<ul>\n"
         "<li>Artikel zu Arbeit und Behinderung: Rechte, Förderung, "
         "Hilfen am Arbeitsplatz, das Betriebliche Eingliederungsmanagement "
         "(BEM).</li>\n"
         "<li>Einen Artikel zum Thema <a href=\"/artikel/"
         "hoerbehinderung-im-beruf\">Hörbehinderung im Beruf</a> und einen zu "
         "<a href=\"/artikel/gebaerdensprachdolmetschen\">Gebärdensprach"
         "dolmetschen am Arbeitsplatz</a>.</li>\n"
         "<li>Die Seite <a href=\"/zustaendig\">Wer ist zuständig?</a>: Ämter "
         "und Beratungsstellen in Ihrem Bundesland.</li>\n"
         "<li>Oben auf jeder Seite ist ein Suchfeld. Schreiben Sie ein Wort "
         "hinein, zum Beispiel „Dolmetscher“, und drücken Sie auf "
         "„Suchen“.</li>\n</ul>\n"
         "<p>Fehler oder Barrieren melden Sie über die Seite <a href=\"/"
         "kontakt\">Kontakt</a>, per E-Mail.</p>\n"
         "<h2>Angebote in Gebärdensprache</h2>\n<ul class=\"offers\">\n");
  for (size_t i = 0; i < sizeof dgs_offers / sizeof *dgs_offers; i++)
    html_f(b,
           "<li><a rel=\"external\" href=\"%s\">%s<span class=\"sr\"> "
           "(externe Seite)</span></a><br>\n%s</li>\n",
           dgs_offers[i].url, dgs_offers[i].name, dgs_offers[i].what);
  kb_buf_adds(b, "</ul>\n<p><a href=\"/leichte-sprache\">Diese Website in "
                 "Leichter Sprache</a></p>\n</div>\n");
  html_end(b);
  rep->cache = REPLY_CACHE_PAGE;
}

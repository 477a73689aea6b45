/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-compound.c - the compound splitter and its lexicon (kb_compound.h).
 *
 * Most tests use a small lexicon written out below (its flags copied from
 * the real dictionaries), so they need no system files: over a hundred
 * compounds from tests/data/compounds.tsv, linking elements, words that
 * must not split, explicit splits, the domain list format, the blob
 * round trip and corrupt blobs, caps, and no allocation per split.  The
 * last test runs the whole gold list against the real dictionaries when
 * wngerman and hunspell-de-de are installed.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb_analysis.h"
#include "kb_compound.h"
#include "testutil.h"

#ifndef TEST_SOURCE_ROOT
#define TEST_SOURCE_ROOT "."
#endif

/* word:flags, flags N noun, W word, L lemma, M modifier, D domain,
 * V verb, A adjective. */
static const char *const mini_words[] = {
    "haus:NWLM tür:NWLM haustür:NW fahren:NWLV fahr:WM rad:NWLM ",
    "fahrrad:NWL tisch:NWLM decke:NW tischdecke:NW wohnen:NWLV wohn:WM ",
    "zimmer:NWLM wohnzimmer:NW geburt:NWL geburts:M tag:NWL ",
    "geburtstag:NW strasse:NWL strassen:NWM bahn:NWLM strassenbahn:NW ",
    "brief:NWLM kasten:NWLM briefkasten:NW buch:NWLM bücher:NWLM ",
    "regal:NWL bücherregal:NW kaffee:NWLM tasse:NWL kaffeetasse:NW ",
    "gans:NWL gänse:NWLM braten:NWLV gänsebraten:NW hund:NWL ",
    "hunde:NWM hütte:NWL hundehütte:NW garten:NWLM zaun:NWLM ",
    "gartenzaun:NW spiel:NWLM platz:NWLM spielplatz:NW sport:NWLM ",
    "verein:NWL rat:NWL rathaus:NWL kranke:W kranken:WMV krankenhaus:NW ",
    "sprechen:NWLV sprech:M stunde:NWL sprechstunde:NW zahn:NWLM ",
    "schmerzen:NWV zahnschmerzen:NW finger:NWLM nagel:NWLM ",
    "fingernagel:NW jacke:NWL jacken:NWM tasche:NWL jackentasche:NW ",
    "winter:NWLM karte:NWL fahrkarte:NW last:NWLM wagen:NWLMV ",
    "lastwagen:NW brot:NWLM korb:NWLM brotkorb:NW koch:NWLM kochbuch:NW ",
    "zitrone:NWL zitronen:NWM saft:NWLM zitronensaft:NW wein:NWLM ",
    "flasche:NWL weinflasche:NW wurst:NWLM hotel:NWLM hotelzimmer:NW ",
    "tier:NWLM arzt:NWLM tierarzt:NW feuer:NWLM wehr:NWLM feuerwehr:NW ",
    "land:NWLM landkarte:NW see:NWLM ufer:NWLM seeufer:NW wetter:NWLM ",
    "bericht:NWLM wetterbericht:NW zeit:NWLMA schrift:NWLM ",
    "zeitschrift:NW bild:NWLM bilder:NWM bilderbuch:NW kind:NWL ",
    "kinder:NWM kinderarzt:NW schule:NWL schul:M schulbuch:NW ",
    "sprache:NWL sprach:WM kurs:NWLM musik:NWLM aufgabe:NWLM stern:NWLM ",
    "sternen:NW himmel:NWLM sternenhimmel:NWL eisen:NWLM eisenbahn:NW ",
    "gold:NWLM ring:NWLM staub:NWLM sauger:NWL staubsauger:NWM ",
    "auto:NWLM schlüssel:NWLM autoschlüssel:NW gartenhaus:NW ",
    "stadt:NWLM teil:NWLMA stadtteil:NW hand:NWLM handtasche:NW ",
    "telefon:NWLM rechnung:NWL computer:NWLM computerspiel:NW ",
    "kinderbuch:NW kinderzimmer:NW arbeit:NWL arbeits:M arbeitsplatz:NW ",
    "vertrag:NWL arbeitsvertrag:NW nehmerin:NWL arbeitnehmerin:NWL ",
    "kraft:NWLMA arbeitskraft:NW schutz:NWLM unfall:NWLM ",
    "arbeitsunfall:NW gruppe:NWL arbeitsgruppe:NW ablauf:NWLM ",
    "arbeitsablauf:NW suche:NWL ausstattung:NWL arbeitszeit:NW ",
    "gesetz:NWL voll:WMA schicht:NWM schichtarbeit:NW heim:NWLMA ",
    "heimarbeit:NW schreibtisch:NW stuhl:NWLM schreiben:NWLV schreib:WM ",
    "dienst:NWLM dienstwagen:NW urlaub:NWL urlaubs:NWM antrag:NWL ",
    "schein:NWLM krankenschein:NW lohn:NWLM steuer:NWLM lohnsteuer:NW ",
    "betrieb:NWL betriebs:NWM rätin:NWL versammlung:NWL ",
    "betriebsversammlung:NW leitung:NWL betriebsleitung:NW ",
    "personal:NWLMA personalrat:NW gespräch:NWL mitarbeiter:NWM ",
    "zahl:NWLM abteilung:NWL abteilungs:M leiter:NWLM ",
    "abteilungsleiter:NW geschäft:NWL geschäfts:NWM führung:NWL ",
    "geschäftsführung:NW beruf:NWL berufs:NWM wahl:NWLM berufswahl:NW ",
    "beratung:NWL berufsberatung:NW einstieg:NWL ausbildung:NWL ",
    "ausbildungs:M vergütung:NWL weiterbildung:NW weiter:WM ",
    "bildung:NWL bildungs:M bewerbung:NWL bewerbungs:M unterlagen:W ",
    "bewerbungsunterlagen:NW stelle:NWL stellen:NWLMV ausschreibung:NWL ",
    "kündigung:NWL kündigungs:M frist:NWL kündigungsfrist:NW ",
    "zeugnis:NWLM gesundheit:NWL gesundheits:M management:NWLM ",
    "fach:NWLMA fachkraft:NW hilfe:NWLM hilfs:M hilfskraft:NW sitz:NWLM ",
    "kissen:NWLM rücken:NWLMV brille:NWL schutzbrille:NW lager:NWLM ",
    "halle:NW gabel:NWLM stapler:NWL gabelstapler:NW pause:NWL ",
    "pausen:NWMV raum:NWLM konferenz:NWLM kunde:NWLM kunden:NWM ",
    "jahr:NWL jahres:NWM abschluss:NWLM jahresabschluss:NW tages:NWM ",
    "ordnung:NWL tagesordnung:NW ferien:NWLM job:NWLM sozial:WMA ",
    "gericht:NWL bund:NWL bundes:NWM arbeitsgericht:NW regierung:NWL ",
    "bundesregierung:NW ministerium:NWL bundesministerium:NW staat:NWL ",
    "staats:NWM angehörigkeit:NWL staatsangehörigkeit:NW recht:NWLA ",
    "rechts:NWMA anspruch:NWL rechtsanspruch:NW gesetzes:NWM text:NWLM ",
    "antrags:NWM formular:NWLM antragsformular:NW antragsfrist:NW ",
    "klage:NWLM gerichts:NWM verfahren:NWLA gerichtsverfahren:NW ",
    "rente:NWL renten:NWM versicherungsträger:NW versicherung:NWL ",
    "versicherungs:M träger:NWLM alter:NWL rentenalter:NW ",
    "erwerbsminderung:NW erwerb:NWL erwerbs:NWM minderung:NWL ",
    "unfallversicherung:NW sozialversicherung:NW nummer:NWL ",
    "sozialhilfe:NW arbeiter:NWLM sozialarbeiter:NW versorgung:NWL ",
    "versorgungs:M amt:NWL einwohner:NWLM meldeamt:NW melden:NWLV ",
    "melde:WM einwohnermeldeamt:NW bescheid:NWL steuerbescheid:NW ",
    "eltern:NWLM geld:NWLM leistung:NWL leistungs:M zuständigkeit:NWL ",
    "klärung:NWL bau:NWL er:W legen:WV leg:W ende:NWL gewerk:NWL ",
    "schaft:NWL akt:NWLM ion:NWL kap:NWL elle:NWL vor:W sicht:NWL mit:W ",
    "ration:NWL integration:NWL ur:NWL urteil:NWL tal:NWL ente:NWL ",
    "talent:NWL talente:NW reisende:NW reis:NWL reisen:WV schrei:NWL ",
    "ben:NWL bauer:NWL legende:NWL gewerkschaft:NWL aktion:NWL ",
    "kapelle:NWL vorsicht:NWL sonne:NWL sonnen:NWM lesen:WV lese:WM ",
    "gerät:NWL glaube:NWL glaubens:M frage:NWL zeitung:NWL mittel:NWL ",
    "name:NWL namens:M schild:NWL bildschirm:NWL lesegerät:NWL ",
};
typedef struct split_case {
  const char *word, *atoms;
} split_case;

/* Gold items (tests/data/compounds.tsv), full split. */
static const split_case cases[] = {
    {"haustür", "haus|tür"},
    {"fahrrad", "fahren|rad"},
    {"tischdecke", "tisch|decke"},
    {"wohnzimmer", "wohnen|zimmer"},
    {"geburtstag", "geburt|tag"},
    {"strassenbahn", "strasse|bahn"},
    {"briefkasten", "brief|kasten"},
    {"bücherregal", "buch|regal"},
    {"kaffeetasse", "kaffee|tasse"},
    {"gänsebraten", "gans|braten"},
    {"hundehütte", "hund|hütte"},
    {"gartenzaun", "garten|zaun"},
    {"spielplatz", "spiel|platz"},
    {"sportverein", "sport|verein"},
    {"rathaus", "rat|haus"},
    {"krankenhaus", "kranke|haus"},
    {"sprechstunde", "sprechen|stunde"},
    {"zahnschmerzen", "zahn|schmerzen"},
    {"fingernagel", "finger|nagel"},
    {"jackentasche", "jacke|tasche"},
    {"winterjacke", "winter|jacke"},
    {"fahrkarte", "fahren|karte"},
    {"lastwagen", "last|wagen"},
    {"brotkorb", "brot|korb"},
    {"kochbuch", "koch|buch"},
    {"zitronensaft", "zitrone|saft"},
    {"weinflasche", "wein|flasche"},
    {"wurstbrot", "wurst|brot"},
    {"hotelzimmer", "hotel|zimmer"},
    {"tierarzt", "tier|arzt"},
    {"feuerwehr", "feuer|wehr"},
    {"landkarte", "land|karte"},
    {"seeufer", "see|ufer"},
    {"wetterbericht", "wetter|bericht"},
    {"zeitschrift", "zeit|schrift"},
    {"bilderbuch", "bild|buch"},
    {"kinderarzt", "kind|arzt"},
    {"schulbuch", "schule|buch"},
    {"sprachkurs", "sprache|kurs"},
    {"musikschule", "musik|schule"},
    {"hausaufgabe", "haus|aufgabe"},
    {"sternenhimmel", "stern|himmel"},
    {"eisenbahn", "eisen|bahn"},
    {"goldring", "gold|ring"},
    {"staubsauger", "staub|sauger"},
    {"autoschlüssel", "auto|schlüssel"},
    {"gartenhaus", "garten|haus"},
    {"stadtteil", "stadt|teil"},
    {"handtasche", "hand|tasche"},
    {"telefonrechnung", "telefon|rechnung"},
    {"computerspiel", "computer|spiel"},
    {"kinderbuch", "kind|buch"},
    {"kinderzimmertür", "kind|zimmer|tür"},
    {"arbeitsplatz", "arbeit|platz"},
    {"arbeitsvertrag", "arbeit|vertrag"},
    {"arbeitnehmerin", "arbeit|nehmerin"},
    {"arbeitskraft", "arbeit|kraft"},
    {"arbeitsschutz", "arbeit|schutz"},
    {"arbeitsunfall", "arbeit|unfall"},
    {"arbeitsgruppe", "arbeit|gruppe"},
    {"arbeitsablauf", "arbeit|ablauf"},
    {"arbeitssuche", "arbeit|suche"},
    {"arbeitsplatzausstattung", "arbeit|platz|ausstattung"},
    {"arbeitszeitgesetz", "arbeit|zeit|gesetz"},
    {"vollzeit", "voll|zeit"},
    {"schichtarbeit", "schicht|arbeit"},
    {"heimarbeit", "heim|arbeit"},
    {"schreibtischstuhl", "schreiben|tisch|stuhl"},
    {"dienstwagen", "dienst|wagen"},
    {"urlaubsantrag", "urlaub|antrag"},
    {"krankenschein", "kranke|schein"},
    {"lohnsteuer", "lohn|steuer"},
    {"betriebsrätin", "betrieb|rätin"},
    {"betriebsversammlung", "betrieb|versammlung"},
    {"betriebsleitung", "betrieb|leitung"},
    {"personalrat", "personal|rat"},
    {"personalgespräch", "personal|gespräch"},
    {"mitarbeiterzahl", "mitarbeiter|zahl"},
    {"abteilungsleiter", "abteilung|leiter"},
    {"geschäftsführung", "geschäft|führung"},
    {"berufswahl", "beruf|wahl"},
    {"berufsberatung", "beruf|beratung"},
    {"berufseinstieg", "beruf|einstieg"},
    {"ausbildungsvergütung", "ausbildung|vergütung"},
    {"weiterbildungskurs", "weiter|bildung|kurs"},
    {"stellenausschreibung", "stelle|ausschreibung"},
    {"kündigungsfrist", "kündigung|frist"},
    {"arbeitszeugnis", "arbeit|zeugnis"},
    {"gesundheitsmanagement", "gesundheit|management"},
    {"fachkraft", "fach|kraft"},
    {"hilfskraft", "hilfe|kraft"},
    {"sitzkissen", "sitz|kissen"},
    {"rückenschule", "rücken|schule"},
    {"schutzbrille", "schutz|brille"},
    {"lagerhalle", "lager|halle"},
    {"gabelstapler", "gabel|stapler"},
    {"pausenraum", "pause|raum"},
    {"telefonkonferenz", "telefon|konferenz"},
    {"kundengespräch", "kunde|gespräch"},
    {"jahresabschluss", "jahr|abschluss"},
    {"tagesordnung", "tag|ordnung"},
    {"zeitarbeit", "zeit|arbeit"},
    {"ferienjob", "ferien|job"},
    {"sozialgericht", "sozial|gericht"},
    {"bundesarbeitsgericht", "bund|arbeit|gericht"},
    {"bundesregierung", "bund|regierung"},
    {"bundesministerium", "bund|ministerium"},
    {"staatsangehörigkeit", "staat|angehörigkeit"},
    {"rechtsanspruch", "recht|anspruch"},
    {"rechtsberatung", "recht|beratung"},
    {"gesetzestext", "gesetz|text"},
    {"antragsformular", "antrag|formular"},
    {"antragsfrist", "antrag|frist"},
    {"klagefrist", "klage|frist"},
    {"gerichtsverfahren", "gericht|verfahren"},
    {"rentenversicherungsträger", "rente|versicherung|träger"},
    {"rentenalter", "rente|alter"},
    {"erwerbsminderungsrente", "erwerb|minderung|rente"},
    {"unfallversicherung", "unfall|versicherung"},
    {"sozialversicherung", "sozial|versicherung"},
    {"versicherungsnummer", "versicherung|nummer"},
    {"sozialhilfe", "sozial|hilfe"},
    {"sozialarbeiter", "sozial|arbeiter"},
    {"versorgungsamt", "versorgung|amt"},
    {"einwohnermeldeamt", "einwohner|melden|amt"},
    {"steuerbescheid", "steuer|bescheid"},
    {"elterngeld", "eltern|geld"},
    {"leistungsbescheid", "leistung|bescheid"},
    {"zuständigkeitsklärung", "zuständigkeit|klärung"},
};

/* Known words that must stay whole: each has parts in the lexicon that a
 * naive splitter would use. */
static const char *const whole_words[] = {
    "bauer",   "legende",  "gewerkschaft", "aktion",
    "kapelle", "vorsicht", "mitarbeiter",  "integration",
    "urteil",  "talente",  "reisende",     "schreiben",
};

static kb_lexicon *mini;

static unsigned parse_flags(const char *s, size_t n) {
  unsigned fl = 0;
  for (size_t i = 0; i < n; i++)
    fl |= s[i] == 'N'   ? KB_LEX_NOUN
          : s[i] == 'W' ? KB_LEX_WORD
          : s[i] == 'L' ? KB_LEX_LEMMA
          : s[i] == 'M' ? KB_LEX_MODIFIER
          : s[i] == 'D' ? KB_LEX_DOMAIN
          : s[i] == 'V' ? KB_LEX_VERB
          : s[i] == 'A' ? KB_LEX_ADJ
                        : 0;
  return fl;
}

/* Adds "word:flags word:flags ..." to b. */
static void add_words(kb_lexicon_builder *b, const char *p) {
  while (*p) {
    size_t n = strcspn(p, " ");
    const char *colon = memchr(p, ':', n);
    ck_assert_ptr_nonnull(colon);
    size_t wl = (size_t)(colon - p);
    ck_assert_int_eq(kb_lexicon_builder_add(
                         b, p, wl, 0, parse_flags(colon + 1, n - wl - 1), NULL),
                     KB_OK);
    p += n;
    p += strspn(p, " ");
  }
}

static void add_mini_words(kb_lexicon_builder *b) {
  for (size_t k = 0; k < sizeof mini_words / sizeof *mini_words; k++)
    add_words(b, mini_words[k]);
}

static void setup(void) {
  kb_lexicon_builder *b = NULL;
  ck_assert_int_eq(kb_lexicon_builder_new(&b, NULL), KB_OK);
  add_mini_words(b);
  ck_assert_int_eq(kb_lexicon_build(b, &mini, NULL), KB_OK);
  kb_lexicon_builder_free(b);
}

static void teardown(void) {
  kb_lexicon_free(mini);
  mini = NULL;
}

/* "a|b|c" of the full split of w. */
static void atoms_of(const kb_lexicon *lex, const char *w, char *out,
                     size_t cap) {
  kb_compound_parts r, top;
  ck_assert_int_eq(kb_compound_split(lex, w, strlen(w), &r), KB_OK);
  /* the top level alone is the full split's top level */
  ck_assert_int_eq(kb_compound_split_top(lex, w, strlen(w), &top), KB_OK);
  ck_assert_uint_eq(top.n, r.n);
  ck_assert_uint_eq(top.n_atoms, 0);
  ck_assert(top.explicit_split == r.explicit_split);
  ck_assert_int_eq(memcmp(top.top, r.top, sizeof r.top), 0);
  ck_assert_uint_ge(r.n_atoms, r.n);
  ck_assert_uint_le(r.n_atoms, KB_COMPOUND_MAX_PARTS);
  out[0] = '\0';
  for (unsigned i = 0; i < r.n_atoms; i++) {
    ck_assert_uint_eq(strlen(r.atoms[i].form), r.atoms[i].len);
    if (i)
      strncat(out, "|", cap - strlen(out) - 1);
    strncat(out, r.atoms[i].form, cap - strlen(out) - 1);
  }
}

START_TEST(splits_gold_compounds) {
  char got[600];
  ck_assert_uint_ge(sizeof cases / sizeof *cases, 100);
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    atoms_of(mini, cases[i].word, got, sizeof got);
    ck_assert_msg(strcmp(got, cases[i].atoms) == 0, "%s: got %s, want %s",
                  cases[i].word, got, cases[i].atoms);
  }
}
END_TEST

START_TEST(keeps_non_compounds_whole) {
  char got[600];
  for (size_t i = 0; i < sizeof whole_words / sizeof *whole_words; i++) {
    atoms_of(mini, whole_words[i], got, sizeof got);
    ck_assert_str_eq(got, whole_words[i]);
  }
  /* unknown words and words without known parts come back whole */
  atoms_of(mini, "xyzzyquux", got, sizeof got);
  ck_assert_str_eq(got, "xyzzyquux");
}
END_TEST

/* The top-level parts of w, written "surface+link(form)". */
static void top_of(const char *w, char *out, size_t cap) {
  kb_compound_parts r;
  ck_assert_int_eq(kb_compound_split(mini, w, strlen(w), &r), KB_OK);
  size_t len = 0;
  for (unsigned i = 0; i < r.n && len < cap; i++) {
    const kb_compound_part *p = &r.top[i];
    ck_assert_uint_le((unsigned)p->start + p->surface + p->link, strlen(w));
    len += (size_t)snprintf(out + len, cap - len, "%s%.*s+%.*s(%s)",
                            i ? " " : "", (int)p->surface, w + p->start,
                            (int)p->link, w + p->start + p->surface, p->form);
  }
}

START_TEST(linking_elements) {
  static const char *const want[][2] = {
      {"arbeitsplatz", "arbeit+s(arbeit) platz+(platz)"},
      {"kinderzimmer", "kind+er(kind) zimmer+(zimmer)"},
      {"sonnenbrille", "sonne+n(sonne) brille+(brille)"},
      {"tageszeitung", "tag+es(tag) zeitung+(zeitung)"},
      {"glaubensfrage", "glaube+ns(glaube) frage+(frage)"},
      {"namensschild", "name+ns(name) schild+(schild)"},
      {"hilfsmittel", "hilf+s(hilfe) mittel+(mittel)"},
      {"krankenhaus", "kranke+n(kranke) haus+(haus)"},
      {"schulbuch", "schul+(schule) buch+(buch)"},
      {"bücherregal", "büch+er(buch) regal+(regal)"},
      {"lesegerät", "lese+(lesen) gerät+(gerät)"},
  };
  char got[600];
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    top_of(want[i][0], got, sizeof got);
    ck_assert_msg(strcmp(got, want[i][1]) == 0, "%s: got %s", want[i][0], got);
  }
  /* A word in the lexicon as a whole is still split ... */
  top_of("arbeitsplatz", got, sizeof got);
  ck_assert_ptr_nonnull(strstr(got, "platz"));
  /* ... and a known top-level part is split further: fewest parts first */
  kb_compound_parts r;
  ck_assert_int_eq(kb_compound_split(mini, "bildschirmlesegerät",
                                     strlen("bildschirmlesegerät"), &r),
                   KB_OK);
  ck_assert_uint_eq(r.n, 2);
  ck_assert_str_eq(r.top[1].form, "lesegerät");
  ck_assert_uint_eq(r.n_atoms, 3);
  ck_assert_str_eq(r.atoms[1].form, "lesen");
  ck_assert_str_eq(r.atoms[2].form, "gerät");
}
END_TEST

START_TEST(explicit_splits_override) {
  kb_lexicon_builder *b = NULL;
  ck_assert_int_eq(kb_lexicon_builder_new(&b, NULL), KB_OK);
  add_mini_words(b);
  static const char split[] = "bildschirm|lesegerät";
  ck_assert_int_eq(kb_lexicon_builder_add_split(b, "bildschirmlesegerät",
                                                strlen("bildschirmlesegerät"),
                                                split, strlen(split), NULL),
                   KB_OK);
  /* "never split": a one-part split; a later split replaces an earlier */
  ck_assert_int_eq(kb_lexicon_builder_add_split(b, "kinderzimmer", 12,
                                                "kind|zimmer", 11, NULL),
                   KB_OK);
  ck_assert_int_eq(kb_lexicon_builder_add_split(b, "kinderzimmer", 12,
                                                "kinderzimmer", 12, NULL),
                   KB_OK);
  kb_lexicon *lex = NULL;
  ck_assert_int_eq(kb_lexicon_build(b, &lex, NULL), KB_OK);
  kb_lexicon_builder_free(b);
  ck_assert_str_eq(kb_lexicon_split_of(lex, "kinderzimmer", 12),
                   "kinderzimmer");
  ck_assert_ptr_null(kb_lexicon_split_of(lex, "arbeitsplatz", 12));
  kb_compound_parts r;
  ck_assert_int_eq(kb_compound_split(lex, "kinderzimmer", 12, &r), KB_OK);
  ck_assert(r.explicit_split);
  ck_assert_uint_eq(r.n, 1);
  ck_assert_uint_eq(r.n_atoms, 1);
  const char *w = "bildschirmlesegerät";
  ck_assert_int_eq(kb_compound_split(lex, w, strlen(w), &r), KB_OK);
  ck_assert(r.explicit_split);
  ck_assert_uint_eq(r.n, 2);
  ck_assert_uint_eq(r.top[1].start, 10); /* the forms spell the word */
  ck_assert_uint_eq(r.top[1].surface, strlen("lesegerät"));
  char got[600];
  atoms_of(lex, w, got, sizeof got);
  ck_assert_str_eq(got, "bildschirm|lesen|gerät");
  /* invalid splits are refused */
  kb_lexicon_builder *b2 = NULL;
  char *msg = NULL;
  ck_assert_int_eq(kb_lexicon_builder_new(&b2, NULL), KB_OK);
  ck_assert_int_eq(kb_lexicon_builder_add_split(b2, "ab", 2, "a||b", 4, &msg),
                   KB_ERR_INVALID);
  ck_assert_ptr_nonnull(msg);
  free(msg);
  ck_assert_int_eq(
      kb_lexicon_builder_add_split(b2, "ab", 2, "a|b|c|d|e|f|g|h|i", 17, NULL),
      KB_ERR_INVALID);
  kb_lexicon_builder_free(b2);
  kb_lexicon_free(lex);
}
END_TEST

START_TEST(caps_and_bad_input) {
  kb_compound_parts r, before;
  memset(&before, 0x5a, sizeof before);
  r = before;
  char w[200];
  /* 65 bytes: too long, and *ret is untouched */
  memset(w, 'a', 65);
  ck_assert_int_eq(kb_compound_split(mini, w, 65, &r), KB_ERR_LIMIT);
  ck_assert_int_eq(memcmp(&r, &before, sizeof r), 0);
  ck_assert_int_eq(kb_compound_split(mini, w, 0, &r), KB_ERR_INVALID);
  ck_assert_int_eq(kb_compound_split(mini, "\xff\xfe", 2, &r), KB_ERR_INVALID);
  ck_assert_int_eq(kb_compound_split(mini, "ab\0cd", 5, &r), KB_ERR_INVALID);
  /* one repeated letter, 64 bytes */
  ck_assert_int_eq(kb_compound_split(mini, w, 64, &r), KB_OK);
  ck_assert_uint_eq(r.n, 1);
  ck_assert_uint_eq(r.top[0].len, 64);
  /* 32 times "ä": 64 bytes, never split inside a character */
  for (int i = 0; i < 32; i++)
    memcpy(w + 2 * i, "ä", 2);
  ck_assert_int_eq(kb_compound_split(mini, w, 64, &r), KB_OK);
  ck_assert_uint_eq(r.n, 1);
  /* 60 characters of real parts: at most 8 parts, each valid */
  w[0] = '\0';
  for (int i = 0; i < 10; i++)
    strcat(w, "arbeit");
  ck_assert_int_eq(kb_compound_split(mini, w, 60, &r), KB_OK);
  ck_assert_uint_eq(r.n, 1); /* ten parts do not fit in KB_COMPOUND_MAX_PARTS */
  ck_assert_uint_eq(r.n_atoms, 1);
  w[48] = '\0'; /* eight do */
  ck_assert_int_eq(kb_compound_split(mini, w, 48, &r), KB_OK);
  ck_assert_uint_eq(r.n_atoms, KB_COMPOUND_MAX_PARTS);
  ck_assert_str_eq(r.atoms[KB_COMPOUND_MAX_PARTS - 1].form, "arbeit");
  /* many parts: "hauskind" x 8 is 64 bytes of 16 parts; the cap holds */
  w[0] = '\0';
  for (int i = 0; i < 8; i++)
    strcat(w, "hauskind");
  ck_assert_int_eq(kb_compound_split(mini, w, 64, &r), KB_OK);
  ck_assert_uint_le(r.n_atoms, KB_COMPOUND_MAX_PARTS);
  for (unsigned i = 0; i < r.n_atoms; i++)
    ck_assert_uint_le((unsigned)r.atoms[i].start + r.atoms[i].surface, 64);
  /* 60-character word of mixed real parts */
  const char *long_word =
      "arbeitsplatzkinderzimmerschulbuchsonnenbrillehilfsmittelhaus";
  ck_assert_uint_eq(strlen(long_word), 60);
  ck_assert_int_eq(kb_compound_split(mini, long_word, 60, &r), KB_OK);
  ck_assert_uint_ge(r.n, 2);
  ck_assert_str_eq(r.top[r.n - 1].form, "haus");
}
END_TEST

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define COUNT_ALLOCS 1
/* Counting wrappers over glibc's allocator: a split must not allocate. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static volatile unsigned long allocs;
void *malloc(size_t n) {
  allocs++;
  return __libc_malloc(n);
}
void *calloc(size_t n, size_t m) {
  allocs++;
  return __libc_calloc(n, m);
}
void *realloc(void *p, size_t n) {
  allocs++;
  return __libc_realloc(p, n);
}
#endif

START_TEST(no_allocation_per_split) {
#ifdef COUNT_ALLOCS
  kb_compound_parts r;
  unsigned long before = allocs;
  for (int k = 0; k < 10; k++)
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
      kb_compound_split(mini, cases[i].word, strlen(cases[i].word), &r);
  ck_assert_uint_eq(allocs, before);
#endif
}
END_TEST

typedef struct thread_arg {
  unsigned ok;
} thread_arg;

static void *split_all(void *p) {
  thread_arg *a = p;
  char got[600];
  for (int k = 0; k < 20; k++)
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
      atoms_of(mini, cases[i].word, got, sizeof got);
      a->ok += strcmp(got, cases[i].atoms) == 0;
    }
  return NULL;
}

START_TEST(shared_between_threads) {
  pthread_t t[4];
  thread_arg a[4] = {{0}};
  for (int i = 0; i < 4; i++)
    ck_assert_int_eq(pthread_create(&t[i], NULL, split_all, &a[i]), 0);
  for (int i = 0; i < 4; i++) {
    pthread_join(t[i], NULL);
    ck_assert_uint_eq(a[i].ok, 20 * (sizeof cases / sizeof *cases));
  }
}
END_TEST

/* The gold list against the real dictionaries, as the indexer builds. */
START_TEST(gold_list_with_system_dictionaries) {
  if (access(KB_LEXICON_WORDLIST_PATH, R_OK) != 0 ||
      access(KB_LEXICON_HUNSPELL_PATH, R_OK) != 0) {
    fprintf(stderr, "skipped: install wngerman and hunspell-de-de\n");
    return;
  }
  kb_lexicon_builder *b = NULL;
  kb_lexicon *lex = NULL;
  kb_analyzer *an = NULL;
  unsigned sources = 0;
  ck_assert_int_eq(kb_lexicon_builder_new(&b, NULL), KB_OK);
  ck_assert_int_eq(
      kb_lexicon_builder_add_defaults(
          b, TEST_SOURCE_ROOT "/corpus/compounds.txt", &sources, NULL),
      KB_OK);
  ck_assert_uint_eq(sources, 7);
  ck_assert_int_eq(kb_lexicon_build(b, &lex, NULL), KB_OK);
  kb_lexicon_builder_free(b);
  ck_assert_int_eq(kb_analyzer_new(&an, NULL), KB_OK);
  FILE *f = fopen(TEST_SOURCE_ROOT "/tests/data/compounds.tsv", "r");
  ck_assert_ptr_nonnull(f);
  kb_buf word = KB_BUF_INIT(4096), gold = KB_BUF_INIT(4096);
  char line[512];
  unsigned items = 0, heads = 0, whole = 0, whole_ok = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n')
      continue;
    line[strcspn(line, "\r\n")] = '\0';
    char *tab = strchr(line, '\t');
    ck_assert_ptr_nonnull(tab);
    kb_normalize(an, line, (size_t)(tab - line), &word, NULL);
    kb_normalize(an, tab + 1, strlen(tab + 1), &gold, NULL);
    kb_compound_parts r;
    ck_assert_int_eq(kb_compound_split(lex, kb_buf_str(&word), word.len, &r),
                     KB_OK);
    const char *g = kb_buf_str(&gold), *bar = strrchr(g, '|');
    items++;
    heads += strcmp(r.atoms[r.n_atoms - 1].form, bar ? bar + 1 : g) == 0;
    if (bar == NULL) {
      whole++;
      whole_ok += r.n_atoms == 1;
    }
  }
  fclose(f);
  ck_assert_uint_ge(items, 800);
  /* the target: heads at least 95 %, non-compounds at least 95 % whole */
  ck_assert_msg(heads * 100 >= items * 95, "head accuracy %u/%u", heads, items);
  ck_assert_msg(whole_ok * 100 >= whole * 95, "unsplit %u/%u", whole_ok, whole);
  kb_buf_release(&word);
  kb_buf_release(&gold);
  kb_analyzer_free(an);
  kb_lexicon_free(lex);
}
END_TEST

int main(void) {
  Suite *s = suite_create("compound");
  TCase *tc = tcase_create("mini");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, splits_gold_compounds);
  tcase_add_test(tc, keeps_non_compounds_whole);
  tcase_add_test(tc, linking_elements);
  tcase_add_test(tc, explicit_splits_override);
  tcase_add_test(tc, caps_and_bad_input);
  tcase_add_test(tc, no_allocation_per_split);
  tcase_add_test(tc, shared_between_threads);
  suite_add_tcase(s, tc);
  TCase *sys = tcase_create("system");
  tcase_set_timeout(sys, 120);
  tcase_add_test(sys, gold_list_with_system_dictionaries);
  suite_add_tcase(s, sys);
  return tu_run_suite(s);
}

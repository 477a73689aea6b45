#!/usr/bin/env python3
"""End-to-end tests of the pages a German site must have and of the pages
in Leichte Sprache and about sign language: /impressum, /datenschutz,
/barrierefreiheit, /kontakt ("Fehler melden"), /leichte-sprache and
/gebaerdensprache; the operator's [site] configuration that feeds them;
and the Leichte Sprache box of the ten central articles.

The real binary over real HTTP on the real corpus (the ten articles live
there); standard library only.  The browser suite (tests/browser) checks
the same pages with axe and at 320 px.

usage: e2e_legal.py PATH/TO/teilhabe SOURCE_ROOT
"""
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (shares the runner and the Server helper)

PAGES = {
    "/impressum": "Impressum",
    "/datenschutz": "Datenschutzerklärung",
    "/barrierefreiheit": "Erklärung zur Barrierefreiheit",
    "/kontakt": "Kontakt",
    "/leichte-sprache": "Leichte Sprache",
    "/gebaerdensprache": "Deutsche Gebärdensprache (DGS)",
}
OPERATOR_PAGES = ["/impressum", "/datenschutz", "/barrierefreiheit", "/kontakt"]
NOT_FILLED_IN = "Der Betreiber dieser Website hat seine Angaben noch nicht eingetragen."

# The central articles of issue #12 with a summary in Leichte Sprache.
EASY_ARTICLES = [
    "bem-grundlagen", "schwerbehinderung-gdb", "gleichstellung",
    "kuendigungsschutz-schwerbehinderte", "arbeitsassistenz",
    "technische-arbeitshilfen", "kinderkrankengeld", "inklusionsamt",
    "sbv-rechte", "budget-fuer-arbeit",
]

SITE_CONF = """\
[site]
operator = Verein <script>alert(1)</script> & "Partner" e. V.
address = Musterstraße 1, 12345 Musterstadt
email = redaktion@example.org
phone = +49 30 1234567
representative = Erika Mustermann
privacy-contact = datenschutz@example.org
accessibility-contact = barrierefrei@example.org
enforcement = Zuständig ist die <b>Schlichtungsstelle</b> des Landes Beispiel.
"""


def footer(body):
    m = re.search(r"<footer\b.*?</footer>", body, re.S)
    assert m, "page has a footer"
    return m.group(0)


def main_part(body):
    m = re.search(r"<main\b.*?</main>", body, re.S)
    assert m, "page has a main element"
    return m.group(0)


def hrefs(fragment):
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', fragment)]


class Legal(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-legal-")
        cls.db = os.path.join(cls.tmp, "index")
        e2e.run("index", "--db", cls.db, os.path.join(e2e.ROOT, "corpus"))
        cls.conf = os.path.join(cls.tmp, "teilhabe.conf")
        with open(cls.conf, "w", encoding="utf-8") as f:
            f.write(SITE_CONF)
        cls.zero_log = os.path.join(cls.tmp, "zero.log")
        # One server as installed without any configuration, one with the
        # operator's details (and the zero-result log switched on).
        cls.bare = e2e.Server(cls.db, "--config", "/dev/null")
        cls.site = e2e.Server(cls.db, "--config", cls.conf,
                              "--log-zero-results", cls.zero_log)

    @classmethod
    def tearDownClass(cls):
        cls.bare.stop()
        cls.site.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def page(self, server, path, status=200):
        got, headers, body = server.get(path)
        self.assertEqual(got, status, path)
        self.assertTrue(headers.get("Content-Type", "").startswith("text/html"), path)
        return body

    # ---- reachable from every page --------------------------------------

    def test_every_page_answers_from_the_footer_of_start_record_and_results(self):
        for origin in ("/", "/artikel/bem-grundlagen", "/suche?q=BEM",
                       "/suche?q=zeitmaschinenreparatur"):
            links = hrefs(footer(self.page(self.bare, origin)))
            for path, heading in PAGES.items():
                self.assertIn(path, links, "footer of %s links %s" % (origin, path))
        for path, heading in PAGES.items():
            body = self.page(self.bare, path)
            self.assertRegex(body, r"<h1>%s</h1>" % re.escape(heading), path)
            self.assertIn('<html lang="de">', body)
            self.assertEqual(body.count("<h1>"), 1, path)
            # A HEAD answers the same, as for every page of the site.
            status, _, _ = self.bare.get(path, method="HEAD")
            self.assertEqual(status, 200)

    def test_start_page_links_leichte_sprache_and_dgs_before_the_search(self):
        body = main_part(self.page(self.bare, "/"))
        search = body.index('<form class="search big"')
        for path in ("/leichte-sprache", "/gebaerdensprache"):
            at = body.find('href="%s"' % path)
            self.assertGreaterEqual(at, 0, path)
            self.assertLess(at, search, "%s is linked above the search box" % path)

    # ---- without configuration: nothing invented ------------------------

    def test_without_configuration_the_pages_say_so(self):
        for path in OPERATOR_PAGES:
            body = main_part(self.page(self.bare, path))
            self.assertIn(NOT_FILLED_IN, body, path)
            self.assertNotIn("mailto:", body, path)
            self.assertNotIn("tel:", body, path)
        body = self.page(self.bare, "/barrierefreiheit")
        self.assertIn("Der Betreiber dieser Website hat noch nicht eingetragen, "
                      "welches Verfahren für ihn gilt.", body)
        self.assertIn("teilweise vereinbar", body)
        body = self.page(self.bare, "/kontakt?eintrag=artikel/bem-grundlagen")
        self.assertIn("hat noch keine E-Mail-Adresse eingetragen", body)
        self.assertIn('href="/artikel/bem-grundlagen"', body)
        body = self.page(self.bare, "/datenschutz")
        self.assertIn("ist es <strong>ausgeschaltet</strong>", body)

    # ---- with configuration: the operator's values, escaped --------------

    def test_configured_values_appear_as_text(self):
        body = main_part(self.page(self.site, "/impressum"))
        self.assertNotIn(NOT_FILLED_IN, body)
        self.assertIn("Verein &lt;script&gt;alert(1)&lt;/script&gt; &amp; "
                      "&quot;Partner&quot; e. V.", body)
        self.assertNotIn("<script>alert", body)
        self.assertIn("Musterstraße 1, 12345 Musterstadt", body)
        self.assertIn("Erika Mustermann", body)
        self.assertIn('<a href="mailto:redaktion@example.org">', body)
        self.assertIn('<a href="tel:+49301234567">+49 30 1234567</a>', body)
        body = main_part(self.page(self.site, "/datenschutz"))
        self.assertIn('href="mailto:datenschutz@example.org"', body)
        self.assertIn("ist es <strong>eingeschaltet</strong>", body)
        for article in ("Art. 15", "Art. 17", "Art. 21", "Art. 77"):
            self.assertIn(article, body)
        body = main_part(self.page(self.site, "/barrierefreiheit"))
        self.assertIn('href="mailto:barrierefrei@example.org"', body)
        self.assertIn("Zuständig ist die &lt;b&gt;Schlichtungsstelle&lt;/b&gt;", body)
        self.assertNotIn("welches Verfahren für ihn gilt", body)
        self.assertIn("Verein &lt;script&gt;", body)  # "… ist bemüht, …"

    def test_fehler_melden_prepares_a_mail_and_stores_nothing(self):
        body = self.page(self.site, "/artikel/kinderkrankengeld")
        self.assertIn('href="/kontakt?eintrag=artikel/kinderkrankengeld"', body)
        body = self.page(self.site, "/kontakt?eintrag=artikel/kinderkrankengeld")
        m = re.search(r'<a class="button" href="(mailto:[^"]+)"', body)
        self.assertTrue(m, "a mailto link")
        url = urllib.parse.urlsplit(html.unescape(m.group(1)))
        self.assertEqual(url.path, "redaktion@example.org")
        self.assertNotIn("+", url.query)  # a space is %20 in mailto:
        fields = urllib.parse.parse_qs(url.query)
        self.assertEqual(fields["subject"],
                         ["Fehler in teilhabe: Kinderkrankengeld nach § 45 SGB V – "
                          "Tage, Höhe, Antrag"])
        self.assertIn(self.site.base + "/artikel/kinderkrankengeld", fields["body"][0])
        # The page is for this record only: not kept by shared caches.
        _, headers, _ = self.site.get("/kontakt?eintrag=artikel/kinderkrankengeld")
        self.assertNotIn("public", headers.get("Cache-Control", ""))

    def test_fehler_melden_refuses_what_is_not_a_record(self):
        for bad in ("../etc/passwd", "artikel/", "/bem-grundlagen", "artikel/BEM",
                    "artikel/bem grundlagen", "a" * 150 + "/" + "b" * 60,
                    "artikel/bem-grundlagen/x"):
            body = self.page(self.site, "/kontakt?" + urllib.parse.urlencode({"eintrag": bad}), 400)
            self.assertIn("eintrag=artikel/bem-grundlagen", body, bad)
        for missing in ("artikel/gibt-es-nicht", "urteil/bem-grundlagen"):
            body = self.page(self.site, "/kontakt?eintrag=" + missing, 404)
            self.assertIn("Eintrag nicht gefunden", body)
        self.page(self.site, "/kontakt?eintrag=")  # empty: the plain page

    # ---- the operator's values are checked at start ----------------------

    def test_bad_site_values_stop_the_server_with_a_reason(self):
        cases = [
            (["--site", "email=kein-at-zeichen"], "needs an e-mail address"),
            (["--site", "fax=123"], "is KEY=VALUE with a key of"),
            (["--site", "operator="], "has an empty value"),
            (["--site", "operator=" + "x" * 301], "longer than 300 bytes"),
            (["--site", "operator=a\tb"], "not plain UTF-8 text on one line"),
            (["--site", "phone=ruf an"], "needs a phone number"),
        ]
        for args, why in cases:
            p = subprocess.run([e2e.BIN, "serve", "--config", "/dev/null", "--db", self.db,
                                "--port", "0", *args], capture_output=True, text=True, timeout=20)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn(why, p.stderr, args)
        bad = os.path.join(self.tmp, "bad.conf")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("[site]\noperator = X\nimpressum = Y\n")
        p = subprocess.run([e2e.BIN, "serve", "--config", bad, "--db", self.db],
                           capture_output=True, text=True, timeout=20)
        self.assertEqual(p.returncode, 2)
        self.assertIn("bad.conf:3: unknown key 'impressum' in [site]", p.stderr)

    # ---- Leichte Sprache and DGS -----------------------------------------

    def test_leichte_sprache_page_explains_search_and_help(self):
        body = main_part(self.page(self.bare, "/leichte-sprache"))
        for words in ("Diese Internet-Seite heißt teilhabe.", "Such-Feld",
                      "Schwer-behinderung", "EUTB ist eine Abkürzung."):
            self.assertIn(words, body)
        links = hrefs(body)
        for internal in ("/anlaufstelle/eutb-teilhabeberatung", "/zustaendig",
                         "/kontakt", "/gebaerdensprache"):
            self.assertIn(internal, links)
            self.page(self.bare, internal)
        # Short sentences: no line of running text over 15 words.
        text = re.sub(r"<[^>]+>", "\n", body)
        for line in text.splitlines():
            self.assertLessEqual(len(line.split()), 15, line)

    def test_the_search_joins_the_hyphenated_words_of_leichte_sprache(self):
        for hyphenated, joined in (("Schwer-behinderung", "Schwerbehinderung"),
                                   ("Arbeits-Assistenz", "Arbeitsassistenz")):
            _, a = self.bare.json(e2e.search(hyphenated))
            _, b = self.bare.json(e2e.search(joined))
            self.assertGreater(a["total"], 0, hyphenated)
            self.assertEqual(a["results"][0]["id"], b["results"][0]["id"], hyphenated)

    def test_gebaerdensprache_page_links_offers_with_a_text_alternative(self):
        body = main_part(self.page(self.bare, "/gebaerdensprache"))
        self.assertIn("noch keine Videos in Deutscher Gebärdensprache", body)
        external = [h for h in hrefs(body) if h.startswith("http")]
        self.assertGreaterEqual(len(external), 3)
        for url in external:
            self.assertTrue(url.startswith("https://"), url)
        for internal in [h for h in hrefs(body) if h.startswith("/")]:
            self.page(self.bare, internal)

    def test_ten_central_articles_show_their_leichte_sprache_box(self):
        for rid in EASY_ARTICLES:
            body = self.page(self.bare, "/artikel/" + rid)
            m = re.search(r'<section class="easy-box" aria-labelledby="([^"]+)">\s*'
                          r'<h2 id="\1">In Leichter Sprache</h2>\s*<p>(.*?)</p>', body, re.S)
            self.assertTrue(m, rid)
            sentences = [s.strip() for s in m.group(2).split("<br>")]
            self.assertTrue(4 <= len(sentences) <= 8, (rid, len(sentences)))
            for s in sentences:
                self.assertLessEqual(len(s.split()), 15, s)
            # Above the article's text.
            self.assertLess(m.start(), body.index('<div class="body">'), rid)
            status, d = self.bare.json("/api/records/" + rid)
            self.assertEqual(status, 200)
            self.assertEqual(len(d["leichte_sprache"]), len(sentences), rid)
        # An article without one shows no box.
        body = self.page(self.bare, "/artikel/bem-checkliste")
        self.assertNotIn("easy-box", body)


if __name__ == "__main__":
    e2e.BIN, e2e.ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
    sys.exit(0 if prog.result.wasSuccessful() else 1)

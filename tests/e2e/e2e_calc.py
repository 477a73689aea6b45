#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end tests of the rules and the calculators, over real HTTP:

- the shipped corpus: /rechner/ausgleichsabgabe and
  /rechner/kinderkrankentage as pages and as JSON, worked cases whose
  figures come from named sources (BIH for the levy rates from 2025,
  DEHOGA Bayern and BIG direkt gesund for small employers, § 45 SGB V for
  the sick-child days), bad input as 400 naming the field, the links from
  the start page and the articles, and an article figure drawn from a
  rule;
- a scratch corpus: an article's figure follows its rule when the rule
  changes and the index is rebuilt; lint warns before a rule runs out and
  errors when a calculator would have no rule for today.

usage: e2e_calc.py PATH/TO/teilhabe SOURCE_ROOT
"""
import datetime
import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (shares the runner and the Server helper)
from e2e import run, Server  # noqa: E402

LEVY = "/api/rechner/ausgleichsabgabe"
KKT = "/api/rechner/kinderkrankentage"


class ShippedCalculators(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-calc-")
        cls.db = os.path.join(cls.tmp, "index")
        run("index", "--db", cls.db, os.path.join(e2e.ROOT, "corpus"))
        cls.server = Server(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def levy(self, year, jobs, disabled, **more):
        q = "%s?jahr=%s&arbeitsplaetze=%s&schwerbehinderte=%s" % (LEVY, year, jobs, disabled)
        for k, v in more.items():
            q += "&%s=%s" % (k, v)
        status, d = self.server.json(q)
        self.assertEqual(status, 200, d)
        return d

    def kkt(self, year, children, single):
        status, d = self.server.json("%s?jahr=%s&kinder=%s&alleinerziehend=%s" % (
            KKT, year, children, "true" if single else "false"))
        self.assertEqual(status, 200, d)
        return d

    # ---- levy: worked cases --------------------------------------------

    def test_levy_worked_cases(self):
        # (source, year, jobs, employed, pflichtplaetze, quote, satz, per month, per year)
        cases = [
            ("corpus article + BIH 2025, quota 2 %", 2025, "100", "2", 5, 2, 275, 825, 9900),
            ("corpus article + BIH 2025, quota 0 %", 2025, "100", "0", 5, 0, 815, 4075, 48900),
            ("corpus article + BIH 2025, quota 3 %", 2025, "100", "3", 5, 3, 155, 310, 3720),
            ("BIH 2024 rate, quota 2 %", 2024, "100", "2", 5, 2, 245, 735, 8820),
            ("BIG direkt 2024, 0 % with 60+ jobs", 2024, "100", "0", 5, 0, 720, 3600, 43200),
            ("DEHOGA Bayern 2025, under 40 jobs, none", 2025, "30", "0", 1, 0, 235, 235, 2820),
            ("DEHOGA Bayern 2025, under 60 jobs, none", 2025, "50", "0", 2, 0, 465, 930, 11160),
            ("BIG direkt 2024, under 60 jobs, none", 2024, "50", "0", 2, 0, 410, 820, 9840),
            ("DEHOGA Bayern 2025, under 60 jobs, one", 2025, "50", "1", 2, 2, 155, 155, 1860),
            ("§ 157 Abs. 2: 70 jobs round 3,5 up to 4", 2025, "70", "1", 4, 1.43, 405, 1215, 14580),
            ("§ 157 Abs. 2: 69 jobs round 3,45 down to 3", 2025, "69", "1", 3, 1.45, 405, 810, 9720),
        ]
        for src, year, jobs, dis, req, quote, rate, month, total in cases:
            with self.subTest(src):
                d = self.levy(year, jobs, dis)
                self.assertTrue(d["beschaeftigungspflichtig"])
                self.assertEqual(d["pflichtplaetze"], req)
                self.assertAlmostEqual(d["quote"], quote, places=2)
                self.assertEqual(d["satz"], rate)
                self.assertEqual(d["abgabe_monat"], month)
                self.assertEqual(d["abgabe_jahr"], total)

    def test_levy_names_norms_period_and_sources(self):
        d = self.levy(2025, "100", "2")
        self.assertIn("§ 154 Abs. 1 Satz 1 SGB IX", d["normen"])
        self.assertTrue(any("§ 160" in n for n in d["normen"]))
        self.assertEqual(d["gueltig"], {"von": "2025-01-01", "bis": None})
        rate = [r for r in d["regeln"] if r["feld"] == "ausgleichsabgabe.stufe2"][0]
        self.assertEqual(rate["wert"], 275)
        self.assertEqual(rate["gilt_ab"], "2025-01-01")
        self.assertTrue(rate["quelle"]["url"].startswith("https://bih.de/"))
        self.assertIn("ersetzt keine Beratung", d["hinweis_beratung"])
        d = self.levy(2024, "100", "2")
        self.assertEqual(d["gueltig"], {"von": "2024-01-01", "bis": "2024-12-31"})

    def test_levy_one_more_hire(self):
        d = self.levy(2025, "100", "2")["eine_einstellung_mehr"]
        self.assertEqual(d["quote"], 3)
        self.assertEqual(d["abgabe_jahr"], 3720)
        self.assertEqual(d["ersparnis_jahr"], 6180)

    def test_levy_decimals_trainees_and_small_firms(self):
        # Averages with decimals, as the law's yearly averaging gives them.
        d = self.levy(2025, "30", "0,5")
        self.assertEqual(d["unbesetzt"], 0.5)
        self.assertEqual(d["abgabe_jahr"], 930)
        d = self.levy(2025, "20.5", "0")
        self.assertEqual(d["abgabe_jahr"], 2820)
        # A severely disabled trainee counts on two places (§ 159 Abs. 2).
        d = self.levy(2025, "100", "1", azubis="1")
        self.assertEqual(d["besetzt"], 3)
        self.assertEqual(d["satz"], 155)
        # Below 20 jobs: no obligation, no levy.
        d = self.levy(2025, "19,99", "0")
        self.assertFalse(d["beschaeftigungspflichtig"])
        self.assertEqual(d["abgabe_jahr"], 0)

    def test_levy_bad_input_names_the_field(self):
        cases = [
            ("jahr=2025&arbeitsplaetze=abc&schwerbehinderte=2", "arbeitsplaetze"),
            ("jahr=2025&arbeitsplaetze=100", "schwerbehinderte"),
            ("jahr=2025&arbeitsplaetze=-5&schwerbehinderte=0", "arbeitsplaetze"),
            ("jahr=2025&arbeitsplaetze=1e9&schwerbehinderte=0", "arbeitsplaetze"),
            ("jahr=2025&arbeitsplaetze=99999999999999999999&schwerbehinderte=0", "arbeitsplaetze"),
            ("jahr=2025&arbeitsplaetze=10,555&schwerbehinderte=0", "arbeitsplaetze"),
            ("jahr=2025&arbeitsplaetze=10&schwerbehinderte=11", "schwerbehinderte"),
            ("jahr=2025&arbeitsplaetze=100&schwerbehinderte=1&azubis=x", "azubis"),
            # § 159 Abs. 1: one person counts on at most three places.
            ("jahr=2025&arbeitsplaetze=100&schwerbehinderte=1&mehrfach=3", "mehrfach"),
            ("jahr=20x5&arbeitsplaetze=100&schwerbehinderte=1", "jahr"),
            ("jahr=2023&arbeitsplaetze=100&schwerbehinderte=1", "jahr"),
            ("jahr=3000&arbeitsplaetze=100&schwerbehinderte=1", "jahr"),
            ("", "arbeitsplaetze"),
        ]
        for q, field in cases:
            with self.subTest(q):
                status, d = self.server.json(LEVY + "?" + q)
                self.assertEqual(status, 400)
                self.assertEqual(d["feld"], field)
                self.assertTrue(d["error"].startswith(field + ":"), d["error"])

    # ---- sick-child days ---------------------------------------------------

    def test_kkt_worked_cases(self):
        # § 45 Abs. 2a SGB V for 2024-2026, § 45 Abs. 2 SGB V from 2027.
        cases = [
            (2024, 1, False, 15, 15), (2025, 3, False, 15, 35),
            (2026, 2, False, 15, 30), (2026, 3, True, 30, 70),
            (2027, 1, False, 10, 10), (2027, 2, False, 10, 20),
            (2027, 3, False, 10, 25), (2027, 2, True, 20, 40),
            (2027, 3, True, 20, 50), (2026, 1, True, 30, 30),
        ]
        for year, kids, single, per_child, total in cases:
            with self.subTest((year, kids, single)):
                d = self.kkt(year, kids, single)
                self.assertEqual(d["tage_pro_kind"], per_child)
                self.assertEqual(d["tage_im_jahr"], total)

    def test_kkt_changes_between_2026_and_2027(self):
        a, b = self.kkt(2026, 2, False), self.kkt(2027, 2, False)
        self.assertEqual((a["tage_im_jahr"], b["tage_im_jahr"]), (30, 20))
        self.assertEqual(a["gueltig"], {"von": "2024-01-01", "bis": "2026-12-31"})
        self.assertEqual(b["gueltig"]["von"], "2027-01-01")
        self.assertIn("§ 45 Abs. 2a Satz 1 SGB V", a["normen"])
        self.assertIn("§ 45 Abs. 2 Satz 1 SGB V", b["normen"])
        # The note that the law may still change 2027.
        self.assertTrue(any("Gesetzgeber" in h for h in b["hinweise"]))
        # The page says so too.
        status, _, html = self.server.get("/rechner/kinderkrankentage?jahr=2026&kinder=2&alleinerziehend=false")
        self.assertEqual(status, 200)
        self.assertIn("<strong>30 Arbeitstage</strong>", html)
        self.assertIn("Im Jahr 2027 wären es nach den heute bekannten Regeln 20 statt 30", html)

    def test_kkt_bad_input(self):
        for q, field in [("jahr=2026&kinder=0", "kinder"), ("jahr=2026&kinder=2.5", "kinder"),
                         ("jahr=2026&kinder=21", "kinder"), ("jahr=2026", "kinder"),
                         ("jahr=2026&kinder=2&alleinerziehend=vielleicht", "alleinerziehend"),
                         ("jahr=1&kinder=2", "jahr"), ("jahr=2023&kinder=2", "jahr")]:
            with self.subTest(q):
                status, d = self.server.json(KKT + "?" + q)
                self.assertEqual(status, 400)
                self.assertEqual(d["feld"], field)

    # ---- pages -----------------------------------------------------------

    def test_pages_forms_and_results(self):
        status, _, html = self.server.get("/rechner/ausgleichsabgabe")
        self.assertEqual(status, 200)
        self.assertIn('<form class="calc" method="get" action="/rechner/ausgleichsabgabe">', html)
        self.assertIn("ersetzt keine Beratung", html)
        self.assertNotIn("h-ergebnis", html)
        self.assertNotIn("<script>", html.split("</head>")[1])  # no inline script
        status, _, html = self.server.get(
            "/rechner/ausgleichsabgabe?jahr=2025&arbeitsplaetze=100&schwerbehinderte=2")
        self.assertEqual(status, 200)
        self.assertIn("<strong>9.900\u00a0€</strong>", html)
        self.assertIn("3.720\u00a0€", html)
        self.assertIn("§ 160 Abs. 2 Satz 1 Nr. 2 SGB IX", html)
        self.assertIn("seit 01.01.2025, ohne bekanntes Ende", html)
        self.assertIn('href="https://bih.de/', html)
        self.assertIn('<option selected>2025</option>', html)
        status, _, html = self.server.get("/rechner")
        self.assertEqual(status, 200)
        self.assertIn('href="/rechner/ausgleichsabgabe"', html)
        self.assertIn('href="/rechner/kinderkrankentage"', html)

    def test_page_400_marks_the_field_and_escapes(self):
        status, _, html = self.server.get(
            "/rechner/ausgleichsabgabe?jahr=2025&arbeitsplaetze=%3Cb%3Ex&schwerbehinderte=1")
        self.assertEqual(status, 400)
        self.assertIn('role="alert"', html)
        self.assertIn("Bitte Eingabe prüfen", html)
        self.assertIn("arbeitsplaetze: bitte", html)
        self.assertRegex(html, r'id="c-arbeitsplaetze"[^>]*value="&lt;b&gt;x"[^>]*aria-invalid="true"')
        self.assertNotIn("<b>x", html)
        status, _, html = self.server.get("/rechner/kinderkrankentage?jahr=2023&kinder=1")
        self.assertEqual(status, 400)
        self.assertIn("jahr: für 2023 sind nicht alle Rechengrundlagen hinterlegt", html)

    def test_linked_from_start_page_and_articles(self):
        _, _, home = self.server.get("/")
        self.assertIn('href="/rechner"', home)
        for article, calc in [("ausgleichsabgabe", "ausgleichsabgabe"),
                              ("beschaeftigungspflicht", "ausgleichsabgabe"),
                              ("kinderkrankengeld", "kinderkrankentage"),
                              ("freistellung-kind-krank-ueberblick", "kinderkrankentage"),
                              ("kinderkrankentage-uebertragen", "kinderkrankentage")]:
            with self.subTest(article):
                status, _, html = self.server.get("/artikel/" + article)
                self.assertEqual(status, 200)
                self.assertRegex(html, r'href="/rechner/%s[?"]' % calc)

    def test_article_figures_come_from_the_rules(self):
        # The levy article's table is drawn from corpus/regeln: the same
        # figures as the calculator's rules for 2024 and 2025.
        _, _, html = self.server.get("/artikel/ausgleichsabgabe")
        self.assertNotIn("{{regel:", html)
        for fig in ["140 €", "155 €", "815 €", "720 €", "465 €"]:
            self.assertIn(fig, html)
        _, _, html = self.server.get("/artikel/kinderkrankengeld")
        self.assertNotIn("{{regel:", html)


def day(delta):
    return (datetime.date.today() + datetime.timedelta(days=delta)).isoformat()


RULE = """regeln:
  - feld: test.satz
    titel: Testsatz
    wert: {value}
    einheit: euro
    norm: "§ 160 Abs. 2 SGB IX"
    gilt_ab: 2020-01-01
{until}    quelle:
      url: "https://www.gesetze-im-internet.de/sgb_9_2018/__160.html"
      titel: "§ 160 SGB IX"
"""

ARTICLE = """---
id: satz-artikel
title: Ein Satz aus den Regeln
type: recht
summary: Ein Artikel, dessen Zahl aus einer Regel kommt.
audience: [arbeitgeber]
norms: ["§ 160 SGB IX"]
updated: 2026-01-01
related: [sbv]
---
Der Satz beträgt {{regel:test.satz}} Euro im Monat.
"""


class RuleChanges(unittest.TestCase):
    """A scratch corpus: the fixture plus one rule and one article."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="teilhabe-rules-")
        self.corpus = os.path.join(self.tmp, "corpus")
        shutil.copytree(os.path.join(e2e.ROOT, "tests", "fixtures", "corpus"), self.corpus)
        os.mkdir(os.path.join(self.corpus, "regeln"))
        with open(os.path.join(self.corpus, "satz-artikel.md"), "w") as f:
            f.write(ARTICLE)
        self.db = os.path.join(self.tmp, "index")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write_rule(self, value, until=None):
        with open(os.path.join(self.corpus, "regeln", "test.yaml"), "w") as f:
            f.write(RULE.format(value=value, until="    gilt_bis: %s\n" % until if until else ""))

    def page(self):
        run("index", "--db", self.db, self.corpus)
        server = Server(self.db)
        try:
            status, _, html = server.get("/artikel/satz-artikel")
        finally:
            server.stop()
        self.assertEqual(status, 200)
        return html

    def test_article_figure_changes_with_the_rule(self):
        self.write_rule("155")
        self.assertIn("Der Satz beträgt 155 Euro im Monat.", self.page())
        self.write_rule("170,50")
        html = self.page()
        self.assertIn("Der Satz beträgt 170,5 Euro im Monat.", html)
        self.assertNotIn("155", html)

    def test_article_shows_until_when_its_figures_hold(self):
        until = day(200)
        self.write_rule("155", until)
        html = self.page()
        d = datetime.date.fromisoformat(until)
        self.assertIn('<time datetime="%s">%02d.%02d.%d</time>' % (until, d.day, d.month, d.year), html)

    def test_lint_warns_before_a_rule_ends(self):
        self.write_rule("155", day(30))
        p = run("lint", self.corpus)
        self.assertRegex(p.stdout, r"regeln/test\.yaml:2: warning: the rule for 'test\.satz' ends")
        self.assertIn("30 days from now", p.stdout)

    def test_lint_errors_after_a_rule_ended(self):
        # The article quotes a figure no rule covers any more.
        self.write_rule("155", day(-1))
        p = run("lint", self.corpus, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stdout, r"satz-artikel\.md:11: error: no rule for 'test\.satz' on")
        self.assertIn("warning: the rule for 'test.satz' ended", p.stdout)

    def test_lint_errors_when_a_calculator_has_no_rule(self):
        # The shipped rules with the sick-child cap ending yesterday.
        shutil.copy(os.path.join(e2e.ROOT, "corpus", "regeln", "ausgleichsabgabe.yaml"),
                    os.path.join(self.corpus, "regeln"))
        with open(os.path.join(e2e.ROOT, "corpus", "regeln", "kinderkrankentage.yaml")) as f:
            text = f.read()
        # Cut the rules from 2027 and end 2024's rules yesterday.
        text = text.split("\n\n")
        kept = [t for t in text if "gilt_ab: 2027-01-01" not in t]
        text = "\n\n".join(kept).replace("gilt_bis: 2026-12-31", "gilt_bis: %s" % day(-1))
        with open(os.path.join(self.corpus, "regeln", "kinderkrankentage.yaml"), "w") as f:
            f.write(text)
        self.write_rule("155")
        p = run("lint", self.corpus, check=False)
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertRegex(p.stdout, r"kinderkrankentage\.yaml:\d+: error: a calculator needs "
                                   r"'kinderkrankentage\.je_kind', but no rule covers today")

    def test_broken_rule_is_a_lint_error_with_line(self):
        self.write_rule("1,234")
        p = run("lint", self.corpus, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stdout, r"regeln/test\.yaml:4: error: 'wert' '1,234'")


if __name__ == "__main__":
    e2e.BIN, e2e.ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
    r = prog.result
    bad = len(r.failures) + len(r.errors)
    print("%d passed, %d failed" % (r.testsRun - bad, bad))
    sys.exit(1 if bad else 0)

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end tests of record kinds: what schema.yaml declares reaches
lint, the index, the search, the facets, the pages, the API, the sitemap
and the feed - for a kind and a facet no code knows (the fixture
tests/fixtures/kinds: "hilfsmittel" with the facet "kategorie") and for
the shipped kinds (court decisions, glossary terms, contact points).

usage: e2e_kinds.py PATH/TO/teilhabe SOURCE_ROOT
"""
import json
import os
import re
import shutil
import sys
import tempfile
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (shares the runner and the Server helper)
from e2e import run, search, Server  # noqa: E402


class UnknownKind(unittest.TestCase):
    """A kind and a facet declared only in the fixture's schema.yaml."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-kinds-")
        cls.corpus = os.path.join(cls.tmp, "corpus")
        shutil.copytree(os.path.join(e2e.ROOT, "tests", "fixtures", "kinds"), cls.corpus)
        cls.db = os.path.join(cls.tmp, "index")
        run("index", "--db", cls.db, cls.corpus)
        cls.server = Server(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_lint_passes(self):
        out = run("lint", self.corpus).stdout
        self.assertIn("4 records, 0 errors", out)

    def test_kind_and_facet_filter_and_count(self):
        _, d = self.server.json(search("", kind="hilfsmittel"))
        self.assertEqual(d["total"], 3)
        self.assertEqual({r["kind"] for r in d["results"]}, {"hilfsmittel"})
        counts = {v["value"]: v["count"] for v in d["facets"]["kategorie"]}
        self.assertEqual(counts, {"sehen": 2, "sitzen": 1})
        kinds = {v["value"]: v["count"] for v in d["facets"]["kind"]}
        self.assertEqual(kinds, {"hilfsmittel": 3, "artikel": 1})
        _, d = self.server.json(search("", kategorie="sehen"))
        self.assertEqual({r["id"] for r in d["results"]}, {"braillezeile-40", "lupenbrille"})
        # Its query prefix, and a did-you-mean for an unknown value.
        _, d = self.server.json(search("gruppe:sitzen"))
        self.assertEqual([r["id"] for r in d["results"]], ["stehhilfe"])
        status, d = self.server.json(search("", kategorie="sehn"))
        self.assertEqual(status, 400)
        self.assertIn("did you mean 'sehen'", d["error"])

    def test_declared_text_field_is_searched(self):
        _, d = self.server.json(search("Beispielmöbel"))
        self.assertEqual([r["id"] for r in d["results"]], ["stehhilfe"])

    def test_record_api_has_declared_fields(self):
        status, d = self.server.json("/api/records/braillezeile-40")
        self.assertEqual(status, 200)
        self.assertEqual(d["kind"], "hilfsmittel")
        self.assertEqual(d["kind_label"], "Hilfsmittel")
        self.assertEqual(d["url"], "/hilfsmittel/braillezeile-40")
        self.assertEqual(d["hersteller"], "Beispielwerk Punktschrift")
        self.assertEqual(d["kategorie"], [{"value": "sehen", "label": "Sehen"}])
        self.assertEqual(d["geprueft_am"], "2026-11-30")
        self.assertNotIn("type", d)

    def test_page_shows_the_declared_facts(self):
        status, _, html = self.server.get("/hilfsmittel/braillezeile-40")
        self.assertEqual(status, 200)
        facts = re.search(r'<dl class="facts">(.*?)</dl>', html, re.S).group(1)
        self.assertIn("<dt>Produktgruppe</dt>", facts)
        self.assertIn('<a href="/suche?kategorie=sehen">Sehen</a>', facts)
        self.assertIn("<dt>Hersteller</dt><dd>Beispielwerk Punktschrift</dd>", facts)
        self.assertIn('<time datetime="2026-11-30">30.11.2026</time>', facts)
        self.assertIn('href="https://www.example.org/braillezeile"', facts)
        # The article that links it is listed as citing it.
        cited = html.split('id="h-cit"', 1)[1]
        self.assertIn('href="/artikel/hilfsmittel-foerderung"', cited)
        # Under another kind's path the record does not exist.
        status, _, _ = self.server.get("/artikel/braillezeile-40")
        self.assertEqual(status, 404)

    def test_sitemap_lists_every_kind(self):
        _, _, xml = self.server.get("/sitemap-1.xml")
        locs = [e.text for e in ET.fromstring(xml).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
        self.assertTrue(any(loc.endswith("/hilfsmittel/stehhilfe") for loc in locs), locs)
        self.assertTrue(any(loc.endswith("/artikel/hilfsmittel-foerderung") for loc in locs), locs)

    def test_stats_count_per_kind_and_facet(self):
        stats = json.loads(run("stats", "--json", "--db", self.db).stdout)
        kinds = {c["value"]: c["count"] for c in stats["counts"]["kind"]}
        self.assertEqual(kinds, {"artikel": 1, "hilfsmittel": 3})
        self.assertEqual(stats["unused_values"]["kategorie"], ["hoeren"])

    def test_lint_checks_the_kind_with_file_and_line(self):
        bad = os.path.join(self.tmp, "bad")
        shutil.copytree(self.corpus, bad)
        path = os.path.join(bad, "hilfsmittel", "stehhilfe.md")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("kategorie: [sitzen]", "kategorie: [sizten]")
        text = text.replace("hersteller: Beispielmöbel\n", "")
        text = text.replace("geprueft_am: 2026-09-15", "geprueft_am: 2026-02-30")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        out = run("lint", bad, check=False)
        self.assertEqual(out.returncode, 1)
        msgs = out.stdout + out.stderr
        self.assertRegex(msgs, r"stehhilfe\.md:\d+: error: unknown kategorie 'sizten' \(did you mean 'sitzen'\?\)")
        self.assertRegex(msgs, r"stehhilfe\.md:\d+: error: missing required field 'hersteller' \(kind 'hilfsmittel'\)")
        self.assertRegex(msgs, r"stehhilfe\.md:\d+: error: 'geprueft_am' must be a real date")
        # A kind the schema does not declare.
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("kind: hilfsmittel", "kind: hilfsmitel"))
        msgs = run("lint", bad, check=False).stdout
        self.assertRegex(msgs, r"stehhilfe\.md:3: error: unknown kind 'hilfsmitel' \(did you mean 'hilfsmittel'\?")


class ShippedKinds(unittest.TestCase):
    """The shipped corpus: case law, glossary and contact points."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-kinds-")
        cls.db = os.path.join(cls.tmp, "index")
        run("index", "--db", cls.db, os.path.join(e2e.ROOT, "corpus"))
        cls.server = Server(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def total(self, **params):
        _, d = self.server.json(search("", **params))
        return d["total"]

    def test_corpus_holds_the_three_kinds(self):
        self.assertGreaterEqual(self.total(kind="urteil"), 25)
        self.assertGreaterEqual(self.total(kind="begriff"), 120)
        # An Inklusionsamt for each of the 16 Länder (two in NRW).
        _, d = self.server.json(search("", kind="anlaufstelle", art="inklusionsamt", per_page=50))
        lands = set()
        for r in d["results"]:
            lands |= {v["value"] for v in r["land"]}
        self.assertEqual(len(lands - {"bund"}), 16, lands)
        self.assertGreaterEqual(d["total"], 17)
        # Nationwide directories of the other kinds.
        for art in ("eaa", "ifd", "eutb"):
            _, d = self.server.json(search("", kind="anlaufstelle", art=art, land="bund"))
            self.assertGreaterEqual(d["total"], 1, art)

    def test_every_decision_verified_and_dated(self):
        _, d = self.server.json(search("", kind="urteil", per_page=50))
        for r in d["results"]:
            self.assertRegex(r["datum"], r"^\d{4}-\d{2}-\d{2}$", r["id"])
            self.assertTrue(r["aktenzeichen"], r["id"])
            self.assertIn(r["gericht"], ("bag", "bsg", "bverwg", "bverfg", "bgh", "eugh",
                                         "lag", "lsg", "arbg", "sg"), r["id"])
            status, rec = self.server.json("/api/records/" + r["id"])
            self.assertEqual(status, 200)
            self.assertTrue(rec["sources"], r["id"])
            self.assertTrue(rec["quelle"].startswith("http"), r["id"])

    def test_file_number_in_its_usual_forms(self):
        for q in ("2 AZR 716/06", "2 AZR 716/6", "2AZR716/06", "716/06", "BAG 2 AZR 716/06"):
            _, d = self.server.json(search(q))
            self.assertEqual(d["results"][0]["id"], "bag-2-azr-716-06", q)
        # The Federal Administrative Court writes a dot; the EU court "C-".
        _, d = self.server.json(search("5 C 16.11"))
        self.assertEqual(d["results"][0]["aktenzeichen"], "5 C 16.11")
        _, d = self.server.json(search("C-335/11"))
        self.assertEqual(d["results"][0]["kind"], "urteil")
        # A date is no file number: the query still finds articles.
        _, d = self.server.json(search("Kündigung 12.07.2007"))
        self.assertGreater(d["total"], 0)

    def test_decisions_by_date(self):
        _, d = self.server.json(search("", kind="urteil", sort="datum", per_page=50))
        self.assertEqual(d["sort"], "datum")
        dates = [r["datum"] for r in d["results"]]
        self.assertEqual(dates, sorted(dates, reverse=True))
        _, _, html = self.server.get("/suche?kind=urteil")
        self.assertIn('href="/suche?kind=urteil&amp;sort=datum">Entscheidungsdatum', html)
        status, d = self.server.json(search("", sort="gibtsnicht"))
        self.assertEqual(status, 400)

    def test_court_facet(self):
        _, d = self.server.json(search("", kind="urteil"))
        courts = {v["value"]: v["count"] for v in d["facets"]["court"]}
        self.assertGreaterEqual(courts.get("bag", 0), 10)
        self.assertEqual(sum(courts.values()), d["total"])
        self.assertEqual(self.total(court="eugh"), courts["eugh"])

    def test_decision_page_lists_citing_articles(self):
        status, _, html = self.server.get("/urteil/bag-2-azr-755-13")
        self.assertEqual(status, 200)
        self.assertIn("<dt>Aktenzeichen</dt><dd>2 AZR 755/13</dd>", html)
        self.assertIn('<dt>Gericht</dt><dd><ul class="inline"><li><a href="/suche?court=bag">'
                      "Bundesarbeitsgericht</a></li></ul></dd>", html)
        cited = html.split('id="h-cit"', 1)[1].split("</section>", 1)[0]
        self.assertIn('href="/artikel/bem-grundlagen"', cited)
        # ... and the article links the decision.
        _, _, art = self.server.get("/artikel/bem-grundlagen")
        self.assertIn('href="/urteil/bag-2-azr-755-13"', art)

    def test_glossary_a_to_z_and_definition_above_results(self):
        status, _, html = self.server.get("/begriffe")
        self.assertEqual(status, 200)
        self.assertIn('<nav class="az"', html)
        self.assertIn('href="/begriff/begriff-gleichstellung"', html)
        self.assertGreaterEqual(html.count("<dt><a href=\"/begriff/"), 120)
        # Exactly a term, or one of its other names: the definition first.
        for q in ("Gleichstellung", "gleichstellung", "GdB"):
            _, d = self.server.json(search(q))
            self.assertIsNotNone(d["definition"], q)
            self.assertEqual(d["definition"]["kind"], "begriff", q)
            self.assertTrue(d["definition"]["body_html"], q)
        _, _, html = self.server.get("/suche?q=Gleichstellung")
        self.assertLess(html.index('class="definition"'), html.index('class="hits"'))
        _, d = self.server.json(search("Gleichstellung Kündigung"))
        self.assertIsNone(d["definition"])

    def test_finder_by_land_and_concern(self):
        status, _, html = self.server.get("/zustaendig?land=by&anliegen=kuendigung")
        self.assertEqual(status, 200)
        self.assertIn('href="/anlaufstelle/inklusionsamt-bayern"', html)
        self.assertNotIn('href="/anlaufstelle/inklusionsamt-berlin"', html)
        self.assertIn('<option value="by" selected>Bayern</option>', html)
        # A bad value is no choice, not an error.
        status, _, html = self.server.get("/zustaendig?land=xx")
        self.assertEqual(status, 200)
        self.assertIn('href="/anlaufstelle/inklusionsamt-berlin"', html)
        # Articles that say "beim Inklusionsamt beantragen" link the finder.
        _, _, art = self.server.get("/artikel/technische-arbeitshilfen")
        self.assertIn('href="/zustaendig"', art)

    def test_contact_point_api(self):
        status, d = self.server.json("/api/records/inklusionsamt-bayern")
        self.assertEqual(status, 200)
        self.assertEqual(d["kind"], "anlaufstelle")
        self.assertEqual(d["art"], "inklusionsamt")
        self.assertEqual([v["value"] for v in d["land"]], ["by"])
        self.assertTrue(d["web"].startswith("http"))

    def test_kinds_in_sitemap_feed_and_start_page(self):
        _, _, xml = self.server.get("/sitemap-1.xml")
        for path in ("/urteil/bag-2-azr-716-06", "/begriff/begriff-gleichstellung",
                     "/anlaufstelle/inklusionsamt-bayern", "/begriffe", "/zustaendig"):
            self.assertIn(path + "</loc>", xml)
        _, _, feed = self.server.get("/feed.xml?kind=urteil")
        self.assertIn("/urteil/", feed)
        self.assertNotIn("/artikel/", feed.split("<entry>", 1)[1])
        _, _, home = self.server.get("/")
        self.assertIn('href="/begriffe"', home)
        self.assertIn('href="/zustaendig"', home)
        self.assertIn('href="/suche?kind=urteil"', home)

    def test_old_article_api_stays(self):
        status, d = self.server.json("/api/articles/bem-grundlagen")
        self.assertEqual(status, 200)
        for key in ("id", "title", "type", "type_label", "summary", "updated", "url",
                    "audience", "disabilities", "topics", "norms", "laws", "sources",
                    "related", "body_html"):
            self.assertIn(key, d)


if __name__ == "__main__":
    e2e.BIN, e2e.ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
    r = prog.result
    bad = len(r.failures) + len(r.errors)
    print("%d passed, %d failed" % (r.testsRun - bad, bad))
    sys.exit(1 if bad else 0)

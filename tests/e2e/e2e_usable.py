#!/usr/bin/env python3
"""End-to-end tests of what issue #12 asked of the site for phones,
keyboards and screen readers, on the markup the server sends: snippets
without Markdown over every record of the fixture and the real corpus,
a page past the last (HTML and API), the count in the title, skip links
and the hits before the filters, no empty filter panel, autocomplete in
context, and record pages with a compact facts line, folded facts,
contents and labelled table regions.

The real binary over real HTTP; standard library only.  The browser
suite (tests/browser/usable.test.mjs) measures what needs a browser.

usage: e2e_usable.py PATH/TO/teilhabe SOURCE_ROOT
"""
import glob
import html as htmllib
import os
import re
import shutil
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (shares the runner and the Server helper)

# Markdown that must never reach a snippet.
TABLE_ROW = re.compile(r"^\s*\|")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{6,}")


def q(**params):
    return urllib.parse.urlencode(params, doseq=True)


def markdown_in(snippet):
    """What of Markdown's syntax the snippet (HTML) shows, or None."""
    text = htmllib.unescape(re.sub(r"</?mark>", "", snippet))
    if "|" in text:
        return "a table pipe"
    if "---" in text:
        return "a '---' line"
    if "**" in text or "__" in text:
        return "emphasis markers"
    for line in text.split("\n"):
        s = line.strip().lstrip("\u2026")
        if s.startswith("- ") or s.startswith("* ") or s.startswith("+ "):
            return "a list marker: %r" % line
        if s.startswith("#"):
            return "a heading marker: %r" % line
    return None


def structured_words(corpus):
    """Words from the tables, lists and headings of every record in
    `corpus`: searching them makes the snippets come from exactly the
    places that used to show Markdown."""
    words = set()
    for path in sorted(glob.glob(os.path.join(corpus, "**", "*.md"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if not text.startswith("---"):
            continue
        body = text.split("\n---", 1)[-1]
        picked = []
        for line in body.split("\n"):
            if TABLE_ROW.match(line) or LIST_ITEM.match(line) or line.startswith("#"):
                picked += WORD.findall(line)
        if not picked:  # a record of plain paragraphs: its own words
            picked = WORD.findall(body)
        # Two per record: the corpus is covered without a search per word.
        for w in sorted(set(picked), key=lambda w: (-len(w), w))[:2]:
            words.add(w)
    return sorted(words)


class Corpus:
    """Index and server for a corpus folder (a mixin's helpers)."""

    @classmethod
    def start(cls, corpus):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-usable-")
        cls.db = os.path.join(cls.tmp, "index")
        cls.corpus = corpus
        e2e.run("index", "--db", cls.db, corpus)
        cls.server = e2e.Server(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def snippets_are_plain(self, minimum):
        words = structured_words(self.corpus)
        self.assertGreaterEqual(len(words), minimum)
        seen = 0
        for w in words:
            status, d = self.server.json("/api/search?" + q(q=w, per_page=50))
            self.assertEqual(status, 200, w)
            for r in d["results"]:
                if not r["snippet"]:
                    continue
                seen += 1
                bad = markdown_in(r["snippet"])
                self.assertIsNone(bad, "%s in the snippet of %s for %r: %s"
                                  % (bad, r["id"], w, r["snippet"]))
                # The searched word, where the snippet shows it, is marked.
                plain = re.sub(r"</?mark>", "", r["snippet"])
                if re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(w), plain, re.I):
                    self.assertIn("<mark>%s</mark>" % w.lower(), r["snippet"].lower(),
                                  "%r in %s: %s" % (w, r["id"], r["snippet"]))
        self.assertGreater(seen, minimum)


class Fixtures(Corpus, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.start(os.path.join(e2e.ROOT, "tests", "fixtures", "corpus"))

    def test_snippets_without_markdown(self):
        self.snippets_are_plain(5)

    def test_title_and_live_region_carry_the_count(self):
        _, _, html = self.server.get("/suche?q=BEM")
        self.assertRegex(html, r"<title>BEM – \d+ Treffer – teilhabe</title>")
        self.assertRegex(html, r'<p class="status" role="status" aria-live="polite">'
                               r"\d+ (Eintrag|Einträge) gefunden</p>")
        _, _, html = self.server.get("/suche?q=xyzzyq")
        self.assertIn("<title>xyzzyq – keine Treffer – teilhabe</title>", html)
        _, _, html = self.server.get("/suche")
        self.assertIn("<title>Alle Einträge – 8 Treffer – teilhabe</title>", html)

    def test_skip_links_and_hits_before_filters(self):
        _, _, html = self.server.get("/suche?q=Arbeitsplatz")
        body = html.split("<body>", 1)[1]
        self.assertLess(body.index('href="#inhalt"'), body.index('href="#ergebnisse"'))
        self.assertIn('<a class="skip" href="#ergebnisse">Zu den Ergebnissen</a>', body)
        self.assertIn('<a class="skip" href="#filter">Zu den Filtern</a>', body)
        self.assertIn('id="ergebnisse"', body)
        self.assertLess(body.index('class="hits"'), body.index('class="facets"'))
        # Between the search box and the first hit: the button and the
        # one other sorting choice (the current one is no link).
        between = body[body.index('id="q-top"'):body.index('<ol class="hits"')]
        self.assertEqual(len(re.findall(r"<a [^>]*href=|<button", between)), 2, between)
        self.assertIn('<a aria-current="true">nach Relevanz</a>', between)

    def test_decorative_separators_are_hidden(self):
        _, _, html = self.server.get("/suche?q=Arbeitsplatz")
        hits = html[html.index('<ol class="hits"'):html.index("</ol>")]
        self.assertNotRegex(re.sub(r'<span aria-hidden="true">[^<]*</span>', "", hits), r"> · |· <")
        self.assertIn('<span aria-hidden="true"> · </span>', hits)

    def test_zero_results_show_no_filter_panel(self):
        status, _, html = self.server.get("/suche?q=xyzzyq")
        self.assertEqual(status, 200)
        self.assertNotIn('class="facets"', html)
        self.assertNotIn('href="#filter"', html)
        self.assertIn("Warum nichts gefunden wurde", html)

    def test_short_wildcard_is_explained(self):
        # "Be*" is not expanded: the page says why nothing was found
        # instead of claiming no record has the word, and the API says so.
        status, _, html = self.server.get("/suche?" + q(q="Be*"))
        self.assertEqual(status, 200)
        zero = html[html.index("Warum nichts gefunden wurde"):]
        self.assertIn("Wortanfänge ab drei Buchstaben", zero)
        self.assertNotIn("Kein Eintrag enthält diese Wörter", zero)
        _, d = self.server.json("/api/search?" + q(q="Be*"))
        self.assertEqual((d["total"], d["short_wildcard"]), (0, True))
        _, d = self.server.json("/api/search?" + q(q="BEM*"))
        self.assertGreater(d["total"], 0)
        self.assertFalse(d["short_wildcard"])
        _, _, html = self.server.get("/suche?" + q(q="BEM*"))
        self.assertNotIn("Wortanfänge ab drei Buchstaben", html)
        # Beside a word that finds something: a note above the results.
        _, _, html = self.server.get("/suche?" + q(q="Be* BEM"))
        notes = html[:html.index('<ol class="hits"')]
        self.assertRegex(notes, r'<p class="note">Ein Sternchen \(\*\) '
                                r"ergänzt nur Wortanfänge ab drei Buchstaben")
        # Beside a word no record has, that sentence stays true and is said.
        _, _, html = self.server.get("/suche?" + q(q="Be* xyzzyq"))
        self.assertIn("Kein Eintrag enthält diese Wörter", html)

    def test_page_past_the_end(self):
        _, d = self.server.json("/api/search?" + q(q="", per_page=3))
        total = d["total"]
        last = (total + 2) // 3
        # The API: 200, no results, the true totals and facets.
        status, d = self.server.json("/api/search?" + q(per_page=3, page=999))
        self.assertEqual(status, 200)
        self.assertEqual((d["total"], d["page"], d["results"]), (total, 999, []))
        self.assertTrue(any(d["facets"].values()))
        _, d = self.server.json("/api/search?" + q(per_page=3, page=last))
        self.assertGreater(len(d["results"]), 0)
        # The page: 404, a clear message, a link to the last page.
        status, _, html = self.server.get("/suche?per_page=3&page=999")
        self.assertEqual(status, 404)
        self.assertIn("<h3>Seite 999 gibt es nicht</h3>", html)
        self.assertIn('<a href="/suche?per_page=3&amp;page=%d">Zur letzten Seite (Seite %d)</a>'
                      % (last, last), html)
        self.assertNotIn("Seite 999 von", html)
        self.assertIn("Seite 999 gibt es nicht – teilhabe</title>", html)
        status, _, html = self.server.get("/suche?per_page=3&page=%d" % last)
        self.assertEqual(status, 200)
        self.assertIn("Seite %d von %d" % (last, last), html)

    def test_record_page_facts_line_and_folded_facts(self):
        _, _, html = self.server.get("/artikel/bem-grundlagen")
        line = re.search(r'<p class="facts-line">(.*?)</p>', html).group(1)
        self.assertIn("Betriebliches Eingliederungsmanagement", line)
        self.assertIn('Stand <time datetime="2026-05-01">01.05.2026</time>', line)
        self.assertNotIn("<a ", line)
        self.assertRegex(html, r'<details class="fold facts-more"><summary>Alle Angaben zum Eintrag'
                               r'</summary>\n<dl class="facts">')
        # The lead, the line and the folded box come before the text.
        self.assertLess(html.index('class="lead"'), html.index('class="facts-line"'))
        self.assertLess(html.index("</details>"), html.index('<div class="body">'))

    def test_suggest_in_context(self):
        _, d = self.server.json("/api/suggest?" + q(q="BEM Eingl"))
        self.assertEqual(d, ["BEM Eingliederungsmanagement"])
        _, d = self.server.json("/api/suggest?" + q(q="Gespr"))  # a body word
        self.assertEqual(d, [])


class RealCorpus(Corpus, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.start(os.path.join(e2e.ROOT, "corpus"))

    def test_snippets_without_markdown(self):
        self.snippets_are_plain(100)

    def test_suggest_whole_words_in_context(self):
        _, d = self.server.json("/api/suggest?" + q(q="rechte Hand"))
        self.assertFalse({"rechte Handy", "rechte Handel"} & set(d), d)
        _, d = self.server.json("/api/suggest?" + q(q="Gebärdensp"))
        self.assertIn("Gebärdensprache", d)
        self.assertNotIn("Gebärdensprach", d)
        _, d = self.server.json("/api/suggest?" + q(q="Hand"))
        self.assertFalse({"Handy", "Handel"} & set(d), d)
        _, d = self.server.json("/api/suggest?" + q(q="Schwerbehinderte Kün"))
        self.assertIn("Schwerbehinderte Kündigungsschutz", d)
        _, d = self.server.json("/api/suggest?" + q(q="Integr"))  # a synonym
        self.assertIn("Integrationsamt", d)

    def test_long_articles_get_contents_and_tables_a_region(self):
        _, _, html = self.server.get("/artikel/freistellung-kind-krank-ueberblick")
        sections = re.findall(r'<h2 id="abschnitt-(\d+)">', html)
        self.assertGreater(len(sections), 3)
        toc = re.search(r'<nav class="toc" aria-label="Inhalt">(.*?)</nav>', html, re.S).group(1)
        self.assertEqual(re.findall(r'href="#abschnitt-(\d+)"', toc), sections)
        self.assertIn("<summary>Inhalt", toc)
        wraps = re.findall(r'<div class="table-wrap" role="region" tabindex="0" '
                           r'aria-label="(Tabelle \d+[^"]*)"><table>', html)
        self.assertGreater(len(wraps), 0)
        self.assertEqual(html.count("<table>"), len(wraps))
        self.assertTrue(wraps[0].startswith("Tabelle 1: "), wraps[0])
        # Short articles: no contents.
        _, _, html = self.server.get("/begriff/begriff-gleichstellung")
        self.assertNotIn('class="toc"', html)

    def test_page_past_the_end_of_a_query(self):
        _, d = self.server.json("/api/search?" + q(q="BEM", page=999))
        self.assertGreater(d["total"], 10)
        self.assertEqual(d["results"], [])
        status, _, html = self.server.get("/suche?q=BEM&page=999")
        self.assertEqual(status, 404)
        last = (d["total"] + 9) // 10
        self.assertIn('href="/suche?q=BEM&amp;page=%d">Zur letzten Seite' % last, html)


if __name__ == "__main__":
    e2e.main()

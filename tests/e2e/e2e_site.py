#!/usr/bin/env python3
"""End-to-end tests of the web front end beyond search: autocomplete,
feeds, OpenSearch, sitemap, article structured data and breadcrumbs, the
asset budget and the markup rules (no inline script or style).

The real binary over real HTTP on the fixture corpus; standard library
only.  The browser suite (tests/browser) covers what needs a browser.

usage: e2e_site.py PATH/TO/teilhabe SOURCE_ROOT
"""
import json
import os
import re
import shutil
import sys
import tempfile
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (shares the runner and the Server helper)

ATOM = "{http://www.w3.org/2005/Atom}"


def q(**params):
    return urllib.parse.urlencode(params, doseq=True)


class Site(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-site-")
        cls.db = os.path.join(cls.tmp, "index")
        e2e.run("index", "--db", cls.db, os.path.join(e2e.ROOT, "tests", "fixtures", "corpus"))
        cls.server = e2e.Server(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # ---- autocomplete -------------------------------------------------

    def test_suggest_completes_last_word(self):
        status, d = self.server.json("/api/suggest?" + q(q="Einglie"))
        self.assertEqual(status, 200)
        self.assertIn("Eingliederungsmanagement", d)
        self.assertLessEqual(len(d), 10)
        _, d = self.server.json("/api/suggest?" + q(q="BEM einglie"))
        self.assertIn("BEM eingliederungsmanagement", d)
        _, d = self.server.json("/api/suggest?" + q(q="Hoerger"))
        self.assertEqual(d, [])  # completion is by prefix, not by sound
        _, d = self.server.json("/api/suggest?" + q(q="Hörger"))
        self.assertEqual(d, ["Hörgerät"])

    def test_suggest_edges(self):
        for text in ("", "x", "BEM ", "!!!", "§"):
            status, d = self.server.json("/api/suggest?" + q(q=text))
            self.assertEqual((status, d), (200, []), repr(text))
        status, d = self.server.json("/api/suggest?" + q(q="a" * 101))
        self.assertEqual(status, 400)
        self.assertIn("100", d["error"])
        status, d = self.server.json("/api/suggest?q=%FF%FE")
        self.assertEqual(status, 400)
        status, d = self.server.json("/api/suggest?q=x&nonsense=1")
        self.assertEqual(status, 400)
        # Not application/json but the OpenSearch suggestions type, which
        # Server.json() would refuse: parse the body here.
        _, _, body = self.server.get("/api/suggest?" + q(q="Einglie", format="opensearch"))
        d = json.loads(body)
        self.assertEqual(d[0], "Einglie")
        self.assertIn("Eingliederungsmanagement", d[1])

    def test_suggest_is_fast(self):
        times = []
        for _ in range(50):
            t = time.perf_counter()
            status, _, _ = self.server.get("/api/suggest?" + q(q="Arbeits"))
            times.append(time.perf_counter() - t)
            self.assertEqual(status, 200)
        times.sort()
        self.assertLess(times[len(times) // 2], 0.010, "median over 10 ms")

    # ---- feeds, OpenSearch, sitemap ------------------------------------

    def test_atom_feed_of_a_search(self):
        status, headers, body = self.server.get("/feed.xml?" + q(q="BEM", audience="sbv"))
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/atom+xml"))
        feed = ET.fromstring(body)
        self.assertEqual(feed.tag, ATOM + "feed")
        self.assertEqual(feed.find(ATOM + "title").text,
                         "teilhabe: Suche „BEM“ (Schwerbehindertenvertretung)")
        self.assertEqual(len(feed.findall(ATOM + "entry")), 1)
        _, _, body = self.server.get("/feed.xml?" + q(type=["recht", "bem"], audience="sbv"))
        feed = ET.fromstring(body)
        entries = feed.findall(ATOM + "entry")
        ids = [e.find(ATOM + "id").text.rsplit("/", 1)[1] for e in entries]
        self.assertEqual(set(ids), {"bem-grundlagen", "sbv"})
        dates = [e.find(ATOM + "updated").text for e in entries]
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.assertRegex(dates[0], r"^\d{4}-\d\d-\d\dT00:00:00Z$")
        self.assertEqual(feed.find(ATOM + "updated").text, dates[0])
        self.assertTrue(feed.find(ATOM + "id").text.startswith("http://"))

    def test_atom_feed_without_parameters_lists_recent(self):
        _, _, body = self.server.get("/feed.xml")
        entries = ET.fromstring(body).findall(ATOM + "entry")
        self.assertEqual(len(entries), 8)
        self.assertTrue(entries[0].find(ATOM + "link").get("href").endswith("/artikel/kinderkrankengeld"))
        _, _, body = self.server.get("/feed.xml?per_page=2")
        self.assertEqual(len(ET.fromstring(body).findall(ATOM + "entry")), 2)
        status, _, _ = self.server.get("/feed.xml?type=rechtt")
        self.assertEqual(status, 400)

    def test_feed_escapes_and_stays_well_formed(self):
        status, _, body = self.server.get("/feed.xml?" + q(q='<x>&"\x01'))
        self.assertEqual(status, 200)
        title = ET.fromstring(body).find(ATOM + "title").text
        self.assertIn('<x>&"', title)

    def test_opensearch_description(self):
        status, headers, body = self.server.get("/opensearch.xml", headers={"Host": "teilhabe.example"})
        self.assertEqual(status, 200)
        self.assertIn("opensearchdescription+xml", headers["Content-Type"])
        ns = "{http://a9.com/-/spec/opensearch/1.1/}"
        doc = ET.fromstring(body)
        urls = {u.get("type"): u.get("template") for u in doc.findall(ns + "Url")}
        self.assertEqual(urls["text/html"], "http://teilhabe.example/suche?q={searchTerms}")
        self.assertIn("/api/suggest?q={searchTerms}", urls["application/x-suggestions+json"])
        self.assertIn("/feed.xml?q={searchTerms}", urls["application/atom+xml"])
        _, _, html = self.server.get("/")
        self.assertIn('rel="search" type="application/opensearchdescription+xml"', html)

    def test_bad_host_header_is_not_echoed(self):
        _, _, body = self.server.get("/opensearch.xml", headers={"Host": "evil\"><x"})
        self.assertNotIn("evil", body)
        self.assertIn("http://localhost/suche", body)

    def test_sitemap_lists_every_article(self):
        # /sitemap.xml is an index; a small corpus fits its first file.
        status, headers, body = self.server.get("/sitemap.xml")
        self.assertEqual(status, 200)
        ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
        files = [s.find(ns + "loc").text for s in ET.fromstring(body).findall(ns + "sitemap")]
        self.assertEqual(files, [self.server.base + "/sitemap-1.xml"])
        status, headers, body = self.server.get("/sitemap-1.xml")
        self.assertEqual(status, 200)
        urls = ET.fromstring(body).findall(ns + "url")
        locs = [u.find(ns + "loc").text for u in urls]
        self.assertEqual(len(locs), 9)  # the start page and 8 articles
        self.assertTrue(any(l.endswith("/artikel/hoergeraet") for l in locs))
        lastmods = [u.find(ns + "lastmod").text for u in urls[1:]]
        self.assertIn("2026-03-01", lastmods)

    # ---- pages ---------------------------------------------------------

    def test_results_page_links_feed_and_keeps_state(self):
        _, _, html = self.server.get("/suche?" + q(q="Arbeitsplatz", per_page=2))
        self.assertIn('<link rel="alternate" type="application/atom+xml"', html)
        self.assertIn('href="/feed.xml?q=Arbeitsplatz"', html)
        self.assertIn('value="Arbeitsplatz"', html)  # the box keeps the query
        self.assertIn("per_page=2&amp;page=2", html)  # paging keeps per_page
        self.assertIn('role="status"', html)
        self.assertIn('<meta name="robots" content="noindex, follow">', html)

    def test_html_facet_counts_equal_api_everywhere(self):
        for params in ({}, {"type": "anpassung"}, {"q": "Arbeitsplatz", "audience": "arbeitgeber"},
                       {"type": ["recht", "bem"], "audience": "sbv"}, {"norm": "SGB IX"}):
            _, api = self.server.json("/api/search?" + q(**params))
            _, _, html = self.server.get("/suche?" + q(**params))
            for facet in api["facets"].values():
                for f in facet:
                    label = f["label"].replace("&", "&amp;")
                    self.assertIn("%s <span class=\"count\">(%d)</span>" % (label, f["count"]), html,
                                  (params, f))

    def test_article_structured_data(self):
        status, _, html = self.server.get("/artikel/bem-grundlagen", headers={"Host": "teilhabe.example"})
        self.assertEqual(status, 200)
        m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        self.assertIsNotNone(m)
        ld = json.loads(m.group(1))
        self.assertEqual(ld["@context"], "https://schema.org")
        self.assertEqual(ld["@type"], "Article")
        self.assertEqual(ld["headline"], "Betriebliches Eingliederungsmanagement")
        self.assertEqual(ld["dateModified"], "2026-05-01")
        self.assertEqual(ld["url"], "http://teilhabe.example/artikel/bem-grundlagen")
        self.assertIn("Schwerbehindertenvertretung", ld["audience"]["audienceType"])
        self.assertIn('<link rel="canonical" href="/artikel/bem-grundlagen">', html)
        self.assertIn('class="print-only"', html)

    def test_breadcrumbs_follow_the_referring_search(self):
        base = self.server.base
        host = base.split("//", 1)[1]
        ref = base + "/suche?q=Hilfsmittel+%3Cb%3E&type=anpassung&page=1&foo=bar"
        _, _, html = self.server.get("/artikel/hoergeraet", headers={"Referer": ref, "Host": host})
        self.assertIn('<a class="back" href="/suche?q=Hilfsmittel+%3Cb%3E&amp;type=anpassung">'
                      "Suche „Hilfsmittel &lt;b&gt;“</a>", html)
        # Another site, another path or a broken search: the type instead.
        for other in ("http://elsewhere.example/suche?q=x", base + "/artikel/sbv",
                      base + "/suche?type=gibtsnicht", base + "/suche?page=0"):
            _, _, html = self.server.get("/artikel/hoergeraet", headers={"Referer": other, "Host": host})
            self.assertNotIn('class="back"', html, other)
            self.assertIn('<a href="/suche?type=anpassung">', html)

    def test_result_links_send_the_search_to_the_article_only(self):
        _, headers, html = self.server.get("/suche?q=Hörgerät".replace("ö", "%C3%B6").replace("ä", "%C3%A4"))
        self.assertEqual(headers.get("Referrer-Policy"), "no-referrer")
        self.assertIn('href="/artikel/hoergeraet" referrerpolicy="same-origin"', html)

    def test_no_inline_script_or_style(self):
        for path in ("/", "/suche?q=BEM", "/suche?q=xyzzy&type=recht", "/artikel/sbv",
                     "/gibt-es-nicht"):
            _, _, html = self.server.get(path)
            self.assertNotRegex(html, r"<script(?![^>]*(src=|type=\"application/ld\+json\"))", path)
            self.assertNotRegex(html, r"\sstyle=", path)
            self.assertNotRegex(html, r"\son[a-z]+=", path)
            self.assertNotRegex(html, r"(src|href)=\"(https?:)?//", path)  # self-contained
            self.assertIn('<script src="/static/suggest.js" defer></script>', html)

    def test_assets_are_served_and_small(self):
        total = 0
        for path, ctype in (("/static/style.css", "text/css"), ("/static/suggest.js", "text/javascript")):
            status, headers, body = self.server.get(path)
            self.assertEqual(status, 200)
            self.assertTrue(headers["Content-Type"].startswith(ctype))
            total += len(body.encode("utf-8"))
        self.assertLess(total, 30 * 1024)

    def test_zero_results_with_several_filters(self):
        _, _, html = self.server.get("/suche?" + q(q="Hörgerät", type="recht", audience="sbv"))
        self.assertIn("Kein Eintrag gefunden", html)
        self.assertIn("ohne Filter Rechtliche Ansprüche: 0 Einträge", html)
        self.assertIn("ohne Filter Schwerbehindertenvertretung: 0 Einträge", html)
        self.assertIn('<a href="/suche?q=H%C3%B6rger%C3%A4t">ohne alle Filter: 1 Eintrag</a>', html)

    def test_start_page_entry_points(self):
        _, _, html = self.server.get("/")
        self.assertIn('<a href="/suche?type=anpassung">Arbeitsplatzgestaltung und Hilfsmittel '
                      '<span class="count">(3)</span></a>', html)
        self.assertIn('<a href="/suche?disability=hoerbehinderung">', html)
        recent = html.split('id="h-neu"', 1)[1]
        self.assertLess(recent.index("kinderkrankengeld"), recent.index("bem-grundlagen"))


if __name__ == "__main__":
    e2e.BIN, e2e.ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
    r = prog.result
    bad = len(r.failures) + len(r.errors)
    print("%d passed, %d failed" % (r.testsRun - bad, bad))
    sys.exit(1 if bad else 0)

#!/usr/bin/env python3
"""End-to-end tests: the real `teilhabe` binary over real HTTP.

Indexes the fixture corpus (and the real corpus), starts `teilhabe serve`
on a free port and checks what a user or an API client sees.  Standard
library only, so it runs wherever meson does.

usage: e2e.py PATH/TO/teilhabe SOURCE_ROOT
"""
import html as html_lib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

BIN = None
ROOT = None


def run(*args, check=True, cwd=None, env=None):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120,
                       cwd=cwd, env=env)
    if check and p.returncode != 0:
        raise AssertionError("teilhabe %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
    return p


class Server:
    """`teilhabe serve --port 0` in the background; knows its URL."""

    def __init__(self, db, *extra):
        self.proc = subprocess.Popen([BIN, "serve", "--db", db, "--port", "0", *extra],
                                     stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 20
        self.base = None
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            m = re.search(r"listening on (http://\S+?)/?$", line.strip())
            if m:
                self.base = m.group(1)
                break
            if not line and self.proc.poll() is not None:
                break
        if self.base is None:
            self.stop()
            raise AssertionError("server did not start")

    def get(self, path, method="GET", headers=None):
        path = urllib.parse.quote(path, safe="/?&=%+:;,@!$'()*[]~")
        req = urllib.request.Request(self.base + path, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode("utf-8")

    def json(self, path):
        status, headers, body = self.get(path)
        assert headers.get("Content-Type", "").startswith("application/json"), headers
        return status, json.loads(body)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stderr.close()


def search(q, **params):
    params["q"] = q
    return "/api/search?" + urllib.parse.urlencode(params, doseq=True)


class FixtureSite(unittest.TestCase):
    """The site over the small fixture corpus."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-e2e-")
        cls.db = os.path.join(cls.tmp, "index")
        cls.corpus = os.path.join(ROOT, "tests", "fixtures", "corpus")
        run("index", "--db", cls.db, cls.corpus)
        cls.server = Server(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_healthz(self):
        status, _, body = self.server.get("/healthz")
        self.assertEqual(status, 200)
        self.assertEqual(body.strip(), "ok")

    def test_search_api_shape(self):
        status, d = self.server.json(search("Eingliederungsmanagement"))
        self.assertEqual(status, 200)
        for key in ("query", "total", "page", "per_page", "results", "facets", "suggestion"):
            self.assertIn(key, d)
        self.assertEqual(d["results"][0]["id"], "bem-grundlagen")
        hit = d["results"][0]
        for key in ("id", "kind", "kind_label", "title", "type", "type_label", "label",
                    "summary", "updated", "url", "snippet", "score"):
            self.assertIn(key, hit)
        self.assertEqual(hit["kind"], "artikel")
        self.assertEqual(hit["url"], "/artikel/bem-grundlagen")
        self.assertIn("<mark>", hit["snippet"])
        # The facets are the schema's (tests/fixtures/corpus/schema.yaml).
        self.assertEqual(set(d["facets"]), {"kind", "type", "audience", "disability", "norm"})

    def test_facet_or_within_and_across(self):
        _, one = self.server.json(search("", type="recht"))
        _, two = self.server.json(search("", type=["recht", "bem"]))
        self.assertEqual(one["total"], 2)
        self.assertEqual(two["total"], 3)
        _, both = self.server.json(search("", type=["recht", "bem"], audience="sbv"))
        self.assertEqual({r["id"] for r in both["results"]}, {"sbv", "bem-grundlagen"})
        # The chosen facet still shows its alternatives with counts.
        types = {f["value"]: f["count"] for f in one["facets"]["type"]}
        self.assertEqual(types["recht"], 2)
        self.assertEqual(types["anpassung"], 3)

    def test_norm_facet_groups_by_law(self):
        _, d = self.server.json(search(""))
        laws = {f["value"]: f["count"] for f in d["facets"]["norm"]}
        self.assertEqual(laws["SGB IX"], 3)
        self.assertEqual(laws["SGB V"], 1)
        _, f = self.server.json(search("", norm="SGB IX"))
        self.assertEqual({r["id"] for r in f["results"]}, {"hoergeraet", "sbv", "bem-grundlagen"})

    def test_browse_is_newest_first(self):
        _, d = self.server.json(search("", per_page=50))
        dates = [r["updated"] for r in d["results"]]
        self.assertEqual(d["total"], 8)
        self.assertEqual(dates, sorted(dates, reverse=True))

    def test_sort_updated(self):
        _, d = self.server.json(search("Arbeitsplatz", sort="updated"))
        dates = [r["updated"] for r in d["results"]]
        self.assertGreater(len(dates), 1)
        self.assertEqual(dates, sorted(dates, reverse=True))

    def test_paging(self):
        _, p1 = self.server.json(search("", per_page=3, page=1))
        _, p3 = self.server.json(search("", per_page=3, page=3))
        self.assertEqual(len(p1["results"]), 3)
        self.assertEqual(len(p3["results"]), 2)
        self.assertFalse({r["id"] for r in p1["results"]} & {r["id"] for r in p3["results"]})

    def test_synonym_abbreviation(self):
        _, d = self.server.json(search("SBV"))
        self.assertEqual(d["results"][0]["id"], "sbv")

    def test_citation(self):
        _, d = self.server.json(search("167 SGB IX"))
        self.assertEqual(d["results"][0]["id"], "bem-grundlagen")

    def test_spelling_suggestion(self):
        _, d = self.server.json(search("Eingliederungsmanagment"))
        self.assertEqual(d["suggestion"].lower(), "eingliederungsmanagement")
        self.assertTrue(d["corrected"])
        self.assertEqual(d["results"][0]["id"], "bem-grundlagen")

    def test_question_searches_correction_unless_exakt(self):
        # A question matches any of its words: the misspelt one is also
        # searched as corrected, and the page says so with a way back.
        q = "Was ist ein Eingliederungsmanagment?"
        _, d = self.server.json(search(q))
        self.assertEqual(d["suggestion"], "Was ist ein Eingliederungsmanagement?")
        self.assertTrue(d["with_suggestion"])
        self.assertFalse(d["corrected"])
        self.assertEqual(d["results"][0]["id"], "bem-grundlagen")
        _, _, html = self.server.get("/suche?" + urllib.parse.urlencode({"q": q}))
        self.assertIn("Auch gesucht nach „<b>Was ist ein Eingliederungsmanagement?</b>“", html)
        link = re.search(r'href="(/suche\?[^"]*exakt=1[^"]*)">Nur nach', html)
        self.assertIsNotNone(link)
        _, _, typed = self.server.get(html_lib.unescape(link.group(1)))
        self.assertNotIn("Auch gesucht nach", typed)
        _, d = self.server.json(search(q, exakt=1))
        self.assertFalse(d["with_suggestion"])
        self.assertNotIn("bem-grundlagen", [r["id"] for r in d["results"]])

    def test_umlaut_transcription(self):
        _, d = self.server.json(search("Hoergeraet"))
        self.assertEqual(d["results"][0]["id"], "hoergeraet")

    def test_compound_part_finds_compound(self):
        _, d = self.server.json(search("Lesegerät"))
        self.assertEqual(d["results"][0]["id"], "bildschirmlesegeraet")
        _, d = self.server.json(search("Bildschirm"))
        self.assertEqual(d["results"][0]["id"], "bildschirmlesegeraet")

    def test_query_compound_finds_its_parts(self):
        # "Arbeitsplatzanpassung" is only written as "Anpassung des Arbeitsplatzes".
        _, d = self.server.json(search("Arbeitsplatzanpassung"))
        self.assertEqual(d["results"][0]["id"], "anpassung-arbeitsplatz")

    def test_old_citation_finds_todays(self):
        _, d = self.server.json(search("§ 84 SGB IX"))
        self.assertEqual(d["results"][0]["id"], "bem-grundlagen")
        self.assertIn("heute § 167 SGB IX", d["citations"])
        _, _, html = self.server.get("/suche?q=%C2%A7+84+SGB+IX")
        self.assertIn("heute § 167 SGB IX", html)

    def test_hyphenated_meets_joined(self):
        _, d = self.server.json(search("Hilfs-Mittel"))
        self.assertEqual(d["results"][0]["id"], "leichte-sprache")
        _, d = self.server.json(search("Arbeits-Platz"))
        self.assertIn(d["results"][0]["id"], {"anpassung-arbeitsplatz", "leichte-sprache"})

    def test_bad_parameters_are_400_with_error(self):
        for path in ("/api/search?page=0", "/api/search?page=abc", "/api/search?per_page=51",
                     "/api/search?sort=random", "/api/search?type=rechtt",
                     "/api/search?q=" + "x" * 600, "/api/search?nonsense=1"):
            status, d = self.server.json(path)
            self.assertEqual(status, 400, path)
            self.assertIn("error", d)
        _, d = self.server.json("/api/search?type=rechtt")
        self.assertIn("recht", d["error"])  # did you mean

    def test_malformed_queries_never_fail(self):
        for q in ('"unbalanced', "-", "OR OR", ":::", "§" * 100, "titel:", "a*", "((", "NOT"):
            status, d = self.server.json(search(q))
            self.assertEqual(status, 200, q)
            self.assertIn("results", d)

    def test_article_api(self):
        status, d = self.server.json("/api/articles/bem-grundlagen")
        self.assertEqual(status, 200)
        self.assertEqual(d["id"], "bem-grundlagen")
        self.assertIn("body_html", d)
        self.assertIn("§ 167 Abs. 2 SGB IX", d["norms"])
        status, d = self.server.json("/api/articles/gibt-es-nicht")
        self.assertEqual(status, 404)
        self.assertIn("error", d)

    def test_html_pages(self):
        status, headers, body = self.server.get("/")
        self.assertEqual(status, 200)
        self.assertIn('<html lang="de">', body)
        self.assertIn("Zum Inhalt springen", body)
        status, _, body = self.server.get("/suche?q=Hörgerät")
        self.assertEqual(status, 200)
        self.assertIn("1 Eintrag gefunden", body)
        self.assertIn('href="/artikel/hoergeraet"', body)
        status, _, body = self.server.get("/artikel/bem-grundlagen")
        self.assertEqual(status, 200)
        self.assertIn("<h1>Betriebliches Eingliederungsmanagement</h1>", body)
        self.assertIn("Aufgaben der Schwerbehindertenvertretung", body)  # related
        status, _, _ = self.server.get("/artikel/gibt-es-nicht")
        self.assertEqual(status, 404)

    def test_html_escapes_the_query(self):
        _, _, body = self.server.get("/suche?q=" + urllib.parse.quote('<script>alert("x")</script>'))
        self.assertNotIn("<script>", body)
        self.assertIn("&lt;script&gt;", body)

    def test_html_facet_counts_equal_api(self):
        _, api = self.server.json(search("", type="anpassung"))
        _, _, html = self.server.get("/suche?type=anpassung")
        for f in api["facets"]["disability"]:
            self.assertIn("%s <span class=\"count\">(%d)</span>" % (f["label"], f["count"]), html)

    def test_security_headers_and_methods(self):
        status, headers, _ = self.server.get("/")
        self.assertIn("default-src 'self'", headers.get("Content-Security-Policy", ""))
        self.assertEqual(headers.get("Referrer-Policy"), "no-referrer")
        status, headers, _ = self.server.get("/suche", method="POST")
        self.assertEqual(status, 405)
        status, _, body = self.server.get("/", method="HEAD")
        self.assertEqual((status, body), (200, ""))

    def test_zero_results_explain_filters(self):
        _, _, html = self.server.get("/suche?q=Hörgerät&type=recht")
        self.assertIn("Kein Eintrag gefunden", html)
        self.assertIn("ohne Filter Rechtliche Ansprüche: 1 Eintrag", html)


class BaseUrl(unittest.TestCase):
    """--base-url, not a request's Host header, decides absolute links."""

    def test_configured_base_url_wins(self):
        tmp = tempfile.mkdtemp(prefix="teilhabe-e2e-")
        try:
            db = os.path.join(tmp, "index")
            run("index", "--db", db, os.path.join(ROOT, "tests", "fixtures", "corpus"))
            server = Server(db, "--base-url", "https://teilhabe.example/")
            try:
                _, _, sitemap = server.get("/sitemap-1.xml")
                self.assertIn("<loc>https://teilhabe.example/artikel/sbv</loc>", sitemap)
                _, _, feed = server.get("/feed.xml", headers={"Host": "evil.example"})
                self.assertNotIn("evil.example", feed)
                self.assertIn("https://teilhabe.example/", feed)
            finally:
                server.stop()
            p = run("serve", "--db", db, "--base-url", "javascript:alert(1)", check=False)
            self.assertEqual(p.returncode, 2)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class Analyze(unittest.TestCase):
    """`teilhabe analyze` explains what the index makes of a word."""

    def test_compound_parts_stem_synonyms(self):
        tmp = tempfile.mkdtemp(prefix="teilhabe-e2e-")
        try:
            db = os.path.join(tmp, "index")
            run("index", "--db", db, os.path.join(ROOT, "tests", "fixtures", "corpus"))
            out = run("analyze", "--db", db, "Arbeitsplatzanpassung").stdout
            self.assertIn("arbeitsplatz + anpassung", out)
            d = json.loads(run("analyze", "--db", db, "--json",
                               "Arbeitsplatzanpassung", "SBV", "Hörgerät").stdout)
            self.assertEqual([w["word"] for w in d], ["Arbeitsplatzanpassung", "SBV", "Hörgerät"])
            self.assertEqual(d[0]["parts"], ["arbeitsplatz", "anpassung"])  # head last
            self.assertEqual(d[0]["normalized"], "arbeitsplatzanpassung")
            self.assertIn("schwerbehindertenvertretung", d[1]["synonyms"])
            self.assertEqual(d[1]["parts"], [])
            hoer = json.loads(run("analyze", "--db", db, "--json", "Hoergeraet").stdout)
            self.assertEqual(hoer[0]["stem"], d[2]["stem"])  # ae/oe meet ä/ö
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class BrokenCorpus(unittest.TestCase):
    """A broken article: exit 1, file and line, and the old index answers."""

    def test_broken_article_keeps_previous_index(self):
        tmp = tempfile.mkdtemp(prefix="teilhabe-e2e-")
        try:
            corpus = os.path.join(tmp, "corpus")
            shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "corpus"), corpus)
            db = os.path.join(tmp, "index")
            run("index", "--db", db, corpus)
            before = json.loads(run("search", "--db", db, "--json", "Hörgerät").stdout)
            with open(os.path.join(corpus, "kaputt.md"), "w") as f:
                f.write("---\nid: kaputt\ntitle: Kaputt\ntype: recht\nsummary: x\n"
                        "audience: [arbeitgber]\nupdated: 2026-02-30\n---\nText\n")
            p = run("index", "--db", db, corpus, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn("kaputt.md:6: error: unknown audience 'arbeitgber' "
                          "(did you mean 'arbeitgeber'?)", p.stderr)
            self.assertIn("kaputt.md:7: error: 'updated' must be a real date", p.stderr)
            self.assertIn("index was not changed", p.stderr)
            after = json.loads(run("search", "--db", db, "--json", "Hörgerät").stdout)
            self.assertEqual(before, after)
            lint = run("lint", corpus, check=False)
            self.assertEqual(lint.returncode, 1)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_missing_index_is_a_clear_error(self):
        p = run("search", "--db", "/nonexistent/index", "x", check=False)
        self.assertEqual(p.returncode, 3)
        self.assertIn("/nonexistent/index", p.stderr)
        p = run("serve", "--db", "/nonexistent/index", "--port", "0", check=False)
        self.assertEqual(p.returncode, 3)

    def test_index_without_db_never_builds_a_second_index(self):
        """Run from another folder, the default relative index would be a
        second one the server never reads: refused, nothing written."""
        with tempfile.TemporaryDirectory() as tmp:
            env = {k: v for k, v in os.environ.items() if k != "TEILHABE_DB"}
            p = run("index", os.path.join(ROOT, "tests", "fixtures", "corpus"),
                    check=False, cwd=tmp, env=env)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("there is no index at '%s/data/index'" % os.path.realpath(tmp), p.stderr)
            self.assertIn("--db", p.stderr)
            self.assertEqual(os.listdir(tmp), [])
            # With --db it is created, and the output says where.
            p = run("index", "--db", "data/index",
                    os.path.join(ROOT, "tests", "fixtures", "corpus"), cwd=tmp, env=env)
            self.assertIn("into %s/data/index " % os.path.realpath(tmp), p.stderr)
            # Now the default exists: a plain update works and says where.
            p = run("index", os.path.join(ROOT, "tests", "fixtures", "corpus"), cwd=tmp, env=env)
            self.assertIn("updated %s/data/index " % os.path.realpath(tmp), p.stderr)


class RealCorpus(unittest.TestCase):
    """The shipped corpus: lint passes and typical queries find the right
    article in the top 3 (issue: the corpus)."""

    QUERIES = {
        "Kinderkrankentage Alleinerziehende": "kinderkrankengeld",
        "BEM Datenschutz": "bem-datenschutz",
        "Hörbehinderung Telefon": "telefonieren-mit-hoerbehinderung",
        "Kündigung schwerbehindert Zustimmung": "kuendigungsschutz-schwerbehinderte",
        "Zuschuss Ausbildung behinderter Jugendlicher": "ausbildungszuschuss",
        "Arbeitsassistenz Kosten": "arbeitsassistenz",
    }

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-e2e-")
        cls.db = os.path.join(cls.tmp, "index")
        run("index", "--db", cls.db, os.path.join(ROOT, "corpus"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_lint_passes(self):
        p = run("lint", os.path.join(ROOT, "corpus"), check=False)
        self.assertEqual(p.returncode, 0, p.stdout)

    def test_per_type_minimums_and_links(self):
        stats = json.loads(run("stats", "--json", os.path.join(ROOT, "corpus")).stdout)
        self.assertGreaterEqual(stats["total"], 80)
        counts = {c["value"]: c["count"] for c in stats["counts"]["type"]}
        minimum = {"behinderung": 10, "anpassung": 18, "bem": 10, "recht": 18,
                   "foerderung": 10, "praxis": 10}
        for t, n in minimum.items():
            self.assertGreaterEqual(counts[t], n, t)
        self.assertEqual(stats["without_links"], [])  # no article is an island
        # every disability of the vocabulary has at least one article
        self.assertEqual(stats["unused_values"]["disability"], [])

    def test_article_length_and_fields(self):
        """Articles: 250-900 words of body; every record: sources named,
        Stand given (lint checks the rest: vocabulary, related ids, norms
        on recht articles, each kind's required fields)."""
        for root, _, files in os.walk(os.path.join(ROOT, "corpus")):
            for name in files:
                if not name.endswith(".md") or name == "README.md":
                    continue
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    text = f.read()
                head, body = text.split("\n---\n", 1)
                self.assertIn("\nsources:", head, name)
                if re.search(r"^kind: (?!artikel)", head, re.M):
                    continue
                words = len(body.split())
                self.assertTrue(250 <= words <= 900, "%s: %d words" % (name, words))
                self.assertIn("\nsources:", head, name)

    def test_corpus_size_audience_split_and_honest_stand(self):
        stats = json.loads(run("stats", "--json", os.path.join(ROOT, "corpus")).stdout)
        self.assertGreaterEqual(stats["total"], 110)
        audience = {c["value"]: c["count"] for c in stats["counts"]["audience"]}
        for key, n in audience.items():
            # a facet value on almost every article filters nothing
            self.assertLessEqual(n / stats["total"], 0.70, key)
        stands = set()
        for root, _, files in os.walk(os.path.join(ROOT, "corpus")):
            for name in files:
                if name.endswith(".md") and name != "README.md":
                    with open(os.path.join(root, name), encoding="utf-8") as f:
                        m = re.search(r"^updated: (\S+)$", f.read(), re.M)
                    stands.add(m.group(1))
        self.assertGreaterEqual(len(stands), 2, "one Stand for every article says nothing")

    def test_sick_child_articles_state_both_periods(self):
        # From 1 January 2027 the permanent rule of 10/20 days applies again:
        # each article must say what holds in 2026 and what from 2027.
        for name in ("kinderkrankengeld", "freistellung-kind-krank-ueberblick",
                     "unbezahlte-freistellung-45-sgb-v",
                     "kinderkrankengeld-behindertes-schwerstkrankes-kind",
                     "kinderverletztengeld-45-sgb-vii"):
            with open(os.path.join(ROOT, "corpus", "recht", name + ".md"), encoding="utf-8") as f:
                text = f.read()
            self.assertIn("2026", text, name)
            self.assertRegex(text, r"(ab|1\.|Januar) ?2027|1\.1\.2027", name)
            self.assertRegex(text, r"gilt_bis: \d{4}-\d{2}-\d{2}", name)

    def test_every_norm_links_its_official_text(self):
        """Each norm in a facts box links to the address gesetze.yaml gives
        for its law (the map is resolved for every article, not sampled)."""
        server = Server(self.db)
        try:
            urls = []
            for page in range(1, 20):
                _, d = server.json("/api/search?per_page=50&page=%d" % page)
                urls += [r["url"] for r in d["results"]]
                if page * 50 >= d["total"]:
                    break
            self.assertGreaterEqual(len(urls), 300)
            checked = 0
            for aid in urls:
                _, _, html = server.get(aid)
                m = re.search(r"<dt>Rechtsgrundlagen</dt>\s*<dd>(.*?)</dd>", html, re.S)
                if not m:
                    continue
                for li in re.findall(r"<li>(.*?)</li>", m.group(1), re.S):
                    link = re.match(r'<a class="norm" rel="external" href="(https://[^"]+)">', li)
                    self.assertIsNotNone(link, "%s: %s has no official link" % (aid, li))
                    self.assertRegex(link.group(1),
                                     r"^https://(www\.gesetze-im-internet\.de/[a-z0-9_]+/(__[0-9a-z]+\.html|art_[0-9a-z]+\.html)?"
                                     r"|eur-lex\.europa\.eu/)", aid)
                    checked += 1
            self.assertGreater(checked, 300)
            _, _, html = server.get("/artikel/bem-grundlagen")
            self.assertIn('href="https://www.gesetze-im-internet.de/sgb_9_2018/__167.html"', html)
        finally:
            server.stop()

    def test_moved_absatz_is_named(self):
        d = json.loads(run("search", "--db", self.db, "--json", "§ 102 Abs. 4 SGB IX").stdout)
        self.assertIn("§ 102 Abs. 4 SGB IX (heute § 185 Abs. 5 SGB IX)", d["citations"])
        # The article, or a decision applying today's § 185 Abs. 5 to it.
        self.assertIn("arbeitsassistenz", [r["id"] for r in d["results"][:3]])
        # An Absatz citations.yaml does not map: no Absatz is claimed.
        d = json.loads(run("search", "--db", self.db, "--json", "§ 102 Abs. 2 SGB IX").stdout)
        self.assertIn("§ 102 Abs. 2 SGB IX (heute § 185 SGB IX)", d["citations"])

    def test_questions_and_everyday_words(self):
        """Filler words the answer lacks do not hide it; an everyday word
        (laien.yaml) finds the field's term; explain says how."""
        for q, want in (("Bekomme ich mehr Urlaub, wenn ich schwerbehindert bin?", "zusatzurlaub"),
                        ("Hörsturz", "hoerbehinderung-im-beruf"),
                        ("Chef trinkt, Kollege auch: Sucht im Betrieb", "sucht-am-arbeitsplatz")):
            d = json.loads(run("search", "--db", self.db, "--json", "--per-page", "5", q).stdout)
            self.assertIn(want, [r["id"] for r in d["results"]], q)
        out = run("explain", "--db", self.db, "Darf die Firma mir kündigen, obwohl ich schwerbehindert bin?").stdout
        self.assertIn("Themenwörter: firma, kündigen, schwerbehindert", out)
        self.assertIn("Übergangen:   darf, die, mir, obwohl, ich, bin", out)
        self.assertIn("Zarbeitgeb", out)  # Firma -> Arbeitgeber, one way
        self.assertIn("BM25 mit k1 = 4.0, b = 0.60 (Satz oder Frage)", out)
        out = run("explain", "--db", self.db, "BEM Datenschutz").stdout
        self.assertIn("BM25 mit k1 = 2.0, b = 0.75 (Stichwörter)", out)

    def test_queries_find_fitting_article_in_top3(self):
        for q, want in self.QUERIES.items():
            d = json.loads(run("search", "--db", self.db, "--json", "--per-page", "3", q).stdout)
            ids = [r["id"] for r in d["results"]]
            self.assertIn(want, ids, "%s -> %s" % (q, ids))


def main():
    """Runs the calling script's tests: `script.py BIN SOURCE_ROOT`
    sets BIN and ROOT here, runs unittest verbosely and exits 1 on any
    failure, after one line "N passed, N failed"."""
    global BIN, ROOT
    BIN, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    prog = unittest.main(module="__main__", argv=[sys.argv[0], "-v"], exit=False)
    r = prog.result
    bad = len(r.failures) + len(r.errors)
    print("%d passed, %d failed" % (r.testsRun - bad, bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

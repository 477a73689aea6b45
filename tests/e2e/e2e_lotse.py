#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end tests of the guided path (/lotse) and the templates
(/vorlagen) over the shipped corpus, through HTTP:

- every combination of role, situation and (for health situations)
  functional limitation reaches a result page with at least three
  articles, at least one contact point or funding source, the next three
  steps, and no empty section;
- a value the path does not know is a 400 page that asks again;
- every template has a page, a Markdown download that is its text, and
  an OpenDocument download that is a valid package (mimetype first and
  stored, manifest naming the parts, well-formed XML) whose text,
  converted back, is the Markdown's text.

usage: e2e_lotse.py PATH/TO/teilhabe SOURCE_ROOT
"""
import html.parser
import io
import os
import re
import shutil
import sys
import tempfile
import unittest
import urllib.request
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402
from e2e import run, Server  # noqa: E402

ROLES = ["arbeitgeber", "vertretung", "beschaeftigte"]
SITUATIONS = ["neueinstellung", "rueckkehr", "verschlechterung", "kuendigung", "pflege"]
HEALTH = {"neueinstellung", "rueckkehr", "verschlechterung"}
LIMITS = ["sehen", "hoeren", "bewegung", "stehen-gehen", "ausdauer", "konzentration",
          "psychische-belastung", "kommunikation", "keine"]
TEMPLATES = ["bem-einladung", "bem-einwilligung-datenschutz", "bem-gespraechsprotokoll",
             "bem-checkliste-ankreuzen", "checkliste-arbeitsplatzausstattung",
             "checkliste-gleichstellung", "checkliste-sbv-anhoerung-kuendigung",
             "mitteilung-kind-krank"]
NS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
NS_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"


class Sections(html.parser.HTMLParser):
    """The result page's sections: data-section -> list of link targets;
    plus the steps' list items and every link on the page."""

    def __init__(self):
        super().__init__()
        self.sections, self.steps, self.links = {}, 0, []
        self.cur, self.in_steps = None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "ul" and "data-section" in a:
            self.cur = a["data-section"]
            self.sections[self.cur] = []
        elif tag == "section" and "next-steps" in (a.get("class") or ""):
            self.in_steps = True
        elif tag == "li" and self.in_steps:
            self.steps += 1
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
            if self.cur and a["href"].count("/") == 2:
                self.sections[self.cur].append(a["href"])

    def handle_endtag(self, tag):
        if tag == "ul":
            self.cur = None
        elif tag == "section":
            self.in_steps = False


def fetch(server, path):
    """Status, headers and raw bytes (downloads are not text)."""
    try:
        with urllib.request.urlopen(server.base + path, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def words(text):
    return re.findall(r"\w+", text)


def markdown_words(md):
    """The words a reader sees in Markdown: without link targets, list
    numbers, table rules and emphasis marks."""
    md = re.sub(r"\]\([^)]*\)", "]", md)
    md = re.sub(r"^\s*\d+\.\s", "", md, flags=re.M)
    md = re.sub(r"^\|?[-| ]+\|?$", "", md, flags=re.M)
    return words(md)


def odt_text(data):
    """Checks the package and returns its text, paragraph by paragraph."""
    z = zipfile.ZipFile(io.BytesIO(data))
    infos = z.infolist()
    assert infos[0].filename == "mimetype", infos[0].filename
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert z.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    assert z.testzip() is None  # every CRC matches
    manifest = ET.fromstring(z.read("META-INF/manifest.xml"))
    listed = {e.get("{%s}full-path" % NS_MANIFEST) for e in manifest}
    for part in ("content.xml", "styles.xml", "meta.xml"):
        assert part in listed, part
        ET.fromstring(z.read(part))  # well-formed
    content = ET.fromstring(z.read("content.xml"))
    out = []
    for el in content.iter():
        if el.tag in ("{%s}p" % NS_TEXT, "{%s}h" % NS_TEXT):
            out.append("".join(el.itertext()))
    return "\n".join(out)


class Lotse(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-lotse-")
        cls.db = os.path.join(cls.tmp, "index")
        run("index", "--db", cls.db, os.path.join(e2e.ROOT, "corpus"))
        cls.server = Server(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_steps_are_links_to_the_next_step(self):
        status, _, body = self.server.get("/lotse")
        self.assertEqual(status, 200)
        for r in ROLES:
            self.assertIn('href="/lotse?rolle=%s"' % r, body)
        _, _, body = self.server.get("/lotse?rolle=arbeitgeber")
        for s in SITUATIONS:
            self.assertIn("/lotse?rolle=arbeitgeber&amp;lage=%s" % s, body)
        for s in HEALTH:
            _, _, body = self.server.get("/lotse?rolle=arbeitgeber&lage=" + s)
            self.assertIn("Was fällt bei der Arbeit schwer?", body)
            for lim in LIMITS:
                self.assertIn("einschraenkung=%s\"" % lim, body)

    def check_result(self, path):
        status, _, body = self.server.get(path)
        self.assertEqual(status, 200, path)
        self.assertIn("<h1>Ihr Wegweiser</h1>", body, path)
        p = Sections()
        p.feed(body)
        for name, links in p.sections.items():
            self.assertTrue(links, "%s: empty section %s" % (path, name))
        articles = {h for name in ("wissen", "anpassung", "foerderung", "auch")
                    for h in p.sections.get(name, []) if h.startswith("/artikel/")}
        self.assertGreaterEqual(len(articles), 3, path)
        help_ = p.sections.get("stellen", []) + p.sections.get("foerderung", [])
        self.assertGreaterEqual(len(help_), 1, path)
        self.assertEqual(p.steps, 3, path)
        # a dated handout
        self.assertRegex(body, r"Stand: \d\d\.\d\d\.\d{4}")
        self.assertIn('class="print-only"', body)
        return p

    def test_every_combination_is_useful(self):
        n = 0
        for r in ROLES:
            for s in SITUATIONS:
                base = "/lotse?rolle=%s&lage=%s" % (r, s)
                for lim in (LIMITS if s in HEALTH else [None]):
                    self.check_result(base + ("&einschraenkung=" + lim if lim else ""))
                    n += 1
        self.assertEqual(n, 3 * (3 * len(LIMITS) + 2))

    def test_limitation_changes_the_adaptations(self):
        def adapt(lim):
            p = self.check_result("/lotse?rolle=beschaeftigte&lage=rueckkehr&einschraenkung="
                                  + lim)
            return set(p.sections.get("anpassung", []))
        self.assertIn("/artikel/braillezeile", adapt("sehen"))
        self.assertNotIn("/artikel/braillezeile", adapt("hoeren"))
        self.assertIn("/artikel/gebaerdensprachdolmetschen", adapt("hoeren"))

    def test_role_chooses_the_steps(self):
        _, _, a = self.server.get("/lotse?rolle=arbeitgeber&lage=kuendigung")
        _, _, b = self.server.get("/lotse?rolle=beschaeftigte&lage=kuendigung")
        self.assertIn("Zustimmung des Inklusionsamts beantragen", a)
        self.assertNotIn("Zustimmung des Inklusionsamts beantragen", b)

    def test_unknown_values_ask_again(self):
        for path, ask in (("/lotse?rolle=chef", "Wer sind Sie?"),
                          ("/lotse?rolle=arbeitgeber&lage=urlaub", "Worum geht es?"),
                          ("/lotse?rolle=arbeitgeber&lage=rueckkehr&einschraenkung=<x>",
                           "Was fällt bei der Arbeit schwer?")):
            status, _, body = self.server.get(path)
            self.assertEqual(status, 400, path)
            self.assertIn('role="alert"', body)
            self.assertIn(ask, body)
            self.assertNotIn("<x>", body)

    def test_home_and_sitemap_lead_here(self):
        _, _, body = self.server.get("/")
        self.assertIn('href="/lotse"', body)
        self.assertIn('href="/vorlagen"', body)
        _, _, sm = self.server.get("/sitemap.xml")
        parts = re.findall(r"<loc>[^<]*(/sitemap-[^<]+)</loc>", sm)
        locs = "".join(self.server.get(p)[2] for p in parts)
        self.assertRegex(locs, r"<loc>[^<]*/lotse</loc>")
        self.assertRegex(locs, r"<loc>[^<]*/vorlagen</loc>")
        self.assertRegex(locs, r"<loc>[^<]*/vorlagen/bem-einladung</loc>")

    def test_templates_list(self):
        status, _, body = self.server.get("/vorlagen")
        self.assertEqual(status, 200)
        for t in TEMPLATES:
            self.assertIn('href="/vorlagen/%s"' % t, body)
            self.assertIn('href="/vorlagen/%s.odt"' % t, body)
            self.assertIn('href="/vorlagen/%s.md"' % t, body)

    def test_template_pages_and_downloads(self):
        for t in TEMPLATES:
            status, _, page = self.server.get("/vorlagen/" + t)
            self.assertEqual(status, 200, t)
            self.assertIn("Rechtsgrundlagen", page)
            self.assertIn('href="/vorlagen/%s.odt"' % t, page)
            status, h, md = fetch(self.server, "/vorlagen/%s.md" % t)
            self.assertEqual(status, 200, t)
            self.assertTrue(h["Content-Type"].startswith("text/markdown"), h)
            md = md.decode("utf-8")
            self.assertTrue(md.startswith("# "), t)
            self.assertRegex(md, r"Stand: \d\d\.\d\d\.\d{4} · Rechtsgrundlagen: §|Art\.")
            # the body as written in the corpus is in the download
            with open(os.path.join(e2e.ROOT, "corpus", "vorlagen", t + ".md"),
                      encoding="utf-8") as f:
                src = f.read().split("\n---\n", 1)[1]
            self.assertIn(src.strip(), md)
            status, h, odt = fetch(self.server, "/vorlagen/%s.odt" % t)
            self.assertEqual(status, 200, t)
            self.assertEqual(h["Content-Type"], "application/vnd.oasis.opendocument.text")
            text = odt_text(odt)
            self.assertEqual(words(text), markdown_words(md.replace("#", "")), t)
            if "☐" in md:
                self.assertIn("☐", text)

    def test_bad_template_addresses(self):
        for path in ("/vorlagen/gibt-es-nicht", "/vorlagen/gibt-es-nicht.odt",
                     "/vorlagen/bem-einladung.pdf", "/vorlagen/BEM", "/vorlagen/%2e%2e",
                     "/vorlagen/bem-grundlagen.md"):  # an article, not a template
            status, _, body = self.server.get(path)
            self.assertEqual(status, 404, path)
            self.assertIn("nicht gefunden", body)


if __name__ == "__main__":
    e2e.BIN, e2e.ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
    r = prog.result
    bad = len(r.failures) + len(r.errors)
    print("%d passed, %d failed" % (r.testsRun - bad, bad))
    sys.exit(1 if bad else 0)

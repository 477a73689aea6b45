#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end tests of HTTP semantics, for every kind of URL of the site:
HEAD agrees with GET (status, headers, Content-Length), validators and
304, what may be cached where (no search in a shared cache, Vary for what
depends on request headers), the security headers, a too large reply,
unknown facet values, and the sitemap split into files.

The real binary over real HTTP on the real corpus (every record kind, an
A-Z page, a finder); standard library only.

usage: e2e_http.py PATH/TO/teilhabe SOURCE_ROOT
"""
import http.client
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

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# URLs per sitemap file for the test server (TEILHABE_SITEMAP_URLS): the
# real corpus' ~330 URLs make several files.
SITEMAP_URLS = 60
SECURITY = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
            "X-Frame-Options", "Permissions-Policy")


def server(db, *args, env=None):
    """e2e.Server with extra environment variables."""
    old = dict(os.environ)
    os.environ.update(env or {})
    try:
        return e2e.Server(db, *args)
    finally:
        os.environ.clear()
        os.environ.update(old)


def fetch(srv, path, method="GET", headers=None):
    """(status, headers as {lower name: value}, body bytes) over one raw
    connection, so HEAD's headers are seen as sent."""
    u = urllib.parse.urlsplit(srv.base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
    c.request(method, urllib.parse.quote(path, safe="/?&=%+:;,@!$'()*[]~"), headers=headers or {})
    r = c.getresponse()
    body = r.read()
    h = {}
    for k, v in r.getheaders():
        k = k.lower()
        h[k] = h[k] + ", " + v if k in h else v
    c.close()
    return r.status, h, body


class Http(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-http-")
        cls.db = os.path.join(cls.tmp, "index")
        e2e.run("index", "--db", cls.db, os.path.join(e2e.ROOT, "corpus"))
        cls.srv = server(cls.db, env={"TEILHABE_SITEMAP_URLS": str(SITEMAP_URLS)})
        cls.urls = cls.site_urls()

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def site_urls(cls):
        """Every kind of URL: {name: (path, what)}; `what` is the cache
        class: static, record, feed, sitemap, search, page or other."""
        def first(kind):
            _, _, b = fetch(cls.srv, "/api/search?kind=%s&per_page=1" % kind)
            return json.loads(b)["results"][0]["url"]
        rec = first("artikel")
        return {
            "home": ("/", "page"),
            "search": ("/suche?q=BEM", "search"),
            "browse": ("/suche", "search"),
            "artikel": (rec, "record"),
            "urteil": (first("urteil"), "record"),
            "begriff": (first("begriff"), "record"),
            "anlaufstelle": (first("anlaufstelle"), "record"),
            "a-z": ("/begriffe", "page"),
            "finder": ("/zustaendig", "page"),
            "finder-choice": ("/zustaendig?land=nw", "search"),
            "css": ("/static/style.css", "static"),
            "js": ("/static/suggest.js", "static"),
            "feed": ("/feed.xml", "feed"),
            "feed-search": ("/feed.xml?q=BEM", "search"),
            "opensearch": ("/opensearch.xml", "feed"),
            "sitemap": ("/sitemap.xml", "sitemap"),
            "sitemap-file": ("/sitemap-1.xml", "sitemap"),
            "robots": ("/robots.txt", "other"),
            "healthz": ("/healthz", "other"),
            "api-search": ("/api/search?q=BEM", "search"),
            "api-suggest": ("/api/suggest?q=Einglie", "search"),
            "api-record": ("/api/records/" + rec.rsplit("/", 1)[1], "record"),
            "api-404": ("/api/nichts", "other"),
            "404": ("/gibt-es-nicht", "other"),
            "400": ("/suche?norm=foo", "search"),
        }

    def each(self):
        return [(name, path, what) for name, (path, what) in self.urls.items()]

    def test_head_agrees_with_get(self):
        for name, path, _ in self.each():
            with self.subTest(url=name):
                gs, gh, body = fetch(self.srv, path)
                hs, hh, hbody = fetch(self.srv, path, "HEAD")
                self.assertEqual(hs, gs)
                self.assertEqual(hbody, b"")
                self.assertEqual(int(hh["content-length"]), len(body))
                gh.pop("date", None)
                hh.pop("date", None)
                self.assertEqual(hh, gh)

    def test_security_headers_and_type(self):
        types = {"css": "text/css", "js": "text/javascript", "feed": "application/atom+xml",
                 "feed-search": "application/atom+xml",
                 "opensearch": "application/opensearchdescription+xml",
                 "sitemap": "application/xml", "sitemap-file": "application/xml",
                 "robots": "text/plain", "healthz": "text/plain",
                 "api-search": "application/json", "api-suggest": "application/json",
                 "api-record": "application/json", "api-404": "application/json"}
        for name, path, _ in self.each():
            with self.subTest(url=name):
                _, h, _ = fetch(self.srv, path)
                for k in SECURITY:
                    self.assertIn(k.lower(), h)
                self.assertEqual(h["x-content-type-options"], "nosniff")
                self.assertIn("camera=()", h["permissions-policy"])
                self.assertTrue(h["content-type"].startswith(types.get(name, "text/html")), h)
                self.assertIn("charset=utf-8", h["content-type"])

    def test_validators_and_304(self):
        for name, path, what in self.each():
            with self.subTest(url=name):
                if what not in ("static", "record", "feed", "sitemap"):
                    continue
                s, h, body = fetch(self.srv, path)
                self.assertEqual(s, 200)
                etag = h["etag"]
                self.assertRegex(etag, r'^"[0-9a-f]{16}"$')
                for method in ("GET", "HEAD"):
                    s2, h2, b2 = fetch(self.srv, path, method, {"If-None-Match": etag})
                    self.assertEqual(s2, 304)
                    self.assertEqual(b2, b"")
                    self.assertEqual(h2["etag"], etag)
                    self.assertEqual(h2["cache-control"], h["cache-control"])
                    self.assertEqual(h2.get("vary"), h.get("vary"))
                # Weak comparison, lists and "*" match; another tag does not.
                for inm in ("W/" + etag, '"0000000000000000", ' + etag, "*"):
                    self.assertEqual(fetch(self.srv, path, headers={"If-None-Match": inm})[0], 304)
                s3, _, b3 = fetch(self.srv, path, headers={"If-None-Match": '"0000000000000000"'})
                self.assertEqual((s3, b3), (200, body))

    def test_searches_stay_out_of_shared_caches(self):
        for name, path, what in self.each():
            with self.subTest(url=name):
                _, h, _ = fetch(self.srv, path)
                cc = h["cache-control"]
                if what == "search" or "q=" in path:
                    self.assertNotIn("public", cc)
                    self.assertTrue("private" in cc or "no-store" in cc, cc)
        # A record page reached from a results page shows that search in
        # its breadcrumbs: for that reader only.
        rec = self.urls["artikel"][0]
        ref = self.srv.base + "/suche?q=BEM"
        _, h, body = fetch(self.srv, rec, headers={"Referer": ref})
        self.assertIn(b"Suche \xe2\x80\x9eBEM\xe2\x80\x9c", body)
        self.assertTrue(h["cache-control"].startswith("private"), h)
        self.assertIn("Referer", h["vary"])

    def test_header_dependent_replies_say_vary(self):
        changed = 0
        for name, path, what in self.each():
            with self.subTest(url=name):
                _, h, body = fetch(self.srv, path)
                _, hs, bodys = fetch(self.srv, path, headers={"X-Forwarded-Proto": "https"})
                if body != bodys:
                    changed += 1
                    public = "public" in h["cache-control"]
                    self.assertTrue(not public or "X-Forwarded-Proto" in h.get("vary", ""),
                                    (path, h))
                if what in ("sitemap", "feed"):
                    self.assertIn("X-Forwarded-Proto", h["vary"])
        self.assertGreaterEqual(changed, 4)  # opensearch, feed, sitemap, records

    def test_errors_are_not_stored(self):
        for name in ("404", "api-404", "400"):
            _, h, _ = fetch(self.srv, self.urls[name][0])
            self.assertEqual(h["cache-control"], "no-store")
            self.assertNotIn("etag", h)

    # ---- unknown facet values -------------------------------------------

    def test_unknown_norm_is_400(self):
        s, h, b = fetch(self.srv, "/api/search?norm=foo")
        self.assertEqual(s, 400)
        self.assertEqual(json.loads(b)["error"],
                         "unknown norm 'foo' (give a law, such as 'SGB IX' or 'BGB')")
        s, _, b = fetch(self.srv, "/suche?q=Urlaub&norm=foo")
        self.assertEqual(s, 400)
        self.assertIn("Den Filter „Rechtsgrundlage: foo“ gibt es nicht.", b.decode())
        self.assertEqual(fetch(self.srv, "/feed.xml?norm=foo")[0], 400)
        s, _, b = fetch(self.srv, "/api/search?type=rechtt")
        self.assertEqual(s, 400)
        self.assertIn("did you mean", json.loads(b)["error"])
        # A known law still filters.
        s, _, b = fetch(self.srv, "/api/search?" + urllib.parse.urlencode({"norm": "SGB IX"}))
        self.assertEqual(s, 200)
        self.assertGreater(json.loads(b)["total"], 0)

    # ---- sitemap ----------------------------------------------------------

    def test_sitemap_files_list_every_record_once(self):
        s, _, b = fetch(self.srv, "/sitemap.xml")
        self.assertEqual(s, 200)
        index = ET.fromstring(b)
        self.assertEqual(index.tag, SM + "sitemapindex")
        locs = [e.find(SM + "loc").text for e in index.findall(SM + "sitemap")]
        base = self.srv.base
        self.assertEqual(locs, ["%s/sitemap-%d.xml" % (base, i + 1) for i in range(len(locs))])
        urls = []
        for loc in locs:
            s, _, fb = fetch(self.srv, loc[len(base):])
            self.assertEqual(s, 200)
            got = [u.find(SM + "loc").text for u in ET.fromstring(fb).findall(SM + "url")]
            self.assertGreater(len(got), 0)
            self.assertLessEqual(len(got), SITEMAP_URLS)
            urls += got
        self.assertEqual(len(urls), len(set(urls)))
        _, _, api = fetch(self.srv, "/api/search?per_page=1")
        records = [u for u in urls if u.count("/") == 4]
        self.assertEqual(len(records), json.loads(api)["total"])
        for page in ("/", "/begriffe", "/zustaendig"):
            self.assertIn(base + page, urls)
        self.assertEqual(len(locs), -(-len(urls) // SITEMAP_URLS))
        for bad in ("/sitemap-0.xml", "/sitemap-01.xml", "/sitemap-%d.xml" % (len(locs) + 1),
                    "/sitemap-1.xmlx", "/sitemap-.xml", "/sitemap-99999999999999999999.xml"):
            with self.subTest(bad=bad):
                s, h, _ = fetch(self.srv, bad)
                self.assertEqual(s, 404)
                self.assertEqual(h["cache-control"], "no-store")
        # The base URL follows the request, from the one cached listing.
        _, _, b = fetch(self.srv, "/sitemap-1.xml", headers={"X-Forwarded-Proto": "https"})
        self.assertIn(b"<loc>https://", b)
        self.assertNotIn(b"<loc>http://", b)


class Limits(unittest.TestCase):
    """A server whose reply buffer is tiny (TEILHABE_MAX_REPLY), with
    --base-url."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-http-limits-")
        cls.db = os.path.join(cls.tmp, "index")
        e2e.run("index", "--db", cls.db, os.path.join(e2e.ROOT, "tests", "fixtures", "corpus"))
        cls.srv = server(cls.db, "--base-url", "https://teilhabe.example",
                         env={"TEILHABE_MAX_REPLY": "3000"})

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_too_large_is_500_no_store(self):
        for path in ("/", "/suche", "/static/style.css", "/api/search?per_page=50"):
            for method in ("GET", "HEAD"):
                with self.subTest(path=path, method=method):
                    s, h, b = fetch(self.srv, path, method)
                    self.assertEqual(s, 500)
                    self.assertEqual(h["cache-control"], "no-store")
                    self.assertNotIn("etag", h)
                    self.assertEqual(int(h["content-length"]),
                                     len("internal error: reply too large\n"))
                    for k in SECURITY:
                        self.assertIn(k.lower(), h)
        # What fits is served as usual.
        s, h, _ = fetch(self.srv, "/healthz")
        self.assertEqual(s, 200)

    def test_fixed_base_needs_no_vary(self):
        s, h, b = fetch(self.srv, "/opensearch.xml", headers={"X-Forwarded-Proto": "http"})
        self.assertEqual(s, 200)
        self.assertIn(b"https://teilhabe.example/suche", b)
        self.assertNotIn("vary", h)
        self.assertTrue(h["cache-control"].startswith("public"))


if __name__ == "__main__":
    e2e.BIN, e2e.ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
    r = prog.result
    # A failing subtest (one URL) counts its test once.
    bad = len({getattr(t, "test_case", t).id() for t, _ in r.failures + r.errors})
    print("%d passed, %d failed" % (r.testsRun - bad, bad))
    sys.exit(1 if bad else 0)

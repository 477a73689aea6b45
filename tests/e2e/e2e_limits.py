#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end: `teilhabe lint` and `teilhabe index` agree on every limit.

For each over-limit article (generated here: some are half a megabyte),
lint reports it as path:line with the limit's name, and index refuses
the same file with the same message and leaves the index it had.

usage: e2e_limits.py PATH/TO/teilhabe SOURCE_ROOT
"""
import json
import os
import re
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (shares the runner and main)
from e2e import run  # noqa: E402

# The probe's front matter, one field per line (line 1 is '---').
FRONT = ["id: probe-{name}", "title: Probe", "type: anpassung", "summary: Eine Probe.",
         "audience: [arbeitgeber]", "topics: [probe]", "updated: 2026-03-01"]
BODY_LINE = 10


def article(name, field=None, value=None, body="Text.\n", before=""):
    """The probe article; `field` (an index into FRONT) replaced by `value`."""
    lines = [f.format(name=name) for f in FRONT]
    if field is not None:
        lines[field] = value
    return "---\n" + before + "\n".join(lines) + "\n---\n" + body


def fill(unit, n):
    return (unit * (n // len(unit) + 1))[:n]


# name -> (article text, line of the error, limit's name)
PROBES = {
    "file-size": (lambda n: article(n, body=fill("Text wort.\n", 600 * 1024)), 1, "file size"),
    "front-matter-size": (lambda n: article(n, before=fill("# Kommentar\n", 33 * 1024)), 2,
                          "front matter size"),
    "yaml-depth": (lambda n: article(n, 5, "topics: [[[a]]]"), 7, "depth"),
    "yaml-values": (lambda n: article(n, 5, "topics: [" + ", ".join(["a"] * 2001) + "]"), 7,
                    "values"),
    "yaml-value-length": (lambda n: article(n, 3, "summary: " + "x" * 5000), 5, "value length"),
    "title-length": (lambda n: article(n, 1, "title: " + "T" * 201), 3, "title length"),
    "summary-length": (lambda n: article(n, 3, "summary: " + "s" * 301), 5, "summary length"),
    "list-entries": (lambda n: article(n, 5, "topics: [%s]" % ", ".join("t%d" % i for i in range(51))),
                     7, "list entries"),
    "keyword-length": (lambda n: article(n, 5, "topics: [%s]" % ("k" * 121)), 7, "keyword length"),
    "word-length": (lambda n: article(n, body="Text.\n\n" + '"' * 400000 + "\n"), BODY_LINE + 2,
                    "word length"),
    "table-columns": (lambda n: article(n, body="| a | b |\n|---|---|\n" + "| " * 250000 + "\n"),
                      BODY_LINE + 2, "table columns"),
    "nesting-depth": (lambda n: article(n, body="Text.\n\n" + "- " * 200000 + "a\n"),
                      BODY_LINE + 2, "nesting depth"),
    "list-items": (lambda n: article(n, body="Text.\n\n" + "1. a\n" * 100000), BODY_LINE + 2,
                   "list items"),
    "rendered-size": (lambda n: article(n, body=fill("& ", 500 * 1024)), BODY_LINE, "rendered size"),
}


class LintAndIndexAgree(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-limits-")
        cls.fixture = os.path.join(e2e.ROOT, "tests", "fixtures", "corpus")
        cls.db = os.path.join(cls.tmp, "index")
        run("index", "--quiet", "--db", cls.db, cls.fixture)
        cls.before = cls.search()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def search(cls):
        out = run("search", "--db", cls.db, "--json", "Hörgerät").stdout
        d = json.loads(out)
        return d["total"], [r["id"] for r in d["results"]]

    def check(self, name, text, line, limit):
        corpus = os.path.join(self.tmp, name)
        shutil.copytree(self.fixture, corpus)
        path = os.path.join(corpus, "probe-%s.md" % name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        t0 = time.monotonic()
        lint = run("lint", "--quiet", corpus, check=False)
        self.assertLess(time.monotonic() - t0, 20)
        self.assertEqual(lint.returncode, 1, lint.stdout)
        want = re.compile(r"^%s:%d: error: .*\(limit '%s'\).*$" % (re.escape(path), line,
                                                                   re.escape(limit)), re.M)
        m = want.search(lint.stdout)
        self.assertIsNotNone(m, "lint of %s said:\n%s" % (name, lint.stdout[-2000:]))
        index = run("index", "--quiet", "--db", self.db, corpus, check=False)
        self.assertEqual(index.returncode, 1, index.stderr)
        self.assertIn(m.group(0), index.stderr.splitlines())
        self.assertIn("the index was not changed", index.stderr)
        self.assertEqual(self.search(), self.before)
        shutil.rmtree(corpus)

    def test_every_limit(self):
        for name, (make, line, limit) in PROBES.items():
            with self.subTest(limit=name):
                self.check(name, make(name), line, limit)

    def test_at_the_limits_indexes(self):
        """A file at every body limit at once is accepted by both."""
        body = ("Text.\n\n" + "w" * 512 + "\n\n" + "| " * 64 + "\n\n" +
                "- > " * 8 + "a\n\n" + "1. a\n" * 1000)
        corpus = os.path.join(self.tmp, "at-limit")
        shutil.copytree(self.fixture, corpus)
        with open(os.path.join(corpus, "probe-at-limit.md"), "w", encoding="utf-8") as f:
            f.write(article("at-limit", body=body))
        lint = run("lint", "--quiet", corpus, check=False)
        self.assertEqual(lint.returncode, 0, lint.stdout)
        db = os.path.join(self.tmp, "index-at-limit")
        run("index", "--quiet", "--db", db, corpus)
        shutil.rmtree(corpus)


if __name__ == "__main__":
    e2e.main()

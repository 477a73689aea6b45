#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks that two builds give the same answers: for every query of
tests/relevance/queries.tsv, and for a few with facet filters, pages,
sorting, corrections and none at all, the JSON of /api/search and the
HTML of /suche must be byte-identical between the two servers, and so
must /api/articles/<id> for every Markdown file of the corpus.

usage: bench/compare-answers.py NEW_BINARY NEW_DB OLD_BINARY [OLD_DB]

Each binary serves its own index (OLD_DB defaults to NEW_DB; give both
when the index format changed between the builds).  Prints the first
differences and exits 1 when there are any.
"""
import http.client
import os
import re
import subprocess
import sys
import urllib.parse

new_bin, new_db, old_bin = sys.argv[1], sys.argv[2], sys.argv[3]
old_db = sys.argv[4] if len(sys.argv) > 4 else new_db
here = os.path.dirname(os.path.abspath(__file__))
tsv = os.path.join(here, "..", "tests", "relevance", "queries.tsv")


def start(binary, db):
    proc = subprocess.Popen([binary, "serve", "--db", db, "--port", "0",
                             "--threads", "1"],
                            stderr=subprocess.PIPE, text=True)
    for _ in range(50):
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/",
                      proc.stderr.readline())
        if m:
            return proc, http.client.HTTPConnection(
                "127.0.0.1", int(m.group(1)), timeout=30)
    proc.kill()
    sys.exit("server did not start: " + binary)


queries = []
with open(tsv, encoding="utf-8") as f:
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 2 and not line.startswith("#") and cols[0] != "style":
            queries.append(cols[1])

q = urllib.parse.quote
paths = []
for text in queries:
    paths.append("/api/search?q=" + q(text))
    paths.append("/suche?q=" + q(text))
paths += [
    "/api/search?q=BEM&page=2",
    "/api/search?q=BEM&page=3&per_page=5",
    "/api/search?q=Kündigung&per_page=50",
    "/api/search?q=Arbeitsplatzanpassung&type=anpassung",
    "/api/search?q=Kündigung&audience=sbv&audience=arbeitgeber",
    "/api/search?type=recht&audience=sbv",
    "/api/search?q=BEM&sort=updated",
    "/api/search?q=Eingliederungsmanagment",
    "/api/search?q=Eingliederungsmanagment&exakt=1",
    "/api/search?q=" + q("§ 167 Abs. 2 SGB IX"),
    "/api/search?q=" + q("Ausgleichsabgabe 2026"),
    "/api/search?q=xyzzyquux",
    "/api/search",
    "/suche?q=BEM&page=2",
    "/suche?q=Kündigung&type=recht",
    "/suche?type=recht&audience=sbv",
    "/suche?q=Eingliederungsmanagment",
    "/suche?q=xyzzyquux",
]

# Records: every article of the corpus through the API.
corpus = os.path.join(here, "..", "corpus")
for root, _, files in sorted(os.walk(corpus)):
    for name in sorted(files):
        if name.endswith(".md") and "/" in os.path.relpath(root, corpus) + "/":
            paths.append("/api/articles/" + name[:-3])
paths = [urllib.parse.quote(p, safe="/?=&%") for p in paths]
servers = [start(new_bin, new_db), start(old_bin, old_db)]


def get(conn, path):
    conn.request("GET", path)
    r = conn.getresponse()
    return r.status, r.read()


differ = 0
try:
    for path in paths:
        (sa, a), (sb, b) = (get(conn, path) for _, conn in servers)
        if (sa, a) != (sb, b):
            differ += 1
            if differ <= 5:
                n = min(len(a), len(b))
                i = next((k for k in range(n) if a[k] != b[k]), n)
                print("differs: %s (%d vs %d, %d vs %d bytes)" %
                      (path, sa, sb, len(a), len(b)))
                print("  new: %r" % a[max(0, i - 80):i + 80])
                print("  old: %r" % b[max(0, i - 80):i + 80])
finally:
    for proc, _ in servers:
        proc.terminate()
        proc.wait()
print("%d of %d answers identical" % (len(paths) - differ, len(paths)))
sys.exit(1 if differ else 0)

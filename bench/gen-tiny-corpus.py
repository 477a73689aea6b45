#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Makes a corpus of N tiny records on the fixture schema, for the
sitemap's size limits (bench/sitemap-stress.sh).

usage: gen-tiny-corpus.py SOURCE_ROOT N OUT_DIR

Copies tests/fixtures/corpus's schema and vocabularies and writes N
short articles "rec-<k>" with Stands spread over a year, so an index of
50,000+ records builds in minutes rather than the hour real-length
articles would take.
"""
import os
import shutil
import sys

root, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
src = os.path.join(root, "tests", "fixtures", "corpus")
if os.path.exists(out):
    shutil.rmtree(out)
os.makedirs(out)
for name in os.listdir(src):
    if name.endswith(".yaml"):
        shutil.copy(os.path.join(src, name), out)
types = ["bem", "anpassung"]
for k in range(n):
    with open(os.path.join(out, "rec-%d.md" % k), "w", encoding="utf-8") as f:
        f.write("---\nid: rec-%d\ntitle: Eintrag %d\ntype: %s\n"
                "summary: Ein kurzer Eintrag Nummer %d.\n"
                "audience: [beschaeftigte]\nupdated: 2025-%02d-%02d\n---\n"
                "Text des Eintrags %d über Arbeit und Teilhabe.\n"
                % (k, k, types[k % 2], k, k % 12 + 1, k % 28 + 1, k))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Makes a stream of distinct German queries over a generated corpus
(bench/gen-docs-corpus.py), for bench/run.sh.

usage: gen-queries.py CORPUS COUNT OUT.tsv

Each query is 1-3 neighbouring content words of a paragraph of a random
record (so most find something, as people's queries do), half of them
with one or two facet filters whose values that record carries (type,
audience, disability, situation, einschraenkung, norm).  A line is the
query, then tab-separated FACET=VALUE filters.  No two lines are the
same query with the same filters (case ignored); fixed seed, so the same
corpus gives the same file.
"""
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

STOP = set("""aber alle allen aller alles als also am an andere anderen auch
auf aus bei beim bis da damit dann das dass daß dem den denen der deren des
dessen die dies diese diesem diesen dieser dieses doch dort durch ein eine
einem einen einer eines einige er es etwa etwas für gegen hat haben hier
ihr ihre ihrem ihren ihrer im in ist ja jede jedem jeden jeder jedes kann
kein keine können könnte man mehr mit muss müssen nach nicht noch nur ob
oder ohne sehr sein seine seinem seinen seiner sich sie sind so soll sollen
sowie über um und uns unter vom von vor war waren was weil welche welchen
welcher wenn werden wie wieder wird wir wird wurde wurden zu zum zur zwischen
dabei dafür dazu daher darin darauf davon diese einfach gibt geben wählen
klicken""".split())
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{4,}")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().split("\n")[2])
    corpus, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    laws = benchlib.load_laws(corpus)
    recs = []
    for path in benchlib.records(corpus):
        fm, body = benchlib.parse(path)
        body = body.split("\n## Siehe auch\n")[0]
        paras = [p for p in body.split("\n\n") if p and not p.startswith("## ")]
        recs.append((benchlib.facet_values(fm, laws), paras))
    rng = random.Random("teilhabe-bench-queries-1")
    seen, lines, tries = set(), [], 0
    while len(lines) < count and tries < count * 20:
        tries += 1
        facets, paras = recs[rng.randrange(len(recs))]
        words = [w for w in WORD.findall(paras[rng.randrange(len(paras))])
                 if w.lower() not in STOP]
        n = rng.choice((1, 1, 2, 2, 2, 3, 3))
        if len(words) < n:
            continue
        i = rng.randrange(len(words) - n + 1)
        q = " ".join(words[i:i + n])
        filters = []
        if rng.random() < 0.5:
            filters = sorted(set(rng.sample(facets, rng.choice((1, 1, 2)))))
        key = (q.lower(), tuple(filters))
        if key in seen:
            continue
        seen.add(key)
        lines.append("\t".join([q] + ["%s=%s" % f for f in filters]))
    if len(lines) < count:
        sys.exit("gen-queries.py: only %d distinct queries" % len(lines))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

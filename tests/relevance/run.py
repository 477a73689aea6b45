#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/relevance/run.py PATH/TO/teilhabe SOURCE_ROOT [--check] [--show]
                         [--half even|odd] [--set main|blind]

Search quality on our own judged queries (tests/relevance/queries.tsv),
teilhabe side by side with plain Xapian (baseline.py) over the same
records in the same run.  Prints, overall and per query style:

  success@1, success@3  share of queries with a relevant record (grade
                        >= 1) at rank 1 / in the top 3
  best@3                share with a best answer (grade 2) in the top 3
  MRR@10                mean reciprocal rank of the first relevant record
  nDCG@10               graded gain 2^g - 1, ideal order from the judgments
  zero                  queries with no result at all

With --half even (odd), only the queries at even (odd) places of the
file count (0-based, comments left out): tune on one half, report the
other as held out.  With --check, exits 1 when teilhabe's overall
figures fall below the floor in tests/relevance/floor.json, when in any
query style it is behind the Xapian baseline on any figure, when natural
questions find a relevant record in the top 3 less than 90 % of the time,
or when any query finds nothing (./test.sh runs this), so quality cannot
silently regress.  Commands and figures: docs/benchmarks.md.

With --set blind, the same table for the held-out set
tests/relevance/blind.tsv, written blind and never used to choose
weights (see blind.md); --check applies to the main set only.
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import e2e  # noqa: E402  (the Server helper)

METRICS = ("success@1", "success@3", "best@3", "MRR@10", "nDCG@10", "zero")
SETS = {"main": "queries.tsv", "blind": "blind.tsv"}


def load_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#") or line.startswith("style\t"):
                continue
            style, q, rel = line.split("\t")
            judged = {}
            for item in rel.split():
                rid, grade = item.rsplit(":", 1)
                judged[rid] = int(grade)
            out.append((style, q, judged))
    return out


def scores(ranked, judged):
    ranked = ranked[:10]
    first = next((i for i, r in enumerate(ranked) if judged.get(r, 0) > 0), None)
    dcg = sum((2 ** judged.get(r, 0) - 1) / math.log2(i + 2) for i, r in enumerate(ranked))
    ideal = sorted(judged.values(), reverse=True)[:10]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return {
        "success@1": 1.0 if first == 0 else 0.0,
        "success@3": 1.0 if first is not None and first < 3 else 0.0,
        "best@3": 1.0 if any(judged.get(r, 0) == 2 for r in ranked[:3]) else 0.0,
        "MRR@10": 1.0 / (first + 1) if first is not None else 0.0,
        "nDCG@10": dcg / idcg if idcg else 0.0,
        "zero": 1.0 if not ranked else 0.0,
    }


def mean(rows):
    return {m: sum(r[m] for r in rows) / len(rows) for m in METRICS} if rows else {}


def teilhabe_results(bin_, root, queries):
    tmp = tempfile.mkdtemp(prefix="teilhabe-relevance-")
    try:
        db = os.path.join(tmp, "index")
        subprocess.run([bin_, "index", "--db", db, os.path.join(root, "corpus")],
                       check=True, capture_output=True)
        e2e.BIN = bin_
        server = e2e.Server(db)
        try:
            out = {}
            for _, q, _ in queries:
                _, d = server.json("/api/search?" + urllib.parse.urlencode({"q": q, "per_page": 10}))
                out[q] = [r["id"] for r in d.get("results", [])]
            return out
        finally:
            server.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def baseline_results(root, queries_tsv):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    try:
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "baseline.py"),
                        os.path.join(root, "corpus"), queries_tsv, out], check=True)
        with open(out, encoding="utf-8") as f:
            return json.load(f)
    finally:
        os.unlink(out)


def table(title, rows):
    print("\n%s\n" % title)
    print("| style | queries | engine | " + " | ".join(METRICS) + " |")
    print("|---|---|---|" + "---|" * len(METRICS))
    for style, n, engine, m in rows:
        print("| %s | %d | %s | %s |" % (style, n, engine,
                                         " | ".join("%.3f" % m[k] for k in METRICS)))


def main():
    bin_, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    check = "--check" in sys.argv[3:]
    show = "--show" in sys.argv[3:]
    name = "main"
    if "--set" in sys.argv[3:]:
        i = sys.argv.index("--set") + 1
        name = sys.argv[i] if i < len(sys.argv) else ""
        if name not in SETS:
            sys.exit("--set must be 'main' or 'blind'")
    if check and name != "main":
        sys.exit("--check uses floor.json for the main set only; leave out --set blind")
    queries_tsv = os.path.join(HERE, SETS[name])
    queries = load_queries(queries_tsv)
    if "--half" in sys.argv[3:]:
        half = sys.argv[sys.argv.index("--half") + 1]
        if half not in ("even", "odd"):
            sys.exit("--half must be 'even' or 'odd'")
        queries = queries[half == "odd"::2]
    ours = teilhabe_results(bin_, root, queries)
    base = baseline_results(root, queries_tsv)
    per = {"teilhabe": {}, "xapian": {}}
    for style, q, judged in queries:
        for engine, res in (("teilhabe", ours), ("xapian", base)):
            per[engine].setdefault(style, []).append(scores(res.get(q, []), judged))
        if show and scores(ours.get(q, []), judged)["success@3"] == 0:
            print("MISS [%s] %s -> %s (want %s)" % (style, q, ours.get(q, [])[:3],
                                                   " ".join(sorted(judged, key=judged.get, reverse=True))))
    rows = []
    for style in sorted(per["teilhabe"]):
        for engine in ("teilhabe", "xapian"):
            rows.append((style, len(per[engine][style]), engine, mean(per[engine][style])))
    overall = {e: mean([r for s in per[e].values() for r in s]) for e in per}
    for engine in ("teilhabe", "xapian"):
        rows.append(("all", len(queries), engine, overall[engine]))
    table("Search quality on tests/relevance/%s (%d queries)" % (SETS[name], len(queries)), rows)
    if not check:
        return 0
    with open(os.path.join(HERE, "floor.json"), encoding="utf-8") as f:
        floor = json.load(f)
    bad = ["below the floor: %s %.3f < %.3f" % (m, overall["teilhabe"][m], v)
           for m, v in floor.items() if overall["teilhabe"][m] + 1e-9 < v]
    for style in sorted(per["teilhabe"]):
        ours, base = mean(per["teilhabe"][style]), mean(per["xapian"][style])
        for m in METRICS:
            behind = ours[m] > base[m] + 1e-9 if m == "zero" else ours[m] + 1e-9 < base[m]
            if behind:
                bad.append("behind the baseline: %s %s %.3f vs %.3f" % (style, m, ours[m], base[m]))
    if "question" in per["teilhabe"] and mean(per["teilhabe"]["question"])["success@3"] < 0.90:
        bad.append("questions: success@3 %.3f < 0.90" % mean(per["teilhabe"]["question"])["success@3"])
    if overall["teilhabe"]["zero"] > 0:
        bad.append("queries without any result: %.3f" % overall["teilhabe"]["zero"])
    for line in bad:
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

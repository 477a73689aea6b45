#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A quick guard of the benchmark harness (bench/, docs/benchmarks.md "At
REHADAT scale"): a small corpus generated from whichever of Debian's
German documentation packages is installed lints clean, indexes, is the
same bytes every time, and its queries run through teilhabe-bench-search
and the Xapian reference; the plot is well-formed SVG.  Installs nothing:
without the packages (or python3-xapian for the reference) those tests
are skipped.

usage: e2e_bench.py PATH/TO/teilhabe PATH/TO/teilhabe-bench-search SOURCE_ROOT
"""
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

BINARY, BENCH, ROOT = sys.argv[1], sys.argv[2], sys.argv[3]
del sys.argv[1:4]
BENCHDIR = os.path.join(ROOT, "bench")
sys.path.insert(0, BENCHDIR)
import benchlib  # noqa: E402
import plot  # noqa: E402

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with python3-xapian


def generate(size, out):
    """Runs the generator over the first documents of each package;
    its exit status."""
    return subprocess.run(
        [sys.executable, os.path.join(BENCHDIR, "gen-docs-corpus.py"),
         "--per-package", "40", str(size), out],
        capture_output=True, text=True).returncode


def same_tree(a, b):
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files:
        return False
    return all(same_tree(os.path.join(a, d), os.path.join(b, d))
               for d in cmp.common_dirs)


class GeneratedCorpus(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-bench-")
        cls.corpus = os.path.join(cls.tmp, "c50")
        rc = generate(50, cls.corpus)
        if rc == 2:
            raise unittest.SkipTest("no German documentation package installed")
        assert rc == 0, "gen-docs-corpus.py failed"
        cls.db = os.path.join(cls.tmp, "index")
        subprocess.run([BINARY, "index", "--full", "--quiet", "--db", cls.db,
                        cls.corpus], check=True, capture_output=True)
        cls.queries = os.path.join(cls.tmp, "queries.tsv")
        subprocess.run([sys.executable, os.path.join(BENCHDIR, "gen-queries.py"),
                        cls.corpus, "300", cls.queries], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_lints_clean_with_every_facet_filled(self):
        p = subprocess.run([BINARY, "lint", self.corpus], capture_output=True,
                           text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("50 records, 0 errors", p.stdout + p.stderr)
        laws = benchlib.load_laws(self.corpus)
        for path in benchlib.records(self.corpus):
            fm, body = benchlib.parse(path)
            names = {name for name, _ in benchlib.facet_values(fm, laws)}
            self.assertEqual(names, {n for n, _ in benchlib.FACETS}, path)
            self.assertGreater(len(body.encode()), 1500, path)

    def test_same_bytes_and_prefix_of_a_larger_corpus(self):
        again = os.path.join(self.tmp, "again")
        small = os.path.join(self.tmp, "c20")
        self.assertEqual(generate(50, again), 0)
        self.assertEqual(generate(20, small), 0)
        self.assertTrue(same_tree(self.corpus, again))
        for path in benchlib.records(small):
            rel = os.path.relpath(path, small)
            self.assertTrue(filecmp.cmp(path, os.path.join(self.corpus, rel),
                                        shallow=False), rel)

    def test_queries_are_distinct_and_filtered_by_real_values(self):
        with open(self.queries, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), 300)
        self.assertEqual(len({line.lower() for line in lines}), 300)
        filtered = [q for q in benchlib.read_queries(self.queries) if q[1]]
        self.assertGreater(len(filtered), 90)
        self.assertLess(len(filtered), 210)
        with open(os.path.join(self.corpus, "vocab.yaml"),
                  encoding="utf-8") as f:
            vocab = f.read()
        for _, filters in filtered:
            for name, value in filters:
                if name != "norm":
                    self.assertIn("\n  %s:" % value, vocab)

    def test_every_query_runs_in_process_and_most_find_something(self):
        out = subprocess.run([BENCH, self.db, self.queries], check=True,
                             capture_output=True, text=True).stdout
        rows = [line.split("\t") for line in out.splitlines()]
        self.assertEqual(len(rows), 300)
        self.assertTrue(all(float(r[0]) > 0 for r in rows))
        self.assertGreater(sum(1 for r in rows if int(r[1]) > 0), 270)

    def test_bench_search_refuses_an_unknown_facet(self):
        bad = os.path.join(self.tmp, "bad.tsv")
        with open(bad, "w") as f:
            f.write("Datei\tfarbe=rot\n")
        p = subprocess.run([BENCH, self.db, bad], capture_output=True,
                           text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown facet 'farbe'", p.stderr)

    def test_served_walk_answers_every_request(self):
        if shutil.which("wrk") is None or shutil.which("curl") is None:
            self.skipTest("wrk or curl is not installed")
        paths = os.path.join(self.tmp, "paths.txt")
        with open(paths, "w") as f:
            for q in ("Datei", "Fenster", "Programm", "Einstellungen"):
                f.write("/api/search?q=%s\n" % q)
        walk, seen, mem = benchlib.walk_served(
            BINARY, self.db, paths, 2, 1, during=lambda proc: proc.pid,
            after=lambda proc: benchlib.process_memory(proc.pid))
        self.assertGreater(walk["requests"], 0)
        self.assertGreater(walk["rps"], 0)
        self.assertEqual(walk["non2xx"], 0)
        self.assertEqual(walk["errors"], 0)
        self.assertLessEqual(walk["p50_ms"], walk["p99_ms"])
        self.assertIsInstance(seen, int)
        self.assertGreater(mem["rss_mib"], 0)

    def test_reference_indexes_and_answers_the_same_queries(self):
        if subprocess.run([SYSTEM_PYTHON, "-c", "import xapian"],
                          capture_output=True).returncode != 0:
            self.skipTest("python3-xapian is not installed")
        ref = os.path.join(self.tmp, "ref")
        ref_py = os.path.join(BENCHDIR, "reference.py")
        subprocess.run([SYSTEM_PYTHON, ref_py, "index", self.corpus, ref],
                       check=True, capture_output=True)
        out = subprocess.run([SYSTEM_PYTHON, ref_py, "search", ref,
                              self.queries], check=True, capture_output=True,
                             text=True).stdout
        rows = [line.split("\t") for line in out.splitlines()]
        self.assertEqual(len(rows), 300)
        # Words drawn from the text, AND: most find their own record.
        self.assertGreater(sum(1 for r in rows if int(r[1]) > 0), 240)


class Plot(unittest.TestCase):
    def test_svg_has_both_engines_at_every_size(self):
        def sized(k):
            lat = {"p50_ms": 1.0 * k, "p90_ms": 2.0 * k, "p99_ms": 3.0 * k,
                   "qps": 1000.0 / k}
            return {"index": {"teilhabe": {"docs_per_s": 100.0 / k},
                              "reference": {"docs_per_s": 300.0 / k}},
                    "inprocess": {"teilhabe": lat, "reference": lat},
                    "served": {"8": {"p50_ms": 2.0, "p99_ms": 9.0,
                                     "rps": 500.0}}}
        results = {"machine": {"cpus": 2, "cpu": "x", "date": "d",
                               "commit": "c"},
                   "sizes": {"1000": sized(1), "10000": sized(2)}}
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "p.svg")
            plot.write(results, path)
            root = ET.parse(path).getroot()
        ns = "{http://www.w3.org/2000/svg}"
        lines = root.findall(ns + "polyline")
        # 2 indexing + 3 x (p50, p99) + 3 throughput series, 2 points each.
        self.assertEqual(len(lines), 11)
        self.assertTrue(all(len(p.get("points").split()) == 2 for p in lines))
        text = " ".join(t.text or "" for t in root.iter(ns + "text"))
        for label in ("Xapian reference", "teilhabe in process", "10,000"):
            self.assertIn(label, text)


if __name__ == "__main__":
    unittest.main(verbosity=2)

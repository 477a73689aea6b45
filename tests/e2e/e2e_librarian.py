#!/usr/bin/env python3
"""End-to-end tests of the librarians' workflow: lint, incremental index,
re-index under load without a failed request, the editorial report, and
the privacy of the zero-result log.  Real binary, real HTTP.

usage: e2e_librarian.py PATH/TO/teilhabe SOURCE_ROOT
"""
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (shares the runner and the Server helper)

FIXTURE = None


def copy_fixture(tmp):
    corpus = os.path.join(tmp, "corpus")
    shutil.copytree(FIXTURE, corpus)
    return corpus


class Lint(unittest.TestCase):
    def test_every_error_with_file_and_line(self):
        folder = os.path.join(e2e.ROOT, "tests", "fixtures", "lint-errors")
        p = e2e.run("lint", folder, check=False)
        self.assertEqual(p.returncode, 1)
        expected = {
            "yaml-syntax.md:4": "[yaml]",
            "missing-field.md:2": "missing required field 'summary'",
            "unknown-field.md:7": "unknown field 'udpated' (did you mean 'updated'?)",
            "unknown-value.md:6": "unknown audience 'arbeitgber' (did you mean 'arbeitgeber'?)",
            "bad-date.md:7": "'updated' must be a real date",
            "future.md:7": "lies in the future",
            "duplikat-b.md:2": "id 'duplikat' is already used by",
            "dangling.md:8": "related record 'verschwunden' does not exist",
            "gut.md:10": "link to unknown artikel 'gibt-es-nicht'",
            "bad-norm.md:7": "norm 'Paragraph 167 irgendwo' is not a citation",
            "no-norms.md:4": "a record with type 'recht' must name 'norms'",
            "long-summary.md:5": "summary has 378 characters",
            "empty-body.md:9": "no text below the front matter",
            "no-front-matter.md:1": "must start with a '---' line",
        }
        for where, what in expected.items():
            line = [l for l in p.stdout.splitlines() if where + ": error:" in l]
            self.assertTrue(line, "no error at %s in:\n%s" % (where, p.stdout))
            self.assertIn(what, line[0])

    def test_json_output(self):
        folder = os.path.join(e2e.ROOT, "tests", "fixtures", "lint-errors")
        p = e2e.run("lint", "--json", folder, check=False)
        d = json.loads(p.stdout)
        self.assertEqual(d["errors"], 14)
        self.assertTrue(all({"path", "line", "severity", "code", "message"} <= set(x)
                            for x in d["problems"]))

    def test_real_corpus_is_clean(self):
        p = e2e.run("lint", os.path.join(e2e.ROOT, "corpus"), check=False)
        self.assertEqual(p.returncode, 0, p.stdout)

    def test_body_checks_with_path_line_and_summary_last(self):
        tmp = tempfile.mkdtemp(prefix="teilhabe-lib-")
        try:
            corpus = copy_fixture(tmp)
            path = os.path.join(corpus, "sbv.md")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            body_line = text.split("\n").index("---", 1) + 2
            text = text.replace("\n---\n", "\n---\n# Zweiter Titel\n\n"
                                "Mit <b>HTML</b>, [relativ](bem-grundlagen), "
                                "[kaputt](https://gesetze).\n\n", 1)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            p = e2e.run("lint", corpus, check=False)
            self.assertEqual(p.returncode, 1)
            out = p.stdout.strip().split("\n")
            want = [("%s:%d: error: a level-1 heading" % (path, body_line)),
                    ("%s:%d: error: raw HTML '<b>'" % (path, body_line + 2)),
                    ("%s:%d: error: relative link 'bem-grundlagen'" % (path, body_line + 2)),
                    ("%s:%d: error: link 'https://gesetze' is not a well-formed" % (path, body_line + 2))]
            for w in want:
                self.assertTrue(any(line.startswith(w) for line in out), (w, out))
            # The summary closes the list, singular and plural right.
            self.assertRegex(out[-1], r"^(\d+ articles?, )?\d+ errors, \d+ warnings?$")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class Preview(unittest.TestCase):
    def test_saved_edit_shows_within_two_seconds(self):
        tmp = tempfile.mkdtemp(prefix="teilhabe-lib-")
        try:
            corpus = copy_fixture(tmp)
            server = e2e.Server(os.path.join(tmp, "index"), "--corpus", corpus)
            try:
                _, _, html = server.get("/artikel/sbv")
                self.assertNotIn("Vorschauwort", html)
                path = os.path.join(corpus, "sbv.md")
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text.rstrip("\n") + "\n\nNeu: Vorschauwort.\n")
                start = time.monotonic()
                seen = None
                while time.monotonic() - start < 5:
                    _, _, html = server.get("/artikel/sbv")
                    if "Vorschauwort" in html:
                        seen = time.monotonic() - start
                        break
                    time.sleep(0.05)
                self.assertIsNotNone(seen, "the edit never showed")
                self.assertLess(seen, 2.0)
                # /vorschau leads to the article saved last.
                # (urllib follows the 303 to the article.)
                status, _, html = server.get("/vorschau")
                self.assertEqual(status, 200)
                self.assertIn("Vorschauwort", html)
                # A broken save keeps the last good state and says why.
                with open(path, "w", encoding="utf-8") as f:
                    f.write("---\nid: sbv\n")
                time.sleep(1.0)
                _, _, html = server.get("/artikel/sbv")
                self.assertIn("Vorschauwort", html)
            finally:
                server.stop()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class IncrementalIndex(unittest.TestCase):
    def test_only_changes_are_written_and_served(self):
        tmp = tempfile.mkdtemp(prefix="teilhabe-lib-")
        try:
            corpus = copy_fixture(tmp)
            db = os.path.join(tmp, "index")
            self.assertIn("indexed 8 records", e2e.run("index", "--db", db, corpus).stderr)
            server = e2e.Server(db)
            try:
                _, d = server.json(e2e.search("Kaffeemaschine"))
                self.assertEqual(d["total"], 0)
                path = os.path.join(corpus, "hoergeraet.md")
                with open(path) as f:
                    text = f.read()
                with open(path, "w") as f:
                    f.write(text + "\nAuch die Kaffeemaschine piept jetzt lauter.\n")
                os.remove(os.path.join(corpus, "foerderung-eingliederung.md"))
                out = e2e.run("index", "--db", db, corpus).stderr
                self.assertIn("0 added, 1 changed, 1 removed, 6 unchanged", out)
                _, d = server.json(e2e.search("Kaffeemaschine"))
                self.assertEqual([r["id"] for r in d["results"]], ["hoergeraet"])
                _, d = server.json(e2e.search("", per_page=50))
                self.assertEqual(d["total"], 7)
                # A word that is gone is no longer suggested for a typo.
                _, d = server.json(e2e.search("Kaffeemaschien"))
                self.assertEqual(d["suggestion"], "Kaffeemaschine")
                with open(path, "w") as f:
                    f.write(text)
                e2e.run("index", "--db", db, corpus)
                _, d = server.json(e2e.search("Kaffeemaschien"))
                self.assertIsNone(d["suggestion"])
                out = e2e.run("index", "--db", db, "--full", corpus).stderr
                self.assertIn("indexed 7 records", out)
            finally:
                server.stop()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class ReindexUnderLoad(unittest.TestCase):
    """Queries in a loop while the index is rebuilt and updated: no request
    may fail (bounded: at most 20 s, all on loopback)."""

    def test_zero_failed_requests(self):
        tmp = tempfile.mkdtemp(prefix="teilhabe-lib-")
        try:
            corpus = copy_fixture(tmp)
            db = os.path.join(tmp, "index")
            e2e.run("index", "--db", db, corpus)
            server = e2e.Server(db, "--threads", "2")
            stop = threading.Event()
            stats = {"ok": 0, "failed": 0}
            failures = []
            lock = threading.Lock()

            def load():
                paths = [e2e.search("Hörgerät"), e2e.search("BEM"), e2e.search("", type="recht"),
                         "/suche?q=Arbeitsplatz", "/artikel/sbv"]
                i = 0
                deadline = time.time() + 20
                while not stop.is_set() and time.time() < deadline:
                    path = paths[i % len(paths)]
                    try:
                        status, _, body = server.get(path)
                        good = status == 200 and body
                        why = "%s %s" % (status, body[:300])
                    except Exception as e:  # noqa: BLE001 - any failure counts
                        good = False
                        why = repr(e)
                    with lock:
                        stats["ok" if good else "failed"] += 1
                        if not good:
                            failures.append("%s: %s" % (path, why))
                    i += 1

            threads = [threading.Thread(target=load) for _ in range(3)]
            for t in threads:
                t.start()
            try:
                path = os.path.join(corpus, "sbv.md")
                for round_ in range(6):
                    with open(path, "a") as f:
                        f.write("\nErgänzung %d.\n" % round_)
                    args = ["index", "--db", db, corpus]
                    if round_ % 3 == 2:
                        args.insert(1, "--full")  # a new generation, swapped in
                    e2e.run(*args)
                    time.sleep(0.2)
                _, d = server.json(e2e.search("Ergänzung"))
                self.assertEqual([r["id"] for r in d["results"]], ["sbv"])
            finally:
                stop.set()
                for t in threads:
                    t.join()
                server.stop()
            print("re-index under load: %d requests, %d failed" % (stats["ok"] + stats["failed"],
                                                                 stats["failed"]))
            self.assertGreater(stats["ok"], 50)
            self.assertEqual(stats["failed"], 0, "\n".join(failures[:5]))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class ZeroResultLog(unittest.TestCase):
    def test_off_by_default_and_private_when_on(self):
        tmp = tempfile.mkdtemp(prefix="teilhabe-lib-")
        try:
            db = os.path.join(tmp, "index")
            e2e.run("index", "--db", db, FIXTURE)
            server = e2e.Server(db)
            try:
                status, _, _ = server.get("/suche?q=Zeitmaschine")
                self.assertEqual(status, 200)
                self.assertEqual(server.get("/redaktion")[0], 404)  # disabled by default
            finally:
                server.stop()
            self.assertEqual(sorted(os.listdir(tmp)), ["index", "index.gen"])

            log = os.path.join(tmp, "zero.log")
            server = e2e.Server(db, "--log-zero-results", log, "--editorial")
            try:
                server.get("/suche?q=Xqzvw+Reparatur")
                server.get(e2e.search("XQZVW reparatur"))
                server.get(e2e.search("Hörgerät"))  # one hit: logged as few
                server.get(e2e.search("Arbeit"))  # several hits: not logged
                # a slip, not a gap in the corpus: not logged, page or API
                server.get("/suche?q=Be%2A")
                server.get(e2e.search("Be*"))
                status, _, html = server.get("/redaktion")
                self.assertEqual(status, 200)
                self.assertIn("<svg", html)
                self.assertIn("xqzvw reparatur (2)", html)
                self.assertIn("nur ein oder zwei Treffern", html)
                self.assertIn("hörgerät (1)", html)
            finally:
                server.stop()
            with open(log) as f:
                lines = f.read().splitlines()
            self.assertEqual(len(lines), 3)
            for line in lines:
                fields = line.split("\t")
                day, query = fields[0], fields[-1]
                self.assertRegex(day, r"^\d{4}-\d{2}-\d{2}$")  # the day only
                if len(fields) == 3:  # found little: the count, then the query
                    self.assertEqual(fields[1:], ["1", "hörgerät"])
                else:
                    self.assertEqual(query, "xqzvw reparatur")
                self.assertNotRegex(line, r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")  # no IPv4
                self.assertNotIn("::1", line)  # no IPv6
                self.assertNotRegex(line, r"\d{1,2}:\d{2}")  # no time of day
                self.assertNotIn("Mozilla", line)
                self.assertNotIn("urllib", line)  # no user agent
            stats = e2e.run("stats", "--db", db, "--zero-results", log).stdout
            self.assertRegex(stats, r"2\s+xqzvw reparatur")
            self.assertRegex(stats, r"nur ein oder zwei Treffern[^\n]*\n\s+1\s+hörgerät")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class Stats(unittest.TestCase):
    def test_corpus_and_index_agree(self):
        tmp = tempfile.mkdtemp(prefix="teilhabe-lib-")
        try:
            db = os.path.join(tmp, "index")
            e2e.run("index", "--db", db, FIXTURE)
            a = json.loads(e2e.run("stats", "--json", FIXTURE).stdout)
            b = json.loads(e2e.run("stats", "--json", "--db", db).stdout)
            self.assertEqual(a, b)
            self.assertEqual(a["total"], 8)
            self.assertEqual([s["id"] for s in a["stale"]], ["foerderung-eingliederung"])
            self.assertIn("autismus", a["unused_values"]["disability"])
            counts = {c["value"]: c["count"] for c in a["counts"]["type"]}
            self.assertEqual(counts["anpassung"], 3)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    e2e.BIN, e2e.ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    FIXTURE = os.path.join(e2e.ROOT, "tests", "fixtures", "corpus")
    prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
    r = prog.result
    bad = len(r.failures) + len(r.errors)
    print("%d passed, %d failed" % (r.testsRun - bad, bad))
    sys.exit(1 if bad else 0)

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end tests of a damaged index and of concurrent index runs.

A server under load while the files of its live index are truncated,
overwritten with random bytes or deleted: it must stay up, answer only
normal pages or the 503, tell the truth on /healthz and serve again after
the next `teilhabe index`.  Two index runs at once: the second waits or
gives up with a clear message; what a killed run left is removed by the
next one.  The long versions are tests/stress/corrupt-index.py and
tests/stress/kill-index.py.

usage: e2e_robust.py PATH/TO/teilhabe SOURCE_ROOT
"""
import fcntl
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (shares the runner and the Server helper)
from e2e import run, search, Server  # noqa: E402

# Xapian's tables an index of ours has (no docdata: the records are kept
# in values, include/kb_layout.h); each is damaged in turn.
GLASS = ["position", "postlist", "spelling", "synonym", "termlist"]


def damage(gen, how, table, rnd):
    """Damages one file of the generation folder `gen`."""
    path = os.path.join(gen, table + ".glass")
    size = os.path.getsize(path)
    if how == "truncate":
        os.truncate(path, rnd.randrange(0, size))
    elif how == "random":
        with open(path, "r+b") as f:
            for _ in range(8):
                f.seek(rnd.randrange(0, size))
                f.write(os.urandom(rnd.choice([16, 512, 8192])))
    elif how == "delete":
        os.unlink(path)


class Load:
    """Three threads asking for searches, record pages (which read a
    termlist for similar records), completions and /healthz."""

    PATHS = [search("Hörgerät"), search("BEM"), "/suche?q=Arbeitsplatz", "/artikel/sbv",
             "/artikel/hoergeraet", "/artikel/bem-grundlagen", "/api/suggest?q=Arb",
             "/api/records/sbv", "/healthz", "/"]

    def __init__(self, server):
        self.server, self.stop, self.statuses = server, threading.Event(), {}
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.loop, args=(i,)) for i in range(3)]
        for t in self.threads:
            t.start()

    def loop(self, i):
        while not self.stop.is_set():
            try:
                status = self.server.get(self.PATHS[i % len(self.PATHS)])[0]
            except Exception as e:  # a refused connection: the server died
                status = type(e).__name__
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
            i += 1

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join()
        return self.statuses


class DamagedIndex(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-robust-")
        cls.db = os.path.join(cls.tmp, "index")
        cls.corpus = os.path.join(e2e.ROOT, "tests", "fixtures", "corpus")
        run("index", "--db", cls.db, cls.corpus)
        cls.server = Server(cls.db, "--threads", "2")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def fresh(self):
        """A new generation, and the server back on it."""
        run("index", "--full", "--quiet", "--db", self.db, self.corpus)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.server.get("/healthz")[0] == 200 and self.server.get("/healthz")[0] == 200:
                return os.path.realpath(self.db)
            time.sleep(0.05)
        self.fail("the server did not come back after a new index")

    def healthz(self):
        status, headers, body = self.server.get("/healthz")
        self.assertEqual(headers.get("Cache-Control"), "no-store")
        return status, body.strip()

    def test_damage_under_load(self):
        rnd = random.Random(16)
        cases = [("random", t) for t in GLASS] + [("truncate", "termlist"), ("delete", "postlist")]
        seen = {}
        for how, table in cases:
            gen = self.fresh()
            self.assertEqual(sorted(f[:-len(".glass")] for f in os.listdir(gen)
                                    if f.endswith(".glass")), GLASS)
            load = Load(self.server)
            try:
                time.sleep(0.15)
                damage(gen, how, table, rnd)
                time.sleep(0.3)
            finally:
                statuses = load.finish()
            self.assertIsNone(self.server.proc.poll(), "server died: %s %s" % (how, table))
            self.assertTrue(set(statuses) <= {200, 404, 503}, (how, table, statuses))
            status, body = self.healthz()
            self.assertEqual(status, 503, (how, table))
            self.assertEqual(body, "index unavailable: " +
                             ("missing" if how == "delete" else "damaged"), (how, table))
            for k, v in statuses.items():
                seen[k] = seen.get(k, 0) + v
        print("damage under load: %d cases, %s" % (len(cases), seen))
        # After a new index the server serves again.
        self.fresh()
        self.assertEqual(self.healthz(), (200, "ok"))
        status, d = self.server.json(search("Hörgerät"))
        self.assertEqual(status, 200)
        self.assertEqual(d["results"][0]["id"], "hoergeraet")

    def test_503_is_german_uncached_and_json_for_the_api(self):
        gen = self.fresh()
        self.assertEqual(self.server.get("/artikel/sbv")[0], 200)
        damage(gen, "random", "postlist", random.Random(1))
        status, headers, html = self.server.get("/suche?q=Arbeit")
        self.assertEqual(status, 503)
        self.assertEqual(headers.get("Cache-Control"), "no-store")
        self.assertIn("Suche nicht verfügbar", html)
        self.assertIn("Der Suchindex kann gerade nicht gelesen werden", html)
        status, headers, body = self.server.get(search("Arbeit"))
        self.assertEqual(status, 503)
        self.assertEqual(headers.get("Cache-Control"), "no-store")
        self.assertIn("not available", json.loads(body)["error"])
        self.assertEqual(self.server.get("/artikel/sbv")[0], 503)
        self.fresh()
        self.assertEqual(self.server.get("/artikel/sbv")[0], 200)

    def test_index_removed_then_rebuilt(self):
        self.fresh()
        self.assertEqual(self.server.get("/artikel/sbv")[0], 200)
        shutil.rmtree(self.db + ".gen")
        os.unlink(self.db)
        self.assertEqual(self.healthz(), (503, "index unavailable: missing"))
        # What a worker has open is intact: it may keep answering.
        self.assertIn(self.server.get("/artikel/sbv")[0], (200, 503))
        self.fresh()
        self.assertEqual(self.healthz(), (200, "ok"))


class IndexRuns(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="teilhabe-runs-")
        self.db = os.path.join(self.tmp, "index")
        self.corpus = os.path.join(self.tmp, "corpus")
        shutil.copytree(os.path.join(e2e.ROOT, "tests", "fixtures", "corpus"), self.corpus)
        run("index", "--quiet", "--db", self.db, self.corpus)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def gens(self):
        return sorted(n for n in os.listdir(self.db + ".gen") if not n.startswith("."))

    def test_second_run_waits_then_gives_up(self):
        with open(os.path.join(self.db + ".gen", ".lock"), "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            p = run("index", "--wait", "0", "--db", self.db, self.corpus, check=False)
            self.assertEqual(p.returncode, 3)
            self.assertIn("teilhabe index: another 'teilhabe index' is writing", p.stderr)
            self.assertIn("the index was not changed", p.stderr)
            t0 = time.time()
            p = run("index", "--wait", "1", "--db", self.db, self.corpus, check=False)
            self.assertEqual(p.returncode, 3)
            self.assertGreaterEqual(time.time() - t0, 0.9)
            self.assertIn("another run is writing", p.stderr)
            self.assertIn("waiting up to 1 s", p.stderr)
            waiting = subprocess.Popen([e2e.BIN, "index", "--full", "--wait", "20", "--db",
                                        self.db, self.corpus], stderr=subprocess.PIPE, text=True)
            time.sleep(0.5)
            self.assertIsNone(waiting.poll())
        # The lock is free: the waiting run goes ahead.
        _, err = waiting.communicate(timeout=60)
        self.assertEqual(waiting.returncode, 0, err)
        self.assertIn("indexed 8 records", err)

    def test_leftovers_of_killed_runs_are_removed(self):
        before = self.gens()
        self.assertEqual(len(before), 1)
        run("index", "--full", "--quiet", "--db", self.db, self.corpus)
        current, previous = os.path.basename(os.path.realpath(self.db)), before[0]
        # What killed runs leave: unpublished generations, a temporary link.
        for name in ("29991231T000000.000000000-1", "29991231T000001.000000000-2",
                     "20000101T000000.000000000-3"):
            os.mkdir(os.path.join(self.db + ".gen", name))
            open(os.path.join(self.db + ".gen", name, "postlist.glass"), "w").close()
        os.symlink("index.gen/" + current, self.db + ".tmp-4242")
        os.mkdir(os.path.join(self.db + ".gen", "not-ours"))
        p = run("index", "--db", self.db, self.corpus)
        self.assertIn("removed 3 leftover generations", p.stderr)
        self.assertEqual(self.gens(), sorted([current, previous, "not-ours"]))
        self.assertFalse(os.path.lexists(self.db + ".tmp-4242"))
        self.assertEqual(os.path.basename(os.path.realpath(self.db)), current)

    def test_update_publishes_a_checked_copy(self):
        first = os.path.realpath(self.db)
        with open(os.path.join(self.corpus, "sbv.md"), "a") as f:
            f.write("\nNachtrag Zebrastreifen.\n")
        p = run("index", "--db", self.db, self.corpus)
        self.assertIn("1 changed", p.stderr)
        second = os.path.realpath(self.db)
        self.assertNotEqual(first, second)  # the published one was not written
        self.assertEqual(self.gens(), sorted(os.path.basename(g) for g in (first, second)))
        for g in (first, second):
            self.assertTrue(os.path.exists(os.path.join(g, "teilhabe.stamp")))
        # Nothing changed: nothing is published.
        run("index", "--db", self.db, self.corpus)
        self.assertEqual(os.path.realpath(self.db), second)
        self.assertIn("1 Eintrag gefunden", run("search", "--db", self.db, "Zebrastreifen").stdout)
        if shutil.which("xapian-check"):
            c = subprocess.run(["xapian-check", self.db], capture_output=True, text=True)
            self.assertEqual(c.returncode, 0, c.stdout)

    def test_damaged_generation_is_rebuilt_not_updated(self):
        gen = os.path.realpath(self.db)
        damage(gen, "random", "postlist", random.Random(3))
        with open(os.path.join(self.corpus, "sbv.md"), "a") as f:
            f.write("\nNachtrag.\n")
        p = run("index", "--db", self.db, self.corpus)
        self.assertIn("indexed 8 records", p.stderr)  # a full build


if __name__ == "__main__":
    e2e.BIN, e2e.ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
    r = prog.result
    bad = len(r.failures) + len(r.errors)
    print("%d passed, %d failed" % (r.testsRun - bad, bad))
    sys.exit(1 if bad else 0)

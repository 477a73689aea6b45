#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End-to-end tests of sharded, remote and replicated search.

The real corpus is indexed once as a single database and once with
`--shards 2`.  Three front ends answer the same requests: one on the
single database, one on the local shards (the generation's index.stub
with its aux database) and one on a stub naming the two shards served by
two `xapian-tcpsrv` processes on loopback, with "#teilhabe-aux" naming
the local database for spelling, synonyms and metadata.  For queries of
every kind the JSON API must give the same ids in the same order, the
same totals, facet counts, spelling suggestion and correction; the local
shards the same answer byte for byte (scores, snippets), the remote ones
everything but the snippet passages (docs/scaling.md says why).
Completions, "more like this" on record pages and `teilhabe analyze`
(compound parts, synonyms) must agree too.  A re-index of a sharded index
under load fails no request, and a replica pulled with `xapian-replicate`
from `xapian-replicate-server` serves a changed record after the next
replication.

usage: e2e_shards.py PATH/TO/teilhabe SOURCE_ROOT
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (shares the runner and the Server helper)
from e2e import run, search, Server  # noqa: E402

# Queries of every kind: words, phrases, citations, compounds, typos,
# questions, field prefixes, exclusions, wildcards, filters only, sorts,
# paging; each with extra parameters.
QUERIES = [
    ("Kündigungsschutz", {}),
    ("Arbeitsassistenz", {}),
    ('"betriebliches Eingliederungsmanagement"', {}),
    ("§ 167 Abs. 2 SGB IX", {}),
    ("167 SGB IX", {}),
    ("§ 84 SGB IX", {}),  # an old citation: today's norm and a note
    ("Arbeitsplatzanpassung", {}),  # a compound
    ("Eingliederungszuschuss Antrag", {}),
    ("Kündigungschutz", {}),  # typos: a suggestion
    ("Arbeitsasistenz", {}),
    ("xyzzyqq", {}),  # nothing at all
    ("BEM", {}),  # a synonym
    ("Firma krank", {}),  # everyday words
    ("Wie beantrage ich eine Arbeitsassistenz?", {}),
    ("titel:Zuschuss", {}),
    ("Kündigung -Probezeit", {}),
    ("Teilh*", {}),
    ("Förderung*", {}),  # also the word's own stem, through the spelling table
    ("\"betriebliche Eingliederungsmanagements\"", {}),  # a phrase of stems
    ("Arbeit", {"page": 2}),
    ("Arbeit", {"per_page": 50, "sort": "updated"}),
    ("", {}),  # browse: everything, newest first
    ("", {"type": "recht"}),
    ("", {"kind": "urteil", "sort": "updated"}),
    ("Kündigung", {"kind": "urteil"}),
    ("Arbeitsplatz", {"audience": ["arbeitgeber", "beschaeftigte"], "per_page": 30}),
]

RECORDS = ["/artikel/bem-grundlagen", "/artikel/kuendigungsschutz-schwerbehinderte",
           "/artikel/sbv-rechte", "/urteil/bag-2-azr-716-06"]
COMPLETIONS = ["Arbeitsa", "Kündi", "BE", "Schwerbeh"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what):
    deadline = time.time() + 20
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError("%s exited (%d)" % (what, proc.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("%s did not listen on port %d" % (what, port))


def start(args, port, what):
    if shutil.which(args[0]) is None:
        raise AssertionError("%s not found: install the Debian package xapian-tools" % args[0])
    # Its own session: xapian-tcpsrv ends by signalling its whole process
    # group (its forked children), which would be this test otherwise.
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    wait_port(port, proc, what)
    return proc


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def doccount(db):
    out = subprocess.run(["xapian-delve", db], capture_output=True, text=True,
                         check=True).stdout
    return int(re.search(r"number of documents = (\d+)", out).group(1))


def without_snippets(d):
    for r in d.get("results", []):
        r.pop("snippet", None)
    return d


class Shards(unittest.TestCase):
    """Single, local-sharded and remote-sharded front ends agree."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-e2e-shards-")
        cls.procs, cls.servers = [], []
        corpus = os.path.join(e2e.ROOT, "corpus")
        cls.single = os.path.join(cls.tmp, "single")
        cls.sharded = os.path.join(cls.tmp, "sharded")
        run("index", "--quiet", "--db", cls.single, corpus)
        run("index", "--quiet", "--shards", "2", "--db", cls.sharded, corpus)
        try:
            ports = []
            for k in range(2):
                port = free_port()
                cls.procs.append(start(
                    ["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port),
                     os.path.join(cls.sharded, "shard-%d" % k)], port, "xapian-tcpsrv"))
                ports.append(port)
            remote = os.path.join(cls.tmp, "frontend")
            os.mkdir(remote)
            cls.stub = os.path.join(remote, "index.stub")
            with open(cls.stub, "w") as f:
                for port in ports:
                    f.write("remote 127.0.0.1:%d\n" % port)
                f.write("#teilhabe-aux ../sharded/aux\n")
            cls.servers = [Server(cls.single), Server(cls.sharded), Server(cls.stub)]
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers:
            s.stop()
        for p in cls.procs:
            stop(p)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def answers(self, path):
        out = []
        for s in self.servers:
            status, body = s.json(path)
            self.assertEqual(status, 200, (path, s.base, body))
            out.append(body)
        return out

    def test_layout(self):
        gen = os.path.realpath(self.sharded)
        self.assertEqual(sorted(os.listdir(gen)),
                         ["aux", "index.stub", "shard-0", "shard-1", "teilhabe.stamp"])
        with open(os.path.join(gen, "index.stub")) as f:
            self.assertEqual(f.read(), "auto shard-0\nauto shard-1\n")
        with open(os.path.join(gen, "teilhabe.stamp")) as f:
            stamped = [line.split()[0] for line in f.read().splitlines()[1:]]
        self.assertIn("shard-1/postlist.glass", stamped)
        self.assertIn("aux/spelling.glass", stamped)
        # Every record in exactly one shard: the shard sizes add up, and
        # the hash spreads them.
        single = json.loads(run("search", "--db", self.single, "--json").stdout)["total"]
        self.assertGreater(single, 300)
        sizes = [doccount(os.path.join(gen, "shard-%d" % k)) for k in range(2)]
        self.assertEqual(sum(sizes), single)
        self.assertGreater(min(sizes), single // 3, sizes)

    def test_search_answers_agree(self):
        seen = {"suggestion": 0, "corrected": 0, "facets": 0, "sorted": 0}
        for q, params in QUERIES:
            path = search(q, **params)
            single, local, remote = self.answers(path)
            self.assertEqual(local, single, path)  # byte for byte, snippets too
            ids = [r["id"] for r in single["results"]]
            self.assertEqual([r["id"] for r in remote["results"]], ids, path)
            self.assertEqual(remote["total"], single["total"], path)
            self.assertEqual(remote.get("facets"), single.get("facets"), path)
            self.assertEqual(remote.get("suggestion"), single.get("suggestion"), path)
            self.assertEqual(without_snippets(remote), without_snippets(single), path)
            seen["suggestion"] += bool(single.get("suggestion"))
            seen["corrected"] += bool(single.get("corrected"))
            seen["facets"] += any(v["count"] for f in single.get("facets", {}).values()
                                  for v in (f if isinstance(f, list) else f.get("values", [])))
            if params.get("sort") == "updated" or not q:  # newest first
                dates = [r["updated"] for r in single["results"]]
                self.assertEqual(dates, sorted(dates, reverse=True), path)
                seen["sorted"] += len(dates) > 1
        # The list really exercises what it claims to.
        self.assertGreaterEqual(seen["suggestion"], 2, seen)
        self.assertGreaterEqual(seen["facets"], 10, seen)
        self.assertGreaterEqual(seen["sorted"], 3, seen)

    def test_completions_agree(self):
        for q in COMPLETIONS:
            single, local, remote = self.answers("/api/suggest?q=" + q)
            self.assertTrue(single, q)
            self.assertEqual(local, single, q)
            self.assertEqual(remote, single, q)

    def test_records_and_more_like_this_agree(self):
        for url in RECORDS:
            rid = url.rsplit("/", 1)[1]
            # The whole page, with its "more like this" links, is the
            # same but for the server's own address.
            pages = []
            for s in self.servers:
                status, _, body = s.get(url)
                self.assertEqual(status, 200, rid)
                pages.append(body.replace(s.base, "BASE"))
            self.assertIn("BASE" + url, pages[0])
            self.assertIn("Ähnliche Einträge", pages[0])
            self.assertEqual(pages[1], pages[0], rid)
            self.assertEqual(pages[2], pages[0], rid)
            single, local, remote = self.answers("/api/records/" + rid)
            self.assertEqual(local, single)
            self.assertEqual(remote, single)

    def test_analyze_over_remote_shards(self):
        words = ["Arbeitsplatzanpassung", "SBV", "BEM", "Kündigungsschutz"]
        want = json.loads(run("analyze", "--db", self.single, "--json", *words).stdout)
        got = json.loads(run("analyze", "--db", self.stub, "--json", *words).stdout)
        self.assertEqual(got, want)
        self.assertEqual(got[0]["parts"], ["arbeitsplatz", "anpassung"])  # compound split
        self.assertIn("schwerbehindertenvertretung", got[1]["synonyms"])  # from aux

    def test_search_and_stats_cli_on_stub(self):
        for db in (self.sharded, self.stub):
            a = run("search", "--db", self.single, "--json", "Kündigungschutz").stdout
            b = run("search", "--db", db, "--json", "Kündigungschutz").stdout
            self.assertEqual(without_snippets(json.loads(b)), without_snippets(json.loads(a)))
            self.assertEqual(run("stats", "--db", db).stdout,
                             run("stats", "--db", self.single).stdout)


def shard_of(rid, n):
    """The shard kb_index_shard_of() names: FNV-1a of the id, mod n."""
    h = 2166136261
    for b in rid.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h % n


def stamp(gen):
    """The stamp of a generation: file name -> (size, hash)."""
    with open(os.path.join(gen, "teilhabe.stamp")) as f:
        return {w[0]: tuple(w[1:]) for w in (line.split() for line in f.read().splitlines()[1:])}


class Load:
    """Three threads asking for searches, browsing, a record page (with
    "more like this") and completions; every answer must be a 200 with
    a body."""

    PATHS = [search("Hörgerät"), search("BEM"), search("", type="recht"),
             "/suche?q=Arbeitsplatz", "/artikel/sbv", "/api/suggest?q=Arb"]

    def __init__(self, server):
        self.server, self.stop = server, threading.Event()
        self.ok, self.failures, self.lock = 0, [], threading.Lock()
        self.threads = [threading.Thread(target=self.loop, args=(i,)) for i in range(3)]
        for t in self.threads:
            t.start()

    def loop(self, i):
        deadline = time.time() + 60
        while not self.stop.is_set() and time.time() < deadline:
            path = self.PATHS[i % len(self.PATHS)]
            try:
                status, _, body = self.server.get(path)
                why = None if status == 200 and body else "%s %s" % (status, body[:300])
            except Exception as e:  # noqa: BLE001 - any failure counts
                why = repr(e)
            with self.lock:
                if why:
                    self.failures.append("%s: %s" % (path, why))
                else:
                    self.ok += 1
            i += 1

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join()


class Reindex(unittest.TestCase):
    """Re-indexing a sharded index: updates touch the holding shard only,
    and a server under load follows every new generation - more shards,
    fewer, a single database and back - without a failed request."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="teilhabe-e2e-reshard-")
        self.corpus = os.path.join(self.tmp, "corpus")
        shutil.copytree(os.path.join(e2e.ROOT, "tests", "fixtures", "corpus"), self.corpus)
        self.db = os.path.join(self.tmp, "index")
        run("index", "--quiet", "--shards", "2", "--db", self.db, self.corpus)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_update_writes_only_the_holding_shard(self):
        before_gen = os.path.realpath(self.db)
        before = stamp(before_gen)
        with open(os.path.join(self.corpus, "sbv.md"), "a") as f:
            f.write("\nNachtrag zur Wahlordnung.\n")
        p = run("index", "--db", self.db, self.corpus)  # keeps its 2 shards
        self.assertIn("1 changed", p.stderr)
        gen = os.path.realpath(self.db)
        self.assertNotEqual(gen, before_gen)  # a new generation, published
        after = stamp(gen)
        mine, other = "shard-%d/" % shard_of("sbv", 2), "shard-%d/" % (1 - shard_of("sbv", 2))
        self.assertNotEqual({k: v for k, v in after.items() if k.startswith(mine)},
                            {k: v for k, v in before.items() if k.startswith(mine)})
        self.assertEqual({k: v for k, v in after.items() if k.startswith(other)},
                         {k: v for k, v in before.items() if k.startswith(other)})
        d = json.loads(run("search", "--db", self.db, "--json", "Wahlordnung").stdout)
        self.assertEqual([r["id"] for r in d["results"]], ["sbv"])

    def test_reindex_under_load_fails_nothing(self):
        server = Server(self.db, "--threads", "2")
        load = Load(server)
        try:
            path = os.path.join(self.corpus, "sbv.md")
            for round_, shards in enumerate(["2", "3", "2", "1", "4", "2"]):
                with open(path, "a") as f:
                    f.write("\nErgänzung %d.\n" % round_)
                run("index", "--quiet", "--shards", shards, "--db", self.db, self.corpus)
                names = os.listdir(os.path.realpath(self.db))
                self.assertEqual(len([n for n in names if n.startswith("shard-")]),
                                 0 if shards == "1" else int(shards))
                self.assertEqual("index.stub" in names, shards != "1")
                time.sleep(0.3)
            _, d = server.json(search("Ergänzung"))
            self.assertEqual([r["id"] for r in d["results"]], ["sbv"])
        finally:
            load.finish()
            server.stop()
        print("re-index of a sharded index under load: %d requests, %d failed"
              % (load.ok + len(load.failures), len(load.failures)))
        self.assertGreater(load.ok, 50)
        self.assertEqual(load.failures, [])


class RemoteRestart(unittest.TestCase):
    """A shard server that goes away costs answers (a 503, never a 500
    or a wrong total) until it is back; then the front end reconnects by
    itself, as after a server's idle timeout.  A re-index behind the
    shard servers is served too."""

    def test_front_end_reconnects(self):
        tmp = tempfile.mkdtemp(prefix="teilhabe-e2e-remote-")
        procs, server = [], None
        try:
            db = os.path.join(tmp, "index")
            corpus = os.path.join(tmp, "corpus")
            shutil.copytree(os.path.join(e2e.ROOT, "tests", "fixtures", "corpus"), corpus)
            run("index", "--quiet", "--shards", "2", "--db", db, corpus)
            ports = [free_port(), free_port()]
            args = [["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(p),
                     "--idle-timeout", "800", os.path.join(db, "shard-%d" % k)]
                    for k, p in enumerate(ports)]
            procs = [start(a, p, "xapian-tcpsrv") for a, p in zip(args, ports)]
            stub = os.path.join(tmp, "remote.stub")
            with open(stub, "w") as f:
                f.write("".join("remote 127.0.0.1:%d\n" % p for p in ports))
                f.write("#teilhabe-aux %s\n" % os.path.join(db, "aux"))
            server = Server(stub, "--threads", "1")
            _, d = server.json(search("", per_page=50))
            self.assertEqual(d["total"], 8)
            # The servers close idle connections; the next request is
            # answered all the same.
            time.sleep(2)
            status, d = server.json(search("", per_page=50))
            self.assertEqual((status, d["total"]), (200, 8))
            stop(procs[1])
            status, body = server.json(search("Hörgerät"))
            self.assertEqual(status, 503, body)
            self.assertIn("error", body)
            self.assertEqual(server.get("/healthz")[0], 503)  # out of the balancer
            self.assertEqual(server.get("/api/suggest?q=Arb")[0], 503)
            self.assertEqual(server.get("/suche?q=Arbeitsplatz")[0], 503)
            procs[1] = start(args[1], ports[1], "xapian-tcpsrv")
            deadline, d = time.time() + 10, None
            while time.time() < deadline:
                status, d = server.json(search("", per_page=50))
                if status == 200:
                    break
                time.sleep(0.2)
            self.assertEqual(status, 200, d)
            self.assertEqual(d["total"], 8)
            # A re-index publishes a new generation behind the shard
            # servers' paths; the changed aux (named through the link) is
            # the front end's sign to reconnect, and each server opens the
            # current generation for the new connection.
            with open(os.path.join(corpus, "sbv.md"), "a") as f:
                f.write("\nEin Nachtrag zur Fernabfrage.\n")
            run("index", "--quiet", "--db", db, corpus)
            deadline = time.time() + 10
            while time.time() < deadline:
                status, d = server.json(search("Fernabfrage"))
                if status == 200 and d["total"]:
                    break
                time.sleep(0.2)
            self.assertEqual([r["id"] for r in d["results"]], ["sbv"])
        finally:
            if server:
                server.stop()
            for p in procs:
                stop(p)
            shutil.rmtree(tmp, ignore_errors=True)


class Replication(unittest.TestCase):
    """xapian-replicate-server serves the shards and the local database
    of a sharded index; xapian-replicate pulls them into a replica
    folder; a front end on the replica's stub serves a changed record
    after the next replication, without a restart."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="teilhabe-e2e-replica-")
        self.corpus = os.path.join(self.tmp, "corpus")
        shutil.copytree(os.path.join(e2e.ROOT, "tests", "fixtures", "corpus"), self.corpus)
        self.master = os.path.join(self.tmp, "master")
        self.replica = os.path.join(self.tmp, "replica")
        os.mkdir(self.master)
        os.mkdir(self.replica)
        self.db = os.path.join(self.master, "index")
        run("index", "--quiet", "--shards", "2", "--db", self.db, self.corpus)
        self.port = free_port()
        self.server_proc = start(["xapian-replicate-server", "--interface", "127.0.0.1",
                                  "--port", str(self.port), self.master],
                                 self.port, "xapian-replicate-server")

    def tearDown(self):
        stop(self.server_proc)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def replicate(self):
        """One pull of every database, as a cron job or a xapian-replicate
        loop on each front end does (docs/scaling.md)."""
        for name in ["shard-0", "shard-1", "aux"]:
            subprocess.run(["xapian-replicate", "--host", "127.0.0.1", "--port", str(self.port),
                            "--master", "index/" + name, "--one-shot",
                            os.path.join(self.replica, name)],
                           check=True, capture_output=True, timeout=60)

    def test_replica_serves_a_change(self):
        self.replicate()
        stub = os.path.join(self.replica, "index.stub")
        with open(stub, "w") as f:
            f.write("auto shard-0\nauto shard-1\n")  # aux: the folder next to it
        server = Server(stub)
        try:
            _, before = server.json(search("Replikationsprobe"))
            self.assertEqual(before["total"], 0)
            _, had = server.json(search("BEM"))
            self.assertEqual([r["id"] for r in had["results"]], ["bem-grundlagen"])
            with open(os.path.join(self.corpus, "sbv.md"), "a") as f:
                f.write("\nEine Replikationsprobe im Nachtrag.\n")
            p = run("index", "--db", self.db, self.corpus)
            self.assertIn("1 changed", p.stderr)
            self.assertEqual(server.json(search("Replikationsprobe"))[1]["total"], 0)
            self.replicate()
            deadline = time.time() + 10
            while time.time() < deadline:
                _, after = server.json(search("Replikationsprobe"))
                if after["total"]:
                    break
                time.sleep(0.1)
            self.assertEqual([r["id"] for r in after["results"]], ["sbv"])
            # Spelling comes from the replicated local database.
            _, typo = server.json(search("Replikationsprobbe"))
            self.assertEqual(typo.get("suggestion"), "Replikationsprobe")
            self.assertEqual(server.json("/api/version")[1]["index"]["records"], 8)
        finally:
            server.stop()


if __name__ == "__main__":
    e2e.main()

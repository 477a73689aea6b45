#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Corruption stress: damage the live index under load, many times.

Indexes a corpus, starts `teilhabe serve` and keeps six clients asking
for searches, record pages (which read a termlist: the read that crashed
Xapian 1.4 on random bytes), completions, feeds and /healthz.  Each round
publishes a fresh index (a copy of a checked generation, every tenth a
new `teilhabe index` run), waits until the server is back on it, then
damages one file of the live generation - truncated, random bytes
written into it, or deleted - while the clients keep asking.  After every
round: the server process must be alive, every answer must be a normal
page or the 503, /healthz must say 'damaged' (or 'missing' for a deleted
file); the next `teilhabe index` must bring it back to 200.

usage: corrupt-index.py PATH/TO/teilhabe SOURCE_ROOT [--rounds N] [--seed N]
  --rounds N   damage rounds (default 120: every kind of damage on every
               file of the index, several times)

The short version in `meson test` is tests/e2e/e2e_robust.py.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import e2e  # noqa: E402  (the Server helper)
from e2e_robust import GLASS, damage  # noqa: E402


def get(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=20) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except Exception as e:
        return type(e).__name__, ""


class Clients:
    def __init__(self, base, ids, n=6):
        self.base, self.ids = base, ids
        self.stop = threading.Event()
        self.statuses, self.lock = {}, threading.Lock()
        self.threads = [threading.Thread(target=self.loop, args=(i,)) for i in range(n)]
        for t in self.threads:
            t.start()

    def loop(self, seed):
        rnd = random.Random(seed)
        words = ["Arbeit", "Hörgerät", "Kündigungsschutz", "BEM", "Antrag", "Assistenz",
                 "Budget für Arbeit", "Gleichstellung", "Zusatzurlaub"]
        while not self.stop.is_set():
            r = rnd.random()
            q = urllib.parse.quote(rnd.choice(words))
            if r < 0.35:
                path = "/artikel/" + rnd.choice(self.ids)
            elif r < 0.55:
                path = "/suche?q=" + q
            elif r < 0.7:
                path = "/api/search?q=" + q
            elif r < 0.8:
                path = "/api/suggest?q=" + q[:3]
            elif r < 0.85:
                path = rnd.choice(["/", "/feed.xml", "/sitemap.xml", "/begriffe"])
            else:
                path = "/healthz"
            status, _ = get(self.base, path)
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("root")
    ap.add_argument("--rounds", type=int, default=120)
    ap.add_argument("--seed", type=int, default=16)
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    rnd = random.Random(a.seed)
    tmp = tempfile.mkdtemp(prefix="teilhabe-corrupt-")
    server = None
    try:
        db, corpus = os.path.join(tmp, "index"), os.path.join(a.root, "corpus")

        def index():
            subprocess.run([binary, "index", "--full", "--quiet", "--db", db, corpus],
                           check=True, capture_output=True)

        index()
        # A pristine copy of a checked generation: publishing a copy of it
        # is much faster than a build (every tenth round builds anew).
        pristine = os.path.join(tmp, "pristine")
        shutil.copytree(os.path.realpath(db), pristine)

        def publish_copy(n):
            gen = os.path.join(db + ".gen", "29990101T000000.%09d-1" % n)
            shutil.copytree(pristine, gen)
            os.symlink(os.path.relpath(gen, tmp), db + ".tmp")
            os.rename(db + ".tmp", db)
            for old in os.listdir(db + ".gen"):
                if not old.startswith(".") and old != os.path.basename(gen):
                    shutil.rmtree(os.path.join(db + ".gen", old))

        e2e.BIN = binary
        server = e2e.Server(db, "--threads", "4")
        base = server.base
        ids = []
        for page in range(1, 20):
            _, body = get(base, "/api/search?per_page=50&kind=artikel&page=%d" % page)
            found = re.findall(r'"id":"([^"]+)"', body)
            if not found:
                break
            ids += found
        clients = Clients(base, ids)
        cases = [(how, t) for how in ("random", "truncate", "delete") for t in GLASS]
        lies = unknown = not_back = 0
        per_kind = {}
        for rnd_i in range(a.rounds):
            how, table = cases[rnd_i % len(cases)]
            if rnd_i % 10 == 9:
                index()
            else:
                publish_copy(rnd_i)
            deadline = time.time() + 20
            while get(base, "/healthz")[0] != 200 and time.time() < deadline:
                time.sleep(0.05)
            if get(base, "/healthz")[0] != 200:
                not_back += 1
            before = dict(clients.statuses)
            time.sleep(rnd.uniform(0.05, 0.3))
            damage(os.path.realpath(db), how, table, rnd)
            time.sleep(rnd.uniform(0.3, 0.8))
            status, body = get(base, "/healthz")
            want = "index unavailable: " + ("missing" if how == "delete" else "damaged")
            if status != 503 or body.strip() != want:
                lies += 1
                print("healthz after %s %s: %s %r" % (how, table, status, body.strip()))
            with clients.lock:
                after = dict(clients.statuses)
            k = per_kind.setdefault(how, {})
            for s, n in after.items():
                k[s] = k.get(s, 0) + n - before.get(s, 0)
            if server.proc.poll() is not None:
                break
        clients.finish()
        index()
        time.sleep(0.2)
        back = get(base, "/healthz")[0] == 200 and get(base, "/suche?q=Arbeit")[0] == 200
        alive = server.proc.poll() is None
        unknown = sum(n for s, n in clients.statuses.items() if s not in (200, 404, 503))
        total = sum(clients.statuses.values())
        print("corrupt-index: %d rounds (%s), %d requests: %s" %
              (rnd_i + 1, ", ".join("%s %s" % c for c in cases[:3]) + ", ...", total,
               dict(sorted(clients.statuses.items(), key=str))))
        for how, k in per_kind.items():
            print("corrupt-index:   %-8s %s" % (how, dict(sorted(k.items(), key=str))))
        print("corrupt-index: server alive %s (exit %s), answers other than 200/404/503: %d, "
              "/healthz wrong %d times, not back after re-index %d, serving after the last "
              "index: %s" % (alive, server.proc.returncode, unknown, lies, not_back, back))
        ok = alive and unknown == 0 and lies == 0 and not_back == 0 and back
        print("corrupt-index: %s" % ("ok" if ok else "FAILED"))
        return 0 if ok else 1
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

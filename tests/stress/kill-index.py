#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Kill test: SIGKILL `teilhabe index` at random moments, many times.

Alternates full (--full) and incremental runs over a copy of a corpus,
editing one to three records before each run (every edit adds a word
'kmark<N>q' that no other text has).  Each run is killed after a random
delay between 0 and 1.1 times the duration of an uninterrupted run of
its kind.  After every kill it checks that

  - the published index opens and passes xapian-check,
  - it holds every record, and it is one revision: either every edit of
    the runs since the last published one is in it or none is (no mix),

while a `teilhabe serve` on the same index is polled without pause
(searches, record pages, /healthz) and must never fail a request.  At
the end, one run completes and the disk must be back to the published
generation and the one before it.

usage: kill-index.py PATH/TO/teilhabe SOURCE_ROOT [--kills N] [--corpus DIR]
                     [--seed N]
  --kills N     SIGKILLs to deliver (default 200)
  --corpus DIR  the corpus to copy (default: SOURCE_ROOT/corpus)

The short version in `meson test` is --kills 15 over the fixture corpus.
Needs xapian-check and xapian-delve (Debian: xapian-tools); exits 77
(skipped) without them.
"""
import argparse
import os
import random
import re
import shutil
import signal
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

BIN = None


def index(db, corpus, full=False, check=True):
    args = [BIN, "index", "--quiet", "--wait", "60", "--db", db, corpus]
    if full:
        args.insert(2, "--full")
    p = subprocess.run(args, capture_output=True, text=True, timeout=600)
    if check and p.returncode != 0:
        raise SystemExit("index failed: %s" % p.stderr)
    return p


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except FileNotFoundError:
                pass
    return total


def generations(db):
    try:
        return sorted(n for n in os.listdir(db + ".gen") if not n.startswith("."))
    except FileNotFoundError:
        return []


def doccount(db):
    out = subprocess.run(["xapian-delve", db], capture_output=True, text=True).stdout
    m = re.search(r"number of documents = (\d+)", out)
    return int(m.group(1)) if m else -1


def termfreq(db, word):
    """How many records have `word`, a mark that is its own stem (the
    index keeps stems only, as Z terms)."""
    out = subprocess.run(["xapian-delve", "-t", "Z" + word, db],
                         capture_output=True, text=True).stdout
    m = re.search(r"termfreq (\d+)", out)
    return int(m.group(1)) if m else 0


class Poller:
    """One client asking the server without pause; every answer but 200
    is a failure (the index is never damaged here, only rebuilt)."""

    def __init__(self, base, ids):
        self.base, self.ids = base, ids
        self.stop = threading.Event()
        self.requests, self.failures, self.examples = 0, 0, []
        self.thread = threading.Thread(target=self.loop)
        self.thread.start()

    def loop(self):
        rnd = random.Random(7)
        words = ["Arbeit", "Hörgerät", "Kündigungsschutz", "BEM", "Antrag", "Assistenz"]
        while not self.stop.is_set():
            r = rnd.random()
            if r < 0.3:
                path = "/api/search?" + urllib.parse.urlencode({"q": rnd.choice(words)})
            elif r < 0.55:
                path = "/artikel/" + rnd.choice(self.ids)
            elif r < 0.7:
                path = "/healthz"
            else:
                path = "/suche?" + urllib.parse.urlencode({"q": rnd.choice(words)})
            try:
                with urllib.request.urlopen(self.base + path, timeout=20) as resp:
                    status = resp.status
                    resp.read()
            except urllib.error.HTTPError as e:
                status = e.code
            except Exception as e:
                status = type(e).__name__
            self.requests += 1
            if status != 200 and not (status == 404 and path.startswith("/artikel/")):
                self.failures += 1
                if len(self.examples) < 5:
                    self.examples.append((path, status))

    def finish(self):
        self.stop.set()
        self.thread.join()


def record_files(corpus):
    """(path, id) of every record file of the corpus."""
    out = []
    for root, _, files in os.walk(corpus):
        for f in sorted(files):
            if not f.endswith(".md") or f == "README.md":
                continue
            path = os.path.join(root, f)
            with open(path, encoding="utf-8") as fh:
                m = re.search(r"^id:\s*(\S+)", fh.read(), re.M)
            if m:
                out.append((path, m.group(1)))
    return sorted(out)


def main():
    global BIN
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("root")
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--corpus")
    ap.add_argument("--seed", type=int, default=16)
    a = ap.parse_args()
    BIN = os.path.abspath(a.bin)
    if not (shutil.which("xapian-check") and shutil.which("xapian-delve")):
        print("kill-index: xapian-check/xapian-delve not found; skipped")
        return 77
    rnd = random.Random(a.seed)
    tmp = tempfile.mkdtemp(prefix="teilhabe-kill-")
    server = None
    try:
        corpus, db = os.path.join(tmp, "corpus"), os.path.join(tmp, "index")
        shutil.copytree(a.corpus or os.path.join(a.root, "corpus"), corpus)
        records = record_files(corpus)
        index(db, corpus)
        expected_docs = doccount(db)
        # How long uninterrupted runs take, for the kill moments.
        t0 = time.time()
        index(db, corpus, full=True)
        t_full = time.time() - t0
        with open(records[0][0], "a", encoding="utf-8") as f:
            f.write("\nVorlauf.\n")
        t0 = time.time()
        index(db, corpus)
        t_inc = time.time() - t0
        disk_steady = du(db + ".gen")  # the published generation and the one before

        e2e.BIN = BIN
        server = e2e.Server(db, "--threads", "2")
        base = server.base
        poller = Poller(base, [r[1] for r in records])

        kills = completed = fulls = incs = unreadable = mixed = wrong_count = 0
        max_gens, max_disk, attempt, left_partial = 0, 0, 0, 0
        pending = []  # (mark, number of records carrying it) not yet seen published
        while kills < a.kills and attempt < 4 * a.kills:
            attempt += 1
            full = rnd.random() < 0.5
            edited = rnd.sample(records, rnd.randint(1, 3))
            mark = "kmark%dq" % attempt
            for path, _ in edited:
                with open(path, "a", encoding="utf-8") as f:
                    f.write("\nNachtrag %s.\n" % mark)
            pending.append((mark, len(edited)))
            args = [BIN, "index", "--quiet", "--wait", "60", "--db", db, corpus]
            if full:
                args.insert(2, "--full")
            p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rnd.uniform(0, 1.1 * (t_full if full else t_inc)))
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                kills += 1
                fulls += full
                incs += not full
            else:
                completed += 1
            p.wait()
            # The published index: readable, complete, one revision.
            if subprocess.run(["xapian-check", db], capture_output=True).returncode != 0:
                unreadable += 1
            if doccount(db) != expected_docs:
                wrong_count += 1
            seen = [termfreq(db, m) for m, _ in pending]
            if any(f not in (0, n) for f, (_, n) in zip(seen, pending)) or \
                    (any(seen) and not all(seen)):
                mixed += 1
                print("mixed revision after attempt %d: %s" % (attempt, list(zip(pending, seen))))
            elif all(seen):
                pending = []
            gens = generations(db)
            published = os.path.basename(os.path.realpath(db))
            left_partial += any(g > published for g in gens)
            max_gens = max(max_gens, len(gens))
            max_disk = max(max_disk, du(db + ".gen"))
        disk_before = du(db + ".gen")
        gens_before = len(generations(db))
        index(db, corpus)  # one run that completes
        disk_after = du(db + ".gen")
        gens_after = len(generations(db))
        if pending and termfreq(db, pending[-1][0]) != pending[-1][1]:
            mixed += 1
        poller.finish()
        alive = server.proc.poll() is None

        print("kill-index: %d SIGKILLs (%d full, %d incremental), %d runs finished before "
              "their kill; uninterrupted run: full %.2f s, incremental %.2f s"
              % (kills, fulls, incs, completed, t_full, t_inc))
        print("kill-index: published index unreadable %d times, mixed %d, wrong record count %d"
              % (unreadable, mixed, wrong_count))
        print("kill-index: server polled %d requests, %d failed %s, alive %s"
              % (poller.requests, poller.failures, poller.examples, alive))
        print("kill-index: %d kills left an unpublished generation behind" % left_partial)
        print("kill-index: generations at most %d during the kills; before the last run %d "
              "(%.1f MB), after it %d (%.1f MB); steady state (published + previous) %.1f MB, "
              "max %.1f MB"
              % (max_gens, gens_before, disk_before / 1e6, gens_after, disk_after / 1e6,
                 disk_steady / 1e6, max_disk / 1e6))
        ok = (unreadable == 0 and mixed == 0 and wrong_count == 0 and poller.failures == 0
              and alive and gens_after <= 2 and kills >= a.kills)
        print("kill-index: %s" % ("ok" if ok else "FAILED"))
        return 0 if ok else 1
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

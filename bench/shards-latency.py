#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Measures search latency over real HTTP on several index layouts in one
paired run, so numbers from a shared, noisy machine compare as ratios.

usage: bench/shards-latency.py BINARY ROUNDS NAME=DB [NAME=DB ...]

Starts `BINARY serve --db DB --port 0 --threads 1` for each DB (an index
folder, a sharded one, or a stub file naming local or remote shards),
warms each up, then sends every query to every server in turn, ROUNDS
times (the order reversed every other round), one request at a time on a
kept-alive connection.  Prints the median per query and layout in
milliseconds, its ratio to the first layout, and the median of those
ratios.  Every answer must be a 200, and every layout must report the
same total for a query (a layout that answers differently is no
comparison).
"""
import http.client
import json
import re
import statistics
import subprocess
import sys
import time
import urllib.parse

binary, rounds = sys.argv[1], int(sys.argv[2])
layouts = [a.split("=", 1) for a in sys.argv[3:]]
if not layouts:
    sys.exit(__doc__)

q = urllib.parse.quote
QUERIES = {
    "one word": "/api/search?q=Arbeit",
    "three words": "/api/search?q=" + q("Datei speichern Ordner"),
    "phrase": "/api/search?q=" + q('"neue Datei"'),
    "question": "/api/search?q=" + q("Wie kann ich ein Bild drucken?"),
    "citation": "/api/search?q=" + q("§ 167 Abs. 2 SGB IX"),
    "typo": "/api/search?q=Einstelungen",
    "word + filter": "/api/search?q=Fenster&type=recht",
    "browse, newest first": "/api/search?sort=updated",
    "browse, 2 facets": "/api/search?type=recht&audience=sbv",
}


def start(db):
    # A long request timeout: a kept-alive connection waits idle while
    # the other layouts answer (and while one builds its link table).
    proc = subprocess.Popen([binary, "serve", "--db", db, "--port", "0", "--threads", "1",
                             "--request-timeout", "300"],
                            stderr=subprocess.PIPE, text=True)
    for _ in range(50):
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", proc.stderr.readline())
        if m:
            return proc, http.client.HTTPConnection("127.0.0.1", int(m.group(1)), timeout=60)
    proc.kill()
    sys.exit("server did not start on " + db)


def get(conn, path):
    """(seconds, body) of one request on the kept-alive `conn`.  A
    connection the server closed while it sat idle (its keep-alive ends)
    is opened again and the request repeated; only the answered attempt
    is timed."""
    for attempt in range(2):
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
        except (http.client.RemoteDisconnected, ConnectionError):
            conn.close()
            if attempt:
                raise
            continue
        if r.status != 200:
            sys.exit("%s -> %d" % (path, r.status))
        return time.perf_counter() - t0, body


def warm(proc_conn):
    """The first search of a front end builds its link table (one read of
    every link term; over remote shards one round trip each, half a
    minute at 100,000 records): allow it, reconnecting if the server's
    request timeout closed the connection meanwhile."""
    proc, conn = proc_conn
    for _ in range(5):
        try:
            get(conn, QUERIES["one word"])
            return
        except (http.client.RemoteDisconnected, ConnectionError, TimeoutError):
            conn.close()
    sys.exit("a front end did not answer its first search")


servers = [start(db) for _, db in layouts]
try:
    for sc in servers:
        warm(sc)
    for name, path in QUERIES.items():  # warm up, and the same answers
        totals = set()
        for _ in range(3):
            for _, conn in servers:
                totals.add(json.loads(get(conn, path)[1])["total"])
        if len(totals) != 1:
            sys.exit("%s: the layouts disagree on the total: %s" % (name, sorted(totals)))
    times = [{name: [] for name in QUERIES} for _ in servers]
    for r in range(rounds):
        order = list(range(len(servers)))
        if r % 2:
            order.reverse()
        for name, path in QUERIES.items():
            for i in order:
                times[i][name].append(get(servers[i][1], path)[0])
finally:
    for proc, _ in servers:
        proc.terminate()
        proc.wait()

print("%d rounds, paired, medians in milliseconds (x: ratio to %s)" % (rounds, layouts[0][0]))
print("%-22s" % "query" + "".join("%18s" % n for n, _ in layouts))
ratios = [[] for _ in layouts]
for name in QUERIES:
    base = statistics.median(times[0][name])
    cells = []
    for i in range(len(layouts)):
        med = statistics.median(times[i][name])
        ratios[i].append(med / base)
        cells.append("%9.2f (%4.2fx)" % (med * 1000, med / base))
    print("%-22s" % name + "".join("%18s" % c for c in cells))
print("%-22s" % "median ratio" + "".join("%18s" % ("%.2fx" % statistics.median(r)) for r in ratios))

#!/usr/bin/env python3
"""Measures search latency over real HTTP against a reference in the same
run (the /healthz endpoint: a request that does no search), so numbers
from a shared, noisy machine stay comparable as ratios.

usage: bench/search-latency.py BINARY DB [ROUNDS [BASELINE [BASELINE_DB]]]

Starts `BINARY serve --db DB --port 0`, warms up, then sends ROUNDS
(default 300) requests per endpoint, interleaved, one at a time on one
kept-alive connection, and prints the median and 90th percentile of each
and its ratio to the reference.

With BASELINE (another build's binary), serves the same index with both
and sends every request to each in turn (a paired run: on a shared
machine separate runs differ more than the programs do), then prints the
medians of both and the change.  With BASELINE_DB the baseline serves
that index instead (for builds whose index formats differ: each serves
an index of the same corpus that it built itself).
"""
import http.client
import os
import statistics
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

binary, db = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 300
baseline = sys.argv[4] if len(sys.argv) > 4 else None
baseline_db = sys.argv[5] if len(sys.argv) > 5 else db


def start(binary, db):
    return benchlib.start_server(binary, db)


servers = [start(binary, db)] + ([start(baseline, baseline_db)]
                                 if baseline else [])

q = urllib.parse.quote
endpoints = {
    "reference: /healthz": "/healthz",
    "API: one word (BEM)": "/api/search?q=BEM",
    "API: three words": "/api/search?q=" + q("Kündigung schwerbehindert Zustimmung"),
    "API: a question": "/api/search?q=" + q("Darf die Firma mir kündigen, obwohl ich schwerbehindert bin?"),
    "API: everyday words": "/api/search?q=" + q("Chef will mich nach langer Krankschreibung rauswerfen"),
    "API: compound + filter": "/api/search?q=Arbeitsplatzanpassung&type=anpassung",
    "API: citation": "/api/search?q=" + q("§ 167 Abs. 2 SGB IX"),
    "API: typo (corrected)": "/api/search?q=Eingliederungsmanagment",
    "API: browse, 2 facets": "/api/search?type=recht&audience=sbv",
    "HTML: results page": "/suche?q=" + q("Hörbehinderung Telefon"),
    "HTML: article page": "/artikel/kinderkrankengeld",
    "API: two keywords, filled": "/api/search?q=" + q("Ausgleichsabgabe 2026"),
}
conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=10)
         for _, port in servers]


def get(path, conn):
    t0 = time.perf_counter()
    conn.request("GET", path)
    r = conn.getresponse()
    r.read()
    if r.status != 200:
        raise SystemExit("%s -> %d" % (path, r.status))
    return time.perf_counter() - t0


for path in endpoints.values():  # warm-up: every worker opens the index
    for _ in range(20):
        for conn in conns:
            get(path, conn)
times = [{name: [] for name in endpoints} for _ in conns]
for r in range(rounds):
    for name, path in endpoints.items():
        order = range(len(conns)) if r % 2 == 0 else reversed(range(len(conns)))
        for i in order:
            times[i][name].append(get(path, conns[i]))
for proc, _ in servers:
    proc.terminate()
    proc.wait()

if baseline:
    print("%d rounds, paired, medians in milliseconds" % rounds)
    print("%-28s %8s %8s %8s" % ("endpoint", "baseline", "now", "change"))
    for name in endpoints:
        before = statistics.median(times[1][name])
        now = statistics.median(times[0][name])
        print("%-28s %8.3f %8.3f %+7.0f%%" % (name, before * 1000, now * 1000,
                                             (now / before - 1) * 100))
    sys.exit(0)
times = times[0]
ref = statistics.median(times["reference: /healthz"])
print("%d rounds, medians in milliseconds" % rounds)
print("%-28s %8s %8s %8s" % ("endpoint", "median", "p90", "x ref"))
for name, ts in times.items():
    ts.sort()
    med = statistics.median(ts)
    p90 = ts[int(len(ts) * 0.9)]
    print("%-28s %8.3f %8.3f %8.1f" % (name, med * 1000, p90 * 1000, med / ref))

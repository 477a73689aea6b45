# SPDX-License-Identifier: GPL-2.0-or-later
"""What the benchmark scripts share: reading the generated records,
naming their facet values as the API's filters do (bench/gen-queries.py,
bench/reference.py), and starting a server (bench/harness.py,
bench/search-latency.py)."""
import json
import os
import re
import subprocess
import sys
import time

# API filter name -> front-matter field (corpus/schema.yaml `facets`) of
# the facets a generated article fills.
FACETS = [("type", "type"), ("audience", "audience"),
          ("disability", "disabilities"), ("situation", "situation"),
          ("einschraenkung", "einschraenkungen"), ("norm", "norms")]


def records(corpus):
    """The paths of the corpus' records, in a fixed order."""
    out = []
    for d, subdirs, files in os.walk(corpus):
        subdirs.sort()
        out.extend(os.path.join(d, f) for f in sorted(files)
                   if f.endswith(".md") and f != "README.md")
    return out


def parse(path):
    """(front matter dict, body) of a record written by gen-docs-corpus.py:
    one `key: value` a line, values JSON strings, JSON lists or [a, b]."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    _, head, body = text.split("---\n", 2)
    fm = {}
    for line in head.splitlines():
        key, _, v = line.partition(": ")
        v = v.strip()
        if v.startswith('"') or v.startswith('["') or v == "[]":
            fm[key] = json.loads(v)
        elif v.startswith("["):
            fm[key] = [x.strip() for x in v[1:-1].split(",") if x.strip()]
        else:
            fm[key] = v
    return fm, body


def load_laws(corpus):
    """The laws of corpus/gesetze.yaml, longest first."""
    with open(os.path.join(corpus, "gesetze.yaml"), encoding="utf-8") as f:
        laws = [m.group(1) for m in re.finditer(r'^"([^"]+)":', f.read(), re.M)]
    return sorted(laws, key=len, reverse=True)


def law_of(citation, laws):
    """The law a citation names ("§ 167 Abs. 2 SGB IX" -> "SGB IX"): the
    norm facet's value."""
    for law in laws:
        if citation.endswith(" " + law):
            return law
    return citation.split()[-1]


def facet_values(fm, laws):
    """[(filter name, value)] of a record's facets."""
    out = []
    for name, field in FACETS:
        vals = fm.get(field) or []
        if isinstance(vals, str):
            vals = [vals]
        if name == "norm":
            vals = sorted({law_of(c, laws) for c in vals})
        out.extend((name, v) for v in vals)
    return out


def read_queries(path):
    """[(query, [(facet, value)])] of a query file (bench/gen-queries.py)."""
    out = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for line in lines:
        parts = line.rstrip("\n").split("\t")
        out.append((parts[0], [tuple(p.split("=", 1)) for p in parts[1:]]))
    return out


def process_memory(pid):
    """The resident memory of process `pid` now and at its peak, MiB
    (VmRSS and VmHWM of /proc/PID/status); None for each it does not
    tell."""
    mem = {"rss_mib": None, "peak_rss_mib": None}
    keys = {"VmRSS:": "rss_mib", "VmHWM:": "peak_rss_mib"}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                parts = line.split()
                if parts and parts[0] in keys and parts[-1] == "kB":
                    mem[keys[parts[0]]] = int(parts[1]) / 1024.0
    except OSError:
        pass
    return mem


def start_server(binary, db, *extra):
    """Starts `binary serve` on a free port; (process, port).  Exits when
    the server does not say where it listens."""
    proc = subprocess.Popen([binary, "serve", "--db", db, "--port", "0"]
                            + list(extra), stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    for _ in range(50):
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/",
                      proc.stderr.readline())
        if m:
            return proc, int(m.group(1))
    proc.kill()
    sys.exit("server did not start: " + binary)


def walk_served(binary, db, paths, conns, duration, during=None, after=None):
    """A fresh `binary serve` of `db` walked by wrk as the harness walks it
    (bench/wrk-walk.lua over the request paths in `paths`, `conns`
    connections, min(2, conns) threads, `duration` seconds), after 20
    requests that make every worker open the index.  `during(proc)` is
    called a second into the walk, `after(proc)` when it is over, before
    the server stops; their results are returned.  Returns (walk, during's,
    after's), walk a dict: rps, p50_ms, p90_ms, p99_ms, requests, wrapped,
    non2xx, errors."""
    proc, port = start_server(binary, db, "--max-connections-per-ip", "0")
    seen = late = None
    try:
        base = "http://127.0.0.1:%d" % port
        for _ in range(20):
            subprocess.run(["curl", "-s", "-o", "/dev/null",
                            base + "/api/search?q=Arbeit"], check=True)
        t = min(2, conns)
        here = os.path.dirname(os.path.abspath(__file__))
        wrk = subprocess.Popen(
            ["wrk", "-t%d" % t, "-c%d" % conns, "-d%ds" % duration,
             "--timeout", "10s", "-s", os.path.join(here, "wrk-walk.lua"),
             base, "--", paths, str(t)],
            stdout=subprocess.PIPE, text=True)
        try:
            if during:
                time.sleep(1)
                seen = during(proc)
            text = wrk.communicate()[0]
        finally:
            if wrk.poll() is None:
                wrk.kill()
                wrk.wait()
        if wrk.returncode != 0:
            sys.exit("wrk failed against " + binary)
        if after:
            late = after(proc)
    finally:
        proc.terminate()
        proc.wait()
        proc.stderr.close()
    walk = dict(kv.split("=") for line in text.splitlines()
                if line.startswith("WALK ") for kv in line.split()[1:])
    walk = {k: int(v) for k, v in walk.items()}
    out = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
           "p50_ms": walk["p50"] / 1000.0, "p90_ms": walk["p90"] / 1000.0,
           "p99_ms": walk["p99"] / 1000.0}
    for k in ("requests", "wrapped", "non2xx", "errors"):
        out[k] = walk[k]
    return out, seen, late

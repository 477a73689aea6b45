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

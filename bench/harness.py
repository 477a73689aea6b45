#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The benchmark at scale, side by side with plain Xapian (bench/run.sh
calls this after installing the packages and building; the figures and
how to read them: docs/benchmarks.md, "At REHADAT scale").

usage: harness.py --build DIR [--sizes 1000,10000] [--out DIR]
                  [--queries N] [--duration S] [--repeats R]
                  [--svg FILE] [--skip-served] [--keep] [--report-only]

For every size N: generate the corpus (bench/gen-docs-corpus.py) and a
stream of distinct queries (bench/gen-queries.py); lint the corpus;
index it with `teilhabe index --full` and with bench/reference.py,
interleaved, R times (once from 100,000 on): wall time, documents/s,
MB/s of input, peak RSS, index size; run every query in process
(bench/teilhabe-bench-search, reference.py search, interleaved, R
times): p50/p90/p99 and queries/s; serve the index and walk the queries
with wrk at 1, 8 and 64 connections (R rounds). Every figure is the
median of its R runs; results.json keeps each run.  Results go to
OUT/results.json (merged with the sizes measured before) and
OUT/results.md, the plot to --svg.
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import benchlib  # noqa: E402
import plot  # noqa: E402

WARMUP = 200  # first queries of the in-process runs, not counted
CONNECTIONS = (1, 8, 64)


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr,
          flush=True)


def timed(cmd, **kw):
    """Runs `cmd`; (wall seconds, CPU seconds (user + system), peak RSS
    in MiB).  The CPU time is the figure least moved by other jobs on a
    shared machine.  Fails loudly."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, **kw)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit("failed (%d): %s" % (p.returncode, " ".join(cmd)))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


def tree_bytes(*paths):
    total = 0
    for p in paths:
        if os.path.islink(p) or os.path.isfile(p):
            total += os.lstat(p).st_size
        elif os.path.isdir(p):
            for d, _, files in os.walk(p):
                total += sum(os.lstat(os.path.join(d, f)).st_size
                             for f in files)
    return total


def index_paths(db):
    """The index at `db` and its generation directories (db.genN)."""
    parent, base = os.path.split(db)
    return [db] + [os.path.join(parent, f) for f in os.listdir(parent)
                   if f.startswith(base + ".")]


def remove_index(db):
    for p in index_paths(db):
        if os.path.islink(p) or os.path.isfile(p):
            os.unlink(p)
        elif os.path.isdir(p):
            shutil.rmtree(p)


def percentiles(values):
    v = sorted(values)

    def at(q):
        return v[min(len(v) - 1, int(q * len(v)))]
    return {"p50": at(0.5), "p90": at(0.9), "p99": at(0.99)}


def corpus_for(n, out, keep):
    """Generates (or, with --keep and an unchanged generator, reuses) the
    corpus and the queries of size n."""
    d = os.path.join(out, "corpus-%d" % n)
    with open(os.path.join(HERE, "gen-docs-corpus.py"), "rb") as f:
        stamp = hashlib.sha1(f.read()).hexdigest()
    stamp_file = d + ".stamp"
    old = None
    if os.path.exists(stamp_file):
        with open(stamp_file) as f:
            old = f.read()
    if not (keep and os.path.isdir(d) and old == stamp):
        log("generating %d articles" % n)
        subprocess.run([sys.executable, os.path.join(HERE, "gen-docs-corpus.py"),
                        str(n), d], check=True)
        with open(stamp_file, "w") as f:
            f.write(stamp)
    return d


def input_bytes(corpus):
    return sum(os.path.getsize(p) for p in benchlib.records(corpus))


def lint(build, corpus):
    p = subprocess.run([os.path.join(build, "teilhabe"), "lint", corpus],
                       capture_output=True, text=True)
    last = (p.stdout + p.stderr).strip().splitlines()[-1:]
    return {"exit": p.returncode, "summary": last[0] if last else ""}


def bench_index(build, corpus, work, repeats):
    """Indexing, ours and the reference's, interleaved."""
    ours_db, ref_db = os.path.join(work, "index"), os.path.join(work, "ref")
    runs = {"teilhabe": [], "reference": []}
    for r in range(repeats):
        order = ["teilhabe", "reference"] if r % 2 == 0 else ["reference", "teilhabe"]
        for eng in order:
            if eng == "teilhabe":
                remove_index(ours_db)
                cmd = [os.path.join(build, "teilhabe"), "index", "--full",
                       "--quiet", "--db", ours_db, corpus]
                wall, cpu, rss = timed(cmd, stdout=subprocess.DEVNULL)
                size = tree_bytes(*index_paths(ours_db))
            else:
                shutil.rmtree(ref_db, ignore_errors=True)
                cmd = [sys.executable, os.path.join(HERE, "reference.py"),
                       "index", corpus, ref_db]
                wall, cpu, rss = timed(cmd, stderr=subprocess.DEVNULL)
                size = tree_bytes(ref_db)
            log("  index %s run %d: %.1f s (CPU %.1f s), %.0f MiB" % (
                eng, r + 1, wall, cpu, rss))
            runs[eng].append({"wall_s": wall, "cpu_s": cpu, "rss_mib": rss,
                              "bytes": size})
    return ours_db, ref_db, runs


def summarise_index(runs, ndocs, nbytes):
    wall = statistics.median(x["wall_s"] for x in runs)
    return {"runs": runs, "wall_s": wall, "docs_per_s": ndocs / wall,
            "cpu_s": statistics.median(x.get("cpu_s", 0) for x in runs),
            "mb_per_s": nbytes / 1e6 / wall,
            "peak_rss_mib": statistics.median(x["rss_mib"] for x in runs),
            "index_mib": runs[-1]["bytes"] / 2**20}


def latencies(cmd, tmp):
    """Per-query rows of a batch search, and the CPU seconds it took."""
    with open(tmp, "w") as out:
        _, cpu, _ = timed(cmd, stdout=out)
    with open(tmp) as f:
        rows = [line.split("\t") for line in f.read().splitlines()]
    return [(float(a), int(b), int(c)) for a, b, c in rows], cpu


def summarise_latency(result):
    rows, cpu = result
    rows = rows[WARMUP:]
    us = [r[0] for r in rows if r[0] >= 0]
    p = {k: v / 1000.0 for k, v in percentiles(us).items()}
    return {"queries": len(us), "qps": len(us) / (sum(us) / 1e6),
            "cpu_s_all": cpu,
            "p50_ms": p["p50"], "p90_ms": p["p90"], "p99_ms": p["p99"],
            "mean_ms": statistics.mean(us) / 1000.0,
            "zero_hits": sum(1 for r in rows if r[1] == 0)}


def write_paths(queries, path):
    with open(path, "w") as f:
        for q, filters in benchlib.read_queries(queries):
            f.write("/api/search?" + urllib.parse.urlencode(
                [("q", q)] + filters) + "\n")


# Counts of what went wrong: the most in any one run, not a median.
WORST_KEYS = ("non2xx", "errors", "wrapped", "zero_hits")


def median_of(runs):
    """One run's fields, each the median over `runs` (the lower middle
    one for an even number, so every figure is one a run measured) - a
    count of failures the most in any run - with every run kept under
    "runs"."""
    if len(runs) == 1:
        return runs[0]
    out = dict(runs[0])
    for k in runs[0]:
        vals = [r[k] for r in runs if isinstance(r.get(k), (int, float))]
        if len(vals) != len(runs) or isinstance(runs[0][k], bool):
            continue
        out[k] = max(vals) if k in WORST_KEYS else statistics.median_low(vals)
    out["runs"] = runs
    return out


def bench_served(build, db, paths, duration, repeats):
    """wrk at 1, 8 and 64 connections, a fresh server for each; `repeats`
    rounds, medians."""
    walks = {c: [] for c in CONNECTIONS}
    for r in range(repeats):
        for c in CONNECTIONS:
            # The server's memory after the walk: every worker has its
            # index handle, facet tables and reply buffer by then.
            walk, _, mem = benchlib.walk_served(
                os.path.join(build, "teilhabe"), db, paths, c, duration,
                after=lambda proc: benchlib.process_memory(proc.pid))
            walks[c].append(dict(walk, connections=c, threads=min(2, c),
                                 server_rss_mib=mem["rss_mib"],
                                 server_peak_rss_mib=mem["peak_rss_mib"]))
            log("  served c=%d run %d: %.0f req/s, p99 %.1f ms, %d non-2xx, "
                "server RSS %s MiB" % (c, r + 1, walk["rps"], walk["p99_ms"],
                                       walk["non2xx"],
                                       mib(mem["peak_rss_mib"])))
    return {str(c): median_of(runs) for c, runs in walks.items()}


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name") and not model:
                model = line.split(":", 1)[1].strip()
    xv = subprocess.run([sys.executable, "-c",
                         "import xapian; print(xapian.version_string())"],
                        capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "cpu": model,
            "kernel": platform.release(), "xapian": xv, "commit": commit,
            "date": datetime.datetime.now(datetime.timezone.utc)
            .strftime("%Y-%m-%d %H:%M UTC")}


def run_size(args, n):
    out = args.out
    corpus = corpus_for(n, out, args.keep)
    work = os.path.join(out, "work-%d" % n)
    os.makedirs(work, exist_ok=True)
    queries = os.path.join(work, "queries.tsv")
    subprocess.run([sys.executable, os.path.join(HERE, "gen-queries.py"),
                    corpus, str(args.queries), queries], check=True)
    ndocs, nbytes = len(benchlib.records(corpus)), input_bytes(corpus)
    res = {"docs": ndocs, "input_mb": nbytes / 1e6}
    res["lint"] = lint(args.build, corpus)
    log("%d: lint: %s" % (n, res["lint"]["summary"]))
    if res["lint"]["exit"] != 0:
        sys.exit("the generated corpus does not lint clean: teilhabe lint " + corpus)
    repeats = args.repeats if n < 100000 else 1
    ours_db, ref_db, runs = bench_index(args.build, corpus, work, repeats)
    res["index"] = {eng: summarise_index(r, ndocs, nbytes)
                    for eng, r in runs.items()}
    with open(os.path.join(out, "partial-%d.json" % n), "w") as f:
        json.dump(res, f, indent=1)  # a long run stopped later keeps these
    # The same query stream through each engine, interleaved, `repeats`
    # rounds; medians.
    batches = {"teilhabe": [], "reference": []}
    for r in range(repeats):
        order = ["teilhabe", "reference"] if r % 2 == 0 else ["reference", "teilhabe"]
        for eng in order:
            if eng == "teilhabe":
                cmd = [os.path.join(args.build, "bench", "teilhabe-bench-search"),
                       ours_db, queries]
                tsv = os.path.join(work, "lat-ours.tsv")
            else:
                cmd = [sys.executable, os.path.join(HERE, "reference.py"),
                       "search", ref_db, queries]
                tsv = os.path.join(work, "lat-ref.tsv")
            batches[eng].append(summarise_latency(latencies(cmd, tsv)))
    res["inprocess"] = {eng: median_of(b) for eng, b in batches.items()}
    log("  in-process p50 %.2f ms (reference %.2f ms)" % (
        res["inprocess"]["teilhabe"]["p50_ms"],
        res["inprocess"]["reference"]["p50_ms"]))
    if not args.skip_served:
        paths = os.path.join(work, "paths.txt")
        write_paths(queries, paths)
        res["served"] = bench_served(args.build, ours_db, paths, args.duration,
                                     repeats)
        res["served_duration"] = args.duration
    if not args.keep:
        shutil.rmtree(work)
    return res


def mib(v):
    return "%.0f" % v if v is not None else "-"


def ratio(a, b):
    return a / b if b else float("nan")


def markdown(results):
    m = results["machine"]
    lines = ["Machine: %d CPUs (%s), kernel %s, Xapian %s, commit %s, %s." % (
        m["cpus"], m["cpu"], m["kernel"], m["xapian"], m["commit"], m["date"]),
        "", "Indexing (`index --full`, medians; ratio = teilhabe / reference):",
        "", "| docs | input MB | engine | wall s | CPU s | docs/s | MB/s | peak RSS MiB | index MiB |",
        "|---|---|---|---|---|---|---|---|---|"]
    sizes = sorted(results["sizes"], key=int)
    for n in sizes:
        r = results["sizes"][n]
        ix = r["index"]
        for eng in ("reference", "teilhabe"):
            x = ix[eng]
            lines.append("| %s | %.1f | %s | %.1f | %s | %.0f | %.2f | %.0f | %.0f |" % (
                format(int(n), ","), r["input_mb"], eng, x["wall_s"],
                "%.1f" % x["cpu_s"] if x.get("cpu_s") else "-",
                x["docs_per_s"], x["mb_per_s"], x["peak_rss_mib"], x["index_mib"]))
        t, f = ix["teilhabe"], ix["reference"]
        lines.append("| | | **ratio** | %.2f× | %s | **%.2f×** | %.2f× | **%.2f×** | %.2f× |" % (
            ratio(t["wall_s"], f["wall_s"]),
            "%.2f×" % ratio(t["cpu_s"], f["cpu_s"]) if t.get("cpu_s") else "-",
            ratio(t["docs_per_s"], f["docs_per_s"]),
            ratio(t["mb_per_s"], f["mb_per_s"]),
            ratio(t["peak_rss_mib"], f["peak_rss_mib"]),
            ratio(t["index_mib"], f["index_mib"])))
    lines += ["", "Queries in process, one thread (distinct queries; the "
              "first %d of each stream not counted):" % WARMUP, "",
              "| docs | engine | queries | q/s | p50 ms | p90 ms | p99 ms | no hit | CPU s, whole batch |",
              "|---|---|---|---|---|---|---|---|---|"]
    for n in sizes:
        ip = results["sizes"][n]["inprocess"]
        for eng in ("reference", "teilhabe"):
            x = ip[eng]
            lines.append("| %s | %s | %s | %.0f | %.2f | %.2f | %.2f | %d | %s |" % (
                format(int(n), ","), eng, format(x["queries"], ","), x["qps"],
                x["p50_ms"], x["p90_ms"],
                x["p99_ms"], x["zero_hits"],
                "%.1f" % x["cpu_s_all"] if "cpu_s_all" in x else "-"))
        t, f = ip["teilhabe"], ip["reference"]
        lines.append("| | **ratio** | | **%.3f×** | %.1f× | %.1f× | %.1f× | | %s |" % (
            ratio(t["qps"], f["qps"]), ratio(t["p50_ms"], f["p50_ms"]),
            ratio(t["p90_ms"], f["p90_ms"]), ratio(t["p99_ms"], f["p99_ms"]),
            "%.1f×" % ratio(t["cpu_s_all"], f["cpu_s_all"])
            if "cpu_s_all" in t else "-"))
    if any("served" in results["sizes"][n] for n in sizes):
        lines += ["", "Served (`/api/search` over HTTP, wrk for the seconds "
                  "given, a fresh server per walk; medians of the rounds, "
                  "non-2xx and wrapped the most in one walk; ratio = "
                  "requests/s / the reference's in-process q/s):", "",
                  "| docs | connections | s | req/s | × reference | p50 ms | p90 ms | p99 ms | requests | non-2xx | wrapped | server peak RSS MiB |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for n in sizes:
            r = results["sizes"][n]
            for c, x in sorted(r.get("served", {}).items(), key=lambda kv: int(kv[0])):
                lines.append("| %s | %s | %d | %.0f | %.3f× | %.1f | %.1f | %.1f | %d | %d | %d | %s |" % (
                    format(int(n), ","), c,
                    r.get("served_duration", results["duration"]), x["rps"],
                    ratio(x["rps"], r["inprocess"]["reference"]["qps"]),
                    x["p50_ms"], x["p90_ms"], x["p99_ms"], x["requests"],
                    x["non2xx"], x["wrapped"],
                    mib(x.get("server_peak_rss_mib"))))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--out", default="/tmp/teilhabe-bench")
    ap.add_argument("--queries", type=int, default=20000)
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--svg", default=os.path.join(REPO, "docs", "bench-scale.svg"))
    ap.add_argument("--skip-served", action="store_true")
    ap.add_argument("--keep", action="store_true",
                    help="keep corpora and indexes (reuse unchanged corpora)")
    ap.add_argument("--report-only", action="store_true",
                    help="only write the tables and the plot of OUT/results.json")
    args = ap.parse_args()
    if args.queries < 10000 + WARMUP:
        sys.exit("harness.py: --queries must be at least %d" % (10000 + WARMUP))
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "results.json")
    results = {"sizes": {}}
    if os.path.exists(path):
        with open(path) as f:
            results = json.load(f)
    if args.report_only:
        plot.write(results, args.svg)
        print(markdown(results))
        return
    results.update({"machine": machine(), "queries": args.queries,
                    "duration": args.duration})
    for n in [int(s) for s in args.sizes.split(",")]:
        log("size %d" % n)
        results["sizes"][str(n)] = run_size(args, n)
        with open(path, "w") as f:
            json.dump(results, f, indent=1)
        with open(os.path.join(args.out, "results.md"), "w") as f:
            f.write(markdown(results))
        plot.write(results, args.svg)
    print(markdown(results))


if __name__ == "__main__":
    main()

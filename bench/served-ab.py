#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Served A/B: two or more teilhabe binaries serving the same index,
interleaved, a fresh server per run, walked by wrk as the harness walks
it (bench/wrk-walk.lua, the harness' paths file).

  bench/served-ab.py --db DB --paths PATHS [--rounds 3] [--connections 1,8]
                     [--duration 8] [--split] BIN [BIN...]

Prints one line per run: binary, connections, requests/s, p50/p90/p99
in ms.  With --split it also prints, a second into each walk, how many
sockets each epoll instance of the server watches (/proc/PID/fdinfo):
with libmicrohttpd's own thread pool every thread has one, so this
shows how the connections fell between the threads.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def epoll_split(pid):
    """Sockets watched by each epoll fd of `pid` (listening socket and
    wake-up descriptors included)."""
    out = []
    fddir = "/proc/%d/fd" % pid
    for fd in sorted(os.listdir(fddir), key=int):
        try:
            if os.readlink(os.path.join(fddir, fd)) != "anon_inode:[eventpoll]":
                continue
            with open("/proc/%d/fdinfo/%s" % (pid, fd)) as f:
                out.append(sum(1 for line in f if line.startswith("tfd:")))
        except OSError:
            continue
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--paths", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", default="1,8")
    ap.add_argument("--duration", type=int, default=8)
    ap.add_argument("--split", action="store_true")
    ap.add_argument("binaries", nargs="+")
    args = ap.parse_args()
    for r in range(args.rounds):
        for b in args.binaries:
            for c in [int(x) for x in args.connections.split(",")]:
                walk, seen, _ = benchlib.walk_served(
                    b, args.db, args.paths, c, args.duration,
                    during=(lambda proc: epoll_split(proc.pid))
                    if args.split else None)
                print("round %d %s c%d %.0f req/s p50 %.2f p90 %.2f p99 %.2f%s"
                      % (r + 1, b, c, walk["rps"], walk["p50_ms"],
                         walk["p90_ms"], walk["p99_ms"],
                         " epoll %s" % seen if seen is not None else ""),
                      flush=True)


if __name__ == "__main__":
    main()

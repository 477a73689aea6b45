#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Served A/B: two or more teilhabe binaries serving the same index,
interleaved, a fresh server per run, walked by wrk as the harness walks
it (bench/wrk-walk.lua, the harness' paths file).

  bench/served-ab.py --db DB --paths PATHS [--rounds 3] [--connections 1,8]
                     [--duration 8] [--split] BIN[=DB] [BIN[=DB]...]

BIN=DB serves DB with BIN instead of --db: for builds whose index
formats differ, each on the index it built.

Prints one line per run: binary, connections, requests/s, p50/p90/p99
in ms, and the server's user and system CPU per request in ms (from
/proc/PID/stat, from a second into the walk to its end).  With --split
it also prints, a second into each walk, how many sockets each epoll
instance of the server watches (/proc/PID/fdinfo):
with libmicrohttpd's own thread pool every thread has one, so this
shows how the connections fell between the threads.
"""
import argparse
import os
import sys
import time

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


def cpu_seconds(pid):
    """(user, system) CPU seconds of process `pid` so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def sample(pid, split):
    """Now, the CPU of `pid`, and with `split` its epoll split."""
    return time.time(), cpu_seconds(pid), epoll_split(pid) if split else None


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
        for spec in args.binaries:
            b, _, db = spec.partition("=")
            for c in [int(x) for x in args.connections.split(",")]:
                walk, first, last = benchlib.walk_served(
                    b, db or args.db, args.paths, c, args.duration,
                    during=lambda proc: sample(proc.pid, args.split),
                    after=lambda proc: sample(proc.pid, False))
                # wrk's walk ends `duration` s after it began, a second
                # before the first sample; the server idles after it
                served = walk["rps"] * min(last[0] - first[0],
                                           args.duration - 1)
                user = (last[1][0] - first[1][0]) * 1000 / served
                system = (last[1][1] - first[1][1]) * 1000 / served
                print("round %d %s c%d %.0f req/s p50 %.2f p90 %.2f p99 %.2f"
                      " cpu/req user %.3f system %.3f ms%s"
                      % (r + 1, b, c, walk["rps"], walk["p50_ms"],
                         walk["p90_ms"], walk["p99_ms"], user, system,
                         " epoll %s" % first[2] if args.split else ""),
                      flush=True)


if __name__ == "__main__":
    main()

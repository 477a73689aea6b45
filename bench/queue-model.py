#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A model, not a measurement: the latencies eight closed-loop clients
(wrk -c8) would see from two servers, with service times drawn from a
measured in-process latency file (teilhabe-bench-search's output, first
column in microseconds; the first 200 lines are skipped as the harness
does), for three ways of sharing the work: two queues of 4 and 4
connections, of 5 and 3 (connections stuck to a thread, as with
libmicrohttpd's thread pool), and one queue both servers take from.

  bench/queue-model.py LATENCIES.tsv [SCALE...]

SCALE multiplies every service time (1.0 if none given), to ask what a
cheaper search would give.  Prints p50/p90/p99 in ms for each case.
"""
import heapq
import random
import sys

THINK_MS = 0.02  # the client's own time between an answer and the next request
SAMPLES = 200000


def split_queues(times, split):
    """Each server has its own clients."""
    lat = []
    for clients in split:
        free_at = 0.0
        ready = [(0.0, c) for c in range(clients)]
        heapq.heapify(ready)
        for _ in range(SAMPLES * clients // 8):
            at, c = heapq.heappop(ready)
            done = max(at, free_at) + random.choice(times)
            free_at = done
            lat.append(done - at)
            heapq.heappush(ready, (done + THINK_MS, c))
    return lat


def shared_queue(times, clients=8, servers=2):
    """Requests in arrival order, each to the server free first."""
    lat = []
    free_at = [0.0] * servers
    ready = [(0.0, c) for c in range(clients)]
    heapq.heapify(ready)
    for _ in range(SAMPLES):
        at, c = heapq.heappop(ready)
        s = min(range(servers), key=lambda i: free_at[i])
        done = max(at, free_at[s]) + random.choice(times)
        free_at[s] = done
        lat.append(done - at)
        heapq.heappush(ready, (done + THINK_MS, c))
    return lat


def pct(lat):
    lat = sorted(lat)
    n = len(lat)
    return lat[n // 2], lat[int(n * 0.9)], lat[int(n * 0.99)]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        base = [float(line.split("\t")[0]) / 1000.0
                for i, line in enumerate(f) if i >= 200 and line.strip()]
    for scale in [float(x) for x in sys.argv[2:]] or [1.0]:
        random.seed(1)
        times = [t * scale for t in base]
        print("service times x%.2f (mean %.3f ms)"
              % (scale, sum(times) / len(times)))
        for name, lat in (("two queues 4+4", split_queues(times, (4, 4))),
                          ("two queues 5+3", split_queues(times, (5, 3))),
                          ("one queue", shared_queue(times))):
            print("  %-16s p50 %.2f  p90 %.2f  p99 %.2f ms" % ((name,) + pct(lat)))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The long version of tests/e2e/e2e_hostile.py, against the real corpus:
too slow for every `meson test`, run by hand before a release.

1. Slow clients: 1,100 connections from 6 addresses send their request a
   byte every 2 s and reconnect as soon as they are closed (the attack
   that once filled the server); meanwhile normal clients from another
   address search (and, for comparison, 10 s before the attack).  Passes
   when every normal answer comes in under 100 ms and no trickling
   connection outlives the request deadline by more than a second.
2. Load: wrk with 256 connections for 20 s each on /healthz, the results
   page and the search API (`serve --max-connections-per-ip 0`, as
   behind a proxy; wrk's timeout raised to 30 s, as 256 clients queue
   for searches).  Passes with no non-2xx answer and no socket error.
3. The malformed-request corpus of e2e_hostile.py, ten times over.

usage (from the source root, after `ninja -C build`; needs wrk):
    nice python3 tests/stress/hostile.py build/teilhabe .
Prints the figures; exits 1 if a pass condition fails.
"""
import os
import re
import resource
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import e2e  # noqa: E402
import e2e_hostile as hostile  # noqa: E402

TRICKLERS = 1100
SOURCES = ["127.0.0.%d" % i for i in range(2, 8)]
ATTACK_SECONDS = 30
REQUEST_TIMEOUT = 10  # the server's default


class Attack:
    """TRICKLERS connections that send a byte each every 2 s and
    reconnect once closed; a closing is seen within 50 ms (poll)."""

    def __init__(self, port):
        self.port, self.stop = port, threading.Event()
        self.conns = {}  # fd -> [socket, source, opened, bytes sent]
        self.idle = [SOURCES[i % len(SOURCES)] for i in range(TRICKLERS)]  # to (re)connect
        self.lives, self.refused, self.open_samples = [], 0, []
        self.poll = select.poll()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def connect_idle(self):
        idle, self.idle = self.idle, []
        for src in idle:
            try:
                s = hostile.connect(self.port, src)
            except OSError:
                self.refused += 1
                self.idle.append(src)
                continue
            s.setblocking(False)
            self.conns[s.fileno()] = [s, src, time.monotonic(), 0]
            self.poll.register(s.fileno(), select.POLLIN)

    def drop(self, fd):
        c = self.conns.pop(fd)
        self.poll.unregister(fd)
        if c[3] > 1:  # it was held for a while, not refused at once
            self.lives.append(time.monotonic() - c[2])
        else:
            self.refused += 1
        c[0].close()
        self.idle.append(c[1])

    def send_round(self):
        for fd, c in list(self.conns.items()):
            try:
                c[0].send(hostile.Trickler.REQUEST[c[3]:c[3] + 1])
                c[3] += 1
            except BlockingIOError:
                pass
            except OSError:
                self.drop(fd)
        self.open_samples.append(sum(1 for c in self.conns.values() if c[3] > 1))

    def run(self):
        next_round = 0.0
        while not self.stop.is_set():
            if time.monotonic() >= next_round:
                self.connect_idle()
                self.send_round()
                next_round = time.monotonic() + 2.0
            for fd, _ in self.poll.poll(50):
                try:
                    if self.conns[fd][0].recv(4096) == b"":
                        self.drop(fd)
                except BlockingIOError:
                    pass
                except OSError:
                    self.drop(fd)

    def close(self):
        self.stop.set()
        self.thread.join()
        for c in self.conns.values():
            c[0].close()


def summary(lat):
    lat = sorted(lat)
    return "median %.1f ms, p99 %.1f ms, max %.1f ms" % (
        statistics.median(lat) * 1000, lat[int(len(lat) * 0.99)] * 1000, lat[-1] * 1000)


def normal_traffic(port, seconds):
    """Latencies of searches and results pages, one after another."""
    lat, t_end = [], time.monotonic() + seconds
    while time.monotonic() < t_end:
        lat.extend(hostile.latencies(port, 10))
        lat.extend(hostile.latencies(port, 5, b"/suche?q=Arbeitsplatz+anpassen"))
        time.sleep(0.1)
    return lat


def slow_clients(db, failures):
    server = e2e.Server(db)
    port = hostile.port_of(server)
    try:
        hostile.latencies(port, 10)  # warm
        calm = normal_traffic(port, 10)
        attack = Attack(port)
        time.sleep(6)
        lat = normal_traffic(port, ATTACK_SECONDS)
        attack.close()
        print("slow clients: %d trickling connections wanted from %d addresses; the server "
              "held up to %d at a time, refused the rest (%d refusals by the per-address limit)"
              % (TRICKLERS, len(SOURCES), max(attack.open_samples), attack.refused))
        print("  normal requests from another address: without them %d, %s; with them %d, %s"
              % (len(calm), summary(calm), len(lat), summary(lat)))
        if attack.lives:
            print("  trickling connections closed after %.2f to %.2f s (request timeout %d s)"
                  % (min(attack.lives), max(attack.lives), REQUEST_TIMEOUT))
        if max(lat) >= 0.1:
            failures.append("a normal request took %.0f ms" % (max(lat) * 1000))
        if not attack.lives or max(attack.lives) > REQUEST_TIMEOUT + 1:
            failures.append("trickling connections were not closed at the deadline")
    finally:
        server.stop()


def wrk(db, failures):
    if shutil.which("wrk") is None:
        failures.append("wrk is not installed (apt-get install wrk)")
        return
    server = e2e.Server(db, "--max-connections-per-ip", "0")
    try:
        for path in ("/healthz", "/suche?q=Arbeitsplatz", "/api/search?q=Arbeitsassistenz"):
            # --timeout: 256 clients that each ask again at once wait
            # 256 / (answers per second) on average - over wrk's default
            # 2 s for a search on a small, busy machine.  This counts
            # errors; the figures printed show the capacity.
            cmd = ["wrk", "-t2", "-c256", "-d20s", "--timeout", "30s", "--latency",
                   server.base + path]
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
            reqs = re.search(r"(\d+) requests in", out)
            rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
            lat = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", out)
            p99 = re.search(r"99%\s+(\S+)", out)
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            sock = re.search(r"Socket errors: (.*)", out)
            print("wrk -t2 -c256 -d20s --timeout 30s %s: %s requests, %s/s, latency avg %s max %s p99 %s, "
                  "non-2xx %s, socket errors: %s" % (
                      path, reqs and reqs.group(1), rate and rate.group(1),
                      lat and lat.group(1), lat and lat.group(3), p99 and p99.group(1),
                      non2xx.group(1) if non2xx else 0, sock.group(1) if sock else "none"))
            if non2xx or sock or not reqs:
                failures.append("wrk %s:\n%s" % (path, out))
    finally:
        server.stop()


def corpus(db, failures):
    # As in e2e_hostile.py: a request line that starts with NUL is an
    # empty line to libmicrohttpd, which then waits for the request; the
    # request deadline ends that wait, so keep it shorter than a hang.
    server = e2e.Server(db, "--request-timeout", "2")
    port = hostile.port_of(server)
    try:
        statuses, hangs, fives = {}, 0, 0
        requests = hostile.hostile_corpus() * 10
        for _, data, _ in requests:
            a = hostile.exchange(port, data)
            key = a.status if a.status is not None else a.outcome
            statuses[key] = statuses.get(key, 0) + 1
            hangs += a.outcome == "hang"
            fives += a.status is not None and a.status >= 500 and a.status != 505
        print("malformed corpus x10: %d requests: %s" % (
            len(requests), ", ".join("%s: %d" % kv for kv in
                                     sorted(statuses.items(), key=lambda kv: str(kv[0])))))
        if hangs or fives:
            failures.append("%d hangs, %d 5xx" % (hangs, fives))
        if server.get("/healthz")[0] != 200 or server.proc.poll() is not None:
            failures.append("the server did not survive the corpus")
    finally:
        server.stop()


def main():
    e2e.BIN, e2e.ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    tmp = tempfile.mkdtemp(prefix="teilhabe-stress-")
    failures = []
    try:
        db = os.path.join(tmp, "index")
        e2e.run("index", "--db", db, "--quiet", os.path.join(e2e.ROOT, "corpus"))
        slow_clients(db, failures)
        wrk(db, failures)
        corpus(db, failures)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAILED:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

# SPDX-License-Identifier: GPL-2.0-or-later
"""The plot of bench/harness.py: indexing speed, query latency and query
throughput against corpus size, teilhabe and the Xapian reference, as a
hand-written SVG (no plotting library needed); log-log axes."""
import math
from xml.sax.saxutils import escape

W, H = 1010, 380
PANEL_W, PANEL_H = 250, 230
LEFT, TOP, GAP = 70, 50, 70
SERIES = [
    # (label, colour, dash)
    ("Xapian reference (Python, in process)", "#1f5fa8", ""),
    ("teilhabe in process", "#c0392b", ""),
    ("teilhabe served over HTTP, 8 connections", "#1e8449", "6,4"),
]


def _series(results):
    """{panel: [(series index, style, [(size, value)])]}"""
    sizes = sorted(results["sizes"], key=int)
    pts = {"index": [[], []], "p50": [[], [], []], "p99": [[], [], []],
           "qps": [[], [], []]}
    for n in sizes:
        r = results["sizes"][n]
        x = int(n)
        pts["index"][0].append((x, r["index"]["reference"]["docs_per_s"]))
        pts["index"][1].append((x, r["index"]["teilhabe"]["docs_per_s"]))
        for i, eng in enumerate(("reference", "teilhabe")):
            ip = r["inprocess"][eng]
            pts["p50"][i].append((x, ip["p50_ms"]))
            pts["p99"][i].append((x, ip["p99_ms"]))
            pts["qps"][i].append((x, ip["qps"]))
        sv = r.get("served", {}).get("8")
        if sv:
            pts["p50"][2].append((x, sv["p50_ms"]))
            pts["p99"][2].append((x, sv["p99_ms"]))
            pts["qps"][2].append((x, sv["rps"]))
    return pts


def _log_range(values):
    lo, hi = min(values), max(values)
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if a == b:
        b += 1
    return a, b


class Panel:
    def __init__(self, out, x0, title, ylabel, xs, ys):
        self.out, self.x0 = out, x0
        self.xa, self.xb = _log_range(xs)
        self.ya, self.yb = _log_range(ys)
        o = out
        o.append('<text x="%d" y="%d" class="t">%s</text>' % (
            x0 + PANEL_W / 2, TOP - 18, escape(title)))
        o.append('<rect x="%d" y="%d" width="%d" height="%d" class="f"/>' % (
            x0, TOP, PANEL_W, PANEL_H))
        for e in range(self.ya, self.yb + 1):
            y = self.y(10 ** e)
            o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="g"/>' % (
                x0, y, x0 + PANEL_W, y))
            o.append('<text x="%d" y="%.1f" class="yl">%s</text>' % (
                x0 - 6, y + 4, _num(10 ** e)))
        for e in range(self.xa, self.xb + 1):
            x = self.x(10 ** e)
            o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" class="g"/>' % (
                x, TOP, x, TOP + PANEL_H))
            o.append('<text x="%.1f" y="%d" class="xl">%s</text>' % (
                x, TOP + PANEL_H + 16, _num(10 ** e)))
        o.append('<text x="%d" y="%d" class="xl">articles in the corpus</text>' % (
            x0 + PANEL_W / 2, TOP + PANEL_H + 34))
        o.append('<text transform="translate(%d,%d) rotate(-90)" class="xl">%s</text>' % (
            x0 - 48, TOP + PANEL_H / 2, escape(ylabel)))

    def x(self, v):
        return self.x0 + (math.log10(v) - self.xa) / (self.xb - self.xa) * PANEL_W

    def y(self, v):
        return TOP + PANEL_H - (math.log10(v) - self.ya) / (self.yb - self.ya) * PANEL_H

    def line(self, pts, colour, dash, marker="circle"):
        if not pts:
            return
        d = " ".join("%.1f,%.1f" % (self.x(a), self.y(b)) for a, b in pts)
        dash_attr = ' stroke-dasharray="%s"' % dash if dash else ""
        self.out.append('<polyline points="%s" fill="none" stroke="%s" '
                        'stroke-width="2"%s/>' % (d, colour, dash_attr))
        for a, b in pts:
            if marker == "circle":
                self.out.append('<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>' % (
                    self.x(a), self.y(b), colour))
            else:
                self.out.append('<rect x="%.1f" y="%.1f" width="7" height="7" '
                                'fill="white" stroke="%s" stroke-width="1.5"/>' % (
                                    self.x(a) - 3.5, self.y(b) - 3.5, colour))


def _num(v):
    return format(int(round(v)), ",") if v >= 1000 else "%g" % v


def write(results, path):
    pts = _series(results)
    xs = [int(n) for n in results["sizes"]]
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'viewBox="0 0 %d %d" role="img" aria-labelledby="title desc">' % (W, H, W, H),
           '<title id="title">teilhabe and the Xapian reference by corpus size</title>',
           '<desc id="desc">Three charts on log-log axes against the number of '
           'articles in the corpus: indexing in articles per second, search '
           'latency (median and 99th percentile) in milliseconds, and searches '
           'per second. The figures are tabled in docs/benchmarks.md.</desc>',
           '<style>text{font-family:sans-serif;font-size:12px;fill:#222}'
           '.t{font-weight:bold;text-anchor:middle}.xl{text-anchor:middle}'
           '.yl{text-anchor:end}.f{fill:none;stroke:#444}'
           '.g{stroke:#ddd;stroke-width:1}</style>',
           '<rect width="100%" height="100%" fill="white"/>']
    x0 = LEFT
    p = Panel(out, x0, "Indexing", "articles/s", xs,
              [b for s in pts["index"] for _, b in s])
    for i, s in enumerate(pts["index"]):
        p.line(s, SERIES[i][1], SERIES[i][2])
    x0 += PANEL_W + GAP
    p = Panel(out, x0, "Latency (● median, □ p99)", "ms", xs,
              [b for k in ("p50", "p99") for s in pts[k] for _, b in s])
    for i in range(3):
        p.line(pts["p50"][i], SERIES[i][1], SERIES[i][2])
        p.line(pts["p99"][i], SERIES[i][1], "2,3", marker="square")
    x0 += PANEL_W + GAP
    p = Panel(out, x0, "Search throughput", "queries/s", xs,
              [b for s in pts["qps"] for _, b in s])
    for i in range(3):
        p.line(pts["qps"][i], SERIES[i][1], SERIES[i][2])
    ly = TOP + PANEL_H + 58
    lx = LEFT
    for label, colour, dash in SERIES:
        dash_attr = ' stroke-dasharray="%s"' % dash if dash else ""
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" '
                   'stroke-width="2"%s/>' % (lx, ly, lx + 28, ly, colour, dash_attr))
        out.append('<text x="%d" y="%d">%s</text>' % (lx + 34, ly + 4, escape(label)))
        lx += 310
    m = results["machine"]
    out.append('<text x="%d" y="%d" style="font-size:11px;fill:#555">%s</text>' % (
        LEFT, H - 8, escape("%d CPUs (%s), shared; %s; commit %s" % (
            m["cpus"], m["cpu"], m["date"], m["commit"]))))
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")

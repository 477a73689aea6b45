#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tools/check-structure.py SOURCE_ROOT - two shapes the code keeps:

1. No include circle: the graph of #include "..." between the project's
   own files (include/, src/, web/, indexer/) has no cycle, so every layer
   depends one way.
2. No function in web/ is longer than 100 lines (signature to closing
   brace): each page's markup stays readable in one place.

Prints what is wrong and exits 1; silent with 0 when all holds.
"""
import os
import re
import sys

MAX_LINES = 100
DIRS = ("include", "src", "src/cli", "src/xapian", "web", "indexer")


def project_files(root):
    files = {}
    for d in DIRS:
        full = os.path.join(root, d)
        if not os.path.isdir(full):
            continue
        for name in os.listdir(full):
            if name.endswith((".c", ".h", ".cc")):
                files[os.path.join(d, name)] = os.path.join(full, name)
    return files


def resolve(inc, here, files):
    """The project file an #include "inc" in file `here` names, or None."""
    cands = [os.path.normpath(os.path.join(os.path.dirname(here), inc)),
             os.path.normpath(os.path.join("include", inc))]
    for c in cands:
        if c in files:
            return c
    return None


def include_cycles(root):
    files = project_files(root)
    graph = {}
    for rel, path in files.items():
        with open(path, encoding="utf-8") as f:
            incs = re.findall(r'^#include "([^"]+)"', f.read(), re.M)
        graph[rel] = [r for r in (resolve(i, rel, files) for i in incs) if r]
    cycles, state, stack = [], {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in graph.get(n, []):
            if state.get(m) == 1:
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)
    return cycles


def long_functions(root):
    out = []
    web = os.path.join(root, "web")
    for name in sorted(os.listdir(web)):
        if not name.endswith(".c"):
            continue
        with open(os.path.join(web, name), encoding="utf-8") as f:
            lines = f.read().split("\n")
        depth, start = 0, None
        for i, line in enumerate(lines):
            opens_function = (depth == 0 and line.endswith("{") and "=" not in line
                              and not re.match(r"(typedef|struct|enum|union|static const)\b", line))
            if opens_function:
                start = i
                while start > 0 and lines[start - 1] and not lines[start - 1].startswith(("}", "/*", " *", "#")):
                    start -= 1
            depth += line.count("{") - line.count("}")
            if depth == 0 and start is not None and line.startswith("}"):
                if i - start + 1 > MAX_LINES:
                    out.append("web/%s:%d: function of %d lines (at most %d)"
                               % (name, start + 1, i - start + 1, MAX_LINES))
                start = None
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    problems = ["include circle: " + " -> ".join(c) for c in include_cycles(root)]
    problems += long_functions(root)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

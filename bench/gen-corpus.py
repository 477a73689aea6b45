#!/usr/bin/env python3
"""Makes a synthetic corpus of N articles from the real one, for benchmarks.

usage: gen-corpus.py SOURCE_CORPUS N OUT_DIR

Article k is a copy of real article k % M with the id "<id>-<k // M>" and
its related ids rewritten into the same copy, so the corpus lints clean and
has the real corpus' vocabulary, length and link structure.
"""
import os
import re
import shutil
import sys

src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
arts = []
for root, _, files in os.walk(src):
    for f in sorted(files):
        if f.endswith(".md") and f != "README.md":
            arts.append(open(os.path.join(root, f), encoding="utf-8").read())
arts.sort()
if os.path.exists(out):
    shutil.rmtree(out)
os.makedirs(out)
for name in ("vocab.yaml", "synonyms.yaml", "citations.yaml"):
    if os.path.exists(os.path.join(src, name)):
        shutil.copy(os.path.join(src, name), out)
ids = [re.search(r"^id: (\S+)$", a, re.M).group(1) for a in arts]
id_re = re.compile(r"\b(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r")\b")
index = {id_: j for j, id_ in enumerate(ids)}
M = len(arts)


def target(id_, copy):
    """The id in this copy; copy 0 when the last, partial copy lacks it."""
    return "%s-%d" % (id_, copy if copy * M + index[id_] < n else 0)


for k in range(n):
    a, copy = arts[k % M], k // M
    head, body = a.split("\n---\n", 1)
    head = id_re.sub(lambda m: target(m.group(1), copy), head)
    body = re.sub(r"\(/artikel/([a-z0-9-]+)\)",
                  lambda m: "(/artikel/%s)" % target(m.group(1), copy), body)
    sub = os.path.join(out, "%03d" % (k // 100))
    os.makedirs(sub, exist_ok=True)
    new_id = "%s-%d" % (ids[k % M], copy)
    with open(os.path.join(sub, new_id + ".md"), "w", encoding="utf-8") as f:
        f.write(head + "\n---\n" + body)

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Makes a corpus of N articles in teilhabe's record format from the real
German prose of Debian's German documentation, for benchmarks at the
scale of a large knowledge base (docs/benchmarks.md, "At REHADAT scale").

usage: gen-docs-corpus.py [--root /] [--repo DIR] [--min-sources K]
                         [--per-package K] SIZE OUT_DIR

Reads whichever of these packages are installed (bench/run.sh installs
them): manpages-de (roff, stripped here), gimp-help-de,
libreoffice-help-de and debian-edu-doc-de (HTML, read with html.parser).
Keeps paragraphs that read as German prose (long enough, mostly letters,
German function words), drops repeated ones, and cuts the documents into
articles of about 5 KB: the title from the document's title or heading,
the summary from its first sentences, topics from its most frequent
long nouns, every facet field of an article (type, audience,
disabilities, norms, situation, einschraenkungen) drawn from
corpus/vocab.yaml and the citations of the real corpus with a fixed
seed, `related` ids and a "Siehe auch" list linking earlier articles.
When the prose runs out (more articles than it fills), further articles
recombine the paragraphs of two earlier ones: the text stays real German,
but repeats.

Deterministic: the same installed packages give the same bytes, and
article k does not depend on SIZE, so a 1,000-article corpus is the
first 1,000 articles of a 10,000-article one.  The corpus' configuration
(schema, vocabularies, synonyms, citations, compounds, regeln/, ...) is
copied from the repository's corpus/, so the generated corpus indexes
with the complete German analysis and lints clean.

Exit status 2 (and a message) when fewer than --min-sources packages (1)
are installed.
"""
import argparse
import collections
import gzip
import hashlib
import html.parser
import json
import os
import random
import re
import shutil
import sys
import unicodedata

SEED = "teilhabe-bench-1"
ARTICLE_BYTES = 5000  # body prose aimed at per article
PARA_MIN_WORDS = 12
PARA_MAX_BYTES = 2500

# Facet fields of an article (corpus/schema.yaml, kind artikel) and the
# vocab.yaml section of each; `praxis` needs an invented-case note and
# checked first names, which borrowed prose cannot give, so it is left out.
ENUM_FIELDS = [("type", "type", 1, 1), ("audience", "audience", 1, 3),
               ("disabilities", "disability", 1, 3),
               ("situation", "situation", 1, 2),
               ("einschraenkungen", "einschraenkung", 1, 3)]
SKIP_VALUES = {("type", "praxis")}

GERMAN = set("""der die das und ist nicht mit von zu den im ein eine einer
einen für auf wird werden sie es sich oder wenn kann können sind auch als
bei dem des aus wie nur noch diese dieser dieses wird wurde haben hat
über nach dann sowie werden zum zur vom so dass daß""".split())


# ---- reading the sources ------------------------------------------------

ROFF_CHARS = {"em": "—", "en": "–", "aq": "'", "dq": '"', "lq": "„",
              "rq": "“", "Fo": "«", "Fc": "»", "fo": "‹", "fc": "›",
              "bu": "•", "co": "©", "rg": "®", "mu": "×", "->": "→",
              "<-": "←", "hy": "-", "ti": "~", "ha": "^", "oq": "‚",
              "cq": "’", "a:": "ä", "o:": "ö", "u:": "ü", "A:": "Ä",
              "O:": "Ö", "U:": "Ü", "ss": "ß", "de": "°", "pl": "+",
              "eq": "=", "sl": "/", "rs": "\\", "ba": "|", "at": "@",
              "sh": "#", "Do": "$", "ga": "`", "aa": "´"}
ROFF_ESC = re.compile(r"\\(?:f(?:\[[^\]]*\]|\(..|.)|\((..)|\[([^\]]*)\]|"
                      r"\*(?:\[[^\]]*\]|\(..|.)|s[-+]?\d+|[-e&~0|^%c:/,!]|"
                      r"[nk](?:\[[^\]]*\]|\(..|.)|.)")


def roff_unescape(s):
    def sub(m):
        t = m.group(0)
        if m.group(1) or m.group(2):
            return ROFF_CHARS.get(m.group(1) or m.group(2), "")
        if t in ("\\-", "\\e"):
            return "-" if t == "\\-" else "\\"
        if t in ("\\~", "\\0"):
            return " "
        return ""
    return ROFF_ESC.sub(sub, s)


def roff_args(line):
    """The text arguments of a font macro (.B, .IR, ...), quotes removed."""
    parts = re.findall(r'"((?:[^"]|"")*)"|(\S+)', line)
    return " ".join(a.replace('""', '"') if a else b for a, b in parts)


def read_man(path):
    """Blocks ('h' or 'p', text) of a man page; [] for a .so link."""
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    blocks, para, skip, section = [], [], None, ""

    def flush():
        if para:
            blocks.append(("p", " ".join(para)))
            para.clear()
    for line in lines:
        if skip:
            if line.startswith(skip):
                skip = None
            continue
        if line.startswith((".", "'")):
            req = line[1:].strip().split(None, 1)
            name = req[0] if req else ""
            rest = req[1] if len(req) > 1 else ""
            if name == "so":
                return []
            if name in ("nf", "EX", "TS", "EQ", "PS", "de", "ig"):
                flush()
                skip = {"nf": ".fi", "EX": ".EE", "TS": ".TE", "EQ": ".EN",
                        "PS": ".PE", "de": "..", "ig": ".."}[name]
            elif name in ("SH", "SS"):
                flush()
                section = roff_unescape(roff_args(rest)).strip()
                blocks.append(("h", section))
            elif name in ("B", "I", "BR", "IR", "RB", "RI", "BI", "IB",
                          "SM", "SB", "UR", "MT"):
                para.append(roff_unescape(roff_args(rest)))
            elif name in ("PP", "P", "LP", "TP", "IP", "HP", "sp", "br",
                          "RS", "RE", "TQ", "in", "ti", "bp"):
                flush()
                if name == "IP" and rest:
                    pass  # the tag of an indented paragraph: not prose
            continue
        if line.startswith('.\\"') or line.startswith('\\"'):
            continue
        text = roff_unescape(line).strip()
        if text:
            para.append(text)
    flush()
    return blocks


class HtmlBlocks(html.parser.HTMLParser):
    """Collects headings and paragraphs (<p>, <li>, <dd>) of a help page,
    skipping navigation, scripts, tables and code."""
    SKIP = {"script", "style", "nav", "header", "footer", "table", "pre",
            "code", "aside", "button", "noscript"}
    BLOCK = {"p": "p", "li": "p", "dd": "p", "h1": "h", "h2": "h", "h3": "h",
             "h4": "h", "title": "t"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.title = [], ""
        self.skip, self.cur, self.kind, self.depth = 0, [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK and not self.skip:
            self.end_block()
            self.kind = self.BLOCK[tag]
        elif tag == "br":
            self.cur.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK and not self.skip:
            self.end_block()

    def handle_data(self, data):
        if self.kind and not self.skip:
            self.cur.append(data)

    def end_block(self):
        text = " ".join("".join(self.cur).split())
        if self.kind == "t":
            self.title = self.title or text
        elif self.kind and text:
            self.blocks.append((self.kind, text))
        self.cur, self.kind = [], None


def read_html(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        p = HtmlBlocks()
        p.feed(f.read())
        p.close()
    return p.title, p.blocks


def man_title(name, blocks):
    """"ls(1) – Verzeichnisinhalte auflisten" from the NAME section."""
    for i, (kind, text) in enumerate(blocks):
        if kind == "h" and i + 1 < len(blocks) and blocks[i + 1][0] == "p":
            line = blocks[i + 1][1]
            m = re.match(r"\s*\S+(?:,\s*\S+)*\s+[-–—]+\s+(.*)", line)
            if m:
                return "%s – %s" % (name, m.group(1).strip())
            break
    return name


def documents(root, per_package=0):
    """(package, source name, title, blocks) of every installed source
    document, in a fixed order; the package names found."""
    docs, found = [], []

    def full(pkg):
        return per_package and sum(1 for d in docs if d[0] == pkg) >= per_package
    mandir = os.path.join(root, "usr/share/man/de")
    if os.path.isdir(mandir):
        found.append("manpages-de")
        for sec in sorted(os.listdir(mandir)):
            d = os.path.join(mandir, sec)
            for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
                if not f.endswith(".gz") or full("manpages-de"):
                    continue
                blocks = read_man(os.path.join(d, f))
                m = re.match(r"(.+)\.(\d\w*)\.gz$", f)
                name = "%s(%s)" % (m.group(1), m.group(2)) if m else f
                if blocks:
                    docs.append(("manpages-de", name, man_title(name, blocks),
                                 blocks))
    html_roots = [("gimp-help-de", "usr/share/gimp/2.0/help/de"),
                  ("libreoffice-help-de", "usr/share/libreoffice/help/de"),
                  ("debian-edu-doc-de", "usr/share/doc/debian-edu-doc-de")]
    for pkg, rel in html_roots:
        top = os.path.join(root, rel)
        if not os.path.isdir(top):
            continue
        found.append(pkg)
        for d, subdirs, files in sorted(os.walk(top)):
            subdirs.sort()
            for f in sorted(files):
                if not f.endswith(".html") or full(pkg):
                    continue
                path = os.path.join(d, f)
                title, blocks = read_html(path)
                name = os.path.relpath(path, top)
                if pkg == "debian-edu-doc-de":
                    docs.extend(split_manual(pkg, name, blocks))
                elif blocks:
                    docs.append((pkg, name, title or name, blocks))
    return docs, found


def split_manual(pkg, name, blocks):
    """The Debian Edu manual is one page: one document per h1/h2 chapter."""
    out, cur, title = [], [], None
    for kind, text in blocks:
        if kind == "h" and (title is None or len(cur) > 3):
            if cur and title:
                out.append((pkg, "%s#%s" % (name, title), title, cur))
            cur, title = [], text
        cur.append((kind, text))
    if cur and title:
        out.append((pkg, "%s#%s" % (name, title), title, cur))
    return out


# ---- from documents to articles -----------------------------------------

WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")


def is_prose(text):
    words = WORD.findall(text)
    if len(words) < PARA_MIN_WORDS or len(text) > PARA_MAX_BYTES * 2:
        return False
    letters = sum(len(w) for w in words)
    if letters < 0.7 * len(text.replace(" ", "")):
        return False
    german = sum(1 for w in words if w.lower() in GERMAN)
    return german >= 3 and german >= 0.1 * len(words)


def clean_heading(text):
    text = " ".join(text.split()).strip(" :")
    return text if 2 <= len(text) <= 120 and WORD.search(text) else None


def natural_articles(docs):
    """Cuts the documents into lists of blocks of about ARTICLE_BYTES of
    prose, each with its source and title; repeated paragraphs dropped."""
    seen = set()
    arts = []
    for pkg, name, title, blocks in docs:
        cur, size, part = [], 0, 1
        for kind, text in blocks:
            if kind == "h":
                h = clean_heading(text)
                if h and h.upper() != h:
                    cur.append(("h", h))
                continue
            text = " ".join(text.split())
            if len(text) > PARA_MAX_BYTES:
                text = text[:PARA_MAX_BYTES].rsplit(" ", 1)[0] + " …"
            key = hashlib.sha1(text.encode()).digest()
            if not is_prose(text) or key in seen:
                continue
            seen.add(key)
            cur.append(("p", text))
            size += len(text.encode())
            if size >= ARTICLE_BYTES:
                arts.append((pkg, name, title, part, cur))
                cur, size, part = [], 0, part + 1
        if size >= ARTICLE_BYTES // 3:
            arts.append((pkg, name, title, part, cur))
    return arts


def trim_blocks(blocks):
    """No heading last, none directly after another."""
    out = []
    for b in blocks:
        if b[0] == "h" and out and out[-1][0] == "h":
            out[-1] = b
        else:
            out.append(b)
    while out and out[-1][0] == "h":
        out.pop()
    return out


MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")


# Web and mail addresses: GitHub's autolinks would turn them into links
# that lint checks (and the borrowed ones are often fragments), so they
# stand in code spans.
ADDRESS = re.compile(r"((?:https?|ftp)://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+)")


def md_escape(text):
    parts = ADDRESS.split(text)
    return "".join("`%s`" % p.replace("`", "") if i % 2 else md_escape_plain(p)
                   for i, p in enumerate(parts))


def md_escape_plain(text):
    text = MD_SPECIAL.sub(r"\\\1", text)
    # A line that would start a list, quote, heading or numbered item.
    return re.sub(r"^([-+=]|\d+[.)])", r"\\\1", text)


def slug(text):
    t = text.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        t = t.replace(a, b)
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t[:50].strip("-") or "artikel"


def first_sentences(text, cap):
    """The first sentences of `text` within `cap` characters."""
    sents = re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])", text)
    out = ""
    for s in sents:
        if len(out) + len(s) + 1 > cap:
            break
        out = (out + " " + s).strip()
    if not out:
        out = text[:cap - 1].rsplit(" ", 1)[0] + "…"
    return out


def topics(blocks):
    """Up to five frequent long capitalised words, as keywords."""
    c = collections.Counter()
    for kind, text in blocks:
        if kind == "p":
            for w in re.findall(r"\b[A-ZÄÖÜ][a-zäöüß]{6,}\b", text):
                c[w.lower()] += 1
    return [w for w, _ in sorted(c.items(), key=lambda x: (-x[1], x[0]))[:5]]


def load_vocab(path):
    """vocab.yaml's sections as {section: [keys]} (flat YAML, read by hand
    so no YAML module is needed)."""
    vocab, sec = {}, None
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            sec = line.split(":")[0].strip()
            vocab[sec] = []
        elif sec:
            vocab[sec].append(line.strip().split(":")[0].strip())
    return vocab


def load_norms(corpus):
    """The citations the real corpus' records name in `norms`."""
    norms = set()
    for d, _, files in os.walk(corpus):
        for f in files:
            if f.endswith(".md"):
                with open(os.path.join(d, f), encoding="utf-8") as fh:
                    m = re.search(r"^norms: (\[.*\])$", fh.read(), re.M)
                if m:
                    norms.update(json.loads(m.group(1)))
    return sorted(norms)


def pick(rng, values, lo, hi):
    k = rng.randint(lo, min(hi, len(values)))
    return sorted(rng.sample(values, k), key=values.index)


class Builder:
    def __init__(self, arts, vocab, norms):
        self.arts, self.vocab, self.norms = arts, vocab, norms
        self.ids, self.titles = [], []

    def source_blocks(self, k):
        """Blocks, title and sources of article k."""
        A = len(self.arts)
        if k < A:
            pkg, name, title, part, blocks = self.arts[k]
            if part > 1:
                title = "%s (Teil %d)" % (title, part)
            return blocks, title, ["Debian-Paket %s: %s" % (pkg, name)]
        # Past the prose: interleave the paragraphs of two articles.
        rng = random.Random("%s-mix-%d" % (SEED, k))
        i = rng.randrange(A)
        j = (i + 1 + rng.randrange(A - 1)) % A if A > 1 else i
        a, b = self.arts[i], self.arts[j]
        blocks = [x for pair in zip(a[4], b[4]) for x in pair]
        size, out = 0, []
        for blk in blocks:
            out.append(blk)
            size += len(blk[1].encode()) if blk[0] == "p" else 0
            if size >= ARTICLE_BYTES:
                break
        title = "%s und %s" % (a[2], b[2]) if a[2] != b[2] else a[2]
        sources = ["Debian-Paket %s: %s" % (x[0], x[1]) for x in (a, b)]
        return out, title, sorted(set(sources), key=sources.index)

    def article(self, k):
        blocks, title, sources = self.source_blocks(k)
        blocks = trim_blocks(blocks)
        title = " ".join(title.split())
        if len(title) > 150:
            title = title[:150].rsplit(" ", 1)[0] + " …"
        first = next(t for kind, t in blocks if kind == "p")
        summary = first_sentences(first, 290)
        id_ = "%s-%d" % (slug(title), k)
        self.ids.append(id_)
        self.titles.append(title)
        rng = random.Random("%s-%d" % (SEED, k))
        fm = ["---", "id: " + id_, "title: " + json.dumps(title, ensure_ascii=False)]
        for field, sec, lo, hi in ENUM_FIELDS:
            vals = [v for v in self.vocab[sec] if (field, v) not in SKIP_VALUES]
            chosen = pick(rng, vals, lo, hi)
            if field == "type":
                fm.append("type: " + chosen[0])
                fm.append("summary: " + json.dumps(summary, ensure_ascii=False))
            else:
                fm.append("%s: [%s]" % (field, ", ".join(chosen)))
        fm.append("topics: " + json.dumps(topics(blocks), ensure_ascii=False))
        fm.append("norms: " + json.dumps(pick(rng, self.norms, 1, 3),
                                         ensure_ascii=False))
        fm.append("updated: 2026-%02d-%02d" % (1 + k % 11, 1 + (k * 7) % 28))
        fm.append("sources: " + json.dumps(sources, ensure_ascii=False))
        related = sorted({rng.randrange(k) for _ in range(3)}) if k else []
        fm.append("related: [%s]" % ", ".join(self.ids[j] for j in related))
        fm.append("---")
        body = []
        for kind, text in blocks:
            body.append(("## " + md_escape(text)) if kind == "h" else md_escape(text))
        if related:
            body.append("## Siehe auch")
            body.append("\n".join("- [%s](/artikel/%s)" % (
                md_escape(self.titles[j]), self.ids[j]) for j in related))
        return id_, "\n".join(fm) + "\n" + "\n\n".join(body) + "\n"


CONFIG_SKIP = {"README.md"}


def copy_config(corpus, out):
    """Everything of corpus/ but its records: schema, vocabularies,
    synonyms, citations, laws, compounds, regeln/."""
    for name in sorted(os.listdir(corpus)):
        src = os.path.join(corpus, name)
        if os.path.isfile(src) and not name.endswith(".md"):
            shutil.copy(src, out)
        elif os.path.isdir(src) and not any(
                f.endswith(".md") for _, _, fs in os.walk(src) for f in fs):
            shutil.copytree(src, os.path.join(out, name))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("size", type=int)
    ap.add_argument("out")
    ap.add_argument("--root", default="/", help="where the packages are installed")
    ap.add_argument("--repo", default=os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), help="the teilhabe repository")
    ap.add_argument("--min-sources", type=int, default=1)
    ap.add_argument("--per-package", type=int, default=0,
                    help="read only the first K documents of each package "
                    "(quick tests; 0: all)")
    args = ap.parse_args()
    if args.size < 1 or args.size > 1000000:
        sys.exit("gen-docs-corpus.py: SIZE must be 1 to 1000000")
    docs, found = documents(args.root, args.per_package)
    if len(found) < args.min_sources:
        print("gen-docs-corpus.py: %d of the German documentation packages "
              "installed, %d needed (apt-get install manpages-de gimp-help-de "
              "libreoffice-help-de debian-edu-doc-de)" % (len(found), args.min_sources),
              file=sys.stderr)
        sys.exit(2)
    arts = natural_articles(docs)
    if not arts:
        sys.exit("gen-docs-corpus.py: no German prose found")
    # Sources mixed from the first article on: a small corpus is not all
    # man pages.
    random.Random(SEED).shuffle(arts)
    corpus = os.path.join(args.repo, "corpus")
    b = Builder(arts, load_vocab(os.path.join(corpus, "vocab.yaml")),
                load_norms(corpus))
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    copy_config(corpus, args.out)
    total = 0
    for k in range(args.size):
        id_, text = b.article(k)
        sub = os.path.join(args.out, "%04d" % (k // 1000))
        os.makedirs(sub, exist_ok=True)
        data = text.encode("utf-8")
        total += len(data)
        with open(os.path.join(sub, id_ + ".md"), "wb") as f:
            f.write(data)
    print("%d articles, %.1f MB, from %s (%d articles of prose before "
          "recombining)" % (args.size, total / 1e6, ", ".join(found), len(arts)),
          file=sys.stderr)


if __name__ == "__main__":
    main()

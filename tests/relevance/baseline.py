#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/relevance/baseline.py CORPUS_DIR QUERIES_TSV OUT_JSON

The reference a search engine for this corpus should beat: plain Xapian
as its documentation sets it up (python3-xapian from Debian).  Every
record's title, summary and body go through Xapian's TermGenerator with
the german2 stemmer (title with weight 5, summary 2, as teilhabe weighs
them); queries go through Xapian's QueryParser with the same stemmer,
STEM_SOME and the default operator OR; ranking is Xapian's BM25.
Writes {query: [top 10 ids]} as JSON.
"""
import json
import os
import shutil
import sys
import tempfile

import xapian


def records(corpus):
    for root, _, files in os.walk(corpus):
        for name in sorted(files):
            if not name.endswith(".md") or name == "README.md":
                continue
            with open(os.path.join(root, name), encoding="utf-8") as f:
                text = f.read()
            _, head, body = text.split("---", 2)
            fields = {}
            for line in head.splitlines():
                if ":" in line and not line.startswith(" "):
                    k, v = line.split(":", 1)
                    fields[k.strip()] = v.strip().strip('"')
            yield fields.get("id", name[:-3]), fields.get("title", ""), fields.get("summary", ""), body


def main():
    corpus, queries_tsv, out = sys.argv[1:4]
    tmp = tempfile.mkdtemp(prefix="teilhabe-baseline-")
    try:
        db = xapian.WritableDatabase(os.path.join(tmp, "db"), xapian.DB_CREATE_OR_OVERWRITE)
        stemmer = xapian.Stem("german2")
        tg = xapian.TermGenerator()
        tg.set_stemmer(stemmer)
        for rid, title, summary, body in records(corpus):
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(title, 5)
            tg.increase_termpos()
            tg.index_text(summary, 2)
            tg.increase_termpos()
            tg.index_text(body)
            doc.set_data(rid)
            doc.add_boolean_term("Q" + rid)
            db.replace_document("Q" + rid, doc)
        db.commit()
        qp = xapian.QueryParser()
        qp.set_stemmer(stemmer)
        qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        qp.set_database(db)
        qp.set_default_op(xapian.Query.OP_OR)
        enquire = xapian.Enquire(db)
        results = {}
        with open(queries_tsv, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or line.startswith("style\t") or not line.strip():
                    continue
                q = line.rstrip("\n").split("\t")[1]
                try:
                    query = qp.parse_query(q)
                except xapian.QueryParserError:
                    query = qp.parse_query(q, 0)
                enquire.set_query(query)
                results[q] = [m.document.get_data().decode() for m in enquire.get_mset(0, 10)]
        with open(out, "w", encoding="utf-8") as f:
            json.dump(results, f, ensure_ascii=False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

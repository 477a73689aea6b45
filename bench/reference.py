#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The reference of bench/run.sh: what a short script over plain Xapian
(python3-xapian) does with the same records and the same queries.

usage: reference.py index CORPUS DB
       reference.py search DB QUERIES.tsv

index: reads every record of a generated corpus (bench/gen-docs-corpus.py)
and indexes it as Xapian's documentation sets it up: a TermGenerator with
the german stemmer over title (weight 5, also with prefix S) and summary
and body (the Markdown text as it is), positions included; every facet
value as a boolean term "XF<facet>:<value>" for the filters, the
article's type in value slot 0 for a facet count, the title, summary and
body as the document data (as a site would show them); one commit at the
end, Xapian's default flush threshold (10,000 documents).

search: for each query of the file (bench/gen-queries.py), a QueryParser
with the german stemmer (STEM_SOME, default operator AND) and the query's
filters (values of one facet OR, facets AND, as teilhabe's), then the
first ten matches with an exact total (checkatleast = the document count),
the counts of one facet (type, ValueCountMatchSpy) and each hit's data
read.  One thread.  Prints "<microseconds>\t<total>\t<hits>" per query,
in order, like teilhabe-bench-search.
"""
import os
import sys
import time

import xapian

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

TYPE_SLOT = 0


def index(corpus, dbpath):
    laws = benchlib.load_laws(corpus)
    db = xapian.WritableDatabase(dbpath, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("german"))
    n = 0
    for path in benchlib.records(corpus):
        fm, body = benchlib.parse(path)
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(fm["title"], 5)
        tg.index_text(fm["title"], 1, "S")
        tg.increase_termpos()
        tg.index_text(fm["summary"])
        tg.increase_termpos()
        tg.index_text(body)
        for name, value in benchlib.facet_values(fm, laws):
            doc.add_boolean_term("XF%s:%s" % (name, value))
        doc.add_value(TYPE_SLOT, fm["type"])
        doc.set_data("%s\n%s\n%s" % (fm["title"], fm["summary"], body))
        idterm = "Q" + fm["id"]
        doc.add_boolean_term(idterm)
        db.replace_document(idterm, doc)
        n += 1
    db.commit()
    db.close()
    print("%d documents" % n, file=sys.stderr)


def search(dbpath, queries):
    db = xapian.Database(dbpath)
    qp = xapian.QueryParser()
    qp.set_stemmer(xapian.Stem("german"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_default_op(xapian.Query.OP_AND)
    qp.set_database(db)
    enquire = xapian.Enquire(db)
    total_docs = db.get_doccount()
    out = []
    for q, filters in benchlib.read_queries(queries):
        t0 = time.perf_counter()
        query = qp.parse_query(q)
        by_facet = {}
        for name, value in filters:
            by_facet.setdefault(name, []).append(
                xapian.Query("XF%s:%s" % (name, value)))
        if by_facet:
            f = xapian.Query(xapian.Query.OP_AND,
                             [xapian.Query(xapian.Query.OP_OR, v)
                              for _, v in sorted(by_facet.items())])
            query = xapian.Query(xapian.Query.OP_FILTER, query, f)
        enquire.set_query(query)
        spy = xapian.ValueCountMatchSpy(TYPE_SLOT)
        enquire.clear_matchspies()
        enquire.add_matchspy(spy)
        mset = enquire.get_mset(0, 10, total_docs)
        hits = 0
        for m in mset:
            m.document.get_data()
            hits += 1
        counts = [(item.term, item.termfreq) for item in spy.values()]
        total = mset.get_matches_estimated()
        t1 = time.perf_counter()
        del counts
        out.append("%.1f\t%d\t%d" % ((t1 - t0) * 1e6, total, hits))
    sys.stdout.write("\n".join(out) + "\n")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "index":
        index(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "search":
        search(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: reference.py index CORPUS DB | search DB QUERIES.tsv")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A build on several threads writes the index a build on one thread
writes: `teilhabe index --jobs 1` and `--jobs 3` over the real corpus,
then every document (id, stored record, values, terms with their wdf and
positions), the spelling and synonym tables and the metadata (but the
build time) compared through python3-xapian.

usage: e2e_index_jobs.py PATH/TO/teilhabe SOURCE_ROOT
"""
import os
import shutil
import sys
import tempfile
import unittest

import xapian

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402
from e2e import run  # noqa: E402


def dump(path):
    """Everything a reader of the index can see, as plain Python data."""
    db = xapian.Database(path)
    docs = []
    for docid in range(1, db.get_lastdocid() + 1):
        d = db.get_document(docid)
        terms = [(t.term, t.wdf, tuple(db.positionlist(docid, t.term)))
                 for t in d.termlist()]
        values = [(v.num, v.value) for v in d.values()]
        docs.append((docid, d.get_data(), values, terms))
    spell = [(t.term, t.termfreq) for t in db.spellings()]
    syn = [(k, list(db.synonyms(k))) for k in db.synonym_keys()]
    meta = {k: db.get_metadata(k) for k in db.metadata_keys()
            if k != b"teilhabe.built"}
    return {"doccount": db.get_doccount(), "docs": docs, "spelling": spell,
            "synonyms": syn, "metadata": meta}


class Jobs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="teilhabe-jobs-")
        corpus = os.path.join(e2e.ROOT, "corpus")
        for jobs in ("1", "3"):
            run("index", "--quiet", "--full", "--jobs", jobs, "--db",
                os.path.join(cls.tmp, "j" + jobs), corpus)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_same_index_on_one_and_three_threads(self):
        one = dump(os.path.join(self.tmp, "j1"))
        three = dump(os.path.join(self.tmp, "j3"))
        self.assertGreater(one["doccount"], 300)
        self.assertGreater(len(one["spelling"]), 1000)
        self.assertIn(b"teilhabe.lexicon", one["metadata"])
        self.assertEqual(one["doccount"], three["doccount"])
        for a, b in zip(one["docs"], three["docs"]):
            self.assertEqual(a, b, "document %d differs" % a[0])
        for key in ("spelling", "synonyms", "metadata"):
            self.assertEqual(one[key], three[key], key)

    def test_bad_jobs_refused(self):
        r = run("index", "--jobs", "65", "--db", os.path.join(self.tmp, "x"),
                os.path.join(e2e.ROOT, "corpus"), check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--jobs", r.stderr)


if __name__ == "__main__":
    e2e.main()

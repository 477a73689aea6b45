/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_cite.h - recognising and normalising German legal citations.
 *
 * "§ 167 Abs. 2 SGB IX", "§167 SGB IX", "§§ 168 ff. SGB IX",
 * "Art. 9 Abs. 2 DSGVO", "Anlage 4 FeV", "§ 45 SGB V" - in article text, in the
 * `norms` field and in queries - become kb_cite values with a canonical law
 * name
 * ("SGB IX"), paragraph ("167") and, where given, Absatz and Satz.  The
 * law is the value of the `norm` facet; the paragraph (and Absatz) form
 * index terms, so "§ 167 SGB IX" finds every article citing any
 * paragraph-level form of § 167.
 *
 * Depends only on libc.
 */
#ifndef KB_CITE_H
#define KB_CITE_H

#include <stdbool.h>
#include <stddef.h>

enum { KB_CITE_PARA = 'P', KB_CITE_ART = 'A', KB_CITE_ANNEX = 'N' };

typedef struct kb_cite {
  char law[24];  /* canonical: "SGB IX", "BGB", "DSGVO", "BITV 2.0" */
  char para[12]; /* "167", "42q", "26b" */
  char abs[8];   /* "" or "2" */
  char satz[8];  /* "" or "1" */
  char kind;     /* KB_CITE_PARA "§", KB_CITE_ART "Art.", KB_CITE_ANNEX */
  bool ff;       /* "ff." / "f.": and the following */
  size_t start;  /* byte offsets of the citation in the scanned text */
  size_t end;
} kb_cite;

/* Finds citations in `text`.  Writes at most `max` to `out` and returns
 * how many were found (possibly more than `max`).  With `bare`, a number
 * directly followed by a known law ("167 SGB IX") counts too - for
 * queries, where people leave out the "§". */
size_t kb_cite_scan(const char *text, size_t len, bool bare, kb_cite *out,
                    size_t max);

/* Parses a whole `norms` entry, which must consist of one citation (or
 * a list like "§§ 154, 160 SGB IX") and nothing else.  Returns the number
 * of citations written (<= max), or 0 when `s` is not a well-formed
 * citation. */
size_t kb_cite_parse(const char *s, kb_cite *out, size_t max);

/* Canonical display form, e.g. "§ 167 Abs. 2 SGB IX". */
void kb_cite_format(const kb_cite *c, char *buf, size_t cap);

/* Index term for the citation at paragraph level ("XCsgb ix§167") or,
 * with `with_abs` and an Absatz present, Absatz level ("XCsgb ix§167.2").
 * Returns false if there is no Absatz and `with_abs` was asked for. */
bool kb_cite_term(const kb_cite *c, bool with_abs, char *buf, size_t cap);

/* Index term for the law as a whole under `prefix` ("XFNORM:sgb ix"): a
 * norm facet's filter. */
void kb_cite_law_term(const char *law, const char *prefix, char *buf,
                      size_t cap);

/* If `word` (with `len` bytes) names a known law, writes its canonical
 * form and returns the number of bytes consumed (for "SGB IX", "BITV 2.0"
 * this spans two words); else 0. */
size_t kb_cite_law(const char *word, size_t len, char *canon, size_t cap);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_schema.h - the record kinds of a corpus, declared in its
 * `schema.yaml` (format: docs/article-format.md).
 *
 * The schema says which kinds of records exist (artikel, urteil, ...),
 * which fields each kind has and of what type, which fields are searched
 * and how strongly, which are facets of the search and in what order,
 * which sort orders exist and which fields a record page shows in its
 * facts box.  Parsing, lint, indexing, search, the JSON API and the pages
 * read it; a field's special behaviour (a legal citation, a date that
 * expires, a file number) comes from its declared type, never from its
 * name.
 *
 * Every record has the envelope fields id, kind, title, summary, updated,
 * sources and related (kb_article.h); the schema declares the rest.
 *
 * The schema is stored in the index as its YAML text, so a server reads
 * exactly the schema the index was built with.  Depends on kb_status,
 * kb_diag, kb_text and kb_yaml.
 */
#ifndef KB_SCHEMA_H
#define KB_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "kb_diag.h"
#include "kb_status.h"
#include "kb_text.h"

/* Bounds on a schema. */
#define KB_SCHEMA_MAX_FIELDS 48
#define KB_SCHEMA_MAX_KINDS 16
#define KB_SCHEMA_MAX_FACETS 12
#define KB_SCHEMA_MAX_SORTS 6
#define KB_SCHEMA_MAX_RANKED 8 /* values with a rank, per facet */
#define KB_SCHEMA_MAX_BYTES (64u * 1024u)

/* X(enum, name in schema.yaml, what it is) */
#define KB_FTYPE_TABLE(X)                                                      \
  X(TEXT, "text", "one line of text")                                          \
  X(KEYWORDS, "keywords", "search words, also matched exactly by prefix")      \
  X(ENUM, "enum", "a key of a vocabulary section")                             \
  X(DATE, "date", "an ISO date")                                               \
  X(EXPIRY, "expiry", "an ISO date until which the figures hold")              \
  X(URL, "url", "an https:// address")                                         \
  X(PHONE, "phone", "a telephone number")                                      \
  X(NORM, "norm", "a legal citation")                                          \
  X(FILENUMBER, "filenumber", "a court's file number")                         \
  X(CASE, "case", "erfunden or real: is a practice example invented")          \
  X(EASY, "easy", "short sentences in Leichte Sprache, shown above the text")

typedef enum kb_ftype {
#define KB_FTYPE_ENUM(e, name, what) KB_FT_##e,
  KB_FTYPE_TABLE(KB_FTYPE_ENUM)
#undef KB_FTYPE_ENUM
      KB_FT_COUNT
} kb_ftype;

/* Field references that are not declared fields: the envelope's kind and
 * Stand, usable as a facet or sort. */
#define KB_SF_KIND ((size_t)-1)
#define KB_SF_UPDATED ((size_t)-2)

typedef struct kb_sfield {
  char *name;   /* front-matter key, [a-z_]+ */
  char *label;  /* German, for facts boxes and facets */
  char *vocab;  /* KB_FT_ENUM: the vocab.yaml section */
  char *query;  /* a query prefix ("thema") or NULL */
  char *jsonld; /* its role in schema.org JSON-LD: "audience", "about" */
  kb_ftype type;
  bool list;       /* several values */
  unsigned weight; /* within-document frequency as search text; 0: none */
} kb_sfield;

/* "field has one of values" */
typedef struct kb_scond {
  size_t field; /* KB_SF_KIND never: a condition is about a declared field */
  kb_strv values;
} kb_scond;

typedef struct kb_skfield {
  size_t field;
  bool required;
  bool has_required_when, has_only_when;
  kb_scond required_when; /* required when the condition holds */
  kb_scond only_when;     /* allowed only when it holds */
} kb_skfield;

typedef struct kb_skind {
  char *name, *label, *plural; /* "urteil", "Urteil", "Rechtsprechung" */
  char *intro;                 /* one German sentence for its list page */
  kb_skfield *fields;
  size_t nfields;
  size_t *facts; /* fields of the facts box, in order */
  size_t nfacts;
  double rank;      /* its results' weight relative to other kinds (default 1):
                      short glossary entries need not outrank the articles
                      that explain a term */
  bool exact;       /* a query equal to a title or keyword shows the record
                       above the results (a glossary) */
  bool markdown;    /* the stored record keeps its Markdown body too
                       (templates offered for download, kb_record.markdown) */
  char *index_path; /* "begriffe": an A-Z page of all its records, or NULL */
  /* A finder page ("zustaendig"): choose records by the values of up to
   * two enum fields; records with `finder_also` in the first field
   * (nationwide offices) match every choice. */
  char *finder_path, *finder_title, *finder_also;
  size_t finder_by[2];
  size_t nfinder_by;
  unsigned stale_months; /* lint warns when `updated` is older; 0: never */
  bool has_stale_when;
  kb_scond stale_when;
} kb_skind;

/* A facet value whose records' results are weighted like a kind's. */
typedef struct kb_svalue_rank {
  char *value; /* a key of the facet's vocabulary: "praxis" */
  double rank; /* above 0, at most 2 */
} kb_svalue_rank;

typedef struct kb_sfacet {
  char *name;  /* the API and URL parameter: "type", "court" */
  char *label; /* the German heading */
  char *query; /* a query prefix ("gericht:") or NULL */
  size_t field;
  bool and_within; /* values of this facet AND (default OR) */
  char prefix[48]; /* boolean term prefix: "XF" + upper(name) + ":" */
  unsigned slot;   /* value slot of its values */
  /* `rank: {praxis: 0.85}` on an enum facet: a record with the value has
   * its results weighted by it (times its kind's rank) - practice
   * examples tell a story full of everyday words and need not outrank
   * the articles that answer the question. */
  kb_svalue_rank ranks[KB_SCHEMA_MAX_RANKED];
  size_t nranks;
} kb_sfacet;

typedef struct kb_ssort {
  char *name, *label;
  size_t field; /* KB_SF_UPDATED or a date field */
  unsigned slot;
} kb_ssort;

typedef struct kb_schema {
  kb_sfield fields[KB_SCHEMA_MAX_FIELDS];
  size_t nfields;
  kb_skind kinds[KB_SCHEMA_MAX_KINDS];
  size_t nkinds; /* kinds[0] is the default for files without `kind` */
  kb_sfacet facets[KB_SCHEMA_MAX_FACETS];
  size_t nfacets;
  kb_ssort sorts[KB_SCHEMA_MAX_SORTS];
  size_t nsorts;
  char *source; /* the YAML text, as stored in the index */
  size_t source_len;
} kb_schema;

/* Parses the text of a schema.yaml read from `path` (for messages).
 * Problems go to `diags` with file and line; KB_ERR_PARSE when there was
 * an error (*ret_schema untouched).  Owned result (kb_schema_free). */
kb_status kb_schema_parse(const char *path, const char *text, size_t len,
                          kb_schema **ret_schema, kb_diags *diags);
void kb_schema_free(kb_schema *schema);

/* Lookups by name; NULL or KB_SF_... / (size_t)-3 when unknown. */
#define KB_SCHEMA_NONE ((size_t)-3)
size_t kb_schema_field(const kb_schema *s, const char *name);
const kb_skind *kb_schema_kind(const kb_schema *s, const char *name);
/* The index of facet `name`, or KB_SCHEMA_NONE. */
size_t kb_schema_facet(const kb_schema *s, const char *name);
/* The index of the facet whose query prefix is `prefix` (len bytes). */
size_t kb_schema_facet_by_query(const kb_schema *s, const char *prefix,
                                size_t len);
const kb_ssort *kb_schema_sort(const kb_schema *s, const char *name);

/* The kind's declaration of field `field`, or NULL when the kind lacks it. */
const kb_skfield *kb_skind_field(const kb_skind *k, size_t field);

/* The name of a field reference ("kind", "updated" or a declared name). */
const char *kb_schema_field_name(const kb_schema *s, size_t field);
const char *kb_ftype_name(kb_ftype t);

#endif

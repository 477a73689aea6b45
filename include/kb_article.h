/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_article.h - one corpus article: parsing, validation, rendering.
 *
 * A record is a UTF-8 Markdown file that starts with YAML front matter
 * between two `---` lines (format: docs/article-format.md).  Parsing
 * checks everything that can be checked from the file and the vocabulary
 * alone and reports each problem as a diagnostic with file and line;
 * corpus-wide checks (duplicate ids, dangling `related`) live in
 * kb_corpus.h.  Rendering uses cmark-gfm in its safe mode: raw HTML in a
 * body never reaches a page.
 *
 * Depends on kb_status, kb_diag, kb_text, kb_vocab, kb_yaml, kb_cite,
 * kb_buf and cmark-gfm.
 */
#ifndef KB_ARTICLE_H
#define KB_ARTICLE_H

#include <stddef.h>
#include <stdint.h>

#include "kb_diag.h"
#include "kb_schema.h"
#include "kb_text.h"
#include "kb_vocab.h"

/* Bounds on what one article may be. */
#define KB_ARTICLE_MAX_BYTES (512u * 1024u)
#define KB_FRONT_MATTER_MAX_BYTES (32u * 1024u)
#define KB_SUMMARY_MAX_CHARS 300
#define KB_TITLE_MAX_CHARS 200
#define KB_LIST_MAX_ITEMS 50
/* A keyword becomes one index term (at most 245 bytes with its prefix). */
#define KB_KEYWORD_MAX_BYTES 120
/* One sentence of an `easy` field (Leichte Sprache), and the words past
 * which lint warns that it is not short. */
#define KB_EASY_SENTENCE_MAX_BYTES 240
#define KB_EASY_SENTENCE_WORDS 15
/* The front matter as YAML: nesting, number of values, one value. */
#define KB_FRONT_MATTER_MAX_DEPTH 3
#define KB_FRONT_MATTER_MAX_NODES 2000
#define KB_FRONT_MATTER_MAX_SCALAR 4096
/* The Markdown body, bounded so cmark-gfm's quadratic cases stay small
 * (article_limits.c): a run of non-blank bytes, '|' on one line, block
 * quotes and list items opened at a line's start, items of one list. */
#define KB_BODY_MAX_WORD_BYTES 512
#define KB_BODY_MAX_PIPES 64
#define KB_BODY_MAX_NESTING 16
#define KB_BODY_MAX_LIST_ITEMS 1000
/* The rendered body (HTML plus plain text): the stored record holds both
 * beside a header of at most a few times the front matter, within
 * KB_RECORD_MAX_BYTES (kb_record.h). */
#define KB_RENDERED_MAX_BYTES (3u * KB_ARTICLE_MAX_BYTES)

/* The envelope every record has, whatever its kind (the schema declares
 * the rest).  X(enum, yaml key, required) */
#define KB_FIELD_TABLE(X)                                                      \
  X(ID, "id", 1)                                                               \
  X(KIND, "kind", 0)                                                           \
  X(TITLE, "title", 1)                                                         \
  X(SUMMARY, "summary", 1)                                                     \
  X(UPDATED, "updated", 1)                                                     \
  X(SOURCES, "sources", 0)                                                     \
  X(RELATED, "related", 0)

typedef enum kb_field {
#define KB_FIELD_ENUM(e, key, req) KB_FIELD_##e,
  KB_FIELD_TABLE(KB_FIELD_ENUM)
#undef KB_FIELD_ENUM
      KB_FIELD_COUNT
} kb_field;

/* One record of the corpus: an article, a decision, a glossary term ...
 * (the name kb_article stays: articles were the first kind). */
typedef struct kb_article {
  char *path;  /* as given to the parser */
  char *id;    /* [a-z0-9-]{3,80} */
  char *title; /* for a glossary term: the term */
  char *summary;
  const kb_schema *schema; /* borrowed from the vocabulary */
  const kb_skind *kind;    /* its kind (borrowed); NULL without schema */
  char updated[11];        /* "YYYY-MM-DD" */
  char updated_compact[9]; /* "YYYYMMDD", sortable */
  kb_strv sources, related;
  /* Declared fields: values[i] holds the values of schema field i (one
   * for a single-valued field; none when absent), vline[i] its line. */
  kb_strv values[KB_SCHEMA_MAX_FIELDS];
  unsigned vline[KB_SCHEMA_MAX_FIELDS];
  char *body; /* Markdown, NUL-terminated; NULL once dropped */
  size_t body_len;
  size_t body_off; /* where the body starts in the file; it runs to the end */
  /* Once the body is dropped: its links as kb_article_each_link reports
   * them (per link the line, 4 bytes, then kind and id, NUL-ended). */
  char *links;
  size_t links_len;
  unsigned body_line;            /* line of the body's first line in the file */
  unsigned line[KB_FIELD_COUNT]; /* where each field stands, 0 if absent */
  uint64_t hash;                 /* of the whole file: did it change? */
  /* The rules figures in the body quote ({{regel:<field>}}, kb_rules.h),
   * borrowed from the vocabulary; NULL without. */
  const struct kb_rules *rules;
} kb_article;

/* The first value of declared field `field`, or NULL. */
const char *kb_article_value(const kb_article *a, size_t field);
/* The values of the declared field called `name` (an empty list when the
 * schema or the record lacks it).  For tools and tests. */
const kb_strv *kb_article_values(const kb_article *a, const char *name);
/* The record's kind name ("artikel"). */
const char *kb_article_kind(const kb_article *a);
/* True when the record is a practice example told as invented: a field
 * of type `case` applies to it and is absent or `erfunden`. */
bool kb_article_invented(const kb_article *a);
/* The value of the record's first field of type `t`, or NULL (e.g. the
 * expiry date). */
const char *kb_article_typed(const kb_article *a, kb_ftype t);

/* Parses `text` (len bytes) read from `path`.  Returns KB_OK with an
 * owned *ret_article (kb_article_free) when there was no error (warnings
 * may have been added); KB_ERR_PARSE when errors were added to `diags`
 * (*ret_article untouched); KB_ERR_NOMEM.  `vocab` may be NULL to skip
 * vocabulary checks. */
kb_status kb_article_parse(const char *path, const char *text, size_t len,
                           const kb_vocab *vocab, kb_article **ret_article,
                           kb_diags *diags);

/* Reads and parses the file at `path` (at most KB_ARTICLE_MAX_BYTES). */
kb_status kb_article_load(const char *path, const kb_vocab *vocab,
                          kb_article **ret_article, kb_diags *diags);

void kb_article_free(kb_article *article);

/* Frees the body of an article loaded from a file, keeping its length,
 * where it starts and its links (kb_article_each_link);
 * kb_article_with_body reads it again.  An indexer of a large corpus
 * holds the records' fields, not their texts.  Without memory for the
 * links the body is kept. */
void kb_article_drop_body(kb_article *a);

/* `a` with its body: *ret_view is `a` when the body is in memory, else
 * `view` - a copy of `a` whose body is read again from the file (owned
 * by the caller as *ret_body; NULL when nothing was read).  The file must
 * still be what was parsed (same length and content hash): KB_ERR_IO
 * naming the file when it changed or cannot be read. */
kb_status kb_article_with_body(const kb_article *a, kb_article *view,
                               const kb_article **ret_view, char **ret_body,
                               char **reterr_msg);

/* Renders the body: figures quoted from rules ({{regel:<field>}}) are
 * replaced by their value on the day of rendering (kb_rules_expand);
 * *ret_html is safe HTML (raw HTML dropped, links with
 * javascript: etc. removed by cmark-gfm), *ret_text plain text for
 * snippets and the index.  Either output may be NULL.  Owned results.
 * KB_ERR_LIMIT, naming the limit, for a body past the KB_BODY_MAX_*
 * bounds (it is not handed to cmark-gfm) or one that renders to more
 * than KB_RENDERED_MAX_BYTES; kb_article_parse refuses both, so a
 * parsed article renders. */
kb_status kb_article_render(const kb_article *article, char **ret_html,
                            char **ret_text, char **reterr_msg);

/* Checks the body as rendering sees it: a level-1 heading, raw HTML,
 * relative or malformed links; in an invented practice example names
 * that read like real people (warning) and the missing "erfunden" note.
 * Adds diagnostics with file lines and returns the number of errors.
 * kb_article_parse runs it; it is public for tools. */
size_t kb_article_check_body(const kb_article *a, kb_diags *diags);

/* Checks the rule figures the body quotes ({{regel:<field>}} and
 * {{regel:<field>@YYYY-MM-DD}}): a malformed reference, an unknown field
 * and a field without a rule on that day (today for an undated one) are
 * errors.  When undated figures end (their rule has a gilt_bis) and the
 * record's kind has a field of type `expiry`, that field is set to the
 * earliest such day unless the record names an earlier one, so the page
 * says from that day on that the figures may be out of date.  Returns
 * the number of errors added; kb_article_parse runs it. */
size_t kb_article_check_rules(kb_article *a, kb_diags *diags);

/* How many days before `gilt_bis` lint starts to warn. */
#define KB_GILT_BIS_WARN_DAYS 60

/* Calls `cb` for every link in the body to another record -
 * "[x](/<kind>/<id>)" for any kind of the schema (relative forms are
 * refused by parsing) - with the target kind, id and the file line it
 * stands on.  External links are skipped.  Return false from `cb` to
 * stop. */
typedef bool (*kb_link_cb)(const char *kind, const char *id, unsigned line,
                           void *ctx);
void kb_article_each_link(const kb_article *article, kb_link_cb cb, void *ctx);

/* The id pattern check, also used for URLs. */
bool kb_article_id_valid(const char *id);

#endif

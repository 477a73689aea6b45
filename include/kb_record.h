/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_record.h - what the index stores per record, and the one codec for
 * it.  The indexer encodes a parsed record (kb_article) with what
 * indexing derived from it (plain text, HTML, laws, links); every reader
 * - results, record pages, the API, stats - decodes it into a
 * kb_record and reads struct fields, never stored keys.
 *
 * Stored form (kb_layout.h; its layout is described in record.c): a
 * binary header of length-prefixed strings, the plain text, NUL, the
 * body HTML.  A result list decodes only the header, and that without
 * parsing: it is one copy and a walk over the lengths.  The index keeps
 * a record in two values (KB_RECORD_SLOTS), uncompressed: the header and
 * the text (kb_record_hit_len), all a result list reads, in KB_SLOT_HIT,
 * the HTML in KB_SLOT_HTML.
 *
 * Depends on kb_status, kb_buf, kb_schema, kb_vocab, kb_article.
 */
#ifndef KB_RECORD_H
#define KB_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "kb_article.h"
#include "kb_buf.h"
#include "kb_schema.h"
#include "kb_status.h"
#include "kb_vocab.h"

/* A list of values (borrowed from the record). */
typedef struct kb_rvals {
  const char **v;
  size_t n;
} kb_rvals;

typedef struct kb_record {
  kb_arena arena; /* owns everything below */
  const char *id, *kind, *title, *summary, *updated, *hash;
  kb_rvals sources, related;
  kb_rvals links; /* ids of records the body links to */
  kb_rvals laws;  /* laws cited in norm fields ("SGB IX") */
  kb_rvals values[KB_SCHEMA_MAX_FIELDS]; /* by schema field */
  const char *text, *html;               /* "" unless decoded with the body */
  const char *markdown; /* the Markdown body when its kind keeps it
                           (kb_skind.markdown), else "" */
} kb_record;

/* The most one stored record may take: the rendered body (at most
 * KB_RENDERED_MAX_BYTES, which kb_article_parse checks) and a header of
 * front-matter values (at most KB_FRONT_MATTER_MAX_BYTES, plus a few
 * bytes of length per value), laws and at most 200 link ids. */
#define KB_RECORD_MAX_BYTES (KB_RENDERED_MAX_BYTES + 512u * 1024u)

/* Encodes record `a` with the plain text and HTML of its body, the laws
 * its norm fields cite and the ids its body links to.  Appends to `out`
 * (check kb_buf_status). */
void kb_record_encode(const kb_article *a, const char *text, const char *html,
                      const kb_strv *laws, const kb_strv *links,
                      const char *hash, kb_buf *out);

/* Decodes `len` bytes of stored data read under schema `s`; with `body`
 * also the text and HTML.  Owned result (kb_record_free);
 * KB_ERR_DB_CORRUPT when the data is not a record. */
kb_status kb_record_decode(const kb_schema *s, const char *data, size_t len,
                           bool body, kb_record **ret_record,
                           char **reterr_msg);
void kb_record_free(kb_record *r);

/* The plain text of `len` bytes of stored data, without decoding or
 * copying anything: a pointer into `data` (borrowed, valid as long as
 * `data`) to the NUL-terminated text, its length in *ret_len; "" and 0
 * when the data holds no text.  A result list reads its snippet window
 * from here, so the header is all it decodes of a long article. */
const char *kb_record_text(const char *data, size_t len, size_t *ret_len);

/* How many leading bytes of `len` bytes of stored data a result list
 * needs: the header and the plain text with its NUL.  Those bytes are
 * themselves stored data that kb_record_decode (without the body) and
 * kb_record_text read as they read the whole record; 0 when `data` is
 * no record. */
size_t kb_record_hit_len(const char *data, size_t len);

/* The first value of field `field` (kb_schema_field), or NULL. */
const char *kb_record_value(const kb_record *r, size_t field);

/* The record as the API shows it (docs/api.md): id, kind, kind_label,
 * url, title, summary, updated, then every field its kind declares - a
 * single enum as "<name>" and "<name>_label", a list of enums as
 * [{value, label}], other lists as arrays of text - then laws, sources,
 * related and, with `body`, body_html.  Owned JSON text, or NULL without
 * memory. */
char *kb_record_api_json(const kb_record *r, const kb_vocab *v, bool body);

/* "/<kind>/<id>" into buf. */
void kb_record_url(const char *kind, const char *id, char *buf, size_t cap);

#endif

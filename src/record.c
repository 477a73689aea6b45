/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record.c - the stored record: encode, decode, and its API form (see
 * kb_record.h).  The only place that knows the stored keys.
 */
#include "json_write.h"
#include "kb_record.h"
#include "record_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The stored form: RECORD_MAGIC, the header's length (4 bytes, little
 * endian), the header, then the plain text, NUL, the body HTML.  The
 * header is a list of strings and lists of strings, each string its
 * length (LEB128) and its bytes and a NUL, so a reader copies the header
 * once and points into the copy; no text is parsed or unescaped.  In
 * order: id, kind, title, summary, updated, hash, markdown ("" when the
 * kind keeps none), the lists sources, related, links and laws, the
 * number of fields with values and for each its name and values.
 */
#define RECORD_MAGIC "KBR\x01"
enum { MAGIC_LEN = 4, PREFIX_LEN = MAGIC_LEN + 4 };

static void put_len(kb_buf *out, size_t n) {
  do {
    unsigned char c = n & 0x7F;
    n >>= 7;
    kb_buf_addc(out, (char)(n ? c | 0x80 : c));
  } while (n);
}

static void put_str(kb_buf *out, const char *s) {
  size_t n = s ? strlen(s) : 0;
  put_len(out, n);
  kb_buf_add(out, s ? s : "", n);
  kb_buf_addc(out, '\0');
}

static void put_list(kb_buf *out, const kb_strv *sv) {
  size_t n = sv ? sv->n : 0;
  put_len(out, n);
  for (size_t i = 0; i < n; i++)
    put_str(out, sv->v[i]);
}

void kb_record_encode(const kb_article *a, const char *text, const char *html,
                      const kb_strv *laws, const kb_strv *links,
                      const char *hash, kb_buf *out) {
  kb_buf head = KB_BUF_INIT(KB_RECORD_MAX_BYTES);
  put_str(&head, a->id);
  put_str(&head, kb_article_kind(a));
  put_str(&head, a->title);
  put_str(&head, a->summary);
  put_str(&head, a->updated);
  put_str(&head, hash);
  put_str(&head, a->kind && a->kind->markdown ? a->body : "");
  put_list(&head, &a->sources);
  put_list(&head, &a->related);
  put_list(&head, links);
  put_list(&head, laws);
  size_t nfields = 0;
  for (size_t i = 0; a->kind && i < a->kind->nfields; i++)
    nfields += a->values[a->kind->fields[i].field].n != 0;
  put_len(&head, nfields);
  for (size_t i = 0; a->kind && i < a->kind->nfields; i++) {
    size_t f = a->kind->fields[i].field;
    if (a->values[f].n) {
      put_str(&head, a->schema->fields[f].name);
      put_list(&head, &a->values[f]);
    }
  }
  kb_status st = kb_buf_status(&head);
  if (st == KB_OK && head.len > UINT32_MAX)
    st = KB_ERR_LIMIT;
  if (st != KB_OK) {
    if (out->status == KB_OK)
      out->status = st; /* the caller sees it in kb_buf_status */
    kb_buf_release(&head);
    return;
  }
  unsigned char prefix[PREFIX_LEN];
  memcpy(prefix, RECORD_MAGIC, MAGIC_LEN);
  for (int i = 0; i < 4; i++)
    prefix[MAGIC_LEN + i] = (unsigned char)(head.len >> (8 * i));
  kb_buf_add(out, prefix, sizeof prefix);
  kb_buf_add(out, head.data, head.len);
  kb_buf_add(out, text, strlen(text) + 1);
  kb_buf_adds(out, html);
  kb_buf_release(&head);
}

void kb_record_free(kb_record *r) {
  if (r == NULL)
    return;
  kb_arena a = r->arena; /* r lives in its own arena */
  kb_arena_release(&a);
}

/* The header's length, or false when `data` is no stored record or is
 * cut off inside its header. */
static bool header_len(const char *data, size_t len, size_t *ret) {
  if (len < PREFIX_LEN || memcmp(data, RECORD_MAGIC, MAGIC_LEN) != 0)
    return false;
  size_t n = 0;
  for (int i = 0; i < 4; i++)
    n |= (size_t)(unsigned char)data[MAGIC_LEN + i] << (8 * i);
  if (n > len - PREFIX_LEN)
    return false;
  *ret = n;
  return true;
}

/* A reader over the arena's copy of the header; `ok` turns false at the
 * first thing that does not fit, and every later read gives "". */
typedef struct reader {
  const char *p, *end;
  kb_arena *arena;
  bool ok;
} reader;

static size_t get_len(reader *rd) {
  size_t n = 0;
  for (unsigned shift = 0; rd->ok && shift < 64; shift += 7) {
    if (rd->p == rd->end)
      break;
    unsigned char c = (unsigned char)*rd->p++;
    n |= (size_t)(c & 0x7F) << shift;
    if (!(c & 0x80))
      return n;
  }
  rd->ok = false;
  return 0;
}

static const char *get_str(reader *rd) {
  size_t n = get_len(rd);
  if (!rd->ok || n >= (size_t)(rd->end - rd->p) || rd->p[n] != '\0') {
    rd->ok = false;
    return "";
  }
  const char *s = rd->p;
  rd->p += n + 1;
  return s;
}

static kb_rvals get_list(reader *rd) {
  kb_rvals out = {0};
  size_t n = get_len(rd);
  if (n == 0 || !rd->ok)
    return out;
  if (n > (size_t)(rd->end - rd->p) / 2) { /* each string takes 2 bytes */
    rd->ok = false;
    return out;
  }
  out.v = kb_arena_alloc(rd->arena, n * sizeof *out.v);
  if (out.v == NULL) {
    rd->ok = false;
    return out;
  }
  for (size_t i = 0; i < n && rd->ok; i++)
    out.v[out.n++] = get_str(rd);
  return out;
}

static void get_fields(reader *rd, const kb_schema *s, kb_record *r) {
  size_t n = get_len(rd);
  size_t next = 0; /* fields are stored in the schema's order: look there
                      first (a whole scan per field was 1.6 % of a search) */
  for (size_t i = 0; i < n && rd->ok; i++) {
    const char *name = get_str(rd);
    kb_rvals v = get_list(rd);
    for (size_t k = 0; s && k < s->nfields; k++) {
      size_t f = (next + k) % s->nfields; /* names are unique in a schema */
      if (strcmp(s->fields[f].name, name) == 0) {
        r->values[f] = v;
        next = f + 1;
        break;
      }
    }
  }
}

kb_status kb_record_decode(const kb_schema *s, const char *data, size_t len,
                           bool body, kb_record **ret, char **reterr_msg) {
  size_t hlen = 0;
  if (!header_len(data, len, &hlen))
    return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                   "a stored record is not readable; rebuild the index");
  kb_arena arena;
  kb_arena_init(&arena, 0);
  kb_record *r = kb_arena_alloc(&arena, sizeof *r);
  char *head = r ? kb_arena_alloc(&arena, hlen ? hlen : 1) : NULL;
  if (head == NULL) {
    kb_arena_release(&arena);
    return KB_ERR_NOMEM;
  }
  memcpy(head, data + PREFIX_LEN, hlen);
  *r = (kb_record){.arena = arena};
  reader rd = {.p = head, .end = head + hlen, .arena = &r->arena, .ok = true};
  r->id = get_str(&rd);
  r->kind = get_str(&rd);
  r->title = get_str(&rd);
  r->summary = get_str(&rd);
  r->updated = get_str(&rd);
  r->hash = get_str(&rd);
  r->markdown = get_str(&rd);
  r->sources = get_list(&rd);
  r->related = get_list(&rd);
  r->links = get_list(&rd);
  r->laws = get_list(&rd);
  get_fields(&rd, s, r);
  bool ok = rd.ok && rd.p == rd.end;
  r->text = r->html = "";
  size_t at = PREFIX_LEN + hlen;
  if (ok && body && at < len) {
    const char *text = data + at;
    size_t tlen = strnlen(text, len - at);
    r->text = kb_arena_strndup(&r->arena, text, tlen);
    if (at + tlen < len)
      r->html =
          kb_arena_strndup(&r->arena, text + tlen + 1, len - at - 1 - tlen);
    ok &= r->text != NULL && r->html != NULL;
  }
  if (!ok) {
    kb_record_free(r);
    return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                   "a stored record lacks its id, kind or title; rebuild the "
                   "index");
  }
  *ret = r;
  return KB_OK;
}

const char *kb_record_text(const char *data, size_t len, size_t *ret_len) {
  size_t hlen = 0;
  *ret_len = 0;
  if (!header_len(data, len, &hlen) || PREFIX_LEN + hlen >= len)
    return "";
  const char *text = data + PREFIX_LEN + hlen;
  size_t rest = len - PREFIX_LEN - hlen;
  size_t tlen = strnlen(text, rest);
  if (tlen == rest) /* not NUL-terminated: no HTML follows */
    return "";
  *ret_len = tlen;
  return text;
}

size_t kb_record_hit_len(const char *data, size_t len) {
  size_t hlen = 0;
  if (!header_len(data, len, &hlen))
    return 0;
  size_t at = PREFIX_LEN + hlen;
  size_t tlen = strnlen(data + at, len - at);
  return at + tlen < len ? at + tlen + 1 : len;
}

const char *kb_record_value(const kb_record *r, size_t field) {
  return field < KB_SCHEMA_MAX_FIELDS && r->values[field].n
             ? r->values[field].v[0]
             : NULL;
}

void kb_record_url(const char *kind, const char *id, char *buf, size_t cap) {
  snprintf(buf, cap, "/%s/%s", kind, id);
}

static void texts(kb_buf *b, const char *key, const kb_rvals *v) {
  kb_buf_addc(b, ',');
  kbi_json_key(b, key);
  kb_buf_addc(b, '[');
  for (size_t i = 0; i < v->n; i++) {
    if (i)
      kb_buf_addc(b, ',');
    kbi_json_str(b, v->v[i]);
  }
  kb_buf_addc(b, ']');
}

static void member(kb_buf *b, const char *key, const char *value) {
  kb_buf_addc(b, ',');
  kbi_json_key(b, key);
  kbi_json_str(b, value);
}

/* One declared field in its API form. */
static void api_field(kb_buf *b, const kb_record *r, const kb_vocab *v,
                      const kb_sfield *sf, size_t f) {
  const kb_rvals *vals = &r->values[f];
  if (sf->type == KB_FT_ENUM && sf->list) {
    kb_buf_addc(b, ',');
    kbi_json_key(b, sf->name);
    kb_buf_addc(b, '[');
    for (size_t i = 0; i < vals->n; i++) {
      kb_buf_adds(b, i ? ",{\"value\":" : "{\"value\":");
      kbi_json_str(b, vals->v[i]);
      kb_buf_adds(b, ",\"label\":");
      kbi_json_str(b, kb_vocab_value_label(v, f, vals->v[i]));
      kb_buf_addc(b, '}');
    }
    kb_buf_addc(b, ']');
  } else if (sf->list) {
    texts(b, sf->name, vals);
  } else if (vals->n == 0) {
    member(b, sf->name, NULL);
  } else {
    member(b, sf->name, vals->v[0]);
    if (sf->type == KB_FT_ENUM) {
      kb_buf_addc(b, ',');
      kb_buf_addc(b, '"');
      kb_buf_adds(b, sf->name);
      kb_buf_adds(b, "_label\":");
      kbi_json_str(b, kb_vocab_value_label(v, f, vals->v[0]));
    }
  }
}

void kbi_record_json_members(kb_buf *b, const kb_record *r, const kb_vocab *v,
                             bool body) {
  const kb_schema *s = v ? v->schema : NULL;
  const kb_skind *k = s ? kb_schema_kind(s, r->kind) : NULL;
  char url[256];
  kb_record_url(r->kind, r->id, url, sizeof url);
  kbi_json_key(b, "id");
  kbi_json_str(b, r->id);
  member(b, "kind", r->kind);
  member(b, "kind_label", k ? k->label : r->kind);
  member(b, "url", url);
  member(b, "title", r->title);
  member(b, "summary", r->summary);
  member(b, "updated", r->updated);
  for (size_t i = 0; k && i < k->nfields; i++) {
    size_t f = k->fields[i].field;
    api_field(b, r, v, &s->fields[f], f);
  }
  texts(b, "laws", &r->laws);
  texts(b, "sources", &r->sources);
  texts(b, "related", &r->related);
  if (body)
    member(b, "body_html", r->html);
}

char *kb_record_api_json(const kb_record *r, const kb_vocab *v, bool body) {
  kb_buf b = KB_BUF_INIT(KB_RECORD_MAX_BYTES * 2);
  kb_buf_addc(&b, '{');
  kbi_record_json_members(&b, r, v, body);
  kb_buf_addc(&b, '}');
  return kb_buf_detach(&b, NULL);
}

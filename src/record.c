/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record.c - the stored record: encode, decode, and its API form (see
 * kb_record.h).  The only place that knows the stored keys.
 */
#include "kb_record.h"
#include "record_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *strv_json(const kb_strv *sv) {
  json_t *arr = json_array();
  for (size_t i = 0; sv && i < sv->n; i++)
    json_array_append_new(arr, json_string(sv->v[i]));
  return arr;
}

void kb_record_encode(const kb_article *a, const char *text, const char *html,
                      const kb_strv *laws, const kb_strv *links,
                      const char *hash, kb_buf *out) {
  json_t *fields = json_object();
  for (size_t i = 0; a->kind && i < a->kind->nfields; i++) {
    size_t f = a->kind->fields[i].field;
    if (a->values[f].n)
      json_object_set_new(fields, a->schema->fields[f].name,
                          strv_json(&a->values[f]));
  }
  json_t *j = json_pack(
      "{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s*}", "id",
      a->id, "kind", kb_article_kind(a), "title", a->title, "summary",
      a->summary, "updated", a->updated, "hash", hash, "sources",
      strv_json(&a->sources), "related", strv_json(&a->related), "links",
      strv_json(links), "laws", strv_json(laws), "fields", fields, "markdown",
      a->kind && a->kind->markdown ? a->body : NULL);
  char *head = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  if (head == NULL) {
    if (out->status == KB_OK)
      out->status = KB_ERR_NOMEM; /* the caller sees it in kb_buf_status */
    return;
  }
  kb_buf_add(out, head, strlen(head) + 1);
  kb_buf_add(out, text, strlen(text) + 1);
  kb_buf_adds(out, html);
  free(head);
}

void kb_record_free(kb_record *r) {
  if (r == NULL)
    return;
  kb_arena a = r->arena; /* r lives in its own arena */
  kb_arena_release(&a);
}

static const char *str(kb_record *r, json_t *o, const char *key, bool *ok) {
  const char *v = json_string_value(json_object_get(o, key));
  char *c = kb_arena_strdup(&r->arena, v ? v : "");
  *ok &= v != NULL && c != NULL;
  return c ? c : "";
}

static kb_rvals vals(kb_record *r, json_t *arr, bool *ok) {
  kb_rvals out = {0};
  size_t n = json_array_size(arr);
  if (n == 0)
    return out;
  out.v = kb_arena_alloc(&r->arena, n * sizeof *out.v);
  if (out.v == NULL) {
    *ok = false;
    return out;
  }
  for (size_t i = 0; i < n; i++) {
    const char *s = json_string_value(json_array_get(arr, i));
    if (s && (out.v[out.n] = kb_arena_strdup(&r->arena, s)) != NULL)
      out.n++;
  }
  return out;
}

kb_status kb_record_decode(const kb_schema *s, const char *data, size_t len,
                           bool body, kb_record **ret, char **reterr_msg) {
  size_t hlen = strnlen(data, len);
  json_t *j = json_loadb(data, hlen, 0, NULL);
  if (j == NULL || !json_is_object(j)) {
    json_decref(j);
    return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                   "a stored record is not readable; rebuild the index");
  }
  kb_arena arena;
  kb_arena_init(&arena, 0);
  kb_record *r = kb_arena_alloc(&arena, sizeof *r);
  if (r == NULL) {
    json_decref(j);
    kb_arena_release(&arena);
    return KB_ERR_NOMEM;
  }
  *r = (kb_record){.arena = arena};
  bool ok = true;
  r->id = str(r, j, "id", &ok);
  r->kind = str(r, j, "kind", &ok);
  r->title = str(r, j, "title", &ok);
  r->summary = str(r, j, "summary", &ok);
  r->updated = str(r, j, "updated", &ok);
  r->hash = str(r, j, "hash", &ok);
  r->sources = vals(r, json_object_get(j, "sources"), &ok);
  r->related = vals(r, json_object_get(j, "related"), &ok);
  r->links = vals(r, json_object_get(j, "links"), &ok);
  r->laws = vals(r, json_object_get(j, "laws"), &ok);
  json_t *fields = json_object_get(j, "fields");
  for (size_t f = 0; s && f < s->nfields; f++)
    r->values[f] = vals(r, json_object_get(fields, s->fields[f].name), &ok);
  const char *md = json_string_value(json_object_get(j, "markdown"));
  r->markdown = kb_arena_strdup(&r->arena, md ? md : "");
  ok &= r->markdown != NULL;
  r->text = r->html = "";
  if (body && hlen < len) {
    const char *text = data + hlen + 1;
    size_t tlen = strnlen(text, len - hlen - 1);
    r->text = kb_arena_strndup(&r->arena, text, tlen);
    if (hlen + 1 + tlen < len)
      r->html =
          kb_arena_strndup(&r->arena, text + tlen + 1, len - hlen - 2 - tlen);
    ok &= r->text != NULL && r->html != NULL;
  }
  json_decref(j);
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
  size_t hlen = strnlen(data, len);
  if (hlen + 1 >= len) {
    *ret_len = 0;
    return "";
  }
  const char *text = data + hlen + 1;
  size_t tlen = strnlen(text, len - hlen - 1);
  if (hlen + 1 + tlen == len) { /* not NUL-terminated: no HTML follows */
    *ret_len = 0;
    return "";
  }
  *ret_len = tlen;
  return text;
}

const char *kb_record_value(const kb_record *r, size_t field) {
  return field < KB_SCHEMA_MAX_FIELDS && r->values[field].n
             ? r->values[field].v[0]
             : NULL;
}

void kb_record_url(const char *kind, const char *id, char *buf, size_t cap) {
  snprintf(buf, cap, "/%s/%s", kind, id);
}

static json_t *texts(const kb_rvals *v) {
  json_t *arr = json_array();
  for (size_t i = 0; i < v->n; i++)
    json_array_append_new(arr, json_string(v->v[i]));
  return arr;
}

/* One declared field in its API form. */
static void api_field(json_t *o, const kb_record *r, const kb_vocab *v,
                      const kb_sfield *sf, size_t f) {
  const kb_rvals *vals = &r->values[f];
  if (sf->type == KB_FT_ENUM && sf->list) {
    json_t *arr = json_array();
    for (size_t i = 0; i < vals->n; i++)
      json_array_append_new(
          arr, json_pack("{s:s, s:s}", "value", vals->v[i], "label",
                         kb_vocab_value_label(v, f, vals->v[i])));
    json_object_set_new(o, sf->name, arr);
  } else if (sf->list) {
    json_object_set_new(o, sf->name, texts(vals));
  } else if (vals->n == 0) {
    json_object_set_new(o, sf->name, json_null());
  } else {
    json_object_set_new(o, sf->name, json_string(vals->v[0]));
    if (sf->type == KB_FT_ENUM) {
      char key[64];
      snprintf(key, sizeof key, "%s_label", sf->name);
      json_object_set_new(o, key,
                          json_string(kb_vocab_value_label(v, f, vals->v[0])));
    }
  }
}

json_t *kbi_record_json(const kb_record *r, const kb_vocab *v, bool body) {
  const kb_schema *s = v ? v->schema : NULL;
  const kb_skind *k = s ? kb_schema_kind(s, r->kind) : NULL;
  char url[256];
  kb_record_url(r->kind, r->id, url, sizeof url);
  json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", r->id,
                        "kind", r->kind, "kind_label", k ? k->label : r->kind,
                        "url", url, "title", r->title, "summary", r->summary,
                        "updated", r->updated);
  for (size_t i = 0; o && k && i < k->nfields; i++) {
    size_t f = k->fields[i].field;
    api_field(o, r, v, &s->fields[f], f);
  }
  if (o) {
    json_object_set_new(o, "laws", texts(&r->laws));
    json_object_set_new(o, "sources", texts(&r->sources));
    json_object_set_new(o, "related", texts(&r->related));
    if (body)
      json_object_set_new(o, "body_html", json_string(r->html));
  }
  return o;
}

char *kb_record_api_json(const kb_record *r, const kb_vocab *v, bool body) {
  json_t *o = kbi_record_json(r, v, body);
  char *out = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  return out;
}

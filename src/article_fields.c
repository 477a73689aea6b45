/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * article_fields.c - the front matter of a record, read and checked
 * against the corpus schema (kb_schema.h) and vocabulary: the envelope
 * fields every record has, then each declared field by its type.  Knows
 * field types, never particular fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article_internal.h"
#include "kb_article.h"
#include "kb_buf.h"
#include "kb_cite.h"
#include "kb_filenumber.h"
#include "kb_yaml.h"

static const char *const field_keys[KB_FIELD_COUNT] = {
#define KB_FIELD_KEY(e, key, req) key,
    KB_FIELD_TABLE(KB_FIELD_KEY)
#undef KB_FIELD_KEY
};
static const int field_required[KB_FIELD_COUNT] = {
#define KB_FIELD_REQ(e, key, req) req,
    KB_FIELD_TABLE(KB_FIELD_REQ)
#undef KB_FIELD_REQ
};

/* Item lines: envelope field f at f, declared field i at KB_FIELD_COUNT+i. */
#define NSLOTS (KB_FIELD_COUNT + KB_SCHEMA_MAX_FIELDS)

typedef struct ctx {
  const char *path;
  kb_diags *diags;
  const kb_vocab *vocab;
  const kb_schema *schema;
  size_t errors;
  /* The line of each list entry, so a bad entry in a block list is
   * reported where it stands. */
  unsigned item_line[NSLOTS][KB_LIST_MAX_ITEMS];
  /* Declared fields already reported as malformed: no second error that
   * they are empty. */
  bool malformed[KB_SCHEMA_MAX_FIELDS];
} ctx;

#define ERR(c, line, code, ...)                                                \
  do {                                                                         \
    kb_diags_add((c)->diags, KB_SEV_ERROR, (c)->path, (line), (code),          \
                 __VA_ARGS__);                                                 \
    (c)->errors++;                                                             \
  } while (0)
#define WARN(c, line, code, ...)                                               \
  kb_diags_add((c)->diags, KB_SEV_WARNING, (c)->path, (line), (code),          \
               __VA_ARGS__)

static size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static char *scalar(ctx *c, const kb_ynode *v, const char *key) {
  if (v->type != KB_Y_SCALAR) {
    ERR(c, v->line, "field-type", "'%s' must be a single value, not a list",
        key);
    return NULL;
  }
  /* Trim surrounding blanks; YAML plain scalars are trimmed already. */
  const char *s = v->value;
  size_t n = v->len;
  while (n && (*s == ' ' || *s == '\t'))
    s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (n == 0) {
    ERR(c, v->line, "empty-field", "'%s' is empty", key);
    return NULL;
  }
  char *out = strndup(s, n);
  if (out == NULL)
    ERR(c, v->line, "nomem", "out of memory");
  return out;
}

/* A list field: a YAML sequence of scalars (a single scalar is accepted
 * as a one-element list, as people write `audience: arbeitgeber`). */
static void list(ctx *c, const kb_ynode *v, size_t slot, const char *key,
                 kb_strv *out) {
  if (v->type == KB_Y_SCALAR) {
    if (v->len && kb_strv_push(out, v->value) != KB_OK)
      ERR(c, v->line, "nomem", "out of memory");
    else if (v->len)
      c->item_line[slot][0] = v->line;
    return;
  }
  if (v->type != KB_Y_SEQ) {
    ERR(c, v->line, "field-type", "'%s' must be a list like [a, b]", key);
    return;
  }
  if (v->n > KB_LIST_MAX_ITEMS) {
    ERR(c, v->line, "limit",
        "'%s' has %zu entries; at most %d are allowed (limit 'list entries')",
        key, v->n, KB_LIST_MAX_ITEMS);
    return;
  }
  for (size_t i = 0; i < v->n; i++) {
    const kb_ynode *it = v->items[i];
    if (it->type != KB_Y_SCALAR || it->len == 0) {
      ERR(c, it->line, "field-type", "each entry of '%s' must be text", key);
      continue;
    }
    if (kb_strv_contains(out, it->value)) {
      ERR(c, it->line, "duplicate-entry", "'%s' lists '%s' twice", key,
          it->value);
      continue;
    }
    if (kb_strv_push(out, it->value) != KB_OK)
      ERR(c, it->line, "nomem", "out of memory");
    else
      c->item_line[slot][out->n - 1] = it->line;
  }
}

/* Where entry `i` of the field in `slot` stands (`line` if unknown). */
static unsigned entry_line(const ctx *c, size_t slot, size_t i, unsigned line) {
  return i < KB_LIST_MAX_ITEMS && c->item_line[slot][i] ? c->item_line[slot][i]
                                                        : line;
}

/* A date: "YYYY-MM-DD" that exists. */
static bool date_ok(ctx *c, unsigned line, const char *key, const char *d,
                    char ret_compact[9]) {
  char compact[9];
  if (!kb_date_parse(d, compact)) {
    ERR(c, line, "bad-date", "'%s' must be a real date as YYYY-MM-DD, not '%s'",
        key, d);
    return false;
  }
  if (ret_compact)
    memcpy(ret_compact, compact, 9);
  return true;
}

static void envelope_field(ctx *c, kb_article *a, kb_field f,
                           const kb_ynode *v) {
  switch (f) {
  case KB_FIELD_ID:
    a->id = scalar(c, v, "id");
    break;
  case KB_FIELD_KIND:
    break; /* read before all others */
  case KB_FIELD_TITLE:
    a->title = scalar(c, v, "title");
    break;
  case KB_FIELD_SUMMARY:
    a->summary = scalar(c, v, "summary");
    break;
  case KB_FIELD_UPDATED: {
    char *d = scalar(c, v, "updated");
    if (d && date_ok(c, v->line, "updated", d, a->updated_compact))
      memcpy(a->updated, d, 11);
    free(d);
    break;
  }
  case KB_FIELD_SOURCES:
    list(c, v, f, "sources", &a->sources);
    break;
  case KB_FIELD_RELATED:
    list(c, v, f, "related", &a->related);
    break;
  case KB_FIELD_COUNT:
    break;
  }
}

/* "id, title, ..., type, audience" for the unknown-field message. */
static void allowed(const kb_article *a, kb_buf *b) {
  for (int f = 0; f < KB_FIELD_COUNT; f++)
    kb_buf_addf(b, "%s%s", f ? ", " : "", field_keys[f]);
  for (size_t i = 0; a->kind && i < a->kind->nfields; i++)
    kb_buf_addf(b, ", %s", a->schema->fields[a->kind->fields[i].field].name);
}

static void unknown_field(ctx *c, const kb_article *a, const kb_ynode *k) {
  const char *cands[KB_FIELD_COUNT + KB_SCHEMA_MAX_FIELDS];
  size_t n = 0;
  for (int f = 0; f < KB_FIELD_COUNT; f++)
    cands[n++] = field_keys[f];
  for (size_t i = 0; a->kind && i < a->kind->nfields; i++)
    cands[n++] = a->schema->fields[a->kind->fields[i].field].name;
  size_t other =
      c->schema ? kb_schema_field(c->schema, k->value) : KB_SCHEMA_NONE;
  const char *hint = kb_closest(k->value, cands, n, 2);
  if (other < c->schema->nfields) {
    ERR(c, k->line, "unknown-field", "'%s' is not a field of kind '%s'",
        k->value, a->kind->name);
  } else if (hint) {
    ERR(c, k->line, "unknown-field", "unknown field '%s' (did you mean '%s'?)",
        k->value, hint);
  } else {
    kb_buf b = KB_BUF_INIT(2048);
    allowed(a, &b);
    ERR(c, k->line, "unknown-field", "unknown field '%s' (allowed: %s)",
        k->value, kb_buf_str(&b));
    kb_buf_release(&b);
  }
}

/* The kind named by `kind:` (or the schema's first kind). */
static bool find_kind(ctx *c, kb_article *a, const kb_ynode *root) {
  a->schema = c->schema;
  if (c->schema == NULL) {
    ERR(c, 1, "schema", "no schema: the corpus needs a schema.yaml");
    return false;
  }
  const kb_ynode *k = kb_ymap_get(root, "kind");
  if (k == NULL) {
    a->kind = &c->schema->kinds[0];
    return true;
  }
  a->line[KB_FIELD_KIND] = k->line;
  char *name = scalar(c, k, "kind");
  a->kind = name ? kb_schema_kind(c->schema, name) : NULL;
  if (name && a->kind == NULL) {
    const char *cands[KB_SCHEMA_MAX_KINDS];
    for (size_t i = 0; i < c->schema->nkinds; i++)
      cands[i] = c->schema->kinds[i].name;
    const char *hint = kb_closest(name, cands, c->schema->nkinds, 2);
    ERR(c, k->line, "unknown-kind",
        "unknown kind '%s' (%s%s%s; kinds are declared in schema.yaml)", name,
        hint ? "did you mean '" : "see schema.yaml", hint ? hint : "",
        hint ? "'?" : "");
  }
  free(name);
  return a->kind != NULL;
}

static void fields(ctx *c, kb_article *a, const kb_ynode *root) {
  for (size_t i = 0; i + 1 < root->n; i += 2) {
    const kb_ynode *k = root->items[i], *v = root->items[i + 1];
    int f = -1;
    for (int j = 0; j < KB_FIELD_COUNT; j++)
      if (strcmp(k->value, field_keys[j]) == 0)
        f = j;
    if (f >= 0) {
      a->line[f] = k->line;
      envelope_field(c, a, (kb_field)f, v);
      continue;
    }
    size_t d = kb_schema_field(c->schema, k->value);
    if (d >= c->schema->nfields || kb_skind_field(a->kind, d) == NULL) {
      unknown_field(c, a, k);
      continue;
    }
    a->vline[d] = k->line;
    const kb_sfield *sf = &c->schema->fields[d];
    size_t before = c->errors;
    if (sf->list) {
      list(c, v, KB_FIELD_COUNT + d, sf->name, &a->values[d]);
    } else {
      char *one = scalar(c, v, sf->name);
      if (one && kb_strv_push(&a->values[d], one) != KB_OK)
        ERR(c, v->line, "nomem", "out of memory");
      c->item_line[KB_FIELD_COUNT + d][0] = v->line;
      free(one);
    }
    c->malformed[d] = c->errors > before;
  }
  for (int f = 0; f < KB_FIELD_COUNT; f++)
    if (field_required[f] && a->line[f] == 0)
      ERR(c, 2, "missing-field", "missing required field '%s'", field_keys[f]);
}

/* ---- checks by type ------------------------------------------------------ */

static void check_enum(ctx *c, const kb_sfield *sf, size_t d, const char *v,
                       unsigned line) {
  (void)d;
  if (kb_vocab_label(c->vocab, sf->vocab, v))
    return;
  const char *hint = kb_vocab_suggest(c->vocab, sf->vocab, v);
  if (hint)
    ERR(c, line, "unknown-value", "unknown %s '%s' (did you mean '%s'?)",
        sf->name, v, hint);
  else
    ERR(c, line, "unknown-value",
        "unknown %s '%s' (see the '%s' section of vocab.yaml)", sf->name, v,
        sf->vocab);
}

static void check_norm(ctx *c, const char *v, unsigned line) {
  kb_cite cite[4];
  size_t nc = kb_cite_parse(v, cite, 4);
  char url[512];
  if (nc == 0)
    ERR(c, line, "bad-citation",
        "norm '%s' is not a citation like '\xC2\xA7 167 Abs. 2 SGB IX' or "
        "'Art. 9 DSGVO'",
        v);
  else if (kb_vocab_has_law_map(c->vocab) &&
           !kb_vocab_norm_url(c->vocab, &cite[0], url, sizeof url))
    ERR(c, line, "no-official-text",
        "no official text for the law '%s' of norm '%s'; add its address "
        "to gesetze.yaml",
        cite[0].law, v);
}

static bool url_ok(const char *v) {
  return (strncmp(v, "https://", 8) == 0 || strncmp(v, "http://", 7) == 0) &&
         strchr(v + 7, '.') != NULL && strpbrk(v, " <>\"'") == NULL;
}

static bool phone_ok(const char *v) {
  size_t digits = 0;
  for (const char *p = v; *p; p++) {
    if (*p >= '0' && *p <= '9')
      digits++;
    else if (!strchr("+ /-()", *p))
      return false;
  }
  return digits >= 5 && digits <= 20;
}

/* A court's file number: digits, letters, a '/' and a year, e.g.
 * "2 AZR 716/06", "B 5 R 2/20 R", "C-335/11". */
static bool filenumber_ok(const char *v) {
  kb_strv keys = {0};
  bool ok = strlen(v) <= 60 && kb_filenumber_keys(v, &keys);
  kb_strv_release(&keys);
  return ok;
}

/* A sentence in Leichte Sprache: one short sentence per entry (the
 * Netzwerk Leichte Sprache's rules); a long one is a warning, since only
 * a person can judge whether it reads easily. */
static void check_easy(ctx *c, const kb_sfield *sf, const char *v,
                       unsigned line) {
  size_t words = 0;
  for (const char *p = v; *p; p++)
    if (*p != ' ' && (p == v || p[-1] == ' '))
      words++;
  if (strlen(v) > KB_EASY_SENTENCE_MAX_BYTES)
    ERR(c, line, "too-long",
        "a sentence of '%s' has %zu bytes; at most %d are allowed (limit "
        "'easy sentence'); write one short sentence per entry",
        sf->name, strlen(v), KB_EASY_SENTENCE_MAX_BYTES);
  else if (words > KB_EASY_SENTENCE_WORDS)
    WARN(c, line, "long-sentence",
         "a sentence of '%s' has %zu words; Leichte Sprache keeps to about "
         "%d: split it in two",
         sf->name, words, KB_EASY_SENTENCE_WORDS);
}

static void check_value(ctx *c, kb_article *a, size_t d, size_t i) {
  const kb_sfield *sf = &c->schema->fields[d];
  const char *v = a->values[d].v[i];
  unsigned line = entry_line(c, KB_FIELD_COUNT + d, i, a->vline[d]);
  switch (sf->type) {
  case KB_FT_ENUM:
    check_enum(c, sf, d, v, line);
    break;
  case KB_FT_DATE:
  case KB_FT_EXPIRY:
    date_ok(c, line, sf->name, v, NULL);
    break;
  case KB_FT_URL:
    if (!url_ok(v))
      ERR(c, line, "bad-url",
          "'%s' must be a full web address like https://www.example.org/, "
          "not '%s'",
          sf->name, v);
    break;
  case KB_FT_PHONE:
    if (!phone_ok(v))
      ERR(c, line, "bad-phone",
          "'%s' must be a phone number of digits, '+', '/', '-' and blanks, "
          "not '%s'",
          sf->name, v);
    break;
  case KB_FT_NORM:
    check_norm(c, v, line);
    break;
  case KB_FT_FILENUMBER:
    if (!filenumber_ok(v))
      ERR(c, line, "bad-filenumber",
          "'%s' must be a court's file number like '2 AZR 716/06', "
          "'5 C 16.11' or 'C-335/11', not '%s'",
          sf->name, v);
    break;
  case KB_FT_CASE:
    if (strcmp(v, "erfunden") != 0 && strcmp(v, "real") != 0)
      ERR(c, line, "bad-value",
          "'%s' is 'erfunden' (an invented case) or 'real' (a documented "
          "project or case, with sources), not '%s'",
          sf->name, v);
    else if (strcmp(v, "real") == 0 && a->sources.n == 0)
      ERR(c, line, "missing-sources",
          "a real case or project ('%s: real') must name its 'sources'",
          sf->name);
    break;
  case KB_FT_KEYWORDS:
    if (strlen(v) > KB_KEYWORD_MAX_BYTES)
      ERR(c, line, "too-long",
          "a keyword of '%s' has %zu bytes; at most %d are allowed (limit "
          "'keyword length'); keywords are a few words, not sentences",
          sf->name, strlen(v), KB_KEYWORD_MAX_BYTES);
    break;
  case KB_FT_EASY:
    check_easy(c, sf, v, line);
    break;
  case KB_FT_TEXT:
  case KB_FT_COUNT:
    break;
  }
}

static bool cond_holds(const kb_article *a, const kb_scond *cond) {
  const kb_strv *have = &a->values[cond->field];
  for (size_t i = 0; i < have->n; i++)
    if (kb_strv_contains(&cond->values, have->v[i]))
      return true;
  return false;
}

static void cond_text(const kb_schema *s, const kb_scond *cond, kb_buf *b) {
  kb_buf_addf(b, "%s '", s->fields[cond->field].name);
  for (size_t i = 0; i < cond->values.n; i++)
    kb_buf_addf(b, "%s%s", i ? "' or '" : "", cond->values.v[i]);
  kb_buf_addc(b, '\'');
}

/* Required fields, conditional fields, then every value by its type. */
static void check_kind_fields(ctx *c, kb_article *a) {
  const kb_skind *k = a->kind;
  for (size_t j = 0; j < k->nfields; j++) {
    const kb_skfield *kf = &k->fields[j];
    const kb_sfield *sf = &c->schema->fields[kf->field];
    bool present = a->vline[kf->field] != 0;
    kb_buf why = KB_BUF_INIT(512);
    if (present && kf->has_only_when && !cond_holds(a, &kf->only_when)) {
      cond_text(c->schema, &kf->only_when, &why);
      ERR(c, a->vline[kf->field], "bad-field",
          "'%s' is only for records with %s", sf->name, kb_buf_str(&why));
    } else if (!present && kf->required) {
      ERR(c, 2, "missing-field", "missing required field '%s' (kind '%s')",
          sf->name, k->name);
    } else if (!present && kf->has_required_when &&
               cond_holds(a, &kf->required_when)) {
      cond_text(c->schema, &kf->required_when, &why);
      ERR(c, a->vline[kf->required_when.field], "missing-field",
          "a record with %s must name '%s'", kb_buf_str(&why), sf->name);
    } else if (present && a->values[kf->field].n == 0 && sf->list &&
               kf->required && !c->malformed[kf->field]) {
      ERR(c, a->vline[kf->field], "empty-field",
          "'%s' needs at least one value", sf->name);
    }
    kb_buf_release(&why);
    for (size_t i = 0; c->vocab && i < a->values[kf->field].n; i++)
      check_value(c, a, kf->field, i);
  }
}

/* Warns before the figures of a record expire, and after. */
static void check_expiry(ctx *c, const kb_article *a) {
  for (size_t d = 0; d < c->schema->nfields; d++) {
    const char *v = kb_article_value(a, d);
    char compact[9];
    if (c->schema->fields[d].type != KB_FT_EXPIRY || v == NULL ||
        !kb_date_parse(v, compact))
      continue;
    const char *name = c->schema->fields[d].name;
    unsigned line = a->vline[d];
    if (a->updated[0] && strcmp(v, a->updated) < 0) {
      ERR(c, line, "bad-date",
          "'%s' %s lies before the Stand %s; a record cannot be valid only "
          "until before it was checked",
          name, v, a->updated);
      continue;
    }
    char today[11];
    kb_date_today(today);
    long left = kb_date_diff(today, v);
    if (left < 0)
      WARN(c, line, "expired",
           "the figures were valid until %s (%ld %s ago); check the record, "
           "then set 'updated' and a new '%s'",
           v, -left, -left == 1 ? "day" : "days", name);
    else if (left <= KB_GILT_BIS_WARN_DAYS)
      WARN(c, line, "expires",
           "the figures are valid until %s, %ld %s from now; check what "
           "applies after that date",
           v, left, left == 1 ? "day" : "days");
  }
}

/* Laws, funding rules and addresses change: an old Stand needs a look. */
static void check_stale(ctx *c, const kb_article *a) {
  const kb_skind *k = a->kind;
  if (!a->updated[0] || k->stale_months == 0 ||
      (k->has_stale_when && !cond_holds(a, &k->stale_when)))
    return;
  char today[11];
  kb_date_today(today);
  long days = kb_date_diff(a->updated, today);
  if (days > (long)k->stale_months * 30 + k->stale_months / 2)
    WARN(c, a->line[KB_FIELD_UPDATED], "stale",
         "Stand %s is more than %u months old; check that the facts have "
         "not changed, then update it",
         a->updated, k->stale_months);
}

static void check_envelope(ctx *c, kb_article *a) {
  if (a->id && !kb_article_id_valid(a->id))
    ERR(c, a->line[KB_FIELD_ID], "bad-id",
        "id '%s' must be 3-80 characters of a-z, 0-9 and '-'", a->id);
  if (a->title && utf8_chars(a->title) > KB_TITLE_MAX_CHARS)
    ERR(c, a->line[KB_FIELD_TITLE], "too-long",
        "title has %zu characters; at most %d are allowed (limit 'title "
        "length')",
        utf8_chars(a->title), KB_TITLE_MAX_CHARS);
  if (a->summary && utf8_chars(a->summary) > KB_SUMMARY_MAX_CHARS)
    ERR(c, a->line[KB_FIELD_SUMMARY], "too-long",
        "summary has %zu characters; at most %d are allowed (limit "
        "'summary length')",
        utf8_chars(a->summary), KB_SUMMARY_MAX_CHARS);
  for (size_t i = 0; i < a->related.n; i++)
    if (!kb_article_id_valid(a->related.v[i]))
      ERR(c, entry_line(c, KB_FIELD_RELATED, i, a->line[KB_FIELD_RELATED]),
          "bad-id", "related entry '%s' is not a record id", a->related.v[i]);
  if (a->updated[0]) {
    char today[11];
    kb_date_today(today);
    if (strcmp(a->updated, today) > 0)
      ERR(c, a->line[KB_FIELD_UPDATED], "future-date",
          "'updated' %s lies in the future (today is %s)", a->updated, today);
  }
}

size_t kbi_article_fields(const char *path, kb_diags *diags,
                          const kb_vocab *vocab, kb_article *a,
                          const kb_ynode *root) {
  ctx *c = calloc(1, sizeof *c);
  if (c == NULL) {
    kb_diags_add(diags, KB_SEV_ERROR, path, 0, "nomem", "out of memory");
    return 1;
  }
  *c = (ctx){.path = path,
             .diags = diags,
             .vocab = vocab,
             .schema = vocab ? vocab->schema : NULL};
  if (root == NULL || root->type != KB_Y_MAP) {
    ERR(c, root ? root->line : 2, "front-matter",
        "front matter must be a mapping of fields like 'id: ...'");
  } else if (find_kind(c, a, root)) {
    fields(c, a, root);
    check_envelope(c, a);
    check_kind_fields(c, a);
    check_expiry(c, a);
    check_stale(c, a);
  }
  size_t errors = c->errors;
  free(c);
  return errors;
}

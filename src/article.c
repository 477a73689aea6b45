/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * article.c - parsing and validating one article (see kb_article.h).
 */
#include "kb_article.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "article_internal.h"
#include "kb_cite.h"
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

static const kb_ylimits front_limits = {
    .max_depth = 3, .max_nodes = 2000, .max_scalar = 4096};

void kb_article_free(kb_article *a) {
  if (a == NULL)
    return;
  free(a->path);
  free(a->id);
  free(a->title);
  free(a->type);
  free(a->summary);
  free(a->fall);
  kb_strv_release(&a->audience);
  kb_strv_release(&a->disabilities);
  kb_strv_release(&a->topics);
  kb_strv_release(&a->norms);
  kb_strv_release(&a->sources);
  kb_strv_release(&a->related);
  free(a->body);
  free(a);
}

bool kb_article_id_valid(const char *id) {
  size_t n = strlen(id);
  if (n < 3 || n > 80)
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = id[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return false;
  }
  return true;
}

/* Number of Unicode code points in valid UTF-8. */
static size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* Finds the end of the line starting at i; returns the index of the next
 * line's start. */
static size_t next_line(const char *t, size_t len, size_t i) {
  while (i < len && t[i] != '\n')
    i++;
  return i < len ? i + 1 : len;
}

static bool is_fence(const char *t, size_t len, size_t i) {
  size_t e = next_line(t, len, i);
  size_t n = e - i;
  while (n > 0 && (t[i + n - 1] == '\n' || t[i + n - 1] == '\r' ||
                   t[i + n - 1] == ' ' || t[i + n - 1] == '\t'))
    n--;
  return (n == 3 && memcmp(t + i, "---", 3) == 0) ||
         (n == 3 && memcmp(t + i, "...", 3) == 0);
}

typedef struct ctx {
  const char *path;
  kb_diags *diags;
  const kb_vocab *vocab;
  size_t errors;
  bool audience_shape_error; /* reported once, not again as "empty" */
  /* The line of each list entry, so a bad entry in a block list is
   * reported where it stands. */
  unsigned item_line[KB_FIELD_COUNT][KB_LIST_MAX_ITEMS];
} ctx;

#define ERR(c, line, code, ...)                                                \
  do {                                                                         \
    kb_diags_add((c)->diags, KB_SEV_ERROR, (c)->path, (line), (code),          \
                 __VA_ARGS__);                                                 \
    (c)->errors++;                                                             \
  } while (0)

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
static void list(ctx *c, const kb_ynode *v, kb_field f, kb_strv *out) {
  const char *key = field_keys[f];
  if (v->type == KB_Y_SCALAR) {
    if (v->len && kb_strv_push(out, v->value) != KB_OK)
      ERR(c, v->line, "nomem", "out of memory");
    else if (v->len)
      c->item_line[f][0] = v->line;
    return;
  }
  if (v->type != KB_Y_SEQ) {
    ERR(c, v->line, "field-type", "'%s' must be a list like [a, b]", key);
    return;
  }
  if (v->n > KB_LIST_MAX_ITEMS) {
    ERR(c, v->line, "limit", "'%s' has %zu entries; at most %d are allowed",
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
      c->item_line[f][out->n - 1] = it->line;
  }
}

/* Where entry `i` of list field `f` stands (the field's line if unknown). */
static unsigned entry_line(const ctx *c, const kb_article *a, kb_field f,
                           size_t i) {
  return i < KB_LIST_MAX_ITEMS && c->item_line[f][i] ? c->item_line[f][i]
                                                     : a->line[f];
}

static void check_vocab(ctx *c, const kb_article *a, kb_facet f, kb_field field,
                        const kb_strv *vals, const char *key) {
  if (c->vocab == NULL)
    return;
  for (size_t i = 0; i < vals->n; i++) {
    unsigned line = entry_line(c, a, field, i);
    if (kb_vocab_label(c->vocab, f, vals->v[i]))
      continue;
    const char *hint = kb_vocab_suggest(c->vocab, f, vals->v[i]);
    if (hint)
      ERR(c, line, "unknown-value", "unknown %s '%s' (did you mean '%s'?)", key,
          vals->v[i], hint);
    else
      ERR(c, line, "unknown-value",
          "unknown %s '%s' (see the '%s' section of vocab.yaml)", key,
          vals->v[i], kb_facet_name(f));
  }
}

/* "id, title, ..." from the field table, for the unknown-field message. */
static const char allowed_fields[] =
#define KB_FIELD_LIST(e, key, req) ", " key
    KB_FIELD_TABLE(KB_FIELD_LIST)
#undef KB_FIELD_LIST
    ;

/* A date field: "YYYY-MM-DD" that exists, copied to ret_iso. */
static bool date_field(ctx *c, const kb_ynode *v, const char *key,
                       char ret_iso[11], char ret_compact[9]) {
  char *d = scalar(c, v, key);
  char compact[9];
  bool ok = d && kb_date_parse(d, compact);
  if (d && !ok)
    ERR(c, v->line, "bad-date",
        "'%s' must be a real date as YYYY-MM-DD, not '%s'", key, d);
  if (ok) {
    memcpy(ret_iso, d, 11);
    if (ret_compact)
      memcpy(ret_compact, compact, 9);
  }
  free(d);
  return ok;
}

static void fields(ctx *c, kb_article *a, const kb_ynode *root,
                   unsigned fm_line) {
  if (root == NULL || root->type != KB_Y_MAP) {
    ERR(c, root ? root->line : fm_line, "front-matter",
        "front matter must be a mapping of fields like 'id: ...'");
    return;
  }
  for (size_t i = 0; i + 1 < root->n; i += 2) {
    const kb_ynode *k = root->items[i], *v = root->items[i + 1];
    int f = -1;
    for (int j = 0; j < KB_FIELD_COUNT; j++)
      if (strcmp(k->value, field_keys[j]) == 0)
        f = j;
    if (f < 0) {
      const char *hint = kb_closest(k->value, field_keys, KB_FIELD_COUNT, 2);
      if (hint)
        ERR(c, k->line, "unknown-field",
            "unknown field '%s' (did you mean '%s'?)", k->value, hint);
      else
        ERR(c, k->line, "unknown-field", "unknown field '%s' (allowed: %s)",
            k->value, allowed_fields + 2);
      continue;
    }
    a->line[f] = k->line;
    switch ((kb_field)f) {
    case KB_FIELD_ID:
      a->id = scalar(c, v, "id");
      break;
    case KB_FIELD_TITLE:
      a->title = scalar(c, v, "title");
      break;
    case KB_FIELD_TYPE:
      a->type = scalar(c, v, "type");
      break;
    case KB_FIELD_SUMMARY:
      a->summary = scalar(c, v, "summary");
      break;
    case KB_FIELD_UPDATED:
      date_field(c, v, "updated", a->updated, a->updated_compact);
      break;
    case KB_FIELD_GILT_BIS:
      date_field(c, v, "gilt_bis", a->gilt_bis, NULL);
      break;
    case KB_FIELD_FALL:
      a->fall = scalar(c, v, "fall");
      if (a->fall && strcmp(a->fall, "erfunden") != 0 &&
          strcmp(a->fall, "real") != 0)
        ERR(c, v->line, "bad-value",
            "'fall' is 'erfunden' (an invented case) or 'real' (a documented "
            "project or case, with sources), not '%s'",
            a->fall);
      break;
    case KB_FIELD_AUDIENCE: {
      size_t before = c->errors;
      list(c, v, KB_FIELD_AUDIENCE, &a->audience);
      c->audience_shape_error = c->errors > before;
      break;
    }
    case KB_FIELD_DISABILITIES:
      list(c, v, KB_FIELD_DISABILITIES, &a->disabilities);
      break;
    case KB_FIELD_TOPICS:
      list(c, v, KB_FIELD_TOPICS, &a->topics);
      break;
    case KB_FIELD_NORMS:
      list(c, v, KB_FIELD_NORMS, &a->norms);
      break;
    case KB_FIELD_SOURCES:
      list(c, v, KB_FIELD_SOURCES, &a->sources);
      break;
    case KB_FIELD_RELATED:
      list(c, v, KB_FIELD_RELATED, &a->related);
      break;
    case KB_FIELD_COUNT:
      break;
    }
  }
  for (int f = 0; f < KB_FIELD_COUNT; f++)
    if (field_required[f] && a->line[f] == 0)
      ERR(c, fm_line, "missing-field", "missing required field '%s'",
          field_keys[f]);
}

/* Warns before the figures of an article expire, and after. */
static void check_gilt_bis(ctx *c, const kb_article *a) {
  if (!a->gilt_bis[0])
    return;
  unsigned line = a->line[KB_FIELD_GILT_BIS];
  if (a->updated[0] && strcmp(a->gilt_bis, a->updated) < 0) {
    ERR(c, line, "bad-date",
        "'gilt_bis' %s lies before the Stand %s; an article cannot be valid "
        "only until before it was checked",
        a->gilt_bis, a->updated);
    return;
  }
  char today[11];
  kb_date_today(today);
  long left = kb_date_diff(today, a->gilt_bis);
  if (left < 0)
    kb_diags_add(c->diags, KB_SEV_WARNING, c->path, line, "expired",
                 "the figures were valid until %s (%ld %s ago); check the "
                 "article, then set 'updated' and a new 'gilt_bis'",
                 a->gilt_bis, -left, -left == 1 ? "day" : "days");
  else if (left <= KB_GILT_BIS_WARN_DAYS)
    kb_diags_add(c->diags, KB_SEV_WARNING, c->path, line, "expires",
                 "the figures are valid until %s, %ld %s from now; check "
                 "what applies after that date",
                 a->gilt_bis, left, left == 1 ? "day" : "days");
}

/* Praxis articles: an invented case says so; a real one names sources. */
static void check_case(ctx *c, const kb_article *a) {
  bool praxis = a->type && strcmp(a->type, "praxis") == 0;
  if (!praxis) {
    if (a->fall)
      ERR(c, a->line[KB_FIELD_FALL], "bad-field",
          "'fall' is only for articles of type 'praxis'");
    return;
  }
  if (a->fall && strcmp(a->fall, "real") == 0 && a->sources.n == 0)
    ERR(c, a->line[KB_FIELD_FALL], "missing-sources",
        "a real case or project ('fall: real') must name its 'sources'");
}

static void validate(ctx *c, kb_article *a) {
  if (a->id && !kb_article_id_valid(a->id))
    ERR(c, a->line[KB_FIELD_ID], "bad-id",
        "id '%s' must be 3-80 characters of a-z, 0-9 and '-'", a->id);
  if (a->title && utf8_chars(a->title) > KB_TITLE_MAX_CHARS)
    ERR(c, a->line[KB_FIELD_TITLE], "too-long",
        "title has %zu characters; at most %d are allowed",
        utf8_chars(a->title), KB_TITLE_MAX_CHARS);
  if (a->summary && utf8_chars(a->summary) > KB_SUMMARY_MAX_CHARS)
    ERR(c, a->line[KB_FIELD_SUMMARY], "too-long",
        "summary has %zu characters; at most %d are allowed",
        utf8_chars(a->summary), KB_SUMMARY_MAX_CHARS);
  if (a->type && c->vocab &&
      !kb_vocab_label(c->vocab, KB_FACET_TYPE, a->type)) {
    kb_strv one = {.v = &a->type, .n = 1};
    check_vocab(c, a, KB_FACET_TYPE, KB_FIELD_TYPE, &one, "type");
  }
  if (a->line[KB_FIELD_AUDIENCE] && a->audience.n == 0 &&
      !c->audience_shape_error)
    ERR(c, a->line[KB_FIELD_AUDIENCE], "empty-field",
        "'audience' needs at least one of the vocabulary's audiences");
  check_vocab(c, a, KB_FACET_AUDIENCE, KB_FIELD_AUDIENCE, &a->audience,
              "audience");
  check_vocab(c, a, KB_FACET_DISABILITY, KB_FIELD_DISABILITIES,
              &a->disabilities, "disability");
  for (size_t i = 0; i < a->norms.n; i++) {
    kb_cite cite[4];
    size_t nc = kb_cite_parse(a->norms.v[i], cite, 4);
    char url[512];
    if (nc == 0)
      ERR(c, entry_line(c, a, KB_FIELD_NORMS, i), "bad-citation",
          "norm '%s' is not a citation like '\xC2\xA7 167 Abs. 2 SGB IX' or "
          "'Art. 9 DSGVO'",
          a->norms.v[i]);
    else if (kb_vocab_has_law_map(c->vocab) &&
             !kb_vocab_norm_url(c->vocab, &cite[0], url, sizeof url))
      ERR(c, entry_line(c, a, KB_FIELD_NORMS, i), "no-official-text",
          "no official text for the law '%s' of norm '%s'; add its address "
          "to gesetze.yaml",
          cite[0].law, a->norms.v[i]);
  }
  for (size_t i = 0; i < a->related.n; i++)
    if (!kb_article_id_valid(a->related.v[i]))
      ERR(c, entry_line(c, a, KB_FIELD_RELATED, i), "bad-id",
          "related entry '%s' is not an article id", a->related.v[i]);
  if (a->type && strcmp(a->type, "recht") == 0 && a->norms.n == 0)
    ERR(c, a->line[KB_FIELD_TYPE], "missing-norms",
        "an article of type 'recht' must name its legal basis in 'norms'");
  if (a->updated[0]) {
    char today[11], year_ago[11];
    kb_date_today(today);
    if (strcmp(a->updated, today) > 0)
      ERR(c, a->line[KB_FIELD_UPDATED], "future-date",
          "'updated' %s lies in the future (today is %s)", a->updated, today);
    /* Laws and funding rules change: a year-old Stand needs a look. */
    memcpy(year_ago, today, sizeof year_ago);
    year_ago[3] = (char)(year_ago[3] - 1);
    for (int k = 3; k > 0 && year_ago[k] < '0'; k--) {
      year_ago[k] = '9';
      year_ago[k - 1] = (char)(year_ago[k - 1] - 1);
    }
    if (a->type && strcmp(a->updated, year_ago) < 0 &&
        (strcmp(a->type, "recht") == 0 || strcmp(a->type, "foerderung") == 0))
      kb_diags_add(c->diags, KB_SEV_WARNING, c->path, a->line[KB_FIELD_UPDATED],
                   "stale",
                   "Stand %s is more than 12 months old; check that "
                   "the law or funding rule has not changed, then update it",
                   a->updated);
  }
  check_gilt_bis(c, a);
  check_case(c, a);
}

/* A 64-bit content hash, eight bytes per step (byte-wise FNV-1a was 80 %
 * of parsing time).  Not cryptographic: it only answers "did this file
 * change?", where 2^-64 collisions do not matter. */
static uint64_t content_hash(const char *s, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  uint64_t w = 0;
  memcpy(&w, s + i, n - i);
  h = (h ^ w) * 0x94D049BB133111EBull;
  return h ^ (h >> 29);
}

kb_status kb_article_parse(const char *path, const char *text, size_t len,
                           const kb_vocab *vocab, kb_article **ret_article,
                           kb_diags *diags) {
  ctx c = {.path = path, .diags = diags, .vocab = vocab};
  if (len > KB_ARTICLE_MAX_BYTES) {
    ERR(&c, 0, "too-large", "file has %zu bytes; at most %u are allowed", len,
        KB_ARTICLE_MAX_BYTES);
    return KB_ERR_PARSE;
  }
  if (!kb_utf8_valid(text, len)) {
    ERR(&c, 0, "encoding", "file is not valid UTF-8 text");
    return KB_ERR_PARSE;
  }
  size_t start = 0;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
    start = 3; /* a byte-order mark from some editors */
  if (!is_fence(text, len, start) || text[start] != '-') {
    ERR(&c, 1, "front-matter",
        "file must start with a '---' line opening the front matter");
    return KB_ERR_PARSE;
  }
  size_t fm = next_line(text, len, start), i = fm;
  unsigned line = 2;
  while (i < len && !is_fence(text, len, i)) {
    i = next_line(text, len, i);
    line++;
  }
  if (i >= len) {
    ERR(&c, 1, "front-matter", "front matter is not closed by a '---' line");
    return KB_ERR_PARSE;
  }
  if (i - fm > KB_FRONT_MATTER_MAX_BYTES) {
    ERR(&c, 2, "too-large", "front matter is larger than %u bytes",
        KB_FRONT_MATTER_MAX_BYTES);
    return KB_ERR_PARSE;
  }
  /* Line numbers must mean what an editor shows: libyaml also breaks
   * lines at a lone CR, NEL, LS and PS, which would shift every number
   * given for the front matter.  Such characters there are refused. */
  unsigned l = 2;
  for (size_t k = fm; k < i; k++) {
    const unsigned char *u = (const unsigned char *)text + k;
    bool odd = (u[0] == '\r' && (k + 1 >= len || u[1] != '\n')) ||
               (u[0] == 0xC2 && k + 1 < i && u[1] == 0x85) ||
               (u[0] == 0xE2 && k + 2 < i && u[1] == 0x80 &&
                (u[2] == 0xA8 || u[2] == 0xA9));
    if (odd) {
      ERR(&c, l, "line-break",
          "front matter contains an unusual line break (lone CR, NEL, LS or "
          "PS); save the file with ordinary line endings");
      return KB_ERR_PARSE;
    }
    l += u[0] == '\n';
  }
  size_t body = next_line(text, len, i);
  unsigned body_line = line + 1;

  kb_article *a = calloc(1, sizeof *a);
  if (a == NULL)
    return KB_ERR_NOMEM;
  a->path = strdup(path);
  kb_ynode *root = NULL;
  char *msg = NULL;
  unsigned errline = 0;
  kb_status st =
      kb_yaml_parse(text + fm, i - fm, 2, &front_limits, &root, &errline, &msg);
  if (st != KB_OK) {
    ERR(&c, errline, "yaml", "front matter: %s", msg ? msg : kb_status_str(st));
    free(msg);
  } else {
    fields(&c, a, root, 2);
    kb_ynode_free(root);
    validate(&c, a);
  }

  /* The body: skip blank lines, but count them for line numbers. */
  while (body < len && (text[body] == '\n' || text[body] == '\r')) {
    body++;
    body_line++;
  }
  a->body = strndup(text + body, len - body);
  a->body_len = len - body;
  a->body_line = body_line;
  bool blank = true;
  for (size_t k = body; k < len && blank; k++)
    blank =
        text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r';
  if (blank) /* point at the closing '---': the text belongs below it */
    ERR(&c, line, "empty-body",
        "the article has no text below the front matter");
  else if (a->body)
    c.errors += kb_article_check_body(a, diags);

  if (a->path == NULL || a->body == NULL) {
    kb_article_free(a);
    return KB_ERR_NOMEM;
  }
  if (c.errors) {
    kb_article_free(a);
    return KB_ERR_PARSE;
  }
  a->hash = content_hash(text, len);
  *ret_article = a;
  return KB_OK;
}

void kb_article_each_link(const kb_article *a, kb_link_cb cb, void *cbctx) {
  /* Relative forms ("x.md", "./x") never get here: the body checks refuse
   * them, so a parsed article links other articles only this way. */
  static const char mark[] = "](/artikel/";
  unsigned line = a->body_line;
  const char *counted = a->body;
  for (const char *p = a->body; (p = strstr(p, mark)) != NULL; p += 2) {
    const char *t = p + sizeof mark - 1;
    size_t len = strcspn(t, ")# \n");
    char id[96];
    if (len == 0 || len >= sizeof id)
      continue;
    memcpy(id, t, len);
    id[len] = '\0';
    for (; counted < p; counted++)
      line += *counted == '\n';
    if (!cb(id, line, cbctx))
      return;
  }
}

kb_status kb_article_load(const char *path, const kb_vocab *vocab,
                          kb_article **ret_article, kb_diags *diags) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    kb_diags_add(diags, KB_SEV_ERROR, path, 0, "io", "cannot open: %s",
                 strerror(errno));
    return KB_ERR_IO;
  }
  /* Read exactly the file (one byte more detects growth past the cap):
   * a fixed 512 KiB buffer per file costs an mmap per article. */
  struct stat sb;
  size_t cap = KB_ARTICLE_MAX_BYTES + 1;
  if (fstat(fileno(f), &sb) == 0 && sb.st_size >= 0 &&
      (size_t)sb.st_size < KB_ARTICLE_MAX_BYTES)
    cap = (size_t)sb.st_size + 1;
  char *buf = malloc(cap);
  if (buf == NULL) {
    fclose(f);
    return KB_ERR_NOMEM;
  }
  size_t n = fread(buf, 1, cap, f);
  bool err = ferror(f);
  fclose(f);
  if (err) {
    free(buf);
    kb_diags_add(diags, KB_SEV_ERROR, path, 0, "io", "read error");
    return KB_ERR_IO;
  }
  kb_status st = kb_article_parse(path, buf, n, vocab, ret_article, diags);
  free(buf);
  return st;
}

kb_status kb_article_render(const kb_article *a, char **ret_html,
                            char **ret_text, char **reterr_msg) {
  /* CMARK_OPT_DEFAULT is safe: raw HTML and dangerous URLs are dropped.
   * Never add CMARK_OPT_UNSAFE here. */
  int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SMART;
  cmark_parser *p = kbi_cmark_parser_new(opts);
  if (p == NULL)
    return KB_ERR_NOMEM;
  cmark_parser_feed(p, a->body, a->body_len);
  cmark_node *doc = cmark_parser_finish(p);
  if (doc == NULL) {
    cmark_parser_free(p);
    return kb_fail(KB_ERR_PARSE, reterr_msg, "cannot parse the Markdown body");
  }
  char *html = NULL, *text = NULL;
  if (ret_html)
    html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
  if (ret_text)
    text = cmark_render_plaintext(doc, opts, 0);
  cmark_node_free(doc);
  cmark_parser_free(p);
  if ((ret_html && html == NULL) || (ret_text && text == NULL)) {
    free(html);
    free(text);
    return KB_ERR_NOMEM;
  }
  if (ret_html)
    *ret_html = html;
  if (ret_text)
    *ret_text = text;
  return KB_OK;
}

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
#include "kb_buf.h"
#include "kb_cite.h"
#include "kb_rules.h"
#include "kb_yaml.h"

static const kb_ylimits front_limits = {.max_depth = KB_FRONT_MATTER_MAX_DEPTH,
                                        .max_nodes = KB_FRONT_MATTER_MAX_NODES,
                                        .max_scalar =
                                            KB_FRONT_MATTER_MAX_SCALAR};

void kb_article_free(kb_article *a) {
  if (a == NULL)
    return;
  free(a->path);
  free(a->id);
  free(a->title);
  free(a->summary);
  for (size_t i = 0; i < KB_SCHEMA_MAX_FIELDS; i++)
    kb_strv_release(&a->values[i]);
  kb_strv_release(&a->sources);
  kb_strv_release(&a->related);
  free(a->body);
  free(a->links);
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

/* The error for a file of `size` bytes, past KB_ARTICLE_MAX_BYTES. */
static void too_large(kb_diags *diags, const char *path, size_t size) {
  kb_diags_add(diags, KB_SEV_ERROR, path, 1, "too-large",
               "file has %zu bytes; at most %u are allowed (limit 'file "
               "size'); split it into several articles",
               size, KB_ARTICLE_MAX_BYTES);
}

/* What indexing will store must fit: the body is rendered once here so
 * lint refuses what `teilhabe index` would.  Returns the errors added. */
static size_t check_rendered(const kb_article *a, kb_diags *diags) {
  char *msg = NULL;
  kb_status st = kb_article_render(a, NULL, NULL, &msg);
  if (st == KB_OK || st == KB_ERR_NOMEM) {
    free(msg);
    return 0;
  }
  kb_diags_add(diags, KB_SEV_ERROR, a->path, a->body_line, "too-large", "%s",
               msg ? msg : kb_status_str(st));
  free(msg);
  return 1;
}

kb_status kb_article_parse(const char *path, const char *text, size_t len,
                           const kb_vocab *vocab, kb_article **ret_article,
                           kb_diags *diags) {
  struct {
    size_t errors;
  } c = {0};
#define ERR(c, line, code, ...)                                                \
  do {                                                                         \
    kb_diags_add(diags, KB_SEV_ERROR, path, (line), (code), __VA_ARGS__);      \
    (c)->errors++;                                                             \
  } while (0)
  if (len > KB_ARTICLE_MAX_BYTES) {
    too_large(diags, path, len);
    c.errors++;
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
    ERR(&c, 2, "too-large",
        "front matter has %zu bytes; at most %u are allowed (limit 'front "
        "matter size')",
        i - fm, KB_FRONT_MATTER_MAX_BYTES);
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
    c.errors += kbi_article_fields(path, diags, vocab, a, root);
    kb_ynode_free(root);
  }

  /* The body: skip blank lines, but count them for line numbers. */
  while (body < len && (text[body] == '\n' || text[body] == '\r')) {
    body++;
    body_line++;
  }
  a->body = strndup(text + body, len - body);
  a->body_len = len - body;
  a->body_off = body;
  a->body_line = body_line;
  bool blank = true;
  for (size_t k = body; k < len && blank; k++)
    blank =
        text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r';
  if (blank) /* point at the closing '---': the text belongs below it */
    ERR(&c, line, "empty-body",
        "the article has no text below the front matter");
  else if (a->body) {
    a->rules = vocab ? vocab->rules : NULL;
    c.errors += kb_article_check_body(a, diags);
    c.errors += kb_article_check_rules(a, diags);
  }
  if (c.errors == 0 && a->body)
    c.errors += check_rendered(a, diags);

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
#undef ERR
}

static bool keep_link(const char *kind, const char *id, unsigned line,
                      void *ctx) {
  kb_buf *b = ctx;
  uint32_t l = line;
  kb_buf_add(b, (const char *)&l, sizeof l);
  kb_buf_add(b, kind, strlen(kind) + 1);
  kb_buf_add(b, id, strlen(id) + 1);
  return kb_buf_status(b) == KB_OK;
}

void kb_article_drop_body(kb_article *a) {
  if (a->body == NULL)
    return;
  kb_buf b = KB_BUF_INIT(KB_ARTICLE_MAX_BYTES);
  kb_article_each_link(a, keep_link, &b);
  if (kb_buf_status(&b) != KB_OK) {
    kb_buf_release(&b);
    return; /* the links do not fit: the body stays */
  }
  free(a->links);
  a->links = NULL;
  a->links_len = b.len;
  if (b.len) { /* the buffer becomes the article's, trimmed if it can */
    char *trimmed = realloc(b.data, b.len);
    a->links = trimmed ? trimmed : b.data;
  } else {
    kb_buf_release(&b);
  }
  free(a->body);
  a->body = NULL;
}

kb_status kb_article_with_body(const kb_article *a, kb_article *view,
                               const kb_article **ret_view, char **ret_body,
                               char **reterr_msg) {
  *ret_body = NULL;
  if (a->body != NULL) {
    *ret_view = a;
    return KB_OK;
  }
  const size_t len = a->body_off + a->body_len;
  char *text = malloc(len + 1); /* one byte more sees a grown file */
  if (text == NULL)
    return kb_fail(KB_ERR_NOMEM, reterr_msg, "no memory to read '%s'", a->path);
  FILE *f = fopen(a->path, "rb");
  size_t n = f ? fread(text, 1, len + 1, f) : 0;
  bool ok = f != NULL && !ferror(f);
  if (f)
    fclose(f);
  if (!ok) {
    free(text);
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot read '%s' again: %s", a->path,
                   strerror(errno));
  }
  if (n != len || content_hash(text, len) != a->hash) {
    free(text);
    return kb_fail(KB_ERR_IO, reterr_msg,
                   "'%s' changed after it was checked; run the command again",
                   a->path);
  }
  memmove(text, text + a->body_off, a->body_len);
  text[a->body_len] = '\0';
  *view = *a;
  view->body = text;
  *ret_view = view;
  *ret_body = text;
  return KB_OK;
}

void kb_article_each_link(const kb_article *a, kb_link_cb cb, void *cbctx) {
  if (a->body == NULL) { /* dropped: the links it kept */
    for (size_t i = 0; i + sizeof(uint32_t) < a->links_len;) {
      uint32_t line;
      memcpy(&line, a->links + i, sizeof line);
      const char *kind = a->links + i + sizeof line;
      const char *id = kind + strlen(kind) + 1;
      if (!cb(kind, id, line, cbctx))
        return;
      i = (size_t)(id + strlen(id) + 1 - a->links);
    }
    return;
  }
  /* Relative forms ("x.md", "./x") never get here: the body checks refuse
   * them, so a parsed record links others only as "](/<kind>/<id>)". */
  unsigned line = a->body_line;
  const char *counted = a->body;
  for (const char *p = a->body; a->schema && (p = strstr(p, "](/")) != NULL;
       p += 3) {
    const char *k = p + 3;
    size_t klen = strcspn(k, "/)# \n?");
    if (k[klen] != '/' || klen == 0 || klen >= 40)
      continue;
    char kind[40], id[96];
    memcpy(kind, k, klen);
    kind[klen] = '\0';
    if (kb_schema_kind(a->schema, kind) == NULL)
      continue;
    const char *t = k + klen + 1;
    size_t len = strcspn(t, ")# \n?");
    if (len == 0 || len >= sizeof id)
      continue;
    memcpy(id, t, len);
    id[len] = '\0';
    for (; counted < p; counted++)
      line += *counted == '\n';
    if (!cb(kind, id, line, cbctx))
      return;
  }
}

const char *kb_article_value(const kb_article *a, size_t field) {
  return field < KB_SCHEMA_MAX_FIELDS && a->values[field].n
             ? a->values[field].v[0]
             : NULL;
}

const kb_strv *kb_article_values(const kb_article *a, const char *name) {
  static const kb_strv none = {0};
  size_t f = a->schema ? kb_schema_field(a->schema, name) : KB_SCHEMA_NONE;
  return f < KB_SCHEMA_MAX_FIELDS ? &a->values[f] : &none;
}

const char *kb_article_kind(const kb_article *a) {
  return a->kind ? a->kind->name : "";
}

const char *kb_article_typed(const kb_article *a, kb_ftype t) {
  for (size_t d = 0; a->schema && d < a->schema->nfields; d++)
    if (a->schema->fields[d].type == t && a->values[d].n)
      return a->values[d].v[0];
  return NULL;
}

bool kb_article_invented(const kb_article *a) {
  if (a->kind == NULL)
    return false;
  for (size_t j = 0; j < a->kind->nfields; j++) {
    const kb_skfield *kf = &a->kind->fields[j];
    if (a->schema->fields[kf->field].type != KB_FT_CASE)
      continue;
    bool applies = !kf->has_only_when;
    for (size_t i = 0; kf->has_only_when && i < kf->only_when.values.n; i++)
      applies |= kb_strv_contains(&a->values[kf->only_when.field],
                                  kf->only_when.values.v[i]);
    const char *v = kb_article_value(a, kf->field);
    if (applies && (v == NULL || strcmp(v, "erfunden") == 0))
      return true;
  }
  return false;
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
  bool sb_ok = fstat(fileno(f), &sb) == 0 && sb.st_size >= 0;
  if (sb_ok && (size_t)sb.st_size < KB_ARTICLE_MAX_BYTES)
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
  if (n > KB_ARTICLE_MAX_BYTES) {
    /* Only the cap and one byte were read: say the file's real size. */
    size_t size = sb_ok && (size_t)sb.st_size > n ? (size_t)sb.st_size : n;
    free(buf);
    too_large(diags, path, size);
    return KB_ERR_PARSE;
  }
  kb_status st = kb_article_parse(path, buf, n, vocab, ret_article, diags);
  free(buf);
  return st;
}

kb_status kb_article_render(const kb_article *a, char **ret_html,
                            char **ret_text, char **reterr_msg) {
  /* A dropped body is read with kb_article_with_body first; rendering
   * an empty one would store a record without its text. */
  if (a->body == NULL)
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "the text of '%s' is not in memory", a->path);
  kbi_body_excess e;
  if (!kbi_body_within_limits(a->body, a->body_len, &e))
    return kbi_body_excess_fail(a, &e, reterr_msg);
  /* CMARK_OPT_DEFAULT is safe: raw HTML and dangerous URLs are dropped.
   * Never add CMARK_OPT_UNSAFE here. */
  int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SMART;
  char *expanded = NULL;
  if (a->rules && strstr(a->body, KB_RULE_REF_OPEN)) {
    char today[11];
    kb_date_today(today);
    kb_status xs = kb_rules_expand(a->rules, a->body, a->body_len, today,
                                   &expanded, NULL, reterr_msg);
    if (xs != KB_OK)
      return xs;
  }
  cmark_parser *p = kbi_cmark_parser_new(opts);
  if (p == NULL) {
    free(expanded);
    return KB_ERR_NOMEM;
  }
  cmark_node *doc = expanded ? kbi_cmark_read(p, expanded, strlen(expanded))
                             : kbi_cmark_read(p, a->body, a->body_len);
  free(expanded);
  if (doc == NULL) {
    cmark_parser_free(p);
    return kb_fail(KB_ERR_PARSE, reterr_msg, "cannot parse the Markdown body");
  }
  if (!kbi_tree_within_limits(doc, &e)) {
    cmark_node_free(doc);
    cmark_parser_free(p);
    return kbi_body_excess_fail(a, &e, reterr_msg);
  }
  /* Both are rendered even when one is asked for: their sum is what the
   * stored record holds, and what the limit bounds. */
  char *html =
      cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
  char *text = kbi_plain_text(doc);
  cmark_node_free(doc);
  cmark_parser_free(p);
  kb_status st = KB_OK;
  if (html == NULL || text == NULL) {
    st = KB_ERR_NOMEM;
    goto out;
  }
  size_t size = strlen(html) + strlen(text);
  if (size > KB_RENDERED_MAX_BYTES) {
    st = kb_fail(KB_ERR_LIMIT, reterr_msg,
                 "the body renders to %zu bytes of HTML and text; at most %u "
                 "are allowed (limit 'rendered size'); split the article",
                 size, KB_RENDERED_MAX_BYTES);
    goto out;
  }
  if (ret_html) {
    *ret_html = html;
    html = NULL;
  }
  if (ret_text) {
    *ret_text = text;
    text = NULL;
  }
out:
  free(html);
  free(text);
  return st;
}

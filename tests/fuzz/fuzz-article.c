/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-article.c - kb_article_parse on arbitrary bytes.
 *
 * The input is one article file.  The vocabulary of tests/fixtures/corpus
 * is loaded once, so the vocabulary checks and their "did you mean"
 * hints run too.  Checked promises: the status agrees with the
 * diagnostics (KB_OK with no error, KB_ERR_PARSE with at least one), each
 * diagnostic has a path, code and message, and an article that parsed
 * satisfies what kb_article.h says of its fields.  A parsed article is
 * rendered (HTML and plain text) and its links are walked, as the
 * indexer does.
 *
 * Depends on kb_article, kb_vocab, kb_diag.
 */
#include <string.h>

#include "fuzz.h"
#include "kb_article.h"
#include "kb_diag.h"
#include "kb_vocab.h"

static kb_vocab *vocab;

/* Loads the fixture vocabulary on the first input; it lives until exit
 * (one allocation the leak checker knows as reachable). */
static const kb_vocab *fixture_vocab(void) {
  if (vocab)
    return vocab;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/tests/fixtures/corpus", fuzz_source_root());
  kb_diags d;
  kb_diags_init(&d);
  kb_status st = kb_vocab_load(dir, &vocab, &d);
  if (st != KB_OK) {
    fprintf(stderr, "fuzz-article: cannot load the vocabulary in '%s': %s\n",
            dir, kb_status_str(st));
    for (size_t i = 0; i < d.n; i++)
      fprintf(stderr, "  %s:%u: %s\n", d.items[i].path, d.items[i].line,
              d.items[i].message);
    abort();
  }
  kb_diags_release(&d);
  return vocab;
}

static bool on_link(const char *kind, const char *id, unsigned line,
                    void *ctx) {
  const kb_article *a = ctx;
  FUZZ_CHECK(kind != NULL && kb_schema_kind(a->schema, kind) != NULL);
  FUZZ_CHECK(id != NULL && *id != '\0');
  FUZZ_CHECK(strlen(id) < 96);
  FUZZ_CHECK(line >= a->body_line);
  return true;
}

static void check_diags(const kb_diags *d, const char *path) {
  FUZZ_CHECK(d->n <= d->errors + d->warnings);
  for (size_t i = 0; i < d->n; i++) {
    const kb_diag *g = &d->items[i];
    FUZZ_CHECK(g->path != NULL && strcmp(g->path, path) == 0);
    FUZZ_CHECK(g->code != NULL && *g->code != '\0');
    FUZZ_CHECK(g->message != NULL && *g->message != '\0');
    FUZZ_CHECK(g->severity == KB_SEV_ERROR || g->severity == KB_SEV_WARNING);
  }
}

static void check_article(const kb_article *a, const char *path, size_t size) {
  FUZZ_CHECK(strcmp(a->path, path) == 0);
  FUZZ_CHECK(a->id && kb_article_id_valid(a->id));
  FUZZ_CHECK(a->title && *a->title);
  FUZZ_CHECK(a->schema != NULL && a->kind != NULL);
  FUZZ_CHECK(kb_schema_kind(a->schema, kb_article_kind(a)) == a->kind);
  FUZZ_CHECK(a->summary && *a->summary);
  FUZZ_CHECK(strlen(a->updated) == 10 && strlen(a->updated_compact) == 8);
  FUZZ_CHECK(a->body != NULL && strlen(a->body) == a->body_len);
  FUZZ_CHECK(a->body_len < size);
  FUZZ_CHECK(a->body_line >= 3);
  const kb_strv *lists[] = {&a->sources, &a->related};
  for (size_t k = 0; k < sizeof lists / sizeof *lists; k++)
    for (size_t i = 0; i < lists[k]->n; i++)
      FUZZ_CHECK(lists[k]->v[i] != NULL);
  /* Declared fields: values only for fields of the record's kind, each
   * non-empty, at most one for a single field; required ones present. */
  for (size_t f = 0; f < a->schema->nfields; f++) {
    const kb_skfield *kf = kb_skind_field(a->kind, f);
    const kb_strv *vals = &a->values[f];
    FUZZ_CHECK(kf != NULL || (vals->n == 0 && a->vline[f] == 0));
    FUZZ_CHECK(vals->n <= (a->schema->fields[f].list ? KB_LIST_MAX_ITEMS : 1));
    for (size_t i = 0; i < vals->n; i++)
      FUZZ_CHECK(vals->v[i] != NULL && *vals->v[i] != '\0');
    if (kf && kf->required)
      FUZZ_CHECK(vals->n > 0);
    FUZZ_CHECK(a->vline[f] == 0 ||
               (a->vline[f] >= 2 && a->vline[f] < a->body_line));
  }
  for (int f = 0; f < KB_FIELD_COUNT; f++)
    FUZZ_CHECK(a->line[f] == 0 ||
               (a->line[f] >= 2 && a->line[f] < a->body_line));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char path[] = "fuzz/article.md";
  const kb_vocab *v = fixture_vocab();
  kb_diags d;
  kb_diags_init(&d);
  kb_article *a = NULL;
  kb_status st = kb_article_parse(path, (const char *)data, size, v, &a, &d);
  FUZZ_CHECK(st == KB_OK || st == KB_ERR_PARSE || st == KB_ERR_NOMEM);
  check_diags(&d, path);
  if (st == KB_ERR_PARSE) {
    FUZZ_CHECK(a == NULL);
    FUZZ_CHECK(d.errors > 0);
  }
  if (st == KB_OK) {
    FUZZ_CHECK(a != NULL);
    FUZZ_CHECK(d.errors == 0);
    check_article(a, path, size);
    kb_article_each_link(a, on_link, a);
    char *html = NULL, *text = NULL, *err = NULL;
    st = kb_article_render(a, &html, &text, &err);
    FUZZ_CHECK(st == KB_OK || st == KB_ERR_NOMEM);
    if (st == KB_OK) {
      FUZZ_CHECK(html != NULL && text != NULL);
      /* Safe mode: raw HTML from the body never reaches the page. */
      FUZZ_CHECK(strstr(html, "<script") == NULL);
      FUZZ_CHECK(strcasestr(html, "href=\"javascript:") == NULL);
      FUZZ_CHECK(strcasestr(html, "src=\"javascript:") == NULL);
    }
    free(html);
    free(text);
    free(err);
    kb_article_free(a);
  }
  kb_diags_release(&d);
  return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-query.c - a whole search, with arbitrary bytes as the query.
 *
 * On the first input the fixture corpus (tests/fixtures/corpus) is
 * indexed into a scratch directory under $TEILHABE_TEST_TMP (or $TMPDIR,
 * or /tmp) and a kb_searcher is opened on it; the directory is removed
 * as soon as the searcher holds the index open.
 * Each input is then the query of one kb_search: the query parser, the
 * citation and synonym handling, spelling suggestions, relaxation,
 * snippets and facets all run against a real Xapian index.
 *
 * Checked promises (kb_search.h, kb_query.h):
 * - a query that is valid UTF-8 and at most KB_QUERY_MAX_BYTES never
 *   fails ("a malformed query never fails"), and its result is sane:
 *   at most per_page hits, no more hits than matches, no more matches
 *   than articles, every hit's fields set, snippets with no markup but
 *   <mark>;
 * - any other query is refused with KB_ERR_LIMIT (too long) or
 *   KB_ERR_INVALID (not UTF-8), with a message, and no result.
 * The query ends at the input's first NUL byte, as a C string does.
 *
 * Depends on kb_corpus, kb_index, kb_search.
 */
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "kb_corpus.h"
#include "kb_diag.h"
#include "kb_index.h"
#include "kb_search.h"

static char tmpdir[4096];
static kb_searcher *searcher;

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

static void cleanup(void) {
  kb_searcher_close(searcher);
  searcher = NULL;
  if (tmpdir[0])
    nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void die(const char *what, kb_status st, const char *msg) {
  fprintf(stderr, "fuzz-query: %s: %s%s%s\n", what, kb_status_str(st),
          msg ? ": " : "", msg ? msg : "");
  abort();
}

/* Indexes the fixture corpus and opens a searcher on it, once. */
static kb_searcher *fixture_searcher(void) {
  if (searcher)
    return searcher;
  char dir[4096], dbpath[4200];
  snprintf(dir, sizeof dir, "%s/tests/fixtures/corpus", fuzz_source_root());
  kb_diags d;
  kb_diags_init(&d);
  kb_corpus *corpus = NULL;
  kb_status st = kb_corpus_load(dir, &corpus, &d);
  if (st != KB_OK) {
    for (size_t i = 0; i < d.n; i++)
      fprintf(stderr, "  %s:%u: %s\n", d.items[i].path, d.items[i].line,
              d.items[i].message);
    die("cannot load the fixture corpus", st, dir);
  }
  kb_diags_release(&d);

  snprintf(tmpdir, sizeof tmpdir, "%s/fuzz-query-XXXXXX", fuzz_tmp_base());
  if (mkdtemp(tmpdir) == NULL) {
    tmpdir[0] = '\0';
    die("cannot create a scratch directory", KB_ERR_IO, fuzz_tmp_base());
  }
  atexit(cleanup);
  snprintf(dbpath, sizeof dbpath, "%s/index", tmpdir);
  char *err = NULL;
  st = kb_index_build(corpus, dbpath, NULL, NULL, NULL, &err);
  kb_corpus_free(corpus);
  if (st != KB_OK)
    die("cannot index the fixture corpus", st, err);
  st = kb_searcher_open(dbpath, &searcher, &err);
  if (st != KB_OK)
    die("cannot open the index", st, err);
  /* Xapian holds its tables open, so the files can go now: libFuzzer
   * ends its jobs with _Exit(), which skips atexit handlers and would
   * leave one index per job behind. */
  nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  tmpdir[0] = '\0';
  return searcher;
}

/* Snippets are HTML: escaped text, and no tag but <mark> and </mark>. */
static void check_snippet(const char *s) {
  for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<'))
    FUZZ_CHECK(strncmp(p, "<mark>", 6) == 0 || strncmp(p, "</mark>", 7) == 0);
  for (const char *p = strchr(s, '>'); p; p = strchr(p + 1, '>'))
    FUZZ_CHECK((p - s >= 5 && strncmp(p - 5, "<mark", 5) == 0) ||
               (p - s >= 6 && strncmp(p - 6, "</mark", 6) == 0));
}

static void check_result(const kb_searcher *s, const kb_search_result *r,
                         const char *q) {
  FUZZ_CHECK(r->query != NULL && strcmp(r->query, q) == 0);
  FUZZ_CHECK(r->page == 1 && r->per_page == KB_PER_PAGE_DEFAULT);
  FUZZ_CHECK(r->nhits <= r->per_page);
  FUZZ_CHECK(r->nhits <= r->total);
  FUZZ_CHECK(r->total <= kb_searcher_doccount(s));
  FUZZ_CHECK(!r->corrected || r->suggestion != NULL);
  FUZZ_CHECK(!(r->corrected && r->relaxed));
  for (size_t i = 0; i < r->nhits; i++) {
    const kb_hit *h = &r->hits[i];
    FUZZ_CHECK(h->id && *h->id && h->title && h->kind && h->label);
    FUZZ_CHECK(h->rec != NULL && strcmp(h->rec->id, h->id) == 0);
    FUZZ_CHECK(h->url && h->summary && h->updated && h->snippet);
    check_snippet(h->snippet);
  }
  FUZZ_CHECK(r->nfacets == kb_searcher_vocab(s)->schema->nfacets);
  for (size_t f = 0; f < r->nfacets; f++) {
    const kb_facet_list *l = &r->facets[f];
    FUZZ_CHECK(l->n == 0 || l->values != NULL);
    for (size_t i = 0; i < l->n; i++) {
      FUZZ_CHECK(l->values[i].value && l->values[i].label);
      FUZZ_CHECK(l->values[i].count <= r->total);
    }
  }
}

/* libFuzzer calls this once before any input: the fixture index (with
 * the hunspell lexicon, seconds under ASan on a busy machine) is built
 * outside the per-input timeout.  The replay driver does not call it;
 * there the first input builds the index. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fixture_searcher();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kb_searcher *s = fixture_searcher();
  char *q = fuzz_strndup(data, size);
  size_t len = strlen(q);
  bool too_long = len > KB_QUERY_MAX_BYTES;
  bool valid = fuzz_utf8_valid((const uint8_t *)q, len, false);

  kb_search_request req = {.query = q};
  kb_search_result *r = NULL;
  char *err = NULL;
  kb_status st = kb_search(s, &req, &r, &err);
  if (too_long || !valid) {
    /* Length is checked before encoding. */
    if (st != (too_long ? KB_ERR_LIMIT : KB_ERR_INVALID))
      die("a bad query was not refused as it should be", st, err);
    FUZZ_CHECK(r == NULL);
    FUZZ_CHECK(err != NULL && *err != '\0');
  } else {
    if (st != KB_OK)
      die("a valid query failed", st, err);
    FUZZ_CHECK(r != NULL && err == NULL);
    check_result(s, r, q);
  }
  kb_search_result_free(r);
  free(err);
  free(q);
  return 0;
}

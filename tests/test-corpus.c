/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-corpus.c - a corpus folder as a whole: the fixture corpus loads
 * clean; a scratch corpus with a duplicate id, a dangling `related` id
 * and a broken /artikel/ link reports exactly those three errors with
 * their files and lines; hidden folders, README.md and other files are
 * skipped; every problem of a run is reported, none stops it.
 *
 * Scratch corpora live under $TEILHABE_TEST_TMP (or /tmp) and are
 * removed afterwards.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kb_buf.h"
#include "kb_corpus.h"
#include "testutil.h"

static char fixture[1024];
static char tmpdir[1024];
static kb_diags diags;

static void setup(void) {
  tu_fixture_dir(fixture, sizeof fixture);
  tu_scratch_dir(tmpdir, sizeof tmpdir, "test-corpus");
  kb_diags_init(&diags);
}

static void teardown(void) {
  tu_remove_tree(tmpdir);
  kb_diags_release(&diags);
}

/* Writes tmpdir/name (creating one level of folder if needed). */
static void write_file(const char *name, const char *text) {
  char path[PATH_MAX];
  tu_path(path, sizeof path, tmpdir, name);
  *strrchr(path, '/') = '\0';
  mkdir(path, 0755);
  tu_write_file(tmpdir, name, text);
}

static void copy_vocab(void) {
  static const char *const files[] = {"vocab.yaml", "synonyms.yaml"};
  for (int i = 0; i < 2; i++)
    tu_copy_file(fixture, tmpdir, files[i]);
  tu_copy_schema(tmpdir);
}

/* A valid article: `extra` holds further front-matter lines (each ending
 * in "\n") after line 7, so `related` written there is on line 8. */
static void write_article(const char *name, const char *id, const char *extra,
                          const char *body) {
  char text[4096];
  snprintf(text, sizeof text,
           "---\n"
           "id: %s\n"
           "title: Artikel %s\n"
           "type: bem\n"
           "summary: Ein Artikel zum Testen.\n"
           "audience: [arbeitgeber]\n"
           "updated: 2026-01-01\n"
           "%s"
           "---\n"
           "%s",
           id, id, extra, body);
  write_file(name, text);
}

static void path_of(const char *name, char *buf, size_t cap) {
  tu_path(buf, cap, tmpdir, name);
}

/* The error diagnostics only (warnings like "island" are advice). */
static size_t count_errors(void) {
  size_t n = 0;
  for (size_t i = 0; i < diags.n; i++)
    n += diags.items[i].severity == KB_SEV_ERROR;
  return n;
}

static void dump(void) {
  for (size_t i = 0; i < diags.n; i++)
    fprintf(stderr, "  %s:%u: %s [%s] %s\n", diags.items[i].path,
            diags.items[i].line,
            diags.items[i].severity == KB_SEV_ERROR ? "error" : "warning",
            diags.items[i].code, diags.items[i].message);
}

static const kb_diag *find(const char *code, kb_severity sev) {
  for (size_t i = 0; i < diags.n; i++)
    if (strcmp(diags.items[i].code, code) == 0 &&
        diags.items[i].severity == sev)
      return &diags.items[i];
  dump();
  ck_abort_msg("no %s diagnostic '%s'",
               sev == KB_SEV_ERROR ? "error" : "warning", code);
  return NULL;
}

/* ---- the fixture corpus ---------------------------------------------- */

START_TEST(fixture_loads_clean) {
  kb_corpus *c = NULL;
  kb_status st = kb_corpus_load(fixture, &c, &diags);
  if (st != KB_OK)
    dump();
  ck_assert_int_eq(st, KB_OK);
  ck_assert_uint_eq(diags.errors, 0);
  ck_assert_uint_eq(c->n, 8);
  ck_assert_str_eq(c->dir, fixture);
  ck_assert_ptr_nonnull(c->vocab);
  /* Sorted by path, so runs are reproducible. */
  for (size_t i = 1; i < c->n; i++)
    ck_assert_str_lt(c->articles[i - 1]->path, c->articles[i]->path);
  ck_assert_str_eq(c->articles[0]->id, "anpassung-arbeitsplatz");
  const kb_article *a = kb_corpus_find(c, "bem-grundlagen");
  ck_assert_ptr_nonnull(a);
  ck_assert_str_eq(a->title, "Betriebliches Eingliederungsmanagement");
  ck_assert_ptr_null(kb_corpus_find(c, "gibt-es-nicht"));
  kb_corpus_free(c);
  kb_corpus_free(NULL);
}
END_TEST

/* ---- scratch corpora -------------------------------------------------- */

/* alpha.md: related names one real and one missing article; beta.md:
 * one good link, one broken link on body line 3 (file 11). */
static void write_broken_pair(void) {
  copy_vocab();
  write_article("alpha.md", "alpha", "related: [beta, gibt-es-nicht]\n",
                "Erster Absatz.\n");
  write_article("beta.md", "beta", "related: [alpha]\n",
                "Siehe [Alpha](/artikel/alpha).\n"
                "\n"
                "Und [fehlt](/artikel/fehlt) auch.\n");
}

START_TEST(cross_check_errors_exactly) {
  write_broken_pair();
  /* zweit/alpha.md: the same id again. */
  write_article("zweit/alpha.md", "alpha", "related: [beta]\n", "Kopie.\n");

  kb_corpus *c = (kb_corpus *)1;
  ck_assert_int_eq(kb_corpus_load(tmpdir, &c, &diags), KB_ERR_PARSE);
  ck_assert_ptr_eq(c, (kb_corpus *)1); /* untouched on failure */
  if (count_errors() != 3)
    dump();
  ck_assert_uint_eq(count_errors(), 3);
  ck_assert_uint_eq(diags.errors, 3);

  char path[PATH_MAX], first[PATH_MAX];
  const kb_diag *d = find("duplicate-id", KB_SEV_ERROR);
  path_of("zweit/alpha.md", path, sizeof path);
  path_of("alpha.md", first, sizeof first);
  ck_assert_str_eq(d->path, path);
  ck_assert_uint_eq(d->line, 2);
  ck_assert_ptr_nonnull(strstr(d->message, "id 'alpha' is already used by"));
  ck_assert_ptr_nonnull(strstr(d->message, first));
  ck_assert_ptr_nonnull(strstr(d->message, "alpha.md:2"));

  d = find("dangling-related", KB_SEV_ERROR);
  ck_assert_str_eq(d->path, first);
  ck_assert_uint_eq(d->line, 8);
  ck_assert_str_eq(d->message, "related record 'gibt-es-nicht' does not exist");

  d = find("broken-link", KB_SEV_ERROR);
  path_of("beta.md", path, sizeof path);
  ck_assert_str_eq(d->path, path);
  ck_assert_uint_eq(d->line, 12);
  ck_assert_str_eq(d->message, "link to unknown artikel 'fehlt'");
}
END_TEST

START_TEST(skips_hidden_readme_and_other_files) {
  copy_vocab();
  write_article("alpha.md", "alpha", "related: [beta]\n", "Text.\n");
  write_article("beta.md", "beta", "related: [alpha]\n", "Text.\n");
  /* Each of these would be an error if it were read. */
  write_file("README.md", "# Korpus\n\nKeine Front Matter hier.\n");
  write_file("sub/README.md", "Auch hier nicht.\n");
  write_file(".entwurf/kaputt.md", "kein Artikel\n");
  write_file(".git/HEAD.md", "ref: refs/heads/main\n");
  write_file(".versteckt.md", "kein Artikel\n");
  write_file("notizen.txt", "kein Artikel\n");
  write_file("sub/bild.png", "\x89PNG");
  kb_corpus *c = NULL;
  kb_status st = kb_corpus_load(tmpdir, &c, &diags);
  if (st != KB_OK)
    dump();
  ck_assert_int_eq(st, KB_OK);
  ck_assert_uint_eq(c->n, 2);
  ck_assert_uint_eq(diags.errors, 0);
  kb_corpus_free(c);
}
END_TEST

START_TEST(symlinks_not_followed) {
  copy_vocab();
  write_article("alpha.md", "alpha", "related: [beta]\n", "Text.\n");
  write_article("beta.md", "beta", "related: [alpha]\n", "Text.\n");
  char target[PATH_MAX], link[PATH_MAX];
  path_of("alpha.md", target, sizeof target);
  path_of("gamma.md", link, sizeof link);
  ck_assert_int_eq(symlink(target, link), 0);
  /* A loop of folder links must not hang the walk. */
  path_of("schleife", link, sizeof link);
  ck_assert_int_eq(symlink(tmpdir, link), 0);
  kb_corpus *c = NULL;
  ck_assert_int_eq(kb_corpus_load(tmpdir, &c, &diags), KB_OK);
  ck_assert_uint_eq(c->n, 2); /* no duplicate "alpha" via gamma.md */
  kb_corpus_free(c);
}
END_TEST

static bool put_link(const char *kind, const char *id, unsigned line,
                     void *ctx) {
  char l[160];
  snprintf(l, sizeof l, "%s/%s:%u\n", kind, id, line);
  kb_buf_adds(ctx, l);
  return true;
}

/* `teilhabe index` loads only the fields (each body dropped once checked,
 * its links kept): the same diagnostics for a broken corpus, and for a
 * clean one the same links, with no body left in memory. */
START_TEST(fields_only_checks_the_same) {
  write_broken_pair();
  kb_corpus *c = NULL;
  ck_assert_int_eq(kb_corpus_load(tmpdir, &c, &diags), KB_ERR_PARSE);
  kb_diags whole = diags;
  kb_diags_init(&diags);
  ck_assert_int_eq(kb_corpus_load_fields(tmpdir, &c, &diags), KB_ERR_PARSE);
  ck_assert_uint_eq(diags.n, whole.n);
  ck_assert_uint_eq(diags.errors, 2);
  for (size_t i = 0; i < diags.n; i++) {
    ck_assert_str_eq(diags.items[i].code, whole.items[i].code);
    ck_assert_str_eq(diags.items[i].message, whole.items[i].message);
    ck_assert_uint_eq(diags.items[i].line, whole.items[i].line);
  }
  kb_diags_release(&whole);

  /* Mended: links on several lines, one record linked twice. */
  write_article("alpha.md", "alpha", "related: [beta]\n",
                "Erster Absatz, [Beta](/artikel/beta).\n");
  write_article("beta.md", "beta", "related: [alpha]\n",
                "Siehe [Alpha](/artikel/alpha).\n"
                "\n"
                "Und [noch einmal](/artikel/alpha#teil), [extern](https://"
                "www.bih.de/).\n");
  kb_corpus *all = NULL, *fields = NULL;
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  ck_assert_int_eq(kb_corpus_load(tmpdir, &all, &diags), KB_OK);
  ck_assert_int_eq(kb_corpus_load_fields(tmpdir, &fields, &diags), KB_OK);
  ck_assert_uint_eq(fields->n, all->n);
  size_t links = 0;
  for (size_t i = 0; i < all->n; i++) {
    ck_assert_ptr_nonnull(all->articles[i]->body);
    ck_assert_ptr_null(fields->articles[i]->body);
    ck_assert_uint_eq(fields->articles[i]->body_len,
                      all->articles[i]->body_len);
    kb_buf a = KB_BUF_INIT(1 << 20), b = KB_BUF_INIT(1 << 20);
    kb_article_each_link(all->articles[i], put_link, &a);
    kb_article_each_link(fields->articles[i], put_link, &b);
    ck_assert_str_eq(kb_buf_str(&b), kb_buf_str(&a));
    links += a.len != 0;
    kb_buf_release(&a);
    kb_buf_release(&b);
  }
  ck_assert_uint_eq(links, 2); /* both records link */
  kb_corpus_free(all);
  kb_corpus_free(fields);
}
END_TEST

START_TEST(link_forms_resolved) {
  copy_vocab();
  /* Links by URL with an anchor count; external links are not checked
   * here; an unknown id gets a did-you-mean when one is close. */
  write_article("alpha.md", "alpha", "",
                "Siehe [B](/artikel/beta#abschnitt), [BIH](https://www.bih.de/"
                "x.html) und [G](/artikel/gama).\n");
  write_article("beta.md", "beta", "", "Text.\n");
  write_article("gamma.md", "gamma", "", "Text. [kaputt](/artikel/omikron)\n");
  kb_corpus *c = (kb_corpus *)1;
  ck_assert_int_eq(kb_corpus_load(tmpdir, &c, &diags), KB_ERR_PARSE);
  ck_assert_uint_eq(diags.errors, 2);
  bool gama = false, omikron = false;
  for (size_t i = 0; i < diags.n; i++) {
    const kb_diag *d = &diags.items[i];
    gama |= strcmp(d->message, "link to unknown artikel 'gama' (did you "
                               "mean 'gamma'?)") == 0;
    omikron |= strcmp(d->message, "link to unknown artikel 'omikron'") == 0 &&
               d->line == 9;
  }
  ck_assert(gama && omikron);
}
END_TEST

START_TEST(relative_links_refused) {
  copy_vocab();
  /* On the site, "./gamma.md" and "beta.md" resolve below /artikel/ and
   * 404: lint refuses them with the article's line. */
  write_article("alpha.md", "alpha", "related: [beta]\n",
                "Siehe [G](./gamma.md) und\n[B2](beta.md).\n");
  write_article("beta.md", "beta", "related: [alpha]\n", "Text.\n");
  kb_corpus *c = (kb_corpus *)1;
  ck_assert_int_eq(kb_corpus_load(tmpdir, &c, &diags), KB_ERR_PARSE);
  /* alpha is refused, so beta's related entry dangles as well. */
  ck_assert_uint_eq(diags.errors, 3);
  kb_diags_sort(&diags);
  ck_assert_str_eq(diags.items[0].code, "relative-link");
  ck_assert_uint_eq(diags.items[0].line, 10);
  ck_assert_str_eq(diags.items[1].code, "relative-link");
  ck_assert_uint_eq(diags.items[1].line, 11);
  ck_assert_str_eq(diags.items[2].code, "dangling-related");
}
END_TEST

START_TEST(warnings_do_not_fail) {
  copy_vocab();
  /* Self-related, file name not matching the id, and an island. */
  write_article("alpha.md", "alpha", "related: [alpha, beta]\n", "Text.\n");
  write_article("beta-datei.md", "beta", "", "Text.\n");
  write_article("insel.md", "insel", "", "Allein.\n");
  kb_corpus *c = NULL;
  kb_status st = kb_corpus_load(tmpdir, &c, &diags);
  if (st != KB_OK)
    dump();
  ck_assert_int_eq(st, KB_OK);
  ck_assert_uint_eq(diags.errors, 0);
  ck_assert_uint_eq(diags.warnings, 3);
  const kb_diag *d = find("self-related", KB_SEV_WARNING);
  ck_assert_uint_eq(d->line, 8);
  d = find("file-name", KB_SEV_WARNING);
  ck_assert_ptr_nonnull(strstr(d->message, "'beta.md'"));
  d = find("island", KB_SEV_WARNING);
  ck_assert_ptr_nonnull(strstr(d->message, "no record links here and this "
                                           "record links nowhere"));
  char path[PATH_MAX];
  path_of("insel.md", path, sizeof path);
  ck_assert_str_eq(d->path, path);
  ck_assert_uint_eq(c->n, 3);
  kb_corpus_free(c);
}
END_TEST

START_TEST(article_errors_collected_with_the_rest) {
  copy_vocab();
  write_article("alpha.md", "alpha", "related: [beta, fehlt]\n", "Text.\n");
  /* beta is broken: its error is reported and the corpus still checked
   * (alpha's dangling related id is found too). */
  write_file("beta.md", "---\n"
                        "id: beta\n"
                        "title: Beta\n"
                        "type: bem\n"
                        "summary: S\n"
                        "audience: [arbeitgber]\n"
                        "updated: 2026-01-01\n"
                        "---\n"
                        "Text.\n");
  kb_corpus *c = (kb_corpus *)1;
  ck_assert_int_eq(kb_corpus_load(tmpdir, &c, &diags), KB_ERR_PARSE);
  ck_assert_ptr_eq(c, (kb_corpus *)1);
  const kb_diag *d = find("unknown-value", KB_SEV_ERROR);
  char path[PATH_MAX];
  path_of("beta.md", path, sizeof path);
  ck_assert_str_eq(d->path, path);
  ck_assert_uint_eq(d->line, 6);
  find("dangling-related", KB_SEV_ERROR);
}
END_TEST

START_TEST(broken_vocab_still_checks_articles) {
  tu_copy_schema(tmpdir);
  write_file("vocab.yaml", "type: [kaputt\n");
  write_article("alpha.md", "alpha", "", "");
  kb_corpus *c = (kb_corpus *)1;
  ck_assert_int_eq(kb_corpus_load(tmpdir, &c, &diags), KB_ERR_PARSE);
  char path[PATH_MAX];
  path_of("vocab.yaml", path, sizeof path);
  const kb_diag *d = find("yaml", KB_SEV_ERROR);
  ck_assert_str_eq(d->path, path);
  d = find("empty-body", KB_SEV_ERROR);
  path_of("alpha.md", path, sizeof path);
  ck_assert_str_eq(d->path, path);
}
END_TEST

/* Every corpus declares its kinds: without schema.yaml nothing can be
 * checked against them, and lint says which file to add. */
START_TEST(missing_schema_is_an_error) {
  tu_copy_file(fixture, tmpdir, "vocab.yaml");
  write_article("alpha.md", "alpha", "", "Text.\n");
  kb_corpus *c = (kb_corpus *)1;
  ck_assert_int_eq(kb_corpus_load(tmpdir, &c, &diags), KB_ERR_PARSE);
  ck_assert_ptr_eq(c, (kb_corpus *)1);
  char path[PATH_MAX];
  path_of("schema.yaml", path, sizeof path);
  const kb_diag *d = find("schema", KB_SEV_ERROR);
  ck_assert_str_eq(d->path, path);
  ck_assert_ptr_nonnull(strstr(d->message, "schema.yaml"));
}
END_TEST

/* Two kinds: a link names the kind of its target, "/<kind>/<id>"; a
 * link under the wrong kind would be a 404 on the site. */
static const char two_kinds[] =
    "fields:\n"
    "  type: {type: enum, vocab: type}\n"
    "  audience: {type: enum, vocab: audience, list: true}\n"
    "kinds:\n"
    "  artikel:\n"
    "    label: Artikel\n"
    "    plural: Artikel\n"
    "    fields: {type: required, audience: required}\n"
    "  begriff:\n"
    "    label: Begriff\n"
    "    plural: Begriffe\n";

START_TEST(link_to_another_kind) {
  tu_copy_file(fixture, tmpdir, "vocab.yaml");
  write_file("schema.yaml", two_kinds);
  /* Body lines 9-11: a good link to the term, one under the wrong kind. */
  write_article("alpha.md", "alpha", "",
                "Siehe [Beta](/begriff/beta).\n"
                "\n"
                "Und [Beta](/artikel/beta).\n");
  write_file("beta.md", "---\n"
                        "id: beta\n"
                        "kind: begriff\n"
                        "title: Beta\n"
                        "summary: Ein Begriff.\n"
                        "updated: 2026-01-01\n"
                        "related: [alpha]\n"
                        "---\n"
                        "Siehe [Alpha](/begriff/alpha).\n");
  kb_corpus *c = (kb_corpus *)1;
  ck_assert_int_eq(kb_corpus_load(tmpdir, &c, &diags), KB_ERR_PARSE);
  if (count_errors() != 2)
    dump();
  ck_assert_uint_eq(count_errors(), 2);
  kb_diags_sort(&diags);
  char path[PATH_MAX];
  const kb_diag *d = &diags.items[0];
  path_of("alpha.md", path, sizeof path);
  ck_assert_str_eq(d->path, path);
  ck_assert_str_eq(d->code, "broken-link");
  ck_assert_uint_eq(d->line, 11);
  ck_assert_str_eq(d->message, "'beta' is a record of kind 'begriff'; link "
                               "it as '/begriff/beta'");
  d = &diags.items[1];
  path_of("beta.md", path, sizeof path);
  ck_assert_str_eq(d->path, path);
  ck_assert_uint_eq(d->line, 9);
  ck_assert_str_eq(d->message, "'alpha' is a record of kind 'artikel'; link "
                               "it as '/artikel/alpha'");
}
END_TEST

/* Passes in the normal build.  Under -Db_sanitize=undefined it stops at
 * a (fixed) bug in src/corpus.c: with no *.md file, kb_corpus_load called
 * qsort(w.paths.v, 0, ...) with w.paths.v == NULL ("null pointer passed
 * as argument 1"). */
START_TEST(no_articles_is_an_error) {
  copy_vocab();
  write_file("README.md", "# leer\n");
  kb_corpus *c = (kb_corpus *)1;
  ck_assert_int_eq(kb_corpus_load(tmpdir, &c, &diags), KB_ERR_PARSE);
  const kb_diag *d = find("empty", KB_SEV_ERROR);
  ck_assert_str_eq(d->path, tmpdir);
}
END_TEST

START_TEST(unreadable_corpus_dir) {
  char path[PATH_MAX];
  path_of("gibt-es-nicht", path, sizeof path);
  kb_corpus *c = (kb_corpus *)1;
  ck_assert_int_eq(kb_corpus_load(path, &c, &diags), KB_ERR_IO);
  ck_assert_ptr_eq(c, (kb_corpus *)1);
  const kb_diag *d = find("io", KB_SEV_ERROR);
  ck_assert_str_eq(d->path, path);
  ck_assert_ptr_nonnull(strstr(d->message, "cannot be read"));
  /* A file is no corpus folder either. */
  kb_diags_release(&diags);
  kb_diags_init(&diags);
  write_file("datei.md", "x");
  path_of("datei.md", path, sizeof path);
  ck_assert_int_eq(kb_corpus_load(path, &c, &diags), KB_ERR_IO);
  ck_assert_uint_eq(diags.errors, 1);
}
END_TEST

/* Fixed bug, kept as a regression test: kb_corpus_load on a path that is a
 * file, not a folder, reports a stale errno: after any earlier failed call left
 * errno at ENOENT the message reads "corpus folder cannot be read: No such file
 * or directory" for a file that exists.  (stat() succeeded, so errno is not
 * about this path; corpus.c uses `errno ? strerror(errno) : "not a
 * folder"`.) */
START_TEST(file_as_corpus_says_not_a_folder) {
  write_file("datei.md", "x");
  char path[PATH_MAX];
  path_of("datei.md", path, sizeof path);
  kb_corpus *c = (kb_corpus *)1;
  errno = ENOENT; /* left over from some earlier call */
  ck_assert_int_eq(kb_corpus_load(path, &c, &diags), KB_ERR_IO);
  const kb_diag *d = find("io", KB_SEV_ERROR);
  ck_assert_ptr_nonnull(strstr(d->message, "not a folder"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("corpus");
  TCase *tc = tcase_create("corpus");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, fixture_loads_clean);
  tcase_add_test(tc, cross_check_errors_exactly);
  tcase_add_test(tc, skips_hidden_readme_and_other_files);
  tcase_add_test(tc, symlinks_not_followed);
  tcase_add_test(tc, link_forms_resolved);
  tcase_add_test(tc, fields_only_checks_the_same);
  tcase_add_test(tc, relative_links_refused);
  tcase_add_test(tc, warnings_do_not_fail);
  tcase_add_test(tc, article_errors_collected_with_the_rest);
  tcase_add_test(tc, broken_vocab_still_checks_articles);
  tcase_add_test(tc, no_articles_is_an_error);
  tcase_add_test(tc, missing_schema_is_an_error);
  tcase_add_test(tc, link_to_another_kind);
  tcase_add_test(tc, unreadable_corpus_dir);
  /* Fixed bug, kept as a regression test: a file given as corpus folder gets a
   * stale errno text. */
  tcase_add_test(tc, file_as_corpus_says_not_a_folder);
  suite_add_tcase(s, tc);

  return tu_run_suite(s);
}

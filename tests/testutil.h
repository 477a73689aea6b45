/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * testutil.h - scaffolding shared by the unit tests (tests/test-*.c):
 * scratch directories and their removal, paths, small files, an index
 * of the fixture corpus, and the check runner's main().
 *
 * Test code only: every helper fails the running test with a check
 * assertion instead of returning an error.  It depends on check and the
 * library's public headers, never on a test file.
 */
#ifndef TEILHABE_TESTUTIL_H
#define TEILHABE_TESTUTIL_H

#include <check.h>
#include <stddef.h>

#include "kb_status.h"

/* Asserts that `call` returns KB_OK; on failure the message names the
 * call, its status and `errmsg` (a char *, may be NULL).  Test files
 * define `#define OK(call) TU_OK(call, err)` over their error slot. */
#define TU_OK(call, errmsg)                                                    \
  do {                                                                         \
    kb_status st_ = (call);                                                    \
    ck_assert_msg(st_ == KB_OK, "%s: %s (%s)", #call, kb_status_name(st_),     \
                  (errmsg) ? (errmsg) : "no message");                         \
  } while (0)

/* The fixture corpus, tests/fixtures/corpus below $TEILHABE_SOURCE_ROOT
 * (or TEST_SOURCE_ROOT when unset or empty), written into `buf`. */
void tu_fixture_dir(char *buf, size_t cap);

/* Creates a fresh directory `prefix`-XXXXXX below $TEILHABE_TEST_TMP (or
 * /tmp when unset or empty) and writes its path into `buf`.  The caller
 * removes it with tu_remove_tree(). */
void tu_scratch_dir(char *buf, size_t cap, const char *prefix);

/* Removes `dir` and everything below it, without following symlinks.
 * Errors are ignored: it is cleanup. */
void tu_remove_tree(const char *dir);

/* `dir`/`name` into `buf`; asserts that it fits.  Returns `buf`. */
const char *tu_path(char *buf, size_t cap, const char *dir, const char *name);

/* Writes `text` to `dir`/`name`, replacing the file. */
void tu_write_file(const char *dir, const char *name, const char *text);

/* Copies the text file `src_dir`/`name` (at most 64 KiB) to
 * `dst_dir`/`name`. */
void tu_copy_file(const char *src_dir, const char *dst_dir, const char *name);

/* Copies the fixture corpus's schema.yaml (the article kind) to
 * `dst_dir`: every corpus folder needs one, so a scratch corpus that
 * writes its own vocab.yaml gets this schema with it. */
void tu_copy_schema(const char *dst_dir);

/* Loads the corpus in `corpus_dir` and builds an index at `db`,
 * asserting that both succeed. */
void tu_build_index(const char *corpus_dir, const char *db);

/* tu_build_index() of the fixture corpus. */
void tu_build_fixture_index(const char *db);

/* Runs every test of `s` (taking it over), prints check's report and
 * returns main()'s exit status: EXIT_SUCCESS when all passed. */
int tu_run_suite(Suite *s);

#endif

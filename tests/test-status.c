/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-status.c - the status table: every code has a name and a message. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kb_status.h"
#include "testutil.h"

START_TEST(every_status_has_text) {
  for (int s = 0; s < KB_STATUS_COUNT; s++) {
    ck_assert_ptr_nonnull(kb_status_str((kb_status)s));
    ck_assert_int_gt((int)strlen(kb_status_str((kb_status)s)), 0);
    ck_assert_int_gt((int)strlen(kb_status_name((kb_status)s)), 0);
  }
  ck_assert_str_eq(kb_status_name(KB_ERR_DB_LOCKED), "ERR_DB_LOCKED");
  ck_assert_str_eq(kb_status_str((kb_status)9999), "unknown status");
}
END_TEST

START_TEST(fail_sets_message_only_when_asked) {
  char *msg = NULL;
  ck_assert_int_eq(kb_fail(KB_ERR_PARSE, &msg, "bad date '%s'", "2026-13-01"),
                   KB_ERR_PARSE);
  ck_assert_str_eq(msg, "bad date '2026-13-01'");
  /* A second failure replaces, not leaks, the first message. */
  kb_fail(KB_ERR_IO, &msg, "x");
  ck_assert_str_eq(msg, "x");
  free(msg);
  ck_assert_int_eq(kb_fail(KB_ERR_IO, NULL, "ignored"), KB_ERR_IO);
}
END_TEST

int main(void) {
  Suite *s = suite_create("status");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, every_status_has_text);
  tcase_add_test(tc, fail_sets_message_only_when_asked);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}

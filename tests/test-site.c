/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-site.c - the operator's details (web/site.c): which values of
 * `serve --site KEY=VALUE` are taken, and that nothing that could leave
 * a mailto: address, a tel: link or one line of text gets in.  The pages
 * that show them are tested end to end (tests/e2e/e2e_legal.py).
 */
#include <check.h>
#include <string.h>

#include "../src/cli/cli.h"
#include "../web/site.h"
#include "testutil.h"

/* Sets "KEY=VALUE" on a fresh site_info; whether it was taken. */
static bool take(const char *arg, site_info *site, const char **why) {
  *site = (site_info){0};
  *why = NULL;
  bool ok = site_set(site, arg, why);
  ck_assert(ok == (*why == NULL));
  return ok;
}

START_TEST(values_are_taken_for_their_key) {
  site_info s;
  const char *why;
  ck_assert(take("operator=Verein A = B e. V.", &s, &why));
  ck_assert_str_eq(s.v[SITE_OPERATOR], "Verein A = B e. V.");
  ck_assert(site_any(&s));
  ck_assert(take("email=redaktion@teilhabe.example.org", &s, &why));
  ck_assert_str_eq(s.v[SITE_EMAIL], "redaktion@teilhabe.example.org");
  ck_assert(take("phone=+49 (30) 123-456/7", &s, &why));
  ck_assert(take("address=Musterstraße 1, 12345 Müsterstadt", &s, &why));
  site_info none = {0};
  ck_assert(!site_any(&none));
}
END_TEST

START_TEST(every_key_of_the_table_is_a_config_key) {
  /* The configuration file checks [site] against cmd_serve_site_keys:
   * the same keys, in the same order, as the table the pages read. */
  for (int f = 0; f < SITE_NFIELDS; f++)
    ck_assert_str_eq(cmd_serve_site_keys[f], site_key((site_field)f));
  ck_assert_ptr_null(cmd_serve_site_keys[SITE_NFIELDS]);
  ck_assert_int_eq(site_kind_of(SITE_PRIVACY), SITE_IS_EMAIL);
  ck_assert_int_eq(site_kind_of(SITE_PHONE), SITE_IS_PHONE);
}
END_TEST

START_TEST(addresses_that_could_carry_more_are_refused) {
  site_info s;
  const char *why;
  static const char *const bad[] = {
      "email=redaktion",            /* no '@' */
      "email=@example.org",         /* nothing before it */
      "email=a@b",                  /* no domain dot */
      "email=a@.de",                /* empty label */
      "email=a@b.de.",              /* trailing dot */
      "email=a@b@c.de",             /* two '@' */
      "email=a b@c.de",             /* a blank */
      "email=a@c.de?subject=Hallo", /* would add mailto: fields */
      "email=a@c.de&body=x",
      "email=\"a\"@c.de",
      "email=<a@c.de>",
      "privacy-contact=mailto:a@c.de",
      "accessibility-contact=a@c.de#x",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ck_assert_msg(!take(bad[i], &s, &why), "%s was taken", bad[i]);
    ck_assert_str_eq(why, "needs an e-mail address like redaktion@example.org");
    ck_assert(!site_any(&s)); /* nothing stored on failure */
  }
}
END_TEST

START_TEST(other_bad_values_say_why) {
  site_info s;
  const char *why;
  ck_assert(!take("fax=123", &s, &why));
  ck_assert_ptr_nonnull(strstr(why, "KEY=VALUE"));
  ck_assert(!take("operator", &s, &why)); /* no '=' */
  ck_assert(!take("=x", &s, &why));
  ck_assert(!take("operator=", &s, &why));
  ck_assert_str_eq(why, "has an empty value");
  char big[SITE_VALUE_MAX + 16] = "operator=";
  memset(big + 9, 'x', SITE_VALUE_MAX + 1);
  big[9 + SITE_VALUE_MAX + 1] = '\0';
  ck_assert(!take(big, &s, &why));
  ck_assert_str_eq(why, "has a value longer than 300 bytes");
  big[9 + SITE_VALUE_MAX] = '\0'; /* exactly the limit is fine */
  ck_assert(take(big, &s, &why));
  ck_assert(!take("operator=a\nb", &s, &why));
  ck_assert(!take("operator=a\tb", &s, &why));
  ck_assert(!take("operator=\x7f", &s, &why));
  ck_assert(!take("operator=\xc3\x28", &s, &why)); /* not UTF-8 */
  ck_assert_str_eq(why, "has a value that is not plain UTF-8 text on one line");
  ck_assert(!take("phone=030 1234 ext. 5", &s, &why));
  ck_assert(!take("phone=+49", &s, &why)); /* fewer than 5 digits */
  ck_assert_ptr_nonnull(strstr(why, "phone number"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("site");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, values_are_taken_for_their_key);
  tcase_add_test(tc, every_key_of_the_table_is_a_config_key);
  tcase_add_test(tc, addresses_that_could_carry_more_are_refused);
  tcase_add_test(tc, other_bad_values_say_why);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-conffile.c - the configuration file of serve and index
 * (src/cli/conffile.c): the command line it builds, and the limits the
 * end-to-end test (tests/e2e/e2e_deploy.py) does not reach.  Messages are
 * checked there, through the real binary.
 *
 * The option tables are the test's own: conffile.c takes the keys from
 * whatever cmd_serve_options and cmd_index_options the program links.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/cli/cli.h"
#include "../src/cli/conffile.h"
#include "testutil.h"

const struct option cmd_serve_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"db", required_argument, NULL, 256},
    {"port", required_argument, NULL, 257},
    {"editorial", no_argument, NULL, 258},
    {"config", required_argument, NULL, 259},
    {NULL, 0, NULL, 0},
};
const struct option cmd_index_options[] = {
    {"db", required_argument, NULL, 256},
    {"full", no_argument, NULL, 257},
    {NULL, 0, NULL, 0},
};
const char *const cmd_serve_site_keys[] = {"operator", "email", NULL};

static char dir[4096];

static void setup(void) {
  tu_scratch_dir(dir, sizeof dir, "conffile");
  unsetenv("TEILHABE_CONFIG");
}

static void teardown(void) { tu_remove_tree(dir); }

/* Loads `text` as the configuration of `teilhabe serve ARGS...` given
 * with --config; the exit code. */
static int load(const char *text, char **args, int nargs, cli_config *cfg) {
  tu_write_file(dir, "t.conf", text);
  static char path[4200];
  snprintf(path, sizeof path, "%s/t.conf", dir);
  char *argv[16] = {"serve", "--config", path};
  for (int i = 0; i < nargs; i++)
    argv[3 + i] = args[i];
  static char *kept[16];
  memcpy(kept, argv, sizeof argv);
  return cli_config_load("serve", 3 + nargs, kept, cfg);
}

START_TEST(settings_go_before_the_command_line) {
  cli_config cfg;
  char *args[] = {"--port", "9000"};
  ck_assert_int_eq(load("[serve]\r\n  db  =  /var/x  \r\nport=1\n"
                        "editorial = true\n[index]\nfull = true\n",
                        args, 2, &cfg),
                   EXIT_OK);
  ck_assert_int_eq(cfg.argc, 8);
  ck_assert_str_eq(cfg.argv[0], "serve");
  ck_assert_str_eq(cfg.argv[1], "--db=/var/x"); /* spaces and \r trimmed */
  ck_assert_str_eq(cfg.argv[2], "--port=1");
  ck_assert_str_eq(cfg.argv[3], "--editorial");
  ck_assert_str_eq(cfg.argv[4], "--config"); /* then the command line */
  ck_assert_str_eq(cfg.argv[6], "--port");
  ck_assert_str_eq(cfg.argv[7], "9000");
  ck_assert_ptr_null(cfg.argv[8]);
  cli_config_release(&cfg);
  cli_config_release(&cfg); /* twice is harmless */
}
END_TEST

START_TEST(a_false_switch_adds_nothing) {
  cli_config cfg;
  ck_assert_int_eq(load("[serve]\neditorial = false\n", NULL, 0, &cfg),
                   EXIT_OK);
  ck_assert_int_eq(cfg.argc, 3);
  cli_config_release(&cfg);
}
END_TEST

START_TEST(a_hash_inside_a_value_is_the_value) {
  cli_config cfg;
  ck_assert_int_eq(load("[serve]\ndb = /x#y # z\n", NULL, 0, &cfg), EXIT_OK);
  ck_assert_str_eq(cfg.argv[1], "--db=/x#y # z");
  cli_config_release(&cfg);
}
END_TEST

START_TEST(no_default_file_leaves_the_command_line_alone) {
  /* The default file of this build (CLI_DEFAULT_CONFIG) is not there in
   * the test's world: argv is handed back as it is. */
  if (access(CLI_DEFAULT_CONFIG, F_OK) == 0)
    return; /* an installed configuration: nothing to learn here */
  char *argv[] = {"serve", "--port", "1", NULL};
  cli_config cfg;
  ck_assert_int_eq(cli_config_load("serve", 3, argv, &cfg), EXIT_OK);
  ck_assert_ptr_eq(cfg.argv, argv);
  ck_assert_int_eq(cfg.argc, 3);
  cli_config_release(&cfg);
}
END_TEST

START_TEST(config_after_double_dash_is_a_word) {
  char *argv[] = {"serve", "--", "--config", "/nonexistent", NULL};
  cli_config cfg;
  if (access(CLI_DEFAULT_CONFIG, F_OK) == 0)
    return;
  ck_assert_int_eq(cli_config_load("serve", 4, argv, &cfg), EXIT_OK);
  ck_assert_ptr_eq(cfg.argv, argv);
  cli_config_release(&cfg);
}
END_TEST

START_TEST(at_most_64_settings) {
  /* 65 different keys do not exist; the cap is reached with the same
   * key in 65 sections. */
  static const char one[] = "[serve]\nport = 1\n";
  char text[65 * (sizeof one - 1) + 1];
  for (int i = 0; i < 65; i++)
    memcpy(text + i * (sizeof one - 1), one, sizeof one); /* with its NUL */
  cli_config cfg;
  ck_assert_int_eq(load(text, NULL, 0, &cfg), EXIT_USAGE);
  ck_assert_ptr_null(cfg.argv);
  cli_config_release(&cfg);
  text[64 * (sizeof one - 1)] = '\0'; /* 64 of them are fine */
  ck_assert_int_eq(load(text, NULL, 0, &cfg), EXIT_OK);
  ck_assert_int_eq(cfg.argc, 3 + 64);
  cli_config_release(&cfg);
}
END_TEST

START_TEST(site_settings_become_site_options_for_serve) {
  cli_config cfg;
  ck_assert_int_eq(load("[site]\noperator = Verein A = B e. V.\n"
                        "email = a@example.org\n[serve]\nport = 1\n",
                        NULL, 0, &cfg),
                   EXIT_OK);
  ck_assert_int_eq(cfg.argc, 6);
  /* The value keeps its own '=': serve splits at the first one. */
  ck_assert_str_eq(cfg.argv[1], "--site=operator=Verein A = B e. V.");
  ck_assert_str_eq(cfg.argv[2], "--site=email=a@example.org");
  ck_assert_str_eq(cfg.argv[3], "--port=1");
  cli_config_release(&cfg);
}
END_TEST

START_TEST(site_keys_are_checked_and_not_set_twice) {
  cli_config cfg;
  ck_assert_int_eq(load("[site]\nname = X\n", NULL, 0, &cfg), EXIT_USAGE);
  ck_assert_ptr_null(cfg.argv);
  ck_assert_int_eq(
      load("[site]\nemail = a@b.de\nemail = c@d.de\n", NULL, 0, &cfg),
      EXIT_USAGE);
  ck_assert_int_eq(load("[site]\nport = 1\n", NULL, 0, &cfg), EXIT_USAGE);
  cli_config_release(&cfg);
}
END_TEST

START_TEST(index_checks_site_but_does_not_take_it) {
  tu_write_file(dir, "t.conf", "[site]\noperator = X\n[index]\nfull = true\n");
  static char path[4200];
  snprintf(path, sizeof path, "--config=%s/t.conf", dir);
  char *argv[] = {"index", path, NULL};
  cli_config cfg;
  ck_assert_int_eq(cli_config_load("index", 2, argv, &cfg), EXIT_OK);
  ck_assert_int_eq(cfg.argc, 3);
  ck_assert_str_eq(cfg.argv[1], "--full");
  cli_config_release(&cfg);
  tu_write_file(dir, "t.conf", "[site]\nfax = 1\n[index]\nfull = true\n");
  ck_assert_int_eq(cli_config_load("index", 2, argv, &cfg), EXIT_USAGE);
}
END_TEST

START_TEST(unreadable_named_file_is_a_runtime_error) {
  char *argv[] = {"serve", "--config=/nonexistent/t.conf", NULL};
  cli_config cfg;
  ck_assert_int_eq(cli_config_load("serve", 2, argv, &cfg), EXIT_RUNTIME);
  ck_assert_ptr_null(cfg.argv);
  setenv("TEILHABE_CONFIG", dir, 1); /* a folder opens, but cannot be read */
  char *plain[] = {"serve", NULL};
  ck_assert_int_eq(cli_config_load("serve", 1, plain, &cfg), EXIT_RUNTIME);
  cli_config_release(&cfg);
}
END_TEST

int main(void) {
  Suite *s = suite_create("conffile");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, settings_go_before_the_command_line);
  tcase_add_test(tc, a_false_switch_adds_nothing);
  tcase_add_test(tc, a_hash_inside_a_value_is_the_value);
  tcase_add_test(tc, no_default_file_leaves_the_command_line_alone);
  tcase_add_test(tc, config_after_double_dash_is_a_word);
  tcase_add_test(tc, at_most_64_settings);
  tcase_add_test(tc, unreadable_named_file_is_a_runtime_error);
  tcase_add_test(tc, site_settings_become_site_options_for_serve);
  tcase_add_test(tc, site_keys_are_checked_and_not_set_twice);
  tcase_add_test(tc, index_checks_site_but_does_not_take_it);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * site.c - the operator's details: the key table and the checks of their
 * values (see site.h).
 */
#include "site.h"

#include <stddef.h>
#include <string.h>

#include "../src/cli/cli.h"
#include "kb_text.h"

static const struct {
  const char *key;
  site_kind kind;
} fields[SITE_NFIELDS] = {
#define SITE_FIELD_ROW(e, key, kind, what) {key, kind},
    SITE_FIELD_TABLE(SITE_FIELD_ROW)
#undef SITE_FIELD_ROW
};

/* The keys of the configuration file's [site] section (cli.h). */
const char *const cmd_serve_site_keys[SITE_NFIELDS + 1] = {
#define SITE_FIELD_KEY(e, key, kind, what) key,
    SITE_FIELD_TABLE(SITE_FIELD_KEY)
#undef SITE_FIELD_KEY
        NULL,
};

const char *site_key(site_field f) {
  return (unsigned)f < SITE_NFIELDS ? fields[f].key : "";
}

site_kind site_kind_of(site_field f) {
  return (unsigned)f < SITE_NFIELDS ? fields[f].kind : SITE_IS_TEXT;
}

/* One '@' with something on both sides and a dot after it; none of the
 * characters that would end a mailto: address or an HTML attribute. */
static bool email_ok(const char *v) {
  const char *at = strchr(v, '@');
  if (at == NULL || at == v || strchr(at + 1, '@') || !strchr(at + 1, '.'))
    return false;
  return strpbrk(v, " \t<>\"'(),;:[]\\?&=#%") == NULL && at[1] != '.' &&
         v[strlen(v) - 1] != '.';
}

/* Digits, blanks, '+', '/', '-', '(' and ')', with at least 5 digits. */
static bool phone_ok(const char *v) {
  size_t digits = 0;
  for (const char *c = v; *c; c++) {
    if (*c >= '0' && *c <= '9')
      digits++;
    else if (!strchr(" +/-()", *c))
      return false;
  }
  return digits >= 5;
}

static bool has_control(const char *v) {
  for (const unsigned char *c = (const unsigned char *)v; *c; c++)
    if (*c < 0x20 || *c == 0x7f)
      return true;
  return false;
}

bool site_set(site_info *site, const char *arg, const char **ret_why) {
  const char *eq = strchr(arg, '=');
  size_t klen = eq ? (size_t)(eq - arg) : 0;
  int f = -1;
  for (int i = 0; eq && i < SITE_NFIELDS; i++)
    if (strlen(fields[i].key) == klen && strncmp(fields[i].key, arg, klen) == 0)
      f = i;
  const char *v = eq ? eq + 1 : "";
  if (f < 0)
    *ret_why = "is KEY=VALUE with a key of teilhabe.conf(5)'s [site] section, "
               "e.g. operator=Verein Beispiel e. V.";
  else if (*v == '\0')
    *ret_why = "has an empty value";
  else if (strlen(v) > SITE_VALUE_MAX)
    *ret_why = "has a value longer than 300 bytes";
  else if (!kb_utf8_valid(v, strlen(v)) || has_control(v))
    *ret_why = "has a value that is not plain UTF-8 text on one line";
  else if (fields[f].kind == SITE_IS_EMAIL && !email_ok(v))
    *ret_why = "needs an e-mail address like redaktion@example.org";
  else if (fields[f].kind == SITE_IS_PHONE && !phone_ok(v))
    *ret_why = "needs a phone number of digits, blanks, '+', '/', '-', "
               "'(' and ')'";
  else {
    site->v[f] = v;
    return true;
  }
  return false;
}

bool site_any(const site_info *site) {
  for (int i = 0; i < SITE_NFIELDS; i++)
    if (site->v[i])
      return true;
  return false;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * site.h - who runs this site: the operator's details that the legal
 * pages show (Impressum, Datenschutz, Erklärung zur Barrierefreiheit,
 * Kontakt), from the [site] section of teilhabe.conf or `serve --site
 * KEY=VALUE` (teilhabe.conf(5)).
 *
 * One table declares every key: its name in the file, whether it is an
 * e-mail address, and what it is.  The configuration file checks its
 * [site] keys against the same table (cmd_serve_site_keys in cli.h), so a
 * key is added in one place.  Nothing is invented: a key that is not set
 * is shown as "not filled in by the operator".
 *
 * Depends on the library's UTF-8 check (kb_text.h) only.
 */
#ifndef TEILHABE_WEB_SITE_H
#define TEILHABE_WEB_SITE_H

#include <stdbool.h>

/* Longest value of a key, in bytes. */
#define SITE_VALUE_MAX 300

/* X(enum, key, kind of value, what it is) */
#define SITE_FIELD_TABLE(X)                                                    \
  X(OPERATOR, "operator", SITE_IS_TEXT,                                        \
    "name of the operator, with its legal "                                    \
    "form")                                                                    \
  X(ADDRESS, "address", SITE_IS_TEXT,                                          \
    "postal address where it is established")                                  \
  X(EMAIL, "email", SITE_IS_EMAIL, "contact e-mail address")                   \
  X(PHONE, "phone", SITE_IS_PHONE, "contact telephone number")                 \
  X(REPRESENTATIVE, "representative", SITE_IS_TEXT,                            \
    "who represents the operator (a legal person)")                            \
  X(REGISTER, "register", SITE_IS_TEXT, "register and number, if registered")  \
  X(VAT_ID, "vat-id", SITE_IS_TEXT, "VAT identification number, if any")       \
  X(AUTHORITY, "supervisory-authority", SITE_IS_TEXT,                          \
    "supervisory authority, if the activity needs a licence")                  \
  X(RESPONSIBLE, "responsible", SITE_IS_TEXT,                                  \
    "who is responsible for the content")                                      \
  X(PRIVACY, "privacy-contact", SITE_IS_EMAIL,                                 \
    "e-mail address for data protection questions")                            \
  X(ACCESSIBILITY, "accessibility-contact", SITE_IS_EMAIL,                     \
    "e-mail address for reporting barriers")                                   \
  X(ENFORCEMENT, "enforcement", SITE_IS_TEXT,                                  \
    "the operator's enforcement procedure (Schlichtungsstelle)")

typedef enum site_kind { SITE_IS_TEXT, SITE_IS_EMAIL, SITE_IS_PHONE } site_kind;

typedef enum site_field {
#define SITE_FIELD_ENUM(e, key, kind, what) SITE_##e,
  SITE_FIELD_TABLE(SITE_FIELD_ENUM)
#undef SITE_FIELD_ENUM
      SITE_NFIELDS
} site_field;

/* The operator's details; each value borrowed (from the command line),
 * NULL when not given. */
typedef struct site_info {
  const char *v[SITE_NFIELDS];
} site_info;

/* The key of `f` ("operator"), and what kind of value it takes. */
const char *site_key(site_field f);
site_kind site_kind_of(site_field f);

/* Applies "KEY=VALUE" (the argument of --site) to `site`, the value
 * pointing into `arg`.  False with a message for people in *ret_why
 * (static text) when the key is unknown or the value is empty, longer
 * than SITE_VALUE_MAX, not UTF-8, holds control characters, or is not an
 * e-mail address or phone number where the key asks for one. */
bool site_set(site_info *site, const char *arg, const char **ret_why);

/* Whether the operator gave anything at all. */
bool site_any(const site_info *site);

#endif

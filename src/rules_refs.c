/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rules_refs.c - the figures article bodies quote from rules
 * ({{regel:<field>}} and {{regel:<field>@YYYY-MM-DD}}, kb_rules.h):
 * finding the references for lint and replacing them by their values
 * before a body is rendered.
 */
#include <stdlib.h>
#include <string.h>

#include "kb_rules.h"
#include "kb_text.h"
#include "rules_internal.h"

/* ---- figures in bodies ----------------------------------------------- */

/* Parses the reference starting at `p` (just after KB_RULE_REF_OPEN) up
 * to "}}": field and optional date.  Returns the length through "}}", or
 * 0 when the reference does not close on its line. */
static size_t parse_ref(const char *p, const char *end, char field[96],
                        char date[16], bool *ok) {
  const char *close = p;
  while (close + 1 < end && *close != '\n' &&
         !(close[0] == '}' && close[1] == '}'))
    close++;
  if (close + 1 >= end || *close == '\n') {
    *ok = false;
    field[0] = date[0] = '\0';
    return 0;
  }
  size_t n = (size_t)(close - p);
  const char *at = memchr(p, '@', n);
  size_t fn = at ? (size_t)(at - p) : n;
  size_t dn = at ? n - fn - 1 : 0;
  *ok = fn > 0 && fn <= KB_RULE_FIELD_MAX && dn < 16;
  snprintf(field, 96, "%.*s", (int)(fn < 95 ? fn : 95), p);
  snprintf(date, 16, "%.*s", (int)(dn < 15 ? dn : 15), at ? at + 1 : "");
  char compact[9];
  if (*ok)
    *ok = kbi_rule_field_valid(field) &&
          (dn == 0 || kb_date_parse(date, compact));
  return n + 2;
}

void kb_rules_each_ref(const char *body, size_t len, kb_rule_ref_cb cb,
                       void *ctx) {
  const char *end = body + len, *p = body, *counted = body;
  unsigned line = 1;
  size_t olen = strlen(KB_RULE_REF_OPEN);
  while ((p = strstr(p, KB_RULE_REF_OPEN)) != NULL && p < end) {
    for (; counted < p; counted++)
      line += *counted == '\n';
    char field[96], date[16];
    bool ok;
    size_t n = parse_ref(p + olen, end, field, date, &ok);
    if (!cb(field, date, line, ok, ctx))
      return;
    p += olen + n;
  }
}

kb_status kb_rules_expand(const kb_rules *rs, const char *body, size_t len,
                          const char *today, char **ret_body,
                          char ret_until[11], char **reterr_msg) {
  size_t olen = strlen(KB_RULE_REF_OPEN), cap = len + 1, n = 0;
  char until[11] = "";
  char *out = malloc(cap);
  if (out == NULL)
    return KB_ERR_NOMEM;
  const char *p = body, *end = body + len;
  while (p < end) {
    const char *hit = strstr(p, KB_RULE_REF_OPEN);
    size_t plain = hit && hit < end ? (size_t)(hit - p) : (size_t)(end - p);
    memcpy(out + n, p, plain); /* never longer than the body so far */
    n += plain;
    p += plain;
    if (p >= end)
      break;
    char field[96], date[16];
    bool ok;
    size_t rn = parse_ref(p + olen, end, field, date, &ok);
    const kb_rule *r =
        ok ? kb_rules_find(rs, field, date[0] ? date : today) : NULL;
    if (r == NULL) {
      free(out);
      return kb_fail(KB_ERR_NOT_FOUND, reterr_msg, "no rule for '%s' on %s",
                     field, date[0] ? date : today);
    }
    char fig[32];
    kb_decimal_format(r->value, fig, sizeof fig);
    size_t fl = strlen(fig);
    if (n + fl + (size_t)(end - p) + 1 > cap) {
      cap = n + fl + (size_t)(end - p) + 1;
      char *grown = realloc(out, cap);
      if (grown == NULL) {
        free(out);
        return KB_ERR_NOMEM;
      }
      out = grown;
    }
    memcpy(out + n, fig, fl);
    n += fl;
    p += olen + rn;
    if (date[0] == '\0' && r->gilt_bis[0] &&
        (until[0] == '\0' || strcmp(r->gilt_bis, until) < 0))
      memcpy(until, r->gilt_bis, 11);
  }
  out[n] = '\0';
  *ret_body = out;
  if (ret_until)
    memcpy(ret_until, until, 11);
  return KB_OK;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rules.c - the rules of corpus/regeln/ (kb_rules.h): loading with file
 * and line in every message, checks of the set (overlaps, gaps) and of
 * today (a rule running out, a calculator left without one), lookup by
 * field and date, and the JSON form stored in the index.  The figures
 * article bodies quote as {{regel:<field>}} are rules_refs.c.
 */
#include "kb_rules.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_text.h"
#include "kb_yaml.h"
#include "rules_internal.h"

/* regeln: -> list -> rule -> quelle: url */
static const kb_ylimits rules_limits = {
    .max_depth = 5, .max_nodes = 20000, .max_scalar = 2048};

static const char *const unit_names[] = {
#define KB_RULE_UNIT_NAME(e, key, label) key,
    KB_RULE_UNIT_TABLE(KB_RULE_UNIT_NAME)
#undef KB_RULE_UNIT_NAME
};
static const char *const unit_labels[] = {
#define KB_RULE_UNIT_LABEL(e, key, label) label,
    KB_RULE_UNIT_TABLE(KB_RULE_UNIT_LABEL)
#undef KB_RULE_UNIT_LABEL
};

const char *kb_rule_unit_name(kb_rule_unit u) {
  return u < KB_RULE_UNIT_COUNT ? unit_names[u] : "";
}

const char *kb_rule_unit_label(kb_rule_unit u) {
  return u < KB_RULE_UNIT_COUNT ? unit_labels[u] : "";
}

static void rule_release(kb_rule *r) {
  free(r->field);
  free(r->title);
  free(r->norm);
  free(r->source_url);
  free(r->source_title);
  free(r->note);
  free(r->path);
}

void kb_rules_free(kb_rules *rules) {
  if (rules == NULL)
    return;
  for (size_t i = 0; i < rules->n; i++)
    rule_release(&rules->v[i]);
  free(rules->v);
  free(rules);
}

static kb_rule *rule_push(kb_rules *rs) {
  if (rs->n == rs->cap) {
    size_t cap = rs->cap ? rs->cap * 2 : 16;
    kb_rule *v = realloc(rs->v, cap * sizeof *v);
    if (v == NULL)
      return NULL;
    rs->v = v;
    rs->cap = cap;
  }
  kb_rule *r = &rs->v[rs->n++];
  *r = (kb_rule){0};
  return r;
}

/* ---- values ---------------------------------------------------------- */

bool kbi_rule_field_valid(const char *f) {
  size_t n = strlen(f);
  if (n == 0 || n > KB_RULE_FIELD_MAX || f[0] == '.' || f[n - 1] == '.')
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = f[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              (c == '.' && f[i + 1] != '.');
    if (!ok)
      return false;
  }
  return true;
}

/* ---- parsing --------------------------------------------------------- */

typedef struct parse_ctx {
  const char *path;
  kb_diags *diags;
  size_t errors;
} parse_ctx;

#define ERR(c, line, code, ...)                                                \
  do {                                                                         \
    kb_diags_add((c)->diags, KB_SEV_ERROR, (c)->path, (line), (code),          \
                 __VA_ARGS__);                                                 \
    (c)->errors++;                                                             \
  } while (0)

/* The scalar `key` of map `m`, or NULL (an error when `required`, or
 * when present but not a single value). */
static const char *scalar(parse_ctx *c, const kb_ynode *m, const char *key,
                          bool required) {
  const kb_ynode *v = kb_ymap_get(m, key);
  if (v == NULL) {
    if (required)
      ERR(c, m->line, "missing-field", "rule lacks '%s'", key);
    return NULL;
  }
  if (v->type != KB_Y_SCALAR || v->len == 0) {
    ERR(c, v->line, "bad-value", "'%s' must be a single non-empty value", key);
    return NULL;
  }
  return v->value;
}

static bool date_ok(parse_ctx *c, const kb_ynode *m, const char *key,
                    const char *s, char out[11]) {
  char compact[9];
  if (s == NULL)
    return false;
  if (!kb_date_parse(s, compact)) {
    ERR(c, kb_ymap_get(m, key)->line, "bad-date",
        "'%s' %s is not a date; write it as YYYY-MM-DD", key, s);
    return false;
  }
  snprintf(out, 11, "%s", s);
  return true;
}

static bool unit_parse(const char *s, kb_rule_unit *ret) {
  for (size_t u = 0; u < KB_RULE_UNIT_COUNT; u++)
    if (strcmp(s, unit_names[u]) == 0) {
      *ret = (kb_rule_unit)u;
      return true;
    }
  return false;
}

static const char *const known_keys[] = {"feld",     "titel",  "wert",
                                         "einheit",  "norm",   "gilt_ab",
                                         "gilt_bis", "quelle", "hinweis"};

/* Every key of a rule must be one of known_keys (a typo of "gilt_bis"
 * would otherwise leave a rule open-ended). */
static void check_keys(parse_ctx *c, const kb_ynode *m) {
  size_t nk = sizeof known_keys / sizeof *known_keys;
  for (size_t i = 0; i + 1 < m->n; i += 2) {
    const char *k = m->items[i]->value ? m->items[i]->value : "";
    bool known = false;
    for (size_t j = 0; j < nk && !known; j++)
      known = strcmp(k, known_keys[j]) == 0;
    if (!known) {
      const char *near = kb_closest(k, known_keys, nk, 2);
      ERR(c, m->items[i]->line, "unknown-field",
          "unknown key '%s' in a rule%s%s%s", k, near ? " (did you mean '" : "",
          near ? near : "", near ? "'?)" : "");
    }
  }
}

static void parse_source(parse_ctx *c, const kb_ynode *m, kb_rule *r) {
  const kb_ynode *q = kb_ymap_get(m, "quelle");
  if (q == NULL) {
    ERR(c, m->line, "missing-field",
        "rule lacks 'quelle' (url and titel of the official source)");
    return;
  }
  if (q->type != KB_Y_MAP) {
    ERR(c, q->line, "bad-value", "'quelle' must have 'url' and 'titel'");
    return;
  }
  const char *url = scalar(c, q, "url", true);
  const char *title = scalar(c, q, "titel", true);
  if (url && strncmp(url, "https://", 8) != 0)
    ERR(c, q->line, "bad-value", "'quelle' url '%s' must start with https://",
        url);
  else if (url)
    r->source_url = strdup(url);
  if (title)
    r->source_title = strdup(title);
}

/* One rule from map `m`; returns false when it has errors. */
static bool parse_rule(parse_ctx *c, const kb_ynode *m, kb_rule *r) {
  size_t before = c->errors;
  if (m->type != KB_Y_MAP) {
    ERR(c, m->line, "bad-value", "each rule must be a mapping (feld: ...)");
    return false;
  }
  check_keys(c, m);
  const char *field = scalar(c, m, "feld", true);
  const char *title = scalar(c, m, "titel", true);
  const char *value = scalar(c, m, "wert", true);
  const char *unit = scalar(c, m, "einheit", true);
  const char *norm = scalar(c, m, "norm", true);
  const char *from = scalar(c, m, "gilt_ab", true);
  const char *until = scalar(c, m, "gilt_bis", false);
  const char *note = scalar(c, m, "hinweis", false);
  if (field && !kbi_rule_field_valid(field))
    ERR(c, m->line, "bad-value",
        "'feld' '%s' must be lowercase words of a-z, 0-9 and _ joined by "
        "dots, at most %d characters",
        field, KB_RULE_FIELD_MAX);
  if (value && !kb_decimal_parse(value, KB_RULE_VALUE_MAX, &r->value))
    ERR(c, kb_ymap_get(m, "wert")->line, "bad-value",
        "'wert' '%s' must be a number of at most two decimal places", value);
  if (unit && !unit_parse(unit, &r->unit))
    ERR(c, kb_ymap_get(m, "einheit")->line, "bad-value",
        "unknown 'einheit' '%s' (euro, prozent, arbeitstage, arbeitsplaetze "
        "or anzahl)",
        unit);
  date_ok(c, m, "gilt_ab", from, r->gilt_ab);
  if (until)
    date_ok(c, m, "gilt_bis", until, r->gilt_bis);
  if (r->gilt_ab[0] && r->gilt_bis[0] && strcmp(r->gilt_bis, r->gilt_ab) < 0)
    ERR(c, kb_ymap_get(m, "gilt_bis")->line, "bad-date",
        "'gilt_bis' %s lies before 'gilt_ab' %s", r->gilt_bis, r->gilt_ab);
  parse_source(c, m, r);
  r->field = field ? strdup(field) : NULL;
  r->title = title ? strdup(title) : NULL;
  r->norm = norm ? strdup(norm) : NULL;
  r->note = note ? strdup(note) : NULL;
  r->path = strdup(c->path);
  r->line = m->line;
  return c->errors == before;
}

size_t kb_rules_parse(kb_rules *rules, const char *path, const char *text,
                      size_t len, kb_diags *diags) {
  parse_ctx c = {.path = path, .diags = diags};
  kb_ynode *root = NULL;
  char *msg = NULL;
  unsigned line = 0;
  if (kb_yaml_parse(text, len, 1, &rules_limits, &root, &line, &msg) != KB_OK) {
    ERR(&c, line, "yaml", "%s", msg ? msg : "malformed YAML");
    free(msg);
    return c.errors;
  }
  const kb_ynode *list = root ? kb_ymap_get(root, "regeln") : NULL;
  if (list == NULL || list->type != KB_Y_SEQ) {
    ERR(&c, root ? root->line : 1, "missing-field",
        "a rules file is a mapping with a list 'regeln:'");
    kb_ynode_free(root);
    return c.errors;
  }
  for (size_t i = 0; i < list->n; i++) {
    if (rules->n >= KB_RULES_MAX) {
      ERR(&c, list->items[i]->line, "too-many",
          "more than %d rules in all (limit 'rules')", KB_RULES_MAX);
      break;
    }
    kb_rule *r = rule_push(rules);
    if (r == NULL) {
      c.errors++;
      break;
    }
    if (!parse_rule(&c, list->items[i], r)) {
      rule_release(r);
      rules->n--;
    }
  }
  kb_ynode_free(root);
  return c.errors;
}

/* ---- the set --------------------------------------------------------- */

static int cmp_rule(const void *a, const void *b) {
  const kb_rule *x = a, *y = b;
  int d = strcmp(x->field, y->field);
  return d ? d : strcmp(x->gilt_ab, y->gilt_ab);
}

/* The day after `iso`. */
static void next_day(const char *iso, char out[11]) {
  int y, m, d;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  sscanf(iso, "%4d-%2d-%2d", &y, &m, &d);
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int last = mdays[m - 1] + (m == 2 && leap);
  if (++d > last) {
    d = 1;
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  char buf[40];
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
  memcpy(out, buf, 10);
  out[10] = '\0';
}

size_t kb_rules_validate(kb_rules *rs, kb_diags *diags) {
  size_t errors = 0;
  if (rs->n > 1) /* rs->v is NULL when there are no rules */
    qsort(rs->v, rs->n, sizeof *rs->v, cmp_rule);
  for (size_t i = 1; i < rs->n; i++) {
    const kb_rule *a = &rs->v[i - 1], *b = &rs->v[i];
    if (strcmp(a->field, b->field) != 0)
      continue;
    if (a->gilt_bis[0] == '\0' || strcmp(a->gilt_bis, b->gilt_ab) >= 0) {
      kb_diags_add(diags, KB_SEV_ERROR, b->path, b->line, "overlap",
                   "rule for '%s' from %s overlaps the rule of %s:%u (%s to "
                   "%s); give the earlier one a 'gilt_bis' before %s",
                   b->field, b->gilt_ab, a->path, a->line, a->gilt_ab,
                   a->gilt_bis[0] ? a->gilt_bis : "open", b->gilt_ab);
      errors++;
      continue;
    }
    char after[11];
    next_day(a->gilt_bis, after);
    if (strcmp(after, b->gilt_ab) != 0) {
      kb_diags_add(diags, KB_SEV_ERROR, b->path, b->line, "gap",
                   "no rule for '%s' from %s to the day before %s; the rule "
                   "of %s:%u ends %s",
                   b->field, after, b->gilt_ab, a->path, a->line, a->gilt_bis);
      errors++;
    }
  }
  return errors;
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

kb_status kb_rules_load_dir(const char *dir, kb_rules **ret_rules,
                            kb_diags *diags) {
  kb_rules *rs = calloc(1, sizeof *rs);
  if (rs == NULL)
    return KB_ERR_NOMEM;
  size_t errors = 0;
  kb_strv names = {0};
  DIR *d = opendir(dir);
  for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
    size_t n = strlen(e->d_name);
    if (e->d_name[0] == '.' || n < 6 || strcmp(e->d_name + n - 5, ".yaml"))
      continue;
    if (names.n >= KB_RULES_MAX_FILES) {
      kb_diags_add(diags, KB_SEV_ERROR, dir, 0, "too-many",
                   "more than %d rules files (limit 'rules files')",
                   KB_RULES_MAX_FILES);
      errors++;
      break;
    }
    if (kb_strv_push(&names, e->d_name) != KB_OK)
      errors++;
  }
  if (d)
    closedir(d);
  if (names.n > 1) /* names.v is NULL when the folder has no rule file */
    qsort(names.v, names.n, sizeof *names.v, cmp_name);
  for (size_t i = 0; i < names.n; i++) {
    char path[4096], *text = NULL, *msg = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s", dir, names.v[i]);
    kb_status st =
        kb_file_read(path, KB_RULES_MAX_FILE_BYTES, &text, &len, &msg);
    if (st != KB_OK) {
      kb_diags_add(diags, KB_SEV_ERROR, path, 0, "io", "%s",
                   msg ? msg : kb_status_str(st));
      errors++;
    } else {
      errors += kb_rules_parse(rs, path, text, len, diags);
    }
    free(text);
    free(msg);
  }
  kb_strv_release(&names);
  if (errors == 0)
    errors += kb_rules_validate(rs, diags);
  if (errors) {
    kb_rules_free(rs);
    return KB_ERR_PARSE;
  }
  *ret_rules = rs;
  return KB_OK;
}

const kb_rule *kb_rules_find(const kb_rules *rs, const char *field,
                             const char *date) {
  for (size_t i = 0; rs && i < rs->n; i++) {
    const kb_rule *r = &rs->v[i];
    if (strcmp(r->field, field) == 0 && strcmp(r->gilt_ab, date) <= 0 &&
        (r->gilt_bis[0] == '\0' || strcmp(date, r->gilt_bis) <= 0))
      return r;
  }
  return NULL;
}

bool kb_rules_has_field(const kb_rules *rs, const char *field) {
  for (size_t i = 0; rs && i < rs->n; i++)
    if (strcmp(rs->v[i].field, field) == 0)
      return true;
  return false;
}

size_t kb_rules_lint(const kb_rules *rs, const char *today,
                     const char *const *needed, size_t nneeded,
                     kb_diags *diags) {
  size_t errors = 0;
  for (size_t i = 0; rs && i < rs->n; i++) {
    const kb_rule *r = &rs->v[i];
    bool last = i + 1 == rs->n || strcmp(rs->v[i + 1].field, r->field) != 0;
    if (!last || r->gilt_bis[0] == '\0')
      continue;
    long left = kb_date_diff(today, r->gilt_bis);
    if (left < 0)
      kb_diags_add(diags, KB_SEV_WARNING, r->path, r->line, "rule-expired",
                   "the rule for '%s' ended %s (%ld days ago) and no rule "
                   "follows; add the rule that applies now",
                   r->field, r->gilt_bis, -left);
    else if (left <= KB_RULES_WARN_DAYS)
      kb_diags_add(diags, KB_SEV_WARNING, r->path, r->line, "rule-expires",
                   "the rule for '%s' ends %s, %ld %s from now, and no rule "
                   "follows; add the rule that applies after it",
                   r->field, r->gilt_bis, left, left == 1 ? "day" : "days");
  }
  for (size_t k = 0; k < nneeded; k++) {
    if (kb_rules_find(rs, needed[k], today))
      continue;
    const char *path = "regeln";
    unsigned line = 0;
    for (size_t i = 0; rs && i < rs->n; i++)
      if (strcmp(rs->v[i].field, needed[k]) == 0) {
        path = rs->v[i].path;
        line = rs->v[i].line;
      }
    kb_diags_add(diags, KB_SEV_ERROR, path, line, "rule-missing",
                 "a calculator needs '%s', but no rule covers today (%s); "
                 "add the rule that applies now",
                 needed[k], today);
    errors++;
  }
  return errors;
}

/* ---- JSON ------------------------------------------------------------ */

json_t *kb_rule_json(const kb_rule *r) {
  char v[32];
  kb_decimal_format(r->value, v, sizeof v);
  json_t *j = json_pack(
      "{s:s, s:s?, s:f, s:s, s:s?, s:s, s:o, s:{s:s?, s:s?}}", "feld", r->field,
      "titel", r->title, "wert", (double)r->value / 100.0, "einheit",
      kb_rule_unit_name(r->unit), "norm", r->norm, "gilt_ab", r->gilt_ab,
      "gilt_bis", r->gilt_bis[0] ? json_string(r->gilt_bis) : json_null(),
      "quelle", "url", r->source_url, "titel", r->source_title);
  if (j && r->note)
    json_object_set_new(j, "hinweis", json_string(r->note));
  return j;
}

json_t *kb_rules_to_json(const kb_rules *rs) {
  json_t *a = json_array();
  for (size_t i = 0; a && rs && i < rs->n; i++) {
    const kb_rule *r = &rs->v[i];
    json_t *o = json_pack(
        "{s:s, s:s?, s:I, s:s, s:s?, s:s, s:s, s:s?, s:s?, s:s?}", "field",
        r->field, "title", r->title, "value", (json_int_t)r->value, "unit",
        kb_rule_unit_name(r->unit), "norm", r->norm, "from", r->gilt_ab,
        "until", r->gilt_bis, "url", r->source_url, "source", r->source_title,
        "note", r->note);
    if (o == NULL || json_array_append_new(a, o) != 0) {
      json_decref(a);
      return NULL;
    }
  }
  return a;
}

static char *dup_opt(const json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? strdup(s) : NULL;
}

kb_status kb_rules_from_json(const json_t *j, kb_rules **ret_rules,
                             char **reterr_msg) {
  if (!json_is_array(j) || json_array_size(j) > KB_RULES_MAX)
    return kb_fail(KB_ERR_PARSE, reterr_msg, "stored rules are not a list");
  kb_rules *rs = calloc(1, sizeof *rs);
  if (rs == NULL)
    return KB_ERR_NOMEM;
  for (size_t i = 0; i < json_array_size(j); i++) {
    const json_t *o = json_array_get(j, i);
    const char *field = json_string_value(json_object_get(o, "field"));
    const char *from = json_string_value(json_object_get(o, "from"));
    const char *until = json_string_value(json_object_get(o, "until"));
    const char *unit = json_string_value(json_object_get(o, "unit"));
    kb_rule *r = rule_push(rs);
    if (r == NULL) {
      kb_rules_free(rs);
      return KB_ERR_NOMEM;
    }
    if (field == NULL || from == NULL || unit == NULL ||
        !unit_parse(unit, &r->unit) ||
        !json_is_integer(json_object_get(o, "value"))) {
      rs->n--;
      kb_rules_free(rs);
      return kb_fail(KB_ERR_PARSE, reterr_msg, "stored rule %zu is incomplete",
                     i);
    }
    r->field = strdup(field);
    r->value = json_integer_value(json_object_get(o, "value"));
    snprintf(r->gilt_ab, sizeof r->gilt_ab, "%s", from);
    snprintf(r->gilt_bis, sizeof r->gilt_bis, "%s", until ? until : "");
    r->title = dup_opt(o, "title");
    r->norm = dup_opt(o, "norm");
    r->source_url = dup_opt(o, "url");
    r->source_title = dup_opt(o, "source");
    r->note = dup_opt(o, "note");
  }
  *ret_rules = rs;
  return KB_OK;
}

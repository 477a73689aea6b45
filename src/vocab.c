/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vocab.c - loading vocab.yaml and synonyms.yaml (see kb_vocab.h).
 */
#include "kb_vocab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_yaml.h"

enum { VOCAB_MAX_FILE = 1 << 20 };

void kb_vocab_free(kb_vocab *vocab) {
  if (vocab == NULL)
    return;
  for (size_t f = 0; f < vocab->nsets; f++) {
    kb_vocab_set *set = &vocab->sets[f];
    for (size_t i = 0; i < set->n; i++) {
      free(set->entries[i].key);
      free(set->entries[i].label);
    }
    free(set->entries);
    free(set->name);
  }
  kb_schema_free(vocab->schema);
  for (size_t i = 0; i < vocab->ngroups; i++)
    kb_strv_release(&vocab->groups[i]);
  free(vocab->groups);
  for (size_t i = 0; i < vocab->nlay; i++)
    kb_strv_release(&vocab->lay[i]);
  free(vocab->lay);
  free(vocab->old_cite);
  free(vocab->new_cite);
  kb_strv_release(&vocab->law_keys);
  kb_strv_release(&vocab->law_urls);
  kb_rules_free(vocab->rules);
  free(vocab);
}

static const kb_ylimits vocab_limits = {
    .max_depth = 3, .max_nodes = 20000, .max_scalar = 4096};

static bool valid_key(const char *s) {
  size_t n = strlen(s);
  if (n < 2 || n > 80)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
          s[i] == '-'))
      return false;
  return true;
}

/* Adds section `name` (a mapping of key to label) to the vocabulary. */
static void load_set(kb_vocab *v, const char *name, const kb_ynode *sec,
                     const char *path, kb_diags *diags) {
  if (sec->type != KB_Y_MAP || sec->n == 0) {
    kb_diags_add(diags, KB_SEV_ERROR, path, sec->line, "vocab",
                 "section '%s' must map keys to German labels", name);
    return;
  }
  if (v->nsets == KB_VOCAB_MAX_SETS) {
    kb_diags_add(diags, KB_SEV_ERROR, path, sec->line, "vocab",
                 "more than %d sections", KB_VOCAB_MAX_SETS);
    return;
  }
  kb_vocab_set *set = &v->sets[v->nsets];
  set->entries = calloc(sec->n / 2, sizeof *set->entries);
  set->name = strdup(name);
  v->nsets++;
  if (set->entries == NULL || set->name == NULL) {
    kb_diags_add(diags, KB_SEV_ERROR, path, 0, "nomem", "out of memory");
    return;
  }
  for (size_t i = 0; i + 1 < sec->n; i += 2) {
    const kb_ynode *key = sec->items[i], *val = sec->items[i + 1];
    if (!valid_key(key->value)) {
      kb_diags_add(diags, KB_SEV_ERROR, path, key->line, "vocab",
                   "key '%s' must be 2-80 characters of a-z, 0-9 and '-'",
                   key->value);
      continue;
    }
    if (val->type != KB_Y_SCALAR || val->len == 0) {
      kb_diags_add(diags, KB_SEV_ERROR, path, val->line, "vocab",
                   "key '%s' needs a German label as text", key->value);
      continue;
    }
    kb_vocab_entry *e = &set->entries[set->n];
    e->key = strdup(key->value);
    e->label = strdup(val->value);
    if (e->key == NULL || e->label == NULL) {
      free(e->key);
      free(e->label);
      kb_diags_add(diags, KB_SEV_ERROR, path, 0, "nomem", "out of memory");
      return;
    }
    set->n++;
  }
}

/* Every top-level section of vocab.yaml is a vocabulary.  Returns false
 * when the file is no mapping of sections at all. */
static bool load_sets(kb_vocab *v, const kb_ynode *root, const char *path,
                      kb_diags *diags) {
  if (root == NULL || root->type != KB_Y_MAP) {
    kb_diags_add(diags, KB_SEV_ERROR, path, root ? root->line : 1, "vocab",
                 "expected a mapping of sections (type, audience, ...), each "
                 "mapping keys to German labels");
    return false;
  }
  for (size_t i = 0; i + 1 < root->n; i += 2)
    load_set(v, root->items[i]->value, root->items[i + 1], path, diags);
  return true;
}

/* Every enum field of the schema names a section of vocab.yaml (`root`;
 * a section that is there but broken has its own error). */
static void check_schema_sets(const kb_vocab *v, const kb_ynode *root,
                              const char *path, kb_diags *diags) {
  const kb_schema *s = v->schema;
  for (size_t i = 0; s && i < s->nfields; i++)
    if (s->fields[i].type == KB_FT_ENUM && s->fields[i].vocab &&
        kb_ymap_get(root, s->fields[i].vocab) == NULL)
      kb_diags_add(diags, KB_SEV_ERROR, path, 0, "vocab",
                   "schema field '%s' uses the vocabulary '%s', which "
                   "vocab.yaml lacks; add that section",
                   s->fields[i].name, s->fields[i].vocab);
  /* a ranked facet value that no record can have would weigh nothing */
  for (size_t f = 0; s && f < s->nfacets; f++) {
    const kb_sfacet *fc = &s->facets[f];
    const char *set = fc->nranks ? s->fields[fc->field].vocab : NULL;
    if (set == NULL || kb_vocab_set_get(v, set) == NULL)
      continue; /* no section, or a broken one: said above or there */
    for (size_t j = 0; j < fc->nranks; j++) {
      const char *value = fc->ranks[j].value;
      if (kb_vocab_label(v, set, value))
        continue;
      const char *near = kb_vocab_suggest(v, set, value);
      kb_diags_add(diags, KB_SEV_ERROR, path, 0, "vocab",
                   "facet '%s' ranks '%s', which the vocabulary '%s' "
                   "lacks%s%s%s; correct the rank in schema.yaml or add "
                   "the value here",
                   fc->name, value, set, near ? " (did you mean '" : "",
                   near ? near : "", near ? "'?)" : "");
    }
  }
}

static void load_synonyms(kb_vocab *v, const kb_ynode *root, const char *path,
                          kb_diags *diags) {
  if (root == NULL)
    return;
  if (root->type != KB_Y_SEQ) {
    kb_diags_add(diags, KB_SEV_ERROR, path, root->line, "synonyms",
                 "expected a list of synonym groups, e.g. "
                 "- [BEM, Betriebliches Eingliederungsmanagement]");
    return;
  }
  v->groups = calloc(root->n ? root->n : 1, sizeof *v->groups);
  if (v->groups == NULL)
    return;
  for (size_t i = 0; i < root->n; i++) {
    const kb_ynode *g = root->items[i];
    if (g->type != KB_Y_SEQ || g->n < 2) {
      kb_diags_add(diags, KB_SEV_ERROR, path, g->line, "synonyms",
                   "a synonym group must list at least two words");
      continue;
    }
    kb_strv *sv = &v->groups[v->ngroups];
    bool ok = true;
    for (size_t j = 0; j < g->n; j++) {
      const kb_ynode *w = g->items[j];
      if (w->type != KB_Y_SCALAR || w->len == 0 || w->len > 200) {
        kb_diags_add(diags, KB_SEV_ERROR, path, w->line, "synonyms",
                     "a synonym must be a word or phrase of 1-200 bytes");
        ok = false;
        continue;
      }
      if (kb_strv_push(sv, w->value) != KB_OK)
        ok = false;
    }
    if (ok)
      v->ngroups++;
    else
      kb_strv_release(sv);
  }
}

/* laien.yaml: everyday word -> one or a list of the field's terms. */
static void load_lay(kb_vocab *v, const kb_ynode *root, const char *path,
                     kb_diags *diags) {
  if (root == NULL)
    return;
  if (root->type != KB_Y_MAP) {
    kb_diags_add(diags, KB_SEV_ERROR, path, root->line, "laien",
                 "expected a mapping of everyday words to terms, e.g. "
                 "Firma: [Arbeitgeber, Betrieb]");
    return;
  }
  v->lay = calloc(root->n / 2 + 1, sizeof *v->lay);
  if (v->lay == NULL)
    return;
  for (size_t i = 0; i + 1 < root->n; i += 2) {
    const kb_ynode *k = root->items[i], *t = root->items[i + 1];
    kb_strv *sv = &v->lay[v->nlay];
    bool ok =
        k->len > 0 && k->len <= 200 && kb_strv_push(sv, k->value) == KB_OK;
    const kb_ynode *one[1] = {t};
    const kb_ynode *const *items =
        t->type == KB_Y_SEQ ? (const kb_ynode *const *)t->items : one;
    size_t n = t->type == KB_Y_SEQ ? t->n : 1;
    for (size_t j = 0; j < n && ok; j++)
      ok = items[j]->type == KB_Y_SCALAR && items[j]->len > 0 &&
           items[j]->len <= 200 && kb_strv_push(sv, items[j]->value) == KB_OK;
    if (ok && sv->n >= 2) {
      v->nlay++;
    } else {
      kb_diags_add(diags, KB_SEV_ERROR, path, k->line, "laien",
                   "'%s' needs one term or a list of terms (words or phrases "
                   "of 1-200 bytes)",
                   k->value);
      kb_strv_release(sv);
    }
  }
}

/* citations.yaml: a mapping "old citation": "today's citation". */
static void load_citations(kb_vocab *v, const kb_ynode *root, const char *path,
                           kb_diags *diags) {
  if (root == NULL)
    return;
  if (root->type != KB_Y_MAP) {
    kb_diags_add(diags, KB_SEV_ERROR, path, root->line, "citations",
                 "expected a mapping like \"\xC2\xA7 84 SGB IX\": "
                 "\"\xC2\xA7 167 SGB IX\"");
    return;
  }
  size_t n = root->n / 2;
  v->old_cite = calloc(n ? n : 1, sizeof *v->old_cite);
  v->new_cite = calloc(n ? n : 1, sizeof *v->new_cite);
  if (v->old_cite == NULL || v->new_cite == NULL)
    return;
  for (size_t i = 0; i + 1 < root->n; i += 2) {
    const kb_ynode *k = root->items[i], *val = root->items[i + 1];
    kb_cite a, b;
    if (kb_cite_parse(k->value, &a, 1) != 1) {
      kb_diags_add(diags, KB_SEV_ERROR, path, k->line, "citations",
                   "'%s' is not a single citation like "
                   "'\xC2\xA7 84 SGB IX'",
                   k->value);
      continue;
    }
    if (val->type != KB_Y_SCALAR || kb_cite_parse(val->value, &b, 1) != 1) {
      kb_diags_add(diags, KB_SEV_ERROR, path, val->line, "citations",
                   "the new form of '%s' must be a single citation", k->value);
      continue;
    }
    v->old_cite[v->ncites] = a;
    v->new_cite[v->ncites] = b;
    v->ncites++;
  }
}

static bool same_para(const kb_cite *a, const kb_cite *b) {
  return a->kind == b->kind && strcmp(a->para, b->para) == 0 &&
         strcmp(a->law, b->law) == 0;
}

bool kb_vocab_today(const kb_vocab *v, const kb_cite *c, kb_cite *ret_today) {
  const kb_cite *para_hit = NULL, *abs_hit = NULL;
  for (size_t i = 0; v && i < v->ncites; i++) {
    const kb_cite *old = &v->old_cite[i];
    if (!same_para(old, c))
      continue;
    if (old->abs[0] == '\0')
      para_hit = &v->new_cite[i];
    else if (strcmp(old->abs, c->abs) == 0)
      abs_hit = &v->new_cite[i];
  }
  if (abs_hit == NULL && para_hit == NULL)
    return false;
  kb_cite now = abs_hit ? *abs_hit : *para_hit;
  /* A paragraph-level entry names no Absatz: keep none rather than guess
   * that the old Absatz number still holds. */
  if (abs_hit == NULL)
    now.abs[0] = '\0';
  if (abs_hit)
    memcpy(now.satz, c->satz, sizeof now.satz);
  else
    now.satz[0] = '\0';
  now.ff = false;
  *ret_today = now;
  return true;
}

/* An address template: https, a host with a dot, at most one "{nr}" and
 * no characters that would need escaping in HTML or a URL. */
static bool law_url_ok(const char *u) {
  if (strncmp(u, "https://", 8) != 0 || strlen(u) > 300)
    return false;
  const char *host = u + 8;
  size_t hl = strcspn(host, "/");
  if (hl < 4 || memchr(host, '.', hl) == NULL)
    return false;
  const char *nr = strstr(u, "{nr}");
  if (nr && strstr(nr + 4, "{nr}"))
    return false;
  for (const char *p = u; *p; p++)
    if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\'' ||
        (unsigned char)*p >= 0x7F)
      return false;
  return true;
}

/* gesetze.yaml: a mapping "law": "https://...{nr}...". */
static void load_laws(kb_vocab *v, const kb_ynode *root, const char *path,
                      kb_diags *diags) {
  if (root == NULL)
    return;
  if (root->type != KB_Y_MAP) {
    kb_diags_add(
        diags, KB_SEV_ERROR, path, root->line, "laws",
        "expected a mapping like \"SGB IX\": "
        "\"https://www.gesetze-im-internet.de/sgb_9_2018/__{nr}.html\"");
    return;
  }
  for (size_t i = 0; i + 1 < root->n; i += 2) {
    const kb_ynode *k = root->items[i], *val = root->items[i + 1];
    char canon[32];
    size_t used = kb_cite_law(k->value, k->len, canon, sizeof canon);
    if (used == 0 || used != k->len || strcmp(canon, k->value) != 0) {
      kb_diags_add(diags, KB_SEV_ERROR, path, k->line, "laws",
                   used ? "write the law as '%s', the form citations use"
                        : "'%s' is not a law abbreviation citations know",
                   used ? canon : k->value);
      continue;
    }
    if (val->type != KB_Y_SCALAR || !law_url_ok(val->value)) {
      kb_diags_add(diags, KB_SEV_ERROR, path, val->line, "laws",
                   "the address of '%s' must be one https:// address, with "
                   "{nr} where the paragraph number goes",
                   k->value);
      continue;
    }
    if (kb_strv_push(&v->law_keys, canon) != KB_OK ||
        kb_strv_push(&v->law_urls, val->value) != KB_OK)
      kb_diags_add(diags, KB_SEV_ERROR, path, k->line, "nomem",
                   "out of memory");
  }
}

bool kb_vocab_has_law_map(const kb_vocab *v) { return v && v->law_keys.n > 0; }

bool kb_vocab_norm_url(const kb_vocab *v, const kb_cite *c, char *buf,
                       size_t cap) {
  for (size_t i = 0; v && i < v->law_keys.n; i++) {
    if (strcmp(v->law_keys.v[i], c->law) != 0)
      continue;
    const char *t = v->law_urls.v[i], *nr = strstr(t, "{nr}");
    int n;
    if (nr && c->kind != KB_CITE_ANNEX) {
      /* gesetze-im-internet.de writes "42q", not "42Q". */
      char para[sizeof c->para];
      for (size_t j = 0; j < sizeof para; j++)
        para[j] =
            (char)((c->para[j] >= 'A' && c->para[j] <= 'Z') ? c->para[j] + 32
                                                            : c->para[j]);
      n = snprintf(buf, cap, "%.*s%s%s", (int)(nr - t), t, para, nr + 4);
    } else if (nr) { /* the law's own page: the folder of the template */
      const char *slash = nr;
      while (slash > t && slash[-1] != '/')
        slash--;
      n = snprintf(buf, cap, "%.*s", (int)(slash - t), t);
    } else {
      n = snprintf(buf, cap, "%s", t);
    }
    return n > 0 && (size_t)n < cap;
  }
  return false;
}

/* Parses one YAML file into a tree, reporting problems as diagnostics. */
static kb_status read_yaml(const char *path, bool optional, kb_ynode **ret,
                           kb_diags *diags) {
  char *text = NULL, *msg = NULL;
  size_t len = 0;
  kb_status st = kb_file_read(path, VOCAB_MAX_FILE, &text, &len, &msg);
  if (st == KB_ERR_NOT_FOUND && optional) {
    free(msg);
    *ret = NULL;
    return KB_OK;
  }
  if (st != KB_OK) {
    kb_diags_add(diags, KB_SEV_ERROR, path, 0, "io", "%s",
                 msg ? msg : kb_status_str(st));
    free(msg);
    return st;
  }
  unsigned line = 0;
  st = kb_yaml_parse(text, len, 1, &vocab_limits, ret, &line, &msg);
  free(text);
  if (st != KB_OK) {
    kb_diags_add(diags, KB_SEV_ERROR, path, line, "yaml", "%s",
                 msg ? msg : kb_status_str(st));
    free(msg);
  }
  return st;
}

kb_status kb_vocab_load(const char *dir, kb_vocab **ret_vocab,
                        kb_diags *diags) {
  size_t errors_before = diags->errors;
  kb_vocab *v = calloc(1, sizeof *v);
  if (v == NULL)
    return KB_ERR_NOMEM;
  char path[4096];
  kb_ynode *root = NULL;

  snprintf(path, sizeof path, "%s/schema.yaml", dir);
  char *text = NULL, *msg = NULL;
  size_t tlen = 0;
  kb_status sst = kb_file_read(path, KB_SCHEMA_MAX_BYTES, &text, &tlen, &msg);
  if (sst == KB_OK)
    kb_schema_parse(path, text, tlen, &v->schema, diags);
  else
    kb_diags_add(diags, KB_SEV_ERROR, path, 0, "schema",
                 "%s; every corpus declares its record kinds in schema.yaml "
                 "(see docs/article-format.md)",
                 msg ? msg : kb_status_str(sst));
  free(text);
  free(msg);

  snprintf(path, sizeof path, "%s/vocab.yaml", dir);
  /* Sections of a file that could not be read are not "missing" too. */
  if (read_yaml(path, false, &root, diags) == KB_OK &&
      load_sets(v, root, path, diags))
    check_schema_sets(v, root, path, diags);
  kb_ynode_free(root);
  root = NULL;

  snprintf(path, sizeof path, "%s/synonyms.yaml", dir);
  if (read_yaml(path, true, &root, diags) == KB_OK)
    load_synonyms(v, root, path, diags);
  kb_ynode_free(root);
  root = NULL;

  snprintf(path, sizeof path, "%s/laien.yaml", dir);
  if (read_yaml(path, true, &root, diags) == KB_OK)
    load_lay(v, root, path, diags);
  kb_ynode_free(root);
  root = NULL;

  snprintf(path, sizeof path, "%s/citations.yaml", dir);
  if (read_yaml(path, true, &root, diags) == KB_OK)
    load_citations(v, root, path, diags);
  kb_ynode_free(root);
  root = NULL;

  snprintf(path, sizeof path, "%s/gesetze.yaml", dir);
  if (read_yaml(path, true, &root, diags) == KB_OK)
    load_laws(v, root, path, diags);
  kb_ynode_free(root);

  snprintf(path, sizeof path, "%s/regeln", dir);
  kb_rules_load_dir(path, &v->rules, diags);

  if (diags->errors > errors_before) {
    kb_vocab_free(v);
    return KB_ERR_PARSE;
  }
  *ret_vocab = v;
  return KB_OK;
}

const kb_vocab_set *kb_vocab_set_get(const kb_vocab *vocab, const char *name) {
  for (size_t i = 0; vocab && name && i < vocab->nsets; i++)
    if (strcmp(vocab->sets[i].name, name) == 0)
      return &vocab->sets[i];
  return NULL;
}

const char *kb_vocab_label(const kb_vocab *vocab, const char *set,
                           const char *key) {
  const kb_vocab_set *vs = kb_vocab_set_get(vocab, set);
  for (size_t i = 0; vs && i < vs->n; i++)
    if (strcmp(vs->entries[i].key, key) == 0)
      return vs->entries[i].label;
  return NULL;
}

const char *kb_vocab_suggest(const kb_vocab *vocab, const char *set,
                             const char *key) {
  const kb_vocab_set *vs = kb_vocab_set_get(vocab, set);
  const char *best = NULL;
  unsigned best_d = 3; /* at most two edits away */
  for (size_t i = 0; vs && i < vs->n; i++) {
    unsigned d = kb_edit_distance(key, vs->entries[i].key, 2);
    if (d < best_d) {
      best_d = d;
      best = vs->entries[i].key;
    }
  }
  return best;
}

const char *kb_vocab_value_label(const kb_vocab *vocab, size_t field,
                                 const char *key) {
  const kb_schema *s = vocab ? vocab->schema : NULL;
  const char *l = NULL;
  if (s && field == KB_SF_KIND) {
    const kb_skind *k = kb_schema_kind(s, key);
    l = k ? k->label : NULL;
  } else if (s && field < s->nfields && s->fields[field].type == KB_FT_ENUM) {
    l = kb_vocab_label(vocab, s->fields[field].vocab, key);
  }
  return l ? l : key;
}

const char *kb_vocab_facet_label(const kb_vocab *vocab, size_t facet,
                                 const char *key) {
  const kb_schema *s = vocab ? vocab->schema : NULL;
  if (s == NULL || facet >= s->nfacets)
    return key;
  return kb_vocab_value_label(vocab, s->facets[facet].field, key);
}

json_t *kb_vocab_to_json(const kb_vocab *vocab) {
  json_t *root = json_object();
  json_t *sets = json_array();
  for (size_t f = 0; f < vocab->nsets; f++) {
    const kb_vocab_set *vs = &vocab->sets[f];
    json_t *arr = json_array();
    for (size_t i = 0; i < vs->n; i++)
      json_array_append_new(
          arr, json_pack("[ss]", vs->entries[i].key, vs->entries[i].label));
    json_array_append_new(sets, json_pack("[so]", vs->name, arr));
  }
  json_object_set_new(root, "sets", sets);
  if (vocab->schema)
    json_object_set_new(
        root, "schema",
        json_stringn(vocab->schema->source, vocab->schema->source_len));
  json_t *groups = json_array();
  for (size_t i = 0; i < vocab->ngroups; i++) {
    json_t *g = json_array();
    for (size_t j = 0; j < vocab->groups[i].n; j++)
      json_array_append_new(g, json_string(vocab->groups[i].v[j]));
    json_array_append_new(groups, g);
  }
  json_object_set_new(root, "synonyms", groups);
  json_t *lay = json_array();
  for (size_t i = 0; i < vocab->nlay; i++) {
    json_t *g = json_array();
    for (size_t j = 0; j < vocab->lay[i].n; j++)
      json_array_append_new(g, json_string(vocab->lay[i].v[j]));
    json_array_append_new(lay, g);
  }
  json_object_set_new(root, "lay", lay);
  json_t *cites = json_array();
  for (size_t i = 0; i < vocab->ncites; i++) {
    char a[64], b[64];
    kb_cite_format(&vocab->old_cite[i], a, sizeof a);
    kb_cite_format(&vocab->new_cite[i], b, sizeof b);
    json_array_append_new(cites, json_pack("[ss]", a, b));
  }
  json_object_set_new(root, "citations", cites);
  json_t *laws = json_object();
  for (size_t i = 0; i < vocab->law_keys.n; i++)
    json_object_set_new(laws, vocab->law_keys.v[i],
                        json_string(vocab->law_urls.v[i]));
  json_object_set_new(root, "laws", laws);
  if (vocab->rules)
    json_object_set_new(root, "rules", kb_rules_to_json(vocab->rules));
  return root;
}

kb_status kb_vocab_from_json(const json_t *json, kb_vocab **ret_vocab,
                             char **reterr_msg) {
  kb_vocab *v = calloc(1, sizeof *v);
  if (v == NULL)
    return KB_ERR_NOMEM;
  json_t *sets = json_object_get(json, "sets");
  for (size_t f = 0; f < json_array_size(sets) && f < KB_VOCAB_MAX_SETS; f++) {
    json_t *pair = json_array_get(sets, f);
    const char *name = json_string_value(json_array_get(pair, 0));
    json_t *arr = json_array_get(pair, 1);
    size_t n = json_array_size(arr);
    if (name == NULL) {
      kb_vocab_free(v);
      return kb_fail(KB_ERR_PARSE, reterr_msg,
                     "vocabulary stored in the index is malformed");
    }
    kb_vocab_set *vs = &v->sets[v->nsets++];
    vs->name = strdup(name);
    vs->entries = calloc(n ? n : 1, sizeof *vs->entries);
    if (vs->entries == NULL || vs->name == NULL)
      goto nomem;
    for (size_t i = 0; i < n; i++) {
      const char *k =
          json_string_value(json_array_get(json_array_get(arr, i), 0));
      const char *l =
          json_string_value(json_array_get(json_array_get(arr, i), 1));
      if (k == NULL || l == NULL) {
        kb_vocab_free(v);
        return kb_fail(KB_ERR_PARSE, reterr_msg,
                       "vocabulary stored in the index is malformed");
      }
      vs->entries[i].key = strdup(k);
      vs->entries[i].label = strdup(l);
      vs->n++;
      if (!vs->entries[i].key || !vs->entries[i].label)
        goto nomem;
    }
  }
  json_t *schema = json_object_get(json, "schema");
  if (!json_is_string(schema)) {
    kb_vocab_free(v);
    return kb_fail(KB_ERR_PARSE, reterr_msg,
                   "the index holds no schema; rebuild it with 'teilhabe "
                   "index'");
  }
  kb_diags sd;
  kb_diags_init(&sd);
  if (kb_schema_parse("schema.yaml (in the index)", json_string_value(schema),
                      json_string_length(schema), &v->schema, &sd) != KB_OK) {
    kb_diags_release(&sd);
    kb_vocab_free(v);
    return kb_fail(KB_ERR_PARSE, reterr_msg,
                   "the schema stored in the index is malformed");
  }
  kb_diags_release(&sd);
  json_t *groups = json_object_get(json, "synonyms");
  size_t ng = json_array_size(groups);
  v->groups = calloc(ng ? ng : 1, sizeof *v->groups);
  if (v->groups == NULL)
    goto nomem;
  for (size_t i = 0; i < ng; i++) {
    json_t *g = json_array_get(groups, i);
    for (size_t j = 0; j < json_array_size(g); j++) {
      const char *w = json_string_value(json_array_get(g, j));
      if (w && kb_strv_push(&v->groups[v->ngroups], w) != KB_OK)
        goto nomem;
    }
    v->ngroups++;
  }
  json_t *lay = json_object_get(json, "lay");
  size_t nl = json_array_size(lay);
  v->lay = calloc(nl ? nl : 1, sizeof *v->lay);
  if (v->lay == NULL)
    goto nomem;
  for (size_t i = 0; i < nl; i++) {
    json_t *g = json_array_get(lay, i);
    for (size_t j = 0; j < json_array_size(g); j++) {
      const char *w = json_string_value(json_array_get(g, j));
      if (w && kb_strv_push(&v->lay[v->nlay], w) != KB_OK)
        goto nomem;
    }
    v->nlay++;
  }
  json_t *cites = json_object_get(json, "citations");
  size_t nc = json_array_size(cites);
  v->old_cite = calloc(nc ? nc : 1, sizeof *v->old_cite);
  v->new_cite = calloc(nc ? nc : 1, sizeof *v->new_cite);
  if (v->old_cite == NULL || v->new_cite == NULL)
    goto nomem;
  for (size_t i = 0; i < nc; i++) {
    json_t *pair = json_array_get(cites, i);
    const char *a = json_string_value(json_array_get(pair, 0));
    const char *b = json_string_value(json_array_get(pair, 1));
    if (a && b && kb_cite_parse(a, &v->old_cite[v->ncites], 1) == 1 &&
        kb_cite_parse(b, &v->new_cite[v->ncites], 1) == 1)
      v->ncites++;
  }
  const char *law;
  json_t *url;
  json_object_foreach(json_object_get(json, "laws"), law, url) {
    const char *u = json_string_value(url);
    if (u && (kb_strv_push(&v->law_keys, law) != KB_OK ||
              kb_strv_push(&v->law_urls, u) != KB_OK))
      goto nomem;
  }
  const json_t *rj = json_object_get(json, "rules");
  if (rj) {
    kb_status st = kb_rules_from_json(rj, &v->rules, reterr_msg);
    if (st != KB_OK) {
      kb_vocab_free(v);
      return st;
    }
  }
  *ret_vocab = v;
  return KB_OK;
nomem:
  kb_vocab_free(v);
  return KB_ERR_NOMEM;
}

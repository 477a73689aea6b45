/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * schema.c - reading schema.yaml (see kb_schema.h).  Knows nothing of any
 * particular kind or field: only the shape of a declaration.
 */
#include "kb_schema.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_buf.h"
#include "kb_layout.h"
#include "kb_yaml.h"

static const char *const ftype_names[KB_FT_COUNT] = {
#define KB_FTYPE_NAME(e, name, what) name,
    KB_FTYPE_TABLE(KB_FTYPE_NAME)
#undef KB_FTYPE_NAME
};

const char *kb_ftype_name(kb_ftype t) {
  return (unsigned)t < KB_FT_COUNT ? ftype_names[t] : "";
}

/* The deepest declaration: root, kinds, a kind, its fields, a field,
 * required_when, a list of values, a value. */
static const kb_ylimits schema_limits = {
    .max_depth = 8, .max_nodes = 20000, .max_scalar = 1024};

typedef struct sctx {
  const char *path;
  kb_diags *diags;
  size_t errors;
  kb_schema *s;
} sctx;

#define SERR(c, line, ...)                                                     \
  do {                                                                         \
    kb_diags_add((c)->diags, KB_SEV_ERROR, (c)->path, (line), "schema",        \
                 __VA_ARGS__);                                                 \
    (c)->errors++;                                                             \
  } while (0)

static void cond_release(kb_scond *c) { kb_strv_release(&c->values); }

void kb_schema_free(kb_schema *s) {
  if (s == NULL)
    return;
  for (size_t i = 0; i < s->nfields; i++) {
    free(s->fields[i].name);
    free(s->fields[i].label);
    free(s->fields[i].vocab);
    free(s->fields[i].query);
    free(s->fields[i].jsonld);
  }
  for (size_t i = 0; i < s->nkinds; i++) {
    kb_skind *k = &s->kinds[i];
    free(k->name);
    free(k->label);
    free(k->plural);
    free(k->intro);
    free(k->index_path);
    free(k->finder_path);
    free(k->finder_title);
    free(k->finder_also);
    for (size_t j = 0; j < k->nfields; j++) {
      cond_release(&k->fields[j].required_when);
      cond_release(&k->fields[j].only_when);
    }
    free(k->fields);
    free(k->facts);
    cond_release(&k->stale_when);
  }
  for (size_t i = 0; i < s->nfacets; i++) {
    free(s->facets[i].name);
    free(s->facets[i].label);
    free(s->facets[i].query);
    for (size_t j = 0; j < s->facets[i].nranks; j++)
      free(s->facets[i].ranks[j].value);
  }
  for (size_t i = 0; i < s->nsorts; i++) {
    free(s->sorts[i].name);
    free(s->sorts[i].label);
  }
  free(s->source);
  free(s);
}

size_t kb_schema_field(const kb_schema *s, const char *name) {
  if (strcmp(name, "kind") == 0)
    return KB_SF_KIND;
  if (strcmp(name, "updated") == 0)
    return KB_SF_UPDATED;
  for (size_t i = 0; i < s->nfields; i++)
    if (strcmp(s->fields[i].name, name) == 0)
      return i;
  return KB_SCHEMA_NONE;
}

const char *kb_schema_field_name(const kb_schema *s, size_t field) {
  if (field == KB_SF_KIND)
    return "kind";
  if (field == KB_SF_UPDATED)
    return "updated";
  return field < s->nfields ? s->fields[field].name : "";
}

const kb_skind *kb_schema_kind(const kb_schema *s, const char *name) {
  for (size_t i = 0; i < s->nkinds; i++)
    if (strcmp(s->kinds[i].name, name) == 0)
      return &s->kinds[i];
  return NULL;
}

size_t kb_schema_facet(const kb_schema *s, const char *name) {
  for (size_t i = 0; i < s->nfacets; i++)
    if (strcmp(s->facets[i].name, name) == 0)
      return i;
  return KB_SCHEMA_NONE;
}

size_t kb_schema_facet_by_query(const kb_schema *s, const char *prefix,
                                size_t len) {
  for (size_t i = 0; i < s->nfacets; i++) {
    const char *q = s->facets[i].query;
    if (q && strlen(q) == len && strncmp(q, prefix, len) == 0)
      return i;
  }
  return KB_SCHEMA_NONE;
}

const kb_ssort *kb_schema_sort(const kb_schema *s, const char *name) {
  for (size_t i = 0; i < s->nsorts; i++)
    if (strcmp(s->sorts[i].name, name) == 0)
      return &s->sorts[i];
  return NULL;
}

const kb_skfield *kb_skind_field(const kb_skind *k, size_t field) {
  for (size_t i = 0; i < k->nfields; i++)
    if (k->fields[i].field == field)
      return &k->fields[i];
  return NULL;
}

/* ---- reading ------------------------------------------------------------ */

static bool valid_name(const char *v, bool underscore) {
  size_t n = strlen(v);
  if (n < 2 || n > 40)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') ||
          (underscore ? v[i] == '_' : v[i] == '-')))
      return false;
  return true;
}

static char *str(sctx *c, const kb_ynode *n, const char *what) {
  if (n == NULL)
    return NULL;
  if (n->type != KB_Y_SCALAR || n->len == 0) {
    SERR(c, n->line, "'%s' must be a text", what);
    return NULL;
  }
  char *v = strdup(n->value);
  if (v == NULL)
    SERR(c, n->line, "out of memory");
  return v;
}

static bool flag(sctx *c, const kb_ynode *n, const char *what) {
  if (n == NULL)
    return false;
  if (n->type == KB_Y_SCALAR && strcmp(n->value, "true") == 0)
    return true;
  if (n->type == KB_Y_SCALAR && strcmp(n->value, "false") == 0)
    return false;
  SERR(c, n->line, "'%s' is true or false", what);
  return false;
}

/* Refuses keys of `map` that are not in `allowed` (NULL-terminated). */
static void only_keys(sctx *c, const kb_ynode *map, const char *const *allowed,
                      const char *what) {
  for (size_t i = 0; i + 1 < map->n; i += 2) {
    bool ok = false;
    for (const char *const *a = allowed; *a && !ok; a++)
      ok = strcmp(map->items[i]->value, *a) == 0;
    if (!ok)
      SERR(c, map->items[i]->line, "unknown key '%s' in %s",
           map->items[i]->value, what);
  }
}

static void parse_field(sctx *c, const kb_ynode *key, const kb_ynode *v) {
  static const char *const keys[] = {"type",   "label", "vocab",  "list",
                                     "search", "query", "jsonld", NULL};
  kb_schema *s = c->s;
  if (!valid_name(key->value, true)) {
    SERR(c, key->line,
         "field name '%s' must be 2-40 characters of a-z, 0-9 "
         "and '_'",
         key->value);
    return;
  }
  if (kb_schema_field(s, key->value) != KB_SCHEMA_NONE ||
      strcmp(key->value, "id") == 0 || strcmp(key->value, "title") == 0 ||
      strcmp(key->value, "summary") == 0 ||
      strcmp(key->value, "sources") == 0 ||
      strcmp(key->value, "related") == 0) {
    SERR(c, key->line, "field '%s' is declared twice or is an envelope field",
         key->value);
    return;
  }
  if (v->type != KB_Y_MAP) {
    SERR(c, v->line, "field '%s' must be a mapping like {type: enum, ...}",
         key->value);
    return;
  }
  if (s->nfields == KB_SCHEMA_MAX_FIELDS) {
    SERR(c, key->line, "more than %d fields", KB_SCHEMA_MAX_FIELDS);
    return;
  }
  only_keys(c, v, keys, "a field");
  kb_sfield *f = &s->fields[s->nfields++];
  f->name = strdup(key->value);
  f->label = str(c, kb_ymap_get(v, "label"), "label");
  f->vocab = str(c, kb_ymap_get(v, "vocab"), "vocab");
  f->query = str(c, kb_ymap_get(v, "query"), "query");
  f->jsonld = str(c, kb_ymap_get(v, "jsonld"), "jsonld");
  if (f->jsonld && strcmp(f->jsonld, "audience") != 0 &&
      strcmp(f->jsonld, "about") != 0)
    SERR(c, v->line, "'jsonld' is 'audience' or 'about'");
  f->list = flag(c, kb_ymap_get(v, "list"), "list");
  const kb_ynode *t = kb_ymap_get(v, "type");
  f->type = KB_FT_COUNT;
  for (int i = 0; t && t->type == KB_Y_SCALAR && i < KB_FT_COUNT; i++)
    if (strcmp(t->value, ftype_names[i]) == 0)
      f->type = (kb_ftype)i;
  if (f->type == KB_FT_COUNT) {
    kb_buf all = KB_BUF_INIT(512);
    for (int i = 0; i < KB_FT_COUNT; i++)
      kb_buf_addf(&all, "%s%s", i ? ", " : "", ftype_names[i]);
    SERR(c, t ? t->line : v->line, "field '%s' needs a type (one of %s)",
         key->value, kb_buf_str(&all));
    kb_buf_release(&all);
    f->type = KB_FT_TEXT;
  }
  if (f->label == NULL)
    f->label = strdup(key->value);
  if (f->type == KB_FT_EASY && !f->list)
    SERR(c, v->line,
         "field '%s' of type easy is a list of sentences: add 'list: true'",
         key->value);
  if (f->type == KB_FT_ENUM && f->vocab == NULL)
    SERR(c, v->line, "enum field '%s' needs 'vocab' (a vocab.yaml section)",
         key->value);
  const kb_ynode *w = kb_ymap_get(v, "search");
  if (w) {
    char *end = NULL;
    unsigned long n = w->type == KB_Y_SCALAR ? strtoul(w->value, &end, 10) : 0;
    if (end == NULL || *end || n < 1 || n > 20)
      SERR(c, w->line, "'search' is a weight from 1 to 20");
    else
      f->weight = (unsigned)n;
  }
}

static void parse_cond(sctx *c, const kb_ynode *v, kb_scond *out,
                       const char *what) {
  if (v->type != KB_Y_MAP || v->n != 2) {
    SERR(c, v->line, "'%s' is one condition like {type: recht}", what);
    return;
  }
  const kb_ynode *fk = v->items[0], *vals = v->items[1];
  out->field = kb_schema_field(c->s, fk->value);
  if (out->field >= c->s->nfields) {
    SERR(c, fk->line, "'%s' names the unknown field '%s'", what, fk->value);
    return;
  }
  if (vals->type == KB_Y_SCALAR) {
    kb_strv_push(&out->values, vals->value);
    return;
  }
  for (size_t i = 0; vals->type == KB_Y_SEQ && i < vals->n; i++)
    if (vals->items[i]->type == KB_Y_SCALAR)
      kb_strv_push(&out->values, vals->items[i]->value);
  if (out->values.n == 0)
    SERR(c, vals->line, "'%s' needs a value or a list of values", what);
}

/* A condition names a field of its own kind: a record of the kind never
 * has a value of another kind's field, so the condition would silently
 * never hold. */
static void check_cond_field(sctx *c, const kb_skind *k, const kb_ynode *cond) {
  if (cond == NULL || cond->type != KB_Y_MAP || cond->n != 2)
    return; /* parse_cond has said what is wrong */
  const kb_ynode *fk = cond->items[0];
  size_t f = kb_schema_field(c->s, fk->value);
  if (f < c->s->nfields && kb_skind_field(k, f) == NULL)
    SERR(c, fk->line,
         "condition of kind '%s' names '%s', which it does not have; add "
         "it to the kind's fields",
         k->name, fk->value);
}

static void parse_kind_field(sctx *c, kb_skind *k, const kb_ynode *key,
                             const kb_ynode *v) {
  size_t f = kb_schema_field(c->s, key->value);
  if (f >= c->s->nfields) {
    SERR(c, key->line, "kind '%s' uses the undeclared field '%s'", k->name,
         key->value);
    return;
  }
  kb_skfield *kf = &k->fields[k->nfields++];
  *kf = (kb_skfield){.field = f};
  if (v->type == KB_Y_SCALAR && strcmp(v->value, "required") == 0) {
    kf->required = true;
    return;
  }
  if (v->type == KB_Y_SCALAR && strcmp(v->value, "optional") == 0)
    return;
  static const char *const keys[] = {"required_when", "only_when", NULL};
  if (v->type != KB_Y_MAP) {
    SERR(c, v->line,
         "field '%s' of kind '%s' is required, optional, "
         "{required_when: ...} or {only_when: ...}",
         key->value, k->name);
    return;
  }
  only_keys(c, v, keys, "a kind's field");
  const kb_ynode *rw = kb_ymap_get(v, "required_when");
  const kb_ynode *ow = kb_ymap_get(v, "only_when");
  if (rw) {
    kf->has_required_when = true;
    parse_cond(c, rw, &kf->required_when, "required_when");
  }
  if (ow) {
    kf->has_only_when = true;
    parse_cond(c, ow, &kf->only_when, "only_when");
  }
}

static void parse_facts(sctx *c, kb_skind *k, const kb_ynode *v) {
  if (v->type != KB_Y_SEQ) {
    SERR(c, v->line, "'facts' is a list of field names");
    return;
  }
  k->facts = calloc(v->n + 1, sizeof *k->facts);
  for (size_t i = 0; k->facts && i < v->n; i++) {
    const kb_ynode *it = v->items[i];
    size_t f = it->type == KB_Y_SCALAR ? kb_schema_field(c->s, it->value)
                                       : KB_SCHEMA_NONE;
    if (f == KB_SCHEMA_NONE || (f < c->s->nfields && !kb_skind_field(k, f)))
      SERR(c, it->line, "facts of kind '%s' name '%s', which it does not have",
           k->name, it->type == KB_Y_SCALAR ? it->value : "?");
    else
      k->facts[k->nfacts++] = f;
  }
}

static void parse_stale(sctx *c, kb_skind *k, const kb_ynode *v) {
  const kb_ynode *m = v->type == KB_Y_MAP ? kb_ymap_get(v, "months") : NULL;
  char *end = NULL;
  unsigned long n =
      m && m->type == KB_Y_SCALAR ? strtoul(m->value, &end, 10) : 0;
  if (end == NULL || *end || n < 1 || n > 120) {
    SERR(c, v->line, "'stale' is {months: 1-120} with an optional 'when'");
    return;
  }
  k->stale_months = (unsigned)n;
  const kb_ynode *w = kb_ymap_get(v, "when");
  if (w) {
    k->has_stale_when = true;
    parse_cond(c, w, &k->stale_when, "when");
    check_cond_field(c, k, w);
  }
}

static void parse_finder(sctx *c, kb_skind *k, const kb_ynode *v) {
  static const char *const keys[] = {"path", "title", "by", "also", NULL};
  if (v->type != KB_Y_MAP) {
    SERR(c, v->line, "'finder' is {path: ..., title: ..., by: [field, ...]}");
    return;
  }
  only_keys(c, v, keys, "a finder");
  k->finder_path = str(c, kb_ymap_get(v, "path"), "path");
  k->finder_title = str(c, kb_ymap_get(v, "title"), "title");
  k->finder_also = str(c, kb_ymap_get(v, "also"), "also");
  const kb_ynode *by = kb_ymap_get(v, "by");
  for (size_t i = 0; by && by->type == KB_Y_SEQ && i < by->n && i < 2; i++) {
    size_t f = by->items[i]->type == KB_Y_SCALAR
                   ? kb_schema_field(c->s, by->items[i]->value)
                   : KB_SCHEMA_NONE;
    if (f >= c->s->nfields || c->s->fields[f].type != KB_FT_ENUM ||
        !kb_skind_field(k, f))
      SERR(c, by->items[i]->line,
           "a finder chooses by enum fields of its "
           "kind");
    else
      k->finder_by[k->nfinder_by++] = f;
  }
  if (k->finder_path == NULL || !valid_name(k->finder_path, false) ||
      k->finder_title == NULL || k->nfinder_by == 0)
    SERR(c, v->line,
         "a finder needs a 'path' of a-z and '-', a 'title' and "
         "'by' (one or two enum fields)");
}

/* A rank: a number above 0 and at most 2, or -1 with an error. */
static double parse_rank(sctx *c, const kb_ynode *v, const char *what,
                         const char *name) {
  char *end = NULL;
  double r = v->type == KB_Y_SCALAR ? strtod(v->value, &end) : 0;
  if (end == NULL || end == v->value || *end || !(r > 0 && r <= 2)) {
    SERR(c, v->line, "'rank' of %s '%s' is a number above 0 and at most 2",
         what, name);
    return -1;
  }
  return r;
}

static void parse_kind(sctx *c, const kb_ynode *key, const kb_ynode *v) {
  static const char *const keys[] = {"label",  "plural", "intro",    "fields",
                                     "facts",  "stale",  "exact",    "index",
                                     "finder", "rank",   "markdown", NULL};
  kb_schema *s = c->s;
  if (!valid_name(key->value, false) || kb_schema_kind(s, key->value)) {
    SERR(c, key->line, "kind '%s' must be a new name of a-z, 0-9 and '-'",
         key->value);
    return;
  }
  if (v->type != KB_Y_MAP || s->nkinds == KB_SCHEMA_MAX_KINDS) {
    SERR(c, v->line, "kind '%s' must be a mapping (at most %d kinds)",
         key->value, KB_SCHEMA_MAX_KINDS);
    return;
  }
  only_keys(c, v, keys, "a kind");
  kb_skind *k = &s->kinds[s->nkinds++];
  k->name = strdup(key->value);
  k->label = str(c, kb_ymap_get(v, "label"), "label");
  k->plural = str(c, kb_ymap_get(v, "plural"), "plural");
  k->intro = str(c, kb_ymap_get(v, "intro"), "intro");
  if (k->label == NULL || k->plural == NULL)
    SERR(c, v->line, "kind '%s' needs 'label' and 'plural'", key->value);
  const kb_ynode *fs = kb_ymap_get(v, "fields");
  if (fs && fs->type != KB_Y_MAP)
    SERR(c, fs->line,
         "'fields' of kind '%s' maps field names to required "
         "or optional",
         key->value);
  size_t nf = fs && fs->type == KB_Y_MAP ? fs->n / 2 : 0;
  k->fields = calloc(nf + 1, sizeof *k->fields);
  for (size_t i = 0; k->fields && i < nf; i++)
    parse_kind_field(c, k, fs->items[2 * i], fs->items[2 * i + 1]);
  for (size_t i = 0; k->fields && i < nf; i++) {
    const kb_ynode *fv = fs->items[2 * i + 1];
    if (fv->type == KB_Y_MAP) {
      check_cond_field(c, k, kb_ymap_get(fv, "required_when"));
      check_cond_field(c, k, kb_ymap_get(fv, "only_when"));
    }
  }
  const kb_ynode *facts = kb_ymap_get(v, "facts");
  if (facts)
    parse_facts(c, k, facts);
  k->exact = flag(c, kb_ymap_get(v, "exact"), "exact");
  k->markdown = flag(c, kb_ymap_get(v, "markdown"), "markdown");
  k->rank = 1.0;
  const kb_ynode *rank = kb_ymap_get(v, "rank");
  if (rank) {
    double r = parse_rank(c, rank, "kind", k->name);
    if (r > 0)
      k->rank = r;
  }
  k->index_path = str(c, kb_ymap_get(v, "index"), "index");
  if (k->index_path && !valid_name(k->index_path, false))
    SERR(c, v->line, "'index' of kind '%s' is a page name of a-z and '-'",
         k->name);
  const kb_ynode *finder = kb_ymap_get(v, "finder");
  if (finder)
    parse_finder(c, k, finder);
  const kb_ynode *stale = kb_ymap_get(v, "stale");
  if (stale)
    parse_stale(c, k, stale);
}

/* A facet's `rank`: {value: number, ...}, values of an enum facet (that
 * they are in the vocabulary is checked with vocab.yaml, kb_vocab). */
static void parse_value_ranks(sctx *c, kb_sfacet *fc, const kb_ynode *v) {
  kb_schema *s = c->s;
  if (fc->field >= s->nfields || s->fields[fc->field].type != KB_FT_ENUM ||
      v->type != KB_Y_MAP || v->n / 2 > KB_SCHEMA_MAX_RANKED) {
    SERR(c, v->line,
         "'rank' of facet '%s' maps values of its enum field to numbers "
         "(at most %d; a kind has its own 'rank')",
         fc->name, KB_SCHEMA_MAX_RANKED);
    return;
  }
  for (size_t i = 0; i + 1 < v->n; i += 2) {
    const kb_ynode *k = v->items[i];
    if (k->type != KB_Y_SCALAR || !valid_name(k->value, false)) {
      SERR(c, k->line,
           "a value in 'rank' of facet '%s' is a name of a-z, "
           "0-9 and '-'",
           fc->name);
      continue;
    }
    double r = parse_rank(c, v->items[i + 1], "facet value", k->value);
    if (r < 0)
      continue;
    fc->ranks[fc->nranks].value = strdup(k->value);
    fc->ranks[fc->nranks++].rank = r;
  }
}

static void parse_facet(sctx *c, const kb_ynode *v) {
  static const char *const keys[] = {"name",   "field", "label", "query",
                                     "within", "rank",  NULL};
  kb_schema *s = c->s;
  if (v->type != KB_Y_MAP || s->nfacets == KB_SCHEMA_MAX_FACETS) {
    SERR(c, v->line,
         "a facet is a mapping {name: ..., field: ...} (at most "
         "%d facets)",
         KB_SCHEMA_MAX_FACETS);
    return;
  }
  only_keys(c, v, keys, "a facet");
  const kb_ynode *n = kb_ymap_get(v, "name"), *f = kb_ymap_get(v, "field");
  if (n == NULL || n->type != KB_Y_SCALAR || !valid_name(n->value, false) ||
      kb_schema_facet(s, n->value) != KB_SCHEMA_NONE) {
    SERR(c, n ? n->line : v->line,
         "a facet needs a new 'name' of a-z, 0-9 "
         "and '-'");
    return;
  }
  size_t field = f && f->type == KB_Y_SCALAR ? kb_schema_field(s, f->value)
                                             : KB_SCHEMA_NONE;
  bool ok = field == KB_SF_KIND ||
            (field < s->nfields && (s->fields[field].type == KB_FT_ENUM ||
                                    s->fields[field].type == KB_FT_NORM));
  if (!ok) {
    SERR(c, f ? f->line : v->line,
         "facet '%s' needs a 'field' that is "
         "'kind' or a declared enum or norm field",
         n->value);
    return;
  }
  kb_sfacet *fc = &s->facets[s->nfacets];
  fc->name = strdup(n->value);
  fc->field = field;
  fc->label = str(c, kb_ymap_get(v, "label"), "label");
  if (fc->label == NULL)
    fc->label = strdup(field == KB_SF_KIND ? "Art des Eintrags"
                                           : s->fields[field].label);
  fc->query = str(c, kb_ymap_get(v, "query"), "query");
  const kb_ynode *w = kb_ymap_get(v, "within");
  if (w && w->type == KB_Y_SCALAR && strcmp(w->value, "and") == 0)
    fc->and_within = true;
  else if (w && !(w->type == KB_Y_SCALAR && strcmp(w->value, "or") == 0))
    SERR(c, w->line, "'within' is 'or' or 'and'");
  size_t p = (size_t)snprintf(fc->prefix, sizeof fc->prefix, "XF");
  for (const char *q = n->value; *q && p + 2 < sizeof fc->prefix; q++)
    fc->prefix[p++] = *q == '-' ? '_' : (char)toupper((unsigned char)*q);
  fc->prefix[p++] = ':';
  fc->prefix[p] = '\0';
  fc->slot = KB_SLOT_FACET0 + (unsigned)s->nfacets;
  const kb_ynode *rank = kb_ymap_get(v, "rank");
  if (rank)
    parse_value_ranks(c, fc, rank);
  s->nfacets++;
}

static void parse_sort(sctx *c, const kb_ynode *v) {
  kb_schema *s = c->s;
  const kb_ynode *n = v->type == KB_Y_MAP ? kb_ymap_get(v, "name") : NULL;
  const kb_ynode *f = v->type == KB_Y_MAP ? kb_ymap_get(v, "field") : NULL;
  size_t field = f && f->type == KB_Y_SCALAR ? kb_schema_field(s, f->value)
                                             : KB_SCHEMA_NONE;
  bool ok = field == KB_SF_UPDATED ||
            (field < s->nfields && s->fields[field].type == KB_FT_DATE);
  if (n == NULL || n->type != KB_Y_SCALAR || !valid_name(n->value, false) ||
      !ok || s->nsorts == KB_SCHEMA_MAX_SORTS ||
      strcmp(n->value, "relevance") == 0) {
    SERR(c, v->line,
         "a sort is {name: ..., field: updated or a date field, "
         "label: ...}");
    return;
  }
  kb_ssort *so = &s->sorts[s->nsorts];
  so->name = strdup(n->value);
  so->field = field;
  so->label = str(c, kb_ymap_get(v, "label"), "label");
  if (so->label == NULL)
    so->label = strdup(n->value);
  so->slot = field == KB_SF_UPDATED ? KB_SLOT_UPDATED
                                    : KB_SLOT_SORT0 + (unsigned)s->nsorts;
  s->nsorts++;
}

static void parse_root(sctx *c, const kb_ynode *root) {
  static const char *const keys[] = {"fields", "kinds", "facets", "sorts",
                                     NULL};
  if (root == NULL || root->type != KB_Y_MAP) {
    SERR(c, root ? root->line : 1,
         "expected the sections fields, kinds, "
         "facets and sorts");
    return;
  }
  only_keys(c, root, keys, "the schema");
  const kb_ynode *fields = kb_ymap_get(root, "fields");
  for (size_t i = 0; fields && fields->type == KB_Y_MAP && i + 1 < fields->n;
       i += 2)
    parse_field(c, fields->items[i], fields->items[i + 1]);
  const kb_ynode *kinds = kb_ymap_get(root, "kinds");
  for (size_t i = 0; kinds && kinds->type == KB_Y_MAP && i + 1 < kinds->n;
       i += 2)
    parse_kind(c, kinds->items[i], kinds->items[i + 1]);
  if (c->s->nkinds == 0)
    SERR(c, kinds ? kinds->line : 1,
         "'kinds' must declare at least one "
         "kind");
  const kb_ynode *facets = kb_ymap_get(root, "facets");
  for (size_t i = 0; facets && facets->type == KB_Y_SEQ && i < facets->n; i++)
    parse_facet(c, facets->items[i]);
  const kb_ynode *sorts = kb_ymap_get(root, "sorts");
  for (size_t i = 0; sorts && sorts->type == KB_Y_SEQ && i < sorts->n; i++)
    parse_sort(c, sorts->items[i]);
}

kb_status kb_schema_parse(const char *path, const char *text, size_t len,
                          kb_schema **ret_schema, kb_diags *diags) {
  if (len > KB_SCHEMA_MAX_BYTES) {
    kb_diags_add(diags, KB_SEV_ERROR, path, 0, "schema",
                 "file has %zu bytes; at most %u are allowed", len,
                 KB_SCHEMA_MAX_BYTES);
    return KB_ERR_PARSE;
  }
  kb_schema *s = calloc(1, sizeof *s);
  if (s == NULL)
    return KB_ERR_NOMEM;
  sctx c = {.path = path, .diags = diags, .s = s};
  kb_ynode *root = NULL;
  char *msg = NULL;
  unsigned line = 0;
  kb_status st =
      kb_yaml_parse(text, len, 1, &schema_limits, &root, &line, &msg);
  if (st != KB_OK) {
    SERR(&c, line, "%s", msg ? msg : kb_status_str(st));
    free(msg);
  } else {
    parse_root(&c, root);
  }
  kb_ynode_free(root);
  s->source = strndup(text, len);
  s->source_len = len;
  if (s->source == NULL) {
    kb_schema_free(s);
    return KB_ERR_NOMEM;
  }
  if (c.errors) {
    kb_schema_free(s);
    return KB_ERR_PARSE;
  }
  *ret_schema = s;
  return KB_OK;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stats.c - the editorial report (see kb_stats.h).
 *
 * Both sources are reduced to one list of article facts (id, title, type,
 * updated, vocabulary keys, outgoing links); everything is computed from
 * that list, so the corpus and the index cannot report differently.
 */
#include "kb_stats.h"

#include <jansson.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_index.h"
#include "kb_layout.h"
#include "kb_record.h"
#include "kb_text.h"
#include "kb_xapian.h"

typedef struct fact {
  const char *id, *title, *kind, *updated;
  const char **keys[KB_SCHEMA_MAX_FACETS]; /* values per facet */
  size_t nkeys[KB_SCHEMA_MAX_FACETS];
  const char **links; /* related + body links */
  size_t nlinks;
  bool may_stale; /* its kind's stale rule applies to it */
} fact;

/* Does the kind's stale rule apply to a record with these values of the
 * rule's field? */
static bool stale_applies(const kb_skind *k, const char *const *vals,
                          size_t n) {
  if (k == NULL || k->stale_months == 0)
    return false;
  if (!k->has_stale_when)
    return true;
  for (size_t i = 0; i < n; i++)
    if (kb_strv_contains(&k->stale_when.values, vals[i]))
      return true;
  return false;
}

typedef struct facts {
  kb_arena *arena;
  fact *v;
  size_t n, cap;
} facts;

static fact *facts_push(facts *fs) {
  if (fs->n == fs->cap) {
    size_t cap = fs->cap ? fs->cap * 2 : 128;
    fact *v = realloc(fs->v, cap * sizeof *v);
    if (v == NULL)
      return NULL;
    fs->v = v;
    fs->cap = cap;
  }
  fact *f = &fs->v[fs->n++];
  memset(f, 0, sizeof *f);
  return f;
}

static const char **arena_strv(kb_arena *a, const char *const *items,
                               size_t n) {
  const char **v = kb_arena_alloc(a, (n ? n : 1) * sizeof *v);
  for (size_t i = 0; v && i < n; i++)
    if ((v[i] = kb_arena_strdup(a, items[i])) == NULL)
      return NULL;
  return v;
}

/* The number in the first `n` digits of `s` (dates are validated). */
static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

static int months(const char *iso) {
  return digits(iso, 4) * 12 + digits(iso + 5, 2) - 1;
}

static int cmp_updated(const void *a, const void *b) {
  return strcmp(((const kb_stats_article *)a)->updated,
                ((const kb_stats_article *)b)->updated);
}

static int cmp_fact_id(const void *a, const void *b) {
  return strcmp(((const fact *)a)->id, ((const fact *)b)->id);
}

/* Every value of facet f (kinds, or a vocabulary section), with counts. */
static kb_status count_facet(kb_stats *s, const kb_vocab *vocab, size_t f,
                             const facts *fs) {
  const kb_schema *sc = vocab->schema;
  const kb_sfacet *fc = &sc->facets[f];
  const kb_vocab_set *set =
      fc->field == KB_SF_KIND
          ? NULL
          : kb_vocab_set_get(vocab, sc->fields[fc->field].vocab);
  size_t n = fc->field == KB_SF_KIND ? sc->nkinds : set ? set->n : 0;
  kb_arena *a = &s->arena;
  s->per[f] = kb_arena_alloc(a, (n ? n : 1) * sizeof *s->per[f]);
  if (s->per[f] == NULL)
    return KB_ERR_NOMEM;
  for (size_t k = 0; k < n; k++) {
    const char *key = set ? set->entries[k].key : sc->kinds[k].name;
    const char *label = set ? set->entries[k].label : sc->kinds[k].label;
    s->per[f][k] = (kb_stats_count){.key = kb_arena_strdup(a, key),
                                    .label = kb_arena_strdup(a, label)};
    for (size_t i = 0; i < fs->n; i++)
      for (size_t j = 0; j < fs->v[i].nkeys[f]; j++)
        s->per[f][k].count += strcmp(fs->v[i].keys[f][j], key) == 0;
  }
  s->nper[f] = n;
  return KB_OK;
}

/* Everything the report says, from the facts. */
static kb_status compute(kb_stats *s, const kb_vocab *vocab, facts *fs) {
  kb_arena *a = &s->arena;
  const kb_schema *sc = vocab->schema;
  s->total = fs->n;
  s->nfacets = sc->nfacets;
  for (size_t f = 0; f < sc->nfacets; f++) {
    s->facet_names[f] = kb_arena_strdup(a, sc->facets[f].name);
    s->facet_labels[f] = kb_arena_strdup(a, sc->facets[f].label);
    size_t field = sc->facets[f].field;
    if (field != KB_SF_KIND && sc->fields[field].type != KB_FT_ENUM)
      continue; /* laws: no fixed list of values */
    kb_status st = count_facet(s, vocab, f, fs);
    if (st != KB_OK)
      return st;
  }
  int now = months(s->today);
  s->stale = kb_arena_alloc(a, (fs->n ? fs->n : 1) * sizeof *s->stale);
  s->islands = kb_arena_alloc(a, (fs->n ? fs->n : 1) * sizeof *s->islands);
  bool *linked = calloc(fs->n ? fs->n : 1, sizeof *linked);
  if (s->stale == NULL || s->islands == NULL || linked == NULL) {
    free(linked);
    return KB_ERR_NOMEM;
  }
  qsort(fs->v, fs->n, sizeof *fs->v, cmp_fact_id);
  for (size_t i = 0; i < fs->n; i++) {
    for (size_t l = 0; l < fs->v[i].nlinks; l++) {
      fact key = {.id = fs->v[i].links[l]};
      fact *hit = bsearch(&key, fs->v, fs->n, sizeof *fs->v, cmp_fact_id);
      if (hit && hit != &fs->v[i])
        linked[hit - fs->v] = true;
    }
  }
  for (size_t i = 0; i < fs->n; i++) {
    const fact *f = &fs->v[i];
    kb_stats_article art = {f->id, f->title, f->kind, f->updated};
    int age = now - months(f->updated);
    s->age[age < 6    ? KB_AGE_6M
           : age < 12 ? KB_AGE_12M
           : age < 24 ? KB_AGE_24M
                      : KB_AGE_OLDER]++;
    const kb_skind *k = kb_schema_kind(sc, f->kind);
    if (f->may_stale && age >= (int)k->stale_months)
      s->stale[s->nstale++] = art;
    if (!linked[i] && f->nlinks == 0)
      s->islands[s->nislands++] = art;
  }
  free(linked);
  qsort(s->stale, s->nstale, sizeof *s->stale, cmp_updated);
  return KB_OK;
}

static kb_stats *stats_new(const char *today) {
  kb_arena a;
  kb_arena_init(&a, 256u << 20);
  kb_stats *s = kb_arena_alloc(&a, sizeof *s);
  if (s == NULL) {
    kb_arena_release(&a);
    return NULL;
  }
  s->arena = a;
  if (today && strlen(today) == 10)
    memcpy(s->today, today, 11);
  else
    kb_date_today(s->today);
  return s;
}

void kb_stats_free(kb_stats *s) {
  if (s == NULL)
    return;
  kb_arena a = s->arena;
  kb_arena_release(&a);
}

typedef struct link_acc {
  kb_strv v;
} link_acc;

static bool add_link(const char *kind, const char *id, unsigned line, void *p) {
  (void)kind;
  (void)line;
  link_acc *la = p;
  return kb_strv_push(&la->v, id) == KB_OK;
}

kb_status kb_stats_from_corpus(const kb_corpus *c, const char *today,
                               kb_stats **ret_stats, char **reterr_msg) {
  kb_stats *s = stats_new(today);
  if (s == NULL)
    return KB_ERR_NOMEM;
  facts fs = {.arena = &s->arena};
  kb_status st = KB_OK;
  for (size_t i = 0; i < c->n && st == KB_OK; i++) {
    const kb_article *art = c->articles[i];
    fact *f = facts_push(&fs);
    if (f == NULL) {
      st = KB_ERR_NOMEM;
      break;
    }
    kb_arena *a = &s->arena;
    const kb_schema *sc = c->vocab->schema;
    f->id = kb_arena_strdup(a, art->id);
    f->title = kb_arena_strdup(a, art->title);
    f->kind = kb_arena_strdup(a, kb_article_kind(art));
    f->updated = kb_arena_strdup(a, art->updated);
    for (size_t k = 0; k < sc->nfacets; k++) {
      size_t field = sc->facets[k].field;
      const char *kind1[1] = {f->kind};
      const kb_strv *vals = field < sc->nfields ? &art->values[field] : NULL;
      f->keys[k] = vals ? arena_strv(a, (const char *const *)vals->v, vals->n)
                        : arena_strv(a, kind1, 1);
      f->nkeys[k] = vals ? vals->n : 1;
    }
    const kb_skind *kd = art->kind;
    const kb_strv *sv =
        kd && kd->has_stale_when ? &art->values[kd->stale_when.field] : NULL;
    f->may_stale = stale_applies(kd, sv ? (const char *const *)sv->v : NULL,
                                 sv ? sv->n : 0);
    link_acc la = {0};
    for (size_t r = 0; r < art->related.n; r++)
      kb_strv_push(&la.v, art->related.v[r]);
    kb_article_each_link(art, add_link, &la);
    f->links = arena_strv(a, (const char *const *)la.v.v, la.v.n);
    f->nlinks = la.v.n;
    kb_strv_release(&la.v);
    if (!f->id || !f->title || !f->kind || !f->updated || !f->links)
      st = KB_ERR_NOMEM;
  }
  if (st == KB_OK)
    st = compute(s, c->vocab, &fs);
  free(fs.v);
  if (st != KB_OK) {
    kb_stats_free(s);
    return kb_fail(st, reterr_msg, "cannot compute the report");
  }
  *ret_stats = s;
  return KB_OK;
}

typedef struct index_walk {
  kbx_db *db;
  kb_stats *s;
  const kb_schema *sc;
  facts *fs;
  kb_status st;
} index_walk;

static const char **rvals_copy(kb_arena *a, const kb_rvals *x,
                               const kb_rvals *y, size_t *ret_n) {
  size_t n = x->n + (y ? y->n : 0);
  const char **v = kb_arena_alloc(a, (n ? n : 1) * sizeof *v);
  for (size_t i = 0; v && i < x->n; i++)
    v[i] = kb_arena_strdup(a, x->v[i]);
  for (size_t i = 0; v && y && i < y->n; i++)
    v[x->n + i] = kb_arena_strdup(a, y->v[i]);
  *ret_n = n;
  return v;
}

static bool add_doc(const char *term, size_t len, void *p) {
  (void)len;
  index_walk *w = p;
  kbx_docid did;
  char *data = NULL;
  size_t dlen = 0;
  kb_record *r = NULL;
  if (kbx_db_find(w->db, term, &did, NULL) != KB_OK ||
      kbx_db_value(w->db, did, KB_SLOT_HIT, &data, &dlen, NULL) != KB_OK)
    return true;
  kb_status st = kb_record_decode(w->sc, data, dlen, false, &r, NULL);
  free(data);
  if (st != KB_OK)
    return true;
  kb_arena *a = &w->s->arena;
  fact *f = facts_push(w->fs);
  if (f == NULL) {
    kb_record_free(r);
    w->st = KB_ERR_NOMEM;
    return false;
  }
  f->id = kb_arena_strdup(a, r->id);
  f->title = kb_arena_strdup(a, r->title);
  f->kind = kb_arena_strdup(a, r->kind);
  f->updated = kb_arena_strdup(a, r->updated);
  for (size_t k = 0; k < w->sc->nfacets; k++) {
    size_t field = w->sc->facets[k].field;
    kb_rvals kind1 = {.v = &r->kind, .n = 1};
    f->keys[k] =
        rvals_copy(a, field < w->sc->nfields ? &r->values[field] : &kind1, NULL,
                   &f->nkeys[k]);
  }
  const kb_skind *kd = kb_schema_kind(w->sc, r->kind);
  const kb_rvals *sv =
      kd && kd->has_stale_when ? &r->values[kd->stale_when.field] : NULL;
  f->may_stale = stale_applies(kd, sv ? sv->v : NULL, sv ? sv->n : 0);
  f->links = rvals_copy(a, &r->related, &r->links, &f->nlinks);
  kb_record_free(r);
  return true;
}

kb_status kb_stats_from_index(const char *dbpath, const char *today,
                              kb_stats **ret_stats, char **reterr_msg) {
  char *gen = NULL, *vj = NULL;
  kbx_db *db = NULL;
  kb_vocab *vocab = NULL;
  json_t *json = NULL;
  kb_stats *s = NULL;
  facts fs = {0};
  kb_status st = kb_index_current(dbpath, &gen, reterr_msg);
  if (st == KB_OK)
    st = kb_index_open(gen, &db, reterr_msg);
  if (st == KB_OK)
    st = kbx_db_metadata(db, KB_META_VOCAB, &vj, NULL, reterr_msg);
  if (st == KB_OK) {
    json = json_loads(vj, 0, NULL);
    st = json ? kb_vocab_from_json(json, &vocab, reterr_msg)
              : kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                        "index has no readable vocabulary");
  }
  if (st == KB_OK && (s = stats_new(today)) == NULL)
    st = KB_ERR_NOMEM;
  if (st == KB_OK) {
    fs.arena = &s->arena;
    index_walk w = {.db = db, .s = s, .sc = vocab->schema, .fs = &fs};
    st = kbx_db_allterms(db, KB_PREFIX_ID, 0, add_doc, &w, reterr_msg);
    if (st == KB_OK)
      st = w.st;
  }
  if (st == KB_OK)
    st = compute(s, vocab, &fs);
  free(fs.v);
  free(gen);
  free(vj);
  json_decref(json);
  kb_vocab_free(vocab);
  kbx_db_close(db);
  if (st != KB_OK) {
    kb_stats_free(s);
    return st;
  }
  *ret_stats = s;
  return KB_OK;
}

static int cmp_query_count(const void *a, const void *b) {
  const kb_stats_query *x = a, *y = b;
  if (x->count != y->count)
    return x->count < y->count ? 1 : -1;
  return strcmp(x->query, y->query);
}

static int cmp_query_text(const void *a, const void *b) {
  return strcmp(((const kb_stats_query *)a)->query,
                ((const kb_stats_query *)b)->query);
}

/* Queries read from the log, one entry per line until counted. */
typedef struct tally {
  kb_stats_query *v;
  size_t n, cap;
} tally;

static kb_status tally_add(kb_stats *s, tally *t, const char *q) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 256;
    kb_stats_query *nv = realloc(t->v, cap * sizeof *nv);
    if (nv == NULL)
      return KB_ERR_NOMEM;
    t->v = nv;
    t->cap = cap;
  }
  t->v[t->n].query = kb_arena_strdup(&s->arena, q);
  t->v[t->n].count = 1;
  return t->v[t->n++].query ? KB_OK : KB_ERR_NOMEM;
}

/* Counts equal queries (sort by text, merge runs, sort by count) and
 * keeps the `top` most frequent in the report's arena. */
static kb_status tally_finish(kb_stats *s, tally *t, size_t top,
                              kb_stats_query **ret, size_t *ret_n) {
  size_t k = 0;
  if (t->n) {
    qsort(t->v, t->n, sizeof *t->v, cmp_query_text);
    for (size_t i = 0; i < t->n; i++) {
      if (k && strcmp(t->v[k - 1].query, t->v[i].query) == 0)
        t->v[k - 1].count++;
      else
        t->v[k++] = t->v[i];
    }
    qsort(t->v, k, sizeof *t->v, cmp_query_count);
  }
  size_t keep = k < top ? k : top;
  *ret = kb_arena_alloc(&s->arena, (keep ? keep : 1) * sizeof **ret);
  if (*ret == NULL)
    return KB_ERR_NOMEM;
  memcpy(*ret, t->v, keep * sizeof *t->v);
  *ret_n = keep;
  return KB_OK;
}

kb_status kb_stats_read_zero_log(kb_stats *s, const char *path, size_t top,
                                 char **reterr_msg) {
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return kb_fail(errno == ENOENT ? KB_ERR_NOT_FOUND : KB_ERR_IO, reterr_msg,
                   "cannot open zero-result log '%s': %s", path,
                   strerror(errno));
  tally zero = {0}, low = {0};
  size_t bytes = 0;
  char line[512];
  kb_status st = KB_OK;
  while (st == KB_OK && fgets(line, sizeof line, f) &&
         bytes < KB_ZERO_LOG_MAX_BYTES) {
    bytes += strlen(line);
    char *tab = strchr(line, '\t');
    if (tab == NULL || tab - line != 10)
      continue; /* not a line we wrote */
    char *q = tab + 1;
    q[strcspn(q, "\n")] = '\0';
    /* "YYYY-MM-DD<TAB>N<TAB>query": a query with N (1 or 2) results. */
    bool few = (q[0] == '1' || q[0] == '2') && q[1] == '\t';
    if (few)
      q += 2;
    if (*q == '\0' || !kb_utf8_valid(q, strlen(q)))
      continue;
    if (few)
      s->low_total++;
    else
      s->zero_total++;
    st = tally_add(s, few ? &low : &zero, q);
  }
  fclose(f);
  if (st == KB_OK)
    st = tally_finish(s, &zero, top, &s->zero, &s->nzero);
  if (st == KB_OK)
    st = tally_finish(s, &low, top, &s->low, &s->nlow);
  free(zero.v);
  free(low.v);
  return st;
}

static json_t *queries_json(const kb_stats_query *v, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, json_pack("{s:s, s:I}", "query", v[i].query,
                                         "count", (json_int_t)v[i].count));
  return arr;
}

static json_t *articles_json(const kb_stats_article *v, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "id", v[i].id,
                                         "title", v[i].title, "kind", v[i].kind,
                                         "updated", v[i].updated));
  return arr;
}

char *kb_stats_json(const kb_stats *s) {
  json_t *per = json_object();
  json_t *unused = json_object();
  for (size_t f = 0; f < s->nfacets; f++) {
    if (s->per[f] == NULL)
      continue;
    json_t *arr = json_array(), *un = json_array();
    for (size_t k = 0; k < s->nper[f]; k++) {
      json_array_append_new(arr, json_pack("{s:s, s:s, s:I}", "value",
                                           s->per[f][k].key, "label",
                                           s->per[f][k].label, "count",
                                           (json_int_t)s->per[f][k].count));
      if (s->per[f][k].count == 0)
        json_array_append_new(un, json_string(s->per[f][k].key));
    }
    json_object_set_new(per, s->facet_names[f], arr);
    json_object_set_new(unused, s->facet_names[f], un);
  }
  json_t *zero = queries_json(s->zero, s->nzero);
  json_t *low = queries_json(s->low, s->nlow);
  json_t *o = json_pack(
      "{s:s, s:I, s:o, s:{s:I, s:I, s:I, s:I}, s:o, s:o, s:o, s:o}", "today",
      s->today, "total", (json_int_t)s->total, "counts", per, "age",
      "under_6_months", (json_int_t)s->age[KB_AGE_6M], "6_to_12_months",
      (json_int_t)s->age[KB_AGE_12M], "12_to_24_months",
      (json_int_t)s->age[KB_AGE_24M], "older", (json_int_t)s->age[KB_AGE_OLDER],
      "stale", articles_json(s->stale, s->nstale), "without_links",
      articles_json(s->islands, s->nislands), "unused_values", unused,
      "zero_results", zero);
  if (o)
    json_object_set_new(o, "low_results", low);
  else
    json_decref(low);
  char *out = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
  json_decref(o);
  return out;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stats.c - the editorial report (see kb_stats.h).
 *
 * Both sources are reduced to one list of article facts (id, title, type,
 * updated, vocabulary keys, outgoing links); everything is computed from
 * that list, so the corpus and the index cannot report differently.
 */
#include "kb_stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_index.h"
#include "kb_schema.h"
#include "kb_text.h"
#include "kb_xapian.h"

typedef struct fact {
  const char *id, *title, *type, *updated;
  const char **keys[KB_VOCAB_FACETS]; /* audience, disabilities (type: 1) */
  size_t nkeys[KB_VOCAB_FACETS];
  const char **links; /* related + body links */
  size_t nlinks;
} fact;

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

/* Everything the report says, from the facts. */
static kb_status compute(kb_stats *s, const kb_vocab *vocab, facts *fs) {
  kb_arena *a = &s->arena;
  s->total = fs->n;
  for (int f = 0; f < KB_VOCAB_FACETS; f++) {
    s->per[f] =
        kb_arena_alloc(a, (vocab->n[f] ? vocab->n[f] : 1) * sizeof *s->per[f]);
    if (s->per[f] == NULL)
      return KB_ERR_NOMEM;
    for (size_t k = 0; k < vocab->n[f]; k++) {
      s->per[f][k] = (kb_stats_count){
          .key = kb_arena_strdup(a, vocab->entries[f][k].key),
          .label = kb_arena_strdup(a, vocab->entries[f][k].label)};
      for (size_t i = 0; i < fs->n; i++)
        for (size_t j = 0; j < fs->v[i].nkeys[f]; j++)
          s->per[f][k].count +=
              strcmp(fs->v[i].keys[f][j], vocab->entries[f][k].key) == 0;
    }
    s->nper[f] = vocab->n[f];
  }
  int now = months(s->today);
  char stale_before[24];
  snprintf(stale_before, sizeof stale_before, "%04d%s",
           digits(s->today, 4) - KB_STALE_MONTHS / 12, s->today + 4);
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
    kb_stats_article art = {f->id, f->title, f->type, f->updated};
    int age = now - months(f->updated);
    s->age[age < 6    ? KB_AGE_6M
           : age < 12 ? KB_AGE_12M
           : age < 24 ? KB_AGE_24M
                      : KB_AGE_OLDER]++;
    if ((strcmp(f->type, "recht") == 0 || strcmp(f->type, "foerderung") == 0) &&
        strcmp(f->updated, stale_before) < 0)
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

static bool add_link(const char *id, unsigned line, void *p) {
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
    f->id = kb_arena_strdup(a, art->id);
    f->title = kb_arena_strdup(a, art->title);
    f->type = kb_arena_strdup(a, art->type);
    f->updated = kb_arena_strdup(a, art->updated);
    const char *type1[1] = {art->type};
    f->keys[KB_FACET_TYPE] = arena_strv(a, type1, 1);
    f->nkeys[KB_FACET_TYPE] = 1;
    f->keys[KB_FACET_AUDIENCE] =
        arena_strv(a, (const char *const *)art->audience.v, art->audience.n);
    f->nkeys[KB_FACET_AUDIENCE] = art->audience.n;
    f->keys[KB_FACET_DISABILITY] = arena_strv(
        a, (const char *const *)art->disabilities.v, art->disabilities.n);
    f->nkeys[KB_FACET_DISABILITY] = art->disabilities.n;
    link_acc la = {0};
    for (size_t r = 0; r < art->related.n; r++)
      kb_strv_push(&la.v, art->related.v[r]);
    kb_article_each_link(art, add_link, &la);
    f->links = arena_strv(a, (const char *const *)la.v.v, la.v.n);
    f->nlinks = la.v.n;
    kb_strv_release(&la.v);
    if (!f->id || !f->title || !f->type || !f->updated || !f->links)
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

static const char **json_strv(kb_arena *a, json_t *arr, size_t *ret_n) {
  size_t n = json_array_size(arr);
  const char **v = kb_arena_alloc(a, (n ? n : 1) * sizeof *v);
  size_t k = 0;
  for (size_t i = 0; v && i < n; i++) {
    const char *str = json_string_value(json_array_get(arr, i));
    if (str && (v[k] = kb_arena_strdup(a, str)) != NULL)
      k++;
  }
  *ret_n = k;
  return v;
}

typedef struct index_walk {
  kbx_db *db;
  kb_stats *s;
  facts *fs;
  kb_status st;
} index_walk;

static bool add_doc(const char *term, size_t len, void *p) {
  (void)len;
  index_walk *w = p;
  kbx_docid did;
  char *data = NULL;
  if (kbx_db_find(w->db, term, &did, NULL) != KB_OK ||
      kbx_db_data(w->db, did, &data, NULL, NULL) != KB_OK)
    return true;
  json_t *j = json_loads(data, 0, NULL);
  free(data);
  if (j == NULL)
    return true;
  kb_arena *a = &w->s->arena;
  fact *f = facts_push(w->fs);
  if (f == NULL) {
    json_decref(j);
    w->st = KB_ERR_NOMEM;
    return false;
  }
  const char *fields[4] = {"id", "title", "type", "updated"};
  const char **out[4] = {&f->id, &f->title, &f->type, &f->updated};
  for (int i = 0; i < 4; i++) {
    const char *v = json_string_value(json_object_get(j, fields[i]));
    *out[i] = kb_arena_strdup(a, v ? v : "");
  }
  json_t *type = json_array();
  json_array_append(type, json_object_get(j, "type"));
  f->keys[KB_FACET_TYPE] = json_strv(a, type, &f->nkeys[KB_FACET_TYPE]);
  json_decref(type);
  f->keys[KB_FACET_AUDIENCE] = json_strv(a, json_object_get(j, "audience"),
                                         &f->nkeys[KB_FACET_AUDIENCE]);
  f->keys[KB_FACET_DISABILITY] = json_strv(
      a, json_object_get(j, "disabilities"), &f->nkeys[KB_FACET_DISABILITY]);
  json_t *links = json_array();
  json_array_extend(links, json_object_get(j, "related"));
  json_array_extend(links, json_object_get(j, "links"));
  f->links = json_strv(a, links, &f->nlinks);
  json_decref(links);
  json_decref(j);
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
    st = kbx_db_open(gen, &db, reterr_msg);
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
    index_walk w = {.db = db, .s = s, .fs = &fs};
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

kb_status kb_stats_read_zero_log(kb_stats *s, const char *path, size_t top,
                                 char **reterr_msg) {
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return kb_fail(errno == ENOENT ? KB_ERR_NOT_FOUND : KB_ERR_IO, reterr_msg,
                   "cannot open zero-result log '%s': %s", path,
                   strerror(errno));
  kb_stats_query *v = NULL;
  size_t n = 0, cap = 0, bytes = 0;
  char line[512];
  kb_status st = KB_OK;
  while (fgets(line, sizeof line, f) && bytes < KB_ZERO_LOG_MAX_BYTES) {
    bytes += strlen(line);
    char *tab = strchr(line, '\t');
    if (tab == NULL || tab - line != 10)
      continue; /* not a line we wrote */
    char *q = tab + 1;
    q[strcspn(q, "\n")] = '\0';
    if (*q == '\0' || !kb_utf8_valid(q, strlen(q)))
      continue;
    s->zero_total++;
    if (n == cap) {
      cap = cap ? cap * 2 : 256;
      kb_stats_query *nv = realloc(v, cap * sizeof *nv);
      if (nv == NULL) {
        st = KB_ERR_NOMEM;
        break;
      }
      v = nv;
    }
    v[n].query = kb_arena_strdup(&s->arena, q);
    v[n].count = 1;
    if (v[n].query == NULL) {
      st = KB_ERR_NOMEM;
      break;
    }
    n++;
  }
  fclose(f);
  if (st == KB_OK && n) {
    /* Count equal queries: sort by text, merge runs, sort by count. */
    qsort(v, n, sizeof *v, cmp_query_text);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
      if (k && strcmp(v[k - 1].query, v[i].query) == 0)
        v[k - 1].count++;
      else
        v[k++] = v[i];
    }
    qsort(v, k, sizeof *v, cmp_query_count);
    size_t keep = k < top ? k : top;
    s->zero = kb_arena_alloc(&s->arena, (keep ? keep : 1) * sizeof *s->zero);
    if (s->zero == NULL)
      st = KB_ERR_NOMEM;
    else {
      memcpy(s->zero, v, keep * sizeof *v);
      s->nzero = keep;
    }
  }
  free(v);
  return st;
}

static json_t *articles_json(const kb_stats_article *v, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "id", v[i].id,
                                         "title", v[i].title, "type", v[i].type,
                                         "updated", v[i].updated));
  return arr;
}

json_t *kb_stats_json(const kb_stats *s) {
  static const char *const names[KB_VOCAB_FACETS] = {"type", "audience",
                                                     "disability"};
  json_t *per = json_object();
  json_t *unused = json_object();
  for (int f = 0; f < KB_VOCAB_FACETS; f++) {
    json_t *arr = json_array(), *un = json_array();
    for (size_t k = 0; k < s->nper[f]; k++) {
      json_array_append_new(arr, json_pack("{s:s, s:s, s:I}", "value",
                                           s->per[f][k].key, "label",
                                           s->per[f][k].label, "count",
                                           (json_int_t)s->per[f][k].count));
      if (s->per[f][k].count == 0)
        json_array_append_new(un, json_string(s->per[f][k].key));
    }
    json_object_set_new(per, names[f], arr);
    json_object_set_new(unused, names[f], un);
  }
  json_t *zero = json_array();
  for (size_t i = 0; i < s->nzero; i++)
    json_array_append_new(zero,
                          json_pack("{s:s, s:I}", "query", s->zero[i].query,
                                    "count", (json_int_t)s->zero[i].count));
  return json_pack(
      "{s:s, s:I, s:o, s:{s:I, s:I, s:I, s:I}, s:o, s:o, s:o, s:o}", "today",
      s->today, "total", (json_int_t)s->total, "counts", per, "age",
      "under_6_months", (json_int_t)s->age[KB_AGE_6M], "6_to_12_months",
      (json_int_t)s->age[KB_AGE_12M], "12_to_24_months",
      (json_int_t)s->age[KB_AGE_24M], "older", (json_int_t)s->age[KB_AGE_OLDER],
      "stale", articles_json(s->stale, s->nstale), "without_links",
      articles_json(s->islands, s->nislands), "unused_values", unused,
      "zero_results", zero);
}

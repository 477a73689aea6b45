/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * searcher.c - the kb_searcher: one reader of the index, following new
 * generations and commits, with the compound lexicons shared by every
 * searcher of a process; and reading articles and similar articles
 * (see kb_search.h).  Running searches is search.c's job.
 */
#include "kb_search.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_analysis.h"
#include "kb_compound.h"
#include "kb_index.h"
#include "kb_schema.h"
#include "kb_xapian.h"
#include "search_internal.h"

/* ---- compound lexicons, shared by every searcher of a process --------
 *
 * A lexicon is a few MiB and read-only, so all worker threads share the
 * one of a generation (in-place updates never change it).  A small table
 * with reference counts; unused entries stay until their slot is needed.
 */
enum { LEX_CACHE = 4 };
static pthread_mutex_t lex_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
  char *gen;
  kb_lexicon *lex;
  unsigned refs;
} lex_cache[LEX_CACHE];

/* The lexicon stored in generation `gen` (opened as `db`), or NULL if the
 * index has none or it cannot be read (then words are not split). */
static const kb_lexicon *lexicon_acquire(const char *gen, kbx_db *db) {
  const kb_lexicon *found = NULL;
  pthread_mutex_lock(&lex_mu);
  for (int i = 0; i < LEX_CACHE && !found; i++)
    if (lex_cache[i].gen && strcmp(lex_cache[i].gen, gen) == 0) {
      lex_cache[i].refs++;
      found = lex_cache[i].lex;
    }
  if (found == NULL) {
    char *blob = NULL;
    size_t len = 0;
    kb_lexicon *lex = NULL;
    int slot = -1;
    for (int i = 0; i < LEX_CACHE && slot < 0; i++)
      if (lex_cache[i].refs == 0)
        slot = i;
    if (slot >= 0 &&
        kbx_db_metadata(db, KB_META_LEXICON, &blob, &len, NULL) == KB_OK &&
        len > 0 && kb_lexicon_load(blob, len, &lex, NULL) == KB_OK) {
      char *g = strdup(gen);
      if (g) {
        free(lex_cache[slot].gen);
        kb_lexicon_free(lex_cache[slot].lex);
        lex_cache[slot].gen = g;
        lex_cache[slot].lex = lex;
        lex_cache[slot].refs = 1;
        found = lex;
      } else {
        kb_lexicon_free(lex);
      }
    }
    free(blob);
  }
  pthread_mutex_unlock(&lex_mu);
  return found;
}

static void lexicon_release(const kb_lexicon *lex) {
  if (lex == NULL)
    return;
  pthread_mutex_lock(&lex_mu);
  for (int i = 0; i < LEX_CACHE; i++)
    if (lex_cache[i].lex == lex && lex_cache[i].refs)
      lex_cache[i].refs--;
  pthread_mutex_unlock(&lex_mu);
}

/* Opens the generation `dir` and reads what the searcher caches. */
static kb_status load(kb_searcher *s, const char *dir, char **reterr_msg) {
  kbx_db *db = NULL;
  kb_vocab *vocab = NULL;
  char *schema = NULL, *vj = NULL;
  json_t *json = NULL;
  uint64_t count = 0;
  kb_status st = kbx_db_open(dir, &db, reterr_msg);
  if (st != KB_OK)
    return st;
  st = kbx_db_metadata(db, KB_META_SCHEMA, &schema, NULL, reterr_msg);
  if (st == KB_OK && strcmp(schema, KB_SCHEMA_VERSION) != 0)
    st = kb_fail(KB_ERR_DB_VERSION, reterr_msg,
                 "index '%s' has schema '%s', this program needs '%s'; "
                 "rebuild it with 'teilhabe index'",
                 dir, schema, KB_SCHEMA_VERSION);
  if (st == KB_OK)
    st = kbx_db_metadata(db, KB_META_VOCAB, &vj, NULL, reterr_msg);
  if (st == KB_OK) {
    json = json_loads(vj, 0, NULL);
    st = json ? kb_vocab_from_json(json, &vocab, reterr_msg)
              : kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                        "index '%s' has no readable vocabulary", dir);
  }
  if (st == KB_OK)
    st = kbx_db_doccount(db, &count, reterr_msg);
  free(schema);
  free(vj);
  json_decref(json);
  if (st != KB_OK) {
    kbx_db_close(db);
    kb_vocab_free(vocab);
    return st;
  }
  const kb_lexicon *lex = lexicon_acquire(dir, db);
  lexicon_release(s->lex);
  kbx_db_close(s->db);
  kb_vocab_free(s->vocab);
  s->db = db;
  s->vocab = vocab;
  s->lex = lex;
  s->doccount = count;
  return KB_OK;
}

kb_status kb_searcher_open(const char *dbpath, kb_searcher **ret_searcher,
                           char **reterr_msg) {
  kb_searcher *s = calloc(1, sizeof *s);
  if (s == NULL)
    return KB_ERR_NOMEM;
  kb_status st = KB_ERR_NOMEM;
  s->dbpath = strdup(dbpath);
  if (s->dbpath == NULL)
    goto fail;
  st = kb_index_current(dbpath, &s->current, reterr_msg);
  if (st == KB_OK)
    st = kb_analyzer_new(&s->an, reterr_msg);
  if (st == KB_OK)
    st = load(s, s->current, reterr_msg);
  if (st != KB_OK)
    goto fail;
  *ret_searcher = s;
  return KB_OK;
fail:
  kb_searcher_close(s);
  return st;
}

void kb_searcher_close(kb_searcher *s) {
  if (s == NULL)
    return;
  lexicon_release(s->lex);
  kbx_db_close(s->db);
  kb_analyzer_free(s->an);
  kb_vocab_free(s->vocab);
  free(s->dbpath);
  free(s->current);
  free(s);
}

kb_status kb_searcher_refresh(kb_searcher *s, bool *ret_changed,
                              char **reterr_msg) {
  char *now = NULL;
  bool changed = false;
  kb_status st = kb_index_current(s->dbpath, &now, reterr_msg);
  if (st != KB_OK)
    return st;
  if (strcmp(now, s->current) != 0) {
    /* A new generation was published: switch to it. */
    st = load(s, now, reterr_msg);
    if (st == KB_OK) {
      free(s->current);
      s->current = now;
      now = NULL;
      changed = true;
    }
  } else {
    /* Same generation: pick up commits made to it in place. */
    st = kbx_db_reopen(s->db, &changed, reterr_msg);
    if (st == KB_OK && changed)
      st = load(s, s->current, reterr_msg);
  }
  free(now);
  if (st == KB_OK && ret_changed)
    *ret_changed = changed;
  return st;
}

const kb_vocab *kb_searcher_vocab(const kb_searcher *s) { return s->vocab; }

const kb_lexicon *kb_searcher_lexicon(const kb_searcher *s) { return s->lex; }

kb_analyzer *kb_searcher_analyzer(kb_searcher *s) { return s->an; }

kbx_db *kb_searcher_db(kb_searcher *s) { return s->db; }

uint64_t kb_searcher_doccount(const kb_searcher *s) { return s->doccount; }

/* ---- articles ------------------------------------------------------- */

kb_status kb_searcher_article(kb_searcher *s, const char *id,
                              json_t **ret_article, char **reterr_msg) {
  if (!kb_article_id_valid(id))
    return kb_fail(KB_ERR_NOT_FOUND, reterr_msg, "no article '%s'", id);
  char term[128];
  snprintf(term, sizeof term, "%s%s", KB_PREFIX_ID, id);
  kbx_docid did;
  kb_status st = kbx_db_find(s->db, term, &did, NULL);
  if (st == KB_ERR_NOT_FOUND)
    return kb_fail(KB_ERR_NOT_FOUND, reterr_msg, "no article '%s'", id);
  if (st != KB_OK)
    return kb_fail(st, reterr_msg, "cannot look up '%s'", id);
  char *data = NULL;
  size_t dlen = 0;
  st = kbx_db_data(s->db, did, &data, &dlen, reterr_msg);
  if (st != KB_OK)
    return st;
  /* Header JSON, NUL, text, NUL, HTML (kb_schema.h). */
  size_t hlen = strlen(data);
  json_t *j = json_loadb(data, hlen, 0, NULL);
  const char *text = hlen < dlen ? data + hlen + 1 : "";
  const char *html =
      text + strlen(text) < data + dlen ? text + strlen(text) + 1 : "";
  if (j) {
    json_object_set_new(j, "text", json_string(text));
    json_object_set_new(j, "body_html", json_string(html));
  }
  free(data);
  if (j == NULL)
    return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                   "stored record of '%s' is not JSON", id);
  *ret_article = j;
  return KB_OK;
}

typedef struct expand_ctx {
  kbx_query *terms[40];
  size_t n;
  char **reterr_msg;
} expand_ctx;

static bool take_term(const char *t, size_t len, void *ctx) {
  expand_ctx *e = ctx;
  if (e->n < 40 && kbx_query_term(t, 1, 0, &e->terms[e->n], NULL) == KB_OK)
    e->n++;
  return e->n < 40;
}

kb_status kb_searcher_similar(kb_searcher *s, const char *id, size_t max,
                              const char *const *exclude, size_t nexclude,
                              json_t **ret_list, char **reterr_msg) {
  char term[128];
  snprintf(term, sizeof term, "%s%s", KB_PREFIX_ID, id);
  kbx_docid did;
  kbx_enquire *enq = NULL;
  kbx_query *q = NULL, *fq = NULL;
  kbx_mset *mset = NULL;
  expand_ctx e = {.n = 0, .reterr_msg = reterr_msg};
  json_t *list = NULL;
  kb_status st = kbx_db_find(s->db, term, &did, reterr_msg);
  if (st == KB_OK)
    st = kbx_enquire_new(s->db, &enq, reterr_msg);
  /* Relevance feedback: the article's most telling stems... */
  if (st == KB_OK)
    st = kbx_enquire_expand(enq, &did, 1, 25, KB_PREFIX_STEM, take_term, &e,
                            reterr_msg);
  if (st == KB_OK && e.n == 0)
    st = kbx_query_match_nothing(&q, reterr_msg);
  else if (st == KB_OK)
    st = kbx_query_combine(KBX_OP_OR, e.terms, e.n, 0, &q, reterr_msg);
  /* ...searched for, minus the article itself. */
  kbx_query *self = NULL;
  if (st == KB_OK)
    st = kbx_query_term(term, 1, 0, &self, reterr_msg);
  if (st == KB_OK) {
    kbx_query *both[2] = {q, self};
    st = kbx_query_combine(KBX_OP_AND_NOT, both, 2, 0, &fq, reterr_msg);
  }
  kbx_query_free(self);
  if (st == KB_OK)
    st = kbx_enquire_set_query(enq, fq, reterr_msg);
  if (st == KB_OK)
    st = kbx_enquire_mset(enq, 0, (uint32_t)(max + nexclude), 0, &mset,
                          reterr_msg);
  if (st == KB_OK)
    list = json_array();
  for (uint32_t i = 0;
       st == KB_OK && i < kbx_mset_size(mset) && json_array_size(list) < max;
       i++) {
    char *data = NULL;
    st = kbx_mset_data(mset, i, &data, NULL, reterr_msg);
    if (st != KB_OK)
      break;
    json_t *j = json_loads(data, 0, NULL);
    free(data);
    const char *oid = json_string_value(json_object_get(j, "id"));
    bool skip = oid == NULL;
    for (size_t k = 0; k < nexclude && !skip; k++)
      skip = strcmp(exclude[k], oid) == 0;
    if (!skip)
      json_array_append_new(list,
                            json_pack("{s:O, s:O, s:O, s:O, s:O}", "id",
                                      json_object_get(j, "id"), "title",
                                      json_object_get(j, "title"), "type",
                                      json_object_get(j, "type"), "summary",
                                      json_object_get(j, "summary"), "updated",
                                      json_object_get(j, "updated")));
    json_decref(j);
  }
  for (size_t i = 0; i < e.n; i++)
    kbx_query_free(e.terms[i]);
  kbx_query_free(q);
  kbx_query_free(fq);
  kbx_mset_free(mset);
  kbx_enquire_free(enq);
  if (st != KB_OK) {
    json_decref(list);
    return st;
  }
  *ret_list = list;
  return KB_OK;
}

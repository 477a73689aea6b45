/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * index.c - building and atomically publishing index generations, and
 * updating the current one in place (see kb_index.h and kb_layout.h for
 * the layout).  What goes into each document is index_doc.c's job.
 */
#include "kb_index.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index_internal.h"
#include "kb_analysis.h"
#include "kb_compound.h"
#include "kb_counter.h"
#include "kb_layout.h"
#include "kb_record.h"
#include "kb_xapian.h"

/* The configuration an index was built with, as one hash: an update in
 * place is only right when it has not changed. */
static uint64_t fnv_more(uint64_t h, const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)p[i];
    h *= 1099511628211ull;
  }
  return h;
}

/* Which lexicon sources exist here (the bit mask kb_compound.h uses). */
static unsigned lexicon_sources(const kb_corpus *c) {
  char dp[4096];
  kbi_domain_path(c, dp, sizeof dp);
  return (access(KB_LEXICON_WORDLIST_PATH, R_OK) == 0 ? 1u : 0u) |
         (access(KB_LEXICON_HUNSPELL_PATH, R_OK) == 0 ? 2u : 0u) |
         (access(dp, R_OK) == 0 ? 4u : 0u);
}

/* Hash of everything besides the articles that shapes the index: the
 * vocabulary (with synonyms and citations), the format and terms
 * versions, the compound domain list and which dictionaries exist.  Updating in
 * place is right only while it is unchanged. */
static void config_hash(const kb_corpus *c, const char *vocab_json,
                        char out[17]) {
  uint64_t h =
      fnv_more(14695981039346656037ull, vocab_json, strlen(vocab_json));
  h = fnv_more(h, KB_SCHEMA_VERSION, strlen(KB_SCHEMA_VERSION));
  h = fnv_more(h, KB_TERMS_VERSION, strlen(KB_TERMS_VERSION));
  unsigned sources = lexicon_sources(c);
  h = fnv_more(h, (const char *)&sources, sizeof sources);
  char dp[4096];
  kbi_domain_path(c, dp, sizeof dp);
  FILE *f = fopen(dp, "rb");
  if (f) {
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
      h = fnv_more(h, buf, n);
    fclose(f);
  }
  snprintf(out, 17, "%016llx", (unsigned long long)h);
}

kb_status kb_index_current(const char *dbpath_in, char **ret_dir,
                           char **reterr_msg) {
  char dbpath[PATH_MAX];
  kb_status pst = kbi_index_path(dbpath_in, dbpath, sizeof dbpath, reterr_msg);
  if (pst != KB_OK)
    return pst;
  struct stat sb;
  if (lstat(dbpath, &sb) != 0)
    return kb_fail(KB_ERR_DB_OPENING, reterr_msg,
                   "no index at '%s' (run 'teilhabe index' first)", dbpath);
  char *out;
  if (S_ISLNK(sb.st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlink(dbpath, target, sizeof target - 1);
    if (n < 0)
      return kb_fail(KB_ERR_IO, reterr_msg, "cannot read link '%s': %s", dbpath,
                     strerror(errno));
    target[n] = '\0';
    if (target[0] == '/') {
      out = strdup(target);
    } else {
      /* Relative to the link's folder. */
      const char *slash = strrchr(dbpath, '/');
      size_t dl = slash ? (size_t)(slash - dbpath) + 1 : 0;
      out = malloc(dl + (size_t)n + 1);
      if (out) {
        memcpy(out, dbpath, dl);
        memcpy(out + dl, target, (size_t)n + 1);
      }
    }
  } else {
    out = strdup(dbpath);
  }
  if (out == NULL)
    return KB_ERR_NOMEM;
  *ret_dir = out;
  return KB_OK;
}

/* Records when the index was last written (UTC). */
static kb_status set_built(kbx_wdb *wdb, char **reterr_msg) {
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  char built[32];
  strftime(built, sizeof built, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return kbx_wdb_set_metadata(wdb, KB_META_BUILT, built, strlen(built),
                              reterr_msg);
}

/* Builds a new generation of `shards` shards; `reuse` (borrowed, may be
 * NULL) is a compound lexicon to use instead of building one from the
 * dictionaries. */
static kb_status build_generation(const kb_corpus *corpus,
                                  const char *dbpath_in, unsigned shards,
                                  const kb_lexicon *reuse,
                                  kb_index_progress progress, void *ctx,
                                  char **ret_gen, char **reterr_msg) {
  char dbpath[PATH_MAX];
  kb_status pst = kbi_index_path(dbpath_in, dbpath, sizeof dbpath, reterr_msg);
  if (pst != KB_OK)
    return pst;
  if (shards < 1 || shards > KB_INDEX_SHARDS_MAX)
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "cannot build %u shards; give 1 to %d", shards,
                   KB_INDEX_SHARDS_MAX);
  kb_status st = KB_OK;
  kbi_writers w = {0};
  kb_analyzer *an = NULL;
  kb_lexicon *lex = NULL;
  char *old = NULL, *vocab_json = NULL;
  bool published = false;
  char gen_dir[PATH_MAX], gen[PATH_MAX], name[64];

  pst = kbi_check_link(dbpath, reterr_msg);
  if (pst != KB_OK)
    return pst;
  struct stat sb;
  if (lstat(dbpath, &sb) == 0)
    kb_index_current(dbpath, &old, NULL);

  TRY(kbi_gen_name(dbpath, gen_dir, sizeof gen_dir, name, sizeof name, gen,
                   sizeof gen, reterr_msg));

  TRY(kb_analyzer_new(&an, reterr_msg));
  if (reuse == NULL)
    TRY(kbi_build_lexicon(corpus, &lex, reterr_msg));
  const kb_lexicon *use = reuse ? reuse : lex;
  /* A single database is written in parts, one per core, and merged:
   * Xapian's writer is one thread, and it is most of a build. */
  unsigned parts = shards == 1 ? (unsigned)kbi_build_jobs(corpus->n) : 1;
  if (parts > 1)
    TRY(kbi_parts_open(gen, parts, &w, reterr_msg));
  else
    TRY(kbi_writers_open(gen, shards, true, &w, reterr_msg));
  TRY(kbi_store_lexicon(w.meta, use, reterr_msg));
  TRY(kbi_writers_build(&w, corpus, use, progress, ctx, reterr_msg));
  TRY(kbi_add_synonyms(w.meta, an, corpus->vocab, reterr_msg));

  json_t *vj = kb_vocab_to_json(corpus->vocab);
  vocab_json = vj ? json_dumps(vj, JSON_COMPACT) : NULL;
  json_decref(vj);
  if (vocab_json == NULL) {
    st = KB_ERR_NOMEM;
    goto out;
  }
  TRY(kbx_wdb_set_metadata(w.meta, KB_META_VOCAB, vocab_json,
                           strlen(vocab_json), reterr_msg));
  TRY(kbx_wdb_set_metadata(w.meta, KB_META_SCHEMA, KB_SCHEMA_VERSION,
                           strlen(KB_SCHEMA_VERSION), reterr_msg));
  char cfg[17];
  config_hash(corpus, vocab_json, cfg);
  TRY(kbx_wdb_set_metadata(w.meta, KB_META_CONFIG, cfg, 16, reterr_msg));
  TRY(set_built(w.meta, reterr_msg));
  TRY(kbi_writers_commit(&w, reterr_msg));
  kbi_writers_close(&w);
  if (parts > 1)
    TRY(kbi_parts_merge(gen, parts, reterr_msg));

  TRY(kbi_gen_publish(dbpath, gen_dir, name, old, reterr_msg));
  published = true;
  if (ret_gen) {
    *ret_gen = strdup(gen);
    if (*ret_gen == NULL)
      st = KB_ERR_NOMEM;
  }
out:
  kbi_writers_close(&w);
  kb_analyzer_free(an);
  kb_lexicon_free(lex);
  if (st != KB_OK && !published)
    kbi_gen_remove(gen);
  free(old);
  free(vocab_json);
  return st;
}

kb_status kb_index_build(const kb_corpus *corpus, const char *dbpath,
                         kb_index_progress progress, void *ctx, char **ret_gen,
                         char **reterr_msg) {
  return build_generation(corpus, dbpath, 1, NULL, progress, ctx, ret_gen,
                          reterr_msg);
}

kb_status kb_index_build_shards(const kb_corpus *corpus, const char *dbpath,
                                unsigned shards, kb_index_progress progress,
                                void *ctx, char **ret_gen, char **reterr_msg) {
  return build_generation(corpus, dbpath, shards, NULL, progress, ctx, ret_gen,
                          reterr_msg);
}

/* ---- updates in place ------------------------------------------------ */

typedef struct id_hash {
  char *id;
  char hash[17];
  bool seen;
} id_hash;

typedef struct existing {
  kbx_db *db;
  id_hash *v;
  size_t n, cap;
  kb_status st;
} existing;

static bool collect_id(const char *term, size_t len, void *p) {
  existing *e = p;
  if (e->n == e->cap) {
    size_t cap = e->cap ? e->cap * 2 : 256;
    id_hash *v = realloc(e->v, cap * sizeof *v);
    if (v == NULL) {
      e->st = KB_ERR_NOMEM;
      return false;
    }
    e->v = v;
    e->cap = cap;
  }
  kbx_docid did;
  char *hash = NULL;
  if (kbx_db_find(e->db, term, &did, NULL) != KB_OK ||
      kbx_db_value(e->db, did, KB_SLOT_HASH, &hash, NULL, NULL) != KB_OK)
    return true; /* a term without a document: nothing to compare */
  id_hash *ih = &e->v[e->n];
  ih->id = strndup(term + strlen(KB_PREFIX_ID), len - strlen(KB_PREFIX_ID));
  snprintf(ih->hash, sizeof ih->hash, "%s", hash);
  ih->seen = false;
  free(hash);
  if (ih->id == NULL) {
    e->st = KB_ERR_NOMEM;
    return false;
  }
  e->n++;
  return true;
}

static int cmp_id_hash(const void *a, const void *b) {
  return strcmp(((const id_hash *)a)->id, ((const id_hash *)b)->id);
}

/* Reads what the current generation holds, if an update can start from
 * it: intact (its stamp), same schema, same configuration, a readable
 * lexicon (returned in *ret_lex).  Returns false otherwise. */
static bool can_update(const char *gen, const char *cfg, existing *e,
                       kb_lexicon **ret_lex) {
  char *schema = NULL, *have = NULL, *blob = NULL;
  size_t blob_len = 0;
  /* A damaged generation is not built on: a full build replaces it. */
  bool ok =
      kb_index_stamp_verify(gen, NULL) == KB_OK &&
      kb_index_open(gen, &e->db, NULL) == KB_OK &&
      kbx_db_metadata(e->db, KB_META_SCHEMA, &schema, NULL, NULL) == KB_OK &&
      strcmp(schema, KB_SCHEMA_VERSION) == 0 &&
      kbx_db_metadata(e->db, KB_META_CONFIG, &have, NULL, NULL) == KB_OK &&
      strcmp(have, cfg) == 0;
  if (ok)
    ok = kbx_db_metadata(e->db, KB_META_LEXICON, &blob, &blob_len, NULL) ==
             KB_OK &&
         kb_lexicon_load(blob, blob_len, ret_lex, NULL) == KB_OK;
  if (ok)
    ok =
        kbx_db_allterms(e->db, KB_PREFIX_ID, 0, collect_id, e, NULL) == KB_OK &&
        e->st == KB_OK;
  free(schema);
  free(have);
  free(blob);
  if (!ok) { /* on success the caller reads old records through it */
    kbx_db_close(e->db);
    e->db = NULL;
  }
  if (ok)
    qsort(e->v, e->n, sizeof *e->v, cmp_id_hash);
  return ok;
}

static bool count_spelling(const kb_token *t, void *ctx) {
  /* The same words add_token() gives the spelling table. */
  if (t->len >= 3 && !(t->flags & KB_TOK_PART) &&
      !(t->word[0] >= '0' && t->word[0] <= '9'))
    kb_counter_add(ctx, t->word, t->len, 1);
  return true;
}

/* Counts the spelling words of the stored article `id` into `forget`, so
 * an update can take back what the old version gave the spelling table
 * (otherwise a deleted word would still be suggested). */
static void old_spelling(kbx_db *db, kb_analyzer *an, const char *id,
                         kb_counter *forget) {
  char term[128];
  kbx_docid did;
  char *data = NULL;
  size_t len = 0;
  snprintf(term, sizeof term, "%s%s", KB_PREFIX_ID, id);
  if (kbx_db_find(db, term, &did, NULL) != KB_OK ||
      kbx_db_value(db, did, KB_SLOT_HIT, &data, &len, NULL) != KB_OK)
    return;
  /* Through the one codec; the schema is not needed for the texts, and
   * the part a result list reads has them all. */
  kb_record *r = NULL;
  kb_status st = kb_record_decode(NULL, data, len, true, &r, NULL);
  free(data);
  if (st != KB_OK)
    return;
  const char *texts[3] = {r->title, r->summary, r->text};
  for (int k = 0; k < 3; k++) {
    uint32_t pos = 0;
    kb_analyze(an, texts[k], strlen(texts[k]), &pos, count_spelling, forget,
               NULL);
  }
  kb_record_free(r);
}

/* What the current generation holds for article `a` (NULL: nothing);
 * *ret_same says whether it is unchanged (same content hash). */
static id_hash *stored(existing *e, const kb_article *a, bool *ret_same) {
  id_hash key = {.id = a->id};
  id_hash *old =
      e->n ? bsearch(&key, e->v, e->n, sizeof *e->v, cmp_id_hash) : NULL;
  char hash[17];
  snprintf(hash, sizeof hash, "%016llx", (unsigned long long)a->hash);
  *ret_same = old && strcmp(old->hash, hash) == 0;
  return old;
}

/* Compares the corpus with what the current generation holds (`e`):
 * counts into `rep`, marks the stored records still present as seen. */
static void plan_update(const kb_corpus *corpus, existing *e,
                        kb_index_report *rep) {
  for (size_t i = 0; i < corpus->n; i++) {
    bool same = false;
    id_hash *old = stored(e, corpus->articles[i], &same);
    if (old)
      old->seen = true;
    if (same)
      rep->unchanged++;
    else if (old)
      rep->changed++;
    else
      rep->added++;
  }
  for (size_t i = 0; i < e->n; i++)
    rep->removed += !e->v[i].seen;
}

/* Writes the changes planned by plan_update() into `wdb`, a copy of the
 * current generation (read through e->db). */
static kb_status apply_update(const kb_corpus *corpus, existing *e,
                              kbi_writers *w, const kb_lexicon *lex,
                              kb_index_progress progress, void *ctx,
                              char **reterr_msg) {
  kb_analyzer *an = NULL;
  kb_counter spell = {0}, forget = {0};
  kbi_splitter split = {0};
  kb_counter_init(&spell, KBI_SPELLING_MAX_WORDS);
  kb_counter_init(&forget, KBI_SPELLING_MAX_WORDS);
  kb_status st = KB_OK;
  TRY(kb_analyzer_new(&an, reterr_msg));
  kb_analyzer_remember_stems(an);
  kbi_splitter_init(&split, lex, an);
  for (size_t i = 0; i < corpus->n; i++) {
    const kb_article *a = corpus->articles[i];
    bool same = false;
    id_hash *old = stored(e, a, &same);
    if (!same) {
      if (old)
        old_spelling(e->db, an, a->id, &forget);
      TRY(kbi_writers_put(w, an, &split, &spell, a, old != NULL, reterr_msg));
    }
    if (progress && !progress(i + 1, corpus->n, ctx)) {
      st = kb_fail(KB_ERR_INVALID, reterr_msg, "index update aborted");
      goto out;
    }
  }
  for (size_t i = 0; i < e->n; i++) {
    if (e->v[i].seen)
      continue;
    char term[128];
    snprintf(term, sizeof term, "%s%s", KB_PREFIX_ID, e->v[i].id);
    old_spelling(e->db, an, e->v[i].id, &forget);
    TRY(kbi_writers_delete(w, e->v[i].id, term, reterr_msg));
  }
  /* Take back the old versions' words, then add the new ones. */
  TRY(kbi_splitter_flush(&split, &spell, reterr_msg));
  TRY(kbi_apply_spellings(w->meta, &forget, false, reterr_msg));
  TRY(kbi_apply_spellings(w->meta, &spell, true, reterr_msg));
  TRY(set_built(w->meta, reterr_msg));
  TRY(kbi_writers_commit(w, reterr_msg));
out:
  kbi_splitter_release(&split); /* before the analyzer: it clears its memo */
  kb_analyzer_free(an);
  kb_counter_release(&spell);
  kb_counter_release(&forget);
  return st;
}

kb_status kb_index_update(const kb_corpus *corpus, const char *dbpath,
                          bool full, kb_index_progress progress, void *ctx,
                          kb_index_report *ret_report, char **reterr_msg) {
  return kb_index_update_shards(corpus, dbpath, 0, full, progress, ctx,
                                ret_report, reterr_msg);
}

kb_status kb_index_update_shards(const kb_corpus *corpus, const char *dbpath_in,
                                 unsigned shards, bool full,
                                 kb_index_progress progress, void *ctx,
                                 kb_index_report *ret_report,
                                 char **reterr_msg) {
  kb_index_report rep = {0};
  existing e = {0};
  char *gen = NULL, *vocab_json = NULL;
  kbi_writers w = {0};
  kb_lexicon *lex = NULL;
  bool made = false;
  kb_status st = KB_OK;
  char cfg[17], dbpath[PATH_MAX], gen_dir[PATH_MAX], name[64], next[PATH_MAX];

  kb_status pst = kbi_index_path(dbpath_in, dbpath, sizeof dbpath, reterr_msg);
  if (pst != KB_OK)
    return pst;
  pst = kbi_check_link(dbpath, reterr_msg);
  if (pst != KB_OK)
    return pst;
  json_t *vj = kb_vocab_to_json(corpus->vocab);
  vocab_json = vj ? json_dumps(vj, JSON_COMPACT) : NULL;
  json_decref(vj);
  if (vocab_json == NULL)
    return KB_ERR_NOMEM;
  config_hash(corpus, vocab_json, cfg);

  bool have = kb_index_current(dbpath, &gen, NULL) == KB_OK;
  unsigned now = have ? kbi_gen_shards(gen) : 1;
  if (shards == 0)
    shards = now;
  bool same = have && now == shards && can_update(gen, cfg, &e, &lex);
  if (full || !same) {
    rep.full = true;
    rep.added = corpus->n;
    /* With an unchanged configuration (dictionaries, domain list,
     * vocabulary), the lexicon in the index is what a rebuild would make
     * but for the corpus' word counts: reuse it and save the ~1 s of
     * reading the dictionaries. */
    st = build_generation(corpus, dbpath, shards, same ? lex : NULL, progress,
                          ctx, NULL, reterr_msg);
    goto out;
  }
  plan_update(corpus, &e, &rep);
  if (rep.added + rep.changed + rep.removed == 0)
    goto out; /* nothing to write, nothing to publish */
  /* The published generation is never written: the changes go into a
   * copy, published like a build - readers see the old or the new
   * revision, never a mix. */
  TRY(kbi_gen_name(dbpath, gen_dir, sizeof gen_dir, name, sizeof name, next,
                   sizeof next, reterr_msg));
  made = true;
  TRY(kbi_gen_copy(gen, next, reterr_msg));
  TRY(kbi_writers_open(next, shards, false, &w, reterr_msg));
  TRY(apply_update(corpus, &e, &w, lex, progress, ctx, reterr_msg));
  kbi_writers_close(&w);
  TRY(kbi_gen_publish(dbpath, gen_dir, name, gen, reterr_msg));
  made = false;
out:
  kbi_writers_close(&w);
  if (made)
    kbi_gen_remove(next);
  kb_lexicon_free(lex);
  kbx_db_close(e.db);
  for (size_t i = 0; i < e.n; i++)
    free(e.v[i].id);
  free(e.v);
  free(gen);
  free(vocab_json);
  if (st == KB_OK && ret_report)
    *ret_report = rep;
  return st;
}

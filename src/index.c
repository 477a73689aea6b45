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
#include "kb_xapian.h"

/* Distinct words kept for the spelling table; past this, rarer words
 * added later are left out (spelling still works for the rest). */
#define SPELLING_MAX_WORDS 2000000

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
 * vocabulary (with synonyms and citations), the compound domain list and
 * which dictionaries exist.  Updating in place is right only while it is
 * unchanged. */
static void config_hash(const kb_corpus *c, const char *vocab_json,
                        char out[17]) {
  uint64_t h =
      fnv_more(14695981039346656037ull, vocab_json, strlen(vocab_json));
  h = fnv_more(h, KB_SCHEMA_VERSION, strlen(KB_SCHEMA_VERSION));
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

/* Removes a generation directory (flat: Xapian's files only). */
static void remove_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL)
    return;
  struct dirent *e;
  char path[PATH_MAX];
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
  }
  closedir(d);
  rmdir(dir);
}

/* Keeps `keep1` and `keep2` (names inside gen_dir), removes the rest. */
static void prune_generations(const char *gen_dir, const char *keep1,
                              const char *keep2) {
  DIR *d = opendir(gen_dir);
  if (d == NULL)
    return;
  struct dirent *e;
  char path[PATH_MAX];
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || (keep1 && strcmp(e->d_name, keep1) == 0) ||
        (keep2 && strcmp(e->d_name, keep2) == 0))
      continue;
    snprintf(path, sizeof path, "%s/%s", gen_dir, e->d_name);
    remove_dir(path);
  }
  closedir(d);
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* `path` without trailing slashes, in `buf`; false if it does not fit. */
static bool trim_path(const char *path, char *buf, size_t cap) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/')
    n--;
  if (n == 0 || n >= cap)
    return false;
  memcpy(buf, path, n);
  buf[n] = '\0';
  return true;
}

kb_status kb_index_current(const char *dbpath_in, char **ret_dir,
                           char **reterr_msg) {
  char dbpath[PATH_MAX];
  if (!trim_path(dbpath_in, dbpath, sizeof dbpath))
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "index path '%s' is empty or too long; give a folder "
                   "such as data/index",
                   dbpath_in);
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

static kb_status mkdir_p(const char *path, char **reterr_msg) {
  char tmp[PATH_MAX];
  size_t n = strlen(path);
  if (n >= sizeof tmp)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "path too long: '%s'", path);
  memcpy(tmp, path, n + 1);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
      return kb_fail(KB_ERR_IO, reterr_msg, "cannot create '%s': %s", tmp,
                     strerror(errno));
    *p = '/';
  }
  if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot create '%s': %s", tmp,
                   strerror(errno));
  return KB_OK;
}

/* Builds a new generation; `reuse` (borrowed, may be NULL) is a compound
 * lexicon to use instead of building one from the dictionaries. */
static kb_status build_generation(const kb_corpus *corpus,
                                  const char *dbpath_in,
                                  const kb_lexicon *reuse,
                                  kb_index_progress progress, void *ctx,
                                  char **ret_gen, char **reterr_msg) {
  char dbpath[PATH_MAX];
  if (!trim_path(dbpath_in, dbpath, sizeof dbpath))
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "index path '%s' is empty or too long; give a folder "
                   "such as data/index",
                   dbpath_in);
  kb_status st = KB_OK;
  kbx_wdb *wdb = NULL;
  kb_analyzer *an = NULL;
  kb_counter spell = {0};
  kbi_splitter split = {0};
  kb_lexicon *lex = NULL;
  char *old = NULL, *vocab_json = NULL;
  bool published = false;
  char gen_dir[PATH_MAX], gen[PATH_MAX], name[64], link_tmp[PATH_MAX],
      target[PATH_MAX];

  struct stat sb;
  if (lstat(dbpath, &sb) == 0 && !S_ISLNK(sb.st_mode))
    return kb_fail(KB_ERR_EXISTS, reterr_msg,
                   "'%s' exists and is not an index link made by teilhabe; "
                   "move it away or choose another --db",
                   dbpath);
  if (lstat(dbpath, &sb) == 0)
    kb_index_current(dbpath, &old, NULL);

  /* P.gen/<UTC time>-<pid>: unique and sortable. */
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
  snprintf(name, sizeof name, "%s.%09ld-%ld", stamp, ts.tv_nsec,
           (long)getpid());
  if ((size_t)snprintf(gen_dir, sizeof gen_dir, "%s.gen", dbpath) >=
          sizeof gen_dir ||
      (size_t)snprintf(gen, sizeof gen, "%s/%s", gen_dir, name) >= sizeof gen)
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "index path '%s' is too long for its generation "
                   "folders; choose a shorter --db",
                   dbpath);
  TRY(mkdir_p(gen_dir, reterr_msg));

  kb_counter_init(&spell, SPELLING_MAX_WORDS);
  kbi_splitter_init(&split, NULL);
  TRY(kb_analyzer_new(&an, reterr_msg));
  if (reuse == NULL)
    TRY(kbi_build_lexicon(corpus, an, &lex, reterr_msg));
  split.lex = reuse ? reuse : lex;
  TRY(kbx_wdb_open(gen, KBX_CREATE, &wdb, reterr_msg));
  TRY(kbi_store_lexicon(wdb, split.lex, reterr_msg));
  for (size_t i = 0; i < corpus->n; i++) {
    st = kbi_index_article(wdb, an, &split, &spell, corpus->articles[i],
                           reterr_msg);
    if (st != KB_OK) {
      char *inner = reterr_msg && *reterr_msg ? *reterr_msg : NULL;
      if (reterr_msg) {
        *reterr_msg = NULL;
        kb_fail(st, reterr_msg, "%s: %s", corpus->articles[i]->path,
                inner ? inner : kb_status_str(st));
      }
      free(inner);
      goto out;
    }
    if (progress && !progress(i + 1, corpus->n, ctx)) {
      st = kb_fail(KB_ERR_INVALID, reterr_msg, "index build aborted");
      goto out;
    }
  }
  TRY(kbi_apply_spellings(wdb, &spell, true, reterr_msg));
  TRY(kbi_add_synonyms(wdb, an, corpus->vocab, reterr_msg));

  json_t *vj = kb_vocab_to_json(corpus->vocab);
  vocab_json = vj ? json_dumps(vj, JSON_COMPACT) : NULL;
  json_decref(vj);
  if (vocab_json == NULL) {
    st = KB_ERR_NOMEM;
    goto out;
  }
  TRY(kbx_wdb_set_metadata(wdb, KB_META_VOCAB, vocab_json, strlen(vocab_json),
                           reterr_msg));
  TRY(kbx_wdb_set_metadata(wdb, KB_META_SCHEMA, KB_SCHEMA_VERSION,
                           strlen(KB_SCHEMA_VERSION), reterr_msg));
  char cfg[17];
  config_hash(corpus, vocab_json, cfg);
  TRY(kbx_wdb_set_metadata(wdb, KB_META_CONFIG, cfg, 16, reterr_msg));
  char built[32];
  strftime(built, sizeof built, "%Y-%m-%dT%H:%M:%SZ", &tm);
  TRY(kbx_wdb_set_metadata(wdb, KB_META_BUILT, built, strlen(built),
                           reterr_msg));
  TRY(kbx_wdb_commit(wdb, reterr_msg));
  kbx_wdb_close(wdb);
  wdb = NULL;

  /* Publish: a new link under a temporary name, renamed over the old. */
  if ((size_t)snprintf(target, sizeof target, "%s.gen/%s", base_name(dbpath),
                       name) >= sizeof target ||
      (size_t)snprintf(link_tmp, sizeof link_tmp, "%s.tmp-%ld", dbpath,
                       (long)getpid()) >= sizeof link_tmp) {
    st = kb_fail(KB_ERR_INVALID, reterr_msg,
                 "index path '%s' is too long for its generation "
                 "folders; choose a shorter --db",
                 dbpath);
    goto out;
  }
  unlink(link_tmp);
  if (symlink(target, link_tmp) != 0) {
    st = kb_fail(KB_ERR_IO, reterr_msg, "cannot create link '%s': %s", link_tmp,
                 strerror(errno));
    goto out;
  }
  if (rename(link_tmp, dbpath) != 0) {
    st = kb_fail(KB_ERR_IO, reterr_msg, "cannot publish index '%s': %s", dbpath,
                 strerror(errno));
    unlink(link_tmp);
    goto out;
  }
  published = true;
  prune_generations(gen_dir, name, old ? base_name(old) : NULL);
  if (ret_gen) {
    *ret_gen = strdup(gen);
    if (*ret_gen == NULL)
      st = KB_ERR_NOMEM;
  }
out:
  kbx_wdb_close(wdb);
  kb_analyzer_free(an);
  kb_counter_release(&spell);
  kbi_splitter_release(&split);
  kb_lexicon_free(lex);
  if (st != KB_OK && !published)
    remove_dir(gen);
  free(old);
  free(vocab_json);
  return st;
}

kb_status kb_index_build(const kb_corpus *corpus, const char *dbpath,
                         kb_index_progress progress, void *ctx, char **ret_gen,
                         char **reterr_msg) {
  return build_generation(corpus, dbpath, NULL, progress, ctx, ret_gen,
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

/* Reads what the current generation holds, if it can be updated in
 * place: same schema, same configuration, a readable lexicon (returned
 * in *ret_lex).  Returns false otherwise. */
static bool can_update(const char *gen, const char *cfg, existing *e,
                       kb_lexicon **ret_lex) {
  char *schema = NULL, *have = NULL, *blob = NULL;
  size_t blob_len = 0;
  bool ok =
      kbx_db_open(gen, &e->db, NULL) == KB_OK &&
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
      kbx_db_data(db, did, &data, &len, NULL) != KB_OK)
    return;
  size_t hlen = strlen(data);
  json_t *j = json_loadb(data, hlen, 0, NULL);
  const char *texts[3] = {json_string_value(json_object_get(j, "title")),
                          json_string_value(json_object_get(j, "summary")),
                          hlen < len ? data + hlen + 1 : NULL};
  for (int k = 0; k < 3; k++) {
    uint32_t pos = 0;
    if (texts[k])
      kb_analyze(an, texts[k], strlen(texts[k]), &pos, count_spelling, forget,
                 NULL);
  }
  size_t i;
  json_t *topic;
  json_array_foreach(json_object_get(j, "topics"), i, topic) {
    uint32_t pos = 0;
    const char *t = json_string_value(topic);
    if (t)
      kb_analyze(an, t, strlen(t), &pos, count_spelling, forget, NULL);
  }
  json_decref(j);
  free(data);
}

kb_status kb_index_update(const kb_corpus *corpus, const char *dbpath,
                          bool full, kb_index_progress progress, void *ctx,
                          kb_index_report *ret_report, char **reterr_msg) {
  kb_index_report rep = {0};
  existing e = {0};
  char *gen = NULL, *vocab_json = NULL;
  kbx_wdb *wdb = NULL;
  kb_analyzer *an = NULL;
  kb_counter spell = {0}, forget = {0};
  kbi_splitter split = {0};
  kb_lexicon *lex = NULL;
  bool in_txn = false;
  kb_status st = KB_OK;
  char cfg[17];

  json_t *vj = kb_vocab_to_json(corpus->vocab);
  vocab_json = vj ? json_dumps(vj, JSON_COMPACT) : NULL;
  json_decref(vj);
  if (vocab_json == NULL)
    return KB_ERR_NOMEM;
  config_hash(corpus, vocab_json, cfg);

  bool same = kb_index_current(dbpath, &gen, NULL) == KB_OK &&
              can_update(gen, cfg, &e, &lex);
  if (full || !same) {
    rep.full = true;
    rep.added = corpus->n;
    /* With an unchanged configuration (dictionaries, domain list,
     * vocabulary), the lexicon in the index is what a rebuild would make
     * but for the corpus' word counts: reuse it and save the ~1 s of
     * reading the dictionaries. */
    st = build_generation(corpus, dbpath, same ? lex : NULL, progress, ctx,
                          NULL, reterr_msg);
    goto out;
  }

  kb_counter_init(&spell, SPELLING_MAX_WORDS);
  kb_counter_init(&forget, SPELLING_MAX_WORDS);
  kbi_splitter_init(&split, lex);
  TRY(kb_analyzer_new(&an, reterr_msg));
  TRY(kbx_wdb_open(gen, KBX_CREATE_OR_OPEN, &wdb, reterr_msg));
  TRY(kbx_wdb_begin(wdb, reterr_msg));
  in_txn = true;
  for (size_t i = 0; i < corpus->n; i++) {
    const kb_article *a = corpus->articles[i];
    id_hash key = {.id = a->id};
    id_hash *old =
        e.n ? bsearch(&key, e.v, e.n, sizeof *e.v, cmp_id_hash) : NULL;
    char hash[17];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)a->hash);
    if (old)
      old->seen = true;
    if (old && strcmp(old->hash, hash) == 0) {
      rep.unchanged++;
    } else {
      if (old)
        old_spelling(e.db, an, a->id, &forget);
      st = kbi_index_article(wdb, an, &split, &spell, a, reterr_msg);
      if (st != KB_OK)
        goto out;
      if (old)
        rep.changed++;
      else
        rep.added++;
    }
    if (progress && !progress(i + 1, corpus->n, ctx)) {
      st = kb_fail(KB_ERR_INVALID, reterr_msg, "index update aborted");
      goto out;
    }
  }
  for (size_t i = 0; i < e.n; i++) {
    if (e.v[i].seen)
      continue;
    char term[128];
    snprintf(term, sizeof term, "%s%s", KB_PREFIX_ID, e.v[i].id);
    old_spelling(e.db, an, e.v[i].id, &forget);
    TRY(kbx_wdb_delete(wdb, term, reterr_msg));
    rep.removed++;
  }
  /* Take back the old versions' words, then add the new ones. */
  TRY(kbi_apply_spellings(wdb, &forget, false, reterr_msg));
  TRY(kbi_apply_spellings(wdb, &spell, true, reterr_msg));
  if (rep.added + rep.changed + rep.removed > 0) {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char built[32];
    strftime(built, sizeof built, "%Y-%m-%dT%H:%M:%SZ", &tm);
    TRY(kbx_wdb_set_metadata(wdb, KB_META_BUILT, built, strlen(built),
                             reterr_msg));
  }
  /* One commit: readers see every change or none. */
  in_txn = false;
  TRY(kbx_wdb_end(wdb, rep.added + rep.changed + rep.removed > 0, reterr_msg));
out:
  if (in_txn)
    kbx_wdb_end(wdb, false, NULL);
  kbx_wdb_close(wdb);
  kb_analyzer_free(an);
  kb_counter_release(&spell);
  kb_counter_release(&forget);
  kbi_splitter_release(&split);
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

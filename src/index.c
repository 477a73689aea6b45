/*
 * index.c - article -> Xapian document, build and atomic publish
 * (see kb_index.h and kb_schema.h for the layout).
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

#include "kb_analysis.h"
#include "kb_cite.h"
#include "kb_compound.h"
#include "kb_counter.h"
#include "kb_schema.h"
#include "kb_xapian.h"

/* Distinct words kept for the spelling table; past this, rarer words
 * added later are left out (spelling still works for the rest). */
#define SPELLING_MAX_WORDS 2000000

#define TRY(expr)                                                              \
  do {                                                                         \
    st = (expr);                                                               \
    if (st != KB_OK)                                                           \
      goto out;                                                                \
  } while (0)

/* Compound splitting while indexing: the lexicon, and a cache of what
 * each distinct word splits into ("" for no split; else the part forms
 * to index, separated by spaces), since a corpus repeats its words. */
typedef struct splitter {
  const kb_lexicon *lex;
  kb_counter index; /* word -> 1 + position in forms */
  const char **forms;
  size_t n, cap;
  kb_arena arena;
} splitter;

static void splitter_init(splitter *sp, const kb_lexicon *lex) {
  *sp = (splitter){.lex = lex};
  kb_counter_init(&sp->index, 0);
  kb_arena_init(&sp->arena, 0);
}

static void splitter_release(splitter *sp) {
  kb_counter_release(&sp->index);
  kb_arena_release(&sp->arena);
  free(sp->forms);
}

static void add_form(kb_buf *b, const kb_compound_part *p, const char *word) {
  if (strcmp(p->form, word) == 0)
    return;
  /* A form already listed is not added twice. */
  const char *have = kb_buf_str(b);
  size_t fl = p->len;
  for (const char *q = have; *q;) {
    size_t l = strcspn(q, " ");
    if (l == fl && memcmp(q, p->form, fl) == 0)
      return;
    q += l + (q[l] == ' ');
  }
  if (b->len)
    kb_buf_addc(b, ' ');
  kb_buf_add(b, p->form, fl);
}

/* The part forms of `word` to index, or NULL when it is not a compound
 * (or on failure, which only means the word is not split). */
static const char *split_forms(splitter *sp, const char *word, size_t len) {
  if (sp == NULL || sp->lex == NULL || len < 2 * KB_COMPOUND_MIN_PART)
    return NULL;
  unsigned *slot;
  bool created;
  if (kb_counter_slot_of(&sp->index, word, len, &slot, &created) != KB_OK)
    return NULL;
  if (!created)
    return *slot ? sp->forms[*slot - 1] : NULL;
  kb_compound_parts parts;
  if (kb_compound_split(sp->lex, word, len, &parts) != KB_OK || parts.n < 2)
    return NULL; /* *slot stays 0: known non-compound */
  kb_buf b = KB_BUF_INIT(1024);
  for (unsigned i = 0; i < parts.n; i++)
    add_form(&b, &parts.top[i], word);
  for (unsigned i = 0; i < parts.n_atoms; i++)
    add_form(&b, &parts.atoms[i], word);
  const char *forms = kb_arena_strdup(&sp->arena, kb_buf_str(&b));
  kb_buf_release(&b);
  if (forms == NULL)
    return NULL;
  if (sp->n == sp->cap) {
    size_t cap = sp->cap ? sp->cap * 2 : 1024;
    const char **v = realloc(sp->forms, cap * sizeof *v);
    if (v == NULL)
      return NULL;
    sp->forms = v;
    sp->cap = cap;
  }
  sp->forms[sp->n++] = forms;
  *slot = (unsigned)sp->n;
  return forms;
}

/* State while turning one field of an article into terms. */
typedef struct field_sink {
  kbx_doc *doc;
  kb_analyzer *an;
  splitter *split;   /* compound parts to add; NULL to skip */
  kb_counter *spell; /* words for the spelling table; NULL to skip */
  unsigned wdf;
  const char *prefix; /* "" or "S" */
  kb_status st;
  char **reterr_msg;
} field_sink;

static bool add_token(const kb_token *t, void *ctx) {
  field_sink *fs = ctx;
  char term[KB_WORD_MAX * 2 + 16];
  /* Positional unstemmed term, then the stem (no position, as Xapian's
   * TermGenerator does), for the plain and the field-prefixed space. */
  const char *prefixes[2] = {"", fs->prefix};
  int np = fs->prefix[0] ? 2 : 1;
  for (int k = 0; k < np && fs->st == KB_OK; k++) {
    snprintf(term, sizeof term, "%s%s", prefixes[k], t->word);
    fs->st =
        kbx_doc_add_posting(fs->doc, term, t->pos + 1, fs->wdf, fs->reterr_msg);
    if (fs->st != KB_OK)
      break;
    snprintf(term, sizeof term, "%s%s%s", KB_PREFIX_STEM, prefixes[k], t->stem);
    fs->st = kbx_doc_add_term(fs->doc, term, fs->wdf, fs->reterr_msg);
  }
  /* A compound is also indexed as its parts, at its own position, so
   * "Lesegerät" finds "Bildschirmlesegerät". */
  const char *forms = fs->st == KB_OK && !(t->flags & KB_TOK_PART)
                          ? split_forms(fs->split, t->word, t->len)
                          : NULL;
  for (const char *f = forms; f && *f && fs->st == KB_OK;) {
    size_t fl = strcspn(f, " ");
    char stem[KB_WORD_MAX * 2 + 8];
    size_t sl = 0;
    snprintf(term, sizeof term, "%.*s", (int)fl, f);
    fs->st =
        kbx_doc_add_posting(fs->doc, term, t->pos + 1, fs->wdf, fs->reterr_msg);
    if (fs->st == KB_OK &&
        kb_stem_word(fs->an, f, fl, stem, sizeof stem, &sl) == KB_OK) {
      snprintf(term, sizeof term, "%s%s", KB_PREFIX_STEM, stem);
      fs->st = kbx_doc_add_term(fs->doc, term, fs->wdf, fs->reterr_msg);
    }
    f += fl + (f[fl] == ' ');
  }
  /* Spelling data: real words only (no numbers, no one-letter words).
   * Counted here and handed to Xapian once per distinct word: its
   * spelling table is slow when called once per occurrence. */
  if (fs->st == KB_OK && fs->spell && t->len >= 3 &&
      !(t->flags & KB_TOK_PART) && !(t->word[0] >= '0' && t->word[0] <= '9'))
    if ((fs->st = kb_counter_add(fs->spell, t->word, t->len, 1)) ==
        KB_ERR_LIMIT)
      fs->st = KB_OK; /* a full table just stops learning new words */
  return fs->st == KB_OK;
}

static kb_status add_text(kb_analyzer *an, field_sink *fs, const char *text,
                          uint32_t *pos) {
  if (text == NULL)
    return KB_OK;
  kb_status st =
      kb_analyze(an, text, strlen(text), pos, add_token, fs, fs->reterr_msg);
  *pos += KB_POS_GAP;
  return st != KB_OK ? st : fs->st;
}

static kb_status add_bool_terms(kbx_doc *doc, const char *prefix,
                                const kb_strv *vals, char **reterr_msg) {
  char term[256];
  for (size_t i = 0; i < vals->n; i++) {
    snprintf(term, sizeof term, "%s%s", prefix, vals->v[i]);
    kb_status st = kbx_doc_add_boolean_term(doc, term, reterr_msg);
    if (st != KB_OK)
      return st;
  }
  return KB_OK;
}

static kb_status set_list_value(kbx_doc *doc, kbx_slot slot,
                                const kb_strv *vals, char **reterr_msg) {
  char *buf = NULL;
  size_t len = 0;
  kb_status st = kbx_serialise_list((const char *const *)vals->v, vals->n, &buf,
                                    &len, reterr_msg);
  if (st == KB_OK)
    st = kbx_doc_set_value(doc, slot, buf, len, reterr_msg);
  free(buf);
  return st;
}

static bool collect_link(const char *id, unsigned line, void *ctx) {
  (void)line;
  kb_strv *links = ctx;
  if (!kb_strv_contains(links, id))
    kb_strv_push(links, id);
  return links->n < 200;
}

static json_t *strv_json(const kb_strv *sv) {
  json_t *arr = json_array();
  for (size_t i = 0; i < sv->n; i++)
    json_array_append_new(arr, json_string(sv->v[i]));
  return arr;
}

/* Adds citation terms for every citation in `text`, with `wdf` each;
 * collects the laws of citations into `laws` when non-NULL. */
static kb_status add_citations(kbx_doc *doc, const char *text, unsigned wdf,
                               kb_strv *laws, char **reterr_msg) {
  kb_cite cites[64];
  size_t n = kb_cite_scan(text, strlen(text), false, cites, 64);
  if (n > 64)
    n = 64;
  for (size_t i = 0; i < n; i++) {
    char term[96];
    kb_cite_term(&cites[i], false, term, sizeof term);
    kb_status st = kbx_doc_add_term(doc, term, wdf, reterr_msg);
    if (st == KB_OK && kb_cite_term(&cites[i], true, term, sizeof term))
      st = kbx_doc_add_term(doc, term, wdf, reterr_msg);
    if (st == KB_OK && laws && !kb_strv_contains(laws, cites[i].law))
      st = kb_strv_push(laws, cites[i].law);
    if (st != KB_OK)
      return st;
  }
  return KB_OK;
}

/* Builds the Xapian document for one article and stores it. */
static kb_status index_article(kbx_wdb *wdb, kb_analyzer *an, splitter *split,
                               kb_counter *spell, const kb_article *a,
                               char **reterr_msg) {
  kbx_doc *doc = NULL;
  char *html = NULL, *text = NULL, *data = NULL;
  kb_strv laws = {0}, links = {0};
  json_t *j = NULL;
  kb_status st;
  char hash[17];
  snprintf(hash, sizeof hash, "%016llx", (unsigned long long)a->hash);
  kb_article_each_link(a, collect_link, &links);
  TRY(kb_article_render(a, &html, &text, reterr_msg));
  TRY(kbx_doc_new(&doc, reterr_msg));

  char idterm[128];
  snprintf(idterm, sizeof idterm, "%s%s", KB_PREFIX_ID, a->id);
  TRY(kbx_doc_add_boolean_term(doc, idterm, reterr_msg));
  kb_strv type = {.v = (char **)&a->type, .n = 1};
  TRY(add_bool_terms(doc, KB_PREFIX_TYPE, &type, reterr_msg));
  TRY(add_bool_terms(doc, KB_PREFIX_AUDIENCE, &a->audience, reterr_msg));
  TRY(add_bool_terms(doc, KB_PREFIX_DISABILITY, &a->disabilities, reterr_msg));

  /* Free-text fields, title weighted highest. */
  uint32_t pos = 0;
  field_sink fs = {.doc = doc,
                   .an = an,
                   .split = split,
                   .spell = spell,
                   .prefix = KB_PREFIX_TITLE,
                   .reterr_msg = reterr_msg};
  fs.wdf = KB_WDF_TITLE;
  TRY(add_text(an, &fs, a->title, &pos));
  fs.prefix = "";
  fs.wdf = KB_WDF_SUMMARY;
  TRY(add_text(an, &fs, a->summary, &pos));
  fs.wdf = KB_WDF_TOPIC;
  for (size_t i = 0; i < a->topics.n; i++)
    TRY(add_text(an, &fs, a->topics.v[i], &pos));
  fs.wdf = KB_WDF_BODY;
  TRY(add_text(an, &fs, text, &pos));

  /* Topics as keywords, normalised like everything else. */
  kb_buf key = KB_BUF_INIT(1024);
  for (size_t i = 0; i < a->topics.n && st == KB_OK; i++) {
    st = kb_phrase_key(an, a->topics.v[i], strlen(a->topics.v[i]), &key,
                       reterr_msg);
    if (st == KB_OK) {
      char term[1100];
      snprintf(term, sizeof term, "%s%s", KB_PREFIX_TOPIC, kb_buf_str(&key));
      st = kbx_doc_add_boolean_term(doc, term, reterr_msg);
    }
  }
  kb_buf_release(&key);
  if (st != KB_OK)
    goto out;

  /* Citations: the norms field defines the law facet and weighs most. */
  for (size_t i = 0; i < a->norms.n; i++)
    TRY(add_citations(doc, a->norms.v[i], KB_WDF_NORM, &laws, reterr_msg));
  TRY(add_citations(doc, text, 1, NULL, reterr_msg));
  for (size_t i = 0; i < laws.n; i++) {
    char term[64];
    kb_cite_law_term(laws.v[i], term, sizeof term);
    TRY(kbx_doc_add_boolean_term(doc, term, reterr_msg));
  }

  TRY(kbx_doc_set_value(doc, KB_SLOT_UPDATED, a->updated_compact, 8,
                        reterr_msg));
  TRY(kbx_doc_set_value(doc, KB_SLOT_TYPE, a->type, strlen(a->type),
                        reterr_msg));
  TRY(set_list_value(doc, KB_SLOT_AUDIENCE, &a->audience, reterr_msg));
  TRY(set_list_value(doc, KB_SLOT_DISABILITY, &a->disabilities, reterr_msg));
  TRY(set_list_value(doc, KB_SLOT_LAW, &laws, reterr_msg));
  TRY(kbx_doc_set_value(doc, KB_SLOT_HASH, hash, 16, reterr_msg));

  /* Stored data: everything a result list or article page shows. */
  j = json_pack(
      "{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, "
      "s:o, s:o, s:s}",
      "id", a->id, "title", a->title, "type", a->type, "summary", a->summary,
      "updated", a->updated, "audience", strv_json(&a->audience),
      "disabilities", strv_json(&a->disabilities), "topics",
      strv_json(&a->topics), "norms", strv_json(&a->norms), "laws",
      strv_json(&laws), "sources", strv_json(&a->sources), "related",
      strv_json(&a->related), "links", strv_json(&links), "hash", hash);
  if (j == NULL) {
    st = KB_ERR_NOMEM;
    goto out;
  }
  /* The record (kb_schema.h): the JSON header, NUL, the plain text, NUL,
   * the body HTML.  A result list parses only the small header. */
  data = json_dumps(j, JSON_COMPACT);
  if (data == NULL) {
    st = KB_ERR_NOMEM;
    goto out;
  }
  {
    kb_buf rec = KB_BUF_INIT(4 * KB_ARTICLE_MAX_BYTES);
    kb_buf_add(&rec, data, strlen(data) + 1);
    kb_buf_add(&rec, text, strlen(text) + 1);
    kb_buf_adds(&rec, html);
    st = kb_buf_status(&rec);
    if (st == KB_OK)
      st = kbx_doc_set_data(doc, rec.data, rec.len, reterr_msg);
    kb_buf_release(&rec);
    if (st != KB_OK)
      goto out;
  }
  TRY(kbx_wdb_replace(wdb, idterm, doc, reterr_msg));
out:
  json_decref(j);
  free(data);
  free(html);
  free(text);
  kb_strv_release(&laws);
  kb_strv_release(&links);
  kbx_doc_free(doc);
  return st;
}

typedef struct spell_flush {
  kbx_wdb *wdb;
  kb_status st;
  char **reterr_msg;
} spell_flush;

static bool flush_word(const char *word, unsigned count, void *ctx) {
  spell_flush *sf = ctx;
  sf->st = kbx_wdb_add_spelling(sf->wdb, word, count, sf->reterr_msg);
  return sf->st == KB_OK;
}

/* Hands the counted words to Xapian's spelling table. */
static kb_status add_spellings(kbx_wdb *wdb, const kb_counter *spell,
                               char **reterr_msg) {
  spell_flush sf = {.wdb = wdb, .reterr_msg = reterr_msg};
  kb_counter_each(spell, flush_word, &sf);
  return sf.st;
}

/* Stores each synonym group in Xapian's synonym table, both under the
 * normalised phrase and, for single words, under their stem ("Z"+stem),
 * so inflected forms find their synonyms too.  Xapian never normalises
 * keys itself: a key in any other form would silently never match. */
static kb_status add_synonyms(kbx_wdb *wdb, kb_analyzer *an, const kb_vocab *v,
                              char **reterr_msg) {
  kb_status st = KB_OK;
  kb_buf a = KB_BUF_INIT(1024), b = KB_BUF_INIT(1024);
  for (size_t g = 0; g < v->ngroups && st == KB_OK; g++) {
    const kb_strv *grp = &v->groups[g];
    for (size_t i = 0; i < grp->n && st == KB_OK; i++) {
      st = kb_phrase_key(an, grp->v[i], strlen(grp->v[i]), &a, reterr_msg);
      if (st != KB_OK || a.len == 0)
        continue;
      char stemkey[KB_WORD_MAX * 2 + 8] = "";
      if (strchr(kb_buf_str(&a), ' ') == NULL) {
        size_t sl = 0;
        stemkey[0] = 'Z';
        if (kb_stem_word(an, a.data, a.len, stemkey + 1, sizeof stemkey - 1,
                         &sl) != KB_OK)
          stemkey[0] = '\0';
      }
      for (size_t k = 0; k < grp->n && st == KB_OK; k++) {
        if (k == i)
          continue;
        st = kb_phrase_key(an, grp->v[k], strlen(grp->v[k]), &b, reterr_msg);
        if (st != KB_OK || b.len == 0 || strcmp(a.data, b.data) == 0)
          continue;
        st = kbx_wdb_add_synonym(wdb, a.data, b.data, reterr_msg);
        if (st == KB_OK && stemkey[0])
          st = kbx_wdb_add_synonym(wdb, stemkey, b.data, reterr_msg);
      }
    }
  }
  kb_buf_release(&a);
  kb_buf_release(&b);
  return st;
}

/* The configuration an index was built with, as one hash: an update in
 * place is only right when it has not changed. */
static uint64_t fnv_more(uint64_t h, const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)p[i];
    h *= 1099511628211ull;
  }
  return h;
}

/* The compound domain list of a corpus. */
static void domain_path(const kb_corpus *c, char *buf, size_t cap) {
  snprintf(buf, cap, "%s/compounds.txt", c->dir);
}

/* Which lexicon sources exist here (the bit mask kb_compound.h uses). */
static unsigned lexicon_sources(const kb_corpus *c) {
  char dp[4096];
  domain_path(c, dp, sizeof dp);
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
  domain_path(c, dp, sizeof dp);
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

typedef struct lex_feed {
  kb_lexicon_builder *b;
} lex_feed;

static bool feed_word(const kb_token *t, void *ctx) {
  lex_feed *lf = ctx;
  if (!(t->flags & KB_TOK_JOINED))
    kb_lexicon_builder_add(lf->b, t->word, t->len, 1, 0, NULL);
  return true;
}

/* The compound lexicon for a corpus: the dictionaries, the domain list
 * and the corpus' own words with their frequencies. */
static kb_status build_lexicon(const kb_corpus *c, kb_analyzer *an,
                               kb_lexicon **ret_lex, char **reterr_msg) {
  kb_lexicon_builder *b = NULL;
  char dp[4096];
  domain_path(c, dp, sizeof dp);
  unsigned sources = 0;
  kb_status st = kb_lexicon_builder_new(&b, reterr_msg);
  if (st == KB_OK)
    st = kb_lexicon_builder_add_defaults(b, access(dp, R_OK) == 0 ? dp : NULL,
                                         &sources, reterr_msg);
  lex_feed lf = {.b = b};
  for (size_t i = 0; i < c->n && st == KB_OK; i++) {
    const kb_article *a = c->articles[i];
    const char *texts[3] = {a->title, a->summary, a->body};
    for (int k = 0; k < 3 && st == KB_OK; k++) {
      uint32_t pos = 0;
      st = kb_analyze(an, texts[k], strlen(texts[k]), &pos, feed_word, &lf,
                      reterr_msg);
    }
  }
  if (st == KB_OK)
    st = kb_lexicon_build(b, ret_lex, reterr_msg);
  kb_lexicon_builder_free(b);
  return st;
}

/* Stores the lexicon in the index, so the query side splits words with
 * exactly the lexicon the index was built with. */
static kb_status store_lexicon(kbx_wdb *wdb, const kb_lexicon *lex,
                               char **reterr_msg) {
  char *blob = NULL;
  size_t len = 0;
  kb_status st = kb_lexicon_serialise(lex, &blob, &len, reterr_msg);
  if (st == KB_OK)
    st = kbx_wdb_set_metadata(wdb, KB_META_LEXICON, blob, len, reterr_msg);
  free(blob);
  return st;
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
    return kb_fail(KB_ERR_INVALID, reterr_msg, "bad index path '%s'",
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
    return kb_fail(KB_ERR_INVALID, reterr_msg, "bad index path '%s'",
                   dbpath_in);
  kb_status st = KB_OK;
  kbx_wdb *wdb = NULL;
  kb_analyzer *an = NULL;
  kb_counter spell = {0};
  splitter split = {0};
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
    return kb_fail(KB_ERR_INVALID, reterr_msg, "index path too long");
  TRY(mkdir_p(gen_dir, reterr_msg));

  kb_counter_init(&spell, SPELLING_MAX_WORDS);
  splitter_init(&split, NULL);
  TRY(kb_analyzer_new(&an, reterr_msg));
  if (reuse == NULL)
    TRY(build_lexicon(corpus, an, &lex, reterr_msg));
  split.lex = reuse ? reuse : lex;
  TRY(kbx_wdb_open(gen, KBX_CREATE, &wdb, reterr_msg));
  TRY(store_lexicon(wdb, split.lex, reterr_msg));
  for (size_t i = 0; i < corpus->n; i++) {
    st =
        index_article(wdb, an, &split, &spell, corpus->articles[i], reterr_msg);
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
  TRY(add_spellings(wdb, &spell, reterr_msg));
  TRY(add_synonyms(wdb, an, corpus->vocab, reterr_msg));

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
    st = kb_fail(KB_ERR_INVALID, reterr_msg, "index path too long");
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
  splitter_release(&split);
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

typedef struct spell_forget {
  kbx_wdb *wdb;
  kb_status st;
  char **reterr_msg;
} spell_forget;

static bool forget_word(const char *word, unsigned count, void *ctx) {
  spell_forget *sf = ctx;
  sf->st = kbx_wdb_remove_spelling(sf->wdb, word, count, sf->reterr_msg);
  return sf->st == KB_OK;
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
  splitter split = {0};
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
  splitter_init(&split, lex);
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
      st = index_article(wdb, an, &split, &spell, a, reterr_msg);
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
  spell_forget sf = {.wdb = wdb, .reterr_msg = reterr_msg};
  kb_counter_each(&forget, forget_word, &sf);
  TRY(sf.st);
  TRY(add_spellings(wdb, &spell, reterr_msg));
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
  splitter_release(&split);
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

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * index_doc.c - one article -> one Xapian document: terms (with compound
 * parts), boolean facet terms, values, citation terms and the stored
 * record; plus what a build adds beside the documents (spelling and
 * synonym tables, the compound lexicon).  Building and publishing
 * generations is index.c's job.
 */
#include "index_internal.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kb_cite.h"
#include "kb_filenumber.h"
#include "kb_layout.h"
#include "kb_record.h"

static atomic_size_t words_wanted; /* 0: KBI_WORDS_MAX */

void kb_index_set_word_memo(size_t words) {
  atomic_store(&words_wanted, words);
}

void kbi_splitter_init(kbi_splitter *sp, const kb_lexicon *lex,
                       kb_analyzer *an) {
  *sp = (kbi_splitter){.lex = lex, .an = an};
  kb_analyzer_clear_memo(an); /* no pointers of another splitter */
  /* Full, it finds the words it has and takes no new ones. */
  size_t max = atomic_load(&words_wanted);
  kb_counter_init(&sp->index, max ? max : KBI_WORDS_MAX);
  kb_buf_init(&sp->spare, 4096);
  kb_arena_init(&sp->arena, 0);
}

void kbi_splitter_release(kbi_splitter *sp) {
  kb_analyzer_clear_memo(sp->an); /* they point into sp->arena */
  kb_counter_release(&sp->index);
  kb_arena_release(&sp->arena);
  free(sp->words);
  kb_buf_release(&sp->spare);
}

/* Appends `w` to the list *v (*n of *cap used); false without memory. */
static bool push_word(kbi_word ***v, size_t *n, size_t *cap, kbi_word *w) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 1024;
    kbi_word **nv = realloc(*v, c * sizeof *nv);
    if (nv == NULL)
      return false;
    *v = nv;
    *cap = c;
  }
  (*v)[(*n)++] = w;
  return true;
}

kb_status kbi_splitter_flush(kbi_splitter *sp, kb_counter *spell,
                             char **reterr_msg) {
  for (size_t i = 0; i < sp->n; i++) {
    kbi_word *w = sp->words[i];
    if (w->spell == 0)
      continue;
    kb_status st = kb_counter_add(spell, w->word, w->len, w->spell);
    if (st != KB_OK && st != KB_ERR_LIMIT)
      return kb_fail(st, reterr_msg, "cannot count the spelling words: %s",
                     kb_status_str(st));
    w->spell = 0;
  }
  return KB_OK;
}

/* Adds the part form `p` of `word` and its stem term to `b`
 * ("form\0Zstem\0"), unless it is the word itself or listed already. */
static void add_form(kb_buf *b, kb_analyzer *an, const kb_compound_part *p,
                     const char *word) {
  if (strcmp(p->form, word) == 0)
    return;
  size_t fl = p->len;
  for (size_t i = 0; i < b->len;) {
    const char *f = b->data + i;
    size_t l = strlen(f);
    if (l == fl && memcmp(f, p->form, fl) == 0)
      return;
    i += l + 1;
    i += strlen(b->data + i) + 1; /* its stem */
  }
  char stem[KB_WORD_MAX * 2 + 8];
  size_t sl = 0;
  kb_buf_add(b, p->form, fl);
  kb_buf_addc(b, '\0');
  if (kb_stem_word(an, p->form, fl, stem, sizeof stem, &sl) == KB_OK) {
    kb_buf_adds(b, KB_PREFIX_STEM);
    kb_buf_add(b, stem, sl);
  } /* else indexed without its stem */
  kb_buf_addc(b, '\0');
}

/* The part forms of `word` and their stems as kbi_word.parts into `b`
 * (emptied); false when it is not a compound (or on failure, which only
 * means the word is not split). */
static bool split_into(const kbi_splitter *sp, const char *word, size_t len,
                       kb_buf *b) {
  kb_buf_reset(b);
  if (sp->lex == NULL || len < 2 * KB_COMPOUND_MIN_PART)
    return false;
  kb_compound_parts parts;
  if (kb_compound_split(sp->lex, word, len, &parts) != KB_OK || parts.n < 2)
    return false;
  for (unsigned i = 0; i < parts.n; i++)
    add_form(b, sp->an, &parts.top[i], word);
  for (unsigned i = 0; i < parts.n_atoms; i++)
    add_form(b, sp->an, &parts.atoms[i], word);
  /* kb_buf keeps a NUL after its bytes: the list's end. */
  return b->len != 0 && kb_buf_status(b) == KB_OK;
}

/* split_into, kept in the splitter's arena; NULL when it is no
 * compound. */
static const char *split_parts(kbi_splitter *sp, const char *word, size_t len) {
  char *out = NULL;
  if (split_into(sp, word, len, &sp->spare) &&
      (out = kb_arena_alloc(&sp->arena, sp->spare.len + 1)) != NULL)
    memcpy(out, sp->spare.data, sp->spare.len + 1);
  return out;
}

/* The compound parts of the token's word: those kept with `w`, or for a
 * word the splitter does not keep, split again into its spare buffer. */
static const char *parts_of(kbi_splitter *sp, const kb_token *t,
                            const kbi_word *w) {
  if (w != NULL)
    return w->parts;
  if (sp == NULL || (t->flags & KB_TOK_PART))
    return NULL;
  return split_into(sp, t->word, t->len, &sp->spare) ? sp->spare.data : NULL;
}

/* The splitter's entry for the token's word, found through the token's
 * memo when the analyzer kept one; NULL when the splitter takes no more
 * words or is out of memory. */
static kbi_word *word_of(kbi_splitter *sp, const kb_token *t) {
  if (t->memo && *t->memo)
    return *t->memo;
  unsigned *slot;
  bool created;
  if (kb_counter_slot_of(&sp->index, t->word, t->len, &slot, &created) != KB_OK)
    return NULL;
  if (!created && *slot != 0) {
    kbi_word *w = sp->words[*slot - 1];
    if (t->memo)
      *t->memo = w;
    return w;
  }
  kbi_word *w = kb_arena_alloc(&sp->arena, sizeof *w);
  char *copy = w ? kb_arena_strndup(&sp->arena, t->word, t->len) : NULL;
  char *zterm = copy ? kb_arena_alloc(&sp->arena, t->stem_len + 2) : NULL;
  if (zterm == NULL)
    return NULL;
  zterm[0] = KB_PREFIX_STEM[0];
  memcpy(zterm + 1, t->stem, t->stem_len + 1);
  *w = (kbi_word){.word = copy, .len = t->len, .zterm = zterm};
  /* Stemming the parts goes through the analyzer's memo, which takes
   * new words but does not start afresh while a token is handled, so
   * t->memo stays valid. */
  w->parts = split_parts(sp, copy, t->len);
  if (!push_word(&sp->words, &sp->n, &sp->cap, w))
    return NULL; /* *slot stays 0: looked up again next time */
  *slot = (unsigned)sp->n;
  if (t->memo)
    *t->memo = w;
  return w;
}

/* State while turning one field of an article into terms. */
typedef struct field_sink {
  kbx_doc *doc;
  kb_analyzer *an;
  kbi_splitter *split; /* compound parts to add; NULL to skip */
  kb_counter *spell;   /* words for the spelling table; NULL to skip */
  unsigned wdf;
  const char *prefix; /* "" or "S" */
  kb_status st;
  char **reterr_msg;
} field_sink;

/* a + b + c[0..cl) into `buf` (`cap` bytes), cut like snprintf would
 * cut it: a token's terms, built several times per word, where
 * snprintf's format parsing was a tenth of a build. */
static void term3(char *buf, size_t cap, const char *a, const char *b,
                  const char *c, size_t cl) {
  size_t n = 0;
  const char *parts[3] = {a, b, c};
  size_t lens[3] = {strlen(a), strlen(b), cl};
  for (int i = 0; i < 3; i++) {
    size_t l = lens[i] < cap - 1 - n ? lens[i] : cap - 1 - n;
    memcpy(buf + n, parts[i], l);
    n += l;
  }
  buf[n] = '\0';
}

static bool add_token(const kb_token *t, void *ctx) {
  field_sink *fs = ctx;
  char term[KB_WORD_MAX * 2 + 16];
  /* The splitter's entry for the word: its compound parts, and where its
   * stem terms are summed for the document. */
  kbi_word *w =
      fs->split && !(t->flags & KB_TOK_PART) ? word_of(fs->split, t) : NULL;
  const char *parts = parts_of(fs->split, t, w);
  /* The stem, with its position, for the plain and the field-prefixed
   * space.  Only stems are indexed (no term for the word as written, as
   * Xapian's TermGenerator adds): every query word and phrase is
   * stemmed, so those terms were only ever read by phrases, and they
   * were half of a build's postings (docs/benchmarks.md). */
  const char *prefixes[2] = {"", fs->prefix};
  int np = fs->prefix[0] ? 2 : 1;
  for (int k = 0; k < np && fs->st == KB_OK; k++) {
    const char *z = term;
    if (k == 0 && w != NULL)
      z = w->zterm;
    else
      term3(term, sizeof term, KB_PREFIX_STEM, prefixes[k], t->stem,
            strlen(t->stem));
    fs->st =
        kbx_doc_add_posting(fs->doc, z, t->pos + 1, fs->wdf, fs->reterr_msg);
  }
  /* A compound is also indexed as the stems of its parts, at its own
   * position, so "Lesegerät" finds "Bildschirmlesegerät". */
  for (const char *p = parts; p && *p && fs->st == KB_OK;) {
    p += strlen(p) + 1; /* the form */
    if (*p)
      fs->st =
          kbx_doc_add_posting(fs->doc, p, t->pos + 1, fs->wdf, fs->reterr_msg);
    p += strlen(p) + 1;
  }
  /* Spelling data: real words only (no numbers, no one-letter words).
   * Counted here and handed to Xapian once per distinct word: its
   * spelling table is slow when called once per occurrence. */
  if (fs->st == KB_OK && fs->spell && t->len >= 3 &&
      !(t->flags & KB_TOK_PART) && !(t->word[0] >= '0' && t->word[0] <= '9')) {
    if (w != NULL)
      w->spell++;
    else if ((fs->st = kb_counter_add(fs->spell, t->word, t->len, 1)) ==
             KB_ERR_LIMIT)
      fs->st = KB_OK; /* a full table just stops learning new words */
  }
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

static bool collect_link(const char *kind, const char *id, unsigned line,
                         void *ctx) {
  (void)kind;
  (void)line;
  kb_strv *links = ctx;
  if (!kb_strv_contains(links, id))
    kb_strv_push(links, id);
  return links->n < 200;
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

/* What indexing one record builds up beside the Xapian document. */
typedef struct doc_job {
  kbx_doc *doc;
  kb_analyzer *an;
  const kb_article *a;
  const kb_schema *s;
  field_sink fs;
  uint32_t pos;
  kb_strv laws[KB_SCHEMA_MAX_FIELDS]; /* laws cited, per norm field */
  kb_strv all_laws, links;
  char *text, *html;
  char **reterr_msg;
} doc_job;

/* Topic-like keywords: boolean "K" terms, normalised like all text. */
static kb_status add_keywords(doc_job *j, const kb_strv *vals) {
  kb_status st = KB_OK;
  kb_buf key = KB_BUF_INIT(1024);
  for (size_t i = 0; i < vals->n && st == KB_OK; i++) {
    st = kb_phrase_key(j->an, vals->v[i], strlen(vals->v[i]), &key,
                       j->reterr_msg);
    if (st == KB_OK) {
      char term[1100];
      snprintf(term, sizeof term, "%s%s", KB_PREFIX_TOPIC, kb_buf_str(&key));
      /* Parsing bounds a keyword (KB_KEYWORD_MAX_BYTES), but normalising
       * can still lengthen it past a term's size; such a keyword is found
       * by its words only, instead of refusing a record lint accepted. */
      if (strlen(term) <= KBX_TERM_MAX)
        st = kbx_doc_add_boolean_term(j->doc, term, j->reterr_msg);
    }
  }
  kb_buf_release(&key);
  return st;
}

static kb_status add_filenumbers(doc_job *j, const kb_strv *vals) {
  kb_strv keys = {0};
  kb_status st = KB_OK;
  for (size_t i = 0; i < vals->n; i++)
    kb_filenumber_keys(vals->v[i], &keys);
  for (size_t i = 0; i < keys.n && st == KB_OK; i++) {
    char term[80];
    snprintf(term, sizeof term, "%s%s", KB_PREFIX_FILENUMBER, keys.v[i]);
    st = kbx_doc_add_boolean_term(j->doc, term, j->reterr_msg);
  }
  kb_strv_release(&keys);
  return st;
}

/* Each declared field by its type: search text with its weight, keyword
 * and file-number terms, citations. */
static kb_status add_fields(doc_job *j) {
  kb_status st = KB_OK;
  for (size_t d = 0; d < j->s->nfields && st == KB_OK; d++) {
    const kb_sfield *sf = &j->s->fields[d];
    const kb_strv *vals = &j->a->values[d];
    if (vals->n == 0)
      continue;
    if (sf->type == KB_FT_NORM) {
      for (size_t i = 0; i < vals->n && st == KB_OK; i++)
        st = add_citations(j->doc, vals->v[i],
                           sf->weight ? sf->weight : KB_WDF_NORM, &j->laws[d],
                           j->reterr_msg);
      for (size_t i = 0; i < j->laws[d].n && st == KB_OK; i++)
        if (!kb_strv_contains(&j->all_laws, j->laws[d].v[i]))
          st = kb_strv_push(&j->all_laws, j->laws[d].v[i]);
      continue;
    }
    if (sf->type == KB_FT_KEYWORDS)
      st = add_keywords(j, vals);
    else if (sf->type == KB_FT_FILENUMBER)
      st = add_filenumbers(j, vals);
    j->fs.wdf = sf->weight;
    for (size_t i = 0; sf->weight && i < vals->n && st == KB_OK; i++)
      st = add_text(j->an, &j->fs, vals->v[i], &j->pos);
  }
  return st;
}

/* The values of facet `f` for this record. */
static const kb_strv *facet_values(doc_job *j, const kb_sfacet *f,
                                   kb_strv *kind) {
  if (f->field == KB_SF_KIND) {
    kb_strv_push(kind, kb_article_kind(j->a));
    return kind;
  }
  if (j->s->fields[f->field].type == KB_FT_NORM)
    return &j->laws[f->field];
  return &j->a->values[f->field];
}

/* Facets: a boolean term per value and a value slot for counting. */
/* Adds facet `f`'s values to the combined list `all` (KB_SLOT_FACETS),
 * each once, behind the facet's letter. */
static kb_status tag_values(kb_strv *all, size_t f, const kb_strv *vals) {
  kb_status st = KB_OK;
  for (size_t k = 0; k < vals->n && st == KB_OK; k++) {
    size_t len = strlen(vals->v[k]);
    char *e = malloc(len + 2);
    if (e == NULL)
      return KB_ERR_NOMEM;
    e[0] = KB_FACET_TAG(f);
    memcpy(e + 1, vals->v[k], len + 1);
    if (!kb_strv_contains(all, e))
      st = kb_strv_push(all, e);
    free(e);
  }
  return st;
}

static kb_status add_facets(doc_job *j) {
  kb_status st = KB_OK;
  kb_strv all = {0};
  for (size_t i = 0; i < j->s->nfacets && st == KB_OK; i++) {
    const kb_sfacet *f = &j->s->facets[i];
    kb_strv kind = {0};
    const kb_strv *vals = facet_values(j, f, &kind);
    bool laws =
        f->field != KB_SF_KIND && j->s->fields[f->field].type == KB_FT_NORM;
    for (size_t k = 0; k < vals->n && st == KB_OK; k++) {
      char term[256];
      if (laws)
        kb_cite_law_term(vals->v[k], f->prefix, term, sizeof term);
      else
        snprintf(term, sizeof term, "%s%s", f->prefix, vals->v[k]);
      st = kbx_doc_add_boolean_term(j->doc, term, j->reterr_msg);
    }
    if (st == KB_OK)
      st = set_list_value(j->doc, f->slot, vals, j->reterr_msg);
    if (st == KB_OK)
      st = tag_values(&all, i, vals);
    kb_strv_release(&kind);
  }
  if (st == KB_OK)
    st = set_list_value(j->doc, KB_SLOT_FACETS, &all, j->reterr_msg);
  kb_strv_release(&all);
  for (size_t i = 0; i < j->s->nsorts && st == KB_OK; i++) {
    const kb_ssort *so = &j->s->sorts[i];
    char compact[9];
    const char *v =
        so->field == KB_SF_UPDATED ? NULL : kb_article_value(j->a, so->field);
    if (v && kb_date_parse(v, compact))
      st = kbx_doc_set_value(j->doc, so->slot, compact, 8, j->reterr_msg);
  }
  return st;
}

static kb_status add_exact(doc_job *j, const char *text, size_t len) {
  kb_buf key = KB_BUF_INIT(1024);
  kb_status st = kb_phrase_key(j->an, text, len, &key, j->reterr_msg);
  if (st == KB_OK && key.len) {
    char term[1100];
    snprintf(term, sizeof term, "%s%s", KB_PREFIX_EXACT, kb_buf_str(&key));
    st = kbx_doc_add_boolean_term(j->doc, term, j->reterr_msg);
  }
  kb_buf_release(&key);
  return st == KB_ERR_LIMIT ? KB_OK : st;
}

/* Its kind; for a kind looked up exactly, its title (also without a
 * bracketed abbreviation: "Grad der Behinderung (GdB)") and keywords. */
static kb_status add_kind_terms(doc_job *j) {
  char term[128];
  snprintf(term, sizeof term, "%s%s", KB_PREFIX_KIND, kb_article_kind(j->a));
  kb_status st = kbx_doc_add_boolean_term(j->doc, term, j->reterr_msg);
  if (st != KB_OK || j->a->kind == NULL || !j->a->kind->exact)
    return st;
  const char *t = j->a->title;
  st = add_exact(j, t, strlen(t));
  const char *br = strchr(t, '(');
  if (st == KB_OK && br && br > t)
    st = add_exact(j, t, (size_t)(br - t));
  for (size_t d = 0; d < j->s->nfields && st == KB_OK; d++)
    for (size_t i = 0; j->s->fields[d].type == KB_FT_KEYWORDS &&
                       i < j->a->values[d].n && st == KB_OK;
         i++)
      st = add_exact(j, j->a->values[d].v[i], strlen(j->a->values[d].v[i]));
  return st;
}

/* The record (kb_record.h) in the two values it is read from
 * (KB_RECORD_SLOTS): what a result list reads, then the body HTML. */
static kb_status store_record(doc_job *j, const char *hash) {
  kb_buf rec = KB_BUF_INIT(KB_RECORD_MAX_BYTES);
  kb_record_encode(j->a, j->text, j->html, &j->all_laws, &j->links, hash, &rec);
  kb_status st = kb_buf_status(&rec);
  size_t hit = st == KB_OK ? kb_record_hit_len(rec.data, rec.len) : 0;
  if (st == KB_OK)
    st = kbx_doc_set_value(j->doc, KB_SLOT_HIT, rec.data, hit, j->reterr_msg);
  if (st == KB_OK && hit < rec.len)
    st = kbx_doc_set_value(j->doc, KB_SLOT_HTML, rec.data + hit, rec.len - hit,
                           j->reterr_msg);
  kb_buf_release(&rec);
  return st;
}

static kb_status add_links(doc_job *j) {
  kb_status st = KB_OK;
  kb_article_each_link(j->a, collect_link, &j->links);
  for (size_t i = 0; i < j->links.n && st == KB_OK; i++) {
    char term[128];
    snprintf(term, sizeof term, "%s%s", KB_PREFIX_LINK, j->links.v[i]);
    st = kbx_doc_add_boolean_term(j->doc, term, j->reterr_msg);
  }
  return st;
}

/* Builds the Xapian document for one record and stores it. */
void kbi_id_term(const kb_article *a, char *buf, size_t cap) {
  snprintf(buf, cap, "%s%s", KB_PREFIX_ID, a->id);
}

static kb_status make_doc(kb_analyzer *an, kbi_splitter *split,
                          kb_counter *spell, const kb_article *a,
                          kbx_doc **ret_doc, char **reterr_msg) {
  doc_job j = {.an = an, .a = a, .s = a->schema, .reterr_msg = reterr_msg};
  kb_status st;
  char hash[17], idterm[128];
  snprintf(hash, sizeof hash, "%016llx", (unsigned long long)a->hash);
  kbi_id_term(a, idterm, sizeof idterm);
  *ret_doc = NULL;
  if (j.s == NULL)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "record '%s' has no schema",
                   a->id);
  TRY(kb_article_render(a, &j.html, &j.text, reterr_msg));
  TRY(kbx_doc_new(&j.doc, reterr_msg));
  TRY(kbx_doc_add_boolean_term(j.doc, idterm, reterr_msg));
  TRY(add_kind_terms(&j));
  TRY(add_links(&j));
  TRY(kbi_add_suggest_terms(j.doc, an, a, reterr_msg));

  /* Free text: the title weighs most, then the declared fields. */
  j.fs = (field_sink){.doc = j.doc,
                      .an = an,
                      .split = split,
                      .spell = spell,
                      .prefix = KB_PREFIX_TITLE,
                      .wdf = KB_WDF_TITLE,
                      .reterr_msg = reterr_msg};
  TRY(add_text(an, &j.fs, a->title, &j.pos));
  j.fs.prefix = "";
  j.fs.wdf = KB_WDF_SUMMARY;
  TRY(add_text(an, &j.fs, a->summary, &j.pos));
  /* A norm in the title or summary is what the record is about: its
   * citation weighs like the words there, not like one in the body. */
  TRY(add_citations(j.doc, a->title, KB_WDF_TITLE, NULL, reterr_msg));
  TRY(add_citations(j.doc, a->summary, KB_WDF_SUMMARY, NULL, reterr_msg));
  TRY(add_fields(&j));
  j.fs.wdf = KB_WDF_BODY;
  TRY(add_text(an, &j.fs, j.text, &j.pos));
  TRY(add_citations(j.doc, j.text, 1, NULL, reterr_msg));

  TRY(add_facets(&j));
  TRY(kbx_doc_set_value(j.doc, KB_SLOT_UPDATED, a->updated_compact, 8,
                        reterr_msg));
  TRY(kbx_doc_set_value(j.doc, KB_SLOT_HASH, hash, 16, reterr_msg));
  TRY(store_record(&j, hash));
  *ret_doc = j.doc;
  j.doc = NULL;
out:
  free(j.html);
  free(j.text);
  for (size_t i = 0; i < KB_SCHEMA_MAX_FIELDS; i++)
    kb_strv_release(&j.laws[i]);
  kb_strv_release(&j.all_laws);
  kb_strv_release(&j.links);
  kbx_doc_free(j.doc);
  return st;
}

kb_status kbi_make_doc(kb_analyzer *an, kbi_splitter *split, kb_counter *spell,
                       const kb_article *a, kbx_doc **ret_doc,
                       char **reterr_msg) {
  /* A corpus indexed at scale keeps no bodies in memory: read again. */
  kb_article view;
  const kb_article *with = NULL;
  char *body = NULL;
  *ret_doc = NULL;
  kb_status st = kb_article_with_body(a, &view, &with, &body, reterr_msg);
  if (st == KB_OK)
    st = make_doc(an, split, spell, with, ret_doc, reterr_msg);
  free(body);
  return st;
}

kb_status kbi_index_article(kbx_wdb *wdb, kb_analyzer *an, kbi_splitter *split,
                            kb_counter *spell, const kb_article *a,
                            kbx_docid docid, char **reterr_msg) {
  kbx_doc *doc = NULL;
  char idterm[128];
  kbi_id_term(a, idterm, sizeof idterm);
  kb_status st = kbi_make_doc(an, split, spell, a, &doc, reterr_msg);
  if (st == KB_OK && docid != 0)
    st = kbx_wdb_replace_at(wdb, docid, doc, reterr_msg);
  else if (st == KB_OK)
    st = kbx_wdb_replace(wdb, idterm, doc, reterr_msg);
  kbx_doc_free(doc);
  return st;
}

typedef struct spell_apply {
  kbx_wdb *wdb;
  bool add;
  unsigned share, shares; /* only words with hash % shares == share */
  kb_status st;
  char **reterr_msg;
} spell_apply;

static unsigned word_hash(const char *w) {
  uint32_t h = 2166136261u;
  for (const unsigned char *p = (const unsigned char *)w; *p; p++)
    h = (h ^ *p) * 16777619u;
  return h;
}

static bool apply_word(const char *word, unsigned count, void *ctx) {
  spell_apply *sa = ctx;
  if (sa->shares > 1 && word_hash(word) % sa->shares != sa->share)
    return true;
  sa->st = sa->add
               ? kbx_wdb_add_spelling(sa->wdb, word, count, sa->reterr_msg)
               : kbx_wdb_remove_spelling(sa->wdb, word, count, sa->reterr_msg);
  return sa->st == KB_OK;
}

kb_status kbi_apply_spellings(kbx_wdb *wdb, const kb_counter *words, bool add,
                              char **reterr_msg) {
  return kbi_apply_spelling_share(wdb, words, add, 0, 1, reterr_msg);
}

kb_status kbi_apply_spelling_share(kbx_wdb *wdb, const kb_counter *words,
                                   bool add, unsigned share, unsigned shares,
                                   char **reterr_msg) {
  spell_apply sa = {.wdb = wdb,
                    .add = add,
                    .share = share,
                    .shares = shares,
                    .reterr_msg = reterr_msg};
  kb_counter_each(words, apply_word, &sa);
  return sa.st;
}

/* One everyday word (laien.yaml) -> its terms, one way, under the key
 * KB_PREFIX_LAY + the normalised word (and + "Z" + stem for one word):
 * the query side weighs these below the word itself. */
static kb_status add_lay(kbx_wdb *wdb, kb_analyzer *an, const kb_strv *e,
                         kb_buf *a, kb_buf *b, char **reterr_msg) {
  kb_status st = kb_phrase_key(an, e->v[0], strlen(e->v[0]), a, reterr_msg);
  if (st != KB_OK || a->len == 0)
    return st == KB_ERR_LIMIT ? KB_OK : st;
  char key[1100], stemkey[KB_WORD_MAX * 2 + 16] = "";
  snprintf(key, sizeof key, "%s%s", KB_PREFIX_LAY, kb_buf_str(a));
  if (strchr(kb_buf_str(a), ' ') == NULL) {
    size_t sl = 0;
    char stem[KB_WORD_MAX * 2 + 8];
    if (kb_stem_word(an, a->data, a->len, stem, sizeof stem, &sl) == KB_OK)
      snprintf(stemkey, sizeof stemkey, "%s%s%s", KB_PREFIX_LAY, KB_PREFIX_STEM,
               stem);
  }
  for (size_t k = 1; k < e->n && st == KB_OK; k++) {
    st = kb_phrase_key(an, e->v[k], strlen(e->v[k]), b, reterr_msg);
    if (st != KB_OK || b->len == 0)
      continue;
    st = kbx_wdb_add_synonym(wdb, key, b->data, reterr_msg);
    if (st == KB_OK && stemkey[0])
      st = kbx_wdb_add_synonym(wdb, stemkey, b->data, reterr_msg);
  }
  return st == KB_ERR_LIMIT ? KB_OK : st;
}

/* Stores each synonym group in Xapian's synonym table, both under the
 * normalised phrase and, for single words, under their stem ("Z"+stem),
 * so inflected forms find their synonyms too.  Xapian never normalises
 * keys itself: a key in any other form would silently never match. */
kb_status kbi_add_synonyms(kbx_wdb *wdb, kb_analyzer *an, const kb_vocab *v,
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
  for (size_t g = 0; g < v->nlay && st == KB_OK; g++)
    st = add_lay(wdb, an, &v->lay[g], &a, &b, reterr_msg);
  kb_buf_release(&a);
  kb_buf_release(&b);
  return st;
}

/* The compound domain list of a corpus. */
static void domain_path(const char *dir, char *buf, size_t cap) {
  snprintf(buf, cap, "%s/compounds.txt", dir);
}

void kbi_domain_path(const kb_corpus *c, char *buf, size_t cap) {
  domain_path(c->dir, buf, cap);
}

/* A lexicon builder with the dictionaries and the domain list of the
 * corpus in `dir` (its compounds.txt, when there is one). */
static kb_status builder_with_defaults(const char *dir,
                                       kb_lexicon_builder **ret_b,
                                       char **reterr_msg) {
  char dp[4096 + 16];
  domain_path(dir, dp, sizeof dp);
  unsigned sources = 0;
  kb_lexicon_builder *b = NULL;
  kb_status st = kb_lexicon_builder_new(&b, reterr_msg);
  if (st == KB_OK)
    st = kb_lexicon_builder_add_defaults(b, access(dp, R_OK) == 0 ? dp : NULL,
                                         &sources, reterr_msg);
  if (st != KB_OK) {
    kb_lexicon_builder_free(b);
    b = NULL;
  }
  *ret_b = b;
  return st;
}

/* The dictionaries read ahead (kb_index_prefetch_dictionaries). */
static struct {
  pthread_mutex_t mu;
  bool started;
  pthread_t thread;
  char dir[4096];
  kb_lexicon_builder *b;
  kb_status st;
  struct stat domain; /* the corpus' compounds.txt as it was read */
  bool had_domain;
} ahead = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* Whether `a` and `b` (from stat) look like the same, unchanged file. */
static bool same_file(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
         a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
         a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void *read_ahead(void *arg) {
  (void)arg;
  char dp[sizeof ahead.dir + 16];
  domain_path(ahead.dir, dp, sizeof dp);
  ahead.had_domain = stat(dp, &ahead.domain) == 0;
  ahead.st = builder_with_defaults(ahead.dir, &ahead.b, NULL);
  return NULL;
}

void kb_index_prefetch_dictionaries(const char *corpus_dir) {
  pthread_mutex_lock(&ahead.mu);
  if (!ahead.started && corpus_dir != NULL &&
      strlen(corpus_dir) < sizeof ahead.dir) {
    memcpy(ahead.dir, corpus_dir, strlen(corpus_dir) + 1);
    ahead.started = pthread_create(&ahead.thread, NULL, read_ahead, NULL) == 0;
  }
  pthread_mutex_unlock(&ahead.mu);
}

/* What was read ahead for `dir` (NULL: nothing, or it failed, and the
 * caller reads the dictionaries itself, which says why); anything read
 * for another folder is freed. */
static kb_lexicon_builder *take_ahead(const char *dir) {
  pthread_mutex_lock(&ahead.mu);
  kb_lexicon_builder *b = NULL;
  if (ahead.started) {
    pthread_join(ahead.thread, NULL);
    ahead.started = false;
    /* A build may wait long for the writers' lock: a compounds.txt
     * changed meanwhile is read again, as the configuration's hash
     * reads it. */
    char dp[sizeof ahead.dir + 16];
    struct stat now;
    bool fresh = false;
    if (ahead.st == KB_OK && dir != NULL && strcmp(ahead.dir, dir) == 0) {
      domain_path(dir, dp, sizeof dp);
      bool has = stat(dp, &now) == 0;
      fresh =
          has == ahead.had_domain && (!has || same_file(&now, &ahead.domain));
    }
    if (fresh)
      b = ahead.b;
    else
      kb_lexicon_builder_free(ahead.b);
    ahead.b = NULL;
  }
  pthread_mutex_unlock(&ahead.mu);
  return b;
}

void kb_index_prefetch_release(void) { take_ahead(NULL); }

/* The compound lexicon for a corpus: the dictionaries, the domain list
 * and the corpus' own words with their frequencies. */
kb_status kbi_build_lexicon(const kb_corpus *c, kb_lexicon **ret_lex,
                            char **reterr_msg) {
  kb_lexicon_builder *b = take_ahead(c->dir);
  kb_status st = b ? KB_OK : builder_with_defaults(c->dir, &b, reterr_msg);
  if (st == KB_OK)
    st = kbi_feed_corpus_words(c, b, reterr_msg);
  if (st == KB_OK)
    st = kb_lexicon_build(b, ret_lex, reterr_msg);
  kb_lexicon_builder_free(b);
  return st;
}

/* Stores the lexicon in the index, so the query side splits words with
 * exactly the lexicon the index was built with. */
kb_status kbi_store_lexicon(kbx_wdb *wdb, const kb_lexicon *lex,
                            char **reterr_msg) {
  char *blob = NULL;
  size_t len = 0;
  kb_status st = kb_lexicon_serialise(lex, &blob, &len, reterr_msg);
  if (st == KB_OK)
    st = kbx_wdb_set_metadata(wdb, KB_META_LEXICON, blob, len, reterr_msg);
  free(blob);
  return st;
}

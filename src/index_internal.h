/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * index_internal.h - what index.c (building and publishing generations)
 * and index_doc.c (article -> Xapian document) share (not public).
 */
#ifndef KB_INDEX_INTERNAL_H
#define KB_INDEX_INTERNAL_H

#include <stddef.h>

#include "kb_analysis.h"
#include "kb_buf.h"
#include "kb_compound.h"
#include "kb_corpus.h"
#include "kb_counter.h"
#include "kb_index.h"
#include "kb_xapian.h"

#define TRY(expr)                                                              \
  do {                                                                         \
    st = (expr);                                                               \
    if (st != KB_OK)                                                           \
      goto out;                                                                \
  } while (0)

/* What a build worked out about one distinct word of the records: its
 * stem term, its compound parts' stems (indexed at the word's position),
 * and how often it was counted for the spelling table since the last
 * kbi_splitter_flush. */
typedef struct kbi_word {
  const char *word;
  size_t len;
  const char *zterm; /* its stem's term: "Z" + stem */
  const char *parts; /* "form\0Zstem\0" pairs, then "\0" ("" when a form
                        has no stem: not indexed); NULL: not a compound */
  unsigned spell;
} kbi_word;

/* Compound splitting while indexing - the lexicon - and the words seen,
 * each split once, since a corpus repeats its words (at most
 * kb_index_set_word_memo's number; later ones are split each time they
 * occur).  A
 * splitter works with one analyzer, through whose kb_token.memo a token
 * finds its word without a look-up. */
typedef struct kbi_splitter {
  const kb_lexicon *lex;
  kb_analyzer *an;  /* borrowed; its memo points into `arena` */
  kb_counter index; /* word -> 1 + position in words */
  kbi_word **words;
  size_t n, cap;
  kb_arena arena;
  kb_buf spare; /* scratch: a word's parts while they are split */
} kbi_splitter;

/* Distinct words a splitter keeps by default (kb_index_set_word_memo). */
#define KBI_WORDS_MAX (1u << 19)

/* Initialises `sp` with `lex` (borrowed, may be NULL: no splitting) for
 * the tokens of `an` (borrowed; freed no earlier than the splitter). */
void kbi_splitter_init(kbi_splitter *sp, const kb_lexicon *lex,
                       kb_analyzer *an);

/* Frees what `sp` holds (not the lexicon, not the analyzer, whose memo
 * it clears); takes a zeroed splitter. */
void kbi_splitter_release(kbi_splitter *sp);

/* Adds the spelling counts the words of `sp` gathered since the last
 * call to `spell` (kbi_make_doc counts there, not in its `spell`, when
 * it has a splitter).  A full counter just takes no new words. */
kb_status kbi_splitter_flush(kbi_splitter *sp, kb_counter *spell,
                             char **reterr_msg);

/* The unique term of `a`'s document ("Q" + id) in `buf`. */
void kbi_id_term(const kb_article *a, char *buf, size_t cap);

/* Builds the Xapian document for one article (*ret_doc, owned); counts
 * its spelling words for `spell` (into `split`'s words when there is a
 * splitter: kbi_splitter_flush hands them over) and splits compounds
 * with `split` (either may be NULL to skip).  Touches nothing shared but the
 * read-only lexicon of `split`: threads with their own analyzer,
 * splitter and counter may call it at once. */
kb_status kbi_make_doc(kb_analyzer *an, kbi_splitter *split, kb_counter *spell,
                       const kb_article *a, kbx_doc **ret_doc,
                       char **reterr_msg);

/* kbi_make_doc, then stores the document as document `docid`, or for 0
 * in place of the document with its id term (else added). */
kb_status kbi_index_article(kbx_wdb *wdb, kb_analyzer *an, kbi_splitter *split,
                            kb_counter *spell, const kb_article *a,
                            kbx_docid docid, char **reterr_msg);

/* Distinct words kept for the spelling table; past this, rarer words
 * added later are left out (spelling still works for the rest). */
#define KBI_SPELLING_MAX_WORDS 2000000

/* ---- shards (index_shard.c) -------------------------------------------- */

/* The folders of a single database's parts while it is built. */
#define KBI_PART_PREFIX "part-"

/* The writers of one generation: a single database (n == 1, meta and
 * shard[0] the same handle), or the shards and the local database, or
 * the parts of a single database being built (`parts`: shard[k] holds
 * records of the k-th contiguous range of the corpus, meta is shard[0];
 * kbi_parts_merge makes them one database). */
typedef struct kbi_writers {
  unsigned n;
  bool parts;
  kbx_wdb *meta;
  kbx_wdb *shard[KB_INDEX_SHARDS_MAX];
  kbx_docid last; /* the highest document id in any shard */
} kbi_writers;

/* Opens the writers of generation `gen` with `n` shards: `create` makes
 * the databases (and a sharded generation's folder and stub), else opens
 * those of a copied generation.  On failure nothing stays open. */
kb_status kbi_writers_open(const char *gen, unsigned n, bool create,
                           kbi_writers *w, char **reterr_msg);

/* Creates the `n` parts (2 or more) of single database `gen` as
 * folders inside it.  On failure nothing stays open. */
kb_status kbi_parts_open(const char *gen, unsigned n, kbi_writers *w,
                         char **reterr_msg);

/* Merges the `n` closed parts inside `gen` into the database `gen`
 * (compacted, the document ids kept) and removes them. */
kb_status kbi_parts_merge(const char *gen, unsigned n, char **reterr_msg);

/* Commits every shard, then the local database. */
kb_status kbi_writers_commit(kbi_writers *w, char **reterr_msg);

/* Closes (without committing) and zeroes; a zeroed `w` is fine. */
void kbi_writers_close(kbi_writers *w);

/* Writes every article of `corpus` into its shard (or part), one thread
 * per shard, each shard committed; the spelling words go into w->meta,
 * or for parts one share of them into each part. */
kb_status kbi_writers_build(kbi_writers *w, const kb_corpus *corpus,
                            const kb_lexicon *lex, kb_index_progress progress,
                            void *ctx, char **reterr_msg);

/* Stores article `a` on update: `stored` says the index holds it already
 * (it keeps its document id). */
kb_status kbi_writers_put(kbi_writers *w, kb_analyzer *an, kbi_splitter *split,
                          kb_counter *spell, const kb_article *a, bool stored,
                          char **reterr_msg);

/* Deletes the record `id` (its id term `term`) from its shard. */
kb_status kbi_writers_delete(kbi_writers *w, const char *id, const char *term,
                             char **reterr_msg);

/* The number of shards of generation `gen` (1 for a single database). */
unsigned kbi_gen_shards(const char *gen);

/* Adds the words autocomplete offers for `a` to `doc`: "XW" terms for
 * the whole words of its title and keywords fields (index_suggest.c). */
kb_status kbi_add_suggest_terms(kbx_doc *doc, kb_analyzer *an,
                                const kb_article *a, char **reterr_msg);

/* Hands counted words to Xapian's spelling table (`add`), or takes
 * them back from it (an old version's words, on update). */
kb_status kbi_apply_spellings(kbx_wdb *wdb, const kb_counter *words, bool add,
                              char **reterr_msg);
/* The same for the words of one share of `shares` (split by a hash of
 * the word): the parts of a build store one share each, and merging them
 * makes the whole table. */
kb_status kbi_apply_spelling_share(kbx_wdb *wdb, const kb_counter *words,
                                   bool add, unsigned share, unsigned shares,
                                   char **reterr_msg);

/* Stores each synonym group of `v` in Xapian's synonym table. */
kb_status kbi_add_synonyms(kbx_wdb *wdb, kb_analyzer *an, const kb_vocab *v,
                           char **reterr_msg);

/* The compound domain list of a corpus, in `buf` (`cap` bytes). */
void kbi_domain_path(const kb_corpus *c, char *buf, size_t cap);

/* A build commits every this many documents, which bounds what Xapian
 * buffers in memory (docs/benchmarks.md measures the figure). */
#define KBI_FLUSH_DOCS 250

/* How many threads a build of `n` records uses: one per core (or as
 * kb_index_set_jobs says), fewer for few records. */
size_t kbi_build_jobs(size_t n);

/* Feeds the words of every record of `c` into `b` with their counts,
 * the records shared out to one thread per core (index_pipe.c). */
kb_status kbi_feed_corpus_words(const kb_corpus *c, kb_lexicon_builder *b,
                                char **reterr_msg);

/* The compound lexicon for a corpus (owned, kb_lexicon_free). */
kb_status kbi_build_lexicon(const kb_corpus *c, kb_lexicon **ret_lex,
                            char **reterr_msg);

/* Stores the lexicon in the index's metadata. */
kb_status kbi_store_lexicon(kbx_wdb *wdb, const kb_lexicon *lex,
                            char **reterr_msg);

/* ---- generation folders (index_gen.c) ---------------------------------- */

/* `path` without trailing slashes, in `buf`; false if it does not fit. */
bool kbi_trim_path(const char *path, char *buf, size_t cap);

/* `dbpath` trimmed into `buf`, or KB_ERR_INVALID saying what to give. */
kb_status kbi_index_path(const char *dbpath, char *buf, size_t cap,
                         char **reterr_msg);

/* KB_ERR_EXISTS when `dbpath` is there but not a link (not ours). */
kb_status kbi_check_link(const char *dbpath, char **reterr_msg);

/* mkdir -p. */
kb_status kbi_mkdir_p(const char *path, char **reterr_msg);

/* A new generation's folder name for the index `dbpath` (trimmed): fills
 * gen_dir (P.gen, created), name and gen (P.gen/name, not created). */
kb_status kbi_gen_name(const char *dbpath, char *gen_dir, size_t gdcap,
                       char *name, size_t ncap, char *gen, size_t gcap,
                       char **reterr_msg);

/* Copies the database files of generation `from` into the new folder
 * `to` (fsync'd). */
kb_status kbi_gen_copy(const char *from, const char *to, char **reterr_msg);

/* Checks and stamps the finished generation gen_dir/name, publishes it
 * as `dbpath` and removes the generations but it and `old` (the one it
 * replaces; may be NULL). */
kb_status kbi_gen_publish(const char *dbpath, const char *gen_dir,
                          const char *name, const char *old, char **reterr_msg);

/* Removes a generation folder (flat: Xapian's files and the stamp). */
void kbi_gen_remove(const char *dir);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_compound.h - German compound splitting (decompounding) against a
 * lexicon of known words.
 *
 * A kb_lexicon is an immutable set of normalised words (lower case,
 * NFKC_Casefold as kb_normalize makes them: "ä" stays, "ß" is "ss"),
 * each with a few class flags and a corpus frequency.  It is built once
 * by a kb_lexicon_builder from dictionaries, the curated domain list
 * (corpus/compounds.txt) and the corpus' own words, serialised into the
 * index's metadata by the indexer and loaded from there by the server,
 * so queries are split with exactly the lexicon the index was built
 * with.  A built or loaded lexicon is read-only and may be shared by any
 * number of threads.
 *
 * kb_compound_split() splits one normalised word:
 *
 *   "bildschirmlesegeräte"
 *     top level (fewest, longest known parts):  bildschirm | lesegeräte
 *     full split (every level, "atoms"):        bildschirm | lesen | geräte
 *
 * Each part is given in its lexicon form: linking elements (Fugen: -s-,
 * -es-, -n-, -en-, -er-, -e-, -ns-, -ens-) removed, a dropped final -e
 * restored ("schul" -> "schule"), umlaut plurals undone ("bücher" ->
 * "buch"), bare verb stems as the infinitive ("lese" -> "lesen").  The
 * head (last part) is kept as it stands, inflection included.  A word
 * that is in the lexicon itself may still be split ("arbeitsplatz" ->
 * arbeit | platz): the indexer indexes the word and all its parts.
 *
 * Depends on kb_status, kb_buf, kb_text and ICU (to normalise dictionary
 * files); not on the analysis pipeline, which calls it.
 */
#ifndef KB_COMPOUND_H
#define KB_COMPOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb_status.h"

/* Longest word (bytes, normalised) that is looked up or split; equal to
 * KB_WORD_MAX in kb_analysis.h. */
#define KB_COMPOUND_WORD_MAX 64
/* Most parts in one split (each level). */
#define KB_COMPOUND_MAX_PARTS 8
/* Shortest part, in characters.  Shorter pieces ("er", "in", "ur") are
 * never parts: they are what splits words like "Bauer" into junk. */
#define KB_COMPOUND_MIN_PART 3

/* Where the system dictionaries are on Debian (packages wngerman and
 * hunspell-de-de). */
#define KB_LEXICON_WORDLIST_PATH "/usr/share/dict/ngerman"
#define KB_LEXICON_HUNSPELL_PATH "/usr/share/hunspell/de_DE.dic"

/* Lexicon bounds: a dictionary larger than this is refused. */
#define KB_LEXICON_MAX_WORDS 4000000u
#define KB_LEXICON_MAX_TEXT (64u * 1024 * 1024)

/* What a lexicon knows about a word. */
enum kb_lex_flags {
  KB_LEX_NOUN = 1u << 0,     /* a noun (capitalised in a dictionary) */
  KB_LEX_WORD = 1u << 1,     /* a free word of any class in a dictionary */
  KB_LEX_LEMMA = 1u << 2,    /* a noun's base form ("rente", not "renten") */
  KB_LEX_MODIFIER = 1u << 3, /* attested first part of compounds, linking
                                element included ("arbeits", "schul", "lese") */
  KB_LEX_DOMAIN = 1u << 4,   /* curated domain word: counts as a noun */
  KB_LEX_STOP = 1u << 5,     /* never a part of a split */
  KB_LEX_VERB = 1u << 6,     /* a verb's infinitive ("lesen") */
  KB_LEX_ADJ = 1u << 7,      /* an adjective or adverb ("schwer", "mehr") */
  KB_LEX_ALL_FLAGS = (1u << 8) - 1,
};

typedef enum kb_lexfile_format {
  /* One word per line, as written (wngerman's /usr/share/dict/ngerman):
   * a capitalised word is a noun; all-capital abbreviations are not. */
  KB_LEXFILE_WORDLIST,
  /* A hunspell .dic of the igerman98 family (hunspell-de-de), with the
   * .aff beside it: capitalised stems are noun lemmas and their suffix
   * rules give the nouns' inflected forms; the compound flags (j, k, e:
   * may begin or continue a compound; h: only inside compounds; d:
   * forbidden) mark attested first parts such as "Arbeits", "Schul",
   * "Lese".  See lexicon_hunspell.c. */
  KB_LEXFILE_HUNSPELL,
  /* The curated domain list (corpus/compounds.txt), one entry a line,
   * '#' starts a comment:
   *     teilhabe                  a domain word (treated as a noun)
   *     bildschirm|lesegerät      explicit split of "bildschirmlesegerät"
   *     arbeitsplatz = arbeit|platz   explicit split, written out
   *     urteil = urteil           never split this word
   *     !mitte                    never use this word as a part
   * An explicit split overrides the algorithm for that word. */
  KB_LEXFILE_DOMAIN,
} kb_lexfile_format;

typedef struct kb_lexicon kb_lexicon;
typedef struct kb_lexicon_builder kb_lexicon_builder;

/* ---- building ---------------------------------------------------------- */

kb_status kb_lexicon_builder_new(kb_lexicon_builder **ret_b, char **reterr_msg);
/* Frees the builder (NULL is fine). */
void kb_lexicon_builder_free(kb_lexicon_builder *b);

/* Adds one ALREADY NORMALISED word (kb_normalize's output), or merges
 * it into an earlier add: flags are or-ed, frequencies summed
 * (saturating).  The indexer calls this once per distinct corpus word
 * with its count and flags 0; such corpus-only words are used for
 * scoring, and as parts only when frequent (see compound.c).
 * KB_ERR_INVALID for empty or invalid UTF-8, KB_ERR_LIMIT past
 * KB_COMPOUND_WORD_MAX bytes or the lexicon bounds. */
kb_status kb_lexicon_builder_add(kb_lexicon_builder *b, const char *word,
                                 size_t len, uint32_t freq, unsigned flags,
                                 char **reterr_msg);

/* Adds an explicit split of a normalised word: `parts` is "a|b|c" with
 * 1..KB_COMPOUND_MAX_PARTS normalised parts (a single part means "never
 * split").  A later split of the same word replaces an earlier one. */
kb_status kb_lexicon_builder_add_split(kb_lexicon_builder *b, const char *word,
                                       size_t len, const char *parts,
                                       size_t parts_len, char **reterr_msg);

/* Reads a word list file of the given format, normalising every word
 * (NFKC_Casefold, as the analysis pipeline does).  Lines are bounded
 * (1 KiB) and must be UTF-8; dictionary words longer than
 * KB_COMPOUND_WORD_MAX are skipped, while a bad line in a DOMAIN file
 * fails with KB_ERR_PARSE and a "path:line: ..." message.  KB_ERR_IO if
 * the file cannot be read. */
kb_status kb_lexicon_builder_add_file(kb_lexicon_builder *b, const char *path,
                                      kb_lexfile_format format,
                                      char **reterr_msg);

/* The standard recipe, used by the indexer and teilhabe-compound-eval
 * alike: KB_LEXICON_WORDLIST_PATH (required), KB_LEXICON_HUNSPELL_PATH
 * (if installed) and `domain_path` (if not NULL).  Corpus words are added
 * by the caller afterwards.  *ret_sources (optional) gets a bit mask:
 * 1 word list, 2 hunspell, 4 domain list. */
kb_status kb_lexicon_builder_add_defaults(kb_lexicon_builder *b,
                                          const char *domain_path,
                                          unsigned *ret_sources,
                                          char **reterr_msg);

/* Builds the immutable lexicon (owned by the caller: kb_lexicon_free).
 * The builder is left unchanged and can be freed or built again. */
kb_status kb_lexicon_build(const kb_lexicon_builder *b, kb_lexicon **ret_lex,
                           char **reterr_msg);

/* ---- using ------------------------------------------------------------- */

void kb_lexicon_free(kb_lexicon *lex);

/* Serialises to one self-contained, checksummed byte blob (owned by the
 * caller: free()).  Equal lexicons give equal blobs. */
kb_status kb_lexicon_serialise(const kb_lexicon *lex, char **ret_blob,
                               size_t *ret_len, char **reterr_msg);

/* Loads a blob made by kb_lexicon_serialise (the bytes are copied; the
 * blob can be freed afterwards).  Every count, offset, word and flag is
 * checked: a truncated, corrupt or hostile blob gives KB_ERR_PARSE (or
 * KB_ERR_LIMIT past the lexicon bounds), never a crash. */
kb_status kb_lexicon_load(const void *blob, size_t len, kb_lexicon **ret_lex,
                          char **reterr_msg);

/* Number of distinct words, and bytes of memory held. */
size_t kb_lexicon_count(const kb_lexicon *lex);
size_t kb_lexicon_memory(const kb_lexicon *lex);

/* The union of all words' flags: which kinds of source went in (e.g.
 * KB_LEX_MODIFIER only with a hunspell dictionary). */
unsigned kb_lexicon_flags(const kb_lexicon *lex);

/* True when the normalised word is in the lexicon; *ret_flags and
 * *ret_freq (both optional) get its flags and frequency. */
bool kb_lexicon_lookup(const kb_lexicon *lex, const char *word, size_t len,
                       unsigned *ret_flags, uint32_t *ret_freq);

/* The explicit split of a word from the domain list ("a|b", borrowed,
 * valid while the lexicon lives), or NULL. */
const char *kb_lexicon_split_of(const kb_lexicon *lex, const char *word,
                                size_t len);

/* ---- splitting ---------------------------------------------------------- */

typedef struct kb_compound_part {
  char form[KB_COMPOUND_WORD_MAX + 1]; /* lexicon form, NUL-terminated */
  uint8_t len;                         /* strlen(form) */
  uint8_t start;   /* where the part is written in the word (bytes) */
  uint8_t surface; /* its length there, linking element excluded; 0 when
                      an explicit split's forms cannot be aligned */
  uint8_t link;    /* linking element after it ("s" in arbeit-s-platz) */
} kb_compound_part;

typedef struct kb_compound_parts {
  unsigned n; /* top-level parts, head last; 1: not split (part = word) */
  kb_compound_part top[KB_COMPOUND_MAX_PARTS];
  unsigned n_atoms; /* the full split, head last; n_atoms >= n */
  kb_compound_part atoms[KB_COMPOUND_MAX_PARTS];
  bool explicit_split; /* the top level came from the domain list */
} kb_compound_parts;

/* Splits the normalised word (len bytes) into *ret.  Words that are not
 * compounds come back as one part, the word itself.  No heap allocation,
 * no locks: safe on one lexicon from many threads.  KB_ERR_INVALID for
 * an empty word or invalid UTF-8, KB_ERR_LIMIT past KB_COMPOUND_WORD_MAX
 * bytes (*ret is untouched on failure). */
kb_status kb_compound_split(const kb_lexicon *lex, const char *word, size_t len,
                            kb_compound_parts *ret);

/* As kb_compound_split, the top level only: ret->n_atoms is 0 (a query
 * needs no more; the full split splits each part again, also the word
 * itself when it is no compound). */
kb_status kb_compound_split_top(const kb_lexicon *lex, const char *word,
                                size_t len, kb_compound_parts *ret);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lexicon.c - the compound splitter's word set (kb_compound.h): builder,
 * immutable lexicon, lookup, and the serialised blob.
 *
 * Memory layout of a lexicon: one text block holding every word, sorted
 * and NUL-terminated, followed by the explicit splits' strings; a
 * parallel array of word start offsets (word i is text[off[i]] up to
 * off[i+1] - 1), one flag byte and one frequency per word; and an
 * open-addressing hash table of word indices (rebuilt on load, not
 * stored).  Nothing is written after construction, so readers need no
 * locks.
 *
 * The blob (all integers little-endian):
 *     "KBLX"  u32 version  u32 nwords  u32 nsplits  u32 text_len
 *     u32 checksum (FNV-1a of everything after this 24-byte header)
 *     text[text_len]   nwords words, then nsplits split strings "a|b"
 *     flags[nwords]    one byte each
 *     freq             nwords LEB128 varints
 *     split_word       nsplits u32 word indices, strictly increasing
 * The loader checks all of it before trusting any of it.
 *
 * File reading and normalisation are in lexicon_file.c.
 */
#include "kb_compound.h"

#include <stdlib.h>
#include <string.h>

#include "kb_buf.h"
#include "kb_text.h"

enum { BLOB_HEADER = 24, BLOB_VERSION = 1, SPLIT_MAX_BYTES = 8 * 65 };

/* A slot of the look-up table: a word and its hash, so that a probe
 * compares the hash in the slot and reads a word's text only when they
 * match (splitting a compound looks up many strings that are no word,
 * and each of them walks a run of slots). */
typedef struct lex_slot {
  uint32_t word; /* index + 1; 0 = empty */
  uint32_t hash;
} lex_slot;

struct kb_lexicon {
  char *text;
  size_t text_len;
  uint32_t *off; /* nwords + 1 entries; off[nwords] = start of splits */
  uint8_t *flags;
  uint32_t *freq; /* NULL when every frequency is 0 */
  uint32_t nwords;
  uint32_t nsplits;
  uint32_t *split_word; /* sorted word indices with an explicit split */
  uint32_t *split_off;  /* text offset of each one's split string */
  lex_slot *slots;
  uint32_t mask;
  unsigned all_flags; /* union of flags */
};

typedef struct bentry {
  uint32_t off; /* into the builder's text */
  uint8_t len;
  uint8_t flags;
  uint32_t freq;
} bentry;

typedef struct bsplit {
  uint32_t word_off, parts_off; /* into the builder's split text */
  uint16_t parts_len;
  uint8_t word_len;
} bsplit;

struct kb_lexicon_builder {
  kb_buf text; /* entry bytes, back to back */
  bentry *e;
  uint32_t n, cap;
  uint32_t *slots; /* entry index + 1 */
  uint32_t mask;
  kb_buf stext; /* split words and parts */
  bsplit *s;
  uint32_t ns, scap;
};

static uint32_t hash_bytes(const char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)p[i];
    h *= 16777619u;
  }
  return h ^ (h >> 15);
}

/* Words are letters and digits: no separators the blob or splits use. */
static bool word_ok(const char *w, size_t len) {
  if (len == 0 || len > KB_COMPOUND_WORD_MAX || !kb_utf8_valid(w, len))
    return false;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)w[i] <= ' ' || w[i] == '|' || w[i] == 0x7f)
      return false;
  return true;
}

/* "a|b|c": 1..KB_COMPOUND_MAX_PARTS valid words. */
static bool split_ok(const char *s, size_t len) {
  if (len == 0 || len > SPLIT_MAX_BYTES)
    return false;
  unsigned parts = 0;
  size_t start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && s[i] != '|')
      continue;
    if (++parts > KB_COMPOUND_MAX_PARTS || !word_ok(s + start, i - start))
      return false;
    start = i + 1;
  }
  return true;
}

/* ---- builder ------------------------------------------------------------ */

kb_status kb_lexicon_builder_new(kb_lexicon_builder **ret_b,
                                 char **reterr_msg) {
  kb_lexicon_builder *b = calloc(1, sizeof *b);
  if (b == NULL)
    return kb_fail(KB_ERR_NOMEM, reterr_msg, "no memory for a lexicon");
  kb_buf_init(&b->text, KB_LEXICON_MAX_TEXT);
  kb_buf_init(&b->stext, KB_LEXICON_MAX_TEXT);
  *ret_b = b;
  return KB_OK;
}

void kb_lexicon_builder_free(kb_lexicon_builder *b) {
  if (b == NULL)
    return;
  kb_buf_release(&b->text);
  kb_buf_release(&b->stext);
  free(b->e);
  free(b->slots);
  free(b->s);
  free(b);
}

static bool builder_rehash(kb_lexicon_builder *b, uint32_t nslots) {
  uint32_t *slots = calloc(nslots, sizeof *slots);
  if (slots == NULL)
    return false;
  for (uint32_t i = 0; i < b->n; i++) {
    uint32_t h = hash_bytes(b->text.data + b->e[i].off, b->e[i].len);
    uint32_t j = h & (nslots - 1);
    while (slots[j] != 0)
      j = (j + 1) & (nslots - 1);
    slots[j] = i + 1;
  }
  free(b->slots);
  b->slots = slots;
  b->mask = nslots - 1;
  return true;
}

kb_status kb_lexicon_builder_add(kb_lexicon_builder *b, const char *word,
                                 size_t len, uint32_t freq, unsigned flags,
                                 char **reterr_msg) {
  if (len > KB_COMPOUND_WORD_MAX)
    return kb_fail(KB_ERR_LIMIT, reterr_msg,
                   "word of %zu bytes is longer than %d", len,
                   KB_COMPOUND_WORD_MAX);
  if (!word_ok(word, len))
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "not a word: empty, invalid UTF-8 or a separator");
  if (flags & ~(unsigned)KB_LEX_ALL_FLAGS)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "unknown lexicon flags %#x",
                   flags);
  if (b->slots != NULL) {
    uint32_t j = hash_bytes(word, len) & b->mask;
    for (; b->slots[j] != 0; j = (j + 1) & b->mask) {
      bentry *e = &b->e[b->slots[j] - 1];
      if (e->len == len && memcmp(b->text.data + e->off, word, len) == 0) {
        e->flags |= (uint8_t)flags;
        e->freq = freq > UINT32_MAX - e->freq ? UINT32_MAX : e->freq + freq;
        return KB_OK;
      }
    }
  }
  if (b->n >= KB_LEXICON_MAX_WORDS)
    return kb_fail(KB_ERR_LIMIT, reterr_msg, "more than %u lexicon words",
                   KB_LEXICON_MAX_WORDS);
  if (b->n == b->cap) {
    uint32_t cap = b->cap ? b->cap * 2 : 1024;
    bentry *e = realloc(b->e, (size_t)cap * sizeof *e);
    if (e == NULL)
      return kb_fail(KB_ERR_NOMEM, reterr_msg, "no memory for the lexicon");
    b->e = e;
    b->cap = cap;
  }
  /* Room for every word's NUL in the built text counts against the cap. */
  if (b->text.len + b->n + len + 1 > KB_LEXICON_MAX_TEXT ||
      kb_buf_add(&b->text, word, len) != KB_OK)
    return kb_fail(KB_ERR_LIMIT, reterr_msg, "lexicon text exceeds %u bytes",
                   KB_LEXICON_MAX_TEXT);
  b->e[b->n] = (bentry){.off = (uint32_t)(b->text.len - len),
                        .len = (uint8_t)len,
                        .flags = (uint8_t)flags,
                        .freq = freq};
  b->n++;
  /* Keep the load factor at most 1/2 while building. */
  if ((uint64_t)b->n * 2 > (uint64_t)b->mask + 1 || b->slots == NULL) {
    if (!builder_rehash(b, b->slots ? (b->mask + 1) * 2 : 2048))
      return kb_fail(KB_ERR_NOMEM, reterr_msg, "no memory for the lexicon");
  } else {
    uint32_t j = hash_bytes(word, len) & b->mask;
    while (b->slots[j] != 0)
      j = (j + 1) & b->mask;
    b->slots[j] = b->n;
  }
  return KB_OK;
}

kb_status kb_lexicon_builder_add_split(kb_lexicon_builder *b, const char *word,
                                       size_t len, const char *parts,
                                       size_t parts_len, char **reterr_msg) {
  if (!split_ok(parts, parts_len))
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "a split needs 1 to %d parts of 1 to %d bytes, "
                   "separated by '|'",
                   KB_COMPOUND_MAX_PARTS, KB_COMPOUND_WORD_MAX);
  kb_status st = kb_lexicon_builder_add(b, word, len, 0, 0, reterr_msg);
  if (st != KB_OK)
    return st;
  if (b->ns == b->scap) {
    uint32_t cap = b->scap ? b->scap * 2 : 64;
    bsplit *s = cap > KB_LEXICON_MAX_WORDS
                    ? NULL
                    : realloc(b->s, (size_t)cap * sizeof *s);
    if (s == NULL)
      return kb_fail(KB_ERR_NOMEM, reterr_msg, "no memory for splits");
    b->s = s;
    b->scap = cap;
  }
  size_t woff = b->stext.len;
  kb_buf_add(&b->stext, word, len);
  kb_buf_add(&b->stext, parts, parts_len);
  if (kb_buf_status(&b->stext) != KB_OK)
    return kb_fail(KB_ERR_LIMIT, reterr_msg, "too many explicit splits");
  b->s[b->ns++] = (bsplit){.word_off = (uint32_t)woff,
                           .word_len = (uint8_t)len,
                           .parts_off = (uint32_t)(woff + len),
                           .parts_len = (uint16_t)parts_len};
  return KB_OK;
}

/* ---- the immutable lexicon ------------------------------------------------
 */

void kb_lexicon_free(kb_lexicon *lex) {
  if (lex == NULL)
    return;
  free(lex->text);
  free(lex->off);
  free(lex->flags);
  free(lex->freq);
  free(lex->split_word);
  free(lex->split_off);
  free(lex->slots);
  free(lex);
}

static uint32_t word_len(const kb_lexicon *lex, uint32_t i) {
  return lex->off[i + 1] - lex->off[i] - 1;
}

static long find(const kb_lexicon *lex, const char *w, size_t len) {
  if (lex->slots == NULL || len == 0 || len > KB_COMPOUND_WORD_MAX)
    return -1;
  const uint32_t h = hash_bytes(w, len);
  uint32_t j = h & lex->mask;
  for (uint32_t probes = 0; probes <= lex->mask; probes++) {
    const lex_slot *sl = &lex->slots[j];
    if (sl->word == 0)
      return -1;
    const uint32_t i = sl->word - 1;
    if (sl->hash == h && word_len(lex, i) == len &&
        memcmp(lex->text + lex->off[i], w, len) == 0)
      return (long)i;
    j = (j + 1) & lex->mask;
  }
  return -1;
}

bool kb_lexicon_lookup(const kb_lexicon *lex, const char *word, size_t len,
                       unsigned *ret_flags, uint32_t *ret_freq) {
  long i = find(lex, word, len);
  if (i < 0)
    return false;
  if (ret_flags)
    *ret_flags = lex->flags[i];
  if (ret_freq)
    *ret_freq = lex->freq ? lex->freq[i] : 0;
  return true;
}

const char *kb_lexicon_split_of(const kb_lexicon *lex, const char *word,
                                size_t len) {
  if (lex->nsplits == 0)
    return NULL;
  long i = find(lex, word, len);
  if (i < 0)
    return NULL;
  uint32_t lo = 0, hi = lex->nsplits;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (lex->split_word[mid] < (uint32_t)i)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < lex->nsplits && lex->split_word[lo] == (uint32_t)i)
    return lex->text + lex->split_off[lo];
  return NULL;
}

size_t kb_lexicon_count(const kb_lexicon *lex) { return lex->nwords; }

unsigned kb_lexicon_flags(const kb_lexicon *lex) { return lex->all_flags; }

size_t kb_lexicon_memory(const kb_lexicon *lex) {
  return sizeof *lex + lex->text_len + ((size_t)lex->nwords + 1) * 4 +
         lex->nwords + (lex->freq ? (size_t)lex->nwords * 4 : 0) +
         (size_t)lex->nsplits * 8 +
         ((size_t)lex->mask + 1) * sizeof *lex->slots;
}

/* Allocates everything but the text for nwords/nsplits, and the index. */
static kb_lexicon *lexicon_alloc(uint32_t nwords, uint32_t nsplits) {
  kb_lexicon *lex = calloc(1, sizeof *lex);
  if (lex == NULL)
    return NULL;
  lex->nwords = nwords;
  lex->nsplits = nsplits;
  uint64_t nslots = 16;
  while (nslots * 3 < (uint64_t)nwords * 4) /* load factor <= 3/4 */
    nslots *= 2;
  lex->mask = (uint32_t)(nslots - 1);
  lex->off = malloc(((size_t)nwords + 1) * sizeof *lex->off);
  lex->flags = malloc(nwords ? nwords : 1);
  lex->freq = calloc(nwords ? nwords : 1, sizeof *lex->freq);
  lex->split_word = malloc((nsplits ? nsplits : 1) * sizeof(uint32_t));
  lex->split_off = malloc((nsplits ? nsplits : 1) * sizeof(uint32_t));
  lex->slots = calloc((size_t)nslots, sizeof *lex->slots);
  if (!lex->off || !lex->flags || !lex->freq || !lex->split_word ||
      !lex->split_off || !lex->slots) {
    kb_lexicon_free(lex);
    return NULL;
  }
  return lex;
}

/* Fills the hash index and drops an all-zero frequency array. */
static void lexicon_index(kb_lexicon *lex) {
  bool any_freq = false;
  for (uint32_t i = 0; i < lex->nwords; i++) {
    const uint32_t h = hash_bytes(lex->text + lex->off[i], word_len(lex, i));
    uint32_t j = h & lex->mask;
    while (lex->slots[j].word != 0)
      j = (j + 1) & lex->mask;
    lex->slots[j] = (lex_slot){.word = i + 1, .hash = h};
    any_freq = any_freq || lex->freq[i] != 0;
    lex->all_flags |= lex->flags[i];
  }
  if (!any_freq) {
    free(lex->freq);
    lex->freq = NULL;
  }
}

typedef struct sortkey {
  const char *p;
  uint32_t len, idx;
} sortkey;

static int cmp_key(const void *a, const void *b) {
  const sortkey *x = a, *y = b;
  int c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);
  if (c != 0)
    return c;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx; /* later split wins */
}

kb_status kb_lexicon_build(const kb_lexicon_builder *b, kb_lexicon **ret_lex,
                           char **reterr_msg) {
  kb_status st = KB_ERR_NOMEM;
  kb_lexicon *lex = NULL;
  sortkey *keys = malloc(((size_t)b->n + b->ns + 1) * sizeof *keys);
  if (keys == NULL)
    goto out;
  for (uint32_t i = 0; i < b->n; i++)
    keys[i] = (sortkey){b->text.data + b->e[i].off, b->e[i].len, i};
  qsort(keys, b->n, sizeof *keys, cmp_key);
  /* Explicit splits: sorted by word, the last added of equal words kept. */
  sortkey *sk = keys + b->n;
  uint32_t ns = 0;
  for (uint32_t i = 0; i < b->ns; i++)
    sk[i] = (sortkey){b->stext.data + b->s[i].word_off, b->s[i].word_len, i};
  qsort(sk, b->ns, sizeof *sk, cmp_key);
  for (uint32_t i = 0; i < b->ns; i++)
    if (i + 1 == b->ns || sk[i].len != sk[i + 1].len ||
        memcmp(sk[i].p, sk[i + 1].p, sk[i].len) != 0)
      sk[ns++] = sk[i];
  size_t text_len = 0;
  for (uint32_t i = 0; i < b->n; i++)
    text_len += (size_t)b->e[i].len + 1;
  for (uint32_t i = 0; i < ns; i++)
    text_len += (size_t)b->s[sk[i].idx].parts_len + 1;
  if (text_len > KB_LEXICON_MAX_TEXT) {
    st = kb_fail(KB_ERR_LIMIT, reterr_msg, "lexicon text exceeds %u bytes",
                 KB_LEXICON_MAX_TEXT);
    goto out;
  }
  lex = lexicon_alloc(b->n, ns);
  if (lex == NULL || (lex->text = malloc(text_len ? text_len : 1)) == NULL)
    goto out;
  lex->text_len = text_len;
  size_t pos = 0;
  for (uint32_t i = 0; i < b->n; i++) {
    const bentry *e = &b->e[keys[i].idx];
    lex->off[i] = (uint32_t)pos;
    memcpy(lex->text + pos, keys[i].p, e->len);
    pos += e->len;
    lex->text[pos++] = '\0';
    lex->flags[i] = e->flags;
    lex->freq[i] = e->freq;
  }
  lex->off[b->n] = (uint32_t)pos;
  lexicon_index(lex);
  for (uint32_t i = 0; i < ns; i++) {
    const bsplit *s = &b->s[sk[i].idx];
    lex->split_word[i] = (uint32_t)find(lex, sk[i].p, sk[i].len);
    lex->split_off[i] = (uint32_t)pos;
    memcpy(lex->text + pos, b->stext.data + s->parts_off, s->parts_len);
    pos += s->parts_len;
    lex->text[pos++] = '\0';
  }
  *ret_lex = lex;
  lex = NULL;
  st = KB_OK;
out:
  if (st == KB_ERR_NOMEM)
    kb_fail(st, reterr_msg, "no memory to build the lexicon");
  kb_lexicon_free(lex);
  free(keys);
  return st;
}

/* ---- the blob ------------------------------------------------------------ */

static void put_u32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_u32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static uint32_t checksum(const unsigned char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}

kb_status kb_lexicon_serialise(const kb_lexicon *lex, char **ret_blob,
                               size_t *ret_len, char **reterr_msg) {
  size_t nvar = 0;
  for (uint32_t i = 0; i < lex->nwords; i++)
    for (uint32_t v = lex->freq ? lex->freq[i] : 0;; v >>= 7) {
      nvar++;
      if (v < 0x80)
        break;
    }
  size_t len = BLOB_HEADER + lex->text_len + lex->nwords + nvar +
               (size_t)lex->nsplits * 4;
  unsigned char *blob = malloc(len), *p = blob + BLOB_HEADER;
  if (blob == NULL)
    return kb_fail(KB_ERR_NOMEM, reterr_msg, "no memory for the lexicon blob");
  memcpy(blob, "KBLX", 4);
  put_u32(blob + 4, BLOB_VERSION);
  put_u32(blob + 8, lex->nwords);
  put_u32(blob + 12, lex->nsplits);
  put_u32(blob + 16, (uint32_t)lex->text_len);
  memcpy(p, lex->text, lex->text_len);
  p += lex->text_len;
  memcpy(p, lex->flags, lex->nwords);
  p += lex->nwords;
  for (uint32_t i = 0; i < lex->nwords; i++) {
    uint32_t v = lex->freq ? lex->freq[i] : 0;
    while (v >= 0x80) {
      *p++ = (unsigned char)(v | 0x80);
      v >>= 7;
    }
    *p++ = (unsigned char)v;
  }
  for (uint32_t i = 0; i < lex->nsplits; i++, p += 4)
    put_u32(p, lex->split_word[i]);
  put_u32(blob + 20, checksum(blob + BLOB_HEADER, len - BLOB_HEADER));
  *ret_blob = (char *)blob;
  *ret_len = len;
  return KB_OK;
}

static kb_status corrupt(char **reterr_msg, const char *what) {
  return kb_fail(KB_ERR_PARSE, reterr_msg,
                 "lexicon blob is corrupt (%s); rebuild the index", what);
}

kb_status kb_lexicon_load(const void *blob, size_t len, kb_lexicon **ret_lex,
                          char **reterr_msg) {
  const unsigned char *b = blob;
  if (b == NULL || len < BLOB_HEADER || memcmp(b, "KBLX", 4) != 0)
    return corrupt(reterr_msg, "no lexicon header");
  if (get_u32(b + 4) != BLOB_VERSION)
    return kb_fail(KB_ERR_PARSE, reterr_msg,
                   "lexicon blob has version %u, this program reads %d; "
                   "rebuild the index",
                   get_u32(b + 4), BLOB_VERSION);
  uint32_t nwords = get_u32(b + 8), nsplits = get_u32(b + 12);
  uint32_t text_len = get_u32(b + 16);
  if (nwords > KB_LEXICON_MAX_WORDS || text_len > KB_LEXICON_MAX_TEXT)
    return kb_fail(KB_ERR_LIMIT, reterr_msg,
                   "lexicon blob exceeds the lexicon bounds");
  /* Every section's minimum size must fit before anything is read. */
  if (nsplits > nwords ||
      (uint64_t)BLOB_HEADER + text_len + 2ull * nwords + 4ull * nsplits > len)
    return corrupt(reterr_msg, "sections overrun the blob");
  if (checksum(b + BLOB_HEADER, len - BLOB_HEADER) != get_u32(b + 20))
    return corrupt(reterr_msg, "checksum mismatch");
  kb_lexicon *lex = lexicon_alloc(nwords, nsplits);
  if (lex == NULL || (lex->text = malloc(text_len ? text_len : 1)) == NULL) {
    kb_lexicon_free(lex);
    return kb_fail(KB_ERR_NOMEM, reterr_msg, "no memory for the lexicon");
  }
  kb_status st = KB_ERR_PARSE;
  const char *what = "bad word text";
  memcpy(lex->text, b + BLOB_HEADER, text_len);
  lex->text_len = text_len;
  /* Words: NUL-terminated, valid, strictly increasing. */
  size_t pos = 0;
  for (uint32_t i = 0; i < nwords; i++) {
    const char *w = lex->text + pos;
    const char *nul = memchr(w, '\0', text_len - pos);
    if (nul == NULL || !word_ok(w, (size_t)(nul - w)))
      goto out;
    size_t wl = (size_t)(nul - w);
    if (i > 0) {
      size_t pl = lex->off[i] - lex->off[i - 1] - 1;
      sortkey x = {lex->text + lex->off[i - 1], (uint32_t)pl, 0};
      sortkey y = {w, (uint32_t)wl, 0};
      if (cmp_key(&x, &y) >= 0) {
        what = "words out of order";
        goto out;
      }
    }
    lex->off[i] = (uint32_t)pos;
    pos += wl + 1;
  }
  lex->off[nwords] = (uint32_t)pos;
  for (uint32_t i = 0; i < nsplits; i++) {
    const char *s = lex->text + pos;
    const char *nul = memchr(s, '\0', text_len - pos);
    if (nul == NULL || !split_ok(s, (size_t)(nul - s))) {
      what = "bad split";
      goto out;
    }
    lex->split_off[i] = (uint32_t)pos;
    pos += (size_t)(nul - s) + 1;
  }
  if (pos != text_len) {
    what = "text has trailing bytes";
    goto out;
  }
  const unsigned char *p = b + BLOB_HEADER + text_len, *end = b + len;
  for (uint32_t i = 0; i < nwords; i++)
    if ((p[i] & ~(unsigned)KB_LEX_ALL_FLAGS) != 0) {
      what = "unknown flags";
      goto out;
    }
  memcpy(lex->flags, p, nwords);
  p += nwords;
  what = "bad frequency";
  for (uint32_t i = 0; i < nwords; i++) {
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (p >= end || shift > 28)
        goto out;
      v |= (uint64_t)(*p & 0x7f) << shift;
      if ((*p++ & 0x80) == 0)
        break;
    }
    if (v > UINT32_MAX)
      goto out;
    lex->freq[i] = (uint32_t)v;
  }
  if ((size_t)(end - p) != (size_t)nsplits * 4) {
    what = "split table size";
    goto out;
  }
  for (uint32_t i = 0; i < nsplits; i++, p += 4) {
    lex->split_word[i] = get_u32(p);
    if (lex->split_word[i] >= nwords ||
        (i > 0 && lex->split_word[i] <= lex->split_word[i - 1])) {
      what = "split table order";
      goto out;
    }
  }
  lexicon_index(lex);
  *ret_lex = lex;
  return KB_OK;
out:
  kb_lexicon_free(lex);
  return st == KB_ERR_PARSE ? corrupt(reterr_msg, what) : st;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * analysis.c - normalisation, tokenisation and stemming (kb_analysis.h).
 */
#include "kb_analysis.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "kb_counter.h"
#include "kb_xapian.h"

/* Bound on one analysed text (the largest article is 512 KiB). */
enum { ANALYZE_MAX_BYTES = 4 * 1024 * 1024 };

/* The stems of words seen, so a word is stemmed once: a call into
 * Xapian's stemmer (std::string in and out) costs several times this
 * look-up, and a build stems every word of every record.  Past
 * STEM_MEMO_MAX words it starts afresh (a few MiB). */
enum { STEM_MEMO_MAX = 65536, STEM_BUF_BYTES = KB_WORD_MAX * 2 + 8 };

typedef struct memo_word {
  const char *stem;
  void *user; /* kb_token.memo */
} memo_word;

typedef struct stem_memo {
  kb_counter index;  /* word -> 1 + its place in `words` */
  kb_arena arena;    /* the words' entries and stems */
  memo_word **words; /* each in `arena`, where it stays */
  size_t n, cap;
} stem_memo;

struct kb_analyzer {
  kbx_stem *stem;
  const UNormalizer2 *nfkc_cf; /* ICU singleton, thread-safe */
  UChar *u16, *u16n;           /* scratch: UTF-16 input and normalised */
  int32_t u16_cap, u16n_cap;
  kb_buf norm;   /* normalised UTF-8 of the current text */
  bool no_stems; /* kb_analyzer_no_stems */
  bool remember; /* kb_analyzer_remember_stems */
  stem_memo memo;
};

static void memo_init(stem_memo *m) {
  kb_counter_init(&m->index, 0);
  kb_arena_init(&m->arena, 0);
  m->n = 0;
}

static void memo_release(stem_memo *m) {
  kb_counter_release(&m->index);
  kb_arena_release(&m->arena);
}

kb_status kb_analyzer_new(kb_analyzer **ret_an, char **reterr_msg) {
  kb_analyzer *an = calloc(1, sizeof *an);
  if (an == NULL)
    return KB_ERR_NOMEM;
  UErrorCode uerr = U_ZERO_ERROR;
  an->nfkc_cf = unorm2_getNFKCCasefoldInstance(&uerr);
  if (U_FAILURE(uerr)) {
    free(an);
    return kb_fail(KB_ERR_INTERNAL, reterr_msg,
                   "ICU normaliser unavailable: %s", u_errorName(uerr));
  }
  kb_status st = kbx_stem_new("german2", &an->stem, reterr_msg);
  if (st != KB_OK) {
    free(an);
    return st;
  }
  kb_buf_init(&an->norm, ANALYZE_MAX_BYTES * 2);
  memo_init(&an->memo);
  *ret_an = an;
  return KB_OK;
}

void kb_analyzer_free(kb_analyzer *an) {
  if (an == NULL)
    return;
  kbx_stem_free(an->stem);
  free(an->u16);
  free(an->u16n);
  kb_buf_release(&an->norm);
  memo_release(&an->memo);
  free(an->memo.words);
  free(an);
}

static bool reserve(UChar **p, int32_t *cap, int32_t need) {
  if (need <= *cap)
    return true;
  int32_t n = *cap ? *cap : 1024;
  while (n < need)
    n *= 2;
  UChar *q = realloc(*p, (size_t)n * sizeof *q);
  if (q == NULL)
    return false;
  *p = q;
  *cap = n;
  return true;
}

kb_status kb_normalize(kb_analyzer *an, const char *text, size_t len,
                       kb_buf *out, char **reterr_msg) {
  kb_buf_reset(out);
  if (len > ANALYZE_MAX_BYTES)
    return kb_fail(KB_ERR_LIMIT, reterr_msg,
                   "text of %zu bytes is too long to analyse", len);
  if (len == 0)
    return kb_buf_add(out, "", 0);
  /* UTF-8 -> UTF-16: at most one UTF-16 unit per UTF-8 byte. */
  if (!reserve(&an->u16, &an->u16_cap, (int32_t)len + 1))
    return KB_ERR_NOMEM;
  UErrorCode uerr = U_ZERO_ERROR;
  int32_t n16 = 0;
  u_strFromUTF8WithSub(an->u16, an->u16_cap, &n16, text, (int32_t)len, 0xFFFD,
                       NULL, &uerr);
  if (U_FAILURE(uerr))
    return kb_fail(KB_ERR_INTERNAL, reterr_msg, "UTF-8 conversion: %s",
                   u_errorName(uerr));
  /* Normalisation can grow text (e.g. ligatures); retry once if short. */
  int32_t need = n16 * 2 + 16;
  for (int attempt = 0; attempt < 2; attempt++) {
    if (!reserve(&an->u16n, &an->u16n_cap, need))
      return KB_ERR_NOMEM;
    uerr = U_ZERO_ERROR;
    need = unorm2_normalize(an->nfkc_cf, an->u16, n16, an->u16n, an->u16n_cap,
                            &uerr);
    if (uerr != U_BUFFER_OVERFLOW_ERROR)
      break;
  }
  if (U_FAILURE(uerr))
    return kb_fail(KB_ERR_INTERNAL, reterr_msg, "ICU normalisation: %s",
                   u_errorName(uerr));
  int32_t n8 = 0;
  uerr = U_ZERO_ERROR;
  u_strToUTF8(NULL, 0, &n8, an->u16n, need, &uerr);
  if (uerr != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(uerr))
    return kb_fail(KB_ERR_INTERNAL, reterr_msg, "UTF-8 conversion: %s",
                   u_errorName(uerr));
  char *dst = kb_buf_extend(out, (size_t)n8);
  if (dst == NULL)
    return kb_buf_status(out);
  uerr = U_ZERO_ERROR;
  /* n8 + 1 bytes are there: kb_buf always keeps room for the NUL. */
  u_strToUTF8(dst, n8 + 1, NULL, an->u16n, need, &uerr);
  if (U_FAILURE(uerr))
    return kb_fail(KB_ERR_INTERNAL, reterr_msg, "UTF-8 conversion: %s",
                   u_errorName(uerr));
  return KB_OK;
}

void kb_analyzer_no_stems(kb_analyzer *an, bool off) { an->no_stems = off; }

void kb_analyzer_remember_stems(kb_analyzer *an) { an->remember = true; }

void kb_analyzer_clear_memo(kb_analyzer *an) {
  for (size_t i = 0; an && i < an->memo.n; i++)
    an->memo.words[i]->user = NULL;
}

struct kbx_stem *kb_analyzer_stemmer(kb_analyzer *an) {
  return an->stem;
}

static const char *stem_of(kb_analyzer *an, const char *word, size_t len,
                           char *buf, void ***ret_user);

kb_status kb_stem_word(kb_analyzer *an, const char *word, size_t len, char *buf,
                       size_t cap, size_t *ret_len) {
  char tmp[STEM_BUF_BYTES];
  const char *stem =
      !an->remember || buf == NULL || len == 0 || len > KB_WORD_MAX
          ? NULL
          : stem_of(an, word, len, tmp, NULL);
  if (stem == NULL)
    return kbx_stem_apply(an->stem, word, len, buf, cap, ret_len, NULL);
  size_t sl = strlen(stem);
  if (sl >= cap)
    return KB_ERR_LIMIT;
  memcpy(buf, stem, sl + 1);
  if (ret_len)
    *ret_len = sl;
  return KB_OK;
}

static bool is_word_char(UChar32 c) {
  return u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK ||
         u_charType(c) == U_COMBINING_SPACING_MARK;
}

static bool is_hyphen(UChar32 c) {
  return c == '-' || c == 0x2010 || c == 0x2011;
}

typedef struct emitter {
  kb_analyzer *an;
  kb_token_cb cb;
  void *ctx;
  bool stopped;
} emitter;

/* The stem of `word` (`len` bytes): from the memo when the analyzer
 * remembers stems, else from the stemmer into `buf` (STEM_BUF_BYTES);
 * NULL if it cannot be stemmed.  With `ret_user`, also the word's
 * kb_token.memo (NULL when it is not remembered).  A full memo takes no
 * more words here: it starts afresh only between tokens (emit), so a
 * kb_token.memo stays valid while its callback runs. */
static const char *stem_of(kb_analyzer *an, const char *word, size_t len,
                           char *buf, void ***ret_user) {
  size_t sl = 0;
  if (ret_user)
    *ret_user = NULL;
  stem_memo *m = &an->memo;
  unsigned *slot = NULL;
  bool created = false;
  if (!an->remember || m->n >= STEM_MEMO_MAX ||
      kb_counter_slot_of(&m->index, word, len, &slot, &created) != KB_OK)
    slot = NULL; /* no memo, just the stemmer */
  else if (!created && *slot != 0) {
    memo_word *w = m->words[*slot - 1];
    if (ret_user)
      *ret_user = &w->user;
    return w->stem;
  }
  if (kbx_stem_apply(an->stem, word, len, buf, STEM_BUF_BYTES, &sl, NULL) !=
      KB_OK)
    return NULL;
  if (slot == NULL)
    return buf;
  if (m->n == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 1024;
    memo_word **v = realloc(m->words, cap * sizeof *v);
    if (v == NULL)
      return buf; /* not remembered, still right */
    m->words = v;
    m->cap = cap;
  }
  /* The entry and its stem in one piece of the arena: entries do not
   * move, so kb_token.memo can point into one. */
  memo_word *w = kb_arena_alloc(&m->arena, sizeof *w + sl + 1);
  if (w == NULL)
    return buf;
  char *stem = (char *)(w + 1);
  memcpy(stem, buf, sl);
  stem[sl] = '\0';
  *w = (memo_word){.stem = stem};
  m->words[m->n] = w;
  *slot = (unsigned)++m->n;
  if (ret_user)
    *ret_user = &w->user;
  return stem;
}

static bool emit(emitter *e, const char *w, size_t len, uint32_t pos,
                 unsigned flags) {
  if (e->stopped || len == 0 || len > KB_WORD_MAX)
    return !e->stopped;
  char word[KB_WORD_MAX + 1], buf[STEM_BUF_BYTES];
  stem_memo *m = &e->an->memo;
  if (m->n >= STEM_MEMO_MAX) {
    memo_release(m);
    memo_init(m);
  }
  memcpy(word, w, len);
  word[len] = '\0';
  void **user = NULL;
  const char *stem =
      e->an->no_stems ? NULL : stem_of(e->an, word, len, buf, &user);
  if (stem == NULL)
    stem = word;
  size_t slen = strlen(stem);
  kb_token t = {.word = word,
                .len = len,
                .stem = stem,
                .stem_len = slen,
                .pos = pos,
                .flags = flags,
                .memo = user};
  if (!e->cb(&t, e->ctx))
    e->stopped = true;
  return !e->stopped;
}

kb_status kb_analyze(kb_analyzer *an, const char *text, size_t len,
                     uint32_t *pos, kb_token_cb cb, void *ctx,
                     char **reterr_msg) {
  kb_status st = kb_normalize(an, text, len, &an->norm, reterr_msg);
  if (st != KB_OK)
    return st;
  const char *s = kb_buf_str(&an->norm);
  int32_t n = (int32_t)an->norm.len, i = 0;
  emitter e = {.an = an, .cb = cb, .ctx = ctx};
  uint32_t p = *pos;
  /* A "compound" is a run of words joined by single hyphens. */
  while (i < n && !e.stopped) {
    UChar32 c;
    int32_t start = i;
    U8_NEXT(s, i, n, c);
    if (!is_word_char(c))
      continue;
    /* Collect parts: word (hyphen word)*, at most MAX_PARTS; a longer
     * chain goes on as a new one, so no word is ever dropped. */
    enum { MAX_PARTS = 8 };
    int32_t part_start[MAX_PARTS], part_end[MAX_PARTS];
    int nparts = 0;
    int32_t ws = start, j = i;
    for (;;) {
      int32_t k = j;
      while (k < n) {
        int32_t prev = k;
        UChar32 d;
        U8_NEXT(s, k, n, d);
        if (!is_word_char(d)) {
          k = prev;
          break;
        }
      }
      part_start[nparts] = ws;
      part_end[nparts] = k;
      nparts++;
      j = k;
      if (nparts == MAX_PARTS)
        break;
      /* A hyphen followed by a word character continues the compound. */
      if (j < n) {
        int32_t h = j;
        UChar32 d;
        U8_NEXT(s, h, n, d);
        if (is_hyphen(d) && h < n) {
          int32_t h2 = h;
          UChar32 d2;
          U8_NEXT(s, h2, n, d2);
          if (is_word_char(d2)) {
            ws = h;
            j = h2;
            continue;
          }
        }
      }
      break;
    }
    i = j;
    if (nparts == 1) {
      emit(&e, s + part_start[0], (size_t)(part_end[0] - part_start[0]), p++,
           0);
      continue;
    }
    int used = nparts;
    /* The joined form first, at the first part's position. */
    char joined[KB_WORD_MAX + 1];
    size_t jl = 0;
    bool fits = true;
    for (int k = 0; k < used && fits; k++) {
      size_t pl = (size_t)(part_end[k] - part_start[k]);
      if (jl + pl > KB_WORD_MAX)
        fits = false;
      else {
        memcpy(joined + jl, s + part_start[k], pl);
        jl += pl;
      }
    }
    if (fits)
      emit(&e, joined, jl, p, KB_TOK_JOINED);
    for (int k = 0; k < used; k++)
      emit(&e, s + part_start[k], (size_t)(part_end[k] - part_start[k]), p++,
           KB_TOK_PART);
  }
  *pos = p;
  return KB_OK;
}

static bool key_word(const kb_token *t, void *ctx) {
  kb_buf *out = ctx;
  if (t->flags & KB_TOK_JOINED)
    return true;
  if (out->len)
    kb_buf_addc(out, ' ');
  kb_buf_add(out, t->word, t->len);
  return kb_buf_status(out) == KB_OK;
}

kb_status kb_phrase_key(kb_analyzer *an, const char *text, size_t len,
                        kb_buf *out, char **reterr_msg) {
  kb_buf_reset(out);
  uint32_t pos = 0;
  kb_status st = kb_analyze(an, text, len, &pos, key_word, out, reterr_msg);
  return st != KB_OK ? st : kb_buf_status(out);
}

/* German function and question words people type into a search box
 * ("Wer zahlt das Hörgerät?"), sorted bytewise for bsearch.  Only the
 * query side skips them, and only when other words remain.  Kept short
 * on purpose: "kein", "ohne" or "nicht" carry meaning in this domain. */
static const char *const stopwords[] = {
#include "stopwords_de.inc"
};

static int cmpstr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool kb_is_stopword(const char *word, size_t len) {
  char w[16];
  if (len >= sizeof w)
    return false;
  memcpy(w, word, len);
  w[len] = '\0';
  const char *key = w;
  return bsearch(&key, stopwords, sizeof stopwords / sizeof *stopwords,
                 sizeof *stopwords, cmpstr) != NULL;
}

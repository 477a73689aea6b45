/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lexicon_hunspell.c - reading a hunspell dictionary of the igerman98
 * family (hunspell-de-de's de_DE.dic + de_DE.aff) into a lexicon builder.
 *
 * Why hunspell and not only wngerman's word list: the list writes every
 * spelling once, and where a noun and a verb or adjective form coincide
 * it keeps the lower-case one ("decke", "zimmer", "sonne", "schmerzen",
 * "teilhabe"), so whether a word is a noun is lost for thousands of
 * common nouns.  Hunspell's stems keep their case, are lemmas, carry
 * compound flags, and their suffix rules give every inflected form.
 *
 * What is used:
 *   - a capitalised stem, or a lower-case one with the compound-end flags
 *     o+z ("platz/Tozm"), is a noun lemma; its suffix (SFX) forms are
 *     nouns too ("Schmerz/TPE" -> schmerzes, schmerzen, schmerze);
 *   - on other stems only the SFX class J (-ung, -ungen) makes nouns;
 *     the stems themselves are words: with conjugation classes (I, W,
 *     X, Y, Z) verb infinitives, without any adjectives or adverbs;
 *   - flags j, k, e (may begin or continue a compound) mark the stem as
 *     an attested modifier ("Arbeits/hij", "Lese/hij"); h (needs an
 *     affix) means it is not a free word; d (forbidden) drops it.
 * Prefix rules and continuation classes are ignored; so is a dictionary
 * whose FLAG type is not single characters (only the stems are read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

#include "kb_text.h"
#include "lexicon_internal.h"

enum {
  LINE_MAX_BYTES = 1024,
  MAX_RULES = 4096,
  COND_MAX = 12, /* condition elements */
  SET_MAX = 24,  /* code points in one [...] */
  AFFIX_MAX = 24,
};

typedef struct cond_el {
  bool any, neg;
  uint8_t n;
  UChar32 set[SET_MAX];
} cond_el;

typedef struct sfx_rule {
  unsigned char flag;
  uint8_t strip_len, add_len, ncond;
  char strip[AFFIX_MAX], add[AFFIX_MAX];
  cond_el cond[COND_MAX];
} sfx_rule;

typedef struct affixes {
  sfx_rule *r;
  size_t n;
  bool usable; /* single-character flags */
} affixes;

/* Splits a line in place into at most max white-space separated fields. */
static size_t fields(char *s, char **f, size_t max) {
  size_t n = 0;
  while (n < max) {
    s += strspn(s, " \t\r\n");
    if (*s == '\0')
      break;
    f[n++] = s;
    s += strcspn(s, " \t\r\n");
    if (*s != '\0')
      *s++ = '\0';
  }
  return n;
}

static bool parse_cond(const char *s, sfx_rule *r) {
  int32_t i = 0, len = (int32_t)strlen(s);
  r->ncond = 0;
  while (i < len) {
    if (r->ncond == COND_MAX)
      return false;
    cond_el *e = &r->cond[r->ncond++];
    *e = (cond_el){.any = false};
    UChar32 c;
    U8_NEXT(s, i, len, c);
    if (c < 0)
      return false;
    if (c == '.') {
      e->any = true;
      continue;
    }
    if (c != '[') {
      e->set[e->n++] = c;
      continue;
    }
    if (i < len && s[i] == '^') {
      e->neg = true;
      i++;
    }
    for (;;) {
      if (i >= len)
        return false;
      U8_NEXT(s, i, len, c);
      if (c < 0 || e->n == SET_MAX)
        return false;
      if (c == ']')
        break;
      e->set[e->n++] = c;
    }
  }
  return true;
}

static void read_aff(const char *dic_path, affixes *ax) {
  *ax = (affixes){.usable = true};
  size_t plen = strlen(dic_path);
  if (plen < 4 || strcmp(dic_path + plen - 4, ".dic") != 0 || plen > 4000)
    return;
  char path[4096];
  memcpy(path, dic_path, plen - 4);
  memcpy(path + plen - 4, ".aff", 5);
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return;
  ax->r = calloc(MAX_RULES, sizeof *ax->r);
  char line[LINE_MAX_BYTES + 2];
  while (ax->r != NULL && fgets(line, sizeof line, f) != NULL) {
    char *fl[6];
    size_t nf = fields(line, fl, 6);
    if (nf >= 2 && strcmp(fl[0], "FLAG") == 0)
      ax->usable = false;
    if (nf < 5 || strcmp(fl[0], "SFX") != 0 || strlen(fl[1]) != 1 ||
        ax->n == MAX_RULES)
      continue;
    sfx_rule *r = &ax->r[ax->n];
    char *slash = strchr(fl[3], '/');
    if (slash)
      *slash = '\0';
    const char *strip = strcmp(fl[2], "0") ? fl[2] : "";
    const char *add = strcmp(fl[3], "0") ? fl[3] : "";
    if (strlen(strip) >= AFFIX_MAX || strlen(add) >= AFFIX_MAX ||
        strchr(add, '-') || !parse_cond(fl[4], r))
      continue;
    r->flag = (unsigned char)fl[1][0];
    r->strip_len = (uint8_t)strlen(strip);
    r->add_len = (uint8_t)strlen(add);
    memcpy(r->strip, strip, r->strip_len);
    memcpy(r->add, add, r->add_len);
    ax->n++;
  }
  fclose(f);
}

static bool el_match(const cond_el *e, UChar32 c) {
  if (e->any)
    return true;
  bool in = false;
  for (unsigned i = 0; i < e->n && !in; i++)
    in = e->set[i] == c;
  return in != e->neg;
}

/* Does the stem (cps: its code points) meet the rule's condition? */
static bool cond_match(const sfx_rule *r, const UChar32 *cps, size_t ncp) {
  if (r->ncond > ncp)
    return false;
  for (size_t i = 0; i < r->ncond; i++)
    if (!el_match(&r->cond[i], cps[ncp - r->ncond + i]))
      return false;
  return true;
}

/* Adds the forms the rules of `flags` make of stem. */
static kb_status expand(kb_lexicon_builder *b, const affixes *ax,
                        const char *stem, size_t len, const char *flags,
                        size_t nflags, bool noun, char **reterr_msg) {
  UChar32 cps[4 * KB_COMPOUND_WORD_MAX];
  size_t ncp = 0;
  for (int32_t i = 0, n = (int32_t)len; i < n && ncp < sizeof cps / 4;) {
    UChar32 c;
    U8_NEXT(stem, i, n, c);
    if (c < 0)
      return KB_OK;
    cps[ncp++] = c;
  }
  char form[LINE_MAX_BYTES];
  for (size_t k = 0; k < ax->n; k++) {
    const sfx_rule *r = &ax->r[k];
    if (memchr(flags, r->flag, nflags) == NULL || (!noun && r->flag != 'J'))
      continue;
    if (r->strip_len > len ||
        memcmp(stem + len - r->strip_len, r->strip, r->strip_len) != 0 ||
        !cond_match(r, cps, ncp))
      continue;
    size_t base = len - r->strip_len;
    if (base + r->add_len + 1 > sizeof form)
      continue;
    memcpy(form, stem, base);
    memcpy(form + base, r->add, r->add_len);
    size_t fl = base + r->add_len;
    /* -ung (singular) and -in forms are lemmas of their own */
    bool lemma = (fl > 3 && memcmp(form + fl - 3, "ung", 3) == 0) ||
                 (fl > 2 && memcmp(form + fl - 2, "in", 2) == 0);
    kb_status st = kbi_lex_add_plain(
        b, form, fl, KB_LEX_NOUN | KB_LEX_WORD | (lemma ? KB_LEX_LEMMA : 0),
        reterr_msg);
    if (st != KB_OK)
      return st;
  }
  return KB_OK;
}

/* One .dic line: "Stem/flags", optionally followed by morphology. */
static kb_status dic_line(kb_lexicon_builder *b, const affixes *ax, char *s,
                          bool first, char **reterr_msg) {
  if (s[0] == '\t' || s[0] == ' ' || s[0] == '\0')
    return KB_OK; /* de_DE.dic's comment lines start with a tab */
  s[strcspn(s, " \t\r\n")] = '\0';
  size_t n = strlen(s);
  if (n == 0 || (first && strspn(s, "0123456789") == n))
    return KB_OK; /* the word count */
  char *slash = strchr(s, '/');
  size_t wlen = slash ? (size_t)(slash - s) : n;
  const char *fl = slash ? slash + 1 : "";
  size_t flen = strlen(fl);
#define HAS(c) (memchr(fl, (c), flen) != NULL)
  if (wlen == 0 || HAS('d') || memchr(s, '-', wlen) || memchr(s, '.', wlen))
    return KB_OK; /* forbidden forms such as "Arbeitsgeber" */
  unsigned flags = 0;
  bool noun = kbi_lex_looks_like_noun(s, wlen) || (HAS('o') && HAS('z'));
  /* Conjugation classes on a lower-case stem ending in -n: an infinitive */
  bool verb = !noun && s[wlen - 1] == 'n' &&
              (HAS('X') || HAS('Y') || HAS('Z') || HAS('W') || HAS('I'));
  /* Neither noun nor verb: an adjective or adverb ("schwer", "mehr") */
  bool adj = !noun && !HAS('I') && !HAS('V') && !HAS('W') && !HAS('X') &&
             !HAS('Y') && !HAS('Z');
  if (HAS('j') || HAS('k') || HAS('e'))
    flags |= KB_LEX_MODIFIER;
  if (!HAS('h'))
    flags |= KB_LEX_WORD | (noun ? KB_LEX_NOUN | KB_LEX_LEMMA : 0) |
             (verb ? KB_LEX_VERB : 0) | (adj ? KB_LEX_ADJ : 0);
#undef HAS
  kb_status st = KB_OK;
  if (flags != 0)
    st = kbi_lex_add_plain(b, s, wlen, flags, reterr_msg);
  if (st == KB_OK && ax->usable && (flags & KB_LEX_WORD))
    st = expand(b, ax, s, wlen, fl, flen, noun, reterr_msg);
  return st;
}

kb_status kbi_lex_read_hunspell(kb_lexicon_builder *b, const char *path,
                                char **reterr_msg) {
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot read '%s'", path);
  affixes ax;
  read_aff(path, &ax);
  char line[LINE_MAX_BYTES + 2];
  kb_status st = KB_OK;
  bool first = true;
  while (st == KB_OK && fgets(line, sizeof line, f) != NULL) {
    size_t n = strlen(line);
    if (n > 0 && line[n - 1] != '\n' && n > LINE_MAX_BYTES) {
      int c; /* an overlong line: skip it */
      while ((c = fgetc(f)) != EOF && c != '\n')
        ;
      continue;
    }
    if (kb_utf8_valid(line, n))
      st = dic_line(b, &ax, line, first, reterr_msg);
    first = false;
  }
  if (st == KB_OK && ferror(f))
    st = kb_fail(KB_ERR_IO, reterr_msg, "error reading '%s'", path);
  fclose(f);
  free(ax.r);
  return st;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cite.c - legal citation recognition (see kb_cite.h).
 *
 * A hand-written scanner over bytes: citations have a small grammar
 *   ("§" | "§§" | "Art." | "Artikel") NUM [LETTER] [("Abs." | "Absatz") NUM]
 *   [("S." | "Satz") NUM] [("Nr." NUM [LETTER])] [("Buchst." | "lit.") L]
 *   ["f." | "ff."] {("," | "und") NUM ...} LAW
 * and regular expressions would hide the bounds that keep it linear.
 */
#include "kb_cite.h"

#include <stdio.h>
#include <string.h>

/* Laws we know by name.  Anything else shaped like a German law
 * abbreviation ("...G", "...V", "...O") is accepted too. */
static const char *const known_laws[] = {
    "BGB",       "BBiG",     "HwO",       "TzBfG",     "PflegeZG", "FPfZG",
    "BDSG",      "DSGVO",    "AGG",       "BetrVG",    "BPersVG",  "ArbSchG",
    "ArbStättV", "SchwbAV",  "KfzHV",     "BUrlG",     "EntgFG",   "MuSchG",
    "KSchG",     "ArbZG",    "BEEG",      "ASiG",      "BGG",      "BFSG",
    "GG",        "SchwbVWO", "WMVO",      "EStG",      "BVG",      "SGG",
    "VersMedV",  "ArbGG",    "BAföG",     "BerBiRefG", "AÜG",      "NachwG",
    "FeV",       "TKG",      "GefStoffV", "JVEG",      "SchwbAwV", "MPVerfV",
};

static const char *const roman[] = {"I",  "II",  "III",  "IV", "V",
                                    "VI", "VII", "VIII", "IX", "X",
                                    "XI", "XII", "XIII", "XIV"};

static bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Also treats U+00A0 (no-break space, C2 A0) and U+202F as space. */
static size_t skip_space(const char *s, size_t len, size_t i) {
  for (;;) {
    if (i < len && is_space((unsigned char)s[i]))
      i++;
    else if (i + 1 < len && (unsigned char)s[i] == 0xC2 &&
             (unsigned char)s[i + 1] == 0xA0)
      i += 2;
    else if (i + 2 < len && (unsigned char)s[i] == 0xE2 &&
             (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0xAF)
      i += 3;
    else
      return i;
  }
}

static bool is_alpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Length of the word (letters, digits, '-') starting at i; a no-break
 * space (U+00A0, U+202F) ends it like a space does. */
static size_t word_len(const char *s, size_t len, size_t i) {
  size_t j = i;
  while (j < len && (is_alpha((unsigned char)s[j]) ||
                     is_digit((unsigned char)s[j]) || s[j] == '-')) {
    if (skip_space(s, len, j) != j)
      break;
    j++;
  }
  return j - i;
}

static bool word_is(const char *s, size_t n, const char *w) {
  return strlen(w) == n && memcmp(s, w, n) == 0;
}

static bool looks_like_law(const char *s, size_t n) {
  if (n < 2 || n > 12 || !(s[0] >= 'A' && s[0] <= 'Z'))
    return false;
  int upper = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 'A' && c <= 'Z')
      upper++;
    else if (!is_alpha(c))
      return false;
  }
  char last = s[n - 1];
  return upper >= 2 && (last == 'G' || last == 'V' || last == 'O');
}

size_t kb_cite_law(const char *s, size_t len, char *canon, size_t cap) {
  size_t n = word_len(s, len, 0);
  if (n == 0)
    return 0;
  if (word_is(s, n, "SGB")) {
    /* SGB needs its book: roman ("IX") or arabic ("9"). */
    size_t j = skip_space(s, len, n);
    size_t m = word_len(s, len, j);
    for (int b = 0; b < 14 && m; b++) {
      char arabic[4];
      snprintf(arabic, sizeof arabic, "%d", b + 1);
      if (word_is(s + j, m, roman[b]) || word_is(s + j, m, arabic)) {
        snprintf(canon, cap, "SGB %s", roman[b]);
        return j + m;
      }
    }
    return 0;
  }
  if (word_is(s, n, "BITV")) {
    size_t j = skip_space(s, len, n);
    if (j + 3 <= len && memcmp(s + j, "2.0", 3) == 0) {
      snprintf(canon, cap, "BITV 2.0");
      return j + 3;
    }
    snprintf(canon, cap, "BITV 2.0");
    return n;
  }
  if (word_is(s, n, "DS-GVO")) {
    snprintf(canon, cap, "DSGVO");
    return n;
  }
  for (size_t k = 0; k < sizeof known_laws / sizeof *known_laws; k++) {
    if (word_is(s, n, known_laws[k])) {
      snprintf(canon, cap, "%s", known_laws[k]);
      return n;
    }
  }
  if (looks_like_law(s, n) && n < cap) {
    memcpy(canon, s, n);
    canon[n] = '\0';
    return n;
  }
  return 0;
}

/* Reads a paragraph number: digits plus an optional single lower-case
 * letter ("42q", "26b", "9a").  Returns bytes consumed. */
static size_t read_num(const char *s, size_t len, size_t i, char *out,
                       size_t cap, bool allow_letter) {
  size_t j = i;
  while (j < len && is_digit((unsigned char)s[j]) && j - i < 5)
    j++;
  if (j == i || (j < len && is_digit((unsigned char)s[j])))
    return 0;
  if (allow_letter && j < len && s[j] >= 'a' && s[j] <= 'z' &&
      !(j + 1 < len && is_alpha((unsigned char)s[j + 1])))
    j++;
  if (j - i >= cap)
    return 0;
  memcpy(out, s + i, j - i);
  out[j - i] = '\0';
  return j - i;
}

/* Matches one of the given abbreviations at i (with their dot); returns
 * the position after it, or 0. */
static size_t match_kw(const char *s, size_t len, size_t i,
                       const char *const *kws) {
  for (; *kws; kws++) {
    size_t n = strlen(*kws);
    if (i + n <= len && memcmp(s + i, *kws, n) == 0 &&
        (i + n == len || !is_alpha((unsigned char)s[i + n]) ||
         (*kws)[n - 1] == '.'))
      return i + n;
  }
  return 0;
}

static const char *const kw_abs[] = {"Abs.", "Absatz", "Abs", NULL};
static const char *const kw_satz[] = {"Satz", "S.", NULL};
static const char *const kw_nr[] = {"Nr.", "Nummer", NULL};
static const char *const kw_lit[] = {"Buchst.", "Buchstabe", "lit.", NULL};
static const char *const kw_ff[] = {"ff.", "f.", NULL};
static const char *const kw_and[] = {",", "und",          "bis",
                                     "-", "\xE2\x80\x93", NULL};

/* Parses a citation at s[i] (which is just past the "§"/"Art." marker).
 * Fills up to `max` cites sharing the law; returns the end position, or
 * 0 when no law follows. */
static size_t parse_body(const char *s, size_t len, size_t i, char kind,
                         kb_cite *tmp, size_t max, size_t *ret_n) {
  size_t n = 0;
  for (;;) {
    i = skip_space(s, len, i);
    kb_cite c = {.kind = kind};
    size_t k = read_num(s, len, i, c.para, sizeof c.para, true);
    if (k == 0)
      return 0;
    i += k;
    size_t j = skip_space(s, len, i);
    size_t e;
    if ((e = match_kw(s, len, j, kw_abs))) {
      j = skip_space(s, len, e);
      size_t m = read_num(s, len, j, c.abs, sizeof c.abs, true);
      if (m == 0)
        return 0;
      i = j + m;
      j = skip_space(s, len, i);
    }
    if ((e = match_kw(s, len, j, kw_satz))) {
      size_t j2 = skip_space(s, len, e);
      size_t m = read_num(s, len, j2, c.satz, sizeof c.satz, false);
      if (m) {
        i = j2 + m;
        j = skip_space(s, len, i);
      }
    }
    if ((e = match_kw(s, len, j, kw_nr))) {
      char tmpnum[8];
      size_t j2 = skip_space(s, len, e);
      size_t m = read_num(s, len, j2, tmpnum, sizeof tmpnum, true);
      if (m) {
        i = j2 + m;
        j = skip_space(s, len, i);
        /* "Nr. 2 b": a detached letter. */
        if (j + 1 < len && s[j] >= 'a' && s[j] <= 'z' &&
            !is_alpha((unsigned char)s[j + 1])) {
          i = j + 1;
          j = skip_space(s, len, i);
        }
      }
    }
    if ((e = match_kw(s, len, j, kw_lit))) {
      size_t j2 = skip_space(s, len, e);
      if (j2 < len && s[j2] >= 'a' && s[j2] <= 'z') {
        i = j2 + 1;
        j = skip_space(s, len, i);
      }
    }
    if ((e = match_kw(s, len, j, kw_ff))) {
      c.ff = true;
      i = e;
      j = skip_space(s, len, i);
    }
    if (n < max)
      tmp[n] = c;
    n++;
    if ((e = match_kw(s, len, j, kw_and)) && e > j) {
      size_t j2 = skip_space(s, len, e);
      if (j2 < len && is_digit((unsigned char)s[j2])) {
        i = j2;
        continue;
      }
    }
    char law[24];
    size_t m = kb_cite_law(s + j, len - j, law, sizeof law);
    if (m == 0)
      return 0;
    size_t got = n < max ? n : max;
    for (size_t x = 0; x < got; x++)
      snprintf(tmp[x].law, sizeof tmp[x].law, "%s", law);
    *ret_n = n;
    return j + m;
  }
}

/* If a citation marker starts at i, returns the position after it. */
static size_t marker(const char *s, size_t len, size_t i, char *kind) {
  *kind = KB_CITE_PARA;
  if (i + 1 < len && (unsigned char)s[i] == 0xC2 &&
      (unsigned char)s[i + 1] == 0xA7) {
    i += 2;
    if (i + 1 < len && (unsigned char)s[i] == 0xC2 &&
        (unsigned char)s[i + 1] == 0xA7)
      i += 2; /* "§§" */
    return i;
  }
  static const char *const kw_art[] = {"Art.", "Artikel", NULL};
  static const char *const kw_annex[] = {"Anlage", "Anl.", NULL};
  if (i == 0 || !is_alpha((unsigned char)s[i - 1])) {
    size_t e = match_kw(s, len, i, kw_art);
    if (e) {
      *kind = KB_CITE_ART;
      return e;
    }
    e = match_kw(s, len, i, kw_annex);
    if (e) {
      *kind = KB_CITE_ANNEX;
      return e;
    }
  }
  return 0;
}

size_t kb_cite_scan(const char *text, size_t len, bool bare, kb_cite *out,
                    size_t max) {
  size_t found = 0;
  kb_cite tmp[16];
  for (size_t i = 0; i < len;) {
    char kind;
    size_t body = marker(text, len, i, &kind);
    bool at_number = false;
    if (body == 0 && bare && is_digit((unsigned char)text[i]) &&
        (i == 0 || !is_alpha((unsigned char)text[i - 1])) &&
        (i == 0 || !is_digit((unsigned char)text[i - 1])))
      at_number = true;
    if (body == 0 && !at_number) {
      i++;
      continue;
    }
    size_t n = 0;
    size_t end = parse_body(text, len, body ? body : i, kind, tmp,
                            sizeof tmp / sizeof *tmp, &n);
    if (end == 0) {
      i = body ? body : i + 1;
      continue;
    }
    size_t got = n < 16 ? n : 16;
    for (size_t k = 0; k < got; k++) {
      if (found < max) {
        out[found] = tmp[k];
        out[found].start = i;
        out[found].end = end;
      }
      found++;
    }
    i = end;
  }
  return found;
}

size_t kb_cite_parse(const char *s, kb_cite *out, size_t max) {
  size_t len = strlen(s);
  size_t i = skip_space(s, len, 0);
  char kind;
  size_t body = marker(s, len, i, &kind);
  if (body == 0)
    return 0;
  kb_cite tmp[16];
  size_t n = 0;
  size_t end = parse_body(s, len, body, kind, tmp, 16, &n);
  if (end == 0 || skip_space(s, len, end) != len || n == 0 || n > 16)
    return 0;
  size_t got = n < max ? n : max;
  for (size_t k = 0; k < got; k++) {
    out[k] = tmp[k];
    out[k].start = i;
    out[k].end = end;
  }
  return got;
}

void kb_cite_format(const kb_cite *c, char *buf, size_t cap) {
  char abs[16] = "", satz[16] = "";
  if (c->abs[0])
    snprintf(abs, sizeof abs, " Abs. %s", c->abs);
  if (c->satz[0])
    snprintf(satz, sizeof satz, " Satz %s", c->satz);
  const char *mark = c->kind == KB_CITE_ART     ? "Art."
                     : c->kind == KB_CITE_ANNEX ? "Anlage"
                                                : "\xC2\xA7";
  snprintf(buf, cap, "%s %s%s%s%s %s", mark, c->para, abs, satz,
           c->ff ? " ff." : "", c->law);
}

/* Law names lower-cased (ASCII only; "ArbStättV" keeps its "ä"). */
static void lower_law(const char *law, char *out, size_t cap) {
  size_t i = 0;
  for (; law[i] && i + 1 < cap; i++)
    out[i] = (law[i] >= 'A' && law[i] <= 'Z') ? (char)(law[i] + 32) : law[i];
  out[i] = '\0';
}

bool kb_cite_term(const kb_cite *c, bool with_abs, char *buf, size_t cap) {
  char law[24];
  lower_law(c->law, law, sizeof law);
  const char *mark = c->kind == KB_CITE_ART     ? "art"
                     : c->kind == KB_CITE_ANNEX ? "anl"
                                                : "\xC2\xA7";
  if (with_abs) {
    if (!c->abs[0])
      return false;
    snprintf(buf, cap, "XC%s%s%s.%s", law, mark, c->para, c->abs);
  } else {
    snprintf(buf, cap, "XC%s%s%s", law, mark, c->para);
  }
  return true;
}

void kb_cite_law_term(const char *law, const char *prefix, char *buf,
                      size_t cap) {
  char low[24];
  lower_law(law, low, sizeof low);
  snprintf(buf, cap, "%s%s", prefix, low);
}

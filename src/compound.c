/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * compound.c - splitting German compounds against a kb_lexicon
 * (kb_compound.h).
 *
 * A compound is modifier* head: every modifier is a known word followed
 * by an optional linking element, the head is a known noun.  A dynamic
 * programme over the byte positions of the word (at most 64) finds the
 * cheapest such segmentation with at least two parts, where each part
 * costs 1000 plus a penalty that says how doubtful its reading is (a
 * dictionary lemma costs nothing, a linking element a little, a verb
 * stem or a short part more).  So the fewest parts win, and among equal
 * counts the most plausible readings.  Only positions from which the
 * rest of the word can be finished are tried as part ends, which keeps
 * a split to a few dozen hash lookups.
 *
 * Guards against junk splits:
 *   - parts have at least KB_COMPOUND_MIN_PART characters ("Bau|er");
 *   - prepositions and particles are never modifiers ("Vor|sicht",
 *     "Mit|arbeiter"), suffix-like nouns never heads ("Gewerk|schaft",
 *     "Akt|ion", "Kap|elle");
 *   - a word the dictionary knows as a whole ("strict") is split only
 *     into strong parts: nouns, or modifiers the dictionary attests as
 *     compound beginnings; a 3-letter modifier only when attested or a
 *     noun lemma before a long rest ("Rat|haus", not "Ben|gel");
 *   - known verbs and adjectives are not split ("schreiben"), nor an
 *     inflected form of a noun that does not split ("Talente": Talent);
 *   - "-ende" after a verb stem is a participle, not the noun "Ende"
 *     ("Reisende", "Vorsitzende");
 *   - -ung, -heit, -keit, -ion ... take the linking -s- ("Integrations|amt",
 *     not "Integration|samt").
 * The full split re-splits each top-level part's lexicon form.
 *
 * No heap allocation: all state lives on the stack (a few KiB).
 */
#include "kb_compound.h"

#include <string.h>

#include "kb_text.h"

enum {
  PART_COST = 1000,
  INF_COST = 1 << 28,
  MAX_DEPTH = 4,
  CORPUS_MIN_FREQ = 3, /* a corpus-only word seen this often may be a part */
  CORPUS_MIN_CHARS = 6,
};

/* Penalties (thousandths of a part). */
enum {
  PEN_NONLEMMA = 100,     /* an inflected noun form used as is ("renten") */
  PEN_LINK = 25,          /* a linking element removed */
  PEN_LINK_NONLEMMA = 10, /* ... leaving an inflected form ("medikamente") */
  PEN_E_S_LINK = 50,      /* ... an -s- after -e, rare ("liebe-s-brief") */
  PEN_E_RESTORE = 100,    /* "schul" -> "schule" */
  PEN_UMLAUT = -50,       /* "bücher" -> "buch": plural stems are lemmas */
  PEN_3_CHARS = 20,       /* on equal terms, prefer "auge" to "aug" */
  PEN_SG_RESTORE = 150,   /* "hilfs" -> "hilfe", "firmen" -> "firma" */
  PEN_WORD = 300,         /* an adjective or verb stem */
  PEN_NOT_BASE = 100,     /* ... a conjugated form used as is */
  PEN_UNATTESTED = 200,   /* ... not attested as a compound beginning */
  BONUS_ATTESTED = 100,   /* the surface is an attested modifier */
  PEN_SHORT = 150,        /* a modifier of 3 characters */
  PEN_SHORT_HEAD = 50,    /* a head of 3 characters */
  PEN_NO_S_LINK = 400,    /* "-ung", "-heit" ... without the -s- */
  PEN_CORPUS = 400,       /* known from the corpus only */
  PEN_ADJ_HEAD = 50,      /* "vorsitzender" from "vorsitzende" */
  BONUS_FREQ_MAX = 100,   /* corpus frequency, log-scaled */
};

/* Evidence for a modifier reading. */
enum { EV_ATTESTED = 1, EV_LONG_REST = 2 };

/* How a modifier's lexicon form was derived from its surface. */
typedef enum kind {
  K_EXACT,   /* the surface itself */
  K_LINK,    /* a linking element removed */
  K_RESTORE, /* a noun rebuilt: dropped -e, umlaut plural, -en for -a */
  K_VERB,    /* a verb stem: the infinitive */
} kind;

/* Never modifiers: prepositions, particles, prefixes, pronouns,
 * conjunctions. */
static const char *const stop_modifiers[] = {
    "ab",     "aber",   "alle",     "als",      "an",     "auch",      "auf",
    "aus",    "bei",    "bis",      "da",       "dar",    "das",       "dem",
    "den",    "der",    "des",      "die",      "doch",   "du",        "durch",
    "ein",    "eine",   "einer",    "emp",      "ent",    "entgegen",  "er",
    "es",     "für",    "fort",     "ge",       "gegen",  "gegenüber", "her",
    "herab",  "heran",  "herauf",   "heraus",   "herbei", "herein",    "herum",
    "hervor", "hin",    "hinab",    "hinauf",   "hinaus", "hinein",    "hinter",
    "hinweg", "ich",    "ihr",      "in",       "ja",     "kein",      "man",
    "mit",    "miss",   "nach",     "nein",     "nicht",  "nieder",    "noch",
    "nur",    "ob",     "oder",     "ohne",     "schon",  "sehr",      "seit",
    "sich",   "sie",    "so",       "über",     "um",     "un",        "und",
    "unter",  "ur",     "ver",      "von",      "vor",    "voran",     "voraus",
    "vorbei", "weil",   "wenn",     "wider",    "wie",    "wir",       "zer",
    "zu",     "zurück", "zusammen", "zwischen",
};

/* Never heads: nouns that are almost always a derivational suffix. */
static const char *const stop_heads[] = {
    "ade",     "aden",  "dung",   "ions",     "elle", "ellen", "erin",
    "erinnen", "ing",   "ion",    "ionen",    "ist",  "isten", "istin",
    "ling",    "linge", "lingen", "los",      "lose", "losem", "losen",
    "loser",   "loses", "schaft", "schaften", "ster", "tum",   "tums",
};

/* Bound first parts (confixes) that dictionaries do not list alone. */
static const char *const confixes[] = {
    "audio", "bio",    "elektro", "ergo",   "geo",   "hydro", "kardio",
    "logo",  "makro",  "mikro",   "mono",   "multi", "neuro", "öko",
    "ortho", "physio", "poly",    "psycho", "sozio", "tele",  "thermo",
};

/* Suffixes after which a modifier takes the linking -s- (Integrationsamt,
 * not Integration|samt). */
static const char *const s_suffixes[] = {"ung", "heit", "keit", "schaft",
                                         "ion", "tät",  "ling", "tum"};

static bool in_list(const char *const *list, size_t n, const char *w,
                    size_t len) {
  for (size_t i = 0; i < n; i++)
    if (strlen(list[i]) == len && memcmp(list[i], w, len) == 0)
      return true;
  return false;
}

#define IN_LIST(list, w, len)                                                  \
  in_list((list), sizeof(list) / sizeof *(list), (w), (len))

static bool ends_with(const char *s, size_t n, const char *suffix) {
  size_t k = strlen(suffix);
  return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* One reading of a part. */
typedef struct reading {
  char form[KB_COMPOUND_WORD_MAX + 1];
  uint8_t len;
  uint8_t link; /* bytes of linking element at the end of the surface */
  int pen;
} reading;

/* The word being split, with its character positions. */
typedef struct word {
  const kb_lexicon *lex;
  const char *s;
  size_t n;
  bool boundary[KB_COMPOUND_WORD_MAX + 1]; /* a character starts here */
  uint8_t chars[KB_COMPOUND_WORD_MAX + 1]; /* characters before byte i */
  bool strict;       /* the whole word is known: strong parts only */
  bool attestations; /* the lexicon has KB_LEX_MODIFIER data */
  bool verbs;        /* the lexicon has KB_LEX_VERB data */
  bool non_noun;     /* the whole word is known, but not as a noun */
} word;

static size_t count_chars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

static int freq_bonus(uint32_t f) {
  int b = 0;
  while (f > 1 && b < BONUS_FREQ_MAX) {
    f >>= 1;
    b += 15;
  }
  return b > BONUS_FREQ_MAX ? BONUS_FREQ_MAX : b;
}

static bool lookup(const word *w, const char *s, size_t n, unsigned *flags,
                   uint32_t *freq) {
  *flags = 0;
  *freq = 0;
  return n > 0 && n <= KB_COMPOUND_WORD_MAX &&
         kb_lexicon_lookup(w->lex, s, n, flags, freq) &&
         (*flags & KB_LEX_STOP) == 0;
}

/* Keeps the reading in *best if it is cheaper. */
static void offer(reading *best, const char *form, size_t len, size_t link,
                  int pen) {
  if (pen >= best->pen || len > KB_COMPOUND_WORD_MAX)
    return;
  memcpy(best->form, form, len);
  best->form[len] = '\0';
  best->len = (uint8_t)len;
  best->link = (uint8_t)link;
  best->pen = pen;
}

/* Considers `form` (derived from the surface as `k` says, the linking
 * element `link` dropped, `surface` characters left of the surface) as
 * the lexicon form of a modifier. */
static void try_form(const word *w, reading *best, const char *form, size_t len,
                     const char *link, size_t surface, kind k, int extra,
                     unsigned ev) {
  bool attested = ev & EV_ATTESTED;
  /* A short unattested part of a known word only before a long rest:
   * "rat|haus", never "ben|gel". */
  unsigned fl;
  uint32_t fq;
  size_t nch = count_chars(form, len);
  if (nch < KB_COMPOUND_MIN_PART || !lookup(w, form, len, &fl, &fq) ||
      IN_LIST(stop_modifiers, form, len))
    return;
  bool short_ok = !w->strict || ((ev & EV_LONG_REST) && (fl & KB_LEX_LEMMA));
  bool noun = fl & (KB_LEX_NOUN | KB_LEX_DOMAIN);
  /* A nominalised infinitive ("das Stunden") is no noun lemma here. */
  bool lemma = (fl & (KB_LEX_LEMMA | KB_LEX_DOMAIN)) &&
               !(noun && (fl & KB_LEX_VERB) && !(fl & KB_LEX_DOMAIN));
  int pen = extra - freq_bonus(fq);
  switch (k) {
  case K_VERB:
    if (!(fl & (w->verbs ? KB_LEX_VERB : KB_LEX_WORD)))
      return;
    pen += PEN_WORD;
    if (!attested) {
      if (surface < 4 && w->strict)
        return; /* "bet|reuer" */
      pen += PEN_UNATTESTED;
    }
    break;
  case K_RESTORE:
    if (!noun || (w->strict && !attested))
      return;
    pen += lemma ? 0 : PEN_NONLEMMA / 2;
    break;
  case K_EXACT:
  case K_LINK:
    if (noun) {
      if (k == K_EXACT)
        pen += lemma ? 0 : PEN_NONLEMMA;
      else
        pen += PEN_LINK + (lemma ? 0 : PEN_LINK_NONLEMMA) +
               (!strcmp(link, "s") && form[len - 1] == 'e' ? PEN_E_S_LINK : 0);
    } else if ((fl & KB_LEX_WORD) &&
               (k == K_EXACT || (!strcmp(link, "n") && form[len - 1] == 'e'))) {
      /* a nominalised adjective may take -n- ("kranke-n-haus") */
      /* an adjective ("schwer") is fine as is, a verb form ("wohn") is
       * better read as a verb stem */
      pen +=
          k == K_LINK
              ? PEN_WORD + PEN_LINK
              : PEN_WORD + (w->verbs && !(fl & KB_LEX_ADJ) ? PEN_NOT_BASE : 0);
      if (!attested) {
        if (w->strict || nch < 5 || (w->attestations && k != K_EXACT))
          return;
        pen += PEN_UNATTESTED;
      }
    } else if (k == K_EXACT && fq >= CORPUS_MIN_FREQ &&
               nch >= CORPUS_MIN_CHARS && !w->strict) {
      pen += PEN_CORPUS;
    } else {
      return;
    }
    break;
  }
  if (nch == KB_COMPOUND_MIN_PART)
    pen += PEN_3_CHARS;
  if (surface < 4 && !attested) {
    if (!short_ok)
      return;
    pen += PEN_SHORT;
  }
  if (strcmp(link, "s") != 0 && strcmp(link, "es") != 0)
    for (size_t i = 0; i < sizeof s_suffixes / sizeof *s_suffixes; i++)
      if (ends_with(form, len, s_suffixes[i])) {
        pen += PEN_NO_S_LINK;
        break;
      }
  if (attested)
    pen -= BONUS_ATTESTED;
  offer(best, form, len, strlen(link), pen);
}

/* Replaces the last "ä", "ö" or "ü" of s by "a", "o", "u" into out. */
static size_t de_umlaut(const char *s, size_t n, char *out) {
  for (size_t i = n; i-- > 1;) {
    unsigned char a = (unsigned char)s[i - 1], b = (unsigned char)s[i];
    if (a == 0xC3 && (b == 0xA4 || b == 0xB6 || b == 0xBC)) {
      memcpy(out, s, i - 1);
      out[i - 1] = b == 0xA4 ? 'a' : b == 0xB6 ? 'o' : 'u';
      memcpy(out + i, s + i + 1, n - i - 1);
      return n - 1;
    }
  }
  return 0;
}

/* "bürger", "käufer": an agent noun with a feminine form, not a plural
 * ("burg", "kauf") with -er-. */
static bool agent(const word *w, const char *s, size_t n) {
  char buf[KB_COMPOUND_WORD_MAX + 3];
  unsigned fl;
  uint32_t fq;
  if (n + 2 > KB_COMPOUND_WORD_MAX)
    return false;
  memcpy(buf, s, n);
  memcpy(buf + n, "in", 2);
  return lookup(w, buf, n + 2, &fl, &fq) && (fl & KB_LEX_NOUN);
}

/* Vowel groups, roughly syllables ("kind" 1, "arbeit" 2). */
static unsigned syllables(const char *s, size_t n) {
  unsigned groups = 0;
  bool in = false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    bool v = strchr("aeiouy", c) != NULL ||
             (c == 0xC3 && i + 1 < n && strchr("\xA4\xB6\xBC", s[i + 1]));
    groups += v && !in;
    in = v || (in && c >= 0x80 && (c & 0xC0) == 0x80);
  }
  return groups;
}

static const char *const links[] = {"s", "es", "n",   "en", "er",
                                    "e", "ns", "ens", "nen"};

/* The best reading of w->s[i, j) as a modifier; pen INF_COST if none. */
static reading modifier(const word *w, size_t i, size_t j) {
  reading best = {.pen = INF_COST};
  const char *s = w->s + i;
  size_t n = j - i, sch = (size_t)(w->chars[j] - w->chars[i]);
  if (IN_LIST(stop_modifiers, s, n))
    return best;
  if (IN_LIST(confixes, s, n)) {
    offer(&best, s, n, 0, PEN_WORD - BONUS_ATTESTED);
    return best;
  }
  unsigned sfl, fl;
  uint32_t sfq, fq;
  bool known = lookup(w, s, n, &sfl, &sfq);
  bool attested = known && (sfl & (KB_LEX_MODIFIER | KB_LEX_DOMAIN)) != 0;
  unsigned ev = (attested ? EV_ATTESTED : 0) |
                (w->chars[w->n] - w->chars[j] >= 4 ? EV_LONG_REST : 0);
  char buf[KB_COMPOUND_WORD_MAX + 4];
  try_form(w, &best, s, n, "", sch, K_EXACT, 0, ev);
  /* A verb stem: "lese" -> "lesen", "schreib" -> "schreiben". */
  memcpy(buf, s, n);
  memcpy(buf + n, "en", 2);
  try_form(w, &best, buf, n + 2, "", sch, K_VERB, 0, ev);
  buf[n] = 'n';
  bool verb_e = lookup(w, buf, n + 1, &fl, &fq) && (fl & KB_LEX_VERB);
  try_form(w, &best, buf, n + 1, "", sch, K_VERB, 0, ev);
  /* A dropped final -e ("schul" -> "schule"), unless the surface is a
   * base form itself ("schwer", not "schwere"). */
  if (!(known && (sfl & KB_LEX_ADJ))) {
    buf[n] = 'e';
    try_form(w, &best, buf, n + 1, "", sch, K_RESTORE, PEN_E_RESTORE, ev);
  }
  for (size_t k = 0; k < sizeof links / sizeof *links; k++) {
    size_t l = strlen(links[k]);
    if (n <= l || !ends_with(s, n, links[k]))
      continue;
    size_t x = n - l, xch = sch - l;
    bool plural_e = !strcmp(links[k], "e") || !strcmp(links[k], "er");
    /* -e-/-er- link monosyllables (Kind-er-garten, Hund-e-hütte); after a
     * verb stem -e- is part of it (Warte-zimmer: warten, not Wart). */
    if (known && (sfl & (KB_LEX_ADJ | KB_LEX_NOUN)) == KB_LEX_ADJ)
      continue; /* "gross" is no "gros" + s */
    if (!plural_e || (syllables(s, x) == 1 && !(links[k][1] == '\0' && verb_e)))
      try_form(w, &best, s, x, links[k], xch, K_LINK, 0, ev);
    if (plural_e && known && (sfl & KB_LEX_NOUN) && !agent(w, s, n)) {
      /* "bücher" -> "buch", "hände" -> "hand" */
      size_t u = de_umlaut(s, x, buf);
      if (u)
        try_form(w, &best, buf, u, links[k], xch, K_RESTORE, PEN_UMLAUT, ev);
    }
    if (!strcmp(links[k], "s") || !strcmp(links[k], "ns")) { /* "hilfs" */
      memcpy(buf, s, x);
      buf[x] = 'e';
      try_form(w, &best, buf, x + 1, links[k], xch, K_RESTORE, PEN_SG_RESTORE,
               ev);
    }
    if (!strcmp(links[k], "en")) { /* "firmen", "studien", "themen" */
      static const char *const sg[] = {"a", "um", "us"};
      for (size_t m = 0; m < 3; m++) {
        memcpy(buf, s, x);
        memcpy(buf + x, sg[m], strlen(sg[m]));
        try_form(w, &best, buf, x + strlen(sg[m]), links[k], xch, K_RESTORE,
                 PEN_SG_RESTORE, ev);
      }
    }
  }
  return best;
}

/* The reading of w->s[i, n) as the head; pen INF_COST if it is none. */
static reading head(const word *w, size_t i) {
  reading r = {.pen = INF_COST};
  const char *s = w->s + i;
  size_t n = w->n - i, nch = (size_t)(w->chars[w->n] - w->chars[i]);
  unsigned fl;
  uint32_t fq;
  if (nch < KB_COMPOUND_MIN_PART || IN_LIST(stop_heads, s, n))
    return r;
  bool known = lookup(w, s, n, &fl, &fq);
  int pen = -freq_bonus(fq);
  if (!known || !(fl & (KB_LEX_NOUN | KB_LEX_DOMAIN))) {
    /* A nominalised adjective declined: "vorsitzender", "beauftragten". */
    unsigned afl;
    uint32_t afq;
    if (n > 3 && s[n - 2] == 'e' && strchr("rnsm", s[n - 1]) &&
        lookup(w, s, n - 1, &afl, &afq) &&
        (afl & (KB_LEX_NOUN | KB_LEX_DOMAIN)))
      pen += PEN_ADJ_HEAD;
    else if (known && !(fl & KB_LEX_WORD) && fq >= CORPUS_MIN_FREQ &&
             nch >= CORPUS_MIN_CHARS && !w->strict)
      pen += PEN_CORPUS;
    else
      return r;
  }
  if (nch == KB_COMPOUND_MIN_PART)
    pen += PEN_SHORT_HEAD;
  offer(&r, s, n, 0, pen);
  return r;
}

/* "-ende" after a verb stem is a participle ("reis|ende", "lehr|ende"). */
static bool participle(const word *w, size_t i, const reading *h) {
  if (h->len < 4 || memcmp(h->form, "end", 3) != 0 || h->len > 5)
    return false;
  char buf[KB_COMPOUND_WORD_MAX + 3];
  if (i + 2 > KB_COMPOUND_WORD_MAX)
    return false;
  memcpy(buf, w->s, i);
  memcpy(buf + i, "en", 2);
  unsigned fl;
  uint32_t fq;
  return (lookup(w, buf, i + 2, &fl, &fq) && (fl & KB_LEX_WORD)) ||
         (lookup(w, buf, i + 1, &fl, &fq) && (fl & KB_LEX_WORD) &&
          buf[i - 1] == 'e');
}

typedef struct node {
  int cost;
  uint8_t next; /* where the rest starts; n for the head */
  uint8_t nparts;
  reading first;
} node;

/* The cheapest split of w into at least two parts; returns the number of
 * parts written to out (0 if none). */
static unsigned best_split(const word *w, kb_compound_part *out) {
  node nd[KB_COMPOUND_WORD_MAX + 1];
  size_t n = w->n;
  for (size_t i = n + 1; i-- > 0;)
    nd[i].cost = INF_COST;
  for (size_t i = n; i-- > 0;) {
    if (!w->boundary[i])
      continue;
    node *best = &nd[i];
    if (i > 0) {
      reading h = head(w, i);
      if (h.pen < INF_COST && !participle(w, i, &h)) {
        best->cost = PART_COST + h.pen;
        best->next = (uint8_t)n;
        best->nparts = 1;
        best->first = h;
      }
    }
    for (size_t j = i + 1; j < n; j++) {
      if (!w->boundary[j] || nd[j].cost >= INF_COST ||
          nd[j].nparts >= KB_COMPOUND_MAX_PARTS)
        continue;
      if (w->chars[j] - w->chars[i] < KB_COMPOUND_MIN_PART - 1)
        continue;
      int rest = nd[j].cost;
      if (PART_COST + rest >= best->cost)
        continue; /* cannot win even with a free reading */
      reading m = modifier(w, i, j);
      if (m.pen >= INF_COST || PART_COST + m.pen + rest >= best->cost)
        continue;
      best->cost = PART_COST + m.pen + rest;
      best->next = (uint8_t)j;
      best->nparts = (uint8_t)(nd[j].nparts + 1);
      best->first = m;
    }
  }
  if (nd[0].cost >= INF_COST || nd[0].nparts < 2)
    return 0;
  unsigned k = 0;
  for (size_t i = 0; i < n; i = nd[i].next) {
    const reading *r = &nd[i].first;
    kb_compound_part *p = &out[k++];
    memcpy(p->form, r->form, (size_t)r->len + 1);
    p->len = r->len;
    p->start = (uint8_t)i;
    p->surface = (uint8_t)(nd[i].next - i - r->link);
    p->link = r->link;
  }
  return k;
}

static void whole(kb_compound_part *p, const char *s, size_t n) {
  memcpy(p->form, s, n);
  p->form[n] = '\0';
  p->len = (uint8_t)n;
  p->start = 0;
  p->surface = (uint8_t)n;
  p->link = 0;
}

/* Parses an explicit split "a|b" into out; aligns surfaces when the
 * forms spell the word. */
static unsigned explicit_parts(const char *split, const char *s, size_t n,
                               kb_compound_part *out) {
  unsigned k = 0;
  size_t pos = 0;
  bool aligned = true;
  for (const char *p = split; k < KB_COMPOUND_MAX_PARTS;) {
    const char *bar = strchr(p, '|');
    size_t len = bar ? (size_t)(bar - p) : strlen(p);
    kb_compound_part *q = &out[k++];
    memcpy(q->form, p, len);
    q->form[len] = '\0';
    q->len = (uint8_t)len;
    aligned = aligned && pos + len <= n && memcmp(s + pos, p, len) == 0;
    q->start = aligned ? (uint8_t)pos : 0;
    q->surface = aligned ? (uint8_t)len : 0;
    q->link = 0;
    pos += len;
    if (!bar)
      break;
    p = bar + 1;
  }
  if (!aligned || pos != n)
    for (unsigned i = 0; i < k; i++)
      out[i].start = out[i].surface = 0;
  return k;
}

static void word_init(word *w, const kb_lexicon *lex, const char *s, size_t n) {
  w->lex = lex;
  w->s = s;
  w->n = n;
  uint8_t c = 0;
  for (size_t i = 0; i <= n; i++) {
    w->boundary[i] = i == n || ((unsigned char)s[i] & 0xC0) != 0x80;
    w->chars[i] = c;
    if (i < n && w->boundary[i])
      c++;
  }
  unsigned fl = 0;
  uint32_t fq;
  w->strict = kb_lexicon_lookup(lex, s, n, &fl, &fq) &&
              (fl & (KB_LEX_NOUN | KB_LEX_WORD | KB_LEX_DOMAIN));
  /* Verbs and adjectives are not our compounds ("schreiben" is no
   * schrei|ben); nor is anything the dictionaries know only as such. */
  w->non_noun = w->strict && (!(fl & (KB_LEX_NOUN | KB_LEX_DOMAIN)) ||
                              (fl & (KB_LEX_VERB | KB_LEX_ADJ)));
  unsigned all = kb_lexicon_flags(lex);
  w->attestations = all & KB_LEX_MODIFIER;
  w->verbs = all & KB_LEX_VERB;
}

/* Top-level split of s into out; returns the part count (1 = unsplit). */
/* "talente" is "talent" inflected: a known inflected form of a noun
 * lemma that does not split does not split either ("tal|ente"). */
static bool inflected_simplex(const kb_lexicon *lex, const char *s, size_t n) {
  static const char *const endings[] = {"e",  "en", "n",   "s",
                                        "es", "er", "ern", "nen"};
  for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
    size_t l = strlen(endings[i]);
    unsigned fl;
    if (n < l + 4 || !ends_with(s, n, endings[i]) ||
        !kb_lexicon_lookup(lex, s, n - l, &fl, NULL) ||
        (fl & (KB_LEX_NOUN | KB_LEX_LEMMA)) != (KB_LEX_NOUN | KB_LEX_LEMMA))
      continue;
    word stem;
    kb_compound_part tmp[KB_COMPOUND_MAX_PARTS];
    word_init(&stem, lex, s, n - l);
    if (stem.non_noun || best_split(&stem, tmp) < 2)
      return true;
  }
  return false;
}

static unsigned split_top(const kb_lexicon *lex, const char *s, size_t n,
                          kb_compound_part *out, bool *ret_explicit) {
  const char *ex = kb_lexicon_split_of(lex, s, n);
  *ret_explicit = ex != NULL;
  if (ex)
    return explicit_parts(ex, s, n, out);
  word w;
  word_init(&w, lex, s, n);
  unsigned k = w.non_noun ? 0 : best_split(&w, out);
  if (k >= 2 && w.strict && inflected_simplex(lex, s, n))
    k = 0;
  if (k >= 2)
    return k;
  whole(out, s, n);
  return 1;
}

/* Appends the full split of part p to atoms (at most cap in all). */
static void expand(const kb_lexicon *lex, const kb_compound_part *p,
                   unsigned depth, kb_compound_part *atoms, unsigned *na) {
  kb_compound_part sub[KB_COMPOUND_MAX_PARTS];
  bool ex;
  unsigned k = 1;
  if (depth < MAX_DEPTH && count_chars(p->form, p->len) >= 2 * 3)
    k = split_top(lex, p->form, p->len, sub, &ex);
  if (k < 2 || *na + k > KB_COMPOUND_MAX_PARTS) {
    if (*na < KB_COMPOUND_MAX_PARTS)
      atoms[(*na)++] = *p;
    return;
  }
  for (unsigned i = 0; i < k; i++) {
    /* Map the sub-part back onto the word, clamped to the part. */
    kb_compound_part q = sub[i];
    unsigned start = q.start < p->surface ? q.start : p->surface;
    unsigned surf = q.surface;
    if (start + surf > p->surface)
      surf = p->surface - start;
    q.start = (uint8_t)(p->start + (p->surface ? start : 0));
    q.surface = p->surface ? (uint8_t)surf : 0;
    if (i + 1 == k)
      q.link = p->link;
    unsigned before = *na;
    expand(lex, &q, depth + 1, atoms, na);
    if (*na == before)
      return;
  }
}

/* kb_compound_split, with the atoms or without. */
static kb_status split(const kb_lexicon *lex, const char *word_s, size_t len,
                       bool atoms, kb_compound_parts *ret) {
  if (len == 0 || word_s == NULL)
    return KB_ERR_INVALID;
  if (len > KB_COMPOUND_WORD_MAX)
    return KB_ERR_LIMIT;
  if (!kb_utf8_valid(word_s, len))
    return KB_ERR_INVALID;
  kb_compound_parts r;
  memset(&r, 0, sizeof r); /* unused bytes too: results compare with memcmp */
  r.n = split_top(lex, word_s, len, r.top, &r.explicit_split);
  r.n_atoms = 0;
  /* A word that does not split is its own atom: splitting its one part
   * again is splitting the same word again. */
  if (atoms && r.n == 1 && !r.explicit_split) {
    r.atoms[0] = r.top[0];
    r.n_atoms = 1;
    atoms = false;
  }
  for (unsigned i = 0; i < r.n && atoms; i++) {
    unsigned room = KB_COMPOUND_MAX_PARTS - r.n_atoms - (r.n - 1 - i);
    unsigned before = r.n_atoms;
    kb_compound_part tmp[KB_COMPOUND_MAX_PARTS];
    unsigned nt = 0;
    expand(lex, &r.top[i], 0, tmp, &nt);
    if (nt > room) { /* keep room for the remaining top-level parts */
      tmp[0] = r.top[i];
      nt = 1;
    }
    memcpy(&r.atoms[before], tmp, nt * sizeof *tmp);
    r.n_atoms = before + nt;
  }
  for (unsigned i = 0; i < KB_COMPOUND_MAX_PARTS; i++) {
    memset(r.top[i].form + r.top[i].len, 0,
           sizeof r.top[i].form - r.top[i].len);
    memset(r.atoms[i].form + r.atoms[i].len, 0,
           sizeof r.atoms[i].form - r.atoms[i].len);
  }
  *ret = r;
  return KB_OK;
}

kb_status kb_compound_split(const kb_lexicon *lex, const char *word_s,
                            size_t len, kb_compound_parts *ret) {
  return split(lex, word_s, len, true, ret);
}

kb_status kb_compound_split_top(const kb_lexicon *lex, const char *word_s,
                                size_t len, kb_compound_parts *ret) {
  return split(lex, word_s, len, false, ret);
}

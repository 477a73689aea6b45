/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snippet.cc - the snippets of kb_xapian.h: Xapian 1.4.22's snippet
 * generator (MSet::snippet, queryparser/termgenerator_internal.cc), done
 * again with the same words, weights and window so that it gives the same
 * bytes, only cheaper per word.
 *
 * Why: Xapian's generator was most of a served search (docs/benchmarks.md,
 * "What a hit costs").  It decodes every character through Utf8Iterator
 * and the Unicode tables, builds each word as a std::string and looks it
 * up in a hash table twice.  Here ASCII, most of German text, is decoded
 * and classified inline, words are built in one reused buffer, and the
 * few query terms are compared directly; everything else - the Unicode
 * rules for other characters, the stemmer, the term weights - is
 * Xapian's own.  tests/test-xapian.c compares the two on many texts and
 * queries, and kbx_mset_snippet_xapian keeps Xapian's for that.
 *
 * What this does not handle it hands to Xapian's generator unchanged: a
 * query with a wildcard or with a phrase whose window cannot be read,
 * CJK n-grams (XAPIAN_CJK_NGRAM), and text that is not valid UTF-8.
 *
 * Depends on Xapian and libc.
 */
#include "kbx_internal.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <bitset>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace {

namespace U = Xapian::Unicode;

constexpr size_t MAX_WORD = 64; /* Xapian's snippet skips longer words */
constexpr double DECAY = 2.0;
constexpr unsigned IGNORE = ~0u;

/* The query's terms as Xapian's snippet generator sorts them. */
struct QueryTerms {
  std::vector<std::vector<std::string>> phrases; /* tight, of terms */
  std::unordered_set<std::string> loose; /* weighed per mset: LooseTerms */
  size_t longest_phrase = 0;
  /* The phrases are of stems ('Z' terms, as our index has them): a word
   * is compared with them by its stem's term, not as written. */
  bool stem_phrases = false;
  bool plain_phrases = false;
  bool any_stem = false; /* a loose term begins with 'Z' */
  /* The first two letters of the stems of the loose 'Z' terms (see
   * stem_letter and Snipper::may_stem_to_query). */
  std::bitset<65536> stem_start;
  /* The first three bytes of the stems that begin with three ASCII
   * letters (see Snipper::third_letter_differs). */
  std::vector<uint32_t> stem_start3;
  bool usable = true; /* false: leave it to Xapian */
};

/* The letter of `s` at byte `i` as the German Snowball stemmers leave
 * it at the start of a word: ä, ö, ü as a, o, u and ß as s; another
 * non-ASCII letter as its lead byte; 0 at the end.  Moves `i` past it. */
unsigned char stem_letter(const std::string &s, size_t &i) {
  if (i >= s.size())
    return 0;
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    i++;
    return c;
  }
  if (c == 0xC3 && i + 1 < s.size()) {
    unsigned char folded = 0;
    switch (static_cast<unsigned char>(s[i + 1])) {
    case 0xA4: /* ä */
      folded = 'a';
      break;
    case 0xB6: /* ö */
      folded = 'o';
      break;
    case 0xBC: /* ü */
      folded = 'u';
      break;
    case 0x9F: /* ß */
      folded = 's';
      break;
    }
    if (folded) {
      i += 2;
      return folded;
    }
  }
  i += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  return c;
}

/* The key of a word's or a stem's first two letters.  A leading ß is
 * "ss" to the stemmers ("ß" stems to "ss"). */
unsigned start_key(const std::string &s) {
  if (s.size() >= 2 && s[0] == '\xC3' && s[1] == '\x9F')
    return 's' << 8 | 's';
  size_t i = 0;
  const unsigned a = stem_letter(s, i);
  return a << 8 | stem_letter(s, i);
}

/* The window of an OP_PHRASE node, from its description "(a PHRASE 2
 * b)" (Xapian has no getter for it); 0 when it cannot be read. */
size_t phrase_window(const Xapian::Query &q) {
  const std::string d = q.get_description();
  const size_t at = d.find(" PHRASE ");
  if (at == std::string::npos)
    return 0;
  return std::strtoul(d.c_str() + at + 8, nullptr, 10);
}

void gather(const Xapian::Query &q, QueryTerms &qt, bool negated = false) {
  const size_t n = q.get_num_subqueries();
  const Xapian::Query::op op = q.get_type();
  if (op == Xapian::Query::LEAF_TERM) {
    auto t = q.get_terms_begin();
    if (t != q.get_terms_end())
      qt.loose.insert(*t);
    return;
  }
  if (op == Xapian::Query::OP_WILDCARD) {
    qt.usable = false;
    return;
  }
  if (op == Xapian::Query::OP_PHRASE) {
    const size_t window = phrase_window(q);
    if (window == 0) {
      qt.usable = false;
      return;
    }
    bool terms = window == n;
    for (size_t i = 0; terms && i < n; i++)
      terms = q.get_subquery(i).get_type() == Xapian::Query::LEAF_TERM;
    if (terms) {
      std::vector<std::string> words;
      for (size_t i = 0; i < n; i++)
        words.push_back(*q.get_subquery(i).get_terms_begin());
      /* A phrase of stems (our index has no others) is compared with
       * the words' stems (Xapian's generator compares a phrase's terms
       * with the words as written, which no 'Z' term equals); one that
       * is excluded is not marked at all (its words are in the results
       * one by one).  Both kinds in one query: left to Xapian. */
      bool stems = true;
      for (const std::string &w : words)
        stems = stems && !w.empty() && w[0] == 'Z';
      if (stems && negated)
        return;
      (stems ? qt.stem_phrases : qt.plain_phrases) = true;
      if (qt.stem_phrases && qt.plain_phrases) {
        qt.usable = false;
        return;
      }
      qt.phrases.push_back(std::move(words));
      if (n > qt.longest_phrase)
        qt.longest_phrase = n;
      return;
    }
  }
  for (size_t i = 0; i < n && qt.usable; i++)
    gather(q.get_subquery(i), qt,
           negated || (op == Xapian::Query::OP_AND_NOT && i > 0));
}

/* ---- characters ------------------------------------------------------ */

/* The code point at text[i] and its length in bytes; false for bytes
 * that are not UTF-8 (Xapian reads those differently: not handled). */
inline bool decode(const std::string &text, size_t i, unsigned &cp,
                   size_t &len) {
  const auto *s = reinterpret_cast<const unsigned char *>(text.data());
  const size_t n = text.size();
  const unsigned c = s[i];
  if (c < 0x80) {
    cp = c;
    len = 1;
    return true;
  }
  if (c < 0xC2 || c > 0xF4)
    return false;
  len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (i + len > n)
    return false;
  cp = c & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; k++) {
    if ((s[i + k] & 0xC0) != 0x80)
      return false;
    cp = (cp << 6) | (s[i + k] & 0x3F);
  }
  static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
  return cp >= min[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

constexpr bool ascii_word(unsigned c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

/* ascii_word for every byte, by table. */
struct ByteClass {
  bool v[256] = {};
  constexpr ByteClass() {
    for (unsigned c = 0; c < 0x80; c++)
      v[c] = ascii_word(c);
  }
};
constexpr ByteClass byte_class;

/* How many bytes at s[0 .. n) are ASCII word characters (ascii_word),
 * sixteen at a time where SSE2 is there: most of a word in one step. */
inline size_t ascii_word_run(const unsigned char *s, size_t n) {
  size_t k = 0;
#ifdef __SSE2__
  /* x in [lo, lo + span] as unsigned bytes: min(x - lo, span) == x - lo */
  auto in = [](__m128i x, char lo, char span) {
    const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8(lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(span)), d);
  };
  for (; k + 16 <= n; k += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + k));
    const __m128i letter = in(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 25);
    const __m128i word = _mm_or_si128(_mm_or_si128(letter, in(v, '0', 9)),
                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(word));
    if (mask != 0xFFFF)
      return k + static_cast<size_t>(__builtin_ctz(~mask));
  }
#endif
  while (k < n && byte_class.v[s[k]])
    k++;
  return k;
}

inline bool is_wordchar(unsigned c) {
  return c < 0x80 ? ascii_word(c) : U::is_wordchar(c);
}

/* Xapian's check_wordchar: the lower-case character, or 0. */
inline unsigned wordchar(unsigned c) {
  if (c < 0x80)
    return ascii_word(c) ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : 0;
  return U::is_wordchar(c) ? U::tolower(c) : 0;
}

inline bool is_upper_ascii(unsigned c) { return c >= 'A' && c <= 'Z'; }

inline bool is_digit(unsigned c) {
  if (c < 0x80)
    return c >= '0' && c <= '9';
  return U::get_category(c) == U::DECIMAL_DIGIT_NUMBER;
}

inline unsigned check_infix(unsigned c) {
  if (c == '\'' || c == '&' || c == 0xb7 || c == 0x5f4 || c == 0x2027)
    return c;
  if (c == 0x2019 || c == 0x201b)
    return '\'';
  if (c >= 0x200b && (c <= 0x200d || c == 0x2060 || c == 0xfeff))
    return IGNORE;
  return 0;
}

inline unsigned check_infix_digit(unsigned c) {
  switch (c) {
  case ',':
  case '.':
  case ';':
  case 0x037e:
  case 0x0589:
  case 0x060D:
  case 0x07F8:
  case 0x2044:
  case 0xFE10:
  case 0xFE13:
  case 0xFE14:
    return c;
  }
  if (c >= 0x200b && (c <= 0x200d || c == 0x2060 || c == 0xfeff))
    return IGNORE;
  return 0;
}

inline unsigned check_suffix(unsigned c) {
  return c == '+' || c == '#' ? c : 0;
}

inline void append(std::string &s, unsigned c) {
  if (c < 0x80) {
    s.push_back(static_cast<char>(c));
    return;
  }
  char buf[4];
  s.append(buf, U::nonascii_to_utf8(c, buf));
}

/* ---- the window ------------------------------------------------------ */

struct Sniplet {
  double *relevance;
  size_t term_end;
  size_t highlight;
  Sniplet(double *r, size_t t, size_t h)
      : relevance(r), term_end(t), highlight(h) {}
};

/* Xapian's SnipPipe keeps two deques, the window and the best window
 * found.  Words enter the window in order, leave it in order for the
 * best window or for good, and leave that in order: each deque is a
 * range of one array of every word of the text, which is all the pipe
 * below asks of them (a word at the back, words off either end, index
 * from the front) - without a deque's or a ring's bookkeeping per word,
 * the most frequent work of a snippet. */
class Range {
  std::vector<Sniplet> *words;
  size_t lo = 0, hi = 0;

public:
  explicit Range(std::vector<Sniplet> &w) : words(&w) {}
  size_t size() const { return hi - lo; }
  bool empty() const { return lo == hi; }
  Sniplet &operator[](size_t i) { return (*words)[lo + i]; }
  Sniplet &front() { return (*words)[lo]; }
  Sniplet &back() { return (*words)[hi - 1]; }
  size_t first() const { return lo; }
  void pop_front() { lo++; }
  void pop_back() { hi--; }
  void clear() { lo = hi; }
  /* The window: a new word at the end of the text's words (the window
   * always ends there while words come). */
  void push_new(double *relevance, size_t term_end, size_t highlight) {
    /* built in place: a copy made on the stack and read back whole was
     * a stall of its own (perf annotate) */
    words->emplace_back(relevance, term_end, highlight);
    hi = words->size();
  }
  /* The best window: the word at index k, the one the window let go
   * last, which follows this range's words (see Pipe::pump). */
  void take(size_t k) {
    if (lo == hi)
      lo = k;
    hi = k + 1;
  }
};

/* Xapian's SnipPipe, step for step (always exhaustive). */
class Pipe {
  std::vector<Sniplet> words; /* every word pumped, in order */
  Range pipe{words}, best_pipe{words};
  size_t length, begin = 0, phrase_len = 0;
  double sum = 0;

public:
  size_t best_begin = 0, best_end = 0;
  double best_sum = 0;

  Pipe(size_t len, size_t text_bytes) : length(len + 1) {
    words.reserve(text_bytes / 4 + 16);
  }
  Pipe(const Pipe &) = delete; /* the ranges point into `words` */
  Pipe &operator=(const Pipe &) = delete;

  void pump(double *r, size_t t, size_t h) {
    if (h > 1) {
      if (pipe.size() >= h - 1) {
        Sniplet &start = pipe[pipe.size() - (h - 1)];
        if (start.relevance) {
          *start.relevance *= DECAY;
          sum -= *start.relevance;
        }
        sum += *r;
        start.relevance = r;
        start.highlight = h;
        *r /= DECAY;
      }
      r = nullptr;
      h = 0;
    }
    pipe.push_new(r, t, h);
    if (r) {
      sum += *r;
      *r /= DECAY;
    }
    while (t - begin > length) {
      const Sniplet &word = pipe.front();
      if (word.relevance) {
        *word.relevance *= DECAY;
        sum -= *word.relevance;
      }
      begin = word.term_end;
      /* Words leave in order, and an update below leaves best_pipe
       * empty (all it holds have left the window: term_end <= begin),
       * so what it takes between updates follows what it holds. */
      if (best_end >= begin)
        best_pipe.take(pipe.first());
      pipe.pop_front();
      if (pipe.empty())
        break;
    }
    if (sum >= best_sum) {
      if (begin >= best_end) {
        best_pipe.clear();
      } else {
        while (!best_pipe.empty() && best_pipe.front().term_end <= begin)
          best_pipe.pop_front();
      }
      best_sum = sum;
      best_begin = begin;
      best_end = t;
    }
  }

  /* pump(nullptr, t, 0): a word that matches nothing, most words.
   * Until a relevant word comes (relevances are above 0, and the first
   * one makes best_sum its relevance), best_sum is 0, no word in the pipe
   * has a relevance and best_pipe is empty; each word then makes the
   * window the best one, and every word the window lets go is one pump
   * would pass to best_pipe and take back at once.  They are let go
   * directly. */
  void miss(size_t t) {
    if (best_sum != 0) {
      pump(nullptr, t, 0);
      return;
    }
    pipe.push_new(nullptr, t, 0);
    while (t - begin > length) {
      begin = pipe.front().term_end;
      pipe.pop_front();
      if (pipe.empty())
        break;
    }
    best_begin = begin;
    best_end = t;
  }

  void done() {
    if (begin >= best_end) {
      pipe.clear();
    } else {
      while (!pipe.empty() && pipe.back().term_end > best_end)
        pipe.pop_back();
    }
  }

  bool drain(const std::string &in, const std::string &hi_start,
             const std::string &hi_end, const std::string &omit,
             std::string &out);
};

/* Whether ASCII `ch` is one of `set`. */
inline bool ascii_in(unsigned ch, const char *set) {
  return ch != 0 && ch < 0x80 && std::strchr(set, static_cast<int>(ch));
}

/* Xapian's snippet_check_leading_nonwordchar: punctuation a snippet may
 * begin with (an opening bracket or quote, a currency sign, ...). */
bool leading_punct(unsigned ch) {
  const unsigned cat = U::get_category(ch);
  return U::is_currency(ch) || cat == U::OPEN_PUNCTUATION ||
         cat == U::INITIAL_QUOTE_PUNCTUATION ||
         ascii_in(ch, "\"#%&'+-/<@\\`~") || ch == 0x00A1 || ch == 0x00A7 ||
         ch == 0x00BF;
}

/* Xapian's snippet_check_trailing_nonwordchar: punctuation a snippet may
 * end with (a closing bracket or quote, a currency sign, ...). */
bool trailing_punct(unsigned ch) {
  const unsigned cat = U::get_category(ch);
  return U::is_currency(ch) || cat == U::CLOSE_PUNCTUATION ||
         cat == U::FINAL_QUOTE_PUNCTUATION || ascii_in(ch, "\"%'+-/>@\\`~");
}

void append_escaped(const char *p, const char *end, std::string &out) {
  for (; p != end; p++) {
    if (*p == '&')
      out += "&amp;";
    else if (*p == '<')
      out += "&lt;";
    else if (*p == '>')
      out += "&gt;";
    else
      out += *p;
  }
}

bool Pipe::drain(const std::string &in, const std::string &hi_start,
                 const std::string &hi_end, const std::string &omit,
                 std::string &out) {
  if (best_pipe.empty() && !pipe.empty())
    std::swap(best_pipe, pipe);
  if (best_pipe.empty()) {
    const size_t tail = in.size() - best_end;
    if (tail == 0)
      return false;
    bool sentence_end = false;
    Xapian::Utf8Iterator i(in.data() + best_end, tail);
    while (i != Xapian::Utf8Iterator()) {
      const unsigned ch = *i;
      if (sentence_end && U::is_whitespace(ch))
        break;
      sentence_end = ch == '.' || ch == '?' || ch == '!';
      if (U::is_wordchar(ch))
        break;
      ++i;
    }
    if (sentence_end) {
      append_escaped(in.data() + best_end, i.raw(), out);
      return false;
    }
    i.assign(in.data() + best_end, tail);
    int trailing = 0;
    while (i != Xapian::Utf8Iterator() && trailing_punct(*i)) {
      if (++trailing > 4) {
        trailing = 0;
        break;
      }
      ++i;
    }
    if (trailing) {
      append_escaped(in.data() + best_end, i.raw(), out);
      if (i == Xapian::Utf8Iterator())
        return false;
    }
    out += omit;
    return false;
  }
  const Sniplet &word = best_pipe.front();
  if (out.empty()) {
    enum { NO, PUNC, YES } boundary = best_begin == 0 ? YES : NO;
    Xapian::Utf8Iterator i(in.data() + best_begin, word.term_end - best_begin);
    while (i != Xapian::Utf8Iterator()) {
      const unsigned ch = *i;
      if (boundary == NO) {
        if (ch == '.' || ch == '?' || ch == '!')
          boundary = PUNC;
      } else if (boundary == PUNC) {
        if (U::is_whitespace(ch))
          boundary = YES;
        else if (!(ch == '.' || ch == '?' || ch == '!'))
          boundary = NO;
      }
      if (U::is_wordchar(ch)) {
        const size_t word_begin = i.raw() - in.data();
        if (word_begin - best_begin > 4)
          best_begin = word_begin;
        break;
      }
      ++i;
      if (!leading_punct(ch))
        best_begin = i.raw() - in.data();
    }
    if (boundary != YES)
      out += omit;
  }
  if (word.highlight) {
    Xapian::Utf8Iterator i(in.data() + best_begin, in.size() - best_begin);
    while (i != Xapian::Utf8Iterator()) {
      if (U::is_wordchar(*i)) {
        append_escaped(in.data() + best_begin, i.raw(), out);
        best_begin = i.raw() - in.data();
        break;
      }
      ++i;
    }
  }
  if (!phrase_len) {
    phrase_len = word.highlight;
    if (phrase_len)
      out += hi_start;
  }
  append_escaped(in.data() + best_begin, in.data() + word.term_end, out);
  best_begin = word.term_end;
  if (phrase_len && --phrase_len == 0)
    out += hi_end;
  best_pipe.pop_front();
  return true;
}

/* ---- the words ------------------------------------------------------- */

/* The loose terms as a snippet looks them up, made once per mset: each
 * with the relevance it starts with in every snippet (Xapian's
 * check_term asks the mset for a term's weight on first sight in each
 * snippet; the answer is the mset's, the same for all its hits), and
 * an index that turns most words of a text away by their first byte and
 * length before comparing any bytes - a snippet looks up every word of
 * its window, and hashing each was a sixth of a search. */
struct LooseTerms {
  std::vector<std::string> terms;
  std::vector<double> start; /* relevance; 0: not weighed, never found */
  /* With at most 64 terms: bit i of by_first[c] and of by_size[n] is set
   * when term i begins with byte c and is n bytes long.  A word looked
   * up has at most MAX_WORD bytes, its stem term one more ('Z'); longer
   * sizes go to the last entry, which stays empty. */
  static constexpr size_t LONGEST = MAX_WORD + 1;
  bool masks = false;
  uint64_t by_first[256] = {};
  uint64_t by_size[LONGEST + 2] = {};
  std::unordered_map<std::string, size_t> index; /* without masks */

  /* The index of `t` among the terms, or -1. */
  long find(const std::string &t) const {
    if (!masks) {
      auto it = index.find(t);
      return it == index.end() ? -1 : static_cast<long>(it->second);
    }
    if (t.empty())
      return -1;
    uint64_t m = by_first[static_cast<unsigned char>(t[0])] &
                 by_size[t.size() <= LONGEST ? t.size() : LONGEST + 1];
    while (m) {
      const int i = __builtin_ctzll(m);
      m &= m - 1;
      if (std::memcmp(terms[i].data(), t.data(), t.size()) == 0)
        return i;
    }
    return -1;
  }
};

/* `qt`'s loose terms with their starting relevances in `m` (`max_tw` as
 * snip_plan works it out). */
void index_loose(const QueryTerms &qt, const Xapian::MSet &m, double max_tw,
                 LooseTerms &lt) {
  for (const std::string &t : qt.loose) {
    double start = 0;
    try {
      start = m.get_termweight(t) + max_tw;
    } catch (const Xapian::InvalidArgumentError &) {
      start = 0; /* a term the mset did not weigh: Xapian forgets it */
    }
    lt.terms.push_back(t);
    lt.start.push_back(start);
  }
  lt.masks = lt.terms.size() <= 64;
  for (size_t i = 0; i < lt.terms.size(); i++) {
    const std::string &t = lt.terms[i];
    if (!lt.masks) {
      lt.index.emplace(t, i);
      continue;
    }
    if (t.empty() || t.size() > LooseTerms::LONGEST)
      continue; /* no word of a snippet, nor its stem term, is either */
    lt.by_first[static_cast<unsigned char>(t[0])] |= uint64_t{1} << i;
    lt.by_size[t.size()] |= uint64_t{1} << i;
  }
}

struct Snipper {
  const Xapian::Stem &stem;
  const QueryTerms &qt;
  const LooseTerms &lt;
  /* The loose terms' relevances, by lt's index: this snippet's own, they
   * decay. */
  std::vector<double> rel;
  std::vector<double> phrase_relevance;
  std::vector<std::string> recent; /* the last longest_phrase-1 words */
  size_t recent_next = 0;
  std::string stemmed = "Z";
  bool german; /* the stemmer keeps first letters (may_stem_to_query) */

  Snipper(const Xapian::Stem &s, bool g, const QueryTerms &q,
          const LooseTerms &l)
      : stem(s), qt(q), lt(l), rel(l.start), german(g) {}

  /* Xapian's check_term: the relevance of `term` if it is a loose term
   * that the mset weighed. */
  double *check_term(const std::string &term) {
    const long i = lt.find(term);
    if (i < 0 || lt.start[i] == 0.0)
      return nullptr;
    return &rel[i];
  }

  /* Whether stemming `term` can give a query stem.  The German Snowball
   * stemmers keep a word's first two letters (suffixes go only after
   * R1, which starts at the fourth letter or later) as stem_letter reads
   * them - but for "ae", "oe" and "ue" at the start, which they read as
   * an umlaut ("aerger" -> "arg").  A word that begins no query stem so
   * is not stemmed: stemming was a fifth of a search. */
  bool may_stem_to_query(const std::string &term) const {
    return may_stem_key(start_key(term));
  }

  /* may_stem_to_query for a word's start_key. */
  bool may_stem_key(unsigned key) const {
    if (qt.stem_start[key])
      return true;
    const unsigned first = key >> 8;
    return (key & 0xff) == 'e' &&
           (first == 'a' || first == 'o' || first == 'u');
  }

  void word(const std::string &term, size_t term_end, Pipe &pipe) {
    if (term.size() > MAX_WORD)
      return;
    double *relevance = nullptr;
    size_t highlight = 0;
    /* Phrases of stems compare the word's stem term. */
    const bool have_stem = qt.stem_phrases && !term.empty();
    if (have_stem) {
      stemmed.resize(1);
      stemmed += stem(term);
    }
    const std::string &key = have_stem ? stemmed : term;
    for (size_t i = 0; i < qt.phrases.size() && !relevance; i++) {
      const std::vector<std::string> &terms = qt.phrases[i];
      if (key != terms.back())
        continue;
      size_t n = terms.size() - 1;
      bool match = true;
      while (n--) {
        if (terms[n] != recent[(n + recent_next) % (qt.longest_phrase - 1)]) {
          match = false;
          break;
        }
      }
      if (match) {
        relevance = &phrase_relevance[i];
        highlight = terms.size();
      }
    }
    if (!relevance) {
      relevance = check_term(term);
      if (!relevance && have_stem && qt.any_stem) {
        relevance = check_term(stemmed);
      } else if (!relevance && qt.any_stem && !term.empty() &&
                 (!german || may_stem_to_query(term))) {
        stemmed.resize(1);
        stemmed += stem(term);
        relevance = check_term(stemmed);
      }
      highlight = relevance ? 1 : 0;
    }
    if (qt.longest_phrase) {
      recent[recent_next] = key;
      recent_next = (recent_next + 1) % (qt.longest_phrase - 1);
    }
    pipe.pump(relevance, term_end, highlight);
  }

  /* Whether a word of `size` bytes whose first two letters may begin a
   * query stem (may_stem_to_query) cannot stem to one for its third:
   * the German stemmers keep a word's first three letters (R1 begins
   * after the third at the earliest) but for ä, ö, ü and ß, read as a,
   * o, u and ss, and "ae", "oe" and "ue", read as one letter - so only
   * for three ASCII letters without such a pair.  A stem that begins
   * with two of a word's letters often does not with three ("schalt",
   * "schon"): stemming such words was a fifth of the words' cost. */
  bool third_letter_differs(const unsigned char *w, size_t size) const {
    if (size < 3 || w[0] >= 0x80 || w[1] >= 0x80 || w[2] >= 0x80)
      return false;
    unsigned c[3];
    for (int k = 0; k < 3; k++)
      c[k] = w[k] | 0x20u * is_upper_ascii(w[k]);
    for (int k = 0; k < 2; k++)
      if (c[k + 1] == 'e' && (c[k] == 'a' || c[k] == 'o' || c[k] == 'u'))
        return false;
    const uint32_t key = c[0] << 16 | c[1] << 8 | c[2];
    for (uint32_t k : qt.stem_start3)
      if (k == key)
        return false;
    return true;
  }

  /* The word at text[i] when it is plain - ASCII word characters and
   * Latin-1 letters (UTF-8 C3 xx), ended by a character that cannot
   * join it to the next (parse's infixes and suffixes) - and can match
   * no loose term: pumped as one that matches nothing, without building
   * it.  Such a word matches no term of the query when no term has its
   * first byte and length (its letters keep their byte lengths in lower
   * case) and, for the German stemmer, its first two letters begin no
   * query stem (may_stem_to_query) or its first three letters show it
   * cannot (third_letter_differs).  True when done, with i past the
   * word; false to leave it to parse's full reading - also when in
   * doubt.  Most words of a window are plain and match nothing; building
   * each was half of a snippet's cost. */
  bool plain_miss(const std::string &text, size_t &i, Pipe &pipe) const {
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    const size_t n = text.size();
    size_t p = i;
    if (is_upper_ascii(s[p]) && p + 1 < n && s[p + 1] == '.')
      return false; /* perhaps initials */
    bool latin = false;
    while (p < n) {
      p += ascii_word_run(s + p, n - p);
      if (p + 1 < n && s[p] == 0xC3 && s[p + 1] >= 0x80 && s[p + 1] <= 0xBF &&
          s[p + 1] != 0x97 && s[p + 1] != 0xB7) {
        latin = latin || p - i < 2; /* a Latin-1 letter: not × or ÷ */
        p += 2;
      } else {
        break;
      }
    }
    if (p == i)
      return false;
    const bool digit = s[p - 1] >= '0' && s[p - 1] <= '9';
    if (p < n) {
      const unsigned c = s[p];
      if (c < 0x80) {
        if (c == '\'' || c == '&' || c == '+' || c == '#' ||
            (digit && (c == '.' || c == ',' || c == ';')))
          return false;
      } else {
        unsigned cp;
        size_t len;
        if (!decode(text, p, cp, len) || wordchar(cp) || check_infix(cp) ||
            check_infix_digit(cp))
          return false;
      }
    }
    const size_t size = p - i;
    if (size <= MAX_WORD) {
      if (latin)
        return false; /* the first two letters are not plain ASCII */
      if (!lt.masks)
        return false;
      const unsigned first = s[i] | 0x20u * is_upper_ascii(s[i]);
      if (lt.by_first[first] & lt.by_size[size])
        return false;
      if (qt.any_stem) {
        if (!german)
          return false;
        const unsigned second =
            size < 2 ? 0 : s[i + 1] | 0x20u * is_upper_ascii(s[i + 1]);
        if (may_stem_key(first << 8 | second) &&
            !third_letter_differs(s + i, size))
          return false;
      }
      pipe.miss(p);
    }
    i = p;
    return true;
  }

  /* Xapian's parse_terms without CJK; false for text that is not UTF-8. */
  bool parse(const std::string &text, Pipe &pipe) {
    const size_t n = text.size();
    size_t i = 0, len = 0;
    unsigned cp = 0, ch = 0;
    std::string term;
    const bool plain = qt.longest_phrase == 0; /* phrases need every word */
    auto at = [&](size_t k, unsigned &c, size_t &l) {
      return decode(text, k, c, l);
    };
    while (true) {
      while (true) {
        if (i >= n)
          return true;
        if (!at(i, cp, len))
          return false;
        ch = wordchar(cp);
        if (ch)
          break;
        i += len;
      }
      if (plain && plain_miss(text, i, pipe))
        continue;
      term.clear();
      if (is_upper_ascii(cp)) { /* initials: "U.N.C.L.E", "P.T.O." */
        size_t p = i;
        unsigned c = cp;
        size_t l = len;
        while (true) {
          append(term,
                 c < 0x80 ? (is_upper_ascii(c) ? c + 32 : c) : U::tolower(c));
          p += l;
          if (p >= n || text[p] != '.')
            break;
          if (++p >= n)
            break;
          if (!at(p, c, l))
            return false;
          if (!is_upper_ascii(c))
            break;
        }
        if (term.size() > 1) {
          bool ends = p >= n;
          if (!ends) {
            unsigned c2;
            size_t l2;
            if (!at(p, c2, l2))
              return false;
            ends = !is_wordchar(c2);
          }
          if (ends) {
            i = p;
            word(term, i, pipe);
            continue;
          }
        }
        term.clear();
      }
      bool end_of_text = false;
      while (true) {
        unsigned prevch;
        do {
          append(term, ch);
          prevch = ch;
          i += len;
          /* The ASCII word characters that follow, most of a German
           * word, in one run: what the loop would do with each. */
          size_t run = i;
          while (run < n && ascii_word(static_cast<unsigned char>(text[run])))
            run++;
          if (run > i) {
            const size_t from = term.size();
            term.append(text, i, run - i);
            for (size_t k = from; k < term.size(); k++)
              if (is_upper_ascii(static_cast<unsigned char>(term[k])))
                term[k] = static_cast<char>(term[k] + 32);
            prevch = static_cast<unsigned char>(term.back());
            i = run;
          }
          if (i >= n) {
            end_of_text = true;
            break;
          }
          if (!at(i, cp, len))
            return false;
          ch = wordchar(cp);
        } while (ch);
        if (end_of_text)
          break;
        const size_t next = i + len;
        if (next >= n)
          break;
        unsigned nextcp;
        size_t nextlen;
        if (!at(next, nextcp, nextlen))
          return false;
        const unsigned nextch = wordchar(nextcp);
        if (!nextch)
          break;
        unsigned infix = is_digit(prevch) && is_digit(nextcp)
                             ? check_infix_digit(cp)
                             : check_infix(cp);
        if (!infix)
          break;
        if (infix != IGNORE)
          append(term, infix);
        ch = nextch;
        i = next;
        len = nextlen;
        cp = nextcp;
      }
      if (!end_of_text) {
        const size_t keep = term.size();
        unsigned count = 0;
        while ((ch = check_suffix(cp))) {
          if (++count > 3) {
            term.resize(keep);
            break;
          }
          append(term, ch);
          i += len;
          if (i >= n) {
            end_of_text = true;
            break;
          }
          if (!at(i, cp, len))
            return false;
        }
        if (!end_of_text && is_wordchar(cp))
          term.resize(keep);
      }
      word(term, i, pipe);
    }
  }
};

/* Xapian's get_max_termweight over the terms the mset weighed: the
 * largest weight of a query term (Xapian also finds the smallest that is
 * not 0; only wildcards use it, and those go to Xapian's generator). */
double max_termweight(const kbx_mset &m) {
  double max_tw = 0;
  for (auto t = m.query.get_unique_terms_begin();
       t != m.query.get_unique_terms_end(); ++t) {
    double tw = 0;
    try {
      tw = m.mset.get_termweight(*t);
    } catch (const Xapian::InvalidArgumentError &) {
      continue;
    }
    if (tw > max_tw)
      max_tw = tw;
  }
  return max_tw;
}

} // namespace

struct kbxi_snip_plan {
  QueryTerms qt;
  LooseTerms lt;
  double max_tw = 1.0;
  std::vector<double> phrase_relevance;
};

/* The plan of `m`'s snippets, made on the first call. */
static const kbxi_snip_plan &snip_plan(const kbx_mset &m) {
  if (m.snip)
    return *m.snip;
  auto plan = std::make_shared<kbxi_snip_plan>();
  QueryTerms &qt = plan->qt;
  gather(m.query, qt);
  for (const std::string &t : qt.loose) {
    if (t.empty() || t[0] != 'Z')
      continue;
    qt.any_stem = true;
    if (t.size() > 1)
      qt.stem_start[start_key(t.substr(1))] = true;
    if (t.size() > 3) {
      const auto *b = reinterpret_cast<const unsigned char *>(t.data()) + 1;
      if (b[0] < 0x80 && b[1] < 0x80 && b[2] < 0x80)
        qt.stem_start3.push_back(uint32_t{b[0]} << 16 | b[1] << 8 | b[2]);
    }
  }
  const double max_tw = max_termweight(m);
  plan->max_tw = max_tw == 0.0 ? 1.0 : max_tw * 1.015625;
  index_loose(qt, m.mset, plan->max_tw, plan->lt);
  for (const auto &p : qt.phrases)
    plan->phrase_relevance.push_back(plan->max_tw * p.size());
  m.snip = plan;
  return *plan;
}

kb_status kbx_mset_snippet(const kbx_mset *mset, const char *text, size_t len,
                           size_t length, kbx_stem *stem, const char *hi_start,
                           const char *hi_end, const char *omit,
                           char **ret_snippet, char **reterr_msg) KBX_NOEXCEPT {
  if (mset == nullptr)
    return kbxi_null(reterr_msg, __func__, "mset");
  if (text == nullptr && len != 0)
    return kbxi_null(reterr_msg, __func__, "text");
  if (ret_snippet == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_snippet");
  auto xapian = [&]() {
    return kbx_mset_snippet_xapian(mset, text, len, length, stem, hi_start,
                                   hi_end, omit, ret_snippet, reterr_msg);
  };
  /* Read once, not per hit: the environment does not change while we
   * serve (Xapian's own generator reads it on every call). */
  static const bool cjk = std::getenv("XAPIAN_CJK_NGRAM") != nullptr;
  if (stem == nullptr || cjk)
    return xapian();
  try {
    const std::string in = len != 0 ? std::string(text, len) : std::string();
    const std::string hs = hi_start != nullptr ? hi_start : "<b>";
    const std::string he = hi_end != nullptr ? hi_end : "</b>";
    const std::string om = omit != nullptr ? omit : "...";
    if (hs.empty() && he.empty() && in.size() <= length) {
      *ret_snippet = kbxi_dup(in);
      return KB_OK;
    }
    const kbxi_snip_plan &plan = snip_plan(*mset);
    const QueryTerms &qt = plan.qt;
    if (!qt.usable)
      return xapian();
    Snipper sn(stem->stem, stem->german, qt, plan.lt);
    sn.phrase_relevance = plan.phrase_relevance;
    if (qt.longest_phrase)
      sn.recent.resize(qt.longest_phrase - 1);
    Pipe pipe(length, in.size());
    if (!sn.parse(in, pipe))
      return xapian();
    pipe.done();
    std::string out;
    while (pipe.drain(in, hs, he, om, out)) {
    }
    *ret_snippet = kbxi_dup(out);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot make a snippet", nullptr, true);
  }
}

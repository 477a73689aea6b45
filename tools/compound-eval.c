/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * compound-eval.c - teilhabe-compound-eval: measures the compound
 * splitter against a hand-made gold list (tests/data/compounds.tsv).
 *
 *   teilhabe-compound-eval [options] [word...]
 *     --gold FILE       gold list (default tests/data/compounds.tsv)
 *     --domain FILE     domain list (default corpus/compounds.txt)
 *     --no-domain       leave the domain list out
 *     --corpus DIR      add the corpus' words with their frequencies,
 *                       as the indexer does
 *     --source S        dictionaries: both (default, the indexer's recipe),
 *                       wordlist (wngerman only), hunspell (de_DE only)
 *     --errors WHICH    print the wrong items of dev, held or all
 *     --repeat N        split the list N times for the timing (default 20)
 *   Words given after the options are split and printed instead.
 *
 * The gold list's data lines alternate between a dev half (even lines,
 * used while tuning) and a held-out half (odd lines); both are reported.
 * Parts are compared exactly and after german2 stemming (what the index
 * compares).  Prints the items, head accuracy, part precision and recall,
 * whole-split accuracy, unsplit non-compounds, and the time per split.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kb_analysis.h"
#include "kb_compound.h"
#include "kb_corpus.h"

enum { MAX_ITEMS = 20000, GOLD_LINE = 1024 };

typedef struct item {
  char word[KB_COMPOUND_WORD_MAX + 1];
  size_t len;
  char parts[KB_COMPOUND_MAX_PARTS][KB_COMPOUND_WORD_MAX + 1];
  unsigned n;
  bool held;
} item;

typedef struct tally {
  unsigned items, head_ok, head_stem_ok, whole_ok, nonc, nonc_ok;
  unsigned gold_parts, pred_parts, tp, tp_stem;
} tally;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(kb_status st, char *msg, const char *what) {
  fprintf(stderr, "teilhabe-compound-eval: %s: %s\n", what,
          msg ? msg : kb_status_str(st));
  free(msg);
  exit(1);
}

/* Normalises s into out (KB_COMPOUND_WORD_MAX + 1 bytes). */
static bool norm(kb_analyzer *an, kb_buf *tmp, const char *s, size_t n,
                 char *out, size_t *ret_len) {
  if (kb_normalize(an, s, n, tmp, NULL) != KB_OK ||
      tmp->len > KB_COMPOUND_WORD_MAX || tmp->len == 0)
    return false;
  memcpy(out, kb_buf_str(tmp), tmp->len + 1);
  *ret_len = tmp->len;
  return true;
}

static size_t load_gold(const char *path, kb_analyzer *an, item *items) {
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    perror(path);
    exit(1);
  }
  char line[GOLD_LINE];
  kb_buf tmp = KB_BUF_INIT(4096);
  size_t n = 0, lineno = 0;
  while (fgets(line, sizeof line, f) && n < MAX_ITEMS) {
    lineno++;
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '#' || line[0] == '\0')
      continue;
    char *tab = strchr(line, '\t');
    item *it = &items[n];
    if (tab == NULL ||
        !norm(an, &tmp, line, (size_t)(tab - line), it->word, &it->len)) {
      fprintf(stderr, "%s:%zu: expected 'compound<TAB>a|b'\n", path, lineno);
      exit(1);
    }
    it->n = 0;
    for (char *p = tab + 1; *p && it->n < KB_COMPOUND_MAX_PARTS;) {
      size_t pl = strcspn(p, "|"), nl;
      if (!norm(an, &tmp, p, pl, it->parts[it->n], &nl)) {
        fprintf(stderr, "%s:%zu: bad part\n", path, lineno);
        exit(1);
      }
      it->n++;
      p += pl + (p[pl] == '|');
    }
    it->held = n % 2 == 1;
    n++;
  }
  fclose(f);
  kb_buf_release(&tmp);
  return n;
}

static void stem(kb_analyzer *an, const char *w, char *out) {
  size_t len;
  if (kb_stem_word(an, w, strlen(w), out, 2 * KB_COMPOUND_WORD_MAX + 8, &len) !=
      KB_OK)
    strcpy(out, w);
}

/* Multiset intersection of gold and predicted parts. */
static unsigned overlap(char (*g)[2 * KB_COMPOUND_WORD_MAX + 8], unsigned ng,
                        char (*p)[2 * KB_COMPOUND_WORD_MAX + 8], unsigned np) {
  bool used[KB_COMPOUND_MAX_PARTS] = {false};
  unsigned tp = 0;
  for (unsigned i = 0; i < np; i++)
    for (unsigned j = 0; j < ng; j++)
      if (!used[j] && strcmp(p[i], g[j]) == 0) {
        used[j] = true;
        tp++;
        break;
      }
  return tp;
}

static void score(kb_analyzer *an, const item *it, const kb_compound_parts *r,
                  tally *t, bool show) {
  char gs[KB_COMPOUND_MAX_PARTS][2 * KB_COMPOUND_WORD_MAX + 8];
  char ps[KB_COMPOUND_MAX_PARTS][2 * KB_COMPOUND_WORD_MAX + 8];
  char gx[KB_COMPOUND_MAX_PARTS][2 * KB_COMPOUND_WORD_MAX + 8];
  char px[KB_COMPOUND_MAX_PARTS][2 * KB_COMPOUND_WORD_MAX + 8];
  for (unsigned i = 0; i < it->n; i++) {
    strcpy(gx[i], it->parts[i]);
    stem(an, it->parts[i], gs[i]);
  }
  for (unsigned i = 0; i < r->n_atoms; i++) {
    strcpy(px[i], r->atoms[i].form);
    stem(an, r->atoms[i].form, ps[i]);
  }
  unsigned tp = overlap(gx, it->n, px, r->n_atoms);
  t->items++;
  t->gold_parts += it->n;
  t->pred_parts += r->n_atoms;
  t->tp += tp;
  t->tp_stem += overlap(gs, it->n, ps, r->n_atoms);
  bool head = strcmp(gx[it->n - 1], px[r->n_atoms - 1]) == 0;
  t->head_ok += head;
  t->head_stem_ok += strcmp(gs[it->n - 1], ps[r->n_atoms - 1]) == 0;
  bool whole = tp == it->n && r->n_atoms == it->n;
  t->whole_ok += whole;
  if (it->n == 1) {
    t->nonc++;
    t->nonc_ok += r->n_atoms == 1;
  }
  if (show && !whole) {
    printf("  %s%s  gold ", head ? "  " : "H ", it->word);
    for (unsigned i = 0; i < it->n; i++)
      printf("%s%s", i ? "|" : "", it->parts[i]);
    printf("  got ");
    for (unsigned i = 0; i < r->n_atoms; i++)
      printf("%s%s", i ? "|" : "", r->atoms[i].form);
    printf("\n");
  }
}

static void report(const char *name, const tally *t) {
  double items = t->items ? t->items : 1;
  printf("%-9s items %4u  head %5.1f%% (stem %5.1f%%)  precision %5.1f%% "
         "(stem %5.1f%%)  recall %5.1f%% (stem %5.1f%%)  whole %5.1f%%  "
         "unsplit %u/%u\n",
         name, t->items, 100.0 * t->head_ok / items,
         100.0 * t->head_stem_ok / items,
         100.0 * t->tp / (t->pred_parts ? t->pred_parts : 1),
         100.0 * t->tp_stem / (t->pred_parts ? t->pred_parts : 1),
         100.0 * t->tp / (t->gold_parts ? t->gold_parts : 1),
         100.0 * t->tp_stem / (t->gold_parts ? t->gold_parts : 1),
         100.0 * t->whole_ok / items, t->nonc_ok, t->nonc);
}

typedef struct corpus_ctx {
  kb_lexicon_builder *b;
  unsigned long tokens;
} corpus_ctx;

static bool count_token(const kb_token *tok, void *ctx) {
  corpus_ctx *c = ctx;
  if (kb_lexicon_builder_add(c->b, tok->word, tok->len, 1, 0, NULL) == KB_OK)
    c->tokens++;
  return true;
}

static void add_corpus(kb_lexicon_builder *b, kb_analyzer *an,
                       const char *dir) {
  kb_corpus *corpus = NULL;
  kb_diags diags;
  kb_diags_init(&diags);
  kb_status st = kb_corpus_load(dir, &corpus, &diags);
  kb_diags_release(&diags);
  if (st != KB_OK)
    die(st, NULL, dir);
  corpus_ctx c = {.b = b};
  for (size_t i = 0; i < corpus->n; i++) {
    const kb_article *a = corpus->articles[i];
    const char *fields[] = {a->title, a->summary, a->body};
    uint32_t pos = 0;
    for (size_t k = 0; k < 3; k++)
      if (fields[k])
        kb_analyze(an, fields[k], strlen(fields[k]), &pos, count_token, &c,
                   NULL);
  }
  printf("corpus: %zu articles, %lu words added with frequencies\n", corpus->n,
         c.tokens);
  kb_corpus_free(corpus);
}

static void print_split(const kb_lexicon *lex, kb_analyzer *an, const char *w) {
  kb_buf tmp = KB_BUF_INIT(4096);
  char nw[KB_COMPOUND_WORD_MAX + 1];
  size_t len;
  kb_compound_parts r;
  if (!norm(an, &tmp, w, strlen(w), nw, &len) ||
      kb_compound_split(lex, nw, len, &r) != KB_OK) {
    printf("%s: cannot split\n", w);
    kb_buf_release(&tmp);
    return;
  }
  /* "arbeitsplatz: arbeit+s(arbeit) platz(platz)  full: arbeit|platz" */
  printf("%s:", nw);
  for (unsigned i = 0; i < r.n; i++) {
    const kb_compound_part *p = &r.top[i];
    printf(" %.*s%s%.*s(%s)", (int)p->surface, nw + p->start,
           p->link ? "+" : "", (int)p->link, nw + p->start + p->surface,
           p->form);
  }
  printf("  full:");
  for (unsigned i = 0; i < r.n_atoms; i++)
    printf("%s%s", i ? "|" : " ", r.atoms[i].form);
  unsigned fl = 0;
  uint32_t fq = 0;
  bool known = kb_lexicon_lookup(lex, nw, len, &fl, &fq);
  printf("%s  [%s%s%s%s%s%s%s%s%s, freq %u]\n",
         r.explicit_split ? "  (explicit)" : "", known ? "known" : "unknown",
         fl & KB_LEX_NOUN ? " noun" : "", fl & KB_LEX_WORD ? " word" : "",
         fl & KB_LEX_LEMMA ? " lemma" : "", fl & KB_LEX_MODIFIER ? " mod" : "",
         fl & KB_LEX_DOMAIN ? " domain" : "", fl & KB_LEX_STOP ? " stop" : "",
         fl & KB_LEX_VERB ? " verb" : "", fl & KB_LEX_ADJ ? " adj" : "",
         (unsigned)fq);
  kb_buf_release(&tmp);
}

int main(int argc, char **argv) {
  const char *gold = "tests/data/compounds.tsv",
             *domain = "corpus/compounds.txt";
  const char *corpus = NULL, *source = "both", *errors = NULL;
  int repeat = 20, argi = 1;
  for (; argi < argc && strncmp(argv[argi], "--", 2) == 0; argi++) {
    const char *o = argv[argi], *v = argi + 1 < argc ? argv[argi + 1] : NULL;
    if (!strcmp(o, "--no-domain")) {
      domain = NULL;
      continue;
    }
    if (v == NULL) {
      fprintf(stderr, "teilhabe-compound-eval: %s needs a value\n", o);
      return 2;
    }
    argi++;
    if (!strcmp(o, "--gold"))
      gold = v;
    else if (!strcmp(o, "--domain"))
      domain = v;
    else if (!strcmp(o, "--corpus"))
      corpus = v;
    else if (!strcmp(o, "--source"))
      source = v;
    else if (!strcmp(o, "--errors"))
      errors = v;
    else if (!strcmp(o, "--repeat"))
      repeat = (int)strtol(v, NULL, 10);
    else {
      fprintf(stderr, "teilhabe-compound-eval: unknown option '%s'\n", o);
      return 2;
    }
  }
  char *msg = NULL;
  kb_analyzer *an = NULL;
  kb_status st = kb_analyzer_new(&an, &msg);
  if (st != KB_OK)
    die(st, msg, "analyzer");
  kb_lexicon_builder *b = NULL;
  double t0 = now();
  if ((st = kb_lexicon_builder_new(&b, &msg)) != KB_OK)
    die(st, msg, "builder");
  unsigned sources = 0;
  if (!strcmp(source, "both")) {
    st = kb_lexicon_builder_add_defaults(b, NULL, &sources, &msg);
    if (st == KB_OK && !(sources & 2)) {
      fprintf(stderr,
              "teilhabe-compound-eval: %s is missing (install "
              "hunspell-de-de); using the word list alone\n",
              KB_LEXICON_HUNSPELL_PATH);
      source = "wordlist";
    }
  } else if (!strcmp(source, "wordlist"))
    st = kb_lexicon_builder_add_file(b, KB_LEXICON_WORDLIST_PATH,
                                     KB_LEXFILE_WORDLIST, &msg);
  else if (!strcmp(source, "hunspell"))
    st = kb_lexicon_builder_add_file(b, KB_LEXICON_HUNSPELL_PATH,
                                     KB_LEXFILE_HUNSPELL, &msg);
  else
    st = kb_fail(KB_ERR_INVALID, &msg, "unknown --source '%s'", source);
  if (st == KB_OK && domain)
    st = kb_lexicon_builder_add_file(b, domain, KB_LEXFILE_DOMAIN, &msg);
  if (st != KB_OK)
    die(st, msg, "lexicon");
  if (corpus)
    add_corpus(b, an, corpus);
  kb_lexicon *lex = NULL;
  if ((st = kb_lexicon_build(b, &lex, &msg)) != KB_OK)
    die(st, msg, "build");
  double t1 = now();
  kb_lexicon_builder_free(b);
  char *blob = NULL;
  size_t blob_len = 0;
  if ((st = kb_lexicon_serialise(lex, &blob, &blob_len, &msg)) != KB_OK)
    die(st, msg, "serialise");
  double t2 = now();
  kb_lexicon *loaded = NULL;
  if ((st = kb_lexicon_load(blob, blob_len, &loaded, &msg)) != KB_OK)
    die(st, msg, "load");
  double t3 = now();
  free(blob);
  kb_lexicon_free(lex);
  lex = loaded;
  printf("lexicon: source %s%s, %zu words, %.1f MiB in memory, blob %.1f "
         "MiB; built in %.2f s, loaded in %.3f s\n",
         source, domain ? " + domain list" : "", kb_lexicon_count(lex),
         kb_lexicon_memory(lex) / 1048576.0, blob_len / 1048576.0, t1 - t0,
         t3 - t2);
  if (argi < argc) {
    for (; argi < argc; argi++)
      print_split(lex, an, argv[argi]);
    kb_lexicon_free(lex);
    kb_analyzer_free(an);
    return 0;
  }
  item *items = calloc(MAX_ITEMS, sizeof *items);
  if (items == NULL)
    die(KB_ERR_NOMEM, NULL, "gold");
  size_t n = load_gold(gold, an, items);
  unsigned in_domain = 0;
  tally dev = {0}, held = {0}, all = {0};
  for (size_t i = 0; i < n; i++) {
    kb_compound_parts r;
    if (kb_compound_split(lex, items[i].word, items[i].len, &r) != KB_OK)
      die(KB_ERR_INTERNAL, NULL, items[i].word);
    unsigned fl = 0;
    if (items[i].n > 1 &&
        (kb_lexicon_split_of(lex, items[i].word, items[i].len) ||
         (kb_lexicon_lookup(lex, items[i].word, items[i].len, &fl, NULL) &&
          (fl & KB_LEX_DOMAIN))))
      in_domain++;
    bool show = errors && (!strcmp(errors, "all") ||
                           (!strcmp(errors, "dev") && !items[i].held) ||
                           (!strcmp(errors, "held") && items[i].held));
    score(an, &items[i], &r, items[i].held ? &held : &dev, show);
    score(an, &items[i], &r, &all, false);
  }
  report("dev", &dev);
  report("held-out", &held);
  report("all", &all);
  printf("gold compounds listed in the domain list: %u\n", in_domain);
  double t4 = now();
  unsigned long splits = 0;
  for (int k = 0; k < repeat; k++)
    for (size_t i = 0; i < n; i++, splits++) {
      kb_compound_parts r;
      kb_compound_split(lex, items[i].word, items[i].len, &r);
    }
  double dt = now() - t4;
  printf("speed: %lu splits in %.3f s: %.2f us per split, %.0f splits/s\n",
         splits, dt, dt * 1e6 / (double)(splits ? splits : 1),
         (double)splits / (dt > 0 ? dt : 1e-9));
  free(items);
  kb_lexicon_free(lex);
  kb_analyzer_free(an);
  return 0;
}

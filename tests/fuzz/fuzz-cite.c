/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-cite.c - the legal citation scanner and parser on arbitrary bytes.
 *
 * kb_cite_scan runs bare and not bare over the raw bytes (NULs and
 * invalid UTF-8 included); kb_cite_parse and kb_cite_law over a
 * NUL-terminated copy.  Checked promises (kb_cite.h):
 * - offsets: start < end <= the text's length, citations in text order;
 * - every field is a NUL-terminated string inside its array, the law and
 *   paragraph are never empty, the kind is one of the three;
 * - the count does not depend on `max`, and never more than `max` are
 *   written;
 * - kb_cite_format, kb_cite_term and kb_cite_law_term never write past
 *   `cap` (the buffers are exactly `cap` bytes, so a sanitizer sees it);
 * - the canonical form parses back to the same citation, and what
 *   kb_cite_parse accepts the scanner finds at the same place.
 *
 * Depends on kb_cite.
 */
#include <string.h>

#include "fuzz.h"
#include "kb_cite.h"

enum { MAX = 8, BIG = 64 };

static bool terminated(const char *s, size_t cap) {
  return memchr(s, '\0', cap) != NULL;
}

/* Formats into a heap buffer of exactly `cap` bytes; returns it (owned)
 * after checking the result fits. */
static char *format_exact(const kb_cite *c, size_t cap) {
  char *buf = malloc(cap);
  FUZZ_CHECK(buf != NULL);
  kb_cite_format(c, buf, cap);
  FUZZ_CHECK(strlen(buf) < cap);
  return buf;
}

static bool same_cite(const kb_cite *a, const kb_cite *b) {
  return strcmp(a->law, b->law) == 0 && strcmp(a->para, b->para) == 0 &&
         strcmp(a->abs, b->abs) == 0 && strcmp(a->satz, b->satz) == 0 &&
         a->kind == b->kind && a->ff == b->ff;
}

static void check_cite(const kb_cite *c, size_t len) {
  FUZZ_CHECK(c->start < c->end && c->end <= len);
  FUZZ_CHECK(terminated(c->law, sizeof c->law) && c->law[0] != '\0');
  FUZZ_CHECK(terminated(c->para, sizeof c->para));
  FUZZ_CHECK(c->para[0] >= '0' && c->para[0] <= '9');
  FUZZ_CHECK(terminated(c->abs, sizeof c->abs));
  FUZZ_CHECK(terminated(c->satz, sizeof c->satz));
  FUZZ_CHECK(c->kind == KB_CITE_PARA || c->kind == KB_CITE_ART ||
             c->kind == KB_CITE_ANNEX);

  /* Formatting, truncated to every small size and at full size. */
  static const size_t caps[] = {1, 2, 7, 16, 31, 128};
  char *full = NULL;
  for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
    char *buf = format_exact(c, caps[i]);
    if (caps[i] == 128)
      full = buf;
    else
      free(buf);
  }
  /* The canonical form is itself a well-formed citation, the same one. */
  kb_cite back[2];
  size_t n = kb_cite_parse(full, back, 2);
  if (n != 1 || !same_cite(c, &back[0])) {
    fprintf(stderr, "canonical form '%s' does not parse back\n", full);
    FUZZ_CHECK(!"canonical form parses back to the same citation");
  }
  free(full);

  for (size_t cap = 1; cap <= 64; cap = cap * 2 + 1) {
    for (int with_abs = 0; with_abs < 2; with_abs++) {
      char *t = malloc(cap);
      FUZZ_CHECK(t != NULL);
      bool ok = kb_cite_term(c, with_abs, t, cap);
      FUZZ_CHECK(ok == (!with_abs || c->abs[0] != '\0'));
      if (ok) {
        FUZZ_CHECK(strlen(t) < cap);
        FUZZ_CHECK(cap < 3 || strncmp(t, "XC", 2) == 0);
      }
      free(t);
    }
    char *t = malloc(cap);
    FUZZ_CHECK(t != NULL);
    kb_cite_law_term(c->law, "XFNORM:", t, cap);
    FUZZ_CHECK(strlen(t) < cap);
    FUZZ_CHECK(cap < 8 || strncmp(t, "XFNORM:", 7) == 0);
    free(t);
  }
}

static void check_scan(const char *text, size_t len, bool bare) {
  kb_cite out[MAX], big[BIG], none[1];
  size_t n = kb_cite_scan(text, len, bare, out, MAX);
  /* The count does not depend on how many may be written... */
  FUZZ_CHECK(kb_cite_scan(text, len, bare, none, 0) == n);
  size_t nbig = kb_cite_scan(text, len, bare, big, BIG);
  FUZZ_CHECK(nbig == n);
  size_t got = n < MAX ? n : MAX;
  for (size_t i = 0; i < got; i++) {
    /* ...nor do the citations written. */
    FUZZ_CHECK(same_cite(&out[i], &big[i]) && out[i].start == big[i].start &&
               out[i].end == big[i].end);
    check_cite(&out[i], len);
    if (i > 0) {
      const kb_cite *p = &out[i - 1];
      /* A list ("§§ 154, 160 SGB IX") shares one span; else in order. */
      FUZZ_CHECK((out[i].start == p->start && out[i].end == p->end) ||
                 out[i].start >= p->end);
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  check_scan(text, size, false);
  check_scan(text, size, true);

  char *s = fuzz_strndup(data, size);
  size_t slen = strlen(s);
  kb_cite out[MAX];
  size_t n = kb_cite_parse(s, out, MAX);
  FUZZ_CHECK(n <= MAX);
  for (size_t i = 0; i < n; i++)
    check_cite(&out[i], slen);
  if (n > 0) {
    /* What the parser accepts, the scanner finds at the same place. */
    kb_cite scan[MAX];
    size_t m = kb_cite_scan(s, slen, false, scan, MAX);
    FUZZ_CHECK(m >= n);
    FUZZ_CHECK(same_cite(&scan[0], &out[0]));
    FUZZ_CHECK(scan[0].start == out[0].start && scan[0].end == out[0].end);
  }

  char canon[24];
  size_t used = kb_cite_law(s, slen, canon, sizeof canon);
  FUZZ_CHECK(used <= slen);
  if (used)
    FUZZ_CHECK(terminated(canon, sizeof canon) && canon[0] != '\0');
  free(s);
  return 0;
}

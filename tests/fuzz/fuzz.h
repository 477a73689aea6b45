/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - what every fuzz target shares: the libFuzzer entry point, a
 * check that survives NDEBUG, and where the fixtures are.
 *
 * Each tests/fuzz/fuzz-<target>.c defines LLVMFuzzerTestOneInput and is
 * linked either with libFuzzer (-fsanitize=fuzzer, a real fuzzer) or with
 * replay.c (a plain program that replays a corpus under `meson test`).
 * Targets set themselves up lazily on their first input, so both drivers
 * work without LLVMFuzzerInitialize (fuzz-query also defines it, so that
 * libFuzzer's per-input timeout does not count building its index).
 *
 * Depends only on libc.
 */
#ifndef KB_FUZZ_H
#define KB_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef FUZZ_SOURCE_ROOT
#define FUZZ_SOURCE_ROOT "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant the code under test promised.  Unlike assert() it is
 * never compiled out, and it says which promise broke; abort() is what
 * both libFuzzer and the replay driver treat as a crash. */
#define FUZZ_CHECK(cond)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,     \
              #cond);                                                          \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* The source tree: $TEILHABE_SOURCE_ROOT, else the one we were built
 * from.  Borrowed, static. */
static inline const char *fuzz_source_root(void) {
  const char *root = getenv("TEILHABE_SOURCE_ROOT");
  return root && *root ? root : FUZZ_SOURCE_ROOT;
}

/* A scratch base directory: $TEILHABE_TEST_TMP, $TMPDIR or /tmp. */
static inline const char *fuzz_tmp_base(void) {
  const char *base = getenv("TEILHABE_TEST_TMP");
  if (base == NULL || *base == '\0')
    base = getenv("TMPDIR");
  return base && *base ? base : "/tmp";
}

/* Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF), with NUL bytes only when `allow_nul` - written here
 * independently of kb_utf8_valid, so the targets check the library
 * against a second opinion instead of against itself. */
static inline bool fuzz_utf8_valid(const uint8_t *s, size_t n, bool allow_nul) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    if (c == 0 && !allow_nul)
      return false;
    if (c < 0x80) {
      i++;
      continue;
    }
    /* Sequence length, and the allowed range of its second byte. */
    size_t len = 0;
    uint8_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0)
        lo = 0xA0; /* overlong */
      if (c == 0xED)
        hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0)
        lo = 0x90; /* overlong */
      if (c == 0xF4)
        hi = 0x8F; /* past U+10FFFF */
    } else {
      return false;
    }
    if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
      return false;
    for (size_t k = 2; k < len; k++)
      if ((s[i + k] & 0xC0) != 0x80)
        return false;
    i += len;
  }
  return true;
}

/* A NUL-terminated copy of the input (owned, free()); aborts when out of
 * memory, which a fuzzer must not mistake for a finding of ours. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (s == NULL)
    abort();
  for (size_t i = 0; i < size; i++)
    s[i] = (char)data[i];
  s[size] = '\0';
  return s;
}

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-buf.c - kb_buf, the capped growable buffer, and kb_arena, the bump
 * allocator a search result lives in: the cap holds and its error is
 * sticky, detach hands over ownership, reset keeps the allocation;
 * arena memory is aligned and zeroed, the limit holds and reset reuses
 * the first chunk.
 */
#include <check.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_buf.h"
#include "testutil.h"

/* ---- kb_buf ---------------------------------------------------------- */

START_TEST(append_and_terminate) {
  kb_buf b;
  kb_buf_init(&b, 1024);
  /* Empty and unallocated, yet a valid string. */
  ck_assert_ptr_null(b.data);
  ck_assert_str_eq(kb_buf_str(&b), "");
  ck_assert_int_eq(kb_buf_adds(&b, "Hörgerät"), KB_OK);
  ck_assert_int_eq(kb_buf_addc(&b, ' '), KB_OK);
  ck_assert_int_eq(kb_buf_add(&b, "im Büro und mehr", 8), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "Hörgerät im Büro");
  ck_assert_uint_eq(b.len, strlen("Hörgerät im Büro"));
  ck_assert_int_eq(b.data[b.len], '\0');
  /* Zero bytes are a valid append and leave the text alone. */
  ck_assert_int_eq(kb_buf_add(&b, "", 0), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "Hörgerät im Büro");
  ck_assert_int_eq(kb_buf_status(&b), KB_OK);
  kb_buf_release(&b);
  ck_assert_ptr_null(b.data);
  ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(static_initialiser_works) {
  kb_buf b = KB_BUF_INIT(64);
  ck_assert_int_eq(kb_buf_adds(&b, "SGB IX"), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "SGB IX");
  kb_buf_release(&b);
}
END_TEST

START_TEST(cap_enforced_exactly) {
  kb_buf b;
  kb_buf_init(&b, 8);
  /* Exactly up to the cap is fine ... */
  ck_assert_int_eq(kb_buf_adds(&b, "Arbeits"), KB_OK);
  ck_assert_int_eq(kb_buf_addc(&b, 'x'), KB_OK);
  ck_assert_uint_eq(b.len, 8);
  ck_assert_str_eq(kb_buf_str(&b), "Arbeitsx");
  /* ... and the allocation never exceeds cap + NUL. */
  ck_assert_uint_le(b.cap, 9);
  /* One byte more is refused and nothing of it is appended. */
  ck_assert_int_eq(kb_buf_addc(&b, 'y'), KB_ERR_LIMIT);
  ck_assert_str_eq(kb_buf_str(&b), "Arbeitsx");
  ck_assert_uint_eq(b.len, 8);
  kb_buf_release(&b);
}
END_TEST

START_TEST(error_is_sticky) {
  kb_buf b;
  kb_buf_init(&b, 8);
  /* "Hörgerät" is 10 bytes of UTF-8: too long, appended not at all
   * (no half character ends up in the buffer). */
  ck_assert_int_eq(kb_buf_adds(&b, "Hörgerät"), KB_ERR_LIMIT);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_str_eq(kb_buf_str(&b), "");
  /* A later append that would fit fails too: one check at the end of a
   * run of appends is enough. */
  ck_assert_int_eq(kb_buf_adds(&b, "ab"), KB_ERR_LIMIT);
  ck_assert_int_eq(kb_buf_addc(&b, 'c'), KB_ERR_LIMIT);
  ck_assert_int_eq(kb_buf_addf(&b, "%d", 1), KB_ERR_LIMIT);
  ck_assert_ptr_null(kb_buf_extend(&b, 1));
  ck_assert_uint_eq(b.len, 0);
  ck_assert_int_eq(kb_buf_status(&b), KB_ERR_LIMIT);
  kb_buf_release(&b);
}
END_TEST

START_TEST(huge_append_does_not_overflow) {
  kb_buf b;
  kb_buf_init(&b, 100);
  ck_assert_int_eq(kb_buf_adds(&b, "abc"), KB_OK);
  /* len + n would wrap around SIZE_MAX: must be refused, not wrapped. */
  ck_assert_int_eq(kb_buf_add(&b, "x", SIZE_MAX - 1), KB_ERR_LIMIT);
  ck_assert_ptr_null(kb_buf_extend(&b, SIZE_MAX));
  ck_assert_str_eq(kb_buf_str(&b), "abc");
  kb_buf_release(&b);
}
END_TEST

START_TEST(grows_across_many_appends) {
  kb_buf b;
  kb_buf_init(&b, 1 << 20);
  for (int i = 0; i < 5000; i++)
    ck_assert_int_eq(kb_buf_adds(&b, "Teilhabe "), KB_OK);
  ck_assert_uint_eq(b.len, 5000 * strlen("Teilhabe "));
  /* Nothing was lost or garbled by the reallocations. */
  for (size_t i = 0; i < b.len; i += 9)
    ck_assert_int_eq(memcmp(b.data + i, "Teilhabe ", 9), 0);
  ck_assert_int_eq(b.data[b.len], '\0');
  kb_buf_release(&b);
}
END_TEST

START_TEST(detach_hands_over) {
  kb_buf b;
  kb_buf_init(&b, 64);
  kb_buf_adds(&b, "§ 167 SGB IX");
  size_t len = 0;
  char *s = kb_buf_detach(&b, &len);
  ck_assert_ptr_nonnull(s);
  ck_assert_str_eq(s, "§ 167 SGB IX");
  ck_assert_uint_eq(len, strlen("§ 167 SGB IX"));
  /* The buffer is empty afterwards and usable again. */
  ck_assert_ptr_null(b.data);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_str_eq(kb_buf_str(&b), "");
  ck_assert_int_eq(kb_buf_adds(&b, "neu"), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "neu");
  kb_buf_release(&b);
  free(s); /* the caller owns the detached string */
}
END_TEST

START_TEST(detach_empty_gives_empty_string) {
  kb_buf b;
  kb_buf_init(&b, 64);
  size_t len = 99;
  char *s = kb_buf_detach(&b, &len);
  ck_assert_ptr_nonnull(s);
  ck_assert_str_eq(s, "");
  ck_assert_uint_eq(len, 0);
  free(s);
  /* ret_len is optional. */
  kb_buf_adds(&b, "x");
  s = kb_buf_detach(&b, NULL);
  ck_assert_str_eq(s, "x");
  free(s);
  kb_buf_release(&b);
}
END_TEST

START_TEST(detach_after_error_is_null) {
  kb_buf b;
  kb_buf_init(&b, 4);
  kb_buf_adds(&b, "ab");
  kb_buf_adds(&b, "cdefg"); /* past the cap */
  size_t len = 42;
  /* A truncated text must never be mistaken for the whole one. */
  ck_assert_ptr_null(kb_buf_detach(&b, &len));
  ck_assert_uint_eq(len, 42);
  ck_assert_ptr_null(b.data);
  /* The buffer was released and works again. */
  ck_assert_int_eq(kb_buf_status(&b), KB_OK);
  ck_assert_int_eq(kb_buf_adds(&b, "ok"), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "ok");
  kb_buf_release(&b);
}
END_TEST

START_TEST(reset_keeps_allocation_and_clears_error) {
  kb_buf b;
  kb_buf_init(&b, 300);
  for (int i = 0; i < 20; i++)
    kb_buf_adds(&b, "Inklusion ");
  char *data = b.data;
  size_t cap = b.cap;
  ck_assert_uint_gt(cap, 0);
  kb_buf_adds(&b, "this text does not fit in the remaining space anymore "
                  "because the cap of three hundred bytes is reached");
  ck_assert_int_eq(kb_buf_status(&b), KB_ERR_LIMIT);

  kb_buf_reset(&b);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_str_eq(kb_buf_str(&b), "");
  ck_assert_int_eq(kb_buf_status(&b), KB_OK);
  /* Same memory: per-request reuse allocates nothing. */
  ck_assert_ptr_eq(b.data, data);
  ck_assert_uint_eq(b.cap, cap);
  ck_assert_int_eq(kb_buf_adds(&b, "wieder da"), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "wieder da");
  ck_assert_ptr_eq(b.data, data);
  kb_buf_release(&b);

  /* Reset of a never-used buffer is harmless. */
  kb_buf_init(&b, 10);
  kb_buf_reset(&b);
  ck_assert_str_eq(kb_buf_str(&b), "");
  kb_buf_release(&b);
}
END_TEST

START_TEST(addf_formats_and_respects_cap) {
  kb_buf b;
  kb_buf_init(&b, 40);
  ck_assert_int_eq(kb_buf_addf(&b, "§ %d Abs. %d SGB %s", 167, 2, "IX"), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "§ 167 Abs. 2 SGB IX");
  ck_assert_int_eq(kb_buf_addf(&b, "%s", ""), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "§ 167 Abs. 2 SGB IX");
  /* Appends after existing text. */
  ck_assert_int_eq(kb_buf_addf(&b, " (%zu)", (size_t)7), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "§ 167 Abs. 2 SGB IX (7)");
  size_t before = b.len;
  /* Formatting past the cap fails and leaves the text as it was. */
  ck_assert_int_eq(kb_buf_addf(&b, "%s", "Betriebliches Eingliederungs"),
                   KB_ERR_LIMIT);
  ck_assert_uint_eq(b.len, before);
  ck_assert_str_eq(kb_buf_str(&b), "§ 167 Abs. 2 SGB IX (7)");
  kb_buf_release(&b);
}
END_TEST

START_TEST(addf_grows_past_first_allocation) {
  kb_buf b;
  kb_buf_init(&b, 1 << 16);
  char big[1001];
  memset(big, 'x', 1000);
  big[1000] = '\0';
  ck_assert_int_eq(kb_buf_addf(&b, "<%s>", big), KB_OK);
  ck_assert_uint_eq(b.len, 1002);
  ck_assert_int_eq(b.data[0], '<');
  ck_assert_int_eq(b.data[1001], '>');
  ck_assert_int_eq(b.data[1002], '\0');
  kb_buf_release(&b);
}
END_TEST

START_TEST(extend_writes_in_place) {
  kb_buf b;
  kb_buf_init(&b, 16);
  kb_buf_adds(&b, "ab");
  char *p = kb_buf_extend(&b, 3);
  ck_assert_ptr_nonnull(p);
  ck_assert_ptr_eq(p, b.data + 2);
  memcpy(p, "cde", 3);
  ck_assert_uint_eq(b.len, 5);
  ck_assert_str_eq(kb_buf_str(&b), "abcde");
  /* Zero bytes: a valid position, nothing added. */
  p = kb_buf_extend(&b, 0);
  ck_assert_ptr_nonnull(p);
  ck_assert_uint_eq(b.len, 5);
  /* Past the cap: NULL and the sticky error. */
  ck_assert_ptr_null(kb_buf_extend(&b, 12));
  ck_assert_int_eq(kb_buf_status(&b), KB_ERR_LIMIT);
  ck_assert_str_eq(kb_buf_str(&b), "abcde");
  kb_buf_release(&b);
}
END_TEST

START_TEST(release_is_idempotent) {
  kb_buf b;
  kb_buf_init(&b, 10);
  kb_buf_release(&b);
  kb_buf_release(&b);
  kb_buf_init(&b, 10);
  kb_buf_adds(&b, "x");
  kb_buf_release(&b);
  kb_buf_release(&b);
  ck_assert_ptr_null(b.data);
}
END_TEST

/* ---- kb_arena -------------------------------------------------------- */

static bool aligned(const void *p) {
  return (uintptr_t)p % alignof(max_align_t) == 0;
}

START_TEST(arena_aligned_and_zeroed) {
  kb_arena a;
  kb_arena_init(&a, 0);
  static const size_t sizes[] = {1, 3, 7, 8, 15, 16, 17, 31, 100, 1, 2};
  unsigned char *prev = NULL;
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    unsigned char *p = kb_arena_alloc(&a, sizes[i]);
    ck_assert_ptr_nonnull(p);
    ck_assert_msg(aligned(p), "allocation %zu of %zu bytes misaligned", i,
                  sizes[i]);
    for (size_t k = 0; k < sizes[i]; k++)
      ck_assert_int_eq(p[k], 0);
    memset(p, 0xAB, sizes[i]); /* must not overlap the next one */
    ck_assert_ptr_ne(p, prev);
    prev = p;
  }
  /* A zero-byte request still gets its own distinct, aligned address. */
  void *z1 = kb_arena_alloc(&a, 0), *z2 = kb_arena_alloc(&a, 0);
  ck_assert_ptr_nonnull(z1);
  ck_assert_ptr_ne(z1, z2);
  ck_assert(aligned(z1) && aligned(z2));
  kb_arena_release(&a);
}
END_TEST

START_TEST(arena_no_overlap_across_chunks) {
  kb_arena a;
  kb_arena_init(&a, 0);
  /* Enough to need several chunks; every string must survive. */
  char *s[3000];
  for (int i = 0; i < 3000; i++) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, "artikel-%d", i);
    s[i] = kb_arena_strdup(&a, tmp);
    ck_assert_ptr_nonnull(s[i]);
  }
  for (int i = 0; i < 3000; i++) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, "artikel-%d", i);
    ck_assert_str_eq(s[i], tmp);
  }
  /* One allocation larger than a chunk works too. */
  char *big = kb_arena_alloc(&a, 100000);
  ck_assert_ptr_nonnull(big);
  ck_assert(aligned(big));
  memset(big, 'x', 100000);
  ck_assert_str_eq(s[2999], "artikel-2999");
  kb_arena_release(&a);
}
END_TEST

START_TEST(arena_limit_holds) {
  kb_arena a;
  kb_arena_init(&a, 1024);
  size_t total = 0;
  int n = 0;
  while (kb_arena_alloc(&a, 100) != NULL) {
    total += 100;
    ck_assert_int_lt(++n, 100);
  }
  /* Stops at the limit, counting the rounding to the alignment. */
  ck_assert_uint_le(a.used, 1024);
  ck_assert_uint_gt(n, 0);
  ck_assert_uint_le(total, 1024);
  /* A single request past the limit fails outright. */
  kb_arena b;
  kb_arena_init(&b, 1024);
  ck_assert_ptr_null(kb_arena_alloc(&b, 2000));
  ck_assert_ptr_null(kb_arena_strndup(&b, "x", 5000));
  ck_assert_uint_eq(b.used, 0);
  ck_assert_ptr_nonnull(kb_arena_alloc(&b, 1000)); /* still usable */
  kb_arena_release(&a);
  kb_arena_release(&b);
}
END_TEST

START_TEST(arena_huge_request_fails_cleanly) {
  kb_arena a;
  kb_arena_init(&a, 0);
  /* Rounding SIZE_MAX up must not wrap to a tiny allocation. */
  ck_assert_ptr_null(kb_arena_alloc(&a, SIZE_MAX));
  ck_assert_ptr_null(kb_arena_alloc(&a, SIZE_MAX - 3));
  ck_assert_ptr_nonnull(kb_arena_alloc(&a, 8));
  kb_arena_release(&a);
}
END_TEST

/* Fixed bug, kept as a regression test: kb_arena_alloc without a limit: for n
 * in (SIZE_MAX - 47, SIZE_MAX - 16], `sizeof *c + size` in the chunk malloc
 * wraps around to a few bytes, malloc succeeds, and the memset of n bytes runs
 * off the heap. */
START_TEST(arena_near_size_max_fails_cleanly) {
  kb_arena a;
  kb_arena_init(&a, 0);
  ck_assert_ptr_null(kb_arena_alloc(&a, SIZE_MAX - 20));
  ck_assert_ptr_null(kb_arena_alloc(&a, SIZE_MAX - 40));
  kb_arena_release(&a);
}
END_TEST

START_TEST(arena_reset_reuses_first_chunk) {
  kb_arena a;
  kb_arena_init(&a, 0);
  char *first = kb_arena_alloc(&a, 64);
  ck_assert_ptr_nonnull(first);
  /* Force further chunks. */
  for (int i = 0; i < 10; i++)
    ck_assert_ptr_nonnull(kb_arena_alloc(&a, 20000));
  ck_assert_uint_gt(a.used, 200000);
  kb_arena_reset(&a);
  ck_assert_uint_eq(a.used, 0);
  /* The next request gets the first chunk's memory back, zeroed. */
  char *again = kb_arena_alloc(&a, 64);
  ck_assert_ptr_eq(again, first);
  for (int i = 0; i < 64; i++)
    ck_assert_int_eq(again[i], 0);
  /* Reset of an unused arena is harmless; release after reset frees. */
  kb_arena b;
  kb_arena_init(&b, 0);
  kb_arena_reset(&b);
  ck_assert_ptr_null(b.head);
  kb_arena_release(&a);
  kb_arena_release(&a);
  ck_assert_ptr_null(a.head);
}
END_TEST

START_TEST(arena_reset_restores_limit) {
  kb_arena a;
  kb_arena_init(&a, 4096);
  while (kb_arena_alloc(&a, 512) != NULL)
    ;
  ck_assert_ptr_null(kb_arena_alloc(&a, 512));
  kb_arena_reset(&a);
  /* A new request may use the whole budget again. */
  ck_assert_ptr_nonnull(kb_arena_alloc(&a, 512));
  kb_arena_release(&a);
}
END_TEST

START_TEST(arena_strdup_copies) {
  kb_arena a;
  kb_arena_init(&a, 0);
  char src[] = "Schwerbehindertenvertretung";
  char *d = kb_arena_strdup(&a, src);
  ck_assert_str_eq(d, "Schwerbehindertenvertretung");
  ck_assert_ptr_ne(d, src);
  src[0] = 'X'; /* a copy, not a reference */
  ck_assert_str_eq(d, "Schwerbehindertenvertretung");
  ck_assert_str_eq(kb_arena_strndup(&a, "Hörgerät im Büro", 10), "Hörgerät");
  ck_assert_str_eq(kb_arena_strdup(&a, ""), "");
  ck_assert_str_eq(kb_arena_strndup(&a, "abc", 0), "");
  ck_assert(aligned(d));
  kb_arena_release(&a);
}
END_TEST

int main(void) {
  Suite *s = suite_create("buf");
  TCase *tb = tcase_create("buf");
  tcase_add_test(tb, append_and_terminate);
  tcase_add_test(tb, static_initialiser_works);
  tcase_add_test(tb, cap_enforced_exactly);
  tcase_add_test(tb, error_is_sticky);
  tcase_add_test(tb, huge_append_does_not_overflow);
  tcase_add_test(tb, grows_across_many_appends);
  tcase_add_test(tb, detach_hands_over);
  tcase_add_test(tb, detach_empty_gives_empty_string);
  tcase_add_test(tb, detach_after_error_is_null);
  tcase_add_test(tb, reset_keeps_allocation_and_clears_error);
  tcase_add_test(tb, addf_formats_and_respects_cap);
  tcase_add_test(tb, addf_grows_past_first_allocation);
  tcase_add_test(tb, extend_writes_in_place);
  tcase_add_test(tb, release_is_idempotent);
  suite_add_tcase(s, tb);

  TCase *ta = tcase_create("arena");
  tcase_add_test(ta, arena_aligned_and_zeroed);
  tcase_add_test(ta, arena_no_overlap_across_chunks);
  tcase_add_test(ta, arena_limit_holds);
  tcase_add_test(ta, arena_huge_request_fails_cleanly);
  /* Fixed bug, kept as a regression test: kb_arena_alloc(&a, SIZE_MAX - 20) on
   * an arena without limit overflows the chunk size and crashes (see the test).
   */
  tcase_add_test(ta, arena_near_size_max_fails_cleanly);
  tcase_add_test(ta, arena_reset_reuses_first_chunk);
  tcase_add_test(ta, arena_reset_restores_limit);
  tcase_add_test(ta, arena_strdup_copies);
  suite_add_tcase(s, ta);

  return tu_run_suite(s);
}

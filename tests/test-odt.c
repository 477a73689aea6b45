/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-odt.c - Markdown to OpenDocument text: the package is a ZIP whose
 * first entry is the stored "mimetype", every entry is stored with its
 * right CRC-32 and size, the central directory finds every entry, and
 * content.xml holds the Markdown's headings, paragraphs, lists and check
 * boxes with everything escaped.  Too much Markdown is refused.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "kb_odt.h"
#include "testutil.h"

static unsigned rd16(const unsigned char *p) {
  return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

typedef struct entry {
  char name[64];
  const unsigned char *data;
  uint32_t size, offset;
} entry;

/* Reads the local entries in order, checking each as ODF requires;
 * returns how many. */
static size_t read_zip(const unsigned char *z, size_t len, entry *e,
                       size_t max) {
  size_t n = 0, off = 0;
  while (off + 30 <= len && rd32(z + off) == 0x04034b50) {
    ck_assert_uint_lt(n, max);
    const unsigned char *h = z + off;
    ck_assert_uint_eq(rd16(h + 8), 0); /* stored */
    uint32_t crc = rd32(h + 14), csize = rd32(h + 18), usize = rd32(h + 22);
    unsigned nlen = rd16(h + 26), xlen = rd16(h + 28);
    ck_assert_uint_eq(csize, usize);
    ck_assert_uint_lt(nlen, sizeof e[n].name);
    memcpy(e[n].name, h + 30, nlen);
    e[n].name[nlen] = 0;
    e[n].data = h + 30 + nlen + xlen;
    e[n].size = usize;
    e[n].offset = (uint32_t)off;
    ck_assert_uint_le((size_t)(e[n].data - z) + usize, len);
    ck_assert_uint_eq(crc32(crc32(0L, Z_NULL, 0), e[n].data, usize), crc);
    off = (size_t)(e[n].data - z) + usize;
    n++;
  }
  /* The central directory and its end record name the same entries. */
  ck_assert_uint_ge(len, 22);
  const unsigned char *end = z + len - 22;
  ck_assert_uint_eq(rd32(end), 0x06054b50);
  ck_assert_uint_eq(rd16(end + 10), n);
  uint32_t cd = rd32(end + 16);
  ck_assert_uint_eq(cd, off);
  for (size_t i = 0; i < n; i++) {
    const unsigned char *c = z + cd;
    ck_assert_uint_eq(rd32(c), 0x02014b50);
    ck_assert_uint_eq(rd32(c + 42), e[i].offset);
    unsigned nlen = rd16(c + 28);
    ck_assert(nlen == strlen(e[i].name) &&
              memcmp(c + 46, e[i].name, nlen) == 0);
    cd += 46 + nlen + rd16(c + 30) + rd16(c + 32);
  }
  return n;
}

/* The package of `md`; the entries in `e`; content.xml as an owned
 * string. */
static char *build(const char *md, kb_buf *out, entry *e, size_t *n) {
  ck_assert_int_eq(kb_odt_from_markdown(md, strlen(md), "T<itel>", out, NULL),
                   KB_OK);
  *n = read_zip((const unsigned char *)out->data, out->len, e, 8);
  for (size_t i = 0; i < *n; i++)
    if (strcmp(e[i].name, "content.xml") == 0)
      return strndup((const char *)e[i].data, e[i].size);
  ck_abort_msg("no content.xml");
  return NULL;
}

START_TEST(package_layout) {
  kb_buf out = KB_BUF_INIT(1 << 20);
  entry e[8];
  size_t n = 0;
  char *content = build("Text\n", &out, e, &n);
  ck_assert_uint_eq(n, 5);
  ck_assert_str_eq(e[0].name, "mimetype");
  ck_assert_uint_eq(e[0].offset, 0);
  ck_assert(e[0].size == strlen("application/vnd.oasis.opendocument.text") &&
            memcmp(e[0].data, "application/vnd.oasis.opendocument.text",
                   e[0].size) == 0);
  bool manifest = false, meta = false;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(e[i].name, "META-INF/manifest.xml") == 0) {
      char *m = strndup((const char *)e[i].data, e[i].size);
      ck_assert_ptr_nonnull(strstr(m, "full-path=\"content.xml\""));
      ck_assert_ptr_nonnull(strstr(m, "full-path=\"styles.xml\""));
      free(m);
      manifest = true;
    }
    if (strcmp(e[i].name, "meta.xml") == 0) {
      char *m = strndup((const char *)e[i].data, e[i].size);
      ck_assert_ptr_nonnull(strstr(m, "<dc:title>T&lt;itel&gt;</dc:title>"));
      free(m);
      meta = true;
    }
  }
  ck_assert(manifest && meta);
  free(content);
  kb_buf_release(&out);
}
END_TEST

START_TEST(blocks_and_escaping) {
  kb_buf out = KB_BUF_INIT(1 << 20);
  entry e[8];
  size_t n = 0;
  char *c = build("# Titel\n\n## A & B\n\nEin <b>Satz</b> mit **fett** "
                  "und [Link](https://example.org/?a=1&b=2) und "
                  "[intern](/artikel/x).\n\n"
                  "- ☐ eins\n- ☐ zwei\n\n1. erst\n2. dann\n\n- Punkt\n",
                  &out, e, &n);
  ck_assert_ptr_nonnull(strstr(
      c, "<text:h text:style-name=\"Heading_20_1\" text:outline-level=\"1\">"
         "Titel</text:h>"));
  ck_assert_ptr_nonnull(strstr(c, ">A &amp; B</text:h>"));
  /* raw HTML is dropped, its text stays */
  ck_assert_ptr_null(strstr(c, "<b>"));
  ck_assert_ptr_nonnull(strstr(c, "Satz"));
  ck_assert_ptr_nonnull(
      strstr(c, "<text:span text:style-name=\"Strong_20_Emphasis\">fett"));
  ck_assert_ptr_nonnull(
      strstr(c, "xlink:href=\"https://example.org/?a=1&amp;b=2\">Link"));
  /* a link within the site keeps its text only */
  ck_assert_ptr_nonnull(strstr(c, " und intern."));
  ck_assert_ptr_nonnull(strstr(c, "<text:list text:style-name=\"Boxes\">"));
  ck_assert_ptr_nonnull(strstr(c, "☐ eins"));
  ck_assert_ptr_nonnull(strstr(c, "<text:list text:style-name=\"Numbers\">"));
  ck_assert_ptr_nonnull(strstr(c, "<text:list text:style-name=\"Bullets\">"));
  free(c);
  kb_buf_release(&out);
}
END_TEST

START_TEST(control_characters_dropped) {
  kb_buf out = KB_BUF_INIT(1 << 20);
  entry e[8];
  size_t n = 0;
  char *c = build("a\x01"
                  "b\x1f"
                  "c\n",
                  &out, e, &n);
  ck_assert_ptr_nonnull(strstr(c, ">abc</text:p>"));
  free(c);
  kb_buf_release(&out);
}
END_TEST

START_TEST(too_long_refused) {
  size_t len = KB_ODT_MAX_MARKDOWN + 1;
  char *md = malloc(len);
  ck_assert_ptr_nonnull(md);
  memset(md, 'x', len);
  kb_buf out = KB_BUF_INIT(1 << 20);
  char *err = NULL;
  ck_assert_int_eq(kb_odt_from_markdown(md, len, "t", &out, &err),
                   KB_ERR_LIMIT);
  ck_assert_ptr_nonnull(err);
  ck_assert_uint_eq(out.len, 0);
  free(err);
  free(md);
  kb_buf_release(&out);
}
END_TEST

START_TEST(buffer_cap_is_an_error) {
  kb_buf out = KB_BUF_INIT(100); /* smaller than any package */
  ck_assert_int_ne(kb_odt_from_markdown("Text", 4, "t", &out, NULL), KB_OK);
  kb_buf_release(&out);
}
END_TEST

int main(void) {
  Suite *s = suite_create("odt");
  TCase *t = tcase_create("odt");
  tcase_add_test(t, package_layout);
  tcase_add_test(t, blocks_and_escaping);
  tcase_add_test(t, control_characters_dropped);
  tcase_add_test(t, too_long_refused);
  tcase_add_test(t, buffer_cap_is_an_error);
  suite_add_tcase(s, t);
  return tu_run_suite(s);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * odt.c - Markdown to OpenDocument text (see kb_odt.h): cmark-gfm's tree
 * written as ODF XML, packed in a ZIP of stored entries.
 *
 * Two parts: the ZIP writer (local headers, central directory, end
 * record; no compression, no ZIP64 - a template is far below 4 GB) and
 * the ODF writer, one function per kind of cmark node.
 */
#include "kb_odt.h"

#include <cmark-gfm.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "article_internal.h"
#include "kb_escape.h"

/* ---- a ZIP of stored entries ------------------------------------------ */

#define ZIP_MAX_ENTRIES 8

typedef struct zip_entry {
  const char *name;
  uint32_t crc, size, offset;
} zip_entry;

typedef struct zip {
  kb_buf *out;
  size_t base; /* where the package starts in `out` */
  zip_entry e[ZIP_MAX_ENTRIES];
  size_t n;
} zip;

static void put16(kb_buf *b, unsigned v) {
  unsigned char c[2] = {(unsigned char)(v & 0xff),
                        (unsigned char)((v >> 8) & 0xff)};
  kb_buf_add(b, c, 2);
}

static void put32(kb_buf *b, uint32_t v) {
  unsigned char c[4] = {
      (unsigned char)(v & 0xff), (unsigned char)((v >> 8) & 0xff),
      (unsigned char)((v >> 16) & 0xff), (unsigned char)((v >> 24) & 0xff)};
  kb_buf_add(b, c, 4);
}

/* The fields local header and central directory share: version needed
 * (2.0), flags (bit 11: names are UTF-8), method 0 (stored), a fixed
 * time and date (1.1.2020: the package depends on its text only), CRC,
 * sizes and the name's length. */
static void zip_common(kb_buf *b, const zip_entry *e) {
  put16(b, 20);
  put16(b, 1u << 11);
  put16(b, 0);
  put16(b, 0);
  put16(b, (40u << 9) | (1u << 5) | 1u);
  put32(b, e->crc);
  put32(b, e->size);
  put32(b, e->size);
  put16(b, (unsigned)strlen(e->name));
}

/* Adds the stored entry `name` (a literal) with `len` bytes of `data`. */
static kb_status zip_add(zip *z, const char *name, const char *data,
                         size_t len) {
  size_t offset = z->out->len - z->base;
  if (z->n == ZIP_MAX_ENTRIES || len > UINT32_MAX || offset > UINT32_MAX)
    return KB_ERR_LIMIT; /* NEVER for our five small entries */
  zip_entry *e = &z->e[z->n++];
  *e = (zip_entry){.name = name,
                   .crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0),
                                          (const Bytef *)data, (uInt)len),
                   .size = (uint32_t)len,
                   .offset = (uint32_t)offset};
  put32(z->out, 0x04034b50);
  zip_common(z->out, e);
  put16(z->out, 0); /* no extra field */
  kb_buf_adds(z->out, name);
  kb_buf_add(z->out, data, len);
  return kb_buf_status(z->out);
}

/* The central directory and its end record. */
static kb_status zip_finish(zip *z) {
  size_t start = z->out->len - z->base;
  for (size_t i = 0; i < z->n; i++) {
    const zip_entry *e = &z->e[i];
    put32(z->out, 0x02014b50);
    put16(z->out, 20); /* made by: MS-DOS attributes, version 2.0 */
    zip_common(z->out, e);
    put16(z->out, 0); /* extra */
    put16(z->out, 0); /* comment */
    put16(z->out, 0); /* disk */
    put16(z->out, 0); /* internal attributes */
    put32(z->out, 0); /* external attributes */
    put32(z->out, e->offset);
    kb_buf_adds(z->out, e->name);
  }
  size_t size = z->out->len - z->base - start;
  put32(z->out, 0x06054b50);
  put16(z->out, 0);
  put16(z->out, 0);
  put16(z->out, (unsigned)z->n);
  put16(z->out, (unsigned)z->n);
  put32(z->out, (uint32_t)size);
  put32(z->out, (uint32_t)start);
  put16(z->out, 0);
  return kb_buf_status(z->out);
}

/* ---- ODF ---------------------------------------------------------------- */

#define NS                                                                     \
  " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""         \
  " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""           \
  " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""             \
  " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""           \
  " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\""  \
  " xmlns:xlink=\"http://www.w3.org/1999/xlink\""                              \
  " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""                             \
  " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\""             \
  " office:version=\"1.3\""

static const char mimetype[] = "application/vnd.oasis.opendocument.text";

static const char manifest[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<manifest:manifest "
    "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
    "manifest:version=\"1.3\">\n"
    " <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" "
    "manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\n"
    " <manifest:file-entry manifest:full-path=\"content.xml\" "
    "manifest:media-type=\"text/xml\"/>\n"
    " <manifest:file-entry manifest:full-path=\"styles.xml\" "
    "manifest:media-type=\"text/xml\"/>\n"
    " <manifest:file-entry manifest:full-path=\"meta.xml\" "
    "manifest:media-type=\"text/xml\"/>\n"
    "</manifest:manifest>\n";

/* Paragraph, heading, list and character styles: a plain, readable
 * letter layout (Liberation Sans, as LibreOffice has it). */
static const char *const styles[] = {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<office:document-styles" NS ">\n"
    "<office:font-face-decls><style:font-face style:name=\"Liberation Sans\" "
    "svg:font-family=\"'Liberation Sans'\" "
    "xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\"/>"
    "</office:font-face-decls>\n"
    "<office:styles>\n"
    "<style:default-style style:family=\"paragraph\"><style:text-properties "
    "style:font-name=\"Liberation Sans\" fo:font-size=\"11pt\" "
    "fo:language=\"de\" fo:country=\"DE\"/></style:default-style>\n"
    "<style:style style:name=\"Standard\" style:family=\"paragraph\"/>\n"
    "<style:style style:name=\"Text_20_body\" style:display-name=\"Text "
    "body\" style:family=\"paragraph\" style:parent-style-name=\"Standard\">"
    "<style:paragraph-properties fo:margin-top=\"0cm\" "
    "fo:margin-bottom=\"0.2cm\" fo:line-height=\"130%\"/></style:style>\n"
    "<style:style style:name=\"Heading\" style:family=\"paragraph\" "
    "style:parent-style-name=\"Standard\"><style:paragraph-properties "
    "fo:margin-top=\"0.4cm\" fo:margin-bottom=\"0.2cm\" "
    "fo:keep-with-next=\"always\"/><style:text-properties "
    "fo:font-weight=\"bold\"/></style:style>\n",
    "<style:style style:name=\"Heading_20_1\" style:display-name=\"Heading "
    "1\" style:family=\"paragraph\" style:parent-style-name=\"Heading\" "
    "style:default-outline-level=\"1\"><style:text-properties "
    "fo:font-size=\"16pt\"/></style:style>\n"
    "<style:style style:name=\"Heading_20_2\" style:display-name=\"Heading "
    "2\" style:family=\"paragraph\" style:parent-style-name=\"Heading\" "
    "style:default-outline-level=\"2\"><style:text-properties "
    "fo:font-size=\"13pt\"/></style:style>\n"
    "<style:style style:name=\"Heading_20_3\" style:display-name=\"Heading "
    "3\" style:family=\"paragraph\" style:parent-style-name=\"Heading\" "
    "style:default-outline-level=\"3\"><style:text-properties "
    "fo:font-size=\"11pt\"/></style:style>\n"
    "<style:style style:name=\"Quotations\" style:family=\"paragraph\" "
    "style:parent-style-name=\"Text_20_body\"><style:paragraph-properties "
    "fo:margin-left=\"1cm\"/></style:style>\n"
    "<style:style style:name=\"Preformatted_20_Text\" "
    "style:display-name=\"Preformatted Text\" style:family=\"paragraph\" "
    "style:parent-style-name=\"Standard\"><style:text-properties "
    "style:font-name=\"Liberation Mono\"/></style:style>\n"
    "<style:style style:name=\"Strong_20_Emphasis\" "
    "style:display-name=\"Strong Emphasis\" style:family=\"text\">"
    "<style:text-properties fo:font-weight=\"bold\"/></style:style>\n"
    "<style:style style:name=\"Emphasis\" style:family=\"text\">"
    "<style:text-properties fo:font-style=\"italic\"/></style:style>\n"
    "<text:list-style style:name=\"Bullets\"><text:list-level-style-bullet "
    "text:level=\"1\" text:bullet-char=\"•\"><style:list-level-properties "
    "text:list-level-position-and-space-mode=\"label-alignment\">"
    "<style:list-level-label-alignment text:label-followed-by=\"listtab\" "
    "fo:text-indent=\"-0.5cm\" fo:margin-left=\"1cm\"/>"
    "</style:list-level-properties></text:list-level-style-bullet>"
    "</text:list-style>\n"
    /* Check-box lists: the box is the item's first character, so the
     * list itself shows no bullet. */
    "<text:list-style style:name=\"Boxes\"><text:list-level-style-bullet "
    "text:level=\"1\" text:bullet-char=\" \"><style:list-level-properties "
    "text:list-level-position-and-space-mode=\"label-alignment\">"
    "<style:list-level-label-alignment text:label-followed-by=\"nothing\" "
    "fo:text-indent=\"0cm\" fo:margin-left=\"0.5cm\"/>"
    "</style:list-level-properties></text:list-level-style-bullet>"
    "</text:list-style>\n"
    "<text:list-style style:name=\"Numbers\"><text:list-level-style-number "
    "text:level=\"1\" style:num-format=\"1\" style:num-suffix=\".\">"
    "<style:list-level-properties "
    "text:list-level-position-and-space-mode=\"label-alignment\">"
    "<style:list-level-label-alignment text:label-followed-by=\"listtab\" "
    "fo:text-indent=\"-0.6cm\" fo:margin-left=\"1.1cm\"/>"
    "</style:list-level-properties></text:list-level-style-number>"
    "</text:list-style>\n"
    "</office:styles>\n"
    "<office:automatic-styles><style:page-layout style:name=\"A4\">"
    "<style:page-layout-properties fo:page-width=\"21cm\" "
    "fo:page-height=\"29.7cm\" fo:margin-top=\"2cm\" fo:margin-bottom=\"2cm\" "
    "fo:margin-left=\"2.5cm\" fo:margin-right=\"2cm\"/></style:page-layout>"
    "</office:automatic-styles>\n"
    "<office:master-styles><style:master-page style:name=\"Standard\" "
    "style:page-layout-name=\"A4\"/></office:master-styles>\n"
    "</office:document-styles>\n",
    NULL};

static void xml(kb_buf *b, const char *s) { kb_xml_escapes(b, s); }

static void inlines(kb_buf *b, cmark_node *n);

static void inline_node(kb_buf *b, cmark_node *n) {
  switch (cmark_node_get_type(n)) {
  case CMARK_NODE_TEXT:
  case CMARK_NODE_CODE:
    xml(b, cmark_node_get_literal(n));
    break;
  case CMARK_NODE_SOFTBREAK:
    kb_buf_addc(b, ' ');
    break;
  case CMARK_NODE_LINEBREAK:
    kb_buf_adds(b, "<text:line-break/>");
    break;
  case CMARK_NODE_EMPH:
    kb_buf_adds(b, "<text:span text:style-name=\"Emphasis\">");
    inlines(b, n);
    kb_buf_adds(b, "</text:span>");
    break;
  case CMARK_NODE_STRONG:
    kb_buf_adds(b, "<text:span text:style-name=\"Strong_20_Emphasis\">");
    inlines(b, n);
    kb_buf_adds(b, "</text:span>");
    break;
  case CMARK_NODE_LINK: {
    /* A link within the site has no address outside it: its text stays,
     * as on paper. */
    const char *url = cmark_node_get_url(n);
    bool external = url && (strncmp(url, "https://", 8) == 0 ||
                            strncmp(url, "http://", 7) == 0);
    if (external) {
      kb_buf_adds(b, "<text:a xlink:type=\"simple\" xlink:href=\"");
      xml(b, url);
      kb_buf_adds(b, "\">");
    }
    inlines(b, n);
    if (external)
      kb_buf_adds(b, "</text:a>");
    break;
  }
  case CMARK_NODE_HTML_INLINE: /* dropped, as on the pages */
    break;
  default: /* images, strikethrough, ...: their text */
    inlines(b, n);
  }
}

static void inlines(kb_buf *b, cmark_node *n) {
  for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
    inline_node(b, c);
}

static void blocks(kb_buf *b, cmark_node *n, const char *pstyle);

/* True when every item of list `n` starts with a check box. */
static bool box_list(cmark_node *n) {
  for (cmark_node *it = cmark_node_first_child(n); it;
       it = cmark_node_next(it)) {
    cmark_node *p = cmark_node_first_child(it);
    cmark_node *t = p ? cmark_node_first_child(p) : NULL;
    const char *lit = t && cmark_node_get_type(t) == CMARK_NODE_TEXT
                          ? cmark_node_get_literal(t)
                          : NULL;
    if (lit == NULL || strncmp(lit, "☐", strlen("☐")) != 0)
      return false;
  }
  return true;
}

static void list(kb_buf *b, cmark_node *n) {
  const char *style = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST
                          ? "Numbers"
                      : box_list(n) ? "Boxes"
                                    : "Bullets";
  kb_buf_addf(b, "<text:list text:style-name=\"%s\">", style);
  for (cmark_node *it = cmark_node_first_child(n); it;
       it = cmark_node_next(it)) {
    kb_buf_adds(b, "<text:list-item>");
    blocks(b, it, "Text_20_body");
    kb_buf_adds(b, "</text:list-item>");
  }
  kb_buf_adds(b, "</text:list>\n");
}

/* A GFM table: a header row and body rows of cells. */
static void table(kb_buf *b, cmark_node *n) {
  size_t cols = 0;
  cmark_node *row = cmark_node_first_child(n);
  for (cmark_node *c = row ? cmark_node_first_child(row) : NULL; c;
       c = cmark_node_next(c))
    cols++;
  kb_buf_adds(b, "<table:table>");
  kb_buf_addf(b, "<table:table-column table:number-columns-repeated=\"%zu\"/>",
              cols ? cols : 1);
  for (; row; row = cmark_node_next(row)) {
    kb_buf_adds(b, "<table:table-row>");
    for (cmark_node *c = cmark_node_first_child(row); c;
         c = cmark_node_next(c)) {
      kb_buf_adds(b, "<table:table-cell office:value-type=\"string\">"
                     "<text:p>");
      inlines(b, c);
      kb_buf_adds(b, "</text:p></table:table-cell>");
    }
    kb_buf_adds(b, "</table:table-row>");
  }
  kb_buf_adds(b, "</table:table>\n");
}

static void block(kb_buf *b, cmark_node *n, const char *pstyle) {
  switch (cmark_node_get_type(n)) {
  case CMARK_NODE_HEADING: {
    int level = cmark_node_get_heading_level(n);
    level = level < 1 ? 1 : level > 3 ? 3 : level;
    kb_buf_addf(b,
                "<text:h text:style-name=\"Heading_20_%d\" "
                "text:outline-level=\"%d\">",
                level, level);
    inlines(b, n);
    kb_buf_adds(b, "</text:h>\n");
    break;
  }
  case CMARK_NODE_PARAGRAPH:
    kb_buf_addf(b, "<text:p text:style-name=\"%s\">", pstyle);
    inlines(b, n);
    kb_buf_adds(b, "</text:p>\n");
    break;
  case CMARK_NODE_LIST:
    list(b, n);
    break;
  case CMARK_NODE_BLOCK_QUOTE:
    blocks(b, n, "Quotations");
    break;
  case CMARK_NODE_CODE_BLOCK:
    kb_buf_adds(b, "<text:p text:style-name=\"Preformatted_20_Text\">");
    xml(b, cmark_node_get_literal(n));
    kb_buf_adds(b, "</text:p>\n");
    break;
  case CMARK_NODE_THEMATIC_BREAK:
    kb_buf_adds(b, "<text:p text:style-name=\"Standard\"/>\n");
    break;
  case CMARK_NODE_HTML_BLOCK: /* dropped, as on the pages */
    break;
  default:
    if (strcmp(cmark_node_get_type_string(n), "table") == 0)
      table(b, n);
    else
      blocks(b, n, pstyle);
  }
}

static void blocks(kb_buf *b, cmark_node *n, const char *pstyle) {
  for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
    block(b, c, pstyle);
}

static void content(kb_buf *b, cmark_node *doc) {
  kb_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<office:document-content" NS ">\n"
                 "<office:body><office:text>\n");
  blocks(b, doc, "Text_20_body");
  kb_buf_adds(b, "</office:text></office:body>\n"
                 "</office:document-content>\n");
}

static void meta(kb_buf *b, const char *title) {
  kb_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<office:document-meta" NS "><office:meta>"
                 "<meta:generator>teilhabe</meta:generator><dc:title>");
  xml(b, title);
  kb_buf_adds(b, "</dc:title><dc:language>de-DE</dc:language>"
                 "</office:meta></office:document-meta>\n");
}

kb_status kb_odt_from_markdown(const char *md, size_t len, const char *title,
                               kb_buf *out, char **reterr_msg) {
  if (len > KB_ODT_MAX_MARKDOWN)
    return kb_fail(KB_ERR_LIMIT, reterr_msg,
                   "a document for OpenDocument has at most %u bytes",
                   KB_ODT_MAX_MARKDOWN);
  cmark_parser *p = kbi_cmark_parser_new(CMARK_OPT_DEFAULT);
  if (p == NULL)
    return KB_ERR_NOMEM;
  cmark_node *doc = kbi_cmark_read(p, md, len);
  cmark_parser_free(p);
  if (doc == NULL)
    return KB_ERR_NOMEM;

  kb_buf part = KB_BUF_INIT(4 * KB_ODT_MAX_MARKDOWN + 64 * 1024);
  zip z = {.out = out, .base = out->len};
  kb_status st = zip_add(&z, "mimetype", mimetype, strlen(mimetype));
  if (st == KB_OK) {
    content(&part, doc);
    st = kb_buf_status(&part);
  }
  if (st == KB_OK)
    st = zip_add(&z, "content.xml", part.data, part.len);
  if (st == KB_OK) {
    kb_buf_reset(&part);
    for (size_t i = 0; styles[i]; i++)
      kb_buf_adds(&part, styles[i]);
    st = kb_buf_status(&part);
  }
  if (st == KB_OK)
    st = zip_add(&z, "styles.xml", part.data, part.len);
  if (st == KB_OK) {
    kb_buf_reset(&part);
    meta(&part, title);
    st = kb_buf_status(&part);
  }
  if (st == KB_OK)
    st = zip_add(&z, "meta.xml", part.data, part.len);
  if (st == KB_OK)
    st = zip_add(&z, "META-INF/manifest.xml", manifest, strlen(manifest));
  if (st == KB_OK)
    st = zip_finish(&z);
  kb_buf_release(&part);
  cmark_node_free(doc);
  if (st != KB_OK)
    return kb_fail(st, reterr_msg, "cannot build the OpenDocument package");
  return KB_OK;
}

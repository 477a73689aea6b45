/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_odt.h - a Markdown document as OpenDocument text (.odt), for the
 * templates (/vorlagen/<id>.odt) that people fill in with LibreOffice or
 * Word.
 *
 * The Markdown is parsed by cmark-gfm (tables as in the articles) and its
 * tree written as ODF: headings as text:h, paragraphs as text:p, bullet
 * and numbered lists as text:list, emphasis as spans, links as text:a,
 * tables as table:table.  A list item that begins with "☐" is a check
 * box and keeps it.  Raw HTML in the Markdown is dropped, as on the
 * pages.  Every text is escaped for XML.
 *
 * The package is a ZIP of stored (uncompressed) entries: "mimetype"
 * first, as ODF requires, then content.xml, styles.xml, meta.xml and
 * META-INF/manifest.xml, each with its CRC-32 (zlib).
 *
 * Depends on kb_buf, kb_status, cmark-gfm and zlib.
 */
#ifndef KB_ODT_H
#define KB_ODT_H

#include <stddef.h>

#include "kb_buf.h"
#include "kb_status.h"

/* The most Markdown one document may have (a template is a few KB). */
#define KB_ODT_MAX_MARKDOWN (256u * 1024u)

/* Appends the .odt package of Markdown `md` (`len` bytes, UTF-8) to
 * `out`, with `title` (borrowed) as the document's title in its
 * metadata.  KB_ERR_LIMIT past KB_ODT_MAX_MARKDOWN, KB_ERR_NOMEM (or the
 * buffer's cap) otherwise; `out` may then hold a partial package. */
kb_status kb_odt_from_markdown(const char *md, size_t len, const char *title,
                               kb_buf *out, char **reterr_msg);

#endif

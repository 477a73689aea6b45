/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_escape.h - the one HTML escaper and the one URL encoder.
 *
 * Everything that reaches a page from data or from a request goes through
 * kb_html_escape (text and attribute values alike: it escapes & < > " ').
 * Depends only on kb_buf.h.
 */
#ifndef KB_ESCAPE_H
#define KB_ESCAPE_H

#include <stddef.h>

#include "kb_buf.h"

/* Appends `s` (n bytes) to `b`, HTML-escaped. */
kb_status kb_html_escape(kb_buf *b, const char *s, size_t n);
/* The same for a NUL-terminated string; NULL appends nothing. */
kb_status kb_html_escapes(kb_buf *b, const char *s);

/* Appends `s` escaped for XML text and attributes (feeds, sitemaps,
 * OpenDocument), dropping the control characters XML 1.0 does not allow;
 * NULL appends nothing. */
kb_status kb_xml_escapes(kb_buf *b, const char *s);

/* Appends `s` percent-encoded for a URL query component (RFC 3986
 * unreserved characters stay, space becomes "+"). */
kb_status kb_url_encode(kb_buf *b, const char *s, size_t n);
kb_status kb_url_encodes(kb_buf *b, const char *s);

#endif

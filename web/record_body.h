/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record_body.h - the body of a record page: cmark-gfm's HTML with
 * anchors on its sections, a table of contents when it has more than
 * three, and its tables in scroll boxes a keyboard can reach.
 *
 * Depends on kb_buf only.
 */
#ifndef TEILHABE_RECORD_BODY_H
#define TEILHABE_RECORD_BODY_H

#include "kb_buf.h"

/* Appends the body `html` (borrowed; the safe HTML kb_article_render
 * made) as <div class="body">: each <h2> gets id="abschnitt-N"; with
 * four or more of them a <nav class="toc"> (folded in <details>) links
 * them first; each <table> is wrapped in a focusable, labelled
 * role="region" box that scrolls sideways when the table is wider than
 * the screen. */
void record_body(kb_buf *b, const char *html);

#endif

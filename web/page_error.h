/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_error.h - the markup of the error page.  Only the markup: status
 * and content type are set by page_error() in reply.c, the one caller.
 *
 * Depends on html.h only.
 */
#ifndef TEILHABE_WEB_PAGE_ERROR_H
#define TEILHABE_WEB_PAGE_ERROR_H

#include "kb_buf.h"

/* Appends a whole error page: `title` as <title> and heading, `text`
 * below it (both escaped), and a way back to the start page. */
void render_error_page(kb_buf *b, const char *title, const char *text);

#endif

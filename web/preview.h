/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * preview.h - the librarians' live preview (see preview.c).
 */
#ifndef TEILHABE_PREVIEW_H
#define TEILHABE_PREVIEW_H

#include <stddef.h>

#include "kb_status.h"

/* Indexes `corpus` into `db` (a full build), then starts a thread that
 * re-indexes on every change.  KB_ERR_PARSE when the corpus has errors
 * at the start (they are printed); the thread runs until the process
 * ends. */
kb_status preview_start(const char *corpus, const char *db);

/* The id of the article saved last ("" before the first change), copied
 * to buf; returns buf. */
const char *preview_last(char *buf, size_t cap);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * zerolog.h - the zero-result log (--log-zero-results), privacy first:
 * only the normalised query text and the day (docs/privacy.md).
 *
 * Depends on config.h and the library (kb_search, kb_analysis).
 */
#ifndef TEILHABE_WEB_ZEROLOG_H
#define TEILHABE_WEB_ZEROLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "kb_search.h"

/* Queries with at most this many results are logged (0: nothing found;
 * 1, 2: found little - where the corpus or laien.yaml needs a word). */
#define ZEROLOG_FEW 2

/* Opens the log file `path` for appending (created 0640); the file
 * descriptor, or -1 with errno set. */
int zerolog_open(const char *path);

/* Reopens cfg->zero_log_path under the same descriptor, for log
 * rotation: writers in flight finish in the old file, later ones go to
 * the new.  False (the old file kept) if it cannot be opened. */
bool zerolog_reopen(const server_config *cfg);

/* Records the query of `r` with its total when the log is on and the
 * total is at most ZEROLOG_FEW, normalised with the analyzer of `s`
 * (borrowed, this thread's searcher) - but not a query that asked only
 * for a too short wildcard ("Be*"): a slip, not a gap in the content.
 * Best effort: nothing is reported when it cannot be written. */
void zerolog_record(const server_config *cfg, kb_searcher *s,
                    const kb_search_result *r);

#endif

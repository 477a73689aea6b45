/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * zerolog.h - the zero-result log (--log-zero-results), privacy first:
 * only the normalised query text and the day (docs/privacy.md).
 *
 * Depends on config.h and the library (kb_search, kb_analysis).
 */
#ifndef TEILHABE_WEB_ZEROLOG_H
#define TEILHABE_WEB_ZEROLOG_H

#include <stdint.h>

#include "config.h"
#include "kb_search.h"

/* Queries with at most this many results are logged (0: nothing found;
 * 1, 2: found little - where the corpus or laien.yaml needs a word). */
#define ZEROLOG_FEW 2

/* Records `query` with its `total` when the log is on and total is at
 * most ZEROLOG_FEW, normalised with the analyzer of `s` (borrowed, this
 * thread's searcher).  Best effort: nothing is reported when it cannot be
 * written. */
void zerolog_record(const server_config *cfg, kb_searcher *s, const char *query,
                    uint64_t total);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_json.h - the JSON forms of search results and articles, shared by
 * the HTTP API and `teilhabe search --json` so both say the same thing.
 * Shapes are documented in docs/api.md and are a stable contract.
 *
 * Depends on kb_search and jansson.
 */
#ifndef KB_JSON_H
#define KB_JSON_H

#include <jansson.h>

#include "kb_search.h"

/* {"query","total","page","per_page","sort","results":[...],"facets":{...},
 *  "suggestion","corrected","relaxed"}; new reference, NULL on OOM. */
json_t *kb_json_search_result(const kb_search_result *r);

/* The article record for the API: metadata with labels, plus body_html
 * (the stored "text" is left out).  Takes a borrowed record from
 * kb_searcher_article; new reference. */
json_t *kb_json_article(const json_t *record, const kb_vocab *vocab);

#endif

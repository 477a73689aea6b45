/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_json.h - the JSON form of search results, shared by
 * the HTTP API and `teilhabe search --json` so both say the same thing.
 * Shapes are documented in docs/api.md and are a stable contract.
 *
 * Depends on kb_search, kb_record and kb_buf.
 */
#ifndef KB_JSON_H
#define KB_JSON_H

#include "kb_search.h"

/* {"query","total","page","per_page","sort","results":[...],"facets":{...},
 *  "suggestion","corrected","with_suggestion","relaxed","short_wildcard",
 *  "citations","definition"} as JSON
 * text: each result is its record's API form (kb_record_api_json, without
 * the body) plus label, snippet and score.  Owned text, NULL on OOM. */
char *kb_json_search_result(const kb_search_result *r, const kb_vocab *v);

/* The same text appended to `out` (a server's reply buffer, so nothing
 * is copied); kb_buf_status(out). */
kb_status kb_json_search_write(const kb_search_result *r, const kb_vocab *v,
                               kb_buf *out);

#endif

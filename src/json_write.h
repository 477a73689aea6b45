/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json_write.h - JSON text written straight into a kb_buf, for the
 * answers a server writes per request (search results, records), where
 * building a jansson tree and printing it cost more than the search.
 * The bytes are what jansson's json_dumps(JSON_COMPACT) prints for the
 * same values (tests/test-json.c compares them), so readers cannot tell
 * the two apart.  Not public; errors are the buffer's (kb_buf_status).
 *
 * Depends on kb_buf only.
 */
#ifndef KB_JSON_WRITE_H
#define KB_JSON_WRITE_H

#include <stdint.h>

#include "kb_buf.h"

/* A JSON string: quoted, with '"', '\\' and control characters escaped
 * as jansson escapes them.  NULL is written as null; a byte that is not
 * part of valid UTF-8 as U+FFFD (jansson would refuse the string). */
void kbi_json_str(kb_buf *b, const char *s);

/* `"key":`, for keys that need no escaping (the API's field names). */
void kbi_json_key(kb_buf *b, const char *key);

/* A number as jansson prints a real: 17 significant digits, always with
 * a '.' or an exponent. */
void kbi_json_real(kb_buf *b, double d);

void kbi_json_uint(kb_buf *b, uint64_t n);
void kbi_json_bool(kb_buf *b, bool v);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record_internal.h - the API object of a record, for the library's other
 * JSON writers (json.c); not public.
 */
#ifndef KB_RECORD_INTERNAL_H
#define KB_RECORD_INTERNAL_H

#include <jansson.h>

#include "kb_record.h"

/* The object kb_record_api_json prints (new reference, or NULL). */
json_t *kbi_record_json(const kb_record *r, const kb_vocab *v, bool body);

#endif
